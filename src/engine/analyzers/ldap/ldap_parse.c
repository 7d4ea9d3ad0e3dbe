#include "ldap_parse.h"

#include <stdio.h>
#include <string.h>

#include "cursor.h"

/* One BER element: its tag and a cursor over its contents. */
typedef struct elem {
    uint8_t tag;
    pa_cur v;
} elem;

/* The next element of c, its contents within c; one-byte tags only. */
static bool ber_next(pa_cur *c, elem *e) {
    uint32_t len;
    if (!pa_cur_u8(c, &e->tag) || (e->tag & 0x1f) == 0x1f || !pa_cur_ber_len(c, &len)) return false;
    return pa_cur_sub(c, len, &e->v);
}

static bool ber_expect(pa_cur *c, uint8_t tag, elem *e) { return ber_next(c, e) && e->tag == tag; }

/* A non-negative INTEGER or ENUMERATED that fits 32 bits. */
static bool ber_uint(pa_cur v, uint32_t *out) {
    if (v.len < 1 || v.len > 5) return false;
    uint8_t b;
    if (!pa_cur_peek_u8(&v, 0, &b) || (b & 0x80)) return false;
    if (v.len == 5 && b != 0) return false;
    uint64_t x = 0;
    while (v.len) {
        if (!pa_cur_u8(&v, &b)) return false;
        x = x << 8 | b;
    }
    *out = (uint32_t)x;
    return true;
}

static bool take_uint(pa_cur *c, uint8_t tag, uint32_t *out) {
    elem e;
    return ber_expect(c, tag, &e) && ber_uint(e.v, out);
}

/* The contents as text: control bytes as '.', cut to cap - 1. */
static void text(pa_cur v, char *out, size_t cap) {
    size_t n = v.len < cap - 1 ? v.len : cap - 1;
    for (size_t i = 0; i < n; i++) out[i] = v.p[i] < 0x20 || v.p[i] == 0x7f ? '.' : (char)v.p[i];
    out[n] = '\0';
}

static bool take_text(pa_cur *c, uint8_t tag, char *out, size_t cap) {
    elem e;
    if (!ber_expect(c, tag, &e)) return false;
    if (out) text(e.v, out, cap);
    return true;
}

/* ---- search filters as RFC 4515 text ------------------------------------------- */

typedef struct ftext {
    char *out;
    size_t cap, n;
} ftext;

static void put(ftext *f, const char *s, size_t k) {
    if (f->n + k >= f->cap) k = f->cap - 1 - f->n;
    memcpy(f->out + f->n, s, k);
    f->n += k;
    f->out[f->n] = '\0';
}

static void puts_(ftext *f, const char *s) { put(f, s, strlen(s)); }

/* An assertion value, with RFC 4515's escapes for * ( ) \ and bytes out of print. */
static void put_value(ftext *f, pa_cur v) {
    for (size_t i = 0; i < v.len; i++) {
        uint8_t b = v.p[i];
        if (b < 0x20 || b >= 0x7f || b == '*' || b == '(' || b == ')' || b == '\\') {
            char hex[4];
            snprintf(hex, sizeof hex, "\\%02x", b);
            put(f, hex, 3);
        } else {
            put(f, (const char *)&v.p[i], 1);
        }
    }
}

static bool filter(ftext *f, pa_cur *c, int depth);

/* and, or: a SET OF Filter (RFC 4526 allows it empty) */
static bool filter_set(ftext *f, pa_cur v, const char *op, int depth) {
    puts_(f, op);
    while (v.len)
        if (!filter(f, &v, depth + 1)) return false;
    puts_(f, ")");
    return true;
}

static bool filter_substrings(ftext *f, pa_cur v) {
    elem type, subs, s;
    if (!ber_expect(&v, 0x04, &type) || !ber_expect(&v, 0x30, &subs) || v.len || !subs.v.len) return false;
    puts_(f, "(");
    put_value(f, type.v);
    puts_(f, "=");
    uint8_t last = 0;
    while (subs.v.len) {
        if (!ber_next(&subs.v, &s) || s.tag < 0x80 || s.tag > 0x82) return false;
        if (s.tag != 0x80) puts_(f, "*"); /* before any and final */
        put_value(f, s.v);
        last = s.tag;
    }
    if (last != 0x82) puts_(f, "*");
    puts_(f, ")");
    return true;
}

