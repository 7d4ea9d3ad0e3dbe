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
    uint32_t mtu;   /* next-hop MTU (fragmentation needed, packet too big); 0 otherwise */
    int64_t stream; /* tcp.stream / udp.stream of the quoted conversation; -1 not in the capture */
    uint64_t frames[PA_ICMP_FIRST_FRAMES];
    uint64_t last_frame;
} pa_icmp_flow;

typedef struct pa_icmp_stats {
    uint64_t errors;   /* every error message */
    uint64_t unquoted; /* ... whose quoted header could not be read */
    pa_icmp_kind kinds[PA_ICMP_MAX_KINDS];
    size_t nkinds;
    uint64_t kinds_overflow; /* errors of kinds beyond the cap: counted in `errors` only */
    pa_htab flows;           /* pa_icmp_flow */
    uint64_t flows_overflow; /* errors whose flow did not fit: counted, not itemised */
} pa_icmp_stats;

int pa_icmp_init(pa_icmp_stats *s);
void pa_icmp_free(pa_icmp_stats *s);
size_t pa_icmp_memory(const pa_icmp_stats *s);

/* Notes an ICMP or ICMPv6 packet (p->l4); only errors are kept. `stream`
 * is the quoted conversation's stream number (-1 when not known). */
void pa_icmp_note(pa_icmp_stats *s, const pa_packet *p, int64_t stream);

/* The quoted IP header of an ICMP error (NULL when there is none). */
const struct pa_ip_layer *pa_icmp_quote(const pa_packet *p);

#endif
