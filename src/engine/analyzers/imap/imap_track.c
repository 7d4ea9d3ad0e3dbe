#include "imap_track.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cursor.h"
#include "text_session.h"
#include "util_b64.h"

typedef struct pend {
    pa_imap_tx tx;
    pa_txmark mark;
} pend;

typedef struct side_state {
    uint64_t literal_left; /* bytes of a literal still to come */
    bool continuing;       /* the line after a literal goes on with the same command or response */
} side_state;

struct pa_imap_flow {
    pa_lines_dir dir[2];
    side_state side[2];
    int client; /* flow key side sending commands; -1 until known */
    pa_session_ends ends;
    pend pending[PA_IMAP_PENDING];
    uint8_t npending;
    bool counted, greeted, tls;
    bool auth_cont;     /* the server asked for the next line of an AUTHENTICATE exchange */
    bool plain;         /* of mechanism PLAIN: its message names the user */
    pa_txmark untagged; /* frames of untagged lines, for the command they belong to */
    char user[PA_IMAP_USER_MAX];
};

typedef struct ctx {
    pa_imap_stats *st;
    pa_imap_flow *f;
    const pa_packet *p; /* NULL when held bytes are read at the end */
    int side;
    uint64_t frame;
    int64_t ts;
    pa_imap_frame *view;
} ctx;

static bool starts(const uint8_t *p, size_t n, const char *s) {
    size_t k = strlen(s);
    return n >= k && strncasecmp((const char *)p, s, k) == 0;
}

/* The words of a line, space-separated, as Wireshark reads them. */
static size_t words(const uint8_t *line, size_t n, const uint8_t **w, size_t *wl, size_t max) {
    size_t k = 0, i = 0;
    while (i < n && k < max) {
        while (i < n && line[i] == ' ') i++;
        if (i == n) break;
        size_t s = i;
        while (i < n && line[i] != ' ') i++;
        w[k] = line + s;
        wl[k++] = i - s;
    }
    return k;
}

/* "{n}" or "{n+}" ending a line: the literal's size, or -1. */
static int64_t literal(const uint8_t *line, size_t n) {
    if (n < 3 || line[n - 1] != '}') return -1;
    size_t i = n - 1;
    if (line[i - 1] == '+') i--;
    uint64_t v = 0, mul = 1;
    size_t digits = 0;
    while (i > 0 && line[i - 1] >= '0' && line[i - 1] <= '9' && digits < 12) {
        v += (uint64_t)(line[i - 1] - '0') * mul;
        mul *= 10;
        digits++;
        i--;
    }
    return digits && i > 0 && line[i - 1] == '{' ? (int64_t)v : -1;
}

static bool is_tag_char(uint8_t c) {
    return c > ' ' && c < 0x7f && c != '(' && c != ')' && c != '{' && c != '%' && c != '*' && c != '"' && c != '\\' &&
           c != '+';
}

bool pa_imap_look(const pa_packet *p) {
    static const char *const cmds[] = {"CAPABILITY", "LOGIN",  "AUTHENTICATE", "STARTTLS", "SELECT", "EXAMINE",
                                       "LIST",       "LOGOUT", "NOOP",         "ID",       "FETCH",  "UID",
                                       "STATUS",     "LSUB",   "ENABLE",       "IDLE",     "APPEND", "SEARCH"};
    const uint8_t *d = p->payload;
    size_t n = p->payload_len;
    const uint8_t *nl = memchr(d, '\n', n < 1024 ? n : 1024);
    if (p->l4 != PA_P_TCP || !nl) return false;
    n = (size_t)(nl - d);
    if (starts(d, n, "* OK") || starts(d, n, "* PREAUTH") || starts(d, n, "* BYE")) return true;
    const uint8_t *w[2];
    size_t wl[2];
    if (words(d, n, w, wl, 2) < 2 || w[0] != d) return false;
    for (size_t i = 0; i < wl[0]; i++)
        if (!is_tag_char(d[i])) return false;
    size_t cl = wl[1];
    if (cl && w[1][cl - 1] == '\r') cl--;
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strlen(cmds[i]) == cl && strncasecmp((const char *)w[1], cmds[i], cl) == 0) return true;
    return false;
}

