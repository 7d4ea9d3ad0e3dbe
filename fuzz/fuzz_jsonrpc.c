/* fuzz_jsonrpc: one line through pa_jsonrpc_parse (with the server's depth
 * cap and with a small one), then the reply builders on what it found. The
 * classification must be coherent and every reply must serialise to one
 * line of valid JSON-RPC. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "jsonrpc.h"
#include "pa_limits.h"

/* json_equal, except that numbers with a fraction need only agree to 15
 * significant digits: replies are written with 16 (JSON_REAL_PRECISION),
 * which keeps computed values short but does not give every double back
 * exactly. */
static bool same(const json_t *a, const json_t *b) {
    if (json_is_real(a) && json_is_real(b)) {
        double x = json_real_value(a), y = json_real_value(b), d = x > y ? x - y : y - x;
        double m = (x < 0 ? -x : x) > (y < 0 ? -y : y) ? (x < 0 ? -x : x) : (y < 0 ? -y : y);
        return d <= m * 1e-15;
    }
    if (json_typeof(a) != json_typeof(b)) return false;
    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b)) return false;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!same(json_array_get(a, i), json_array_get(b, i))) return false;
        return true;
    }
    if (json_is_object(a)) {
        if (json_object_size(a) != json_object_size(b)) return false;
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)a, k, v) {
            const json_t *w = json_object_get(b, k);
            if (!w || !same(v, w)) return false;
        }
        return true;
    }
    return json_equal(a, b);
}

static void check_reply(json_t *reply) {
    PA_FUZZ_CHECK(reply != NULL);
    size_t n = 0;
    char *line = pa_jsonrpc_dump(reply, &n);
    PA_FUZZ_CHECK(line != NULL);
    PA_FUZZ_CHECK(strlen(line) == n);
    PA_FUZZ_CHECK(memchr(line, '\n', n) == NULL);
    json_error_t je;
    json_t *back = json_loadb(line, n, JSON_ALLOW_NUL, &je);
    PA_FUZZ_CHECK(back != NULL);
    PA_FUZZ_CHECK(same(back, reply));
    json_decref(back);
    free(line);
    json_decref(reply);
}

static void one(const char *line, size_t len, size_t depth) {
    pa_jsonrpc_msg m;
    pa_jsonrpc_parse(line, len, depth, &m);
    switch (m.kind) {
    case PA_MSG_REQUEST:
        PA_FUZZ_CHECK(json_is_object(m.root));
        PA_FUZZ_CHECK(m.method != NULL);
        PA_FUZZ_CHECK(json_is_string(m.id) || json_is_integer(m.id));
        PA_FUZZ_CHECK(m.params == NULL || json_is_object(m.params));
        break;
    case PA_MSG_NOTIFICATION:
        PA_FUZZ_CHECK(m.method != NULL);
        PA_FUZZ_CHECK(m.id == NULL);
        PA_FUZZ_CHECK(m.params == NULL || json_is_object(m.params));
        break;
    case PA_MSG_RESPONSE: PA_FUZZ_CHECK(json_is_object(m.root)); break;
    case PA_MSG_INVALID:
        PA_FUZZ_CHECK(m.err_code != 0);
        PA_FUZZ_CHECK(m.err_msg[0] != '\0');
        PA_FUZZ_CHECK(memchr(m.err_msg, '\0', sizeof m.err_msg) != NULL);
        PA_FUZZ_CHECK(m.id == NULL || json_is_string(m.id) || json_is_integer(m.id));
        break;
    default: PA_FUZZ_CHECK(m.kind == PA_MSG_INVALID); /* unknown kind */
    }
    if (m.kind == PA_MSG_INVALID) {
        check_reply(pa_jsonrpc_error(m.id, m.err_code, m.err_msg, NULL));
    } else if (m.kind == PA_MSG_REQUEST) {
        /* The result echoes the params back: any JSON the parser accepted
         * must serialise again. */
        json_t *echo = m.params ? json_deep_copy(m.params) : json_object();
        check_reply(pa_jsonrpc_result(m.id, echo));
        check_reply(pa_jsonrpc_error(m.id, PA_JSONRPC_METHOD_NOT_FOUND, m.method, json_string(m.method)));
    } else if (m.kind == PA_MSG_NOTIFICATION) {
        check_reply(pa_jsonrpc_notification(m.method, m.params ? json_deep_copy(m.params) : NULL));
    }
    pa_jsonrpc_msg_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *line = (const char *)data;
    one(line, size, PA_MAX_JSON_DEPTH);
    one(line, size, 2);
    return 0;
}
