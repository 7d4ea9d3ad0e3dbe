#include "tls_track.h"

#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "digest.h"
#include "tls_names.h"

typedef struct tls_dir {
    pa_stream_dir stream;
    uint8_t hdr[5], hdrn;
    uint8_t rec_type;
    uint32_t rec_left, rec_len;
    bool any;             /* bytes of this direction were seen (SSLv2 hellos come first) */
    bool resync;          /* after a hole or bytes that are not a record: wait for a header */
    bool encrypted;       /* its ChangeCipherSpec (or TLS 1.3's ServerHello) was seen */
    bool ccs, finished;   /* sent ChangeCipherSpec, then its (encrypted) Finished */
    uint32_t enc_records; /* encrypted records after the handshake keys (TLS 1.3) */
    uint8_t *hs;          /* handshake message bytes (allocated on demand) */
    uint32_t hsn, hscap;
    uint32_t hs_skip; /* bytes of an oversized message still to skip */
    uint8_t alert[2], alertn;
    uint64_t last_frame; /* its latest segment, to date what a final flush delivers */
    int64_t last_ts;
    pa_stream_mark mark; /* where the record in progress will be placed */
} tls_dir;

struct pa_tls_flow {
    tls_dir dir[2];
    int client; /* flow key side of the client; -1 until known */
    bool tls13, done, reset, await_retry, maybe_resumed;
    uint8_t ch_sid[32], ch_sid_len;
    bool ignored;   /* a display filter does not keep it: nothing is parsed or counted */
    pa_txmark mark; /* the frames that carried its bytes (display filters) */
    pa_tls_conn conn;
};

typedef struct ctx {
    pa_tls_stats *st;
    pa_tls_flow *t;
    const pa_packet *p;
    int side;
    uint64_t frame; /* where a record completing now is placed: the latest frame of its bytes */
    int64_t ts;
    uint64_t chunk_frame; /* the segment that carried the bytes being parsed */
    int64_t chunk_ts;
} ctx;

static void event(ctx *c, pa_tls_event ev, uint32_t value, const char *text) {
    if (c->st->on_event) c->st->on_event(c->st->on_event_ud, c->frame, ev, value, text);
}

static void parse_error(ctx *c) {
    c->st->parse_errors++;
    if (c->st->ex && pa_tx_counts(c->st->keep, c->frame)) pa_expert_add(c->st->ex, PA_EX_TLS_MALFORMED, c->frame);
}

const char *pa_tls_outcome_name(pa_tls_outcome o) {
    static const char *const names[PA_TLS_OUT_COUNT] = {"completed", "alert",      "reset",
                                                        "no_answer", "incomplete", "not_seen"};
    return (unsigned)o < PA_TLS_OUT_COUNT ? names[o] : "unknown";
}

bool pa_tls_starts_handshake(const uint8_t *d, size_t n) {
    return n >= 6 && d[0] == 22 && d[1] == 3 && d[2] <= 4 && d[5] == PA_TLS_HS_CLIENT_HELLO;
}

static void count(pa_tls_counts *c, uint16_t code) {
    for (uint16_t i = 0; i < c->n; i++)
        if (c->v[i].code == code) {
            c->v[i].n++;
            return;
        }
    if (c->n == PA_TLS_COUNTS_MAX) {
        c->other++;
        return;
    }
    c->v[c->n].code = code;
    c->v[c->n++].n = 1;
}

static uint8_t version_bit(uint16_t v) {
    switch (v) {
    case 0x0300: return 1;
    case 0x0301: return 2;
    case 0x0302: return 4;
    case 0x0303: return 8;
    case 0x0304: return 16;
    default: return (v >> 8) == 0x7F ? 16 : 0; /* TLS 1.3 drafts count as 1.3 */
    }
}

static bool is_tls13(uint16_t v) { return v == 0x0304 || (v >> 8) == 0x7F; }

