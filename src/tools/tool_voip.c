/* analyze_voip_quality: SIP calls (analyzers/sip) and the RTP streams their
 * SDP announced (analyzers/rtp), with tshark's `-z rtp,streams` figures and
 * an estimated MOS per stream; failed calls and the worst streams first.
 * The MOS estimate (docs/APPLICATION_LAYER.md, "Voice quality") is the
 * E-model's R factor reduced to what a capture shows: loss and jitter. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_report.h"
#include "tool_tcp_common.h"

/* ---- the estimate ------------------------------------------------------ */

/* Per cent of the expected packets that never arrived (duplicates make
 * tshark's lost negative: no loss then). */
static double loss_pct(const pa_rtp_stream *s) {
    int32_t lost = pa_rtp_lost(s);
    double expected = (double)s->total_nr + (lost > 0 ? lost : 0);
    return lost > 0 && expected > 0 ? 100.0 * lost / expected : 0.0;
}

/* R = 93.2 - delay impairment - 2.5 x loss %, with the delay a jitter buffer
 * adds (twice the mean jitter, plus 10 ms of codec time; network delay is
 * not in a one-point capture); MOS from R as in ITU-T G.107 annex B. */
static double mos_of(const pa_rtp_stream *s) {
    double jitter = s->mean_jitter > 0 ? s->mean_jitter : 0;
    double eff = 2 * jitter + 10;
    double r = 93.2 - (eff < 160 ? eff / 40 : (eff - 120) / 10) - 2.5 * loss_pct(s);
    if (r < 0) r = 0;
    if (r > 100) r = 100;
    double mos = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
    return mos < 1 ? 1 : mos > 4.5 ? 4.5 : mos;
}

/* ---- ordering ------------------------------------------------------------ */

