/* LDAP over TCP byte streams and CLDAP datagrams: the messages of each
 * direction (several per segment, one spanning segments reassembled), SASL
 * buffers after a SASL bind, requests paired with their responses by
 * messageID (a search with its searchResDone), StartTLS, and cleartext
 * simple-bind passwords as security evidence. Every table is bounded. */
#ifndef PA_LDAP_TRACK_H
#define PA_LDAP_TRACK_H

#include "expert.h"
#include "ldap_parse.h"
#include "packet.h"
#include "sec_track.h"
#include "tcp_analysis.h"
#include "txkeep.h"

#define PA_LDAP_MAX_TX 65536        /* operations kept for listings and times (all are counted) */
#define PA_LDAP_PENDING 256         /* requests awaiting their response per connection */
#define PA_LDAP_CLDAP_PENDING 4096  /* CLDAP requests awaiting their response, all flows */
#define PA_LDAP_MSG_MAX (16u << 20) /* a message buffered whole at most; a longer one is skipped */
#define PA_LDAP_FRAME_MSGS 16       /* messages a frame's facts keep */
#define PA_LDAP_TEXT 128            /* characters a listed operation keeps of its DN and filter */

/* A request and its final response (unanswered: rt_ns -1). */
typedef struct pa_ldap_tx {
    pa_addr client, server;
    uint16_t cport, sport;
    int64_t stream; /* tcp.stream, or udp.stream when udp */
    bool udp;
    uint32_t id;
    uint8_t op;
    bool has_result;
    uint32_t result;
    uint64_t req_frame, resp_frame;
    int64_t req_ts, rt_ns;
    uint32_t entries, refs;    /* a search's searchResEntry and searchResRef messages */
    char name[PA_LDAP_TEXT];   /* bind name, baseObject, entry, or an extended request's OID */
    char filter[PA_LDAP_TEXT]; /* a search's filter */
} pa_ldap_tx;

#define PA_LDAP_RESULTS 128 /* result codes counted one by one; the others as "other" */

typedef struct pa_ldap_stats {
    uint64_t connections, cldap_datagrams;
    uint64_t messages, sasl_buffers, malformed, not_ldap;
    uint64_t ops[PA_LDAP_OPS];
    uint64_t results[PA_LDAP_RESULTS], results_other;
    uint64_t binds_simple, binds_anonymous, binds_unauthenticated, binds_sasl, binds_ok, binds_failed;
    uint64_t cleartext_passwords;
    uint64_t starttls_requests, starttls_ok;
    uint64_t answered, unanswered, orphan_responses;
    uint64_t too_long, gaps, retransmitted;
    uint64_t pending_dropped; /* requests given up because too many waited (per connection or CLDAP) */
    pa_ldap_tx *tx;           /* request order after pa_ldap_finish */
    size_t ntx, txcap;
    uint64_t tx_dropped;
    struct cldap_pending *cldap; /* CLDAP requests awaiting a response */
    size_t ncldap;
    pa_expert *ex;
    pa_sec_stats *sec;
    pa_txkeep *keep;
} pa_ldap_stats;

/* One message of a frame, as the display filter sees it. */
typedef struct pa_ldap_frame_msg {
    pa_ldap_msg m;
    bool sasl; /* a SASL buffer (only sasl_len is set) */
    uint32_t sasl_len;
    bool matched; /* a response whose request was seen */
    uint64_t response_to;
    int64_t time_ns;
    uint64_t response_in; /* a request answered in a later frame: not known in one pass (0) */
} pa_ldap_frame_msg;

typedef struct pa_ldap_frame {
    bool present; /* an LDAP message or SASL buffer ended in it (TCP), or it is a CLDAP datagram */
    bool cldap;
    uint8_t nmsg;
    pa_ldap_frame_msg msg[PA_LDAP_FRAME_MSGS];
} pa_ldap_frame;

typedef struct pa_ldap_flow pa_ldap_flow; /* per connection, owned by its flow */

/* One TCP segment of a connection named LDAP; returns the messages (and SASL
 * buffers) that ended in it. */
uint32_t pa_ldap_segment(pa_ldap_stats *st, pa_ldap_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                         uint32_t stream, pa_ldap_frame *frame);
/* One UDP datagram named CLDAP. */
void pa_ldap_datagram(pa_ldap_stats *st, const pa_packet *p, int64_t stream, pa_ldap_frame *frame);
void pa_ldap_finish_flow(pa_ldap_stats *st, pa_ldap_flow *f);
void pa_ldap_free_flow(pa_ldap_flow *f);
void pa_ldap_finish(pa_ldap_stats *st);
size_t pa_ldap_memory(const pa_ldap_stats *st); /* heap bytes of its tables */
void pa_ldap_stats_free(pa_ldap_stats *st);

#endif
