/* DHCPv6 exchanges and servers (dhcpv6_track.h). */
#include "dhcpv6_track.h"

#include <stdlib.h>
#include <string.h>

/* transaction id -> exchange: open addressing, every id an exchange holds */
#define INDEX_SLOTS (2 * PA_DHCPV6_TX_XIDS * PA_DHCPV6_MAX_TX)
#define JOIN_LOOKBACK 64 /* exchanges looked at for an open one of the same client */

const char *pa_dhcpv6_outcome_name(pa_dhcpv6_outcome o) {
    static const char *const n[PA_DHCPV6_OUTCOMES] = {
        "status-error", "declined", "unanswered", "advertised-not-requested", "replied", "released", "other"};
    return (unsigned)o < PA_DHCPV6_OUTCOMES ? n[o] : "other";
}

const char *pa_dhcpv6_status_name(unsigned code) {
    static const char *const n[] = {"Success",        "UnspecFail",    "NoAddrsAvail",  "NoBinding",
                                    "NotOnLink",      "UseMulticast",  "NoPrefixAvail", "UnknownQueryType",
                                    "MalformedQuery", "NotConfigured", "NotAllowed"};
    return code < sizeof n / sizeof n[0] ? n[code] : NULL;
}

static bool has(const pa_dhcpv6_tx *t, unsigned type) { return type < 32 && ((t->types >> type) & 1u); }

static bool client_type(uint8_t t) {
    return t == PA_DHCPV6_SOLICIT || t == PA_DHCPV6_REQUEST || t == PA_DHCPV6_CONFIRM || t == PA_DHCPV6_RENEW ||
           t == PA_DHCPV6_REBIND || t == PA_DHCPV6_RELEASE || t == PA_DHCPV6_DECLINE ||
           t == PA_DHCPV6_INFORMATION_REQUEST;
}

static bool server_type(uint8_t t) {
    return t == PA_DHCPV6_ADVERTISE || t == PA_DHCPV6_REPLY || t == PA_DHCPV6_RECONFIGURE;
}

int64_t pa_dhcpv6_tx_time(const pa_dhcpv6_tx *t, unsigned from, unsigned to) {
    if (from >= PA_DHCPV6_RELAY_FORW || to >= PA_DHCPV6_RELAY_FORW || !has(t, from) || !has(t, to)) return -1;
    int64_t d = t->ts_of[to] - t->ts_of[from];
    return d >= 0 ? d : -1;
}

int64_t pa_dhcpv6_tx_answer_ns(const pa_dhcpv6_tx *t) {
    if (!has(t, PA_DHCPV6_REPLY)) return -1;
    unsigned from = 0;
    if (has(t, PA_DHCPV6_SOLICIT)) {
        from = PA_DHCPV6_SOLICIT;
    } else {
        for (unsigned k = 1; k < PA_DHCPV6_RELAY_FORW; k++)
            if (client_type((uint8_t)k) && has(t, k) && (!from || t->ts_of[k] < t->ts_of[from])) from = k;
    }
    return from ? pa_dhcpv6_tx_time(t, from, PA_DHCPV6_REPLY) : -1;
}

pa_dhcpv6_outcome pa_dhcpv6_tx_outcome(const pa_dhcpv6_tx *t) {
    if (t->status) return PA_DHCPV6_ERROR;
    if (has(t, PA_DHCPV6_DECLINE)) return PA_DHCPV6_DECLINED;
    if (has(t, PA_DHCPV6_RELEASE)) return PA_DHCPV6_RELEASED;
    if (has(t, PA_DHCPV6_REPLY)) return PA_DHCPV6_REPLIED;
    bool asked = false;
    for (unsigned k = 1; k < PA_DHCPV6_RELAY_FORW; k++)
        if (client_type((uint8_t)k) && k != PA_DHCPV6_SOLICIT && has(t, k)) asked = true;
    if (asked) return PA_DHCPV6_UNANSWERED;
    if (has(t, PA_DHCPV6_ADVERTISE)) return PA_DHCPV6_ADVERTISED;
    if (has(t, PA_DHCPV6_SOLICIT)) return PA_DHCPV6_UNANSWERED;
    return PA_DHCPV6_OTHER;
}

static uint32_t xhash(uint32_t xid) { return (xid * 2654435761u) % INDEX_SLOTS; }

static void index_add(pa_dhcpv6_stats *st, uint32_t xid, uint32_t txi) {
    uint32_t *ix = st->index;
    if (!ix) return;
    uint32_t slot = xhash(xid);
    for (uint32_t k = 0; k < INDEX_SLOTS; k++, slot = (slot + 1) % INDEX_SLOTS)
        if (!ix[slot]) {
            ix[slot] = txi + 1;
            return;
        }
}

