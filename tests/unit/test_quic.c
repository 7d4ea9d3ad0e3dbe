/* QUIC: the Initial keys, header protection and decryption against the
 * RFC 9001 and RFC 9369 test vectors; the header parser (coalesced
 * packets, Retry, Version Negotiation, v2's type bits, short headers) and
 * how strict it is with other UDP protocols; frames and the CRYPTO stream
 * reassembled out of order into the ClientHello. */
#include <stdlib.h>

#include "check.h"
#include "quic_crypto.h"
#include "quic_frames.h"
#include "quic_parse.h"
#include "quic_vectors.h"
#include "tls_parse.h"

static size_t unhex(const char *h, uint8_t *out, size_t cap) {
    size_t n = 0;
    for (; h[0] && h[1] && n < cap; h += 2) {
        unsigned v;
        if (sscanf(h, "%2x", &v) != 1) break;
        out[n++] = (uint8_t)v;
    }
    return n;
}

static bool same_hex(const uint8_t *b, size_t n, const char *h) {
    uint8_t x[2048];
    size_t m = unhex(h, x, sizeof x);
    return m == n && memcmp(b, x, n) == 0;
}

static const uint8_t dcid[8] = {0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08};

static void test_keys(uint32_t version, const char *cs, const char *ss, const char *ck, const char *civ,
                      const char *chp, const char *sk, const char *siv, const char *shp) {
    uint8_t c[32], s[32];
    CHECK(pa_quic_initial_secrets(version, dcid, sizeof dcid, c, s));
    CHECK(same_hex(c, 32, cs));
    CHECK(same_hex(s, 32, ss));
    pa_quic_keys k[2];
    CHECK(pa_quic_initial_keys(version, dcid, sizeof dcid, &k[0], &k[1]));
    CHECK(same_hex(k[0].key, 16, ck) && same_hex(k[0].iv, 12, civ) && same_hex(k[0].hp, 16, chp));
    CHECK(same_hex(k[1].key, 16, sk) && same_hex(k[1].iv, 12, siv) && same_hex(k[1].hp, 16, shp));
}

/* Decrypts a vector packet with the keys of its side and checks the
 * unprotected header, the packet number and the plaintext. */
static void test_packet(const char *packet_hex, bool from_server, const char *header_hex, uint64_t want_pn,
                        const uint8_t *want_pl, size_t want_len, uint32_t version) {
    static uint8_t d[1500];
    size_t n = unhex(packet_hex, d, sizeof d);
    pa_quic_dgram g;
    CHECK(pa_quic_is_quic(d, n));
    CHECK(pa_quic_parse(d, n, &g));
    CHECK(g.n == 1 && g.pkt[0].type == PA_QUIC_INITIAL && g.pkt[0].version == version && g.pkt[0].size == n);
    pa_quic_keys k[2];
    /* the server's packet goes to the client's SCID: keys come from the client's first DCID */
    CHECK(pa_quic_initial_keys(version, dcid, sizeof dcid, &k[0], &k[1]));
    const uint8_t *pl;
    size_t pl_len;
    uint64_t pn;
    uint8_t copy[1500];
    memcpy(copy, d, n);
    /* the other side's keys fail the tag */
    CHECK(!pa_quic_decrypt(&k[!from_server], copy, n, g.pkt[0].pn_offset, -1, &pl, &pl_len, &pn));
    memcpy(copy, d, n);
    CHECK(pa_quic_decrypt(&k[from_server], copy, n, g.pkt[0].pn_offset, -1, &pl, &pl_len, &pn));
    CHECK(pn == want_pn);
    CHECK(same_hex(copy, g.pkt[0].pn_offset + (copy[0] & 3) + 1, header_hex));
    CHECK(pl_len == want_len && memcmp(pl, want_pl, want_len) == 0);
    /* a flipped ciphertext bit fails the tag */
    memcpy(copy, d, n);
    copy[n - 30] ^= 1;
    CHECK(!pa_quic_decrypt(&k[from_server], copy, n, g.pkt[0].pn_offset, -1, &pl, &pl_len, &pn));
}

