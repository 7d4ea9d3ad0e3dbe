/* Values of the snmp.* display-filter fields (snmp_fields.def) in a frame. */
#include "snmp_analyzer.h"

static size_t put_i(pa_dvalue *out, size_t max, int64_t v) {
    if (!max) return 0;
    out->type = PA_FT_INT;
    out->v.i = v;
    return 1;
}

size_t pa_snmp_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_snmp_frame *t = f->app[PA_AN_snmp];
    if (!t) return 0;
    const pa_snmp_msg *m = &t->msg;
    bool v3 = m->version == 3, pdu = m->has_pdu && !m->encrypted, bulk = pdu && m->pdu == PA_SNMP_GETBULK;
    bool rid = pdu && m->has_rid, trap = pdu && m->pdu == PA_SNMP_TRAP;
    switch (field) {
    case PA_DF_SNMP: return pa_put_bool(out, max, true);
    case PA_DF_SNMP_VERSION: return v3 ? 0 : put_i(out, max, m->version);
    case PA_DF_SNMP_MSGVERSION: return v3 ? put_i(out, max, 3) : 0;
    case PA_DF_SNMP_COMMUNITY: return m->has_community ? pa_put_str(out, max, m->community) : 0;
    case PA_DF_SNMP_DATA: return pdu ? pa_put_u(out, max, m->pdu) : 0;
    case PA_DF_SNMP_REQUEST_ID: return rid ? put_i(out, max, m->request_id) : 0;
    case PA_DF_SNMP_ERROR_STATUS: return rid && !bulk ? put_i(out, max, m->error_status) : 0;
    case PA_DF_SNMP_ERROR_INDEX: return rid && !bulk ? put_i(out, max, m->error_index) : 0;
    case PA_DF_SNMP_NON_REPEATERS: return bulk ? pa_put_u(out, max, (uint32_t)m->error_status) : 0;
    case PA_DF_SNMP_MAX_REPETITIONS: return bulk ? pa_put_u(out, max, (uint32_t)m->error_index) : 0;
    case PA_DF_SNMP_GENERIC_TRAP: return trap ? put_i(out, max, m->generic_trap) : 0;
    case PA_DF_SNMP_SPECIFIC_TRAP: return trap ? put_i(out, max, m->specific_trap) : 0;
    case PA_DF_SNMP_AGENT_ADDR: return trap ? pa_put_addr(out, max, PA_FT_IPV4, m->agent_addr, 4) : 0;
    case PA_DF_SNMP_MSGID: return v3 ? pa_put_u(out, max, (uint32_t)m->msg_id) : 0;
    case PA_DF_SNMP_MSGFLAGS: return v3 ? pa_put_bytes(out, max, PA_FT_BYTES, &m->msg_flags, 1) : 0;
    case PA_DF_SNMP_MSGSECURITYMODEL: return v3 ? pa_put_u(out, max, (uint32_t)m->security_model) : 0;
    case PA_DF_SNMP_MSGUSERNAME: return m->has_user ? pa_put_str(out, max, m->user) : 0;
    case PA_DF_SNMP_MSGAUTHORITATIVEENGINEID:
        return m->has_user ? pa_put_bytes(out, max, PA_FT_BYTES, m->engine_id, m->engine_id_len) : 0;
    case PA_DF_SNMP_ENCRYPTEDPDU: return m->encrypted ? pa_put_bool(out, max, true) : 0;
    default: return 0;
    }
}
