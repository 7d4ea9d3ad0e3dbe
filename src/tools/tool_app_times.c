/* analyze_application_response_times: how long servers take to answer, per
 * application protocol: HTTP request -> response (http.time), TLS
 * ClientHello -> handshake complete and first request -> first response
 * (HTTPS), DNS query -> response (dns.time). Percentiles overall and per
 * server, then the slowest transactions. */
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
    pa_pctls p = pa_dns_pctls(d);
    if (d->rt_n) {
        json_object_set_new(overall, "min_ms", json_real((double)d->rt_min / 1e6));
        json_object_set_new(overall, "mean_ms", json_real(d->rt_sum / (double)d->rt_n / 1e6));
        pa_pctls_json(overall, &p);
        json_object_set_new(overall, "max_ms", json_real((double)d->rt_max / 1e6));
    }
    pa_buf_printf(t, "dns (query -> response, Wireshark's dns.time): %llu", (unsigned long long)d->rt_n);
    if (d->rt_n)
        pa_buf_printf(t, ", mean %.3f ms, p90 %s%.3f ms, max %.3f ms", d->rt_sum / (double)d->rt_n / 1e6,
                      pa_pctl_about(&p), p.p90_ms, (double)d->rt_max / 1e6);
    pa_buf_printf(t, "; %llu unanswered.\n", (unsigned long long)d->unanswered);
    json_t *servers = json_array();
    size_t nsv = 0;
    const pa_dns_server **sv = malloc((d->servers.count ? d->servers.count : 1) * sizeof *sv);
    for (size_t i = 0; sv && i < d->servers.cap; i++)
        if (d->servers.used[i] && ((const pa_dns_server *)pa_htab_at(&d->servers, i))->rt_n)
            sv[nsv++] = pa_htab_at(&d->servers, i);
    json_t **rows = malloc((nsv ? nsv : 1) * sizeof *rows);
    for (size_t i = 0; rows && i < nsv; i++) {
        pa_pctl_src src = pa_pctl_src32(sv[i]->rt_n, sv[i]->rt_min, sv[i]->rt_max, sv[i]->rt_hist, &sv[i]->rt_kept);
        pa_pctls sp = pa_pctls_of(&src);
        rows[i] = json_pack("{s:o, s:i, s:I, s:f, s:f, s:I}", "server", pa_json_addr(&sv[i]->addr), "server_port",
                            53, "samples", (json_int_t)sv[i]->rt_n, "mean_ms", sv[i]->rt_sum / (double)sv[i]->rt_n / 1e6,
                            "max_ms", (double)sv[i]->rt_max / 1e6, "queries", (json_int_t)sv[i]->queries);
        pa_pctls_json(rows[i], &sp);
    }
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
                     p.estimated ? "DNS percentiles are estimated (more responses than were kept): placed within "
                                  "power-of-two buckets, between the exact min and max."
                                : "DNS percentiles, min, mean and max are exact.");
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
        "encrypted request -> first response), dns (query -> response, dns.time) or all. For each: "
        "percentiles overall and per server (slowest p90 first), then the slowest transactions.",
    .input_schema = "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE
                    "," PA_ARG_BPF "," PA_ARG_LIMIT(20, 500)
                    ",\"protocol\":{\"type\":\"string\",\"enum\":[\"http\",\"https\",\"dns\",\"all\"],"
                    "\"default\":\"http\",\"description\":\"Which application to time (FTP is not "
                    "analysed).\"}},\"additionalProperties\":false}",
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"protocol\",\"sections\"],\"properties\":{"
                     "\"capture\":" PA_CAPTURE_SCHEMA ",\"protocol\":{\"type\":\"string\"},\"sections\":" PA_SCHEMA_ARR
                     "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run,
};
