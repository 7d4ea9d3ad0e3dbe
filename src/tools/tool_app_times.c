/* analyze_application_response_times: how long servers take to answer, per
 * application protocol: HTTP request -> response (http.time), TLS
 * ClientHello -> handshake complete and first request -> first response
 * (HTTPS), QUIC first Initial -> handshake complete, DNS query -> response
 * (dns.time), FTP command -> final reply,
 * STUN/TURN request -> response (with TURN and ICE counts), DTLS ClientHello
 * -> both sides past epoch 0, SSH client identification -> both NEWKEYS (with
 * each session's software, algorithms, HASSH and weak choices), NTP client
 * request -> server reply (with each server's stratum, reference, clock
 * offset and delay).
 * Percentiles overall and per server, then the slowest transactions. Every
 * section's summary comes first, then the sections' lists, so that totals
 * survive the budget. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_app_times.h"

int pa_app_by_server(const void *x, const void *y) {
    const sample *a = x, *b = y;
    int c = memcmp(&a->server, &b->server, sizeof a->server);
    if (c) return c;
    if (a->port != b->port) return a->port < b->port ? -1 : 1;
    return (a->ns > b->ns) - (a->ns < b->ns);
}

static int by_time_desc(const void *x, const void *y) {
    const sample *a = x, *b = y;
    if (a->ns != b->ns) return (a->ns < b->ns) - (a->ns > b->ns);
    return (a->frame > b->frame) - (a->frame < b->frame);
}

int pa_app_by_p90_desc(const void *x, const void *y) {
    double a = json_real_value(json_object_get(*(json_t *const *)x, "p90_ms"));
    double b = json_real_value(json_object_get(*(json_t *const *)y, "p90_ms"));
    return (a < b) - (a > b);
}

/* One timed metric from exact samples (v is kept, sorted slowest first):
 * the summary line now, the lists later. */
void pa_app_section(timed *s, const char *name, const char *measures, sample *v, size_t n, pa_buf *t) {
    int64_t *ns = malloc((n ? n : 1) * sizeof *ns);
    for (size_t i = 0; ns && i < n; i++) ns[i] = v[i].ns;
    pa_ns_summary sum;
    json_t *overall = pa_ns_summary_json(ns, ns ? n : 0, &sum);
    pa_buf_printf(t, "%s (%s): %zu", name, measures, n);
    if (n)
        pa_buf_printf(t, ", median %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms", sum.p50_ms, sum.p90_ms, sum.p99_ms,
                      sum.max_ms);
    pa_buf_puts(t, ".\n");
    /* per server: runs of equal (server, port) after sorting */
    qsort(v, n, sizeof *v, pa_app_by_server);
    s->nsv = 0;
    s->rows = malloc((n ? n : 1) * sizeof *s->rows);
    for (size_t i = 0; s->rows && ns && i < n;) {
        size_t j = i;
        while (j < n && !memcmp(&v[j].server, &v[i].server, sizeof v[i].server) && v[j].port == v[i].port) j++;
        for (size_t k = i; k < j; k++) ns[k - i] = v[k].ns;
        json_t *o = pa_ns_summary_json(ns, j - i, NULL);
        json_object_set_new(o, "server", pa_json_addr(&v[i].server));
        json_object_set_new(o, "server_port", json_integer(v[i].port));
        s->rows[s->nsv++] = o;
        i = j;
    }
    if (s->rows) qsort(s->rows, s->nsv, sizeof *s->rows, pa_app_by_p90_desc);
    free(ns);
    qsort(v, n, sizeof *v, by_time_desc);
    s->slow = v;
    s->nslow = n;
    s->name = name;
    s->frame2_key = "response_frame";
    s->frame2_text = "response frame";
    s->obj = json_pack("{s:s, s:s, s:o, s:I}", "name", name, "measures", measures, "overall", overall, "servers",
                       (json_int_t)s->nsv);
}

