/* RTP and RTCP hooks: every UDP datagram goes through the endpoint table
 * (rtp_stream.c), which says whether it is RTP, RTCP or neither. */
#include "rtp_analyzer.h"

#include <stddef.h>
#include <string.h>

#include "detect_looks.h"

void pa_rtp_set_heuristic(pa_rtp_stats *st, bool on) { st->table.heuristic = on; }

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)sec;
    pa_rtp_stats *st = stats;
    st->ex = ex;
    st->keep = keep;
}

/* RTCP found by Wireshark's heuristic for plain UDP (on by default; in
 * tshark 4.0 on any port, odd or even). Later datagrams of the flow are
 * each what they are (RTP on an announced port is named by the packet
 * hook). */
static bool look_rtcp(const pa_packet *p) { return pa_rtcp_heuristic(p->payload, p->payload_len); }

static const pa_app_look looks[] = {{PA_P_UDP, 0, PA_P_RTCP, look_rtcp, NULL, true}, {0, 0, 0, NULL, NULL, false}};

static void bind(void *stats, pa_app_env *env) {
    if (env) pa_rtp_set_heuristic(stats, env->heuristic);
}

/* An SDP's media endpoint (pa_app_expect) becomes one of the table's. */
static void expected(void *stats, const pa_app_expect *x) {
    pa_rtp_stats *st = stats;
    pa_rtp_endpoint e;
    memset(&e, 0, sizeof e);
    e.addr = x->addr;
    e.port = x->port;
    e.kind = x->kind;
    e.frame = x->frame;
    e.call = x->call;
    for (uint8_t i = 0; i < x->nmap && e.npt < PA_RTP_MAX_PT; i++) {
        pa_rtp_ptname *n = &e.pt[e.npt++];
        n->pt = x->map[i].pt;
        n->rate = x->map[i].rate;
        memcpy(n->name, x->map[i].name, sizeof n->name);
        n->name[sizeof n->name - 1] = 0;
    }
    (void)pa_rtp_expect(&st->table, &e); /* a full table counts the refusal (endpoints_dropped) */
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    (void)stream;
    pa_rtp_stats *st = stats;
    /* only datagrams no other look named: a media port is RTP only while
     * nothing else claims it (WebRTC's STUN and DTLS share its flow) */
    if (p->l4 != PA_P_UDP || (p->app != PA_P_DATA && p->app != PA_P_RTCP)) return;
    pa_rtp_table_origin(&st->table, env->first_ts_ns);
    pa_rtp_hdr h;
    pa_rtcp_msg rc;
    int what = pa_rtp_datagram(&st->table, p, &h, &rc);
    /* named by the RTCP heuristic (or in a STUN conversation) off the
     * announced endpoints: its fields as far as they parse; only a whole
     * compound packet (not SRTCP's encrypted rest) feeds the reports */
    if (what == PA_RTP_NOT && p->app == PA_P_RTCP && pa_rtcp_parse_prefix(p->payload, p->payload_len, &rc))
        what = PA_RTP_IS_RTCP;
    pa_rtcp_msg whole_msg;
    bool whole = what == PA_RTP_IS_RTCP && pa_rtcp_parse(p->payload, p->payload_len, &whole_msg);
    if (what == PA_RTP_IS_RTP || what == PA_RTP_IS_RTCP) env->named = what == PA_RTP_IS_RTP ? PA_P_RTP : PA_P_RTCP;
    if (what == PA_RTP_NOT || !pa_tx_counts(st->keep, p->frame_no)) return;
    if (what == PA_RTP_BAD_PADDING) {
        st->bad_padding++;
        if (st->ex) pa_expert_add(st->ex, PA_EX_RTP_PADDING, p->frame_no);
        return;
    }
    pa_rtp_frame *fr = env->frame;
    const pa_rtp_endpoint *e = pa_rtp_endpoint_of(&st->table, &p->src, p->sport, &p->dst, p->dport);
    if (what == PA_RTP_IS_RTP) {
        st->rtp_packets++;
        if (fr) {
            fr->rtp = true;
            fr->hdr = h;
            fr->setup_frame = e ? e->frame : 0;
        }
        if (env->on_event) env->on_event(env->on_event_ud, PA_AN_rtp, &(pa_rtp_event){p->frame_no, NULL, &h, NULL});
        return;
    }
    st->rtcp_packets++;
    for (uint8_t i = 0; i < rc.n; i++) st->rtcp_by_type[rc.pkt[i].pt - 200]++;
    if (whole) pa_rtcp_reports_note(&st->rtcp, &rc, p, fr ? &fr->rtt : NULL);
    if (fr) {
        fr->rtcp = true;
        fr->rtcp_msg = rc;
        fr->setup_frame = e ? e->frame : 0;
    }
    if (env->on_event) env->on_event(env->on_event_ud, PA_AN_rtp, &(pa_rtp_event){p->frame_no, NULL, NULL, &rc});
}

static int init(void *stats) { return pa_rtcp_reports_init(&((pa_rtp_stats *)stats)->rtcp); }

static void free_stats(void *stats) {
    pa_rtp_table_free(&((pa_rtp_stats *)stats)->table);
    pa_rtcp_reports_free(&((pa_rtp_stats *)stats)->rtcp);
}

static size_t memory(const void *stats) {
    const pa_rtp_table *t = &((const pa_rtp_stats *)stats)->table;
    size_t n = (size_t)t->streams_cap * sizeof *t->streams + (size_t)t->st_hash_size * sizeof *t->st_hash +
               pa_rtcp_reports_memory(&((const pa_rtp_stats *)stats)->rtcp);
    if (t->ep) n += PA_RTP_MAX_ENDPOINTS * sizeof *t->ep + 2 * PA_RTP_MAX_ENDPOINTS * sizeof *t->ep_hash;
    return n;
}

static void frame_reset(void *frame) {
    pa_rtp_frame *f = frame;
    f->rtp = f->rtcp = false;
    f->rtt.n = 0;
}
static bool frame_has(const void *frame) {
    const pa_rtp_frame *f = frame;
    return f->rtp || f->rtcp;
}

static const pa_app_cap caps[] = {
    {"rtp_streams_listed", PA_RTP_MAX_STREAMS, offsetof(pa_rtp_stats, table.streams_dropped),
     "RTP packets of streams beyond the cap: counted as RTP, in no stream's figures"},
    {"rtp_media_endpoints", PA_RTP_MAX_ENDPOINTS, offsetof(pa_rtp_stats, table.endpoints_dropped),
     "media endpoints announced beyond the cap: datagrams to them are not read as RTP"},
    {"rtcp_report_pairs", PA_RTCP_MAX_PAIRS, offsetof(pa_rtp_stats, rtcp.pairs_dropped),
     "RTCP report blocks of (reporter, source) pairs beyond the cap: counted, not summed"},
    {"rtcp_sender_reports", PA_RTCP_MAX_SRS, offsetof(pa_rtp_stats, rtcp.srs_dropped),
     "sender reports beyond the cap: the reports echoing them get no round-trip time"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_rtp = {
    .name = "rtp",
    .proto = PA_P_RTP,
    .looks = looks,
    .init = init,
    .link = set_links,
    .bind = bind,
    .free = free_stats,
    .memory = memory,
    .packet = packet,
    .expected = expected,
    .frame_size = sizeof(pa_rtp_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_rtp_field_values,
};
