/* CAPWAP (RFC 5415 4.3, RFC 5416 for the IEEE 802.11 binding): the data
 * channel, UDP 5247, is a tunnel carrying 802.11 frames (or 802.3 frames,
 * T = 0) between access points and their controller; when DTLS protects it
 * (preamble type 1) the DTLS analyzer names the datagram. Control messages
 * (UDP 5246) are named by the application looks (detect_looks.def, and the
 * DTLS analyzer's for the DTLS preamble); their header is read here too,
 * for the display filters. */
#include "decode_internal.h"
#include "wireless.h"

/* The optional fields after the 8 fixed bytes: a radio MAC address (M),
 * then wireless-specific information (W), each a length byte and its
 * bytes, padded to a multiple of 4 bytes from the preamble. */
static void optional_fields(pa_cur c, pa_capwap_hdr *h) {
    size_t at = 8;
    if (h->flags & PA_CAPWAP_M) {
        pa_cur m = c;
        if (!pa_cur_skip(&m, at) || !pa_cur_u8(&m, &h->mac_len)) return;
        h->has_mac = true;
        if (m.len >= h->mac_len) h->mac = m.p;
        at += 1u + h->mac_len;
        at = (at + 3) & ~(size_t)3;
    }
    if (h->flags & PA_CAPWAP_W) {
        pa_cur w = c;
        if (!pa_cur_skip(&w, at) || !pa_cur_u8(&w, &h->wireless_len)) return;
        h->has_wireless = true;
    }
}

static void control_header(pa_cur c, pa_capwap_hdr *h) {
    if (!pa_cur_skip(&c, (size_t)h->hlen * 4u)) return;
    h->has_control = pa_cur_be32(&c, &h->msg_type) && pa_cur_u8(&c, &h->seq) && pa_cur_be16(&c, &h->msg_elem_len) &&
                     pa_cur_u8(&c, &h->msg_flags);
}

pa_capwap_status pa_capwap_parse(const uint8_t *d, size_t n, bool control, pa_capwap_hdr *h) {
    memset(h, 0, sizeof *h);
    pa_cur c = pa_cur_make(d, n), r = c;
    uint8_t pre;
    if (!pa_cur_peek_u8(&c, 0, &pre)) return PA_CAPWAP_TRUNCATED;
    h->version = pre >> 4;
    h->type = pre & 0x0F;
    if (h->version != 0 || h->type != 0) return PA_CAPWAP_NOT;
    uint32_t w;
    uint16_t off;
    h->got = 1;
    if (!pa_cur_be32(&r, &w)) return PA_CAPWAP_TRUNCATED;
    h->got = 4;
    h->hlen = (uint8_t)((w >> 19) & 0x1F);
    h->rid = (uint8_t)((w >> 14) & 0x1F);
    h->wbid = (uint8_t)((w >> 9) & 0x1F);
    h->flags = (uint16_t)(w & 0x1FF);
    if (!pa_cur_be16(&r, &h->frag_id) || !pa_cur_be16(&r, &off)) return PA_CAPWAP_TRUNCATED;
    h->got = 8;
    h->frag_off = (uint16_t)(off >> 3);
    optional_fields(c, h);
    size_t hb = (size_t)h->hlen * 4u;
    if (hb < 8 || hb > n) return PA_CAPWAP_BAD_HLEN;
    if (control) control_header(c, h);
    return PA_CAPWAP_OK;
}

bool pa_dec_capwap_data(pa_decoder *d, pa_cur c, pa_packet *p) {
    pa_capwap_hdr h;
    pa_capwap_status st = pa_capwap_parse(c.p, c.len, false, &h);
    bool dtls = st == PA_CAPWAP_NOT && h.version == 0 && h.type == 1;
    if (!c.len || (st == PA_CAPWAP_NOT && !dtls)) return false; /* not CAPWAP */
    /* the datagram's payload as its UDP header says (entering the tunnel clears it) */
    uint32_t wire = p->payload_wire_len;
    pa_packet_layer(p, PA_P_CAPWAP_DATA);
    if (!p->capwap_hdr) {
        p->capwap_hdr = c.p;
        p->capwap_caplen = (uint8_t)(c.len < 255 ? c.len : 255);
    }
    /* DTLS: no tunnel to open; the payload is left to the DTLS analyzer */
    if (dtls) return false;
    if (!pa_enter_tunnel(p)) return true;
    size_t hb = (size_t)h.hlen * 4u;
    if (st == PA_CAPWAP_TRUNCATED) {
        pa_packet_anom(p, PA_A_CAPWAP_TRUNCATED);
        return true;
    }
    if (st == PA_CAPWAP_BAD_HLEN) {
        /* past what was captured but not past the datagram: cut by the snapshot length */
        bool cut = hb >= 8 && hb <= wire;
        pa_packet_anom(p, cut ? PA_A_CAPWAP_TRUNCATED : PA_A_CAPWAP_HLEN);
        return true;
    }
    if (!pa_cur_skip(&c, hb)) return true;  /* checked by the parse */
    if (h.flags & PA_CAPWAP_K) return true; /* a keep-alive: message elements, no frame */
    if (h.flags & PA_CAPWAP_F) {
        /* not reassembled: the fragment counts in the tunnel's conversation */
        pa_packet_anom(p, PA_A_CAPWAP_FRAGMENT);
        if (c.len) pa_packet_layer(p, PA_P_DATA);
        return true;
    }
    if (!c.len) return true;
    if (!(h.flags & PA_CAPWAP_T))
        pa_dec_eth(d, c, p);
    else if (h.wbid == PA_CAPWAP_WBID_80211)
        pa_dec_wlan(d, c, p, true); /* Cisco's byte order, undone as Wireshark does by default */
    else
        pa_packet_layer(p, PA_P_DATA);
    return true;
}
