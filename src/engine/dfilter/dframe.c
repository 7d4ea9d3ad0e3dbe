/* Field values of one frame for display filters (see dframe.h). */
#include "dframe.h"

#include "cursor.h"
#include "dframe_layers.h"

#include "analyzer.h"

#include <stdio.h>
#include <string.h>

void pa_dframe_init(pa_dframe *f, const pa_packet *p, const uint8_t *data, const pa_frame_ctx *ctx) {
    f->p = p;
    f->data = data;
    f->ctx = ctx;
    f->protocols_built = false;
    f->ff.p = p;
    f->ff.data = data;
    f->ff.app = ctx->app;
    f->ff.nnames = 0;
    f->ff.bank = 0;
}

/* Wireshark's frame.protocols: "eth:ethertype:ip:tcp", our layers with
 * Wireshark's names (an EtherType dispatch shows as "ethertype"). */
static const char *protocols(pa_dframe *f) {
    if (f->protocols_built) return f->protocols;
    size_t o = 0;
    const pa_packet *p = f->p;
    for (uint8_t i = 0; i < p->nlayers && o + 16 < sizeof f->protocols; i++) {
        const char *name = pa_proto_name((pa_proto)p->layers[i]);
        o += (size_t)snprintf(f->protocols + o, sizeof f->protocols - o, "%s%s", o ? ":" : "", name);
        /* an 802.3 frame's length field leads to LLC, without a type */
        if ((p->layers[i] == PA_P_ETH || p->layers[i] == PA_P_VLAN) && i + 1 < p->nlayers &&
            p->layers[i + 1] != PA_P_LLC)
            o += (size_t)snprintf(f->protocols + o, sizeof f->protocols - o, ":ethertype");
    }
    f->protocols_built = true;
    return f->protocols;
}

/* the transport header was decoded (payload points just past it) */
static bool is_tcp(const pa_packet *p) { return p->l4 == PA_P_TCP && !p->is_fragment && p->payload; }
static bool is_udp(const pa_packet *p) { return p->l4 == PA_P_UDP && !p->is_fragment && p->payload; }

/* Every IP header of the frame: the innermost (the packet's), the outer
 * headers of tunnels and the one an ICMP error quotes. */
static size_t ip_layers(const pa_dframe *f, struct pa_ip_layer *v) {
    const pa_packet *p = f->p;
    size_t n = 0;
    if (p->ip_ver) pa_packet_ip_layer(p, &v[n++]);
    for (uint8_t i = 0; i < p->nxip; i++) v[n++] = p->xip[i];
    return n;
}

