#include "snmp_parse.h"

#include <stdio.h>
#include <string.h>

#include "cursor.h"

/* One TLV: its tag and a cursor over its value (definite length, within c). */
static bool tlv(pa_cur *c, uint8_t *tag, pa_cur *val) {
    uint8_t b;
    if (!pa_cur_u8(c, tag) || (*tag & 0x1f) == 0x1f || !pa_cur_u8(c, &b)) return false; /* no high tag numbers */
    uint32_t len = b;
    if (b & 0x80) {
        uint8_t k = b & 0x7f;
        if (k == 0 || k > 4) return false; /* indefinite or absurd */
        len = 0;
        for (uint8_t i = 0; i < k; i++) {
            if (!pa_cur_u8(c, &b)) return false;
            len = len << 8 | b;
        }
    }
    return pa_cur_sub(c, len, val);
}

static bool expect(pa_cur *c, uint8_t want, pa_cur *val) {
    uint8_t tag;
    return tlv(c, &tag, val) && tag == want;
}

/* An INTEGER of 1-5 bytes (a 5th for a leading 0 of an unsigned 32-bit). */
static bool integer(pa_cur *c, uint8_t want, int32_t *out) {
    pa_cur v;
    uint8_t b;
    if (!expect(c, want, &v) || v.len < 1 || v.len > 5) return false;
    if (!pa_cur_peek_u8(&v, 0, &b)) return false;
    if (v.len == 5 && b != 0) return false;
    uint32_t x = (b & 0x80) ? 0xffffffffu : 0;
    while (pa_cur_u8(&v, &b)) x = x << 8 | b;
    *out = (int32_t)x;
    return true;
}