static void http_section(const pa_model *m, pa_buf *t, timed *s) {
    const pa_http_stats *h = &m->http;
    sample *v = malloc((h->ntx ? h->ntx : 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; v && i < h->ntx; i++) {
        const pa_http_tx *x = &h->tx[i];
        if (x->rt_ns < 0) continue;
        v[n++] = (sample){.client = x->client,
                          .server = x->server,
                          .cport = x->cport,
                          .port = x->sport,
                          .stream = -1,
                          .ns = x->rt_ns,
                          .frame = x->req_frame,
                          .frame2 = x->resp_frame,
                          .what = x->uri,
                          .what2 = x->method};
    }
    pa_app_section(s, "http", "request -> response, Wireshark's http.time", v, n, t);
    json_object_set_new(s->obj, "unanswered", json_integer((json_int_t)h->unanswered));
}

static void https_sections(const pa_model *m, pa_buf *t, timed *hs_sec, timed *rs_sec) {
    const pa_tls_stats *s = &m->tls;
    sample *hs = malloc((s->nconns ? s->nconns : 1) * sizeof *hs),
           *rs = malloc((s->nconns ? s->nconns : 1) * sizeof *rs);
    size_t nh = 0, nr = 0;
    for (size_t i = 0; hs && rs && i < s->nconns; i++) {
        const pa_tls_conn *c = &s->conns[i];
        sample base = {.client = c->client,
                       .server = c->server,
                       .cport = c->cport,
                       .port = c->sport,
                       .stream = c->stream,
                       .what = c->has_sni ? c->sni : NULL};
        if (c->ch_frame && c->done_frame) {
            hs[nh] = base;
            hs[nh].ns = c->done_ts - c->ch_ts;
            hs[nh].frame = c->ch_frame;
            hs[nh++].frame2 = c->done_frame;
        }
        if (c->req_frame && c->resp_frame) {
            rs[nr] = base;
            rs[nr].ns = c->resp_ts - c->req_ts;
            rs[nr].frame = c->req_frame;
            rs[nr++].frame2 = c->resp_frame;
        }
    }
    pa_app_section(hs_sec, "https_handshake", "TLS ClientHello -> handshake complete", hs, nh, t);
    hs_sec->frame2_text = "complete at frame";
    pa_app_section(rs_sec, "https_first_response",
                   "first encrypted client record after the handshake -> the server's next record", rs, nr, t);
    json_object_set_new(rs_sec->obj, "note",
                        json_string("Encrypted: the first request and response are told apart by "
                                    "direction only; with TLS 1.3 the server's session tickets can "
                                    "come first."));
}

static void dns_section(const pa_model *m, pa_buf *t, timed *s) {
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
    size_t nsv = 0;
    const pa_dns_server **sv = malloc((d->servers.count ? d->servers.count : 1) * sizeof *sv);
    for (size_t i = 0; sv && i < d->servers.cap; i++)
        if (d->servers.used[i] && ((const pa_dns_server *)pa_htab_at(&d->servers, i))->rt_n)
            sv[nsv++] = pa_htab_at(&d->servers, i);
    json_t **rows = malloc((nsv ? nsv : 1) * sizeof *rows);
    for (size_t i = 0; rows && i < nsv; i++) {
        pa_pctl_src src = pa_pctl_src32(sv[i]->rt_n, sv[i]->rt_min, sv[i]->rt_max, sv[i]->rt_hist, &sv[i]->rt_kept);
        pa_pctls sp = pa_pctls_of(&src);
        rows[i] = json_pack("{s:o, s:i, s:I, s:f, s:f, s:I}", "server", pa_json_addr(&sv[i]->addr), "server_port", 53,
                            "samples", (json_int_t)sv[i]->rt_n, "mean_ms", sv[i]->rt_sum / (double)sv[i]->rt_n / 1e6,
                            "max_ms", (double)sv[i]->rt_max / 1e6, "queries", (json_int_t)sv[i]->queries);
        pa_pctls_json(rows[i], &sp);
    }
    if (rows) qsort(rows, nsv, sizeof *rows, pa_app_by_p90_desc);
    free(sv);
    s->rows = rows;
    s->nsv = rows ? nsv : 0;
    s->slow = malloc((d->nslowest ? d->nslowest : 1) * sizeof *s->slow);
    s->nslow = 0;
    for (size_t i = 0; s->slow && i < d->nslowest; i++) {
        const pa_dns_event *e = &d->slowest[i];
        s->slow[s->nslow++] = (sample){.client = e->client,
                                       .server = e->server,
                                       .cport = e->cport,
                                       .port = e->sport,
                                       .stream = e->stream,
                                       .udp = !e->tcp,
                                       .ns = e->rt_ns,
                                       .frame = e->frame,
                                       .frame2 = e->query_frame,
                                       .what = e->qname};
    }
    if (s->slow) qsort(s->slow, s->nslow, sizeof *s->slow, by_time_desc);
    s->name = "dns";
    s->frame2_key = "query_frame";
    s->frame2_text = "query frame";
    s->obj = json_pack("{s:s, s:s, s:o, s:I, s:I, s:s}", "name", "dns", "measures",
                       "query -> response, Wireshark's dns.time", "overall", overall, "servers", (json_int_t)nsv,
                       "unanswered", (json_int_t)d->unanswered, "note",
                       p.estimated ? "DNS percentiles are estimated (more responses than were kept): placed "
                                     "within power-of-two buckets, between the exact min and max."
                                   : "DNS percentiles, min, mean and max are exact.");
}

/* A section's lists: per server, then the slowest transactions. */
static void section_rows(pa_report *rep, timed *s, size_t lim) {
    char what[64];
    pa_rows rows;
    snprintf(what, sizeof what, "%s servers", s->name);
    pa_rows_begin(&rows, rep, what, 0, lim, s->nsv, false);
    for (size_t i = 0; i < s->nsv && i < lim; i++) {
        json_t *o = s->rows[i];
        s->rows[i] = NULL;
        pa_buf *ln = pa_rows_line(&rows);
        if (!i)
            pa_buf_printf(ln, "%s per server (%zu of %zu, slowest p90 first):\n", s->name, s->nsv < lim ? s->nsv : lim,
                          s->nsv);
        const char *about = json_is_true(json_object_get(o, "percentiles_estimated")) ? "about " : "";
        json_int_t samples = json_integer_value(json_object_get(o, "samples"));
        pa_buf_printf(ln, "  server %s port %lld: %lld", json_string_value(json_object_get(o, "server")),
                      (long long)json_integer_value(json_object_get(o, "server_port")), (long long)samples);
        if (samples)
            pa_buf_printf(ln, ", median %s%.3f ms, p90 %s%.3f ms, max %.3f ms", about,
                          json_real_value(json_object_get(o, "p50_ms")), about,
                          json_real_value(json_object_get(o, "p90_ms")), json_real_value(json_object_get(o, "max_ms")));
        if (s->server_text) s->server_text(ln, o);
        pa_buf_puts(ln, "\n");
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, s->obj, "per_server", NULL);

    snprintf(what, sizeof what, "%s slowest", s->name);
    pa_rows_begin(&rows, rep, what, 0, lim, s->nslow, false);
    for (size_t i = 0; i < s->nslow && i < lim; i++) {
        const sample *v = &s->slow[i];
        json_t *o =
            json_pack("{s:I, s:f, s:o, s:i, s:o, s:i, s:I}", "frame", (json_int_t)v->frame, "time_ms",
                      (double)v->ns / 1e6, "client", pa_json_addr(&v->client), "client_port", v->cport, "server",
                      pa_json_addr(&v->server), "server_port", v->port, s->frame2_key, (json_int_t)v->frame2);
        if (v->stream >= 0) json_object_set_new(o, "stream", json_integer(v->stream));
        if (v->what2)
            json_object_set_new(o, "request", json_sprintf("%s %s", v->what2, v->what));
        else if (v->what)
            json_object_set_new(o, "name", json_string(v->what));
        pa_buf *ln = pa_rows_line(&rows);
        if (!i) pa_buf_printf(ln, "%s slowest (%zu of %zu):\n", s->name, s->nslow < lim ? s->nslow : lim, s->nslow);
        pa_buf_printf(ln, "  slow: frame %llu %.3f ms %s%s%s%s", (unsigned long long)v->frame, (double)v->ns / 1e6,
                      v->what2 ? v->what2 : "", v->what2 ? " " : "", v->what ? v->what : "", v->what ? ", " : "");
        if (v->clock) {
            json_object_set_new(o, "offset_ms", json_real((double)v->offset_ns / 1e6));
            json_object_set_new(o, "delay_ms", json_real((double)v->delay_ns / 1e6));
            pa_buf_printf(ln, "offset %.3f ms, delay %.3f ms, ", (double)v->offset_ns / 1e6, (double)v->delay_ns / 1e6);
        }
        if (v->stream >= 0) pa_buf_printf(ln, "%s stream %lld ", v->udp ? "udp" : "tcp", (long long)v->stream);
        pa_text_addr_port(ln, &v->client, v->cport);
        pa_buf_puts(ln, " -> ");
        pa_text_addr_port(ln, &v->server, v->port);
        pa_buf_printf(ln, " (%s %llu)\n", s->frame2_text, (unsigned long long)v->frame2);
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, s->obj, "slowest", NULL);
}

/* ---- FTP: command -> final reply, reply codes, logins (passwords never shown) ---- */

static int by_count_desc(const void *x, const void *y) {
    json_int_t a = json_integer_value(json_object_get(*(json_t *const *)x, "count"));
    json_int_t b = json_integer_value(json_object_get(*(json_t *const *)y, "count"));
    return (a < b) - (a > b);
}

static void ftp_section(const pa_model *m, pa_buf *t, timed *s) {
    const pa_ftp_stats *f = &m->ftp;
    typedef char line_t[PA_FTP_CMD_MAX + PA_FTP_ARG_MAX + 1];
    sample *v = malloc((f->ntx ? f->ntx : 1) * sizeof *v);
    line_t *lines = malloc((f->ntx ? f->ntx : 1) * sizeof *lines);
    size_t n = 0;
    for (size_t i = 0; v && lines && i < f->ntx; i++) {
        const pa_ftp_tx *x = &f->tx[i];
        if (x->rt_ns < 0) continue;
        snprintf(lines[n], sizeof lines[n], "%s%s%s", x->verb, x->arg[0] ? " " : "", x->arg);
        v[n] = (sample){.client = x->client,
                        .server = x->server,
                        .cport = x->cport,
                        .port = x->sport,
                        .stream = -1,
                        .ns = x->rt_ns,
                        .frame = x->cmd_frame,
                        .frame2 = x->reply_frame,
                        .what = lines[n]};
        n++;
    }
    pa_app_section(s, "ftp", "command -> its final reply (2xx-5xx; 1xx replies are preliminary)", v, n, t);
    s->own = lines;
    s->frame2_key = "reply_frame";
    s->frame2_text = "reply frame";
    pa_buf_printf(t,
                  "  ftp: %llu sessions, %llu commands, %llu replies (1xx %llu, 2xx %llu, 3xx %llu, 4xx %llu, "
                  "5xx %llu), %llu unanswered; logins %llu succeeded, %llu failed.\n",
                  (unsigned long long)f->sessions, (unsigned long long)f->commands, (unsigned long long)f->replies,
                  (unsigned long long)f->reply_class[1], (unsigned long long)f->reply_class[2],
                  (unsigned long long)f->reply_class[3], (unsigned long long)f->reply_class[4],
                  (unsigned long long)f->reply_class[5], (unsigned long long)f->unanswered,
                  (unsigned long long)f->logins_ok, (unsigned long long)f->logins_failed);
    json_t *o = s->obj;
    json_object_set_new(o, "note",
                        json_string("tshark 4.0 has no FTP command -> reply time field. Passwords are never "
                                    "shown: PASS arguments are not kept."));
    json_object_set_new(o, "sessions", json_integer((json_int_t)f->sessions));
    json_object_set_new(o, "commands", json_integer((json_int_t)f->commands));
    json_object_set_new(o, "replies", json_integer((json_int_t)f->replies));
    json_object_set_new(o, "preliminary_replies", json_integer((json_int_t)f->preliminary));
    json_object_set_new(o, "unanswered", json_integer((json_int_t)f->unanswered));
    json_object_set_new(o, "orphan_replies", json_integer((json_int_t)f->orphan_replies));
    json_object_set_new(o, "reply_classes",
                        json_pack("{s:I, s:I, s:I, s:I, s:I}", "1xx", (json_int_t)f->reply_class[1], "2xx",
                                  (json_int_t)f->reply_class[2], "3xx", (json_int_t)f->reply_class[3], "4xx",
                                  (json_int_t)f->reply_class[4], "5xx", (json_int_t)f->reply_class[5]));
    json_object_set_new(
        o, "logins",
        json_pack("{s:I, s:I}", "succeeded", (json_int_t)f->logins_ok, "failed", (json_int_t)f->logins_failed));
    json_object_set_new(o, "parsing",
                        json_pack("{s:I, s:I, s:I, s:I, s:I}", "bad_lines", (json_int_t)f->bad_lines, "long_lines",
                                  (json_int_t)f->long_lines, "gaps", (json_int_t)f->gaps, "directions_capped",
                                  (json_int_t)f->streams_capped, "pending_given_up", (json_int_t)f->pending_dropped));
}

/* ---- STUN: request -> response (any class), TURN and ICE counts ---- */

static void stun_section(const pa_model *m, pa_buf *t, timed *s) {
    const pa_stun_stats *st = &m->stun;
    sample *v = malloc((st->tx.count ? st->tx.count : 1) * sizeof *v);
    size_t n = 0;
    for (size_t r = 0; v && r < st->tx.count; r++) {
        const pa_stun_tx *x = pa_htab_rec(&st->tx, r);
        if (x->rt_ns < 0 || !x->responses) continue;
        const char *method = pa_stun_method_name(x->method);
        v[n++] = (sample){.client = x->client,
                          .server = x->server,
                          .cport = x->cport,
                          .port = x->sport,
                          .stream = x->stream,
                          .udp = !x->tcp,
                          .ns = x->rt_ns,
                          .frame = x->req_frame,
                          .frame2 = x->resp_frame,
                          .what = method ? method : "other method"};
    }
    pa_app_section(s, "stun", "STUN/TURN request -> its success or error response, Wireshark's stun.time", v, n, t);
    uint64_t granted = 0, challenged = 0, released = 0, pairs_ok = 0, nominated = 0;
    for (size_t r = 0; r < st->allocs.count; r++) {
        const pa_stun_alloc *a = pa_htab_rec(&st->allocs, r);
        granted += a->allocated;
        challenged += a->challenges > 0;
        released += a->released;
    }
    for (size_t r = 0; r < st->pairs.count; r++) {
        const pa_stun_pair *p = pa_htab_rec(&st->pairs, r);
        pairs_ok += p->successes > 0;
        nominated += p->nominated;
    }
    pa_buf_printf(t,
                  "  stun: %llu messages (%llu requests, %llu indications, %llu success and %llu error responses; "
                  "%llu classic RFC 3489), %llu unanswered, %llu retransmitted, %llu TURN ChannelData; "
                  "TURN: %zu client-server exchanges, %llu allocations granted, %llu challenged (401), %llu released; "
                  "ICE: %zu candidate pairs checked, %llu answered, %llu nominated.\n",
                  (unsigned long long)st->messages, (unsigned long long)st->by_class[PA_STUN_REQUEST],
                  (unsigned long long)st->by_class[PA_STUN_INDICATION],
                  (unsigned long long)st->by_class[PA_STUN_SUCCESS], (unsigned long long)st->by_class[PA_STUN_ERROR],
                  (unsigned long long)st->classic, (unsigned long long)st->unanswered,
                  (unsigned long long)st->retransmissions, (unsigned long long)st->channel_data, st->allocs.count,
                  (unsigned long long)granted, (unsigned long long)challenged, (unsigned long long)released,
                  st->pairs.count, (unsigned long long)pairs_ok, (unsigned long long)nominated);
    json_t *o = s->obj, *codes = json_object();
    for (int c = 300; c < PA_STUN_CODES; c++)
        if (st->error_codes[c]) {
            char k[8];
            snprintf(k, sizeof k, "%d", c);
            json_object_set_new(codes, k, json_integer((json_int_t)st->error_codes[c]));
        }
    json_object_set_new(o, "unanswered", json_integer((json_int_t)st->unanswered));
    json_object_set_new(o, "messages",
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "total", (json_int_t)st->messages,
                                  "requests", (json_int_t)st->by_class[PA_STUN_REQUEST], "indications",
                                  (json_int_t)st->by_class[PA_STUN_INDICATION], "success_responses",
                                  (json_int_t)st->by_class[PA_STUN_SUCCESS], "error_responses",
                                  (json_int_t)st->by_class[PA_STUN_ERROR], "classic", (json_int_t)st->classic,
                                  "retransmissions", (json_int_t)st->retransmissions, "channel_data",
                                  (json_int_t)st->channel_data));
    json_object_set_new(o, "error_codes", codes);
    json_object_set_new(o, "turn",
                        json_pack("{s:I, s:I, s:I, s:I}", "exchanges", (json_int_t)st->allocs.count, "granted",
                                  (json_int_t)granted, "challenged", (json_int_t)challenged, "released",
                                  (json_int_t)released));
    json_object_set_new(o, "ice",
                        json_pack("{s:I, s:I, s:I}", "pairs", (json_int_t)st->pairs.count, "answered",
                                  (json_int_t)pairs_ok, "nominated", (json_int_t)nominated));
    json_object_set_new(o, "note",
                        json_string("Wireshark's stun.time: a response's time since the first copy of its "
                                    "request (same transaction id); classic RFC 3489 messages are counted, not "
                                    "timed."));
}

