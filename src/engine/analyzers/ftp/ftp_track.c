#include "ftp_track.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"

typedef struct dir_state {
    pa_stream_dir stream;
    uint8_t *line; /* a line that spans segments (allocated only then) */
    uint32_t n, cap;
    bool cut;            /* the line reached PA_FTP_LINE_MAX: the rest is dropped */
    bool skipping;       /* after a hole in mid-line: drop bytes up to the next line end */
    uint64_t line_frame; /* where the line in progress began */
    pa_stream_mark mark; /* where the line in progress will be placed */
    pa_txmark msg;       /* the frames of the line in progress (display filters) */
} dir_state;

/* A command awaiting its final reply, with the frames of its transaction so far. */
typedef struct pend {
    pa_ftp_tx tx;
    pa_txmark mark;
} pend;

struct pa_ftp_flow {
    dir_state dir[2];
    int client; /* flow key side that sends commands; -1 until known */
    pa_addr client_addr, server_addr;
    uint16_t cport, sport;
    pend *pending; /* oldest first; grown on demand up to PA_FTP_PENDING */
    uint8_t npending, pendcap;
    bool counted;  /* a frame of the session counts (always, without a filter) */
    bool greeted;  /* the server has replied once */
    bool in_multi; /* inside a multi-line reply */
    uint16_t multi_code;
    uint64_t reply_start; /* frame where the reply being read began */
    pa_txmark reply;      /* the frames of the reply being read */
    char user[PA_FTP_USER_MAX];
    pa_ftp_ctl data; /* what its data connections need (ftp_data.h) */
};

/* The current packet, for the sink. */
typedef struct ctx {
    pa_ftp_stats *st;
    pa_ftp_flow *f;
    const pa_packet *p;
    int side;
    uint64_t frame; /* where a line completing now is placed */
    int64_t ts;
    uint64_t chunk_frame; /* the segment that carried the bytes being parsed */
    int64_t chunk_ts;
    pa_ftp_frame *view; /* NULL: nobody asked */
} ctx;

int pa_ftp_init(pa_ftp_stats *st) {
    memset(st, 0, sizeof *st);
    if (pa_ftp_data_init(&st->data)) return -1;
    if (pa_htab_init(&st->servers, sizeof(pa_ftp_server), offsetof(pa_ftp_server, port) + sizeof(uint16_t),
                     PA_FTP_MAX_SERVERS)) {
        pa_ftp_data_free(&st->data);
        return -1;
    }
    if (pa_htab_init(&st->logins, sizeof(pa_ftp_login_pair), offsetof(pa_ftp_login_pair, port) + sizeof(uint16_t),
                     PA_FTP_MAX_LOGIN_PAIRS)) {
        pa_htab_free(&st->servers);
        pa_ftp_data_free(&st->data);
        return -1;
    }
    return 0;
}

void pa_ftp_stats_free(pa_ftp_stats *st) {
    free(st->tx);
    st->tx = NULL;
    st->ntx = st->cap = 0;
    pa_htab_free(&st->servers);
    pa_htab_free(&st->logins);
    pa_ftp_data_free(&st->data);
}

/* Printable ASCII, cut to fit: names and paths go into reports. */
static void copy_text(char *dst, size_t size, const uint8_t *src, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < size; i++) dst[k++] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
    dst[k] = '\0';
}

static pa_ftp_server *server_rec(ctx *c) {
    pa_ftp_flow *f = c->f;
    if (f->client < 0) return NULL;
    pa_ftp_server key;
    memset(&key, 0, sizeof key);
    key.addr = f->server_addr;
    key.port = f->sport;
    bool created;
    pa_ftp_server *s = pa_htab_upsert(&c->st->servers, &key, &created);
    if (!s) c->st->servers_overflow++;
    return s;
}

static pa_ftp_login_pair *login_rec(ctx *c) {
    pa_ftp_flow *f = c->f;
    pa_ftp_login_pair key;
    memset(&key, 0, sizeof key);
    key.client = f->client_addr;
    key.server = f->server_addr;
    key.port = f->sport;
    bool created;
    pa_ftp_login_pair *l = pa_htab_upsert(&c->st->logins, &key, &created);
    if (!l) c->st->logins_overflow++;
    return l;
}

