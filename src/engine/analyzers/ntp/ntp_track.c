/* NTP exchanges, servers and Wireshark's request links (ntp_track.h). */
#include "ntp_track.h"

#include <string.h>

#define KIND_CLIENT 0xffffffffu  /* Wireshark's key for client requests */
#define KIND_PRIVATE 0xff000000u /* | implementation */

int pa_ntp_stats_init(pa_ntp_stats *st) {
    if (pa_htab_init(&st->exchanges, sizeof(pa_ntp_exchange), sizeof(((pa_ntp_exchange *)0)->key),
                     PA_NTP_MAX_EXCHANGES) ||
        pa_htab_init(&st->servers, sizeof(pa_ntp_server), sizeof(((pa_ntp_server *)0)->key), PA_NTP_MAX_SERVERS) ||
        pa_htab_init(&st->links, sizeof(pa_ntp_link), sizeof(((pa_ntp_link *)0)->key), PA_NTP_MAX_LINKS)) {
        pa_ntp_stats_free(st);
        return -1;
    }
    st->ready = true;
    return 0;
}

void pa_ntp_stats_free(pa_ntp_stats *st) {
    pa_htab_free(&st->exchanges);
    pa_htab_free(&st->servers);
    pa_htab_free(&st->links);
    st->ready = false;
}

/* code counted in a table of n codes (at most cap); false when full */
static bool count_kiss(pa_ntp_kiss *t, uint8_t *n, unsigned cap, const uint8_t code[4]) {
    for (uint8_t i = 0; i < *n; i++)
        if (!memcmp(t[i].code, code, 4)) {
            t[i].count++;
            return true;
        }
    if (*n >= cap) return false;
    memcpy(t[*n].code, code, 4);
    t[(*n)++].count = 1;
    return true;
}

static pa_ntp_server *server_of(pa_ntp_stats *st, const pa_addr *a, uint16_t port, uint64_t frame) {
    pa_ntp_server k;
    memset(&k.key, 0, sizeof k.key);
    k.key.addr = *a;
    k.key.port = port;
    bool created;
    pa_ntp_server *s = pa_htab_upsert(&st->servers, &k.key, &created);
    if (!s) {
        st->servers_dropped++;
        return NULL;
    }
    if (created) s->first_frame = frame;
    return s;
}

/* ---- Wireshark's links (ntp.request_in) ---- */

static uint32_t link_kind(const pa_ntp_msg *m) {
    if (m->mode == PA_NTP_CONTROL) return m->sequence;
    if (m->mode == PA_NTP_PRIVATE) return KIND_PRIVATE | m->impl;
    return KIND_CLIENT;
}

static void link_message(pa_ntp_stats *st, const pa_packet *p, int64_t stream, const pa_ntp_msg *m,
                         pa_ntp_resp_link *out) {
    bool client = m->mode == PA_NTP_CLIENT || m->mode == PA_NTP_SERVER;
    if (!client && m->mode != PA_NTP_CONTROL && m->mode != PA_NTP_PRIVATE) return;
    pa_ntp_link k;
    memset(&k.key, 0, sizeof k.key);
    k.key.stream = stream;
    k.key.kind = link_kind(m);
    if (pa_ntp_is_request(m)) {
        bool created;
        pa_ntp_link *l = pa_htab_upsert(&st->links, &k.key, &created);
        if (!l) {
            st->links_dropped++;
            return;
        }
        l->req_frame = p->frame_no;
        l->req_ts = p->ts_ns;
        l->resp_frame = 0;
        return;
    }
    pa_ntp_link *l = pa_htab_find(&st->links, &k.key);
    if (!l) return;
    if (!l->resp_frame)
        l->resp_frame = p->frame_no;
    else if (client)
        return; /* a client request links its first reply only */
    out->request_frame = l->req_frame;
    out->delta_ns = p->ts_ns - l->req_ts;
}

/* ---- exchanges ---- */

static bool same_addr(const pa_addr *a, const pa_addr *b) {
    return a->family == b->family && !memcmp(a->b, b->b, a->family == 4 ? 4 : 16);
}

static void request(pa_ntp_stats *st, const pa_packet *p, int64_t stream, const pa_ntp_msg *m) {
    pa_ntp_server *s = server_of(st, &p->dst, p->dport, p->frame_no);
    if (s) s->requests++;
    pa_ntp_exchange k;
    memset(&k.key, 0, sizeof k.key);
    k.key.stream = stream;
    k.key.xmt = m->xmt;
    bool created;
    pa_ntp_exchange *x = pa_htab_upsert(&st->exchanges, &k.key, &created);
    if (!x) {
        st->exchanges_dropped++;
        return;
    }
    x->requests++;
    if (!created) {
        st->duplicate_requests++;
        return;
    }
    x->client = p->src;
    x->server = p->dst;
    x->cport = p->sport;
    x->sport = p->dport;
    x->version = m->vn;
    x->req_frame = p->frame_no;
    x->req_ts = p->ts_ns;
    x->rt_ns = -1;
    x->t1_ns = pa_ntp_unix_ns(m->xmt);
    x->client_clock_ns = x->t1_ns - p->ts_ns;
}

