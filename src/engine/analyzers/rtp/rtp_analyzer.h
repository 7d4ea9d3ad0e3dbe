/* RTP and RTCP as a registered analyzer (analyzer.h): its table in the model
 * (m->rtp: streams with tshark's figures, rtp_stream.h) and its facts of a
 * frame. No port names RTP: the endpoints a session description announced
 * do (pa_rtp_expect), or the heuristic when it is on. */
#ifndef PA_RTP_ANALYZER_H
#define PA_RTP_ANALYZER_H

#include "analyzer.h"
#include "rtcp_reports.h"
#include "rtp_stream.h"

typedef struct pa_rtp_stats {
    pa_rtp_table table;
    uint64_t rtp_packets, rtcp_packets;
    uint64_t rtcp_by_type[8]; /* compound packets' parts, SR 200 .. XR 207 */
    uint64_t bad_padding;     /* datagrams of RTP endpoints refused: their padding count does not fit */
    pa_rtcp_reports rtcp;     /* report blocks per (reporter, source) and round trips */
    pa_expert *ex;            /* where its expert messages go (may be NULL) */
    pa_txkeep *keep;          /* a display filter's frames (NULL: all count) */
} pa_rtp_stats;

/* What the frame being folded carried (display filters: rtp.*, rtcp.*). */
typedef struct pa_rtp_frame {
    bool rtp, rtcp;
    pa_rtp_hdr hdr;
    pa_rtcp_msg rtcp_msg;
    pa_rtcp_frame_rtt rtt; /* round trips its report blocks gave */
    uint64_t setup_frame;
} pa_rtp_frame;

/* The event pa_engine_opts.on_app receives: an RTP packet of a stream, or an
 * RTCP datagram (stream NULL, rtcp set). */
typedef struct pa_rtp_event {
    uint64_t frame;
    const pa_rtp_stream *stream;
    const pa_rtp_hdr *hdr;
    const pa_rtcp_msg *rtcp;
} pa_rtp_event;

/* Turns the heuristic on or off (the integrator's option; off by default). */
void pa_rtp_set_heuristic(pa_rtp_stats *st, bool on);

/* The values of its display-filter fields in a frame (rtp_fields.c). */
size_t pa_rtp_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_rtp;

#endif
