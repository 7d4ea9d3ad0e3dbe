/* Reading frames from a capture file: classic pcap is opened and checked by
 * libpcap, and its well-formed records are then parsed straight from large
 * read() blocks (libpcap's per-record stdio reads cost more than the rest of
 * reading; docs/BENCHMARKS.md). At the first record that is not plainly
 * well-formed (cut short, longer than the snapshot length) libpcap takes
 * over from that record, so damaged files keep libpcap's salvage and
 * errors. For a large file a helper thread reads the next block while this
 * one is parsed, so the kernel's copy runs on another core. pcapng has our own reader (several link types per file).
 * Nanosecond timestamps, an optional BPF filter, and where and why reading
 * stopped. */
#ifndef PA_CAPTURE_READER_H
#define PA_CAPTURE_READER_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>

#include "capture_magic.h"
#include "pcapng_reader.h"
#include "read_status.h"

#define PA_READER_MAX_PROGS 8 /* BPF programs, one per link type met */

typedef struct pa_frame {
    int64_t ts_ns;
    uint32_t caplen, len;
    int linktype;
    const uint8_t *data;
} pa_frame;

typedef struct pa_reader {
    pcap_t *pc; /* classic pcap */
    struct {    /* classic pcap records parsed from read() blocks */
        bool on;
        bool swapped, nano;
        int fd, dlt;
        uint8_t *buf, *spare;   /* the block being parsed; the one being read */
        size_t head;            /* room before a read block for a record cut at the end of the last */
        size_t have, pos;       /* bytes in buf, next record */
        uint64_t buf_off;       /* file offset of buf[0] */
        uint64_t next_off;      /* file offset of the next block to read */
        struct pa_prefetch *pf; /* the thread reading the next block (NULL: read when needed) */
    } blk;
    pa_pcapng ng; /* pcapng */
    bool is_ng;
    char bpf[4096];
    struct {
        int linktype;
        bool ok;
        struct bpf_program prog;
    } progs[PA_READER_MAX_PROGS];
    int nprogs;
    uint32_t snaplen;
    uint64_t frame_no; /* of the last frame returned (1-based, counting filtered ones) */
    bool damaged;      /* stopped on an error rather than at the end */
    char error[256];
    uint64_t error_offset;
} pa_reader;

/* Takes over fd; fmt is what the magic number said. */
pa_status pa_reader_open(pa_reader *r, int fd, const pa_capfmt *fmt, const char *bpf, char *err, size_t errlen);
/* 1: a frame (after the filter); 0: end of file or damage (see r->damaged).
 * filtered_out counts frames the filter skipped. */
int pa_reader_next(pa_reader *r, pa_frame *f, uint64_t *filtered_out);
uint64_t pa_reader_offset(const pa_reader *r);
void pa_reader_close(pa_reader *r);

#endif