int pa_imap_init(pa_imap_stats *st) {
    memset(st, 0, sizeof *st);
    return pa_login_table_init(&st->pairs, PA_IMAP_MAX_PAIRS);
}

void pa_imap_stats_free(pa_imap_stats *st) {
    free(st->tx);
    st->tx = NULL;
    st->ntx = st->cap = 0;
    pa_htab_free(&st->pairs);
}

/* a word without the double quotes around it */
static void unquote(const uint8_t **w, size_t *n) {
    if (*n >= 2 && (*w)[0] == '"' && (*w)[*n - 1] == '"') {
        (*w)++;
        *n -= 2;
    }
}

static void add_tx(pa_imap_stats *st, const pa_imap_tx *t) {
    if (!pa_tx_append((void **)&st->tx, &st->ntx, &st->cap, sizeof *t, PA_IMAP_MAX_TX, t)) st->tx_dropped++;
}

static void unanswered(ctx *c, const pend *q) {
    pa_tx_end(c->st->keep, q->tx.cmd_frame, &q->mark);
    if (!pa_tx_kept(c->st->keep, q->tx.cmd_frame)) return;
    c->st->unanswered++;
    add_tx(c->st, &q->tx);
}

static void set_client(ctx *c, int client_side) {
    c->f->client = client_side;
    pa_session_ends_set(&c->f->ends, c->p, c->side, client_side);
}

/* The line's words as Wireshark shows them (untagged server lines: none). */
static pa_imap_line_view *view_line(ctx *c, const uint8_t *line, size_t n, bool request) {
    pa_imap_frame *v = c->view;
    if (!v || !c->p || c->frame != c->p->frame_no || v->nlines == PA_IMAP_VIEW) return NULL;
    if (!request && n && line[0] == '*') return NULL;
    pa_imap_line_view *l = &v->line[v->nlines++];
    memset(l, 0, sizeof *l);
    const uint8_t *w[4];
    size_t wl[4];
    size_t k = words(line, n, w, wl, 4);
    l->nw = (uint8_t)(k < 3 ? k : 3);
    for (size_t i = 0; i < l->nw; i++) pa_text_copy(l->w[i], sizeof l->w[i], w[i], wl[i]);
    if (request && k >= 3) {
        bool login = wl[1] == 5 && !strncasecmp((const char *)w[1], "LOGIN", 5);
        l->folder = (wl[1] == 6 && !strncasecmp((const char *)w[1], "SELECT", 6)) ||
                    (wl[1] == 7 && !strncasecmp((const char *)w[1], "EXAMINE", 7));
        l->user = login;
        if (login || l->folder) {
            unquote(&w[2], &wl[2]);
            pa_text_copy(l->w[2], sizeof l->w[2], w[2], wl[2]);
        }
        if (login && k == 4) {
            unquote(&w[3], &wl[3]);
            pa_text_copy(v->password, sizeof v->password, w[3], wl[3]);
            v->has_password = true;
        }
    }
    return l;
}

