/* STUN/TURN and DTLS: messages built with pktgen's writer through the
 * parsers (XOR addresses, error codes, ICE and TURN attributes, ChannelData,
 * DTLS records and handshake headers, hellos with SNI and use_srtp), the
 * trackers (transactions, allocations, ICE pairs; fragments reassembled out
 * of order, certificates, alerts, handshake time), and hostile input
 * (attribute lengths past the end, fragments beyond the message or the caps,
 * overlapping fragments that disagree). The comparison with tshark on real
 * captures is tests/corpus/compare_webrtc.mjs. */
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "check.h"
#include "dtls_track.h"
#include "pktgen.h"
#include "stun_track.h"

/* ---- STUN ------------------------------------------------------------------ */

static const uint8_t ID1[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
static const uint8_t ID2[12] = {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 2};

static void stun_head(pg_pkt *b, uint8_t *buf, size_t cap, uint16_t type, const uint8_t id[12]) {
    pg_pkt_init(b, buf, cap);
    pg_be16(b, type);
    pg_be16(b, 0);
    pg_be32(b, 0x2112A442);
    pg_bytes(b, id, 12);
}

/* the attributes' length into the header */
static size_t stun_end(pg_pkt *b) {
    size_t n = b->len - 20;
    b->buf[2] = (uint8_t)(n >> 8);
    b->buf[3] = (uint8_t)n;
    return b->len;
}

static void att(pg_pkt *b, uint16_t t, const void *v, uint16_t n) {
    pg_be16(b, t);
    pg_be16(b, n);
    pg_bytes(b, v, n);
    pg_fill(b, 0, (4 - (n & 3)) & 3);
}

static void att32(pg_pkt *b, uint16_t t, uint32_t v) {
    uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    att(b, t, x, 4);
}

/* an XOR address as RFC 8489 14.2 writes it: port ^ 0x2112, address ^ cookie */
static void xaddr(pg_pkt *b, uint16_t t, const uint8_t ip[4], uint16_t port) {
    uint16_t xp = port ^ 0x2112;
    uint8_t v[8] = {0,
                    1,
                    (uint8_t)(xp >> 8),
                    (uint8_t)xp,
                    (uint8_t)(ip[0] ^ 0x21),
                    (uint8_t)(ip[1] ^ 0x12),
                    (uint8_t)(ip[2] ^ 0xA4),
                    (uint8_t)(ip[3] ^ 0x42)};
    att(b, t, v, 8);
}

static pa_packet pkt(const uint8_t *src, uint16_t sport, const uint8_t *dst, uint16_t dport, uint64_t frame,
                     int64_t ms) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = PA_P_UDP;
    p.src.family = p.dst.family = 4;
    memcpy(p.src.b, src, 4);
    memcpy(p.dst.b, dst, 4);
    p.sport = sport;
    p.dport = dport;
    p.frame_no = frame;
    p.ts_ns = ms * 1000000;
    return p;
}

static const uint8_t CLIENT[4] = {10, 0, 0, 1}, SERVER[4] = {192, 0, 2, 7}, PEER[4] = {10, 0, 0, 2};

