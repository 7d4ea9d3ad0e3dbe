/* LDAP: the parser on built and hostile bytes (binds simple and SASL,
 * searches with every filter kind as RFC 4515 text, results, extended
 * operations, every truncation of a message, indefinite and oversized
 * lengths, high tags, filters nested past the cap), the look, and a capture
 * built here (ldap_gen/ldap.pcap: two messages in one segment, a
 * searchResEntry over three segments with searchResDone after it, SASL
 * buffers after a GSS-SPNEGO bind, the global catalog port, an oversized
 * length, CLDAP with a searchResEntry and searchResDone in one datagram),
 * which compare_ldap.mjs compares with tshark; then the response times and
 * the cleartext-credential finding on it.
 * Usage: test_ldap [DIR] (where the capture is written; default ldap_gen) */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "ldap_analyzer.h"
#include "pktgen.h"
#include "test_kit.h"
#include "tool_common.h"

/* ---- building BER ------------------------------------------------------------------ */

typedef struct wb {
    uint8_t b[8192];
    size_t n;
} wb;

static void put(wb *w, const void *p, size_t n) {
    memcpy(w->b + w->n, p, n);
    w->n += n;
}

/* tag, definite length (short, or long form of two bytes), contents */
static void tlv(wb *w, uint8_t tag, const void *v, size_t n) {
    w->b[w->n++] = tag;
    if (n < 128) {
        w->b[w->n++] = (uint8_t)n;
    } else {
        w->b[w->n++] = 0x82;
        w->b[w->n++] = (uint8_t)(n >> 8);
        w->b[w->n++] = (uint8_t)n;
    }
    put(w, v, n);
}
static void wrap(wb *w, uint8_t tag, const wb *in) { tlv(w, tag, in->b, in->n); }
static void str(wb *w, uint8_t tag, const char *s) { tlv(w, tag, s, strlen(s)); }
static void num(wb *w, uint8_t tag, uint32_t v) {
    uint8_t b[5];
    size_t n = 0;
    if (v >= 0x800000u) b[n++] = (uint8_t)(v >> 24);
    if (v >= 0x8000u) b[n++] = (uint8_t)(v >> 16);
    if (v >= 0x80u) b[n++] = (uint8_t)(v >> 8);
    b[n++] = (uint8_t)v;
    tlv(w, tag, b, n);
}
static void msg(wb *out, uint32_t id, uint8_t optag, const wb *op) {
    wb m = {.n = 0};
    num(&m, 0x02, id);
    wrap(&m, optag, op);
    wrap(out, 0x30, &m);
}

static void bind_simple(wb *out, uint32_t id, const char *dn, const char *pw) {
    wb op = {.n = 0};
    num(&op, 0x02, 3);
    str(&op, 0x04, dn);
    str(&op, 0x80, pw);
    msg(out, id, 0x60, &op);
}
static void bind_sasl(wb *out, uint32_t id, const char *mech, const char *cred) {
    wb op = {.n = 0}, sasl = {.n = 0};
    num(&op, 0x02, 3);
    str(&op, 0x04, "");
    str(&sasl, 0x04, mech);
    if (cred) str(&sasl, 0x04, cred);
    wrap(&op, 0xa3, &sasl);
    msg(out, id, 0x60, &op);
}
static void result(wb *out, uint32_t id, uint8_t optag, uint32_t code, const char *matched, const char *diag) {
    wb op = {.n = 0};
    num(&op, 0x0a, code);
    str(&op, 0x04, matched);
    str(&op, 0x04, diag);
    msg(out, id, optag, &op);
}

