/* DCE-RPC over TCP: a flow is named by a strict look at its first payload
 * on any port, as tshark 4.0's TCP heuristic (enabled by default) names the
 * endpoint mapper on 135 and the ports it hands out (tshark registers no
 * port for it). Each direction's new bytes are fed in the order they come
 * to the byte-stream tracker (dcerpc_pipe.c), which SMB2 named pipes feed
 * too (the carried hook): as tshark 4.0 (which does not wait for
 * out-of-order segments), a segment after a hole is read at once, a gap
 * before it. */
#include "dcerpc_analyzer.h"

#include <stddef.h>
#include <stdlib.h>

static bool look(const pa_packet *p) { return p->l4 == PA_P_TCP && pa_dcerpc_looks(p->payload, p->payload_len); }

static const pa_app_look looks[] = {{PA_P_TCP, 0, PA_P_DCERPC, look, NULL, true}, {0, 0, 0, NULL, NULL, false}};

typedef struct tflow {
    struct {
        bool init;
        uint32_t next; /* the sequence number after the bytes fed */
    } dir[2];
    pa_dcerpc_conn *conn;
    int client; /* flow key side of the client; -1 until a PDU says */
    pa_dcerpc_ends ends;
} tflow;

typedef struct sink_ctx {
    pa_dcerpc_stats *st;
    tflow *f;
    const pa_packet *p;
    int side;
    pa_dcerpc_frame *view;
    uint32_t ended;
} sink_ctx;

/* Client and server of the connection, from a packet the flow key side `from` sent. */
static void set_ends(tflow *f, const pa_packet *p, int from) {
    bool sent = from == f->client;
    f->ends.client = sent ? p->src : p->dst;
    f->ends.server = sent ? p->dst : p->src;
    f->ends.cport = sent ? p->sport : p->dport;
    f->ends.sport = sent ? p->dport : p->sport;
}

/* The client: the side that sent the SYN, else the one whose first PDU is a
 * client's (bind, request, alter_context, auth3, cancel, orphaned). */
static void find_client(sink_ctx *x, const uint8_t *data, size_t len) {
    tflow *f = x->f;
    pa_dcerpc_hdr h;
    if (f->client >= 0 || !pa_dcerpc_hdr_parse(data, len, &h)) return;
    bool from_client = h.ptype == PA_DCERPC_REQUEST || h.ptype == PA_DCERPC_BIND || h.ptype == PA_DCERPC_ALTER ||
                       h.ptype == PA_DCERPC_AUTH3 || h.ptype == PA_DCERPC_CO_CANCEL || h.ptype == PA_DCERPC_ORPHANED;
    f->client = from_client ? x->side : !x->side;
    set_ends(f, x->p, x->side);
    pa_dcerpc_conn_set_ends(f->conn, &f->ends);
}

static void sink(void *ud, const uint8_t *data, size_t len, uint64_t frame, int64_t ts, bool gap) {
    sink_ctx *x = ud;
    find_client(x, data, len);
    bool to_server = x->f->client < 0 ? x->side == 0 : x->side == x->f->client;
    x->ended += pa_dcerpc_feed(x->st, x->f->conn, to_server, data, len, gap, frame, ts, x->view, x->p->frame_no);
}

static tflow *start(pa_dcerpc_stats *st, const pa_app_segment *s) {
    tflow *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->client = -1;
    const pa_tcp_state *tcp = s->tcp;
    for (int k = 0; tcp && k < 2; k++) {
        if (tcp->by_flag[k][PA_SEG_SYN]) f->client = k;
        if (tcp->by_flag[k][PA_SEG_SYNACK]) f->client = !k;
    }
    f->ends.stream = s->stream;
    if (f->client >= 0) set_ends(f, s->p, s->from);
    f->conn = pa_dcerpc_conn_new(st, &f->ends);
    if (!f->conn) {
        free(f);
        return NULL;
    }
    return f;
}

