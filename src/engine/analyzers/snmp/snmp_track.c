#include "snmp_track.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pa_snmp_stats_init(pa_snmp_stats *st) {
    memset(st, 0, sizeof *st);
    if (pa_htab_init(&st->pending, sizeof(pa_snmp_pending), offsetof(pa_snmp_pending, id) + sizeof(int32_t),
                     PA_SNMP_MAX_PENDING))
        return -1;
    if (pa_htab_init(&st->communities, sizeof(pa_snmp_community), offsetof(pa_snmp_community, pad),
                     PA_SNMP_MAX_COMMUNITIES) ||
        pa_htab_init(&st->users, sizeof(pa_snmp_user), PA_SNMP_TEXT_MAX, PA_SNMP_MAX_USERS)) {
        pa_snmp_stats_free(st);
        return -1;
    }
    return 0;
}

void pa_snmp_stats_free(pa_snmp_stats *st) {
    free(st->tx);
    st->tx = NULL;
    st->ntx = st->cap = 0;
    pa_htab_free(&st->pending);
    pa_htab_free(&st->communities);
    pa_htab_free(&st->users);
}

static bool is_request(uint8_t pdu) {
    return pdu == PA_SNMP_GET || pdu == PA_SNMP_GETNEXT || pdu == PA_SNMP_SET || pdu == PA_SNMP_GETBULK ||
           pdu == PA_SNMP_INFORM;
}

static void add_tx(pa_snmp_stats *st, const pa_snmp_tx *t) {
    if (st->ntx >= PA_SNMP_MAX_TX) {
        st->tx_dropped++;
        return;
    }
    if (st->ntx == st->cap) {
        size_t ncap = st->cap ? st->cap * 2 : 64;
        pa_snmp_tx *n = realloc(st->tx, ncap * sizeof *n);
        if (!n) {
            st->tx_dropped++;
            return;
        }
        st->tx = n;
        st->cap = ncap;
    }
    st->tx[st->ntx++] = *t;
}

/* A community seen in clear: counted per community and agent; its first
 * sighting is a cleartext credential for the security findings. */
static void community(pa_snmp_stats *st, const pa_packet *p, const pa_snmp_msg *m, bool to_agent) {
    pa_snmp_community key;
    memset(&key, 0, sizeof key);
    memcpy(key.name, m->community, sizeof key.name);
    key.agent = to_agent ? p->dst : p->src;
    bool created;
    pa_snmp_community *c = pa_htab_upsert(&st->communities, &key, &created);
    if (!c) {
        st->communities_dropped++;
        return;
    }
    c->messages++;
    c->versions |= (uint8_t)(m->version == 0 ? 1 : 2);
    if (!created) return;
    c->first_frame = p->frame_no;
    c->client = to_agent ? p->src : p->dst;
    c->is_default = !strcmp(m->community, "public") || !strcmp(m->community, "private");
    if (!st->sec) return;
    pa_sec_cred *cr = pa_sec_credential(st->sec, "SNMP", c->is_default ? "default community" : "community", &c->client,
                                        &c->agent, to_agent ? p->dport : p->sport, p->frame_no);
    if (!cr) return;
    /* the defaults are no secret: named, so the finding says which */
    const char *v = m->version == 0 ? "v1" : "v2c";
    if (c->is_default)
        snprintf(cr->user, sizeof cr->user, "%s default '%.8s'", v, m->community);
    else
        snprintf(cr->user, sizeof cr->user, "%s", v);
    snprintf(cr->secret, sizeof cr->secret, "%s", m->community);
}

static void user(pa_snmp_stats *st, const pa_packet *p, const pa_snmp_msg *m) {
    pa_snmp_user key;
    memset(&key, 0, sizeof key);
    memcpy(key.name, m->user, sizeof key.name);
    bool created;
    pa_snmp_user *u = pa_htab_upsert(&st->users, &key, &created);
    if (!u) {
        st->users_dropped++;
        return;
    }
    if (created) u->first_frame = p->frame_no;
    u->messages++;
    u->levels[m->msg_flags & 3]++;
    if (!u->engine_id_len && m->engine_id_len) {
        u->engine_id_len = m->engine_id_len;
        memcpy(u->engine_id, m->engine_id, m->engine_id_len);
    }
}

/* The key of a request from client to server (the packet's ends as given). */
static void key_of(pa_snmp_pending *k, const pa_addr *client, uint16_t cport, const pa_addr *server, uint16_t sport,
                   const pa_snmp_msg *m) {
    memset(k, 0, sizeof *k);
    k->client = *client;
    k->server = *server;
    k->cport = cport;
    k->sport = sport;
    k->by_msgid = m->version == 3;
    k->id = m->version == 3 ? m->msg_id : m->request_id;
}

