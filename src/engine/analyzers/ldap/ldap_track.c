#include "ldap_track.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util_buf.h"

/* A request waiting for its response. */
typedef struct pending {
    uint32_t id;
    uint8_t op;
    bool starttls;
    uint64_t frame;
    int64_t ts;
    int64_t tx; /* its index in st->tx, -1 when not listed */
} pending;

/* CLDAP: the same, with the datagram flow it came on. */
struct cldap_pending {
    int64_t stream;
    pending q;
};

/* A direction's bytes. Tshark 4.0 does not reassemble out-of-order TCP
 * segments by default: a segment after a hole is dissected where it stands,
 * so here too a hole drops the unit in progress and parsing restarts at the
 * segment after it (no segment is held). */
typedef struct ldap_dir {
    bool init;
    uint32_t next;  /* sequence number expected next */
    pa_buf unit;    /* the unit in progress (at most PA_LDAP_MSG_MAX bytes) */
    uint64_t need;  /* its whole length once known (0: not yet) */
    bool sasl_unit; /* it is a SASL buffer */
    uint64_t skip;  /* bytes of a unit too long to buffer, still to pass */
} ldap_dir;

struct pa_ldap_flow {
    ldap_dir dir[2];
    int client; /* flow key side of the client */
    bool sasl;  /* a SASL bind was made: 4-byte-length SASL buffers may follow (as Wireshark decides) */
    bool tls;   /* StartTLS succeeded: the bytes are TLS's from here */
    bool ignored, done;
    pa_txmark mark;
    pa_addr client_addr, server_addr;
    uint16_t cport, sport;
    uint32_t stream;
    uint64_t first_frame;
    pending *q;
    size_t nq, qcap;
};

typedef struct ctx {
    pa_ldap_stats *st;
    pa_ldap_flow *f; /* NULL: CLDAP */
    const pa_packet *p;
    int64_t stream;
    bool udp;
    pa_ldap_frame *view;
    uint32_t units; /* units that ended in this frame */
} ctx;

static bool counts(const ctx *c) { return pa_tx_counts(c->st->keep, c->p->frame_no); }

