/* DHCPv6 messages: every read through the bounds-checked cursor. A client
 * or server message is a type, a 24-bit transaction id and options; a relay
 * message (12, 13) is a type, a hop count, two addresses and options, one of
 * which (9) holds the relayed message. Options nest (IA_NA > IAADDR > Status
 * Code), at most four deep. */
#include "dhcpv6_parse.h"

#include <string.h>

#include "cursor.h"

#define MAX_NEST 4

const char *pa_dhcpv6_type_name(unsigned t) {
    static const char *const n[] = {NULL,         "Solicit",    "Advertise",   "Request",
                                    "Confirm",    "Renew",      "Rebind",      "Reply",
                                    "Release",    "Decline",    "Reconfigure", "Information-request",
                                    "Relay-forw", "Relay-reply"};
    if (t && t < sizeof n / sizeof n[0]) return n[t];
    return t && t < PA_DHCPV6_TYPES ? "Other" : "Unknown";
}

static bool is_relay(uint8_t t) { return t == PA_DHCPV6_RELAY_FORW || t == PA_DHCPV6_RELAY_REPL; }

bool pa_dhcpv6_look(const uint8_t *d, size_t n) {
    pa_cur c = pa_cur_make(d, n);
    uint8_t type;
    if (!pa_cur_u8(&c, &type) || type < 1 || type >= PA_DHCPV6_TYPES) return false;
    if (!pa_cur_skip(&c, is_relay(type) ? 33 : 3)) return false;
    for (int k = 0; k < PA_DHCPV6_MAX_OPTIONS && c.len; k++) {
        uint16_t code, len;
        if (!pa_cur_be16(&c, &code) || !pa_cur_be16(&c, &len) || !pa_cur_skip(&c, len)) return false;
    }
    return c.len == 0;
}

typedef struct walk {
    pa_dhcpv6_msg *m;
    unsigned budget;
    bool bad;
    bool relay;   /* the options are a relay message's */
    pa_cur inner; /* its Relay Message option */
    bool has_inner;
} walk;

