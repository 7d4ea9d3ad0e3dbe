/* Multipath TCP: the subflows of one connection named alike.
 *
 * The first subflow's MP_CAPABLE options carry both sides' keys (RFC 6824
 * 3.1, version 0: the sender's key in the SYN and the SYN/ACK, both in the
 * third ACK; RFC 8684 3.1, version 1: the sender's in the SYN/ACK, both in
 * the third ACK and the first data). A connection is known by the token of
 * each key: the most significant 32 bits of its SHA-1 (version 0) or
 * SHA-256 (version 1) hash. A later subflow starts with an MP_JOIN SYN that
 * names the receiver's token; its bytes continue the connection's data
 * stream from wherever the sender put them, so no look can name it (an SSH
 * subflow has no identification string): it takes the connection's name,
 * as tshark's MPTCP analysis links the subflows. Tokens live in a capped
 * table (PA_MAX_MPTCP_TOKENS); the keys beyond it are counted. */
#include <string.h>

#include "digest.h"
#include "fold.h"

/* The token of a key, or false when the version names no hash we know. */
static bool token_of(uint8_t version, uint64_t key, uint32_t *token) {
    uint8_t be[8], md[32];
    for (int i = 0; i < 8; i++) be[i] = (uint8_t)(key >> (56 - 8 * i));
    pa_md alg = version == 0 ? PA_MD_SHA1 : version == 1 ? PA_MD_SHA256 : PA_MD_COUNT;
    if (alg == PA_MD_COUNT || pa_digest(alg, be, sizeof be, md) < 4) return false;
    *token = (uint32_t)md[0] << 24 | (uint32_t)md[1] << 16 | (uint32_t)md[2] << 8 | md[3];
    return true;
}

static void remember(pa_model *m, pa_flow *f, int side, uint8_t version, uint64_t key) {
    if (f->mp_keys & (1u << side)) return;
    uint32_t token;
    if (!token_of(version, key, &token)) return;
    f->mp_keys |= (uint8_t)(1u << side);
    f->mp_token[side] = token;
    bool created;
    pa_mptcp_token *t = pa_htab_upsert(&m->mptcp, &token, &created);
    if (!t) {
        m->mptcp_tokens_dropped++;
        return;
    }
    /* a later connection with the same token is the one a join means */
    t->stream = f->stream;
    t->app = f->app;
}

void pa_fold_mptcp(pa_model *m, pa_flow *f, const pa_packet *p, int side) {
    const pa_tcp_info *t = &p->tcp;
    if (t->mp_capable) {
        if (t->has_sendkey) remember(m, f, side, t->mp_version, t->sendkey);
        if (t->has_recvkey) remember(m, f, !side, t->mp_version, t->recvkey);
    }
    if (t->has_recvtok && (t->flags & (PA_TCP_SYN | PA_TCP_ACK)) == PA_TCP_SYN) {
        f->mp_join = true;
        f->mp_join_token = t->recvtok;
    }
    /* the connection's name, for the subflows that join it later */
    if (f->mp_keys && f->mp_app != f->app) {
        f->mp_app = f->app;
        for (int s = 0; s < 2; s++) {
            pa_mptcp_token *e = (f->mp_keys & (1u << s)) ? pa_htab_find(&m->mptcp, &f->mp_token[s]) : NULL;
            if (e && e->stream == f->stream) e->app = f->app;
        }
    }
}

uint8_t pa_fold_mptcp_joined(pa_model *m, pa_flow *f) {
    if (!f->mp_join) return PA_P_NONE;
    const pa_mptcp_token *e = pa_htab_find(&m->mptcp, &f->mp_join_token);
    if (!e || e->stream == f->stream || e->app == PA_P_NONE || e->app == PA_P_DATA) return PA_P_NONE;
    f->mp_continued = true;
    m->mptcp_subflows++;
    return e->app;
}
