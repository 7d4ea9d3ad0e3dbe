/* Traffic over time: generate_traffic_timeline, generate_throughput_io_graph,
 * analyze_bandwidth_utilization. All three regroup the model's base time
 * bins (1 s wide unless the capture is very long) into the asked interval,
 * and split the capture into active periods at its long silences (from the
 * longest gaps between packets the pass keeps), so that a sparse or very
 * long capture reads as its bursts with their own rates rather than as a
 * mean over years of nothing. Intervals wholly inside a long silence are
 * not listed; the text says where they were left out. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_common.h"
#include "tool_report.h"
#include "tool_time.h"
#include "util_fmt.h"

static const char *const cls_names[PA_CLS_COUNT] = {"tcp", "udp", "icmp", "arp", "other"};

typedef struct series {
    pa_bin *b;
    size_t n;
    int64_t width_ns; /* effective interval */
    bool widened;     /* the asked interval was finer than the model keeps */
} series;

static bool regroup(const pa_model *m, int64_t interval_s, series *s) {
    int64_t want = interval_s * 1000000000ll;
    int64_t k = (want + m->bin_width_ns - 1) / m->bin_width_ns; /* the fewest base bins covering it */
    if (k < 1) k = 1;
    s->widened = k * m->bin_width_ns != want;
    s->width_ns = k * m->bin_width_ns;
    s->n = m->nbins ? (m->nbins + (size_t)k - 1) / (size_t)k : 0;
    s->b = calloc(s->n ? s->n : 1, sizeof *s->b);
    if (!s->b) return false;
    for (size_t i = 0; i < m->nbins; i++) {
        pa_bin *o = &s->b[i / (size_t)k];
        const pa_bin *in = &m->bins[i];
        o->pkts += in->pkts;
        o->bytes += in->bytes;
        for (int c = 0; c < PA_CLS_COUNT; c++) o->cls_bytes[c] += in->cls_bytes[c];
    }
    return true;
}

static void fmt_dur(char *out, size_t n, double s) {
    if (s < 1)
        snprintf(out, n, "%.1f ms", s * 1e3);
    else if (s < 120)
        snprintf(out, n, "%.1f s", s);
    else if (s < 7200)
        snprintf(out, n, "%.1f min", s / 60);
    else if (s < 172800)
        snprintf(out, n, "%.1f h", s / 3600);
    else if (s < 2 * 365.25 * 86400)
        snprintf(out, n, "%.1f days", s / 86400);
    else
        snprintf(out, n, "%.1f years", s / (365.25 * 86400));
}

/* ---- active periods ------------------------------------------------------- */

/* A silence of a minute or more between two consecutive frames separates
 * two active periods; so does a jump back in time as long (merged or
 * misdated captures). The model keeps the PA_MAX_GAPS longest jumps: when
 * it kept that many, only those longer than the shortest kept are known
 * to be all, so the periods are split at those. */
#define SILENCE_MIN_NS (60ll * 1000000000ll)
#define PERIODS_SHOWN 25 /* more: the busiest, still in file order */

typedef struct period {
    int64_t start_ts, end_ts;
    uint64_t first_frame, last_frame;
    uint64_t pkts, bytes;
} period;

typedef struct periods {
    period v[PA_MAX_GAPS + 1];
    size_t n;
    int64_t silence_ns; /* the shortest silence between two periods */
    int64_t active_ns;  /* their durations added up */
} periods;

static int gap_by_frame(const void *x, const void *y) {
    const pa_gap *a = x, *b = y;
    return a->frame_after < b->frame_after ? -1 : a->frame_after > b->frame_after;
}

/* Periods in file order; each runs from its first frame's time to its
 * last's (or is an instant when that is earlier). */
static void find_periods(const pa_model *m, periods *p) {
    memset(p, 0, sizeof *p);
    p->silence_ns = SILENCE_MIN_NS;
    if (m->ngaps == PA_MAX_GAPS) {
        int64_t shortest = pa_gap_len(&m->gaps[0]);
        for (size_t i = 1; i < m->ngaps; i++)
            if (pa_gap_len(&m->gaps[i]) < shortest) shortest = pa_gap_len(&m->gaps[i]);
        if (shortest + 1 > p->silence_ns) p->silence_ns = shortest + 1;
    }
    if (!m->packets) return;
    pa_gap g[PA_MAX_GAPS];
    size_t ng = 0;
    for (size_t i = 0; i < m->ngaps; i++)
        if (pa_gap_len(&m->gaps[i]) >= p->silence_ns) g[ng++] = m->gaps[i];
    qsort(g, ng, sizeof *g, gap_by_frame);
    period cur = {m->bins_from_ts, 0, m->first_frame, 0, 0, 0};
    uint64_t pk0 = 0, by0 = 0;
    for (size_t k = 0; k <= ng; k++) {
        cur.end_ts = k < ng ? g[k].from_ts : m->last_frame_ts;
        if (cur.end_ts < cur.start_ts) cur.end_ts = cur.start_ts;
        cur.last_frame = k < ng ? g[k].frame_after - 1 : m->last_frame;
        cur.pkts = (k < ng ? g[k].pkts_before : m->packets) - pk0;
        cur.bytes = (k < ng ? g[k].bytes_before : m->wire_bytes) - by0;
        p->v[p->n++] = cur;
        p->active_ns += cur.end_ts - cur.start_ts;
        if (k == ng) break;
        pk0 = g[k].pkts_before;
        by0 = g[k].bytes_before;
        cur = (period){g[k].to_ts, 0, g[k].frame_after, 0, 0, 0};
    }
}

void pa_time_active(const pa_model *m, size_t *n, int64_t *active_ns, int64_t *silence_ns) {
    periods p;
    find_periods(m, &p);
    *n = p.n;
    *active_ns = p.active_ns;
    *silence_ns = p.silence_ns;
}

