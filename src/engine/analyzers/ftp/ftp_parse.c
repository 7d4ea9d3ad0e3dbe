#include "ftp_parse.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cursor.h"

static bool is_alpha(uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

/* Verbs that name FTP. Sorted, for bsearch. */
static const char *const verbs[] = {
    "ABOR", "ACCT", "ADAT", "ALLO", "APPE", "AUTH", "AVBL", "CCC",  "CDUP", "CLNT", "CONF", "CSID", "CWD",
    "DELE", "DSIZ", "ENC",  "EPRT", "EPSV", "FEAT", "HASH", "HELP", "HOST", "LANG", "LIST", "LPRT", "LPSV",
    "MDTM", "MFCT", "MFF",  "MFMT", "MIC",  "MKD",  "MLSD", "MLST", "MODE", "NLST", "NOOP", "OPTS", "PASS",
    "PASV", "PBSZ", "PORT", "PROT", "PWD",  "QUIT", "REIN", "REST", "RETR", "RMD",  "RMDA", "RNFR", "RNTO",
    "SITE", "SIZE", "SMNT", "SPSV", "STAT", "STOR", "STOU", "STRU", "SYST", "THMB", "TYPE", "USER", "XCUP",
    "XCWD", "XMKD", "XPWD", "XRCP", "XRMD", "XRSQ", "XSEM", "XSEN"};

static int cmp_verb(const void *a, const void *b) { return strcmp(a, *(const char *const *)b); }

bool pa_ftp_known_verb(const char *verb) {
    return bsearch(verb, verbs, sizeof verbs / sizeof verbs[0], sizeof verbs[0], cmp_verb) != NULL;
}

bool pa_ftp_parse_command(const uint8_t *line, size_t n, pa_ftp_command *out) {
    pa_cur c = pa_cur_make(line, n);
    size_t k = 0;
    uint8_t ch;
    while (pa_cur_peek_u8(&c, 0, &ch) && is_alpha(ch) && k < 5) {
        if (!pa_cur_skip(&c, 1)) return false;
        out->verb[k++] = (char)(ch >= 'a' ? ch - 'a' + 'A' : ch);
    }
    if (k < 3 || k > 4) return false;
    out->verb[k] = '\0';
    /* the verb ends the line or is followed by a space */
    if (pa_cur_peek_u8(&c, 0, &ch) && ch != ' ') return false;
    while (pa_cur_peek_u8(&c, 0, &ch) && ch == ' ')
        if (!pa_cur_skip(&c, 1)) return false;
    out->arg = c.p;
    out->arg_len = c.len;
    return true;
}

int pa_ftp_reply_code(const uint8_t *line, size_t n, bool *more) {
    pa_cur c = pa_cur_make(line, n);
    uint8_t d[3], sep = 0;
    for (int i = 0; i < 3; i++)
        if (!pa_cur_u8(&c, &d[i]) || !is_digit(d[i])) return -1;
    if (d[0] < '1' || d[0] > '5') return -1;
    bool has_sep = pa_cur_u8(&c, &sep);
    if (has_sep && sep != ' ' && sep != '-') return -1;
    *more = has_sep && sep == '-';
    return (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
}

void pa_ftp_ws_first_line(const uint8_t *data, size_t n, bool request, pa_ftp_ws_line *out) {
    memset(out, 0, sizeof *out);
    pa_cur c = pa_cur_make(data, n);
    size_t len = 0;
    uint8_t ch;
    while (pa_cur_peek_u8(&c, len, &ch) && ch != '\r' && ch != '\n') len++;
    pa_cur_limit(&c, len);
    if (request) {
        size_t tok = 0;
        while (pa_cur_peek_u8(&c, tok, &ch) && ch != ' ') tok++;
        if (tok) {
            out->has_command = true;
            out->command = c.p;
            out->command_len = tok;
        }
        if (!pa_cur_skip(&c, tok)) return;
        while (pa_cur_peek_u8(&c, 0, &ch) && ch == ' ')
            if (!pa_cur_skip(&c, 1)) return;
    } else {
        uint8_t d0, d1, d2;
        if (pa_cur_peek_u8(&c, 0, &d0) && pa_cur_peek_u8(&c, 1, &d1) && pa_cur_peek_u8(&c, 2, &d2) && is_digit(d0) &&
            is_digit(d1) && is_digit(d2)) {
            out->has_code = true;
            out->code = (uint16_t)((d0 - '0') * 100 + (d1 - '0') * 10 + (d2 - '0'));
            /* Wireshark skips the fourth byte whatever it is */
            if (!pa_cur_skip(&c, c.len >= 4 ? 4 : c.len)) return;
        }
    }
    if (c.len) {
        out->has_arg = true;
        out->arg = c.p;
        out->arg_len = c.len;
    }
}

/* The first line of a payload, when it ends within it (LF, CR before it
 * dropped). */
static bool first_line(const uint8_t *p, size_t n, size_t *len) {
    pa_cur c = pa_cur_make(p, n);
    uint8_t ch;
    for (size_t i = 0; pa_cur_peek_u8(&c, i, &ch); i++) {
        if (ch == '\n') {
            uint8_t cr;
            *len = i && pa_cur_peek_u8(&c, i - 1, &cr) && cr == '\r' ? i - 1 : i;
            return true;
        }
        if (ch < 0x20 && ch != '\r' && ch != '\t') return false; /* binary: not a text protocol */
    }
    return false;
}

static bool has_word(const uint8_t *p, size_t n, const char *w) {
    size_t k = strlen(w);
    for (size_t i = 0; i + k <= n; i++)
        if (strncasecmp((const char *)p + i, w, k) == 0) return true;
    return false;
}

bool pa_ftp_looks_greeting(const uint8_t *p, size_t n) {
    size_t len;
    bool more;
    if (!first_line(p, n, &len) || pa_ftp_reply_code(p, len, &more) != 220 || len < 4) return false;
    /* SMTP servers greet with 220 too, and almost always say so */
    return !has_word(p, len, "SMTP") && !has_word(p, len, "Postfix") && !has_word(p, len, "Exim") &&
           !has_word(p, len, "Sendmail");
}

bool pa_ftp_looks_client(const uint8_t *p, size_t n) {
    /* also SMTP, POP3 or IMAP commands: they do not tell FTP apart */
    static const char *const shared[] = {"AUTH", "HELP", "LIST", "NOOP", "PASS", "QUIT", "RETR", "STAT", "USER"};
    size_t len;
    pa_ftp_command cmd = {0}; /* gcc -O3 cannot see that the parser fills it */
    if (!first_line(p, n, &len) || !pa_ftp_parse_command(p, len, &cmd) || !pa_ftp_known_verb(cmd.verb)) return false;
    /* upper case only: a client library writes verbs as the RFC does */
    for (size_t i = 0; i < strlen(cmd.verb); i++)
        if (p[i] != (uint8_t)cmd.verb[i]) return false;
    for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++)
        if (strcmp(cmd.verb, shared[i]) == 0) return false;
    return true;
}
