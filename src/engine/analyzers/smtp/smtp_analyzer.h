/* SMTP as a registered analyzer (analyzer.h): its model table is
 * pa_smtp_stats, its facts of a frame pa_smtp_frame (smtp_track.h). */
#ifndef PA_SMTP_ANALYZER_H
#define PA_SMTP_ANALYZER_H

#include "analyzer.h"
#include "smtp_track.h"

size_t pa_smtp_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_smtp;

#endif
