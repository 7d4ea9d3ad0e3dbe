/* HTTP/1.x message heads (start line and the headers reports use), and the
 * per-connection state that follows messages through a byte stream:
 * Content-Length and chunked bodies, pipelining, resynchronisation after a
 * gap. Requests are matched to responses in order (http.time). */
#ifndef PA_HTTP_PARSE_H
#define PA_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_HTTP_HEAD_MAX 16384 /* bytes of start line + headers kept while parsing */
#define PA_HTTP_FIELD 160      /* characters kept of URI, Host, User-Agent ... */

typedef struct pa_http_head {
    bool request;
    char method[16];
    char uri[PA_HTTP_FIELD];
    char host[PA_HTTP_FIELD];
    char user_agent[PA_HTTP_FIELD];
    char content_type[64];
    uint16_t status;
    uint8_t version_minor;
    int64_t content_length; /* -1 when absent */
    bool chunked;
    bool close; /* Connection: close, or HTTP/1.0 without keep-alive */
} pa_http_head;

typedef enum { PA_HTTP_HEAD_OK, PA_HTTP_HEAD_NOT_HTTP } pa_http_head_status;

/* Parses a complete head (through the blank line, n bytes). */
pa_http_head_status pa_http_parse_head(const uint8_t *p, size_t n, pa_http_head *out);
/* True when the bytes begin like an HTTP/1.x request or status line. */
bool pa_http_looks_like_start(const uint8_t *p, size_t n);

#endif
