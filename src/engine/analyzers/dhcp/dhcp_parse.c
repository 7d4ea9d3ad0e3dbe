/* BOOTP/DHCP messages: every read through the bounds-checked cursor. The
 * fixed header (236 bytes), the magic cookie, then options; with option 52
 * (overload) the file and then the sname fields hold more options, read in
 * that order as RFC 2131 4.1 says. */
#include "dhcp_parse.h"

#include <string.h>

#include "cursor.h"

#define SNAME_AT 44
#define FILE_AT 108
#define COOKIE_AT 236

const char *pa_dhcp_type_name(unsigned t) {
    static const char *const n[PA_DHCP_TYPES] = {NULL,
                                                 "Discover",
                                                 "Offer",
                                                 "Request",
                                                 "Decline",
                                                 "ACK",
                                                 "NAK",
                                                 "Release",
                                                 "Inform",
                                                 "Force Renew",
                                                 "Lease query",
                                                 "Lease Unassigned",
                                                 "Lease Unknown",
                                                 "Lease Active",
                                                 "Bulk Lease Query",
                                                 "Lease Query Done",
                                                 "Active LeaseQuery",
                                                 "Lease Query Status",
                                                 "TLS"};
    return t && t < PA_DHCP_TYPES ? n[t] : "Unknown";
}

bool pa_dhcp_header_ok(const uint8_t *d, size_t n) {
    pa_cur c = pa_cur_make(d, n);
    uint8_t op, htype, hlen;
    uint32_t cookie;
    if (n < COOKIE_AT || !pa_cur_u8(&c, &op) || !pa_cur_u8(&c, &htype) || !pa_cur_u8(&c, &hlen)) return false;
    if ((op != 1 && op != 2) || hlen > 16) return false;
    if (n >= COOKIE_AT + 4) {
        pa_cur k = pa_cur_make(d, n);
        if (!pa_cur_skip(&k, COOKIE_AT) || !pa_cur_be32(&k, &cookie) || cookie != 0x63825363) return false;
    }
    return true;
}

