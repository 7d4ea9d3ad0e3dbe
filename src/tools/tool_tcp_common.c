#include "tool_tcp_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t pa_tcp_conns(const pa_model *m, pa_conn **out) {
    const pa_flow **fl;
    size_t n = pa_model_flows(m, 6, &fl), k = 0;
    pa_conn *v = calloc(n ? n : 1, sizeof *v);
    if (!v) {
        free(fl);
        *out = NULL;
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (!fl[i]->tcp) continue;
        pa_conn *c = &v[k++];
        c->f = fl[i];
        /* The client opened the connection (Zeek's originator: the SYN's
         * sender, or the first sender when the handshake was missed). */
        c->cs = fl[i]->zeek.orig_is_a ? 0 : 1;
        pa_addr a = {fl[i]->key.ver, {0}}, b = {fl[i]->key.ver, {0}};
        memcpy(a.b, fl[i]->key.a, 16);
        memcpy(b.b, fl[i]->key.b, 16);
        c->client = c->cs == 0 ? a : b;
        c->server = c->cs == 0 ? b : a;
        c->cport = c->cs == 0 ? fl[i]->key.port_a : fl[i]->key.port_b;
        c->sport = c->cs == 0 ? fl[i]->key.port_b : fl[i]->key.port_a;
    }
    free(fl);
    *out = v;
    return k;
}

typedef struct scored {
    double score;
    uint32_t stream;
    size_t index;
} scored;

static int by_score(const void *x, const void *y) {
    const scored *a = x, *b = y;
    if (a->score != b->score) return a->score < b->score ? 1 : -1;
    if (a->stream != b->stream) return a->stream < b->stream ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* Puts the element of rank k (by_score order) at a[k], the smaller ones
 * before it: quickselect, linear on average; after 64 rounds (inputs built
 * to defeat the pivots) the rest of the range is simply sorted. */
static void select_first(scored *a, size_t n, size_t k) {
    size_t lo = 0, hi = n;
    for (int round = 0; hi - lo > 1; round++) {
        if (round == 64) {
            qsort(a + lo, hi - lo, sizeof *a, by_score);
            return;
        }
        size_t mid = lo + (hi - lo) / 2, store = lo;
        scored t = a[mid];
        a[mid] = a[hi - 1];
        a[hi - 1] = t;
        for (size_t i = lo; i + 1 < hi; i++)
            if (by_score(&a[i], &a[hi - 1]) < 0) {
                t = a[i];
                a[i] = a[store];
                a[store++] = t;
            }
        t = a[store];
        a[store] = a[hi - 1];
        a[hi - 1] = t;
        if (k == store) return;
        if (k < store)
            hi = store;
        else
            lo = store + 1;
    }
}

/* Each score is computed once (a percentile over a histogram is not cheap,
 * and a comparison sort would ask for it 2 log n times per connection);
 * only the first `need` are sorted (a tool lists at most its limit), the
 * rest follow in no particular order. */
void pa_conn_sort(pa_conn *v, size_t n, double (*score)(const pa_conn *), size_t need) {
    if (n < 2) return;
    scored *k = malloc(n * sizeof *k);
    pa_conn *out = malloc(n * sizeof *out);
    if (!k || !out) { /* left unsorted rather than failing the call */
        free(k);
        free(out);
        return;
    }
    for (size_t i = 0; i < n; i++) k[i] = (scored){score(&v[i]), v[i].f->stream, i};
    if (need < n) select_first(k, n, need);
    qsort(k, need < n ? need : n, sizeof *k, by_score);
    for (size_t i = 0; i < n; i++) out[i] = v[k[i].index];
    memcpy(v, out, n * sizeof *v);
    free(k);
    free(out);
}

json_t *pa_conn_json(const pa_conn *c) {
    return json_pack("{s:I, s:o, s:i, s:o, s:i}", "stream", (json_int_t)c->f->stream, "client",
                     pa_json_addr(&c->client), "client_port", c->cport, "server", pa_json_addr(&c->server),
                     "server_port", c->sport);
}

size_t pa_conn_count_scored(const pa_conn *cv, size_t n, double (*score)(const pa_conn *)) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += score(&cv[i]) > 0;
    return k;
}

void pa_page_heading(pa_buf *t, const char *what, size_t offset, size_t limit, size_t total, const char *tail) {
    if (offset < total)
        pa_buf_printf(t, "%s %zu-%zu of %zu%s:\n", what, offset + 1, pa_page_end(offset, limit, total), total, tail);
}

void pa_conn_list(pa_report *rep, pa_conn *cv, size_t n, double (*score)(const pa_conn *), size_t total, size_t offset,
                  size_t limit, const char *heading, const char *tail, pa_conn_row_fn row, const void *ud,
                  const char *key, const char *page_key) {
    pa_conn_sort(cv, n, score, pa_page_end(offset, limit, n));
    pa_page_heading(&rep->res->text, heading, offset, limit, total, tail);
    pa_rows rows;
    pa_rows_begin(&rows, rep, "connections", offset, limit, total, page_key != NULL);
    for (size_t i = offset; i < total && i - offset < limit; i++) {
        pa_buf *b = pa_rows_line(&rows);
        pa_buf_puts(b, "  ");
        pa_conn_text(b, &cv[i]);
        if (!pa_rows_push(&rows, row(&cv[i], b, ud))) break;
    }
    pa_rows_end(&rows, rep->res->structured, key, page_key);
}

