/*
 * pcap-sample-gen OUT.pcap
 *
 * Writes the project's sample capture: one client's short, deterministic
 * session (ARP, ping, DNS, HTTP with a retransmission, TLS 1.2, a refused
 * connection, a zero-window stall and a little IPv6).  The same bytes come
 * out on every run: keys are derived from fixed labels and ECDSA nonces are
 * derived from the key and message, so the certificate is stable too.
 */
#include "pktgen.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRY(expr)                                                                                                      \
    do {                                                                                                               \
        int rc_ = (expr);                                                                                              \
        if (rc_) return rc_;                                                                                           \
    } while (0)

/* ------------------------------------------------------- fixed identities */

/* RFC 7042 documentation MACs. */
static const uint8_t MAC_CLIENT[6] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0x10};
static const uint8_t MAC_GW[6] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0x01};
static const uint8_t MAC_BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t MAC_ZERO[6] = {0};

typedef struct host {
    int family;
    uint8_t ip[16];
    uint8_t ttl;    /* as seen at the capture point */
    uint16_t ip_id; /* next IPv4 id */
    bool local;     /* the capturing client; everyone else is behind the gateway */
} host;

static host CLIENT4 = {4, {192, 0, 2, 10}, 64, 0x3f21, true};
static host GW4 = {4, {192, 0, 2, 1}, 64, 0, false};
static host DNS4 = {4, {198, 51, 100, 53}, 58, 0x0c51, false};
static host WEB4 = {4, {198, 51, 100, 80}, 56, 0x6a02, false};
static host TLS4 = {4, {198, 51, 100, 43}, 53, 0x0000, false};
static host FILES4 = {4, {198, 51, 100, 20}, 57, 0x2d10, false};
static host CLIENT6 = {6, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x10}, 64, 0, true};
static host DNS6 = {6, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0x53, 0, 0, 0, 0, 0, 0, 0, 0x53}, 58, 0, false};
static host WEB6 = {6, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x80}, 56, 0, false};

static const pg_ts BASE = {1768471200u, 0}; /* 2026-01-15T10:00:00Z */
static pg_writer *W;

/* Time as an offset in microseconds from BASE. */
static pg_ts T(uint64_t us) { return pg_ts_add(BASE, PG_US(us)); }

static const uint8_t *mac_of(const host *h) { return h->local ? MAC_CLIENT : MAC_GW; }

/* ------------------------------------------------------------ raw frames */

static void frame_begin(pg_pkt *p, uint8_t *buf, size_t cap, host *src, const host *dst) {
    pg_pkt_init(p, buf, cap);
    if (src->family == 4) {
        pg_eth(p, mac_of(dst), mac_of(src), PG_ETH_IPV4);
        pg_ip4 ip = {.ttl = src->ttl, .id = src->ip_id++, .df = true};
        memcpy(ip.src, src->ip, 4);
        memcpy(ip.dst, dst->ip, 4);
        pg_ipv4(p, &ip);
    } else {
        pg_eth(p, mac_of(dst), mac_of(src), PG_ETH_IPV6);
        pg_ip6 ip = {.hlim = src->ttl};
        memcpy(ip.src, src->ip, 16);
        memcpy(ip.dst, dst->ip, 16);
        pg_ipv6(p, &ip);
    }
}

static int frame_end(pg_pkt *p, pg_ts t) {
    TRY(pg_finish(p));
    return pg_write_pkt(W, t, p);
}

static int arp_exchange(uint64_t t_us) {
    uint8_t buf[64];
    pg_pkt p;
    pg_pkt_init(&p, buf, sizeof buf);
    pg_eth(&p, MAC_BCAST, MAC_CLIENT, PG_ETH_ARP);
    pg_arp(&p, PG_ARP_REQUEST, MAC_CLIENT, CLIENT4.ip, MAC_ZERO, GW4.ip);
    TRY(frame_end(&p, T(t_us)));

    pg_pkt_init(&p, buf, sizeof buf);
    pg_eth(&p, MAC_CLIENT, MAC_GW, PG_ETH_ARP);
    pg_arp(&p, PG_ARP_REPLY, MAC_GW, GW4.ip, MAC_CLIENT, CLIENT4.ip);
    TRY(pg_finish(&p));
    TRY(pg_pad_to(&p, 60)); /* the gateway's frame arrives padded to the minimum */
    return pg_write_pkt(W, T(t_us + 412), &p);
}

/* Linux ping payload: a struct timeval then bytes 0x10.. up to 56 bytes. */
static int ping_payload(pg_pkt *p, pg_ts sent) {
    uint64_t usec = sent.nsec / 1000u;
    for (unsigned i = 0; i < 8; i++) pg_u8(p, (uint8_t)(sent.sec >> (8u * i)));
    for (unsigned i = 0; i < 8; i++) pg_u8(p, (uint8_t)(usec >> (8u * i)));
    for (uint8_t b = 0x10; b < 0x38; b++) pg_u8(p, b);
    return p->err;
}

static int ping(host *src, host *dst, uint16_t id, uint16_t seq, uint64_t t_us, uint64_t rtt_us) {
    uint8_t buf[256];
    pg_pkt p;
    pg_ts sent = T(t_us);
    for (int reply = 0; reply < 2; reply++) {
        host *a = reply ? dst : src, *b = reply ? src : dst;
        frame_begin(&p, buf, sizeof buf, a, b);
        if (src->family == 4)
            pg_icmp_echo(&p, reply != 0, id, seq);
        else
            pg_icmp6_echo(&p, reply != 0, id, seq);
        ping_payload(&p, sent); /* the reply echoes the request's data */
        TRY(frame_end(&p, reply ? T(t_us + rtt_us) : sent));
    }
    return PG_OK;
}

/* ------------------------------------------------------------------- DNS */

