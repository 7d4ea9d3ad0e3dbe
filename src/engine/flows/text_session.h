/* What the line-based mail trackers (SMTP, POP3, IMAP) share: both
 * directions' line readers opened at once, the two ends of a session once
 * a line tells which side is the client, transaction lists with a cap,
 * printable copies of what goes into reports, and login outcomes per
 * client-server pair. */
#ifndef PA_TEXT_SESSION_H
#define PA_TEXT_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "htab.h"
#include "line_stream.h"
#include "packet.h"
#include "tcp_analysis.h"

#define PA_LOGIN_USER_MAX 48

/* Both directions (max: longest line kept; depth_cap: bytes read per direction). */
void pa_lines_open(pa_lines_dir dir[2], uint32_t max, uint64_t depth_cap, const pa_tcp_state *tcp);

typedef struct pa_session_ends {
    pa_addr client, server;
    uint16_t cport, sport;
} pa_session_ends;

/* The ends, from a packet sent by side when client_side sends commands. */
void pa_session_ends_set(pa_session_ends *e, const pa_packet *p, int side, int client_side);

/* Printable ASCII, cut to fit ('?' for other bytes): names go into reports. */
void pa_text_copy(char *dst, size_t size, const uint8_t *src, size_t n);

/* Appends rec (elem bytes) to a growing array of at most max; false when
 * the cap or memory refused it. */
bool pa_tx_append(void **arr, size_t *n, size_t *cap, size_t elem, size_t max, const void *rec);
/* qsort order of records that start with a uint64_t (the request's frame). */
int pa_cmp_first_u64(const void *a, const void *b);

/* Login outcomes of one client with one server (the key: both addresses
 * and the server's port). */
typedef struct pa_login_pair {
    pa_addr client, server;
    uint16_t port;
    uint64_t failed, ok, first_failed_frame;
    char user[PA_LOGIN_USER_MAX]; /* the identity of the last failure, cut to fit */
} pa_login_pair;

int pa_login_table_init(pa_htab *t, size_t cap);
/* One outcome; false when the table is full (the caller counts it). */
bool pa_login_note(pa_htab *t, const pa_session_ends *e, bool ok, uint64_t frame, const char *user);

#endif
