/* RTCP report blocks per (reporter, source) and round trips from LSR/DLSR. */
#include "rtcp_reports.h"

#include <string.h>

int pa_rtcp_reports_init(pa_rtcp_reports *r) {
    memset(r, 0, sizeof *r);
    if (pa_htab_init(&r->pairs, sizeof(pa_rtcp_pair), 8, PA_RTCP_MAX_PAIRS) ||
        pa_htab_init(&r->srs, sizeof(pa_rtcp_sr_seen), 8, PA_RTCP_MAX_SRS)) {
        pa_rtcp_reports_free(r);
        return -1;
    }
    return 0;
}

void pa_rtcp_reports_free(pa_rtcp_reports *r) {
    pa_htab_free(&r->pairs);
    pa_htab_free(&r->srs);
}

size_t pa_rtcp_reports_memory(const pa_rtcp_reports *r) { return pa_htab_memory(&r->pairs) + pa_htab_memory(&r->srs); }

/* The SR of `source` whose NTP middle bits a report echoes (LSR), or NULL. */
static const pa_rtcp_sr_seen *echoed(const pa_rtcp_reports *r, uint32_t source, uint32_t lsr) {
    uint32_t key[2] = {source, lsr};
    return r->srs.cap ? pa_htab_find(&r->srs, key) : NULL;
}

static void block(pa_rtcp_reports *r, uint32_t reporter, const pa_rtcp_block *b, const pa_packet *p,
                  pa_rtcp_frame_rtt *rtt) {
    r->blocks++;
    uint32_t key[2] = {reporter, b->ssrc};
    bool created;
    pa_rtcp_pair *x = r->pairs.cap ? pa_htab_upsert(&r->pairs, key, &created) : NULL;
    if (!x) {
        r->pairs_dropped++;
        return;
    }
    if (created) {
        x->from = p->src;
        x->to = p->dst;
        x->sport = p->sport;
        x->dport = p->dport;
        x->first_frame = p->frame_no;
    }
    x->last_frame = p->frame_no;
    x->reports++;
    x->fraction_last = b->fraction_lost;
    if (b->fraction_lost > x->fraction_max) x->fraction_max = b->fraction_lost;
    x->cumulative_last = b->cumulative_lost;
    x->highest_seq_last = b->highest_seq;
    x->jitter_last = b->jitter;
    if (b->jitter > x->jitter_max) x->jitter_max = b->jitter;
    if (!b->lsr) return; /* no SR received yet (6.4.1) */
    const pa_rtcp_sr_seen *sr = echoed(r, b->ssrc, b->lsr);
    if (!sr) return;
    if (rtt && rtt->n < PA_RTCP_FRAME_RTT) {
        int64_t gap_ms = (p->ts_ns - sr->ts_ns) / 1000000;
        rtt->ms[rtt->n++] = (int32_t)(gap_ms - (int64_t)((double)b->dlsr / 65536.0 * 1000.0));
    }
    /* A - LSR - DLSR, DLSR in units of 1/65536 s */
    double ms = (double)(p->ts_ns - sr->ts_ns) / 1e6 - (double)b->dlsr * 1000.0 / 65536.0;
    if (ms < 0) {
        r->rtt_negative++;
        return;
    }
    if (!x->rtt_n || ms < x->rtt_min_ms) x->rtt_min_ms = ms;
    if (!x->rtt_n || ms > x->rtt_max_ms) x->rtt_max_ms = ms;
    x->rtt_last_ms = ms;
    x->rtt_n++;
}

void pa_rtcp_reports_note(pa_rtcp_reports *r, const pa_rtcp_msg *m, const pa_packet *p, pa_rtcp_frame_rtt *rtt) {
    for (uint8_t i = 0; i < m->n; i++) {
        const pa_rtcp_pkt *k = &m->pkt[i];
        if (k->pt != 200 && k->pt != 201) continue;
        if (k->pt == 200) {
            r->sender_reports++;
            uint32_t key[2] = {k->ssrc, (k->ntp_msw << 16) | (k->ntp_lsw >> 16)};
            bool created;
            pa_rtcp_sr_seen *s = r->srs.cap ? pa_htab_upsert(&r->srs, key, &created) : NULL;
            if (!s)
                r->srs_dropped++;
            else if (created) { /* the first copy: a repeat would shorten the round trip */
                s->ts_ns = p->ts_ns;
                s->frame = p->frame_no;
            }
        } else {
            r->receiver_reports++;
        }
        for (uint8_t b = 0; b < k->nblocks; b++) block(r, k->ssrc, &k->block[b], p, rtt);
    }
}
