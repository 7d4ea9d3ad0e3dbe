/* SSDP messages (ssdp_parse.h). */
#include "ssdp_parse.h"

#include <string.h>
#include <strings.h>

#include "cursor.h"

/* The next line of *c: its text (without the line end) and the whole line
 * (with it); a last line without an end is a line too, as tshark reads it. */
static bool next_line(pa_cur *c, pa_ssdp_str *text, pa_ssdp_str *whole) {
    if (!c->len) return false;
    const uint8_t *nl = memchr(c->p, '\n', c->len);
    size_t k = nl ? (size_t)(nl - c->p) + 1 : c->len;
    size_t t = nl ? k - 1 : k;
    if (t && c->p[t - 1] == '\r') t--;
    *text = (pa_ssdp_str){c->p, t};
    *whole = (pa_ssdp_str){c->p, k};
    return pa_cur_skip(c, k);
}

static bool is_token(const uint8_t *p, size_t n) {
    if (!n || n > 32) return false;
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= 'A' && p[i] <= 'Z') || p[i] == '-' || p[i] == '_')) return false;
    return true;
}

/* "M-SEARCH * HTTP/1.1" or "HTTP/1.1 200 OK". */
static bool start_line(pa_ssdp_str l, pa_ssdp_msg *m) {
    if (l.n >= 12 && memcmp(l.p, "HTTP/1.", 7) == 0 && l.p[8] == ' ') {
        uint16_t s = 0;
        for (size_t i = 9; i < 12; i++) {
            if (l.p[i] < '0' || l.p[i] > '9') return false;
            s = (uint16_t)(s * 10 + (l.p[i] - '0'));
        }
        m->status = s;
        return true;
    }
    const uint8_t *sp = memchr(l.p, ' ', l.n);
    if (!sp || !is_token(l.p, (size_t)(sp - l.p))) return false;
    size_t mlen = (size_t)(sp - l.p);
    const uint8_t *u = sp + 1, *end = l.p + l.n;
    const uint8_t *sp2 = memchr(u, ' ', (size_t)(end - u));
    if (!sp2 || (size_t)(end - sp2) < 9 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0) return false;
    m->request = true;
    m->method = (pa_ssdp_str){l.p, mlen};
    m->uri = (pa_ssdp_str){u, (size_t)(sp2 - u)};
    return true;
}

static void header(pa_ssdp_str l, pa_ssdp_msg *m) {
    const uint8_t *colon = memchr(l.p, ':', l.n);
    if (!colon) return;
    size_t nlen = (size_t)(colon - l.p), v = nlen + 1;
    while (v < l.n && (l.p[v] == ' ' || l.p[v] == '\t')) v++;
    pa_ssdp_str val = {l.p + v, l.n - v};
    static const struct {
        const char *name;
        size_t at;
    } known[] = {{"host", offsetof(pa_ssdp_msg, host)},     {"st", offsetof(pa_ssdp_msg, st)},
                 {"nt", offsetof(pa_ssdp_msg, nt)},         {"nts", offsetof(pa_ssdp_msg, nts)},
                 {"usn", offsetof(pa_ssdp_msg, usn)},       {"location", offsetof(pa_ssdp_msg, location)},
                 {"server", offsetof(pa_ssdp_msg, server)}, {"cache-control", offsetof(pa_ssdp_msg, cache_control)}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strlen(known[i].name) != nlen || strncasecmp((const char *)l.p, known[i].name, nlen) != 0) continue;
        pa_ssdp_str *dst = (pa_ssdp_str *)((char *)m + known[i].at);
        if (!dst->p) *dst = val; /* the first of repeated headers */
        return;
    }
}

bool pa_ssdp_parse(const uint8_t *p, size_t n, pa_ssdp_msg *out) {
    memset(out, 0, sizeof *out);
    pa_cur c = pa_cur_make(p, n);
    pa_ssdp_str text, whole;
    if (!next_line(&c, &text, &whole) || !start_line(text, out)) return false;
    while (next_line(&c, &text, &whole)) {
        if (!text.n) break; /* the blank line ends the head */
        if (out->nlines < PA_SSDP_MAX_LINES)
            out->lines[out->nlines++] = whole;
        else
            out->more_lines++;
        header(text, out);
    }
    return true;
}