static void copy_cut(char *dst, size_t size, const char *src) {
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* ---- certificates --------------------------------------------------------- */

static int32_t cert_find(pa_tls_stats *st, const uint8_t fp[32], bool *found) {
    size_t slots = 2 * PA_TLS_MAX_CERTS;
    if (!st->cert_index) {
        st->cert_index = malloc(slots * sizeof *st->cert_index);
        if (!st->cert_index) return -1;
        for (size_t i = 0; i < slots; i++) st->cert_index[i] = -1;
    }
    size_t h;
    memcpy(&h, fp, sizeof h);
    for (size_t k = 0; k < slots; k++) {
        size_t i = (h + k) % slots;
        int32_t e = st->cert_index[i];
        if (e < 0) {
            *found = false;
            return (int32_t)i; /* the free slot */
        }
        if (memcmp(st->certs[e].fp, fp, 32) == 0) {
            *found = true;
            return e;
        }
    }
    return -1;
}

typedef struct chain_ctx {
    ctx *c;
    bool from_server;
    const uint8_t *der[PA_TLS_CHAIN_MAX];
    size_t len[PA_TLS_CHAIN_MAX];
    unsigned n;
} chain_ctx;

static void collect(void *ud, unsigned idx, const uint8_t *der, size_t n) {
    chain_ctx *cc = ud;
    if (idx < PA_TLS_CHAIN_MAX) {
        cc->der[idx] = der;
        cc->len[idx] = n;
        cc->n = idx + 1;
    }
}

static int32_t cert_note(ctx *c, const uint8_t *der, size_t n, unsigned pos, bool from_server) {
    pa_tls_stats *st = c->st;
    uint8_t fp[32];
    if (pa_digest(PA_MD_SHA256, der, n, fp) != 32) return -1;
    bool found = false;
    int32_t r = cert_find(st, fp, &found);
    if (r < 0) return -1;
    if (found) {
        st->certs[r].seen++;
        return r;
    }
    if (st->ncerts >= PA_TLS_MAX_CERTS) {
        st->certs_dropped++;
        return -1;
    }
    if (st->ncerts == st->certcap) {
        size_t ncap = st->certcap ? st->certcap * 2 : 16;
        pa_tls_cert_entry *v = realloc(st->certs, ncap * sizeof *v);
        if (!v) return -1;
        st->certs = v;
        st->certcap = ncap;
    }
    int32_t e = (int32_t)st->ncerts++;
    st->cert_index[r] = e;
    pa_tls_cert_entry *ce = &st->certs[e];
    memset(ce, 0, sizeof *ce);
    ce->x509 = pa_cert_parse(der, n, &ce->c);
    if (!ce->c.parsed) st->certs_unparsed++;
    memcpy(ce->fp, fp, 32);
    ce->first_frame = c->frame;
    ce->first_ts = c->ts;
    ce->seen = 1;
    ce->as_leaf = pos == 0;
    ce->as_client = !from_server;
    int64_t secs = c->ts / 1000000000ll;
    ce->expired = ce->c.parsed && ce->c.not_after && secs > ce->c.not_after;
    ce->not_yet_valid = ce->c.parsed && secs < ce->c.not_before;
    ce->server = from_server ? c->p->src : c->p->dst;
    ce->sport = from_server ? c->p->sport : c->p->dport;
    return e;
}

/* Chain member i decoded: the cached one, or (past the certificate cap)
 * decoded now into tmp[i], which the caller frees. */
static pa_x509 *chain_x509(ctx *c, const chain_ctx *cc, unsigned i, pa_x509 **tmp) {
    int32_t e = c->t->conn.chain[i];
    if (e >= 0) return c->st->certs[e].x509;
    if (!tmp[i]) tmp[i] = pa_x509_decode(cc->der[i], cc->len[i]);
    return tmp[i];
}

static void certificates(ctx *c, const uint8_t *body, size_t len) {
    pa_tls_flow *t = c->t;
    bool from_server = t->client >= 0 ? c->side != t->client : true;
    chain_ctx cc = {.c = c, .from_server = from_server};
    c->st->cert_messages++;
    if (pa_tls_parse_certificates(body, len, PA_TLS_CHAIN_MAX, collect, &cc) != PA_TLS_PARSE_OK) parse_error(c);
    if (!from_server) {
        t->conn.client_cert = cc.n > 0;
        for (unsigned i = 0; i < cc.n; i++) cert_note(c, cc.der[i], cc.len[i], i, false);
        return;
    }
    pa_tls_conn *conn = &t->conn;
    conn->nchain = (uint8_t)cc.n;
    conn->chain_ordered = true;
    for (unsigned i = 0; i < cc.n; i++) conn->chain[i] = cert_note(c, cc.der[i], cc.len[i], i, true);
    /* servers send the same chain to every client: the signature checks and
     * the host match are remembered per certificate, not redone per handshake,
     * and use the certificate decoded when it was first seen */
    pa_x509 *tmp[PA_TLS_CHAIN_MAX] = {NULL};
    for (unsigned i = 0; i + 1 < cc.n; i++) {
        pa_tls_cert_entry *ce = conn->chain[i] >= 0 ? &c->st->certs[conn->chain[i]] : NULL;
        bool ok;
        if (ce && conn->chain[i + 1] >= 0 && ce->issuer_checked == conn->chain[i + 1] + 1) {
            ok = ce->issuer_ok;
        } else {
            ok = pa_cert_issued_by(chain_x509(c, &cc, i, tmp), chain_x509(c, &cc, i + 1, tmp));
            if (ce && conn->chain[i + 1] >= 0) {
                ce->issuer_checked = conn->chain[i + 1] + 1;
                ce->issuer_ok = ok;
            }
        }
        if (!ok) conn->chain_ordered = false;
    }
    int32_t leaf = cc.n ? conn->chain[0] : -1;
    pa_tls_cert_entry *ce = leaf >= 0 ? &c->st->certs[leaf] : NULL;
    if (cc.n && conn->has_sni && conn->sni[0]) {
        if (ce && ce->host_checked && strcmp(ce->checked_host, conn->sni) == 0) {
            conn->sni_match = ce->host_match;
        } else {
            conn->sni_match = (int8_t)pa_cert_matches_host(chain_x509(c, &cc, 0, tmp), conn->sni);
            if (ce) {
                copy_cut(ce->checked_host, sizeof ce->checked_host, conn->sni);
                ce->host_checked = true;
                ce->host_match = conn->sni_match;
            }
        }
    }
    for (unsigned i = 0; i < cc.n; i++) pa_x509_free(tmp[i]);
    if (!cc.n || !conn->has_sni || !conn->sni[0]) return;
    if (ce) {
        if (!ce->first_sni[0]) copy_cut(ce->first_sni, sizeof ce->first_sni, conn->sni);
        if (conn->sni_match == 0) ce->sni_mismatch = true;
    }
}

/* ---- handshake messages ---------------------------------------------------- */

/* A ClientHello (of either format) names the client and starts the timing. */
static void hello_seen(ctx *c, uint16_t version) {
    pa_tls_conn *conn = &c->t->conn;
    c->st->client_hellos++;
    c->t->client = c->side;
    conn->client = c->p->src;
    conn->server = c->p->dst;
    conn->cport = c->p->sport;
    conn->sport = c->p->dport;
    conn->ch_frame = c->frame;
    conn->ch_ts = c->ts;
    conn->client_version = conn->max_offered = version;
    conn->offered_mask = version_bit(version);
}

/* Keeps the first max non-GREASE entries of a hello list (and counts each in tally). */
static void keep_list(const pa_tls_list *l, uint16_t *out, size_t max, uint8_t *n, pa_tls_counts *tally) {
    *n = 0;
    for (uint16_t i = 0; i < l->n; i++) {
        if (pa_tls_is_grease(l->v[i])) continue;
        if (tally) count(tally, l->v[i]);
        if (*n < max) out[(*n)++] = l->v[i];
    }
}

static void client_hello(ctx *c, const uint8_t *body, size_t len) {
    pa_tls_flow *t = c->t;
    pa_tls_conn *conn = &t->conn;
    if (conn->ch_frame) { /* a second ClientHello in clear: the retry after HRR, or renegotiation */
        if (t->await_retry)
            t->await_retry = false;
        else
            c->st->renegotiations++;
        return;
    }
    pa_tls_hello h;
    if (pa_tls_parse_hello(body, len, true, &h) != PA_TLS_PARSE_OK) {
        parse_error(c);
        return;
    }
    hello_seen(c, h.legacy_version);
    if (h.versions.n) {
        conn->max_offered = 0;
        conn->offered_mask = 0;
        for (uint16_t i = 0; i < h.versions.n; i++) {
            uint16_t v = h.versions.v[i];
            if (pa_tls_is_grease(v)) continue;
            conn->offered_mask |= version_bit(v);
            if (v > conn->max_offered && (v >> 8) != 0x7F)
                conn->max_offered = v;
            else if ((v >> 8) == 0x7F && conn->max_offered < 0x0304)
                conn->max_offered = v;
        }
    } else if (h.legacy_version > 0x0300) {
        /* without supported_versions, every version up to the field is offered */
        for (uint16_t v = 0x0300; v <= h.legacy_version && v <= 0x0303; v++) conn->offered_mask |= version_bit(v);
    }
    count(&c->st->offered_versions, conn->max_offered);
    for (uint16_t i = 0; i < h.ciphers.n; i++) {
        uint16_t cs = h.ciphers.v[i];
        if (pa_tls_is_grease(cs)) continue;
        conn->ciphers_offered++;
        count(&c->st->offered_ciphers, cs);
        if (pa_tls_cipher_grade(cs, NULL) != PA_TLS_OK) conn->weak_offered++;
    }
    for (uint16_t i = 0; i < h.groups.n; i++)
        if (!pa_tls_is_grease(h.groups.v[i])) {
            count(&c->st->offered_groups, h.groups.v[i]);
            if (pa_tls_group_is_pq(h.groups.v[i])) conn->pq_offered = true;
        }
    for (uint16_t i = 0; i < h.key_shares.n; i++)
        if (!pa_tls_is_grease(h.key_shares.v[i])) count(&c->st->key_share_groups, h.key_shares.v[i]);
    keep_list(&h.ciphers, conn->hello_ciphers, sizeof conn->hello_ciphers / 2, &conn->n_ciphers, NULL);
    keep_list(&h.exts, conn->hello_exts, sizeof conn->hello_exts / 2, &conn->n_exts, &c->st->offered_exts);
    keep_list(&h.groups, conn->hello_groups, sizeof conn->hello_groups / 2, &conn->n_groups, NULL);
    keep_list(&h.sigalgs, conn->hello_sigalgs, sizeof conn->hello_sigalgs / 2, &conn->n_sigalgs,
              &c->st->offered_sigalgs);
    keep_list(&h.key_shares, conn->hello_shares, sizeof conn->hello_shares / 2, &conn->n_shares, NULL);
    conn->has_sni = h.has_sni;
    copy_cut(conn->sni, sizeof conn->sni, h.sni);
    copy_cut(conn->alpn_offered, sizeof conn->alpn_offered, h.alpn);
    pa_tls_ja3(&h, conn->ja3);
    pa_tls_ja4(&h, conn->ja4);
    memcpy(t->ch_sid, h.session_id, h.session_id_len);
    t->ch_sid_len = h.session_id_len;
}

static void server_hello(ctx *c, const uint8_t *body, size_t len) {
    pa_tls_flow *t = c->t;
    pa_tls_conn *conn = &t->conn;
    pa_tls_hello h;
    if (pa_tls_parse_hello(body, len, false, &h) != PA_TLS_PARSE_OK) {
        parse_error(c);
        return;
    }
    if (t->client < 0) t->client = !c->side;
    if (h.hrr) { /* the client tries again with the group the server asked for */
        conn->hrr = true;
        c->st->hrr++;
        t->await_retry = true; /* timing still runs from the first ClientHello */
        return;
    }
    if (conn->sh_frame) return;
    c->st->server_hellos++;
    if (!conn->ch_frame) { /* the ClientHello was not captured */
        conn->client = c->p->dst;
        conn->server = c->p->src;
        conn->cport = c->p->dport;
        conn->sport = c->p->sport;
    }
    conn->sh_frame = c->frame;
    conn->sh_ts = c->ts;
    conn->version = h.version;
    conn->cipher = h.ciphers.n ? h.ciphers.v[0] : 0;
    conn->group = h.key_shares.n ? h.key_shares.v[0] : 0;
    copy_cut(conn->alpn, sizeof conn->alpn, h.alpn);
    pa_tls_ja3s(&h, conn->ja3s);
    count(&c->st->chosen_versions, conn->version);
    count(&c->st->chosen_ciphers, conn->cipher);
    if (conn->group) count(&c->st->chosen_groups, conn->group);
    if (is_tls13(h.version)) {
        /* everything after ServerHello is encrypted, both ways */
        t->tls13 = true;
        t->dir[0].encrypted = t->dir[1].encrypted = true;
        conn->certs_encrypted = true;
        c->st->certs_encrypted_conns++;
    } else if (h.session_id_len && h.session_id_len == t->ch_sid_len &&
               memcmp(h.session_id, t->ch_sid, h.session_id_len) == 0) {
        t->maybe_resumed = true; /* unless the server goes on to send its certificate or keys */
    }
}

static void handshake_message(ctx *c, uint8_t type, const uint8_t *body, size_t len) {
    event(c, PA_TLS_EV_HANDSHAKE, type, NULL);
    if ((type == PA_TLS_HS_CLIENT_HELLO || type == PA_TLS_HS_SERVER_HELLO) && c->st->on_event) {
        pa_tls_hello h;
        if (pa_tls_parse_hello(body, len, type == PA_TLS_HS_CLIENT_HELLO, &h) == PA_TLS_PARSE_OK) {
            event(c, PA_TLS_EV_HELLO_VERSION, h.legacy_version, NULL);
            if (h.has_sni) event(c, PA_TLS_EV_SNI, 0, h.sni);
            for (uint16_t i = 0; i < h.ciphers.n; i++) event(c, PA_TLS_EV_CIPHER, h.ciphers.v[i], NULL);
        }
    }
    switch (type) {
    case PA_TLS_HS_CLIENT_HELLO: client_hello(c, body, len); break;
    case PA_TLS_HS_SERVER_HELLO: server_hello(c, body, len); break;
    case PA_TLS_HS_CERTIFICATE:
        if (!c->t->tls13) certificates(c, body, len);
        if (c->t->client < 0 || c->side != c->t->client) c->t->maybe_resumed = false;
        break;
    case PA_TLS_HS_SERVER_KEY_EXCHANGE: /* ECDHE before TLS 1.3: the group is named here */
        c->t->maybe_resumed = false;
        if (len >= 3 && body[0] == 3 && !c->t->conn.group) {
            c->t->conn.group = (uint16_t)(body[1] << 8 | body[2]);
            count(&c->st->chosen_groups, c->t->conn.group);
        }
        break;
    default: break;
    }
}

/* Handshake bytes in clear: messages may span records and records may
 * hold several messages. */
static void handshake_bytes(ctx *c, tls_dir *d, const uint8_t *data, size_t n) {
    while (n) {
        if (d->hs_skip) {
            size_t k = n < d->hs_skip ? n : d->hs_skip;
            d->hs_skip -= (uint32_t)k;
            data += k;
            n -= k;
            continue;
        }
        if (d->hsn + n > d->hscap && d->hscap < PA_TLS_HS_MAX + 4) {
            size_t want = d->hscap ? (size_t)d->hscap * 2 : 4096;
            if (want < d->hsn + n) want = d->hsn + n;
            if (want > PA_TLS_HS_MAX + 4) want = PA_TLS_HS_MAX + 4;
            uint8_t *b = realloc(d->hs, want);
            if (!b) return;
            d->hs = b;
            d->hscap = (uint32_t)want;
        }
        size_t k = d->hscap - d->hsn < n ? d->hscap - d->hsn : n;
        if (!k) { /* cannot fill: a message never fits (guarded above); start over */
            d->hsn = 0;
            return;
        }
        memcpy(d->hs + d->hsn, data, k);
        d->hsn += (uint32_t)k;
        data += k;
        n -= k;
        /* every complete message in the buffer */
        size_t off = 0;
        while (d->hsn - off >= 4) {
            const uint8_t *m = d->hs + off;
            uint32_t mlen = (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
            if (mlen > PA_TLS_HS_MAX) { /* too large to keep: skip it */
                c->st->oversized_handshakes++;
                uint32_t have = d->hsn - (uint32_t)off - 4;
                if (have >= mlen) {
                    off += 4 + mlen;
                    continue;
                }
                d->hs_skip = mlen - have;
                off = d->hsn;
                break;
            }
            if (d->hsn - off - 4 < mlen) break;
            handshake_message(c, m[0], m + 4, mlen);
            off += 4 + mlen;
            if (d->encrypted) { /* the rest of this record is no longer in clear */
                off = d->hsn;
                break;
            }
        }
        if (off) {
            memmove(d->hs, d->hs + off, d->hsn - off);
            d->hsn -= (uint32_t)off;
        }
    }
}

static void note_alert(ctx *c, bool encrypted, uint8_t level, uint8_t desc) {
    pa_tls_conn *conn = &c->t->conn;
    pa_tls_stats *st = c->st;
    if (encrypted)
        st->alerts_encrypted++;
    else {
        st->alerts++;
        st->alert_count[level == 1 || level == 2 ? level : 0][desc]++;
        if (st->ex && pa_tx_counts(st->keep, c->frame)) {
            char nb[48];
            const char *name = pa_tls_alert_name(desc, nb, sizeof nb);
            if (desc == 0)
                pa_expert_add(st->ex, PA_EX_TLS_CLOSE_NOTIFY, c->frame);
            else
                pa_expert_add(st->ex, level == 2 ? PA_EX_TLS_ALERT_FATAL : PA_EX_TLS_ALERT_WARNING, c->frame, name);
        }
    }
    if (conn->alerts_total < UINT16_MAX) conn->alerts_total++;
    if (conn->nalerts < PA_TLS_CONN_ALERTS) {
        pa_tls_alert *a = &conn->alerts[conn->nalerts++];
        a->frame = c->frame;
        a->ts = c->ts;
        a->from_server = (uint8_t)(c->t->client >= 0 ? c->side != c->t->client : 0);
        a->encrypted = encrypted;
        a->level = encrypted ? 0 : level;
        a->desc = encrypted ? 0 : desc;
    }
}

static void handshake_done(ctx *c) {
    pa_tls_conn *conn = &c->t->conn;
    if (conn->done_frame) return;
    conn->done_frame = c->frame;
    conn->done_ts = c->ts;
}

static void app_data(ctx *c, bool from_client) {
    pa_tls_conn *conn = &c->t->conn;
    if (!conn->done_frame) return;
    if (from_client && !conn->req_frame) {
        conn->req_frame = c->frame;
        conn->req_ts = c->ts;
    } else if (!from_client && conn->req_frame && !conn->resp_frame) {
        conn->resp_frame = c->frame;
        conn->resp_ts = c->ts;
    }
}

static void record_end(ctx *c, tls_dir *d) {
    pa_tls_flow *t = c->t;
    bool from_client = t->client < 0 || c->side == t->client;
    c->st->records++;
    event(c, PA_TLS_EV_RECORD, (uint32_t)(d->hdr[1] << 8 | d->hdr[2]), NULL);
    if (d->rec_type == 21) {
        bool clear = !d->encrypted && d->rec_len == 2 && (d->alert[0] == 1 || d->alert[0] == 2);
        event(c, PA_TLS_EV_ALERT, clear ? (uint32_t)(d->alert[0] << 8 | d->alert[1]) : 0x10000u, NULL);
    }
    switch (d->rec_type) {
    case 20: /* ChangeCipherSpec: what follows from this side is encrypted */
        d->ccs = true;
        if (!t->tls13) d->encrypted = true;
        break;
    case 21: /* an alert in clear is two bytes with level 1 or 2; anything else is encrypted */
        if (d->encrypted || d->rec_len != 2 || (d->alert[0] != 1 && d->alert[0] != 2))
            note_alert(c, true, 0, 0);
        else
            note_alert(c, false, d->alert[0], d->alert[1]);
        break;
    case 22:
        if (d->encrypted && !t->tls13 && d->ccs && !d->finished) {
            d->finished = true; /* the encrypted Finished */
            if (t->dir[0].finished && t->dir[1].finished) handshake_done(c);
        }
        break;
    case 23:
        if (t->tls13 && from_client && !t->conn.done_frame) {
            handshake_done(c); /* the client's Finished, TLS 1.3's last handshake flight */
            break;
        }
        app_data(c, from_client);
        break;
    default: break;
    }
    d->alertn = 0;
    d->hdrn = 0;
    /* the next record starts with the bytes being parsed */
    pa_mark_restart(&d->mark, c->chunk_frame, c->chunk_ts);
    c->frame = c->chunk_frame;
    c->ts = c->chunk_ts;
}

/* An SSL 2.0-format ClientHello (old clients offering SSL 3.0/TLS 1.0 that
 * way): a 2-byte length with the top bit set, then message type 1. Returns
 * the bytes it took, 0 when the stream does not start with one. */
static size_t sslv2_hello(ctx *c, const uint8_t *d, size_t n) {
    pa_cur cur = pa_cur_make(d, n), rec, specs;
    uint16_t hdr, version, nspecs, sid, chal;
    uint8_t type;
    if (!pa_cur_be16(&cur, &hdr) || !(hdr & 0x8000) || !pa_cur_sub(&cur, hdr & 0x7FFF, &rec)) return 0;
    if (!pa_cur_u8(&rec, &type) || type != 1 || !pa_cur_be16(&rec, &version) || !pa_cur_be16(&rec, &nspecs) ||
        !pa_cur_be16(&rec, &sid) || !pa_cur_be16(&rec, &chal) || nspecs % 3 || !pa_cur_sub(&rec, nspecs, &specs) ||
        rec.len < (size_t)sid + chal || version < 0x0002 || version > 0x0303)
        return 0;
    size_t used = 2 + (size_t)(hdr & 0x7FFF);
    /* as Wireshark shows it: an SSL 2.0 record holding a ClientHello */
    event(c, PA_TLS_EV_RECORD, 0x0002, NULL);
    event(c, PA_TLS_EV_HANDSHAKE, PA_TLS_HS_CLIENT_HELLO, NULL);
    event(c, PA_TLS_EV_HELLO_VERSION, version, NULL);
    pa_tls_conn *conn = &c->t->conn;
    if (conn->ch_frame) return used;
    hello_seen(c, version);
    count(&c->st->offered_versions, version);
    uint8_t kind;
    uint16_t cs;
    while (pa_cur_u8(&specs, &kind) && pa_cur_be16(&specs, &cs)) {
        if (kind) continue; /* SSL 2.0's own cipher kinds */
        conn->ciphers_offered++;
        count(&c->st->offered_ciphers, cs);
        if (pa_tls_cipher_grade(cs, NULL) != PA_TLS_OK) conn->weak_offered++;
    }
    return used;
}

static bool header_ok(const uint8_t *h) {
    uint16_t len = (uint16_t)(h[3] << 8 | h[4]);
    return h[0] >= 20 && h[0] <= 24 && h[1] == 3 && h[2] <= 4 && len <= 16384 + 2048;
}

static void sink(void *ud, const uint8_t *data, size_t len, uint64_t frame, int64_t ts, bool gap) {
    ctx *c = ud;
    tls_dir *d = &c->t->dir[c->side];
    c->chunk_frame = frame;
    c->chunk_ts = ts;
    pa_mark_note(&d->mark, frame, ts, gap);
    c->frame = d->mark.frame;
    c->ts = d->mark.ts;
    if (gap) {
        c->st->gaps++;
        d->resync = true;
        d->hdrn = 0;
        d->hsn = 0;
        d->hs_skip = 0;
    }
    size_t i = 0;
    if (!d->any && !gap) {
        d->any = true;
        size_t used = sslv2_hello(c, data, len);
        if (used) i = used;
    }
    while (i < len) {
        if (d->resync) { /* only a record header at the start of new bytes is trusted */
            if (len - i < 5 || !header_ok(data + i)) return;
            d->resync = false;
        }
        if (d->hdrn < 5) {
            if (!d->hdrn) event(c, PA_TLS_EV_RECORD_START, 0, NULL);
            d->hdr[d->hdrn++] = data[i++];
            if (d->hdrn < 5) continue;
            if (!header_ok(d->hdr)) {
                parse_error(c);
                d->resync = true;
                d->hdrn = 0;
                return;
            }
            d->rec_type = d->hdr[0];
            d->rec_left = d->rec_len = (uint32_t)(d->hdr[3] << 8 | d->hdr[4]);
            if (!d->rec_left) record_end(c, d);
            continue;
        }
        size_t take = len - i < d->rec_left ? len - i : d->rec_left;
        if (d->rec_type == 22 && !d->encrypted)
            handshake_bytes(c, d, data + i, take);
        else if (d->rec_type == 21)
            for (size_t k = 0; k < take && d->alertn < 2; k++) d->alert[d->alertn++] = data[i + k];
        i += take;
        d->rec_left -= (uint32_t)take;
        if (!d->rec_left) record_end(c, d);
    }
}

void pa_tls_segment(pa_tls_stats *st, pa_tls_flow **tp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                    uint32_t stream) {
    pa_tls_flow *t = *tp;
    if (!t) {
        if (!p->payload_len) return; /* a connection becomes TLS with its first record */
        t = calloc(1, sizeof *t);
        if (!t) return;
        *tp = t;
        if ((t->ignored = !pa_tx_kept(st->keep, p->frame_no))) return;
        t->client = -1;
        for (int i = 0; i < 2; i++) {
            pa_stream_init(&t->dir[i].stream, PA_TLS_STREAM_CAP);
            if (tcp && tcp->dir[i].base_known) pa_stream_begin(&t->dir[i].stream, tcp->dir[i].base + 1);
        }
        t->conn.sni_match = -1;
        t->conn.stream = stream;
        t->conn.first_frame = p->frame_no;
        for (int i = 0; i < PA_TLS_CHAIN_MAX; i++) t->conn.chain[i] = -1;
        /* until a hello says otherwise, the lower port is the server */
        bool src_server = p->sport < p->dport;
        t->conn.client = src_server ? p->dst : p->src;
        t->conn.server = src_server ? p->src : p->dst;
        t->conn.cport = src_server ? p->dport : p->sport;
        t->conn.sport = src_server ? p->sport : p->dport;
        st->connections++;
    }
    if (t->ignored) return;
    pa_tx_touch(st->keep, &t->mark, p->frame_no);
    if ((p->tcp.flags & PA_TCP_RST) && !t->reset) {
        t->reset = true;
        t->conn.reset_frame = p->frame_no;
    }
    if (!p->payload_len) return;
    tls_dir *d = &t->dir[from];
    d->last_frame = p->frame_no;
    d->last_ts = p->ts_ns;
    ctx c = {st, t, p, from, p->frame_no, p->ts_ns, p->frame_no, p->ts_ns};
    if (pa_stream_segment(&d->stream, p->tcp.seq, p->tcp.flags & PA_TCP_SYN, p->payload, p->payload_len, p->frame_no,
                          p->ts_ns, sink, &c))
        st->streams_capped++;
    /* once the handshake is over, its buffers are not needed */
    if (t->conn.done_frame)
        for (int i = 0; i < 2; i++) {
            free(t->dir[i].hs);
            t->dir[i].hs = NULL;
            t->dir[i].hsn = t->dir[i].hscap = 0;
        }
}

void pa_tls_finish_flow(pa_tls_stats *st, pa_tls_flow *t) {
    if (!t || t->done) return;
    t->done = true;
    if (t->ignored) return;
    /* bytes still held behind a hole that never filled: parse them now */
    for (int side = 0; side < 2; side++) {
        tls_dir *d = &t->dir[side];
        if (!d->stream.nheld) continue;
        pa_packet p;
        memset(&p, 0, sizeof p);
        p.frame_no = d->last_frame;
        p.ts_ns = d->last_ts;
        bool from_client = t->client < 0 || side == t->client;
        p.src = from_client ? t->conn.client : t->conn.server;
        p.dst = from_client ? t->conn.server : t->conn.client;
        p.sport = from_client ? t->conn.cport : t->conn.sport;
        p.dport = from_client ? t->conn.sport : t->conn.cport;
        ctx c = {st, t, &p, side, p.frame_no, p.ts_ns, p.frame_no, p.ts_ns};
        pa_stream_flush(&d->stream, sink, &c);
    }
    pa_tls_conn *conn = &t->conn;
    /* an abbreviated handshake: the session id echoed, then straight to ChangeCipherSpec */
    if (t->maybe_resumed && t->client >= 0 && t->dir[!t->client].ccs) {
        conn->resumed = true;
        st->resumed++;
    }
    bool fatal = false;
    for (uint8_t i = 0; i < conn->nalerts; i++)
        if (conn->alerts[i].level == 2 && (!conn->done_frame || conn->alerts[i].frame < conn->done_frame)) fatal = true;
    pa_tls_outcome o;
    if (conn->done_frame)
        o = PA_TLS_OUT_COMPLETED;
    else if (fatal)
        o = PA_TLS_OUT_ALERT;
    else if (t->reset)
        o = PA_TLS_OUT_RESET;
    else if (!conn->ch_frame && !conn->sh_frame)
        o = PA_TLS_OUT_NOT_SEEN;
    else if (!conn->sh_frame)
        o = PA_TLS_OUT_NO_ANSWER;
    else
        o = PA_TLS_OUT_INCOMPLETE;
    conn->outcome = (uint8_t)o;
    pa_tx_end(st->keep, conn->first_frame, &t->mark);
    st->outcome[o]++;
    if (st->on_conn) st->on_conn(st->on_conn_ud, conn);
    if (st->nconns >= PA_TLS_MAX_CONNS) {
        st->conns_dropped++;
        return;
    }
    if (st->nconns == st->conncap) {
        size_t ncap = st->conncap ? st->conncap * 2 : 32;
        pa_tls_conn *v = realloc(st->conns, ncap * sizeof *v);
        if (!v) {
            st->conns_dropped++;
            return;
        }
        st->conns = v;
        st->conncap = ncap;
    }
    st->conns[st->nconns++] = *conn;
}

bool pa_tls_holds_data(const pa_tls_flow *t) { return t && (t->dir[0].stream.nheld || t->dir[1].stream.nheld); }

void pa_tls_free_flow(pa_tls_flow *t) {
    if (!t) return;
    for (int i = 0; i < 2; i++) {
        pa_stream_free(&t->dir[i].stream);
        free(t->dir[i].hs);
    }
    free(t);
}

static int by_first_frame(const void *x, const void *y) {
    const pa_tls_conn *a = x, *b = y;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

static void drop_decoded(pa_tls_stats *st) {
    for (size_t i = 0; i < st->ncerts; i++) {
        pa_x509_free(st->certs[i].x509);
        st->certs[i].x509 = NULL;
    }
}

void pa_tls_finish(pa_tls_stats *st) {
    if (st->nconns > 1) qsort(st->conns, st->nconns, sizeof *st->conns, by_first_frame);
    drop_decoded(st);
}

void pa_tls_stats_free(pa_tls_stats *st) {
    drop_decoded(st);
    free(st->conns);
    free(st->certs);
    free(st->cert_index);
    st->conns = NULL;
    st->certs = NULL;
    st->cert_index = NULL;
    st->nconns = st->ncerts = 0;
}
