/* analyze_pcap_file: summary, protocol hierarchy, conversations, endpoints
 * and the security summary. Every list goes through the result's byte
 * budget (tool_report.h), so the text shows every row the structured result
 * holds, in the same order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame_scan.h"
#include "tool_common.h"
#include "tool_report.h"
#include "tool_security.h"
#include "tool_time.h"
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

/* The application a flow's payload was recognised as; a flow with payload
 * that no look accepted is "unknown (udp/443)", the responder's port said
 * but not taken for a name. NULL: no payload, or not TCP/UDP. */
static const char *flow_app(const pa_flow *f, char *buf, size_t n) {
    if (f->app != PA_P_NONE) return pa_proto_name(f->app);
    bool tcp = f->key.ipproto == 6, udp = f->key.ipproto == 17;
    if ((!tcp && !udp) || !(f->payload_a + f->payload_b)) return NULL;
    pa_addr a, b;
    uint16_t pa, pb;
    pa_flow_sides(f, &a, &pa, &b, &pb);
    bool orig_is_a = f->zeek.orig_is_a == f->a_first;
    snprintf(buf, n, "unknown (%s/%u)", tcp ? "tcp" : "udp", orig_is_a ? pb : pa);
    return buf;
}

/* The server name a conversation's handshake sent (the TLS or QUIC
 * ClientHello's SNI), found by stream number. */
typedef struct sni_of {
    int64_t stream;
    const char *name;
} sni_of;

typedef struct flow_names {
    sni_of *tcp, *udp;
    size_t ntcp, nudp;
} flow_names;

static int by_stream(const void *x, const void *y) {
    const sni_of *a = x, *b = y;
    return (a->stream > b->stream) - (a->stream < b->stream);
}

static void names_build(flow_names *nm, const pa_model *m) {
    memset(nm, 0, sizeof *nm);
    nm->tcp = malloc((m->tls.nconns ? m->tls.nconns : 1) * sizeof *nm->tcp);
    nm->udp = malloc((m->quic.nconns ? m->quic.nconns : 1) * sizeof *nm->udp);
    for (size_t i = 0; nm->tcp && i < m->tls.nconns; i++)
        if (m->tls.conns[i].has_sni && m->tls.conns[i].sni[0])
            nm->tcp[nm->ntcp++] = (sni_of){m->tls.conns[i].stream, m->tls.conns[i].sni};
    for (uint32_t i = 0; nm->udp && i < m->quic.nconns; i++)
        if (m->quic.conns[i].sni[0]) nm->udp[nm->nudp++] = (sni_of){m->quic.conns[i].stream, m->quic.conns[i].sni};
    if (nm->tcp) qsort(nm->tcp, nm->ntcp, sizeof *nm->tcp, by_stream);
    if (nm->udp) qsort(nm->udp, nm->nudp, sizeof *nm->udp, by_stream);
}

static void names_free(flow_names *nm) {
    free(nm->tcp);
    free(nm->udp);
}

static const char *server_name(const flow_names *nm, const pa_flow *f) {
    bool tcp = f->key.ipproto == 6;
    if (!tcp && f->key.ipproto != 17) return NULL;
    sni_of key = {.stream = f->stream};
    const sni_of *hit = bsearch(&key, tcp ? nm->tcp : nm->udp, tcp ? nm->ntcp : nm->nudp, sizeof key, by_stream);
    return hit ? hit->name : NULL;
}

