/* QUIC in the TLS reports: a QUIC handshake is TLS 1.3 in CRYPTO frames
 * (RFC 9001), which tshark dissects as tls inside quic; the TLS tools list
 * QUIC connections with the TLS ones through a view of each as a TLS
 * record, and count their hellos in the TLS tables. */
#include <stdio.h>
#include <string.h>

#include "tls_names.h"
#include "tool_tls.h"

uint64_t pa_tls_conn_frame(const pa_tls_conn *c) { return c->ch_frame ? c->ch_frame : c->first_frame; }

/* A QUIC connection is listed with the TLS ones once an Initial of it was
 * seen (the handshake is in Initial packets); its times run from the
 * client's first Initial, as in analyze_quic_traffic. */
bool pa_tls_quic_listed(const pa_quic_conn *q) { return q->first_initial_ns >= 0 || q->has_server_hello; }

static uint64_t quic_frame(const pa_quic_conn *q) { return q->ch_frame ? q->ch_frame : q->first_frame; }

/* CONNECTION_CLOSE with CRYPTO_ERROR (0x100 + a TLS alert) in an Initial
 * packet: the handshake failed with that alert, sent in clear. */
bool pa_tls_quic_alert(const pa_quic_conn *q) {
    return q->closed && !q->close_app && q->close_code >= 0x100 && q->close_code <= 0x1ff;
}

static pa_tls_outcome quic_outcome(const pa_quic_conn *q) {
    if (pa_tls_quic_alert(q) && (!q->done_frame || q->close_frame < q->done_frame)) return PA_TLS_OUT_ALERT;
    if (q->handshake_ns >= 0) return PA_TLS_OUT_COMPLETED;
    if (q->first_initial_ns < 0) return PA_TLS_OUT_NOT_SEEN; /* the client's Initial was before the capture */
    if (!q->packets[1]) return PA_TLS_OUT_NO_ANSWER;
    return PA_TLS_OUT_INCOMPLETE;
}

/* The connection as a TLS record of the reports: what the Initials showed
 * (the rest of a QUIC handshake is encrypted, certificates included). */
_Static_assert(sizeof((pa_tls_conn *)0)->hello_exts == sizeof((pa_quic_conn *)0)->exts &&
                   sizeof((pa_tls_conn *)0)->hello_groups == sizeof((pa_quic_conn *)0)->groups &&
                   sizeof((pa_tls_conn *)0)->hello_sigalgs == sizeof((pa_quic_conn *)0)->sigalgs &&
                   sizeof((pa_tls_conn *)0)->hello_shares == sizeof((pa_quic_conn *)0)->shares,
               "a QUIC ClientHello's lists fit the TLS record's");

void pa_tls_quic_view(const pa_quic_conn *q, pa_tls_conn *c) {
    memset(c, 0, sizeof *c);
    c->quic = true;
    c->client = q->client_addr;
    c->server = q->server_addr;
    c->cport = q->client_port;
    c->sport = q->server_port;
    c->stream = (uint32_t)q->stream;
    c->first_frame = q->first_frame;
    c->ch_frame = q->ch_frame;
    c->ch_ts = q->first_initial_ns;
    c->sh_frame = q->sh_frame;
    c->sh_ts = q->sh_ns;
    c->done_frame = q->done_frame;
    c->done_ts = q->first_initial_ns + q->handshake_ns;
    c->sni_match = -1;
    if (q->has_client_hello) {
        c->client_version = 0x0303;
        c->max_offered = q->offered_version;
        c->offered_mask = q->offered_version == 0x0304 || q->offered_version >> 8 == 0x7F ? 1u << 4 : 0;
        for (uint8_t i = 0; i < q->nciphers; i++) {
            uint16_t cs = q->ciphers[i];
            if (pa_tls_is_grease(cs)) continue;
            c->ciphers_offered++;
            if (pa_tls_cipher_grade(cs, NULL) != PA_TLS_OK) c->weak_offered++;
            if (c->n_ciphers < sizeof c->hello_ciphers / sizeof *c->hello_ciphers)
                c->hello_ciphers[c->n_ciphers++] = cs;
        }
        if (q->ciphers_total > q->nciphers) c->ciphers_offered += (uint16_t)(q->ciphers_total - q->nciphers);
        memcpy(c->hello_exts, q->exts, sizeof q->exts);
        memcpy(c->hello_groups, q->groups, sizeof q->groups);
        memcpy(c->hello_sigalgs, q->sigalgs, sizeof q->sigalgs);
        memcpy(c->hello_shares, q->shares, sizeof q->shares);
        c->n_exts = q->nexts;
        c->n_groups = q->ngroups;
        c->n_sigalgs = q->nsigalgs;
        c->n_shares = q->nshares;
        for (uint8_t i = 0; i < q->ngroups; i++)
            if (pa_tls_group_is_pq(q->groups[i])) c->pq_offered = true;
        c->has_sni = q->sni[0] != '\0';
        snprintf(c->sni, sizeof c->sni, "%s", q->sni);
        snprintf(c->alpn_offered, sizeof c->alpn_offered, "%s", q->alpn);
        snprintf(c->ja4, sizeof c->ja4, "%s", q->ja4);
    }
    if (q->has_server_hello) {
        c->version = q->tls_version;
        c->cipher = q->cipher;
        c->group = q->group;
        c->certs_encrypted = true;
    }
    c->outcome = (uint8_t)quic_outcome(q);
    if (pa_tls_quic_alert(q)) {
        c->nalerts = 1;
        c->alerts_total = 1;
        c->alerts[0] = (pa_tls_alert){.frame = q->close_frame,
                                      .from_server = q->close_by_server,
                                      .level = 2,
                                      .desc = (uint8_t)(q->close_code & 0xff)};
    }
}

