/* Connections as wholes: analyze_connection_lifecycle,
 * analyze_network_performance, analyze_network_latency,
 * analyze_network_quality_metrics. Every list is in the text too
 * (tool_report.h); the ranked lists page with `offset`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_icmp_common.h"
#include "tool_tcp_common.h"
#include "util_fmt.h"

static const char *state_of(const pa_conn *c) { return pa_conn_state(&c->f->zeek, PA_P_TCP); }
static double secs(int64_t ns) { return (double)ns / 1e9; }

/* ---- analyze_connection_lifecycle ------------------------------------------ */

/* How the connection started and ended, from Zeek's conn_state and history. */
static const char *outcome(const pa_conn *c) {
    const char *s = state_of(c), *h = c->f->zeek.history;
    if (!strcmp(s, "S0") || !strcmp(s, "SH") || !strcmp(s, "RSTOS0")) return "syn_unanswered";
    if (!strcmp(s, "REJ")) return "refused";
    if (!strcmp(s, "S1") || !strcmp(s, "SF") || !strcmp(s, "S2") || !strcmp(s, "S3") || !strcmp(s, "RSTO") ||
        !strcmp(s, "RSTR"))
        return strchr(h, 'S') ? "established" : "midstream";
    if (strchr(h, 'h') && !strchr(h, 'S')) return "synack_without_syn";
    return "midstream";
}

static const char *closing(const pa_conn *c) {
    const char *s = state_of(c);
    if (!strcmp(s, "SF")) return "fin_both";
    if (!strcmp(s, "S2") || !strcmp(s, "SH")) return "fin_client_only";
    if (!strcmp(s, "S3") || !strcmp(s, "SHR")) return "fin_server_only";
    if (!strcmp(s, "RSTO") || !strcmp(s, "RSTOS0")) return "rst_by_client";
    if (!strcmp(s, "RSTR") || !strcmp(s, "REJ") || !strcmp(s, "RSTRH")) return "rst_by_server";
    return "open_at_end";
}

static double problem_score(const pa_conn *c) {
    const char *o = outcome(c), *cl = closing(c);
    double s = 0;
    if (!strcmp(o, "refused") || !strcmp(o, "syn_unanswered")) s += 100;
    if (!strncmp(cl, "rst", 3)) s += 50;
    s += pa_conn_count(c, PA_TA_BIT_RETRANSMISSION) + pa_conn_count(c, PA_TA_BIT_ZERO_WINDOW);
    return s + (double)(c->f->bytes_a + c->f->bytes_b) / 1e9;
}

static json_t *conn_row(const pa_conn *c, pa_buf *b, const void *ud) {
    const pa_model *m = ud;
    json_t *o = pa_conn_json(c);
    const pa_tcp_state *st = c->f->tcp;
    int cs = c->cs;
    uint64_t cb = cs == 0 ? c->f->payload_a : c->f->payload_b, sb = cs == 0 ? c->f->payload_b : c->f->payload_a;
    uint32_t segs = st->data_segments[0] + st->data_segments[1];
    double retr = pa_pct(pa_conn_count(c, PA_TA_BIT_RETRANSMISSION), segs);
    double dur = secs(c->f->last_ts - c->f->first_ts), start = secs(c->f->first_ts - m->first_ts);
    json_object_set_new(o, "outcome", json_string(outcome(c)));
    json_object_set_new(o, "close", json_string(closing(c)));
    json_object_set_new(o, "conn_state", json_string(state_of(c)));
    json_object_set_new(o, "history", json_string(c->f->zeek.history));
    json_object_set_new(o, "first_frame", json_integer((json_int_t)c->f->first_frame));
    json_object_set_new(o, "last_frame", json_integer((json_int_t)c->f->last_frame));
    json_object_set_new(o, "start_s", json_real(start));
    json_object_set_new(o, "duration_s", json_real(dur));
    json_object_set_new(o, "client_bytes", json_integer((json_int_t)cb));
    json_object_set_new(o, "server_bytes", json_integer((json_int_t)sb));
    json_object_set_new(o, "retransmission_rate_pct", json_real(retr));
    pa_buf_printf(b,
                  ": %s, %s (%s %s), frames %llu-%llu, +%.3f s for %.3f s, payload %llu / %llu "
                  "bytes, %.1f%% retr",
                  outcome(c), closing(c), state_of(c), c->f->zeek.history, (unsigned long long)c->f->first_frame,
                  (unsigned long long)c->f->last_frame, start, dur, (unsigned long long)cb, (unsigned long long)sb,
                  retr);
    if (st->first_rtt_set) {
        json_object_set_new(o, "handshake_rtt_ms", json_real((double)st->first_rtt_ns / 1e6));
        pa_buf_printf(b, ", handshake %.3f ms", (double)st->first_rtt_ns / 1e6);
    }
    if (st->rtt_samples) {
        double avg = (double)st->rtt_sum_ns / (double)st->rtt_samples / 1e6;
        json_object_set_new(o, "ack_rtt_avg_ms", json_real(avg));
        pa_buf_printf(b, ", ACK RTT mean %.3f ms", avg);
    }
    pa_buf_puts(b, "\n");
    /* segments by leading flag per side, to cross-check with session tools */
    for (int side = 0; side < 2; side++) {
        int k = side == 0 ? cs : 1 - cs;
        json_object_set_new(o, side == 0 ? "client_segments" : "server_segments",
                            json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "syn", st->by_flag[k][PA_SEG_SYN],
                                      "syn_ack", st->by_flag[k][PA_SEG_SYNACK], "rst", st->by_flag[k][PA_SEG_RST],
                                      "fin", st->by_flag[k][PA_SEG_FIN], "psh", st->by_flag[k][PA_SEG_PSH], "ack",
                                      st->by_flag[k][PA_SEG_ACK], "zero_window", st->zero_win_segs[k], "data",
                                      st->data_segments[k]));
    }
    return o;
}

/* " name N;" for each key of a count map that is present, in this order. */
static void counts_text(pa_buf *t, const char *head, json_t *counts, const char *const *keys, size_t n) {
    pa_buf_puts(t, head);
    for (size_t k = 0; k < n; k++)
        if (json_object_get(counts, keys[k]))
            pa_buf_printf(t, " %s %lld;", keys[k], (long long)json_integer_value(json_object_get(counts, keys[k])));
    pa_buf_puts(t, "\n");
}

