/* Values of the quic.* display-filter fields (quic_fields.def) in a frame:
 * what the tracker noted of each packet of the datagram (pa_quic_frame). */
#include "quic_analyzer.h"

size_t pa_quic_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_quic_frame *t = f->app[PA_AN_quic];
    if (!t || !t->present) return 0;
    size_t n = 0;
    for (uint8_t i = 0; i < t->npkt && n < max; i++) {
        const struct pa_quic_frame_pkt *k = &t->pkt[i];
        bool v2 = k->version == PA_QUIC_V2;
        switch (field) {
        case PA_DF_QUIC_HEADER_FORM: n += pa_put_u(out + n, max - n, k->is_long); break;
        case PA_DF_QUIC_VERSION:
            if (k->is_long) n += pa_put_u(out + n, max - n, k->version);
            break;
        case PA_DF_QUIC_LONG_PACKET_TYPE:
            /* Version Negotiation has no type (tshark shows none) */
            if (k->is_long && k->version && !v2) n += pa_put_u(out + n, max - n, k->raw_type);
            break;
        case PA_DF_QUIC_LONG_PACKET_TYPE_V2:
            if (k->is_long && v2) n += pa_put_u(out + n, max - n, k->raw_type);
            break;
        case PA_DF_QUIC_DCIL:
            if (k->is_long) n += pa_put_u(out + n, max - n, k->dcid.len);
            break;
        case PA_DF_QUIC_SCIL:
            if (k->is_long) n += pa_put_u(out + n, max - n, k->scid.len);
            break;
        case PA_DF_QUIC_DCID:
            if (k->has_dcid) n += pa_put_bytes(out + n, max - n, PA_FT_BYTES, k->dcid.b, k->dcid.len);
            break;
        case PA_DF_QUIC_SCID:
            if (k->has_scid) n += pa_put_bytes(out + n, max - n, PA_FT_BYTES, k->scid.b, k->scid.len);
            break;
        case PA_DF_QUIC_PACKET_NUMBER:
            if (k->has_pn) n += pa_put_u(out + n, max - n, k->pn);
            break;
        case PA_DF_QUIC_CONNECTION_NUMBER:
            if (k->conn >= 0) n += pa_put_u(out + n, max - n, (uint64_t)k->conn);
            break;
        default: break;
        }
    }
    switch (field) {
    case PA_DF_QUIC: return pa_put_bool(out, max, true);
    case PA_DF_QUIC_FRAME_TYPE:
        for (uint8_t i = 0; i < t->nftype && n < max; i++) n += pa_put_u(out + n, max - n, t->ftype[i]);
        return n;
    case PA_DF_QUIC_CRYPTO_OFFSET:
        for (uint8_t i = 0; i < t->ncrypto && n < max; i++) n += pa_put_u(out + n, max - n, t->crypto_off[i]);
        return n;
    case PA_DF_QUIC_CRYPTO_LENGTH:
        for (uint8_t i = 0; i < t->ncrypto && n < max; i++) n += pa_put_u(out + n, max - n, t->crypto_len[i]);
        return n;
    case PA_DF_QUIC_CC_ERROR_CODE:
    case PA_DF_QUIC_CC_ERROR_CODE_APP:
        for (uint8_t i = 0; i < t->nclose && n < max; i++)
            if (t->close_app[i] == (field == PA_DF_QUIC_CC_ERROR_CODE_APP))
                n += pa_put_u(out + n, max - n, t->close_code[i]);
        return n;
    default: return n;
    }
}