const pa_tls_conn *pa_tls_conn_at(const pa_model *m, pa_tls_ref r, pa_tls_conn *view) {
    if (!r.quic) return &m->tls.conns[r.idx];
    pa_tls_quic_view(&m->quic.conns[r.idx], view);
    return view;
}

const pa_tls_conn *pa_tls_next(pa_tls_iter *it) {
    const pa_tls_stats *s = &it->m->tls;
    const pa_quic_stats *q = &it->m->quic;
    while (it->j < q->nconns && !pa_tls_quic_listed(&q->conns[it->j])) it->j++;
    bool have_t = it->i < s->nconns, have_q = it->j < q->nconns;
    if (!have_t && !have_q) return NULL;
    if (have_q && (!have_t || quic_frame(&q->conns[it->j]) < pa_tls_conn_frame(&s->conns[it->i])))
        it->ref = (pa_tls_ref){it->j++, true};
    else
        it->ref = (pa_tls_ref){(uint32_t)it->i++, false};
    return pa_tls_conn_at(it->m, it->ref, &it->view);
}

pa_tls_quic_totals pa_tls_quic_count(const pa_quic_stats *q) {
    pa_tls_quic_totals qt = {0};
    for (uint32_t i = 0; i < q->nconns; i++) {
        const pa_quic_conn *c = &q->conns[i];
        if (!pa_tls_quic_listed(c)) continue;
        qt.connections++;
        qt.client_hellos += c->has_client_hello;
        qt.server_hellos += c->has_server_hello;
        qt.alerts += pa_tls_quic_alert(c);
        qt.outcome[quic_outcome(c)]++;
    }
    return qt;
}

static void counts_add(pa_tls_counts *c, uint16_t code) {
    for (uint16_t i = 0; i < c->n; i++)
        if (c->v[i].code == code) {
            c->v[i].n++;
            return;
        }
    if (c->n < PA_TLS_COUNTS_MAX)
        c->v[c->n++] = (pa_tls_count){code, 1};
    else
        c->other++;
}

static void counts_add_list(pa_tls_counts *c, const uint16_t *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!pa_tls_is_grease(v[i])) counts_add(c, v[i]);
}

/* The TLS tables with the QUIC connections' hellos counted in. */
void pa_tls_tables_with_quic(pa_tls_tables *tb, const pa_tls_stats *s, const pa_quic_stats *q) {
    tb->offered_ciphers = s->offered_ciphers;
    tb->chosen_ciphers = s->chosen_ciphers;
    tb->offered_groups = s->offered_groups;
    tb->key_share_groups = s->key_share_groups;
    tb->chosen_groups = s->chosen_groups;
    tb->offered_versions = s->offered_versions;
    tb->chosen_versions = s->chosen_versions;
    tb->offered_exts = s->offered_exts;
    tb->offered_sigalgs = s->offered_sigalgs;
    for (uint32_t i = 0; i < q->nconns; i++) {
        const pa_quic_conn *c = &q->conns[i];
        if (c->has_client_hello) {
            counts_add(&tb->offered_versions, c->offered_version);
            counts_add_list(&tb->offered_ciphers, c->ciphers, c->nciphers);
            counts_add_list(&tb->offered_groups, c->groups, c->ngroups);
            counts_add_list(&tb->key_share_groups, c->shares, c->nshares);
            counts_add_list(&tb->offered_exts, c->exts, c->nexts);
            counts_add_list(&tb->offered_sigalgs, c->sigalgs, c->nsigalgs);
        }
        if (c->has_server_hello) {
            counts_add(&tb->chosen_versions, c->tls_version);
            counts_add(&tb->chosen_ciphers, c->cipher);
            if (c->group) counts_add(&tb->chosen_groups, c->group);
        }
    }
}
