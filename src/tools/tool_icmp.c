/* analyze_icmp_errors: ICMP and ICMPv6 error messages from the model's
 * ICMP tracking (icmp_track.c): totals by type and code under Wireshark's
 * names, who sent them (routers or the quoted destination itself), and one
 * row per quoted flow (kind, reporter, quoted datagram): its 5-tuple, the
 * stream of its conversation when the capture holds it, count and frames,
 * the MTU announced, the redirect's gateway. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_icmp_common.h"
#include "tool_tcp_common.h"

/* Who sent an error: the quoted destination itself (an end host), or
 * another host on the path (a router, firewall or NAT answering for it). */
static const char *role_of(const pa_icmp_flow *f) {
    if (!f->quoted) return "unknown";
    return memcmp(&f->reporter, &f->dst, sizeof f->dst) == 0 ? "end_host" : "router";
}

/* A reading of one row beyond its kind's meaning, where the ports say more. */
static const char *row_note(const pa_icmp_flow *f) {
    bool unreach_port = f->type == (f->ver == 6 ? 1 : 3) && f->code == (f->ver == 6 ? 4 : 3);
    if (f->quotes_error) return "an error about an error: RFC 1122 forbids sending it (a broken or hostile sender)";
    if (unreach_port && f->ports && f->proto == 17 && f->dport == 53)
        return "no DNS server listens there: the resolver is down or the client uses a wrong one";
    if (unreach_port && f->ports && f->proto == 17 && f->sport == 53)
        return "a DNS answer came back after the client closed its socket (a late or spoofed answer)";
    if (unreach_port && f->ports && f->proto == 17 && f->dport == 123) return "no NTP server listens there";
    if (f->ports && f->proto == 17 && f->dport >= 33434 && f->dport <= 33534 && f->type == (f->ver == 6 ? 3 : 11))
        return "a traceroute probe (UDP port 33434 and up)";
    if (f->ports && f->proto == 6 && f->stream >= 0 && f->type == (f->ver == 6 ? 1 : 3))
        return "a TCP connection refused or cut by the network: its stream shows what the client saw";
    return NULL;
}

static int flow_desc(const void *x, const void *y) {
    const pa_icmp_flow *a = *(const pa_icmp_flow *const *)x, *b = *(const pa_icmp_flow *const *)y;
    if (a->count != b->count) return a->count < b->count ? 1 : -1;
    return (a->frames[0] > b->frames[0]) - (a->frames[0] < b->frames[0]);
}

static int kind_desc(const void *x, const void *y) {
    const pa_icmp_kind *a = x, *b = y;
    if (a->count != b->count) return a->count < b->count ? 1 : -1;
    return (a->frames[0] > b->frames[0]) - (a->frames[0] < b->frames[0]);
}

/* A reporter: the errors it sent (of the itemised flows), as router or end host. */
typedef struct reporter {
    pa_addr addr; /* key */
    uint64_t errors, as_router, as_host;
    uint64_t first_frame;
} reporter;

