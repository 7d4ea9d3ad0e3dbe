/* analyze_network_topology: hosts, their MAC addresses and roles, likely
 * gateways, subnets and the busiest links, all derived from the model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_common.h"
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

static int ep_cmp(const void *x, const void *y) {
    const pa_endpoint *a = *(const pa_endpoint *const *)x, *b = *(const pa_endpoint *const *)y;
    uint64_t ta = a->tx_bytes + a->rx_bytes, tb = b->tx_bytes + b->rx_bytes;
    return ta < tb ? 1 : ta > tb ? -1 : 0;
}

static int conv_cmp(const void *x, const void *y) {
    const pa_ip_conv *a = *(const pa_ip_conv *const *)x, *b = *(const pa_ip_conv *const *)y;
    uint64_t ta = a->bytes_ab + a->bytes_ba, tb = b->bytes_ab + b->bytes_ba;
    return ta < tb ? 1 : ta > tb ? -1 : 0;
}

static int subnet_cmp(const void *x, const void *y) {
    const subnet *a = *(const subnet *const *)x, *b = *(const subnet *const *)y;
    return a->hosts < b->hosts ? 1 : a->hosts > b->hosts ? -1 : (a->bytes < b->bytes) - (a->bytes > b->bytes);
}

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    size_t lim = (size_t)json_integer_value(json_object_get(args, "limit"));
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    pa_text_capture_header(t, &l);

    pa_htab roles, macs, nets;
    if (pa_htab_init(&roles, sizeof(role), sizeof(pa_addr), PA_MAX_ENDPOINTS) ||
        pa_htab_init(&macs, sizeof(mac_group), 6, PA_MAX_ETH_ENDPOINTS) ||
        pa_htab_init(&nets, sizeof(subnet), 20, 65536)) {
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
                s->bytes += e->tx_bytes + e->rx_bytes;
            }
        }
    }
    if (eps) qsort(eps, n, sizeof *eps, ep_cmp);

    /* Gateways: one MAC fronting several IP addresses, at least one of
     * them more than a hop away, is a router on the capture link. */
    json_t *gws = json_array();
    size_t ngw = 0;
    for (size_t i = 0; i < macs.cap; i++) {
        if (!macs.used[i]) continue;
        const mac_group *g = pa_htab_at(&macs, i);
        if (g->ips < 2 || g->remote_ips < 1) continue;
        if (ngw++ < 10)
            json_array_append_new(gws, json_pack("{s:o, s:I, s:I, s:I}", "mac", pa_json_mac(g->mac),
                                                 "ip_addresses", (json_int_t)g->ips,
                                                 "remote_addresses", (json_int_t)g->remote_ips,
                                                 "bytes_sent", (json_int_t)g->bytes));
    }

    pa_buf_printf(t, "%zu IP hosts, %zu MAC addresses, %zu likely gateway%s.\n", n,
                  (size_t)m->eth_endpoints.count, ngw, ngw == 1 ? "" : "s");
    json_t *hosts = json_array();
    for (size_t i = 0; i < n && i < lim; i++) {
        const pa_endpoint *e = eps[i];
        const role *r = pa_htab_find(&roles, &e->addr);
        uint32_t ini = r ? r->initiated : 0, acc = r ? r->accepted : 0;
        const char *rl = ini && acc ? "client+server" : acc ? "server" : ini ? "client" : "unknown";
        json_t *svc = json_array();
        for (uint8_t k = 0; r && k < r->nservices; k++) json_array_append_new(svc, json_integer(r->services[k]));
        json_t *macl = json_array();
        if (e->mac_count) json_array_append_new(macl, pa_json_mac(e->mac));
        for (int k = 0; k + 1 < e->mac_count && k < 3; k++)
            json_array_append_new(macl, pa_json_mac(e->macs_extra[k]));
        json_t *h = json_pack("{s:o, s:o, s:s, s:I, s:I, s:o, s:I, s:I, s:I}", "address",
                              pa_json_addr(&e->addr), "macs", macl, "role", rl,
                              "connections_initiated", (json_int_t)ini, "connections_accepted",
                              (json_int_t)acc, "services", svc, "peers", (json_int_t)e->peers,
                              "bytes_sent", (json_int_t)e->tx_bytes, "bytes_received",
                              (json_int_t)e->rx_bytes);
        if (e->tx_pkts) {
            json_object_set_new(h, "ttl_min", json_integer(e->ttl_min));
            json_object_set_new(h, "ttl_max", json_integer(e->ttl_max));
            json_object_set_new(h, "hops_away", json_integer(hops_from_ttl(e->ttl_max)));
        }
        json_array_append_new(hosts, h);
        if (i < 25) {
            char as[64], ms[24] = "-", sz[32];
            pa_addr_str(&e->addr, as, sizeof as);
            if (e->mac_count) pa_mac_str(e->mac, ms, sizeof ms);
            pa_fmt_bytes(sz, sizeof sz, e->tx_bytes + e->rx_bytes);
            pa_buf_printf(t, "  %-39s %s  %-13s %s", as, ms, rl, sz);
            if (e->tx_pkts) pa_buf_printf(t, "  ttl %u (%d hops)", e->ttl_max, hops_from_ttl(e->ttl_max));
            if (r && r->nservices) {
                pa_buf_puts(t, "  serves");
                for (uint8_t k = 0; k < r->nservices; k++) pa_buf_printf(t, " %u", r->services[k]);
            }
            if (e->mac_count > 1) pa_buf_printf(t, "  (%u MACs)", e->mac_count);
            pa_buf_puts(t, "\n");
        }
    }
    free(eps);

    json_t *subnets = json_array();
    size_t ns = 0;
    const subnet **sv = malloc((nets.count ? nets.count : 1) * sizeof *sv);
    for (size_t i = 0; sv && i < nets.cap; i++)
        if (nets.used[i]) sv[ns++] = pa_htab_at(&nets, i);
    if (sv) qsort(sv, ns, sizeof *sv, subnet_cmp);
    pa_buf_printf(t, "%zu subnets (/24 for IPv4, /64 for IPv6):", ns);
    for (size_t i = 0; sv && i < ns && i < 20; i++) {
        pa_addr a = {sv[i]->ver, {0}};
        memcpy(a.b, sv[i]->prefix, 16);
        char as[64], cidr[72];
        pa_addr_str(&a, as, sizeof as);
        snprintf(cidr, sizeof cidr, "%s/%u", as, sv[i]->plen);
        json_array_append_new(subnets, json_pack("{s:s, s:I, s:I}", "prefix", cidr, "hosts",
                                                 (json_int_t)sv[i]->hosts, "bytes",
                                                 (json_int_t)sv[i]->bytes));
        pa_buf_printf(t, " %s (%u hosts)", cidr, sv[i]->hosts);
    }
    pa_buf_puts(t, "\n");
    free(sv);

    json_t *links = json_array();
    size_t nc = 0;
    const pa_ip_conv **cv = malloc((m->ip_convs.count ? m->ip_convs.count : 1) * sizeof *cv);
    for (size_t i = 0; cv && i < m->ip_convs.cap; i++)
        if (m->ip_convs.used[i]) cv[nc++] = pa_htab_at(&m->ip_convs, i);
    if (cv) qsort(cv, nc, sizeof *cv, conv_cmp);
    pa_buf_puts(t, "Busiest links:\n");
    for (size_t i = 0; cv && i < nc && i < lim && i < 50; i++) {
        pa_addr a = {cv[i]->ver, {0}}, b = {cv[i]->ver, {0}};
        memcpy(a.b, cv[i]->a, 16);
        memcpy(b.b, cv[i]->b, 16);
        json_array_append_new(links, json_pack("{s:o, s:o, s:I, s:I}", "address_a", pa_json_addr(&a),
                                               "address_b", pa_json_addr(&b), "packets",
                                               (json_int_t)(cv[i]->pkts_ab + cv[i]->pkts_ba), "bytes",
                                               (json_int_t)(cv[i]->bytes_ab + cv[i]->bytes_ba)));
        if (i < 10) {
            char as[64], bs[64], sz[32];
            pa_addr_str(&a, as, sizeof as);
            pa_addr_str(&b, bs, sizeof bs);
            pa_fmt_bytes(sz, sizeof sz, cv[i]->bytes_ab + cv[i]->bytes_ba);
            pa_buf_printf(t, "  %s <-> %s  %s\n", as, bs, sz);
        }
    }
    free(cv);
    if (ngw) pa_buf_printf(t, "Likely gateways: %zu MAC address(es) front several IP hosts that are routed hops away.\n", ngw);

    res->structured = json_pack("{s:o, s:I, s:I, s:o, s:o, s:o, s:o}", "capture", pa_capture_json(&l),
                                "host_count", (json_int_t)n, "mac_count",
                                (json_int_t)m->eth_endpoints.count, "hosts", hosts, "gateways", gws,
                                "subnets", subnets, "links", links);
    pa_htab_free(&roles);
    pa_htab_free(&macs);
    pa_htab_free(&nets);
    pa_tool_unload(&l);
}

