/* DNS hooks: every UDP or TCP packet is offered to the tracker (it knows
 * the DNS ports and follows queries to their responses); DNS over TCP
 * flows are framed by their 2-byte lengths. */
#include "dns_analyzer.h"

#include <stddef.h>

static void on_msg(void *ud, uint64_t frame, const pa_dns_msg *msg, int64_t rt_ns) {
    pa_app_env *env = ud;
    pa_dns_frame *fr = env->frame;
    if (fr && msg->qr && rt_ns >= 0) {
        fr->has_time = true;
        fr->time_ns = rt_ns;
    }
    if (env->on_event) env->on_event(env->on_event_ud, PA_AN_dns, &(pa_dns_event_msg){frame, msg, rt_ns});
}

/* A DNS header on a DNS port: tshark decodes whatever reaches port 53 as
 * DNS, malformed or not; the header (12 bytes, an opcode RFC 6895 assigns)
 * is the least the bytes must say. Over TCP, a 2-byte length first (which
 * may come alone in its segment). */
static bool dns_header(const uint8_t *d, size_t n) { return n >= 12 && ((d[2] >> 3) & 0xF) <= 6; }
static bool look_udp(const pa_packet *p) { return dns_header(p->payload, p->payload_len); }
static bool look_tcp(const pa_packet *p) {
    const uint8_t *d = p->payload;
    size_t n = p->payload_len;
    if (n < 2 || (size_t)(d[0] << 8 | d[1]) < 12) return false;
    return n == 2 || dns_header(d + 2, n - 2);
}

static const pa_app_look looks[] = {
    {PA_P_UDP, 53, PA_P_DNS, look_udp, NULL, false},     {PA_P_TCP, 53, PA_P_DNS, look_tcp, NULL, false},
    {PA_P_UDP, 5353, PA_P_MDNS, look_udp, NULL, false},  {PA_P_UDP, 5355, PA_P_LLMNR, look_udp, NULL, false},
    {PA_P_TCP, 5355, PA_P_LLMNR, look_tcp, NULL, false}, {0, 0, 0, NULL, NULL, false}};

static void (*msg_cb(const pa_app_env *env))(void *, uint64_t, const pa_dns_msg *, int64_t) {
    return env->on_event || env->frame ? on_msg : NULL;
}

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    pa_dns_stats *d = stats;
    d->local = sec ? &sec->names : NULL;
    d->ex = ex;
    d->keep = keep;
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    pa_dns_track(stats, p, stream, msg_cb(env), env);
}

static void segment(void *stats, pa_app_env *env, void **state, const pa_app_segment *s) {
    if (!s->p->payload_len) return;
    pa_dns_tcp *t = *state;
    pa_dns_tcp_segment(stats, &t, s->p, s->from, s->tcp, s->stream, msg_cb(env), env);
    *state = t;
}

/* A DNS message where no DNS port is: a strict look (one question, sane
 * counts, the whole message parsed) so that other protocols do not pass. */
static bool probe_udp(const pa_packet *p) {
    pa_dns_msg msg;
    if (p->payload_len < 17 || pa_dns_parse(p->payload, p->payload_len, &msg) != PA_DNS_OK) return false;
    return msg.has_question && msg.qdcount == 1 && msg.opcode <= 5 && msg.ancount <= 64 && msg.nscount <= 64 &&
           msg.arcount <= 64 && (msg.qclass == 1 || msg.qclass == 255 || msg.qclass == 0x8001) &&
           (msg.qr || msg.ancount == 0);
}

static int init(void *stats) { return pa_dns_init(stats); }
static void finish(void *stats) { pa_dns_finish(stats); }
static void free_stats(void *stats) { pa_dns_free(stats); }
static size_t memory(const void *stats) { return pa_samples_memory(&((const pa_dns_stats *)stats)->rt_kept); }
static void flow_free(void *state) { pa_dns_tcp_free(state); }
static bool flow_holds_data(const void *state) { return pa_dns_tcp_holds_data(state); }
static void frame_reset(void *frame) { ((pa_dns_frame *)frame)->has_time = false; }
static bool frame_has(const void *frame) { return ((const pa_dns_frame *)frame)->has_time; }

static const pa_app_cap caps[] = {
    {"dns_names", PA_DNS_MAX_NAMES, offsetof(pa_dns_stats, names_overflow),
     "DNS queries for names beyond the cap: not in per-name counts"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_dns = {
    .name = "dns",
    .proto = PA_P_DNS,
    .looks = looks,
    .init = init,
    .link = set_links,
    .finish = finish,
    .free = free_stats,
    .memory = memory,
    .packet = packet,
    .packet_tcp = true, /* mDNS and LLMNR over TCP are counted per packet */
    .segment = segment,
    .probe_udp = probe_udp,
    .flow_free = flow_free,
    .flow_holds_data = flow_holds_data,
    .frame_size = sizeof(pa_dns_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .distinct_budget = PA_DNS_DISTINCT_BUDGET,
    .distinct_refused_at = offsetof(pa_dns_stats, answers_budget.refused),
    .field_values = pa_dns_field_values,
};
