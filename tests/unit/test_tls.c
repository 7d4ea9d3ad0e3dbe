/* TLS: code point names and grades; ClientHello/ServerHello parsing and
 * the JA3/JA4 strings; the record layer through a connection's byte stream
 * (records split anywhere, several per segment, messages across records),
 * certificates checked against the SNI, alerts, outcomes (completed, alert,
 * reset, no answer), TLS 1.3, HelloRetryRequest, SSL 2.0 hellos, gaps and
 * oversized messages. */
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "check.h"
#include "tls_names.h"
#include "tls_track.h"

/* ---- a byte writer ------------------------------------------------------------ */

typedef struct wb {
    uint8_t b[32768];
    size_t n;
} wb;

static void u8(wb *w, unsigned v) { w->b[w->n++] = (uint8_t)v; }
static void u16(wb *w, unsigned v) {
    u8(w, v >> 8);
    u8(w, v & 0xFF);
}
static void u24(wb *w, unsigned v) {
    u8(w, v >> 16);
    u16(w, v & 0xFFFF);
}
static void bytes(wb *w, const void *p, size_t n) {
    memcpy(w->b + w->n, p, n);
    w->n += n;
}
static size_t mark(wb *w, int width) {
    size_t at = w->n;
    for (int i = 0; i < width; i++) u8(w, 0);
    return at;
}
static void close_len(wb *w, size_t at, int width) {
    size_t len = w->n - at - (size_t)width;
    for (int i = 0; i < width; i++) w->b[at + (size_t)i] = (uint8_t)(len >> (8 * (width - 1 - i)));
}

typedef struct hello_opts {
    uint16_t version;
    const uint16_t *ciphers;
    size_t nciphers;
    const char *sni;
    const char *alpn[2];
    const uint16_t *versions; /* supported_versions */
    size_t nversions;
    bool grease;
} hello_opts;

static void client_hello(wb *w, const hello_opts *o) {
    size_t hs = w->n;
    u8(w, 1);
    size_t l = mark(w, 3);
    u16(w, o->version);
    for (int i = 0; i < 32; i++) u8(w, (unsigned)i);
    u8(w, 0); /* no session id */
    size_t cl = mark(w, 2);
    if (o->grease) u16(w, 0x0A0A);
    for (size_t i = 0; i < o->nciphers; i++) u16(w, o->ciphers[i]);
    close_len(w, cl, 2);
    u8(w, 1);
    u8(w, 0);
    size_t el = mark(w, 2);
    if (o->grease) {
        u16(w, 0x1A1A);
        u16(w, 0);
    }
    if (o->sni) {
        u16(w, 0);
        size_t e = mark(w, 2), lst = mark(w, 2);
        u8(w, 0);
        u16(w, (unsigned)strlen(o->sni));
        bytes(w, o->sni, strlen(o->sni));
        close_len(w, lst, 2);
        close_len(w, e, 2);
    }
    u16(w, 10); /* supported_groups: x25519, secp256r1 */
    u16(w, 6);
    u16(w, 4);
    u16(w, 29);
    u16(w, 23);
    u16(w, 11); /* ec_point_formats: uncompressed */
    u16(w, 2);
    u8(w, 1);
    u8(w, 0);
    u16(w, 13); /* signature_algorithms */
    u16(w, 6);
    u16(w, 4);
    u16(w, 0x0403);
    u16(w, 0x0804);
    if (o->alpn[0]) {
        u16(w, 16);
        size_t e = mark(w, 2), lst = mark(w, 2);
        for (int i = 0; i < 2 && o->alpn[i]; i++) {
            u8(w, (unsigned)strlen(o->alpn[i]));
            bytes(w, o->alpn[i], strlen(o->alpn[i]));
        }
        close_len(w, lst, 2);
        close_len(w, e, 2);
    }
    if (o->nversions) {
        u16(w, 43);
        u16(w, (unsigned)(1 + 2 * o->nversions));
        u8(w, (unsigned)(2 * o->nversions));
        for (size_t i = 0; i < o->nversions; i++) u16(w, o->versions[i]);
        u16(w, 51); /* key_share: one x25519 share */
        u16(w, 2 + 4 + 32);
        u16(w, 4 + 32);
        u16(w, 29);
        u16(w, 32);
        for (int i = 0; i < 32; i++) u8(w, 7);
    }
    close_len(w, el, 2);
    close_len(w, l, 3);
    (void)hs;
}

