#include "capture_magic.h"

#include <stdio.h>

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint16_t rd16(const uint8_t *p, bool be) {
    return be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

pa_capfmt pa_capfmt_detect(const uint8_t *p, size_t n) {
    pa_capfmt f = {0};
    if (n < 4) return f;
    uint32_t m = be32(p);
    switch (m) {
    case 0xa1b2c3d4: f = (pa_capfmt){PA_CAPFMT_PCAP, true, false, 0, 0}; break;
    case 0xd4c3b2a1: f = (pa_capfmt){PA_CAPFMT_PCAP, false, false, 0, 0}; break;
    case 0xa1b23c4d: f = (pa_capfmt){PA_CAPFMT_PCAP, true, true, 0, 0}; break;
    case 0x4d3cb2a1: f = (pa_capfmt){PA_CAPFMT_PCAP, false, true, 0, 0}; break;
    case 0x0a0d0d0a:
        /* The block type is a palindrome; the byte-order magic at offset 8
         * says how the rest of the section is written. */
        if (n < 12) return f;
        if (be32(p + 8) == 0x1a2b3c4d)
            f = (pa_capfmt){PA_CAPFMT_PCAPNG, true, false, 0, 0};
        else if (be32(p + 8) == 0x4d3c2b1a)
            f = (pa_capfmt){PA_CAPFMT_PCAPNG, false, false, 0, 0};
        else
            return f;
        if (n >= 16) {
            f.version_major = rd16(p + 12, f.big_endian);
            f.version_minor = rd16(p + 14, f.big_endian);
        }
        return f;
    default: return f;
    }
    if (n >= 8) {
        f.version_major = rd16(p + 4, f.big_endian);
        f.version_minor = rd16(p + 6, f.big_endian);
    }
    return f;
}

const char *pa_capfmt_id(const pa_capfmt *f) {
    switch (f->kind) {
    case PA_CAPFMT_PCAP: return f->nanosecond ? "pcap-ns" : "pcap";
    case PA_CAPFMT_PCAPNG: return "pcapng";
    case PA_CAPFMT_NONE: break;
    }
    return "none";
}

void pa_capfmt_describe(const pa_capfmt *f, char *out, size_t outlen) {
    const char *order = f->big_endian ? "big-endian" : "little-endian";
    switch (f->kind) {
    case PA_CAPFMT_PCAP:
        snprintf(out, outlen, "pcap (%s, %s, v%u.%u)", f->nanosecond ? "nanosecond" : "microsecond", order,
                 f->version_major, f->version_minor);
        return;
    case PA_CAPFMT_PCAPNG: snprintf(out, outlen, "pcapng (%s)", order); return;
    case PA_CAPFMT_NONE: break;
    }
    snprintf(out, outlen, "not a capture file");
}