static bool filter_extensible(ftext *f, pa_cur v) {
    elem e;
    pa_cur rule = {0}, type = {0}, value = {0};
    bool has_value = false, dn = false;
    while (v.len) {
        if (!ber_next(&v, &e)) return false;
        if (e.tag == 0x81)
            rule = e.v;
        else if (e.tag == 0x82)
            type = e.v;
        else if (e.tag == 0x83)
            value = e.v, has_value = true;
        else if (e.tag == 0x84 && e.v.len == 1)
            dn = e.v.p[0] != 0;
        else
            return false;
    }
    if (!has_value) return false;
    puts_(f, "(");
    put_value(f, type);
    if (dn) puts_(f, ":dn");
    if (rule.len) {
        puts_(f, ":");
        put_value(f, rule);
    }
    puts_(f, ":=");
    put_value(f, value);
    puts_(f, ")");
    return true;
}

static bool filter(ftext *f, pa_cur *c, int depth) {
    elem e, a, b;
    if (depth > PA_LDAP_FILTER_DEPTH || !ber_next(c, &e)) return false;
    static const char *const ops[] = {NULL, NULL, NULL, "=", NULL, ">=", "<=", NULL, "~="};
    switch (e.tag) {
    case 0xa0: return filter_set(f, e.v, "(&", depth);
    case 0xa1: return filter_set(f, e.v, "(|", depth);
    case 0xa2:
        puts_(f, "(!");
        if (!filter(f, &e.v, depth + 1) || e.v.len) return false;
        puts_(f, ")");
        return true;
    case 0xa3:
    case 0xa5:
    case 0xa6:
    case 0xa8:
        if (!ber_expect(&e.v, 0x04, &a) || !ber_expect(&e.v, 0x04, &b) || e.v.len) return false;
        puts_(f, "(");
        put_value(f, a.v);
        puts_(f, ops[e.tag & 0x1f]);
        put_value(f, b.v);
        puts_(f, ")");
        return true;
    case 0xa4: return filter_substrings(f, e.v);
    case 0x87:
        puts_(f, "(");
        put_value(f, e.v);
        puts_(f, "=*)");
        return true;
    case 0xa9: return filter_extensible(f, e.v);
    default: return false;
    }
}

/* ---- operations ------------------------------------------------------------------ */

/* LDAPResult, and what a bind or extended response adds after it. */
static bool result(pa_cur *c, pa_ldap_msg *m) {
    if (!take_uint(c, 0x0a, &m->result) || !take_text(c, 0x04, m->matched_dn, sizeof m->matched_dn) ||
        !take_text(c, 0x04, m->error, sizeof m->error))
        return false;
    m->has_result = true;
    elem e;
    while (c->len) {
        if (!ber_next(c, &e)) return false;
        if (e.tag == 0xa3) continue;                               /* referral */
        if (e.tag == 0x87 && m->op == PA_LDAP_BIND_RESP) continue; /* serverSaslCreds */
        if (e.tag == 0x8b && m->op == PA_LDAP_EXT_RESP) continue;  /* response */
        if (e.tag == 0x8a && m->op == PA_LDAP_EXT_RESP) {          /* responseName */
            m->has_oid = true;
            text(e.v, m->oid, sizeof m->oid);
            continue;
        }
        return false;
    }
    return true;
}

static bool bind_request(pa_cur *c, pa_ldap_msg *m) {
    elem e;
    if (!take_uint(c, 0x02, &m->version) || m->version < 1 || m->version > 127) return false;
    if (!take_text(c, 0x04, m->name, sizeof m->name) || !ber_next(c, &e) || c->len) return false;
    m->has_name = true;
    if ((e.tag & 0xc0) != 0x80) return false; /* a context-specific choice */
    m->auth = (int16_t)(e.tag & 0x1f);
    if (e.tag == 0x80) { /* simple */
        m->has_simple = true;
        m->simple_len = (uint32_t)e.v.len;
        text(e.v, m->simple, sizeof m->simple);
    } else if (e.tag == 0xa3) { /* sasl: mechanism, credentials OPTIONAL */
        elem cred;
        if (!take_text(&e.v, 0x04, m->mechanism, sizeof m->mechanism)) return false;
        if (e.v.len && (!ber_expect(&e.v, 0x04, &cred) || e.v.len)) return false;
    }
    return true;
}

static bool search_request(pa_cur *c, pa_ldap_msg *m) {
    elem attrs, a;
    uint8_t types;
    elem t;
    if (!take_text(c, 0x04, m->name, sizeof m->name)) return false;
    m->has_name = true;
    if (!take_uint(c, 0x0a, &m->scope) || !take_uint(c, 0x0a, &m->deref) || !take_uint(c, 0x02, &m->size_limit) ||
        !take_uint(c, 0x02, &m->time_limit) || !ber_expect(c, 0x01, &t) || t.v.len != 1 || !pa_cur_u8(&t.v, &types))
        return false;
    ftext f = {m->filter, sizeof m->filter, 0};
    m->filter[0] = '\0';
    if (!filter(&f, c, 0)) return false;
    if (!ber_expect(c, 0x30, &attrs) || c->len) return false;
    while (attrs.v.len) {
        if (!ber_expect(&attrs.v, 0x04, &a)) return false;
        m->nattrs++;
    }
    return true;
}