static int dns_query(host *cli, host *srv, uint16_t sport, uint64_t t_us, uint16_t id, const char *name,
                     uint16_t qtype) {
    uint8_t buf[512];
    pg_pkt p;
    frame_begin(&p, buf, sizeof buf, cli, srv);
    pg_udp(&p, sport, 53);
    pg_dns_query(&p, id, name, qtype);
    return frame_end(&p, T(t_us));
}

/* Answer via a CNAME to edge.example.test, as a CDN-fronted name would. */
static int dns_cname_answer(host *srv, host *cli, uint16_t dport, uint64_t t_us, uint16_t id, const char *name,
                            uint16_t qtype, const char *target, const uint8_t *addr) {
    uint8_t buf[512];
    pg_pkt p;
    pg_dns d;
    frame_begin(&p, buf, sizeof buf, srv, cli);
    pg_udp(&p, 53, dport);
    pg_dns_begin(&d, &p, id, PG_DNS_QR | PG_DNS_RD | PG_DNS_RA);
    pg_dns_question(&d, name, qtype);
    if (target) {
        pg_dns_rr_name(&d, PG_DNS_AN, name, PG_DNS_CNAME, 300, target);
        name = target;
    }
    pg_dns_rr(&d, PG_DNS_AN, name, qtype, 60, addr, qtype == PG_DNS_AAAA ? 16 : 4);
    TRY(pg_dns_end(&d));
    return frame_end(&p, T(t_us));
}

static int dns_nxdomain(host *srv, host *cli, uint16_t dport, uint64_t t_us, uint16_t id, const char *name) {
    uint8_t buf[512];
    pg_pkt p;
    pg_dns d;
    frame_begin(&p, buf, sizeof buf, srv, cli);
    pg_udp(&p, 53, dport);
    pg_dns_begin(&d, &p, id, PG_DNS_QR | PG_DNS_RD | PG_DNS_RA | PG_DNS_NXDOMAIN);
    pg_dns_question(&d, name, PG_DNS_A);
    /* Negative answers carry the zone's SOA so resolvers can cache them. */
    pg_dns_rr_begin(&d, PG_DNS_NS_SEC, "example.test", PG_DNS_SOA, 300);
    pg_dns_name(&d, "ns1.example.test");
    pg_dns_name(&d, "hostmaster.example.test");
    pg_be32(&p, 2026011501u); /* serial */
    pg_be32(&p, 7200);        /* refresh */
    pg_be32(&p, 3600);        /* retry */
    pg_be32(&p, 1209600);     /* expire */
    pg_be32(&p, 300);         /* negative-caching TTL */
    pg_dns_rr_end(&d);
    TRY(pg_dns_end(&d));
    return frame_end(&p, T(t_us));
}

/* ------------------------------------------------------------- TCP peers */

static pg_tcp_peer client_peer(const host *h, uint16_t port, uint32_t isn, uint32_t ts_base, uint16_t ip_id) {
    pg_tcp_peer c = {
        .port = port,
        .isn = isn,
        .win = 64240,
        .mss = 1460,
        .wscale_on = true,
        .wscale = 7,
        .sack_perm = true,
        .ts_on = true,
        .ts_base = ts_base,
        .ttl = h->ttl,
        .ip_id = ip_id,
    };
    memcpy(c.mac, mac_of(h), 6);
    memcpy(c.ip, h->ip, 16);
    return c;
}

static pg_tcp_peer server_peer(const host *h, uint16_t port, uint32_t isn, uint32_t ts_base) {
    pg_tcp_peer s = {
        .port = port,
        .isn = isn,
        .win = 65160,
        .mss = 1460,
        .wscale_on = true,
        .wscale = 8,
        .sack_perm = true,
        .ts_on = true,
        .ts_base = ts_base,
        .ttl = h->ttl,
        .ip_id = h->ip_id,
    };
    memcpy(s.mac, mac_of(h), 6);
    memcpy(s.ip, h->ip, 16);
    return s;
}

/* ------------------------------------------------------------------ HTTP */

static size_t append(char *dst, size_t cap, size_t len, const char *s) {
    size_t n = strlen(s);
    if (len + n >= cap) return len; /* callers size buffers generously; truncation just shortens */
    memcpy(dst + len, s, n + 1);
    return len + n;
}

/* ~3 KB of HTML, the same every run. */
static size_t make_body(char *out, size_t cap) {
    size_t len = 0;
    out[0] = '\0';
    len = append(out, cap, len,
                 "<!DOCTYPE html>\n<html>\n<head><title>Example Test Site</title></head>\n"
                 "<body>\n<h1>Welcome to www.example.test</h1>\n");
    char line[160];
    for (unsigned i = 1; len < 2900; i++) {
        int n = snprintf(line, sizeof line,
                         "<p>Paragraph %02u: this page exists so that capture analysis "
                         "tools have something to reassemble.</p>\n",
                         i);
        if (n < 0) return 0;
        len = append(out, cap, len, line);
    }
    return append(out, cap, len, "</body>\n</html>\n");
}

static size_t http_response(char *out, size_t cap, const char *status, const char *ctype, const char *body,
                            size_t body_len) {
    int n = snprintf(out, cap,
                     "HTTP/1.1 %s\r\nDate: Thu, 15 Jan 2026 10:00:01 GMT\r\n"
                     "Server: example-httpd/2.4\r\nContent-Type: %s\r\n"
                     "Content-Length: %zu\r\n\r\n",
                     status, ctype, body_len);
    if (n < 0 || (size_t)n + body_len > cap) return 0;
    memcpy(out + n, body, body_len);
    return (size_t)n + body_len;
}

/* Send len bytes as MSS-sized segments gap_us apart, PSH on the last. */
static int send_stream(pg_tcp_conv *c, uint64_t *t_us, int from, const void *data, size_t len, uint64_t gap_us) {
    const uint8_t *d = data;
    size_t mss = pg_tcp_seg_max(c, from);
    while (len) {
        size_t n = len < mss ? len : mss;
        TRY(pg_tcp_send(c, T(*t_us), from, d, n, n == len ? PG_TCP_PUSH : 0));
        d += n;
        len -= n;
        *t_us += gap_us;
    }
    return PG_OK;
}

