/* The shared half of pa-threat-scenarios (see threat_kit.h): the frame and
 * conversation writers, the HTTP, DNS and TLS exchanges, and the key
 * material the TLS certificates are signed with. */
#include "threat_kit.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdio.h>
#include <string.h>

pg_writer *W;
static const pg_ts T0 = {1767225600u, 0};

pg_ts at(uint64_t us) { return pg_ts_add(T0, PG_US(us)); }

/* ------------------------------------------------------------------- PRNG */

/* xorshift64*: every file reseeds it, so files do not depend on each other. */
static uint64_t rng_state;

void rng_seed(uint64_t s) { rng_state = s ? s : 0x9e3779b97f4a7c15ull; }

uint32_t rng32(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

uint32_t rng_below(uint32_t n) { return rng32() % n; }

void rng_bytes(uint8_t *b, size_t n) {
    for (size_t i = 0; i < n; i++) b[i] = (uint8_t)rng32();
}

/* Random text from an alphabet. */
void rng_text(char *out, size_t n, const char *alphabet) {
    size_t k = strlen(alphabet);
    for (size_t i = 0; i < n; i++) out[i] = alphabet[rng_below((uint32_t)k)];
    out[n] = '\0';
}

uint16_t ephemeral_port(void) { return (uint16_t)(32768u + rng_below(28000u)); /* Linux's default range */ }

/* ------------------------------------------------------------------ hosts */

const uint8_t MAC_BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
const uint8_t MAC_ZERO[6] = {0};
uint8_t ROUTER_MAC[6] = {0x02, 0, 0, 0, 0x00, 0x01};

static uint8_t bcd(unsigned v) { return (uint8_t)((v / 10u) << 4 | v % 10u); }

/* Local hosts get MACs that spell their address (10.0.0.20 is
 * 02:00:00:00:00:20, 192.168.1.10 is 02:00:00:00:01:10) so a reader of a
 * capture can tell them apart; everyone else sits behind the router. */
host mkhost(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
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

void ip_frame(pg_pkt *p, uint8_t *buf, size_t cap, host *src, const host *dst) {
    pg_pkt_init(p, buf, cap);
    pg_eth(p, dst->mac, src->mac, PG_ETH_IPV4);
    pg_ip4 ip = {.ttl = src->ttl, .id = src->ip_id++, .df = true};
    memcpy(ip.src, src->ip, 4);
    memcpy(ip.dst, dst->ip, 4);
    pg_ipv4(p, &ip);
}

int put_frame(pg_pkt *p, uint64_t us) {
    TRY(pg_finish(p));
    return pg_write_pkt(W, at(us), p);
}

int arp_frame(uint16_t op, const uint8_t edst[6], const uint8_t esrc[6], const uint8_t sha[6], const uint8_t spa[4],
              const uint8_t tha[6], const uint8_t tpa[4], uint64_t us) {
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
int echo_frame(host *src, const host *dst, bool reply, uint16_t id, uint16_t seq, uint64_t sent_us, size_t plen,
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

int ping(host *a, host *b, uint16_t id, uint16_t seq, uint64_t us, uint64_t rtt_us, size_t plen) {
    TRY(echo_frame(a, b, false, id, seq, us, plen, us));
    return echo_frame(b, a, true, id, seq, us, plen, us + rtt_us);
}

/* One TCP segment without payload, written exactly as given. */
int tcp_raw(host *src, const host *dst, const seg *s, uint64_t us) {
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

int conv_init(pg_tcp_conv *c, const host *cl, uint16_t cport, const host *sv, uint16_t sport) {
    pg_tcp_peer a = mkpeer(cl, cport, false), b = mkpeer(sv, sport, true);
    return pg_tcp_init(c, W, 4, &a, &b);
}

/* A closed port: SYN, then RST/ACK with sequence number 0, as Linux answers. */
int conv_refused(const host *cl, uint16_t cport, const host *sv, uint16_t sport, uint64_t us, uint64_t rtt_us) {
    pg_tcp_conv c;
    TRY(conv_init(&c, cl, cport, sv, sport));
    c.side[PG_SERVER].snd_nxt = 0;
    c.side[PG_SERVER].cfg.ip_id = 0;
    TRY(pg_tcp_syn(&c, at(us)));
    return pg_tcp_rst(&c, at(us + rtt_us), PG_SERVER);
}

int send_str(pg_tcp_conv *c, uint64_t us, int from, const char *s) {
    return pg_tcp_send(c, at(us), from, s, strlen(s), PG_TCP_PUSH);
}

/* len bytes as MSS-sized segments gap_us apart, PSH on the last; *us ends
 * at the time of the last segment. */
int send_data(pg_tcp_conv *c, uint64_t *us, int from, const void *data, size_t len, uint64_t gap_us) {
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
int tcp_close(pg_tcp_conv *c, uint64_t us, int first, uint64_t rtt_us) {
    TRY(pg_tcp_fin(c, at(us), first));
    TRY(pg_tcp_fin(c, at(us + rtt_us), !first));
    return pg_tcp_ack(c, at(us + rtt_us + 50), first);
}

/* ------------------------------------------------------------------- HTTP */

size_t http_response(char *out, size_t cap, const char *status, const char *ctype, const char *body) {
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

size_t http_request(char *out, size_t cap, const char *path, const char *hosthdr, const char *extra) {
    int n = snprintf(out, cap,
                     "GET %s HTTP/1.1\r\nHost: %s\r\n"
                     "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 "
                     "Firefox/128.0\r\nAccept: */*\r\n%sConnection: keep-alive\r\n\r\n",
                     path, hosthdr, extra);
    return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

/* One GET on its own connection (20 ms RTT): handshake, request, response,
 * ACK; then FIN both ways, or a client RST (mode HTTP_CLIENT_RST).  In
 * HTTP_RETX the response is not acknowledged and is resent after 300 ms. */
int http_get(const host *cl, uint16_t cport, const host *sv, uint16_t sport, uint64_t us, const char *path,
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

int dns_query(host *cl, host *sv, uint16_t sport, uint16_t dport, uint64_t us, uint16_t id, const char *name,
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
int dns_answer(host *sv, host *cl, uint16_t sport, uint16_t dport, uint64_t us, uint16_t id, const char *name,
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

static EVP_PKEY *CA_KEY, *SRV_KEY;
static cert CERT_WWW;
cert CERT_OTHER, CERT_3DES;

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

int keys_setup(void) {
    CA_KEY = rsa_from_label("threat-scenarios Example Test CA");
    SRV_KEY = rsa_from_label("threat-scenarios server");
    if (!CA_KEY || !SRV_KEY ||
        make_cert(&CERT_WWW, "www.example.com", false, "20250101000000Z", "20300101000000Z", 0x5a01) ||
        make_cert(&CERT_OTHER, "other.example", true, "20150101000000Z", "20160101000000Z", 0x5a02) ||
        make_cert(&CERT_3DES, "3des.example", false, "20250101000000Z", "20300101000000Z", 0x5a03))
        return PG_EINVAL;
    return PG_OK;
}

void keys_free(void) {
    EVP_PKEY_free(CA_KEY);
    EVP_PKEY_free(SRV_KEY);
}

/* -------------------------------------------------------------------- TLS */

enum { TLS_CCS = 20, TLS_ALERT = 21, TLS_HANDSHAKE = 22, TLS_APPDATA = 23 };

const uint16_t MODERN_SUITES[] = {0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8};

void client_hello(pg_pkt *b, const tls_flow *f, const uint8_t random[32]) {
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
int tls_connection(pg_tcp_conv *c, uint64_t us, uint64_t rtt, const tls_flow *f) {
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

tls_flow www_flow(void) {
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
