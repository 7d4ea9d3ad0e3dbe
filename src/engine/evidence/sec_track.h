/* Security evidence gathered during the pass: per-source probe counters
 * (port scans), per-service SYN counters (floods), RST storms, ICMP
 * volumes, ARP claims, connection start times (beaconing), cleartext
 * credentials, protocols on other protocols' ports, and flows to
 * known-bad or cleartext remote-admin ports. The decisions (thresholds,
 * severities) are the report layer's (tools/tool_security.c): the engine
 * keeps counts, never verdicts. Every table is capped. */
#ifndef PA_SEC_TRACK_H
#define PA_SEC_TRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "distinct.h"
#include "htab.h"
#include "names_track.h"
#include "packet.h"

/* Heap bytes for the distinct counters of the security tables (ports,
 * hosts, targets, sources): 512 exact sets at their largest, or 2048
 * HyperLogLog sketches. Past it a counter keeps its exact count as a lower
 * bound, and limits_reached says so. */
#define PA_SEC_DISTINCT_BUDGET (32u << 20)
#define PA_SEC_MAX_PAIRS 65536
#define PA_SEC_MAX_SWEEPS 65536
#define PA_SEC_MAX_RST 16384
#define PA_SEC_MAX_FLOOD 16384
#define PA_SEC_MAX_ICMP 16384
#define PA_SEC_MAX_ARP 16384
#define PA_SEC_MAX_BEACONS 65536
#define PA_SEC_MAX_CREDS 64
#define PA_SEC_MAX_MISMATCH 32
#define PA_SEC_ICMP_BUCKETS 9 /* echo payload sizes: >= 64, 128, ... 16384 bytes */

/* Per-flow state (embedded in the flow). */
typedef struct pa_sec_flow {
    uint8_t probe;       /* 0 not a probe, 1 awaiting a reply, 2 answered (SYN-ACK), 3 done */
    uint8_t kind;        /* PA_SEC_PROBE_* of the first packet */
    uint8_t cred_state;  /* cleartext-login parser state */
    uint8_t client_segs; /* client payload segments looked at for credentials */
    int16_t cred;        /* index of the credential being filled, -1 none */
    bool udp_probed;     /* a UDP flow's first payload was checked by the analyzers' probes */
    bool port_seen;      /* counted among flows to listed ports */
} pa_sec_flow;

enum { PA_SEC_PROBE_SYN = 1, PA_SEC_PROBE_NULL, PA_SEC_PROBE_FIN, PA_SEC_PROBE_XMAS };

/* One scanner toward one target (vertical scans). */
typedef struct pa_sec_pair {
    uint8_t ver, pad[3];
    uint8_t src[16], dst[16]; /* key */
    uint32_t probes, answered, rejected, completed, with_data;
    uint32_t by_kind[5]; /* probes per PA_SEC_PROBE_* */
    uint64_t first_frame, last_frame;
    int64_t first_ts, last_ts;
    pa_distinct ports; /* until the pair gets a port map */
    /* exact distinct ports once the pair has PA_SEC_EXACT_AFTER probes (a
     * 65536-bit map, at most PA_SEC_MAX_PORTMAPS of them; the counter beyond) */
    uint8_t *portmap;
    uint32_t exact_ports;
    uint16_t early[8]; /* the ports of the first probes, replayed into the map */
    uint8_t nearly;
} pa_sec_pair;

#define PA_SEC_EXACT_AFTER 8
#define PA_SEC_MAX_PORTMAPS 2048

/* Distinct ports a source probed on a target: exact when mapped, else the
 * counter's (exact up to PA_DISTINCT_EXACT). */
pa_distinct_count pa_sec_pair_ports(const pa_sec_pair *r);

/* One scanner toward one port on many hosts (horizontal scans). */
typedef struct pa_sec_sweep {
    uint8_t ver, pad;
    uint16_t port;
    uint8_t src[16]; /* key */
    uint32_t probes, answered, rejected;
    uint64_t first_frame, last_frame;
    int64_t first_ts, last_ts;
    pa_distinct hosts;
} pa_sec_sweep;

/* RSTs that open a flow (no earlier packet of it): backscatter or RST floods. */
typedef struct pa_sec_rst {
    uint8_t ver, pad[3];
    uint8_t src[16]; /* key */
    uint32_t rsts;
    uint64_t first_frame;
    int64_t first_ts, last_ts;
    pa_distinct targets; /* address and port */
} pa_sec_rst;

/* SYNs toward one service (floods and half-open storms). */
typedef struct pa_sec_flood {
    uint8_t ver, pad;
    uint16_t port;
    uint8_t dst[16]; /* key */
    uint32_t syns, synacks, completed;
    uint32_t cur_n, peak; /* SYNs in the current second, most in any second */
    int64_t cur_sec;
    uint64_t first_frame;
    int64_t first_ts, last_ts;
    pa_distinct sources;
} pa_sec_flood;

/* ICMP echo requests from one host to another. */
typedef struct pa_sec_icmp {
    uint8_t ver, pad[3];
    uint8_t src[16], dst[16]; /* key */
    uint32_t requests, replies;
    uint32_t cur_n, peak;
    int64_t cur_sec;
    uint32_t size_hist[PA_SEC_ICMP_BUCKETS];
    uint32_t max_payload;
    uint64_t first_frame, largest_frame;
    int64_t first_ts, last_ts;
} pa_sec_icmp;

