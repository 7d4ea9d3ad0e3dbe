#include "dcerpc_pipe.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "dcerpc_names.h"

typedef struct rdir {
    uint8_t *buf; /* the PDU in progress (allocated while one spans pieces) */
    uint32_t n, cap;
    uint16_t need; /* its frag_length once the header is in; 0 before */
    bool lost;     /* after a hole or bytes that are no PDU: wait for a piece that starts one */
    pa_stream_mark mark;
} rdir;

typedef struct pctx {
    uint16_t id;
    pa_dcerpc_syntax as;
} pctx;

typedef struct pcall {
    uint32_t call_id;
    uint16_t ctx_id, opnum;
    bool has_iface;
    pa_dcerpc_syntax as;
    uint64_t frame;
    int64_t ts;
} pcall;

typedef struct pbind {
    uint32_t call_id;
    uint8_t n;
    pa_dcerpc_syntax as[PA_DCERPC_MAX_ITEMS];
} pbind;

struct pa_dcerpc_conn {
    rdir dir[2]; /* [0] to the server, [1] to the client */
    pa_dcerpc_ends ends;
    pctx ctx[PA_DCERPC_CTX_MAX];
    uint8_t nctx;
    pcall calls[PA_DCERPC_CALLS_MAX]; /* a ring: the oldest is replaced */
    uint8_t ncalls, next_call;
    pbind binds[PA_DCERPC_BINDS_MAX];
    uint8_t nbinds, next_bind;
};

typedef struct ctx {
    pa_dcerpc_stats *st;
    pa_dcerpc_conn *c;
    pa_dcerpc_frame *view; /* NULL: nobody asked, or not this frame */
    uint64_t frame;
    int64_t ts;
} ctx;

int pa_dcerpc_init(pa_dcerpc_stats *st) {
    memset(st, 0, sizeof *st);
    return pa_htab_init(&st->srt, sizeof(pa_dcerpc_srt), offsetof(pa_dcerpc_srt, opnum) + sizeof(uint16_t),
                        PA_DCERPC_MAX_SRT);
}

void pa_dcerpc_stats_free(pa_dcerpc_stats *st) {
    pa_htab_free(&st->srt);
    free(st->done);
    free(st->rejects);
    st->done = NULL;
    st->rejects = NULL;
    st->ndone = st->donecap = st->nrejects = st->rejcap = 0;
}

pa_dcerpc_conn *pa_dcerpc_conn_new(pa_dcerpc_stats *st, const pa_dcerpc_ends *ends) {
    pa_dcerpc_conn *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->ends.stream = -1;
    if (ends) c->ends = *ends;
    st->connections++;
    return c;
}

void pa_dcerpc_conn_set_ends(pa_dcerpc_conn *c, const pa_dcerpc_ends *ends) { c->ends = *ends; }

void pa_dcerpc_conn_free(pa_dcerpc_conn *c) {
    if (!c) return;
    for (int i = 0; i < 2; i++) free(c->dir[i].buf);
    free(c);
}

bool pa_dcerpc_conn_pending(const pa_dcerpc_conn *c) { return c && (c->dir[0].n || c->dir[1].n); }

/* ---- listings ------------------------------------------------------------------ */

static void *grow(void *arr, size_t *cap, size_t n, size_t size, size_t max) {
    if (n < *cap) return arr;
    if (n >= max) return NULL;
    size_t ncap = *cap ? *cap * 2 : 64;
    if (ncap > max) ncap = max;
    void *a = realloc(arr, ncap * size);
    if (a) *cap = ncap;
    return a;
}

static void add_done(pa_dcerpc_stats *st, const pa_dcerpc_call *call) {
    pa_dcerpc_call *a = grow(st->done, &st->donecap, st->ndone, sizeof *a, PA_DCERPC_MAX_CALLS);
    if (!a) {
        st->done_dropped++;
        return;
    }
    st->done = a;
    st->done[st->ndone++] = *call;
}

static void add_reject(pa_dcerpc_stats *st, const pa_dcerpc_reject *r) {
    pa_dcerpc_reject *a = grow(st->rejects, &st->rejcap, st->nrejects, sizeof *a, PA_DCERPC_MAX_REJECTS);
    if (!a) {
        st->rejects_dropped++;
        return;
    }
    st->rejects = a;
    st->rejects[st->nrejects++] = *r;
}

