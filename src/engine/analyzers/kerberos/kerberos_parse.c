#include "kerberos_parse.h"

#include <string.h>

#include "cursor.h"

/* One parse: the message being filled, how deep messages nest (an AP-REQ
 * inside a TGS-REQ's padata). */
typedef struct P {
    pa_krb_msg *m;
    int depth;
    bool reply; /* inside a KDC-REP or KRB-ERROR (a PA-FX-FAST is then a reply's) */
} P;

/* ---- DER ----------------------------------------------------------------------- */

/* The next element: its one-byte identifier (Kerberos uses no tag numbers
 * past 30) and its content, with a definite length (DER: no indefinite
 * form, at most 4 length bytes) that fits in what encloses it. */
static bool next(pa_cur *c, uint8_t *tag, pa_cur *val) {
    pa_cur s = *c;
    uint8_t t, l;
    if (!pa_cur_u8(&s, &t) || (t & 0x1f) == 0x1f || !pa_cur_u8(&s, &l)) return false;
    size_t len = l;
    if (l & 0x80) {
        unsigned k = l & 0x7f;
        if (!k || k > 4) return false;
        len = 0;
        for (unsigned i = 0; i < k; i++) {
            uint8_t b;
            if (!pa_cur_u8(&s, &b)) return false;
            len = len << 8 | b;
        }
    }
    if (!pa_cur_sub(&s, len, val)) return false;
    *tag = t;
    *c = s;
    return true;
}

/* Exactly one element of this tag fills c. */
static bool only(pa_cur c, uint8_t want, pa_cur *val) {
    uint8_t t;
    return next(&c, &t, val) && t == want && !c.len;
}

/* An INTEGER's content (Int32 or UInt32: 1 to 5 bytes, two's complement). */
static bool int_content(pa_cur v, int64_t *out) {
    if (!v.len || v.len > 5) return false;
    int64_t x = (v.p[0] & 0x80) ? -1 : 0;
    for (size_t i = 0; i < v.len; i++) x = (int64_t)((uint64_t)x << 8 | v.p[i]);
    *out = x;
    return true;
}

/* An INTEGER filling c. */
static bool integer(pa_cur c, int64_t *out) {
    pa_cur v;
    return only(c, 0x02, &v) && int_content(v, out);
}

/* A KerberosString or Realm filling c: GeneralString as RFC 4120 says, or
 * the string types some implementations send. */
static bool string(pa_cur c, pa_cur *out) {
    uint8_t t;
    if (!next(&c, &t, out) || c.len) return false;
    return t == 0x1b || t == 0x0c || t == 0x16 || t == 0x13;
}

/* The content of a SEQUENCE filling c, cut into its context-tagged fields
 * [0]..[15]: each at most once, in increasing order (DER). present: a bit
 * per field found. */
static bool fields(pa_cur c, bool seq, pa_cur f[16], uint32_t *present) {
    pa_cur body = c;
    if (seq && !only(c, 0x30, &body)) return false;
    *present = 0;
    int last = -1;
    while (body.len) {
        uint8_t t;
        pa_cur v;
        if (!next(&body, &t, &v) || (t & 0xf0) != 0xa0 || (int)(t & 0x0f) <= last) return false;
        last = t & 0x0f;
        f[last] = v;
        *present |= 1u << last;
    }
    return true;
}

#define HAS(bit) (present & (1u << (bit)))

/* ---- gathering ---------------------------------------------------------------- */

static void add_int(pa_krb_ints *l, int32_t v) {
    if (l->n < PA_KRB_LIST)
        l->v[l->n++] = v;
    else if (l->more < UINT16_MAX)
        l->more++;
}

/* Printable ASCII, cut to fit: the strings go into reports. */
static void copy_text(char *dst, size_t size, const uint8_t *s, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < size; i++) dst[k++] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
    dst[k] = '\0';
}

static void add_str(pa_krb_strs *l, pa_cur s) {
    if (l->n < PA_KRB_LIST)
        copy_text(l->s[l->n++], PA_KRB_STR, s.p, s.len);
    else if (l->more < UINT16_MAX)
        l->more++;
}

/* Appends "/" and s to a joined principal (cut to fit). */
static void join(char *dst, pa_cur s) {
    size_t k = strlen(dst);
    if (k && k + 1 < PA_KRB_STR) dst[k++] = '/';
    copy_text(dst + k, PA_KRB_STR - k, s.p, s.len);
}

static bool realm(pa_cur c, pa_krb_strs *list, char *keep) {
    pa_cur s;
    if (!string(c, &s)) return false;
    add_str(list, s);
    if (keep && !*keep) copy_text(keep, PA_KRB_STR, s.p, s.len);
    return true;
}

