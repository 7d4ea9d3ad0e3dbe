/* fuzz_smtp: one connection's segments through the SMTP tracker (lines
 * across segments, multi-line replies, pipelined commands, DATA and its
 * "." line, BDAT chunks, AUTH exchanges, STARTTLS, holes), with the
 * per-frame view Wireshark shows, then the end of the connection and of
 * the pass; then again as a display-filtered analysis runs them (a deciding
 * pass and a counting pass, every frame matching, then some). Input:
 * segment records (fuzz_segments.h), closing with FIN.
 * fuzz/run: max_len 8192 */
#include <string.h>

#include "fuzz.h"
#include "fuzz_segments.h"
#include "smtp_track.h"

static void check_text(const char *s, size_t size) {
    if (strnlen(s, size) >= size) __builtin_trap();
}

static bool matches(uint8_t sel, uint64_t frame) { return (sel >> (frame % 8)) & 1; }

static bool run(pa_smtp_stats *st, const uint8_t *data, size_t size, pa_txkeep *k, pa_frame_mask *fm, uint8_t sel) {
    if (pa_smtp_init(st)) return false;
    st->keep = k;
    pa_smtp_flow *f = NULL;
    pa_fuzz_segs segs = pa_fuzz_segs_make(data, size, 25, PA_TCP_FIN);
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
        pa_smtp_frame view;
        memset(&view, 0, sizeof view);
        pa_smtp_segment(st, &f, &p, side, NULL, syn < 2 ? NULL : &view);
        if (view.ncmd > PA_SMTP_VIEW || view.nrsp > PA_SMTP_VIEW || view.code > 999) __builtin_trap();
        for (int i = 0; i < view.ncmd; i++) {
            check_text(view.cmd[i], sizeof view.cmd[i]);
            check_text(view.param[i], sizeof view.param[i]);
        }
        for (int i = 0; i < view.nrsp; i++) check_text(view.rsp[i], sizeof view.rsp[i]);
        if (k && k->deciding) {
            bool m = matches(sel, p.frame_no);
            if (m) pa_frame_mask_set(fm, p.frame_no);
            pa_txkeep_frame_done(k, m);
        }
    }
    if (k) k->cur = 0;
    pa_smtp_finish_flow(st, f);
    pa_smtp_finish(st);
    pa_smtp_free_flow(f);
    return true;
}

static void check_stats(const pa_smtp_stats *st) {
    uint64_t classes = 0;
    for (int c = 2; c < 6; c++) classes += st->reply_class[c];
    if (classes != st->replies || st->reply_class[0] || st->reply_class[1] || st->sessions > 1) __builtin_trap();
    if (st->starttls_ok > st->starttls) __builtin_trap();
    for (size_t k = 0; k < st->ntx; k++) {
        const pa_smtp_tx *t = &st->tx[k];
        check_text(t->verb, sizeof t->verb);
        check_text(t->arg, sizeof t->arg);
        if (t->kind == PA_SMTP_REQ_AUTH_DATA && t->arg[0]) __builtin_trap(); /* never a credential */
        if (k && st->tx[k - 1].cmd_frame > t->cmd_frame) __builtin_trap();
        if (t->reply_frame && t->reply_frame < t->cmd_frame) __builtin_trap();
    }
}

/* A filtered analysis counts a subset of the unfiltered one (all of it when every frame matches). */
static void check_subset(const pa_smtp_stats *all, const pa_smtp_stats *got, bool every) {
    const uint64_t a[] = {all->sessions,  all->commands,   all->replies,       all->unanswered, all->greetings,
                          all->messages,  all->auth_ok,    all->auth_failed,   all->starttls,   all->ntx,
                          all->bad_lines, all->recipients, all->orphan_replies};
    const uint64_t g[] = {got->sessions,  got->commands,   got->replies,       got->unanswered, got->greetings,
                          got->messages,  got->auth_ok,    got->auth_failed,   got->starttls,   got->ntx,
                          got->bad_lines, got->recipients, got->orphan_replies};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        if (every ? g[i] != a[i] : g[i] > a[i]) __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_smtp_stats all;
    if (!run(&all, data, size, NULL, NULL, 0)) return 0;
    check_stats(&all);
    uint8_t some = (uint8_t)(size * 151u + (size ? data[size - 1] : 0u));
    const uint8_t sels[] = {0xff, some};
    for (size_t r = 0; r < 2; r++) {
        pa_frame_mask fm = {0};
        pa_txkeep k = {.matched = &fm, .deciding = true};
        pa_smtp_stats dec, got;
        if (run(&dec, data, size, &k, &fm, sels[r])) {
            pa_smtp_stats_free(&dec);
            k.deciding = false;
            if (run(&got, data, size, &k, &fm, sels[r])) {
                check_stats(&got);
                check_subset(&all, &got, sels[r] == 0xff);
                pa_smtp_stats_free(&got);
            }
        }
        pa_txkeep_free(&k);
        pa_frame_mask_free(&fm);
    }
    pa_smtp_stats_free(&all);
    return 0;
}