static json_t *flow_json(const pa_model *m, const flow_names *nm, const pa_flow *f) {
    pa_addr a, b;
    uint16_t pa, pb;
    pa_flow_sides(f, &a, &pa, &b, &pb);
    bool af = f->a_first;
    const char *proto = flow_proto(f);
    json_t *o = json_pack("{s:s, s:o, s:i, s:o, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:I}", "protocol", proto,
                          "address_a", pa_json_addr(&a), "port_a", pa, "address_b", pa_json_addr(&b), "port_b", pb,
                          "packets_a_to_b", (json_int_t)(af ? f->pkts_a : f->pkts_b), "bytes_a_to_b",
                          (json_int_t)(af ? f->bytes_a : f->bytes_b), "packets_b_to_a",
                          (json_int_t)(af ? f->pkts_b : f->pkts_a), "bytes_b_to_a",
                          (json_int_t)(af ? f->bytes_b : f->bytes_a), "packets", (json_int_t)(f->pkts_a + f->pkts_b),
                          "bytes", (json_int_t)(f->bytes_a + f->bytes_b), "start_s", secs(f->first_ts - m->first_ts),
                          "duration_s", secs(f->last_ts - f->first_ts), "stream", (json_int_t)f->stream);
    char unk[32];
    const char *app = flow_app(f, unk, sizeof unk);
    if (app) json_object_set_new(o, "application", json_string(app));
    const char *sni = server_name(nm, f);
    if (sni) json_object_set_new(o, "server_name", json_string(sni));
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

static void flow_text(pa_buf *b, const flow_names *nm, const pa_flow *f) {
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
    bool v6 = ports && a.family == 6;
    /* tcp.stream and udp.stream are Wireshark's; other protocols' flows are numbered the same way
     */
    pa_buf_printf(b, "  %s %s%s%s%s <-> %s%s%s%s %s %u, %llu pkts %s %.3f s", flow_proto(f), v6 ? "[" : "", as,
                  v6 ? "]" : "", ap, v6 ? "[" : "", bs, v6 ? "]" : "", bp,
                  f->key.ipproto == 6 || f->key.ipproto == 17 ? "stream" : "flow", f->stream,
                  (unsigned long long)(f->pkts_a + f->pkts_b), sz, secs(f->last_ts - f->first_ts));
    if (f->key.ipproto == 6 || f->key.ipproto == 17)
        pa_buf_printf(b, " %s", pa_conn_state(&f->zeek, f->key.ipproto == 6 ? PA_P_TCP : PA_P_UDP));
    char unk[32];
    const char *app = flow_app(f, unk, sizeof unk);
    if (app) pa_buf_printf(b, " %s", app);
    const char *sni = server_name(nm, f);
    if (sni) pa_buf_printf(b, " SNI %s", sni);
    pa_buf_puts(b, "\n");
}

static void frames_text(pa_buf *b, const uint64_t *f, uint64_t count, size_t cap) {
    for (size_t i = 0; i < count && i < cap; i++) pa_buf_printf(b, "%s%llu", i ? "," : "", (unsigned long long)f[i]);
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
    json_t *s = json_pack(
        "{s:s, s:I, s:I, s:I, s:I, s:I, s:s?, s:s?, s:f, s:f, s:f, s:f, s:f, s:I, s:I, s:I}", "format", m->format,
        "file_size", (json_int_t)m->file_size, "snaplen", (json_int_t)m->snaplen, "packets", (json_int_t)m->packets,
        "bytes", (json_int_t)m->wire_bytes, "captured_bytes", (json_int_t)m->cap_bytes, "first_time",
        m->packets ? first : NULL, "last_time", m->packets ? last : NULL, "duration_s", dur, "avg_packet_size",
        m->packets ? (double)m->wire_bytes / (double)m->packets : 0.0, "avg_packets_per_s",
        dur > 0 ? (double)m->packets / dur : 0.0, "avg_bytes_per_s", dur > 0 ? (double)m->wire_bytes / dur : 0.0,
        "avg_bits_per_s", bps, "truncated_frames", (json_int_t)m->truncated_frames, "unsupported_link_frames",
        (json_int_t)m->unsupported_link_frames, "time_backwards_frames", (json_int_t)m->time_backwards);
    pa_fmt_rate(rate, sizeof rate, bps);
    pa_buf_printf(t, "Format %s, snaplen %u.\n", m->format, m->snaplen);
    if (m->packets)
        pa_buf_printf(t, "From %s to %s; average %s, %.1f packets/s, %.0f bytes/packet.\n", first, last, rate,
                      dur > 0 ? (double)m->packets / dur : 0.0, (double)m->wire_bytes / (double)m->packets);
    /* a sparse capture's mean over its whole span says little: also while active */
    size_t np;
    int64_t active, silence;
    pa_time_active(m, &np, &active, &silence);
    json_object_set_new(s, "active_periods", json_integer((json_int_t)np));
    json_object_set_new(s, "active_s", json_real(secs(active)));
    if (active > 0)
        json_object_set_new(s, "active_bits_per_s", json_real((double)m->wire_bytes * 8e9 / (double)active));
    if (np > 1) {
        char act[32];
        pa_fmt_rate(act, sizeof act, active > 0 ? (double)m->wire_bytes * 8e9 / (double)active : 0);
        pa_buf_printf(t,
                      "Active %.1f s in %zu periods between silences of %.0f s or more: %s while "
                      "active (generate_traffic_timeline lists the periods).\n",
                      secs(active), np, secs(silence), act);
    }
    if (m->truncated_frames)
        pa_buf_printf(t, "%llu frames were cut short by the snaplen.\n", (unsigned long long)m->truncated_frames);
    if (m->time_backwards)
        pa_buf_printf(t, "%llu frames are earlier than the frame before them.\n",
                      (unsigned long long)m->time_backwards);
    return s;
}

static json_t *flows_info(const pa_model *m) {
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:b}", "tcp", (json_int_t)m->flow_count[6], "udp",
                     (json_int_t)m->flow_count[17], "total", (json_int_t)(m->flows.count + m->flows_retired), "retired",
                     (json_int_t)m->flows_retired, "untracked_packets", (json_int_t)m->flows_untracked_pkts,
                     "cap_reached", m->flows_dropped > 0 || m->flows_untracked_pkts > 0);
}

