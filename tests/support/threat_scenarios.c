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
 * scan_syn_vertical.pcap (402 frames): 10.0.0.66:50000 -> 10.0.0.5 ports 1-200,
 *   SYN (window 1024, MSS only) every 1 ms from 0.  Closed ports answer RST/ACK
 *   (+150 us); 22 and 80 answer SYN/ACK and the scanner resets (RST, no ACK).
 *   SYN to port p: frame 2p-1 (p<=22), 2p (23..80), 2p+1 (p>80).
 *   Port 22: SYN 43, SYN/ACK 44, RST 45.  Port 80: SYN 160, SYN/ACK 161, RST 162.
 *   200 SYNs, 198 RST/ACKs, 2 SYN/ACKs, 2 RSTs.
 *
 * scan_horizontal.pcap (105 frames): 10.0.0.66:50000 -> 10.0.1.k:445, k = 1..100,
 *   SYN every 2 ms from 0.  10.0.1.1-5 answer RST/ACK (SYN 2k-1, RST 2k, frames
 *   1-10); 10.0.1.6-100 never answer (SYN in frame k+5, frames 11-105).
 *
 * scan_connect.pcap (204 frames): 10.0.0.77 -> 10.0.0.5 ports 20-119 (100
 *   ports), 1 ms apart, source port 41000 + 2*(port-20).  Closed: SYN, RST/ACK.
 *   Open 22 (frames 5-8) and 80 (123-126): SYN, SYN/ACK, ACK, RST/ACK from the
 *   scanner, no data.  SYN to p: 2p-39 (p<=22), 2p-37 (23..80), 2p-35 (p>80).
 *
 * scan_stealth.pcap (298 frames): 10.0.0.88:50000 -> 10.0.0.5, 1 ms apart, no
 *   options, window 1024: NULL to 1-50, FIN to 51-100, FIN|PSH|URG to 101-150.
 *   Closed ports answer RST/ACK (ack = seq, +1 for FIN); 22 (frame 43) and 80
 *   (frame 158) get no answer.  Probe to p: 2p-1 (p<=22), 2p-2 (23..80),
 *   2p-3 (p>80).  150 probes, 148 RST/ACKs.
 *
 * rst_storm.pcap (300 frames): 10.0.0.9:80 sends RST/ACK i (frame i+1, i = 0..299,
 *   every 5 ms) to 172.16.(i/250).(i%250+1), port 30000+i; no SYN anywhere.
 *
 * syn_flood.pcap (2527 frames): 1-27: three complete HTTP connections from
 *   192.0.2.10 (ports 50001-50003) to 10.0.0.80:80 at 0, 1, 2 s (GET /, 200 OK).
 *   From 5 s: 2000 SYNs (window 512, no options) 1 ms apart to 10.0.0.80:80
 *   from 198.51.100.x (even k) / 203.0.113.x (odd k), 500 distinct addresses,
 *   2000 distinct source ports; SYN/ACK (+100 us) to the first 500 only and no
 *   final ACK ever.  SYN k at frame 28+2k (k<500) or 528+k; last at 6.999 s.
 *
 * icmp_flood.pcap (1100 frames): 10.0.0.99 -> 10.0.0.5 echo id 0x0f0f seq 1-1000,
 *   1 ms apart, 56-byte payload; replies (+80 us) to seq 1-100 only.  Request
 *   seq s: frame 2s-1 (s<=100) or s+100.
 *
 * icmp_large.pcap (10 frames): 10.0.0.98 -> 10.0.0.5 echo id 0x0abc seq 1-5,
 *   1472-byte payload (1514-byte frames), 1 s apart; request 2s-1, reply 2s.
 *
 * arp_spoof.pcap (21 frames): 1 who-has 10.0.0.1 from 10.0.0.20
 *   (02:00:00:00:00:20), 2 reply 10.0.0.1 is-at 02:00:00:00:00:01; 3-6 ping
 *   10.0.0.20 -> 10.0.0.1 at 1 and 2 s; 7-16 gratuitous replies (sender = target
 *   = 10.0.0.1, 02:00:00:00:00:66, to broadcast) at 10..19 s; 17-21 replies to
 *   02:00:00:00:00:20 / 10.0.0.20: "10.0.0.1 is-at 02:00:00:00:00:66" at 20..24 s.
 *
 * arp_dup.pcap (21 frames, 100 ms apart): Wireshark's duplicate IP address
 *   rules, one per frame.  MACs A 02:00:00:00:0a:0a, B ...0b:0b, C ...0c:0c;
 *   addresses X 10.1.0.1, Y 10.1.0.2, Z 10.1.0.3, W 10.1.0.4.  Table: the first
 *   MAC each address is claimed with; "warns" = Duplicate IP address configured.
 *    1 request A/X for Y (X=A; a request's target is not a claim)
 *    2 reply B/Y to A/X (Y=B; X seen again with A)
 *    3 request C/X: warns X      4 the same again: warns X (the entry stays A)
 *    5 request A/X (refresh)     6 reply C/W to B/Y (W=C)
 *    7 reply A/Z to C/Y: Z=A, the target Y with C warns Y
 *    8 gratuitous reply C/X to C/X: warns X once (not again for the target)
 *    9 gratuitous reply C/X to broadcast/X: warns X
 *   10 request from multicast MAC 01:00:5e:00:00:01 for X: not a claim
 *   11 request from MAC 00:00:00:00:00:00 for X: not a claim
 *   12 probe C/0.0.0.0 for X: not a claim
 *   13 request C/X, hardware type 6 (IEEE 802): warns X
 *   14 request C/X, hardware type 7: not Ethernet, not checked
 *   15 reply C/Y to C/Z: warns Y and Z (two in one frame)
 *   16 reply B/Y to 00:..:00/X: refresh Y; a zero target MAC is not a claim
 *   17 request C/X in VLAN 5: warns X
 *   18 opcode 3 (reverse request) C/X: not checked
 *   19 reply B/Y to C/0.0.0.0: refresh Y only
 *   20 request A/X (refresh)     21 reply C/W to A/X (both as in the table)
 *   tshark -z expert: 9 warnings, "(10.1.0.1)" 6, "(10.1.0.2)" 2, "(10.1.0.3)" 1.
 *
 * dns_tunnel.pcap (440 frames): 10.0.0.20 -> 10.0.0.53:53, query i (i = 0..219)
 *   at 0.1*i s in frame 2i+1, answer (+20 ms, NOERROR, AA, TTL 0) in 2i+2; each
 *   from its own source port.  Names <50 chars of [a-z2-7]>.t.tunnel-test.example
 *   (72 chars), all distinct.  Frames 1-400: 200 TXT queries, each answered by
 *   one TXT string of 120 base64 characters.  Frames 401-440: 20 NULL (type 10)
 *   queries, each answered by a NULL record of 100 random bytes.
 *
 * dns_fastflux.pcap (60 frames): 10.0.0.20 -> 10.0.0.53, 30 A queries for
 *   flux.fastflux-test.example every 10 s (frame 2k+1); each answer (2k+2, 30 ms
 *   later) is NOERROR with 3 A records, TTL 5; 90 distinct addresses overall,
 *   each in a different /16.
 *
 * beacon.pcap (240 frames, 1140 s): 20 connections 10.0.0.30 -> 203.0.113.50:8443
 *   at 60*k s + jitter (k = 0..19; jitter in [-0.3, +0.3] s, 0 for k = 0), each 8
 *   frames: handshake (40 ms RTT), 120 bytes out, 60 bytes back, FIN both ways.
 *   SYNs in frames 1, 25, 49, 57, 65, 73, 97, 105, 113, 121, 129, 153, 161, 169,
 *   177, 185, 193, 217, 225, 233.  Noise: 5 TLS 1.2 connections (16 frames, as
 *   in ordinary.pcap) to 93.184.216.34:443 at 23.4, 97.1, 311.8, 642.5, 1003.9 s
 *   (SYNs 9, 33, 81, 137, 201).  Source ports 51200.. in connection order.
 *
 * cleartext_creds.pcap (95 frames): client 10.0.0.40, server 10.0.0.41; one
 *   command per segment, CRLF; credentials are in these frames:
 *   1-14   FTP 45001->21: 220 ready (4), USER alice (5), 331 (6), PASS s3cret-ftp (7),
 *          230 Logged in (8), QUIT, 221
 *   15-23  HTTP 45002->80 at 5 s: GET /private/ with Authorization: Basic
 *          Ym9iOmh1bnRlcjI= (bob:hunter2) (18), 200 OK (19)
 *   24-37  POP3 45003->110 at 10 s: USER carol (28), PASS pop-secret (30), +OK (31)
 *   38-49  IMAP 45004->143 at 15 s: a1 LOGIN dave imap-secret (42), a1 OK (43)
 *   50-63  SMTP 45005->587 at 20 s: AUTH PLAIN AGVyaW4Ac210cC1zZWNyZXQ=
 *          (\0erin\0smtp-secret) (56), 235 (57)
 *   64-81  SMTP 45006->25 at 25 s: AUTH LOGIN (70), 334 VXNlcm5hbWU6 (71), ZnJhbms=
 *          (frank) (72), 334 UGFzc3dvcmQ6 (73), bG9naW4tc2VjcmV0 (login-secret)
 *          (74), 235 (75)
 *   82-95  Telnet 45007->23 at 30 s: "login: " (85), "gina\r\n" (86), "Password: "
 *          (87), "telnet-secret\r\n" (88), banner and prompt (89), exit, logout
 *
 * weak_tls.pcap (38 frames): client 10.0.0.50, server 10.0.0.51.
 *   1-15   50001->443: TLS 1.0 (record and hello 0x0301), ClientHello (4; SNI
 *          legacy.example; suites 0005 0004 002f 0035 000a; no session id),
 *          ServerHello TLS_RSA_WITH_RC4_128_SHA + Certificate + ServerHelloDone (5),
 *          CKE+CCS+Finished (6), CCS+Finished (7), application data 8-9,
 *          close_notify 11-12, FINs 13-15.  Certificate self-signed (subject =
 *          issuer = O=Example Services, CN=other.example; SAN other.example),
 *          valid 2015-01-01..2016-01-01.
 *   16-30  50002->8443 at 5 s: TLS 1.2 ClientHello (19; SNI 3des.example; suites
 *          c02f c030 009c 009d 002f 0035 000a), ServerHello
 *          TLS_RSA_WITH_3DES_EDE_CBC_SHA + Certificate + ServerHelloDone (20),
 *          as above otherwise.  Certificate CN/SAN 3des.example issued by
 *          Example Test CA, valid 2025-01-01..2030-01-01.
 *   31-38  50003->443 at 10 s: TLS 1.2 ClientHello (34; SNI strict.example; the
 *          ordinary suites) answered by a fatal handshake_failure alert (35: level
 *          2, description 40), then FINs.
 *   All certificates are RSA-2048 with sha256WithRSAEncryption.
 *
 * bad_ports.pcap (59 frames): 10.0.0.60 -> 10.0.0.61, one connection every 2 s
 *   (client ports 46001..46006), each 9 frames: handshake, a few bytes each way,
 *   FIN both ways: telnet 23 (1-9, IAC options), rlogin 513 (10-18, NUL both
 *   ways), VNC 5900 (19-27, RFB 003.008), IRC 6667 (28-36, NICK guest), 4444
 *   (37-45, 8 binary bytes / "OK"), 31337 (46-54, "hello").  55: TFTP read request
 *   46100->69 for pxelinux.cfg (octet), 56: DATA block 1 from port 51515, 57: ACK.
 *   58: SNMP v2c GetRequest (community "public") 46200->161; 59: an SNMPv3
 *   message header 46201->161 (no community string).
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
#include "pktgen.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TRY(expr)                                                                                                      \
    do {                                                                                                               \
        int rc_ = (expr);                                                                                              \
        if (rc_) return rc_;                                                                                           \
    } while (0)

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Times are microseconds after T0 (2026-01-01T00:00:00Z). */
#define SEC(x) ((uint64_t)(x)*1000000u)
#define MSEC(x) ((uint64_t)(x)*1000u)

static pg_writer *W; /* the file being written */
static const pg_ts T0 = {1767225600u, 0};

static pg_ts at(uint64_t us) { return pg_ts_add(T0, PG_US(us)); }

/* ------------------------------------------------------------------- PRNG */

/* xorshift64*: every file reseeds it, so files do not depend on each other. */
static uint64_t rng_state;

static void rng_seed(uint64_t s) { rng_state = s ? s : 0x9e3779b97f4a7c15ull; }

static uint32_t rng32(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static uint32_t rng_below(uint32_t n) { return rng32() % n; }

static void rng_bytes(uint8_t *b, size_t n) {
    for (size_t i = 0; i < n; i++) b[i] = (uint8_t)rng32();
}

/* Random text from an alphabet. */
static void rng_text(char *out, size_t n, const char *alphabet) {
    size_t k = strlen(alphabet);
    for (size_t i = 0; i < n; i++) out[i] = alphabet[rng_below((uint32_t)k)];
    out[n] = '\0';
}

static uint16_t ephemeral_port(void) { return (uint16_t)(32768u + rng_below(28000u)); /* Linux's default range */ }

/* ------------------------------------------------------------------ hosts */

typedef struct host {
    uint8_t ip[4];
    uint8_t mac[6]; /* as seen on the capture link: the router's for remote hosts */
    uint8_t ttl;    /* as seen at the capture point */
    uint16_t ip_id; /* next IPv4 id of raw frames */
} host;

static const uint8_t MAC_BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t MAC_ZERO[6] = {0};
static uint8_t ROUTER_MAC[6] = {0x02, 0, 0, 0, 0x00, 0x01};

static uint8_t bcd(unsigned v) { return (uint8_t)((v / 10u) << 4 | v % 10u); }

/* Local hosts get MACs that spell their address (10.0.0.20 is
 * 02:00:00:00:00:20, 192.168.1.10 is 02:00:00:00:01:10) so a reader of a
 * capture can tell them apart; everyone else sits behind the router. */
static host mkhost(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
    host h = {.ip = {a, b, c, d}, .ttl = 64};
    h.ip_id = (uint16_t)(0x1000u + 97u * d + 13u * c);
    if (a == 10 && b == 0 && c == 0 && d < 100) {
        const uint8_t m[6] = {0x02, 0, 0, 0, 0x00, bcd(d)};
        memcpy(h.mac, m, 6);
    } else if (a == 192 && b == 168 && c == 1 && d < 100) {
        const uint8_t m[6] = {0x02, 0, 0, 0, 0x01, bcd(d)};
        memcpy(h.mac, m, 6);
    } else {
        memcpy(h.mac, ROUTER_MAC, 6);
        h.ttl = 52;
    }
    return h;
}

/* ------------------------------------------------------------- raw frames */

static void ip_frame(pg_pkt *p, uint8_t *buf, size_t cap, host *src, const host *dst) {
    pg_pkt_init(p, buf, cap);
    pg_eth(p, dst->mac, src->mac, PG_ETH_IPV4);
    pg_ip4 ip = {.ttl = src->ttl, .id = src->ip_id++, .df = true};
    memcpy(ip.src, src->ip, 4);
    memcpy(ip.dst, dst->ip, 4);
    pg_ipv4(p, &ip);
}

static int put_frame(pg_pkt *p, uint64_t us) {
    TRY(pg_finish(p));
    return pg_write_pkt(W, at(us), p);
}

static int arp_frame(uint16_t op, const uint8_t edst[6], const uint8_t esrc[6], const uint8_t sha[6],
                     const uint8_t spa[4], const uint8_t tha[6], const uint8_t tpa[4], uint64_t us) {
    uint8_t buf[64];
    pg_pkt p;
    pg_pkt_init(&p, buf, sizeof buf);
    pg_eth(&p, edst, esrc, PG_ETH_ARP);
    pg_arp(&p, op, sha, spa, tha, tpa);
    TRY(pg_finish(&p));
    TRY(pg_pad_to(&p, 60)); /* ARP is shorter than the Ethernet minimum */
    return pg_write_pkt(W, at(us), &p);
}

/* Linux ping's payload: the send time (64-bit timeval) then bytes 0x10, 0x11... */
static int echo_frame(host *src, const host *dst, bool reply, uint16_t id, uint16_t seq, uint64_t sent_us, size_t plen,
                      uint64_t us) {
    static uint8_t buf[1600];
    pg_pkt p;
    pg_ts s = at(sent_us);
    uint64_t usec = s.nsec / 1000u;
    ip_frame(&p, buf, sizeof buf, src, dst);
    pg_icmp_echo(&p, reply, id, seq);
    for (unsigned i = 0; i < 8; i++) pg_u8(&p, (uint8_t)(s.sec >> (8u * i)));
    for (unsigned i = 0; i < 8; i++) pg_u8(&p, (uint8_t)(usec >> (8u * i)));
    for (size_t i = 16; i < plen; i++) pg_u8(&p, (uint8_t)i);
    return put_frame(&p, us);
}

static int ping(host *a, host *b, uint16_t id, uint16_t seq, uint64_t us, uint64_t rtt_us, size_t plen) {
    TRY(echo_frame(a, b, false, id, seq, us, plen, us));
    return echo_frame(b, a, true, id, seq, us, plen, us + rtt_us);
}

typedef struct seg {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t win;
    uint16_t mss; /* 0: no options */
} seg;

/* One TCP segment without payload, written exactly as given. */
static int tcp_raw(host *src, const host *dst, const seg *s, uint64_t us) {
    uint8_t buf[128];
    pg_pkt p;
    ip_frame(&p, buf, sizeof buf, src, dst);
    pg_tcp_hdr th = {
        .sport = s->sport, .dport = s->dport, .seq = s->seq, .ack = s->ack, .flags = s->flags, .win = s->win};
    th.opt.mss = s->mss;
    pg_tcp(&p, &th);
    return put_frame(&p, us);
}

/* ------------------------------------------------------- TCP conversations */

/* Linux-like endpoints: MSS 1460, SACK, timestamps, window scale 7. */
static pg_tcp_peer mkpeer(const host *h, uint16_t port, bool server) {
    pg_tcp_peer p;
    memset(&p, 0, sizeof p);
    memcpy(p.mac, h->mac, 6);
    memcpy(p.ip, h->ip, 4);
    p.port = port;
    p.isn = rng32();
    p.win = server ? 65160u : 64240u;
    p.mss = 1460;
    p.wscale_on = true;
    p.wscale = 7;
    p.sack_perm = true;
    p.ts_on = true;
    p.ts_base = rng32();
    p.ttl = h->ttl;
    p.ip_id = (uint16_t)rng32();
    return p;
}

static int conv_init(pg_tcp_conv *c, const host *cl, uint16_t cport, const host *sv, uint16_t sport) {
    pg_tcp_peer a = mkpeer(cl, cport, false), b = mkpeer(sv, sport, true);
    return pg_tcp_init(c, W, 4, &a, &b);
}

/* A closed port: SYN, then RST/ACK with sequence number 0, as Linux answers. */
static int conv_refused(const host *cl, uint16_t cport, const host *sv, uint16_t sport, uint64_t us, uint64_t rtt_us) {
    pg_tcp_conv c;
    TRY(conv_init(&c, cl, cport, sv, sport));
    c.side[PG_SERVER].snd_nxt = 0;
    c.side[PG_SERVER].cfg.ip_id = 0;
    TRY(pg_tcp_syn(&c, at(us)));
    return pg_tcp_rst(&c, at(us + rtt_us), PG_SERVER);
}

static int send_str(pg_tcp_conv *c, uint64_t us, int from, const char *s) {
    return pg_tcp_send(c, at(us), from, s, strlen(s), PG_TCP_PUSH);
}

/* len bytes as MSS-sized segments gap_us apart, PSH on the last; *us ends
 * at the time of the last segment. */
static int send_data(pg_tcp_conv *c, uint64_t *us, int from, const void *data, size_t len, uint64_t gap_us) {
    const uint8_t *d = data;
    size_t mss = pg_tcp_seg_max(c, from);
    while (len) {
        size_t n = len < mss ? len : mss;
        TRY(pg_tcp_send(c, at(*us), from, d, n, n == len ? PG_TCP_PUSH : 0));
        d += n;
        len -= n;
        if (len) *us += gap_us;
    }
    return PG_OK;
}

/* FIN from "first", FIN/ACK back one RTT later, last ACK. */
static int tcp_close(pg_tcp_conv *c, uint64_t us, int first, uint64_t rtt_us) {
    TRY(pg_tcp_fin(c, at(us), first));
    TRY(pg_tcp_fin(c, at(us + rtt_us), !first));
    return pg_tcp_ack(c, at(us + rtt_us + 50), first);
}

/* ------------------------------------------------------------------- HTTP */

static size_t http_response(char *out, size_t cap, const char *status, const char *ctype, const char *body) {
    size_t blen = strlen(body);
    int n = snprintf(out, cap,
                     "HTTP/1.1 %s\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\n"
                     "Server: example-httpd/2.4\r\nContent-Type: %s\r\n"
                     "Content-Length: %zu\r\n\r\n",
                     status, ctype, blen);
    if (n < 0 || (size_t)n + blen >= cap) return 0;
    memcpy(out + n, body, blen + 1);
    return (size_t)n + blen;
}

static size_t http_request(char *out, size_t cap, const char *path, const char *hosthdr, const char *extra) {
    int n = snprintf(out, cap,
                     "GET %s HTTP/1.1\r\nHost: %s\r\n"
                     "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 "
                     "Firefox/128.0\r\nAccept: */*\r\n%sConnection: keep-alive\r\n\r\n",
                     path, hosthdr, extra);
    return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

enum { HTTP_CLOSE, HTTP_RETX, HTTP_CLIENT_RST };

/* One GET on its own connection (20 ms RTT): handshake, request, response,
 * ACK; then FIN both ways, or a client RST (mode HTTP_CLIENT_RST).  In
 * HTTP_RETX the response is not acknowledged and is resent after 300 ms. */
static int http_get(const host *cl, uint16_t cport, const host *sv, uint16_t sport, uint64_t us, const char *path,
                    const char *hosthdr, const char *extra, const char *status, const char *body, int mode) {
    static char req[1024], resp[4096];
    size_t qlen = http_request(req, sizeof req, path, hosthdr, extra);
    size_t plen = strlen(path);
    bool css = plen > 4 && strcmp(path + plen - 4, ".css") == 0;
    size_t rlen = http_response(resp, sizeof resp, status, css ? "text/css" : "text/html", body);
    if (!qlen || !rlen) return PG_ENOSPC;
    pg_tcp_conv c;
    TRY(conv_init(&c, cl, cport, sv, sport));
    TRY(pg_tcp_handshake(&c, at(us), PG_MS(20)));
    us += 20100;
    TRY(pg_tcp_send(&c, at(us), PG_CLIENT, req, qlen, PG_TCP_PUSH));
    us += 20000;
    if (mode == HTTP_RETX) {
        uint32_t seq = pg_tcp_next_seq(&c, PG_SERVER);
        TRY(pg_tcp_send(&c, at(us), PG_SERVER, resp, rlen, PG_TCP_PUSH | PG_TCP_LOST));
        us += 300000;
        TRY(pg_tcp_retransmit(&c, at(us), PG_SERVER, seq, resp, rlen));
    } else {
        TRY(pg_tcp_send(&c, at(us), PG_SERVER, resp, rlen, PG_TCP_PUSH));
    }
    TRY(pg_tcp_ack(&c, at(us + 100), PG_CLIENT));
    us += 200000;
    if (mode == HTTP_CLIENT_RST) return pg_tcp_rst(&c, at(us), PG_CLIENT);
    return tcp_close(&c, us, PG_CLIENT, 20000);
}

/* -------------------------------------------------------------------- DNS */

static int dns_query(host *cl, host *sv, uint16_t sport, uint16_t dport, uint64_t us, uint16_t id, const char *name,
                     uint16_t qtype) {
    uint8_t buf[512];
    pg_pkt p;
    ip_frame(&p, buf, sizeof buf, cl, sv);
    pg_udp(&p, sport, dport);
    pg_dns_query(&p, id, name, qtype);
    return put_frame(&p, us);
}

/* The zone's SOA in the authority section, as negative answers carry it. */
static void dns_soa(pg_dns *d, const char *zone) {
    char mname[128], rname[128];
    snprintf(mname, sizeof mname, "ns1.%s", zone);
    snprintf(rname, sizeof rname, "hostmaster.%s", zone);
    pg_dns_rr_begin(d, PG_DNS_NS_SEC, zone, PG_DNS_SOA, 300);
    pg_dns_name(d, mname);
    pg_dns_name(d, rname);
    pg_be32(d->p, 2026010101u); /* serial */
    pg_be32(d->p, 7200);        /* refresh */
    pg_be32(d->p, 3600);        /* retry */
    pg_be32(d->p, 1209600);     /* expire */
    pg_be32(d->p, 300);         /* negative-caching TTL */
    pg_dns_rr_end(d);
}

/* A response: rcode, naddr A records (TTL ttl) and, if soa_zone, an SOA. */
static int dns_answer(host *sv, host *cl, uint16_t sport, uint16_t dport, uint64_t us, uint16_t id, const char *name,
                      uint16_t qtype, unsigned rcode, const uint8_t (*addr)[4], unsigned naddr, uint32_t ttl,
                      const char *soa_zone) {
    uint8_t buf[512];
    pg_pkt p;
    pg_dns d;
    ip_frame(&p, buf, sizeof buf, sv, cl);
    pg_udp(&p, sport, dport);
    pg_dns_begin(&d, &p, id, (uint16_t)(PG_DNS_QR | PG_DNS_RD | PG_DNS_RA | rcode));
    pg_dns_question(&d, name, qtype);
    for (unsigned i = 0; i < naddr; i++) pg_dns_rr(&d, PG_DNS_AN, name, PG_DNS_A, ttl, addr[i], 4);
    if (soa_zone) dns_soa(&d, soa_zone);
    TRY(pg_dns_end(&d));
    return put_frame(&p, us);
}

/* ------------------------------------------------------------ key material */

/* Keys and certificates are derived from fixed labels, and RSA PKCS#1 v1.5
 * signatures are deterministic, so every run writes the same bytes. */

static int sha256(const void *data, size_t len, uint8_t out[32]) {
    unsigned int n = 0;
    return EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) == 1 && n == 32 ? 0 : -1;
}

/* SHA-256(label || 32-bit counter) blocks, concatenated. */
static int label_stream(const char *label, uint8_t *out, size_t len) {
    uint8_t in[96], h[32];
    size_t l = strlen(label);
    if (l + 4 > sizeof in) return -1;
    memcpy(in, label, l);
    for (uint32_t ctr = 0; len; ctr++) {
        for (unsigned i = 0; i < 4; i++) in[l + i] = (uint8_t)(ctr >> (24u - 8u * i));
        if (sha256(in, l + 4, h)) return -1;
        size_t n = len < 32 ? len : 32;
        memcpy(out, h, n);
        out += n;
        len -= n;
    }
    return 0;
}

/* The first prime >= a label-derived odd number with its top two bits set
 * (so p*q has exactly 2*bits bits) and p-1 coprime to e. */
static BIGNUM *label_prime(const char *label, size_t bits, const BIGNUM *e, BN_CTX *bc) {
    uint8_t raw[128];
    size_t nb = bits / 8u;
    if (nb > sizeof raw || label_stream(label, raw, nb)) return NULL;
    raw[0] |= 0xc0;
    raw[nb - 1] |= 1;
    BIGNUM *p = BN_bin2bn(raw, (int)nb, NULL), *pm1 = BN_new(), *g = BN_new();
    bool ok = false;
    for (unsigned tries = 0; p && pm1 && g && tries < 100000; tries++) {
        int r = BN_check_prime(p, bc, NULL);
        if (r < 0) break;
        if (r == 1 && BN_sub(pm1, p, BN_value_one()) && BN_gcd(g, pm1, e, bc) && BN_is_one(g)) {
            ok = true;
            break;
        }
        if (!BN_add_word(p, 2)) break;
    }
    BN_free(pm1);
    BN_free(g);
    if (!ok) {
        BN_free(p);
        return NULL;
    }
    return p;
}

/* RSA-2048 key from a label. */
static EVP_PKEY *rsa_from_label(const char *label) {
    char lp[64], lq[64];
    snprintf(lp, sizeof lp, "%s/p", label);
    snprintf(lq, sizeof lq, "%s/q", label);
    EVP_PKEY *key = NULL;
    BN_CTX *bc = BN_CTX_new();
    BIGNUM *e = BN_new(), *n = BN_new(), *d = BN_new(), *pm1 = BN_new(), *qm1 = BN_new(), *phi = BN_new(),
           *dp = BN_new(), *dq = BN_new(), *qinv = BN_new();
    BIGNUM *p = NULL, *q = NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    bool ok = bc && e && n && d && pm1 && qm1 && phi && dp && dq && qinv && bld && pc && BN_set_word(e, 65537);
    ok = ok && (p = label_prime(lp, 1024, e, bc)) != NULL && (q = label_prime(lq, 1024, e, bc)) != NULL &&
         BN_cmp(p, q) != 0;
    ok = ok && BN_mul(n, p, q, bc) && BN_sub(pm1, p, BN_value_one()) && BN_sub(qm1, q, BN_value_one()) &&
         BN_mul(phi, pm1, qm1, bc) && BN_mod_inverse(d, e, phi, bc) && BN_mod(dp, d, pm1, bc) &&
         BN_mod(dq, d, qm1, bc) && BN_mod_inverse(qinv, q, p, bc);
    ok = ok && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
         OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) &&
         OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d) &&
         OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, p) &&
         OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, q) &&
         OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, dp) &&
         OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, dq) &&
         OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qinv) &&
         (params = OSSL_PARAM_BLD_to_param(bld)) != NULL && EVP_PKEY_fromdata_init(pc) == 1 &&
         EVP_PKEY_fromdata(pc, &key, EVP_PKEY_KEYPAIR, params) == 1;
    if (!ok) {
        EVP_PKEY_free(key);
        key = NULL;
    }
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(pc);
    BN_free(e);
    BN_free(n);
    BN_clear_free(d);
    BN_clear_free(p);
    BN_clear_free(q);
    BN_clear_free(pm1);
    BN_clear_free(qm1);
    BN_clear_free(phi);
    BN_clear_free(dp);
    BN_clear_free(dq);
    BN_clear_free(qinv);
    BN_CTX_free(bc);
    return key;
}