static void command_line(ctx *c, const pa_lines_dir *d, const uint8_t *line, size_t n) {
    pa_imap_flow *f = c->f;
    pa_imap_stats *st = c->st;
    view_line(c, line, n, true);
    if (f->auth_cont) { /* a SASL response: never kept */
        if (f->plain) pa_sasl_plain_user(line, n, f->user, sizeof f->user);
        f->auth_cont = false;
        return;
    }
    const uint8_t *w[4];
    size_t wl[4];
    size_t k = words(line, n, w, wl, 4);
    if (k < 2) {
        if (pa_tx_counts(st->keep, c->frame)) st->bad_lines++;
        return;
    }
    if (f->npending == PA_IMAP_PENDING) {
        unanswered(c, &f->pending[0]);
        if (pa_tx_counts(st->keep, c->frame)) st->pending_dropped++;
        memmove(f->pending, f->pending + 1, (PA_IMAP_PENDING - 1) * sizeof f->pending[0]);
        f->npending--;
    }
    bool keep = pa_tx_kept(st->keep, c->frame);
    if (keep) st->commands++;
    pend *q = &f->pending[f->npending++];
    memset(q, 0, sizeof *q);
    q->mark = d->msg;
    pa_imap_tx *t = &q->tx;
    t->cmd_frame = c->frame;
    t->cmd_ts = c->ts;
    t->rt_ns = -1;
    t->status = PA_IMAP_NONE;
    t->client = f->ends.client;
    t->server = f->ends.server;
    t->cport = f->ends.cport;
    t->sport = f->ends.sport;
    pa_text_copy(t->tag, sizeof t->tag, w[0], wl[0]);
    size_t vl = wl[1] < PA_IMAP_VERB_MAX - 1 ? wl[1] : PA_IMAP_VERB_MAX - 1;
    for (size_t i = 0; i < vl; i++) t->verb[i] = (char)(w[1][i] >= 'a' && w[1][i] <= 'z' ? w[1][i] - 32 : w[1][i]);
    t->verb[vl] = '\0';
    const uint8_t *rest = k > 2 ? w[2] : line + n;
    size_t rn = (size_t)(line + n - rest);
    if (!strcmp(t->verb, "LOGIN")) {
        const uint8_t *u = k > 2 ? w[2] : rest;
        size_t un = k > 2 ? wl[2] : 0;
        unquote(&u, &un);
        pa_text_copy(f->user, sizeof f->user, u, un);
    } else if (!strcmp(t->verb, "AUTHENTICATE")) {
        pa_text_copy(t->arg, sizeof t->arg, rest, k > 2 ? wl[2] : 0); /* the mechanism only */
        f->user[0] = '\0';
        f->plain = k > 2 && wl[2] == 5 && !strncasecmp((const char *)w[2], "PLAIN", 5);
        if (f->plain && k > 3) pa_sasl_plain_user(w[3], wl[3], f->user, sizeof f->user); /* SASL-IR */
    } else {
        pa_text_copy(t->arg, sizeof t->arg, rest, rn);
    }
}

static void login_outcome(ctx *c, const pa_imap_tx *t, bool ok) {
    pa_imap_stats *st = c->st;
    pa_imap_flow *f = c->f;
    if (ok)
        st->logins_ok++;
    else
        st->logins_failed++;
    if (!pa_login_note(&st->pairs, &f->ends, ok, t->cmd_frame, f->user)) st->pairs_overflow++;
}

static void tagged(ctx *c, const pa_lines_dir *d, const uint8_t *tag, size_t tn, int status, pa_imap_line_view *lv) {
    pa_imap_flow *f = c->f;
    pa_imap_stats *st = c->st;
    char t[PA_IMAP_TAG_MAX];
    pa_text_copy(t, sizeof t, tag, tn);
    uint8_t i = 0;
    /* a command sent after this line (bytes held behind a hole, read at the end) is not what it answers */
    while (i < f->npending && (strcmp(f->pending[i].tx.tag, t) || f->pending[i].tx.cmd_frame > c->frame)) i++;
    if (i == f->npending) {
        pa_tx_end(st->keep, c->frame, &d->msg);
        if (pa_tx_kept(st->keep, c->frame)) {
            st->responses++;
            st->orphan_responses++;
        }
        return;
    }
    pend done = f->pending[i];
    memmove(f->pending + i, f->pending + i + 1, (size_t)(f->npending - i - 1) * sizeof f->pending[0]);
    f->npending--;
    pa_tx_merge(st->keep, &done.mark, &d->msg);
    pa_tx_end(st->keep, done.tx.cmd_frame, &done.mark);
    done.tx.reply_frame = c->frame;
    done.tx.rt_ns = c->ts - done.tx.cmd_ts;
    done.tx.status = (uint8_t)status;
    if (lv) {
        lv->response_to = done.tx.cmd_frame;
        lv->time = (double)done.tx.rt_ns / 1e9;
    }
    f->auth_cont = false;
    bool starttls = !strcmp(done.tx.verb, "STARTTLS");
    if (starttls && status == PA_IMAP_OK) f->tls = true; /* what follows is TLS, whatever a filter keeps */
    if (!pa_tx_kept(st->keep, done.tx.cmd_frame)) return;
    st->responses++;
    if (status < PA_IMAP_NONE) st->status[status]++;
    bool login = !strcmp(done.tx.verb, "LOGIN"), authn = !strcmp(done.tx.verb, "AUTHENTICATE");
    if ((login || authn) && status != PA_IMAP_BAD && status != PA_IMAP_NONE) {
        if (login)
            st->login_plain++;
        else
            st->login_authenticate++;
        login_outcome(c, &done.tx, status == PA_IMAP_OK);
    }
    if (starttls) {
        st->starttls++;
        if (status == PA_IMAP_OK) st->starttls_ok++;
    }
    add_tx(st, &done.tx);
}

