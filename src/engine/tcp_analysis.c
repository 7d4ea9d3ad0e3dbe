/* Wireshark's TCP sequence analysis, written from its documented behaviour
 * (the user guide's "TCP Analysis" section) and checked frame by frame
 * against tshark 4.0 on the corpus (tests/corpus/compare_tcp_flags.mjs).
 * Values are absolute sequence numbers; as in Wireshark, 0 in nextseq,
 * lastack and maxseqtobeacked means "not known yet". */
#include "tcp_analysis.h"

#include <string.h>

static const char *const names[] = {
#define X(id, name) name,
    PA_TCP_FLAGS(X)
#undef X
};

const char *pa_ta_name(unsigned bit) { return bit < PA_TA_COUNT ? names[bit] : "?"; }

static bool lt_seq(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static bool gt_seq(uint32_t a, uint32_t b) { return (int32_t)(b - a) < 0; }
static bool le_seq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }

#define FAST_RETRANS_NS 20000000ll /* a retransmission within 20 ms of the dup ACKs */
#define OOO_DEFAULT_NS 3000000ll   /* out-of-order threshold without an initial RTT */

static void init_dir(pa_tcp_dir *d) {
    if (d->init) return;
    d->init = true;
    d->window = UINT32_MAX; /* unknown: never "zero", never equal to a real window */
    d->win_scale = -1;
}

/* The window scale each side announced: a shift from the SYN option, -2
 * when a SYN came without one (then neither side scales), -1 unknown. */
static void note_scaling(pa_tcp_state *s, const pa_packet *p, int from) {
    pa_tcp_dir *f = &s->dir[from], *r = &s->dir[1 - from];
    if (!(p->tcp.flags & PA_TCP_SYN)) return;
    f->win_scale = p->tcp.has_ws ? (int16_t)(p->tcp.ws_shift > 14 ? 14 : p->tcp.ws_shift) : -2;
    if (p->tcp.flags & PA_TCP_ACK) {
        /* The SYN-ACK settles it: scaling applies only if both offered it. */
        if (f->win_scale == -2 || r->win_scale == -2) f->win_scale = r->win_scale = -2;
    }
}

static void remember_unacked(pa_tcp_dir *f, uint32_t seq, uint32_t nextseq, uint64_t frame,
                             int64_t ts) {
    if (f->nunacked == PA_TCP_RTT_RING) return; /* all slots busy: not timed */
    f->unacked[(f->head + f->nunacked) % PA_TCP_RTT_RING] = (pa_tcp_unacked){seq, nextseq, frame, ts};
    f->nunacked++;
}

/* The ACK acknowledges segments of the other direction: an exact match of a
 * segment's end gives the ACK RTT; everything acknowledged is forgotten. */
static void process_ack(pa_tcp_dir *r, uint32_t ack, int64_t now, pa_tcp_result *out) {
    uint8_t kept = 0;
    pa_tcp_unacked keep[PA_TCP_RTT_RING];
    for (uint8_t k = 0; k < r->nunacked; k++) {
        pa_tcp_unacked u = r->unacked[(r->head + k) % PA_TCP_RTT_RING];
        if (ack == u.nextseq) {
            if (!out->has_rtt || u.frame > out->acks_frame) {
                out->has_rtt = true;
                out->ack_rtt_ns = now - u.ts;
                out->acks_frame = u.frame;
            }
            continue;
        }
        if (gt_seq(ack, u.seq) && le_seq(ack, u.nextseq)) u.seq = ack; /* partly acknowledged */
        else if (!gt_seq(u.nextseq, ack)) continue;                     /* older: acknowledged */
        keep[kept++] = u;
    }
    memcpy(r->unacked, keep, kept * sizeof keep[0]);
    r->head = 0;
    r->nunacked = kept;
}

int pa_rtt_bucket(int64_t ns) {
    int64_t us = ns / 1000;
    int b = 0;
    while (us > 0 && b < PA_RTT_BUCKETS - 1) {
        us >>= 1;
        b++;
    }
    return b;
}

