/* analyze_dhcp_traffic: who got which address, how fast, what failed, from
 * the model's DHCP and DHCPv6 tracking. Totals first (message types,
 * outcomes, time to answer, servers and whether more than one answered),
 * then the servers, then the clients: failures first (NAK or error status,
 * decline, unanswered, offered but never requested), then the acknowledged
 * ones slowest first, so that the first page answers "what failed" and
 * "what was slow" before "what worked". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_report.h"
#include "tool_tcp_common.h"

/* One client row: a DHCP transaction or a DHCPv6 exchange. */
typedef struct crow {
    const pa_dhcp_tx *v4;
    const pa_dhcpv6_tx *v6;
    int rank;       /* outcome, worst first (both enums share the order) */
    int64_t answer; /* ns, -1: none */
    uint64_t first; /* first frame */
} crow;

static int crow_cmp(const void *x, const void *y) {
    const crow *a = x, *b = y;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    if (a->answer != b->answer) return a->answer > b->answer ? -1 : 1;
    return (a->first > b->first) - (a->first < b->first);
}

static void ip4_str(const uint8_t a[4], char *out, size_t n) {
    snprintf(out, n, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

static void ip6_str(const uint8_t a[16], char *out, size_t n) {
    pa_addr x = {.family = 6};
    memcpy(x.b, a, 16);
    pa_addr_str(&x, out, n);
}

static void hex_str(const uint8_t *b, size_t len, char *out, size_t n) {
    size_t o = 0;
    for (size_t i = 0; i < len && o + 3 <= n; i++) o += (size_t)snprintf(out + o, n - o, "%02x", b[i]);
    if (n) out[o < n ? o : n - 1] = 0;
}

static void v4_client(const pa_dhcp_tx *t, char *out, size_t n) {
    if (t->mac)
        snprintf(out, n, "%02x:%02x:%02x:%02x:%02x:%02x", t->chaddr[0], t->chaddr[1], t->chaddr[2], t->chaddr[3],
                 t->chaddr[4], t->chaddr[5]);
    else
        hex_str(t->chaddr, t->hlen, out, n);
}

static json_t *ms(int64_t ns) { return json_real((double)ns / 1e6); }

/* One item of a row's details: " item" first, ", item" after. */
__attribute__((format(printf, 3, 4))) static void item(pa_buf *b, bool *first, const char *fmt, ...) {
    pa_buf_puts(b, *first ? " " : ", ");
    *first = false;
    va_list ap;
    va_start(ap, fmt);
    pa_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* A duration of the row, when measured: in the JSON as key (ms) and in the
 * text as "label N ms". */
static void time_item(json_t *o, pa_buf *ln, bool *first, const char *key, const char *label, int64_t ns) {
    if (ns < 0) return;
    json_object_set_new(o, key, ms(ns));
    item(ln, first, "%s %.3f ms", label, (double)ns / 1e6);
}

static json_t *frames_json(const uint64_t *f, uint8_t n) {
    json_t *a = json_array();
    for (uint8_t i = 0; i < n; i++) json_array_append_new(a, json_integer((json_int_t)f[i]));
    return a;
}

static void frames_text(pa_buf *b, const uint64_t *f, uint8_t n, uint32_t messages) {
    pa_buf_puts(b, n > 1 ? "frames " : "frame ");
    for (uint8_t i = 0; i < n; i++) pa_buf_printf(b, "%s%llu", i ? "," : "", (unsigned long long)f[i]);
    if (messages > n) pa_buf_printf(b, " (first %u of %u)", n, messages);
}

/* One DHCP transaction: its JSON row, and its text line into ln. */
static json_t *v4_row(const pa_dhcp_tx *t, pa_buf *ln) {
    char client[64], a[32], df[128];
    v4_client(t, client, sizeof client);
    pa_dhcp_outcome oc = pa_dhcp_tx_outcome(t);
    snprintf(a, sizeof a, "0x%08x", t->xid);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:o}", "protocol", "dhcp", "client", client, "outcome",
                          pa_dhcp_outcome_name(oc), "transaction_id", a, "messages", (json_int_t)t->messages, "frames",
                          frames_json(t->frames, t->nframes));
    pa_buf_printf(ln, "  [%s] dhcp %s", pa_dhcp_outcome_name(oc), client);
    if (t->hostname[0]) {
        json_object_set_new(o, "hostname", json_string(t->hostname));
        pa_buf_printf(ln, " \"%s\"", t->hostname);
    }
    pa_buf_printf(ln, " xid %s:", a);
    bool first = true;
    if (oc == PA_DHCP_UNANSWERED) item(ln, &first, "no answer");
    if (t->has_acked) {
        ip4_str(t->acked, a, sizeof a);
        json_object_set_new(o, "address", json_string(a));
        item(ln, &first, "address %s", a);
    }
    if (t->has_offered && (!t->has_acked || memcmp(t->offered, t->acked, 4))) {
        ip4_str(t->offered, a, sizeof a);
        json_object_set_new(o, "offered", json_string(a));
        item(ln, &first, "offered %s", a);
    }
    if (t->has_requested) {
        ip4_str(t->requested, a, sizeof a);
        json_object_set_new(o, "requested", json_string(a));
        item(ln, &first, "requested %s", a);
    }
    if (t->has_lease) {
        json_object_set_new(o, "lease_s", json_integer(t->lease));
        item(ln, &first, "lease %u s", t->lease);
    }
    if (t->has_mask) {
        ip4_str(t->mask, a, sizeof a);
        json_object_set_new(o, "subnet_mask", json_string(a));
        item(ln, &first, "mask %s", a);
    }
    if (t->has_router) {
        ip4_str(t->router, a, sizeof a);
        json_object_set_new(o, "router", json_string(a));
        item(ln, &first, "router %s", a);
    }
    if (t->ndns) {
        json_t *d = json_array();
        item(ln, &first, "DNS");
        for (uint8_t i = 0; i < t->ndns; i++) {
            ip4_str(t->dns[i], a, sizeof a);
            json_array_append_new(d, json_string(a));
            pa_buf_printf(ln, "%s%s", i ? "," : " ", a);
        }
        json_object_set_new(o, "dns_servers", d);
    }
    if (t->nservers) {
        json_t *s = json_array();
        item(ln, &first, "%s", t->nservers > 1 ? "servers" : "server");
        for (uint8_t i = 0; i < t->nservers; i++) {
            ip4_str(t->servers[i], a, sizeof a);
            json_array_append_new(s, json_string(a));
            pa_buf_printf(ln, "%s%s", i ? "," : " ", a);
        }
        json_object_set_new(o, "servers", s);
    }
    int64_t ans = pa_dhcp_tx_answer_ns(t), d_o = pa_dhcp_tx_time(t, PA_DHCP_DISCOVER, PA_DHCP_OFFER),
            d_a = pa_dhcp_tx_time(t, PA_DHCP_DISCOVER, PA_DHCP_ACK),
            r_a = pa_dhcp_tx_time(t, PA_DHCP_REQUEST, PA_DHCP_ACK);
    time_item(o, ln, &first, "time_to_answer_ms", "answered in", ans);
    time_item(o, ln, &first, "discover_to_offer_ms", "Discover->Offer", d_o);
    time_item(o, ln, &first, "discover_to_ack_ms", "Discover->ACK", d_a);
    time_item(o, ln, &first, "request_to_ack_ms", "Request->ACK", r_a);
    if (t->retransmits) {
        json_object_set_new(o, "retransmissions", json_integer((json_int_t)t->retransmits));
        item(ln, &first, "%llu retransmissions", (unsigned long long)t->retransmits);
    }
    if (t->nak_message[0]) {
        json_object_set_new(o, "nak_message", json_string(t->nak_message));
        item(ln, &first, "NAK message \"%s\"", t->nak_message);
    }
    if (t->relayed) {
        json_object_set_new(o, "relayed", json_true());
        item(ln, &first, "relayed");
    }
    pa_buf_puts(ln, "; ");
    frames_text(ln, t->frames, t->nframes, t->messages);
    if (t->mac)
        snprintf(df, sizeof df, "dhcp.id == 0x%08x && dhcp.hw.mac_addr == %s", t->xid, client);
    else
        snprintf(df, sizeof df, "dhcp.id == 0x%08x", t->xid);
    json_object_set_new(o, "display_filter", json_string(df));
    pa_buf_printf(ln, "; filter %s\n", df);
    return o;
}

static json_t *v6_row(const pa_dhcpv6_stats *st, const pa_dhcpv6_tx *t, pa_buf *ln) {
    char duid[2 * PA_DHCPV6_DUID + 1], a[64], df[160];
    hex_str(t->duid, t->duid_len, duid, sizeof duid);
    pa_dhcpv6_outcome oc = pa_dhcpv6_tx_outcome(t);
    json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:o}", "protocol", "dhcpv6", "client", duid[0] ? duid : "(no DUID)",
                          "outcome", pa_dhcpv6_outcome_name(oc), "messages", (json_int_t)t->messages, "frames",
                          frames_json(t->frames, t->nframes));
    pa_buf_printf(ln, "  [%s] dhcpv6 DUID %s", pa_dhcpv6_outcome_name(oc), duid[0] ? duid : "(no DUID)");
    if (t->client.family) {
        pa_addr_str(&t->client, a, sizeof a);
        json_object_set_new(o, "client_address", json_string(a));
        pa_buf_printf(ln, " from %s", a);
    }
    size_t o_df = (size_t)snprintf(df, sizeof df, "dhcpv6.xid in {");
    json_t *ids = json_array();
    pa_buf_puts(ln, " xid");
    for (uint8_t i = 0; i < t->nxids; i++) {
        snprintf(a, sizeof a, "0x%06x", t->xids[i]);
        json_array_append_new(ids, json_string(a));
        pa_buf_printf(ln, "%s%s", i ? "," : " ", a);
        if (o_df < sizeof df) o_df += (size_t)snprintf(df + o_df, sizeof df - o_df, "%s%s", i ? " " : "", a);
    }
    if (o_df < sizeof df) snprintf(df + o_df, sizeof df - o_df, "}");
    if (t->nxids) json_object_set_new(o, "transaction_id", json_string(json_string_value(json_array_get(ids, 0))));
    json_object_set_new(o, "transaction_ids", ids);
    pa_buf_puts(ln, ":");
    bool first = true;
    if (oc == PA_DHCPV6_UNANSWERED) item(ln, &first, "no answer");
    if (t->has_addr) {
        ip6_str(t->addr, a, sizeof a);
        json_object_set_new(o, "address", json_string(a));
        json_object_set_new(o, "lease_s", json_integer(t->valid));
        json_object_set_new(o, "preferred_lifetime_s", json_integer(t->preferred));
        item(ln, &first, "address %s, valid %u s, preferred %u s", a, t->valid, t->preferred);
    }
    if (t->has_prefix) {
        ip6_str(t->prefix, a, sizeof a);
        char p[80];
        snprintf(p, sizeof p, "%s/%u", a, t->prefix_len);
        json_object_set_new(o, "delegated_prefix", json_string(p));
        item(ln, &first, "prefix %s valid %u s", p, t->prefix_valid);
        if (!t->has_addr) json_object_set_new(o, "lease_s", json_integer(t->prefix_valid));
    }
    if (t->ndns) {
        json_t *d = json_array();
        item(ln, &first, "DNS");
        for (uint8_t i = 0; i < t->ndns; i++) {
            ip6_str(t->dns[i], a, sizeof a);
            json_array_append_new(d, json_string(a));
            pa_buf_printf(ln, "%s%s", i ? "," : " ", a);
        }
        json_object_set_new(o, "dns_servers", d);
    }
    if (t->nservers) {
        json_t *s = json_array();
        item(ln, &first, "%s", t->nservers > 1 ? "servers" : "server");
        for (uint8_t i = 0; i < t->nservers; i++) {
            if (!t->servers[i]) continue; /* a server beyond the table's cap */
            const pa_dhcpv6_server *sv = &st->servers[t->servers[i] - 1];
            pa_addr_str(&sv->addr, a, sizeof a);
            pa_buf_printf(ln, "%s%s", json_array_size(s) ? "," : " ", a);
            json_array_append_new(s, json_string(a));
        }
        json_object_set_new(o, "servers", s);
    }
    if (t->status) {
        const char *n = pa_dhcpv6_status_name(t->status);
        json_object_set_new(o, "status", json_integer(t->status));
        if (n) json_object_set_new(o, "status_name", json_string(n));
        item(ln, &first, "status %u (%s)", t->status, n ? n : "unknown");
        if (t->status_msg[0]) {
            json_object_set_new(o, "status_message", json_string(t->status_msg));
            pa_buf_printf(ln, " \"%s\"", t->status_msg);
        }
    }
    int64_t ans = pa_dhcpv6_tx_answer_ns(t), s_a = pa_dhcpv6_tx_time(t, PA_DHCPV6_SOLICIT, PA_DHCPV6_ADVERTISE),
            r_r = pa_dhcpv6_tx_time(t, PA_DHCPV6_REQUEST, PA_DHCPV6_REPLY);
    time_item(o, ln, &first, "time_to_answer_ms", "answered in", ans);
    time_item(o, ln, &first, "solicit_to_advertise_ms", "Solicit->Advertise", s_a);
    time_item(o, ln, &first, "request_to_reply_ms", "Request->Reply", r_r);
    if (t->retransmits) {
        json_object_set_new(o, "retransmissions", json_integer((json_int_t)t->retransmits));
        item(ln, &first, "%llu retransmissions", (unsigned long long)t->retransmits);
    }
    if (t->relayed) {
        json_object_set_new(o, "relayed", json_true());
        item(ln, &first, "relayed");
    }
    pa_buf_puts(ln, "; ");
    frames_text(ln, t->frames, t->nframes, t->messages);
    if (t->nxids) {
        json_object_set_new(o, "display_filter", json_string(df));
        pa_buf_printf(ln, "; filter %s", df);
    }
    pa_buf_puts(ln, "\n");
    return o;
}

