/* UDP, and the tunnels that ride on it (VXLAN, VXLAN-GPE, Geneve, CAPWAP
 * data, Teredo). */
#include "decode_internal.h"

void pa_dec_udp(pa_decoder *d, pa_cur c, pa_packet *p) {
    pa_packet_layer(p, PA_P_UDP);
    uint16_t len;
    if (!pa_cur_be16(&c, &p->sport) || !pa_cur_be16(&c, &p->dport) || !pa_cur_be16(&c, &len) || !pa_cur_skip(&c, 2)) {
        pa_packet_anom(p, PA_A_UDP_TRUNCATED);
        return;
    }
    p->l4 = PA_P_UDP;
    if (p->sport == 0 || p->dport == 0) pa_packet_anom(p, PA_A_UDP_PORT_ZERO);
    uint32_t claimed = len;
    if (len < 8 || len > p->ip_payload_len) {
        pa_packet_anom(p, PA_A_UDP_LEN);
        claimed = p->ip_payload_len >= 8 ? p->ip_payload_len : 8;
    }
    pa_cur_limit(&c, claimed - 8);
    p->payload = c.p;
    p->payload_len = (uint32_t)c.len;
    p->payload_wire_len = claimed - 8;

    /* Tunnels by their IANA ports; Teredo also needs the payload to look
     * like IPv6, since 3544 is sometimes reused. */
    if (p->dport == 4789 || p->sport == 4789) {
        if (pa_enter_tunnel(p)) pa_dec_vxlan(d, c, p);
        return;
    }
    if (p->dport == 4790 || p->sport == 4790) {
        if (pa_enter_tunnel(p)) pa_dec_vxlan_gpe(d, c, p);
        return;
    }
    if (p->dport == 6081 || p->sport == 6081) {
        if (pa_enter_tunnel(p)) pa_dec_geneve(d, c, p);
        return;
    }
    /* CAPWAP's data channel when the payload starts with its preamble */
    if ((p->dport == 5247 || p->sport == 5247) && pa_dec_capwap_data(d, c, p)) return;
    if (p->dport == 3544 || p->sport == 3544) pa_dec_teredo(d, c, p);
}