static size_t ip_values(const pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max) {
    struct pa_ip_layer v[PA_MAX_ENCAP_DEPTH + 2];
    size_t nl = ip_layers(f, v), n = 0;
    if (field == PA_DF_IP) return pa_dframe_has_layer(f->p, PA_P_IPV4) ? pa_put_bool(out, max, true) : 0;
    if (field == PA_DF_IPV6) return pa_dframe_has_layer(f->p, PA_P_IPV6) ? pa_put_bool(out, max, true) : 0;
    /* the fragment header of the packet's own (innermost) IPv6 header */
    if (field >= PA_DF_IPV6_FRAGHDR && field <= PA_DF_IPV6_FRAGHDR_IDENT) {
        const pa_packet *p = f->p;
        if (p->ip_ver != 6 || !p->ip6_fraghdr) return 0;
        switch (field) {
        case PA_DF_IPV6_FRAGHDR: return pa_put_bool(out, max, true);
        case PA_DF_IPV6_FRAGHDR_OFFSET: return pa_put_u(out, max, p->frag_offset / 8u);
        case PA_DF_IPV6_FRAGHDR_MORE: return pa_put_bool(out, max, p->ip_mf);
        default: return pa_put_u(out, max, p->frag_id);
        }
    }
    bool six = field >= PA_DF_IPV6;
    for (size_t i = 0; i < nl && n < max; i++) {
        const struct pa_ip_layer *x = &v[i];
        if (x->ver != (six ? 6 : 4)) continue;
        pa_ftype at = six ? PA_FT_IPV6 : PA_FT_IPV4;
        size_t alen = six ? 16 : 4;
        switch (field) {
        case PA_DF_IP_SRC:
        case PA_DF_IPV6_SRC: n += pa_put_addr(out + n, max - n, at, x->src.b, alen); break;
        case PA_DF_IP_DST:
        case PA_DF_IPV6_DST: n += pa_put_addr(out + n, max - n, at, x->dst.b, alen); break;
        case PA_DF_IP_ADDR:
        case PA_DF_IPV6_ADDR:
            n += pa_put_addr(out + n, max - n, at, x->src.b, alen);
            n += pa_put_addr(out + n, max - n, at, x->dst.b, alen);
            break;
        case PA_DF_IP_PROTO:
        case PA_DF_IPV6_NXT: n += pa_put_u(out + n, max - n, x->proto); break;
        case PA_DF_IP_TTL:
        case PA_DF_IPV6_HLIM: n += pa_put_u(out + n, max - n, x->ttl); break;
        case PA_DF_IP_LEN:
        case PA_DF_IPV6_PLEN: n += pa_put_u(out + n, max - n, x->len); break;
        case PA_DF_IP_ID: n += pa_put_u(out + n, max - n, x->id); break;
        case PA_DF_IP_FLAGS_DF: n += pa_put_bool(out + n, max - n, x->df); break;
        case PA_DF_IP_FLAGS_MF: n += pa_put_bool(out + n, max - n, x->mf); break;
        case PA_DF_IP_FRAG_OFFSET: n += pa_put_u(out + n, max - n, x->frag_offset); break;
        case PA_DF_IP_DSFIELD_ECN: n += pa_put_u(out + n, max - n, x->tos & 3); break;
        case PA_DF_IP_DSFIELD_DSCP: n += pa_put_u(out + n, max - n, x->tos >> 2); break;
        default: return 0;
        }
    }
    return n;
}

/* Ports and lengths of UDP or TCP headers in any IP layer. */
static size_t l4_values(const pa_dframe *f, pa_proto l4, int what, pa_dvalue *out, size_t max) {
    struct pa_ip_layer v[PA_MAX_ENCAP_DEPTH + 2];
    size_t nl = ip_layers(f, v), n = 0;
    for (size_t i = 0; i < nl && n < max; i++) {
        if (v[i].l4 != l4) continue;
        if (what == 0 || what == 2) n += pa_put_u(out + n, max - n, v[i].sport);
        if (what == 1 || what == 2) n += pa_put_u(out + n, max - n, v[i].dport);
        if (what == 3 && v[i].udp_len) n += pa_put_u(out + n, max - n, v[i].udp_len);
        if (what == 4) n += pa_put_bool(out + n, max - n, true);
    }
    return n;
}

/* ---- one getter per layer group of layer_fields.def ----------------- */

static size_t frame_values(pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_packet *p = f->p;
    const pa_frame_ctx *c = f->ctx;
    switch (field) {
    case PA_DF_FRAME: return pa_put_bytes(out, max, PA_FT_BYTES, f->data, p->caplen);
    case PA_DF_FRAME_NUMBER: return pa_put_u(out, max, p->frame_no);
    case PA_DF_FRAME_TIME_RELATIVE: return pa_put_d(out, max, (double)(p->ts_ns - c->first_ts) / 1e9);
    case PA_DF_FRAME_TIME_EPOCH: return pa_put_d(out, max, (double)p->ts_ns / 1e9);
    case PA_DF_FRAME_LEN: return pa_put_u(out, max, p->wirelen);
    case PA_DF_FRAME_CAP_LEN: return pa_put_u(out, max, p->caplen);
    case PA_DF_FRAME_PROTOCOLS: {
        const char *s = protocols(f);
        return pa_put_bytes(out, max, PA_FT_STRING, (const uint8_t *)s, strlen(s));
    }
    default: return 0;
    }
}

