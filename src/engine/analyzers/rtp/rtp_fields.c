/* Values of the rtp.* display-filter fields (rtp_fields.def) in a frame. */
#include "rtp_analyzer.h"

size_t pa_rtp_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_rtp_frame *t = f->app[PA_AN_rtp];
    if (!t || !max) return 0;
    if (!t->rtp) return 0;
    const pa_rtp_hdr *h = &t->hdr;
    switch (field) {
    case PA_DF_RTP: return pa_put_bool(out, max, true);
    case PA_DF_RTP_VERSION: return pa_put_u(out, max, h->version);
    case PA_DF_RTP_PADDING: return pa_put_bool(out, max, h->padding);
    case PA_DF_RTP_EXT: return pa_put_bool(out, max, h->extension);
    case PA_DF_RTP_CC: return pa_put_u(out, max, h->csrc_count);
    case PA_DF_RTP_MARKER: return pa_put_bool(out, max, h->marker);
    case PA_DF_RTP_P_TYPE: return pa_put_u(out, max, h->pt);
    case PA_DF_RTP_SEQ: return pa_put_u(out, max, h->seq);
    case PA_DF_RTP_TIMESTAMP: return pa_put_u(out, max, h->timestamp);
    case PA_DF_RTP_SSRC: return pa_put_u(out, max, h->ssrc);
    default: return 0;
    }
}
