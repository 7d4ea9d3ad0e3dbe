#include "smtp_track.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cursor.h"
#include "line_stream.h"
#include "text_session.h"
#include "util_b64.h"

enum { M_CMD, M_DATA_WAIT, M_BODY, M_BDAT, M_TLS }; /* what the client sends next */
/* Wireshark's steps of AUTH LOGIN and AUTH PLAIN without an initial response */
enum { A_NONE, A_START, A_USER_REQ, A_USER, A_PASS_REQ, A_PASS, A_PLAIN_START, A_PLAIN_REQ, A_PLAIN };

typedef struct pend {
    pa_smtp_tx tx;
    pa_txmark mark;
} pend;

struct pa_smtp_flow {
    pa_lines_dir dir[2];
    int client; /* flow key side sending commands; -1 until known */
    pa_session_ends ends;
    pend pending[PA_SMTP_PENDING]; /* oldest first */
    uint8_t npending;
    uint8_t mode;
    bool counted, greeted, in_multi, starttls_wait;
    uint16_t multi_code;
    pa_txmark reply; /* frames of the reply being read */
    /* AUTH: the mechanism of the exchange in progress (-1: none) and Wireshark's steps */
    int8_t mech;
    uint8_t ws_auth;
    bool body_dot;          /* the body line so far is "." */
    uint32_t body_line_len; /* bytes of the body line so far */
    uint64_t body_bytes, bdat_left;
    pa_txmark body;
    char user[PA_SMTP_USER_MAX];
};

typedef struct ctx {
    pa_smtp_stats *st;
    pa_smtp_flow *f;
    const pa_packet *p; /* NULL when held bytes are read at the end */
    int side;
    uint64_t frame; /* where the line or message end being read is placed */
    int64_t ts;
    pa_smtp_frame *view; /* NULL: nobody asked */
} ctx;

int pa_smtp_init(pa_smtp_stats *st) {
    memset(st, 0, sizeof *st);
    return pa_login_table_init(&st->auths, PA_SMTP_MAX_CLIENTS);
}

void pa_smtp_stats_free(pa_smtp_stats *st) {
    free(st->tx);
    st->tx = NULL;
    st->ntx = st->cap = 0;
    pa_htab_free(&st->auths);
}

static void add_tx(pa_smtp_stats *st, const pa_smtp_tx *t) {
    if (!pa_tx_append((void **)&st->tx, &st->ntx, &st->cap, sizeof *t, PA_SMTP_MAX_TX, t)) st->tx_dropped++;
}

static void set_client(ctx *c, int client_side) {
    c->f->client = client_side;
    pa_session_ends_set(&c->f->ends, c->p, c->side, client_side);
}

static void count_verb(pa_smtp_stats *st, const char *v) {
    uint64_t *slot = !strcmp(v, "EHLO")   ? &st->ehlo
                     : !strcmp(v, "HELO") ? &st->helo
                     : !strcmp(v, "MAIL") ? &st->mail
                     : !strcmp(v, "RCPT") ? &st->rcpt
                     : !strcmp(v, "DATA") ? &st->data
                     : !strcmp(v, "BDAT") ? &st->bdat
                     : !strcmp(v, "RSET") ? &st->rset
                     : !strcmp(v, "QUIT") ? &st->quit
                     : !strcmp(v, "AUTH") ? &st->auth
                                          : &st->other_verbs;
    (*slot)++;
}

static bool unanswered(ctx *c, const pend *q) {
    pa_tx_end(c->st->keep, q->tx.cmd_frame, &q->mark);
    if (!pa_tx_kept(c->st->keep, q->tx.cmd_frame)) return false;
    c->st->unanswered++;
    add_tx(c->st, &q->tx);
    return true;
}

/* A request the server will answer: queued, oldest given up at the cap. */
static pend *push(ctx *c, uint8_t kind, const char *verb, const pa_txmark *mark) {
    pa_smtp_flow *f = c->f;
    if (f->npending == PA_SMTP_PENDING) {
        if (unanswered(c, &f->pending[0])) c->st->pending_dropped++;
        memmove(f->pending, f->pending + 1, (PA_SMTP_PENDING - 1) * sizeof f->pending[0]);
        f->npending--;
    }
    pend *q = &f->pending[f->npending++];
    memset(q, 0, sizeof *q);
    q->mark = *mark;
    pa_smtp_tx *t = &q->tx;
    t->cmd_frame = c->frame;
    t->cmd_ts = c->ts;
    t->rt_ns = -1;
    t->client = f->ends.client;
    t->server = f->ends.server;
    t->cport = f->ends.cport;
    t->sport = f->ends.sport;
    t->kind = kind;
    snprintf(t->verb, sizeof t->verb, "%s", verb);
    return q;
}

