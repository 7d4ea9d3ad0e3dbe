#include "kerberos_track.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"

typedef struct dir_state {
    pa_stream_dir stream;
    uint8_t hdr[4]; /* the record length in progress */
    uint8_t hdrn;
    uint32_t need; /* the record's length once its header is read */
    uint8_t *buf;  /* a record that spans segments (allocated only then) */
    uint32_t n;    /* its bytes so far */
    bool stopped;  /* not followed further (a hole, a record too long) */
    pa_stream_mark mark;
} dir_state;

struct pa_krb_flow {
    dir_state dir[2];
    pa_krb_queue q;
};

/* The message being handled: where it is placed and who sent it. */
typedef struct ctx {
    pa_kerberos_stats *st;
    const pa_packet *p;
    pa_krb_flow *f;  /* TCP: the connection; NULL over UDP */
    int side;        /* TCP: the flow key side that sent the bytes */
    pa_stream_at at; /* where a record completing now is placed */
    pa_krb_frame *view;
    uint32_t pdus; /* records that ended in the current frame */
} ctx;

int pa_krb_init(pa_kerberos_stats *st) {
    memset(st, 0, sizeof *st);
    return pa_htab_init(&st->pairs, sizeof(pa_krb_pair), offsetof(pa_krb_pair, q), PA_KRB_MAX_PAIRS);
}

void pa_krb_stats_free(pa_kerberos_stats *st) {
    free(st->tx);
    st->tx = NULL;
    st->ntx = st->cap = 0;
    pa_htab_free(&st->pairs);
}

static uint32_t new_tx(pa_kerberos_stats *st) {
    if (st->ntx >= PA_KRB_MAX_TX) {
        st->tx_dropped++;
        return UINT32_MAX;
    }
    if (st->ntx == st->cap) {
        size_t ncap = st->cap ? st->cap * 2 : 64;
        pa_krb_tx *n = realloc(st->tx, ncap * sizeof *n);
        if (!n) {
            st->tx_dropped++;
            return UINT32_MAX;
        }
        st->tx = n;
        st->cap = ncap;
    }
    memset(&st->tx[st->ntx], 0, sizeof st->tx[0]);
    return (uint32_t)st->ntx++;
}

static void pair_key(pa_krb_pair *k, const pa_packet *p, bool from_client) {
    memset(k, 0, sizeof *k);
    k->client = from_client ? p->src : p->dst;
    k->server = from_client ? p->dst : p->src;
    k->cport = from_client ? p->sport : p->dport;
    k->sport = from_client ? p->dport : p->sport;
}

/* The queue of waiting requests this message belongs to: the connection's,
 * or over UDP its client-server pair's (created for a request). */
static pa_krb_queue *queue(ctx *c, bool request) {
    if (c->f) return &c->f->q;
    pa_krb_pair key;
    pair_key(&key, c->p, request);
    if (!request) {
        pa_krb_pair *pr = pa_htab_find(&c->st->pairs, &key);
        return pr ? &pr->q : NULL;
    }
    bool created;
    pa_krb_pair *pr = pa_htab_upsert(&c->st->pairs, &key, &created);
    if (!pr) {
        if (pa_tx_counts(c->st->keep, c->at.frame)) c->st->pairs_dropped++;
        return NULL;
    }
    return &pr->q;
}

/* A request left without reply (the queue was full, the flow or capture ended). */
static void unanswered(pa_kerberos_stats *st, const pa_krb_wait *w) {
    if (w->tx == UINT32_MAX) return;
    pa_krb_tx *t = &st->tx[w->tx];
    pa_tx_end(st->keep, t->req_frame, &w->mark);
    st->unanswered++;
}

static bool weak_list(const pa_krb_msg *m) {
    for (uint8_t i = 0; i < m->enctypes.n; i++)
        if (pa_krb_etype_weak(m->enctypes.v[i])) return true;
    return false;
}

