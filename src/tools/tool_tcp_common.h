/* Shared by the TCP tools (tool_tcp_*.c): the connections of a model with
 * their client/server orientation, and the pieces every TCP report uses. */
#ifndef PA_TOOL_TCP_COMMON_H
#define PA_TOOL_TCP_COMMON_H

#include "tool_common.h"

typedef struct pa_conn {
    const pa_flow *f;   /* in the model */
    int cs;             /* the client's flow key side (0 = a) */
    pa_addr client, server;
    uint16_t cport, sport;
} pa_conn;

/* Every TCP connection that was analysed; caller frees *out. */
size_t pa_tcp_conns(const pa_model *m, pa_conn **out);
/* Sorts by score (largest first; ties by stream number) the first `need`
 * connections of that order; the others follow, unordered. */
void pa_conn_sort(pa_conn *v, size_t n, double (*score)(const pa_conn *), size_t need);

/* {stream, client, client_port, server, server_port} */
json_t *pa_conn_json(const pa_conn *c);
#define PA_CONN_ID_PROPS                                                                       \
    "\"stream\":{\"type\":\"integer\"},\"client\":{\"type\":\"string\"},"                      \
    "\"client_port\":{\"type\":\"integer\"},\"server\":{\"type\":\"string\"},"                 \
    "\"server_port\":{\"type\":\"integer\"}"
/* "stream 3 192.0.2.10:51514 -> 198.51.100.80:80" */
void pa_conn_text(pa_buf *b, const pa_conn *c);

/* Sum of a flag over both sides, and per side (client / server). */
uint32_t pa_conn_count(const pa_conn *c, unsigned bit);
uint32_t pa_conn_count_side(const pa_conn *c, unsigned bit, bool client);

/* p50, p90 and p99 of a distribution the engine kept (pctl.h), in ms:
 * exact while every sample was kept, else estimated within [min, max]. */
typedef struct pa_pctls {
    double p50_ms, p90_ms, p99_ms;
    bool estimated;
} pa_pctls;
pa_pctls pa_pctls_of(const pa_pctl_src *s);
/* A per-connection or per-server distribution (a 32-bit histogram). */
pa_pctl_src pa_pctl_src32(uint64_t n, int64_t min, int64_t max, const uint32_t *hist, const pa_samples *kept);
/* DNS response times (dns.time) of the whole capture. */
pa_pctls pa_dns_pctls(const pa_dns_stats *d);
/* Sets p50_ms, p90_ms, p99_ms and percentiles_estimated in o. */
void pa_pctls_json(json_t *o, const pa_pctls *p);
/* In text, before an estimated percentile: "about ". */
static inline const char *pa_pctl_about(const pa_pctls *p) { return p->estimated ? "about " : ""; }

/* Exact summary of durations (ns; sorted in place): {samples, min_ms,
 * mean_ms, p50_ms, p90_ms, p99_ms, max_ms} (nearest-rank percentiles). */
typedef struct pa_ns_summary {
    double min_ms, mean_ms, p50_ms, p90_ms, p99_ms, max_ms;
} pa_ns_summary;
json_t *pa_ns_summary_json(int64_t *v, size_t n, pa_ns_summary *out);
#define PA_NS_SUMMARY_SCHEMA                                                                   \
    "{\"type\":\"object\",\"required\":[\"samples\"],\"properties\":{\"samples\":{\"type\":"   \
    "\"integer\"},\"min_ms\":{\"type\":\"number\"},\"mean_ms\":{\"type\":\"number\"},"            \
    "\"p50_ms\":{\"type\":\"number\"},\"p90_ms\":{\"type\":\"number\"},\"p99_ms\":{\"type\":"     \
    "\"number\"},\"max_ms\":{\"type\":\"number\"},\"percentiles_estimated\":{\"type\":\"boolean\","    \
    "\"description\":\"true when more values than were kept: placed within their power-of-two "     \
    "bucket, between the exact min and max\"}},\"additionalProperties\":false}"

/* The first frames the model kept for a flag, as a JSON array. */
json_t *pa_ta_frames_json(const pa_model *m, unsigned bit);

/* A coarse time series of one bin counter, at most max_points intervals. */
json_t *pa_problem_series(const pa_model *m, uint32_t (*get)(const pa_bin *), size_t max_points,
                          pa_buf *text, const char *label);

static inline double pa_pct(double part, double whole) {
    return whole > 0 ? 100.0 * part / whole : 0.0;
}
static inline size_t pa_arg_limit(const json_t *args) {
    return (size_t)json_integer_value(json_object_get(args, "limit"));
}
#define PA_SCHEMA_OBJ "{\"type\":\"object\"}"
#define PA_SCHEMA_ARR "{\"type\":\"array\",\"items\":{\"type\":\"object\"}}"

#define PA_TCP_TOOL_INPUT(limit_default)                                                       \
    "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE ","  \
    PA_ARG_BPF "," PA_ARG_LIMIT(limit_default, 500) "},\"additionalProperties\":false}"

#endif
