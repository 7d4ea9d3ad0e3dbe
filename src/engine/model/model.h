/* The analysis model: everything the file tools report, computed in one
 * pass over a capture (pass/fold.c) and then only read. Plain C structs, no
 * JSON: the report layer (src/tools) renders them. */
#ifndef PA_MODEL_H
#define PA_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn_state.h"
#include "dns_track.h"
#include "expert.h"
#include "ftp_track.h"
#include "htab.h"
#include "http_track.h"
#include "icmp_track.h"
#include "packet.h"
#include "sec_track.h"
#include "tcp_analysis.h"
#include "tls_track.h"

/* Caps (named here with the structures they bound). */
#define PA_MAX_FLOWS 65536 /* live flows; ended, then idle ones are retired beyond this */
#define PA_FLOW_IDLE_NS (60ll * 1000000000ll)
#define PA_MAX_RETIRED_KEPT 8192 /* retired flows kept for listings (largest first) */
#define PA_MAX_ENDPOINTS 131072  /* IP endpoints */
#define PA_MAX_IP_CONVS 131072
#define PA_MAX_ETH_ENDPOINTS 65536
#define PA_MAX_ETH_CONVS 65536
#define PA_MAX_PROTO_NODES 512
#define PA_MAX_TIME_BINS 131072 /* base bins; their width doubles when a capture is longer */
#define PA_MAX_LINKTYPES 16
#define PA_ANOM_FIRST_FRAMES 5
#define PA_TA_FIRST_FRAMES 20 /* frames listed per tcp.analysis flag */
/* Longest jumps in time between consecutive frames kept (for the time
 * tools' active periods): with more, the shortest kept bounds the ones known. */
#define PA_MAX_GAPS 128

typedef struct pa_flow_key {
    uint8_t ver;     /* 4 or 6 */
    uint8_t ipproto; /* 6 TCP, 17 UDP, 132 SCTP, 1/58 ICMP, others */
    uint16_t vlan;   /* outer VLAN id, 0 when untagged */
    uint16_t port_a, port_b;
    uint8_t a[16], b[16]; /* (a, port_a) sorts before (b, port_b) */
} pa_flow_key;

/* Where this flow's packets were last counted in the host, conversation
 * and Ethernet tables (record indexes, checked before use: see
 * pa_htab_upsert_hint). Host and MAC entries are per side, a then b. */
typedef struct pa_flow_hints {
    uint32_t host[2], ip_conv;
    uint32_t eth[2], eth_conv;
} pa_flow_hints;

typedef struct pa_flow {
    pa_flow_key key;
    uint32_t stream; /* per protocol, in order of first packet (tcp.stream / udp.stream) */
    bool a_first;    /* side a sent the first packet (Wireshark's "Address A") */
    uint8_t app;     /* pa_proto recognised for this flow */
    uint16_t flags_a, flags_b;
    uint64_t pkts_a, pkts_b;       /* sent by side a / side b */
    uint64_t bytes_a, bytes_b;     /* frame bytes on the wire */
    uint64_t payload_a, payload_b; /* transport payload bytes */
    int64_t first_ts, last_ts;
    uint64_t first_frame, last_frame;
    pa_conn_view zeek;   /* originator, endpoint states, history (Zeek's view) */
    pa_tcp_state *tcp;   /* TCP analysis state and totals (owned; NULL for other protocols) */
    pa_http_flow *http;  /* HTTP message state (owned; NULL unless the flow carries HTTP) */
    pa_tls_flow *tls;    /* TLS record state (owned; NULL unless the flow carries TLS) */
    pa_dns_tcp *dns_tcp; /* DNS-over-TCP framing (owned; NULL unless the flow carries it) */
    pa_ftp_flow *ftp;    /* FTP control state (owned; NULL unless the flow carries FTP) */
    /* timing, per sending side: the largest silence, and the jitter of
     * inter-arrival times (RFC 3550's running estimate, in ns) */
    int64_t max_gap_ns;
    uint64_t max_gap_frame;
    int64_t side_last_ts[2], side_last_iat[2];
    double jitter_ns[2];
    uint8_t fin_sides; /* bit per side that initiated closing (Wireshark's fin_active) */
    bool app_done;     /* closed and fully acknowledged: parsers finished and freed, TCP buffers trimmed */
    pa_sec_flow sec;   /* probe and cleartext-login state */
    pa_flow_hints hints;
} pa_flow;

