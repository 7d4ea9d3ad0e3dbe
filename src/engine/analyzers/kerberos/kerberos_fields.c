/* Values of the kerberos.* display-filter fields (kerberos_fields.def) in a frame. */
#include "kerberos_analyzer.h"

static size_t ints(pa_dvalue *out, size_t max, const pa_krb_ints *l) {
    size_t k = 0;
    for (uint8_t i = 0; i < l->n && k < max; i++, k++) {
        out[k].type = PA_FT_INT;
        out[k].v.i = l->v[i];
    }
    return k;
}

static size_t strs(pa_dvalue *out, size_t max, const pa_krb_strs *l) {
    size_t k = 0;
    for (uint8_t i = 0; i < l->n && k < max; i++) k += pa_put_str(out + k, max - k, l->s[i]);
    return k;
}

size_t pa_kerberos_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_krb_frame *t = f->app[PA_AN_kerberos];
    if (!t || !t->present) return 0;
    const pa_krb_msg *m = &t->msg;
    switch (field) {
    case PA_DF_KERBEROS: return pa_put_bool(out, max, true);
    case PA_DF_KERBEROS_PVNO: { /* each message's, an AP-REQ inside a TGS-REQ's too (5 in both) */
        size_t k = 0;
        for (uint8_t i = 0; i < m->msg_types.n && k < max; i++) k += pa_put_u(out + k, max - k, m->pvno);
        return k;
    }
    case PA_DF_KERBEROS_MSG_TYPE: return ints(out, max, &m->msg_types);
    case PA_DF_KERBEROS_ERROR_CODE: return ints(out, max, &m->error_codes);
    case PA_DF_KERBEROS_CNAMESTRING: return strs(out, max, &m->cnames);
    case PA_DF_KERBEROS_SNAMESTRING: return strs(out, max, &m->snames);
    case PA_DF_KERBEROS_REALM: return strs(out, max, &m->realms);
    case PA_DF_KERBEROS_CREALM: return strs(out, max, &m->crealms);
    case PA_DF_KERBEROS_ETYPE: return ints(out, max, &m->etypes);
    case PA_DF_KERBEROS_ENCTYPE: return ints(out, max, &m->enctypes);
    case PA_DF_KERBEROS_PADATA_TYPE: return ints(out, max, &m->padata);
    case PA_DF_KERBEROS_NONCE: return m->has_nonce ? pa_put_u(out, max, m->nonce) : 0;
    case PA_DF_KERBEROS_E_TEXT: return m->has_e_text ? pa_put_str(out, max, m->e_text) : 0;
    default: return 0;
    }
}