static int period_bytes_desc(const void *x, const void *y) {
    const period *a = *(const period *const *)x, *b = *(const period *const *)y;
    if (a->bytes != b->bytes) return a->bytes < b->bytes ? 1 : -1;
    return a->first_frame > b->first_frame ? 1 : -1;
}

static int period_time(const void *x, const void *y) {
    const period *a = *(const period *const *)x, *b = *(const period *const *)y;
    return a->first_frame > b->first_frame ? 1 : a->first_frame < b->first_frame ? -1 : 0;
}

/* The periods as rows (every one when several; the display_filter selects a
 * period's frames, within the caller's own display_filter when it had one). */
static void periods_rows(pa_report *rep, json_t *out, const periods *p, const pa_model *m, const json_t *args) {
    pa_buf *t = &rep->res->text;
    const char *df = json_string_value(json_object_get(args, "display_filter"));
    bool own = df && *df && strlen(df) <= 256;
    const period *v[PA_MAX_GAPS + 1];
    for (size_t i = 0; i < p->n; i++) v[i] = &p->v[i];
    size_t shown = p->n;
    if (p->n > PERIODS_SHOWN) {
        qsort(v, p->n, sizeof v[0], period_bytes_desc);
        shown = PERIODS_SHOWN;
        qsort(v, shown, sizeof v[0], period_time);
    }
    char sil[32];
    fmt_dur(sil, sizeof sil, (double)p->silence_ns / 1e9);
    const char *back = m->time_backwards ? " (or jumps back in time as long)" : "";
    if (!p->n) /* no packets */
        ;
    else if (p->n == 1)
        pa_buf_printf(t, "One active period (no silence of %s or more%s):\n", sil, back);
    else if (shown < p->n)
        pa_buf_printf(t,
                      "%zu active periods between silences of %s or more%s; the %d with the most "
                      "bytes, in file order (a period's display_filter selects its frames%s: call "
                      "again with it for finer steps):\n",
                      p->n, sil, back, PERIODS_SHOWN, m->bpf[0] ? " with the same bpf_filter" : "");
    else
        pa_buf_printf(t,
                      "%zu active periods between silences of %s or more%s, in file order (a "
                      "period's display_filter selects its frames%s: call again with it for finer "
                      "steps):\n",
                      p->n, sil, back, m->bpf[0] ? " with the same bpf_filter" : "");
    pa_rows rows;
    pa_rows_begin(&rows, rep, "active periods", 0, shown, shown, false);
    for (size_t i = 0; i < shown; i++) {
        const period *x = v[i];
        double dur = (double)(x->end_ts - x->start_ts) / 1e9;
        char when[48], d[32], sz[32], rate[32];
        pa_fmt_time(when, sizeof when, x->start_ts);
        fmt_dur(d, sizeof d, dur);
        pa_fmt_bytes(sz, sizeof sz, x->bytes);
        json_t *row = json_pack("{s:s, s:f, s:f, s:I, s:I, s:I, s:I}", "start", when, "start_s",
                                (double)(x->start_ts - m->bins_from_ts) / 1e9, "duration_s", dur, "first_frame",
                                (json_int_t)x->first_frame, "last_frame", (json_int_t)x->last_frame, "packets",
                                (json_int_t)x->pkts, "bytes", (json_int_t)x->bytes);
        pa_buf *ln = pa_rows_line(&rows);
        pa_buf_printf(ln, "  %s +%.0fs %s%s: frame%s %llu", when, (double)(x->start_ts - m->bins_from_ts) / 1e9,
                      dur > 0 ? "for " : "", dur > 0 ? d : "at one instant", x->last_frame > x->first_frame ? "s" : "",
                      (unsigned long long)x->first_frame);
        if (x->last_frame > x->first_frame) pa_buf_printf(ln, "-%llu", (unsigned long long)x->last_frame);
        pa_buf_printf(ln, ", %llu pkts %s", (unsigned long long)x->pkts, sz);
        if (dur > 0) {
            double bps = (double)x->bytes * 8 / dur;
            json_object_set_new(row, "bits_per_s", json_real(bps));
            pa_fmt_rate(rate, sizeof rate, bps);
            pa_buf_printf(ln, " %s", rate);
        }
        if (p->n > 1) {
            char f[384];
            snprintf(f, sizeof f, "%s%s%sframe.number >= %llu && frame.number <= %llu", own ? "(" : "", own ? df : "",
                     own ? ") && " : "", (unsigned long long)x->first_frame, (unsigned long long)x->last_frame);
            json_object_set_new(row, "display_filter", json_string(f));
            pa_buf_printf(ln, "; %s", f);
        }
        pa_buf_puts(ln, "\n");
        if (!pa_rows_push(&rows, row)) break;
    }
    pa_rows_end(&rows, out, "active_periods", NULL);
    if (p->n > 1 && df && *df && !own)
        pa_buf_puts(t, "  (add your own display_filter to a period's filter: it was too long to repeat)\n");
}

#define PERIOD_ROW                                                                                                     \
    PA_S_ROWS("\"start\":" PA_S_STR ",\"start_s\":" PA_S_NUM ",\"duration_s\":" PA_S_NUM ",\"first_frame\":" PA_S_INT  \
              ",\"last_frame\":" PA_S_INT ",\"packets\":" PA_S_INT ",\"bytes\":" PA_S_INT                              \
              ",\"bits_per_s\":{\"type\":\"number\",\"description\":\"absent for a "                                   \
              "period of one instant\"},\"display_filter\":{\"type\":\"string\",\"description\":\"selects "            \
              "the period's frames; absent when the capture is one period\"}")
