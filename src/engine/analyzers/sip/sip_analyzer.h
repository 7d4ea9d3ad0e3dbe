/* SIP (with SDP bodies) as a registered analyzer (analyzer.h): its table in
 * the model is pa_sip_stats (sip_track.h): calls, response times, the media
 * endpoints SDP announced. */
#ifndef PA_SIP_ANALYZER_H
#define PA_SIP_ANALYZER_H

#include "analyzer.h"
#include "sip_track.h"

#define PA_FRAME_SIP 4 /* SIP messages remembered per frame (TCP) */

/* The SIP messages a frame carried (display filters: sip.*). */
typedef struct pa_sip_frame {
    uint8_t n;
    pa_sip_msg msg[PA_FRAME_SIP];
} pa_sip_frame;

/* The event pa_engine_opts.on_app receives: one message. */
typedef struct pa_sip_event {
    uint64_t frame;
    const pa_sip_msg *msg;
} pa_sip_event;

/* The values of its display-filter fields in a frame (sip_fields.c). */
size_t pa_sip_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_sip;

#endif
