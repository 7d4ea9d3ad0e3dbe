/* TCP health with Wireshark's definitions: analyze_tcp_retransmissions,
 * analyze_tcp_zero_window, analyze_tcp_window_scaling,
 * analyze_packet_timing_issues, analyze_congestion_indicators.
 * Every list is in the text too (tool_report.h): a row's line and its JSON
 * go in together, and the ranked connection lists page with `offset`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_tcp_common.h"
#include "util_fmt.h"

#define NBITS(a) (sizeof(a) / sizeof((a)[0]))
#define FILTER_MAX 320

/* ---- analyze_tcp_retransmissions ---------------------------------------- */

static const unsigned retr_bits[] = {PA_TA_BIT_RETRANSMISSION, PA_TA_BIT_FAST_RETRANSMISSION,
                                     PA_TA_BIT_SPURIOUS_RETRANSMISSION};

static double retrans_score(const pa_conn *c) { return pa_conn_count(c, PA_TA_BIT_RETRANSMISSION); }
static uint32_t bin_retrans(const pa_bin *b) { return b->retrans; }

static json_t *retrans_row(const pa_conn *c, pa_buf *b, const void *ud) {
    (void)ud;
    uint32_t r = pa_conn_count(c, PA_TA_BIT_RETRANSMISSION);
    uint32_t segs = c->f->tcp->data_segments[0] + c->f->tcp->data_segments[1];
    uint32_t f = pa_conn_count(c, PA_TA_BIT_FAST_RETRANSMISSION),
             s = pa_conn_count(c, PA_TA_BIT_SPURIOUS_RETRANSMISSION);
    uint32_t fc = pa_conn_count_side(c, PA_TA_BIT_RETRANSMISSION, true),
             fs = pa_conn_count_side(c, PA_TA_BIT_RETRANSMISSION, false);
    uint64_t bytes = c->f->tcp->retrans_bytes[0] + c->f->tcp->retrans_bytes[1];
    char filter[FILTER_MAX];
    const char *terms[] = {pa_ta_field(PA_TA_BIT_RETRANSMISSION)};
    pa_conn_filter(filter, sizeof filter, c, terms, 1);
    pa_buf_printf(b,
                  ": %u retr (%u fast, %u spurious; %u by client, %u by server) = %.1f%% of %u data "
                  "segments, %llu bytes; %s\n",
                  r, f, s, fc, fs, pa_pct(r, segs), segs, (unsigned long long)bytes, filter);
    json_t *o = pa_conn_json(c);
    json_object_set_new(o, "retransmissions", json_integer(r));
    json_object_set_new(o, "fast", json_integer(f));
    json_object_set_new(o, "spurious", json_integer(s));
    json_object_set_new(o, "from_client", json_integer(fc));
    json_object_set_new(o, "from_server", json_integer(fs));
    json_object_set_new(o, "data_segments", json_integer(segs));
    json_object_set_new(o, "rate_pct", json_real(pa_pct(r, segs)));
    json_object_set_new(o, "retransmitted_bytes", json_integer((json_int_t)bytes));
    json_object_set_new(o, "display_filter", json_string(filter));
    return o;
}

static void run_retrans(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    size_t lim = pa_arg_limit(args), offset = pa_arg_offset(args);
    pa_text_capture_header(t, &l);
    uint64_t rt = m->ta_count[PA_TA_BIT_RETRANSMISSION], fast = m->ta_count[PA_TA_BIT_FAST_RETRANSMISSION],
             spur = m->ta_count[PA_TA_BIT_SPURIOUS_RETRANSMISSION];
    double rate = pa_pct((double)rt, (double)m->tcp_data_segments);
    pa_buf_printf(t,
                  "%llu retransmissions (%llu fast, %llu spurious, %llu other) among %llu TCP data "
                  "segments: %.2f%%.\n",
                  (unsigned long long)rt, (unsigned long long)fast, (unsigned long long)spur,
                  (unsigned long long)(rt >= fast + spur ? rt - fast - spur : 0),
                  (unsigned long long)m->tcp_data_segments, rate);
    pa_conn *cv;
    size_t n = pa_tcp_conns(m, &cv), affected = pa_conn_count_scored(cv, n, retrans_score);
    if (affected) pa_buf_printf(t, "%zu of %zu connections retransmitted.\n", affected, n);
    json_t *frames = json_object();
    pa_ta_frames(t, m, retr_bits, NBITS(retr_bits), frames);
    res->structured =
        json_pack("{s:o, s:{s:I, s:I, s:I, s:I, s:f}, s:I, s:I, s:o}", "capture", pa_capture_json(&l), "totals",
                  "retransmissions", (json_int_t)rt, "fast", (json_int_t)fast, "spurious", (json_int_t)spur,
                  "data_segments", (json_int_t)m->tcp_data_segments, "rate_pct", rate, "connections", (json_int_t)n,
                  "connections_affected", (json_int_t)affected, "frames", frames);

    pa_conn_list(&rep, cv, n, retrans_score, affected, offset, lim, "Connections that retransmitted most,",
                 " (the filter selects a connection's retransmissions)", retrans_row, NULL, "worst_connections",
                 "page");
    pa_problem_series(&rep, m, bin_retrans, 30, "Retransmissions", res->structured, "over_time");
    pa_report_finish(&rep);
    free(cv);
    pa_tool_unload(&l);
}

/* ---- analyze_tcp_zero_window ---------------------------------------------- */

static const unsigned zw_bits[] = {PA_TA_BIT_ZERO_WINDOW, PA_TA_BIT_ZERO_WINDOW_PROBE, PA_TA_BIT_ZERO_WINDOW_PROBE_ACK,
                                   PA_TA_BIT_WINDOW_UPDATE};

static int stall_desc(const void *x, const void *y) {
    const pa_stall *a = x, *b = y;
    if (a->dur_ns != b->dur_ns) return a->dur_ns < b->dur_ns ? 1 : -1;
    return (a->start_frame > b->start_frame) - (a->start_frame < b->start_frame);
}

