/* SIP calls, transactions and announced media (sip_track.h). */
#include "sip_track.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *pa_sip_state_name(pa_sip_call_state s) {
    static const char *const n[] = {"CALL SETUP", "RINGING",  "IN CALL", "CANCELLED",
                                    "COMPLETED",  "REJECTED", "UNKNOWN"};
    return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "UNKNOWN";
}

const char *pa_sip_code_name(unsigned code) {
    static const struct {
        unsigned code;
        const char *name;
    } n[] = {{400, "Bad Request"},
             {401, "Unauthorized"},
             {403, "Forbidden"},
             {404, "Not Found"},
             {405, "Method Not Allowed"},
             {406, "Not Acceptable"},
             {407, "Proxy Authentication Required"},
             {408, "Request Timeout"},
             {410, "Gone"},
             {413, "Request Entity Too Large"},
             {415, "Unsupported Media Type"},
             {420, "Bad Extension"},
             {480, "Temporarily Unavailable"},
             {481, "Call/Transaction Does Not Exist"},
             {482, "Loop Detected"},
             {483, "Too Many Hops"},
             {484, "Address Incomplete"},
             {486, "Busy Here"},
             {487, "Request Terminated"},
             {488, "Not Acceptable Here"},
             {491, "Request Pending"},
             {500, "Server Internal Error"},
             {501, "Not Implemented"},
             {502, "Bad Gateway"},
             {503, "Service Unavailable"},
             {504, "Server Time-out"},
             {600, "Busy Everywhere"},
             {603, "Decline"},
             {604, "Does Not Exist Anywhere"},
             {606, "Not Acceptable"}};
    for (size_t i = 0; i < sizeof n / sizeof n[0]; i++)
        if (n[i].code == code) return n[i].name;
    return NULL;
}

static bool addr_eq(const pa_addr *x, const pa_addr *y) {
    return x->family == y->family && memcmp(x->b, y->b, x->family == 6 ? 16 : 4) == 0;
}

static pa_sip_call *call_of(pa_sip_stats *st, const pa_sip_msg *m, bool create) {
    if (!m->call_id[0]) return NULL;
    /* newest first: a call's messages come close together */
    for (uint32_t i = st->ncalls; i-- > 0;)
        if (!strcmp(st->calls[i].call_id, m->call_id)) return &st->calls[i];
    if (!create) return NULL;
    if (st->ncalls >= PA_SIP_MAX_CALLS) {
        st->calls_dropped++;
        return NULL;
    }
    if (st->ncalls == st->calls_cap) {
        uint32_t ncap = st->calls_cap ? st->calls_cap * 2 : 16;
        pa_sip_call *n = realloc(st->calls, ncap * sizeof *n);
        if (!n) return NULL;
        st->calls = n;
        st->calls_cap = ncap;
    }
    pa_sip_call *c = &st->calls[st->ncalls++];
    memset(c, 0, sizeof *c);
    memcpy(c->call_id, m->call_id, sizeof c->call_id);
    memcpy(c->from, m->from, sizeof c->from);
    memcpy(c->to, m->to, sizeof c->to);
    c->setup_ns = -1;
    c->state = PA_SIP_UNKNOWN;
    return c;
}

static pa_sip_rt *rt_of(pa_sip_stats *st, const char *method) {
    for (uint8_t i = 0; i < st->nrt; i++)
        if (!strcmp(st->rt[i].method, method)) return &st->rt[i];
    if (st->nrt >= PA_SIP_METHODS) return NULL;
    pa_sip_rt *r = &st->rt[st->nrt++];
    memset(r, 0, sizeof *r);
    snprintf(r->method, sizeof r->method, "%s", method);
    return r;
}

static void add_media(pa_sip_stats *st, const pa_sip_media *e) {
    if (st->announce) st->announce(st->announce_ud, e);
    if (st->nmedia >= PA_SIP_MAX_MEDIA) {
        st->media_dropped++;
        return;
    }
    if (st->nmedia == st->media_cap) {
        uint32_t ncap = st->media_cap ? st->media_cap * 2 : 16;
        pa_sip_media *n = realloc(st->media, ncap * sizeof *n);
        if (!n) return;
        st->media = n;
        st->media_cap = ncap;
    }
    st->media[st->nmedia++] = *e;
}

/* The endpoints an SDP body announces: each m= line's address and port as
 * RTP (RTP/ profiles) or other (T.38 over UDPTL...), and its RTCP at port + 1
 * unless a=rtcp-mux (RTCP on the RTP port) or a=rtcp says where. */