static int stream_order(const void *x, const void *y) {
    const pa_rtp_stream *a = *(const pa_rtp_stream *const *)x, *b = *(const pa_rtp_stream *const *)y;
    double ma = mos_of(a), mb = mos_of(b);
    if (fabs(ma - mb) > 1e-9) return ma < mb ? -1 : 1;
    if (a->problem != b->problem) return a->problem ? -1 : 1;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

/* failed (4xx-6xx or rejected) first, then cancelled, then never answered,
 * then the rest; the slowest setups first within each */
static int call_rank(const pa_sip_call *c) {
    if (c->state == PA_SIP_REJECTED || c->final_code >= 400) return 0;
    if (c->state == PA_SIP_CANCELLED) return 1;
    if (c->state == PA_SIP_CALL_SETUP || c->state == PA_SIP_RINGING) return 2;
    return 3;
}

static int call_order(const void *x, const void *y) {
    const pa_sip_call *a = *(const pa_sip_call *const *)x, *b = *(const pa_sip_call *const *)y;
    int ra = call_rank(a), rb = call_rank(b);
    if (ra != rb) return ra < rb ? -1 : 1;
    if (a->setup_ns != b->setup_ns) return a->setup_ns > b->setup_ns ? -1 : 1;
    return (a->invite_frame > b->invite_frame) - (a->invite_frame < b->invite_frame);
}

/* ---- rows ---------------------------------------------------------------- */

/* the frames of one stream, as a display filter */
static void stream_filter(const pa_rtp_stream *s, char *out, size_t n) {
    char a[64], b[64];
    const char *ip = s->src.family == 6 ? "ipv6" : "ip";
    pa_addr_str(&s->src, a, sizeof a);
    pa_addr_str(&s->dst, b, sizeof b);
    snprintf(out, n, "%s.src == %s && udp.srcport == %u && %s.dst == %s && udp.dstport == %u", ip, a, s->sport, ip, b,
             s->dport);
}

/* sip.Call-ID == "..." when the Call-ID can be quoted plainly */
static bool call_filter(const pa_sip_call *c, char *out, size_t n) {
    if (!c->call_id[0] || strpbrk(c->call_id, "\"\\")) return false;
    snprintf(out, n, "sip.Call-ID == \"%s\"", c->call_id);
    return true;
}

static json_t *stream_json(const pa_model *m, const pa_rtp_stream *s) {
    char f[256], ssrc[16];
    snprintf(ssrc, sizeof ssrc, "0x%08x", s->ssrc);
    stream_filter(s, f, sizeof f);
    json_t *o = json_pack(
        "{s:o, s:i, s:o, s:i, s:s, s:i, s:I, s:I, s:f, s:I, s:i, s:I, s:b, s:f, s:f, s:s}", "src",
        pa_json_addr(&s->src), "src_port", s->sport, "dst", pa_json_addr(&s->dst), "dst_port", s->dport, "ssrc", ssrc,
        "payload_type", s->first_pt, "packets", (json_int_t)s->total_nr, "lost", (json_int_t)pa_rtp_lost(s), "lost_pct",
        loss_pct(s), "first_frame", (json_int_t)s->first_frame, "sequence_errors", (int)s->seq_errors, "last_frame",
        (json_int_t)s->last_frame, "problem", s->problem, "time_s", (double)(s->first_ts - m->first_ts) / 1e9,
        "mos_estimate", round(mos_of(s) * 100) / 100, "display_filter", f);
    if (s->codec[0]) json_object_set_new(o, "codec", json_string(s->codec));
    json_object_set_new(o, "max_delta_ms", json_real(s->max_delta));
    if (s->mean_jitter >= 0) {
        json_object_set_new(o, "mean_jitter_ms", json_real(s->mean_jitter));
        json_object_set_new(o, "max_jitter_ms", json_real(s->max_jitter));
    }
    if (s->call && s->call <= m->sip.ncalls)
        json_object_set_new(o, "call_id", json_string(m->sip.calls[s->call - 1].call_id));
    return o;
}

static void stream_text(pa_buf *ln, const pa_model *m, const pa_rtp_stream *s) {
    char f[256];
    pa_buf_printf(ln, "  MOS %.2f ", mos_of(s));
    pa_text_addr_port(ln, &s->src, s->sport);
    pa_buf_puts(ln, " -> ");
    pa_text_addr_port(ln, &s->dst, s->dport);
    pa_buf_printf(ln, " SSRC 0x%08x %s (PT %u), %u packets, lost %d (%.1f%%), max delta %.3f ms", s->ssrc,
                  s->codec[0] ? s->codec : "?", s->first_pt, s->total_nr, pa_rtp_lost(s), loss_pct(s), s->max_delta);
    if (s->mean_jitter >= 0)
        pa_buf_printf(ln, ", mean jitter %.3f ms, max jitter %.3f ms", s->mean_jitter, s->max_jitter);
    else
        pa_buf_puts(ln, ", jitter unknown (no clock rate)");
    if (s->seq_errors) pa_buf_printf(ln, ", %u sequence errors", s->seq_errors);
    if (s->problem) pa_buf_puts(ln, ", PROBLEM");
    pa_buf_printf(ln, ", frames %llu-%llu", (unsigned long long)s->first_frame, (unsigned long long)s->last_frame);
    if (s->call && s->call <= m->sip.ncalls) pa_buf_printf(ln, ", call %s", m->sip.calls[s->call - 1].call_id);
    stream_filter(s, f, sizeof f);
    pa_buf_printf(ln, " [%s]\n", f);
}

static json_t *call_json(const pa_sip_call *c, uint32_t streams, double worst) {
    char f[256];
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:I, s:i}", "call_id", c->call_id, "from", c->from, "to", c->to, "state",
                  pa_sip_state_name(c->state), "invite_frame", (json_int_t)c->invite_frame, "streams", (int)streams);
    if (c->setup_ns >= 0) json_object_set_new(o, "setup_ms", json_real((double)c->setup_ns / 1e6));
    if (c->final_code) {
        json_object_set_new(o, "final_code", json_integer(c->final_code));
        const char *name = pa_sip_code_name(c->final_code);
        if (name) json_object_set_new(o, "final_reason", json_string(name));
        json_object_set_new(o, "final_frame", json_integer((json_int_t)c->final_frame));
    }
    if (c->bye_frame) json_object_set_new(o, "bye_frame", json_integer((json_int_t)c->bye_frame));
    if (c->cancel_frame) json_object_set_new(o, "cancel_frame", json_integer((json_int_t)c->cancel_frame));
    if (streams) json_object_set_new(o, "worst_mos_estimate", json_real(round(worst * 100) / 100));
    if (call_filter(c, f, sizeof f)) json_object_set_new(o, "display_filter", json_string(f));
    return o;
}

