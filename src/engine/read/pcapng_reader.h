/* Our own pcapng reader. libpcap 1.10 refuses a section whose interfaces
 * have different link types (a capture on several interfaces, as dumpcap
 * writes it); this reader gives every packet its interface's link type and
 * timestamp resolution. Every length is checked and every block capped. */
#ifndef PA_PCAPNG_READER_H
#define PA_PCAPNG_READER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PA_PCAPNG_MAX_BLOCK (16u * 1024 * 1024) /* as libpcap */
#define PA_PCAPNG_MAX_IFACES 256

typedef struct pa_pcapng_iface {
    int linktype;
    uint32_t snaplen;
    bool pow2;        /* resolution 2^-res instead of 10^-res */
    uint8_t res;      /* if_tsresol exponent (default 6) */
    int64_t offset_s; /* if_tsoffset */
} pa_pcapng_iface;

typedef struct pa_pcapng {
    FILE *f;
    bool swap; /* section written in the other byte order */
    uint8_t *buf;
    uint32_t cap;
    uint64_t offset; /* of the next block */
    pa_pcapng_iface ifs[PA_PCAPNG_MAX_IFACES];
    uint32_t nifs;
    uint32_t first_snaplen;
    int first_linktype;
    char error[200];
} pa_pcapng;

typedef struct pa_pcapng_pkt {
    int64_t ts_ns;
    uint32_t caplen, len;
    int linktype;
    uint32_t iface;
    const uint8_t *data;
} pa_pcapng_pkt;

/* Takes over f. Reads the first section header and the interfaces before
 * the first packet; returns false with r->error when it is not pcapng. */
bool pa_pcapng_open(pa_pcapng *r, FILE *f);
/* 1: a packet; 0: end of file; -1: damage (r->error, r->offset). */
int pa_pcapng_next(pa_pcapng *r, pa_pcapng_pkt *out);
void pa_pcapng_close(pa_pcapng *r);

#endif