/* An operation whose contents start with a DN and one element more. */
static bool dn_and(pa_cur *c, pa_ldap_msg *m, uint8_t tag) {
    elem e;
    if (!take_text(c, 0x04, m->name, sizeof m->name)) return false;
    m->has_name = true;
    return ber_expect(c, tag, &e) && !c->len;
}

static bool mod_dn(pa_cur *c, pa_ldap_msg *m) {
    elem e;
    if (!take_text(c, 0x04, m->name, sizeof m->name) || !take_text(c, 0x04, NULL, 0)) return false;
    m->has_name = true;
    if (!ber_expect(c, 0x01, &e) || e.v.len != 1) return false;
    if (c->len && (!ber_expect(c, 0x80, &e) || c->len)) return false; /* newSuperior */
    return true;
}

static bool operation(pa_cur *c, pa_ldap_msg *m) {
    elem e;
    switch (m->op) {
    case PA_LDAP_BIND_REQ: return bind_request(c, m);
    case PA_LDAP_UNBIND: return c->len == 0;
    case PA_LDAP_SEARCH_REQ: return search_request(c, m);
    case PA_LDAP_SEARCH_ENTRY: return dn_and(c, m, 0x30);
    case PA_LDAP_SEARCH_REF:
        if (!c->len) return false;
        while (c->len)
            if (!ber_expect(c, 0x04, &e)) return false;
        return true;
    case PA_LDAP_MODIFY_REQ:
    case PA_LDAP_ADD_REQ:
    case PA_LDAP_COMPARE_REQ: return dn_and(c, m, 0x30);
    case PA_LDAP_DEL_REQ:
        text(*c, m->name, sizeof m->name);
        m->has_name = true;
        return true;
    case PA_LDAP_MODDN_REQ: return mod_dn(c, m);
    case PA_LDAP_ABANDON: return ber_uint(*c, &m->abandon_id);
    case PA_LDAP_EXT_REQ:
        if (!take_text(c, 0x80, m->oid, sizeof m->oid)) return false;
        m->has_oid = true;
        return !c->len || (ber_expect(c, 0x81, &e) && !c->len);
    case PA_LDAP_INTERMEDIATE:
        while (c->len)
            if (!ber_next(c, &e) || (e.tag != 0x80 && e.tag != 0x81)) return false;
        return true;
    default: return result(c, m); /* the responses: an LDAPResult */
    }
}

/* The operation tag's form: UNBIND, DEL and ABANDON are primitive. */
static bool op_known(uint8_t tag) {
    if ((tag & 0xc0) != 0x40) return false;
    uint8_t n = tag & 0x1f;
    if (!pa_ldap_op_name(n)) return false;
    bool primitive = n == PA_LDAP_UNBIND || n == PA_LDAP_DEL_REQ || n == PA_LDAP_ABANDON;
    return primitive ? !(tag & 0x20) : (tag & 0x20) != 0;
}

int64_t pa_ldap_message_len(const uint8_t *d, size_t n) {
    pa_cur c = pa_cur_make(d, n);
    uint8_t tag, b;
    if (!pa_cur_u8(&c, &tag)) return -1;
    if (tag != 0x30) return 0;
    if (!pa_cur_peek_u8(&c, 0, &b)) return -1;
    if (b > 0x80 && (size_t)(b & 0x7f) + 2 > n && (b & 0x7f) <= 4) return -1;
    uint32_t len;
    if (!pa_cur_ber_len(&c, &len) || len < 2) return 0;
    return (int64_t)(n - c.len) + len;
}

pa_ldap_status pa_ldap_parse(const uint8_t *d, size_t n, pa_ldap_msg *m) {
    memset(m, 0, sizeof *m);
    m->auth = -1;
    pa_cur c = pa_cur_make(d, n);
    elem msg, op;
    if (!ber_expect(&c, 0x30, &msg) || c.len) return PA_LDAP_NOT;
    if (!take_uint(&msg.v, 0x02, &m->id) || m->id > 0x7fffffffu) return PA_LDAP_NOT;
    if (!ber_next(&msg.v, &op) || !op_known(op.tag)) return PA_LDAP_NOT;
    m->op = op.tag & 0x1f;
    bool ok = operation(&op.v, m);
    elem ctl;
    if (ok && msg.v.len) ok = ber_expect(&msg.v, 0xa0, &ctl) && !msg.v.len; /* controls */
    return ok ? PA_LDAP_OK : PA_LDAP_MALFORMED;
}

