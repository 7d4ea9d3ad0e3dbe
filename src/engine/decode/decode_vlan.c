/* 802.1Q and 802.1ad (QinQ) tags. */
#include "decode_internal.h"

void pa_dec_vlan(pa_decoder *d, pa_cur c, pa_packet *p) {
    uint16_t tci, type;
    pa_packet_layer(p, PA_P_VLAN);
    if (!pa_cur_be16(&c, &tci) || !pa_cur_be16(&c, &type)) {
        pa_packet_anom(p, PA_A_VLAN_TRUNCATED);
        return;
    }
    if (p->nvlan < PA_MAX_VLAN_TAGS) {
        p->vlan[p->nvlan++] = tci & 0x0FFF;
    } else {
        /* Deeper stacks are legal but rare; each tag still costs a layer,
         * and the layer cap bounds the loop. */
        pa_packet_anom(p, PA_A_VLAN_TOO_MANY);
    }
    if (type < 0x0600) {
        pa_cur_limit(&c, type);
        pa_dec_llc(d, c, p);
        return;
    }
    if (p->nlayers >= PA_MAX_LAYERS) return;
    pa_dispatch_ethertype(d, type, c, p);
}
