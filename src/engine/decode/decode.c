/* Frame entry point, link types, and the dispatch tables. */
#include <pcap/dlt.h>
#include <stdio.h>
#include <string.h>

#include "decode_internal.h"

static const char *const proto_names[] = {
#define PA_PROTO(id, name, longname) name,
#include "proto.def"
#undef PA_PROTO
};
static const char *const proto_longnames[] = {
#define PA_PROTO(id, name, longname) longname,
#include "proto.def"
#undef PA_PROTO
};
static const char *const anom_names[] = {
#define PA_ANOM(id, name, desc) name,
#include "anomaly.def"
#undef PA_ANOM
};
static const char *const anom_descs[] = {
#define PA_ANOM(id, name, desc) desc,
#include "anomaly.def"
#undef PA_ANOM
};

const char *pa_proto_name(pa_proto p) { return p < PA_P_COUNT ? proto_names[p] : "?"; }
const char *pa_proto_longname(pa_proto p) { return p < PA_P_COUNT ? proto_longnames[p] : "?"; }
const char *pa_anom_name(pa_anom a) { return a < PA_A_COUNT ? anom_names[a] : "?"; }
const char *pa_anom_desc(pa_anom a) { return a < PA_A_COUNT ? anom_descs[a] : "?"; }

void pa_decoder_init(pa_decoder *d) { pa_frag_init(&d->frag); }
void pa_decoder_free(pa_decoder *d) { pa_frag_free(&d->frag); }

void pa_dispatch_ethertype(pa_decoder *d, uint16_t type, pa_cur c, pa_packet *p) {
    /* Headers can chain without a tunnel (Ethernet in Ethernet, Cisco
     * MetaData, SNAP): the layer cap bounds the recursion. */
    if (p->nlayers >= PA_MAX_LAYERS) return;
    switch (type) {
#define PA_ETHERTYPE(v, fn)                                                                                            \
    case v:                                                                                                            \
        fn(d, c, p);                                                                                                   \
        return;
#include "ethertype.def"
#undef PA_ETHERTYPE
    case 0x88CC: pa_packet_layer(p, PA_P_LLDP); return;
    case 0x9000: pa_packet_layer(p, PA_P_LOOP); return;
    case 0x8863: pa_packet_layer(p, PA_P_PPPOED); return;
    default: pa_packet_layer(p, PA_P_DATA); return;
    }
}

void pa_packet_ip_layer(const pa_packet *p, struct pa_ip_layer *x) {
    memset(x, 0, sizeof *x);
    x->ver = p->ip_ver;
    x->proto = p->ip_ver == 6 ? p->ip6_nxt : (p->ip_hdr ? p->ip_hdr[9] : p->ip_proto);
    x->ttl = p->ttl;
    x->tos = p->tos;
    x->src = p->src;
    x->dst = p->dst;
    x->id = p->ip_id;
    x->frag_offset = p->frag_offset;
    x->df = p->ip_df;
    x->mf = p->ip_mf;
    /* a total length of 0 (segmentation offload): what was captured, as Wireshark */
    x->len = p->ip_ver == 6 ? p->ip6_plen : (p->ip4_len ? p->ip4_len : p->ip_len);
    if ((p->l4 == PA_P_UDP || p->l4 == PA_P_TCP) && !p->is_fragment && p->payload) {
        x->l4 = p->l4;
        x->sport = p->sport;
        x->dport = p->dport;
        if (p->l4 == PA_P_UDP) {
            x->udp_len = (uint16_t)(p->payload[-4] << 8 | p->payload[-3]);
            x->l4_payload = p->payload;
            x->l4_payload_len = p->payload_len;
        }
    }
}

