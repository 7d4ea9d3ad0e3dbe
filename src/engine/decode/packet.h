/* A decoded packet: what the stateless decoders found, as plain data.
 * Pointers borrow the frame's bytes and are valid only until the next frame. */
#ifndef PA_PACKET_H
#define PA_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
#define PA_PROTO(id, name, longname) PA_P_##id,
#include "proto.def"
#undef PA_PROTO
    PA_P_COUNT
} pa_proto;

typedef enum {
#define PA_ANOM(id, name, desc) PA_A_##id,
#include "anomaly.def"
#undef PA_ANOM
    PA_A_COUNT
} pa_anom;

const char *pa_proto_name(pa_proto p);
const char *pa_proto_longname(pa_proto p);
const char *pa_anom_name(pa_anom a);
const char *pa_anom_desc(pa_anom a);

/* Caps on loops driven by packet data. */
#define PA_MAX_LAYERS 24     /* protocol path entries per frame */
#define PA_MAX_ENCAP_DEPTH 4 /* tunnels inside tunnels */
#define PA_MAX_VLAN_TAGS 2   /* 802.1ad + 802.1Q */
#define PA_MAX_MPLS_LABELS 8
#define PA_MAX_IPV6_EXT 128 /* each is >= 8 bytes, so the frame bounds it too */
#define PA_MAX_PKT_ANOM 8

typedef struct pa_addr {
    uint8_t family; /* 0 none, 4, 6 */
    uint8_t b[16];  /* IPv4 in the first 4 bytes */
} pa_addr;

/* TCP flag bits as on the wire (low 8) plus NS (0x100). */
enum {
    PA_TCP_FIN = 0x01,
    PA_TCP_SYN = 0x02,
    PA_TCP_RST = 0x04,
    PA_TCP_PSH = 0x08,
    PA_TCP_ACK = 0x10,
    PA_TCP_URG = 0x20,
    PA_TCP_ECE = 0x40,
    PA_TCP_CWR = 0x80,
    PA_TCP_NS = 0x100,
};

typedef struct pa_tcp_info {
    uint32_t seq, ack;
    uint16_t flags;
    uint16_t window; /* raw, unscaled */
    uint16_t urgent;
    uint8_t hdr_len; /* bytes */
    bool has_mss, has_ws, sack_perm, has_ts;
    uint16_t mss;
    uint8_t ws_shift;
    uint8_t nsack;
    uint32_t sack[4][2];
    uint32_t tsval, tsecr;
    /* Multipath TCP options (kind 30; RFC 6824 is version 0, RFC 8684
     * version 1): each option's subtype, in order (the first 4 kept); an
     * MP_CAPABLE's version and keys (v0 sends the sender's key in the SYN
     * and the SYN/ACK, both in the third ACK; v1 none in the SYN, the
     * sender's in the SYN/ACK, both in the third ACK or the first data);
     * an MP_JOIN SYN's token of the receiver's key. */
    uint8_t nmptcp;
    uint8_t mptcp_sub[4];
    bool mp_capable, has_sendkey, has_recvkey, has_recvtok;
    uint8_t mp_version;
    uint32_t recvtok;
    uint64_t sendkey, recvkey;
} pa_tcp_info;

typedef struct pa_arp_info {
    uint16_t op;
    uint16_t htype; /* hardware type: 1 Ethernet, 6 IEEE 802 ... */
    uint8_t sha[6], tha[6];
    uint8_t spa[4], tpa[4];
} pa_arp_info;