static int http_flow(uint64_t t) {
    static const char req1[] = "GET /index.html HTTP/1.1\r\nHost: www.example.test\r\n"
                               "User-Agent: pcap-sample-gen/1.0\r\nAccept: */*\r\n\r\n";
    static const char req2[] = "GET /missing HTTP/1.1\r\nHost: www.example.test\r\n"
                               "User-Agent: pcap-sample-gen/1.0\r\nAccept: */*\r\n\r\n";
    static const char body404[] = "<html><head><title>404 Not Found</title></head>"
                                  "<body><h1>Not Found</h1></body></html>\n";
    static char body[4096], resp[8192];
    pg_tcp_conv c;
    pg_tcp_peer cl = client_peer(&CLIENT4, 51514, 0x6b3a1f02u, 3791820110u, 0xb3d0);
    pg_tcp_peer sv = server_peer(&WEB4, 80, 0x1d9c44e7u, 2210334551u);
    TRY(pg_tcp_init(&c, W, 4, &cl, &sv));

    TRY(pg_tcp_handshake(&c, T(t), PG_MS(12)));
    t += 12150;
    TRY(pg_tcp_send(&c, T(t), PG_CLIENT, req1, sizeof req1 - 1, PG_TCP_PUSH));

    size_t blen = make_body(body, sizeof body);
    size_t rlen = http_response(resp, sizeof resp, "200 OK", "text/html; charset=utf-8", body, blen);
    if (!blen || !rlen) return PG_ENOSPC;
    /* Three segments; the last is seen here but lost further on, so the
     * client ACKs only two and the server retransmits after its 200 ms RTO. */
    size_t mss = pg_tcp_seg_max(&c, PG_SERVER);
    t += 12400;
    TRY(pg_tcp_send(&c, T(t), PG_SERVER, resp, mss, 0));
    TRY(pg_tcp_send(&c, T(t + 50), PG_SERVER, resp + mss, mss, 0));
    uint32_t lost_seq = pg_tcp_next_seq(&c, PG_SERVER);
    const char *tail = resp + 2 * mss;
    size_t tail_len = rlen - 2 * mss;
    TRY(pg_tcp_send(&c, T(t + 100), PG_SERVER, tail, tail_len, PG_TCP_PUSH | PG_TCP_LOST));
    TRY(pg_tcp_ack(&c, T(t + 200), PG_CLIENT));
    t += 200100;
    TRY(pg_tcp_retransmit(&c, T(t), PG_SERVER, lost_seq, tail, tail_len));
    TRY(pg_tcp_ack(&c, T(t + 90), PG_CLIENT));

    /* Second request on the kept-alive connection. */
    t += 115900;
    TRY(pg_tcp_send(&c, T(t), PG_CLIENT, req2, sizeof req2 - 1, PG_TCP_PUSH));
    rlen = http_response(resp, sizeof resp, "404 Not Found", "text/html", body404, sizeof body404 - 1);
    t += 12300;
    TRY(pg_tcp_send(&c, T(t), PG_SERVER, resp, rlen, PG_TCP_PUSH));
    TRY(pg_tcp_ack(&c, T(t + 40000), PG_CLIENT)); /* delayed ACK */

    t += 137700;
    TRY(pg_tcp_fin(&c, T(t), PG_CLIENT));
    TRY(pg_tcp_fin(&c, T(t + 12000), PG_SERVER));
    return pg_tcp_ack(&c, T(t + 12050), PG_CLIENT);
}

static int refused_flow(uint64_t t) {
    pg_tcp_conv c;
    pg_tcp_peer cl = client_peer(&CLIENT4, 51518, 0x0f4e27c9u, 3791820800u, 0x7a31);
    pg_tcp_peer sv = server_peer(&WEB4, 8443, 0, 0); /* closed port: RST seq 0 */
    sv.ip_id = 0;                                    /* as Linux stamps such RSTs */
    TRY(pg_tcp_init(&c, W, 4, &cl, &sv));
    TRY(pg_tcp_syn(&c, T(t)));
    return pg_tcp_rst(&c, T(t + 12100), PG_SERVER);
}

/* The client's application stops reading: its window shrinks to zero for
 * ~300 ms, then a window update lets the download finish. */
static int zero_window_flow(uint64_t t) {
    static const char req[] = "GET /downloads/report.bin HTTP/1.1\r\nHost: files.example.test\r\n"
                              "User-Agent: pcap-sample-gen/1.0\r\nAccept: */*\r\n\r\n";
    static uint8_t body[8000];
    static char resp[9000];
    for (size_t i = 0; i < sizeof body; i++) body[i] = (uint8_t)(i * 131u + (i >> 7));
    size_t rlen =
        http_response(resp, sizeof resp, "200 OK", "application/octet-stream", (const char *)body, sizeof body);
    if (!rlen) return PG_ENOSPC;

    pg_tcp_conv c;
    pg_tcp_peer cl = client_peer(&CLIENT4, 51520, 0x93d0c5aau, 3791821300u, 0x1e04);
    pg_tcp_peer sv = server_peer(&FILES4, 8080, 0x4402be10u, 871233009u);
    TRY(pg_tcp_init(&c, W, 4, &cl, &sv));
    TRY(pg_tcp_handshake(&c, T(t), PG_MS(15)));
    t += 15100;
    TRY(pg_tcp_send(&c, T(t), PG_CLIENT, req, sizeof req - 1, PG_TCP_PUSH));

    size_t mss = pg_tcp_seg_max(&c, PG_SERVER), off = 0;
    t += 15300;
    TRY(pg_tcp_send(&c, T(t), PG_SERVER, resp, mss, 0));
    TRY(pg_tcp_send(&c, T(t + 50), PG_SERVER, resp + mss, mss, 0));
    TRY(pg_tcp_window(&c, T(t + 150), PG_CLIENT, 4096)); /* ACK, window shrinking */
    TRY(pg_tcp_send(&c, T(t + 200), PG_SERVER, resp + 2 * mss, mss, 0));
    TRY(pg_tcp_send(&c, T(t + 250), PG_SERVER, resp + 3 * mss, mss, 0));
    TRY(pg_tcp_window(&c, T(t + 350), PG_CLIENT, 0)); /* zero window */
    off = 4 * mss;
    t += 300350;
    TRY(pg_tcp_window(&c, T(t), PG_CLIENT, 64128)); /* window update */
    t += 15100;
    TRY(send_stream(&c, &t, PG_SERVER, resp + off, rlen - off, 50));
    TRY(pg_tcp_ack(&c, T(t + 50), PG_CLIENT));
    t += 4000;
    TRY(pg_tcp_fin(&c, T(t), PG_CLIENT));
    TRY(pg_tcp_fin(&c, T(t + 15000), PG_SERVER));
    return pg_tcp_ack(&c, T(t + 15050), PG_CLIENT);
}

