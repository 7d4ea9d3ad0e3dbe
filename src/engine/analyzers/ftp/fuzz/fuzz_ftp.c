/* fuzz_ftp: one connection's segments through the FTP control-channel
 * tracker (lines across segments, multi-line replies, pipelined commands,
 * preliminary replies, logins, holes and resynchronisation), with the
 * per-frame view Wireshark shows, then the end of the connection and of the
 * pass. The same segments then go through it as a display-filtered
 * analysis runs them (src/engine/pass/driver.c): a deciding pass and a counting
 * pass, once with every frame matching (the unfiltered figures) and once
 * with frames chosen from the input (a subset of them). The data
 * connections the lines announced (PASV, EPSV, PORT, EPRT) then get
 * segments cut from the input, in both directions, with sequence numbers
 * from it (overlaps, retransmissions, another connection on the same
 * endpoint). Input: segment
 * records (fuzz_segments.h), closing with FIN.
 * fuzz/run: max_len 8192 */
#include <stdlib.h>
#include <string.h>

#include "ftp_track.h"
#include "fuzz.h"
#include "fuzz_segments.h"

static void check_text(const char *s, size_t size) {
    if (strnlen(s, size) >= size) __builtin_trap();
}

/* Whether the "filter" matches a frame: bit frame % 8 of sel. */
static bool matches(uint8_t sel, uint64_t frame) { return (sel >> (frame % 8)) & 1; }

static void check_view(const pa_ftp_data_view *v) {
    check_text(v->method, sizeof v->method);
    check_text(v->command, sizeof v->command);
    check_text(v->cwd, sizeof v->cwd);
}

/* Segments of each announced endpoint, from both ends. */
static void data_segments(pa_ftp_stats *st, const uint8_t *data, size_t size, uint64_t frame) {
    const pa_htab *h = &st->data.expect;
    uint64_t before = st->data.frames;
    for (size_t r = 0; r < h->count && r < 8; r++) {
        const pa_ftp_expect x = *(const pa_ftp_expect *)pa_htab_rec(h, r);
        for (size_t i = 0; i + 6 <= size && i < 96; i += 6) {
            pa_packet p;
            memset(&p, 0, sizeof p);
            p.frame_no = ++frame;
            p.l4 = PA_P_TCP;
            bool back = data[i] & 1;
            p.src = back ? x.b : x.a;
            p.dst = back ? x.a : x.b;
            uint16_t other = (data[i] & 2) ? 20 : (uint16_t)(40000 + (data[i] >> 6));
            p.sport = back ? other : x.port_a;
            p.dport = back ? x.port_a : other;
            p.tcp.seq = (uint32_t)data[i + 1] << 24 | (uint32_t)data[i + 2] << 8 | data[i + 3];
            p.payload = data + i;
            p.payload_len = p.payload_wire_len = (uint32_t)(size - i < data[i + 4] ? size - i : data[i + 4]);
            if (!p.payload_len) continue;
            pa_ftp_data_view v;
            memset(&v, 0, sizeof v);
            uint8_t name = pa_ftp_data_packet(&st->data, &p, (int64_t)(data[i + 5] & 1), &v);
            if (name != PA_P_FTP_DATA && name != PA_P_DATA && name != PA_P_NONE) __builtin_trap();
            if (name == PA_P_FTP_DATA) check_view(&v);
        }
    }
    uint64_t per = 0;
    for (size_t i = 0; i < st->data.n; i++) {
        const pa_ftp_transfer *t = &st->data.t[i];
        check_text(t->command, sizeof t->command);
        check_text(t->cwd, sizeof t->cwd);
        if (t->frames && (t->first_frame > t->last_frame || t->bytes_from_server + t->bytes_from_client != t->bytes))
            __builtin_trap();
        per += t->frames;
    }
    if (per > st->data.frames - before) __builtin_trap(); /* a transfer counts only frames counted */
}

/* One pass over the segments into st (initialised here). k: a display
 * filter's transactions (NULL: none); while deciding, each frame's verdict
 * comes from sel after the tracker has read it, as in the engine. */
static bool run(pa_ftp_stats *st, const uint8_t *data, size_t size, pa_txkeep *k, pa_frame_mask *fm, uint8_t sel) {
    if (pa_ftp_init(st)) return false;
    st->keep = k;
    pa_ftp_flow *f = NULL;
    pa_fuzz_segs segs = pa_fuzz_segs_make(data, size, 21, PA_TCP_FIN);
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
        pa_ftp_frame view;
        memset(&view, 0, sizeof view);
        pa_ftp_segment(st, &f, &p, side, NULL, syn < 2 ? NULL : &view);
        if (view.present) {
            check_text(view.command, sizeof view.command);
            check_text(view.arg, sizeof view.arg);
            if (view.has_code && view.code > 999) __builtin_trap();
        }
        if (k && k->deciding) {
            bool m = matches(sel, p.frame_no);
            if (m) pa_frame_mask_set(fm, p.frame_no);
            pa_txkeep_frame_done(k, m);
        }
    }
    if (k) k->cur = 0; /* every frame has its verdict */
    if (!k) data_segments(st, data, size, p.frame_no);
    pa_ftp_finish_flow(st, f);
    pa_ftp_finish(st);
    pa_ftp_free_flow(f);
    return true;
}