/* (&(objectClass=person)(|(cn=a*b*c)(!(uid=x)))(sn>=M)(mail=*)(cn:dn:2.5.13.5:=J\2a)) */
static void sample_filter(wb *f) {
    wb and = {.n = 0}, or = {.n = 0}, x = {.n = 0}, subs = {.n = 0}, y = {.n = 0};
    str(&x, 0x04, "objectClass");
    str(&x, 0x04, "person");
    wrap(&and, 0xa3, &x);
    x.n = 0;
    str(&x, 0x04, "cn");
    str(&subs, 0x80, "a");
    str(&subs, 0x81, "b");
    str(&subs, 0x82, "c");
    wrap(&x, 0x30, &subs);
    wrap(& or, 0xa4, &x);
    x.n = 0;
    str(&x, 0x04, "uid");
    str(&x, 0x04, "x");
    wrap(&y, 0xa3, &x);
    wrap(& or, 0xa2, &y);
    wrap(&and, 0xa1, & or);
    x.n = 0;
    str(&x, 0x04, "sn");
    str(&x, 0x04, "M");
    wrap(&and, 0xa5, &x);
    str(&and, 0x87, "mail");
    x.n = 0;
    str(&x, 0x81, "2.5.13.5");
    str(&x, 0x82, "cn");
    str(&x, 0x83, "J*");
    tlv(&x, 0x84, "\x01", 1);
    wrap(&and, 0xa9, &x);
    wrap(f, 0xa0, &and);
}

static void search(wb *out, uint32_t id, const char *base, uint32_t scope, const wb *filter, int nattrs) {
    wb op = {.n = 0}, attrs = {.n = 0};
    str(&op, 0x04, base);
    num(&op, 0x0a, scope);
    num(&op, 0x0a, 0);
    num(&op, 0x02, 100);
    num(&op, 0x02, 30);
    tlv(&op, 0x01, "\x00", 1);
    put(&op, filter->b, filter->n);
    for (int i = 0; i < nattrs; i++) str(&attrs, 0x04, i ? "mail" : "cn");
    wrap(&op, 0x30, &attrs);
    msg(out, id, 0x63, &op);
}

/* a searchResEntry with one attribute of vlen bytes */
static void entry(wb *out, uint32_t id, const char *dn, const char *type, size_t vlen) {
    wb op = {.n = 0}, attrs = {.n = 0}, a = {.n = 0}, vals = {.n = 0};
    static uint8_t v[4096];
    for (size_t i = 0; i < vlen && i < sizeof v; i++) v[i] = (uint8_t)('a' + i % 26);
    str(&op, 0x04, dn);
    str(&a, 0x04, type);
    tlv(&vals, 0x04, v, vlen);
    wrap(&a, 0x31, &vals);
    wrap(&attrs, 0x30, &a);
    wrap(&op, 0x30, &attrs);
    msg(out, id, 0x64, &op);
}

/* ---- the parser -------------------------------------------------------------------- */