const pa_tool_def pa_tool_analyze_network_topology = {
    .name = "analyze_network_topology",
    .title = "Network topology",
    .description =
        "Hosts with MACs, roles, ports and hop counts; gateways, subnets, busiest links.",
    .input_schema = "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{"
                    PA_ARG_PCAP_FILE "," PA_ARG_BPF "," PA_ARG_LIMIT(50, 1000)
                    "},\"additionalProperties\":false}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"host_count\",\"hosts\",\"gateways\","
        "\"subnets\",\"links\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ","
        "\"host_count\":{\"type\":\"integer\"},\"mac_count\":{\"type\":\"integer\"},"
        "\"hosts\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"address\","
        "\"role\"],\"properties\":{\"address\":{\"type\":\"string\"},\"macs\":{\"type\":\"array\","
        "\"items\":{\"type\":\"string\"}},\"role\":{\"type\":\"string\",\"enum\":[\"client\","
        "\"server\",\"client+server\",\"unknown\"]},\"connections_initiated\":{\"type\":"
        "\"integer\"},\"connections_accepted\":{\"type\":\"integer\"},\"services\":{\"type\":"
        "\"array\",\"items\":{\"type\":\"integer\"}},\"peers\":{\"type\":\"integer\"},"
        "\"bytes_sent\":{\"type\":\"integer\"},\"bytes_received\":{\"type\":\"integer\"},"
        "\"ttl_min\":{\"type\":\"integer\"},\"ttl_max\":{\"type\":\"integer\"},"
        "\"hops_away\":{\"type\":\"integer\"}},\"additionalProperties\":false}},"
        "\"gateways\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"
        "\"subnets\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"
        "\"links\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}}},"
        "\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run,
};