/* ---- QUIC: the client's first Initial -> its first Handshake (else 1-RTT) packet ---- */

static void quic_section(const pa_model *m, pa_buf *t, timed *s) {
    const pa_quic_stats *q = &m->quic;
    sample *v = malloc((q->nconns ? q->nconns : 1) * sizeof *v);
    size_t n = 0;
    uint64_t with_hello = 0, unanswered = 0, incomplete = 0, closed_err = 0;
    for (uint32_t i = 0; v && i < q->nconns; i++) {
        const pa_quic_conn *c = &q->conns[i];
        with_hello += c->has_client_hello;
        if (c->closed && !c->close_app && c->close_code) closed_err++;
        if (c->handshake_ns < 0) {
            if (c->first_initial_ns >= 0 && !c->packets[1])
                unanswered++;
            else if (c->first_initial_ns >= 0)
                incomplete++;
            continue;
        }
        v[n++] = (sample){.client = c->client_addr,
                          .server = c->server_addr,
                          .cport = c->client_port,
                          .port = c->server_port,
                          .stream = c->stream,
                          .udp = true,
                          .ns = c->handshake_ns,
                          .frame = c->ch_frame ? c->ch_frame : c->first_frame,
                          .frame2 = c->done_frame,
                          .what = c->sni[0] ? c->sni : NULL};
    }
    pa_app_section(s, "quic_handshake",
                   "QUIC client's first Initial -> its first Handshake packet (else 1-RTT), as analyze_quic_traffic", v,
                   n, t);
    s->frame2_text = "complete at frame";
    pa_buf_printf(t,
                  "  quic: %u connections (%llu with a ClientHello read), %zu handshakes completed, %llu unanswered, "
                  "%llu not completed, %llu closed by a transport error.\n",
                  q->nconns, (unsigned long long)with_hello, n, (unsigned long long)unanswered,
                  (unsigned long long)incomplete, (unsigned long long)closed_err);
    json_object_set_new(s->obj, "unanswered", json_integer((json_int_t)unanswered));
    json_object_set_new(s->obj, "outcomes",
                        json_pack("{s:I, s:I, s:I, s:I, s:I}", "connections", (json_int_t)q->nconns, "completed",
                                  (json_int_t)n, "unanswered", (json_int_t)unanswered, "not_completed",
                                  (json_int_t)incomplete, "closed_by_transport_error", (json_int_t)closed_err));
}