/* Wireshark takes a client line for a command when it starts with four
 * letters and a space or its end (or is STARTTLS); other lines are message
 * data to it. */
static bool ws_command(const uint8_t *line, size_t n) {
    if (n >= 8 && !strncasecmp((const char *)line, "STARTTLS", 8)) return true;
    if (n < 4 || (n > 4 && line[4] != ' ')) return false;
    for (int i = 0; i < 4; i++)
        if (!((line[i] >= 'A' && line[i] <= 'Z') || (line[i] >= 'a' && line[i] <= 'z'))) return false;
    return true;
}

static void view_line(ctx *c, const uint8_t *line, size_t n) {
    pa_smtp_frame *v = c->view;
    if (!v || c->frame != c->p->frame_no) return;
    v->present = true;
    v->request = true;
    pa_smtp_flow *f = c->f;
    if (f->ws_auth == A_USER || f->ws_auth == A_PASS || f->ws_auth == A_PLAIN) { /* the identity or the password */
        bool pass = f->ws_auth == A_PASS;
        pa_text_copy(pass ? v->pass : v->user, PA_SMTP_VIEW_ARG, line, n);
        if (pass)
            v->has_pass = true;
        else if (f->ws_auth == A_USER)
            v->has_user = true;
        else
            v->has_user_pass = true;
        return;
    }
    if (!ws_command(line, n)) {
        v->message = true;
        return;
    }
    if (v->ncmd == PA_SMTP_VIEW) return;
    uint8_t i = v->ncmd++;
    pa_text_copy(v->cmd[i], sizeof v->cmd[i], line, n < 4 ? n : 4); /* Wireshark: the first four bytes */
    v->has_param[i] = n > 5;
    if (n > 5) pa_text_copy(v->param[i], sizeof v->param[i], line + 5, n - 5);
}

static void command_line(ctx *c, const pa_lines_dir *d, const uint8_t *line, size_t n) {
    pa_smtp_flow *f = c->f;
    pa_smtp_stats *st = c->st;
    bool keep = pa_tx_kept(st->keep, c->frame);
    /* Wireshark's steps of AUTH LOGIN and PLAIN: the line after each 334 */
    if (f->ws_auth == A_USER_REQ)
        f->ws_auth = A_USER;
    else if (f->ws_auth == A_PASS_REQ)
        f->ws_auth = A_PASS;
    else if (f->ws_auth == A_PLAIN_REQ)
        f->ws_auth = A_PLAIN;
    if (f->ws_auth == A_PLAIN && st->ex && pa_tx_counts(st->keep, c->frame))
        pa_expert_add(st->ex, PA_EX_SMTP_BASE64, c->frame);
    view_line(c, line, n);
    if (f->mech >= 0) { /* a SASL response: never kept */
        if (f->mech == PA_SMTP_MECH_LOGIN && !f->user[0] && f->ws_auth == A_USER) {
            uint8_t dec[PA_SMTP_USER_MAX];
            pa_text_copy(f->user, sizeof f->user, dec, pa_b64_decode(line, n, dec, sizeof dec - 1));
        }
        push(c, PA_SMTP_REQ_AUTH_DATA, "(auth)", &d->msg);
        return;
    }
    pa_smtp_command cmd;
    if (!pa_smtp_parse_command(line, n, &cmd)) {
        if (keep) st->bad_lines++;
        pend *q = push(c, PA_SMTP_REQ_COMMAND, "?", &d->msg); /* the server answers it all the same */
        pa_text_copy(q->tx.arg, sizeof q->tx.arg, line, n);
        return;
    }
    if (keep) {
        st->commands++;
        count_verb(st, cmd.verb);
    }
    pend *q = push(c, PA_SMTP_REQ_COMMAND, cmd.verb, &d->msg);
    if (!strcmp(cmd.verb, "AUTH")) {
        const uint8_t *rest;
        size_t rn;
        int m = pa_smtp_mechanism(cmd.arg, cmd.arg_len, &rest, &rn);
        f->mech = (int8_t)m;
        f->user[0] = '\0';
        snprintf(q->tx.arg, sizeof q->tx.arg, "%s", m ? pa_smtp_mech_names[m] : "(other)");
        if (keep) st->auth_attempts[m]++;
        uint8_t dec[192];
        if (m == PA_SMTP_MECH_PLAIN && rn) {
            pa_sasl_plain_user(rest, rn, f->user, sizeof f->user);
            /* the initial response on the AUTH PLAIN line: Wireshark's decoder raises it there too */
            if (st->ex && pa_tx_counts(st->keep, c->frame)) pa_expert_add(st->ex, PA_EX_SMTP_BASE64, c->frame);
        } else if (m == PA_SMTP_MECH_LOGIN && rn) {
            pa_text_copy(f->user, sizeof f->user, dec, pa_b64_decode(rest, rn, dec, PA_SMTP_USER_MAX - 1));
        }
        bool login = n >= 10 && m == PA_SMTP_MECH_LOGIN;
        f->ws_auth = login ? (n <= 11 ? A_START : A_USER) : m == PA_SMTP_MECH_PLAIN && !rn ? A_PLAIN_START : A_NONE;
        return;
    }
    pa_text_copy(q->tx.arg, sizeof q->tx.arg, cmd.arg, cmd.arg_len);
    if (!strcmp(cmd.verb, "DATA")) f->mode = M_DATA_WAIT;
    if (!strcmp(cmd.verb, "STARTTLS")) f->starttls_wait = true;
    if (!strcmp(cmd.verb, "RCPT") && keep) st->recipients++;
    if (!strcmp(cmd.verb, "BDAT")) { /* the chunk follows the line at once */
        uint64_t len = 0;
        for (size_t i = 0; i < cmd.arg_len && cmd.arg[i] >= '0' && cmd.arg[i] <= '9' && len < (1ull << 40); i++)
            len = len * 10 + (uint64_t)(cmd.arg[i] - '0');
        f->bdat_left = len;
        if (len) f->mode = M_BDAT;
        if (keep) st->message_bytes += len;
    }
}

