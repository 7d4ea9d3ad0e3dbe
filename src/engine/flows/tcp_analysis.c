/* Wireshark's TCP sequence analysis, written from its documented behaviour
 * (the user guide's "TCP Analysis" section) and checked frame by frame
 * against tshark 4.0 on the corpus (tests/corpus/compare_tcp_flags.mjs).
 * Values are absolute sequence numbers; as in Wireshark, 0 in nextseq,
 * lastack and maxseqtobeacked means "not known yet". */
#include "tcp_analysis.h"

#include <stdlib.h>
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
    d->last_win = UINT32_MAX; /* never equal to a real 16-bit window */
    d->wscale = -1;
    d->bif_valid = true;
}

/* Wireshark keeps the newest first and stops adding at its limit; we keep
 * the oldest first (appending), which visits them in the opposite order. */
static bool remember_unacked(pa_tcp_dir *f, uint32_t seq, uint32_t end, uint64_t frame, int64_t ts) {
    if (f->nunacked >= PA_TCP_MAX_UNACKED) return false;
    if (f->nunacked == f->cap_unacked) {
        uint32_t ncap = f->cap_unacked ? f->cap_unacked * 2 : 8;
        if (ncap > PA_TCP_MAX_UNACKED) ncap = PA_TCP_MAX_UNACKED;
        pa_tcp_unacked *n = realloc(f->unacked, ncap * sizeof *n);
        if (!n) return false;
        f->unacked = n;
        f->cap_unacked = ncap;
    }
    f->unacked[f->nunacked++] = (pa_tcp_unacked){seq, end, frame, ts};
    return true;
}

void pa_tcp_trim(pa_tcp_state *s) {
    for (int i = 0; i < 2; i++)
        if (!s->dir[i].nunacked) {
            free(s->dir[i].unacked);
            s->dir[i].unacked = NULL;
            s->dir[i].cap_unacked = 0;
        }
}

void pa_tcp_free(pa_tcp_state *s) {
    if (!s) return;
    free(s->dir[0].unacked);
    free(s->dir[1].unacked);
    pa_samples_free(&s->rtt_kept);
    free(s);
}

/* The ACK (its ack field, even without the ACK flag, as Wireshark) covers
 * segments of the other direction. An exact end match gives the ACK RTT;
 * when several match (a segment and its retransmissions), the oldest. */
static void process_ack(pa_tcp_dir *r, uint32_t ack, int64_t now, pa_tcp_result *out) {
    uint32_t kept = 0;
    for (uint32_t k = 0; k < r->nunacked; k++) {
        pa_tcp_unacked u = r->unacked[k];
        if (ack == u.nextseq) {
            if (!out->has_rtt) {
                out->has_rtt = true;
                out->ack_rtt_ns = now - u.ts;
                out->acks_frame = u.frame;
            }
            continue;
        }
        if (gt_seq(ack, u.seq) && le_seq(ack, u.nextseq))
            u.seq = ack; /* partly acknowledged */
        else if (!gt_seq(u.nextseq, ack))
            continue; /* acknowledged beyond */
        r->unacked[kept++] = u;
    }
    r->nunacked = kept;
}

bool pa_tcp_is_port_reuse(const pa_tcp_state *s, const pa_packet *p, int from) {
    const pa_tcp_dir *f = &s->dir[from];
    return (p->tcp.flags & (PA_TCP_SYN | PA_TCP_ACK)) == PA_TCP_SYN && f->base_known && p->tcp.seq != f->base;
}

/* Totals the tools report, per side. The RTT of an ACK belongs to the side
 * whose data it acknowledges (the other side). */
