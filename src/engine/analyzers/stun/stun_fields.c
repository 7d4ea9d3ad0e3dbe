/* Values of the stun.* display-filter fields (stun_fields.def) in a frame:
 * one value per message, or per attribute, that has it. */
#include "stun_analyzer.h"

static size_t addresses(const pa_stun_msg *m, pa_dfield field, pa_dvalue *out, size_t max) {
    size_t n = 0;
    for (uint8_t i = 0; i < m->naddrs && n < max; i++) {
        const pa_stun_addr *a = &m->addrs[i];
        switch (field) {
        case PA_DF_STUN_ATT_IPV4:
            if (a->family == 4) n += pa_put_addr(out + n, max - n, PA_FT_IPV4, a->addr, 4);
            break;
        case PA_DF_STUN_ATT_IPV6:
            if (a->family == 6) n += pa_put_addr(out + n, max - n, PA_FT_IPV6, a->addr, 16);
            break;
        case PA_DF_STUN_ATT_PORT: n += pa_put_u(out + n, max - n, a->port); break;
        case PA_DF_STUN_ATT_IPV4_XORD:
            if (a->xored && a->family == 4) n += pa_put_bytes(out + n, max - n, PA_FT_BYTES, a->raw, 4);
            break;
        case PA_DF_STUN_ATT_IPV6_XORD:
            if (a->xored && a->family == 6) n += pa_put_bytes(out + n, max - n, PA_FT_BYTES, a->raw, 16);
            break;
        case PA_DF_STUN_ATT_PORT_XORD:
            if (a->xored) n += pa_put_bytes(out + n, max - n, PA_FT_BYTES, a->raw_port, 2);
            break;
        default: return n;
        }
    }
    return n;
}

static size_t one(const pa_stun_msg *m, pa_dfield field, pa_dvalue *out, size_t max) {
    switch (field) {
    case PA_DF_STUN_TYPE: return pa_put_u(out, max, m->type);
    case PA_DF_STUN_TYPE_METHOD: return pa_put_u(out, max, m->type & 0x3eef);
    case PA_DF_STUN_TYPE_CLASS: return pa_put_u(out, max, (m->type & 0x0110) >> 4);
    case PA_DF_STUN_LENGTH: return pa_put_u(out, max, m->length);
    case PA_DF_STUN_ID: return pa_put_bytes(out, max, PA_FT_BYTES, m->id, 12);
    case PA_DF_STUN_ATT_ERROR_CLASS: return m->has_error ? pa_put_u(out, max, m->error_code / 100) : 0;
    case PA_DF_STUN_ATT_ERROR: return m->has_error ? pa_put_u(out, max, m->error_code % 100) : 0;
    case PA_DF_STUN_ATT_ERROR_REASON: return m->has_error && m->reason[0] ? pa_put_str(out, max, m->reason) : 0;
    case PA_DF_STUN_ATT_LIFETIME: return m->has_lifetime ? pa_put_u(out, max, m->lifetime) : 0;
    case PA_DF_STUN_ATT_SOFTWARE: return m->has_software ? pa_put_str(out, max, m->software) : 0;
    case PA_DF_STUN_ATT_USERNAME: return m->has_username ? pa_put_str(out, max, m->username) : 0;
    case PA_DF_STUN_ATT_REALM: return m->has_realm ? pa_put_str(out, max, m->realm) : 0;
    case PA_DF_STUN_ATT_PRIORITY: return m->has_priority ? pa_put_u(out, max, m->priority) : 0;
    case PA_DF_STUN_ATT_TRANSP: return m->has_transport ? pa_put_u(out, max, m->transport) : 0;
    case PA_DF_STUN_ATT_CHANNELNUM: return m->has_channel ? pa_put_u(out, max, m->channel) : 0;
    case PA_DF_STUN_ATT_CRC32: return m->has_fingerprint ? pa_put_u(out, max, m->fingerprint) : 0;
    case PA_DF_STUN_ATT_CRC32_STATUS: return m->has_fingerprint ? pa_put_u(out, max, m->fingerprint_ok) : 0;
    default: return addresses(m, field, out, max);
    }
}

size_t pa_stun_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_stun_frame *t = f->app[PA_AN_stun];
    if (!t || (!t->n && !t->channel)) return 0;
    if (field == PA_DF_STUN) return pa_put_bool(out, max, true);
    if (field == PA_DF_STUN_CHANNEL) return t->channel ? pa_put_u(out, max, t->channel_no) : 0;
    size_t n = 0;
    for (uint8_t i = 0; i < t->n && n < max; i++) {
        if (field == PA_DF_STUN_RESPONSE_TO || field == PA_DF_STUN_TIME) {
            if (!t->response_to[i]) continue;
            n += field == PA_DF_STUN_TIME ? pa_put_d(out + n, max - n, (double)t->time_ns[i] / 1e9)
                                          : pa_put_u(out + n, max - n, t->response_to[i]);
            continue;
        }
        n += one(&t->msg[i], field, out + n, max - n);
    }
    return n;
}