/* ---- DTLS: ClientHello -> both sides past epoch 0 ---- */

static void dtls_section(const pa_model *m, pa_buf *t, timed *s) {
    const pa_dtls_stats *st = &m->dtls;
    sample *v = malloc((st->assocs.count ? st->assocs.count : 1) * sizeof *v);
    size_t n = 0;
    for (size_t r = 0; v && r < st->assocs.count; r++) {
        const pa_dtls_assoc *a = pa_htab_rec(&st->assocs, r);
        if (!a->ch_frame || !a->done_frame) continue;
        v[n++] = (sample){.client = a->client,
                          .server = a->server,
                          .cport = a->cport,
                          .port = a->sport,
                          .stream = a->stream,
                          .udp = true,
                          .ns = a->done_ts - a->ch_ts,
                          .frame = a->ch_frame,
                          .frame2 = a->done_frame,
                          .what = a->has_sni ? a->sni : NULL};
    }
    pa_app_section(s, "dtls", "DTLS ClientHello -> both sides sending records of epoch 1 or more", v, n, t);
    s->frame2_text = "complete at frame";
    const uint64_t *o = st->outcome;
    uint64_t fatal = 0, warning = 0;
    for (int d = 0; d < 256; d++) fatal += st->alert_count[2][d], warning += st->alert_count[1][d];
    pa_buf_printf(t,
                  "  dtls: %zu associations (%llu completed, %llu ended by an alert, %llu unanswered, %llu incomplete, "
                  "%llu begun before the capture), %llu ClientHellos, %llu HelloVerifyRequests, %llu certificates; "
                  "alerts %llu fatal, %llu warning, %llu encrypted; %llu messages reassembled from fragments, "
                  "%llu overlaps that disagreed.\n",
                  st->assocs.count, (unsigned long long)o[PA_DTLS_OUT_COMPLETED],
                  (unsigned long long)o[PA_DTLS_OUT_ALERT], (unsigned long long)o[PA_DTLS_OUT_NO_ANSWER],
                  (unsigned long long)o[PA_DTLS_OUT_INCOMPLETE], (unsigned long long)o[PA_DTLS_OUT_NOT_SEEN],
                  (unsigned long long)st->client_hellos, (unsigned long long)st->hello_verify_requests,
                  (unsigned long long)st->certificates, (unsigned long long)fatal, (unsigned long long)warning,
                  (unsigned long long)st->alerts_encrypted, (unsigned long long)st->reassembled,
                  (unsigned long long)st->overlaps_conflicting);
    json_t *outcomes = json_object();
    for (int k = 0; k < PA_DTLS_OUT_COUNT; k++)
        json_object_set_new(outcomes, pa_dtls_outcome_name((pa_dtls_outcome)k), json_integer((json_int_t)o[k]));
    json_object_set_new(s->obj, "outcomes", outcomes);
    json_object_set_new(s->obj, "alerts",
                        json_pack("{s:I, s:I, s:I}", "fatal", (json_int_t)fatal, "warning", (json_int_t)warning,
                                  "encrypted", (json_int_t)st->alerts_encrypted));
    json_object_set_new(s->obj, "fragments",
                        json_pack("{s:I, s:I, s:I, s:I, s:I}", "fragments", (json_int_t)st->fragments, "reassembled",
                                  (json_int_t)st->reassembled, "overlaps_conflicting",
                                  (json_int_t)st->overlaps_conflicting, "inconsistent",
                                  (json_int_t)st->fragments_inconsistent, "oversized", (json_int_t)st->oversized));
    json_object_set_new(s->obj, "note",
                        json_string("tshark 4.0 has no DTLS handshake time. Complete: the first frame by which both "
                                    "sides have sent a record of epoch 1 or more (their Finished or data)."));
}

