#include "tcp_stream.h"

#include <stdlib.h>
#include <string.h>

void pa_stream_init(pa_stream_dir *d, uint64_t depth_cap) {
    memset(d, 0, sizeof *d);
    d->depth_cap = depth_cap;
}

void pa_stream_begin(pa_stream_dir *d, uint32_t next) {
    d->init = true;
    d->next = next;
}

void pa_stream_free(pa_stream_dir *d) {
    for (uint8_t i = 0; i < d->nheld; i++) free(d->held[i].data);
    free(d->held);
    d->held = NULL;
    d->nheld = 0;
    d->held_bytes = 0;
}

static void deliver(pa_stream_dir *d, const uint8_t *data, size_t len, uint64_t frame, int64_t ts,
                    bool gap, pa_stream_sink sink, void *ud) {
    if (d->capped || !len) return;
    if (d->depth_cap && d->delivered + len > d->depth_cap) {
        len = (size_t)(d->depth_cap - d->delivered);
        d->capped = true;
    }
    d->delivered += len;
    if (len) sink(ud, data, len, frame, ts, gap);
}

/* Delivers the part of [seq, seq+len) at or after `next`, and advances. */
static void take(pa_stream_dir *d, uint32_t seq, const uint8_t *data, size_t len, uint64_t frame,
                 int64_t ts, bool gap, pa_stream_sink sink, void *ud) {
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

static void remove_held(pa_stream_dir *d, uint8_t i) {
    d->held_bytes -= d->held[i].len;
    free(d->held[i].data);
    d->held[i] = d->held[--d->nheld];
}

/* Hands over held segments that the new `next` reaches. */
static void drain(pa_stream_dir *d, pa_stream_sink sink, void *ud) {
    for (bool again = true; again;) {
        again = false;
        for (uint8_t i = 0; i < d->nheld; i++) {
            pa_stream_held *h = &d->held[i];
            if ((int32_t)(h->seq - d->next) > 0) continue;
            take(d, h->seq, h->data, h->len, h->frame, h->ts, false, sink, ud);
            remove_held(d, i);
            again = true;
            break;
        }
    }
}

/* The lowest held segment, to jump to across a hole. */
static int lowest_held(const pa_stream_dir *d) {
    int best = -1;
    for (uint8_t i = 0; i < d->nheld; i++)
        if (best < 0 || (int32_t)(d->held[i].seq - d->held[best].seq) < 0) best = i;
    return best;
}

static void jump_gap(pa_stream_dir *d, pa_stream_sink sink, void *ud) {
    int i = lowest_held(d);
    if (i < 0) return;
    pa_stream_held h = d->held[i];
    d->gaps++;
    d->gap_bytes += (uint32_t)(h.seq - d->next);
    d->next = h.seq;
    take(d, h.seq, h.data, h.len, h.frame, h.ts, true, sink, ud);
    remove_held(d, (uint8_t)i);
    drain(d, sink, ud);
}

void pa_stream_segment(pa_stream_dir *d, uint32_t seq, bool syn, const uint8_t *data, size_t len,
                       uint64_t frame, int64_t ts, pa_stream_sink sink, void *ud) {
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
        drain(d, sink, ud);
        return;
    }
    /* early: hold a copy while there is room; otherwise give up on the hole */
    if (!d->held) d->held = malloc(PA_STREAM_MAX_HELD * sizeof *d->held);
    if (d->held && d->nheld < PA_STREAM_MAX_HELD && d->held_bytes + len <= PA_STREAM_HELD_BYTES) {
        uint8_t *copy = malloc(len);
        if (copy) {
            memcpy(copy, data, len);
            d->held[d->nheld++] = (pa_stream_held){seq, (uint32_t)len, frame, ts, copy};
            d->held_bytes += (uint32_t)len;
            return;
        }
    }
    while (d->nheld && (int32_t)(seq - d->next) > 0) jump_gap(d, sink, ud);
    if ((int32_t)(seq - d->next) > 0) {
        d->gaps++;
        d->gap_bytes += (uint32_t)(seq - d->next);
        d->next = seq;
        take(d, seq, data, len, frame, ts, true, sink, ud);
    } else {
        take(d, seq, data, len, frame, ts, false, sink, ud);
    }
    drain(d, sink, ud);
}

void pa_stream_flush(pa_stream_dir *d, pa_stream_sink sink, void *ud) {
    while (d->nheld) jump_gap(d, sink, ud);
}
