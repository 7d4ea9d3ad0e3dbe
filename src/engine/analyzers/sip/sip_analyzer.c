/* SIP hooks: a UDP datagram is one message; TCP is framed by Content-Length
 * (sip_track.c). */
#include "sip_analyzer.h"

#include <stddef.h>
#include <string.h>

#include "detect_looks.h"

/* On any port: a request line ending in SIP/2.0 or a status line is
 * specific enough (Wireshark's SIP heuristic asks the same). */
static bool look(const pa_packet *p) { return pa_look_text_line(p->payload, p->payload_len, "SIP/2.0"); }

static const pa_app_look looks[] = {{PA_P_UDP, 0, PA_P_SIP, look, NULL, false},
                                    {PA_P_TCP, 0, PA_P_SIP, look, NULL, false},
                                    {0, 0, 0, NULL, NULL, false}};

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)sec;
    pa_sip_stats *st = stats;
    st->ex = ex;
    st->keep = keep;
}

/* SDP media endpoints go to the analyzers that expect flows (RTP). */
static void announce(void *ud, const pa_sip_media *e) {
    pa_app_env *env = ud;
    if (!env->expect) return;
    pa_app_expect x;
    memset(&x, 0, sizeof x);
    x.addr = e->addr;
    x.port = e->port;
    x.kind = e->kind;
    x.call = e->call;
    x.frame = e->frame;
    for (uint8_t i = 0; i < e->nmap && x.nmap < sizeof x.map / sizeof x.map[0]; i++) {
        x.map[x.nmap].pt = e->map[i].pt;
        x.map[x.nmap].rate = e->map[i].rate;
        memcpy(x.map[x.nmap].name, e->map[i].name, sizeof x.map[0].name);
        x.map[x.nmap++].name[sizeof x.map[0].name - 1] = 0;
    }
    env->expect(env->expect_ud, &x);
}

static void bind(void *stats, pa_app_env *env) {
    pa_sip_stats *st = stats;
    st->announce = env ? announce : NULL;
    st->announce_ud = env;
}

static void on_msg(void *ud, const pa_sip_msg *m) {
    pa_app_env *env = ud;
    pa_sip_frame *fr = env->frame;
    if (fr && fr->n < PA_FRAME_SIP) fr->msg[fr->n++] = *m;
    if (env->on_event) env->on_event(env->on_event_ud, PA_AN_sip, &(pa_sip_event){env->frame_no, m});
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    (void)stream;
    pa_sip_stats *st = stats;
    if (p->l4 != PA_P_UDP || p->app != PA_P_SIP || !p->payload_len) return;
    if (!pa_tx_counts(st->keep, p->frame_no)) return;
    pa_sip_msg m;
    if (pa_sip_parse(p->payload, p->payload_len, false, &m) != PA_SIP_OK) {
        st->malformed++;
        if (st->ex) pa_expert_add(st->ex, PA_EX_SIP_MALFORMED, p->frame_no);
        return;
    }
    pa_sip_message(st, p, &m, p->payload + m.head_len);
    on_msg(env, &m);
}

static void segment(void *stats, pa_app_env *env, void **state, const pa_app_segment *s) {
    pa_sip_flow *f = *state;
    pa_sip_segment(stats, &f, s->p, s->from, on_msg, env);
    *state = f;
}

static void flow_free(void *state) { pa_sip_flow_free(state); }
static void free_stats(void *stats) { pa_sip_stats_free(stats); }
static void frame_reset(void *frame) { ((pa_sip_frame *)frame)->n = 0; }
static bool frame_has(const void *frame) { return ((const pa_sip_frame *)frame)->n > 0; }

static size_t memory(const void *stats) {
    const pa_sip_stats *st = stats;
    return (size_t)st->calls_cap * sizeof *st->calls + (size_t)st->media_cap * sizeof *st->media +
           (st->pending ? PA_SIP_PENDING * sizeof *st->pending : 0);
}

static const pa_app_cap caps[] = {
    {"sip_calls_listed", PA_SIP_MAX_CALLS, offsetof(pa_sip_stats, calls_dropped),
     "SIP calls beyond the cap: their messages counted, no call listed"},
    {"sip_media_endpoints", PA_SIP_MAX_MEDIA, offsetof(pa_sip_stats, media_dropped),
     "media endpoints announced by SDP beyond the cap: not listed, their RTP not named"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_sip = {
    .name = "sip",
    .proto = PA_P_SIP,
    .looks = looks,
    .link = set_links,
    .bind = bind,
    .free = free_stats,
    .memory = memory,
    .packet = packet,
    .segment = segment,
    .flow_free = flow_free,
    .frame_size = sizeof(pa_sip_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_sip_field_values,
};
