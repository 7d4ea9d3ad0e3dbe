/* Capture-file formats recognised by their first bytes, never by extension. */
#ifndef PA_CAPTURE_MAGIC_H
#define PA_CAPTURE_MAGIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    PA_CAPFMT_NONE = 0, /* not a capture we can read */
    PA_CAPFMT_PCAP,     /* classic libpcap file */
    PA_CAPFMT_PCAPNG,   /* pcapng section header block */
} pa_capfmt_kind;

typedef struct pa_capfmt {
    pa_capfmt_kind kind;
    bool big_endian; /* byte order the file was written in */
    bool nanosecond; /* classic pcap: ns timestamps (magic a1b23c4d) */
    uint16_t version_major, version_minor;
} pa_capfmt;

#define PA_CAPFMT_PROBE_BYTES 16

/* Looks at up to the first PA_CAPFMT_PROBE_BYTES bytes; n may be smaller. */
pa_capfmt pa_capfmt_detect(const uint8_t *p, size_t n);

/* Stable identifier used in tool output: "pcap", "pcap-ns", "pcapng", "none". */
const char *pa_capfmt_id(const pa_capfmt *f);
/* Human description: "pcap (microsecond, little-endian, v2.4)". */
void pa_capfmt_describe(const pa_capfmt *f, char *out, size_t outlen);

#endif
