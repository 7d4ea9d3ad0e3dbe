/* fuzz_schema: JSON text as tool arguments, checked with
 * pa_schema_check_args against the input schema of every built-in tool
 * (iterating the registry). Arguments the checker accepts, with the defaults
 * it filled in, must then pass pa_schema_validate against the same schema.
 * When the JSON is also a schema the checker supports, fixed sample values
 * (and the tools' own schemas) are validated against it as well. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "mcp_schema.h"
#include "tools.h"
#include "util_log.h"

static pa_registry reg;
static json_t *samples;

static void init_once(void) {
    pa_log_set_stderr_level(PA_LOG_NONE);
    pa_registry_init(&reg);
    char err[512];
    if (pa_tools_register_builtin(&reg, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_schema: %s\n", err);
        abort();
    }
    json_error_t je;
    samples = json_loads("[{}, {\"pcap_file\":\"a.pcap\",\"limit\":5,\"offset\":0}, "
                         "{\"limit\":0.0,\"x\":[1,2]}, [1,2,\"x\"], \"abc\", \"\", 3.5, 7, -1, "
                         "null, true, false, [[[]]], {\"a\":{\"b\":{\"c\":null}}}]",
                         0, &je);
    if (!samples) abort();
}

/* err after a failure: a non-empty message within the buffer. */
static void check_err(const char *err, size_t errlen) {
    PA_FUZZ_CHECK(memchr(err, '\0', errlen) != NULL);
    PA_FUZZ_CHECK(err[0] != '\0');
}

static void as_args(const pa_registry_entry *e, const json_t *v) {
    char err[1024];
    if (pa_schema_validate(e->output, v, "structuredContent", err, sizeof err) != 0) check_err(err, sizeof err);
    if (pa_schema_validate(e->input, v, "arguments", err, sizeof err) != 0) check_err(err, sizeof err);
    if (!json_is_object(v)) return;
    json_t *args = json_deep_copy(v);
    if (!args) abort();
    if (pa_schema_check_args(e->input, args, err, sizeof err) != 0) {
        check_err(err, sizeof err);
    } else {
        /* Accepted and completed with defaults: now a valid instance. */
        char why[1024];
        int rc = pa_schema_validate(e->input, args, "arguments", why, sizeof why);
        if (rc != 0) fprintf(stderr, "accepted arguments fail validation: %s\n", why);
        PA_FUZZ_CHECK(rc == 0);
        /* Checking again changes nothing. */
        json_t *again = json_deep_copy(args);
        PA_FUZZ_CHECK(pa_schema_check_args(e->input, again, err, sizeof err) == 0);
        PA_FUZZ_CHECK(json_equal(again, args));
        json_decref(again);
    }
    json_decref(args);
}

static void as_schema(const json_t *schema, const json_t *self) {
    char err[1024];
    if (pa_schema_supported(schema, err, sizeof err) != 0) {
        check_err(err, sizeof err);
        return;
    }
    char desc[512];
    pa_schema_describe(schema, desc, sizeof desc);
    size_t i;
    json_t *v;
    json_array_foreach(samples, i, v) {
        if (pa_schema_validate(schema, v, "value", err, sizeof err) != 0) check_err(err, sizeof err);
        if (json_is_object(v)) {
            json_t *copy = json_deep_copy(v);
            if (pa_schema_check_args(schema, copy, err, sizeof err) != 0) check_err(err, sizeof err);
            json_decref(copy);
        }
    }
    if (pa_schema_validate(schema, self, "value", err, sizeof err) != 0) check_err(err, sizeof err);
    for (size_t t = 0; t < reg.n; t++)
        if (pa_schema_validate(schema, reg.v[t].input, "value", err, sizeof err) != 0) check_err(err, sizeof err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int ready;
    if (!ready) {
        init_once();
        ready = 1;
    }
    json_error_t je;
    /* As the server parses requests: NUL escapes allowed, any value. */
    json_t *v = json_loadb((const char *)data, size, JSON_ALLOW_NUL | JSON_DECODE_ANY, &je);
    if (!v) return 0;
    for (size_t t = 0; t < reg.n; t++) {
        as_args(&reg.v[t], v);
        /* Every property's description, as argument errors print them. */
        const char *key;
        json_t *ps;
        json_object_foreach(json_object_get(reg.v[t].input, "properties"), key, ps) {
            char desc[512];
            pa_schema_describe(ps, desc, sizeof desc);
        }
    }
    as_schema(v, v);
    json_decref(v);
    return 0;
}
