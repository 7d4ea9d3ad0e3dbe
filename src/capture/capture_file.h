/* Writing capture files: classic pcap or pcapng with one interface, in
 * microseconds (live captures) or nanoseconds (exports keep the precision
 * of what they copy). The caller owns the FILE. */
#ifndef PA_CAPTURE_FILE_H
#define PA_CAPTURE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct pa_capfile {
    FILE *f;
    bool pcapng, nano;
    uint64_t bytes; /* written so far */
} pa_capfile;

/* The file header (pcapng: section header and the interface, named ifname
 * when not NULL). */
bool pa_capfile_header(pa_capfile *w, int linktype, int snaplen, const char *ifname);

/* pcapng only: the interface block of a live capture carries its name, the
 * capture filter (may be empty) and the operating system. */
typedef struct pa_capfile_iface {
    const char *name, *filter, *os;
} pa_capfile_iface;
bool pa_capfile_header_live(pa_capfile *w, int linktype, int snaplen, const pa_capfile_iface *ifc);

/* pcapng only: an interface statistics block (what Wireshark shows as the
 * capture's received and dropped counts). Times in ns since the epoch. */
typedef struct pa_capfile_stats {
    int64_t now_ns, start_ns, end_ns;
    uint64_t ifrecv, ifdrop, osdrop, usrdeliv;
} pa_capfile_stats;
#define PA_CAPFILE_ISB_SIZE 100u
bool pa_capfile_stats_block(pa_capfile *w, const pa_capfile_stats *s);
/* Bytes a record of caplen bytes takes. */
size_t pa_capfile_record_size(const pa_capfile *w, uint32_t caplen);
bool pa_capfile_record(pa_capfile *w, int64_t ts_ns, const uint8_t *data, uint32_t caplen, uint32_t len);

#endif
