/* TCP health with Wireshark's definitions: analyze_tcp_retransmissions,
 * analyze_tcp_zero_window, analyze_tcp_window_scaling,
 * analyze_packet_timing_issues, analyze_congestion_indicators. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_tcp_common.h"
#include "util_fmt.h"


/* ---- analyze_tcp_retransmissions ---------------------------------------- */

static double retrans_score(const pa_conn *c) { return pa_conn_count(c, PA_TA_BIT_RETRANSMISSION); }
static uint32_t bin_retrans(const pa_bin *b) { return b->retrans; }

static void run_retrans(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_text_capture_header(t, &l);
    uint64_t rt = m->ta_count[PA_TA_BIT_RETRANSMISSION],
             fast = m->ta_count[PA_TA_BIT_FAST_RETRANSMISSION],
             spur = m->ta_count[PA_TA_BIT_SPURIOUS_RETRANSMISSION];
    double rate = pa_pct((double)rt, (double)m->tcp_data_segments);
    pa_buf_printf(t,
                  "%llu retransmissions (%llu fast, %llu spurious, %llu other) among %llu TCP data "
                  "segments: %.2f%%.\n",
                  (unsigned long long)rt, (unsigned long long)fast, (unsigned long long)spur,
                  (unsigned long long)(rt >= fast + spur ? rt - fast - spur : 0),
                  (unsigned long long)m->tcp_data_segments, rate);
    pa_conn *cv;
    size_t n = pa_tcp_conns(m, &cv), lim = pa_arg_limit(args), affected = 0;
    pa_conn_sort(cv, n, retrans_score, n); /* all: it counts those with any */
    json_t *worst = json_array();
    for (size_t i = 0; i < n; i++) {
        const pa_conn *c = &cv[i];
        uint32_t r = pa_conn_count(c, PA_TA_BIT_RETRANSMISSION);
        if (!r) break;
        affected++;
        if (i >= lim) continue;
        uint32_t segs = c->f->tcp->data_segments[0] + c->f->tcp->data_segments[1];
        json_t *o = pa_conn_json(c);
        json_object_set_new(o, "retransmissions", json_integer(r));
        json_object_set_new(o, "fast", json_integer(pa_conn_count(c, PA_TA_BIT_FAST_RETRANSMISSION)));
        json_object_set_new(o, "spurious", json_integer(pa_conn_count(c, PA_TA_BIT_SPURIOUS_RETRANSMISSION)));
        json_object_set_new(o, "from_client", json_integer(pa_conn_count_side(c, PA_TA_BIT_RETRANSMISSION, true)));
        json_object_set_new(o, "from_server", json_integer(pa_conn_count_side(c, PA_TA_BIT_RETRANSMISSION, false)));
        json_object_set_new(o, "data_segments", json_integer(segs));
        json_object_set_new(o, "rate_pct", json_real(pa_pct(r, segs)));
        json_object_set_new(o, "retransmitted_bytes",
                            json_integer((json_int_t)(c->f->tcp->retrans_bytes[0] + c->f->tcp->retrans_bytes[1])));
        json_array_append_new(worst, o);
        if (i < 10) {
            pa_buf_puts(t, "  ");
            pa_conn_text(t, c);
            pa_buf_printf(t, ": %u retransmissions (%.1f%% of %u data segments)\n", r, pa_pct(r, segs), segs);
        }
    }
    if (affected) pa_buf_printf(t, "%zu of %zu connections retransmitted.\n", affected, n);
    json_t *series = pa_problem_series(m, bin_retrans, 30, t, "retransmissions");
    pa_buf_puts(t, "Frames to inspect:");
    for (uint64_t i = 0; i < rt && i < 10; i++)
        pa_buf_printf(t, " %llu", (unsigned long long)m->ta_frames[PA_TA_BIT_RETRANSMISSION][i]);
    pa_buf_puts(t, rt ? "\n" : " none\n");
    res->structured = json_pack(
        "{s:o, s:{s:I, s:I, s:I, s:I, s:f}, s:I, s:I, s:o, s:o, s:{s:o, s:o, s:o}}", "capture",
        pa_capture_json(&l), "totals", "retransmissions", (json_int_t)rt, "fast", (json_int_t)fast,
        "spurious", (json_int_t)spur, "data_segments", (json_int_t)m->tcp_data_segments,
        "rate_pct", rate, "connections", (json_int_t)n, "connections_affected",
        (json_int_t)affected, "worst_connections", worst, "over_time", series, "frames",
        "retransmission", pa_ta_frames_json(m, PA_TA_BIT_RETRANSMISSION), "fast_retransmission",
        pa_ta_frames_json(m, PA_TA_BIT_FAST_RETRANSMISSION), "spurious_retransmission",
        pa_ta_frames_json(m, PA_TA_BIT_SPURIOUS_RETRANSMISSION));
    free(cv);
    pa_tool_unload(&l);
}

