/* IEEE 802.11 MAC frames (IEEE 802.11-2020 9.2, 9.3): the header, then for
 * data frames in clear the 802.2 LLC / SNAP header and on by EtherType, so
 * the IP inside is decoded as anywhere else. Management, control, null and
 * protected frames end at the 802.11 layer. Called for the frames CAPWAP
 * carries; the radiotap, PPI and bare 802.11 link types are to call it too. */
#include "decode_internal.h"
#include "wireless.h"

/* Addresses before the sequence control (data and management frames carry
 * three; a fourth follows it when both DS bits are set). */
static unsigned first_addresses(const pa_wlan_hdr *h) {
    switch (h->type) {
    case PA_WLAN_MGMT:
    case PA_WLAN_DATA: return 3;
    case PA_WLAN_CTRL:
        /* CTS, ACK and the control wrapper name only the receiver */
        return h->subtype == 12 || h->subtype == 13 || h->subtype == 7 ? 1 : 2;
    default: return 0; /* extension frames (DMG): not read further */
    }
}

bool pa_wlan_parse(const uint8_t *d, size_t n, bool fc_swapped, pa_wlan_hdr *h) {
    memset(h, 0, sizeof *h);
    pa_cur c = pa_cur_make(d, n);
    uint8_t b0, b1;
    if (!pa_cur_u8(&c, &b0) || !pa_cur_u8(&c, &b1)) return false;
    uint8_t fc = fc_swapped ? b1 : b0;
    h->version = fc & 3;
    h->type = (fc >> 2) & 3;
    h->subtype = fc >> 4;
    h->flags = fc_swapped ? b0 : b1;
    if (!pa_cur_le16(&c, &h->duration)) return false;
    h->has_duration = true;
    unsigned na = first_addresses(h);
    for (unsigned i = 0; i < na; i++) {
        h->addr[i] = c.p;
        if (!pa_cur_skip(&c, 6)) return false;
        h->naddr++;
    }
    if (h->type == PA_WLAN_MGMT || h->type == PA_WLAN_DATA) {
        if (!pa_cur_le16(&c, &h->seqctl)) return false;
        h->has_seq = true;
    }
    if (h->type == PA_WLAN_DATA && (h->flags & 3) == 3) {
        h->addr[3] = c.p;
        if (!pa_cur_skip(&c, 6)) return false;
        h->naddr++;
    }
    if (h->type == PA_WLAN_DATA && (h->subtype & 8)) {
        if (!pa_cur_le16(&c, &h->qos)) return false;
        h->has_qos = true;
    }
    /* +HTC: the order bit of QoS data and management frames announces an
     * HT control field (IEEE 802.11n) */
    if ((h->flags & PA_WLAN_ORDER) && (h->has_qos || h->type == PA_WLAN_MGMT)) {
        if (!pa_cur_le32(&c, &h->htc)) return false;
        h->has_htc = true;
    }
    h->len = (uint8_t)(n - c.len);
    h->complete = true;
    return true;
}

void pa_wlan_roles_of(const pa_wlan_hdr *h, pa_wlan_roles *r) {
    memset(r, 0, sizeof *r);
    const uint8_t *const *a = h->addr;
    if (h->naddr >= 1) r->ra = a[0];
    if (h->naddr >= 2) r->ta = a[1];
    if (h->type == PA_WLAN_CTRL) {
        if (h->subtype == 10) r->bssid[0] = a[0];                                /* PS-Poll */
        if (h->subtype == 14 && h->naddr == 2) r->bssid[0] = a[1], r->ta = NULL; /* CF-End */
        return;
    }
    if (h->naddr < 3) return;
    if (h->type == PA_WLAN_MGMT) {
        r->da = a[0], r->sa = a[1], r->bssid[0] = a[2];
        return;
    }
    /* in an A-MSDU the subframes carry the final destination and source */
    bool amsdu = pa_wlan_is_amsdu(h);
    switch (h->flags & 3) {
    case 0: r->da = a[0], r->sa = a[1], r->bssid[0] = a[2]; break;
    case PA_WLAN_TODS:
        r->bssid[0] = a[0], r->sa = a[1], r->staa = a[1];
        if (!amsdu) r->da = a[2];
        break;
    case PA_WLAN_FROMDS:
        r->da = a[0], r->bssid[0] = a[1], r->staa = a[0];
        if (!amsdu) r->sa = a[2];
        break;
    default:
        if (amsdu)
            r->bssid[0] = a[2], r->bssid[1] = h->naddr == 4 ? a[3] : NULL;
        else
            r->da = a[2], r->sa = h->naddr == 4 ? a[3] : NULL;
        break;
    }
}

bool pa_wlan_addr_named(const pa_wlan_roles *r, const uint8_t *addr) {
    return addr && (addr == r->ra || addr == r->ta || addr == r->da || addr == r->sa || addr == r->staa ||
                    addr == r->bssid[0] || addr == r->bssid[1]);
}

bool pa_wlan_is_amsdu(const pa_wlan_hdr *h) {
    return h->type == PA_WLAN_DATA && h->has_qos && (h->qos & 0x80) && pa_wlan_data_has_body(h->subtype);
}

size_t pa_wlan_amsdu(const uint8_t *body, size_t n, pa_wlan_msdu *out, size_t max) {
    pa_cur c = pa_cur_make(body, n);
    size_t k = 0;
    uint16_t len;
    while (k < max && c.len >= 14) {
        pa_wlan_msdu *m = &out[k++];
        m->da = c.p, m->sa = c.p + 6;
        if (!pa_cur_skip(&c, 12) || !pa_cur_be16(&c, &len)) break;
        m->msdu = c.p;
        m->len = len < c.len ? len : c.len;
        size_t pad = (4 - (14u + len) % 4) % 4;
        if (!pa_cur_skip(&c, len) || !pa_cur_skip(&c, pad)) break;
    }
    return k;
}

bool pa_wlan_data_has_body(uint8_t subtype) { return (subtype & 4) == 0; }

void pa_dec_wlan(pa_decoder *d, pa_cur c, pa_packet *p, bool fc_swapped) {
    pa_packet_layer(p, PA_P_WLAN);
    if (!p->wlan_hdr) {
        p->wlan_hdr = c.p;
        p->wlan_caplen = (uint16_t)(c.len < 65535 ? c.len : 65535);
        p->wlan_fc_swapped = fc_swapped;
    }
    pa_wlan_hdr h;
    if (!pa_wlan_parse(c.p, c.len, fc_swapped, &h)) {
        pa_packet_anom(p, PA_A_WLAN_TRUNCATED);
        return;
    }
    if (h.type != PA_WLAN_DATA || !pa_wlan_data_has_body(h.subtype) || !pa_cur_skip(&c, h.len) || !c.len) return;
    /* encrypted, or a fragment not reassembled: the body is data to us. A
     * last fragment whose earlier ones were not seen is a whole frame to
     * Wireshark, which it reassembles otherwise; we read it as whole. */
    if ((h.flags & PA_WLAN_PROTECTED) || (h.flags & PA_WLAN_MOREFRAG)) {
        pa_packet_layer(p, PA_P_DATA);
        return;
    }
    /* an A-MSDU: its first subframe is the packet (a frame is one packet to
     * the flows; Wireshark dissects every subframe) */
    pa_wlan_msdu m;
    if (pa_wlan_is_amsdu(&h)) {
        if (!pa_wlan_amsdu(c.p, c.len, &m, 1)) {
            pa_packet_layer(p, PA_P_DATA);
            return;
        }
        c = pa_cur_make(m.msdu, m.len);
    }
    pa_dec_llc(d, c, p);
}
