/* What the pass knows of one frame beyond its headers, handed to
 * display filters and packet lists while the frame is current. */
#ifndef PA_FRAME_H
#define PA_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer.h"
#include "packet.h"

/* What the pass knows of one frame beyond its headers. */
typedef struct pa_frame_ctx {
    int64_t first_ts; /* of the first frame (frame.time_relative) */
    bool has_stream;
    uint32_t stream; /* tcp.stream or udp.stream */
    bool tcp_analysed;
    uint32_t ta_flags; /* tcp.analysis flags (PA_TA_*) */
    uint32_t dup_num;  /* tcp.analysis.duplicate_ack_num */
    bool has_rtt;
    int64_t rtt_ns; /* tcp.analysis.ack_rtt */
    bool seq_base_known, ack_base_known;
    uint32_t seq_base, ack_base; /* for relative tcp.seq and tcp.ack */
    int16_t wscale;              /* the sender's window scale: -1 unknown, -2 none, else the shift */
    /* each analyzer's facts of the frame (its <name>_analyzer.h says what),
     * by PA_AN_ id; NULL when the frame did not carry it */
    const void *app[PA_AN_COUNT];
    /* udp.stream of the other UDP headers (pa_packet.xip, same order; -1 none) */
    int64_t xip_udp_stream[PA_MAX_ENCAP_DEPTH + 1];
} pa_frame_ctx;

#endif
