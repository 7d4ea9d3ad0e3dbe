/* Values of the http.* display-filter fields (http_fields.def) in a frame. */
#include "http_analyzer.h"

static size_t put_slice(pa_dvalue *out, size_t max, pa_ssdp_str s) {
    return s.p ? pa_put_bytes(out, max, PA_FT_STRING, s.p, s.n) : 0;
}

/* An SSDP datagram, read again from the frame's bytes: the fields tshark's
 * HTTP dissector gives it (it is "ssdp", not "http", to tshark). */
static size_t ssdp_values(const pa_packet *p, pa_dfield field, pa_dvalue *out, size_t max) {
    pa_ssdp_msg m;
    if (!pa_ssdp_parse(p->payload, p->payload_len, &m)) return 0;
    size_t n = 0;
    switch (field) {
    case PA_DF_SSDP: return pa_put_bool(out, max, true);
    case PA_DF_HTTP_REQUEST: return m.request ? pa_put_bool(out, max, true) : 0;
    case PA_DF_HTTP_RESPONSE: return m.request ? 0 : pa_put_bool(out, max, true);
    case PA_DF_HTTP_REQUEST_METHOD: return put_slice(out, max, m.method);
    case PA_DF_HTTP_REQUEST_URI: return put_slice(out, max, m.uri);
    case PA_DF_HTTP_RESPONSE_CODE: return m.request ? 0 : pa_put_u(out, max, m.status);
    case PA_DF_HTTP_HOST: return put_slice(out, max, m.host);
    case PA_DF_HTTP_LOCATION: return put_slice(out, max, m.location);
    case PA_DF_HTTP_SERVER: return put_slice(out, max, m.server);
    case PA_DF_HTTP_CACHE_CONTROL: return put_slice(out, max, m.cache_control);
    case PA_DF_HTTP_REQUEST_LINE:
    case PA_DF_HTTP_RESPONSE_LINE:
        if (m.request != (field == PA_DF_HTTP_REQUEST_LINE)) return 0;
        for (uint8_t i = 0; i < m.nlines && n < max; i++) n += put_slice(out + n, max - n, m.lines[i]);
        return n;
    default: return 0;
    }
}

/* HTTP messages the pass completed in this frame (Wireshark shows a message
 * on the frame that completes its reassembly; so do we). */
size_t pa_http_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    if (f->p->app == PA_P_SSDP && f->p->l4 == PA_P_UDP && !f->p->is_fragment) return ssdp_values(f->p, field, out, max);
    const pa_http_frame *c = f->app[PA_AN_http];
    size_t n = 0;
    for (uint8_t i = 0; c && i < c->n && n < max; i++) {
        const pa_http_tx *t = &c->tx[i];
        bool resp = c->response[i];
        switch (field) {
        case PA_DF_HTTP: n += pa_put_bool(out + n, max - n, true); break;
        case PA_DF_HTTP_REQUEST:
            if (!resp) n += pa_put_bool(out + n, max - n, true);
            break;
        case PA_DF_HTTP_RESPONSE:
            if (resp) n += pa_put_bool(out + n, max - n, true);
            break;
        case PA_DF_HTTP_REQUEST_METHOD:
            if (!resp) n += pa_put_str(out + n, max - n, t->method);
            break;
        case PA_DF_HTTP_REQUEST_URI:
            if (!resp && t->uri[0]) n += pa_put_str(out + n, max - n, t->uri);
            break;
        case PA_DF_HTTP_HOST:
            if (!resp && t->host[0]) n += pa_put_str(out + n, max - n, t->host);
            break;
        case PA_DF_HTTP_USER_AGENT:
            if (!resp && t->user_agent[0]) n += pa_put_str(out + n, max - n, t->user_agent);
            break;
        case PA_DF_HTTP_RESPONSE_CODE:
            if (resp && t->status) n += pa_put_u(out + n, max - n, t->status);
            break;
        case PA_DF_HTTP_TIME:
            if (resp && t->rt_ns >= 0) n += pa_put_d(out + n, max - n, (double)t->rt_ns / 1e9);
            break;
        default: break;
        }
    }
    return n;
}