static void expert_weak_offered(ctx *c, const pa_krb_msg *m) {
    char text[512];
    size_t k = 0;
    text[0] = '\0';
    for (uint8_t i = 0; i < m->enctypes.n && k + 64 < sizeof text; i++) {
        if (!pa_krb_etype_weak(m->enctypes.v[i])) continue;
        const char *name = pa_krb_etype_name(m->enctypes.v[i]);
        k += (size_t)snprintf(text + k, sizeof text - k, "%s%s", k ? ", " : "", name ? name : "unknown");
    }
    pa_expert_add(c->st->ex, PA_EX_KERBEROS_WEAK_OFFERED, c->at.frame, text);
}

static void request(ctx *c, const pa_krb_msg *m, bool counts) {
    pa_kerberos_stats *st = c->st;
    const pa_packet *p = c->p;
    uint64_t frame = c->at.frame;
    if (counts) st->requests++;
    bool weak = weak_list(m);
    if (weak && counts) {
        st->weak_offered++;
        if (st->ex) expert_weak_offered(c, m);
    }
    pa_krb_queue *q = queue(c, true);
    if (!q) return;
    uint32_t id = pa_tx_kept(st->keep, frame) ? new_tx(st) : UINT32_MAX;
    if (id != UINT32_MAX) {
        pa_krb_tx *t = &st->tx[id];
        t->req_frame = frame;
        t->req_ts = c->at.ts;
        t->rt_ns = -1;
        t->client = p->src;
        t->server = p->dst;
        t->cport = p->sport;
        t->sport = p->dport;
        t->l4 = (uint8_t)p->l4;
        t->req_type = m->type;
        memcpy(t->cname, m->client, sizeof t->cname);
        memcpy(t->realm, m->client_realm, sizeof t->realm);
        memcpy(t->sname, m->service, sizeof t->sname);
        for (uint8_t i = 0; i < m->enctypes.n && t->nreq_etypes < PA_KRB_TX_ETYPES; i++)
            t->req_etypes[t->nreq_etypes++] = m->enctypes.v[i];
        if (weak) t->weak |= PA_KRB_WEAK_OFFERED;
    }
    if (q->n == PA_KRB_PENDING) { /* the oldest is given up */
        unanswered(st, &q->w[0]);
        if (counts) st->pending_dropped++;
        memmove(q->w, q->w + 1, (PA_KRB_PENDING - 1) * sizeof q->w[0]);
        q->n--;
    }
    pa_krb_wait *w = &q->w[q->n++];
    w->tx = id;
    w->mark = (pa_txmark){0};
    pa_tx_touch(st->keep, &w->mark, frame);
}

static void weak_choice(ctx *c, pa_krb_tx *t, uint8_t bit, int32_t etype, bool counts) {
    if (!pa_krb_etype_weak(etype)) return;
    t->weak |= bit;
    if (!counts || !c->st->ex) return;
    const char *name = pa_krb_etype_name(etype);
    pa_expert_add(c->st->ex, PA_EX_KERBEROS_WEAK_CHOSEN, c->at.frame,
                  bit == PA_KRB_WEAK_TICKET ? "ticket" : "session key", name ? name : "unknown");
}

