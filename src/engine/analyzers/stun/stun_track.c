/* STUN transactions, TURN allocations and ICE pairs (stun_track.h). */
#include "stun_track.h"

#include <string.h>

int pa_stun_stats_init(pa_stun_stats *st) {
    if (pa_htab_init(&st->tx, sizeof(pa_stun_tx), 12, PA_STUN_MAX_TX) ||
        pa_htab_init(&st->allocs, sizeof(pa_stun_alloc), sizeof(((pa_stun_alloc *)0)->key), PA_STUN_MAX_ALLOCS) ||
        pa_htab_init(&st->pairs, sizeof(pa_stun_pair), sizeof(((pa_stun_pair *)0)->key), PA_STUN_MAX_PAIRS)) {
        pa_stun_stats_free(st);
        return -1;
    }
    st->ready = true;
    return 0;
}

void pa_stun_stats_free(pa_stun_stats *st) {
    pa_htab_free(&st->tx);
    pa_htab_free(&st->allocs);
    pa_htab_free(&st->pairs);
    st->ready = false;
}

static bool is_turn(uint16_t method) {
    return method == PA_STUN_ALLOCATE || method == PA_STUN_REFRESH || method == PA_STUN_CREATE_PERMISSION ||
           method == PA_STUN_CHANNEL_BIND;
}

/* The allocation of a client with a server; NULL when the table is full
 * (counted) or create is false and none exists. */
static pa_stun_alloc *alloc_of(pa_stun_stats *st, const pa_addr *c, uint16_t cport, const pa_addr *s, uint16_t sport,
                               bool tcp, bool create, uint64_t frame) {
    pa_stun_alloc k;
    memset(&k.key, 0, sizeof k.key);
    k.key.client = *c;
    k.key.server = *s;
    k.key.cport = cport;
    k.key.sport = sport;
    k.key.tcp = tcp;
    if (!create) return pa_htab_find(&st->allocs, &k.key);
    bool created;
    pa_stun_alloc *a = pa_htab_upsert(&st->allocs, &k.key, &created);
    if (!a) {
        st->allocs_dropped++;
        return NULL;
    }
    if (created) a->first_frame = frame;
    return a;
}

static const pa_stun_addr *addr_of(const pa_stun_msg *m, uint16_t att) {
    for (uint8_t i = 0; i < m->naddrs; i++)
        if (m->addrs[i].att == att) return &m->addrs[i];
    return NULL;
}

/* src cut to n - 1 bytes (printable ASCII, so any cut is valid text) */
static void copy_text(char *dst, size_t n, const char *src) {
    size_t k = strnlen(src, n - 1);
    memcpy(dst, src, k);
    dst[k] = 0;
}

static void turn_request(pa_stun_stats *st, const pa_packet *p, const pa_stun_msg *m) {
    pa_stun_alloc *a = alloc_of(st, &p->src, p->sport, &p->dst, p->dport, p->l4 == PA_P_TCP, true, p->frame_no);
    if (!a) return;
    if (m->method == PA_STUN_ALLOCATE) a->allocate_requests++;
    if (m->method == PA_STUN_REFRESH) a->refreshes++;
    if (m->method == PA_STUN_CREATE_PERMISSION) a->permissions++;
    if (m->method == PA_STUN_CHANNEL_BIND) a->channel_binds++;
    if (m->has_software && !a->software[0]) copy_text(a->software, sizeof a->software, m->software);
}

static void turn_response(pa_stun_stats *st, const pa_packet *p, const pa_stun_msg *m, const pa_stun_tx *tx) {
    pa_stun_alloc *a = alloc_of(st, &tx->client, tx->cport, &tx->server, tx->sport, tx->tcp, false, 0);
    if (!a) return;
    if (m->cls == PA_STUN_ERROR) {
        a->last_error = m->error_code;
        if (m->error_code == 401)
            a->challenges++;
        else if (m->error_code == 438)
            a->stale_nonces++;
        else if (m->method == PA_STUN_ALLOCATE)
            a->allocate_errors++;
        else if (m->method == PA_STUN_REFRESH)
            a->refresh_errors++;
        if (m->has_realm && !a->realm[0]) copy_text(a->realm, sizeof a->realm, m->realm);
        return;
    }
    if (m->method == PA_STUN_ALLOCATE) {
        const pa_stun_addr *r = addr_of(m, PA_STUN_A_XOR_RELAYED_ADDRESS);
        const pa_stun_addr *x = addr_of(m, PA_STUN_A_XOR_MAPPED_ADDRESS);
        if (!a->allocated) {
            a->success_frame = p->frame_no;
            a->success_ts = p->ts_ns;
        }
        a->allocated = true;
        if (r) a->relayed = *r;
        if (x) a->mapped = *x;
    }
    if (m->has_lifetime && (m->method == PA_STUN_ALLOCATE || m->method == PA_STUN_REFRESH)) {
        a->lifetime = m->lifetime;
        if (m->method == PA_STUN_REFRESH && m->lifetime == 0) a->released = true;
    }
    if (m->has_software && !a->software[0]) copy_text(a->software, sizeof a->software, m->software);
}

static pa_stun_pair *pair_of(pa_stun_stats *st, const pa_addr *l, uint16_t lport, const pa_addr *r, uint16_t rport,
                             bool tcp, bool create) {
    pa_stun_pair k;
    memset(&k.key, 0, sizeof k.key);
    k.key.local = *l;
    k.key.remote = *r;
    k.key.lport = lport;
    k.key.rport = rport;
    k.key.tcp = tcp;
    if (!create) return pa_htab_find(&st->pairs, &k.key);
    bool created;
    pa_stun_pair *pr = pa_htab_upsert(&st->pairs, &k.key, &created);
    if (!pr) {
        st->pairs_dropped++;
        return NULL;
    }
    if (created) pr->rtt_ns = -1;
    return pr;
}