static void text(const pa_cur *v, char *dst, size_t size) {
    size_t k = 0;
    uint8_t ch;
    for (size_t i = 0; k + 1 < size && pa_cur_peek_u8(v, i, &ch); i++)
        dst[k++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '.';
    dst[k] = '\0';
}

/* An OID's content as dotted text (the first byte holds two arcs). */
static bool oid_text(pa_cur v, char *dst, size_t size) {
    size_t k = 0;
    bool first = true;
    dst[0] = '\0';
    if (!v.len) return false;
    while (v.len) {
        uint64_t arc = 0;
        uint8_t b;
        int n = 0;
        do {
            if (!pa_cur_u8(&v, &b) || ++n > 9) return false;
            arc = arc << 7 | (b & 0x7f);
        } while (b & 0x80);
        int w;
        if (first) {
            unsigned top = arc < 40 ? 0 : arc < 80 ? 1 : 2;
            w = snprintf(dst + k, size - k, "%u.%llu", top, (unsigned long long)(arc - 40ull * top));
            first = false;
        } else {
            w = snprintf(dst + k, size - k, ".%llu", (unsigned long long)arc);
        }
        if (w < 0 || (size_t)w >= size - k) return true; /* cut to fit */
        k += (size_t)w;
    }
    return true;
}

/* The PDU (its tag already read) into out. */
static bool pdu(pa_cur v, uint8_t type, pa_snmp_msg *out) {
    out->has_pdu = true;
    out->pdu = type;
    if (type == PA_SNMP_TRAP) { /* v1 trap: enterprise, agent-addr, generic, specific, time-stamp */
        pa_cur e, a, t;
        if (!expect(&v, 0x06, &e) || !oid_text(e, out->enterprise, sizeof out->enterprise)) return false;
        if (!expect(&v, 0x40, &a) || a.len != 4 || !pa_cur_copy(&a, out->agent_addr, 4)) return false;
        if (!integer(&v, 0x02, &out->generic_trap) || !integer(&v, 0x02, &out->specific_trap)) return false;
        if (!expect(&v, 0x43, &t)) return false;
    } else {
        if (!integer(&v, 0x02, &out->request_id) || !integer(&v, 0x02, &out->error_status) ||
            !integer(&v, 0x02, &out->error_index))
            return false;
        out->has_rid = true;
    }
    pa_cur list;
    if (!expect(&v, 0x30, &list) || v.len) return false;
    while (list.len) {
        pa_cur vb, name, value;
        uint8_t tag;
        if (!expect(&list, 0x30, &vb) || !expect(&vb, 0x06, &name) || !tlv(&vb, &tag, &value) || vb.len) return false;
        char o[PA_SNMP_OID_MAX];
        if (!oid_text(name, o, sizeof o)) return false;
        if (out->noids < PA_SNMP_OIDS) memcpy(out->oids[out->noids++], o, sizeof o);
        out->nvarbinds++;
    }
    return true;
}

/* A scoped PDU: contextEngineID, contextName, the PDU. */
static bool scoped(pa_cur v, pa_snmp_msg *out) {
    pa_cur eng, name, body;
    uint8_t tag;
    if (!expect(&v, 0x04, &eng) || !expect(&v, 0x04, &name) || !tlv(&v, &tag, &body) || v.len) return false;
    text(&name, out->context, sizeof out->context);
    if ((tag & 0xe0) != 0xa0 || (tag & 0x1f) >= PA_SNMP_PDU_TYPES) return false;
    return pdu(body, tag & 0x1f, out);
}

/* v3: header data, security parameters (USM), then the scoped PDU in clear or encrypted. */
static bool v3(pa_cur *c, pa_snmp_msg *out) {
    pa_cur hdr, flags, secp, usm, eng, user, skip;
    int32_t boots, etime;
    if (!expect(c, 0x30, &hdr) || !integer(&hdr, 0x02, &out->msg_id) || !integer(&hdr, 0x02, &out->msg_max_size) ||
        !expect(&hdr, 0x04, &flags) || flags.len != 1 || !pa_cur_u8(&flags, &out->msg_flags) ||
        !integer(&hdr, 0x02, &out->security_model) || hdr.len)
        return false;
    if (!expect(c, 0x04, &secp)) return false;
    if (out->security_model == 3) { /* USM */
        if (!expect(&secp, 0x30, &usm) || !expect(&usm, 0x04, &eng) || !integer(&usm, 0x02, &boots) ||
            !integer(&usm, 0x02, &etime) || !expect(&usm, 0x04, &user) || !expect(&usm, 0x04, &skip) ||
            !expect(&usm, 0x04, &skip) || usm.len)
            return false;
        out->engine_id_len = (uint8_t)(eng.len < PA_SNMP_ENGINE_MAX ? eng.len : PA_SNMP_ENGINE_MAX);
        if (!pa_cur_copy(&eng, out->engine_id, out->engine_id_len)) return false;
        text(&user, out->user, sizeof out->user);
        out->has_user = true;
    }
    uint8_t tag;
    pa_cur body;
    if (!tlv(c, &tag, &body) || c->len) return false;
    if (tag == 0x04) { /* encryptedPDU */
        out->encrypted = true;
        return true;
    }
    return tag == 0x30 && scoped(body, out);
}

pa_snmp_status pa_snmp_parse(const uint8_t *data, size_t n, pa_snmp_msg *out) {
    memset(out, 0, sizeof *out);
    pa_cur c = pa_cur_make(data, n), msg;
    uint8_t tag;
    /* the message spans the bytes, then the version: what names SNMP */
    if (!tlv(&c, &tag, &msg) || tag != 0x30 || c.len) return PA_SNMP_NOT;
    pa_cur ver;
    uint8_t vb;
    if (!expect(&msg, 0x02, &ver) || ver.len != 1 || !pa_cur_u8(&ver, &vb) || (vb != 0 && vb != 1 && vb != 3))
        return PA_SNMP_NOT;
    out->version = vb;
    if (vb == 3) return v3(&msg, out) ? PA_SNMP_OK : PA_SNMP_MALFORMED;
    pa_cur comm, body;
    if (!expect(&msg, 0x04, &comm)) return PA_SNMP_MALFORMED;
    out->has_community = true;
    out->community_len = (uint8_t)(comm.len < PA_SNMP_TEXT_MAX - 1 ? comm.len : PA_SNMP_TEXT_MAX - 1);
    text(&comm, out->community, sizeof out->community);
    if (!tlv(&msg, &tag, &body) || msg.len) return PA_SNMP_MALFORMED;
    if ((tag & 0xe0) != 0xa0 || (tag & 0x1f) >= PA_SNMP_PDU_TYPES) return PA_SNMP_MALFORMED;
    return pdu(body, tag & 0x1f, out) ? PA_SNMP_OK : PA_SNMP_MALFORMED;
}

const char *pa_snmp_pdu_name(unsigned pdu) {
    static const char *const names[] = {"get-request",    "get-next-request", "get-response", "set-request", "trap",
                                        "getBulkRequest", "informRequest",    "snmpV2-trap",  "report"};
    return pdu < PA_SNMP_PDU_TYPES ? names[pdu] : "unknown";
}

const char *pa_snmp_error_name(int32_t status) {
    static const char *const names[] = {"noError",
                                        "tooBig",
                                        "noSuchName",
                                        "badValue",
                                        "readOnly",
                                        "genErr",
                                        "noAccess",
                                        "wrongType",
                                        "wrongLength",
                                        "wrongEncoding",
                                        "wrongValue",
                                        "noCreation",
                                        "inconsistentValue",
                                        "resourceUnavailable",
                                        "commitFailed",
                                        "undoFailed",
                                        "authorizationError",
                                        "notWritable",
                                        "inconsistentName"};
    return status >= 0 && status < (int32_t)(sizeof names / sizeof names[0]) ? names[status] : "unknown";
}

const char *pa_snmp_level_name(uint8_t flags) {
    switch (flags & 3) {
    case 0: return "noAuthNoPriv";
    case 1: return "authNoPriv";
    case 3: return "authPriv";
    default: return "invalid";
    }
}