static void status(pa_dhcpv6_msg *m, pa_cur v) {
    uint16_t code;
    if (!pa_cur_be16(&v, &code)) return;
    bool first = !m->has_status || (!m->status && code);
    m->has_status = true;
    if (!first) return;
    m->status = code;
    size_t o = 0;
    uint8_t ch;
    while (o + 1 < sizeof m->status_msg && pa_cur_u8(&v, &ch))
        m->status_msg[o++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '.';
    m->status_msg[o] = 0;
}

/* A domain list (RFC 1035 names, uncompressed), joined by ',' into the
 * message's text, cut at its cap. */
static void domains(pa_dhcpv6_msg *m, pa_cur v) {
    size_t o = strlen(m->domains);
    const size_t cap = sizeof m->domains;
    for (int names = 0; v.len && names < 64; names++) {
        if (o && o + 1 < cap) m->domains[o++] = ',';
        for (int labels = 0; labels < 128; labels++) {
            uint8_t len;
            pa_cur lab;
            if (!pa_cur_u8(&v, &len) || !len || !pa_cur_sub(&v, len, &lab)) break;
            if (labels && o + 1 < cap) m->domains[o++] = '.';
            for (uint8_t ch; pa_cur_u8(&lab, &ch);)
                if (o + 1 < cap) m->domains[o++] = (ch > 0x20 && ch < 0x7f) ? (char)ch : '.';
        }
        if (m->ndomains < 255) m->ndomains++;
    }
    m->domains[o] = 0;
}

static void options(walk *w, pa_cur c, int depth);

static void option(walk *w, uint16_t code, pa_cur v, int depth) {
    pa_dhcpv6_msg *m = w->m;
    uint32_t iaid, t1, t2;
    switch (code) {
    case 1:
        m->client_duid_full = (uint16_t)v.len;
        m->client_duid_len = (uint8_t)(v.len < PA_DHCPV6_DUID ? v.len : PA_DHCPV6_DUID);
        if (!pa_cur_copy(&v, m->client_duid, m->client_duid_len)) m->client_duid_len = 0;
        return;
    case 2:
        m->server_duid_len = (uint8_t)(v.len < PA_DHCPV6_DUID ? v.len : PA_DHCPV6_DUID);
        if (!pa_cur_copy(&v, m->server_duid, m->server_duid_len)) m->server_duid_len = 0;
        return;
    case 3:  /* IA_NA */
    case 25: /* IA_PD */
        if (!pa_cur_be32(&v, &iaid) || !pa_cur_be32(&v, &t1) || !pa_cur_be32(&v, &t2)) {
            w->bad = true;
            return;
        }
        if (!m->nia_na && !m->nia_pd) {
            m->iaid = iaid;
            m->t1 = t1;
            m->t2 = t2;
        }
        if (m->nias < PA_DHCPV6_MAX_IAS) {
            m->ia_t1[m->nias] = t1;
            m->ia_t2[m->nias++] = t2;
        }
        if (code == 3 && m->nia_na < 255) m->nia_na++;
        if (code == 25 && m->nia_pd < 255) m->nia_pd++;
        options(w, v, depth + 1);
        return;
    case 4: /* IA_TA */
        if (!pa_cur_be32(&v, &iaid)) {
            w->bad = true;
            return;
        }
        options(w, v, depth + 1);
        return;
    case 5: { /* IAADDR */
        pa_dhcpv6_addr a;
        if (!pa_cur_copy(&v, a.ip, 16) || !pa_cur_be32(&v, &a.preferred) || !pa_cur_be32(&v, &a.valid)) {
            w->bad = true;
            return;
        }
        if (m->naddrs < PA_DHCPV6_MAX_ADDRS) m->addrs[m->naddrs++] = a;
        options(w, v, depth + 1);
        return;
    }
    case 26: { /* IAPREFIX */
        pa_dhcpv6_prefix p;
        if (!pa_cur_be32(&v, &p.preferred) || !pa_cur_be32(&v, &p.valid) || !pa_cur_u8(&v, &p.len) ||
            !pa_cur_copy(&v, p.prefix, 16)) {
            w->bad = true;
            return;
        }
        if (m->nprefixes < PA_DHCPV6_MAX_PREFIXES) m->prefixes[m->nprefixes++] = p;
        options(w, v, depth + 1);
        return;
    }
    case 9:
        if (w->relay && !w->has_inner) {
            w->inner = v;
            w->has_inner = true;
        }
        return;
    case 13: status(m, v); return;
    case 14: m->rapid_commit = true; return;
    case 23:
        if (v.len % 16) {
            w->bad = true;
            return;
        }
        for (uint8_t ip[16]; pa_cur_copy(&v, ip, 16);)
            if (m->ndns < PA_DHCPV6_MAX_DNS) memcpy(m->dns[m->ndns++], ip, 16);
        return;
    case 24: domains(m, v); return;
    default: return;
    }
}

static void options(walk *w, pa_cur c, int depth) {
    if (depth > MAX_NEST) return;
    while (c.len && !w->bad) {
        uint16_t code, len;
        pa_cur v;
        if (!w->budget || !pa_cur_be16(&c, &code) || !pa_cur_be16(&c, &len) || !pa_cur_sub(&c, len, &v)) {
            w->bad = true;
            return;
        }
        w->budget--;
        w->m->noptions++;
        option(w, code, v, depth);
    }
}

pa_dhcpv6_status pa_dhcpv6_parse(const uint8_t *d, size_t n, pa_dhcpv6_msg *m) {
    memset(m, 0, sizeof *m);
    pa_cur c = pa_cur_make(d, n);
    walk w = {.m = m, .budget = PA_DHCPV6_MAX_OPTIONS};
    for (unsigned level = 0;; level++) {
        uint8_t type;
        if (!pa_cur_u8(&c, &type) || !type) return level ? PA_DHCPV6_MALFORMED : PA_DHCPV6_NOT;
        if (!level) m->outer_type = type;
        m->type = type;
        m->types[m->ntypes++] = type;
        if (is_relay(type)) {
            uint8_t hop;
            if (!pa_cur_u8(&c, &hop) || !pa_cur_copy(&c, m->link_addr, 16) || !pa_cur_copy(&c, m->peer_addr, 16))
                return level ? PA_DHCPV6_MALFORMED : PA_DHCPV6_NOT;
            if (!level) m->hopcount = hop;
            w.relay = true;
            w.has_inner = false;
            options(&w, c, 0);
            if (w.bad) return PA_DHCPV6_MALFORMED;
            if (!w.has_inner) return PA_DHCPV6_OK; /* a relay message with nothing relayed */
            if (level + 1 > PA_DHCPV6_MAX_RELAY) return PA_DHCPV6_MALFORMED;
            m->relays++;
            c = w.inner;
            continue;
        }
        uint32_t xid;
        if (!pa_cur_be24(&c, &xid)) return level ? PA_DHCPV6_MALFORMED : PA_DHCPV6_NOT;
        m->has_xid = true;
        m->xid = xid;
        w.relay = false;
        options(&w, c, 0);
        return w.bad ? PA_DHCPV6_MALFORMED : PA_DHCPV6_OK;
    }
}