static double zw_score(const pa_conn *c) {
    if (!pa_conn_count(c, PA_TA_BIT_ZERO_WINDOW)) return 0;
    return (double)(c->f->tcp->zw_total_ns[0] + c->f->tcp->zw_total_ns[1]) + pa_conn_count(c, PA_TA_BIT_ZERO_WINDOW);
}

static json_t *zw_row(const pa_conn *c, pa_buf *b, const void *ud) {
    (void)ud;
    const pa_tcp_state *s = c->f->tcp;
    uint32_t z = pa_conn_count(c, PA_TA_BIT_ZERO_WINDOW), zc = pa_conn_count_side(c, PA_TA_BIT_ZERO_WINDOW, true);
    uint32_t stalls = s->zw_events[0] + s->zw_events[1], wu = pa_conn_count(c, PA_TA_BIT_WINDOW_UPDATE);
    double stalled = (double)(s->zw_total_ns[0] + s->zw_total_ns[1]) / 1e9;
    double longest = (double)(s->zw_max_ns[0] > s->zw_max_ns[1] ? s->zw_max_ns[0] : s->zw_max_ns[1]) / 1e9;
    char filter[FILTER_MAX];
    const char *terms[] = {pa_ta_field(PA_TA_BIT_ZERO_WINDOW)};
    pa_conn_filter(filter, sizeof filter, c, terms, 1);
    pa_buf_printf(b,
                  ": %u zero windows (%u by client, %u by server), %u stalls, %.3f s stalled "
                  "(longest %.3f s), %u window updates; %s\n",
                  z, zc, z - zc, stalls, stalled, longest, wu, filter);
    json_t *o = pa_conn_json(c);
    json_object_set_new(o, "zero_window_segments", json_integer(z));
    json_object_set_new(o, "by_client", json_integer(zc));
    json_object_set_new(o, "by_server", json_integer(z - zc));
    json_object_set_new(o, "stalls", json_integer(stalls));
    json_object_set_new(o, "stalled_s", json_real(stalled));
    json_object_set_new(o, "longest_stall_s", json_real(longest));
    json_object_set_new(o, "window_updates", json_integer(wu));
    json_object_set_new(o, "display_filter", json_string(filter));
    return o;
}

static void run_zero_window(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    size_t lim = pa_arg_limit(args), offset = pa_arg_offset(args);
    pa_text_capture_header(t, &l);
    uint64_t zw = m->ta_count[PA_TA_BIT_ZERO_WINDOW];
    pa_buf_printf(t,
                  "%llu zero-window segments (RST, SYN and FIN excluded) in %llu stalls; %llu "
                  "zero-window probes, %llu probe ACKs, %llu window updates.\n",
                  (unsigned long long)zw, (unsigned long long)m->stall_count,
                  (unsigned long long)m->ta_count[PA_TA_BIT_ZERO_WINDOW_PROBE],
                  (unsigned long long)m->ta_count[PA_TA_BIT_ZERO_WINDOW_PROBE_ACK],
                  (unsigned long long)m->ta_count[PA_TA_BIT_WINDOW_UPDATE]);
    if (!zw) pa_buf_puts(t, "No zero windows: no receiver ran out of buffer.\n");
    pa_conn *cv;
    size_t n = pa_tcp_conns(m, &cv), affected = pa_conn_count_scored(cv, n, zw_score);
    json_t *frames = json_object();
    pa_ta_frames(t, m, zw_bits, NBITS(zw_bits), frames);
    res->structured = json_pack("{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I}, s:o}", "capture", pa_capture_json(&l),
                                "totals", "zero_window_segments", (json_int_t)zw, "stalls", (json_int_t)m->stall_count,
                                "probes", (json_int_t)m->ta_count[PA_TA_BIT_ZERO_WINDOW_PROBE], "probe_acks",
                                (json_int_t)m->ta_count[PA_TA_BIT_ZERO_WINDOW_PROBE_ACK], "window_updates",
                                (json_int_t)m->ta_count[PA_TA_BIT_WINDOW_UPDATE], "connections_affected",
                                (json_int_t)affected, "frames", frames);

    pa_conn_list(&rep, cv, n, zw_score, affected, offset, lim, "Connections that stalled most,",
                 " (the filter selects the zero-window segments)", zw_row, NULL, "worst_connections", "page");

    /* the longest stalls (the model keeps PA_MAX_STALLS): not paged */
    pa_stall st[PA_MAX_STALLS];
    memcpy(st, m->stalls, m->nstalls * sizeof st[0]);
    qsort(st, m->nstalls, sizeof st[0], stall_desc);
    pa_page_heading(t, "Longest stalls,", 0, lim, m->nstalls,
                    " (the receiver that advertised the zero window; the filter selects the "
                    "stall's frames)");
    pa_rows rows;
    pa_rows_begin(&rows, &rep, "stalls", 0, lim, m->nstalls, false);
    for (size_t i = 0; i < m->nstalls && i < lim; i++) {
        const pa_stall *s = &st[i];
        pa_addr who = {s->key.ver, {0}};
        memcpy(who.b, s->side == 0 ? s->key.a : s->key.b, 16);
        uint16_t port = s->side == 0 ? s->key.port_a : s->key.port_b;
        char filter[FILTER_MAX];
        if (s->ended)
            snprintf(filter, sizeof filter, "tcp.stream == %u && frame.number >= %llu && frame.number <= %llu",
                     s->stream, (unsigned long long)s->start_frame, (unsigned long long)s->end_frame);
        else
            snprintf(filter, sizeof filter, "tcp.stream == %u && frame.number >= %llu", s->stream,
                     (unsigned long long)s->start_frame);
        pa_buf *b = pa_rows_line(&rows);
        pa_buf_printf(b, "  stream %u: ", s->stream);
        pa_endpoint_text(b, &who, port);
        pa_buf_printf(b, " advertised a zero window at frame %llu (+%.3f s) for %.3f s, %u probes, ",
                      (unsigned long long)s->start_frame, (double)(s->start_ts - m->first_ts) / 1e9,
                      (double)s->dur_ns / 1e9, s->probes);
        if (s->ended)
            pa_buf_printf(b, "reopened at frame %llu", (unsigned long long)s->end_frame);
        else
            pa_buf_puts(b, "still closed at the end");
        pa_buf_printf(b, "; %s\n", filter);
        json_t *o =
            json_pack("{s:I, s:o, s:i, s:I, s:f, s:f, s:I, s:b, s:s}", "stream", (json_int_t)s->stream, "advertised_by",
                      pa_json_addr(&who), "advertised_by_port", port, "start_frame", (json_int_t)s->start_frame,
                      "start_s", (double)(s->start_ts - m->first_ts) / 1e9, "duration_s", (double)s->dur_ns / 1e9,
                      "probes", (json_int_t)s->probes, "ended", s->ended, "display_filter", filter);
        if (s->ended) json_object_set_new(o, "ended_by_frame", json_integer((json_int_t)s->end_frame));
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, res->structured, "longest_stalls", NULL);

    pa_report_finish(&rep);
    free(cv);
    pa_tool_unload(&l);
}