/* Message counts by type name, into obj and the text. */
static json_t *type_counts(pa_buf *t, const char *proto, const uint64_t *types, unsigned ntypes, uint64_t total,
                           const char *(*name)(unsigned)) {
    json_t *o = json_object();
    pa_buf_printf(t, "%s: %llu messages", proto, (unsigned long long)total);
    for (unsigned i = 0; i < ntypes; i++) {
        if (!types[i]) continue;
        char other[32];
        const char *n = i ? name(i) : "BOOTP (no type)";
        if (!strcmp(n, "Other") || !strcmp(n, "Unknown")) {
            snprintf(other, sizeof other, "type %u", i);
            n = other;
        }
        pa_buf_printf(t, "%s%s %llu", json_object_size(o) ? ", " : " (", n, (unsigned long long)types[i]);
        json_object_set_new(o, n, json_integer((json_int_t)types[i]));
    }
    pa_buf_puts(t, json_object_size(o) ? ").\n" : ".\n");
    return o;
}

static const char *v6_type_name(unsigned t) { return pa_dhcpv6_type_name(t); }
static const char *v4_type_name(unsigned t) { return pa_dhcp_type_name(t); }

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    const pa_dhcp_stats *d4 = &m->dhcp;
    const pa_dhcpv6_stats *d6 = &m->dhcpv6;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    size_t lim = pa_arg_limit(args), offset = pa_arg_offset(args);
    pa_text_capture_header(t, &l);
    pa_text_packet_note(t);

    size_t n = (size_t)d4->ntx + d6->ntx;
    crow *rows = malloc((n ? n : 1) * sizeof *rows);
    int64_t *times = malloc((n ? n : 1) * sizeof *times);
    size_t nrows = 0, ntimes = 0;
    uint64_t outcomes[PA_DHCP_OUTCOMES] = {0};
    for (uint32_t i = 0; rows && i < d4->ntx; i++) {
        const pa_dhcp_tx *x = &d4->tx[i];
        int r = (int)pa_dhcp_tx_outcome(x);
        rows[nrows++] = (crow){x, NULL, r, pa_dhcp_tx_answer_ns(x), x->nframes ? x->frames[0] : 0};
        outcomes[r]++;
    }
    for (uint32_t i = 0; rows && i < d6->ntx; i++) {
        const pa_dhcpv6_tx *x = &d6->tx[i];
        int r = (int)pa_dhcpv6_tx_outcome(x);
        rows[nrows++] = (crow){NULL, x, r, pa_dhcpv6_tx_answer_ns(x), x->nframes ? x->frames[0] : 0};
        outcomes[r]++;
    }
    for (size_t i = 0; times && i < nrows; i++)
        if (rows[i].answer >= 0) times[ntimes++] = rows[i].answer;
    if (rows) qsort(rows, nrows, sizeof *rows, crow_cmp);

    json_t *types4 = type_counts(t, "DHCP", d4->types, PA_DHCP_TYPES, d4->messages, v4_type_name);
    json_t *types6 = type_counts(t, "DHCPv6", d6->types, PA_DHCPV6_TYPES, d6->messages, v6_type_name);
    /* outcome names: DHCP's, with DHCPv6's beside where they differ */
    static const char *const okey[PA_DHCP_OUTCOMES] = {"refused",  "declined", "unanswered", "offered_not_requested",
                                                       "answered", "released", "other"};
    static const char *const otext[PA_DHCP_OUTCOMES] = {"refused (NAK or DHCPv6 error status)",
                                                        "declined",
                                                        "unanswered",
                                                        "offered/advertised but never requested",
                                                        "answered (ACK or Reply)",
                                                        "released",
                                                        "other"};
    json_t *oc = json_object();
    pa_buf_printf(t, "Clients: %zu transactions (DHCP %u, DHCPv6 %u)", nrows, d4->ntx, d6->ntx);
    for (int i = 0; i < PA_DHCP_OUTCOMES; i++) {
        json_object_set_new(oc, okey[i], json_integer((json_int_t)outcomes[i]));
        if (outcomes[i]) pa_buf_printf(t, ", %llu %s", (unsigned long long)outcomes[i], otext[i]);
    }
    pa_buf_puts(t, ".\n");
    pa_ns_summary sum;
    json_t *tt = pa_ns_summary_json(times, ntimes, &sum);
    if (ntimes)
        pa_buf_printf(t,
                      "Time to answer (Discover, else Request or Inform, to the ACK or NAK; Solicit, else the "
                      "first client message, to the Reply): %zu samples, min %.3f ms, median %.3f ms, max %.3f "
                      "ms.\n",
                      ntimes, sum.min_ms, sum.p50_ms, sum.max_ms);
    free(times);
    uint64_t multi = d4->multi_server_tx + d6->multi_server_tx;
    /* a server is listed when it offered, acknowledged, refused, advertised or replied */
    uint32_t nsv4 = d4->nservers, nsv6 = d6->nservers;
    bool more = nsv4 > 1 || nsv6 > 1 || multi > 0;
    pa_buf_printf(t, "Servers: %u DHCP and %u DHCPv6 servers answered", nsv4, nsv6);
    if (more)
        pa_buf_printf(t,
                      "; MORE THAN ONE SERVER ANSWERED (%llu transactions got answers from more than one server): "
                      "check that each server is authorised (a rogue DHCP server answers too)",
                      (unsigned long long)multi);
    pa_buf_puts(t, ".\n");
    if (d4->malformed || d6->malformed)
        pa_buf_printf(t, "Malformed: %llu DHCP, %llu DHCPv6 messages.\n", (unsigned long long)d4->malformed,
                      (unsigned long long)d6->malformed);
    if (d4->tx_dropped || d6->tx_dropped)
        pa_buf_printf(t, "Only %d transactions per protocol are listed; %llu messages of more were counted.\n",
                      PA_DHCP_MAX_TX, (unsigned long long)(d4->tx_dropped + d6->tx_dropped));
    if (!d4->messages && !d6->messages) pa_buf_puts(t, "No DHCP or DHCPv6 in this capture.\n");
    res->structured =
        json_pack("{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:I}, s:{s:o, s:o}, s:o, s:o}", "capture",
                  pa_capture_json(&l), "totals", "dhcp_messages", (json_int_t)d4->messages, "dhcpv6_messages",
                  (json_int_t)d6->messages, "malformed", (json_int_t)(d4->malformed + d6->malformed), "relayed",
                  (json_int_t)(d4->relayed + d6->relayed), "transactions", (json_int_t)nrows, "dhcp_servers",
                  (json_int_t)nsv4, "dhcpv6_servers", (json_int_t)nsv6, "multi_server_transactions", (json_int_t)multi,
                  "dhcpv6_replies_without_request", (json_int_t)d6->replies_unmatched, "more_than_one_server", more,
                  "not_listed", (json_int_t)(d4->tx_dropped + d6->tx_dropped), "message_types", "dhcp", types4,
                  "dhcpv6", types6, "outcomes", oc, "time_to_answer", tt);

    /* servers: DHCP's then DHCPv6's, in the order first seen (not paged: at most limit) */
    size_t nsv = (size_t)d4->nservers + d6->nservers;
    pa_rows sl;
    pa_rows_begin(&sl, &rep, "servers", 0, lim, nsv, false);
    for (size_t i = 0; i < nsv && i < lim; i++) {
        pa_buf *ln = pa_rows_line(&sl);
        if (!i) pa_buf_printf(ln, "Servers (%zu of %zu, in the order first seen):\n", nsv < lim ? nsv : lim, nsv);
        json_t *o;
        char a[64];
        if (i < d4->nservers) {
            const pa_dhcp_server *s = &d4->servers[i];
            ip4_str(s->id, a, sizeof a);
            o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:i, s:I}", "protocol", "dhcp", "server", a, "offers",
                          (json_int_t)s->offers, "acks", (json_int_t)s->acks, "naks", (json_int_t)s->naks,
                          "transactions", s->transactions, "first_frame", (json_int_t)s->first_frame);
            pa_buf_printf(ln, "  dhcp %s: %llu Offer, %llu ACK, %llu NAK over %u transactions; first frame %llu\n", a,
                          (unsigned long long)s->offers, (unsigned long long)s->acks, (unsigned long long)s->naks,
                          s->transactions, (unsigned long long)s->first_frame);
        } else {
            const pa_dhcpv6_server *s = &d6->servers[i - d4->nservers];
            char duid[2 * PA_DHCPV6_DUID + 1];
            pa_addr_str(&s->addr, a, sizeof a);
            hex_str(s->duid, s->duid_len, duid, sizeof duid);
            o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:i, s:I}", "protocol", "dhcpv6", "server", a, "advertises",
                          (json_int_t)s->advertises, "replies", (json_int_t)s->replies, "error_statuses",
                          (json_int_t)s->errors, "transactions", s->transactions, "first_frame",
                          (json_int_t)s->first_frame);
            if (duid[0]) json_object_set_new(o, "duid", json_string(duid));
            pa_buf_printf(ln,
                          "  dhcpv6 %s (DUID %s): %llu Advertise, %llu Reply, %llu with an error status over %u "
                          "exchanges; first frame %llu\n",
                          a, duid[0] ? duid : "none", (unsigned long long)s->advertises, (unsigned long long)s->replies,
                          (unsigned long long)s->errors, s->transactions, (unsigned long long)s->first_frame);
        }
        if (!pa_rows_push(&sl, o)) break;
    }
    pa_rows_end(&sl, res->structured, "servers", NULL);

    /* clients: failures first, then slowest first (paged) */
    if (nrows && offset < nrows)
        pa_buf_printf(t,
                      "Clients %zu-%zu of %zu (failures first, then slowest answer first; outcome, client, "
                      "what it got, times, frames):\n",
                      offset + 1, offset + lim < nrows ? offset + lim : nrows, nrows);
    pa_rows cl;
    pa_rows_begin(&cl, &rep, "clients", offset, lim, nrows, true);
    for (size_t i = offset; rows && i < nrows && i - offset < lim; i++) {
        pa_buf *ln = pa_rows_line(&cl);
        json_t *o = rows[i].v4 ? v4_row(rows[i].v4, ln) : v6_row(d6, rows[i].v6, ln);
        if (!pa_rows_push(&cl, o)) break;
    }
    pa_rows_end(&cl, res->structured, "clients", "page");
    free(rows);
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

