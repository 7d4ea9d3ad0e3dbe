/* Security findings from the model's evidence (engine/sec_track.h, DNS
 * domains, TLS connections and certificates): shared by
 * analyze_security_threats and analyze_pcap_file's security summary. */
#ifndef PA_TOOL_SECURITY_H
#define PA_TOOL_SECURITY_H

#include "tool_report.h"
#include "tool_tcp_common.h"

typedef struct pa_sec_opts {
    int scan_min_ports, scan_min_hosts;
    double scan_failed_fraction;
    int rst_storm_min;
    int syn_flood_min_syns, syn_flood_min_rate;
    double syn_flood_max_completed;
    int icmp_flood_min, icmp_flood_min_rate, icmp_large_bytes;
    int dns_tunnel_min_names, dns_short_ttl_s, dns_flux_min_addresses;
    int beacon_min_connections;
    double beacon_min_interval_s, beacon_max_jitter;
    bool show_secrets;
} pa_sec_opts;

/* The defaults, overridden by the arguments present in args (may be NULL). */
void pa_sec_opts_from_args(pa_sec_opts *o, const json_t *args);
json_t *pa_sec_opts_json(const pa_sec_opts *o);

enum { PA_RISK_LOW, PA_RISK_MEDIUM, PA_RISK_HIGH };

/* Every finding, most severe first, each with a display_filter selecting
 * its evidence where one does better than its frames; by_risk[3] receives
 * counts (low, medium, high). */
json_t *pa_security_findings(const pa_model *m, const pa_sec_opts *o, size_t by_risk[3]);
/* A finding's text: its severity, kind and explanation, then the frames,
 * credentials, display filter and MACs of its evidence (whole lines). */
void pa_security_finding_text(pa_buf *b, const json_t *finding);

/* The findings' schemas. Evidence differs by kind: its common properties
 * are named, and others may follow. */
/* Kept as written: the formatter would turn these lists into a staircase. */
// clang-format off
#define PA_SEC_EV_INTS(X)                                                                                   \
    X(distinct_ports) X(distinct_ports_estimate) X(probes) X(open_answers) X(refused) X(unanswered)          \
    X(handshakes_completed) X(first_frame) X(last_frame) X(port) X(distinct_hosts_estimate)                  \
    X(rsts_without_connection) X(distinct_targets_estimate) X(syns) X(syn_acks) X(completed)                 \
    X(peak_syns_per_s) X(distinct_sources_estimate) X(echo_requests) X(echo_replies) X(peak_per_s)           \
    X(large_requests) X(largest_payload) X(largest_frame) X(changes) X(gratuitous_from_later_macs) X(queries) \
    X(distinct_names) X(longest_label) X(long_label_names) X(txt_queries) X(null_queries) X(nxdomain)         \
    X(answered_responses) X(short_ttl_responses) X(short_ttl_s) X(distinct_answers_estimate) X(connections)  \
    X(frame) X(not_listed) X(flows)
#define PA_SEC_EV_STRS(X)                                                                                   \
    X(scanner) X(target) X(scan_type) X(host) X(source) X(ip) X(domain) X(destination) X(transport)          \
    X(protocol) X(method) X(client) X(server) X(user) X(secret) X(sni) X(cipher_suite) X(version) X(reason)  \
    X(subject) X(issuer) X(sha256) X(service) X(first_client) X(first_server) X(algorithm)
// clang-format on
#define PA_SEC_EV_INT_(k) "\"" #k "\":" PA_S_INT ","
#define PA_SEC_EV_STR_(k) "\"" #k "\":" PA_S_STR ","
#define PA_SEC_FINDING_SCHEMA                                                                                          \
    "{\"type\":\"object\",\"required\":[\"kind\",\"severity\",\"confidence\",\"explanation\",\"evidence\"],"           \
    "\"properties\":{\"kind\":" PA_S_STR ",\"severity\":{\"type\":\"string\",\"enum\":[\"low\",\"medium\","            \
    "\"high\"]},\"confidence\":{\"type\":\"string\",\"enum\":[\"low\",\"medium\",\"high\"]},\"explanation\":" PA_S_STR \
    ",\"display_filter\":{\"type\":\"string\",\"description\":\"selects the evidence's packets; absent "               \
    "when its frame does\"},\"evidence\":{\"type\":\"object\",\"description\":\"hosts, ports, frames and counts; "     \
    "the properties depend on the kind\",\"properties\":{" PA_SEC_EV_INTS(PA_SEC_EV_INT_) PA_SEC_EV_STRS(              \
        PA_SEC_EV_STR_) "\"duration_s\":" PA_S_NUM ",\"mean_label_entropy\":" PA_S_NUM                                 \
                        ",\"mean_interval_s\":" PA_S_NUM ",\"jitter_s\":" PA_S_NUM ",\"relative_jitter\":" PA_S_NUM    \
                        ",\"estimate_is_lower_bound\":" PA_S_BOOL ",\"probes_by_flags\":" PA_S_OBJ(                    \
                            "\"syn\":" PA_S_INT ",\"null\":" PA_S_INT ",\"fin\":" PA_S_INT                             \
                            ",\"xmas\":" PA_S_INT) ",\"macs\":" PA_S_ROWS("\"mac\":" PA_S_STR ",\"claims\":" PA_S_INT  \
                                                                          ",\"gratuitous\":" PA_S_INT                  \
                                                                          ",\"first_frame\":" PA_S_INT) "}}},\"additionalProperties\":false}"
