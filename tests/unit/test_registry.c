/* The registry's own additions to tools: the result properties it may add
 * (limit_clamped) are in every outputSchema that needs them, and a call
 * with a limit above the maximum runs with the maximum and says so. */
#include <stdlib.h>

#include "check.h"
#include "mcp_registry.h"
#include "tools.h"

/* Echoes the limit it was given, so the test sees what the tool ran with. */
static void run_echo(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    (void)ctx;
    json_t *lim = json_object_get(args, "limit");
    if (json_integer_value(lim) == 7) {
        pa_tool_fail(res, "seven is refused by this tool");
        return;
    }
    res->structured = json_pack("{s:O}", "limit", lim);
    pa_buf_printf(&res->text, "ran with limit %lld", (long long)json_integer_value(lim));
}

static const pa_tool_def with_limit = {
    .name = "with_limit",
    .title = "Limit echo",
    .description = "Echoes its limit.",
    .input_schema = "{\"type\":\"object\",\"properties\":{\"limit\":{\"type\":\"integer\",\"minimum\":1,"
                    "\"maximum\":50,\"default\":10}},\"additionalProperties\":false}",
    .output_schema = "{\"type\":\"object\",\"required\":[\"limit\"],\"properties\":{\"limit\":{\"type\":"
                     "\"integer\"}},\"additionalProperties\":false}",
    .read_only = true,
    .run = run_echo,
};

static const pa_tool_def without_limit = {
    .name = "without_limit",
    .title = "No limit",
    .description = "Has no limit argument.",
    .input_schema = "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},"
                    "\"additionalProperties\":false}",
    .output_schema = "{\"type\":\"object\",\"additionalProperties\":false}",
    .read_only = true,
    .run = run_echo,
};

static json_t *call(const pa_registry_entry *e, const char *args_text, pa_tool_result *res) {
    json_t *args = json_loads(args_text, 0, NULL);
    pa_tool_result_init(res);
    pa_tool_ctx ctx = {0};
    pa_registry_call(e, &ctx, args, res);
    json_decref(args);
    return res->structured;
}

static void test_schema_additions(void) {
    pa_registry r;
    pa_registry_init(&r);
    char err[512];
    CHECK(pa_registry_add(&r, &with_limit, err, sizeof err) == 0);
    CHECK(pa_registry_add(&r, &without_limit, err, sizeof err) == 0);
    const pa_registry_entry *w = pa_registry_find(&r, "with_limit");
    const pa_registry_entry *wo = pa_registry_find(&r, "without_limit");
    json_t *lc = json_object_get(json_object_get(w->output, "properties"), "limit_clamped");
    CHECK(json_is_object(lc));
    CHECK(json_object_get(json_object_get(lc, "properties"), "requested") != NULL);
    /* a tool without limit never clamps: its schema stays as written */
    CHECK(json_object_get(json_object_get(wo->output, "properties"), "limit_clamped") == NULL);
    /* the tools/list entry carries the completed schema */
    json_t *tj = pa_registry_tool_json(w);
    CHECK(json_object_get(json_object_get(json_object_get(tj, "outputSchema"), "properties"), "limit_clamped"));
    json_decref(tj);
    pa_registry_free(&r);
}

static void test_clamped_call(void) {
    pa_registry r;
    pa_registry_init(&r);
    char err[512];
    CHECK(pa_registry_add(&r, &with_limit, err, sizeof err) == 0);
    const pa_registry_entry *e = pa_registry_find(&r, "with_limit");
    pa_tool_result res;

    json_t *s = call(e, "{\"limit\":5000}", &res);
    CHECK(!res.is_error);
    CHECK(json_integer_value(json_object_get(s, "limit")) == 50);
    json_t *lc = json_object_get(s, "limit_clamped");
    CHECK(json_integer_value(json_object_get(lc, "requested")) == 5000);
    CHECK(json_integer_value(json_object_get(lc, "used")) == 50);
    CHECK_STR(res.text.data, "ran with limit 50\nlimit 5000 is above this tool's maximum 50; 50 was used.\n");
    pa_tool_result_free(&res);

    /* within range: nothing added */
    s = call(e, "{\"limit\":50}", &res);
    CHECK(!res.is_error && json_object_get(s, "limit_clamped") == NULL);
    CHECK_STR(res.text.data, "ran with limit 50");
    pa_tool_result_free(&res);

    /* below the minimum: still an error, and the tool does not run */
    call(e, "{\"limit\":0}", &res);
    CHECK(res.is_error && res.structured == NULL);
    CHECK_CONTAINS(res.text.data, "argument 'limit' is out of range; accepted: an integer from 1 to 50");
    pa_tool_result_free(&res);

    /* a tool that fails keeps its own message only */
    call(e, "{\"limit\":7}", &res);
    CHECK(res.is_error && res.structured == NULL);
    CHECK_STR(res.text.data, "seven is refused by this tool");
    pa_tool_result_free(&res);
    pa_registry_free(&r);
}