/* ---- analyze_tcp_window_scaling -------------------------------------------- */

static json_t *scale_json(int16_t ws) {
    if (ws == -1) return json_pack("{s:s}", "status", "unknown (handshake not captured)");
    if (ws == -2) return json_pack("{s:s, s:i}", "status", "not used", "multiplier", 1);
    return json_pack("{s:s, s:i, s:i}", "status", "scaling", "shift", ws, "multiplier", 1 << ws);
}

static void scale_text(pa_buf *b, int16_t ws) {
    if (ws == -1)
        pa_buf_puts(b, "unknown");
    else if (ws == -2)
        pa_buf_puts(b, "none");
    else
        pa_buf_printf(b, "%d (x%d)", ws, 1 << ws);
}

static void options_text(pa_buf *b, const pa_tcp_dir *d) {
    if (d->mss)
        pa_buf_printf(b, "MSS %u", d->mss);
    else
        pa_buf_puts(b, "no MSS");
    pa_buf_printf(b, "%s%s", d->sack_perm ? ", SACK" : "", d->timestamps ? ", timestamps" : "");
    if (d->sack_segments) pa_buf_printf(b, ", %u segments with SACK", d->sack_segments);
}

static double win_score(const pa_conn *c) {
    return (double)(c->f->tcp->max_window[0] > c->f->tcp->max_window[1] ? c->f->tcp->max_window[0]
                                                                        : c->f->tcp->max_window[1]);
}

static json_t *window_row(const pa_conn *c, pa_buf *b, const void *ud) {
    (void)ud;
    const pa_tcp_state *s = c->f->tcp;
    const pa_tcp_dir *dc = &s->dir[c->cs], *ds = &s->dir[1 - c->cs];
    uint32_t full = pa_conn_count(c, PA_TA_BIT_WINDOW_FULL);
    pa_buf_puts(b, ": scale client ");
    scale_text(b, dc->wscale);
    pa_buf_puts(b, ", server ");
    scale_text(b, ds->wscale);
    pa_buf_printf(b, "; largest windows %llu / %llu; client ", (unsigned long long)s->max_window[c->cs],
                  (unsigned long long)s->max_window[1 - c->cs]);
    options_text(b, dc);
    pa_buf_puts(b, "; server ");
    options_text(b, ds);
    json_t *o = pa_conn_json(c);
    json_object_set_new(o, "client_scale", scale_json(dc->wscale));
    json_object_set_new(o, "server_scale", scale_json(ds->wscale));
    json_object_set_new(o, "client_max_window", json_integer((json_int_t)s->max_window[c->cs]));
    json_object_set_new(o, "server_max_window", json_integer((json_int_t)s->max_window[1 - c->cs]));
    json_object_set_new(o, "window_full", json_integer(full));
    for (int side = 0; side < 2; side++) {
        const pa_tcp_dir *d = side == 0 ? dc : ds;
        json_t *opt = json_pack("{s:b, s:b, s:I}", "sack_permitted", d->sack_perm, "timestamps", d->timestamps,
                                "segments_with_sack", (json_int_t)d->sack_segments);
        if (d->mss) json_object_set_new(opt, "mss", json_integer(d->mss));
        json_object_set_new(o, side == 0 ? "client_options" : "server_options", opt);
    }
    if (full) {
        char filter[FILTER_MAX];
        const char *terms[] = {pa_ta_field(PA_TA_BIT_WINDOW_FULL)};
        pa_conn_filter(filter, sizeof filter, c, terms, 1);
        pa_buf_printf(b, "; %u window full: %s", full, filter);
        json_object_set_new(o, "display_filter", json_string(filter));
    }
    pa_buf_puts(b, "\n");
    return o;
}