static void auth_outcome(ctx *c, const pend *q, int code) {
    pa_smtp_stats *st = c->st;
    pa_smtp_flow *f = c->f;
    bool ok = code == 235;
    if (ok)
        st->auth_ok++;
    else
        st->auth_failed++;
    if (!pa_login_note(&st->auths, &f->ends, ok, q->tx.cmd_frame, f->user)) st->auths_overflow++;
}

static void reply_done(ctx *c, int code) {
    pa_smtp_stats *st = c->st;
    pa_smtp_flow *f = c->f;
    bool greeting = !f->greeted && !f->npending;
    f->greeted = true;
    /* a line sent after this reply (bytes held behind a hole, read at the end) is not what it answers */
    pend *q = !greeting && f->npending && f->pending[0].tx.cmd_frame <= c->frame ? &f->pending[0] : NULL;
    if (q)
        pa_tx_merge(st->keep, &q->mark, &f->reply);
    else
        pa_tx_end(st->keep, c->frame, &f->reply);
    uint64_t key = q ? q->tx.cmd_frame : c->frame;
    bool keep = pa_tx_kept(st->keep, key);
    if (keep) {
        st->replies++;
        st->reply_class[code / 100]++;
        st->reply_code[code]++;
    }
    /* Wireshark's AUTH steps follow the 334s */
    if (code == 334)
        f->ws_auth = f->ws_auth == A_START         ? A_USER_REQ
                     : f->ws_auth == A_USER        ? A_PASS_REQ
                     : f->ws_auth == A_PLAIN_START ? A_PLAIN_REQ
                                                   : f->ws_auth;
    else
        f->ws_auth = A_NONE;
    if (f->starttls_wait) {
        f->starttls_wait = false;
        if (keep) st->starttls++;
        if (code == 220) {
            f->mode = M_TLS; /* what follows is TLS: the TLS analyzer reads it */
            if (keep) st->starttls_ok++;
        }
    }
    if (greeting) {
        if (keep && code == 220) st->greetings++;
        return;
    }
    if (!q) {
        if (keep) st->orphan_replies++;
        return;
    }
    pend done = *q;
    memmove(f->pending, f->pending + 1, (size_t)(f->npending - 1) * sizeof f->pending[0]);
    f->npending--;
    if (f->mode == M_DATA_WAIT && !strcmp(done.tx.verb, "DATA")) {
        f->mode = code == 354 ? M_BODY : M_CMD;
        f->body_bytes = 0;
        f->body_line_len = 0;
        f->body = (pa_txmark){0};
    }
    if (f->mech >= 0 && code != 334) {
        /* 235 accepted, 535 refused (RFC 4954); other codes end the exchange with no verdict on the credentials */
        if (keep && (code == 235 || code == 535)) auth_outcome(c, &done, code);
        f->mech = -1;
    }
    pa_tx_end(st->keep, done.tx.cmd_frame, &done.mark);
    if (!keep) return;
    done.tx.reply_frame = c->frame;
    done.tx.rt_ns = c->ts - done.tx.cmd_ts;
    done.tx.code = (uint16_t)code;
    add_tx(st, &done.tx);
}