static void test_stun_parse(void) {
    uint8_t buf[512];
    pg_pkt b;
    static const uint8_t mapped[4] = {203, 0, 113, 9};
    /* a Binding success with XOR-MAPPED-ADDRESS and SOFTWARE */
    stun_head(&b, buf, sizeof buf, 0x0101, ID1);
    xaddr(&b, 0x0020, mapped, 40000);
    att(&b, 0x8022, "test stun 1.0", 13);
    size_t n = stun_end(&b);
    pa_stun_msg m;
    size_t used = 0;
    CHECK(pa_stun_is_message(buf, n, true));
    CHECK(pa_stun_parse(buf, n, true, &m, &used) == PA_STUN_OK && used == n);
    CHECK(m.method == PA_STUN_BINDING && m.cls == PA_STUN_SUCCESS && m.type == 0x0101);
    CHECK(m.naddrs == 1 && m.addrs[0].xored && m.addrs[0].port == 40000 && !memcmp(m.addrs[0].addr, mapped, 4));
    CHECK(m.has_software);
    CHECK_STR(m.software, "test stun 1.0");
    /* an error response: class 4 number 1, its reason */
    stun_head(&b, buf, sizeof buf, 0x0113, ID1);
    uint8_t err[4 + 12] = {0, 0, 4, 1};
    memcpy(err + 4, "Unauthorized", 12);
    att(&b, 0x0009, err, sizeof err);
    att(&b, 0x0014, "example.org", 11);
    n = stun_end(&b);
    CHECK(pa_stun_parse(buf, n, true, &m, NULL) == PA_STUN_OK);
    CHECK(m.method == PA_STUN_ALLOCATE && m.cls == PA_STUN_ERROR && m.has_error && m.error_code == 401);
    CHECK_STR(m.reason, "Unauthorized");
    CHECK_STR(m.realm, "example.org");
    /* an ICE check: PRIORITY, USE-CANDIDATE, ICE-CONTROLLING, USERNAME */
    stun_head(&b, buf, sizeof buf, 0x0001, ID2);
    att(&b, 0x0006, "abcd:efgh", 9);
    att32(&b, 0x0024, 0x6e7f00ff);
    att(&b, 0x0025, "", 0);
    att(&b, 0x802A, "\1\2\3\4\5\6\7\10", 8);
    att(&b, 0x0008, "01234567890123456789", 20);
    att32(&b, 0x8028, 0xdeadbeef);
    n = stun_end(&b);
    CHECK(pa_stun_parse(buf, n, true, &m, NULL) == PA_STUN_OK);
    CHECK(m.has_priority && m.priority == 0x6e7f00ff && m.use_candidate && m.ice_controlling && !m.ice_controlled);
    CHECK(m.has_integrity && m.has_fingerprint && m.natts == 6);
    CHECK_STR(m.username, "abcd:efgh");
    CHECK(m.has_fingerprint && m.fingerprint == 0xdeadbeef && !m.fingerprint_ok);
    /* RFC 5769 2.1's sample request: its FINGERPRINT is right */
    static const uint8_t rfc5769[] = {
        0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87,
        0xdf, 0xae, 0x80, 0x22, 0x00, 0x10, 'S',  'T',  'U',  'N',  ' ',  't',  'e',  's',  't',  ' ',  'c',  'l',
        'i',  'e',  'n',  't',  0x00, 0x24, 0x00, 0x04, 0x6e, 0x00, 0x01, 0xff, 0x80, 0x29, 0x00, 0x08, 0x93, 0x2f,
        0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36, 0x00, 0x06, 0x00, 0x09, 'e',  'v',  't',  'j',  ':',  'h',  '6',  'v',
        'Y',  0x20, 0x20, 0x20, 0x00, 0x08, 0x00, 0x14, 0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e,
        0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49, 0xc1, 0xb5, 0x71, 0xa2, 0x80, 0x28, 0x00, 0x04, 0xe5, 0x7a, 0x3b, 0xcf};
    pa_stun_msg v;
    CHECK(pa_stun_parse(rfc5769, sizeof rfc5769, true, &v, NULL) == PA_STUN_OK);
    CHECK(v.has_fingerprint && v.fingerprint_ok && v.fingerprint_want == 0xe57a3bcf && v.priority == 0x6e0001ff);
    CHECK_STR(v.username, "evtj:h6vY"); /* its padding is spaces, not part of the name */
    /* hostile: every cut of the message is refused over UDP; an attribute
     * whose length runs past the end is a truncated message */
    for (size_t k = 0; k < n; k++) CHECK(pa_stun_parse(buf, k, true, &m, NULL) != PA_STUN_OK);
    CHECK(!pa_stun_is_message(buf, n - 4, true));
    buf[20 + 2] = 0x40; /* USERNAME's length: 0x4009 */
    CHECK(pa_stun_parse(buf, n, true, &m, NULL) == PA_STUN_TRUNC && !m.has_username);
    CHECK(!pa_stun_is_message(buf, n, true));
    /* more attributes than the walk reads */
    static uint8_t many[1024];
    stun_head(&b, many, sizeof many, 0x0001, ID2);
    for (int i = 0; i < PA_STUN_MAX_ATTRS + 1; i++) att(&b, 0x8000, "", 0);
    n = stun_end(&b);
    CHECK(n == 20 + 4 * (PA_STUN_MAX_ATTRS + 1) && pa_stun_is_message(many, n, true) == false);
    CHECK(pa_stun_parse(many, n, true, &m, NULL) == PA_STUN_TRUNC && m.natts == PA_STUN_MAX_ATTRS);
    /* ChannelData: padding up to 3 bytes after it, not more; a length past the end */
    uint8_t cd[12] = {0x40, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0};
    uint16_t ch, len;
    CHECK(pa_stun_channel_data(cd, 12, true, &ch, &len) && ch == 0x4001 && len == 5);
    CHECK(!pa_stun_channel_data(cd, 4, true, &ch, &len));
    cd[3] = 4;
    CHECK(!pa_stun_channel_data(cd, 12, true, &ch, &len));
    /* classic STUN: no cookie, a 16-byte id, only known types */
    uint8_t cl[20 + 12] = {0x00, 0x01, 0x00, 12};
    cl[20] = 0x00, cl[21] = 0x01, cl[22] = 0, cl[23] = 8, cl[25] = 1, cl[26] = 0x0d, cl[27] = 0x96, cl[28] = 10;
    CHECK(pa_stun_parse_classic(cl, sizeof cl, &m) == PA_STUN_OK && m.classic && m.naddrs == 1);
    CHECK(m.addrs[0].port == 3478 && m.addrs[0].addr[0] == 10 && !m.addrs[0].xored);
    CHECK(pa_stun_classic_strict(cl, sizeof cl));
    cl[23] = 6; /* an attribute length that is no multiple of 4 */
    CHECK(!pa_stun_classic_strict(cl, sizeof cl));
    cl[23] = 8;
    cl[1] = 0x05;
    CHECK(pa_stun_parse_classic(cl, sizeof cl, &m) == PA_STUN_NOT);
}

