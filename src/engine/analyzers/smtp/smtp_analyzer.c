/* SMTP hooks: flows named SMTP by their bytes on SMTP's ports, until
 * STARTTLS turns them to TLS (the TLS analyzer then holds the flow). */
#include "smtp_analyzer.h"

#include <stddef.h>

/* tshark registers SMTP on 25 and 587 only, with no heuristic */
static const pa_app_look looks[] = {{PA_P_TCP, 25, PA_P_SMTP, pa_smtp_look, NULL, false},
                                    {PA_P_TCP, 587, PA_P_SMTP, pa_smtp_look, NULL, false},
                                    {0, 0, 0, NULL, NULL, false}};

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)sec;
    ((pa_smtp_stats *)stats)->keep = keep;
    ((pa_smtp_stats *)stats)->ex = ex;
}

static void segment(void *stats, pa_app_env *env, void **state, const pa_app_segment *s) {
    if ((s->attached & PA_AN_BIT(tls)) || !s->p->payload_len || s->app != PA_P_SMTP) return;
    pa_smtp_flow *f = *state;
    pa_smtp_frame *v = env->frame;
    pa_smtp_frame local;
    if (!v) { /* the hierarchy counts a frame only where SMTP shows in it */
        local.present = false;
        local.ncmd = local.ncode = local.nrsp = 0;
        local.has_user = local.has_pass = local.has_user_pass = local.message = false;
        v = &local;
    }
    pa_smtp_segment(stats, &f, s->p, s->from, s->tcp, v);
    *state = f;
    if (v->present) env->pdus++;
}

static size_t memory(const void *stats) {
    const pa_smtp_stats *st = stats;
    return st->cap * sizeof(pa_smtp_tx) + pa_htab_memory(&st->auths);
}

static int init(void *stats) { return pa_smtp_init(stats); }
static void finish(void *stats) { pa_smtp_finish(stats); }
static void free_stats(void *stats) { pa_smtp_stats_free(stats); }
static void flow_finish(void *stats, void *state) { pa_smtp_finish_flow(stats, state); }
static void flow_free(void *state) { pa_smtp_free_flow(state); }
static bool flow_holds_data(const void *state) { return pa_smtp_holds_data(state); }

static void frame_reset(void *frame) {
    pa_smtp_frame *f = frame;
    f->present = f->has_user = f->has_pass = f->has_user_pass = f->message = false;
    f->ncmd = f->ncode = f->nrsp = 0;
}

static bool frame_has(const void *frame) { return ((const pa_smtp_frame *)frame)->present; }

static const pa_app_cap caps[] = {
    {"smtp_transactions_listed", PA_SMTP_MAX_TX, offsetof(pa_smtp_stats, tx_dropped),
     "SMTP request -> reply pairs beyond the cap: counted, not listed or timed"},
    {"smtp_pending_commands", PA_SMTP_PENDING, offsetof(pa_smtp_stats, pending_dropped),
     "SMTP commands given up as unanswered because more were waiting on one connection"},
    {"smtp_auth_pairs", PA_SMTP_MAX_CLIENTS, offsetof(pa_smtp_stats, auths_overflow),
     "SMTP authentication outcomes of client-server pairs beyond the cap: not in per-pair counts"},
    {"smtp_streams", PA_SMTP_STREAM_CAP, offsetof(pa_smtp_stats, streams_capped),
     "SMTP connections with more bytes in one direction than are parsed: the rest is not read"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_smtp = {
    .name = "smtp",
    .proto = PA_P_SMTP,
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
    .frame_size = sizeof(pa_smtp_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_smtp_field_values,
};
