/* SIP messages and SDP bodies: every read through the bounds-checked cursor. */
#include "sip_parse.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cursor.h"

/* Skips n bytes, or to the end when fewer are left (a skip past a
 * separator that may be missing). */
static void drop(pa_cur *c, size_t n) {
    if (!pa_cur_skip(c, n)) c->len = 0;
}

/* The next line (without its CR LF) as its own cursor; false when no line
 * end is within the view. */
static bool next_line(pa_cur *c, pa_cur *line) {
    const uint8_t *nl = c->len ? memchr(c->p, '\n', c->len) : NULL;
    if (!nl) return false;
    size_t n = (size_t)(nl - c->p);
    if (!pa_cur_sub(c, n, line) || !pa_cur_skip(c, 1)) return false;
    uint8_t last;
    if (pa_cur_peek_u8(line, line->len ? line->len - 1 : 0, &last) && last == '\r') line->len--;
    return true;
}

static void trim(pa_cur *v) {
    while (v->len && (v->p[0] == ' ' || v->p[0] == '\t')) drop(v, 1);
    while (v->len && (v->p[v->len - 1] == ' ' || v->p[v->len - 1] == '\t')) v->len--;
}

/* Copies a view into a terminated string, cut to fit. */
static void put(char *dst, size_t size, pa_cur v) {
    size_t n = v.len < size - 1 ? v.len : size - 1;
    pa_cur w = v;
    if (!pa_cur_copy(&w, dst, n)) n = 0;
    dst[n] = '\0';
}

/* Up to the first byte in stop (or the end): taken from *c. */
static pa_cur token(pa_cur *c, const char *stop) {
    size_t i = 0;
    while (i < c->len && !strchr(stop, c->p[i])) i++;
    pa_cur t = {c->p, 0};
    if (!pa_cur_sub(c, i, &t)) t.len = 0;
    return t;
}

static bool eq(pa_cur v, const char *s) { return v.len == strlen(s) && strncasecmp((const char *)v.p, s, v.len) == 0; }

static bool uint_of(pa_cur v, uint64_t max, uint64_t *out) {
    if (!v.len || v.len > 19) return false;
    uint64_t x = 0;
    for (size_t i = 0; i < v.len; i++) {
        if (v.p[i] < '0' || v.p[i] > '9') return false;
        x = x * 10 + (uint64_t)(v.p[i] - '0');
    }
    if (x > max) return false;
    *out = x;
    return true;
}

/* The value of a ";name=" parameter in a header value. */
static void param(pa_cur v, const char *name, char *dst, size_t size) {
    size_t k = strlen(name);
    dst[0] = '\0';
    for (size_t i = 0; i + k + 1 <= v.len; i++) {
        if (v.p[i] != ';') continue;
        pa_cur r = v;
        if (!pa_cur_skip(&r, i + 1)) return;
        trim(&r);
        if (r.len > k && strncasecmp((const char *)r.p, name, k) == 0 && r.p[k] == '=') {
            drop(&r, k + 1);
            put(dst, size, token(&r, ";,> \t"));
            return;
        }
    }
}

/* Full names of the compact forms (RFC 3261 7.3.3 and later RFCs) that the
 * message keeps. */
static const char *full_name(pa_cur n) {
    if (n.len != 1) return NULL;
    switch (n.p[0] | 0x20) {
    case 'i': return "call-id";
    case 'f': return "from";
    case 't': return "to";
    case 'v': return "via";
    case 'l': return "content-length";
    case 'c': return "content-type";
    default: return NULL;
    }
}