static void call_text(pa_buf *ln, const pa_sip_call *c, uint32_t streams, double worst) {
    char f[256];
    pa_buf_printf(ln, "  %s %s -> %s, %s", c->call_id, c->from, c->to, pa_sip_state_name(c->state));
    if (c->final_code) {
        const char *name = pa_sip_code_name(c->final_code);
        pa_buf_printf(ln, ", final %u%s%s (frame %llu)", c->final_code, name ? " " : "", name ? name : "",
                      (unsigned long long)c->final_frame);
    }
    if (c->setup_ns >= 0) pa_buf_printf(ln, ", setup %.3f ms", (double)c->setup_ns / 1e6);
    pa_buf_printf(ln, ", INVITE frame %llu", (unsigned long long)c->invite_frame);
    if (c->bye_frame) pa_buf_printf(ln, ", BYE frame %llu", (unsigned long long)c->bye_frame);
    if (c->cancel_frame) pa_buf_printf(ln, ", CANCEL frame %llu", (unsigned long long)c->cancel_frame);
    pa_buf_printf(ln, ", %u RTP streams", streams);
    if (streams) pa_buf_printf(ln, " (worst MOS %.2f)", worst);
    if (call_filter(c, f, sizeof f)) pa_buf_printf(ln, " [%s]", f);
    pa_buf_puts(ln, "\n");
}

/* ---- RTCP: what receivers reported ------------------------------------------ */

typedef struct ssrc_rate {
    uint32_t ssrc, rate;
} ssrc_rate;

static int by_ssrc(const void *x, const void *y) {
    const ssrc_rate *a = x, *b = y;
    return (a->ssrc > b->ssrc) - (a->ssrc < b->ssrc);
}

/* A report pair as the list shows it: the source's clock rate (from its
 * RTP stream) turns jitter into milliseconds. */
typedef struct report_row {
    const pa_rtcp_pair *p;
    uint32_t rate; /* 0: unknown */
} report_row;

static double jitter_ms(const report_row *r) { return r->rate ? 1000.0 * r->p->jitter_max / r->rate : -1; }

/* the highest loss any report gave first, then jitter, then round trip */
static int report_order(const void *x, const void *y) {
    const report_row *a = x, *b = y;
    if (a->p->fraction_max != b->p->fraction_max) return a->p->fraction_max > b->p->fraction_max ? -1 : 1;
    double ja = jitter_ms(a), jb = jitter_ms(b);
    if (ja != jb) return ja > jb ? -1 : 1;
    if (a->p->rtt_max_ms != b->p->rtt_max_ms) return a->p->rtt_max_ms > b->p->rtt_max_ms ? -1 : 1;
    return (a->p->first_frame > b->p->first_frame) - (a->p->first_frame < b->p->first_frame);
}

static json_t *report_json(const report_row *r) {
    const pa_rtcp_pair *p = r->p;
    char rep[16], src[16], f[96];
    snprintf(rep, sizeof rep, "0x%08x", p->reporter);
    snprintf(src, sizeof src, "0x%08x", p->source);
    snprintf(f, sizeof f, "rtcp.senderssrc == %s && rtcp.ssrc.identifier == %s", rep, src);
    json_t *o =
        json_pack("{s:s, s:s, s:o, s:i, s:o, s:i, s:i, s:f, s:f, s:i, s:I, s:I, s:I, s:s}", "reporter", rep, "source",
                  src, "from", pa_json_addr(&p->from), "from_port", p->sport, "to", pa_json_addr(&p->to), "to_port",
                  p->dport, "reports", (int)p->reports, "fraction_lost_pct", 100.0 * p->fraction_last / 256,
                  "fraction_lost_max_pct", 100.0 * p->fraction_max / 256, "cumulative_lost", (int)p->cumulative_last,
                  "jitter_max", (json_int_t)p->jitter_max, "first_frame", (json_int_t)p->first_frame, "last_frame",
                  (json_int_t)p->last_frame, "display_filter", f);
    if (r->rate) json_object_set_new(o, "jitter_max_ms", json_real(jitter_ms(r)));
    if (p->rtt_n) {
        json_object_set_new(o, "round_trip_ms", json_real(p->rtt_last_ms));
        json_object_set_new(o, "round_trip_max_ms", json_real(p->rtt_max_ms));
    }
    return o;
}