static bool same_duid(const pa_dhcpv6_tx *t, const pa_dhcpv6_msg *m) {
    return t->duid_len == m->client_duid_len && !memcmp(t->duid, m->client_duid, t->duid_len);
}

static bool holds_xid(const pa_dhcpv6_tx *t, uint32_t xid) {
    for (uint8_t i = 0; i < t->nxids; i++)
        if (t->xids[i] == xid) return true;
    return false;
}

/* The newest exchange holding xid, of the message's client when it names one. */
static pa_dhcpv6_tx *by_xid(pa_dhcpv6_stats *st, const pa_dhcpv6_msg *m) {
    uint32_t *ix = st->index;
    if (!ix) return NULL;
    pa_dhcpv6_tx *best = NULL;
    uint32_t slot = xhash(m->xid);
    for (uint32_t k = 0; k < INDEX_SLOTS && ix[slot]; k++, slot = (slot + 1) % INDEX_SLOTS) {
        pa_dhcpv6_tx *t = &st->tx[ix[slot] - 1];
        if (!holds_xid(t, m->xid) || (m->client_duid_len && t->duid_len && !same_duid(t, m))) continue;
        if (!best || t > best) best = t;
    }
    return best;
}

static pa_dhcpv6_tx *new_tx(pa_dhcpv6_stats *st, const pa_dhcpv6_msg *m) {
    if (!st->index && !(st->index = calloc(INDEX_SLOTS, sizeof *st->index))) return NULL;
    if (st->ntx >= PA_DHCPV6_MAX_TX) {
        st->tx_dropped++;
        return NULL;
    }
    if (st->ntx == st->tx_cap) {
        uint32_t ncap = st->tx_cap ? st->tx_cap * 2 : 16;
        pa_dhcpv6_tx *n = realloc(st->tx, ncap * sizeof *n);
        if (!n) return NULL;
        st->tx = n;
        st->tx_cap = ncap;
    }
    pa_dhcpv6_tx *t = &st->tx[st->ntx++];
    memset(t, 0, sizeof *t);
    t->duid_len = m->client_duid_len;
    memcpy(t->duid, m->client_duid, t->duid_len);
    return t;
}

static void add_xid(pa_dhcpv6_stats *st, pa_dhcpv6_tx *t, uint32_t xid) {
    if (holds_xid(t, xid) || t->nxids >= PA_DHCPV6_TX_XIDS) return;
    t->xids[t->nxids++] = xid;
    index_add(st, xid, (uint32_t)(t - st->tx));
}

/* A Request after an Advertise: the newest exchange of the same client that
 * has a Solicit, no Reply yet, and was active lately. */
static pa_dhcpv6_tx *open_of(pa_dhcpv6_stats *st, const pa_dhcpv6_msg *m, int64_t ts) {
    if (!m->client_duid_len) return NULL;
    for (uint32_t i = st->ntx, k = 0; i-- > 0 && k < JOIN_LOOKBACK; k++) {
        pa_dhcpv6_tx *t = &st->tx[i];
        if (!same_duid(t, m)) continue;
        if (has(t, PA_DHCPV6_SOLICIT) && !has(t, PA_DHCPV6_REPLY) && t->nxids < PA_DHCPV6_TX_XIDS &&
            ts - t->last_ts <= PA_DHCPV6_JOIN_NS)
            return t;
        return NULL;
    }
    return NULL;
}

static pa_dhcpv6_tx *tx_of(pa_dhcpv6_stats *st, const pa_packet *p, const pa_dhcpv6_msg *m, bool *created) {
    *created = false;
    pa_dhcpv6_tx *t = by_xid(st, m);
    if (t) return t;
    if (client_type(m->type) && m->type == PA_DHCPV6_REQUEST) t = open_of(st, m, p->ts_ns);
    if (!t) {
        t = new_tx(st, m);
        *created = t != NULL;
    }
    if (t) add_xid(st, t, m->xid);
    return t;
}

static bool duid_eq(const pa_dhcpv6_server *s, const pa_dhcpv6_msg *m) {
    return s->duid_len == m->server_duid_len && !memcmp(s->duid, m->server_duid, s->duid_len);
}