/* PrincipalName ::= SEQUENCE { name-type [0] Int32, name-string [1] SEQUENCE OF KerberosString } */
static bool principal(pa_cur c, pa_krb_strs *list, char *keep) {
    pa_cur f[16], names;
    uint32_t present;
    int64_t type;
    if (!fields(c, true, f, &present) || !HAS(0) || !HAS(1) || !integer(f[0], &type) || !only(f[1], 0x30, &names))
        return false;
    bool fill = keep && !*keep;
    while (names.len) {
        uint8_t t;
        pa_cur s;
        if (!next(&names, &t, &s) || (t != 0x1b && t != 0x0c && t != 0x16 && t != 0x13)) return false;
        add_str(list, s);
        if (fill) join(keep, s);
    }
    return true;
}

/* EncryptedData ::= SEQUENCE { etype [0] Int32, kvno [1] UInt32 OPTIONAL, cipher [2] OCTET STRING } */
static bool encrypted(P *p, pa_cur c, int32_t *etype) {
    pa_cur f[16], cipher;
    uint32_t present;
    int64_t e, kvno;
    if (!fields(c, true, f, &present) || !HAS(0) || !HAS(2) || !integer(f[0], &e)) return false;
    add_int(&p->m->etypes, (int32_t)e);
    if (etype) *etype = (int32_t)e;
    return (!HAS(1) || integer(f[1], &kvno)) && only(f[2], 0x04, &cipher);
}

/* Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno [0], realm [1], sname [2], enc-part [3] } */
static bool ticket(P *p, pa_cur c, bool outer) {
    pa_cur f[16], app;
    uint32_t present;
    int64_t vno;
    pa_krb_msg *m = p->m;
    if (!only(c, 0x61, &app) || !fields(app, true, f, &present) || !HAS(0) || !HAS(1) || !HAS(2) || !HAS(3))
        return false;
    int32_t e;
    if (!integer(f[0], &vno) || !realm(f[1], &m->realms, outer ? m->service_realm : NULL) ||
        !principal(f[2], &m->snames, outer ? m->service : NULL) || !encrypted(p, f[3], &e))
        return false;
    if (outer && !m->has_ticket_etype) {
        m->has_ticket_etype = true;
        m->ticket_etype = e;
    }
    return true;
}

static bool message(P *p, pa_cur c, bool outer);

/* ETYPE-INFO(2) ::= SEQUENCE OF SEQUENCE { etype [0] Int32, salt [1] OPTIONAL, s2kparams [2] OPTIONAL } */
static bool etype_info(P *p, pa_cur c) {
    pa_cur list;
    if (!only(c, 0x30, &list)) return false;
    while (list.len) {
        uint8_t t;
        pa_cur entry, f[16];
        uint32_t present;
        int64_t e;
        if (!next(&list, &t, &entry) || t != 0x30 || !fields(entry, false, f, &present) || !HAS(0) ||
            !integer(f[0], &e))
            return false;
        add_int(&p->m->etypes, (int32_t)e);
    }
    return true;
}

/* PA-FX-FAST (RFC 6113 5.4): [0] KrbFastArmoredReq ::= SEQUENCE { armor [0] KrbFastArmor
 * OPTIONAL, req-checksum [1] Checksum, enc-fast-req [2] EncryptedData } in a request,
 * [0] KrbFastArmoredRep ::= SEQUENCE { enc-fast-rep [0] EncryptedData } in a reply; an armor
 * of type 1 is an AP-REQ. */
static bool fx_fast(P *p, pa_cur c) {
    pa_cur inner, f[16], armor[16], value;
    uint32_t present, ap;
    int64_t type;
    if (!only(c, 0xa0, &inner) || !fields(inner, true, f, &present)) return false;
    if (p->reply) return HAS(0) && encrypted(p, f[0], NULL);
    if (!HAS(1) || !HAS(2)) return false;
    if (HAS(0)) {
        if (!fields(f[0], true, armor, &ap) || !(ap & 1) || !(ap & 2) || !integer(armor[0], &type) ||
            !only(armor[1], 0x04, &value))
            return false;
        if (type == 1 && !message(p, value, false)) return false;
    }
    return encrypted(p, f[2], NULL);
}

/* PA-DATA ::= SEQUENCE { padata-type [1] Int32, padata-value [2] OCTET STRING }: the values
 * Wireshark dissects that carry the fields gathered here; the others are bytes. */
