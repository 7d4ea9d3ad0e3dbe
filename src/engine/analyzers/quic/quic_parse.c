/* QUIC packet headers: every read through the bounds-checked cursor. */
#include "quic_parse.h"

#include <stdio.h>
#include <string.h>

#include "cursor.h"

pa_quic_vkind pa_quic_version_kind(uint32_t v) {
    if (v == PA_QUIC_V1) return PA_QUIC_VK_V1;
    if (v == PA_QUIC_V2) return PA_QUIC_VK_V2;
    if (v >= 0xff000016u && v <= 0xff000022u) { /* drafts 22-34 */
        unsigned draft = v & 0xff;
        if (draft == 22) return PA_QUIC_VK_DRAFT22;
        if (draft <= 28) return PA_QUIC_VK_DRAFT23;
        if (draft <= 32) return PA_QUIC_VK_DRAFT29;
        return PA_QUIC_VK_V1; /* drafts 33 and 34 took the final salt */
    }
    /* Facebook's mvfst, numbered after the drafts they follow */
    if (v == 0xfaceb001u) return PA_QUIC_VK_DRAFT22;
    if (v == 0xfaceb002u) return PA_QUIC_VK_DRAFT23;
    if (v == 0xfaceb00eu) return PA_QUIC_VK_DRAFT29;
    /* Google: 'Q' or 'T', then three decimal digits */
    uint8_t a = (uint8_t)(v >> 24), b = (uint8_t)(v >> 16), c = (uint8_t)(v >> 8), d = (uint8_t)v;
    if ((a == 'Q' || a == 'T') && b == '0' && c >= '0' && c <= '9' && d >= '0' && d <= '9') return PA_QUIC_VK_GOOGLE;
    return PA_QUIC_VK_UNKNOWN;
}

bool pa_quic_version_grease(uint32_t v) { return (v & 0x0f0f0f0fu) == 0x0a0a0a0au; }

/* Google's version number (46 for Q046), 0 when it is not one. */
static unsigned google_number(uint32_t v) {
    if (pa_quic_version_kind(v) != PA_QUIC_VK_GOOGLE) return 0;
    return (unsigned)(((v >> 8) & 0xff) - '0') * 10 + (unsigned)((v & 0xff) - '0');
}

/* Drafts before 25 sent a Retry with the original DCID and no integrity tag. */
static bool retry_has_odcid(uint32_t v) {
    return (v >= 0xff000016u && v <= 0xff000018u) || v == 0xfaceb001u || v == 0xfaceb002u;
}

bool pa_quic_varint(pa_cur *c, uint64_t *out) {
    uint8_t b0;
    if (!pa_cur_peek_u8(c, 0, &b0)) return false;
    size_t len = (size_t)1 << (b0 >> 6);
    uint8_t buf[8];
    if (!pa_cur_copy(c, buf, len)) return false;
    uint64_t v = buf[0] & 0x3f;
    for (size_t i = 1; i < len; i++) v = v << 8 | buf[i];
    *out = v;
    return true;
}

pa_quic_ptype pa_quic_long_type(uint32_t version, uint8_t bits) {
    static const pa_quic_ptype v1[4] = {PA_QUIC_INITIAL, PA_QUIC_0RTT, PA_QUIC_HANDSHAKE, PA_QUIC_RETRY};
    /* RFC 9369 3.2: v2 turns the types by one so that v1 middleboxes cannot ossify on them */
    static const pa_quic_ptype v2[4] = {PA_QUIC_RETRY, PA_QUIC_INITIAL, PA_QUIC_0RTT, PA_QUIC_HANDSHAKE};
    return version == PA_QUIC_V2 ? v2[bits & 3] : v1[bits & 3];
}

const char *pa_quic_version_name(uint32_t v, char *buf, size_t len) {
    uint8_t c0 = (uint8_t)(v >> 24), c1 = (uint8_t)(v >> 16), c2 = (uint8_t)(v >> 8), c3 = (uint8_t)v;
    if (v == 0x00000001u)
        snprintf(buf, len, "1");
    else if (v == 0x6b3343cfu)
        snprintf(buf, len, "2");
    else if ((v & 0xffffff00u) == 0xff000000u)
        snprintf(buf, len, "draft-%u", c3);
    else if (v == 0xfaceb001u)
        snprintf(buf, len, "mvfst (draft-22)");
    else if (v == 0xfaceb002u)
        snprintf(buf, len, "mvfst (draft-27)");
    else if (v == 0xfaceb00eu)
        snprintf(buf, len, "mvfst (experimental)");
    else if ((c0 == 'Q' || c0 == 'T') && c1 >= '0' && c1 <= '9' && c2 >= '0' && c2 <= '9' && c3 >= '0' && c3 <= '9')
        snprintf(buf, len, "%c%c%c%c", c0, c1, c2, c3);
    else
        snprintf(buf, len, "0x%08x", v);
    return buf;
}