static void sdp_media(pa_sip_stats *st, const pa_sdp *s, uint32_t call, uint64_t frame) {
    for (uint8_t i = 0; i < s->nmedia; i++) {
        const pa_sdp_media *m = &s->media[i];
        if (!m->port || !m->addr.family) continue;
        pa_sip_media e;
        memset(&e, 0, sizeof e);
        e.addr = m->addr;
        e.port = m->port;
        e.call = call;
        e.frame = frame;
        bool rtp = strncasecmp(m->proto, "RTP/", 4) == 0;
        e.kind = rtp ? 1 : 3;
        e.nmap = m->nmap;
        memcpy(e.map, m->map, sizeof e.map);
        add_media(st, &e);
        if (!rtp || m->rtcp_mux) continue;
        e.kind = 2;
        e.nmap = 0;
        e.port = m->rtcp_port ? m->rtcp_port : (uint16_t)(m->port + 1);
        if (m->rtcp_addr.family) e.addr = m->rtcp_addr;
        if (e.port) add_media(st, &e);
    }
}

static void request(pa_sip_stats *st, const pa_packet *p, const pa_sip_msg *m, pa_sip_call *c) {
    st->requests++;
    pa_sip_rt *r = rt_of(st, m->method);
    if (r) st->methods[r - st->rt]++;
    if (m->has_cseq && strcmp(m->method, "ACK") != 0) {
        pa_sip_pending *q = &st->pending[st->npending_next++ % PA_SIP_PENDING];
        memcpy(q->call_id, m->call_id, sizeof q->call_id);
        q->cseq = m->cseq;
        memcpy(q->method, m->method, sizeof q->method);
        q->ts = p->ts_ns;
        q->answered = false;
    }
    if (!c) return;
    if (!strcmp(m->method, "INVITE")) {
        if (!c->invite_frame) {
            c->invite_frame = p->frame_no;
            c->invite_ts = p->ts_ns;
            c->state = PA_SIP_CALL_SETUP;
        }
        /* first sending of each INVITE transaction, per direction */
        for (uint8_t i = 0; i < c->ninvites; i++) {
            const pa_sip_invite *v = &c->inv[i];
            if (v->cseq == m->cseq && v->sport == p->sport && v->dport == p->dport && addr_eq(&v->src, &p->src) &&
                addr_eq(&v->dst, &p->dst))
                return;
        }
        pa_sip_invite *v = &c->inv[c->ninvites < PA_SIP_INVITES ? c->ninvites++ : c->ninvites - 1];
        *v = (pa_sip_invite){m->cseq, p->src, p->dst, p->sport, p->dport, p->ts_ns, p->frame_no};
    } else if (!strcmp(m->method, "ACK")) {
        for (uint8_t i = 0; i < c->ninvites; i++) {
            const pa_sip_invite *v = &c->inv[i];
            if (v->cseq != m->cseq || v->sport != p->sport || v->dport != p->dport || !addr_eq(&v->src, &p->src) ||
                !addr_eq(&v->dst, &p->dst))
                continue;
            /* whole milliseconds, cut as Wireshark's tap does */
            double ms = (double)((p->ts_ns - v->ts) / 1000000);
            if (!st->setup_count || ms < st->setup_min_ms) st->setup_min_ms = ms;
            if (!st->setup_count || ms > st->setup_max_ms) st->setup_max_ms = ms;
            st->setup_sum_ms += ms;
            st->setup_count++;
            break;
        }
    } else if (!strcmp(m->method, "BYE")) {
        if (!c->bye_frame) c->bye_frame = p->frame_no;
        c->state = PA_SIP_COMPLETED;
    } else if (!strcmp(m->method, "CANCEL")) {
        if (!c->cancel_frame) c->cancel_frame = p->frame_no;
        if (c->state == PA_SIP_CALL_SETUP || c->state == PA_SIP_RINGING) c->state = PA_SIP_CANCELLED;
    }
}