static void do_summary(pa_report *rep, const pa_loaded *l, json_t *out) {
    const pa_model *m = l->m;
    pa_buf *t = &rep->res->text;
    json_t *sum = summary(l, t);
    json_object_set_new(out, "summary", sum);
    json_object_set_new(out, "flows", flows_info(m));
    proto_total pt[PA_MAX_PROTO_NODES];
    size_t np = proto_totals(m, pt), ntp = np < 12 ? np : 12;
    const pa_flow **fl;
    size_t nf = pa_model_flows(m, -1, &fl);
    size_t ntop = fl ? pa_flows_top(fl, nf, 5, flow_bytes_desc) : 0; /* no need to sort every flow */
    size_t nan = 0;
    for (int a = 0; a < PA_A_COUNT; a++) nan += m->anom_count[a] != 0;

    pa_rows rows;
    pa_buf_puts(t, "Link types:\n");
    pa_rows_begin(&rows, rep, "link types", 0, (size_t)m->nlinktypes, (size_t)m->nlinktypes, false);
    for (int i = 0; i < m->nlinktypes; i++) {
        int lt = m->linktypes[i].linktype;
        bool dec = pa_scan_linktype_decoded(lt);
        pa_buf_printf(pa_rows_line(&rows), "  %s (%d): %llu frames%s\n", pa_scan_linktype_name(lt), lt,
                      (unsigned long long)m->linktypes[i].frames, dec ? "" : ", not decoded");
        if (!pa_rows_push(&rows, json_pack("{s:i, s:s, s:b, s:I}", "linktype", lt, "name", pa_scan_linktype_name(lt),
                                           "decoded", dec, "frames", (json_int_t)m->linktypes[i].frames)))
            break;
    }
    pa_rows_end(&rows, sum, "link_types", NULL);

    if (ntp) pa_buf_puts(t, "Top protocols by bytes (a protocol inside itself counts once):\n");
    pa_rows_begin(&rows, rep, "protocols", 0, ntp, ntp, false);
    for (size_t i = 0; i < ntp; i++) {
        pa_buf_printf(pa_rows_line(&rows), "  %s %llu frames %llu bytes %.1f%%\n", pa_proto_name(pt[i].proto),
                      (unsigned long long)pt[i].frames, (unsigned long long)pt[i].bytes,
                      m->wire_bytes ? 100.0 * (double)pt[i].bytes / (double)m->wire_bytes : 0.0);
        if (!pa_rows_push(&rows, json_pack("{s:s, s:I, s:I}", "protocol", pa_proto_name(pt[i].proto), "frames",
                                           (json_int_t)pt[i].frames, "bytes", (json_int_t)pt[i].bytes)))
            break;
    }
    pa_rows_end(&rows, out, "top_protocols", NULL);

    pa_buf_printf(t, "%llu TCP and %llu UDP conversations%s\n", (unsigned long long)m->flow_count[6],
                  (unsigned long long)m->flow_count[17], ntop ? "; the largest by bytes:" : ".");
    pa_rows_begin(&rows, rep, "conversations", 0, ntop, ntop, false);
    flow_names nm;
    names_build(&nm, m);
    for (size_t i = 0; i < ntop; i++) {
        flow_text(pa_rows_line(&rows), &nm, fl[i]);
        if (!pa_rows_push(&rows, flow_json(m, &nm, fl[i]))) break;
    }
    names_free(&nm);
    pa_rows_end(&rows, out, "top_conversations", NULL);
    free(fl);

    pa_buf_puts(t, nan ? "Decoding anomalies (first frames):\n" : "No decoding anomalies.\n");
    pa_rows_begin(&rows, rep, "anomalies", 0, nan, nan, false);
    for (int a = 0; a < PA_A_COUNT; a++) {
        if (!m->anom_count[a]) continue;
        json_t *frames = json_array();
        for (uint64_t i = 0; i < m->anom_count[a] && i < PA_ANOM_FIRST_FRAMES; i++)
            json_array_append_new(frames, json_integer((json_int_t)m->anom_frames[a][i]));
        pa_buf *ln = pa_rows_line(&rows);
        pa_buf_printf(ln, "  %s: %llu (%s), frames ", pa_anom_name((pa_anom)a), (unsigned long long)m->anom_count[a],
                      pa_anom_desc((pa_anom)a));
        frames_text(ln, m->anom_frames[a], m->anom_count[a], PA_ANOM_FIRST_FRAMES);
        pa_buf_puts(ln, "\n");
        if (!pa_rows_push(&rows, json_pack("{s:s, s:s, s:I, s:o}", "name", pa_anom_name((pa_anom)a), "description",
                                           pa_anom_desc((pa_anom)a), "count", (json_int_t)m->anom_count[a],
                                           "first_frames", frames)))
            break;
    }
    pa_rows_end(&rows, out, "anomalies", NULL);
}

/* ---- protocol hierarchy --------------------------------------------------- */

/* The nodes in pre-order (a parent before its children), as tshark -z io,phs
 * prints them. Depth is bounded by PA_MAX_LAYERS, so the recursion is too. */
static void preorder(const pa_model *m, int parent, int *out, size_t *n) {
    for (int i = 0; i < m->nnodes; i++) {
        if (m->nodes[i].parent != parent) continue;
        out[(*n)++] = i;
        preorder(m, i, out, n);
    }
}

static void do_protocols(pa_report *rep, const pa_loaded *l, size_t off, size_t lim, json_t *out) {
    const pa_model *m = l->m;
    pa_buf *t = &rep->res->text;
    int order[PA_MAX_PROTO_NODES];
    size_t n = 0;
    preorder(m, -1, order, &n);
    pa_buf_printf(t,
                  "Protocol hierarchy, %zu paths (frames, bytes, share of bytes per protocol path, "
                  "like tshark -z io,phs):\n",
                  n);
    if (m->proto_nodes_dropped)
        pa_buf_printf(t, "(%llu frames had protocol paths beyond the %d-node cap)\n",
                      (unsigned long long)m->proto_nodes_dropped, PA_MAX_PROTO_NODES);
    pa_rows rows;
    pa_rows_begin(&rows, rep, "protocol paths", off, lim, n, true);
    for (size_t k = off; k < n && k - off < lim; k++) {
        const pa_proto_node *nd = &m->nodes[order[k]];
        double fp = m->packets ? 100.0 * (double)nd->frames / (double)m->packets : 0.0,
               bp = m->wire_bytes ? 100.0 * (double)nd->bytes / (double)m->wire_bytes : 0.0;
        pa_buf_printf(pa_rows_line(&rows), "%*s%s %llu frames %llu bytes %.1f%%\n", 2 + 2 * nd->depth, "",
                      pa_proto_name(nd->proto), (unsigned long long)nd->frames, (unsigned long long)nd->bytes, bp);
        if (!pa_rows_push(&rows, json_pack("{s:s, s:i, s:I, s:I, s:f, s:f}", "protocol", pa_proto_name(nd->proto),
                                           "depth", nd->depth, "frames", (json_int_t)nd->frames, "bytes",
                                           (json_int_t)nd->bytes, "frames_pct", fp, "bytes_pct", bp)))
            break;
    }
    pa_rows_end(&rows, out, "protocols", "page");
}

