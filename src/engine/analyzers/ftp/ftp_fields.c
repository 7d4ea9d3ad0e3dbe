/* Values of the ftp.* display-filter fields (ftp_fields.def) in a frame. */
#include "ftp_analyzer.h"

/* The frame's first FTP line, as Wireshark's FTP dissector shows it (it
 * dissects each segment alone). */
size_t pa_ftp_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_ftp_frame *t = f->app[PA_AN_ftp];
    if (!t) return 0;
    const pa_ftp_data_view *d = &t->data;
    switch (field) {
    case PA_DF_FTP_DATA: return d->present ? pa_put_bool(out, max, true) : 0;
    case PA_DF_FTP_DATA_SETUP_FRAME: return d->setup_frame ? pa_put_u(out, max, d->setup_frame) : 0;
    case PA_DF_FTP_DATA_SETUP_METHOD: return d->setup_frame ? pa_put_str(out, max, d->method) : 0;
    case PA_DF_FTP_DATA_COMMAND: return d->has_command ? pa_put_str(out, max, d->command) : 0;
    case PA_DF_FTP_DATA_COMMAND_FRAME: return d->has_command ? pa_put_u(out, max, d->command_frame) : 0;
    case PA_DF_FTP_DATA_CURRENT_WORKING_DIRECTORY: return d->setup_frame ? pa_put_str(out, max, d->cwd) : 0;
    default: break;
    }
    if (!t->present) return 0;
    switch (field) {
    case PA_DF_FTP: return pa_put_bool(out, max, true);
    case PA_DF_FTP_REQUEST: return pa_put_bool(out, max, t->request);
    case PA_DF_FTP_RESPONSE: return pa_put_bool(out, max, !t->request);
    case PA_DF_FTP_REQUEST_COMMAND: return t->request && t->has_command ? pa_put_str(out, max, t->command) : 0;
    case PA_DF_FTP_REQUEST_ARG: return t->request && t->has_arg ? pa_put_str(out, max, t->arg) : 0;
    case PA_DF_FTP_RESPONSE_CODE: return !t->request && t->has_code ? pa_put_u(out, max, t->code) : 0;
    case PA_DF_FTP_RESPONSE_ARG: return !t->request && t->has_arg ? pa_put_str(out, max, t->arg) : 0;
    default: return 0;
    }
}