static size_t eth_values(pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_packet *p = f->p;
    bool eth = p->has_eth;
    switch (field) {
    case PA_DF_ETH: return eth ? pa_put_bytes(out, max, PA_FT_BYTES, f->data, p->caplen) : 0;
    case PA_DF_ETH_SRC:
    case PA_DF_ETH_DST:
    case PA_DF_ETH_ADDR: {
        if (!eth) return 0;
        size_t n = 0;
        for (int k = -1; k < p->neth_inner && n + 2 <= max; k++) {
            const uint8_t *dst = k < 0 ? p->eth_dst : p->eth_inner[k], *src = k < 0 ? p->eth_src : p->eth_inner[k] + 6;
            if (field != PA_DF_ETH_DST) n += pa_put_addr(out + n, max - n, PA_FT_ETHER, src, 6);
            if (field != PA_DF_ETH_SRC) n += pa_put_addr(out + n, max - n, PA_FT_ETHER, dst, 6);
        }
        return n;
    }
    case PA_DF_ETH_TYPE: {
        if (!eth) return 0;
        size_t n = 0;
        if (p->linktype == 1 && p->caplen >= 14) n += pa_put_u(out, max, (uint64_t)(f->data[12] << 8 | f->data[13]));
        for (uint8_t k = 0; k < p->neth_inner && n < max; k++)
            if (p->eth_inner_type[k] >= 0x0600) n += pa_put_u(out + n, max - n, p->eth_inner_type[k]);
        return n;
    }
    case PA_DF_VLAN: return p->nvlan ? pa_put_bool(out, max, true) : 0;
    case PA_DF_VLAN_ID: {
        size_t n = 0;
        for (uint8_t i = 0; i < p->nvlan && n < max; i++) n += pa_put_u(out + n, max - n, p->vlan[i]);
        return n;
    }
    default: return 0;
    }
}

static size_t arp_values(pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_packet *p = f->p;
    switch (field) {
    case PA_DF_ARP: return p->has_arp ? pa_put_bool(out, max, true) : 0;
    case PA_DF_ARP_OPCODE: return p->has_arp ? pa_put_u(out, max, p->arp.op) : 0;
    case PA_DF_ARP_SRC_PROTO_IPV4: return p->has_arp ? pa_put_addr(out, max, PA_FT_IPV4, p->arp.spa, 4) : 0;
    case PA_DF_ARP_DST_PROTO_IPV4: return p->has_arp ? pa_put_addr(out, max, PA_FT_IPV4, p->arp.tpa, 4) : 0;
    case PA_DF_ARP_SRC_HW_MAC: return p->has_arp ? pa_put_addr(out, max, PA_FT_ETHER, p->arp.sha, 6) : 0;
    case PA_DF_ARP_DST_HW_MAC: return p->has_arp ? pa_put_addr(out, max, PA_FT_ETHER, p->arp.tha, 6) : 0;
    default: return 0;
    }
}