static void run_lifecycle(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
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
    json_t *states = json_object(), *outcomes = json_object(), *closes = json_object();
    int64_t *hs_v = malloc((n ? n : 1) * sizeof *hs_v);
    size_t hs_n = 0;
    for (size_t i = 0; i < n; i++) {
        const char *keys[3] = {state_of(&cv[i]), outcome(&cv[i]), closing(&cv[i])};
        json_t *objs[3] = {states, outcomes, closes};
        for (int k = 0; k < 3; k++)
            json_object_set_new(objs[k], keys[k],
                                json_integer(json_integer_value(json_object_get(objs[k], keys[k])) + 1));
        /* handshake times only for handshakes that completed (a refusing
         * RST also ends Wireshark's initial-RTT clock) */
        if (hs_v && cv[i].f->tcp->first_rtt_set && !strcmp(outcome(&cv[i]), "established"))
            hs_v[hs_n++] = cv[i].f->tcp->first_rtt_ns;
    }
    pa_buf_printf(t, "%zu TCP connections.", n);
    static const char *const ok[] = {"established", "syn_unanswered", "refused", "synack_without_syn", "midstream"};
    counts_text(t, "", outcomes, ok, 5);
    static const char *const ck[] = {"fin_both",      "fin_client_only", "fin_server_only",
                                     "rst_by_client", "rst_by_server",   "open_at_end"};
    counts_text(t, "Closed by:", closes, ck, 6);
    pa_buf_puts(t, "Zeek conn_state:");
    const char *key;
    json_t *v;
    json_object_foreach(states, key, v) pa_buf_printf(t, " %s %lld;", key, (long long)json_integer_value(v));
    pa_buf_puts(t, "\n");
    json_t *hs = json_pack("{s:I}", "measured", (json_int_t)hs_n);
    if (hs_n) { /* exact, over the same connections as min and max */
        pa_ns_summary sum;
        json_decref(pa_ns_summary_json(hs_v, hs_n, &sum));
        json_object_set_new(hs, "min_ms", json_real(sum.min_ms));
        json_object_set_new(hs, "p50_ms", json_real(sum.p50_ms));
        json_object_set_new(hs, "p90_ms", json_real(sum.p90_ms));
        json_object_set_new(hs, "max_ms", json_real(sum.max_ms));
        pa_buf_printf(t,
                      "Handshake time (SYN to the ACK of the SYN-ACK) over %zu connections: min %.3f ms, "
                      "max %.3f ms.\n",
                      hs_n, sum.min_ms, sum.max_ms);
    }
    res->structured =
        json_pack("{s:o, s:I, s:o, s:o, s:o, s:o}", "capture", pa_capture_json(&l), "connections", (json_int_t)n,
                  "by_outcome", outcomes, "by_close", closes, "by_conn_state", states, "handshake_time", hs);
    pa_conn_list(&rep, cv, n, problem_score, n, offset, lim, "Connections, most problematic first,",
                 " (outcome, close, Zeek conn_state and history; payload client / server)", conn_row, m, "rows",
                 "page");
    pa_report_finish(&rep);
    free(hs_v);
    free(cv);
    pa_tool_unload(&l);
}

/* ---- analyze_network_performance ------------------------------------------- */

static double conn_bps(const pa_conn *c) {
    double d = secs(c->f->last_ts - c->f->first_ts);
    return d > 0 ? (double)(c->f->bytes_a + c->f->bytes_b) * 8 / d : 0;
}
static double conn_retrans_rate(const pa_conn *c) {
    return pa_pct(pa_conn_count(c, PA_TA_BIT_RETRANSMISSION),
                  c->f->tcp->data_segments[0] + c->f->tcp->data_segments[1]);
}
static bool enough_data(const pa_conn *c) { return c->f->payload_a + c->f->payload_b >= 10000; }
static double neg_bps(const pa_conn *c) {
    /* slowest first, among connections that moved enough data to judge */
    return enough_data(c) ? -conn_bps(c) : -1e300;
}

static json_t *perf_row(const pa_conn *c, pa_buf *b, const void *ud) {
    (void)ud;
    json_t *o = pa_conn_json(c);
    const pa_tcp_state *st = c->f->tcp;
    double d = secs(c->f->last_ts - c->f->first_ts);
    uint64_t payload = c->f->payload_a + c->f->payload_b, rb = st->retrans_bytes[0] + st->retrans_bytes[1];
    double good = d > 0 ? (double)(payload > rb ? payload - rb : 0) * 8 / d : 0.0;
    uint32_t lost = pa_conn_count(c, PA_TA_BIT_LOST_SEGMENT);
    json_object_set_new(o, "bytes", json_integer((json_int_t)(c->f->bytes_a + c->f->bytes_b)));
    json_object_set_new(o, "duration_s", json_real(d));
    json_object_set_new(o, "throughput_bps", json_real(conn_bps(c)));
    json_object_set_new(o, "goodput_bps", json_real(good));
    json_object_set_new(o, "retransmission_rate_pct", json_real(conn_retrans_rate(c)));
    json_object_set_new(o, "lost_segments", json_integer(lost));
    char r1[32], r2[32];
    pa_fmt_rate(r1, sizeof r1, conn_bps(c));
    pa_fmt_rate(r2, sizeof r2, good);
    pa_buf_printf(b, ": %s (goodput %s) over %.3f s, %llu bytes, %.2f%% retransmitted, %u segments not captured", r1,
                  r2, d, (unsigned long long)(c->f->bytes_a + c->f->bytes_b), conn_retrans_rate(c), lost);
    if (st->rtt_samples) {
        double avg = (double)st->rtt_sum_ns / (double)st->rtt_samples / 1e6;
        json_object_set_new(o, "rtt_avg_ms", json_real(avg));
        pa_buf_printf(b, ", ACK RTT mean %.3f ms", avg);
    }
    pa_buf_puts(b, "\n");
    return o;
}

static size_t count_if(const pa_conn *cv, size_t n, bool (*pred)(const pa_conn *)) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += pred(&cv[i]);
    return k;
}