static void run_window_scaling(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    size_t lim = pa_arg_limit(args), offset = pa_arg_offset(args);
    pa_text_capture_header(t, &l);
    pa_conn *cv;
    size_t n = pa_tcp_conns(m, &cv);
    size_t both = 0, none = 0, unknown = 0;
    for (size_t i = 0; i < n; i++) {
        int16_t a = cv[i].f->tcp->dir[0].wscale, b = cv[i].f->tcp->dir[1].wscale;
        if (a == -1 || b == -1)
            unknown++;
        else if (a == -2 && b == -2)
            none++; /* also "one side offered, the other did not" */
        else
            both++;
    }
    pa_buf_printf(t,
                  "%zu TCP connections: %zu scale windows on both sides, %zu do not scale (at "
                  "least one side did not offer it), %zu unknown (handshake not captured).\n",
                  n, both, none, unknown);
    pa_buf_printf(t, "%llu window-full segments (data reaching the receiver's advertised window).\n",
                  (unsigned long long)m->ta_count[PA_TA_BIT_WINDOW_FULL]);
    json_t *frames = json_object();
    static const unsigned wf[] = {PA_TA_BIT_WINDOW_FULL};
    pa_ta_frames(t, m, wf, 1, frames);
    res->structured =
        json_pack("{s:o, s:{s:I, s:I, s:I, s:I, s:I}, s:O}", "capture", pa_capture_json(&l), "totals", "connections",
                  (json_int_t)n, "scaling_both", (json_int_t)both, "scaling_not_used", (json_int_t)none,
                  "scaling_unknown", (json_int_t)unknown, "window_full", (json_int_t)m->ta_count[PA_TA_BIT_WINDOW_FULL],
                  "window_full_frames", json_object_get(frames, "window_full"));
    json_decref(frames);

    pa_conn_list(&rep, cv, n, win_score, n, offset, lim, "Connections by largest window,",
                 " (scale: shift and multiplier; windows in bytes, client / server)", window_row, NULL,
                 "connections_by_window", "page");
    pa_report_finish(&rep);
    free(cv);
    pa_tool_unload(&l);
}

/* ---- analyze_packet_timing_issues ------------------------------------------- */

static const unsigned timing_bits[] = {PA_TA_BIT_OUT_OF_ORDER, PA_TA_BIT_DUPLICATE_ACK, PA_TA_BIT_LOST_SEGMENT,
                                       PA_TA_BIT_ACK_LOST_SEGMENT};
static const unsigned ka_bits[] = {PA_TA_BIT_KEEP_ALIVE, PA_TA_BIT_KEEP_ALIVE_ACK};

static double timing_score(const pa_conn *c) {
    double s = 0;
    for (size_t k = 0; k < NBITS(timing_bits); k++) s += pa_conn_count(c, timing_bits[k]);
    return s;
}

static double ka_score(const pa_conn *c) {
    return pa_conn_count(c, PA_TA_BIT_KEEP_ALIVE) + pa_conn_count(c, PA_TA_BIT_KEEP_ALIVE_ACK);
}

/* Keep-alives of one side that the other side's keep-alive ACKs do not
 * match, over both sides: probes a peer did not answer in the capture. */
static uint32_t ka_unanswered(const pa_conn *c) {
    uint32_t n = 0;
    for (int client = 0; client < 2; client++) {
        uint32_t ka = pa_conn_count_side(c, PA_TA_BIT_KEEP_ALIVE, client),
                 ack = pa_conn_count_side(c, PA_TA_BIT_KEEP_ALIVE_ACK, !client);
        n += ka > ack ? ka - ack : 0;
    }
    return n;
}

static json_t *timing_row(const pa_conn *c, pa_buf *b, const void *ud) {
    (void)ud;
    char filter[FILTER_MAX];
    const char *terms[NBITS(timing_bits)];
    pa_conn_filter(filter, sizeof filter, c, terms, pa_ta_terms(c, timing_bits, NBITS(timing_bits), terms));
    uint32_t v[NBITS(timing_bits)];
    json_t *o = pa_conn_json(c);
    for (size_t k = 0; k < NBITS(timing_bits); k++) {
        v[k] = pa_conn_count(c, timing_bits[k]);
        json_object_set_new(o, pa_ta_name(timing_bits[k]), json_integer(v[k]));
    }
    json_object_set_new(o, "display_filter", json_string(filter));
    pa_buf_printf(b, ": %u out-of-order, %u duplicate ACKs, %u not captured, %u ACKed unseen; %s\n", v[0], v[1], v[2],
                  v[3], filter);
    return o;
}

static json_t *ka_row(const pa_conn *c, pa_buf *b, const void *ud) {
    (void)ud;
    uint32_t k = pa_conn_count(c, PA_TA_BIT_KEEP_ALIVE), kc = pa_conn_count_side(c, PA_TA_BIT_KEEP_ALIVE, true);
    uint32_t ack = pa_conn_count(c, PA_TA_BIT_KEEP_ALIVE_ACK), un = ka_unanswered(c);
    char filter[FILTER_MAX];
    const char *terms[NBITS(ka_bits)];
    pa_conn_filter(filter, sizeof filter, c, terms, pa_ta_terms(c, ka_bits, NBITS(ka_bits), terms));
    pa_buf_printf(b,
                  ": %u keep-alives (%u by client, %u by server), %u keep-alive ACKs, %u not "
                  "acknowledged; %s\n",
                  k, kc, k - kc, ack, un, filter);
    json_t *o = pa_conn_json(c);
    json_object_set_new(o, "keep_alives", json_integer(k));
    json_object_set_new(o, "from_client", json_integer(kc));
    json_object_set_new(o, "from_server", json_integer(k - kc));
    json_object_set_new(o, "keep_alive_acks", json_integer(ack));
    json_object_set_new(o, "not_acknowledged", json_integer(un));
    json_object_set_new(o, "display_filter", json_string(filter));
    return o;
}

static int gap_desc(const void *x, const void *y) {
    const pa_flow *a = *(const pa_flow *const *)x, *b = *(const pa_flow *const *)y;
    if (a->max_gap_ns != b->max_gap_ns) return a->max_gap_ns < b->max_gap_ns ? 1 : -1;
    return (a->max_gap_frame > b->max_gap_frame) - (a->max_gap_frame < b->max_gap_frame);
}

