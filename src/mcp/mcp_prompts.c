/* prompts/list and prompts/get over the catalog (mcp_catalog.h): arguments
 * are checked here, by kind, before a prompt's text is written, so a prompt
 * never tells a model to open a file that is not there. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonrpc.h"
#include "mcp_catalog.h"
#include "pa_limits.h"

#define PROMPT_MAX_BYTES (64u * 1024u)
#define FILTER_MAX_CHARS 4096

json_t *pa_prompts_list(const pa_catalog *c) {
    json_t *list = json_array();
    for (size_t i = 0; i < c->nprompts; i++) {
        const pa_prompt_def *p = &c->prompts[i];
        json_t *args = json_array();
        for (size_t k = 0; k < PA_PROMPT_MAX_ARGS && p->args[k].name; k++)
            json_array_append_new(args, json_pack("{s:s, s:s, s:b}", "name", p->args[k].name, "description",
                                                  p->args[k].description, "required", p->args[k].required));
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o}", "name", p->name, "title", p->title, "description",
                                              p->description, "arguments", args));
    }
    return json_pack("{s:o}", "prompts", list);
}

static void arg_names(const pa_prompt_def *p, char *out, size_t outlen) {
    size_t n = 0;
    out[0] = '\0';
    for (size_t k = 0; k < PA_PROMPT_MAX_ARGS && p->args[k].name && n < outlen; k++) {
        int w = snprintf(out + n, outlen - n, "%s%s%s", k ? ", " : "", p->args[k].name,
                         p->args[k].required ? " (required)" : "");
        if (w < 0) break;
        n += (size_t)w;
    }
}

static const pa_prompt_arg *find_arg(const pa_prompt_def *p, const char *name) {
    for (size_t k = 0; k < PA_PROMPT_MAX_ARGS && p->args[k].name; k++)
        if (strcmp(p->args[k].name, name) == 0) return &p->args[k];
    return NULL;
}

/* 0 when v suits the argument; else a JSON-RPC code and err. */
static int check_value(const pa_catalog *c, const pa_catalog_env *env, const pa_prompt_arg *a, const char *v, char *err,
                       size_t errlen) {
    char why[512];
    switch (a->kind) {
    case PA_PARG_FILE: {
        pa_file_status st = c->check_file(env->cfg, v, why, sizeof why);
        if (st == PA_FILE_OK) return 0;
        snprintf(err, errlen, "Invalid params: argument '%s': %s", a->name, why);
        return PA_JSONRPC_INVALID_PARAMS;
    }
    case PA_PARG_HOST: {
        unsigned char addr[16];
        if (inet_pton(AF_INET, v, addr) == 1 || inet_pton(AF_INET6, v, addr) == 1) return 0;
        snprintf(err, errlen,
                 "Invalid params: argument '%s' must be an IPv4 or IPv6 address, e.g. 10.0.0.5 "
                 "or 2001:db8::5; got '%.80s'",
                 a->name, v);
        return PA_JSONRPC_INVALID_PARAMS;
    }
    case PA_PARG_STREAM: {
        char *end = NULL;
        unsigned long long n = strtoull(v, &end, 10);
        if (v[0] >= '0' && v[0] <= '9' && *end == '\0' && n <= 4294967295ull) return 0;
        snprintf(err, errlen,
                 "Invalid params: argument '%s' must be a tcp.stream number from 0 to "
                 "4294967295 (analyze_pcap_file with analysis_type conversations lists them); "
                 "got '%.80s'",
                 a->name, v);
        return PA_JSONRPC_INVALID_PARAMS;
    }
    case PA_PARG_FILTER:
        if (strlen(v) > FILTER_MAX_CHARS) {
            snprintf(err, errlen, "Invalid params: argument '%s' is longer than %d characters", a->name,
                     FILTER_MAX_CHARS);
            return PA_JSONRPC_INVALID_PARAMS;
        }
        if (!c->check_filter || c->check_filter(v, why, sizeof why)) return 0;
        snprintf(err, errlen, "Invalid params: argument '%s' is not a display filter: %s", a->name, why);
        return PA_JSONRPC_INVALID_PARAMS;
    }
    return 0;
}

json_t *pa_prompt_get(const pa_catalog *c, const pa_catalog_env *env, const json_t *params, int *code, char *err,
                      size_t errlen) {
    *code = PA_JSONRPC_INVALID_PARAMS;
    const char *name = json_string_value(json_object_get(params, "name"));
    const pa_prompt_def *p = NULL;
    for (size_t i = 0; name && i < c->nprompts && !p; i++)
        if (strcmp(c->prompts[i].name, name) == 0) p = &c->prompts[i];
    if (!p) {
        char names[512] = "";
        size_t n = 0;
        for (size_t i = 0; i < c->nprompts && n < sizeof names; i++) {
            int w = snprintf(names + n, sizeof names - n, "%s%s", i ? ", " : "", c->prompts[i].name);
            if (w < 0) break;
            n += (size_t)w;
        }
        snprintf(err, errlen, "Invalid params: %s%.80s%s; prompts: %s",
                 name ? "unknown prompt '" : "prompts/get needs params.name", name ? name : "", name ? "'" : "", names);
        return NULL;
    }
    json_t *given = json_object_get(params, "arguments");
    if (given && !json_is_object(given) && !json_is_null(given)) {
        snprintf(err, errlen, "Invalid params: params.arguments must be an object of strings");
        return NULL;
    }
    char accepted[256];
    arg_names(p, accepted, sizeof accepted);
    json_t *args = json_object();
    const char *key;
    json_t *val;
    json_object_foreach(json_is_object(given) ? given : NULL, key, val) {
        const pa_prompt_arg *a = find_arg(p, key);
        if (!a) {
            snprintf(err, errlen, "Invalid params: prompt %s has no argument '%.80s'; arguments: %s", p->name, key,
                     accepted);
            json_decref(args);
            return NULL;
        }
        if (!json_is_string(val) || memchr(json_string_value(val), '\0', json_string_length(val))) {
            snprintf(err, errlen, "Invalid params: argument '%s' must be a string without NUL", key);
            json_decref(args);
            return NULL;
        }
        if (json_string_length(val) == 0) continue; /* a form's empty field: not given */
        int rc = check_value(c, env, a, json_string_value(val), err, errlen);
        if (rc) {
            *code = rc;
            json_decref(args);
            return NULL;
        }
        json_object_set(args, key, val);
    }
    for (size_t k = 0; k < PA_PROMPT_MAX_ARGS && p->args[k].name; k++) {
        if (p->args[k].required && !json_object_get(args, p->args[k].name)) {
            snprintf(err, errlen, "Invalid params: prompt %s needs the argument '%s' (%s)", p->name, p->args[k].name,
                     p->args[k].description);
            json_decref(args);
            return NULL;
        }
    }
    pa_buf text;
    pa_buf_init(&text, PROMPT_MAX_BYTES);
    p->render(env, args, &text);
    json_decref(args);
    json_t *res = NULL;
    if (!text.truncated && text.data)
        res = json_pack("{s:s, s:[{s:s, s:{s:s, s:s%}}]}", "description", p->description, "messages", "role", "user",
                        "content", "type", "text", "text", text.data, text.len);
    pa_buf_free(&text);
    if (!res) {
        *code = PA_JSONRPC_INTERNAL_ERROR;
        snprintf(err, errlen, "Internal error: the prompt %s could not be written", p->name);
    }
    return res;
}