static void report_text(pa_buf *ln, const report_row *r) {
    const pa_rtcp_pair *p = r->p;
    pa_buf_printf(ln, "  SSRC 0x%08x about 0x%08x (", p->reporter, p->source);
    pa_text_addr_port(ln, &p->from, p->sport);
    pa_buf_puts(ln, " -> ");
    pa_text_addr_port(ln, &p->to, p->dport);
    pa_buf_printf(ln, "), %u reports: lost %.1f%% (max %.1f%%), cumulative %d, max jitter ", p->reports,
                  100.0 * p->fraction_last / 256, 100.0 * p->fraction_max / 256, (int)p->cumulative_last);
    if (r->rate)
        pa_buf_printf(ln, "%.3f ms", jitter_ms(r));
    else
        pa_buf_printf(ln, "%u timestamp units", p->jitter_max);
    if (p->rtt_n) pa_buf_printf(ln, ", round trip %.3f ms (max %.3f ms)", p->rtt_last_ms, p->rtt_max_ms);
    pa_buf_printf(ln, ", frames %llu-%llu [rtcp.senderssrc == 0x%08x && rtcp.ssrc.identifier == 0x%08x]\n",
                  (unsigned long long)p->first_frame, (unsigned long long)p->last_frame, p->reporter, p->source);
}

/* The RTCP totals and the report list (at most lim rows, worst first). */
static void rtcp_rows(pa_report *rep, const pa_model *m, json_t *out, size_t lim) {
    const pa_rtp_stats *st = &m->rtp;
    const pa_rtcp_reports *rr = &st->rtcp;
    const pa_rtp_table *rt = &st->table;
    pa_buf *t = &rep->res->text;
    size_t np = rr->pairs.count;
    pa_buf_printf(t,
                  "RTCP: %llu packets (%llu sender reports, %llu receiver reports, %llu report blocks); "
                  "%zu reporter-source pairs.\n",
                  (unsigned long long)st->rtcp_packets, (unsigned long long)rr->sender_reports,
                  (unsigned long long)rr->receiver_reports, (unsigned long long)rr->blocks, np);
    json_object_set_new(out, "rtcp",
                        json_pack("{s:I, s:I, s:I, s:I, s:I}", "packets", (json_int_t)st->rtcp_packets,
                                  "sender_reports", (json_int_t)rr->sender_reports, "receiver_reports",
                                  (json_int_t)rr->receiver_reports, "report_blocks", (json_int_t)rr->blocks,
                                  "negative_round_trips", (json_int_t)rr->rtt_negative));
    ssrc_rate *rates = malloc((rt->nstreams ? rt->nstreams : 1) * sizeof *rates);
    report_row *rows_v = malloc((np ? np : 1) * sizeof *rows_v);
    if (!rates || !rows_v) np = 0;
    for (uint32_t i = 0; rates && i < rt->nstreams; i++)
        rates[i] = (ssrc_rate){rt->streams[i].ssrc, rt->streams[i].clock_rate};
    if (rates) qsort(rates, rt->nstreams, sizeof *rates, by_ssrc);
    for (size_t i = 0; i < np; i++) {
        const pa_rtcp_pair *p = pa_htab_rec(&rr->pairs, i);
        ssrc_rate key = {p->source, 0};
        const ssrc_rate *hit = bsearch(&key, rates, rt->nstreams, sizeof key, by_ssrc);
        rows_v[i] = (report_row){p, hit ? hit->rate : 0};
    }
    qsort(rows_v, np, sizeof *rows_v, report_order);
    pa_rows rows;
    if (np) pa_buf_puts(t, "RTCP reports by reporter and source (highest loss first):\n");
    pa_rows_begin(&rows, rep, "rtcp reports", 0, lim, np, false);
    for (size_t i = 0; i < np && i < lim; i++) {
        report_text(pa_rows_line(&rows), &rows_v[i]);
        if (!pa_rows_push(&rows, report_json(&rows_v[i]))) break;
    }
    pa_rows_end(&rows, out, "rtcp_reports", NULL);
    free(rates);
    free(rows_v);
}

