/*
 * pa-threat-scenarios OUTDIR
 *
 * Writes one small capture per finding kind of the expert-information,
 * protocol-anomaly and security-threat tools into OUTDIR (created if
 * missing), and a MANIFEST.tsv listing them (for tests/corpus/compare_expert.mjs).
 * Classic pcap, microsecond timestamps, little-endian,
 * Ethernet.  Every file's first frame is at 2026-01-01T00:00:00Z
 * (1767225600 s) and frames are in time order.  The output is the same on
 * every run and with every compiler: each file reseeds its own PRNG, RSA
 * keys are derived from fixed labels and PKCS#1 v1.5 signatures are
 * deterministic.  Times below are seconds after that start; frame numbers
 * are 1-based, as tshark counts them.
 *
 * Local hosts have MACs that spell their address (10.0.0.20 is
 * 02:00:00:00:00:20, 192.168.1.10 is 02:00:00:00:01:10); every other
 * address is behind the router, 02:00:00:00:00:01 (02:00:00:00:01:01 in
 * ordinary.pcap), and has TTL 52.  Unless noted, TCP connections are
 * Linux-like (MSS 1460, SACK, timestamps, window scale 7) with a real
 * three-way handshake.
 *
 * The scenarios are in threat_network.c (scans, floods, ARP) and
 * threat_application.c (DNS, beacons, credentials, TLS, ports); this file
 * holds the baseline, the anomalies and the expert items, and main.
 *
 * ordinary.pcap (84 frames, 37 s): must yield no security finding.
 *   Client 192.168.1.10, gateway/resolver 192.168.1.1, web 93.184.216.34.
 *   1-2    ARP who-has 192.168.1.1 / is-at 02:00:00:00:01:01
 *   3-22   10 DNS A queries (query 3+2i, answer 4+2i, 15 ms later): www.example.com,
 *          mail.example.org, www.example.net, docs.example.com, api.example.org,
 *          static.example.net, news.example.com, cdn.example.org, shop.example.net
 *          -> NOERROR, one A 93.184.216.34, TTL 300; nonexistent.example.com (21)
 *          -> NXDOMAIN (22) with an SOA
 *   23-31  HTTP 50101->80 at 3 s: GET / (26), 200 OK (27), FIN close
 *   32-41  HTTP 50102->80 at 10 s: GET /news.html (35), 200 OK (36), the only
 *          retransmission (37, same 340 bytes, 300 ms later), FIN close
 *   42-48  HTTP 50103->80 at 12 s: GET /style.css (45), 200 OK (46), ACK, then
 *          RST/ACK from the client (48)
 *   49-64  TLS 1.2 50104->443 at 15 s: ClientHello (52; SNI www.example.com; suites
 *          c02b c02f c02c c030 cca9 cca8), one segment with ServerHello (0xc02f),
 *          Certificate, ServerKeyExchange, ServerHelloDone (53), CKE+CCS+Finished
 *          (54), CCS+Finished (55), application data 56-58, close_notify 60-61,
 *          FINs 62-64.  Certificate: RSA-2048, subject O=Example Services,
 *          CN=www.example.com, SAN www.example.com, issuer C=XX, O=Example Test,
 *          CN=Example Test CA, valid 2025-01-01..2030-01-01, sha256WithRSA.
 *   65-72  ICMP echo id 0x04d2 seq 1-4 (request odd frame, reply +15 ms), 56-byte
 *          payload, at 20, 21, 22, 23 s
 *   73-84  two idle preconnects to :80 (50105 at 34 s, 50106 at 36 s): handshake,
 *          FIN 1 s later.  SYNs to 93.184.216.34:80 are thus at 3, 10, 12, 34,
 *          36 s (offsets 0, 7, 9, 31, 33); only 3 connections carry HTTP.
 *
 *
 * anomalies.pcap (28 frames, 10.0.0.70 -> 10.0.0.71, ~0.1 s apart):
 *   1  SYN|FIN 40001->80           2  SYN|RST 40002->80
 *   3  no flags 40003->81          4  FIN|PSH|URG 40004->82
 *   5  SYN 40005->80 with IP TTL 0
 *   6-7  IPv4 fragments id 0x4242 of a UDP datagram 40006->33333 (24 bytes, no
 *      checksum): 6 holds bytes 0-15 (MF), 7 bytes 8-23; bytes 8-15 differ
 *      ("AAAAAAAA" vs "BBBBBBBB")
 *   8-14   TLS ClientHello (11) on an established connection 40010->80
 *   15-21  HTTP GET / (18) on an established connection 40011->443
 *   22-23  DNS query / response for www.example.com on UDP 40012<->5300
 *   24 TCP 40013->80 with data offset 3 (12 bytes)
 *   25 UDP 40014->33334 whose length field says 200 (20 bytes present)
 *   26 UDP 40015->33335 with a wrong IPv4 header checksum
 *   27 SYN 40016->80 with a wrong TCP checksum
 *   28 UDP 40017->33336 from source MAC 01:00:5e:00:00:01
 *
 * expert.pcap (52 frames): client 10.0.0.80, server 10.0.0.81, resolver 10.0.0.53.
 *   1-12   52001->80 keep-alive: GET /missing (4) -> 404 Not Found (5), GET /boom
 *          (7) -> 500 Internal Server Error (8), FIN close 10-12
 *   13-14  DNS nope.example (id 0x1001) -> NXDOMAIN (14)
 *   15-16  DNS fail.example (id 0x1002) -> SERVFAIL (16)
 *   17-19  DNS slow.example id 0x1003 sent at 3 s (17) and again at 4 s (18, same
 *          id and port), answered once (19)
 *   20-27  52002->443 at 6 s: ClientHello (23) -> fatal handshake_failure (24), FINs
 *   28-32  52003->7777 at 8 s: handshake, 18 bytes from the client (31), RST/ACK
 *          from the server (32)
 *   33-52  52004->80 at 10 s: GET /large.txt (36), 12000-byte body; the client's
 *          window shrinks (39), is zero at 42 (10.00445 s) and reopens in a
 *          window update at 43 (0.3 s later); rest of the body, FINs 50-52
 */
