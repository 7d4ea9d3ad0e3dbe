/* TCP header and options (MSS, window scale, SACK, timestamps, Multipath TCP). */
#include "decode_internal.h"

/* Multipath TCP (kind 30): the subtype in the high nibble of the first
 * byte; MP_CAPABLE (0) has its version in the low nibble, a flags byte,
 * then the sender's key (lengths 12, 20, 22, 24: v0 SYN and SYN/ACK, v1
 * SYN/ACK) and the receiver's (20 and more: the third ACK, v1's first
 * data); MP_JOIN (1) in a SYN (length 12) has the address id, then the
 * receiver's token and the sender's random number. Other subtypes and
 * lengths are kept by subtype only, as tshark shows them. */
static void parse_mptcp(pa_cur v, pa_tcp_info *t) {
    uint8_t b0;
    if (!pa_cur_u8(&v, &b0)) return;
    uint8_t sub = b0 >> 4;
    if (t->nmptcp < sizeof t->mptcp_sub) t->mptcp_sub[t->nmptcp++] = sub;
    if (sub == 0) {
        uint8_t flags;
        t->mp_capable = true;
        t->mp_version = b0 & 0x0F;
        if (!pa_cur_u8(&v, &flags)) return;
        if (pa_cur_be64(&v, &t->sendkey)) t->has_sendkey = true;
        if (t->has_sendkey && pa_cur_be64(&v, &t->recvkey)) t->has_recvkey = true;
    } else if (sub == 1 && v.len == 9) {
        uint8_t addr_id;
        if (pa_cur_u8(&v, &addr_id) && pa_cur_be32(&v, &t->recvtok)) t->has_recvtok = true;
    }
}

static void parse_options(pa_cur o, pa_packet *p) {
    pa_tcp_info *t = &p->tcp;
    while (o.len) {
        uint8_t kind, len;
        if (!pa_cur_u8(&o, &kind)) break;
        if (kind == 0) break; /* end of option list */
        if (kind == 1) continue;
        if (!pa_cur_u8(&o, &len) || len < 2 || o.len < (size_t)len - 2) {
            pa_packet_anom(p, PA_A_TCP_OPT);
            return;
        }
        pa_cur v;
        if (!pa_cur_sub(&o, (size_t)len - 2, &v)) return;
        switch (kind) {
        case 2:
            if (len != 4 || !pa_cur_be16(&v, &t->mss)) goto bad;
            t->has_mss = true;
            break;
        case 3:
            if (len != 3 || !pa_cur_u8(&v, &t->ws_shift)) goto bad;
            t->has_ws = true;
            break;
        case 4:
            if (len != 2) goto bad;
            t->sack_perm = true;
            break;
        case 5:
            if ((len - 2) % 8 != 0 || len < 10) goto bad;
            for (t->nsack = 0; v.len >= 8 && t->nsack < 4; t->nsack++)
                if (!pa_cur_be32(&v, &t->sack[t->nsack][0]) || !pa_cur_be32(&v, &t->sack[t->nsack][1])) goto bad;
            break;
        case 8:
            if (len != 10 || !pa_cur_be32(&v, &t->tsval) || !pa_cur_be32(&v, &t->tsecr)) goto bad;
            t->has_ts = true;
            break;
        case 30: parse_mptcp(v, t); break;
        default: break; /* others are skipped by length */
        }
    }
    return;
bad:
    pa_packet_anom(p, PA_A_TCP_OPT);
}

void pa_dec_tcp(pa_decoder *d, pa_cur c, pa_packet *p) {
    (void)d;
    pa_packet_layer(p, PA_P_TCP);
    pa_tcp_info *t = &p->tcp;
    uint16_t offfl;
    if (!pa_cur_be16(&c, &p->sport) || !pa_cur_be16(&c, &p->dport) || !pa_cur_be32(&c, &t->seq) ||
        !pa_cur_be32(&c, &t->ack) || !pa_cur_be16(&c, &offfl) || !pa_cur_be16(&c, &t->window) || !pa_cur_skip(&c, 2) ||
        !pa_cur_be16(&c, &t->urgent)) {
        pa_packet_anom(p, PA_A_TCP_TRUNCATED);
        return;
    }
    p->l4 = PA_P_TCP;
    t->flags = offfl & 0x1FF;
    t->hdr_len = (uint8_t)((offfl >> 12) * 4);
    uint16_t f = t->flags;
    if ((f & PA_TCP_SYN) && (f & PA_TCP_FIN)) pa_packet_anom(p, PA_A_TCP_SYN_FIN);
    if ((f & PA_TCP_SYN) && (f & PA_TCP_RST)) pa_packet_anom(p, PA_A_TCP_SYN_RST);
    if ((f & 0xFF) == 0) pa_packet_anom(p, PA_A_TCP_NULL);
    if ((f & (PA_TCP_FIN | PA_TCP_PSH | PA_TCP_URG)) == (PA_TCP_FIN | PA_TCP_PSH | PA_TCP_URG))
        pa_packet_anom(p, PA_A_TCP_XMAS);
    if (p->sport == 0 || p->dport == 0) pa_packet_anom(p, PA_A_TCP_PORT_ZERO);
    if (t->hdr_len < 20 || t->hdr_len > p->ip_payload_len) {
        pa_packet_anom(p, PA_A_TCP_HDR_LEN);
        return;
    }
    pa_cur opts;
    if (!pa_cur_sub(&c, (size_t)t->hdr_len - 20, &opts)) {
        pa_packet_anom(p, PA_A_TCP_TRUNCATED); /* options cut by the snaplen */
        return;
    }
    parse_options(opts, p);
    p->payload = c.p;
    p->payload_len = (uint32_t)c.len;
    p->payload_wire_len = p->ip_payload_len - t->hdr_len;
}
