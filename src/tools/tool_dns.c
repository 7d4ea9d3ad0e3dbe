/* analyze_dns_resolution_issues: DNS transactions, failures, slowness and
 * signs of tunnelling, from the model's DNS tracking. Totals first, then
 * the lists (errors, unanswered, tunnelling, slowest, servers, domains,
 * names), each row in the text with its frames, stream and endpoints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_report.h"
#include "tool_tcp_common.h"

static const char *type_name(unsigned t, char *buf, size_t n) {
    const char *tn = pa_dns_type_name(t);
    if (tn) return tn;
    snprintf(buf, n, "TYPE%u", t);
    return buf;
}

/* The query and its responses: the conversation and the transaction id. */
static bool event_filter(const pa_dns_event *e, char *out, size_t n) {
    if (e->stream < 0) return false;
    snprintf(out, n, "%s.stream == %lld && dns.id == 0x%04x", e->tcp ? "tcp" : "udp", (long long)e->stream, e->id);
    return true;
}

static json_t *event_json(const pa_model *m, const pa_dns_event *e) {
    char tb[16], df[96];
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:o, s:i, s:o, s:i, s:s, s:i, s:f}", "frame", (json_int_t)e->frame, "name", e->qname,
                  "type", type_name(e->qtype, tb, sizeof tb), "client", pa_json_addr(&e->client), "client_port",
                  e->cport, "server", pa_json_addr(&e->server), "server_port", e->sport, "transport",
                  e->tcp ? "tcp" : "udp", "id", e->id, "time_s", (double)(e->ts - m->first_ts) / 1e9);
    if (e->stream >= 0) json_object_set_new(o, "stream", json_integer(e->stream));
    if (e->rt_ns >= 0) {
        json_object_set_new(o, "query_frame", json_integer((json_int_t)e->query_frame));
        json_object_set_new(o, "response_time_ms", json_real((double)e->rt_ns / 1e6));
        json_object_set_new(o, "rcode", json_string(pa_dns_rcode_name(e->rcode)));
    }
    if (event_filter(e, df, sizeof df)) json_object_set_new(o, "display_filter", json_string(df));
    return o;
}

/* "  frame 28 missing.example.test A: NXDOMAIN in 4.620 ms (query frame 27), udp stream 3
 *  10.0.0.5:40000 -> 10.0.0.53:53; filter udp.stream == 3 && dns.id == 0x1234" */
static void event_text(pa_buf *b, const pa_dns_event *e) {
    char tb[16], df[96];
    pa_buf_printf(b, "  frame %llu %s %s: ", (unsigned long long)e->frame, e->qname,
                  type_name(e->qtype, tb, sizeof tb));
    if (e->rt_ns >= 0)
        pa_buf_printf(b, "%s in %.3f ms (query frame %llu), ", pa_dns_rcode_name(e->rcode), (double)e->rt_ns / 1e6,
                      (unsigned long long)e->query_frame);
    else
        pa_buf_puts(b, "no answer, ");
    pa_buf_puts(b, e->tcp ? "tcp" : "udp");
    if (e->stream >= 0) pa_buf_printf(b, " stream %lld", (long long)e->stream);
    pa_buf_puts(b, " ");
    pa_text_addr_port(b, &e->client, e->cport);
    pa_buf_puts(b, " -> ");
    pa_text_addr_port(b, &e->server, e->sport);
    if (event_filter(e, df, sizeof df)) pa_buf_printf(b, "; filter %s", df);
    pa_buf_puts(b, "\n");
}

/* One list of events; `head` is printed above its first row. */
static void event_rows(pa_report *rep, json_t *obj, const char *key, const char *what, const char *head,
                       const pa_model *m, const pa_dns_event *v, size_t n, size_t lim) {
    pa_rows rows;
    pa_rows_begin(&rows, rep, what, 0, lim, n, false);
    for (size_t i = 0; i < n && i < lim; i++) {
        pa_buf *ln = pa_rows_line(&rows);
        if (!i) pa_buf_puts(ln, head);
        event_text(ln, &v[i]);
        if (!pa_rows_push(&rows, event_json(m, &v[i]))) break;
    }
    pa_rows_end(&rows, obj, key, NULL);
}

