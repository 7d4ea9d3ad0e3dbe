/* SSH hooks: flows named SSH by their identification string, on any port;
 * each direction followed as a byte stream until its keys are in use. */
#include "ssh_analyzer.h"

#include <stddef.h>

/* The identification string "SSH-x.y-" at the start of a payload (a server
 * may send lines of text before it): strict enough for any port. */
static bool look(const pa_packet *p) { return p->l4 == PA_P_TCP && pa_ssh_looks(p->payload, p->payload_len); }

static const pa_app_look looks[] = {{PA_P_TCP, 0, PA_P_SSH, look, NULL, false}, {0, 0, 0, NULL, NULL, false}};

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)sec;
    pa_ssh_stats *st = stats;
    st->ex = ex;
    st->keep = keep;
}

static void segment(void *stats, pa_app_env *env, void **state, const pa_app_segment *s) {
    if (s->app != PA_P_SSH) return;
    pa_ssh_flow *f = *state;
    /* a frame counts as ssh in the hierarchy when an SSH unit started or
     * ended in it or encrypted bytes came in it, as tshark -z io,phs counts
     * the segments its SSH dissector ran on */
    bool present = s->continued ? pa_ssh_continued_segment(stats, &f, s->p, s->from, s->tcp, s->stream, env->frame)
                                : pa_ssh_segment(stats, &f, s->p, s->from, s->tcp, s->stream, env->frame);
    if (present) env->pdus++;
    *state = f;
}

static void flow_finish(void *stats, void *state) { pa_ssh_finish_flow(stats, state); }
static void flow_free(void *state) { pa_ssh_free_flow(state); }
static bool flow_holds_data(const void *state) { return pa_ssh_holds_data(state); }
static void finish(void *stats) { pa_ssh_finish(stats); }
static void free_stats(void *stats) { pa_ssh_stats_free(stats); }

static size_t memory(const void *stats) {
    const pa_ssh_stats *st = stats;
    return st->conncap * sizeof(pa_ssh_conn);
}

static void frame_reset(void *frame) {
    pa_ssh_frame *f = frame;
    f->present = f->shown = f->has_ident = f->has_kexinit = f->has_hostkey = false;
    f->npkts = 0;
    f->direction = -1;
}

static bool frame_has(const void *frame) { return ((const pa_ssh_frame *)frame)->present; }

static const pa_app_cap caps[] = {
    {"ssh_connections_listed", PA_SSH_MAX_CONNS, offsetof(pa_ssh_stats, conns_dropped),
     "SSH connections beyond the cap: counted, not listed or timed"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_ssh = {
    .name = "ssh",
    .proto = PA_P_SSH,
    .looks = looks,
    .pdu_frames = true,
    .link = set_links,
    .finish = finish,
    .free = free_stats,
    .memory = memory,
    .segment = segment,
    .continued = true,
    .flow_finish = flow_finish,
    .flow_free = flow_free,
    .flow_holds_data = flow_holds_data,
    .frame_size = sizeof(pa_ssh_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_ssh_field_values,
};
