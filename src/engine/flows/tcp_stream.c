#include "tcp_stream.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Bytes held by every stream of the process (all passes): a hostile capture
 * with many flows, each with a hole, cannot make the held copies grow
 * without bound. */
static atomic_size_t held_total;

size_t pa_stream_held_total(void) { return atomic_load(&held_total); }

void pa_stream_init(pa_stream_dir *d, uint64_t depth_cap) {
    memset(d, 0, sizeof *d);
    d->depth_cap = depth_cap;
}

void pa_stream_begin(pa_stream_dir *d, uint32_t next) {
    d->init = true;
    d->next = next;
}

void pa_stream_free(pa_stream_dir *d) {
    for (uint32_t i = 0; i < d->nheld; i++) free(d->held[i].data);
    atomic_fetch_sub(&held_total, d->held_bytes);
    free(d->held);
    d->held = NULL;
    d->nheld = d->capheld = 0;
    d->held_bytes = 0;
}

static void deliver(pa_stream_dir *d, const uint8_t *data, size_t len, uint64_t frame, int64_t ts, bool gap,
                    pa_stream_sink sink, void *ud) {
    if (d->capped || !len) return;
    if (d->depth_cap && d->delivered + len > d->depth_cap) {
        len = (size_t)(d->depth_cap - d->delivered);
        d->capped = true;
    }
    d->delivered += len;
    if (len) sink(ud, data, len, frame, ts, gap);
}

/* Delivers the part of [seq, seq+len) at or after `next`, and advances. */
static void take(pa_stream_dir *d, uint32_t seq, const uint8_t *data, size_t len, uint64_t frame, int64_t ts, bool gap,
                 pa_stream_sink sink, void *ud) {
    int32_t rel = (int32_t)(seq - d->next);
    size_t skip = rel < 0 ? (size_t)(-(int64_t)rel) : 0;
    if (skip >= len) {
        d->duplicate_bytes += len;
        return;
    }
    d->duplicate_bytes += skip;
    deliver(d, data + skip, len - skip, frame, ts, gap, sink, ud);
    d->next = seq + (uint32_t)len;
}

/* Hands over held segments in sequence order (they are kept sorted): those
 * `next` reaches, and, while `next` is before `until` (or always, with
 * all), the one after a hole too, reporting the hole as a gap. One pass,
 * one move of what stays. */
static void release(pa_stream_dir *d, bool all, uint32_t until, pa_stream_sink sink, void *ud) {
    uint32_t i = 0;
    for (; i < d->nheld; i++) {
        pa_stream_held *h = &d->held[i];
        bool gap = (int32_t)(h->seq - d->next) > 0;
        if (gap) {
            if (!all && (int32_t)(until - d->next) <= 0) break;
            d->gaps++;
            d->gap_bytes += (uint32_t)(h->seq - d->next);
            d->next = h->seq;
        }
        take(d, h->seq, h->data, h->len, h->frame, h->ts, gap, sink, ud);
        d->held_bytes -= h->len;
        atomic_fetch_sub(&held_total, h->len);
        free(h->data);
    }
    if (!i) return;
    memmove(d->held, d->held + i, (d->nheld - i) * sizeof *d->held);
    d->nheld -= i;
}

/* Keeps a copy of an early segment, in sequence order; false when a limit
 * says no. */
static bool hold(pa_stream_dir *d, uint32_t seq, const uint8_t *data, size_t len, uint64_t frame, int64_t ts) {
    if (d->nheld >= PA_STREAM_MAX_HELD || d->held_bytes + len > PA_STREAM_HELD_BYTES) return false;
    if (atomic_fetch_add(&held_total, len) + len > PA_STREAM_HELD_TOTAL) {
        atomic_fetch_sub(&held_total, len);
        return false;
    }
    if (d->nheld == d->capheld) {
        uint32_t ncap = d->capheld ? d->capheld * 2 : 8;
        pa_stream_held *n = realloc(d->held, ncap * sizeof *n);
        if (!n) goto fail;
        d->held = n;
        d->capheld = ncap;
    }
    uint8_t *copy = malloc(len);
    if (!copy) goto fail;
    memcpy(copy, data, len);
    /* segments mostly arrive in rising order: search from the end */
    uint32_t at = d->nheld;
    while (at > 0 && (int32_t)(d->held[at - 1].seq - seq) > 0) at--;
    memmove(d->held + at + 1, d->held + at, (d->nheld - at) * sizeof *d->held);
    d->held[at] = (pa_stream_held){seq, (uint32_t)len, frame, ts, copy};
    d->nheld++;
    d->held_bytes += (uint32_t)len;
    return true;
fail:
    atomic_fetch_sub(&held_total, len);
    return false;
}

static void segment(pa_stream_dir *d, uint32_t seq, bool syn, const uint8_t *data, size_t len, uint64_t frame,
                    int64_t ts, pa_stream_sink sink, void *ud) {
    if (syn) {
        /* the ISN: data begins after it (a SYN's own data, if any, too) */
        if (!d->init || d->delivered == 0) {
            d->init = true;
            d->next = seq + 1;
        }
        seq += 1;
    }
    if (!len) return;
    if (!d->init) { /* joined mid-stream: start here */
        d->init = true;
        d->next = seq;
    }
    if ((int32_t)(seq - d->next) <= 0) {
        take(d, seq, data, len, frame, ts, false, sink, ud);
        release(d, false, d->next, sink, ud);
        return;
    }
    /* early: hold a copy while the limits allow; otherwise give up on the
     * holes before it */
    if (hold(d, seq, data, len, frame, ts)) return;
    release(d, false, seq, sink, ud);
    bool gap = (int32_t)(seq - d->next) > 0;
    if (gap) {
        d->gaps++;
        d->gap_bytes += (uint32_t)(seq - d->next);
        d->next = seq;
    }
    take(d, seq, data, len, frame, ts, gap, sink, ud);
    release(d, false, d->next, sink, ud);
}

bool pa_stream_segment(pa_stream_dir *d, uint32_t seq, bool syn, const uint8_t *data, size_t len, uint64_t frame,
                       int64_t ts, pa_stream_sink sink, void *ud) {
    bool was = d->capped;
    segment(d, seq, syn, data, len, frame, ts, sink, ud);
    return !was && d->capped;
}

void pa_stream_flush(pa_stream_dir *d, pa_stream_sink sink, void *ud) { release(d, true, d->next, sink, ud); }