static void test_vectors(void) {
    test_keys(PA_QUIC_V1, "c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea",
              "3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b", "1f369613dd76d5467730efcbe3b1a22d",
              "fa044b2f42a3fd3b46fb255c", "9f50449e04a0e810283a1e9933adedd2", "cf3a5331653c364c88f0f379b6067e37",
              "0ac1493ca1905853b0bba03e", "c206b8d9b9f0f37644430b490eeaa314");
    test_keys(PA_QUIC_V2, "14ec9d6eb9fd7af83bf5a668bc17a7e283766aade7ecd0891f70f9ff7f4bf47b",
              "0263db1782731bf4588e7e4d93b7463907cb8cd8200b5da55a8bd488eafc37c1", "8b1a0bc121284290a29e0971b5cd045d",
              "91f73e2351d8fa91660e909f", "45b95e15235d6f45a6b19cbcb0294ba9", "82db637861d55e1d011f19ea71d5d2a7",
              "dd13c276499c0249d3310652", "edf6d05c83121201b436e16877593c3a");
    uint8_t cpl[1162] = {0}, spl[128];
    size_t fl = unhex(crypto_frame_hex, cpl, sizeof cpl);
    CHECK(fl == 245);
    size_t sl = unhex(server_payload_hex, spl, sizeof spl);
    test_packet(v1_client_hex, false, "c300000001088394c8f03e5157080000449e00000002", 2, cpl, sizeof cpl, PA_QUIC_V1);
    test_packet(v1_server_hex, true, "c1000000010008f067a5502a4262b50040750001", 1, spl, sl, PA_QUIC_V1);
    test_packet(v2_client_hex, false, "d36b3343cf088394c8f03e5157080000449e00000002", 2, cpl, sizeof cpl, PA_QUIC_V2);
    test_packet(v2_server_hex, true, "d16b3343cf0008f067a5502a4262b50040750001", 1, spl, sl, PA_QUIC_V2);
    /* versions without keys */
    uint8_t c[32], s[32];
    CHECK(!pa_quic_initial_secrets(0x51303436u, dcid, sizeof dcid, c, s)); /* Q046 */
    CHECK(!pa_quic_initial_secrets(0x1a2a3a4au, dcid, sizeof dcid, c, s));
    CHECK(pa_quic_initial_secrets(0xff00001du, dcid, sizeof dcid, c, s)); /* draft-29 */
}

