#include "htab.h"

#include <stdlib.h>
#include <string.h>

#define INITIAL_CAP 1024

uint64_t pa_hash_bytes(const void *key, size_t n) {
    /* Multiply-xorshift over 8-byte words: fast, and good enough for
     * addresses and ports (keys are not attacker-chosen to collide with a
     * secret-free hash? they could be; the table still stays correct, and
     * every probe sequence is bounded by the table size). */
    const uint8_t *p = key;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * 0x94D049BB133111EBull;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return h;
}

static int alloc_slots(pa_htab *t, size_t cap) {
    t->slots = calloc(cap, t->rec_size);
    t->used = calloc(cap, 1);
    if (!t->slots || !t->used) {
        free(t->slots);
        free(t->used);
        t->slots = t->used = NULL;
        return -1;
    }
    t->cap = cap;
    return 0;
}

int pa_htab_init(pa_htab *t, size_t rec_size, size_t key_size, size_t max_entries) {
    memset(t, 0, sizeof *t);
    t->rec_size = rec_size;
    t->key_size = key_size;
    t->max_entries = max_entries;
    return alloc_slots(t, INITIAL_CAP);
}

void pa_htab_free(pa_htab *t) {
    free(t->slots);
    free(t->used);
    memset(t, 0, sizeof *t);
}

static size_t probe(const pa_htab *t, const void *key, bool *found) {
    size_t mask = t->cap - 1;
    size_t i = (size_t)pa_hash_bytes(key, t->key_size) & mask;
    for (;;) {
        if (!t->used[i]) {
            *found = false;
            return i;
        }
        if (memcmp(pa_htab_at(t, i), key, t->key_size) == 0) {
            *found = true;
            return i;
        }
        i = (i + 1) & mask;
    }
}

static int rehash(pa_htab *t, size_t ncap) {
    pa_htab old = *t;
    if (alloc_slots(t, ncap) != 0) {
        *t = old;
        return -1;
    }
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.used[i]) continue;
        bool found;
        size_t j = probe(t, pa_htab_at(&old, i), &found);
        memcpy(pa_htab_at(t, j), pa_htab_at(&old, i), t->rec_size);
        t->used[j] = 1;
    }
    free(old.slots);
    free(old.used);
    return 0;
}

void *pa_htab_find(const pa_htab *t, const void *key) {
    bool found;
    size_t i = probe(t, key, &found);
    return found ? pa_htab_at(t, i) : NULL;
}

void *pa_htab_upsert(pa_htab *t, const void *key, bool *created) {
    bool found;
    size_t i = probe(t, key, &found);
    if (found) {
        *created = false;
        return pa_htab_at(t, i);
    }
    if (t->count >= t->max_entries) return NULL;
    /* Keep the load under 1/2 so probes stay short. */
    if ((t->count + 1) * 2 > t->cap) {
        if (rehash(t, t->cap * 2) != 0) return NULL;
        i = probe(t, key, &found);
    }
    uint8_t *r = pa_htab_at(t, i);
    memset(r, 0, t->rec_size);
    memcpy(r, key, t->key_size);
    t->used[i] = 1;
    t->count++;
    *created = true;
    return r;
}

int pa_htab_filter(pa_htab *t, bool (*keep)(void *rec, void *ud), void *ud) {
    pa_htab old = *t;
    if (alloc_slots(t, old.cap) != 0) {
        *t = old;
        return -1;
    }
    t->count = 0;
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.used[i] || !keep(pa_htab_at(&old, i), ud)) continue;
        bool found;
        size_t j = probe(t, pa_htab_at(&old, i), &found);
        memcpy(pa_htab_at(t, j), pa_htab_at(&old, i), t->rec_size);
        t->used[j] = 1;
        t->count++;
    }
    free(old.slots);
    free(old.used);
    return 0;
}

void pa_htab_remove(pa_htab *t, void *rec) {
    size_t mask = t->cap - 1;
    size_t i = (size_t)((uint8_t *)rec - t->slots) / t->rec_size;
    if (i >= t->cap || !t->used[i]) return;
    t->used[i] = 0;
    t->count--;
    /* Move later records of the same probe run back into the hole when
     * their home slot does not lie between the hole and them. */
    for (size_t j = (i + 1) & mask; t->used[j]; j = (j + 1) & mask) {
        size_t k = (size_t)pa_hash_bytes(pa_htab_at(t, j), t->key_size) & mask;
        bool movable = (i <= j) ? (k <= i || k > j) : (k <= i && k > j);
        if (!movable) continue;
        memcpy(pa_htab_at(t, i), pa_htab_at(t, j), t->rec_size);
        t->used[i] = 1;
        t->used[j] = 0;
        i = j;
    }
}
