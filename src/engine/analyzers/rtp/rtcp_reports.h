/* What RTCP says about the media (RFC 3550 6.4): each receiver's report
 * blocks about each source, summed per (reporter, source) pair, and the
 * round-trip time the sender of an SR can compute from a report that
 * echoes it (A - LSR - DLSR, 6.4.1), here with the capture's times: exact
 * when the capture is taken beside the SR's sender. */
#ifndef PA_RTCP_REPORTS_H
#define PA_RTCP_REPORTS_H

#include <stdbool.h>
#include <stdint.h>

#include "htab.h"
#include "packet.h"
#include "rtp_parse.h"

#define PA_RTCP_MAX_PAIRS 4096 /* (reporter, source) pairs kept */
#define PA_RTCP_MAX_SRS 65536  /* sender reports remembered for round trips */

typedef struct pa_rtcp_pair {
    uint32_t reporter, source; /* the key: who reports, about whose stream (SSRCs) */
    pa_addr from, to;          /* the first report's addresses and ports */
    uint16_t sport, dport;
    uint64_t first_frame, last_frame;
    uint32_t reports;
    uint8_t fraction_last, fraction_max; /* of 256, as sent */
    int32_t cumulative_last;             /* signed, as sent (duplicates make it negative) */
    uint32_t highest_seq_last;
    uint32_t jitter_last, jitter_max; /* in the source's timestamp units */
    uint32_t rtt_n;                   /* round trips computed */
    double rtt_last_ms, rtt_min_ms, rtt_max_ms;
} pa_rtcp_pair;

typedef struct pa_rtcp_sr_seen {
    uint32_t ssrc, ntp_mid; /* the key: the SR's sender and the middle 32 bits of its NTP time (LSR) */
    int64_t ts_ns;          /* when it was captured */
    uint64_t frame;
} pa_rtcp_sr_seen;

typedef struct pa_rtcp_reports {
    pa_htab pairs, srs;
    uint64_t sender_reports, receiver_reports, blocks;
    uint64_t rtt_negative;  /* echoes whose round trip came out below zero (clocks or capture point) */
    uint64_t pairs_dropped; /* report blocks of pairs beyond PA_RTCP_MAX_PAIRS */
    uint64_t srs_dropped;   /* sender reports beyond PA_RTCP_MAX_SRS: their echoes are not timed */
} pa_rtcp_reports;

int pa_rtcp_reports_init(pa_rtcp_reports *r);
void pa_rtcp_reports_free(pa_rtcp_reports *r);
size_t pa_rtcp_reports_memory(const pa_rtcp_reports *r);
/* Round trips of one datagram's report blocks as Wireshark shows them
 * (rtcp.roundtrip-delay: whole milliseconds, the gap and DLSR each cut to
 * whole milliseconds first). */
#define PA_RTCP_FRAME_RTT 4
typedef struct pa_rtcp_frame_rtt {
    uint8_t n;
    int32_t ms[PA_RTCP_FRAME_RTT];
} pa_rtcp_frame_rtt;

/* One RTCP datagram, captured at p->ts_ns in frame p->frame_no; rtt (may
 * be NULL) receives the round trips its blocks give. */
void pa_rtcp_reports_note(pa_rtcp_reports *r, const pa_rtcp_msg *m, const pa_packet *p, pa_rtcp_frame_rtt *rtt);

#endif