static bool pa_data(P *p, pa_cur entry) {
    pa_cur f[16], value;
    uint32_t present;
    int64_t type;
    if (!fields(entry, false, f, &present) || !HAS(1) || !HAS(2) || !integer(f[1], &type) || !only(f[2], 0x04, &value))
        return false;
    add_int(&p->m->padata, (int32_t)type);
    if (!value.len) return true;
    switch (type) {
    case 1: return message(p, value, false);    /* PA-TGS-REQ: an AP-REQ */
    case 2:                                     /* PA-ENC-TIMESTAMP */
    case 138: return encrypted(p, value, NULL); /* PA-ENCRYPTED-CHALLENGE */
    case 11:                                    /* PA-ETYPE-INFO */
    case 19: return etype_info(p, value);       /* PA-ETYPE-INFO2 */
    case 136: return fx_fast(p, value);         /* PA-FX-FAST */
    default: return true;
    }
}

/* SEQUENCE OF PA-DATA (padata, METHOD-DATA) */
static bool padata_list(P *p, pa_cur c) {
    pa_cur list;
    if (!only(c, 0x30, &list)) return false;
    while (list.len) {
        uint8_t t;
        pa_cur entry;
        if (!next(&list, &t, &entry) || t != 0x30 || !pa_data(p, entry)) return false;
    }
    return true;
}

/* KDC-REQ-BODY */
static bool req_body(P *p, pa_cur c, bool outer) {
    pa_cur f[16], opts, list;
    uint32_t present;
    int64_t nonce;
    pa_krb_msg *m = p->m;
    if (!fields(c, true, f, &present) || !HAS(0) || !HAS(2) || !HAS(5) || !HAS(7) || !HAS(8)) return false;
    if (!only(f[0], 0x03, &opts)) return false;
    if (HAS(1) && !principal(f[1], &m->cnames, outer ? m->client : NULL)) return false;
    if (!realm(f[2], &m->realms, outer ? m->client_realm : NULL)) return false;
    if (HAS(3) && !principal(f[3], &m->snames, outer ? m->service : NULL)) return false;
    if (outer && !*m->service_realm) memcpy(m->service_realm, m->client_realm, PA_KRB_STR);
    if (!integer(f[7], &nonce)) return false;
    if (outer) {
        m->has_nonce = true;
        m->nonce = (uint32_t)nonce;
    }
    if (!only(f[8], 0x30, &list)) return false;
    while (list.len) {
        uint8_t t;
        pa_cur v;
        int64_t e;
        if (!next(&list, &t, &v) || t != 0x02 || !int_content(v, &e)) return false;
        add_int(&m->enctypes, (int32_t)e);
    }
    if (HAS(10) && !encrypted(p, f[10], NULL)) return false;
    if (HAS(11)) {
        if (!only(f[11], 0x30, &list)) return false;
        while (list.len) {
            uint8_t t;
            pa_cur v;
            const uint8_t *start = list.p;
            if (!next(&list, &t, &v) || t != 0x61) return false;
            if (!ticket(p, (pa_cur){start, (size_t)(list.p - start)}, false)) return false;
        }
    }
    return true;
}

/* The fields every message starts with: pvno and msg-type (at [0],[1], or
 * [1],[2] in a KDC-REQ), msg-type equal to the application tag. */
static bool header(P *p, pa_cur f[16], uint32_t present, int at, uint8_t type, bool outer) {
    int64_t pvno, mt;
    if (!HAS(at) || !HAS(at + 1) || !integer(f[at], &pvno) || !integer(f[at + 1], &mt)) return false;
    if (outer) p->m->pvno = (uint32_t)pvno;
    add_int(&p->m->msg_types, (int32_t)mt);
    return pvno == 5 && mt == type;
}

static bool kdc_req(P *p, pa_cur c, uint8_t type, bool outer) {
    pa_cur f[16];
    uint32_t present;
    if (!fields(c, true, f, &present) || !header(p, f, present, 1, type, outer) || !HAS(4)) return false;
    if (HAS(3) && !padata_list(p, f[3])) return false;
    return req_body(p, f[4], outer);
}

static bool kdc_rep(P *p, pa_cur c, uint8_t type, bool outer) {
    pa_cur f[16];
    uint32_t present;
    pa_krb_msg *m = p->m;
    if (!fields(c, true, f, &present) || !header(p, f, present, 0, type, outer)) return false;
    if (!HAS(3) || !HAS(4) || !HAS(5) || !HAS(6)) return false;
    bool was = p->reply;
    p->reply = true;
    bool pa_ok = !HAS(2) || padata_list(p, f[2]);
    p->reply = was;
    if (!pa_ok) return false;
    int32_t e;
    if (!realm(f[3], &m->crealms, outer ? m->client_realm : NULL) ||
        !principal(f[4], &m->cnames, outer ? m->client : NULL) || !ticket(p, f[5], outer) || !encrypted(p, f[6], &e))
        return false;
    if (outer) {
        m->has_reply_etype = true;
        m->reply_etype = e;
    }
    return true;
}