/* ---- conversations and endpoints --------------------------------------------- */

typedef struct sortable {
    const void *rec;
    uint64_t key;
} sortable;

static int sortable_desc(const void *x, const void *y) {
    const sortable *a = x, *b = y;
    if (a->key != b->key) return a->key < b->key ? 1 : -1;
    return a->rec < b->rec ? -1 : a->rec > b->rec; /* records sit in insertion order: first seen first */
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
/* A host's traffic counts a packet it sent to itself once (it is in tx
 * and rx both). */
static uint64_t ep_bytes(const void *r) {
    const pa_endpoint *e = r;
    return e->tx_bytes + e->rx_bytes - e->self_bytes;
}
static uint64_t ethep_bytes(const void *r) {
    const pa_eth_endpoint *e = r;
    return e->tx_bytes + e->rx_bytes - e->self_bytes;
}

/* One list of conversations or endpoints: `kind` names it in the text and
 * in conversation_type; `all` says several lists share one call, which
 * then pages none of them (each is paged alone with its own type). */
typedef struct listing {
    pa_report *rep;
    bool all;
    bool skipped_any; /* a list the budget left no room for */
    pa_buf skipped;   /* their names */
} listing;

/* Begins a list; false when an earlier list of the call was cut by the
 * budget (this one is then only named at the end). */
static bool list_begin(listing *ls, pa_rows *rows, const char *what, size_t off, size_t lim, size_t total,
                       bool pageable) {
    pa_report *r = ls->rep;
    if (r->left_out) {
        pa_buf_printf(&ls->skipped, "%s%s", ls->skipped_any ? ", " : "", what);
        ls->skipped_any = true;
        pa_report_left_out(r, what, off < total ? (total - off < lim ? total - off : lim) : 0, -1);
        return false;
    }
    pa_rows_begin(rows, r, what, off, lim, total, pageable);
    return true;
}

/* Ends a list begun by list_begin (obj gets key and, when paged, "page"). */
static void list_end(listing *ls, pa_rows *rows, json_t *obj, const char *type) {
    pa_buf *t = &ls->rep->res->text;
    bool cut = rows->cut;
    size_t next = rows->offset + rows->n;
    pa_rows_end(rows, obj, "items", "page");
    if (ls->all && !cut && next < rows->total)
        pa_buf_printf(t, "  %zu more: call with conversation_type=%s and offset=%zu.\n", rows->total - next, type,
                      next);
    else if (ls->all && cut)
        pa_buf_printf(t, "  (conversation_type=%s with offset=%zu pages them)\n", type, next);
}

static void list_skipped(listing *ls) {
    if (ls->skipped_any)
        pa_buf_printf(&ls->rep->res->text, "Not listed, as the budget was reached: %s. Ask for one kind at a time.\n",
                      ls->skipped.data);
    pa_buf_free(&ls->skipped);
}

static void list_flows(listing *ls, const pa_model *m, int ipproto, size_t off, size_t lim, json_t *c,
                       const char *key) {
    const pa_flow **fl;
    size_t nf = pa_model_flows(m, ipproto, &fl);
    if (fl) qsort(fl, nf, sizeof *fl, flow_bytes_desc);
    json_t *o = json_pack("{s:I, s:I}", "total", (json_int_t)m->flow_count[ipproto], "listed", (json_int_t)nf);
    json_object_set_new(c, key, o);
    char what[32];
    snprintf(what, sizeof what, "%s conversations", key);
    pa_rows rows;
    if (!list_begin(ls, &rows, what, off, lim, nf, !ls->all)) {
        json_object_set_new(o, "items", json_array());
        free(fl);
        return;
    }
    pa_buf *t = &ls->rep->res->text;
    pa_buf_printf(t, "%s conversations: %llu", ipproto == 6 ? "TCP" : "UDP",
                  (unsigned long long)m->flow_count[ipproto]);
    if (nf < m->flow_count[ipproto])
        pa_buf_printf(t, " (%zu listed: the others were retired when the flow table filled)", nf);
    pa_buf_puts(t, off < nf ? ", by bytes:\n" : "\n");
    flow_names nm;
    names_build(&nm, m);
    for (size_t i = off; fl && i < nf && i - off < lim; i++) {
        flow_text(pa_rows_line(&rows), &nm, fl[i]);
        if (!pa_rows_push(&rows, flow_json(m, &nm, fl[i]))) break;
    }
    names_free(&nm);
    list_end(ls, &rows, o, key);
    free(fl);
}

/* An IP or Ethernet conversation's line and row, with a display filter
 * selecting it (field: "ip", "ipv6" or "eth"). */
typedef struct pair_conv {
    char a[64], b[64];
    const char *field;
    json_t *ja, *jb;
    uint64_t pab, pba, bab, bba;
    int64_t first_ts, last_ts;
} pair_conv;

/* Orients the counts of an IP or Ethernet conversation record (the same
 * members in both) as Wireshark does: A sent the first packet. */
#define PAIR_COUNTS(pc, x)                                                                                             \
    do {                                                                                                               \
        (pc).pab = (x)->a_first ? (x)->pkts_ab : (x)->pkts_ba;                                                         \
        (pc).pba = (x)->a_first ? (x)->pkts_ba : (x)->pkts_ab;                                                         \
        (pc).bab = (x)->a_first ? (x)->bytes_ab : (x)->bytes_ba;                                                       \
        (pc).bba = (x)->a_first ? (x)->bytes_ba : (x)->bytes_ab;                                                       \
        (pc).first_ts = (x)->first_ts;                                                                                 \
        (pc).last_ts = (x)->last_ts;                                                                                   \
    } while (0)

static bool pair_row(pa_rows *rows, const pa_model *m, const pair_conv *c) {
    char sz[32], f[192];
    pa_fmt_bytes(sz, sizeof sz, c->bab + c->bba);
    /* with itself: both addresses are the one; else either way */
    bool self = strcmp(c->a, c->b) == 0;
    snprintf(f, sizeof f, "%s.%s == %s && %s.%s == %s", c->field, self ? "src" : "addr", c->a, c->field,
             self ? "dst" : "addr", c->b);
    pa_buf_printf(pa_rows_line(rows), "  %s <-> %s %llu pkts %s; %s\n", c->a, c->b,
                  (unsigned long long)(c->pab + c->pba), sz, f);
    return pa_rows_push(rows, json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:s}", "address_a", c->ja,
                                        "address_b", c->jb, "packets_a_to_b", (json_int_t)c->pab, "bytes_a_to_b",
                                        (json_int_t)c->bab, "packets_b_to_a", (json_int_t)c->pba, "bytes_b_to_a",
                                        (json_int_t)c->bba, "packets", (json_int_t)(c->pab + c->pba), "bytes",
                                        (json_int_t)(c->bab + c->bba), "start_s", secs(c->first_ts - m->first_ts),
                                        "duration_s", secs(c->last_ts - c->first_ts), "display_filter", f));
}

