/* POP3 hooks: flows named POP by their bytes on port 110 (tshark's only
 * registration), until STLS turns them to TLS. */
#include "pop_analyzer.h"

#include <stddef.h>

static const pa_app_look looks[] = {{PA_P_TCP, 110, PA_P_POP, pa_pop_look, NULL, false}, {0, 0, 0, NULL, NULL, false}};

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)ex;
    (void)sec;
    ((pa_pop_stats *)stats)->keep = keep;
}

static void frame_reset(void *frame) {
    pa_pop_frame *f = frame;
    f->present = f->has_command = f->has_param = f->has_indicator = f->has_desc = false;
}

static void segment(void *stats, pa_app_env *env, void **state, const pa_app_segment *s) {
    if ((s->attached & PA_AN_BIT(tls)) || !s->p->payload_len || s->app != PA_P_POP) return;
    pa_pop_flow *f = *state;
    pa_pop_frame local, *v = env->frame;
    if (!v) { /* the hierarchy needs to know whether the frame carried POP (not TLS after it) */
        frame_reset(&local);
        v = &local;
    }
    pa_pop_segment(stats, &f, s->p, s->from, s->tcp, v);
    *state = f;
    if (v->present) env->pdus++;
}

static size_t memory(const void *stats) {
    const pa_pop_stats *st = stats;
    return st->cap * sizeof(pa_pop_tx) + pa_htab_memory(&st->pairs);
}

static int init(void *stats) { return pa_pop_init(stats); }
static void finish(void *stats) { pa_pop_finish(stats); }
static void free_stats(void *stats) { pa_pop_stats_free(stats); }
static void flow_finish(void *stats, void *state) { pa_pop_finish_flow(stats, state); }
static void flow_free(void *state) { pa_pop_free_flow(state); }
static bool flow_holds_data(const void *state) { return pa_pop_holds_data(state); }

static bool frame_has(const void *frame) { return ((const pa_pop_frame *)frame)->present; }

static const pa_app_cap caps[] = {
    {"pop_transactions_listed", PA_POP_MAX_TX, offsetof(pa_pop_stats, tx_dropped),
     "POP command -> reply pairs beyond the cap: counted, not listed or timed"},
    {"pop_pending_commands", PA_POP_PENDING, offsetof(pa_pop_stats, pending_dropped),
     "POP commands given up as unanswered because more were waiting on one connection"},
    {"pop_login_pairs", PA_POP_MAX_PAIRS, offsetof(pa_pop_stats, pairs_overflow),
     "POP login outcomes of client-server pairs beyond the cap: not in per-pair counts"},
    {"pop_streams", PA_POP_STREAM_CAP, offsetof(pa_pop_stats, streams_capped),
     "POP connections with more bytes in one direction than are parsed: the rest is not read"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_pop = {
    .name = "pop",
    .proto = PA_P_POP,
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
    .frame_size = sizeof(pa_pop_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_pop_field_values,
};
