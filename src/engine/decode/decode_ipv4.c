/* IPv4: header, options, length checks, fragments (via ip_frag). */
#include "decode_internal.h"

static bool options_ok(pa_cur o) {
    while (o.len) {
        uint8_t type, len;
        if (!pa_cur_u8(&o, &type)) return false;
        if (type == 0) return true; /* end of options list */
        if (type == 1) continue;    /* no-op */
        if (!pa_cur_u8(&o, &len) || len < 2 || !pa_cur_skip(&o, (size_t)len - 2)) return false;
    }
    return true;
}

void pa_dec_ipv4(pa_decoder *d, pa_cur c, pa_packet *p) {
    pa_packet_layer(p, PA_P_IPV4);
    size_t on_wire = c.len + (p->wirelen > p->caplen ? p->wirelen - p->caplen : 0);
    uint8_t vihl, tos, ttl, proto;
    uint16_t total, id, fl;
    pa_cur h = c;
    if (!pa_cur_u8(&h, &vihl) || !pa_cur_u8(&h, &tos) || !pa_cur_be16(&h, &total) || !pa_cur_be16(&h, &id) ||
        !pa_cur_be16(&h, &fl) || !pa_cur_u8(&h, &ttl) || !pa_cur_u8(&h, &proto) || !pa_cur_skip(&h, 2)) {
        pa_packet_anom(p, PA_A_IPV4_TRUNCATED);
        return;
    }
    if ((vihl >> 4) != 4) {
        pa_packet_anom(p, PA_A_IPV4_VERSION);
        return;
    }
    size_t ihl = (size_t)(vihl & 0x0F) * 4;
    if (ihl < 20) {
        pa_packet_anom(p, PA_A_IPV4_HDR_LEN);
        return;
    }
    uint8_t src[4], dst[4];
    if (!pa_cur_copy(&h, src, 4) || !pa_cur_copy(&h, dst, 4)) {
        pa_packet_anom(p, PA_A_IPV4_TRUNCATED);
        return;
    }
    pa_cur opts;
    if (!pa_cur_sub(&h, ihl - 20, &opts)) {
        pa_packet_anom(p, ihl > on_wire ? PA_A_IPV4_HDR_LEN : PA_A_IPV4_TRUNCATED);
        return;
    }
    if (!options_ok(opts)) pa_packet_anom(p, PA_A_IPV4_OPT);

    /* Total length 0 is what TCP segmentation offload leaves in captures
     * taken on the sender: use what was captured, as Wireshark does. */
    uint32_t tot = total ? total : (uint32_t)on_wire;
    if (tot < ihl) {
        pa_packet_anom(p, PA_A_IPV4_TOTAL_LEN);
        return;
    }
    if (tot > on_wire) {
        pa_packet_anom(p, PA_A_IPV4_TOTAL_LEN_BEYOND);
        p->ip_wire_avail = (uint32_t)on_wire;
        tot = (uint32_t)on_wire;
    }
    if (ttl == 0) pa_packet_anom(p, PA_A_IPV4_TTL_ZERO);

    p->ip_ver = 4;
    memset(&p->src, 0, sizeof p->src);
    memset(&p->dst, 0, sizeof p->dst);
    p->src.family = p->dst.family = 4;
    memcpy(p->src.b, src, 4);
    memcpy(p->dst.b, dst, 4);
    p->ttl = ttl;
    p->tos = tos;
    p->ip_id = id;
    p->ip_df = (fl & 0x4000) != 0;
    p->ip_mf = (fl & 0x2000) != 0;
    p->frag_offset = (uint16_t)((fl & 0x1FFF) * 8);
    p->ip_len = tot;
    p->ip_payload_len = tot - (uint32_t)ihl;
    p->ip_proto = proto;
    p->ip_hdr = c.p;
    p->ip_hlen = (uint16_t)ihl;
    p->ip4_len = total;

    pa_cur payload = h; /* h is past the header now */
    pa_cur_limit(&payload, tot - ihl);
    if (p->ip_mf || p->frag_offset) {
        pa_ip_fragment(d, 4, proto, id, p->frag_offset, p->ip_mf, payload, p->ip_payload_len, p);
        return;
    }
    pa_ip_payload(d, proto, payload, p);
}
