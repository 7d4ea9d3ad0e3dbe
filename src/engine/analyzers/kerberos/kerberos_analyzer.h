/* Kerberos v5 as a registered analyzer (analyzer.h): its table in the model
 * is pa_kerberos_stats (kerberos_track.h), its facts of a frame pa_krb_frame. */
#ifndef PA_KERBEROS_ANALYZER_H
#define PA_KERBEROS_ANALYZER_H

#include "analyzer.h"
#include "kerberos_track.h"

/* The values of its display-filter fields in a frame (kerberos_fields.c). */
size_t pa_kerberos_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_kerberos;

#endif