/* ---- analyze_tcp_zero_window ---------------------------------------------- */

static int stall_desc(const void *x, const void *y) {
    const pa_stall *a = x, *b = y;
    return a->dur_ns < b->dur_ns ? 1 : a->dur_ns > b->dur_ns ? -1 : 0;
}

static double zw_score(const pa_conn *c) {
    return (double)(c->f->tcp->zw_total_ns[0] + c->f->tcp->zw_total_ns[1]) +
           pa_conn_count(c, PA_TA_BIT_ZERO_WINDOW);
}

static void run_zero_window(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_text_capture_header(t, &l);
    uint64_t zw = m->ta_count[PA_TA_BIT_ZERO_WINDOW];
    pa_buf_printf(t,
                  "%llu zero-window segments (RST, SYN and FIN excluded) in %llu stalls; %llu "
                  "zero-window probes, %llu probe ACKs, %llu window updates.\n",
                  (unsigned long long)zw, (unsigned long long)m->stall_count,
                  (unsigned long long)m->ta_count[PA_TA_BIT_ZERO_WINDOW_PROBE],
                  (unsigned long long)m->ta_count[PA_TA_BIT_ZERO_WINDOW_PROBE_ACK],
                  (unsigned long long)m->ta_count[PA_TA_BIT_WINDOW_UPDATE]);
    pa_stall st[PA_MAX_STALLS];
    memcpy(st, m->stalls, m->nstalls * sizeof st[0]);
    qsort(st, m->nstalls, sizeof st[0], stall_desc);
    json_t *stalls = json_array();
    size_t lim = pa_arg_limit(args);
    for (size_t i = 0; i < m->nstalls && i < lim; i++) {
        const pa_stall *s = &st[i];
        /* who stalled: the receiver whose buffer was full */
        pa_addr who = {s->key.ver, {0}};
        memcpy(who.b, s->side == 0 ? s->key.a : s->key.b, 16);
        uint16_t port = s->side == 0 ? s->key.port_a : s->key.port_b;
        char ws[64];
        pa_addr_str(&who, ws, sizeof ws);
        json_t *o = json_pack("{s:I, s:o, s:i, s:I, s:f, s:f, s:I, s:b}", "stream", (json_int_t)s->stream,
                              "advertised_by", pa_json_addr(&who), "advertised_by_port", port,
                              "start_frame", (json_int_t)s->start_frame, "start_s",
                              (double)(s->start_ts - m->first_ts) / 1e9, "duration_s",
                              (double)s->dur_ns / 1e9, "probes", (json_int_t)s->probes, "ended",
                              s->ended);
        if (s->ended) json_object_set_new(o, "ended_by_frame", json_integer((json_int_t)s->end_frame));
        json_array_append_new(stalls, o);
        if (i < 10)
            pa_buf_printf(t, "  stream %u: %s:%u advertised a zero window at frame %llu for %.3f s%s%s\n",
                          s->stream, ws, port, (unsigned long long)s->start_frame,
                          (double)s->dur_ns / 1e9, s->ended ? "" : " (still closed at the end)",
                          s->probes ? ", probed" : "");
    }
    pa_conn *cv;
    size_t n = pa_tcp_conns(m, &cv);
    pa_conn_sort(cv, n, zw_score, lim);
    json_t *worst = json_array();
    for (size_t i = 0; i < n && i < lim; i++) {
        const pa_conn *c = &cv[i];
        if (!pa_conn_count(c, PA_TA_BIT_ZERO_WINDOW)) break;
        json_t *o = pa_conn_json(c);
        json_object_set_new(o, "zero_window_segments", json_integer(pa_conn_count(c, PA_TA_BIT_ZERO_WINDOW)));
        json_object_set_new(o, "by_client", json_integer(pa_conn_count_side(c, PA_TA_BIT_ZERO_WINDOW, true)));
        json_object_set_new(o, "by_server", json_integer(pa_conn_count_side(c, PA_TA_BIT_ZERO_WINDOW, false)));
        json_object_set_new(o, "stalls", json_integer(c->f->tcp->zw_events[0] + c->f->tcp->zw_events[1]));
        json_object_set_new(o, "stalled_s", json_real((double)(c->f->tcp->zw_total_ns[0] + c->f->tcp->zw_total_ns[1]) / 1e9));
        json_object_set_new(o, "longest_stall_s",
                            json_real((double)(c->f->tcp->zw_max_ns[0] > c->f->tcp->zw_max_ns[1] ? c->f->tcp->zw_max_ns[0] : c->f->tcp->zw_max_ns[1]) / 1e9));
        json_object_set_new(o, "window_updates", json_integer(pa_conn_count(c, PA_TA_BIT_WINDOW_UPDATE)));
        json_array_append_new(worst, o);
    }
    if (!zw) pa_buf_puts(t, "No zero windows: no receiver ran out of buffer.\n");
    res->structured = json_pack(
        "{s:o, s:{s:I, s:I, s:I, s:I, s:I}, s:o, s:o, s:{s:o, s:o}}", "capture", pa_capture_json(&l),
        "totals", "zero_window_segments", (json_int_t)zw, "stalls", (json_int_t)m->stall_count,
        "probes", (json_int_t)m->ta_count[PA_TA_BIT_ZERO_WINDOW_PROBE], "probe_acks",
        (json_int_t)m->ta_count[PA_TA_BIT_ZERO_WINDOW_PROBE_ACK], "window_updates",
        (json_int_t)m->ta_count[PA_TA_BIT_WINDOW_UPDATE], "longest_stalls", stalls,
        "worst_connections", worst, "frames", "zero_window",
        pa_ta_frames_json(m, PA_TA_BIT_ZERO_WINDOW), "window_update",
        pa_ta_frames_json(m, PA_TA_BIT_WINDOW_UPDATE));
    free(cv);
    pa_tool_unload(&l);
}