/* ---- the tool ------------------------------------------------------------ */

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    const pa_sip_stats *sip = &m->sip;
    const pa_rtp_table *rt = &m->rtp.table;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    size_t lim = pa_arg_limit(args);
    size_t offset = (size_t)json_integer_value(json_object_get(args, "offset"));
    bool heuristic = json_is_true(json_object_get(args, "rtp_heuristic"));
    pa_text_capture_header(t, &l);
    pa_text_packet_note(t);

    uint32_t ns = rt->nstreams, nc = sip->ncalls;
    const pa_rtp_stream **streams = malloc((ns ? ns : 1) * sizeof *streams);
    const pa_sip_call **calls = malloc((nc ? nc : 1) * sizeof *calls);
    uint32_t *per_call = calloc(nc ? nc : 1, sizeof *per_call);
    double *worst = malloc((nc ? nc : 1) * sizeof *worst);
    int64_t *setup = malloc((nc ? nc : 1) * sizeof *setup);
    if (!streams || !calls || !per_call || !worst || !setup) ns = nc = 0; /* out of memory: totals only */
    uint64_t packets = 0, problems = 0, poor = 0;
    for (uint32_t i = 0; i < nc; i++) worst[i] = 5;
    for (uint32_t i = 0; i < ns; i++) {
        const pa_rtp_stream *s = &rt->streams[i];
        streams[i] = s;
        packets += s->total_nr;
        problems += s->problem;
        double mos = mos_of(s);
        poor += mos < 3.6;
        if (s->call && s->call <= nc) {
            per_call[s->call - 1]++;
            if (mos < worst[s->call - 1]) worst[s->call - 1] = mos;
        }
    }
    qsort(streams, ns, sizeof *streams, stream_order);
    size_t nsetup = 0;
    uint64_t by_state[PA_SIP_UNKNOWN + 1] = {0};
    for (uint32_t i = 0; i < nc; i++) {
        calls[i] = &sip->calls[i];
        if (calls[i]->setup_ns >= 0) setup[nsetup++] = calls[i]->setup_ns;
        if ((unsigned)calls[i]->state <= PA_SIP_UNKNOWN) by_state[calls[i]->state]++;
    }
    qsort(calls, nc, sizeof *calls, call_order);
    pa_ns_summary sum;
    json_t *setup_json = pa_ns_summary_json(setup, nsetup, &sum);
    json_t *states = json_object();
    for (int i = 0; i <= PA_SIP_UNKNOWN; i++)
        if (by_state[i])
            json_object_set_new(states, pa_sip_state_name((pa_sip_call_state)i), json_integer((json_int_t)by_state[i]));

    pa_buf_printf(t, "SIP: %llu requests, %llu responses, %u calls", (unsigned long long)sip->requests,
                  (unsigned long long)sip->responses, sip->ncalls);
    const char *k;
    json_t *v;
    if (json_object_size(states)) {
        const char *sep = " (";
        json_object_foreach(states, k, v) {
            pa_buf_printf(t, "%s%lld %s", sep, (long long)json_integer_value(v), k);
            sep = ", ";
        }
        pa_buf_puts(t, ")");
    }
    pa_buf_puts(t, ".\n");
    if (nsetup)
        pa_buf_printf(t, "Call setup (INVITE to 200 OK): min %.3f ms, median %.3f ms, max %.3f ms over %zu calls.\n",
                      sum.min_ms, sum.p50_ms, sum.max_ms, nsetup);
    pa_buf_printf(t,
                  "RTP: %u streams, %llu packets; %llu with a problem (sequence errors or packets out of time "
                  "sequence), %llu with an estimated MOS below 3.6.%s\n",
                  rt->nstreams, (unsigned long long)packets, (unsigned long long)problems, (unsigned long long)poor,
                  heuristic ? " The RTP heuristic was on: streams no SDP announced are included."
                            : " Only streams a SIP/SDP exchange announced; rtp_heuristic=true finds the others.");
    if (sip->calls_dropped)
        pa_buf_printf(t, "Only %u calls are listed; messages of %llu more were counted.\n", PA_SIP_MAX_CALLS,
                      (unsigned long long)sip->calls_dropped);
    if (rt->streams_dropped)
        pa_buf_printf(t, "Only %u streams are listed; %llu RTP packets of more were counted.\n", PA_RTP_MAX_STREAMS,
                      (unsigned long long)rt->streams_dropped);
    if (!sip->requests && !sip->responses && !rt->nstreams) pa_buf_puts(t, "No SIP or RTP in this capture.\n");
    res->structured = json_pack(
        "{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b}, s:o, s:o}", "capture", pa_capture_json(&l), "totals",
        "sip_requests", (json_int_t)sip->requests, "sip_responses", (json_int_t)sip->responses, "calls",
        (json_int_t)sip->ncalls, "malformed_sip", (json_int_t)sip->malformed, "rtp_streams", (json_int_t)rt->nstreams,
        "rtp_packets", (json_int_t)packets, "streams_with_problems", (json_int_t)problems, "streams_mos_below_3_6",
        (json_int_t)poor, "rtp_heuristic", heuristic, "call_states", states, "setup_time", setup_json);

    /* the calls, failed first (not paged: at most `limit`) */
    pa_rows rows;
    if (nc) pa_buf_puts(t, "Calls (failed first, then cancelled, unanswered, and the slowest setups):\n");
    pa_rows_begin(&rows, &rep, "calls", 0, lim, nc, false);
    for (uint32_t i = 0; i < nc && i < lim; i++) {
        uint32_t idx = (uint32_t)(calls[i] - sip->calls);
        call_text(pa_rows_line(&rows), calls[i], per_call[idx], worst[idx]);
        if (!pa_rows_push(&rows, call_json(calls[i], per_call[idx], worst[idx]))) break;
    }
    pa_rows_end(&rows, res->structured, "calls", NULL);

    /* the streams, worst first */
    if (ns && offset < ns)
        pa_buf_printf(t, "RTP streams %zu-%zu of %u, lowest estimated MOS first:\n", offset + 1,
                      offset + lim < ns ? offset + lim : ns, ns);
    pa_rows_begin(&rows, &rep, "streams", offset, lim, ns, true);
    for (size_t i = offset; i < ns && i - offset < lim; i++) {
        stream_text(pa_rows_line(&rows), m, streams[i]);
        if (!pa_rows_push(&rows, stream_json(m, streams[i]))) break;
    }
    pa_rows_end(&rows, res->structured, "streams", "page");
    rtcp_rows(&rep, m, res->structured, lim);
    free(streams);
    free(calls);
    free(per_call);
    free(worst);
    free(setup);
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