static size_t tcp_values(pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_packet *p = f->p;
    const pa_frame_ctx *c = f->ctx;
    if (field == PA_DF_TCP_SRCPORT) return l4_values(f, PA_P_TCP, 0, out, max);
    if (field == PA_DF_TCP_DSTPORT) return l4_values(f, PA_P_TCP, 1, out, max);
    if (field == PA_DF_TCP_PORT) return l4_values(f, PA_P_TCP, 2, out, max);
    if (field == PA_DF_TCP && !is_tcp(p)) return l4_values(f, PA_P_TCP, 4, out, max);
    if (!is_tcp(p)) return 0;
    const pa_tcp_info *t = &p->tcp;
    uint32_t ta = c->tcp_analysed ? c->ta_flags : 0;
    switch (field) {
    case PA_DF_TCP: return pa_put_bytes(out, max, PA_FT_BYTES, p->payload - t->hdr_len, t->hdr_len + p->payload_len);
    case PA_DF_TCP_STREAM: return c->has_stream ? pa_put_u(out, max, c->stream) : 0;
    case PA_DF_TCP_LEN: return pa_put_u(out, max, p->payload_wire_len);
    case PA_DF_TCP_SEQ:
        return c->seq_base_known ? pa_put_u(out, max, (uint32_t)(t->seq - c->seq_base)) : pa_put_u(out, max, t->seq);
    case PA_DF_TCP_SEQ_RAW: return pa_put_u(out, max, t->seq);
    case PA_DF_TCP_ACK:
        /* without the ACK flag Wireshark shows a nonzero field as it is */
        if (!(t->flags & PA_TCP_ACK)) return t->ack ? pa_put_u(out, max, t->ack) : 0;
        return c->ack_base_known ? pa_put_u(out, max, (uint32_t)(t->ack - c->ack_base)) : pa_put_u(out, max, t->ack);
    case PA_DF_TCP_ACK_RAW: return pa_put_u(out, max, t->ack);
    case PA_DF_TCP_HDR_LEN: return pa_put_u(out, max, t->hdr_len);
    case PA_DF_TCP_FLAGS: return pa_put_u(out, max, t->flags);
    case PA_DF_TCP_FLAGS_FIN: return pa_put_bool(out, max, t->flags & PA_TCP_FIN);
    case PA_DF_TCP_FLAGS_SYN: return pa_put_bool(out, max, t->flags & PA_TCP_SYN);
    case PA_DF_TCP_FLAGS_RESET: return pa_put_bool(out, max, t->flags & PA_TCP_RST);
    case PA_DF_TCP_FLAGS_PUSH: return pa_put_bool(out, max, t->flags & PA_TCP_PSH);
    case PA_DF_TCP_FLAGS_ACK: return pa_put_bool(out, max, t->flags & PA_TCP_ACK);
    case PA_DF_TCP_FLAGS_URG: return pa_put_bool(out, max, t->flags & PA_TCP_URG);
    case PA_DF_TCP_FLAGS_ECE: return pa_put_bool(out, max, t->flags & PA_TCP_ECE);
    case PA_DF_TCP_FLAGS_CWR: return pa_put_bool(out, max, t->flags & PA_TCP_CWR);
    case PA_DF_TCP_WINDOW_SIZE_VALUE: return pa_put_u(out, max, t->window);
    case PA_DF_TCP_WINDOW_SIZE:
        /* SYNs are never scaled; an unknown scale leaves the value as sent (Wireshark) */
        if ((t->flags & PA_TCP_SYN) || c->wscale < 0) return pa_put_u(out, max, t->window);
        return pa_put_u(out, max, (uint64_t)t->window << c->wscale);
    case PA_DF_TCP_OPTIONS_MSS_VAL: return t->has_mss ? pa_put_u(out, max, t->mss) : 0;
    case PA_DF_TCP_OPTIONS_WSCALE_SHIFT: return t->has_ws ? pa_put_u(out, max, t->ws_shift) : 0;
    case PA_DF_TCP_OPTIONS_SACK_PERM: return t->sack_perm ? pa_put_bool(out, max, true) : 0;
    case PA_DF_TCP_OPTIONS_TIMESTAMP_TSVAL: return t->has_ts ? pa_put_u(out, max, t->tsval) : 0;
    case PA_DF_TCP_OPTIONS_MPTCP_SUBTYPE: {
        size_t n = 0;
        for (uint8_t i = 0; i < t->nmptcp; i++) n += pa_put_u(out + n, max - n, t->mptcp_sub[i]);
        return n;
    }
    case PA_DF_TCP_OPTIONS_MPTCP_VERSION: return t->mp_capable ? pa_put_u(out, max, t->mp_version) : 0;
    case PA_DF_TCP_OPTIONS_MPTCP_SENDKEY: return t->has_sendkey ? pa_put_u(out, max, t->sendkey) : 0;
    case PA_DF_TCP_OPTIONS_MPTCP_RECVKEY: return t->has_recvkey ? pa_put_u(out, max, t->recvkey) : 0;
    case PA_DF_TCP_OPTIONS_MPTCP_RECVTOK: return t->has_recvtok ? pa_put_u(out, max, t->recvtok) : 0;
    case PA_DF_TCP_PAYLOAD: return p->payload_len ? pa_put_bytes(out, max, PA_FT_BYTES, p->payload, p->payload_len) : 0;
    case PA_DF_TCP_ANALYSIS_FLAGS: return ta ? pa_put_bool(out, max, true) : 0;
    case PA_DF_TCP_ANALYSIS_RETRANSMISSION:
        return (ta & (PA_TA_RETRANSMISSION | PA_TA_FAST_RETRANSMISSION | PA_TA_SPURIOUS_RETRANSMISSION))
                   ? pa_put_bool(out, max, true)
                   : 0;
    case PA_DF_TCP_ANALYSIS_FAST_RETRANSMISSION:
        return (ta & PA_TA_FAST_RETRANSMISSION) ? pa_put_bool(out, max, true) : 0;
    case PA_DF_TCP_ANALYSIS_SPURIOUS_RETRANSMISSION:
        return (ta & PA_TA_SPURIOUS_RETRANSMISSION) ? pa_put_bool(out, max, true) : 0;
    case PA_DF_TCP_ANALYSIS_OUT_OF_ORDER: return (ta & PA_TA_OUT_OF_ORDER) ? pa_put_bool(out, max, true) : 0;
    case PA_DF_TCP_ANALYSIS_LOST_SEGMENT: return (ta & PA_TA_LOST_SEGMENT) ? pa_put_bool(out, max, true) : 0;
    case PA_DF_TCP_ANALYSIS_ACK_LOST_SEGMENT: return (ta & PA_TA_ACK_LOST_SEGMENT) ? pa_put_bool(out, max, true) : 0;
    case PA_DF_TCP_ANALYSIS_DUPLICATE_ACK: return (ta & PA_TA_DUPLICATE_ACK) ? pa_put_bool(out, max, true) : 0;
    case PA_DF_TCP_ANALYSIS_DUPLICATE_ACK_NUM: return (ta & PA_TA_DUPLICATE_ACK) ? pa_put_u(out, max, c->dup_num) : 0;
    case PA_DF_TCP_ANALYSIS_ZERO_WINDOW: return (ta & PA_TA_ZERO_WINDOW) ? pa_put_bool(out, max, true) : 0;
    case PA_DF_TCP_ANALYSIS_ZERO_WINDOW_PROBE: return (ta & PA_TA_ZERO_WINDOW_PROBE) ? pa_put_bool(out, max, true) : 0;
    case PA_DF_TCP_ANALYSIS_ZERO_WINDOW_PROBE_ACK:
        return (ta & PA_TA_ZERO_WINDOW_PROBE_ACK) ? pa_put_bool(out, max, true) : 0;
    case PA_DF_TCP_ANALYSIS_WINDOW_FULL: return (ta & PA_TA_WINDOW_FULL) ? pa_put_bool(out, max, true) : 0;
    case PA_DF_TCP_ANALYSIS_WINDOW_UPDATE: return (ta & PA_TA_WINDOW_UPDATE) ? pa_put_bool(out, max, true) : 0;
    case PA_DF_TCP_ANALYSIS_KEEP_ALIVE: return (ta & PA_TA_KEEP_ALIVE) ? pa_put_bool(out, max, true) : 0;
    case PA_DF_TCP_ANALYSIS_KEEP_ALIVE_ACK: return (ta & PA_TA_KEEP_ALIVE_ACK) ? pa_put_bool(out, max, true) : 0;
    case PA_DF_TCP_ANALYSIS_REUSED_PORTS: return (ta & PA_TA_REUSED_PORTS) ? pa_put_bool(out, max, true) : 0;
    /* Wireshark adds ack_rtt only when it is not zero (two frames with one timestamp) */
    case PA_DF_TCP_ANALYSIS_ACK_RTT:
        return c->has_rtt && c->rtt_ns != 0 ? pa_put_d(out, max, (double)c->rtt_ns / 1e9) : 0;
    default: return 0;
    }
}

