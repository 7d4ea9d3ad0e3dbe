/* The TLS tools: analyze_tls_handshakes, analyze_sni_mismatches,
 * extract_certificate_details, analyze_tls_alerts and
 * extract_tls_cipher_analysis, all read from the model's TLS tracking
 * (analyzers/tls/tls_track.c). Totals first, then the lists; every row is in the
 * text with its frames, stream and endpoints (tool_report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tls_names.h"
#include "tool_report.h"
#include "tool_tcp_common.h"
#include "tool_tls.h"

/* ---- shared pieces ---------------------------------------------------------- */

static double ms_between(int64_t a, int64_t b) { return (double)(b - a) / 1e6; }

static const char *vname(uint16_t v, char *buf, size_t n) { return v ? pa_tls_version_name(v, buf, n) : ""; }

size_t pa_tls_arg_offset(const json_t *args) { return (size_t)json_integer_value(json_object_get(args, "offset")); }

static const char *const version_bits[] = {"SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"};

static json_t *offered_versions(const pa_tls_conn *c) {
    json_t *a = json_array();
    for (int i = 0; i < 5; i++)
        if (c->offered_mask & (1u << i)) json_array_append_new(a, json_string(version_bits[i]));
    return a;
}

static const char *outcome(const pa_tls_conn *c) { return pa_tls_outcome_name((pa_tls_outcome)c->outcome); }

/* {frame, stream, client, client_port, server, server_port, sni?} */
static void conn_ids(json_t *o, const pa_tls_conn *c) {
    json_object_set_new(o, "frame", json_integer((json_int_t)pa_tls_conn_frame(c)));
    json_object_set_new(o, "stream", json_integer((json_int_t)c->stream));
    json_object_set_new(o, "client", pa_json_addr(&c->client));
    json_object_set_new(o, "client_port", json_integer(c->cport));
    json_object_set_new(o, "server", pa_json_addr(&c->server));
    json_object_set_new(o, "server_port", json_integer(c->sport));
    if (c->has_sni) json_object_set_new(o, "sni", json_string(c->sni));
    if (c->quic) json_object_set_new(o, "transport", json_string("quic"));
}

#define CONN_ID_PROPS                                                                                                       \
    "\"frame\":{\"type\":\"integer\",\"description\":\"the ClientHello (else the connection's first TLS "                   \
    "frame)\"},\"stream\":{\"type\":\"integer\",\"description\":\"tcp.stream (udp.stream for QUIC)\"},\"client\":" PA_S_STR \
    ",\"client_port\":" PA_S_INT ",\"server\":" PA_S_STR ",\"server_port\":" PA_S_INT                                       \
    ",\"sni\":{\"type\":\"string\",\"description\":\"absent when the ClientHello named no server\"}"                        \
    ",\"transport\":{\"type\":\"string\",\"description\":\"quic for a QUIC connection; absent for TLS over TCP\"}"

/* "frame 36 stream 2 192.0.2.10:51516 -> 198.51.100.43:443 SNI secure.example.test"
 * ("frame 9 QUIC stream 0 ..." for a QUIC connection) */
static void conn_text(pa_buf *t, const pa_tls_conn *c) {
    pa_buf_printf(t, "frame %llu %sstream %u ", (unsigned long long)pa_tls_conn_frame(c), c->quic ? "QUIC " : "",
                  c->stream);
    pa_text_addr_port(t, &c->client, c->cport);
    pa_buf_puts(t, " -> ");
    pa_text_addr_port(t, &c->server, c->sport);
    if (c->has_sni) pa_buf_printf(t, " SNI %s", c->sni);
}

/* A row's filter, set in the row and printed at the end of its line. */
static void row_filter(json_t *o, pa_buf *ln, const char *df) {
    json_object_set_new(o, "display_filter", json_string(df));
    pa_buf_printf(ln, "; filter %s", df);
}

static const pa_tls_alert *first_clear_alert(const pa_tls_conn *c) {
    for (uint8_t i = 0; i < c->nalerts; i++)
        if (!c->alerts[i].encrypted) return &c->alerts[i];
    return NULL;
}

static json_t *conn_json(const pa_tls_conn *c) {
    char b1[40], b2[48], b3[40];
    json_t *o = json_object();
    conn_ids(o, c);
    json_object_set_new(o, "versions_offered", offered_versions(c));
    if (c->version) json_object_set_new(o, "version", json_string(vname(c->version, b1, sizeof b1)));
    if (c->sh_frame) json_object_set_new(o, "cipher", json_string(pa_tls_cipher_name(c->cipher, b2, sizeof b2)));
    if (c->group) json_object_set_new(o, "group", json_string(pa_tls_group_name(c->group, b3, sizeof b3)));
    if (c->alpn_offered[0]) json_object_set_new(o, "alpn_offered", json_string(c->alpn_offered));
    if (c->alpn[0]) json_object_set_new(o, "alpn", json_string(c->alpn));
    json_object_set_new(o, "outcome", json_string(outcome(c)));
    if (c->ch_frame && c->sh_frame)
        json_object_set_new(o, "server_hello_ms", json_real(ms_between(c->ch_ts, c->sh_ts)));
    if (c->ch_frame && c->done_frame)
        json_object_set_new(o, "handshake_ms", json_real(ms_between(c->ch_ts, c->done_ts)));
    const pa_tls_alert *a = first_clear_alert(c);
    if (a) {
        char ab[32];
        json_object_set_new(o, "alert", json_string(pa_tls_alert_name(a->desc, ab, sizeof ab)));
    }
    if (c->reset_frame) json_object_set_new(o, "reset_frame", json_integer((json_int_t)c->reset_frame));
    if (c->hrr) json_object_set_new(o, "hello_retry", json_true());
    if (c->resumed) json_object_set_new(o, "resumed", json_true());
    if (c->ja3[0]) json_object_set_new(o, "ja3", json_string(c->ja3));
    if (c->ja4[0]) json_object_set_new(o, "ja4", json_string(c->ja4));
    if (c->ja3s[0]) json_object_set_new(o, "ja3s", json_string(c->ja3s));
    return o;
}

/* The same connection as text: one line, then the offer and fingerprints. */
static void conn_line(pa_buf *t, const pa_tls_conn *c) {
    char b1[40], b2[48], b3[40];
    pa_buf_puts(t, "  ");
    conn_text(t, c);
    pa_buf_printf(t, ": %s", outcome(c));
    const pa_tls_alert *a = first_clear_alert(c);
    char ab[32];
    if (a && c->outcome == PA_TLS_OUT_ALERT) pa_buf_printf(t, " %s", pa_tls_alert_name(a->desc, ab, sizeof ab));
    if (c->version) pa_buf_printf(t, ", %s", vname(c->version, b1, sizeof b1));
    if (c->sh_frame) pa_buf_printf(t, " %s", pa_tls_cipher_name(c->cipher, b2, sizeof b2));
    if (c->group) pa_buf_printf(t, " %s", pa_tls_group_name(c->group, b3, sizeof b3));
    if (c->alpn[0]) pa_buf_printf(t, ", ALPN %s", c->alpn);
    if (a && c->outcome != PA_TLS_OUT_ALERT) pa_buf_printf(t, ", alert %s", pa_tls_alert_name(a->desc, ab, sizeof ab));
    if (c->reset_frame) pa_buf_printf(t, ", reset frame %llu", (unsigned long long)c->reset_frame);
    if (c->hrr) pa_buf_puts(t, ", HelloRetryRequest");
    if (c->resumed) pa_buf_puts(t, ", resumed");
    if (c->ch_frame && c->sh_frame) pa_buf_printf(t, ", ServerHello %.3f ms", ms_between(c->ch_ts, c->sh_ts));
    if (c->ch_frame && c->done_frame) pa_buf_printf(t, ", complete %.3f ms", ms_between(c->ch_ts, c->done_ts));
    pa_buf_puts(t, "\n");
    bool more = false; /* something on the second line */
    for (int i = 0; i < 5; i++)
        if (c->offered_mask & (1u << i)) {
            pa_buf_printf(t, "%s%s", more ? "," : "    offered ", version_bits[i]);
            more = true;
        }
    if (c->alpn_offered[0]) {
        pa_buf_printf(t, "%sALPN %s", more ? ", " : "    offered ", c->alpn_offered);
        more = true;
    }
    const char *fp[3][2] = {{"ja3", c->ja3}, {"ja4", c->ja4}, {"ja3s", c->ja3s}};
    for (int i = 0; i < 3; i++)
        if (fp[i][1][0]) {
            pa_buf_printf(t, "%s%s %s", more ? "; " : "    ", fp[i][0], fp[i][1]);
            more = true;
        }
    if (more) pa_buf_puts(t, "\n");
}

