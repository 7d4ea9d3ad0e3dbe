/* Display filters keep whole transactions (docs/DISPLAY_FILTERS.md): an HTTP
 * request with its response, a DNS query with its responses, a TLS
 * connection, an FTP command with its replies is kept when any frame that
 * carries its bytes matches the filter, and is then reported complete.
 *
 * The first pass of a filtered analysis evaluates the filter on every frame
 * and decides the transactions (deciding): each transaction gathers a mark
 * from the frames that give it bytes, and when it ends its key frame (the
 * request's, the first query's, the connection's first) goes into `kept` if
 * any of them matched. The second pass runs the application trackers over
 * every frame again, with the same state, and counts a transaction only when
 * its key is in `kept`; per-frame counters (expert messages, parse errors)
 * count only on matching frames. Without a filter the trackers' pointer is
 * NULL and everything counts. */
#ifndef PA_TXKEEP_H
#define PA_TXKEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pa_dfilter;

/* A bit per frame number (frames a filter matches, or kept keys). */
typedef struct pa_frame_mask {
    uint8_t *bits;
    size_t nbytes;
    bool nomem;
    bool active;                     /* a filter was applied (else every frame is in) */
    const struct pa_dfilter *filter; /* during the pass */
} pa_frame_mask;
bool pa_frame_mask_has(const pa_frame_mask *m, uint64_t frame);
/* false (and m->nomem) when the bits cannot grow */
bool pa_frame_mask_set(pa_frame_mask *m, uint64_t frame);
void pa_frame_mask_free(pa_frame_mask *m);

/* What a transaction has gathered while deciding: whether a frame already
 * evaluated matched, and the frame being processed when it last got bytes
 * (its verdict comes at the end of that frame; 0: none). */
typedef struct pa_txmark {
    uint64_t frame;
    bool hit;
} pa_txmark;

typedef struct pa_txkeep {
    /* the frames the filter matches (deciding: those evaluated so far) */
    const pa_frame_mask *matched;
    pa_frame_mask kept; /* key frames of the transactions kept */
    bool deciding;      /* first pass: marks gather, keys are decided; second: keys are read */
    uint64_t cur;       /* deciding: the frame being processed (0 after the last) */
    uint64_t *await;    /* keys of transactions that ended waiting for cur's verdict */
    size_t nawait, capawait;
} pa_txkeep;

/* Second pass (and always true while deciding or without a filter): whether
 * the transaction with this key frame is counted ... */
static inline bool pa_tx_kept(const pa_txkeep *k, uint64_t key) {
    return !k || k->deciding || pa_frame_mask_has(&k->kept, key);
}
/* ... and whether something that belongs to one frame only (an expert
 * message, a parse error) is. */
static inline bool pa_tx_counts(const pa_txkeep *k, uint64_t frame) {
    return !k || k->deciding || pa_frame_mask_has(k->matched, frame);
}

/* Deciding: frame gave bytes to the transaction of m. */
void pa_tx_touch_deciding(pa_txkeep *k, pa_txmark *m, uint64_t frame);
static inline void pa_tx_touch(pa_txkeep *k, pa_txmark *m, uint64_t frame) {
    if (k && k->deciding) pa_tx_touch_deciding(k, m, frame);
}
/* Deciding: the frames of from belong to into's transaction too. */
void pa_tx_merge(pa_txkeep *k, pa_txmark *into, const pa_txmark *from);
/* Deciding: the transaction with this key frame ended with mark m. */
void pa_tx_end(pa_txkeep *k, uint64_t key, const pa_txmark *m);
/* Deciding: the verdict of k->cur, once the filter has been evaluated on it
 * (false when the kept keys cannot grow). */
bool pa_txkeep_frame_done(pa_txkeep *k, bool matched);
void pa_txkeep_free(pa_txkeep *k);

#endif
