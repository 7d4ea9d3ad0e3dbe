/* Holds an RTP stream table against tshark's rows (voip_corpus.h): every
 * stream tshark lists must be ours with the same printed figures. */
#ifndef PA_VOIP_COMPARE_H
#define PA_VOIP_COMPARE_H

#include "check.h"
#include "rtp_stream.h"
#include "voip_corpus.h"

static inline void voip_fmt(char *out, size_t n, double v) { snprintf(out, n, "%.3f", v); }

/* Returns the rows matched; *mismatch counts figures that differ. */
static inline int voip_compare(const pa_rtp_table *t, voip_row *rows, int nrows, int *mismatch) {
    int matched = 0;
    for (int i = 0; i < nrows; i++) {
        voip_row *r = &rows[i];
        const pa_rtp_stream *s = NULL;
        for (uint32_t k = 0; k < t->nstreams && !s; k++) {
            const pa_rtp_stream *c = &t->streams[k];
            char a[64], b[64];
            pa_addr_str(&c->src, a, sizeof a);
            pa_addr_str(&c->dst, b, sizeof b);
            if (c->ssrc == r->ssrc && c->sport == r->sport && c->dport == r->dport && !strcmp(a, r->src) &&
                !strcmp(b, r->dst))
                s = c;
        }
        if (!s) {
            fprintf(stderr, "  stream %s:%u -> %s:%u 0x%08lX: not found\n", r->src, r->sport, r->dst, r->dport,
                    r->ssrc);
            (*mismatch)++;
            continue;
        }
        char pk[16], lo[16], f[6][24];
        snprintf(pk, sizeof pk, "%u", s->packets);
        snprintf(lo, sizeof lo, "%d", pa_rtp_lost(s));
        voip_fmt(f[0], sizeof f[0], s->min_delta);
        voip_fmt(f[1], sizeof f[1], s->mean_delta);
        voip_fmt(f[2], sizeof f[2], s->max_delta);
        voip_fmt(f[3], sizeof f[3], s->min_jitter);
        voip_fmt(f[4], sizeof f[4], s->mean_jitter);
        voip_fmt(f[5], sizeof f[5], s->max_jitter);
        const char *want[8] = {r->pkts,      r->lost,       r->min_delta,   r->mean_delta,
                               r->max_delta, r->min_jitter, r->mean_jitter, r->max_jitter};
        const char *got[8] = {pk, lo, f[0], f[1], f[2], f[3], f[4], f[5]};
        static const char *what[8] = {"packets",   "lost",       "min delta",   "mean delta",
                                      "max delta", "min jitter", "mean jitter", "max jitter"};
        bool ok = s->problem == r->problem;
        if (!ok) fprintf(stderr, "  0x%08lX problem: ours %d tshark %d\n", r->ssrc, s->problem, r->problem);
        for (int k = 0; k < 8; k++)
            if (strcmp(want[k], got[k])) {
                fprintf(stderr, "  0x%08lX %s: ours %s tshark %s\n", r->ssrc, what[k], got[k], want[k]);
                ok = false;
            }
        if (ok) {
            matched++;
            r->matched = true;
        } else {
            (*mismatch)++;
        }
    }
    return matched;
}

#endif