void pa_endpoint_text(pa_buf *b, const pa_addr *a, uint16_t port) {
    char s[64];
    pa_addr_str(a, s, sizeof s);
    pa_buf_printf(b, a->family == 6 ? "[%s]:%u" : "%s:%u", s, port);
}

void pa_conn_text(pa_buf *b, const pa_conn *c) {
    pa_buf_printf(b, "stream %u ", c->f->stream);
    pa_endpoint_text(b, &c->client, c->cport);
    pa_buf_puts(b, " -> ");
    pa_endpoint_text(b, &c->server, c->sport);
}

const char *pa_flow_proto(const pa_flow *f) {
    return f->key.ipproto == 6 ? "tcp" : f->key.ipproto == 17 ? "udp" : "ip";
}

static bool has_ports(const pa_flow *f) { return f->key.ipproto == 6 || f->key.ipproto == 17; }

void pa_flow_text(pa_buf *b, const pa_flow *f) {
    pa_addr a, z;
    uint16_t pa, pz;
    pa_flow_sides(f, &a, &pa, &z, &pz);
    if (has_ports(f)) {
        pa_buf_printf(b, "%s stream %u ", pa_flow_proto(f), f->stream);
        pa_endpoint_text(b, &a, pa);
        pa_buf_puts(b, " <-> ");
        pa_endpoint_text(b, &z, pz);
    } else {
        char as[64], zs[64];
        pa_addr_str(&a, as, sizeof as);
        pa_addr_str(&z, zs, sizeof zs);
        pa_buf_printf(b, "ip proto %u %s <-> %s", f->key.ipproto, as, zs);
    }
}

json_t *pa_flow_json(const pa_flow *f) {
    pa_addr a, z;
    uint16_t pa, pz;
    pa_flow_sides(f, &a, &pa, &z, &pz);
    json_t *o = json_pack("{s:s, s:o, s:i, s:o, s:i}", "protocol", pa_flow_proto(f), "address_a", pa_json_addr(&a),
                          "port_a", pa, "address_b", pa_json_addr(&z), "port_b", pz);
    if (has_ports(f))
        json_object_set_new(o, "stream", json_integer((json_int_t)f->stream));
    else
        json_object_set_new(o, "ip_protocol", json_integer(f->key.ipproto));
    return o;
}

uint32_t pa_conn_count(const pa_conn *c, unsigned bit) { return c->f->tcp->count[0][bit] + c->f->tcp->count[1][bit]; }

uint32_t pa_conn_count_side(const pa_conn *c, unsigned bit, bool client) {
    return c->f->tcp->count[client ? c->cs : 1 - c->cs][bit];
}

pa_pctls pa_pctls_of(const pa_pctl_src *s) {
    static const double want[3] = {50, 90, 99};
    double ns[3];
    pa_pctls p;
    pa_pctl_ns(s, want, ns, 3, &p.estimated);
    p.p50_ms = ns[0] / 1e6;
    p.p90_ms = ns[1] / 1e6;
    p.p99_ms = ns[2] / 1e6;
    return p;
}

pa_pctl_src pa_pctl_src32(uint64_t n, int64_t min, int64_t max, const uint32_t *hist, const pa_samples *kept) {
    return (pa_pctl_src){n, min, max, kept->v, kept->n, NULL, hist, PA_RTT_BUCKETS};
}

pa_pctls pa_dns_pctls(const pa_dns_stats *d) {
    pa_pctl_src src = {d->rt_n, d->rt_min, d->rt_max, d->rt_kept.v, d->rt_kept.n, d->rt_hist, NULL, PA_RTT_BUCKETS};
    return pa_pctls_of(&src);
}

void pa_pctls_json(json_t *o, const pa_pctls *p) {
    json_object_set_new(o, "p50_ms", json_real(p->p50_ms));
    json_object_set_new(o, "p90_ms", json_real(p->p90_ms));
    json_object_set_new(o, "p99_ms", json_real(p->p99_ms));
    json_object_set_new(o, "percentiles_estimated", json_boolean(p->estimated));
}

const char *pa_ta_field(unsigned bit) {
    static const char *const names[] = {
#define X(id, name) "tcp.analysis." name,
        PA_TCP_FLAGS(X)
#undef X
    };
    return bit < PA_TA_COUNT ? names[bit] : "tcp.analysis.flags";
}

void pa_conn_filter(char *out, size_t n, const pa_conn *c, const char *const *terms, size_t nterms) {
    size_t k = (size_t)snprintf(out, n, "tcp.stream == %u", c->f->stream);
    for (size_t i = 0; i < nterms && k < n; i++)
        k += (size_t)snprintf(out + k, n - k, "%s%s%s",
                              i            ? " || "
                              : nterms > 1 ? " && ("
                                           : " && ",
                              terms[i], i + 1 == nterms && nterms > 1 ? ")" : "");
}

