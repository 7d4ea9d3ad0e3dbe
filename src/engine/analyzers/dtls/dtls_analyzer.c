/* DTLS hooks: every UDP datagram named DTLS holds whole records (RFC 6347
 * 4.1.1), after a 4-byte preamble on CAPWAP's control and data channels
 * (RFC 5415 4.1). */
#include "dtls_analyzer.h"

#include <stddef.h>
#include <string.h>

#include "stun_analyzer.h"

/* On any port: records whose headers and lengths tile the datagram. Later
 * datagrams of the flow by RFC 7983 (STUN, DTLS, RTCP on one 5-tuple). */
static bool look(const pa_packet *p) { return pa_dtls_is_records(p->payload, p->payload_len); }

/* CAPWAP's ports: control (5246) and data (5247, whose clear frames the
 * decoder opens as a tunnel). */
static bool capwap_port(const pa_packet *p) {
    return p->sport == 5246 || p->dport == 5246 || p->sport == 5247 || p->dport == 5247;
}

/* CAPWAP on its ports: the DTLS preamble, then records, as tshark names
 * them. */
static bool look_capwap(const pa_packet *p) {
    size_t n;
    const uint8_t *b = pa_dtls_capwap_body(p->payload, p->payload_len, &n);
    return b && pa_dtls_is_records(b, n);
}

/* A later datagram of a DTLS flow: CAPWAP control keeps its preamble (the
 * flow's first datagram may have been a CAPWAP Discovery in clear);
 * anything else is demultiplexed as WebRTC's (RFC 7983). */
static uint8_t next(const pa_packet *p) {
    if (look_capwap(p) && capwap_port(p)) return PA_P_DTLS;
    return pa_stun_next_rtc(p);
}

static const pa_app_look looks[] = {{PA_P_UDP, 0, PA_P_DTLS, look, next, false},
                                    {PA_P_UDP, 5246, PA_P_DTLS, look_capwap, NULL, false},
                                    {PA_P_UDP, 5247, PA_P_DTLS, look_capwap, NULL, false},
                                    {0, 0, 0, NULL, NULL, false}};

static int init(void *stats) { return pa_dtls_stats_init(stats); }

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)sec;
    pa_dtls_stats *st = stats;
    st->ex = ex;
    st->keep = keep;
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    pa_dtls_stats *st = stats;
    if (p->l4 != PA_P_UDP || p->app != PA_P_DTLS || !p->payload_len) return;
    if (!pa_tx_counts(st->keep, p->frame_no)) return;
    const uint8_t *d = p->payload;
    size_t n = p->payload_len;
    bool capwap = false;
    if (!pa_dtls_is_records(d, n) && capwap_port(p)) {
        const uint8_t *b = pa_dtls_capwap_body(d, n, &n);
        if (b) d = b, capwap = true;
    }
    uint64_t bad = st->malformed;
    st->srtp_frame = 0;
    pa_dtls_datagram(st, p, stream, d, n, capwap, env->frame);
    if (st->malformed > bad && st->ex) pa_expert_add(st->ex, PA_EX_DTLS_MALFORMED, p->frame_no);
    /* DTLS-SRTP: the flow's other datagrams are (S)RTP and (S)RTCP, which
     * the RTP analyzer reads once it expects them at the client's endpoint */
    if (st->srtp_frame && env->expect) {
        pa_app_expect x;
        memset(&x, 0, sizeof x);
        x.addr = st->srtp_addr;
        x.port = st->srtp_port;
        x.kind = 1; /* RTP (RTCP multiplexed on it, RFC 5761) */
        x.frame = st->srtp_frame;
        env->expect(env->expect_ud, &x);
    }
}

static void finish(void *stats) { pa_dtls_finish(stats); }
static void free_stats(void *stats) { pa_dtls_stats_free(stats); }

static size_t memory(const void *stats) {
    const pa_dtls_stats *st = stats;
    return pa_htab_memory(&st->assocs) + st->reasm_bytes;
}

static void frame_reset(void *frame) {
    pa_dtls_frame *f = frame;
    f->nrec = f->nhs = f->nalert = f->nhello = 0;
    f->has_sni = false;
    f->ncipher = 0;
    f->srtp.n = 0;
}

static bool frame_has(const void *frame) { return ((const pa_dtls_frame *)frame)->nrec > 0; }

static const pa_app_cap caps[] = {
    {"dtls_associations", PA_DTLS_MAX_ASSOCS, offsetof(pa_dtls_stats, assocs_dropped),
     "DTLS datagrams of associations beyond the cap: records counted, no association listed or timed"},
    {"dtls_reassembly", PA_DTLS_REASM_TOTAL, offsetof(pa_dtls_stats, reasm_refused),
     "handshake fragments refused while PA_DTLS_REASM_TOTAL bytes were in reassembly: those messages not parsed"},
    {"dtls_handshake_message", PA_DTLS_HS_MAX, offsetof(pa_dtls_stats, oversized),
     "fragments of handshake messages longer than the cap: not reassembled"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_dtls = {
    .name = "dtls",
    .proto = PA_P_DTLS,
    .looks = looks,
    .init = init,
    .link = set_links,
    .finish = finish,
    .free = free_stats,
    .memory = memory,
    .packet = packet,
    .frame_size = sizeof(pa_dtls_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_dtls_field_values,
};