static void note_stats(pa_tcp_state *s, const pa_packet *p, int from, pa_tcp_result *out) {
    uint32_t flags = out->flags;
    for (unsigned b = 0; b < PA_TA_COUNT; b++)
        if (flags & (1u << b)) s->count[from][b]++;
    if (p->payload_wire_len) s->data_segments[from]++;
    if (flags & PA_TA_RETRANSMISSION) s->retrans_bytes[from] += p->payload_wire_len;
    if ((flags & PA_TA_DUPLICATE_ACK) && out->dupack_num == 3) s->dupack_bursts[from]++;
    uint16_t f = p->tcp.flags;
    if (f & PA_TCP_SYN) s->by_flag[from][(f & PA_TCP_ACK) ? PA_SEG_SYNACK : PA_SEG_SYN]++;
    if (f & PA_TCP_RST) s->by_flag[from][PA_SEG_RST]++;
    if (f & PA_TCP_FIN) s->by_flag[from][PA_SEG_FIN]++;
    if (f & PA_TCP_PSH) s->by_flag[from][PA_SEG_PSH]++;
    if ((f & PA_TCP_ACK) && !(f & (PA_TCP_SYN | PA_TCP_FIN | PA_TCP_RST | PA_TCP_PSH))) s->by_flag[from][PA_SEG_ACK]++;
    if (p->tcp.window == 0 && !(f & PA_TCP_RST)) s->zero_win_segs[from]++;
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
        pa_samples_add(&s->rtt_kept, out->ack_rtt_ns, PA_PCTL_KEEP_SMALL);
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

    /* a SYN-ACK with another sequence number re-bases the server side */
    if (syn && ackf && fwd->base_known && seq != fwd->base) {
        fwd->base = seq;
        flags |= PA_TA_REUSED_PORTS;
    }
    if (!fwd->base_known) {
        fwd->base = syn ? seq : seq - 1;
        fwd->base_known = true;
    }
    if (!rev->base_known && ackf) {
        rev->base = ack - 1;
        rev->base_known = true;
    }
    if (ackf) rev->bif_valid = true;

    /* zero window probe: one byte at the next expected sequence number
     * while the other side advertises a zero window */
    if (seglen == 1 && seq == fwd->next_seq && rev->last_win == 0) {
        flags |= PA_TA_ZERO_WINDOW_PROBE;
        goto ack_change;
    }
    if (win == 0 && !sfr) flags |= PA_TA_ZERO_WINDOW;
    /* previous segment not captured: this one starts beyond what we saw */
    if (fwd->next_seq && gt_seq(seq, fwd->next_seq) && !rst) {
        flags |= PA_TA_LOST_SEGMENT;
        fwd->bif_valid = false;
    }
    /* keep-alive: 0 or 1 byte starting one before the next sequence number */
    if (seglen <= 1 && seq == fwd->next_seq - 1 && !sfr) flags |= PA_TA_KEEP_ALIVE;
    /* window update: nothing new but the window */
    if (seglen == 0 && win && win != fwd->last_win && seq == fwd->next_seq && ack == fwd->last_ack && !sfr)
        flags |= PA_TA_WINDOW_UPDATE;
    /* window full: the data reaches the right edge of the peer's window (a
     * window from a SYN, or before the peer's first ACK, is never scaled) */
    if (seglen > 0 && rev->wscale != -1 && !sfr) {
        unsigned shift = (rev->first_ack_pending || rev->wscale == -2) ? 0u : (unsigned)rev->wscale;
        if (seq + seglen == rev->last_ack + (uint32_t)(rev->last_win << shift)) flags |= PA_TA_WINDOW_FULL;
    }
    {
        bool repeat = seglen == 0 && win == fwd->last_win && seq == fwd->next_seq && ack == fwd->last_ack && !sfr;
        if (repeat && win && (rev->last_flags & PA_TA_KEEP_ALIVE)) {
            flags |= PA_TA_KEEP_ALIVE_ACK;
            goto ack_change;
        }
        if (repeat && !win && (rev->last_flags & PA_TA_ZERO_WINDOW_PROBE)) {
            flags |= PA_TA_ZERO_WINDOW_PROBE_ACK;
            goto ack_change;
        }
        if (repeat && win) {
            fwd->dup_count = fwd->dup_count == UINT32_MAX ? 1 : fwd->dup_count + 1;
            flags |= PA_TA_DUPLICATE_ACK;
            out->dupack_num = fwd->dup_count;
            out->dupack_frame = fwd->last_ack_change_frame;
        }
    }

ack_change:
    /* the duplicate-ACK count restarts when the acknowledgement moves */
    if (ack != fwd->last_ack) {
        fwd->last_ack_change_frame = p->frame_no;
        fwd->dup_count = 0;
    }
    /* ACKed unseen segment: this acknowledges data of the peer never seen */
    if (rev->acked_limit && gt_seq(ack, rev->acked_limit) && ackf) {
        if (lt_seq(rev->acked_limit, rev->next_seq)) {
            rev->acked_limit = rev->next_seq;
            flags |= PA_TA_ACK_LOST_SEGMENT;
        } else {
            if (rev->dup_count == 0) flags |= PA_TA_ACK_LOST_SEGMENT;
            rev->dup_count = UINT32_MAX; /* marker: see the fast retransmission test */
        }
    }

    /* the retransmission family */
    if (seglen > 0 || syn || fin) {
        bool behind = fwd->next_seq && lt_seq(seq, fwd->next_seq);
        if (flags & PA_TA_KEEP_ALIVE) goto remember;
        /* data starting one byte back follows an unaccepted zero window probe */
        if (seglen > 1 && seq == fwd->next_seq - 1) behind = false;
        if (seglen > 0 && rev->last_ack && le_seq(seq + seglen, rev->last_ack)) {
            flags |= PA_TA_SPURIOUS_RETRANSMISSION;
            goto remember;
        }
        int64_t dt = now - rev->last_ack_time;
        if (behind && rev->dup_count >= 2 && rev->last_ack == seq && dt >= 0 && dt < FAST_RETRANS_NS) {
            flags |= PA_TA_FAST_RETRANSMISSION;
            goto remember;
        }
        dt = now - fwd->next_seq_time;
        bool within = s->first_rtt_set && s->first_rtt_ns != 0
                          ? (s->first_rtt_ns < 0 || (dt >= 0 && dt < s->first_rtt_ns))
                          : (dt >= 0 && dt < OOO_DEFAULT_NS);
        if (behind && within && fwd->next_seq != seq + seglen + ((syn || fin) ? 1u : 0u)) {
            flags |= PA_TA_OUT_OF_ORDER;
            goto remember;
        }
        if (behind) flags |= PA_TA_RETRANSMISSION;
    }

remember:;
    bool probe = flags & PA_TA_ZERO_WINDOW_PROBE;
    uint32_t end = seq + seglen;
    /* the +1 of SYN and FIN comes with storing the segment (Wireshark) */
    if ((seglen > 0 || syn || fin) && remember_unacked(fwd, seq, end + ((syn || fin) ? 1u : 0u), p->frame_no, now))
        end += (syn || fin) ? 1u : 0u;
    if ((gt_seq(end, fwd->next_seq) || fwd->next_seq == 0) && !probe) {
        fwd->next_seq = end;
        fwd->next_seq_frame = p->frame_no;
        fwd->next_seq_time = now;
    }
    if ((seq == fwd->acked_limit || fwd->acked_limit == 0) && !probe) fwd->acked_limit = fwd->next_seq;
    fwd->last_win = win;
    fwd->last_ack = ack;
    fwd->last_ack_time = now;
    fwd->last_flags = flags;
    process_ack(rev, ack, now, out);

    /* bytes in flight after this segment (data segments only): the span of
     * this side's outstanding segments, less what the peer's latest SACK
     * blocks cover */
    if (seglen > 0 && fwd->nunacked && fwd->bif_valid) {
        uint32_t lo = fwd->unacked[0].seq - fwd->base, hi = fwd->unacked[0].nextseq - fwd->base;
        for (uint32_t k = 1; k < fwd->nunacked; k++) {
            uint32_t a = fwd->unacked[k].seq - fwd->base, e = fwd->unacked[k].nextseq - fwd->base;
            if (a < lo) lo = a;
            if (e > hi) hi = e;
        }
        uint32_t bif = hi - lo;
        for (uint8_t k = 0; k < rev->nsack; k++) bif -= rev->sack_len[k];
        if (bif > 0 && bif < 2000000000u) {
            out->has_bif = true;
            out->bytes_in_flight = bif - ((syn || fin) ? 1u : 0u);
        }
    }

    /* tcp.window_size before this segment's own options apply: unscaled in
     * SYNs and when the scale is unknown or unused */
    out->window_scaled = (int64_t)win << (syn || fwd->wscale < 0 ? 0 : fwd->wscale);

    /* after the analysis: the initial RTT clock and the window scale */
    if (syn) {
        if (!ackf) s->syn_time = now;
        fwd->first_ack_pending = true;
    }
    if (ackf && !syn && s->syn_time && !s->first_rtt_set) {
        s->first_rtt_ns = now - s->syn_time;
        s->first_rtt_set = true;
    }
    if (ackf && !syn) fwd->first_ack_pending = false;
    if (p->tcp.has_ws) fwd->wscale = (int16_t)(p->tcp.ws_shift > 14 ? 14 : p->tcp.ws_shift);
    if (syn) {
        if (p->tcp.has_mss) fwd->mss = p->tcp.mss;
        fwd->sack_perm = p->tcp.sack_perm;
        fwd->timestamps = p->tcp.has_ts;
    }
    if (p->tcp.nsack) fwd->sack_segments++;
    fwd->nsack = p->tcp.nsack > 3 ? 3 : p->tcp.nsack;
    for (uint8_t k = 0; k < fwd->nsack; k++) fwd->sack_len[k] = p->tcp.sack[k][1] - p->tcp.sack[k][0];
    if (syn) {
        if (fwd->wscale == -1)
            fwd->wscale = rev->wscale = -2;
        else if (ackf && rev->wscale == -2)
            fwd->wscale = -2;
    }
    /* tshark shows fast and spurious retransmissions as retransmissions too */
    if (flags & (PA_TA_FAST_RETRANSMISSION | PA_TA_SPURIOUS_RETRANSMISSION)) flags |= PA_TA_RETRANSMISSION;
    out->flags = flags;
    note_stats(s, p, from, out);
}