typedef const char *(*namer)(uint16_t, char *, size_t);

static json_t *names_json(const uint16_t *v, size_t n, namer fn) {
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        char b[48];
        json_array_append_new(a, json_string(fn(v[i], b, sizeof b)));
    }
    return a;
}

static void names_text(pa_buf *t, const char *label, const uint16_t *v, size_t n, namer fn) {
    pa_buf_printf(t, "%s%s", label, n ? "" : "none");
    for (size_t i = 0; i < n; i++) {
        char b[48];
        pa_buf_printf(t, "%s%s", i ? "," : "", fn(v[i], b, sizeof b));
    }
}

/* The ClientHello's lists by name (opt-in: they make a connection ten
 * times longer), in the row and in its text. */
static void hello_details(json_t *o, pa_buf *t, const pa_tls_conn *c) {
    if (!c->ch_frame) return;
    json_object_set_new(o, "cipher_suites_offered", names_json(c->hello_ciphers, c->n_ciphers, pa_tls_cipher_name));
    json_object_set_new(o, "cipher_suites_offered_total", json_integer(c->ciphers_offered));
    json_object_set_new(o, "extensions", names_json(c->hello_exts, c->n_exts, pa_tls_ext_name));
    json_object_set_new(o, "groups_offered", names_json(c->hello_groups, c->n_groups, pa_tls_group_name));
    json_object_set_new(o, "key_shares", names_json(c->hello_shares, c->n_shares, pa_tls_group_name));
    json_object_set_new(o, "signature_algorithms", names_json(c->hello_sigalgs, c->n_sigalgs, pa_tls_sigalg_name));
    pa_buf_printf(t, "    %u suites offered", c->ciphers_offered);
    if (c->n_ciphers < c->ciphers_offered) pa_buf_printf(t, " (the first %u kept)", c->n_ciphers);
    names_text(t, ": ", c->hello_ciphers, c->n_ciphers, pa_tls_cipher_name);
    names_text(t, "\n    extensions: ", c->hello_exts, c->n_exts, pa_tls_ext_name);
    names_text(t, "\n    groups: ", c->hello_groups, c->n_groups, pa_tls_group_name);
    names_text(t, "; key shares: ", c->hello_shares, c->n_shares, pa_tls_group_name);
    names_text(t, "\n    signature algorithms: ", c->hello_sigalgs, c->n_sigalgs, pa_tls_sigalg_name);
    pa_buf_puts(t, "\n");
}

void pa_tls_no_tls_note(pa_buf *t, const pa_model *m) {
    const pa_tls_stats *s = &m->tls;
    if (!s->connections)
        pa_buf_puts(t, m->quic.nconns ? "No TLS over TCP in this capture.\n" : "No TLS in this capture.\n");
    if (s->streams_capped)
        pa_buf_printf(t,
                      "%llu connection directions carried more than %llu MiB: records beyond that "
                      "were not read.\n",
                      (unsigned long long)s->streams_capped, (unsigned long long)(PA_TLS_STREAM_CAP >> 20));
    if (s->conns_dropped)
        pa_buf_printf(t, "Only %d connections are listed; %llu more were counted in the totals.\n", PA_TLS_MAX_CONNS,
                      (unsigned long long)s->conns_dropped);
}

static json_t *outcome_json(const uint64_t *counts) {
    json_t *o = json_object();
    for (int i = 0; i < PA_TLS_OUT_COUNT; i++)
        json_object_set_new(o, pa_tls_outcome_name((pa_tls_outcome)i), json_integer((json_int_t)counts[i]));
    return o;
}

/* What every TLS report starts with: the model, the byte budget, the
 * file's header line. False: res already says what failed. */
bool pa_tls_begin(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res, pa_loaded *l, pa_report *rep) {
    if (!pa_tool_load(ctx, args, res, l)) return false;
    pa_report_init(rep, ctx, res);
    pa_text_capture_header(&res->text, l);
    pa_text_packet_note(&res->text);
    return true;
}

/* "Mismatches 1-20 of 57 (...):" above a page's first row. */
void pa_tls_page_head(pa_buf *ln, const char *title, size_t offset, size_t lim, size_t total, const char *what) {
    size_t end = offset + lim < total ? offset + lim : total;
    pa_buf_printf(ln, "%s %zu-%zu of %zu (%s):\n", title, offset + 1, end, total, what);
}

/* ---- analyze_tls_handshakes ----------------------------------------------------- */

static bool outcome_wanted(const pa_tls_conn *c, const char *want) {
    if (!strcmp(want, "all")) return true;
    if (!strcmp(want, "failed"))
        return c->outcome == PA_TLS_OUT_ALERT || c->outcome == PA_TLS_OUT_RESET || c->outcome == PA_TLS_OUT_NO_ANSWER;
    return !strcmp(want, outcome(c));
}