typedef struct cert {
    uint8_t der[2048];
    size_t len;
} cert;

static EVP_PKEY *CA_KEY, *SRV_KEY;
static cert CERT_WWW, CERT_OTHER, CERT_3DES;

static int name_add(X509_NAME *n, const char *field, const char *value) {
    return X509_NAME_add_entry_by_txt(n, field, MBSTRING_ASC, (const unsigned char *)value, -1, -1, 0) ? 0 : -1;
}

static int ext_add(X509 *x, X509V3_CTX *ctx, int nid, const char *value) {
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
    int ok = ext && X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    return ok ? 0 : -1;
}

/* A server certificate for cn (also its only SAN).  Issued by "Example Test
 * CA" with CA_KEY, or self-signed with SRV_KEY when self_signed. */
static int make_cert(cert *out, const char *cn, bool self_signed, const char *not_before, const char *not_after,
                     long serial) {
    char san[128];
    snprintf(san, sizeof san, "DNS:%s", cn);
    int rc = -1;
    X509 *x = X509_new(), *back = NULL;
    X509_NAME *subj = X509_NAME_new(), *iss = X509_NAME_new();
    EVP_PKEY *signer = self_signed ? SRV_KEY : CA_KEY;
    X509V3_CTX ctx;
    if (!x || !subj || !iss || !X509_set_version(x, X509_VERSION_3) ||
        !ASN1_INTEGER_set(X509_get_serialNumber(x), serial) ||
        !ASN1_TIME_set_string_X509(X509_getm_notBefore(x), not_before) ||
        !ASN1_TIME_set_string_X509(X509_getm_notAfter(x), not_after) || name_add(subj, "O", "Example Services") ||
        name_add(subj, "CN", cn))
        goto out;
    if (self_signed
            ? name_add(iss, "O", "Example Services") || name_add(iss, "CN", cn)
            : name_add(iss, "C", "XX") || name_add(iss, "O", "Example Test") || name_add(iss, "CN", "Example Test CA"))
        goto out;
    if (!X509_set_subject_name(x, subj) || !X509_set_issuer_name(x, iss) || !X509_set_pubkey(x, SRV_KEY)) goto out;
    X509V3_set_ctx(&ctx, NULL, x, NULL, NULL, 0);
    if (ext_add(x, &ctx, NID_basic_constraints, "critical,CA:FALSE") ||
        ext_add(x, &ctx, NID_key_usage, "critical,digitalSignature,keyEncipherment") ||
        ext_add(x, &ctx, NID_ext_key_usage, "serverAuth") || ext_add(x, &ctx, NID_subject_key_identifier, "hash") ||
        ext_add(x, &ctx, NID_subject_alt_name, san))
        goto out;
    if (!X509_sign(x, signer, EVP_sha256())) goto out;
    int len = i2d_X509(x, NULL);
    if (len <= 0 || (size_t)len > sizeof out->der) goto out;
    unsigned char *w = out->der;
    i2d_X509(x, &w);
    out->len = (size_t)len;
    const unsigned char *r = out->der;
    back = d2i_X509(NULL, &r, len);
    if (!back || X509_verify(back, signer) != 1) goto out;
    rc = 0;
out:
    X509_NAME_free(subj);
    X509_NAME_free(iss);
    X509_free(x);
    X509_free(back);
    return rc;
}