void pa_dcerpc_iface_text(bool has, const uint8_t uuid[16], uint16_t ver, char *out, size_t cap) {
    const pa_dcerpc_iface *i = has ? pa_dcerpc_iface_find(uuid, ver) : NULL;
    if (i) {
        snprintf(out, cap, "%s", i->name);
    } else if (has) {
        char u[37];
        pa_dcerpc_uuid_text(uuid, u);
        snprintf(out, cap, "%s v%u", u, ver);
    } else {
        snprintf(out, cap, "unknown interface");
    }
}

void pa_dcerpc_op_text(bool has, const uint8_t uuid[16], uint16_t ver, uint16_t opnum, char *out, size_t cap) {
    const char *name = has ? pa_dcerpc_op_name(pa_dcerpc_iface_find(uuid, ver), opnum) : NULL;
    if (name)
        snprintf(out, cap, "%s", name);
    else
        snprintf(out, cap, "opnum %u", opnum);
}

/* ---- one PDU --------------------------------------------------------------------- */

static bool counts(const ctx *x) { return pa_tx_counts(x->st->keep, x->frame); }

static const pctx *find_ctx(const pa_dcerpc_conn *c, uint16_t id) {
    for (uint8_t i = 0; i < c->nctx; i++)
        if (c->ctx[i].id == id) return &c->ctx[i];
    return NULL;
}

/* A context item of a bind or alter_context: a later one with the same id
 * replaces it, as Wireshark's bind table does. */
static void set_ctx(ctx *x, uint16_t id, const pa_dcerpc_syntax *as) {
    pa_dcerpc_conn *c = x->c;
    for (uint8_t i = 0; i < c->nctx; i++)
        if (c->ctx[i].id == id) {
            c->ctx[i].as = *as;
            return;
        }
    if (c->nctx == PA_DCERPC_CTX_MAX) {
        x->st->ctx_dropped++;
        return;
    }
    c->ctx[c->nctx++] = (pctx){id, *as};
}

static pcall *find_call(pa_dcerpc_conn *c, uint32_t call_id) {
    for (uint8_t i = 0; i < c->ncalls; i++)
        if (c->calls[i].call_id == call_id) return &c->calls[i];
    return NULL;
}

static void request(ctx *x, const pa_dcerpc_pdu *u) {
    pa_dcerpc_conn *c = x->c;
    /* the first fragment seen of a call starts it; later fragments belong to it */
    if (find_call(c, u->h.call_id)) return;
    if (counts(x)) x->st->calls++;
    pcall *k;
    if (c->ncalls < PA_DCERPC_CALLS_MAX) {
        k = &c->calls[c->ncalls++];
    } else {
        k = &c->calls[c->next_call];
        c->next_call = (uint8_t)((c->next_call + 1) % PA_DCERPC_CALLS_MAX);
        x->st->calls_forgotten++;
    }
    pcall nk = {.call_id = u->h.call_id, .ctx_id = u->ctx_id, .opnum = u->opnum, .frame = x->frame, .ts = x->ts};
    const pctx *p = find_ctx(c, u->ctx_id);
    if (p) {
        nk.has_iface = true;
        nk.as = p->as;
    }
    *k = nk;
}

static void srt_add(pa_dcerpc_stats *st, const pcall *k, int64_t ns) {
    pa_dcerpc_srt key;
    memset(&key, 0, sizeof key);
    memcpy(key.uuid, k->as.uuid, 16);
    key.ver = k->as.ver;
    key.opnum = k->opnum;
    bool created;
    pa_dcerpc_srt *r = pa_htab_upsert(&st->srt, &key, &created);
    if (!r) {
        st->srt_overflow++;
        return;
    }
    if (created || ns < r->min_ns) r->min_ns = ns;
    if (created || ns > r->max_ns) r->max_ns = ns;
    r->sum_ns += ns;
    r->calls++;
}

/* A response or fault: matched with its request by call id. A response is
 * timed at its last fragment, as tshark's srt tap times it (once per call). */
