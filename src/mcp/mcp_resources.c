/* resources/list, resources/templates/list and resources/read over the
 * catalog (mcp_catalog.h). Template URIs carry a capture file name
 * percent-encoded in place of {file}, as RFC 6570 simple expansion writes it. */
#include <stdio.h>
#include <string.h>

#include "jsonrpc.h"
#include "mcp_catalog.h"
#include "pa_limits.h"

bool pa_catalog_has_tool(const pa_catalog_env *env, const char *tool) {
    return tool && env->reg && pa_registry_find(env->reg, tool) != NULL;
}

const pa_resource_template_def *pa_catalog_template(const pa_catalog *c, const pa_catalog_env *env,
                                                    const char *uri_template) {
    for (size_t i = 0; i < c->ntemplates; i++)
        if (strcmp(c->templates[i].uri_template, uri_template) == 0 && pa_catalog_has_tool(env, c->templates[i].tool))
            return &c->templates[i];
    return NULL;
}

/* The literal text around "{file}". */
static void template_parts(const pa_resource_template_def *t, size_t *prefix_len, const char **suffix) {
    const char *v = strstr(t->uri_template, "{file}");
    *prefix_len = v ? (size_t)(v - t->uri_template) : strlen(t->uri_template);
    *suffix = v ? v + 6 : "";
}

static bool unreserved(unsigned char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
           ch == '_' || ch == '~';
}

/* The template's URI for one file; false when it does not fit. */
static bool template_uri(const pa_resource_template_def *t, const char *file, char *out, size_t outlen) {
    size_t plen;
    const char *suffix;
    template_parts(t, &plen, &suffix);
    size_t n = 0;
    if (plen >= outlen) return false;
    memcpy(out, t->uri_template, plen);
    n = plen;
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)file; *p; p++) {
        if (n + 4 >= outlen) return false;
        if (unreserved(*p)) {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    int k = snprintf(out + n, outlen - n, "%s", suffix);
    return k >= 0 && (size_t)k < outlen - n;
}

static int hexval(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Percent-decodes n bytes of s; false on a broken escape, a NUL or an
 * overlong result. */
static bool uri_decode(const char *s, size_t n, char *out, size_t outlen) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int ch = (unsigned char)s[i];
        if (ch == '%') {
            if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0) return false;
            ch = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
            i += 2;
        }
        if (ch == 0 || k + 1 >= outlen) return false;
        out[k++] = (char)ch;
    }
    out[k] = '\0';
    return true;
}

json_t *pa_resource_templates_list(const pa_catalog *c, const pa_catalog_env *env) {
    json_t *list = json_array();
    for (size_t i = 0; i < c->ntemplates; i++) {
        const pa_resource_template_def *t = &c->templates[i];
        if (!pa_catalog_has_tool(env, t->tool)) continue;
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:s, s:s, s:s}", "uriTemplate", t->uri_template, "name", t->name,
                                        "title", t->title, "description", t->description, "mimeType", t->mime_type));
    }
    return json_pack("{s:o}", "resourceTemplates", list);
}

json_t *pa_resources_list(const pa_catalog *c, const pa_catalog_env *env) {
    json_t *list = json_array();
    for (size_t i = 0; i < c->nresources; i++) {
        const pa_resource_def *r = &c->resources[i];
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "uri", r->uri, "name", r->name, "title",
                                              r->title, "description", r->description, "mimeType", r->mime_type));
    }
    /* Each capture file once, through the first template offered (the
     * summary): a client then shows the files a model can open. */
    const pa_resource_template_def *t = NULL;
    for (size_t i = 0; i < c->ntemplates && !t; i++)
        if (pa_catalog_has_tool(env, c->templates[i].tool)) t = &c->templates[i];
    if (t && c->files) {
        json_t *files = json_array();
        c->files(env->cfg, "", PA_CATALOG_MAX_FILES_LISTED, files);
        size_t i;
        json_t *f;
        json_array_foreach(files, i, f) {
            const char *name = json_string_value(json_object_get(f, "name"));
            char uri[3 * PA_MAX_PATH_ARG + 64], title[PA_MAX_PATH_ARG + 64], desc[160];
            if (!name || !template_uri(t, name, uri, sizeof uri)) continue;
            snprintf(title, sizeof title, "%s: %s", t->title, name);
            snprintf(desc, sizeof desc, "%s of the %s capture %s (%lld bytes)", t->title,
                     json_string_value(json_object_get(f, "format")), name,
                     (long long)json_integer_value(json_object_get(f, "size_bytes")));
            json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "uri", uri, "name", name, "title", title,
                                                  "description", desc, "mimeType", t->mime_type));
        }
        json_decref(files);
    }
    return json_pack("{s:o}", "resources", list);
}

