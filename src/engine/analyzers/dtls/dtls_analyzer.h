/* DTLS as a registered analyzer (analyzer.h): its table in the model is
 * pa_dtls_stats (dtls_track.h). Hellos go through the TLS analyzer's
 * parser and certificates through its X.509 code. */
#ifndef PA_DTLS_ANALYZER_H
#define PA_DTLS_ANALYZER_H

#include "analyzer.h"
#include "dtls_track.h"

size_t pa_dtls_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_dtls;

#endif
