/* SNMP hooks: each UDP datagram named SNMP is one message; over TCP (RFC
 * 3430) each segment that holds whole messages. */
#include "snmp_analyzer.h"

#include <stddef.h>

/* On the agent and trap ports only, and only when the bytes are SNMP's: a
 * SEQUENCE spanning the payload, then the version 0, 1 or 3. A port never
 * names a datagram alone. */
static bool look(const pa_packet *p) {
    pa_snmp_msg m;
    return pa_snmp_parse(p->payload, p->payload_len, &m) != PA_SNMP_NOT;
}

static const pa_app_look looks[] = {{PA_P_UDP, 161, PA_P_SNMP, look, NULL, false},
                                    {PA_P_UDP, 162, PA_P_SNMP, look, NULL, false},
                                    {PA_P_TCP, 161, PA_P_SNMP, look, NULL, false},
                                    {PA_P_TCP, 162, PA_P_SNMP, look, NULL, false},
                                    {0, 0, 0, NULL, NULL, false}};

static int init(void *stats) { return pa_snmp_stats_init(stats); }

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)ex;
    pa_snmp_stats *st = stats;
    st->sec = sec;
    st->keep = keep;
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    pa_snmp_stats *st = stats;
    if (p->app != PA_P_SNMP || !p->payload_len) return;
    pa_snmp_msg m;
    pa_snmp_status s = pa_snmp_parse(p->payload, p->payload_len, &m);
    if (s == PA_SNMP_NOT) return; /* a TCP segment in mid-message */
    pa_snmp_frame *fr = env->frame;
    if (fr) {
        fr->present = true;
        fr->msg = m;
    }
    /* with a display filter, only the frames it matched count */
    if (!pa_tx_counts(st->keep, p->frame_no)) return;
    if (s == PA_SNMP_MALFORMED) {
        st->malformed++;
        return;
    }
    pa_snmp_message(st, p, stream, &m, p->l4 == PA_P_TCP);
}

static void finish(void *stats) { pa_snmp_finish(stats); }
static void free_stats(void *stats) { pa_snmp_stats_free(stats); }

static size_t memory(const void *stats) {
    const pa_snmp_stats *st = stats;
    return st->cap * sizeof(pa_snmp_tx) + pa_htab_memory(&st->pending) + pa_htab_memory(&st->communities) +
           pa_htab_memory(&st->users);
}

static void frame_reset(void *frame) { ((pa_snmp_frame *)frame)->present = false; }
static bool frame_has(const void *frame) { return ((const pa_snmp_frame *)frame)->present; }

static const pa_app_cap caps[] = {
    {"snmp_pending_requests", PA_SNMP_MAX_PENDING, offsetof(pa_snmp_stats, pending_dropped),
     "SNMP requests beyond the cap of requests awaiting a response: not timed, their responses orphans"},
    {"snmp_transactions_listed", PA_SNMP_MAX_TX, offsetof(pa_snmp_stats, tx_dropped),
     "SNMP request -> response pairs beyond the cap: counted, not listed or timed"},
    {"snmp_communities", PA_SNMP_MAX_COMMUNITIES, offsetof(pa_snmp_stats, communities_dropped),
     "SNMP messages with communities (per agent) beyond the cap: not counted per community"},
    {"snmp_users", PA_SNMP_MAX_USERS, offsetof(pa_snmp_stats, users_dropped),
     "SNMPv3 messages of user names beyond the cap: not counted per user"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_snmp = {
    .name = "snmp",
    .proto = PA_P_SNMP,
    .looks = looks,
    .init = init,
    .link = set_links,
    .finish = finish,
    .free = free_stats,
    .memory = memory,
    .packet = packet,
    .packet_tcp = true,
    .frame_size = sizeof(pa_snmp_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_snmp_field_values,
};
