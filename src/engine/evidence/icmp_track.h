/* ICMP and ICMPv6 error messages (destination unreachable, packet too big,
 * time exceeded, parameter problem, source quench, redirect): counts by
 * type and code, and the flows they quote (the IP header and ports of the
 * datagram that caused them), with the host that reported each. The
 * quality report turns them into a verdict. Bounded tables. */
#ifndef PA_ICMP_TRACK_H
#define PA_ICMP_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "htab.h"
#include "packet.h"

#define PA_ICMP_MAX_KINDS 64   /* distinct (version, type, code) */
#define PA_ICMP_MAX_FLOWS 4096 /* distinct (kind, reporter, quoted flow) */
#define PA_ICMP_MAX_PATHS 1024 /* distinct (source, destination) with an announced MTU */
#define PA_ICMP_FIRST_FRAMES 5

/* ICMP (ver 4) or ICMPv6 (ver 6) message types that carry a quote: the
 * ones the decoder reads the quoted header of. */
bool pa_icmp_is_error(uint8_t ver, uint8_t type);

typedef struct pa_icmp_kind {
    uint8_t ver, type, code;
    uint64_t count;
    uint64_t frames[PA_ICMP_FIRST_FRAMES]; /* the first ones */
} pa_icmp_kind;

typedef struct pa_icmp_flow {
    /* key (zeroed before it is filled: padding is part of it) */
    uint8_t ver, type, code; /* of the ICMP message */
    uint8_t proto;           /* quoted IP protocol; 0 with `quoted` false when the quote was unreadable */
    pa_addr reporter;        /* who sent the error */
    pa_addr src, dst;        /* the quoted datagram's addresses */
    uint16_t sport, dport;   /* its TCP or UDP ports (0 for other protocols) */
    /* value */
    uint64_t count;
    bool quoted;
    bool ports;        /* the quote held the TCP or UDP ports (sport, dport) */
    bool quotes_error; /* the quoted datagram is itself an ICMP or ICMPv6 error (RFC 1122 forbids it) */
    uint32_t mtu;      /* smallest next-hop MTU announced (fragmentation needed, packet too big); 0 otherwise */
    uint32_t mtu_max;  /* largest one (differs from mtu when the announcements changed) */
    pa_addr gateway;   /* redirect: the gateway the first one named */
    int64_t stream;    /* tcp.stream / udp.stream of the quoted conversation; -1 not in the capture */
    uint64_t frames[PA_ICMP_FIRST_FRAMES];
    uint64_t last_frame;
} pa_icmp_flow;

/* A path with an announced MTU: the direction (source -> destination) of
 * the datagrams that fragmentation needed (ICMP 3/4) or packet too big
 * (ICMPv6 2) quoted, and what went that way after the first announcement. */
typedef struct pa_icmp_path {
    /* key (zeroed before it is filled) */
    uint8_t ver;
    pa_addr src, dst;
    /* value */
    uint32_t mtu;                     /* the smallest announced */
    uint64_t messages;                /* announcements about this path */
    uint64_t first_frame, last_frame; /* of the announcements */
    uint64_t mtu_frame;               /* the one that announced `mtu` */
    pa_addr reporter;                 /* ... and who sent it */
    /* packets source -> destination after the first announcement, larger
     * than the smallest MTU announced so far, that routers may not fragment
     * (IPv4 with DF set, every IPv6 packet) */
    uint64_t oversize;
    uint64_t oversize_frames[PA_ICMP_FIRST_FRAMES];
    uint32_t oversize_max;     /* IP length of the largest */
    int64_t oversize_stream;   /* tcp.stream / udp.stream of the first (-1 none) */
    uint8_t oversize_proto;    /* its IP protocol */
    uint64_t oversize_retrans; /* of them TCP retransmissions (tcp.analysis.retransmission) */
    uint64_t retrans_frames[PA_ICMP_FIRST_FRAMES];
    int64_t retrans_stream; /* tcp.stream of the first (-1 none) */
} pa_icmp_path;

typedef struct pa_icmp_stats {
    uint64_t errors;   /* every error message */
    uint64_t unquoted; /* ... whose quoted header could not be read */
    pa_icmp_kind kinds[PA_ICMP_MAX_KINDS];
    size_t nkinds;
    uint64_t kinds_overflow; /* errors of kinds beyond the cap: counted in `errors` only */
    pa_htab flows;           /* pa_icmp_flow */
    uint64_t flows_overflow; /* errors whose flow did not fit: counted, not itemised */
    uint64_t router_errors;  /* sent by a host other than the quoted destination */
    uint64_t host_errors;    /* sent by the quoted destination itself */
    pa_htab paths;           /* pa_icmp_path */
    uint64_t paths_overflow; /* MTU announcements whose path did not fit: not checked against packets */
} pa_icmp_stats;

int pa_icmp_init(pa_icmp_stats *s);
void pa_icmp_free(pa_icmp_stats *s);
size_t pa_icmp_memory(const pa_icmp_stats *s);

/* Notes an ICMP or ICMPv6 packet (p->l4); only errors are kept. `stream`
 * is the quoted conversation's stream number (-1 when not known). */
void pa_icmp_note(pa_icmp_stats *s, const pa_packet *p, int64_t stream);

/* A packet of the capture (innermost IP header), checked against the
 * paths with an announced MTU: `retrans` when TCP analysis flagged it a
 * retransmission, `stream` its tcp.stream / udp.stream (-1 none). Cheap
 * when no MTU was announced. */
void pa_icmp_note_size(pa_icmp_stats *s, const pa_packet *p, bool retrans, int64_t stream);

/* Wireshark's names: the type ("Destination unreachable") and the code
 * ("Port unreachable"; NULL when the type has no code names; an unknown
 * code written into buf as Wireshark writes it), as its Info column writes
 * "type (code)". */
const char *pa_icmp_type_name(uint8_t ver, uint8_t type);
const char *pa_icmp_code_name(uint8_t ver, uint8_t type, uint8_t code, char *buf, size_t n);

/* The quoted IP header of an ICMP error (NULL when there is none). */
const struct pa_ip_layer *pa_icmp_quote(const pa_packet *p);

#endif
