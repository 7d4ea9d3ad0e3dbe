/* DHCP hooks: each UDP datagram named DHCP is one message. */
#include "dhcp_analyzer.h"

#include <stddef.h>

/* On the BOOTP ports only, and only when the bytes are BOOTP's: op 1 or 2,
 * a hardware address length that fits chaddr, the fixed header whole, the
 * magic cookie when options follow. The lower port is asked first, so a
 * 67 <-> 68 exchange is named by either line. */
static bool look(const pa_packet *p) { return pa_dhcp_header_ok(p->payload, p->payload_len); }

static const pa_app_look looks[] = {{PA_P_UDP, 67, PA_P_DHCP, look, NULL, false},
                                    {PA_P_UDP, 68, PA_P_DHCP, look, NULL, false},
                                    {0, 0, 0, NULL, NULL, false}};

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)sec;
    pa_dhcp_stats *st = stats;
    st->ex = ex;
    st->keep = keep;
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    (void)stream;
    pa_dhcp_stats *st = stats;
    if (p->l4 != PA_P_UDP || p->app != PA_P_DHCP || !p->payload_len) return;
    /* with a display filter, only the frames it matched count */
    if (!pa_tx_counts(st->keep, p->frame_no)) return;
    pa_dhcp_msg m;
    pa_dhcp_status s = pa_dhcp_parse(p->payload, p->payload_len, &m);
    if (s == PA_DHCP_NOT) return;
    pa_dhcp_frame *fr = env->frame;
    if (fr) {
        fr->present = true;
        fr->msg = m;
    }
    if (s == PA_DHCP_MALFORMED) {
        st->malformed++;
        if (st->ex) pa_expert_add(st->ex, PA_EX_DHCP_MALFORMED, p->frame_no);
    }
    if (st->ex && m.type == PA_DHCP_NAK) pa_expert_add(st->ex, PA_EX_DHCP_NAK, p->frame_no, (unsigned)m.xid);
    if (st->ex && m.type == PA_DHCP_DECLINE) pa_expert_add(st->ex, PA_EX_DHCP_DECLINE, p->frame_no, (unsigned)m.xid);
    pa_dhcp_message(st, p, &m);
    if (env->on_event) env->on_event(env->on_event_ud, PA_AN_dhcp, &(pa_dhcp_event){p->frame_no, &m});
}

static void free_stats(void *stats) { pa_dhcp_stats_free(stats); }
static void frame_reset(void *frame) { ((pa_dhcp_frame *)frame)->present = false; }
static bool frame_has(const void *frame) { return ((const pa_dhcp_frame *)frame)->present; }

static size_t memory(const void *stats) {
    const pa_dhcp_stats *st = stats;
    return (size_t)st->tx_cap * sizeof *st->tx + (st->index ? 2 * PA_DHCP_MAX_TX * sizeof *st->index : 0);
}

static const pa_app_cap caps[] = {
    {"dhcp_transactions", PA_DHCP_MAX_TX, offsetof(pa_dhcp_stats, tx_dropped),
     "DHCP messages of transactions beyond the cap: counted by type, their clients not listed"},
    {"dhcp_servers", PA_DHCP_MAX_SERVERS, offsetof(pa_dhcp_stats, servers_dropped),
     "DHCP answers from servers beyond the cap: counted by type, the servers not listed"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_dhcp = {
    .name = "dhcp",
    .proto = PA_P_DHCP,
    .looks = looks,
    .link = set_links,
    .free = free_stats,
    .memory = memory,
    .packet = packet,
    .frame_size = sizeof(pa_dhcp_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_dhcp_field_values,
};