static bool header(pa_sip_msg *m, pa_cur name, pa_cur v, bool *via_seen) {
    const char *full = full_name(name);
    pa_cur nm = name;
    if (full) nm = pa_cur_make((const uint8_t *)full, strlen(full));
    if (eq(nm, "call-id")) {
        put(m->call_id, sizeof m->call_id, v);
    } else if (eq(nm, "cseq")) {
        pa_cur r = v;
        uint64_t x;
        if (!uint_of(token(&r, " \t"), 0xffffffffu, &x)) return false;
        trim(&r);
        m->has_cseq = true;
        m->cseq = (uint32_t)x;
        put(m->cseq_method, sizeof m->cseq_method, token(&r, " \t"));
    } else if (eq(nm, "from")) {
        put(m->from, sizeof m->from, v);
        param(v, "tag", m->from_tag, sizeof m->from_tag);
    } else if (eq(nm, "to")) {
        put(m->to, sizeof m->to, v);
        param(v, "tag", m->to_tag, sizeof m->to_tag);
    } else if (eq(nm, "via")) {
        if (!*via_seen) param(v, "branch", m->via_branch, sizeof m->via_branch);
        *via_seen = true;
    } else if (eq(nm, "user-agent")) {
        put(m->user_agent, sizeof m->user_agent, v);
    } else if (eq(nm, "content-type")) {
        put(m->content_type, sizeof m->content_type, v);
    } else if (eq(nm, "content-length")) {
        uint64_t x;
        if (!uint_of(v, 0x7fffffff, &x)) return false;
        m->content_length = (int64_t)x;
    }
    return true;
}

bool pa_sip_looks(const uint8_t *d, size_t n) {
    static const char *const starts[] = {"SIP/2.0 ", "INVITE ",   "ACK ",   "BYE ",       "CANCEL ",
                                         "OPTIONS ", "REGISTER ", "PRACK ", "SUBSCRIBE ", "NOTIFY ",
                                         "PUBLISH ", "INFO ",     "REFER ", "MESSAGE ",   "UPDATE "};
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        size_t k = strlen(starts[i]);
        if (n >= k && memcmp(d, starts[i], k) == 0) return true;
    }
    return false;
}

static bool start_line(pa_cur line, pa_sip_msg *m) {
    pa_cur r = line;
    pa_cur first = token(&r, " ");
    if (!pa_cur_skip(&r, 1)) return false;
    if (eq(first, "SIP/2.0")) {
        uint64_t code;
        if (!uint_of(token(&r, " "), 699, &code) || code < 100) return false;
        m->status = (uint16_t)code;
        drop(&r, 1);
        put(m->reason, sizeof m->reason, r);
        return true;
    }
    for (size_t i = 0; i < first.len; i++)
        if (first.p[i] < 'A' || first.p[i] > 'Z') return false;
    if (!first.len) return false;
    m->request = true;
    put(m->method, sizeof m->method, first);
    put(m->ruri, sizeof m->ruri, token(&r, " "));
    trim(&r);
    return eq(r, "SIP/2.0");
}

int pa_sip_parse(const uint8_t *d, size_t n, bool stream, pa_sip_msg *out) {
    memset(out, 0, sizeof *out);
    out->content_length = -1;
    pa_cur all = pa_cur_make(d, n);
    pa_cur c = all;
    pa_cur_limit(&c, PA_SIP_HEAD_MAX);
    pa_cur line;
    if (!next_line(&c, &line)) return stream && n < PA_SIP_HEAD_MAX ? PA_SIP_MORE : PA_SIP_BAD;
    if (!start_line(line, out)) return PA_SIP_BAD;
    bool via_seen = false, ended = false;
    while (next_line(&c, &line)) {
        if (line.len == 0) {
            ended = true;
            break;
        }
        /* a folded line continues the previous header: its value is not kept */
        if (line.p[0] == ' ' || line.p[0] == '\t') continue;
        pa_cur name = token(&line, ":");
        if (!pa_cur_skip(&line, 1)) return PA_SIP_BAD;
        trim(&name);
        trim(&line);
        if (!header(out, name, line, &via_seen)) return PA_SIP_BAD;
    }
    if (!ended) return stream && n < PA_SIP_HEAD_MAX ? PA_SIP_MORE : PA_SIP_BAD;
    out->head_len = (uint32_t)(c.p - d);
    size_t rest = n - out->head_len;
    if (stream) {
        size_t want = out->content_length < 0 ? 0 : (size_t)out->content_length;
        if (rest < want) return PA_SIP_MORE;
        out->body_len = (uint32_t)want;
    } else if (out->content_length >= 0 && (size_t)out->content_length <= rest) {
        out->body_len = (uint32_t)out->content_length;
    } else {
        out->body_cut = out->content_length >= 0;
        out->body_len = (uint32_t)rest;
    }
    return PA_SIP_OK;
}

