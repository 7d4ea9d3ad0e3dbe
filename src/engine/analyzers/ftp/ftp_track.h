/* The FTP control channel over TCP byte streams: commands and replies cut
 * into lines (multi-line replies joined), each final reply (2xx-5xx) paired
 * with the oldest command still waiting (1xx replies are preliminary),
 * giving command -> reply times; reply codes, logins and their failures per
 * client and server. Passwords are never kept. Every table is bounded. */
#ifndef PA_FTP_TRACK_H
#define PA_FTP_TRACK_H

#include "ftp_data.h"
#include "ftp_parse.h"
#include "htab.h"
#include "packet.h"
#include "tcp_analysis.h"
#include "tcp_stream.h"
#include "txkeep.h"

#define PA_FTP_MAX_TX 20000                     /* command -> reply pairs kept for listings */
#define PA_FTP_PENDING 16                       /* commands awaiting their reply, per connection */
#define PA_FTP_LINE_MAX 2048                    /* longest line parsed; the rest of a longer one is skipped */
#define PA_FTP_ARG_MAX 96                       /* argument kept per command (PASS: never) */
#define PA_FTP_STREAM_CAP (16ull * 1024 * 1024) /* control bytes parsed per direction */
#define PA_FTP_MAX_VERBS 64                     /* distinct command verbs counted */
#define PA_FTP_MAX_SERVERS 1024                 /* per-server figures */
#define PA_FTP_MAX_LOGIN_PAIRS 4096             /* per client-server login figures */
#define PA_FTP_USER_MAX 48

typedef struct pa_ftp_tx {
    uint64_t cmd_frame;         /* the frame that completed the command line */
    uint64_t reply_frame;       /* the frame that completed the final reply; 0 = none */
    uint64_t reply_start_frame; /* the frame where that reply's first line began */
    uint64_t prelim_frame;      /* the first 1xx reply to it; 0 = none */
    int64_t cmd_ts, rt_ns;      /* rt_ns: command -> final reply; -1 unanswered */
    int64_t prelim_ns;          /* command -> first 1xx; -1 none */
    pa_addr client, server;
    uint16_t cport, sport;
    uint16_t code, prelim_code;
    char verb[PA_FTP_CMD_MAX];
    char arg[PA_FTP_ARG_MAX]; /* cut to fit; empty for PASS */
} pa_ftp_tx;

typedef struct pa_ftp_verb_count {
    char verb[PA_FTP_CMD_MAX];
    uint64_t count;
} pa_ftp_verb_count;

typedef struct pa_ftp_server {
    pa_addr addr; /* key: address and port */
    uint8_t pad;
    uint16_t port;
    uint64_t sessions, commands, replies, unanswered;
    uint64_t logins_ok, logins_failed;
    uint64_t reply_class[6]; /* 1xx .. 5xx */
} pa_ftp_server;

typedef struct pa_ftp_login_pair {
    pa_addr client, server; /* key: client, server and port */
    uint16_t port;
    uint64_t failed, ok;
    uint64_t first_failed_frame;
    char user[PA_FTP_USER_MAX]; /* the last USER name tried (cut to fit) */
} pa_ftp_login_pair;

typedef struct pa_ftp_stats {
    uint64_t sessions; /* connections parsed as FTP */
    uint64_t commands, replies, preliminary, unanswered;
    uint64_t orphan_replies; /* final replies with no command waiting (greetings are not) */
    uint64_t greetings;
    uint64_t reply_class[6];  /* 1xx .. 5xx, every reply */
    uint64_t reply_code[600]; /* per code 100-599, every reply */
    uint64_t bad_lines;       /* client lines that are no command, server lines outside a reply */
    uint64_t long_lines;      /* lines cut at PA_FTP_LINE_MAX */
    uint64_t gaps, streams_capped, pending_dropped;
    uint64_t logins_ok, logins_failed;
    pa_ftp_verb_count verbs[PA_FTP_MAX_VERBS];
    size_t nverbs;
    uint64_t verbs_overflow; /* commands whose verb did not fit the table */
    pa_ftp_tx *tx;           /* in completion order; sorted by command frame at the end */
    size_t ntx, cap;
    uint64_t tx_dropped;       /* beyond PA_FTP_MAX_TX */
    pa_htab servers;           /* pa_ftp_server */
    uint64_t servers_overflow; /* replies and commands of servers beyond the cap */
    pa_htab logins;            /* pa_ftp_login_pair */
    uint64_t logins_overflow;  /* login outcomes of pairs beyond the cap */
    /* a display filter's transactions (NULL: none): a command with its
     * preliminary and final replies, keyed by the frame that completed the
     * command; a greeting, or a reply no command waits for, by the frame
     * that completed it. A session counts once a frame carrying its bytes
     * matches. */
    pa_txkeep *keep;
    pa_ftp_data_stats data; /* the data connections (ftp_data.h) */
} pa_ftp_stats;

/* What Wireshark's FTP dissector shows of one frame: the first line of its
 * new bytes, line start or not (Wireshark does not reassemble FTP), copied
 * and cut to fit. */
typedef struct pa_ftp_frame {
    bool present; /* the frame carried FTP bytes */
    bool request;
    bool has_command, has_code, has_arg;
    uint16_t code;
    char command[32];
    char arg[256];
    pa_ftp_data_view data; /* a frame of a data connection (ftp-data.*) */
} pa_ftp_frame;

typedef struct pa_ftp_flow pa_ftp_flow; /* per connection, owned by its flow */

int pa_ftp_init(pa_ftp_stats *st);
void pa_ftp_stats_free(pa_ftp_stats *st);
void pa_ftp_free_flow(pa_ftp_flow *f);
bool pa_ftp_holds_data(const pa_ftp_flow *f);
/* Feeds one TCP segment of a connection named FTP (*fp is created on first
 * use). from: flow key side that sent it; tcp: where each direction's data
 * starts, or NULL. frame (may be NULL): filled with this frame's first line
 * as Wireshark shows it; frame->present stays false when there is none. */
void pa_ftp_segment(pa_ftp_stats *st, pa_ftp_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                    pa_ftp_frame *frame);
/* End of the connection (its flow retired or the capture ended): commands
 * still waiting are unanswered. */
void pa_ftp_finish_flow(pa_ftp_stats *st, pa_ftp_flow *f);
/* End of the pass: the pairs sorted by command frame. */
void pa_ftp_finish(pa_ftp_stats *st);

#endif