/* The MACs that claimed one IPv4 address in ARP. */
typedef struct pa_sec_arp {
    uint8_t ip[4]; /* key */
    uint8_t nmacs;
    uint8_t macs[4][6];
    uint8_t pad[3];
    uint32_t claims[4], gratuitous[4];
    uint64_t first_frame[4];
    uint32_t changes; /* claims whose MAC differs from the previous claim */
} pa_sec_arp;

/* Connection starts from one host to one service (beaconing). */
typedef struct pa_sec_beacon {
    uint8_t ver, ipproto;
    uint16_t port;
    uint8_t src[16], dst[16]; /* key */
    uint32_t n;
    int64_t first_ts, last_ts;
    double mean_ns, m2; /* of the intervals between starts (Welford) */
    uint64_t first_frame, last_frame;
} pa_sec_beacon;

typedef struct pa_sec_cred {
    char proto[8];   /* "FTP", "HTTP", "POP3", "IMAP", "SMTP", "Telnet" */
    char method[24]; /* "USER/PASS", "Basic", "AUTH PLAIN", "LOGIN" ... */
    pa_addr client, server;
    uint16_t port;
    uint64_t frame;
    char user[64];
    char secret[64];
} pa_sec_cred;

typedef struct pa_sec_mismatch {
    uint8_t app, port_app; /* pa_proto found in the payload, and the port's */
    uint16_t port;
    uint64_t flows;
    uint64_t frames[5];
    pa_addr client, server; /* of the first */
} pa_sec_mismatch;

/* Ports of known malware and of cleartext remote administration. */
#define PA_SEC_PORTS(X)                                                                                                \
    X(6, 23, "Telnet", "cleartext remote login")                                                                       \
    X(6, 512, "rexec", "cleartext remote execution")                                                                   \
    X(6, 513, "rlogin", "cleartext remote login")                                                                      \
    X(6, 514, "rsh", "cleartext remote shell")                                                                         \
    X(6, 5900, "VNC", "remote desktop, often without encryption")                                                      \
    X(6, 6000, "X11", "cleartext remote display")                                                                      \
    X(6, 21, "FTP", "cleartext file transfer and login")                                                               \
    X(17, 69, "TFTP", "unauthenticated cleartext file transfer")                                                       \
    X(17, 161, "SNMP", "SNMP v1/v2c community strings travel in clear")                                                \
    X(6, 4444, "4444", "Metasploit's default handler port")                                                            \
    X(6, 31337, "31337", "Back Orifice and other backdoors")                                                           \
    X(6, 12345, "12345", "NetBus backdoor")                                                                            \
    X(6, 27374, "27374", "SubSeven backdoor")                                                                          \
    X(6, 1337, "1337", "common backdoor and C2 port")                                                                  \
    X(6, 6666, "IRC 6666", "IRC, a classic botnet command channel")                                                    \
    X(6, 6667, "IRC", "IRC, a classic botnet command channel")                                                         \
    X(6, 6668, "IRC 6668", "IRC, a classic botnet command channel")                                                    \
    X(6, 6669, "IRC 6669", "IRC, a classic botnet command channel")

enum {
#define X(proto, port, name, why) PA_SEC_PORT_IDX_##port,
    PA_SEC_PORTS(X)
#undef X
        PA_SEC_NPORTS
};

typedef struct pa_sec_port_hit {
    uint64_t flows;
    uint64_t first_frame;
    pa_addr client, server;
} pa_sec_port_hit;

typedef struct pa_sec_stats {
    pa_htab pairs, sweeps, rsts, floods, icmp, arp, beacons;
    uint64_t overflow;           /* records not kept: a table at its cap */
    pa_distinct_budget distinct; /* PA_SEC_DISTINCT_BUDGET */
    size_t nportmaps;
    pa_sec_cred creds[PA_SEC_MAX_CREDS];
    size_t ncreds;
    uint64_t creds_total;
    pa_sec_mismatch mismatch[PA_SEC_MAX_MISMATCH];
    size_t nmismatch;
    pa_sec_port_hit ports[PA_SEC_NPORTS];
    pa_names names; /* local name resolution (mDNS, LLMNR, NBNS, SSDP): names_track.h */
} pa_sec_stats;

int pa_sec_init(pa_sec_stats *s);
void pa_sec_free(pa_sec_stats *s);
size_t pa_sec_memory(const pa_sec_stats *s);

/* A TCP segment of a flow; from_init: sent by the side that sent the
 * flow's first packet; created: it is that first packet. */
void pa_sec_tcp(pa_sec_stats *s, pa_sec_flow *sf, const pa_packet *p, bool from_init, bool created);
/* The first packet of a UDP flow. */
void pa_sec_udp_start(pa_sec_stats *s, const pa_packet *p);
void pa_sec_icmp_pkt(pa_sec_stats *s, const pa_packet *p);
void pa_sec_arp_pkt(pa_sec_stats *s, const pa_packet *p);
/* A flow whose payload is `app` on a port registered for `port_app`. */
void pa_sec_port_mismatch(pa_sec_stats *s, const pa_packet *p, pa_proto app, pa_proto port_app, uint16_t port,
                          bool from_init);
/* A cleartext credential (HTTP Basic from the HTTP parser; the others found here). */
pa_sec_cred *pa_sec_credential(pa_sec_stats *s, const char *proto, const char *method, const pa_addr *client,
                               const pa_addr *server, uint16_t port, uint64_t frame);
/* "user:password" of an HTTP Basic or "\0user\0password" of SASL PLAIN, from base64. */
void pa_sec_basic(pa_sec_cred *c, const char *b64, size_t n, bool sasl_plain);

#endif
