/* Syslog as a registered analyzer (analyzer.h): its table in the model is
 * pa_syslog_stats (syslog_track.h). */
#ifndef PA_SYSLOG_ANALYZER_H
#define PA_SYSLOG_ANALYZER_H

#include "analyzer.h"
#include "syslog_track.h"

#define PA_SYSLOG_FRAME_TEXT 1024 /* the message kept for display filters */

/* What the frame being folded carried (display filters: syslog.*): the
 * parse with its spans pointing into text, a copy of the datagram. */
typedef struct pa_syslog_frame {
    bool present;
    pa_syslog_msg msg;
    uint8_t text[PA_SYSLOG_FRAME_TEXT];
} pa_syslog_frame;

size_t pa_syslog_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_syslog;

#endif
