/* ICMP and ICMPv6: type and code. The IP header quoted inside an error
 * message is not taken as this packet's addresses (the original server's
 * "doubled addresses and fake SYNs" came from doing exactly that). */
#include "decode_internal.h"

/* The headers an ICMP error quotes, kept apart (pa_packet.xip) for display
 * filters, which see them as Wireshark does: more values of ip.* and udp.*. */
static void quote(pa_cur c, pa_packet *p, bool v6) {
    if (p->nxip >= PA_MAX_ENCAP_DEPTH + 1 || !pa_cur_skip(&c, 4)) return;
    struct pa_ip_layer x;
    memset(&x, 0, sizeof x);
    uint8_t b0;
    if (!pa_cur_u8(&c, &b0)) return;
    if (!v6) {
        uint8_t tos, ttl, proto;
        uint16_t len, id, fl;
        size_t ihl = (size_t)(b0 & 15) * 4;
        if ((b0 >> 4) != 4 || ihl < 20 || !pa_cur_u8(&c, &tos) || !pa_cur_be16(&c, &len) || !pa_cur_be16(&c, &id) ||
            !pa_cur_be16(&c, &fl) || !pa_cur_u8(&c, &ttl) || !pa_cur_u8(&c, &proto) || !pa_cur_skip(&c, 2) ||
            !pa_cur_copy(&c, x.src.b, 4) || !pa_cur_copy(&c, x.dst.b, 4) || !pa_cur_skip(&c, ihl - 20))
            return;
        x.ver = 4;
        x.src.family = x.dst.family = 4;
        x.proto = proto;
        x.ttl = ttl;
        x.tos = tos;
        x.len = len;
        x.id = id;
        x.df = (fl & 0x4000) != 0;
        x.mf = (fl & 0x2000) != 0;
        x.frag_offset = (uint16_t)((fl & 0x1FFF) * 8);
        if (x.frag_offset) proto = 0; /* a later fragment quotes no ports */
    } else {
        uint8_t rest[3], nxt, hlim;
        uint16_t plen;
        if ((b0 >> 4) != 6 || !pa_cur_copy(&c, rest, 3) || !pa_cur_be16(&c, &plen) || !pa_cur_u8(&c, &nxt) ||
            !pa_cur_u8(&c, &hlim) || !pa_cur_copy(&c, x.src.b, 16) || !pa_cur_copy(&c, x.dst.b, 16))
            return;
        x.ver = 6;
        x.src.family = x.dst.family = 6;
        x.proto = nxt;
        x.ttl = hlim;
        x.tos = (uint8_t)((b0 & 15) << 4 | rest[0] >> 4);
        x.len = plen;
    }
    uint16_t sp, dp, ulen;
    if ((x.proto == 6 || x.proto == 17) && pa_cur_be16(&c, &sp) && pa_cur_be16(&c, &dp)) {
        x.l4 = x.proto == 6 ? PA_P_TCP : PA_P_UDP;
        x.sport = sp;
        x.dport = dp;
        if (x.proto == 17 && pa_cur_be16(&c, &ulen)) {
            x.udp_len = ulen;
            if (pa_cur_skip(&c, 2)) { /* the checksum; then what the error quotes of the payload */
                x.l4_payload = c.p;
                x.l4_payload_len = (uint32_t)c.len;
            }
        }
    }
    x.quoted = true;
    p->xip[p->nxip++] = x;
}

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
    /* errors: destination unreachable, source quench, redirect, time
     * exceeded, parameter problem (ICMPv6: 1 to 4) */
    uint8_t t = p->icmp_type;
    bool v6 = proto == PA_P_ICMPV6;
    if (v6 ? (t >= 1 && t <= 4) : (t == 3 || t == 4 || t == 5 || t == 11 || t == 12)) quote(c, p, v6);
}

void pa_dec_icmp(pa_decoder *d, pa_cur c, pa_packet *p) {
    (void)d;
    icmp_common(c, p, PA_P_ICMP, PA_A_ICMP_TRUNCATED);
}

void pa_dec_icmpv6(pa_decoder *d, pa_cur c, pa_packet *p) {
    (void)d;
    icmp_common(c, p, PA_P_ICMPV6, PA_A_ICMPV6_TRUNCATED);
}