static int keys_setup(void) {
    CA_KEY = rsa_from_label("threat-scenarios Example Test CA");
    SRV_KEY = rsa_from_label("threat-scenarios server");
    if (!CA_KEY || !SRV_KEY ||
        make_cert(&CERT_WWW, "www.example.com", false, "20250101000000Z", "20300101000000Z", 0x5a01) ||
        make_cert(&CERT_OTHER, "other.example", true, "20150101000000Z", "20160101000000Z", 0x5a02) ||
        make_cert(&CERT_3DES, "3des.example", false, "20250101000000Z", "20300101000000Z", 0x5a03))
        return PG_EINVAL;
    return PG_OK;
}

static void keys_free(void) {
    EVP_PKEY_free(CA_KEY);
    EVP_PKEY_free(SRV_KEY);
}

/* -------------------------------------------------------------------- TLS */

enum { TLS_CCS = 20, TLS_ALERT = 21, TLS_HANDSHAKE = 22, TLS_APPDATA = 23 };

#define TLS10 0x0301u
#define TLS12 0x0303u
#define ECDHE_RSA_AES128_GCM 0xc02fu
#define RSA_RC4_128_SHA 0x0005u
#define RSA_3DES_EDE_CBC_SHA 0x000au

typedef struct tls_flow {
    uint16_t version; /* ClientHello and ServerHello version; later records too */
    const char *sni;
    const uint16_t *suites; /* offered by the client */
    size_t nsuites;
    bool modern;    /* TLS 1.2-era extensions: groups, sigalgs, ALPN, EMS, tickets */
    uint16_t suite; /* chosen by the server; 0: fatal handshake_failure instead */
    const cert *crt;
    size_t req_len, resp_len; /* application data, plaintext bytes */
} tls_flow;

