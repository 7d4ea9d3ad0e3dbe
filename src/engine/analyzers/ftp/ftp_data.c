#include "ftp_data.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"

#define NONE UINT32_MAX

static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

int pa_ftp_data_init(pa_ftp_data_stats *d) {
    memset(d, 0, sizeof *d);
    return pa_htab_init(&d->expect, sizeof(pa_ftp_expect), offsetof(pa_ftp_expect, port_a) + sizeof(uint16_t),
                        PA_FTP_MAX_EXPECT);
}

void pa_ftp_data_free(pa_ftp_data_stats *d) {
    free(d->t);
    d->t = NULL;
    d->n = d->cap = 0;
    pa_htab_free(&d->expect);
}

void pa_ftp_ctl_init(pa_ftp_ctl *c) {
    memset(c, 0, sizeof *c);
    c->pending = c->last_opened = NONE;
}

static void copy_text(char *dst, size_t size, const uint8_t *src, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < size; i++) dst[k++] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
    dst[k] = '\0';
}

/* sscanf's %d as Wireshark's PASV parser uses it: blanks, a sign, digits
 * (clamped: the value only matters modulo 256). */
static bool scan_int(pa_cur *c, long *out) {
    uint8_t ch;
    while (pa_cur_peek_u8(c, 0, &ch) && (ch == ' ' || ch == '\t'))
        if (!pa_cur_skip(c, 1)) return false;
    bool neg = false;
    if (pa_cur_peek_u8(c, 0, &ch) && (ch == '-' || ch == '+')) {
        neg = ch == '-';
        if (!pa_cur_skip(c, 1)) return false;
    }
    long v = 0;
    size_t k = 0;
    while (pa_cur_peek_u8(c, 0, &ch) && is_digit(ch)) {
        if (v < 100000000) v = v * 10 + (ch - '0');
        k++;
        if (!pa_cur_skip(c, 1)) return false;
    }
    *out = neg ? -v : v;
    return k > 0;
}

bool pa_ftp_parse_pasv(const uint8_t *s, size_t n, uint8_t ip[4], uint16_t *port) {
    pa_cur c = pa_cur_make(s, n);
    uint8_t ch;
    for (;;) {
        while (pa_cur_peek_u8(&c, 0, &ch) && !is_digit(ch) && ch)
            if (!pa_cur_skip(&c, 1)) return false;
        if (!pa_cur_peek_u8(&c, 0, &ch) || !ch) return false;
        pa_cur t = c;
        long v[6];
        int got = 0;
        while (got < 6 && scan_int(&t, &v[got])) {
            got++;
            if (got < 6 && !(pa_cur_peek_u8(&t, 0, &ch) && ch == ',' && pa_cur_skip(&t, 1))) break;
        }
        if (got == 6) {
            for (int i = 0; i < 4; i++) ip[i] = (uint8_t)(v[i] & 0xff);
            *port = (uint16_t)(((v[4] & 0xff) << 8) | (v[5] & 0xff));
            return true;
        }
        while (pa_cur_peek_u8(&c, 0, &ch) && is_digit(ch)) /* not six numbers: on past this one */
            if (!pa_cur_skip(&c, 1)) return false;
    }
}

/* RFC 2428 section 2: printable, no digit, hex letter, '.' or ':'. */
static bool delimiter_ok(uint8_t c) {
    if (c <= 0x20 || c >= 0x7f) return false;
    if (c >= 'A' && c <= 'Z') c = (uint8_t)(c - 'A' + 'a');
    return !strchr("0123456789abcdef.:", c);
}

bool pa_ftp_parse_epsv(const uint8_t *s, size_t n, uint16_t *port) {
    pa_cur c = pa_cur_make(s, n);
    uint8_t ch, delim = 0;
    while (pa_cur_peek_u8(&c, 0, &ch) && ch != '(' && ch)
        if (!pa_cur_skip(&c, 1)) return false;
    if (!pa_cur_peek_u8(&c, 0, &ch) || ch != '(' || !pa_cur_skip(&c, 1)) return false;
    for (int i = 0; i < 3 && pa_cur_peek_u8(&c, 0, &ch) && ch; i++) {
        if (!delim && delimiter_ok(ch)) delim = ch;
        if (ch != delim || !pa_cur_skip(&c, 1)) break;
    }
    uint32_t v = 0;
    size_t k = 0;
    while (pa_cur_peek_u8(&c, k, &ch) && is_digit(ch)) {
        v = v * 10 + (ch - '0');
        if (v > 65535) return false;
        k++;
    }
    if (!k) return false;
    for (size_t i = k; pa_cur_peek_u8(&c, i, &ch) && ch; i++)
        if (ch == ')') {
            *port = (uint16_t)v;
            return true;
        }
    return false;
}

