/* Kerberos: the DER parser on built and hostile messages (every truncation,
 * lengths past their container, the indefinite form, a wrong pvno or
 * msg-type, nesting past the bound, lists past their cap, every byte
 * flipped), the TCP record reassembly (a header split across segments, two
 * records in one segment, a record past the cap), and the tools on a
 * generated capture: exchanges paired per flow and per UDP port pair in
 * order, times, error counts by name, a krb524 ticket named by its
 * conversation, weak encryption findings. tests/corpus/compare_kerberos.mjs
 * and the display-filter comparison read the capture against tshark.
 * Usage: test_kerberos [DIR] (where kerberos.pcap is written; default
 * kerberos_gen in the working directory, ctest's build folder) */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>

#include "check.h"
#include "kerberos_track.h"
#include "pktgen.h"
#include "test_kit.h"

/* ---- building DER ---------------------------------------------------------- */

typedef struct der {
    uint8_t b[2048];
    size_t n;
} der;

static void put(der *d, const void *p, size_t n) {
    if (d->n + n > sizeof d->b) abort();
    memcpy(d->b + d->n, p, n);
    d->n += n;
}

/* tag, DER length, then the parts in order (NULL ends them) */
static der tlv(unsigned tag, ...) {
    der body = {.n = 0}, out = {.n = 0};
    va_list ap;
    va_start(ap, tag);
    for (const der *x; (x = va_arg(ap, const der *));) put(&body, x->b, x->n);
    va_end(ap);
    uint8_t h[6] = {(uint8_t)tag};
    size_t hn = 1;
    if (body.n < 128) {
        h[hn++] = (uint8_t)body.n;
    } else if (body.n < 256) {
        h[hn++] = 0x81;
        h[hn++] = (uint8_t)body.n;
    } else {
        h[hn++] = 0x82;
        h[hn++] = (uint8_t)(body.n >> 8);
        h[hn++] = (uint8_t)body.n;
    }
    put(&out, h, hn);
    put(&out, body.b, body.n);
    return out;
}

static der raw(const void *p, size_t n) {
    der d = {.n = 0};
    put(&d, p, n);
    return d;
}

static der integer(int64_t v) {
    uint8_t b[8];
    size_t n = 0;
    for (int i = 7; i >= 0; i--) b[n++] = (uint8_t)((uint64_t)v >> (8 * i));
    size_t s = 0; /* minimal two's complement */
    while (s < 7 && ((b[s] == 0 && !(b[s + 1] & 0x80)) || (b[s] == 0xff && (b[s + 1] & 0x80)))) s++;
    der c = raw(b + s, 8 - s);
    return tlv(0x02, &c, NULL);
}

static der gstr(const char *s) {
    der c = raw(s, strlen(s));
    return tlv(0x1b, &c, NULL);
}

static der octets(size_t n, uint8_t fill) {
    uint8_t b[256];
    memset(b, fill, sizeof b);
    der c = raw(b, n);
    return tlv(0x04, &c, NULL);
}

static der ctx(unsigned k, const der *x) { return tlv((uint8_t)(0xa0 | k), x, NULL); }

static der principal(int type, const char *a, const char *b) {
    der t = integer(type), s1 = gstr(a), s2 = b ? gstr(b) : (der){.n = 0};
    der names = tlv(0x30, &s1, &s2, NULL), c0 = ctx(0, &t), c1 = ctx(1, &names);
    return tlv(0x30, &c0, &c1, NULL);
}

static der encrypted(int etype, size_t len) {
    der e = integer(etype), c = octets(len, 0x5a), c0 = ctx(0, &e), c2 = ctx(2, &c);
    return tlv(0x30, &c0, &c2, NULL);
}

static der ticket(const char *realm, const char *s1, const char *s2, int etype) {
    der v = integer(5), r = gstr(realm), sn = principal(2, s1, s2), ep = encrypted(etype, 40);
    der c0 = ctx(0, &v), c1 = ctx(1, &r), c2 = ctx(2, &sn), c3 = ctx(3, &ep);
    der seq = tlv(0x30, &c0, &c1, &c2, &c3, NULL);
    return tlv(0x61, &seq, NULL);
}

static der pa_data(int type, const der *value) {
    der t = integer(type), v = tlv(0x04, value, NULL), c1 = ctx(1, &t), c2 = ctx(2, &v);
    return tlv(0x30, &c1, &c2, NULL);
}