static void count_rows(pa_report *rep, json_t *obj, const char *key, const char *what, json_t **rows, size_t n,
                       size_t lim, void (*line)(pa_buf *, const json_t *)) {
    if (rows) qsort(rows, n, sizeof *rows, by_count_desc);
    pa_rows l;
    pa_rows_begin(&l, rep, what, 0, lim, rows ? n : 0, false);
    size_t i = 0;
    for (; rows && i < n && i < lim; i++) {
        pa_buf *ln = pa_rows_line(&l);
        if (!i) pa_buf_printf(ln, "%s (%zu of %zu):\n", what, n < lim ? n : lim, n);
        line(ln, rows[i]);
        if (!pa_rows_push(&l, rows[i])) {
            i++;
            break;
        }
    }
    for (; rows && i < n; i++) json_decref(rows[i]);
    pa_rows_end(&l, obj, key, NULL);
}

static void code_line(pa_buf *b, const json_t *o) {
    pa_buf_printf(b, "  reply %lld x%lld\n", (long long)json_integer_value(json_object_get(o, "code")),
                  (long long)json_integer_value(json_object_get(o, "count")));
}

static void verb_line(pa_buf *b, const json_t *o) {
    pa_buf_printf(b, "  %s x%lld\n", json_string_value(json_object_get(o, "command")),
                  (long long)json_integer_value(json_object_get(o, "count")));
}

static void login_line(pa_buf *b, const json_t *o) {
    pa_buf_printf(b, "  failed logins %s -> %s port %lld: %lld (last user %s, first frame %lld), %lld succeeded\n",
                  json_string_value(json_object_get(o, "client")), json_string_value(json_object_get(o, "server")),
                  (long long)json_integer_value(json_object_get(o, "server_port")),
                  (long long)json_integer_value(json_object_get(o, "count")),
                  json_string_value(json_object_get(o, "last_user")),
                  (long long)json_integer_value(json_object_get(o, "first_failed_frame")),
                  (long long)json_integer_value(json_object_get(o, "succeeded")));
}

static void server_line(pa_buf *b, const json_t *o) {
    json_t *c = json_object_get(o, "replies_1xx_to_5xx");
    pa_buf_printf(
        b,
        "  server %s port %lld: %lld sessions, %lld commands, %lld replies (1xx-5xx %lld/%lld/%lld/%lld/%lld), "
        "%lld unanswered, logins %lld ok %lld failed\n",
        json_string_value(json_object_get(o, "server")),
        (long long)json_integer_value(json_object_get(o, "server_port")),
        (long long)json_integer_value(json_object_get(o, "sessions")),
        (long long)json_integer_value(json_object_get(o, "count")),
        (long long)json_integer_value(json_object_get(o, "replies")),
        (long long)json_integer_value(json_array_get(c, 0)), (long long)json_integer_value(json_array_get(c, 1)),
        (long long)json_integer_value(json_array_get(c, 2)), (long long)json_integer_value(json_array_get(c, 3)),
        (long long)json_integer_value(json_array_get(c, 4)),
        (long long)json_integer_value(json_object_get(o, "unanswered")),
        (long long)json_integer_value(json_object_get(o, "logins_succeeded")),
        (long long)json_integer_value(json_object_get(o, "logins_failed")));
}

/* Lists other sections share with FTP's: failed logins per client and
 * server, replies per code (rows freed here). */
void pa_app_login_rows(pa_report *rep, json_t *obj, const char *what, json_t **rows, size_t n, size_t lim) {
    count_rows(rep, obj, "failed_logins", what, rows, n, lim, login_line);
}

void pa_app_code_rows(pa_report *rep, json_t *obj, const char *what, const uint64_t *per_code, size_t lim) {
    size_t n = 0;
    json_t **rows = malloc(600 * sizeof *rows);
    for (int code = 100; rows && code < 600; code++)
        if (per_code[code]) rows[n++] = json_pack("{s:i, s:I}", "code", code, "count", (json_int_t)per_code[code]);
    count_rows(rep, obj, "reply_codes", what, rows, n, lim, code_line);
    free(rows);
}

