#include "syslog_parse.h"

#include <string.h>

#include "cursor.h"

static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static bool is_alnum(uint8_t c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool pa_syslog_looks(const uint8_t *d, size_t n) {
    pa_cur c = pa_cur_make(d, n);
    uint8_t ch;
    uint32_t v = 0;
    size_t i = 1;
    if (!pa_cur_peek_u8(&c, 0, &ch) || ch != '<') return false;
    while (i < 5 && pa_cur_peek_u8(&c, i, &ch) && is_digit(ch)) v = v * 10 + (uint32_t)(ch - '0'), i++;
    return i > 1 && pa_cur_peek_u8(&c, i, &ch) && ch == '>' && v <= 191;
}

static pa_syslog_span span(const pa_cur *c, size_t from, size_t to) {
    pa_syslog_span s = {true, c->p + from, to - from};
    return s;
}

/* Wireshark's dissect_syslog_info: the bytes up to the next space, which
 * must exist; *off moves past it. */
static bool token(const pa_cur *c, size_t *off, pa_syslog_span *out) {
    uint8_t ch;
    for (size_t i = *off; pa_cur_peek_u8(c, i, &ch); i++)
        if (ch == ' ') {
            *out = span(c, *off, i);
            *off = i + 1;
            return true;
        }
    return false;
}

static void rfc5424(const pa_cur *m, pa_syslog_msg *out) {
    size_t off = 0;
    out->rfc5424 = true;
    if (!token(m, &off, &out->version) || !token(m, &off, &out->timestamp) || !token(m, &off, &out->hostname) ||
        !token(m, &off, &out->appname) || !token(m, &off, &out->procid))
        return;
    uint8_t a, b, c;
    if (pa_cur_peek_u8(m, off, &a) && pa_cur_peek_u8(m, off + 1, &b) && pa_cur_peek_u8(m, off + 2, &c) && a == 0xef &&
        b == 0xbb && c == 0xbf)
        off += 3; /* a BOM starts UTF-8 text */
    out->msgid = span(m, off, m->len);
}

static void rfc3164(const pa_cur *m, pa_syslog_msg *out) {
    uint8_t s3, s6, c9, c12, s15;
    if (!pa_cur_peek_u8(m, 3, &s3) || !pa_cur_peek_u8(m, 6, &s6) || !pa_cur_peek_u8(m, 9, &c9) ||
        !pa_cur_peek_u8(m, 12, &c12) || !pa_cur_peek_u8(m, 15, &s15) || s3 != ' ' || s6 != ' ' || c9 != ':' ||
        c12 != ':' || s15 != ' ')
        return;
    out->rfc3164 = true;
    out->ts3164 = span(m, 0, 15);
    size_t off = 16;
    if (!token(m, &off, &out->hostname)) return;
    /* the tag's letters and digits, looked for over 32 bytes; the message
     * ending before a non-alphanumeric one ends the dissection there */
    uint8_t ch;
    for (size_t i = off; i < off + 32; i++) {
        if (!pa_cur_peek_u8(m, i, &ch)) return;
        if (!is_alnum(ch)) {
            out->procid = span(m, off, i);
            off = i;
            break;
        }
    }
    out->msgid = span(m, off, m->len);
}

void pa_syslog_parse(const uint8_t *d, size_t n, pa_syslog_msg *out) {
    memset(out, 0, sizeof *out);
    pa_cur c = pa_cur_make(d, n);
    uint8_t ch;
    size_t off = 0;
    if (pa_cur_peek_u8(&c, 0, &ch) && ch == '<') {
        off = 1;
        while (off <= 3 && pa_cur_peek_u8(&c, off, &ch) && is_digit(ch)) out->pri = out->pri * 10 + (ch - '0'), off++;
        if (pa_cur_peek_u8(&c, off, &ch) && ch == '>') off++;
        out->has_pri = true;
        out->facility = (uint8_t)((out->pri & 0x3f8) >> 3);
        out->level = (uint8_t)(out->pri & 7);
    }
    pa_cur m = c;
    if (!pa_cur_skip(&m, off)) return;
    out->msg = span(&m, 0, m.len);
    uint8_t v0, v1;
    if (m.len > 2 && pa_cur_peek_u8(&m, 0, &v0) && pa_cur_peek_u8(&m, 1, &v1) && v0 == '1' && v1 == ' ')
        rfc5424(&m, out);
    else if (m.len > 15)
        rfc3164(&m, out);
}

const char *pa_syslog_facility_name(unsigned f) {
    static const char *const names[] = {"KERN",   "USER",   "MAIL",   "DAEMON", "AUTH",     "SYSLOG",
                                        "LPR",    "NEWS",   "UUCP",   "CRON",   "AUTHPRIV", "FTP",
                                        "NTP",    "AUDIT",  "ALERT",  "CRON2",  "LOCAL0",   "LOCAL1",
                                        "LOCAL2", "LOCAL3", "LOCAL4", "LOCAL5", "LOCAL6",   "LOCAL7"};
    return f < sizeof names / sizeof names[0] ? names[f] : "UNKNOWN";
}

const char *pa_syslog_level_name(unsigned l) {
    static const char *const names[] = {"EMERG", "ALERT", "CRIT", "ERR", "WARNING", "NOTICE", "INFO", "DEBUG"};
    return l < 8 ? names[l] : "UNKNOWN";
}
