/* STUN, TURN and ICE as a registered analyzer (analyzer.h): its table in
 * the model is pa_stun_stats (stun_track.h). It also owns the RFC 7983
 * demultiplexing of a WebRTC five-tuple (STUN, DTLS, RTP/RTCP on one flow). */
#ifndef PA_STUN_ANALYZER_H
#define PA_STUN_ANALYZER_H

#include "analyzer.h"
#include "stun_track.h"

#define PA_FRAME_STUN 4 /* STUN messages remembered per frame (TCP) */

/* The STUN messages a frame carried (display filters: stun.*); classic
 * RFC 3489 messages are not listed (tshark names them classicstun). */
typedef struct pa_stun_frame {
    uint8_t n;
    bool channel; /* a TURN ChannelData message */
    uint16_t channel_no;
    pa_stun_msg msg[PA_FRAME_STUN];
    uint64_t response_to[PA_FRAME_STUN]; /* a response's request frame (0: none) */
    int64_t time_ns[PA_FRAME_STUN];      /* and the time since it */
} pa_stun_frame;

/* The event pa_engine_opts.on_app receives: one message (msg NULL for
 * ChannelData, then channel says which). */
typedef struct pa_stun_event {
    uint64_t frame;
    const pa_stun_msg *msg;
    uint16_t channel;
} pa_stun_event;

/* How a later datagram of a STUN or DTLS flow is named (RFC 7983). */
uint8_t pa_stun_next_rtc(const pa_packet *p);

size_t pa_stun_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_stun;

#endif
