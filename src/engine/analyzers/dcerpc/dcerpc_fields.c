/* Values of the dcerpc.* display-filter fields (dcerpc_fields.def). */
#include "dcerpc_analyzer.h"

/* A value of every PDU of the frame that has it. */
static size_t per_pdu(const pa_dcerpc_frame *t, pa_dfield field, pa_dvalue *out, size_t max) {
    size_t n = 0;
    for (uint8_t i = 0; i < t->npdu && n < max; i++) {
        const pa_dcerpc_frame_pdu *q = &t->pdu[i];
        const pa_dcerpc_hdr *h = &q->h;
        switch (field) {
        case PA_DF_DCERPC_VER: n += pa_put_u(out + n, max - n, h->ver); break;
        case PA_DF_DCERPC_VER_MINOR: n += pa_put_u(out + n, max - n, h->ver_minor); break;
        case PA_DF_DCERPC_PKT_TYPE: n += pa_put_u(out + n, max - n, h->ptype); break;
        case PA_DF_DCERPC_CN_FLAGS: n += pa_put_u(out + n, max - n, h->flags); break;
        case PA_DF_DCERPC_CN_FRAG_LEN: n += pa_put_u(out + n, max - n, h->frag_len); break;
        case PA_DF_DCERPC_CN_AUTH_LEN: n += pa_put_u(out + n, max - n, h->auth_len); break;
        case PA_DF_DCERPC_CN_CALL_ID: n += pa_put_u(out + n, max - n, h->call_id); break;
        case PA_DF_DCERPC_CN_ALLOC_HINT:
            if (q->has_call) n += pa_put_u(out + n, max - n, q->alloc_hint);
            break;
        case PA_DF_DCERPC_OPNUM:
            if (q->has_opnum) n += pa_put_u(out + n, max - n, q->opnum);
            break;
        case PA_DF_DCERPC_CN_STATUS:
            if (q->has_status) n += pa_put_u(out + n, max - n, q->status);
            break;
        case PA_DF_DCERPC_CN_MAX_XMIT:
            if (q->has_bind) n += pa_put_u(out + n, max - n, q->max_xmit);
            break;
        case PA_DF_DCERPC_CN_MAX_RECV:
            if (q->has_bind) n += pa_put_u(out + n, max - n, q->max_recv);
            break;
        case PA_DF_DCERPC_CN_ASSOC_GROUP:
            if (q->has_bind) n += pa_put_u(out + n, max - n, q->assoc_group);
            break;
        case PA_DF_DCERPC_CN_NUM_CTX_ITEMS:
            if (q->has_items && (h->ptype == PA_DCERPC_BIND || h->ptype == PA_DCERPC_ALTER))
                n += pa_put_u(out + n, max - n, q->nitems);
            break;
        case PA_DF_DCERPC_CN_NUM_RESULTS:
            if (q->has_items && (h->ptype == PA_DCERPC_BIND_ACK || h->ptype == PA_DCERPC_ALTER_RESP))
                n += pa_put_u(out + n, max - n, q->nitems);
            break;
        case PA_DF_DCERPC_CN_REJECT_REASON:
            if (q->has_reject) n += pa_put_u(out + n, max - n, q->reject_reason);
            break;
        case PA_DF_DCERPC_TIME:
            if (q->has_time) n += pa_put_d(out + n, max - n, (double)q->time_ns / 1e9);
            break;
        case PA_DF_DCERPC_REQUEST_IN:
            if (q->has_time) n += pa_put_u(out + n, max - n, q->request_in);
            if (q->request_in_twice && n < max) n += pa_put_u(out + n, max - n, q->request_in);
            break;
        default: return 0;
        }
    }
    return n;
}

size_t pa_dcerpc_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_dcerpc_frame *t = f->app[PA_AN_dcerpc];
    if (!t || !t->present) return 0;
    size_t n = 0;
    switch (field) {
    case PA_DF_DCERPC: return pa_put_bool(out, max, true);
    case PA_DF_DCERPC_CN_CTX_ID:
        for (uint8_t i = 0; i < t->nctx && n < max; i++) n += pa_put_u(out + n, max - n, t->ctx_id[i]);
        return n;
    case PA_DF_DCERPC_CN_BIND_TO_UUID:
        for (uint8_t i = 0; i < t->nbind && n < max; i++) n += pa_put_str(out + n, max - n, t->bind_text[i]);
        return n;
    case PA_DF_DCERPC_CN_BIND_IF_VER:
        for (uint8_t i = 0; i < t->nbind && n < max; i++) n += pa_put_u(out + n, max - n, t->bind[i].ver);
        return n;
    case PA_DF_DCERPC_CN_BIND_IF_VER_MINOR:
        for (uint8_t i = 0; i < t->nbind && n < max; i++) n += pa_put_u(out + n, max - n, t->bind[i].ver_minor);
        return n;
    case PA_DF_DCERPC_CN_ACK_RESULT:
        for (uint8_t i = 0; i < t->nres && n < max; i++) n += pa_put_u(out + n, max - n, t->result[i]);
        return n;
    case PA_DF_DCERPC_CN_ACK_REASON:
        for (uint8_t i = 0; i < t->nreason && n < max; i++) n += pa_put_u(out + n, max - n, t->reason[i]);
        return n;
    default: return per_pdu(t, field, out, max);
    }
}