/* FTP's own lists, after its per-server and slowest ones. */
static void ftp_rows(pa_report *rep, timed *s, const pa_model *m, size_t lim) {
    const pa_ftp_stats *f = &m->ftp;
    size_t n = 0;
    pa_app_code_rows(rep, s->obj, "ftp reply codes", f->reply_code, lim);
    json_t **rows = malloc((f->nverbs ? f->nverbs : 1) * sizeof *rows);
    for (size_t i = 0; rows && i < f->nverbs; i++)
        rows[i] = json_pack("{s:s, s:I}", "command", f->verbs[i].verb, "count", (json_int_t)f->verbs[i].count);
    count_rows(rep, s->obj, "commands_by_verb", "ftp commands", rows, f->nverbs, lim, verb_line);
    free(rows);
    /* failed logins per client and server, most first */
    n = 0;
    rows = malloc((f->logins.count ? f->logins.count : 1) * sizeof *rows);
    for (size_t r = 0; rows && r < f->logins.count; r++) {
        const pa_ftp_login_pair *lp = pa_htab_rec(&f->logins, r);
        if (!lp->failed) continue;
        rows[n++] = json_pack("{s:o, s:o, s:i, s:I, s:I, s:I, s:s}", "client", pa_json_addr(&lp->client), "server",
                              pa_json_addr(&lp->server), "server_port", lp->port, "count", (json_int_t)lp->failed,
                              "succeeded", (json_int_t)lp->ok, "first_failed_frame", (json_int_t)lp->first_failed_frame,
                              "last_user", lp->user);
    }
    pa_app_login_rows(rep, s->obj, "ftp failed logins", rows, n, lim);
    free(rows);
    n = 0;
    rows = malloc((f->servers.count ? f->servers.count : 1) * sizeof *rows);
    for (size_t r = 0; rows && r < f->servers.count; r++) {
        const pa_ftp_server *sv = pa_htab_rec(&f->servers, r);
        rows[n++] =
            json_pack("{s:o, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:[I,I,I,I,I]}", "server", pa_json_addr(&sv->addr),
                      "server_port", sv->port, "sessions", (json_int_t)sv->sessions, "count", (json_int_t)sv->commands,
                      "replies", (json_int_t)sv->replies, "unanswered", (json_int_t)sv->unanswered, "logins_succeeded",
                      (json_int_t)sv->logins_ok, "logins_failed", (json_int_t)sv->logins_failed, "replies_1xx_to_5xx",
                      (json_int_t)sv->reply_class[1], (json_int_t)sv->reply_class[2], (json_int_t)sv->reply_class[3],
                      (json_int_t)sv->reply_class[4], (json_int_t)sv->reply_class[5]);
    }
    /* "count" orders them: the commands sent to each */
    count_rows(rep, s->obj, "server_activity", "ftp servers", rows, n, lim, server_line);
    free(rows);
    pa_app_ftp_data_rows(rep, s->obj, m, lim);
}

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    const char *proto = json_string_value(json_object_get(args, "protocol"));
    if (!proto) proto = "http";
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    size_t lim = pa_arg_limit(args);
    pa_text_capture_header(t, &l);
    pa_text_packet_note(t);
    bool all = !strcmp(proto, "all");
    timed secs[18];
    size_t ns = 0;
    memset(secs, 0, sizeof secs);
    if (all || !strcmp(proto, "http")) http_section(m, t, &secs[ns++]);
    if (all || !strcmp(proto, "https")) {
        https_sections(m, t, &secs[ns], &secs[ns + 1]);
        ns += 2;
    }
    if (all || !strcmp(proto, "dns")) dns_section(m, t, &secs[ns++]);
    if (all || !strcmp(proto, "ftp")) ftp_section(m, t, &secs[ns++]);
    if (all || !strcmp(proto, "stun")) stun_section(m, t, &secs[ns++]);
    if (all || !strcmp(proto, "dtls")) dtls_section(m, t, &secs[ns++]);
    if (all || !strcmp(proto, "quic")) quic_section(m, t, &secs[ns++]);
    if (all || !strcmp(proto, "ssh")) pa_app_ssh_section(m, t, &secs[ns++]);
    if (all || !strcmp(proto, "ntp")) pa_app_ntp_section(m, t, &secs[ns++]);
    if (all || !strcmp(proto, "ldap")) pa_app_ldap_section(m, t, &secs[ns++]);
    if (all || !strcmp(proto, "smtp")) pa_app_smtp_section(m, t, &secs[ns++]);
    if (all || !strcmp(proto, "pop")) pa_app_pop_section(m, t, &secs[ns++]);
    if (all || !strcmp(proto, "imap")) pa_app_imap_section(m, t, &secs[ns++]);
    if (all || !strcmp(proto, "dcerpc")) pa_app_dcerpc_section(m, t, &secs[ns++], lim);
    if (all || !strcmp(proto, "smb2")) pa_app_smb2_section(m, t, &secs[ns++]);
    if (all || !strcmp(proto, "kerberos")) pa_app_kerberos_section(m, t, &secs[ns++]);
    if (all || !strcmp(proto, "snmp")) pa_app_snmp_section(m, t, &secs[ns++]);
    json_t *sections = json_array();
    for (size_t i = 0; i < ns; i++) json_array_append(sections, secs[i].obj);
    res->structured =
        json_pack("{s:o, s:s, s:o}", "capture", pa_capture_json(&l), "protocol", proto, "sections", sections);
    for (size_t i = 0; i < ns; i++) {
        section_rows(&rep, &secs[i], lim);
        if (!strcmp(secs[i].name, "ftp")) ftp_rows(&rep, &secs[i], m, lim);
        if (!strcmp(secs[i].name, "ssh")) pa_app_ssh_rows(&rep, &secs[i], m, lim);
        if (!strcmp(secs[i].name, "smtp")) pa_app_smtp_rows(&rep, &secs[i], m, lim);
        if (!strcmp(secs[i].name, "pop")) pa_app_pop_rows(&rep, &secs[i], m, lim);
        if (!strcmp(secs[i].name, "imap")) pa_app_imap_rows(&rep, &secs[i], m, lim);
        if (!strcmp(secs[i].name, "smb2")) pa_app_smb2_rows(&rep, &secs[i], m, lim);
        if (!strcmp(secs[i].name, "snmp")) pa_app_snmp_rows(&rep, &secs[i], m, lim);
        for (size_t k = 0; k < secs[i].nsv; k++) json_decref(secs[i].rows[k]);
        free(secs[i].rows);
        free(secs[i].slow);
        free(secs[i].own);
        json_decref(secs[i].obj);
    }
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

/* The ftp section's data transfers (ftp-data). */
#define FTP_DATA_PROPS                                                                                                 \
    ",\"data_frames\":" PA_S_INT ",\"data_bytes\":" PA_S_INT ",\"data_transfers\":" PA_S_ROWS(                         \
        "\"setup_frame\":" PA_S_INT ",\"setup_method\":" PA_S_STR ",\"command\":" PA_S_STR ",\"file\":" PA_S_STR       \
        ",\"directory\":" PA_S_STR ",\"direction\":" PA_S_STR ",\"frames\":" PA_S_INT ",\"bytes\":" PA_S_INT           \
        ",\"command_frame\":" PA_S_INT ",\"first_frame\":" PA_S_INT ",\"last_frame\":" PA_S_INT                        \
        ",\"duration_ms\":" PA_S_INT ",\"kbps\":" PA_S_INT ",\"final_reply\":" PA_S_INT                                \
        ",\"final_reply_frame\":" PA_S_INT ",\"stream\":" PA_S_INT ",\"client\":" PA_S_STR                             \
        ",\"client_port\":" PA_S_INT ",\"server\":" PA_S_STR ",\"server_port\":" PA_S_INT)

/* What the ftp section adds: its counts and lists. */
#define FTP_PROPS                                                                                                                                                                                                               \
    ",\"sessions\":" PA_S_INT ",\"commands\":" PA_S_INT ",\"replies\":" PA_S_INT ",\"preliminary_replies\":" PA_S_INT                                                                                                           \
    ",\"orphan_replies\":" PA_S_INT ",\"reply_classes\":" PA_S_COUNTS ",\"logins\":" PA_S_OBJ(                                                                                                                                  \
        "\"succeeded\":" PA_S_INT                                                                                                                                                                                               \
        ",\"failed\":" PA_S_INT) ",\"parsing\":" PA_S_COUNTS                                                                                                                                                                    \
                                 ",\"reply_codes\":" PA_S_ROWS("\"code\":" PA_S_INT ",\"count\":" PA_S_INT) ",\"commands_by_verb\":" PA_S_ROWS("\"command\":" PA_S_STR ",\"count\":" PA_S_INT) ",\"failed_logins\":" PA_S_ROWS( \
                                     "\"client\":" PA_S_STR ",\"server\":" PA_S_STR ",\"server_port\":" PA_S_INT                                                                                                                \
                                     ",\"count\":{\"type\":\"integer\",\"description\":\"failed logins\"},"                                                                                                                     \
                                     "\"succeeded\":" PA_S_INT ",\"first_failed_frame\":" PA_S_INT                                                                                                                              \
                                     ",\"last_user\":" PA_S_STR) ",\"server_activity\":" PA_S_ROWS("\"server\":" PA_S_STR                                                                                                       \
                                                                                                   ",\"server_port\":" PA_S_INT                                                                                                 \
                                                                                                   ",\"sessions\":" PA_S_INT                                                                                                    \
                                                                                                   ",\"count\":{\"type\":\"integer\",\"description\":\"commands sent to it\"},"                                                 \
                                                                                                   "\"replies\":" PA_S_INT                                                                                                      \
                                                                                                   ",\"unanswered\":" PA_S_INT                                                                                                  \
                                                                                                   ",\"logins_succeeded\":" PA_S_INT                                                                                            \
                                                                                                   ",\"logins_failed\":" PA_S_INT                                                                                               \
                                                                                                   ",\"replies_1xx_to_5xx\":" PA_S_INTS)                                                                                        \
                                     FTP_DATA_PROPS