#define PERIOD_PROPS                                                                                                   \
    "\"active_periods\":" PERIOD_ROW ",\"active_period_count\":" PA_S_INT                                              \
    ",\"silence_threshold_s\":{\"type\":\"number\",\"description\":\"silences this long or longer separate "           \
    "active periods: a minute, or more when the capture has very many such silences\"},"                               \
    "\"active_s\":{\"type\":\"number\","                                                                               \
    "\"description\":\"the active periods' durations added up\"}"

/* The intervals that overlap an active period, as runs of indexes: the
 * intervals wholly inside a long silence are the rest. */
typedef struct run {
    size_t from, to; /* inclusive */
} run;

/* Runs of the intervals that overlap a period or hold packets (a frame
 * earlier than the one before it may fall inside a silence); *out is
 * allocated (NULL when there are none or memory ran out). */
static size_t active_runs(const series *s, const pa_model *m, const periods *p, run **out) {
    *out = NULL;
    bool *mark = calloc(s->n ? s->n : 1, 1);
    if (!mark) return 0;
    for (size_t k = 0; k < p->n && s->n; k++) {
        /* a period before the first frame's time lies in the first interval, as its frames do */
        int64_t ra = p->v[k].start_ts - m->bins_from_ts, rb = p->v[k].end_ts - m->bins_from_ts;
        size_t a = ra > 0 ? (size_t)(ra / s->width_ns) : 0, b = rb > 0 ? (size_t)(rb / s->width_ns) : 0;
        if (a >= s->n) a = s->n - 1;
        if (b >= s->n) b = s->n - 1;
        for (size_t i = a; i <= b; i++) mark[i] = true;
    }
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!mark[i] && !s->b[i].pkts) continue;
        if (n && out[0][n - 1].to + 1 == i) {
            out[0][n - 1].to = i;
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            run *nv = realloc(*out, cap * sizeof *nv);
            if (!nv) break;
            *out = nv;
        }
        (*out)[n++] = (run){i, i};
    }
    free(mark);
    return n;
}

static size_t runs_len(const run *r, size_t n) {
    size_t len = 0;
    for (size_t i = 0; i < n; i++) len += r[i].to - r[i].from + 1;
    return len;
}