/* IP (eth false) or Ethernet conversations, by bytes. */
static void list_pairs(listing *ls, const pa_model *m, bool eth, size_t off, size_t lim, json_t *c) {
    const pa_htab *h = eth ? &m->eth_convs : &m->ip_convs;
    size_t n;
    sortable *v = sorted_records(h, eth ? ethconv_bytes : ipconv_bytes, &n);
    json_t *o = json_pack("{s:I, s:I}", "total", (json_int_t)h->count, "listed", (json_int_t)n);
    json_object_set_new(c, eth ? "eth" : "ip", o);
    pa_rows rows;
    if (!list_begin(ls, &rows, eth ? "eth conversations" : "ip conversations", off, lim, n, !ls->all)) {
        json_object_set_new(o, "items", json_array());
        free(v);
        return;
    }
    pa_buf_printf(&ls->rep->res->text, "%s conversations: %zu%s\n", eth ? "Ethernet" : "IP", n,
                  off < n ? ", by bytes:" : "");
    for (size_t i = off; v && i < n && i - off < lim; i++) {
        pair_conv pc;
        if (eth) {
            const pa_eth_conv *x = v[i].rec;
            const uint8_t *a = x->a_first ? x->a : x->b, *b = x->a_first ? x->b : x->a;
            pa_mac_str(a, pc.a, sizeof pc.a);
            pa_mac_str(b, pc.b, sizeof pc.b);
            pc.field = "eth";
            pc.ja = pa_json_mac(a);
            pc.jb = pa_json_mac(b);
            PAIR_COUNTS(pc, x);
        } else {
            const pa_ip_conv *x = v[i].rec;
            pa_addr a = {x->ver, {0}}, b = {x->ver, {0}};
            memcpy(a.b, x->a_first ? x->a : x->b, 16);
            memcpy(b.b, x->a_first ? x->b : x->a, 16);
            pa_addr_str(&a, pc.a, sizeof pc.a);
            pa_addr_str(&b, pc.b, sizeof pc.b);
            pc.field = x->ver == 6 ? "ipv6" : "ip";
            pc.ja = pa_json_addr(&a);
            pc.jb = pa_json_addr(&b);
            PAIR_COUNTS(pc, x);
        }
        if (!pair_row(&rows, m, &pc)) break;
    }
    free(v);
    list_end(ls, &rows, o, eth ? "eth" : "ip");
}

static void do_conversations(pa_report *rep, const pa_loaded *l, const char *type, size_t off, size_t lim,
                             json_t *out) {
    json_t *c = json_object();
    json_object_set_new(out, "conversations", c);
    listing ls = {rep, strcmp(type, "all") == 0, false, {0}};
    pa_buf_init(&ls.skipped, 512);
    if (ls.all)
        pa_buf_puts(&rep->res->text, "Every kind of conversation, by bytes (conversation_type pages one kind).\n");
    if (ls.all || strcmp(type, "tcp") == 0) list_flows(&ls, l->m, 6, off, lim, c, "tcp");
    if (ls.all || strcmp(type, "udp") == 0) list_flows(&ls, l->m, 17, off, lim, c, "udp");
    if (ls.all || strcmp(type, "ip") == 0) list_pairs(&ls, l->m, false, off, lim, c);
    if (ls.all || strcmp(type, "eth") == 0) list_pairs(&ls, l->m, true, off, lim, c);
    list_skipped(&ls);
}

static json_t *ep_json(json_t *addr, uint64_t txp, uint64_t txb, uint64_t rxp, uint64_t rxb, uint64_t selfp,
                       uint64_t selfb) {
    json_t *o =
        json_pack("{s:o, s:I, s:I, s:I, s:I, s:I, s:I}", "address", addr, "packets", (json_int_t)(txp + rxp - selfp),
                  "bytes", (json_int_t)(txb + rxb - selfb), "tx_packets", (json_int_t)txp, "tx_bytes", (json_int_t)txb,
                  "rx_packets", (json_int_t)rxp, "rx_bytes", (json_int_t)rxb);
    if (selfp) {
        json_object_set_new(o, "self_packets", json_integer((json_int_t)selfp));
        json_object_set_new(o, "self_bytes", json_integer((json_int_t)selfb));
    }
    return o;
}

