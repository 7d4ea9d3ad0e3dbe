/* TLS over TCP byte streams: records (across segments, several per
 * segment), handshake messages (across records), ClientHello/ServerHello,
 * certificates in clear (TLS 1.2 and earlier), alerts, handshake timing and
 * outcome per connection; certificates deduplicated by fingerprint.
 * Bounded per connection and in total. */
#ifndef PA_TLS_TRACK_H
#define PA_TLS_TRACK_H

#include "expert.h"
#include "packet.h"
#include "tcp_analysis.h"
#include "tcp_stream.h"
#include "tls_parse.h"
#include "txkeep.h"
#include "x509_info.h"

#define PA_TLS_MAX_CONNS 20000         /* connections kept for listings (all are counted) */
#define PA_TLS_MAX_CERTS 2048          /* distinct certificates kept */
#define PA_TLS_CHAIN_MAX 8             /* certificates examined per Certificate message */
#define PA_TLS_HS_MAX (256u * 1024)    /* a larger handshake message is skipped, and counted */
#define PA_TLS_STREAM_CAP (1ull << 30) /* bytes followed per direction */
#define PA_TLS_CONN_ALERTS 4           /* alerts kept per connection (all are counted) */
#define PA_TLS_COUNTS_MAX 512          /* distinct code points counted per table */

typedef enum {
    PA_TLS_OUT_COMPLETED,  /* both Finished messages (or TLS 1.3's client Finished) seen */
    PA_TLS_OUT_ALERT,      /* a fatal alert before completion */
    PA_TLS_OUT_RESET,      /* a TCP reset before completion */
    PA_TLS_OUT_NO_ANSWER,  /* a ClientHello that got no ServerHello */
    PA_TLS_OUT_INCOMPLETE, /* ended (or the capture did) part-way through */
    PA_TLS_OUT_NOT_SEEN,   /* the handshake was before the capture started */
    PA_TLS_OUT_COUNT
} pa_tls_outcome;

const char *pa_tls_outcome_name(pa_tls_outcome o);

typedef struct pa_tls_alert {
    uint64_t frame;
    int64_t ts;
    uint8_t from_server, level, desc; /* level 1 warning, 2 fatal; 0 when encrypted */
    bool encrypted;
} pa_tls_alert;

typedef struct pa_tls_conn {
    pa_addr client, server;
    uint16_t cport, sport;
    uint32_t stream; /* tcp.stream */
    uint64_t first_frame;
    uint64_t ch_frame, sh_frame, done_frame, reset_frame; /* 0: not seen */
    int64_t ch_ts, sh_ts, done_ts;
    uint64_t req_frame, resp_frame; /* first application data each way after the handshake */
    int64_t req_ts, resp_ts;
    uint16_t client_version;                /* ClientHello's version field */
    uint16_t max_offered;                   /* highest version offered (supported_versions or field) */
    uint8_t offered_mask;                   /* bit per version offered: SSL3, 1.0, 1.1, 1.2, 1.3 */
    uint16_t version, cipher, group;        /* negotiated; 0 when not known */
    uint16_t ciphers_offered, weak_offered; /* suites offered, and how many are insecure or weak */
    bool pq_offered;                        /* a post-quantum hybrid group offered */
    bool has_sni, hrr, resumed, client_cert, certs_encrypted;
    char sni[PA_TLS_SNI_MAX];
    char alpn_offered[PA_TLS_ALPN_MAX];
    char alpn[32]; /* the server's choice */
    char ja3[33], ja3s[33], ja4[40];
    /* the ClientHello's lists in order, GREASE left out (the first entries of longer lists) */
    uint16_t hello_ciphers[48], hello_exts[32], hello_groups[16], hello_sigalgs[24], hello_shares[4];
    uint8_t n_ciphers, n_exts, n_groups, n_sigalgs, n_shares;
    uint8_t outcome;    /* pa_tls_outcome, set when the connection ends */
    bool quic;          /* a QUIC connection as the TLS reports show it (stream is then udp.stream) */
    int8_t sni_match;   /* 1 the leaf certificate covers the SNI, 0 not, -1 unknown */
    bool chain_ordered; /* each certificate was issued by the next one */
    uint8_t nchain;
    int32_t chain[PA_TLS_CHAIN_MAX]; /* indexes into the certificate table; -1 beyond it */
    uint8_t nalerts;
    uint16_t alerts_total;
    pa_tls_alert alerts[PA_TLS_CONN_ALERTS];
} pa_tls_conn;