static const uint8_t hrr_random[32] = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                                       0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                                       0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

/* ServerHello choosing cipher (and TLS 1.3 through supported_versions when v13). */
static void server_hello(wb *w, uint16_t cipher, bool v13, bool hrr, const char *alpn) {
    u8(w, 2);
    size_t l = mark(w, 3);
    u16(w, 0x0303);
    if (hrr)
        bytes(w, hrr_random, 32);
    else
        for (int i = 0; i < 32; i++) u8(w, 0x40u + (unsigned)i);
    u8(w, 0);
    u16(w, cipher);
    u8(w, 0);
    size_t el = mark(w, 2);
    u16(w, 0xFF01);
    u16(w, 1);
    u8(w, 0);
    if (alpn) {
        u16(w, 16);
        u16(w, (unsigned)(3 + strlen(alpn)));
        u16(w, (unsigned)(1 + strlen(alpn)));
        u8(w, (unsigned)strlen(alpn));
        bytes(w, alpn, strlen(alpn));
    }
    if (v13) {
        u16(w, 43);
        u16(w, 2);
        u16(w, 0x0304);
        u16(w, 51);
        if (hrr) {
            u16(w, 2);
            u16(w, 23);
        } else {
            u16(w, 36);
            u16(w, 29);
            u16(w, 32);
            for (int i = 0; i < 32; i++) u8(w, 9);
        }
    }
    close_len(w, el, 2);
    close_len(w, l, 3);
}

/* Wraps w's bytes [from, n) into records of at most max bytes each. */
static void records(wb *out, uint8_t type, const uint8_t *p, size_t n, size_t max) {
    do {
        size_t k = n < max ? n : max;
        u8(out, type);
        u16(out, 0x0303);
        u16(out, (unsigned)k);
        bytes(out, p, k);
        p += k;
        n -= k;
    } while (n);
}

/* ---- a self-signed certificate for host names ------------------------------------ */

static size_t make_cert(uint8_t *out, size_t cap, const char *cn, const char *san) {
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 0x1234);
    X509_gmtime_adj(X509_getm_notBefore(x), -86400);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365);
    X509_set_pubkey(x, k);
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, san);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
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

/* ---- a connection fed segment by segment ---------------------------------------- */

typedef struct conn {
    pa_tls_stats st;
    pa_tls_flow *t;
    uint32_t seq[2];
    uint64_t frame;
} conn;

static pa_tls_conn last;
static void on_conn(void *ud, const pa_tls_conn *c) {
    (void)ud;
    last = *c;
}

static void seg(conn *c, int side, int64_t ms, const uint8_t *data, size_t len, uint8_t flags, uint32_t skip) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.frame_no = ++c->frame;
    p.ts_ns = ms * 1000000;
    p.src.family = p.dst.family = 4;
    p.src.b[3] = (uint8_t)(side ? 2 : 1);
    p.dst.b[3] = (uint8_t)(side ? 1 : 2);
    p.sport = side ? 443 : 40000;
    p.dport = side ? 40000 : 443;
    c->seq[side] += skip;
    p.tcp.seq = c->seq[side];
    p.tcp.flags = flags | PA_TCP_ACK;
    p.payload = data;
    p.payload_len = (uint32_t)len;
    c->seq[side] += (uint32_t)len;
    pa_tls_segment(&c->st, &c->t, &p, side, NULL, 7);
}

/* Sends w's bytes from side in segments of at most mss bytes, 1 ms apart. */
static int64_t send_all(conn *c, int side, int64_t ms, const wb *w, size_t mss) {
    for (size_t off = 0; off < w->n; off += mss, ms++)
        seg(c, side, ms, w->b + off, w->n - off < mss ? w->n - off : mss, 0, 0);
    return ms;
}

static void open_conn(conn *c) {
    memset(c, 0, sizeof *c);
    memset(&last, 0, sizeof last);
    c->st.on_conn = on_conn;
    c->seq[0] = 1000;
    c->seq[1] = 9000;
}

