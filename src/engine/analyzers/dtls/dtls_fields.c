/* Values of the dtls.* display-filter fields (dtls_fields.def) in a frame:
 * one value per record, handshake fragment, hello or alert that has it. */
#include "dtls_analyzer.h"

static size_t records(const pa_dtls_frame *t, pa_dfield field, pa_dvalue *out, size_t max) {
    size_t n = 0;
    for (uint8_t i = 0; i < t->nrec && n < max; i++) {
        const pa_dtls_record *r = &t->rec[i];
        uint64_t v = field == PA_DF_DTLS_RECORD_CONTENT_TYPE ? r->type
                     : field == PA_DF_DTLS_RECORD_VERSION    ? r->version
                     : field == PA_DF_DTLS_RECORD_EPOCH      ? r->epoch
                     : field == PA_DF_DTLS_RECORD_LENGTH     ? r->length
                                                             : r->seq;
        n += pa_put_u(out + n, max - n, v);
    }
    return n;
}

static size_t handshakes(const pa_dtls_frame *t, pa_dfield field, pa_dvalue *out, size_t max) {
    size_t n = 0;
    for (uint8_t i = 0; i < t->nhs && n < max; i++) {
        const pa_dtls_hs *h = &t->hs[i];
        uint64_t v = field == PA_DF_DTLS_HANDSHAKE_TYPE              ? h->type
                     : field == PA_DF_DTLS_HANDSHAKE_LENGTH          ? h->length
                     : field == PA_DF_DTLS_HANDSHAKE_MESSAGE_SEQ     ? h->message_seq
                     : field == PA_DF_DTLS_HANDSHAKE_FRAGMENT_OFFSET ? h->frag_off
                                                                     : h->frag_len;
        n += pa_put_u(out + n, max - n, v);
    }
    return n;
}

size_t pa_dtls_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_dtls_frame *t = f->app[PA_AN_dtls];
    if (!t || !t->nrec) return 0;
    size_t n = 0;
    switch (field) {
    case PA_DF_DTLS: return pa_put_bool(out, max, true);
    case PA_DF_DTLS_RECORD_CONTENT_TYPE:
    case PA_DF_DTLS_RECORD_VERSION:
    case PA_DF_DTLS_RECORD_EPOCH:
    case PA_DF_DTLS_RECORD_SEQUENCE_NUMBER:
    case PA_DF_DTLS_RECORD_LENGTH: return records(t, field, out, max);
    case PA_DF_DTLS_HANDSHAKE_TYPE:
    case PA_DF_DTLS_HANDSHAKE_LENGTH:
    case PA_DF_DTLS_HANDSHAKE_MESSAGE_SEQ:
    case PA_DF_DTLS_HANDSHAKE_FRAGMENT_OFFSET:
    case PA_DF_DTLS_HANDSHAKE_FRAGMENT_LENGTH: return handshakes(t, field, out, max);
    case PA_DF_DTLS_HANDSHAKE_VERSION:
        for (uint8_t i = 0; i < t->nhello && n < max; i++) n += pa_put_u(out + n, max - n, t->hello_version[i]);
        return n;
    case PA_DF_DTLS_HANDSHAKE_CIPHERSUITE:
        for (uint16_t i = 0; i < t->ncipher && n < max; i++) n += pa_put_u(out + n, max - n, t->cipher[i]);
        return n;
    case PA_DF_DTLS_HANDSHAKE_EXTENSIONS_SERVER_NAME: return t->has_sni ? pa_put_str(out, max, t->sni) : 0;
    case PA_DF_DTLS_USE_SRTP_PROTECTION_PROFILE:
        for (uint8_t i = 0; i < t->srtp.n && n < max; i++) n += pa_put_u(out + n, max - n, t->srtp.profile[i]);
        return n;
    case PA_DF_DTLS_ALERT_MESSAGE_LEVEL:
    case PA_DF_DTLS_ALERT_MESSAGE_DESC:
        for (uint8_t i = 0; i < t->nalert && n < max; i++)
            n += pa_put_u(out + n, max - n, t->alert[i][field == PA_DF_DTLS_ALERT_MESSAGE_DESC]);
        return n;
    default: return 0;
    }
}