bool pa_enter_tunnel(pa_packet *p) {
    if (p->encap_depth >= PA_MAX_ENCAP_DEPTH) {
        pa_packet_anom(p, PA_A_ENCAP_TOO_DEEP);
        return false;
    }
    if (p->ip_ver) {
        if (!p->has_outer_ip) {
            p->has_outer_ip = true;
            p->outer_src = p->src;
            p->outer_dst = p->dst;
        }
        struct pa_tunnel_hop *h = &p->tun[p->ntun++]; /* ntun <= encap_depth < cap */
        h->src = p->src;
        h->dst = p->dst;
        h->ip_proto = p->ip_proto;
        h->ttl = p->ttl;
        h->l4 = p->l4;
        h->sport = p->sport;
        h->dport = p->dport;
        h->ip_len = p->ip_len;
        if (p->nxip < PA_MAX_ENCAP_DEPTH + 1) pa_packet_ip_layer(p, &p->xip[p->nxip++]);
    }
    p->encap_depth++;
    /* Network and transport fields now belong to the inner packet; when the
     * tunnel carries no IP (ARP in VXLAN), there is no inner flow at all. */
    p->ip_ver = 0;
    p->l4 = PA_P_NONE;
    p->sport = p->dport = 0;
    p->payload = NULL;
    p->payload_len = p->payload_wire_len = 0;
    return true;
}

void pa_dispatch_ipproto(pa_decoder *d, uint8_t proto, pa_cur c, pa_packet *p) {
    if (p->nlayers >= PA_MAX_LAYERS) return;
    if ((proto == 4 || proto == 41) && !pa_enter_tunnel(p)) return;
    switch (proto) {
#define PA_IPPROTO(v, fn)                                                                                              \
    case v:                                                                                                            \
        fn(d, c, p);                                                                                                   \
        return;
#include "ipproto.def"
#undef PA_IPPROTO
    /* Named in the hierarchy but not decoded further. */
    case 2: pa_packet_layer(p, PA_P_IGMP); return;
    case 50: pa_packet_layer(p, PA_P_ESP); return;
    case 51: pa_packet_layer(p, PA_P_AH); return;
    case 89: pa_packet_layer(p, PA_P_OSPF); return;
    case 103: pa_packet_layer(p, PA_P_PIM); return;
    case 112: pa_packet_layer(p, PA_P_VRRP); return;
    default:
        if (c.len) pa_packet_layer(p, PA_P_DATA);
        return;
    }
}

bool pa_decode_linktype_supported(int lt) {
    switch (lt) {
    case DLT_EN10MB:
    case DLT_LINUX_SLL:
    case DLT_LINUX_SLL2:
    case DLT_NULL:
    case DLT_LOOP:
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6: return true;
    default: return false;
    }
}

const char *pa_linktype_name(int lt) {
    switch (lt) {
    case DLT_EN10MB: return "Ethernet";
    case DLT_LINUX_SLL: return "Linux cooked v1 (SLL)";
    case DLT_LINUX_SLL2: return "Linux cooked v2 (SLL2)";
    case DLT_NULL: return "BSD loopback (NULL)";
    case DLT_LOOP: return "OpenBSD loopback (LOOP)";
    case DLT_RAW: return "Raw IP";
    case DLT_IPV4: return "Raw IPv4";
    case DLT_IPV6: return "Raw IPv6";
    default: return "unsupported";
    }
}

/* Raw IP: the version nibble says which. */
static void dec_raw(pa_decoder *d, pa_cur c, pa_packet *p) {
    uint8_t v;
    if (!pa_cur_peek_u8(&c, 0, &v)) {
        pa_packet_anom(p, PA_A_LINK_TRUNCATED);
        return;
    }
    if ((v >> 4) == 4)
        pa_dec_ipv4(d, c, p);
    else if ((v >> 4) == 6)
        pa_dec_ipv6(d, c, p);
    else
        pa_packet_layer(p, PA_P_DATA);
}

/* Linux cooked v1: 16-byte header, protocol last. */
static void dec_sll(pa_decoder *d, pa_cur c, pa_packet *p) {
    pa_packet_layer(p, PA_P_SLL);
    uint16_t hatype, proto;
    if (!pa_cur_skip(&c, 2) || !pa_cur_be16(&c, &hatype) || !pa_cur_skip(&c, 10) || !pa_cur_be16(&c, &proto)) {
        pa_packet_anom(p, PA_A_LINK_TRUNCATED);
        return;
    }
    if (proto == 0x0004)
        pa_dec_llc(d, c, p); /* 802.2 frames */
    else if (proto >= 0x0600)
        pa_dispatch_ethertype(d, proto, c, p);
    else
        pa_packet_layer(p, PA_P_DATA);
}