#define STREAM_SCHEMA                                                                                                  \
    PA_S_ROWS("\"src\":" PA_S_STR ",\"src_port\":" PA_S_INT ",\"dst\":" PA_S_STR ",\"dst_port\":" PA_S_INT             \
              ",\"ssrc\":" PA_S_STR ",\"payload_type\":" PA_S_INT ",\"codec\":" PA_S_STR ",\"packets\":" PA_S_INT      \
              ",\"lost\":" PA_S_INT ",\"lost_pct\":" PA_S_NUM ",\"max_delta_ms\":" PA_S_NUM                            \
              ",\"mean_jitter_ms\":" PA_S_NUM ",\"max_jitter_ms\":" PA_S_NUM ",\"sequence_errors\":" PA_S_INT          \
              ",\"problem\":" PA_S_BOOL ",\"first_frame\":" PA_S_INT ",\"last_frame\":" PA_S_INT                       \
              ",\"time_s\":" PA_S_NUM ",\"mos_estimate\":" PA_S_NUM ",\"call_id\":" PA_S_STR                           \
              ",\"display_filter\":" PA_S_STR)
#define REPORT_SCHEMA                                                                                                  \
    PA_S_ROWS("\"reporter\":" PA_S_STR ",\"source\":" PA_S_STR ",\"from\":" PA_S_STR ",\"from_port\":" PA_S_INT        \
              ",\"to\":" PA_S_STR ",\"to_port\":" PA_S_INT ",\"reports\":" PA_S_INT ",\"fraction_lost_pct\":" PA_S_NUM \
              ",\"fraction_lost_max_pct\":" PA_S_NUM ",\"cumulative_lost\":" PA_S_INT                                  \
              ",\"jitter_max\":{\"type\":\"integer\",\"description\":\"in the source's timestamp units\"}"             \
              ",\"jitter_max_ms\":" PA_S_NUM ",\"round_trip_ms\":" PA_S_NUM ",\"round_trip_max_ms\":" PA_S_NUM         \
              ",\"first_frame\":" PA_S_INT ",\"last_frame\":" PA_S_INT ",\"display_filter\":" PA_S_STR)