static int slow_desc(const void *x, const void *y) {
    const pa_dns_event *a = x, *b = y;
    return a->rt_ns < b->rt_ns ? 1 : a->rt_ns > b->rt_ns ? -1 : (a->frame > b->frame) - (a->frame < b->frame);
}

static int name_desc(const void *x, const void *y) {
    const pa_dns_name *a = *(const pa_dns_name *const *)x, *b = *(const pa_dns_name *const *)y;
    return a->count < b->count ? 1 : a->count > b->count ? -1 : strcmp(a->name, b->name);
}

static int domain_desc(const void *x, const void *y) {
    const pa_dns_domain *a = *(const pa_dns_domain *const *)x, *b = *(const pa_dns_domain *const *)y;
    return a->queries < b->queries ? 1 : a->queries > b->queries ? -1 : strcmp(a->domain, b->domain);
}

static int server_desc(const void *x, const void *y) {
    const pa_dns_server *a = *(const pa_dns_server *const *)x, *b = *(const pa_dns_server *const *)y;
    if (a->queries != b->queries) return a->queries < b->queries ? 1 : -1;
    return memcmp(&a->addr, &b->addr, sizeof a->addr);
}

/* Many distinct, long or random-looking names under one domain is how DNS
 * tunnels and exfiltration look; a CDN's names are few and short. */
static const char *tunnel_reason(const pa_dns_domain *d, char *buf, size_t n) {
    double ent = d->unique_names ? d->entropy_sum / d->unique_names : 0;
    if (d->unique_names >= 50 && (ent >= 3.5 || d->max_label >= 30))
        snprintf(buf, n, "%u distinct names, labels up to %u characters, entropy %.1f bits/char", d->unique_names,
                 d->max_label, ent);
    else if (d->long_label_names >= 10)
        snprintf(buf, n, "%u names with labels of 40+ characters", d->long_label_names);
    else if (d->txt_queries >= 50 && d->unique_names >= 20)
        snprintf(buf, n, "%u TXT queries over %u distinct names", d->txt_queries, d->unique_names);
    else
        return NULL;
    return buf;
}

/* The queries of a domain and its names; none for a domain whose characters
 * would need escaping (names are copied from packets). Dots as [.] keep the
 * pattern free of backslashes. */
