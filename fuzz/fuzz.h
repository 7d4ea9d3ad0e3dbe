/* Shared by the fuzz targets, the replay driver and the seed generator: the
 * libFuzzer entry point's prototype and the input layouts the targets agree
 * on with gen_seeds.c. */
#ifndef PA_FUZZ_H
#define PA_FUZZ_H

#include <pcap/dlt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Implemented once per target; driven by libFuzzer or by replay_main.c. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the code under test: a violation aborts, so libFuzzer
 * records the input like a sanitizer report. */
#define PA_FUZZ_CHECK(cond)                                                                                            \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);                               \
            abort();                                                                                                   \
        }                                                                                                              \
    } while (0)

/* Link types a selector byte picks from (selector % PA_FUZZ_NLINK): the
 * eight the decoder supports, then one it does not. */
#define PA_FUZZ_NLINK 9
static const int pa_fuzz_linktypes[PA_FUZZ_NLINK] = {
    DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_NULL, DLT_LOOP, DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_IEEE802_11,
};
enum {
    PA_FUZZ_LT_ETH = 0,
    PA_FUZZ_LT_SLL,
    PA_FUZZ_LT_SLL2,
    PA_FUZZ_LT_NULL,
    PA_FUZZ_LT_LOOP,
    PA_FUZZ_LT_RAW,
    PA_FUZZ_LT_IPV4,
    PA_FUZZ_LT_IPV6,
    PA_FUZZ_LT_UNSUPPORTED,
};

/* Bytes on the wire beyond those captured, from one input byte: 0-127 add
 * that many (a few bytes cut by the snaplen), 128-255 add (b - 127) * 512
 * (a frame cut short by a small snaplen). The wire length is never below
 * the captured length: libpcap and the engine guarantee that. */
static inline uint32_t pa_fuzz_wire_extra(uint8_t b) { return b < 128 ? b : (uint32_t)(b - 127) * 512u; }

/* fuzz_decode input:  [link selector][wire-extra byte][frame bytes ...]
 *
 * fuzz_packets input: [link selector] then records
 *                     [len hi][len lo][meta][len frame bytes]
 *   meta low nibble:  seconds to add to the clock before this frame, times 8
 *                     (so the 60 s fragment timeout is reachable)
 *   meta high nibble: times 17, the wire-extra byte of pa_fuzz_wire_extra()
 *                     (0-119 bytes cut for 0-7, 4.5-64 KiB for 8-15)
 *   a length past the end takes what is left. */
#define PA_FUZZ_PKT_TS_STEP_NS (8ll * 1000000000ll)
static inline uint32_t pa_fuzz_meta_wire_extra(uint8_t meta) { return pa_fuzz_wire_extra((uint8_t)((meta >> 4) * 17)); }

/* fuzz_jsonrpc and fuzz_schema inputs are plain JSON text.
 * fuzz_server: one JSON-RPC message per line, after an initialize request
 * (none when the input starts with '!'); a line starting with byte 0xFF
 * stands for an over-long frame. The storage directory holds a small
 * Ethernet capture by this name, a text file and an empty .pcap. */
#define PA_FUZZ_SERVER_CAPTURE "sample.pcap"

#endif
