/* analyze_network_topology: hosts, their MAC addresses and roles, likely
 * gateways, subnets and the busiest links, all derived from the model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_common.h"
#include "tool_landisc.h"
#include "tool_names.h"
#include "tool_report.h"
#include "tool_syslog.h"
#include "util_fmt.h"

#define MAX_SERVICES 6

typedef struct role {
    pa_addr addr; /* key */
    uint8_t pad[3];
    uint32_t initiated, accepted;
    uint16_t services[MAX_SERVICES]; /* ports it answered on */
    uint8_t nservices;
} role;

static void add_service(role *r, uint16_t port) {
    for (uint8_t i = 0; i < r->nservices; i++)
        if (r->services[i] == port) return;
    if (r->nservices < MAX_SERVICES) r->services[r->nservices++] = port;
}

static role *role_of(pa_htab *h, uint8_t ver, const uint8_t *b) {
    role key;
    memset(&key, 0, sizeof key);
    key.addr.family = ver;
    memcpy(key.addr.b, b, 16);
    bool created;
    return pa_htab_upsert(h, &key, &created);
}

/* Who opened each conversation: the SYN sender for TCP (when the handshake
 * was seen), the first sender otherwise. */
static void compute_roles(const pa_model *m, pa_htab *roles) {
    const pa_flow **fl;
    size_t n = pa_model_flows(m, -1, &fl);
    for (size_t i = 0; i < n; i++) {
        const pa_flow *f = fl[i];
        if (f->key.ipproto != 6 && f->key.ipproto != 17) continue;
        /* The first sender opened the exchange; for TCP a server is only a
         * server when it answered the SYN with its own SYN (a RST refuses). */
        bool client_is_a = f->a_first;
        uint16_t cf = client_is_a ? f->flags_a : f->flags_b, sf = client_is_a ? f->flags_b : f->flags_a;
        bool answered = true;
        if (f->key.ipproto == 6) {
            if (!(cf & PA_TCP_SYN)) continue; /* handshake not captured: roles unknown */
            answered = (sf & PA_TCP_SYN) != 0;
        }
        pa_htab_reserve(roles, 2); /* c stays valid while s is inserted */
        role *c = role_of(roles, f->key.ver, client_is_a ? f->key.a : f->key.b);
        role *s = role_of(roles, f->key.ver, client_is_a ? f->key.b : f->key.a);
        if (c) c->initiated++;
        if (s && answered) {
            s->accepted++;
            add_service(s, client_is_a ? f->key.port_b : f->key.port_a);
        }
    }
    free(fl);
}

/* Hop count from the TTL a host's packets arrive with: senders start at
 * 64, 128 or 255 (the common defaults). */
static int hops_from_ttl(uint8_t ttl) {
    int init = ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
    return init - ttl;
}

static bool is_unicast_host(const pa_addr *a) {
    if (a->family == 4)
        return !(a->b[0] >= 224) && !(a->b[0] == 0) &&
               !(a->b[0] == 255 && a->b[1] == 255 && a->b[2] == 255 && a->b[3] == 255);
    if (a->family == 6) return a->b[0] != 0xff && !(memcmp(a->b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 15) == 0);
    return false;
}

typedef struct mac_group {
    uint8_t mac[6]; /* key */
    uint8_t pad[2];
    uint32_t ips, remote_ips; /* addresses sent from this MAC; of those, more than 0 hops away */
    uint64_t bytes;
} mac_group;

typedef struct subnet {
    uint8_t ver, plen;
    uint8_t pad[2];
    uint8_t prefix[16]; /* key: ver, plen, prefix */
    uint32_t hosts;
    uint64_t bytes;
} subnet;

/* A host's traffic counts a packet it sent to itself once. */
static uint64_t ep_once(const pa_endpoint *e) { return e->tx_bytes + e->rx_bytes - e->self_bytes; }

static int ep_cmp(const void *x, const void *y) {
    const pa_endpoint *a = *(const pa_endpoint *const *)x, *b = *(const pa_endpoint *const *)y;
    uint64_t ta = ep_once(a), tb = ep_once(b);
    if (ta != tb) return ta < tb ? 1 : -1;
    return a < b ? -1 : a > b; /* records sit in insertion order: first seen first */
}