/* ------------------------------------------------------------ key material */

static int sha256(const void *data, size_t len, uint8_t out[32]) {
    unsigned int n = 0;
    return EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) == 1 && n == 32 ? 0 : -1;
}

/* Deterministic "random" bytes: SHA-256 in counter mode over a label. */
static int label_bytes(const char *label, uint8_t *out, size_t len) {
    uint8_t in[128], h[32];
    size_t l = strlen(label);
    if (l + 1 > sizeof in) return -1;
    memcpy(in, label, l);
    for (uint8_t ctr = 0; len; ctr++) {
        in[l] = ctr;
        if (sha256(in, l + 1, h)) return -1;
        size_t n = len < 32 ? len : 32;
        memcpy(out, h, n);
        out += n;
        len -= n;
    }
    return 0;
}

typedef struct eckey {
    const EC_GROUP *g;
    BIGNUM *d;
    uint8_t pub[65]; /* uncompressed point */
    EVP_PKEY *pkey;
} eckey;

/* P-256 key from a fixed label so certificate and handshake are stable. */
static int eckey_from_label(eckey *k, const EC_GROUP *g, const char *label) {
    uint8_t seed[32];
    memset(k, 0, sizeof *k);
    k->g = g;
    if (label_bytes(label, seed, sizeof seed)) return -1;
    BN_CTX *bc = BN_CTX_new();
    BIGNUM *nm1 = BN_dup(EC_GROUP_get0_order(g));
    k->d = BN_bin2bn(seed, sizeof seed, NULL);
    EC_POINT *pt = EC_POINT_new(g);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    int ok = bc && nm1 && k->d && pt && bld && pc && BN_sub_word(nm1, 1) && BN_nnmod(k->d, k->d, nm1, bc) &&
             BN_add_word(k->d, 1) && /* 1 .. n-1 */
             EC_POINT_mul(g, pt, k->d, NULL, NULL, bc) &&
             EC_POINT_point2oct(g, pt, POINT_CONVERSION_UNCOMPRESSED, k->pub, sizeof k->pub, bc) == sizeof k->pub &&
             OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
             OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, k->d) &&
             OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, k->pub, sizeof k->pub) &&
             (params = OSSL_PARAM_BLD_to_param(bld)) != NULL && EVP_PKEY_fromdata_init(pc) == 1 &&
             EVP_PKEY_fromdata(pc, &k->pkey, EVP_PKEY_KEYPAIR, params) == 1;
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(pc);
    EC_POINT_free(pt);
    BN_free(nm1);
    BN_CTX_free(bc);
    return ok ? 0 : -1;
}

static void eckey_free(eckey *k) {
    BN_clear_free(k->d);
    EVP_PKEY_free(k->pkey);
}

/* ECDSA-SHA256 with a nonce derived from key and message (in the spirit of
 * RFC 6979, not its exact construction), so signatures are reproducible.
 * OpenSSL 3.0 has no deterministic-nonce option.  Output is DER. */
static int det_sign(const eckey *k, const void *msg, size_t len, uint8_t *out, size_t cap, size_t *outlen) {
    uint8_t h[32], seed[32 + 32 + 1], kb[32];
    if (sha256(msg, len, h) || BN_bn2binpad(k->d, seed, 32) != 32) return -1;
    memcpy(seed + 32, h, 32);
    const BIGNUM *n = EC_GROUP_get0_order(k->g);
    BN_CTX *bc = BN_CTX_new();
    BIGNUM *e = BN_bin2bn(h, 32, NULL), *kk = BN_new(), *x = BN_new(), *r = BN_new(), *s = BN_new(), *kinv = NULL;
    EC_POINT *R = EC_POINT_new(k->g);
    ECDSA_SIG *sig = NULL;
    int rc = -1;
    if (!bc || !e || !kk || !x || !r || !s || !R) goto out;
    for (uint8_t ctr = 0; ctr < 16 && rc; ctr++) {
        seed[64] = ctr;
        if (sha256(seed, sizeof seed, kb) || !BN_bin2bn(kb, 32, kk) || !BN_nnmod(kk, kk, n, bc)) goto out;
        if (BN_is_zero(kk)) continue;
        if (!EC_POINT_mul(k->g, R, kk, NULL, NULL, bc) || !EC_POINT_get_affine_coordinates(k->g, R, x, NULL, bc) ||
            !BN_nnmod(r, x, n, bc))
            goto out;
        if (BN_is_zero(r)) continue;
        BN_free(kinv);
        kinv = BN_mod_inverse(NULL, kk, n, bc);
        /* s = k^-1 (e + r d) mod n */
        if (!kinv || !BN_mod_mul(s, r, k->d, n, bc) || !BN_mod_add(s, s, e, n, bc) || !BN_mod_mul(s, s, kinv, n, bc))
            goto out;
        if (BN_is_zero(s)) continue;
        sig = ECDSA_SIG_new();
        BIGNUM *r2 = BN_dup(r), *s2 = BN_dup(s);
        if (!sig || !r2 || !s2 || !ECDSA_SIG_set0(sig, r2, s2)) {
            BN_free(r2);
            BN_free(s2);
            goto out;
        }
        int dl = i2d_ECDSA_SIG(sig, NULL);
        if (dl <= 0 || (size_t)dl > cap) goto out;
        unsigned char *pp = out;
        i2d_ECDSA_SIG(sig, &pp);
        *outlen = (size_t)dl;
        rc = 0;
    }
out:
    ECDSA_SIG_free(sig);
    EC_POINT_free(R);
    BN_free(e);
    BN_clear_free(kk);
    BN_free(x);
    BN_free(r);
    BN_free(s);
    BN_clear_free(kinv);
    BN_CTX_free(bc);
    return rc;
}

