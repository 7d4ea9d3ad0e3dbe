/* Values of the srvloc.* display-filter fields (srvloc_fields.def): the
 * message parsed again; a version 2 body's fields only when it parsed. */
#include "srvloc_analyzer.h"

/* The URL entries (their URLs or lifetimes) of a reply, registration or deregistration. */
static size_t urls(pa_field_frame *f, const pa_srvloc_msg *m, bool lifetime, pa_dvalue *out, size_t max) {
    if (m->function != PA_SRVLOC_SRVRPLY && m->function != PA_SRVLOC_SRVREG && m->function != PA_SRVLOC_SRVDEREG)
        return 0;
    size_t k = 0;
    uint32_t n = m->nurls < PA_SRVLOC_URLS ? m->nurls : PA_SRVLOC_URLS;
    for (uint32_t i = 0; i < n && k < max; i++)
        k += lifetime ? pa_put_u(out + k, max - k, m->urls[i].lifetime)
                      : pa_put_text(f, m->urls[i].url, out + k, max - k);
    return k;
}

static size_t v1_field(const pa_srvloc_msg *m, pa_dfield field, pa_dvalue *out, size_t max, pa_field_frame *f) {
    switch (field) {
    case PA_DF_SRVLOC_FLAGS_V1: return pa_put_u(out, max, m->flags);
    case PA_DF_SRVLOC_DIALECT: return pa_put_u(out, max, m->dialect);
    case PA_DF_SRVLOC_LANGUAGE: return pa_put_text(f, m->lang, out, max);
    case PA_DF_SRVLOC_ENCODING: return pa_put_u(out, max, m->encoding);
    case PA_DF_SRVLOC_TRANSACTION_ID: return pa_put_u(out, max, m->xid);
    default: return 0;
    }
}

static size_t body_field(const pa_srvloc_msg *m, pa_dfield field, pa_dvalue *out, size_t max, pa_field_frame *f) {
    uint8_t fn = m->function;
    switch (field) {
    case PA_DF_SRVLOC_ERRV2: return m->has_error ? pa_put_u(out, max, m->error) : 0;
    case PA_DF_SRVLOC_URL_URL: return urls(f, m, false, out, max);
    case PA_DF_SRVLOC_URL_LIFETIME: return urls(f, m, true, out, max);
    case PA_DF_SRVLOC_SRVREQ_SRVTYPELIST: return fn == PA_SRVLOC_SRVRQST ? pa_put_text(f, m->srvtype, out, max) : 0;
    case PA_DF_SRVLOC_SRVREQ_SRVTYPE: return fn == PA_SRVLOC_SRVREG ? pa_put_text(f, m->srvtype, out, max) : 0;
    case PA_DF_SRVLOC_SRVREQ_SCOPELIST:
        return fn == PA_SRVLOC_SRVRQST || fn == PA_SRVLOC_SRVREG ? pa_put_text(f, m->scopes, out, max) : 0;
    case PA_DF_SRVLOC_SRVTYPERPLY_SRVTYPELIST:
        return fn == PA_SRVLOC_SRVTYPERPLY ? pa_put_text(f, m->srvtype, out, max) : 0;
    case PA_DF_SRVLOC_DAADVERT_URL: return fn == PA_SRVLOC_DAADVERT ? pa_put_text(f, m->urls[0].url, out, max) : 0;
    case PA_DF_SRVLOC_DAADVERT_SCOPELIST: return fn == PA_SRVLOC_DAADVERT ? pa_put_text(f, m->scopes, out, max) : 0;
    case PA_DF_SRVLOC_SAADVERT_URL: return fn == PA_SRVLOC_SAADVERT ? pa_put_text(f, m->urls[0].url, out, max) : 0;
    default: return 0;
    }
}

size_t pa_srvloc_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_packet *p = f->p;
    if (p->app != PA_P_SRVLOC || p->l4 != PA_P_UDP || p->is_fragment) return 0;
    pa_srvloc_msg m;
    if (!pa_srvloc_parse(p->payload, p->payload_len, &m)) return 0;
    switch (field) {
    case PA_DF_SRVLOC: return pa_put_bool(out, max, true);
    case PA_DF_SRVLOC_VERSION: return pa_put_u(out, max, m.version);
    case PA_DF_SRVLOC_FUNCTION: return pa_put_u(out, max, m.function);
    case PA_DF_SRVLOC_PKTLEN: return pa_put_u(out, max, m.length);
    default: break;
    }
    if (m.version == 1) return v1_field(&m, field, out, max, f);
    switch (field) {
    case PA_DF_SRVLOC_XID: return pa_put_u(out, max, m.xid);
    case PA_DF_SRVLOC_LANGTAG: return pa_put_text(f, m.lang, out, max);
    case PA_DF_SRVLOC_FLAGS_V2: return pa_put_u(out, max, m.flags);
    case PA_DF_SRVLOC_NEXTEXTOFF: return pa_put_u(out, max, m.nextext);
    default: return m.body ? body_field(&m, field, out, max, f) : 0;
    }
}