static void test_hellos(void) {
    uint8_t cpl[1162] = {0};
    unhex(crypto_frame_hex, cpl, sizeof cpl);
    pa_quic_frames f;
    CHECK(pa_quic_parse_frames(cpl, sizeof cpl, &f));
    CHECK(f.ntype == 2 && f.type[0] == PA_QUIC_F_CRYPTO && f.type[1] == PA_QUIC_F_PADDING);
    CHECK(f.ncrypto == 1 && f.crypto[0].offset == 0 && f.crypto[0].length == 241);
    /* the CRYPTO data in three pieces, last first, then first, then the middle */
    const uint8_t *ch = f.crypto[0].data;
    pa_quic_stream s = {0};
    size_t grown;
    uint8_t type;
    const uint8_t *body;
    size_t len;
    CHECK(pa_quic_stream_add(&s, 200, ch + 200, 41, &grown) && grown > 0);
    CHECK(!pa_quic_stream_message(&s, &type, &body, &len));
    CHECK(pa_quic_stream_add(&s, 0, ch, 100, &grown));
    CHECK(s.prefix == 100 && !pa_quic_stream_message(&s, &type, &body, &len));
    CHECK(pa_quic_stream_add(&s, 90, ch + 90, 120, &grown)); /* overlapping both */
    CHECK(s.prefix == 241 && pa_quic_stream_message(&s, &type, &body, &len));
    CHECK(type == PA_TLS_HS_CLIENT_HELLO && len == 237);
    pa_tls_hello h;
    CHECK(pa_tls_parse_hello(body, len, true, &h) == PA_TLS_PARSE_OK);
    CHECK_STR(h.sni, "example.com");
    CHECK_STR(h.alpn, "alpn");
    CHECK(h.ciphers.n == 2 && h.ciphers.v[0] == 0x1301 && h.ciphers.v[1] == 0x1302);
    char q[40], t[40];
    pa_tls_ja4_over(&h, 'q', q);
    pa_tls_ja4(&h, t);
    CHECK(q[0] == 'q' && t[0] == 't' && strcmp(q + 1, t + 1) == 0);
    CHECK(strncmp(q, "q13d02", 6) == 0);
    pa_quic_stream_free(&s);
    /* the cap: data past 16 KiB is left out and said so */
    CHECK(pa_quic_stream_add(&s, PA_QUIC_STREAM_CAP - 4, ch, 10, &grown) && s.capped);
    CHECK(s.alloc == PA_QUIC_STREAM_CAP && s.prefix == 0);
    pa_quic_stream_free(&s);

    uint8_t spl[128];
    size_t sl = unhex(server_payload_hex, spl, sizeof spl);
    CHECK(pa_quic_parse_frames(spl, sl, &f));
    CHECK(f.ntype == 2 && f.type[0] == PA_QUIC_F_ACK && f.type[1] == PA_QUIC_F_CRYPTO);
    CHECK(pa_quic_stream_add(&s, f.crypto[0].offset, f.crypto[0].data, (size_t)f.crypto[0].length, &grown));
    CHECK(pa_quic_stream_message(&s, &type, &body, &len) && type == PA_TLS_HS_SERVER_HELLO);
    CHECK(pa_tls_parse_hello(body, len, false, &h) == PA_TLS_PARSE_OK);
    CHECK(h.ciphers.v[0] == 0x1301 && h.version == 0x0304);
    pa_quic_stream_free(&s);

    /* CONNECTION_CLOSE: a transport error with its reason, an application one */
    const uint8_t cc[] = {0x1c, 0x0a, 0x06, 0x03, 'b', 'a', 'd', 0x1d, 0x41, 0x00, 0x00};
    CHECK(pa_quic_parse_frames(cc, sizeof cc, &f));
    CHECK(f.has_close && f.close_app && f.close_code == 0x100 && f.reason_len == 0);
    CHECK(pa_quic_parse_frames(cc, 7, &f) && !f.close_app && f.close_code == 0x0a && f.reason_len == 3);
    CHECK_STR(pa_quic_error_name(0x0a), "PROTOCOL_VIOLATION");
    CHECK_STR(pa_quic_error_name(0x0128), "CRYPTO_ERROR");
    CHECK(pa_quic_error_name(0x4000) == NULL);
    const uint8_t bad[] = {0x01, 0x06, 0x00, 0x10, 'x'}; /* a CRYPTO frame cut short */
    CHECK(!pa_quic_parse_frames(bad, sizeof bad, &f) && f.ntype == 2);
    const uint8_t unknown[] = {0x01, 0x21};
    CHECK(!pa_quic_parse_frames(unknown, sizeof unknown, &f));
}