static int verify(const eckey *k, const void *msg, size_t len, const uint8_t *sig, size_t slen) {
    EVP_MD_CTX *mc = EVP_MD_CTX_new();
    int ok = mc && EVP_DigestVerifyInit(mc, NULL, EVP_sha256(), NULL, k->pkey) == 1 &&
             EVP_DigestVerify(mc, sig, slen, msg, len) == 1;
    EVP_MD_CTX_free(mc);
    return ok ? 0 : -1;
}

static void der_len(pg_pkt *p, size_t n) {
    if (n < 0x80) {
        pg_u8(p, (uint8_t)n);
    } else if (n < 0x100) {
        pg_u8(p, 0x81);
        pg_u8(p, (uint8_t)n);
    } else {
        pg_u8(p, 0x82);
        pg_be16(p, (uint16_t)n);
    }
}

static int add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value) {
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
    int ok = ext && X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    return ok ? 0 : -1;
}

static int set_name(X509_NAME *n, const char *field, const char *value) {
    return X509_NAME_add_entry_by_txt(n, field, MBSTRING_ASC, (const unsigned char *)value, -1, -1, 0) ? 0 : -1;
}

/* Leaf certificate for secure.example.test issued by "Example Test CA".
 * OpenSSL builds the TBSCertificate; the signature is ours (deterministic)
 * and the outer SEQUENCE is assembled by hand, then parsed and verified. */
static int make_cert(const eckey *leaf, const eckey *ca, uint8_t *out, size_t cap, size_t *outlen) {
    int rc = -1;
    X509 *x = X509_new(), *back = NULL;
    X509_NAME *subj = X509_NAME_new(), *iss = X509_NAME_new();
    BIGNUM *serial = NULL;
    unsigned char *tbs = NULL;
    X509V3_CTX ctx;
    if (!x || !subj || !iss || !BN_hex2bn(&serial, "4E3A9C01D2B7F65A") || !X509_set_version(x, X509_VERSION_3) ||
        !BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x)) ||
        !ASN1_TIME_set_string_X509(X509_getm_notBefore(x), "20260101000000Z") ||
        !ASN1_TIME_set_string_X509(X509_getm_notAfter(x), "20270101000000Z") ||
        set_name(subj, "CN", "secure.example.test") || set_name(iss, "C", "XX") || set_name(iss, "O", "Example Test") ||
        set_name(iss, "CN", "Example Test CA") || !X509_set_subject_name(x, subj) || !X509_set_issuer_name(x, iss) ||
        !X509_set_pubkey(x, leaf->pkey))
        goto out;
    X509V3_set_ctx(&ctx, NULL, x, NULL, NULL, 0);
    if (add_ext(x, &ctx, NID_basic_constraints, "critical,CA:FALSE") ||
        add_ext(x, &ctx, NID_key_usage, "critical,digitalSignature") ||
        add_ext(x, &ctx, NID_ext_key_usage, "serverAuth") || add_ext(x, &ctx, NID_subject_key_identifier, "hash") ||
        add_ext(x, &ctx, NID_subject_alt_name, "DNS:secure.example.test"))
        goto out;
    /* Signing once fills in the algorithm identifiers; that signature is
     * random and gets replaced. */
    if (!X509_sign(x, ca->pkey, EVP_sha256())) goto out;
    int tl = i2d_re_X509_tbs(x, &tbs);
    if (tl <= 0) goto out;
    uint8_t sig[80];
    size_t slen = 0;
    if (det_sign(ca, tbs, (size_t)tl, sig, sizeof sig, &slen)) goto out;

    static const uint8_t algid[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                    0x48, 0xce, 0x3d, 0x04, 0x03, 0x02}; /* ecdsa-with-SHA256 */
    size_t bitlen = 1 + slen;
    size_t bithdr = bitlen < 0x80 ? 2 : 3;
    size_t body = (size_t)tl + sizeof algid + bithdr + bitlen;
    pg_pkt p;
    pg_pkt_init(&p, out, cap);
    pg_u8(&p, 0x30);
    der_len(&p, body);
    pg_bytes(&p, tbs, (size_t)tl);
    pg_bytes(&p, algid, sizeof algid);
    pg_u8(&p, 0x03);
    der_len(&p, bitlen);
    pg_u8(&p, 0); /* no unused bits */
    pg_bytes(&p, sig, slen);
    if (p.err) goto out;

    const unsigned char *q = out;
    back = d2i_X509(NULL, &q, (long)p.len);
    if (!back || q != out + p.len || X509_verify(back, ca->pkey) != 1) goto out;
    *outlen = p.len;
    rc = 0;
out:
    OPENSSL_free(tbs);
    BN_free(serial);
    X509_NAME_free(subj);
    X509_NAME_free(iss);
    X509_free(x);
    X509_free(back);
    return rc;
}

/* ------------------------------------------------------------------- TLS */

enum { TLS_CCS = 20, TLS_ALERT = 21, TLS_HANDSHAKE = 22, TLS_APPDATA = 23 };

typedef struct tls_ctx {
    uint8_t client_random[32], server_random[32], session_id[32];
    uint8_t cert[1024];
    size_t cert_len;
    eckey leaf, ca, srv_eph, cli_eph;
    EC_GROUP *group;
    uint64_t enc_seq[2]; /* per-sender record counter: GCM explicit nonce */
    uint64_t prng;
} tls_ctx;