static pa_ftp_tx *new_tx(pa_ftp_stats *st) {
    if (st->ntx >= PA_FTP_MAX_TX) {
        st->tx_dropped++;
        return NULL;
    }
    if (st->ntx == st->cap) {
        size_t ncap = st->cap ? st->cap * 2 : 64;
        pa_ftp_tx *n = realloc(st->tx, ncap * sizeof *n);
        if (!n) {
            st->tx_dropped++;
            return NULL;
        }
        st->tx = n;
        st->cap = ncap;
    }
    return &st->tx[st->ntx++];
}

/* The side that sends commands, once a line tells; the server's address
 * and port follow from it. */
static void set_client(ctx *c, int client_side) {
    pa_ftp_flow *f = c->f;
    const pa_packet *p = c->p;
    f->client = client_side;
    bool from_client = c->side == client_side;
    f->client_addr = from_client ? p->src : p->dst;
    f->server_addr = from_client ? p->dst : p->src;
    f->cport = from_client ? p->sport : p->dport;
    f->sport = from_client ? p->dport : p->sport;
    if (!f->counted) return;
    pa_ftp_server *s = server_rec(c);
    if (s) s->sessions++;
}

/* The session counts from its first frame that does (under a display
 * filter: the first matching frame that carries its bytes), in total and,
 * once its server is known, per server. */
static void count_session(ctx *c) {
    c->f->counted = true;
    c->st->sessions++;
    if (c->f->client < 0) return;
    pa_ftp_server *s = server_rec(c);
    if (s) s->sessions++;
}

static void count_verb(pa_ftp_stats *st, const char *verb) {
    for (size_t i = 0; i < st->nverbs; i++)
        if (strcmp(st->verbs[i].verb, verb) == 0) {
            st->verbs[i].count++;
            return;
        }
    if (st->nverbs == PA_FTP_MAX_VERBS) {
        st->verbs_overflow++;
        return;
    }
    memcpy(st->verbs[st->nverbs].verb, verb, sizeof st->verbs[0].verb);
    st->verbs[st->nverbs++].count = 1;
}

/* A command that will get no reply: listed, when its transaction counts
 * (then true). */
static bool unanswered(ctx *c, const pend *q) {
    pa_tx_end(c->st->keep, q->tx.cmd_frame, &q->mark);
    if (!pa_tx_kept(c->st->keep, q->tx.cmd_frame)) return false;
    c->st->unanswered++;
    pa_ftp_server *s = server_rec(c);
    if (s) s->unanswered++;
    pa_ftp_tx *u = new_tx(c->st);
    if (u) *u = q->tx;
    return true;
}

/* The control connection, for its data connections. */
static pa_ftp_ctl_ends ends(const ctx *c) {
    const pa_ftp_flow *f = c->f;
    pa_ftp_ctl_ends e = {f->client_addr, f->server_addr, f->cport, f->sport, c->side == f->client};
    return e;
}