/* ETYPE-INFO2 with these etypes */
static der etype_info2(const int *e, size_t n) {
    der list = {.n = 0};
    for (size_t i = 0; i < n; i++) {
        der x = integer(e[i]), c0 = ctx(0, &x), entry = tlv(0x30, &c0, NULL);
        put(&list, entry.b, entry.n);
    }
    return tlv(0x30, &list, NULL);
}

typedef struct req_opts {
    int type; /* 10 or 12 */
    const char *cname, *realm, *s1, *s2;
    const int *etypes;
    size_t netypes;
    int ts_etype;  /* AS-REQ: PA-ENC-TIMESTAMP of this etype (0: none) */
    int tgt_etype; /* TGS-REQ: the AP-REQ's ticket and authenticator etype */
    uint32_t nonce;
} req_opts;

static der ap_req(const char *realm, int etype) {
    der v = integer(5), t = integer(14), opts = tlv(0x03, &(der){{0, 0, 0, 0, 0}, 5}, NULL);
    der tk = ticket(realm, "krbtgt", realm, etype), auth = encrypted(etype, 48);
    der c0 = ctx(0, &v), c1 = ctx(1, &t), c2 = ctx(2, &opts), c3 = ctx(3, &tk), c4 = ctx(4, &auth);
    der seq = tlv(0x30, &c0, &c1, &c2, &c3, &c4, NULL);
    return tlv(0x6e, &seq, NULL);
}

static der kdc_req(const req_opts *o) {
    der pa = {.n = 0};
    if (o->ts_etype) {
        der e = encrypted(o->ts_etype, 56), p = pa_data(2, &e);
        pa = tlv(0x30, &p, NULL);
    } else if (o->tgt_etype) {
        der a = ap_req(o->realm, o->tgt_etype), p = pa_data(1, &a);
        pa = tlv(0x30, &p, NULL);
    }
    der list = {.n = 0};
    for (size_t i = 0; i < o->netypes; i++) {
        der x = integer(o->etypes[i]);
        put(&list, x.b, x.n);
    }
    der opts = tlv(0x03, &(der){{0, 0x40, 0x81, 0, 0x10}, 5}, NULL),
        cn = o->cname ? principal(1, o->cname, NULL) : (der){.n = 0};
    der rl = gstr(o->realm), sn = principal(2, o->s1, o->s2);
    der till = tlv(0x18, &(der){"20370913024805Z", 15}, NULL), nonce = integer(o->nonce), et = tlv(0x30, &list, NULL);
    der b0 = ctx(0, &opts), b1 = ctx(1, &cn), b2 = ctx(2, &rl), b3 = ctx(3, &sn), b5 = ctx(5, &till),
        b7 = ctx(7, &nonce), b8 = ctx(8, &et);
    der body =
        o->cname ? tlv(0x30, &b0, &b1, &b2, &b3, &b5, &b7, &b8, NULL) : tlv(0x30, &b0, &b2, &b3, &b5, &b7, &b8, NULL);
    der v = integer(5), t = integer(o->type), c1 = ctx(1, &v), c2 = ctx(2, &t), c3 = ctx(3, &pa), c4 = ctx(4, &body);
    der seq = pa.n ? tlv(0x30, &c1, &c2, &c3, &c4, NULL) : tlv(0x30, &c1, &c2, &c4, NULL);
    return tlv((uint8_t)(0x60 | o->type), &seq, NULL);
}

static der kdc_rep(int type, const char *realm, const char *cname, const char *s1, const char *s2, int tkt_etype,
                   int enc_etype) {
    int info[] = {enc_etype};
    der i2 = etype_info2(info, 1), p = pa_data(19, &i2), pa = tlv(0x30, &p, NULL);
    der v = integer(5), t = integer(type), cr = gstr(realm), cn = principal(1, cname, NULL);
    der tk = ticket(realm, s1, s2, tkt_etype), ep = encrypted(enc_etype, 64);
    der c0 = ctx(0, &v), c1 = ctx(1, &t), c2 = ctx(2, &pa), c3 = ctx(3, &cr), c4 = ctx(4, &cn), c5 = ctx(5, &tk),
        c6 = ctx(6, &ep);
    der seq = tlv(0x30, &c0, &c1, &c2, &c3, &c4, &c5, &c6, NULL);
    return tlv((uint8_t)(0x60 | type), &seq, NULL);
}

