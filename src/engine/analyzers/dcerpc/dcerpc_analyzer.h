/* DCE-RPC as a registered analyzer (analyzer.h): its table in the model is
 * pa_dcerpc_stats (m->dcerpc), its facts of a frame pa_dcerpc_frame
 * (dcerpc_pipe.h, whose pa_dcerpc_feed other transports call too). */
#ifndef PA_DCERPC_ANALYZER_H
#define PA_DCERPC_ANALYZER_H

#include "analyzer.h"
#include "dcerpc_pipe.h"

/* The values of its display-filter fields in a frame (dcerpc_fields.c). */
size_t pa_dcerpc_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_dcerpc;

#endif
