/* Display-filter values of the CAPWAP, IEEE 802.11 and 802.2 LLC headers,
 * read again from where the decoders found them (decode/wireless.h). */
#include <stdint.h>

#include "cursor.h"
#include "dframe_layers.h"
#include "wireless.h"

/* Boolean fields that are one bit of a header's flags. */
typedef struct bit_field {
    pa_dfield field;
    uint16_t mask;
} bit_field;

static const bit_field capwap_bits[] = {
    {PA_DF_CAPWAP_HEADER_FLAGS_T, PA_CAPWAP_T}, {PA_DF_CAPWAP_HEADER_FLAGS_F, PA_CAPWAP_F},
    {PA_DF_CAPWAP_HEADER_FLAGS_L, PA_CAPWAP_L}, {PA_DF_CAPWAP_HEADER_FLAGS_W, PA_CAPWAP_W},
    {PA_DF_CAPWAP_HEADER_FLAGS_M, PA_CAPWAP_M}, {PA_DF_CAPWAP_HEADER_FLAGS_K, PA_CAPWAP_K},
};
static const bit_field wlan_bits[] = {
    {PA_DF_WLAN_FC_TODS, PA_WLAN_TODS},           {PA_DF_WLAN_FC_FROMDS, PA_WLAN_FROMDS},
    {PA_DF_WLAN_FC_FRAG, PA_WLAN_MOREFRAG},       {PA_DF_WLAN_FC_RETRY, PA_WLAN_RETRY},
    {PA_DF_WLAN_FC_PWRMGT, PA_WLAN_PWRMGT},       {PA_DF_WLAN_FC_MOREDATA, PA_WLAN_MOREDATA},
    {PA_DF_WLAN_FC_PROTECTED, PA_WLAN_PROTECTED}, {PA_DF_WLAN_FC_ORDER, PA_WLAN_ORDER},
};

/* When field is one of the n bits of t: its value from flags into out,
 * the count in *ret, and true. */
static bool bit_value(const bit_field *t, size_t n, pa_dfield field, unsigned flags, pa_dvalue *out, size_t max,
                      size_t *ret) {
    for (size_t i = 0; i < n; i++)
        if (t[i].field == field) {
            *ret = pa_put_bool(out, max, (flags & t[i].mask) != 0);
            return true;
        }
    return false;
}

/* The frame's CAPWAP header: the data channel's (the decoder's), or a
 * control message's, the payload of a datagram named CAPWAP, or named DTLS
 * on 5246 after its DTLS preamble. dtls: a DTLS preamble, no header. */
static bool capwap_of(const pa_packet *p, pa_capwap_hdr *h, bool *data, bool *dtls) {
    *data = *dtls = false;
    if (p->capwap_hdr) {
        *data = true;
        *dtls = pa_capwap_parse(p->capwap_hdr, p->capwap_caplen, false, h) == PA_CAPWAP_NOT;
        return true;
    }
    if (p->l4 != PA_P_UDP || p->is_fragment || !p->payload_len) return false;
    if (p->app == PA_P_CAPWAP) {
        pa_capwap_parse(p->payload, p->payload_len, true, h);
        return true;
    }
    pa_cur c = pa_cur_make(p->payload, p->payload_len);
    uint8_t pre;
    if (p->app != PA_P_DTLS || !pa_cur_peek_u8(&c, 0, &pre) || pre != 0x01) return false;
    if (p->sport != 5246 && p->dport != 5246) return false;
    memset(h, 0, sizeof *h);
    h->type = 1;
    *dtls = true;
    return true;
}