static void test_parse(void) {
    pa_ldap_msg m;
    wb w = {.n = 0};
    bind_simple(&w, 1, "cn=admin,dc=example,dc=com", "s3cret");
    CHECK(pa_ldap_looks(w.b, w.n) && pa_ldap_message_len(w.b, w.n) == (int64_t)w.n);
    CHECK(pa_ldap_parse(w.b, w.n, &m) == PA_LDAP_OK);
    CHECK(m.id == 1 && m.op == PA_LDAP_BIND_REQ && m.version == 3 && m.auth == PA_LDAP_AUTH_SIMPLE);
    CHECK_STR(m.name, "cn=admin,dc=example,dc=com");
    CHECK(m.has_simple && m.simple_len == 6);
    CHECK_STR(m.simple, "s3cret");
    w.n = 0;
    bind_sasl(&w, 7, "GSS-SPNEGO", "\x60\x03\x06\x01\x00");
    CHECK(pa_ldap_parse(w.b, w.n, &m) == PA_LDAP_OK && m.auth == PA_LDAP_AUTH_SASL && !m.has_simple);
    CHECK_STR(m.mechanism, "GSS-SPNEGO");
    /* a search with a filter of each kind */
    wb f = {.n = 0};
    sample_filter(&f);
    w.n = 0;
    search(&w, 2, "dc=example,dc=com", 2, &f, 2);
    CHECK(pa_ldap_parse(w.b, w.n, &m) == PA_LDAP_OK);
    CHECK(m.op == PA_LDAP_SEARCH_REQ && m.scope == 2 && m.size_limit == 100 && m.time_limit == 30 && m.nattrs == 2);
    CHECK_STR(m.name, "dc=example,dc=com");
    CHECK_STR(m.filter, "(&(objectClass=person)(|(cn=a*b*c)(!(uid=x)))(sn>=M)(mail=*)(cn:dn:2.5.13.5:=J\\2a))");
    /* results */
    w.n = 0;
    result(&w, 3, 0x65, 32, "dc=example,dc=com", "no such entry");
    CHECK(pa_ldap_parse(w.b, w.n, &m) == PA_LDAP_OK && m.op == PA_LDAP_SEARCH_DONE && m.result == 32);
    CHECK_STR(m.matched_dn, "dc=example,dc=com");
    CHECK_STR(m.error, "no such entry");
    CHECK_STR(pa_ldap_result_name(m.result), "noSuchObject");
    CHECK_STR(pa_ldap_result_name(49), "invalidCredentials");
    CHECK_STR(pa_ldap_result_name(50), "insufficientAccessRights");
    CHECK(pa_ldap_result_name(9) == NULL);
    /* StartTLS and its response name */
    wb op = {.n = 0};
    str(&op, 0x80, PA_LDAP_STARTTLS_OID);
    w.n = 0;
    msg(&w, 4, 0x77, &op);
    CHECK(pa_ldap_parse(w.b, w.n, &m) == PA_LDAP_OK && m.op == PA_LDAP_EXT_REQ && m.has_oid);
    CHECK_STR(m.oid, PA_LDAP_STARTTLS_OID);
    op.n = 0;
    num(&op, 0x0a, 0);
    str(&op, 0x04, "");
    str(&op, 0x04, "");
    str(&op, 0x8a, PA_LDAP_STARTTLS_OID);
    w.n = 0;
    msg(&w, 4, 0x78, &op);
    CHECK(pa_ldap_parse(w.b, w.n, &m) == PA_LDAP_OK && m.op == PA_LDAP_EXT_RESP && m.result == 0 && m.has_oid);
    /* unbind, del and abandon are primitive */
    const uint8_t unbind[] = {0x30, 0x05, 0x02, 0x01, 0x09, 0x42, 0x00};
    CHECK(pa_ldap_parse(unbind, sizeof unbind, &m) == PA_LDAP_OK && m.op == PA_LDAP_UNBIND && m.id == 9);
    const uint8_t unbind_win[] = {0x30, 0x84, 0, 0, 0, 0x05, 0x02, 0x01, 0x09, 0x42, 0x00};
    CHECK(pa_ldap_parse(unbind_win, sizeof unbind_win, &m) == PA_LDAP_OK && pa_ldap_looks(unbind_win, 11));
    const uint8_t abandon[] = {0x30, 0x06, 0x02, 0x01, 0x05, 0x50, 0x01, 0x03};
    CHECK(pa_ldap_parse(abandon, sizeof abandon, &m) == PA_LDAP_OK && m.abandon_id == 3);
    /* a constructed unbind or a primitive bind is not LDAP's form */
    const uint8_t bad_form[] = {0x30, 0x05, 0x02, 0x01, 0x09, 0x62, 0x00};
    CHECK(pa_ldap_parse(bad_form, sizeof bad_form, &m) == PA_LDAP_NOT && !pa_ldap_looks(bad_form, 7));
    CHECK(pa_ldap_op_name(PA_LDAP_SEARCH_REF) && !pa_ldap_op_name(17) && !pa_ldap_op_name(200));
    CHECK(pa_ldap_is_final(PA_LDAP_SEARCH_DONE) && !pa_ldap_is_final(PA_LDAP_SEARCH_ENTRY));
}

