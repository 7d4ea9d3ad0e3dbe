/* NTP as a registered analyzer (analyzer.h): its table in the model is
 * pa_ntp_stats (ntp_track.h): exchanges, servers, kiss-o'-death codes,
 * control and private messages. */
#ifndef PA_NTP_ANALYZER_H
#define PA_NTP_ANALYZER_H

#include "analyzer.h"
#include "ntp_track.h"

/* What the frame being folded carried (display filters: ntp.*). */
typedef struct pa_ntp_frame {
    bool present;
    pa_ntp_msg msg;
    pa_ntp_resp_link link; /* Wireshark's ntp.request_in and ntp.delta_time */
} pa_ntp_frame;

/* The event pa_engine_opts.on_app receives: one message, and for a server
 * reply the exchange it answered (NULL: none). */
typedef struct pa_ntp_event {
    uint64_t frame;
    const pa_ntp_msg *msg;
    bool malformed;
    const pa_ntp_exchange *exchange;
    pa_ntp_resp_link link;
} pa_ntp_event;

/* The values of its display-filter fields in a frame (ntp_fields.c). */
size_t pa_ntp_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_ntp;

#endif