static der krb_error(int code, const char *realm, const char *cname, const char *s1, const char *s2, const int *info,
                     size_t ninfo) {
    der v = integer(5), t = integer(30), st = tlv(0x18, &(der){"20260101000000Z", 15}, NULL), us = integer(12345);
    der ec = integer(code), cr = gstr(realm), cn = cname ? principal(1, cname, NULL) : (der){.n = 0}, rl = gstr(realm);
    der sn = principal(2, s1, s2), tx = gstr("NEEDED_PREAUTH");
    der md = {.n = 0};
    if (ninfo) {
        der i2 = etype_info2(info, ninfo), p19 = pa_data(19, &i2), empty = {.n = 0}, p2 = pa_data(2, &empty);
        der list = tlv(0x30, &p19, &p2, NULL);
        md = tlv(0x04, &list, NULL);
    }
    der c0 = ctx(0, &v), c1 = ctx(1, &t), c4 = ctx(4, &st), c5 = ctx(5, &us), c6 = ctx(6, &ec), c7 = ctx(7, &cr),
        c8 = ctx(8, &cn), c9 = ctx(9, &rl), c10 = ctx(10, &sn), c11 = ctx(11, &tx), c12 = ctx(12, &md);
    der seq = cname ? (ninfo ? tlv(0x30, &c0, &c1, &c4, &c5, &c6, &c7, &c8, &c9, &c10, &c11, &c12, NULL)
                             : tlv(0x30, &c0, &c1, &c4, &c5, &c6, &c7, &c8, &c9, &c10, NULL))
                    : tlv(0x30, &c0, &c1, &c4, &c5, &c6, &c9, &c10, NULL);
    return tlv(0x7e, &seq, NULL);
}

static const int ETYPES[] = {18, 17, 23, 3};
#define REALM "PA.TEST"

static der as_req(const char *cname, int ts_etype, uint32_t nonce) {
    req_opts o = {10, cname, REALM, "krbtgt", REALM, ETYPES, 4, ts_etype, 0, nonce};
    return kdc_req(&o);
}

static der tgs_req(const char *s1, const char *s2, uint32_t nonce) {
    static const int e[] = {18, 17};
    req_opts o = {12, NULL, REALM, s1, s2, e, 2, 0, 18, nonce};
    return kdc_req(&o);
}

/* ---- the parser ------------------------------------------------------------- */

