/* STUN hooks: a UDP datagram is one message (or TURN ChannelData); over
 * TCP (RFC 8489 6.2.2) a segment holds messages back to back. */
#include "stun_analyzer.h"

#include <stddef.h>
#include <stdio.h>

#include "cursor.h"
#include "detect_looks.h"
#include "dtls_parse.h"

/* On any port: the magic cookie and attributes that tile the length
 * (over UDP, the datagram). */
static bool look(const pa_packet *p) { return pa_stun_is_message(p->payload, p->payload_len, p->l4 == PA_P_UDP); }

/* Classic STUN (RFC 3489) only on its port: without the cookie the bytes
 * alone say too little. */
static bool look_classic(const pa_packet *p) {
    pa_stun_msg m;
    return pa_stun_parse_classic(p->payload, p->payload_len, &m) == PA_STUN_OK;
}

/* Classic STUN on any port, after the port-bound looks as Wireshark tries
 * its heuristics (Zoom's second server on 3479). */
static bool look_classic_any(const pa_packet *p) { return pa_stun_classic_strict(p->payload, p->payload_len); }

/* ICE over TCP (RFC 6544) frames each message with RFC 4571's length. */
static bool look_framed(const pa_packet *p) { return pa_stun_is_framed(p->payload, p->payload_len); }

/* On STUN's port: the cookie, a known method and a length that ends at the
 * datagram's end, the last attribute perhaps unpadded (WhatsApp's Allocate
 * requests; its messages of method 0x200 tshark does not call STUN). */
static bool look_port(const pa_packet *p) {
    pa_stun_msg m;
    return pa_stun_parse(p->payload, p->payload_len, true, &m, NULL) == PA_STUN_OK && pa_stun_method_name(m.method);
}

/* WebRTC multiplexes STUN, DTLS and media on one 5-tuple (RFC 7983):
 * later datagrams are named by what each one is. The pass asks the first
 * look of a protocol with a next, so this one serves every STUN look. */
uint8_t pa_stun_next_rtc(const pa_packet *p) {
    const uint8_t *d = p->payload;
    uint32_t n = p->payload_len;
    uint16_t ch, len;
    if (pa_stun_is_message(d, n, true) || look_classic(p)) return PA_P_STUN;
    if ((p->sport == 3478 || p->dport == 3478) && look_port(p)) return PA_P_STUN;
    /* TURN ChannelData; tshark's STUN conversation names it STUN */
    if (pa_stun_channel_data(d, n, true, &ch, &len)) return PA_P_STUN;
    /* RTCP in a STUN conversation: Wireshark's RTCP heuristic (on by default) */
    if (pa_rtcp_heuristic(d, n)) return PA_P_RTCP;
    if (pa_dtls_is_records(d, n)) return PA_P_DTLS;
    return PA_P_NONE;
}

static const pa_app_look looks[] = {{PA_P_UDP, 0, PA_P_STUN, look, pa_stun_next_rtc, false},
                                    {PA_P_TCP, 0, PA_P_STUN, look, NULL, false},
                                    {PA_P_TCP, 0, PA_P_STUN, look_framed, NULL, false},
                                    {PA_P_UDP, 3478, PA_P_STUN, look_classic, pa_stun_next_rtc, false},
                                    {PA_P_UDP, 3478, PA_P_STUN, look_port, pa_stun_next_rtc, false},
                                    {PA_P_UDP, 0, PA_P_STUN, look_classic_any, pa_stun_next_rtc, true},
                                    {0, 0, 0, NULL, NULL, false}};

static int init(void *stats) { return pa_stun_stats_init(stats); }

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)sec;
    pa_stun_stats *st = stats;
    st->ex = ex;
    st->keep = keep;
}

static void malformed(pa_stun_stats *st, uint64_t frame) {
    st->malformed++;
    if (st->ex) pa_expert_add(st->ex, PA_EX_STUN_MALFORMED, frame);
}

static void message(pa_stun_stats *st, pa_app_env *env, const pa_packet *p, int64_t stream, const pa_stun_msg *m) {
    const pa_stun_tx *tx = pa_stun_message(st, p, stream, m);
    if (m->has_error && st->ex) {
        const char *why = pa_stun_error_name(m->error_code);
        pa_expert_add(st->ex, PA_EX_STUN_ERROR_RESPONSE, p->frame_no, (unsigned)m->error_code, why ? why : m->reason);
    }
    if (m->has_fingerprint && !m->fingerprint_ok && st->ex) {
        char want[16];
        snprintf(want, sizeof want, "0x%08x", (unsigned)m->fingerprint_want);
        pa_expert_add(st->ex, PA_EX_STUN_BAD_FINGERPRINT, p->frame_no, want);
    }
    pa_stun_frame *fr = env->frame;
    if (fr && !m->classic && fr->n < PA_FRAME_STUN) {
        fr->response_to[fr->n] = tx ? tx->req_frame : 0;
        fr->time_ns[fr->n] = tx ? p->ts_ns - tx->req_ts : 0;
        fr->msg[fr->n++] = *m;
    }
    if (env->on_event) env->on_event(env->on_event_ud, PA_AN_stun, &(pa_stun_event){p->frame_no, m, 0});
}

