#include "htab.h"

#include <stdlib.h>
#include <string.h>

#define INITIAL_CAP 1024

static inline uint64_t load8(const uint8_t *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* The last n % 8 bytes of a key: as one 8-byte load ending at the key's
 * end when the key is that long (the bytes before were hashed already,
 * which is harmless), else byte by byte. Avoids a memcpy call of variable
 * length, which was a third of the hashing on every lookup. */
static inline uint64_t tail8(const uint8_t *key, size_t total, size_t rest) {
    if (!rest) return 0;
    if (total >= 8) return load8(key + total - 8);
    uint64_t w = 0;
    for (size_t i = 0; i < rest; i++) w |= (uint64_t)key[total - rest + i] << (8 * i);
    return w;
}

uint64_t pa_hash_bytes(const void *key, size_t n) {
    /* Multiply-xorshift over 8-byte words: fast, and good enough for
     * addresses and ports. Keys can be attacker-chosen (addresses in a
     * hostile capture); the table then stays correct, probe sequences are
     * bounded by its size, and its size is capped. */
    const uint8_t *p = key;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    size_t words = n / 8;
    for (size_t i = 0; i < words; i++) {
        h = (h ^ load8(p + 8 * i)) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
    }
    h = (h ^ tail8(p, n, n % 8)) * 0x94D049BB133111EBull;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return h;
}

static inline bool keys_equal(const uint8_t *a, const uint8_t *b, size_t n) {
    size_t words = n / 8;
    for (size_t i = 0; i < words; i++)
        if (load8(a + 8 * i) != load8(b + 8 * i)) return false;
    return tail8(a, n, n % 8) == tail8(b, n, n % 8);
}

/* used[i] is 0 for a free slot, else a tag from the key's hash (never 0):
 * most slots of another key are told apart without comparing keys. */
static inline uint8_t tag_of(uint64_t h) { return (uint8_t)((h >> 56) | 1); }

static int alloc_slots(pa_htab *t, size_t cap) {
    uint32_t *idx = malloc(cap * sizeof *idx);
    uint8_t *used = calloc(cap, 1);
    if (!idx || !used) {
        free(idx);
        free(used);
        return -1;
    }
    free(t->idx);
    free(t->used);
    t->idx = idx;
    t->used = used;
    t->cap = cap;
    return 0;
}

int pa_htab_init(pa_htab *t, size_t rec_size, size_t key_size, size_t max_entries) {
    memset(t, 0, sizeof *t);
    t->rec_size = rec_size;
    t->key_size = key_size;
    t->max_entries = max_entries < UINT32_MAX ? max_entries : UINT32_MAX;
    return alloc_slots(t, INITIAL_CAP);
}

void pa_htab_free(pa_htab *t) {
    free(t->recs);
    free(t->idx);
    free(t->used);
    memset(t, 0, sizeof *t);
}

static size_t probe(const pa_htab *t, const void *key, bool *found, uint8_t *tag) {
    size_t mask = t->cap - 1;
    uint64_t h = pa_hash_bytes(key, t->key_size);
    size_t i = (size_t)h & mask;
    *tag = tag_of(h);
    for (;;) {
        if (!t->used[i]) {
            *found = false;
            return i;
        }
        if (t->used[i] == *tag && keys_equal(pa_htab_at(t, i), key, t->key_size)) {
            *found = true;
            return i;
        }
        i = (i + 1) & mask;
    }
}

/* Slots for every record again (after growing, or after records moved). */
static void reindex(pa_htab *t) {
    memset(t->used, 0, t->cap);
    for (size_t r = 0; r < t->count; r++) {
        bool found;
        uint8_t tag;
        size_t j = probe(t, t->recs + r * t->rec_size, &found, &tag);
        t->idx[j] = (uint32_t)r;
        t->used[j] = tag;
    }
}

static int grow_slots(pa_htab *t, size_t ncap) {
    if (alloc_slots(t, ncap) != 0) return -1;
    reindex(t);
    return 0;
}

void *pa_htab_find(const pa_htab *t, const void *key) {
    bool found;
    uint8_t tag;
    size_t i = probe(t, key, &found, &tag);
    return found ? pa_htab_at(t, i) : NULL;
}

int pa_htab_reserve(pa_htab *t, size_t n) {
    size_t room = t->max_entries - t->count < n ? t->max_entries - t->count : n;
    size_t cap = t->cap;
    while ((t->count + room) * 2 > cap) cap *= 2;
    if (cap != t->cap && grow_slots(t, cap) != 0) return -1;
    if (t->count + room > t->reccap) {
        size_t rcap = t->reccap ? t->reccap : INITIAL_CAP / 2;
        while (rcap < t->count + room) rcap *= 2;
        if (rcap > t->max_entries) rcap = t->max_entries;
        uint8_t *nr = realloc(t->recs, rcap * t->rec_size);
        if (!nr) return -1;
        t->recs = nr;
        t->reccap = rcap;
    }
    return 0;
}

void *pa_htab_upsert(pa_htab *t, const void *key, bool *created) {
    bool found;
    uint8_t tag;
    size_t i = probe(t, key, &found, &tag);
    if (found) {
        *created = false;
        return pa_htab_at(t, i);
    }
    if (t->count >= t->max_entries) return NULL;
    /* Keep the load under 1/2 so probes stay short. */
    if ((t->count + 1) * 2 > t->cap || t->count == t->reccap) {
        if (pa_htab_reserve(t, 1) != 0) return NULL;
        i = probe(t, key, &found, &tag);
    }
    uint8_t *r = t->recs + t->count * t->rec_size;
    memset(r, 0, t->rec_size);
    memcpy(r, key, t->key_size);
    t->idx[i] = (uint32_t)t->count++;
    t->used[i] = tag;
    *created = true;
    return r;
}

void *pa_htab_upsert_hint(pa_htab *t, const void *key, uint32_t *hint, bool *created) {
    if (*hint < t->count) {
        uint8_t *r = t->recs + (size_t)*hint * t->rec_size;
        if (keys_equal(r, key, t->key_size)) {
            *created = false;
            return r;
        }
    }
    uint8_t *r = pa_htab_upsert(t, key, created);
    if (r) *hint = (uint32_t)((size_t)(r - t->recs) / t->rec_size);
    return r;
}

int pa_htab_filter(pa_htab *t, bool (*keep)(void *rec, void *ud), void *ud) {
    /* compact in place: a kept record only ever moves to a lower index */
    size_t k = 0;
    for (size_t r = 0; r < t->count; r++) {
        uint8_t *rec = t->recs + r * t->rec_size;
        if (!keep(rec, ud)) continue;
        if (k != r) memcpy(t->recs + k * t->rec_size, rec, t->rec_size);
        k++;
    }
    t->count = k;
    reindex(t);
    return 0;
}
