#include "smtp_parse.h"

#include <string.h>
#include <strings.h>

#include "cursor.h"

const char *const pa_smtp_mech_names[PA_SMTP_MECH_COUNT] = {"other", "PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2"};

static bool is_alpha(uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

bool pa_smtp_parse_command(const uint8_t *line, size_t n, pa_smtp_command *out) {
    pa_cur c = pa_cur_make(line, n);
    size_t k = 0;
    uint8_t ch;
    while (pa_cur_peek_u8(&c, 0, &ch) && is_alpha(ch)) {
        if (k + 1 >= sizeof out->verb || !pa_cur_skip(&c, 1)) return false;
        out->verb[k++] = (char)(ch >= 'a' ? ch - 'a' + 'A' : ch);
    }
    if (k < 4) return false; /* every SMTP verb has four letters or more */
    out->verb[k] = '\0';
    if (pa_cur_peek_u8(&c, 0, &ch) && ch != ' ') return false;
    while (pa_cur_peek_u8(&c, 0, &ch) && ch == ' ')
        if (!pa_cur_skip(&c, 1)) return false;
    out->arg = c.p;
    out->arg_len = c.len;
    return true;
}

int pa_smtp_reply_code(const uint8_t *line, size_t n, bool *more) {
    pa_cur c = pa_cur_make(line, n);
    uint8_t d[3], sep = 0;
    for (int i = 0; i < 3; i++)
        if (!pa_cur_u8(&c, &d[i]) || !is_digit(d[i])) return -1;
    if (d[0] < '2' || d[0] > '5') return -1;
    bool has_sep = pa_cur_u8(&c, &sep);
    if (has_sep && sep != ' ' && sep != '-') return -1;
    *more = has_sep && sep == '-';
    return (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
}

int pa_smtp_mechanism(const uint8_t *arg, size_t n, const uint8_t **rest, size_t *rest_len) {
    size_t w = 0;
    while (w < n && arg[w] != ' ') w++;
    size_t r = w;
    while (r < n && arg[r] == ' ') r++;
    *rest = arg + r;
    *rest_len = n - r;
    for (int m = PA_SMTP_MECH_PLAIN; m < PA_SMTP_MECH_COUNT; m++)
        if (strlen(pa_smtp_mech_names[m]) == w && strncasecmp((const char *)arg, pa_smtp_mech_names[m], w) == 0)
            return m;
    return PA_SMTP_MECH_OTHER;
}

/* The first line, without its line end, when it ends within the payload. */
static bool first_line(const uint8_t *p, size_t n, size_t *len) {
    const uint8_t *nl = memchr(p, '\n', n < 1024 ? n : 1024);
    if (!nl) return false;
    *len = (size_t)(nl - p);
    if (*len && p[*len - 1] == '\r') (*len)--;
    return true;
}

bool pa_smtp_look(const pa_packet *p) {
    static const char *const cmds[] = {"EHLO", "HELO", "MAIL", "RCPT", "DATA", "QUIT", "STARTTLS",
                                       "AUTH", "RSET", "NOOP", "VRFY", "EXPN", "BDAT", "HELP"};
    size_t len;
    if (p->l4 != PA_P_TCP || !first_line(p->payload, p->payload_len, &len)) return false;
    bool more;
    if (pa_smtp_reply_code(p->payload, len, &more) >= 0 && len >= 4) return true;
    pa_smtp_command c;
    if (!pa_smtp_parse_command(p->payload, len, &c)) return false;
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(c.verb, cmds[i]) == 0) return true;
    return false;
}
