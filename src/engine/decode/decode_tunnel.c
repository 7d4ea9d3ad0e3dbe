/* Tunnels: GRE (with ERSPAN I/II/III), VXLAN, Geneve, Teredo. IP-in-IP and
 * 6in4 need no header of their own (see pa_dispatch_ipproto). */
#include "decode_internal.h"

void pa_dec_gre(pa_decoder *d, pa_cur c, pa_packet *p) {
    pa_packet_layer(p, PA_P_GRE);
    uint16_t fl, proto;
    if (!pa_cur_be16(&c, &fl) || !pa_cur_be16(&c, &proto)) {
        pa_packet_anom(p, PA_A_GRE_TRUNCATED);
        return;
    }
    unsigned ver = fl & 7;
    if (ver > 1) {
        pa_packet_anom(p, PA_A_GRE_VERSION);
        return;
    }
    bool has_seq = (fl & 0x1000) != 0;
    size_t skip = ((fl & 0x8000) ? 4u : 0u) + ((fl & 0x2000) ? 4u : 0u) + (has_seq ? 4u : 0u) +
                  ((ver == 1 && (fl & 0x0080)) ? 4u : 0u); /* enhanced GRE acknowledgment */
    if (!pa_cur_skip(&c, skip)) {
        pa_packet_anom(p, PA_A_GRE_TRUNCATED);
        return;
    }
    if (!pa_enter_tunnel(p)) return;
    if (proto == 0x88BE || proto == 0x22EB) {
        /* ERSPAN type I has no header (no sequence number); type II has 8
         * bytes; type III 12, plus 8 when the platform sub-header flag is set. */
        pa_packet_layer(p, PA_P_ERSPAN);
        size_t h = 0;
        if (proto == 0x88BE && has_seq) h = 8;
        if (proto == 0x22EB) {
            uint8_t b11;
            if (!pa_cur_peek_u8(&c, 11, &b11)) {
                pa_packet_anom(p, PA_A_ERSPAN_TRUNCATED);
                return;
            }
            h = 12 + ((b11 & 1) ? 8 : 0);
        }
        if (!pa_cur_skip(&c, h)) {
            pa_packet_anom(p, PA_A_ERSPAN_TRUNCATED);
            return;
        }
        pa_dec_eth(d, c, p);
        return;
    }
    if (proto == 0x880B) { /* PPP in enhanced GRE (PPTP) */
        pa_packet_layer(p, PA_P_PPP);
        uint8_t b0;
        uint16_t pp;
        if (pa_cur_peek_u8(&c, 0, &b0) && b0 == 0xFF && !pa_cur_skip(&c, 2)) return;
        if (!pa_cur_be16(&c, &pp)) return;
        if (pp == 0x0021)
            pa_dec_ipv4(d, c, p);
        else if (pp == 0x0057)
            pa_dec_ipv6(d, c, p);
        return;
    }
    pa_dispatch_ethertype(d, proto, c, p);
}

void pa_dec_vxlan(pa_decoder *d, pa_cur c, pa_packet *p) {
    pa_packet_layer(p, PA_P_VXLAN);
    if (!pa_cur_skip(&c, 8)) {
        pa_packet_anom(p, PA_A_VXLAN_TRUNCATED);
        return;
    }
    pa_dec_eth(d, c, p);
}

/* VXLAN-GPE: like VXLAN, plus a next-protocol byte (1 IPv4, 2 IPv6,
 * 3 Ethernet). */
void pa_dec_vxlan_gpe(pa_decoder *d, pa_cur c, pa_packet *p) {
    pa_packet_layer(p, PA_P_VXLAN);
    uint8_t next;
    if (!pa_cur_peek_u8(&c, 3, &next) || !pa_cur_skip(&c, 8)) {
        pa_packet_anom(p, PA_A_VXLAN_TRUNCATED);
        return;
    }
    switch (next) {
    case 1: pa_dec_ipv4(d, c, p); break;
    case 2: pa_dec_ipv6(d, c, p); break;
    case 3: pa_dec_eth(d, c, p); break;
    default: pa_packet_layer(p, PA_P_DATA); break;
    }
}

void pa_dec_geneve(pa_decoder *d, pa_cur c, pa_packet *p) {
    pa_packet_layer(p, PA_P_GENEVE);
    uint8_t vl;
    uint16_t proto;
    if (!pa_cur_u8(&c, &vl) || !pa_cur_skip(&c, 1) || !pa_cur_be16(&c, &proto) || !pa_cur_skip(&c, 4) ||
        !pa_cur_skip(&c, (size_t)(vl & 0x3F) * 4)) {
        pa_packet_anom(p, PA_A_GENEVE_TRUNCATED);
        return;
    }
    pa_dispatch_ethertype(d, proto, c, p);
}

bool pa_dec_teredo(pa_decoder *d, pa_cur c, pa_packet *p) {
    pa_cur t = c;
    uint16_t ind;
    /* Optional authentication (0x0001) and origin (0x0000) indicators. */
    if (pa_cur_peek_be16(&t, 0, &ind) && ind == 0x0001) {
        uint8_t idlen, aulen;
        if (!pa_cur_skip(&t, 2) || !pa_cur_u8(&t, &idlen) || !pa_cur_u8(&t, &aulen) ||
            !pa_cur_skip(&t, (size_t)idlen + aulen + 9)) {
            return false;
        }
    }
    if (pa_cur_peek_be16(&t, 0, &ind) && ind == 0x0000) {
        if (!pa_cur_skip(&t, 8)) return false;
    }
    uint8_t v;
    if (!pa_cur_peek_u8(&t, 0, &v) || (v >> 4) != 6 || t.len < 40) return false;
    if (!pa_enter_tunnel(p)) return true;
    pa_packet_layer(p, PA_P_TEREDO);
    pa_dec_ipv6(d, t, p);
    return true;
}