static void test_headers(void) {
    uint8_t d[1600];
    size_t n = unhex(v1_retry_hex, d, sizeof d);
    pa_quic_dgram g;
    CHECK(pa_quic_parse(d, n, &g) && g.n == 1 && g.pkt[0].type == PA_QUIC_RETRY);
    CHECK(g.pkt[0].token_len == 5 && memcmp(g.pkt[0].token, "token", 5) == 0 && g.pkt[0].retry_tag == d + n - 16);
    CHECK(g.pkt[0].scid.len == 8 && g.pkt[0].dcid.len == 0);
    n = unhex(v2_retry_hex, d, sizeof d);
    CHECK(pa_quic_parse(d, n, &g) && g.pkt[0].type == PA_QUIC_RETRY && g.pkt[0].raw_type == 0);
    CHECK(pa_quic_long_type(PA_QUIC_V2, 1) == PA_QUIC_INITIAL && pa_quic_long_type(PA_QUIC_V1, 1) == PA_QUIC_0RTT);
    CHECK(pa_quic_long_type(PA_QUIC_V2, 3) == PA_QUIC_HANDSHAKE && pa_quic_long_type(PA_QUIC_V1, 3) == PA_QUIC_RETRY);

    /* Version Negotiation: v1 and a greased version; greased alone is no proof */
    n = unhex("80000000000401020304040a0b0c0d000000011a2a3a4a", d, sizeof d);
    CHECK(pa_quic_is_quic(d, n));
    CHECK(pa_quic_parse(d, n, &g) && g.pkt[0].type == PA_QUIC_VERSION_NEG && g.pkt[0].nversions == 2);
    CHECK(g.pkt[0].versions[0] == 1 && pa_quic_version_grease(g.pkt[0].versions[1]));
    n = unhex("80000000000401020304040a0b0c0d1a2a3a4a", d, sizeof d);
    CHECK(!pa_quic_is_quic(d, n));
    n = unhex("80000000000401020304040a0b0c0d00000001aa", d, sizeof d); /* not whole versions */
    CHECK(!pa_quic_is_quic(d, n));

    /* coalesced: the server's Initial, then a Handshake packet, then padding */
    n = unhex(v1_server_hex, d, sizeof d);
    size_t first = n;
    const uint8_t hs[] = {0xe0, 0, 0, 0, 1, 0, 8, 0xf0, 0x67, 0xa5, 0x50, 0x2a, 0x42, 0x62, 0xb5, 20};
    memcpy(d + n, hs, sizeof hs);
    n += sizeof hs;
    memset(d + n, 0x55, 20);
    n += 20;
    CHECK(pa_quic_parse(d, n, &g) && g.n == 2 && g.pkt[1].type == PA_QUIC_HANDSHAKE && g.pkt[1].offset == first);
    memset(d + n, 0, 30);
    CHECK(pa_quic_parse(d, n + 30, &g) && g.n == 2 && g.padding == 30);
    d[n + 29] = 1; /* not padding: garbage after the packets */
    CHECK(!pa_quic_parse(d, n + 30, &g) && !pa_quic_is_quic(d, n + 30));
    /* a 1-RTT packet last, to the same (empty) DCID */
    d[n] = 0x41;
    memset(d + n + 1, 0x77, 29);
    CHECK(pa_quic_parse(d, n + 30, &g) && g.short_trailer && g.short_offset == n);
    /* a length past the datagram */
    CHECK(!pa_quic_parse(d, first - 1, &g));
    /* another DCID in a coalesced packet */
    d[first + 5] = 1;
    CHECK(!pa_quic_parse(d, n, &g));

    /* short headers against known connection IDs */
    pa_quic_cid cids[2] = {{4, {1, 2, 3, 4}}, {2, {9, 9}}};
    uint8_t s[40] = {0x43, 9, 9};
    size_t which = 9;
    CHECK(pa_quic_short_match(s, sizeof s, cids, 2, &which) && which == 1);
    CHECK(!pa_quic_short_match(s, 21, cids, 2, &which)); /* no room for the sample */
    s[0] = 0x03;                                         /* no fixed bit */
    CHECK(!pa_quic_short_match(s, sizeof s, cids, 2, &which));

    /* varints (RFC 9000 A.1) and packet numbers (A.3) */
    const uint8_t v8[] = {0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c}, v4[] = {0x9d, 0x7f, 0x3e, 0x7d};
    pa_cur c = pa_cur_make(v8, sizeof v8);
    uint64_t v;
    CHECK(pa_quic_varint(&c, &v) && v == 151288809941952652ull && c.len == 0);
    c = pa_cur_make(v4, sizeof v4);
    CHECK(pa_quic_varint(&c, &v) && v == 494878333);
    c = pa_cur_make(v4, 3);
    CHECK(!pa_quic_varint(&c, &v) && c.len == 3);
    CHECK(pa_quic_pn_expand(0xa82f30ea, 0x9b32, 2) == 0xa82f9b32);
    CHECK(pa_quic_pn_expand(-1, 2, 4) == 2);
    CHECK(pa_quic_pn_expand(0xfe, 0x01, 1) == 0x101);

    /* versions tshark knows */
    CHECK(pa_quic_version_kind(0xff000016u) == PA_QUIC_VK_DRAFT22);
    CHECK(pa_quic_version_kind(0xff00001cu) == PA_QUIC_VK_DRAFT23);
    CHECK(pa_quic_version_kind(0xff000020u) == PA_QUIC_VK_DRAFT29);
    CHECK(pa_quic_version_kind(0xff000022u) == PA_QUIC_VK_V1);
    CHECK(pa_quic_version_kind(0xff000023u) == PA_QUIC_VK_UNKNOWN);
    CHECK(pa_quic_version_kind(0xfaceb001u) == PA_QUIC_VK_DRAFT22);
    CHECK(pa_quic_version_kind(0x54303531u) == PA_QUIC_VK_GOOGLE); /* T051 */
    CHECK(pa_quic_version_kind(0x5130344au) == PA_QUIC_VK_UNKNOWN);
}

