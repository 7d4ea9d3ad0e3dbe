/* STUN message parsing (stun_parse.h). Every read goes through the cursor;
 * an attribute whose length runs past the message stops the walk. */
#include "stun_parse.h"

#include <string.h>

#include "cursor.h"

/* The method's 12 bits and the class's 2 are interleaved in the type
 * (RFC 8489 5: M11..M7 C1 M6..M4 C0 M3..M0). */
static void split_type(pa_stun_msg *m) {
    uint16_t t = m->type;
    m->method = (uint16_t)((t & 0x000F) | ((t & 0x00E0) >> 1) | ((t & 0x3E00) >> 2));
    m->cls = (uint8_t)(((t & 0x0010) >> 4) | ((t & 0x0100) >> 7));
}

/* Text of an attribute up to its first NUL (as Wireshark shows strings),
 * printable ASCII kept and anything else as '.', cut to the buffer
 * (results must stay valid UTF-8). */
static void text(char *out, const uint8_t *p, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n && p[i] && k + 1 < PA_STUN_TEXT; i++)
        out[k++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
    out[k] = 0;
}

static bool is_address(uint16_t t, bool *xored) {
    switch (t) {
    case 0x0001: /* MAPPED-ADDRESS */
    case 0x0002: /* RESPONSE-ADDRESS */
    case 0x0004: /* SOURCE-ADDRESS */
    case 0x0005: /* CHANGED-ADDRESS */
    case 0x000B: /* REFLECTED-FROM */
    case 0x8023: /* ALTERNATE-SERVER */
    case 0x802B: /* RESPONSE-ORIGIN */
    case 0x802C: /* OTHER-ADDRESS */ *xored = false; return true;
    case 0x0012: /* XOR-PEER-ADDRESS */
    case 0x0016: /* XOR-RELAYED-ADDRESS */
    case 0x0020: /* XOR-MAPPED-ADDRESS */
    case 0x8020: /* XOR-MAPPED-ADDRESS of the RFC 5389 drafts */ *xored = true; return true;
    default: return false;
    }
}

/* family (1 IPv4, 2 IPv6), port, address; XOR ones with the cookie (and
 * the transaction id for IPv6). */
static void address(pa_stun_msg *m, uint16_t att, bool xored, pa_cur v) {
    uint8_t reserved, fam;
    uint16_t port;
    m->addrs_seen++;
    if (!pa_cur_u8(&v, &reserved) || !pa_cur_u8(&v, &fam) || !pa_cur_be16(&v, &port)) return;
    size_t alen = fam == 1 ? 4 : fam == 2 ? 16 : 0;
    pa_stun_addr a;
    memset(&a, 0, sizeof a);
    if (!alen || !pa_cur_copy(&v, a.addr, alen) || m->naddrs >= PA_STUN_MAX_ADDRS) return;
    a.att = att;
    a.family = fam == 1 ? 4 : 6;
    a.xored = xored;
    a.port = port;
    a.raw_port[0] = (uint8_t)(port >> 8);
    a.raw_port[1] = (uint8_t)port;
    memcpy(a.raw, a.addr, sizeof a.raw);
    if (xored && !m->classic) {
        static const uint8_t cookie[4] = {0x21, 0x12, 0xA4, 0x42};
        a.port ^= 0x2112;
        for (size_t i = 0; i < alen; i++) a.addr[i] ^= i < 4 ? cookie[i] : m->id[i - 4];
    }
    m->addrs[m->naddrs++] = a;
}