static void do_endpoints(pa_report *rep, const pa_loaded *l, size_t off, size_t lim, json_t *out) {
    const pa_model *m = l->m;
    pa_buf *t = &rep->res->text;
    size_t n, ne;
    sortable *v = sorted_records(&m->endpoints, ep_bytes, &n);
    sortable *ve = sorted_records(&m->eth_endpoints, ethep_bytes, &ne);
    json_t *eps = json_pack("{s:I, s:I}", "ip_total", (json_int_t)n, "eth_total", (json_int_t)ne);
    json_object_set_new(out, "endpoints", eps);
    pa_buf_printf(t, "IP endpoints: %zu%s\n", n,
                  off < n ? ", by bytes (a packet to itself counted once; share of all bytes):" : "");
    pa_rows rows;
    pa_rows_begin(&rows, rep, "ip endpoints", off, lim, n, true);
    for (size_t i = off; v && i < n && i - off < lim; i++) {
        const pa_endpoint *e = v[i].rec;
        char as[64], sz[32];
        pa_addr_str(&e->addr, as, sizeof as);
        uint64_t b = ep_bytes(e);
        pa_fmt_bytes(sz, sizeof sz, b);
        pa_buf *ln = pa_rows_line(&rows);
        pa_buf_printf(ln, "  %s %llu pkts %s %.1f%% (sent %llu pkts %llu bytes, received %llu pkts %llu bytes", as,
                      (unsigned long long)(e->tx_pkts + e->rx_pkts - e->self_pkts), sz,
                      m->wire_bytes ? 100.0 * (double)b / (double)m->wire_bytes : 0.0, (unsigned long long)e->tx_pkts,
                      (unsigned long long)e->tx_bytes, (unsigned long long)e->rx_pkts, (unsigned long long)e->rx_bytes);
        if (e->self_pkts) pa_buf_printf(ln, ", %llu pkts to itself", (unsigned long long)e->self_pkts);
        pa_buf_puts(ln, ")\n");
        if (!pa_rows_push(&rows, ep_json(pa_json_addr(&e->addr), e->tx_pkts, e->tx_bytes, e->rx_pkts, e->rx_bytes,
                                         e->self_pkts, e->self_bytes)))
            break;
    }
    bool cut = rows.cut;
    pa_rows_end(&rows, eps, "ip", "page");
    free(v);

    /* Ethernet hosts: a secondary list, the largest `limit` on the first page */
    size_t want = off || cut ? 0 : (ne < lim ? ne : lim);
    if (off)
        pa_buf_printf(t, "Ethernet endpoints: %zu (listed with offset 0).\n", ne);
    else if (cut && ne)
        pa_buf_printf(t, "Ethernet endpoints: %zu, not listed as the budget was reached.\n", ne);
    else
        pa_buf_printf(t, "Ethernet endpoints: %zu%s\n", ne, want ? ", by bytes:" : "");
    if (cut && !off && ne) pa_report_left_out(rep, "eth endpoints", ne < lim ? ne : lim, -1);
    pa_rows_begin(&rows, rep, "eth endpoints", 0, want, ne, false);
    for (size_t i = 0; ve && i < want; i++) {
        const pa_eth_endpoint *e = ve[i].rec;
        char as[24], sz[32];
        pa_mac_str(e->mac, as, sizeof as);
        uint64_t b = ethep_bytes(e);
        pa_fmt_bytes(sz, sizeof sz, b);
        pa_buf *ln = pa_rows_line(&rows);
        pa_buf_printf(ln, "  %s %llu pkts %s (sent %llu pkts %llu bytes, received %llu pkts %llu bytes", as,
                      (unsigned long long)(e->tx_pkts + e->rx_pkts - e->self_pkts), sz, (unsigned long long)e->tx_pkts,
                      (unsigned long long)e->tx_bytes, (unsigned long long)e->rx_pkts, (unsigned long long)e->rx_bytes);
        if (e->self_pkts) pa_buf_printf(ln, ", %llu pkts to itself", (unsigned long long)e->self_pkts);
        pa_buf_puts(ln, ")\n");
        if (!pa_rows_push(&rows, ep_json(pa_json_mac(e->mac), e->tx_pkts, e->tx_bytes, e->rx_pkts, e->rx_bytes,
                                         e->self_pkts, e->self_bytes)))
            break;
    }
    pa_rows_end(&rows, eps, "eth", NULL);
    free(ve);
}

/* The security summary: the threat findings (default thresholds), and the
 * totals of the expert information and the protocol anomalies. */