static void client_hello(pg_pkt *b, const tls_ctx *tc) {
    static const uint16_t suites[] = {
        0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc009, 0xc013, 0xc00a, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
    };
    static const uint16_t groups[] = {0x001d, 0x0017, 0x0018};
    static const uint16_t sigalgs[] = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201};
    static const char sni[] = "secure.example.test";
    size_t rec = pg_tls_record_begin(b, TLS_HANDSHAKE, 0x0301), hs = pg_tls_hs_begin(b, 1), e, m, m2, exts;
    pg_be16(b, 0x0303);
    pg_bytes(b, tc->client_random, 32);
    pg_u8(b, 32);
    pg_bytes(b, tc->session_id, 32);
    pg_u16_list(b, 2, suites, sizeof suites / sizeof suites[0]);
    pg_u8(b, 1); /* compression methods: null only */
    pg_u8(b, 0);
    pg_len_begin(b, 2, &exts);

    e = pg_tls_ext_begin(b, 0x0000); /* server_name */
    pg_len_begin(b, 2, &m);
    pg_u8(b, 0); /* host_name */
    pg_len_begin(b, 2, &m2);
    pg_bytes(b, sni, sizeof sni - 1);
    pg_len_end(b, m2, 2);
    pg_len_end(b, m, 2);
    pg_len_end(b, e, 2);

    e = pg_tls_ext_begin(b, 0x0017); /* extended_master_secret */
    pg_len_end(b, e, 2);
    e = pg_tls_ext_begin(b, 0xff01); /* renegotiation_info: empty */
    pg_u8(b, 0);
    pg_len_end(b, e, 2);
    e = pg_tls_ext_begin(b, 0x000a); /* supported_groups */
    pg_u16_list(b, 2, groups, sizeof groups / sizeof groups[0]);
    pg_len_end(b, e, 2);
    e = pg_tls_ext_begin(b, 0x000b); /* ec_point_formats: uncompressed */
    pg_u8(b, 1);
    pg_u8(b, 0);
    pg_len_end(b, e, 2);
    e = pg_tls_ext_begin(b, 0x0023); /* session_ticket: none yet */
    pg_len_end(b, e, 2);

    e = pg_tls_ext_begin(b, 0x0010); /* ALPN */
    pg_len_begin(b, 2, &m);
    pg_u8(b, 2);
    pg_bytes(b, "h2", 2);
    pg_u8(b, 8);
    pg_bytes(b, "http/1.1", 8);
    pg_len_end(b, m, 2);
    pg_len_end(b, e, 2);

    e = pg_tls_ext_begin(b, 0x0005); /* status_request: OCSP, no ids/extensions */
    pg_u8(b, 1);
    pg_be16(b, 0);
    pg_be16(b, 0);
    pg_len_end(b, e, 2);
    e = pg_tls_ext_begin(b, 0x000d); /* signature_algorithms */
    pg_u16_list(b, 2, sigalgs, sizeof sigalgs / sizeof sigalgs[0]);
    pg_len_end(b, e, 2);

    pg_len_end(b, exts, 2);
    pg_len_end(b, hs, 3);
    pg_len_end(b, rec, 2);
}

static int server_flight(pg_pkt *b, tls_ctx *tc) {
    size_t rec, hs, e, m, exts;
    /* ServerHello: ECDHE-ECDSA-AES128-GCM-SHA256, echoing what the client offered. */
    rec = pg_tls_record_begin(b, TLS_HANDSHAKE, 0x0303);
    hs = pg_tls_hs_begin(b, 2);
    pg_be16(b, 0x0303);
    pg_bytes(b, tc->server_random, 32);
    pg_u8(b, 32);
    pg_bytes(b, tc->session_id, 32); /* fresh id chosen by the server */
    pg_be16(b, 0xc02b);
    pg_u8(b, 0);
    pg_len_begin(b, 2, &exts);
    e = pg_tls_ext_begin(b, 0xff01);
    pg_u8(b, 0);
    pg_len_end(b, e, 2);
    e = pg_tls_ext_begin(b, 0x0017);
    pg_len_end(b, e, 2);
    e = pg_tls_ext_begin(b, 0x000b);
    pg_u8(b, 1);
    pg_u8(b, 0);
    pg_len_end(b, e, 2);
    e = pg_tls_ext_begin(b, 0x0010);
    pg_len_begin(b, 2, &m);
    pg_u8(b, 2);
    pg_bytes(b, "h2", 2);
    pg_len_end(b, m, 2);
    pg_len_end(b, e, 2);
    pg_len_end(b, exts, 2);
    pg_len_end(b, hs, 3);
    pg_len_end(b, rec, 2);

    /* Certificate: a one-entry chain (the leaf). */
    rec = pg_tls_record_begin(b, TLS_HANDSHAKE, 0x0303);
    hs = pg_tls_hs_begin(b, 11);
    pg_len_begin(b, 3, &m);
    pg_len_begin(b, 3, &e);
    pg_bytes(b, tc->cert, tc->cert_len);
    pg_len_end(b, e, 3);
    pg_len_end(b, m, 3);
    pg_len_end(b, hs, 3);
    pg_len_end(b, rec, 2);

    /* ServerKeyExchange: named curve secp256r1, ephemeral point, and an
     * ECDSA signature over client_random || server_random || params. */
    uint8_t params[4 + 65], signed_data[64 + sizeof params], sig[80];
    size_t slen = 0;
    params[0] = 3; /* named_curve */
    params[1] = 0x00;
    params[2] = 0x17;
    params[3] = 65;
    memcpy(params + 4, tc->srv_eph.pub, 65);
    memcpy(signed_data, tc->client_random, 32);
    memcpy(signed_data + 32, tc->server_random, 32);
    memcpy(signed_data + 64, params, sizeof params);
    if (det_sign(&tc->leaf, signed_data, sizeof signed_data, sig, sizeof sig, &slen) ||
        verify(&tc->leaf, signed_data, sizeof signed_data, sig, slen))
        return PG_EINVAL;
    rec = pg_tls_record_begin(b, TLS_HANDSHAKE, 0x0303);
    hs = pg_tls_hs_begin(b, 12);
    pg_bytes(b, params, sizeof params);
    pg_be16(b, 0x0403); /* ecdsa_secp256r1_sha256 */
    pg_be16(b, (uint16_t)slen);
    pg_bytes(b, sig, slen);
    pg_len_end(b, hs, 3);
    pg_len_end(b, rec, 2);

    rec = pg_tls_record_begin(b, TLS_HANDSHAKE, 0x0303);
    hs = pg_tls_hs_begin(b, 14); /* ServerHelloDone */
    pg_len_end(b, hs, 3);
    pg_len_end(b, rec, 2);
    return b->err;
}