#include "threat_kit.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* 1. ordinary.pcap */
static int f_ordinary(void) {
    static const char *const names[10] = {
        "www.example.com",    "mail.example.org", "www.example.net", "docs.example.com", "api.example.org",
        "static.example.net", "news.example.com", "cdn.example.org", "shop.example.net", "nonexistent.example.com",
    };
    static const uint8_t A_WEB[1][4] = {{93, 184, 216, 34}};
    rng_seed(0x0001);
    const uint8_t rmac[6] = {0x02, 0, 0, 0, 0x01, 0x01};
    memcpy(ROUTER_MAC, rmac, 6);
    host cl = mkhost(192, 168, 1, 10), gw = mkhost(192, 168, 1, 1);
    host web = mkhost(93, 184, 216, 34);

    TRY(arp_frame(PG_ARP_REQUEST, MAC_BCAST, cl.mac, cl.mac, cl.ip, MAC_ZERO, gw.ip, 0));
    TRY(arp_frame(PG_ARP_REPLY, cl.mac, gw.mac, gw.mac, gw.ip, cl.mac, cl.ip, 400));

    for (unsigned i = 0; i < NELEM(names); i++) {
        uint64_t us = MSEC(100) + MSEC(200) * i;
        uint16_t sport = ephemeral_port(), id = (uint16_t)rng32();
        TRY(dns_query(&cl, &gw, sport, 53, us, id, names[i], PG_DNS_A));
        if (i == 9)
            TRY(dns_answer(&gw, &cl, 53, sport, us + 15000, id, names[i], PG_DNS_A, PG_DNS_NXDOMAIN, NULL, 0, 0,
                           "example.com"));
        else
            TRY(dns_answer(&gw, &cl, 53, sport, us + 15000, id, names[i], PG_DNS_A, 0, A_WEB, 1, 300, NULL));
    }

    static const char body1[] =
        "<!DOCTYPE html>\n<html><head><title>Example Domain</title></head>\n"
        "<body><h1>Example Domain</h1><p>This domain is for use in examples.</p></body></html>\n";
    static const char body2[] = "<!DOCTYPE html>\n<html><head><title>News</title></head>\n<body><h1>News</h1>\n"
                                "<p>Nothing happened today, which is good news for everyone involved.</p>\n"
                                "<p>Tomorrow is expected to be just as quiet.</p></body></html>\n";
    static const char body3[] = "body { font-family: sans-serif; margin: 2em; }\n";
    TRY(http_get(&cl, 50101, &web, 80, SEC(3), "/", "www.example.com", "", "200 OK", body1, HTTP_CLOSE));
    TRY(http_get(&cl, 50102, &web, 80, SEC(10), "/news.html", "www.example.com", "", "200 OK", body2, HTTP_RETX));
    TRY(http_get(&cl, 50103, &web, 80, SEC(12), "/style.css", "www.example.com", "", "200 OK", body3, HTTP_CLIENT_RST));

    pg_tcp_conv c;
    tls_flow f = www_flow();
    TRY(conv_init(&c, &cl, 50104, &web, 443));
    TRY(tls_connection(&c, SEC(15), 20000, &f));

    for (uint16_t s = 1; s <= 4; s++) TRY(ping(&cl, &web, 0x04d2, s, SEC(20) + SEC(s - 1), 15000, 56));

    /* Preconnects a browser opened and never used: handshake, idle, FIN. */
    for (unsigned i = 0; i < 2; i++) {
        uint64_t us = SEC(34) + SEC(2) * i;
        TRY(conv_init(&c, &cl, (uint16_t)(50105 + i), &web, 80));
        TRY(pg_tcp_handshake(&c, at(us), PG_MS(20)));
        TRY(tcp_close(&c, us + SEC(1), PG_CLIENT, 20000));
    }
    return PG_OK;
}