static void do_security(pa_report *rep, const pa_loaded *l, size_t off, size_t lim, json_t *out) {
    const pa_model *m = l->m;
    pa_buf *t = &rep->res->text;
    pa_sec_opts o;
    pa_sec_opts_from_args(&o, NULL);
    size_t by[3];
    json_t *all = pa_security_findings(m, &o, by);
    size_t n = json_array_size(all);
    json_t *kinds = json_object();
    for (size_t i = 0; i < n; i++) {
        const char *k = json_string_value(json_object_get(json_array_get(all, i), "kind"));
        json_object_set_new(kinds, k, json_integer(json_integer_value(json_object_get(kinds, k)) + 1));
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
    pa_buf_printf(t,
                  "Expert information: %llu errors, %llu warnings, %llu notes, %llu chats; %llu anomalous packets; "
                  "%zu protocols on other protocols' ports; %llu cleartext logins.\n",
                  (unsigned long long)sev[PA_SEV_ERROR], (unsigned long long)sev[PA_SEV_WARN],
                  (unsigned long long)sev[PA_SEV_NOTE], (unsigned long long)sev[PA_SEV_CHAT],
                  (unsigned long long)anomalies, m->sec.nmismatch, (unsigned long long)m->sec.creds_total);
    pa_buf_puts(t, "Details: analyze_security_threats, analyze_expert_information, analyze_protocol_anomalies.\n");
    pa_buf_printf(t, "Security: %zu findings (%zu high, %zu medium, %zu low severity)%s\n", n, by[2], by[1], by[0],
                  n > off ? ", most severe first:" : ".");
    json_t *sec = json_pack("{s:{s:I, s:I, s:I, s:I}, s:o, s:{s:I, s:I, s:I, s:I}, s:I, s:I, s:I}", "findings", "total",
                            (json_int_t)n, "high", (json_int_t)by[2], "medium", (json_int_t)by[1], "low",
                            (json_int_t)by[0], "by_kind", kinds, "expert", "error", (json_int_t)sev[PA_SEV_ERROR],
                            "warn", (json_int_t)sev[PA_SEV_WARN], "note", (json_int_t)sev[PA_SEV_NOTE], "chat",
                            (json_int_t)sev[PA_SEV_CHAT], "anomalous_packets", (json_int_t)anomalies,
                            "protocols_on_unexpected_ports", (json_int_t)m->sec.nmismatch, "cleartext_logins",
                            (json_int_t)m->sec.creds_total);
    json_object_set_new(out, "security", sec);
    pa_rows rows;
    pa_rows_begin(&rows, rep, "findings", off, lim, n, true);
    for (size_t i = off; i < n && i - off < lim; i++) {
        json_t *f = json_array_get(all, i);
        pa_security_finding_text(pa_rows_line(&rows), f);
        if (!pa_rows_push(&rows, json_incref(f))) break;
    }
    pa_rows_end(&rows, sec, "top_findings", "page");
    json_decref(all);
}

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    const char *type = json_string_value(json_object_get(args, "analysis_type"));
    const char *conv = json_string_value(json_object_get(args, "conversation_type"));
    size_t lim = (size_t)json_integer_value(json_object_get(args, "limit"));
    size_t off = (size_t)json_integer_value(json_object_get(args, "offset"));
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    res->structured = json_pack("{s:s, s:o}", "analysis_type", type, "capture", pa_capture_json(&l));
    pa_text_capture_header(&res->text, &l);
    if (strcmp(type, "summary") == 0)
        do_summary(&rep, &l, res->structured);
    else if (strcmp(type, "protocols") == 0)
        do_protocols(&rep, &l, off, lim, res->structured);
    else if (strcmp(type, "conversations") == 0)
        do_conversations(&rep, &l, conv, off, lim, res->structured);
    else if (strcmp(type, "security") == 0)
        do_security(&rep, &l, off, lim, res->structured);
    else
        do_endpoints(&rep, &l, off, lim, res->structured);
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

#define CONV_ITEM                                                                                                      \
    "{\"type\":\"object\",\"properties\":{\"protocol\":" PA_S_STR ",\"address_a\":" PA_S_STR ",\"port_a\":" PA_S_INT   \
    ",\"address_b\":" PA_S_STR ",\"port_b\":" PA_S_INT ",\"packets_a_to_b\":" PA_S_INT ",\"bytes_a_to_b\":" PA_S_INT   \
    ",\"packets_b_to_a\":" PA_S_INT ",\"bytes_b_to_a\":" PA_S_INT ",\"packets\":" PA_S_INT ",\"bytes\":" PA_S_INT      \
    ",\"start_s\":" PA_S_NUM ",\"duration_s\":" PA_S_NUM                                                               \
    ",\"stream\":{\"type\":\"integer\",\"description\":\"tcp.stream / udp.stream\"},\"application\":" PA_S_STR         \
    ",\"server_name\":{\"type\":\"string\",\"description\":\"the TLS or QUIC ClientHello's SNI\"}"                     \
    ",\"vlan\":" PA_S_INT ",\"conn_state\":{\"type\":\"string\",\"description\":\"Zeek conn_state\"},"                 \
    "\"history\":{\"type\":\"string\",\"description\":\"Zeek history (upper case: originator)\"},"                     \
    "\"originator_is_a\":" PA_S_BOOL ",\"display_filter\":{\"type\":\"string\",\"description\":\"selects "             \
    "the conversation's frames (IP and Ethernet conversations)\"}},"                                                   \
    "\"required\":[\"address_a\",\"address_b\",\"packets\",\"bytes\"],\"additionalProperties\":false}"
#define CONV_LIST                                                                                                      \
    "{\"type\":\"object\",\"required\":[\"total\",\"listed\",\"items\"],\"properties\":{\"total\":" PA_S_INT           \
    ",\"listed\":{\"type\":\"integer\",\"description\":\"conversations that can be listed (retired flows "             \
    "beyond the largest kept are counted, not listed)\"},\"page\":" PA_PAGE_SCHEMA                                     \
    ",\"items\":{\"type\":\"array\",\"items\":" CONV_ITEM "}},\"additionalProperties\":false}"
#define EP_ITEM                                                                                                        \
    PA_S_OBJ("\"address\":" PA_S_STR ",\"packets\":{\"type\":\"integer\",\"description\":\"sent and "                  \
             "received, a packet to itself once\"},\"bytes\":{\"type\":\"integer\",\"description\":\"sent and "        \
             "received, a packet to itself once\"},\"tx_packets\":" PA_S_INT ",\"tx_bytes\":" PA_S_INT                 \
             ",\"rx_packets\":" PA_S_INT ",\"rx_bytes\":" PA_S_INT ",\"self_packets\":{\"type\":\"integer\","          \
             "\"description\":\"sent to itself (in tx and rx both); absent when none\"},\"self_bytes\":" PA_S_INT)

const pa_tool_def pa_tool_analyze_pcap_file = {
    .name = "analyze_pcap_file",
    .title = "Capture overview",
    .description = "Start here. analysis_type: summary (totals, top protocols and conversations), protocols "
                   "(hierarchy), conversations (with stream numbers for follow_stream), endpoints, security "
                   "(findings).",
    .input_schema = "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE ","
                    "\"analysis_type\":{\"type\":\"string\",\"enum\":[\"summary\",\"protocols\","
                    "\"conversations\",\"endpoints\",\"security\"],\"default\":\"summary\"},"
                    "\"conversation_type\":{\"type\":\"string\",\"enum\":[\"all\",\"eth\",\"ip\",\"tcp\","
                    "\"udp\"],\"default\":\"all\"}," PA_ARG_BPF
                    "," PA_ARG_LIMIT(50, 1000) "," PA_ARG_OFFSET "},\"additionalProperties\":false}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"analysis_type\",\"capture\"],\"properties\":{"
        "\"analysis_type\":" PA_S_STR ",\"capture\":" PA_CAPTURE_SCHEMA
        ",\"summary\":" PA_S_OBJ("\"format\":" PA_S_STR ",\"file_size\":" PA_S_INT ",\"link_types\":" PA_S_ROWS(
            "\"linktype\":" PA_S_INT ",\"name\":" PA_S_STR
            ",\"decoded\":" PA_S_BOOL ",\"frames\":" PA_S_INT) ",\"snaplen\":" PA_S_INT ",\"packets\":" PA_S_INT
                                                               ",\"bytes\":" PA_S_INT ",\"captured_bytes\":" PA_S_INT
                                                               ",\"first_time\":{\"type\":\"string\",\"description\":\"absent without packets\"},\"last_time\":"
                                                               "{\"type\":\"string\",\"description\":\"absent without packets\"},\"duration_s\":" PA_S_NUM
                                                               ",\"avg_packet_size\":" PA_S_NUM
                                                               ",\"avg_packets_per_s\":" PA_S_NUM
                                                               ",\"avg_bytes_per_s\":" PA_S_NUM
                                                               ",\"avg_bits_per_s\":" PA_S_NUM
                                                               ",\"truncated_frames\":" PA_S_INT
                                                               ",\"unsupported_link_frames\":" PA_S_INT
                                                               ",\"time_backwards_frames\":" PA_S_INT
                                                               ",\"active_periods\":{\"type\":\"integer\",\"description\":"
                                                               "\"stretches between silences of a minute or more (docs/TRAFFIC_OVER_TIME.md)\"},\"active_s\":" PA_S_NUM
                                                               ",\"active_bits_per_s\":{\"type\":\"number\",\"description\":\"over the active time; "
                                                               "absent when it is nil\"}") ",\"top_protocols\":" PA_S_ROWS("\"protocol\":" PA_S_STR
                                                                                                                           ",\"frames\":" PA_S_INT ",\"bytes\":" PA_S_INT) ",\"top_conversations\":{\"type\":\"array\",\"items\":" CONV_ITEM "},\"flows\":" PA_S_OBJ("\"tcp\":" PA_S_INT ",\"udp\":" PA_S_INT ",\"total\":" PA_S_INT ",\"retired\":" PA_S_INT ",\"untracked_packets\":" PA_S_INT ",\"cap_reached\":" PA_S_BOOL) ",\"anomalies\":" PA_S_ROWS("\"name\":" PA_S_STR
                                                                                                                                                                                                                                                                                                                                                                                                                                                            ",\"description\":" PA_S_STR ",\"count\":" PA_S_INT ",\"first_frames\":" PA_S_INTS) ",\"page\":" PA_PAGE_SCHEMA ",\"protocols\":" PA_S_ROWS("\"protocol\":" PA_S_STR
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                        ",\"depth\":" PA_S_INT ",\"frames\":" PA_S_INT ",\"bytes\":" PA_S_INT ",\"frames_pct\":" PA_S_NUM ",\"bytes_pct\":" PA_S_NUM) ",\"conversations\":" PA_S_OBJ("\"tcp\":" CONV_LIST ",\"udp\":" CONV_LIST ",\"ip\":" CONV_LIST ",\"eth\":" CONV_LIST) ",\"endpoints\":" PA_S_OBJ("\"ip_total\":" PA_S_INT
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                       ",\"page\":" PA_PAGE_SCHEMA
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                       ",\"ip\":{\"type\":\"array\",\"items\":" EP_ITEM
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                       "},\"eth_total\":" PA_S_INT
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                       ",\"eth\":{\"type\":\"array\",\"description\":\"the largest, with offset 0 "
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                       "only\",\"items\":" EP_ITEM "}") ",\"security\":" PA_S_OBJ("\"findings\":" PA_S_OBJ("\"total\":" PA_S_INT
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                           ",\"high\":" PA_S_INT
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                           ",\"medium\":" PA_S_INT ",\"low\":" PA_S_INT) ",\"by_kind\":" PA_S_COUNTS
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                         ",\"page\":" PA_PAGE_SCHEMA ",\"top_findings\":{\"type\":\"array\",\"items\":" PA_SEC_FINDING_SCHEMA "},\"expert\":" PA_S_OBJ("\"error\":" PA_S_INT ",\"warn\":" PA_S_INT ",\"note\":" PA_S_INT ",\"chat\":" PA_S_INT) ",\"anomalous_packets\":" PA_S_INT
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                ",\"protocols_on_unexpected_ports\":" PA_S_INT
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                ",\"cleartext_logins\":" PA_S_INT) "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run,
};