size_t pa_dframe_capwap(pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max) {
    pa_capwap_hdr h;
    bool data, dtls;
    if (!capwap_of(f->p, &h, &data, &dtls)) return 0;
    switch (field) {
    case PA_DF_CAPWAP: return data ? 0 : pa_put_bool(out, max, true);
    case PA_DF_CAPWAP_DATA: return data ? pa_put_bool(out, max, true) : 0;
    case PA_DF_CAPWAP_PREAMBLE_VERSION: return pa_put_u(out, max, h.version);
    case PA_DF_CAPWAP_PREAMBLE_TYPE: return pa_put_u(out, max, h.type);
    default: break;
    }
    if (dtls || h.got < 4) return 0; /* what follows the DTLS preamble is DTLS */
    bool frag = h.got == 8;          /* the fragment fields were captured */
    size_t r;
    if (bit_value(capwap_bits, sizeof capwap_bits / sizeof capwap_bits[0], field, h.flags, out, max, &r)) return r;
    switch (field) {
    case PA_DF_CAPWAP_HEADER_LENGTH: return pa_put_u(out, max, h.hlen);
    case PA_DF_CAPWAP_HEADER_RID: return pa_put_u(out, max, h.rid);
    case PA_DF_CAPWAP_HEADER_WBID: return pa_put_u(out, max, h.wbid);
    case PA_DF_CAPWAP_HEADER_FLAGS: return pa_put_u(out, max, h.flags);
    case PA_DF_CAPWAP_HEADER_FRAGMENT_ID: return frag ? pa_put_u(out, max, h.frag_id) : 0;
    case PA_DF_CAPWAP_HEADER_FRAGMENT_OFFSET: return frag ? pa_put_u(out, max, h.frag_off) : 0;
    case PA_DF_CAPWAP_HEADER_MAC_LENGTH: return h.has_mac ? pa_put_u(out, max, h.mac_len) : 0;
    case PA_DF_CAPWAP_HEADER_MAC_EUI48:
        return h.mac && h.mac_len == 6 ? pa_put_addr(out, max, PA_FT_ETHER, h.mac, 6) : 0;
    case PA_DF_CAPWAP_HEADER_WIRELESS_LENGTH: return h.has_wireless ? pa_put_u(out, max, h.wireless_len) : 0;
    default: break;
    }
    if (!h.has_control) return 0;
    switch (field) {
    case PA_DF_CAPWAP_CONTROL_HEADER_MESSAGE_TYPE: return pa_put_u(out, max, h.msg_type);
    case PA_DF_CAPWAP_CONTROL_HEADER_SEQUENCE_NUMBER: return pa_put_u(out, max, h.seq);
    case PA_DF_CAPWAP_CONTROL_HEADER_MESSAGE_ELEMENT_LENGTH: return pa_put_u(out, max, h.msg_elem_len);
    case PA_DF_CAPWAP_CONTROL_HEADER_FLAGS: return pa_put_u(out, max, h.msg_flags);
    default: return 0;
    }
}

static size_t put_mac(pa_dvalue *out, size_t max, const uint8_t *mac) {
    return mac ? pa_put_addr(out, max, PA_FT_ETHER, mac, 6) : 0;
}

size_t pa_dframe_wlan(pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_packet *p = f->p;
    pa_wlan_hdr h;
    /* a header cut short offers no field, as Wireshark raises it malformed
     * before adding any (its frame.protocols still names wlan) */
    if (!p->wlan_hdr || !pa_wlan_parse(p->wlan_hdr, p->wlan_caplen, p->wlan_fc_swapped, &h)) return 0;
    size_t bit;
    if (bit_value(wlan_bits, sizeof wlan_bits / sizeof wlan_bits[0], field, h.flags, out, max, &bit)) return bit;
    pa_wlan_roles r;
    pa_wlan_roles_of(&h, &r);
    switch (field) {
    case PA_DF_WLAN: return pa_put_bool(out, max, true);
    case PA_DF_WLAN_FC_VERSION: return pa_put_u(out, max, h.version);
    case PA_DF_WLAN_FC_TYPE: return pa_put_u(out, max, h.type);
    case PA_DF_WLAN_FC_SUBTYPE: return pa_put_u(out, max, h.subtype);
    case PA_DF_WLAN_FC_TYPE_SUBTYPE: return pa_put_u(out, max, (uint64_t)h.type << 4 | h.subtype);
    case PA_DF_WLAN_FC_DS: return pa_put_u(out, max, h.flags & 3);
    case PA_DF_WLAN_DURATION: return h.has_duration ? pa_put_u(out, max, h.duration & 0x7FFF) : 0;
    case PA_DF_WLAN_RA: return put_mac(out, max, r.ra);
    case PA_DF_WLAN_TA: return put_mac(out, max, r.ta);
    case PA_DF_WLAN_DA:
    case PA_DF_WLAN_SA: {
        bool da = field == PA_DF_WLAN_DA;
        size_t n = put_mac(out, max, da ? r.da : r.sa);
        if (!pa_wlan_is_amsdu(&h) || (h.flags & PA_WLAN_PROTECTED)) return n;
        /* the subframes' destinations and sources too */
        pa_wlan_msdu m[PA_DF_MAX_VALUES];
        size_t k = pa_wlan_amsdu(p->wlan_hdr + h.len, p->wlan_caplen - h.len, m, max - n);
        for (size_t i = 0; i < k; i++) n += put_mac(out + n, max - n, da ? m[i].da : m[i].sa);
        return n;
    }
    case PA_DF_WLAN_BSSID: {
        size_t n = put_mac(out, max, r.bssid[0]);
        return n + put_mac(out + n, max - n, r.bssid[1]);
    }
    case PA_DF_WLAN_STAA: return put_mac(out, max, r.staa);
    case PA_DF_WLAN_ADDR: {
        size_t n = 0;
        for (uint8_t i = 0; i < h.naddr && n < max; i++)
            if (pa_wlan_addr_named(&r, h.addr[i])) n += put_mac(out + n, max - n, h.addr[i]);
        return n;
    }
    case PA_DF_WLAN_SEQ: return h.has_seq ? pa_put_u(out, max, h.seqctl >> 4) : 0;
    case PA_DF_WLAN_FRAG: return h.has_seq ? pa_put_u(out, max, h.seqctl & 0xF) : 0;
    case PA_DF_WLAN_QOS_TID: return h.has_qos ? pa_put_u(out, max, h.qos & 0xF) : 0;
    case PA_DF_WLAN_QOS_PRIORITY: return h.has_qos ? pa_put_u(out, max, h.qos & 7) : 0;
    case PA_DF_WLAN_QOS_AMSDUPRESENT: /* QoS data frames with a body only */
        return h.has_qos && pa_wlan_data_has_body(h.subtype) ? pa_put_bool(out, max, h.qos & 0x80) : 0;
    case PA_DF_WLAN_HTC: return h.has_htc ? pa_put_u(out, max, h.htc) : 0;
    default: return 0;
    }
}