/* A string option: printable bytes kept, others as '.', NULs end it. */
static void take_str(pa_cur v, char *out, size_t cap) {
    size_t o = 0;
    uint8_t ch;
    while (o + 1 < cap && pa_cur_u8(&v, &ch) && ch) out[o++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '.';
    out[o] = 0;
}

static bool take_ip(pa_cur v, uint8_t out[4]) { return v.len == 4 && pa_cur_copy(&v, out, 4); }

/* A list of IPv4 addresses: a multiple of 4 bytes. */
static bool take_ips(pa_cur v, uint8_t (*out)[4], uint8_t cap, uint8_t *kept, uint8_t *seen) {
    if (!v.len || v.len % 4) return false;
    for (uint8_t ip[4]; pa_cur_copy(&v, ip, 4);) {
        if (*seen < 255) (*seen)++;
        if (*kept < cap) memcpy(out[(*kept)++], ip, 4);
    }
    return true;
}

/* One option's value (its length already checked against the message). */
static bool option(pa_dhcp_msg *m, uint8_t code, pa_cur v) {
    switch (code) {
    case 1: return (m->has_mask = take_ip(v, m->mask));
    case 3: return take_ips(v, m->routers, PA_DHCP_MAX_ROUTERS, &m->nrouters, &m->nrouters_seen);
    case 6: return take_ips(v, m->dns, PA_DHCP_MAX_DNS, &m->ndns, &m->ndns_seen);
    case 12:
        if (!v.len) return false;
        m->has_hostname = true;
        take_str(v, m->hostname, sizeof m->hostname);
        return true;
    case 50: return (m->has_requested = take_ip(v, m->requested));
    case 51:
        if (v.len != 4) return false;
        m->has_lease = pa_cur_be32(&v, &m->lease);
        return m->has_lease;
    case 52: return v.len == 1 && pa_cur_u8(&v, &m->overload);
    case 53: return v.len == 1 && pa_cur_u8(&v, &m->type);
    case 54: return (m->has_server_id = take_ip(v, m->server_id));
    case 55:
        for (uint8_t p; pa_cur_u8(&v, &p);)
            if (m->nparams < PA_DHCP_MAX_PARAMS) m->params[m->nparams++] = p;
        return true;
    case 56:
        m->has_message = true;
        take_str(v, m->message, sizeof m->message);
        return true;
    case 61:
        if (!v.len) return false;
        m->client_id_len = (uint8_t)(v.len < PA_DHCP_CLIENT_ID ? v.len : PA_DHCP_CLIENT_ID);
        return pa_cur_copy(&v, m->client_id, m->client_id_len);
    case 82: m->relay_agent = true; return true;
    default: return true;
    }
}

/* The options of one area; false when one runs past its end (an option
 * whose value has the wrong length is counted in bad_options and skipped,
 * as Wireshark marks it and reads on). *budget bounds the options read over
 * all areas. */
static bool options(pa_dhcp_msg *m, pa_cur c, const uint8_t *base, unsigned *budget) {
    while (c.len) {
        uint8_t code, len;
        if (!pa_cur_u8(&c, &code)) break;
        if (code == 0) continue;
        /* tshark 4.0 gives the End option dhcp.option.type 0 */
        if (m->ncodes < PA_DHCP_MAX_CODES) m->codes[m->ncodes++] = code == 255 ? 0 : code;
        if (code == 255) {
            m->end = true;
            return true;
        }
        pa_cur v;
        if (!(*budget)-- || !pa_cur_u8(&c, &len) || !pa_cur_sub(&c, len, &v)) {
            m->bad_at = (uint16_t)(c.p - base);
            return false;
        }
        m->noptions++;
        if (!option(m, code, v) && m->bad_options < UINT16_MAX) m->bad_options++;
    }
    return true;
}

pa_dhcp_status pa_dhcp_parse(const uint8_t *d, size_t n, pa_dhcp_msg *m) {
    memset(m, 0, sizeof *m);
    if (!pa_dhcp_header_ok(d, n)) return PA_DHCP_NOT;
    pa_cur c = pa_cur_make(d, n);
    uint32_t cookie;
    pa_cur sname, file;
    if (!pa_cur_u8(&c, &m->op) || !pa_cur_u8(&c, &m->htype) || !pa_cur_u8(&c, &m->hlen) || !pa_cur_u8(&c, &m->hops) ||
        !pa_cur_be32(&c, &m->xid) || !pa_cur_be16(&c, &m->secs) || !pa_cur_be16(&c, &m->flags) ||
        !pa_cur_copy(&c, m->ciaddr, 4) || !pa_cur_copy(&c, m->yiaddr, 4) || !pa_cur_copy(&c, m->siaddr, 4) ||
        !pa_cur_copy(&c, m->giaddr, 4) || !pa_cur_copy(&c, m->chaddr, 16) ||
        !pa_cur_sub(&c, FILE_AT - SNAME_AT, &sname) || !pa_cur_sub(&c, COOKIE_AT - FILE_AT, &file))
        return PA_DHCP_NOT;
    m->mac = m->htype == 1 && m->hlen == 6;
    if (!pa_cur_be32(&c, &cookie)) return PA_DHCP_OK; /* BOOTP without options */
    m->cookie = true;
    unsigned budget = PA_DHCP_MAX_OPTIONS;
    if (!options(m, c, d, &budget)) return PA_DHCP_MALFORMED;
    /* the overloaded fields are read only when the options asked for it,
     * and do not ask again */
    uint8_t ov = m->overload;
    if ((ov & 1) && !options(m, file, d, &budget)) return PA_DHCP_MALFORMED;
    if ((ov & 2) && !options(m, sname, d, &budget)) return PA_DHCP_MALFORMED;
    return PA_DHCP_OK;
}
