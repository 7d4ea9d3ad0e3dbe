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

#define PA_STREAM_MAX_HELD 8              /* early segments held per direction */
#define PA_STREAM_HELD_BYTES (64u * 1024) /* and their bytes */

typedef struct pa_stream_held {
    uint32_t seq, len;
    uint64_t frame;
    uint8_t *data; /* owned copy */
} pa_stream_held;

typedef struct pa_stream_dir {
    bool init;
    uint32_t next;            /* next sequence number expected */
    uint64_t delivered;       /* bytes handed to the parser */
    uint64_t depth_cap;       /* 0: no cap */
    bool capped;              /* the cap was reached: nothing more is delivered */
    uint32_t gaps;            /* holes reported */
    uint64_t gap_bytes;
    uint64_t duplicate_bytes; /* retransmitted or overlapping bytes dropped */
    uint8_t nheld;
    uint32_t held_bytes;
    pa_stream_held held[PA_STREAM_MAX_HELD];
} pa_stream_dir;

/* The parser's input: contiguous bytes, the frame that completed them, and
 * whether bytes are missing just before them. */
typedef void (*pa_stream_sink)(void *ud, const uint8_t *data, size_t len, uint64_t frame,
                               bool gap_before);

void pa_stream_init(pa_stream_dir *d, uint64_t depth_cap);
/* Feeds one segment of this direction. syn: the segment carries SYN (its
 * sequence number is the ISN; data starts after it). */
void pa_stream_segment(pa_stream_dir *d, uint32_t seq, bool syn, const uint8_t *data, size_t len,
                       uint64_t frame, pa_stream_sink sink, void *ud);
/* End of the connection or capture: deliver what is held, across the holes. */
void pa_stream_flush(pa_stream_dir *d, pa_stream_sink sink, void *ud);
void pa_stream_free(pa_stream_dir *d);

#endif
