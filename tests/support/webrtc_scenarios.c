/* Writes webrtc.pcap for the STUN/DTLS display-filter comparisons with
 * tshark (compare_dfilter.mjs, compare_webrtc.mjs): a TURN exchange on
 * 3478 (Allocate challenged with 401, then granted with relayed and mapped
 * addresses and a lifetime, CreatePermission, ChannelBind, ChannelData, a
 * Refresh that releases), an ICE check with USE-CANDIDATE over IPv4 and a
 * Binding over IPv6, then DTLS on the ICE five-tuple (a ClientHello with SNI
 * and use_srtp, a ServerHello, a Certificate in two fragments, the turn to
 * epoch 1), and an association that ends with a fatal alert. The ICE checks
 * carry a wrong FINGERPRINT. Then plain RTCP between two odd ports: an SR
 * with a CNAME, a receiver report echoing it (round trip 40 ms), one with
 * no SR yet, and one whose DLSR exceeds the gap (a negative round trip).
 * Usage: pa-webrtc-scenarios FILE */
#include <stdio.h>
#include <string.h>

#include "pktgen.h"

static pg_ts t0 = {1767200000, 0};
static int failures;

typedef pg_udp_ep ep;

static void send_udp(pg_writer *w, uint64_t ms, const ep *s, const ep *d, const uint8_t *payload, size_t n) {
    if (pg_write_udp(w, pg_ts_add(t0, PG_MS(ms)), s, d, payload, n)) failures++;
}

/* ---- STUN ---- */

static void head(pg_pkt *b, uint8_t *buf, size_t cap, uint16_t type, uint8_t id) {
    pg_pkt_init(b, buf, cap);
    pg_be16(b, type);
    pg_be16(b, 0);
    pg_be32(b, 0x2112A442);
    for (int i = 0; i < 12; i++) pg_u8(b, (uint8_t)(id * 16 + i));
}

static size_t end(pg_pkt *b) {
    b->buf[2] = (uint8_t)((b->len - 20) >> 8);
    b->buf[3] = (uint8_t)(b->len - 20);
    return b->len;
}

static void att(pg_pkt *b, uint16_t t, const void *v, uint16_t n) {
    pg_be16(b, t);
    pg_be16(b, n);
    pg_bytes(b, v, n);
    pg_fill(b, 0, (4 - (n & 3)) & 3);
}

static void att32(pg_pkt *b, uint16_t t, uint32_t v) {
    pg_be16(b, t);
    pg_be16(b, 4);
    pg_be32(b, v);
}

/* an XOR address: the cookie, and for IPv6 the transaction id after it */
static void xaddr(pg_pkt *b, uint16_t t, const ep *e) {
    const uint8_t *m = b->buf + 4; /* cookie then transaction id */
    size_t n = e->family == 4 ? 4 : 16;
    pg_be16(b, t);
    pg_be16(b, (uint16_t)(4 + n));
    pg_u8(b, 0);
    pg_u8(b, e->family == 4 ? 1 : 2);
    pg_be16(b, e->port ^ 0x2112);
    for (size_t i = 0; i < n; i++) pg_u8(b, e->ip[i] ^ m[i]);
}