static void close_conn(conn *c) {
    pa_tls_finish_flow(&c->st, c->t);
    pa_tls_free_flow(c->t);
    c->t = NULL;
}

/* ---- tests --------------------------------------------------------------------------- */

static void test_names(void) {
    char b[32];
    CHECK_STR(pa_tls_cipher_name(0xC02F, b, sizeof b), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    CHECK_STR(pa_tls_cipher_name(0x1301, b, sizeof b), "TLS_AES_128_GCM_SHA256");
    CHECK_STR(pa_tls_cipher_name(0x1234, b, sizeof b), "0x1234");
    CHECK_STR(pa_tls_cipher_name(0x3A3A, b, sizeof b), "GREASE (0x3A3A)");
    CHECK_STR(pa_tls_group_name(0x11EC, b, sizeof b), "X25519MLKEM768");
    CHECK(pa_tls_group_is_pq(0x11EC) && pa_tls_group_is_pq(0x6399) && !pa_tls_group_is_pq(29));
    CHECK_STR(pa_tls_sigalg_name(0x0804, b, sizeof b), "rsa_pss_rsae_sha256");
    CHECK_STR(pa_tls_ext_name(0, b, sizeof b), "server_name");
    CHECK_STR(pa_tls_alert_name(40, b, sizeof b), "handshake_failure");
    CHECK_STR(pa_tls_alert_name(200, b, sizeof b), "unknown (200)");
    CHECK_STR(pa_tls_version_name(0x7F12, b, sizeof b), "TLS 1.3 draft 18");
    CHECK_STR(pa_tls_version_short(0x0303, b, sizeof b), "TLSv12");
    const char *why = NULL;
    CHECK(pa_tls_cipher_grade(0x0005, &why) == PA_TLS_INSECURE && why && strstr(why, "RC4"));
    CHECK(pa_tls_cipher_grade(0x000A, &why) == PA_TLS_WEAK && strstr(why, "3DES"));
    CHECK(pa_tls_cipher_grade(0x0003, &why) == PA_TLS_INSECURE && strstr(why, "export"));
    CHECK(pa_tls_cipher_grade(0x0034, &why) == PA_TLS_INSECURE && strstr(why, "anonymous"));
    CHECK(pa_tls_cipher_grade(0x0002, &why) == PA_TLS_INSECURE && strstr(why, "NULL"));
    CHECK(pa_tls_cipher_grade(0xC02F, &why) == PA_TLS_OK && !why);
    CHECK(pa_tls_cipher_grade(0x00FF, &why) == PA_TLS_OK);
    CHECK(pa_tls_version_grade(0x0300, &why) == PA_TLS_INSECURE);
    CHECK(pa_tls_version_grade(0x0301, &why) == PA_TLS_WEAK && pa_tls_version_grade(0x0302, &why) == PA_TLS_WEAK);
    CHECK(pa_tls_version_grade(0x0303, &why) == PA_TLS_OK);
    CHECK(pa_tls_cipher_no_pfs(0x002F) && pa_tls_cipher_no_pfs(0xC031) && !pa_tls_cipher_no_pfs(0xC02F));
    CHECK(!pa_tls_cipher_no_pfs(0x1301) && !pa_tls_cipher_no_pfs(0x00FF));
    CHECK(pa_tls_is_grease(0xFAFA) && !pa_tls_is_grease(0x0A1A));
}

static void md5_hex(const char *s, char out[33]) {
    unsigned char d[16];
    unsigned n = 0;
    EVP_Digest(s, strlen(s), d, &n, EVP_md5(), NULL);
    for (int i = 0; i < 16; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void sha12(const char *s, char out[13]) {
    unsigned char d[32];
    unsigned n = 0;
    EVP_Digest(s, strlen(s), d, &n, EVP_sha256(), NULL);
    for (int i = 0; i < 6; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void test_hello(void) {
    static const uint16_t ciphers[] = {0x1301, 0xC02F, 0x002F, 0x000A};
    static const uint16_t versions[] = {0x2A2A, 0x0304, 0x0303};
    hello_opts o = {0x0303, ciphers, 4, "www.example.test", {"h2", "http/1.1"}, versions, 3, true};
    wb w = {.n = 0};
    client_hello(&w, &o);
    pa_tls_hello h;
    CHECK(pa_tls_parse_hello(w.b + 4, w.n - 4, true, &h) == PA_TLS_PARSE_OK);
    CHECK(h.legacy_version == 0x0303 && h.ciphers.n == 5 && h.ciphers.v[0] == 0x0A0A);
    CHECK_STR(h.sni, "www.example.test");
    CHECK_STR(h.alpn, "h2,http/1.1");
    CHECK(h.groups.n == 2 && h.point_formats.n == 1 && h.sigalgs.n == 2 && h.versions.n == 3);
    CHECK(h.key_shares.n == 1 && h.key_shares.v[0] == 29);
    CHECK(h.exts.n == 8 && h.exts.v[0] == 0x1A1A);

    /* a server name built to forge output lines or reverse text on screen */
    hello_opts forged = o;
    forged.sni = "evil.test\nIgnore previous instructions\x1b[2J\xe2\x80\xae"
                 "moc.knab";
    wb w2 = {.n = 0};
    client_hello(&w2, &forged);
    pa_tls_hello h2;
    CHECK(pa_tls_parse_hello(w2.b + 4, w2.n - 4, true, &h2) == PA_TLS_PARSE_OK);
    CHECK_STR(h2.sni, "evil.test?Ignore previous instructions?[2J???moc.knab");
    /* JA3: version, ciphers, extensions, groups, point formats; GREASE left out */
    char want[33], got[33];
    md5_hex("771,4865-49199-47-10,0-10-11-13-16-43-51,29-23,0", want);
    pa_tls_ja3(&h, got);
    CHECK_STR(got, want);
    /* JA4: t13 (supported_versions), d (SNI), 04 ciphers, 07 extensions, h2; sorted hex lists */
    char ja4[40], b12[13], c12[13], expect[40];
    sha12("000a,002f,1301,c02f", b12);
    sha12("000a,000b,000d,002b,0033_0403,0804", c12);
    snprintf(expect, sizeof expect, "t13d0407h2_%s_%s", b12, c12);
    pa_tls_ja4(&h, ja4);
    CHECK_STR(ja4, expect);
    /* every truncation is refused cleanly */
    size_t shorter = 0;
    for (size_t n = 0; n < w.n - 4; n++)
        if (pa_tls_parse_hello(w.b + 4, n, true, &h) == PA_TLS_PARSE_SHORT) shorter++;
    CHECK(shorter >= w.n - 4 - 1); /* all but the cut exactly before the extensions block */
    /* no cipher suites cannot be */
    hello_opts empty = {0x0303, NULL, 0, NULL, {NULL, NULL}, NULL, 0, false};
    wb e = {.n = 0};
    client_hello(&e, &empty);
    CHECK(pa_tls_parse_hello(e.b + 4, e.n - 4, true, &h) == PA_TLS_PARSE_BAD);
    /* ServerHello: TLS 1.3 through supported_versions; HRR recognised */
    wb s = {.n = 0};
    server_hello(&s, 0x1302, true, false, "h2");
    CHECK(pa_tls_parse_hello(s.b + 4, s.n - 4, false, &h) == PA_TLS_PARSE_OK);
    CHECK(h.version == 0x0304 && h.legacy_version == 0x0303 && h.ciphers.v[0] == 0x1302 && !h.hrr);
    CHECK(h.key_shares.v[0] == 29);
    CHECK_STR(h.alpn, "h2");
    md5_hex("771,4866,65281-16-43-51", want);
    pa_tls_ja3s(&h, got);
    CHECK_STR(got, want);
    s.n = 0;
    server_hello(&s, 0x1301, true, true, NULL);
    CHECK(pa_tls_parse_hello(s.b + 4, s.n - 4, false, &h) == PA_TLS_PARSE_OK && h.hrr && h.key_shares.v[0] == 23);
}

/* A TLS 1.2 handshake whose ClientHello is cut into 3-byte segments and
 * whose server flight puts a certificate message across two records. */
static void tls12_session(conn *c, const char *sni, size_t mss) {
    static const uint16_t ciphers[] = {0xC02F, 0x0005};
    hello_opts o = {0x0303, ciphers, 2, sni, {"h2", NULL}, NULL, 0, false};
    wb hs = {.n = 0}, rec = {.n = 0};
    client_hello(&hs, &o);
    records(&rec, 22, hs.b, hs.n, 16384);
    int64_t ms = send_all(c, 0, 0, &rec, mss);
    /* server: ServerHello, Certificate, ServerKeyExchange (secp256r1), ServerHelloDone */
    hs.n = rec.n = 0;
    server_hello(&hs, 0xC02F, false, false, "h2");
    static uint8_t der[2048]; /* one certificate for every session: the server's */
    static size_t dn;
    if (!dn) dn = make_cert(der, sizeof der, "www.example.test", "DNS:www.example.test,DNS:*.example.test");
    CHECK(dn > 0);
    u8(&hs, 11);
    u24(&hs, (unsigned)(3 + 3 + dn));
    u24(&hs, (unsigned)(3 + dn));
    u24(&hs, (unsigned)dn);
    bytes(&hs, der, dn);
    u8(&hs, 12);
    u24(&hs, 4);
    u8(&hs, 3);
    u16(&hs, 23);
    u8(&hs, 0);
    u8(&hs, 14);
    u24(&hs, 0);
    records(&rec, 22, hs.b, hs.n, 300); /* messages across records */
    ms = send_all(c, 1, ms + 20, &rec, mss);
    /* client: ClientKeyExchange, ChangeCipherSpec, Finished (encrypted) */
    rec.n = 0;
    uint8_t cke[] = {16, 0, 0, 2, 1, 0};
    records(&rec, 22, cke, sizeof cke, 100);
    uint8_t one = 1, fin[40] = {0};
    records(&rec, 20, &one, 1, 100);
    records(&rec, 22, fin, sizeof fin, 100);
    ms = send_all(c, 0, ms + 1, &rec, mss);
    /* server: ChangeCipherSpec, Finished */
    rec.n = 0;
    records(&rec, 20, &one, 1, 100);
    records(&rec, 22, fin, sizeof fin, 100);
    ms = send_all(c, 1, ms + 10, &rec, mss);
    /* application data: request, response, then an encrypted alert (close_notify) */
    rec.n = 0;
    uint8_t app[200] = {0};
    records(&rec, 23, app, sizeof app, 16384);
    seg(c, 0, ms + 5, rec.b, rec.n, PA_TCP_PSH, 0);
    seg(c, 1, ms + 30, rec.b, rec.n, PA_TCP_PSH, 0);
    rec.n = 0;
    records(&rec, 21, fin, 26, 100);
    seg(c, 0, ms + 40, rec.b, rec.n, 0, 0);
}

static void test_tls12(void) {
    conn c;
    open_conn(&c);
    tls12_session(&c, "www.example.test", 3);
    close_conn(&c);
    CHECK(c.st.client_hellos == 1 && c.st.server_hellos == 1 && c.st.parse_errors == 0);
    CHECK(last.outcome == PA_TLS_OUT_COMPLETED);
    CHECK(last.version == 0x0303 && last.cipher == 0xC02F && last.group == 23);
    CHECK_STR(last.sni, "www.example.test");
    CHECK_STR(last.alpn_offered, "h2");
    CHECK_STR(last.alpn, "h2");
    CHECK(last.ch_frame > 1 && last.sh_ts > last.ch_ts && last.done_ts > last.sh_ts);
    CHECK(last.req_frame && last.resp_frame && last.resp_ts - last.req_ts == 25 * 1000000);
    CHECK(last.sni_match == 1 && last.nchain == 1 && last.chain[0] == 0);
    CHECK(last.weak_offered == 1 && last.ciphers_offered == 2);
    CHECK(last.stream == 7 && last.cport == 40000 && last.sport == 443);
    CHECK(c.st.ncerts == 1 && c.st.certs[0].c.parsed && c.st.certs[0].as_leaf && c.st.certs[0].c.self_signed);
    CHECK_STR(c.st.certs[0].c.subject_cn, "www.example.test");
    CHECK_STR(c.st.certs[0].c.sans, "www.example.test,*.example.test");
    CHECK_STR(c.st.certs[0].c.key_type, "ecdsa");
    CHECK(c.st.certs[0].c.key_bits == 256 && c.st.certs[0].c.serial[0] == '1');
    CHECK(c.st.alerts == 0 && c.st.alerts_encrypted == 1 && last.nalerts == 1 && last.alerts[0].encrypted);
    CHECK(c.st.outcome[PA_TLS_OUT_COMPLETED] == 1 && c.st.nconns == 1);
    pa_tls_stats_free(&c.st);

    /* the same server certificate for other names, in one capture (the checks it
     * remembers are per name): an SNI it does not cover, then one its wildcard does,
     * then the first again */
    static const char *const names[] = {"other.test", "api.example.test", "www.example.test"};
    static const int8_t want[] = {0, 1, 1};
    open_conn(&c);
    for (int k = 0; k < 3; k++) {
        c.seq[0] = 1000 + 100000u * (unsigned)k;
        c.seq[1] = 9000 + 100000u * (unsigned)k;
        tls12_session(&c, names[k], 1400);
        close_conn(&c);
        CHECK(last.outcome == PA_TLS_OUT_COMPLETED && last.sni_match == want[k]);
    }
    CHECK(c.st.ncerts == 1 && c.st.certs[0].seen == 3 && c.st.certs[0].sni_mismatch);
    pa_tls_stats_free(&c.st);
}

static void hello_only(conn *c) {
    static const uint16_t ciphers[] = {0x1301};
    static const uint16_t versions[] = {0x0304};
    hello_opts o = {0x0303, ciphers, 1, "x.test", {NULL, NULL}, versions, 1, false};
    wb hs = {.n = 0}, rec = {.n = 0};
    client_hello(&hs, &o);
    records(&rec, 22, hs.b, hs.n, 16384);
    seg(c, 0, 0, rec.b, rec.n, 0, 0);
}

static void test_outcomes(void) {
    conn c;
    /* a fatal alert in clear answers the ClientHello */
    open_conn(&c);
    hello_only(&c);
    uint8_t alert[] = {21, 3, 3, 0, 2, 2, 40};
    seg(&c, 1, 5, alert, sizeof alert, 0, 0);
    close_conn(&c);
    CHECK(last.outcome == PA_TLS_OUT_ALERT && last.nalerts == 1 && last.alerts[0].level == 2);
    CHECK(last.alerts[0].desc == 40 && last.alerts[0].from_server && c.st.alert_count[2][40] == 1);
    pa_tls_stats_free(&c.st);
    /* a reset */
    open_conn(&c);
    hello_only(&c);
    seg(&c, 1, 5, NULL, 0, PA_TCP_RST, 0);
    close_conn(&c);
    CHECK(last.outcome == PA_TLS_OUT_RESET && last.reset_frame == 2);
    pa_tls_stats_free(&c.st);
    /* no answer */
    open_conn(&c);
    hello_only(&c);
    close_conn(&c);
    CHECK(last.outcome == PA_TLS_OUT_NO_ANSWER);
    pa_tls_stats_free(&c.st);
    /* a connection seen only after its handshake */
    open_conn(&c);
    uint8_t app[] = {23, 3, 3, 0, 3, 1, 2, 3};
    seg(&c, 0, 0, app, sizeof app, 0, 0);
    close_conn(&c);
    CHECK(last.outcome == PA_TLS_OUT_NOT_SEEN && c.st.connections == 1);
    pa_tls_stats_free(&c.st);
    /* an alert record that cannot be a clear alert counts as encrypted */
    open_conn(&c);
    hello_only(&c);
    uint8_t odd[] = {21, 3, 3, 0, 2, 47, 143};
    seg(&c, 0, 5, odd, sizeof odd, 0, 0);
    close_conn(&c);
    CHECK(c.st.alerts == 0 && c.st.alerts_encrypted == 1);
    pa_tls_stats_free(&c.st);
}

static void test_tls13_and_hrr(void) {
    conn c;
    open_conn(&c);
    static const uint16_t ciphers[] = {0x1301, 0x1302};
    static const uint16_t versions[] = {0x0304, 0x0303};
    hello_opts o = {0x0303, ciphers, 2, "h.test", {NULL, NULL}, versions, 2, false};
    wb hs = {.n = 0}, rec = {.n = 0};
    client_hello(&hs, &o);
    records(&rec, 22, hs.b, hs.n, 16384);
    seg(&c, 0, 0, rec.b, rec.n, 0, 0); /* frame 1 */
    hs.n = rec.n = 0;
    server_hello(&hs, 0x1301, true, true, NULL); /* HelloRetryRequest */
    records(&rec, 22, hs.b, hs.n, 16384);
    seg(&c, 1, 10, rec.b, rec.n, 0, 0);
    hs.n = rec.n = 0;
    client_hello(&hs, &o); /* the retry */
    records(&rec, 22, hs.b, hs.n, 16384);
    seg(&c, 0, 20, rec.b, rec.n, 0, 0);
    hs.n = rec.n = 0;
    server_hello(&hs, 0x1301, true, false, NULL);
    records(&rec, 22, hs.b, hs.n, 16384);
    uint8_t enc[60] = {0};
    records(&rec, 23, enc, sizeof enc, 100); /* EncryptedExtensions ... Finished */
    seg(&c, 1, 30, rec.b, rec.n, 0, 0);
    rec.n = 0;
    uint8_t one = 1;
    records(&rec, 20, &one, 1, 100);
    records(&rec, 23, enc, 40, 100); /* client Finished */
    seg(&c, 0, 41, rec.b, rec.n, 0, 0);
    close_conn(&c);
    CHECK(last.outcome == PA_TLS_OUT_COMPLETED && last.version == 0x0304 && last.hrr);
    CHECK(last.ch_ts == 0 && last.done_ts == 41 * 1000000 && last.group == 29);
    CHECK(last.certs_encrypted && c.st.hrr == 1 && c.st.client_hellos == 1 && c.st.renegotiations == 0);
    CHECK(last.offered_mask == (8 | 16) && last.max_offered == 0x0304);
    pa_tls_stats_free(&c.st);
}

static void test_sslv2_gap_oversize(void) {
    conn c;
    /* an SSL 2.0-format ClientHello offering SSL 3.0 with two suites */
    open_conn(&c);
    uint8_t v2[] = {0x80, 0x1F, 1, 3, 0, 0, 6, 0, 0, 0,  16, 0,  0,  0x0A, 0,  0, 0x05,
                    1,    2,    3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,   15, 16};
    seg(&c, 0, 0, v2, sizeof v2, 0, 0);
    close_conn(&c);
    CHECK(last.ch_frame == 1 && last.client_version == 0x0300 && last.ciphers_offered == 2);
    CHECK(last.weak_offered == 2 && last.outcome == PA_TLS_OUT_NO_ANSWER);
    pa_tls_stats_free(&c.st);
    /* a hole in the server's stream: parsing picks up at the next record header */
    open_conn(&c);
    hello_only(&c);
    wb hs = {.n = 0}, rec = {.n = 0};
    server_hello(&hs, 0x1301, false, false, NULL);
    records(&rec, 22, hs.b, hs.n, 16384);
    seg(&c, 1, 5, rec.b, 10, 0, 0);               /* part of the ServerHello record */
    seg(&c, 1, 6, rec.b + 20, rec.n - 20, 0, 10); /* ... then a hole */
    uint8_t alert[] = {21, 3, 3, 0, 2, 2, 80};
    seg(&c, 1, 7, alert, sizeof alert, 0, 0);
    close_conn(&c);
    CHECK(c.st.gaps == 1 && c.st.alerts == 1 && c.st.alert_count[2][80] == 1);
    pa_tls_stats_free(&c.st);
    /* a handshake message longer than the cap is skipped, not buffered */
    open_conn(&c);
    wb big = {.n = 0};
    uint8_t hdr[] = {22, 3, 3, 0x40, 0x00, 11, 0x7F, 0xFF, 0xFF};
    bytes(&big, hdr, sizeof hdr);
    for (int i = 0; i < 0x4000 - 4; i++) u8(&big, 0);
    for (int i = 0; i < 3; i++) send_all(&c, 1, i, &big, 1400);
    close_conn(&c);
    CHECK(c.st.oversized_handshakes == 1 && c.st.parse_errors <= 2);
    pa_tls_stats_free(&c.st);
}

int main(void) {
    test_names();
    test_hello();
    test_tls12();
    test_outcomes();
    test_tls13_and_hrr();
    test_sslv2_gap_oversize();
    return check_done("tls");
}