/* ---- analyze_tcp_window_scaling -------------------------------------------- */

static json_t *scale_json(int16_t ws) {
    if (ws == -1) return json_pack("{s:s}", "status", "unknown (handshake not captured)");
    if (ws == -2) return json_pack("{s:s, s:i}", "status", "not used", "multiplier", 1);
    return json_pack("{s:s, s:i, s:i}", "status", "scaling", "shift", ws, "multiplier", 1 << ws);
}

static double win_score(const pa_conn *c) {
    return (double)(c->f->tcp->max_window[0] > c->f->tcp->max_window[1] ? c->f->tcp->max_window[0]
                                                                       : c->f->tcp->max_window[1]);
}

static void run_window_scaling(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_text_capture_header(t, &l);
    pa_conn *cv;
    size_t n = pa_tcp_conns(m, &cv), lim = pa_arg_limit(args);
    size_t both = 0, none = 0, unknown = 0, one_sided = 0;
    for (size_t i = 0; i < n; i++) {
        int16_t a = cv[i].f->tcp->dir[0].wscale, b = cv[i].f->tcp->dir[1].wscale;
        if (a == -1 || b == -1) {
            unknown++;
            /* a SYN with the option whose SYN-ACK was not seen */
            if ((a >= 0) != (b >= 0) && (a == -2 || b == -2)) one_sided++;
        } else if (a == -2 && b == -2) {
            none++;
        } else {
            both++;
        }
    }
    /* -2 on both sides also covers "one side offered, the other did not" */
    pa_buf_printf(t,
                  "%zu TCP connections: %zu scale windows on both sides, %zu do not scale (at "
                  "least one side did not offer it), %zu unknown (handshake not captured).\n",
                  n, both, none, unknown);
    pa_buf_printf(t, "%llu window-full segments (data reaching the receiver's advertised window).\n",
                  (unsigned long long)m->ta_count[PA_TA_BIT_WINDOW_FULL]);
    pa_conn_sort(cv, n, win_score, lim);
    json_t *rows = json_array();
    for (size_t i = 0; i < n && i < lim; i++) {
        const pa_conn *c = &cv[i];
        json_t *o = pa_conn_json(c);
        json_object_set_new(o, "client_scale", scale_json(c->f->tcp->dir[c->cs].wscale));
        json_object_set_new(o, "server_scale", scale_json(c->f->tcp->dir[1 - c->cs].wscale));
        json_object_set_new(o, "client_max_window", json_integer((json_int_t)c->f->tcp->max_window[c->cs]));
        json_object_set_new(o, "server_max_window", json_integer((json_int_t)c->f->tcp->max_window[1 - c->cs]));
        json_object_set_new(o, "window_full", json_integer(pa_conn_count(c, PA_TA_BIT_WINDOW_FULL)));
        for (int side = 0; side < 2; side++) {
            const pa_tcp_dir *d = &c->f->tcp->dir[side == 0 ? c->cs : 1 - c->cs];
            json_t *opt = json_pack("{s:b, s:b, s:I}", "sack_permitted", d->sack_perm, "timestamps",
                                    d->timestamps, "segments_with_sack", (json_int_t)d->sack_segments);
            if (d->mss) json_object_set_new(opt, "mss", json_integer(d->mss));
            json_object_set_new(o, side == 0 ? "client_options" : "server_options", opt);
        }
        json_array_append_new(rows, o);
        if (i < 10) {
            pa_buf_puts(t, "  ");
            pa_conn_text(t, c);
            int16_t ws[2] = {c->f->tcp->dir[c->cs].wscale, c->f->tcp->dir[1 - c->cs].wscale};
            char d[2][24];
            for (int k = 0; k < 2; k++) {
                if (ws[k] == -1) snprintf(d[k], sizeof d[k], "unknown");
                else if (ws[k] == -2) snprintf(d[k], sizeof d[k], "none");
                else snprintf(d[k], sizeof d[k], "%d (x%d)", ws[k], 1 << ws[k]);
            }
            pa_buf_printf(t, ": client scale %s, server scale %s; largest windows %llu / %llu bytes\n",
                          d[0], d[1], (unsigned long long)c->f->tcp->max_window[c->cs],
                          (unsigned long long)c->f->tcp->max_window[1 - c->cs]);
        }
    }
    res->structured = json_pack("{s:o, s:{s:I, s:I, s:I, s:I, s:I}, s:o, s:o}", "capture",
                                pa_capture_json(&l), "totals", "connections", (json_int_t)n,
                                "scaling_both", (json_int_t)both, "scaling_not_used", (json_int_t)none,
                                "scaling_unknown", (json_int_t)unknown, "window_full",
                                (json_int_t)m->ta_count[PA_TA_BIT_WINDOW_FULL], "connections_by_window",
                                rows, "window_full_frames", pa_ta_frames_json(m, PA_TA_BIT_WINDOW_FULL));
    (void)one_sided;
    free(cv);
    pa_tool_unload(&l);
}