static void reply(ctx *c, const pa_krb_msg *m, bool counts) {
    pa_kerberos_stats *st = c->st;
    if (counts) st->replies++;
    pa_krb_queue *q = queue(c, false);
    if (!q || !q->n) {
        if (counts) st->orphan_replies++;
        return;
    }
    pa_krb_wait w = q->w[0];
    memmove(q->w, q->w + 1, (size_t)(q->n - 1) * sizeof q->w[0]);
    q->n--;
    pa_tx_touch(st->keep, &w.mark, c->at.frame);
    if (w.tx == UINT32_MAX) return;
    pa_krb_tx *t = &st->tx[w.tx];
    pa_tx_end(st->keep, t->req_frame, &w.mark);
    t->rep_frame = c->at.frame;
    t->rt_ns = c->at.ts - t->req_ts;
    t->rep_type = m->type;
    t->has_error = m->has_error;
    t->error_code = m->error_code;
    st->answered++;
    if (m->has_reply_etype) {
        t->has_reply_etype = true;
        t->reply_etype = m->reply_etype;
        weak_choice(c, t, PA_KRB_WEAK_CHOSEN, m->reply_etype, counts);
    }
    if (m->has_ticket_etype && m->type != PA_KRB_ERROR) {
        t->has_ticket_etype = true;
        t->ticket_etype = m->ticket_etype;
        weak_choice(c, t, PA_KRB_WEAK_TICKET, m->ticket_etype, counts);
    }
    if (t->weak & (PA_KRB_WEAK_CHOSEN | PA_KRB_WEAK_TICKET)) st->weak_chosen++;
    /* the reply names the client when the request did not (a TGS-REQ carries it in its ticket) */
    if (!*t->cname) memcpy(t->cname, m->client, sizeof t->cname);
    if (!*t->realm) memcpy(t->realm, m->client_realm, sizeof t->realm);
}

/* One whole message (a datagram, a record), placed on c->at.frame. */
static void message(ctx *c, const uint8_t *d, size_t n, bool tcp) {
    pa_kerberos_stats *st = c->st;
    pa_krb_msg m;
    pa_krb_status s = pa_krb_parse(d, n, &m);
    bool counts = pa_tx_counts(st->keep, c->at.frame);
    if (s == PA_KRB_NOT) {
        if (counts) st->malformed++;
        if (counts && st->ex) pa_expert_add(st->ex, PA_EX_KERBEROS_MALFORMED, c->at.frame);
        return;
    }
    if (c->view && c->at.frame == c->p->frame_no) {
        if (!c->view->present)
            c->view->msg = m;
        else
            pa_krb_merge(&c->view->msg, &m);
        c->view->present = true;
        if (c->view->nmsgs < UINT8_MAX) c->view->nmsgs++;
    }
    if (counts) {
        st->messages++;
        if (tcp)
            st->tcp_messages++;
        else
            st->udp_messages++;
        st->msg_type[m.type & 31]++;
    }
    if (s == PA_KRB_MALFORMED && counts) {
        st->malformed++;
        if (st->ex) pa_expert_add(st->ex, PA_EX_KERBEROS_MALFORMED, c->at.frame);
    }
    if (m.has_error && counts) {
        st->errors++;
        if (m.error_code >= 0 && m.error_code < PA_KRB_ERROR_CODES)
            st->error_code[m.error_code]++;
        else
            st->error_other++;
        if (st->ex) {
            const char *name = pa_krb_error_name(m.error_code);
            pa_expert_add(st->ex, m.error_code == 25 ? PA_EX_KERBEROS_PREAUTH : PA_EX_KERBEROS_ERROR, c->at.frame,
                          name ? name : "unknown", m.error_code);
        }
    }
    if (pa_krb_is_request(m.type))
        request(c, &m, counts);
    else if (pa_krb_is_reply(m.type))
        reply(c, &m, counts);
}

bool pa_krb_datagram(pa_kerberos_stats *st, const pa_packet *p, pa_krb_frame *frame) {
    ctx c = {.st = st, .p = p, .view = frame};
    c.at.frame = c.at.chunk_frame = p->frame_no;
    c.at.ts = c.at.chunk_ts = p->ts_ns;
    if (!pa_krb_looks(p->payload, p->payload_len, p->payload_len) && !(p->payload_len && p->payload[0] == 0x61))
        return false;
    message(&c, p->payload, p->payload_len, false);
    return true;
}