/* 17. anomalies.pcap */
static int f_anomalies(void) {
    rng_seed(0x0011);
    host a = mkhost(10, 0, 0, 70), b = mkhost(10, 0, 0, 71);
    uint8_t buf[512];
    pg_pkt p;
    uint64_t us = 0;

    /* Impossible flag combinations and a TTL of 0 */
    seg synfin = {40001, 80, rng32(), 0, PG_TH_SYN | PG_TH_FIN, 1024, 0};
    TRY(tcp_raw(&a, &b, &synfin, us));
    seg synrst = {40002, 80, rng32(), 0, PG_TH_SYN | PG_TH_RST, 1024, 0};
    TRY(tcp_raw(&a, &b, &synrst, us += MSEC(100)));
    seg null = {40003, 81, rng32(), 0, 0, 1024, 0};
    TRY(tcp_raw(&a, &b, &null, us += MSEC(100)));
    seg xmas = {40004, 82, rng32(), 0, PG_TH_FIN | PG_TH_PSH | PG_TH_URG, 1024, 0};
    TRY(tcp_raw(&a, &b, &xmas, us += MSEC(100)));
    uint8_t ttl = a.ttl;
    a.ttl = 0;
    seg syn0 = {40005, 80, rng32(), 0, PG_TH_SYN, 64240, 1460};
    TRY(tcp_raw(&a, &b, &syn0, us += MSEC(100)));
    a.ttl = ttl;

    /* Overlapping fragments of one UDP datagram (8-byte header + 16 bytes):
     * the first holds bytes 0-15, the second 8-23; bytes 8-15 differ. */
    us += MSEC(100);
    for (int i = 0; i < 2; i++) {
        pg_pkt_init(&p, buf, sizeof buf);
        pg_eth(&p, b.mac, a.mac, PG_ETH_IPV4);
        pg_ip4 ip = {.ttl = 64, .id = 0x4242, .proto = PG_IPPROTO_UDP, .mf = i == 0, .frag_off = (uint16_t)i};
        memcpy(ip.src, a.ip, 4);
        memcpy(ip.dst, b.ip, 4);
        pg_ipv4(&p, &ip);
        if (i == 0) {
            uint8_t udp[8] = {40006 >> 8, 40006 & 0xff, 33333 >> 8, 33333 & 0xff, 0, 24, 0, 0};
            pg_bytes(&p, udp, 8);
            pg_bytes(&p, "AAAAAAAA", 8);
        } else {
            pg_bytes(&p, "BBBBBBBBCCCCCCCC", 16);
        }
        TRY(put_frame(&p, us + (uint64_t)i * 200));
    }

    /* TLS on port 80, HTTP on port 443: a whole connection each */
    static char req[512];
    uint8_t crand[32];
    pg_tcp_conv c;
    tls_flow f = www_flow();
    pg_pkt_init(&p, buf, sizeof buf);
    rng_bytes(crand, 32);
    client_hello(&p, &f, crand);
    TRY(p.err);
    size_t chlen = p.len;
    static uint8_t ch[512];
    memcpy(ch, buf, chlen);
    size_t qlen = http_request(req, sizeof req, "/", "10.0.0.71", "");
    const struct {
        uint16_t cport, sport;
        const void *data;
        size_t len;
    } wrong[] = {{40010, 80, ch, chlen}, {40011, 443, req, qlen}};
    for (unsigned i = 0; i < 2; i++) {
        us += MSEC(100);
        TRY(conv_init(&c, &a, wrong[i].cport, &b, wrong[i].sport));
        TRY(pg_tcp_handshake(&c, at(us), PG_US(500)));
        TRY(pg_tcp_send(&c, at(us + 1000), PG_CLIENT, wrong[i].data, wrong[i].len, PG_TCP_PUSH));
        TRY(tcp_close(&c, us + 1500, PG_SERVER, 500)); /* the server gives up on it */
    }

    /* DNS on 5300 */
    static const uint8_t A_WEB[1][4] = {{93, 184, 216, 34}};
    us += MSEC(100);
    TRY(dns_query(&a, &b, 40012, 5300, us, 0x5300, "www.example.com", PG_DNS_A));
    TRY(dns_answer(&b, &a, 5300, 40012, us + 500, 0x5300, "www.example.com", PG_DNS_A, 0, A_WEB, 1, 300, NULL));

    /* TCP data offset 3 (12 bytes, less than the fixed header) */
    us += MSEC(100);
    ip_frame(&p, buf, sizeof buf, &a, &b);
    uint32_t seq = rng32(), ack = rng32();
    pg_tcp_hdr th = {.sport = 40013, .dport = 80, .seq = seq, .ack = ack, .flags = PG_TH_ACK, .win = 502};
    pg_tcp(&p, &th);
    TRY(p.err);
    p.buf[p.l4_off + 12] = 3u << 4;
    TRY(put_frame(&p, us));

    /* UDP length 200, 20 bytes present */
    us += MSEC(100);
    ip_frame(&p, buf, sizeof buf, &a, &b);
    pg_udp(&p, 40014, 33334);
    pg_bytes(&p, "length-check", 12);
    TRY(pg_finish(&p));
    p.buf[p.l4_off + 4] = 0;
    p.buf[p.l4_off + 5] = 200;
    TRY(pg_write_pkt(W, at(us), &p));

    /* Wrong IPv4 header checksum */
    us += MSEC(100);
    ip_frame(&p, buf, sizeof buf, &a, &b);
    pg_udp(&p, 40015, 33335);
    pg_bytes(&p, "ip-csum!", 8);
    TRY(pg_finish(&p));
    p.buf[p.l3_off + 10] ^= 0x5a;
    TRY(pg_write_pkt(W, at(us), &p));

    /* Wrong TCP checksum on a SYN */
    us += MSEC(100);
    ip_frame(&p, buf, sizeof buf, &a, &b);
    pg_tcp_hdr th2 = {.sport = 40016, .dport = 80, .seq = rng32(), .flags = PG_TH_SYN, .win = 64240};
    th2.opt.mss = 1460;
    pg_tcp(&p, &th2);
    TRY(pg_finish(&p));
    p.buf[p.l4_off + 16] ^= 0x01;
    p.buf[p.l4_off + 17] ^= 0x01;
    TRY(pg_write_pkt(W, at(us), &p));

    /* Group (multicast) source MAC */
    us += MSEC(100);
    const uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
    pg_pkt_init(&p, buf, sizeof buf);
    pg_eth(&p, b.mac, mcast, PG_ETH_IPV4);
    pg_ip4 ip = {.ttl = 64, .id = a.ip_id++, .df = true};
    memcpy(ip.src, a.ip, 4);
    memcpy(ip.dst, b.ip, 4);
    pg_ipv4(&p, &ip);
    pg_udp(&p, 40017, 33336);
    pg_bytes(&p, "group-src", 9);
    return put_frame(&p, us);
}

