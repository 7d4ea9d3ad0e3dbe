/* In-order byte delivery per TCP direction, for application parsers
 * (DNS over TCP, TLS, HTTP): retransmitted and overlapping bytes are given
 * once, segments that arrive early are held (bounded) until the hole before
 * them fills, and a hole that never fills is reported to the parser as a
 * gap so it can resynchronise. A per-direction depth cap bounds the work. */
#ifndef PA_TCP_STREAM_H
#define PA_TCP_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Early segments held per direction, and their bytes: enough for a lossy,
 * reordering path where a lost segment is resent after a whole window has
 * arrived. Held copies are kept sorted by sequence number and allocated only
 * when a direction first needs them; all streams of the process together
 * hold at most PA_STREAM_HELD_TOTAL. */
#define PA_STREAM_MAX_HELD 4096
#define PA_STREAM_HELD_BYTES (8u * 1024 * 1024)
#define PA_STREAM_HELD_TOTAL ((size_t)256 * 1024 * 1024)

typedef struct pa_stream_held {
    uint32_t seq, len;
    uint64_t frame;
    int64_t ts;
    uint8_t *data; /* owned copy */
} pa_stream_held;

typedef struct pa_stream_dir {
    bool init;
    uint32_t next;      /* next sequence number expected */
    uint64_t delivered; /* bytes handed to the parser */
    uint64_t depth_cap; /* 0: no cap */
    bool capped;        /* the cap was reached: nothing more is delivered */
    uint32_t gaps;      /* holes reported */
    uint64_t gap_bytes;
    uint64_t duplicate_bytes; /* retransmitted or overlapping bytes dropped */
    uint32_t nheld, capheld;
    uint32_t held_bytes;
    pa_stream_held *held; /* sorted by seq; grows up to PA_STREAM_MAX_HELD */
} pa_stream_dir;

/* The parser's input: contiguous bytes, the frame (and its time) that
 * carried the last of them, and whether bytes are missing just before them.
 * Bytes held behind a hole keep their own segment's frame and time, so a
 * message is dated by the segment that completed it. */
typedef void (*pa_stream_sink)(void *ud, const uint8_t *data, size_t len, uint64_t frame, int64_t ts, bool gap_before);

/* Where a message is placed: the latest frame that gave it bytes (the
 * segment that completed it, as tshark places a reassembled PDU, even when
 * that segment filled a hole before bytes that had arrived early). A parser
 * notes every piece it is given, and restarts the mark at the piece being
 * parsed when a message ends. */
typedef struct pa_stream_mark {
    uint64_t frame;
    int64_t ts;
} pa_stream_mark;

static inline void pa_mark_note(pa_stream_mark *m, uint64_t frame, int64_t ts, bool gap) {
    if (gap || frame > m->frame) {
        m->frame = frame;
        m->ts = ts;
    }
}

static inline void pa_mark_restart(pa_stream_mark *m, uint64_t frame, int64_t ts) {
    m->frame = frame;
    m->ts = ts;
}

/* Where a parser stands in the piece it is given: the frame (and time) a
 * unit completing now is placed on, and the segment that carried the piece.
 * pa_stream_at_piece notes each piece (a sink's first step);
 * pa_stream_at_unit_done starts the next unit's mark at the current piece. */
typedef struct pa_stream_at {
    uint64_t frame; /* where a unit completing now is placed: the latest frame of its bytes */
    int64_t ts;
    uint64_t chunk_frame; /* the segment that carried the bytes being parsed */
    int64_t chunk_ts;
} pa_stream_at;

static inline void pa_stream_at_piece(pa_stream_at *at, pa_stream_mark *m, uint64_t frame, int64_t ts, bool gap) {
    at->chunk_frame = frame;
    at->chunk_ts = ts;
    pa_mark_note(m, frame, ts, gap);
    at->frame = m->frame;
    at->ts = m->ts;
}

static inline void pa_stream_at_unit_done(pa_stream_at *at, pa_stream_mark *m) {
    pa_mark_restart(m, at->chunk_frame, at->chunk_ts);
    at->frame = at->chunk_frame;
    at->ts = at->chunk_ts;
}

void pa_stream_init(pa_stream_dir *d, uint64_t depth_cap);
/* Where the direction's data starts (its ISN + 1, or what the peer first
 * acknowledged), when known before its first segment: segments that come
 * out of order before the first in-order one are then held, not lost. */
void pa_stream_begin(pa_stream_dir *d, uint32_t next);
/* Feeds one segment of this direction. syn: the segment carries SYN (its
 * sequence number is the ISN; data starts after it). Returns true when this
 * segment made the direction reach its depth cap (for the parser's report). */
bool pa_stream_segment(pa_stream_dir *d, uint32_t seq, bool syn, const uint8_t *data, size_t len, uint64_t frame,
                       int64_t ts, pa_stream_sink sink, void *ud);
/* End of the connection or capture: deliver what is held, across the holes. */
void pa_stream_flush(pa_stream_dir *d, pa_stream_sink sink, void *ud);
void pa_stream_free(pa_stream_dir *d);
/* Bytes held by all streams of the process now (tests). */
size_t pa_stream_held_total(void);

#endif
