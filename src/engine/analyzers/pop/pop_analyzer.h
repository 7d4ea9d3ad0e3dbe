/* POP3 as a registered analyzer (analyzer.h): its model table is
 * pa_pop_stats, its facts of a frame pa_pop_frame (pop_track.h). */
#ifndef PA_POP_ANALYZER_H
#define PA_POP_ANALYZER_H

#include "analyzer.h"
#include "pop_track.h"

size_t pa_pop_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_pop;

#endif
