/* fuzz_imap: one connection's segments through the IMAP tracker (lines
 * across segments, literals, tagged responses out of order, untagged and
 * continuation lines, AUTHENTICATE exchanges, STARTTLS, holes), with the
 * per-frame view Wireshark shows, then the end of the connection and of
 * the pass; then again as a display-filtered analysis runs them (a deciding
 * pass and a counting pass, every frame matching, then some). Input:
 * segment records (fuzz_segments.h), closing with FIN.
 * fuzz/run: max_len 8192 */
#include <string.h>

#include "fuzz.h"
#include "fuzz_segments.h"
#include "imap_track.h"

static void check_text(const char *s, size_t size) {
    if (strnlen(s, size) >= size) __builtin_trap();
}

static bool matches(uint8_t sel, uint64_t frame) { return (sel >> (frame % 8)) & 1; }

static bool run(pa_imap_stats *st, const uint8_t *data, size_t size, pa_txkeep *k, pa_frame_mask *fm, uint8_t sel) {
    if (pa_imap_init(st)) return false;
    st->keep = k;
    pa_imap_flow *f = NULL;
    pa_fuzz_segs segs = pa_fuzz_segs_make(data, size, 143, PA_TCP_FIN);
    pa_packet p;
    int side = 0;
    for (int syn = 0;; syn++) {
        if (syn < 2) {
            side = syn;
            pa_fuzz_syn(&segs, &p, side);
        } else if (!pa_fuzz_next_segment(&segs, &p, &side)) {
            break;
        }
        if (k && k->deciding) k->cur = p.frame_no;
        pa_imap_frame view;
        memset(&view, 0, sizeof view);
        pa_imap_segment(st, &f, &p, side, NULL, syn < 2 ? NULL : &view);
        if (view.nlines > PA_IMAP_VIEW) __builtin_trap();
        for (int i = 0; i < view.nlines; i++) {
            if (view.line[i].nw > 3) __builtin_trap();
            for (int w = 0; w < 3; w++) check_text(view.line[i].w[w], sizeof view.line[i].w[w]);
        }
        if (k && k->deciding) {
            bool m = matches(sel, p.frame_no);
            if (m) pa_frame_mask_set(fm, p.frame_no);
            pa_txkeep_frame_done(k, m);
        }
    }
    if (k) k->cur = 0;
    pa_imap_finish_flow(st, f);
    pa_imap_finish(st);
    pa_imap_free_flow(f);
    return true;
}

static void check_stats(const pa_imap_stats *st) {
    uint64_t tagged = st->status[PA_IMAP_OK] + st->status[PA_IMAP_NO] + st->status[PA_IMAP_BAD];
    if (tagged + st->orphan_responses != st->responses || st->sessions > 1) __builtin_trap();
    if (st->starttls_ok > st->starttls || st->logins_ok + st->logins_failed > st->commands) __builtin_trap();
    for (size_t k = 0; k < st->ntx; k++) {
        const pa_imap_tx *t = &st->tx[k];
        check_text(t->tag, sizeof t->tag);
        check_text(t->verb, sizeof t->verb);
        check_text(t->arg, sizeof t->arg);
        if (!strcmp(t->verb, "LOGIN") && t->arg[0]) __builtin_trap(); /* never a password */
        if (k && st->tx[k - 1].cmd_frame > t->cmd_frame) __builtin_trap();
        if (t->reply_frame && t->reply_frame < t->cmd_frame) __builtin_trap();
    }
}

/* A filtered analysis counts a subset of the unfiltered one (all of it when every frame matches). */
static void check_subset(const pa_imap_stats *all, const pa_imap_stats *got, bool every) {
    const uint64_t a[] = {all->sessions,  all->commands,      all->responses,       all->unanswered, all->greetings,
                          all->untagged,  all->logins_ok,     all->logins_failed,   all->starttls,   all->ntx,
                          all->bad_lines, all->literal_bytes, all->orphan_responses};
    const uint64_t g[] = {got->sessions,  got->commands,      got->responses,       got->unanswered, got->greetings,
                          got->untagged,  got->logins_ok,     got->logins_failed,   got->starttls,   got->ntx,
                          got->bad_lines, got->literal_bytes, got->orphan_responses};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        if (every ? g[i] != a[i] : g[i] > a[i]) __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_imap_stats all;
    if (!run(&all, data, size, NULL, NULL, 0)) return 0;
    check_stats(&all);
    uint8_t some = (uint8_t)(size * 151u + (size ? data[size - 1] : 0u));
    const uint8_t sels[] = {0xff, some};
    for (size_t r = 0; r < 2; r++) {
        pa_frame_mask fm = {0};
        pa_txkeep k = {.matched = &fm, .deciding = true};
        pa_imap_stats dec, got;
        if (run(&dec, data, size, &k, &fm, sels[r])) {
            pa_imap_stats_free(&dec);
            k.deciding = false;
            if (run(&got, data, size, &k, &fm, sels[r])) {
                check_stats(&got);
                check_subset(&all, &got, sels[r] == 0xff);
                pa_imap_stats_free(&got);
            }
        }
        pa_txkeep_free(&k);
        pa_frame_mask_free(&fm);
    }
    pa_imap_stats_free(&all);
    return 0;
}
