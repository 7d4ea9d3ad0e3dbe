/* analyze_pcap_file: summary, protocol hierarchy, conversations, endpoints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "tool_common.h"
#include "tool_security.h"
#include "util_fmt.h"

static double secs(int64_t ns) { return (double)ns / 1e9; }

/* ---- summary ------------------------------------------------------------ */

typedef struct proto_total {
    uint8_t proto;
    uint64_t frames, bytes;
} proto_total;

static int by_bytes_desc(const void *x, const void *y) {
    const proto_total *a = x, *b = y;
    return a->bytes < b->bytes ? 1 : a->bytes > b->bytes ? -1 : a->proto - b->proto;
}

/* Frames and bytes per protocol name across the tree; a protocol nested in
 * itself (IP in IP) counts once per frame, at its outermost node. */
static size_t proto_totals(const pa_model *m, proto_total *out) {
    size_t n = 0;
    for (int i = 0; i < m->nnodes; i++) {
        const pa_proto_node *nd = &m->nodes[i];
        bool nested = false;
        for (int p = nd->parent; p >= 0; p = m->nodes[p].parent)
            if (m->nodes[p].proto == nd->proto) nested = true;
        if (nested) continue;
        size_t j = 0;
        while (j < n && out[j].proto != nd->proto) j++;
        if (j == n) out[n++] = (proto_total){nd->proto, 0, 0};
        out[j].frames += nd->frames;
        out[j].bytes += nd->bytes;
    }
    qsort(out, n, sizeof *out, by_bytes_desc);
    return n;
}

static int flow_bytes_desc(const void *x, const void *y) {
    const pa_flow *a = *(const pa_flow *const *)x, *b = *(const pa_flow *const *)y;
    uint64_t ta = a->bytes_a + a->bytes_b, tb = b->bytes_a + b->bytes_b;
    if (ta != tb) return ta < tb ? 1 : -1;
    if (a->stream != b->stream) return a->stream < b->stream ? -1 : 1;
    /* stream numbers are per protocol: then the one seen first */
    return a->first_frame < b->first_frame ? -1 : a->first_frame > b->first_frame;
}

static const char *flow_proto(const pa_flow *f) {
    switch (f->key.ipproto) {
    case 6: return "tcp";
    case 17: return "udp";
    case 132: return "sctp";
    case 1: return "icmp";
    case 58: return "icmpv6";
    default: return "ip";
    }
}

static json_t *flow_json(const pa_model *m, const pa_flow *f) {
    pa_addr a, b;
    uint16_t pa, pb;
    pa_flow_sides(f, &a, &pa, &b, &pb);
    bool af = f->a_first;
    const char *proto = flow_proto(f);
    json_t *o = json_pack(
        "{s:s, s:o, s:i, s:o, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:I}", "protocol", proto,
        "address_a", pa_json_addr(&a), "port_a", pa, "address_b", pa_json_addr(&b), "port_b", pb,
        "packets_a_to_b", (json_int_t)(af ? f->pkts_a : f->pkts_b), "bytes_a_to_b",
        (json_int_t)(af ? f->bytes_a : f->bytes_b), "packets_b_to_a",
        (json_int_t)(af ? f->pkts_b : f->pkts_a), "bytes_b_to_a",
        (json_int_t)(af ? f->bytes_b : f->bytes_a), "packets", (json_int_t)(f->pkts_a + f->pkts_b),
        "bytes", (json_int_t)(f->bytes_a + f->bytes_b), "start_s", secs(f->first_ts - m->first_ts),
        "duration_s", secs(f->last_ts - f->first_ts), "stream", (json_int_t)f->stream);
    if (f->app != PA_P_NONE) json_object_set_new(o, "application", json_string(pa_proto_name(f->app)));
    /* Zeek's view, to cross-check with conn.log */
    json_object_set_new(o, "conn_state",
                        json_string(pa_conn_state(&f->zeek, f->key.ipproto == 6    ? PA_P_TCP
                                                            : f->key.ipproto == 17 ? PA_P_UDP
                                                                                   : PA_P_NONE)));
    json_object_set_new(o, "history", json_string(f->zeek.history));
    json_object_set_new(o, "originator_is_a", json_boolean(f->zeek.orig_is_a == f->a_first));
    if (f->key.vlan) json_object_set_new(o, "vlan", json_integer(f->key.vlan));
    return o;
}