#define CALL_SCHEMA                                                                                                    \
    PA_S_ROWS("\"call_id\":" PA_S_STR ",\"from\":" PA_S_STR ",\"to\":" PA_S_STR ",\"state\":" PA_S_STR                 \
              ",\"invite_frame\":" PA_S_INT ",\"streams\":" PA_S_INT ",\"setup_ms\":" PA_S_NUM                         \
              ",\"final_code\":" PA_S_INT ",\"final_reason\":" PA_S_STR ",\"final_frame\":" PA_S_INT                   \
              ",\"bye_frame\":" PA_S_INT ",\"cancel_frame\":" PA_S_INT ",\"worst_mos_estimate\":" PA_S_NUM             \
              ",\"display_filter\":" PA_S_STR)

const pa_tool_def pa_tool_analyze_voip_quality = {
    .name = "analyze_voip_quality",
    .title = "VoIP calls and RTP quality",
    .description = "SIP calls (setup time, failures) and RTP streams (loss, jitter, estimated MOS); worst first.",
    .input_schema =
        "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE "," PA_ARG_BPF
        "," PA_ARG_LIMIT(
            50, 1000) "," PA_ARG_OFFSET
                      ",\"rtp_heuristic\":{\"type\":\"boolean\",\"default\":false,\"description\":\"Also RTP no SDP "
                      "announced\"}},\"additionalProperties\":false}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"call_states\",\"setup_time\","
        "\"page\",\"streams\",\"rtcp\",\"rtcp_reports\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA
        ",\"totals\":" PA_S_OBJ(
            "\"sip_requests\":" PA_S_INT ",\"sip_responses\":" PA_S_INT ",\"calls\":" PA_S_INT
            ",\"malformed_sip\":" PA_S_INT ",\"rtp_streams\":" PA_S_INT ",\"rtp_packets\":" PA_S_INT
            ",\"streams_with_problems\":" PA_S_INT ",\"streams_mos_below_3_6\":" PA_S_INT
            ",\"rtp_heuristic\":" PA_S_BOOL) ",\"call_states\":" PA_S_COUNTS ",\"setup_time\":" PA_NS_SUMMARY_SCHEMA
                                             ",\"calls\":" CALL_SCHEMA ",\"page\":" PA_PAGE_SCHEMA
                                             ",\"streams\":" STREAM_SCHEMA ",\"rtcp\":" PA_S_COUNTS
                                             ",\"rtcp_reports\":" REPORT_SCHEMA "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run,
};
