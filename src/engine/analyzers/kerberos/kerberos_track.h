/* Kerberos exchanges: each UDP datagram named Kerberos is one message, each
 * TCP direction a byte stream of records (a 4-byte length, RFC 4120 7.2.2)
 * reassembled across segments. A request (AS-REQ, TGS-REQ, AP-REQ) waits for
 * the next reply or KRB-ERROR of its client-server pair (per flow, and over
 * UDP per address and port pair), oldest first, giving request -> reply
 * times; message types, error codes by name, principals and the encryption
 * types offered and chosen, weak ones flagged. Every table is bounded. */
#ifndef PA_KERBEROS_TRACK_H
#define PA_KERBEROS_TRACK_H

#include "expert.h"
#include "htab.h"
#include "kerberos_parse.h"
#include "packet.h"
#include "tcp_analysis.h"
#include "tcp_stream.h"
#include "txkeep.h"

#define PA_KRB_MAX_TX 20000                     /* requests kept for listings and times */
#define PA_KRB_PENDING 8                        /* requests awaiting a reply per client-server pair */
#define PA_KRB_MAX_PAIRS 4096                   /* UDP client-server address and port pairs followed */
#define PA_KRB_RECORD_MAX (1u << 20)            /* longest TCP record followed */
#define PA_KRB_STREAM_CAP (16ull * 1024 * 1024) /* bytes parsed per TCP direction */
#define PA_KRB_TX_ETYPES 12                     /* etypes of a request's list kept per transaction */
#define PA_KRB_ERROR_CODES 100                  /* error codes counted one by one (0-99) */

/* Weak choices of a transaction, a bit each. */
enum {
    PA_KRB_WEAK_OFFERED = 1, /* the request offers a weak etype */
    PA_KRB_WEAK_CHOSEN = 2,  /* the reply's session key (enc-part) is of a weak etype */
    PA_KRB_WEAK_TICKET = 4,  /* the reply's ticket is encrypted with a weak etype */
};

typedef struct pa_krb_tx {
    uint64_t req_frame, rep_frame; /* rep_frame 0: unanswered */
    int64_t req_ts, rt_ns;         /* rt_ns: request -> reply; -1 unanswered */
    pa_addr client, server;
    uint16_t cport, sport;
    uint8_t l4; /* PA_P_UDP or PA_P_TCP */
    uint8_t req_type, rep_type;
    bool has_error;
    int32_t error_code;
    char cname[PA_KRB_STR], realm[PA_KRB_STR], sname[PA_KRB_STR];
    uint8_t nreq_etypes;
    int32_t req_etypes[PA_KRB_TX_ETYPES];
    bool has_reply_etype, has_ticket_etype;
    int32_t reply_etype, ticket_etype;
    uint8_t weak; /* PA_KRB_WEAK_* */
} pa_krb_tx;

/* A request awaiting its reply. */
typedef struct pa_krb_wait {
    uint32_t tx; /* index in the stats' tx (UINT32_MAX: not listed) */
    pa_txmark mark;
} pa_krb_wait;

typedef struct pa_krb_queue {
    uint8_t n;
    pa_krb_wait w[PA_KRB_PENDING]; /* oldest first */
} pa_krb_queue;

/* A UDP client-server pair (key: addresses and ports) and its waiting requests. */
typedef struct pa_krb_pair {
    pa_addr client, server;
    uint16_t cport, sport;
    pa_krb_queue q;
} pa_krb_pair;

typedef struct pa_kerberos_stats {
    uint64_t messages, udp_messages, tcp_messages;
    uint64_t msg_type[32]; /* by type (0: a bare Ticket) */
    uint64_t malformed;
    uint64_t requests, replies, answered, unanswered, orphan_replies;
    uint64_t errors, error_code[PA_KRB_ERROR_CODES], error_other;
    uint64_t weak_offered, weak_chosen; /* requests offering, replies choosing, a weak etype */
    uint64_t records_too_long;          /* TCP record lengths past PA_KRB_RECORD_MAX: direction not followed */
    uint64_t gaps, streams_capped, pending_dropped;
    uint64_t conversations; /* datagrams named by a Kerberos pair's conversation (krb524) */
    pa_krb_tx *tx;          /* in request frame order */
    size_t ntx, cap;
    uint64_t tx_dropped;
    pa_htab pairs;
    uint64_t pairs_dropped;
    pa_expert *ex;
    pa_txkeep *keep; /* a display filter's transactions: a request with its reply, keyed by the request */
} pa_kerberos_stats;

/* What a frame carried, as tshark 4.0 shows it (display filters: kerberos.*). */
typedef struct pa_krb_frame {
    bool present;
    uint8_t nmsgs;
    pa_krb_msg msg; /* the first message, with the field lists of those after it */
} pa_krb_frame;

typedef struct pa_krb_flow pa_krb_flow; /* per TCP connection, owned by its flow */

int pa_krb_init(pa_kerberos_stats *st);
void pa_krb_stats_free(pa_kerberos_stats *st);
/* One UDP datagram named Kerberos (frame: its facts, may be NULL). Returns
 * whether it parsed as a Kerberos message. */
bool pa_krb_datagram(pa_kerberos_stats *st, const pa_packet *p, pa_krb_frame *frame);
/* Whether an unnamed UDP datagram belongs to a Kerberos pair's conversation
 * (the same client address and port, the KDC's address, another port) and
 * parses as Kerberos: tshark names it so (krb524 tickets). */
bool pa_krb_conversation(pa_kerberos_stats *st, const pa_packet *p);
/* One TCP segment of a connection named Kerberos (*fp created on first
 * use). Returns the records that ended in it. */
uint32_t pa_krb_segment(pa_kerberos_stats *st, pa_krb_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                        pa_krb_frame *frame);
void pa_krb_finish_flow(pa_kerberos_stats *st, pa_krb_flow *f);
void pa_krb_free_flow(pa_krb_flow *f);
bool pa_krb_holds_data(const pa_krb_flow *f);
/* End of the pass: requests still waiting over UDP are unanswered. */
void pa_krb_finish(pa_kerberos_stats *st);

/* The weak etypes of a transaction as text, "offered eTYPE-ARCFOUR-HMAC-MD5
 * (why); chosen ..." (out: cap bytes); false when none. */
bool pa_krb_weak_text(const pa_krb_tx *t, char *out, size_t cap);

#endif