static void flow_text(pa_buf *b, const pa_model *m, const pa_flow *f) {
    pa_addr a, bb;
    uint16_t pa, pb;
    pa_flow_sides(f, &a, &pa, &bb, &pb);
    char as[64], bs[64], sz[32];
    pa_addr_str(&a, as, sizeof as);
    pa_addr_str(&bb, bs, sizeof bs);
    pa_fmt_bytes(sz, sizeof sz, f->bytes_a + f->bytes_b);
    bool ports = f->key.ipproto == 6 || f->key.ipproto == 17 || f->key.ipproto == 132;
    char ap[8] = "", bp[8] = "";
    if (ports) {
        snprintf(ap, sizeof ap, ":%u", pa);
        snprintf(bp, sizeof bp, ":%u", pb);
    }
    pa_buf_printf(b, "  %s %s%s%s%s <-> %s%s%s%s  %llu pkts, %s, %.3f s%s%s\n", flow_proto(f),
                  a.family == 6 && ports ? "[" : "", as, a.family == 6 && ports ? "]" : "", ap,
                  bb.family == 6 && ports ? "[" : "", bs, bb.family == 6 && ports ? "]" : "", bp,
                  (unsigned long long)(f->pkts_a + f->pkts_b), sz, secs(f->last_ts - f->first_ts),
                  f->app != PA_P_NONE ? "  " : "", f->app != PA_P_NONE ? pa_proto_name(f->app) : "");
    (void)m;
}

static json_t *anomalies_json(const pa_model *m, pa_buf *text) {
    json_t *arr = json_array();
    for (int a = 0; a < PA_A_COUNT; a++) {
        if (!m->anom_count[a]) continue;
        json_t *frames = json_array();
        for (uint64_t i = 0; i < m->anom_count[a] && i < PA_ANOM_FIRST_FRAMES; i++)
            if (m->anom_frames[a][i]) json_array_append_new(frames, json_integer((json_int_t)m->anom_frames[a][i]));
        json_array_append_new(arr, json_pack("{s:s, s:s, s:I, s:o}", "name", pa_anom_name((pa_anom)a),
                                             "description", pa_anom_desc((pa_anom)a), "count",
                                             (json_int_t)m->anom_count[a], "first_frames", frames));
        if (text)
            pa_buf_printf(text, "  %s: %llu (%s)\n", pa_anom_name((pa_anom)a),
                          (unsigned long long)m->anom_count[a], pa_anom_desc((pa_anom)a));
    }
    return arr;
}

static json_t *summary(const pa_loaded *l, pa_buf *t) {
    const pa_model *m = l->m;
    double dur = secs(m->last_ts - m->first_ts);
    char first[48] = "", last[48] = "", rate[32];
    if (m->packets) {
        pa_fmt_time(first, sizeof first, m->first_ts);
        pa_fmt_time(last, sizeof last, m->last_ts);
    }
    double bps = dur > 0 ? (double)m->wire_bytes * 8 / dur : 0;
    json_t *lts = json_array();
    for (int i = 0; i < m->nlinktypes; i++)
        json_array_append_new(lts, json_pack("{s:i, s:s, s:b, s:I}", "linktype", m->linktypes[i].linktype,
                                             "name", pa_linktype_name(m->linktypes[i].linktype),
                                             "decoded", pa_decode_linktype_supported(m->linktypes[i].linktype),
                                             "frames", (json_int_t)m->linktypes[i].frames));
    json_t *s = json_pack(
        "{s:s, s:I, s:o, s:I, s:I, s:I, s:I, s:s?, s:s?, s:f, s:f, s:f, s:f, s:f, s:I, s:I, s:I}",
        "format", m->format, "file_size", (json_int_t)m->file_size, "link_types", lts, "snaplen",
        (json_int_t)m->snaplen, "packets", (json_int_t)m->packets, "bytes",
        (json_int_t)m->wire_bytes, "captured_bytes", (json_int_t)m->cap_bytes, "first_time",
        m->packets ? first : NULL, "last_time", m->packets ? last : NULL, "duration_s", dur,
        "avg_packet_size", m->packets ? (double)m->wire_bytes / (double)m->packets : 0.0,
        "avg_packets_per_s", dur > 0 ? (double)m->packets / dur : 0.0, "avg_bytes_per_s",
        dur > 0 ? (double)m->wire_bytes / dur : 0.0, "avg_bits_per_s", bps, "truncated_frames",
        (json_int_t)m->truncated_frames, "unsupported_link_frames",
        (json_int_t)m->unsupported_link_frames, "time_backwards_frames",
        (json_int_t)m->time_backwards);
    pa_fmt_rate(rate, sizeof rate, bps);
    pa_buf_printf(t, "Format %s; link type%s:", m->format, m->nlinktypes == 1 ? "" : "s");
    for (int i = 0; i < m->nlinktypes; i++)
        pa_buf_printf(t, " %s (%llu frames)", pa_linktype_name(m->linktypes[i].linktype),
                      (unsigned long long)m->linktypes[i].frames);
    pa_buf_printf(t, "; snaplen %u.\n", m->snaplen);
    if (m->packets)
        pa_buf_printf(t, "From %s to %s; average %s, %.1f packets/s, %.0f bytes/packet.\n", first,
                      last, rate, dur > 0 ? (double)m->packets / dur : 0.0,
                      (double)m->wire_bytes / (double)m->packets);
    if (m->truncated_frames)
        pa_buf_printf(t, "%llu frames were cut short by the snaplen.\n",
                      (unsigned long long)m->truncated_frames);
    return s;
}