static void turn(pg_writer *w, const ep *c, const ep *s, const ep *peer, const ep *relay) {
    uint8_t buf[512];
    pg_pkt b;
    head(&b, buf, sizeof buf, 0x0003, 1);
    att32(&b, 0x0019, 17u << 24);
    att(&b, 0x8022, "pa-test client", 14);
    send_udp(w, 0, c, s, buf, end(&b));
    head(&b, buf, sizeof buf, 0x0113, 1);
    att(&b, 0x0009, "\0\0\4\1Unauthorized", 16);
    att(&b, 0x0014, "turn.test", 9);
    att(&b, 0x0015, "n0nce", 5);
    att(&b, 0x8022, "pa-test server", 14);
    send_udp(w, 12, s, c, buf, end(&b));
    head(&b, buf, sizeof buf, 0x0003, 2);
    att32(&b, 0x0019, 17u << 24);
    att(&b, 0x0006, "alice", 5);
    att(&b, 0x0014, "turn.test", 9);
    att(&b, 0x0008, "0123456789abcdefghij", 20);
    send_udp(w, 30, c, s, buf, end(&b));
    head(&b, buf, sizeof buf, 0x0103, 2);
    xaddr(&b, 0x0016, relay);
    xaddr(&b, 0x0020, c);
    att32(&b, 0x000D, 600);
    send_udp(w, 51, s, c, buf, end(&b));
    head(&b, buf, sizeof buf, 0x0008, 3);
    xaddr(&b, 0x0012, peer);
    send_udp(w, 60, c, s, buf, end(&b));
    head(&b, buf, sizeof buf, 0x0108, 3);
    send_udp(w, 72, s, c, buf, end(&b));
    head(&b, buf, sizeof buf, 0x0009, 4);
    att(&b, 0x000C, "\x40\x01\0\0", 4);
    xaddr(&b, 0x0012, peer);
    send_udp(w, 80, c, s, buf, end(&b));
    head(&b, buf, sizeof buf, 0x0109, 4);
    send_udp(w, 95, s, c, buf, end(&b));
    static const uint8_t cd[12] = {0x40, 0x01, 0x00, 0x07, 'p', 'a', 'y', 'l', 'o', 'a', 'd', 0};
    send_udp(w, 100, c, s, cd, sizeof cd);
    head(&b, buf, sizeof buf, 0x0004, 5);
    att32(&b, 0x000D, 0);
    send_udp(w, 200, c, s, buf, end(&b));
    head(&b, buf, sizeof buf, 0x0104, 5);
    att32(&b, 0x000D, 0);
    send_udp(w, 230, s, c, buf, end(&b));
}

static void ice(pg_writer *w, uint64_t ms, const ep *a, const ep *b2, uint8_t id) {
    uint8_t buf[512];
    pg_pkt b;
    head(&b, buf, sizeof buf, 0x0001, id);
    att(&b, 0x0006, "rmt1:loc1", 9);
    att32(&b, 0x0024, 0x6e7f1eff);
    att(&b, 0x0025, "", 0);
    att(&b, 0x802A, "\1\2\3\4\5\6\7\10", 8);
    att32(&b, 0x8028, 0x5354554e); /* a FINGERPRINT that is wrong (Wireshark: Bad Fingerprint) */
    send_udp(w, ms, a, b2, buf, end(&b));
    head(&b, buf, sizeof buf, 0x0101, id);
    xaddr(&b, 0x0020, a);
    send_udp(w, ms + 4, b2, a, buf, end(&b));
}

/* ---- DTLS ---- */

static void record(pg_pkt *b, uint8_t type, uint16_t epoch, uint32_t seq, const uint8_t *body, size_t n) {
    pg_u8(b, type);
    pg_be16(b, 0xfefd);
    pg_be16(b, epoch);
    pg_be16(b, 0);
    pg_be32(b, seq);
    pg_be16(b, (uint16_t)n);
    pg_bytes(b, body, n);
}

static void hs(pg_pkt *b, uint8_t type, uint16_t mseq, uint32_t rseq, const uint8_t *m, size_t total, size_t off,
               size_t len) {
    uint8_t r[2048];
    pg_pkt h;
    pg_pkt_init(&h, r, sizeof r);
    pg_u8(&h, type);
    pg_u8(&h, (uint8_t)(total >> 16));
    pg_be16(&h, (uint16_t)total);
    pg_be16(&h, mseq);
    pg_u8(&h, 0);
    pg_be16(&h, (uint16_t)off);
    pg_u8(&h, 0);
    pg_be16(&h, (uint16_t)len);
    pg_bytes(&h, m + off, len);
    record(b, 22, 0, rseq, r, h.len);
}