/* One LLC header's value of field (0 or 1 value). */
static size_t llc_value(const uint8_t *d, size_t len, pa_dfield field, pa_dvalue *out, size_t max) {
    pa_cur c = pa_cur_make(d, len);
    uint8_t dsap, ssap, ctrl, ctrl2 = 0, oui[3];
    uint16_t type;
    if (field == PA_DF_LLC) return pa_put_bool(out, max, true);
    if (!pa_cur_u8(&c, &dsap) || !pa_cur_u8(&c, &ssap)) return 0;
    if (field == PA_DF_LLC_DSAP) return pa_put_u(out, max, dsap);
    if (field == PA_DF_LLC_SSAP) return pa_put_u(out, max, ssap);
    if (!pa_cur_u8(&c, &ctrl)) return 0;
    /* information and supervisory frames have a second control byte */
    bool two = (ctrl & 3) != 3;
    if (two && !pa_cur_u8(&c, &ctrl2)) return 0;
    if (field == PA_DF_LLC_CONTROL) return pa_put_u(out, max, (uint64_t)ctrl2 << 8 | ctrl);
    if (dsap != 0xAA || ssap != 0xAA || two || !pa_cur_copy(&c, oui, 3) || !pa_cur_be16(&c, &type)) return 0;
    uint32_t o = (uint32_t)oui[0] << 16 | (uint32_t)oui[1] << 8 | oui[2];
    if (field == PA_DF_LLC_OUI) return pa_put_u(out, max, o);
    if (field == PA_DF_LLC_TYPE) return o == 0 ? pa_put_u(out, max, type) : 0;
    return 0;
}

/* The frame's LLC headers: the first one decoded, or, in an A-MSDU, the
 * header of every subframe (Wireshark dissects them all). */
size_t pa_dframe_llc(pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_packet *p = f->p;
    if (field == PA_DF_WLCCP) return pa_dframe_has_layer(p, PA_P_WLCCP) ? pa_put_bool(out, max, true) : 0;
    if (!p->llc_hdr) return 0;
    pa_wlan_hdr h;
    bool amsdu = p->wlan_hdr && (uintptr_t)p->llc_hdr > (uintptr_t)p->wlan_hdr &&
                 pa_wlan_parse(p->wlan_hdr, p->wlan_caplen, p->wlan_fc_swapped, &h) && pa_wlan_is_amsdu(&h);
    if (!amsdu) return llc_value(p->llc_hdr, p->llc_caplen, field, out, max);
    pa_wlan_msdu m[PA_DF_MAX_VALUES];
    size_t k = pa_wlan_amsdu(p->wlan_hdr + h.len, p->wlan_caplen - h.len, m, max), n = 0;
    for (size_t i = 0; i < k && n < max; i++) n += llc_value(m[i].msdu, m[i].len, field, out + n, max - n);
    return n;
}
