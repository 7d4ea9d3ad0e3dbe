/* HTTP/1.x over TCP byte streams: messages delimited by Content-Length,
 * chunked encoding or connection close; requests matched to responses in
 * order (pipelining), giving Wireshark's http.time. Bounded per connection
 * and in total. */
#ifndef PA_HTTP_TRACK_H
#define PA_HTTP_TRACK_H

#include "expert.h"
#include "http_parse.h"
#include "packet.h"
#include "sec_track.h"
#include "tcp_analysis.h"
#include "tcp_stream.h"
#include "txkeep.h"

#define PA_HTTP_MAX_TX 20000                     /* transactions kept for listings */
#define PA_HTTP_PENDING 8                        /* requests awaiting their response, per connection */
#define PA_HTTP_STREAM_CAP (64ull * 1024 * 1024) /* bytes parsed per direction */

typedef struct pa_http_tx {
    uint64_t req_frame, resp_frame; /* the frames that completed each message; 0 = none */
    int64_t req_ts, rt_ns;          /* rt_ns: -1 when unanswered */
    pa_addr client, server;
    uint16_t cport, sport;
    uint32_t stream; /* tcp.stream */
    uint16_t status;
    char method[16];
    char host[64];
    char uri[PA_HTTP_FIELD];
    char user_agent[64];
    char content_type[48];
    int64_t resp_length;
} pa_http_tx;

typedef struct pa_http_stats {
    uint64_t requests, responses, unanswered, parse_errors, gaps;
    uint64_t orphan_responses; /* responses with no request parsed before them */
    uint64_t streams_capped;   /* directions that reached PA_HTTP_STREAM_CAP */
    uint64_t status_class[6];  /* 1xx..5xx */
    pa_http_tx *tx;            /* in request order */
    size_t ntx, cap;
    uint64_t tx_dropped; /* beyond PA_HTTP_MAX_TX */
    pa_expert *ex;       /* expert information (may be NULL) */
    pa_sec_stats *sec;   /* cleartext credentials (may be NULL) */
    /* a display filter's transactions (NULL: none): a transaction is a
     * request with its response (or a response alone), keyed by the frame
     * of the request (of the response) */
    pa_txkeep *keep;
    uint64_t ssdp_searches, ssdp_notifies, ssdp_responses; /* SSDP datagrams (HTTP over UDP) */
} pa_http_stats;

typedef struct pa_http_flow pa_http_flow; /* per connection, owned by its flow */

void pa_http_free_flow(pa_http_flow *h);
/* Whether bytes are held behind a hole in either direction (NULL: no). */
bool pa_http_holds_data(const pa_http_flow *h);
/* Feeds one TCP segment of a connection whose traffic looks like HTTP
 * (*hp is created on first use). from: flow key side that sent it; tcp:
 * the connection's TCP analysis (where each direction's data starts), or
 * NULL. */
void pa_http_segment(pa_http_stats *st, pa_http_flow **hp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                     uint32_t stream, void (*cb)(void *ud, const pa_http_tx *tx, bool response), void *ud);
/* End of the connection (its flow retired or the capture ended). */
void pa_http_finish_flow(pa_http_stats *st, pa_http_flow *h);
void pa_http_stats_free(pa_http_stats *st);

#endif