#define PA_SEC_SUMMARY_SCHEMA                                                                                          \
    PA_S_OBJ("\"findings\":" PA_S_INT ",\"high\":" PA_S_INT ",\"medium\":" PA_S_INT ",\"low\":" PA_S_INT)
#define PA_SEC_THRESHOLDS_SCHEMA                                                                                       \
    PA_S_OBJ("\"scan_min_ports\":" PA_S_INT ",\"scan_min_hosts\":" PA_S_INT ",\"scan_failed_fraction\":" PA_S_NUM      \
             ",\"rst_storm_min\":" PA_S_INT ",\"syn_flood_min_syns\":" PA_S_INT ",\"syn_flood_min_rate\":" PA_S_INT    \
             ",\"syn_flood_max_completed\":" PA_S_NUM ",\"icmp_flood_min\":" PA_S_INT                                  \
             ",\"icmp_flood_min_rate\":" PA_S_INT ",\"icmp_large_bytes\":" PA_S_INT                                    \
             ",\"dns_tunnel_min_names\":" PA_S_INT ",\"dns_short_ttl_s\":" PA_S_INT                                    \
             ",\"dns_flux_min_addresses\":" PA_S_INT ",\"beacon_min_connections\":" PA_S_INT                           \
             ",\"beacon_min_interval_s\":" PA_S_NUM ",\"beacon_max_jitter\":" PA_S_NUM ",\"show_secrets\":" PA_S_BOOL)

/* The threshold arguments of analyze_security_threats (a JSON fragment).
 * What each means is in the guide resource (tool_catalog.c), not here: the
 * input schema is in a model's context on every request. */
// clang-format off
#define PA_SEC_INT(name, lo, hi, def)                                                          \
    "\"" name "\":{\"type\":\"integer\",\"minimum\":" #lo ",\"maximum\":" #hi ",\"default\":" #def "}"
#define PA_SEC_NUM(name, lo, hi, def)                                                          \
    "\"" name "\":{\"type\":\"number\",\"minimum\":" #lo ",\"maximum\":" #hi ",\"default\":" #def "}"
#define PA_SEC_ARGS                                                                            \
    PA_SEC_INT("scan_min_ports", 2, 65535, 30) "," PA_SEC_INT("scan_min_hosts", 2, 1000000, 30) \
    "," PA_SEC_NUM("scan_failed_fraction", 0, 1, 0.5) ","                                      \
    PA_SEC_INT("rst_storm_min", 2, 100000000, 100) ","                                         \
    PA_SEC_INT("syn_flood_min_syns", 2, 100000000, 500) ","                                    \
    PA_SEC_INT("syn_flood_min_rate", 1, 100000000, 100) ","                                    \
    PA_SEC_NUM("syn_flood_max_completed", 0, 1, 0.1) ","                                      \
    PA_SEC_INT("icmp_flood_min", 2, 100000000, 500) ","                                        \
    PA_SEC_INT("icmp_flood_min_rate", 1, 100000000, 100) ","                                   \
    "\"icmp_large_bytes\":{\"type\":\"integer\",\"enum\":[64,128,256,512,1024,2048,4096,8192," \
    "16384],\"default\":1024},"                                                                \
    PA_SEC_INT("dns_tunnel_min_names", 2, 1000000, 50) ","                                     \
    "\"dns_short_ttl_s\":{\"type\":\"integer\",\"enum\":[5,10,30,60],\"default\":30},"         \
    PA_SEC_INT("dns_flux_min_addresses", 2, 100000, 10) ","                                    \
    PA_SEC_INT("beacon_min_connections", 3, 1000000, 6) ","                                    \
    PA_SEC_NUM("beacon_min_interval_s", 0, 86400, 5) ","                                       \
    PA_SEC_NUM("beacon_max_jitter", 0, 1, 0.1) ","                                             \
    "\"show_secrets\":{\"type\":\"boolean\",\"default\":false,\"description\":\"Only if the "  \
    "user asks.\"}"
// clang-format on

#endif
