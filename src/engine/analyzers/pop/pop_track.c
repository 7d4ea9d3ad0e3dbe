#include "pop_track.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cursor.h"
#include "text_session.h"
#include "util_b64.h"

typedef struct pend {
    pa_pop_tx tx;
    pa_txmark mark;
    bool multi; /* a +OK opens a multi-line answer */
} pend;

struct pa_pop_flow {
    pa_lines_dir dir[2];
    int client; /* flow key side sending commands; -1 until known */
    pa_session_ends ends;
    pend pending[PA_POP_PENDING];
    uint8_t npending;
    bool counted, greeted, tls, stls_wait, auth; /* auth: an AUTH exchange is on */
    bool plain;                                  /* of mechanism PLAIN: its message names the user */
    bool in_multi;                               /* reading a multi-line answer up to its "." line */
    pa_pop_tx multi;                             /* the transaction of that answer, completed at the "." */
    pa_txmark multi_mark;
    uint8_t login; /* the verb waiting for a login outcome: 0 none, 'P' PASS, 'A' APOP, 'U' AUTH */
    char user[PA_POP_USER_MAX];
};

typedef struct ctx {
    pa_pop_stats *st;
    pa_pop_flow *f;
    const pa_packet *p; /* NULL when held bytes are read at the end */
    int side;
    uint64_t frame;
    int64_t ts;
    pa_pop_frame *view;
} ctx;

static bool starts(const uint8_t *p, size_t n, const char *s) {
    size_t k = strlen(s);
    return n >= k && strncasecmp((const char *)p, s, k) == 0;
}

int pa_pop_status(const uint8_t *line, size_t n) {
    if (starts(line, n, "+OK") && (n == 3 || line[3] == ' ')) return 1;
    if (starts(line, n, "-ERR") && (n == 4 || line[4] == ' ')) return 0;
    if (n >= 1 && line[0] == '+' && (n == 1 || line[1] == ' ')) return 2;
    return -1;
}

/* a command verb: 3 or 4 letters, then a space or the end */
static size_t verb_len(const uint8_t *line, size_t n) {
    size_t k = 0;
    while (k < n && k < 5 && ((line[k] >= 'A' && line[k] <= 'Z') || (line[k] >= 'a' && line[k] <= 'z'))) k++;
    return (k == 3 || k == 4) && (k == n || line[k] == ' ') ? k : 0;
}

bool pa_pop_look(const pa_packet *p) {
    static const char *const cmds[] = {"USER", "PASS", "STAT", "LIST", "RETR", "DELE", "QUIT", "CAPA",
                                       "STLS", "UIDL", "TOP",  "APOP", "AUTH", "NOOP", "RSET"};
    const uint8_t *d = p->payload;
    size_t n = p->payload_len;
    const uint8_t *nl = memchr(d, '\n', n < 1024 ? n : 1024);
    if (p->l4 != PA_P_TCP || !nl) return false;
    size_t len = (size_t)(nl - d);
    if (len && d[len - 1] == '\r') len--;
    int s = pa_pop_status(d, len);
    if (s == 0 || s == 1) return true;
    size_t k = verb_len(d, len);
    for (size_t i = 0; k && i < sizeof cmds / sizeof cmds[0]; i++)
        if (strlen(cmds[i]) == k && strncasecmp((const char *)d, cmds[i], k) == 0) return true;
    return false;
}

int pa_pop_init(pa_pop_stats *st) {
    memset(st, 0, sizeof *st);
    return pa_login_table_init(&st->pairs, PA_POP_MAX_PAIRS);
}

void pa_pop_stats_free(pa_pop_stats *st) {
    free(st->tx);
    st->tx = NULL;
    st->ntx = st->cap = 0;
    pa_htab_free(&st->pairs);
}

