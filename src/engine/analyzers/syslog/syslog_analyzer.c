/* Syslog hooks: each UDP datagram named syslog is one message. */
#include "syslog_analyzer.h"

#include <stddef.h>
#include <string.h>

/* On port 514 only, and only when the bytes start with a priority:
 * tshark names every UDP 514 datagram syslog, we never by port alone.
 * Over TCP tshark 4.0 has no syslog (514 is rsh there, 601 nothing). */
static bool look(const pa_packet *p) { return pa_syslog_looks(p->payload, p->payload_len); }

static const pa_app_look looks[] = {{PA_P_UDP, 514, PA_P_SYSLOG, look, NULL, false}, {0, 0, 0, NULL, NULL, false}};

static int init(void *stats) { return pa_syslog_stats_init(stats); }

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)ex;
    (void)sec;
    ((pa_syslog_stats *)stats)->keep = keep;
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    (void)stream;
    pa_syslog_stats *st = stats;
    if (p->l4 != PA_P_UDP || p->app != PA_P_SYSLOG || !p->payload_len) return;
    pa_syslog_msg m;
    pa_syslog_frame *fr = env->frame;
    if (fr) { /* parsed from a copy, so the spans outlive the packet */
        size_t n = p->payload_len < sizeof fr->text ? p->payload_len : sizeof fr->text;
        memcpy(fr->text, p->payload, n);
        pa_syslog_parse(fr->text, n, &fr->msg);
        fr->present = true;
    }
    if (!pa_tx_counts(st->keep, p->frame_no)) return;
    pa_syslog_parse(p->payload, p->payload_len, &m);
    pa_syslog_message(st, p, &m);
}

static void finish(void *stats) { pa_syslog_finish(stats); }
static void free_stats(void *stats) { pa_syslog_stats_free(stats); }
static size_t memory(const void *stats) { return pa_htab_memory(&((const pa_syslog_stats *)stats)->senders); }
static void frame_reset(void *frame) { ((pa_syslog_frame *)frame)->present = false; }
static bool frame_has(const void *frame) { return ((const pa_syslog_frame *)frame)->present; }

static const pa_app_cap caps[] = {
    {"syslog_senders", PA_SYSLOG_MAX_SENDERS, offsetof(pa_syslog_stats, senders_dropped),
     "syslog messages of sending hosts beyond the cap: in the totals, the hosts not listed"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_syslog = {
    .name = "syslog",
    .proto = PA_P_SYSLOG,
    .looks = looks,
    .init = init,
    .link = set_links,
    .finish = finish,
    .free = free_stats,
    .memory = memory,
    .packet = packet,
    .frame_size = sizeof(pa_syslog_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_syslog_field_values,
};
