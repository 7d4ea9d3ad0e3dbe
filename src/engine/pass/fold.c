/* Folding one frame into the model: decode it, then count it in the
 * model's counters, tables and time bins, and hand it to the flow, evidence
 * and application stages. Memory grows with flows and hosts, never with
 * packets; every table is capped (model.h). The reading loop and the two
 * passes of a display filter are the driver's (driver.c). */
#include "fold.h"

#include <pcap/pcap.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "detect.h"
#include "dframe.h"

/* The analyzers each per-frame hook concerns, found once (packet hook for
 * UDP, for TCP; pdu_frames; segment), so that a frame walks only those. */
static struct {
    pthread_once_t once;
    uint8_t udp[PA_AN_COUNT], tcp[PA_AN_COUNT], pdu[PA_AN_COUNT], seg[PA_AN_COUNT];
    int nudp, ntcp, npdu, nseg;
} hooks = {.once = PTHREAD_ONCE_INIT};

static void hooks_build(void) {
    for (int i = 0; i < PA_AN_COUNT; i++) {
        const pa_analyzer *an = pa_analyzers[i];
        if (an->packet) hooks.udp[hooks.nudp++] = (uint8_t)i;
        if (an->packet && an->packet_tcp) hooks.tcp[hooks.ntcp++] = (uint8_t)i;
        if (an->pdu_frames) hooks.pdu[hooks.npdu++] = (uint8_t)i;
        if (an->segment) hooks.seg[hooks.nseg++] = (uint8_t)i;
    }
}

static void note_anomalies(pa_model *m, const pa_packet *p) {
    for (uint8_t i = 0; i < p->nanom; i++) {
        pa_anom a = (pa_anom)p->anom[i];
        uint64_t n = m->anom_count[a]++;
        if (n < PA_ANOM_FIRST_FRAMES) m->anom_frames[a][n] = p->frame_no;
    }
}

static void note_linktype(pa_model *m, int lt) {
    for (int i = 0; i < m->nlinktypes; i++)
        if (m->linktypes[i].linktype == lt) {
            m->linktypes[i].frames++;
            return;
        }
    if (m->nlinktypes < PA_MAX_LINKTYPES) {
        m->linktypes[m->nlinktypes].linktype = lt;
        m->linktypes[m->nlinktypes].frames = 1;
        m->nlinktypes++;
    }
}

/* ---- protocol hierarchy --------------------------------------------- */

static int child(pa_model *m, int parent, uint8_t proto) {
    /* Nodes are few; children of a node are found by a scan from the
     * parent's position (children are always created after parents). */
    for (int i = parent + 1; i < m->nnodes; i++)
        if (m->nodes[i].parent == parent && m->nodes[i].proto == proto) return i;
    if (m->nnodes >= PA_MAX_PROTO_NODES) return -2;
    pa_proto_node *n = &m->nodes[m->nnodes];
    n->parent = parent;
    n->proto = proto;
    n->depth = parent < 0 ? 0 : (uint8_t)(m->nodes[parent].depth + 1);
    return m->nnodes++;
}

/* The application a frame counts as in the hierarchy: its flow's, except
 * over TCP for analyzers with pdu_frames, whose protocol a frame is only
 * when one of its messages ended in it (and a message of TLS after a
 * STARTTLS makes the frame tls). PA_P_NONE: the frame is plain tcp. */
static uint8_t frame_app(const pass *ps, const pa_packet *p) {
    if (p->app == PA_P_NONE || p->l4 != PA_P_TCP) return (uint8_t)p->app;
    uint8_t app = (uint8_t)p->app;
    for (int k = 0; k < hooks.npdu; k++) {
        int i = hooks.pdu[k];
        if (pa_analyzers[i]->proto == p->app && !ps->env[i].pdus) app = PA_P_NONE;
        if (pa_analyzers[i]->proto != p->app && ps->env[i].pdus) return pa_analyzers[i]->proto;
    }
    return app;
}

static void note_hierarchy(pass *ps, pa_model *m, const pa_packet *p) {
    int node = -1;
    uint8_t path[PA_MAX_LAYERS + 1];
    size_t n = p->nlayers;
    memcpy(path, p->layers, n);
    uint8_t app = frame_app(ps, p);
    if (app != PA_P_NONE && n < sizeof path) path[n++] = app;
    for (size_t i = 0; i < n; i++) {
        int c = child(m, node, path[i]);
        if (c == -2) {
            m->proto_nodes_dropped++;
            return;
        }
        m->nodes[c].frames++;
        m->nodes[c].bytes += p->wirelen;
        node = c;
    }
}

/* ---- flows ----------------------------------------------------------- */

static bool side_a_is_src(const pa_packet *p) {
    int c = memcmp(p->src.b, p->dst.b, 16);
    if (c != 0) return c < 0;
    return p->sport <= p->dport;
}

static void flow_key(const pa_packet *p, pa_flow_key *k, bool *src_is_a) {
    memset(k, 0, sizeof *k);
    k->ver = p->ip_ver;
    k->ipproto = p->ip_proto;
    k->vlan = p->nvlan ? p->vlan[0] : 0;
    bool a = side_a_is_src(p);
    *src_is_a = a;
    uint16_t sp = p->sport, dp = p->dport;
    if (p->l4 != PA_P_TCP && p->l4 != PA_P_UDP && p->l4 != PA_P_SCTP) sp = dp = 0;
    memcpy(k->a, a ? p->src.b : p->dst.b, 16);
    memcpy(k->b, a ? p->dst.b : p->src.b, 16);
    k->port_a = a ? sp : dp;
    k->port_b = a ? dp : sp;
}

