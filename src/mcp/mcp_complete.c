/* completion/complete over the catalog (mcp_catalog.h): capture file names
 * for file arguments of prompts and for a resource template's {file}, and
 * display-filter field names for filter arguments (the field being typed
 * at the end of the filter, the rest kept). */
#include <stdio.h>
#include <string.h>

#include "jsonrpc.h"
#include "mcp_catalog.h"

static json_t *result(json_t *values, size_t total) {
    size_t n = json_array_size(values);
    return json_pack("{s:{s:o, s:I, s:b}}", "completion", "values", values, "total", (json_int_t)total, "hasMore",
                     total > n);
}

static json_t *complete_files(const pa_catalog *c, const pa_catalog_env *env, const char *prefix) {
    json_t *found = json_array(), *values = json_array();
    size_t total = c->files ? c->files(env->cfg, prefix, PA_COMPLETION_MAX_VALUES, found) : 0;
    size_t i;
    json_t *f;
    json_array_foreach(found, i, f) json_array_append(values, json_object_get(f, "name"));
    json_decref(found);
    return result(values, total);
}

/* The filter up to the field name being typed, then each field that
 * begins with it: "ip.src == 10.0.0.5 && tcp.analysis.re" offers
 * "... && tcp.analysis.retransmission". */
static json_t *complete_filter(const pa_catalog *c, const char *value) {
    size_t len = strlen(value), start = len;
    while (start > 0) {
        char ch = value[start - 1];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
              ch == '_'))
            break;
        start--;
    }
    json_t *names = json_array(), *values = json_array();
    size_t total = c->fields ? c->fields(value + start, PA_COMPLETION_MAX_VALUES, names) : 0;
    size_t i;
    json_t *n;
    json_array_foreach(names, i, n) {
        char full[4200];
        int w = snprintf(full, sizeof full, "%.*s%s", (int)start, value, json_string_value(n));
        if (w > 0 && (size_t)w < sizeof full) json_array_append_new(values, json_string(full));
    }
    json_decref(names);
    return result(values, total);
}

json_t *pa_complete(const pa_catalog *c, const pa_catalog_env *env, const json_t *params, int *code, char *err,
                    size_t errlen) {
    *code = PA_JSONRPC_INVALID_PARAMS;
    json_t *ref = json_object_get(params, "ref"), *arg = json_object_get(params, "argument");
    const char *type = json_string_value(json_object_get(ref, "type"));
    const char *aname = json_string_value(json_object_get(arg, "name"));
    const char *value = json_string_value(json_object_get(arg, "value"));
    if (!type || !aname || !value) {
        snprintf(err, errlen,
                 "Invalid params: completion/complete needs params.ref.type and "
                 "params.argument.name and .value (strings)");
        return NULL;
    }
    if (strcmp(type, "ref/prompt") == 0) {
        const char *name = json_string_value(json_object_get(ref, "name"));
        for (size_t i = 0; name && i < c->nprompts; i++) {
            const pa_prompt_def *p = &c->prompts[i];
            if (strcmp(p->name, name) != 0) continue;
            for (size_t k = 0; k < PA_PROMPT_MAX_ARGS && p->args[k].name; k++) {
                if (strcmp(p->args[k].name, aname) != 0) continue;
                if (p->args[k].kind == PA_PARG_FILE) return complete_files(c, env, value);
                if (p->args[k].kind == PA_PARG_FILTER) return complete_filter(c, value);
                return result(json_array(), 0); /* addresses and numbers: nothing to offer */
            }
            snprintf(err, errlen, "Invalid params: prompt %s has no argument '%.80s'", name, aname);
            return NULL;
        }
        snprintf(err, errlen, "Invalid params: unknown prompt '%.80s' (prompts/list names them)", name ? name : "");
        return NULL;
    }
    if (strcmp(type, "ref/resource") == 0) {
        const char *uri = json_string_value(json_object_get(ref, "uri"));
        const pa_resource_template_def *t = uri ? pa_catalog_template(c, env, uri) : NULL;
        if (!t) {
            snprintf(err, errlen,
                     "Invalid params: '%.200s' is not a resource template of this server "
                     "(resources/templates/list names them)",
                     uri ? uri : "");
            return NULL;
        }
        if (strcmp(aname, "file") != 0) {
            snprintf(err, errlen, "Invalid params: %s has one variable, 'file'", t->uri_template);
            return NULL;
        }
        return complete_files(c, env, value);
    }
    snprintf(err, errlen, "Invalid params: params.ref.type must be 'ref/prompt' or 'ref/resource'; got '%.40s'", type);
    return NULL;
}
