#include "model_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct pa_cache_entry {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    char bpf[4720]; /* the model's key: bpf, display filter, heuristics (pa_cache_get) */
    bool ready;     /* model computed */
    bool computing;
    pa_model *model;
    int refs;      /* callers holding the model */
    uint64_t used; /* LRU tick */
};

void pa_cache_init(pa_cache *c, size_t budget) {
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    c->budget = budget;
}

static void entry_free(pa_cache_entry *e) {
    pa_model_free(e->model);
    free(e);
}

void pa_cache_destroy(pa_cache *c) {
    for (size_t i = 0; i < c->n; i++) entry_free(c->entries[i]);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
}

static bool same(const pa_cache_entry *e, const struct stat *st, const char *bpf) {
    return e->dev == st->st_dev && e->ino == st->st_ino && e->size == st->st_size &&
           e->mtime.tv_sec == st->st_mtim.tv_sec && e->mtime.tv_nsec == st->st_mtim.tv_nsec && strcmp(e->bpf, bpf) == 0;
}

static void remove_at(pa_cache *c, size_t i) {
    entry_free(c->entries[i]);
    c->entries[i] = c->entries[--c->n];
}

/* Drops unreferenced ready entries, oldest first, until the budget (and
 * the entry count) leave room. Called with the lock held. */
static void evict(pa_cache *c, size_t need_entries) {
    for (;;) {
        size_t total = 0;
        for (size_t i = 0; i < c->n; i++)
            if (c->entries[i]->ready) total += c->entries[i]->model->memory;
        if (total <= c->budget && c->n + need_entries <= PA_CACHE_MAX_ENTRIES) return;
        size_t victim = SIZE_MAX;
        for (size_t i = 0; i < c->n; i++) {
            pa_cache_entry *e = c->entries[i];
            if (!e->ready || e->refs) continue;
            if (victim == SIZE_MAX || e->used < c->entries[victim]->used) victim = i;
        }
        if (victim == SIZE_MAX) return; /* everything is in use: over budget for now */
        remove_at(c, victim);
    }
}

const pa_model *pa_cache_get(pa_cache *c, int fd, const struct stat *st, const pa_capfmt *fmt,
                             const pa_engine_opts *opts, pa_status *status, char *err, size_t errlen) {
    /* the key: BPF, display filter and the heuristics turned on (each makes another model) */
    char bpf[4720];
    snprintf(bpf, sizeof bpf, "%s\x1f%s\x1f%llx", (opts && opts->bpf) ? opts->bpf : "",
             (opts && opts->display_filter && opts->display_filter_text) ? opts->display_filter_text : "",
             (unsigned long long)(opts ? opts->heuristics : 0));
    pthread_mutex_lock(&c->mu);
    for (;;) {
        pa_cache_entry *hit = NULL;
        size_t hit_i = 0;
        for (size_t i = 0; i < c->n; i++)
            if (same(c->entries[i], st, bpf)) {
                hit = c->entries[i];
                hit_i = i;
            }
        /* Entries of older versions of the same file are stale. */
        for (size_t i = 0; i < c->n; i++) {
            pa_cache_entry *e = c->entries[i];
            if (e != hit && e->dev == st->st_dev && e->ino == st->st_ino && e->ready && !e->refs &&
                !same(e, st, e->bpf)) {
                remove_at(c, i);
                i = (size_t)-1;
                hit = NULL; /* indices moved: search again */
            }
        }
        if (!hit) {
            for (size_t i = 0; i < c->n; i++)
                if (same(c->entries[i], st, bpf)) {
                    hit = c->entries[i];
                    hit_i = i;
                }
        }
        (void)hit_i;
        if (hit && hit->ready) {
            hit->refs++;
            hit->used = ++c->tick;
            c->hits++;
            pthread_mutex_unlock(&c->mu);
            close(fd);
            *status = PA_OK;
            return hit->model;
        }
        if (hit && hit->computing) {
            /* Another call is reading this file: wait for its model. */
            pthread_cond_wait(&c->cv, &c->mu);
            if (opts && opts->cancelled && atomic_load(opts->cancelled)) {
                pthread_mutex_unlock(&c->mu);
                close(fd);
                *status = PA_CANCELLED;
                snprintf(err, errlen, "cancelled");
                return NULL;
            }
            continue;
        }
        break;
    }
    evict(c, 1);
    if (c->n >= PA_CACHE_MAX_ENTRIES) {
        /* All entries busy: compute without caching. */
        pthread_mutex_unlock(&c->mu);
        pa_model *m = NULL;
        *status = pa_engine_analyze(fd, (uint64_t)st->st_size, fmt, opts, &m, err, errlen);
        return m;
    }
    pa_cache_entry *e = calloc(1, sizeof *e);
    if (!e) {
        pthread_mutex_unlock(&c->mu);
        close(fd);
        *status = PA_NOMEM;
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    e->dev = st->st_dev;
    e->ino = st->st_ino;
    e->size = st->st_size;
    e->mtime = st->st_mtim;
    snprintf(e->bpf, sizeof e->bpf, "%s", bpf);
    e->computing = true;
    c->entries[c->n++] = e;
    c->misses++;
    pthread_mutex_unlock(&c->mu);

    pa_model *m = NULL;
    *status = pa_engine_analyze(fd, (uint64_t)st->st_size, fmt, opts, &m, err, errlen);

    pthread_mutex_lock(&c->mu);
    size_t idx = 0;
    while (idx < c->n && c->entries[idx] != e) idx++;
    if (!m) {
        /* Failed or cancelled: forget the entry; waiters retry on their own. */
        if (idx < c->n) c->entries[idx] = c->entries[--c->n];
        free(e);
    } else {
        e->model = m;
        e->ready = true;
        e->computing = false;
        e->refs = 1;
        e->used = ++c->tick;
        evict(c, 0);
    }
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    return m;
}

void pa_cache_release(pa_cache *c, const pa_model *m) {
    if (!m) return;
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < c->n; i++)
        if (c->entries[i]->model == m) {
            c->entries[i]->refs--;
            pthread_mutex_unlock(&c->mu);
            return;
        }
    pthread_mutex_unlock(&c->mu);
    /* Not cached (computed when the cache was full): the caller owned it. */
    pa_model_free((pa_model *)m);
}