static void attribute(pa_stun_msg *m, uint16_t t, pa_cur v) {
    bool xored;
    uint32_t u32;
    uint8_t b[4];
    if (is_address(t, &xored)) {
        address(m, t, xored, v);
        return;
    }
    switch (t) {
    case PA_STUN_A_ERROR_CODE:
        if (!pa_cur_copy(&v, b, 4)) return;
        m->has_error = true;
        m->error_code = (uint16_t)((b[2] & 7) * 100 + b[3]);
        text(m->reason, v.p, v.len);
        break;
    case PA_STUN_A_USERNAME:
        m->has_username = true;
        text(m->username, v.p, v.len);
        break;
    case PA_STUN_A_SOFTWARE:
        m->has_software = true;
        text(m->software, v.p, v.len);
        break;
    case PA_STUN_A_REALM:
        m->has_realm = true;
        text(m->realm, v.p, v.len);
        break;
    case PA_STUN_A_PRIORITY:
        if (pa_cur_be32(&v, &u32)) m->has_priority = true, m->priority = u32;
        break;
    case PA_STUN_A_USE_CANDIDATE: m->use_candidate = true; break;
    case PA_STUN_A_ICE_CONTROLLING: m->ice_controlling = true; break;
    case PA_STUN_A_ICE_CONTROLLED: m->ice_controlled = true; break;
    case PA_STUN_A_LIFETIME:
        if (pa_cur_be32(&v, &u32)) m->has_lifetime = true, m->lifetime = u32;
        break;
    case PA_STUN_A_REQUESTED_TRANSPORT:
        if (pa_cur_u8(&v, &b[0])) m->has_transport = true, m->transport = b[0];
        break;
    case PA_STUN_A_CHANNEL_NUMBER:
        if (pa_cur_copy(&v, b, 2)) m->has_channel = true, m->channel = (uint16_t)(b[0] << 8 | b[1]);
        break;
    case PA_STUN_A_MESSAGE_INTEGRITY:
    case PA_STUN_A_MESSAGE_INTEGRITY_SHA256: m->has_integrity = true; break;
    case PA_STUN_A_FINGERPRINT: break; /* attributes() checks it */
    default: break;
    }
}