static void segment(void *stats, pa_app_env *env, void **state, const pa_app_segment *s) {
    if (s->app != PA_P_DCERPC) return;
    pa_dcerpc_stats *st = stats;
    tflow *f = *state;
    if (!f) {
        if (!s->p->payload_len) return;
        if (!(f = *state = start(st, s))) return;
    }
    if (!s->p->payload_len) return;
    const pa_packet *p = s->p;
    uint32_t seq = p->tcp.seq + ((p->tcp.flags & PA_TCP_SYN) ? 1u : 0u);
    const uint8_t *data = p->payload;
    size_t len = p->payload_len;
    bool gap = false;
    if (f->dir[s->from].init) {
        int32_t ahead = (int32_t)(seq - f->dir[s->from].next);
        if (ahead < 0) { /* retransmitted or overlapping: only bytes beyond what was fed */
            if ((uint32_t)-ahead >= len) return;
            data += (uint32_t)-ahead;
            len -= (uint32_t)-ahead;
            seq = f->dir[s->from].next;
        }
        gap = ahead > 0;
    }
    f->dir[s->from].init = true;
    f->dir[s->from].next = seq + (uint32_t)len;
    sink_ctx x = {st, f, p, s->from, env->frame, 0};
    sink(&x, data, len, p->frame_no, p->ts_ns, gap);
    env->pdus += x.ended;
}

/* Bytes another analyzer carries (DCE-RPC in an SMB2 named pipe): the
 * same tracker, one state per pipe (kept by the carrier, freed with
 * flow_free), fed in order; the carrier says the direction. */
static void carried(void *stats, pa_app_env *env, const pa_app_carried *c) {
    pa_dcerpc_stats *st = stats;
    tflow *f = *c->state;
    if (!c->len) return;
    if (!f) {
        if (!(f = calloc(1, sizeof *f))) return;
        f->client = 0; /* side 0: the pipe's client */
        f->ends.stream = c->stream;
        set_ends(f, c->p, c->to_server ? 0 : 1);
        if (!(f->conn = pa_dcerpc_conn_new(st, &f->ends))) {
            free(f);
            return;
        }
        *c->state = f;
    }
    (void)pa_dcerpc_feed(st, f->conn, c->to_server, c->data, c->len, false, c->p->frame_no, c->p->ts_ns, env->frame,
                         c->p->frame_no);
}

static void flow_free(void *state) {
    tflow *f = state;
    if (!f) return;
    pa_dcerpc_conn_free(f->conn);
    free(f);
}

static int init(void *stats) { return pa_dcerpc_init(stats); }

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)sec;
    pa_dcerpc_stats *st = stats;
    st->ex = ex;
    st->keep = keep;
}

static void finish(void *stats) { pa_dcerpc_finish(stats); }
static void free_stats(void *stats) { pa_dcerpc_stats_free(stats); }

static size_t memory(const void *stats) {
    const pa_dcerpc_stats *st = stats;
    return pa_htab_memory(&st->srt) + st->donecap * sizeof(pa_dcerpc_call) + st->rejcap * sizeof(pa_dcerpc_reject);
}

static void frame_reset(void *frame) {
    pa_dcerpc_frame *f = frame;
    f->present = false;
    f->npdu = f->nctx = f->nbind = f->nres = f->nreason = 0;
}

static bool frame_has(const void *frame) { return ((const pa_dcerpc_frame *)frame)->present; }

static const pa_app_cap caps[] = {
    {"dcerpc_srt_rows", PA_DCERPC_MAX_SRT, offsetof(pa_dcerpc_stats, srt_overflow),
     "responses of interface/opnum pairs beyond the cap: not in the response-time table"},
    {"dcerpc_calls_listed", PA_DCERPC_MAX_CALLS, offsetof(pa_dcerpc_stats, done_dropped),
     "answered calls and faults beyond the cap: counted, not listed"},
    {"dcerpc_rejections_listed", PA_DCERPC_MAX_REJECTS, offsetof(pa_dcerpc_stats, rejects_dropped),
     "bind rejections beyond the cap: counted, not listed"},
    {"dcerpc_contexts_per_connection", PA_DCERPC_CTX_MAX, offsetof(pa_dcerpc_stats, ctx_dropped),
     "presentation contexts beyond the cap: their calls have no interface"},
    {"dcerpc_calls_per_connection", PA_DCERPC_CALLS_MAX, offsetof(pa_dcerpc_stats, calls_forgotten),
     "outstanding calls forgotten (oldest first): their responses are unmatched"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_dcerpc = {
    .name = "dcerpc",
    .proto = PA_P_DCERPC,
    .looks = looks,
    .pdu_frames = true,
    .init = init,
    .link = set_links,
    .finish = finish,
    .free = free_stats,
    .memory = memory,
    .segment = segment,
    .carried = carried,
    .flow_free = flow_free,
    .frame_size = sizeof(pa_dcerpc_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_dcerpc_field_values,
};
