#include "http_track.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { H_HEAD, H_BODY, H_CHUNK_SIZE, H_CHUNK_DATA, H_CHUNK_END, H_TRAILER, H_UNTIL_CLOSE, H_RESYNC };

typedef struct dir_state {
    pa_stream_dir stream;
    int st;
    uint8_t *head; /* head bytes so far (grows with the head, up to PA_HTTP_HEAD_MAX) */
    uint32_t headn, headcap;
    uint64_t remaining; /* body or chunk bytes still to come */
    char line[24];      /* chunk-size line */
    uint8_t linen;
    pa_http_head cur;           /* the message in progress */
    char start[PA_EXPERT_TEXT]; /* its start line, escaped as Wireshark shows it ("GET / HTTP/1.1\\r\\n") */
    pa_stream_mark mark;        /* where the message in progress will be placed */
    pa_txmark msg;              /* the frames of the message in progress (display filters) */
} dir_state;

/* A request awaiting its response, with the frames of its transaction so far. */
typedef struct pend {
    pa_http_tx tx;
    pa_txmark mark;
} pend;

struct pa_http_flow {
    dir_state dir[2];
    int client;                /* flow key side that sends requests; -1 until known */
    pend *pending;             /* oldest first, up to PA_HTTP_PENDING; one more evicts the oldest as unanswered */
    uint8_t npending, pendcap; /* grown on demand: most connections have one request outstanding */
    uint32_t stream;           /* tcp.stream, for the transactions */
};

/* The current packet, for the sink (bytes may come from a held segment, but
 * a message completes at the packet that completes it, as in Wireshark). */
typedef struct ctx {
    pa_http_stats *st;
    pa_http_flow *h;
    const pa_packet *p;
    int side;
    uint64_t frame; /* where a message completing now is placed: the latest frame of its bytes */
    int64_t ts;
    uint64_t chunk_frame; /* the segment that carried the bytes being parsed */
    int64_t chunk_ts;
    void (*cb)(void *ud, const pa_http_tx *tx, bool response);
    void *ud;
} ctx;

static void copy_cut(char *dst, size_t size, const char *src) {
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The start line as Wireshark's expert summary shows it: control
 * characters escaped, the line ending included. */
static void start_line(char *out, size_t size, const uint8_t *head, size_t n) {
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < size; i++) {
        uint8_t ch = head[i];
        if (ch == '\r' || ch == '\n' || ch == '\\') {
            out[o++] = '\\';
            out[o++] = ch == '\r' ? 'r' : ch == '\n' ? 'n' : '\\';
        } else if (ch < 0x20 || ch >= 0x7f) {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[ch >> 4];
            out[o++] = hex[ch & 15];
        } else {
            out[o++] = (char)ch;
        }
        if (ch == '\n') break;
    }
    out[o] = '\0';
}

static void expert_msg(ctx *c, const dir_state *d) {
    pa_expert *ex = c->st->ex;
    if (!ex || !pa_tx_counts(c->st->keep, c->frame)) return;
    pa_expert_add(ex, d->cur.request ? PA_EX_HTTP_REQUEST : PA_EX_HTTP_RESPONSE, c->frame, d->start);
    if (!d->cur.request && d->cur.status >= 400 && d->cur.status < 600)
        pa_expert_add(ex, d->cur.status >= 500 ? PA_EX_HTTP_SERVER_ERROR : PA_EX_HTTP_CLIENT_ERROR, c->frame,
                      (unsigned)d->cur.status);
}

/* Bytes on an HTTP connection that are not a message are counted, not
 * raised as expert information: Wireshark shows them as continuation data. */
