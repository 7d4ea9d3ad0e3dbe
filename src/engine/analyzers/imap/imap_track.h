/* IMAP sessions over TCP byte streams (RFC 9051, RFC 3501): lines
 * reassembled per direction (capped), literals ({n} and {n+}) taken as
 * bytes, each tagged command paired with the tagged response carrying its
 * tag (OK, NO or BAD; untagged and continuation lines in between), LOGIN
 * and AUTHENTICATE with their outcome, and STARTTLS (after its OK the TLS
 * analyzer holds the connection). Passwords are never kept. */
#ifndef PA_IMAP_TRACK_H
#define PA_IMAP_TRACK_H

#include "htab.h"
#include "line_stream.h"
#include "packet.h"
#include "tcp_analysis.h"
#include "text_session.h"
#include "txkeep.h"

#define PA_IMAP_MAX_TX 20000  /* command -> tagged response pairs kept for listings */
#define PA_IMAP_PENDING 64    /* commands awaiting their response, per connection */
#define PA_IMAP_LINE_MAX 8192 /* longest line parsed */
#define PA_IMAP_TAG_MAX 24    /* tag kept per command (longer tags are cut) */
#define PA_IMAP_VERB_MAX 16
#define PA_IMAP_ARG_MAX 64                       /* arguments kept per command (LOGIN, AUTHENTICATE: never) */
#define PA_IMAP_STREAM_CAP (64ull * 1024 * 1024) /* bytes parsed per direction */
#define PA_IMAP_MAX_PAIRS 4096                   /* per client-server login figures */
#define PA_IMAP_USER_MAX 48
#define PA_IMAP_VIEW 8 /* lines of one frame shown to display filters */
#define PA_IMAP_VIEW_ARG 96

enum { PA_IMAP_OK, PA_IMAP_NO, PA_IMAP_BAD, PA_IMAP_NONE };

typedef struct pa_imap_tx {
    uint64_t cmd_frame, reply_frame; /* reply_frame: the tagged response; 0 = none */
    int64_t cmd_ts, rt_ns;           /* rt_ns: command -> tagged response; -1 unanswered */
    pa_addr client, server;
    uint16_t cport, sport;
    uint8_t status;         /* PA_IMAP_* */
    uint32_t untagged;      /* untagged lines while it waited */
    uint64_t literal_bytes; /* literals the server sent while it waited (FETCH bodies) */
    char tag[PA_IMAP_TAG_MAX];
    char verb[PA_IMAP_VERB_MAX];
    char arg[PA_IMAP_ARG_MAX];
} pa_imap_tx;

typedef struct pa_imap_stats {
    uint64_t sessions, commands, responses, status[3], untagged, continuations, unanswered, orphan_responses;
    uint64_t greetings, byes, literal_bytes;
    uint64_t starttls, starttls_ok, logins_ok, logins_failed, login_plain, login_authenticate;
    uint64_t bad_lines, long_lines, gaps, streams_capped, pending_dropped;
    pa_imap_tx *tx;
    size_t ntx, cap;
    uint64_t tx_dropped;
    pa_htab pairs; /* pa_login_pair */
    uint64_t pairs_overflow;
    pa_txkeep *keep;
} pa_imap_stats;

/* What Wireshark's IMAP dissector shows of one frame: per line, its
 * first three words. */
typedef struct pa_imap_line_view {
    char w[3][PA_IMAP_VIEW_ARG];
    uint8_t nw;
    bool user, folder; /* w[2] is LOGIN's user (and w[3]'s password kept apart) or a folder */
    uint64_t response_to;
    double time;
} pa_imap_line_view;

typedef struct pa_imap_frame {
    bool present, request;
    uint8_t nlines;
    pa_imap_line_view line[PA_IMAP_VIEW];
    char password[PA_IMAP_VIEW_ARG];
    bool has_password;
} pa_imap_frame;

typedef struct pa_imap_flow pa_imap_flow;

/* The look of IMAP's port registration (143): the greeting or a tagged command. */
bool pa_imap_look(const pa_packet *p);

int pa_imap_init(pa_imap_stats *st);
void pa_imap_stats_free(pa_imap_stats *st);
void pa_imap_segment(pa_imap_stats *st, pa_imap_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                     pa_imap_frame *frame);
bool pa_imap_is_tls(const pa_imap_flow *f);
bool pa_imap_holds_data(const pa_imap_flow *f);
void pa_imap_finish_flow(pa_imap_stats *st, pa_imap_flow *f);
void pa_imap_finish(pa_imap_stats *st);
void pa_imap_free_flow(pa_imap_flow *f);

#endif