static size_t udp_values(pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_packet *p = f->p;
    const pa_frame_ctx *c = f->ctx;
    switch (field) {
    case PA_DF_UDP:
        if (is_udp(p)) return pa_put_bytes(out, max, PA_FT_BYTES, p->payload - 8, 8 + p->payload_len);
        return l4_values(f, PA_P_UDP, 4, out, max);
    case PA_DF_UDP_SRCPORT: return l4_values(f, PA_P_UDP, 0, out, max);
    case PA_DF_UDP_DSTPORT: return l4_values(f, PA_P_UDP, 1, out, max);
    case PA_DF_UDP_PORT: return l4_values(f, PA_P_UDP, 2, out, max);
    case PA_DF_UDP_STREAM: {
        size_t n = is_udp(p) && c->has_stream ? pa_put_u(out, max, c->stream) : 0;
        for (uint8_t i = 0; i < p->nxip && n < max; i++)
            if (p->xip[i].l4 == PA_P_UDP && c->xip_udp_stream[i] >= 0)
                n += pa_put_u(out + n, max - n, (uint64_t)c->xip_udp_stream[i]);
        return n;
    }
    case PA_DF_UDP_LENGTH: return l4_values(f, PA_P_UDP, 3, out, max);
    case PA_DF_UDP_PAYLOAD: {
        size_t n = is_udp(p) && p->payload_len ? pa_put_bytes(out, max, PA_FT_BYTES, p->payload, p->payload_len) : 0;
        for (uint8_t i = 0; i < p->nxip && n < max; i++)
            if (p->xip[i].l4 == PA_P_UDP && p->xip[i].l4_payload_len)
                n += pa_put_bytes(out + n, max - n, PA_FT_BYTES, p->xip[i].l4_payload, p->xip[i].l4_payload_len);
        return n;
    }
    default: return 0;
    }
}

