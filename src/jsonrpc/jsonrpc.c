#include "jsonrpc.h"

#include "util_buf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rejects absurd nesting before the parser recurses into it. Brackets inside
 * strings do not count; escapes are skipped. */
static bool depth_ok(const char *s, size_t len, size_t max_depth) {
    size_t depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
            continue;
        }
        if (c == '"')
            in_str = true;
        else if (c == '[' || c == '{') {
            if (++depth > max_depth) return false;
        } else if ((c == ']' || c == '}') && depth)
            depth--;
    }
    return true;
}

static void invalid(pa_jsonrpc_msg *m, int code, const char *msg) {
    m->kind = PA_MSG_INVALID;
    m->err_code = code;
    snprintf(m->err_msg, sizeof m->err_msg, "%s", msg);
    /* jansson's messages quote the offending input bytes */
    pa_utf8_sanitize(m->err_msg, strlen(m->err_msg));
}

void pa_jsonrpc_parse(const char *line, size_t len, size_t max_depth, pa_jsonrpc_msg *m) {
    memset(m, 0, sizeof *m);
    if (!depth_ok(line, len, max_depth)) {
        char msg[128];
        snprintf(msg, sizeof msg, "Parse error: JSON nested deeper than %zu levels", max_depth);
        invalid(m, PA_JSONRPC_PARSE_ERROR, msg);
        return;
    }
    json_error_t jerr;
    /* JSON_ALLOW_NUL: a "\u0000" inside a string is valid JSON; the argument
     * checks refuse it with a message naming the argument. */
    m->root = json_loadb(line, len, JSON_ALLOW_NUL | JSON_DECODE_ANY, &jerr);
    if (!m->root) {
        char msg[256];
        snprintf(msg, sizeof msg, "Parse error: %s (at byte %d)", jerr.text, jerr.position);
        invalid(m, PA_JSONRPC_PARSE_ERROR, msg);
        return;
    }
    if (json_is_array(m->root)) {
        invalid(m, PA_JSONRPC_INVALID_REQUEST,
                "Invalid Request: JSON-RPC batches are not supported (MCP 2025-06-18 removed "
                "them); send one message per line");
        return;
    }
    if (!json_is_object(m->root)) {
        invalid(m, PA_JSONRPC_INVALID_REQUEST, "Invalid Request: a message must be a JSON object");
        return;
    }
    json_t *id = json_object_get(m->root, "id");
    bool has_id = id != NULL;
    bool id_ok = id && (json_is_string(id) || json_is_integer(id));
    if (id_ok) m->id = id;

    json_t *ver = json_object_get(m->root, "jsonrpc");
    if (!json_is_string(ver) || strcmp(json_string_value(ver), "2.0") != 0) {
        invalid(m, PA_JSONRPC_INVALID_REQUEST, "Invalid Request: member \"jsonrpc\" must be the string \"2.0\"");
        return;
    }
    json_t *method = json_object_get(m->root, "method");
    if (!method) {
        if (has_id && (json_object_get(m->root, "result") || json_object_get(m->root, "error"))) {
            m->kind = PA_MSG_RESPONSE;
            return;
        }
        invalid(m, PA_JSONRPC_INVALID_REQUEST, "Invalid Request: member \"method\" is missing");
        return;
    }
    if (!json_is_string(method)) {
        invalid(m, PA_JSONRPC_INVALID_REQUEST, "Invalid Request: \"method\" must be a string");
        return;
    }
    if (has_id && !id_ok) {
        invalid(m, PA_JSONRPC_INVALID_REQUEST,
                "Invalid Request: \"id\" must be a string or an integer (MCP does not allow "
                "null)");
        return;
    }
    m->method = json_string_value(method);
    json_t *params = json_object_get(m->root, "params");
    if (!has_id) {
        /* A notification is never answered, not even to say its params are
         * malformed: unusable params are simply not passed on. */
        m->params = json_is_object(params) ? params : NULL;
        m->kind = PA_MSG_NOTIFICATION;
        return;
    }
    if (params && !json_is_object(params)) {
        if (json_is_array(params))
            invalid(m, PA_JSONRPC_INVALID_PARAMS,
                    "Invalid params: \"params\" must be an object (MCP uses named parameters)");
        else
            invalid(m, PA_JSONRPC_INVALID_REQUEST, "Invalid Request: \"params\" must be an object when present");
        return;
    }
    m->params = params;
    m->kind = PA_MSG_REQUEST;
}

void pa_jsonrpc_msg_free(pa_jsonrpc_msg *m) {
    json_decref(m->root);
    m->root = NULL;
}

static json_t *id_copy(const json_t *id) { return id ? json_deep_copy(id) : json_null(); }

json_t *pa_jsonrpc_result(const json_t *id, json_t *result) {
    return json_pack("{s:s, s:o, s:o}", "jsonrpc", "2.0", "id", id_copy(id), "result", result ? result : json_object());
}

json_t *pa_jsonrpc_error(const json_t *id, int code, const char *message, json_t *data) {
    json_t *err = json_pack("{s:i, s:s}", "code", code, "message", message);
    if (err && data)
        json_object_set_new(err, "data", data);
    else
        json_decref(data);
    return json_pack("{s:s, s:o, s:o}", "jsonrpc", "2.0", "id", id_copy(id), "error", err);
}

json_t *pa_jsonrpc_notification(const char *method, json_t *params) {
    json_t *n = json_pack("{s:s, s:s}", "jsonrpc", "2.0", "method", method);
    if (n && params)
        json_object_set_new(n, "params", params);
    else
        json_decref(params);
    return n;
}

char *pa_jsonrpc_dump(const json_t *msg, size_t *len) {
    /* JSON_COMPACT keeps it on one line: jansson escapes control characters
     * in strings, so no raw newline can appear. */
    char *s = json_dumps(msg, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(16));
    if (s && len) *len = strlen(s);
    return s;
}