static void answer(ctx *x, const pa_dcerpc_pdu *u, int slot) {
    pa_dcerpc_stats *st = x->st;
    pcall *k = find_call(x->c, u->h.call_id);
    bool fault = u->h.ptype == PA_DCERPC_FAULT;
    bool cnt = counts(x);
    if (x->view && slot >= 0) {
        if (k) {
            x->view->pdu[slot].has_opnum = true;
            x->view->pdu[slot].opnum = k->opnum;
            x->view->pdu[slot].has_time = true;
            x->view->pdu[slot].time_ns = x->ts - k->ts;
            x->view->pdu[slot].request_in = k->frame;
        }
    }
    /* a response's stub is whole at its last fragment: tshark's tap, and the
     * sub-dissector that repeats request_in, run there */
    bool last = (u->h.flags & PA_DCERPC_LAST_FRAG) != 0;
    if (x->view && slot >= 0 && k && !fault && last && k->has_iface && pa_dcerpc_iface_find(k->as.uuid, k->as.ver))
        x->view->pdu[slot].request_in_twice = true;
    if (!k) {
        if (cnt) st->unmatched++;
    } else if (!fault && last && k->has_iface && cnt) {
        srt_add(st, k, x->ts - k->ts);
    }
    if (!cnt || (!fault && !last)) return;
    if (fault) {
        st->faults++;
        char iface[64], op[64], text[200];
        pa_dcerpc_iface_text(k && k->has_iface, k ? k->as.uuid : NULL, k ? k->as.ver : 0, iface, sizeof iface);
        if (k)
            pa_dcerpc_op_text(k->has_iface, k->as.uuid, k->as.ver, k->opnum, op, sizeof op);
        else
            snprintf(op, sizeof op, "unknown call");
        const char *sn = pa_dcerpc_status_name(u->status);
        snprintf(text, sizeof text, "%s (0x%08x), %s %s, call_id %u", sn ? sn : "unknown status", u->status, iface, op,
                 u->h.call_id);
        if (st->ex) pa_expert_add(st->ex, PA_EX_DCERPC_FAULT, x->frame, text);
    } else {
        st->responses++;
    }
    pa_dcerpc_call call = {.ends = x->c->ends,
                           .req_frame = k ? k->frame : 0,
                           .resp_frame = x->frame,
                           .rt_ns = k ? x->ts - k->ts : -1,
                           .call_id = u->h.call_id,
                           .fault = fault,
                           .has_iface = k && k->has_iface,
                           .status = u->status,
                           .ver = k ? k->as.ver : 0,
                           .opnum = k ? k->opnum : 0,
                           .ctx_id = u->ctx_id};
    if (k) memcpy(call.uuid, k->as.uuid, 16);
    add_done(st, &call);
}

static void bind(ctx *x, const pa_dcerpc_pdu *u) {
    pa_dcerpc_conn *c = x->c;
    pbind *b;
    if (c->nbinds < PA_DCERPC_BINDS_MAX) {
        b = &c->binds[c->nbinds++];
    } else {
        b = &c->binds[c->next_bind];
        c->next_bind = (uint8_t)((c->next_bind + 1) % PA_DCERPC_BINDS_MAX);
    }
    b->call_id = u->h.call_id;
    b->n = u->kept;
    for (uint8_t i = 0; i < u->kept; i++) {
        b->as[i] = u->item[i].abstract;
        set_ctx(x, u->item[i].ctx_id, &u->item[i].abstract);
    }
}

static const pbind *find_bind(const pa_dcerpc_conn *c, uint32_t call_id) {
    for (uint8_t i = 0; i < c->nbinds; i++)
        if (c->binds[i].call_id == call_id) return &c->binds[i];
    return NULL;
}

static void reject(ctx *x, const pa_dcerpc_pdu *u, const pbind *b, uint8_t i, uint16_t result, uint16_t reason) {
    pa_dcerpc_reject r = {.ends = x->c->ends,
                          .frame = x->frame,
                          .call_id = u->h.call_id,
                          .ptype = u->h.ptype,
                          .result = result,
                          .reason = reason};
    if (b && i < b->n) {
        r.has_iface = true;
        memcpy(r.uuid, b->as[i].uuid, 16);
        r.ver = b->as[i].ver;
    }
    char iface[64], text[200];
    pa_dcerpc_iface_text(r.has_iface, r.uuid, r.ver, iface, sizeof iface);
    const char *why =
        u->h.ptype == PA_DCERPC_BIND_NAK ? pa_dcerpc_reject_reason_name(reason) : pa_dcerpc_ack_reason_name(reason);
    const char *what = u->h.ptype == PA_DCERPC_BIND_NAK ? "Bind_nak" : pa_dcerpc_ack_result_name(result);
    snprintf(text, sizeof text, "%s: %s (%u), %s, call_id %u", what ? what : "rejection", why ? why : "unknown reason",
             reason, u->h.ptype == PA_DCERPC_BIND_NAK && !r.has_iface ? "bind" : iface, u->h.call_id);
    if (x->st->ex) pa_expert_add(x->st->ex, PA_EX_DCERPC_BIND_REJECTED, x->frame, text);
    add_reject(x->st, &r);
}

