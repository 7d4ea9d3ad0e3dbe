#ifndef PA_UTIL_TIME_H
#define PA_UTIL_TIME_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* "2026-11-26T14:31:22Z" (or with fraction digits when nsec_digits > 0). */
void pa_time_iso8601(char *out, size_t outlen, int64_t sec, long nsec, int frac_digits);
/* Monotonic clock in seconds, for durations. */
double pa_time_mono(void);

#endif
