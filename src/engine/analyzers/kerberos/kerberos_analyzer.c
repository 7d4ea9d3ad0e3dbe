/* Kerberos hooks: datagrams and connections on port 88 named by their bytes
 * (a message's application tag, its DER length, pvno 5), as tshark names the
 * port it registers; UDP datagrams of a Kerberos pair's conversation on
 * another port (krb524) when their bytes parse. */
#include "kerberos_analyzer.h"

#include <stddef.h>

#include "cursor.h"

/* UDP: the datagram is one whole message. */
static bool look_udp(const pa_packet *p) {
    return p->l4 == PA_P_UDP && pa_krb_looks(p->payload, p->payload_len, p->payload_len);
}

/* TCP: a record length (top bit reserved) and the start of a message whose
 * DER length is the record's. */
static bool look_tcp(const pa_packet *p) {
    pa_cur c = pa_cur_make(p->payload, p->payload_len);
    uint32_t len;
    if (p->l4 != PA_P_TCP || !pa_cur_be32(&c, &len)) return false;
    len &= 0x7fffffffu;
    return len <= PA_KRB_RECORD_MAX && pa_krb_looks(c.p, c.len < len ? c.len : len, len);
}

static const pa_app_look looks[] = {{PA_P_UDP, 88, PA_P_KERBEROS, look_udp, NULL, false},
                                    {PA_P_TCP, 88, PA_P_KERBEROS, look_tcp, NULL, false},
                                    {0, 0, 0, NULL, NULL, false}};

static int init(void *stats) { return pa_krb_init(stats); }

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)sec;
    pa_kerberos_stats *st = stats;
    st->ex = ex;
    st->keep = keep;
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    (void)stream;
    pa_kerberos_stats *st = stats;
    if (p->l4 != PA_P_UDP || !p->payload_len) return;
    if ((p->app == PA_P_NONE || p->app == PA_P_DATA) && pa_krb_conversation(st, p))
        env->named = PA_P_KERBEROS;
    else if (p->app != PA_P_KERBEROS)
        return;
    pa_krb_datagram(st, p, env->frame);
}

static void segment(void *stats, pa_app_env *env, void **state, const pa_app_segment *s) {
    if (s->app != PA_P_KERBEROS) return;
    pa_krb_flow *f = *state;
    env->pdus += pa_krb_segment(stats, &f, s->p, s->from, s->tcp, env->frame);
    *state = f;
}

static void finish(void *stats) { pa_krb_finish(stats); }
static void free_stats(void *stats) { pa_krb_stats_free(stats); }
static void flow_finish(void *stats, void *state) { pa_krb_finish_flow(stats, state); }
static void flow_free(void *state) { pa_krb_free_flow(state); }
static bool flow_holds_data(const void *state) { return pa_krb_holds_data(state); }

static size_t memory(const void *stats) {
    const pa_kerberos_stats *st = stats;
    return st->cap * sizeof(pa_krb_tx) + pa_htab_memory(&st->pairs);
}

static void frame_reset(void *frame) {
    pa_krb_frame *f = frame;
    f->present = false;
    f->nmsgs = 0;
}

static bool frame_has(const void *frame) { return ((const pa_krb_frame *)frame)->present; }

static const pa_app_cap caps[] = {
    {"kerberos_transactions_listed", PA_KRB_MAX_TX, offsetof(pa_kerberos_stats, tx_dropped),
     "Kerberos requests beyond the cap: counted, not listed or timed (their replies count as orphans)"},
    {"kerberos_pending_requests", PA_KRB_PENDING, offsetof(pa_kerberos_stats, pending_dropped),
     "Kerberos requests given up as unanswered because more were waiting on one client-server pair"},
    {"kerberos_udp_pairs", PA_KRB_MAX_PAIRS, offsetof(pa_kerberos_stats, pairs_dropped),
     "Kerberos requests over UDP of client-server pairs beyond the cap: counted, not paired or timed"},
    {"kerberos_record_bytes", PA_KRB_RECORD_MAX, offsetof(pa_kerberos_stats, records_too_long),
     "Kerberos TCP records longer than the cap: that direction of the connection is not followed further"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_kerberos = {
    .name = "kerberos",
    .proto = PA_P_KERBEROS,
    .looks = looks,
    .pdu_frames = true,
    .init = init,
    .link = set_links,
    .finish = finish,
    .free = free_stats,
    .memory = memory,
    .packet = packet,
    .segment = segment,
    .flow_finish = flow_finish,
    .flow_free = flow_free,
    .flow_holds_data = flow_holds_data,
    .frame_size = sizeof(pa_krb_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_kerberos_field_values,
};