const char *pa_quic_ptype_name(pa_quic_ptype t) {
    switch (t) {
    case PA_QUIC_INITIAL: return "Initial";
    case PA_QUIC_0RTT: return "0-RTT";
    case PA_QUIC_HANDSHAKE: return "Handshake";
    case PA_QUIC_RETRY: return "Retry";
    case PA_QUIC_VERSION_NEG: return "Version Negotiation";
    case PA_QUIC_SHORT: return "1-RTT";
    case PA_QUIC_GOOGLE: return "Google QUIC";
    }
    return "?";
}

static bool read_cid(pa_cur *c, uint8_t len, pa_quic_cid *out) {
    if (len > PA_QUIC_CID_MAX) return false;
    out->len = len;
    return pa_cur_copy(c, out->b, len);
}

/* Version Negotiation: the CIDs, then the versions to the end, four bytes each. */
static bool parse_vn(pa_cur *c, pa_quic_pkt *p) {
    uint8_t l;
    if (!pa_cur_u8(c, &l) || !read_cid(c, l, &p->dcid) || !pa_cur_u8(c, &l) || !read_cid(c, l, &p->scid)) return false;
    if (c->len == 0 || c->len % 4) return false;
    p->type = PA_QUIC_VERSION_NEG;
    while (c->len) {
        uint32_t v;
        if (!pa_cur_be32(c, &v) || v == 0) return false;
        if (p->nversions < PA_QUIC_VN_MAX) p->versions[p->nversions++] = v;
        if (p->nversions_all < UINT16_MAX) p->nversions_all++;
    }
    return true;
}

/* Google QUIC before Q050: both CID lengths in one byte (each nibble the
 * length less 3, or 0), then the packet number; the packet runs to the end. */
static bool parse_google_old(pa_cur *c, pa_quic_pkt *p) {
    uint8_t l;
    if (!pa_cur_u8(c, &l)) return false;
    uint8_t dl = l >> 4, sl = l & 15;
    if (!read_cid(c, dl ? (uint8_t)(dl + 3) : 0, &p->dcid) || !read_cid(c, sl ? (uint8_t)(sl + 3) : 0, &p->scid))
        return false;
    size_t pnl = (size_t)(p->first & 3) + 1;
    if (c->len < pnl + 1) return false;
    p->type = PA_QUIC_GOOGLE;
    p->length = c->len;
    return pa_cur_skip(c, c->len);
}

/* One long-header packet at the start of c (c: the rest of the datagram). */
static bool parse_long(pa_cur *c, const uint8_t *base, pa_quic_pkt *p) {
    memset(p, 0, sizeof *p);
    const uint8_t *start = c->p;
    p->offset = (size_t)(start - base);
    if (!pa_cur_u8(c, &p->first) || !pa_cur_be32(c, &p->version)) return false;
    if (!(p->first & 0x80)) return false;
    p->raw_type = (p->first >> 4) & 3;
    if (p->version == 0) {
        if (!parse_vn(c, p)) return false;
        p->size = (size_t)(c->p - start);
        return true;
    }
    pa_quic_vkind kind = pa_quic_version_kind(p->version);
    if (kind == PA_QUIC_VK_UNKNOWN) return false;
    /* the fixed bit: RFC 9287 lets peers that agreed on it clear the bit,
     * which the first packets (those that name a flow) cannot have done */
    if (!(p->first & 0x40)) return false;
    unsigned g = google_number(p->version);
    if (g && g < 50) {
        if (!parse_google_old(c, p)) return false;
        p->size = (size_t)(c->p - start);
        return true;
    }
    uint8_t l;
    if (!pa_cur_u8(c, &l) || !read_cid(c, l, &p->dcid) || !pa_cur_u8(c, &l) || !read_cid(c, l, &p->scid)) return false;
    p->type = pa_quic_long_type(p->version, p->raw_type);
    if (p->type == PA_QUIC_RETRY) {
        if (retry_has_odcid(p->version)) {
            pa_quic_cid odcid;
            if (!read_cid(c, p->first & 0x0f, &odcid) || c->len == 0) return false;
            p->token = c->p;
            p->token_len = c->len;
        } else {
            if (c->len <= PA_QUIC_RETRY_TAG) return false; /* a Retry carries a token */
            p->token = c->p;
            p->token_len = c->len - PA_QUIC_RETRY_TAG;
            p->retry_tag = c->p + p->token_len;
        }
        p->size = (size_t)(c->p - start) + c->len;
        return pa_cur_skip(c, c->len); /* a Retry is never coalesced: it runs to the end */
    }
    if (p->type == PA_QUIC_INITIAL) {
        if (!pa_quic_varint(c, &p->token_len) || p->token_len > c->len) return false;
        p->token = c->p;
        if (!pa_cur_skip(c, (size_t)p->token_len)) return false;
    }
    if (!pa_quic_varint(c, &p->length) || p->length > c->len) return false;
    p->pn_offset = (size_t)(c->p - start);
    /* header protection samples 16 bytes 4 after the packet number's start */
    if (p->length < 20) return false;
    if (!pa_cur_skip(c, (size_t)p->length)) return false;
    p->size = (size_t)(c->p - start);
    return true;
}

