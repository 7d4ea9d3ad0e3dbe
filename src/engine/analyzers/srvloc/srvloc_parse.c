/* Service Location Protocol messages (srvloc_parse.h). */
#include "srvloc_parse.h"

#include <string.h>

#include "cursor.h"

const char *pa_srvloc_function_name(uint8_t f) {
    static const char *const names[] = {NULL,       "SrvRqst",  "SrvRply",  "SrvReg",      "SrvDereg",    "SrvAck",
                                        "AttrRqst", "AttrRply", "DAAdvert", "SrvTypeRqst", "SrvTypeRply", "SAAdvert"};
    return f < sizeof names / sizeof names[0] ? names[f] : NULL;
}

/* A language tag (RFC 1766): letters, digits and '-', starting with a letter. */
static bool lang_tag(const uint8_t *s, size_t n) {
    if (!n || n >= 16) return false;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = s[i];
        bool alpha = (b | 0x20) >= 'a' && (b | 0x20) <= 'z';
        if (!alpha && (i == 0 || b != '-') && !(b >= '0' && b <= '9')) return false;
    }
    return true;
}

/* A <length, string> of version 2, copied (printable ASCII, '?' for other
 * bytes) into out when out is not NULL. */
static bool string(pa_cur *c, char *out, size_t outlen) {
    uint16_t len;
    pa_cur s;
    if (!pa_cur_be16(c, &len) || !pa_cur_sub(c, len, &s)) return false;
    if (!out) return true;
    size_t w = 0;
    uint8_t b;
    while (w + 1 < outlen && pa_cur_u8(&s, &b)) out[w++] = (b >= 0x20 && b < 0x7f) ? (char)b : '?';
    out[w] = '\0';
    return true;
}

/* Authentication blocks: a count, then each block's descriptor and length. */
static bool auths(pa_cur *c, uint8_t count) {
    for (unsigned i = 0; i < count; i++) {
        uint16_t bsd, len;
        if (!pa_cur_be16(c, &bsd) || !pa_cur_be16(c, &len) || len < 4 || !pa_cur_skip(c, len - 4u)) return false;
    }
    return true;
}

static bool auth_list(pa_cur *c) {
    uint8_t n;
    return pa_cur_u8(c, &n) && auths(c, n);
}

/* A URL entry: reserved, lifetime, URL, its authentication blocks. */
static bool url_entry(pa_cur *c, pa_srvloc_msg *m) {
    uint8_t reserved;
    uint16_t lifetime;
    pa_srvloc_url *u = m->nurls < PA_SRVLOC_URLS ? &m->urls[m->nurls] : NULL;
    if (!pa_cur_u8(c, &reserved) || !pa_cur_be16(c, &lifetime)) return false;
    if (!string(c, u ? u->url : NULL, sizeof m->urls[0].url) || !auth_list(c)) return false;
    if (u) u->lifetime = lifetime;
    m->nurls++;
    return true;
}

static bool error(pa_cur *c, pa_srvloc_msg *m) {
    m->has_error = true;
    return pa_cur_be16(c, &m->error);
}

static bool body(pa_cur *c, pa_srvloc_msg *m) {
    uint16_t count;
    uint32_t stamp;
    switch (m->function) {
    case PA_SRVLOC_SRVRQST:
        return string(c, NULL, 0) && string(c, m->srvtype, sizeof m->srvtype) &&
               string(c, m->scopes, sizeof m->scopes) && string(c, NULL, 0) && string(c, NULL, 0);
    case PA_SRVLOC_SRVRPLY:
        if (!error(c, m) || !pa_cur_be16(c, &count)) return false;
        for (unsigned i = 0; i < count; i++)
            if (!url_entry(c, m)) return false;
        return true;
    case PA_SRVLOC_SRVREG:
        return url_entry(c, m) && string(c, m->srvtype, sizeof m->srvtype) && string(c, m->scopes, sizeof m->scopes) &&
               string(c, NULL, 0) && auth_list(c);
    case PA_SRVLOC_SRVDEREG: return string(c, m->scopes, sizeof m->scopes) && url_entry(c, m) && string(c, NULL, 0);
    case PA_SRVLOC_SRVACK: return error(c, m);
    case PA_SRVLOC_ATTRRQST:
        return string(c, NULL, 0) && string(c, NULL, 0) && string(c, m->scopes, sizeof m->scopes) &&
               string(c, NULL, 0) && string(c, NULL, 0);
    case PA_SRVLOC_ATTRRPLY: return error(c, m) && string(c, NULL, 0) && auth_list(c);
    case PA_SRVLOC_DAADVERT:
        if (!error(c, m) || !pa_cur_be32(c, &stamp)) return false;
        if (!string(c, m->urls[0].url, sizeof m->urls[0].url)) return false;
        m->nurls = 1;
        return string(c, m->scopes, sizeof m->scopes) && string(c, NULL, 0) && string(c, NULL, 0) && auth_list(c);
    case PA_SRVLOC_SRVTYPERQST: {
        uint16_t na;
        if (!string(c, NULL, 0) || !pa_cur_be16(c, &na)) return false;
        if (na != 0xFFFF && !pa_cur_skip(c, na)) return false; /* 0xFFFF: every naming authority */
        return string(c, m->scopes, sizeof m->scopes);
    }
    case PA_SRVLOC_SRVTYPERPLY: return error(c, m) && string(c, m->srvtype, sizeof m->srvtype);
    case PA_SRVLOC_SAADVERT:
        if (!string(c, m->urls[0].url, sizeof m->urls[0].url)) return false;
        m->nurls = 1;
        return string(c, m->scopes, sizeof m->scopes) && string(c, NULL, 0) && auth_list(c);
    default: return false;
    }
}

static bool v2(pa_cur *c, size_t n, pa_srvloc_msg *m) {
    uint16_t langlen;
    if (!pa_cur_be24(c, &m->length) || m->length != n || !pa_cur_be16(c, &m->flags) || !pa_cur_be24(c, &m->nextext) ||
        !pa_cur_be16(c, &m->xid) || !pa_cur_be16(c, &langlen))
        return false;
    if (m->nextext > n || c->len < langlen || !lang_tag(c->p, langlen)) return false;
    memcpy(m->lang, c->p, langlen);
    if (!pa_cur_skip(c, langlen)) return false;
    pa_cur b = *c;
    m->body = body(&b, m);
    return true;
}

static bool v1(pa_cur *c, size_t n, pa_srvloc_msg *m) {
    uint16_t len;
    uint8_t flags, code[2];
    if (!pa_cur_be16(c, &len) || len != n || !pa_cur_u8(c, &flags) || !pa_cur_u8(c, &m->dialect) ||
        !pa_cur_copy(c, code, 2) || !pa_cur_be16(c, &m->encoding) || !pa_cur_be16(c, &m->xid))
        return false;
    if (!lang_tag(code, 2) || (flags & 7)) return false; /* the low three flag bits are reserved, zero */
    m->length = len;
    m->flags = flags;
    memcpy(m->lang, code, 2);
    return true;
}

bool pa_srvloc_parse(const uint8_t *p, size_t n, pa_srvloc_msg *m) {
    memset(m, 0, sizeof *m);
    pa_cur c = pa_cur_make(p, n);
    if (!pa_cur_u8(&c, &m->version) || !pa_cur_u8(&c, &m->function)) return false;
    if (!pa_srvloc_function_name(m->function)) return false;
    if (m->version == 2) return v2(&c, n, m);
    if (m->version == 1) return v1(&c, n, m);
    return false;
}
