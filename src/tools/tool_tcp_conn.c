/* Connections as wholes: analyze_connection_lifecycle,
 * analyze_network_performance, analyze_network_latency,
 * analyze_network_quality_metrics. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (!strcmp(s, "S1") || !strcmp(s, "SF") || !strcmp(s, "S2") || !strcmp(s, "S3") ||
        !strcmp(s, "RSTO") || !strcmp(s, "RSTR"))
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

static json_t *conn_row(const pa_model *m, const pa_conn *c) {
    json_t *o = pa_conn_json(c);
    const pa_tcp_state *st = c->f->tcp;
    int cs = c->cs;
    uint64_t cb = cs == 0 ? c->f->payload_a : c->f->payload_b, sb = cs == 0 ? c->f->payload_b : c->f->payload_a;
    uint32_t segs = st->data_segments[0] + st->data_segments[1];
    json_object_set_new(o, "outcome", json_string(outcome(c)));
    json_object_set_new(o, "close", json_string(closing(c)));
    json_object_set_new(o, "conn_state", json_string(state_of(c)));
    json_object_set_new(o, "history", json_string(c->f->zeek.history));
    json_object_set_new(o, "start_s", json_real(secs(c->f->first_ts - m->first_ts)));
    json_object_set_new(o, "duration_s", json_real(secs(c->f->last_ts - c->f->first_ts)));
    json_object_set_new(o, "client_bytes", json_integer((json_int_t)cb));
    json_object_set_new(o, "server_bytes", json_integer((json_int_t)sb));
    json_object_set_new(o, "retransmission_rate_pct", json_real(pa_pct(pa_conn_count(c, PA_TA_BIT_RETRANSMISSION), segs)));
    if (st->first_rtt_set) json_object_set_new(o, "handshake_rtt_ms", json_real((double)st->first_rtt_ns / 1e6));
    if (st->rtt_samples)
        json_object_set_new(o, "ack_rtt_avg_ms", json_real((double)st->rtt_sum_ns / (double)st->rtt_samples / 1e6));
    /* segments by leading flag per side, to cross-check with session tools */
    for (int side = 0; side < 2; side++) {
        int k = side == 0 ? cs : 1 - cs;
        json_object_set_new(o, side == 0 ? "client_segments" : "server_segments",
                            json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "syn", st->by_flag[k][PA_SEG_SYN],
                                      "syn_ack", st->by_flag[k][PA_SEG_SYNACK], "rst", st->by_flag[k][PA_SEG_RST],
                                      "fin", st->by_flag[k][PA_SEG_FIN], "psh", st->by_flag[k][PA_SEG_PSH],
                                      "ack", st->by_flag[k][PA_SEG_ACK], "zero_window", st->zero_win_segs[k],
                                      "data", st->data_segments[k]));
    }
    return o;
}