static bool ap_req(P *p, pa_cur c, bool outer) {
    pa_cur f[16], opts;
    uint32_t present;
    if (!fields(c, true, f, &present) || !header(p, f, present, 0, PA_KRB_AP_REQ, outer)) return false;
    return HAS(2) && HAS(3) && HAS(4) && only(f[2], 0x03, &opts) && ticket(p, f[3], outer) && encrypted(p, f[4], NULL);
}

/* e-data: METHOD-DATA for the pre-authentication errors, one PA-DATA for
 * those Windows KDCs fill with a status; bytes otherwise (as Wireshark 4.0
 * dissects them). */
static bool e_data(P *p, pa_cur c, int64_t code) {
    pa_cur v, entry;
    if (!only(c, 0x04, &v)) return false;
    switch (code) {
    case 14:
    case 24:
    case 25:
    case 68:
    case 90:
    case 91:
    case 92:
    case 93: return padata_list(p, v);
    case 12:
    case 13:
    case 18:
    case 23: return !v.len || (only(v, 0x30, &entry) && pa_data(p, entry));
    default: return true;
    }
}

static bool krb_error(P *p, pa_cur c, bool outer) {
    pa_cur f[16], s;
    uint32_t present;
    int64_t code, v;
    pa_krb_msg *m = p->m;
    if (!fields(c, true, f, &present) || !header(p, f, present, 0, PA_KRB_ERROR, outer)) return false;
    if (!HAS(4) || !HAS(5) || !HAS(6) || !HAS(9) || !HAS(10)) return false;
    if ((HAS(3) && !integer(f[3], &v)) || !integer(f[5], &v) || !integer(f[6], &code)) return false;
    add_int(&m->error_codes, (int32_t)code);
    if (outer) {
        m->has_error = true;
        m->error_code = (int32_t)code;
    }
    if (HAS(7) && !realm(f[7], &m->crealms, outer ? m->client_realm : NULL)) return false;
    if (HAS(8) && !principal(f[8], &m->cnames, outer ? m->client : NULL)) return false;
    if (!realm(f[9], &m->realms, outer ? m->service_realm : NULL) ||
        !principal(f[10], &m->snames, outer ? m->service : NULL))
        return false;
    if (outer && !*m->client_realm) memcpy(m->client_realm, m->service_realm, PA_KRB_STR);
    if (HAS(11)) {
        if (!string(f[11], &s)) return false;
        if (outer) {
            m->has_e_text = true;
            copy_text(m->e_text, sizeof m->e_text, s.p, s.len);
        }
    }
    bool was = p->reply;
    p->reply = true;
    bool ok = !HAS(12) || e_data(p, f[12], code);
    p->reply = was;
    return ok;
}

/* The rest (AP-REP, KRB-SAFE, KRB-PRIV, KRB-CRED): named by their header. */
static bool other(P *p, pa_cur c, uint8_t type, bool outer) {
    pa_cur f[16];
    uint32_t present;
    return fields(c, true, f, &present) && header(p, f, present, 0, type, outer);
}

/* One message (an application-tagged element filling c). */
static bool message(P *p, pa_cur c, bool outer) {
    uint8_t t;
    pa_cur v;
    if (++p->depth > PA_KRB_DEPTH) return false;
    bool ok = next(&c, &t, &v) && !c.len && (t & 0xe0) == 0x60;
    uint8_t type = t & 0x1f;
    if (ok) switch (type) {
        case PA_KRB_AS_REQ:
        case PA_KRB_TGS_REQ: ok = kdc_req(p, v, type, outer); break;
        case PA_KRB_AS_REP:
        case PA_KRB_TGS_REP: ok = kdc_rep(p, v, type, outer); break;
        case PA_KRB_AP_REQ: ok = ap_req(p, v, outer); break;
        case PA_KRB_ERROR: ok = krb_error(p, v, outer); break;
        case PA_KRB_AP_REP:
        case PA_KRB_SAFE:
        case PA_KRB_PRIV:
        case PA_KRB_CRED: ok = other(p, v, type, outer); break;
        default: ok = false;
        }
    p->depth--;
    return ok;
}

