/* QUIC connections: one per UDP flow (keyed by its stream number), their
 * Initial packets decrypted, the CRYPTO stream reassembled to the
 * ClientHello and ServerHello, and what the long headers say (versions,
 * connection IDs, Retry, Version Negotiation). Short-header packets are
 * recognised by the connection IDs the long headers announced. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quic_analyzer.h"
#include "tls_names.h"
#include "tls_parse.h"

#define MAP_CAP (PA_QUIC_MAX_CONNS * 2)
#define MAP_EMPTY (-1)
#define CONN_IGNORED UINT32_MAX /* a connection a display filter left out */
#define SCRATCH 65536           /* the largest UDP payload */

int pa_quic_init(pa_quic_stats *st) {
    memset(st, 0, sizeof *st);
    st->map_key = malloc(MAP_CAP * sizeof *st->map_key);
    st->map_val = malloc(MAP_CAP * sizeof *st->map_val);
    st->scratch = malloc(SCRATCH);
    if (!st->map_key || !st->map_val || !st->scratch) {
        pa_quic_free(st);
        return -1;
    }
    for (size_t i = 0; i < MAP_CAP; i++) st->map_key[i] = MAP_EMPTY;
    return 0;
}

static size_t slot_of(int64_t key) { return (size_t)(((uint64_t)key * 0x9E3779B97F4A7C15ull) >> 32) % MAP_CAP; }

/* the index of stream's connection, or NULL when none: *val receives it */
static bool map_find(const pa_quic_stats *st, int64_t key, uint32_t *val) {
    for (size_t i = slot_of(key), k = 0; k < MAP_CAP; i = (i + 1) % MAP_CAP, k++) {
        if (st->map_key[i] == MAP_EMPTY) return false;
        if (st->map_key[i] == key) {
            *val = st->map_val[i];
            return true;
        }
    }
    return false;
}

static bool map_put(pa_quic_stats *st, int64_t key, uint32_t val) {
    /* kept three-quarters full at most, so that probes stay short */
    if (st->map_used >= MAP_CAP / 4 * 3) return false;
    size_t i = slot_of(key);
    while (st->map_key[i] != MAP_EMPTY) i = (i + 1) % MAP_CAP;
    st->map_key[i] = key;
    st->map_val[i] = val;
    st->map_used++;
    return true;
}

static pa_quic_conn *lookup(pa_quic_stats *st, int64_t stream, bool *ignored) {
    uint32_t v;
    *ignored = false;
    if (stream < 0 || !map_find(st, stream, &v)) return NULL;
    if (v == CONN_IGNORED) {
        *ignored = true;
        return NULL;
    }
    return &st->conns[v];
}

static pa_quic_conn *create(pa_quic_stats *st, const pa_packet *p, int64_t stream, bool *ignored) {
    if (!pa_tx_kept(st->keep, p->frame_no)) {
        *ignored = map_put(st, stream, CONN_IGNORED);
        return NULL;
    }
    if (st->nconns >= PA_QUIC_MAX_CONNS) return NULL;
    if (st->nconns == st->conns_alloc) {
        uint32_t a = st->conns_alloc ? st->conns_alloc * 2 : 16;
        pa_quic_conn *c = realloc(st->conns, (size_t)a * sizeof *c);
        if (!c) return NULL;
        st->conns = c;
        st->conns_alloc = a;
    }
    if (!map_put(st, stream, st->nconns)) return NULL;
    pa_quic_conn *c = &st->conns[st->nconns];
    memset(c, 0, sizeof *c);
    c->number = st->nconns++;
    c->stream = stream;
    c->first_frame = p->frame_no;
    c->first_ns = c->last_ns = p->ts_ns;
    c->largest_pn[0] = c->largest_pn[1] = -1;
    c->first_initial_ns = c->handshake_ns = c->hs_client_handshake_ns = c->hs_client_short_ns = c->sh_ns = -1;
    return c;
}

/* 0: from the client, 1: from the server, -1: not known yet */
static int side_of(const pa_quic_conn *c, const pa_packet *p) {
    if (!c->client_known) return -1;
    bool from_client = p->sport == c->client_port && p->src.family == c->client_addr.family &&
                       memcmp(p->src.b, c->client_addr.b, sizeof p->src.b) == 0;
    return from_client ? 0 : 1;
}

