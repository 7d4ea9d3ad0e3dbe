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
        if (k < store) hi = store;
        else lo = store + 1;
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
                     pa_json_addr(&c->client), "client_port", c->cport, "server",
                     pa_json_addr(&c->server), "server_port", c->sport);
}

void pa_conn_text(pa_buf *b, const pa_conn *c) {
    char cs[64], ss[64];
    pa_addr_str(&c->client, cs, sizeof cs);
    pa_addr_str(&c->server, ss, sizeof ss);
    bool v6 = c->client.family == 6;
    pa_buf_printf(b, "stream %u %s%s%s:%u -> %s%s%s:%u", c->f->stream, v6 ? "[" : "", cs,
                  v6 ? "]" : "", c->cport, v6 ? "[" : "", ss, v6 ? "]" : "", c->sport);
}

uint32_t pa_conn_count(const pa_conn *c, unsigned bit) {
    return c->f->tcp->count[0][bit] + c->f->tcp->count[1][bit];
}

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

json_t *pa_ta_frames_json(const pa_model *m, unsigned bit) {
    json_t *a = json_array();
    for (uint64_t i = 0; i < m->ta_count[bit] && i < PA_TA_FIRST_FRAMES; i++)
        json_array_append_new(a, json_integer((json_int_t)m->ta_frames[bit][i]));
    return a;
}

json_t *pa_problem_series(const pa_model *m, uint32_t (*get)(const pa_bin *), size_t max_points,
                          pa_buf *text, const char *label) {
    json_t *arr = json_array();
    if (!m->nbins) return arr;
    size_t k = (m->nbins + max_points - 1) / max_points;
    double w = (double)m->bin_width_ns * (double)k / 1e9;
    uint64_t peak = 0;
    size_t peak_i = 0;
    for (size_t i = 0; i * k < m->nbins; i++) {
        uint64_t sum = 0;
        for (size_t j = i * k; j < (i + 1) * k && j < m->nbins; j++) sum += get(&m->bins[j]);
        json_array_append_new(arr, json_pack("{s:f, s:I}", "start_s", (double)i * w, "count", (json_int_t)sum));
        if (sum > peak) {
            peak = sum;
            peak_i = i;
        }
    }
    if (text && peak)
        pa_buf_printf(text, "Most %s in the %.0f s from +%.0f s (%llu).\n", label, w,
                      (double)peak_i * w, (unsigned long long)peak);
    return arr;
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
        s = (pa_ns_summary){(double)v[0] / 1e6, sum / (double)n / 1e6, rank_ms(v, n, 50), rank_ms(v, n, 90),
                            rank_ms(v, n, 99), (double)v[n - 1] / 1e6};
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