static json_t *flows_info(const pa_model *m) {
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:b}", "tcp", (json_int_t)m->flow_count[6], "udp",
                     (json_int_t)m->flow_count[17], "total",
                     (json_int_t)(m->flows.count + m->flows_retired), "retired",
                     (json_int_t)m->flows_retired, "untracked_packets",
                     (json_int_t)m->flows_untracked_pkts, "cap_reached",
                     m->flows_dropped > 0 || m->flows_untracked_pkts > 0);
}

static void do_summary(const pa_loaded *l, json_t *out, pa_buf *t) {
    const pa_model *m = l->m;
    json_object_set_new(out, "summary", summary(l, t));
    proto_total pt[PA_MAX_PROTO_NODES];
    size_t np = proto_totals(m, pt);
    json_t *tops = json_array();
    pa_buf_puts(t, "Top protocols by bytes:");
    for (size_t i = 0; i < np && i < 12; i++) {
        json_array_append_new(tops, json_pack("{s:s, s:I, s:I}", "protocol",
                                              pa_proto_name(pt[i].proto), "frames",
                                              (json_int_t)pt[i].frames, "bytes",
                                              (json_int_t)pt[i].bytes));
        pa_buf_printf(t, "%s %s %.1f%%", i ? "," : "", pa_proto_name(pt[i].proto),
                      m->wire_bytes ? 100.0 * (double)pt[i].bytes / (double)m->wire_bytes : 0.0);
    }
    pa_buf_puts(t, "\n");
    json_object_set_new(out, "top_protocols", tops);
    const pa_flow **fl;
    size_t nf = pa_model_flows(m, -1, &fl);
    size_t ntop = pa_flows_top(fl, nf, 5, flow_bytes_desc); /* no need to sort every flow */
    json_t *tc = json_array();
    pa_buf_printf(t, "%llu TCP and %llu UDP conversations; largest:\n",
                  (unsigned long long)m->flow_count[6], (unsigned long long)m->flow_count[17]);
    for (size_t i = 0; i < ntop; i++) {
        json_array_append_new(tc, flow_json(m, fl[i]));
        flow_text(t, m, fl[i]);
    }
    free(fl);
    json_object_set_new(out, "top_conversations", tc);
    json_object_set_new(out, "flows", flows_info(m));
    size_t before = t->len;
    pa_buf_puts(t, "Anomalies:\n");
    json_t *an = anomalies_json(m, t);
    if (json_array_size(an) == 0) {
        t->len = before;
        t->data[before] = '\0';
        pa_buf_puts(t, "No decoding anomalies.\n");
    }
    json_object_set_new(out, "anomalies", an);
}

/* ---- protocol hierarchy --------------------------------------------------- */

static void tree_walk(const pa_model *m, int parent, json_t *arr, pa_buf *t) {
    for (int i = 0; i < m->nnodes; i++) {
        const pa_proto_node *n = &m->nodes[i];
        if (n->parent != parent) continue;
        json_array_append_new(
            arr, json_pack("{s:s, s:i, s:I, s:I, s:f, s:f}", "protocol", pa_proto_name(n->proto),
                           "depth", n->depth, "frames", (json_int_t)n->frames, "bytes",
                           (json_int_t)n->bytes, "frames_pct",
                           m->packets ? 100.0 * (double)n->frames / (double)m->packets : 0.0,
                           "bytes_pct",
                           m->wire_bytes ? 100.0 * (double)n->bytes / (double)m->wire_bytes : 0.0));
        pa_buf_printf(t, "%*s%-*s frames:%llu bytes:%llu\n", 2 * n->depth, "", 40 - 2 * n->depth,
                      pa_proto_name(n->proto), (unsigned long long)n->frames,
                      (unsigned long long)n->bytes);
        tree_walk(m, i, arr, t);
    }
}