static void set_client(pa_quic_conn *c, const pa_addr *a, uint16_t port, const pa_addr *server, uint16_t sport) {
    c->client_known = true;
    c->client_addr = *a;
    c->client_port = port;
    c->server_addr = *server;
    c->server_port = sport;
}

static struct pa_quic_frame_pkt *frame_pkt(pa_app_env *env) {
    pa_quic_frame *fr = env->frame;
    if (!fr || fr->npkt >= PA_QUIC_COALESCED) return NULL;
    fr->present = true;
    struct pa_quic_frame_pkt *fp = &fr->pkt[fr->npkt++];
    memset(fp, 0, sizeof *fp);
    fp->conn = -1;
    return fp;
}

static void note_version(pa_quic_conn *c, uint32_t v) {
    for (uint8_t i = 0; i < c->nversions; i++)
        if (c->versions[i] == v) return;
    if (c->nversions < PA_QUIC_CONN_VERSIONS) c->versions[c->nversions++] = v;
}

static void drop_stream(pa_quic_stats *st, pa_quic_conn *c, int side) {
    if (!c->crypto[side]) return;
    st->reasm_bytes -= pa_quic_stream_memory(c->crypto[side]);
    pa_quic_stream_free(c->crypto[side]);
    free(c->crypto[side]);
    c->crypto[side] = NULL;
}

/* The first max entries of a hello list, GREASE left out. */
static void keep(const pa_tls_list *l, uint16_t *out, size_t max, uint8_t *n) {
    *n = 0;
    for (uint16_t i = 0; i < l->n && *n < max; i++)
        if (!pa_tls_is_grease(l->v[i])) out[(*n)++] = l->v[i];
}

static void client_hello(pa_quic_conn *c, const uint8_t *body, size_t len) {
    pa_tls_hello h;
    if (pa_tls_parse_hello(body, len, true, &h) != PA_TLS_PARSE_OK) return;
    c->has_client_hello = true;
    if (h.has_sni) snprintf(c->sni, sizeof c->sni, "%s", h.sni);
    if (h.has_alpn) snprintf(c->alpn, sizeof c->alpn, "%s", h.alpn);
    c->nciphers = 0;
    for (uint16_t i = 0; i < h.ciphers.n && c->nciphers < PA_QUIC_CONN_CIPHERS; i++)
        c->ciphers[c->nciphers++] = h.ciphers.v[i];
    c->ciphers_total = h.ciphers.total;
    keep(&h.exts, c->exts, sizeof c->exts / 2, &c->nexts);
    keep(&h.groups, c->groups, sizeof c->groups / 2, &c->ngroups);
    keep(&h.sigalgs, c->sigalgs, sizeof c->sigalgs / 2, &c->nsigalgs);
    keep(&h.key_shares, c->shares, sizeof c->shares / 2, &c->nshares);
    pa_tls_ja4_over(&h, 'q', c->ja4);
    /* the highest version offered, the one known until the server says which */
    uint16_t v = h.legacy_version;
    for (uint16_t i = 0; i < h.versions.n; i++)
        if ((h.versions.v[i] & 0x0f0f) != 0x0a0a && h.versions.v[i] > v) v = h.versions.v[i];
    c->offered_version = v;
    if (!c->has_server_hello) c->tls_version = v;
}

static void server_hello(pa_quic_conn *c, const uint8_t *body, size_t len) {
    pa_tls_hello h;
    if (pa_tls_parse_hello(body, len, false, &h) != PA_TLS_PARSE_OK || h.hrr) return;
    c->has_server_hello = true;
    if (h.ciphers.n) c->cipher = h.ciphers.v[0];
    if (h.key_shares.n) c->group = h.key_shares.v[0];
    c->tls_version = h.version;
}

