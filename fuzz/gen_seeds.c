/* Writes the seed corpora of the fuzz targets: small, varied inputs that
 * reach each decoder, each link type, tunnels, fragments and truncations,
 * plus capture files, JSON-RPC lines, MCP sessions and tool arguments.
 *
 *   pa-fuzz-gen-seeds OUTDIR      (OUTDIR is normally fuzz/corpus)
 *
 * Files are (re)written by name under OUTDIR/<target>/; the input layouts
 * are those of fuzz.h. Packets are built inside out with the builders of
 * seed_kit.h (header + what it carries); capture files are written with the
 * project's pktgen writer. This file holds the packet and capture seeds,
 * gen_seeds_json.c the JSON ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "pktgen.h"
#include "seed_kit.h"

/* fuzz_decode: [link selector][wire-extra][frame] */
static void dec(const char *name, int lt, uint8_t wire, blob frame) {
    blob h = B(2);
    h.p[0] = (uint8_t)lt;
    h.p[1] = wire;
    blob all = cat(h, frame);
    write_file("decode", name, all.p, all.n);
    counts[T_DECODE]++;
    arena_reset();
}

/* fuzz_packets: [link selector] then [len][meta][frame] records */
typedef struct seq {
    uint8_t buf[1u << 16];
    size_t n;
} seq;

static seq S;

static void seq_begin(int lt) {
    S.buf[0] = (uint8_t)lt;
    S.n = 1;
}

static void seq_add(blob frame, uint8_t meta) {
    if (S.n + 3 + frame.n > sizeof S.buf) {
        fprintf(stderr, "gen_seeds: packet sequence too long\n");
        exit(1);
    }
    w16(S.buf + S.n, (uint32_t)frame.n);
    S.buf[S.n + 2] = meta;
    memcpy(S.buf + S.n + 3, frame.p, frame.n);
    S.n += 3 + frame.n;
}

static void seq_write(const char *name) {
    write_file("packets", name, S.buf, S.n);
    counts[T_PACKETS]++;
    arena_reset();
}

/* CAPWAP data headers (radio 1, IEEE 802.11, T set): HLEN 2; HLEN 6 with a
 * radio MAC address and 4 bytes of wireless information. The arena is reset
 * after every seed, so each builds its own. */
static blob capwap_min(void) { return hex("00104300 00000000"); }
static blob capwap_full(void) { return hex("00304330 00000000 06 580a20690e20 00 04 c41e0082 000000"); }
/* LLC/SNAP (organization 0) and an EtherType before inner. */
static blob snap(uint16_t type, blob inner) {
    blob h = hex("aaaa03 000000 0000");
    w16(h.p + 6, type);
    return cat(h, inner);
}
/* An 802.11 QoS data header to the DS, frame control in Cisco's order. */
#define QOS_TODS "0188 2c00 580a20690e20 1caba7f2139d 001122334455 2001 0500"

/* ---- fuzz_decode seeds ------------------------------------------------------- */