static int conv_cmp(const void *x, const void *y) {
    const pa_ip_conv *a = *(const pa_ip_conv *const *)x, *b = *(const pa_ip_conv *const *)y;
    uint64_t ta = a->bytes_ab + a->bytes_ba, tb = b->bytes_ab + b->bytes_ba;
    if (ta != tb) return ta < tb ? 1 : -1;
    return a < b ? -1 : a > b;
}

static int subnet_cmp(const void *x, const void *y) {
    const subnet *a = *(const subnet *const *)x, *b = *(const subnet *const *)y;
    if (a->hosts != b->hosts) return a->hosts < b->hosts ? 1 : -1;
    if (a->bytes != b->bytes) return a->bytes < b->bytes ? 1 : -1;
    return memcmp(a, b, 20);
}

static int gw_cmp(const void *x, const void *y) {
    const mac_group *a = *(const mac_group *const *)x, *b = *(const mac_group *const *)y;
    if (a->bytes != b->bytes) return a->bytes < b->bytes ? 1 : -1;
    return memcmp(a->mac, b->mac, 6);
}

static void host_row(pa_rows *rows, const pa_model *m, const pa_endpoint *e, const role *r) {
    uint32_t ini = r ? r->initiated : 0, acc = r ? r->accepted : 0;
    const char *rl = ini && acc ? "client+server" : acc ? "server" : ini ? "client" : "unknown";
    json_t *svc = json_array();
    for (uint8_t k = 0; r && k < r->nservices; k++) json_array_append_new(svc, json_integer(r->services[k]));
    json_t *macl = json_array();
    if (e->mac_count) json_array_append_new(macl, pa_json_mac(e->mac));
    for (int k = 0; k + 1 < e->mac_count && k < 3; k++) json_array_append_new(macl, pa_json_mac(e->macs_extra[k]));
    json_t *h =
        json_pack("{s:o, s:o, s:s, s:I, s:I, s:o, s:I, s:I, s:I, s:I}", "address", pa_json_addr(&e->addr), "macs", macl,
                  "role", rl, "connections_initiated", (json_int_t)ini, "connections_accepted", (json_int_t)acc,
                  "services", svc, "peers", (json_int_t)e->peers, "bytes", (json_int_t)ep_once(e), "bytes_sent",
                  (json_int_t)e->tx_bytes, "bytes_received", (json_int_t)e->rx_bytes);
    if (e->self_bytes) json_object_set_new(h, "self_bytes", json_integer((json_int_t)e->self_bytes));
    if (e->tx_pkts) {
        json_object_set_new(h, "ttl_min", json_integer(e->ttl_min));
        json_object_set_new(h, "ttl_max", json_integer(e->ttl_max));
        json_object_set_new(h, "hops_away", json_integer(hops_from_ttl(e->ttl_max)));
    }
    char as[64], ms[24], sz[32];
    pa_addr_str(&e->addr, as, sizeof as);
    pa_fmt_bytes(sz, sizeof sz, ep_once(e));
    pa_buf *ln = pa_rows_line(rows);
    pa_buf_printf(ln, "  %s %s %s (sent %llu, received %llu bytes", as, rl, sz, (unsigned long long)e->tx_bytes,
                  (unsigned long long)e->rx_bytes);
    if (e->self_bytes) pa_buf_printf(ln, ", %llu to itself", (unsigned long long)e->self_bytes);
    pa_buf_printf(ln, "), %u peers", e->peers);
    if (ini || acc) pa_buf_printf(ln, ", opened %u, accepted %u", ini, acc);
    if (e->tx_pkts) pa_buf_printf(ln, ", ttl %u (%d hops)", e->ttl_max, hops_from_ttl(e->ttl_max));
    if (r && r->nservices) {
        pa_buf_puts(ln, ", serves");
        for (uint8_t k = 0; k < r->nservices; k++) pa_buf_printf(ln, "%s%u", k ? "," : " ", r->services[k]);
    }
    if (e->mac_count) {
        pa_mac_str(e->mac, ms, sizeof ms);
        pa_buf_printf(ln, ", MAC %s", ms);
        for (int k = 0; k + 1 < e->mac_count && k < 3; k++) {
            pa_mac_str(e->macs_extra[k], ms, sizeof ms);
            pa_buf_printf(ln, ",%s", ms);
        }
        if (e->mac_count > 4) pa_buf_printf(ln, " (%u MACs)", e->mac_count);
    }
    pa_buf_puts(ln, "\n");
    pa_names_host(m, &e->addr, h, ln);
    pa_rows_push(rows, h);
}

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    size_t lim = (size_t)json_integer_value(json_object_get(args, "limit"));
    size_t off = (size_t)json_integer_value(json_object_get(args, "offset"));
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    pa_text_capture_header(t, &l);

    pa_htab roles, macs, nets;
    if (pa_htab_init(&roles, sizeof(role), sizeof(pa_addr), PA_MAX_ENDPOINTS) ||
        pa_htab_init(&macs, sizeof(mac_group), 6, PA_MAX_ETH_ENDPOINTS) ||
        pa_htab_init(&nets, sizeof(subnet), 20, 65536)) {
        pa_htab_free(&roles);
        pa_htab_free(&macs);
        pa_htab_free(&nets);
        pa_tool_unload(&l);
        pa_tool_fail(res, "out of memory");
        return;
    }
    compute_roles(m, &roles);

    size_t n = 0;
    const pa_endpoint **eps = malloc((m->endpoints.count ? m->endpoints.count : 1) * sizeof *eps);
    for (size_t i = 0; eps && i < m->endpoints.cap; i++) {
        if (!m->endpoints.used[i]) continue;
        const pa_endpoint *e = pa_htab_at(&m->endpoints, i);
        eps[n++] = e;
        bool created;
        if (e->mac_count && e->tx_pkts) {
            mac_group mk;
            memset(&mk, 0, sizeof mk);
            memcpy(mk.mac, e->mac, 6);
            mac_group *g = pa_htab_upsert(&macs, &mk, &created);
            if (g) {
                g->ips++;
                if (hops_from_ttl(e->ttl_max) > 0) g->remote_ips++;
                g->bytes += e->tx_bytes;
            }
        }
        if (is_unicast_host(&e->addr)) {
            subnet sk;
            memset(&sk, 0, sizeof sk);
            sk.ver = e->addr.family;
            sk.plen = e->addr.family == 4 ? 24 : 64;
            memcpy(sk.prefix, e->addr.b, e->addr.family == 4 ? 3 : 8);
            subnet *s = pa_htab_upsert(&nets, &sk, &created);
            if (s) {
                s->hosts++;
                s->bytes += ep_once(e);
            }
        }
    }
    if (eps) qsort(eps, n, sizeof *eps, ep_cmp);

    /* Gateways: one MAC fronting several IP addresses, at least one of
     * them more than a hop away, is a router on the capture link. */
    size_t ngw = 0;
    const mac_group **gv = malloc((macs.count ? macs.count : 1) * sizeof *gv);
    for (size_t i = 0; gv && i < macs.cap; i++) {
        if (!macs.used[i]) continue;
        const mac_group *g = pa_htab_at(&macs, i);
        if (g->ips >= 2 && g->remote_ips >= 1) gv[ngw++] = g;
    }
    if (gv) qsort(gv, ngw, sizeof *gv, gw_cmp);
    size_t ns = 0;
    const subnet **sv = malloc((nets.count ? nets.count : 1) * sizeof *sv);
    for (size_t i = 0; sv && i < nets.cap; i++)
        if (nets.used[i]) sv[ns++] = pa_htab_at(&nets, i);
    if (sv) qsort(sv, ns, sizeof *sv, subnet_cmp);
    size_t nc = 0;
    const pa_ip_conv **cv = malloc((m->ip_convs.count ? m->ip_convs.count : 1) * sizeof *cv);
    for (size_t i = 0; cv && i < m->ip_convs.cap; i++)
        if (m->ip_convs.used[i]) cv[nc++] = pa_htab_at(&m->ip_convs, i);
    if (cv) qsort(cv, nc, sizeof *cv, conv_cmp);

    pa_buf_printf(t,
                  "%zu IP hosts, %zu MAC addresses, %zu likely gateway%s, %zu subnets (/24 for "
                  "IPv4, /64 for IPv6), %zu host-to-host links.\n",
                  n, (size_t)m->eth_endpoints.count, ngw, ngw == 1 ? "" : "s", ns, nc);
    res->structured = json_pack("{s:o, s:I, s:I, s:I, s:I, s:I}", "capture", pa_capture_json(&l), "host_count",
                                (json_int_t)n, "mac_count", (json_int_t)m->eth_endpoints.count, "gateway_count",
                                (json_int_t)ngw, "subnet_count", (json_int_t)ns, "link_count", (json_int_t)nc);
    pa_names_summary(m, res->structured, t);
    pa_landisc_summary(m, res->structured, t);

    /* the secondary lists, with the first page of hosts only */
    size_t wgw = off        ? 0
                 : ngw < 10 ? ngw
                            : 10,
           wsn = off       ? 0
                 : ns < 20 ? ns
                           : 20,
           wln = off                   ? 0
                 : nc < lim && nc < 50 ? nc
                 : lim < 50            ? lim
                                       : 50;
    if (off) pa_buf_puts(t, "Gateways, subnets, links and local names are listed with offset 0.\n");
    pa_rows rows;
    if (wgw)
        pa_buf_printf(t, "Likely gateways (a MAC fronting several IP hosts, some routed hops away)%s:\n",
                      wgw < ngw ? ", the 10 sending most" : "");
    pa_rows_begin(&rows, &rep, "gateways", 0, wgw, ngw, false);
    for (size_t i = 0; i < wgw; i++) {
        char ms[24], sz[32];
        pa_mac_str(gv[i]->mac, ms, sizeof ms);
        pa_fmt_bytes(sz, sizeof sz, gv[i]->bytes);
        pa_buf_printf(pa_rows_line(&rows), "  %s fronts %u IP addresses, %u of them remote; sent %s\n", ms, gv[i]->ips,
                      gv[i]->remote_ips, sz);
        if (!pa_rows_push(&rows, json_pack("{s:o, s:I, s:I, s:I}", "mac", pa_json_mac(gv[i]->mac), "ip_addresses",
                                           (json_int_t)gv[i]->ips, "remote_addresses", (json_int_t)gv[i]->remote_ips,
                                           "bytes_sent", (json_int_t)gv[i]->bytes)))
            break;
    }
    pa_rows_end(&rows, res->structured, "gateways", NULL);

    if (wsn) pa_buf_printf(t, "Subnets by hosts%s:\n", wsn < ns ? ", the 20 largest" : "");
    pa_rows_begin(&rows, &rep, "subnets", 0, wsn, ns, false);
    for (size_t i = 0; i < wsn; i++) {
        pa_addr a = {sv[i]->ver, {0}};
        memcpy(a.b, sv[i]->prefix, 16);
        char as[64], cidr[72], sz[32];
        pa_addr_str(&a, as, sizeof as);
        snprintf(cidr, sizeof cidr, "%s/%u", as, sv[i]->plen);
        pa_fmt_bytes(sz, sizeof sz, sv[i]->bytes);
        pa_buf_printf(pa_rows_line(&rows), "  %s %u hosts %s\n", cidr, sv[i]->hosts, sz);
        if (!pa_rows_push(&rows, json_pack("{s:s, s:I, s:I}", "prefix", cidr, "hosts", (json_int_t)sv[i]->hosts,
                                           "bytes", (json_int_t)sv[i]->bytes)))
            break;
    }
    pa_rows_end(&rows, res->structured, "subnets", NULL);

    if (wln) pa_buf_printf(t, "Busiest links (IP pairs), %zu of %zu:\n", wln, nc);
    pa_rows_begin(&rows, &rep, "links", 0, wln, nc, false);
    for (size_t i = 0; i < wln; i++) {
        pa_addr a = {cv[i]->ver, {0}}, b = {cv[i]->ver, {0}};
        memcpy(a.b, cv[i]->a, 16);
        memcpy(b.b, cv[i]->b, 16);
        char as[64], bs[64], sz[32];
        pa_addr_str(&a, as, sizeof as);
        pa_addr_str(&b, bs, sizeof bs);
        pa_fmt_bytes(sz, sizeof sz, cv[i]->bytes_ab + cv[i]->bytes_ba);
        pa_buf_printf(pa_rows_line(&rows), "  %s <-> %s %llu pkts %s\n", as, bs,
                      (unsigned long long)(cv[i]->pkts_ab + cv[i]->pkts_ba), sz);
        if (!pa_rows_push(&rows, json_pack("{s:o, s:o, s:I, s:I}", "address_a", pa_json_addr(&a), "address_b",
                                           pa_json_addr(&b), "packets", (json_int_t)(cv[i]->pkts_ab + cv[i]->pkts_ba),
                                           "bytes", (json_int_t)(cv[i]->bytes_ab + cv[i]->bytes_ba))))
            break;
    }
    pa_rows_end(&rows, res->structured, "links", NULL);
    pa_names_lists(m, &rep, t, res->structured, off ? 0 : lim < 50 ? lim : 50);
    pa_landisc_lists(m, &rep, t, res->structured, off ? 0 : lim < 50 ? lim : 50);
    if (!off) pa_syslog_section(m, &rep, t, res->structured, lim < 50 ? lim : 50);

    /* the hosts, by bytes (paged) */
    if (off < n)
        pa_buf_puts(t, "Hosts by bytes (a packet to itself once): role, bytes, peers, connections opened and "
                       "accepted, TTL, ports served, MACs:\n");
    pa_rows_begin(&rows, &rep, "hosts", off, lim, n, true);
    for (size_t i = off; eps && i < n && i - off < lim && !rows.cut; i++)
        host_row(&rows, m, eps[i], pa_htab_find(&roles, &eps[i]->addr));
    pa_rows_end(&rows, res->structured, "hosts", "page");
    pa_report_finish(&rep);
    free(eps);
    free(gv);
    free(sv);
    free(cv);
    pa_htab_free(&roles);
    pa_htab_free(&macs);
    pa_htab_free(&nets);
    pa_tool_unload(&l);
}

