#include "util_time.h"

#include <stdio.h>

void pa_time_iso8601(char *out, size_t outlen, int64_t sec, long nsec, int frac_digits) {
    struct tm tm;
    time_t t = (time_t)sec;
    if (!gmtime_r(&t, &tm)) {
        snprintf(out, outlen, "invalid-time");
        return;
    }
    char base[32];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    if (frac_digits <= 0) {
        snprintf(out, outlen, "%sZ", base);
        return;
    }
    if (frac_digits > 9) frac_digits = 9;
    long div = 1;
    for (int i = frac_digits; i < 9; i++) div *= 10;
    snprintf(out, outlen, "%s.%0*ldZ", base, frac_digits, nsec / div);
}

double pa_time_mono(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