static bool domain_filter(const char *dom, char *out, size_t n) {
    size_t o = (size_t)snprintf(out, n, "dns.qry.name matches \"(^|[.])");
    for (const char *c = dom; *c; c++) {
        bool plain =
            (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_';
        if (!plain && *c != '.') return false;
        if (o + 8 >= n) return false;
        if (plain)
            out[o++] = *c;
        else
            o += (size_t)snprintf(out + o, n - o, "[.]");
    }
    if (o + 3 >= n) return false;
    snprintf(out + o, n - o, "$\"");
    return true;
}

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    const pa_dns_stats *d = &m->dns;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    size_t lim = pa_arg_limit(args);
    pa_text_capture_header(t, &l);
    pa_text_packet_note(t);

    /* names, domains (and the tunnelling suspects among them), servers, ordered */
    size_t nn = 0, nd = 0, nsv = 0, nsus = 0;
    const pa_dns_name **names = malloc((d->names.count ? d->names.count : 1) * sizeof *names);
    const pa_dns_domain **doms = malloc((d->domains.count ? d->domains.count : 1) * sizeof *doms);
    const pa_dns_domain **sus = malloc((d->domains.count ? d->domains.count : 1) * sizeof *sus);
    const pa_dns_server **svs = malloc((d->servers.count ? d->servers.count : 1) * sizeof *svs);
    for (size_t i = 0; names && i < d->names.cap; i++)
        if (d->names.used[i]) names[nn++] = pa_htab_at(&d->names, i);
    for (size_t i = 0; doms && i < d->domains.cap; i++)
        if (d->domains.used[i]) doms[nd++] = pa_htab_at(&d->domains, i);
    for (size_t i = 0; svs && i < d->servers.cap; i++)
        if (d->servers.used[i]) svs[nsv++] = pa_htab_at(&d->servers, i);
    if (names) qsort(names, nn, sizeof *names, name_desc);
    if (doms) qsort(doms, nd, sizeof *doms, domain_desc);
    if (svs) qsort(svs, nsv, sizeof *svs, server_desc);
    for (size_t i = 0; sus && i < nd; i++) {
        char why[160];
        if (tunnel_reason(doms[i], why, sizeof why)) sus[nsus++] = doms[i];
    }
    pa_dns_event slow[PA_DNS_LIST];
    memcpy(slow, d->slowest, d->nslowest * sizeof slow[0]);
    qsort(slow, d->nslowest, sizeof slow[0], slow_desc);

    uint64_t errors = d->responses - d->rcode[0];
    pa_buf_printf(t,
                  "DNS: %llu queries, %llu responses; %llu answered, %llu unanswered, %llu "
                  "retransmitted queries, %llu error responses, %llu truncated (TC).\n",
                  (unsigned long long)d->queries, (unsigned long long)d->responses, (unsigned long long)d->answered,
                  (unsigned long long)d->unanswered, (unsigned long long)d->retransmitted, (unsigned long long)errors,
                  (unsigned long long)d->truncated);
    json_t *rcodes = json_object();
    for (unsigned i = 0; i < 24; i++) {
        if (!d->rcode[i]) continue;
        json_object_set_new(rcodes, pa_dns_rcode_name(i), json_integer((json_int_t)d->rcode[i]));
        pa_buf_printf(t, "%s %s %llu", json_object_size(rcodes) == 1 ? "Rcodes:" : ",", pa_dns_rcode_name(i),
                      (unsigned long long)d->rcode[i]);
    }
    if (json_object_size(rcodes)) pa_buf_puts(t, ".\n");
    json_t *rt = json_pack("{s:I}", "samples", (json_int_t)d->rt_n);
    if (d->rt_n) {
        json_object_set_new(rt, "min_ms", json_real((double)d->rt_min / 1e6));
        json_object_set_new(rt, "mean_ms", json_real(d->rt_sum / (double)d->rt_n / 1e6));
        pa_pctls p = pa_dns_pctls(d);
        pa_pctls_json(rt, &p);
        json_object_set_new(rt, "max_ms", json_real((double)d->rt_max / 1e6));
        pa_buf_printf(t, "Response time (dns.time): min %.3f ms, mean %.3f ms, max %.3f ms.\n", (double)d->rt_min / 1e6,
                      d->rt_sum / (double)d->rt_n / 1e6, (double)d->rt_max / 1e6);
    }
    if (d->mdns || d->llmnr)
        pa_buf_printf(t, "Counted apart: %llu mDNS and %llu LLMNR packets.\n", (unsigned long long)d->mdns,
                      (unsigned long long)d->llmnr);
    if (d->names_overflow)
        pa_buf_printf(t, "Only %d distinct names are counted; %llu queries for more were not.\n", PA_DNS_MAX_NAMES,
                      (unsigned long long)d->names_overflow);
    if (!d->queries && !d->responses) pa_buf_puts(t, "No unicast DNS in this capture.\n");
    res->structured = json_pack(
        "{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:o, s:o}", "capture",
        pa_capture_json(&l), "totals", "queries", (json_int_t)d->queries, "responses", (json_int_t)d->responses,
        "answered", (json_int_t)d->answered, "unanswered", (json_int_t)d->unanswered, "retransmitted_queries",
        (json_int_t)d->retransmitted, "error_responses", (json_int_t)errors, "truncated_responses",
        (json_int_t)d->truncated, "malformed", (json_int_t)d->malformed, "responses_without_query",
        (json_int_t)d->unmatched_responses, "mdns_packets", (json_int_t)d->mdns, "llmnr_packets", (json_int_t)d->llmnr,
        "tcp_streams_at_depth_cap", (json_int_t)d->tcp_streams_capped, "rcodes", rcodes, "response_time", rt);

    /* failures first: what an engineer looks at */
    char head[160];
    snprintf(head, sizeof head, "Error responses (first %zu of %llu):\n", d->nerrors < lim ? d->nerrors : lim,
             (unsigned long long)errors);
    event_rows(&rep, res->structured, "errors", "error responses", head, m, d->errors, d->nerrors, lim);
    snprintf(head, sizeof head, "Unanswered queries (first %zu of %llu):\n",
             d->nunanswered_list < lim ? d->nunanswered_list : lim, (unsigned long long)d->unanswered);
    event_rows(&rep, res->structured, "unanswered", "unanswered queries", head, m, d->unanswered_list,
               d->nunanswered_list, lim);

    pa_rows rows;
    pa_rows_begin(&rows, &rep, "tunnelling suspects", 0, lim, nsus, false);
    for (size_t i = 0; i < nsus && i < lim; i++) {
        char why[160], df[320];
        tunnel_reason(sus[i], why, sizeof why);
        bool has_df = domain_filter(sus[i]->domain, df, sizeof df);
        pa_buf *ln = pa_rows_line(&rows);
        if (!i) pa_buf_puts(ln, "Possible DNS tunnelling (domains whose names look like encoded data):\n");
        pa_buf_printf(ln, "  %s: %s; %u queries%s%s\n", sus[i]->domain, why, sus[i]->queries, has_df ? "; filter " : "",
                      has_df ? df : "");
        json_t *o = json_pack("{s:s, s:s, s:i}", "domain", sus[i]->domain, "evidence", why, "queries", sus[i]->queries);
        if (has_df) json_object_set_new(o, "display_filter", json_string(df));
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, res->structured, "tunnelling_suspects", NULL);

    snprintf(head, sizeof head, "Slowest responses (%zu of %llu answered):\n", d->nslowest < lim ? d->nslowest : lim,
             (unsigned long long)d->answered);
    event_rows(&rep, res->structured, "slowest", "slowest responses", head, m, slow, d->nslowest, lim);

    pa_rows_begin(&rows, &rep, "servers", 0, lim, nsv, false);
    for (size_t i = 0; i < nsv && i < lim; i++) {
        const pa_dns_server *s = svs[i];
        pa_buf *ln = pa_rows_line(&rows);
        if (!i) pa_buf_printf(ln, "Servers (%zu of %zu, most queried first):\n", nsv < lim ? nsv : lim, nsv);
        char a[64];
        pa_addr_str(&s->addr, a, sizeof a);
        pa_buf_printf(ln, "  %s: %llu queries, %llu responses, %llu errors", a, (unsigned long long)s->queries,
                      (unsigned long long)s->responses, (unsigned long long)s->errors);
        json_t *o =
            json_pack("{s:o, s:I, s:I, s:I}", "server", pa_json_addr(&s->addr), "queries", (json_int_t)s->queries,
                      "responses", (json_int_t)s->responses, "errors", (json_int_t)s->errors);
        if (s->rt_n) {
            json_object_set_new(o, "mean_response_ms", json_real(s->rt_sum / (double)s->rt_n / 1e6));
            pa_buf_printf(ln, ", mean %.3f ms", s->rt_sum / (double)s->rt_n / 1e6);
        }
        pa_buf_puts(ln, "\n");
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, res->structured, "servers", NULL);

    pa_rows_begin(&rows, &rep, "domains", 0, lim, nd, false);
    for (size_t i = 0; i < nd && i < lim; i++) {
        pa_buf *ln = pa_rows_line(&rows);
        if (!i) pa_buf_printf(ln, "Busiest domains (%zu of %zu; queries, distinct names):\n", nd < lim ? nd : lim, nd);
        pa_buf_printf(ln, "  %s: %u queries, %u names", doms[i]->domain, doms[i]->queries, doms[i]->unique_names);
        if (doms[i]->nxdomain) pa_buf_printf(ln, ", %u NXDOMAIN", doms[i]->nxdomain);
        pa_buf_puts(ln, "\n");
        if (!pa_rows_push(&rows,
                          json_pack("{s:s, s:i, s:i, s:i}", "domain", doms[i]->domain, "queries", doms[i]->queries,
                                    "distinct_names", doms[i]->unique_names, "nxdomain", doms[i]->nxdomain)))
            break;
    }
    pa_rows_end(&rows, res->structured, "top_domains", NULL);

    pa_rows_begin(&rows, &rep, "names", 0, lim, nn, false);
    for (size_t i = 0; i < nn && i < lim; i++) {
        pa_buf *ln = pa_rows_line(&rows);
        if (!i) pa_buf_printf(ln, "Busiest names (%zu of %zu; queries):\n", nn < lim ? nn : lim, nn);
        pa_buf_printf(ln, "  %s x%u\n", names[i]->name, names[i]->count);
        if (!pa_rows_push(&rows, json_pack("{s:s, s:i}", "name", names[i]->name, "queries", names[i]->count))) break;
    }
    pa_rows_end(&rows, res->structured, "top_names", NULL);
    free(names);
    free(doms);
    free(sus);
    free(svs);
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

#define EVENT_ROWS                                                                                                     \
    PA_S_ROWS("\"frame\":{\"type\":\"integer\",\"description\":\"the response, or the unanswered query\"},"            \
              "\"name\":" PA_S_STR ",\"type\":" PA_S_STR ",\"client\":" PA_S_STR ",\"client_port\":" PA_S_INT          \
              ",\"server\":" PA_S_STR ",\"server_port\":" PA_S_INT ",\"transport\":" PA_S_STR                          \
              ",\"id\":{\"type\":\"integer\",\"description\":\"transaction id\"},\"time_s\":" PA_S_NUM                 \
              ",\"stream\":{\"type\":\"integer\",\"description\":\"udp.stream or tcp.stream; absent when not "         \
              "known\"},\"query_frame\":{\"type\":\"integer\",\"description\":\"absent when unanswered\"},"            \
              "\"response_time_ms\":" PA_S_NUM ",\"rcode\":" PA_S_STR                                                  \
              ",\"display_filter\":{\"type\":\"string\",\"description\":\"Wireshark filter for the query and its "     \
              "responses\"}")

const pa_tool_def pa_tool_analyze_dns_resolution_issues =
    {
        .name = "analyze_dns_resolution_issues",
        .title = "DNS resolution issues",
        .description = "DNS response times, unanswered queries, error rcodes with names, tunnelling signs.",
        .input_schema = PA_TCP_TOOL_INPUT(20),
        .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"rcodes\",\"response_time\"],"
                         "\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" PA_S_OBJ(
                             "\"queries\":" PA_S_INT ",\"responses\":" PA_S_INT ",\"answered\":" PA_S_INT ",\"unanswered\":" PA_S_INT ",\"retransmitted_queries\":" PA_S_INT ",\"error_responses\":" PA_S_INT ",\"truncated_responses\":" PA_S_INT ",\"malformed\":" PA_S_INT ",\"responses_without_query\":" PA_S_INT ",\"mdns_packets\":" PA_S_INT ",\"llmnr_packets\":" PA_S_INT ",\"tcp_streams_at_depth_cap\":" PA_S_INT) ",\"rcodes\":" PA_S_COUNTS ",\"response_time\":" PA_NS_SUMMARY_SCHEMA ",\"errors\":" EVENT_ROWS ",\"unanswered\":" EVENT_ROWS ",\"slowest\":" EVENT_ROWS ",\"tunnelling_suspects\":" PA_S_ROWS("\"domain\":" PA_S_STR
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                              ",\"evidence\":" PA_S_STR
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                              ",\"queries\":" PA_S_INT
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                              ",\"display_filter\":{\"type\":\"string\",\"description\":\"Wireshark filter for the domain's queries "
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                              "and responses; absent when the name has characters a filter would need to escape\"}") ",\"servers\":" PA_S_ROWS("\"server\":" PA_S_STR
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                               ",\"queries\":" PA_S_INT
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                               ",\"responses\":" PA_S_INT
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                               ",\"errors\":" PA_S_INT ",\"mean_response_ms\":" PA_S_NUM) ",\"top_domains\":" PA_S_ROWS("\"domain\":" PA_S_STR
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                        ",\"queries\":" PA_S_INT
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                        ",\"distinct_names\":" PA_S_INT
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                        ",\"nxdomain\":" PA_S_INT) ",\"top_names\":" PA_S_ROWS("\"name\":" PA_S_STR
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                               ",\"queries\":" PA_S_INT) "},\"additionalProperties\":false}",
        .read_only = true,
        .idempotent = true,
        .run = run,
};