/* 18. expert.pcap */
static int f_expert(void) {
    static char req[512], resp[2048];
    rng_seed(0x0012);
    host cl = mkhost(10, 0, 0, 80), sv = mkhost(10, 0, 0, 81), rs = mkhost(10, 0, 0, 53);
    pg_tcp_conv c;
    uint64_t us = 0;

    /* 404 and 500 on one keep-alive connection */
    TRY(conv_init(&c, &cl, 52001, &sv, 80));
    TRY(pg_tcp_handshake(&c, at(us), PG_MS(2)));
    const struct {
        const char *path, *status, *body;
    } ex[] = {
        {"/missing", "404 Not Found", "<html><body><h1>Not Found</h1></body></html>\n"},
        {"/boom", "500 Internal Server Error", "<html><body><h1>Internal Server Error</h1></body></html>\n"},
    };
    us += 2100;
    for (unsigned i = 0; i < 2; i++) {
        size_t qlen = http_request(req, sizeof req, ex[i].path, "10.0.0.81", "");
        size_t rlen = http_response(resp, sizeof resp, ex[i].status, "text/html", ex[i].body);
        if (!qlen || !rlen) return PG_ENOSPC;
        TRY(pg_tcp_send(&c, at(us), PG_CLIENT, req, qlen, PG_TCP_PUSH));
        TRY(pg_tcp_send(&c, at(us + 2000), PG_SERVER, resp, rlen, PG_TCP_PUSH));
        TRY(pg_tcp_ack(&c, at(us + 2100), PG_CLIENT));
        us += MSEC(100);
    }
    TRY(tcp_close(&c, us, PG_CLIENT, 2000));

    /* DNS: NXDOMAIN, SERVFAIL, and a query resent with the same id */
    us = SEC(2);
    TRY(dns_query(&cl, &rs, 53001, 53, us, 0x1001, "nope.example", PG_DNS_A));
    TRY(dns_answer(&rs, &cl, 53, 53001, us + 3000, 0x1001, "nope.example", PG_DNS_A, PG_DNS_NXDOMAIN, NULL, 0, 0,
                   "example"));
    us += MSEC(500);
    TRY(dns_query(&cl, &rs, 53002, 53, us, 0x1002, "fail.example", PG_DNS_A));
    TRY(dns_answer(&rs, &cl, 53, 53002, us + 3000, 0x1002, "fail.example", PG_DNS_A, 2, NULL, 0, 0, NULL));
    us += MSEC(500);
    static const uint8_t A_SLOW[1][4] = {{192, 0, 2, 7}};
    TRY(dns_query(&cl, &rs, 53003, 53, us, 0x1003, "slow.example", PG_DNS_A));
    TRY(dns_query(&cl, &rs, 53003, 53, us + SEC(1), 0x1003, "slow.example", PG_DNS_A));
    TRY(dns_answer(&rs, &cl, 53, 53003, us + SEC(1) + 3000, 0x1003, "slow.example", PG_DNS_A, 0, A_SLOW, 1, 300, NULL));

    /* TLS refused with a fatal handshake_failure alert */
    tls_flow fail = {.version = TLS12,
                     .sni = "alert.example",
                     .suites = MODERN_SUITES,
                     .nsuites = NELEM(MODERN_SUITES),
                     .modern = true,
                     .suite = 0};
    TRY(conv_init(&c, &cl, 52002, &sv, 443));
    TRY(tls_connection(&c, SEC(6), 2000, &fail));

    /* Reset by the server after the client's first message */
    static const char hello[] = "HELLO client-7 v2\n";
    us = SEC(8);
    TRY(conv_init(&c, &cl, 52003, &sv, 7777));
    TRY(pg_tcp_handshake(&c, at(us), PG_MS(2)));
    TRY(send_str(&c, us + 2100, PG_CLIENT, hello));
    TRY(pg_tcp_rst(&c, at(us + 4100), PG_SERVER));

    /* A download that stalls: the client's window closes for 0.3 s */
    static char big[16384];
    static char body[12001];
    for (size_t i = 0; i < sizeof body - 1; i++) body[i] = (char)('a' + i % 26u);
    body[sizeof body - 1] = '\0';
    size_t qlen = http_request(req, sizeof req, "/large.txt", "10.0.0.81", "");
    size_t rlen = http_response(big, sizeof big, "200 OK", "text/plain", body);
    if (!qlen || !rlen) return PG_ENOSPC;
    us = SEC(10);
    TRY(conv_init(&c, &cl, 52004, &sv, 80));
    TRY(pg_tcp_handshake(&c, at(us), PG_MS(2)));
    us += 2100;
    TRY(pg_tcp_send(&c, at(us), PG_CLIENT, req, qlen, PG_TCP_PUSH));
    us += 2000;
    size_t mss = pg_tcp_seg_max(&c, PG_SERVER);
    TRY(pg_tcp_send(&c, at(us), PG_SERVER, big, mss, 0));
    TRY(pg_tcp_send(&c, at(us + 50), PG_SERVER, big + mss, mss, 0));
    TRY(pg_tcp_window(&c, at(us + 150), PG_CLIENT, 4096)); /* the reader falls behind */
    TRY(pg_tcp_send(&c, at(us + 200), PG_SERVER, big + 2 * mss, mss, 0));
    TRY(pg_tcp_send(&c, at(us + 250), PG_SERVER, big + 3 * mss, mss, 0));
    TRY(pg_tcp_window(&c, at(us + 350), PG_CLIENT, 0)); /* zero window */
    us += 300350;
    TRY(pg_tcp_window(&c, at(us), PG_CLIENT, 64128)); /* window update */
    us += 2000;
    TRY(send_data(&c, &us, PG_SERVER, big + 4 * mss, rlen - 4 * mss, 50));
    TRY(pg_tcp_ack(&c, at(us + 100), PG_CLIENT));
    return tcp_close(&c, us + MSEC(50), PG_CLIENT, 2000);
}