typedef struct pa_tls_cert_entry {
    pa_cert c;
    uint8_t fp[32]; /* SHA-256 of the DER */
    uint64_t first_frame;
    int64_t first_ts;
    uint32_t seen;               /* Certificate messages carrying it */
    bool as_leaf, as_client;     /* seen first in a chain; sent by a client */
    bool expired, not_yet_valid; /* at the time it was first seen */
    bool sni_mismatch;           /* sent as leaf for an SNI it does not cover */
    char first_sni[128];         /* SNI of the first connection it was the leaf of */
    /* remembered checks (servers send the same chain to every client) */
    int32_t issuer_checked; /* index + 1 of the next certificate checked as its issuer */
    bool issuer_ok, host_checked;
    int8_t host_match; /* for checked_host: 1 covered, 0 not, -1 unreadable */
    char checked_host[PA_TLS_SNI_MAX];
    pa_x509 *x509; /* decoded, for those checks; NULL after the pass */
    pa_addr server;
    uint16_t sport;
} pa_tls_cert_entry;

typedef struct pa_tls_count {
    uint16_t code;
    uint64_t n;
} pa_tls_count;

typedef struct pa_tls_counts {
    pa_tls_count v[PA_TLS_COUNTS_MAX];
    uint16_t n;
    uint64_t other; /* beyond PA_TLS_COUNTS_MAX distinct codes */
} pa_tls_counts;

/* Per-frame TLS facts for display filters: a record ends (value: its
 * version), a handshake message in clear (its type), a hello's version
 * field, the SNI (text), a cipher suite offered or chosen, an alert record
 * (level << 8 | description in clear; 0x10000 when encrypted); and a
 * record's first header byte (the protocol hierarchy's frames). */
typedef enum {
    PA_TLS_EV_RECORD,
    PA_TLS_EV_RECORD_START,
    PA_TLS_EV_HANDSHAKE,
    PA_TLS_EV_HELLO_VERSION,
    PA_TLS_EV_SNI,
    PA_TLS_EV_CIPHER,
    PA_TLS_EV_ALERT,
} pa_tls_event;

typedef struct pa_tls_stats {
    uint64_t connections, client_hellos, server_hellos, hrr, resumed, renegotiations;
    uint64_t outcome[PA_TLS_OUT_COUNT];
    uint64_t records, parse_errors, gaps, oversized_handshakes;
    uint64_t streams_capped; /* directions that reached PA_TLS_STREAM_CAP */
    uint64_t alerts, alerts_encrypted;
    uint64_t alert_count[3][256]; /* [level: 0 other, 1 warning, 2 fatal][description] */
    uint64_t cert_messages, certs_encrypted_conns, certs_unparsed;
    pa_tls_counts offered_ciphers, chosen_ciphers, offered_groups, key_share_groups, chosen_groups, offered_versions,
        chosen_versions, offered_exts, offered_sigalgs;
    pa_tls_conn *conns; /* ordered by first frame after pa_tls_sort */
    size_t nconns, conncap;
    uint64_t conns_dropped;
    pa_tls_cert_entry *certs;
    size_t ncerts, certcap;
    int32_t *cert_index; /* open addressing over fp, 2 * PA_TLS_MAX_CERTS slots */
    uint64_t certs_dropped;
    /* told of each connection as it ends (during the pass only; tests) */
    void (*on_conn)(void *ud, const pa_tls_conn *c);
    void *on_conn_ud;
    pa_expert *ex; /* expert information (may be NULL) */
    /* told of what each frame carries, as it is parsed (display filters) */
    void (*on_event)(void *ud, uint64_t frame, pa_tls_event ev, uint32_t value, const char *text);
    void *on_event_ud;
    /* a display filter's transactions (NULL: none): a connection, keyed by
     * its first frame with TLS bytes; one not kept is not parsed at all */
    pa_txkeep *keep;
} pa_tls_stats;

typedef struct pa_tls_flow pa_tls_flow; /* per connection, owned by its flow */

/* Whether a payload starts a TLS handshake (a ClientHello record), for
 * TLS that starts later in a connection (STARTTLS) or on any port. */
bool pa_tls_starts_handshake(const uint8_t *d, size_t n);

/* Feeds one TCP segment (with or without payload) of a connection carrying
 * TLS; from is the flow key side that sent it; tcp: the connection's TCP
 * analysis (where each direction's data starts) when TLS is its first
 * payload, NULL when it turned to TLS later (STARTTLS: both directions then
 * start at their next segment). */
void pa_tls_segment(pa_tls_stats *st, pa_tls_flow **tp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                    uint32_t stream);
/* End of the connection (flow retired, or the capture ended): decides the
 * outcome and keeps the connection for listings. */
void pa_tls_finish_flow(pa_tls_stats *st, pa_tls_flow *t);
void pa_tls_free_flow(pa_tls_flow *t);
/* Whether bytes are held behind a hole in either direction (NULL: no). */
bool pa_tls_holds_data(const pa_tls_flow *t);
/* End of the pass: connections in frame order, decoded certificates dropped. */
void pa_tls_finish(pa_tls_stats *st);
void pa_tls_stats_free(pa_tls_stats *st);

#endif