bool pa_krb_conversation(pa_kerberos_stats *st, const pa_packet *p) {
    if (!st->pairs.count || p->l4 != PA_P_UDP || p->sport == 88 || p->dport == 88 || !p->payload_len) return false;
    /* the pair seen with the KDC on port 88, from either side */
    const pa_krb_pair *hit = NULL;
    for (int side = 0; side < 2 && !hit; side++) {
        pa_krb_pair key;
        pair_key(&key, p, side == 0);
        key.sport = 88;
        hit = pa_htab_find(&st->pairs, &key);
    }
    pa_krb_msg m;
    if (!hit || pa_krb_parse(p->payload, p->payload_len, &m) == PA_KRB_NOT) return false;
    if (pa_tx_counts(st->keep, p->frame_no)) st->conversations++;
    return true;
}

/* ---- TCP records ----------------------------------------------------------------- */

static void record(ctx *c, dir_state *d, const uint8_t *data, size_t n) {
    if (c->at.frame == c->p->frame_no) c->pdus++;
    message(c, data, n, true);
    d->hdrn = 0;
    d->need = d->n = 0;
    free(d->buf);
    d->buf = NULL;
}

/* A piece that may start a record after a hole: a length that fits the cap
 * and the start of a message behind it. */
static bool record_start(const uint8_t *data, size_t len) {
    pa_cur c = pa_cur_make(data, len);
    uint32_t l;
    return pa_cur_be32(&c, &l) && (l & 0x7fffffffu) <= PA_KRB_RECORD_MAX && pa_krb_looks(c.p, c.len, l & 0x7fffffffu);
}

static void sink(void *ud, const uint8_t *data, size_t len, uint64_t frame, int64_t ts, bool gap) {
    ctx *c = ud;
    dir_state *d = &c->f->dir[c->side];
    pa_stream_at_piece(&c->at, &d->mark, frame, ts, gap);
    if (gap) {
        if (pa_tx_counts(c->st->keep, frame)) c->st->gaps++;
        d->hdrn = 0;
        d->need = d->n = 0;
        free(d->buf);
        d->buf = NULL;
        /* bytes after a hole are followed only when they start a record */
        d->stopped = !record_start(data, len);
    }
    if (d->stopped) return;
    pa_cur cur = pa_cur_make(data, len);
    while (cur.len) {
        if (d->hdrn < 4) {
            uint8_t b;
            if (!pa_cur_u8(&cur, &b)) break;
            d->hdr[d->hdrn++] = b;
            if (d->hdrn < 4) continue;
            /* the top bit is reserved (RFC 4120 7.2.2); Wireshark masks it off */
            d->need = ((uint32_t)d->hdr[0] << 24 | (uint32_t)d->hdr[1] << 16 | (uint32_t)d->hdr[2] << 8 | d->hdr[3]) &
                      0x7fffffffu;
            if (d->need > PA_KRB_RECORD_MAX) {
                if (pa_tx_counts(c->st->keep, c->at.frame)) c->st->records_too_long++;
                if (c->st->ex && pa_tx_counts(c->st->keep, c->at.frame))
                    pa_expert_add(c->st->ex, PA_EX_KERBEROS_MALFORMED, c->at.frame);
                d->stopped = true;
                return;
            }
            if (!d->need) { /* an empty record: nothing to parse */
                d->hdrn = 0;
                pa_stream_at_unit_done(&c->at, &d->mark);
            }
            continue;
        }
        uint32_t want = d->need - d->n;
        if (!d->n && cur.len >= want) { /* whole in this piece: no copy */
            pa_cur rec;
            if (!pa_cur_sub(&cur, want, &rec)) break;
            record(c, d, rec.p, rec.len);
            pa_stream_at_unit_done(&c->at, &d->mark);
            continue;
        }
        if (!d->buf) {
            d->buf = malloc(d->need);
            if (!d->buf) { /* out of memory: the direction is given up */
                d->stopped = true;
                return;
            }
        }
        size_t take = cur.len < want ? cur.len : want;
        if (!pa_cur_copy(&cur, d->buf + d->n, take)) break;
        d->n += (uint32_t)take;
        if (d->n == d->need) {
            uint8_t *buf = d->buf;
            d->buf = NULL;
            record(c, d, buf, d->need);
            free(buf);
            pa_stream_at_unit_done(&c->at, &d->mark);
        }
    }
}

