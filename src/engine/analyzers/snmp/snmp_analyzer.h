/* SNMP as a registered analyzer (analyzer.h): its table in the model is
 * pa_snmp_stats (snmp_track.h). */
#ifndef PA_SNMP_ANALYZER_H
#define PA_SNMP_ANALYZER_H

#include "analyzer.h"
#include "snmp_track.h"

/* What the frame being folded carried (display filters: snmp.*). */
typedef struct pa_snmp_frame {
    bool present;
    pa_snmp_msg msg;
} pa_snmp_frame;

/* The values of its display-filter fields in a frame (snmp_fields.c). */
size_t pa_snmp_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_snmp;

#endif
