#include "frame_scan.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture_reader.h"
#include "decode.h"
#include "detect.h"

struct pa_scan {
    pa_reader r;
    pa_decoder *dec; /* made on the first decode: a search decodes only the frames that match */
    const pa_frame_mask *mask;
    uint64_t filtered;
};

pa_status pa_scan_open(pa_scan **out, int fd, const pa_capfmt *fmt, const char *bpf, const pa_frame_mask *mask,
                       char *err, size_t errlen) {
    *out = NULL;
    pa_scan *s = calloc(1, sizeof *s);
    if (!s) {
        close(fd);
        snprintf(err, errlen, "out of memory");
        return PA_NOMEM;
    }
    pa_status st = pa_reader_open(&s->r, fd, fmt, bpf, err, errlen);
    if (st != PA_OK) {
        free(s);
        return st;
    }
    s->mask = mask && mask->active ? mask : NULL;
    *out = s;
    return PA_OK;
}

int pa_scan_next(pa_scan *s, pa_scan_frame *f) {
    pa_frame fr;
    while (pa_reader_next(&s->r, &fr, &s->filtered) == 1) {
        if (s->mask && !pa_frame_mask_has(s->mask, s->r.frame_no)) {
            s->filtered++;
            continue;
        }
        *f = (pa_scan_frame){s->r.frame_no, fr.ts_ns, fr.caplen, fr.len, fr.linktype, fr.data};
        return 1;
    }
    return 0;
}

void pa_scan_decode(pa_scan *s, const pa_scan_frame *f, pa_packet *p) {
    memset(p, 0, sizeof *p);
    p->frame_no = f->frame_no;
    p->ts_ns = f->ts_ns;
    p->caplen = f->caplen;
    p->wirelen = f->len;
    if (!s->dec) {
        s->dec = malloc(sizeof *s->dec);
        if (!s->dec) return; /* out of memory: the frame stays undecoded */
        pa_decoder_init(s->dec);
    }
    pa_decode_frame(s->dec, f->linktype, f->data, p);
    if (p->payload_len && p->l4 != PA_P_NONE) p->app = pa_app_detect(p);
}

uint64_t pa_scan_offset(const pa_scan *s) { return pa_reader_offset(&s->r); }

uint64_t pa_scan_filtered(const pa_scan *s) { return s->filtered; }

const char *pa_scan_damage(const pa_scan *s, uint64_t *offset) {
    if (!s->r.damaged) return NULL;
    if (offset) *offset = s->r.error_offset;
    return s->r.error;
}

void pa_scan_close(pa_scan *s) {
    if (!s) return;
    if (s->dec) {
        pa_decoder_free(s->dec);
        free(s->dec);
    }
    pa_reader_close(&s->r);
    free(s);
}

bool pa_scan_linktype_decoded(int linktype) { return pa_decode_linktype_supported(linktype); }

/* For a type the decoder does not read, libpcap's description ("802.11 plus
 * radiotap header"): the decoder itself stays free of libpcap. */
const char *pa_scan_linktype_name(int linktype) {
    if (pa_decode_linktype_supported(linktype)) return pa_linktype_name(linktype);
    const char *d = pcap_datalink_val_to_description(linktype);
    return d ? d : "unknown";
}