typedef struct pa_endpoint {
    pa_addr addr; /* key (17 bytes) */
    uint8_t pad[3];
    uint64_t tx_pkts, rx_pkts, tx_bytes, rx_bytes;
    int64_t first_ts, last_ts;
    uint8_t mac[6];    /* first source MAC seen with this address */
    uint8_t mac_count; /* distinct source MACs seen (up to 4 counted) */
    uint8_t macs_extra[3][6];
    uint8_t ttl_min, ttl_max;       /* TTL / hop limit of packets it sent */
    uint32_t peers;                 /* distinct conversation partners (IP level) */
    uint64_t self_pkts, self_bytes; /* sent to itself: in tx and rx both, so its traffic is tx + rx - self */
} pa_endpoint;

typedef struct pa_ip_conv {
    uint8_t ver;
    uint8_t pad[3];
    uint8_t a[16], b[16]; /* key: a < b */
    uint64_t pkts_ab, pkts_ba, bytes_ab, bytes_ba;
    int64_t first_ts, last_ts;
    bool a_first;
} pa_ip_conv;

typedef struct pa_eth_endpoint {
    uint8_t mac[6];
    uint8_t pad[2];
    uint64_t tx_pkts, rx_pkts, tx_bytes, rx_bytes;
    uint64_t self_pkts, self_bytes; /* source and destination both this MAC */
} pa_eth_endpoint;

typedef struct pa_eth_conv {
    uint8_t a[6], b[6]; /* key: a < b */
    uint64_t pkts_ab, pkts_ba, bytes_ab, bytes_ba;
    int64_t first_ts, last_ts;
    bool a_first;
} pa_eth_conv;

/* A jump in time between two consecutive frames: a silence when forward,
 * a discontinuity (merged or misdated captures) when backward. */
typedef struct pa_gap {
    int64_t from_ts, to_ts;             /* the frames before and after it */
    uint64_t frame_after;               /* the frame after it */
    uint64_t pkts_before, bytes_before; /* packets and bytes analysed before that frame */
} pa_gap;

static inline int64_t pa_gap_len(const pa_gap *g) {
    return g->to_ts > g->from_ts ? g->to_ts - g->from_ts : g->from_ts - g->to_ts;
}

typedef struct pa_proto_node {
    int32_t parent; /* -1 for top-level nodes */
    uint8_t proto;
    uint8_t depth;
    uint64_t frames, bytes;
} pa_proto_node;

/* Traffic classes for per-protocol time series. */
typedef enum { PA_CLS_TCP, PA_CLS_UDP, PA_CLS_ICMP, PA_CLS_ARP, PA_CLS_OTHER, PA_CLS_COUNT } pa_cls;

typedef struct pa_bin {
    uint64_t pkts, bytes;
    uint64_t cls_bytes[PA_CLS_COUNT];
    uint32_t retrans, dupacks, zero_windows; /* TCP problems in this bin */
} pa_bin;

#define PA_MAX_STALLS 64 /* longest zero-window stalls kept */

typedef struct pa_stall {
    pa_flow_key key;
    uint32_t stream;
    uint8_t side; /* flow key side (0 = a) that advertised the zero window */
    bool ended;   /* a window update reopened it (else: still closed at the end) */
    uint64_t start_frame, end_frame;
    int64_t start_ts, dur_ns;
    uint32_t probes;
} pa_stall;