/* Authorization / Proxy-Authorization: Basic in a request head. */
static void basic_auth(ctx *c, const uint8_t *head, size_t n) {
    static const char *const names[] = {"\nauthorization:", "\nproxy-authorization:"};
    for (size_t k = 0; k < 2; k++) {
        size_t w = strlen(names[k]);
        /* the names start with the newline: only line starts are compared */
        for (const uint8_t *nl = memchr(head, '\n', n); nl; nl = memchr(nl + 1, '\n', n - (size_t)(nl + 1 - head))) {
            size_t i = (size_t)(nl - head);
            if (i + w >= n) break;
            if (strncasecmp((const char *)head + i, names[k], w) != 0) continue;
            size_t j = i + w;
            while (j < n && head[j] == ' ') j++;
            if (j + 6 > n || strncasecmp((const char *)head + j, "basic ", 6) != 0) continue;
            j += 6;
            size_t e = j;
            while (e < n && head[e] != '\r' && head[e] != '\n') e++;
            const pa_packet *p = c->p;
            pa_sec_cred *cr = pa_sec_credential(c->st->sec, "HTTP", k ? "Proxy Basic" : "Basic", &p->src, &p->dst,
                                                p->dport, c->frame);
            if (cr) pa_sec_basic(cr, (const char *)head + j, e - j, false);
        }
    }
}

/* Bytes that are not HTTP: counted on the frame that carried them; the
 * direction waits for the next message. */
static void parse_error(ctx *c, dir_state *d) {
    if (pa_tx_counts(c->st->keep, c->chunk_frame)) c->st->parse_errors++;
    d->st = H_RESYNC;
    d->headn = 0;
    d->msg = (pa_txmark){0};
}

static pa_http_tx *new_tx(pa_http_stats *st) {
    if (st->ntx >= PA_HTTP_MAX_TX) {
        st->tx_dropped++;
        return NULL;
    }
    if (st->ntx == st->cap) {
        size_t ncap = st->cap ? st->cap * 2 : 64;
        pa_http_tx *n = realloc(st->tx, ncap * sizeof *n);
        if (!n) return NULL;
        st->tx = n;
        st->cap = ncap;
    }
    pa_http_tx *t = &st->tx[st->ntx++];
    memset(t, 0, sizeof *t);
    return t;
}

/* A request that will get no response: listed, when its transaction counts. */
static void unanswered(pa_http_stats *st, const pend *q) {
    pa_tx_end(st->keep, q->tx.req_frame, &q->mark);
    if (!pa_tx_kept(st->keep, q->tx.req_frame)) return;
    st->unanswered++;
    pa_http_tx *t = new_tx(st);
    if (t) *t = q->tx;
}

