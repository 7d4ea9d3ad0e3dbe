/* IMAP hooks: flows named IMAP by their bytes on port 143 (tshark's only
 * registration), until STARTTLS turns them to TLS. */
#include "imap_analyzer.h"

#include <stddef.h>

static const pa_app_look looks[] = {{PA_P_TCP, 143, PA_P_IMAP, pa_imap_look, NULL, false},
                                    {0, 0, 0, NULL, NULL, false}};

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)ex;
    (void)sec;
    ((pa_imap_stats *)stats)->keep = keep;
}

static void frame_reset(void *frame) {
    pa_imap_frame *f = frame;
    f->present = f->has_password = false;
    f->nlines = 0;
}

static void segment(void *stats, pa_app_env *env, void **state, const pa_app_segment *s) {
    if ((s->attached & PA_AN_BIT(tls)) || !s->p->payload_len || s->app != PA_P_IMAP) return;
    pa_imap_flow *f = *state;
    pa_imap_frame local, *v = env->frame;
    if (!v) { /* the hierarchy needs to know whether the frame carried IMAP (not TLS after it) */
        frame_reset(&local);
        v = &local;
    }
    pa_imap_segment(stats, &f, s->p, s->from, s->tcp, v);
    *state = f;
    if (v->present) env->pdus++;
}

static size_t memory(const void *stats) {
    const pa_imap_stats *st = stats;
    return st->cap * sizeof(pa_imap_tx) + pa_htab_memory(&st->pairs);
}

static int init(void *stats) { return pa_imap_init(stats); }
static void finish(void *stats) { pa_imap_finish(stats); }
static void free_stats(void *stats) { pa_imap_stats_free(stats); }
static void flow_finish(void *stats, void *state) { pa_imap_finish_flow(stats, state); }
static void flow_free(void *state) { pa_imap_free_flow(state); }
static bool flow_holds_data(const void *state) { return pa_imap_holds_data(state); }

static bool frame_has(const void *frame) { return ((const pa_imap_frame *)frame)->present; }

static const pa_app_cap caps[] = {
    {"imap_transactions_listed", PA_IMAP_MAX_TX, offsetof(pa_imap_stats, tx_dropped),
     "IMAP command -> tagged response pairs beyond the cap: counted, not listed or timed"},
    {"imap_pending_commands", PA_IMAP_PENDING, offsetof(pa_imap_stats, pending_dropped),
     "IMAP commands given up as unanswered because more were waiting on one connection"},
    {"imap_login_pairs", PA_IMAP_MAX_PAIRS, offsetof(pa_imap_stats, pairs_overflow),
     "IMAP login outcomes of client-server pairs beyond the cap: not in per-pair counts"},
    {"imap_streams", PA_IMAP_STREAM_CAP, offsetof(pa_imap_stats, streams_capped),
     "IMAP connections with more bytes in one direction than are parsed: the rest is not read"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_imap = {
    .name = "imap",
    .proto = PA_P_IMAP,
    .looks = looks,
    .pdu_frames = true,
    .init = init,
    .link = set_links,
    .finish = finish,
    .free = free_stats,
    .memory = memory,
    .segment = segment,
    .flow_finish = flow_finish,
    .flow_free = flow_free,
    .flow_holds_data = flow_holds_data,
    .frame_size = sizeof(pa_imap_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_imap_field_values,
};