static void add_tx(pa_pop_stats *st, const pa_pop_tx *t) {
    if (!pa_tx_append((void **)&st->tx, &st->ntx, &st->cap, sizeof *t, PA_POP_MAX_TX, t)) st->tx_dropped++;
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

static void command_line(ctx *c, const pa_lines_dir *d, const uint8_t *line, size_t n) {
    pa_pop_flow *f = c->f;
    pa_pop_stats *st = c->st;
    bool keep = pa_tx_kept(st->keep, c->frame);
    if (f->npending == PA_POP_PENDING) {
        unanswered(c, &f->pending[0]);
        if (pa_tx_counts(st->keep, c->frame)) st->pending_dropped++;
        memmove(f->pending, f->pending + 1, (PA_POP_PENDING - 1) * sizeof f->pending[0]);
        f->npending--;
    }
    pend *q = &f->pending[f->npending++];
    memset(q, 0, sizeof *q);
    q->mark = d->msg;
    pa_pop_tx *t = &q->tx;
    t->cmd_frame = c->frame;
    t->cmd_ts = c->ts;
    t->rt_ns = -1;
    t->ok = -1;
    t->client = f->ends.client;
    t->server = f->ends.server;
    t->cport = f->ends.cport;
    t->sport = f->ends.sport;
    if (f->auth) { /* a SASL response: never kept */
        if (f->plain) pa_sasl_plain_user(line, n, f->user, sizeof f->user);
        t->auth_data = true;
        snprintf(t->verb, sizeof t->verb, "(auth)");
        return;
    }
    size_t k = verb_len(line, n);
    if (!k) {
        if (keep) st->bad_lines++;
        snprintf(t->verb, sizeof t->verb, "?");
        pa_text_copy(t->arg, sizeof t->arg, line, n);
        return;
    }
    for (size_t i = 0; i < k; i++) t->verb[i] = (char)(line[i] >= 'a' ? line[i] - 'a' + 'A' : line[i]);
    t->verb[k] = '\0';
    const uint8_t *arg = line + k;
    size_t an = n - k;
    while (an && *arg == ' ') {
        arg++;
        an--;
    }
    if (keep) st->commands++;
    const char *v = t->verb;
    bool secret = !strcmp(v, "PASS") || !strcmp(v, "APOP") || !strcmp(v, "AUTH");
    if (!secret) pa_text_copy(t->arg, sizeof t->arg, arg, an);
    if (!strcmp(v, "USER")) pa_text_copy(f->user, sizeof f->user, arg, an);
    if (!strcmp(v, "PASS")) f->login = 'P';
    if (!strcmp(v, "APOP")) { /* APOP name digest: the name is the login */
        const uint8_t *sp = memchr(arg, ' ', an);
        pa_text_copy(f->user, sizeof f->user, arg, sp ? (size_t)(sp - arg) : an);
        f->login = 'A';
    }
    if (!strcmp(v, "AUTH") && an) {
        const uint8_t *sp = memchr(arg, ' ', an);
        pa_text_copy(t->arg, sizeof t->arg, arg, sp ? (size_t)(sp - arg) : an); /* the mechanism only */
        f->auth = true;
        f->login = 'U';
        f->user[0] = '\0';
        size_t ml = sp ? (size_t)(sp - arg) : an;
        f->plain = ml == 5 && !strncasecmp((const char *)arg, "PLAIN", 5);
        if (f->plain && sp) pa_sasl_plain_user(sp + 1, an - ml - 1, f->user, sizeof f->user); /* initial response */
    }
    if (!strcmp(v, "STLS")) f->stls_wait = true;
    /* answers of several lines: RETR and TOP always, LIST and UIDL without an argument, CAPA */
    q->multi = !strcmp(v, "RETR") || !strcmp(v, "TOP") || !strcmp(v, "CAPA") ||
               ((!strcmp(v, "LIST") || !strcmp(v, "UIDL")) && !an);
    if (!strcmp(v, "RETR") && keep) st->retr++;
}

static void login_outcome(ctx *c, const pa_pop_tx *t, bool ok) {
    pa_pop_stats *st = c->st;
    pa_pop_flow *f = c->f;
    if (ok)
        st->logins_ok++;
    else
        st->logins_failed++;
    uint64_t *by = f->login == 'P' ? &st->login_user_pass : f->login == 'A' ? &st->login_apop : &st->login_auth;
    (*by)++;
    if (!pa_login_note(&st->pairs, &f->ends, ok, t->cmd_frame, f->user)) st->pairs_overflow++;
}

static void reply_line(ctx *c, const pa_lines_dir *d, const uint8_t *line, size_t n) {
    pa_pop_flow *f = c->f;
    pa_pop_stats *st = c->st;
    if (f->in_multi) { /* up to the "." line; a leading dot is doubled (byte-stuffing) */
        pa_tx_merge(st->keep, &f->multi_mark, &d->msg);
        if (n == 1 && line[0] == '.') {
            f->in_multi = false;
            f->multi.end_frame = c->frame;
            pa_tx_end(st->keep, f->multi.cmd_frame, &f->multi_mark);
            if (pa_tx_kept(st->keep, f->multi.cmd_frame)) {
                if (!strcmp(f->multi.verb, "RETR")) st->retr_bytes += f->multi.data_bytes;
                add_tx(st, &f->multi);
            }
            return;
        }
        f->multi.data_bytes += n + 2;
        if (pa_tx_counts(st->keep, c->frame)) st->multi_lines++;
        return;
    }
    int s = pa_pop_status(line, n);
    if (s < 0) {
        if (pa_tx_counts(st->keep, c->frame)) st->bad_lines++;
        return;
    }
    bool greeting = !f->greeted && !f->npending;
    f->greeted = true;
    /* a command sent after this line (bytes held behind a hole, read at the end) is not what it answers */
    pend *q = !greeting && f->npending && f->pending[0].tx.cmd_frame <= c->frame ? &f->pending[0] : NULL;
    uint64_t key = q ? q->tx.cmd_frame : c->frame;
    if (q)
        pa_tx_merge(st->keep, &q->mark, &d->msg);
    else
        pa_tx_end(st->keep, c->frame, &d->msg);
    bool keep = pa_tx_kept(st->keep, key);
    if (keep) {
        st->replies++;
        if (s == 1)
            st->ok++;
        else if (s == 0)
            st->err++;
        else
            st->continuations++;
    }
    if (greeting) {
        if (keep && s == 1) st->greetings++;
        return;
    }
    if (!q) {
        if (keep) st->orphan_replies++;
        return;
    }
    pend done = *q;
    memmove(f->pending, f->pending + 1, (size_t)(f->npending - 1) * sizeof f->pending[0]);
    f->npending--;
    done.tx.reply_frame = done.tx.end_frame = c->frame;
    done.tx.rt_ns = c->ts - done.tx.cmd_ts;
    done.tx.ok = (int8_t)s;
    if (f->stls_wait && !done.tx.auth_data && !strcmp(done.tx.verb, "STLS")) {
        f->stls_wait = false;
        if (keep) st->stls++;
        if (s == 1) {
            f->tls = true; /* what follows is TLS: the TLS analyzer reads it */
            if (keep) st->stls_ok++;
        }
    }
    if (s != 2 && f->login) { /* PASS, APOP or the end of an AUTH exchange */
        if (keep && (done.tx.auth_data || strcmp(done.tx.verb, "USER"))) login_outcome(c, &done.tx, s == 1);
        f->login = 0;
        f->auth = false;
    }
    if (s == 1 && done.multi) { /* completed at its "." line */
        f->in_multi = true;
        f->multi = done.tx;
        f->multi_mark = done.mark;
        return;
    }
    pa_tx_end(st->keep, done.tx.cmd_frame, &done.mark);
    if (keep) add_tx(st, &done.tx);
}

static void on_line(void *ud, pa_lines_dir *d, const uint8_t *line, size_t n, bool cut, uint64_t frame, int64_t ts) {
    ctx *c = ud;
    pa_pop_flow *f = c->f;
    if (f->tls) return;
    c->frame = frame;
    c->ts = ts;
    if (cut && pa_tx_counts(c->st->keep, frame)) c->st->long_lines++;
    if (f->client < 0) {
        if (!c->p) return;
        int s = pa_pop_status(line, n);
        if (s == 0 || s == 1)
            set_client(c, !c->side);
        else if (verb_len(line, n))
            set_client(c, c->side);
        else {
            if (pa_tx_counts(c->st->keep, frame)) c->st->bad_lines++;
            return;
        }
    }
    if (c->side == f->client)
        command_line(c, d, line, n);
    else
        reply_line(c, d, line, n);
}

static size_t raw(void *ud, const uint8_t *data, size_t len, uint64_t frame, int64_t ts) {
    (void)data;
    (void)frame;
    (void)ts;
    return ((ctx *)ud)->f->tls ? len : 0; /* what follows STLS's +OK in the same piece */
}

static void on_gap(void *ud, uint64_t frame) {
    ctx *c = ud;
    if (pa_tx_counts(c->st->keep, frame)) c->st->gaps++;
}

/* Wireshark's view: the first line of each segment, not reassembled. */
static void on_piece(void *ud, const uint8_t *data, size_t len, uint64_t frame) {
    ctx *c = ud;
    pa_pop_frame *v = c->view;
    if (!v || !c->p || frame != c->p->frame_no || v->present || c->f->client < 0) return;
    v->present = true;
    v->request = c->side == c->f->client;
    pa_cur cur = pa_cur_make(data, len);
    size_t n = 0;
    uint8_t ch;
    while (pa_cur_peek_u8(&cur, n, &ch) && ch != '\r' && ch != '\n') n++;
    if (v->request) {
        size_t k = 0;
        while (k < n && data[k] != ' ') k++;
        v->has_command = k > 0;
        pa_text_copy(v->command, sizeof v->command, data, k);
        v->has_param = k + 1 < n;
        if (v->has_param) pa_text_copy(v->param, sizeof v->param, data + k + 1, n - k - 1);
        return;
    }
    int s = pa_pop_status(data, n);
    if (s != 0 && s != 1) return; /* a continuation or data: no indicator */
    size_t k = s ? 3 : 4;
    v->has_indicator = true;
    pa_text_copy(v->indicator, sizeof v->indicator, data, k);
    v->has_desc = k + 1 < n;
    if (v->has_desc) pa_text_copy(v->desc, sizeof v->desc, data + k + 1, n - k - 1);
}

static pa_lines_cb callbacks(ctx *c) {
    return (pa_lines_cb){.ud = c, .keep = c->st->keep, .line = on_line, .raw = raw, .gap = on_gap, .piece = on_piece};
}

void pa_pop_segment(pa_pop_stats *st, pa_pop_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                    pa_pop_frame *frame) {
    pa_pop_flow *f = *fp;
    if (!f) {
        f = calloc(1, sizeof *f);
        if (!f) return;
        f->client = -1;
        pa_lines_open(f->dir, PA_POP_LINE_MAX, PA_POP_STREAM_CAP, tcp);
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

bool pa_pop_is_tls(const pa_pop_flow *f) { return f && f->tls; }
bool pa_pop_holds_data(const pa_pop_flow *f) { return f && (f->dir[0].stream.nheld || f->dir[1].stream.nheld); }

void pa_pop_finish_flow(pa_pop_stats *st, pa_pop_flow *f) {
    if (!f) return;
    ctx c = {.st = st, .f = f};
    for (int i = 0; i < 2 && !f->tls; i++) {
        c.side = i;
        pa_lines_cb cb = callbacks(&c);
        pa_lines_flush(&f->dir[i], &cb);
    }
    if (f->in_multi) { /* the answer never ended: listed as it is */
        f->in_multi = false;
        pa_tx_end(st->keep, f->multi.cmd_frame, &f->multi_mark);
        if (pa_tx_kept(st->keep, f->multi.cmd_frame)) add_tx(st, &f->multi);
    }
    for (uint8_t i = 0; i < f->npending; i++) unanswered(&c, &f->pending[i]);
    f->npending = 0;
}

void pa_pop_finish(pa_pop_stats *st) {
    if (st->ntx > 1) qsort(st->tx, st->ntx, sizeof *st->tx, pa_cmp_first_u64);
}

void pa_pop_free_flow(pa_pop_flow *f) {
    if (!f) return;
    for (int i = 0; i < 2; i++) pa_lines_free(&f->dir[i]);
    free(f);
}