static void test_hostile(void) {
    pa_ldap_msg m;
    wb w = {.n = 0}, f = {.n = 0};
    sample_filter(&f);
    search(&w, 2, "dc=example,dc=com", 2, &f, 2);
    /* every truncation: never OK, never past the bytes (ASan watches) */
    for (size_t k = 0; k < w.n; k++) {
        uint8_t *cut = malloc(k ? k : 1);
        memcpy(cut, w.b, k);
        CHECK(pa_ldap_parse(cut, k, &m) != PA_LDAP_OK);
        int64_t len = pa_ldap_message_len(cut, k);
        CHECK(len == -1 || len == (int64_t)w.n);
        free(cut);
    }
    /* every byte flipped: whatever it says, within bounds */
    for (size_t k = 0; k < w.n; k++) {
        wb x = w;
        x.b[k] ^= 0xff;
        (void)pa_ldap_parse(x.b, x.n, &m);
        (void)pa_ldap_looks(x.b, x.n);
    }
    /* the indefinite form, five length bytes, a length past the bytes, a high tag */
    const uint8_t indefinite[] = {0x30, 0x80, 0x02, 0x01, 0x01, 0x42, 0x00, 0x00, 0x00};
    CHECK(pa_ldap_message_len(indefinite, sizeof indefinite) == 0 && !pa_ldap_looks(indefinite, 9));
    const uint8_t five[] = {0x30, 0x85, 1, 0, 0, 0, 0, 0x02, 0x01, 0x01};
    CHECK(pa_ldap_message_len(five, sizeof five) == 0);
    const uint8_t huge[] = {0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01, 0x60, 0x84, 0xff, 0xff, 0xff, 0xf0};
    CHECK(pa_ldap_message_len(huge, sizeof huge) == 6 + 0xffffffffll && pa_ldap_looks(huge, sizeof huge));
    CHECK(pa_ldap_parse(huge, sizeof huge, &m) == PA_LDAP_NOT);
    const uint8_t high_tag[] = {0x30, 0x06, 0x02, 0x01, 0x01, 0x7f, 0x01, 0x00};
    CHECK(pa_ldap_parse(high_tag, sizeof high_tag, &m) == PA_LDAP_NOT && !pa_ldap_looks(high_tag, 8));
    const uint8_t short_len[] = {0x30, 0x01, 0x02};
    CHECK(pa_ldap_message_len(short_len, 3) == 0);
    /* an operation longer than its message */
    const uint8_t op_past[] = {0x30, 0x07, 0x02, 0x01, 0x01, 0x61, 0x09, 0x0a, 0x01, 0x00, 0x04, 0x00};
    CHECK(!pa_ldap_looks(op_past, sizeof op_past) && pa_ldap_parse(op_past, sizeof op_past, &m) == PA_LDAP_NOT);
    /* a messageID that is negative or too large */
    const uint8_t neg_id[] = {0x30, 0x05, 0x02, 0x01, 0x80, 0x42, 0x00};
    CHECK(pa_ldap_parse(neg_id, sizeof neg_id, &m) == PA_LDAP_NOT);
    /* filters nested deeper than the cap: malformed, not a deep recursion */
    wb deep = {.n = 0};
    str(&deep, 0x87, "cn");
    for (int i = 0; i < 40; i++) {
        wb outer = {.n = 0};
        wrap(&outer, 0xa2, &deep);
        deep = outer;
    }
    w.n = 0;
    search(&w, 3, "", 0, &deep, 0);
    CHECK(pa_ldap_parse(w.b, w.n, &m) == PA_LDAP_MALFORMED && m.op == PA_LDAP_SEARCH_REQ);
    /* a filter text longer than its cap is cut, not overrun */
    wb or = {.n = 0}, big = {.n = 0};
    for (int i = 0; i < 60; i++) str(& or, 0x87, "description");
    wrap(&big, 0xa1, & or);
    w.n = 0;
    search(&w, 4, "", 0, &big, 0);
    CHECK(pa_ldap_parse(w.b, w.n, &m) == PA_LDAP_OK && strlen(m.filter) == PA_LDAP_FILTER_MAX - 1);
    /* a DN longer than what is kept */
    char dn[600];
    memset(dn, 'x', sizeof dn - 1);
    dn[sizeof dn - 1] = '\0';
    w.n = 0;
    bind_simple(&w, 5, dn, "");
    CHECK(pa_ldap_parse(w.b, w.n, &m) == PA_LDAP_OK && strlen(m.name) == PA_LDAP_DN_MAX - 1 && !m.simple_len);
}

