/* LDAP hooks: TCP flows on 389 and 3268 (the global catalog) and UDP
 * datagrams on 389 (CLDAP), named only when their bytes start an
 * LDAPMessage; a TCP connection until StartTLS hands it to TLS. */
#include "ldap_analyzer.h"

#include <stddef.h>

/* Wireshark registers LDAP on these ports with no heuristic: here the
 * port and the bytes together name it (a SEQUENCE, an INTEGER messageID
 * and a known operation tag of the right form that fits the message). */
static bool look(const pa_packet *p) { return pa_ldap_looks(p->payload, p->payload_len); }

static const pa_app_look looks[] = {{PA_P_TCP, 389, PA_P_LDAP, look, NULL, false},
                                    {PA_P_TCP, 3268, PA_P_LDAP, look, NULL, false},
                                    {PA_P_UDP, 389, PA_P_CLDAP, look, NULL, false},
                                    {0, 0, 0, NULL, NULL, false}};

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    pa_ldap_stats *st = stats;
    st->ex = ex;
    st->sec = sec;
    st->keep = keep;
}

static void segment(void *stats, pa_app_env *env, void **state, const pa_app_segment *s) {
    /* after StartTLS the TLS analyzer holds the flow */
    if (s->app != PA_P_LDAP || (s->attached & PA_AN_BIT(tls))) return;
    pa_ldap_flow *f = *state;
    env->pdus += pa_ldap_segment(stats, &f, s->p, s->from, s->tcp, s->stream, env->frame);
    *state = f;
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    if (p->l4 != PA_P_UDP || p->app != PA_P_CLDAP || !p->payload_len) return;
    pa_ldap_datagram(stats, p, stream, env->frame);
}

static void flow_finish(void *stats, void *state) { pa_ldap_finish_flow(stats, state); }
static void flow_free(void *state) { pa_ldap_free_flow(state); }
static void finish(void *stats) { pa_ldap_finish(stats); }
static void free_stats(void *stats) { pa_ldap_stats_free(stats); }

static size_t memory(const void *stats) { return pa_ldap_memory(stats); }

static void frame_reset(void *frame) {
    pa_ldap_frame *f = frame;
    f->present = f->cldap = false;
    f->nmsg = 0;
}

static bool frame_has(const void *frame) { return ((const pa_ldap_frame *)frame)->present; }

static const pa_app_cap caps[] = {
    {"ldap_operations_listed", PA_LDAP_MAX_TX, offsetof(pa_ldap_stats, tx_dropped),
     "LDAP requests beyond the cap: counted, not listed or timed"},
    {"ldap_pending_requests", PA_LDAP_PENDING, offsetof(pa_ldap_stats, pending_dropped),
     "LDAP requests not awaited because too many waited on one connection (or CLDAP, 4096 in all): not timed"},
    {"ldap_message_bytes", PA_LDAP_MSG_MAX, offsetof(pa_ldap_stats, too_long),
     "LDAP messages longer than the cap: skipped unparsed"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_ldap = {
    .name = "ldap",
    .proto = PA_P_LDAP,
    .looks = looks,
    .pdu_frames = true,
    .link = set_links,
    .finish = finish,
    .free = free_stats,
    .memory = memory,
    .packet = packet,
    .segment = segment,
    .flow_finish = flow_finish,
    .flow_free = flow_free,
    .frame_size = sizeof(pa_ldap_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_ldap_field_values,
};