static size_t hello(uint8_t *out, size_t cap, bool client) {
    pg_pkt b;
    pg_pkt_init(&b, out, cap);
    pg_be16(&b, 0xfefd);
    pg_fill(&b, client ? 0x31 : 0x32, 32);
    pg_u8(&b, 0);
    if (client) {
        pg_u8(&b, 0);
        static const uint16_t suites[] = {0xc02b, 0xc02f, 0xc00a};
        pg_u16_list(&b, 2, suites, 3);
        pg_u8(&b, 1);
        pg_u8(&b, 0);
    } else {
        pg_be16(&b, 0xc02b);
        pg_u8(&b, 0);
    }
    size_t exts, e, l;
    pg_len_begin(&b, 2, &exts);
    if (client) {
        e = pg_tls_ext_begin(&b, 0);
        pg_len_begin(&b, 2, &l);
        pg_u8(&b, 0);
        pg_be16(&b, 14);
        pg_bytes(&b, "media.rtc.test", 14);
        pg_len_end(&b, l, 2);
        pg_len_end(&b, e, 2);
    }
    e = pg_tls_ext_begin(&b, 14);
    static const uint16_t both[] = {0x0007, 0x0001}, one[] = {0x0007};
    pg_u16_list(&b, 2, client ? both : one, client ? 2 : 1);
    pg_u8(&b, 0);
    pg_len_end(&b, e, 2);
    pg_len_end(&b, exts, 2);
    return b.len;
}

static void dtls(pg_writer *w, uint64_t ms, const ep *c, const ep *s) {
    uint8_t m[1024], dg[2048];
    pg_pkt b;
    size_t n = hello(m, sizeof m, true);
    pg_pkt_init(&b, dg, sizeof dg);
    hs(&b, 1, 0, 0, m, n, 0, n);
    send_udp(w, ms, c, s, dg, b.len);
    n = hello(m, sizeof m, false);
    pg_pkt_init(&b, dg, sizeof dg);
    hs(&b, 2, 0, 0, m, n, 0, n);
    /* a Certificate (one 300-byte opaque "certificate") in two fragments */
    uint8_t cert[306];
    memset(cert, 0x5a, sizeof cert);
    cert[0] = 0, cert[1] = 0x01, cert[2] = 0x2f, cert[3] = 0, cert[4] = 0x01, cert[5] = 0x2c;
    hs(&b, 11, 1, 1, cert, sizeof cert, 0, 200);
    send_udp(w, ms + 9, s, c, dg, b.len);
    pg_pkt_init(&b, dg, sizeof dg);
    hs(&b, 11, 1, 2, cert, sizeof cert, 200, sizeof cert - 200);
    hs(&b, 14, 2, 3, cert, 0, 0, 0);
    send_udp(w, ms + 10, s, c, dg, b.len);
    uint8_t fin[48];
    memset(fin, 0x77, sizeof fin);
    pg_pkt_init(&b, dg, sizeof dg);
    uint8_t cke[33]; /* ECDHE: a 32-byte point behind its length */
    memset(cke, 0x44, sizeof cke);
    cke[0] = 32;
    hs(&b, 16, 1, 1, cke, sizeof cke, 0, sizeof cke);
    record(&b, 20, 0, 2, (const uint8_t *)"\1", 1);
    record(&b, 22, 1, 0, fin, sizeof fin);
    send_udp(w, ms + 20, c, s, dg, b.len);
    pg_pkt_init(&b, dg, sizeof dg);
    record(&b, 20, 0, 4, (const uint8_t *)"\1", 1);
    record(&b, 22, 1, 0, fin, sizeof fin);
    send_udp(w, ms + 31, s, c, dg, b.len);
    pg_pkt_init(&b, dg, sizeof dg);
    record(&b, 23, 1, 1, fin, sizeof fin);
    send_udp(w, ms + 40, c, s, dg, b.len);
}

static void refused(pg_writer *w, uint64_t ms, const ep *c, const ep *s) {
    uint8_t m[1024], dg[2048];
    pg_pkt b;
    size_t n = hello(m, sizeof m, true);
    pg_pkt_init(&b, dg, sizeof dg);
    hs(&b, 1, 0, 0, m, n, 0, n);
    send_udp(w, ms, c, s, dg, b.len);
    pg_pkt_init(&b, dg, sizeof dg);
    record(&b, 21, 0, 0, (const uint8_t *)"\2\50", 2);
    send_udp(w, ms + 3, s, c, dg, b.len);
}