/* Linux cooked v2: 20-byte header, protocol first. */
static void dec_sll2(pa_decoder *d, pa_cur c, pa_packet *p) {
    pa_packet_layer(p, PA_P_SLL2);
    uint16_t proto;
    if (!pa_cur_be16(&c, &proto) || !pa_cur_skip(&c, 18)) {
        pa_packet_anom(p, PA_A_LINK_TRUNCATED);
        return;
    }
    if (proto == 0x0004)
        pa_dec_llc(d, c, p);
    else if (proto >= 0x0600)
        pa_dispatch_ethertype(d, proto, c, p);
    else
        pa_packet_layer(p, PA_P_DATA);
}

/* BSD loopback: a 4-byte address family in the writer's byte order (NULL)
 * or network order (LOOP). IPv6 has several values across BSDs. */
static void dec_null(pa_decoder *d, pa_cur c, pa_packet *p, bool network_order) {
    pa_packet_layer(p, PA_P_NULLLOOP);
    uint32_t fam;
    if (!(network_order ? pa_cur_be32(&c, &fam) : pa_cur_le32(&c, &fam))) {
        pa_packet_anom(p, PA_A_LINK_TRUNCATED);
        return;
    }
    if (!network_order && (fam & 0xFFFF0000u)) /* written big-endian */
        fam = (fam >> 24) | ((fam >> 8) & 0xFF00u) | ((fam << 8) & 0xFF0000u) | (fam << 24);
    if (fam == 2)
        pa_dec_ipv4(d, c, p);
    else if (fam == 10 || fam == 24 || fam == 28 || fam == 30)
        pa_dec_ipv6(d, c, p);
    else
        pa_packet_layer(p, PA_P_DATA);
}

void pa_decode_frame(pa_decoder *d, int linktype, const uint8_t *data, pa_packet *p) {
    pa_cur c = pa_cur_make(data, p->caplen);
    if (p->caplen == 0) {
        pa_packet_anom(p, PA_A_FRAME_CAPLEN_ZERO);
        return;
    }
    if (p->caplen < p->wirelen) pa_packet_anom(p, PA_A_FRAME_SNAPLEN);
    switch (linktype) {
    case DLT_EN10MB: pa_dec_eth(d, c, p); break;
    case DLT_LINUX_SLL: dec_sll(d, c, p); break;
    case DLT_LINUX_SLL2: dec_sll2(d, c, p); break;
    case DLT_NULL: dec_null(d, c, p, false); break;
    case DLT_LOOP: dec_null(d, c, p, true); break;
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6: dec_raw(d, c, p); break;
    default: pa_packet_anom(p, PA_A_LINK_UNSUPPORTED); break;
    }
}

void pa_addr_str(const pa_addr *a, char *out, size_t outlen) {
    if (a->family == 4) {
        snprintf(out, outlen, "%u.%u.%u.%u", a->b[0], a->b[1], a->b[2], a->b[3]);
        return;
    }
    if (a->family != 6) {
        snprintf(out, outlen, "-");
        return;
    }
    /* RFC 5952: lower case, longest run (>1) of zero groups as "::". */
    uint16_t g[8];
    for (int i = 0; i < 8; i++) g[i] = (uint16_t)(a->b[2 * i] << 8 | a->b[2 * i + 1]);
    int best = -1, bestlen = 1;
    for (int i = 0; i < 8;) {
        if (g[i]) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && !g[j]) j++;
        if (j - i > bestlen) {
            best = i;
            bestlen = j - i;
        }
        i = j;
    }
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < 8 && n < outlen; i++) {
        if (i == best) {
            n += (size_t)snprintf(out + n, outlen - n, "::");
            i += bestlen - 1;
            continue;
        }
        bool colon = i > 0 && !(best >= 0 && i == best + bestlen);
        n += (size_t)snprintf(out + n, outlen - n, "%s%x", colon ? ":" : "", g[i]);
    }
}

void pa_mac_str(const uint8_t m[6], char *out, size_t outlen) {
    snprintf(out, outlen, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}