static void run_performance(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
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
    uint64_t bytes = 0, payload = 0, rbytes = 0, rtt_n = 0, rtt_sum = 0;
    for (size_t i = 0; i < n; i++) {
        bytes += cv[i].f->bytes_a + cv[i].f->bytes_b;
        payload += cv[i].f->payload_a + cv[i].f->payload_b;
        rbytes += cv[i].f->tcp->retrans_bytes[0] + cv[i].f->tcp->retrans_bytes[1];
        rtt_n += cv[i].f->tcp->rtt_samples;
        rtt_sum += cv[i].f->tcp->rtt_sum_ns;
    }
    double dur = secs(m->last_ts - m->first_ts);
    double thr = dur > 0 ? (double)bytes * 8 / dur : 0,
           good = dur > 0 ? (double)(payload - (rbytes < payload ? rbytes : payload)) * 8 / dur : 0;
    double rrate = pa_pct((double)m->ta_count[PA_TA_BIT_RETRANSMISSION], (double)m->tcp_data_segments);
    double lrate = pa_pct((double)(m->ta_count[PA_TA_BIT_LOST_SEGMENT] + m->ta_count[PA_TA_BIT_ACK_LOST_SEGMENT]),
                          (double)m->tcp_data_segments);
    char r1[32], r2[32];
    pa_fmt_rate(r1, sizeof r1, thr);
    pa_fmt_rate(r2, sizeof r2, good);
    pa_buf_printf(t,
                  "TCP over %.3f s: throughput %s, goodput %s; retransmissions %.2f%%, segments lost "
                  "before the capture point %.2f%%; mean ACK RTT %.3f ms over %llu samples.\n",
                  dur, r1, r2, rrate, lrate, rtt_n ? (double)rtt_sum / (double)rtt_n / 1e6 : 0.0,
                  (unsigned long long)rtt_n);
    size_t nslow = count_if(cv, n, enough_data), nlossy = pa_conn_count_scored(cv, n, conn_retrans_rate);
    res->structured =
        json_pack("{s:o, s:{s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:I, s:I, s:I}}", "capture", pa_capture_json(&l),
                  "overall", "connections", (json_int_t)n, "bytes", (json_int_t)bytes, "throughput_bps", thr,
                  "goodput_bps", good, "retransmission_rate_pct", rrate, "loss_rate_pct", lrate, "rtt_avg_ms",
                  rtt_n ? (double)rtt_sum / (double)rtt_n / 1e6 : 0.0, "rtt_samples", (json_int_t)rtt_n,
                  "connections_10kb_or_more", (json_int_t)nslow, "connections_retransmitting", (json_int_t)nlossy);
    if (!nslow) pa_buf_puts(t, "No connection moved 10 KB or more of data: none is ranked by speed.\n");
    /* the slowest page with offset; the lossiest are the top `limit` */
    pa_conn_list(&rep, cv, n, neg_bps, nslow, offset, lim, "Slowest connections (10 KB or more of data),", "", perf_row,
                 NULL, "slowest", "page");
    pa_conn_list(&rep, cv, n, conn_retrans_rate, nlossy, 0, lim, "Lossiest connections,", "", perf_row, NULL,
                 "lossiest", NULL);
    pa_report_finish(&rep);
    free(cv);
    pa_tool_unload(&l);
}

/* ---- analyze_network_latency ------------------------------------------------- */

typedef struct server_rtt {
    pa_addr addr; /* key: address and port */
    uint8_t pad;
    uint16_t port;
    uint32_t n;
    int64_t min_ns, max_ns, sum_ns;
} server_rtt;

static pa_pctls conn_pctls(const pa_tcp_state *st) {
    pa_pctl_src src = pa_pctl_src32(st->rtt_samples, st->rtt_min_ns, st->rtt_max_ns, st->rtt_hist, &st->rtt_kept);
    return pa_pctls_of(&src);
}

static double p90_of(const pa_conn *c) { return c->f->tcp->rtt_samples ? conn_pctls(c->f->tcp).p90_ms : -1; }

static int server_desc(const void *x, const void *y) {
    const server_rtt *a = *(const server_rtt *const *)x, *b = *(const server_rtt *const *)y;
    double ma = (double)a->sum_ns / a->n, mb = (double)b->sum_ns / b->n;
    if (ma != mb) return ma < mb ? 1 : -1;
    int c = memcmp(&a->addr, &b->addr, sizeof a->addr);
    return c ? c : (a->port > b->port) - (a->port < b->port);
}

/* Application-level waits next to the network's: HTTP request -> response,
 * TLS ClientHello -> handshake complete, DNS query -> response (details in
 * analyze_application_response_times). */
