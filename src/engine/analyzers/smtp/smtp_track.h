/* SMTP sessions over TCP byte streams: lines reassembled per direction
 * (capped), commands paired in order with their replies (multi-line
 * replies joined; PIPELINING queues several), the message after DATA up
 * to its "." line, AUTH exchanges with their mechanism and outcome, and
 * STARTTLS (after its 220 the TLS analyzer holds the connection).
 * Passwords are never kept. Every table is bounded. */
#ifndef PA_SMTP_TRACK_H
#define PA_SMTP_TRACK_H

#include "expert.h"
#include "htab.h"
#include "line_stream.h"
#include "packet.h"
#include "smtp_parse.h"
#include "tcp_analysis.h"
#include "text_session.h"
#include "txkeep.h"

#define PA_SMTP_MAX_TX 20000                     /* command -> reply pairs kept for listings */
#define PA_SMTP_PENDING 32                       /* commands awaiting their reply, per connection */
#define PA_SMTP_LINE_MAX 4096                    /* longest line parsed; the rest of a longer one is skipped */
#define PA_SMTP_ARG_MAX 96                       /* parameter kept per command (AUTH data: never) */
#define PA_SMTP_STREAM_CAP (64ull * 1024 * 1024) /* bytes parsed per direction */
#define PA_SMTP_MAX_CLIENTS 4096                 /* per client-server authentication figures */
#define PA_SMTP_USER_MAX 48
#define PA_SMTP_VIEW 24 /* lines of one frame shown to display filters */
#define PA_SMTP_VIEW_ARG 128

/* What a transaction's request was. */
enum { PA_SMTP_REQ_COMMAND, PA_SMTP_REQ_AUTH_DATA, PA_SMTP_REQ_MESSAGE };

typedef struct pa_smtp_tx {
    uint64_t cmd_frame;    /* the frame that completed the request line */
    uint64_t reply_frame;  /* the frame that completed the reply; 0 = none */
    int64_t cmd_ts, rt_ns; /* rt_ns: request -> reply; -1 unanswered */
    pa_addr client, server;
    uint16_t cport, sport;
    uint16_t code;
    uint8_t kind;           /* PA_SMTP_REQ_* */
    uint64_t message_bytes; /* PA_SMTP_REQ_MESSAGE: the message's size, dot-stuffing included */
    char verb[PA_SMTP_VERB_MAX];
    char arg[PA_SMTP_ARG_MAX]; /* cut to fit; AUTH keeps its mechanism only */
} pa_smtp_tx;

typedef struct pa_smtp_stats {
    uint64_t sessions, commands, replies, unanswered, orphan_replies, greetings;
    uint64_t reply_class[6];
    uint64_t reply_code[600];
    uint64_t messages, message_bytes, recipients;
    uint64_t starttls, starttls_ok;
    uint64_t auth_attempts[PA_SMTP_MECH_COUNT], auth_ok, auth_failed;
    uint64_t bad_lines, long_lines, gaps, streams_capped, pending_dropped;
    /* commands by verb: the common ones, then the rest */
    uint64_t ehlo, helo, mail, rcpt, data, bdat, rset, quit, auth, other_verbs;
    pa_smtp_tx *tx; /* in completion order; sorted by request frame at the end */
    size_t ntx, cap;
    uint64_t tx_dropped;
    pa_htab auths; /* pa_login_pair */
    uint64_t auths_overflow;
    pa_txkeep *keep; /* a display filter's transactions, or NULL */
    pa_expert *ex;   /* where expert messages go, or NULL */
} pa_smtp_stats;

/* What Wireshark's SMTP dissector shows of one frame. */
typedef struct pa_smtp_frame {
    bool present; /* the frame carried SMTP (a line ended, a reply, a piece of a message) */
    bool request;
    bool has_user, has_pass, has_user_pass;
    bool message; /* it carried bytes of a message (DATA fragments: no smtp.req) */
    uint8_t ncmd, ncode, nrsp;
    char cmd[PA_SMTP_VIEW][8];
    char param[PA_SMTP_VIEW][PA_SMTP_VIEW_ARG];
    bool has_param[PA_SMTP_VIEW];
    uint16_t code;
    char rsp[PA_SMTP_VIEW][PA_SMTP_VIEW_ARG];
    char user[PA_SMTP_VIEW_ARG], pass[PA_SMTP_VIEW_ARG]; /* user also holds AUTH PLAIN's message */
} pa_smtp_frame;

typedef struct pa_smtp_flow pa_smtp_flow;

int pa_smtp_init(pa_smtp_stats *st);
void pa_smtp_stats_free(pa_smtp_stats *st);
void pa_smtp_free_flow(pa_smtp_flow *f);
bool pa_smtp_holds_data(const pa_smtp_flow *f);
/* Whether the connection turned to TLS (STARTTLS answered 220). */
bool pa_smtp_is_tls(const pa_smtp_flow *f);
/* Feeds one TCP segment (*fp created on first use). from: the flow key side
 * that sent it; tcp: where each direction's data starts, or NULL; frame:
 * filled as Wireshark shows it (may be NULL). */
void pa_smtp_segment(pa_smtp_stats *st, pa_smtp_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                     pa_smtp_frame *frame);
void pa_smtp_finish_flow(pa_smtp_stats *st, pa_smtp_flow *f);
void pa_smtp_finish(pa_smtp_stats *st);

#endif
