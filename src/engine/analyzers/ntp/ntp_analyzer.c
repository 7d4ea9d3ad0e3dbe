/* NTP hooks: each UDP datagram named NTP is one message. */
#include "ntp_analyzer.h"

#include <stddef.h>
#include <stdio.h>

/* On port 123 only, and only when the bytes are NTP's: version 1-4, a mode
 * other than 0, and the header of that mode (48 bytes for modes 1-5, 12 for
 * control, 4 for private). A port never names a datagram alone. */
static bool look(const pa_packet *p) {
    pa_ntp_msg m;
    return pa_ntp_parse(p->payload, p->payload_len, &m) != PA_NTP_NOT;
}

static const pa_app_look looks[] = {{PA_P_UDP, 123, PA_P_NTP, look, NULL, false}, {0, 0, 0, NULL, NULL, false}};

static int init(void *stats) { return pa_ntp_stats_init(stats); }

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)sec;
    pa_ntp_stats *st = stats;
    st->ex = ex;
    st->keep = keep;
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    pa_ntp_stats *st = stats;
    if (p->l4 != PA_P_UDP || p->app != PA_P_NTP || !p->payload_len) return;
    /* with a display filter, only the frames it matched count */
    if (!pa_tx_counts(st->keep, p->frame_no)) return;
    pa_ntp_msg m;
    pa_ntp_status s = pa_ntp_parse(p->payload, p->payload_len, &m);
    if (s == PA_NTP_NOT) return;
    if (s == PA_NTP_MALFORMED) {
        st->malformed++;
        if (st->ex) pa_expert_add(st->ex, PA_EX_NTP_MALFORMED, p->frame_no);
    }
    pa_ntp_resp_link link;
    const pa_ntp_exchange *x = pa_ntp_message(st, p, stream, &m, &link);
    if (m.mode == PA_NTP_SERVER && !m.stratum && st->ex) {
        char code[8];
        pa_ntp_refid_text(0, m.refid, code, sizeof code);
        const char *why = pa_ntp_kiss_meaning(m.refid);
        pa_expert_add(st->ex, PA_EX_NTP_KISS_OF_DEATH, p->frame_no, code, why ? why : "unknown code");
    }
    pa_ntp_frame *fr = env->frame;
    if (fr) {
        fr->present = true;
        fr->msg = m;
        fr->link = link;
    }
    if (env->on_event)
        env->on_event(env->on_event_ud, PA_AN_ntp, &(pa_ntp_event){p->frame_no, &m, s == PA_NTP_MALFORMED, x, link});
}

static void finish(void *stats) { pa_ntp_finish(stats); }
static void free_stats(void *stats) { pa_ntp_stats_free(stats); }

static size_t memory(const void *stats) {
    const pa_ntp_stats *st = stats;
    return pa_htab_memory(&st->exchanges) + pa_htab_memory(&st->servers) + pa_htab_memory(&st->links);
}

static void frame_reset(void *frame) { ((pa_ntp_frame *)frame)->present = false; }
static bool frame_has(const void *frame) { return ((const pa_ntp_frame *)frame)->present; }

static const pa_app_cap caps[] = {
    {"ntp_exchanges", PA_NTP_MAX_EXCHANGES, offsetof(pa_ntp_stats, exchanges_dropped),
     "NTP client requests beyond the cap: counted per server, not timed (their replies count as orphans)"},
    {"ntp_servers", PA_NTP_MAX_SERVERS, offsetof(pa_ntp_stats, servers_dropped),
     "NTP messages to or from servers beyond the cap: counted in the totals, the servers not listed"},
    {"ntp_request_links", PA_NTP_MAX_LINKS, offsetof(pa_ntp_stats, links_dropped),
     "NTP requests of conversations beyond the cap: their responses have no ntp.request_in"},
    {"ntp_kiss_codes", PA_NTP_MAX_KISS, offsetof(pa_ntp_stats, kiss_dropped),
     "kiss-o'-death replies with a code beyond the distinct codes counted: in the total only"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_ntp = {
    .name = "ntp",
    .proto = PA_P_NTP,
    .looks = looks,
    .init = init,
    .link = set_links,
    .finish = finish,
    .free = free_stats,
    .memory = memory,
    .packet = packet,
    .frame_size = sizeof(pa_ntp_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_ntp_field_values,
};