static void run_timing(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    size_t lim = pa_arg_limit(args), offset = pa_arg_offset(args);
    pa_text_capture_header(t, &l);
    static const char *const labels[] = {"out-of-order segments", "duplicate ACKs", "previous segments not captured",
                                         "ACKs of segments not captured"};
    json_t *totals = json_object(), *frames = json_object();
    uint64_t tcp_pkts = 0;
    for (int i = 0; i < m->nnodes; i++)
        if (m->nodes[i].proto == PA_P_TCP) tcp_pkts += m->nodes[i].frames;
    for (size_t i = 0; i < NBITS(timing_bits); i++) {
        uint64_t c = m->ta_count[timing_bits[i]];
        json_object_set_new(totals, pa_ta_name(timing_bits[i]), json_integer((json_int_t)c));
        pa_buf_printf(t, "%llu %s (%.2f%% of TCP segments)\n", (unsigned long long)c, labels[i],
                      pa_pct((double)c, (double)tcp_pkts));
    }
    json_object_set_new(totals, "tcp_segments", json_integer((json_int_t)tcp_pkts));
    pa_conn *cv;
    size_t n = pa_tcp_conns(m, &cv), affected = pa_conn_count_scored(cv, n, timing_score);
    size_t ka_conns = pa_conn_count_scored(cv, n, ka_score);
    uint64_t ka = m->ta_count[PA_TA_BIT_KEEP_ALIVE], kaa = m->ta_count[PA_TA_BIT_KEEP_ALIVE_ACK];
    json_object_set_new(totals, "keep_alive", json_integer((json_int_t)ka));
    json_object_set_new(totals, "keep_alive_ack", json_integer((json_int_t)kaa));
    json_object_set_new(totals, "keep_alive_connections", json_integer((json_int_t)ka_conns));
    json_object_set_new(totals, "connections_affected", json_integer((json_int_t)affected));
    if (ka || kaa)
        pa_buf_printf(t,
                      "%llu TCP keep-alives and %llu keep-alive ACKs on %zu connections "
                      "(tcp.analysis.keep_alive, "
                      "keep_alive_ack). A keep-alive is not a problem in itself: an idle connection's end "
                      "checks "
                      "that its peer is still there; many on one connection show it is held open idle, and "
                      "keep-alives left unacknowledged show a peer that went away.\n",
                      (unsigned long long)ka, (unsigned long long)kaa, ka_conns);
    else
        pa_buf_puts(t, "No TCP keep-alives (tcp.analysis.keep_alive).\n");
    static const unsigned all_bits[] = {PA_TA_BIT_OUT_OF_ORDER,     PA_TA_BIT_DUPLICATE_ACK, PA_TA_BIT_LOST_SEGMENT,
                                        PA_TA_BIT_ACK_LOST_SEGMENT, PA_TA_BIT_KEEP_ALIVE,    PA_TA_BIT_KEEP_ALIVE_ACK};
    pa_ta_frames(t, m, all_bits, NBITS(all_bits), frames);
    res->structured = json_pack("{s:o, s:o, s:o}", "capture", pa_capture_json(&l), "totals", totals, "frames", frames);

    /* the connections with the most ordering problems: the paged list */
    pa_conn_list(&rep, cv, n, timing_score, affected, offset, lim, "Connections with the most ordering problems,",
                 " (the filter selects them)", timing_row, NULL, "worst_connections", "page");
    /* the connections with the most keep-alives: the top `limit` */
    pa_conn_list(&rep, cv, n, ka_score, ka_conns, 0, lim, "Connections with the most keep-alives,", "", ka_row, NULL,
                 "keep_alive_connections", NULL);

    /* duplicate ACKs with their number and the frame they repeat (the first ones) */
    pa_rows rows;
    pa_page_heading(t, "The first duplicate ACKs,", 0, lim, m->ndupacks, "");
    pa_rows_begin(&rows, &rep, "duplicate ACKs", 0, lim, m->ndupacks, false);
    for (size_t i = 0; i < m->ndupacks && i < lim; i++) {
        pa_buf_printf(pa_rows_line(&rows), "  frame %llu: duplicate ACK #%u of frame %llu\n",
                      (unsigned long long)m->dupacks[i].frame, m->dupacks[i].num,
                      (unsigned long long)m->dupacks[i].dup_of);
        if (!pa_rows_push(&rows, json_pack("{s:I, s:i, s:I}", "frame", (json_int_t)m->dupacks[i].frame, "number",
                                           m->dupacks[i].num, "duplicates_frame", (json_int_t)m->dupacks[i].dup_of)))
            break;
    }
    pa_rows_end(&rows, res->structured, "duplicate_acks", NULL);

    /* the longest silences inside a conversation (any protocol) */
    const pa_flow **fl;
    size_t nf = pa_model_flows(m, -1, &fl), ngaps = 0;
    nf = pa_flows_top(fl, nf, lim, gap_desc);
    while (ngaps < nf && fl[ngaps]->max_gap_ns > 0) ngaps++;
    pa_page_heading(t, "Longest silences inside conversations,", 0, lim, ngaps, "");
    pa_rows_begin(&rows, &rep, "silences", 0, lim, ngaps, false);
    for (size_t i = 0; i < ngaps; i++) {
        const pa_flow *f = fl[i];
        pa_buf *ln = pa_rows_line(&rows);
        pa_buf_puts(ln, "  ");
        pa_flow_text(ln, f);
        pa_buf_printf(ln, ": %.3f s silent, resumed at frame %llu\n", (double)f->max_gap_ns / 1e9,
                      (unsigned long long)f->max_gap_frame);
        json_t *o = pa_flow_json(f);
        json_object_set_new(o, "gap_s", json_real((double)f->max_gap_ns / 1e9));
        json_object_set_new(o, "resumed_at_frame", json_integer((json_int_t)f->max_gap_frame));
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, res->structured, "largest_gaps", NULL);
    free(fl);

    pa_report_finish(&rep);
    free(cv);
    pa_tool_unload(&l);
}

/* ---- analyze_congestion_indicators ------------------------------------------ */

