/* ARP over Ethernet for IPv4 (the only form worth analysing on LANs). */
#include "decode_internal.h"

void pa_dec_arp(pa_decoder *d, pa_cur c, pa_packet *p) {
    (void)d;
    uint16_t htype, ptype, op;
    uint8_t hlen, plen;
    pa_packet_layer(p, PA_P_ARP);
    if (!pa_cur_be16(&c, &htype) || !pa_cur_be16(&c, &ptype) || !pa_cur_u8(&c, &hlen) || !pa_cur_u8(&c, &plen) ||
        !pa_cur_be16(&c, &op)) {
        pa_packet_anom(p, PA_A_ARP_TRUNCATED);
        return;
    }
    if (hlen != 6 || plen != 4 || ptype != 0x0800) {
        pa_packet_anom(p, PA_A_ARP_UNSUPPORTED);
        return;
    }
    pa_arp_info *a = &p->arp;
    if (!pa_cur_copy(&c, a->sha, 6) || !pa_cur_copy(&c, a->spa, 4) || !pa_cur_copy(&c, a->tha, 6) ||
        !pa_cur_copy(&c, a->tpa, 4)) {
        pa_packet_anom(p, PA_A_ARP_TRUNCATED);
        return;
    }
    a->op = op;
    a->htype = htype;
    p->has_arp = true;
}