/* ---- entry points --------------------------------------------------------------- */

static bool message_type(uint8_t t) { return (t >= 10 && t <= 15) || (t >= 20 && t <= 22) || t == 30; }

bool pa_krb_looks(const uint8_t *d, size_t n, size_t whole) {
    pa_cur c = pa_cur_make(d, n), s;
    uint8_t t, l;
    /* the outer header, read apart from its content (which may not be here yet) */
    if (!pa_cur_u8(&c, &t) || (t & 0xe0) != 0x60 || !message_type(t & 0x1f) || !pa_cur_u8(&c, &l)) return false;
    size_t len = l;
    if (l & 0x80) {
        unsigned k = l & 0x7f;
        if (!k || k > 4) return false;
        len = 0;
        for (unsigned i = 0; i < k; i++) {
            uint8_t b;
            if (!pa_cur_u8(&c, &b)) return false;
            len = len << 8 | b;
        }
    }
    if (len < 8 || (whole && (n - c.len) + len != whole)) return false;
    /* SEQUENCE, then [0] or [1] (KDC-REQ) INTEGER 5 */
    uint8_t want = (t & 0x1f) == PA_KRB_AS_REQ || (t & 0x1f) == PA_KRB_TGS_REQ ? 0xa1 : 0xa0;
    uint8_t b[8];
    if (!pa_cur_u8(&c, &b[0]) || b[0] != 0x30 || !pa_cur_u8(&c, &b[1])) return false;
    if (b[1] & 0x80) { /* long form: 1 to 4 length bytes */
        if (b[1] == 0x80 || (b[1] & 0x7f) > 4 || !pa_cur_skip(&c, b[1] & 0x7f)) return false;
    }
    s = c;
    return pa_cur_copy(&s, b + 2, 5) && b[2] == want && b[3] == 3 && b[4] == 0x02 && b[5] == 1 && b[6] == 5;
}

pa_krb_status pa_krb_parse(const uint8_t *d, size_t n, pa_krb_msg *m) {
    memset(m, 0, sizeof *m);
    pa_cur c = pa_cur_make(d, n);
    uint8_t t;
    pa_cur v;
    if (!n) return PA_KRB_NOT;
    /* a bare Ticket (krb524's request) */
    if (d[0] == 0x61) {
        P p = {m, 0, false};
        if (!next(&c, &t, &v) || c.len) return PA_KRB_NOT;
        m->type = PA_KRB_TICKET;
        m->len = (uint32_t)n;
        return ticket(&p, pa_cur_make(d, n), true) ? PA_KRB_OK : PA_KRB_MALFORMED;
    }
    if (!pa_krb_looks(d, n, n)) return PA_KRB_NOT;
    m->type = d[0] & 0x1f;
    m->len = (uint32_t)n;
    P p = {m, 0, false};
    return message(&p, c, true) ? PA_KRB_OK : PA_KRB_MALFORMED;
}

static void merge_ints(pa_krb_ints *a, const pa_krb_ints *b) {
    for (uint8_t i = 0; i < b->n; i++) add_int(a, b->v[i]);
    a->more = (uint16_t)(a->more + b->more < UINT16_MAX ? a->more + b->more : UINT16_MAX);
}

static void merge_strs(pa_krb_strs *a, const pa_krb_strs *b) {
    for (uint8_t i = 0; i < b->n; i++) {
        if (a->n < PA_KRB_LIST)
            memcpy(a->s[a->n++], b->s[i], PA_KRB_STR);
        else if (a->more < UINT16_MAX)
            a->more++;
    }
}

void pa_krb_merge(pa_krb_msg *a, const pa_krb_msg *b) {
    merge_ints(&a->msg_types, &b->msg_types);
    merge_ints(&a->enctypes, &b->enctypes);
    merge_ints(&a->etypes, &b->etypes);
    merge_ints(&a->padata, &b->padata);
    merge_ints(&a->error_codes, &b->error_codes);
    merge_strs(&a->cnames, &b->cnames);
    merge_strs(&a->snames, &b->snames);
    merge_strs(&a->realms, &b->realms);
    merge_strs(&a->crealms, &b->crealms);
}

bool pa_krb_is_request(uint8_t type) {
    return type == PA_KRB_AS_REQ || type == PA_KRB_TGS_REQ || type == PA_KRB_AP_REQ;
}

bool pa_krb_is_reply(uint8_t type) {
    return type == PA_KRB_AS_REP || type == PA_KRB_TGS_REP || type == PA_KRB_AP_REP || type == PA_KRB_ERROR;
}