static const uint16_t MODERN_SUITES[] = {0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8};

static void client_hello(pg_pkt *b, const tls_flow *f, const uint8_t random[32]) {
    static const uint16_t groups[] = {0x001d, 0x0017, 0x0018};
    static const uint16_t sigalgs[] = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};
    uint8_t sid[32];
    size_t rec = pg_tls_record_begin(b, TLS_HANDSHAKE, TLS10), hs = pg_tls_hs_begin(b, 1), e, m, m2, exts;
    pg_be16(b, f->version);
    pg_bytes(b, random, 32);
    if (f->modern) { /* a resumable-looking session id, as browsers send */
        rng_bytes(sid, sizeof sid);
        pg_u8(b, 32);
        pg_bytes(b, sid, 32);
    } else {
        pg_u8(b, 0);
    }
    pg_u16_list(b, 2, f->suites, f->nsuites);
    pg_u8(b, 1); /* compression: null only */
    pg_u8(b, 0);
    pg_len_begin(b, 2, &exts);
    e = pg_tls_ext_begin(b, 0x0000); /* server_name */
    pg_len_begin(b, 2, &m);
    pg_u8(b, 0);
    pg_len_begin(b, 2, &m2);
    pg_bytes(b, f->sni, strlen(f->sni));
    pg_len_end(b, m2, 2);
    pg_len_end(b, m, 2);
    pg_len_end(b, e, 2);
    e = pg_tls_ext_begin(b, 0xff01); /* renegotiation_info: empty */
    pg_u8(b, 0);
    pg_len_end(b, e, 2);
    if (f->modern) {
        e = pg_tls_ext_begin(b, 0x0017); /* extended_master_secret */
        pg_len_end(b, e, 2);
        e = pg_tls_ext_begin(b, 0x000a); /* supported_groups */
        pg_u16_list(b, 2, groups, NELEM(groups));
        pg_len_end(b, e, 2);
        e = pg_tls_ext_begin(b, 0x000b); /* ec_point_formats: uncompressed */
        pg_u8(b, 1);
        pg_u8(b, 0);
        pg_len_end(b, e, 2);
        e = pg_tls_ext_begin(b, 0x0023); /* session_ticket: none yet */
        pg_len_end(b, e, 2);
        e = pg_tls_ext_begin(b, 0x0010); /* ALPN: http/1.1 */
        pg_len_begin(b, 2, &m);
        pg_u8(b, 8);
        pg_bytes(b, "http/1.1", 8);
        pg_len_end(b, m, 2);
        pg_len_end(b, e, 2);
        e = pg_tls_ext_begin(b, 0x000d); /* signature_algorithms */
        pg_u16_list(b, 2, sigalgs, NELEM(sigalgs));
        pg_len_end(b, e, 2);
    }
    pg_len_end(b, exts, 2);
    pg_len_end(b, hs, 3);
    pg_len_end(b, rec, 2);
}

static bool is_ecdhe(uint16_t suite) { return suite >= 0xc000u; }