static void seeds_decode(void) {
    enum { ETH = PA_FUZZ_LT_ETH };
    /* Ethernet, IPv4, transports */
    dec("eth-ipv4-tcp-syn-opts", ETH, 0, eth(0x0800, ipv4(6, tcp(40000, 443, 1, PG_TH_SYN, tcp_opts_syn(), NONE()))));
    dec("eth-ipv4-tcp-sack-ts", ETH, 0,
        eth(0x0800, ipv4(6, tcp(40000, 443, 99, PG_TH_ACK,
                                hex("0101 080a 00000002 00000001 0101 0512 00000010 00000020 "
                                    "00000030 00000040"),
                                NONE()))));
    dec("eth-ipv4-tcp-bad-opts", ETH, 0,
        eth(0x0800, ipv4(6, tcp(1, 2, 3, PG_TH_SYN | PG_TH_FIN | PG_TH_RST, hex("0203 05b4 0301 080f"), NONE()))));
    /* Multipath TCP: MP_CAPABLE v0 with both keys and a DSS; an MP_JOIN SYN after
     * v1's key-less MP_CAPABLE; an MP_CAPABLE cut short of its key, one with no subtype */
    dec("eth-ipv4-tcp-mptcp-capable", ETH, 0,
        eth(0x0800, ipv4(6, tcp(35961, 22, 3, PG_TH_ACK,
                                hex("1e14 0081 9c9e4a7ec4f2bd32 967df2efd6b1a652 1e08 2001 0000000a"), NONE()))));
    dec("eth-ipv4-tcp-mptcp-join", ETH, 0,
        eth(0x0800, ipv4(6, tcp(41221, 22, 1, PG_TH_SYN, hex("1e04 0181 1e0c 1000 e47f0442 1b66a018"), NONE()))));
    dec("eth-ipv4-tcp-mptcp-short", ETH, 0,
        eth(0x0800, ipv4(6, tcp(1, 22, 1, PG_TH_SYN, hex("1e07 0081 010203 1e02 1e03 00"), NONE()))));
    dec("eth-ipv4-tcp-xmas-port0", ETH, 0,
        eth(0x0800, ipv4(6, tcp(0, 80, 5, PG_TH_FIN | PG_TH_PSH | PG_TH_URG, NONE(), NONE()))));
    dec("eth-ipv4-tcp-http", ETH, 0,
        eth(0x0800, ipv4(6, tcp_simple(PG_TH_ACK | PG_TH_PSH, str("GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n")))));
    dec("eth-ipv4-tcp-tls", ETH, 0,
        eth(0x0800, ipv4(6, tcp(40001, 8443, 7, PG_TH_ACK | PG_TH_PSH, NONE(), hex("160301002a 0100002603 03")))));
    dec("eth-ipv4-tcp-smb2", ETH, 0,
        eth(0x0800, ipv4(6, tcp(445, 40002, 7, PG_TH_ACK, NONE(), hex("00000040 fe534d42 40")))));
    dec("eth-ipv4-udp-dns", ETH, 0, eth(0x0800, ipv4(17, udp_dns())));
    {
        blob u = udp(40000, 5060, str("INVITE sip:bob@example.com SIP/2.0\r\n"));
        w16(u.p + 4, 4); /* length below the header */
        dec("eth-ipv4-udp-sip-badlen", ETH, 0, eth(0x0800, ipv4(17, u)));
    }
    dec("eth-ipv4-udp-quic", ETH, 0, eth(0x0800, ipv4(17, udp(50000, 443, hex("c300000001 08 0102030405060708")))));
    {
        ip4 o = {.proto = 17, .id = 1, .opts = hex("01 0707 04 c0000201 00")};
        dec("eth-ipv4-options", ETH, 0, eth(0x0800, ipv4x(&o, udp(1, 2, str("x")))));
        ip4 bad = {.proto = 6, .id = 2, .opts = hex("44 01 0000")};
        dec("eth-ipv4-bad-option", ETH, 0, eth(0x0800, ipv4x(&bad, tcp_simple(PG_TH_SYN, NONE()))));
    }
    dec("eth-ipv4-igmp", ETH, 0, eth(0x0800, ipv4(2, hex("1600 0904 e0000016"))));
    {
        ip4 f = {.proto = 17, .id = 99, .fl = 0x2000};
        dec("eth-ipv4-frag-first", ETH, 0, eth(0x0800, ipv4x(&f, udp(1, 2, fill(16, 0x41)))));
        ip4 tso = {.proto = 6, .id = 3, .total = 0};
        blob pkt = ipv4x(&tso, tcp_simple(PG_TH_ACK, fill(40, 0x42)));
        w16(pkt.p + 2, 0); /* total length 0: TSO */
        dec("eth-ipv4-totlen-zero", ETH, 0, eth(0x0800, pkt));
        ip4 shorthdr = {.proto = 6, .ihl_words = 3};
        dec("eth-ipv4-ihl-short", ETH, 0, eth(0x0800, ipv4x(&shorthdr, NONE())));
    }
    /* ARP */
    dec("eth-arp-request", ETH, 0, eth(0x0806, arp(1, 6, 4)));
    dec("eth-arp-unsupported", ETH, 0, eth(0x0806, arp(2, 8, 4)));
    /* VLAN, QinQ, MPLS, PPPoE, LLC */
    dec("eth-qinq-ipv6-tcp", ETH, 0,
        eth(0x88a8, vlan(200, 0x8100, vlan(300, 0x86dd, ipv6(6, tcp_simple(PG_TH_SYN, NONE()))))));
    dec("eth-vlan3-arp", ETH, 0, eth(0x9100, vlan(1, 0x8100, vlan(2, 0x8100, vlan(3, 0x0806, arp(1, 6, 4))))));
    dec("eth-mpls2-ipv4", ETH, 0, eth(0x8847, mpls(2, ipv4(1, icmp_echo()))));
    dec("eth-mpls-pw-eth", ETH, 0, eth(0x8847, mpls(1, cat(hex("00000000"), eth(0x0800, ipv4(17, udp_dns()))))));
    dec("eth-mpls9-too-deep", ETH, 0, eth(0x8848, cat(mpls(9, NONE()), fill(4, 0))));
    dec("eth-pppoes-ipv4", ETH, 0, eth(0x8864, pppoe(0x0021, ipv4(6, tcp_simple(PG_TH_SYN, NONE())))));
    dec("eth-pppoes-ipv6", ETH, 0, eth(0x8864, pppoe(0x0057, ipv6(58, icmp(128, 0, hex("00010001"))))));
    dec("eth-pppoed-lldp", ETH, 0, eth(0x8863, hex("1109 0000 0004 0101 0000")));
    dec("eth-8023-snap-ipv4", ETH, 0, eth(50, cat(hex("aaaa03 000000 0800"), ipv4(1, icmp_echo()))));
    dec("eth-8023-snap-cdp", ETH, 0, eth(20, cat(hex("aaaa03 00000c 2000"), fill(12, 1))));
    /* GRE and ERSPAN */
    dec("eth-gre-ipv4-icmp", ETH, 0, eth(0x0800, ipv4(47, gre(0, 0x0800, NONE(), ipv4(1, icmp_echo())))));
    dec("eth-gre-csum-key-seq-teb", ETH, 0,
        eth(0x0800,
            ipv4(47, gre(0xB000, 0x6558, hex("00000000 00000064 00000001"), eth(0x0800, ipv4(17, udp_dns()))))));
    dec("eth-gre-erspan2", ETH, 0,
        eth(0x0800, ipv4(47, gre(0x1000, 0x88BE, hex("00000005"),
                                 cat(hex("1001 0001 00000000"), eth(0x0800, ipv4(1, icmp_echo())))))));
    {
        blob mirrored = eth(0x86dd, ipv6(17, udp(1, 2, NONE())));
        blob e3 = cat(hex("2001 0001 00000000 00000001 0000000000000000"), mirrored);
        dec("eth-gre-erspan3-platform", ETH, 0, eth(0x0800, ipv4(47, gre(0x1000, 0x22EB, hex("00000006"), e3))));
    }
    dec("eth-gre-erspan1", ETH, 0, eth(0x0800, ipv4(47, gre(0x0000, 0x88BE, NONE(), eth(0x0806, arp(1, 6, 4))))));
    dec("eth-gre-pptp-ppp", ETH, 0,
        eth(0x0800, ipv4(47, gre(0x3081, 0x880B, hex("0010 0001 00000001 00000002"),
                                 cat(hex("ff03 0021"), ipv4(17, udp_dns()))))));
    dec("eth-gre-bad-version", ETH, 0, eth(0x0800, ipv4(47, gre(0x0003, 0x0800, NONE(), NONE()))));
    /* UDP tunnels, IP in IP, Teredo */
    dec("eth-vxlan-eth-ipv4-tcp", ETH, 0,
        eth(0x0800, ipv4(17, udp(49152, 4789, vxlan(42, eth(0x0800, ipv4(6, tcp_simple(PG_TH_SYN, NONE()))))))));
    dec("eth-geneve-opts-ipv4", ETH, 0,
        eth(0x86dd, ipv6(17, udp(49153, 6081, geneve(2, 0x0800, ipv4(1, icmp_echo()))))));
    dec("eth-ipip-udp", ETH, 0, eth(0x0800, ipv4(4, ipv4_between(IP4_C, IP4_D, 17, udp_dns()))));
    dec("eth-6in4-tcp", ETH, 0, eth(0x0800, ipv4(41, ipv6(6, tcp_simple(PG_TH_SYN, NONE())))));
    {
        blob auth = hex("0001 02 01 aabb cc 0102030405060708 00");
        blob origin = hex("0000 1234 c0000201");
        blob inner = ipv6(17, udp(1, 2, str("hi")));
        dec("eth-teredo-auth-origin", ETH, 0, eth(0x0800, ipv4(17, udp(3544, 40000, cat(auth, cat(origin, inner))))));
    }
    {
        blob inner = ipv6(17, udp(1, 2, NONE()));
        for (int i = 0; i < 5; i++) inner = ipv4(41, ipv6(41, i ? inner : ipv4(4, inner)));
        dec("eth-encap-too-deep", ETH, 0, eth(0x0800, inner));
    }
    /* CAPWAP data channel (the 802.11 frame control in Cisco's order), 802.11 */
    dec("eth-capwap-wlan-qos-llc-ipv4-udp", ETH, 0,
        eth(0x0800,
            ipv4(17, udp(12380, 5247, cat(capwap_full(), cat(hex(QOS_TODS), snap(0x0800, ipv4(17, udp_dns()))))))));
    dec("eth-capwap-wlan-htc-ipv6", ETH, 0,
        eth(0x0800, ipv4(17, udp(12380, 5247,
                                 cat(capwap_min(), cat(hex("8288 2c00 1caba7f2139d 580a20690e20 001122334455 3001 0000 "
                                                           "01020300"),
                                                       snap(0x86dd, ipv6(58, icmp(128, 0, hex("00010001"))))))))));
    dec("eth-capwap-wlan-wds-arp", ETH, 0,
        eth(0x0800, ipv4(17, udp(5247, 12380,
                                 cat(capwap_min(), cat(hex("0308 2c00 580a20690e20 001122334455 ffffffffffff 4001 "
                                                           "1caba7f2139d"),
                                                       snap(0x0806, arp(1, 6, 4))))))));
    dec("eth-capwap-wlan-protected", ETH, 0,
        eth(0x0800,
            ipv4(17, udp(12380, 5247,
                         cat(capwap_min(), cat(hex("4188 2c00 580a20690e20 1caba7f2139d 001122334455 6001 0000"),
                                               fill(40, 0x5a)))))));
    dec("eth-capwap-wlan-beacon", ETH, 0,
        eth(0x0800, ipv4(17, udp(12380, 5247,
                                 cat(capwap_min(), hex("0080 0000 ffffffffffff 580a20690e20 580a20690e20 0002 "
                                                       "0102030405060708 6400 3104 0004 6c616231"))))));
    dec("eth-capwap-wlan-ctrl-ack", ETH, 0,
        eth(0x0800, ipv4(17, udp(12380, 5247, cat(capwap_min(), hex("00d4 0000 580a20690e20"))))));
    {
        blob sub = cat(hex("ffffffffffff 001122334455 0024"), snap(0x0800, ipv4(17, udp(1, 2, NONE()))));
        blob two = cat(sub, cat(hex("0000"), sub));
        dec("eth-capwap-wlan-amsdu", ETH, 0,
            eth(0x0800, ipv4(17, udp(12380, 5247,
                                     cat(capwap_min(), cat(hex("0188 2c00 580a20690e20 1caba7f2139d 580a20690e20 "
                                                               "7001 8000"),
                                                           two))))));
    }
    dec("eth-capwap-wlan-truncated", ETH, 0,
        eth(0x0800, ipv4(17, udp(12380, 5247, cat(capwap_min(), head(hex(QOS_TODS), 14))))));
    dec("eth-capwap-8023", ETH, 0,
        eth(0x0800, ipv4(17, udp(12380, 5247, cat(hex("00100000 00000000"), eth(0x0800, ipv4(17, udp_dns())))))));
    dec("eth-capwap-keepalive", ETH, 0,
        eth(0x0800, ipv4(17, udp(12380, 5247, hex("00100008 00000000 0023 0010 0102030405060708090a0b0c0d0e0f10")))));
    dec("eth-capwap-fragment", ETH, 0,
        eth(0x0800, ipv4(17, udp(12380, 5247, cat(hex("00104380 00070000"), fill(32, 0x33))))));
    dec("eth-capwap-hlen-past-end", ETH, 0, eth(0x0800, ipv4(17, udp(12380, 5247, hex("00f84300 00000000 0000")))));
    dec("eth-capwap-hlen-short", ETH, 0, eth(0x0800, ipv4(17, udp(12380, 5247, hex("00084300 00000000 0000")))));
    dec("eth-capwap-cut", ETH, 0, eth(0x0800, ipv4(17, udp(12380, 5247, hex("001043")))));
    dec("eth-capwap-dtls-data", ETH, 0,
        eth(0x0800, ipv4(17, udp(12380, 5247, hex("01000000 15fefd 0000 000000000009 0002 0228")))));
    dec("eth-capwap-control-discovery", ETH, 0,
        eth(0x0800, ipv4(17, udp(12380, 5246,
                                 hex("00200310 00000000 06 580a20690e20 00 00000001 00 0008 00 "
                                     "0014 0001 00")))));
    /* IPv6 extension headers and fragments */
    dec("eth-ipv6-ext-chain", ETH, 0,
        eth(0x86dd, ipv6(0, ext6(43, 0, ext6(60, 1, ext6(135, 0, udp(1, 2, str("x"))))))));
    dec("eth-ipv6-ah-tcp", ETH, 0, eth(0x86dd, ipv6(51, ah(6, tcp_simple(PG_TH_SYN, NONE())))));
    dec("eth-ipv6-atomic-frag", ETH, 0, eth(0x86dd, ipv6(44, frag6(58, 0, 0, 5, icmp(128, 0, hex("00010001"))))));
    dec("eth-ipv6-frag-first", ETH, 0, eth(0x86dd, ipv6(44, frag6(17, 0, 1, 6, udp(1, 2, fill(24, 0x43))))));
    {
        blob x = udp(1, 2, NONE());
        for (int i = 0; i < 9; i++) x = ext6(i ? 60 : 17, 0, x);
        dec("eth-ipv6-ext-too-many", ETH, 0, eth(0x86dd, ipv6(60, x)));
    }
    dec("eth-ipv6-no-next-jumbo", ETH, 0, eth(0x86dd, ipv6x(IP6_A, IP6_B, 59, 0, fill(8, 0))));
    dec("eth-ipv6-plen-beyond", ETH, 0, eth(0x86dd, ipv6x(IP6_A, IP6_B, 17, 900, udp(1, 2, NONE()))));
    /* truncations and snaplen cuts */
    dec("eth-trunc", ETH, 0, hex("ffffffffffff 0200"));
    dec("eth-ipv4-trunc", ETH, 0, head(eth(0x0800, ipv4(6, NONE())), 26));
    dec("eth-ipv6-trunc", ETH, 0, head(eth(0x86dd, ipv6(6, NONE())), 40));
    dec("eth-ipv4-tcp-trunc", ETH, 0, head(eth(0x0800, ipv4(6, tcp_simple(PG_TH_SYN, NONE()))), 44));
    dec("eth-tcp-opts-snapcut", ETH, 120, head(eth(0x0800, ipv4(6, tcp(1, 2, 3, PG_TH_SYN, fill(40, 1), NONE()))), 60));
    dec("eth-udp-snapcut-big", ETH, 200, head(eth(0x0800, ipv4(17, udp(1, 2, fill(3000, 7)))), 64));
    /* the other link types */
    dec("sll-ipv4-udp", PA_FUZZ_LT_SLL, 0, sll(0x0800, ipv4(17, udp_dns())));
    dec("sll-llc", PA_FUZZ_LT_SLL, 0, sll(0x0004, hex("424203 0000")));
    dec("sll2-vlan-arp", PA_FUZZ_LT_SLL2, 0, sll2(0x8100, vlan(5, 0x0806, arp(1, 6, 4))));
    dec("null-ipv4-icmp", PA_FUZZ_LT_NULL, 0, null_le(2, ipv4(1, icmp_echo())));
    dec("null-ipv6-bigendian", PA_FUZZ_LT_NULL, 0, loop_be(30, ipv6(17, udp(1, 2, NONE()))));
    dec("loop-ipv4-tcp", PA_FUZZ_LT_LOOP, 0, loop_be(2, ipv4(6, tcp_simple(PG_TH_SYN, NONE()))));
    dec("loop-ipv6", PA_FUZZ_LT_LOOP, 0, loop_be(24, ipv6(58, icmp(129, 0, hex("00010001")))));
    dec("raw-ipv4-tcp", PA_FUZZ_LT_RAW, 0, ipv4(6, tcp_simple(PG_TH_SYN | PG_TH_ACK, NONE())));
    dec("raw-ipv6-udp", PA_FUZZ_LT_RAW, 0, ipv6(17, udp_dns()));
    dec("raw-bad-version", PA_FUZZ_LT_RAW, 0, hex("55 00 0014"));
    dec("ipv4-linktype", PA_FUZZ_LT_IPV4, 0, ipv4(132, sctp(1, 2, NONE())));
    dec("ipv6-linktype-routing", PA_FUZZ_LT_IPV6, 0, ipv6(43, ext6(6, 2, tcp_simple(PG_TH_RST, NONE()))));
    dec("unsupported-80211", PA_FUZZ_LT_UNSUPPORTED, 0, hex("08000000 ffffffffffff 02005e00000a"));
    dec("empty-frame", ETH, 3, NONE());
}