static double congestion_score(const pa_conn *c) {
    return 3.0 * pa_conn_count(c, PA_TA_BIT_FAST_RETRANSMISSION) + 2.0 * pa_conn_count(c, PA_TA_BIT_WINDOW_FULL) +
           pa_conn_count(c, PA_TA_BIT_RETRANSMISSION) +
           2.0 * (c->f->tcp->dupack_bursts[0] + c->f->tcp->dupack_bursts[1]) + pa_conn_count(c, PA_TA_BIT_ZERO_WINDOW) +
           (c->f->tcp->ece[0] + c->f->tcp->ece[1]) + (c->f->tcp->ce[0] + c->f->tcp->ce[1]);
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

/* The display filter of a connection's congestion signs. */
static void congestion_filter(char *out, size_t n, const pa_conn *c) {
    static const unsigned bits[] = {PA_TA_BIT_RETRANSMISSION, PA_TA_BIT_WINDOW_FULL, PA_TA_BIT_ZERO_WINDOW};
    const char *terms[NBITS(bits) + 3];
    size_t k = pa_ta_terms(c, bits, NBITS(bits), terms);
    const pa_tcp_state *s = c->f->tcp;
    if (s->dupack_bursts[0] + s->dupack_bursts[1]) terms[k++] = pa_ta_field(PA_TA_BIT_DUPLICATE_ACK);
    if (s->ece[0] + s->ece[1]) terms[k++] = "tcp.flags.ece == 1";
    if (s->ce[0] + s->ce[1] && c->client.family == 4) terms[k++] = "ip.dsfield.ecn == 3";
    pa_conn_filter(out, n, c, terms, k);
}

static json_t *congestion_row(const pa_conn *c, pa_buf *b, const void *ud) {
    (void)ud;
    const pa_tcp_state *st = c->f->tcp;
    uint32_t wf = pa_conn_count(c, PA_TA_BIT_WINDOW_FULL), fr = pa_conn_count(c, PA_TA_BIT_FAST_RETRANSMISSION),
             rt = pa_conn_count(c, PA_TA_BIT_RETRANSMISSION), zw = pa_conn_count(c, PA_TA_BIT_ZERO_WINDOW);
    uint32_t bu = st->dupack_bursts[0] + st->dupack_bursts[1], e = st->ece[0] + st->ece[1], cem = st->ce[0] + st->ce[1],
             bif = st->bif_max[0] > st->bif_max[1] ? st->bif_max[0] : st->bif_max[1];
    char filter[FILTER_MAX];
    congestion_filter(filter, sizeof filter, c);
    pa_buf_printf(b,
                  ": %s. %u retr (%u fast), %u window full, %u dup-ACK bursts, %u zero windows, "
                  "ECE %u, CE %u, max %u bytes in flight; %s\n",
                  verdict(c), rt, fr, wf, bu, zw, e, cem, bif, filter);
    json_t *o = pa_conn_json(c);
    json_object_set_new(o, "window_full", json_integer(wf));
    json_object_set_new(o, "fast_retransmissions", json_integer(fr));
    json_object_set_new(o, "retransmissions", json_integer(rt));
    json_object_set_new(o, "dupack_bursts", json_integer(bu));
    json_object_set_new(o, "zero_windows", json_integer(zw));
    json_object_set_new(o, "ecn_ece", json_integer(e));
    json_object_set_new(o, "ecn_ce", json_integer(cem));
    json_object_set_new(o, "max_bytes_in_flight", json_integer(bif));
    json_object_set_new(o, "verdict", json_string(verdict(c)));
    json_object_set_new(o, "display_filter", json_string(filter));
    return o;
}

static void run_congestion(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    size_t lim = pa_arg_limit(args), offset = pa_arg_offset(args);
    pa_text_capture_header(t, &l);
    pa_conn *cv;
    size_t n = pa_tcp_conns(m, &cv), affected = pa_conn_count_scored(cv, n, congestion_score);
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
    double bif_mean = bif_n ? (double)bif_sum / (double)bif_n : 0.0;
    pa_buf_printf(t,
                  "Window full %llu, fast retransmissions %llu, retransmissions %llu, dup-ACK bursts "
                  "(3+) %llu, zero windows %llu; ECN: ECE %llu, CWR %llu, CE-marked %llu.\n",
                  (unsigned long long)m->ta_count[PA_TA_BIT_WINDOW_FULL],
                  (unsigned long long)m->ta_count[PA_TA_BIT_FAST_RETRANSMISSION],
                  (unsigned long long)m->ta_count[PA_TA_BIT_RETRANSMISSION], (unsigned long long)bursts,
                  (unsigned long long)m->ta_count[PA_TA_BIT_ZERO_WINDOW], (unsigned long long)ece,
                  (unsigned long long)cwr, (unsigned long long)ce);
    pa_buf_printf(t, "Bytes in flight: mean %.0f, max %llu. %zu of %zu connections show a sign of congestion.\n",
                  bif_mean, (unsigned long long)bif_max, affected, n);
    res->structured =
        json_pack("{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:I, s:I, s:I}}", "capture",
                  pa_capture_json(&l), "totals", "window_full", (json_int_t)m->ta_count[PA_TA_BIT_WINDOW_FULL],
                  "fast_retransmissions", (json_int_t)m->ta_count[PA_TA_BIT_FAST_RETRANSMISSION], "retransmissions",
                  (json_int_t)m->ta_count[PA_TA_BIT_RETRANSMISSION], "dupack_bursts", (json_int_t)bursts,
                  "zero_windows", (json_int_t)m->ta_count[PA_TA_BIT_ZERO_WINDOW], "ecn_ece", (json_int_t)ece, "ecn_cwr",
                  (json_int_t)cwr, "ecn_ce", (json_int_t)ce, "mean_bytes_in_flight", bif_mean, "max_bytes_in_flight",
                  (json_int_t)bif_max, "connections", (json_int_t)n, "connections_affected", (json_int_t)affected);

    pa_conn_list(&rep, cv, n, congestion_score, affected, offset, lim, "Connections with the most signs,",
                 " (verdict; the filter selects the signs)", congestion_row, NULL, "connections", "page");
    pa_report_finish(&rep);
    free(cv);
    pa_tool_unload(&l);
}

/* ---- definitions -------------------------------------------------------------- */

/* The schemas read better laid out by hand. */
// clang-format off
#define FRAMES PA_S_INTS
#define FILTER_PROP                                                                                \
    "\"display_filter\":{\"type\":\"string\",\"description\":\"Wireshark display filter "          \
    "selecting the evidence (for list_packets)\"}"
#define TOOL_SCHEMA(required, props)                                                               \
    "{\"type\":\"object\",\"required\":[\"capture\"," required "],\"properties\":{"                \
    "\"capture\":" PA_CAPTURE_SCHEMA "," props "},\"additionalProperties\":false}"

const pa_tool_def pa_tool_analyze_tcp_retransmissions = {
    .name = "analyze_tcp_retransmissions",
    .title = "TCP retransmissions",
    .description = "Retransmission rate, the connections that retransmit most, first frames.",
    .input_schema = PA_TCP_TOOL_INPUT_PAGED(10),
    .output_schema = TOOL_SCHEMA(
        "\"totals\",\"frames\",\"over_time\",\"page\",\"worst_connections\"",
        "\"totals\":" PA_S_OBJ(
            "\"retransmissions\":" PA_S_INT ",\"fast\":" PA_S_INT ",\"spurious\":" PA_S_INT
            ",\"data_segments\":" PA_S_INT ",\"rate_pct\":" PA_S_NUM)
        ",\"connections\":" PA_S_INT ",\"connections_affected\":" PA_S_INT
        ",\"frames\":" PA_S_OBJ(
            "\"retransmission\":" FRAMES ",\"fast_retransmission\":" FRAMES
            ",\"spurious_retransmission\":" FRAMES)
        ",\"over_time\":" PA_SERIES_SCHEMA
        ",\"page\":" PA_PAGE_SCHEMA
        ",\"worst_connections\":" PA_S_ROWS(
            PA_CONN_ID_PROPS ",\"retransmissions\":" PA_S_INT ",\"fast\":" PA_S_INT
            ",\"spurious\":" PA_S_INT ",\"from_client\":" PA_S_INT ",\"from_server\":" PA_S_INT
            ",\"data_segments\":" PA_S_INT ",\"rate_pct\":" PA_S_NUM
            ",\"retransmitted_bytes\":" PA_S_INT "," FILTER_PROP)),
    .read_only = true,
    .idempotent = true,
    .run = run_retrans,
};

const pa_tool_def pa_tool_analyze_tcp_zero_window = {
    .name = "analyze_tcp_zero_window",
    .title = "TCP zero windows",
    .description = "Zero-window stalls: which receiver ran out of buffer, and for how long.",
    .input_schema = PA_TCP_TOOL_INPUT_PAGED(10),
    .output_schema = TOOL_SCHEMA(
        "\"totals\",\"frames\",\"page\",\"worst_connections\",\"longest_stalls\"",
        "\"totals\":" PA_S_OBJ(
            "\"zero_window_segments\":" PA_S_INT ",\"stalls\":" PA_S_INT ",\"probes\":" PA_S_INT
            ",\"probe_acks\":" PA_S_INT ",\"window_updates\":" PA_S_INT
            ",\"connections_affected\":" PA_S_INT)
        ",\"frames\":" PA_S_OBJ(
            "\"zero_window\":" FRAMES ",\"zero_window_probe\":" FRAMES
            ",\"zero_window_probe_ack\":" FRAMES ",\"window_update\":" FRAMES)
        ",\"page\":" PA_PAGE_SCHEMA
        ",\"worst_connections\":" PA_S_ROWS(
            PA_CONN_ID_PROPS ",\"zero_window_segments\":" PA_S_INT ",\"by_client\":" PA_S_INT
            ",\"by_server\":" PA_S_INT ",\"stalls\":" PA_S_INT ",\"stalled_s\":" PA_S_NUM
            ",\"longest_stall_s\":" PA_S_NUM ",\"window_updates\":" PA_S_INT "," FILTER_PROP)
        ",\"longest_stalls\":" PA_S_ROWS(
            "\"stream\":" PA_S_INT ",\"advertised_by\":" PA_S_STR
            ",\"advertised_by_port\":" PA_S_INT ",\"start_frame\":" PA_S_INT
            ",\"start_s\":" PA_S_NUM ",\"duration_s\":" PA_S_NUM ",\"probes\":" PA_S_INT
            ",\"ended\":" PA_S_BOOL ",\"ended_by_frame\":{\"type\":\"integer\",\"description\":"
            "\"the window update that reopened it; absent when still closed at the end\"},"
            FILTER_PROP)),
    .read_only = true,
    .idempotent = true,
    .run = run_zero_window,
};

#define SCALE_SCHEMA                                                                               \
    PA_S_OBJ("\"status\":{\"type\":\"string\",\"description\":\"scaling, not used, or unknown "    \
             "(handshake not captured)\"},\"shift\":" PA_S_INT ",\"multiplier\":" PA_S_INT)
#define OPTIONS_SCHEMA                                                                             \
    PA_S_OBJ("\"sack_permitted\":" PA_S_BOOL ",\"timestamps\":" PA_S_BOOL                          \
             ",\"segments_with_sack\":" PA_S_INT ",\"mss\":{\"type\":\"integer\","                 \
             "\"description\":\"absent when the SYN carried no MSS option\"}")

const pa_tool_def pa_tool_analyze_tcp_window_scaling = {
    .name = "analyze_tcp_window_scaling",
    .title = "TCP window scaling",
    .description = "Window scale per connection from the SYN options; window-full events.",
    .input_schema = PA_TCP_TOOL_INPUT_PAGED(20),
    .output_schema = TOOL_SCHEMA(
        "\"totals\",\"page\",\"connections_by_window\"",
        "\"totals\":" PA_S_OBJ(
            "\"connections\":" PA_S_INT ",\"scaling_both\":" PA_S_INT
            ",\"scaling_not_used\":" PA_S_INT ",\"scaling_unknown\":" PA_S_INT
            ",\"window_full\":" PA_S_INT)
        ",\"window_full_frames\":" FRAMES
        ",\"page\":" PA_PAGE_SCHEMA
        ",\"connections_by_window\":" PA_S_ROWS(
            PA_CONN_ID_PROPS ",\"client_scale\":" SCALE_SCHEMA ",\"server_scale\":" SCALE_SCHEMA
            ",\"client_max_window\":" PA_S_INT ",\"server_max_window\":" PA_S_INT
            ",\"window_full\":" PA_S_INT ",\"client_options\":" OPTIONS_SCHEMA
            ",\"server_options\":" OPTIONS_SCHEMA ",\"display_filter\":{\"type\":\"string\","
            "\"description\":\"selects the window-full segments; absent when there are none\"}")),
    .read_only = true,
    .idempotent = true,
    .run = run_window_scaling,
};

const pa_tool_def pa_tool_analyze_packet_timing_issues = {
    .name = "analyze_packet_timing_issues",
    .title = "Packet timing issues",
    .description = "Out-of-order segments, duplicate ACKs, lost segments, long silences.",
    .input_schema = PA_TCP_TOOL_INPUT_PAGED(10),
    .output_schema = TOOL_SCHEMA(
        "\"totals\",\"frames\",\"page\",\"worst_connections\"",
        "\"totals\":" PA_S_OBJ(
            "\"out_of_order\":" PA_S_INT ",\"duplicate_ack\":" PA_S_INT
            ",\"lost_segment\":" PA_S_INT ",\"ack_lost_segment\":" PA_S_INT
            ",\"tcp_segments\":" PA_S_INT ",\"keep_alive\":" PA_S_INT
            ",\"keep_alive_ack\":" PA_S_INT ",\"keep_alive_connections\":" PA_S_INT
            ",\"connections_affected\":" PA_S_INT)
        ",\"frames\":" PA_S_OBJ(
            "\"out_of_order\":" FRAMES ",\"duplicate_ack\":" FRAMES ",\"lost_segment\":" FRAMES
            ",\"ack_lost_segment\":" FRAMES ",\"keep_alive\":" FRAMES
            ",\"keep_alive_ack\":" FRAMES)
        ",\"page\":" PA_PAGE_SCHEMA
        ",\"worst_connections\":" PA_S_ROWS(
            PA_CONN_ID_PROPS ",\"out_of_order\":" PA_S_INT ",\"duplicate_ack\":" PA_S_INT
            ",\"lost_segment\":" PA_S_INT ",\"ack_lost_segment\":" PA_S_INT "," FILTER_PROP)
        ",\"keep_alive_connections\":" PA_S_ROWS(
            PA_CONN_ID_PROPS ",\"keep_alives\":" PA_S_INT ",\"from_client\":" PA_S_INT
            ",\"from_server\":" PA_S_INT ",\"keep_alive_acks\":" PA_S_INT
            ",\"not_acknowledged\":{\"type\":\"integer\",\"description\":\"keep-alives not "
            "matched by a keep-alive ACK of the peer in the capture\"}," FILTER_PROP)
        ",\"duplicate_acks\":" PA_S_ROWS(
            "\"frame\":" PA_S_INT ",\"number\":" PA_S_INT ",\"duplicates_frame\":" PA_S_INT)
        ",\"largest_gaps\":" PA_S_ROWS(
            PA_FLOW_ID_PROPS ",\"gap_s\":" PA_S_NUM ",\"resumed_at_frame\":" PA_S_INT)),
    .read_only = true,
    .idempotent = true,
    .run = run_timing,
};

const pa_tool_def pa_tool_analyze_congestion_indicators = {
    .name = "analyze_congestion_indicators",
    .title = "Congestion indicators",
    .description = "Window full, fast retransmits, duplicate ACKs, ECN: a verdict per connection.",
    .input_schema = PA_TCP_TOOL_INPUT_PAGED(10),
    .output_schema = TOOL_SCHEMA(
        "\"totals\",\"page\",\"connections\"",
        "\"totals\":" PA_S_OBJ(
            "\"window_full\":" PA_S_INT ",\"fast_retransmissions\":" PA_S_INT
            ",\"retransmissions\":" PA_S_INT ",\"dupack_bursts\":" PA_S_INT
            ",\"zero_windows\":" PA_S_INT ",\"ecn_ece\":" PA_S_INT ",\"ecn_cwr\":" PA_S_INT
            ",\"ecn_ce\":" PA_S_INT ",\"mean_bytes_in_flight\":" PA_S_NUM
            ",\"max_bytes_in_flight\":" PA_S_INT ",\"connections\":" PA_S_INT
            ",\"connections_affected\":{\"type\":\"integer\",\"description\":\"connections "
            "with any sign: the length of the list\"}")
        ",\"page\":" PA_PAGE_SCHEMA
        ",\"connections\":{\"type\":\"array\",\"description\":\"connections with a sign of "
        "congestion, most first\",\"items\":" PA_S_OBJ(
            PA_CONN_ID_PROPS ",\"window_full\":" PA_S_INT ",\"fast_retransmissions\":" PA_S_INT
            ",\"retransmissions\":" PA_S_INT ",\"dupack_bursts\":" PA_S_INT
            ",\"zero_windows\":" PA_S_INT ",\"ecn_ece\":" PA_S_INT ",\"ecn_ce\":" PA_S_INT
            ",\"max_bytes_in_flight\":" PA_S_INT ",\"verdict\":" PA_S_STR "," FILTER_PROP) "}"),
    .read_only = true,
    .idempotent = true,
    .run = run_congestion,
};
// clang-format on
