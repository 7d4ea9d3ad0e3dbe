/* DHCP transactions and servers (dhcp_track.h). */
#include "dhcp_track.h"

#include <stdlib.h>
#include <string.h>

#define INDEX_SLOTS (2 * PA_DHCP_MAX_TX)

const char *pa_dhcp_outcome_name(pa_dhcp_outcome o) {
    static const char *const n[PA_DHCP_OUTCOMES] = {"nak",   "declined", "unanswered", "offered-not-requested",
                                                    "acked", "released", "other"};
    return (unsigned)o < PA_DHCP_OUTCOMES ? n[o] : "other";
}

static bool has(const pa_dhcp_tx *t, unsigned type) { return (t->types >> type) & 1u; }

int64_t pa_dhcp_tx_time(const pa_dhcp_tx *t, unsigned from, unsigned to) {
    if (from > PA_DHCP_INFORM || to > PA_DHCP_INFORM || !has(t, from) || !has(t, to)) return -1;
    int64_t d = t->ts_of[to] - t->ts_of[from];
    return d >= 0 ? d : -1;
}

int64_t pa_dhcp_tx_answer_ns(const pa_dhcp_tx *t) {
    unsigned from = has(t, PA_DHCP_DISCOVER)  ? PA_DHCP_DISCOVER
                    : has(t, PA_DHCP_REQUEST) ? PA_DHCP_REQUEST
                                              : PA_DHCP_INFORM;
    int64_t a = pa_dhcp_tx_time(t, from, PA_DHCP_ACK), n = pa_dhcp_tx_time(t, from, PA_DHCP_NAK);
    if (a >= 0 && (n < 0 || a <= n)) return a;
    return n;
}

pa_dhcp_outcome pa_dhcp_tx_outcome(const pa_dhcp_tx *t) {
    if (has(t, PA_DHCP_NAK)) return PA_DHCP_NAKED;
    if (has(t, PA_DHCP_DECLINE)) return PA_DHCP_DECLINED;
    if (has(t, PA_DHCP_ACK)) return has(t, PA_DHCP_RELEASE) ? PA_DHCP_RELEASED : PA_DHCP_ACKED;
    if (has(t, PA_DHCP_REQUEST) || has(t, PA_DHCP_INFORM)) return PA_DHCP_UNANSWERED;
    if (has(t, PA_DHCP_OFFER)) return PA_DHCP_OFFERED;
    if (has(t, PA_DHCP_DISCOVER)) return PA_DHCP_UNANSWERED;
    if (has(t, PA_DHCP_RELEASE)) return PA_DHCP_RELEASED;
    return PA_DHCP_OTHER;
}

static uint32_t hash(uint32_t xid, const uint8_t *ch, uint8_t hlen) {
    uint32_t h = xid * 2654435761u;
    for (uint8_t i = 0; i < hlen && i < 16; i++) h = (h ^ ch[i]) * 16777619u;
    return h;
}

static pa_dhcp_tx *tx_of(pa_dhcp_stats *st, const pa_dhcp_msg *m) {
    if (!st->index && !(st->index = calloc(INDEX_SLOTS, sizeof *st->index))) return NULL;
    uint8_t hlen = m->hlen <= 16 ? m->hlen : 16;
    uint32_t slot = hash(m->xid, m->chaddr, hlen) % INDEX_SLOTS;
    for (uint32_t k = 0; k < INDEX_SLOTS; k++, slot = (slot + 1) % INDEX_SLOTS) {
        uint32_t i = st->index[slot];
        if (!i) break;
        pa_dhcp_tx *t = &st->tx[i - 1];
        if (t->xid == m->xid && t->hlen == hlen && !memcmp(t->chaddr, m->chaddr, hlen)) return t;
    }
    if (st->ntx >= PA_DHCP_MAX_TX) {
        st->tx_dropped++;
        return NULL;
    }
    if (st->ntx == st->tx_cap) {
        uint32_t ncap = st->tx_cap ? st->tx_cap * 2 : 16;
        pa_dhcp_tx *n = realloc(st->tx, ncap * sizeof *n);
        if (!n) return NULL;
        st->tx = n;
        st->tx_cap = ncap;
    }
    pa_dhcp_tx *t = &st->tx[st->ntx++];
    memset(t, 0, sizeof *t);
    t->xid = m->xid;
    t->hlen = hlen;
    memcpy(t->chaddr, m->chaddr, hlen);
    t->mac = m->mac;
    st->index[slot] = st->ntx;
    return t;
}

static pa_dhcp_server *server_of(pa_dhcp_stats *st, const uint8_t id[4], uint64_t frame) {
    for (uint32_t i = 0; i < st->nservers; i++)
        if (!memcmp(st->servers[i].id, id, 4)) return &st->servers[i];
    if (st->nservers >= PA_DHCP_MAX_SERVERS) {
        st->servers_dropped++;
        return NULL;
    }
    pa_dhcp_server *s = &st->servers[st->nservers++];
    memset(s, 0, sizeof *s);
    memcpy(s->id, id, 4);
    s->first_frame = frame;
    return s;
}

