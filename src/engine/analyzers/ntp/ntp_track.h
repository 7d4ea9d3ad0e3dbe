/* NTP over a capture. Exchanges: a client request (mode 3) and the server
 * reply (mode 4) whose origin timestamp is the request's transmit
 * timestamp, on the same UDP flow the other way; each gives the request ->
 * reply time and, from the four timestamps, the clock offset and the round
 * trip delay. Servers: stratum, reference id, requests, replies, unanswered
 * requests, offsets and delays, kiss-o'-death codes. Links: Wireshark's
 * ntp.request_in (the latest request of the conversation, below). Every
 * table is capped; what a cap left out is counted. */
#ifndef PA_NTP_TRACK_H
#define PA_NTP_TRACK_H

#include "expert.h"
#include "htab.h"
#include "ntp_parse.h"
#include "packet.h"
#include "txkeep.h"

#define PA_NTP_MAX_EXCHANGES 65536 /* client requests kept, each with its reply */
#define PA_NTP_MAX_SERVERS 1024    /* servers (address and port) asked or answering */
#define PA_NTP_MAX_LINKS 65536     /* requests awaiting Wireshark's link, per conversation and kind */
#define PA_NTP_MAX_KISS 16         /* distinct kiss-o'-death codes counted */
#define PA_NTP_SERVER_KISS 4       /* distinct codes kept per server */

typedef struct pa_ntp_kiss {
    uint8_t code[4];
    uint64_t count;
} pa_ntp_kiss;

typedef struct pa_ntp_exchange {
    struct {
        int64_t stream; /* udp.stream */
        uint64_t xmt;   /* the request's transmit timestamp (T1 as sent) */
    } key;
    pa_addr client, server;
    uint16_t cport, sport;
    uint8_t version;   /* the request's */
    uint8_t stratum;   /* the reply's */
    uint8_t refid[4];  /* the reply's */
    bool clock;        /* offset and delay computed (a reply with T2, T3 and T1 set, not a kiss-o'-death) */
    uint32_t requests; /* copies of the request (same transmit timestamp) */
    uint32_t replies;  /* replies carrying its transmit timestamp */
    uint64_t req_frame, resp_frame;
    int64_t req_ts, resp_ts; /* capture times, ns since 1970 */
    int64_t rt_ns;           /* request -> first reply, capture times; -1 unanswered */
    int64_t t1_ns;           /* the request's transmit timestamp, ns since 1970 */
    int64_t client_clock_ns; /* T1 - the request's capture time: the client's clock against the capture's */
    int64_t offset_ns;       /* ((T2 - T1) + (T3 - T4)) / 2 */
    int64_t delay_ns;        /* (T4 - T1) - (T3 - T2) */
} pa_ntp_exchange;

typedef struct pa_ntp_server {
    struct {
        pa_addr addr;
        uint8_t pad;
        uint16_t port;
    } key;
    uint64_t requests, replies, unanswered, kiss_of_death;
    uint64_t first_frame;
    uint8_t stratum, version, li; /* of its last reply that was not a kiss-o'-death (else of its last) */
    uint8_t refid[4];
    bool answered, synced;          /* a reply; one that was not a kiss-o'-death */
    uint64_t clock_samples;         /* replies with an offset and a delay */
    int64_t offset_min, offset_max; /* ns */
    int64_t delay_min, delay_max;   /* ns */
    uint8_t nkiss;
    pa_ntp_kiss kiss[PA_NTP_SERVER_KISS];
} pa_ntp_server;

/* A request Wireshark can link a response to: per UDP conversation and
 * kind (client requests; control requests by sequence; private requests
 * by implementation), the latest one. */
typedef struct pa_ntp_link {
    struct {
        int64_t stream;
        uint32_t kind;
        uint32_t pad;
    } key;
    uint64_t req_frame, resp_frame;
    int64_t req_ts;
} pa_ntp_link;

typedef struct pa_ntp_stats {
    uint64_t messages, malformed;
    uint64_t by_mode[8];
    uint64_t by_version[8];
    uint64_t control_requests, control_responses, control_errors;
    uint64_t private_requests, private_responses, monlist_responses;
    uint64_t kiss_of_death, unsynchronized; /* server replies of stratum 0; with leap indicator 3 */
    uint64_t duplicate_requests, duplicate_replies, orphan_replies, unanswered;
    uint64_t clock_samples;
    pa_ntp_kiss kiss[PA_NTP_MAX_KISS];
    uint8_t nkiss;
    pa_htab exchanges, servers, links;
    bool ready;
    uint64_t exchanges_dropped, servers_dropped, links_dropped, kiss_dropped;
    pa_expert *ex;
    pa_txkeep *keep;
} pa_ntp_stats;

/* Wireshark's link of a response to its request (ntp.request_in,
 * ntp.delta_time): a client reply to the latest client request of its
 * conversation, if no reply took it yet; a control response to the latest
 * control request with its sequence, a private response to the latest
 * private request of its implementation, every response of them. */
typedef struct pa_ntp_resp_link {
    uint64_t request_frame; /* 0: none */
    int64_t delta_ns;
} pa_ntp_resp_link;

int pa_ntp_stats_init(pa_ntp_stats *st);
void pa_ntp_stats_free(pa_ntp_stats *st);
/* One parsed message p carried on udp.stream stream; link receives
 * Wireshark's link. Returns the exchange a reply answered (its first
 * reply or a later one), else NULL; valid until the next message. */
const pa_ntp_exchange *pa_ntp_message(pa_ntp_stats *st, const pa_packet *p, int64_t stream, const pa_ntp_msg *m,
                                      pa_ntp_resp_link *link);
/* End of the capture: requests never answered counted, in total and per
 * server. */
void pa_ntp_finish(pa_ntp_stats *st);

#endif