/* ---- analyze_packet_timing_issues ------------------------------------------- */

static double timing_score(const pa_conn *c) {
    return pa_conn_count(c, PA_TA_BIT_OUT_OF_ORDER) + pa_conn_count(c, PA_TA_BIT_DUPLICATE_ACK) +
           pa_conn_count(c, PA_TA_BIT_LOST_SEGMENT) + pa_conn_count(c, PA_TA_BIT_ACK_LOST_SEGMENT);
}

static int gap_desc(const void *x, const void *y) {
    const pa_flow *a = *(const pa_flow *const *)x, *b = *(const pa_flow *const *)y;
    return a->max_gap_ns < b->max_gap_ns ? 1 : a->max_gap_ns > b->max_gap_ns ? -1 : 0;
}

static void run_timing(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_text_capture_header(t, &l);
    static const unsigned bits[] = {PA_TA_BIT_OUT_OF_ORDER, PA_TA_BIT_DUPLICATE_ACK,
                                    PA_TA_BIT_LOST_SEGMENT, PA_TA_BIT_ACK_LOST_SEGMENT};
    static const char *const labels[] = {"out-of-order segments", "duplicate ACKs",
                                         "previous segments not captured",
                                         "ACKs of segments not captured"};
    json_t *totals = json_object(), *frames = json_object();
    uint64_t tcp_pkts = 0;
    for (int i = 0; i < m->nnodes; i++)
        if (m->nodes[i].proto == PA_P_TCP) tcp_pkts += m->nodes[i].frames;
    for (size_t i = 0; i < 4; i++) {
        uint64_t c = m->ta_count[bits[i]];
        json_object_set_new(totals, pa_ta_name(bits[i]), json_integer((json_int_t)c));
        json_object_set_new(frames, pa_ta_name(bits[i]), pa_ta_frames_json(m, bits[i]));
        pa_buf_printf(t, "%llu %s (%.2f%% of TCP segments)\n", (unsigned long long)c, labels[i],
                      pa_pct((double)c, (double)tcp_pkts));
    }
    json_object_set_new(totals, "tcp_segments", json_integer((json_int_t)tcp_pkts));
    /* duplicate ACKs with their number and the frame they repeat */
    json_t *dups = json_array();
    for (size_t i = 0; i < m->ndupacks; i++)
        json_array_append_new(dups, json_pack("{s:I, s:i, s:I}", "frame", (json_int_t)m->dupacks[i].frame,
                                              "number", m->dupacks[i].num, "duplicates_frame",
                                              (json_int_t)m->dupacks[i].dup_of));
    if (m->ndupacks)
        pa_buf_printf(t, "First duplicate ACK: frame %llu (#%u, repeating frame %llu).\n",
                      (unsigned long long)m->dupacks[0].frame, m->dupacks[0].num,
                      (unsigned long long)m->dupacks[0].dup_of);
    pa_conn *cv;
    size_t n = pa_tcp_conns(m, &cv), lim = pa_arg_limit(args);
    pa_conn_sort(cv, n, timing_score, lim);
    json_t *worst = json_array();
    for (size_t i = 0; i < n && i < lim; i++) {
        const pa_conn *c = &cv[i];
        if (timing_score(c) == 0) break;
        json_t *o = pa_conn_json(c);
        for (size_t k = 0; k < 4; k++)
            json_object_set_new(o, pa_ta_name(bits[k]), json_integer(pa_conn_count(c, bits[k])));
        json_array_append_new(worst, o);
    }
    /* The longest silences inside a conversation (any protocol). */
    const pa_flow **fl;
    size_t nf = pa_model_flows(m, -1, &fl);
    nf = pa_flows_top(fl, nf, 10, gap_desc); /* the 10 longest; the rest need no order */
    json_t *gaps = json_array();
    pa_buf_puts(t, "Longest silences inside conversations:\n");
    for (size_t i = 0; i < nf && i < 10 && fl[i]->max_gap_ns > 0; i++) {
        pa_addr a, b;
        uint16_t pa, pb;
        pa_flow_sides(fl[i], &a, &pa, &b, &pb);
        json_array_append_new(gaps, json_pack("{s:s, s:I, s:o, s:i, s:o, s:i, s:f, s:I}", "protocol",
                                              fl[i]->key.ipproto == 6 ? "tcp" : fl[i]->key.ipproto == 17 ? "udp" : "ip",
                                              "stream", (json_int_t)fl[i]->stream, "address_a", pa_json_addr(&a),
                                              "port_a", pa, "address_b", pa_json_addr(&b), "port_b", pb,
                                              "gap_s", (double)fl[i]->max_gap_ns / 1e9, "resumed_at_frame",
                                              (json_int_t)fl[i]->max_gap_frame));
        if (i < 5) {
            char as[64], bs[64];
            pa_addr_str(&a, as, sizeof as);
            pa_addr_str(&b, bs, sizeof bs);
            if (fl[i]->key.ipproto == 6 || fl[i]->key.ipproto == 17)
                pa_buf_printf(t, "  %.3f s between %s port %u and %s port %u, resumed at frame %llu\n",
                              (double)fl[i]->max_gap_ns / 1e9, as, pa, bs, pb,
                              (unsigned long long)fl[i]->max_gap_frame);
            else
                pa_buf_printf(t, "  %.3f s between %s and %s, resumed at frame %llu\n",
                              (double)fl[i]->max_gap_ns / 1e9, as, bs, (unsigned long long)fl[i]->max_gap_frame);
        }
    }
    free(fl);
    res->structured = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "capture", pa_capture_json(&l), "totals",
                                totals, "worst_connections", worst, "largest_gaps", gaps, "frames", frames,
                                "duplicate_acks", dups);
    free(cv);
    pa_tool_unload(&l);
}