/* ServerHello, Certificate, [ServerKeyExchange], ServerHelloDone. */
static int server_flight(pg_pkt *b, const tls_flow *f, const uint8_t crand[32], const uint8_t srand[32]) {
    uint8_t sid[32];
    size_t rec, hs, e, m, m2, exts;
    rng_bytes(sid, sizeof sid);
    rec = pg_tls_record_begin(b, TLS_HANDSHAKE, f->version);
    hs = pg_tls_hs_begin(b, 2);
    pg_be16(b, f->version);
    pg_bytes(b, srand, 32);
    pg_u8(b, 32);
    pg_bytes(b, sid, 32);
    pg_be16(b, f->suite);
    pg_u8(b, 0);
    pg_len_begin(b, 2, &exts);
    e = pg_tls_ext_begin(b, 0xff01);
    pg_u8(b, 0);
    pg_len_end(b, e, 2);
    if (f->modern) {
        e = pg_tls_ext_begin(b, 0x0017);
        pg_len_end(b, e, 2);
        if (is_ecdhe(f->suite)) {
            e = pg_tls_ext_begin(b, 0x000b);
            pg_u8(b, 1);
            pg_u8(b, 0);
            pg_len_end(b, e, 2);
        }
        e = pg_tls_ext_begin(b, 0x0010);
        pg_len_begin(b, 2, &m);
        pg_u8(b, 8);
        pg_bytes(b, "http/1.1", 8);
        pg_len_end(b, m, 2);
        pg_len_end(b, e, 2);
    }
    pg_len_end(b, exts, 2);
    pg_len_end(b, hs, 3);
    pg_len_end(b, rec, 2);

    rec = pg_tls_record_begin(b, TLS_HANDSHAKE, f->version); /* the leaf only */
    hs = pg_tls_hs_begin(b, 11);
    pg_len_begin(b, 3, &m);
    pg_len_begin(b, 3, &m2);
    pg_bytes(b, f->crt->der, f->crt->len);
    pg_len_end(b, m2, 3);
    pg_len_end(b, m, 3);
    pg_len_end(b, hs, 3);
    pg_len_end(b, rec, 2);

    if (is_ecdhe(f->suite)) {
        /* x25519 share, signed (rsa_pkcs1_sha256) over both randoms and the params */
        uint8_t params[4 + 32], tbs[64 + sizeof params], sig[512];
        size_t slen = sizeof sig;
        params[0] = 3; /* named_curve */
        params[1] = 0x00;
        params[2] = 0x1d;
        params[3] = 32;
        rng_bytes(params + 4, 32);
        memcpy(tbs, crand, 32);
        memcpy(tbs + 32, srand, 32);
        memcpy(tbs + 64, params, sizeof params);
        EVP_MD_CTX *mc = EVP_MD_CTX_new();
        bool ok = mc && EVP_DigestSignInit(mc, NULL, EVP_sha256(), NULL, SRV_KEY) == 1 &&
                  EVP_DigestSign(mc, sig, &slen, tbs, sizeof tbs) == 1;
        EVP_MD_CTX_free(mc);
        if (!ok) return PG_EINVAL;
        rec = pg_tls_record_begin(b, TLS_HANDSHAKE, f->version);
        hs = pg_tls_hs_begin(b, 12);
        pg_bytes(b, params, sizeof params);
        pg_be16(b, 0x0401);
        pg_be16(b, (uint16_t)slen);
        pg_bytes(b, sig, slen);
        pg_len_end(b, hs, 3);
        pg_len_end(b, rec, 2);
    }

    rec = pg_tls_record_begin(b, TLS_HANDSHAKE, f->version);
    hs = pg_tls_hs_begin(b, 14);
    pg_len_end(b, hs, 3);
    pg_len_end(b, rec, 2);
    return b->err;
}

/* A protected record of the negotiated cipher carrying plain_len bytes:
 * AES-GCM adds an 8-byte explicit nonce and a 16-byte tag, RC4-SHA a
 * 20-byte MAC, 3DES-CBC-SHA (TLS 1.2) an 8-byte IV, the MAC and padding. */
static void enc_record(pg_pkt *b, const tls_flow *f, uint8_t type, size_t plain_len, uint64_t *seq) {
    size_t rec = pg_tls_record_begin(b, type, f->version), n;
    if (f->suite == RSA_RC4_128_SHA) {
        n = plain_len + 20;
    } else if (f->suite == RSA_3DES_EDE_CBC_SHA) {
        n = 8 + (plain_len + 20 + 8) / 8 * 8;
    } else {
        for (unsigned i = 0; i < 8; i++) pg_u8(b, (uint8_t)(*seq >> (8u * (7u - i))));
        n = plain_len + 16;
    }
    (*seq)++;
    for (size_t i = 0; i < n; i++) pg_u8(b, (uint8_t)rng32());
    pg_len_end(b, rec, 2);
}

/* A whole TLS connection: TCP handshake, TLS handshake, one request and
 * response of application data, close_notify both ways and FINs.  With
 * f->suite 0 the server answers the ClientHello with a fatal
 * handshake_failure alert and closes. */
static int tls_connection(pg_tcp_conv *c, uint64_t us, uint64_t rtt, const tls_flow *f) {
    static uint8_t buf[8192];
    uint8_t crand[32], srand[32];
    uint64_t seq[2] = {0, 0};
    pg_pkt b;
    rng_bytes(crand, 32);
    rng_bytes(srand, 32);

    TRY(pg_tcp_handshake(c, at(us), PG_US(rtt)));
    us += rtt + 100;
    pg_pkt_init(&b, buf, sizeof buf);
    client_hello(&b, f, crand);
    TRY(b.err);
    TRY(pg_tcp_send(c, at(us), PG_CLIENT, b.buf, b.len, PG_TCP_PUSH));
    us += rtt;

    if (!f->suite) {
        pg_pkt_init(&b, buf, sizeof buf);
        size_t rec = pg_tls_record_begin(&b, TLS_ALERT, f->version);
        pg_u8(&b, 2);  /* fatal */
        pg_u8(&b, 40); /* handshake_failure */
        pg_len_end(&b, rec, 2);
        TRY(b.err);
        TRY(pg_tcp_send(c, at(us), PG_SERVER, b.buf, b.len, PG_TCP_PUSH));
        TRY(pg_tcp_fin(c, at(us + 50), PG_SERVER));
        TRY(pg_tcp_fin(c, at(us + 400), PG_CLIENT));
        return pg_tcp_ack(c, at(us + 400 + rtt), PG_SERVER);
    }

    pg_pkt_init(&b, buf, sizeof buf);
    TRY(server_flight(&b, f, crand, srand));
    TRY(send_data(c, &us, PG_SERVER, b.buf, b.len, 30));

    /* ClientKeyExchange, ChangeCipherSpec, Finished */
    us += rtt;
    pg_pkt_init(&b, buf, sizeof buf);
    size_t rec = pg_tls_record_begin(&b, TLS_HANDSHAKE, f->version), hs = pg_tls_hs_begin(&b, 16);
    uint8_t share[256];
    if (is_ecdhe(f->suite)) {
        rng_bytes(share, 32);
        pg_u8(&b, 32);
        pg_bytes(&b, share, 32);
    } else { /* RSA-encrypted premaster secret */
        rng_bytes(share, sizeof share);
        share[0] &= 0x7f; /* below the modulus, as a real ciphertext is */
        pg_be16(&b, sizeof share);
        pg_bytes(&b, share, sizeof share);
    }
    pg_len_end(&b, hs, 3);
    pg_len_end(&b, rec, 2);
    rec = pg_tls_record_begin(&b, TLS_CCS, f->version);
    pg_u8(&b, 1);
    pg_len_end(&b, rec, 2);
    enc_record(&b, f, TLS_HANDSHAKE, 16, &seq[PG_CLIENT]); /* Finished */
    TRY(b.err);
    TRY(pg_tcp_send(c, at(us), PG_CLIENT, b.buf, b.len, PG_TCP_PUSH));

    us += rtt;
    pg_pkt_init(&b, buf, sizeof buf);
    rec = pg_tls_record_begin(&b, TLS_CCS, f->version);
    pg_u8(&b, 1);
    pg_len_end(&b, rec, 2);
    enc_record(&b, f, TLS_HANDSHAKE, 16, &seq[PG_SERVER]);
    TRY(b.err);
    TRY(pg_tcp_send(c, at(us), PG_SERVER, b.buf, b.len, PG_TCP_PUSH));

    us += 300;
    pg_pkt_init(&b, buf, sizeof buf);
    enc_record(&b, f, TLS_APPDATA, f->req_len, &seq[PG_CLIENT]);
    TRY(b.err);
    TRY(pg_tcp_send(c, at(us), PG_CLIENT, b.buf, b.len, PG_TCP_PUSH));
    us += rtt;
    pg_pkt_init(&b, buf, sizeof buf);
    enc_record(&b, f, TLS_APPDATA, f->resp_len, &seq[PG_SERVER]);
    TRY(b.err);
    TRY(send_data(c, &us, PG_SERVER, b.buf, b.len, 30));
    TRY(pg_tcp_ack(c, at(us + 100), PG_CLIENT));

    us += 150000;
    pg_pkt_init(&b, buf, sizeof buf);
    enc_record(&b, f, TLS_ALERT, 2, &seq[PG_CLIENT]); /* close_notify */
    TRY(b.err);
    TRY(pg_tcp_send(c, at(us), PG_CLIENT, b.buf, b.len, PG_TCP_PUSH));
    us += rtt;
    pg_pkt_init(&b, buf, sizeof buf);
    enc_record(&b, f, TLS_ALERT, 2, &seq[PG_SERVER]);
    TRY(b.err);
    TRY(pg_tcp_send(c, at(us), PG_SERVER, b.buf, b.len, PG_TCP_PUSH));
    return tcp_close(c, us + 50, PG_SERVER, rtt);
}

static tls_flow www_flow(void) {
    tls_flow f = {.version = TLS12,
                  .sni = "www.example.com",
                  .suites = MODERN_SUITES,
                  .nsuites = NELEM(MODERN_SUITES),
                  .modern = true,
                  .suite = ECDHE_RSA_AES128_GCM,
                  .crt = &CERT_WWW,
                  .req_len = 420,
                  .resp_len = 2600};
    return f;
}

/* ================================================================= files */

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

/* 2. scan_syn_vertical.pcap */
static bool open_port(unsigned p) { return p == 22 || p == 80; }

