#include "http_parse.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A request method is any RFC 9110 token; we accept the upper-case ones
 * (every registered method, and extensions such as Cisco's CCM_POST) of 3 to
 * 15 characters, followed by a space or, for a bare "METHOD" line, the end of
 * the line. Returns the method's length, or 0. */
static size_t method_len(const uint8_t *p, size_t n) {
    size_t k = 0;
    while (k < n && k < 16 && ((p[k] >= 'A' && p[k] <= 'Z') || p[k] == '_' || p[k] == '-')) k++;
    if (k < 3 || k > 15 || k == n) return 0;
    return p[k] == ' ' || p[k] == '\r' || p[k] == '\n' ? k : 0;
}

bool pa_http_looks_like_start(const uint8_t *p, size_t n) {
    if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) return true;
    return method_len(p, n) > 0;
}

/* Copies a header value (or token) as printable text, cut to the field. */
static void copy_field(char *dst, size_t size, const uint8_t *s, size_t n) {
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < size; i++) dst[o++] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '?';
    dst[o] = '\0';
}

static bool eq_ci(const uint8_t *a, size_t n, const char *b) {
    return strlen(b) == n && strncasecmp((const char *)a, b, n) == 0;
}

pa_http_head_status pa_http_parse_head(const uint8_t *p, size_t n, pa_http_head *h) {
    memset(h, 0, sizeof *h);
    h->content_length = -1;
    if (!pa_http_looks_like_start(p, n)) return PA_HTTP_HEAD_NOT_HTTP;
    /* start line */
    size_t eol = 0;
    while (eol < n && p[eol] != '\n') eol++;
    size_t line_end = eol > 0 && p[eol - 1] == '\r' ? eol - 1 : eol;
    if (memcmp(p, "HTTP/", 5) == 0) {
        const uint8_t *sp1 = memchr(p, ' ', line_end);
        if (!sp1) return PA_HTTP_HEAD_NOT_HTTP;
        size_t a = (size_t)(sp1 - p);
        h->request = false;
        if (a >= 8) h->version_minor = (uint8_t)(p[7] - '0');
        if (a + 4 > line_end || !isdigit(p[a + 1]) || !isdigit(p[a + 2]) || !isdigit(p[a + 3]))
            return PA_HTTP_HEAD_NOT_HTTP;
        h->status = (uint16_t)((p[a + 1] - '0') * 100 + (p[a + 2] - '0') * 10 + (p[a + 3] - '0'));
    } else {
        size_t a = method_len(p, n);
        h->request = true;
        copy_field(h->method, sizeof h->method, p, a);
        if (a < line_end) { /* "METHOD URI [VERSION]"; a bare "METHOD" has no URI */
            const uint8_t *sp1 = p + a;
            const uint8_t *sp2 = memchr(sp1 + 1, ' ', line_end - a - 1);
            size_t ulen = sp2 ? (size_t)(sp2 - sp1 - 1) : line_end - a - 1;
            copy_field(h->uri, sizeof h->uri, sp1 + 1, ulen);
            if (sp2 && line_end >= 8 && memcmp(p + line_end - 8, "HTTP/1.", 7) == 0)
                h->version_minor = (uint8_t)(p[line_end - 1] - '0');
        }
    }
    bool keep_alive = false;
    h->close = h->version_minor == 0;
    /* headers */
    size_t pos = eol + 1;
    while (pos < n) {
        size_t e = pos;
        while (e < n && p[e] != '\n') e++;
        size_t le = e > pos && p[e - 1] == '\r' ? e - 1 : e;
        if (le == pos) break; /* blank line: end of head */
        const uint8_t *colon = memchr(p + pos, ':', le - pos);
        if (colon) {
            size_t nl = (size_t)(colon - (p + pos));
            const uint8_t *v = colon + 1;
            while (v < p + le && (*v == ' ' || *v == '\t')) v++;
            size_t vl = (size_t)(p + le - v);
            while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t')) vl--;
            if (eq_ci(p + pos, nl, "Host"))
                copy_field(h->host, sizeof h->host, v, vl);
            else if (eq_ci(p + pos, nl, "User-Agent"))
                copy_field(h->user_agent, sizeof h->user_agent, v, vl);
            else if (eq_ci(p + pos, nl, "Content-Type"))
                copy_field(h->content_type, sizeof h->content_type, v, vl);
            else if (eq_ci(p + pos, nl, "Content-Length")) {
                int64_t x = 0;
                size_t i = 0;
                for (; i < vl && isdigit(v[i]) && x < (int64_t)1 << 50; i++) x = x * 10 + (v[i] - '0');
                if (i > 0) h->content_length = x;
            } else if (eq_ci(p + pos, nl, "Transfer-Encoding")) {
                for (size_t i = 0; i + 7 <= vl; i++)
                    if (strncasecmp((const char *)v + i, "chunked", 7) == 0) h->chunked = true;
            } else if (eq_ci(p + pos, nl, "Connection")) {
                for (size_t i = 0; i + 5 <= vl; i++)
                    if (strncasecmp((const char *)v + i, "close", 5) == 0) h->close = true;
                for (size_t i = 0; i + 10 <= vl; i++)
                    if (strncasecmp((const char *)v + i, "keep-alive", 10) == 0) keep_alive = true;
            }
        }
        pos = e + 1;
    }
    if (keep_alive) h->close = false;
    return PA_HTTP_HEAD_OK;
}
