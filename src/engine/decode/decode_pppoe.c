/* PPPoE session stage and the PPP protocol field it carries. */
#include "decode_internal.h"

void pa_dec_pppoe_session(pa_decoder *d, pa_cur c, pa_packet *p) {
    uint8_t vt, code;
    uint16_t session, len, proto;
    pa_packet_layer(p, PA_P_PPPOES);
    if (!pa_cur_u8(&c, &vt) || !pa_cur_u8(&c, &code) || !pa_cur_be16(&c, &session) || !pa_cur_be16(&c, &len)) {
        pa_packet_anom(p, PA_A_PPPOE_TRUNCATED);
        return;
    }
    pa_cur_limit(&c, len);
    pa_packet_layer(p, PA_P_PPP);
    if (!pa_cur_be16(&c, &proto)) {
        pa_packet_anom(p, PA_A_PPPOE_TRUNCATED);
        return;
    }
    if (proto == 0x0021)
        pa_dec_ipv4(d, c, p);
    else if (proto == 0x0057)
        pa_dec_ipv6(d, c, p);
    else if (c.len)
        pa_packet_layer(p, PA_P_DATA);
}