static int reporter_desc(const void *x, const void *y) {
    const reporter *a = *(const reporter *const *)x, *b = *(const reporter *const *)y;
    if (a->errors != b->errors) return a->errors < b->errors ? 1 : -1;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

static void kinds_list(pa_report *rep, const pa_icmp_kind *kinds, size_t nk) {
    pa_buf *t = &rep->res->text;
    if (nk) pa_buf_puts(t, "By type and code (Wireshark's names; first frames; the filter selects them):\n");
    pa_rows rows;
    pa_rows_begin(&rows, rep, "kinds", 0, nk, nk, false);
    for (size_t i = 0; i < nk; i++) {
        const pa_icmp_kind *k = &kinds[i];
        const pa_icmp_meaning *e = pa_icmp_meaning_of(k->ver, k->type, k->code);
        char name[128], filter[64];
        pa_icmp_kind_name(name, sizeof name, k->ver, k->type, k->code);
        pa_icmp_type_filter(filter, sizeof filter, k->ver, k->type, k->code);
        pa_buf *b = pa_rows_line(&rows);
        pa_buf_printf(b, "  %s %s x%llu: %s; frames", k->ver == 6 ? "ICMPv6" : "ICMP", name,
                      (unsigned long long)k->count, e ? e->meaning : "an error this server has no reading of");
        json_t *o = json_pack("{s:s, s:s, s:i, s:i, s:I, s:s, s:s}", "name", name, "protocol",
                              k->ver == 6 ? "icmpv6" : "icmp", "type", k->type, "code", k->code, "count",
                              (json_int_t)k->count, "meaning", e ? e->meaning : "", "display_filter", filter);
        json_object_set_new(o, "first_frames", pa_icmp_frames_json(k->frames, k->count, b));
        pa_buf_printf(b, "; %s\n", filter);
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, rep->res->structured, "kinds", NULL);
}

static void reporters_list(pa_report *rep, const pa_icmp_flow *const *v, size_t n, size_t lim) {
    pa_htab t;
    if (pa_htab_init(&t, sizeof(reporter), sizeof(pa_addr), PA_ICMP_MAX_FLOWS)) return;
    for (size_t i = 0; i < n; i++) {
        bool created;
        reporter *r = pa_htab_upsert(&t, &v[i]->reporter, &created);
        if (!r) continue;
        if (created || v[i]->frames[0] < r->first_frame) r->first_frame = v[i]->frames[0];
        r->errors += v[i]->count;
        if (!strcmp(role_of(v[i]), "router")) r->as_router += v[i]->count;
        if (!strcmp(role_of(v[i]), "end_host")) r->as_host += v[i]->count;
    }
    const reporter **rv = malloc((t.count ? t.count : 1) * sizeof *rv);
    size_t nr = 0;
    for (size_t i = 0; rv && i < t.count; i++) rv[nr++] = pa_htab_rec(&t, i);
    if (rv) qsort(rv, nr, sizeof *rv, reporter_desc);
    pa_page_heading(&rep->res->text, "Senders of the errors (router: not the quoted destination),", 0, lim, nr, "");
    pa_rows rows;
    pa_rows_begin(&rows, rep, "senders", 0, lim, nr, false);
    for (size_t i = 0; rv && i < nr && i < lim; i++) {
        const reporter *r = rv[i];
        char a[64];
        pa_addr_str(&r->addr, a, sizeof a);
        const char *role = r->as_router && r->as_host ? "both"
                           : r->as_router             ? "router"
                           : r->as_host               ? "end_host"
                                                      : "unknown";
        pa_buf_printf(pa_rows_line(&rows),
                      "  %s: %llu errors (%llu as a router, %llu as the end host), first frame %llu\n", a,
                      (unsigned long long)r->errors, (unsigned long long)r->as_router, (unsigned long long)r->as_host,
                      (unsigned long long)r->first_frame);
        if (!pa_rows_push(&rows,
                          json_pack("{s:o, s:s, s:I, s:I, s:I, s:I}", "sender", pa_json_addr(&r->addr), "role", role,
                                    "errors", (json_int_t)r->errors, "as_router", (json_int_t)r->as_router,
                                    "as_end_host", (json_int_t)r->as_host, "first_frame", (json_int_t)r->first_frame)))
            break;
    }
    pa_rows_end(&rows, rep->res->structured, "senders", NULL);
    free(rv);
    pa_htab_free(&t);
}

/* One row of `errors`: text into b, JSON returned. */
static json_t *flow_row(const pa_icmp_flow *f, pa_buf *b) {
    char name[128], r[64], filter[400], num[16];
    pa_icmp_kind_name(name, sizeof name, f->ver, f->type, f->code);
    pa_addr_str(&f->reporter, r, sizeof r);
    pa_icmp_flow_filter(filter, sizeof filter, f);
    const char *pn = pa_ip_proto_name(f->proto);
    snprintf(num, sizeof num, "proto %u", f->proto);
    pa_buf_printf(b, "  %s %s x%llu from %s (%s)", f->ver == 6 ? "ICMPv6" : "ICMP", name, (unsigned long long)f->count,
                  r, role_of(f));
    json_t *o = json_pack("{s:s, s:s, s:i, s:i, s:o, s:s, s:I}", "name", name, "protocol",
                          f->ver == 6 ? "icmpv6" : "icmp", "type", f->type, "code", f->code, "sender",
                          pa_json_addr(&f->reporter), "sender_role", role_of(f), "count", (json_int_t)f->count);
    if (f->quoted) {
        pa_buf_printf(b, " about %s ", pn ? pn : num);
        if (f->ports) {
            pa_endpoint_text(b, &f->src, f->sport);
            pa_buf_puts(b, " -> ");
            pa_endpoint_text(b, &f->dst, f->dport);
        } else {
            char a[64], d[64];
            pa_addr_str(&f->src, a, sizeof a);
            pa_addr_str(&f->dst, d, sizeof d);
            pa_buf_printf(b, "%s -> %s", a, d);
            if (f->proto == 6 || f->proto == 17) pa_buf_puts(b, " (ports not quoted)");
        }
        json_object_set_new(o, "quoted_protocol", json_string(pn ? pn : num));
        json_object_set_new(o, "src", pa_json_addr(&f->src));
        json_object_set_new(o, "dst", pa_json_addr(&f->dst));
        if (f->ports) {
            json_object_set_new(o, "src_port", json_integer(f->sport));
            json_object_set_new(o, "dst_port", json_integer(f->dport));
        }
        if (f->stream >= 0) {
            json_object_set_new(o, "stream", json_integer((json_int_t)f->stream));
            pa_buf_printf(b, ", %s.stream %lld", pn, (long long)f->stream);
        } else if (f->ports) {
            pa_buf_puts(b, ", conversation not in the capture");
        }
    } else {
        pa_buf_puts(b, " (the quoted header was not captured)");
    }
    if (f->mtu) {
        json_object_set_new(o, "mtu", json_integer(f->mtu));
        pa_buf_printf(b, ", MTU %u", f->mtu);
        if (f->mtu_max != f->mtu) {
            json_object_set_new(o, "mtu_max", json_integer(f->mtu_max));
            pa_buf_printf(b, " (up to %u)", f->mtu_max);
        }
    }
    if (f->gateway.family) {
        char g[64];
        pa_addr_str(&f->gateway, g, sizeof g);
        json_object_set_new(o, "gateway", pa_json_addr(&f->gateway));
        pa_buf_printf(b, ", use gateway %s", g);
    }
    const char *note = row_note(f);
    if (note) {
        json_object_set_new(o, "note", json_string(note));
        pa_buf_printf(b, "; %s", note);
    }
    pa_buf_puts(b, "; frames");
    json_object_set_new(o, "first_frames", pa_icmp_frames_json(f->frames, f->count, b));
    if (f->count > PA_ICMP_FIRST_FRAMES) pa_buf_printf(b, " .. %llu", (unsigned long long)f->last_frame);
    json_object_set_new(o, "last_frame", json_integer((json_int_t)f->last_frame));
    json_object_set_new(o, "display_filter", json_string(filter));
    pa_buf_printf(b, "; %s\n", filter);
    return o;
}

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    const pa_icmp_stats *ic = &m->icmp;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    size_t lim = pa_arg_limit(args), offset = pa_arg_offset(args);
    pa_text_capture_header(t, &l);

    pa_icmp_kind kinds[PA_ICMP_MAX_KINDS];
    memcpy(kinds, ic->kinds, ic->nkinds * sizeof kinds[0]);
    qsort(kinds, ic->nkinds, sizeof kinds[0], kind_desc);
    uint64_t v4 = 0, v6 = 0;
    for (size_t i = 0; i < ic->nkinds; i++) *(kinds[i].ver == 6 ? &v6 : &v4) += kinds[i].count;
    const pa_icmp_flow **v = malloc((ic->flows.count ? ic->flows.count : 1) * sizeof *v);
    size_t n = 0, in_capture = 0, about_errors = 0;
    for (size_t r = 0; v && r < ic->flows.count; r++) {
        v[n] = pa_htab_rec(&ic->flows, r);
        in_capture += v[n]->stream >= 0;
        about_errors += v[n]->quotes_error ? v[n]->count : 0;
        n++;
    }
    if (v) qsort(v, n, sizeof *v, flow_desc);

    if (ic->errors) {
        pa_buf_printf(t,
                      "ICMP errors: %llu (%llu ICMP, %llu ICMPv6); %llu sent by routers, %llu by the quoted "
                      "destination itself, %llu without a readable quoted header.\n",
                      (unsigned long long)ic->errors, (unsigned long long)v4, (unsigned long long)v6,
                      (unsigned long long)ic->router_errors, (unsigned long long)ic->host_errors,
                      (unsigned long long)ic->unquoted);
        pa_buf_printf(t, "%zu quoted flows; %zu of them are conversations of this capture (their stream is given).\n",
                      n, in_capture);
        if (about_errors)
            pa_buf_printf(t, "%zu errors quote another ICMP error (RFC 1122 forbids it).\n", about_errors);
    } else {
        pa_buf_puts(t, "No ICMP or ICMPv6 error messages in this capture.\n");
    }
    if (ic->kinds_overflow || ic->flows_overflow)
        pa_buf_printf(t, "Not itemised: %llu errors beyond %d kinds, %llu beyond %d quoted flows.\n",
                      (unsigned long long)ic->kinds_overflow, PA_ICMP_MAX_KINDS, (unsigned long long)ic->flows_overflow,
                      PA_ICMP_MAX_FLOWS);
    res->structured =
        json_pack("{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}}", "capture", pa_capture_json(&l),
                  "totals", "errors", (json_int_t)ic->errors, "icmp", (json_int_t)v4, "icmpv6", (json_int_t)v6,
                  "from_routers", (json_int_t)ic->router_errors, "from_end_hosts", (json_int_t)ic->host_errors,
                  "without_quote", (json_int_t)ic->unquoted, "quoted_flows", (json_int_t)n, "flows_in_capture",
                  (json_int_t)in_capture, "quoting_an_error", (json_int_t)about_errors, "kinds_not_itemised",
                  (json_int_t)ic->kinds_overflow, "flows_not_itemised", (json_int_t)ic->flows_overflow);

    kinds_list(&rep, kinds, ic->nkinds);
    pa_page_heading(t, "Errors by the datagram they quote, most first,", offset, lim, n,
                    " (sender, quoted flow and its stream, frames; the filter selects them)");
    pa_rows rows;
    pa_rows_begin(&rows, &rep, "quoted flows", offset, lim, n, true);
    for (size_t i = offset; v && i < n && i - offset < lim; i++)
        if (!pa_rows_push(&rows, flow_row(v[i], pa_rows_line(&rows)))) break;
    pa_rows_end(&rows, res->structured, "errors", "page");
    /* offset pages the quoted flows; the senders come with the first page */
    if (!offset) reporters_list(&rep, v, n, lim);
    free(v);
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

#define ROLE_DESC                                                                                                      \
    "\"description\":\"router: sent by a host other than the quoted destination (router, firewall or NAT); "           \
    "end_host: by the quoted destination itself; unknown: no quote\""

/* clang-format off */
const pa_tool_def pa_tool_analyze_icmp_errors = {
    .name = "analyze_icmp_errors",
    .title = "ICMP errors",
    .description = "ICMP/ICMPv6 errors by kind and sender, and the flow each quotes.",
    .input_schema = PA_TCP_TOOL_INPUT_PAGED(20),
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"kinds\",\"errors\",\"page\"],"
        "\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" PA_S_OBJ(
            "\"errors\":" PA_S_INT ",\"icmp\":" PA_S_INT ",\"icmpv6\":" PA_S_INT ",\"from_routers\":" PA_S_INT
            ",\"from_end_hosts\":" PA_S_INT ",\"without_quote\":" PA_S_INT ",\"quoted_flows\":" PA_S_INT
            ",\"flows_in_capture\":" PA_S_INT ",\"quoting_an_error\":" PA_S_INT ",\"kinds_not_itemised\":" PA_S_INT
            ",\"flows_not_itemised\":" PA_S_INT) ",\"kinds\":" PA_S_ROWS(
            "\"name\":{\"type\":\"string\",\"description\":\"Wireshark's: type (code)\"},\"protocol\":" PA_S_STR
            ",\"type\":" PA_S_INT ",\"code\":" PA_S_INT ",\"count\":" PA_S_INT ",\"meaning\":" PA_S_STR
            ",\"display_filter\":" PA_S_STR ",\"first_frames\":" PA_S_INTS) ",\"senders\":" PA_S_ROWS(
            "\"sender\":" PA_S_STR ",\"role\":{\"type\":\"string\",\"enum\":[\"router\",\"end_host\",\"both\","
            "\"unknown\"]},\"errors\":" PA_S_INT ",\"as_router\":" PA_S_INT ",\"as_end_host\":" PA_S_INT
            ",\"first_frame\":" PA_S_INT) ",\"page\":" PA_PAGE_SCHEMA ",\"errors\":" PA_S_ROWS(
            "\"name\":" PA_S_STR ",\"protocol\":" PA_S_STR ",\"type\":" PA_S_INT ",\"code\":" PA_S_INT
            ",\"sender\":" PA_S_STR ",\"sender_role\":{\"type\":\"string\"," ROLE_DESC "},\"count\":" PA_S_INT
            ",\"quoted_protocol\":{\"type\":\"string\",\"description\":\"protocol of the quoted datagram; absent "
            "when its header was not captured\"},\"src\":" PA_S_STR ",\"dst\":" PA_S_STR ",\"src_port\":" PA_S_INT
            ",\"dst_port\":" PA_S_INT ",\"stream\":{\"type\":\"integer\",\"description\":\"tcp.stream or udp.stream "
            "of the quoted conversation; absent when the capture does not hold it\"},\"mtu\":{\"type\":\"integer\","
            "\"description\":\"next-hop MTU announced (smallest when several)\"},\"mtu_max\":" PA_S_INT
            ",\"gateway\":{\"type\":\"string\",\"description\":\"the gateway a redirect names\"},\"note\":" PA_S_STR
            ",\"first_frames\":" PA_S_INTS ",\"last_frame\":" PA_S_INT ",\"display_filter\":" PA_S_STR)
        "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run,
};
/* clang-format on */
