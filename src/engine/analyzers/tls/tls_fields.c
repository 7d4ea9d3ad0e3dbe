/* Values of the tls.* display-filter fields (tls_fields.def) in a frame: the
 * records it ends, as the tracker reported them (pa_tls_frame). */
#include "tls_analyzer.h"

size_t pa_tls_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_tls_frame *t = f->app[PA_AN_tls];
    if (!t) return 0;
    size_t n = 0;
    switch (field) {
    case PA_DF_TLS: return pa_put_bool(out, max, true);
    case PA_DF_TLS_RECORD_VERSION:
        for (uint8_t i = 0; i < t->nrec && n < max; i++) n += pa_put_u(out + n, max - n, t->rec_version[i]);
        return n;
    case PA_DF_TLS_HANDSHAKE_TYPE:
        for (uint8_t i = 0; i < t->nhs && n < max; i++) n += pa_put_u(out + n, max - n, t->hs_type[i]);
        return n;
    case PA_DF_TLS_HANDSHAKE_VERSION:
        for (uint8_t i = 0; i < t->nhv && n < max; i++) n += pa_put_u(out + n, max - n, t->hello_version[i]);
        return n;
    case PA_DF_TLS_HANDSHAKE_EXTENSIONS_SERVER_NAME: return t->has_sni ? pa_put_str(out, max, t->sni) : 0;
    case PA_DF_TLS_HANDSHAKE_CIPHERSUITE:
        for (uint16_t i = 0; i < t->ncs && n < max; i++) n += pa_put_u(out + n, max - n, t->cs[i]);
        return n;
    case PA_DF_TLS_ALERT_MESSAGE: return t->nalert ? pa_put_bool(out, max, true) : 0;
    case PA_DF_TLS_ALERT_MESSAGE_LEVEL:
        for (uint8_t i = 0; i < t->nalert && n < max; i++)
            if (t->alert[i] < 0x10000) n += pa_put_u(out + n, max - n, t->alert[i] >> 8);
        return n;
    case PA_DF_TLS_ALERT_MESSAGE_DESC:
        for (uint8_t i = 0; i < t->nalert && n < max; i++)
            if (t->alert[i] < 0x10000) n += pa_put_u(out + n, max - n, t->alert[i] & 0xff);
        return n;
    default: return 0;
    }
}
