/* fuzz_pop: one connection's segments through the POP3 tracker (lines
 * across segments, multi-line answers to their "." line, pipelined
 * commands, AUTH exchanges, logins, STLS, holes), with the
 * per-frame view Wireshark shows, then the end of the connection and of
 * the pass; then again as a display-filtered analysis runs them (a deciding
 * pass and a counting pass, every frame matching, then some). Input:
 * segment records (fuzz_segments.h), closing with FIN.
 * fuzz/run: max_len 8192 */
#include <string.h>

#include "fuzz.h"
#include "fuzz_segments.h"
#include "pop_track.h"

static void check_text(const char *s, size_t size) {
    if (strnlen(s, size) >= size) __builtin_trap();
}

static bool matches(uint8_t sel, uint64_t frame) { return (sel >> (frame % 8)) & 1; }

static bool run(pa_pop_stats *st, const uint8_t *data, size_t size, pa_txkeep *k, pa_frame_mask *fm, uint8_t sel) {
    if (pa_pop_init(st)) return false;
    st->keep = k;
    pa_pop_flow *f = NULL;
    pa_fuzz_segs segs = pa_fuzz_segs_make(data, size, 110, PA_TCP_FIN);
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
        pa_pop_frame view;
        memset(&view, 0, sizeof view);
        pa_pop_segment(st, &f, &p, side, NULL, syn < 2 ? NULL : &view);
        if (view.present) {
            check_text(view.command, sizeof view.command);
            check_text(view.param, sizeof view.param);
            check_text(view.indicator, sizeof view.indicator);
            check_text(view.desc, sizeof view.desc);
        }
        if (k && k->deciding) {
            bool m = matches(sel, p.frame_no);
            if (m) pa_frame_mask_set(fm, p.frame_no);
            pa_txkeep_frame_done(k, m);
        }
    }
    if (k) k->cur = 0;
    pa_pop_finish_flow(st, f);
    pa_pop_finish(st);
    pa_pop_free_flow(f);
    return true;
}

static void check_stats(const pa_pop_stats *st) {
    if (st->ok + st->err + st->continuations != st->replies || st->sessions > 1) __builtin_trap();
    if (st->stls_ok > st->stls || st->logins_ok + st->logins_failed > st->replies) __builtin_trap();
    for (size_t k = 0; k < st->ntx; k++) {
        const pa_pop_tx *t = &st->tx[k];
        check_text(t->verb, sizeof t->verb);
        check_text(t->arg, sizeof t->arg);
        if ((t->auth_data || !strcmp(t->verb, "PASS") || !strcmp(t->verb, "APOP")) && t->arg[0])
            __builtin_trap(); /* never a credential */
        if (k && st->tx[k - 1].cmd_frame > t->cmd_frame) __builtin_trap();
        if (t->reply_frame && (t->reply_frame < t->cmd_frame || t->end_frame < t->reply_frame)) __builtin_trap();
    }
}

/* A filtered analysis counts a subset of the unfiltered one (all of it when every frame matches). */
static void check_subset(const pa_pop_stats *all, const pa_pop_stats *got, bool every) {
    const uint64_t a[] = {all->sessions,  all->commands,   all->replies,       all->unanswered, all->greetings,
                          all->retr,      all->logins_ok,  all->logins_failed, all->stls,       all->ntx,
                          all->bad_lines, all->retr_bytes, all->orphan_replies};
    const uint64_t g[] = {got->sessions,  got->commands,   got->replies,       got->unanswered, got->greetings,
                          got->retr,      got->logins_ok,  got->logins_failed, got->stls,       got->ntx,
                          got->bad_lines, got->retr_bytes, got->orphan_replies};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        if (every ? g[i] != a[i] : g[i] > a[i]) __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_pop_stats all;
    if (!run(&all, data, size, NULL, NULL, 0)) return 0;
    check_stats(&all);
    uint8_t some = (uint8_t)(size * 151u + (size ? data[size - 1] : 0u));
    const uint8_t sels[] = {0xff, some};
    for (size_t r = 0; r < 2; r++) {
        pa_frame_mask fm = {0};
        pa_txkeep k = {.matched = &fm, .deciding = true};
        pa_pop_stats dec, got;
        if (run(&dec, data, size, &k, &fm, sels[r])) {
            pa_pop_stats_free(&dec);
            k.deciding = false;
            if (run(&got, data, size, &k, &fm, sels[r])) {
                check_stats(&got);
                check_subset(&all, &got, sels[r] == 0xff);
                pa_pop_stats_free(&got);
            }
        }
        pa_txkeep_free(&k);
        pa_frame_mask_free(&fm);
    }
    pa_pop_stats_free(&all);
    return 0;
}