static int f_scan_syn_vertical(void) {
    rng_seed(0x0002);
    host sc = mkhost(10, 0, 0, 66), tg = mkhost(10, 0, 0, 5);
    for (unsigned p = 1; p <= 200; p++) {
        uint64_t us = MSEC(p - 1);
        uint32_t seq = rng32();
        seg syn = {50000, (uint16_t)p, seq, 0, PG_TH_SYN, 1024, 1460};
        TRY(tcp_raw(&sc, &tg, &syn, us));
        if (open_port(p)) {
            seg sa = {(uint16_t)p, 50000, rng32(), seq + 1, PG_TH_SYN | PG_TH_ACK, 64240, 1460};
            seg rst = {50000, (uint16_t)p, seq + 1, 0, PG_TH_RST, 0, 0};
            TRY(tcp_raw(&tg, &sc, &sa, us + 150));
            TRY(tcp_raw(&sc, &tg, &rst, us + 250)); /* the scanner's kernel knows no such socket */
        } else {
            seg ra = {(uint16_t)p, 50000, 0, seq + 1, PG_TH_RST | PG_TH_ACK, 0, 0};
            TRY(tcp_raw(&tg, &sc, &ra, us + 150));
        }
    }
    return PG_OK;
}

/* 3. scan_horizontal.pcap */
static int f_scan_horizontal(void) {
    rng_seed(0x0003);
    host sc = mkhost(10, 0, 0, 66);
    for (unsigned k = 1; k <= 100; k++) {
        host tg = mkhost(10, 0, 1, (uint8_t)k);
        uint64_t us = MSEC(2 * (k - 1));
        uint32_t seq = rng32();
        seg syn = {50000, 445, seq, 0, PG_TH_SYN, 1024, 1460};
        TRY(tcp_raw(&sc, &tg, &syn, us));
        if (k <= 5) {
            seg ra = {445, 50000, 0, seq + 1, PG_TH_RST | PG_TH_ACK, 0, 0};
            TRY(tcp_raw(&tg, &sc, &ra, us + 300));
        }
    }
    return PG_OK;
}

/* 4. scan_connect.pcap */
static int f_scan_connect(void) {
    rng_seed(0x0004);
    host sc = mkhost(10, 0, 0, 77), tg = mkhost(10, 0, 0, 5);
    for (unsigned p = 20; p <= 119; p++) {
        uint64_t us = MSEC(p - 20);
        uint16_t sport = (uint16_t)(41000u + 2u * (p - 20));
        if (open_port(p)) {
            pg_tcp_conv c;
            TRY(conv_init(&c, &sc, sport, &tg, (uint16_t)p));
            TRY(pg_tcp_handshake(&c, at(us), PG_US(150)));
            TRY(pg_tcp_rst(&c, at(us + 300), PG_CLIENT)); /* close() with SO_LINGER 0 */
        } else {
            TRY(conv_refused(&sc, sport, &tg, (uint16_t)p, us, 150));
        }
    }
    return PG_OK;
}

/* 5. scan_stealth.pcap */
static int f_scan_stealth(void) {
    rng_seed(0x0005);
    host sc = mkhost(10, 0, 0, 88), tg = mkhost(10, 0, 0, 5);
    for (unsigned p = 1; p <= 150; p++) {
        uint64_t us = MSEC(p - 1);
        uint8_t flags = p <= 50 ? 0 : p <= 100 ? PG_TH_FIN : PG_TH_FIN | PG_TH_PSH | PG_TH_URG;
        uint32_t seq = rng32();
        seg probe = {50000, (uint16_t)p, seq, 0, flags, 1024, 0};
        TRY(tcp_raw(&sc, &tg, &probe, us));
        if (!open_port(p)) { /* RFC 9293: closed ports reset; open ones drop it */
            uint32_t ack = seq + ((flags & PG_TH_FIN) ? 1u : 0u);
            seg ra = {(uint16_t)p, 50000, 0, ack, PG_TH_RST | PG_TH_ACK, 0, 0};
            TRY(tcp_raw(&tg, &sc, &ra, us + 150));
        }
    }
    return PG_OK;
}

/* 6. rst_storm.pcap */
static int f_rst_storm(void) {
    rng_seed(0x0006);
    host src = mkhost(10, 0, 0, 9);
    for (unsigned i = 0; i < 300; i++) {
        host dst = mkhost(172, 16, (uint8_t)(i / 250u), (uint8_t)(i % 250u + 1u));
        uint32_t seq = rng32(), ack = rng32();
        seg ra = {80, (uint16_t)(30000u + i), seq, ack, PG_TH_RST | PG_TH_ACK, 0, 0};
        TRY(tcp_raw(&src, &dst, &ra, MSEC(5 * i)));
    }
    return PG_OK;
}

/* 7. syn_flood.pcap */
static int f_syn_flood(void) {
    static const char body[] = "<html><body><p>It works.</p></body></html>\n";
    rng_seed(0x0007);
    host sv = mkhost(10, 0, 0, 80), cl = mkhost(192, 0, 2, 10);
    for (unsigned i = 0; i < 3; i++)
        TRY(http_get(&cl, (uint16_t)(50001 + i), &sv, 80, SEC(i), "/", "10.0.0.80", "", "200 OK", body, HTTP_CLOSE));
    for (unsigned k = 0; k < 2000; k++) {
        uint64_t us = SEC(5) + MSEC(k);
        uint8_t x = (uint8_t)(1u + rng_below(254));
        host src = k % 2 ? mkhost(203, 0, 113, x) : mkhost(198, 51, 100, x);
        src.ttl = (uint8_t)(40u + rng_below(20));
        src.ip_id = (uint16_t)rng32();
        uint32_t seq = rng32();
        uint16_t sport = (uint16_t)(1025u + (k * 7919u) % 64000u); /* distinct per SYN */
        seg syn = {sport, 80, seq, 0, PG_TH_SYN, 512, 0};
        TRY(tcp_raw(&src, &sv, &syn, us));
        if (k < 500) {
            seg sa = {80, sport, rng32(), seq + 1, PG_TH_SYN | PG_TH_ACK, 64240, 1460};
            TRY(tcp_raw(&sv, &src, &sa, us + 100));
        }
    }
    return PG_OK;
}

/* 8. icmp_flood.pcap */
static int f_icmp_flood(void) {
    rng_seed(0x0008);
    host a = mkhost(10, 0, 0, 99), b = mkhost(10, 0, 0, 5);
    for (unsigned k = 0; k < 1000; k++) {
        uint64_t us = MSEC(k);
        uint16_t seq = (uint16_t)(k + 1);
        TRY(echo_frame(&a, &b, false, 0x0f0f, seq, us, 56, us));
        if (k < 100) TRY(echo_frame(&b, &a, true, 0x0f0f, seq, us, 56, us + 80));
    }
    return PG_OK;
}

/* 9. icmp_large.pcap */
static int f_icmp_large(void) {
    rng_seed(0x0009);
    host a = mkhost(10, 0, 0, 98), b = mkhost(10, 0, 0, 5);
    for (uint16_t s = 1; s <= 5; s++) TRY(ping(&a, &b, 0x0abc, s, SEC(s - 1), 300, 1472));
    return PG_OK;
}

/* 10. arp_spoof.pcap */
static int f_arp_spoof(void) {
    rng_seed(0x000a);
    host v = mkhost(10, 0, 0, 20), gw = mkhost(10, 0, 0, 1);
    const uint8_t evil[6] = {0x02, 0, 0, 0, 0x00, 0x66};
    TRY(arp_frame(PG_ARP_REQUEST, MAC_BCAST, v.mac, v.mac, v.ip, MAC_ZERO, gw.ip, 0));
    TRY(arp_frame(PG_ARP_REPLY, v.mac, gw.mac, gw.mac, gw.ip, v.mac, v.ip, 300));
    TRY(ping(&v, &gw, 0x0321, 1, SEC(1), 400, 56));
    TRY(ping(&v, &gw, 0x0321, 2, SEC(2), 400, 56));
    for (unsigned i = 0; i < 10; i++) /* gratuitous: "10.0.0.1 is at ...:66", to everyone */
        TRY(arp_frame(PG_ARP_REPLY, MAC_BCAST, evil, evil, gw.ip, MAC_BCAST, gw.ip, SEC(10 + i)));
    for (unsigned i = 0; i < 5; i++) /* aimed at the victim's cache */
        TRY(arp_frame(PG_ARP_REPLY, v.mac, evil, evil, gw.ip, v.mac, v.ip, SEC(20 + i)));
    return PG_OK;
}

/* 10b. arp_dup.pcap: an ARP frame with a chosen hardware type and VLAN (0: none) */
static int arp_frame_x(uint16_t op, uint16_t htype, uint16_t vlan, const uint8_t esrc[6], const uint8_t sha[6],
                       const uint8_t spa[4], const uint8_t tha[6], const uint8_t tpa[4], uint64_t us) {
    uint8_t buf[64];
    pg_pkt p;
    pg_pkt_init(&p, buf, sizeof buf);
    if (vlan)
        pg_eth_vlan(&p, MAC_BCAST, esrc, vlan, PG_ETH_ARP);
    else
        pg_eth(&p, MAC_BCAST, esrc, PG_ETH_ARP);
    size_t at_arp = p.len;
    pg_arp(&p, op, sha, spa, tha, tpa);
    buf[at_arp] = (uint8_t)(htype >> 8);
    buf[at_arp + 1] = (uint8_t)htype;
    TRY(pg_finish(&p));
    TRY(pg_pad_to(&p, 60));
    return pg_write_pkt(W, at(us), &p);
}