typedef struct pa_model {
    /* file and reading */
    char format[16]; /* pcap, pcap-ns, pcapng */
    uint64_t file_size;
    uint32_t snaplen;
    struct {
        int linktype;
        uint64_t frames;
    } linktypes[PA_MAX_LINKTYPES];
    int nlinktypes;
    bool complete; /* read to the end without error */
    bool cancelled;
    char stop_reason[256]; /* why reading stopped early, when !complete */
    uint64_t stop_offset;  /* file offset of the damage */
    char bpf[512];         /* filter the statistics were restricted with ("" = none) */
    char dfilter[512];     /* display filter they were restricted with ("" = none; cut at 511) */
    uint64_t frames_read;  /* all frames in the file */
    uint64_t frames_filtered_out;

    /* capinfos-like summary over the analysed frames */
    uint64_t packets, wire_bytes, cap_bytes;
    int64_t first_ts, last_ts;
    uint64_t first_frame, last_frame; /* numbers of the first and last frames analysed */
    int64_t last_frame_ts;            /* the last frame's time (last_ts is the latest) */
    uint64_t truncated_frames;        /* caplen < wire length */
    uint64_t unsupported_link_frames;
    uint64_t time_backwards;

    /* anomalies */
    uint64_t anom_count[PA_A_COUNT];
    uint64_t anom_frames[PA_A_COUNT][PA_ANOM_FIRST_FRAMES];

    /* protocol hierarchy */
    pa_proto_node nodes[PA_MAX_PROTO_NODES];
    int nnodes;
    uint64_t proto_nodes_dropped;

    /* flows (TCP, UDP, SCTP, ICMP and other IP protocols) */
    pa_htab flows;    /* live pa_flow records */
    pa_flow *retired; /* largest retired flows, up to PA_MAX_RETIRED_KEPT */
    size_t nretired;
    uint64_t flows_retired;        /* all flows retired (idle or evicted) */
    uint64_t flows_dropped;        /* retired and not kept for listings */
    uint64_t flows_untracked_pkts; /* packets whose flow could not be tracked */
    uint32_t next_stream[256];     /* per IP protocol */
    uint64_t flow_count[256];      /* flows seen per IP protocol */

    pa_htab endpoints, ip_convs, eth_endpoints, eth_convs;
    uint64_t endpoints_overflow_pkts, ip_convs_overflow_pkts, eth_overflow_pkts;

    /* time series */
    int64_t bins_from_ts; /* bin 0 starts at the first frame's time (earlier frames count in it) */
    int64_t bin_width_ns;
    size_t nbins;
    pa_bin *bins;
    pa_gap gaps[PA_MAX_GAPS]; /* the longest jumps of at least 1 s, in no order */
    size_t ngaps;

    uint64_t frags_reassembled, frags_incomplete;

    /* TCP analysis (tcp.analysis.* flags) over the whole capture */
    uint64_t ta_count[PA_TA_COUNT];
    uint64_t ta_frames[PA_TA_COUNT][PA_TA_FIRST_FRAMES];
    uint64_t tcp_data_segments;
    uint64_t tcp_states_dropped; /* TCP flows not analysed (out of memory) */
    pa_dist rtt;                 /* ACK RTT of every sample */
    struct {
        uint64_t frame, dup_of; /* the duplicate ACK and the frame it repeats */
        uint32_t num;           /* its number (#1, #2, ...) */
    } dupacks[PA_TA_FIRST_FRAMES];
    size_t ndupacks;
    pa_stall stalls[PA_MAX_STALLS];
    size_t nstalls;
    uint64_t stall_count;

    pa_dns_stats dns;   /* DNS transactions (UDP and TCP, port 53) */
    pa_http_stats http; /* HTTP/1.x transactions */
    pa_ftp_stats ftp;   /* FTP control channels: commands, replies, logins */
    pa_tls_stats tls;   /* TLS handshakes, certificates, alerts */
    pa_expert expert;   /* Wireshark-style expert information */
    pa_sec_stats sec;   /* security evidence (scans, floods, spoofing, credentials ...) */
    pa_icmp_stats icmp; /* ICMP and ICMPv6 errors and the flows they quote */

    size_t memory; /* bytes held, for the cache budget */
} pa_model;

/* The flows of the live table and the retired list (of one IP protocol, or
 * all when ipproto < 0), as an array of pointers into the model (free the
 * array, not the flows): sorting pointers to ~300-byte records, not the
 * records, keeps a cached call on a large capture within milliseconds. */
size_t pa_model_flows(const pa_model *m, int ipproto, const pa_flow ***out);
/* Puts the first k of v in cmp's order (a qsort comparator over elements of
 * v) at its front, in that order, without sorting the rest; returns how many
 * (min(n, k)). For "the 10 largest" of 100,000 flows. */
size_t pa_flows_top(const pa_flow **v, size_t n, size_t k, int (*cmp)(const void *, const void *));

void pa_model_free(pa_model *m);

#endif