/* A server's answer: its server, and the transaction's set of servers. */
static void note_server(pa_dhcp_stats *st, pa_dhcp_tx *t, const pa_packet *p, const pa_dhcp_msg *m) {
    uint8_t id[4] = {0};
    if (m->has_server_id)
        memcpy(id, m->server_id, 4);
    else if (p->src.family == 4)
        memcpy(id, p->src.b, 4);
    pa_dhcp_server *s = server_of(st, id, p->frame_no);
    bool first_here = true;
    if (t) {
        for (uint8_t i = 0; i < t->nservers && first_here; i++) first_here = memcmp(t->servers[i], id, 4) != 0;
        if (first_here && t->nservers < PA_DHCP_TX_SERVERS) memcpy(t->servers[t->nservers++], id, 4);
        if (first_here && t->nservers == 2) {
            st->multi_server_tx++;
            if (st->ex && pa_tx_counts(st->keep, p->frame_no))
                pa_expert_add(st->ex, PA_EX_DHCP_MULTIPLE_SERVERS, p->frame_no, (unsigned)t->xid);
        }
    }
    if (!s) return;
    s->messages++;
    if (t && first_here) s->transactions++;
    if (m->type == PA_DHCP_OFFER) s->offers++;
    if (m->type == PA_DHCP_ACK) s->acks++;
    if (m->type == PA_DHCP_NAK) s->naks++;
}

void pa_dhcp_message(pa_dhcp_stats *st, const pa_packet *p, const pa_dhcp_msg *m) {
    st->messages++;
    if (m->type < PA_DHCP_TYPES) st->types[m->type]++;
    if (!m->type) st->bootp++;
    if (m->bad_options) st->bad_options++;
    bool relayed = m->giaddr[0] || m->giaddr[1] || m->giaddr[2] || m->giaddr[3];
    if (relayed) st->relayed++;
    pa_dhcp_tx *t = m->type ? tx_of(st, m) : NULL;
    if (t) {
        if (m->type < 32) {
            if (has(t, m->type) && m->op == 1) t->retransmits++;
            if (!has(t, m->type) && m->type <= PA_DHCP_INFORM) {
                t->frame_of[m->type] = p->frame_no;
                t->ts_of[m->type] = p->ts_ns;
            }
            t->types |= 1u << m->type;
        }
        t->messages++;
        if (t->nframes < PA_DHCP_TX_FRAMES) t->frames[t->nframes++] = p->frame_no;
        t->relayed |= relayed;
        if (m->has_hostname && !t->hostname[0]) memcpy(t->hostname, m->hostname, sizeof t->hostname);
        if (m->op == 1 && !t->client_ip.family) t->client_ip = p->src;
        if (m->has_requested && !t->has_requested) {
            t->has_requested = true;
            memcpy(t->requested, m->requested, 4);
        }
        if (m->type == PA_DHCP_OFFER && !t->has_offered) {
            t->has_offered = true;
            memcpy(t->offered, m->yiaddr, 4);
        }
        if (m->type == PA_DHCP_NAK && m->has_message && !t->nak_message[0])
            memcpy(t->nak_message, m->message, sizeof t->nak_message);
        /* what the server granted: the ACK's, else the first offer's */
        bool ack = m->type == PA_DHCP_ACK;
        if (ack || (m->type == PA_DHCP_OFFER && !t->has_acked)) {
            if (ack) {
                t->has_acked = true;
                memcpy(t->acked, m->yiaddr, 4);
            }
            if (m->has_lease && (ack || !t->has_lease)) {
                t->has_lease = true;
                t->lease = m->lease;
            }
            if (m->nrouters && (ack || !t->has_router)) {
                t->has_router = true;
                memcpy(t->router, m->routers[0], 4);
            }
            if (m->has_mask && (ack || !t->has_mask)) {
                t->has_mask = true;
                memcpy(t->mask, m->mask, 4);
            }
            if (m->ndns && (ack || !t->ndns)) {
                t->ndns = m->ndns < PA_DHCP_TX_DNS ? m->ndns : PA_DHCP_TX_DNS;
                memcpy(t->dns, m->dns, (size_t)t->ndns * 4);
            }
        }
    }
    if (m->op == 2 && (m->type == PA_DHCP_OFFER || m->type == PA_DHCP_ACK || m->type == PA_DHCP_NAK))
        note_server(st, t, p, m);
}

void pa_dhcp_stats_free(pa_dhcp_stats *st) {
    free(st->tx);
    free(st->index);
    st->tx = NULL;
    st->index = NULL;
    st->ntx = st->tx_cap = 0;
}