static void reply_line(ctx *c, const pa_lines_dir *d, const uint8_t *line, size_t n) {
    pa_smtp_flow *f = c->f;
    bool more;
    int code = pa_smtp_reply_code(line, n, &more);
    if (f->in_multi) {
        pa_tx_merge(c->st->keep, &f->reply, &d->msg);
        if (code == f->multi_code && !more) {
            f->in_multi = false;
            reply_done(c, code);
        }
        return;
    }
    if (code < 0) {
        if (pa_tx_counts(c->st->keep, c->frame)) c->st->bad_lines++;
        return;
    }
    f->reply = d->msg;
    if (more) {
        f->in_multi = true;
        f->multi_code = (uint16_t)code;
        return;
    }
    reply_done(c, code);
}

static void process_line(ctx *c, pa_lines_dir *d, const uint8_t *line, size_t n) {
    pa_smtp_flow *f = c->f;
    if (f->client < 0) {
        pa_smtp_command cmd;
        if (!c->p) return; /* bytes flushed at the end, the sides never told */
        bool more;
        if (pa_smtp_reply_code(line, n, &more) >= 0)
            set_client(c, !c->side);
        else if (pa_smtp_parse_command(line, n, &cmd))
            set_client(c, c->side);
        else {
            if (pa_tx_counts(c->st->keep, c->frame)) c->st->bad_lines++;
            return;
        }
    }
    if (c->side == f->client)
        command_line(c, d, line, n);
    else
        reply_line(c, d, line, n);
}

/* Wireshark's view of a server segment: every line's text after its code,
 * the first line's code. */
static void view_reply(ctx *c, const uint8_t *data, size_t len) {
    pa_smtp_frame *v = c->view;
    v->present = true;
    v->request = false;
    pa_cur cur = pa_cur_make(data, len);
    bool first = true;
    while (cur.len && v->nrsp < PA_SMTP_VIEW) {
        const uint8_t *nl = memchr(cur.p, '\n', cur.len);
        size_t take = nl ? (size_t)(nl - cur.p) + 1 : cur.len, n = nl ? take - 1 : take;
        if (n && cur.p[n - 1] == '\r') n--;
        bool more;
        if (n >= 3 && first) {
            int code = pa_smtp_reply_code(cur.p, 3, &more);
            if (code < 0 && cur.p[0] >= '0' && cur.p[0] <= '9' && cur.p[1] >= '0' && cur.p[1] <= '9' &&
                cur.p[2] >= '0' && cur.p[2] <= '9')
                code = (cur.p[0] - '0') * 100 + (cur.p[1] - '0') * 10 + (cur.p[2] - '0');
            if (code >= 0) {
                v->code = (uint16_t)code;
                v->ncode = 1;
            }
        }
        first = false;
        if (n > 4) pa_text_copy(v->rsp[v->nrsp++], PA_SMTP_VIEW_ARG, cur.p + 4, n - 4);
        if (!pa_cur_skip(&cur, take)) break;
    }
}

/* Message bytes up to the "." line: returns how many of data belong to the
 * body (the "." line included), having left body mode when it ended. */
static size_t body_bytes(ctx *c, const uint8_t *data, size_t len) {
    pa_smtp_flow *f = c->f;
    pa_smtp_stats *st = c->st;
    pa_tx_touch(st->keep, &f->body, c->frame);
    for (size_t i = 0; i < len; i++) {
        uint8_t ch = data[i];
        if (ch == '\n') {
            bool end = f->body_dot && f->body_line_len <= 2;
            if (end) f->body_bytes -= f->body_line_len; /* the "." line is no part of the message */
            f->body_line_len = 0;
            f->body_dot = false;
            if (end) {
                f->mode = M_CMD;
                if (pa_tx_kept(st->keep, c->frame)) {
                    st->messages++;
                    st->message_bytes += f->body_bytes;
                }
                pend *q = push(c, PA_SMTP_REQ_MESSAGE, ".", &f->body);
                q->tx.message_bytes = f->body_bytes;
                snprintf(q->tx.arg, sizeof q->tx.arg, "(message, %llu bytes)", (unsigned long long)f->body_bytes);
                return i + 1;
            }
            f->body_bytes += 1;
            continue;
        }
        /* the line so far is "." or ".\r": it may end the message */
        f->body_dot = f->body_line_len == 0 ? ch == '.' : f->body_line_len == 1 && f->body_dot && ch == '\r';
        if (f->body_line_len < UINT32_MAX) f->body_line_len++;
        f->body_bytes++;
    }
    return len;
}