/* ---- analyze_congestion_indicators ------------------------------------------ */

static double congestion_score(const pa_conn *c) {
    return 3.0 * pa_conn_count(c, PA_TA_BIT_FAST_RETRANSMISSION) +
           2.0 * pa_conn_count(c, PA_TA_BIT_WINDOW_FULL) + pa_conn_count(c, PA_TA_BIT_RETRANSMISSION) +
           2.0 * (c->f->tcp->dupack_bursts[0] + c->f->tcp->dupack_bursts[1]) +
           pa_conn_count(c, PA_TA_BIT_ZERO_WINDOW) + (c->f->tcp->ece[0] + c->f->tcp->ece[1]) +
           (c->f->tcp->ce[0] + c->f->tcp->ce[1]);
}

/* One line a person can act on: network loss, receiver limits, or fine. */
static const char *verdict(const pa_conn *c) {
    uint32_t segs = c->f->tcp->data_segments[0] + c->f->tcp->data_segments[1];
    double rate = pa_pct(pa_conn_count(c, PA_TA_BIT_RETRANSMISSION), segs);
    bool ecn = c->f->tcp->ece[0] + c->f->tcp->ece[1] + c->f->tcp->ce[0] + c->f->tcp->ce[1] > 0;
    if (pa_conn_count(c, PA_TA_BIT_ZERO_WINDOW)) return "receiver-limited (zero window: the reader is slow)";
    /* one retransmission in a short connection is not congestion */
    if ((rate >= 2.0 && pa_conn_count(c, PA_TA_BIT_RETRANSMISSION) >= 3) ||
        pa_conn_count(c, PA_TA_BIT_FAST_RETRANSMISSION) >= 3)
        return "network congestion or loss (retransmissions)";
    if (ecn) return "congestion signalled by ECN";
    if (pa_conn_count(c, PA_TA_BIT_WINDOW_FULL)) return "sender filled the receiver's window";
    if (rate > 0) return "minor loss";
    return "no congestion signs";
}