/* The clock offset and round-trip delay of RFC 5905 8, T4 being the
 * reply's capture time. */
static void clock_figures(pa_ntp_stats *st, pa_ntp_server *s, pa_ntp_exchange *x, const pa_ntp_msg *m, int64_t t4) {
    if (!x->key.xmt || !m->rec || !m->xmt || !m->stratum) return;
    int64_t t1 = x->t1_ns, t2 = pa_ntp_unix_ns(m->rec), t3 = pa_ntp_unix_ns(m->xmt);
    x->offset_ns = ((t2 - t1) + (t3 - t4)) / 2;
    x->delay_ns = (t4 - t1) - (t3 - t2);
    x->clock = true;
    st->clock_samples++;
    if (!s) return;
    if (!s->clock_samples++) {
        s->offset_min = s->offset_max = x->offset_ns;
        s->delay_min = s->delay_max = x->delay_ns;
        return;
    }
    if (x->offset_ns < s->offset_min) s->offset_min = x->offset_ns;
    if (x->offset_ns > s->offset_max) s->offset_max = x->offset_ns;
    if (x->delay_ns < s->delay_min) s->delay_min = x->delay_ns;
    if (x->delay_ns > s->delay_max) s->delay_max = x->delay_ns;
}

static pa_ntp_exchange *reply(pa_ntp_stats *st, const pa_packet *p, int64_t stream, const pa_ntp_msg *m) {
    pa_ntp_server *s = server_of(st, &p->src, p->sport, p->frame_no);
    if (s) {
        s->replies++;
        s->answered = true;
    }
    if (s && (m->stratum || !s->synced)) {
        s->synced |= m->stratum != 0;
        s->stratum = m->stratum;
        s->version = m->vn;
        s->li = m->li;
        memcpy(s->refid, m->refid, 4);
    }
    if (m->li == 3) st->unsynchronized++;
    if (!m->stratum) {
        st->kiss_of_death++;
        if (!count_kiss(st->kiss, &st->nkiss, PA_NTP_MAX_KISS, m->refid)) st->kiss_dropped++;
        if (s) {
            s->kiss_of_death++;
            (void)count_kiss(s->kiss, &s->nkiss, PA_NTP_SERVER_KISS, m->refid);
        }
    }
    pa_ntp_exchange k;
    memset(&k.key, 0, sizeof k.key);
    k.key.stream = stream;
    k.key.xmt = m->org;
    pa_ntp_exchange *x = pa_htab_find(&st->exchanges, &k.key);
    /* the same flow the other way */
    if (!x || !same_addr(&x->client, &p->dst) || x->cport != p->dport || !same_addr(&x->server, &p->src) ||
        x->sport != p->sport) {
        st->orphan_replies++;
        return NULL;
    }
    if (x->replies++) {
        st->duplicate_replies++;
        return x;
    }
    x->resp_frame = p->frame_no;
    x->resp_ts = p->ts_ns;
    x->rt_ns = p->ts_ns - x->req_ts;
    x->stratum = m->stratum;
    memcpy(x->refid, m->refid, 4);
    clock_figures(st, s, x, m, p->ts_ns);
    return x;
}

const pa_ntp_exchange *pa_ntp_message(pa_ntp_stats *st, const pa_packet *p, int64_t stream, const pa_ntp_msg *m,
                                      pa_ntp_resp_link *link) {
    link->request_frame = 0;
    link->delta_ns = 0;
    st->messages++;
    st->by_mode[m->mode & 7]++;
    st->by_version[m->vn & 7]++;
    if (!st->ready) return NULL;
    link_message(st, p, stream, m, link);
    switch (m->mode) {
    case PA_NTP_CLIENT: request(st, p, stream, m); return NULL;
    case PA_NTP_SERVER: return reply(st, p, stream, m);
    case PA_NTP_CONTROL:
        if (!(m->flags2 & 0x80)) {
            st->control_requests++;
            return NULL;
        }
        st->control_responses++;
        if (m->flags2 & 0x40) st->control_errors++;
        return NULL;
    case PA_NTP_PRIVATE:
        if (!(m->flags & 0x80)) {
            st->private_requests++;
            return NULL;
        }
        st->private_responses++;
        /* MON_GETLIST(_1): the answer NTP amplification attacks ask for */
        if (m->impl == PA_NTP_XNTPD && (m->reqcode == 20 || m->reqcode == 42)) st->monlist_responses++;
        return NULL;
    default: return NULL;
    }
}

void pa_ntp_finish(pa_ntp_stats *st) {
    if (!st->ready) return;
    st->unanswered = 0;
    for (size_t r = 0; r < st->servers.count; r++) ((pa_ntp_server *)pa_htab_rec(&st->servers, r))->unanswered = 0;
    for (size_t r = 0; r < st->exchanges.count; r++) {
        const pa_ntp_exchange *x = pa_htab_rec(&st->exchanges, r);
        if (x->replies) continue;
        st->unanswered++;
        pa_ntp_server k;
        memset(&k.key, 0, sizeof k.key);
        k.key.addr = x->server;
        k.key.port = x->sport;
        pa_ntp_server *s = pa_htab_find(&st->servers, &k.key);
        if (s) s->unanswered++;
    }
}