static void check_stats(const pa_ftp_stats *st) {
    /* every command is answered, unanswered or given up; replies are counted once */
    if (st->ntx + st->tx_dropped != st->commands && st->commands < PA_FTP_MAX_TX) __builtin_trap();
    uint64_t classes = 0;
    for (int k = 1; k < 6; k++) classes += st->reply_class[k];
    if (classes != st->replies || st->logins_failed + st->logins_ok > st->commands) __builtin_trap();
    if (st->sessions > 1) __builtin_trap();
    for (size_t k = 0; k < st->ntx; k++) {
        check_text(st->tx[k].verb, sizeof st->tx[k].verb);
        check_text(st->tx[k].arg, sizeof st->tx[k].arg);
        if (!strcmp(st->tx[k].verb, "PASS") && st->tx[k].arg[0]) __builtin_trap(); /* never a password */
        if (k && st->tx[k - 1].cmd_frame > st->tx[k].cmd_frame) __builtin_trap();
    }
}

static bool same_tx(const pa_ftp_tx *a, const pa_ftp_tx *b) {
    return a->cmd_frame == b->cmd_frame && a->reply_frame == b->reply_frame && a->rt_ns == b->rt_ns &&
           a->prelim_frame == b->prelim_frame && a->code == b->code && !strcmp(a->verb, b->verb) &&
           !strcmp(a->arg, b->arg);
}

/* A filtered analysis counts a subset of the unfiltered one (all of it
 * when every frame matches), each kept transaction unchanged. */
static void check_subset(const pa_ftp_stats *all, const pa_ftp_stats *got, bool every) {
    const uint64_t a[] = {all->sessions,       all->commands,  all->replies,   all->preliminary,   all->unanswered,
                          all->orphan_replies, all->greetings, all->logins_ok, all->logins_failed, all->bad_lines,
                          all->long_lines,     all->gaps,      all->ntx};
    const uint64_t g[] = {got->sessions,       got->commands,  got->replies,   got->preliminary,   got->unanswered,
                          got->orphan_replies, got->greetings, got->logins_ok, got->logins_failed, got->bad_lines,
                          got->long_lines,     got->gaps,      got->ntx};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        if (every ? g[i] != a[i] : g[i] > a[i]) __builtin_trap();
    for (int c = 100; c < 600; c++)
        if (every ? got->reply_code[c] != all->reply_code[c] : got->reply_code[c] > all->reply_code[c])
            __builtin_trap();
    /* both lists are in command order (commands that share a frame in any
     * order): each kept pair is one of the unfiltered ones, used once */
    bool *used = calloc(all->ntx ? all->ntx : 1, sizeof *used);
    if (!used) return;
    size_t from = 0;
    for (size_t i = 0; i < got->ntx; i++) {
        while (from < all->ntx && all->tx[from].cmd_frame < got->tx[i].cmd_frame) from++;
        size_t j = from;
        while (j < all->ntx && all->tx[j].cmd_frame == got->tx[i].cmd_frame &&
               (used[j] || !same_tx(&all->tx[j], &got->tx[i])))
            j++;
        if (j == all->ntx || all->tx[j].cmd_frame != got->tx[i].cmd_frame) __builtin_trap();
        used[j] = true;
    }
    free(used);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_ftp_stats all;
    if (!run(&all, data, size, NULL, NULL, 0)) return 0;
    check_stats(&all);
    uint8_t some = (uint8_t)(size * 151u + (size ? data[size - 1] : 0u));
    const uint8_t sels[] = {0xff, some};
    for (size_t r = 0; r < 2; r++) {
        pa_frame_mask fm = {0};
        pa_txkeep k = {.matched = &fm, .deciding = true};
        pa_ftp_stats dec, got;
        if (run(&dec, data, size, &k, &fm, sels[r])) {
            pa_ftp_stats_free(&dec);
            k.deciding = false;
            if (run(&got, data, size, &k, &fm, sels[r])) {
                check_stats(&got);
                check_subset(&all, &got, sels[r] == 0xff);
                if (!sels[r] && (got.sessions || got.ntx || got.replies)) __builtin_trap();
                pa_ftp_stats_free(&got);
            }
        }
        pa_txkeep_free(&k);
        pa_frame_mask_free(&fm);
    }
    pa_ftp_stats_free(&all);
    return 0;
}