static void bind_ack(ctx *x, const pa_dcerpc_pdu *u) {
    const pbind *b = find_bind(x->c, u->h.call_id);
    bool cnt = counts(x);
    for (uint8_t i = 0; i < u->kept; i++) {
        uint16_t res = u->item[i].result;
        if (res == 0 || res == 3) { /* acceptance; a negotiate ack answers bind-time feature negotiation */
            if (cnt && res == 0) x->st->accepted++;
            continue;
        }
        if (!cnt) continue;
        x->st->rejected++;
        reject(x, u, b, i, res, u->item[i].reason);
    }
}

static void note_view(ctx *x, const pa_dcerpc_pdu *u, int *slot) {
    pa_dcerpc_frame *v = x->view;
    *slot = -1;
    if (!v) return;
    v->present = true;
    if (v->npdu == PA_DCERPC_FRAME_PDUS) return;
    *slot = v->npdu;
    pa_dcerpc_frame_pdu *q = &v->pdu[v->npdu++];
    memset(q, 0, sizeof *q);
    q->h = u->h;
    if (!u->body_ok) return;
    uint8_t t = u->h.ptype;
    if (t == PA_DCERPC_REQUEST || t == PA_DCERPC_RESPONSE || t == PA_DCERPC_FAULT) {
        q->has_call = true;
        q->alloc_hint = u->alloc_hint;
        if (v->nctx < PA_DCERPC_FRAME_VALS) v->ctx_id[v->nctx++] = u->ctx_id;
    }
    if (t == PA_DCERPC_REQUEST) {
        q->has_opnum = true;
        q->opnum = u->opnum;
    }
    if (t == PA_DCERPC_FAULT) {
        q->has_status = true;
        q->status = u->status;
    }
    if (t == PA_DCERPC_BIND || t == PA_DCERPC_ALTER || t == PA_DCERPC_BIND_ACK || t == PA_DCERPC_ALTER_RESP) {
        q->has_bind = true;
        q->max_xmit = u->max_xmit;
        q->max_recv = u->max_recv;
        q->assoc_group = u->assoc_group;
        q->has_items = true;
        q->nitems = u->nitems;
    }
    for (uint8_t i = 0; i < u->kept; i++) {
        if (t == PA_DCERPC_BIND || t == PA_DCERPC_ALTER) {
            if (v->nctx < PA_DCERPC_FRAME_VALS) v->ctx_id[v->nctx++] = u->item[i].ctx_id;
            if (v->nbind < PA_DCERPC_FRAME_VALS) {
                v->bind[v->nbind] = u->item[i].abstract;
                pa_dcerpc_uuid_text(u->item[i].abstract.uuid, v->bind_text[v->nbind]);
                v->nbind++;
            }
        } else {
            uint16_t res = u->item[i].result;
            if (v->nres < PA_DCERPC_FRAME_VALS) v->result[v->nres++] = res;
            /* a reason only for rejections (a negotiate ack's is its bind-time features) */
            if ((res == 1 || res == 2) && v->nreason < PA_DCERPC_FRAME_VALS)
                v->reason[v->nreason++] = u->item[i].reason;
        }
    }
    if (t == PA_DCERPC_BIND_NAK) {
        q->has_reject = true;
        q->reject_reason = u->reject_reason;
    }
}

static void pdu(ctx *x, const uint8_t *b, size_t len) {
    pa_dcerpc_pdu u;
    if (!pa_dcerpc_parse(b, len, &u)) return; /* the header was checked when it came */
    pa_dcerpc_stats *st = x->st;
    bool cnt = counts(x);
    if (cnt) {
        st->pdus++;
        st->by_ptype[u.h.ptype]++;
    }
    int slot;
    note_view(x, &u, &slot);
    if (!u.body_ok) {
        if (cnt) st->malformed++;
        if (cnt && st->ex) pa_expert_add(st->ex, PA_EX_DCERPC_MALFORMED, x->frame, NULL);
        return;
    }
    switch (u.h.ptype) {
    case PA_DCERPC_REQUEST: request(x, &u); break;
    case PA_DCERPC_RESPONSE:
    case PA_DCERPC_FAULT: answer(x, &u, slot); break;
    case PA_DCERPC_BIND:
    case PA_DCERPC_ALTER: bind(x, &u); break;
    case PA_DCERPC_BIND_ACK:
    case PA_DCERPC_ALTER_RESP: bind_ack(x, &u); break;
    case PA_DCERPC_BIND_NAK:
        if (cnt) {
            st->bind_naks++;
            reject(x, &u, find_bind(x->c, u.h.call_id), 0, 0xffff, u.reject_reason);
        }
        break;
    default: break;
    }
}