static void response_line(ctx *c, const pa_lines_dir *d, const uint8_t *line, size_t n, bool continuing) {
    pa_imap_flow *f = c->f;
    pa_imap_stats *st = c->st;
    pa_imap_line_view *lv = view_line(c, line, n, false);
    if (continuing) return; /* the rest of a response after a literal */
    bool counts = pa_tx_counts(st->keep, c->frame);
    if (n && line[0] == '*') {
        if (!f->greeted) {
            f->greeted = true;
            if (counts && (starts(line, n, "* OK") || starts(line, n, "* PREAUTH"))) st->greetings++;
        }
        if (counts) st->untagged++;
        if (counts && starts(line, n, "* BYE")) st->byes++;
        if (f->npending) {
            f->pending[0].tx.untagged++;
            pa_tx_merge(st->keep, &f->pending[0].mark, &d->msg);
        }
        return;
    }
    if (n && line[0] == '+') {
        if (counts) st->continuations++;
        for (uint8_t i = 0; i < f->npending; i++)
            if (!strcmp(f->pending[i].tx.verb, "AUTHENTICATE")) f->auth_cont = true;
        return;
    }
    const uint8_t *w[2];
    size_t wl[2];
    if (words(line, n, w, wl, 2) < 2) {
        if (counts) st->bad_lines++;
        return;
    }
    int status = wl[1] == 2 && !strncasecmp((const char *)w[1], "OK", 2)    ? PA_IMAP_OK
                 : wl[1] == 2 && !strncasecmp((const char *)w[1], "NO", 2)  ? PA_IMAP_NO
                 : wl[1] == 3 && !strncasecmp((const char *)w[1], "BAD", 3) ? PA_IMAP_BAD
                                                                            : PA_IMAP_NONE;
    if (status == PA_IMAP_NONE) {
        if (counts) st->bad_lines++;
        return;
    }
    tagged(c, d, w[0], wl[0], status, lv);
}

static void on_line(void *ud, pa_lines_dir *d, const uint8_t *line, size_t n, bool cut, uint64_t frame, int64_t ts) {
    ctx *c = ud;
    pa_imap_flow *f = c->f;
    if (f->tls) return;
    c->frame = frame;
    c->ts = ts;
    if (cut && pa_tx_counts(c->st->keep, frame)) c->st->long_lines++;
    if (f->client < 0) {
        if (!c->p) return;
        if (n && line[0] == '*')
            set_client(c, !c->side);
        else {
            const uint8_t *w[2];
            size_t wl[2];
            if (words(line, n, w, wl, 2) < 2) {
                if (pa_tx_counts(c->st->keep, frame)) c->st->bad_lines++;
                return;
            }
            set_client(c, c->side);
        }
    }
    side_state *s = &f->side[c->side];
    bool continuing = s->continuing;
    s->continuing = false;
    int64_t lit = literal(line, n);
    if (lit >= 0) { /* its bytes follow this line */
        s->literal_left = (uint64_t)lit;
        s->continuing = true;
    }
    if (c->side == f->client) {
        if (continuing)
            view_line(c, line, n, true);
        else
            command_line(c, d, line, n);
    } else {
        response_line(c, d, line, n, continuing);
    }
}

