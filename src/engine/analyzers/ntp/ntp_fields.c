/* Values of the ntp.* display-filter fields (ntp_fields.def) in a frame,
 * on the messages Wireshark gives them: the header fields in modes 1-5,
 * ntp.ctrl.* in mode 6, ntp.priv.* in mode 7. */
#include "ntp_analyzer.h"

static size_t header_field(const pa_ntp_msg *m, pa_dfield field, pa_dvalue *out, size_t max) {
    switch (field) {
    case PA_DF_NTP_STRATUM: return pa_put_u(out, max, m->stratum);
    case PA_DF_NTP_PPOLL: return pa_put_u(out, max, m->poll);
    case PA_DF_NTP_PRECISION: return pa_put_u(out, max, m->precision);
    case PA_DF_NTP_ROOTDELAY: return pa_put_u(out, max, m->root_delay);
    case PA_DF_NTP_ROOTDISPERSION: return pa_put_u(out, max, m->root_dispersion);
    case PA_DF_NTP_REFID: return pa_put_bytes(out, max, PA_FT_BYTES, m->refid, 4);
    case PA_DF_NTP_REFTIME: return pa_put_d(out, max, pa_ntp_unix_s(m->reftime));
    case PA_DF_NTP_ORG: return pa_put_d(out, max, pa_ntp_unix_s(m->org));
    case PA_DF_NTP_REC: return pa_put_d(out, max, pa_ntp_unix_s(m->rec));
    case PA_DF_NTP_XMT: return pa_put_d(out, max, pa_ntp_unix_s(m->xmt));
    default: return 0;
    }
}

/* the header's word, then those of a read status list */
static size_t words(pa_dvalue *out, size_t max, uint16_t first, const uint16_t *list, uint8_t n) {
    size_t k = pa_put_u(out, max, first);
    for (uint8_t i = 0; i < n && k < max; i++) k += pa_put_u(out + k, max - k, list[i]);
    return k;
}

static size_t control_field(const pa_ntp_msg *m, pa_dfield field, pa_dvalue *out, size_t max) {
    switch (field) {
    case PA_DF_NTP_CTRL_FLAGS2: return pa_put_u(out, max, m->flags2);
    case PA_DF_NTP_CTRL_FLAGS2_R: return pa_put_u(out, max, m->flags2 >> 7);
    case PA_DF_NTP_CTRL_FLAGS2_ERROR: return pa_put_u(out, max, (m->flags2 >> 6) & 1);
    case PA_DF_NTP_CTRL_FLAGS2_MORE: return pa_put_u(out, max, (m->flags2 >> 5) & 1);
    case PA_DF_NTP_CTRL_FLAGS2_OPCODE: return pa_put_u(out, max, m->flags2 & 0x1f);
    case PA_DF_NTP_CTRL_SEQUENCE: return pa_put_u(out, max, m->sequence);
    case PA_DF_NTP_CTRL_STATUS: return words(out, max, m->status, m->peer_status, m->npeers);
    case PA_DF_NTP_CTRL_ASSOCID: return words(out, max, m->associd, m->peer_associd, m->npeers);
    case PA_DF_NTP_CTRL_OFFSET: return pa_put_u(out, max, m->offset);
    case PA_DF_NTP_CTRL_COUNT: return pa_put_u(out, max, m->count);
    default: return 0;
    }
}

static size_t private_field(const pa_ntp_msg *m, pa_dfield field, pa_dvalue *out, size_t max) {
    switch (field) {
    case PA_DF_NTP_PRIV_FLAGS_R: return pa_put_u(out, max, m->flags >> 7);
    case PA_DF_NTP_PRIV_FLAGS_MORE: return pa_put_u(out, max, (m->flags >> 6) & 1);
    case PA_DF_NTP_PRIV_AUTH_SEQ: return pa_put_u(out, max, m->auth_seq);
    case PA_DF_NTP_PRIV_AUTH: return pa_put_u(out, max, m->auth_seq >> 7);
    case PA_DF_NTP_PRIV_SEQ: return pa_put_u(out, max, m->auth_seq & 0x7f);
    case PA_DF_NTP_PRIV_IMPL: return pa_put_u(out, max, m->impl);
    case PA_DF_NTP_PRIV_REQCODE: return pa_put_u(out, max, m->reqcode);
    case PA_DF_NTP_PRIV_ERR: return m->has_err ? pa_put_u(out, max, m->err) : 0;
    case PA_DF_NTP_PRIV_NUMITEMS: return m->has_err ? pa_put_u(out, max, m->numitems) : 0;
    case PA_DF_NTP_PRIV_ITEMSIZE: return m->has_itemsize ? pa_put_u(out, max, m->itemsize) : 0;
    default: return 0;
    }
}

size_t pa_ntp_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_ntp_frame *t = f->app[PA_AN_ntp];
    if (!t || !t->present) return 0;
    const pa_ntp_msg *m = &t->msg;
    switch (field) {
    case PA_DF_NTP: return pa_put_bool(out, max, true);
    case PA_DF_NTP_FLAGS: return pa_put_u(out, max, m->flags);
    case PA_DF_NTP_FLAGS_LI: return m->mode != PA_NTP_PRIVATE ? pa_put_u(out, max, m->li) : 0;
    case PA_DF_NTP_FLAGS_VN: return pa_put_u(out, max, m->vn);
    case PA_DF_NTP_FLAGS_MODE: return pa_put_u(out, max, m->mode);
    case PA_DF_NTP_REQUEST_IN: return t->link.request_frame ? pa_put_u(out, max, t->link.request_frame) : 0;
    case PA_DF_NTP_DELTA_TIME: return t->link.request_frame ? pa_put_d(out, max, (double)t->link.delta_ns / 1e9) : 0;
    default: break;
    }
    if (m->mode == PA_NTP_CONTROL) return control_field(m, field, out, max);
    if (m->mode == PA_NTP_PRIVATE) return private_field(m, field, out, max);
    return header_field(m, field, out, max);
}
