/* fuzz_dfilter: any text through the display-filter compiler; what compiles
 * is evaluated against a frame view that offers a value of every type for
 * every field (several for some), so every operator runs on every type.
 * The error text must be set whenever compiling fails. */
#include <stdlib.h>
#include <string.h>

#include "dfilter.h"
#include "fuzz.h"
#include "fuzz_check.h"

static const uint8_t bytes[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n\x00\xff";

static size_t get(void *ud, pa_dfield f, pa_dvalue *out, size_t max) {
    unsigned seed = *(const unsigned *)ud;
    if ((seed + (unsigned)f) % 5 == 0) return 0; /* some fields absent */
    size_t n = 1 + (seed + (unsigned)f) % 3;
    if (n > max) n = max;
    for (size_t i = 0; i < n; i++) {
        pa_dvalue *v = &out[i];
        memset(v, 0, sizeof *v);
        v->type = pa_dfield_type(f);
        switch (v->type) {
        case PA_FT_BOOL: v->v.u = (seed + i) & 1; break;
        case PA_FT_UINT: v->v.u = seed * 7919u + i; break;
        case PA_FT_INT: v->v.i = (int64_t)seed - 1000 + (int64_t)i; break;
        case PA_FT_DOUBLE: v->v.d = seed / 3.0 + (double)i; break;
        case PA_FT_IPV4:
        case PA_FT_IPV6:
        case PA_FT_ETHER:
            for (int k = 0; k < 16; k++) v->v.addr[k] = (uint8_t)(seed * 31u + (unsigned)k + i);
            break;
        default:
            v->v.bytes.p = bytes;
            v->v.bytes.n = (seed + i) % sizeof bytes;
            break;
        }
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 8192) return 0;
    char *text = malloc(size + 1);
    if (!text) abort();
    memcpy(text, data, size);
    text[size] = '\0';
    char err[1024];
    err[0] = '\0';
    pa_dfilter *f = pa_dfilter_compile(text, err, sizeof err);
    if (!f) {
        PA_FUZZ_CHECK(err[0] != '\0');
    } else {
        for (unsigned seed = 0; seed < 4; seed++) (void)pa_dfilter_eval(f, get, &seed);
        pa_dfilter_free(f);
    }
    free(text);
    return 0;
}