static json_t *text_contents(const char *uri, const char *mime, const char *text, size_t len) {
    json_t *item = json_pack("{s:s, s:s, s:s%}", "uri", uri, "mimeType", mime, "text", text, len);
    return item ? json_pack("{s:[o]}", "contents", item) : NULL;
}

json_t *pa_resource_read_fixed(const pa_catalog *c, const pa_catalog_env *env, const char *uri, int *code, char *err,
                               size_t errlen) {
    *code = 0;
    for (size_t i = 0; i < c->nresources; i++) {
        const pa_resource_def *r = &c->resources[i];
        if (strcmp(r->uri, uri) != 0) continue;
        pa_buf b;
        pa_buf_init(&b, PA_RESOURCE_MAX_BYTES);
        bool ok = r->read(env, &b) && !b.truncated;
        json_t *res = ok ? text_contents(uri, r->mime_type, b.data ? b.data : "", b.len) : NULL;
        pa_buf_free(&b);
        if (!res) {
            *code = PA_JSONRPC_INTERNAL_ERROR;
            snprintf(err, errlen, "Internal error: the resource %s could not be produced", uri);
        }
        return res;
    }
    return NULL;
}

const pa_resource_template_def *pa_resource_match(const pa_catalog *c, const pa_catalog_env *env, const char *uri,
                                                  json_t **tool_args, int *code, char *err, size_t errlen) {
    *tool_args = NULL;
    size_t ulen = strlen(uri);
    for (size_t i = 0; i < c->ntemplates; i++) {
        const pa_resource_template_def *t = &c->templates[i];
        size_t plen;
        const char *suffix;
        template_parts(t, &plen, &suffix);
        size_t slen = strlen(suffix);
        if (ulen <= plen + slen || strncmp(uri, t->uri_template, plen) != 0 || strcmp(uri + ulen - slen, suffix) != 0 ||
            !pa_catalog_has_tool(env, t->tool))
            continue;
        char file[PA_MAX_PATH_ARG + 1];
        if (!uri_decode(uri + plen, ulen - plen - slen, file, sizeof file)) {
            *code = PA_JSONRPC_INVALID_PARAMS;
            snprintf(err, errlen,
                     "Invalid params: the file name in '%.200s' is not a valid percent-encoded "
                     "name of at most %d bytes without NUL",
                     uri, PA_MAX_PATH_ARG);
            return NULL;
        }
        char why[512];
        pa_file_status st = c->check_file(env->cfg, file, why, sizeof why);
        if (st != PA_FILE_OK) {
            *code = st == PA_FILE_NOT_FOUND ? PA_MCP_RESOURCE_NOT_FOUND : PA_JSONRPC_INVALID_PARAMS;
            snprintf(err, errlen, "%s: %s", st == PA_FILE_NOT_FOUND ? "Resource not found" : "Invalid params", why);
            return NULL;
        }
        json_error_t je;
        json_t *args = json_loads(t->tool_args ? t->tool_args : "{}", 0, &je);
        if (!json_is_object(args) || json_object_set_new(args, "pcap_file", json_string(file))) {
            json_decref(args);
            *code = PA_JSONRPC_INTERNAL_ERROR;
            snprintf(err, errlen, "Internal error: the arguments of %s could not be built", t->tool);
            return NULL;
        }
        *tool_args = args;
        return t;
    }
    *code = PA_MCP_RESOURCE_NOT_FOUND;
    snprintf(err, errlen,
             "Resource not found: '%.200s' is not a resource of this server; resources/list and "
             "resources/templates/list name them",
             uri);
    return NULL;
}

json_t *pa_resource_contents(const pa_resource_template_def *t, const char *uri, const char *text, size_t len) {
    return text_contents(uri, t->mime_type, text, len);
}
