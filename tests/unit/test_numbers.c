/* Numbers that read right: percentiles (pctl.c) exact while every sample
 * is kept and within [min, max] beyond; distinct counters (distinct.c)
 * exact up to PA_DISTINCT_EXACT and within the stated error beyond. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "distinct.h"
#include "pctl.h"

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void) { /* xorshift64: reproducible */
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int cmp_i64(const void *x, const void *y) {
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* The nearest-rank percentile of sorted values. */
static int64_t true_pct(const int64_t *sorted, size_t n, double pct) {
    size_t k = (size_t)ceil(pct / 100.0 * (double)n - 1e-9);
    if (k < 1) k = 1;
    if (k > n) k = n;
    return sorted[k - 1];
}

static void samples_bound(void) {
    pa_samples s = {0};
    for (int i = 0; i < 40; i++) CHECK(pa_samples_add(&s, i, 32) == (i < 32));
    CHECK(s.n == 32 && s.cap == 32 && s.v[31] == 31);
    CHECK(pa_samples_memory(&s) == 32 * sizeof(int64_t));
    pa_samples_free(&s);
    CHECK(s.n == 0 && s.v == NULL);
}

/* Exact below the bound: the sorted samples' nearest rank, not a bucket bound. */
static void exact_below_bound(void) {
    pa_dist d = {0};
    const int64_t v[] = {72867000, 70100000, 71500000}; /* three RTTs near 70 ms */
    for (size_t i = 0; i < 3; i++) pa_dist_add(&d, v[i], 16);
    pa_pctl_src s = pa_dist_src(&d);
    const double want[] = {1, 50, 90, 99, 100};
    double out[5];
    bool est = true;
    pa_pctl_ns(&s, want, out, 5, &est);
    CHECK(!est);
    CHECK(out[0] == 70100000 && out[1] == 71500000 && out[2] == 72867000 && out[3] == 72867000 && out[4] == 72867000);
    /* the bucket bound this replaces: 2^17 us = 131.072 ms */
    CHECK(pa_rtt_bucket_upper_ns(pa_rtt_bucket(72867000)) == 131072000);
    CHECK(d.min == 70100000 && d.max == 72867000 && d.n == 3 && d.sum == 70100000.0 + 71500000 + 72867000);
    pa_samples_free(&d.kept);

    /* random sets below the bound: every percentile is the true one */
    for (int round = 0; round < 200; round++) {
        pa_dist e = {0};
        size_t n = 1 + next() % 300;
        int64_t *all = malloc(n * sizeof *all);
        for (size_t i = 0; i < n; i++) {
            all[i] = (int64_t)(next() % 5000000000ull) - 1000; /* a few negative, up to 5 s */
            pa_dist_add(&e, all[i], 300);
        }
        qsort(all, n, sizeof *all, cmp_i64);
        pa_pctl_src es = pa_dist_src(&e);
        double p[4], q[4] = {50, 90, 99, 99.9};
        pa_pctl_ns(&es, q, p, 4, &est);
        CHECK(!est);
        for (int k = 0; k < 4; k++) CHECK(p[k] == (double)true_pct(all, n, q[k]));
        free(all);
        pa_samples_free(&e.kept);
    }
}

/* Beyond the bound: estimated, inside the true value's bucket narrowed to
 * [min, max], monotonic, never above max nor below min. */
static void estimated_beyond_bound(void) {
    for (int round = 0; round < 300; round++) {
        pa_dist d = {0};
        size_t n = 50 + next() % 5000, keep = next() % 40;
        int64_t *all = malloc(n * sizeof *all);
        int shape = round % 3;
        for (size_t i = 0; i < n; i++) {
            uint64_t r = next();
            int64_t x = shape == 0   ? (int64_t)(r % 100000000ull)                     /* uniform to 100 ms */
                        : shape == 1 ? 65536000 + (int64_t)(r % 7331000ull)            /* one bucket, max 72.867 ms */
                                     : (int64_t)1000 << (r % 30) | (int64_t)(r >> 40); /* spread over every bucket */
            all[i] = x;
            pa_dist_add(&d, x, (uint32_t)keep);
        }
        qsort(all, n, sizeof *all, cmp_i64);
        pa_pctl_src s = pa_dist_src(&d);
        const double q[] = {1, 10, 50, 90, 95, 99, 99.9, 100};
        double p[8];
        bool est = false;
        pa_pctl_ns(&s, q, p, 8, &est);
        CHECK(est);
        bool ok = true;
        for (int k = 0; k < 8; k++) {
            double t = (double)true_pct(all, n, q[k]);
            ok &= p[k] >= (double)d.min && p[k] <= (double)d.max;
            ok &= pa_rtt_bucket((int64_t)p[k]) == pa_rtt_bucket((int64_t)t) || p[k] == t;
            if (k) ok &= p[k] >= p[k - 1];
        }
        CHECK(ok);
        CHECK(p[7] == (double)d.max); /* p100 is the max, p1 of one sample the min */
        if (!ok)
            fprintf(stderr, "  round %d n %zu keep %zu: p50 %.0f p99 %.0f min %lld max %lld\n", round, n, keep, p[2],
                    p[5], (long long)d.min, (long long)d.max);
        free(all);
        pa_samples_free(&d.kept);
    }
    /* the report's case: all in [65.536, 131.072) ms with max 72.867 ms */
    pa_dist d = {0};
    for (int i = 0; i < 100; i++) pa_dist_add(&d, 66000000 + i * 69000, 0);
    pa_pctl_src s = pa_dist_src(&d);
    double q = 99, p;
    bool est;
    pa_pctl_ns(&s, &q, &p, 1, &est);
    CHECK(est && p <= 66000000 + 99 * 69000 && p > 66000000);
    q = 1;
    pa_pctl_ns(&s, &q, &p, 1, &est);
    CHECK(p == 66000000);
    /* a 32-bit histogram (per connection) and nothing kept */
    uint32_t h32[PA_RTT_BUCKETS] = {0};
    h32[pa_rtt_bucket(5000)] = 10;
    h32[pa_rtt_bucket(700000)] = 1;
    pa_pctl_src s32 = {11, 4100, 700000, NULL, 0, NULL, h32, PA_RTT_BUCKETS};
    double q2[] = {50, 90, 99}, p2[3];
    pa_pctl_ns(&s32, q2, p2, 3, &est);
    CHECK(est && p2[0] >= 4100 && p2[0] < 8000 && p2[1] >= 4100 && p2[1] < 8000 && p2[2] == 700000);
    /* nothing at all */
    pa_pctl_src none = {0};
    pa_pctl_ns(&none, q2, p2, 3, &est);
    CHECK(!est && p2[0] == 0 && p2[2] == 0);
}

/* ---- distinct counters ---------------------------------------------------- */

static void distinct_exact(void) {
    pa_distinct_budget b = {0, 1 << 20, 0};
    pa_distinct d = {0};
    /* repeats, zero and consecutive keys, through inline, set growth, up to the bound */
    for (uint64_t i = 0; i < PA_DISTINCT_EXACT; i++) {
        pa_distinct_add(&d, &b, i);
        pa_distinct_add(&d, &b, i / 2);
        pa_distinct_count c = pa_distinct_get(&d);
        if (c.value != (double)(i + 1) || !c.exact) {
            CHECK(c.value == (double)(i + 1) && c.exact);
            break;
        }
    }
    CHECK(d.mode == PA_DISTINCT_SET && d.offered == 2 * PA_DISTINCT_EXACT);
    CHECK(b.used == 8192 * sizeof(uint64_t));
    /* one more: the estimate takes over, never below what was counted exactly */
    pa_distinct_add(&d, &b, 1ull << 40);
    pa_distinct_count c = pa_distinct_get(&d);
    CHECK(d.mode == PA_DISTINCT_HLL && !c.exact && !c.lower_bound && c.value >= PA_DISTINCT_EXACT + 1);
    CHECK(fabs(c.value - (PA_DISTINCT_EXACT + 1)) <= (PA_DISTINCT_EXACT + 1) * 3 * PA_DISTINCT_ERROR_PCT / 100);
    CHECK(b.used == PA_HLL_M);
    pa_distinct_free(&d, &b);
    CHECK(b.used == 0 && b.refused == 0);

    /* IPv4 keys are the address and port themselves: no collision at all */
    uint8_t a[16] = {10, 0, 0, 1}, a2[16] = {10, 0, 0, 2};
    CHECK(pa_distinct_key(4, a, 80) != pa_distinct_key(4, a, 81));
    CHECK(pa_distinct_key(4, a, 80) != pa_distinct_key(4, a2, 80));
    uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8};
    CHECK(pa_distinct_key(6, v6, 0) != pa_distinct_key(6, a, 0));
}