/* Other protocols on UDP, some on 443, must not be taken for QUIC. */
static void test_strict(void) {
    uint8_t d[400];
    size_t n;
    /* DNS queries, one whose ID and flags read as version 0 */
    n = unhex("abcd01000001000000000000076578616d706c6503636f6d0000010001", d, sizeof d);
    CHECK(!pa_quic_is_quic(d, n));
    n = unhex("c30000000001000000000000076578616d706c6503636f6d0000010001", d, sizeof d);
    CHECK(!pa_quic_is_quic(d, n));
    /* a DTLS 1.2 ClientHello record */
    n = unhex("16fefd000000000000000000360100002a000000000000002afefd0000000000000000000000000000000000000000000000"
              "0000000000000000000000000002c02b0100",
              d, sizeof d);
    CHECK(!pa_quic_is_quic(d, n));
    /* a STUN binding request */
    n = unhex("000100002112a442b7e7a701bc34d686fa87dfae", d, sizeof d);
    CHECK(!pa_quic_is_quic(d, n));
    /* RTP (PCMU, sequence 0, timestamp 0: its bytes 1-4 read as version 0) */
    memset(d, 0xff, 172);
    memcpy(d, "\x80\x00\x00\x00\x00\x00\x00\x00\x12\x34\x56\x78", 12);
    CHECK(!pa_quic_is_quic(d, 172));
    d[0] = 0xc0; /* RTP's version 3 bits with a long-header look: still no version */
    CHECK(!pa_quic_is_quic(d, 172));
    /* a WireGuard handshake initiation (148 bytes, type 1) */
    memset(d, 0xa5, 148);
    memcpy(d, "\x01\x00\x00\x00", 4);
    CHECK(!pa_quic_is_quic(d, 148));
    /* OpenVPN P_CONTROL_HARD_RESET_CLIENT_V2 */
    n = unhex("38a1b2c3d4e5f60718000000000000000000", d, sizeof d);
    CHECK(!pa_quic_is_quic(d, n));
    /* a DNSCrypt query: an 8-byte client magic, then keys and nonce */
    memset(d, 0x3c, 256);
    memcpy(d, "\xf1\x00\x00\x00\x01\x08\x11\x22", 8);
    CHECK(!pa_quic_is_quic(d, 256));
    /* the same with a version tshark knows: the lengths do not add up */
    memcpy(d, "\xc0\x00\x00\x00\x01\x08", 6);
    CHECK(!pa_quic_is_quic(d, 256));
    /* an Initial with an unknown (greased) version */
    uint8_t big[1300];
    n = unhex(v1_client_hex, big, sizeof big);
    CHECK(pa_quic_is_quic(big, n));
    memcpy(big + 1, "\x1a\x2a\x3a\x4a", 4);
    CHECK(!pa_quic_is_quic(big, n));
    CHECK(!pa_quic_is_quic(NULL, 0) && !pa_quic_is_quic(big, 4));
}

int main(void) {
    test_vectors();
    test_hellos();
    test_headers();
    test_strict();
    printf("%d checks, %d failures\n", check_count, check_failures);
    return check_failures != 0;
}