static bool addr_of(pa_cur v, pa_addr *a) {
    /* "IN IP4 192.0.2.1" or "IN IP6 2001:db8::1" (a multicast TTL after '/' dropped) */
    pa_cur r = v;
    if (!eq(token(&r, " "), "IN") || !pa_cur_skip(&r, 1)) return false;
    pa_cur fam = token(&r, " ");
    if (!pa_cur_skip(&r, 1)) return false;
    char s[64];
    put(s, sizeof s, token(&r, "/ "));
    memset(a, 0, sizeof *a);
    if (eq(fam, "IP4") && inet_pton(AF_INET, s, a->b) == 1) {
        a->family = 4;
        return true;
    }
    if (eq(fam, "IP6") && inet_pton(AF_INET6, s, a->b) == 1) {
        a->family = 6;
        return true;
    }
    return true; /* another form (a name, "$" placeholders): no address */
}

static void attribute(pa_cur v, pa_sdp_media *m) {
    pa_cur r = v;
    pa_cur name = token(&r, ":");
    drop(&r, 1);
    uint64_t x;
    if (eq(name, "rtcp-mux")) {
        m->rtcp_mux = true;
    } else if (eq(name, "rtcp")) {
        if (uint_of(token(&r, " "), 65535, &x)) m->rtcp_port = (uint16_t)x;
        if (pa_cur_skip(&r, 1)) (void)addr_of(r, &m->rtcp_addr);
    } else if (eq(name, "rtpmap") && m->nmap < PA_SDP_MAX_PT) {
        if (!uint_of(token(&r, " "), 127, &x) || !pa_cur_skip(&r, 1)) return;
        pa_sdp_rtpmap *p = &m->map[m->nmap];
        p->pt = (uint8_t)x;
        put(p->name, sizeof p->name, token(&r, "/"));
        p->rate = 0;
        if (pa_cur_skip(&r, 1) && uint_of(token(&r, "/"), 0xffffffffu, &x)) p->rate = (uint32_t)x;
        m->nmap++;
    }
}

bool pa_sdp_parse(const uint8_t *d, size_t n, pa_sdp *out) {
    memset(out, 0, sizeof *out);
    pa_cur c = pa_cur_make(d, n);
    pa_cur line;
    pa_addr session = {0};
    bool version = false, in_media = false;
    pa_sdp_media *m = NULL;
    while (c.len) {
        if (!next_line(&c, &line)) {
            line = c; /* the last line may lack its end */
            c.len = 0;
        }
        if (line.len < 2 || line.p[1] != '=') continue;
        uint8_t type = line.p[0];
        drop(&line, 2);
        if (type == 'v') version = true;
        if (type == 'm') {
            in_media = true;
            if (out->nmedia >= PA_SDP_MAX_MEDIA) {
                m = NULL;
                continue;
            }
            m = &out->media[out->nmedia++];
            memset(m, 0, sizeof *m);
            m->addr = session;
            put(m->type, sizeof m->type, token(&line, " "));
            drop(&line, 1);
            uint64_t x;
            if (!uint_of(token(&line, " /"), 65535, &x)) x = 0; /* "$" placeholders: no port */
            m->port = (uint16_t)x;
            if (line.len && line.p[0] == '/') (void)token(&line, " ");
            drop(&line, 1);
            put(m->proto, sizeof m->proto, token(&line, " "));
            while (pa_cur_skip(&line, 1)) {
                if (uint_of(token(&line, " "), 127, &x) && m->npt < PA_SDP_MAX_PT) m->pt[m->npt++] = (uint8_t)x;
            }
        } else if (type == 'c') {
            pa_addr a;
            if (!addr_of(line, &a)) continue;
            if (!in_media)
                session = a;
            else if (m)
                m->addr = a;
        } else if (type == 'a' && m) {
            attribute(line, m);
        }
    }
    return version;
}