static void test_parse(void) {
    pa_krb_msg m;
    der a = as_req("alice", 0, 77);
    CHECK(pa_krb_looks(a.b, a.n, a.n) && pa_krb_parse(a.b, a.n, &m) == PA_KRB_OK);
    CHECK(m.type == PA_KRB_AS_REQ && m.pvno == 5 && m.has_nonce && m.nonce == 77 && !m.has_error);
    CHECK_STR(m.client, "alice");
    CHECK_STR(m.client_realm, REALM);
    CHECK_STR(m.service, "krbtgt/" REALM);
    CHECK(m.enctypes.n == 4 && m.enctypes.v[2] == 23 && m.etypes.n == 0 && m.msg_types.n == 1);
    CHECK(m.cnames.n == 1 && m.snames.n == 2 && m.realms.n == 1 && !m.crealms.n);
    /* every truncation breaks the outer length: not a message */
    for (size_t k = 0; k < a.n; k++) CHECK(pa_krb_parse(a.b, k, &m) == PA_KRB_NOT);
    /* a length past its container inside: malformed, what came before kept */
    der bad = a;
    bad.b[bad.n - 3] = 0x7f; /* the last INTEGER's length */
    CHECK(pa_krb_parse(bad.b, bad.n, &m) == PA_KRB_MALFORMED && m.msg_types.n == 1);
    /* the indefinite form (BER, not DER) */
    bad = a;
    bad.b[3] = 0x80;
    CHECK(pa_krb_parse(bad.b, bad.n, &m) != PA_KRB_OK);
    /* pvno 4: not Kerberos 5; a msg-type other than the tag's: malformed */
    bad = a;
    size_t at = 0;
    while (at + 5 < bad.n && memcmp(bad.b + at, "\xa1\x03\x02\x01\x05", 5)) at++;
    bad.b[at + 4] = 4;
    CHECK(pa_krb_parse(bad.b, bad.n, &m) == PA_KRB_NOT);
    bad = a;
    bad.b[at + 9] = 12; /* [2] INTEGER 10 -> 12 */
    CHECK(pa_krb_parse(bad.b, bad.n, &m) == PA_KRB_MALFORMED);
    /* every byte flipped: no crash, and the strings stay terminated */
    for (size_t k = 0; k < a.n; k++) {
        bad = a;
        bad.b[k] ^= 0xff;
        (void)pa_krb_parse(bad.b, bad.n, &m);
        CHECK(strlen(m.client) < PA_KRB_STR && m.enctypes.n <= PA_KRB_LIST);
    }

    /* a TGS-REQ: the AP-REQ in its padata comes first in the field lists */
    der t = tgs_req("host", "server.pa.test", 9);
    CHECK(pa_krb_parse(t.b, t.n, &m) == PA_KRB_OK && m.msg_types.n == 2 && m.msg_types.v[0] == 12 &&
          m.msg_types.v[1] == 14);
    CHECK(m.etypes.n == 2 && m.padata.n == 1 && m.padata.v[0] == 1 && m.realms.n == 2);
    CHECK_STR(m.snames.s[0], "krbtgt");
    CHECK_STR(m.service, "host/server.pa.test");
    CHECK(!m.client[0]);

    /* a reply: crealm, cname, ticket, and the chosen etype */
    der r = kdc_rep(11, REALM, "alice", "krbtgt", REALM, 18, 23);
    CHECK(pa_krb_parse(r.b, r.n, &m) == PA_KRB_OK && m.has_reply_etype && m.reply_etype == 23);
    CHECK(m.has_ticket_etype && m.ticket_etype == 18 && m.etypes.n == 3 && m.etypes.v[0] == 23);
    CHECK(m.crealms.n == 1 && m.cnames.n == 1 && m.realms.n == 1);

    /* an error with METHOD-DATA */
    int info[] = {18, 23};
    der e = krb_error(25, REALM, "alice", "krbtgt", REALM, info, 2);
    CHECK(pa_krb_parse(e.b, e.n, &m) == PA_KRB_OK && m.has_error && m.error_code == 25);
    CHECK(m.etypes.n == 2 && m.etypes.v[1] == 23 && m.padata.n == 2 && m.has_e_text);
    CHECK_STR(pa_krb_error_name(25), "KRB5KDC_ERR_PREAUTH_REQUIRED");
    CHECK_STR(pa_krb_error_name(37), "KRB5KRB_AP_ERR_SKEW");
    CHECK_STR(pa_krb_error_name(23), "KRB5KDC_ERR_KEY_EXP");
    CHECK(!pa_krb_error_name(30));
    CHECK_STR(pa_krb_etype_name(23), "eTYPE-ARCFOUR-HMAC-MD5");
    CHECK(pa_krb_etype_weak(23) && pa_krb_etype_weak(3) && !pa_krb_etype_weak(18) && !pa_krb_etype_weak(20));

    /* lists past their cap are counted */
    int many[40];
    for (int i = 0; i < 40; i++) many[i] = i % 2 ? 17 : 18;
    req_opts o = {10, "bob", REALM, "krbtgt", REALM, many, 40, 0, 0, 1};
    der big = kdc_req(&o);
    CHECK(pa_krb_parse(big.b, big.n, &m) == PA_KRB_OK && m.enctypes.n == PA_KRB_LIST &&
          m.enctypes.more == 40 - PA_KRB_LIST);

    /* messages nested past the bound: TGS-REQs inside each other's padata */
    der nest = tgs_req("host", "x", 1);
    for (int i = 0; i < PA_KRB_DEPTH + 1; i++) {
        der p = pa_data(1, &nest), pa = tlv(0x30, &p, NULL), v = integer(5), ty = integer(12);
        der body = tgs_req("host", "x", 1);
        /* reuse a request body: the outer request's [4] */
        pa_krb_msg tmp;
        (void)tmp;
        der c1 = ctx(1, &v), c2 = ctx(2, &ty), c3 = ctx(3, &pa);
        /* the body of a fresh TGS-REQ: cut its [4] out of the built one */
        size_t off = 0;
        while (off + 1 < body.n && body.b[off] != 0xa4) off++;
        der c4 = raw(body.b + off, body.n - off);
        der seq = tlv(0x30, &c1, &c2, &c3, &c4, NULL);
        nest = tlv(0x6c, &seq, NULL);
    }
    CHECK(pa_krb_parse(nest.b, nest.n, &m) == PA_KRB_MALFORMED && m.msg_types.n <= PA_KRB_DEPTH + 1);

    /* a bare Ticket (krb524) */
    der tk = ticket(REALM, "afs", NULL, 1);
    CHECK(pa_krb_parse(tk.b, tk.n, &m) == PA_KRB_OK && m.type == PA_KRB_TICKET && !m.msg_types.n);
    CHECK(m.etypes.n == 1 && m.etypes.v[0] == 1 && !pa_krb_looks(tk.b, tk.n, tk.n));
    /* a header that is no message: an application tag Kerberos does not send, a long form of 5 bytes */
    uint8_t odd[] = {0x70, 0x05, 0x30, 0x03, 0xa0, 0x01, 0x05};
    CHECK(!pa_krb_looks(odd, sizeof odd, sizeof odd) && pa_krb_parse(odd, sizeof odd, &m) == PA_KRB_NOT);
    uint8_t five[] = {0x6a, 0x85, 0, 0, 0, 0, 9, 0x30, 0x05, 0xa1, 0x03, 0x02, 0x01, 0x05};
    CHECK(!pa_krb_looks(five, sizeof five, 0));
}

