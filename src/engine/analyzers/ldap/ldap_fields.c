/* Values of the ldap.* display-filter fields (ldap_fields.def) in a frame:
 * one value per message that has it, in message order. */
#include "ldap_analyzer.h"

/* The DN field a message's name belongs to (Wireshark names it by operation). */
static pa_dfield name_field(uint8_t op) {
    switch (op) {
    case PA_LDAP_BIND_REQ: return PA_DF_LDAP_NAME;
    case PA_LDAP_SEARCH_REQ: return PA_DF_LDAP_BASEOBJECT;
    case PA_LDAP_SEARCH_ENTRY: return PA_DF_LDAP_OBJECTNAME;
    case PA_LDAP_ADD_REQ:
    case PA_LDAP_MODDN_REQ:
    case PA_LDAP_COMPARE_REQ: return PA_DF_LDAP_ENTRY;
    default: return PA_DF_COUNT;
    }
}

/* One message's value of field (0 or 1 values). */
static size_t one(const pa_ldap_frame_msg *fm, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_ldap_msg *m = &fm->m;
    if (fm->sasl) return field == PA_DF_LDAP_SASL_BUFFER_LENGTH ? pa_put_u(out, max, fm->sasl_len) : 0;
    if (m->op >= PA_LDAP_OPS) return 0; /* not parsed */
    bool search = m->op == PA_LDAP_SEARCH_REQ;
    switch (field) {
    case PA_DF_LDAP_MESSAGEID: return pa_put_u(out, max, m->id);
    case PA_DF_LDAP_PROTOCOLOP: return pa_put_u(out, max, m->op);
    case PA_DF_LDAP_RESULTCODE: return m->has_result ? pa_put_u(out, max, m->result) : 0;
    case PA_DF_LDAP_MATCHEDDN: return m->has_result ? pa_put_str(out, max, m->matched_dn) : 0;
    case PA_DF_LDAP_ERRORMESSAGE: return m->has_result ? pa_put_str(out, max, m->error) : 0;
    case PA_DF_LDAP_BINDREQUEST_ELEMENT: return m->op == PA_LDAP_BIND_REQ ? pa_put_bool(out, max, true) : 0;
    case PA_DF_LDAP_BINDRESPONSE_ELEMENT: return m->op == PA_LDAP_BIND_RESP ? pa_put_bool(out, max, true) : 0;
    case PA_DF_LDAP_SEARCHREQUEST_ELEMENT: return search ? pa_put_bool(out, max, true) : 0;
    case PA_DF_LDAP_VERSION: return m->op == PA_LDAP_BIND_REQ && m->version ? pa_put_u(out, max, m->version) : 0;
    case PA_DF_LDAP_AUTHENTICATION: return m->auth >= 0 ? pa_put_u(out, max, (uint64_t)m->auth) : 0;
    case PA_DF_LDAP_SIMPLE: return m->has_simple ? pa_put_str(out, max, m->simple) : 0;
    case PA_DF_LDAP_MECHANISM: return m->auth == PA_LDAP_AUTH_SASL ? pa_put_str(out, max, m->mechanism) : 0;
    case PA_DF_LDAP_SCOPE: return search && m->has_name ? pa_put_u(out, max, m->scope) : 0;
    case PA_DF_LDAP_DEREFALIASES: return search && m->has_name ? pa_put_u(out, max, m->deref) : 0;
    case PA_DF_LDAP_SIZELIMIT: return search && m->has_name ? pa_put_u(out, max, m->size_limit) : 0;
    case PA_DF_LDAP_TIMELIMIT: return search && m->has_name ? pa_put_u(out, max, m->time_limit) : 0;
    case PA_DF_LDAP_REQUESTNAME: return m->op == PA_LDAP_EXT_REQ && m->has_oid ? pa_put_str(out, max, m->oid) : 0;
    case PA_DF_LDAP_RESPONSENAME: return m->op == PA_LDAP_EXT_RESP && m->has_oid ? pa_put_str(out, max, m->oid) : 0;
    case PA_DF_LDAP_ABANDONREQUEST: return m->op == PA_LDAP_ABANDON ? pa_put_u(out, max, m->abandon_id) : 0;
    case PA_DF_LDAP_RESPONSE_TO: return fm->matched ? pa_put_u(out, max, fm->response_to) : 0;
    case PA_DF_LDAP_TIME: return fm->matched ? pa_put_d(out, max, (double)fm->time_ns / 1e9) : 0;
    default: return m->has_name && field == name_field(m->op) ? pa_put_str(out, max, m->name) : 0;
    }
}

size_t pa_ldap_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_ldap_frame *t = f->app[PA_AN_ldap];
    if (!t || !t->present) return 0;
    if (field == PA_DF_LDAP) return t->cldap ? 0 : pa_put_bool(out, max, true);
    if (field == PA_DF_CLDAP) return t->cldap ? pa_put_bool(out, max, true) : 0;
    size_t n = 0;
    for (uint8_t i = 0; i < t->nmsg && n < max; i++) n += one(&t->msg[i], field, out + n, max - n);
    return n;
}
