/* ICMP and ICMPv6: type and code. The IP header quoted inside an error
 * message is not taken as this packet's addresses (the original server's
 * "doubled addresses and fake SYNs" came from doing exactly that). */
#include "decode_internal.h"

static void icmp_common(pa_cur c, pa_packet *p, pa_proto proto, pa_anom trunc) {
    pa_packet_layer(p, proto);
    if (!pa_cur_u8(&c, &p->icmp_type) || !pa_cur_u8(&c, &p->icmp_code) || !pa_cur_skip(&c, 2)) {
        pa_packet_anom(p, trunc);
        return;
    }
    p->l4 = proto;
    p->payload = c.p;
    p->payload_len = (uint32_t)c.len;
    p->payload_wire_len = p->ip_payload_len >= 4 ? p->ip_payload_len - 4 : 0;
}

void pa_dec_icmp(pa_decoder *d, pa_cur c, pa_packet *p) {
    (void)d;
    icmp_common(c, p, PA_P_ICMP, PA_A_ICMP_TRUNCATED);
}

void pa_dec_icmpv6(pa_decoder *d, pa_cur c, pa_packet *p) {
    (void)d;
    icmp_common(c, p, PA_P_ICMPV6, PA_A_ICMPV6_TRUNCATED);
}