/* ---- TCP records ------------------------------------------------------------------ */

static pa_packet seg_pkt(const uint8_t *d, size_t n, uint32_t seq, uint64_t frame, bool from_client) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = PA_P_TCP;
    p.src.family = p.dst.family = 4;
    p.src.b[3] = from_client ? 1 : 2;
    p.dst.b[3] = from_client ? 2 : 1;
    p.sport = from_client ? 50000 : 88;
    p.dport = from_client ? 88 : 50000;
    p.payload = d;
    p.payload_len = (uint32_t)n;
    p.tcp.seq = seq;
    p.frame_no = frame;
    p.ts_ns = (int64_t)frame * 1000000;
    return p;
}

static void test_records(void) {
    pa_kerberos_stats st;
    CHECK(pa_krb_init(&st) == 0);
    pa_krb_flow *f = NULL;
    der a = as_req("alice", 0, 5), e = krb_error(6, REALM, "alice", "krbtgt", REALM, NULL, 0);
    uint8_t rec[4200];
    size_t n = 0;
    rec[n++] = 0, rec[n++] = 0, rec[n++] = (uint8_t)(a.n >> 8), rec[n++] = (uint8_t)a.n;
    memcpy(rec + n, a.b, a.n);
    n += a.n;
    pa_tcp_state tcp;
    memset(&tcp, 0, sizeof tcp);
    tcp.dir[0].base_known = tcp.dir[1].base_known = true;
    tcp.dir[0].base = 999;
    tcp.dir[1].base = 4999;
    /* the header split after 2 bytes, the body in two more segments */
    pa_krb_frame view;
    memset(&view, 0, sizeof view);
    pa_packet p = seg_pkt(rec, 2, 1000, 1, true);
    CHECK(pa_krb_segment(&st, &f, &p, 0, &tcp, &view) == 0 && !view.present);
    p = seg_pkt(rec + 2, 20, 1002, 2, true);
    CHECK(pa_krb_segment(&st, &f, &p, 0, &tcp, &view) == 0);
    p = seg_pkt(rec + 22, n - 22, 1022, 3, true);
    CHECK(pa_krb_segment(&st, &f, &p, 0, &tcp, &view) == 1 && view.present && view.msg.type == PA_KRB_AS_REQ);
    /* two records in one segment, the reserved bit set on the second (masked, as Wireshark does) */
    uint8_t two[600];
    size_t k = 0;
    for (int i = 0; i < 2; i++) {
        two[k++] = i ? 0x80 : 0, two[k++] = 0, two[k++] = (uint8_t)(e.n >> 8), two[k++] = (uint8_t)e.n;
        memcpy(two + k, e.b, e.n);
        k += e.n;
    }
    memset(&view, 0, sizeof view);
    p = seg_pkt(two, k, 5000, 4, false);
    CHECK(pa_krb_segment(&st, &f, &p, 1, &tcp, &view) == 2 && view.nmsgs == 2 && view.msg.error_codes.n == 2);
    CHECK(st.answered == 1 && st.orphan_replies == 1 && st.errors == 2 && st.error_code[6] == 2);
    CHECK(st.ntx == 1 && st.tx[0].req_frame == 3 && st.tx[0].rep_frame == 4 && st.tx[0].rt_ns == 1000000);
    /* a record length past the cap: the direction is not followed further */
    uint8_t huge[8] = {0x7f, 0xff, 0xff, 0xff, 0x6a, 0x84, 0x7f, 0xff};
    p = seg_pkt(huge, sizeof huge, (uint32_t)(1000 + n), 5, true);
    CHECK(pa_krb_segment(&st, &f, &p, 0, &tcp, NULL) == 0 && st.records_too_long == 1);
    p = seg_pkt(rec, n, (uint32_t)(1008 + n), 6, true);
    CHECK(pa_krb_segment(&st, &f, &p, 0, &tcp, NULL) == 0 && st.requests == 1);
    /* a hole: bytes after it that start no record stop the direction */
    p = seg_pkt(two + 10, 50, 7000, 7, false);
    CHECK(pa_krb_segment(&st, &f, &p, 1, &tcp, NULL) == 0);
    pa_krb_finish_flow(&st, f);
    pa_krb_free_flow(f);
    pa_krb_finish(&st);
    CHECK(st.unanswered == 0 && st.messages == 3 && st.tcp_messages == 3);
    pa_krb_stats_free(&st);
}