static size_t raw(void *ud, const uint8_t *data, size_t len, uint64_t frame, int64_t ts) {
    (void)data;
    (void)ts;
    ctx *c = ud;
    pa_imap_flow *f = c->f;
    if (f->tls) return len; /* what follows STARTTLS's OK in the same piece */
    side_state *s = &f->side[c->side];
    if (!s->literal_left) return 0;
    size_t take = s->literal_left < len ? (size_t)s->literal_left : len;
    s->literal_left -= take;
    if (c->side != f->client && pa_tx_counts(c->st->keep, frame)) {
        c->st->literal_bytes += take;
        if (f->npending) f->pending[0].tx.literal_bytes += take;
    }
    return take;
}

static void on_gap(void *ud, uint64_t frame) {
    ctx *c = ud;
    if (pa_tx_counts(c->st->keep, frame)) c->st->gaps++;
    c->f->side[c->side] = (side_state){0};
}

/* Every segment of an IMAP flow is IMAP to Wireshark. */
static void on_piece(void *ud, const uint8_t *data, size_t len, uint64_t frame) {
    (void)data;
    (void)len;
    ctx *c = ud;
    if (!c->view || !c->p || frame != c->p->frame_no || c->f->client < 0) return;
    c->view->present = true;
    c->view->request = c->side == c->f->client;
}

static pa_lines_cb callbacks(ctx *c) {
    return (pa_lines_cb){.ud = c, .keep = c->st->keep, .line = on_line, .raw = raw, .gap = on_gap, .piece = on_piece};
}

void pa_imap_segment(pa_imap_stats *st, pa_imap_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                     pa_imap_frame *frame) {
    pa_imap_flow *f = *fp;
    if (!f) {
        f = calloc(1, sizeof *f);
        if (!f) return;
        f->client = -1;
        pa_lines_open(f->dir, PA_IMAP_LINE_MAX, PA_IMAP_STREAM_CAP, tcp);
        *fp = f;
    }
    if (f->tls) return;
    ctx c = {st, f, p, from, p->frame_no, p->ts_ns, frame};
    bool counts = pa_tx_counts(st->keep, p->frame_no);
    if (!f->counted && counts) {
        f->counted = true;
        st->sessions++;
    }
    pa_lines_cb cb = callbacks(&c);
    bool syn = p->tcp.flags & PA_TCP_SYN;
    if (pa_lines_segment(&f->dir[from], p->tcp.seq, syn, p->payload, p->payload_len, p->frame_no, p->ts_ns, &cb) &&
        counts)
        st->streams_capped++;
    if (cb.lost && counts) st->bad_lines += cb.lost;
}

bool pa_imap_is_tls(const pa_imap_flow *f) { return f && f->tls; }
bool pa_imap_holds_data(const pa_imap_flow *f) { return f && (f->dir[0].stream.nheld || f->dir[1].stream.nheld); }

void pa_imap_finish_flow(pa_imap_stats *st, pa_imap_flow *f) {
    if (!f) return;
    ctx c = {.st = st, .f = f};
    for (int i = 0; i < 2 && !f->tls; i++) {
        c.side = i;
        pa_lines_cb cb = callbacks(&c);
        pa_lines_flush(&f->dir[i], &cb);
    }
    for (uint8_t i = 0; i < f->npending; i++) unanswered(&c, &f->pending[i]);
    f->npending = 0;
}

void pa_imap_finish(pa_imap_stats *st) {
    if (st->ntx > 1) qsort(st->tx, st->ntx, sizeof *st->tx, pa_cmp_first_u64);
}

void pa_imap_free_flow(pa_imap_flow *f) {
    if (!f) return;
    for (int i = 0; i < 2; i++) pa_lines_free(&f->dir[i]);
    free(f);
}
