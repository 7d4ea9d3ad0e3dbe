#include "line_stream.h"

#include <stdlib.h>
#include <string.h>

#include "cursor.h"

typedef struct reader {
    pa_lines_dir *d;
    pa_lines_cb *cb;
} reader;

void pa_lines_init(pa_lines_dir *d, uint32_t max, uint64_t depth_cap) {
    memset(d, 0, sizeof *d);
    d->max = max;
    pa_stream_init(&d->stream, depth_cap);
}

static void restart(pa_lines_dir *d) {
    d->n = 0;
    d->cut = false;
    d->msg = (pa_txmark){0};
    free(d->buf);
    d->buf = NULL;
    d->cap = 0;
}

static bool append(pa_lines_dir *d, const uint8_t *b, size_t n) {
    if (d->cut) return true;
    if (d->n + n > d->max) {
        n = d->max - d->n;
        d->cut = true;
    }
    if (d->n + n > d->cap) {
        uint32_t ncap = d->cap ? d->cap : 128;
        while (ncap < d->n + n) ncap *= 2;
        if (ncap > d->max) ncap = d->max;
        uint8_t *nb = realloc(d->buf, ncap);
        if (!nb) return false;
        d->buf = nb;
        d->cap = ncap;
    }
    if (n) memcpy(d->buf + d->n, b, n);
    d->n += (uint32_t)n;
    return true;
}

static void deliver(pa_lines_dir *d, pa_lines_cb *cb, const uint8_t *line, size_t n, bool cut) {
    uint8_t last;
    pa_cur c = pa_cur_make(line, n);
    if (!cut && pa_cur_peek_u8(&c, n ? n - 1 : 0, &last) && last == '\r') n--;
    cb->line(cb->ud, d, line, n, cut, d->mark.frame, d->mark.ts);
}

static void sink(void *ud, const uint8_t *data, size_t len, uint64_t frame, int64_t ts, bool gap) {
    reader *r = ud;
    pa_lines_dir *d = r->d;
    pa_lines_cb *cb = r->cb;
    pa_mark_note(&d->mark, frame, ts, gap);
    if (gap) {
        restart(d);
        d->skipping = true; /* the line's start is lost: wait for its end */
        if (cb->gap) cb->gap(cb->ud, frame);
    }
    pa_cur cur = pa_cur_make(data, len);
    while (cur.len) {
        if (!d->skipping && d->n == 0 && cb->raw) {
            size_t took = cb->raw(cb->ud, cur.p, cur.len, frame, ts);
            if (took) {
                if (!pa_cur_skip(&cur, took < cur.len ? took : cur.len)) break;
                pa_mark_restart(&d->mark, frame, ts);
                continue;
            }
        }
        const uint8_t *nl = memchr(cur.p, '\n', cur.len);
        size_t take = nl ? (size_t)(nl - cur.p) + 1 : cur.len;
        if (d->skipping) {
            d->skipping = !nl;
        } else {
            pa_tx_touch(cb->keep, &d->msg, frame);
            if (nl && d->n == 0) {
                deliver(d, cb, cur.p, take - 1, false); /* whole in this piece: no copy */
            } else if (!append(d, cur.p, take)) {
                cb->lost++;
                restart(d);
                d->skipping = !nl;
            } else if (nl) {
                deliver(d, cb, d->buf, d->cut ? d->n : d->n - 1, d->cut);
            }
        }
        if (!pa_cur_skip(&cur, take)) break;
        if (nl) { /* the next line is placed from here */
            restart(d);
            pa_mark_restart(&d->mark, frame, ts);
        }
    }
    if (cb->piece) cb->piece(cb->ud, data, len, frame);
}

bool pa_lines_segment(pa_lines_dir *d, uint32_t seq, bool syn, const uint8_t *data, size_t len, uint64_t frame,
                      int64_t ts, pa_lines_cb *cb) {
    reader r = {d, cb};
    return pa_stream_segment(&d->stream, seq, syn, data, len, frame, ts, sink, &r);
}

void pa_lines_flush(pa_lines_dir *d, pa_lines_cb *cb) {
    reader r = {d, cb};
    pa_stream_flush(&d->stream, sink, &r);
}

void pa_lines_free(pa_lines_dir *d) {
    pa_stream_free(&d->stream);
    free(d->buf);
    d->buf = NULL;
}