/* ---- the capture and the tools -------------------------------------------------- */

#define V4(a, b, c, d, port)                                                                                           \
    { 4, {a, b, c, d}, port }
static const pg_udp_ep KDC = V4(10, 0, 0, 2, 88), C1 = V4(10, 0, 0, 1, 50000), C2 = V4(10, 0, 0, 1, 50002),
                       C3 = V4(10, 0, 0, 3, 40000), K524 = V4(10, 0, 0, 2, 4444), OTHER524 = V4(10, 0, 0, 9, 4444);
#define T0 1767200000ull

static pg_ts at_ms(uint64_t ms) { return pg_ts_add((pg_ts){T0, 0}, PG_MS(ms)); }

static void udp(pg_writer *w, uint64_t ms, const pg_udp_ep *s, const pg_udp_ep *d, const der *x) {
    CHECK(pg_write_udp(w, at_ms(ms), s, d, x->b, x->n) == 0);
}

static void tcp_send(pg_tcp_conv *c, uint64_t ms, int from, const der *x, size_t split) {
    uint8_t rec[2100];
    rec[0] = 0, rec[1] = 0, rec[2] = (uint8_t)(x->n >> 8), rec[3] = (uint8_t)x->n;
    memcpy(rec + 4, x->b, x->n);
    size_t n = x->n + 4;
    if (split && split < n) {
        CHECK(pg_tcp_send(c, at_ms(ms), from, rec, split, 0) == 0);
        CHECK(pg_tcp_send(c, pg_ts_add(at_ms(ms), PG_US(100)), from, rec + split, n - split, PG_TCP_PUSH) == 0);
    } else {
        CHECK(pg_tcp_send(c, at_ms(ms), from, rec, n, PG_TCP_PUSH) == 0);
    }
}