static int f_arp_dup(void) {
    const uint8_t A[6] = {2, 0, 0, 0, 0x0a, 0x0a}, B[6] = {2, 0, 0, 0, 0x0b, 0x0b}, C[6] = {2, 0, 0, 0, 0x0c, 0x0c};
    const uint8_t MC[6] = {0x01, 0x00, 0x5e, 0, 0, 1};
    const uint8_t X[4] = {10, 1, 0, 1}, Y[4] = {10, 1, 0, 2}, Z[4] = {10, 1, 0, 3}, Wa[4] = {10, 1, 0, 4};
    const uint8_t NONE[4] = {0};
    const uint16_t Q = PG_ARP_REQUEST, R = PG_ARP_REPLY;
    uint64_t t = 0;
#define ARPX(op, ht, vl, src, sha, spa, tha, tpa) TRY(arp_frame_x(op, ht, vl, src, sha, spa, tha, tpa, t += 100000))
    ARPX(Q, 1, 0, A, A, X, MAC_ZERO, Y);        /* 1 */
    ARPX(R, 1, 0, B, B, Y, A, X);               /* 2 */
    ARPX(Q, 1, 0, C, C, X, MAC_ZERO, Y);        /* 3 */
    ARPX(Q, 1, 0, C, C, X, MAC_ZERO, Y);        /* 4 */
    ARPX(Q, 1, 0, A, A, X, MAC_ZERO, Y);        /* 5 */
    ARPX(R, 1, 0, C, C, Wa, B, Y);              /* 6 */
    ARPX(R, 1, 0, A, A, Z, C, Y);               /* 7 */
    ARPX(R, 1, 0, C, C, X, C, X);               /* 8 */
    ARPX(R, 1, 0, C, C, X, MAC_BCAST, X);       /* 9 */
    ARPX(Q, 1, 0, C, MC, X, MAC_ZERO, Y);       /* 10 */
    ARPX(Q, 1, 0, C, MAC_ZERO, X, MAC_ZERO, Y); /* 11 */
    ARPX(Q, 1, 0, C, C, NONE, MAC_ZERO, X);     /* 12 */
    ARPX(Q, 6, 0, C, C, X, MAC_ZERO, Y);        /* 13 */
    ARPX(Q, 7, 0, C, C, X, MAC_ZERO, Y);        /* 14 */
    ARPX(R, 1, 0, C, C, Y, C, Z);               /* 15 */
    ARPX(R, 1, 0, B, B, Y, MAC_ZERO, X);        /* 16 */
    ARPX(Q, 1, 5, C, C, X, MAC_ZERO, Y);        /* 17 */
    ARPX(3, 1, 0, C, C, X, MAC_ZERO, Y);        /* 18 */
    ARPX(R, 1, 0, B, B, Y, C, NONE);            /* 19 */
    ARPX(Q, 1, 0, A, A, X, MAC_ZERO, Y);        /* 20 */
    ARPX(R, 1, 0, C, C, Wa, A, X);              /* 21 */
#undef ARPX
    return PG_OK;
}

/* 11. dns_tunnel.pcap */
static int f_dns_tunnel(void) {
    static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static bool port_used[65536];
    rng_seed(0x000b);
    memset(port_used, 0, sizeof port_used);
    host cl = mkhost(10, 0, 0, 20), rs = mkhost(10, 0, 0, 53);
    for (unsigned i = 0; i < 220; i++) {
        bool txt = i < 200;
        uint64_t us = MSEC(100) * i;
        char label[51], name[128], text[121];
        uint8_t bin[100], buf[512];
        rng_text(label, 50, b32);
        snprintf(name, sizeof name, "%s.t.tunnel-test.example", label);
        uint16_t sport = ephemeral_port();
        while (port_used[sport]) /* a fresh socket per query: no two share a port */
            sport = ephemeral_port();
        port_used[sport] = true;
        uint16_t id = (uint16_t)rng32();
        uint16_t qtype = txt ? PG_DNS_TXT : 10 /* NULL */;
        TRY(dns_query(&cl, &rs, sport, 53, us, id, name, qtype));

        pg_pkt p;
        pg_dns d;
        ip_frame(&p, buf, sizeof buf, &rs, &cl);
        pg_udp(&p, 53, sport);
        pg_dns_begin(&d, &p, id, PG_DNS_QR | PG_DNS_AA | PG_DNS_RD | PG_DNS_RA);
        pg_dns_question(&d, name, qtype);
        pg_dns_rr_begin(&d, PG_DNS_AN, name, qtype, 0);
        if (txt) {
            rng_text(text, 120, b64);
            pg_u8(&p, 120); /* one character-string */
            pg_bytes(&p, text, 120);
        } else {
            rng_bytes(bin, sizeof bin);
            pg_bytes(&p, bin, sizeof bin);
        }
        pg_dns_rr_end(&d);
        TRY(pg_dns_end(&d));
        TRY(put_frame(&p, us + 20000));
    }
    return PG_OK;
}

/* 12. dns_fastflux.pcap */
static int f_dns_fastflux(void) {
    static uint8_t addrs[90][4];
    rng_seed(0x000c);
    host cl = mkhost(10, 0, 0, 20), rs = mkhost(10, 0, 0, 53);
    /* 90 distinct public-looking addresses, all in different /16s */
    for (unsigned n = 0; n < 90;) {
        uint8_t a = (uint8_t)(11u + rng_below(213)); /* 11..223 */
        if (a == 100 || a == 127 || a == 169 || a == 172 || a == 192 || a == 198 || a == 203) continue;
        uint8_t b = (uint8_t)rng32();
        bool dup = false;
        for (unsigned j = 0; j < n; j++) dup = dup || (addrs[j][0] == a && addrs[j][1] == b);
        if (dup) continue;
        addrs[n][0] = a;
        addrs[n][1] = b;
        addrs[n][2] = (uint8_t)rng32();
        addrs[n][3] = (uint8_t)(1u + rng_below(254));
        n++;
    }
    for (unsigned k = 0; k < 30; k++) {
        uint64_t us = SEC(10 * k);
        uint16_t sport = ephemeral_port(), id = (uint16_t)rng32();
        TRY(dns_query(&cl, &rs, sport, 53, us, id, "flux.fastflux-test.example", PG_DNS_A));
        TRY(dns_answer(&rs, &cl, 53, sport, us + 30000, id, "flux.fastflux-test.example", PG_DNS_A, 0,
                       (const uint8_t(*)[4]) & addrs[3 * k], 3, 5, NULL));
    }
    return PG_OK;
}

/* 13. beacon.pcap */
static int f_beacon(void) {
    static const uint64_t noise_at[5] = {SEC(23) + MSEC(400), SEC(97) + MSEC(100), SEC(311) + MSEC(800),
                                         SEC(642) + MSEC(500), SEC(1003) + MSEC(900)};
    rng_seed(0x000d);
    host cl = mkhost(10, 0, 0, 30), c2 = mkhost(203, 0, 113, 50), web = mkhost(93, 184, 216, 34);
    unsigned noise = 0;
    uint16_t port = 51200;
    for (unsigned k = 0; k < 20; k++) {
        /* ms, -300..300; the first is on time so the capture starts at T0 */
        int64_t jitter = k ? (int64_t)rng_below(601) - 300 : 0;
        uint64_t us = (uint64_t)((int64_t)SEC(60 * k) + jitter * 1000);
        while (noise < NELEM(noise_at) && noise_at[noise] < us) {
            pg_tcp_conv c;
            tls_flow f = www_flow();
            TRY(conv_init(&c, &cl, port++, &web, 443));
            TRY(tls_connection(&c, noise_at[noise++], 25000, &f));
        }
        uint8_t out[120], back[60];
        rng_bytes(out, sizeof out);
        rng_bytes(back, sizeof back);
        pg_tcp_conv c;
        TRY(conv_init(&c, &cl, port++, &c2, 8443));
        TRY(pg_tcp_handshake(&c, at(us), PG_MS(40)));
        TRY(pg_tcp_send(&c, at(us + 40100), PG_CLIENT, out, sizeof out, PG_TCP_PUSH));
        TRY(pg_tcp_send(&c, at(us + 80200), PG_SERVER, back, sizeof back, PG_TCP_PUSH));
        TRY(tcp_close(&c, us + 80300, PG_CLIENT, 40000));
    }
    while (noise < NELEM(noise_at)) {
        pg_tcp_conv c;
        tls_flow f = www_flow();
        TRY(conv_init(&c, &cl, port++, &web, 443));
        TRY(tls_connection(&c, noise_at[noise++], 25000, &f));
    }
    return PG_OK;
}

/* 14. cleartext_creds.pcap */
static size_t base64(const void *in, size_t n, char *out, size_t cap) {
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const uint8_t *s = in;
    size_t o = 0;
    if ((n + 2) / 3 * 4 + 1 > cap) return 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        if (i + 1 < n) v |= (uint32_t)s[i + 1] << 8;
        if (i + 2 < n) v |= s[i + 2];
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = '\0';
    return o;
}

/* A line-based dialogue, one line (or reply block) per segment, 30 ms
 * apart; the server speaks first when lines[0] is the server's. */
typedef struct line {
    int from;
    const char *text;
} line;

static int dialogue(const host *cl, uint16_t cport, const host *sv, uint16_t sport, uint64_t us, const line *lines,
                    size_t n) {
    pg_tcp_conv c;
    TRY(conv_init(&c, cl, cport, sv, sport));
    TRY(pg_tcp_handshake(&c, at(us), PG_US(500)));
    us += 1000;
    for (size_t i = 0; i < n; i++, us += MSEC(30)) TRY(send_str(&c, us, lines[i].from, lines[i].text));
    TRY(pg_tcp_ack(&c, at(us), PG_CLIENT));
    return tcp_close(&c, us + MSEC(10), PG_SERVER, 500);
}