/* ================================================================== main */

static const struct {
    const char *name;
    int (*fn)(void);
} FILES[] = {
    {"ordinary.pcap", f_ordinary},
    {"scan_syn_vertical.pcap", f_scan_syn_vertical},
    {"scan_horizontal.pcap", f_scan_horizontal},
    {"scan_connect.pcap", f_scan_connect},
    {"scan_stealth.pcap", f_scan_stealth},
    {"rst_storm.pcap", f_rst_storm},
    {"syn_flood.pcap", f_syn_flood},
    {"icmp_flood.pcap", f_icmp_flood},
    {"icmp_large.pcap", f_icmp_large},
    {"arp_spoof.pcap", f_arp_spoof},
    {"arp_dup.pcap", f_arp_dup},
    {"dns_tunnel.pcap", f_dns_tunnel},
    {"dns_fastflux.pcap", f_dns_fastflux},
    {"beacon.pcap", f_beacon},
    {"cleartext_creds.pcap", f_cleartext_creds},
    {"weak_tls.pcap", f_weak_tls},
    {"bad_ports.pcap", f_bad_ports},
    {"anomalies.pcap", f_anomalies},
    {"expert.pcap", f_expert},
};

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: pa-threat-scenarios OUTDIR\n");
        return 2;
    }
    const char *dir = argv[1];
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "pa-threat-scenarios: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    if (keys_setup()) {
        fprintf(stderr, "pa-threat-scenarios: key or certificate generation failed\n");
        keys_free();
        return 1;
    }
    int status = 0;
    for (unsigned i = 0; i < NELEM(FILES); i++) {
        char path[4096];
        int n = snprintf(path, sizeof path, "%s/%s", dir, FILES[i].name);
        if (n < 0 || (size_t)n >= sizeof path) {
            fprintf(stderr, "pa-threat-scenarios: output path too long\n");
            status = 1;
            break;
        }
        memcpy(ROUTER_MAC, (const uint8_t[6]){0x02, 0, 0, 0, 0x00, 0x01}, 6);
        int rc = pg_open(&W, path, NULL); /* classic pcap, microseconds, Ethernet */
        if (!rc) {
            rc = FILES[i].fn();
            int crc = pg_close(W);
            rc = rc ? rc : crc;
        }
        if (rc) {
            fprintf(stderr, "pa-threat-scenarios: %s: %s\n", path, pg_strerror(rc));
            remove(path); /* no half-written capture */
            status = 1;
        }
    }
    /* a manifest, so that the corpus comparisons (compare_expert.mjs) read
     * the directory as a corpus */
    char mpath[4096];
    int mn = snprintf(mpath, sizeof mpath, "%s/MANIFEST.tsv", dir);
    FILE *mf = mn > 0 && (size_t)mn < sizeof mpath ? fopen(mpath, "w") : NULL;
    if (!mf) {
        fprintf(stderr, "pa-threat-scenarios: cannot write %s\n", mpath);
        status = 1;
    } else {
        fputs("path\n", mf);
        for (unsigned i = 0; i < NELEM(FILES); i++) fprintf(mf, "%s\n", FILES[i].name);
        if (fclose(mf) != 0) status = 1;
    }
    keys_free();
    return status;
}