static void complete(ctx *c, dir_state *d) {
    pa_http_flow *h = c->h;
    pa_http_stats *st = c->st;
    const pa_packet *p = c->p;
    expert_msg(c, d);
    if (d->cur.request) {
        bool keep = pa_tx_kept(st->keep, c->frame);
        if (keep) st->requests++;
        if (h->client < 0) h->client = c->side;
        if (h->npending == PA_HTTP_PENDING) {
            /* too many outstanding: the oldest is listed as unanswered */
            unanswered(st, &h->pending[0]);
            memmove(h->pending, h->pending + 1, (h->npending - 1) * sizeof h->pending[0]);
            h->npending--;
        }
        if (h->npending == h->pendcap) {
            uint8_t ncap = h->pendcap ? (uint8_t)(h->pendcap * 2) : 1;
            pend *np = realloc(h->pending, ncap * sizeof *np);
            if (!np) { /* not tracked: counted as unanswered */
                pa_tx_end(st->keep, c->frame, &d->msg);
                if (keep) st->unanswered++;
                return;
            }
            h->pending = np;
            h->pendcap = ncap;
        }
        pend *q = &h->pending[h->npending++];
        memset(q, 0, sizeof *q);
        q->mark = d->msg;
        pa_http_tx *t = &q->tx;
        t->req_frame = c->frame;
        t->req_ts = c->ts;
        t->rt_ns = -1;
        t->client = p->src;
        t->server = p->dst;
        t->cport = p->sport;
        t->sport = p->dport;
        t->stream = h->stream;
        copy_cut(t->method, sizeof t->method, d->cur.method);
        copy_cut(t->host, sizeof t->host, d->cur.host);
        copy_cut(t->uri, sizeof t->uri, d->cur.uri);
        copy_cut(t->user_agent, sizeof t->user_agent, d->cur.user_agent);
        if (c->cb) c->cb(c->ud, t, false);
        return;
    }
    /* a response belongs to the transaction of the oldest request waiting,
     * or is one by itself */
    pend *q = h->npending ? &h->pending[0] : NULL;
    bool keep = pa_tx_kept(st->keep, q ? q->tx.req_frame : c->frame);
    if (keep) {
        st->responses++;
        if (d->cur.status >= 100 && d->cur.status < 600) st->status_class[d->cur.status / 100]++;
    }
    if (d->cur.status >= 100 && d->cur.status < 200 && d->cur.status != 101) {
        /* interim (100 Continue): reported, but the request still awaits its final answer */
        if (q)
            pa_tx_merge(st->keep, &q->mark, &d->msg);
        else
            pa_tx_end(st->keep, c->frame, &d->msg);
        pa_http_tx interim = {.resp_frame = c->frame, .rt_ns = -1, .status = d->cur.status};
        if (c->cb) c->cb(c->ud, &interim, true);
        return;
    }
    if (!q) { /* a response to no request we parsed: reported, not timed */
        pa_tx_end(st->keep, c->frame, &d->msg);
        if (keep) st->orphan_responses++;
        pa_http_tx orphan = {.resp_frame = c->frame,
                             .rt_ns = -1,
                             .status = d->cur.status,
                             .client = p->dst,
                             .server = p->src,
                             .cport = p->dport,
                             .sport = p->sport,
                             .stream = h->stream};
        if (c->cb) c->cb(c->ud, &orphan, true);
        return;
    }
    pend done = *q;
    memmove(h->pending, h->pending + 1, (h->npending - 1) * sizeof h->pending[0]);
    h->npending--;
    pa_tx_merge(st->keep, &done.mark, &d->msg);
    pa_tx_end(st->keep, done.tx.req_frame, &done.mark);
    done.tx.resp_frame = c->frame;
    done.tx.rt_ns = c->ts - done.tx.req_ts;
    done.tx.status = d->cur.status;
    copy_cut(done.tx.content_type, sizeof done.tx.content_type, d->cur.content_type);
    done.tx.resp_length = d->cur.content_length;
    if (keep) {
        pa_http_tx *t = new_tx(st);
        if (t) *t = done.tx;
    }
    if (c->cb) c->cb(c->ud, &done.tx, true);
}

/* A message ends: report it, and start the next one's mark at the bytes
 * being parsed. */
static void finish_msg(ctx *c, dir_state *d) {
    complete(c, d);
    d->msg = (pa_txmark){0};
    pa_mark_restart(&d->mark, c->chunk_frame, c->chunk_ts);
    c->frame = c->chunk_frame;
    c->ts = c->chunk_ts;
}

/* A response to HEAD, and 1xx, 204 and 304 responses, have no body. */
static bool bodyless(const pa_http_flow *h, const pa_http_head *m) {
    if (m->request) return false;
    if ((m->status >= 100 && m->status < 200) || m->status == 204 || m->status == 304) return true;
    return h->npending && strcmp(h->pending[0].tx.method, "HEAD") == 0;
}

static void start_body(ctx *c, dir_state *d) {
    if (bodyless(c->h, &d->cur)) {
        finish_msg(c, d);
        d->st = H_HEAD;
    } else if (d->cur.chunked) {
        d->st = H_CHUNK_SIZE;
        d->linen = 0;
    } else if (d->cur.content_length > 0) {
        d->remaining = (uint64_t)d->cur.content_length;
        d->st = H_BODY;
    } else if (d->cur.content_length == 0 || d->cur.request) {
        finish_msg(c, d);
        d->st = H_HEAD;
    } else {
        d->st = H_UNTIL_CLOSE; /* ends with the connection */
    }
}