static void response(pa_sip_stats *st, const pa_packet *p, const pa_sip_msg *m, pa_sip_call *c) {
    st->responses++;
    st->status_class[m->status / 100]++;
    bool final = m->status >= 200;
    bool found = false;
    for (uint32_t k = 0; k < PA_SIP_PENDING && m->has_cseq; k++) {
        pa_sip_pending *q = &st->pending[k];
        if (q->cseq != m->cseq || strcmp(q->method, m->cseq_method) || strcmp(q->call_id, m->call_id)) continue;
        found = true;
        if (final && !q->answered) {
            q->answered = true;
            pa_sip_rt *r = rt_of(st, q->method);
            double ms = (double)(p->ts_ns - q->ts) / 1e6;
            if (r) {
                if (!r->count || ms < r->min_ms) r->min_ms = ms;
                if (!r->count || ms > r->max_ms) r->max_ms = ms;
                r->sum_ms += ms;
                r->count++;
            }
        }
        break;
    }
    if (!found) st->orphan_responses++;
    if (!c || strcmp(m->cseq_method, "INVITE") != 0) {
        if (c && !strcmp(m->cseq_method, "BYE") && final) c->state = PA_SIP_COMPLETED;
        return;
    }
    if (!final) {
        if (!c->provisional_frame && (m->status == 180 || m->status == 183 || m->status == 100)) {
            c->provisional_frame = p->frame_no;
            c->provisional_ts = p->ts_ns;
            c->provisional_code = m->status;
        }
        if ((m->status == 180 || m->status == 183) && c->state == PA_SIP_CALL_SETUP) c->state = PA_SIP_RINGING;
        return;
    }
    if (!c->final_frame) {
        c->final_frame = p->frame_no;
        c->final_ts = p->ts_ns;
        c->final_code = m->status;
    }
    if (m->status < 300) {
        if (!c->ok_ts && c->invite_frame) {
            c->ok_ts = p->ts_ns;
            c->setup_ns = p->ts_ns - c->invite_ts;
        }
        if (c->state != PA_SIP_COMPLETED) c->state = PA_SIP_IN_CALL;
    } else if (c->state == PA_SIP_CALL_SETUP || c->state == PA_SIP_RINGING) {
        c->state = m->status == 487 && c->cancel_frame ? PA_SIP_CANCELLED : PA_SIP_REJECTED;
        if (st->ex && pa_tx_counts(st->keep, p->frame_no)) {
            const char *name = pa_sip_code_name(m->status);
            pa_expert_add(st->ex, PA_EX_SIP_CALL_FAILED, p->frame_no, (unsigned)m->status, name ? name : m->reason);
        }
    }
}

void pa_sip_message(pa_sip_stats *st, const pa_packet *p, const pa_sip_msg *m, const uint8_t *body) {
    if (!st->pending) {
        st->pending = calloc(PA_SIP_PENDING, sizeof *st->pending);
        if (!st->pending) return;
    }
    pa_sip_call *c = call_of(st, m, m->request && !strcmp(m->method, "INVITE"));
    if (!c) c = call_of(st, m, false);
    if (c) c->messages++;
    if (m->request)
        request(st, p, m, c);
    else
        response(st, p, m, c);
    if (m->body_len && strncasecmp(m->content_type, "application/sdp", 15) == 0) {
        pa_sdp s;
        if (pa_sdp_parse(body, m->body_len, &s)) {
            st->sdp_bodies++;
            sdp_media(st, &s, c ? (uint32_t)(c - st->calls) + 1 : 0, p->frame_no);
        }
    }
}

void pa_sip_stats_free(pa_sip_stats *st) {
    free(st->calls);
    free(st->media);
    free(st->pending);
    st->calls = NULL;
    st->media = NULL;
    st->pending = NULL;
    st->ncalls = st->nmedia = st->calls_cap = st->media_cap = 0;
}

void pa_sip_segment(pa_sip_stats *st, pa_sip_flow **fp, const pa_packet *p, int from,
                    void (*cb)(void *ud, const pa_sip_msg *m), void *ud) {
    if (!p->payload_len) return;
    pa_sip_flow *f = *fp;
    if (!f) {
        f = *fp = calloc(1, sizeof *f);
        if (!f) return;
    }
    int d = from ? 1 : 0;
    if (f->broken[d]) return;
    if (!f->buf[d]) {
        f->buf[d] = malloc(PA_SIP_TCP_BUF);
        if (!f->buf[d]) return;
    }
    if (p->payload_len > PA_SIP_TCP_BUF - f->len[d]) { /* a message larger than the buffer: stop reading */
        f->broken[d] = true;
        st->malformed++;
        return;
    }
    memcpy(f->buf[d] + f->len[d], p->payload, p->payload_len);
    f->len[d] += p->payload_len;
    uint32_t off = 0;
    while (off < f->len[d]) {
        /* keep-alive CRLFs between messages (RFC 5626 3.5.1) */
        if (f->buf[d][off] == '\r' || f->buf[d][off] == '\n') {
            off++;
            continue;
        }
        pa_sip_msg m;
        int rc = pa_sip_parse(f->buf[d] + off, f->len[d] - off, true, &m);
        if (rc == PA_SIP_MORE) break;
        if (rc == PA_SIP_BAD) {
            f->broken[d] = true;
            st->malformed++;
            if (st->ex) pa_expert_add(st->ex, PA_EX_SIP_MALFORMED, p->frame_no);
            return;
        }
        pa_sip_message(st, p, &m, f->buf[d] + off + m.head_len);
        if (cb) cb(ud, &m);
        off += m.head_len + m.body_len;
    }
    memmove(f->buf[d], f->buf[d] + off, f->len[d] - off);
    f->len[d] -= off;
}

void pa_sip_flow_free(pa_sip_flow *f) {
    if (!f) return;
    free(f->buf[0]);
    free(f->buf[1]);
    free(f);
}