static void do_protocols(const pa_loaded *l, json_t *out, pa_buf *t) {
    json_t *arr = json_array();
    pa_buf_puts(t, "Protocol hierarchy (frames and bytes per protocol path, like tshark -z io,phs):\n");
    /* Depth is bounded by PA_MAX_LAYERS, so the recursion is too. */
    tree_walk(l->m, -1, arr, t);
    json_object_set_new(out, "protocols", arr);
    if (l->m->proto_nodes_dropped)
        pa_buf_printf(t, "(%llu frames had protocol paths beyond the %d-node cap)\n",
                      (unsigned long long)l->m->proto_nodes_dropped, PA_MAX_PROTO_NODES);
}

/* ---- conversations and endpoints --------------------------------------------- */

typedef struct sortable {
    const void *rec;
    uint64_t key;
} sortable;

static int sortable_desc(const void *x, const void *y) {
    const sortable *a = x, *b = y;
    return a->key < b->key ? 1 : a->key > b->key ? -1 : 0;
}

/* Collects a table's records sorted by a byte count, largest first. */
static sortable *sorted_records(const pa_htab *h, uint64_t (*key)(const void *), size_t *n) {
    sortable *v = malloc((h->count ? h->count : 1) * sizeof *v);
    *n = 0;
    if (!v) return NULL;
    for (size_t i = 0; i < h->cap; i++)
        if (h->used[i]) {
            v[*n].rec = pa_htab_at(h, i);
            v[*n].key = key(v[*n].rec);
            (*n)++;
        }
    qsort(v, *n, sizeof *v, sortable_desc);
    return v;
}

static uint64_t ipconv_bytes(const void *r) {
    const pa_ip_conv *c = r;
    return c->bytes_ab + c->bytes_ba;
}
static uint64_t ethconv_bytes(const void *r) {
    const pa_eth_conv *c = r;
    return c->bytes_ab + c->bytes_ba;
}
static uint64_t ep_bytes(const void *r) {
    const pa_endpoint *e = r;
    return e->tx_bytes + e->rx_bytes;
}
static uint64_t ethep_bytes(const void *r) {
    const pa_eth_endpoint *e = r;
    return e->tx_bytes + e->rx_bytes;
}

static json_t *list_flows(const pa_model *m, int ipproto, size_t off, size_t lim, pa_buf *t,
                          const char *title) {
    const pa_flow **fl;
    size_t nf = pa_model_flows(m, ipproto, &fl);
    qsort(fl, nf, sizeof *fl, flow_bytes_desc);
    json_t *arr = json_array();
    pa_buf_printf(t, "%s conversations: %llu", title, (unsigned long long)m->flow_count[ipproto]);
    if (nf < m->flow_count[ipproto])
        pa_buf_printf(t, " (%zu listed: the others were retired when the flow table filled)", nf);
    pa_buf_puts(t, "\n");
    for (size_t i = off; i < nf && i < off + lim; i++) {
        json_array_append_new(arr, flow_json(m, fl[i]));
        if (i < off + 20) flow_text(t, m, fl[i]);
    }
    free(fl);
    return json_pack("{s:I, s:I, s:o}", "total", (json_int_t)m->flow_count[ipproto], "listed",
                     (json_int_t)nf, "items", arr);
}