/* CRC-32 (ISO-HDLC, as zlib's) of the bytes c holds. */
static uint32_t crc32(pa_cur c) {
    uint32_t crc = 0xFFFFFFFFu;
    uint8_t b;
    while (pa_cur_u8(&c, &b)) {
        crc ^= b;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

/* FINGERPRINT (RFC 8489 14.7): the CRC-32 of the message up to the
 * attribute (msg holds those bytes) XORed with 0x5354554e. */
static void fingerprint(pa_stun_msg *m, pa_cur msg, pa_cur v) {
    uint32_t got;
    if (!pa_cur_be32(&v, &got)) return;
    m->has_fingerprint = true;
    m->fingerprint = got;
    m->fingerprint_want = crc32(msg) ^ 0x5354554eu;
    m->fingerprint_ok = got == m->fingerprint_want;
}

/* The attributes in a (msg: the whole message from its header): type,
 * length, value padded to 4 bytes (classic STUN has no padding, but its
 * attributes are all multiples of 4). */
static pa_stun_status attributes(pa_stun_msg *m, pa_cur msg, pa_cur a) {
    while (a.len) {
        uint16_t t, l;
        pa_cur v;
        size_t at = msg.len - a.len; /* the attribute's offset in the message */
        if (m->natts >= PA_STUN_MAX_ATTRS || !pa_cur_be16(&a, &t) || !pa_cur_be16(&a, &l) || !pa_cur_sub(&a, l, &v))
            return PA_STUN_TRUNC;
        m->natts++;
        if (t == PA_STUN_A_FINGERPRINT && !m->classic) {
            pa_cur before = msg;
            pa_cur_limit(&before, at);
            fingerprint(m, before, v);
        }
        attribute(m, t, v);
        size_t pad = (4 - (l & 3)) & 3;
        if (pad && !pa_cur_skip(&a, pad > a.len ? a.len : pad)) return PA_STUN_TRUNC;
    }
    return PA_STUN_OK;
}

bool pa_stun_is_message(const uint8_t *d, size_t n, bool exact) {
    pa_cur c = pa_cur_make(d, n);
    uint16_t type, len;
    uint32_t cookie;
    if (!pa_cur_be16(&c, &type) || (type & 0xC000) || !pa_cur_be16(&c, &len) || (len & 3) ||
        (exact ? len + 20u != n : len + 20u > n))
        return false;
    if (!pa_cur_be32(&c, &cookie) || cookie != PA_STUN_COOKIE || !pa_cur_skip(&c, 12)) return false;
    pa_cur a;
    if (!pa_cur_sub(&c, len, &a)) return false;
    for (int k = 0; k < PA_STUN_MAX_ATTRS && a.len; k++) {
        uint16_t at, al;
        if (!pa_cur_be16(&a, &at) || !pa_cur_be16(&a, &al) || !pa_cur_skip(&a, ((size_t)al + 3) & ~(size_t)3))
            return false;
    }
    return a.len == 0;
}

pa_stun_status pa_stun_parse(const uint8_t *d, size_t n, bool exact, pa_stun_msg *m, size_t *used) {
    memset(m, 0, sizeof *m);
    pa_cur c = pa_cur_make(d, n);
    uint16_t len;
    uint32_t cookie;
    if (!pa_cur_be16(&c, &m->type) || (m->type & 0xC000) || !pa_cur_be16(&c, &len) || !pa_cur_be32(&c, &cookie) ||
        cookie != PA_STUN_COOKIE || !pa_cur_copy(&c, m->id, 12))
        return PA_STUN_NOT;
    m->length = len;
    split_type(m);
    /* a length that is not a multiple of 4 only when the message ends the
     * datagram (WhatsApp's TURN leaves its last attribute unpadded) */
    if ((len & 3) && !exact) return PA_STUN_NOT;
    pa_cur a;
    if (exact && len != c.len) return len > c.len ? PA_STUN_TRUNC : PA_STUN_NOT;
    if (!pa_cur_sub(&c, len, &a)) return PA_STUN_TRUNC;
    if (used) *used = 20u + len;
    return attributes(m, pa_cur_make(d, 20u + len), a);
}

pa_stun_status pa_stun_parse_classic(const uint8_t *d, size_t n, pa_stun_msg *m) {
    static const uint16_t types[] = {0x0001, 0x0101, 0x0111, 0x0002, 0x0102, 0x0112};
    memset(m, 0, sizeof *m);
    pa_cur c = pa_cur_make(d, n);
    uint16_t len;
    if (!pa_cur_be16(&c, &m->type) || !pa_cur_be16(&c, &len) || !pa_cur_copy(&c, m->id, 16) || len != c.len)
        return PA_STUN_NOT;
    bool known = false;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) known |= m->type == types[i];
    if (!known) return PA_STUN_NOT;
    m->classic = true;
    m->length = len;
    split_type(m);
    return attributes(m, pa_cur_make(d, n), c);
}

bool pa_stun_classic_strict(const uint8_t *d, size_t n) {
    pa_stun_msg m;
    if (pa_stun_parse_classic(d, n, &m) != PA_STUN_OK || !m.natts) return false;
    pa_cur c = pa_cur_make(d, n);
    if (!pa_cur_skip(&c, 20)) return false;
    while (c.len) {
        uint16_t t, l;
        if (!pa_cur_be16(&c, &t) || !pa_cur_be16(&c, &l) || !t || (l & 3) || !pa_cur_skip(&c, l)) return false;
    }
    return true;
}

bool pa_stun_is_framed(const uint8_t *d, size_t n) {
    pa_cur c = pa_cur_make(d, n);
    uint16_t len;
    return pa_cur_be16(&c, &len) && len >= 20 && len <= c.len && pa_stun_is_message(c.p, len, true);
}

bool pa_stun_channel_data(const uint8_t *d, size_t n, bool exact, uint16_t *channel, uint16_t *len) {
    pa_cur c = pa_cur_make(d, n);
    uint16_t ch, l;
    if (!pa_cur_be16(&c, &ch) || (ch & 0xF000) != 0x4000 || !pa_cur_be16(&c, &l) || l > c.len) return false;
    if (exact && c.len - l >= 4) return false;
    *channel = ch;
    *len = l;
    return true;
}

const char *pa_stun_method_name(uint16_t method) {
    static const char *const n[] = {NULL,
                                    "Binding",
                                    "SharedSecret",
                                    "Allocate",
                                    "Refresh",
                                    NULL,
                                    "Send",
                                    "Data",
                                    "CreatePermission",
                                    "ChannelBind",
                                    "Connect",
                                    "ConnectionBind",
                                    "ConnectionAttempt"};
    return method < sizeof n / sizeof n[0] ? n[method] : NULL;
}

const char *pa_stun_class_name(uint8_t cls) {
    static const char *const n[] = {"Request", "Indication", "Success Response", "Error Response"};
    return cls < 4 ? n[cls] : "?";
}

const char *pa_stun_error_name(uint16_t code) {
    static const struct {
        uint16_t code;
        const char *name;
    } n[] = {{300, "Try Alternate"},
             {400, "Bad Request"},
             {401, "Unauthorized"},
             {403, "Forbidden"},
             {405, "Mobility Forbidden"},
             {420, "Unknown Attribute"},
             {437, "Allocation Mismatch"},
             {438, "Stale Nonce"},
             {440, "Address Family not Supported"},
             {441, "Wrong Credentials"},
             {442, "Unsupported Transport Protocol"},
             {443, "Peer Address Family Mismatch"},
             {486, "Allocation Quota Reached"},
             {487, "Role Conflict"},
             {500, "Server Error"},
             {508, "Insufficient Capacity"}};
    for (size_t i = 0; i < sizeof n / sizeof n[0]; i++)
        if (n[i].code == code) return n[i].name;
    return NULL;
}
