/* Reading frames from a capture file with libpcap: nanosecond timestamps,
 * an optional BPF filter, and where and why reading stopped. */
#ifndef PA_CAPTURE_READER_H
#define PA_CAPTURE_READER_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine.h"

typedef struct pa_reader {
    pcap_t *pc;
    struct bpf_program prog;
    bool have_prog;
    uint64_t frame_no;    /* of the last frame returned (1-based, counting filtered ones) */
    bool damaged;         /* stopped on an error rather than at the end */
    char error[256];
    uint64_t error_offset;
} pa_reader;

/* Takes over fd. */
pa_engine_status pa_reader_open(pa_reader *r, int fd, const char *bpf, char *err, size_t errlen);
/* 1: a frame (after the filter); 0: end of file or damage (see r->damaged).
 * filtered_out counts frames the filter skipped. */
int pa_reader_next(pa_reader *r, struct pcap_pkthdr **h, const uint8_t **data,
                   uint64_t *filtered_out);
int pa_reader_linktype(const pa_reader *r);
uint64_t pa_reader_offset(const pa_reader *r);
void pa_reader_close(pa_reader *r);

#endif
