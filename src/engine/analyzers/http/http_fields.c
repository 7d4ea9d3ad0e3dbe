/* Values of the http.* display-filter fields (http_fields.def) in a frame. */
#include "http_analyzer.h"

/* HTTP messages the pass completed in this frame (Wireshark shows a message
 * on the frame that completes its reassembly; so do we). */
size_t pa_http_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
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