static int cmp_bytes_desc(const void *x, const void *y) {
    const pa_flow *a = x, *b = y;
    uint64_t ta = a->bytes_a + a->bytes_b, tb = b->bytes_a + b->bytes_b;
    return ta < tb ? 1 : ta > tb ? -1 : 0;
}

typedef struct retire_ctx {
    pa_model *m;
    int64_t before; /* retire flows whose last packet is older */
} retire_ctx;

static uint64_t flow_total(const pa_flow *f) { return f->bytes_a + f->bytes_b; }

/* The retired flows kept for listings form a min-heap on bytes, so the
 * smallest is replaced in O(log n) when a larger one retires. */
static void heap_down(pa_flow *h, size_t n, size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, min = i;
        if (l < n && flow_total(&h[l]) < flow_total(&h[min])) min = l;
        if (r < n && flow_total(&h[r]) < flow_total(&h[min])) min = r;
        if (min == i) return;
        pa_flow t = h[i];
        h[i] = h[min];
        h[min] = t;
        i = min;
    }
}

static void heap_up(pa_flow *h, size_t i) {
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (flow_total(&h[parent]) <= flow_total(&h[i])) return;
        pa_flow t = h[i];
        h[i] = h[parent];
        h[parent] = t;
        i = parent;
    }
}

/* The application parsers of a flow end: what they hold is reported
 * (requests never answered, TLS outcomes) and their memory freed. */
static void finish_apps(pa_model *m, pa_flow *f) {
    for (int i = 0; i < PA_AN_COUNT; i++) {
        const pa_analyzer *an = pa_analyzers[i];
        if (!f->app_state[i]) continue;
        if (an->flow_finish) an->flow_finish(pa_fold_app(m, i), f->app_state[i]);
        an->flow_free(f->app_state[i]);
        f->app_state[i] = NULL;
    }
}

/* Whether an analyzer holds bytes of the flow behind a hole. */
static bool apps_hold_data(const pa_flow *f) {
    for (int i = 0; i < PA_AN_COUNT; i++)
        if (f->app_state[i] && pa_analyzers[i]->flow_holds_data && pa_analyzers[i]->flow_holds_data(f->app_state[i]))
            return true;
    return false;
}

/* A TCP connection both of whose sides sent FIN, with every segment
 * acknowledged and no bytes held behind a hole for a parser: nothing
 * more can reach its parsers (a later packet can only repeat one already
 * seen), so they are finished now rather than at the end of the capture.
 * Thousands of finished keep-alive connections then cost their flow
 * records only (docs/BENCHMARKS.md, the many-flows capture). */
static bool tcp_finished(const pa_flow *f) {
    if (!f->tcp || !(f->flags_a & f->flags_b & PA_TCP_FIN)) return false;
    for (int i = 0; i < 2; i++)
        if (f->tcp->dir[i].nunacked) return false;
    return !apps_hold_data(f);
}

/* Retired flows keep their TCP state only while they stay listed. */
static void keep_retired(pa_model *m, pa_flow *f) {
    m->flows_retired++;
    finish_apps(m, f);
    if (m->nretired < PA_MAX_RETIRED_KEPT) {
        m->retired[m->nretired] = *f;
        heap_up(m->retired, m->nretired++);
        return;
    }
    m->flows_dropped++;
    if (flow_total(f) > flow_total(&m->retired[0])) {
        pa_tcp_free(m->retired[0].tcp);
        m->retired[0] = *f;
        heap_down(m->retired, m->nretired, 0);
    } else {
        pa_tcp_free(f->tcp);
    }
}

static bool keep_live(void *rec, void *ud) {
    retire_ctx *rc = ud;
    pa_flow *f = rec;
    if (f->last_ts >= rc->before) return true;
    keep_retired(rc->m, f);
    return false;
}

static bool keep_open(void *rec, void *ud) {
    pa_flow *f = rec;
    bool ended = (f->flags_a | f->flags_b) & PA_TCP_RST || (f->flags_a & f->flags_b & PA_TCP_FIN);
    if (!ended) return true;
    keep_retired(ud, f);
    return false;
}

/* The table is full: retire the connections that ended (FIN both ways or
 * reset) and idle flows; if that frees too little, the least recently
 * active quarter too. */
static void make_room(pa_model *m, int64_t now) {
    retire_ctx rc = {m, now - PA_FLOW_IDLE_NS};
    size_t before = m->flows.count;
    pa_htab_filter(&m->flows, keep_open, m);
    pa_htab_filter(&m->flows, keep_live, &rc);
    if (m->flows.count > before - before / 8) {
        /* Find the last-activity time below which a quarter of flows lie. */
        size_t n = 0;
        int64_t *ts = malloc(m->flows.count * sizeof *ts);
        if (!ts) return;
        for (size_t i = 0; i < m->flows.cap; i++)
            if (m->flows.used[i]) ts[n++] = ((pa_flow *)pa_htab_at(&m->flows, i))->last_ts;
        /* partial selection by sorting a sample is enough for a threshold */
        size_t step = n > 4096 ? n / 4096 : 1, k = 0;
        for (size_t i = 0; i < n; i += step) ts[k++] = ts[i];
        for (size_t i = 1; i < k; i++) { /* insertion sort of <= 4096 samples */
            int64_t v = ts[i];
            size_t j = i;
            while (j > 0 && ts[j - 1] > v) {
                ts[j] = ts[j - 1];
                j--;
            }
            ts[j] = v;
        }
        rc.before = k ? ts[k / 4] + 1 : now;
        free(ts);
        pa_htab_filter(&m->flows, keep_live, &rc);
    }
}

