/* SMTP lines (RFC 5321 and its extensions: AUTH of RFC 4954, STARTTLS of
 * RFC 3207, CHUNKING's BDAT of RFC 3030): commands from the client, replies
 * from the server, each one line without its line ending. Pure functions,
 * unit-tested and fuzzed alone; the session (multi-line replies, DATA, AUTH
 * exchanges, pairing) is in smtp_track.c. */
#ifndef PA_SMTP_PARSE_H
#define PA_SMTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

#define PA_SMTP_VERB_MAX 12 /* "STARTTLS" and the like; longer words are no command */

/* A command line: a verb of letters (kept upper-case), then its parameter
 * after the spaces (borrowed from the line). */
typedef struct pa_smtp_command {
    char verb[PA_SMTP_VERB_MAX];
    const uint8_t *arg;
    size_t arg_len;
} pa_smtp_command;

bool pa_smtp_parse_command(const uint8_t *line, size_t n, pa_smtp_command *out);

/* A reply line: three digits (2-5 first: SMTP has no 1xx), then a space, a
 * hyphen (more lines follow) or the end. Returns the code and sets *more,
 * or -1 when the line has no such code. */
int pa_smtp_reply_code(const uint8_t *line, size_t n, bool *more);

/* SASL mechanisms the reports name (RFC 4954 section 4 and the common ones). */
enum {
    PA_SMTP_MECH_OTHER,
    PA_SMTP_MECH_PLAIN,
    PA_SMTP_MECH_LOGIN,
    PA_SMTP_MECH_CRAM_MD5,
    PA_SMTP_MECH_XOAUTH2,
    PA_SMTP_MECH_COUNT
};
extern const char *const pa_smtp_mech_names[PA_SMTP_MECH_COUNT];
int pa_smtp_mechanism(const uint8_t *arg, size_t n, const uint8_t **rest, size_t *rest_len);

/* The look of SMTP's port registrations (25, 587): tshark names SMTP by
 * those ports only, so a reply code or a command word there is enough. */
bool pa_smtp_look(const pa_packet *p);

#endif