static void run_handshakes(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    pa_report rep;
    if (!pa_tls_begin(ctx, args, res, &l, &rep)) return;
    const pa_tls_stats *s = &l.m->tls;
    pa_buf *t = &res->text;
    size_t lim = pa_arg_limit(args), offset = pa_tls_arg_offset(args);
    const char *want = json_string_value(json_object_get(args, "outcome"));
    if (!want) want = "all";
    bool details = json_is_true(json_object_get(args, "details"));
    if (details && lim > 100) lim = 100; /* each connection is ten times longer with its lists */

    int64_t *sh = malloc((s->nconns ? s->nconns : 1) * sizeof *sh);
    int64_t *hs = malloc((s->nconns ? s->nconns : 1) * sizeof *hs);
    int64_t *qhs = malloc((l.m->quic.nconns ? l.m->quic.nconns : 1) * sizeof *qhs);
    size_t nsh = 0, nhs = 0, nqhs = 0, matched = 0;
    json_t *versions = json_object();
    for (size_t i = 0; i < s->nconns; i++) {
        const pa_tls_conn *c = &s->conns[i];
        if (c->ch_frame && c->sh_frame && sh) sh[nsh++] = c->sh_ts - c->ch_ts;
        if (c->ch_frame && c->done_frame && hs) hs[nhs++] = c->done_ts - c->ch_ts;
    }
    for (uint32_t i = 0; qhs && i < l.m->quic.nconns; i++)
        if (pa_tls_quic_listed(&l.m->quic.conns[i]) && l.m->quic.conns[i].handshake_ns >= 0)
            qhs[nqhs++] = l.m->quic.conns[i].handshake_ns;
    pa_tls_iter it = {.m = l.m};
    for (const pa_tls_conn *c; (c = pa_tls_next(&it));)
        if (outcome_wanted(c, want)) matched++;
    pa_tls_quic_totals qt = pa_tls_quic_count(&l.m->quic);
    for (uint16_t i = 0; i < s->chosen_versions.n; i++) {
        char b[40];
        json_object_set_new(versions, vname(s->chosen_versions.v[i].code, b, sizeof b),
                            json_integer((json_int_t)s->chosen_versions.v[i].n));
    }
    pa_ns_summary ssh, shs, sqhs;
    json_t *t_sh = pa_ns_summary_json(sh, nsh, &ssh), *t_hs = pa_ns_summary_json(hs, nhs, &shs);
    json_t *t_qhs = pa_ns_summary_json(qhs, nqhs, &sqhs);
    free(sh);
    free(hs);
    free(qhs);
    pa_buf_printf(
        t,
        "TLS: %llu connections, %llu ClientHellos, %llu ServerHellos. Outcomes: %llu completed, "
        "%llu failed by alert, %llu reset, %llu unanswered, %llu incomplete, %llu began before "
        "the capture.\n",
        (unsigned long long)s->connections, (unsigned long long)s->client_hellos, (unsigned long long)s->server_hellos,
        (unsigned long long)s->outcome[PA_TLS_OUT_COMPLETED], (unsigned long long)s->outcome[PA_TLS_OUT_ALERT],
        (unsigned long long)s->outcome[PA_TLS_OUT_RESET], (unsigned long long)s->outcome[PA_TLS_OUT_NO_ANSWER],
        (unsigned long long)s->outcome[PA_TLS_OUT_INCOMPLETE], (unsigned long long)s->outcome[PA_TLS_OUT_NOT_SEEN]);
    if (s->chosen_versions.n) {
        pa_buf_puts(t, "Versions chosen:");
        for (uint16_t i = 0; i < s->chosen_versions.n; i++) {
            char b[40];
            pa_buf_printf(t, "%s %s x%llu", i ? "," : "", vname(s->chosen_versions.v[i].code, b, sizeof b),
                          (unsigned long long)s->chosen_versions.v[i].n);
        }
        pa_buf_puts(t, ".\n");
    }
    if (nsh)
        pa_buf_printf(t, "ClientHello -> ServerHello: median %.3f ms, p90 %.3f ms, max %.3f ms.\n", ssh.p50_ms,
                      ssh.p90_ms, ssh.max_ms);
    if (nhs)
        pa_buf_printf(t, "ClientHello -> handshake complete: median %.3f ms, p90 %.3f ms, max %.3f ms.\n", shs.p50_ms,
                      shs.p90_ms, shs.max_ms);
    if (s->hrr || s->resumed)
        pa_buf_printf(t, "%llu HelloRetryRequests, %llu resumed sessions.\n", (unsigned long long)s->hrr,
                      (unsigned long long)s->resumed);
    if (qt.connections) {
        pa_buf_printf(
            t,
            "QUIC (TLS 1.3 in its Initial packets, listed with the TLS connections): %llu connections, "
            "%llu ClientHellos, %llu ServerHellos. Outcomes: %llu completed, %llu failed by alert, "
            "%llu unanswered, %llu incomplete, %llu began before the capture.\n",
            (unsigned long long)qt.connections, (unsigned long long)qt.client_hellos,
            (unsigned long long)qt.server_hellos, (unsigned long long)qt.outcome[PA_TLS_OUT_COMPLETED],
            (unsigned long long)qt.outcome[PA_TLS_OUT_ALERT], (unsigned long long)qt.outcome[PA_TLS_OUT_NO_ANSWER],
            (unsigned long long)qt.outcome[PA_TLS_OUT_INCOMPLETE], (unsigned long long)qt.outcome[PA_TLS_OUT_NOT_SEEN]);
        if (nqhs)
            pa_buf_printf(t, "QUIC first Initial -> handshake complete: median %.3f ms, p90 %.3f ms, max %.3f ms.\n",
                          sqhs.p50_ms, sqhs.p90_ms, sqhs.max_ms);
    }
    pa_tls_no_tls_note(t, l.m);
    res->structured = json_pack(
        "{s:o, s:s, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:o, s:o, s:{s:o, s:o}, s:{s:I, s:I, s:I, "
        "s:o, s:o}}",
        "capture", pa_capture_json(&l), "outcome", want, "totals", "connections", (json_int_t)s->connections,
        "client_hellos", (json_int_t)s->client_hellos, "server_hellos", (json_int_t)s->server_hellos,
        "hello_retry_requests", (json_int_t)s->hrr, "resumed", (json_int_t)s->resumed, "renegotiations",
        (json_int_t)s->renegotiations, "parse_errors", (json_int_t)s->parse_errors, "stream_gaps", (json_int_t)s->gaps,
        "streams_at_depth_cap", (json_int_t)s->streams_capped, "not_listed", (json_int_t)s->conns_dropped, "outcomes",
        outcome_json(s->outcome), "versions", versions, "timing", "client_hello_to_server_hello", t_sh,
        "client_hello_to_complete", t_hs, "quic", "connections", (json_int_t)qt.connections, "client_hellos",
        (json_int_t)qt.client_hellos, "server_hellos", (json_int_t)qt.server_hellos, "outcomes",
        outcome_json(qt.outcome), "initial_to_complete", t_qhs);

    pa_rows rows;
    pa_rows_begin(&rows, &rep, "connections", offset, lim, matched, true);
    size_t seen = 0;
    it = (pa_tls_iter){.m = l.m};
    for (const pa_tls_conn *c; rows.n < lim && (c = pa_tls_next(&it));) {
        if (!outcome_wanted(c, want) || seen++ < offset) continue;
        pa_buf *ln = pa_rows_line(&rows);
        if (!rows.n) {
            char title[64];
            bool all = !strcmp(want, "all");
            snprintf(title, sizeof title, "Connections%s%s", all ? "" : " with outcome ", all ? "" : want);
            pa_tls_page_head(ln, title, offset, lim, matched,
                             "ClientHello frame, stream, client -> server, SNI: outcome, version, cipher, group, "
                             "ALPN, times from the ClientHello; versions and ALPN offered, JA3/JA4/JA3S");
        }
        conn_line(ln, c);
        json_t *o = conn_json(c);
        if (details) hello_details(o, ln, c);
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, res->structured, "connections", "page");
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

/* "N what", when N is not 0. */
static void count_line(pa_buf *t, uint64_t n, const char *what) {
    if (n) pa_buf_printf(t, "%llu %s", (unsigned long long)n, what);
}

/* ---- analyze_sni_mismatches --------------------------------------------------------- */

typedef struct server_count {
    pa_addr addr;
    uint16_t port;
    bool quic;
    uint32_t n;
    uint64_t first_frame;
} server_count;

static int server_count_desc(const void *x, const void *y) {
    const server_count *a = x, *b = y;
    if (a->n != b->n) return a->n < b->n ? 1 : -1;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

static const pa_tls_cert_entry *leaf(const pa_tls_stats *s, const pa_tls_conn *c) {
    return c->nchain && c->chain[0] >= 0 && (size_t)c->chain[0] < s->ncerts ? &s->certs[c->chain[0]] : NULL;
}

static void run_sni(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    pa_report rep;
    if (!pa_tls_begin(ctx, args, res, &l, &rep)) return;
    const pa_tls_stats *s = &l.m->tls;
    pa_buf *t = &res->text;
    size_t lim = pa_arg_limit(args), offset = pa_tls_arg_offset(args);
    uint64_t with_sni = 0, compared = 0, match = 0, no_sni = 0, encrypted = 0, no_cert = 0;
    size_t nmis = 0, nrej = 0, nsc = 0, all = s->nconns + l.m->quic.nconns;
    pa_tls_ref *mis = malloc((all ? all : 1) * sizeof *mis);
    pa_tls_ref *rej = malloc((all ? all : 1) * sizeof *rej);
    server_count *sc = malloc((all ? all : 1) * sizeof *sc);
    pa_tls_iter it = {.m = l.m};
    for (const pa_tls_conn *c; mis && rej && sc && (c = pa_tls_next(&it));) {
        if (!c->ch_frame) continue;
        if (!c->has_sni) {
            no_sni++;
            size_t k = 0;
            while (k < nsc && !(sc[k].port == c->sport && sc[k].quic == c->quic &&
                                !memcmp(&sc[k].addr, &c->server, sizeof c->server)))
                k++;
            if (k == nsc) sc[nsc++] = (server_count){c->server, c->sport, c->quic, 0, c->ch_frame};
            sc[k].n++;
            continue;
        }
        with_sni++;
        if (c->sni_match >= 0) compared++;
        if (c->sni_match == 1) match++;
        if (c->certs_encrypted)
            encrypted++;
        else if (c->sni_match < 0 && c->sh_frame)
            no_cert++;
        if (c->sni_match == 0) mis[nmis++] = it.ref;
        if (c->outcome == PA_TLS_OUT_ALERT || c->outcome == PA_TLS_OUT_RESET) rej[nrej++] = it.ref;
    }
    if (sc) qsort(sc, nsc, sizeof *sc, server_count_desc);
    pa_buf_printf(t,
                  "SNI: %llu ClientHellos name a server, %llu do not. %llu could be compared with "
                  "the server's "
                  "certificate: %llu match, %zu do not. %zu were rejected (alert or reset).\n",
                  (unsigned long long)with_sni, (unsigned long long)no_sni, (unsigned long long)compared,
                  (unsigned long long)match, nmis, nrej);
    count_line(t, encrypted,
               "handshakes are TLS 1.3 (QUIC's included): the certificate is encrypted, so the SNI "
               "cannot be checked against it from a capture.\n");
    count_line(t, no_cert, "handshakes sent no certificate in the capture (resumed sessions, or not captured).\n");
    pa_tls_no_tls_note(t, l.m);
    res->structured = json_pack(
        "{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}}", "capture", pa_capture_json(&l), "totals", "with_sni",
        (json_int_t)with_sni, "without_sni", (json_int_t)no_sni, "compared", (json_int_t)compared, "matching",
        (json_int_t)match, "mismatched", (json_int_t)nmis, "rejected", (json_int_t)nrej, "certificate_encrypted",
        (json_int_t)encrypted, "no_certificate_seen", (json_int_t)no_cert, "servers_without_sni", (json_int_t)nsc);

    /* the certificate does not cover the name: the main list, paged */
    pa_rows rows;
    char df[200];
    pa_rows_begin(&rows, &rep, "mismatches", offset, lim, nmis, true);
    pa_tls_conn view;
    for (size_t i = offset; i < nmis && i - offset < lim; i++) {
        const pa_tls_conn *c = pa_tls_conn_at(l.m, mis[i], &view);
        const pa_tls_cert_entry *ce = leaf(s, c);
        json_t *o = json_object();
        conn_ids(o, c);
        pa_buf *ln = pa_rows_line(&rows);
        if (i == offset)
            pa_tls_page_head(ln, "Mismatches", offset, lim, nmis,
                             "ClientHello frame, stream, client -> server, SNI: the certificate the "
                             "server sent");
        pa_buf_puts(ln, "  ");
        conn_text(ln, c);
        if (ce) {
            json_object_set_new(o, "certificate_subject", json_string(ce->c.subject));
            json_object_set_new(o, "certificate_names", json_string(ce->c.sans));
            json_object_set_new(o, "certificate_sha256", json_string(ce->c.sha256));
            json_object_set_new(o, "self_signed", json_boolean(ce->c.self_signed));
            pa_buf_printf(ln, ": certificate %s (names: %.300s%s; sha256 %s)%s", ce->c.subject,
                          ce->c.sans[0] ? ce->c.sans : "none", strlen(ce->c.sans) > 300 ? "..." : "", ce->c.sha256,
                          ce->c.self_signed ? ", self-signed" : "");
        }
        json_object_set_new(o, "outcome", json_string(outcome(c)));
        pa_buf_printf(ln, ", %s", outcome(c));
        snprintf(df, sizeof df, "tcp.stream == %u && tls.handshake.type in {1,11}", c->stream);
        row_filter(o, ln, df);
        pa_buf_puts(ln, "\n");
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, res->structured, "mismatches", "page");

    pa_rows_begin(&rows, &rep, "rejected", 0, lim, nrej, false);
    for (size_t i = 0; i < nrej && i < lim; i++) {
        const pa_tls_conn *c = pa_tls_conn_at(l.m, rej[i], &view);
        json_t *o = json_object();
        conn_ids(o, c);
        json_object_set_new(o, "outcome", json_string(outcome(c)));
        pa_buf *ln = pa_rows_line(&rows);
        if (!i) pa_buf_printf(ln, "Rejected by an alert or a reset (%zu of %zu):\n", nrej < lim ? nrej : lim, nrej);
        pa_buf_puts(ln, "  ");
        conn_text(ln, c);
        pa_buf_printf(ln, ": %s", outcome(c));
        const pa_tls_alert *a = first_clear_alert(c);
        if (a) {
            char ab[32];
            const char *an = pa_tls_alert_name(a->desc, ab, sizeof ab);
            json_object_set_new(o, "alert", json_string(an));
            json_object_set_new(o, "alert_from", json_string(a->from_server ? "server" : "client"));
            pa_buf_printf(ln, " %s from the %s (frame %llu)", an, a->from_server ? "server" : "client",
                          (unsigned long long)a->frame);
        }
        if (c->reset_frame) {
            json_object_set_new(o, "reset_frame", json_integer((json_int_t)c->reset_frame));
            pa_buf_printf(ln, " (reset frame %llu)", (unsigned long long)c->reset_frame);
        }
        if (c->quic)
            snprintf(df, sizeof df, "udp.stream == %u && (quic.frame_type == 6 || quic.cc.error_code)", c->stream);
        else
            snprintf(df, sizeof df,
                     "tcp.stream == %u && (tls.handshake.type == 1 || tls.alert_message || "
                     "tcp.flags.reset == 1)",
                     c->stream);
        row_filter(o, ln, df);
        pa_buf_puts(ln, "\n");
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, res->structured, "rejected", NULL);

    pa_rows_begin(&rows, &rep, "servers without SNI", 0, lim, nsc, false);
    for (size_t k = 0; k < nsc && k < lim; k++) {
        char a[64];
        pa_addr_str(&sc[k].addr, a, sizeof a);
        json_t *o = json_pack("{s:o, s:i, s:i, s:I}", "server", pa_json_addr(&sc[k].addr), "server_port", sc[k].port,
                              "connections", sc[k].n, "first_frame", (json_int_t)sc[k].first_frame);
        if (sc[k].quic) json_object_set_new(o, "transport", json_string("quic"));
        pa_buf *ln = pa_rows_line(&rows);
        if (!k)
            pa_buf_printf(ln, "ClientHellos without SNI, by server (%zu of %zu servers, most first):\n",
                          nsc < lim ? nsc : lim, nsc);
        pa_buf_puts(ln, "  ");
        pa_text_addr_port(ln, &sc[k].addr, sc[k].port);
        pa_buf_printf(ln, ": %u %sClientHellos, first frame %llu", sc[k].n, sc[k].quic ? "QUIC " : "",
                      (unsigned long long)sc[k].first_frame);
        if (sc[k].quic) /* our filters do not read the TLS inside QUIC: the server's Initial CRYPTO frames */
            snprintf(df, sizeof df, "%s.dst == %s && udp.dstport == %u && quic.frame_type == 6",
                     sc[k].addr.family == 6 ? "ipv6" : "ip", a, sc[k].port);
        else
            snprintf(df, sizeof df,
                     "%s.dst == %s && tcp.dstport == %u && tls.handshake.type == 1 && "
                     "!tls.handshake.extensions_server_name",
                     sc[k].addr.family == 6 ? "ipv6" : "ip", a, sc[k].port);
        row_filter(o, ln, df);
        pa_buf_puts(ln, "\n");
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, res->structured, "without_sni", NULL);
    free(mis);
    free(rej);
    free(sc);
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

/* ---- analyze_tls_alerts ------------------------------------------------------------------ */

static const char *const alert_levels[3] = {"unknown", "warning", "fatal"};

static json_t *conn_alerts(const pa_tls_conn *c, pa_buf *ln) {
    json_t *al = json_array();
    for (uint8_t k = 0; k < c->nalerts; k++) {
        const pa_tls_alert *a = &c->alerts[k];
        const char *from = a->from_server ? "server" : "client";
        bool after = c->done_frame && a->frame > c->done_frame;
        json_t *x =
            json_pack("{s:I, s:s, s:b}", "frame", (json_int_t)a->frame, "from", from, "encrypted", a->encrypted);
        pa_buf_printf(ln, "    frame %llu %s ", (unsigned long long)a->frame, from);
        if (a->encrypted) {
            pa_buf_puts(ln, "encrypted");
        } else {
            char ab[32];
            const char *lv = alert_levels[a->level <= 2 ? a->level : 0],
                       *desc = pa_tls_alert_name(a->desc, ab, sizeof ab);
            json_object_set_new(x, "level", json_string(lv));
            json_object_set_new(x, "description", json_string(desc));
            pa_buf_printf(ln, "%s %s", lv, desc);
        }
        json_object_set_new(x, "after_handshake", json_boolean(after));
        pa_buf_puts(ln, after ? ", after the handshake\n" : "\n");
        json_array_append_new(al, x);
    }
    if (c->alerts_total > c->nalerts)
        pa_buf_printf(ln, "    (%u more alerts, not kept)\n", c->alerts_total - c->nalerts);
    return al;
}

static void run_alerts(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    pa_report rep;
    if (!pa_tls_begin(ctx, args, res, &l, &rep)) return;
    const pa_tls_stats *s = &l.m->tls;
    pa_buf *t = &res->text;
    size_t lim = pa_arg_limit(args), offset = pa_tls_arg_offset(args);
    size_t with_alerts = 0, nkinds = 0;
    for (size_t i = 0; i < s->nconns; i++)
        if (s->conns[i].alerts_total) with_alerts++;
    /* QUIC's CRYPTO_ERROR closes carry a fatal alert in clear: counted with the TLS ones */
    uint64_t count[3][256], quic_alerts = 0;
    memcpy(count, s->alert_count, sizeof count);
    for (uint32_t i = 0; i < l.m->quic.nconns; i++) {
        const pa_quic_conn *q = &l.m->quic.conns[i];
        if (!pa_tls_quic_listed(q) || !pa_tls_quic_alert(q)) continue;
        count[2][q->close_code & 0xff]++;
        quic_alerts++;
        with_alerts++;
    }
    for (int lv = 2; lv >= 0; lv--)
        for (int d = 0; d < 256; d++)
            if (count[lv][d]) nkinds++;
    pa_buf_printf(t,
                  "TLS alerts: %llu in clear, %llu encrypted (after the keys changed: their content cannot "
                  "be "
                  "read; at the end of a completed session they are normally close_notify). %zu connections "
                  "carried alerts.\n",
                  (unsigned long long)s->alerts, (unsigned long long)s->alerts_encrypted, with_alerts);
    count_line(t, quic_alerts,
               "QUIC handshakes were closed with CRYPTO_ERROR, a fatal TLS alert in clear: counted below with the "
               "others.\n");
    pa_tls_no_tls_note(t, l.m);
    res->structured =
        json_pack("{s:o, s:{s:I, s:I, s:I, s:I}}", "capture", pa_capture_json(&l), "totals", "in_clear",
                  (json_int_t)s->alerts, "encrypted", (json_int_t)s->alerts_encrypted, "connections_with_alerts",
                  (json_int_t)with_alerts, "quic_crypto_errors", (json_int_t)quic_alerts);

    /* at most 3 x 256 kinds: all of them */
    pa_rows rows;
    pa_rows_begin(&rows, &rep, "alert kinds", 0, nkinds, nkinds, false);
    for (int k = 0; k < 3 * 256; k++) { /* fatal first */
        int lv = 2 - k / 256, d = k % 256;
        if (!count[lv][d]) continue;
        char ab[32];
        const char *name = pa_tls_alert_name((uint8_t)d, ab, sizeof ab);
        pa_buf *ln = pa_rows_line(&rows);
        if (!rows.n) pa_buf_puts(ln, "In clear, by level and description:\n");
        pa_buf_printf(ln, "  %s %s (%d): %llu\n", alert_levels[lv], name, d, (unsigned long long)count[lv][d]);
        if (!pa_rows_push(&rows, json_pack("{s:s, s:s, s:i, s:I}", "level", alert_levels[lv], "description", name,
                                           "code", d, "count", (json_int_t)count[lv][d])))
            break;
    }
    pa_rows_end(&rows, res->structured, "by_description", NULL);

    pa_rows_begin(&rows, &rep, "connections", offset, lim, with_alerts, true);
    size_t seen = 0;
    pa_tls_iter it = {.m = l.m};
    for (const pa_tls_conn *c; rows.n < lim && (c = pa_tls_next(&it));) {
        if (!c->alerts_total || seen++ < offset) continue;
        json_t *o = json_object();
        conn_ids(o, c);
        json_object_set_new(o, "outcome", json_string(outcome(c)));
        json_object_set_new(o, "alerts_total", json_integer(c->alerts_total));
        pa_buf *ln = pa_rows_line(&rows);
        if (!rows.n)
            pa_tls_page_head(ln, "Connections with alerts", offset, lim, with_alerts,
                             "ClientHello frame, stream, client -> server, SNI: outcome; then each "
                             "alert's frame and sender");
        pa_buf_puts(ln, "  ");
        conn_text(ln, c);
        pa_buf_printf(ln, ": %s, %u alert%s", outcome(c), c->alerts_total, c->alerts_total == 1 ? "" : "s");
        char df[96];
        snprintf(df, sizeof df,
                 c->quic ? "udp.stream == %u && quic.cc.error_code" : "tcp.stream == %u && tls.alert_message",
                 c->stream);
        row_filter(o, ln, df);
        pa_buf_puts(ln, "\n");
        json_object_set_new(o, "alerts", conn_alerts(c, ln));
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, res->structured, "connections", "page");
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

/* ---- extract_tls_cipher_analysis ------------------------------------------------------------ */

static int count_desc(const void *x, const void *y) {
    const pa_tls_count *a = x, *b = y;
    return a->n != b->n ? (a->n < b->n ? 1 : -1) : (a->code > b->code) - (a->code < b->code);
}

static const char *grade_name(pa_tls_grade g) {
    return g == PA_TLS_INSECURE ? "insecure" : g == PA_TLS_WEAK ? "weak" : "ok";
}

typedef enum { K_CIPHER, K_GROUP, K_VERSION, K_EXT, K_SIGALG } kind;

/* A counts table as rows, most frequent first, with names and judgements;
 * `hello_type` (1 ClientHello, 2 ServerHello) gives cipher rows a filter for
 * the hellos that offered or chose them (chosen: every suite; offered: the
 * weak and insecure ones, which are worth finding). */
static void counts_rows(pa_report *rep, json_t *obj, const char *key, const pa_tls_counts *c, kind k, size_t lim,
                        const char *label, int hello_type) {
    pa_tls_count *v = malloc((c->n ? c->n : 1) * sizeof *v);
    size_t n = v ? c->n : 0;
    if (v) memcpy(v, c->v, n * sizeof *v);
    if (v) qsort(v, n, sizeof *v, count_desc);
    pa_rows rows;
    pa_rows_begin(&rows, rep, label, 0, lim, n, false);
    for (size_t i = 0; i < n && i < lim; i++) {
        char b[48], code[8];
        const char *why = NULL, *name;
        pa_buf *ln = pa_rows_line(&rows);
        if (!i) pa_buf_printf(ln, "%s (%zu of %zu, most first):\n", label, n < lim ? n : lim, n);
        snprintf(code, sizeof code, "0x%04X", v[i].code);
        json_t *o;
        if (k == K_CIPHER) {
            pa_tls_grade g = pa_tls_cipher_grade(v[i].code, &why);
            bool pfs = !pa_tls_cipher_no_pfs(v[i].code);
            name = pa_tls_cipher_name(v[i].code, b, sizeof b);
            o = json_pack("{s:s, s:I, s:s, s:b}", "name", name, "count", (json_int_t)v[i].n, "grade", grade_name(g),
                          "forward_secrecy", pfs);
            pa_buf_printf(ln, "  %s (%s) x%llu: %s%s%s%s%s", name, code, (unsigned long long)v[i].n, grade_name(g),
                          why ? " (" : "", why ? why : "", why ? ")" : "", pfs ? "" : ", no forward secrecy");
        } else if (k == K_GROUP) {
            bool pq = pa_tls_group_is_pq(v[i].code);
            name = pa_tls_group_name(v[i].code, b, sizeof b);
            o = json_pack("{s:s, s:I, s:b}", "name", name, "count", (json_int_t)v[i].n, "post_quantum", pq);
            pa_buf_printf(ln, "  %s (%s) x%llu%s", name, code, (unsigned long long)v[i].n, pq ? ", post-quantum" : "");
        } else if (k == K_EXT || k == K_SIGALG) {
            name = k == K_EXT ? pa_tls_ext_name(v[i].code, b, sizeof b) : pa_tls_sigalg_name(v[i].code, b, sizeof b);
            o = json_pack("{s:s, s:I}", "name", name, "count", (json_int_t)v[i].n);
            pa_buf_printf(ln, "  %s (%s) x%llu", name, code, (unsigned long long)v[i].n);
        } else {
            pa_tls_grade g = pa_tls_version_grade(v[i].code, &why);
            name = pa_tls_version_name(v[i].code, b, sizeof b);
            o = json_pack("{s:s, s:I, s:s}", "name", name, "count", (json_int_t)v[i].n, "grade", grade_name(g));
            pa_buf_printf(ln, "  %s (%s) x%llu: %s%s%s%s", name, code, (unsigned long long)v[i].n, grade_name(g),
                          why ? " (" : "", why ? why : "", why ? ")" : "");
        }
        json_object_set_new(o, "code", json_string(code));
        if (why) json_object_set_new(o, "reason", json_string(why));
        if (k == K_CIPHER && (hello_type == 2 || (hello_type == 1 && why))) {
            char df[96];
            snprintf(df, sizeof df, "tls.handshake.type == %d && tls.handshake.ciphersuite == 0x%04x", hello_type,
                     v[i].code);
            row_filter(o, ln, df);
        }
        pa_buf_puts(ln, "\n");
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, obj, key, NULL);
    free(v);
}

static void run_ciphers(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    pa_report rep;
    if (!pa_tls_begin(ctx, args, res, &l, &rep)) return;
    const pa_tls_stats *s = &l.m->tls;
    pa_buf *t = &res->text;
    size_t lim = pa_arg_limit(args), offset = pa_tls_arg_offset(args);
    uint64_t weak_offerers = 0, pq_offered = 0, pq_chosen = 0, no_pfs = 0, hellos = 0, quic_hellos = 0;
    size_t nweak = 0, all = s->nconns + l.m->quic.nconns;
    pa_tls_ref *weak = malloc((all ? all : 1) * sizeof *weak);
    /* the tables with QUIC's hellos added (TLS 1.3 in Initial packets, as tshark dissects them) */
    pa_tls_tables *tb = malloc(sizeof *tb);
    if (!tb || !weak) {
        free(tb);
        free(weak);
        pa_tool_fail(res, "out of memory");
        pa_report_finish(&rep);
        pa_tool_unload(&l);
        return;
    }
    pa_tls_tables_with_quic(tb, s, &l.m->quic);
    pa_tls_iter it = {.m = l.m};
    for (const pa_tls_conn *c; (c = pa_tls_next(&it));) {
        if (c->ch_frame) hellos++;
        if (c->ch_frame && c->quic) quic_hellos++;
        if (c->weak_offered) weak_offerers++;
        if (c->pq_offered) pq_offered++;
        if (c->group && pa_tls_group_is_pq(c->group)) pq_chosen++;
        if (!c->sh_frame) continue;
        if (pa_tls_cipher_no_pfs(c->cipher)) no_pfs++;
        const char *why;
        if (pa_tls_cipher_grade(c->cipher, &why) == PA_TLS_OK && pa_tls_version_grade(c->version, &why) == PA_TLS_OK)
            continue;
        weak[nweak++] = it.ref;
    }
    pa_buf_printf(t,
                  "%zu connections chose a weak or insecure version or cipher; %llu chose a suite without "
                  "forward secrecy; %llu of %llu ClientHellos offered insecure or weak suites.\n",
                  nweak, (unsigned long long)no_pfs, (unsigned long long)weak_offerers, (unsigned long long)hellos);
    if (quic_hellos)
        pa_buf_printf(t, "%llu of the ClientHellos are QUIC's (counted in every table below).\n",
                      (unsigned long long)quic_hellos);
    pa_buf_printf(t,
                  "Post-quantum hybrid key exchange: offered in %llu ClientHellos, chosen in %llu "
                  "handshakes.\n",
                  (unsigned long long)pq_offered, (unsigned long long)pq_chosen);
    pa_tls_no_tls_note(t, l.m);
    json_t *versions = json_object(), *suites = json_object(), *groups = json_object();
    res->structured = json_pack(
        "{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:O, s:O, s:O}", "capture", pa_capture_json(&l), "totals",
        "client_hellos", (json_int_t)hellos, "quic_client_hellos", (json_int_t)quic_hellos, "weak_choices",
        (json_int_t)nweak, "without_forward_secrecy", (json_int_t)no_pfs, "clients_offering_weak",
        (json_int_t)weak_offerers, "post_quantum_offered", (json_int_t)pq_offered, "post_quantum_chosen",
        (json_int_t)pq_chosen, "versions", versions, "cipher_suites", suites, "groups", groups);

    const pa_tls_tables *T = tb;
    /* what servers chose, then the weak choices (paged), then what clients offered */
    counts_rows(&rep, versions, "chosen", &T->chosen_versions, K_VERSION, lim, "Versions chosen", 0);
    counts_rows(&rep, suites, "chosen", &T->chosen_ciphers, K_CIPHER, lim, "Cipher suites chosen", 2);
    counts_rows(&rep, groups, "chosen", &T->chosen_groups, K_GROUP, lim, "Key exchange groups chosen", 0);
    pa_rows rows;
    pa_rows_begin(&rows, &rep, "weak connections", offset, lim, nweak, true);
    pa_tls_conn view;
    for (size_t i = offset; i < nweak && i - offset < lim; i++) {
        const pa_tls_conn *c = pa_tls_conn_at(l.m, weak[i], &view);
        const char *cwhy = NULL, *vwhy = NULL;
        pa_tls_grade cg = pa_tls_cipher_grade(c->cipher, &cwhy), vg = pa_tls_version_grade(c->version, &vwhy);
        /* the names may be fixed strings that leave the buffers unwritten */
        char b1[40], b2[48];
        const char *vn = vname(c->version, b1, sizeof b1), *cn = pa_tls_cipher_name(c->cipher, b2, sizeof b2);
        json_t *o = json_object();
        conn_ids(o, c);
        json_object_set_new(o, "version", json_string(vn));
        json_object_set_new(o, "cipher", json_string(cn));
        json_t *why = json_array();
        if (vwhy) json_array_append_new(why, json_string(vwhy));
        if (cwhy) json_array_append_new(why, json_string(cwhy));
        json_object_set_new(o, "reasons", why);
        json_object_set_new(o, "grade", json_string(grade_name(cg > vg ? cg : vg)));
        pa_buf *ln = pa_rows_line(&rows);
        if (i == offset)
            pa_tls_page_head(ln, "Weak choices", offset, lim, nweak,
                             "ClientHello frame, stream, client -> server, SNI: version and cipher chosen, why");
        pa_buf_puts(ln, "  ");
        conn_text(ln, c);
        pa_buf_printf(ln, ": %s %s (%s: %s%s%s)\n", vn, cn, grade_name(cg > vg ? cg : vg), vwhy ? vwhy : "",
                      vwhy && cwhy ? "; " : "", cwhy ? cwhy : "");
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, res->structured, "weak_connections", "page");
    counts_rows(&rep, versions, "offered_highest", &T->offered_versions, K_VERSION, lim, "Highest version offered", 0);
    counts_rows(&rep, suites, "offered", &T->offered_ciphers, K_CIPHER, lim,
                "Cipher suites offered, by ClientHellos offering each", 1);
    counts_rows(&rep, groups, "offered", &T->offered_groups, K_GROUP, lim, "Groups offered", 0);
    counts_rows(&rep, groups, "key_shares", &T->key_share_groups, K_GROUP, lim, "Key shares sent", 0);
    json_t *rest = res->structured;
    counts_rows(&rep, rest, "extensions_offered", &T->offered_exts, K_EXT, lim, "Extensions offered", 0);
    counts_rows(&rep, rest, "signature_algorithms_offered", &T->offered_sigalgs, K_SIGALG, lim,
                "Signature algorithms offered", 0);
    json_decref(versions);
    json_decref(suites);
    json_decref(groups);
    free(weak);
    free(tb);
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

/* ---- definitions ------------------------------------------------------------------------------ */

/* QUIC's handshakes beside the TLS totals (its connections are in the lists) */
#define QUIC_TOTALS                                                                                                    \
    PA_S_OBJ("\"connections\":" PA_S_INT ",\"client_hellos\":" PA_S_INT ",\"server_hellos\":" PA_S_INT                 \
             ",\"outcomes\":" PA_S_COUNTS ",\"initial_to_complete\":" PA_NS_SUMMARY_SCHEMA)

const pa_tool_def pa_tool_analyze_tls_handshakes = {
    .name = "analyze_tls_handshakes",
    .title = "TLS handshakes",
    .description = "TLS handshakes per connection: version, SNI, cipher, outcome, timing, JA3/JA4. "
                   "outcome=failed for alert, reset or no answer.",
    .input_schema = TLS_INPUT(
        PA_ARG_LIMIT(50, 1000) "," PA_ARG_OFFSET
                               ",\"outcome\":{\"type\":\"string\",\"enum\":[\"all\",\"failed\",\"completed\",\"alert\","
                               "\"reset\",\"no_answer\",\"incomplete\",\"not_seen\"],\"default\":\"all\"},"
                               "\"details\":{\"type\":\"boolean\",\"default\":false}"),
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"outcome\",\"totals\",\"outcomes\",\"versions\",\"timing\","
        "\"quic\",\"page\",\"connections\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA
        ",\"outcome\":{\"type\":\"string\",\"description\":\"the outcome the connections were filtered by\"}"
        ",\"totals\":" PA_S_OBJ(
            "\"connections\":" PA_S_INT ",\"client_hellos\":" PA_S_INT ",\"server_hellos\":" PA_S_INT
            ",\"hello_retry_requests\":" PA_S_INT ",\"resumed\":" PA_S_INT ",\"renegotiations\":" PA_S_INT
            ",\"parse_errors\":" PA_S_INT ",\"stream_gaps\":" PA_S_INT ",\"streams_at_depth_cap\":" PA_S_INT
            ",\"not_listed\":" PA_S_INT) ",\"outcomes\":" PA_S_COUNTS ",\"versions\":" PA_S_COUNTS
                                         ",\"timing\":" PA_S_OBJ("\"client_hello_to_server_hello\":" PA_NS_SUMMARY_SCHEMA ",\"client_hello_to_complete\":" PA_NS_SUMMARY_SCHEMA) ",\"quic\":" QUIC_TOTALS ",\"page\":" PA_PAGE_SCHEMA ",\"connections\":" PA_S_ROWS(
                                             CONN_ID_PROPS
                                             ",\"versions_offered\":" PA_S_STRS
                                             ",\"version\":" S_ABSENT("string", "not negotiated") ",\"cipher\":" S_ABSENT("string", "no ServerHello") ",\"group\":" S_ABSENT("string", "not known") ",\"alpn_offered\":" S_ABSENT(
                                                 "string",
                                                 "none") ",\"alpn\":" S_ABSENT("string",
                                                                               "none") ",\"outcome\":" PA_S_STR
                                                                                       ",\"server_hello_ms\":" PA_S_NUM
                                                                                       ",\"handshake_ms\":" PA_S_NUM
                                                                                       ",\"alert\":" S_ABSENT(
                                                                                           "string",
                                                                                           "no alert in clear") ",\"reset_frame\":" PA_S_INT
                                                                                                                ",\"hello_retry\":" PA_S_BOOL
                                                                                                                ",\"resumed\":" PA_S_BOOL
                                                                                                                ",\"ja3\":" PA_S_STR
                                                                                                                ",\"ja4\":" PA_S_STR
                                                                                                                ",\"ja3s\":" PA_S_STR
                                                                                                                ",\"cipher_suites_offered\":" PA_S_STRS
                                                                                                                ",\"cipher_suites_offered_total\":" PA_S_INT
                                                                                                                ",\"extensions\":" PA_S_STRS
                                                                                                                ",\"groups_offered\":" PA_S_STRS
                                                                                                                ",\"key_shares\":" PA_S_STRS
                                                                                                                ",\"signature_algorithms\":" PA_S_STRS) "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_handshakes,
};

const pa_tool_def pa_tool_analyze_sni_mismatches = {
    .name = "analyze_sni_mismatches",
    .title = "SNI mismatches",
    .description = "SNI checked against the server certificate: mismatches, missing SNI, refused SNIs.",
    .input_schema = TLS_INPUT(PA_ARG_LIMIT(50, 500) "," PA_ARG_OFFSET),
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"page\",\"mismatches\",\"rejected\","
        "\"without_sni\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" PA_S_OBJ(
            "\"with_sni\":" PA_S_INT ",\"without_sni\":" PA_S_INT ",\"compared\":" PA_S_INT ",\"matching\":" PA_S_INT
            ",\"mismatched\":" PA_S_INT ",\"rejected\":" PA_S_INT ",\"certificate_encrypted\":" PA_S_INT
            ",\"no_certificate_seen\":" PA_S_INT
            ",\"servers_without_sni\":" PA_S_INT) ",\"page\":" PA_PAGE_SCHEMA
                                                  ",\"mismatches\":" PA_S_ROWS(
                                                      CONN_ID_PROPS
                                                      ",\"certificate_subject\":" PA_S_STR
                                                      ",\"certificate_names\":" PA_S_STR
                                                      ",\"certificate_sha256\":" PA_S_STR ",\"self_signed\":" PA_S_BOOL
                                                      ",\"outcome\":" PA_S_STR ",\"display_filter\":" S_FILTER(
                                                          "the ClientHello and the Certificate")) ",\"rejected\":" PA_S_ROWS(CONN_ID_PROPS
                                                                                                                             ",\"outcome\":" PA_S_STR
                                                                                                                             ",\"alert\":" S_ABSENT("string", "no alert in clear") ",\"alert_from\":" PA_S_STR ",\"reset_frame\":" PA_S_INT ",\"display_filter\":" S_FILTER(
                                                                                                                                 "the ClientHello and the alert or reset")) ",\"without_sni\":" PA_S_ROWS("\"server\":" PA_S_STR
                                                                                                                                                                                                          ",\"server_port\":" PA_S_INT
                                                                                                                                                                                                          ",\"connections\":" PA_S_INT
                                                                                                                                                                                                          ",\"first_frame\":" PA_S_INT
                                                                                                                                                                                                          ",\"transport\":" PA_S_STR
                                                                                                                                                                                                          ",\"display_filter\":" S_FILTER(
                                                                                                                                                                                                              "the server's ClientHellos without SNI")) "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_sni,
};

const pa_tool_def pa_tool_analyze_tls_alerts = {
    .name = "analyze_tls_alerts",
    .title = "TLS alerts",
    .description = "TLS alerts by level and description, with their connections.",
    .input_schema = TLS_INPUT(PA_ARG_LIMIT(50, 500) "," PA_ARG_OFFSET),
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"by_description\",\"page\",\"connections\"],"
        "\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA
        ",\"totals\":" PA_S_OBJ("\"in_clear\":" PA_S_INT ",\"encrypted\":" PA_S_INT ",\"connections_with_alerts\":" PA_S_INT ",\"quic_crypto_errors\":" PA_S_INT) ",\"by_description\":" PA_S_ROWS(
            "\"level\":" PA_S_STR ",\"description\":" PA_S_STR ",\"code\":" PA_S_INT
            ",\"count\":" PA_S_INT) ",\"page\":" PA_PAGE_SCHEMA
                                    ",\"connections\":" PA_S_ROWS(
                                        CONN_ID_PROPS
                                        ",\"outcome\":" PA_S_STR ",\"alerts_total\":" PA_S_INT
                                        ",\"display_filter\":" S_FILTER("the connection's alerts") ",\"alerts\":" PA_S_ROWS(
                                            "\"frame\":" PA_S_INT ",\"from\":" PA_S_STR ",\"encrypted\":" PA_S_BOOL
                                            ",\"level\":" S_ABSENT("string", "encrypted") ",\"description\":" S_ABSENT(
                                                "string",
                                                "encrypted") ",\"after_handshake\":" PA_S_BOOL)) "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_alerts,
};

#define COUNT_ROWS(extra) PA_S_ROWS("\"name\":" PA_S_STR ",\"count\":" PA_S_INT ",\"code\":" PA_S_STR extra)
#define CIPHER_ROWS                                                                                                    \
    COUNT_ROWS(",\"grade\":" PA_S_STR ",\"forward_secrecy\":" PA_S_BOOL ",\"reason\":" PA_S_STR                        \
               ",\"display_filter\":" S_FILTER("the hellos with this suite (chosen: all; offered: weak ones)"))
#define VERSION_ROWS COUNT_ROWS(",\"grade\":" PA_S_STR ",\"reason\":" PA_S_STR)
#define GROUP_ROWS COUNT_ROWS(",\"post_quantum\":" PA_S_BOOL)

const pa_tool_def pa_tool_extract_tls_cipher_analysis =
    {
        .name = "extract_tls_cipher_analysis",
        .title = "TLS ciphers and key exchange",
        .description = "Cipher suites, versions and groups offered versus chosen; weak choices flagged.",
        .input_schema = TLS_INPUT(PA_ARG_LIMIT(30, 500) "," PA_ARG_OFFSET),
        .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"versions\",\"cipher_suites\",\"groups\",\"page\","
                         "\"weak_connections\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" PA_S_OBJ("\"client_hellos\":" PA_S_INT
                                                                                                                        ",\"weak_choices\":" PA_S_INT
                                                                                                                        ",\"without_forward_secrecy\":" PA_S_INT ",\"clients_offering_weak\":" PA_S_INT ",\"quic_client_hellos\":" PA_S_INT ",\"post_quantum_offered\":" PA_S_INT ",\"post_quantum_chosen\":" PA_S_INT) ",\"versions\":" PA_S_OBJ("\"offered_highest\":" VERSION_ROWS ",\"chosen\":" VERSION_ROWS) ",\"cipher_suites\":" PA_S_OBJ("\"chosen\":" CIPHER_ROWS
                                                                                                                                                                                                                                                                                                                                                                                                                                                  ",\"offered\":" CIPHER_ROWS) ",\"groups\":" PA_S_OBJ("\"chosen\":" GROUP_ROWS ",\"offered\":" GROUP_ROWS ",\"key_shares\":" GROUP_ROWS) ",\"extensions_offered\":" COUNT_ROWS("") ",\"signature_algorithms_offered\":" COUNT_ROWS("") ",\"page\":" PA_PAGE_SCHEMA
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                        ",\"weak_connections\":" PA_S_ROWS(
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                            CONN_ID_PROPS
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                            ",\"version\":" PA_S_STR ",\"cipher\":" PA_S_STR ",\"reasons\":" PA_S_STRS
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                            ",\"grade\":" PA_S_STR) "},\"additionalProperties\":false}",
        .read_only = true,
        .idempotent = true,
        .run = run_ciphers,
};