static pa_flow *flow_for(pa_model *m, const pa_packet *p, bool *src_is_a, bool *created) {
    pa_flow_key k;
    flow_key(p, &k, src_is_a);
    pa_flow *f = pa_htab_upsert(&m->flows, &k, created);
    if (!f) {
        make_room(m, p->ts_ns);
        f = pa_htab_upsert(&m->flows, &k, created);
    }
    return f;
}

/* Keeps the PA_MAX_STALLS longest zero-window stalls. */
static void note_stall(pa_model *m, const pa_flow *f, int side, bool ended, uint64_t start_frame, uint64_t end_frame,
                       int64_t start_ts, int64_t dur, uint32_t probes) {
    m->stall_count++;
    size_t at = m->nstalls;
    if (m->nstalls == PA_MAX_STALLS) {
        at = 0;
        for (size_t i = 1; i < m->nstalls; i++)
            if (m->stalls[i].dur_ns < m->stalls[at].dur_ns) at = i;
        if (m->stalls[at].dur_ns >= dur) return;
    } else {
        m->nstalls++;
    }
    m->stalls[at] = (pa_stall){f->key, f->stream, (uint8_t)side, ended, start_frame, end_frame, start_ts, dur, probes};
}

/* Wireshark's expert messages for a TCP segment: its flags, its options,
 * and the analysis flags (one message per flag; a fast or spurious
 * retransmission is also a retransmission, as Wireshark lists it). */