static json_t *list_ip_convs(const pa_model *m, size_t off, size_t lim, pa_buf *t) {
    size_t n;
    sortable *v = sorted_records(&m->ip_convs, ipconv_bytes, &n);
    json_t *arr = json_array();
    pa_buf_printf(t, "IP conversations: %zu\n", n);
    for (size_t i = off; v && i < n && i < off + lim; i++) {
        const pa_ip_conv *c = v[i].rec;
        pa_addr a = {c->ver, {0}}, b = {c->ver, {0}};
        memcpy(a.b, c->a_first ? c->a : c->b, 16);
        memcpy(b.b, c->a_first ? c->b : c->a, 16);
        uint64_t pab = c->a_first ? c->pkts_ab : c->pkts_ba, pba = c->a_first ? c->pkts_ba : c->pkts_ab;
        uint64_t bab = c->a_first ? c->bytes_ab : c->bytes_ba, bba = c->a_first ? c->bytes_ba : c->bytes_ab;
        json_array_append_new(arr, json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:f}",
                                             "address_a", pa_json_addr(&a), "address_b", pa_json_addr(&b),
                                             "packets_a_to_b", (json_int_t)pab, "bytes_a_to_b", (json_int_t)bab,
                                             "packets_b_to_a", (json_int_t)pba, "bytes_b_to_a", (json_int_t)bba,
                                             "packets", (json_int_t)(pab + pba), "bytes", (json_int_t)(bab + bba),
                                             "start_s", secs(c->first_ts - m->first_ts),
                                             "duration_s", secs(c->last_ts - c->first_ts)));
        if (i < off + 20) {
            char as[64], bs[64], sz[32];
            pa_addr_str(&a, as, sizeof as);
            pa_addr_str(&b, bs, sizeof bs);
            pa_fmt_bytes(sz, sizeof sz, bab + bba);
            pa_buf_printf(t, "  %s <-> %s  %llu pkts, %s\n", as, bs, (unsigned long long)(pab + pba), sz);
        }
    }
    free(v);
    return json_pack("{s:I, s:I, s:o}", "total", (json_int_t)n, "listed", (json_int_t)n, "items", arr);
}

static json_t *list_eth_convs(const pa_model *m, size_t off, size_t lim, pa_buf *t) {
    size_t n;
    sortable *v = sorted_records(&m->eth_convs, ethconv_bytes, &n);
    json_t *arr = json_array();
    pa_buf_printf(t, "Ethernet conversations: %zu\n", n);
    for (size_t i = off; v && i < n && i < off + lim; i++) {
        const pa_eth_conv *c = v[i].rec;
        const uint8_t *a = c->a_first ? c->a : c->b, *b = c->a_first ? c->b : c->a;
        uint64_t pab = c->a_first ? c->pkts_ab : c->pkts_ba, pba = c->a_first ? c->pkts_ba : c->pkts_ab;
        uint64_t bab = c->a_first ? c->bytes_ab : c->bytes_ba, bba = c->a_first ? c->bytes_ba : c->bytes_ab;
        json_array_append_new(arr, json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:f}",
                                             "address_a", pa_json_mac(a), "address_b", pa_json_mac(b),
                                             "packets_a_to_b", (json_int_t)pab, "bytes_a_to_b", (json_int_t)bab,
                                             "packets_b_to_a", (json_int_t)pba, "bytes_b_to_a", (json_int_t)bba,
                                             "packets", (json_int_t)(pab + pba), "bytes", (json_int_t)(bab + bba),
                                             "start_s", secs(c->first_ts - m->first_ts),
                                             "duration_s", secs(c->last_ts - c->first_ts)));
        if (i < off + 10) {
            char as[24], bs[24];
            pa_mac_str(a, as, sizeof as);
            pa_mac_str(b, bs, sizeof bs);
            pa_buf_printf(t, "  %s <-> %s  %llu pkts, %llu bytes\n", as, bs,
                          (unsigned long long)(pab + pba), (unsigned long long)(bab + bba));
        }
    }
    free(v);
    return json_pack("{s:I, s:I, s:o}", "total", (json_int_t)n, "listed", (json_int_t)n, "items", arr);
}

static void do_conversations(const pa_loaded *l, const char *type, size_t off, size_t lim,
                             json_t *out, pa_buf *t) {
    json_t *c = json_object();
    bool all = strcmp(type, "all") == 0;
    if (all || strcmp(type, "tcp") == 0) json_object_set_new(c, "tcp", list_flows(l->m, 6, off, lim, t, "TCP"));
    if (all || strcmp(type, "udp") == 0) json_object_set_new(c, "udp", list_flows(l->m, 17, off, lim, t, "UDP"));
    if (all || strcmp(type, "ip") == 0) json_object_set_new(c, "ip", list_ip_convs(l->m, off, lim, t));
    if (all || strcmp(type, "eth") == 0) json_object_set_new(c, "eth", list_eth_convs(l->m, off, lim, t));
    json_object_set_new(out, "conversations", c);
}

