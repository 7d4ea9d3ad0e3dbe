/* Values of the sip.* display-filter fields (sip_fields.def) in a frame: one
 * value per message that has it. */
#include "sip_analyzer.h"

size_t pa_sip_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_sip_frame *t = f->app[PA_AN_sip];
    if (!t || !t->n) return 0;
    if (field == PA_DF_SIP) return pa_put_bool(out, max, true);
    size_t n = 0;
    for (uint8_t i = 0; i < t->n && n < max; i++) {
        const pa_sip_msg *m = &t->msg[i];
        const char *s = NULL;
        switch (field) {
        case PA_DF_SIP_METHOD: s = m->request ? m->method : NULL; break;
        case PA_DF_SIP_R_URI: s = m->request ? m->ruri : NULL; break;
        case PA_DF_SIP_STATUS_CODE:
            if (!m->request) n += pa_put_u(out + n, max - n, m->status);
            continue;
        case PA_DF_SIP_CALL_ID: s = m->call_id; break;
        case PA_DF_SIP_CSEQ_SEQ:
            if (m->has_cseq) n += pa_put_u(out + n, max - n, m->cseq);
            continue;
        case PA_DF_SIP_CSEQ_METHOD: s = m->has_cseq ? m->cseq_method : NULL; break;
        case PA_DF_SIP_FROM_TAG: s = m->from_tag; break;
        case PA_DF_SIP_TO_TAG: s = m->to_tag; break;
        case PA_DF_SIP_VIA_BRANCH: s = m->via_branch; break;
        case PA_DF_SIP_USER_AGENT: s = m->user_agent; break;
        case PA_DF_SIP_CONTENT_TYPE: s = m->content_type; break;
        case PA_DF_SIP_CONTENT_LENGTH:
            if (m->content_length >= 0) n += pa_put_u(out + n, max - n, (uint64_t)m->content_length);
            continue;
        default: return 0;
        }
        /* an absent header has no value (an empty string would match "") */
        if (s && s[0]) n += pa_put_str(out + n, max - n, s);
    }
    return n;
}