static int cmp_u64(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

typedef struct stats {
    double mean, p95, peak; /* bytes per interval */
    double mean_pk, sd_pk;  /* packets per interval */
    size_t peak_bin;
} stats;

/* Statistics over the active intervals (a partial last interval counts: a
 * capture's tail is real traffic). */
static stats run_stats(const series *s, const run *r, size_t nr) {
    stats st;
    memset(&st, 0, sizeof st);
    size_t n = runs_len(r, nr), k = 0;
    if (!n) return st;
    uint64_t *v = malloc(n * sizeof *v);
    double sum = 0, sum_pk = 0;
    for (size_t j = 0; j < nr; j++)
        for (size_t i = r[j].from; i <= r[j].to; i++) {
            if (v) v[k++] = s->b[i].bytes;
            sum += (double)s->b[i].bytes;
            sum_pk += (double)s->b[i].pkts;
            if ((double)s->b[i].bytes > st.peak) {
                st.peak = (double)s->b[i].bytes;
                st.peak_bin = i;
            }
        }
    st.mean = sum / (double)n;
    st.mean_pk = sum_pk / (double)n;
    double var = 0;
    for (size_t j = 0; j < nr; j++)
        for (size_t i = r[j].from; i <= r[j].to; i++) var += pow((double)s->b[i].pkts - st.mean_pk, 2);
    st.sd_pk = sqrt(var / (double)n);
    if (v) {
        qsort(v, n, sizeof *v, cmp_u64);
        size_t idx = (size_t)ceil(0.95 * (double)n);
        st.p95 = (double)v[idx ? idx - 1 : 0];
        free(v);
    }
    return st;
}

static int top_class(const pa_bin *b) {
    int best = -1;
    uint64_t bytes = 0;
    for (int c = 0; c < PA_CLS_COUNT; c++)
        if (b->cls_bytes[c] > bytes) {
            bytes = b->cls_bytes[c];
            best = c;
        }
    return best;
}

/* What every time tool computes first. */
typedef struct timeview {
    pa_loaded l;
    series s;
    periods p;
    run *runs; /* intervals in active periods (allocated) */
    size_t nruns, listed;
    stats st;
    double w; /* interval in seconds */
    double span_s;
} timeview;

/* Loads the capture, regroups its bins into the interval named by `arg`
 * and finds its active periods; on failure res says why. The caller ends
 * with free_view. */
static bool load_view(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res, const char *arg, timeview *v) {
    int64_t interval = json_integer_value(json_object_get(args, arg));
    if (!pa_tool_load(ctx, args, res, &v->l)) return false;
    const pa_model *m = v->l.m;
    if (!regroup(m, interval, &v->s)) {
        pa_tool_unload(&v->l);
        pa_tool_fail(res, "out of memory");
        return false;
    }
    find_periods(m, &v->p);
    v->nruns = active_runs(&v->s, m, &v->p, &v->runs);
    v->listed = runs_len(v->runs, v->nruns);
    v->st = run_stats(&v->s, v->runs, v->nruns);
    v->w = (double)v->s.width_ns / 1e9;
    v->span_s = (double)(m->last_ts - m->first_ts) / 1e9;
    pa_text_capture_header(&res->text, &v->l);
    if (v->s.widened) {
        char span[32];
        fmt_dur(span, sizeof span, v->span_s);
        pa_buf_printf(&res->text,
                      "Note: this capture spans %s, so the analysis keeps its traffic in steps of %.0f s; "
                      "the interval was widened from %lld s to %.0f s.%s\n",
                      span, (double)m->bin_width_ns / 1e9, (long long)interval, v->w,
                      v->p.n > 1 ? " Each active period's display_filter selects its frames for finer steps." : "");
    }
    return true;
}

static void free_view(timeview *v) {
    free(v->s.b);
    free(v->runs);
    pa_tool_unload(&v->l);
}

/* Mean rates over the whole span and over the active time. */
static void mean_rates(const timeview *v, double *span_bps, double *active_bps) {
    const pa_model *m = v->l.m;
    *span_bps = v->span_s > 0 ? (double)m->wire_bytes * 8 / v->span_s : 0;
    *active_bps = v->p.active_ns > 0 ? (double)m->wire_bytes * 8e9 / (double)v->p.active_ns : 0;
}

static void json_time_common(json_t *o, const timeview *v, const char *width_key, const char *widened_key) {
    json_object_set_new(o, width_key, json_real(v->w));
    json_object_set_new(o, widened_key, json_boolean(v->s.widened));
    json_object_set_new(o, "span_s", json_real(v->span_s));
    json_object_set_new(o, "silence_threshold_s", json_real((double)v->p.silence_ns / 1e9));
    json_object_set_new(o, "active_s", json_real((double)v->p.active_ns / 1e9));
    json_object_set_new(o, "active_period_count", json_integer((json_int_t)v->p.n));
}

/* The intervals of active periods from `off` (an index into them), at most
 * lim; line(i) writes interval i's text, row(i) its JSON. A run after a
 * long silence starts with a line saying which intervals were left out. */
static void interval_rows(pa_report *rep, const timeview *v, size_t off, size_t lim, json_t *out,
                          void (*line)(pa_buf *, const timeview *, size_t), json_t *(*row)(const timeview *, size_t)) {
    pa_rows rows;
    pa_rows_begin(&rows, rep, "intervals", off, lim, v->listed, true);
    size_t r = 0, skip = off;
    while (r < v->nruns && skip > v->runs[r].to - v->runs[r].from) {
        skip -= v->runs[r].to - v->runs[r].from + 1;
        r++;
    }
    for (size_t done = 0; r < v->nruns && done < lim; done++) {
        size_t i = v->runs[r].from + skip;
        pa_buf *ln = pa_rows_line(&rows);
        if (i == v->runs[r].from && (r > 0 || i > 0)) {
            size_t prev = r > 0 ? v->runs[r - 1].to + 1 : 0;
            char d[32];
            fmt_dur(d, sizeof d, (double)(i - prev) * v->w);
            if (i - 1 > prev)
                pa_buf_printf(ln, "  ... silent for %s: intervals %zu-%zu not listed\n", d, prev, i - 1);
            else
                pa_buf_printf(ln, "  ... silent for %s: interval %zu not listed\n", d, prev);
        }
        line(ln, v, i);
        if (!pa_rows_push(&rows, row(v, i))) break;
        if (++skip > v->runs[r].to - v->runs[r].from) {
            skip = 0;
            r++;
        }
    }
    pa_rows_end(&rows, out, "intervals", "page");
    json_object_set_new(out, "returned", json_integer((json_int_t)rows.n));
}

#define INTERVAL_PAGE_PROPS                                                                                            \
    "\"total_intervals\":{\"type\":\"integer\",\"description\":\"intervals over the whole span\"},"                    \
    "\"listed_intervals\":{\"type\":\"integer\",\"description\":\"intervals that overlap an active period: "           \
    "the ones listed and paged (the others lie wholly inside a long silence)\"},"                                      \
    "\"offset\":" PA_S_INT ",\"returned\":" PA_S_INT ",\"page\":" PA_PAGE_SCHEMA ",\"span_s\":" PA_S_NUM ","

/* ---- generate_traffic_timeline ------------------------------------------ */

/* The next run of empty intervals from `from` on: [*i, *j); false when none. */
static bool next_silence(const series *s, size_t from, size_t *i, size_t *j) {
    while (from < s->n && s->b[from].pkts) from++;
    if (from >= s->n) return false;
    *i = *j = from;
    while (*j < s->n && !s->b[*j].pkts) (*j)++;
    return true;
}

static void timeline_line(pa_buf *b, const timeview *v, size_t i) {
    const pa_bin *x = &v->s.b[i];
    char sz[32], rate[32];
    pa_fmt_bytes(sz, sizeof sz, x->bytes);
    pa_fmt_rate(rate, sizeof rate, (double)x->bytes * 8 / v->w);
    int c = top_class(x);
    pa_buf_printf(b, "  %zu +%.0fs %llu pkts %s %s %s\n", i, (double)i * v->w, (unsigned long long)x->pkts, sz, rate,
                  c >= 0 ? cls_names[c] : "-");
}

static json_t *timeline_row(const timeview *v, size_t i) {
    const pa_bin *x = &v->s.b[i];
    char when[48];
    pa_fmt_time(when, sizeof when, v->l.m->bins_from_ts + (int64_t)i * v->s.width_ns);
    json_t *o = json_pack("{s:I, s:s, s:f, s:I, s:I}", "interval", (json_int_t)i, "start", when, "start_s",
                          (double)i * v->w, "packets", (json_int_t)x->pkts, "bytes", (json_int_t)x->bytes);
    int c = top_class(x);
    if (c >= 0) json_object_set_new(o, "top_protocol", json_string(cls_names[c]));
    return o;
}

static void run_timeline(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    size_t lim = (size_t)json_integer_value(json_object_get(args, "limit"));
    size_t off = (size_t)json_integer_value(json_object_get(args, "offset"));
    timeview v;
    if (!load_view(ctx, args, res, "time_interval", &v)) return;
    const pa_model *m = v.l.m;
    const series *s = &v.s;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    const stats *st = &v.st;

    /* Bursts: active intervals far above the usual packet rate (mean + 3
     * sd, and at least twice the mean); silences: runs of empty intervals. */
    size_t nburst = 0, nsil = 0;
    bool *burst = calloc(s->n ? s->n : 1, sizeof *burst);
    for (size_t j = 0; burst && j < v.nruns; j++)
        for (size_t i = v.runs[j].from; i <= v.runs[j].to; i++) {
            double p = (double)s->b[i].pkts;
            if (v.listed >= 3 && p > st->mean_pk + 3 * st->sd_pk && p >= 2 * st->mean_pk) {
                burst[i] = true;
                nburst++;
            }
        }
    for (size_t i = 0, j; next_silence(s, i, &i, &j); i = j) nsil++;
    char span[32], sz[32];
    fmt_dur(span, sizeof span, v.span_s);
    pa_fmt_bytes(sz, sizeof sz, (uint64_t)st->peak);
    pa_buf_printf(t,
                  "%zu intervals of %.0f s over %s (%zu in active periods); per active interval a "
                  "mean of %.1f packets and %.0f bytes; busiest interval %zu (%s).\n",
                  s->n, v.w, span, v.listed, st->mean_pk, st->mean, st->peak_bin, sz);
    res->structured = json_pack("{s:o, s:I, s:I, s:I, s:I, s:f, s:f, s:I, s:I}", "capture", pa_capture_json(&v.l),
                                "total_intervals", (json_int_t)s->n, "listed_intervals", (json_int_t)v.listed, "offset",
                                (json_int_t)off, "returned", (json_int_t)0, "mean_packets", st->mean_pk, "mean_bytes",
                                st->mean, "burst_count", (json_int_t)nburst, "silence_count", (json_int_t)nsil);
    json_time_common(res->structured, &v, "interval_s", "interval_widened");

    periods_rows(&rep, res->structured, &v.p, m, args);

    pa_rows rows;
    if (nburst)
        pa_buf_printf(t, "%zu burst%s (packets > mean + 3 sd of the active intervals)%s:\n", nburst,
                      nburst == 1 ? "" : "s", nburst > 20 ? ", the first 20" : "");
    pa_rows_begin(&rows, &rep, "bursts", 0, 20, nburst, false);
    for (size_t i = 0, k = 0; burst && i < s->n && k < 20; i++) {
        if (!burst[i]) continue;
        k++;
        pa_buf_printf(pa_rows_line(&rows), "  %zu +%.0fs %llu pkts %llu bytes\n", i, (double)i * v.w,
                      (unsigned long long)s->b[i].pkts, (unsigned long long)s->b[i].bytes);
        if (!pa_rows_push(&rows,
                          json_pack("{s:I, s:f, s:I, s:I}", "interval", (json_int_t)i, "start_s", (double)i * v.w,
                                    "packets", (json_int_t)s->b[i].pkts, "bytes", (json_int_t)s->b[i].bytes)))
            break;
    }
    pa_rows_end(&rows, res->structured, "bursts", NULL);
    free(burst);

    if (nsil)
        pa_buf_printf(t, "%zu silent stretch%s (intervals without packets)%s:\n", nsil, nsil == 1 ? "" : "es",
                      nsil > 20 ? ", the first 20" : "");
    pa_rows_begin(&rows, &rep, "silent stretches", 0, 20, nsil, false);
    for (size_t i = 0, j, k = 0; k < 20 && next_silence(s, i, &i, &j); i = j, k++) {
        char d[32];
        fmt_dur(d, sizeof d, (double)(j - i) * v.w);
        pa_buf_printf(pa_rows_line(&rows), "  %zu +%.0fs silent for %s (%zu interval%s)\n", i, (double)i * v.w, d,
                      j - i, j - i == 1 ? "" : "s");
        if (!pa_rows_push(&rows, json_pack("{s:I, s:f, s:f}", "interval", (json_int_t)i, "start_s", (double)i * v.w,
                                           "duration_s", (double)(j - i) * v.w)))
            break;
    }
    pa_rows_end(&rows, res->structured, "silences", NULL);

    if (off < v.listed) {
        char from[48];
        pa_fmt_time(from, sizeof from, m->bins_from_ts);
        pa_buf_printf(t,
                      "Intervals from %s, the first frame's time (index +start packets bytes rate "
                      "top class):\n",
                      from);
    }
    interval_rows(&rep, &v, off, lim, res->structured, timeline_line, timeline_row);
    pa_report_finish(&rep);
    free_view(&v);
}

/* ---- generate_throughput_io_graph ----------------------------------------- */

static void io_line(pa_buf *b, const timeview *v, size_t i) {
    const pa_bin *x = &v->s.b[i];
    char sz[32], rate[32];
    pa_fmt_bytes(sz, sizeof sz, x->bytes);
    pa_fmt_rate(rate, sizeof rate, (double)x->bytes * 8 / v->w);
    pa_buf_printf(b, "  %zu +%.0fs %llu pkts %s %s %.1f pkt/s\n", i, (double)i * v->w, (unsigned long long)x->pkts, sz,
                  rate, (double)x->pkts / v->w);
}

static json_t *io_row(const timeview *v, size_t i) {
    const pa_bin *x = &v->s.b[i];
    return json_pack("{s:I, s:f, s:I, s:I, s:f, s:f}", "interval", (json_int_t)i, "start_s", (double)i * v->w,
                     "packets", (json_int_t)x->pkts, "bytes", (json_int_t)x->bytes, "bits_per_s",
                     (double)x->bytes * 8 / v->w, "packets_per_s", (double)x->pkts / v->w);
}

static void run_io(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    size_t lim = (size_t)json_integer_value(json_object_get(args, "limit"));
    size_t off = (size_t)json_integer_value(json_object_get(args, "offset"));
    timeview v;
    if (!load_view(ctx, args, res, "time_interval", &v)) return;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    const stats *st = &v.st;
    double span_bps, active_bps;
    mean_rates(&v, &span_bps, &active_bps);
    char r1[32], r2[32], r3[32], r4[32], span[32], act[32];
    pa_fmt_rate(r1, sizeof r1, st->peak * 8 / v.w);
    pa_fmt_rate(r2, sizeof r2, span_bps);
    pa_fmt_rate(r3, sizeof r3, st->p95 * 8 / v.w);
    pa_fmt_rate(r4, sizeof r4, active_bps);
    fmt_dur(span, sizeof span, v.span_s);
    fmt_dur(act, sizeof act, (double)v.p.active_ns / 1e9);
    pa_buf_printf(t,
                  "Throughput per %.0f s: peak %s (interval %zu), p95 %s over the %zu active "
                  "intervals; mean %s over the %s span, %s over the %s of active time.\n",
                  v.w, r1, v.st.peak_bin, r3, v.listed, r2, span, r4, act);
    res->structured = json_pack("{s:o, s:I, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:I}", "capture", pa_capture_json(&v.l),
                                "total_intervals", (json_int_t)v.s.n, "listed_intervals", (json_int_t)v.listed,
                                "offset", (json_int_t)off, "returned", (json_int_t)0, "peak_bits_per_s",
                                st->peak * 8 / v.w, "mean_bits_per_s", span_bps, "active_mean_bits_per_s", active_bps,
                                "p95_bits_per_s", st->p95 * 8 / v.w, "peak_interval", (json_int_t)st->peak_bin);
    json_time_common(res->structured, &v, "interval_s", "interval_widened");
    periods_rows(&rep, res->structured, &v.p, v.l.m, args);
    if (off < v.listed) pa_buf_puts(t, "Intervals (index +start packets bytes rate packet rate):\n");
    interval_rows(&rep, &v, off, lim, res->structured, io_line, io_row);
    pa_report_finish(&rep);
    free_view(&v);
}

/* ---- analyze_bandwidth_utilization ------------------------------------------ */

/* An endpoint's traffic counted once: a packet it sent to itself is in its
 * tx and its rx. */
static uint64_t ep_once(const pa_endpoint *e) { return e->tx_bytes + e->rx_bytes - e->self_bytes; }

static int ep_cmp(const void *x, const void *y) {
    const pa_endpoint *a = *(const pa_endpoint *const *)x, *b = *(const pa_endpoint *const *)y;
    uint64_t ta = ep_once(a), tb = ep_once(b);
    return ta < tb ? 1 : ta > tb ? -1 : 0;
}

static int cmp_dbl(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

/* Peak and p95 of the active windows' rates. The last window ends with the
 * capture, not a window later: its rate is over the time it covers (at
 * least one base bin), so a window longer than the capture reads the
 * capture's own rate, not a diluted one. */
static void window_rates(const timeview *v, double *peak, size_t *peak_bin, double *p95) {
    *peak = *p95 = 0;
    *peak_bin = 0;
    double *r = malloc((v->listed ? v->listed : 1) * sizeof *r);
    if (!r) return;
    size_t k = 0;
    const pa_model *m = v->l.m;
    double last = (double)(m->last_ts - m->bins_from_ts) / 1e9 - (double)(v->s.n ? v->s.n - 1 : 0) * v->w,
           base = (double)m->bin_width_ns / 1e9;
    if (last < base) last = base;
    for (size_t j = 0; j < v->nruns; j++)
        for (size_t i = v->runs[j].from; i <= v->runs[j].to; i++) {
            double d = i + 1 == v->s.n && last < v->w ? last : v->w;
            r[k] = (double)v->s.b[i].bytes * 8 / d;
            if (r[k] > *peak) {
                *peak = r[k];
                *peak_bin = i;
            }
            k++;
        }
    if (k) {
        qsort(r, k, sizeof *r, cmp_dbl);
        size_t idx = (size_t)ceil(0.95 * (double)k);
        *p95 = r[idx ? idx - 1 : 0];
    }
    free(r);
}

static void run_bandwidth(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    json_t *jlink = json_object_get(args, "link_speed_mbps");
    double link_bps = jlink ? json_number_value(jlink) * 1e6 : 0;
    timeview v;
    if (!load_view(ctx, args, res, "time_window", &v)) return;
    const pa_model *m = v.l.m;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    double w = v.w, peak, p95, mean, active;
    size_t peak_bin;
    window_rates(&v, &peak, &peak_bin, &p95);
    mean_rates(&v, &mean, &active);
    char r1[32], r2[32], r3[32], r4[32], span[32], act[32];
    pa_fmt_rate(r1, sizeof r1, peak);
    pa_fmt_rate(r2, sizeof r2, mean);
    pa_fmt_rate(r3, sizeof r3, p95);
    pa_fmt_rate(r4, sizeof r4, active);
    fmt_dur(span, sizeof span, v.span_s);
    fmt_dur(act, sizeof act, (double)v.p.active_ns / 1e9);
    pa_buf_printf(t,
                  "Bandwidth in windows of %.0f s (%zu over %s, %zu of them in active periods): "
                  "peak %s (window at +%.0fs), p95 %s over the active windows; mean %s over the "
                  "whole span, %s over the %s of active time.\n",
                  w, v.s.n, span, v.listed, r1, (double)peak_bin * w, r3, r2, r4, act);
    json_t *out = json_pack("{s:o, s:I, s:I, s:f, s:f, s:f, s:f, s:f}", "capture", pa_capture_json(&v.l), "windows",
                            (json_int_t)v.s.n, "active_windows", (json_int_t)v.listed, "peak_bits_per_s", peak,
                            "mean_bits_per_s", mean, "active_mean_bits_per_s", active, "p95_bits_per_s", p95,
                            "peak_window_start_s", (double)peak_bin * w);
    json_time_common(out, &v, "window_s", "window_widened");
    if (link_bps > 0) {
        json_object_set_new(out, "utilization_pct",
                            json_pack("{s:f, s:f, s:f, s:f, s:f}", "link_speed_mbps", link_bps / 1e6, "peak",
                                      100 * peak / link_bps, "mean", 100 * mean / link_bps, "active_mean",
                                      100 * active / link_bps, "p95", 100 * p95 / link_bps));
        pa_buf_printf(t,
                      "On a %g Mbit/s link: peak %.1f%%, p95 %.1f%%, mean %.1f%% (%.1f%% while "
                      "active) utilised.\n",
                      link_bps / 1e6, 100 * peak / link_bps, 100 * p95 / link_bps, 100 * mean / link_bps,
                      100 * active / link_bps);
    }
    /* Share by traffic class and by host. */
    uint64_t cls[PA_CLS_COUNT] = {0};
    for (size_t i = 0; i < v.s.n; i++)
        for (int c = 0; c < PA_CLS_COUNT; c++) cls[c] += v.s.b[i].cls_bytes[c];
    size_t ncls = 0;
    for (int c = 0; c < PA_CLS_COUNT; c++) ncls += cls[c] != 0;
    size_t n = m->endpoints.count, k = 0;
    const pa_endpoint **eps = malloc((n ? n : 1) * sizeof *eps);
    if (eps) {
        for (size_t i = 0; i < m->endpoints.cap; i++)
            if (m->endpoints.used[i]) eps[k++] = pa_htab_at(&m->endpoints, i);
        qsort(eps, k, sizeof *eps, ep_cmp);
    }
    json_object_set_new(out, "host_count", json_integer((json_int_t)k));
    res->structured = out;

    periods_rows(&rep, out, &v.p, m, args);

    pa_rows rows;
    pa_buf_puts(t, "By protocol class (bytes, share of all bytes):\n");
    pa_rows_begin(&rows, &rep, "protocol classes", 0, ncls, ncls, false);
    for (int c = 0; c < PA_CLS_COUNT; c++) {
        if (!cls[c]) continue;
        double pct = m->wire_bytes ? 100.0 * (double)cls[c] / (double)m->wire_bytes : 0;
        pa_buf_printf(pa_rows_line(&rows), "  %s %llu bytes %.1f%%\n", cls_names[c], (unsigned long long)cls[c], pct);
        if (!pa_rows_push(&rows, json_pack("{s:s, s:I, s:f}", "protocol", cls_names[c], "bytes", (json_int_t)cls[c],
                                           "share_pct", pct)))
            break;
    }
    pa_rows_end(&rows, out, "protocols", NULL);

    /* a host's bytes count each packet once, so no share passes 100% */
    size_t ntop = k < 10 ? k : 10;
    pa_buf_printf(t,
                  "Top talkers, %zu of %zu hosts (bytes sent and received, a packet to itself "
                  "once; share of all bytes; mean rate over the span):\n",
                  ntop, k);
    pa_rows_begin(&rows, &rep, "top talkers", 0, ntop, ntop, false);
    for (size_t i = 0; i < ntop; i++) {
        const pa_endpoint *e = eps[i];
        uint64_t b = ep_once(e);
        double pct = m->wire_bytes ? 100.0 * (double)b / (double)m->wire_bytes : 0;
        double bps = v.span_s > 0 ? (double)b * 8 / v.span_s : 0.0;
        char as[64], sz[32], rate[32];
        pa_addr_str(&e->addr, as, sizeof as);
        pa_fmt_bytes(sz, sizeof sz, b);
        pa_fmt_rate(rate, sizeof rate, bps);
        pa_buf *ln = pa_rows_line(&rows);
        pa_buf_printf(ln, "  %s %s %.1f%% %s (sent %llu, received %llu bytes", as, sz, pct, rate,
                      (unsigned long long)e->tx_bytes, (unsigned long long)e->rx_bytes);
        if (e->self_bytes) pa_buf_printf(ln, ", %llu of them to itself", (unsigned long long)e->self_bytes);
        pa_buf_puts(ln, ")\n");
        json_t *row = json_pack("{s:o, s:I, s:I, s:I, s:f, s:f}", "address", pa_json_addr(&e->addr), "bytes",
                                (json_int_t)b, "tx_bytes", (json_int_t)e->tx_bytes, "rx_bytes", (json_int_t)e->rx_bytes,
                                "share_pct", pct, "avg_bits_per_s", bps);
        if (e->self_bytes) json_object_set_new(row, "self_bytes", json_integer((json_int_t)e->self_bytes));
        if (!pa_rows_push(&rows, row)) break;
    }
    pa_rows_end(&rows, out, "top_talkers", NULL);
    free(eps);
    pa_report_finish(&rep);
    free_view(&v);
}

#define INTERVAL_ARG(name, def)                                                                                        \
    "\"" name "\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":86400,\"default\":" #def                             \
    ",\"description\":\"Seconds\"}"
#define BIN_LIMIT PA_ARG_LIMIT(120, 10000) "," PA_ARG_OFFSET
#define TIME_COMMON_PROPS(width, widened)                                                                              \
    "\"" width "\":{\"type\":\"number\",\"description\":\"the interval used, in seconds\"},\"" widened                 \
    "\":{\"type\":\"boolean\",\"description\":\"the asked interval was finer than the analysis keeps this "            \
    "capture's traffic\"}," PERIOD_PROPS

const pa_tool_def pa_tool_generate_traffic_timeline = {
    .name = "generate_traffic_timeline",
    .title = "Traffic timeline",
    .description = "Packets and bytes per interval, with bursts and silences.",
    .input_schema =
        "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE
        "," INTERVAL_ARG("time_interval", 60) "," PA_ARG_BPF "," BIN_LIMIT "},\"additionalProperties\":false}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"interval_s\",\"total_intervals\",\"listed_intervals\","
        "\"page\",\"intervals\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA "," TIME_COMMON_PROPS(
            "interval_s",
            "interval_widened") "," INTERVAL_PAGE_PROPS
                                "\"mean_packets\":{\"type\":\"number\",\"description\":\"per interval of the active periods\"},"
                                "\"mean_bytes\":{\"type\":\"number\",\"description\":\"per interval of the active periods\"},"
                                "\"burst_count\":" PA_S_INT ",\"bursts\":" PA_S_ROWS(
                                    "\"interval\":" PA_S_INT ",\"start_s\":" PA_S_NUM ",\"packets\":" PA_S_INT
                                    ",\"bytes\":" PA_S_INT) ",\"silence_count\":" PA_S_INT
                                                            ",\"silences\":" PA_S_ROWS(
                                                                "\"interval\":{\"type\":\"integer\",\"description\":\"the first empty interval\"},\"start_s\":" PA_S_NUM
                                                                ",\"duration_s\":" PA_S_NUM) ",\"intervals\":" PA_S_ROWS("\"interval\":" PA_S_INT
                                                                                                                         ",\"start\":" PA_S_STR
                                                                                                                         ",\"start_s\":" PA_S_NUM
                                                                                                                         ",\"packets\":" PA_S_INT
                                                                                                                         ",\"bytes\":" PA_S_INT
                                                                                                                         ",\"top_protocol\":{\"type\":\"string\",\"description\":\"the class with the "
                                                                                                                         "most bytes; absent for an interval without packets\"}") "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_timeline,
};

const pa_tool_def pa_tool_generate_throughput_io_graph = {
    .name = "generate_throughput_io_graph",
    .title = "Throughput I/O graph",
    .description = "Bits and packets per second per interval (I/O graph); peak, mean, p95.",
    .input_schema =
        "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE
        "," INTERVAL_ARG("time_interval", 1) "," PA_ARG_BPF "," BIN_LIMIT "},\"additionalProperties\":false}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"interval_s\",\"total_intervals\",\"listed_intervals\","
        "\"page\",\"intervals\",\"peak_bits_per_s\",\"mean_bits_per_s\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA
        "," TIME_COMMON_PROPS(
            "interval_s",
            "interval_widened") "," INTERVAL_PAGE_PROPS "\"peak_bits_per_s\":" PA_S_NUM
                                ",\"mean_bits_per_s\":{\"type\":\"number\",\"description\":\"over the "
                                "whole span\"},\"active_mean_bits_per_s\":{\"type\":\"number\",\"description\":\"over the active "
                                "periods' time\"},\"p95_bits_per_s\":{\"type\":\"number\",\"description\":\"over the intervals of the "
                                "active periods\"},\"peak_interval\":" PA_S_INT ",\"intervals\":" PA_S_ROWS(
                                    "\"interval\":" PA_S_INT ",\"start_s\":" PA_S_NUM ",\"packets\":" PA_S_INT
                                    ",\"bytes\":" PA_S_INT ",\"bits_per_s\":" PA_S_NUM
                                    ",\"packets_per_s\":" PA_S_NUM) "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_io,
};

const pa_tool_def pa_tool_analyze_bandwidth_utilization = {
    .name = "analyze_bandwidth_utilization",
    .title = "Bandwidth utilisation",
    .description = "Bit rates per window, protocol shares, top talkers; link use in % with link_speed_mbps.",
    .input_schema =
        "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE
        "," INTERVAL_ARG("time_window", 10) ","
                                            "\"link_speed_mbps\":{\"type\":\"number\",\"minimum\":0.001,\"maximum\":"
                                            "10000000}," PA_ARG_BPF "},\"additionalProperties\":false}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"window_s\",\"windows\",\"peak_bits_per_s\","
        "\"mean_bits_per_s\",\"p95_bits_per_s\",\"protocols\",\"top_talkers\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA
        "," TIME_COMMON_PROPS(
            "window_s",
            "window_widened") ",\"span_s\":" PA_S_NUM
                              ",\"windows\":{\"type\":\"integer\",\"description\":\"windows over the whole "
                              "span\"},\"active_windows\":{\"type\":\"integer\",\"description\":\"windows that overlap an active "
                              "period\"},\"peak_bits_per_s\":" PA_S_NUM
                              ",\"mean_bits_per_s\":{\"type\":\"number\",\"description\":"
                              "\"over the whole span\"},\"active_mean_bits_per_s\":{\"type\":\"number\",\"description\":\"over the "
                              "active periods' time\"},\"p95_bits_per_s\":{\"type\":\"number\",\"description\":\"over the active "
                              "windows\"},\"peak_window_start_s\":" PA_S_NUM ",\"utilization_pct\":" PA_S_OBJ(
                                  "\"link_speed_mbps\":" PA_S_NUM ",\"peak\":" PA_S_NUM ",\"mean\":" PA_S_NUM
                                  ",\"active_mean\":" PA_S_NUM
                                  ",\"p95\":" PA_S_NUM) ",\"host_count\":" PA_S_INT
                                                        ",\"protocols\":" PA_S_ROWS("\"protocol\":" PA_S_STR ",\"bytes\":" PA_S_INT ",\"share_pct\":" PA_S_NUM) ",\"top_talkers\":" PA_S_ROWS(
                                                            "\"address\":" PA_S_STR
                                                            ",\"bytes\":{\"type\":\"integer\",\"description\":\"sent and received, a "
                                                            "packet to itself once\"},\"tx_bytes\":" PA_S_INT
                                                            ",\"rx_bytes\":" PA_S_INT
                                                            ",\"self_bytes\":{\"type\":\"integer\",\"description\":\"sent to itself (in tx_bytes and rx_bytes "
                                                            "both); absent when none\"},\"share_pct\":" PA_S_NUM
                                                            ",\"avg_bits_per_s\":" PA_S_NUM) "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_bandwidth,
};