static void request(pa_snmp_stats *st, const pa_packet *p, int64_t stream, const pa_snmp_msg *m, bool tcp) {
    st->requests++;
    pa_snmp_pending key;
    key_of(&key, &p->src, p->sport, &p->dst, p->dport, m);
    bool created;
    pa_snmp_pending *q = pa_htab_upsert(&st->pending, &key, &created);
    if (!q) {
        st->pending_dropped++;
        return;
    }
    if (!created && !q->answered) st->retransmissions++; /* the same id again: timed from the latest */
    q->frame = p->frame_no;
    q->ts = p->ts_ns;
    q->stream = stream;
    q->tcp = tcp;
    q->pdu = m->encrypted ? 0xff : m->pdu;
    q->version = (uint8_t)m->version;
    q->answered = false;
    q->sends++;
    memcpy(q->oid, m->noids ? m->oids[0] : "", m->noids ? sizeof q->oid : 1);
}

static void response(pa_snmp_stats *st, const pa_packet *p, const pa_snmp_msg *m) {
    st->responses++;
    if (!m->encrypted && m->has_rid) {
        int32_t e = m->error_status;
        st->errors[e >= 0 && e < PA_SNMP_ERRORS ? e : PA_SNMP_ERRORS]++;
    }
    pa_snmp_pending key;
    key_of(&key, &p->dst, p->dport, &p->src, p->sport, m);
    pa_snmp_pending *q = pa_htab_find(&st->pending, &key);
    if (!q || q->answered) {
        st->orphan_responses++;
        return;
    }
    q->answered = true;
    pa_snmp_tx t = {.client = q->client,
                    .server = q->server,
                    .cport = q->cport,
                    .sport = q->sport,
                    .req_frame = q->frame,
                    .resp_frame = p->frame_no,
                    .rt_ns = p->ts_ns - q->ts,
                    .stream = q->stream,
                    .tcp = q->tcp,
                    .pdu = q->pdu,
                    .version = q->version,
                    .resp_pdu = m->encrypted ? 0xff : m->pdu,
                    .error_status = m->encrypted || !m->has_rid || m->pdu == PA_SNMP_REPORT ? -1 : m->error_status};
    memcpy(t.oid, q->oid, sizeof t.oid);
    add_tx(st, &t);
}

void pa_snmp_message(pa_snmp_stats *st, const pa_packet *p, int64_t stream, const pa_snmp_msg *m, bool tcp) {
    st->messages++;
    if (tcp) st->tcp_messages++;
    st->versions[m->version == 3 ? 2 : m->version]++;
    if (m->encrypted)
        st->encrypted++;
    else if (m->has_pdu)
        st->pdus[m->pdu]++;
    /* which way: a request or trap goes to the agent or manager; a response
     * or report comes back. An encrypted v3 PDU says it by its flags: a
     * reportable message is a request. */
    bool resp =
        m->encrypted ? !(m->msg_flags & 4) : m->has_pdu && (m->pdu == PA_SNMP_RESPONSE || m->pdu == PA_SNMP_REPORT);
    bool req = m->encrypted ? (m->msg_flags & 4) != 0 : m->has_pdu && is_request(m->pdu);
    if (m->has_community) community(st, p, m, !resp);
    if (m->has_user && m->user[0]) user(st, p, m);
    if (req && (m->version == 3 || m->has_rid)) request(st, p, stream, m, tcp);
    if (resp && (m->version == 3 || m->has_rid)) response(st, p, m);
}

static int by_req_frame(const void *x, const void *y) {
    const pa_snmp_tx *a = x, *b = y;
    return a->req_frame < b->req_frame ? -1 : a->req_frame > b->req_frame;
}

void pa_snmp_finish(pa_snmp_stats *st) {
    for (size_t r = 0; r < st->pending.count; r++) {
        const pa_snmp_pending *q = pa_htab_rec(&st->pending, r);
        if (q->answered) continue;
        st->unanswered++;
        pa_snmp_tx t = {.client = q->client,
                        .server = q->server,
                        .cport = q->cport,
                        .sport = q->sport,
                        .req_frame = q->frame,
                        .rt_ns = -1,
                        .stream = q->stream,
                        .tcp = q->tcp,
                        .pdu = q->pdu,
                        .version = q->version,
                        .error_status = -1};
        memcpy(t.oid, q->oid, sizeof t.oid);
        add_tx(st, &t);
    }
    if (st->ntx > 1) qsort(st->tx, st->ntx, sizeof *st->tx, by_req_frame);
}