static void channel(pa_stun_stats *st, pa_app_env *env, const pa_packet *p, uint16_t ch, uint16_t len) {
    pa_stun_channel(st, p, ch, len);
    pa_stun_frame *fr = env->frame;
    if (fr) {
        fr->channel = true;
        fr->channel_no = ch;
    }
    if (env->on_event) env->on_event(env->on_event_ud, PA_AN_stun, &(pa_stun_event){p->frame_no, NULL, ch});
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    pa_stun_stats *st = stats;
    if (p->l4 != PA_P_UDP || p->app != PA_P_STUN || !p->payload_len) return;
    if (!pa_tx_counts(st->keep, p->frame_no)) return;
    pa_stun_msg m;
    pa_stun_status s = pa_stun_parse(p->payload, p->payload_len, true, &m, NULL);
    if (s == PA_STUN_NOT && pa_stun_parse_classic(p->payload, p->payload_len, &m) == PA_STUN_OK) s = PA_STUN_OK;
    if (s == PA_STUN_OK) {
        message(st, env, p, stream, &m);
        return;
    }
    uint16_t ch, len;
    if (s == PA_STUN_NOT && pa_stun_channel_data(p->payload, p->payload_len, true, &ch, &len)) {
        channel(st, env, p, ch, len);
        return;
    }
    malformed(st, p->frame_no);
}

/* TCP: STUN messages (and ChannelData, padded to 4 bytes) back to back
 * from the start of the segment; a message cut by the segment's end is not
 * followed into the next one. */
static void segment(void *stats, pa_app_env *env, void **state, const pa_app_segment *s) {
    (void)state;
    pa_stun_stats *st = stats;
    const pa_packet *p = s->p;
    if (!p->payload_len || !pa_tx_counts(st->keep, p->frame_no)) return;
    size_t off = 0;
    bool framed = pa_stun_is_framed(p->payload, p->payload_len);
    for (int k = 0; k < 64 && off < p->payload_len; k++) {
        const uint8_t *d = p->payload + off;
        size_t n = p->payload_len - off, used = 0;
        if (framed) { /* each message behind its 2-byte length, which says where the next one starts */
            pa_cur c = pa_cur_make(d, n);
            uint16_t flen;
            if (!pa_cur_be16(&c, &flen) || flen > c.len) return;
            d = c.p;
            n = flen;
        }
        pa_stun_msg m;
        uint16_t ch, len;
        pa_stun_status r = pa_stun_parse(d, n, framed, &m, &used);
        if (r == PA_STUN_OK) {
            message(st, env, p, (int64_t)s->stream, &m);
        } else if (r == PA_STUN_NOT && pa_stun_channel_data(d, n, framed, &ch, &len)) {
            channel(st, env, p, ch, len);
            used = 4u + (((size_t)len + 3) & ~(size_t)3);
        } else {
            if (r == PA_STUN_TRUNC && !k) malformed(st, p->frame_no);
            return;
        }
        off += framed ? 2 + n : used;
    }
}

static void finish(void *stats) { pa_stun_finish(stats); }
static void free_stats(void *stats) { pa_stun_stats_free(stats); }

static size_t memory(const void *stats) {
    const pa_stun_stats *st = stats;
    return pa_htab_memory(&st->tx) + pa_htab_memory(&st->allocs) + pa_htab_memory(&st->pairs);
}

static void frame_reset(void *frame) {
    pa_stun_frame *f = frame;
    f->n = 0;
    f->channel = false;
}

static bool frame_has(const void *frame) {
    const pa_stun_frame *f = frame;
    return f->n > 0 || f->channel;
}

static const pa_app_cap caps[] = {
    {"stun_transactions", PA_STUN_MAX_TX, offsetof(pa_stun_stats, tx_dropped),
     "STUN requests beyond the cap: counted, their responses not timed (counted as orphan responses)"},
    {"turn_allocations", PA_STUN_MAX_ALLOCS, offsetof(pa_stun_stats, allocs_dropped),
     "TURN client-server exchanges beyond the cap: their messages counted, no allocation listed"},
    {"ice_candidate_pairs", PA_STUN_MAX_PAIRS, offsetof(pa_stun_stats, pairs_dropped),
     "ICE connectivity checks on pairs beyond the cap: counted as transactions, no pair listed"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_stun = {
    .name = "stun",
    .proto = PA_P_STUN,
    .looks = looks,
    .init = init,
    .link = set_links,
    .finish = finish,
    .free = free_stats,
    .memory = memory,
    .packet = packet,
    .segment = segment,
    .frame_size = sizeof(pa_stun_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_stun_field_values,
};
