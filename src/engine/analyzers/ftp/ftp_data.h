/* FTP data connections (ftp-data): the control channel announces each one
 * (a 227 or 229 reply, a PORT or EPRT command), as Wireshark's FTP
 * dissector sets up a conversation for it; a TCP segment of a connection
 * that matches the latest announcement is ftp-data, linked to the request
 * line that followed the announcement (RETR file, LIST, STOR file ...) and
 * the working directory of the session then. Per transfer: frames, bytes,
 * first and last frame, and the final reply to its command (226, 426,
 * 451 ...). Every table is bounded. */
#ifndef PA_FTP_DATA_H
#define PA_FTP_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "htab.h"
#include "packet.h"

#define PA_FTP_MAX_TRANSFERS 8192 /* data connections announced and kept */
#define PA_FTP_MAX_EXPECT 8192    /* announced endpoints looked up */
#define PA_FTP_CWD_MAX 256        /* working directory kept (cut to fit) */
#define PA_FTP_DCMD_MAX 160       /* request line kept per transfer (cut to fit) */

typedef struct pa_ftp_transfer {
    uint64_t setup_frame;   /* the reply or command that announced it */
    uint64_t command_frame; /* the first request line after that; 0 = none */
    uint64_t first_frame, last_frame, frames, bytes;
    uint64_t bytes_from_server, bytes_from_client; /* by the control channel's server address */
    int64_t first_ts, last_ts;
    uint64_t close_frame; /* the final reply to its command; 0 = none */
    uint16_t close_code;
    pa_addr client, server; /* the control connection */
    uint16_t cport, sport;
    int64_t data_stream;  /* tcp.stream of the first data segment; -1 none */
    int64_t seq_stream;   /* the connection next_seq follows */
    uint32_t next_seq[2]; /* highest segment end seen, from the client [0] and the server [1] */
    bool seq_known[2];
    char method[8]; /* PASV, EPASV, PORT, EPRT: as Wireshark's ftp-data.setup-method */
    char command[PA_FTP_DCMD_MAX];
    char cwd[PA_FTP_CWD_MAX];
} pa_ftp_transfer;

/* An announced endpoint: Wireshark's conversation with its second port a
 * wildcard, so (addr_a, port_a) and the other address. */
typedef struct pa_ftp_expect {
    pa_addr a, b; /* key */
    uint8_t pad;
    uint16_t port_a;   /* key */
    uint32_t transfer; /* index in transfers; UINT32_MAX: not kept */
    /* EPRT: Wireshark 4.0 links no conversation (its key never matches a
     * connection), so only its port-20 registration names the data: from
     * the server's port 20 only, and without the ftp-data.* links */
    bool eprt;
    /* The first connection that matches takes it (Wireshark then fixes the
     * wildcard port of the conversation): its port on the b side. */
    bool bound;
    uint16_t port_b;
} pa_ftp_expect;

typedef struct pa_ftp_data_stats {
    pa_ftp_transfer *t;
    size_t n, cap;
    uint64_t transfers_dropped; /* announcements beyond PA_FTP_MAX_TRANSFERS */
    pa_htab expect;             /* pa_ftp_expect */
    uint64_t expect_overflow;   /* announcements beyond PA_FTP_MAX_EXPECT: not followed */
    uint64_t frames, bytes;     /* ftp-data frames and their payload bytes */
} pa_ftp_data_stats;

/* The control session's part: its working directory as Wireshark keeps it,
 * its last request line and the transfer waiting for a command. */
typedef struct pa_ftp_ctl {
    char cwd[PA_FTP_CWD_MAX];
    char last[PA_FTP_DCMD_MAX];
    uint32_t pending;     /* transfer awaiting its command; UINT32_MAX none */
    uint32_t last_opened; /* transfer whose command is the last one; UINT32_MAX none */
    uint64_t last_opened_cmd;
} pa_ftp_ctl;

/* What a frame of a data connection shows (ftp-data.*). */
typedef struct pa_ftp_data_view {
    bool present;
    bool has_command;
    uint64_t setup_frame, command_frame;
    char method[8];
    char command[PA_FTP_DCMD_MAX];
    char cwd[PA_FTP_CWD_MAX];
} pa_ftp_data_view;

/* The control connection an announcement or a reply comes from. */
typedef struct pa_ftp_ctl_ends {
    pa_addr client, server;
    uint16_t cport, sport;
    bool from_client; /* the line came from the client */
} pa_ftp_ctl_ends;

int pa_ftp_data_init(pa_ftp_data_stats *d);
void pa_ftp_data_free(pa_ftp_data_stats *d);
void pa_ftp_ctl_init(pa_ftp_ctl *c);
/* A request line (without its line end) completed in frame. */
void pa_ftp_data_request(pa_ftp_data_stats *d, pa_ftp_ctl *c, const pa_ftp_ctl_ends *e, const uint8_t *line, size_t n,
                         uint64_t frame);
/* A reply line that starts with a code, completed in frame. */
void pa_ftp_data_reply(pa_ftp_data_stats *d, pa_ftp_ctl *c, const pa_ftp_ctl_ends *e, int code, const uint8_t *line,
                       size_t n, uint64_t frame);
/* The final reply to the command of cmd_frame. */
void pa_ftp_data_final(pa_ftp_data_stats *d, pa_ftp_ctl *c, uint64_t cmd_frame, int code, uint64_t frame);
/* A TCP segment with payload of an announced data connection: its name
 * (PA_P_FTP_DATA, counted and view filled when not NULL; PA_P_DATA when
 * all its bytes were seen before, which Wireshark's TCP hands no
 * dissector), or PA_P_NONE when it is no such segment. */
uint8_t pa_ftp_data_packet(pa_ftp_data_stats *d, const pa_packet *p, int64_t stream, pa_ftp_data_view *view);

/* A transfer's duration, first to last data frame, in milliseconds rounded
 * as Wireshark's ftp.command-response.duration, and its rate in kbit/s as
 * ftp.command-response.bitrate (both meaningful from two frames on). */
int64_t pa_ftp_transfer_ms(const pa_ftp_transfer *t);
uint64_t pa_ftp_transfer_kbps(const pa_ftp_transfer *t);

/* Parsers of the announcements, as Wireshark reads them (pure; fuzzed). */
bool pa_ftp_parse_pasv(const uint8_t *s, size_t n, uint8_t ip[4], uint16_t *port);
bool pa_ftp_parse_epsv(const uint8_t *s, size_t n, uint16_t *port);
bool pa_ftp_parse_eprt(const uint8_t *s, size_t n, pa_addr *addr, uint16_t *port);
/* A 257 reply's quoted path ("" doubles a quote). */
bool pa_ftp_parse_pwd(const uint8_t *s, size_t n, char *out, size_t size);
/* Wireshark's working directory after a successful CWD arg (absolute: the
 * new one; relative: appended, then "." and ".." resolved). */
void pa_ftp_cwd_apply(char *cwd, size_t size, const char *arg);

#endif