/* one message of the test's exchange through the tracker */
static void feed(pa_stun_stats *st, const uint8_t *buf, size_t n, pa_packet p) {
    pa_stun_msg m;
    CHECK(pa_stun_parse(buf, n, true, &m, NULL) == PA_STUN_OK);
    pa_stun_message(st, &p, 0, &m);
}

static void test_stun_track(void) {
    pa_stun_stats st;
    memset(&st, 0, sizeof st);
    CHECK(pa_stun_stats_init(&st) == 0);
    uint8_t buf[256];
    pg_pkt b;
    static const uint8_t relayed[4] = {192, 0, 2, 7}, mapped[4] = {198, 51, 100, 1};
    /* Allocate, 401 challenge, Allocate again, success 25 ms later */
    stun_head(&b, buf, sizeof buf, 0x0003, ID1);
    att32(&b, 0x0019, 17u << 24);
    feed(&st, buf, stun_end(&b), pkt(CLIENT, 5000, SERVER, 3478, 1, 0));
    stun_head(&b, buf, sizeof buf, 0x0113, ID1);
    att(&b, 0x0009, "\0\0\4\1", 4);
    feed(&st, buf, stun_end(&b), pkt(SERVER, 3478, CLIENT, 5000, 2, 10));
    stun_head(&b, buf, sizeof buf, 0x0003, ID2);
    att32(&b, 0x0019, 17u << 24);
    feed(&st, buf, stun_end(&b), pkt(CLIENT, 5000, SERVER, 3478, 3, 20));
    feed(&st, buf, stun_end(&b), pkt(CLIENT, 5000, SERVER, 3478, 4, 30)); /* retransmission */
    stun_head(&b, buf, sizeof buf, 0x0103, ID2);
    xaddr(&b, 0x0016, relayed, 50000);
    xaddr(&b, 0x0020, mapped, 5000);
    att32(&b, 0x000D, 600);
    feed(&st, buf, stun_end(&b), pkt(SERVER, 3478, CLIENT, 5000, 5, 45));
    /* Refresh with LIFETIME 0, answered: released */
    static const uint8_t ID3[12] = {3};
    stun_head(&b, buf, sizeof buf, 0x0004, ID3);
    att32(&b, 0x000D, 0);
    feed(&st, buf, stun_end(&b), pkt(CLIENT, 5000, SERVER, 3478, 6, 100));
    stun_head(&b, buf, sizeof buf, 0x0104, ID3);
    att32(&b, 0x000D, 0);
    feed(&st, buf, stun_end(&b), pkt(SERVER, 3478, CLIENT, 5000, 7, 104));
    /* an ICE check with USE-CANDIDATE answered, one never answered */
    static const uint8_t ID4[12] = {4}, ID5[12] = {5};
    stun_head(&b, buf, sizeof buf, 0x0001, ID4);
    att32(&b, 0x0024, 1000);
    att(&b, 0x0025, "", 0);
    feed(&st, buf, stun_end(&b), pkt(CLIENT, 6000, PEER, 7000, 8, 200));
    stun_head(&b, buf, sizeof buf, 0x0101, ID4);
    xaddr(&b, 0x0020, mapped, 6000);
    feed(&st, buf, stun_end(&b), pkt(PEER, 7000, CLIENT, 6000, 9, 203));
    stun_head(&b, buf, sizeof buf, 0x0001, ID5);
    att32(&b, 0x0024, 1000);
    feed(&st, buf, stun_end(&b), pkt(PEER, 7000, CLIENT, 6000, 10, 210));
    pa_stun_finish(&st);
    CHECK(st.messages == 10 && st.by_class[PA_STUN_REQUEST] == 6 && st.by_class[PA_STUN_ERROR] == 1);
    CHECK(st.error_codes[401] == 1 && st.retransmissions == 1 && st.unanswered == 1 && st.orphan_responses == 0);
    CHECK(st.rt_count == 4 && st.rt_min_ms == 3.0 && st.rt_max_ms == 25.0);
    CHECK(st.allocs.count == 1 && st.pairs.count == 2);
    const pa_stun_alloc *a = pa_htab_rec(&st.allocs, 0);
    CHECK(a->allocate_requests == 2 && a->challenges == 1 && a->allocated && a->success_frame == 5);
    CHECK(a->released && a->lifetime == 0 && a->relayed.port == 50000 && !memcmp(a->relayed.addr, relayed, 4));
    CHECK(a->mapped.port == 5000 && !memcmp(a->mapped.addr, mapped, 4));
    const pa_stun_pair *pr = pa_htab_rec(&st.pairs, 0);
    CHECK(pr->checks == 1 && pr->successes == 1 && pr->nominated && pr->nominated_frame == 8 && pr->rtt_ns == 3000000);
    pr = pa_htab_rec(&st.pairs, 1);
    CHECK(pr->checks == 1 && pr->successes == 0 && !pr->nominated && pr->rtt_ns == -1);
    /* a response to nothing */
    static const uint8_t ID6[12] = {6};
    stun_head(&b, buf, sizeof buf, 0x0101, ID6);
    feed(&st, buf, stun_end(&b), pkt(SERVER, 3478, CLIENT, 5000, 11, 300));
    CHECK(st.orphan_responses == 1);
    pa_stun_stats_free(&st);
}

