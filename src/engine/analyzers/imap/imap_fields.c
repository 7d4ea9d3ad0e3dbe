/* Values of the imap.* display-filter fields (imap_fields.def) in a frame. */
#include "imap_analyzer.h"

/* word w of each line (request or response lines only), when the line has it */
static size_t words(const pa_imap_frame *t, int w, pa_dvalue *out, size_t max) {
    size_t n = 0;
    for (uint8_t i = 0; i < t->nlines && n < max; i++)
        if (t->line[i].nw > w) n += pa_put_str(out + n, max - n, t->line[i].w[w]);
    return n;
}

size_t pa_imap_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_imap_frame *t = f->app[PA_AN_imap];
    if (!t || !t->present) return 0;
    size_t n = 0;
    switch (field) {
    case PA_DF_IMAP: return pa_put_bool(out, max, true);
    case PA_DF_IMAP_ISREQUEST: return pa_put_bool(out, max, t->request);
    case PA_DF_IMAP_REQUEST_TAG: return t->request ? words(t, 0, out, max) : 0;
    case PA_DF_IMAP_REQUEST_COMMAND: return t->request ? words(t, 1, out, max) : 0;
    case PA_DF_IMAP_RESPONSE_TAG: return !t->request ? words(t, 0, out, max) : 0;
    case PA_DF_IMAP_RESPONSE_STATUS: return !t->request ? words(t, 1, out, max) : 0;
    case PA_DF_IMAP_RESPONSE_COMMAND: return !t->request ? words(t, 2, out, max) : 0;
    case PA_DF_IMAP_TAG: return words(t, 0, out, max);
    case PA_DF_IMAP_COMMAND: return words(t, t->request ? 1 : 2, out, max);
    case PA_DF_IMAP_REQUEST_USERNAME:
        for (uint8_t i = 0; t->request && i < t->nlines && n < max; i++)
            if (t->line[i].user) n += pa_put_str(out + n, max - n, t->line[i].w[2]);
        return n;
    case PA_DF_IMAP_REQUEST_PASSWORD: return t->request && t->has_password ? pa_put_str(out, max, t->password) : 0;
    case PA_DF_IMAP_REQUEST_FOLDER:
        for (uint8_t i = 0; t->request && i < t->nlines && n < max; i++)
            if (t->line[i].folder) n += pa_put_str(out + n, max - n, t->line[i].w[2]);
        return n;
    case PA_DF_IMAP_RESPONSE_TO:
        for (uint8_t i = 0; i < t->nlines && n < max; i++)
            if (t->line[i].response_to) n += pa_put_u(out + n, max - n, t->line[i].response_to);
        return n;
    case PA_DF_IMAP_TIME:
        for (uint8_t i = 0; i < t->nlines && n < max; i++)
            if (t->line[i].response_to) n += pa_put_d(out + n, max - n, t->line[i].time);
        return n;
    default: return 0;
    }
}