/* Every built-in tool with a limit argument may carry limit_clamped, and a
 * huge limit runs (here on a tool that needs no capture). */
static void test_builtin(void) {
    pa_registry r;
    pa_registry_init(&r);
    char err[512];
    CHECK(pa_tools_register_builtin(&r, err, sizeof err) == 0);
    size_t with = 0;
    for (size_t i = 0; i < r.n; i++) {
        bool has_limit = json_object_get(json_object_get(r.v[i].input, "properties"), "limit") != NULL;
        bool may_clamp = json_object_get(json_object_get(r.v[i].output, "properties"), "limit_clamped") != NULL;
        CHECK(has_limit == may_clamp);
        with += has_limit;
    }
    CHECK(with >= 25);
    pa_registry_free(&r);
}

/* Every object of every output schema says what it holds (its properties,
 * or the schema of its values), every array what its items are: a client
 * and a model can read the result's shape from tools/list. */
static int opaque(const json_t *sc, const char *path, char *where, size_t n) {
    if (!json_is_object(sc)) return 0;
    const char *t = json_string_value(json_object_get(sc, "type"));
    json_t *props = json_object_get(sc, "properties"), *ap = json_object_get(sc, "additionalProperties"),
           *items = json_object_get(sc, "items"), *any = json_object_get(sc, "anyOf");
    if (t && !strcmp(t, "object") && !json_is_object(props) && !json_is_object(ap)) {
        snprintf(where, n, "%s: an object without properties", path);
        return 1;
    }
    if (t && !strcmp(t, "array") && !json_is_object(items)) {
        snprintf(where, n, "%s: an array without items", path);
        return 1;
    }
    if (!t && !json_is_array(any) && !json_object_get(sc, "enum")) {
        snprintf(where, n, "%s: no type", path);
        return 1;
    }
    char sub[512];
    const char *k;
    json_t *v;
    json_object_foreach(props, k, v) {
        snprintf(sub, sizeof sub, "%s.%s", path, k);
        if (opaque(v, sub, where, n)) return 1;
    }
    snprintf(sub, sizeof sub, "%s[]", path);
    if (json_is_object(items) && opaque(items, sub, where, n)) return 1;
    if (json_is_object(ap) && opaque(ap, sub, where, n)) return 1;
    size_t i;
    json_array_foreach(any, i, v) if (opaque(v, path, where, n)) return 1;
    return 0;
}

static void test_described_outputs(void) {
    pa_registry r;
    pa_registry_init(&r);
    char err[512];
    CHECK(pa_tools_register_builtin(&r, err, sizeof err) == 0);
    for (size_t i = 0; i < r.n; i++) {
        char where[600] = "";
        if (opaque(r.v[i].output, r.v[i].def->name, where, sizeof where)) fprintf(stderr, "%s\n", where);
        CHECK(where[0] == '\0');
    }
    char where[600] = "";
    json_t *bad = json_loads("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"object\"}}}", 0, NULL);
    CHECK(opaque(bad, "t", where, sizeof where) == 1); /* the check can fail */
    json_decref(bad);
    pa_registry_free(&r);
}

int main(void) {
    test_described_outputs();
    test_schema_additions();
    test_clamped_call();
    test_builtin();
    return check_done("registry");
}