int64_t pa_rtt_bucket_upper_ns(int b) { return b <= 0 ? 1000 : (1ll << b) * 1000; }

/* Totals the tools report, per side. The RTT of an ACK belongs to the side
 * whose data it acknowledges (the other side). */
static void note_stats(pa_tcp_state *s, const pa_packet *p, int from, pa_tcp_result *out) {
    uint32_t flags = out->flags;
    for (unsigned b = 0; b < PA_TA_COUNT; b++)
        if (flags & (1u << b)) s->count[from][b]++;
    if (p->payload_wire_len) s->data_segments[from]++;
    if (flags & PA_TA_RETRANSMISSION) s->retrans_bytes[from] += p->payload_wire_len;
    if ((flags & PA_TA_DUPLICATE_ACK) && out->dupack_num == 3) s->dupack_bursts[from]++;
    if (p->tcp.flags & PA_TCP_ECE) s->ece[from]++;
    if (p->tcp.flags & PA_TCP_CWR) s->cwr[from]++;
    if ((p->tos & 3) == 3) s->ce[from]++;
    if (out->window_scaled >= 0 && (uint64_t)out->window_scaled > s->max_window[from])
        s->max_window[from] = (uint64_t)out->window_scaled;
    if (out->has_rtt) {
        if (!s->rtt_samples || out->ack_rtt_ns < s->rtt_min_ns) s->rtt_min_ns = out->ack_rtt_ns;
        if (out->ack_rtt_ns > s->rtt_max_ns) s->rtt_max_ns = out->ack_rtt_ns;
        s->rtt_samples++;
        s->rtt_sum_ns += (uint64_t)(out->ack_rtt_ns > 0 ? out->ack_rtt_ns : 0);
        s->rtt_hist[pa_rtt_bucket(out->ack_rtt_ns)]++;
    }
    if (out->has_bif) {
        s->bif_sum[from] += out->bytes_in_flight;
        s->bif_n[from]++;
        if (out->bytes_in_flight > s->bif_max[from]) s->bif_max[from] = out->bytes_in_flight;
    }
    /* A zero window (never on RST/SYN/FIN, as Wireshark's flag) starts a
     * stall of the advertising side; its next non-zero window ends it. */
    if (flags & PA_TA_ZERO_WINDOW) {
        if (!s->in_stall[from]) {
            s->in_stall[from] = true;
            s->stall_start[from] = p->ts_ns;
            s->stall_frame[from] = p->frame_no;
            s->stall_probes[from] = 0;
            s->zw_events[from]++;
        }
    } else if (s->in_stall[from] && p->tcp.window && !(p->tcp.flags & PA_TCP_RST)) {
        int64_t d = p->ts_ns - s->stall_start[from];
        s->in_stall[from] = false;
        s->zw_total_ns[from] += d;
        if (d > s->zw_max_ns[from]) s->zw_max_ns[from] = d;
        out->stall_ended = true;
        out->stall_ns = d;
        out->stall_frame = s->stall_frame[from];
        out->stall_probes = s->stall_probes[from];
    }
    if ((flags & PA_TA_ZERO_WINDOW_PROBE) && s->in_stall[1 - from]) s->stall_probes[1 - from]++;
}

