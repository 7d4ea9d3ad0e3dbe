#include "mcp_registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp_schema.h"

void pa_registry_init(pa_registry *r) { memset(r, 0, sizeof *r); }

void pa_registry_free(pa_registry *r) {
    for (size_t i = 0; i < r->n; i++) {
        json_decref(r->v[i].input);
        json_decref(r->v[i].advertised);
        json_decref(r->v[i].output);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

static int name_ok(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > 64) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

static json_t *load_schema(const char *tool, const char *which, const char *text, char *err, size_t errlen) {
    json_error_t je;
    json_t *s = json_loads(text ? text : "", 0, &je);
    if (!s) {
        snprintf(err, errlen, "tool %s: %s is not valid JSON: %s (line %d)", tool, which, je.text, je.line);
        return NULL;
    }
    char why[256];
    if (pa_schema_supported(s, why, sizeof why)) {
        snprintf(err, errlen, "tool %s: %s: %s", tool, which, why);
        json_decref(s);
        return NULL;
    }
    json_t *t = json_object_get(s, "type");
    if (!json_is_string(t) || strcmp(json_string_value(t), "object") != 0) {
        snprintf(err, errlen, "tool %s: %s must have type \"object\"", tool, which);
        json_decref(s);
        return NULL;
    }
    return s;
}

/* Properties the registry itself may add to any result (not the tools):
 * each goes into the outputSchema of every tool whose inputSchema has the
 * argument it depends on (NULL: every tool). One row per property. */
static const struct {
    const char *name;
    const char *needs_arg;
    const char *schema;
} result_props[] = {
    {"limit_clamped", "limit",
     "{\"type\":\"object\",\"required\":[\"requested\",\"used\"],\"properties\":{"
     "\"requested\":{\"type\":\"integer\"},\"used\":{\"type\":\"integer\"}},"
     "\"additionalProperties\":false,\"description\":\"limit was above this tool's maximum: "
     "the maximum was used\"}"},
    /* what the byte budget left out (tools/tool_report.c) */
    {"truncated", NULL,
     "{\"type\":\"boolean\",\"description\":\"the result reached its byte budget; left_out says what "
     "is missing\"}"},
    {"left_out", NULL,
     "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"list\",\"not_shown\"],"
     "\"properties\":{\"list\":{\"type\":\"string\"},\"not_shown\":{\"type\":\"integer\",\"description\":"
     "\"rows (or bytes) of it not in this result\"},\"next_offset\":{\"type\":\"integer\",\"description\":"
     "\"the offset to call again with\"}},\"additionalProperties\":false}}"},
};

static int add_result_props(const char *tool, const json_t *in, json_t *out, char *err, size_t errlen) {
    json_t *in_props = json_object_get(in, "properties");
    json_t *out_props = json_object_get(out, "properties");
    for (size_t i = 0; i < sizeof result_props / sizeof result_props[0]; i++) {
        const char *arg = result_props[i].needs_arg;
        if (arg && !json_object_get(in_props, arg)) continue;
        if (!out_props) {
            out_props = json_object();
            if (!out_props || json_object_set_new(out, "properties", out_props)) goto nomem;
        }
        if (json_object_get(out_props, result_props[i].name)) continue; /* the tool's own */
        json_t *s = json_loads(result_props[i].schema, 0, NULL);
        if (!s || json_object_set_new(out_props, result_props[i].name, s)) goto nomem;
    }
    return 0;
nomem:
    snprintf(err, errlen, "tool %s: out of memory while completing its outputSchema", tool);
    return -1;
}

/* Limits that only guard the server against abuse (strings of 1 KiB and
 * more, integers of 10^8 and more) are checked on every call but not shown
 * in tools/list: a model never comes near them, and every tool would pay
 * for them in the 20 KiB the whole tool list may take of its context. The
 * error for a value past one still names the limit. */
#define GUARD_LENGTH 1024
#define GUARD_MAXIMUM 1e8
/* Nor are the bounds and defaults any model assumes without being told: a
 * count or an offset that starts at 0 or 1, a string that is not empty, an
 * option that is off (false) or zero when left out. Each still holds on
 * every call, and an error names it; with fifty tools they would take some
 * 2 KiB of every request. */

static json_t *advertised_input(const json_t *input) {
    json_t *a = json_deep_copy(input);
    json_t *props = json_object_get(a, "properties");
    const char *k;
    json_t *p;
    json_object_foreach(props, k, p) {
        json_t *ml = json_object_get(p, "maxLength"), *mx = json_object_get(p, "maximum");
        if (json_is_integer(ml) && json_integer_value(ml) >= GUARD_LENGTH) json_object_del(p, "maxLength");
        if (json_is_number(mx) && json_number_value(mx) >= GUARD_MAXIMUM) json_object_del(p, "maximum");
        json_t *mn = json_object_get(p, "minimum"), *nl = json_object_get(p, "minLength");
        json_t *df = json_object_get(p, "default");
        if (json_is_integer(mn) && json_integer_value(mn) >= 0 && json_integer_value(mn) <= 1)
            json_object_del(p, "minimum");
        if (json_is_integer(nl) && json_integer_value(nl) == 1) json_object_del(p, "minLength");
        if (json_is_false(df) || (json_is_integer(df) && json_integer_value(df) == 0)) json_object_del(p, "default");
    }
    return a;
}

int pa_registry_add(pa_registry *r, const pa_tool_def *def, char *err, size_t errlen) {
    if (!def->name || !name_ok(def->name)) {
        snprintf(err, errlen, "tool name '%s' is invalid (letters, digits, _ and -, 1-64)",
                 def->name ? def->name : "(null)");
        return -1;
    }
    if (pa_registry_find(r, def->name)) {
        snprintf(err, errlen, "tool %s is registered twice", def->name);
        return -1;
    }
    if (!def->title || !*def->title || !def->description || !*def->description || !def->run) {
        snprintf(err, errlen, "tool %s needs a title, a description and a function", def->name);
        return -1;
    }
    json_t *in = load_schema(def->name, "inputSchema", def->input_schema, err, errlen);
    if (!in) return -1;
    json_t *out = load_schema(def->name, "outputSchema", def->output_schema, err, errlen);
    if (!out || add_result_props(def->name, in, out, err, errlen)) {
        json_decref(in);
        json_decref(out);
        return -1;
    }
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 32;
        pa_registry_entry *nv = realloc(r->v, ncap * sizeof *nv);
        if (!nv) {
            json_decref(in);
            json_decref(out);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        r->v = nv;
        r->cap = ncap;
    }
    json_t *adv = advertised_input(in);
    if (!adv) {
        json_decref(in);
        json_decref(out);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    r->v[r->n++] = (pa_registry_entry){def, in, adv, out};
    return 0;
}

const pa_registry_entry *pa_registry_find(const pa_registry *r, const char *name) {
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].def->name, name) == 0) return &r->v[i];
    return NULL;
}

