/* Decoders: each encapsulation and malformation, on frames built with
 * support/pktgen. Asserts the fields the flow table and the reports use. */
#include <pcap/dlt.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "check.h"
#include "decode.h"
#include "pktgen.h"
#include "wireless.h"

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

/* ---- CAPWAP data channel and IEEE 802.11 ---------------------------------
 * Each frame is also written to capwap_gen/capwap.pcap, which the display
 * filters (tests/corpus/dfilters.txt) and compare_capwap.mjs check against
 * tshark: an access point (192.168.1.1:12380) to its controller
 * (192.168.1.2:5247, control on 5246), Cisco's byte order for the 802.11
 * frame control, as Wireshark reads CAPWAP by default. */

static pg_writer *gen;
static uint64_t gen_ms;
static const uint8_t AP[6] = {0x58, 0x0a, 0x20, 0x69, 0x0e, 0x20}, STA[6] = {0x1c, 0xab, 0xa7, 0xf2, 0x13, 0x9d},
                     BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, GW[6] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55};

/* Writes the frame to the generated capture, then decodes it. */
static pa_packet emit(const uint8_t *f, size_t n) {
    if (gen) pg_write(gen, pg_ts_add((pg_ts){1700000000, 0}, PG_MS(gen_ms++)), f, (uint32_t)n, (uint32_t)n);
    return decode(DLT_EN10MB, f, n);
}

/* A CAPWAP header (radio 1, binding 802.11) with a radio MAC address and 4
 * bytes of wireless information when asked, HLEN covering them. */
static size_t capwap_hdr(uint8_t *o, uint16_t flags, bool mac, bool wireless) {
    size_t n = 8;
    memset(o, 0, 24);
    if (mac) {
        o[n++] = 6;
        memcpy(o + n, AP, 6);
        n = (n + 6 + 3) & ~(size_t)3;
        flags |= PA_CAPWAP_M;
    }
    if (wireless) { /* RSSI -60 dBm, SNR 30 dB, 13 Mb/s */
        o[n++] = 4;
        o[n] = 0xc4, o[n + 1] = 30, o[n + 2] = 0, o[n + 3] = 130;
        n = (n + 4 + 3) & ~(size_t)3;
        flags |= PA_CAPWAP_W;
    }
    uint32_t w = (uint32_t)(n / 4) << 19 | 1u << 14 | (uint32_t)PA_CAPWAP_WBID_80211 << 9 | flags;
    o[1] = (uint8_t)(w >> 16), o[2] = (uint8_t)(w >> 8), o[3] = (uint8_t)w;
    return n;
}

/* Ethernet / IPv4 / UDP from the access point's port 12380 to the
 * controller's port, then body. */
static size_t to_controller(uint8_t *f, size_t cap, uint16_t port, const uint8_t *body, size_t n) {
    pg_pkt k;
    pg_pkt_init(&k, f, cap);
    pg_eth(&k, MAC_B, MAC_A, PG_ETH_IPV4);
    pg_ip4 ip = {.ttl = 64, .id = (uint16_t)gen_ms};
    memcpy(ip.src, IP_C, 4);
    memcpy(ip.dst, IP_D, 4);
    pg_ipv4(&k, &ip);
    pg_udp(&k, 12380, port);
    pg_bytes(&k, body, n);
    pg_finish(&k);
    return k.err ? 0 : k.len;
}

/* An 802.11 MAC header, frame control in Cisco's order. a4: WDS frames;
 * qos < 0: none; htc: an HT control field (the order bit set). */