static void copy_cut(char *dst, size_t size, const char *src) {
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static pa_ldap_frame_msg *frame_msg(ctx *c) {
    if (!c->view || c->view->nmsg >= PA_LDAP_FRAME_MSGS) return NULL;
    pa_ldap_frame_msg *fm = &c->view->msg[c->view->nmsg++];
    memset(fm, 0, sizeof *fm);
    return fm;
}

/* ---- requests and responses ------------------------------------------------------ */

static bool has_response(uint8_t op) {
    switch (op) {
    case PA_LDAP_BIND_REQ:
    case PA_LDAP_SEARCH_REQ:
    case PA_LDAP_MODIFY_REQ:
    case PA_LDAP_ADD_REQ:
    case PA_LDAP_DEL_REQ:
    case PA_LDAP_MODDN_REQ:
    case PA_LDAP_COMPARE_REQ:
    case PA_LDAP_EXT_REQ: return true;
    default: return false;
    }
}

/* The addresses of the connection (or datagram) as client -> server. */
static void endpoints(const ctx *c, bool from_client, pa_ldap_tx *t) {
    if (c->f) {
        t->client = c->f->client_addr;
        t->server = c->f->server_addr;
        t->cport = c->f->cport;
        t->sport = c->f->sport;
        return;
    }
    const pa_packet *p = c->p;
    t->client = from_client ? p->src : p->dst;
    t->server = from_client ? p->dst : p->src;
    t->cport = from_client ? p->sport : p->dport;
    t->sport = from_client ? p->dport : p->sport;
}

static int64_t keep_tx(ctx *c, const pa_ldap_msg *m) {
    pa_ldap_tx t;
    memset(&t, 0, sizeof t);
    endpoints(c, true, &t);
    t.stream = c->stream;
    t.udp = c->udp;
    t.id = m->id;
    t.op = m->op;
    t.req_frame = c->p->frame_no;
    t.req_ts = c->p->ts_ns;
    t.rt_ns = -1;
    copy_cut(t.name, sizeof t.name, m->op == PA_LDAP_EXT_REQ ? m->oid : m->name);
    copy_cut(t.filter, sizeof t.filter, m->filter);
    void *v = c->st->tx;
    bool ok = pa_array_push(&v, &c->st->ntx, &c->st->txcap, sizeof t, PA_LDAP_MAX_TX, &t);
    c->st->tx = v;
    if (!ok) {
        c->st->tx_dropped++;
        return -1;
    }
    return (int64_t)c->st->ntx - 1;
}

/* The pending requests of the connection, or CLDAP's. */
static pending *find(ctx *c, uint32_t id, size_t *at) {
    if (c->f) {
        for (size_t i = 0; i < c->f->nq; i++)
            if (c->f->q[i].id == id) return *at = i, &c->f->q[i];
        return NULL;
    }
    for (size_t i = 0; i < c->st->ncldap; i++)
        if (c->st->cldap[i].stream == c->stream && c->st->cldap[i].q.id == id) return *at = i, &c->st->cldap[i].q;
    return NULL;
}

static void forget(ctx *c, size_t at) {
    if (c->f) {
        c->f->q[at] = c->f->q[--c->f->nq];
        return;
    }
    c->st->cldap[at] = c->st->cldap[--c->st->ncldap];
}

static void request(ctx *c, const pa_ldap_msg *m) {
    if (!has_response(m->op)) return;
    size_t at;
    if (find(c, m->id, &at)) return; /* a messageID already waiting: the first request is timed */
    pending q = {.id = m->id,
                 .op = m->op,
                 .starttls = m->op == PA_LDAP_EXT_REQ && !strcmp(m->oid, PA_LDAP_STARTTLS_OID),
                 .frame = c->p->frame_no,
                 .ts = c->p->ts_ns,
                 .tx = keep_tx(c, m)};
    if (q.starttls) c->st->starttls_requests++;
    bool ok;
    if (c->f) {
        void *v = c->f->q;
        ok = pa_array_push(&v, &c->f->nq, &c->f->qcap, sizeof q, PA_LDAP_PENDING, &q);
        c->f->q = v;
    } else {
        struct cldap_pending cp = {c->stream, q};
        size_t cap = PA_LDAP_CLDAP_PENDING;
        void *v = c->st->cldap;
        ok = c->st->cldap || (v = malloc(cap * sizeof cp)) != NULL;
        c->st->cldap = v;
        if (ok && c->st->ncldap < cap)
            c->st->cldap[c->st->ncldap++] = cp;
        else
            ok = false;
    }
    if (!ok) c->st->pending_dropped++;
}

static void response(ctx *c, const pa_ldap_msg *m, pa_ldap_frame_msg *fm) {
    size_t at;
    pending *q = find(c, m->id, &at);
    if (!q) {
        c->st->orphan_responses += pa_ldap_is_final(m->op);
        return;
    }
    if (fm) {
        fm->matched = true;
        fm->response_to = q->frame;
        fm->time_ns = c->p->ts_ns - q->ts;
    }
    pa_ldap_tx *t = q->tx >= 0 ? &c->st->tx[q->tx] : NULL;
    if (t && m->op == PA_LDAP_SEARCH_ENTRY) t->entries++;
    if (t && m->op == PA_LDAP_SEARCH_REF) t->refs++;
    if (!pa_ldap_is_final(m->op)) return;
    c->st->answered++;
    if (t) {
        t->resp_frame = c->p->frame_no;
        t->rt_ns = c->p->ts_ns - q->ts;
        t->has_result = m->has_result;
        t->result = m->result;
    }
    if (q->starttls && m->has_result && m->result == 0 && c->f) {
        c->f->tls = true; /* the next bytes are a TLS handshake: the TLS analyzer takes the flow */
        c->st->starttls_ok++;
    }
    forget(c, at);
}

static void bind_request(ctx *c, const pa_ldap_msg *m) {
    pa_ldap_stats *st = c->st;
    if (m->auth == PA_LDAP_AUTH_SASL) {
        st->binds_sasl++;
        if (c->f) c->f->sasl = true;
        return;
    }
    if (m->auth != PA_LDAP_AUTH_SIMPLE) return;
    if (c->f) c->f->sasl = false;
    st->binds_simple++;
    if (!m->simple_len) {
        /* RFC 4513 5.1.1/5.1.2: anonymous with an empty name, unauthenticated with one */
        if (m->name[0])
            st->binds_unauthenticated++;
        else
            st->binds_anonymous++;
        return;
    }
    st->cleartext_passwords++;
    if (!st->sec) return;
    const pa_packet *p = c->p;
    pa_sec_cred *cr = pa_sec_credential(st->sec, "LDAP", "simple bind", &p->src, &p->dst, p->dport, p->frame_no);
    if (!cr) return;
    copy_cut(cr->user, sizeof cr->user, m->name);
    copy_cut(cr->secret, sizeof cr->secret, m->simple);
}

static void message(ctx *c, const pa_ldap_msg *m, pa_ldap_frame_msg *fm) {
    pa_ldap_stats *st = c->st;
    st->messages++;
    st->ops[m->op]++;
    if (m->has_result) {
        if (m->result < PA_LDAP_RESULTS)
            st->results[m->result]++;
        else
            st->results_other++;
        if (m->op == PA_LDAP_BIND_RESP && m->result != 14) { /* saslBindInProgress: more steps follow */
            if (m->result == 0)
                st->binds_ok++;
            else
                st->binds_failed++;
        }
    }
    if (m->op == PA_LDAP_BIND_REQ) bind_request(c, m);
    if (pa_ldap_is_response(m->op))
        response(c, m, fm);
    else
        request(c, m);
}

/* One whole unit: an LDAPMessage, or a SASL buffer. With a display filter
 * a connection is one transaction (kept whole, as SSH's), a CLDAP datagram
 * counts on its own frame; only the expert message is per frame. */
static void unit(ctx *c, const uint8_t *d, size_t n, bool sasl) {
    c->units++;
    if (c->view) c->view->present = true;
    pa_ldap_frame_msg *fm = frame_msg(c);
    if (sasl) {
        c->st->sasl_buffers++;
        if (fm) {
            fm->sasl = true;
            fm->sasl_len = (uint32_t)(n - 4);
        }
        return;
    }
    pa_ldap_msg local, *m = fm ? &fm->m : &local;
    pa_ldap_status s = pa_ldap_parse(d, n, m);
    if (s != PA_LDAP_OK) {
        c->st->malformed++;
        if (c->st->ex && counts(c)) pa_expert_add(c->st->ex, PA_EX_LDAP_MALFORMED, c->p->frame_no);
    }
    if (s == PA_LDAP_NOT) {
        if (fm) m->op = 0xff; /* no operation to show */
        return;
    }
    message(c, m, fm);
}

/* ---- the byte stream -------------------------------------------------------------- */

static void reset_unit(ldap_dir *d) {
    pa_buf_reset(&d->unit);
    d->need = 0;
    d->sasl_unit = false;
}

/* What the unit starting in buf is, from its first bytes (Wireshark's
 * dissect_ldap_tcp): after a SASL bind a 4-byte length of 2 to 1 MiB starts
 * a SASL buffer; else 0x30 and a BER length of at least 2 an LDAPMessage;
 * else a length that covers exactly the rest of the segment a SASL buffer.
 * Returns false when more bytes are needed; d->need 0: not LDAP. */
static bool decide(ctx *c, ldap_dir *d, size_t rest) {
    const uint8_t *b = (const uint8_t *)d->unit.data;
    size_t n = d->unit.len;
    uint32_t sasl_len = 0;
    bool have4 = n >= 4;
    if (have4) sasl_len = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    if (c->f->sasl) {
        if (!have4) return false;
        if (sasl_len >= 2 && sasl_len <= PA_LDAP_SASL_MAX) {
            d->need = 4ull + sasl_len;
            d->sasl_unit = true;
            return true;
        }
    }
    int64_t len = pa_ldap_message_len(b, n);
    if (len < 0) return false;
    if (len > 0) {
        d->need = (uint64_t)len;
        return true;
    }
    if (have4 && (uint64_t)sasl_len + 4 == n + rest) {
        d->need = 4ull + sasl_len;
        d->sasl_unit = true;
        return true;
    }
    d->need = 0;
    return true;
}

/* Contiguous new bytes of a direction, the rest of one segment. */
static void feed(ctx *c, ldap_dir *d, const uint8_t *data, size_t len) {
    pa_buf *u = &d->unit;
    while (len) {
        if (d->skip) {
            size_t k = d->skip < len ? (size_t)d->skip : len;
            d->skip -= k;
            data += k;
            len -= k;
            continue;
        }
        size_t k;
        if (!d->need) {
            /* the unit's first bytes, a few at a time until they say what it is */
            k = u->len < 8 ? 8 - u->len : 0;
            if (k > len) k = len;
            if (!pa_buf_append(u, data, k)) {
                reset_unit(d);
                return;
            }
            data += k;
            len -= k;
            bool known = decide(c, d, len);
            if (!known && !len) return; /* the next segment says */
            if (!known || !d->need) {   /* not LDAP: the rest of the segment is skipped */
                c->st->not_ldap++;
                reset_unit(d);
                return;
            }
            if (d->need > PA_LDAP_MSG_MAX) {
                c->st->too_long++;
                d->skip = d->need - u->len;
                reset_unit(d);
                continue;
            }
            if (u->len > d->need) { /* a unit shorter than the bytes looked at: give the excess back */
                size_t back = u->len - (size_t)d->need;
                data -= back;
                len += back;
                u->len = (size_t)d->need;
            }
        }
        k = (size_t)(d->need - u->len);
        if (k > len) k = len;
        if (!pa_buf_append(u, data, k)) { /* out of memory: the unit is lost */
            reset_unit(d);
            return;
        }
        data += k;
        len -= k;
        if (u->len == d->need) {
            unit(c, (const uint8_t *)u->data, u->len, d->sasl_unit);
            reset_unit(d);
            if (c->f->tls) return; /* StartTLS: the following bytes are TLS */
        }
    }
}

/* ---- connections ---------------------------------------------------------------- */

static bool ldap_port(uint16_t port) { return port == 389 || port == 3268; }

/* The client: the side that sent the SYN, else the side not on an LDAP port. */
static int client_side(const pa_packet *p, int from, const pa_tcp_state *tcp) {
    if (tcp) {
        for (int s = 0; s < 2; s++) {
            if (tcp->by_flag[s][PA_SEG_SYN]) return s;
            if (tcp->by_flag[s][PA_SEG_SYNACK]) return !s;
        }
    }
    return ldap_port(p->dport) ? from : !from;
}

static pa_ldap_flow *start(pa_ldap_stats *st, const pa_packet *p, int from, const pa_tcp_state *tcp, uint32_t stream) {
    pa_ldap_flow *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    if ((f->ignored = !pa_tx_kept(st->keep, p->frame_no))) return f;
    f->client = client_side(p, from, tcp);
    bool client_sent = from == f->client;
    f->client_addr = client_sent ? p->src : p->dst;
    f->server_addr = client_sent ? p->dst : p->src;
    f->cport = client_sent ? p->sport : p->dport;
    f->sport = client_sent ? p->dport : p->sport;
    f->stream = stream;
    f->first_frame = p->frame_no;
    for (int s = 0; s < 2; s++) pa_buf_init(&f->dir[s].unit, PA_LDAP_MSG_MAX);
    st->connections++;
    return f;
}

uint32_t pa_ldap_segment(pa_ldap_stats *st, pa_ldap_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                         uint32_t stream, pa_ldap_frame *frame) {
    pa_ldap_flow *f = *fp;
    if (!f) {
        if (!p->payload_len) return 0;
        if (!(f = *fp = start(st, p, from, tcp, stream))) return 0;
    }
    if (f->ignored || f->done || f->tls) return 0;
    pa_tx_touch(st->keep, &f->mark, p->frame_no);
    ldap_dir *d = &f->dir[from];
    uint32_t seq = p->tcp.seq + ((p->tcp.flags & PA_TCP_SYN) ? 1u : 0u);
    if (!p->payload_len) return 0;
    const uint8_t *data = p->payload;
    size_t len = p->payload_len;
    if (!d->init) {
        d->init = true;
        d->next = seq;
    }
    int32_t ahead = (int32_t)(seq - d->next);
    if (ahead > 0) { /* a hole: the unit in progress is lost; parsing restarts here */
        st->gaps++;
        reset_unit(d);
        d->skip = 0;
    } else if (ahead < 0) { /* bytes seen before: only what is new */
        size_t old = (size_t)(uint32_t)-ahead;
        if (old >= len) {
            st->retransmitted++;
            return 0;
        }
        data += old;
        len -= old;
    }
    d->next = seq + (uint32_t)p->payload_len;
    ctx c = {.st = st, .f = f, .p = p, .stream = stream, .view = frame};
    feed(&c, d, data, len);
    return c.units;
}

void pa_ldap_datagram(pa_ldap_stats *st, const pa_packet *p, int64_t stream, pa_ldap_frame *frame) {
    if (!pa_tx_counts(st->keep, p->frame_no)) return;
    st->cldap_datagrams++;
    if (frame) {
        frame->present = true;
        frame->cldap = true;
    }
    ctx c = {.st = st, .p = p, .stream = stream, .udp = true, .view = frame};
    /* a datagram may carry several messages (a searchResEntry and its searchResDone) */
    size_t off = 0;
    while (off < p->payload_len) {
        int64_t len = pa_ldap_message_len(p->payload + off, p->payload_len - off);
        if (len <= 0 || (uint64_t)len > p->payload_len - off) {
            st->malformed++;
            if (st->ex) pa_expert_add(st->ex, PA_EX_LDAP_MALFORMED, p->frame_no);
            return;
        }
        unit(&c, p->payload + off, (size_t)len, false);
        off += (size_t)len;
    }
}

void pa_ldap_finish_flow(pa_ldap_stats *st, pa_ldap_flow *f) {
    if (!f || f->done) return;
    f->done = true;
    if (f->ignored) return;
    st->unanswered += f->nq;
    pa_tx_end(st->keep, f->first_frame, &f->mark);
}

void pa_ldap_free_flow(pa_ldap_flow *f) {
    if (!f) return;
    for (int i = 0; i < 2; i++) pa_buf_free(&f->dir[i].unit);
    free(f->q);
    free(f);
}

void pa_ldap_finish(pa_ldap_stats *st) {
    st->unanswered += st->ncldap;
    st->ncldap = 0;
}

size_t pa_ldap_memory(const pa_ldap_stats *st) {
    return st->txcap * sizeof(pa_ldap_tx) + (st->cldap ? PA_LDAP_CLDAP_PENDING * sizeof(struct cldap_pending) : 0);
}

void pa_ldap_stats_free(pa_ldap_stats *st) {
    free(st->tx);
    free(st->cldap);
    st->tx = NULL;
    st->cldap = NULL;
    st->ntx = st->txcap = st->ncldap = 0;
}