/* An ICE connectivity check (RFC 8445 7.1: PRIORITY is mandatory in one). */
static void ice_check(pa_stun_stats *st, const pa_packet *p, const pa_stun_msg *m) {
    pa_stun_pair *pr = pair_of(st, &p->src, p->sport, &p->dst, p->dport, p->l4 == PA_P_TCP, true);
    if (!pr) return;
    if (!pr->checks++) pr->first_frame = p->frame_no;
    pr->priority = m->priority;
    pr->controlling |= m->ice_controlling;
    pr->controlled |= m->ice_controlled;
    if (m->use_candidate && !pr->nominated) {
        pr->nominated = true;
        pr->nominated_frame = p->frame_no;
    }
}

static void ice_answer(pa_stun_stats *st, const pa_packet *p, const pa_stun_msg *m, const pa_stun_tx *tx) {
    pa_stun_pair *pr = pair_of(st, &tx->client, tx->cport, &tx->server, tx->sport, tx->tcp, false);
    if (!pr) return;
    if (m->cls == PA_STUN_ERROR) {
        pr->errors++;
        return;
    }
    if (!pr->successes++) {
        pr->success_frame = p->frame_no;
        pr->rtt_ns = p->ts_ns - tx->req_ts;
    }
}

static void request(pa_stun_stats *st, const pa_packet *p, int64_t stream, const pa_stun_msg *m) {
    bool created;
    pa_stun_tx *tx = pa_htab_upsert(&st->tx, m->id, &created);
    if (!tx) {
        st->tx_dropped++;
        return;
    }
    if (!created && tx->requests) {
        tx->requests++;
        st->retransmissions++;
        return;
    }
    tx->client = p->src;
    tx->server = p->dst;
    tx->cport = p->sport;
    tx->sport = p->dport;
    tx->tcp = p->l4 == PA_P_TCP;
    tx->method = m->method;
    tx->requests = 1;
    tx->req_frame = p->frame_no;
    tx->req_ts = p->ts_ns;
    tx->rt_ns = -1;
    tx->stream = stream;
    if (is_turn(m->method)) turn_request(st, p, m);
    if (m->method == PA_STUN_BINDING && m->has_priority) ice_check(st, p, m);
}

static const pa_stun_tx *response(pa_stun_stats *st, const pa_packet *p, const pa_stun_msg *m) {
    pa_stun_tx *tx = pa_htab_find(&st->tx, m->id);
    if (!tx || !tx->requests) {
        st->orphan_responses++;
        return NULL;
    }
    if (tx->responses++) return tx;
    tx->resp_frame = p->frame_no;
    tx->rt_ns = p->ts_ns - tx->req_ts;
    tx->code = m->cls == PA_STUN_ERROR ? m->error_code : 0;
    double ms = (double)tx->rt_ns / 1e6;
    if (!st->rt_count++ || ms < st->rt_min_ms) st->rt_min_ms = ms;
    if (ms > st->rt_max_ms) st->rt_max_ms = ms;
    st->rt_sum_ms += ms;
    if (is_turn(m->method)) turn_response(st, p, m, tx);
    if (m->method == PA_STUN_BINDING) ice_answer(st, p, m, tx);
    return tx;
}

const pa_stun_tx *pa_stun_message(pa_stun_stats *st, const pa_packet *p, int64_t stream, const pa_stun_msg *m) {
    st->messages++;
    if (m->classic) st->classic++;
    st->by_class[m->cls & 3]++;
    st->by_method[m->method < 16 ? m->method : 0][m->cls & 3]++;
    if (m->has_error && m->error_code < PA_STUN_CODES) st->error_codes[m->error_code]++;
    if (m->cls == PA_STUN_SUCCESS) {
        if (addr_of(m, PA_STUN_A_XOR_MAPPED_ADDRESS) || addr_of(m, PA_STUN_A_MAPPED_ADDRESS))
            st->candidates_reflexive++;
        if (addr_of(m, PA_STUN_A_XOR_RELAYED_ADDRESS)) st->candidates_relayed++;
    }
    if (m->classic || !st->ready) return NULL;
    if (m->cls == PA_STUN_REQUEST) request(st, p, stream, m);
    if (m->cls == PA_STUN_SUCCESS || m->cls == PA_STUN_ERROR) return response(st, p, m);
    return NULL;
}

void pa_stun_channel(pa_stun_stats *st, const pa_packet *p, uint16_t channel, uint16_t len) {
    (void)channel;
    st->channel_data++;
    st->channel_data_bytes += len;
    if (!st->ready) return;
    bool tcp = p->l4 == PA_P_TCP;
    pa_stun_alloc *a = alloc_of(st, &p->src, p->sport, &p->dst, p->dport, tcp, false, 0);
    if (!a) a = alloc_of(st, &p->dst, p->dport, &p->src, p->sport, tcp, false, 0);
    if (a) a->channel_data++;
}

void pa_stun_finish(pa_stun_stats *st) {
    st->unanswered = 0;
    for (size_t r = 0; r < st->tx.count; r++) {
        const pa_stun_tx *tx = pa_htab_rec(&st->tx, r);
        if (tx->requests && !tx->responses) st->unanswered++;
    }
}
