/* RTP streams and their statistics, computed as tshark's `-z rtp,streams`
 * computes them, and the media endpoints RTP is expected on.
 *
 * Which datagrams are RTP: those sent to or from an endpoint a session
 * description announced (pa_rtp_expect, as Wireshark's SDP-set
 * conversations), and, only with the heuristic on (off by default, as
 * tshark's rtp.heuristic_rtp), any other version-2 datagram to an even port
 * that starts a conversation of its own there.
 *
 * A stream is one SSRC on one (source, destination) address and port pair.
 * Its figures follow Wireshark 4.0's ui/tap-rtp-analysis.c
 * (rtppacket_analyse) and ui/tap-rtp-common.c, read to learn the algorithm:
 *  - times are milliseconds since the first frame of the capture;
 *  - timestamps are extended to 64 bits per conversation (the endpoint
 *    entry the packet matched, shared by every stream on it), starting at
 *    2^32 and moving by the nearest of +-2^32 (packet-rtp.c);
 *  - a packet is "in time sequence" when its extended timestamp is not
 *    below the last in-sequence one of the stream; only those move the
 *    stream's reference time and timestamp;
 *  - delta: arrival minus the last in-sequence packet's arrival; jitter
 *    (RFC 3550 A.8 with absolute differences): J += (|D| - J) / 16 where
 *    D = arrival - (last in-sequence arrival + timestamp difference / (clock
 *    rate / 1000)), the division of the rate by 1000 being an integer one;
 *  - max delta, mean jitter and max jitter count only "regular" packets:
 *    not the first, not marked, not comfort noise (PT 13 or 19) nor
 *    following one, and in time sequence; mean jitter averages the jitter of
 *    regular packets over (packets so far - 1), as Wireshark's running mean;
 *  - the clock rate: fixed for static payload types (RFC 3551 table),
 *    from a=rtpmap (or the encoding name) for dynamic ones, 0 (no jitter) for
 *    telephone-event and for unknown ones;
 *  - lost = (last seq + 65536 * wraps - first seq + 1) - packets, 32-bit
 *    arithmetic, so duplicates make it negative;
 *  - a sequence error is a packet in time sequence that skips ahead, or any
 *    packet behind the expected number; "problem" is any sequence error or
 *    packet out of time sequence. */
#ifndef PA_RTP_STREAM_H
#define PA_RTP_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"
#include "rtp_parse.h"

#define PA_RTP_MAX_STREAMS 16384  /* streams listed; packets of more are counted */
#define PA_RTP_MAX_ENDPOINTS 4096 /* media endpoints (announced or found by the heuristic) */
#define PA_RTP_MAX_PT 16          /* payload-type names per endpoint (a=rtpmap) */

enum { PA_RTP_KIND_RTP = 1, PA_RTP_KIND_RTCP = 2, PA_RTP_KIND_OTHER = 3 }; /* OTHER: T.38 and the like */

typedef struct pa_rtp_ptname {
    uint8_t pt;
    uint32_t rate; /* 0: not given */
    char name[24]; /* encoding name */
} pa_rtp_ptname;

/* A media endpoint: where datagrams of one kind are expected. */
typedef struct pa_rtp_endpoint {
    pa_addr addr;
    uint16_t port;
    uint8_t kind;    /* PA_RTP_KIND_ */
    uint64_t frame;  /* the frame that announced it (or started it, heuristic) */
    uint32_t call;   /* the call it belongs to (the announcer's numbering; 0: none) */
    bool heuristic;  /* started by the heuristic */
    uint64_t ext_ts; /* the conversation's extended timestamp */
    uint8_t npt;
    pa_rtp_ptname pt[PA_RTP_MAX_PT];
} pa_rtp_endpoint;