const pa_tool_def pa_tool_analyze_network_topology = {
    .name = "analyze_network_topology",
    .title = "Network topology",
    .description = "Hosts with MACs, roles, ports and hop counts; gateways, subnets, busiest links.",
    .input_schema = "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE "," PA_ARG_BPF
                    "," PA_ARG_LIMIT(50, 1000) "," PA_ARG_OFFSET "},\"additionalProperties\":false}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"host_count\",\"page\",\"hosts\",\"gateways\",\"subnets\","
        "\"links\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"host_count\":" PA_S_INT
        ",\"mac_count\":" PA_S_INT ",\"gateway_count\":" PA_S_INT ",\"subnet_count\":" PA_S_INT
        ",\"link_count\":" PA_S_INT ",\"page\":" PA_PAGE_SCHEMA ",\"hosts\":" PA_S_ROWS(
            "\"address\":" PA_S_STR ",\"macs\":" PA_S_STRS ",\"role\":{\"type\":\"string\",\"enum\":[\"client\","
            "\"server\",\"client+server\",\"unknown\"]},\"connections_initiated\":" PA_S_INT
            ",\"connections_accepted\":" PA_S_INT ",\"services\":" PA_S_INTS ",\"peers\":" PA_S_INT
            ",\"bytes\":{\"type\":\"integer\",\"description\":\"sent and received, a packet to itself once\"},"
            "\"bytes_sent\":" PA_S_INT ",\"bytes_received\":" PA_S_INT ",\"self_bytes\":{\"type\":\"integer\","
            "\"description\":\"sent to itself; absent when none\"},\"ttl_min\":" PA_S_INT ",\"ttl_max\":" PA_S_INT
            ",\"hops_away\":" PA_S_INT "," PA_NAMES_HOST_SCHEMA ",\"names_more\":" PA_S_INT)
            PA_NAMES_SCHEMA PA_LANDISC_SCHEMA PA_SYSLOG_SCHEMA
    ",\"gateways\":{\"type\":\"array\",\"description\":\"with offset 0\","
    "\"items\":" PA_S_OBJ(
        "\"mac\":" PA_S_STR ",\"ip_addresses\":" PA_S_INT ",\"remote_addresses\":" PA_S_INT
        ",\"bytes_sent\":" PA_S_INT) "},\"subnets\":{\"type\":\"array\",\"description\":"
                                     "\"with offset 0\",\"items\":" PA_S_OBJ("\"prefix\":" PA_S_STR ",\"hosts\":" PA_S_INT ",\"bytes\":" PA_S_INT) "},\"links\":{\"type\":\"array\",\"description\":\"with offset 0\",\"items\":" PA_S_OBJ(
                                         "\"address_a\":" PA_S_STR ",\"address_b\":" PA_S_STR ",\"packets\":" PA_S_INT
                                         ",\"bytes\":" PA_S_INT) "}},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run,
};
