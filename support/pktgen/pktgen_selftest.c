/*
 * pktgen-selftest [OUTDIR]
 *
 * Checks pa_pktgen's builders and writers in-process (checksums, bounds,
 * DNS compression, file headers) and leaves four small captures in OUTDIR
 * (default ".") for external readers (tshark, capinfos):
 *   selftest.pcapng        two interfaces (us and ns), VLAN, IPv6, SACK, a
 *                          fragment and a snaplen-cut frame
 *   selftest-be.pcapng     the same frames, big-endian, one ns interface
 *   selftest-be-ns.pcap    big-endian, nanosecond classic pcap
 *   selftest-snap96.pcap   little-endian, microsecond, snaplen 96
 */
#include "pktgen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                                   \
            failures++;                                                                                                \
        }                                                                                                              \
    } while (0)

static const uint8_t MAC_A[6] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0xaa};
static const uint8_t MAC_B[6] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0xbb};
static const uint8_t IP4_A[4] = {192, 0, 2, 1};
static const uint8_t IP4_B[4] = {198, 51, 100, 2};
static const uint8_t IP6_A[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t IP6_B[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

static uint16_t rd16(const uint8_t *b) { return (uint16_t)(b[0] << 8 | b[1]); }

/* A correct checksum makes the one's-complement sum of the covered data 0. */
static void check_sums(const pg_pkt *p) {
    const uint8_t *ip = p->buf + p->l3_off;
    if (p->l3 == 4) CHECK(pg_csum(ip, 20) == 0);
    if (p->l4 && p->l4 != PG_IPPROTO_ICMP) {
        const uint8_t *src = ip + (p->l3 == 4 ? 12 : 8), *dst = ip + (p->l3 == 4 ? 16 : 24);
        CHECK(pg_csum_pseudo(p->l3, src, dst, p->l4, p->buf + p->l4_off, p->len - p->l4_off) == 0);
    } else if (p->l4 == PG_IPPROTO_ICMP) {
        CHECK(pg_csum(p->buf + p->l4_off, p->len - p->l4_off) == 0);
    }
}

static pg_ip4 ip4(uint8_t ttl, uint16_t id) {
    pg_ip4 ip = {.ttl = ttl, .id = id, .df = true};
    memcpy(ip.src, IP4_A, 4);
    memcpy(ip.dst, IP4_B, 4);
    return ip;
}

static pg_ip6 ip6(void) {
    pg_ip6 ip = {.hlim = 64, .flow = 0x12345};
    memcpy(ip.src, IP6_A, 16);
    memcpy(ip.dst, IP6_B, 16);
    return ip;
}

static void test_builders(void) {
    uint8_t buf[512];
    pg_pkt p;

    /* RFC 1071 example: 0x0001 f203 f4f5 f6f7 sums to 0xddf2. */
    static const uint8_t rfc[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    CHECK(pg_csum(rfc, sizeof rfc) == (uint16_t)~0xddf2u);

    /* TCP/IPv4 with every option kind. */
    pg_pkt_init(&p, buf, sizeof buf);
    pg_eth(&p, MAC_B, MAC_A, PG_ETH_IPV4);
    pg_ip4 ip = ip4(64, 7);
    pg_ipv4(&p, &ip);
    pg_tcp_hdr th = {.sport = 1234, .dport = 80, .seq = 1, .flags = PG_TH_SYN, .win = 65535};
    th.opt = (pg_tcp_opts){.mss = 1460, .wscale_on = true, .wscale = 7, .sack_perm = true, .ts_on = true, .tsval = 10};
    pg_tcp(&p, &th);
    CHECK(pg_finish(&p) == PG_OK);
    CHECK(p.len == 14 + 20 + 40);
    CHECK(p.buf[14 + 9] == PG_IPPROTO_TCP);
    check_sums(&p);

    /* Too many options for 40 bytes. */
    pg_pkt_init(&p, buf, sizeof buf);
    pg_eth(&p, MAC_B, MAC_A, PG_ETH_IPV4);
    pg_ipv4(&p, &ip);
    th.opt.nsack = 3;
    CHECK(pg_tcp(&p, &th) == PG_ERANGE);
    CHECK(pg_finish(&p) == PG_ERANGE); /* sticky */

    /* Bounds: a 10-byte buffer cannot hold an Ethernet header. */
    pg_pkt_init(&p, buf, 10);
    CHECK(pg_eth(&p, MAC_B, MAC_A, PG_ETH_IPV4) == PG_ENOSPC);
    CHECK(pg_u8(&p, 1) == PG_ENOSPC);

    /* L4 without L3 is a call-order error. */
    pg_pkt_init(&p, buf, sizeof buf);
    CHECK(pg_udp(&p, 1, 2) == PG_EINVAL);

    /* UDP/IPv6 and ICMP/ICMPv6. */
    pg_pkt_init(&p, buf, sizeof buf);
    pg_eth(&p, MAC_B, MAC_A, PG_ETH_IPV6);
    pg_ip6 i6 = ip6();
    pg_ipv6(&p, &i6);
    pg_udp(&p, 5000, 5001);
    pg_bytes(&p, "hello", 5);
    CHECK(pg_finish(&p) == PG_OK);
    CHECK(rd16(p.buf + 14 + 4) == 8 + 5);
    CHECK(rd16(p.buf + 14 + 40 + 4) == 8 + 5);
    check_sums(&p);

    pg_pkt_init(&p, buf, sizeof buf);
    pg_eth(&p, MAC_B, MAC_A, PG_ETH_IPV4);
    pg_ipv4(&p, &ip);
    pg_icmp_echo(&p, false, 1, 2);
    pg_bytes(&p, "abc", 3); /* odd length exercises the checksum tail */
    CHECK(pg_finish(&p) == PG_OK);
    check_sums(&p);
    CHECK(pg_icmp6_echo(&p, false, 1, 1) == PG_EINVAL);

    /* length helper */
    pg_pkt_init(&p, buf, sizeof buf);
    size_t m;
    pg_len_begin(&p, 3, &m);
    pg_fill(&p, 0xab, 300);
    CHECK(pg_len_end(&p, m, 3) == PG_OK);
    CHECK(buf[0] == 0 && buf[1] == 1 && buf[2] == 44);
    pg_pkt_init(&p, buf, sizeof buf);
    pg_len_begin(&p, 1, &m);
    pg_fill(&p, 0, 250);
    pg_fill(&p, 0, 10);
    CHECK(pg_len_end(&p, m, 1) == PG_ERANGE);
}

static void test_dns(void) {
    uint8_t buf[512];
    pg_pkt p;
    pg_dns d;
    pg_pkt_init(&p, buf, sizeof buf);
    pg_dns_begin(&d, &p, 0x1234, PG_DNS_QR | PG_DNS_RD | PG_DNS_RA);
    pg_dns_question(&d, "www.example.test", PG_DNS_A);
    pg_dns_rr_name(&d, PG_DNS_AN, "www.example.test", PG_DNS_CNAME, 300, "edge.Example.test.");
    static const uint8_t a[4] = {198, 51, 100, 80};
    pg_dns_rr(&d, PG_DNS_AN, "edge.example.test", PG_DNS_A, 60, a, 4);
    CHECK(pg_dns_end(&d) == PG_OK);
    /* header 12, question 18+4, CNAME: ptr 2 + 10 + rdata (5 + ptr 2), A: ptr 2 + 10 + 4 */
    CHECK(p.len == 12 + 22 + 12 + 7 + 16);
    CHECK(rd16(buf + 6) == 2);
    CHECK(rd16(buf + 34) == 0xc00c);             /* owner -> question name */
    CHECK(rd16(buf + 34 + 12 + 5) == 0xc010);    /* "example.test" suffix of the question */
    CHECK(rd16(buf + 34 + 19) == (0xc000 | 46)); /* owner -> CNAME target */
    /* Sections out of order and bad labels are rejected. */
    CHECK(pg_dns_question(&d, "x.test", PG_DNS_A) == PG_EINVAL);
    pg_pkt_init(&p, buf, sizeof buf);
    pg_dns_begin(&d, &p, 1, 0);
    CHECK(pg_dns_question(&d, "a..b", PG_DNS_A) == PG_EINVAL);
    pg_pkt_init(&p, buf, sizeof buf);
    pg_dns_begin(&d, &p, 1, 0);
    CHECK(pg_dns_question(&d, "a..", PG_DNS_A) == PG_EINVAL);
    pg_pkt_init(&p, buf, sizeof buf);
    pg_dns_begin(&d, &p, 1, 0);
    CHECK(pg_dns_question(&d, ".", PG_DNS_NS) == PG_OK && p.len == 12 + 1 + 4);
}

/* Frames for the pcapng/pcap captures, each a different builder path. */
static int write_frames(pg_writer *w, uint32_t if_ns) {
    uint8_t buf[1600];
    pg_pkt p;
    pg_ts t = {1768471200u, 123456789u};
    int rc = 0;

    /* 1: VLAN-tagged ARP request */
    pg_pkt_init(&p, buf, sizeof buf);
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, zero[6] = {0};
    pg_eth_vlan(&p, bcast, MAC_A, 0x2064 /* pcp 1, vid 100 */, PG_ETH_ARP);
    pg_arp(&p, PG_ARP_REQUEST, MAC_A, IP4_A, zero, IP4_B);
    pg_finish(&p);
    pg_pad_to(&p, 60);
    rc |= pg_write_pkt(w, t, &p);

    /* 2: TCP with SACK blocks over IPv6 */
    pg_pkt_init(&p, buf, sizeof buf);
    pg_eth(&p, MAC_B, MAC_A, PG_ETH_IPV6);
    pg_ip6 i6 = ip6();
    pg_ipv6(&p, &i6);
    pg_tcp_hdr th = {.sport = 443, .dport = 50000, .seq = 1000, .ack = 2000, .flags = PG_TH_ACK, .win = 500};
    th.opt.ts_on = true;
    th.opt.tsval = 5;
    th.opt.tsecr = 6;
    th.opt.nsack = 2;
    th.opt.sack[0][0] = 3000;
    th.opt.sack[0][1] = 4000;
    th.opt.sack[1][0] = 5000;
    th.opt.sack[1][1] = 6000;
    pg_tcp(&p, &th);
    pg_finish(&p);
    check_sums(&p);
    rc |= pg_write_pkt(w, pg_ts_add(t, PG_US(100)), &p);

    /* 3+4: a UDP datagram fragmented in two; the first fragment carries
     * the UDP header, so its checksum is computed over the whole datagram. */
    uint8_t dgram[8 + 1472];
    for (size_t i = 0; i < sizeof dgram; i++) dgram[i] = (uint8_t)i;
    dgram[0] = 0x13, dgram[1] = 0x88, dgram[2] = 0x13, dgram[3] = 0x89;
    dgram[4] = (uint8_t)(sizeof dgram >> 8), dgram[5] = (uint8_t)sizeof dgram;
    dgram[6] = dgram[7] = 0;
    uint16_t cs = pg_csum_pseudo(4, IP4_A, IP4_B, PG_IPPROTO_UDP, dgram, sizeof dgram);
    dgram[6] = (uint8_t)(cs >> 8), dgram[7] = (uint8_t)cs;
    for (int frag = 0; frag < 2; frag++) {
        pg_pkt_init(&p, buf, sizeof buf);
        pg_eth(&p, MAC_B, MAC_A, PG_ETH_IPV4);
        pg_ip4 ip = ip4(64, 0x4242);
        ip.df = false;
        ip.proto = PG_IPPROTO_UDP;
        ip.mf = frag == 0;
        ip.frag_off = frag ? 1000 / 8 : 0;
        pg_ipv4(&p, &ip);
        pg_bytes(&p, dgram + (frag ? 1000 : 0), frag ? sizeof dgram - 1000 : 1000);
        pg_finish(&p);
        check_sums(&p);
        rc |= pg_write_pkt(w, pg_ts_add(t, PG_US(200 + 10 * (unsigned)frag)), &p);
    }

    /* 5: ICMP echo, written snaplen-cut to 64 of its bytes */
    pg_pkt_init(&p, buf, sizeof buf);
    pg_eth(&p, MAC_B, MAC_A, PG_ETH_IPV4);
    pg_ip4 ip = ip4(64, 9);
    pg_ipv4(&p, &ip);
    pg_icmp_echo(&p, false, 7, 1);
    pg_fill(&p, 0x61, 200);
    rc |= pg_finish(&p);
    rc |= pg_write(w, pg_ts_add(t, PG_US(300)), p.buf, 64, (uint32_t)p.len);

    /* 6: ICMPv6 echo reply on the nanosecond interface (pcapng) */
    pg_pkt_init(&p, buf, sizeof buf);
    pg_eth(&p, MAC_A, MAC_B, PG_ETH_IPV6);
    pg_ip6 r6 = ip6();
    memcpy(r6.src, IP6_B, 16);
    memcpy(r6.dst, IP6_A, 16);
    pg_ipv6(&p, &r6);
    pg_icmp6_echo(&p, true, 7, 1);
    pg_fill(&p, 0x62, 32);
    pg_finish(&p);
    check_sums(&p);
    rc |= pg_write_if(w, if_ns, pg_ts_add(t, 400001), p.buf, (uint32_t)p.len, (uint32_t)p.len);

    /* 7-10: a tiny TCP conversation: handshake, data with auto-ACK, RST */
    pg_tcp_peer a = {.port = 40000,
                     .isn = 100,
                     .win = 64240,
                     .mss = 1460,
                     .wscale_on = true,
                     .wscale = 7,
                     .sack_perm = true,
                     .ts_on = true,
                     .ttl = 64};
    pg_tcp_peer b = {.port = 80, .isn = 900, .win = 65160, .mss = 1400, .ttl = 60};
    memcpy(a.mac, MAC_A, 6);
    memcpy(a.ip, IP4_A, 4);
    memcpy(b.mac, MAC_B, 6);
    memcpy(b.ip, IP4_B, 4);
    pg_tcp_conv c;
    rc |= pg_tcp_init(&c, w, 4, &a, &b);
    rc |= pg_tcp_handshake(&c, pg_ts_add(t, PG_MS(1)), PG_MS(2));
    CHECK(!c.ts_ok && !c.ws_ok && !c.sack_ok); /* the server offered none */
    CHECK(pg_tcp_seg_max(&c, PG_CLIENT) == 1400);
    rc |= pg_tcp_send(&c, pg_ts_add(t, PG_MS(4)), PG_CLIENT, "ping", 4, PG_TCP_PUSH | PG_TCP_ACKNOW);
    CHECK(c.side[PG_SERVER].rcv_nxt == 105);
    CHECK(pg_tcp_retransmit(&c, t, PG_CLIENT, 104, "xx", 2) == PG_EINVAL); /* unsent */
    rc |= pg_tcp_rst(&c, pg_ts_add(t, PG_MS(5)), PG_CLIENT);
    return rc;
}

static int read_file(const char *path, uint8_t *out, size_t cap, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    *len = fread(out, 1, cap, f);
    fclose(f);
    return 0;
}

static void join(char *out, size_t cap, const char *dir, const char *name) {
    int n = snprintf(out, cap, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= cap) out[0] = '\0';
}

static void test_files(const char *dir) {
    char path[1024];
    static uint8_t file[65536];
    size_t len = 0;
    pg_writer *w;
    pg_writer_opts o;

    /* pcapng, little-endian; interface 0 in us, interface 1 in ns */
    join(path, sizeof path, dir, "selftest.pcapng");
    pg_writer_opts_init(&o);
    o.format = PG_PCAPNG;
    CHECK(pg_open(&w, path, &o) == PG_OK);
    if (w) {
        uint32_t if_ns = 0;
        CHECK(pg_pcapng_add_if(w, PG_LINKTYPE_ETHERNET, 65535, 9, "eth-ns", &if_ns) == PG_OK);
        CHECK(if_ns == 1);
        CHECK(write_frames(w, if_ns) == PG_OK);
        CHECK(pg_write_if(w, 5, (pg_ts){0, 0}, file, 0, 0) == PG_EINVAL);
        CHECK(pg_close(w) == PG_OK);
        CHECK(read_file(path, file, sizeof file, &len) == 0);
        CHECK(len > 28 && memcmp(file, "\x0a\x0d\x0d\x0a", 4) == 0);
        CHECK(memcmp(file + 8, "\x4d\x3c\x2b\x1a", 4) == 0);
    }

    /* pcapng, big-endian, a single nanosecond interface */
    join(path, sizeof path, dir, "selftest-be.pcapng");
    pg_writer_opts_init(&o);
    o.format = PG_PCAPNG;
    o.big_endian = true;
    o.nanosec = true;
    CHECK(pg_open(&w, path, &o) == PG_OK);
    if (w) {
        CHECK(write_frames(w, 0) == PG_OK);
        CHECK(pg_close(w) == PG_OK);
        CHECK(read_file(path, file, sizeof file, &len) == 0);
        CHECK(len > 28 && memcmp(file + 8, "\x1a\x2b\x3c\x4d", 4) == 0);
    }

    /* classic pcap, big-endian, nanoseconds */
    join(path, sizeof path, dir, "selftest-be-ns.pcap");
    pg_writer_opts_init(&o);
    o.big_endian = true;
    o.nanosec = true;
    CHECK(pg_open(&w, path, &o) == PG_OK);
    if (w) {
        CHECK(write_frames(w, 0) == PG_OK);
        CHECK(pg_close(w) == PG_OK);
        CHECK(read_file(path, file, sizeof file, &len) == 0);
        CHECK(len > 40 && memcmp(file, "\xa1\xb2\x3c\x4d", 4) == 0);
        /* first record: ts_nsec kept at full precision, big-endian */
        CHECK(memcmp(file + 24 + 4, "\x07\x5b\xcd\x15", 4) == 0); /* 123456789 */
    }

    /* classic pcap, little-endian, microseconds, snaplen 96 */
    join(path, sizeof path, dir, "selftest-snap96.pcap");
    pg_writer_opts_init(&o);
    o.snaplen = 96;
    CHECK(pg_open(&w, path, &o) == PG_OK);
    if (w) {
        uint8_t frame[200] = {0};
        CHECK(pg_write(w, (pg_ts){1768471200u, 999999999u}, frame, 200, 200) == PG_OK);
        CHECK(pg_write(w, (pg_ts){1768471201u, 0}, frame, 100, 50) == PG_EINVAL);
        CHECK(pg_write(w, (pg_ts){1768471201u, 1000000000u}, frame, 10, 10) == PG_EINVAL);
        CHECK(pg_close(w) == PG_OK);
        CHECK(read_file(path, file, sizeof file, &len) == 0);
        CHECK(len == 24 + 16 + 96);
        CHECK(memcmp(file, "\xd4\xc3\xb2\xa1", 4) == 0);
        CHECK(memcmp(file + 24 + 4, "\x3f\x42\x0f\x00", 4) == 0); /* 999999 us */
        CHECK(memcmp(file + 24 + 8, "\x60\x00\x00\x00\xc8\x00\x00\x00", 8) == 0);
    }
    CHECK(pg_open(&w, "/nonexistent-dir/x.pcap", NULL) == PG_EIO);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    test_builders();
    test_dns();
    test_files(dir);
    if (failures) {
        fprintf(stderr, "pktgen-selftest: %d check(s) failed\n", failures);
        return 1;
    }
    puts("pktgen-selftest: ok");
    return 0;
}
