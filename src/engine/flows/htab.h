/* A bounded open-addressing hash table of fixed-size records whose first
 * key_size bytes are the key. It grows by doubling up to max_entries; past
 * that, inserts fail and the caller reports the cap. No per-record
 * allocation: records live densely in one array, and the slots hold only
 * a record index and a hash tag, so the half-empty slot array costs 5
 * bytes a slot instead of a whole record (the flow record is ~300 bytes),
 * and growing rehashes indexes without moving records. */
#ifndef PA_HTAB_H
#define PA_HTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pa_htab {
    uint8_t *recs; /* count records of rec_size bytes (room for reccap) */
    size_t reccap;
    uint32_t *idx; /* cap slots: the record index of a used slot */
    uint8_t *used; /* cap bytes: 0 free, else in use (a hash tag) */
    size_t cap;    /* power of two */
    size_t count;
    size_t rec_size, key_size;
    size_t max_entries;
} pa_htab;

int pa_htab_init(pa_htab *t, size_t rec_size, size_t key_size, size_t max_entries);
void pa_htab_free(pa_htab *t);
uint64_t pa_hash_bytes(const void *key, size_t n);

/* Returns the record with this key, inserting a zeroed one (key copied)
 * when absent; *created tells which. NULL when the table is at its cap. */
void *pa_htab_upsert(pa_htab *t, const void *key, bool *created);
void *pa_htab_find(const pa_htab *t, const void *key);

/* pa_htab_upsert with a guess: *hint is the record index this caller found
 * for the key last time. When that record still holds the key (records
 * move only on a filter), it is returned without hashing or probing, which
 * is most of a lookup's cost; otherwise the lookup runs and *hint learns
 * the new index. A wrong or stale hint is only slower, never wrong. */
void *pa_htab_upsert_hint(pa_htab *t, const void *key, uint32_t *hint, bool *created);

/* An insert may grow the table, which moves every record: a pointer from
 * an earlier find/upsert is then stale. Reserving room for n inserts first
 * keeps the pointers of the next n upserts valid together. */
int pa_htab_reserve(pa_htab *t, size_t n);

/* Bytes the table holds (records allocated, and slots). */
static inline size_t pa_htab_memory(const pa_htab *t) {
    return t->reccap * t->rec_size + t->cap * (sizeof *t->idx + 1);
}

/* Keeps only the records for which keep() is true (the others are passed
 * to keep and then dropped); used to retire idle flows. Records move. */
int pa_htab_filter(pa_htab *t, bool (*keep)(void *rec, void *ud), void *ud);

/* Iteration: for (i = 0; i < t->cap; i++) if (t->used[i]) rec = pa_htab_at(t, i)
 * (hash order); or, reading memory in order, rec = pa_htab_rec(t, r) for
 * r < t->count (insertion order until a filter compacts the records). */
static inline void *pa_htab_at(const pa_htab *t, size_t i) { return t->recs + (size_t)t->idx[i] * t->rec_size; }
static inline void *pa_htab_rec(const pa_htab *t, size_t r) { return t->recs + r * t->rec_size; }

#endif
