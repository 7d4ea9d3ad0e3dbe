#include "ip_frag.h"

#include <stdlib.h>
#include <string.h>

void pa_frag_init(pa_frag_table *t) { memset(t, 0, sizeof *t); }

static void drop(pa_frag_table *t, pa_frag_dgram *g, bool incomplete) {
    if (incomplete) t->incomplete++;
    t->bytes -= g->cap;
    free(g->buf);
    memset(g, 0, sizeof *g);
}

void pa_frag_free(pa_frag_table *t) {
    for (size_t i = 0; i < PA_FRAG_MAX_DATAGRAMS; i++)
        if (t->d[i].used) drop(t, &t->d[i], false);
}

void pa_frag_finish(pa_frag_table *t) {
    for (size_t i = 0; i < PA_FRAG_MAX_DATAGRAMS; i++)
        if (t->d[i].used) drop(t, &t->d[i], true);
}

static bool same_key(const pa_frag_key *a, const pa_frag_key *b) {
    return a->ver == b->ver && a->proto == b->proto && a->id == b->id && memcmp(a->src, b->src, 16) == 0 &&
           memcmp(a->dst, b->dst, 16) == 0;
}

/* Complete when the pieces cover [0, total) without a hole. Pieces are few
 * (capped), so a repeated scan is cheaper than keeping them sorted. */
static bool complete(const pa_frag_dgram *g) {
    if (!g->have_last) return false;
    uint32_t covered = 0;
    for (;;) {
        uint32_t best = covered;
        for (uint16_t i = 0; i < g->npieces; i++) {
            uint32_t s = g->pieces[i].off, e = s + g->pieces[i].len;
            if (s <= covered && e > best) best = e;
        }
        if (best == covered) return covered >= g->total;
        covered = best;
        if (covered >= g->total) return true;
    }
}

pa_frag_result pa_frag_add(pa_frag_table *t, const pa_frag_key *k, int64_t ts, uint32_t off, bool more,
                           const uint8_t *data, uint32_t len, uint8_t *out, uint32_t *out_len, unsigned *flags) {
    *flags = 0;
    pa_frag_dgram *g = NULL, *free_slot = NULL;
    for (size_t i = 0; i < PA_FRAG_MAX_DATAGRAMS; i++) {
        pa_frag_dgram *c = &t->d[i];
        if (c->used && ts - c->first_ts > PA_FRAG_TIMEOUT_NS) drop(t, c, true);
        if (c->used && same_key(&c->key, k))
            g = c;
        else if (!c->used && !free_slot)
            free_slot = c;
    }
    uint32_t end = off + len;
    if (end > 65535) {
        *flags |= PA_FRAGF_TOO_BIG;
        return PA_FRAG_DROPPED;
    }
    if (!g) {
        if (!free_slot) {
            *flags |= PA_FRAGF_TABLE_FULL;
            return PA_FRAG_DROPPED;
        }
        g = free_slot;
        memset(g, 0, sizeof *g);
        g->used = true;
        g->key = *k;
        g->first_ts = ts;
    }
    if (g->npieces >= PA_FRAG_MAX_PIECES) {
        *flags |= PA_FRAGF_TOO_MANY;
        return PA_FRAG_DROPPED;
    }
    if (end > g->cap) {
        uint32_t ncap = end < 2048 ? 2048 : end;
        if (t->bytes + (ncap - g->cap) > PA_FRAG_MAX_BYTES) {
            *flags |= PA_FRAGF_TABLE_FULL;
            return PA_FRAG_DROPPED;
        }
        uint8_t *nb = realloc(g->buf, ncap);
        if (!nb) {
            *flags |= PA_FRAGF_TABLE_FULL;
            return PA_FRAG_DROPPED;
        }
        t->bytes += ncap - g->cap;
        g->buf = nb;
        g->cap = ncap;
    }
    /* Overlaps keep the first data (as most stacks and Wireshark's default
     * do) and are reported; differing bytes are reported separately. */
    for (uint16_t i = 0; i < g->npieces; i++) {
        uint32_t s = g->pieces[i].off, e = s + g->pieces[i].len;
        uint32_t os = off > s ? off : s, oe = end < e ? end : e;
        if (os < oe) {
            *flags |= PA_FRAGF_OVERLAP;
            if (memcmp(g->buf + os, data + (os - off), oe - os) != 0) *flags |= PA_FRAGF_INCONSISTENT;
        }
    }
    if (len == 0) {
        /* nothing to store (an empty fragment still marks the end when !more) */
    } else if (!(*flags & PA_FRAGF_OVERLAP))
        memcpy(g->buf + off, data, len);
    else
        for (uint32_t b = 0; b < len;) {
            /* overlapping: copy only the bytes not already held */
            uint32_t pos = off + b;
            bool held = false;
            for (uint16_t i = 0; i < g->npieces && !held; i++)
                held = pos >= g->pieces[i].off && pos < (uint32_t)g->pieces[i].off + g->pieces[i].len;
            if (!held) g->buf[pos] = data[b];
            b++;
        }
    g->pieces[g->npieces].off = (uint16_t)off;
    g->pieces[g->npieces].len = (uint16_t)len;
    g->npieces++;
    if (!more) {
        g->have_last = true;
        g->total = end;
    }
    if (!complete(g)) return PA_FRAG_HELD;
    if (g->total) memcpy(out, g->buf, g->total);
    *out_len = g->total;
    t->completed++;
    drop(t, g, false);
    return PA_FRAG_COMPLETE;
}