static void write_capture(const char *path) {
    pg_writer *w = NULL;
    CHECK(pg_open(&w, path, NULL) == 0);
    if (!w) return;
    int pre[] = {18, 23};
    /* UDP: pre-authentication required, then an AS-REP with an RC4 session key */
    der x = as_req("alice", 0, 101);
    udp(w, 0, &C1, &KDC, &x); /* frame 1 */
    x = krb_error(25, REALM, "alice", "krbtgt", REALM, pre, 2);
    udp(w, 2, &KDC, &C1, &x); /* 2: 2 ms */
    x = as_req("alice", 23, 102);
    udp(w, 10, &C1, &KDC, &x); /* 3 */
    x = kdc_rep(11, REALM, "alice", "krbtgt", REALM, 18, 23);
    udp(w, 13, &KDC, &C1, &x); /* 4: 3 ms */
    /* two TGS-REQs waiting on one port pair: answered in order */
    x = tgs_req("host", "server.pa.test", 103);
    udp(w, 20, &C1, &KDC, &x); /* 5 */
    x = tgs_req("nosuch", "server.pa.test", 104);
    udp(w, 21, &C1, &KDC, &x); /* 6 */
    x = kdc_rep(13, REALM, "alice", "host", "server.pa.test", 18, 18);
    udp(w, 25, &KDC, &C1, &x); /* 7: answers 5, 5 ms */
    x = krb_error(7, REALM, "alice", "nosuch", "server.pa.test", NULL, 0);
    udp(w, 27, &KDC, &C1, &x); /* 8: answers 6, 6 ms */
    /* krb524: a ticket to the KDC's port 4444 from the client's port (named by the
     * conversation), and one to another host (not) */
    x = ticket(REALM, "afs", NULL, 1);
    udp(w, 30, &C1, &K524, &x);     /* 9 */
    udp(w, 31, &C1, &OTHER524, &x); /* 10 */
    /* an unanswered request, and a reply no request waits for */
    x = as_req("nobody", 0, 105);
    udp(w, 40, &C2, &KDC, &x); /* 11 */
    x = krb_error(6, REALM, "ghost", "krbtgt", REALM, NULL, 0);
    udp(w, 41, &KDC, &C3, &x); /* 12: C3 has asked nothing yet */
    x = as_req("carol", 0, 106);
    udp(w, 50, &C3, &KDC, &x); /* 13 */
    x = krb_error(37, REALM, "carol", "krbtgt", REALM, NULL, 0);
    udp(w, 57, &KDC, &C3, &x); /* 14: 7 ms, KRB5KRB_AP_ERR_SKEW */

    /* TCP: a request split across two segments, its error in one */
    pg_tcp_conv c;
    pg_tcp_peer cl = kit_peer(1, 50010, 1000), sv = kit_peer(2, 88, 5000);
    CHECK(pg_tcp_init(&c, w, 4, &cl, &sv) == 0);
    CHECK(pg_tcp_handshake(&c, at_ms(100), PG_US(200)) == 0); /* 15-17 */
    x = as_req("dave", 0, 107);
    tcp_send(&c, 101, PG_CLIENT, &x, 30); /* 18, 19 */
    x = krb_error(24, REALM, "dave", "krbtgt", REALM, NULL, 0);
    tcp_send(&c, 110, PG_SERVER, &x, 0); /* 20: 8.9 ms after 19 */
    CHECK(pg_tcp_fin(&c, at_ms(111), PG_CLIENT) == 0);
    CHECK(pg_tcp_fin(&c, at_ms(112), PG_SERVER) == 0);
    /* a TGS exchange whose reply spans two segments */
    cl = kit_peer(1, 50011, 2000);
    CHECK(pg_tcp_init(&c, w, 4, &cl, &sv) == 0);
    CHECK(pg_tcp_handshake(&c, at_ms(200), PG_US(200)) == 0);
    x = tgs_req("cifs", "files.pa.test", 108);
    tcp_send(&c, 201, PG_CLIENT, &x, 0);
    x = kdc_rep(13, REALM, "alice", "cifs", "files.pa.test", 23, 18);
    tcp_send(&c, 204, PG_SERVER, &x, 100);
    CHECK(pg_tcp_fin(&c, at_ms(205), PG_CLIENT) == 0);
    CHECK(pg_tcp_fin(&c, at_ms(206), PG_SERVER) == 0);
    CHECK(pg_close(w) == 0);
}