static size_t wlan_hdr(uint8_t *o, uint8_t type, uint8_t subtype, uint8_t flags, const uint8_t *a1, const uint8_t *a2,
                       const uint8_t *a3, const uint8_t *a4, uint16_t seqctl, int qos, bool htc) {
    size_t n = 0;
    o[n++] = (uint8_t)(flags | (htc ? PA_WLAN_ORDER : 0));
    o[n++] = (uint8_t)(subtype << 4 | type << 2);
    o[n++] = 44, o[n++] = 0; /* duration */
    memcpy(o + n, a1, 6), memcpy(o + n + 6, a2, 6), memcpy(o + n + 12, a3, 6);
    n += 18;
    o[n++] = (uint8_t)seqctl, o[n++] = (uint8_t)(seqctl >> 8);
    if (a4) memcpy(o + n, a4, 6), n += 6;
    if (qos >= 0) o[n++] = (uint8_t)qos, o[n++] = (uint8_t)(qos >> 8);
    if (htc) o[n++] = 0x01, o[n++] = 0x02, o[n++] = 0x03, o[n++] = 0x00;
    return n;
}

/* LLC/SNAP with an EtherType, then the inner packet. */
static size_t snap(uint8_t *o, uint16_t type, const uint8_t *in, size_t n) {
    const uint8_t h[8] = {0xaa, 0xaa, 0x03, 0, 0, 0, (uint8_t)(type >> 8), (uint8_t)type};
    memcpy(o, h, 8);
    memcpy(o + 8, in, n);
    return 8 + n;
}

/* CAPWAP (M and W fields) + an 802.11 header + body, to the data channel.
 * The frame stays in a static buffer: the packet points into it. */
static pa_packet data_frame(const uint8_t *wh, size_t wl, const uint8_t *body, size_t bl) {
    static uint8_t c[1024], f[1200];
    size_t n = capwap_hdr(c, PA_CAPWAP_T, true, true);
    memcpy(c + n, wh, wl);
    memcpy(c + n + wl, body, bl);
    return emit(f, to_controller(f, sizeof f, 5247, c, n + wl + bl));
}