static json_t *app_latency(const pa_model *m, pa_buf *t) {
    size_t cap = m->http.ntx > m->tls.nconns ? m->http.ntx : m->tls.nconns;
    int64_t *v = malloc((cap ? cap : 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; v && i < m->http.ntx; i++)
        if (m->http.tx[i].rt_ns >= 0) v[n++] = m->http.tx[i].rt_ns;
    pa_ns_summary hs, ts;
    json_t *http = pa_ns_summary_json(v, v ? n : 0, &hs);
    size_t nh = n;
    n = 0;
    for (size_t i = 0; v && i < m->tls.nconns; i++)
        if (m->tls.conns[i].ch_frame && m->tls.conns[i].done_frame)
            v[n++] = m->tls.conns[i].done_ts - m->tls.conns[i].ch_ts;
    json_t *tls = pa_ns_summary_json(v, v ? n : 0, &ts);
    free(v);
    const pa_dns_stats *d = &m->dns;
    json_t *dns = json_pack("{s:I}", "samples", (json_int_t)d->rt_n);
    if (d->rt_n) {
        json_object_set_new(dns, "mean_ms", json_real(d->rt_sum / (double)d->rt_n / 1e6));
        pa_pctls p = pa_dns_pctls(d);
        json_object_set_new(dns, "p90_ms", json_real(p.p90_ms));
        json_object_set_new(dns, "percentiles_estimated", json_boolean(p.estimated));
        json_object_set_new(dns, "max_ms", json_real((double)d->rt_max / 1e6));
    }
    if (nh || n || d->rt_n) pa_buf_puts(t, "Application response times:");
    if (nh) pa_buf_printf(t, " HTTP median %.3f ms (p90 %.3f, %zu);", hs.p50_ms, hs.p90_ms, nh);
    if (n) pa_buf_printf(t, " TLS handshake median %.3f ms (p90 %.3f, %zu);", ts.p50_ms, ts.p90_ms, n);
    if (d->rt_n)
        pa_buf_printf(t, " DNS mean %.3f ms (%llu);", d->rt_sum / (double)d->rt_n / 1e6, (unsigned long long)d->rt_n);
    if (nh || n || d->rt_n) pa_buf_puts(t, " details: analyze_application_response_times.\n");
    return json_pack("{s:o, s:o, s:o}", "http", http, "tls_handshake", tls, "dns", dns);
}

static json_t *rtt_row(const pa_conn *c, pa_buf *b, const void *ud) {
    (void)ud;
    const pa_tcp_state *st = c->f->tcp;
    double mean = (double)st->rtt_sum_ns / (double)st->rtt_samples / 1e6;
    pa_pctls p = conn_pctls(st);
    const char *a = pa_pctl_about(&p);
    json_t *o = pa_conn_json(c);
    json_object_set_new(o, "samples", json_integer((json_int_t)st->rtt_samples));
    json_object_set_new(o, "min_ms", json_real((double)st->rtt_min_ns / 1e6));
    json_object_set_new(o, "mean_ms", json_real(mean));
    pa_pctls_json(o, &p);
    json_object_set_new(o, "max_ms", json_real((double)st->rtt_max_ns / 1e6));
    pa_buf_printf(b,
                  ": %llu samples, min %.3f ms, mean %.3f ms, p50 %s%.3f ms, p90 %s%.3f ms, "
                  "p99 %s%.3f ms, max %.3f ms",
                  (unsigned long long)st->rtt_samples, (double)st->rtt_min_ns / 1e6, mean, a, p.p50_ms, a, p.p90_ms, a,
                  p.p99_ms, (double)st->rtt_max_ns / 1e6);
    if (st->first_rtt_set) {
        json_object_set_new(o, "handshake_rtt_ms", json_real((double)st->first_rtt_ns / 1e6));
        pa_buf_printf(b, "; handshake %.3f ms", (double)st->first_rtt_ns / 1e6);
    }
    pa_buf_puts(b, "\n");
    return o;
}

static void run_latency(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
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
    pa_htab servers;
    if (pa_htab_init(&servers, sizeof(server_rtt), offsetof(server_rtt, n), 65536)) {
        free(cv);
        pa_tool_unload(&l);
        pa_tool_fail(res, "out of memory");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const pa_tcp_state *st = cv[i].f->tcp;
        if (!st->first_rtt_set || !strcmp(state_of(&cv[i]), "REJ")) continue;
        server_rtt k;
        memset(&k, 0, sizeof k);
        k.addr = cv[i].server;
        k.port = cv[i].sport;
        bool created;
        server_rtt *s = pa_htab_upsert(&servers, &k, &created);
        if (!s) continue;
        if (!s->n || st->first_rtt_ns < s->min_ns) s->min_ns = st->first_rtt_ns;
        if (st->first_rtt_ns > s->max_ns) s->max_ns = st->first_rtt_ns;
        s->sum_ns += st->first_rtt_ns;
        s->n++;
    }
    /* every sample of the capture, those of connections no longer listed too */
    const pa_dist *rd = &m->rtt;
    json_t *overall = json_pack("{s:I}", "samples", (json_int_t)rd->n);
    if (rd->n) {
        pa_pctl_src src = pa_dist_src(rd);
        pa_pctls p = pa_pctls_of(&src);
        const char *a = pa_pctl_about(&p);
        json_object_set_new(overall, "min_ms", json_real((double)rd->min / 1e6));
        json_object_set_new(overall, "mean_ms", json_real(rd->sum / (double)rd->n / 1e6));
        pa_pctls_json(overall, &p);
        json_object_set_new(overall, "max_ms", json_real((double)rd->max / 1e6));
        pa_buf_printf(t,
                      "ACK RTT over %llu samples: min %.3f ms, mean %.3f ms, p50 %s%.3f ms, p90 %s%.3f ms, "
                      "p99 %s%.3f ms, max %.3f ms.\n",
                      (unsigned long long)rd->n, (double)rd->min / 1e6, rd->sum / (double)rd->n / 1e6, a, p.p50_ms, a,
                      p.p90_ms, a, p.p99_ms, (double)rd->max / 1e6);
        if (p.estimated)
            pa_buf_printf(t,
                          "Percentiles estimated: more samples than the %d kept, each placed within its "
                          "power-of-two bucket.\n",
                          PA_PCTL_KEEP_CAPTURE);
    } else {
        pa_buf_puts(t, "No ACK RTT samples (no acknowledged TCP data).\n");
    }
    json_t *app = app_latency(m, t);
    size_t nconn = pa_conn_count_scored(cv, n, p90_of); /* those with ACK RTT samples */
    res->structured =
        json_pack("{s:o, s:o, s:o, s:I, s:I}", "capture", pa_capture_json(&l), "ack_rtt", overall, "application", app,
                  "servers", (json_int_t)servers.count, "connections_measured", (json_int_t)nconn);

    /* ACK RTT per connection, highest p90 first */
    pa_conn_list(&rep, cv, n, p90_of, nconn, offset, lim, "ACK RTT per connection, highest p90 first,", "", rtt_row,
                 NULL, "connections", "page");

    /* handshake RTT per server, slowest first */
    const server_rtt **sv = malloc((servers.count ? servers.count : 1) * sizeof *sv);
    size_t ns = 0;
    for (size_t i = 0; sv && i < servers.cap; i++)
        if (servers.used[i]) sv[ns++] = pa_htab_at(&servers, i);
    if (sv) qsort(sv, ns, sizeof *sv, server_desc);
    pa_page_heading(t, "Handshake RTT per server (SYN to the ACK of the SYN-ACK), slowest first,", 0, lim, ns, "");
    pa_rows rows;
    pa_rows_begin(&rows, &rep, "servers", 0, lim, ns, false);
    for (size_t i = 0; sv && i < ns && i < lim; i++) {
        const server_rtt *s = sv[i];
        double mean = (double)s->sum_ns / s->n / 1e6;
        pa_buf *b = pa_rows_line(&rows);
        pa_buf_puts(b, "  ");
        pa_endpoint_text(b, &s->addr, s->port);
        pa_buf_printf(b, ": %u connections, mean %.3f ms (min %.3f, max %.3f)\n", s->n, mean, (double)s->min_ns / 1e6,
                      (double)s->max_ns / 1e6);
        if (!pa_rows_push(&rows, json_pack("{s:o, s:i, s:I, s:f, s:f, s:f}", "server", pa_json_addr(&s->addr), "port",
                                           s->port, "connections", (json_int_t)s->n, "min_ms", (double)s->min_ns / 1e6,
                                           "mean_ms", mean, "max_ms", (double)s->max_ns / 1e6)))
            break;
    }
    pa_rows_end(&rows, res->structured, "handshake_rtt_by_server", NULL);
    free(sv);

    pa_report_finish(&rep);
    pa_htab_free(&servers);
    free(cv);
    pa_tool_unload(&l);
}

/* ---- analyze_network_quality_metrics ------------------------------------------- */

static int icmp_flow_desc(const void *x, const void *y) {
    const pa_icmp_flow *a = *(const pa_icmp_flow *const *)x, *b = *(const pa_icmp_flow *const *)y;
    if (a->count != b->count) return a->count < b->count ? 1 : -1;
    return (a->frames[0] > b->frames[0]) - (a->frames[0] < b->frames[0]);
}

static int kind_desc(const void *x, const void *y) {
    const pa_icmp_kind *a = x, *b = y;
    if (a->count != b->count) return a->count < b->count ? 1 : -1;
    return (a->frames[0] > b->frames[0]) - (a->frames[0] < b->frames[0]);
}

/* The ICMP errors by type and code (all of them: PA_ICMP_MAX_KINDS at most). */
static void icmp_kinds_list(pa_report *rep, const pa_icmp_kind *kinds, size_t nk) {
    pa_buf *t = &rep->res->text;
    if (nk) pa_buf_puts(t, "ICMP errors by type and code (first frames; the filter selects them):\n");
    pa_rows rows;
    pa_rows_begin(&rows, rep, "kinds", 0, nk, nk, false);
    for (size_t i = 0; i < nk; i++) {
        const pa_icmp_kind *k = &kinds[i];
        const pa_icmp_meaning *e = pa_icmp_meaning_of(k->ver, k->type, k->code);
        char filter[64];
        pa_icmp_type_filter(filter, sizeof filter, k->ver, k->type, k->code);
        pa_buf *b = pa_rows_line(&rows);
        pa_buf_printf(b, "  %s (%s %u/%u) x%llu: %s; frames", e ? e->name : "error", k->ver == 6 ? "ICMPv6" : "ICMP",
                      k->type, k->code, (unsigned long long)k->count, e ? e->meaning : "");
        json_t *o = json_pack("{s:s, s:s, s:i, s:i, s:I, s:b, s:s, s:s}", "kind", e ? e->name : "error", "protocol",
                              k->ver == 6 ? "icmpv6" : "icmp", "type", k->type, "code", k->code, "count",
                              (json_int_t)k->count, "affects_quality", pa_icmp_hurts(k->ver, k->type), "meaning",
                              e ? e->meaning : "", "display_filter", filter);
        json_object_set_new(o, "first_frames", pa_icmp_frames_json(k->frames, k->count, b));
        pa_buf_printf(b, "; %s\n", filter);
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, rep->res->structured, "icmp_error_kinds", NULL);
}

/* The flows the errors quote, most errors first (paged). */
static void icmp_flows_list(pa_report *rep, const pa_icmp_stats *ic, size_t offset, size_t lim) {
    pa_buf *t = &rep->res->text;
    const pa_icmp_flow **v = malloc((ic->flows.count ? ic->flows.count : 1) * sizeof *v);
    size_t n = 0;
    for (size_t r = 0; v && r < ic->flows.count; r++) v[n++] = pa_htab_rec(&ic->flows, r);
    if (v) qsort(v, n, sizeof *v, icmp_flow_desc);
    pa_page_heading(t, "ICMP errors by the datagram they quote,", offset, lim, n,
                    " (reporter, quoted flow and its stream, frames; the filter selects them)");
    pa_rows rows;
    pa_rows_begin(&rows, rep, "quoted flows", offset, lim, n, true);
    for (size_t i = offset; v && i < n && i - offset < lim; i++) {
        const pa_icmp_flow *f = v[i];
        const pa_icmp_meaning *e = pa_icmp_meaning_of(f->ver, f->type, f->code);
        const char *pn = pa_ip_proto_name(f->proto);
        char filter[400], num[16];
        pa_icmp_flow_filter(filter, sizeof filter, f);
        snprintf(num, sizeof num, "proto %u", f->proto);
        pa_buf *b = pa_rows_line(&rows);
        char r[64];
        pa_addr_str(&f->reporter, r, sizeof r);
        pa_buf_printf(b, "  %s x%llu from %s", e ? e->name : "error", (unsigned long long)f->count, r);
        json_t *o = json_pack("{s:s, s:s, s:i, s:i, s:o, s:I}", "kind", e ? e->name : "error", "protocol",
                              f->ver == 6 ? "icmpv6" : "icmp", "type", f->type, "code", f->code, "reporter",
                              pa_json_addr(&f->reporter), "count", (json_int_t)f->count);
        if (f->quoted) {
            bool ports = f->ports;
            pa_buf_printf(b, " about %s ", pn ? pn : num);
            if (ports) {
                pa_endpoint_text(b, &f->src, f->sport);
                pa_buf_puts(b, " -> ");
                pa_endpoint_text(b, &f->dst, f->dport);
            } else {
                char a[64], d[64];
                pa_addr_str(&f->src, a, sizeof a);
                pa_addr_str(&f->dst, d, sizeof d);
                pa_buf_printf(b, "%s -> %s", a, d);
            }
            json_object_set_new(o, "quoted_protocol", json_string(pn ? pn : num));
            json_object_set_new(o, "src", pa_json_addr(&f->src));
            json_object_set_new(o, "dst", pa_json_addr(&f->dst));
            if (ports) {
                json_object_set_new(o, "src_port", json_integer(f->sport));
                json_object_set_new(o, "dst_port", json_integer(f->dport));
            }
            if (f->stream >= 0) {
                json_object_set_new(o, "stream", json_integer((json_int_t)f->stream));
                pa_buf_printf(b, " (%s.stream %lld)", pn, (long long)f->stream);
            } else if (ports) {
                pa_buf_puts(b, " (not in the capture)");
            }
        } else {
            pa_buf_puts(b, " (the quoted header was not captured)");
        }
        if (f->mtu) {
            json_object_set_new(o, "mtu", json_integer(f->mtu));
            pa_buf_printf(b, ", next-hop MTU %u", f->mtu);
        }
        pa_buf_puts(b, ", frames");
        json_object_set_new(o, "first_frames", pa_icmp_frames_json(f->frames, f->count, b));
        if (f->count > PA_ICMP_FIRST_FRAMES) pa_buf_printf(b, " .. %llu", (unsigned long long)f->last_frame);
        json_object_set_new(o, "last_frame", json_integer((json_int_t)f->last_frame));
        json_object_set_new(o, "display_filter", json_string(filter));
        pa_buf_printf(b, "; %s\n", filter);
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, rep->res->structured, "icmp_errors", "page");
    free(v);
}

static double max_jitter(const pa_flow *f) { return fmax(f->jitter_ns[0], f->jitter_ns[1]); }

static int jitter_desc(const void *x, const void *y) {
    const pa_flow *a = *(const pa_flow *const *)x, *b = *(const pa_flow *const *)y;
    /* flows of fewer than 3 packets have no jitter to speak of: last */
    bool sa = a->pkts_a + a->pkts_b >= 3, sb = b->pkts_a + b->pkts_b >= 3;
    if (sa != sb) return sa ? -1 : 1;
    double ja = max_jitter(a), jb = max_jitter(b);
    if (ja != jb) return ja < jb ? 1 : -1;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

/* The verdict names what drives it, so the next step is clear. */
typedef struct quality {
    double retr, loss, err, jitter_ms, icmp_pct;
    uint64_t icmp_bad;
} quality;

static const char *grade_of(const quality *q, const pa_icmp_kind *kinds, size_t nk, char *why, size_t wn) {
    const char *grade = "good";
    if (q->retr > 5 || q->loss > 2 || q->icmp_pct >= 5)
        grade = "poor";
    else if (q->retr > 1 || q->loss > 0.5 || q->jitter_ms > 30 || q->err > 1 || q->icmp_bad)
        grade = "fair";
    size_t wl = 0;
    why[0] = '\0';
#define WHY(...)                                                                                                       \
    do {                                                                                                               \
        if (wl < wn) wl += (size_t)snprintf(why + wl, wn - wl, __VA_ARGS__);                                           \
    } while (0)
    if (q->retr > 1) WHY("retransmissions %.2f%%; ", q->retr);
    if (q->loss > 0.5) WHY("segments missing %.2f%%; ", q->loss);
    if (q->jitter_ms > 30) WHY("jitter up to %.1f ms; ", q->jitter_ms);
    if (q->err > 1) WHY("malformed packets %.2f%%; ", q->err);
    if (q->icmp_bad) {
        WHY("ICMP errors %llu (%.2f%% of packets:", (unsigned long long)q->icmp_bad, q->icmp_pct);
        size_t shown = 0;
        for (size_t i = 0; i < nk && shown < 3; i++) { /* kinds are sorted, most first */
            if (!pa_icmp_hurts(kinds[i].ver, kinds[i].type)) continue;
            const pa_icmp_meaning *e = pa_icmp_meaning_of(kinds[i].ver, kinds[i].type, kinds[i].code);
            WHY("%s %s %llu", shown ? "," : "", e ? e->name : "error", (unsigned long long)kinds[i].count);
            shown++;
        }
        WHY("); ");
    }
#undef WHY
    if (!wl)
        snprintf(why, wn, "no loss, retransmission, jitter, ICMP error or malformed packet above thresholds");
    else if (wl < wn && wl >= 2)
        why[wl - 2] = '\0'; /* drop the last "; " */
    return grade;
}

static void run_quality(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    size_t lim = pa_arg_limit(args), offset = pa_arg_offset(args);
    pa_text_capture_header(t, &l);
    uint64_t anomalies = 0;
    for (int a = 0; a < PA_A_COUNT; a++)
        if (a != PA_A_FRAME_SNAPLEN) anomalies += m->anom_count[a]; /* a snaplen cut is not an error */
    const pa_icmp_stats *ic = &m->icmp;
    pa_icmp_kind kinds[PA_ICMP_MAX_KINDS];
    memcpy(kinds, ic->kinds, ic->nkinds * sizeof kinds[0]);
    qsort(kinds, ic->nkinds, sizeof kinds[0], kind_desc);
    quality q = {0};
    for (size_t i = 0; i < ic->nkinds; i++)
        if (pa_icmp_hurts(kinds[i].ver, kinds[i].type)) q.icmp_bad += kinds[i].count;
    q.loss = pa_pct((double)(m->ta_count[PA_TA_BIT_LOST_SEGMENT] + m->ta_count[PA_TA_BIT_ACK_LOST_SEGMENT]),
                    (double)m->tcp_data_segments);
    q.retr = pa_pct((double)m->ta_count[PA_TA_BIT_RETRANSMISSION], (double)m->tcp_data_segments);
    q.err = pa_pct((double)anomalies, (double)m->packets);
    q.icmp_pct = pa_pct((double)q.icmp_bad, (double)m->packets);
    const pa_flow **fl;
    size_t nf = pa_model_flows(m, -1, &fl), njit = 0;
    if (fl) qsort(fl, nf, sizeof *fl, jitter_desc);
    while (njit < nf && fl[njit]->pkts_a + fl[njit]->pkts_b >= 3) njit++;
    q.jitter_ms = njit ? max_jitter(fl[0]) / 1e6 : 0;
    char why[512];
    const char *grade = grade_of(&q, kinds, ic->nkinds, why, sizeof why);
    pa_buf_printf(t,
                  "Quality: %s (%s).\nRetransmissions %.2f%%, segments not captured %.2f%%, decoding "
                  "errors %.2f%% of packets.\n",
                  grade, why, q.retr, q.loss, q.err);
    if (ic->errors)
        pa_buf_printf(t,
                      "%llu ICMP/ICMPv6 errors, %llu of them delivery failures (redirects are "
                      "routing hints); "
                      "%llu without a readable quoted header.\n",
                      (unsigned long long)ic->errors, (unsigned long long)q.icmp_bad, (unsigned long long)ic->unquoted);
    if (ic->kinds_overflow || ic->flows_overflow)
        pa_buf_printf(t,
                      "LIMIT icmp_errors: %llu errors beyond %d kinds and %llu beyond %d quoted "
                      "flows were counted, "
                      "not itemised.\n",
                      (unsigned long long)ic->kinds_overflow, PA_ICMP_MAX_KINDS, (unsigned long long)ic->flows_overflow,
                      PA_ICMP_MAX_FLOWS);
    res->structured = json_pack(
        "{s:o, s:s, s:s, s:{s:f, s:f, s:f, s:f, s:f}, s:{s:I, s:I, s:I, s:I, s:I, s:I}}", "capture",
        pa_capture_json(&l), "verdict", grade, "drivers", why, "rates", "retransmission_pct", q.retr,
        "segments_not_captured_pct", q.loss, "decoding_error_pct", q.err, "max_jitter_ms", q.jitter_ms,
        "icmp_error_pct", q.icmp_pct, "icmp_totals", "errors", (json_int_t)ic->errors, "delivery_failures",
        (json_int_t)q.icmp_bad, "without_quote", (json_int_t)ic->unquoted, "quoted_flows", (json_int_t)ic->flows.count,
        "kinds_not_itemised", (json_int_t)ic->kinds_overflow, "flows_not_itemised", (json_int_t)ic->flows_overflow);
    icmp_flows_list(&rep, ic, offset, lim);
    icmp_kinds_list(&rep, kinds, ic->nkinds);

    pa_page_heading(t, "Highest jitter (variation of inter-arrival times, RFC 3550 estimate; A->B / B->A),", 0, lim,
                    njit, "");
    pa_rows rows;
    pa_rows_begin(&rows, &rep, "flows", 0, lim, njit, false);
    for (size_t i = 0; i < njit && i < lim; i++) {
        const pa_flow *f = fl[i];
        int ia = f->a_first ? 0 : 1;
        pa_buf *b = pa_rows_line(&rows);
        pa_buf_puts(b, "  ");
        pa_flow_text(b, f);
        pa_buf_printf(b, ": %.3f / %.3f ms over %llu packets\n", f->jitter_ns[ia] / 1e6, f->jitter_ns[1 - ia] / 1e6,
                      (unsigned long long)(f->pkts_a + f->pkts_b));
        json_t *o = pa_flow_json(f);
        json_object_set_new(o, "jitter_a_to_b_ms", json_real(f->jitter_ns[ia] / 1e6));
        json_object_set_new(o, "jitter_b_to_a_ms", json_real(f->jitter_ns[1 - ia] / 1e6));
        json_object_set_new(o, "packets", json_integer((json_int_t)(f->pkts_a + f->pkts_b)));
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, res->structured, "flows_by_jitter", NULL);
    free(fl);
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

/* ---- definitions -------------------------------------------------------------- */

/* The schemas read better laid out by hand. */
// clang-format off
#define TOOL_SCHEMA(required, props)                                                               \
    "{\"type\":\"object\",\"required\":[\"capture\"," required "],\"properties\":{"                \
    "\"capture\":" PA_CAPTURE_SCHEMA "," props "},\"additionalProperties\":false}"
#define SEGMENTS_SCHEMA                                                                            \
    PA_S_OBJ("\"syn\":" PA_S_INT ",\"syn_ack\":" PA_S_INT ",\"rst\":" PA_S_INT ",\"fin\":" PA_S_INT \
             ",\"psh\":" PA_S_INT ",\"ack\":" PA_S_INT ",\"zero_window\":" PA_S_INT                \
             ",\"data\":" PA_S_INT)
#define PERF_ROWS                                                                                  \
    PA_S_ROWS(PA_CONN_ID_PROPS ",\"bytes\":" PA_S_INT ",\"duration_s\":" PA_S_NUM                  \
              ",\"throughput_bps\":" PA_S_NUM ",\"goodput_bps\":" PA_S_NUM                         \
              ",\"retransmission_rate_pct\":" PA_S_NUM ",\"lost_segments\":" PA_S_INT              \
              ",\"rtt_avg_ms\":{\"type\":\"number\",\"description\":\"absent without ACK RTT "     \
              "samples\"}")
#define FILTER_PROP                                                                                \
    "\"display_filter\":{\"type\":\"string\",\"description\":\"Wireshark display filter "          \
    "selecting these frames (for list_packets)\"}"

const pa_tool_def pa_tool_analyze_connection_lifecycle = {
    .name = "analyze_connection_lifecycle",
    .title = "TCP connection lifecycle",
    .description =
        "How TCP connections opened and closed (refused, unanswered, reset, half-closed), worst "
        "first.",
    .input_schema = PA_TCP_TOOL_INPUT_PAGED(20),
    .output_schema = TOOL_SCHEMA(
        "\"connections\",\"by_outcome\",\"by_close\",\"page\",\"rows\"",
        "\"connections\":" PA_S_INT ",\"by_outcome\":" PA_S_COUNTS ",\"by_close\":" PA_S_COUNTS
        ",\"by_conn_state\":" PA_S_COUNTS
        ",\"handshake_time\":" PA_S_OBJ(
            "\"measured\":" PA_S_INT ",\"min_ms\":" PA_S_NUM ",\"p50_ms\":" PA_S_NUM
            ",\"p90_ms\":" PA_S_NUM ",\"max_ms\":" PA_S_NUM)
        ",\"page\":" PA_PAGE_SCHEMA
        ",\"rows\":" PA_S_ROWS(
            PA_CONN_ID_PROPS ",\"outcome\":" PA_S_STR ",\"close\":" PA_S_STR
            ",\"conn_state\":" PA_S_STR ",\"history\":" PA_S_STR ",\"first_frame\":" PA_S_INT
            ",\"last_frame\":" PA_S_INT ",\"start_s\":" PA_S_NUM ",\"duration_s\":" PA_S_NUM
            ",\"client_bytes\":{\"type\":\"integer\",\"description\":\"payload bytes\"}"
            ",\"server_bytes\":{\"type\":\"integer\",\"description\":\"payload bytes\"}"
            ",\"retransmission_rate_pct\":" PA_S_NUM
            ",\"handshake_rtt_ms\":{\"type\":\"number\",\"description\":\"absent when the "
            "handshake was not seen\"},\"ack_rtt_avg_ms\":{\"type\":\"number\",\"description\":"
            "\"absent without ACK RTT samples\"},\"client_segments\":" SEGMENTS_SCHEMA
            ",\"server_segments\":" SEGMENTS_SCHEMA)),
    .read_only = true,
    .idempotent = true,
    .run = run_lifecycle,
};

const pa_tool_def pa_tool_analyze_network_performance = {
    .name = "analyze_network_performance",
    .title = "Network performance",
    .description = "TCP throughput, RTT and loss per connection; slowest and lossiest first.",
    .input_schema = PA_TCP_TOOL_INPUT_PAGED(10),
    .output_schema = TOOL_SCHEMA(
        "\"overall\",\"page\",\"slowest\",\"lossiest\"",
        "\"overall\":" PA_S_OBJ(
            "\"connections\":" PA_S_INT ",\"bytes\":" PA_S_INT ",\"throughput_bps\":" PA_S_NUM
            ",\"goodput_bps\":" PA_S_NUM ",\"retransmission_rate_pct\":" PA_S_NUM
            ",\"loss_rate_pct\":" PA_S_NUM ",\"rtt_avg_ms\":" PA_S_NUM
            ",\"rtt_samples\":" PA_S_INT ",\"connections_10kb_or_more\":" PA_S_INT
            ",\"connections_retransmitting\":" PA_S_INT)
        ",\"page\":" PA_PAGE_SCHEMA ",\"slowest\":" PERF_ROWS ",\"lossiest\":" PERF_ROWS),
    .read_only = true,
    .idempotent = true,
    .run = run_performance,
};

#define SUMMARY_MS                                                                                 \
    PA_S_OBJ("\"samples\":" PA_S_INT ",\"min_ms\":" PA_S_NUM ",\"mean_ms\":" PA_S_NUM              \
             ",\"p50_ms\":" PA_S_NUM ",\"p90_ms\":" PA_S_NUM ",\"p99_ms\":" PA_S_NUM               \
             ",\"max_ms\":" PA_S_NUM ",\"percentiles_estimated\":" PA_S_BOOL)

const pa_tool_def pa_tool_analyze_network_latency = {
    .name = "analyze_network_latency",
    .title = "Network latency",
    .description =
        "Handshake and ACK RTT per server and connection; HTTP, TLS and DNS response times.",
    .input_schema = PA_TCP_TOOL_INPUT_PAGED(10),
    .output_schema = TOOL_SCHEMA(
        "\"ack_rtt\",\"application\",\"page\",\"connections\",\"handshake_rtt_by_server\"",
        "\"ack_rtt\":" SUMMARY_MS
        ",\"application\":" PA_S_OBJ(
            "\"http\":" PA_NS_SUMMARY_SCHEMA ",\"tls_handshake\":" PA_NS_SUMMARY_SCHEMA
            ",\"dns\":" PA_S_OBJ("\"samples\":" PA_S_INT ",\"mean_ms\":" PA_S_NUM
                                 ",\"p90_ms\":" PA_S_NUM ",\"max_ms\":" PA_S_NUM
                                 ",\"percentiles_estimated\":" PA_S_BOOL))
        ",\"servers\":" PA_S_INT ",\"connections_measured\":" PA_S_INT
        ",\"page\":" PA_PAGE_SCHEMA
        ",\"connections\":" PA_S_ROWS(
            PA_CONN_ID_PROPS ",\"samples\":" PA_S_INT ",\"min_ms\":" PA_S_NUM
            ",\"mean_ms\":" PA_S_NUM ",\"p50_ms\":" PA_S_NUM ",\"p90_ms\":" PA_S_NUM
            ",\"p99_ms\":" PA_S_NUM ",\"max_ms\":" PA_S_NUM ",\"percentiles_estimated\":" PA_S_BOOL
            ",\"handshake_rtt_ms\":{\"type\":"
            "\"number\",\"description\":\"absent when the handshake was not seen\"}")
        ",\"handshake_rtt_by_server\":" PA_S_ROWS(
            "\"server\":" PA_S_STR ",\"port\":" PA_S_INT ",\"connections\":" PA_S_INT
            ",\"min_ms\":" PA_S_NUM ",\"mean_ms\":" PA_S_NUM ",\"max_ms\":" PA_S_NUM)),
    .read_only = true,
    .idempotent = true,
    .run = run_latency,
};

#define ICMP_ID_PROPS                                                                              \
    "\"kind\":{\"type\":\"string\",\"description\":\"what the type and code say, e.g. port "       \
    "unreachable\"},\"protocol\":{\"type\":\"string\",\"description\":\"icmp or icmpv6\"},"        \
    "\"type\":" PA_S_INT ",\"code\":" PA_S_INT ",\"count\":" PA_S_INT                              \
    ",\"first_frames\":" PA_S_INTS

const pa_tool_def pa_tool_analyze_network_quality_metrics = {
    .name = "analyze_network_quality_metrics",
    .title = "Network quality",
    .description = "A quality verdict from retransmissions, missing segments, errors and jitter.",
    .input_schema = PA_TCP_TOOL_INPUT_PAGED(10),
    .output_schema = TOOL_SCHEMA(
        "\"verdict\",\"rates\",\"icmp_totals\",\"page\",\"icmp_errors\",\"icmp_error_kinds\","
        "\"flows_by_jitter\"",
        "\"verdict\":{\"type\":\"string\",\"enum\":[\"good\",\"fair\",\"poor\"]}"
        ",\"drivers\":" PA_S_STR
        ",\"rates\":" PA_S_OBJ(
            "\"retransmission_pct\":" PA_S_NUM ",\"segments_not_captured_pct\":" PA_S_NUM
            ",\"decoding_error_pct\":" PA_S_NUM ",\"max_jitter_ms\":" PA_S_NUM
            ",\"icmp_error_pct\":{\"type\":\"number\",\"description\":\"ICMP and ICMPv6 errors "
            "other than redirects, per 100 packets\"}")
        ",\"icmp_totals\":" PA_S_OBJ(
            "\"errors\":" PA_S_INT ",\"delivery_failures\":{\"type\":\"integer\","
            "\"description\":\"errors other than redirects: these lower the verdict\"}"
            ",\"without_quote\":" PA_S_INT ",\"quoted_flows\":" PA_S_INT
            ",\"kinds_not_itemised\":" PA_S_INT ",\"flows_not_itemised\":" PA_S_INT)
        ",\"page\":" PA_PAGE_SCHEMA
        ",\"icmp_errors\":" PA_S_ROWS(
            ICMP_ID_PROPS ",\"reporter\":{\"type\":\"string\",\"description\":\"the host that "
            "sent the error\"},\"quoted_protocol\":{\"type\":\"string\",\"description\":"
            "\"protocol of the quoted datagram; absent when its header was not captured\"},"
            "\"src\":{\"type\":\"string\",\"description\":\"source of the quoted datagram\"},"
            "\"src_port\":" PA_S_INT ",\"dst\":{\"type\":\"string\",\"description\":"
            "\"destination of the quoted datagram\"},\"dst_port\":" PA_S_INT
            ",\"stream\":{\"type\":\"integer\",\"description\":\"tcp.stream or udp.stream of the "
            "quoted conversation; absent when the capture does not hold it\"},"
            "\"mtu\":{\"type\":\"integer\",\"description\":\"next-hop MTU (fragmentation "
            "needed, packet too big)\"},\"last_frame\":" PA_S_INT "," FILTER_PROP)
        ",\"icmp_error_kinds\":" PA_S_ROWS(
            ICMP_ID_PROPS ",\"affects_quality\":" PA_S_BOOL ",\"meaning\":" PA_S_STR
            "," FILTER_PROP)
        ",\"flows_by_jitter\":" PA_S_ROWS(
            PA_FLOW_ID_PROPS ",\"jitter_a_to_b_ms\":" PA_S_NUM ",\"jitter_b_to_a_ms\":" PA_S_NUM
            ",\"packets\":" PA_S_INT)),
    .read_only = true,
    .idempotent = true,
    .run = run_quality,
};
// clang-format on