static json_int_t num(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static void test_tools(const char *dir) {
    pa_registry reg;
    pa_config cfg;
    pa_tools_state *state = kit_tools(&reg, &cfg, dir);
    CHECK(state != NULL);
    if (!state) return;
    pa_tool_result res;
    json_t *s = kit_call(&reg, &cfg, state, "analyze_application_response_times",
                         "{\"pcap_file\":\"kerberos.pcap\",\"protocol\":\"kerberos\",\"limit\":50}", &res);
    const json_t *sec = json_array_get(json_object_get(s, "sections"), 0);
    CHECK_STR(json_string_value(json_object_get(sec, "name")), "kerberos");
    const json_t *ex = json_object_get(sec, "exchanges");
    CHECK(num(ex, "requests") == 8 && num(ex, "answered") == 7 && num(ex, "errors") == 5);
    CHECK(num(sec, "unanswered") == 1 && num(sec, "orphan_replies") == 1);
    CHECK(num(ex, "weak_offered") == 5 && num(ex, "weak_chosen") == 2);
    const json_t *codes = json_object_get(sec, "error_codes");
    CHECK(num(codes, "KRB5KDC_ERR_PREAUTH_REQUIRED") == 1 && num(codes, "KRB5KRB_AP_ERR_SKEW") == 1);
    CHECK(num(codes, "KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN") == 1 && num(codes, "KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN") == 1);
    CHECK(num(codes, "KRB5KDC_ERR_PREAUTH_FAILED") == 1);
    const json_t *msgs = json_object_get(sec, "messages");
    CHECK(num(msgs, "AS-REQ") == 5 && num(msgs, "TGS-REQ") == 3 && num(msgs, "KRB-ERROR") == 5 &&
          num(msgs, "Ticket") == 1 && num(msgs, "AS-REP") == 1 && num(msgs, "TGS-REP") == 2);
    /* each pair: request frame -> reply frame, time */
    static const struct {
        json_int_t req, rep;
        double ms;
    } pairs[] = {{1, 2, 2}, {3, 4, 3}, {5, 7, 5}, {6, 8, 6}, {13, 14, 7}, {19, 20, 8.9}, {26, 28, 3.1}};
    const json_t *slow = json_object_get(sec, "slowest");
    CHECK(json_array_size(slow) == 7);
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        bool found = false;
        size_t j;
        const json_t *r;
        json_array_foreach(slow, j, r) {
            if (num(r, "frame") != pairs[i].req) continue;
            found = num(r, "reply_frame") == pairs[i].rep &&
                    fabs(json_real_value(json_object_get(r, "time_ms")) - pairs[i].ms) < 1e-6;
        }
        CHECK(found);
        if (!found)
            fprintf(stderr, "  pair %lld -> %lld not found\n", (long long)pairs[i].req, (long long)pairs[i].rep);
    }
    CHECK_CONTAINS(res.text.data, "AS-REQ alice@PA.TEST -> krbtgt/PA.TEST: KRB5KDC_ERR_PREAUTH_REQUIRED");
    pa_tool_result_free(&res);

    /* which frames are Kerberos: the krb524 ticket to the KDC, not the one elsewhere */
    s = kit_call(&reg, &cfg, state, "list_packets",
                 "{\"pcap_file\":\"kerberos.pcap\",\"display_filter\":\"kerberos\",\"limit\":100}", &res);
    CHECK_CONTAINS(res.text.data, "17 of ");
    CHECK(strstr(res.text.data, "\n      9 ") && !strstr(res.text.data, "\n     10 "));
    pa_tool_result_free(&res);

    /* the KDC chose RC4-HMAC for a session key and for a ticket: high; offered: low */
    s = kit_call(&reg, &cfg, state, "analyze_security_threats", "{\"pcap_file\":\"kerberos.pcap\"}", &res);
    CHECK_CONTAINS(res.text.data, "KDC 10.0.0.2:88 chose eTYPE-ARCFOUR-HMAC-MD5");
    CHECK_CONTAINS(res.text.data, "for the session key in 1 exchanges");
    CHECK_CONTAINS(res.text.data, "for the ticket in 1 exchanges");
    CHECK_CONTAINS(res.text.data, "offered eTYPE-DES-CBC-MD5");
    pa_tool_result_free(&res);

    s = kit_call(&reg, &cfg, state, "analyze_expert_information", "{\"pcap_file\":\"kerberos.pcap\",\"limit\":100}",
                 &res);
    CHECK_CONTAINS(res.text.data, "Kerberos error: KRB5KRB_AP_ERR_SKEW (37)");
    CHECK_CONTAINS(res.text.data, "Kerberos KDC chose a weak encryption type for the session key");
    (void)s;
    pa_tool_result_free(&res);
    pa_tools_state_free(state);
    pa_registry_free(&reg);
}

int main(int argc, char **argv) {
    test_parse();
    test_records();
    char path[512];
    const char *dir = kit_capture_path(argc, argv, "kerberos_gen", "kerberos.pcap", path, sizeof path);
    write_capture(path);
    test_tools(dir);
    return check_done("kerberos");
}
