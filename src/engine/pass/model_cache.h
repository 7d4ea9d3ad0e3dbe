/* Models cached per file identity (device, inode, size, mtime) and filter,
 * within a memory budget, least recently used first out. Concurrent calls
 * for the same file share one pass: the first computes, the others wait. */
#ifndef PA_MODEL_CACHE_H
#define PA_MODEL_CACHE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/stat.h>

#include "engine.h"

#define PA_CACHE_BUDGET (512ull * 1024 * 1024)
#define PA_CACHE_MAX_ENTRIES 32

typedef struct pa_cache_entry pa_cache_entry;

typedef struct pa_cache {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pa_cache_entry *entries[PA_CACHE_MAX_ENTRIES];
    size_t n;
    uint64_t tick;
    size_t budget;
    uint64_t hits, misses; /* for tests and diagnostics */
} pa_cache;

void pa_cache_init(pa_cache *c, size_t budget);
void pa_cache_destroy(pa_cache *c);

/* Returns a model for the open capture fd (taken over) or NULL with err.
 * *status says why. The model stays valid until pa_cache_release. */
const pa_model *pa_cache_get(pa_cache *c, int fd, const struct stat *st, const pa_capfmt *fmt,
                             const pa_engine_opts *opts, pa_status *status, char *err, size_t errlen);
void pa_cache_release(pa_cache *c, const pa_model *m);

#endif
