/* One pass over a capture file fills a pa_model. */
#ifndef PA_ENGINE_H
#define PA_ENGINE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "capture_magic.h"
#include "frame.h"
#include "model.h"
#include "read_status.h"
#include "txkeep.h"

struct pa_dfilter;

typedef struct pa_engine_opts {
    const char *bpf; /* libpcap filter restricting the statistics; NULL = all */
    /* A display filter restricting the statistics to the frames it matches:
     * a first pass finds them (with every frame's analysis state) and the
     * application transactions with a matching frame (txkeep.h); the
     * second analyses only the matching frames, and the application trackers
     * over every frame count the kept transactions whole. With a filter,
     * on_frame and on_tcp see the matching frames, on_app every message. display_filter_text names it in the model and
     * the cache. */
    const struct pa_dfilter *display_filter;
    const char *display_filter_text;
    const atomic_bool *cancelled; /* polled every few thousand frames */
    void (*progress)(void *ud, uint64_t done, uint64_t total);
    void *progress_ud;
    /* Called for every analysed TCP segment (tests compare with tshark). */
    void (*on_tcp)(void *ud, uint64_t frame, const pa_tcp_result *r);
    void *on_tcp_ud;
    /* Called with the events of the application analyzers (analyzer: a PA_AN_
     * id; each <name>_analyzer.h names its event type and when it comes). */
    void (*on_app)(void *ud, int analyzer, const void *event);
    void *on_app_ud;
    /* Called for every frame once the pass has folded it in, with what the
     * pass knows of it (display filters, packet lists). */
    void (*on_frame)(void *ud, const pa_packet *p, const uint8_t *data, const pa_frame_ctx *ctx);
    void *on_frame_ud;
    /* Analyzers whose heuristic is on (PA_AN_BIT each; all off by default,
     * as tshark's heuristic dissectors): rtp finds streams no SDP announced. */
    uint64_t heuristics;
    uint64_t stop_after_frame; /* > 0: read no further than this frame (the model is partial) */
} pa_engine_opts;

/* The frames a display filter matches (pa_frame_mask, txkeep.h): a pass
 * over the capture open on fd (taken over and closed) with opts' bpf,
 * progress and cancellation. */
pa_status pa_engine_mask(int fd, uint64_t file_size, const pa_capfmt *fmt, const pa_engine_opts *opts,
                         const struct pa_dfilter *filter, pa_frame_mask *out, char *err, size_t errlen);

/* Reads the capture open on fd (taken over and closed). err receives a
 * message for anything but OK. */
pa_status pa_engine_analyze(int fd, uint64_t file_size, const pa_capfmt *fmt, const pa_engine_opts *opts,
                            pa_model **out, char *err, size_t errlen);

#endif
