/* DTLS associations (dtls_track.h). */
#include "dtls_track.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "tls_names.h"

const char *pa_dtls_outcome_name(pa_dtls_outcome o) {
    static const char *const n[] = {"completed", "alert", "no_answer", "incomplete", "not_seen"};
    return (unsigned)o < PA_DTLS_OUT_COUNT ? n[o] : "?";
}

int pa_dtls_stats_init(pa_dtls_stats *st) {
    if (pa_htab_init(&st->assocs, sizeof(pa_dtls_assoc), sizeof(int64_t), PA_DTLS_MAX_ASSOCS)) return -1;
    st->ready = true;
    return 0;
}

static void reasm_drop(pa_dtls_stats *st, pa_dtls_reasm *r) {
    if (r->buf) st->reasm_bytes -= r->len;
    free(r->buf);
    free(r->have);
    memset(r, 0, sizeof *r);
}

void pa_dtls_stats_free(pa_dtls_stats *st) {
    for (size_t i = 0; i < st->assocs.count; i++) {
        pa_dtls_assoc *a = pa_htab_rec(&st->assocs, i);
        reasm_drop(st, &a->rx[0]);
        reasm_drop(st, &a->rx[1]);
    }
    pa_htab_free(&st->assocs);
    st->ready = false;
}

static bool addr_eq(const pa_addr *x, const pa_addr *y) {
    return x->family == y->family && !memcmp(x->b, y->b, x->family == 6 ? 16 : 4);
}

static pa_dtls_assoc *assoc_of(pa_dtls_stats *st, const pa_packet *p, int64_t stream) {
    bool created;
    pa_dtls_assoc *a = pa_htab_upsert(&st->assocs, &stream, &created);
    if (!a) {
        st->assocs_dropped++;
        return NULL;
    }
    if (created) {
        /* the first sender is the client until a ClientHello says otherwise */
        a->client = p->src;
        a->server = p->dst;
        a->cport = p->sport;
        a->sport = p->dport;
        a->first_frame = p->frame_no;
    }
    return a;
}

static int side_of(const pa_dtls_assoc *a, const pa_packet *p) {
    return addr_eq(&p->src, &a->client) && p->sport == a->cport ? 0 : 1;
}

typedef struct leaf_ctx {
    pa_dtls_assoc *a;
} leaf_ctx;

static void leaf(void *ud, unsigned idx, const uint8_t *der, size_t n) {
    leaf_ctx *l = ud;
    if (idx) return;
    pa_cert *c = calloc(1, sizeof *c);
    if (!c) return;
    pa_x509 *x = pa_cert_parse(der, n, c);
    if (c->parsed) {
        snprintf(l->a->cert_subject, sizeof l->a->cert_subject, "%s", c->subject);
        snprintf(l->a->cert_issuer, sizeof l->a->cert_issuer, "%s", c->issuer);
        l->a->cert_not_after = c->not_after;
        l->a->cert_self_signed = c->self_signed;
    }
    pa_x509_free(x);
    free(c);
}

static void hello(pa_dtls_stats *st, pa_dtls_assoc *a, const pa_packet *p, const uint8_t *b, size_t n, bool client,
                  pa_dtls_frame *fr) {
    pa_tls_hello *h = malloc(sizeof *h);
    if (!h) return;
    pa_dtls_srtp srtp;
    if (pa_dtls_parse_hello(b, n, client, h, &srtp) != PA_TLS_PARSE_OK) {
        st->malformed++;
        free(h);
        return;
    }
    if (client) {
        st->client_hellos++;
        if (!a->ch_frame) {
            a->client = p->src;
            a->server = p->dst;
            a->cport = p->sport;
            a->sport = p->dport;
            a->ch_frame = p->frame_no;
            a->ch_ts = p->ts_ns;
            a->client_version = h->legacy_version;
            a->max_offered = h->legacy_version;
            for (uint16_t i = 0; i < h->versions.n; i++)
                if (!pa_tls_is_grease(h->versions.v[i]) && h->versions.v[i] < a->max_offered)
                    a->max_offered = h->versions.v[i]; /* DTLS versions count down */
            a->ciphers_offered = h->ciphers.total;
            a->has_sni = h->has_sni;
            snprintf(a->sni, sizeof a->sni, "%s", h->sni);
            for (uint8_t i = 0; i < srtp.n && a->nsrtp_offered < 4; i++)
                a->srtp_offered[a->nsrtp_offered++] = srtp.profile[i];
        }
    } else {
        st->server_hellos++;
        if (!a->sh_frame) {
            a->sh_frame = p->frame_no;
            a->version = h->version;
            a->cipher = h->ciphers.n ? h->ciphers.v[0] : 0;
            a->srtp_chosen = srtp.n ? srtp.profile[0] : 0;
            if (srtp.n && a->ch_frame) {
                st->srtp_frame = p->frame_no;
                st->srtp_addr = a->client;
                st->srtp_port = a->cport;
            }
            a->hrr |= h->hrr;
        }
    }
    if (fr && fr->nhello < 2) {
        fr->hello_version[fr->nhello++] = h->legacy_version;
        if (h->has_sni && !fr->has_sni) {
            fr->has_sni = true;
            snprintf(fr->sni, sizeof fr->sni, "%s", h->sni);
        }
        for (uint16_t i = 0; i < h->ciphers.n && fr->ncipher < PA_TLS_LIST_MAX; i++)
            fr->cipher[fr->ncipher++] = h->ciphers.v[i];
        if (srtp.n && !fr->srtp.n) fr->srtp = srtp;
    }
    free(h);
}

