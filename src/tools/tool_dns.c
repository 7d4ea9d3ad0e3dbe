/* analyze_dns_resolution_issues: DNS transactions, failures, slowness and
 * signs of tunnelling, from the model's DNS tracking. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_tcp_common.h"

static json_t *event_json(const pa_model *m, const pa_dns_event *e) {
    const char *tn = pa_dns_type_name(e->qtype);
    char tbuf[16];
    if (!tn) {
        snprintf(tbuf, sizeof tbuf, "TYPE%u", e->qtype);
        tn = tbuf;
    }
    json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:o, s:f}", "frame", (json_int_t)e->frame, "name",
                          e->qname, "type", tn, "client", pa_json_addr(&e->client), "server",
                          pa_json_addr(&e->server), "time_s", (double)(e->ts - m->first_ts) / 1e9);
    if (e->rt_ns >= 0) {
        json_object_set_new(o, "query_frame", json_integer((json_int_t)e->query_frame));
        json_object_set_new(o, "response_time_ms", json_real((double)e->rt_ns / 1e6));
        json_object_set_new(o, "rcode", json_string(pa_dns_rcode_name(e->rcode)));
    }
    return o;
}

static int slow_desc(const void *x, const void *y) {
    const pa_dns_event *a = x, *b = y;
    return a->rt_ns < b->rt_ns ? 1 : a->rt_ns > b->rt_ns ? -1 : 0;
}

static int name_desc(const void *x, const void *y) {
    const pa_dns_name *a = *(const pa_dns_name *const *)x, *b = *(const pa_dns_name *const *)y;
    return a->count < b->count ? 1 : a->count > b->count ? -1 : strcmp(a->name, b->name);
}

static int domain_desc(const void *x, const void *y) {
    const pa_dns_domain *a = *(const pa_dns_domain *const *)x, *b = *(const pa_dns_domain *const *)y;
    return a->queries < b->queries ? 1 : a->queries > b->queries ? -1 : strcmp(a->domain, b->domain);
}

/* Many distinct, long or random-looking names under one domain is how DNS
 * tunnels and exfiltration look; a CDN's names are few and short. */