static void run_congestion(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_text_capture_header(t, &l);
    pa_conn *cv;
    size_t n = pa_tcp_conns(m, &cv), lim = pa_arg_limit(args);
    uint64_t bursts = 0, ece = 0, cwr = 0, ce = 0, bif_sum = 0, bif_n = 0, bif_max = 0;
    for (size_t i = 0; i < n; i++)
        for (int s = 0; s < 2; s++) {
            const pa_tcp_state *st = cv[i].f->tcp;
            bursts += st->dupack_bursts[s];
            ece += st->ece[s];
            cwr += st->cwr[s];
            ce += st->ce[s];
            bif_sum += st->bif_sum[s];
            bif_n += st->bif_n[s];
            if (st->bif_max[s] > bif_max) bif_max = st->bif_max[s];
        }
    pa_buf_printf(t,
                  "Window full %llu, fast retransmissions %llu, retransmissions %llu, dup-ACK bursts "
                  "(3+) %llu, zero windows %llu; ECN: ECE %llu, CWR %llu, CE-marked %llu.\n",
                  (unsigned long long)m->ta_count[PA_TA_BIT_WINDOW_FULL],
                  (unsigned long long)m->ta_count[PA_TA_BIT_FAST_RETRANSMISSION],
                  (unsigned long long)m->ta_count[PA_TA_BIT_RETRANSMISSION], (unsigned long long)bursts,
                  (unsigned long long)m->ta_count[PA_TA_BIT_ZERO_WINDOW], (unsigned long long)ece,
                  (unsigned long long)cwr, (unsigned long long)ce);
    pa_buf_printf(t, "Bytes in flight: mean %.0f, max %llu.\n", bif_n ? (double)bif_sum / (double)bif_n : 0.0,
                  (unsigned long long)bif_max);
    pa_conn_sort(cv, n, congestion_score, lim);
    json_t *rows = json_array();
    for (size_t i = 0; i < n && i < lim; i++) {
        const pa_conn *c = &cv[i];
        const pa_tcp_state *st = c->f->tcp;
        json_t *o = pa_conn_json(c);
        json_object_set_new(o, "window_full", json_integer(pa_conn_count(c, PA_TA_BIT_WINDOW_FULL)));
        json_object_set_new(o, "fast_retransmissions", json_integer(pa_conn_count(c, PA_TA_BIT_FAST_RETRANSMISSION)));
        json_object_set_new(o, "retransmissions", json_integer(pa_conn_count(c, PA_TA_BIT_RETRANSMISSION)));
        json_object_set_new(o, "dupack_bursts", json_integer(st->dupack_bursts[0] + st->dupack_bursts[1]));
        json_object_set_new(o, "zero_windows", json_integer(pa_conn_count(c, PA_TA_BIT_ZERO_WINDOW)));
        json_object_set_new(o, "ecn_ece", json_integer(st->ece[0] + st->ece[1]));
        json_object_set_new(o, "ecn_ce", json_integer(st->ce[0] + st->ce[1]));
        json_object_set_new(o, "max_bytes_in_flight", json_integer(st->bif_max[0] > st->bif_max[1] ? st->bif_max[0] : st->bif_max[1]));
        json_object_set_new(o, "verdict", json_string(verdict(c)));
        json_array_append_new(rows, o);
        if (i < 10 && congestion_score(c) > 0) {
            pa_buf_puts(t, "  ");
            pa_conn_text(t, c);
            pa_buf_printf(t, ": %s\n", verdict(c));
        }
    }
    res->structured = json_pack(
        "{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:I}, s:o}", "capture", pa_capture_json(&l),
        "totals", "window_full", (json_int_t)m->ta_count[PA_TA_BIT_WINDOW_FULL], "fast_retransmissions",
        (json_int_t)m->ta_count[PA_TA_BIT_FAST_RETRANSMISSION], "retransmissions",
        (json_int_t)m->ta_count[PA_TA_BIT_RETRANSMISSION], "dupack_bursts", (json_int_t)bursts,
        "zero_windows", (json_int_t)m->ta_count[PA_TA_BIT_ZERO_WINDOW], "ecn_ece", (json_int_t)ece,
        "ecn_cwr", (json_int_t)cwr, "ecn_ce", (json_int_t)ce, "mean_bytes_in_flight",
        bif_n ? (double)bif_sum / (double)bif_n : 0.0, "max_bytes_in_flight", (json_int_t)bif_max,
        "connections", rows);
    free(cv);
    pa_tool_unload(&l);
}

