/* The frame scan: a capture read frame by frame for tools that look at the
 * frames themselves rather than at the model (search, checksum checks). It
 * hides the reader and the decoder: a tool opens a scan, takes frames, and
 * decodes the ones it needs. A display filter's frames (pa_frame_mask, from
 * pa_engine_mask) and a BPF filter both skip frames, counted as filtered. */
#ifndef PA_FRAME_SCAN_H
#define PA_FRAME_SCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "capture_magic.h"
#include "packet.h"
#include "read_status.h"
#include "txkeep.h"

typedef struct pa_scan pa_scan;

typedef struct pa_scan_frame {
    uint64_t frame_no; /* 1-based, counting the filtered frames */
    int64_t ts_ns;
    uint32_t caplen, len;
    int linktype;
    const uint8_t *data; /* valid until the next pa_scan_next */
} pa_scan_frame;

/* Takes over fd. mask may be NULL or inactive (every frame). On failure
 * *out is NULL and err says why. */
pa_status pa_scan_open(pa_scan **out, int fd, const pa_capfmt *fmt, const char *bpf, const pa_frame_mask *mask,
                       char *err, size_t errlen);
/* 1: the next frame; 0: the end of the file or damage (pa_scan_damage). */
int pa_scan_next(pa_scan *s, pa_scan_frame *f);
/* The frame's headers, with the application label the pass would give it. */
void pa_scan_decode(pa_scan *s, const pa_scan_frame *f, pa_packet *p);
/* Bytes of the file read so far (for progress). */
uint64_t pa_scan_offset(const pa_scan *s);
/* Frames the filters skipped. */
uint64_t pa_scan_filtered(const pa_scan *s);
/* Why reading stopped before the end, and where; NULL when the file was whole. */
const char *pa_scan_damage(const pa_scan *s, uint64_t *offset);
void pa_scan_close(pa_scan *s);

/* Whether frames of this link type are decoded (others are counted only),
 * and its name as libpcap gives it. */
bool pa_scan_linktype_decoded(int linktype);
const char *pa_scan_linktype_name(int linktype);

#endif
