/* Counting distinct values (sources of a flood, hosts of a sweep, ports of a
 * scan, answers of a domain) with an honest result: EXACT up to
 * PA_DISTINCT_EXACT values (four inline, then a hash set that grows with
 * the count), then a HyperLogLog estimate with a stated relative standard
 * error, never below the values counted exactly before it nor above the
 * values offered. Heap memory comes from a budget shared by one table
 * family; a counter the budget cannot grow keeps its exact count as a
 * lower bound ("at least") and is reported. */
#ifndef PA_DISTINCT_H
#define PA_DISTINCT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_DISTINCT_INLINE 4   /* values held in the counter itself */
#define PA_DISTINCT_EXACT 4096 /* exact up to this many (a set of 8192 slots, 64 KiB) */
#define PA_HLL_P 14            /* HyperLogLog: 2^14 one-byte registers, 16 KiB */
#define PA_HLL_M (1u << PA_HLL_P)
/* Relative standard error of the estimate, 1.04 / sqrt(m), in percent. */
#define PA_DISTINCT_ERROR_PCT (104.0 / 128.0)

typedef struct pa_distinct_budget {
    size_t used, limit; /* heap bytes held by the family's counters, and the cap */
    uint64_t refused;   /* counters the cap stopped: their counts became lower bounds */
} pa_distinct_budget;

enum { PA_DISTINCT_INLINE_MODE, PA_DISTINCT_SET, PA_DISTINCT_HLL, PA_DISTINCT_FULL };

typedef struct pa_distinct {
    uint64_t offered; /* values added, repeats included: an upper bound */
    uint32_t n;       /* distinct values known exactly (all of them until HLL or FULL) */
    uint8_t mode;     /* PA_DISTINCT_* */
    uint8_t has_zero; /* a set cannot mark its empty slot's value: kept apart */
    uint8_t set_log2; /* the set has 1 << set_log2 slots */
    uint8_t pad;
    union {
        uint64_t inl[PA_DISTINCT_INLINE]; /* mixed values, n of them */
        uint64_t *set;                    /* open addressing, 0 = empty */
        uint8_t *hll;                     /* PA_HLL_M registers */
    } u;
} pa_distinct;

/* Adds a value (any 64-bit key; for an IPv4 address and a port, the two
 * side by side keep it exact). b may be NULL (no cap, tests). */
void pa_distinct_add(pa_distinct *d, pa_distinct_budget *b, uint64_t value);
void pa_distinct_free(pa_distinct *d, pa_distinct_budget *b);

typedef struct pa_distinct_count {
    double value;
    bool exact;       /* the number of distinct values, exactly */
    bool lower_bound; /* at least value (the budget stopped the counter) */
} pa_distinct_count;
/* Exact, an estimate within [values known exactly, values offered], or a
 * lower bound. */
pa_distinct_count pa_distinct_get(const pa_distinct *d);

/* The HyperLogLog estimate of registers (exposed for tests). */
double pa_hll_estimate(const uint8_t *reg);

/* A 64-bit key for an address (16 bytes, IPv4 in the first 4 with family 4)
 * and a port: exact (no hashing) for IPv4, a 64-bit hash for IPv6. */
uint64_t pa_distinct_key(uint8_t family, const uint8_t addr[16], uint16_t port);

#endif
