/* DHCPv6 hooks: each UDP datagram named DHCPv6 is one message. */
#include "dhcpv6_analyzer.h"

#include <stddef.h>

/* On the DHCPv6 ports only, and only when the bytes are DHCPv6's: a known
 * message type, its header, then options that end exactly at the end of
 * the datagram. */
static bool look(const pa_packet *p) { return pa_dhcpv6_look(p->payload, p->payload_len); }

static const pa_app_look looks[] = {{PA_P_UDP, 546, PA_P_DHCPV6, look, NULL, false},
                                    {PA_P_UDP, 547, PA_P_DHCPV6, look, NULL, false},
                                    {0, 0, 0, NULL, NULL, false}};

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)sec;
    pa_dhcpv6_stats *st = stats;
    st->ex = ex;
    st->keep = keep;
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    (void)stream;
    pa_dhcpv6_stats *st = stats;
    if (p->l4 != PA_P_UDP || p->app != PA_P_DHCPV6 || !p->payload_len) return;
    if (!pa_tx_counts(st->keep, p->frame_no)) return;
    pa_dhcpv6_msg m;
    pa_dhcpv6_status s = pa_dhcpv6_parse(p->payload, p->payload_len, &m);
    if (s == PA_DHCPV6_NOT) return;
    pa_dhcpv6_frame *fr = env->frame;
    if (fr) {
        fr->present = true;
        fr->msg = m;
    }
    if (s == PA_DHCPV6_MALFORMED) {
        st->malformed++;
        if (st->ex) pa_expert_add(st->ex, PA_EX_DHCPV6_MALFORMED, p->frame_no);
    }
    if (st->ex && m.status && (m.type == PA_DHCPV6_REPLY || m.type == PA_DHCPV6_ADVERTISE)) {
        const char *n = pa_dhcpv6_status_name(m.status);
        pa_expert_add(st->ex, PA_EX_DHCPV6_STATUS, p->frame_no, (unsigned)m.status, n ? n : "unknown");
    }
    pa_dhcpv6_message(st, p, &m);
    if (env->on_event) env->on_event(env->on_event_ud, PA_AN_dhcpv6, &(pa_dhcpv6_event){p->frame_no, &m});
}

static void free_stats(void *stats) { pa_dhcpv6_stats_free(stats); }
static void frame_reset(void *frame) { ((pa_dhcpv6_frame *)frame)->present = false; }
static bool frame_has(const void *frame) { return ((const pa_dhcpv6_frame *)frame)->present; }

static size_t memory(const void *stats) {
    const pa_dhcpv6_stats *st = stats;
    return (size_t)st->tx_cap * sizeof *st->tx +
           (st->index ? 2 * PA_DHCPV6_TX_XIDS * PA_DHCPV6_MAX_TX * sizeof *st->index : 0);
}

static const pa_app_cap caps[] = {
    {"dhcpv6_exchanges", PA_DHCPV6_MAX_TX, offsetof(pa_dhcpv6_stats, tx_dropped),
     "DHCPv6 messages of exchanges beyond the cap: counted by type, their clients not listed"},
    {"dhcpv6_servers", PA_DHCPV6_MAX_SERVERS, offsetof(pa_dhcpv6_stats, servers_dropped),
     "DHCPv6 answers from servers beyond the cap: counted by type, the servers not listed"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_dhcpv6 = {
    .name = "dhcpv6",
    .proto = PA_P_DHCPV6,
    .looks = looks,
    .link = set_links,
    .free = free_stats,
    .memory = memory,
    .packet = packet,
    .frame_size = sizeof(pa_dhcpv6_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_dhcpv6_field_values,
};
