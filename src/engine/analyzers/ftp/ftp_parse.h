/* FTP control-channel lines (RFC 959 and its extensions): commands from the
 * client, replies from the server. Pure functions over one line (without its
 * line ending), so they can be unit-tested and fuzzed alone; the connection
 * state (multi-line replies, pairing) is in ftp_track.c. */
#ifndef PA_FTP_PARSE_H
#define PA_FTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_FTP_CMD_MAX 8 /* "XMKD" and the like: 3-4 letters, room for the NUL */

/* One command line: "RETR file.txt". The verb is 3 or 4 ASCII letters
 * (RFC 959 section 5.3.1), case-insensitive, kept upper-case; the argument
 * is what follows the spaces after it (borrowed from the line). */
typedef struct pa_ftp_command {
    char verb[PA_FTP_CMD_MAX];
    const uint8_t *arg;
    size_t arg_len;
} pa_ftp_command;

bool pa_ftp_parse_command(const uint8_t *line, size_t n, pa_ftp_command *out);
/* A verb of RFC 959, 2228, 2389, 2428, 2640, 3659, 7151 or a common
 * extension (the X* aliases of RFC 775, CLNT, ...). */
bool pa_ftp_known_verb(const char *verb);

/* A reply line starts with a code of three digits, the first 1-5: "123 text"
 * ends a reply (or is all of it), "123-text" starts a multi-line one, and a
 * line of the three digits alone is a whole reply too. Returns the code
 * and sets *more (the hyphen), or -1 when the line has no such code (text
 * inside a multi-line reply). */
int pa_ftp_reply_code(const uint8_t *line, size_t n, bool *more);

/* How Wireshark's FTP dissector shows the first line of a segment: a
 * request's first token and the rest after its spaces; a response's code
 * (three digits, whatever follows) and the text from the fifth byte, or the
 * whole line as text when it has no code. The line ends at the first CR or
 * LF, or at the end of the segment. */
typedef struct pa_ftp_ws_line {
    bool has_command, has_code, has_arg;
    uint16_t code;
    const uint8_t *command, *arg; /* borrowed */
    size_t command_len, arg_len;
} pa_ftp_ws_line;

void pa_ftp_ws_first_line(const uint8_t *data, size_t n, bool request, pa_ftp_ws_line *out);

/* Payload heuristics for naming a flow FTP by its bytes, never its port: a
 * server's greeting ("220 " or "220-" and a line end, not an SMTP one), or
 * a client's first line being a known command that no other cleartext login
 * protocol (SMTP, POP3, IMAP) also uses. */
bool pa_ftp_looks_greeting(const uint8_t *p, size_t n);
bool pa_ftp_looks_client(const uint8_t *p, size_t n);

#endif
