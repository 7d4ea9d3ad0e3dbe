/* RTP and RTCP packets: every read through the bounds-checked cursor. */
#include "rtp_parse.h"

#include <string.h>

#include "cursor.h"

bool pa_rtp_parse(const uint8_t *d, size_t n, pa_rtp_hdr *out) {
    memset(out, 0, sizeof *out);
    pa_cur c = pa_cur_make(d, n);
    uint8_t b0, b1;
    if (!pa_cur_u8(&c, &b0) || !pa_cur_u8(&c, &b1)) return false;
    out->version = b0 >> 6;
    if (out->version != 2) return false;
    out->padding = b0 & 0x20;
    out->extension = b0 & 0x10;
    out->csrc_count = b0 & 0x0f;
    out->marker = b1 & 0x80;
    out->pt = b1 & 0x7f;
    if (!pa_cur_be16(&c, &out->seq) || !pa_cur_be32(&c, &out->timestamp) || !pa_cur_be32(&c, &out->ssrc)) return false;
    if (!pa_cur_skip(&c, (size_t)out->csrc_count * 4)) return false;
    if (out->extension) {
        if (!pa_cur_be16(&c, &out->ext_profile) || !pa_cur_be16(&c, &out->ext_words)) return false;
        if (!pa_cur_skip(&c, (size_t)out->ext_words * 4)) return false;
    }
    out->header_len = (uint32_t)(n - c.len);
    size_t body = c.len;
    if (out->padding) {
        /* the count is the last byte and counts itself: 0 or more than the
         * payload is not padding (RFC 3550 5.1) */
        if (!pa_cur_peek_u8(&c, body ? body - 1 : 0, &out->padding_count)) {
            out->padding_bad = true;
        } else if (out->padding_count == 0 || out->padding_count > body) {
            out->padding_bad = true;
        } else {
            body -= out->padding_count;
        }
    }
    out->payload_len = (uint32_t)body;
    return true;
}

static bool known_type(uint8_t pt) { return pt >= 200 && pt <= 207; }

/* SR and RR report blocks (RFC 3550 6.4.1): 24 bytes each. */
static bool blocks(pa_cur *c, pa_rtcp_pkt *p) {
    for (uint8_t i = 0; i < p->count; i++) {
        pa_rtcp_block b;
        uint32_t lost;
        if (!pa_cur_be32(c, &b.ssrc) || !pa_cur_be32(c, &lost) || !pa_cur_be32(c, &b.highest_seq) ||
            !pa_cur_be32(c, &b.jitter) || !pa_cur_be32(c, &b.lsr) || !pa_cur_be32(c, &b.dlsr))
            return false;
        b.fraction_lost = (uint8_t)(lost >> 24);
        /* a signed 24-bit count (duplicates make it negative) */
        uint32_t cum = lost & 0xffffff;
        b.cumulative_lost = (cum & 0x800000) ? (int32_t)cum - 0x1000000 : (int32_t)cum;
        if (p->nblocks < PA_RTCP_MAX_BLOCKS) p->block[p->nblocks++] = b;
    }
    return true;
}

/* SDES chunks (RFC 3550 6.5): the first CNAME is kept; each chunk's item
 * list ends with a zero byte and pads to a 32-bit boundary. */
static bool sdes(pa_cur c, pa_rtcp_pkt *p) {
    for (uint8_t k = 0; k < p->count; k++) {
        size_t start = c.len;
        uint32_t ssrc;
        if (!pa_cur_be32(&c, &ssrc)) return false;
        if (k == 0) p->ssrc = ssrc;
        if (p->nids < PA_RTCP_MAX_IDS) p->ids[p->nids++] = ssrc;
        for (;;) {
            uint8_t type, len;
            if (!pa_cur_u8(&c, &type)) return false;
            if (type == 0) break;
            if (!pa_cur_u8(&c, &len)) return false;
            pa_cur v;
            if (!pa_cur_sub(&c, len, &v)) return false;
            if (type == 1 && !p->cname[0]) {
                size_t m = len < sizeof p->cname - 1 ? len : sizeof p->cname - 1;
                if (!pa_cur_copy(&v, p->cname, m)) return false;
                p->cname[m] = '\0';
            }
        }
        size_t used = start - c.len;
        if (used % 4 && !pa_cur_skip(&c, 4 - used % 4)) return false;
    }
    return true;
}

static bool one_packet(pa_cur body, pa_rtcp_pkt *p) {
    switch (p->pt) {
    case 200: /* SR: sender SSRC, sender info, report blocks */
        if (!pa_cur_be32(&body, &p->ssrc) || !pa_cur_be32(&body, &p->ntp_msw) || !pa_cur_be32(&body, &p->ntp_lsw) ||
            !pa_cur_be32(&body, &p->rtp_ts) || !pa_cur_be32(&body, &p->sender_packets) ||
            !pa_cur_be32(&body, &p->sender_octets))
            return false;
        return blocks(&body, p);
    case 201: /* RR */
        if (!pa_cur_be32(&body, &p->ssrc)) return false;
        return blocks(&body, p);
    case 202: return sdes(body, p);
    case 203: /* BYE: count SSRCs, then an optional reason */
        for (uint8_t i = 0; i < p->count; i++) {
            uint32_t ssrc;
            if (!pa_cur_be32(&body, &ssrc)) return false;
            if (i == 0) p->ssrc = ssrc;
            if (p->nids < PA_RTCP_MAX_IDS) p->ids[p->nids++] = ssrc;
        }
        return true;
    default: /* APP, RTPFB, PSFB, XR: the sender SSRC */ return pa_cur_be32(&body, &p->ssrc);
    }
}

/* The packets of d[0..n) in order while they parse; true when all did. */
static bool parse_packets(const uint8_t *d, size_t n, pa_rtcp_msg *out) {
    memset(out, 0, sizeof *out);
    pa_cur c = pa_cur_make(d, n);
    if (n == 0) return false;
    while (c.len) {
        uint8_t b0, pt;
        uint16_t words;
        if (!pa_cur_u8(&c, &b0) || !pa_cur_u8(&c, &pt) || !pa_cur_be16(&c, &words)) return false;
        if (b0 >> 6 != 2 || !known_type(pt)) return false;
        pa_cur body;
        if (!pa_cur_sub(&c, (size_t)words * 4, &body)) return false;
        pa_rtcp_pkt tmp, *p = out->n < PA_RTCP_MAX_PACKETS ? &out->pkt[out->n] : &tmp;
        memset(p, 0, sizeof *p);
        p->pt = pt;
        p->count = b0 & 0x1f;
        p->padding = b0 & 0x20;
        p->len_bytes = (uint32_t)words * 4 + 4;
        if (p->padding && c.len) return false; /* only the last packet pads */
        if (p->padding) {
            uint8_t padn;
            if (!pa_cur_peek_u8(&body, body.len ? body.len - 1 : 0, &padn) || padn == 0 || padn > body.len)
                return false;
            pa_cur_limit(&body, body.len - padn);
        }
        if (!one_packet(body, p)) return false;
        if (out->n < PA_RTCP_MAX_PACKETS) out->n++;
        if (out->total < 255) out->total++;
    }
    return true;
}

bool pa_rtcp_parse(const uint8_t *d, size_t n, pa_rtcp_msg *out) { return parse_packets(d, n, out); }

bool pa_rtcp_parse_prefix(const uint8_t *d, size_t n, pa_rtcp_msg *out) {
    return parse_packets(d, n, out) || out->n > 0;
}
