/* Percentiles of durations that read right: exact while every sample was
 * kept, otherwise interpolated within a power-of-two bucket and clamped to
 * the exact minimum and maximum, never beyond them, and said to be an
 * estimate. The engine keeps, per distribution, the count, min, max, a log2
 * histogram of every sample (tcp_analysis.h: pa_rtt_bucket) and the first
 * samples up to a bound (pa_samples); the report layer asks pa_pctl_ns. */
#ifndef PA_PCTL_H
#define PA_PCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Samples kept per distribution. Capture-wide ones (ACK RTT, DNS response
 * time) keep 16384 (128 KiB each): exact for every capture of the test
 * corpora but one (zeek's echo-connections.pcap, 54,000 ACK RTTs), and
 * small beside the model's other tables. Per-connection and per-server ones
 * keep 32 (256 bytes, allocated as samples arrive): exact for short
 * connections, where a bucket bound misleads most (three samples of 70 ms
 * read "p99 <= 131 ms"), at a third of the size of a connection's TCP
 * state. */
#define PA_PCTL_KEEP_CAPTURE 16384
#define PA_PCTL_KEEP_SMALL 32

#define PA_RTT_BUCKETS 28 /* log2 buckets of microseconds: <1 us ... >= 2^26 us (67 s) */

/* Which bucket a duration falls in, and the upper bound of a bucket in ns. */
int pa_rtt_bucket(int64_t ns);
int64_t pa_rtt_bucket_upper_ns(int b);

typedef struct pa_samples {
    int64_t *v; /* owned; grows by doubling up to the bound given to pa_samples_add */
    uint32_t n, cap;
} pa_samples;

/* Keeps x while fewer than `bound` samples are kept; false when not kept
 * (bound reached, or out of memory: the percentiles then say "estimated"). */
bool pa_samples_add(pa_samples *s, int64_t x, uint32_t bound);
void pa_samples_free(pa_samples *s);
static inline size_t pa_samples_memory(const pa_samples *s) { return (size_t)s->cap * sizeof(int64_t); }

/* A capture-wide distribution: every sample counted, the first `keep`
 * kept. */
typedef struct pa_dist {
    uint64_t n;
    int64_t min, max;
    double sum;
    uint64_t hist[PA_RTT_BUCKETS];
    pa_samples kept;
} pa_dist;
void pa_dist_add(pa_dist *d, int64_t x, uint32_t keep);

/* One distribution as the report layer sees it: n samples in all, their
 * exact min and max, the first `kept` of them, and the histogram of all
 * (hist64 or hist32, nbuckets long, bucket b as pa_rtt_bucket gives). */
typedef struct pa_pctl_src {
    uint64_t n;
    int64_t min, max;
    const int64_t *kept;
    size_t nkept;
    const uint64_t *hist64;
    const uint32_t *hist32;
    size_t nbuckets;
} pa_pctl_src;

/* The percentiles pct[0..k) (0 < pct <= 100, nearest rank) in ns into
 * out[0..k). *estimated is false when every sample was kept (then the
 * values are exact), true when they come from the histogram: the sample of
 * the wanted rank is placed by linear interpolation between the bounds of
 * its bucket narrowed to [min, max], so min <= value <= max always. With
 * n == 0 every value is 0 and *estimated false. */
void pa_pctl_ns(const pa_pctl_src *s, const double *pct, double *out, size_t k, bool *estimated);
pa_pctl_src pa_dist_src(const pa_dist *d);

#endif
