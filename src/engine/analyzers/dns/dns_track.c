#include "dns_track.h"

#include <stdlib.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct pending {
    /* key: the conversation (client, server, ports) and the transaction id */
    uint8_t ver;
    uint8_t pad;
    uint16_t id;
    uint16_t cport, sport;
    uint8_t client[16], server[16];
    /* value */
    uint64_t frame;
    int64_t ts;
    int64_t stream;
    uint16_t qtype;
    uint16_t sends;
    bool tcp;
    uint64_t resp_frame; /* the first response; 0 while unanswered */
    pa_txmark mark;      /* the frames of its transaction (display filters) */
    char qname[PA_DNS_SHOWN_NAME];
} pending;

#define PENDING_KEY_SIZE offsetof(pending, frame)

/* Names are cut to the field's size on purpose (reports show a prefix). */
static void copy_name(char *dst, size_t size, const char *src) {
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int pa_dns_init(pa_dns_stats *d) {
    memset(d, 0, sizeof *d);
    d->answers_budget.limit = PA_DNS_DISTINCT_BUDGET;
    return pa_htab_init(&d->pending, sizeof(pending), PENDING_KEY_SIZE, PA_DNS_MAX_PENDING) ||
           pa_htab_init(&d->names, sizeof(pa_dns_name), 128, PA_DNS_MAX_NAMES) ||
           pa_htab_init(&d->domains, sizeof(pa_dns_domain), 128, PA_DNS_MAX_DOMAINS) ||
           pa_htab_init(&d->servers, sizeof(pa_dns_server), sizeof(pa_addr), PA_DNS_MAX_SERVERS);
}

void pa_dns_free(pa_dns_stats *d) {
    for (size_t r = 0; r < d->servers.count; r++)
        pa_samples_free(&((pa_dns_server *)pa_htab_rec(&d->servers, r))->rt_kept);
    pa_samples_free(&d->rt_kept);
    for (size_t r = 0; r < d->domains.count; r++)
        pa_distinct_free(&((pa_dns_domain *)pa_htab_rec(&d->domains, r))->answers, &d->answers_budget);
    pa_htab_free(&d->pending);
    pa_htab_free(&d->names);
    pa_htab_free(&d->domains);
    pa_htab_free(&d->servers);
}

/* Keeps an event in a bounded list; when full, `worse` decides whether it
 * replaces the least bad one kept. */
static void keep_event(pa_dns_event *list, size_t *n, const pa_dns_event *e, bool by_time) {
    if (*n < PA_DNS_LIST) {
        list[(*n)++] = *e;
        return;
    }
    if (!by_time) return; /* first ones kept */
    size_t min = 0;
    for (size_t i = 1; i < *n; i++)
        if (list[i].rt_ns < list[min].rt_ns) min = i;
    if (e->rt_ns > list[min].rt_ns) list[min] = *e;
}

/* Shannon entropy of a label in bits per character: random-looking
 * subdomains (encoded data) score high. */
static double entropy(const char *s, size_t n) {
    if (!n) return 0;
    unsigned cnt[256] = {0};
    for (size_t i = 0; i < n; i++) cnt[(unsigned char)s[i]]++;
    double h = 0;
    for (int i = 0; i < 256; i++)
        if (cnt[i]) {
            double q = (double)cnt[i] / (double)n;
            h -= q * log2(q);
        }
    return h;
}

/* The domain of a name, as the tunnelling signs group it: its last two labels. */
static const char *domain_of(const char *q) {
    int dots = 0;
    for (size_t i = strlen(q); i > 0; i--)
        if (q[i - 1] == '.' && ++dots == 2) return q + i;
    return q;
}

static void note_name(pa_dns_stats *d, const pa_dns_msg *m) {
    pa_dns_name key;
    memset(&key, 0, sizeof key);
    copy_name(key.name, sizeof key.name, m->qname);
    bool created;
    pa_dns_name *nm = pa_htab_upsert(&d->names, &key, &created);
    if (!nm) {
        d->names_overflow++;
    } else {
        nm->count++;
        nm->qtype = m->qtype;
    }
    const char *q = m->qname, *dom = domain_of(q);
    pa_dns_domain dk;
    memset(&dk, 0, sizeof dk);
    copy_name(dk.domain, sizeof dk.domain, dom);
    bool dcreated;
    pa_dns_domain *dd = pa_htab_upsert(&d->domains, &dk, &dcreated);
    if (!dd) return;
    dd->queries++;
    if (m->qtype == 16) dd->txt_queries++;
    if (m->qtype == 10) dd->null_queries++;
    if (nm && created) {
        dd->unique_names++;
        size_t sub = (size_t)(dom - q);
        size_t longest = 0, cur = 0;
        for (size_t i = 0; i < sub; i++) {
            if (q[i] == '.') {
                if (cur > longest) longest = cur;
                cur = 0;
            } else
                cur++;
        }
        if (cur > longest) longest = cur;
        if (longest > dd->max_label) dd->max_label = (uint32_t)longest;
        if (longest >= 40) dd->long_label_names++;
        const char *first_dot = memchr(q, '.', sub);
        dd->entropy_sum += entropy(q, first_dot ? (size_t)(first_dot - q) : sub);
    }
}

static pa_dns_server *server_rec(pa_dns_stats *d, const pa_addr *a) {
    pa_dns_server k;
    memset(&k, 0, sizeof k);
    k.addr = *a;
    bool created;
    return pa_htab_upsert(&d->servers, &k, &created);
}

/* A query that got no answer: counted, and listed among the first ones. */
static void note_unanswered(pa_dns_stats *d, const pending *q) {
    d->unanswered++;
    pa_dns_event e;
    memset(&e, 0, sizeof e);
    e.frame = e.query_frame = q->frame;
    e.ts = q->ts;
    e.rt_ns = -1;
    e.stream = q->stream;
    e.qtype = q->qtype;
    e.id = q->id;
    e.cport = q->cport;
    e.sport = q->sport;
    e.tcp = q->tcp;
    e.client.family = e.server.family = q->ver;
    memcpy(e.client.b, q->client, 16);
    memcpy(e.server.b, q->server, 16);
    copy_name(e.qname, sizeof e.qname, q->qname);
    keep_event(d->unanswered_list, &d->nunanswered_list, &e, false);
}

/* A transaction leaves the table (its id used again, room made, or the
 * capture ended): decided, and listed when it got no answer. */
static void tx_gone(pa_dns_stats *d, const pending *q) {
    pa_tx_end(d->keep, q->frame, &q->mark);
    if (!q->resp_frame && pa_tx_kept(d->keep, q->frame)) note_unanswered(d, q);
}

static bool keep_unanswered(void *rec, void *ud) {
    const pending *q = rec;
    if (q->resp_frame == 0) return true;
    tx_gone(ud, q);
    return false;
}

/* A response of a transaction that counts: whether it answered a query (in
 * e->rt_ns after it), its lists, and what it says of its domain. */
static void count_response(pa_dns_stats *d, const pa_dns_msg *m, pa_dns_server *sv, const pa_dns_event *e,
                           bool answered) {
    int64_t rt = e->rt_ns;
    if (answered) {
        d->answered++;
        d->rt_n++;
        d->rt_sum += (double)rt;
        if (d->rt_n == 1 || rt < d->rt_min) d->rt_min = rt;
        if (rt > d->rt_max) d->rt_max = rt;
        d->rt_hist[pa_rtt_bucket(rt)]++;
        pa_samples_add(&d->rt_kept, rt, PA_PCTL_KEEP_CAPTURE);
        if (sv) {
            sv->rt_sum += (double)rt;
            if (!sv->rt_n || rt < sv->rt_min) sv->rt_min = rt;
            if (!sv->rt_n || rt > sv->rt_max) sv->rt_max = rt;
            sv->rt_n++;
            sv->rt_hist[pa_rtt_bucket(rt)]++;
            pa_samples_add(&sv->rt_kept, rt, PA_PCTL_KEEP_SMALL);
        }
    } else {
        d->unmatched_responses++;
    }
    if (rt >= 0) keep_event(d->slowest, &d->nslowest, e, true);
    if (m->rcode != 0) keep_event(d->errors, &d->nerrors, e, false);
    if (m->answers && (m->qtype == 1 || m->qtype == 28)) { /* address answers only (fast flux) */
        pa_dns_domain dk;
        memset(&dk, 0, sizeof dk);
        copy_name(dk.domain, sizeof dk.domain, domain_of(m->qname));
        pa_dns_domain *dd = pa_htab_find(&d->domains, &dk);
        if (dd) {
            static const uint32_t lim[4] = {5, 10, 30, 60};
            dd->answered++;
            for (int i = 0; i < 4; i++)
                if (m->min_ttl <= lim[i]) dd->ttl_le[i]++;
            uint64_t h = 1469598103934665603ull;
            for (const char *c = m->first_answer; *c; c++) h = (h ^ (uint8_t)*c) * 1099511628211ull;
            pa_distinct_add(&dd->answers, &d->answers_budget, h);
        }
    }
    if (m->rcode == 3) {
        pa_dns_domain dk;
        memset(&dk, 0, sizeof dk);
        copy_name(dk.domain, sizeof dk.domain, domain_of(m->qname));
        pa_dns_domain *dd = pa_htab_find(&d->domains, &dk);
        if (dd) dd->nxdomain++;
    }
}

/* One DNS message of p's conversation (p gives addresses, ports, frame and
 * time; msg the frames that carried it). */
static void track_msg(pa_dns_stats *d, const pa_packet *p, int64_t stream, const uint8_t *data, size_t n,
                      const pa_txmark *msg, void (*cb)(void *ud, uint64_t frame, const pa_dns_msg *m, int64_t rt_ns),
                      void *ud) {
    pa_dns_msg m;
    bool at_match = pa_tx_counts(d->keep, p->frame_no); /* for what belongs to this frame alone */
    if (pa_dns_parse(data, n, &m) != PA_DNS_OK || !m.has_question) {
        if (!at_match) return;
        d->malformed++;
        if (d->ex) pa_expert_add(d->ex, PA_EX_DNS_MALFORMED, p->frame_no);
        return;
    }
    bool from_server = m.qr;
    pending key;
    memset(&key, 0, sizeof key);
    key.ver = p->ip_ver;
    key.id = m.id;
    memcpy(key.client, from_server ? p->dst.b : p->src.b, 16);
    memcpy(key.server, from_server ? p->src.b : p->dst.b, 16);
    key.cport = from_server ? p->dport : p->sport;
    key.sport = from_server ? p->sport : p->dport;
    pa_addr server = from_server ? p->src : p->dst, client = from_server ? p->dst : p->src;
    pa_dns_server *sv = NULL;
    if (!m.qr) {
        bool created;
        pending *q = pa_htab_upsert(&d->pending, &key, &created);
        if (!q && d->pending_answered) {
            /* full: answered transactions are kept only to recognise
             * retransmitted responses, so they make room first */
            pa_htab_filter(&d->pending, keep_unanswered, d);
            d->pending_answered = 0;
            q = pa_htab_upsert(&d->pending, &key, &created);
        }
        /* as Wireshark: a repeat within 5 s of an unanswered query is a
         * retransmission; later, a new transaction */
        bool again = q && !created && q->resp_frame == 0 && p->ts_ns - q->ts < 5000000000ll;
        bool keep = pa_tx_kept(d->keep, again ? q->frame : p->frame_no);
        if (keep) {
            d->queries++;
            if (m.qtype == 1)
                d->qtype_a++;
            else if (m.qtype == 28)
                d->qtype_aaaa++;
            else
                d->qtype_other++;
            if ((sv = server_rec(d, &server))) sv->queries++;
            note_name(d, &m);
        }
        if (!q) { /* table full: this query goes unmatched */
            pa_tx_end(d->keep, p->frame_no, msg);
            return;
        }
        if (again) {
            pa_tx_merge(d->keep, &q->mark, msg);
            q->sends++;
            if (keep) d->retransmitted++;
            if (d->ex && at_match) pa_expert_add(d->ex, PA_EX_DNS_QUERY_RETRANS, p->frame_no, (unsigned)q->frame);
            return; /* the first query is the one a response is timed from */
        }
        /* a new transaction (or the same id reused after its answer) */
        if (!created) tx_gone(d, q);
        if (!created && q->resp_frame) d->pending_answered--;
        q->resp_frame = 0;
        q->frame = p->frame_no;
        q->stream = stream;
        q->tcp = p->l4 == PA_P_TCP;
        q->ts = p->ts_ns;
        q->qtype = m.qtype;
        q->sends = 1;
        q->mark = *msg;
        copy_name(q->qname, sizeof q->qname, m.qname);
        if (cb) cb(ud, p->frame_no, &m, -1);
        return;
    }
    pending *q = pa_htab_find(&d->pending, &key);
    /* a response belongs to its query's transaction, or is one by itself */
    if (q)
        pa_tx_merge(d->keep, &q->mark, msg);
    else
        pa_tx_end(d->keep, p->frame_no, msg);
    bool keep = pa_tx_kept(d->keep, q ? q->frame : p->frame_no);
    if (keep) {
        d->responses++;
        if (m.rcode < 24) d->rcode[m.rcode]++;
        if (m.tc) d->truncated++;
        if ((sv = server_rec(d, &server))) {
            sv->responses++;
            if (m.rcode != 0) sv->errors++;
        }
    }
    int64_t rt = -1;
    uint64_t qframe = 0;
    if (q && q->resp_frame) { /* a retransmitted response: not timed again */
        if (d->ex && at_match) pa_expert_add(d->ex, PA_EX_DNS_RESP_RETRANS, p->frame_no, (unsigned)q->resp_frame);
        q = NULL;
    }
    if (m.rcode != 0 && d->ex && at_match) {
        /* Wireshark's words for the codes, then the mnemonic */
        static const char *const ws[] = {
            "No error",    "Format error", "Server failure",       "No such name",      "Not implemented", "Refused",
            "Name exists", "RRset exists", "RRset does not exist", "Not authoritative", "Name out of zone"};
        pa_expert_add(d->ex, PA_EX_DNS_ERROR, p->frame_no, m.rcode < sizeof ws / sizeof ws[0] ? ws[m.rcode] : "Error",
                      pa_dns_rcode_name(m.rcode));
    }
    if (q) {
        rt = p->ts_ns - q->ts;
        qframe = q->frame;
        /* answered: kept to recognise retransmitted responses (they count as unmatched) */
        q->resp_frame = p->frame_no;
        d->pending_answered++;
    }
    if (keep) {
        pa_dns_event e = {.frame = p->frame_no,
                          .query_frame = qframe,
                          .ts = p->ts_ns,
                          .rt_ns = rt,
                          .stream = stream,
                          .qtype = m.qtype,
                          .rcode = m.rcode,
                          .id = m.id,
                          .cport = key.cport,
                          .sport = key.sport,
                          .tcp = p->l4 == PA_P_TCP,
                          .client = client,
                          .server = server};
        copy_name(e.qname, sizeof e.qname, m.qname);
        count_response(d, &m, sv, &e, q != NULL);
    }
    if (cb) cb(ud, p->frame_no, &m, rt);
}

void pa_dns_track(pa_dns_stats *d, const pa_packet *p, int64_t stream,
                  void (*cb)(void *ud, uint64_t frame, const pa_dns_msg *m, int64_t rt_ns), void *ud) {
    if (p->app != PA_P_DNS && p->app != PA_P_MDNS && p->app != PA_P_LLMNR) return;
    if (p->app == PA_P_MDNS || p->app == PA_P_LLMNR) {
        if (!pa_tx_counts(d->keep, p->frame_no)) return;
        *(p->app == PA_P_MDNS ? &d->mdns : &d->llmnr) += 1;
        pa_dns_local(d->local, p);
        return;
    }
    if (p->l4 == PA_P_TCP) return; /* through the connection's byte stream: pa_dns_tcp_segment */
    pa_txmark msg = {0};
    pa_tx_touch(d->keep, &msg, p->frame_no);
    track_msg(d, p, stream, p->payload, p->payload_len, &msg, cb, ud);
}

/* ---- DNS over TCP: 2-byte length prefixes over the byte stream -------------- */

typedef struct dns_dir {
    pa_stream_dir stream;
    uint8_t lenb[2], lenn; /* the length prefix so far */
    uint16_t want;         /* the message's length, once the prefix is complete */
    uint32_t have;
    uint8_t *buf;        /* a message across segments (its length), freed once parsed */
    bool resync;         /* after a hole: a prefix is only trusted at the start of new bytes */
    pa_stream_mark mark; /* where the message in progress will be placed */
    pa_txmark msg;       /* the frames of the message in progress (display filters) */
} dns_dir;

struct pa_dns_tcp {
    dns_dir dir[2];
};

typedef struct dns_ctx {
    pa_dns_stats *d;
    const pa_packet *p;
    dns_dir *dir;
    int64_t stream;
    void (*cb)(void *ud, uint64_t frame, const pa_dns_msg *m, int64_t rt_ns);
    void *ud;
} dns_ctx;

static void dns_sink(void *ud, const uint8_t *data, size_t len, uint64_t frame, int64_t ts, bool gap) {
    dns_ctx *c = ud;
    dns_dir *s = c->dir;
    if (gap) {
        s->resync = true;
        s->lenn = 0;
        s->want = 0;
        s->have = 0;
        free(s->buf);
        s->buf = NULL;
        s->msg = (pa_txmark){0};
    }
    pa_mark_note(&s->mark, frame, ts, gap);
    size_t i = 0;
    if (s->resync) {
        /* a plausible prefix: a length that can hold a header, and one question */
        if (len < 2 + 12 || (data[0] << 8 | data[1]) < 12 || data[6] != 0 || data[7] != 1) return;
        s->resync = false;
    }
    pa_dns_stats *d = c->d;
    if (s->lenn) pa_tx_touch(d->keep, &s->msg, frame); /* more of the message in progress */
    while (i < len) {
        if (s->lenn < 2) {
            if (!s->lenn) pa_tx_touch(d->keep, &s->msg, frame); /* a message starts in these bytes */
            s->lenb[s->lenn++] = data[i++];
            if (s->lenn == 2) {
                s->want = (uint16_t)(s->lenb[0] << 8 | s->lenb[1]);
                s->have = 0;
                if (!s->want) {
                    s->lenn = 0;
                    s->msg = (pa_txmark){0};
                }
            }
            continue;
        }
        const uint8_t *msg;
        if (!s->have && len - i >= s->want) { /* whole in these bytes: parsed in place */
            msg = data + i;
            i += s->want;
        } else { /* across segments: a copy the size of this message only */
            if (!s->buf && !(s->buf = malloc(s->want))) return;
            size_t take = len - i < (size_t)(s->want - s->have) ? len - i : (size_t)(s->want - s->have);
            memcpy(s->buf + s->have, data + i, take);
            s->have += (uint32_t)take;
            i += take;
            if (s->have < s->want) continue;
            msg = s->buf;
        }
        /* one message, placed on the latest frame that gave it bytes (as tshark) */
        pa_packet q = *c->p;
        q.frame_no = s->mark.frame;
        q.ts_ns = s->mark.ts;
        track_msg(d, &q, c->stream, msg, s->want, &s->msg, c->cb, c->ud);
        s->msg = (pa_txmark){0};
        free(s->buf);
        s->buf = NULL;
        s->have = 0;
        s->lenn = 0;
        s->want = 0;
        pa_mark_restart(&s->mark, frame, ts);
    }
}

void pa_dns_tcp_segment(pa_dns_stats *d, pa_dns_tcp **sp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                        int64_t stream, void (*cb)(void *ud, uint64_t frame, const pa_dns_msg *m, int64_t rt_ns),
                        void *ud) {
    pa_dns_tcp *s = *sp;
    if (!s) {
        if (!(s = calloc(1, sizeof *s))) return;
        for (int i = 0; i < 2; i++) {
            pa_stream_init(&s->dir[i].stream, PA_DNS_TCP_CAP);
            if (tcp && tcp->dir[i].base_known) pa_stream_begin(&s->dir[i].stream, tcp->dir[i].base + 1);
        }
        *sp = s;
    }
    dns_ctx c = {d, p, &s->dir[from], stream, cb, ud};
    if (pa_stream_segment(&s->dir[from].stream, p->tcp.seq, p->tcp.flags & PA_TCP_SYN, p->payload, p->payload_len,
                          p->frame_no, p->ts_ns, dns_sink, &c) &&
        pa_tx_counts(d->keep, p->frame_no))
        d->tcp_streams_capped++;
}

bool pa_dns_tcp_holds_data(const pa_dns_tcp *s) { return s && (s->dir[0].stream.nheld || s->dir[1].stream.nheld); }

void pa_dns_tcp_free(pa_dns_tcp *s) {
    if (!s) return;
    for (int i = 0; i < 2; i++) {
        pa_stream_free(&s->dir[i].stream);
        free(s->dir[i].buf);
    }
    free(s);
}

void pa_dns_finish(pa_dns_stats *d) {
    for (size_t i = 0; i < d->pending.cap; i++) {
        if (!d->pending.used[i]) continue;
        tx_gone(d, pa_htab_at(&d->pending, i));
    }
}