/* CRYPTO data of one side: reassembled until its first handshake message is whole. */
static void crypto_data(pa_quic_stats *st, pa_quic_conn *c, int side, const struct pa_quic_crypto_frame *f,
                        const pa_packet *p) {
    if (side ? c->has_server_hello : c->has_client_hello) return;
    if (!c->crypto[side]) {
        if (st->reasm_bytes >= PA_QUIC_REASM_BUDGET || !(c->crypto[side] = calloc(1, sizeof *c->crypto[side]))) {
            st->reasm_refused++;
            return;
        }
    }
    size_t grown = 0;
    bool ok = st->reasm_bytes < PA_QUIC_REASM_BUDGET &&
              pa_quic_stream_add(c->crypto[side], f->offset, f->data, (size_t)f->length, &grown);
    st->reasm_bytes += grown;
    if (!ok) {
        st->reasm_refused++;
        return;
    }
    uint8_t type;
    const uint8_t *body;
    size_t len;
    if (!pa_quic_stream_message(c->crypto[side], &type, &body, &len)) return;
    if (side == 0 && type == PA_TLS_HS_CLIENT_HELLO) {
        client_hello(c, body, len);
        if (c->has_client_hello) c->ch_frame = p->frame_no;
    }
    if (side == 1 && type == PA_TLS_HS_SERVER_HELLO) {
        server_hello(c, body, len);
        if (c->has_server_hello) {
            c->sh_frame = p->frame_no;
            c->sh_ns = p->ts_ns;
        }
    }
    drop_stream(st, c, side); /* the first message is whole: the rest is not ours to read */
}