static pa_krb_flow *new_flow(const pa_tcp_state *tcp) {
    pa_krb_flow *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    for (int i = 0; i < 2; i++) {
        pa_stream_init(&f->dir[i].stream, PA_KRB_STREAM_CAP);
        if (tcp && tcp->dir[i].base_known) pa_stream_begin(&f->dir[i].stream, tcp->dir[i].base + 1);
    }
    return f;
}

uint32_t pa_krb_segment(pa_kerberos_stats *st, pa_krb_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                        pa_krb_frame *frame) {
    if (!*fp) *fp = new_flow(tcp);
    pa_krb_flow *f = *fp;
    if (!f) return 0;
    ctx c = {.st = st, .p = p, .f = f, .side = from, .view = frame};
    bool syn = p->tcp.flags & PA_TCP_SYN;
    if (pa_stream_segment(&f->dir[from].stream, p->tcp.seq, syn, p->payload, p->payload_len, p->frame_no, p->ts_ns,
                          sink, &c) &&
        pa_tx_counts(st->keep, p->frame_no))
        st->streams_capped++;
    return c.pdus;
}

void pa_krb_finish_flow(pa_kerberos_stats *st, pa_krb_flow *f) {
    if (!f) return;
    for (uint8_t i = 0; i < f->q.n; i++) unanswered(st, &f->q.w[i]);
    f->q.n = 0;
}

bool pa_krb_holds_data(const pa_krb_flow *f) { return f && (f->dir[0].stream.nheld || f->dir[1].stream.nheld); }

void pa_krb_free_flow(pa_krb_flow *f) {
    if (!f) return;
    for (int i = 0; i < 2; i++) {
        pa_stream_free(&f->dir[i].stream);
        free(f->dir[i].buf);
    }
    free(f);
}

void pa_krb_finish(pa_kerberos_stats *st) {
    for (size_t i = 0; i < st->pairs.count; i++) {
        pa_krb_pair *pr = pa_htab_rec(&st->pairs, i);
        for (uint8_t k = 0; k < pr->q.n; k++) unanswered(st, &pr->q.w[k]);
        pr->q.n = 0;
    }
}

bool pa_krb_weak_text(const pa_krb_tx *t, char *out, size_t cap) {
    size_t k = 0;
    out[0] = '\0';
    for (uint8_t i = 0; i < t->nreq_etypes && k + 1 < cap; i++) {
        const char *why = pa_krb_etype_weak(t->req_etypes[i]);
        if (!why) continue;
        const char *name = pa_krb_etype_name(t->req_etypes[i]);
        int w = snprintf(out + k, cap - k, "%soffered %s (%s)", k ? "; " : "", name ? name : "unknown", why);
        if (w < 0) break;
        k += (size_t)w < cap - k ? (size_t)w : cap - k - 1;
    }
    const struct {
        uint8_t bit;
        int32_t etype;
        const char *what;
    } chosen[] = {{PA_KRB_WEAK_CHOSEN, t->reply_etype, "session key"}, {PA_KRB_WEAK_TICKET, t->ticket_etype, "ticket"}};
    for (size_t i = 0; i < 2 && k + 1 < cap; i++) {
        if (!(t->weak & chosen[i].bit)) continue;
        const char *name = pa_krb_etype_name(chosen[i].etype);
        int w = snprintf(out + k, cap - k, "%s%s %s (%s)", k ? "; " : "", chosen[i].what, name ? name : "unknown",
                         pa_krb_etype_weak(chosen[i].etype));
        if (w < 0) break;
        k += (size_t)w < cap - k ? (size_t)w : cap - k - 1;
    }
    return k > 0;
}
