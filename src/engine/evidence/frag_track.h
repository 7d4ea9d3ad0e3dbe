/* IP fragments as the capture shows them (IPv4 with MF set or a fragment
 * offset, IPv6 with a fragment header that is not atomic): per datagram
 * (source, destination, protocol, identification) its fragments, frames and
 * whether it was reassembled; per source the fragments it sent. The
 * reassembly itself is the decoder's (ip_frag.c) and its failures are
 * anomalies (frag.*); this table only counts. Bounded tables. */
#ifndef PA_FRAG_TRACK_H
#define PA_FRAG_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "htab.h"
#include "packet.h"

#define PA_FRAG_MAX_LISTED 4096 /* datagrams itemised */
#define PA_FRAG_MAX_SOURCES 1024

/* what happened to a datagram's fragments (flags) */
enum {
    PA_FRAGD_OVERLAP = 1,     /* fragments overlapped (frag.overlap) */
    PA_FRAGD_CONFLICT = 2,    /* ... with different bytes (frag.overlap_inconsistent) */
    PA_FRAGD_TOO_BIG = 4,     /* past 65535 bytes (frag.too_big) */
    PA_FRAGD_TOO_MANY = 8,    /* more fragments than the reassembly holds */
    PA_FRAGD_TABLE_FULL = 16, /* refused: too many datagrams in reassembly at once */
    PA_FRAGD_SNAPLEN = 32,    /* a fragment cut by the snapshot length */
};

typedef struct pa_frag_dg {
    /* key (zeroed before it is filled) */
    uint8_t ver, proto;
    uint32_t id;
    pa_addr src, dst;
    /* value */
    uint32_t fragments;
    uint64_t first_frame, last_frame;
    uint64_t reassembled_frame; /* the frame that completed it; 0 never */
    uint32_t size;              /* reassembled payload bytes (when reassembled) */
    uint32_t largest;           /* IP length of the largest fragment */
    bool have_first, have_last; /* offset 0 seen; the fragment without MF seen */
    uint8_t flags;              /* PA_FRAGD_* */
} pa_frag_dg;

typedef struct pa_frag_src {
    pa_addr addr; /* key */
    uint64_t fragments, datagrams;
    uint64_t first_frame;
    uint32_t largest; /* IP length of its largest fragment */
} pa_frag_src;

typedef struct pa_frag_stats {
    uint64_t fragments;      /* frames that were fragments (held, or completing a datagram) */
    uint64_t fragments_v6;   /* ... of them IPv6 */
    uint64_t reassembled;    /* datagrams completed */
    pa_htab dgrams;          /* pa_frag_dg */
    uint64_t dgram_overflow; /* fragments whose datagram did not fit: counted, not itemised */
    pa_htab sources;         /* pa_frag_src */
    uint64_t src_overflow;   /* fragments whose source did not fit */
} pa_frag_stats;

int pa_fragt_init(pa_frag_stats *s);
void pa_fragt_free(pa_frag_stats *s);
size_t pa_fragt_memory(const pa_frag_stats *s);
/* A frame that is a fragment (p->is_fragment or p->reassembled); returns
 * the IP length of its datagram's largest fragment so far (the frame's own
 * when the datagram is not itemised). */
uint32_t pa_fragt_note(pa_frag_stats *s, const pa_packet *p);

#endif
