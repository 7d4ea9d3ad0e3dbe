/* IMAP as a registered analyzer (analyzer.h): its model table is
 * pa_imap_stats, its facts of a frame pa_imap_frame (imap_track.h). */
#ifndef PA_IMAP_ANALYZER_H
#define PA_IMAP_ANALYZER_H

#include "analyzer.h"
#include "imap_track.h"

size_t pa_imap_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_imap;

#endif
