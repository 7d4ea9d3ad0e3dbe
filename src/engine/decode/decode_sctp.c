/* SCTP common header (ports, verification tag); chunks are not decoded. */
#include "decode_internal.h"

void pa_dec_sctp(pa_decoder *d, pa_cur c, pa_packet *p) {
    (void)d;
    pa_packet_layer(p, PA_P_SCTP);
    if (!pa_cur_be16(&c, &p->sport) || !pa_cur_be16(&c, &p->dport) || !pa_cur_skip(&c, 8)) {
        pa_packet_anom(p, PA_A_SCTP_TRUNCATED);
        return;
    }
    p->l4 = PA_P_SCTP;
    p->payload = c.p;
    p->payload_len = (uint32_t)c.len;
    p->payload_wire_len = p->ip_payload_len >= 12 ? p->ip_payload_len - 12 : 0;
}
