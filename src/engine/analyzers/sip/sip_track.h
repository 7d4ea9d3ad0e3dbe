/* SIP calls, transactions and the media endpoints their SDP bodies
 * announce. Bounded: PA_SIP_MAX_CALLS calls, PA_SIP_MAX_MEDIA endpoints,
 * PA_SIP_PENDING requests awaiting a response. */
#ifndef PA_SIP_TRACK_H
#define PA_SIP_TRACK_H

#include "expert.h"
#include "packet.h"
#include "sip_parse.h"
#include "txkeep.h"

#define PA_SIP_MAX_CALLS 4096
#define PA_SIP_MAX_MEDIA 1024
#define PA_SIP_PENDING 256   /* requests awaiting a response (oldest forgotten) */
#define PA_SIP_INVITES 8     /* INVITE transactions remembered per call (setup time) */
#define PA_SIP_TCP_BUF 65536 /* bytes held per TCP direction for a message in progress */
#define PA_SIP_METHODS 16    /* methods with their own response-time line */

/* Wireshark's VoIP Calls states (ui/voip_calls.c). */
typedef enum {
    PA_SIP_CALL_SETUP,
    PA_SIP_RINGING,
    PA_SIP_IN_CALL,
    PA_SIP_CANCELLED,
    PA_SIP_COMPLETED,
    PA_SIP_REJECTED,
    PA_SIP_UNKNOWN,
} pa_sip_call_state;

const char *pa_sip_state_name(pa_sip_call_state s); /* "CALL SETUP", "IN CALL", ... */
/* The reason phrase RFC 3261 gives a failure code (4xx-6xx), or NULL. */
const char *pa_sip_code_name(unsigned code);

typedef struct pa_sip_invite {
    uint32_t cseq;
    pa_addr src, dst;
    uint16_t sport, dport;
    int64_t ts;
    uint64_t frame;
} pa_sip_invite;

typedef struct pa_sip_call {
    char call_id[128];
    char from[128], to[128];
    pa_sip_call_state state;
    uint64_t invite_frame, provisional_frame, final_frame, bye_frame, cancel_frame;
    int64_t invite_ts, provisional_ts, final_ts, ok_ts; /* ns; ok_ts: first 200 to an INVITE */
    uint16_t provisional_code, final_code;
    int64_t setup_ns; /* first INVITE to first 200 OK; -1: none */
    uint32_t messages;
    uint8_t ninvites;
    pa_sip_invite inv[PA_SIP_INVITES];
} pa_sip_call;

/* A media endpoint an SDP body announced: datagrams to or from it are its
 * kind (what the RTP analyzer needs to name them). */
typedef struct pa_sip_media {
    pa_addr addr;
    uint16_t port;
    uint8_t kind;   /* 1 RTP, 2 RTCP, 3 other (T.38 UDPTL, ...) */
    uint32_t call;  /* 1 + index in calls; 0: none */
    uint64_t frame; /* the message that announced it */
    uint8_t nmap;
    pa_sdp_rtpmap map[PA_SDP_MAX_PT];
} pa_sip_media;

typedef struct pa_sip_rt {
    char method[24];
    uint64_t count;
    double sum_ms, min_ms, max_ms;
} pa_sip_rt;

typedef struct pa_sip_pending {
    char call_id[128];
    uint32_t cseq;
    char method[24];
    int64_t ts;
    bool answered;
} pa_sip_pending;

typedef struct pa_sip_stats {
    uint64_t requests, responses, malformed, sdp_bodies;
    uint64_t methods[PA_SIP_METHODS]; /* by index of pa_sip_rt lines */
    uint64_t status_class[7];         /* 1xx .. 6xx */
    pa_sip_rt rt[PA_SIP_METHODS];     /* response times (first final response) per request method */
    uint8_t nrt;
    /* Wireshark's SIP setup time (packet-sip.c, tap-sipstat.c): an ACK's
     * time since the INVITE of the same Call-ID and CSeq number sent the same
     * way */
    uint64_t setup_count;
    double setup_sum_ms, setup_min_ms, setup_max_ms;
    pa_sip_call *calls;
    uint32_t ncalls, calls_cap;
    uint64_t calls_dropped;
    pa_sip_media *media;
    uint32_t nmedia, media_cap;
    uint64_t media_dropped;
    pa_sip_pending *pending; /* a ring of PA_SIP_PENDING */
    uint32_t npending_next;
    uint64_t orphan_responses;
    /* told of every media endpoint an SDP announces, listed or not (the
     * analyzer hands them to RTP); NULL: nobody */
    void (*announce)(void *ud, const pa_sip_media *e);
    void *announce_ud;
    pa_expert *ex;
    pa_txkeep *keep;
} pa_sip_stats;

/* One parsed message sent by p (its addresses, ports, frame and time). body
 * is the message's body (SDP when its Content-Type says so). */
void pa_sip_message(pa_sip_stats *st, const pa_packet *p, const pa_sip_msg *m, const uint8_t *body);
void pa_sip_stats_free(pa_sip_stats *st);

/* A TCP connection's buffered bytes per direction (messages framed by
 * Content-Length; a message may span segments, a segment hold several). */
typedef struct pa_sip_flow {
    uint8_t *buf[2];
    uint32_t len[2];
    bool broken[2]; /* bytes that are not SIP: the direction is no longer read */
} pa_sip_flow;

/* Feeds one TCP segment's payload; cb (may be NULL) sees each message. */
void pa_sip_segment(pa_sip_stats *st, pa_sip_flow **fp, const pa_packet *p, int from,
                    void (*cb)(void *ud, const pa_sip_msg *m), void *ud);
void pa_sip_flow_free(pa_sip_flow *f);

#endif