static uint8_t prng_byte(tls_ctx *tc) {
    /* xorshift64*: cheap, fixed-seed stand-in for ciphertext */
    tc->prng ^= tc->prng >> 12;
    tc->prng ^= tc->prng << 25;
    tc->prng ^= tc->prng >> 27;
    return (uint8_t)((tc->prng * 0x2545F4914F6CDD1Dull) >> 56);
}

/* An AES-GCM protected record: 8-byte explicit nonce, ciphertext, 16-byte
 * tag.  plain_len is the size of the (imaginary) plaintext. */
static void enc_record(pg_pkt *b, tls_ctx *tc, int from, uint8_t type, size_t plain_len) {
    size_t rec = pg_tls_record_begin(b, type, 0x0303);
    uint64_t n = tc->enc_seq[from]++;
    for (unsigned i = 0; i < 8; i++) pg_u8(b, (uint8_t)(n >> (8u * (7u - i))));
    for (size_t i = 0; i < plain_len + 16; i++) pg_u8(b, prng_byte(tc));
    pg_len_end(b, rec, 2);
}

static int tls_setup(tls_ctx *tc) {
    memset(tc, 0, sizeof *tc);
    tc->prng = 0x9e3779b97f4a7c15ull;
    tc->group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    const EC_GROUP *g = tc->group;
    if (!g || label_bytes("sample client random", tc->client_random, 32) ||
        label_bytes("sample server random", tc->server_random, 32) ||
        label_bytes("sample session id", tc->session_id, 32) || eckey_from_label(&tc->ca, g, "Example Test CA key") ||
        eckey_from_label(&tc->leaf, g, "secure.example.test key") ||
        eckey_from_label(&tc->srv_eph, g, "server ECDHE key") ||
        eckey_from_label(&tc->cli_eph, g, "client ECDHE key") ||
        make_cert(&tc->leaf, &tc->ca, tc->cert, sizeof tc->cert, &tc->cert_len))
        return PG_EINVAL;
    return PG_OK;
}

static void tls_free(tls_ctx *tc) {
    eckey_free(&tc->ca);
    eckey_free(&tc->leaf);
    eckey_free(&tc->srv_eph);
    eckey_free(&tc->cli_eph);
    EC_GROUP_free(tc->group);
}

static int tls_flow_run(tls_ctx *tc, uint64_t t) {
    static uint8_t buf[4096];
    pg_pkt b;
    pg_tcp_conv c;
    pg_tcp_peer cl = client_peer(&CLIENT4, 51516, 0x2c8e0b51u, 3791820400u, 0x8c17);
    pg_tcp_peer sv = server_peer(&TLS4, 443, 0xa0f3d268u, 1502339871u);
    TRY(pg_tcp_init(&c, W, 4, &cl, &sv));
    TRY(pg_tcp_handshake(&c, T(t), PG_MS(20)));
    t += 20300;

    pg_pkt_init(&b, buf, sizeof buf);
    client_hello(&b, tc);
    TRY(b.err);
    TRY(pg_tcp_send(&c, T(t), PG_CLIENT, b.buf, b.len, PG_TCP_PUSH));

    pg_pkt_init(&b, buf, sizeof buf);
    TRY(server_flight(&b, tc));
    t += 20800;
    TRY(send_stream(&c, &t, PG_SERVER, b.buf, b.len, 50));

    /* ClientKeyExchange, ChangeCipherSpec, encrypted Finished. */
    pg_pkt_init(&b, buf, sizeof buf);
    size_t rec = pg_tls_record_begin(&b, TLS_HANDSHAKE, 0x0303), hs = pg_tls_hs_begin(&b, 16);
    pg_u8(&b, 65);
    pg_bytes(&b, tc->cli_eph.pub, 65);
    pg_len_end(&b, hs, 3);
    pg_len_end(&b, rec, 2);
    rec = pg_tls_record_begin(&b, TLS_CCS, 0x0303);
    pg_u8(&b, 1);
    pg_len_end(&b, rec, 2);
    enc_record(&b, tc, PG_CLIENT, TLS_HANDSHAKE, 16); /* Finished: 4 + 12 bytes */
    TRY(b.err);
    t += 1200;
    TRY(pg_tcp_send(&c, T(t), PG_CLIENT, b.buf, b.len, PG_TCP_PUSH));

    pg_pkt_init(&b, buf, sizeof buf);
    rec = pg_tls_record_begin(&b, TLS_CCS, 0x0303);
    pg_u8(&b, 1);
    pg_len_end(&b, rec, 2);
    enc_record(&b, tc, PG_SERVER, TLS_HANDSHAKE, 16);
    TRY(b.err);
    t += 20500;
    TRY(pg_tcp_send(&c, T(t), PG_SERVER, b.buf, b.len, PG_TCP_PUSH));

    /* Application data: request, a two-record response, a client follow-up. */
    pg_pkt_init(&b, buf, sizeof buf);
    enc_record(&b, tc, PG_CLIENT, TLS_APPDATA, 172);
    TRY(b.err);
    t += 300;
    TRY(pg_tcp_send(&c, T(t), PG_CLIENT, b.buf, b.len, PG_TCP_PUSH));
    pg_pkt_init(&b, buf, sizeof buf);
    enc_record(&b, tc, PG_SERVER, TLS_APPDATA, 1180);
    TRY(b.err);
    t += 22800;
    TRY(pg_tcp_send(&c, T(t), PG_SERVER, b.buf, b.len, 0));
    pg_pkt_init(&b, buf, sizeof buf);
    enc_record(&b, tc, PG_SERVER, TLS_APPDATA, 493);
    TRY(b.err);
    TRY(pg_tcp_send(&c, T(t + 50), PG_SERVER, b.buf, b.len, PG_TCP_PUSH));
    TRY(pg_tcp_ack(&c, T(t + 150), PG_CLIENT));
    pg_pkt_init(&b, buf, sizeof buf);
    enc_record(&b, tc, PG_CLIENT, TLS_APPDATA, 31);
    TRY(b.err);
    t += 900;
    TRY(pg_tcp_send(&c, T(t), PG_CLIENT, b.buf, b.len, PG_TCP_PUSH));
    TRY(pg_tcp_ack(&c, T(t + 40000), PG_SERVER));

    /* close_notify both ways, then FINs. */
    t += 203000;
    pg_pkt_init(&b, buf, sizeof buf);
    enc_record(&b, tc, PG_CLIENT, TLS_ALERT, 2);
    TRY(b.err);
    TRY(pg_tcp_send(&c, T(t), PG_CLIENT, b.buf, b.len, PG_TCP_PUSH));
    pg_pkt_init(&b, buf, sizeof buf);
    enc_record(&b, tc, PG_SERVER, TLS_ALERT, 2);
    TRY(b.err);
    t += 20100;
    TRY(pg_tcp_send(&c, T(t), PG_SERVER, b.buf, b.len, PG_TCP_PUSH));
    TRY(pg_tcp_fin(&c, T(t + 50), PG_SERVER));
    TRY(pg_tcp_fin(&c, T(t + 200), PG_CLIENT));
    return pg_tcp_ack(&c, T(t + 20250), PG_SERVER);
}

