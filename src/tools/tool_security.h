/* Security findings from the model's evidence (engine/sec_track.h, DNS
 * domains, TLS connections and certificates): shared by
 * analyze_security_threats and analyze_pcap_file's security summary. */
#ifndef PA_TOOL_SECURITY_H
#define PA_TOOL_SECURITY_H

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

/* Every finding, most severe first; by_risk[3] receives counts (low, medium, high). */
json_t *pa_security_findings(const pa_model *m, const pa_sec_opts *o, size_t by_risk[3]);

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
