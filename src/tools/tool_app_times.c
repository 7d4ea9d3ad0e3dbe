/* analyze_application_response_times: how long servers take to answer, per
 * application protocol: HTTP request -> response (http.time), TLS
 * ClientHello -> handshake complete and first request -> first response
 * (HTTPS), DNS query -> response (dns.time), FTP command -> final reply.
 * Percentiles overall and per server, then the slowest transactions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_tcp_common.h"

typedef struct sample {
    pa_addr server;
    uint16_t port;
    int64_t ns;
    uint64_t frame;
    const char *what;  /* borrowed from the model: URI, SNI ... */
    const char *what2; /* method, host */
} sample;

static int by_server(const void *x, const void *y) {
    const sample *a = x, *b = y;
    int c = memcmp(&a->server, &b->server, sizeof a->server);
    if (c) return c;
    if (a->port != b->port) return a->port < b->port ? -1 : 1;
    return (a->ns > b->ns) - (a->ns < b->ns);
}

static int by_time_desc(const void *x, const void *y) {
    const sample *a = x, *b = y;
    return (a->ns < b->ns) - (a->ns > b->ns);
}

static int by_p90_desc(const void *x, const void *y) {
    double a = json_real_value(json_object_get(*(json_t *const *)x, "p90_ms"));
    double b = json_real_value(json_object_get(*(json_t *const *)y, "p90_ms"));
    return (a < b) - (a > b);
}

/* One timed metric from exact samples: overall, per server, slowest. */
static json_t *section(const char *name, const char *measures, sample *v, size_t n, size_t lim, pa_buf *t) {
    int64_t *ns = malloc((n ? n : 1) * sizeof *ns);
    for (size_t i = 0; ns && i < n; i++) ns[i] = v[i].ns;
    pa_ns_summary sum;
    json_t *overall = pa_ns_summary_json(ns, ns ? n : 0, &sum);
    pa_buf_printf(t, "%s (%s): %zu", name, measures, n);
    if (n) pa_buf_printf(t, ", median %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms", sum.p50_ms, sum.p90_ms,
                         sum.p99_ms, sum.max_ms);
    pa_buf_puts(t, ".\n");
    /* per server: runs of equal (server, port) after sorting */
    qsort(v, n, sizeof *v, by_server);
    size_t nsv = 0;
    json_t **rows = malloc((n ? n : 1) * sizeof *rows);
    for (size_t i = 0; rows && ns && i < n;) {
        size_t j = i;
        while (j < n && !memcmp(&v[j].server, &v[i].server, sizeof v[i].server) && v[j].port == v[i].port) j++;
        for (size_t k = i; k < j; k++) ns[k - i] = v[k].ns;
        json_t *o = pa_ns_summary_json(ns, j - i, NULL);
        json_object_set_new(o, "server", pa_json_addr(&v[i].server));
        json_object_set_new(o, "server_port", json_integer(v[i].port));
        rows[nsv++] = o;
        i = j;
    }
    if (rows) qsort(rows, nsv, sizeof *rows, by_p90_desc);
    json_t *servers = json_array();
    for (size_t i = 0; i < nsv; i++) {
        if (i < lim) {
            if (i < 5) {
                json_t *o = rows[i];
                pa_buf_printf(t, "  server %s port %lld: %lld, median %.3f ms, p90 %.3f ms, max %.3f ms\n",
                              json_string_value(json_object_get(o, "server")),
                              (long long)json_integer_value(json_object_get(o, "server_port")),
                              (long long)json_integer_value(json_object_get(o, "samples")),
                              json_real_value(json_object_get(o, "p50_ms")),
                              json_real_value(json_object_get(o, "p90_ms")),
                              json_real_value(json_object_get(o, "max_ms")));
            }
            json_array_append_new(servers, rows[i]);
        } else {
            json_decref(rows[i]);
        }
    }
    free(rows);
    free(ns);
    qsort(v, n, sizeof *v, by_time_desc);
    json_t *slow = json_array();
    for (size_t i = 0; i < n && i < lim; i++) {
        json_t *o = json_pack("{s:I, s:f, s:o, s:i}", "frame", (json_int_t)v[i].frame, "time_ms",
                              (double)v[i].ns / 1e6, "server", pa_json_addr(&v[i].server), "server_port", v[i].port);
        if (v[i].what2) json_object_set_new(o, "request", json_sprintf("%s %s", v[i].what2, v[i].what));
        else if (v[i].what) json_object_set_new(o, "name", json_string(v[i].what));
        json_array_append_new(slow, o);
        if (i < 5)
            pa_buf_printf(t, "  slow: frame %llu %.3f ms %s%s%s\n", (unsigned long long)v[i].frame,
                          (double)v[i].ns / 1e6, v[i].what2 ? v[i].what2 : "", v[i].what2 ? " " : "",
                          v[i].what ? v[i].what : "");
    }
    return json_pack("{s:s, s:s, s:o, s:I, s:o, s:o}", "name", name, "measures", measures, "overall", overall,
                     "servers", (json_int_t)nsv, "per_server", servers, "slowest", slow);
}