/* ---- DTLS ------------------------------------------------------------------ */

static void record(pg_pkt *b, uint8_t type, uint16_t epoch, uint64_t seq, const uint8_t *body, size_t n) {
    pg_u8(b, type);
    pg_be16(b, 0xfefd);
    pg_be16(b, epoch);
    pg_be16(b, (uint16_t)(seq >> 32));
    pg_be32(b, (uint32_t)seq);
    pg_be16(b, (uint16_t)n);
    pg_bytes(b, body, n);
}

/* a handshake record holding bytes [off, off + len) of message msg */
static void fragment(pg_pkt *b, uint8_t type, uint16_t mseq, const uint8_t *msg, size_t total, size_t off, size_t len) {
    uint8_t r[4096];
    pg_pkt h;
    pg_pkt_init(&h, r, sizeof r);
    pg_u8(&h, type);
    pg_u8(&h, (uint8_t)(total >> 16));
    pg_be16(&h, (uint16_t)total);
    pg_be16(&h, mseq);
    pg_u8(&h, (uint8_t)(off >> 16));
    pg_be16(&h, (uint16_t)off);
    pg_u8(&h, (uint8_t)(len >> 16));
    pg_be16(&h, (uint16_t)len);
    pg_bytes(&h, msg + off, len);
    record(b, 22, 0, mseq, r, h.len);
}

