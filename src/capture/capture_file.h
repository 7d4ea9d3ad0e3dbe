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
    uint64_t bytes;   /* written so far */
} pa_capfile;

/* The file header (pcapng: section header and the interface, named ifname
 * when not NULL). */
bool pa_capfile_header(pa_capfile *w, int linktype, int snaplen, const char *ifname);
/* Bytes a record of caplen bytes takes. */
size_t pa_capfile_record_size(const pa_capfile *w, uint32_t caplen);
bool pa_capfile_record(pa_capfile *w, int64_t ts_ns, const uint8_t *data, uint32_t caplen, uint32_t len);

#endif
