/* DNS over the capture: queries matched to responses (by conversation and
 * transaction id, as Wireshark's dns.time), unanswered and retransmitted
 * queries, rcodes, response times, names and domains, and the signs of
 * DNS tunnelling. Bounded tables throughout. */
#ifndef PA_DNS_TRACK_H
#define PA_DNS_TRACK_H

#include "distinct.h"
#include "dns_parse.h"
#include "expert.h"
#include "htab.h"
#include "names_track.h"
#include "packet.h"
#include "tcp_analysis.h" /* PA_RTT_BUCKETS */
#include "tcp_stream.h"
#include "txkeep.h"

#define PA_DNS_MAX_PENDING 65536
#define PA_DNS_MAX_NAMES 8192
#define PA_DNS_MAX_DOMAINS 4096
#define PA_DNS_MAX_SERVERS 1024
#define PA_DNS_DISTINCT_BUDGET (8u << 20) /* heap of the domains' distinct-answer counters */
#define PA_DNS_LIST 32                    /* slowest, unanswered, errors kept for reports */
#define PA_DNS_SHOWN_NAME 96              /* name characters kept in lists */

typedef struct pa_dns_event {
    uint64_t frame; /* the response (or the unanswered query) */
    uint64_t query_frame;
    int64_t ts, rt_ns; /* rt_ns: response time, -1 when unanswered */
    int64_t stream;    /* udp.stream / tcp.stream of the conversation; -1 unknown */
    uint16_t qtype, rcode;
    uint16_t id, cport, sport; /* transaction id and ports: what selects the exchange */
    bool tcp;
    pa_addr client, server;
    char qname[PA_DNS_SHOWN_NAME];
} pa_dns_event;

typedef struct pa_dns_stats {
    uint64_t queries, responses, answered, unanswered, retransmitted, truncated, malformed;
    uint64_t unmatched_responses;
    uint64_t tcp_streams_capped; /* DNS-over-TCP directions that reached PA_DNS_TCP_CAP */
    uint64_t mdns, llmnr;        /* multicast name resolution, counted apart */
    uint64_t rcode[24];
    uint64_t qtype_a, qtype_aaaa, qtype_other;
    uint64_t rt_hist[PA_RTT_BUCKETS];
    uint64_t rt_n;
    int64_t rt_min, rt_max;
    double rt_sum;
    pa_samples rt_kept;      /* the first PA_PCTL_KEEP_CAPTURE, for exact percentiles */
    pa_htab pending;         /* queries awaiting an answer, and answered ones (for retransmissions) */
    size_t pending_answered; /* answered entries in it (dropped first when it is full) */
    pa_htab names, domains, servers;
    pa_distinct_budget answers_budget; /* PA_DNS_DISTINCT_BUDGET */
    uint64_t names_overflow;
    pa_dns_event slowest[PA_DNS_LIST];
    size_t nslowest;
    pa_dns_event unanswered_list[PA_DNS_LIST];
    size_t nunanswered_list;
    pa_dns_event errors[PA_DNS_LIST];
    size_t nerrors;
    pa_expert *ex; /* expert information (may be NULL; set after pa_dns_init) */
    /* a display filter's transactions (NULL: none): a query with its
     * retransmissions and responses, keyed by the frame of its first copy;
     * a response without a query, or a query not tracked, by its own */
    pa_txkeep *keep;
    pa_names *local; /* local name resolution (mDNS, LLMNR), in the security evidence; NULL: none */
} pa_dns_stats;

typedef struct pa_dns_name {
    char name[128]; /* key (truncated names share a record) */
    uint32_t count;
    uint16_t qtype;
} pa_dns_name;

typedef struct pa_dns_domain {
    char domain[128]; /* key: the last two labels */
    uint32_t queries, unique_names, nxdomain;
    uint32_t long_label_names; /* names with a label of 40+ characters */
    uint32_t max_label;
    double entropy_sum; /* of the leftmost labels, bits per character */
    uint32_t txt_queries, null_queries;
    /* answers: responses with records, those whose smallest TTL is at most
     * 5, 10, 30 and 60 s, and the distinct first answers (fast flux: short
     * TTLs over ever-changing addresses) */
    uint32_t answered, ttl_le[4];
    pa_distinct answers;
} pa_dns_domain;

typedef struct pa_dns_server {
    pa_addr addr; /* key */
    uint8_t pad[3];
    uint64_t queries, responses, errors;
    double rt_sum;
    uint64_t rt_n;
    int64_t rt_min, rt_max;
    uint32_t rt_hist[PA_RTT_BUCKETS]; /* response times (log2 buckets) for percentiles */
    pa_samples rt_kept;               /* the first PA_PCTL_KEEP_SMALL, for exact percentiles */
} pa_dns_server;

int pa_dns_init(pa_dns_stats *d);
void pa_dns_free(pa_dns_stats *d);
/* Looks at a UDP or TCP packet with payload; counts it when it is DNS.
 * stream: the conversation's udp.stream (-1 unknown), kept with the events.
 * cb (may be NULL) sees every response matched to its query (tests). */
void pa_dns_track(pa_dns_stats *d, const pa_packet *p, int64_t stream,
                  void (*cb)(void *ud, uint64_t frame, const pa_dns_msg *m, int64_t rt_ns), void *ud);
/* DNS over TCP: one connection's segments (from: flow key side of the
 * sender); messages framed by their 2-byte length across segments, several
 * per segment. *sp is created on first use and owned by the flow; stream:
 * the connection's tcp.stream. */
typedef struct pa_dns_tcp pa_dns_tcp;
#define PA_DNS_TCP_CAP (16ull * 1024 * 1024) /* bytes followed per direction (zone transfers) */
void pa_dns_tcp_segment(pa_dns_stats *d, pa_dns_tcp **sp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                        int64_t stream, void (*cb)(void *ud, uint64_t frame, const pa_dns_msg *m, int64_t rt_ns),
                        void *ud);
void pa_dns_tcp_free(pa_dns_tcp *s);
/* Whether bytes are held behind a hole in either direction (NULL: no). */
bool pa_dns_tcp_holds_data(const pa_dns_tcp *s);
/* An mDNS or LLMNR datagram into the local names (dns_local.c). */
void pa_dns_local(pa_names *t, const pa_packet *p);
/* End of capture: what is still pending is unanswered. */
void pa_dns_finish(pa_dns_stats *d);

#endif