static size_t icmp_values(pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_packet *p = f->p;
    switch (field) {
    case PA_DF_ICMP: return p->l4 == PA_P_ICMP ? pa_put_bool(out, max, true) : 0;
    case PA_DF_ICMP_TYPE: return p->l4 == PA_P_ICMP ? pa_put_u(out, max, p->icmp_type) : 0;
    case PA_DF_ICMP_CODE: return p->l4 == PA_P_ICMP ? pa_put_u(out, max, p->icmp_code) : 0;
    case PA_DF_ICMPV6: return p->l4 == PA_P_ICMPV6 ? pa_put_bool(out, max, true) : 0;
    case PA_DF_ICMPV6_TYPE: return p->l4 == PA_P_ICMPV6 ? pa_put_u(out, max, p->icmp_type) : 0;
    case PA_DF_ICMPV6_CODE: return p->l4 == PA_P_ICMPV6 ? pa_put_u(out, max, p->icmp_code) : 0;
    case PA_DF_ICMP_MTU:
    case PA_DF_ICMPV6_MTU: {
        /* fragmentation needed: the low 16 bits of the second word; packet too big: all of it */
        bool v6 = field == PA_DF_ICMPV6_MTU;
        if (p->l4 != (v6 ? PA_P_ICMPV6 : PA_P_ICMP) || !p->payload) return 0;
        if (v6 ? p->icmp_type != 2 : p->icmp_type != 3 || p->icmp_code != 4) return 0;
        pa_cur c = pa_cur_make(p->payload, p->payload_len);
        uint32_t w;
        if (!pa_cur_be32(&c, &w)) return 0;
        return pa_put_u(out, max, v6 ? w : w & 0xFFFF);
    }
    default: return 0;
    }
}

/* ---- dispatch: the group a field opens, then its getter ---------------- */

typedef size_t (*layer_getter)(pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max);

/* The first field of every group, in fields.def order: the layers' groups,
 * then one per analyzer in table order. */
static const pa_dfield group_first[] = {
#define PA_DF(id, name, type, desc)
#define PA_DF_GROUP(group) PA_DFG_##group,
#include "fields.def"
#undef PA_DF_GROUP
#undef PA_DF
};
#define NGROUPS (sizeof group_first / sizeof group_first[0])
#define NLAYER_GROUPS (NGROUPS - PA_AN_COUNT)

static size_t ip_getter(pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max) {
    return ip_values(f, field, out, max);
}

/* The layers' getters, in the order of their groups in layer_fields.def. */
static const layer_getter layer_get[] = {frame_values, eth_values,  arp_values,       ip_getter,      tcp_values,
                                         udp_values,   icmp_values, pa_dframe_capwap, pa_dframe_wlan, pa_dframe_llc};
_Static_assert(sizeof layer_get / sizeof layer_get[0] == NLAYER_GROUPS, "a getter per group of layer_fields.def");

size_t pa_dframe_get(void *ud, pa_dfield field, pa_dvalue *out, size_t max) {
    pa_dframe *f = ud;
    if ((unsigned)field >= PA_DF_COUNT) return 0;
    size_t g = NGROUPS - 1;
    while (g > 0 && group_first[g] > field) g--;
    if (g < NLAYER_GROUPS) return layer_get[g](f, field, out, max);
    /* an analyzer's field: a bank of names of its own for this call */
    f->ff.bank ^= 1;
    f->ff.nnames = 0;
    return pa_analyzers[g - NLAYER_GROUPS]->field_values(&f->ff, field, out, max);
}