/* 10^6 values: the estimate within the stated error. The relative standard
 * error is 0.81%; each run must be within three of it, and the root mean
 * square error of eight independent runs within 1.5 of it. */
static void distinct_estimate(void) {
    double sq = 0;
    int runs = 8;
    for (int r = 0; r < runs; r++) {
        pa_distinct d = {0};
        uint64_t base = next();
        for (uint64_t i = 0; i < 1000000; i++) pa_distinct_add(&d, NULL, base + i * 0x9E3779B1ull);
        pa_distinct_count c = pa_distinct_get(&d);
        double err = (c.value - 1e6) / 1e6 * 100;
        sq += err * err;
        CHECK(!c.exact && fabs(err) <= 3 * PA_DISTINCT_ERROR_PCT);
        if (r == 0) printf("10^6 distinct values: estimate %.0f (%+.3f%%)\n", c.value, err);
        pa_distinct_free(&d, NULL);
    }
    double rms = sqrt(sq / runs);
    printf("rms error over %d runs of 10^6: %.3f%% (stated %.3f%%)\n", runs, rms, PA_DISTINCT_ERROR_PCT);
    CHECK(rms <= 1.5 * PA_DISTINCT_ERROR_PCT);
    /* across the range, each within three standard errors; consecutive IPv4
     * sources (a flood from a /8) like any other keys */
    const uint64_t sizes[] = {5000, 12000, 40000, 100000, 300000, 3000000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        pa_distinct d = {0};
        for (uint64_t i = 0; i < sizes[k]; i++) {
            uint8_t ip[16] = {11, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
            pa_distinct_add(&d, NULL, pa_distinct_key(4, ip, 0));
            pa_distinct_add(&d, NULL, pa_distinct_key(4, ip, 0)); /* every source twice */
        }
        pa_distinct_count c = pa_distinct_get(&d);
        double err = (c.value - (double)sizes[k]) / (double)sizes[k] * 100;
        CHECK(fabs(err) <= 3 * PA_DISTINCT_ERROR_PCT && c.value <= (double)d.offered);
        if (fabs(err) > 3 * PA_DISTINCT_ERROR_PCT)
            fprintf(stderr, "  %llu values: estimate %.0f (%+.3f%%)\n", (unsigned long long)sizes[k], c.value, err);
        pa_distinct_free(&d, NULL);
    }
    /* never above the values offered: a few repeated ones past the switch */
    pa_distinct d = {0};
    for (uint64_t i = 0; i <= PA_DISTINCT_EXACT; i++) pa_distinct_add(&d, NULL, i);
    pa_distinct_count c = pa_distinct_get(&d);
    CHECK(!c.exact && c.value == PA_DISTINCT_EXACT + 1); /* clamped to the floor and the ceiling */
    pa_distinct_free(&d, NULL);
}

/* A budget too small to grow: a lower bound, said as such, and counted. */
static void distinct_budget(void) {
    pa_distinct_budget b = {0, 200, 0};
    pa_distinct d = {0};
    for (uint64_t i = 0; i < 100; i++) pa_distinct_add(&d, &b, i);
    pa_distinct_count c = pa_distinct_get(&d);
    /* 16 slots (128 bytes) fit, 32 do not, nor 16 KiB of registers */
    CHECK(c.lower_bound && !c.exact && c.value == 8 && b.refused == 1 && b.used == 0);
    pa_distinct_free(&d, &b);
    /* a budget that fits the registers but no set past 2048 slots (1024
     * values): an estimate from there, never below those 1025 */
    pa_distinct_budget b2 = {0, PA_HLL_M + 1024, 0};
    for (uint64_t i = 0; i < 2000; i++) pa_distinct_add(&d, &b2, i);
    c = pa_distinct_get(&d);
    CHECK(d.mode == PA_DISTINCT_HLL && d.n == 1025 && !c.exact && !c.lower_bound && fabs(c.value - 2000) <= 50);
    pa_distinct_free(&d, &b2);
    CHECK(b2.used == 0);
}

int main(void) {
    samples_bound();
    exact_below_bound();
    estimated_beyond_bound();
    distinct_exact();
    distinct_estimate();
    distinct_budget();
    return check_done("numbers");
}
