/* MPLS label stack; the payload type is guessed from its first nibble, as
 * MPLS carries no next-protocol field. */
#include "decode_internal.h"

void pa_dec_mpls(pa_decoder *d, pa_cur c, pa_packet *p) {
    pa_packet_layer(p, PA_P_MPLS);
    for (int i = 0;; i++) {
        uint32_t e;
        if (!pa_cur_be32(&c, &e)) {
            pa_packet_anom(p, PA_A_MPLS_TRUNCATED);
            return;
        }
        if (e & 0x100) break; /* bottom of stack */
        if (i + 1 >= PA_MAX_MPLS_LABELS) {
            pa_packet_anom(p, PA_A_MPLS_TOO_DEEP);
            return;
        }
    }
    uint8_t first;
    if (!pa_cur_peek_u8(&c, 0, &first)) return;
    if ((first >> 4) == 4)
        pa_dec_ipv4(d, c, p);
    else if ((first >> 4) == 6)
        pa_dec_ipv6(d, c, p);
    else if (first == 0 && c.len >= 4 + 14) {
        /* Ethernet pseudowire with a control word. */
        if (pa_cur_skip(&c, 4)) pa_dec_eth(d, c, p);
    } else
        pa_packet_layer(p, PA_P_DATA);
}