static void do_endpoints(const pa_loaded *l, size_t off, size_t lim, json_t *out, pa_buf *t) {
    const pa_model *m = l->m;
    size_t n;
    sortable *v = sorted_records(&m->endpoints, ep_bytes, &n);
    json_t *ips = json_array();
    pa_buf_printf(t, "IP endpoints: %zu\n", n);
    for (size_t i = off; v && i < n && i < off + lim; i++) {
        const pa_endpoint *e = v[i].rec;
        json_array_append_new(ips, json_pack("{s:o, s:I, s:I, s:I, s:I, s:I, s:I}", "address",
                                             pa_json_addr(&e->addr), "packets",
                                             (json_int_t)(e->tx_pkts + e->rx_pkts), "bytes",
                                             (json_int_t)(e->tx_bytes + e->rx_bytes), "tx_packets",
                                             (json_int_t)e->tx_pkts, "tx_bytes", (json_int_t)e->tx_bytes,
                                             "rx_packets", (json_int_t)e->rx_pkts, "rx_bytes",
                                             (json_int_t)e->rx_bytes));
        if (i < off + 20) {
            char as[64], sz[32];
            pa_addr_str(&e->addr, as, sizeof as);
            pa_fmt_bytes(sz, sizeof sz, e->tx_bytes + e->rx_bytes);
            pa_buf_printf(t, "  %s  %llu pkts, %s (tx %llu / rx %llu pkts)\n", as,
                          (unsigned long long)(e->tx_pkts + e->rx_pkts), sz,
                          (unsigned long long)e->tx_pkts, (unsigned long long)e->rx_pkts);
        }
    }
    free(v);
    v = sorted_records(&m->eth_endpoints, ethep_bytes, &n);
    json_t *eths = json_array();
    for (size_t i = off; v && i < n && i < off + lim; i++) {
        const pa_eth_endpoint *e = v[i].rec;
        json_array_append_new(eths, json_pack("{s:o, s:I, s:I, s:I, s:I, s:I, s:I}", "address",
                                              pa_json_mac(e->mac), "packets",
                                              (json_int_t)(e->tx_pkts + e->rx_pkts), "bytes",
                                              (json_int_t)(e->tx_bytes + e->rx_bytes), "tx_packets",
                                              (json_int_t)e->tx_pkts, "tx_bytes", (json_int_t)e->tx_bytes,
                                              "rx_packets", (json_int_t)e->rx_pkts, "rx_bytes",
                                              (json_int_t)e->rx_bytes));
    }
    free(v);
    json_object_set_new(out, "endpoints",
                        json_pack("{s:I, s:o, s:I, s:o}", "ip_total", (json_int_t)m->endpoints.count,
                                  "ip", ips, "eth_total", (json_int_t)m->eth_endpoints.count, "eth",
                                  eths));
}

/* The security summary: the threat findings (default thresholds), and the
 * totals of the expert information and the protocol anomalies. */