static const char *tunnel_reason(const pa_dns_domain *d, char *buf, size_t n) {
    double ent = d->unique_names ? d->entropy_sum / d->unique_names : 0;
    if (d->unique_names >= 50 && (ent >= 3.5 || d->max_label >= 30))
        snprintf(buf, n, "%u distinct names, labels up to %u characters, entropy %.1f bits/char",
                 d->unique_names, d->max_label, ent);
    else if (d->long_label_names >= 10)
        snprintf(buf, n, "%u names with labels of 40+ characters", d->long_label_names);
    else if (d->txt_queries >= 50 && d->unique_names >= 20)
        snprintf(buf, n, "%u TXT queries over %u distinct names", d->txt_queries, d->unique_names);
    else
        return NULL;
    return buf;
}

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    const pa_dns_stats *d = &m->dns;
    pa_buf *t = &res->text;
    size_t lim = pa_arg_limit(args);
    pa_text_capture_header(t, &l);
    pa_text_packet_note(t);
    uint64_t errors = d->responses - d->rcode[0];
    pa_buf_printf(t,
                  "DNS: %llu queries, %llu responses; %llu answered, %llu unanswered, %llu "
                  "retransmitted queries, %llu error responses, %llu truncated (TC).\n",
                  (unsigned long long)d->queries, (unsigned long long)d->responses,
                  (unsigned long long)d->answered, (unsigned long long)d->unanswered,
                  (unsigned long long)d->retransmitted, (unsigned long long)errors,
                  (unsigned long long)d->truncated);
    json_t *rcodes = json_object();
    for (unsigned i = 0; i < 24; i++)
        if (d->rcode[i]) json_object_set_new(rcodes, pa_dns_rcode_name(i), json_integer((json_int_t)d->rcode[i]));
    json_t *rt = json_pack("{s:I}", "samples", (json_int_t)d->rt_n);
    if (d->rt_n) {
        json_object_set_new(rt, "min_ms", json_real((double)d->rt_min / 1e6));
        json_object_set_new(rt, "mean_ms", json_real(d->rt_sum / (double)d->rt_n / 1e6));
        pa_pctls p = pa_dns_pctls(d);
        pa_pctls_json(rt, &p);
        json_object_set_new(rt, "max_ms", json_real((double)d->rt_max / 1e6));
        pa_buf_printf(t, "Response time (dns.time): min %.3f ms, mean %.3f ms, max %.3f ms.\n",
                      (double)d->rt_min / 1e6, d->rt_sum / (double)d->rt_n / 1e6, (double)d->rt_max / 1e6);
    }
    /* failures first: what an engineer looks at */
    json_t *errs = json_array();
    for (size_t i = 0; i < d->nerrors && i < lim; i++) {
        json_array_append_new(errs, event_json(m, &d->errors[i]));
        if (i < 10)
            pa_buf_printf(t, "  %s for %s (frame %llu)\n", pa_dns_rcode_name(d->errors[i].rcode),
                          d->errors[i].qname, (unsigned long long)d->errors[i].frame);
    }
    json_t *unans = json_array();
    for (size_t i = 0; i < d->nunanswered_list && i < lim; i++) {
        json_array_append_new(unans, event_json(m, &d->unanswered_list[i]));
        if (i < 10)
            pa_buf_printf(t, "  no answer to %s (frame %llu)\n", d->unanswered_list[i].qname,
                          (unsigned long long)d->unanswered_list[i].frame);
    }
    pa_dns_event slow[PA_DNS_LIST];
    memcpy(slow, d->slowest, d->nslowest * sizeof slow[0]);
    qsort(slow, d->nslowest, sizeof slow[0], slow_desc);
    json_t *slowest = json_array();
    for (size_t i = 0; i < d->nslowest && i < lim; i++) json_array_append_new(slowest, event_json(m, &slow[i]));
    if (d->nslowest)
        pa_buf_printf(t, "Slowest: %s %.3f ms (frame %llu).\n", slow[0].qname, (double)slow[0].rt_ns / 1e6,
                      (unsigned long long)slow[0].frame);

    /* names, domains, servers */
    size_t nn = 0, nd = 0;
    const pa_dns_name **names = malloc((d->names.count ? d->names.count : 1) * sizeof *names);
    const pa_dns_domain **doms = malloc((d->domains.count ? d->domains.count : 1) * sizeof *doms);
    json_t *top_names = json_array(), *top_domains = json_array(), *tunnels = json_array(), *servers = json_array();
    for (size_t i = 0; names && i < d->names.cap; i++)
        if (d->names.used[i]) names[nn++] = pa_htab_at(&d->names, i);
    for (size_t i = 0; doms && i < d->domains.cap; i++)
        if (d->domains.used[i]) doms[nd++] = pa_htab_at(&d->domains, i);
    if (names) qsort(names, nn, sizeof *names, name_desc);
    if (doms) qsort(doms, nd, sizeof *doms, domain_desc);
    for (size_t i = 0; i < nn && i < lim; i++)
        json_array_append_new(top_names, json_pack("{s:s, s:i}", "name", names[i]->name, "queries", names[i]->count));
    for (size_t i = 0; i < nd; i++) {
        char why[160];
        const char *r = tunnel_reason(doms[i], why, sizeof why);
        if (i < lim)
            json_array_append_new(top_domains, json_pack("{s:s, s:i, s:i, s:i}", "domain", doms[i]->domain,
                                                         "queries", doms[i]->queries, "distinct_names",
                                                         doms[i]->unique_names, "nxdomain", doms[i]->nxdomain));
        if (r) {
            json_array_append_new(tunnels, json_pack("{s:s, s:s, s:i}", "domain", doms[i]->domain, "evidence", r,
                                                     "queries", doms[i]->queries));
            pa_buf_printf(t, "Possible DNS tunnelling under %s: %s.\n", doms[i]->domain, r);
        }
    }
    free(names);
    free(doms);
    for (size_t i = 0; i < d->servers.cap; i++) {
        if (!d->servers.used[i]) continue;
        const pa_dns_server *s = pa_htab_at(&d->servers, i);
        json_t *o = json_pack("{s:o, s:I, s:I, s:I}", "server", pa_json_addr(&s->addr), "queries",
                              (json_int_t)s->queries, "responses", (json_int_t)s->responses, "errors",
                              (json_int_t)s->errors);
        if (s->rt_n) json_object_set_new(o, "mean_response_ms", json_real(s->rt_sum / (double)s->rt_n / 1e6));
        if (json_array_size(servers) < lim) json_array_append_new(servers, o);
        else json_decref(o);
    }
    if (!d->queries && !d->responses) pa_buf_puts(t, "No unicast DNS in this capture.\n");
    res->structured = json_pack(
        "{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
        "capture", pa_capture_json(&l), "totals", "queries", (json_int_t)d->queries, "responses",
        (json_int_t)d->responses, "answered", (json_int_t)d->answered, "unanswered",
        (json_int_t)d->unanswered, "retransmitted_queries", (json_int_t)d->retransmitted,
        "truncated_responses", (json_int_t)d->truncated, "malformed", (json_int_t)d->malformed,
        "responses_without_query", (json_int_t)d->unmatched_responses, "mdns_packets",
        (json_int_t)d->mdns, "llmnr_packets", (json_int_t)d->llmnr, "tcp_streams_at_depth_cap",
        (json_int_t)d->tcp_streams_capped, "rcodes", rcodes,
        "response_time", rt, "errors", errs, "unanswered", unans, "slowest", slowest, "top_names",
        top_names, "top_domains", top_domains, "tunnelling_suspects", tunnels, "servers", servers);
    pa_tool_unload(&l);
}

#define ARR PA_SCHEMA_ARR

const pa_tool_def pa_tool_analyze_dns_resolution_issues = {
    .name = "analyze_dns_resolution_issues",
    .title = "DNS resolution issues",
    .description =
        "DNS health: queries matched to responses (by conversation and transaction id, as "
        "Wireshark's dns.time), response times, unanswered and retransmitted queries, error "
        "rcodes (NXDOMAIN, SERVFAIL, REFUSED, ...) with the names concerned, truncated "
        "responses, the busiest names, domains and servers, and domains whose names look like "
        "DNS tunnelling (many distinct, long or random-looking subdomains). mDNS and LLMNR are "
        "counted apart.",
    .input_schema = PA_TCP_TOOL_INPUT(20),
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"rcodes\",\"response_time\"],"
        "\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" PA_SCHEMA_OBJ ",\"rcodes\":"
        PA_SCHEMA_OBJ ",\"response_time\":" PA_SCHEMA_OBJ ",\"errors\":" ARR ",\"unanswered\":" ARR
        ",\"slowest\":" ARR ",\"top_names\":" ARR ",\"top_domains\":" ARR ",\"tunnelling_suspects\":"
        ARR ",\"servers\":" ARR "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run,
};