static void test_capwap_data(void) {
    uint8_t in[512], body[600], wh[64];
    pg_pkt k;
    /* QoS data to the DS with an IPv4/UDP DNS query: decoded through LLC/SNAP */
    pg_pkt_init(&k, in, sizeof in);
    pg_ip4 ip = {.ttl = 64};
    memcpy(ip.src, IP_A, 4);
    memcpy(ip.dst, IP_B, 4);
    pg_ipv4(&k, &ip);
    pg_udp(&k, 40000, 53);
    pg_dns_query(&k, 0x1234, "example.com", PG_DNS_A);
    pg_finish(&k);
    size_t il = k.len, wl = wlan_hdr(wh, PA_WLAN_DATA, 8, PA_WLAN_TODS, AP, STA, GW, NULL, 0x0120, 5, false);
    pa_packet p = data_frame(wh, wl, body, snap(body, 0x0800, in, il));
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data/wlan/llc/ip/udp");
    CHECK(p.l4 == PA_P_UDP && p.dport == 53 && p.src.b[0] == 10 && p.payload_len == il - 28);
    CHECK(p.ntun == 1 && p.tun[0].l4 == PA_P_UDP && p.tun[0].sport == 12380 && p.tun[0].dport == 5247);
    CHECK(p.tun[0].src.b[0] == 192 && p.capwap_hdr && p.wlan_hdr && p.llc_hdr && p.wlan_fc_swapped);
    pa_wlan_hdr h;
    CHECK(pa_wlan_parse(p.wlan_hdr, p.wlan_caplen, true, &h) && h.type == PA_WLAN_DATA && h.subtype == 8);
    CHECK(h.has_qos && h.qos == 5 && h.seqctl >> 4 == 0x12 && h.naddr == 3 && !h.has_htc && h.len == 26);
    pa_wlan_roles r;
    pa_wlan_roles_of(&h, &r);
    CHECK(r.bssid[0] && !memcmp(r.bssid[0], AP, 6) && !memcmp(r.sa, STA, 6) && !memcmp(r.da, GW, 6) && r.staa == r.sa);
    pa_capwap_hdr ch;
    CHECK(pa_capwap_parse(p.capwap_hdr, p.capwap_caplen, false, &ch) == PA_CAPWAP_OK);
    CHECK(ch.hlen == 6 && ch.rid == 1 && ch.wbid == 1 && ch.mac && !memcmp(ch.mac, AP, 6) && ch.wireless_len == 4);

    /* QoS data from the DS with an HT control field: IPv6/ICMPv6 */
    pg_pkt_init(&k, in, sizeof in);
    pg_ip6 ip6 = {.hlim = 255};
    memcpy(ip6.src, IP6_A, 16);
    memcpy(ip6.dst, IP6_B, 16);
    pg_ipv6(&k, &ip6);
    pg_icmp6_echo(&k, false, 7, 1);
    pg_finish(&k);
    wl = wlan_hdr(wh, PA_WLAN_DATA, 8, PA_WLAN_FROMDS, STA, AP, GW, NULL, 0x0130, 0, true);
    p = data_frame(wh, wl, body, snap(body, 0x86dd, in, k.len));
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data/wlan/llc/ipv6/icmpv6");
    CHECK(p.l4 == PA_P_ICMPV6 && p.icmp_type == 128);
    CHECK(pa_wlan_parse(p.wlan_hdr, p.wlan_caplen, true, &h) && h.has_htc && h.htc == 0x030201 && h.len == 30);

    /* data between stations (no DS bits), ARP */
    pg_pkt_init(&k, in, sizeof in);
    pg_arp(&k, PG_ARP_REQUEST, MAC_A, IP_A, MAC_B, IP_B);
    wl = wlan_hdr(wh, PA_WLAN_DATA, 0, 0, BCAST, STA, AP, NULL, 0x0140, -1, false);
    p = data_frame(wh, wl, body, snap(body, 0x0806, in, k.len));
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data/wlan/llc/arp");
    CHECK(p.has_arp && p.ip_ver == 0 && p.ntun == 1);

    /* a WDS frame (four addresses) carrying TCP */
    size_t tl = ipv4_tcp(in, sizeof in, PG_TH_SYN, NULL, "");
    wl = wlan_hdr(wh, PA_WLAN_DATA, 8, PA_WLAN_TODS | PA_WLAN_FROMDS, AP, GW, BCAST, STA, 0x0150, 0, false);
    p = data_frame(wh, wl, body, snap(body, 0x0800, in, tl));
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data/wlan/llc/ip/tcp");
    CHECK(pa_wlan_parse(p.wlan_hdr, p.wlan_caplen, true, &h) && h.naddr == 4 && h.len == 32);
    pa_wlan_roles_of(&h, &r);
    CHECK(!memcmp(r.sa, STA, 6) && !memcmp(r.da, BCAST, 6) && !r.bssid[0] && p.tcp.flags == PG_TH_SYN);

    /* protected, a first fragment: the body is data */
    memset(body, 0x5a, 64);
    wl = wlan_hdr(wh, PA_WLAN_DATA, 8, PA_WLAN_TODS | PA_WLAN_PROTECTED, AP, STA, GW, NULL, 0x0160, 0, false);
    p = data_frame(wh, wl, body, 64);
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data/wlan/data");
    CHECK(p.ip_ver == 0 && p.l4 == PA_P_NONE && p.ntun == 1);
    size_t bl = snap(body, 0x0800, in, tl);
    wl = wlan_hdr(wh, PA_WLAN_DATA, 0, PA_WLAN_TODS | PA_WLAN_MOREFRAG, AP, STA, GW, NULL, 0x0180, -1, false);
    p = data_frame(wh, wl, body, bl);
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data/wlan/data");
    /* a last fragment whose first was not seen is whole to Wireshark, even
     * when it does not start as SNAP does */
    wl = wlan_hdr(wh, PA_WLAN_DATA, 0, PA_WLAN_TODS, AP, STA, GW, NULL, 0x0191, -1, false);
    p = data_frame(wh, wl, body, bl);
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data/wlan/llc/ip/tcp");
    p = data_frame(wh, wl, body + 8, bl - 8);
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data/wlan/llc/data");

    /* an A-MSDU of two subframes (UDP 1000 -> 2000, 3000 -> 4000): the
     * first is the packet, every subframe's addresses are wlan.da / .sa */
    size_t al = 0;
    for (int i = 0; i < 2; i++) {
        uint8_t sub[200];
        size_t ul = ipv4_udp(sub, sizeof sub, IP_A, IP_B, (uint16_t)(1000 + 2000 * i), (uint16_t)(2000 + 2000 * i),
                             i ? "world!" : "hello");
        memcpy(body + al, BCAST, 6), memcpy(body + al + 6, GW, 6);
        size_t ml = snap(body + al + 14, 0x0800, sub, ul);
        body[al + 12] = (uint8_t)(ml >> 8), body[al + 13] = (uint8_t)ml;
        al += 14 + ml;
        if (!i) memset(body + al, 0, 3), al = (al + 3) & ~(size_t)3;
    }
    wl = wlan_hdr(wh, PA_WLAN_DATA, 8, PA_WLAN_TODS, AP, STA, AP, NULL, 0x0170, 0x80, false);
    p = data_frame(wh, wl, body, al);
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data/wlan/llc/ip/udp");
    CHECK(p.sport == 1000 && p.payload_len == 5);
    CHECK(pa_wlan_parse(p.wlan_hdr, p.wlan_caplen, true, &h) && pa_wlan_is_amsdu(&h));
    pa_wlan_msdu m[4];
    CHECK(pa_wlan_amsdu(p.wlan_hdr + h.len, p.wlan_caplen - h.len, m, 4) == 2);
    pa_wlan_roles_of(&h, &r);
    CHECK(!r.da && !memcmp(m[1].da, BCAST, 6) && !memcmp(m[1].sa, GW, 6) && pa_wlan_addr_named(&r, h.addr[1]));
    CHECK(m[1].len == 8 + 20 + 8 + 6 && m[1].msdu[0] == 0xaa && !pa_wlan_addr_named(&r, h.addr[2]));

    /* management (a beacon with an SSID; an action frame with +HTC), null
     * data: no body to decode */
    const uint8_t beacon[] = {1, 2, 3, 4, 5, 6, 7, 8, 0x64, 0, 0x31, 0x04, 0, 4, 'l', 'a', 'b', '1'};
    wl = wlan_hdr(wh, PA_WLAN_MGMT, 8, 0, BCAST, AP, AP, NULL, 0x0200, -1, false);
    p = data_frame(wh, wl, beacon, sizeof beacon);
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data/wlan");
    CHECK(p.ip_ver == 0 && p.ntun == 1 && !p.llc_hdr);
    const uint8_t action[] = {3, 0, 1, 0x10, 0, 0, 0};
    wl = wlan_hdr(wh, PA_WLAN_MGMT, 13, 0, AP, STA, AP, NULL, 0x0210, -1, true);
    p = data_frame(wh, wl, action, sizeof action);
    CHECK(pa_wlan_parse(p.wlan_hdr, p.wlan_caplen, true, &h) && h.has_htc && h.len == 28);
    wl = wlan_hdr(wh, PA_WLAN_DATA, 12, PA_WLAN_TODS | PA_WLAN_PWRMGT, AP, STA, AP, NULL, 0x0220, 0, false);
    p = data_frame(wh, wl, body, 0);
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data/wlan");
    wl = wlan_hdr(wh, PA_WLAN_DATA, 4, PA_WLAN_TODS | PA_WLAN_RETRY, AP, STA, AP, NULL, 0x0230, -1, false);
    p = data_frame(wh, wl, body, 0);
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data/wlan");

    /* control frames: ACK and CTS (receiver only), RTS, PS-Poll, block ack
     * request, CF-End (its second address is the BSS id) */
    const uint8_t subtypes[] = {13, 12, 11, 10, 8, 14};
    for (size_t i = 0; i < sizeof subtypes; i++) {
        wl = wlan_hdr(wh, PA_WLAN_CTRL, subtypes[i], 0, AP, STA, GW, NULL, 0, -1, false);
        size_t cl = subtypes[i] >= 12 && subtypes[i] <= 13 ? 10 : 16;
        p = data_frame(wh, cl, subtypes[i] == 8 ? (const uint8_t *)"\x04\x00\x10\x00" : body, subtypes[i] == 8 ? 4 : 0);
        CHECK_STR(path(&p), "eth/ip/udp/capwap.data/wlan");
        CHECK(pa_wlan_parse(p.wlan_hdr, p.wlan_caplen, true, &h) && h.naddr == (cl == 10 ? 1 : 2));
        CHECK(!h.has_seq && h.len == cl);
        pa_wlan_roles_of(&h, &r);
        CHECK((r.ta != NULL) == (cl == 16 && subtypes[i] != 14));
        CHECK(r.bssid[0] == (subtypes[i] == 10 ? h.addr[0] : subtypes[i] == 14 ? h.addr[1] : NULL));
    }
}