json_t *pa_registry_tool_json(const pa_registry_entry *e) {
    const pa_tool_def *d = e->def;
    return json_pack("{s:s, s:s, s:s, s:O, s:O, s:{s:s, s:b, s:b, s:b, s:b}}", "name", d->name, "title", d->title,
                     "description", d->description, "inputSchema", e->advertised, "outputSchema", e->output,
                     "annotations", "title", d->title, "readOnlyHint", d->read_only, "destructiveHint", d->destructive,
                     "idempotentHint", d->idempotent, "openWorldHint", d->open_world);
}

void pa_registry_call(const pa_registry_entry *e, pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    json_t *a = args ? json_deep_copy(args) : json_object();
    char err[1024];
    if (!a) {
        pa_tool_fail(res, "out of memory while copying the arguments");
        return;
    }
    pa_arg_notes notes;
    if (pa_schema_check_args_noted(e->input, a, &notes, err, sizeof err)) {
        pa_tool_fail(res, "Invalid arguments for %s: %s", e->def->name, err);
        json_decref(a);
        return;
    }
    e->def->run(ctx, a, res);
    json_decref(a);
    if (res->is_error) {
        json_decref(res->structured);
        res->structured = NULL;
        return;
    }
    if (!res->structured) {
        pa_tool_fail(res, "internal error: %s produced no structured result", e->def->name);
        return;
    }
    if (notes.limit_clamped && json_is_object(res->structured)) {
        json_object_set_new(res->structured, "limit_clamped",
                            json_pack("{s:I, s:I}", "requested", notes.limit_requested, "used", notes.limit_used));
        if (res->text.len && res->text.data[res->text.len - 1] != '\n') pa_buf_puts(&res->text, "\n");
        pa_buf_printf(&res->text, "limit %lld is above this tool's maximum %lld; %lld was used.\n",
                      (long long)notes.limit_requested, (long long)notes.limit_used, (long long)notes.limit_used);
    }
    /* Redis's habit: every reply is checked against its declared schema, so
     * a drift between code and schema is caught where it happens. */
    if (pa_schema_validate(e->output, res->structured, "structuredContent", err, sizeof err)) {
        pa_log(PA_LOG_ERROR, "tool %s broke its outputSchema: %s", e->def->name, err);
        pa_tool_fail(res, "internal error: the result of %s does not match its outputSchema (%s)", e->def->name, err);
        return;
    }
    /* The byte budget is kept by the tools row by row (tool_report.c); a
     * result past it is a bug, refused like a schema mismatch rather than
     * handed to a model whose context it would flood. */
    const pa_config *cfg = ctx ? ctx->cfg : NULL;
    size_t text_max = cfg && cfg->text_budget ? cfg->text_budget : PA_DEFAULT_TEXT_BUDGET;
    size_t result_max = cfg && cfg->result_budget ? cfg->result_budget : PA_DEFAULT_RESULT_BUDGET;
    json_t *whole = pa_tool_result_json(res);
    size_t size = whole ? json_dumpb(whole, NULL, 0, JSON_COMPACT | JSON_REAL_PRECISION(16)) : 0;
    json_decref(whole);
    if (res->text.len > text_max || size > result_max) {
        pa_log(PA_LOG_ERROR, "tool %s exceeded its byte budget: text %zu of %zu bytes, result %zu of %zu bytes",
               e->def->name, res->text.len, text_max, size, result_max);
        pa_tool_fail(res,
                     "internal error: the result of %s exceeded its byte budget (text %zu of %zu bytes, whole "
                     "result %zu of %zu bytes); a smaller limit avoids it",
                     e->def->name, res->text.len, text_max, size, result_max);
    }
}

json_t *pa_tool_result_json(const pa_tool_result *res) {
    const char *text = res->text.data ? res->text.data : "";
    /* The text quotes user input and packet data; it must still be UTF-8. */
    char *clean = malloc(res->text.len + 1);
    if (!clean) return NULL;
    memcpy(clean, text, res->text.len);
    clean[res->text.len] = '\0';
    pa_utf8_sanitize(clean, res->text.len);
    json_t *r = json_pack("{s:[{s:s, s:s%}], s:b}", "content", "type", "text", "text", clean, res->text.len, "isError",
                          res->is_error);
    free(clean);
    if (r && res->structured) json_object_set(r, "structuredContent", res->structured);
    return r;
}
