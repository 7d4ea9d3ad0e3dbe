/* Prints the values of display-filter fields per frame, as
 * `tshark -T fields -e frame.number -e F1 -e F2 ...` prints them: the frame
 * number, then each field's values joined by commas, tab-separated;
 * unsigned integers in decimal, addresses as text, bytes in lower-case hex.
 * Only frames where some field has a value are printed. A test helper for
 * compare_webrtc.mjs and compare_capwap.mjs. Usage: pa-dfield-values CAPTURE FIELD... */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dframe.h"
#include "engine.h"

#define MAX_FIELDS 96

static pa_dfield fields[MAX_FIELDS];
static int nfields;

static void value(FILE *out, const pa_dvalue *v) {
    char b[64];
    switch (v->type) {
    case PA_FT_UINT:
    case PA_FT_BOOL: fprintf(out, "%llu", (unsigned long long)v->v.u); break;
    case PA_FT_INT: fprintf(out, "%lld", (long long)v->v.i); break;
    case PA_FT_DOUBLE: fprintf(out, "%.9f", v->v.d); break;
    case PA_FT_IPV4:
    case PA_FT_IPV6: {
        pa_addr a = {.family = v->type == PA_FT_IPV4 ? 4 : 6};
        memcpy(a.b, v->v.addr, 16);
        pa_addr_str(&a, b, sizeof b);
        fputs(b, out);
        break;
    }
    case PA_FT_ETHER:
        pa_mac_str(v->v.addr, b, sizeof b);
        fputs(b, out);
        break;
    case PA_FT_STRING: /* line ends and tabs escaped, as tshark -T fields escapes them */
        for (size_t i = 0; i < v->v.bytes.n; i++) {
            uint8_t c = v->v.bytes.p[i];
            if (c == '\r' || c == '\n' || c == '\t')
                fprintf(out, "\\%c", c == '\r' ? 'r' : c == '\n' ? 'n' : 't');
            else
                fputc(c, out);
        }
        break;
    default:
        for (size_t i = 0; i < v->v.bytes.n; i++) fprintf(out, "%02x", v->v.bytes.p[i]);
        break;
    }
}

static void on_frame(void *ud, const pa_packet *p, const uint8_t *data, const pa_frame_ctx *ctx) {
    (void)ud;
    pa_dframe f;
    pa_dframe_init(&f, p, data, ctx);
    /* each field printed as soon as it is got: the names a getter makes
     * live only until the next getter call but one */
    static pa_dvalue vals[PA_DF_MAX_VALUES];
    char *line = NULL;
    size_t len = 0, any = 0;
    FILE *out = open_memstream(&line, &len);
    if (!out) return;
    for (int i = 0; i < nfields; i++) {
        size_t n = pa_dframe_get(&f, fields[i], vals, PA_DF_MAX_VALUES);
        any += n;
        fputc('\t', out);
        for (size_t k = 0; k < n; k++) {
            if (k) fputc(',', out);
            value(out, &vals[k]);
        }
    }
    fclose(out);
    if (any) printf("%llu%s\n", (unsigned long long)p->frame_no, line);
    free(line);
}

int main(int argc, char **argv) {
    if (argc < 3 || argc - 2 > MAX_FIELDS) {
        fprintf(stderr, "usage: pa-dfield-values CAPTURE FIELD...\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        int id = pa_dfield_find(argv[i], strlen(argv[i]));
        if (id < 0) {
            fprintf(stderr, "unknown field %s\n", argv[i]);
            return 2;
        }
        fields[nfields++] = (pa_dfield)id;
    }
    /* A test helper: it reads any path it is given (the server never does). */
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    uint8_t head[16] = {0};
    if (fd < 0 || fstat(fd, &st) != 0 || pread(fd, head, sizeof head, 0) < 4) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    pa_capfmt fmt = pa_capfmt_detect(head, sizeof head);
    pa_engine_opts o = {.on_frame = on_frame};
    pa_model *m = NULL;
    char err[256];
    if (pa_engine_analyze(fd, (uint64_t)st.st_size, &fmt, &o, &m, err, sizeof err) != PA_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    pa_model_free(m);
    close(fd);
    return 0;
}