static void expert_tcp(pa_model *m, pa_flow *f, const pa_packet *p, int side, uint32_t ta, uint32_t dup_num) {
    pa_expert *e = &m->expert;
    uint64_t fr = p->frame_no;
    uint16_t fl = p->tcp.flags;
    if ((fl & (PA_TCP_SYN | PA_TCP_ACK)) == PA_TCP_SYN) pa_expert_add(e, PA_EX_TCP_SYN, fr, (unsigned)p->dport);
    if ((fl & (PA_TCP_SYN | PA_TCP_ACK)) == (PA_TCP_SYN | PA_TCP_ACK))
        pa_expert_add(e, PA_EX_TCP_SYNACK, fr, (unsigned)p->sport);
    /* Wireshark looks for MSS only when the SYN has options at all */
    if ((fl & PA_TCP_SYN) && p->tcp.hdr_len > 20 && !p->tcp.has_mss) pa_expert_add(e, PA_EX_TCP_MSS_ABSENT, fr);
    if (fl & PA_TCP_FIN) {
        pa_expert_add(e, PA_EX_TCP_FIN, fr);
        /* the side that closes first is active; a FIN from the other side
         * after it is passive (a repeated FIN keeps its role) */
        if (!(f->fin_sides & (1u << (1 - side)))) {
            f->fin_sides |= (uint8_t)(1u << side);
            pa_expert_add(e, PA_EX_TCP_FIN_ACTIVE, fr);
        } else {
            pa_expert_add(e, PA_EX_TCP_FIN_PASSIVE, fr);
        }
    }
    if (fl & PA_TCP_RST) pa_expert_add(e, PA_EX_TCP_RST, fr);
    if (!(fl & PA_TCP_ACK) && p->tcp.ack) pa_expert_add(e, PA_EX_TCP_ACK_NONZERO, fr);
    if ((fl & PA_TCP_ACK) && p->tcp.nsack) {
        /* D-SACK (RFC 2883): the first block reports data below the ACK, or
         * inside the second block */
        uint32_t l0 = p->tcp.sack[0][0], r0 = p->tcp.sack[0][1];
        bool below = (int32_t)(l0 - p->tcp.ack) < 0;
        bool inside =
            p->tcp.nsack > 1 && (int32_t)(l0 - p->tcp.sack[1][0]) >= 0 && (int32_t)(r0 - p->tcp.sack[1][1]) <= 0;
        if (below || inside) pa_expert_add(e, PA_EX_TCP_DSACK, fr);
    }
    if (ta & (PA_TA_RETRANSMISSION | PA_TA_FAST_RETRANSMISSION | PA_TA_SPURIOUS_RETRANSMISSION))
        pa_expert_add(e, PA_EX_TCP_RETRANS, fr);
    static const struct {
        uint32_t flag;
        pa_expert_id id;
    } map[] = {{PA_TA_FAST_RETRANSMISSION, PA_EX_TCP_FAST_RETRANS},
               {PA_TA_SPURIOUS_RETRANSMISSION, PA_EX_TCP_SPURIOUS},
               {PA_TA_OUT_OF_ORDER, PA_EX_TCP_OUT_OF_ORDER},
               {PA_TA_LOST_SEGMENT, PA_EX_TCP_LOST},
               {PA_TA_ACK_LOST_SEGMENT, PA_EX_TCP_ACK_LOST},
               {PA_TA_ZERO_WINDOW, PA_EX_TCP_ZERO_WINDOW},
               {PA_TA_ZERO_WINDOW_PROBE, PA_EX_TCP_ZWP},
               {PA_TA_ZERO_WINDOW_PROBE_ACK, PA_EX_TCP_ZWP_ACK},
               {PA_TA_WINDOW_FULL, PA_EX_TCP_WINDOW_FULL},
               {PA_TA_WINDOW_UPDATE, PA_EX_TCP_WINDOW_UPDATE},
               {PA_TA_KEEP_ALIVE, PA_EX_TCP_KEEP_ALIVE},
               {PA_TA_KEEP_ALIVE_ACK, PA_EX_TCP_KEEP_ALIVE_ACK},
               {PA_TA_REUSED_PORTS, PA_EX_TCP_REUSED_PORTS}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (ta & map[i].flag) pa_expert_add(e, map[i].id, fr);
    if (ta & PA_TA_DUPLICATE_ACK) pa_expert_add(e, PA_EX_TCP_DUP_ACK, fr, (unsigned)dup_num);
}

/* The ICMP checksum, which Wireshark verifies by default (unlike TCP's and
 * UDP's, which offloading makes meaningless on the sender): only over a
 * whole, unfragmented message. Returns the right value, or -1 when the
 * checksum verifies or cannot be checked. */
static int icmp_checksum_should(const pa_packet *p) {
    if (p->l4 != PA_P_ICMP || p->is_fragment || !p->payload || p->payload_len != p->payload_wire_len ||
        p->caplen < p->wirelen)
        return -1;
    const uint8_t *b = p->payload - 4; /* type, code, checksum: read by the decoder */
    size_t n = (size_t)p->payload_len + 4;
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        if (i != 2) sum += (uint32_t)(b[i] << 8 | b[i + 1]);
    if (n & 1) sum += (uint32_t)b[n - 1] << 8;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    uint16_t want = (uint16_t)~sum, got = (uint16_t)(b[2] << 8 | b[3]);
    /* 0x0000 and 0xffff are the same number in one's complement */
    if (got == want || (got == 0xffff && want == 0) || (got == 0 && want == 0xffff)) return -1;
    return want;
}

/* Wireshark's messages about the frame's Ethernet, IPv4 and ICMP headers. */
static void expert_frame(pa_model *m, const pa_packet *p) {
    pa_expert *e = &m->expert;
    int should = icmp_checksum_should(p);
    if (should >= 0) pa_expert_add(e, PA_EX_ICMP_BAD_CHECKSUM, p->frame_no, (unsigned)should);
    if (p->has_eth && (p->eth_src[0] & 1)) pa_expert_add(e, PA_EX_ETH_SRC_GROUP, p->frame_no);
    if (p->ip_wire_avail) pa_expert_add(e, PA_EX_IP_LEN_BEYOND, p->frame_no, (unsigned)p->ip_wire_avail);
    if (p->ip_ver == 4) {
        const uint8_t *d = p->dst.b;
        bool lncb = d[0] == 224 && d[1] == 0 && d[2] == 0; /* 224.0.0.0/24 */
        bool mcast = d[0] >= 224 && d[0] <= 239;
        if (lncb) {
            /* TTL 255 is what mDNS and VRRP send, by their RFCs */
            if (p->ttl != 1 && p->ttl != 255 && p->ip_proto != 103 /* PIM */)
                pa_expert_add(e, PA_EX_IP_TTL_LNCB, p->frame_no);
        } else if (!mcast && p->ttl < 5 && p->ip_proto != 103) {
            pa_expert_add(e, PA_EX_IP_TTL_LOW, p->frame_no, (unsigned)p->ttl);
        }
    }
}

static void note_tcp(pass *ps, pa_flow *f, const pa_packet *p, bool src_is_a, bool reused) {
    pa_model *m = ps->m;
    if (!f->tcp) {
        f->tcp = calloc(1, sizeof *f->tcp); /* once per connection, not per packet */
        if (!f->tcp) {
            m->tcp_states_dropped++;
            return;
        }
    }
    pa_tcp_result r;
    pa_tcp_analyze(f->tcp, p, src_is_a ? 0 : 1, &r);
    if (reused) {
        r.flags |= PA_TA_REUSED_PORTS;
        f->tcp->count[src_is_a ? 0 : 1][PA_TA_BIT_REUSED_PORTS]++;
    }
    if (p->payload_wire_len) m->tcp_data_segments++;
    if (r.has_rtt) pa_dist_add(&m->rtt, r.ack_rtt_ns, PA_PCTL_KEEP_CAPTURE);
    if ((r.flags & PA_TA_DUPLICATE_ACK) && m->ndupacks < PA_TA_FIRST_FRAMES) {
        m->dupacks[m->ndupacks].frame = p->frame_no;
        m->dupacks[m->ndupacks].dup_of = r.dupack_frame;
        m->dupacks[m->ndupacks].num = r.dupack_num;
        m->ndupacks++;
    }
    if (r.stall_ended)
        note_stall(m, f, src_is_a ? 0 : 1, true, r.stall_frame, p->frame_no, p->ts_ns - r.stall_ns, r.stall_ns,
                   r.stall_probes);
    ps->last_tcp_flags = r.flags;
    expert_tcp(m, f, p, src_is_a ? 0 : 1, r.flags, r.dupack_num);
    if (ps->opts && ps->opts->on_frame) {
        pa_frame_ctx *c = &ps->fctx;
        const pa_tcp_dir *me = &f->tcp->dir[src_is_a ? 0 : 1], *peer = &f->tcp->dir[src_is_a ? 1 : 0];
        c->tcp_analysed = true;
        c->ta_flags = r.flags;
        c->dup_num = r.dupack_num;
        c->has_rtt = r.has_rtt;
        c->rtt_ns = r.ack_rtt_ns;
        c->seq_base_known = me->base_known;
        c->seq_base = me->base;
        c->ack_base_known = peer->base_known;
        c->ack_base = peer->base;
        c->wscale = me->wscale;
    }
    for (unsigned b = 0; b < PA_TA_COUNT; b++) {
        if (!(r.flags & (1u << b))) continue;
        uint64_t n = m->ta_count[b]++;
        if (n < PA_TA_FIRST_FRAMES) m->ta_frames[b][n] = p->frame_no;
    }
    if (ps->opts && ps->opts->on_tcp) ps->opts->on_tcp(ps->opts->on_tcp_ud, p->frame_no, &r);
}

/* A protocol found in the payload on a port registered for another one
 * (TLS on 80, HTTP on 443, SSH on 443 ...), or DNS off its ports. */
static void note_port_use(pa_model *m, pa_flow *f, const pa_packet *p, bool from_init) {
    uint16_t server_port = from_init ? p->dport : p->sport;
    pa_proto app = (pa_proto)f->app;
    if (p->l4 == PA_P_UDP && app == PA_P_NONE && !f->sec.udp_probed) {
        f->sec.udp_probed = true;
        for (int i = 0; i < PA_AN_COUNT; i++)
            if (pa_analyzers[i]->probe_udp && pa_analyzers[i]->probe_udp(p)) {
                pa_sec_port_mismatch(&m->sec, p, (pa_proto)pa_analyzers[i]->proto, PA_P_NONE, server_port, from_init);
                break;
            }
        return;
    }
    if (p->l4 != PA_P_TCP || app == PA_P_NONE) return;
    pa_proto by_port = pa_app_by_port(p->l4, p->sport, p->dport);
    if (by_port == PA_P_NONE || by_port == app) return;
    uint16_t port =
        pa_app_by_port(p->l4, server_port, server_port) == by_port ? server_port : (from_init ? p->sport : p->dport);
    pa_sec_port_mismatch(&m->sec, p, app, by_port, port, from_init);
}

/* A TCP segment goes, in table order, to each analyzer that follows the
 * flow, serves the protocol it was named, or sees its payload start its
 * protocol (STARTTLS). */
static void note_segment(pass *ps, pa_flow *f, const pa_packet *p, int from) {
    pa_app_segment s = {
        .p = p, .from = from, .app = f->app, .stream = f->stream, .tcp = f->tcp, .continued = f->mp_continued};
    uint64_t attached = 0;
    for (int j = 0; j < PA_AN_COUNT; j++)
        if (f->app_state[j]) attached |= 1ull << j;
    for (int k = 0; k < hooks.nseg; k++) {
        int i = hooks.seg[k];
        const pa_analyzer *an = pa_analyzers[i];
        if (s.continued && !an->continued) continue;
        if (!f->app_state[i] && f->app != an->proto && !(an->upgrade && an->upgrade(p->payload, p->payload_len)))
            continue;
        s.attached = attached;
        an->segment(pa_fold_app(ps->m, i), &ps->env[i], &f->app_state[i], &s);
        /* the next ones see what it attached or let go */
        attached = f->app_state[i] ? attached | 1ull << i : attached & ~(1ull << i);
    }
}

static void note_flow(pass *ps, pa_packet *p) {
    pa_model *m = ps->m;
    bool src_is_a, created;
    pa_flow *f = flow_for(m, p, &src_is_a, &created);
    ps->flow = f;
    ps->flow_src_a = src_is_a;
    if (!f) {
        m->flows_untracked_pkts++;
        return;
    }
    bool reused = false;
    if (!created && p->l4 == PA_P_TCP && f->tcp && pa_tcp_is_port_reuse(f->tcp, p, src_is_a ? 0 : 1)) {
        /* A new connection on the same ports: the old one is retired and a
         * new conversation (and tcp.stream) starts, as in Wireshark. */
        pa_flow_key key = f->key;
        keep_retired(m, f);
        memset(f, 0, sizeof *f);
        f->key = key;
        created = true;
        reused = true;
    }
    if (created) {
        f->stream = m->next_stream[p->ip_proto]++;
        m->flow_count[p->ip_proto]++;
        f->a_first = src_is_a;
        f->first_ts = p->ts_ns;
        f->first_frame = p->frame_no;
        f->app = PA_P_NONE;
    }
    if (!created && p->ts_ns - f->last_ts > f->max_gap_ns) {
        f->max_gap_ns = p->ts_ns - f->last_ts;
        f->max_gap_frame = p->frame_no;
    }
    int side = src_is_a ? 0 : 1;
    if (f->side_last_ts[side]) {
        int64_t iat = p->ts_ns - f->side_last_ts[side];
        if (f->side_last_iat[side]) {
            int64_t d = iat - f->side_last_iat[side];
            f->jitter_ns[side] += ((double)(d < 0 ? -d : d) - f->jitter_ns[side]) / 16.0;
        }
        f->side_last_iat[side] = iat > 0 ? iat : 1;
    }
    f->side_last_ts[side] = p->ts_ns;
    f->last_ts = p->ts_ns;
    f->last_frame = p->frame_no;
    pa_conn_update(&f->zeek, p, src_is_a);
    if (ps) {
        ps->fctx.has_stream = p->l4 == PA_P_TCP || p->l4 == PA_P_UDP;
        ps->fctx.stream = f->stream;
    }
    if (p->l4 == PA_P_TCP && ps) note_tcp(ps, f, p, src_is_a, reused);
    if (p->l4 == PA_P_TCP)
        pa_sec_tcp(&m->sec, &f->sec, p, src_is_a == f->a_first, created);
    else if (created && p->l4 == PA_P_UDP)
        pa_sec_udp_start(&m->sec, p);
    if (src_is_a) {
        f->pkts_a++;
        f->bytes_a += p->wirelen;
        f->payload_a += p->payload_wire_len;
        f->flags_a |= p->tcp.flags;
        if (p->ip_len > f->max_ip_len[0]) f->max_ip_len[0] = p->ip_len;
    } else {
        f->pkts_b++;
        f->bytes_b += p->wirelen;
        f->payload_b += p->payload_wire_len;
        f->flags_b |= p->tcp.flags;
        if (p->ip_len > f->max_ip_len[1]) f->max_ip_len[1] = p->ip_len;
    }
    /* A flow is named by the first payload a look accepts (never by its
     * port); its later payloads by the look's next (a TCP segment keeps the
     * flow's name unless it names a successor; a UDP datagram carries what
     * it says, as WebRTC multiplexes STUN, DTLS and media on one flow). */
    if (p->payload_len && (p->l4 == PA_P_TCP || p->l4 == PA_P_UDP)) {
        pa_proto here;
        if (f->app == PA_P_NONE) {
            here = (pa_proto)pa_fold_mptcp_joined(m, f); /* an MPTCP subflow is its connection's */
            if (here == PA_P_NONE) here = pa_app_detect(p);
            f->app = (uint8_t)here;
            note_port_use(m, f, p, src_is_a == f->a_first);
        } else {
            here = pa_app_next((pa_proto)f->app, p);
            if (p->l4 == PA_P_TCP) {
                if (here != PA_P_NONE) f->app = (uint8_t)here;
                here = (pa_proto)f->app;
            }
        }
        p->app = here == PA_P_NONE ? PA_P_DATA : here;
    }
    if (p->l4 == PA_P_TCP && (p->tcp.nmptcp || f->mp_keys)) pa_fold_mptcp(m, f, p, side);
    if (f->app_done) return; /* closed: nothing new can reach the parsers */
    if (p->l4 == PA_P_TCP && ps && !ps->no_apps) note_segment(ps, f, p, src_is_a ? 0 : 1);
    if (f->tcp && tcp_finished(f)) {
        finish_apps(m, f);
        pa_tcp_trim(f->tcp);
        f->app_done = true;
    }
}

/* A tunnelled frame also belongs to each tunnel's own conversation (the
 * outer IP pair and, for VXLAN/Geneve/Teredo, its UDP ports), as in
 * Wireshark's conversation tables and Zeek's conn.log. */
static void note_tunnels(pass *ps, const pa_packet *p) {
    pa_model *m = ps->m;
    for (uint8_t i = 0; i < p->ntun; i++) {
        const struct pa_tunnel_hop *h = &p->tun[i];
        pa_packet q;
        memset(&q, 0, sizeof q);
        q.frame_no = p->frame_no;
        q.ts_ns = p->ts_ns;
        q.caplen = p->caplen;
        q.wirelen = p->wirelen;
        q.has_eth = p->has_eth && i == 0; /* the capture link's MACs belong to the outermost */
        memcpy(q.eth_src, p->eth_src, 6);
        memcpy(q.eth_dst, p->eth_dst, 6);
        q.nvlan = p->nvlan;
        memcpy(q.vlan, p->vlan, sizeof q.vlan);
        q.ip_ver = h->src.family;
        q.src = h->src;
        q.dst = h->dst;
        q.ip_proto = h->ip_proto;
        q.ttl = h->ttl;
        q.l4 = h->l4;
        q.sport = h->sport;
        q.dport = h->dport;
        q.has_outer_ip = i > 0;
        uint32_t hdrs = (q.ip_ver == 6 ? 40u : 20u) + (q.l4 == PA_P_UDP ? 8u : 0u);
        q.payload_wire_len = h->ip_len > hdrs ? h->ip_len - hdrs : 0;
        ps->flow = NULL;
        note_flow(ps, &q);
        pa_fold_hosts(m, &q, ps->flow ? &ps->flow->hints : NULL, !ps->flow_src_a);
        if (q.l4 == PA_P_UDP && i < PA_MAX_ENCAP_DEPTH + 1) ps->fctx.xip_udp_stream[i] = ps->fctx.stream;
    }
}

/* The live flow of the TCP or UDP header an ICMP error quotes, when the
 * capture holds it (the quote does not start one). */
static const pa_flow *quoted_flow(pass *ps, const pa_packet *p, const struct pa_ip_layer *x) {
    if (!x->quoted || (x->l4 != PA_P_UDP && x->l4 != PA_P_TCP)) return NULL;
    pa_packet q;
    memset(&q, 0, sizeof q);
    q.ip_ver = x->ver;
    q.src = x->src;
    q.dst = x->dst;
    q.ip_proto = x->l4 == PA_P_TCP ? 6 : 17;
    q.l4 = x->l4;
    q.sport = x->sport;
    q.dport = x->dport;
    q.nvlan = p->nvlan;
    memcpy(q.vlan, p->vlan, sizeof q.vlan);
    pa_flow_key k;
    bool a;
    flow_key(&q, &k, &a);
    return pa_htab_find(&ps->m->flows, &k);
}

/* udp.stream of the UDP header an ICMP error quotes. */
static void quoted_streams(pass *ps, const pa_packet *p) {
    for (uint8_t i = 0; i < p->nxip; i++) {
        const pa_flow *f = p->xip[i].l4 == PA_P_UDP ? quoted_flow(ps, p, &p->xip[i]) : NULL;
        if (f) ps->fctx.xip_udp_stream[i] = f->stream;
    }
}

/* An ICMP error, with the stream of the conversation it quotes. */
static void note_icmp(pass *ps, const pa_packet *p) {
    const struct pa_ip_layer *x = pa_icmp_quote(p);
    const pa_flow *f = x ? quoted_flow(ps, p, x) : NULL;
    pa_icmp_note(&ps->m->icmp, p, f ? (int64_t)f->stream : -1);
}

/* ---- the pass ---------------------------------------------------------- */

/* An analyzer found the datagram to be its protocol by its own state (RTP
 * on an announced port): the packet carries it, and so does its flow when
 * no look named it. */
static void name_by_analyzer(pass *ps, pa_packet *p, uint8_t proto) {
    p->app = (pa_proto)proto;
    if (ps->flow && ps->flow->app == PA_P_NONE) ps->flow->app = proto;
}

/* A media flow an analyzer announced goes to every analyzer that expects
 * flows (SDP to RTP). */
static void pass_expect(void *ud, const pa_app_expect *e) {
    pass *ps = ud;
    for (int i = 0; i < PA_AN_COUNT; i++)
        if (pa_analyzers[i]->expected) pa_analyzers[i]->expected(pa_fold_app(ps->m, i), e);
}

/* Bytes one analyzer carries for another (DCE/RPC in an SMB2 pipe). */
static void pass_carry(void *ud, int to, const pa_app_carried *c) {
    pass *ps = ud;
    if (to >= 0 && to < PA_AN_COUNT && pa_analyzers[to]->carried)
        pa_analyzers[to]->carried(pa_fold_app(ps->m, to), &ps->env[to], c);
}

void pa_fold_frame(pass *ps, const pa_frame *fr, uint64_t frame_no) {
    pa_model *m = ps->m;
    pa_packet p;
    memset(&p, 0, sizeof p);
    int linktype = fr->linktype;
    const uint8_t *data = fr->data;
    p.frame_no = frame_no;
    p.ts_ns = fr->ts_ns;
    p.caplen = fr->caplen;
    p.wirelen = fr->len;
    p.linktype = linktype;

    if (m->packets == 0) {
        m->first_ts = m->last_ts = m->bins_from_ts = p.ts_ns;
        m->first_frame = frame_no;
        ps->t0 = p.ts_ns;
        for (int i = 0; i < PA_AN_COUNT; i++) ps->env[i].first_ts_ns = p.ts_ns;
    } else if (p.ts_ns < ps->prev_ts) {
        m->time_backwards++;
        pa_packet_anom(&p, PA_A_TIME_BACKWARDS);
    }
    pa_fold_gap(m, &p, ps->prev_ts);
    ps->prev_ts = m->last_frame_ts = p.ts_ns;
    m->last_frame = frame_no;
    if (p.ts_ns < m->first_ts) m->first_ts = p.ts_ns;
    if (p.ts_ns > m->last_ts) m->last_ts = p.ts_ns;
    m->packets++;
    m->wire_bytes += p.wirelen;
    m->cap_bytes += p.caplen;
    if (p.caplen < p.wirelen) m->truncated_frames++;
    note_linktype(m, linktype);
    if (!pa_decode_linktype_supported(linktype)) m->unsupported_link_frames++;

    if (ps->keep) ps->keep->cur = frame_no;
    ps->last_tcp_flags = 0;
    memset(&ps->fctx, 0, sizeof ps->fctx);
    ps->frame_no = frame_no;
    for (int i = 0; i < PA_AN_COUNT; i++) ps->env[i].frame_no = frame_no;
    for (int k = 0; k < hooks.npdu; k++) ps->env[hooks.pdu[k]].pdus = 0; /* read for those only (frame_app) */
    if (ps->frame_buf[0]) /* the analyzers' facts of a frame are kept for on_frame */
        for (int i = 0; i < PA_AN_COUNT; i++)
            if (ps->env[i].frame) pa_analyzers[i]->frame_reset(ps->env[i].frame);
    for (size_t i = 0; i < sizeof ps->fctx.xip_udp_stream / sizeof ps->fctx.xip_udp_stream[0]; i++)
        ps->fctx.xip_udp_stream[i] = -1;
    pa_decode_frame(ps->dec, linktype, data, &p);
    if (p.ntun) note_tunnels(ps, &p);
    ps->flow = NULL;
    if (p.ip_ver && !p.is_fragment) note_flow(ps, &p);
    pa_flow_hints *hints = ps->flow ? &ps->flow->hints : NULL;
    int src_side = !ps->flow_src_a;
    if (p.nxip && ps->opts && ps->opts->on_frame) quoted_streams(ps, &p);
    if (p.payload_len && (p.l4 == PA_P_UDP || p.l4 == PA_P_TCP) && !ps->no_apps) {
        const uint8_t *list = p.l4 == PA_P_UDP ? hooks.udp : hooks.tcp;
        int n = p.l4 == PA_P_UDP ? hooks.nudp : hooks.ntcp;
        for (int k = 0; k < n; k++) {
            int i = list[k];
            ps->env[i].named = PA_P_NONE;
            pa_analyzers[i]->packet(pa_fold_app(m, i), &ps->env[i], &p, ps->flow ? (int64_t)ps->flow->stream : -1);
            if (ps->env[i].named) name_by_analyzer(ps, &p, ps->env[i].named);
        }
    }
    if (ps->apps_only) return; /* its statistics are the other pass's */
    if (p.ip_ver) pa_fold_hosts(m, &p, hints, src_side);
    if ((p.l4 == PA_P_ICMP || p.l4 == PA_P_ICMPV6) && !p.is_fragment) {
        pa_sec_icmp_pkt(&m->sec, &p);
        note_icmp(ps, &p);
    }
    if (p.has_arp) {
        pa_sec_arp_pkt(&m->sec, &p);
        pa_expert_arp_pkt(&m->expert, &p);
    }
    if (p.has_eth) pa_fold_eth(m, &p, hints, src_side);
    expert_frame(m, &p);
    if (p.reassembled) m->frags_reassembled++;
    if (p.is_fragment || p.reassembled) {
        /* a reassembled datagram's largest packet on the wire is its largest fragment */
        uint32_t big = pa_fragt_note(&m->frags, &p);
        uint32_t *mx = ps->flow && p.reassembled ? &ps->flow->max_ip_len[ps->flow_src_a ? 0 : 1] : NULL;
        if (mx && big > *mx) *mx = big;
    }
    if (p.ip_ver)
        pa_icmp_note_size(&m->icmp, &p, (ps->last_tcp_flags & (PA_TA_RETRANSMISSION | PA_TA_FAST_RETRANSMISSION)) != 0,
                          ps->flow && (p.l4 == PA_P_TCP || p.l4 == PA_P_UDP) ? (int64_t)ps->flow->stream : -1);
    note_hierarchy(ps, m, &p);
    note_anomalies(m, &p);
    pa_fold_time(m, &p);
    pa_fold_time_tcp(m, &p, ps->last_tcp_flags);
    if (ps->opts && ps->opts->on_frame) {
        ps->fctx.first_ts = ps->t0;
        for (int i = 0; i < PA_AN_COUNT; i++)
            ps->fctx.app[i] =
                ps->env[i].frame && pa_analyzers[i]->frame_has(ps->env[i].frame) ? ps->env[i].frame : NULL;
        ps->opts->on_frame(ps->opts->on_frame_ud, &p, data, &ps->fctx);
    }
}

/* Ends the connections still open, then each analyzer's table; shrinks the
 * bins array to what was used and adds up the memory held. */
void pa_fold_finish(pa_model *m) {
    for (size_t i = 0; i < m->flows.cap; i++) {
        if (!m->flows.used[i]) continue;
        pa_flow *f = pa_htab_at(&m->flows, i);
        for (int a = 0; a < PA_AN_COUNT; a++)
            if (f->app_state[a] && pa_analyzers[a]->flow_finish)
                pa_analyzers[a]->flow_finish(pa_fold_app(m, a), f->app_state[a]);
    }
    for (int a = 0; a < PA_AN_COUNT; a++)
        if (pa_analyzers[a]->finish) pa_analyzers[a]->finish(pa_fold_app(m, a));
    /* Zero windows still closed when the capture ends are stalls too. */
    for (size_t i = 0; i < m->flows.cap; i++) {
        if (!m->flows.used[i]) continue;
        const pa_flow *f = pa_htab_at(&m->flows, i);
        for (int side = 0; f->tcp && side < 2; side++)
            if (f->tcp->in_stall[side])
                note_stall(m, f, side, false, f->tcp->stall_frame[side], 0, f->tcp->stall_start[side],
                           m->last_ts - f->tcp->stall_start[side], f->tcp->stall_probes[side]);
    }
    if (m->nbins == 0) m->nbins = m->packets ? 1 : 0;
    pa_bin *b = realloc(m->bins, (m->nbins ? m->nbins : 1) * sizeof *b);
    if (b) m->bins = b;
    if (m->nretired > 1) qsort(m->retired, m->nretired, sizeof *m->retired, cmp_bytes_desc);
    m->memory = sizeof *m + m->nbins * sizeof(pa_bin) + PA_MAX_RETIRED_KEPT * sizeof(pa_flow) +
                pa_htab_memory(&m->flows) + pa_htab_memory(&m->endpoints) + pa_htab_memory(&m->ip_convs) +
                pa_htab_memory(&m->eth_endpoints) + pa_htab_memory(&m->eth_convs) + pa_htab_memory(&m->mptcp) +
                pa_htab_memory(&m->expert.texts) + pa_htab_memory(&m->expert.nums) + pa_htab_memory(&m->expert.arp) +
                pa_sec_memory(&m->sec) + pa_samples_memory(&m->rtt.kept) + pa_fold_app_memory(m) +
                pa_icmp_memory(&m->icmp) + pa_fragt_memory(&m->frags);
}

bool pa_fold_start(pass *ps, const pa_engine_opts *opts) {
    pthread_once(&hooks.once, hooks_build);
    memset(ps, 0, sizeof *ps);
    ps->opts = opts;
    ps->m = pa_fold_model_new();
    ps->dec = malloc(sizeof *ps->dec);
    if (!ps->m || !ps->dec) {
        pa_model_free(ps->m);
        free(ps->dec);
        ps->m = NULL;
        ps->dec = NULL;
        return false;
    }
    pa_decoder_init(ps->dec);
    /* each analyzer's facts of a frame, when someone reads them */
    if (opts && opts->on_frame) {
        size_t total = 0;
        for (int i = 0; i < PA_AN_COUNT; i++) total += (pa_analyzers[i]->frame_size + 15) & ~(size_t)15;
        char *buf = calloc(1, total ? total : 1);
        if (!buf) {
            pa_fold_end(ps);
            pa_model_free(ps->m);
            ps->m = NULL;
            return false;
        }
        for (int i = 0; i < PA_AN_COUNT; i++) {
            ps->frame_buf[i] = buf;
            buf += (pa_analyzers[i]->frame_size + 15) & ~(size_t)15;
        }
    }
    for (int i = 0; i < PA_AN_COUNT; i++) {
        pa_app_env *env = &ps->env[i];
        env->frame = ps->frame_buf[i];
        if (opts) {
            env->on_event = opts->on_app;
            env->on_event_ud = opts->on_app_ud;
            env->heuristic = (opts->heuristics >> i) & 1;
        }
        env->expect = pass_expect;
        env->expect_ud = ps;
        env->carry = pass_carry;
        env->carry_ud = ps;
        if (pa_analyzers[i]->bind) pa_analyzers[i]->bind(pa_fold_app(ps->m, i), env);
    }
    return true;
}

/* Fragments still waiting are incomplete; the decoder goes. */
void pa_fold_end(pass *ps) {
    if (!ps->dec) return;
    pa_frag_finish(&ps->dec->frag);
    if (ps->m) {
        ps->m->frags_incomplete = ps->dec->frag.incomplete;
        ps->m->anom_count[PA_A_FRAG_INCOMPLETE] += ps->dec->frag.incomplete;
    }
    pa_decoder_free(ps->dec);
    free(ps->dec);
    ps->dec = NULL;
    /* what analyzers report from now on (connections ending) is no frame's */
    free(ps->frame_buf[0]);
    for (int i = 0; i < PA_AN_COUNT; i++) ps->env[i].frame = ps->frame_buf[i] = NULL;
}
