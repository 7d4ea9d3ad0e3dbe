/* STUN/TURN/ICE state over a capture: transactions (request -> response by
 * transaction id), TURN allocations per client and server, ICE candidate
 * pairs (Binding requests carrying PRIORITY between two transport
 * addresses). Every table is capped; what a cap left out is counted. */
#ifndef PA_STUN_TRACK_H
#define PA_STUN_TRACK_H

#include "expert.h"
#include "htab.h"
#include "packet.h"
#include "stun_parse.h"
#include "txkeep.h"

#define PA_STUN_MAX_TX 65536    /* transactions kept (request and its answer) */
#define PA_STUN_MAX_ALLOCS 4096 /* TURN allocations (client, server, transport) */
#define PA_STUN_MAX_PAIRS 8192  /* ICE candidate pairs */
#define PA_STUN_CODES 700       /* error codes counted by value (300-699) */

typedef struct pa_stun_tx {
    uint8_t id[12]; /* key */
    pa_addr client, server;
    uint16_t cport, sport;
    bool tcp;
    uint16_t method;
    uint16_t code;      /* error response's code; 0 success or none */
    uint32_t requests;  /* copies of the request seen (retransmissions) */
    uint32_t responses; /* responses seen */
    uint64_t req_frame, resp_frame;
    int64_t req_ts, rt_ns; /* rt_ns: request -> first response; -1 unanswered */
    int64_t stream;
} pa_stun_tx;

/* a TURN allocation: Allocate, Refresh, CreatePermission and ChannelBind
 * exchanges of one client with one server over one transport */
typedef struct pa_stun_alloc {
    struct {
        pa_addr client, server;
        uint16_t cport, sport;
        uint8_t tcp;
        uint8_t pad[3];
    } key;
    uint32_t allocate_requests, challenges, stale_nonces, allocate_errors, refreshes, refresh_errors;
    uint32_t permissions, channel_binds, channel_data;
    uint16_t last_error;
    bool allocated, released; /* a success response; a Refresh with LIFETIME 0 answered */
    uint64_t first_frame, success_frame;
    int64_t success_ts;
    uint32_t lifetime; /* seconds granted by the last success */
    pa_stun_addr relayed, mapped;
    char realm[64], software[64];
} pa_stun_alloc;

/* an ICE candidate pair: connectivity checks (Binding requests with
 * PRIORITY) sent from one transport address to another */
typedef struct pa_stun_pair {
    struct {
        pa_addr local, remote;
        uint16_t lport, rport;
        uint8_t tcp;
        uint8_t pad[3];
    } key;
    uint32_t checks, successes, errors;
    bool nominated, controlling, controlled;
    uint64_t first_frame, success_frame, nominated_frame;
    uint32_t priority;
    int64_t rtt_ns; /* first answered check's request -> response; -1 none */
} pa_stun_pair;

typedef struct pa_stun_stats {
    uint64_t messages, classic, malformed, channel_data, channel_data_bytes;
    uint64_t by_class[4];
    uint64_t by_method[16][4]; /* methods 0-15 by class; others in [0] */
    uint64_t error_codes[PA_STUN_CODES];
    uint64_t retransmissions, orphan_responses, unanswered;
    uint64_t candidates_reflexive, candidates_relayed; /* addresses seen in responses */
    uint64_t rt_count;
    double rt_sum_ms, rt_min_ms, rt_max_ms;
    pa_htab tx, allocs, pairs;
    bool ready;
    uint64_t tx_dropped, allocs_dropped, pairs_dropped;
    pa_expert *ex;
    pa_txkeep *keep;
} pa_stun_stats;

int pa_stun_stats_init(pa_stun_stats *st);
void pa_stun_stats_free(pa_stun_stats *st);
/* One parsed message sent by p (its addresses, ports, frame and time).
 * Returns, for a response, its transaction (the request's frame and time),
 * else NULL; valid until the next message. */
const pa_stun_tx *pa_stun_message(pa_stun_stats *st, const pa_packet *p, int64_t stream, const pa_stun_msg *m);
/* A TURN ChannelData message sent by p. */
void pa_stun_channel(pa_stun_stats *st, const pa_packet *p, uint16_t channel, uint16_t len);
/* End of the capture: unanswered requests counted. */
void pa_stun_finish(pa_stun_stats *st);

#endif