typedef struct pa_rtp_stream {
    pa_addr src, dst;
    uint16_t sport, dport;
    uint32_t ssrc;
    uint8_t first_pt, last_pt;
    uint64_t first_frame, last_frame, setup_frame;
    uint32_t call;             /* the announcing call (the endpoint's numbering: 1 + index in m->sip.calls); 0: none */
    char codec[24];            /* the first packet's payload type by name (SDP's rtpmap, else RFC 3551); "" unknown */
    int64_t first_ts, last_ts; /* ns since the epoch */
    uint32_t packets;
    /* the analysis state (names as Wireshark's) */
    uint16_t start_seq, stop_seq, seq_num;
    uint32_t cycles;
    bool under;
    uint64_t seq_timestamp; /* extended timestamp of the last in-sequence packet */
    double time;            /* its arrival, ms */
    uint8_t pt;             /* payload type of the last packet */
    double delta, jitter, max_delta, min_delta, mean_delta, max_jitter, min_jitter, mean_jitter;
    uint32_t total_nr;
    uint32_t seq_errors, wrong_timestamps, markers;
    uint32_t clock_rate; /* the last non-zero rate used */
    bool problem;
} pa_rtp_stream;

typedef struct pa_rtp_table {
    bool heuristic;    /* try RTP on datagrams no endpoint names (off by default) */
    int64_t origin_ns; /* the capture's first frame: times are relative to it */
    bool has_origin;
    pa_rtp_endpoint *ep;
    uint32_t nep;
    int32_t *ep_hash; /* open addressing over ep (2 * cap slots) */
    pa_rtp_stream *streams;
    uint32_t nstreams, streams_cap;
    int32_t *st_hash;
    uint32_t st_hash_size;
    uint64_t endpoints_dropped; /* announcements beyond PA_RTP_MAX_ENDPOINTS */
    uint64_t streams_dropped;   /* packets of streams beyond PA_RTP_MAX_STREAMS */
} pa_rtp_table;

/* What a datagram was to the table. */
enum {
    PA_RTP_NOT = 0,
    PA_RTP_IS_RTP = 1,
    PA_RTP_IS_RTCP = 2,
    PA_RTP_BAD_PADDING = 3, /* RTP on its endpoint but its padding count does not fit: not counted */
};

void pa_rtp_table_free(pa_rtp_table *t);
/* The time origin (the capture's first frame), before the first packet. */
void pa_rtp_table_origin(pa_rtp_table *t, int64_t ts_ns);
/* An endpoint announced at frame e->frame: replaces what was announced
 * there before (a new conversation, as a new SDP sets up in Wireshark).
 * False when the table is full or out of memory. */
bool pa_rtp_expect(pa_rtp_table *t, const pa_rtp_endpoint *e);
/* The endpoint that names a datagram from src:sport to dst:dport (the
 * destination's first, as Wireshark's conversation lookup), or NULL. */
pa_rtp_endpoint *pa_rtp_endpoint_of(pa_rtp_table *t, const pa_addr *src, uint16_t sport, const pa_addr *dst,
                                    uint16_t dport);
/* One UDP datagram (p->payload): PA_RTP_IS_RTP with *h filled, PA_RTP_IS_RTCP
 * with *rc filled, PA_RTP_BAD_PADDING, or PA_RTP_NOT. */
int pa_rtp_datagram(pa_rtp_table *t, const pa_packet *p, pa_rtp_hdr *h, pa_rtcp_msg *rc);
/* A payload type's encoding name: the endpoint's a=rtpmap, else RFC 3551's
 * static name ("PCMU", "G729"), else "". */
const char *pa_rtp_pt_name(uint8_t pt, const pa_rtp_endpoint *e);
/* Packets lost in a stream (negative with duplicates), as tshark. */
int32_t pa_rtp_lost(const pa_rtp_stream *s);
/* The clock rate tshark uses for a payload type named (or not) by its endpoint. */
uint32_t pa_rtp_clock_rate(uint8_t pt, const pa_rtp_endpoint *e, bool *telephone_event);

#endif