size_t pa_ta_terms(const pa_conn *c, const unsigned *bits, size_t nbits, const char **out) {
    size_t k = 0;
    for (size_t i = 0; i < nbits; i++)
        if (pa_conn_count(c, bits[i])) out[k++] = pa_ta_field(bits[i]);
    return k;
}

void pa_ta_frames(pa_buf *t, const pa_model *m, const unsigned *bits, size_t nbits, json_t *obj) {
    pa_buf_printf(t, "Frames (the first %d of each):", PA_TA_FIRST_FRAMES);
    for (size_t k = 0; k < nbits; k++) {
        json_t *a = json_array();
        pa_buf_printf(t, "%s %s", k ? ";" : "", pa_ta_name(bits[k]));
        for (uint64_t i = 0; i < m->ta_count[bits[k]] && i < PA_TA_FIRST_FRAMES; i++) {
            json_array_append_new(a, json_integer((json_int_t)m->ta_frames[bits[k]][i]));
            pa_buf_printf(t, " %llu", (unsigned long long)m->ta_frames[bits[k]][i]);
        }
        if (!m->ta_count[bits[k]]) pa_buf_puts(t, " none");
        json_object_set_new(obj, pa_ta_name(bits[k]), a);
    }
    pa_buf_puts(t, ".\n");
}

void pa_fmt_secs(char *out, size_t n, double s) {
    int k = snprintf(out, n, "%.3f", s);
    if (k <= 0 || (size_t)k >= n) return;
    while (k > 0 && out[k - 1] == '0') out[--k] = '\0';
    if (k > 0 && out[k - 1] == '.') out[--k] = '\0';
}

void pa_problem_series(pa_report *rep, const pa_model *m, uint32_t (*get)(const pa_bin *), size_t max_points,
                       const char *label, json_t *obj, const char *key) {
    size_t k = m->nbins ? (m->nbins + max_points - 1) / max_points : 1, nonzero = 0;
    double w = (double)m->bin_width_ns * (double)k / 1e9;
    for (size_t i = 0; i * k < m->nbins; i++) {
        uint64_t sum = 0;
        for (size_t j = i * k; j < (i + 1) * k && j < m->nbins; j++) sum += get(&m->bins[j]);
        nonzero += sum != 0;
    }
    char ws[32], st[32];
    pa_fmt_secs(ws, sizeof ws, w);
    if (nonzero)
        pa_buf_printf(&rep->res->text, "%s per %s s interval (from the first frame; empty ones left out):\n", label,
                      ws);
    pa_rows rows;
    pa_rows_begin(&rows, rep, "intervals", 0, nonzero, nonzero, false);
    for (size_t i = 0; i * k < m->nbins; i++) {
        uint64_t sum = 0;
        for (size_t j = i * k; j < (i + 1) * k && j < m->nbins; j++) sum += get(&m->bins[j]);
        if (!sum) continue;
        pa_fmt_secs(st, sizeof st, (double)i * w);
        pa_buf_printf(pa_rows_line(&rows), "  +%s s: %llu\n", st, (unsigned long long)sum);
        if (!pa_rows_push(&rows, json_pack("{s:f, s:I}", "start_s", (double)i * w, "count", (json_int_t)sum))) break;
    }
    pa_rows_end(&rows, obj, key, NULL);
}

static int ns_cmp(const void *x, const void *y) {
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* Nearest-rank percentile of sorted values, in ms. */
static double rank_ms(const int64_t *v, size_t n, double p) {
    size_t k = (size_t)(p / 100.0 * (double)n + 0.999999);
    if (k < 1) k = 1;
    if (k > n) k = n;
    return (double)v[k - 1] / 1e6;
}

json_t *pa_ns_summary_json(int64_t *v, size_t n, pa_ns_summary *out) {
    json_t *o = json_pack("{s:I}", "samples", (json_int_t)n);
    pa_ns_summary s = {0};
    if (n) {
        qsort(v, n, sizeof *v, ns_cmp);
        double sum = 0;
        for (size_t i = 0; i < n; i++) sum += (double)v[i];
        s = (pa_ns_summary){(double)v[0] / 1e6, sum / (double)n / 1e6, rank_ms(v, n, 50),
                            rank_ms(v, n, 90),  rank_ms(v, n, 99),     (double)v[n - 1] / 1e6};
        json_object_set_new(o, "min_ms", json_real(s.min_ms));
        json_object_set_new(o, "mean_ms", json_real(s.mean_ms));
        json_object_set_new(o, "p50_ms", json_real(s.p50_ms));
        json_object_set_new(o, "p90_ms", json_real(s.p90_ms));
        json_object_set_new(o, "p99_ms", json_real(s.p99_ms));
        json_object_set_new(o, "max_ms", json_real(s.max_ms));
    }
    if (out) *out = s;
    return o;
}