static size_t be32(uint8_t *b, uint32_t v) {
    b[0] = (uint8_t)(v >> 24), b[1] = (uint8_t)(v >> 16), b[2] = (uint8_t)(v >> 8), b[3] = (uint8_t)v;
    return 4;
}

/* An RR (or, with sender info, an SR) with one report block about `about`. */
static size_t report(uint8_t *b, uint32_t ssrc, const uint32_t *info, uint32_t about, uint32_t lost, uint32_t lsr,
                     uint32_t dlsr) {
    size_t n = 0;
    b[n++] = about ? 0x81 : 0x80;
    b[n++] = info ? 200 : 201;
    uint16_t words = (uint16_t)(1 + (info ? 5 : 0) + (about ? 6 : 0));
    b[n++] = (uint8_t)(words >> 8), b[n++] = (uint8_t)words;
    n += be32(b + n, ssrc);
    for (int i = 0; info && i < 5; i++) n += be32(b + n, info[i]);
    if (about) {
        n += be32(b + n, about);
        n += be32(b + n, lost);
        n += be32(b + n, 0x00010032); /* highest sequence */
        n += be32(b + n, 80);         /* jitter */
        n += be32(b + n, lsr);
        n += be32(b + n, dlsr);
    }
    return n;
}

static void rtcp(pg_writer *w, uint64_t ms, const ep *a, const ep *b) {
    uint8_t dg[256];
    /* NTP 0xb705.2ac0 (RFC 3550 6.4.1's example): LSR 0xb7052ac0 */
    const uint32_t info[5] = {0x0000b705, 0x2ac00000, 1000, 50, 8000};
    size_t n = report(dg, 0xabcd, info, 0, 0, 0, 0);
    static const uint8_t sdes[] = {0x81, 202, 0, 3, 0, 0, 0xab, 0xcd, 1, 5, 'a', 'l', 'i', 'c', 'e', 0};
    memcpy(dg + n, sdes, sizeof sdes);
    send_udp(w, ms, a, b, dg, n + sizeof sdes);
    /* 5.29 s later, DLSR 5.25 s: 40 ms; 25% and 3 packets lost */
    n = report(dg, 0x1234, NULL, 0xabcd, 0x40000003, 0xb7052ac0, 0x00054000);
    send_udp(w, ms + 5290, b, a, dg, n);
    n = report(dg, 0x1234, NULL, 0xabcd, 0, 0, 0);
    send_udp(w, ms + 5500, b, a, dg, n);
    n = report(dg, 0x1234, NULL, 0xabcd, 0x10000004, 0xb7052ac0, 0x00060000);
    send_udp(w, ms + 5600, b, a, dg, n);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: pa-webrtc-scenarios FILE\n");
        return 2;
    }
    pg_writer *w;
    if (pg_open(&w, argv[1], NULL)) {
        fprintf(stderr, "pa-webrtc-scenarios: cannot write %s\n", argv[1]);
        return 1;
    }
    ep client = {4, {10, 30, 0, 1}, 50000}, server = {4, {10, 30, 0, 100}, 3478};
    ep peer = {4, {10, 30, 0, 2}, 50002}, relay = {4, {10, 30, 0, 100}, 49152};
    ep local = {4, {10, 30, 0, 1}, 50001};
    ep v6a = {6, {0x20, 0x01, 0x0d, 0xb8, 0, 0x30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 50010};
    ep v6b = {6, {0x20, 0x01, 0x0d, 0xb8, 0, 0x30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}, 50020};
    ep bad = {4, {10, 30, 0, 3}, 50030}, badsrv = {4, {10, 30, 0, 4}, 4433};
    turn(w, &client, &server, &peer, &relay);
    ice(w, 300, &local, &peer, 6);
    ice(w, 310, &v6a, &v6b, 7);
    dtls(w, 320, &local, &peer);
    refused(w, 400, &bad, &badsrv);
    ep ra = {4, {10, 30, 0, 5}, 40001}, rb = {4, {10, 30, 0, 6}, 40003};
    rtcp(w, 500, &ra, &rb);
    if (pg_close(w)) failures++;
    return failures ? 1 : 0;
}