bool pa_ldap_looks(const uint8_t *d, size_t n) {
    pa_cur c = pa_cur_make(d, n);
    uint8_t tag, b;
    uint32_t len, id, oplen;
    elem id_e;
    if (!pa_cur_u8(&c, &tag) || tag != 0x30 || !pa_cur_ber_len(&c, &len) || len < 5) return false;
    size_t end = (n - c.len) + (size_t)len; /* where the message ends */
    if (c.len > len) pa_cur_limit(&c, len); /* a segment may hold more messages */
    if (!ber_expect(&c, 0x02, &id_e) || !ber_uint(id_e.v, &id) || id > 0x7fffffffu) return false;
    if (!pa_cur_u8(&c, &b) || !op_known(b) || !pa_cur_ber_len(&c, &oplen)) return false;
    /* the operation within the message (its bytes need not all be here yet) */
    return (uint64_t)(size_t)(c.p - d) + oplen <= (uint64_t)end;
}

const char *pa_ldap_op_name(uint32_t op) {
    static const char *const names[PA_LDAP_OPS] = {"bindRequest",
                                                   "bindResponse",
                                                   "unbindRequest",
                                                   "searchRequest",
                                                   "searchResEntry",
                                                   "searchResDone",
                                                   "modifyRequest",
                                                   "modifyResponse",
                                                   "addRequest",
                                                   "addResponse",
                                                   "delRequest",
                                                   "delResponse",
                                                   "modDNRequest",
                                                   "modDNResponse",
                                                   "compareRequest",
                                                   "compareResponse",
                                                   "abandonRequest",
                                                   NULL,
                                                   NULL,
                                                   "searchResRef",
                                                   NULL,
                                                   NULL,
                                                   NULL,
                                                   "extendedReq",
                                                   "extendedResp",
                                                   "intermediateResponse"};
    return op < PA_LDAP_OPS ? names[op] : NULL;
}

const char *pa_ldap_result_name(uint32_t code) {
    static const struct {
        uint16_t code;
        const char *name;
    } names[] = {{0, "success"},
                 {1, "operationsError"},
                 {2, "protocolError"},
                 {3, "timeLimitExceeded"},
                 {4, "sizeLimitExceeded"},
                 {5, "compareFalse"},
                 {6, "compareTrue"},
                 {7, "authMethodNotSupported"},
                 {8, "strongAuthRequired"},
                 {10, "referral"},
                 {11, "adminLimitExceeded"},
                 {12, "unavailableCriticalExtension"},
                 {13, "confidentialityRequired"},
                 {14, "saslBindInProgress"},
                 {16, "noSuchAttribute"},
                 {17, "undefinedAttributeType"},
                 {18, "inappropriateMatching"},
                 {19, "constraintViolation"},
                 {20, "attributeOrValueExists"},
                 {21, "invalidAttributeSyntax"},
                 {32, "noSuchObject"},
                 {33, "aliasProblem"},
                 {34, "invalidDNSyntax"},
                 {36, "aliasDereferencingProblem"},
                 {48, "inappropriateAuthentication"},
                 {49, "invalidCredentials"},
                 {50, "insufficientAccessRights"},
                 {51, "busy"},
                 {52, "unavailable"},
                 {53, "unwillingToPerform"},
                 {54, "loopDetect"},
                 {64, "namingViolation"},
                 {65, "objectClassViolation"},
                 {66, "notAllowedOnNonLeaf"},
                 {67, "notAllowedOnRDN"},
                 {68, "entryAlreadyExists"},
                 {69, "objectClassModsProhibited"},
                 {71, "affectsMultipleDSAs"},
                 {80, "other"},
                 {118, "canceled"},
                 {119, "noSuchOperation"},
                 {120, "tooLate"},
                 {121, "cannotCancel"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].code == code) return names[i].name;
    return NULL;
}

const char *pa_ldap_scope_name(uint32_t scope) {
    static const char *const names[] = {"baseObject", "singleLevel", "wholeSubtree"};
    return scope < 3 ? names[scope] : NULL;
}

bool pa_ldap_is_response(uint32_t op) {
    switch (op) {
    case PA_LDAP_BIND_RESP:
    case PA_LDAP_SEARCH_ENTRY:
    case PA_LDAP_SEARCH_DONE:
    case PA_LDAP_SEARCH_REF:
    case PA_LDAP_MODIFY_RESP:
    case PA_LDAP_ADD_RESP:
    case PA_LDAP_DEL_RESP:
    case PA_LDAP_MODDN_RESP:
    case PA_LDAP_COMPARE_RESP:
    case PA_LDAP_EXT_RESP:
    case PA_LDAP_INTERMEDIATE: return true;
    default: return false;
    }
}

bool pa_ldap_is_final(uint32_t op) {
    return pa_ldap_is_response(op) && op != PA_LDAP_SEARCH_ENTRY && op != PA_LDAP_SEARCH_REF &&
           op != PA_LDAP_INTERMEDIATE;
}
