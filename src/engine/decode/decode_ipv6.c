/* IPv6: fixed header, extension-header chain (capped), fragments. */
#include "decode_internal.h"

void pa_dec_ipv6(pa_decoder *d, pa_cur c, pa_packet *p) {
    pa_packet_layer(p, PA_P_IPV6);
    size_t on_wire = c.len + (p->wirelen > p->caplen ? p->wirelen - p->caplen : 0);
    uint32_t vtf;
    uint16_t plen;
    uint8_t next, hlim, src[16], dst[16];
    if (!pa_cur_be32(&c, &vtf) || !pa_cur_be16(&c, &plen) || !pa_cur_u8(&c, &next) || !pa_cur_u8(&c, &hlim) ||
        !pa_cur_copy(&c, src, 16) || !pa_cur_copy(&c, dst, 16)) {
        pa_packet_anom(p, PA_A_IPV6_TRUNCATED);
        return;
    }
    if ((vtf >> 28) != 6) {
        pa_packet_anom(p, PA_A_IPV6_VERSION);
        return;
    }
    on_wire -= 40;
    uint32_t claimed = plen ? plen : (uint32_t)on_wire; /* 0: jumbogram or TSO */
    if (claimed > on_wire) {
        pa_packet_anom(p, PA_A_IPV6_PLEN_BEYOND);
        claimed = (uint32_t)on_wire;
    }
    pa_cur_limit(&c, claimed);
    if (hlim == 0) pa_packet_anom(p, PA_A_IPV6_HLIM_ZERO);

    p->ip_ver = 6;
    p->src.family = p->dst.family = 6;
    memcpy(p->src.b, src, 16);
    memcpy(p->dst.b, dst, 16);
    p->ttl = hlim;
    p->tos = (uint8_t)((vtf >> 20) & 0xFF);
    p->ip_len = claimed + 40;
    p->ip6_nxt = next;
    p->ip6_plen = plen;
    p->ip_df = p->ip_mf = false;
    p->frag_offset = 0;

    for (int n = 0;; n++) {
        if (n >= PA_MAX_IPV6_EXT) {
            pa_packet_anom(p, PA_A_IPV6_EXT_TOO_MANY);
            return;
        }
        uint8_t nh, len;
        switch (next) {
        case 0:   /* hop-by-hop */
        case 43:  /* routing */
        case 60:  /* destination options */
        case 135: /* mobility */
        case 139: /* HIP */
        case 140: /* shim6 */
            if (!pa_cur_u8(&c, &nh) || !pa_cur_u8(&c, &len) || !pa_cur_skip(&c, (size_t)len * 8 + 6)) {
                pa_packet_anom(p, PA_A_IPV6_EXT_TRUNCATED);
                return;
            }
            claimed -= (uint32_t)len * 8 + 8 <= claimed ? (uint32_t)len * 8 + 8 : claimed;
            next = nh;
            continue;
        case 44: { /* fragment */
            uint16_t offfl;
            uint32_t id;
            if (!pa_cur_u8(&c, &nh) || !pa_cur_skip(&c, 1) || !pa_cur_be16(&c, &offfl) || !pa_cur_be32(&c, &id)) {
                pa_packet_anom(p, PA_A_IPV6_EXT_TRUNCATED);
                return;
            }
            claimed -= claimed >= 8 ? 8 : claimed;
            p->frag_offset = offfl & 0xFFF8;
            p->ip_mf = (offfl & 1) != 0;
            p->ip_id = (uint16_t)id;
            p->ip6_fraghdr = true;
            p->frag_id = id;
            p->ip_payload_len = claimed;
            p->ip_proto = nh;
            if (!p->ip_mf && p->frag_offset == 0) { /* atomic fragment */
                next = nh;
                continue;
            }
            pa_ip_fragment(d, 6, nh, id, p->frag_offset, p->ip_mf, c, claimed, p);
            return;
        }
        case 51: /* AH: length in 4-byte units, minus 2 */
            if (!pa_cur_u8(&c, &nh) || !pa_cur_u8(&c, &len) || !pa_cur_skip(&c, ((size_t)len + 2) * 4 - 2)) {
                pa_packet_anom(p, PA_A_IPV6_EXT_TRUNCATED);
                return;
            }
            pa_packet_layer(p, PA_P_AH);
            claimed -= ((uint32_t)len + 2) * 4 <= claimed ? ((uint32_t)len + 2) * 4 : claimed;
            next = nh;
            continue;
        case 59: /* no next header */
            p->ip_proto = 59;
            p->ip_payload_len = claimed;
            return;
        default:
            p->ip_payload_len = claimed;
            pa_ip_payload(d, next, c, p);
            return;
        }
    }
}
