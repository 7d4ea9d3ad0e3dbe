/* What the time tools find that the capture overview summarises too. */
#ifndef PA_TOOL_TIME_H
#define PA_TOOL_TIME_H

#include "tool_common.h"

/* The capture's active periods (docs/TRAFFIC_OVER_TIME.md): how many, their
 * durations added up, and the shortest silence between two of them. */
void pa_time_active(const pa_model *m, size_t *periods, int64_t *active_ns, int64_t *silence_ns);

#endif