static void do_security(const pa_loaded *l, size_t lim, json_t *out, pa_buf *t) {
    const pa_model *m = l->m;
    pa_sec_opts o;
    pa_sec_opts_from_args(&o, NULL);
    size_t by[3];
    json_t *all = pa_security_findings(m, &o, by);
    size_t n = json_array_size(all);
    json_t *top = json_array(), *kinds = json_object();
    for (size_t i = 0; i < n; i++) {
        json_t *f = json_array_get(all, i);
        const char *k = json_string_value(json_object_get(f, "kind"));
        json_object_set_new(kinds, k, json_integer(json_integer_value(json_object_get(kinds, k)) + 1));
        if (i < lim) json_array_append(top, f);
    }
    uint64_t sev[PA_SEV_COUNT] = {0};
    for (int id = 0; id < PA_EX_COUNT; id++) sev[pa_expert_sev((pa_expert_id)id)] += m->expert.count[id];
    uint64_t anomalies = 0;
    for (int a = 0; a < PA_A_COUNT; a++) {
        pa_sev s;
        pa_grp g;
        char proto[16];
        if (a != PA_A_FRAME_SNAPLEN) anomalies += m->anom_count[a];
        if (m->anom_count[a] && pa_anom_expert((pa_anom)a, &s, &g, proto, sizeof proto)) sev[s] += m->anom_count[a];
    }
    pa_buf_printf(t, "Security: %zu findings (%zu high, %zu medium, %zu low severity).\n", n, by[2], by[1], by[0]);
    for (size_t i = 0; i < n && i < 10; i++) {
        json_t *f = json_array_get(all, i);
        pa_buf_printf(t, "  [%s] %s: %s\n", json_string_value(json_object_get(f, "severity")),
                      json_string_value(json_object_get(f, "kind")),
                      json_string_value(json_object_get(f, "explanation")));
    }
    pa_buf_printf(t, "Expert information: %llu errors, %llu warnings, %llu notes, %llu chats; %llu anomalous packets; "
                     "%zu protocols on other protocols' ports; %llu cleartext logins.\n",
                  (unsigned long long)sev[PA_SEV_ERROR], (unsigned long long)sev[PA_SEV_WARN],
                  (unsigned long long)sev[PA_SEV_NOTE], (unsigned long long)sev[PA_SEV_CHAT],
                  (unsigned long long)anomalies, m->sec.nmismatch, (unsigned long long)m->sec.creds_total);
    pa_buf_puts(t, "Details: analyze_security_threats, analyze_expert_information, analyze_protocol_anomalies.\n");
    json_object_set_new(
        out, "security",
        json_pack("{s:{s:I, s:I, s:I, s:I}, s:o, s:o, s:{s:I, s:I, s:I, s:I}, s:I, s:I, s:I}", "findings", "total",
                  (json_int_t)n, "high", (json_int_t)by[2], "medium", (json_int_t)by[1], "low", (json_int_t)by[0],
                  "by_kind", kinds, "top_findings", top, "expert", "error", (json_int_t)sev[PA_SEV_ERROR], "warn",
                  (json_int_t)sev[PA_SEV_WARN], "note", (json_int_t)sev[PA_SEV_NOTE], "chat",
                  (json_int_t)sev[PA_SEV_CHAT], "anomalous_packets", (json_int_t)anomalies,
                  "protocols_on_unexpected_ports", (json_int_t)m->sec.nmismatch, "cleartext_logins",
                  (json_int_t)m->sec.creds_total));
    json_decref(all);
}

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    const char *type = json_string_value(json_object_get(args, "analysis_type"));
    const char *conv = json_string_value(json_object_get(args, "conversation_type"));
    size_t lim = (size_t)json_integer_value(json_object_get(args, "limit"));
    size_t off = (size_t)json_integer_value(json_object_get(args, "offset"));
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    json_t *out = json_pack("{s:s, s:o}", "analysis_type", type, "capture", pa_capture_json(&l));
    pa_text_capture_header(&res->text, &l);
    if (strcmp(type, "summary") == 0) do_summary(&l, out, &res->text);
    else if (strcmp(type, "protocols") == 0) do_protocols(&l, out, &res->text);
    else if (strcmp(type, "conversations") == 0) do_conversations(&l, conv, off, lim, out, &res->text);
    else if (strcmp(type, "security") == 0) do_security(&l, lim, out, &res->text);
    else do_endpoints(&l, off, lim, out, &res->text);
    res->structured = out;
    pa_tool_unload(&l);
}

#define CONV_ITEM                                                                               \
    "{\"type\":\"object\",\"properties\":{\"protocol\":{\"type\":\"string\"},"                 \
    "\"address_a\":{\"type\":\"string\"},\"port_a\":{\"type\":\"integer\"},"                   \
    "\"address_b\":{\"type\":\"string\"},\"port_b\":{\"type\":\"integer\"},"                   \
    "\"packets_a_to_b\":{\"type\":\"integer\"},\"bytes_a_to_b\":{\"type\":\"integer\"},"       \
    "\"packets_b_to_a\":{\"type\":\"integer\"},\"bytes_b_to_a\":{\"type\":\"integer\"},"       \
    "\"packets\":{\"type\":\"integer\"},\"bytes\":{\"type\":\"integer\"},"                     \
    "\"start_s\":{\"type\":\"number\"},\"duration_s\":{\"type\":\"number\"},"                  \
    "\"stream\":{\"type\":\"integer\",\"description\":\"tcp.stream / udp.stream\"},"          \
    "\"application\":{\"type\":\"string\"},\"vlan\":{\"type\":\"integer\"},"                   \
    "\"conn_state\":{\"type\":\"string\",\"description\":\"Zeek conn_state\"},"                \
    "\"history\":{\"type\":\"string\",\"description\":\"Zeek history (upper case: originator)\"}," \
    "\"originator_is_a\":{\"type\":\"boolean\"}},"                                              \
    "\"required\":[\"address_a\",\"address_b\",\"packets\",\"bytes\"],"                         \
    "\"additionalProperties\":false}"