/* ---- fuzz_packets seeds ------------------------------------------------------ */

/* A UDP datagram of n payload bytes cut into IPv4 fragments of step bytes
 * (a multiple of 8) in the order given by idx (-1 ends). */
static void frags4(blob l4, uint8_t proto, uint16_t id, size_t step, const int *idx, int lt, uint8_t meta) {
    for (int k = 0; idx[k] >= 0; k++) {
        size_t off = (size_t)idx[k] * step;
        if (off >= l4.n) continue;
        size_t len = l4.n - off < step ? l4.n - off : step;
        ip4 o = {.proto = proto, .id = id, .fl = (uint16_t)(off / 8)};
        if (off + len < l4.n) o.fl |= 0x2000;
        blob part = {l4.p + off, len};
        blob ip = ipv4x(&o, cat(part, NONE()));
        seq_add(lt == PA_FUZZ_LT_ETH ? eth(0x0800, ip) : ip, meta);
    }
}

static void frag4_one(uint16_t id, uint16_t off8, int more, blob data, uint8_t meta) {
    ip4 o = {.proto = 17, .id = id, .fl = (uint16_t)(off8 | (more ? 0x2000 : 0))};
    seq_add(ipv4x(&o, data), meta);
}

static void seeds_packets(void) {
    static const int in_order[] = {0, 1, 2, -1}, reverse[] = {2, 1, 0, -1};
    static const int dup_mid[] = {0, 1, 1, 2, -1};

    seq_begin(PA_FUZZ_LT_ETH);
    frags4(udp(1000, 2000, fill(40, 0x61)), 17, 1, 16, in_order, PA_FUZZ_LT_ETH, 0);
    seq_write("eth-frag4-in-order");

    seq_begin(PA_FUZZ_LT_ETH);
    frags4(udp(1000, 53, fill(40, 0x62)), 17, 2, 16, reverse, PA_FUZZ_LT_ETH, 1);
    seq_add(eth(0x0806, arp(1, 6, 4)), 0);
    seq_write("eth-frag4-reverse-then-arp");

    seq_begin(PA_FUZZ_LT_RAW);
    frags4(tcp_simple(PG_TH_ACK, fill(64, 0x63)), 6, 3, 24, dup_mid, PA_FUZZ_LT_RAW, 0);
    seq_write("raw-frag4-duplicate");

    /* overlap with the same bytes, then overlap with different bytes */
    seq_begin(PA_FUZZ_LT_RAW);
    {
        blob d = udp(7, 7, fill(40, 0x64));
        frag4_one(4, 0, 1, head(d, 24), 0);
        frag4_one(4, 2, 1, (blob){d.p + 16, 16}, 0);
        frag4_one(4, 4, 0, (blob){d.p + 32, 16}, 0);
        frag4_one(5, 0, 1, head(d, 24), 0);
        frag4_one(5, 1, 0, fill(40, 0x7a), 0);
    }
    seq_write("raw-frag4-overlaps");

    /* IPv6 fragments carrying TCP, and an overlapping retransmission */
    seq_begin(PA_FUZZ_LT_SLL);
    {
        blob t = tcp(443, 50000, 9, PG_TH_ACK | PG_TH_PSH, NONE(), fill(48, 0x65));
        seq_add(sll(0x86dd, ipv6(44, frag6(6, 0, 1, 77, head(t, 32)))), 0);
        seq_add(sll(0x86dd, ipv6(44, frag6(6, 24, 1, 77, (blob){t.p + 24, 24}))), 0);
        seq_add(sll(0x86dd, ipv6(0, ext6(44, 0, frag6(6, 48, 0, 77, (blob){t.p + 48, 20})))), 0);
    }
    seq_write("sll-frag6-tcp-overlap");

    /* the outer IPv4 of an IP-in-IP datagram is fragmented; its inner IPv4
     * is itself a fragment set: reassembly inside a reassembled datagram */
    seq_begin(PA_FUZZ_LT_ETH);
    {
        static const int two[] = {0, 1, -1};
        blob inner_l4 = udp(9, 9, fill(24, 0x66));
        ip4 i1 = {.src = IP4_C, .dst = IP4_D, .proto = 17, .id = 50, .fl = 0x2000};
        ip4 i2 = {.src = IP4_C, .dst = IP4_D, .proto = 17, .id = 50, .fl = 2};
        blob first = ipv4x(&i1, head(inner_l4, 16));
        blob second = ipv4x(&i2, (blob){inner_l4.p + 16, 16});
        frags4(first, 4, 60, 24, two, PA_FUZZ_LT_ETH, 0);
        frags4(second, 4, 61, 24, two, PA_FUZZ_LT_ETH, 0);
    }
    seq_write("eth-frag4-nested-ipip");

    /* a datagram that times out (a 120 s gap) while another completes */
    seq_begin(PA_FUZZ_LT_RAW);
    frag4_one(6, 0, 1, fill(16, 1), 0);
    frag4_one(7, 1, 0, fill(8, 3), 0);
    frag4_one(6, 2, 0, fill(16, 2), 0x0F);
    frag4_one(7, 0, 1, fill(8, 4), 0);
    seq_write("raw-frag4-timeout");

    /* more pieces than a datagram may hold */
    seq_begin(PA_FUZZ_LT_RAW);
    for (uint16_t i = 0; i < 66; i++) frag4_one(8, i, 1, fill(8, (uint8_t)i), 0);
    seq_write("raw-frag4-too-many-pieces");

    /* more datagrams than the table holds */
    seq_begin(PA_FUZZ_LT_RAW);
    for (uint16_t i = 0; i < 258; i++) frag4_one((uint16_t)(1000 + i), 0, 1, fill(8, 9), 0);
    seq_write("raw-frag4-table-full");

    /* pieces at the end of the 64 KiB space: the buffered-bytes cap, then
     * an end past 65535 */
    seq_begin(PA_FUZZ_LT_RAW);
    for (uint16_t i = 0; i < 130; i++) frag4_one((uint16_t)(3000 + i), 8190, 1, fill(8, 5), 0);
    frag4_one(4000, 8191, 0, fill(16, 6), 0);
    seq_write("raw-frag4-byte-cap-too-big");

    /* fragments cut by the snaplen cannot be reassembled */
    seq_begin(PA_FUZZ_LT_ETH);
    {
        static const int all3[] = {0, 1, 2, -1};
        frags4(udp(1, 2, fill(40, 0x67)), 17, 9, 16, all3, PA_FUZZ_LT_ETH, 0x30);
    }
    seq_write("eth-frag4-snapcut");

    /* an ordinary TCP session with VLAN tags */
    seq_begin(PA_FUZZ_LT_ETH);
    seq_add(eth(0x8100, vlan(10, 0x0800, ipv4(6, tcp(40000, 80, 1, PG_TH_SYN, tcp_opts_syn(), NONE())))), 0);
    seq_add(eth(0x8100, vlan(10, 0x0800,
                             ipv4_between(IP4_B, IP4_A, 6,
                                          tcp(80, 40000, 500, PG_TH_SYN | PG_TH_ACK, tcp_opts_syn(), NONE())))),
            0);
    seq_add(eth(0x8100, vlan(10, 0x0800, ipv4(6, tcp_simple(PG_TH_ACK | PG_TH_PSH, str("GET / HTTP/1.1\r\n\r\n"))))),
            1);
    seq_add(eth(0x8100,
                vlan(10, 0x0800,
                     ipv4_between(IP4_B, IP4_A, 6,
                                  tcp(80, 40000, 501, PG_TH_ACK | PG_TH_FIN, NONE(), str("HTTP/1.1 200 OK\r\n\r\n"))))),
            1);
    seq_write("eth-vlan-tcp-session");

    /* fragments of a GRE-carried datagram over SLL2 */
    seq_begin(PA_FUZZ_LT_SLL2);
    {
        blob g = gre(0, 0x0800, NONE(), ipv4(17, udp_dns()));
        ip4 a = {.proto = 47, .id = 70, .fl = 0x2000};
        ip4 b = {.proto = 47, .id = 70, .fl = 3};
        seq_add(sll2(0x0800, ipv4x(&a, head(g, 24))), 0);
        seq_add(sll2(0x0800, ipv4x(&b, (blob){g.p + 24, g.n - 24})), 2);
    }
    seq_write("sll2-frag4-gre");
}