static void run_lifecycle(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_text_capture_header(t, &l);
    pa_conn *cv;
    size_t n = pa_tcp_conns(m, &cv), lim = pa_arg_limit(args);
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
    const char *ok[] = {"established", "syn_unanswered", "refused", "synack_without_syn", "midstream"};
    for (size_t k = 0; k < 5; k++)
        if (json_object_get(outcomes, ok[k]))
            pa_buf_printf(t, " %s %lld;", ok[k], (long long)json_integer_value(json_object_get(outcomes, ok[k])));
    pa_buf_puts(t, "\nClosed by:");
    const char *ck[] = {"fin_both", "fin_client_only", "fin_server_only", "rst_by_client", "rst_by_server", "open_at_end"};
    for (size_t k = 0; k < 6; k++)
        if (json_object_get(closes, ck[k]))
            pa_buf_printf(t, " %s %lld;", ck[k], (long long)json_integer_value(json_object_get(closes, ck[k])));
    pa_buf_puts(t, "\n");
    json_t *hs = json_pack("{s:I}", "measured", (json_int_t)hs_n);
    if (hs_n) { /* exact, over the same connections as min and max */
        pa_ns_summary sum;
        json_decref(pa_ns_summary_json(hs_v, hs_n, &sum));
        json_object_set_new(hs, "min_ms", json_real(sum.min_ms));
        json_object_set_new(hs, "p50_ms", json_real(sum.p50_ms));
        json_object_set_new(hs, "p90_ms", json_real(sum.p90_ms));
        json_object_set_new(hs, "max_ms", json_real(sum.max_ms));
        pa_buf_printf(t, "Handshake time (SYN to the ACK of the SYN-ACK) over %zu connections: min %.3f ms, "
                         "max %.3f ms.\n", hs_n, sum.min_ms, sum.max_ms);
    }
    free(hs_v);
    pa_conn_sort(cv, n, problem_score, lim);
    json_t *rows = json_array();
    pa_buf_puts(t, "Connections, most problematic first:\n");
    for (size_t i = 0; i < n && i < lim; i++) {
        json_array_append_new(rows, conn_row(m, &cv[i]));
        if (i < 15) {
            pa_buf_puts(t, "  ");
            pa_conn_text(t, &cv[i]);
            pa_buf_printf(t, ": %s, %s (%s %s), %.3f s\n", outcome(&cv[i]), closing(&cv[i]),
                          state_of(&cv[i]), cv[i].f->zeek.history, secs(cv[i].f->last_ts - cv[i].f->first_ts));
        }
    }
    res->structured = json_pack("{s:o, s:I, s:o, s:o, s:o, s:o, s:o}", "capture", pa_capture_json(&l),
                                "connections", (json_int_t)n, "by_outcome", outcomes, "by_close", closes,
                                "by_conn_state", states, "handshake_time", hs, "rows", rows);
    free(cv);
    pa_tool_unload(&l);
}

/* ---- analyze_network_performance ------------------------------------------- */

static double conn_bps(const pa_conn *c) {
    double d = secs(c->f->last_ts - c->f->first_ts);
    return d > 0 ? (double)(c->f->bytes_a + c->f->bytes_b) * 8 / d : 0;
}
static double conn_retrans_rate(const pa_conn *c) {
    return pa_pct(pa_conn_count(c, PA_TA_BIT_RETRANSMISSION), c->f->tcp->data_segments[0] + c->f->tcp->data_segments[1]);
}
static double neg_bps(const pa_conn *c) {
    /* slowest first, among connections that moved enough data to judge */
    return c->f->payload_a + c->f->payload_b >= 10000 ? -conn_bps(c) : -1e300;
}

static json_t *perf_row(const pa_conn *c) {
    json_t *o = pa_conn_json(c);
    const pa_tcp_state *st = c->f->tcp;
    double d = secs(c->f->last_ts - c->f->first_ts);
    uint64_t payload = c->f->payload_a + c->f->payload_b, rb = st->retrans_bytes[0] + st->retrans_bytes[1];
    json_object_set_new(o, "bytes", json_integer((json_int_t)(c->f->bytes_a + c->f->bytes_b)));
    json_object_set_new(o, "duration_s", json_real(d));
    json_object_set_new(o, "throughput_bps", json_real(conn_bps(c)));
    json_object_set_new(o, "goodput_bps", json_real(d > 0 ? (double)(payload > rb ? payload - rb : 0) * 8 / d : 0.0));
    json_object_set_new(o, "retransmission_rate_pct", json_real(conn_retrans_rate(c)));
    json_object_set_new(o, "lost_segments", json_integer(pa_conn_count(c, PA_TA_BIT_LOST_SEGMENT)));
    if (st->rtt_samples)
        json_object_set_new(o, "rtt_avg_ms", json_real((double)st->rtt_sum_ns / (double)st->rtt_samples / 1e6));
    return o;
}