typedef struct pa_packet {
    /* frame */
    uint64_t frame_no; /* 1-based, as Wireshark */
    int64_t ts_ns;     /* nanoseconds since the epoch */
    uint32_t caplen, wirelen;
    int linktype;

    /* protocol path, outermost first (the protocol-hierarchy key) */
    uint8_t nlayers;
    uint8_t layers[PA_MAX_LAYERS];

    /* link layer (outermost Ethernet header when present) */
    bool has_eth;
    uint8_t eth_src[6], eth_dst[6];
    uint8_t nvlan;
    uint16_t vlan[PA_MAX_VLAN_TAGS]; /* VLAN ids, outer first */

    bool has_arp;
    pa_arp_info arp;

    /* network layer: the innermost IP header (what flows key on) */
    uint8_t ip_ver; /* 0 when there is no IP */
    pa_addr src, dst;
    uint8_t ip_proto; /* transport protocol number after extension headers */
    uint8_t ttl;      /* TTL or hop limit */
    uint8_t tos;      /* DSCP+ECN byte / traffic class */
    uint16_t ip_id;
    bool ip_df, ip_mf;
    uint16_t frag_offset;    /* bytes */
    bool is_fragment;        /* a fragment that was not (yet) reassembled */
    bool reassembled;        /* this frame completed a datagram */
    bool frag_snapped;       /* a fragment cut by the snapshot length (not reassembled) */
    uint8_t frag_proto;      /* a fragment's (or reassembled datagram's) protocol */
    uint32_t frag_id;        /* ... and its identification (IPv6: all 32 bits) */
    bool ip6_fraghdr;        /* the innermost IPv6 header has a fragment header (atomic ones too) */
    uint32_t ip_len;         /* IP total length (header + payload) from the header */
    uint32_t ip_payload_len; /* transport bytes the IP header claims (not what was captured) */
    const uint8_t *ip_hdr;   /* the innermost IPv4 header (checksum checks); NULL otherwise */
    uint16_t ip_hlen;
    uint32_t ip_wire_avail; /* bytes from the IP header to the frame's end on the wire, when the
                               header claims more (Wireshark's "exceeds packet length") */
    uint8_t encap_depth;    /* number of tunnels crossed */
    bool has_outer_ip;      /* for tunnels: the outermost IP pair */
    pa_addr outer_src, outer_dst;
    /* Every IP header a tunnel was entered from, outermost first: each is a
     * conversation of its own (GRE, IP-in-IP, or VXLAN/Geneve/Teredo UDP). */
    uint8_t ntun;
    struct pa_tunnel_hop {
        pa_addr src, dst;
        uint8_t ip_proto, ttl;
        pa_proto l4; /* PA_P_UDP for UDP tunnels, NONE otherwise */
        uint16_t sport, dport;
        uint32_t ip_len;
    } tun[PA_MAX_ENCAP_DEPTH];

    /* Other IP headers of the frame that display filters see as further
     * values of ip.* / ipv6.* / udp.* / tcp.*: the outer headers of tunnels,
     * and the header an ICMP error quotes (what Wireshark dissects there). */
    uint8_t nxip;
    struct pa_ip_layer {
        uint8_t ver, proto, ttl, tos; /* proto: ip.proto / ipv6.nxt of this header */
        pa_addr src, dst;
        uint16_t id, frag_offset;
        bool df, mf;
        uint32_t len; /* ip.len (IPv4 total length) or ipv6.plen */
        pa_proto l4;  /* PA_P_TCP or PA_P_UDP when its ports are known */
        uint16_t sport, dport, udp_len;
        bool quoted;               /* inside an ICMP error (else: a tunnel's outer header) */
        const uint8_t *l4_payload; /* UDP payload captured (into the frame; valid while it is) */
        uint32_t l4_payload_len;
    } xip[PA_MAX_ENCAP_DEPTH + 1];
    uint8_t ip6_nxt;   /* the IPv6 header's own next-header field */
    uint16_t ip6_plen; /* and its payload length field */
    uint16_t ip4_len;  /* the IPv4 total length field as sent */
    /* Headers the display filters read again (decode/wireless.h), the first
     * of each kind: pointers into the frame (or the reassembly buffer), NULL
     * when absent, with the bytes captured from there (the CAPWAP header's
     * at most 255, the LLC header's 8, the 802.11 frame's up to 65535). */
    const uint8_t *capwap_hdr; /* a CAPWAP data channel header */
    const uint8_t *wlan_hdr;   /* an IEEE 802.11 MAC header */
    const uint8_t *llc_hdr;    /* an 802.2 LLC header (and its SNAP header) */
    uint16_t wlan_caplen;      /* the 802.11 frame (A-MSDU subframes are read too) */
    uint8_t capwap_caplen, llc_caplen;
    bool wlan_fc_swapped; /* its frame-control bytes in Cisco's CAPWAP order */
    /* Inner Ethernet headers (bridged tunnels): more values of eth.* */
    uint8_t neth_inner;
    uint8_t eth_inner[2][12]; /* dst then src */
    uint16_t eth_inner_type[2];

    /* transport */
    pa_proto l4; /* PA_P_TCP, PA_P_UDP, PA_P_SCTP, PA_P_ICMP, PA_P_ICMPV6 or NONE */
    uint16_t sport, dport;
    pa_tcp_info tcp;
    uint8_t icmp_type, icmp_code;
    const uint8_t *payload;    /* after the transport header, clipped to the IP length */
    uint32_t payload_len;      /* bytes captured */
    uint32_t payload_wire_len; /* bytes the headers claim (>= captured when snaplen cut) */

    /* application protocol recognised by port or payload (PA_P_NONE if none) */
    pa_proto app;

    /* anomalies seen in this frame */
    uint8_t nanom;
    uint16_t anom[PA_MAX_PKT_ANOM];
} pa_packet;

/* The packet's own IP header (and transport ports) as a pa_ip_layer. */
void pa_packet_ip_layer(const pa_packet *p, struct pa_ip_layer *x);

static inline void pa_packet_anom(pa_packet *p, pa_anom a) {
    if (p->nanom < PA_MAX_PKT_ANOM) p->anom[p->nanom++] = (uint16_t)a;
}

static inline void pa_packet_layer(pa_packet *p, pa_proto proto) {
    if (p->nlayers < PA_MAX_LAYERS) p->layers[p->nlayers++] = (uint8_t)proto;
}

/* "192.0.2.1", "2001:db8::1"; out must hold 46 bytes. */
void pa_addr_str(const pa_addr *a, char *out, size_t outlen);
void pa_mac_str(const uint8_t mac[6], char *out, size_t outlen);

#endif