static size_t client_hello(uint8_t *buf, size_t cap) {
    pg_pkt b;
    pg_pkt_init(&b, buf, cap);
    pg_be16(&b, 0xfefd);
    pg_fill(&b, 0x11, 32);
    pg_u8(&b, 0); /* session id */
    pg_u8(&b, 4); /* cookie */
    pg_be32(&b, 0xc0c0c0c0);
    static const uint16_t suites[] = {0xc02b, 0xc02f, 0x00ff};
    pg_u16_list(&b, 2, suites, 3);
    pg_u8(&b, 1);
    pg_u8(&b, 0);
    size_t exts, e;
    pg_len_begin(&b, 2, &exts);
    e = pg_tls_ext_begin(&b, 0);
    size_t list;
    pg_len_begin(&b, 2, &list);
    pg_u8(&b, 0);
    pg_be16(&b, 11);
    pg_bytes(&b, "webrtc.test", 11);
    pg_len_end(&b, list, 2);
    pg_len_end(&b, e, 2);
    e = pg_tls_ext_begin(&b, 14);
    static const uint16_t profiles[] = {0x0007, 0x0001};
    pg_u16_list(&b, 2, profiles, 2);
    pg_u8(&b, 0);
    pg_len_end(&b, e, 2);
    pg_len_end(&b, exts, 2);
    return b.len;
}

static size_t make_cert(uint8_t *out, size_t cap) {
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 30);
    X509_set_pubkey(x, k);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC, (const unsigned char *)"webrtc peer", -1,
                               -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(x));
    X509_sign(x, k, EVP_sha256());
    int n = i2d_X509(x, NULL);
    size_t r = 0;
    if (n > 0 && (size_t)n <= cap) {
        uint8_t *p = out;
        r = (size_t)i2d_X509(x, &p);
    }
    X509_free(x);
    EVP_PKEY_free(k);
    return r;
}

static void datagram(pa_dtls_stats *st, pg_pkt *b, pa_packet p, pa_dtls_frame *fr) {
    if (fr) memset(fr, 0, sizeof *fr);
    pa_dtls_datagram(st, &p, 1, b->buf, b->len, false, fr);
}