static void run_performance(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_text_capture_header(t, &l);
    pa_conn *cv;
    size_t n = pa_tcp_conns(m, &cv), lim = pa_arg_limit(args);
    uint64_t bytes = 0, payload = 0, rbytes = 0, rtt_n = 0, rtt_sum = 0;
    for (size_t i = 0; i < n; i++) {
        bytes += cv[i].f->bytes_a + cv[i].f->bytes_b;
        payload += cv[i].f->payload_a + cv[i].f->payload_b;
        rbytes += cv[i].f->tcp->retrans_bytes[0] + cv[i].f->tcp->retrans_bytes[1];
        rtt_n += cv[i].f->tcp->rtt_samples;
        rtt_sum += cv[i].f->tcp->rtt_sum_ns;
    }
    double dur = secs(m->last_ts - m->first_ts);
    double thr = dur > 0 ? (double)bytes * 8 / dur : 0, good = dur > 0 ? (double)(payload - (rbytes < payload ? rbytes : payload)) * 8 / dur : 0;
    double rrate = pa_pct((double)m->ta_count[PA_TA_BIT_RETRANSMISSION], (double)m->tcp_data_segments);
    double lrate = pa_pct((double)(m->ta_count[PA_TA_BIT_LOST_SEGMENT] + m->ta_count[PA_TA_BIT_ACK_LOST_SEGMENT]),
                       (double)m->tcp_data_segments);
    char r1[32], r2[32];
    pa_fmt_rate(r1, sizeof r1, thr);
    pa_fmt_rate(r2, sizeof r2, good);
    pa_buf_printf(t, "TCP over %.3f s: throughput %s, goodput %s; retransmissions %.2f%%, segments lost "
                     "before the capture point %.2f%%; mean ACK RTT %.3f ms over %llu samples.\n",
                  dur, r1, r2, rrate, lrate, rtt_n ? (double)rtt_sum / (double)rtt_n / 1e6 : 0.0,
                  (unsigned long long)rtt_n);
    json_t *slow = json_array(), *lossy = json_array();
    pa_conn_sort(cv, n, neg_bps, lim);
    pa_buf_puts(t, "Slowest connections (10 KB or more of data):\n");
    for (size_t i = 0; i < n && i < lim && neg_bps(&cv[i]) > -1e299; i++) {
        json_array_append_new(slow, perf_row(&cv[i]));
        if (i < 5) {
            pa_buf_puts(t, "  ");
            pa_conn_text(t, &cv[i]);
            pa_fmt_rate(r1, sizeof r1, conn_bps(&cv[i]));
            pa_buf_printf(t, ": %s\n", r1);
        }
    }
    pa_conn_sort(cv, n, conn_retrans_rate, lim);
    pa_buf_puts(t, "Lossiest connections:\n");
    for (size_t i = 0; i < n && i < lim && conn_retrans_rate(&cv[i]) > 0; i++) {
        json_array_append_new(lossy, perf_row(&cv[i]));
        if (i < 5) {
            pa_buf_puts(t, "  ");
            pa_conn_text(t, &cv[i]);
            pa_buf_printf(t, ": %.2f%% retransmitted\n", conn_retrans_rate(&cv[i]));
        }
    }
    res->structured = json_pack(
        "{s:o, s:{s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:I}, s:o, s:o}", "capture", pa_capture_json(&l),
        "overall", "connections", (json_int_t)n, "bytes", (json_int_t)bytes, "throughput_bps", thr,
        "goodput_bps", good, "retransmission_rate_pct", rrate, "loss_rate_pct", lrate, "rtt_avg_ms",
        rtt_n ? (double)rtt_sum / (double)rtt_n / 1e6 : 0.0, "rtt_samples", (json_int_t)rtt_n,
        "slowest", slow, "lossiest", lossy);
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

static double p90_of(const pa_conn *c) {
    return c->f->tcp->rtt_samples ? conn_pctls(c->f->tcp).p90_ms : -1;
}

static int server_desc(const void *x, const void *y) {
    const server_rtt *a = *(const server_rtt *const *)x, *b = *(const server_rtt *const *)y;
    double ma = (double)a->sum_ns / a->n, mb = (double)b->sum_ns / b->n;
    return ma < mb ? 1 : ma > mb ? -1 : 0;
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
        if (m->tls.conns[i].ch_frame && m->tls.conns[i].done_frame) v[n++] = m->tls.conns[i].done_ts - m->tls.conns[i].ch_ts;
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
    if (d->rt_n) pa_buf_printf(t, " DNS mean %.3f ms (%llu);", d->rt_sum / (double)d->rt_n / 1e6,
                               (unsigned long long)d->rt_n);
    if (nh || n || d->rt_n) pa_buf_puts(t, " details: analyze_application_response_times.\n");
    return json_pack("{s:o, s:o, s:o}", "http", http, "tls_handshake", tls, "dns", dns);
}

static void run_latency(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_text_capture_header(t, &l);
    pa_conn *cv;
    size_t n = pa_tcp_conns(m, &cv), lim = pa_arg_limit(args);
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
        pa_buf_printf(t, "ACK RTT over %llu samples: min %.3f ms, mean %.3f ms, p50 %s%.3f ms, p90 %s%.3f ms, "
                         "p99 %s%.3f ms, max %.3f ms.\n",
                      (unsigned long long)rd->n, (double)rd->min / 1e6, rd->sum / (double)rd->n / 1e6, a,
                      p.p50_ms, a, p.p90_ms, a, p.p99_ms, (double)rd->max / 1e6);
        if (p.estimated)
            pa_buf_printf(t, "Percentiles estimated: more samples than the %d kept, each placed within its "
                             "power-of-two bucket.\n",
                          PA_PCTL_KEEP_CAPTURE);
    } else {
        pa_buf_puts(t, "No ACK RTT samples (no acknowledged TCP data).\n");
    }
    const server_rtt **sv = malloc((servers.count ? servers.count : 1) * sizeof *sv);
    size_t ns = 0;
    for (size_t i = 0; sv && i < servers.cap; i++)
        if (servers.used[i]) sv[ns++] = pa_htab_at(&servers, i);
    if (sv) qsort(sv, ns, sizeof *sv, server_desc);
    json_t *per_server = json_array();
    pa_buf_printf(t, "Handshake RTT per server (%zu servers, slowest first):\n", ns);
    for (size_t i = 0; sv && i < ns && i < lim; i++) {
        json_array_append_new(per_server, json_pack("{s:o, s:i, s:I, s:f, s:f, s:f}", "server",
                                                     pa_json_addr(&sv[i]->addr), "port", sv[i]->port,
                                                     "connections", (json_int_t)sv[i]->n, "min_ms",
                                                     (double)sv[i]->min_ns / 1e6, "mean_ms",
                                                     (double)sv[i]->sum_ns / sv[i]->n / 1e6, "max_ms",
                                                     (double)sv[i]->max_ns / 1e6));
        if (i < 10) {
            char as[64];
            pa_addr_str(&sv[i]->addr, as, sizeof as);
            pa_buf_printf(t, "  %s port %u: %u connections, mean %.3f ms (min %.3f, max %.3f)\n", as,
                          sv[i]->port, sv[i]->n, (double)sv[i]->sum_ns / sv[i]->n / 1e6,
                          (double)sv[i]->min_ns / 1e6, (double)sv[i]->max_ns / 1e6);
        }
    }
    free(sv);
    pa_conn_sort(cv, n, p90_of, lim);
    json_t *per_conn = json_array();
    for (size_t i = 0; i < n && i < lim && cv[i].f->tcp->rtt_samples; i++) {
        const pa_tcp_state *st = cv[i].f->tcp;
        json_t *o = pa_conn_json(&cv[i]);
        json_object_set_new(o, "samples", json_integer((json_int_t)st->rtt_samples));
        json_object_set_new(o, "min_ms", json_real((double)st->rtt_min_ns / 1e6));
        json_object_set_new(o, "mean_ms", json_real((double)st->rtt_sum_ns / (double)st->rtt_samples / 1e6));
        pa_pctls p = conn_pctls(st);
        pa_pctls_json(o, &p);
        json_object_set_new(o, "max_ms", json_real((double)st->rtt_max_ns / 1e6));
        if (st->first_rtt_set) json_object_set_new(o, "handshake_rtt_ms", json_real((double)st->first_rtt_ns / 1e6));
        json_array_append_new(per_conn, o);
    }
    json_t *app = app_latency(m, t);
    res->structured = json_pack("{s:o, s:o, s:o, s:o, s:o}", "capture", pa_capture_json(&l), "ack_rtt",
                                overall, "handshake_rtt_by_server", per_server, "connections", per_conn,
                                "application", app);
    pa_htab_free(&servers);
    free(cv);
    pa_tool_unload(&l);
}

