/* A bounded open-addressing hash table of fixed-size records whose first
 * key_size bytes are the key. It grows by doubling up to max_entries; past
 * that, inserts fail and the caller reports the cap. No per-record
 * allocation: records live in one array. */
#ifndef PA_HTAB_H
#define PA_HTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pa_htab {
    uint8_t *slots;     /* cap records of rec_size bytes */
    uint8_t *used;      /* cap flags */
    size_t cap;         /* power of two */
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

/* Removes one record (a pointer returned by find/upsert), keeping every
 * other record reachable (linear probing's backward shift). */
void pa_htab_remove(pa_htab *t, void *rec);

/* Keeps only the records for which keep() is true (the others are passed
 * to keep and then dropped); used to retire idle flows. */
int pa_htab_filter(pa_htab *t, bool (*keep)(void *rec, void *ud), void *ud);

/* Iteration: for (i = 0; i < t->cap; i++) if (t->used[i]) rec = pa_htab_at(t, i). */
static inline void *pa_htab_at(const pa_htab *t, size_t i) { return t->slots + i * t->rec_size; }

#endif
