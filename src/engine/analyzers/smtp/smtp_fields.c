/* Values of the smtp.* display-filter fields (smtp_fields.def) in a frame. */
#include "smtp_analyzer.h"

size_t pa_smtp_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_smtp_frame *t = f->app[PA_AN_smtp];
    if (!t || !t->present) return 0;
    size_t n = 0;
    switch (field) {
    case PA_DF_SMTP: return pa_put_bool(out, max, true);
    case PA_DF_SMTP_REQ:
        return t->request && (t->ncmd || t->has_user || t->has_pass || t->has_user_pass || !t->message)
                   ? pa_put_bool(out, max, true)
                   : 0;
    case PA_DF_SMTP_RSP: return !t->request ? pa_put_bool(out, max, true) : 0;
    case PA_DF_SMTP_REQ_COMMAND:
        for (uint8_t i = 0; i < t->ncmd && n < max; i++) n += pa_put_str(out + n, max - n, t->cmd[i]);
        return n;
    case PA_DF_SMTP_REQ_PARAMETER:
        for (uint8_t i = 0; i < t->ncmd && n < max; i++)
            if (t->has_param[i]) n += pa_put_str(out + n, max - n, t->param[i]);
        return n;
    case PA_DF_SMTP_RESPONSE_CODE: return t->ncode ? pa_put_u(out, max, t->code) : 0;
    case PA_DF_SMTP_RSP_PARAMETER:
        for (uint8_t i = 0; i < t->nrsp && n < max; i++) n += pa_put_str(out + n, max - n, t->rsp[i]);
        return n;
    case PA_DF_SMTP_AUTH_USERNAME: return t->has_user ? pa_put_str(out, max, t->user) : 0;
    case PA_DF_SMTP_AUTH_PASSWORD: return t->has_pass ? pa_put_str(out, max, t->pass) : 0;
    case PA_DF_SMTP_AUTH_USERNAME_PASSWORD: return t->has_user_pass ? pa_put_str(out, max, t->user) : 0;
    default: return 0;
    }
}