/* ---- fuzz_capture seeds ------------------------------------------------------- */

typedef struct capw {
    pg_writer *w;
    pg_ts t;
    char path[4096];
} capw;

static void cap_open(capw *c, const char *name, pg_format fmt, uint16_t linktype, bool ns, bool be, uint32_t snaplen) {
    pg_writer_opts o;
    pg_writer_opts_init(&o);
    o.format = fmt;
    o.linktype = linktype;
    o.nanosec = ns;
    o.big_endian = be;
    if (snaplen) o.snaplen = snaplen;
    path_of(c->path, sizeof c->path, "capture", name);
    c->t = (pg_ts){1700000000, 123456000};
    int rc = pg_open(&c->w, c->path, &o);
    if (rc != PG_OK) {
        fprintf(stderr, "gen_seeds: %s: %s\n", c->path, pg_strerror(rc));
        exit(1);
    }
}

static void cap_put(capw *c, uint32_t if_id, uint64_t dt_ns, blob frame, uint32_t origlen) {
    c->t = pg_ts_add(c->t, dt_ns);
    uint32_t caplen = (uint32_t)frame.n;
    int rc = pg_write_if(c->w, if_id, c->t, frame.p, caplen, origlen > caplen ? origlen : caplen);
    if (rc != PG_OK) {
        fprintf(stderr, "gen_seeds: %s: %s\n", c->path, pg_strerror(rc));
        exit(1);
    }
}

