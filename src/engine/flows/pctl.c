/* Percentiles (see pctl.h). */
#include "pctl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int pa_rtt_bucket(int64_t ns) {
    int64_t us = ns / 1000;
    int b = 0;
    while (us > 0 && b < PA_RTT_BUCKETS - 1) {
        us >>= 1;
        b++;
    }
    return b;
}

int64_t pa_rtt_bucket_upper_ns(int b) { return b <= 0 ? (int64_t)1000 : ((int64_t)1 << b) * 1000; }

bool pa_samples_add(pa_samples *s, int64_t x, uint32_t bound) {
    if (s->n >= bound) return false;
    if (s->n == s->cap) {
        uint32_t nc = s->cap ? s->cap * 2 : 4;
        if (nc > bound) nc = bound;
        int64_t *nv = realloc(s->v, (size_t)nc * sizeof *nv);
        if (!nv) return false;
        s->v = nv;
        s->cap = nc;
    }
    s->v[s->n++] = x;
    return true;
}

void pa_samples_free(pa_samples *s) {
    free(s->v);
    memset(s, 0, sizeof *s);
}

void pa_dist_add(pa_dist *d, int64_t x, uint32_t keep) {
    if (!d->n || x < d->min) d->min = x;
    if (!d->n || x > d->max) d->max = x;
    d->n++;
    d->sum += (double)x;
    d->hist[pa_rtt_bucket(x)]++;
    pa_samples_add(&d->kept, x, keep);
}

pa_pctl_src pa_dist_src(const pa_dist *d) {
    return (pa_pctl_src){d->n, d->min, d->max, d->kept.v, d->kept.n, d->hist, NULL, PA_RTT_BUCKETS};
}

static int cmp_i64(const void *x, const void *y) {
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* Nearest rank (1..n) of the pct-th percentile. */
static uint64_t rank_of(double pct, uint64_t n) {
    double r = ceil(pct / 100.0 * (double)n - 1e-9);
    if (r < 1) return 1;
    if (r > (double)n) return n;
    return (uint64_t)r;
}

static uint64_t bucket_count(const pa_pctl_src *s, size_t b) {
    return s->hist64 ? s->hist64[b] : s->hist32 ? s->hist32[b] : 0;
}

/* The sample of rank k from the histogram: its bucket's bounds narrowed to
 * [min, max], the bucket's c samples spread evenly between them (a bound
 * that is the min or the max is itself a sample, so it is taken as the
 * first or last position). */
static double from_hist(const pa_pctl_src *s, uint64_t total, uint64_t k) {
    if (k <= 1) return (double)s->min;
    if (k >= total) return (double)s->max;
    uint64_t before = 0;
    size_t b = 0;
    for (; b < s->nbuckets; b++) {
        uint64_t c = bucket_count(s, b);
        if (before + c >= k) break;
        before += c;
    }
    if (b == s->nbuckets) return (double)s->max;
    uint64_t c = bucket_count(s, b);
    double lo = b == 0 ? (double)s->min : (double)pa_rtt_bucket_upper_ns((int)b - 1);
    double hi = b + 1 == s->nbuckets ? (double)s->max : (double)pa_rtt_bucket_upper_ns((int)b);
    if (lo < (double)s->min) lo = (double)s->min;
    if (hi > (double)s->max) hi = (double)s->max;
    if (hi < lo) hi = lo;
    double a = lo == (double)s->min ? 0 : 0.5, z = hi == (double)s->max ? 0 : 0.5;
    double span = (double)(c - 1) + a + z, j = (double)(k - before);
    double v = span > 0 ? lo + (hi - lo) * (j - 1 + a) / span : lo;
    if (v < (double)s->min) v = (double)s->min;
    if (v > (double)s->max) v = (double)s->max;
    return v;
}

void pa_pctl_ns(const pa_pctl_src *s, const double *pct, double *out, size_t k, bool *estimated) {
    *estimated = false;
    for (size_t i = 0; i < k; i++) out[i] = 0;
    if (!s->n) return;
    if (s->kept && s->nkept == s->n) {
        int64_t *v = malloc(s->nkept * sizeof *v);
        if (v) {
            memcpy(v, s->kept, s->nkept * sizeof *v);
            qsort(v, s->nkept, sizeof *v, cmp_i64);
            for (size_t i = 0; i < k; i++) out[i] = (double)v[rank_of(pct[i], s->nkept) - 1];
            free(v);
            return;
        }
    }
    uint64_t total = 0;
    for (size_t b = 0; b < s->nbuckets; b++) total += bucket_count(s, b);
    *estimated = true;
    if (!total) { /* no histogram: all that is known is the range */
        for (size_t i = 0; i < k; i++) out[i] = pct[i] >= 100 ? (double)s->max : (double)s->min;
        return;
    }
    for (size_t i = 0; i < k; i++) out[i] = from_hist(s, total, rank_of(pct[i], total));
}
