/* Per-segment TCP analysis with Wireshark's definitions (tcp.analysis.*):
 * for each direction of a connection, the sequence state Wireshark keeps,
 * and for each segment the flags it would set. See docs/TCP_ANALYSIS.md. */
#ifndef PA_TCP_ANALYSIS_H
#define PA_TCP_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"
#include "pctl.h"

/* One bit per tcp.analysis flag. */
#define PA_TCP_FLAGS(X)                                                                                                \
    X(RETRANSMISSION, "retransmission")                                                                                \
    X(FAST_RETRANSMISSION, "fast_retransmission")                                                                      \
    X(SPURIOUS_RETRANSMISSION, "spurious_retransmission")                                                              \
    X(OUT_OF_ORDER, "out_of_order")                                                                                    \
    X(LOST_SEGMENT, "lost_segment")                                                                                    \
    X(ACK_LOST_SEGMENT, "ack_lost_segment")                                                                            \
    X(DUPLICATE_ACK, "duplicate_ack")                                                                                  \
    X(ZERO_WINDOW, "zero_window")                                                                                      \
    X(ZERO_WINDOW_PROBE, "zero_window_probe")                                                                          \
    X(ZERO_WINDOW_PROBE_ACK, "zero_window_probe_ack")                                                                  \
    X(WINDOW_FULL, "window_full")                                                                                      \
    X(WINDOW_UPDATE, "window_update")                                                                                  \
    X(KEEP_ALIVE, "keep_alive")                                                                                        \
    X(KEEP_ALIVE_ACK, "keep_alive_ack")                                                                                \
    X(REUSED_PORTS, "reused_ports")

enum {
#define X(id, name) PA_TA_BIT_##id,
    PA_TCP_FLAGS(X)
#undef X
        PA_TA_COUNT
};
#define X(id, name) PA_TA_##id = 1u << PA_TA_BIT_##id,
enum { PA_TCP_FLAGS(X) };
#undef X

const char *pa_ta_name(unsigned bit);

/* Segments sent and not yet acknowledged, per direction, as Wireshark keeps
 * them (for tcp.analysis.acks_frame, ack_rtt and bytes_in_flight): the
 * array grows with what is outstanding, up to Wireshark's own limit. */
#define PA_TCP_MAX_UNACKED 10000

typedef struct pa_tcp_unacked {
    uint32_t seq, nextseq;
    uint64_t frame;
    int64_t ts;
} pa_tcp_unacked;

typedef struct pa_tcp_dir {
    bool init;
    bool base_known;
    uint32_t base;          /* ISN (SYN) or first seq - 1; a SYN with another seq is port reuse */
    int16_t wscale;         /* -1 unknown, -2 no scaling, else the shift */
    bool first_ack_pending; /* from this side's SYN to its next ACK without SYN */
    bool bif_valid;
    uint32_t last_win;   /* raw window of the last segment (0xFFFFFFFF: none yet) */
    uint32_t last_flags; /* analysis flags of the last segment */
    uint32_t next_seq;   /* highest segment end; 0 = not known (as Wireshark) */
    uint64_t next_seq_frame;
    int64_t next_seq_time;
    uint32_t acked_limit;  /* end of the contiguous data seen; 0 = not known */
    uint32_t last_ack;     /* raw ack field of the last segment */
    int64_t last_ack_time; /* time of the last segment */
    uint32_t dup_count;    /* 0xFFFFFFFF: marker after an "ACKed unseen segment" */
    uint64_t last_ack_change_frame;
    /* options this side announced in its SYN, and SACK use */
    uint16_t mss; /* 0: no MSS option seen */
    bool sack_perm, timestamps;
    uint32_t sack_segments;         /* segments carrying SACK blocks */
    uint32_t nunacked, cap_unacked; /* outstanding segments, oldest first (owned) */
    pa_tcp_unacked *unacked;
    uint8_t nsack; /* SACK blocks of this side's latest segment, as lengths */
    uint32_t sack_len[3];
} pa_tcp_dir;

enum { PA_SEG_SYN, PA_SEG_SYNACK, PA_SEG_RST, PA_SEG_FIN, PA_SEG_PSH, PA_SEG_ACK };

typedef struct pa_tcp_state {
    pa_tcp_dir dir[2]; /* indexed by the flow key side (0 = a, 1 = b) */
    /* per-connection totals, by direction (the side that sent the segment) */
    uint32_t count[2][PA_TA_COUNT];
    uint32_t data_segments[2];
    uint64_t retrans_bytes[2];
    uint32_t dupack_bursts[2]; /* runs of 3 or more duplicate ACKs */
    uint32_t ece[2], cwr[2], ce[2];
    uint64_t max_window[2]; /* largest scaled window advertised */
    /* segments per flag as session tools (Arkime) count them: SYN without
     * ACK, SYN-ACK, RST, FIN, PSH each on their own, ACK only when no other
     * of these is set; and segments advertising a zero window (not RST) */
    uint32_t by_flag[2][6];
    uint32_t zero_win_segs[2];
    uint64_t bif_sum[2];
    uint32_t bif_n[2], bif_max[2];
    /* ACK RTT of segments sent by each side, and its distribution */
    uint64_t rtt_samples, rtt_sum_ns;
    int64_t rtt_max_ns, rtt_min_ns;
    uint32_t rtt_hist[PA_RTT_BUCKETS];
    pa_samples rtt_kept; /* the first PA_PCTL_KEEP_SMALL, for exact percentiles */
    /* zero-window stalls advertised by each side */
    bool in_stall[2];
    int64_t stall_start[2];
    uint64_t stall_frame[2];
    uint32_t stall_probes[2];
    uint32_t zw_events[2];
    int64_t zw_total_ns[2], zw_max_ns[2];
    int64_t syn_time; /* latest SYN without ACK; 0 = none */
    bool first_rtt_set;
    int64_t first_rtt_ns; /* SYN -> first ACK without SYN (tcp.analysis.initial_rtt) */
} pa_tcp_state;

typedef struct pa_tcp_result {
    uint32_t flags;       /* PA_TA_* */
    bool stall_ended;     /* this segment reopened a zero window */
    int64_t stall_ns;     /* how long it was closed */
    uint64_t stall_frame; /* the frame that closed it */
    uint32_t stall_probes;
    uint32_t dupack_num;
    uint64_t dupack_frame;
    bool has_rtt;
    int64_t ack_rtt_ns;
    uint64_t acks_frame;
    bool has_bif;
    uint32_t bytes_in_flight;
    int64_t window_scaled; /* tcp.window_size (raw when the scale is unknown) */
} pa_tcp_result;

/* Frees what a state owns (the outstanding-segment arrays) and the state. */
/* Releases the buffers of directions with nothing outstanding (a closed
 * connection: a later segment allocates again). */
void pa_tcp_trim(pa_tcp_state *s);
void pa_tcp_free(pa_tcp_state *s);

/* Analyses one segment sent by side `from` (0 = key side a). */
void pa_tcp_analyze(pa_tcp_state *s, const pa_packet *p, int from, pa_tcp_result *out);

/* A SYN without ACK whose sequence number differs from the side's known
 * ISN starts a new conversation on the same ports (Wireshark: new
 * tcp.stream, "reused ports"). */
bool pa_tcp_is_port_reuse(const pa_tcp_state *s, const pa_packet *p, int from);

#endif