static void cap_close(capw *c, long truncate_to) {
    if (pg_close(c->w) != PG_OK) {
        fprintf(stderr, "gen_seeds: cannot write %s\n", c->path);
        exit(1);
    }
    if (truncate_to >= 0 && truncate(c->path, truncate_to) != 0) {
        perror(c->path);
        exit(1);
    }
    counts[T_CAPTURE]++;
    arena_reset();
}

/* A little of everything on Ethernet. */
static void eth_mix(capw *c, uint32_t if_id) {
    cap_put(c, if_id, 0, eth(0x0800, ipv4(6, tcp(40000, 80, 1, PG_TH_SYN, tcp_opts_syn(), NONE()))), 0);
    cap_put(
        c, if_id, PG_US(300),
        eth(0x0800, ipv4_between(IP4_B, IP4_A, 6, tcp(80, 40000, 9, PG_TH_SYN | PG_TH_ACK, tcp_opts_syn(), NONE()))),
        0);
    cap_put(c, if_id, PG_US(50),
            eth(0x0800, ipv4(6, tcp_simple(PG_TH_ACK | PG_TH_PSH, str("GET / HTTP/1.1\r\nHost: x\r\n\r\n")))), 0);
    cap_put(c, if_id, PG_MS(2), eth(0x0800, ipv4(17, udp_dns())), 0);
    cap_put(c, if_id, PG_MS(1), eth(0x0806, arp(1, 6, 4)), 0);
    cap_put(c, if_id, PG_MS(1), eth(0x86dd, ipv6(58, icmp(128, 0, hex("00010001")))), 0);
    cap_put(c, if_id, PG_MS(1), eth(0x0800, ipv4(17, udp(50000, 443, hex("c300000001 08 0102030405060708")))), 0);
    cap_put(c, if_id, PG_MS(1), eth(0x0800, ipv4(47, gre(0, 0x6558, NONE(), eth(0x0800, ipv4(1, icmp_echo()))))), 0);
}