bool pa_ftp_parse_eprt(const uint8_t *s, size_t n, pa_addr *addr, uint16_t *port) {
    pa_cur c = pa_cur_make(s, n);
    uint8_t delim, ch;
    size_t len = 0;
    while (pa_cur_peek_u8(&c, len, &ch) && ch) len++; /* up to a NUL, as Wireshark's copy */
    pa_cur_limit(&c, len);
    if (len < 4 || !pa_cur_peek_u8(&c, 0, &delim) || !delimiter_ok(delim)) return false;
    size_t pos[4], np = 0;
    for (size_t i = 0; pa_cur_peek_u8(&c, i, &ch); i++)
        if (ch == delim) {
            if (np == 4) return false;
            pos[np++] = i;
        }
    if (np != 4) return false;
    char field[3][64];
    for (int f = 0; f < 3; f++) {
        size_t flen = pos[f + 1] - pos[f] - 1;
        if (!flen || flen >= sizeof field[f]) return false;
        pa_cur sub = c;
        if (!pa_cur_skip(&sub, pos[f] + 1) || !pa_cur_copy(&sub, field[f], flen)) return false;
        field[f][flen] = '\0';
    }
    memset(addr, 0, sizeof *addr);
    if (!strcmp(field[0], "1")) {
        if (inet_pton(AF_INET, field[1], addr->b) != 1) return false;
        addr->family = 4;
    } else if (!strcmp(field[0], "2")) {
        if (inet_pton(AF_INET6, field[1], addr->b) != 1) return false;
        addr->family = 6;
    } else {
        return false;
    }
    uint32_t v = 0;
    for (const char *p = field[2]; *p; p++) {
        if (!is_digit((uint8_t)*p)) return false;
        v = v * 10 + (uint32_t)(*p - '0');
        if (v > 65535) return false;
    }
    *port = (uint16_t)v;
    return true;
}

