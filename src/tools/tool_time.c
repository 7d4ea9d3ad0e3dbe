/* Traffic over time: generate_traffic_timeline, generate_throughput_io_graph,
 * analyze_bandwidth_utilization. All three regroup the model's base time
 * bins (1 s wide unless the capture is very long) into the asked interval. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_common.h"
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
    int64_t k = want / m->bin_width_ns;
    if (k < 1) k = 1;
    s->widened = k * m->bin_width_ns != want;
    if (s->widened && want % m->bin_width_ns) k++;
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

static int cmp_u64(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

typedef struct stats {
    double mean, stddev, p95, peak;
    size_t peak_bin;
} stats;

/* Statistics of bytes per bin (the last bin may be partial; it still
 * counts, as a capture's tail is real traffic). */
static stats bin_stats(const series *s) {
    stats st = {0, 0, 0, 0, 0};
    if (!s->n) return st;
    uint64_t *v = malloc(s->n * sizeof *v);
    double sum = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (v) v[i] = s->b[i].bytes;
        sum += (double)s->b[i].bytes;
        if ((double)s->b[i].bytes > st.peak) {
            st.peak = (double)s->b[i].bytes;
            st.peak_bin = i;
        }
    }
    st.mean = sum / (double)s->n;
    double var = 0;
    for (size_t i = 0; i < s->n; i++) var += pow((double)s->b[i].bytes - st.mean, 2);
    st.stddev = sqrt(var / (double)s->n);
    if (v) {
        qsort(v, s->n, sizeof *v, cmp_u64);
        size_t idx = (size_t)ceil(0.95 * (double)s->n);
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

static void note_interval(pa_buf *t, const series *s, int64_t asked) {
    if (s->widened)
        pa_buf_printf(t,
                      "Note: this capture is long, so its traffic is kept in coarser steps; the "
                      "interval was widened from %lld s to %.0f s.\n",
                      (long long)asked, (double)s->width_ns / 1e9);
}

#define BIN_PAGE_NOTE                                                                          \
    "%zu of %zu intervals returned (offset %zu); call again with offset=%zu for more, or use a " \
    "larger interval.\n"

/* Loads the capture and regroups its bins into the interval named by
 * `arg`; on failure res says why. The caller frees s->b and unloads l. */
static bool load_series(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res, const char *arg,
                        pa_loaded *l, series *s) {
    int64_t interval = json_integer_value(json_object_get(args, arg));
    if (!pa_tool_load(ctx, args, res, l)) return false;
    if (!regroup(l->m, interval, s)) {
        pa_tool_unload(l);
        pa_tool_fail(res, "out of memory");
        return false;
    }
    pa_text_capture_header(&res->text, l);
    note_interval(&res->text, s, interval);
    return true;
}

/* ---- generate_traffic_timeline ------------------------------------------ */

static void run_timeline(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    size_t lim = (size_t)json_integer_value(json_object_get(args, "limit"));
    size_t off = (size_t)json_integer_value(json_object_get(args, "offset"));
    pa_loaded l;
    series s;
    if (!load_series(ctx, args, res, "time_interval", &l, &s)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    double w = (double)s.width_ns / 1e9;
    stats st = bin_stats(&s);
    double mean_pk = 0;
    for (size_t i = 0; i < s.n; i++) mean_pk += (double)s.b[i].pkts;
    mean_pk = s.n ? mean_pk / (double)s.n : 0;
    double var = 0;
    for (size_t i = 0; i < s.n; i++) var += pow((double)s.b[i].pkts - mean_pk, 2);
    double sd_pk = s.n ? sqrt(var / (double)s.n) : 0;

    /* Bursts: intervals far above the usual packet rate (mean + 3 sd, and
     * at least twice the mean); silences: runs of empty intervals. */
    json_t *bursts = json_array(), *silences = json_array();
    size_t nburst = 0, nsil = 0;
    for (size_t i = 0; i < s.n; i++) {
        double p = (double)s.b[i].pkts;
        if (s.n >= 3 && p > mean_pk + 3 * sd_pk && p >= 2 * mean_pk) {
            if (nburst++ < 20)
                json_array_append_new(bursts, json_pack("{s:I, s:f, s:I, s:I}", "interval",
                                                        (json_int_t)i, "start_s", (double)i * w,
                                                        "packets", (json_int_t)s.b[i].pkts,
                                                        "bytes", (json_int_t)s.b[i].bytes));
        }
    }
    for (size_t i = 0; i < s.n;) {
        if (s.b[i].pkts) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < s.n && !s.b[j].pkts) j++;
        if (nsil++ < 20)
            json_array_append_new(silences, json_pack("{s:f, s:f}", "start_s", (double)i * w,
                                                      "duration_s", (double)(j - i) * w));
        i = j;
    }

    json_t *bins = json_array();
    size_t end = off < s.n ? (off + lim < s.n ? off + lim : s.n) : off;
    pa_buf_printf(t, "%zu intervals of %.0f s; mean %.1f packets and %.0f bytes per interval; "
                     "busiest interval #%zu (%.0f bytes).\n",
                  s.n, w, mean_pk, st.mean, st.peak_bin, st.peak);
    pa_buf_printf(t, "%zu bursts (packets > mean + 3 sd), %zu silent stretches.\n", nburst, nsil);
    char when[48];
    for (size_t i = off; i < end; i++) {
        int c = top_class(&s.b[i]);
        pa_fmt_time(when, sizeof when, m->first_ts + (int64_t)i * s.width_ns);
        json_array_append_new(
            bins, json_pack("{s:I, s:s, s:f, s:I, s:I, s:s?}", "interval", (json_int_t)i, "start",
                            when, "start_s", (double)i * w, "packets", (json_int_t)s.b[i].pkts,
                            "bytes", (json_int_t)s.b[i].bytes, "top_protocol",
                            c >= 0 ? cls_names[c] : NULL));
        if (i < off + 30)
            pa_buf_printf(t, "  %s  %6llu pkts %10llu bytes  %s\n", when,
                          (unsigned long long)s.b[i].pkts, (unsigned long long)s.b[i].bytes,
                          c >= 0 ? cls_names[c] : "-");
    }
    if (end < s.n) pa_buf_printf(t, BIN_PAGE_NOTE, end - off, s.n, off, end);
    res->structured = json_pack(
        "{s:o, s:f, s:b, s:I, s:I, s:I, s:f, s:f, s:o, s:I, s:o, s:I, s:o}", "capture",
        pa_capture_json(&l), "interval_s", w, "interval_widened", s.widened, "total_intervals",
        (json_int_t)s.n, "offset", (json_int_t)off, "returned", (json_int_t)(end - off),
        "mean_packets", mean_pk, "mean_bytes", st.mean, "bursts", bursts, "burst_count",
        (json_int_t)nburst, "silences", silences, "silence_count", (json_int_t)nsil, "intervals",
        bins);
    free(s.b);
    pa_tool_unload(&l);
}

/* ---- generate_throughput_io_graph ----------------------------------------- */

static void run_io(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    size_t lim = (size_t)json_integer_value(json_object_get(args, "limit"));
    size_t off = (size_t)json_integer_value(json_object_get(args, "offset"));
    pa_loaded l;
    series s;
    if (!load_series(ctx, args, res, "time_interval", &l, &s)) return;
    pa_buf *t = &res->text;
    double w = (double)s.width_ns / 1e9;
    stats st = bin_stats(&s);
    char r1[32], r2[32], r3[32];
    pa_fmt_rate(r1, sizeof r1, st.peak * 8 / w);
    pa_fmt_rate(r2, sizeof r2, st.mean * 8 / w);
    pa_fmt_rate(r3, sizeof r3, st.p95 * 8 / w);
    pa_buf_printf(t, "Throughput per %.0f s: peak %s (interval #%zu), mean %s, p95 %s.\n", w, r1,
                  st.peak_bin, r2, r3);
    json_t *bins = json_array();
    size_t end = off < s.n ? (off + lim < s.n ? off + lim : s.n) : off;
    for (size_t i = off; i < end; i++) {
        double bps = (double)s.b[i].bytes * 8 / w;
        json_array_append_new(
            bins, json_pack("{s:I, s:f, s:I, s:I, s:f, s:f}", "interval", (json_int_t)i, "start_s",
                            (double)i * w, "packets", (json_int_t)s.b[i].pkts, "bytes",
                            (json_int_t)s.b[i].bytes, "bits_per_s", bps, "packets_per_s",
                            (double)s.b[i].pkts / w));
        if (i < off + 30) {
            pa_fmt_rate(r1, sizeof r1, bps);
            pa_buf_printf(t, "  +%8.0f s  %12s  %8.1f pkt/s\n", (double)i * w, r1,
                          (double)s.b[i].pkts / w);
        }
    }
    if (end < s.n) pa_buf_printf(t, BIN_PAGE_NOTE, end - off, s.n, off, end);
    res->structured = json_pack(
        "{s:o, s:f, s:b, s:I, s:I, s:I, s:f, s:f, s:f, s:I, s:o}", "capture", pa_capture_json(&l),
        "interval_s", w, "interval_widened", s.widened, "total_intervals", (json_int_t)s.n,
        "offset", (json_int_t)off, "returned", (json_int_t)(end - off), "peak_bits_per_s",
        st.peak * 8 / w, "mean_bits_per_s", st.mean * 8 / w, "p95_bits_per_s", st.p95 * 8 / w,
        "peak_interval", (json_int_t)st.peak_bin, "intervals", bins);
    free(s.b);
    pa_tool_unload(&l);
}

/* ---- analyze_bandwidth_utilization ------------------------------------------ */

static int ep_cmp(const void *x, const void *y) {
    const pa_endpoint *a = *(const pa_endpoint *const *)x, *b = *(const pa_endpoint *const *)y;
    uint64_t ta = a->tx_bytes + a->rx_bytes, tb = b->tx_bytes + b->rx_bytes;
    return ta < tb ? 1 : ta > tb ? -1 : 0;
}

static void run_bandwidth(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    json_t *jlink = json_object_get(args, "link_speed_mbps");
    double link_bps = jlink ? json_number_value(jlink) * 1e6 : 0;
    pa_loaded l;
    series s;
    if (!load_series(ctx, args, res, "time_window", &l, &s)) return;
    const pa_model *m = l.m;
    pa_buf *t = &res->text;
    double w = (double)s.width_ns / 1e9;
    stats st = bin_stats(&s);
    double peak = st.peak * 8 / w, mean = st.mean * 8 / w, p95 = st.p95 * 8 / w;
    char r1[32], r2[32], r3[32];
    pa_fmt_rate(r1, sizeof r1, peak);
    pa_fmt_rate(r2, sizeof r2, mean);
    pa_fmt_rate(r3, sizeof r3, p95);
    pa_buf_printf(t, "Bandwidth over %zu windows of %.0f s: peak %s, mean %s, p95 %s.\n", s.n, w,
                  r1, r2, r3);
    json_t *out = json_pack("{s:o, s:f, s:b, s:I, s:f, s:f, s:f, s:f}", "capture",
                            pa_capture_json(&l), "window_s", w, "window_widened", s.widened,
                            "windows", (json_int_t)s.n, "peak_bits_per_s", peak,
                            "mean_bits_per_s", mean, "p95_bits_per_s", p95, "peak_window_start_s",
                            (double)st.peak_bin * w);
    if (link_bps > 0) {
        json_object_set_new(out, "utilization_pct",
                            json_pack("{s:f, s:f, s:f, s:f}", "link_speed_mbps", link_bps / 1e6,
                                      "peak", 100 * peak / link_bps, "mean", 100 * mean / link_bps,
                                      "p95", 100 * p95 / link_bps));
        pa_buf_printf(t, "On a %.0f Mbit/s link: peak %.1f%%, mean %.1f%%, p95 %.1f%% utilised.\n",
                      link_bps / 1e6, 100 * peak / link_bps, 100 * mean / link_bps,
                      100 * p95 / link_bps);
    }
    /* Share by traffic class and by host. */
    uint64_t cls[PA_CLS_COUNT] = {0};
    for (size_t i = 0; i < s.n; i++)
        for (int c = 0; c < PA_CLS_COUNT; c++) cls[c] += s.b[i].cls_bytes[c];
    json_t *protos = json_array();
    pa_buf_puts(t, "By protocol:");
    for (int c = 0; c < PA_CLS_COUNT; c++) {
        if (!cls[c]) continue;
        double pct = m->wire_bytes ? 100.0 * (double)cls[c] / (double)m->wire_bytes : 0;
        json_array_append_new(protos, json_pack("{s:s, s:I, s:f}", "protocol", cls_names[c],
                                                "bytes", (json_int_t)cls[c], "share_pct", pct));
        pa_buf_printf(t, " %s %.1f%%", cls_names[c], pct);
    }
    pa_buf_puts(t, "\nTop talkers (bytes sent + received):\n");
    json_object_set_new(out, "protocols", protos);
    size_t n = m->endpoints.count, k = 0;
    const pa_endpoint **v = malloc((n ? n : 1) * sizeof *v);
    json_t *talkers = json_array();
    if (v) {
        for (size_t i = 0; i < m->endpoints.cap; i++)
            if (m->endpoints.used[i]) v[k++] = pa_htab_at(&m->endpoints, i);
        qsort(v, k, sizeof *v, ep_cmp);
        for (size_t i = 0; i < k && i < 10; i++) {
            uint64_t b = v[i]->tx_bytes + v[i]->rx_bytes;
            double pct = m->wire_bytes ? 100.0 * (double)b / (double)m->wire_bytes : 0;
            double dur = (double)(m->last_ts - m->first_ts) / 1e9;
            json_array_append_new(
                talkers, json_pack("{s:o, s:I, s:I, s:f, s:f}", "address", pa_json_addr(&v[i]->addr),
                                   "tx_bytes", (json_int_t)v[i]->tx_bytes, "rx_bytes",
                                   (json_int_t)v[i]->rx_bytes, "share_pct", pct, "avg_bits_per_s",
                                   dur > 0 ? (double)b * 8 / dur : 0.0));
            char as[64], sz[32];
            pa_addr_str(&v[i]->addr, as, sizeof as);
            pa_fmt_bytes(sz, sizeof sz, b);
            pa_buf_printf(t, "  %s  %s (%.1f%% of all bytes)\n", as, sz, pct);
        }
        free(v);
    }
    json_object_set_new(out, "top_talkers", talkers);
    res->structured = out;
    free(s.b);
    pa_tool_unload(&l);
}

#define INTERVAL_ARG(name, def)                                                                \
    "\"" name "\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":86400,\"default\":" #def      \
    ",\"description\":\"Seconds\"}"
#define BIN_LIMIT                                                                              \
    PA_ARG_LIMIT(120, 10000) "," PA_ARG_OFFSET

const pa_tool_def pa_tool_generate_traffic_timeline = {
    .name = "generate_traffic_timeline",
    .title = "Traffic timeline",
    .description = "Packets and bytes per interval, with bursts and silences.",
    .input_schema = "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{"
                    PA_ARG_PCAP_FILE "," INTERVAL_ARG("time_interval", 60)
                    "," PA_ARG_BPF "," BIN_LIMIT "},\"additionalProperties\":false}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"interval_s\",\"total_intervals\","
        "\"intervals\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ","
        "\"interval_s\":{\"type\":\"number\"},\"interval_widened\":{\"type\":\"boolean\"},"
        "\"total_intervals\":{\"type\":\"integer\"},\"offset\":{\"type\":\"integer\"},"
        "\"returned\":{\"type\":\"integer\"},\"mean_packets\":{\"type\":\"number\"},"
        "\"mean_bytes\":{\"type\":\"number\"},\"burst_count\":{\"type\":\"integer\"},"
        "\"bursts\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"
        "\"silence_count\":{\"type\":\"integer\"},"
        "\"silences\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"
        "\"intervals\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":["
        "\"interval\",\"start_s\",\"packets\",\"bytes\"],\"properties\":{"
        "\"interval\":{\"type\":\"integer\"},\"start\":{\"type\":\"string\"},"
        "\"start_s\":{\"type\":\"number\"},\"packets\":{\"type\":\"integer\"},"
        "\"bytes\":{\"type\":\"integer\"},\"top_protocol\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}],"
        "\"description\":\"null for an interval without packets\"}},"
        "\"additionalProperties\":false}}},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_timeline,
};

const pa_tool_def pa_tool_generate_throughput_io_graph = {
    .name = "generate_throughput_io_graph",
    .title = "Throughput I/O graph",
    .description = "Bits and packets per second per interval (I/O graph); peak, mean, p95.",
    .input_schema = "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{"
                    PA_ARG_PCAP_FILE "," INTERVAL_ARG("time_interval", 1)
                    "," PA_ARG_BPF "," BIN_LIMIT "},\"additionalProperties\":false}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"interval_s\",\"total_intervals\","
        "\"intervals\",\"peak_bits_per_s\",\"mean_bits_per_s\"],\"properties\":{"
        "\"capture\":" PA_CAPTURE_SCHEMA ",\"interval_s\":{\"type\":\"number\"},"
        "\"interval_widened\":{\"type\":\"boolean\"},\"total_intervals\":{\"type\":\"integer\"},"
        "\"offset\":{\"type\":\"integer\"},\"returned\":{\"type\":\"integer\"},"
        "\"peak_bits_per_s\":{\"type\":\"number\"},\"mean_bits_per_s\":{\"type\":\"number\"},"
        "\"p95_bits_per_s\":{\"type\":\"number\"},\"peak_interval\":{\"type\":\"integer\"},"
        "\"intervals\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":["
        "\"interval\",\"bytes\",\"bits_per_s\"],\"properties\":{"
        "\"interval\":{\"type\":\"integer\"},\"start_s\":{\"type\":\"number\"},"
        "\"packets\":{\"type\":\"integer\"},\"bytes\":{\"type\":\"integer\"},"
        "\"bits_per_s\":{\"type\":\"number\"},\"packets_per_s\":{\"type\":\"number\"}},"
        "\"additionalProperties\":false}}},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_io,
};

const pa_tool_def pa_tool_analyze_bandwidth_utilization = {
    .name = "analyze_bandwidth_utilization",
    .title = "Bandwidth utilisation",
    .description =
        "Bit rates per window, protocol shares, top talkers; link use in % with link_speed_mbps.",
    .input_schema = "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{"
                    PA_ARG_PCAP_FILE "," INTERVAL_ARG("time_window", 10) ","
                    "\"link_speed_mbps\":{\"type\":\"number\",\"minimum\":0.001,\"maximum\":"
                    "10000000},"
                    PA_ARG_BPF "},\"additionalProperties\":false}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"window_s\",\"windows\","
        "\"peak_bits_per_s\",\"mean_bits_per_s\",\"p95_bits_per_s\",\"protocols\","
        "\"top_talkers\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ","
        "\"window_s\":{\"type\":\"number\"},\"window_widened\":{\"type\":\"boolean\"},"
        "\"windows\":{\"type\":\"integer\"},\"peak_bits_per_s\":{\"type\":\"number\"},"
        "\"mean_bits_per_s\":{\"type\":\"number\"},\"p95_bits_per_s\":{\"type\":\"number\"},"
        "\"peak_window_start_s\":{\"type\":\"number\"},"
        "\"utilization_pct\":{\"type\":\"object\"},"
        "\"protocols\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"
        "\"top_talkers\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}}},"
        "\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_bandwidth,
};
