/* Decoders: each encapsulation and malformation, on frames built with
 * support/pktgen. Asserts the fields the flow table and the reports use. */
#include <pcap/dlt.h>
#include <stdlib.h>

#include "check.h"
#include "decode.h"
#include "pktgen.h"

static pa_decoder *dec;
static const uint8_t MAC_A[6] = {0x02, 0, 0, 0, 0, 0x0a}, MAC_B[6] = {0x02, 0, 0, 0, 0, 0x0b};
static const uint8_t IP_A[4] = {10, 0, 0, 1}, IP_B[4] = {10, 0, 0, 2};
static const uint8_t IP_C[4] = {192, 168, 1, 1}, IP_D[4] = {192, 168, 1, 2};
static uint8_t IP6_A[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, IP6_B[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

static pa_packet decode(int lt, const uint8_t *data, size_t len) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.frame_no = 1;
    p.caplen = p.wirelen = (uint32_t)len;
    pa_decode_frame(dec, lt, data, &p);
    return p;
}

static bool has_anom(const pa_packet *p, pa_anom a) {
    for (int i = 0; i < p->nanom; i++)
        if (p->anom[i] == a) return true;
    return false;
}

/* "eth/ip/tcp" from the layer list. */
static const char *path(const pa_packet *p) {
    static char s[256];
    s[0] = '\0';
    for (int i = 0; i < p->nlayers; i++) {
        if (i) strncat(s, "/", sizeof s - strlen(s) - 1);
        strncat(s, pa_proto_name((pa_proto)p->layers[i]), sizeof s - strlen(s) - 1);
    }
    return s;
}

/* An IPv4/UDP datagram (no link layer) into buf; returns its length. */
static size_t ipv4_udp(uint8_t *buf, size_t cap, const uint8_t *src, const uint8_t *dst, uint16_t sp, uint16_t dp,
                       const char *payload) {
    pg_pkt k;
    pg_pkt_init(&k, buf, cap);
    pg_ip4 ip = {.ttl = 64, .id = 7};
    memcpy(ip.src, src, 4);
    memcpy(ip.dst, dst, 4);
    pg_ipv4(&k, &ip);
    pg_udp(&k, sp, dp);
    pg_bytes(&k, payload, strlen(payload));
    pg_finish(&k);
    return k.err ? 0 : k.len;
}

static size_t ipv4_tcp(uint8_t *buf, size_t cap, uint8_t flags, const pg_tcp_opts *opt, const char *payload) {
    pg_pkt k;
    pg_pkt_init(&k, buf, cap);
    pg_ip4 ip = {.ttl = 63};
    memcpy(ip.src, IP_A, 4);
    memcpy(ip.dst, IP_B, 4);
    pg_ipv4(&k, &ip);
    pg_tcp_hdr th = {.sport = 40000, .dport = 443, .seq = 1000, .ack = 2000, .flags = flags, .win = 512};
    if (opt) th.opt = *opt;
    pg_tcp(&k, &th);
    pg_bytes(&k, payload, strlen(payload));
    pg_finish(&k);
    return k.err ? 0 : k.len;
}

/* Ethernet header + raw bytes. */
static size_t eth_wrap(uint8_t *out, uint16_t type, const uint8_t *in, size_t n) {
    memcpy(out, MAC_B, 6);
    memcpy(out + 6, MAC_A, 6);
    out[12] = (uint8_t)(type >> 8);
    out[13] = (uint8_t)type;
    memcpy(out + 14, in, n);
    return n + 14;
}

static void test_tcp_options(void) {
    uint8_t ip[256], f[300];
    pg_tcp_opts o = {
        .mss = 1460, .wscale_on = true, .wscale = 7, .sack_perm = true, .ts_on = true, .tsval = 11, .tsecr = 22};
    size_t n = eth_wrap(f, 0x0800, ip, ipv4_tcp(ip, sizeof ip, PG_TH_SYN, &o, ""));
    pa_packet p = decode(DLT_EN10MB, f, n);
    CHECK_STR(path(&p), "eth/ip/tcp");
    CHECK(p.ip_ver == 4 && p.src.b[3] == 1 && p.dst.b[3] == 2 && p.ttl == 63);
    CHECK(p.l4 == PA_P_TCP && p.sport == 40000 && p.dport == 443);
    CHECK(p.tcp.seq == 1000 && p.tcp.flags == PA_TCP_SYN && p.tcp.window == 512);
    CHECK(p.tcp.has_mss && p.tcp.mss == 1460);
    CHECK(p.tcp.has_ws && p.tcp.ws_shift == 7);
    CHECK(p.tcp.sack_perm);
    CHECK(p.tcp.has_ts && p.tcp.tsval == 11 && p.tcp.tsecr == 22);
    CHECK(p.payload_len == 0 && p.nanom == 0);
    CHECK(memcmp(p.eth_src, MAC_A, 6) == 0 && memcmp(p.eth_dst, MAC_B, 6) == 0);

    pg_tcp_opts s = {.nsack = 2, .sack = {{100, 200}, {300, 400}}};
    n = eth_wrap(f, 0x0800, ip, ipv4_tcp(ip, sizeof ip, PG_TH_ACK, &s, "hello"));
    p = decode(DLT_EN10MB, f, n);
    CHECK(p.tcp.nsack == 2 && p.tcp.sack[1][0] == 300 && p.tcp.sack[1][1] == 400);
    CHECK(p.payload_len == 5 && memcmp(p.payload, "hello", 5) == 0);

    /* Ethernet padding after a short datagram is not payload. */
    n = eth_wrap(f, 0x0800, ip, ipv4_tcp(ip, sizeof ip, PG_TH_ACK, NULL, ""));
    memset(f + n, 0xee, 6);
    p = decode(DLT_EN10MB, f, n + 6);
    CHECK(p.payload_len == 0 && p.payload_wire_len == 0);
}

/* Multipath TCP options: MP_CAPABLE's version and keys, MP_JOIN's token in
 * a SYN, other subtypes by subtype only. */
static void test_tcp_mptcp(void) {
    uint8_t ip[256], f[300];
    pg_tcp_opts o = {.mss = 1460};
    CHECK(pg_mptcp_capable(&o, 0, 2, 0x9c9e4a7ec4f2bd32ull, 0x967df2efd6b1a652ull));
    size_t n = eth_wrap(f, 0x0800, ip, ipv4_tcp(ip, sizeof ip, PG_TH_ACK, &o, ""));
    pa_packet p = decode(DLT_EN10MB, f, n);
    CHECK(p.tcp.has_mss && p.tcp.nmptcp == 1 && p.tcp.mptcp_sub[0] == 0);
    CHECK(p.tcp.mp_capable && p.tcp.mp_version == 0);
    CHECK(p.tcp.has_sendkey && p.tcp.sendkey == 0x9c9e4a7ec4f2bd32ull);
    CHECK(p.tcp.has_recvkey && p.tcp.recvkey == 0x967df2efd6b1a652ull);
    CHECK(!p.tcp.has_recvtok && p.nanom == 0);

    /* version 1's SYN: no key */
    pg_tcp_opts v1 = {0};
    CHECK(pg_mptcp_capable(&v1, 1, 0, 0, 0));
    n = eth_wrap(f, 0x0800, ip, ipv4_tcp(ip, sizeof ip, PG_TH_SYN, &v1, ""));
    p = decode(DLT_EN10MB, f, n);
    CHECK(p.tcp.mp_capable && p.tcp.mp_version == 1 && !p.tcp.has_sendkey && !p.tcp.has_recvkey);

    /* MP_JOIN in a SYN, after a DSS-like option (subtype 2) kept by subtype */
    pg_tcp_opts j = {.raw = {30, 4, 0x20, 0x01}, .raw_len = 4};
    CHECK(pg_mptcp_join_syn(&j, 3833528642u, 459692568u));
    n = eth_wrap(f, 0x0800, ip, ipv4_tcp(ip, sizeof ip, PG_TH_SYN, &j, ""));
    p = decode(DLT_EN10MB, f, n);
    CHECK(p.tcp.nmptcp == 2 && p.tcp.mptcp_sub[0] == 2 && p.tcp.mptcp_sub[1] == 1);
    CHECK(!p.tcp.mp_capable && p.tcp.has_recvtok && p.tcp.recvtok == 3833528642u && p.nanom == 0);

    /* an option cut short of its keys, and one with no subtype byte: no key, no anomaly */
    pg_tcp_opts c = {.raw = {30, 7, 0x00, 0x81, 1, 2, 3, 30, 2}, .raw_len = 9};
    n = eth_wrap(f, 0x0800, ip, ipv4_tcp(ip, sizeof ip, PG_TH_SYN, &c, ""));
    p = decode(DLT_EN10MB, f, n);
    CHECK(p.tcp.mp_capable && !p.tcp.has_sendkey && p.tcp.nmptcp == 1 && p.nanom == 0);
    /* a length past the header is malformed */
    pg_tcp_opts bad = {.raw = {30, 40, 0x00}, .raw_len = 3};
    n = eth_wrap(f, 0x0800, ip, ipv4_tcp(ip, sizeof ip, PG_TH_SYN, &bad, ""));
    p = decode(DLT_EN10MB, f, n);
    CHECK(has_anom(&p, PA_A_TCP_OPT) && p.tcp.nmptcp == 0);
}

static void test_flag_anomalies(void) {
    uint8_t ip[256], f[300];
    size_t n = eth_wrap(f, 0x0800, ip, ipv4_tcp(ip, sizeof ip, PG_TH_SYN | PG_TH_FIN, NULL, ""));
    pa_packet p = decode(DLT_EN10MB, f, n);
    CHECK(has_anom(&p, PA_A_TCP_SYN_FIN));
    n = eth_wrap(f, 0x0800, ip, ipv4_tcp(ip, sizeof ip, 0, NULL, ""));
    p = decode(DLT_EN10MB, f, n);
    CHECK(has_anom(&p, PA_A_TCP_NULL));
    n = eth_wrap(f, 0x0800, ip, ipv4_tcp(ip, sizeof ip, PG_TH_FIN | PG_TH_PSH | PG_TH_URG, NULL, ""));
    p = decode(DLT_EN10MB, f, n);
    CHECK(has_anom(&p, PA_A_TCP_XMAS));
}

static void test_vlan_mpls_pppoe(void) {
    uint8_t ip[256], f[400];
    size_t il = ipv4_udp(ip, sizeof ip, IP_A, IP_B, 1111, 53, "q");
    /* QinQ: 802.1ad tag 100, then 802.1Q tag 200. */
    uint8_t tags[8 + 256] = {0x00, 100, 0x81, 0x00, 0x00, 200, 0x08, 0x00};
    memcpy(tags + 8, ip, il);
    size_t n = eth_wrap(f, 0x88A8, tags, 8 + il);
    pa_packet p = decode(DLT_EN10MB, f, n);
    CHECK_STR(path(&p), "eth/vlan/vlan/ip/udp");
    CHECK(p.nvlan == 2 && p.vlan[0] == 100 && p.vlan[1] == 200);
    CHECK(p.dport == 53);

    uint8_t mpls[8 + 256] = {0x00, 0x01, 0x00, 0x40, 0x00, 0x02, 0x01, 0x40}; /* 2 labels, BoS on the 2nd */
    memcpy(mpls + 8, ip, il);
    n = eth_wrap(f, 0x8847, mpls, 8 + il);
    p = decode(DLT_EN10MB, f, n);
    CHECK_STR(path(&p), "eth/mpls/ip/udp");

    uint8_t pppoe[8 + 256] = {0x11, 0x00, 0x12, 0x34, 0, 0, 0x00, 0x21};
    pppoe[4] = (uint8_t)((il + 2) >> 8);
    pppoe[5] = (uint8_t)(il + 2);
    memcpy(pppoe + 8, ip, il);
    n = eth_wrap(f, 0x8864, pppoe, 8 + il);
    p = decode(DLT_EN10MB, f, n);
    CHECK_STR(path(&p), "eth/pppoes/ppp/ip/udp");
    CHECK(p.sport == 1111);

    /* 802.3 length field + LLC carrying spanning tree. */
    uint8_t stp[3 + 35] = {0x42, 0x42, 0x03};
    n = eth_wrap(f, (uint16_t)sizeof stp, stp, sizeof stp);
    p = decode(DLT_EN10MB, f, n);
    CHECK_STR(path(&p), "eth/llc/stp");
}

/* Wraps an inner IP packet in an outer IPv4 header of protocol proto. */
static size_t outer_ipv4(uint8_t *out, size_t cap, uint8_t proto, const uint8_t *inner, size_t n) {
    pg_pkt k;
    pg_pkt_init(&k, out, cap);
    pg_ip4 ip = {.ttl = 30, .proto = proto};
    memcpy(ip.src, IP_C, 4);
    memcpy(ip.dst, IP_D, 4);
    pg_ipv4(&k, &ip);
    pg_bytes(&k, inner, n);
    pg_finish(&k);
    return k.err ? 0 : k.len;
}

static void test_tunnels(void) {
    uint8_t in[256], mid[512], f[700];
    size_t il = ipv4_udp(in, sizeof in, IP_A, IP_B, 5000, 6000, "tunnelled");

    /* GRE (no options) carrying IPv4. */
    uint8_t gre[4 + 256] = {0, 0, 0x08, 0x00};
    memcpy(gre + 4, in, il);
    size_t ml = outer_ipv4(mid, sizeof mid, 47, gre, 4 + il);
    size_t n = eth_wrap(f, 0x0800, mid, ml);
    pa_packet p = decode(DLT_EN10MB, f, n);
    CHECK_STR(path(&p), "eth/ip/gre/ip/udp");
    CHECK(p.encap_depth == 1 && p.has_outer_ip);
    CHECK(p.outer_src.b[0] == 192 && p.src.b[0] == 10 && p.sport == 5000);
    CHECK(p.payload_len == 9);

    /* IP-in-IP. */
    ml = outer_ipv4(mid, sizeof mid, 4, in, il);
    n = eth_wrap(f, 0x0800, mid, ml);
    p = decode(DLT_EN10MB, f, n);
    CHECK_STR(path(&p), "eth/ip/ip/udp");
    CHECK(p.encap_depth == 1 && p.dst.b[3] == 2);

    /* VXLAN: outer UDP 4789, 8-byte header, inner Ethernet. */
    uint8_t vx[8 + 14 + 256] = {0x08, 0, 0, 0, 0, 0, 0x2a, 0};
    size_t el = eth_wrap(vx + 8, 0x0800, in, il);
    pg_pkt k;
    pg_pkt_init(&k, mid, sizeof mid);
    pg_ip4 oip = {.ttl = 30};
    memcpy(oip.src, IP_C, 4);
    memcpy(oip.dst, IP_D, 4);
    pg_ipv4(&k, &oip);
    pg_udp(&k, 33333, 4789);
    pg_bytes(&k, vx, 8 + el);
    pg_finish(&k);
    n = eth_wrap(f, 0x0800, mid, k.len);
    p = decode(DLT_EN10MB, f, n);
    CHECK_STR(path(&p), "eth/ip/udp/vxlan/eth/ip/udp");
    CHECK(p.sport == 5000 && p.dport == 6000 && p.l4 == PA_P_UDP);
    CHECK(memcmp(p.eth_src, MAC_A, 6) == 0); /* the capture link's MAC, not the inner one */
    /* the tunnel's own conversation is remembered: outer IPs and UDP ports */
    CHECK(p.ntun == 1 && p.tun[0].l4 == PA_P_UDP && p.tun[0].dport == 4789 && p.tun[0].src.b[0] == 192);

    /* ARP inside VXLAN: no inner IP, so no inner flow (the tunnel's remains). */
    uint8_t arp[8 + 14 + 28] = {0x08, 0, 0, 0, 0, 0, 0x2a, 0};
    pg_pkt ak;
    pg_pkt_init(&ak, arp + 8, sizeof arp - 8);
    pg_eth(&ak, MAC_B, MAC_A, PG_ETH_ARP);
    pg_arp(&ak, PG_ARP_REQUEST, MAC_A, IP_A, MAC_B, IP_B);
    pg_finish(&ak);
    pg_pkt_init(&k, mid, sizeof mid);
    pg_ipv4(&k, &oip);
    pg_udp(&k, 33333, 4789);
    pg_bytes(&k, arp, 8 + ak.len);
    pg_finish(&k);
    n = eth_wrap(f, 0x0800, mid, k.len);
    p = decode(DLT_EN10MB, f, n);
    CHECK_STR(path(&p), "eth/ip/udp/vxlan/eth/arp");
    CHECK(p.ip_ver == 0 && p.l4 == PA_P_NONE && p.has_arp);
    CHECK(p.ntun == 1 && p.tun[0].sport == 33333);

    /* Geneve with 4 bytes of options, carrying Ethernet (0x6558). */
    uint8_t gv[12 + 14 + 256] = {0x01, 0, 0x65, 0x58, 0, 0, 1, 0, 1, 2, 3, 4};
    el = eth_wrap(gv + 12, 0x0800, in, il);
    pg_pkt_init(&k, mid, sizeof mid);
    pg_ipv4(&k, &oip);
    pg_udp(&k, 33333, 6081);
    pg_bytes(&k, gv, 12 + el);
    pg_finish(&k);
    n = eth_wrap(f, 0x0800, mid, k.len);
    p = decode(DLT_EN10MB, f, n);
    CHECK_STR(path(&p), "eth/ip/udp/geneve/eth/ip/udp");

    /* ERSPAN type II: GRE with a sequence number, 8-byte header, Ethernet. */
    uint8_t er[8 + 8 + 14 + 256] = {0x10, 0, 0x88, 0xBE, 0, 0, 0, 1, 0x10, 0, 0, 1, 0, 0, 0, 0};
    el = eth_wrap(er + 16, 0x0800, in, il);
    ml = outer_ipv4(mid, sizeof mid, 47, er, 16 + el);
    n = eth_wrap(f, 0x0800, mid, ml);
    p = decode(DLT_EN10MB, f, n);
    CHECK_STR(path(&p), "eth/ip/gre/erspan/eth/ip/udp");

    /* 6in4 and Teredo carry IPv6. */
    pg_pkt_init(&k, in, sizeof in);
    pg_ip6 ip6 = {.hlim = 64};
    memcpy(ip6.src, IP6_A, 16);
    memcpy(ip6.dst, IP6_B, 16);
    pg_ipv6(&k, &ip6);
    pg_icmp6_echo(&k, false, 1, 1);
    pg_finish(&k);
    size_t i6 = k.len;
    ml = outer_ipv4(mid, sizeof mid, 41, in, i6);
    n = eth_wrap(f, 0x0800, mid, ml);
    p = decode(DLT_EN10MB, f, n);
    CHECK_STR(path(&p), "eth/ip/ipv6/icmpv6");
    CHECK(p.ip_ver == 6 && p.l4 == PA_P_ICMPV6 && p.icmp_type == 128);

    pg_pkt_init(&k, mid, sizeof mid);
    pg_ipv4(&k, &oip);
    pg_udp(&k, 3544, 50000);
    pg_bytes(&k, in, i6);
    pg_finish(&k);
    n = eth_wrap(f, 0x0800, mid, k.len);
    p = decode(DLT_EN10MB, f, n);
    CHECK_STR(path(&p), "eth/ip/udp/teredo/ipv6/icmpv6");

    /* Nesting beyond the cap is cut off and reported. */
    uint8_t a[1024], b[1024];
    size_t len = il;
    memcpy(a, in, il);
    for (int i = 0; i < PA_MAX_ENCAP_DEPTH + 2; i++) {
        len = outer_ipv4(b, sizeof b, 4, a, len);
        memcpy(a, b, len);
    }
    n = eth_wrap(f, 0x0800, a, len);
    p = decode(DLT_EN10MB, f, n);
    CHECK(has_anom(&p, PA_A_ENCAP_TOO_DEEP));
    CHECK(p.encap_depth == PA_MAX_ENCAP_DEPTH);
}

static void test_ipv6_ext(void) {
    uint8_t f[300];
    pg_pkt k;
    pg_pkt_init(&k, f, sizeof f);
    pg_eth(&k, MAC_B, MAC_A, PG_ETH_IPV6);
    pg_ip6 ip6 = {.hlim = 1, .next = 0};
    memcpy(ip6.src, IP6_A, 16);
    memcpy(ip6.dst, IP6_B, 16);
    pg_ipv6(&k, &ip6);
    /* hop-by-hop (8 bytes) -> destination options (8 bytes) -> UDP */
    uint8_t hbh[8] = {60, 0, 1, 4, 0, 0, 0, 0}, dst[8] = {17, 0, 1, 4, 0, 0, 0, 0};
    pg_bytes(&k, hbh, 8);
    pg_bytes(&k, dst, 8);
    pg_finish(&k); /* payload length over the extension headers */
    size_t n = k.len;
    uint8_t udp[8 + 3] = {0x04, 0xd2, 0x00, 0x35, 0, 11, 0, 0, 'a', 'b', 'c'};
    memcpy(f + n, udp, sizeof udp);
    n += sizeof udp;
    uint16_t plen = (uint16_t)(n - 14 - 40);
    f[14 + 4] = (uint8_t)(plen >> 8);
    f[14 + 5] = (uint8_t)plen;
    pa_packet p = decode(DLT_EN10MB, f, n);
    CHECK_STR(path(&p), "eth/ipv6/udp");
    CHECK(p.sport == 1234 && p.dport == 53 && p.payload_len == 3);
    CHECK(p.ttl == 1);
}

static void test_fragments(void) {
    /* A UDP datagram of 8 + 40 bytes split after 24 bytes of IP payload. */
    uint8_t whole[256];
    char payload[41];
    memset(payload, 'x', 40);
    payload[40] = '\0';
    size_t wl = ipv4_udp(whole, sizeof whole, IP_A, IP_B, 7, 9, payload);
    const uint8_t *l4 = whole + 20;
    size_t l4len = wl - 20;
    uint8_t f1[128], f2[128], f[160];
    pg_pkt k;
    pg_pkt_init(&k, f1, sizeof f1);
    pg_ip4 ip = {.ttl = 64, .id = 0x4242, .mf = true, .proto = 17};
    memcpy(ip.src, IP_A, 4);
    memcpy(ip.dst, IP_B, 4);
    pg_ipv4(&k, &ip);
    pg_bytes(&k, l4, 24);
    pg_finish(&k);
    size_t n1 = k.len;
    ip.mf = false;
    ip.frag_off = 3; /* 24 bytes */
    pg_pkt_init(&k, f2, sizeof f2);
    pg_ipv4(&k, &ip);
    pg_bytes(&k, l4 + 24, l4len - 24);
    pg_finish(&k);
    size_t n2 = k.len;

    size_t n = eth_wrap(f, 0x0800, f1, n1);
    pa_packet p = decode(DLT_EN10MB, f, n);
    CHECK(p.is_fragment && !p.reassembled);
    CHECK_STR(path(&p), "eth/ip/data");
    n = eth_wrap(f, 0x0800, f2, n2);
    p = decode(DLT_EN10MB, f, n);
    CHECK(p.reassembled && !p.is_fragment);
    CHECK_STR(path(&p), "eth/ip/udp");
    CHECK(p.sport == 7 && p.dport == 9 && p.payload_len == 40);
    CHECK(dec->frag.completed == 1);

    /* Overlapping fragments with different bytes are reported. */
    n = eth_wrap(f, 0x0800, f1, n1);
    decode(DLT_EN10MB, f, n);
    f1[20 + 10] ^= 0xff; /* same offset, other data */
    n = eth_wrap(f, 0x0800, f1, n1);
    p = decode(DLT_EN10MB, f, n);
    CHECK(has_anom(&p, PA_A_FRAG_OVERLAP) && has_anom(&p, PA_A_FRAG_INCONSISTENT));
}

static void test_malformed(void) {
    uint8_t ip[256], f[300];
    size_t il = ipv4_udp(ip, sizeof ip, IP_A, IP_B, 1, 2, "zz");
    size_t n = eth_wrap(f, 0x0800, ip, il);
    pa_packet p = decode(DLT_EN10MB, f, 10);
    CHECK(has_anom(&p, PA_A_ETH_TRUNCATED));
    p = decode(DLT_EN10MB, f, 14 + 12);
    CHECK(has_anom(&p, PA_A_IPV4_TRUNCATED));
    f[14] = 0x44; /* IHL 4: below the minimum */
    p = decode(DLT_EN10MB, f, n);
    CHECK(has_anom(&p, PA_A_IPV4_HDR_LEN));
    f[14] = 0x45;
    f[14 + 2] = 0x40; /* total length far beyond the frame */
    p = decode(DLT_EN10MB, f, n);
    CHECK(has_anom(&p, PA_A_IPV4_TOTAL_LEN_BEYOND));
    n = eth_wrap(f, 0x0800, ip, il);
    f[14 + 20 + 4] = 0;
    f[14 + 20 + 5] = 4; /* UDP length 4 < 8 */
    p = decode(DLT_EN10MB, f, n);
    CHECK(has_anom(&p, PA_A_UDP_LEN));
    n = eth_wrap(f, 0x0800, ip, ipv4_tcp(ip, sizeof ip, PG_TH_ACK, NULL, "data"));
    f[14 + 20 + 12] = 0x30; /* data offset 12 bytes */
    p = decode(DLT_EN10MB, f, n);
    CHECK(has_anom(&p, PA_A_TCP_HDR_LEN));
    p = decode(DLT_EN10MB, f, 0);
    CHECK(has_anom(&p, PA_A_FRAME_CAPLEN_ZERO));
    p = decode(999, f, n);
    CHECK(has_anom(&p, PA_A_LINK_UNSUPPORTED) && p.nlayers == 0);

    /* A snaplen-cut frame: headers intact, payload partly captured. */
    n = eth_wrap(f, 0x0800, ip, ipv4_udp(ip, sizeof ip, IP_A, IP_B, 1, 2, "0123456789"));
    memset(&p, 0, sizeof p);
    p.caplen = (uint32_t)n - 6;
    p.wirelen = (uint32_t)n;
    pa_decode_frame(dec, DLT_EN10MB, f, &p);
    CHECK(has_anom(&p, PA_A_FRAME_SNAPLEN) && !has_anom(&p, PA_A_IPV4_TOTAL_LEN_BEYOND));
    CHECK(p.payload_len == 4 && p.payload_wire_len == 10);
}

static void test_icmp_error_keeps_outer(void) {
    uint8_t inner[256], f[400];
    size_t il = ipv4_tcp(inner, sizeof inner, PG_TH_SYN, NULL, "");
    pg_pkt k;
    pg_pkt_init(&k, f, sizeof f);
    pg_eth(&k, MAC_A, MAC_B, PG_ETH_IPV4);
    pg_ip4 ip = {.ttl = 250, .proto = 1};
    memcpy(ip.src, IP_D, 4);
    memcpy(ip.dst, IP_A, 4);
    pg_ipv4(&k, &ip);
    uint8_t icmp[8] = {3, 3, 0, 0, 0, 0, 0, 0};
    pg_bytes(&k, icmp, 8);
    pg_bytes(&k, inner, il);
    pg_finish(&k);
    pa_packet p = decode(DLT_EN10MB, f, k.len);
    CHECK_STR(path(&p), "eth/ip/icmp");
    CHECK(p.src.b[0] == 192 && p.dst.b[0] == 10 && p.l4 == PA_P_ICMP && p.icmp_type == 3);
    CHECK(p.tcp.flags == 0); /* no fake SYN from the quoted header */
}

static void test_link_types(void) {
    uint8_t ip[256], f[300];
    size_t il = ipv4_udp(ip, sizeof ip, IP_A, IP_B, 1, 2, "x");
    /* SLL v1: 16-byte header, protocol last. */
    memset(f, 0, 16);
    f[14] = 0x08;
    memcpy(f + 16, ip, il);
    pa_packet p = decode(DLT_LINUX_SLL, f, 16 + il);
    CHECK_STR(path(&p), "sll/ip/udp");
    /* SLL v2: protocol first, 20-byte header. */
    memset(f, 0, 20);
    f[0] = 0x08;
    memcpy(f + 20, ip, il);
    p = decode(DLT_LINUX_SLL2, f, 20 + il);
    CHECK_STR(path(&p), "sll2/ip/udp");
    /* NULL in either byte order, LOOP in network order. */
    uint8_t le[4] = {2, 0, 0, 0}, be[4] = {0, 0, 0, 2};
    memcpy(f, le, 4);
    memcpy(f + 4, ip, il);
    p = decode(DLT_NULL, f, 4 + il);
    CHECK_STR(path(&p), "null/ip/udp");
    memcpy(f, be, 4);
    p = decode(DLT_NULL, f, 4 + il);
    CHECK_STR(path(&p), "null/ip/udp");
    p = decode(DLT_LOOP, f, 4 + il);
    CHECK_STR(path(&p), "null/ip/udp");
    p = decode(DLT_RAW, ip, il);
    CHECK_STR(path(&p), "ip/udp");
    p = decode(DLT_IPV4, ip, il);
    CHECK_STR(path(&p), "ip/udp");
    CHECK(pa_decode_linktype_supported(DLT_IPV6) && !pa_decode_linktype_supported(DLT_IEEE802_11));
}

static void test_arp_and_addr_strings(void) {
    uint8_t f[100];
    pg_pkt k;
    pg_pkt_init(&k, f, sizeof f);
    pg_eth(&k, MAC_B, MAC_A, PG_ETH_ARP);
    pg_arp(&k, PG_ARP_REPLY, MAC_A, IP_A, MAC_B, IP_B);
    pg_finish(&k);
    pa_packet p = decode(DLT_EN10MB, f, k.len);
    CHECK_STR(path(&p), "eth/arp");
    CHECK(p.has_arp && p.arp.op == 2 && p.arp.spa[3] == 1 && memcmp(p.arp.sha, MAC_A, 6) == 0);

    char s[64];
    pa_addr a = {6, {0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
    pa_addr_str(&a, s, sizeof s);
    CHECK_STR(s, "2001:db8::1");
    pa_addr b = {6, {0xfe, 0x80, [8] = 0x02, [9] = 0x11, [15] = 0x05}};
    pa_addr_str(&b, s, sizeof s);
    CHECK_STR(s, "fe80::211:0:0:5");
    pa_addr c = {6, {[10] = 0xff, [11] = 0xff, 192, 0, 2, 1}};
    pa_addr_str(&c, s, sizeof s);
    CHECK_STR(s, "::ffff:c000:201");
    pa_addr d = {4, {198, 51, 100, 7}};
    pa_addr_str(&d, s, sizeof s);
    CHECK_STR(s, "198.51.100.7");
}

int main(void) {
    dec = malloc(sizeof *dec);
    pa_decoder_init(dec);
    test_tcp_options();
    test_tcp_mptcp();
    test_flag_anomalies();
    test_vlan_mpls_pppoe();
    test_tunnels();
    test_ipv6_ext();
    test_fragments();
    test_malformed();
    test_icmp_error_keeps_outer();
    test_link_types();
    test_arp_and_addr_strings();
    pa_decoder_free(dec);
    free(dec);
    return check_done("decode");
}
