/* Values of the rtp.* and rtcp.* display-filter fields (rtp_fields.def) in a frame. */
#include "rtp_analyzer.h"

static size_t put_i(pa_dvalue *out, size_t max, int64_t v) {
    if (!max) return 0;
    out->type = PA_FT_INT;
    out->v.i = v;
    return 1;
}

/* A value per packet of the compound datagram (SR and RR only for the
 * sender fields, as Wireshark's), or per report block. */
static size_t rtcp_values(const pa_rtcp_msg *m, pa_dfield field, pa_dvalue *out, size_t max) {
    size_t n = 0;
    for (uint8_t i = 0; i < m->n && n < max; i++) {
        const pa_rtcp_pkt *k = &m->pkt[i];
        bool sr = k->pt == 200, report = sr || k->pt == 201;
        bool sender = report || k->pt == 205 || k->pt == 206 || k->pt == 207; /* Wireshark's "Sender SSRC" */
        switch (field) {
        case PA_DF_RTCP_PT: n += pa_put_u(out + n, max - n, k->pt); continue;
        case PA_DF_RTCP_SENDERSSRC:
            if (sender) n += pa_put_u(out + n, max - n, k->ssrc);
            continue;
        case PA_DF_RTCP_SENDER_PACKETCOUNT:
            if (sr) n += pa_put_u(out + n, max - n, k->sender_packets);
            continue;
        case PA_DF_RTCP_SENDER_OCTETCOUNT:
            if (sr) n += pa_put_u(out + n, max - n, k->sender_octets);
            continue;
        case PA_DF_RTCP_SSRC_IDENTIFIER: /* SDES chunks and BYE sources carry it too */
            for (uint8_t j = 0; (k->pt == 202 || k->pt == 203) && j < k->nids && n < max; j++)
                n += pa_put_u(out + n, max - n, k->ids[j]);
            break;
        default: break;
        }
        for (uint8_t b = 0; report && b < k->nblocks && n < max; b++) {
            const pa_rtcp_block *x = &k->block[b];
            switch (field) {
            case PA_DF_RTCP_SSRC_IDENTIFIER: n += pa_put_u(out + n, max - n, x->ssrc); break;
            case PA_DF_RTCP_SSRC_FRACTION: n += pa_put_u(out + n, max - n, x->fraction_lost); break;
            case PA_DF_RTCP_SSRC_CUM_NR: n += put_i(out + n, max - n, x->cumulative_lost); break;
            case PA_DF_RTCP_SSRC_JITTER: n += pa_put_u(out + n, max - n, x->jitter); break;
            case PA_DF_RTCP_SSRC_LSR: n += pa_put_u(out + n, max - n, x->lsr); break;
            case PA_DF_RTCP_SSRC_DLSR: n += pa_put_u(out + n, max - n, x->dlsr); break;
            default: return n;
            }
        }
    }
    return n;
}

size_t pa_rtp_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_rtp_frame *t = f->app[PA_AN_rtp];
    if (!t || !max) return 0;
    if (field == PA_DF_RTCP) return t->rtcp ? pa_put_bool(out, max, true) : 0;
    if (field == PA_DF_RTCP_ROUNDTRIP_DELAY) {
        size_t n = 0;
        for (uint8_t i = 0; i < t->rtt.n && n < max; i++) n += put_i(out + n, max - n, t->rtt.ms[i]);
        return n;
    }
    if (field > PA_DF_RTCP) return t->rtcp ? rtcp_values(&t->rtcp_msg, field, out, max) : 0;
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