#define OBJ PA_SCHEMA_OBJ
#define ARR PA_SCHEMA_ARR

const pa_tool_def pa_tool_analyze_tcp_retransmissions = {
    .name = "analyze_tcp_retransmissions",
    .title = "TCP retransmissions",
    .description = "Retransmission rate, the connections that retransmit most, first frames.",
    .input_schema = PA_TCP_TOOL_INPUT(10),
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"worst_connections\"],"
                     "\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" OBJ
                     ",\"connections\":{\"type\":\"integer\"},\"connections_affected\":{\"type\":\"integer\"},"
                     "\"worst_connections\":" ARR ",\"over_time\":" ARR ",\"frames\":" OBJ "},"
                     "\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_retrans,
};

const pa_tool_def pa_tool_analyze_tcp_zero_window = {
    .name = "analyze_tcp_zero_window",
    .title = "TCP zero windows",
    .description = "Zero-window stalls: which receiver ran out of buffer, and for how long.",
    .input_schema = PA_TCP_TOOL_INPUT(10),
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"longest_stalls\"],"
                     "\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" OBJ
                     ",\"longest_stalls\":" ARR ",\"worst_connections\":" ARR ",\"frames\":" OBJ "},"
                     "\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_zero_window,
};

const pa_tool_def pa_tool_analyze_tcp_window_scaling = {
    .name = "analyze_tcp_window_scaling",
    .title = "TCP window scaling",
    .description = "Window scale per connection from the SYN options; window-full events.",
    .input_schema = PA_TCP_TOOL_INPUT(20),
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"connections_by_window\"],"
                     "\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" OBJ
                     ",\"connections_by_window\":" ARR ",\"window_full_frames\":{\"type\":\"array\"}},"
                     "\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_window_scaling,
};

const pa_tool_def pa_tool_analyze_packet_timing_issues = {
    .name = "analyze_packet_timing_issues",
    .title = "Packet timing issues",
    .description = "Out-of-order segments, duplicate ACKs, lost segments, long silences.",
    .input_schema = PA_TCP_TOOL_INPUT(10),
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"worst_connections\"],"
                     "\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" OBJ
                     ",\"worst_connections\":" ARR ",\"largest_gaps\":" ARR ",\"frames\":" OBJ
                     ",\"duplicate_acks\":" ARR "},"
                     "\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_timing,
};

const pa_tool_def pa_tool_analyze_congestion_indicators = {
    .name = "analyze_congestion_indicators",
    .title = "Congestion indicators",
    .description = "Window full, fast retransmits, duplicate ACKs, ECN: a verdict per connection.",
    .input_schema = PA_TCP_TOOL_INPUT(10),
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"connections\"],"
                     "\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" OBJ
                     ",\"connections\":" ARR "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_congestion,
};
