/* Distinct counters (see distinct.h). Values are mixed by splitmix64's
 * finaliser, a bijection of 64-bit words: the set holds mixed values
 * without losing exactness, and HyperLogLog gets uniformly spread bits
 * even from consecutive ports or addresses. */
#include "distinct.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t v) {
    uint64_t h = v + 0x9E3779B97F4A7C15ull;
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
    return h ^ (h >> 31);
}

uint64_t pa_distinct_key(uint8_t family, const uint8_t addr[16], uint16_t port) {
    if (family == 4)
        return (uint64_t)addr[0] << 56 | (uint64_t)addr[1] << 48 | (uint64_t)addr[2] << 40 | (uint64_t)addr[3] << 32 |
               port;
    uint64_t h = 0xcbf29ce484222325ull ^ port; /* FNV-1a, then mixed again by the counter */
    for (int i = 0; i < 16; i++) h = (h ^ addr[i]) * 0x100000001b3ull;
    return h;
}

static bool take(pa_distinct_budget *b, size_t add, size_t give_back) {
    if (!b) return true;
    if (b->used - give_back + add > b->limit) return false;
    b->used = b->used - give_back + add;
    return true;
}

static void give(pa_distinct_budget *b, size_t n) {
    if (b) b->used -= n;
}

static size_t set_bytes(const pa_distinct *d) { return ((size_t)1 << d->set_log2) * sizeof(uint64_t); }

/* Inserts a mixed, nonzero value into a set with room; true when new. */
static bool set_insert(uint64_t *set, unsigned log2, uint64_t h) {
    size_t mask = ((size_t)1 << log2) - 1, i = (size_t)(h >> (64 - log2)) & mask;
    while (set[i]) {
        if (set[i] == h) return false;
        i = (i + 1) & mask;
    }
    set[i] = h;
    return true;
}

static void hll_put(uint8_t *reg, uint64_t h) {
    uint32_t idx = (uint32_t)(h >> (64 - PA_HLL_P));
    uint64_t w = h << PA_HLL_P;
    /* leading zeros of the remaining 50 bits, plus one (51 when all are zero) */
    uint8_t rank = w ? (uint8_t)(__builtin_clzll(w) + 1) : (uint8_t)(64 - PA_HLL_P + 1);
    if (rank > reg[idx]) reg[idx] = rank;
}

/* The budget stopped the counter: it keeps n as a lower bound. */
static void to_full(pa_distinct *d, pa_distinct_budget *b) {
    if (d->mode == PA_DISTINCT_SET) {
        give(b, set_bytes(d));
        free(d->u.set);
    }
    memset(&d->u, 0, sizeof d->u);
    d->mode = PA_DISTINCT_FULL;
    if (b) b->refused++;
}

/* Every value known so far into registers, then HLL mode. */
static bool to_hll(pa_distinct *d, pa_distinct_budget *b) {
    size_t old = d->mode == PA_DISTINCT_SET ? set_bytes(d) : 0;
    if (!take(b, PA_HLL_M, old)) return false;
    uint8_t *reg = calloc(PA_HLL_M, 1);
    if (!reg) {
        take(b, old, PA_HLL_M); /* undo */
        return false;
    }
    if (d->mode == PA_DISTINCT_SET) {
        for (size_t i = 0; i < ((size_t)1 << d->set_log2); i++)
            if (d->u.set[i]) hll_put(reg, d->u.set[i]);
        free(d->u.set);
    } else {
        for (uint32_t i = 0; i < d->n; i++) hll_put(reg, d->u.inl[i]);
    }
    if (d->has_zero) hll_put(reg, 0);
    d->u.hll = reg;
    d->mode = PA_DISTINCT_HLL;
    return true;
}

/* A set twice as large (or the first one, from the inline values). */
static bool grow(pa_distinct *d, pa_distinct_budget *b) {
    unsigned log2 = d->mode == PA_DISTINCT_SET ? d->set_log2 + 1u : 4u;
    size_t old = d->mode == PA_DISTINCT_SET ? set_bytes(d) : 0, bytes = ((size_t)1 << log2) * sizeof(uint64_t);
    if (!take(b, bytes, old)) return false;
    uint64_t *set = calloc((size_t)1 << log2, sizeof *set);
    if (!set) {
        take(b, old, bytes);
        return false;
    }
    if (d->mode == PA_DISTINCT_SET) {
        for (size_t i = 0; i < ((size_t)1 << d->set_log2); i++)
            if (d->u.set[i]) set_insert(set, log2, d->u.set[i]);
        free(d->u.set);
    } else {
        for (uint32_t i = 0; i < d->n; i++) {
            if (d->u.inl[i])
                set_insert(set, log2, d->u.inl[i]);
            else
                d->has_zero = 1;
        }
    }
    d->u.set = set;
    d->set_log2 = (uint8_t)log2;
    d->mode = PA_DISTINCT_SET;
    return true;
}