static void command_line(ctx *c, const dir_state *d, const uint8_t *line, size_t n) {
    pa_ftp_flow *f = c->f;
    pa_ftp_stats *st = c->st;
    pa_ftp_ctl_ends e = ends(c);
    pa_ftp_data_request(&st->data, &f->data, &e, line, n, c->frame);
    pa_ftp_command cmd;
    if (!pa_ftp_parse_command(line, n, &cmd)) {
        if (pa_tx_counts(st->keep, c->frame)) st->bad_lines++;
        return;
    }
    bool keep = pa_tx_kept(st->keep, c->frame);
    if (keep) {
        st->commands++;
        count_verb(st, cmd.verb);
        pa_ftp_server *s = server_rec(c);
        if (s) s->commands++;
    }
    if (strcmp(cmd.verb, "USER") == 0) copy_text(f->user, sizeof f->user, cmd.arg, cmd.arg_len);
    if (f->npending == PA_FTP_PENDING) { /* too many outstanding: the oldest is given up */
        if (unanswered(c, &f->pending[0])) st->pending_dropped++;
        memmove(f->pending, f->pending + 1, (f->npending - 1) * sizeof f->pending[0]);
        f->npending--;
    }
    if (f->npending == f->pendcap) {
        uint8_t ncap = f->pendcap ? (uint8_t)(f->pendcap * 2) : 2;
        pend *np = realloc(f->pending, ncap * sizeof *np);
        if (!np) { /* not tracked: counted as unanswered */
            pa_tx_end(st->keep, c->frame, &d->msg);
            if (keep) st->unanswered++;
            return;
        }
        f->pending = np;
        f->pendcap = ncap;
    }
    pend *q = &f->pending[f->npending++];
    memset(q, 0, sizeof *q);
    q->mark = d->msg;
    pa_ftp_tx *t = &q->tx;
    t->cmd_frame = c->frame;
    t->cmd_ts = c->ts;
    t->rt_ns = t->prelim_ns = -1;
    t->client = f->client_addr;
    t->server = f->server_addr;
    t->cport = f->cport;
    t->sport = f->sport;
    memcpy(t->verb, cmd.verb, sizeof t->verb);
    /* a password is never kept, whatever the tool shows */
    if (strcmp(cmd.verb, "PASS") != 0) copy_text(t->arg, sizeof t->arg, cmd.arg, cmd.arg_len);
}

static bool is_login_verb(const char *v) { return !strcmp(v, "USER") || !strcmp(v, "PASS") || !strcmp(v, "ACCT"); }

/* A whole reply (the last line of a multi-line one): counted, then paired
 * with the oldest command waiting when it is final. It belongs to that
 * command's transaction (a 1xx too); the greeting, and a reply no command
 * waits for, are transactions of their own. */
static void reply_done(ctx *c, int code) {
    pa_ftp_stats *st = c->st;
    pa_ftp_flow *f = c->f;
    bool first = !f->greeted;
    f->greeted = true;
    bool greeting = first && (code == 220 || code == 120 || code == 421); /* it answers no command */
    pend *q = !greeting && f->npending ? &f->pending[0] : NULL;
    if (q)
        pa_tx_merge(st->keep, &q->mark, &f->reply);
    else
        pa_tx_end(st->keep, c->frame, &f->reply);
    bool keep = pa_tx_kept(st->keep, q ? q->tx.cmd_frame : c->frame);
    pa_ftp_server *s = NULL;
    if (keep) {
        st->replies++;
        st->reply_class[code / 100]++;
        st->reply_code[code]++;
        s = server_rec(c);
        if (s) {
            s->replies++;
            s->reply_class[code / 100]++;
        }
    }
    if (greeting) {
        if (keep && code == 220) st->greetings++;
        return;
    }
    if (code < 200) { /* preliminary: the command still waits for its final reply */
        if (keep) st->preliminary++;
        if (q && !q->tx.prelim_frame) {
            q->tx.prelim_frame = c->frame;
            q->tx.prelim_code = (uint16_t)code;
            q->tx.prelim_ns = c->ts - q->tx.cmd_ts;
        }
        return;
    }
    if (!q) {
        if (keep) st->orphan_replies++;
        return;
    }
    pend done = *q;
    pa_ftp_data_final(&st->data, &f->data, done.tx.cmd_frame, code, c->frame);
    memmove(f->pending, f->pending + 1, (f->npending - 1) * sizeof f->pending[0]);
    f->npending--;
    pa_tx_end(st->keep, done.tx.cmd_frame, &done.mark);
    if (!keep) return;
    done.tx.reply_frame = c->frame;
    done.tx.reply_start_frame = f->reply_start;
    done.tx.rt_ns = c->ts - done.tx.cmd_ts;
    done.tx.code = (uint16_t)code;
    /* a login's outcome is the transaction's that got it */
    if (is_login_verb(done.tx.verb) && (code == 530 || code == 230)) {
        pa_ftp_login_pair *l = login_rec(c);
        if (code == 530) {
            st->logins_failed++;
            if (s) s->logins_failed++;
            if (l) {
                if (!l->failed) l->first_failed_frame = done.tx.cmd_frame;
                l->failed++;
            }
        } else {
            st->logins_ok++;
            if (s) s->logins_ok++;
            if (l) l->ok++;
        }
        if (l) memcpy(l->user, f->user, sizeof l->user);
    }
    pa_ftp_tx *t = new_tx(st);
    if (t) *t = done.tx;
}