/* ---- the byte stream ----------------------------------------------------------------- */

static bool reserve(rdir *d, uint32_t want) {
    if (want <= d->cap) return true;
    uint8_t *b = realloc(d->buf, want);
    if (!b) return false;
    d->buf = b;
    d->cap = want;
    return true;
}

static void drop(rdir *d) {
    d->n = 0;
    d->need = 0;
    free(d->buf);
    d->buf = NULL;
    d->cap = 0;
}

uint32_t pa_dcerpc_feed(pa_dcerpc_stats *st, pa_dcerpc_conn *c, bool to_server, const uint8_t *data, size_t len,
                        bool gap, uint64_t frame, int64_t ts, pa_dcerpc_frame *view, uint64_t view_frame) {
    if (!c || !len) return 0;
    rdir *d = &c->dir[to_server ? 0 : 1];
    pa_mark_note(&d->mark, frame, ts, gap);
    if (gap) { /* the PDU in progress lost bytes: wait for a piece that starts one */
        if (pa_tx_counts(st->keep, frame)) st->gaps++;
        drop(d);
        d->lost = true;
    }
    uint32_t ended = 0;
    pa_cur cur = pa_cur_make(data, len);
    if (d->lost) {
        pa_dcerpc_hdr h;
        if (!pa_dcerpc_hdr_parse(cur.p, cur.len, &h) || h.frag_len < PA_DCERPC_HDR_LEN) return 0;
        d->lost = false;
        st->resyncs++;
        pa_mark_restart(&d->mark, frame, ts);
    }
    while (cur.len) {
        if (d->n < PA_DCERPC_HDR_LEN) {
            /* the header first: it says how long the PDU is */
            if (d->n == 0 && cur.len >= PA_DCERPC_HDR_LEN) {
                pa_dcerpc_hdr h;
                if (!pa_dcerpc_hdr_parse(cur.p, cur.len, &h) || h.frag_len < PA_DCERPC_HDR_LEN) break;
                if (cur.len >= h.frag_len) { /* whole here: parsed in place */
                    ctx x = {st, c, view && view_frame == d->mark.frame ? view : NULL, d->mark.frame, d->mark.ts};
                    pdu(&x, cur.p, h.frag_len);
                    ended++;
                    if (!pa_cur_skip(&cur, h.frag_len)) break;
                    pa_mark_restart(&d->mark, frame, ts);
                    continue;
                }
            }
            size_t take = PA_DCERPC_HDR_LEN - d->n;
            if (take > cur.len) take = cur.len;
            if (!reserve(d, PA_DCERPC_HDR_LEN) || !pa_cur_copy(&cur, d->buf + d->n, take)) break;
            d->n += (uint32_t)take;
            if (d->n < PA_DCERPC_HDR_LEN) break;
            pa_dcerpc_hdr h;
            if (!pa_dcerpc_hdr_parse(d->buf, d->n, &h) || h.frag_len < PA_DCERPC_HDR_LEN) {
                drop(d);
                d->lost = true;
                break;
            }
            d->need = h.frag_len;
            if (!reserve(d, d->need)) {
                drop(d);
                d->lost = true;
                break;
            }
        }
        size_t take = d->need - d->n;
        if (take > cur.len) take = cur.len;
        if (!pa_cur_copy(&cur, d->buf + d->n, take)) break;
        d->n += (uint32_t)take;
        if (d->n < d->need) break;
        ctx x = {st, c, view && view_frame == d->mark.frame ? view : NULL, d->mark.frame, d->mark.ts};
        pdu(&x, d->buf, d->n);
        ended++;
        drop(d);
        pa_mark_restart(&d->mark, frame, ts);
    }
    if (cur.len && !d->n) d->lost = true; /* bytes that start no PDU: wait for the next piece */
    return ended;
}

static int by_resp(const void *a, const void *b) {
    const pa_dcerpc_call *x = a, *y = b;
    return x->resp_frame < y->resp_frame ? -1 : x->resp_frame > y->resp_frame;
}

static int by_frame(const void *a, const void *b) {
    const pa_dcerpc_reject *x = a, *y = b;
    return x->frame < y->frame ? -1 : x->frame > y->frame;
}

void pa_dcerpc_finish(pa_dcerpc_stats *st) {
    if (st->ndone > 1) qsort(st->done, st->ndone, sizeof *st->done, by_resp);
    if (st->nrejects > 1) qsort(st->rejects, st->nrejects, sizeof *st->rejects, by_frame);
}
