/* SSH as a registered analyzer (analyzer.h): its table in the model is
 * pa_ssh_stats (m->ssh), its facts of a frame pa_ssh_frame (ssh_track.h). */
#ifndef PA_SSH_ANALYZER_H
#define PA_SSH_ANALYZER_H

#include "analyzer.h"
#include "ssh_track.h"

/* The values of its display-filter fields in a frame (ssh_fields.c). */
size_t pa_ssh_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_ssh;

#endif