static void seeds_capture(void) {
    capw c;
    cap_open(&c, "pcap-le-usec-eth-mix", PG_PCAP, 1, false, false, 0);
    eth_mix(&c, 0);
    cap_close(&c, -1);

    cap_open(&c, "pcap-be-nsec-eth-vlan", PG_PCAP, 1, true, true, 0);
    cap_put(&c, 0, 1, eth(0x8100, vlan(7, 0x0800, ipv4(6, tcp_simple(PG_TH_SYN, NONE())))), 0);
    cap_put(&c, 0, 1, eth(0x88a8, vlan(8, 0x8100, vlan(9, 0x86dd, ipv6(17, udp_dns())))), 0);
    cap_put(&c, 0, 1, eth(0x8864, pppoe(0x0021, ipv4(1, icmp_echo()))), 0);
    cap_close(&c, -1);

    cap_open(&c, "pcapng-le-two-interfaces", PG_PCAPNG, 1, true, false, 0);
    {
        uint32_t raw_if = 0;
        if (pg_pcapng_add_if(c.w, 101, 65535, 6, "raw0", &raw_if) != PG_OK) exit(1);
        eth_mix(&c, 0);
        cap_put(&c, raw_if, PG_MS(3), ipv4(17, udp(1, 2, str("raw"))), 0);
        cap_put(&c, raw_if, PG_MS(3), ipv6(6, tcp_simple(PG_TH_RST, NONE())), 0);
    }
    cap_close(&c, -1);

    cap_open(&c, "pcapng-be-sll2", PG_PCAPNG, 276, false, true, 0);
    cap_put(&c, 0, 0,
            sll2(0x0800, ipv4(17, udp(4789, 4789, vxlan(1, eth(0x0800, ipv4(6, tcp_simple(PG_TH_SYN, NONE()))))))), 0);
    cap_put(&c, 0, PG_MS(1), sll2(0x86dd, ipv6(0, ext6(17, 0, udp(1, 2, NONE())))), 0);
    cap_close(&c, -1);

    static const struct {
        const char *name;
        uint16_t lt;
        int sel;
    } links[] = {
        {"pcap-sll", 113, PA_FUZZ_LT_SLL},
        {"pcap-null", 0, PA_FUZZ_LT_NULL},
        {"pcap-loop", 108, PA_FUZZ_LT_LOOP},
        {"pcap-raw", 101, PA_FUZZ_LT_RAW},
        {"pcap-ipv4", 228, PA_FUZZ_LT_IPV4},
        {"pcap-ipv6", 229, PA_FUZZ_LT_IPV6},
        {"pcap-unsupported-80211", 105, PA_FUZZ_LT_UNSUPPORTED},
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        cap_open(&c, links[i].name, PG_PCAP, links[i].lt, false, false, 0);
        for (int k = 0; k < 2; k++) {
            blob v4 = ipv4(6, tcp(40000, 22, (uint32_t)k, PG_TH_ACK, NONE(), str("SSH-2.0-x\r\n")));
            blob v6 = ipv6(17, udp(1, 3544, NONE()));
            blob f;
            switch (links[i].sel) {
            case PA_FUZZ_LT_SLL: f = k ? sll(0x86dd, v6) : sll(0x0800, v4); break;
            case PA_FUZZ_LT_NULL: f = k ? null_le(24, v6) : null_le(2, v4); break;
            case PA_FUZZ_LT_LOOP: f = k ? loop_be(30, v6) : loop_be(2, v4); break;
            case PA_FUZZ_LT_IPV4: f = v4; break;
            case PA_FUZZ_LT_IPV6: f = v6; break;
            case PA_FUZZ_LT_UNSUPPORTED: f = hex("08000000 ffffffffffff 02005e00000a"); break;
            default: f = k ? v6 : v4; break;
            }
            cap_put(&c, 0, PG_MS(5), f, 0);
        }
        cap_close(&c, -1);
    }

    /* damaged: the file ends inside the second record */
    cap_open(&c, "pcap-truncated-record", PG_PCAP, 1, false, false, 0);
    cap_put(&c, 0, 0, eth(0x0800, ipv4(17, udp_dns())), 0);
    cap_put(&c, 0, 1000, eth(0x0800, ipv4(17, udp_dns())), 0);
    cap_close(&c, 24 + 16 + 71 + 30);

    /* a snaplen of 64: frames longer on the wire than captured */
    cap_open(&c, "pcap-snaplen-64", PG_PCAP, 1, false, false, 64);
    cap_put(&c, 0, 0, head(eth(0x0800, ipv4(6, tcp_simple(PG_TH_ACK, fill(400, 0x55)))), 64), 454);
    cap_put(&c, 0, 1, head(eth(0x0800, ipv4(17, udp(1, 2, fill(200, 1)))), 64), 242);
    cap_close(&c, -1);

    cap_open(&c, "pcap-empty", PG_PCAP, 1, false, false, 0);
    cap_close(&c, -1);

    /* time going backwards, then a jump of days: the time bins merge */
    cap_open(&c, "pcap-time-jumps", PG_PCAP, 1, false, false, 0);
    cap_put(&c, 0, 0, eth(0x0800, ipv4(1, icmp_echo())), 0);
    c.t.sec -= 5;
    cap_put(&c, 0, 0, eth(0x0800, ipv4(1, icmp_echo())), 0);
    cap_put(&c, 0, 300000ull * 1000000000ull, eth(0x0800, ipv4(1, icmp_echo())), 0);
    cap_close(&c, -1);

    /* fragments reassembled by the engine, one never completed */
    cap_open(&c, "pcap-fragments", PG_PCAP, 1, false, false, 0);
    {
        blob d = udp(5000, 5001, fill(40, 0x71));
        ip4 a = {.proto = 17, .id = 11, .fl = 0x2000}, b = {.proto = 17, .id = 11, .fl = 3};
        ip4 lone = {.proto = 17, .id = 12, .fl = 0x2000};
        cap_put(&c, 0, 0, eth(0x0800, ipv4x(&a, head(d, 24))), 0);
        cap_put(&c, 0, 10, eth(0x0800, ipv4x(&lone, head(d, 24))), 0);
        cap_put(&c, 0, 10, eth(0x0800, ipv4x(&b, (blob){d.p + 24, d.n - 24})), 0);
    }
    cap_close(&c, -1);

    /* many small flows between many hosts */
    cap_open(&c, "pcap-many-flows", PG_PCAP, 1, false, false, 0);
    for (uint32_t i = 0; i < 48; i++) {
        uint8_t src[4] = {10, 0, (uint8_t)(i / 8), (uint8_t)(1 + i % 8)};
        uint8_t dst[4] = {10, 1, 0, (uint8_t)(1 + i % 5)};
        blob t = i % 3 ? udp((uint16_t)(1024 + i), 53, NONE())
                       : tcp((uint16_t)(2048 + i), 443, i, PG_TH_SYN, NONE(), NONE());
        cap_put(&c, 0, PG_MS(1), eth(0x0800, ipv4_between(src, dst, i % 3 ? 17 : 6, t)), 0);
    }
    cap_close(&c, -1);

    write_file("capture", "not-a-capture", "hello, not a pcap\n", 18);
    counts[T_CAPTURE]++;
    /* a pcap header claiming a huge snaplen and a record larger than it */
    write_file("capture", "pcap-oversized-record",
               "\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00"
               "\xff\xff\xff\xff\x01\x00\x00\x00"
               "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10\x00\x00\x00\x10\x00",
               40);
    counts[T_CAPTURE]++;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTDIR (normally fuzz/corpus)\n", argv[0]);
        return 2;
    }
    outdir = argv[1];
    static const char *const targets[T_COUNT] = {"decode", "packets", "capture", "jsonrpc", "server", "schema"};
    for (size_t i = 0; i < T_COUNT; i++) mkdirs(targets[i]);
    seeds_decode();
    seeds_packets();
    seeds_capture();
    seeds_jsonrpc();
    seeds_server();
    seeds_schema();
    for (size_t i = 0; i < T_COUNT; i++) printf("%-8s %u seeds\n", targets[i], counts[i]);
    return 0;
}