static json_t *http_section(const pa_model *m, size_t lim, pa_buf *t) {
    const pa_http_stats *h = &m->http;
    sample *v = malloc((h->ntx ? h->ntx : 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; v && i < h->ntx; i++) {
        const pa_http_tx *x = &h->tx[i];
        if (x->rt_ns < 0) continue;
        v[n++] = (sample){x->server, x->sport, x->rt_ns, x->req_frame, x->uri, x->method};
    }
    json_t *s = section("http", "request -> response, Wireshark's http.time", v, n, lim, t);
    json_object_set_new(s, "unanswered", json_integer((json_int_t)h->unanswered));
    free(v);
    return s;
}

static void https_sections(const pa_model *m, size_t lim, pa_buf *t, json_t *out) {
    const pa_tls_stats *s = &m->tls;
    sample *hs = malloc((s->nconns ? s->nconns : 1) * sizeof *hs), *rs = malloc((s->nconns ? s->nconns : 1) * sizeof *rs);
    size_t nh = 0, nr = 0;
    for (size_t i = 0; hs && rs && i < s->nconns; i++) {
        const pa_tls_conn *c = &s->conns[i];
        if (c->ch_frame && c->done_frame)
            hs[nh++] = (sample){c->server, c->sport, c->done_ts - c->ch_ts, c->ch_frame, c->has_sni ? c->sni : NULL, NULL};
        if (c->req_frame && c->resp_frame)
            rs[nr++] = (sample){c->server, c->sport, c->resp_ts - c->req_ts, c->req_frame, c->has_sni ? c->sni : NULL, NULL};
    }
    json_array_append_new(out, section("https_handshake", "TLS ClientHello -> handshake complete", hs, nh, lim, t));
    json_t *r = section("https_first_response",
                        "first encrypted client record after the handshake -> the server's next record", rs, nr,
                        lim, t);
    json_object_set_new(r, "note", json_string("Encrypted: the first request and response are told apart by "
                                               "direction only; with TLS 1.3 the server's session tickets can "
                                               "come first."));
    json_array_append_new(out, r);
    free(hs);
    free(rs);
}

static json_t *dns_section(const pa_model *m, size_t lim, pa_buf *t) {
    const pa_dns_stats *d = &m->dns;
    json_t *overall = json_pack("{s:I}", "samples", (json_int_t)d->rt_n);
    if (d->rt_n) {
        json_object_set_new(overall, "min_ms", json_real((double)d->rt_min / 1e6));
        json_object_set_new(overall, "mean_ms", json_real(d->rt_sum / (double)d->rt_n / 1e6));
        json_object_set_new(overall, "p50_ms", json_real(pa_hist_percentile_ms(d->rt_hist, PA_RTT_BUCKETS, 50)));
        json_object_set_new(overall, "p90_ms", json_real(pa_hist_percentile_ms(d->rt_hist, PA_RTT_BUCKETS, 90)));
        json_object_set_new(overall, "p99_ms", json_real(pa_hist_percentile_ms(d->rt_hist, PA_RTT_BUCKETS, 99)));
        json_object_set_new(overall, "max_ms", json_real((double)d->rt_max / 1e6));
    }
    pa_buf_printf(t, "dns (query -> response, Wireshark's dns.time): %llu", (unsigned long long)d->rt_n);
    if (d->rt_n)
        pa_buf_printf(t, ", mean %.3f ms, p90 <= %.3f ms, max %.3f ms", d->rt_sum / (double)d->rt_n / 1e6,
                      pa_hist_percentile_ms(d->rt_hist, PA_RTT_BUCKETS, 90), (double)d->rt_max / 1e6);
    pa_buf_printf(t, "; %llu unanswered.\n", (unsigned long long)d->unanswered);
    json_t *servers = json_array();
    size_t nsv = 0;
    const pa_dns_server **sv = malloc((d->servers.count ? d->servers.count : 1) * sizeof *sv);
    for (size_t i = 0; sv && i < d->servers.cap; i++)
        if (d->servers.used[i] && ((const pa_dns_server *)pa_htab_at(&d->servers, i))->rt_n)
            sv[nsv++] = pa_htab_at(&d->servers, i);
    json_t **rows = malloc((nsv ? nsv : 1) * sizeof *rows);
    for (size_t i = 0; rows && i < nsv; i++)
        rows[i] = json_pack("{s:o, s:i, s:I, s:f, s:f, s:f, s:f, s:f, s:I}", "server", pa_json_addr(&sv[i]->addr),
                            "server_port", 53, "samples", (json_int_t)sv[i]->rt_n, "mean_ms",
                            sv[i]->rt_sum / (double)sv[i]->rt_n / 1e6, "p50_ms",
                            pa_hist32_percentile_ms(sv[i]->rt_hist, PA_RTT_BUCKETS, 50), "p90_ms",
                            pa_hist32_percentile_ms(sv[i]->rt_hist, PA_RTT_BUCKETS, 90), "p99_ms",
                            pa_hist32_percentile_ms(sv[i]->rt_hist, PA_RTT_BUCKETS, 99), "max_ms",
                            (double)sv[i]->rt_max / 1e6, "queries", (json_int_t)sv[i]->queries);
    if (rows) qsort(rows, nsv, sizeof *rows, by_p90_desc);
    for (size_t i = 0; rows && i < nsv; i++) {
        if (i < lim) json_array_append_new(servers, rows[i]);
        else json_decref(rows[i]);
    }
    free(rows);
    free(sv);
    json_t *slow = json_array();
    pa_dns_event ev[PA_DNS_LIST];
    size_t ne = d->nslowest;
    memcpy(ev, d->slowest, ne * sizeof *ev);
    for (size_t i = 1; i < ne; i++) /* few: insertion sort, slowest first */
        for (size_t j = i; j > 0 && ev[j].rt_ns > ev[j - 1].rt_ns; j--) {
            pa_dns_event x = ev[j];
            ev[j] = ev[j - 1];
            ev[j - 1] = x;
        }
    for (size_t i = 0; i < ne && i < lim; i++) {
        json_array_append_new(slow, json_pack("{s:I, s:f, s:o, s:s}", "frame", (json_int_t)ev[i].frame, "time_ms",
                                              (double)ev[i].rt_ns / 1e6, "server", pa_json_addr(&ev[i].server),
                                              "name", ev[i].qname));
        if (i < 5)
            pa_buf_printf(t, "  slow: frame %llu %.3f ms %s\n", (unsigned long long)ev[i].frame,
                          (double)ev[i].rt_ns / 1e6, ev[i].qname);
    }
    return json_pack("{s:s, s:s, s:o, s:I, s:o, s:o, s:I, s:s}", "name", "dns", "measures",
                     "query -> response, Wireshark's dns.time", "overall", overall, "servers", (json_int_t)nsv,
                     "per_server", servers, "slowest", slow, "unanswered", (json_int_t)d->unanswered, "note",
                     "DNS percentiles are upper bounds of power-of-two buckets; min, mean and max are exact.");
}

/* ---- FTP: command -> final reply, reply codes, logins (passwords never shown) ---- */

static int by_count_desc(const void *x, const void *y) {
    json_int_t a = json_integer_value(json_object_get(*(json_t *const *)x, "count"));
    json_int_t b = json_integer_value(json_object_get(*(json_t *const *)y, "count"));
    return (a < b) - (a > b);
}

/* rows sorted by their "count", the first lim kept */
static json_t *top_rows(json_t **rows, size_t n, size_t lim) {
    if (rows) qsort(rows, n, sizeof *rows, by_count_desc);
    json_t *arr = json_array();
    for (size_t i = 0; rows && i < n; i++) {
        if (i < lim) json_array_append_new(arr, rows[i]);
        else json_decref(rows[i]);
    }
    return arr;
}

static json_t *ftp_section(const pa_model *m, size_t lim, pa_buf *t) {
    const pa_ftp_stats *f = &m->ftp;
    typedef char line_t[PA_FTP_CMD_MAX + PA_FTP_ARG_MAX + 1];
    sample *v = malloc((f->ntx ? f->ntx : 1) * sizeof *v);
    line_t *lines = malloc((f->ntx ? f->ntx : 1) * sizeof *lines);
    size_t n = 0;
    for (size_t i = 0; v && lines && i < f->ntx; i++) {
        const pa_ftp_tx *x = &f->tx[i];
        if (x->rt_ns < 0) continue;
        snprintf(lines[n], sizeof lines[n], "%s%s%s", x->verb, x->arg[0] ? " " : "", x->arg);
        v[n] = (sample){x->server, x->sport, x->rt_ns, x->cmd_frame, lines[n], NULL};
        n++;
    }
    json_t *s = section("ftp", "command -> its final reply (2xx-5xx; 1xx replies are preliminary)", v, n, lim, t);
    free(v);
    free(lines);
    pa_buf_printf(t, "  ftp: %llu sessions, %llu commands, %llu replies (1xx %llu, 2xx %llu, 3xx %llu, 4xx %llu, "
                     "5xx %llu), %llu unanswered; logins %llu succeeded, %llu failed.\n",
                  (unsigned long long)f->sessions, (unsigned long long)f->commands, (unsigned long long)f->replies,
                  (unsigned long long)f->reply_class[1], (unsigned long long)f->reply_class[2],
                  (unsigned long long)f->reply_class[3], (unsigned long long)f->reply_class[4],
                  (unsigned long long)f->reply_class[5], (unsigned long long)f->unanswered,
                  (unsigned long long)f->logins_ok, (unsigned long long)f->logins_failed);
    json_object_set_new(s, "note", json_string("tshark 4.0 has no FTP command -> reply time field. Passwords are never "
                                               "shown: PASS arguments are not kept."));
    json_object_set_new(s, "sessions", json_integer((json_int_t)f->sessions));
    json_object_set_new(s, "commands", json_integer((json_int_t)f->commands));
    json_object_set_new(s, "replies", json_integer((json_int_t)f->replies));
    json_object_set_new(s, "preliminary_replies", json_integer((json_int_t)f->preliminary));
    json_object_set_new(s, "unanswered", json_integer((json_int_t)f->unanswered));
    json_object_set_new(s, "orphan_replies", json_integer((json_int_t)f->orphan_replies));
    json_object_set_new(s, "reply_classes", json_pack("{s:I, s:I, s:I, s:I, s:I}", "1xx", (json_int_t)f->reply_class[1],
                                                      "2xx", (json_int_t)f->reply_class[2], "3xx",
                                                      (json_int_t)f->reply_class[3], "4xx", (json_int_t)f->reply_class[4],
                                                      "5xx", (json_int_t)f->reply_class[5]));
    size_t nc = 0;
    json_t **rows = malloc(600 * sizeof *rows);
    for (int code = 100; rows && code < 600; code++)
        if (f->reply_code[code])
            rows[nc++] = json_pack("{s:i, s:I}", "code", code, "count", (json_int_t)f->reply_code[code]);
    json_object_set_new(s, "reply_codes", top_rows(rows, nc, lim));
    free(rows);
    rows = malloc((f->nverbs ? f->nverbs : 1) * sizeof *rows);
    for (size_t i = 0; rows && i < f->nverbs; i++)
        rows[i] = json_pack("{s:s, s:I}", "command", f->verbs[i].verb, "count", (json_int_t)f->verbs[i].count);
    json_object_set_new(s, "commands_by_verb", top_rows(rows, rows ? f->nverbs : 0, lim));
    free(rows);
    /* failed logins per client and server, most first */
    json_object_set_new(s, "logins", json_pack("{s:I, s:I}", "succeeded", (json_int_t)f->logins_ok, "failed",
                                               (json_int_t)f->logins_failed));
    size_t nl = 0;
    rows = malloc((f->logins.count ? f->logins.count : 1) * sizeof *rows);
    for (size_t r = 0; rows && r < f->logins.count; r++) {
        const pa_ftp_login_pair *lp = pa_htab_rec(&f->logins, r);
        if (!lp->failed) continue;
        rows[nl++] = json_pack("{s:o, s:o, s:i, s:I, s:I, s:I, s:s}", "client", pa_json_addr(&lp->client), "server",
                               pa_json_addr(&lp->server), "server_port", lp->port, "count", (json_int_t)lp->failed,
                               "succeeded", (json_int_t)lp->ok, "first_failed_frame",
                               (json_int_t)lp->first_failed_frame, "last_user", lp->user);
    }
    json_t *fails = top_rows(rows, nl, lim);
    free(rows);
    size_t i;
    json_t *o;
    json_array_foreach(fails, i, o) {
        if (i >= 5) break;
        pa_buf_printf(t, "  failed logins: %s -> %s port %lld: %lld (last user %s)\n",
                      json_string_value(json_object_get(o, "client")), json_string_value(json_object_get(o, "server")),
                      (long long)json_integer_value(json_object_get(o, "server_port")),
                      (long long)json_integer_value(json_object_get(o, "count")),
                      json_string_value(json_object_get(o, "last_user")));
    }
    json_object_set_new(s, "failed_logins", fails);
    size_t ns = 0;
    rows = malloc((f->servers.count ? f->servers.count : 1) * sizeof *rows);
    for (size_t r = 0; rows && r < f->servers.count; r++) {
        const pa_ftp_server *sv = pa_htab_rec(&f->servers, r);
        rows[ns++] = json_pack("{s:o, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:[I,I,I,I,I]}", "server",
                               pa_json_addr(&sv->addr), "server_port", sv->port, "sessions", (json_int_t)sv->sessions,
                               "count", (json_int_t)sv->commands, "replies", (json_int_t)sv->replies, "unanswered",
                               (json_int_t)sv->unanswered, "logins_succeeded", (json_int_t)sv->logins_ok,
                               "logins_failed", (json_int_t)sv->logins_failed, "replies_1xx_to_5xx",
                               (json_int_t)sv->reply_class[1], (json_int_t)sv->reply_class[2],
                               (json_int_t)sv->reply_class[3], (json_int_t)sv->reply_class[4],
                               (json_int_t)sv->reply_class[5]);
    }
    json_t *act = top_rows(rows, ns, lim);
    free(rows);
    json_array_foreach(act, i, o) { /* "count" is the commands sent to it */
        json_object_set_new(o, "commands", json_deep_copy(json_object_get(o, "count")));
        json_object_del(o, "count");
    }
    json_object_set_new(s, "server_activity", act);
    json_object_set_new(s, "parsing", json_pack("{s:I, s:I, s:I, s:I, s:I}", "bad_lines", (json_int_t)f->bad_lines,
                                                "long_lines", (json_int_t)f->long_lines, "gaps", (json_int_t)f->gaps,
                                                "directions_capped", (json_int_t)f->streams_capped,
                                                "pending_given_up", (json_int_t)f->pending_dropped));
    return s;
}

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    const char *proto = json_string_value(json_object_get(args, "protocol"));
    if (!proto) proto = "http";
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    size_t lim = pa_arg_limit(args);
    pa_text_capture_header(t, &l);
    pa_text_packet_note(t);
    bool all = !strcmp(proto, "all");
    json_t *sections = json_array();
    if (all || !strcmp(proto, "http")) json_array_append_new(sections, http_section(m, lim, t));
    if (all || !strcmp(proto, "https")) https_sections(m, lim, t, sections);
    if (all || !strcmp(proto, "dns")) json_array_append_new(sections, dns_section(m, lim, t));
    if (all || !strcmp(proto, "ftp")) json_array_append_new(sections, ftp_section(m, lim, t));
    res->structured = json_pack("{s:o, s:s, s:o}", "capture", pa_capture_json(&l), "protocol", proto, "sections",
                                sections);
    pa_tool_unload(&l);
}

const pa_tool_def pa_tool_analyze_application_response_times = {
    .name = "analyze_application_response_times",
    .title = "Application response times",
    .description =
        "How long servers take to answer, measured from the capture: `protocol` http (request -> "
        "response, Wireshark's http.time), https (TLS ClientHello -> handshake complete, and first "
        "encrypted request -> first response), dns (query -> response, dns.time), ftp (control "
        "command -> its final reply, with reply codes, commands and failed logins per client and "
        "server) or all. For each: percentiles overall and per server (slowest p90 first), then the "
        "slowest transactions.",
    .input_schema = "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE
                    "," PA_ARG_BPF "," PA_ARG_LIMIT(20, 500)
                    ",\"protocol\":{\"type\":\"string\",\"enum\":[\"http\",\"https\",\"dns\",\"ftp\",\"all\"],"
                    "\"default\":\"http\",\"description\":\"Which application to time (any case).\"}},"
                    "\"additionalProperties\":false}",
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"protocol\",\"sections\"],\"properties\":{"
                     "\"capture\":" PA_CAPTURE_SCHEMA ",\"protocol\":{\"type\":\"string\"},\"sections\":" PA_SCHEMA_ARR
                     "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run,
};
