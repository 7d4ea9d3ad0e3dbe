/* QUIC hooks: named by parsing (any port: a strict look at the first
 * payload), every UDP datagram of a QUIC flow offered to the tracker
 * (quic_track.c). UDP flows have no per-flow state slot, so the tracker
 * keys its connections by the flow's stream number. */
#include "quic_analyzer.h"

#include <stddef.h>

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)sec;
    pa_quic_stats *st = stats;
    st->ex = ex;
    st->keep = keep;
}

static bool look(const pa_packet *p) { return pa_quic_is_quic(p->payload, p->payload_len); }

/* Later datagrams of a QUIC flow: long headers that parse, or short headers
 * (form bit clear, fixed bit set, room for a packet number and the header
 * protection sample), which only the flow says are QUIC. */
static uint8_t next(const pa_packet *p) {
    if (p->payload_len >= 21 && (p->payload[0] & 0xC0) == 0x40) return PA_P_QUIC;
    return pa_quic_is_quic(p->payload, p->payload_len) ? PA_P_QUIC : PA_P_NONE;
}

static const pa_app_look looks[] = {{PA_P_UDP, 0, PA_P_QUIC, look, next}, {0, 0, 0, NULL, NULL}};

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    pa_quic_datagram(stats, env, p, stream);
}

static int init(void *stats) { return pa_quic_init(stats); }
static void bind(void *stats, pa_app_env *env) { ((pa_quic_stats *)stats)->env = env; }
static void finish(void *stats) { pa_quic_finish(stats, ((pa_quic_stats *)stats)->env); }
static void free_stats(void *stats) { pa_quic_free(stats); }
static size_t memory(const void *stats) { return pa_quic_memory(stats); }
static void frame_reset(void *frame) {
    pa_quic_frame *f = frame;
    f->present = false;
    f->npkt = f->nftype = f->ncrypto = f->nclose = 0;
}
static bool frame_has(const void *frame) { return ((const pa_quic_frame *)frame)->present; }

static const pa_app_cap caps[] = {
    {"quic_connections", PA_QUIC_MAX_CONNS, offsetof(pa_quic_stats, conns_overflow),
     "QUIC Initial packets of connections beyond the cap: those connections are not reported"},
    {"quic_crypto_reassembly", PA_QUIC_REASM_BUDGET, offsetof(pa_quic_stats, reasm_refused),
     "QUIC CRYPTO frames not reassembled (bytes held at once, all connections): their hellos may be missing"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_quic = {
    .name = "quic",
    .proto = PA_P_QUIC,
    .looks = looks,
    .init = init,
    .link = set_links,
    .bind = bind,
    .finish = finish,
    .free = free_stats,
    .memory = memory,
    .packet = packet,
    .frame_size = sizeof(pa_quic_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_quic_field_values,
};