/* ---- analyze_network_quality_metrics ------------------------------------------- */

static int jitter_desc(const void *x, const void *y) {
    const pa_flow *a = *(const pa_flow *const *)x, *b = *(const pa_flow *const *)y;
    double ja = a->jitter_ns[0] > a->jitter_ns[1] ? a->jitter_ns[0] : a->jitter_ns[1];
    double jb = b->jitter_ns[0] > b->jitter_ns[1] ? b->jitter_ns[0] : b->jitter_ns[1];
    return ja < jb ? 1 : ja > jb ? -1 : 0;
}

static void run_quality(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_text_capture_header(t, &l);
    size_t lim = pa_arg_limit(args);
    uint64_t anomalies = 0;
    for (int a = 0; a < PA_A_COUNT; a++)
        if (a != PA_A_FRAME_SNAPLEN) anomalies += m->anom_count[a]; /* a snaplen cut is not an error */
    double loss = pa_pct((double)(m->ta_count[PA_TA_BIT_LOST_SEGMENT] + m->ta_count[PA_TA_BIT_ACK_LOST_SEGMENT]),
                      (double)m->tcp_data_segments);
    double retr = pa_pct((double)m->ta_count[PA_TA_BIT_RETRANSMISSION], (double)m->tcp_data_segments);
    double err = pa_pct((double)anomalies, (double)m->packets);
    const pa_flow **fl;
    size_t nf = pa_model_flows(m, -1, &fl);
    qsort(fl, nf, sizeof *fl, jitter_desc);
    double worst_jitter_ms = nf ? fmax(fl[0]->jitter_ns[0], fl[0]->jitter_ns[1]) / 1e6 : 0;
    /* The verdict names what drives it, so the next step is clear. */
    const char *grade = "good";
    char why[256] = "";
    size_t wl = 0;
    if (retr > 5 || loss > 2) grade = "poor";
    else if (retr > 1 || loss > 0.5 || worst_jitter_ms > 30) grade = "fair";
    if (retr > 1) wl += (size_t)snprintf(why + wl, sizeof why - wl, "retransmissions %.2f%%; ", retr);
    if (loss > 0.5 && wl < sizeof why) wl += (size_t)snprintf(why + wl, sizeof why - wl, "segments missing %.2f%%; ", loss);
    if (worst_jitter_ms > 30 && wl < sizeof why) wl += (size_t)snprintf(why + wl, sizeof why - wl, "jitter up to %.1f ms; ", worst_jitter_ms);
    if (err > 1 && wl < sizeof why) wl += (size_t)snprintf(why + wl, sizeof why - wl, "malformed packets %.2f%%; ", err);
    if (!wl) snprintf(why, sizeof why, "no loss, retransmission, jitter or error above thresholds");
    else if (wl >= 2 && wl < sizeof why) why[wl - 2] = '\0'; /* drop the last "; " */
    pa_buf_printf(t, "Quality: %s (%s).\nRetransmissions %.2f%%, segments not captured %.2f%%, decoding "
                     "errors %.2f%% of packets.\n", grade, why, retr, loss, err);
    json_t *flows = json_array();
    pa_buf_puts(t, "Highest jitter (variation of inter-arrival times, RFC 3550 estimate):\n");
    for (size_t i = 0; i < nf && i < lim; i++) {
        const pa_flow *f = fl[i];
        if (f->pkts_a + f->pkts_b < 3) continue;
        pa_addr a, b;
        uint16_t pa, pb;
        pa_flow_sides(f, &a, &pa, &b, &pb);
        int ia = f->a_first ? 0 : 1;
        json_array_append_new(flows, json_pack("{s:s, s:I, s:o, s:i, s:o, s:i, s:f, s:f, s:I}", "protocol",
                                               f->key.ipproto == 6 ? "tcp" : f->key.ipproto == 17 ? "udp" : "ip",
                                               "stream", (json_int_t)f->stream, "address_a", pa_json_addr(&a),
                                               "port_a", pa, "address_b", pa_json_addr(&b), "port_b", pb,
                                               "jitter_a_to_b_ms", f->jitter_ns[ia] / 1e6,
                                               "jitter_b_to_a_ms", f->jitter_ns[1 - ia] / 1e6, "packets",
                                               (json_int_t)(f->pkts_a + f->pkts_b)));
        if (json_array_size(flows) <= 5) {
            char as[64], bs[64];
            pa_addr_str(&a, as, sizeof as);
            pa_addr_str(&b, bs, sizeof bs);
            pa_buf_printf(t, "  %s %s:%u <-> %s:%u  %.3f / %.3f ms\n",
                          f->key.ipproto == 6 ? "tcp" : f->key.ipproto == 17 ? "udp" : "ip", as, pa, bs, pb,
                          f->jitter_ns[ia] / 1e6, f->jitter_ns[1 - ia] / 1e6);
        }
    }
    free(fl);
    res->structured = json_pack("{s:o, s:s, s:s, s:{s:f, s:f, s:f, s:f}, s:o}", "capture", pa_capture_json(&l),
                                "verdict", grade, "drivers", why, "rates", "retransmission_pct", retr,
                                "segments_not_captured_pct", loss, "decoding_error_pct", err,
                                "max_jitter_ms", worst_jitter_ms, "flows_by_jitter", flows);
    pa_tool_unload(&l);
}