/* A complete handshake message in clear from side. */
static void message(pa_dtls_stats *st, pa_dtls_assoc *a, const pa_packet *p, int side, uint8_t type, const uint8_t *b,
                    size_t n, pa_dtls_frame *fr) {
    if (type == PA_TLS_HS_CLIENT_HELLO || type == PA_TLS_HS_SERVER_HELLO)
        hello(st, a, p, b, n, type == PA_TLS_HS_CLIENT_HELLO, fr);
    if (type == PA_TLS_HS_CERTIFICATE) {
        st->certificates++;
        if (side == 0 && a->ch_frame) a->client_cert = true;
        if (side == 1 || !a->ch_frame) {
            a->server_cert = true;
            leaf_ctx l = {a};
            if (pa_tls_parse_certificates(b, n, 1, leaf, &l) != PA_TLS_PARSE_OK) st->malformed++;
        }
    }
}

static bool wanted(uint8_t type) {
    return type == PA_TLS_HS_CLIENT_HELLO || type == PA_TLS_HS_SERVER_HELLO || type == PA_TLS_HS_CERTIFICATE;
}

/* One fragment: whole messages go straight to message(); pieces are
 * gathered per direction, one message at a time, the first copy of a byte
 * kept (a later one that differs is counted). */
static void fragment(pa_dtls_stats *st, pa_dtls_assoc *a, const pa_packet *p, int side, const pa_dtls_hs *h,
                     pa_dtls_frame *fr) {
    if (!wanted(h->type)) return;
    if (h->type == PA_TLS_HS_CLIENT_HELLO) side = 0;
    if (h->type == PA_TLS_HS_SERVER_HELLO) side = 1;
    if (a->done_seq[side] && h->message_seq < a->done_seq[side] && h->type != PA_TLS_HS_CLIENT_HELLO) return;
    if (h->frag_off == 0 && h->frag_len == h->length) {
        message(st, a, p, side, h->type, h->frag, h->length, fr);
        a->done_seq[side] = (uint16_t)(h->message_seq + 1);
        return;
    }
    st->fragments++;
    if (h->length > PA_DTLS_HS_MAX) {
        st->oversized++;
        return;
    }
    pa_dtls_reasm *r = &a->rx[side];
    if (r->buf && (r->seq != h->message_seq || r->type != h->type)) {
        if (h->message_seq < r->seq) return; /* an older message again */
        reasm_drop(st, r);
    }
    if (!r->buf) {
        if (st->reasm_bytes + h->length > PA_DTLS_REASM_TOTAL) {
            st->reasm_refused++;
            return;
        }
        r->buf = malloc(h->length ? h->length : 1);
        r->have = calloc((h->length + 7) / 8 + 1, 1);
        if (!r->buf || !r->have) {
            free(r->buf);
            free(r->have);
            memset(r, 0, sizeof *r);
            st->reasm_refused++;
            return;
        }
        r->len = h->length;
        r->seq = h->message_seq;
        r->type = h->type;
        st->reasm_bytes += r->len;
    }
    if (r->len != h->length) {
        st->fragments_inconsistent++;
        return;
    }
    bool conflict = false;
    for (uint32_t i = 0; i < h->frag_len; i++) {
        uint32_t at = h->frag_off + i;
        uint8_t bit = (uint8_t)(1u << (at & 7));
        if (r->have[at >> 3] & bit) {
            conflict |= r->buf[at] != h->frag[i];
            continue;
        }
        r->have[at >> 3] |= bit;
        r->buf[at] = h->frag[i];
        r->filled++;
    }
    if (conflict) st->overlaps_conflicting++;
    if (r->filled < r->len) return;
    st->reassembled++;
    message(st, a, p, side, r->type, r->buf, r->len, fr);
    a->done_seq[side] = (uint16_t)(r->seq + 1);
    reasm_drop(st, r);
}