/* What the snmp section adds. */
#define SNMP_PROPS                                                                                                     \
    ",\"pdu_types\":" PA_S_COUNTS ",\"error_statuses\":" PA_S_COUNTS ",\"communities\":" PA_S_ROWS(                    \
        "\"community\":" PA_S_STR ",\"default\":" PA_S_BOOL ",\"agent\":" PA_S_STR ",\"client\":" PA_S_STR             \
        ",\"messages\":" PA_S_INT ",\"first_frame\":" PA_S_INT                                                         \
        ",\"versions\":" PA_S_STR) ",\"v3_users\":" PA_S_ROWS("\"user\":" PA_S_STR ",\"messages\":" PA_S_INT           \
                                                              ",\"noAuthNoPriv\":" PA_S_INT                            \
                                                              ",\"authNoPriv\":" PA_S_INT ",\"authPriv\":" PA_S_INT    \
                                                              ",\"first_frame\":" PA_S_INT ",\"engine_id\":" PA_S_STR)

/* What the smtp, pop and imap sections add (also FTP's counts and its failed_logins and reply_codes rows, and
 * messages as the stun section's). */
#define SMTP_PROPS                                                                                                     \
    ",\"auth\":" PA_S_COUNTS ",\"verbs\":" PA_S_COUNTS ",\"starttls\":" PA_S_COUNTS ",\"statuses\":" PA_S_COUNTS

/* What the ssh section adds: one row per connection. */
#define SSH_PROPS                                                                                                      \
    ",\"versions\":" PA_S_COUNTS ",\"connections\":" PA_S_ROWS(                                                        \
        "\"first_frame\":" PA_S_INT ",\"stream\":" PA_S_INT ",\"client\":" PA_S_STR ",\"client_port\":" PA_S_INT       \
        ",\"server\":" PA_S_STR ",\"server_port\":" PA_S_INT ",\"version\":" PA_S_INT ",\"outcome\":" PA_S_STR         \
        ",\"client_software\":" PA_S_STR ",\"server_software\":" PA_S_STR ",\"kex\":" PA_S_STR                         \
        ",\"host_key\":" PA_S_STR ",\"host_key_type\":" PA_S_STR ",\"cipher\":" PA_S_STR ",\"mac\":" PA_S_STR          \
        ",\"compression\":" PA_S_STR ",\"hassh\":" PA_S_STR ",\"hassh_server\":" PA_S_STR ",\"kex_ms\":" PA_S_NUM      \
        ",\"keys_frame\":" PA_S_INT ",\"disconnect\":" PA_S_STR ",\"weak\":" PA_S_STR)

/* What the stun and dtls sections add. */
#define RTC_PROPS                                                                                                      \
    ",\"messages\":" PA_S_COUNTS ",\"error_codes\":" PA_S_COUNTS ",\"turn\":" PA_S_COUNTS ",\"ice\":" PA_S_COUNTS      \
    ",\"outcomes\":" PA_S_COUNTS ",\"alerts\":" PA_S_COUNTS ",\"fragments\":" PA_S_COUNTS

/* What the ldap section adds. */
#define LDAP_PROPS ",\"operations\":" PA_S_COUNTS ",\"result_codes\":" PA_S_COUNTS ",\"binds\":" PA_S_COUNTS

/* What the dcerpc section adds: PDUs by type, the srt table, faults, rejected contexts. */
#define DCERPC_ENDS                                                                                                    \
    ",\"client\":" PA_S_STR ",\"client_port\":" PA_S_INT ",\"server\":" PA_S_STR ",\"server_port\":" PA_S_INT          \
    ",\"stream\":" PA_S_INT
#define DCERPC_PROPS                                                                                                   \
    ",\"pdus\":" PA_S_COUNTS ",\"faults\":" PA_S_ROWS(                                                                 \
        "\"frame\":" PA_S_INT ",\"call_id\":" PA_S_INT ",\"status\":" PA_S_STR ",\"status_code\":" PA_S_STR            \
        ",\"interface\":" PA_S_STR ",\"operation\":" PA_S_STR ",\"request_frame\":" PA_S_INT                           \
            DCERPC_ENDS) ",\"bind_rejections\":" PA_S_ROWS("\"frame\":" PA_S_INT ",\"call_id\":" PA_S_INT              \
                                                           ",\"pdu\":" PA_S_STR ",\"result\":" PA_S_STR                \
                                                           ",\"reason\":" PA_S_STR ",\"reason_code\":" PA_S_INT        \
                                                           ",\"interface\":" PA_S_STR DCERPC_ENDS)

/* tshark's srt tables (-z smb2,srt: index and command; -z dcerpc,srt:
 * interface and operation), in seconds as tshark prints them. */
#define SRT_PROPS                                                                                                      \
    ",\"srt\":" PA_S_ROWS("\"index\":" PA_S_INT ",\"command\":" PA_S_STR ",\"interface\":" PA_S_STR                    \
                          ",\"uuid\":" PA_S_STR ",\"version\":" PA_S_INT ",\"opnum\":" PA_S_INT                        \
                          ",\"operation\":" PA_S_STR ",\"calls\":" PA_S_INT ",\"min_s\":" PA_S_NUM                     \
                          ",\"max_s\":" PA_S_NUM ",\"avg_s\":" PA_S_NUM ",\"sum_s\":" PA_S_NUM)