static void test_capwap_other(void) {
    uint8_t c[600], f[700], in[256];
    /* T = 0: an 802.3 frame (Ethernet II) inside */
    size_t n = capwap_hdr(c, 0, false, false);
    size_t il = ipv4_udp(in, sizeof in, IP_A, IP_B, 5000, 6000, "bridged");
    n += eth_wrap(c + n, 0x0800, in, il);
    pa_packet p = emit(f, to_controller(f, sizeof f, 5247, c, n));
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data/eth/ip/udp");
    CHECK(p.sport == 5000 && p.neth_inner == 1 && !p.wlan_hdr && p.ntun == 1);

    /* a keep-alive: message elements (a session id), no frame */
    n = capwap_hdr(c, PA_CAPWAP_K, false, false);
    const uint8_t ka[] = {0, 20, 0, 35, 0, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    memcpy(c + n, ka, sizeof ka);
    p = emit(f, to_controller(f, sizeof f, 5247, c, n + sizeof ka));
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data");
    CHECK(p.ntun == 1 && p.l4 == PA_P_NONE && p.nanom == 0);

    /* a fragment (id 7): counted, not reassembled */
    n = capwap_hdr(c, PA_CAPWAP_T | PA_CAPWAP_F, false, false);
    c[4] = 0, c[5] = 7;
    memset(c + n, 0x33, 40);
    p = emit(f, to_controller(f, sizeof f, 5247, c, n + 40));
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data/data");
    CHECK(has_anom(&p, PA_A_CAPWAP_FRAGMENT));

    /* control in clear on 5246 (a Discovery Request, radio MAC present):
     * not a tunnel, named by its look in the pass */
    n = capwap_hdr(c, 0, true, false);
    const uint8_t ctl[] = {0, 0, 0, 1, 0, 0, 8, 0, 0, 20, 0, 1, 0};
    memcpy(c + n, ctl, sizeof ctl);
    p = emit(f, to_controller(f, sizeof f, 5246, c, n + sizeof ctl));
    CHECK_STR(path(&p), "eth/ip/udp");
    pa_capwap_hdr ch;
    CHECK(pa_capwap_parse(p.payload, p.payload_len, true, &ch) == PA_CAPWAP_OK && ch.has_control);
    CHECK(ch.msg_type == 1 && ch.msg_elem_len == 8 && ch.hlen == 4 && ch.mac_len == 6);

    /* DTLS on the data channel (preamble type 1, then an alert record): no
     * tunnel opened, the payload left to the DTLS analyzer's look */
    const uint8_t dtls[] = {0x01, 0, 0, 0, 0x15, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 9, 0, 2, 2, 40};
    p = emit(f, to_controller(f, sizeof f, 5247, dtls, sizeof dtls));
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data");
    CHECK(p.ntun == 0 && p.l4 == PA_P_UDP && p.payload_len == sizeof dtls && p.capwap_hdr == p.payload);
    /* a preamble of another version is not CAPWAP to us (Wireshark takes
     * anything on the port): not in the capture compared with tshark */
    c[0] = 0x10;
    n = to_controller(f, sizeof f, 5247, c, 16);
    p = decode(DLT_EN10MB, f, n);
    CHECK(p.ntun == 0 && p.nanom == 0);

    /* malformed: cut before 8 bytes, HLEN past the datagram, HLEN below 2
     * words, the 802.11 header cut short */
    n = capwap_hdr(c, PA_CAPWAP_T, false, false);
    p = emit(f, to_controller(f, sizeof f, 5247, c, 5));
    CHECK(has_anom(&p, PA_A_CAPWAP_TRUNCATED) && p.ntun == 1);
    c[1] |= 0xF8; /* HLEN 31: 124 bytes */
    p = emit(f, to_controller(f, sizeof f, 5247, c, 40));
    CHECK(has_anom(&p, PA_A_CAPWAP_HLEN));
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data");
    /* HLEN 1: Wireshark reads the frame from byte 4, we stop (not compared) */
    c[1] = (uint8_t)(c[1] & 0x07) | 0x08;
    n = to_controller(f, sizeof f, 5247, c, 40);
    p = decode(DLT_EN10MB, f, n);
    CHECK(has_anom(&p, PA_A_CAPWAP_HLEN));
    n = capwap_hdr(c, PA_CAPWAP_T, false, false);
    n += wlan_hdr(c + n, PA_WLAN_DATA, 8, PA_WLAN_TODS, AP, STA, GW, NULL, 0, 0, false);
    p = emit(f, to_controller(f, sizeof f, 5247, c, n - 12));
    CHECK_STR(path(&p), "eth/ip/udp/capwap.data/wlan");
    CHECK(has_anom(&p, PA_A_WLAN_TRUNCATED) && p.wlan_caplen == 14);
    /* the snapshot length cut the header (10 of its 16 bytes): truncated,
     * not a bad length */
    c[1] = (uint8_t)(c[1] & 0x07) | 0x20; /* HLEN 4 */
    n = to_controller(f, sizeof f, 5247, c, 40);
    memset(&p, 0, sizeof p);
    p.caplen = 14 + 20 + 8 + 10;
    p.wirelen = (uint32_t)n;
    pa_decode_frame(dec, DLT_EN10MB, f, &p);
    CHECK(has_anom(&p, PA_A_CAPWAP_TRUNCATED) && !has_anom(&p, PA_A_CAPWAP_HLEN));

    /* CAPWAP in CAPWAP (802.3 frames) past the tunnel cap */
    uint8_t a[1500], b[1500];
    size_t len = ipv4_udp(a, sizeof a, IP_A, IP_B, 5000, 6000, "deep");
    for (int i = 0; i < PA_MAX_ENCAP_DEPTH + 2; i++) {
        n = capwap_hdr(c, 0, false, false);
        memcpy(b, c, n);
        n += eth_wrap(b + n, 0x0800, a, len);
        pg_pkt k;
        pg_pkt_init(&k, a, sizeof a);
        pg_ip4 ip = {.ttl = 64};
        memcpy(ip.src, IP_C, 4);
        memcpy(ip.dst, IP_D, 4);
        pg_ipv4(&k, &ip);
        pg_udp(&k, 12380, 5247);
        pg_bytes(&k, b, n);
        pg_finish(&k);
        len = k.len;
    }
    n = eth_wrap(f, 0x0800, a, len);
    p = decode(DLT_EN10MB, f, n);
    CHECK(has_anom(&p, PA_A_ENCAP_TOO_DEEP) && p.encap_depth == PA_MAX_ENCAP_DEPTH);
}

/* argv[1]: where capwap.pcap is written (default capwap_gen). */
int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "capwap_gen";
    char out[1100];
    mkdir(dir, 0755);
    snprintf(out, sizeof out, "%s/capwap.pcap", dir);
    CHECK(pg_open(&gen, out, NULL) == PG_OK);
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
    test_capwap_data();
    test_capwap_other();
    CHECK(pg_close(gen) == PG_OK);
    pa_decoder_free(dec);
    free(dec);
    return check_done("decode");
}