static int f_cleartext_creds(void) {
    rng_seed(0x000e);
    host cl = mkhost(10, 0, 0, 40), sv = mkhost(10, 0, 0, 41);
    char auth_http[160], plain[128], user[128], pass[128];
    static const char bob[] = "bob:hunter2", erin[] = "\0erin\0smtp-secret";
    char b[96];
    if (!base64(bob, sizeof bob - 1, b, sizeof b)) return PG_ENOSPC;
    snprintf(auth_http, sizeof auth_http, "Authorization: Basic %s\r\n", b);
    if (!base64(erin, sizeof erin - 1, b, sizeof b)) return PG_ENOSPC;
    snprintf(plain, sizeof plain, "AUTH PLAIN %s\r\n", b);
    if (!base64("frank", 5, b, sizeof b)) return PG_ENOSPC;
    snprintf(user, sizeof user, "%s\r\n", b);
    if (!base64("login-secret", 12, b, sizeof b)) return PG_ENOSPC;
    snprintf(pass, sizeof pass, "%s\r\n", b);

    const line ftp[] = {
        {PG_SERVER, "220 ready\r\n"},       {PG_CLIENT, "USER alice\r\n"},    {PG_SERVER, "331 Password required\r\n"},
        {PG_CLIENT, "PASS s3cret-ftp\r\n"}, {PG_SERVER, "230 Logged in\r\n"}, {PG_CLIENT, "QUIT\r\n"},
        {PG_SERVER, "221 Goodbye\r\n"},
    };
    TRY(dialogue(&cl, 45001, &sv, 21, 0, ftp, NELEM(ftp)));

    TRY(http_get(&cl, 45002, &sv, 80, SEC(5), "/private/", "10.0.0.41", auth_http, "200 OK",
                 "<html><body><p>Welcome, bob.</p></body></html>\n", HTTP_CLOSE));

    const line pop[] = {
        {PG_SERVER, "+OK POP3 server ready\r\n"}, {PG_CLIENT, "USER carol\r\n"},     {PG_SERVER, "+OK\r\n"},
        {PG_CLIENT, "PASS pop-secret\r\n"},       {PG_SERVER, "+OK Logged in.\r\n"}, {PG_CLIENT, "QUIT\r\n"},
        {PG_SERVER, "+OK Logging out.\r\n"},
    };
    TRY(dialogue(&cl, 45003, &sv, 110, SEC(10), pop, NELEM(pop)));

    const line imap[] = {
        {PG_SERVER, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] IMAP server ready\r\n"},
        {PG_CLIENT, "a1 LOGIN dave imap-secret\r\n"},
        {PG_SERVER, "a1 OK LOGIN completed\r\n"},
        {PG_CLIENT, "a2 LOGOUT\r\n"},
        {PG_SERVER, "* BYE Logging out\r\na2 OK LOGOUT completed\r\n"},
    };
    TRY(dialogue(&cl, 45004, &sv, 143, SEC(15), imap, NELEM(imap)));

    const line sub[] = {
        {PG_SERVER, "220 mail.example ESMTP\r\n"},
        {PG_CLIENT, "EHLO client.example\r\n"},
        {PG_SERVER, "250-mail.example\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"},
        {PG_CLIENT, plain},
        {PG_SERVER, "235 2.7.0 Authentication successful\r\n"},
        {PG_CLIENT, "QUIT\r\n"},
        {PG_SERVER, "221 2.0.0 Bye\r\n"},
    };
    TRY(dialogue(&cl, 45005, &sv, 587, SEC(20), sub, NELEM(sub)));

    const line smtp[] = {
        {PG_SERVER, "220 mail.example ESMTP\r\n"},
        {PG_CLIENT, "EHLO client.example\r\n"},
        {PG_SERVER, "250-mail.example\r\n250-AUTH LOGIN PLAIN\r\n250 8BITMIME\r\n"},
        {PG_CLIENT, "AUTH LOGIN\r\n"},
        {PG_SERVER, "334 VXNlcm5hbWU6\r\n"}, /* "Username:" */
        {PG_CLIENT, user},
        {PG_SERVER, "334 UGFzc3dvcmQ6\r\n"}, /* "Password:" */
        {PG_CLIENT, pass},
        {PG_SERVER, "235 2.7.0 Authentication successful\r\n"},
        {PG_CLIENT, "QUIT\r\n"},
        {PG_SERVER, "221 2.0.0 Bye\r\n"},
    };
    TRY(dialogue(&cl, 45006, &sv, 25, SEC(25), smtp, NELEM(smtp)));

    const line telnet[] = {
        {PG_SERVER, "login: "},
        {PG_CLIENT, "gina\r\n"},
        {PG_SERVER, "Password: "},
        {PG_CLIENT, "telnet-secret\r\n"},
        {PG_SERVER, "\r\nLast login: Wed Dec 31 09:00:00 on tty1\r\n$ "},
        {PG_CLIENT, "exit\r\n"},
        {PG_SERVER, "logout\r\n"},
    };
    return dialogue(&cl, 45007, &sv, 23, SEC(30), telnet, NELEM(telnet));
}

/* 15. weak_tls.pcap */
static int f_weak_tls(void) {
    static const uint16_t legacy[] = {0x0005, 0x0004, 0x002f, 0x0035, 0x000a};
    static const uint16_t mixed[] = {0xc02f, 0xc030, 0x009c, 0x009d, 0x002f, 0x0035, 0x000a};
    rng_seed(0x000f);
    host cl = mkhost(10, 0, 0, 50), sv = mkhost(10, 0, 0, 51);
    pg_tcp_conv c;

    tls_flow a = {.version = TLS10,
                  .sni = "legacy.example",
                  .suites = legacy,
                  .nsuites = NELEM(legacy),
                  .modern = false,
                  .suite = RSA_RC4_128_SHA,
                  .crt = &CERT_OTHER,
                  .req_len = 300,
                  .resp_len = 900};
    TRY(conv_init(&c, &cl, 50001, &sv, 443));
    TRY(tls_connection(&c, 0, 1000, &a));

    tls_flow b = {.version = TLS12,
                  .sni = "3des.example",
                  .suites = mixed,
                  .nsuites = NELEM(mixed),
                  .modern = true,
                  .suite = RSA_3DES_EDE_CBC_SHA,
                  .crt = &CERT_3DES,
                  .req_len = 300,
                  .resp_len = 900};
    TRY(conv_init(&c, &cl, 50002, &sv, 8443));
    TRY(tls_connection(&c, SEC(5), 1000, &b));

    tls_flow fail = {.version = TLS12,
                     .sni = "strict.example",
                     .suites = MODERN_SUITES,
                     .nsuites = NELEM(MODERN_SUITES),
                     .modern = true,
                     .suite = 0};
    TRY(conv_init(&c, &cl, 50003, &sv, 443));
    return tls_connection(&c, SEC(10), 1000, &fail);
}

/* 16. bad_ports.pcap */
static int f_bad_ports(void) {
    rng_seed(0x0010);
    host cl = mkhost(10, 0, 0, 60), sv = mkhost(10, 0, 0, 61);
    static const char telnet_opts[] = "\xff\xfd\x18\xff\xfd\x20\xff\xfd\x23\xff\xfd\x27";
    static const uint8_t rnd[8] = {0x8f, 0x21, 0x5c, 0xe0, 0x13, 0x77, 0xa4, 0x09};
#define S(lit) lit, sizeof(lit) - 1
    const struct {
        uint16_t port;
        int first;     /* who speaks first */
        const void *a; /* first message */
        size_t alen;
        const void *b; /* the answer */
        size_t blen;
    } svc[] = {
        {23, PG_SERVER, S(telnet_opts), S("\xff\xfc\x18\xff\xfc\x20\xff\xfc\x23\xff\xfc\x27")},
        {513, PG_CLIENT, "", 1, "", 1}, /* rlogin: the leading NUL both ways */
        {5900, PG_SERVER, S("RFB 003.008\n"), S("RFB 003.008\n")},
        {6667, PG_CLIENT, S("NICK guest\r\n"), S(":irc.example 020 * :Please wait...\r\n")},
        {4444, PG_CLIENT, rnd, sizeof rnd, S("OK\n")},
        {31337, PG_CLIENT, S("hello\n"), S("hello\n")},
    };
#undef S
    uint64_t us = 0;
    for (unsigned i = 0; i < NELEM(svc); i++, us += SEC(2)) {
        pg_tcp_conv c;
        TRY(conv_init(&c, &cl, (uint16_t)(46001 + i), &sv, svc[i].port));
        TRY(pg_tcp_handshake(&c, at(us), PG_US(500)));
        TRY(pg_tcp_send(&c, at(us + 1000), svc[i].first, svc[i].a, svc[i].alen, PG_TCP_PUSH));
        TRY(pg_tcp_send(&c, at(us + 2000), !svc[i].first, svc[i].b, svc[i].blen, PG_TCP_PUSH));
        TRY(pg_tcp_ack(&c, at(us + 2500), svc[i].first));
        TRY(tcp_close(&c, us + MSEC(100), PG_CLIENT, 500));
    }

    /* TFTP: read request to 69; the server answers from its own port. */
    uint8_t buf[256];
    pg_pkt p;
    static const char rrq[] = "\x00\x01pxelinux.cfg\x00octet";
    ip_frame(&p, buf, sizeof buf, &cl, &sv);
    pg_udp(&p, 46100, 69);
    pg_bytes(&p, rrq, sizeof rrq); /* includes the final NUL */
    TRY(put_frame(&p, us));
    static const char data[] = "\x00\x03\x00\x01"
                               "default menu.c32\nprompt 0\n";
    ip_frame(&p, buf, sizeof buf, &sv, &cl);
    pg_udp(&p, 51515, 46100);
    pg_bytes(&p, data, sizeof data - 1);
    TRY(put_frame(&p, us + 800));
    ip_frame(&p, buf, sizeof buf, &cl, &sv);
    pg_udp(&p, 46100, 51515);
    pg_bytes(&p, "\x00\x04\x00\x01", 4);
    TRY(put_frame(&p, us + 1000));

    /* SNMP: a v2c GetRequest (community "public", in clear) and the start of
     * a v3 message (no community) to port 161 */
    static const uint8_t v2c[] = {0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, 'p',  'u',  'b',  'l',  'i',  'c',  0xa0,
                                  0x19, 0x02, 0x04, 0x12, 0x34, 0x56, 0x78, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30,
                                  0x0b, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x05, 0x00};
    static const uint8_t v3[] = {0x30, 0x3e, 0x02, 0x01, 0x03, 0x30, 0x11, 0x02, 0x04, 0x01, 0x02, 0x03, 0x04};
    ip_frame(&p, buf, sizeof buf, &cl, &sv);
    pg_udp(&p, 46200, 161);
    pg_bytes(&p, v2c, sizeof v2c);
    TRY(put_frame(&p, us + 2000));
    ip_frame(&p, buf, sizeof buf, &cl, &sv);
    pg_udp(&p, 46201, 161);
    pg_bytes(&p, v3, sizeof v3);
    return put_frame(&p, us + 3000);
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