/* ---- a capture ---------------------------------------------------------------------- */

static const pg_ts t0 = {1767225600, 0};
static pg_ts at_ms(uint64_t ms) { return pg_ts_add(t0, PG_MS(ms)); }

static int send_wb(pg_tcp_conv *c, uint64_t ms, int from, const wb *w) {
    return pg_tcp_send(c, at_ms(ms), from, w->b, w->n, PG_TCP_PUSH);
}

/* A connection of client 10.0.0.host to server 10.0.0.9 on port opened at ms, its bind 10 ms
 * later and the bind's success after answer_ms. */
static int open_bound(pg_tcp_conv *c, pg_writer *w, uint8_t host, uint16_t port, uint64_t ms, const wb *bind,
                      uint64_t answer_ms) {
    pg_tcp_peer a = kit_peer(host, (uint16_t)(40000 + host), 1000u * host), b = kit_peer(9, port, 9000u + port);
    wb ok = {.n = 0};
    result(&ok, 1, 0x61, 0, "", "");
    int e = pg_tcp_init(c, w, 4, &a, &b);
    e |= pg_tcp_handshake(c, at_ms(ms), PG_MS(1));
    e |= send_wb(c, ms + 10, PG_CLIENT, bind);
    return e | send_wb(c, ms + 10 + answer_ms, PG_SERVER, &ok);
}