static bool all_zero(const uint8_t *d, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (d[i]) return false;
    return true;
}

static bool same_cid(const pa_quic_cid *a, const pa_quic_cid *b) {
    return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

bool pa_quic_parse(const uint8_t *d, size_t n, pa_quic_dgram *out) {
    out->n = 0;
    out->more = false;
    out->padding = 0;
    out->short_trailer = false;
    out->short_offset = 0;
    pa_cur c = pa_cur_make(d, n);
    pa_quic_pkt first;
    if (!parse_long(&c, d, &first)) return false;
    out->pkt[out->n++] = first;
    while (c.len) {
        uint8_t b0;
        if (!pa_cur_peek_u8(&c, 0, &b0)) return false;
        if (b0 == 0 && all_zero(c.p, c.len)) { /* padding after the packets (tshark allows it too) */
            out->padding = c.len;
            return true;
        }
        if (!(b0 & 0x80)) {
            /* a 1-RTT packet can only be last, to the same connection */
            size_t which;
            if (!pa_quic_short_match(c.p, c.len, &first.dcid, 1, &which)) return false;
            out->short_trailer = true;
            out->short_offset = (size_t)(c.p - d);
            return true;
        }
        pa_quic_pkt p;
        if (!parse_long(&c, d, &p)) return false;
        /* RFC 9000 12.2: coalesced packets share the destination CID */
        if (p.version != first.version || !same_cid(&p.dcid, &first.dcid) || p.type == PA_QUIC_RETRY ||
            p.type == PA_QUIC_VERSION_NEG)
            return false;
        if (out->n < PA_QUIC_COALESCED)
            out->pkt[out->n++] = p;
        else
            out->more = true;
    }
    return true;
}

bool pa_quic_is_quic(const uint8_t *d, size_t n) {
    pa_quic_dgram g;
    if (!d || !pa_quic_parse(d, n, &g)) return false;
    const pa_quic_pkt *p = &g.pkt[0];
    if (p->type != PA_QUIC_VERSION_NEG) return true; /* its version is known (parse_long) */
    /* a Version Negotiation lists a version someone speaks; greased ones alone are no proof */
    for (uint8_t i = 0; i < p->nversions; i++)
        if (pa_quic_version_kind(p->versions[i]) != PA_QUIC_VK_UNKNOWN) return true;
    return false;
}

bool pa_quic_short_match(const uint8_t *d, size_t n, const pa_quic_cid *cids, size_t ncids, size_t *which) {
    pa_cur c = pa_cur_make(d, n);
    uint8_t b0;
    if (!pa_cur_u8(&c, &b0) || (b0 & 0xc0) != 0x40) return false;
    for (size_t i = 0; i < ncids; i++) {
        const pa_quic_cid *k = &cids[i];
        /* the packet number (up to 4 bytes) and the 16-byte sample after it */
        if (c.len < (size_t)k->len + 20 || memcmp(c.p, k->b, k->len) != 0) continue;
        *which = i;
        return true;
    }
    return false;
}