/* "\n\n" or "\r\n\r\n" ends a message head */
static bool head_ended(const uint8_t *h, size_t n) {
    return n >= 2 && h[n - 1] == '\n' && (h[n - 2] == '\n' || (n >= 4 && memcmp(h + n - 4, "\r\n\r\n", 4) == 0));
}

static void sink(void *ud, const uint8_t *data, size_t len, uint64_t frame, int64_t ts, bool gap) {
    ctx *c = ud;
    dir_state *d = &c->h->dir[c->side];
    c->chunk_frame = frame;
    c->chunk_ts = ts;
    pa_mark_note(&d->mark, frame, ts, gap);
    c->frame = d->mark.frame;
    c->ts = d->mark.ts;
    if (gap) {
        if (pa_tx_counts(c->st->keep, frame)) c->st->gaps++;
        d->st = H_RESYNC;
        d->headn = 0;
        d->msg = (pa_txmark){0};
    } else if (d->st != H_RESYNC && (d->st != H_HEAD || d->headn)) {
        pa_tx_touch(c->st->keep, &d->msg, frame); /* more of the message in progress */
    }
    size_t i = 0;
    while (i < len) {
        switch (d->st) {
        case H_RESYNC:
            /* after a hole: wait for bytes that start a message */
            if (!pa_http_looks_like_start(data + i, len - i)) return;
            d->st = H_HEAD;
            d->headn = 0;
            break;
        case H_HEAD: {
            if (d->headn == 0) {
                if (!pa_http_looks_like_start(data + i, len - i) && len - i >= 8) {
                    parse_error(c, d);
                    return;
                }
                pa_tx_touch(c->st->keep, &d->msg, frame); /* a message starts in these bytes */
            }
            /* a line at a time: the head ends at a newline */
            bool ended = false;
            while (i < len && d->headn < PA_HTTP_HEAD_MAX && !ended) {
                size_t room = PA_HTTP_HEAD_MAX - d->headn, avail = len - i < room ? len - i : room;
                const uint8_t *nl = memchr(data + i, '\n', avail);
                size_t take = nl ? (size_t)(nl - (data + i)) + 1 : avail;
                if (d->headn + take > d->headcap) {
                    uint32_t ncap = d->headcap ? d->headcap : 1024;
                    while (ncap < d->headn + take) ncap *= 2;
                    if (ncap > PA_HTTP_HEAD_MAX) ncap = PA_HTTP_HEAD_MAX;
                    uint8_t *nb = realloc(d->head, ncap);
                    if (!nb) return;
                    d->head = nb;
                    d->headcap = ncap;
                }
                memcpy(d->head + d->headn, data + i, take);
                d->headn += (uint32_t)take;
                i += take;
                ended = nl && head_ended(d->head, d->headn);
            }
            if (!ended) {
                if (d->headn >= PA_HTTP_HEAD_MAX) parse_error(c, d); /* a head too long to be real */
                return;
            }
            if (pa_http_parse_head(d->head, d->headn, &d->cur) != PA_HTTP_HEAD_OK) {
                parse_error(c, d);
                break;
            }
            start_line(d->start, sizeof d->start, d->head, d->headn);
            if (d->cur.request && c->st->sec && pa_tx_counts(c->st->keep, c->frame)) basic_auth(c, d->head, d->headn);
            /* the parsed head is not needed any more; an idle keep-alive
             * connection then holds no buffer (many thousands may be open) */
            free(d->head);
            d->head = NULL;
            d->headn = d->headcap = 0;
            start_body(c, d);
            break;
        }
        case H_BODY:
        case H_CHUNK_DATA: {
            size_t take = len - i < d->remaining ? len - i : (size_t)d->remaining;
            i += take;
            d->remaining -= take;
            if (d->remaining) return;
            if (d->st == H_BODY) {
                finish_msg(c, d);
                d->st = H_HEAD;
            } else {
                d->st = H_CHUNK_END;
                d->linen = 0;
            }
            break;
        }
        case H_CHUNK_END: /* the CRLF after chunk data */
            if (data[i] == '\n') d->st = H_CHUNK_SIZE;
            i++;
            d->linen = 0;
            break;
        case H_CHUNK_SIZE:
        case H_TRAILER: {
            uint8_t ch = data[i++];
            if (ch != '\n') {
                if (d->linen < sizeof d->line - 1) d->line[d->linen++] = (char)ch;
                break;
            }
            d->line[d->linen] = '\0';
            if (d->st == H_TRAILER) {
                if (d->linen == 0 || (d->linen == 1 && d->line[0] == '\r')) {
                    finish_msg(c, d);
                    d->st = H_HEAD;
                }
                d->linen = 0;
                break;
            }
            uint64_t size = 0;
            int digits = 0;
            for (uint8_t k = 0; k < d->linen; k++) {
                char x = d->line[k];
                int v = x >= '0' && x <= '9'   ? x - '0'
                        : x >= 'a' && x <= 'f' ? x - 'a' + 10
                        : x >= 'A' && x <= 'F' ? x - 'A' + 10
                                               : -1;
                if (v < 0) break;
                if (++digits > 15) break;
                size = size * 16 + (uint64_t)v;
            }
            d->linen = 0;
            if (!digits) {
                parse_error(c, d);
                return;
            }
            if (size == 0)
                d->st = H_TRAILER;
            else {
                d->remaining = size;
                d->st = H_CHUNK_DATA;
            }
            break;
        }
        case H_UNTIL_CLOSE: return; /* everything until FIN is body */
        default: return;
        }
    }
}