static int tls_flow(uint64_t t) {
    tls_ctx *tc = malloc(sizeof *tc);
    if (!tc) return PG_ENOMEM;
    int rc = tls_setup(tc);
    if (!rc) rc = tls_flow_run(tc, t);
    tls_free(tc);
    free(tc);
    return rc;
}

/* ------------------------------------------------------------- the session */

static int session(void) {
    static const uint8_t A_EDGE[4] = {198, 51, 100, 80};
    static const uint8_t A_SECURE[4] = {198, 51, 100, 43};

    TRY(arp_exchange(0));
    TRY(ping(&CLIENT4, &WEB4, 0x1b2d, 1, 10000, 11873));
    TRY(ping(&CLIENT4, &WEB4, 0x1b2d, 2, 1010000, 12104));

    /* A and AAAA for the web site, sent back to back like glibc does. */
    TRY(dns_query(&CLIENT4, &DNS4, 41234, 1100000, 0x3a41, "www.example.test", PG_DNS_A));
    TRY(dns_query(&CLIENT4, &DNS4, 41234, 1100090, 0x5c02, "www.example.test", PG_DNS_AAAA));
    TRY(dns_cname_answer(&DNS4, &CLIENT4, 41234, 1103210, 0x3a41, "www.example.test", PG_DNS_A, "edge.example.test",
                         A_EDGE));
    TRY(dns_cname_answer(&DNS4, &CLIENT4, 41234, 1103930, 0x5c02, "www.example.test", PG_DNS_AAAA, "edge.example.test",
                         WEB6.ip));
    TRY(http_flow(1110000));

    TRY(dns_query(&CLIENT4, &DNS4, 52011, 1700000, 0x7e13, "missing.example.test", PG_DNS_A));
    TRY(dns_nxdomain(&DNS4, &CLIENT4, 52011, 1704620, 0x7e13, "missing.example.test"));

    TRY(refused_flow(1800000));

    TRY(dns_query(&CLIENT4, &DNS4, 38873, 2000000, 0x41c8, "secure.example.test", PG_DNS_A));
    TRY(dns_cname_answer(&DNS4, &CLIENT4, 38873, 2003070, 0x41c8, "secure.example.test", PG_DNS_A, NULL, A_SECURE));
    TRY(tls_flow(2010000));

    /* Never answered: the resolver drops it. */
    TRY(dns_query(&CLIENT4, &DNS4, 60122, 2400000, 0x9d77, "telemetry.example.test", PG_DNS_A));

    TRY(zero_window_flow(2500000));

    TRY(dns_query(&CLIENT6, &DNS6, 47700, 3000000, 0x2f6e, "www.example.test", PG_DNS_AAAA));
    TRY(dns_cname_answer(&DNS6, &CLIENT6, 47700, 3002860, 0x2f6e, "www.example.test", PG_DNS_AAAA, "edge.example.test",
                         WEB6.ip));
    return ping(&CLIENT6, &WEB6, 0x1b31, 1, 3050000, 12330);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT.pcap\n", argc ? argv[0] : "pcap-sample-gen");
        return 2;
    }
    pg_writer_opts o;
    pg_writer_opts_init(&o); /* classic pcap, microseconds, little-endian, Ethernet */
    int rc = pg_open(&W, argv[1], &o);
    if (rc) {
        fprintf(stderr, "pcap-sample-gen: %s: %s\n", argv[1], pg_strerror(rc));
        return 1;
    }
    rc = session();
    int crc = pg_close(W);
    if (!rc) rc = crc;
    if (rc) {
        fprintf(stderr, "pcap-sample-gen: %s: %s\n", argv[1], pg_strerror(rc));
        remove(argv[1]); /* no half-written sample */
        return 1;
    }
    return 0;
}