/* The server of an answer: by its DUID (by its address when it sent none). */
static uint32_t server_of(pa_dhcpv6_stats *st, const pa_packet *p, const pa_dhcpv6_msg *m) {
    for (uint32_t i = 0; i < st->nservers; i++) {
        const pa_dhcpv6_server *s = &st->servers[i];
        if (m->server_duid_len
                ? duid_eq(s, m)
                : (!s->duid_len && s->addr.family == p->src.family && !memcmp(s->addr.b, p->src.b, sizeof s->addr.b)))
            return i + 1;
    }
    if (st->nservers >= PA_DHCPV6_MAX_SERVERS) {
        st->servers_dropped++;
        return 0;
    }
    pa_dhcpv6_server *s = &st->servers[st->nservers++];
    memset(s, 0, sizeof *s);
    s->duid_len = m->server_duid_len;
    memcpy(s->duid, m->server_duid, s->duid_len);
    s->addr = p->src;
    s->first_frame = p->frame_no;
    return st->nservers;
}

static void note_server(pa_dhcpv6_stats *st, pa_dhcpv6_tx *t, const pa_packet *p, const pa_dhcpv6_msg *m) {
    uint32_t si = server_of(st, p, m);
    bool first_here = true;
    if (t && si) {
        for (uint8_t i = 0; i < t->nservers && first_here; i++) first_here = t->servers[i] != si;
        if (first_here && t->nservers < PA_DHCPV6_TX_SERVERS) t->servers[t->nservers++] = si;
        if (first_here && t->nservers == 2) {
            st->multi_server_tx++;
            if (st->ex && pa_tx_counts(st->keep, p->frame_no))
                pa_expert_add(st->ex, PA_EX_DHCPV6_MULTIPLE_SERVERS, p->frame_no, (unsigned)m->xid);
        }
    }
    if (!si) return;
    pa_dhcpv6_server *s = &st->servers[si - 1];
    s->messages++;
    if (t && first_here) s->transactions++;
    if (m->type == PA_DHCPV6_ADVERTISE) s->advertises++;
    if (m->type == PA_DHCPV6_REPLY) s->replies++;
    if (m->status) s->errors++;
}

void pa_dhcpv6_message(pa_dhcpv6_stats *st, const pa_packet *p, const pa_dhcpv6_msg *m) {
    st->messages++;
    if (m->type < PA_DHCPV6_TYPES) st->types[m->type]++;
    if (m->relays) st->relayed++;
    if (!m->has_xid || !(client_type(m->type) || server_type(m->type))) return;
    bool created;
    pa_dhcpv6_tx *t = tx_of(st, p, m, &created);
    if (t) {
        if (created && server_type(m->type)) st->replies_unmatched++;
        if (client_type(m->type)) {
            if (has(t, m->type)) t->retransmits++;
            if (!t->client.family && m->relays) {
                t->client.family = 6; /* a relay's peer address is the client's */
                memcpy(t->client.b, m->peer_addr, 16);
            } else if (!t->client.family) {
                t->client = p->src;
            }
        }
        if (m->relays) t->relayed = true;
        if (!t->duid_len && m->client_duid_len) {
            t->duid_len = m->client_duid_len;
            memcpy(t->duid, m->client_duid, t->duid_len);
        }
        if (m->type < PA_DHCPV6_RELAY_FORW && !has(t, m->type)) {
            t->frame_of[m->type] = p->frame_no;
            t->ts_of[m->type] = p->ts_ns;
        }
        t->types |= 1u << m->type;
        t->messages++;
        t->last_ts = p->ts_ns;
        if (t->nframes < PA_DHCPV6_TX_FRAMES) t->frames[t->nframes++] = p->frame_no;
        if (server_type(m->type)) {
            if (m->status && !t->status) {
                t->status = m->status;
                memcpy(t->status_msg, m->status_msg, sizeof t->status_msg);
            }
            bool reply = m->type == PA_DHCPV6_REPLY;
            if (m->naddrs && (reply || !t->has_addr)) {
                t->has_addr = true;
                memcpy(t->addr, m->addrs[0].ip, 16);
                t->preferred = m->addrs[0].preferred;
                t->valid = m->addrs[0].valid;
            }
            if (m->nprefixes && (reply || !t->has_prefix)) {
                t->has_prefix = true;
                memcpy(t->prefix, m->prefixes[0].prefix, 16);
                t->prefix_len = m->prefixes[0].len;
                t->prefix_valid = m->prefixes[0].valid;
            }
            if (m->ndns && (reply || !t->ndns)) {
                t->ndns = m->ndns < PA_DHCPV6_TX_DNS ? m->ndns : PA_DHCPV6_TX_DNS;
                memcpy(t->dns, m->dns, (size_t)t->ndns * 16);
            }
        }
    }
    if (m->type == PA_DHCPV6_ADVERTISE || m->type == PA_DHCPV6_REPLY) note_server(st, t, p, m);
}

void pa_dhcpv6_stats_free(pa_dhcpv6_stats *st) {
    free(st->tx);
    free(st->index);
    st->tx = NULL;
    st->index = NULL;
    st->ntx = st->tx_cap = 0;
}
