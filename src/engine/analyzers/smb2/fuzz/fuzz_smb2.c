/* fuzz_smb2: one connection's segments through the SMB2 tracker (NBSS
 * framing across segments, continuations, SMB1 negotiates and AndX chains,
 * SMB2 compounds, requests matched to responses, trees, files, pipes,
 * transform headers, holes), with the per-frame view display filters read,
 * then the end of the connection; the same segments again as a
 * display-filtered analysis runs them with every frame matching (deciding
 * pass, counting pass), which must give the same figures. Each segment's
 * payload also goes through the parsers alone. Input: segment records
 * (fuzz_segments.h), closing with FIN. fuzz/run: max_len 8192 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_segments.h"
#include "smb2_track.h"

static void check_text(const char *s, size_t size) { PA_FUZZ_CHECK(strnlen(s, size) < size); }

static void on_name(void *ud, const char *name) {
    (void)ud;
    check_text(name, PA_SMB2_NAME_MAX);
}

static void parsers(const uint8_t *d, size_t n) {
    pa_nbss_hdr nh;
    if (pa_nbss_check(d, n, &nh)) PA_FUZZ_CHECK(n >= 4);
    if (n < 4) return;
    d += 4; /* the message after a session header */
    n -= 4;
    pa_smb2_hdr h;
    if (pa_smb2_parse_hdr(d, n, &h)) {
        pa_smb2_body b;
        pa_smb2_parse_body(d, n, &h, &b);
        PA_FUZZ_CHECK(b.ndialects <= PA_SMB2_MAX_DIALECTS);
        if (b.has_name) check_text(b.name, sizeof b.name);
        if (b.data_off <= n) {
            size_t len = n - b.data_off < b.data_len ? n - b.data_off : b.data_len;
            for (uint8_t cls = 0; cls < 0x30; cls++)
                PA_FUZZ_CHECK(pa_smb2_find_names(d + b.data_off, len, cls, 8, on_name, NULL) <= 8);
            uint16_t dl[PA_SMB2_MAX_DIALECTS];
            PA_FUZZ_CHECK(pa_smb2_validate_dialects(d + b.data_off, len, n & 1, dl, PA_SMB2_MAX_DIALECTS) <=
                          PA_SMB2_MAX_DIALECTS);
            char name[64];
            if (pa_smb2_info_name(d + b.data_off, len, 1, (uint8_t)(n & 0x1F), n & 2, name, sizeof name))
                check_text(name, sizeof name);
        }
        (void)pa_smb2_cmd_name(h.cmd);
        (void)pa_smb2_status_name(h.status);
    }
    pa_smb2_transform t;
    (void)pa_smb2_parse_transform(d, n, &t);
    uint8_t cmds[8];
    PA_FUZZ_CHECK(pa_smb1_cmds(d, n, cmds, 8) <= 8);
    uint32_t count;
    bool smb2;
    pa_smb1_negotiate_dialects(d, n, &count, &smb2);
}

/* One pass over the segments into st. k: a display filter's transactions
 * (NULL: none), every frame matching. */
static bool run(pa_smb2_stats *st, const uint8_t *data, size_t size, pa_txkeep *k, pa_frame_mask *fm, bool parse) {
    if (pa_smb2_init(st)) return false;
    st->keep = k;
    pa_smb2_flow *f = NULL;
    pa_fuzz_segs segs = pa_fuzz_segs_make(data, size, 445, PA_TCP_FIN);
    pa_smb2_frame *view = malloc(sizeof *view);
    if (!view) return true;
    pa_packet p;
    int side = 0;
    bool syn;
    while (pa_fuzz_each(&segs, &p, &side, &syn)) {
        if (k && k->deciding) k->cur = p.frame_no;
        view->present = false;
        view->ncmds = view->nnames = view->ndialects = view->nnbss = view->nsmb1 = 0;
        bool present = pa_smb2_segment(st, &f, &p, side, NULL, 0, true, syn ? NULL : view, NULL, NULL);
        PA_FUZZ_CHECK(!present || syn || view->present);
        PA_FUZZ_CHECK(view->ncmds <= PA_SMB2_FRAME_CMDS && view->nnames <= PA_SMB2_FRAME_NAMES &&
                      view->ndialects <= PA_SMB2_MAX_DIALECTS && view->nnbss <= PA_SMB2_FRAME_NBSS &&
                      view->nsmb1 <= PA_SMB2_FRAME_NBSS);
        for (uint8_t i = 0; i < view->nnames; i++) check_text(view->names[i], sizeof view->names[i]);
        for (uint8_t i = 0; i < view->ncmds; i++) check_text(view->cmd[i].tree, sizeof view->cmd[i].tree);
        if (parse && p.payload_len) parsers(p.payload, p.payload_len);
        if (k && k->deciding) {
            pa_frame_mask_set(fm, p.frame_no);
            pa_txkeep_frame_done(k, true);
        }
    }
    free(view);
    if (k) k->cur = 0;
    pa_smb2_finish_flow(st, f);
    pa_smb2_free_flow(f);
    return true;
}

static void check_stats(const pa_smb2_stats *st) {
    PA_FUZZ_CHECK(st->connections <= 1 && st->requests + st->responses == st->smb2_commands);
    PA_FUZZ_CHECK(st->sessions.count <= PA_SMB2_MAX_SESSIONS && st->ntx <= PA_SMB2_MAX_TX);
    uint64_t calls = 0;
    for (int i = 0; i < PA_SMB2_SRT_ROWS; i++) {
        const pa_smb2_srt *r = &st->srt[i];
        calls += r->calls;
        PA_FUZZ_CHECK(!r->calls || (r->min_ns <= r->max_ns && r->min_ns >= 0));
    }
    PA_FUZZ_CHECK(calls <= st->responses && calls == st->ntx + st->tx_dropped);
    for (size_t r = 0; r < st->trees.count; r++) {
        const pa_smb2_tree *t = pa_htab_rec(&st->trees, r);
        check_text(t->path, sizeof t->path);
    }
    for (size_t r = 0; r < st->opens.count; r++) {
        const pa_smb2_open *o = pa_htab_rec(&st->opens, r);
        check_text(o->tree, sizeof o->tree);
        check_text(o->name, sizeof o->name);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_smb2_stats all, dec, got;
    if (!run(&all, data, size, NULL, NULL, true)) return 0;
    check_stats(&all);
    pa_frame_mask fm = {0};
    pa_txkeep k = {.matched = &fm, .deciding = true};
    if (run(&dec, data, size, &k, &fm, false)) pa_smb2_stats_free(&dec);
    k.deciding = false;
    if (run(&got, data, size, &k, &fm, false)) {
        /* every frame matched: the filtered analysis counts what the unfiltered one does */
        PA_FUZZ_CHECK(got.smb2_commands == all.smb2_commands && got.nbss_messages == all.nbss_messages &&
                      got.ntx == all.ntx && got.encrypted == all.encrypted && got.continuations == all.continuations);
        pa_smb2_stats_free(&got);
    }
    pa_txkeep_free(&k);
    pa_frame_mask_free(&fm);
    pa_smb2_stats_free(&all);
    return 0;
}