/* What the smb2 section adds: its lists. */
#define SMB2_PROPS                                                                                                                                                                                                              \
    ",\"smb2_commands\":" PA_S_COUNTS ",\"smb2_sessions\":" PA_S_ROWS(                                                                                                                                                          \
        "\"session_id\":" PA_S_STR ",\"client\":" PA_S_STR ",\"server\":" PA_S_STR ",\"server_port\":" PA_S_INT                                                                                                                 \
        ",\"dialect\":" PA_S_STR ",\"established\":" PA_S_BOOL ",\"signing_required\":" PA_S_BOOL                                                                                                                               \
        ",\"encrypted\":" PA_S_BOOL ",\"guest\":" PA_S_BOOL ",\"anonymous\":" PA_S_BOOL ",\"setups\":" PA_S_INT                                                                                                                 \
        ",\"failures\":" PA_S_INT ",\"last_status\":" PA_S_STR ",\"first_frame\":" PA_S_INT                                                                                                                                     \
        ",\"encrypted_messages\":" PA_S_INT) ",\"nt_errors\":" PA_S_ROWS("\"status\":" PA_S_STR ",\"code\":" PA_S_STR                                                                                                           \
                                                                         ",\"command\":" PA_S_STR                                                                                                                               \
                                                                         ",\"count\":" PA_S_INT                                                                                                                                 \
                                                                         ",\"first_frame\":" PA_S_INT) ",\"opened_files\":" PA_S_ROWS("\"share\":" PA_S_STR                                                                     \
                                                                                                                                      ",\"file\":" PA_S_STR                                                                     \
                                                                                                                                      ",\"opens\":" PA_S_INT                                                                    \
                                                                                                                                      ",\"failures\":" PA_S_INT                                                                 \
                                                                                                                                      ",\"last_status\":" PA_S_STR                                                              \
                                                                                                                                      ",\"first_frame\":" PA_S_INT) ",\"pipes\":" PA_S_ROWS("\"pipe\":" PA_S_STR                \
                                                                                                                                                                                            ",\"bytes_to_server\":" PA_S_INT    \
                                                                                                                                                                                            ",\"bytes_to_client\":" PA_S_INT    \
                                                                                                                                                                                            ",\"messages_to_server\":" PA_S_INT \
                                                                                                                                                                                            ",\"messages_to_client\":" PA_S_INT \
                                                                                                                                                                                            ",\"first_frame\":" PA_S_INT)

/* What the ntp section adds, and its rows. */
#define NTP_PROPS ",\"exchanges\":" PA_S_COUNTS ",\"kiss_codes\":" PA_S_COUNTS
#define NTP_SERVER_PROPS                                                                                               \
    ",\"stratum\":" PA_S_INT ",\"refid\":" PA_S_STR ",\"requests\":" PA_S_INT ",\"replies\":" PA_S_INT                 \
    ",\"unanswered\":" PA_S_INT ",\"kiss_of_death\":" PA_S_INT ",\"kiss_codes\":" PA_S_COUNTS                          \
    ",\"clock_samples\":" PA_S_INT ",\"offset_min_ms\":" PA_S_NUM ",\"offset_median_ms\":" PA_S_NUM                    \
    ",\"offset_max_ms\":" PA_S_NUM ",\"delay_min_ms\":" PA_S_NUM ",\"delay_median_ms\":" PA_S_NUM                      \
    ",\"delay_max_ms\":" PA_S_NUM ",\"client_clock_median_ms\":{\"type\":\"number\",\"description\":\"ntp: the "       \
    "clients' transmit timestamps minus the requests' capture times; far from 0, offsets and delays include it\"}"

#define SECTION_SCHEMA                                                                                                                                                                                                                              \
    PA_S_OBJ(                                                                                                                                                                                                                                       \
        "\"name\":" PA_S_STR ",\"measures\":" PA_S_STR ",\"overall\":" PA_NS_SUMMARY_SCHEMA                                                                                                                                                         \
        ",\"servers\":{\"type\":\"integer\",\"description\":\"servers timed (per_server lists the slowest)\"}"                                                                                                                                      \
        ",\"per_server\":" PA_S_ROWS(                                                                                                                                                                                                               \
            "\"server\":" PA_S_STR ",\"server_port\":" PA_S_INT ",\"samples\":" PA_S_INT ",\"min_ms\":" PA_S_NUM                                                                                                                                    \
            ",\"mean_ms\":" PA_S_NUM ",\"p50_ms\":" PA_S_NUM ",\"p90_ms\":" PA_S_NUM ",\"p99_ms\":" PA_S_NUM                                                                                                                                        \
            ",\"max_ms\":" PA_S_NUM ",\"queries\":" PA_S_INT ",\"percentiles_estimated\":" PA_S_BOOL                                                                                                                                                \
                NTP_SERVER_PROPS) ",\"slowest\":" PA_S_ROWS("\"frame\":{\"type\":\"integer\",\"description\":\"the request or ClientHello (dns: the response)\"},"                                                                                  \
                                                            "\"time_ms\":" PA_S_NUM ",\"client\":" PA_S_STR                                                                                                                                         \
                                                            ",\"client_port\":" PA_S_INT ",\"server\":" PA_S_STR                                                                                                                                    \
                                                            ",\"server_port\":" PA_S_INT                                                                                                                                                            \
                                                            ",\"stream\":{\"type\":\"integer\",\"description\":\"tcp.stream or "                                                                                                                    \
                                                            "udp.stream; absent for http\"},\"request\":" PA_S_STR                                                                                                                                  \
                                                            ",\"name\":{\"type\":\"string\",\"description\":"                                                                                                                                       \
                                                            "\"SNI (https, quic, dtls), query name (dns), command line (ftp), method (stun), refid (ntp) or the exchange (kerberos); absent when none\"},\"response_frame\":{\"type\":\"integer\"," \
                                                            "\"description\":\"the frame that ends the measure (response, or the handshake's last message)\"},"                                                                                     \
                                                            "\"query_frame\":{\"type\":\"integer\",\"description\":\"dns: the query\"},"                                                                                                            \
                                                            "\"reply_frame\":{\"type\":\"integer\",\"description\":\"ftp, smtp, pop: the final reply; imap: the tagged response; kerberos: the reply or KRB-ERROR\"},"                              \
                                                            "\"offset_ms\":" PA_S_NUM                                                                                                                                                               \
                                                            ",\"delay_ms\":" PA_S_NUM) ",\"unanswered\":" PA_S_INT                                                                                                                                  \
                                                                                       ",\"note\":" PA_S_STR FTP_PROPS                                                                                                                              \
                                                                                           RTC_PROPS NTP_PROPS LDAP_PROPS                                                                                                                           \
                                                                                               SSH_PROPS SMTP_PROPS                                                                                                                                 \
                                                                                                   DCERPC_PROPS SMB2_PROPS                                                                                                                          \
                                                                                                       SRT_PROPS                                                                                                                                    \
                                                                                                           SNMP_PROPS)

const pa_tool_def pa_tool_analyze_application_response_times = {
    .name = "analyze_application_response_times",
    .title = "Application response times",
    .description =
        "Server response times per protocol: percentiles per server, slowest transactions, tshark srt tables.",
    .input_schema =
        "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE "," PA_ARG_BPF
        "," PA_ARG_LIMIT(
            20,
            500) ",\"protocol\":{\"type\":\"string\",\"enum\":[\"http\",\"https\",\"dns\",\"ftp\",\"stun\",\"dtls\",\"quic\",\"ssh\",\"ntp\",\"ldap\",\"smtp\",\"pop\",\"imap\",\"dcerpc\",\"smb2\",\"kerberos\",\"snmp\",\"all\"],"
                 "\"default\":\"http\"}},\"additionalProperties\":false}",
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"protocol\",\"sections\"],\"properties\":{"
                     "\"capture\":" PA_CAPTURE_SCHEMA ",\"protocol\":{\"type\":\"string\"},\"sections\":{\"type\":"
                     "\"array\",\"items\":" SECTION_SCHEMA "}},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run,
};