static bool write_capture(const char *path) {
    pg_writer *w;
    if (pg_open(&w, path, NULL) != PG_OK) return false;
    int e = 0;
    pg_tcp_conv c;
    wb x = {.n = 0}, f = {.n = 0};
    /* 1: a simple bind in clear, two searches in one segment, an entry over three segments */
    bind_simple(&x, 1, "cn=admin,dc=example,dc=com", "s3cret");
    e |= open_bound(&c, w, 1, 389, 0, &x, 2);
    x.n = 0;
    sample_filter(&f);
    search(&x, 2, "dc=example,dc=com", 2, &f, 2);
    wb g = {.n = 0};
    str(&g, 0x87, "objectClass");
    search(&x, 3, "ou=gone,dc=example,dc=com", 1, &g, 0);
    e |= send_wb(&c, 20, PG_CLIENT, &x);
    x.n = 0;
    entry(&x, 2, "cn=big,dc=example,dc=com", "description", 3000);
    size_t first = x.n;
    result(&x, 2, 0x65, 0, "", "");
    e |= pg_tcp_send(&c, at_ms(25), PG_SERVER, x.b, 1000, 0);
    e |= pg_tcp_send(&c, at_ms(26), PG_SERVER, x.b + 1000, 1000, 0);
    e |= pg_tcp_send(&c, at_ms(27), PG_SERVER, x.b + 2000, x.n - 2000, PG_TCP_PUSH);
    (void)first;
    x.n = 0;
    result(&x, 3, 0x65, 32, "dc=example,dc=com", "no such entry");
    e |= send_wb(&c, 33, PG_SERVER, &x);
    const uint8_t abandon[] = {0x30, 0x06, 0x02, 0x01, 0x04, 0x50, 0x01, 0x02};
    e |= pg_tcp_send(&c, at_ms(34), PG_CLIENT, abandon, sizeof abandon, PG_TCP_PUSH);
    x.n = 0;
    bind_simple(&x, 5, "cn=admin,dc=example,dc=com", "wrong");
    e |= send_wb(&c, 40, PG_CLIENT, &x);
    x.n = 0;
    result(&x, 5, 0x61, 49, "", "80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error");
    e |= send_wb(&c, 45, PG_SERVER, &x);
    const uint8_t unbind[] = {0x30, 0x05, 0x02, 0x01, 0x06, 0x42, 0x00};
    e |= pg_tcp_send(&c, at_ms(46), PG_CLIENT, unbind, sizeof unbind, PG_TCP_PUSH);
    e |= pg_tcp_fin(&c, at_ms(47), PG_CLIENT);
    e |= pg_tcp_fin(&c, at_ms(48), PG_SERVER);
    e |= pg_tcp_ack(&c, at_ms(49), PG_CLIENT);
    /* 2: a GSS-SPNEGO bind, then SASL buffers both ways; an LDAPMessage still parses */
    x.n = 0;
    bind_sasl(&x, 1, "GSS-SPNEGO", "\x60\x05\x06\x03\x2b\x06\x01");
    e |= open_bound(&c, w, 2, 389, 100, &x, 5);
    uint8_t sasl[64] = {0, 0, 0, 60, 0x05, 0x04, 0x06, 0xff};
    for (int i = 8; i < 64; i++) sasl[i] = (uint8_t)(i * 37);
    e |= pg_tcp_send(&c, at_ms(120), PG_CLIENT, sasl, sizeof sasl, PG_TCP_PUSH);
    e |= pg_tcp_send(&c, at_ms(121), PG_SERVER, sasl, sizeof sasl, PG_TCP_PUSH);
    e |= pg_tcp_send(&c, at_ms(122), PG_CLIENT, unbind, sizeof unbind, PG_TCP_PUSH);
    e |= pg_tcp_rst(&c, at_ms(123), PG_SERVER);
    /* 3: the global catalog port; a length past the cap is skipped, not buffered */
    x.n = 0;
    bind_simple(&x, 1, "", "");
    e |= open_bound(&c, w, 3, 3268, 200, &x, 2);
    const uint8_t oversized[] = {0x30, 0x84, 0x7f, 0x00, 0x00, 0x00, 0x02, 0x01, 0x02, 0x63, 0x84, 0x7e, 0, 0, 0};
    e |= pg_tcp_send(&c, at_ms(220), PG_CLIENT, oversized, sizeof oversized, PG_TCP_PUSH);
    e |= pg_tcp_rst(&c, at_ms(221), PG_CLIENT);
    /* 4: CLDAP, a domain controller's ping: request, then entry and done in one datagram */
    pg_udp_ep cl = {4, {10, 0, 0, 4}, 50000}, dc = {4, {10, 0, 0, 9}, 389};
    x.n = 0;
    f.n = 0;
    wb andf = {.n = 0}, ava = {.n = 0};
    str(&ava, 0x04, "DnsDomain");
    str(&ava, 0x04, "example.com");
    wrap(&andf, 0xa3, &ava);
    ava.n = 0;
    str(&ava, 0x04, "NtVer");
    tlv(&ava, 0x04, "\x06\x00\x00\x00", 4);
    wrap(&andf, 0xa3, &ava);
    wrap(&f, 0xa0, &andf);
    search(&x, 11, "", 0, &f, 0);
    e |= pg_write_udp(w, at_ms(300), &cl, &dc, x.b, x.n);
    x.n = 0;
    entry(&x, 11, "", "netlogon", 40);
    result(&x, 11, 0x65, 0, "", "");
    e |= pg_write_udp(w, at_ms(302), &dc, &cl, x.b, x.n);
    return pg_close(w) == PG_OK && !e;
}

/* ---- the tools on it ---------------------------------------------------------------- */

static pa_registry reg;
static pa_config cfg;