#define CONV_LIST                                                                               \
    "{\"type\":\"object\",\"required\":[\"total\",\"listed\",\"items\"],\"properties\":{"     \
    "\"total\":{\"type\":\"integer\"},\"listed\":{\"type\":\"integer\"},"                       \
    "\"items\":{\"type\":\"array\",\"items\":" CONV_ITEM "}},\"additionalProperties\":false}"
#define EP_ITEM                                                                                 \
    "{\"type\":\"object\",\"properties\":{\"address\":{\"type\":\"string\"},"                  \
    "\"packets\":{\"type\":\"integer\"},\"bytes\":{\"type\":\"integer\"},"                     \
    "\"tx_packets\":{\"type\":\"integer\"},\"tx_bytes\":{\"type\":\"integer\"},"               \
    "\"rx_packets\":{\"type\":\"integer\"},\"rx_bytes\":{\"type\":\"integer\"}},"              \
    "\"additionalProperties\":false}"

const pa_tool_def pa_tool_analyze_pcap_file = {
    .name = "analyze_pcap_file",
    .title = "Capture overview",
    .description =
        "Start here. analysis_type: summary (totals, top protocols and conversations), protocols "
        "(hierarchy), conversations (with stream numbers for follow_stream), endpoints, security "
        "(findings).",
    .input_schema =
        "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE ","
        "\"analysis_type\":{\"type\":\"string\",\"enum\":[\"summary\",\"protocols\","
        "\"conversations\",\"endpoints\",\"security\"],\"default\":\"summary\"},"
        "\"conversation_type\":{\"type\":\"string\",\"enum\":[\"all\",\"eth\",\"ip\",\"tcp\","
        "\"udp\"],\"default\":\"all\"},"
        PA_ARG_BPF "," PA_ARG_LIMIT(50, 1000) "," PA_ARG_OFFSET
        "},\"additionalProperties\":false}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"analysis_type\",\"capture\"],\"properties\":{"
        "\"analysis_type\":{\"type\":\"string\"},\"capture\":" PA_CAPTURE_SCHEMA ","
        "\"summary\":{\"type\":\"object\"},"
        "\"top_protocols\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
        "\"protocol\":{\"type\":\"string\"},\"frames\":{\"type\":\"integer\"},"
        "\"bytes\":{\"type\":\"integer\"}}}},"
        "\"top_conversations\":{\"type\":\"array\",\"items\":" CONV_ITEM "},"
        "\"flows\":{\"type\":\"object\"},"
        "\"anomalies\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"name\","
        "\"count\",\"first_frames\"],\"properties\":{\"name\":{\"type\":\"string\"},"
        "\"description\":{\"type\":\"string\"},\"count\":{\"type\":\"integer\"},"
        "\"first_frames\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}}}},"
        "\"protocols\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":["
        "\"protocol\",\"depth\",\"frames\",\"bytes\"],\"properties\":{"
        "\"protocol\":{\"type\":\"string\"},\"depth\":{\"type\":\"integer\"},"
        "\"frames\":{\"type\":\"integer\"},\"bytes\":{\"type\":\"integer\"},"
        "\"frames_pct\":{\"type\":\"number\"},\"bytes_pct\":{\"type\":\"number\"}}}},"
        "\"conversations\":{\"type\":\"object\",\"properties\":{\"tcp\":" CONV_LIST ",\"udp\":"
        CONV_LIST ",\"ip\":{\"type\":\"object\"},\"eth\":{\"type\":\"object\"}}},"
        "\"endpoints\":{\"type\":\"object\",\"properties\":{\"ip_total\":{\"type\":\"integer\"},"
        "\"ip\":{\"type\":\"array\",\"items\":" EP_ITEM "},\"eth_total\":{\"type\":\"integer\"},"
        "\"eth\":{\"type\":\"array\",\"items\":" EP_ITEM "}}},"
        "\"security\":{\"type\":\"object\",\"properties\":{\"findings\":{\"type\":\"object\"},"
        "\"by_kind\":{\"type\":\"object\"},\"top_findings\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"
        "\"expert\":{\"type\":\"object\"},\"anomalous_packets\":{\"type\":\"integer\"},"
        "\"protocols_on_unexpected_ports\":{\"type\":\"integer\"},\"cleartext_logins\":{\"type\":\"integer\"}}}"
        "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run,
};