bool pa_ftp_parse_pwd(const uint8_t *s, size_t n, char *out, size_t size) {
    pa_cur c = pa_cur_make(s, n);
    uint8_t ch, next;
    size_t k = 0;
    bool started = false;
    if (n < 2 || !pa_cur_peek_u8(&c, 0, &ch) || ch != '"') return false;
    for (size_t i = 0; pa_cur_peek_u8(&c, i, &ch) && ch != '\r' && ch != '\n'; i++) {
        if (ch == '"') {
            if (pa_cur_peek_u8(&c, i + 1, &next) && next == '"') {
                if (k + 1 < size) out[k++] = '"';
                i++;
                continue;
            }
            if (started) {
                out[k] = '\0';
                return true;
            }
            started = true;
        } else if (k + 1 < size) {
            out[k++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
        }
    }
    return false; /* no closing quote */
}

void pa_ftp_cwd_apply(char *cwd, size_t size, const char *arg) {
    if (arg[0] == '/') {
        snprintf(cwd, size, "%s", arg);
        return;
    }
    if (!cwd[0]) {
        snprintf(cwd, size, "%s", arg);
        return;
    }
    char joined[2 * PA_FTP_CWD_MAX + 2];
    size_t cl = strlen(cwd);
    snprintf(joined, sizeof joined, "%s%s%s", cwd, cwd[cl - 1] == '/' ? "" : "/", arg);
    /* one folder at a time: ".." drops the previous one, "." nothing */
    char out[sizeof joined];
    size_t k = 0;
    if (cwd[0] == '/') out[k++] = '/';
    out[k] = '\0';
    const char *p = joined + (cwd[0] == '/');
    while (*p) {
        const char *e = strchr(p, '/');
        size_t fl = e ? (size_t)(e - p) : strlen(p);
        if (fl == 2 && !strncmp(p, "..", 2)) {
            while (k && out[k - 1] != '/') k--;
            if (k > 1 && out[k - 1] == '/') k--;
            out[k] = '\0';
        } else if (fl && !(fl == 1 && *p == '.')) {
            if (k && out[k - 1] != '/') out[k++] = '/';
            memcpy(out + k, p, fl);
            k += fl;
            out[k] = '\0';
        }
        p += fl + (e != NULL);
    }
    snprintf(cwd, size, "%s", out);
}

/* A data connection announced: a transfer to fill, and the endpoint to
 * look for (the latest announcement of an endpoint wins, as Wireshark's
 * newest conversation does). */
static void announce(pa_ftp_data_stats *d, pa_ftp_ctl *c, const pa_ftp_ctl_ends *e, const pa_addr *a, uint16_t port_a,
                     const pa_addr *b, const char *method, uint64_t frame) {
    bool eprt = !strcmp(method, "EPRT");
    uint32_t idx = NONE;
    if (d->n >= PA_FTP_MAX_TRANSFERS) {
        d->transfers_dropped++;
    } else {
        if (d->n == d->cap) {
            size_t ncap = d->cap ? d->cap * 2 : 16;
            pa_ftp_transfer *nt = realloc(d->t, ncap * sizeof *nt);
            if (nt) {
                d->t = nt;
                d->cap = ncap;
            }
        }
        if (d->n < d->cap) {
            idx = (uint32_t)d->n++;
            pa_ftp_transfer *t = &d->t[idx];
            memset(t, 0, sizeof *t);
            t->setup_frame = frame;
            t->client = e->client;
            t->server = e->server;
            t->cport = e->cport;
            t->sport = e->sport;
            t->data_stream = t->seq_stream = -1;
            snprintf(t->method, sizeof t->method, "%s", method);
            memcpy(t->cwd, c->cwd, sizeof t->cwd);
        } else {
            d->transfers_dropped++;
        }
    }
    c->pending = idx;
    pa_ftp_expect key;
    memset(&key, 0, sizeof key);
    key.a = *a;
    key.b = *b;
    key.port_a = port_a;
    bool created;
    pa_ftp_expect *x = pa_htab_upsert(&d->expect, &key, &created);
    if (!x) {
        d->expect_overflow++;
        return;
    }
    x->transfer = idx;
    x->eprt = eprt;
    x->bound = false;
}

static bool starts(const uint8_t *line, size_t n, const char *w) {
    size_t k = strlen(w);
    return n >= k && !memcmp(line, w, k);
}

void pa_ftp_data_request(pa_ftp_data_stats *d, pa_ftp_ctl *c, const pa_ftp_ctl_ends *e, const uint8_t *line, size_t n,
                         uint64_t frame) {
    copy_text(c->last, sizeof c->last, line, n);
    if (c->pending != NONE) { /* the first request after the announcement is what it is for */
        pa_ftp_transfer *t = &d->t[c->pending];
        copy_text(t->command, sizeof t->command, line, n);
        t->command_frame = frame;
        c->last_opened = c->pending;
        c->last_opened_cmd = frame;
        c->pending = NONE;
    }
    pa_cur cur = pa_cur_make(line, n);
    size_t tok = 0, sp;
    uint8_t ch;
    while (pa_cur_peek_u8(&cur, tok, &ch) && ch != ' ') tok++;
    for (sp = tok; pa_cur_peek_u8(&cur, sp, &ch) && ch == ' ';) sp++;
    if (!pa_cur_skip(&cur, sp)) return;
    if (tok == 4 && starts(line, n, "PORT")) {
        uint8_t ip[4];
        uint16_t port;
        if (!pa_ftp_parse_pasv(cur.p, cur.len, ip, &port)) return;
        pa_addr a = {.family = 4};
        memcpy(a.b, ip, 4);
        announce(d, c, e, &e->server, 20, &a, "PORT", frame);
    } else if (tok == 4 && starts(line, n, "EPRT")) {
        pa_addr a;
        uint16_t port;
        if (!pa_ftp_parse_eprt(cur.p, cur.len, &a, &port)) return;
        announce(d, c, e, &a, port, &e->server, "EPRT", frame);
    }
}

void pa_ftp_data_reply(pa_ftp_data_stats *d, pa_ftp_ctl *c, const pa_ftp_ctl_ends *e, int code, const uint8_t *line,
                       size_t n, uint64_t frame) {
    pa_cur cur = pa_cur_make(line, n);
    if (!pa_cur_skip(&cur, n >= 4 ? 4 : n)) return;
    if (code == 227 && cur.len) {
        uint8_t ip[4];
        uint16_t port;
        if (!pa_ftp_parse_pasv(cur.p, cur.len, ip, &port)) return;
        pa_addr a = {.family = 4};
        memcpy(a.b, ip, 4);
        announce(d, c, e, &a, port, &e->client, "PASV", frame);
    } else if (code == 229 && cur.len) {
        uint16_t port;
        if (pa_ftp_parse_epsv(cur.p, cur.len, &port)) announce(d, c, e, &e->server, port, &e->client, "EPASV", frame);
    } else if (code == 250) {
        if (!strncmp(c->last, "CWD ", 4))
            pa_ftp_cwd_apply(c->cwd, sizeof c->cwd, c->last + 4);
        else if (!strncmp(c->last, "CDUP", 4))
            pa_ftp_cwd_apply(c->cwd, sizeof c->cwd, "..");
    } else if (code == 257 && n >= 4) {
        char path[PA_FTP_CWD_MAX];
        if (pa_ftp_parse_pwd(cur.p, cur.len, path, sizeof path)) memcpy(c->cwd, path, sizeof c->cwd);
    }
}

void pa_ftp_data_final(pa_ftp_data_stats *d, pa_ftp_ctl *c, uint64_t cmd_frame, int code, uint64_t frame) {
    if (c->last_opened == NONE || c->last_opened_cmd != cmd_frame) return;
    pa_ftp_transfer *t = &d->t[c->last_opened];
    t->close_code = (uint16_t)code;
    t->close_frame = frame;
    c->last_opened = NONE;
}

/* The endpoint (a, port_a, b) when it is free or taken by port_b. */
static pa_ftp_expect *lookup(const pa_ftp_data_stats *d, const pa_addr *a, uint16_t port_a, const pa_addr *b,
                             uint16_t port_b) {
    pa_ftp_expect key;
    memset(&key, 0, sizeof key);
    key.a = *a;
    key.b = *b;
    key.port_a = port_a;
    pa_ftp_expect *x = pa_htab_find(&d->expect, &key);
    if (!x || (x->bound && x->port_b != port_b)) return NULL;
    if (x->eprt && port_b != 20) return NULL;
    x->bound = true;
    x->port_b = port_b;
    return x;
}

/* Wireshark's TCP hands its dissector only bytes beyond the highest
 * segment end seen in that direction: a segment below it is not ftp-data,
 * one straddling it is, with the new bytes only. *len: those. */
static bool new_bytes(pa_ftp_transfer *t, const pa_packet *p, int64_t stream, bool from_server, uint32_t *len) {
    if (t->seq_stream != stream) { /* another connection on the same endpoint */
        t->seq_stream = stream;
        t->seq_known[0] = t->seq_known[1] = false;
    }
    uint32_t end = p->tcp.seq + *len;
    if (t->seq_known[from_server]) {
        uint32_t mx = t->next_seq[from_server];
        if ((int32_t)(end - mx) <= 0) return false;
        if ((int32_t)(p->tcp.seq - mx) < 0) *len = end - mx;
    }
    t->next_seq[from_server] = end;
    t->seq_known[from_server] = true;
    return true;
}

uint8_t pa_ftp_data_packet(pa_ftp_data_stats *d, const pa_packet *p, int64_t stream, pa_ftp_data_view *view) {
    if (!d->expect.count || p->l4 != PA_P_TCP) return PA_P_NONE;
    pa_ftp_expect *x = lookup(d, &p->src, p->sport, &p->dst, p->dport);
    if (!x) x = lookup(d, &p->dst, p->dport, &p->src, p->sport);
    if (!x) return PA_P_NONE;
    uint32_t len = p->payload_wire_len > p->payload_len ? p->payload_wire_len : p->payload_len;
    pa_ftp_transfer *t = x->transfer == NONE ? NULL : &d->t[x->transfer];
    bool from_server = t && !memcmp(&p->src, &t->server, sizeof p->src);
    if (t && !new_bytes(t, p, stream, from_server, &len)) return PA_P_DATA;
    d->frames++;
    d->bytes += len;
    if (t) {
        if (!t->frames) {
            t->first_frame = p->frame_no;
            t->first_ts = p->ts_ns;
            t->data_stream = stream;
        }
        t->last_frame = p->frame_no;
        t->last_ts = p->ts_ns;
        t->frames++;
        t->bytes += len;
        if (from_server)
            t->bytes_from_server += len;
        else
            t->bytes_from_client += len;
    }
    if (view && t && !x->eprt) {
        view->present = true;
        view->setup_frame = t->setup_frame;
        memcpy(view->method, t->method, sizeof view->method);
        memcpy(view->cwd, t->cwd, sizeof view->cwd);
        view->has_command = t->command_frame != 0;
        view->command_frame = t->command_frame;
        memcpy(view->command, t->command, sizeof view->command);
    } else if (view) {
        view->present = true;
    }
    return PA_P_FTP_DATA;
}

int64_t pa_ftp_transfer_ms(const pa_ftp_transfer *t) {
    int64_t s = t->last_ts / 1000000000 - t->first_ts / 1000000000;
    int64_t ns = t->last_ts % 1000000000 - t->first_ts % 1000000000;
    return s * 1000 + (ns + 500000) / 1000000; /* Wireshark's rounding, C division */
}

uint64_t pa_ftp_transfer_kbps(const pa_ftp_transfer *t) {
    int64_t ms = pa_ftp_transfer_ms(t);
    double r = ((double)t->bytes * 8.0) / ((double)ms / 1000.0) / 1000.0;
    return r > 0 && r < 4294967295.0 ? (uint64_t)r : 0;
}