static void alert(pa_dtls_stats *st, pa_dtls_assoc *a, const pa_packet *p, const pa_dtls_record *r, pa_dtls_frame *fr) {
    st->alerts++;
    if (a) a->alerts++;
    if (r->epoch || r->length != 2) {
        st->alerts_encrypted++;
        if (a) a->alerts_encrypted++;
        return;
    }
    uint8_t level = r->body[0], desc = r->body[1];
    st->alert_count[level < 3 ? level : 0][desc]++;
    if (fr && fr->nalert < 4) {
        fr->alert[fr->nalert][0] = level;
        fr->alert[fr->nalert++][1] = desc;
    }
    if (a && !a->alert_frame) {
        a->alert_frame = p->frame_no;
        a->alert_level = level;
        a->alert_desc = desc;
    }
    if (st->ex) {
        char buf[16];
        const char *name = pa_tls_alert_name(desc, buf, sizeof buf);
        pa_expert_add(st->ex, level == 2 ? PA_EX_DTLS_ALERT_FATAL : PA_EX_DTLS_ALERT_WARNING, p->frame_no, name);
    }
}

static void encrypted(pa_dtls_stats *st, pa_dtls_assoc *a, const pa_packet *p, int side) {
    if (a->enc_frame[side]) return;
    a->enc_frame[side] = p->frame_no;
    a->enc_ts[side] = p->ts_ns;
    if (!a->enc_frame[!side] || !a->ch_frame || a->done_frame) return;
    a->done_frame = p->frame_no;
    a->done_ts = p->ts_ns;
    double ms = (double)(p->ts_ns - a->ch_ts) / 1e6;
    if (!st->hs_count++ || ms < st->hs_min_ms) st->hs_min_ms = ms;
    if (ms > st->hs_max_ms) st->hs_max_ms = ms;
    st->hs_sum_ms += ms;
}

void pa_dtls_datagram(pa_dtls_stats *st, const pa_packet *p, int64_t stream, const uint8_t *d, size_t n, bool capwap,
                      pa_dtls_frame *fr) {
    pa_dtls_record rec[PA_DTLS_MAX_RECORDS];
    int nr = pa_dtls_records(d, n, rec, PA_DTLS_MAX_RECORDS);
    if (nr <= 0) {
        st->malformed++;
        return;
    }
    st->datagrams++;
    pa_dtls_assoc *a = st->ready && stream >= 0 ? assoc_of(st, p, stream) : NULL;
    if (a) a->capwap |= capwap;
    for (int i = 0; i < nr; i++) {
        const pa_dtls_record *r = &rec[i];
        st->records++;
        st->by_type[r->type - 20]++;
        st->by_version[r->version == 0xfeff ? 0 : r->version == 0xfefd ? 1 : 2]++;
        if (fr && fr->nrec < PA_DTLS_MAX_RECORDS) fr->rec[fr->nrec++] = *r;
        if (a) a->records++;
        int side = a ? side_of(a, p) : 0;
        if (r->type == PA_DTLS_ALERT) alert(st, a, p, r, fr);
        if (a && r->epoch > 0) encrypted(st, a, p, side);
        if (r->type != PA_DTLS_HANDSHAKE || r->epoch > 0) continue;
        pa_dtls_hs hs[8];
        bool bad;
        int nh = pa_dtls_handshakes(r->body, r->length, hs, 8, &bad);
        if (bad) st->malformed++;
        for (int k = 0; k < nh; k++) {
            if (fr && fr->nhs < PA_DTLS_FRAME_HS) fr->hs[fr->nhs++] = hs[k];
            if (hs[k].type == PA_DTLS_HELLO_VERIFY_REQUEST) {
                st->hello_verify_requests++;
                uint8_t v[2];
                pa_cur c = pa_cur_make(hs[k].frag, hs[k].frag_len);
                if (fr && fr->nhello < 2 && pa_cur_copy(&c, v, 2))
                    fr->hello_version[fr->nhello++] = (uint16_t)(v[0] << 8 | v[1]);
            }
            if (a) fragment(st, a, p, side, &hs[k], fr);
        }
    }
}

void pa_dtls_finish(pa_dtls_stats *st) {
    for (size_t i = 0; i < st->assocs.count; i++) {
        pa_dtls_assoc *a = pa_htab_rec(&st->assocs, i);
        reasm_drop(st, &a->rx[0]);
        reasm_drop(st, &a->rx[1]);
        pa_dtls_outcome o;
        if (!a->ch_frame)
            o = PA_DTLS_OUT_NOT_SEEN;
        else if (a->done_frame)
            o = PA_DTLS_OUT_COMPLETED;
        else if (a->alert_frame && a->alert_level == 2)
            o = PA_DTLS_OUT_ALERT;
        else if (!a->sh_frame && !a->enc_frame[1])
            o = PA_DTLS_OUT_NO_ANSWER;
        else
            o = PA_DTLS_OUT_INCOMPLETE;
        a->outcome = (uint8_t)o;
        st->outcome[o]++;
    }
}