void pa_tcp_analyze(pa_tcp_state *s, const pa_packet *p, int from, pa_tcp_result *out) {
    memset(out, 0, sizeof *out);
    pa_tcp_dir *fwd = &s->dir[from], *rev = &s->dir[1 - from];
    init_dir(fwd);
    init_dir(rev);
    uint16_t fl = p->tcp.flags;
    uint32_t seq = p->tcp.seq, ack = p->tcp.ack, win = p->tcp.window;
    uint32_t seglen = p->payload_wire_len;
    int64_t now = p->ts_ns;
    bool syn = fl & PA_TCP_SYN, fin = fl & PA_TCP_FIN, rst = fl & PA_TCP_RST, ackf = fl & PA_TCP_ACK;
    bool sfr = syn || fin || rst;
    uint32_t flags = 0;

    note_scaling(s, p, from);
    /* Initial RTT: from the latest SYN (without ACK) to the first segment
     * with ACK and no SYN that follows it (the handshake's third packet). */
    if (syn && !ackf) {
        s->syn_time = now;
        s->have_syn = true;
    } else if (ackf && !syn && s->have_syn && !s->first_rtt_set) {
        s->first_rtt_ns = now - s->syn_time;
        s->first_rtt_set = true;
    }

    if (!fwd->base_set) {
        fwd->base_seq = syn ? seq : seq - 1;
        fwd->base_set = true;
    }
    if (!rev->base_set && ackf) {
        rev->base_seq = ack - 1;
        rev->base_set = true;
    }
    if (ackf) rev->valid_bif = true;

    /* zero window probe: one byte at the next expected sequence number
     * while the other side advertises a zero window */
    if (seglen == 1 && seq == fwd->nextseq && rev->window == 0) {
        flags |= PA_TA_ZERO_WINDOW_PROBE;
        goto finished_fwd;
    }
    if (win == 0 && !sfr) flags |= PA_TA_ZERO_WINDOW;
    /* lost segment: this one starts beyond what we saw of this direction */
    if (fwd->nextseq && gt_seq(seq, fwd->nextseq) && !rst) {
        flags |= PA_TA_LOST_SEGMENT;
        fwd->valid_bif = false;
    }
    /* keep-alive: 0 or 1 byte starting one before the next sequence number */
    if (seglen <= 1 && seq == fwd->nextseq - 1 && !sfr) flags |= PA_TA_KEEP_ALIVE;
    /* window update: nothing new but the window */
    if (seglen == 0 && win && win != fwd->window && seq == fwd->nextseq && ack == fwd->lastack &&
        !sfr)
        flags |= PA_TA_WINDOW_UPDATE;
    /* window full: the data reaches the right edge of the peer's window */
    if (seglen > 0 && rev->win_scale != -1 && !sfr && rev->window != UINT32_MAX) {
        unsigned shift = rev->win_scale >= 0 && !rev->seen_syn_window ? (unsigned)rev->win_scale : 0u;
        if (seq + seglen == rev->lastack + (uint32_t)((uint64_t)rev->window << shift))
            flags |= PA_TA_WINDOW_FULL;
    }
    /* keep-alive ACK: repeats the last ACK after a keep-alive from the peer */
    if (seglen == 0 && win && win == fwd->window && seq == fwd->nextseq && ack == fwd->lastack &&
        (rev->lastsegmentflags & PA_TA_KEEP_ALIVE) && !sfr) {
        flags |= PA_TA_KEEP_ALIVE_ACK;
        goto finished_fwd;
    }
    /* zero window probe ACK */
    if (seglen == 0 && win == 0 && win == fwd->window && seq == fwd->nextseq &&
        (ack == fwd->lastack || ack == fwd->lastack + 1) &&
        (rev->lastsegmentflags & PA_TA_ZERO_WINDOW_PROBE) && !sfr) {
        flags |= PA_TA_ZERO_WINDOW_PROBE_ACK;
        goto finished_fwd;
    }
    /* duplicate ACK: same window, sequence and acknowledgement, no data */
    if (seglen == 0 && win && win == fwd->window && seq == fwd->nextseq && ack == fwd->lastack &&
        !sfr) {
        fwd->dupacknum++;
        flags |= PA_TA_DUPLICATE_ACK;
        out->dupack_num = fwd->dupacknum;
        out->dupack_frame = fwd->lastnondupack;
    }

finished_fwd:
    /* The duplicate-ACK count restarts only when the acknowledgement moves:
     * data segments carrying the same ACK keep it (tshark 4.0 behaviour). */
    if (fwd->lastack != ack) {
        fwd->lastnondupack = p->frame_no;
        fwd->dupacknum = 0;
    }
    /* ACKed unseen segment: this acknowledges more than we saw of the peer */
    if (rev->maxseqtobeacked && gt_seq(ack, rev->maxseqtobeacked) && ackf) {
        flags |= PA_TA_ACK_LOST_SEGMENT;
        rev->maxseqtobeacked = rev->nextseq;
    }

    /* retransmission, fast retransmission, out-of-order, spurious */
    if (seglen > 0 || syn || fin) {
        bool not_advanced = fwd->nextseq && lt_seq(seq, fwd->nextseq);
        if (flags & PA_TA_KEEP_ALIVE) goto finished_retrans;
        /* a segment that starts one byte back but brings new data followed
         * a zero window probe: not a retransmission */
        if (seglen > 1 && fwd->nextseq - 1 == seq) not_advanced = false;
        int64_t t = now - rev->lastack_time;
        if (not_advanced && rev->dupacknum >= 2 && rev->lastack == seq && t < FAST_RETRANS_NS) {
            flags |= PA_TA_FAST_RETRANSMISSION;
            goto finished_retrans;
        }
        t = now - fwd->nextseq_time;
        int64_t ooo = s->first_rtt_set && s->first_rtt_ns ? s->first_rtt_ns : OOO_DEFAULT_NS;
        if (not_advanced && t < ooo && fwd->nextseq != seq + seglen + ((syn || fin) ? 1u : 0u)) {
            flags |= PA_TA_OUT_OF_ORDER;
            goto finished_retrans;
        }
        if (seglen > 0 && rev->lastack && le_seq(seq + seglen, rev->lastack)) {
            flags |= PA_TA_SPURIOUS_RETRANSMISSION;
            goto finished_retrans;
        }
        if (not_advanced) flags |= PA_TA_RETRANSMISSION;
    }
finished_retrans:
    /* tshark shows fast and spurious retransmissions as retransmissions too */
    if (flags & (PA_TA_FAST_RETRANSMISSION | PA_TA_SPURIOUS_RETRANSMISSION))
        flags |= PA_TA_RETRANSMISSION;

    uint32_t nextseq = seq + seglen + ((syn || fin) ? 1u : 0u);
    if (seglen || syn || fin) remember_unacked(fwd, seq, nextseq, p->frame_no, now);
    if (gt_seq(nextseq, fwd->nextseq) || !fwd->nextseq) {
        if (!(flags & PA_TA_ZERO_WINDOW_PROBE)) {
            fwd->nextseq = nextseq;
            fwd->nextseq_frame = p->frame_no;
            fwd->nextseq_time = now;
        }
    }
    if (seq == fwd->maxseqtobeacked || !fwd->maxseqtobeacked) {
        if (!(flags & PA_TA_ZERO_WINDOW_PROBE)) fwd->maxseqtobeacked = fwd->nextseq;
    }
    fwd->window = win;
    fwd->window_known = true;
    fwd->seen_syn_window = syn;
    fwd->lastack = ack;
    fwd->lastack_time = now;
    fwd->lastsegmentflags = flags;
    if (ackf) process_ack(rev, ack, now, out);

    /* bytes in flight after this segment: from the last byte the peer
     * acknowledged to the highest byte sent */
    if (seglen && fwd->valid_bif && rev->lastack) {
        uint32_t bif = fwd->nextseq - rev->lastack;
        if (bif > 0 && bif < 2000000000u) {
            out->has_bif = true;
            out->bytes_in_flight = bif;
        }
    }
    /* Wireshark's tcp.window_size: unscaled in SYNs and when the scale is
     * unknown or unused */
    out->window_scaled = (int64_t)win << (syn || fwd->win_scale < 0 ? 0 : fwd->win_scale);
    out->flags = flags;

    note_stats(s, p, from, out);
}