static const char *getstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static json_int_t geti(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static void test_tool(const char *dir) {
    pa_tools_state *state = kit_tools(&reg, &cfg, dir);
    CHECK(state != NULL);
    pa_tool_result r;
    json_t *s = kit_call(&reg, &cfg, state, "analyze_application_response_times",
                         "{\"pcap_file\":\"ldap.pcap\",\"protocol\":\"ldap\"}", &r);
    json_t *sec = json_array_get(json_object_get(s, "sections"), 0);
    CHECK_STR(getstr(sec, "name"), "ldap");
    /* two binds and two searches on the first connection, the SASL bind, the GC bind, the CLDAP search */
    CHECK(geti(json_object_get(sec, "overall"), "samples") == 7);
    json_t *msgs = json_object_get(sec, "messages"), *binds = json_object_get(sec, "binds");
    CHECK(geti(msgs, "connections") == 3 && geti(msgs, "cldap_datagrams") == 2 && geti(msgs, "sasl_buffers") == 2);
    CHECK(geti(msgs, "too_long") == 1 && geti(msgs, "malformed") == 0);
    CHECK(geti(binds, "simple") == 3 && geti(binds, "cleartext_password") == 2 && geti(binds, "anonymous") == 1);
    CHECK(geti(binds, "sasl") == 1 && geti(binds, "succeeded") == 3 && geti(binds, "failed") == 1);
    json_t *codes = json_object_get(sec, "result_codes");
    CHECK(geti(codes, "success") == 5 && geti(codes, "noSuchObject") == 1 && geti(codes, "invalidCredentials") == 1);
    CHECK(geti(json_object_get(sec, "operations"), "searchResEntry") == 2);
    CHECK(geti(json_object_get(sec, "operations"), "abandonRequest") == 1);
    /* the search with the big entry: its request (frame 6) to its searchResDone (frame 9), 7 ms */
    bool found = false;
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(sec, "slowest"), i, row) {
        if (geti(row, "frame") != 6 || !getstr(row, "request") || !strstr(getstr(row, "request"), "objectClass=person"))
            continue;
        found = geti(row, "response_frame") == 9 && fabs(json_real_value(json_object_get(row, "time_ms")) - 7) < 1e-6;
    }
    CHECK(found);
    CHECK_CONTAINS(r.text.data, "searchRequest \"ou=gone,dc=example,dc=com\" (objectClass=*) -> noSuchObject");
    CHECK_CONTAINS(r.text.data, "udp stream 0 10.0.0.4:50000 -> 10.0.0.9:389");
    pa_tool_result_free(&r);
    /* a display filter keeps whole connections: the one with the noSuchObject, its four requests */
    s = kit_call(&reg, &cfg, state, "analyze_application_response_times",
                 "{\"pcap_file\":\"ldap.pcap\",\"protocol\":\"ldap\",\"display_filter\":\"ldap.resultCode == 32\"}",
                 &r);
    sec = json_array_get(json_object_get(s, "sections"), 0);
    CHECK(geti(json_object_get(sec, "overall"), "samples") == 4);
    CHECK(geti(json_object_get(sec, "messages"), "connections") == 1);
    pa_tool_result_free(&r);
    /* cleartext passwords: redacted, shown on request */
    s = kit_call(&reg, &cfg, state, "analyze_security_threats", "{\"pcap_file\":\"ldap.pcap\"}", &r);
    size_t creds = 0;
    json_t *x;
    json_array_foreach(json_object_get(s, "findings"), i, x) {
        if (strcmp(getstr(x, "kind"), "cleartext_credentials")) continue;
        json_t *ev = json_object_get(x, "evidence");
        CHECK_STR(getstr(ev, "protocol"), "LDAP");
        CHECK_STR(getstr(ev, "user"), "cn=admin,dc=example,dc=com");
        CHECK(!strncmp(getstr(ev, "secret"), "<redacted", 9));
        creds++;
    }
    CHECK(creds == 2);
    CHECK(!strstr(r.text.data, "s3cret"));
    pa_tool_result_free(&r);
    kit_call(&reg, &cfg, state, "analyze_security_threats", "{\"pcap_file\":\"ldap.pcap\",\"show_secrets\":true}", &r);
    CHECK_CONTAINS(r.text.data, "secret s3cret");
    pa_tool_result_free(&r);
    pa_tools_state_free(state);
    pa_registry_free(&reg);
}

int main(int argc, char **argv) {
    test_parse();
    test_hostile();
    char path[1200];
    const char *dir = kit_capture_path(argc, argv, "ldap_gen", "ldap.pcap", path, sizeof path);
    CHECK(write_capture(path));
    test_tool(dir);
    return check_done("ldap");
}