#define CLIENT_ROWS                                                                                                    \
    PA_S_ROWS("\"protocol\":{\"type\":\"string\",\"enum\":[\"dhcp\",\"dhcpv6\"]},"                                     \
              "\"client\":{\"type\":\"string\",\"description\":\"MAC (DHCP) or DUID in hex (DHCPv6)\"},"               \
              "\"client_address\":" PA_S_STR ",\"hostname\":" PA_S_STR                                                 \
              ",\"outcome\":{\"type\":\"string\",\"description\":\"nak, declined, unanswered, "                        \
              "offered-not-requested, acked, released, other (DHCP); status-error, declined, unanswered, "             \
              "advertised-not-requested, replied, released, other (DHCPv6)\"},"                                        \
              "\"transaction_id\":" PA_S_STR ",\"transaction_ids\":" PA_S_STRS ",\"address\":" PA_S_STR                \
              ",\"offered\":" PA_S_STR ",\"requested\":" PA_S_STR ",\"delegated_prefix\":" PA_S_STR                    \
              ",\"lease_s\":{\"type\":\"integer\",\"description\":\"lease time (DHCP option 51) or valid "             \
              "lifetime (DHCPv6)\"},\"preferred_lifetime_s\":" PA_S_INT ",\"subnet_mask\":" PA_S_STR                   \
              ",\"router\":" PA_S_STR ",\"dns_servers\":" PA_S_STRS ",\"servers\":" PA_S_STRS ",\"status\":" PA_S_INT  \
              ",\"status_name\":" PA_S_STR ",\"status_message\":" PA_S_STR ",\"nak_message\":" PA_S_STR                \
              ",\"time_to_answer_ms\":{\"type\":\"number\",\"description\":\"Discover (else Request, Inform) "         \
              "to ACK or NAK; Solicit (else the first client message) to Reply\"},"                                    \
              "\"discover_to_offer_ms\":" PA_S_NUM ",\"discover_to_ack_ms\":" PA_S_NUM                                 \
              ",\"request_to_ack_ms\":" PA_S_NUM ",\"solicit_to_advertise_ms\":" PA_S_NUM                              \
              ",\"request_to_reply_ms\":" PA_S_NUM ",\"retransmissions\":" PA_S_INT ",\"relayed\":" PA_S_BOOL          \
              ",\"messages\":" PA_S_INT ",\"frames\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"},"            \
              "\"description\":\"the first frames of the transaction\"},"                                              \
              "\"display_filter\":{\"type\":\"string\",\"description\":\"Wireshark filter for its messages\"}")

