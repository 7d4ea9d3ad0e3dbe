/* Inside the pass stage: the state of one fold over a capture and the steps
 * the driver (driver.c) runs it through. Not for other stages. */
#ifndef PA_FOLD_H
#define PA_FOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture_reader.h"
#include "decode.h"
#include "engine.h"

typedef struct pass {
    pa_model *m;
    const pa_engine_opts *opts;
    uint32_t last_tcp_flags; /* of the packet being processed, for the time bins */
    pa_decoder *dec;         /* on the heap: it holds a 64 KiB reassembly buffer */
    int64_t prev_ts;
    pa_frame_ctx fctx; /* of the frame being processed, for opts->on_frame */
    int64_t t0;        /* the first frame's time (frame.time_relative) */
    uint64_t frame_no;
    /* what each analyzer is lent (analyzer.h), and its facts of the frame
     * being processed (one allocation, frame_buf[i] inside it) */
    pa_app_env env[PA_AN_COUNT];
    void *frame_buf[PA_AN_COUNT];
    pa_flow *flow;   /* the flow note_flow just counted the packet in (NULL: none) */
    bool flow_src_a; /* and whether the packet's source is its side a */
    /* A display-filtered analysis (docs/DISPLAY_FILTERS.md): the first pass
     * decides its transactions (keep, deciding); in the second, the
     * statistics pass reads the matching frames without the application
     * trackers (no_apps) and the application pass reads every frame for
     * them alone (apps_only, keep). */
    pa_txkeep *keep;
    bool no_apps, apps_only;
} pass;

/* A new model and decoder for the fold; false when out of memory. */
bool pa_fold_start(pass *ps, const pa_engine_opts *opts);
/* Folds one frame read from the file (frame_no as in the file). */
void pa_fold_frame(pass *ps, const pa_frame *fr, uint64_t frame_no);
/* Incomplete fragments are counted; the decoder and the frame facts go (the
 * model stays). */
void pa_fold_end(pass *ps);
/* Ends what is still open (connections, transactions) and sizes the model. */
void pa_fold_finish(pa_model *m);
/* Hosts and conversations (fold_hosts.c); h: the flow's lookup hints, src
 * the packet's source side in them. */
void pa_fold_hosts(pa_model *m, const pa_packet *p, pa_flow_hints *h, int src);
void pa_fold_eth(pa_model *m, const pa_packet *p, pa_flow_hints *h, int src);
/* Time bins: the gap since the previous frame, the frame, its TCP analysis flags. */
void pa_fold_gap(pa_model *m, const pa_packet *p, int64_t prev_ts);
void pa_fold_time(pa_model *m, const pa_packet *p);
void pa_fold_time_tcp(pa_model *m, const pa_packet *p, uint32_t flags);
/* Multipath TCP (fold_mptcp.c): the options of a TCP segment of flow f
 * sent by flow side `side` (keys, a join's token), and the connection's
 * name kept for its subflows; call after the segment named the flow. */
void pa_fold_mptcp(pa_model *m, pa_flow *f, const pa_packet *p, int side);
/* The name of the connection a subflow joined (MP_JOIN with a known token),
 * for its first payload: the flow is then a continuation (mp_continued).
 * PA_P_NONE: no join, or a connection not known or not named. */
uint8_t pa_fold_mptcp_joined(pa_model *m, pa_flow *f);
/* Each analyzer's table in a model (fold_model.c). */
extern const size_t pa_fold_stats_offset[PA_AN_COUNT];
static inline void *pa_fold_app(pa_model *m, int i) { return (char *)m + pa_fold_stats_offset[i]; }
/* A new model with every analyzer's table ready; NULL when out of memory. */
pa_model *pa_fold_model_new(void);
/* Heap bytes of the analyzers' tables. */
size_t pa_fold_app_memory(const pa_model *m);
/* The application tables of a (the application-only fold) become m's. */
void pa_fold_take_apps(pa_model *m, pa_model *a);
/* Where m's analyzers put expert messages, security evidence and a display
 * filter's kept transactions. */
void pa_fold_link_apps(pa_model *m, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep);
/* The pass is over: m's analyzers forget what its pass lent them. */
void pa_fold_unbind(pa_model *m);

#endif
