/* analyze_mtu_fragmentation: IP fragments (IPv4 and IPv6) and path MTU.
 * From the model: the fragment tables (frag_track.c) and the decoder's
 * reassembly failures (frag.* anomalies); the paths an ICMP "fragmentation
 * needed" or ICMPv6 "packet too big" announced an MTU for, with the packets
 * that still went that way too large (icmp_track.c); TCP connections whose
 * announced MSS does not fit that MTU; the largest packet of each flow's
 * directions. Definitions in docs/NETWORK_LAYER.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_icmp_common.h"
#include "tool_tcp_common.h"

/* Rows of the lists shown before the paged datagrams (paths, MSS). */
#define FIRST_ROWS 10

/* IP + TCP headers without options: what an MSS leaves out of a packet. */
static uint32_t tcp_ip_headers(uint8_t ver) { return ver == 6 ? 60 : 40; }

static bool black_hole(const pa_icmp_path *h) { return h->oversize_retrans > 0; }

static int path_desc(const void *x, const void *y) {
    const pa_icmp_path *a = *(const pa_icmp_path *const *)x, *b = *(const pa_icmp_path *const *)y;
    if (black_hole(a) != black_hole(b)) return black_hole(a) ? -1 : 1;
    if (a->oversize != b->oversize) return a->oversize < b->oversize ? 1 : -1;
    if (a->messages != b->messages) return a->messages < b->messages ? 1 : -1;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

/* 0 never reassembled, 1 reassembled with problems, 2 whole */
static int dg_rank(const pa_frag_dg *d) { return !d->reassembled_frame ? 0 : d->flags ? 1 : 2; }

static int dg_desc(const void *x, const void *y) {
    const pa_frag_dg *a = *(const pa_frag_dg *const *)x, *b = *(const pa_frag_dg *const *)y;
    if (dg_rank(a) != dg_rank(b)) return dg_rank(a) - dg_rank(b);
    if (a->fragments != b->fragments) return a->fragments < b->fragments ? 1 : -1;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

static int src_desc(const void *x, const void *y) {
    const pa_frag_src *a = *(const pa_frag_src *const *)x, *b = *(const pa_frag_src *const *)y;
    if (a->fragments != b->fragments) return a->fragments < b->fragments ? 1 : -1;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

static uint32_t flow_max(const pa_flow *f) {
    return f->max_ip_len[0] > f->max_ip_len[1] ? f->max_ip_len[0] : f->max_ip_len[1];
}

static int largest_desc(const void *x, const void *y) {
    const pa_flow *a = *(const pa_flow *const *)x, *b = *(const pa_flow *const *)y;
    if (flow_max(a) != flow_max(b)) return flow_max(a) < flow_max(b) ? 1 : -1;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

/* The packets of a path that were too large: not the ICMP errors, whose
 * quoted header carries the same addresses and length. */
static void path_filter(char *out, size_t n, const pa_icmp_path *h) {
    char a[64], b[64];
    pa_addr_str(&h->src, a, sizeof a);
    pa_addr_str(&h->dst, b, sizeof b);
    if (h->ver == 6)
        snprintf(out, n, "ipv6.src == %s && ipv6.dst == %s && ipv6.plen > %u && !icmpv6", a, b,
                 h->mtu > 40 ? h->mtu - 40 : 0);
    else
        snprintf(out, n, "ip.src == %s && ip.dst == %s && ip.flags.df == 1 && ip.len > %u && !icmp", a, b, h->mtu);
}

static void dg_filter(char *out, size_t n, const pa_frag_dg *d) {
    char a[64], b[64];
    pa_addr_str(&d->src, a, sizeof a);
    pa_addr_str(&d->dst, b, sizeof b);
    if (d->ver == 6)
        snprintf(out, n, "ipv6.src == %s && ipv6.dst == %s && ipv6.fraghdr.ident == 0x%08x", a, b, (unsigned)d->id);
    else
        snprintf(out, n, "ip.src == %s && ip.dst == %s && ip.id == 0x%04x", a, b, (unsigned)(d->id & 0xFFFF));
}

static void paths_list(pa_report *rep, const pa_icmp_path *const *v, size_t n, size_t lim) {
    pa_page_heading(&rep->res->text,
                    "Paths with an announced MTU (fragmentation needed, packet too big), black-hole suspects first,", 0,
                    lim, n, "");
    pa_rows rows;
    pa_rows_begin(&rows, rep, "paths", 0, lim, n, false);
    for (size_t i = 0; i < n && i < lim; i++) {
        const pa_icmp_path *h = v[i];
        char a[64], b[64], r[64], filter[320];
        pa_addr_str(&h->src, a, sizeof a);
        pa_addr_str(&h->dst, b, sizeof b);
        pa_addr_str(&h->reporter, r, sizeof r);
        path_filter(filter, sizeof filter, h);
        pa_buf *ln = pa_rows_line(&rows);
        pa_buf_printf(ln, "  %s %s -> %s: MTU %u announced by %s (frame %llu), %llu announcements (frames %llu..%llu)",
                      h->ver == 6 ? "ipv6" : "ipv4", a, b, h->mtu, r, (unsigned long long)h->mtu_frame,
                      (unsigned long long)h->messages, (unsigned long long)h->first_frame,
                      (unsigned long long)h->last_frame);
        json_t *o = json_pack("{s:s, s:o, s:o, s:i, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:s}", "protocol",
                              h->ver == 6 ? "ipv6" : "ipv4", "src", pa_json_addr(&h->src), "dst", pa_json_addr(&h->dst),
                              "mtu", (int)h->mtu, "announced_by", pa_json_addr(&h->reporter), "mtu_frame",
                              (json_int_t)h->mtu_frame, "announcements", (json_int_t)h->messages, "first_frame",
                              (json_int_t)h->first_frame, "last_frame", (json_int_t)h->last_frame, "oversize_packets",
                              (json_int_t)h->oversize, "oversize_retransmissions", (json_int_t)h->oversize_retrans,
                              "black_hole_suspect", black_hole(h), "display_filter", filter);
        if (h->oversize) {
            pa_buf_printf(ln, "; then %llu packets larger (up to %u bytes), frames", (unsigned long long)h->oversize,
                          h->oversize_max);
            json_object_set_new(o, "oversize_frames", pa_icmp_frames_json(h->oversize_frames, h->oversize, ln));
            json_object_set_new(o, "largest_oversize", json_integer(h->oversize_max));
            if (h->oversize_stream >= 0) {
                const char *pn = pa_ip_proto_name(h->oversize_proto);
                json_object_set_new(o, "oversize_stream", json_integer((json_int_t)h->oversize_stream));
                json_object_set_new(o, "oversize_protocol", json_string(pn ? pn : "ip"));
                pa_buf_printf(ln, " (first in %s.stream %lld)", pn ? pn : "ip", (long long)h->oversize_stream);
            }
        }
        if (h->oversize_retrans) {
            pa_buf_printf(ln, "; BLACK HOLE SUSPECT: %llu of them TCP retransmissions still too large, frames",
                          (unsigned long long)h->oversize_retrans);
            json_object_set_new(o, "retransmission_frames",
                                pa_icmp_frames_json(h->retrans_frames, h->oversize_retrans, ln));
            if (h->retrans_stream >= 0) {
                json_object_set_new(o, "retransmission_stream", json_integer((json_int_t)h->retrans_stream));
                pa_buf_printf(ln, " (tcp.stream %lld)", (long long)h->retrans_stream);
            }
        }
        pa_buf_printf(ln, "; %s\n", filter);
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, rep->res->structured, "mtu_paths", NULL);
}

/* A TCP direction whose peer's MSS does not fit the path MTU announced for
 * it: the sender may build segments the path cannot carry. */
typedef struct mss_row {
    const pa_conn *c;
    bool from_client;
    const pa_icmp_path *h;
    uint16_t mss;
    uint32_t largest;
} mss_row;

static size_t mss_rows(const pa_model *m, const pa_conn *cv, size_t nc, mss_row *out, size_t max) {
    size_t n = 0;
    if (!m->icmp.paths.count) return 0;
    for (size_t i = 0; i < nc; i++) {
        const pa_conn *c = &cv[i];
        for (int dir = 0; dir < 2; dir++) {
            bool from_client = dir == 0;
            int snd = from_client ? c->cs : 1 - c->cs;
            pa_icmp_path key;
            memset(&key, 0, sizeof key);
            key.ver = c->f->key.ver;
            key.src = from_client ? c->client : c->server;
            key.dst = from_client ? c->server : c->client;
            const pa_icmp_path *h = pa_htab_find(&m->icmp.paths, &key);
            uint16_t mss = c->f->tcp->dir[1 - snd].mss; /* what the receiver accepts */
            if (!h || !mss || (uint32_t)mss + tcp_ip_headers(key.ver) <= h->mtu) continue;
            if (n < max) out[n] = (mss_row){c, from_client, h, mss, c->f->max_ip_len[snd]};
            n++;
        }
    }
    return n;
}

static void mss_list(pa_report *rep, const mss_row *v, size_t n, size_t kept, size_t lim) {
    pa_page_heading(&rep->res->text,
                    "TCP directions whose MSS does not fit the announced path MTU (MSS + headers > MTU),", 0, lim, n,
                    "");
    pa_rows rows;
    pa_rows_begin(&rows, rep, "MSS rows", 0, lim, n, false);
    for (size_t i = 0; i < kept && i < lim; i++) {
        const mss_row *r = &v[i];
        uint32_t need = r->mss + tcp_ip_headers(r->h->ver);
        pa_buf *ln = pa_rows_line(&rows);
        pa_buf_puts(ln, "  ");
        pa_conn_text(ln, r->c);
        pa_buf_printf(ln, ", %s: MSS %u + %u = %u > MTU %u; largest packet sent %u\n",
                      r->from_client ? "client_to_server" : "server_to_client", r->mss, tcp_ip_headers(r->h->ver), need,
                      r->h->mtu, r->largest);
        json_t *o = pa_conn_json(r->c);
        json_object_set_new(o, "direction", json_string(r->from_client ? "client_to_server" : "server_to_client"));
        json_object_set_new(o, "mss", json_integer(r->mss));
        json_object_set_new(o, "packet_size", json_integer(need));
        json_object_set_new(o, "path_mtu", json_integer(r->h->mtu));
        json_object_set_new(o, "largest_sent", json_integer(r->largest));
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, rep->res->structured, "mss_over_path_mtu", NULL);
}

static void sources_list(pa_report *rep, const pa_frag_stats *fs, size_t lim) {
    const pa_frag_src **v = malloc((fs->sources.count ? fs->sources.count : 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; v && i < fs->sources.count; i++) v[n++] = pa_htab_rec(&fs->sources, i);
    if (v) qsort(v, n, sizeof *v, src_desc);
    pa_page_heading(&rep->res->text, "Sources of fragments,", 0, lim, n, "");
    pa_rows rows;
    pa_rows_begin(&rows, rep, "sources", 0, lim, n, false);
    for (size_t i = 0; v && i < n && i < lim; i++) {
        char a[64];
        pa_addr_str(&v[i]->addr, a, sizeof a);
        pa_buf_printf(pa_rows_line(&rows), "  %s: %llu fragments of %llu datagrams, largest fragment %u bytes\n", a,
                      (unsigned long long)v[i]->fragments, (unsigned long long)v[i]->datagrams, v[i]->largest);
        if (!pa_rows_push(&rows, json_pack("{s:o, s:I, s:I, s:i, s:I}", "source", pa_json_addr(&v[i]->addr),
                                           "fragments", (json_int_t)v[i]->fragments, "datagrams",
                                           (json_int_t)v[i]->datagrams, "largest_fragment", (int)v[i]->largest,
                                           "first_frame", (json_int_t)v[i]->first_frame)))
            break;
    }
    pa_rows_end(&rows, rep->res->structured, "fragment_sources", NULL);
    free(v);
}

static const struct {
    uint8_t bit;
    const char *name;
} dg_problems[] = {{PA_FRAGD_OVERLAP, "overlap"},    {PA_FRAGD_CONFLICT, "overlap_conflicting"},
                   {PA_FRAGD_TOO_BIG, "too_big"},    {PA_FRAGD_TOO_MANY, "too_many_fragments"},
                   {PA_FRAGD_TABLE_FULL, "refused"}, {PA_FRAGD_SNAPLEN, "cut_by_snaplen"}};

static json_t *dg_row(const pa_frag_dg *d, pa_buf *ln) {
    char a[64], b[64], filter[256];
    pa_addr_str(&d->src, a, sizeof a);
    pa_addr_str(&d->dst, b, sizeof b);
    dg_filter(filter, sizeof filter, d);
    const char *pn = pa_ip_proto_name(d->proto);
    pa_buf_printf(ln, "  %s %s -> %s id 0x%0*x %s: %u fragments, frames %llu..%llu, ", d->ver == 6 ? "ipv6" : "ipv4", a,
                  b, d->ver == 6 ? 8 : 4, d->id, pn ? pn : "proto", d->fragments, (unsigned long long)d->first_frame,
                  (unsigned long long)d->last_frame);
    json_t *o =
        json_pack("{s:s, s:o, s:o, s:I, s:i, s:i, s:I, s:I, s:i}", "protocol", d->ver == 6 ? "ipv6" : "ipv4", "src",
                  pa_json_addr(&d->src), "dst", pa_json_addr(&d->dst), "id", (json_int_t)d->id, "ip_protocol", d->proto,
                  "fragments", (int)d->fragments, "first_frame", (json_int_t)d->first_frame, "last_frame",
                  (json_int_t)d->last_frame, "largest_fragment", (int)d->largest);
    if (d->reassembled_frame) {
        pa_buf_printf(ln, "reassembled in frame %llu (%u bytes)", (unsigned long long)d->reassembled_frame, d->size);
        json_object_set_new(o, "status", json_string("reassembled"));
        json_object_set_new(o, "reassembled_frame", json_integer((json_int_t)d->reassembled_frame));
        json_object_set_new(o, "size", json_integer(d->size));
    } else {
        pa_buf_printf(ln, "incomplete (%s)",
                      !d->have_first && !d->have_last ? "first and last fragments missing"
                      : !d->have_first                ? "first fragment missing"
                      : !d->have_last                 ? "last fragment missing"
                                                      : "a hole or a refused fragment");
        json_object_set_new(o, "status", json_string("incomplete"));
    }
    json_t *pr = json_array();
    for (size_t k = 0; k < sizeof dg_problems / sizeof dg_problems[0]; k++)
        if (d->flags & dg_problems[k].bit) {
            json_array_append_new(pr, json_string(dg_problems[k].name));
            pa_buf_printf(ln, ", %s", dg_problems[k].name);
        }
    json_object_set_new(o, "problems", pr);
    json_object_set_new(o, "display_filter", json_string(filter));
    pa_buf_printf(ln, "; %s\n", filter);
    return o;
}

static void largest_list(pa_report *rep, const pa_model *m, size_t lim) {
    const pa_flow **fl;
    size_t nf = pa_model_flows(m, -1, &fl);
    size_t top = fl ? pa_flows_top(fl, nf, lim, largest_desc) : 0;
    pa_page_heading(&rep->res->text, "Largest packets per flow (IP length, A->B / B->A),", 0, lim, nf, "");
    pa_rows rows;
    pa_rows_begin(&rows, rep, "flows", 0, lim, nf, false);
    for (size_t i = 0; i < top; i++) {
        const pa_flow *f = fl[i];
        int ia = f->a_first ? 0 : 1;
        pa_buf *ln = pa_rows_line(&rows);
        pa_buf_puts(ln, "  ");
        pa_flow_text(ln, f);
        pa_buf_printf(ln, ": %u / %u bytes\n", f->max_ip_len[ia], f->max_ip_len[1 - ia]);
        json_t *o = pa_flow_json(f);
        json_object_set_new(o, "largest_a_to_b", json_integer(f->max_ip_len[ia]));
        json_object_set_new(o, "largest_b_to_a", json_integer(f->max_ip_len[1 - ia]));
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, rep->res->structured, "largest_packets", NULL);
    free(fl);
}

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    const pa_frag_stats *fs = &m->frags;
    const pa_icmp_stats *ic = &m->icmp;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    size_t lim = pa_arg_limit(args), offset = pa_arg_offset(args);
    pa_text_capture_header(t, &l);

    const pa_icmp_path **pv = malloc((ic->paths.count ? ic->paths.count : 1) * sizeof *pv);
    size_t np = 0, suspects = 0;
    uint64_t announcements = 0, oversize = 0, oversize_retrans = 0;
    for (size_t i = 0; pv && i < ic->paths.count; i++) {
        const pa_icmp_path *h = pv[np++] = pa_htab_rec(&ic->paths, i);
        announcements += h->messages;
        oversize += h->oversize;
        oversize_retrans += h->oversize_retrans;
        suspects += black_hole(h);
    }
    if (pv) qsort(pv, np, sizeof *pv, path_desc);
    pa_conn *cv = NULL;
    size_t nc = pa_tcp_conns(m, &cv);
    mss_row *mv = malloc((lim ? lim : 1) * sizeof *mv);
    size_t nmss = mv ? mss_rows(m, cv, nc, mv, lim) : 0;
    const pa_frag_dg **dv = malloc((fs->dgrams.count ? fs->dgrams.count : 1) * sizeof *dv);
    size_t nd = 0, incomplete_listed = 0;
    for (size_t i = 0; dv && i < fs->dgrams.count; i++) {
        dv[nd] = pa_htab_rec(&fs->dgrams, i);
        incomplete_listed += !dv[nd]->reassembled_frame;
        nd++;
    }
    if (dv) qsort(dv, nd, sizeof *dv, dg_desc);

    const uint64_t *an = m->anom_count;
    if (fs->fragments)
        pa_buf_printf(t,
                      "Fragments: %llu (%llu IPv4, %llu IPv6) of %zu datagrams; %llu reassembled, %llu never "
                      "complete. Reassembly problems: %llu overlapping (%llu with different bytes), %llu past "
                      "65535 bytes, %llu with too many fragments, %llu refused (table full).\n",
                      (unsigned long long)fs->fragments, (unsigned long long)(fs->fragments - fs->fragments_v6),
                      (unsigned long long)fs->fragments_v6, nd, (unsigned long long)fs->reassembled,
                      (unsigned long long)m->frags_incomplete, (unsigned long long)an[PA_A_FRAG_OVERLAP],
                      (unsigned long long)an[PA_A_FRAG_INCONSISTENT], (unsigned long long)an[PA_A_FRAG_TOO_BIG],
                      (unsigned long long)an[PA_A_FRAG_TOO_MANY], (unsigned long long)an[PA_A_FRAG_TABLE_FULL]);
    else
        pa_buf_puts(t, "No IP fragments in this capture.\n");
    if (announcements)
        pa_buf_printf(t,
                      "Path MTU: %llu announcements (fragmentation needed, packet too big) about %zu paths; "
                      "afterwards %llu packets on those paths were still larger than the MTU (DF set or IPv6), "
                      "%llu of them TCP retransmissions; %zu black-hole suspects; %zu TCP directions whose MSS "
                      "does not fit.\n",
                      (unsigned long long)announcements, np, (unsigned long long)oversize,
                      (unsigned long long)oversize_retrans, suspects, nmss);
    else
        pa_buf_puts(t, "No MTU announced by ICMP (fragmentation needed) or ICMPv6 (packet too big).\n");
    res->structured = json_pack(
        "{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}}",
        "capture", pa_capture_json(&l), "totals", "fragments", (json_int_t)fs->fragments, "ipv4_fragments",
        (json_int_t)(fs->fragments - fs->fragments_v6), "ipv6_fragments", (json_int_t)fs->fragments_v6,
        "fragmented_datagrams", (json_int_t)nd, "reassembled", (json_int_t)fs->reassembled, "incomplete",
        (json_int_t)m->frags_incomplete, "overlapping", (json_int_t)an[PA_A_FRAG_OVERLAP], "overlapping_conflicting",
        (json_int_t)an[PA_A_FRAG_INCONSISTENT], "too_big", (json_int_t)an[PA_A_FRAG_TOO_BIG], "too_many_fragments",
        (json_int_t)an[PA_A_FRAG_TOO_MANY], "refused_table_full", (json_int_t)an[PA_A_FRAG_TABLE_FULL],
        "mtu_announcements", (json_int_t)announcements, "paths_with_mtu", (json_int_t)np, "oversize_after_mtu",
        (json_int_t)oversize, "oversize_retransmissions", (json_int_t)oversize_retrans, "black_hole_suspects",
        (json_int_t)suspects, "mss_over_path_mtu", (json_int_t)nmss, "datagrams_not_itemised",
        (json_int_t)fs->dgram_overflow);
    (void)incomplete_listed;

    /* offset pages the datagrams; the other lists come with the first page,
     * the two before the datagrams at most FIRST_ROWS long, so that they can
     * never fill the budget and leave the first datagrams out of every page */
    size_t first = lim < FIRST_ROWS ? lim : FIRST_ROWS;
    if (!offset) {
        paths_list(&rep, pv, np, first);
        mss_list(&rep, mv, nmss, nmss < first ? nmss : first, first);
    } else {
        pa_buf_puts(t, "(offset pages the datagrams: the other lists are on the first page, offset=0.)\n");
    }
    pa_page_heading(t, "Fragmented datagrams, incomplete or damaged first,", offset, lim, nd,
                    " (the filter selects their fragments)");
    pa_rows rows;
    pa_rows_begin(&rows, &rep, "datagrams", offset, lim, nd, true);
    for (size_t i = offset; dv && i < nd && i - offset < lim; i++)
        if (!pa_rows_push(&rows, dg_row(dv[i], pa_rows_line(&rows)))) break;
    pa_rows_end(&rows, res->structured, "datagrams", "page");
    if (!offset) sources_list(&rep, fs, lim);

    if (!offset) largest_list(&rep, m, lim);
    free(dv);
    free(mv);
    free(cv);
    free(pv);
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

/* clang-format off */
const pa_tool_def pa_tool_analyze_mtu_fragmentation = {
    .name = "analyze_mtu_fragmentation",
    .title = "MTU and fragments",
    .description = "IP fragments, path MTU from ICMP, packets and MSS too big for it.",
    .input_schema = PA_TCP_TOOL_INPUT_PAGED(20),
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"datagrams\",\"page\"],"
        "\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" PA_S_OBJ(
            "\"fragments\":" PA_S_INT ",\"ipv4_fragments\":" PA_S_INT ",\"ipv6_fragments\":" PA_S_INT
            ",\"fragmented_datagrams\":" PA_S_INT ",\"reassembled\":" PA_S_INT ",\"incomplete\":" PA_S_INT
            ",\"overlapping\":" PA_S_INT ",\"overlapping_conflicting\":" PA_S_INT ",\"too_big\":" PA_S_INT
            ",\"too_many_fragments\":" PA_S_INT ",\"refused_table_full\":" PA_S_INT
            ",\"mtu_announcements\":" PA_S_INT ",\"paths_with_mtu\":" PA_S_INT
            ",\"oversize_after_mtu\":{\"type\":\"integer\",\"description\":\"packets (IPv4 with DF, or "
            "IPv6) larger than the MTU announced for their path, sent after the first announcement\"}"
            ",\"oversize_retransmissions\":" PA_S_INT ",\"black_hole_suspects\":{\"type\":\"integer\","
            "\"description\":\"paths where a TCP retransmission was still larger than the announced MTU\"}"
            ",\"mss_over_path_mtu\":" PA_S_INT ",\"datagrams_not_itemised\":" PA_S_INT)
        ",\"mtu_paths\":" PA_S_ROWS(
            "\"protocol\":" PA_S_STR ",\"src\":" PA_S_STR ",\"dst\":" PA_S_STR ",\"mtu\":" PA_S_INT
            ",\"announced_by\":" PA_S_STR ",\"mtu_frame\":" PA_S_INT ",\"announcements\":" PA_S_INT
            ",\"first_frame\":" PA_S_INT ",\"last_frame\":" PA_S_INT ",\"oversize_packets\":" PA_S_INT
            ",\"oversize_frames\":" PA_S_INTS ",\"largest_oversize\":" PA_S_INT ",\"oversize_stream\":" PA_S_INT
            ",\"oversize_protocol\":" PA_S_STR ",\"oversize_retransmissions\":" PA_S_INT
            ",\"retransmission_frames\":" PA_S_INTS ",\"retransmission_stream\":" PA_S_INT
            ",\"black_hole_suspect\":" PA_S_BOOL ",\"display_filter\":" PA_S_STR)
        ",\"mss_over_path_mtu\":" PA_S_ROWS(
            PA_CONN_ID_PROPS ",\"direction\":" PA_S_STR ",\"mss\":{\"type\":\"integer\",\"description\":"
            "\"the MSS the receiving side announced in its SYN\"},\"packet_size\":" PA_S_INT
            ",\"path_mtu\":" PA_S_INT ",\"largest_sent\":" PA_S_INT)
        ",\"fragment_sources\":" PA_S_ROWS(
            "\"source\":" PA_S_STR ",\"fragments\":" PA_S_INT ",\"datagrams\":" PA_S_INT
            ",\"largest_fragment\":" PA_S_INT ",\"first_frame\":" PA_S_INT)
        ",\"page\":" PA_PAGE_SCHEMA
        ",\"datagrams\":" PA_S_ROWS(
            "\"protocol\":" PA_S_STR ",\"src\":" PA_S_STR ",\"dst\":" PA_S_STR ",\"id\":" PA_S_INT
            ",\"ip_protocol\":" PA_S_INT ",\"fragments\":" PA_S_INT ",\"first_frame\":" PA_S_INT
            ",\"last_frame\":" PA_S_INT ",\"largest_fragment\":" PA_S_INT ",\"status\":{\"type\":\"string\","
            "\"enum\":[\"reassembled\",\"incomplete\"]},\"reassembled_frame\":" PA_S_INT ",\"size\":" PA_S_INT
            ",\"problems\":" PA_S_STRS ",\"display_filter\":" PA_S_STR)
        ",\"largest_packets\":" PA_S_ROWS(
            PA_FLOW_ID_PROPS ",\"largest_a_to_b\":" PA_S_INT ",\"largest_b_to_a\":" PA_S_INT)
        "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run,
};
/* clang-format on */
