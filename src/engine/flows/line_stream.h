/* Text lines over one direction of a TCP byte stream (the line-based mail
 * protocols: SMTP, IMAP, POP3): the bytes come in order from pa_stream_dir,
 * lines that span segments are joined in a buffer that grows up to a cap
 * (the rest of a longer line is dropped and the line reported cut), and
 * after a hole the bytes up to the next line end are dropped. A protocol
 * may take bytes at a line start as something other than lines (a message
 * body, an IMAP literal) through its raw callback. A display filter's
 * frames of the line in progress are gathered in msg (txkeep.h). */
#ifndef PA_LINE_STREAM_H
#define PA_LINE_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcp_stream.h"
#include "txkeep.h"

typedef struct pa_lines_dir {
    pa_stream_dir stream;
    uint8_t *buf; /* a line spanning segments (allocated only then) */
    uint32_t n, cap, max;
    bool cut, skipping;
    pa_stream_mark mark; /* where the line in progress will be placed */
    pa_txmark msg;       /* its frames (display filters) */
} pa_lines_dir;

typedef struct pa_lines_cb {
    void *ud;
    pa_txkeep *keep;
    /* A whole line, without its LF and a CR before it; frame and ts: where
     * it is placed (the frame that completed it); cut: longer than the cap,
     * only its start is here. */
    void (*line)(void *ud, pa_lines_dir *d, const uint8_t *line, size_t n, bool cut, uint64_t frame, int64_t ts);
    /* At a line start: how many of these bytes the protocol takes as they
     * are (0: read a line). NULL: lines only. */
    size_t (*raw)(void *ud, const uint8_t *data, size_t len, uint64_t frame, int64_t ts);
    /* A hole before the bytes of frame (NULL: none needed). */
    void (*gap)(void *ud, uint64_t frame);
    /* After each piece of bytes is read (NULL: none needed). */
    void (*piece)(void *ud, const uint8_t *data, size_t len, uint64_t frame);
    /* lines that could not be buffered (out of memory) */
    uint64_t lost;
} pa_lines_cb;

/* max: the longest line kept; depth_cap: bytes read in this direction. */
void pa_lines_init(pa_lines_dir *d, uint32_t max, uint64_t depth_cap);
/* One segment of this direction; returns true when it made the direction
 * reach its depth cap. */
bool pa_lines_segment(pa_lines_dir *d, uint32_t seq, bool syn, const uint8_t *data, size_t len, uint64_t frame,
                      int64_t ts, pa_lines_cb *cb);
/* End of the connection: what is held behind holes, read across them. */
void pa_lines_flush(pa_lines_dir *d, pa_lines_cb *cb);
void pa_lines_free(pa_lines_dir *d);

#endif