static bool known(const pa_distinct *d, uint64_t h) {
    if (d->mode == PA_DISTINCT_INLINE_MODE) {
        for (uint32_t i = 0; i < d->n; i++)
            if (d->u.inl[i] == h) return true;
        return false;
    }
    if (!h) return d->has_zero;
    size_t mask = ((size_t)1 << d->set_log2) - 1, i = (size_t)(h >> (64 - d->set_log2)) & mask;
    for (; d->u.set[i]; i = (i + 1) & mask)
        if (d->u.set[i] == h) return true;
    return false;
}

void pa_distinct_add(pa_distinct *d, pa_distinct_budget *b, uint64_t value) {
    uint64_t h = mix(value);
    d->offered++;
    if (d->mode == PA_DISTINCT_HLL) {
        hll_put(d->u.hll, h);
        return;
    }
    if (d->mode == PA_DISTINCT_FULL || known(d, h)) return;
    /* a new value: room for it (the set at most half full), or the estimate */
    bool room = d->mode == PA_DISTINCT_INLINE_MODE
                    ? d->n < PA_DISTINCT_INLINE || grow(d, b)
                    : d->n < PA_DISTINCT_EXACT && ((size_t)(d->n + 1) * 2 <= ((size_t)1 << d->set_log2) || grow(d, b));
    if (!room) {
        if (!to_hll(d, b)) {
            to_full(d, b);
            return;
        }
        d->n++; /* the values counted exactly, this one included: the estimate's floor */
        hll_put(d->u.hll, h);
        return;
    }
    if (d->mode == PA_DISTINCT_INLINE_MODE)
        d->u.inl[d->n] = h;
    else if (h)
        set_insert(d->u.set, d->set_log2, h);
    else
        d->has_zero = 1;
    d->n++;
}

void pa_distinct_free(pa_distinct *d, pa_distinct_budget *b) {
    if (d->mode == PA_DISTINCT_SET) {
        give(b, set_bytes(d));
        free(d->u.set);
    } else if (d->mode == PA_DISTINCT_HLL) {
        give(b, PA_HLL_M);
        free(d->u.hll);
    }
    memset(d, 0, sizeof *d);
}

/* Ertl's improved raw estimator ("New cardinality estimation algorithms
 * for HyperLogLog sketches", 2017): one formula over the histogram of
 * register values, unbiased from a handful of values to far beyond 2^32,
 * with no empirical bias tables and no switch to linear counting. */
static double sigma(double x) {
    if (x == 1) return INFINITY;
    double y = 1, z = x, prev;
    do {
        x *= x;
        prev = z;
        z += x * y;
        y += y;
    } while (z != prev);
    return z;
}

static double tau(double x) {
    if (x == 0 || x == 1) return 0;
    double y = 1, z = 1 - x, prev;
    do {
        x = sqrt(x);
        prev = z;
        y *= 0.5;
        z -= (1 - x) * (1 - x) * y;
    } while (z != prev);
    return z / 3;
}

double pa_hll_estimate(const uint8_t *reg) {
    enum { Q = 64 - PA_HLL_P };
    uint32_t c[Q + 2] = {0};
    for (uint32_t i = 0; i < PA_HLL_M; i++) c[reg[i] <= Q + 1 ? reg[i] : Q + 1]++;
    const double m = PA_HLL_M;
    double z = m * tau(1 - c[Q + 1] / m);
    for (int k = Q; k >= 1; k--) z = 0.5 * (z + c[k]);
    z += m * sigma(c[0] / m);
    if (isinf(z)) return 0;
    return m * m / (2 * log(2)) / z;
}

pa_distinct_count pa_distinct_get(const pa_distinct *d) {
    pa_distinct_count r = {d->n, true, false};
    if (d->mode == PA_DISTINCT_FULL) {
        r.exact = false;
        r.lower_bound = true;
    } else if (d->mode == PA_DISTINCT_HLL) {
        double e = round(pa_hll_estimate(d->u.hll));
        if (e < d->n) e = d->n;
        if (e > (double)d->offered) e = (double)d->offered;
        r.value = e;
        r.exact = false;
    }
    return r;
}
