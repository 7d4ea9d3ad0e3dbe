/* SSH units from their bytes: every read through the bounds-checked cursor. */
#include "ssh_parse.h"

#include <string.h>

#include "cursor.h"

static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static bool printable(uint8_t c) { return c >= 0x20 && c < 0x7f; }

/* Copies n bytes into out (cap bytes), cut to fit, non-printable bytes as '.'. */
static void copy_text(char *out, size_t cap, const uint8_t *s, size_t n) {
    if (!cap) return;
    if (n > cap - 1) n = cap - 1;
    for (size_t i = 0; i < n; i++) out[i] = printable(s[i]) ? (char)s[i] : '.';
    out[n] = '\0';
}

/* Skips a run of digits; false when there is none. */
static bool digits(pa_cur *c) {
    size_t k = 0;
    uint8_t b;
    while (pa_cur_peek_u8(c, k, &b) && is_digit(b)) k++;
    return k > 0 && pa_cur_skip(c, k);
}

static bool byte_is(pa_cur *c, uint8_t want) {
    uint8_t b;
    return pa_cur_peek_u8(c, 0, &b) && b == want && pa_cur_skip(c, 1);
}

bool pa_ssh_is_ident_start(const uint8_t *d, size_t n) {
    pa_cur c = pa_cur_make(d, n);
    return byte_is(&c, 'S') && byte_is(&c, 'S') && byte_is(&c, 'H') && byte_is(&c, '-') && digits(&c) &&
           byte_is(&c, '.') && digits(&c) && byte_is(&c, '-');
}

/* The length of the line of text at the cursor (up to its LF), or -1 when a
 * byte is not text; *ended: the LF is within the bytes. */
static long text_line(const pa_cur *c, bool *ended) {
    uint8_t b;
    size_t i = 0;
    *ended = false;
    for (; pa_cur_peek_u8(c, i, &b); i++) {
        if (b == '\n') {
            *ended = true;
            break;
        }
        if (!printable(b) && b != '\r' && b != '\t') return -1;
    }
    return (long)i;
}

bool pa_ssh_looks(const uint8_t *d, size_t n) {
    pa_cur c = pa_cur_make(d, n);
    for (int line = 0; line <= PA_SSH_PRE_LOOK; line++) {
        bool ended;
        long len = text_line(&c, &ended);
        if (len < 0) return false;
        /* the identification (its line may end in a later segment) */
        if (pa_ssh_is_ident_start(c.p, c.len)) return true;
        /* else a whole line of text before it */
        if (!ended || !pa_cur_skip(&c, (size_t)len + 1)) return false;
    }
    return false;
}

bool pa_ssh_parse_ident(const uint8_t *line, size_t n, pa_ssh_ident *out) {
    memset(out, 0, sizeof *out);
    if (!pa_ssh_is_ident_start(line, n)) return false;
    pa_cur c = pa_cur_make(line, n);
    if (!pa_cur_skip(&c, 4)) return false;
    /* protoversion: up to the '-' the start check found */
    const uint8_t *dash = memchr(c.p, '-', c.len);
    if (!dash) return false;
    size_t plen = (size_t)(dash - c.p);
    copy_text(out->proto, sizeof out->proto, c.p, plen);
    if (!pa_cur_skip(&c, plen + 1)) return false;
    /* softwareversion: up to the first space; comments after it */
    const uint8_t *sp = memchr(c.p, ' ', c.len);
    size_t slen = sp ? (size_t)(sp - c.p) : c.len;
    copy_text(out->software, sizeof out->software, c.p, slen);
    if (sp && pa_cur_skip(&c, slen + 1)) copy_text(out->comments, sizeof out->comments, c.p, c.len);
    if (!strncmp(out->proto, "2.", 2) || !strcmp(out->proto, "1.99"))
        out->version = 2;
    else if (!strncmp(out->proto, "1.", 2))
        out->version = 1;
    return true;
}

pa_ssh_status pa_ssh_parse_packet(const uint8_t *d, size_t n, pa_ssh_packet *out) {
    memset(out, 0, sizeof *out);
    pa_cur c = pa_cur_make(d, n);
    if (!pa_cur_be32(&c, &out->length) || !pa_cur_u8(&c, &out->padding)) return PA_SSH_BAD;
    if (out->length != n - 4 || out->length < 2 || out->padding > out->length - 2) return PA_SSH_BAD;
    out->payload = c.p;
    out->payload_len = out->length - 1 - out->padding;
    if (!pa_cur_u8(&c, &out->code)) return PA_SSH_BAD;
    return PA_SSH_OK;
}

pa_ssh_status pa_ssh_parse_kexinit(const uint8_t *payload, size_t n, pa_ssh_kexinit *out) {
    memset(out, 0, sizeof *out);
    pa_cur c = pa_cur_make(payload, n);
    uint8_t code;
    if (!pa_cur_u8(&c, &code) || code != PA_SSH_MSG_KEXINIT || !pa_cur_copy(&c, out->cookie, 16)) return PA_SSH_BAD;
    for (int i = 0; i < PA_SSH_NLISTS; i++) {
        uint32_t len;
        if (!pa_cur_be32(&c, &len) || len > PA_SSH_NAMELIST_MAX || len > c.len) return PA_SSH_BAD;
        out->list[i].off = (uint32_t)(c.p - payload);
        out->list[i].len = len;
        if (!pa_cur_skip(&c, len)) return PA_SSH_BAD;
    }
    if (!pa_cur_u8(&c, &out->first_kex_follows) || !pa_cur_be32(&c, &out->reserved)) return PA_SSH_BAD;
    return PA_SSH_OK;
}

bool pa_ssh_parse_hostkey_type(const uint8_t *payload, size_t n, char *type, size_t cap) {
    pa_cur c = pa_cur_make(payload, n), blob;
    uint32_t blen, tlen;
    if (cap) type[0] = '\0';
    if (!pa_cur_skip(&c, 1) || !pa_cur_be32(&c, &blen) || !pa_cur_sub(&c, blen, &blob) || !pa_cur_be32(&blob, &tlen) ||
        tlen == 0 || tlen > blob.len)
        return false;
    for (uint32_t i = 0; i < tlen; i++)
        if (!printable(blob.p[i]) || blob.p[i] == ' ') return false;
    copy_text(type, cap, blob.p, tlen);
    return true;
}

bool pa_ssh_parse_disconnect(const uint8_t *payload, size_t n, uint32_t *reason, char *desc, size_t cap) {
    pa_cur c = pa_cur_make(payload, n);
    uint32_t dlen;
    if (cap) desc[0] = '\0';
    if (!pa_cur_skip(&c, 1) || !pa_cur_be32(&c, reason) || !pa_cur_be32(&c, &dlen) || dlen > c.len) return false;
    copy_text(desc, cap, c.p, dlen);
    return true;
}
