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

/* The threshold arguments of analyze_security_threats (a JSON fragment). */
#define PA_SEC_ARGS                                                                                         \
    "\"scan_min_ports\":{\"type\":\"integer\",\"minimum\":2,\"maximum\":65535,\"default\":30,"               \
    "\"description\":\"Distinct ports one source probes on one host to call it a vertical port scan.\"},"    \
    "\"scan_min_hosts\":{\"type\":\"integer\",\"minimum\":2,\"maximum\":1000000,\"default\":30,"             \
    "\"description\":\"Distinct hosts one source probes on one port to call it a horizontal scan.\"},"       \
    "\"scan_failed_fraction\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1,\"default\":0.5,"             \
    "\"description\":\"Smallest share of probes refused or unanswered in a scan.\"},"                        \
    "\"rst_storm_min\":{\"type\":\"integer\",\"minimum\":2,\"maximum\":100000000,\"default\":100,"           \
    "\"description\":\"RSTs one host sends to distinct peers without an earlier packet of the connection.\"}," \
    "\"syn_flood_min_syns\":{\"type\":\"integer\",\"minimum\":2,\"maximum\":100000000,\"default\":500,"      \
    "\"description\":\"SYNs toward one service to consider a flood.\"},"                                     \
    "\"syn_flood_min_rate\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100000000,\"default\":100,"      \
    "\"description\":\"SYNs in the busiest second for a flood (fewer: a half-open storm).\"},"               \
    "\"syn_flood_max_completed\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1,\"default\":0.1,"          \
    "\"description\":\"Largest share of SYNs completing the handshake in a flood.\"},"                       \
    "\"icmp_flood_min\":{\"type\":\"integer\",\"minimum\":2,\"maximum\":100000000,\"default\":500,"          \
    "\"description\":\"Echo requests from one host to another to consider a flood.\"},"                      \
    "\"icmp_flood_min_rate\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100000000,\"default\":100,"     \
    "\"description\":\"Echo requests in the busiest second for a flood.\"},"                                 \
    "\"icmp_large_bytes\":{\"type\":\"integer\",\"enum\":[64,128,256,512,1024,2048,4096,8192,16384],"        \
    "\"default\":1024,\"description\":\"Echo payload size from which pings are unusually large.\"},"         \
    "\"dns_tunnel_min_names\":{\"type\":\"integer\",\"minimum\":2,\"maximum\":1000000,\"default\":50,"       \
    "\"description\":\"Distinct names under one domain before long or random labels count as tunnelling.\"}," \
    "\"dns_short_ttl_s\":{\"type\":\"integer\",\"enum\":[5,10,30,60],\"default\":30,"                        \
    "\"description\":\"Answer TTL at or below which a domain's answers churn (fast flux).\"},"               \
    "\"dns_flux_min_addresses\":{\"type\":\"integer\",\"minimum\":2,\"maximum\":100000,\"default\":10,"      \
    "\"description\":\"Distinct answers with short TTLs for fast flux.\"},"                                  \
    "\"beacon_min_connections\":{\"type\":\"integer\",\"minimum\":3,\"maximum\":1000000,\"default\":6,"      \
    "\"description\":\"Connections from one host to one service to judge their regularity.\"},"              \
    "\"beacon_min_interval_s\":{\"type\":\"number\",\"minimum\":0,\"maximum\":86400,\"default\":5,"          \
    "\"description\":\"Shortest mean interval between connections considered beaconing.\"},"                \
    "\"beacon_max_jitter\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1,\"default\":0.1,"                \
    "\"description\":\"Largest relative jitter (standard deviation / mean interval) of a beacon.\"},"        \
    "\"show_secrets\":{\"type\":\"boolean\",\"default\":false,\"description\":\"Show cleartext "              \
    "passwords instead of redacting them (only when the user explicitly asks).\"}"

#endif
