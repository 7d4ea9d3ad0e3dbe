/* Shared by the TCP tools (tool_tcp_*.c): the connections of a model with
 * their client/server orientation, and the pieces every TCP report uses. */
#ifndef PA_TOOL_TCP_COMMON_H
#define PA_TOOL_TCP_COMMON_H

#include "tool_common.h"
#include "tool_report.h"

typedef struct pa_conn {
    const pa_flow *f; /* in the model */
    int cs;           /* the client's flow key side (0 = a) */
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
#define PA_CONN_ID_PROPS                                                                                               \
    "\"stream\":{\"type\":\"integer\"},\"client\":{\"type\":\"string\"},"                                              \
    "\"client_port\":{\"type\":\"integer\"},\"server\":{\"type\":\"string\"},"                                         \
    "\"server_port\":{\"type\":\"integer\"}"
/* "stream 3 192.0.2.10:51514 -> 198.51.100.80:80" */
void pa_conn_text(pa_buf *b, const pa_conn *c);
/* Connections with a score above zero (the length of a ranked list). */
size_t pa_conn_count_scored(const pa_conn *cv, size_t n, double (*score)(const pa_conn *));
/* "<what> 11-20 of 57<tail>:" heading a page of a list (nothing past its end). */
void pa_page_heading(pa_buf *t, const char *what, size_t offset, size_t limit, size_t total, const char *tail);
/* One row of a connection list: its text after "  stream 3 a:p -> b:q",
 * ending in a newline, into line; its JSON returned. */
typedef json_t *(*pa_conn_row_fn)(const pa_conn *c, pa_buf *line, const void *ud);
/* A ranked list of the first `total` connections by score: sorted as far
 * as the page needs, headed, one row each from row(), as obj[key]; it
 * pages with offset when page_key is given (else offset is 0). */
void pa_conn_list(pa_report *rep, pa_conn *cv, size_t n, double (*score)(const pa_conn *), size_t total, size_t offset,
                  size_t limit, const char *heading, const char *tail, pa_conn_row_fn row, const void *ud,
                  const char *key, const char *page_key);
/* "192.0.2.10:51514", "[2001:db8::1]:443" */
void pa_endpoint_text(pa_buf *b, const pa_addr *a, uint16_t port);

/* A conversation of any IP protocol, its sides in Wireshark's order (A
 * sent first): "udp stream 4 10.0.0.1:5353 <-> 10.0.0.2:53" or "ip proto
 * 47 10.0.0.1 <-> 10.0.0.2", and as JSON {protocol, stream (TCP and UDP) or
 * ip_protocol, address_a, port_a, address_b, port_b}. */
const char *pa_flow_proto(const pa_flow *f); /* "tcp", "udp" or "ip" */
void pa_flow_text(pa_buf *b, const pa_flow *f);
json_t *pa_flow_json(const pa_flow *f);
#define PA_FLOW_ID_PROPS                                                                                               \
    "\"protocol\":{\"type\":\"string\",\"description\":\"tcp, udp, or ip for other IP "                                \
    "protocols\"},\"stream\":{\"type\":\"integer\",\"description\":\"tcp.stream or udp.stream "                        \
    "(TCP and UDP only)\"},\"ip_protocol\":{\"type\":\"integer\",\"description\":\"IP protocol "                       \
    "number (other protocols only)\"},\"address_a\":{\"type\":\"string\"},\"port_a\":{\"type\":"                       \
    "\"integer\"},\"address_b\":{\"type\":\"string\"},\"port_b\":{\"type\":\"integer\"}"

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
#define PA_NS_SUMMARY_SCHEMA                                                                                           \
    "{\"type\":\"object\",\"required\":[\"samples\"],\"properties\":{\"samples\":{\"type\":"                           \
    "\"integer\"},\"min_ms\":{\"type\":\"number\"},\"mean_ms\":{\"type\":\"number\"},"                                 \
    "\"p50_ms\":{\"type\":\"number\"},\"p90_ms\":{\"type\":\"number\"},\"p99_ms\":{\"type\":"                          \
    "\"number\"},\"max_ms\":{\"type\":\"number\"},\"percentiles_estimated\":{\"type\":\"boolean\","                    \
    "\"description\":\"true when more values than were kept: placed within their power-of-two "                        \
    "bucket, between the exact min and max\"}},\"additionalProperties\":false}"

/* The display-filter field of a tcp.analysis flag: "tcp.analysis.retransmission". */
const char *pa_ta_field(unsigned bit);
/* A display filter selecting a connection's evidence: "tcp.stream == 3",
 * and " && (t1 || t2)" when terms are given. */
void pa_conn_filter(char *out, size_t n, const pa_conn *c, const char *const *terms, size_t nterms);
/* The fields (pa_ta_field) of the flags among bits that the connection has;
 * returns how many were written to out (room for nbits). */
size_t pa_ta_terms(const pa_conn *c, const unsigned *bits, size_t nbits, const char **out);

/* The first frames the model kept for each flag: obj[pa_ta_name(bit)] =
 * [frames], and one text line naming them all. */
void pa_ta_frames(pa_buf *t, const pa_model *m, const unsigned *bits, size_t nbits, json_t *obj);

/* The intervals (the time bins merged into at most max_points) in which a
 * bin counter is not zero, as a list obj[key] of {start_s, count} that is
 * not paged, one text line each under a heading naming `label`. */
void pa_problem_series(pa_report *rep, const pa_model *m, uint32_t (*get)(const pa_bin *), size_t max_points,
                       const char *label, json_t *obj, const char *key);
#define PA_SERIES_SCHEMA                                                                                               \
    "{\"type\":\"array\",\"description\":\"intervals with at least one, in time order (empty "                         \
    "ones left out)\",\"items\":" PA_S_OBJ("\"start_s\":{\"type\":\"number\",\"description\":"                         \
                                           "\"seconds from the first frame\"},\"count\":" PA_S_INT) "}"

/* "12.5" for 12.500 s (3 decimals at most, no trailing zeros). */
void pa_fmt_secs(char *out, size_t n, double s);

/* Index after the last row of the page from offset (at most limit rows). */
static inline size_t pa_page_end(size_t offset, size_t limit, size_t total) {
    return offset >= total ? offset : (total - offset < limit ? total : offset + limit);
}
static inline size_t pa_arg_offset(const json_t *args) {
    return (size_t)json_integer_value(json_object_get(args, "offset"));
}

static inline double pa_pct(double part, double whole) { return whole > 0 ? 100.0 * part / whole : 0.0; }
static inline size_t pa_arg_limit(const json_t *args) {
    return (size_t)json_integer_value(json_object_get(args, "limit"));
}

#define PA_TCP_TOOL_INPUT(limit_default)                                                                               \
    "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE "," PA_ARG_BPF               \
    "," PA_ARG_LIMIT(limit_default, 500) "},\"additionalProperties\":false}"

/* The same with `offset`, for the tools whose ranked lists are paged. */
#define PA_TCP_TOOL_INPUT_PAGED(limit_default)                                                                         \
    "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE "," PA_ARG_BPF               \
    "," PA_ARG_LIMIT(limit_default, 500) "," PA_ARG_OFFSET "},\"additionalProperties\":false}"

#endif