#define SERVER_ROWS                                                                                                    \
    PA_S_ROWS("\"protocol\":" PA_S_STR ",\"server\":{\"type\":\"string\",\"description\":\"server identifier "         \
              "(option 54, else the source address) or DHCPv6 source address\"},\"duid\":" PA_S_STR                    \
              ",\"offers\":" PA_S_INT ",\"acks\":" PA_S_INT ",\"naks\":" PA_S_INT ",\"advertises\":" PA_S_INT          \
              ",\"replies\":" PA_S_INT ",\"error_statuses\":" PA_S_INT ",\"transactions\":" PA_S_INT                   \
              ",\"first_frame\":" PA_S_INT)

const pa_tool_def pa_tool_analyze_dhcp_traffic = {
    .name = "analyze_dhcp_traffic",
    .title = "DHCP and DHCPv6",
    .description = "Who got which address (DHCP, DHCPv6), how fast, what failed (NAK, decline, unanswered), "
                   "and whether more than one server answered; failures first.",
    .input_schema = PA_TCP_TOOL_INPUT_PAGED(50),
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"message_types\",\"outcomes\","
        "\"time_to_answer\",\"servers\",\"clients\",\"page\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA
        ",\"totals\":" PA_S_OBJ(
            "\"dhcp_messages\":" PA_S_INT ",\"dhcpv6_messages\":" PA_S_INT ",\"malformed\":" PA_S_INT
            ",\"relayed\":" PA_S_INT ",\"transactions\":" PA_S_INT ",\"dhcp_servers\":" PA_S_INT
            ",\"dhcpv6_servers\":" PA_S_INT ",\"multi_server_transactions\":" PA_S_INT
            ",\"dhcpv6_replies_without_request\":" PA_S_INT
            ",\"more_than_one_server\":{\"type\":\"boolean\",\"description\":\"more than one "
            "server answered (in one transaction, or over the capture): a rogue server, or "
            "failover to check\"},\"not_listed\":" PA_S_INT) ",\"message_types\":" PA_S_OBJ("\"dhcp\":" PA_S_COUNTS
                                                                                            ",\"dhcpv6\":" PA_S_COUNTS) ",\"outcomes\":" PA_S_COUNTS
                                                                                                                        ",\"time_to_answer\":" PA_NS_SUMMARY_SCHEMA
                                                                                                                        ",\"servers\":" SERVER_ROWS
                                                                                                                        ",\"clients\":" CLIENT_ROWS
                                                                                                                        ",\"page\":" PA_PAGE_SCHEMA
                                                                                                                        "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run,
};