static void reply_line(ctx *c, const dir_state *d, const uint8_t *line, size_t n) {
    pa_ftp_flow *f = c->f;
    bool more;
    int code = pa_ftp_reply_code(line, n, &more);
    if (code >= 0) {
        pa_ftp_ctl_ends e = ends(c);
        pa_ftp_data_reply(&c->st->data, &f->data, &e, code, line, n, c->frame);
    }
    if (f->in_multi) { /* only "<same code> " ends it; any other line is its text */
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
    f->reply_start = d->line_frame;
    f->reply = d->msg;
    if (more) {
        f->in_multi = true;
        f->multi_code = (uint16_t)code;
        return;
    }
    reply_done(c, code);
}

static void process_line(ctx *c, dir_state *d, const uint8_t *line, size_t n) {
    pa_ftp_flow *f = c->f;
    pa_cur cur = pa_cur_make(line, n);
    uint8_t last;
    if (pa_cur_peek_u8(&cur, n ? n - 1 : 0, &last) && last == '\r') n--;
    if (f->client < 0) {
        pa_ftp_command cmd;
        bool more;
        if (pa_ftp_reply_code(line, n, &more) >= 0)
            set_client(c, !c->side);
        else if (pa_ftp_parse_command(line, n, &cmd))
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

/* After a hole, bytes that look like the start of a line (a reply code or a
 * command verb) are taken as one; anything else waits for a line end. */
static bool plausible_start(const uint8_t *data, size_t len) {
    size_t n = 0;
    while (n < len && n < 8 && data[n] != '\n' && data[n] != '\r') n++;
    bool more;
    pa_ftp_command cmd;
    return pa_ftp_reply_code(data, n < 4 ? n : 4, &more) >= 0 || pa_ftp_parse_command(data, n < 5 ? n : 5, &cmd);
}

static void fill_view(ctx *c, const uint8_t *data, size_t len) {
    pa_ftp_frame *v = c->view;
    pa_ftp_ws_line w;
    v->present = true;
    v->request = c->side == c->f->client;
    pa_ftp_ws_first_line(data, len, v->request, &w);
    v->has_command = w.has_command;
    v->has_code = w.has_code;
    v->has_arg = w.has_arg;
    v->code = w.code;
    if (w.has_command) copy_text(v->command, sizeof v->command, w.command, w.command_len);
    if (w.has_arg) copy_text(v->arg, sizeof v->arg, w.arg, w.arg_len);
}

static bool append(dir_state *d, const uint8_t *b, size_t n) {
    if (d->cut) return true;
    if (d->n + n > PA_FTP_LINE_MAX) {
        n = PA_FTP_LINE_MAX - d->n;
        d->cut = true;
    }
    if (d->n + n > d->cap) {
        uint32_t ncap = d->cap ? d->cap : 128;
        while (ncap < d->n + n) ncap *= 2;
        if (ncap > PA_FTP_LINE_MAX) ncap = PA_FTP_LINE_MAX;
        uint8_t *nb = realloc(d->line, ncap);
        if (!nb) return false;
        d->line = nb;
        d->cap = ncap;
    }
    if (n) memcpy(d->line + d->n, b, n);
    d->n += (uint32_t)n;
    return true;
}

static void sink(void *ud, const uint8_t *data, size_t len, uint64_t frame, int64_t ts, bool gap) {
    ctx *c = ud;
    dir_state *d = &c->f->dir[c->side];
    c->chunk_frame = frame;
    c->chunk_ts = ts;
    pa_mark_note(&d->mark, frame, ts, gap);
    c->frame = d->mark.frame;
    c->ts = d->mark.ts;
    if (gap) {
        if (pa_tx_counts(c->st->keep, frame)) c->st->gaps++;
        d->n = 0;
        d->cut = false;
        d->skipping = !plausible_start(data, len);
        d->msg = (pa_txmark){0};
    }
    /* Wireshark shows the first line of each segment, whatever came before */
    bool view = c->view && !c->view->present && frame == c->p->frame_no;
    pa_cur cur = pa_cur_make(data, len);
    while (cur.len) {
        const uint8_t *nl = memchr(cur.p, '\n', cur.len);
        size_t take = nl ? (size_t)(nl - cur.p) + 1 : cur.len;
        if (d->skipping) {
            d->skipping = !nl;
        } else {
            if (d->n == 0 && !d->cut) d->line_frame = frame;
            pa_tx_touch(c->st->keep, &d->msg, frame); /* bytes of the line in progress */
            if (nl && d->n == 0) {
                process_line(c, d, cur.p, take - 1); /* whole in this piece: no copy */
            } else if (!append(d, cur.p, take)) {    /* out of memory: the line is lost */
                if (pa_tx_counts(c->st->keep, frame)) c->st->bad_lines++;
                d->n = 0;
                d->cut = false;
                d->skipping = !nl;
                d->msg = (pa_txmark){0};
            } else if (nl) {
                if (d->cut && pa_tx_counts(c->st->keep, c->frame)) c->st->long_lines++;
                /* a cut line has lost its end: parse what was kept (else drop the LF) */
                process_line(c, d, d->line, d->cut ? d->n : d->n - 1);
            }
        }
        if (!pa_cur_skip(&cur, take)) break;
        if (nl) { /* the next line is placed from here */
            d->n = 0;
            d->cut = false;
            d->msg = (pa_txmark){0};
            free(d->line);
            d->line = NULL;
            d->cap = 0;
            pa_mark_restart(&d->mark, c->chunk_frame, c->chunk_ts);
            c->frame = c->chunk_frame;
            c->ts = c->chunk_ts;
        }
    }
    if (view) fill_view(c, data, len);
}

void pa_ftp_segment(pa_ftp_stats *st, pa_ftp_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                    pa_ftp_frame *frame) {
    pa_ftp_flow *f = *fp;
    if (!f) {
        f = calloc(1, sizeof *f);
        if (!f) return;
        f->client = -1;
        pa_ftp_ctl_init(&f->data);
        for (int i = 0; i < 2; i++) {
            pa_stream_init(&f->dir[i].stream, PA_FTP_STREAM_CAP);
            if (tcp && tcp->dir[i].base_known) pa_stream_begin(&f->dir[i].stream, tcp->dir[i].base + 1);
        }
        *fp = f;
    }
    ctx c = {st, f, p, from, p->frame_no, p->ts_ns, p->frame_no, p->ts_ns, frame};
    bool counts = pa_tx_counts(st->keep, p->frame_no);
    if (!f->counted && counts) count_session(&c);
    bool syn = p->tcp.flags & PA_TCP_SYN;
    if (pa_stream_segment(&f->dir[from].stream, p->tcp.seq, syn, p->payload, p->payload_len, p->frame_no, p->ts_ns,
                          sink, &c) &&
        counts)
        st->streams_capped++;
}

void pa_ftp_finish_flow(pa_ftp_stats *st, pa_ftp_flow *f) {
    if (!f) return;
    ctx c = {.st = st, .f = f};
    for (uint8_t i = 0; i < f->npending; i++) unanswered(&c, &f->pending[i]);
    f->npending = 0;
}

static int by_cmd_frame(const void *x, const void *y) {
    const pa_ftp_tx *a = x, *b = y;
    return a->cmd_frame < b->cmd_frame ? -1 : a->cmd_frame > b->cmd_frame;
}

void pa_ftp_finish(pa_ftp_stats *st) {
    if (st->ntx > 1) qsort(st->tx, st->ntx, sizeof *st->tx, by_cmd_frame);
}

bool pa_ftp_holds_data(const pa_ftp_flow *f) { return f && (f->dir[0].stream.nheld || f->dir[1].stream.nheld); }

void pa_ftp_free_flow(pa_ftp_flow *f) {
    if (!f) return;
    for (int i = 0; i < 2; i++) {
        pa_stream_free(&f->dir[i].stream);
        free(f->dir[i].line);
    }
    free(f->pending);
    free(f);
}
