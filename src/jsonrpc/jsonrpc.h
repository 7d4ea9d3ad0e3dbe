/* JSON-RPC 2.0 messages: classifies one frame and builds replies. Knows
 * nothing of MCP methods. */
#ifndef PA_JSONRPC_H
#define PA_JSONRPC_H

#include <jansson.h>
#include <stddef.h>

enum {
    PA_JSONRPC_PARSE_ERROR = -32700,
    PA_JSONRPC_INVALID_REQUEST = -32600,
    PA_JSONRPC_METHOD_NOT_FOUND = -32601,
    PA_JSONRPC_INVALID_PARAMS = -32602,
    PA_JSONRPC_INTERNAL_ERROR = -32603,
    /* Implementation-defined server errors (-32000 to -32099). */
    PA_JSONRPC_NOT_INITIALIZED = -32002,
    PA_JSONRPC_SERVER_BUSY = -32001,
};

typedef enum {
    PA_MSG_REQUEST,      /* method + id: needs exactly one reply */
    PA_MSG_NOTIFICATION, /* method, no id: never replied to */
    PA_MSG_RESPONSE,     /* result/error from the peer */
    PA_MSG_INVALID,      /* err_code/err_msg say why; reply with id (may be null) */
} pa_msg_kind;

typedef struct pa_jsonrpc_msg {
    pa_msg_kind kind;
    json_t *root;       /* owned; free with pa_jsonrpc_msg_free */
    json_t *id;         /* borrowed from root; NULL when absent or unusable */
    const char *method; /* borrowed */
    json_t *params;     /* borrowed; NULL when absent */
    int err_code;
    char err_msg[256];
} pa_jsonrpc_msg;

/* Never fails to classify: bad JSON and bad shapes become PA_MSG_INVALID. */
void pa_jsonrpc_parse(const char *line, size_t len, size_t max_depth, pa_jsonrpc_msg *out);
void pa_jsonrpc_msg_free(pa_jsonrpc_msg *m);

/* Builders. `result`, `data` and `params` are stolen; `id` is borrowed
 * (copied) and may be NULL, which becomes JSON null. */
json_t *pa_jsonrpc_result(const json_t *id, json_t *result);
json_t *pa_jsonrpc_error(const json_t *id, int code, const char *message, json_t *data);
json_t *pa_jsonrpc_notification(const char *method, json_t *params);

/* Compact one-line serialisation; caller frees. NULL on failure. */
char *pa_jsonrpc_dump(const json_t *msg, size_t *len);

#endif
