/* FTP hooks: flows named FTP by their bytes, until the control channel
 * turns to TLS (AUTH TLS: the TLS analyzer then holds the flow); the data
 * connections it announces are named ftp-data (ftp_data.h). */
#include "ftp_analyzer.h"

#include <stddef.h>

#include "detect.h"

/* FTP only from its bytes (a greeting or a command), on any port: a port-21
 * flow that carries something else is not FTP. SMTP greets with 220 too: on
 * its ports a greeting stays SMTP's. */
static bool look(const pa_packet *p) {
    const uint8_t *d = p->payload;
    uint32_t n = p->payload_len;
    if (p->l4 != PA_P_TCP) return false;
    return (pa_ftp_looks_greeting(d, n) && pa_app_by_port(p->l4, p->sport, p->dport) != PA_P_SMTP) ||
           pa_ftp_looks_client(d, n);
}

static const pa_app_look looks[] = {{PA_P_TCP, 0, PA_P_FTP, look, NULL, false},
                                    {PA_P_TCP, 21, PA_P_FTP, look, NULL, false},
                                    {0, 0, 0, NULL, NULL, false}};

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)ex;
    (void)sec;
    ((pa_ftp_stats *)stats)->keep = keep;
}

static void segment(void *stats, pa_app_env *env, void **state, const pa_app_segment *s) {
    if ((s->attached & PA_AN_BIT(tls)) || !s->p->payload_len) return;
    pa_ftp_flow *f = *state;
    pa_ftp_segment(stats, &f, s->p, s->from, s->tcp, env->frame);
    *state = f;
}

/* A segment of a data connection the control channel announced is
 * ftp-data, whatever a look named its flow (Wireshark's conversation
 * dissector comes before ports and heuristics). */
static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    pa_ftp_frame *v = env->frame;
    env->named = pa_ftp_data_packet(&((pa_ftp_stats *)stats)->data, p, stream, v ? &v->data : NULL);
}

static size_t memory(const void *stats) {
    const pa_ftp_stats *st = stats;
    return st->cap * sizeof(pa_ftp_tx) + pa_htab_memory(&st->servers) + pa_htab_memory(&st->logins) +
           st->data.cap * sizeof(pa_ftp_transfer) + pa_htab_memory(&st->data.expect);
}

static int init(void *stats) { return pa_ftp_init(stats); }
static void finish(void *stats) { pa_ftp_finish(stats); }
static void free_stats(void *stats) { pa_ftp_stats_free(stats); }
static void flow_finish(void *stats, void *state) { pa_ftp_finish_flow(stats, state); }
static void flow_free(void *state) { pa_ftp_free_flow(state); }
static bool flow_holds_data(const void *state) { return pa_ftp_holds_data(state); }

static void frame_reset(void *frame) {
    pa_ftp_frame *f = frame;
    f->present = f->has_command = f->has_code = f->has_arg = false;
    f->data.present = f->data.has_command = false;
    f->data.setup_frame = 0;
}

static bool frame_has(const void *frame) {
    const pa_ftp_frame *f = frame;
    return f->present || f->data.present;
}

static const pa_app_cap caps[] = {
    {"ftp_transactions_listed", PA_FTP_MAX_TX, offsetof(pa_ftp_stats, tx_dropped),
     "FTP command -> reply pairs beyond the cap: counted, not listed or timed"},
    {"ftp_pending_commands", PA_FTP_PENDING, offsetof(pa_ftp_stats, pending_dropped),
     "FTP commands given up as unanswered because more were waiting on one connection"},
    {"ftp_command_verbs", PA_FTP_MAX_VERBS, offsetof(pa_ftp_stats, verbs_overflow),
     "FTP commands whose verb is beyond the cap of distinct verbs: not in per-verb counts"},
    {"ftp_servers", PA_FTP_MAX_SERVERS, offsetof(pa_ftp_stats, servers_overflow),
     "FTP commands and replies of servers beyond the cap: not in per-server figures"},
    {"ftp_login_pairs", PA_FTP_MAX_LOGIN_PAIRS, offsetof(pa_ftp_stats, logins_overflow),
     "FTP login outcomes of client-server pairs beyond the cap: not in per-pair counts"},
    {"ftp_data_transfers", PA_FTP_MAX_TRANSFERS, offsetof(pa_ftp_stats, data.transfers_dropped),
     "FTP data connections announced beyond the cap: their frames are ftp-data but no transfer is listed"},
    {"ftp_data_endpoints", PA_FTP_MAX_EXPECT, offsetof(pa_ftp_stats, data.expect_overflow),
     "FTP data connections announced beyond the cap of endpoints: their frames are not named ftp-data"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_ftp = {
    .name = "ftp",
    .proto = PA_P_FTP,
    .looks = looks,
    .init = init,
    .link = set_links,
    .finish = finish,
    .free = free_stats,
    .memory = memory,
    .segment = segment,
    .packet = packet,
    .packet_tcp = true,
    .flow_finish = flow_finish,
    .flow_free = flow_free,
    .flow_holds_data = flow_holds_data,
    .frame_size = sizeof(pa_ftp_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_ftp_field_values,
};