/* pa_lines callbacks: the message after DATA and BDAT chunks are taken as
 * they are; everything else is lines. */
static size_t raw(void *ud, const uint8_t *data, size_t len, uint64_t frame, int64_t ts) {
    ctx *c = ud;
    pa_smtp_flow *f = c->f;
    if (f->mode == M_TLS) return len; /* what follows STARTTLS's 220 in the same piece */
    if (c->side != f->client) return 0;
    bool view = c->view && frame == c->p->frame_no;
    if (f->mode == M_BODY) {
        if (view) c->view->present = c->view->request = c->view->message = true;
        c->frame = frame;
        c->ts = ts;
        return body_bytes(c, data, len);
    }
    if (f->mode != M_BDAT) return 0;
    if (view) c->view->present = c->view->request = c->view->message = true;
    size_t take = f->bdat_left < len ? (size_t)f->bdat_left : len;
    f->bdat_left -= take;
    if (!f->bdat_left) f->mode = M_CMD;
    return take;
}

static void on_line(void *ud, pa_lines_dir *d, const uint8_t *line, size_t n, bool cut, uint64_t frame, int64_t ts) {
    ctx *c = ud;
    if (c->f->mode == M_TLS) return;
    c->frame = frame;
    c->ts = ts;
    if (cut && pa_tx_counts(c->st->keep, frame)) c->st->long_lines++;
    process_line(c, d, line, n);
}

static void on_gap(void *ud, uint64_t frame) {
    ctx *c = ud;
    if (pa_tx_counts(c->st->keep, frame)) c->st->gaps++;
}

/* Wireshark shows every server segment as SMTP (it does not reassemble replies) */
static void on_piece(void *ud, const uint8_t *data, size_t len, uint64_t frame) {
    ctx *c = ud;
    pa_smtp_flow *f = c->f;
    if (c->view && frame == c->p->frame_no && f->client >= 0 && c->side != f->client && !c->view->present)
        view_reply(c, data, len);
}

static pa_lines_cb callbacks(ctx *c) {
    return (pa_lines_cb){.ud = c, .keep = c->st->keep, .line = on_line, .raw = raw, .gap = on_gap, .piece = on_piece};
}

void pa_smtp_segment(pa_smtp_stats *st, pa_smtp_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                     pa_smtp_frame *frame) {
    pa_smtp_flow *f = *fp;
    if (!f) {
        f = calloc(1, sizeof *f);
        if (!f) return;
        f->client = -1;
        f->mech = -1;
        pa_lines_open(f->dir, PA_SMTP_LINE_MAX, PA_SMTP_STREAM_CAP, tcp);
        *fp = f;
    }
    if (f->mode == M_TLS) return;
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

bool pa_smtp_is_tls(const pa_smtp_flow *f) { return f && f->mode == M_TLS; }

void pa_smtp_finish_flow(pa_smtp_stats *st, pa_smtp_flow *f) {
    if (!f) return;
    ctx c = {.st = st, .f = f};
    /* bytes held behind a hole: parsed now, across it */
    for (int i = 0; i < 2 && f->mode != M_TLS; i++) {
        c.side = i;
        pa_lines_cb cb = callbacks(&c);
        pa_lines_flush(&f->dir[i], &cb);
    }
    for (uint8_t i = 0; i < f->npending; i++) unanswered(&c, &f->pending[i]);
    f->npending = 0;
}

void pa_smtp_finish(pa_smtp_stats *st) {
    if (st->ntx > 1) qsort(st->tx, st->ntx, sizeof *st->tx, pa_cmp_first_u64);
}

bool pa_smtp_holds_data(const pa_smtp_flow *f) { return f && (f->dir[0].stream.nheld || f->dir[1].stream.nheld); }

void pa_smtp_free_flow(pa_smtp_flow *f) {
    if (!f) return;
    for (int i = 0; i < 2; i++) pa_lines_free(&f->dir[i]);
    free(f);
}
