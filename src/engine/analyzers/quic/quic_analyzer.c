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

/* Later datagrams of a flow whose first one parsed as QUIC are QUIC, whatever
 * their bytes: short headers say little without keys, and tshark's QUIC
 * conversation takes every datagram of the flow (RTCP multiplexed onto one
 * included). */
static uint8_t next_quic(const pa_packet *p) {
    (void)p;
    return PA_P_QUIC;
}

/* Google QUIC's public header (Q024-Q043): a client's first packet has the
 * version flag (0x01) and an 8-byte connection ID (0x08), bit 0x80 clear,
 * and the version after the ID is "Q" and three digits. Q046 and later use
 * the long header pa_quic_is_quic reads. */
static bool look_gquic(const pa_packet *p) {
    const uint8_t *d = p->payload;
    if (p->payload_len < 14 || (d[0] & 0x89) != 0x09) return false;
    return d[9] == 'Q' && d[10] >= '0' && d[10] <= '9' && d[11] >= '0' && d[11] <= '9' && d[12] >= '0' && d[12] <= '9';
}

/* The rest of a gQUIC flow: a public header (bit 0x80 clear), as tshark's
 * GQUIC conversation names them. */
static uint8_t next_gquic(const pa_packet *p) {
    return p->payload_len && !(p->payload[0] & 0x80) ? PA_P_GQUIC : PA_P_NONE;
}

static const pa_app_look looks[] = {{PA_P_UDP, 0, PA_P_QUIC, look, next_quic, false},
                                    {PA_P_UDP, 0, PA_P_GQUIC, look_gquic, next_gquic, false},
                                    {0, 0, 0, NULL, NULL, false}};

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