static bool same_cid(const pa_quic_cid *a, const pa_quic_cid *b) {
    return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

static bool rekey(pa_quic_conn *c, uint32_t version, const pa_quic_cid *dcid) {
    c->odcid = *dcid;
    c->key_version = version;
    c->rekey_on_next_initial = false;
    c->keys_ok = pa_quic_initial_keys(version, dcid->b, dcid->len, &c->keys[0], &c->keys[1]);
    return c->keys_ok;
}

static bool try_decrypt(pa_quic_stats *st, const pa_quic_conn *c, int side, const uint8_t *d, const pa_quic_pkt *pkt,
                        const uint8_t **pl, size_t *pl_len, uint64_t *pn) {
    memcpy(st->scratch, d + pkt->offset, pkt->size);
    return pa_quic_decrypt(&c->keys[side], st->scratch, pkt->size, pkt->pn_offset, c->largest_pn[side], pl, pl_len, pn);
}

static void initial(pa_quic_stats *st, pa_app_env *env, pa_quic_conn *c, int side, const pa_packet *p, const uint8_t *d,
                    const pa_quic_pkt *pkt, struct pa_quic_frame_pkt *fp) {
    if (side == 0) {
        if (c->first_initial_ns < 0) c->first_initial_ns = p->ts_ns;
        if (!c->keys_ok || c->rekey_on_next_initial || pkt->version != c->key_version)
            rekey(c, pkt->version, &pkt->dcid);
    }
    if (side < 0 || !c->keys_ok || pkt->size > SCRATCH) {
        c->initial_failed++;
        st->initial_failed++;
        return;
    }
    const uint8_t *pl;
    size_t pl_len;
    uint64_t pn;
    bool ok = try_decrypt(st, c, side, d, pkt, &pl, &pl_len, &pn);
    /* a client that starts a new connection on the same ports: its DCID is new */
    if (!ok && side == 0 && !same_cid(&pkt->dcid, &c->odcid) && rekey(c, pkt->version, &pkt->dcid))
        ok = try_decrypt(st, c, side, d, pkt, &pl, &pl_len, &pn);
    if (!ok) {
        c->initial_failed++;
        st->initial_failed++;
        return;
    }
    c->initial_decrypted++;
    st->initial_decrypted++;
    if ((int64_t)pn > c->largest_pn[side]) c->largest_pn[side] = (int64_t)pn;
    pa_quic_frames f;
    pa_quic_parse_frames(pl, pl_len, &f); /* what came before a bad frame still counts */
    pa_quic_frame *fr = env->frame;
    if (fp) {
        fp->has_pn = true;
        fp->pn = pn;
        for (uint8_t i = 0; i < f.ntype && fr->nftype < PA_QUIC_FRAME_FT; i++) fr->ftype[fr->nftype++] = f.type[i];
        for (uint8_t i = 0; i < f.ncrypto && fr->ncrypto < PA_QUIC_FRAME_FT; i++) {
            fr->crypto_off[fr->ncrypto] = f.crypto[i].offset;
            fr->crypto_len[fr->ncrypto++] = f.crypto[i].length;
        }
        if (f.has_close && fr->nclose < PA_QUIC_COALESCED) {
            fr->close_app[fr->nclose] = f.close_app;
            fr->close_code[fr->nclose++] = f.close_code;
        }
    }
    for (uint8_t i = 0; i < f.ncrypto; i++) crypto_data(st, c, side, &f.crypto[i], p);
    if (f.has_close) {
        c->closed = true;
        c->close_frame = p->frame_no;
        c->close_app = f.close_app;
        c->close_by_server = side == 1;
        c->close_code = f.close_code;
        size_t n = f.reason_len < PA_QUIC_REASON_MAX - 1 ? f.reason_len : PA_QUIC_REASON_MAX - 1;
        /* printable ASCII only: the reason is the peer's free text */
        for (size_t i = 0; i < n; i++)
            c->close_reason[i] = f.reason[i] >= 0x20 && f.reason[i] < 0x7f ? (char)f.reason[i] : '.';
        c->close_reason[n] = '\0';
    }
}

static void long_packet(pa_quic_stats *st, pa_app_env *env, const pa_packet *p, int64_t stream, const uint8_t *d,
                        const pa_quic_pkt *pkt, pa_quic_conn **cp, bool counts) {
    if (counts) st->packets[pkt->type]++;
    struct pa_quic_frame_pkt *fp = frame_pkt(env);
    if (fp) {
        fp->is_long = true;
        fp->raw_type = pkt->raw_type;
        fp->version = pkt->version;
        fp->has_dcid = pkt->dcid.len > 0;
        fp->dcid = pkt->dcid;
        fp->has_scid = pkt->scid.len > 0;
        fp->scid = pkt->scid;
    }
    bool ignored = false;
    if (!*cp && stream >= 0) {
        *cp = create(st, p, stream, &ignored);
        if (!*cp && !ignored && pkt->type == PA_QUIC_INITIAL && counts) st->conns_overflow++;
    }
    pa_quic_conn *c = *cp;
    if (!c) return;
    if (fp) fp->conn = c->number;
    pa_tx_touch(st->keep, &c->mark, p->frame_no);
    c->last_ns = p->ts_ns;
    if (!c->client_known) {
        if (pkt->type == PA_QUIC_INITIAL || pkt->type == PA_QUIC_0RTT)
            set_client(c, &p->src, p->sport, &p->dst, p->dport);
        if (pkt->type == PA_QUIC_VERSION_NEG || pkt->type == PA_QUIC_RETRY)
            set_client(c, &p->dst, p->dport, &p->src, p->sport);
    }
    int side = side_of(c, p);
    if (side >= 0) c->packets[side]++;
    if (pkt->version) note_version(c, pkt->version);
    if (side == 0 && pkt->type != PA_QUIC_VERSION_NEG) c->client_cid = pkt->scid;
    if (side == 1 && pkt->type != PA_QUIC_VERSION_NEG) {
        c->server_cid = pkt->scid;
        c->has_server_cid = true;
    }
    switch (pkt->type) {
    case PA_QUIC_VERSION_NEG:
        c->version_negotiation = true;
        memcpy(c->vn_versions, pkt->versions, sizeof c->vn_versions);
        c->nvn_versions = pkt->nversions;
        break;
    case PA_QUIC_RETRY:
        c->retry = true;
        c->rekey_on_next_initial = true; /* the client's next Initial goes to the Retry's SCID */
        break;
    case PA_QUIC_INITIAL: initial(st, env, c, side, p, d, pkt, fp); break;
    case PA_QUIC_HANDSHAKE:
        if (side == 0 && c->hs_client_handshake_ns < 0 && c->first_initial_ns >= 0) {
            c->hs_client_handshake_ns = p->ts_ns - c->first_initial_ns;
            c->hs_client_handshake_frame = p->frame_no;
        }
        break;
    default: break;
    }
}

/* A 1-RTT packet of c: its DCID is one the long headers announced. */
static bool short_packet(pa_quic_stats *st, pa_app_env *env, const pa_packet *p, pa_quic_conn *c, const uint8_t *d,
                         size_t n, bool counts) {
    pa_quic_cid cids[2];
    int sides[2];
    size_t k = 0, which = 0;
    /* the client sends to the server's CID, the server to the client's */
    if (c->has_server_cid) {
        cids[k] = c->server_cid;
        sides[k++] = 0;
    }
    if (c->client_known) {
        cids[k] = c->client_cid;
        sides[k++] = 1;
    }
    bool known = pa_quic_short_match(d, n, cids, k, &which);
    int side = side_of(c, p);
    if (known && side >= 0 && side != sides[which]) known = false; /* a CID the other side owns */
    /* On a flow already QUIC, a short header to a CID we could not see (one
     * a NEW_CONNECTION_ID frame gave, encrypted) is still this connection's,
     * as tshark counts it; its DCID length is unknown, so it is not shown. */
    if (!known && !(n >= 21 && (d[0] & 0xc0) == 0x40)) return false;
    if (counts) st->packets[PA_QUIC_SHORT]++;
    pa_tx_touch(st->keep, &c->mark, p->frame_no);
    c->last_ns = p->ts_ns;
    if (side >= 0) c->packets[side]++;
    if (side == 0 && c->hs_client_short_ns < 0 && c->first_initial_ns >= 0) {
        c->hs_client_short_ns = p->ts_ns - c->first_initial_ns;
        c->hs_client_short_frame = p->frame_no;
    }
    struct pa_quic_frame_pkt *fp = frame_pkt(env);
    if (fp) {
        fp->has_dcid = known && cids[which].len > 0;
        if (known) fp->dcid = cids[which];
        if (known) fp->conn = c->number; /* tshark says "unknown connection" otherwise */
    }
    return true;
}

void pa_quic_datagram(pa_quic_stats *st, pa_app_env *env, const pa_packet *p, int64_t stream) {
    if (p->l4 != PA_P_UDP || !p->payload_len || !p->payload) return;
    if (p->app == PA_P_GQUIC) { /* named by its look, not decoded */
        if (pa_tx_counts(st->keep, p->frame_no)) st->gquic_datagrams++;
        return;
    }
    bool ignored;
    pa_quic_conn *c = lookup(st, stream, &ignored);
    if (ignored || (p->app != PA_P_QUIC && !c)) return;
    bool counts = pa_tx_counts(st->keep, p->frame_no);
    const uint8_t *d = p->payload;
    size_t n = p->payload_len;
    pa_quic_dgram g;
    bool any = false;
    if ((d[0] & 0x80) && pa_quic_parse(d, n, &g)) {
        any = true;
        for (uint8_t i = 0; i < g.n; i++) long_packet(st, env, p, stream, d, &g.pkt[i], &c, counts);
        if (g.short_trailer && c) short_packet(st, env, p, c, d + g.short_offset, n - g.short_offset, counts);
    } else if (!(d[0] & 0x80) && c) {
        any = short_packet(st, env, p, c, d, n, counts);
    }
    if (!counts) return;
    if (any)
        st->datagrams++;
    else
        st->not_quic++;
}

void pa_quic_finish(pa_quic_stats *st, pa_app_env *env) {
    for (uint32_t i = 0; i < st->nconns; i++) {
        pa_quic_conn *c = &st->conns[i];
        /* the client's Handshake packet when there is one (it answers the
         * server's first flight); else its first 1-RTT packet */
        if (c->hs_client_handshake_ns >= 0) {
            c->handshake_ns = c->hs_client_handshake_ns;
            c->handshake_end = PA_QUIC_HS_HANDSHAKE;
            c->done_frame = c->hs_client_handshake_frame;
        } else if (c->hs_client_short_ns >= 0) {
            c->handshake_ns = c->hs_client_short_ns;
            c->handshake_end = PA_QUIC_HS_SHORT;
            c->done_frame = c->hs_client_short_frame;
        }
        drop_stream(st, c, 0);
        drop_stream(st, c, 1);
        pa_tx_end(st->keep, c->first_frame, &c->mark);
        if (env && env->on_event) env->on_event(env->on_event_ud, PA_AN_quic, &(pa_quic_event_conn){c});
    }
}

void pa_quic_free(pa_quic_stats *st) {
    for (uint32_t i = 0; i < st->nconns; i++) {
        drop_stream(st, &st->conns[i], 0);
        drop_stream(st, &st->conns[i], 1);
    }
    free(st->conns);
    free(st->map_key);
    free(st->map_val);
    free(st->scratch);
    st->conns = NULL;
    st->map_key = NULL;
    st->map_val = NULL;
    st->scratch = NULL;
    st->nconns = st->conns_alloc = 0;
}

size_t pa_quic_memory(const pa_quic_stats *st) {
    return (size_t)st->conns_alloc * sizeof *st->conns + MAP_CAP * (sizeof *st->map_key + sizeof *st->map_val) +
           SCRATCH + st->reasm_bytes;
}
