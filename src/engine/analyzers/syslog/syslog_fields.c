/* Values of the syslog.* display-filter fields (syslog_fields.def) in a frame. */
#include "syslog_analyzer.h"

static size_t put_span(pa_dvalue *out, size_t max, const pa_syslog_span *s) {
    return s->present ? pa_put_bytes(out, max, PA_FT_STRING, s->p, s->n) : 0;
}

size_t pa_syslog_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_syslog_frame *t = f->app[PA_AN_syslog];
    if (!t) return 0;
    const pa_syslog_msg *m = &t->msg;
    switch (field) {
    case PA_DF_SYSLOG: return pa_put_bool(out, max, true);
    case PA_DF_SYSLOG_FACILITY: return m->has_pri ? pa_put_u(out, max, m->facility) : 0;
    case PA_DF_SYSLOG_LEVEL: return m->has_pri ? pa_put_u(out, max, m->level) : 0;
    case PA_DF_SYSLOG_MSG: return put_span(out, max, &m->msg);
    case PA_DF_SYSLOG_VERSION: return put_span(out, max, &m->version);
    case PA_DF_SYSLOG_TIMESTAMP_RFC3164: return put_span(out, max, &m->ts3164);
    case PA_DF_SYSLOG_HOSTNAME: return put_span(out, max, &m->hostname);
    case PA_DF_SYSLOG_APPNAME: return put_span(out, max, &m->appname);
    case PA_DF_SYSLOG_PROCID: return put_span(out, max, &m->procid);
    case PA_DF_SYSLOG_MSGID: return put_span(out, max, &m->msgid);
    default: return 0;
    }
}
