/* POP3 sessions over TCP byte streams (RFC 1939, AUTH of RFC 5034, STLS and
 * CAPA of RFC 2449): lines reassembled per direction (capped), each
 * command paired in order with its status line (+OK or -ERR; a "+ "
 * continuation answers an AUTH step), the multi-line answers of RETR, TOP,
 * LIST, UIDL and CAPA read to their "." line (RETR sizes), logins (USER/
 * PASS, APOP, AUTH) with their outcome, and STLS (after its +OK the TLS
 * analyzer holds the connection). Passwords are never kept. */
#ifndef PA_POP_TRACK_H
#define PA_POP_TRACK_H

#include "htab.h"
#include "line_stream.h"
#include "packet.h"
#include "tcp_analysis.h"
#include "text_session.h"
#include "txkeep.h"

#define PA_POP_MAX_TX 20000                     /* command -> reply pairs kept for listings */
#define PA_POP_PENDING 32                       /* commands awaiting their reply, per connection */
#define PA_POP_LINE_MAX 4096                    /* longest line parsed */
#define PA_POP_ARG_MAX 64                       /* argument kept per command (PASS, APOP, AUTH data: never) */
#define PA_POP_STREAM_CAP (64ull * 1024 * 1024) /* bytes parsed per direction */
#define PA_POP_MAX_PAIRS 4096                   /* per client-server login figures */
#define PA_POP_USER_MAX 48
#define PA_POP_VIEW_ARG 128

typedef struct pa_pop_tx {
    uint64_t cmd_frame, reply_frame; /* reply_frame: its status line; 0 = none */
    uint64_t end_frame;              /* a multi-line answer's "." line (else the status line) */
    int64_t cmd_ts, rt_ns;           /* rt_ns: command -> status line; -1 unanswered */
    pa_addr client, server;
    uint16_t cport, sport;
    int8_t ok;           /* 1 +OK, 0 -ERR, 2 continuation ("+ "), -1 none */
    bool auth_data;      /* a line of an AUTH exchange, not a command */
    uint64_t data_bytes; /* a multi-line answer's lines after the status line */
    char verb[8];
    char arg[PA_POP_ARG_MAX];
} pa_pop_tx;

typedef struct pa_pop_stats {
    uint64_t sessions, commands, replies, ok, err, continuations, unanswered, orphan_replies, greetings;
    uint64_t retr, retr_bytes, multi_lines;
    uint64_t stls, stls_ok;
    uint64_t logins_ok, logins_failed, login_user_pass, login_apop, login_auth;
    uint64_t bad_lines, long_lines, gaps, streams_capped, pending_dropped;
    pa_pop_tx *tx;
    size_t ntx, cap;
    uint64_t tx_dropped;
    pa_htab pairs; /* pa_login_pair */
    uint64_t pairs_overflow;
    pa_txkeep *keep;
} pa_pop_stats;

/* What Wireshark's POP dissector shows of one frame: its first line. */
typedef struct pa_pop_frame {
    bool present, request, has_command, has_param, has_indicator, has_desc;
    char command[PA_POP_VIEW_ARG], param[PA_POP_VIEW_ARG];
    char indicator[8], desc[PA_POP_VIEW_ARG];
} pa_pop_frame;

typedef struct pa_pop_flow pa_pop_flow;

/* The look of POP's port registration (110): a status line or a command. */
bool pa_pop_look(const pa_packet *p);
/* A status line: 1 "+OK", 0 "-ERR", 2 a continuation "+ " (or "+" alone), -1 none. */
int pa_pop_status(const uint8_t *line, size_t n);

int pa_pop_init(pa_pop_stats *st);
void pa_pop_stats_free(pa_pop_stats *st);
void pa_pop_segment(pa_pop_stats *st, pa_pop_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                    pa_pop_frame *frame);
bool pa_pop_is_tls(const pa_pop_flow *f);
bool pa_pop_holds_data(const pa_pop_flow *f);
void pa_pop_finish_flow(pa_pop_stats *st, pa_pop_flow *f);
void pa_pop_finish(pa_pop_stats *st);
void pa_pop_free_flow(pa_pop_flow *f);

#endif