void pa_http_segment(pa_http_stats *st, pa_http_flow **hp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                     uint32_t stream, void (*cb)(void *ud, const pa_http_tx *tx, bool response), void *ud) {
    pa_http_flow *h = *hp;
    if (!h) {
        h = calloc(1, sizeof *h);
        if (!h) return;
        h->client = -1;
        h->stream = stream;
        for (int i = 0; i < 2; i++) {
            pa_stream_init(&h->dir[i].stream, PA_HTTP_STREAM_CAP);
            if (tcp && tcp->dir[i].base_known) pa_stream_begin(&h->dir[i].stream, tcp->dir[i].base + 1);
        }
        *hp = h;
    }
    ctx c = {st, h, p, from, p->frame_no, p->ts_ns, p->frame_no, p->ts_ns, cb, ud};
    bool syn = p->tcp.flags & PA_TCP_SYN;
    if (pa_stream_segment(&h->dir[from].stream, p->tcp.seq, syn, p->payload, p->payload_len, p->frame_no, p->ts_ns,
                          sink, &c) &&
        pa_tx_counts(st->keep, p->frame_no))
        st->streams_capped++;
    /* a body that runs to the end of the connection ends with its FIN */
    dir_state *d = &h->dir[from];
    if ((p->tcp.flags & (PA_TCP_FIN | PA_TCP_RST)) && d->st == H_UNTIL_CLOSE) {
        pa_tx_touch(st->keep, &d->msg, p->frame_no);
        complete(&c, d);
        d->msg = (pa_txmark){0};
        d->st = H_HEAD;
    }
}

void pa_http_finish_flow(pa_http_stats *st, pa_http_flow *h) {
    if (!h) return;
    /* requests still waiting are unanswered: list them too */
    for (uint8_t i = 0; i < h->npending; i++) unanswered(st, &h->pending[i]);
    h->npending = 0;
}

bool pa_http_holds_data(const pa_http_flow *h) { return h && (h->dir[0].stream.nheld || h->dir[1].stream.nheld); }

void pa_http_free_flow(pa_http_flow *h) {
    if (!h) return;
    for (int i = 0; i < 2; i++) {
        pa_stream_free(&h->dir[i].stream);
        free(h->dir[i].head);
    }
    free(h->pending);
    free(h);
}

void pa_http_stats_free(pa_http_stats *st) {
    free(st->tx);
    st->tx = NULL;
    st->ntx = st->cap = 0;
}