static void test_dtls(void) {
    pa_dtls_stats st;
    memset(&st, 0, sizeof st);
    CHECK(pa_dtls_stats_init(&st) == 0);
    static uint8_t ch[512], dg[8192], cert[1024], msg[2048];
    size_t chn = client_hello(ch, sizeof ch);
    pa_dtls_frame *fr = malloc(sizeof *fr);
    pg_pkt b;
    /* the ClientHello in three fragments: the last first, then the first,
     * then a middle one that overlaps both with the same bytes */
    pg_pkt_init(&b, dg, sizeof dg);
    fragment(&b, 1, 0, ch, chn, 40, chn - 40);
    datagram(&st, &b, pkt(CLIENT, 5000, PEER, 6000, 1, 0), fr);
    CHECK(fr->nrec == 1 && fr->rec[0].type == 22 && fr->nhs == 1 && fr->hs[0].frag_off == 40 && !fr->has_sni);
    CHECK(pa_dtls_records(dg, b.len, NULL, 0) == 1 && pa_dtls_is_records(dg, b.len));
    CHECK(!pa_dtls_is_records(dg, b.len - 1));
    pg_pkt_init(&b, dg, sizeof dg);
    fragment(&b, 1, 0, ch, chn, 0, 30);
    fragment(&b, 1, 0, ch, chn, 20, 30);
    datagram(&st, &b, pkt(CLIENT, 5000, PEER, 6000, 2, 1), fr);
    CHECK(fr->nrec == 2 && fr->nhs == 2 && fr->has_sni && fr->nhello == 1 && fr->hello_version[0] == 0xfefd);
    CHECK_STR(fr->sni, "webrtc.test");
    CHECK(fr->ncipher == 3 && fr->cipher[0] == 0xc02b && fr->srtp.n == 2 && fr->srtp.profile[0] == 7);
    CHECK(st.client_hellos == 1 && st.reassembled == 1 && st.fragments == 3 && st.overlaps_conflicting == 0);
    /* the server: ServerHello whole, its Certificate in two fragments */
    uint8_t sh[64];
    pg_pkt s;
    pg_pkt_init(&s, sh, sizeof sh);
    pg_be16(&s, 0xfefd);
    pg_fill(&s, 0x22, 32);
    pg_u8(&s, 0);
    pg_be16(&s, 0xc02b);
    pg_u8(&s, 0);
    size_t ext;
    pg_len_begin(&s, 2, &ext);
    size_t e = pg_tls_ext_begin(&s, 14);
    static const uint16_t chosen[] = {0x0007};
    pg_u16_list(&s, 2, chosen, 1);
    pg_u8(&s, 0);
    pg_len_end(&s, e, 2);
    pg_len_end(&s, ext, 2);
    size_t dn = make_cert(cert, sizeof cert);
    CHECK(dn > 100);
    pg_pkt c;
    pg_pkt_init(&c, msg, sizeof msg);
    pg_u8(&c, (uint8_t)((dn + 3) >> 16));
    pg_be16(&c, (uint16_t)(dn + 3));
    pg_u8(&c, (uint8_t)(dn >> 16));
    pg_be16(&c, (uint16_t)dn);
    pg_bytes(&c, cert, dn);
    pg_pkt_init(&b, dg, sizeof dg);
    fragment(&b, 2, 0, sh, s.len, 0, s.len);
    fragment(&b, 11, 1, msg, c.len, 0, 100);
    datagram(&st, &b, pkt(PEER, 6000, CLIENT, 5000, 3, 5), fr);
    CHECK(fr->nhs == 2 && fr->hs[1].type == 11 && fr->nhello == 1 && fr->srtp.n == 1);
    /* the rest, with one byte of the first fragment sent again differently */
    msg[99] ^= 0xff;
    pg_pkt_init(&b, dg, sizeof dg);
    fragment(&b, 11, 1, msg, c.len, 99, c.len - 99);
    msg[99] ^= 0xff;
    datagram(&st, &b, pkt(PEER, 6000, CLIENT, 5000, 4, 6), fr);
    CHECK(st.overlaps_conflicting == 1 && st.certificates == 1 && st.reasm_bytes == 0);
    /* both sides turn to epoch 1: 29 ms after the ClientHello completed */
    uint8_t fin[40] = {0};
    pg_pkt_init(&b, dg, sizeof dg);
    record(&b, 20, 0, 2, (const uint8_t *)"\1", 1);
    record(&b, 22, 1, 0, fin, sizeof fin);
    datagram(&st, &b, pkt(CLIENT, 5000, PEER, 6000, 5, 20), fr);
    CHECK(fr->nrec == 2 && fr->rec[1].epoch == 1 && fr->nhs == 0);
    datagram(&st, &b, pkt(PEER, 6000, CLIENT, 5000, 6, 30), NULL);
    CHECK(st.hs_count == 1 && st.hs_min_ms == 29.0);
    const pa_dtls_assoc *a = pa_htab_rec(&st.assocs, 0);
    CHECK(a->ch_frame == 2 && a->sh_frame == 3 && a->done_frame == 6 && a->cipher == 0xc02b);
    CHECK(a->srtp_chosen == 7 && a->nsrtp_offered == 2 && a->server_cert && a->cert_self_signed);
    CHECK_STR(a->sni, "webrtc.test");
    CHECK_CONTAINS(a->cert_subject, "CN=webrtc peer");
    /* hostile: a fragment past its message, a message longer than the cap,
     * a fragment whose message length disagrees with the first one's */
    uint8_t bad[32] = {1, 0, 0, 10, 0, 0, 0, 0, 8, 0, 0, 4, 1, 2, 3, 4};
    pa_dtls_hs hs[2];
    bool isbad;
    CHECK(pa_dtls_handshakes(bad, 16, hs, 2, &isbad) == 0 && isbad);
    bad[3] = 12;
    CHECK(pa_dtls_handshakes(bad, 16, hs, 2, &isbad) == 1 && !isbad);
    CHECK(pa_dtls_handshakes(bad, 15, hs, 2, &isbad) == 0 && isbad);
    uint64_t over = st.oversized;
    pg_pkt_init(&b, dg, sizeof dg);
    uint8_t big[12] = {11, 0x01, 0x00, 0x01, 0, 3, 0, 0, 0, 0, 0, 0};
    record(&b, 22, 0, 9, big, sizeof big);
    datagram(&st, &b, pkt(PEER, 6000, CLIENT, 5000, 7, 40), fr);
    CHECK(st.oversized == over + 1 && st.reasm_bytes == 0);
    pg_pkt_init(&b, dg, sizeof dg);
    fragment(&b, 11, 4, msg, 300, 0, 100);
    fragment(&b, 11, 4, msg, 400, 100, 100);
    datagram(&st, &b, pkt(PEER, 6000, CLIENT, 5000, 8, 41), fr);
    CHECK(st.fragments_inconsistent == 1 && st.reasm_bytes == 300);
    /* an alert in clear, one encrypted */
    pg_pkt_init(&b, dg, sizeof dg);
    record(&b, 21, 0, 10, (const uint8_t *)"\2\50", 2);
    record(&b, 21, 1, 3, fin, 26);
    datagram(&st, &b, pkt(PEER, 6000, CLIENT, 5000, 9, 50), fr);
    CHECK(fr->nalert == 1 && fr->alert[0][0] == 2 && fr->alert[0][1] == 40);
    CHECK(st.alerts == 2 && st.alerts_encrypted == 1 && st.alert_count[2][40] == 1);
    /* records that do not tile the datagram */
    size_t before = (size_t)st.malformed;
    pg_pkt_init(&b, dg, sizeof dg);
    record(&b, 23, 1, 4, fin, 10);
    b.buf[12] = 11;
    datagram(&st, &b, pkt(PEER, 6000, CLIENT, 5000, 10, 60), fr);
    CHECK(st.malformed == before + 1);
    pa_dtls_finish(&st);
    CHECK(st.outcome[PA_DTLS_OUT_COMPLETED] == 1 && st.reasm_bytes == 0);
    pa_dtls_stats_free(&st);
    free(fr);
}

int main(void) {
    test_stun_parse();
    test_stun_track();
    test_dtls();
    return check_done("test_webrtc");
}