#define OBJ PA_SCHEMA_OBJ
#define ARR PA_SCHEMA_ARR

const pa_tool_def pa_tool_analyze_connection_lifecycle = {
    .name = "analyze_connection_lifecycle",
    .title = "TCP connection lifecycle",
    .description =
        "How TCP connections opened and closed (refused, unanswered, reset, half-closed), worst "
        "first.",
    .input_schema = PA_TCP_TOOL_INPUT(20),
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"connections\",\"by_outcome\","
                     "\"by_close\",\"rows\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ","
                     "\"connections\":{\"type\":\"integer\"},\"by_outcome\":" OBJ ",\"by_close\":" OBJ
                     ",\"by_conn_state\":" OBJ ",\"handshake_time\":" OBJ ",\"rows\":" ARR "},"
                     "\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_lifecycle,
};

const pa_tool_def pa_tool_analyze_network_performance = {
    .name = "analyze_network_performance",
    .title = "Network performance",
    .description = "TCP throughput, RTT and loss per connection; slowest and lossiest first.",
    .input_schema = PA_TCP_TOOL_INPUT(10),
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"overall\",\"slowest\",\"lossiest\"],"
                     "\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"overall\":" OBJ
                     ",\"slowest\":" ARR ",\"lossiest\":" ARR "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_performance,
};

const pa_tool_def pa_tool_analyze_network_latency = {
    .name = "analyze_network_latency",
    .title = "Network latency",
    .description =
        "Handshake and ACK RTT per server and connection; HTTP, TLS and DNS response times.",
    .input_schema = PA_TCP_TOOL_INPUT(10),
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"ack_rtt\",\"handshake_rtt_by_server\","
                     "\"application\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"ack_rtt\":" OBJ
                     ",\"handshake_rtt_by_server\":" ARR ",\"connections\":" ARR ",\"application\":" OBJ "},"
                     "\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_latency,
};

const pa_tool_def pa_tool_analyze_network_quality_metrics = {
    .name = "analyze_network_quality_metrics",
    .title = "Network quality",
    .description = "A quality verdict from retransmissions, missing segments, errors and jitter.",
    .input_schema = PA_TCP_TOOL_INPUT(10),
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"verdict\",\"rates\"],"
                     "\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"verdict\":{\"type\":\"string\","
                     "\"enum\":[\"good\",\"fair\",\"poor\"]},\"drivers\":{\"type\":\"string\"},\"rates\":" OBJ
                     ",\"flows_by_jitter\":" ARR "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_quality,
};
