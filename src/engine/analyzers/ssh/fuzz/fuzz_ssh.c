/* fuzz_ssh: one connection's segments through the SSH tracker
 * (identification lines, packets in clear across segments, KEXINIT,
 * key exchange replies, NEWKEYS, SSH-1 framing, holes), with the per-frame
 * view display filters read, then the end of the connection and of the
 * pass; the same segments again as a display-filtered analysis runs them
 * with every frame matching (deciding pass, counting pass), which must give
 * the same figures. Each segment's payload also goes through the parsers
 * alone. Input: segment records (fuzz_segments.h), closing with FIN.
 * fuzz/run: max_len 8192 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_segments.h"
#include "ssh_track.h"

static void check_text(const char *s, size_t size) { PA_FUZZ_CHECK(strnlen(s, size) < size); }

static void parsers(const uint8_t *d, size_t n) {
    pa_ssh_ident id;
    if (pa_ssh_parse_ident(d, n, &id)) {
        check_text(id.software, sizeof id.software);
        PA_FUZZ_CHECK(id.version <= 2 && pa_ssh_is_ident_start(d, n));
    }
    (void)pa_ssh_looks(d, n);
    pa_ssh_packet pk;
    if (pa_ssh_parse_packet(d, n, &pk) == PA_SSH_OK) {
        PA_FUZZ_CHECK(pk.payload_len >= 1 && pk.payload_len + pk.padding + 5 == n);
        pa_ssh_kexinit k;
        if (pa_ssh_parse_kexinit(pk.payload, pk.payload_len, &k) == PA_SSH_OK) {
            for (int i = 0; i < PA_SSH_NLISTS; i++)
                PA_FUZZ_CHECK(k.list[i].len <= PA_SSH_NAMELIST_MAX && k.list[i].off + k.list[i].len <= pk.payload_len);
            char in[64], hex[33], pick[PA_SSH_NAME_MAX];
            size_t full = pa_ssh_hassh_input(&k, pk.payload, n & 1, in, sizeof in);
            /* NUL-terminated within the buffer; the lists' bytes may hold NULs themselves */
            PA_FUZZ_CHECK(strnlen(in, sizeof in) <= (full < sizeof in ? full : sizeof in - 1));
            pa_ssh_hassh(in, full < sizeof in ? full : sizeof in - 1, hex);
            PA_FUZZ_CHECK(strlen(hex) == 32);
            const pa_ssh_kexinit *kk = &k;
            if (pa_ssh_choose(pk.payload + kk->list[0].off, kk->list[0].len, pk.payload + kk->list[1].off,
                              kk->list[1].len, pick, sizeof pick))
                check_text(pick, sizeof pick);
        }
        char type[PA_SSH_NAME_MAX], desc[64];
        uint32_t reason;
        if (pa_ssh_parse_hostkey_type(pk.payload, pk.payload_len, type, sizeof type)) check_text(type, sizeof type);
        if (pa_ssh_parse_disconnect(pk.payload, pk.payload_len, &reason, desc, sizeof desc))
            check_text(desc, sizeof desc);
    }
}

/* One pass over the segments into st. k: a display filter's transactions
 * (NULL: none), every frame matching. */
static void run(pa_ssh_stats *st, const uint8_t *data, size_t size, pa_txkeep *k, pa_frame_mask *fm, bool parse) {
    memset(st, 0, sizeof *st);
    st->keep = k;
    pa_ssh_flow *f = NULL;
    pa_fuzz_segs segs = pa_fuzz_segs_make(data, size, 22, PA_TCP_FIN);
    pa_ssh_frame *view = malloc(sizeof *view);
    if (!view) return;
    pa_packet p;
    int side = 0;
    bool syn;
    while (pa_fuzz_each(&segs, &p, &side, &syn)) {
        if (k && k->deciding) k->cur = p.frame_no;
        view->present = view->shown = view->has_ident = view->has_kexinit = view->has_hostkey = false;
        view->npkts = 0;
        bool present = pa_ssh_segment(st, &f, &p, side, NULL, 0, syn ? NULL : view);
        PA_FUZZ_CHECK(present == (!syn && view->present));
        PA_FUZZ_CHECK(!view->shown || view->present);
        if (view->present) {
            PA_FUZZ_CHECK(view->npkts <= PA_SSH_FRAME_PKTS);
            if (view->has_ident) check_text(view->ident, sizeof view->ident);
            if (view->has_hostkey) check_text(view->hostkey_type, sizeof view->hostkey_type);
            if (view->has_kexinit) {
                PA_FUZZ_CHECK(view->kexinit_len <= sizeof view->kex_payload);
                check_text(view->hassh, sizeof view->hassh);
                check_text(view->hassh_input, sizeof view->hassh_input);
            }
        }
        if (parse && p.payload_len) parsers(p.payload, p.payload_len);
        if (k && k->deciding) {
            pa_frame_mask_set(fm, p.frame_no);
            pa_txkeep_frame_done(k, true);
        }
    }
    free(view);
    if (k) k->cur = 0;
    pa_ssh_finish_flow(st, f);
    pa_ssh_finish(st);
    pa_ssh_free_flow(f);
}

static void check_stats(const pa_ssh_stats *st) {
    PA_FUZZ_CHECK(st->connections <= 1 && st->nconns == st->connections);
    uint64_t out = 0;
    for (int o = 0; o < PA_SSH_OUT_COUNT; o++) out += st->outcome[o];
    PA_FUZZ_CHECK(out == st->connections && st->kexinits <= st->packets && st->newkeys <= st->packets);
    for (size_t i = 0; i < st->nconns; i++) {
        const pa_ssh_conn *c = &st->conns[i];
        for (int s = 0; s < 2; s++) {
            check_text(c->ident[s], sizeof c->ident[s]);
            check_text(c->software[s], sizeof c->software[s]);
            check_text(c->cipher[s], sizeof c->cipher[s]);
            check_text(c->mac[s], sizeof c->mac[s]);
        }
        check_text(c->kex, sizeof c->kex);
        check_text(c->hassh, sizeof c->hassh);
        char w[512];
        pa_ssh_weak_text(c, w, sizeof w);
        check_text(w, sizeof w);
        PA_FUZZ_CHECK(!c->weak == !w[0]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_ssh_stats all, dec, got;
    run(&all, data, size, NULL, NULL, true);
    check_stats(&all);
    pa_frame_mask fm = {0};
    pa_txkeep k = {.matched = &fm, .deciding = true};
    run(&dec, data, size, &k, &fm, false);
    pa_ssh_stats_free(&dec);
    k.deciding = false;
    run(&got, data, size, &k, &fm, false);
    /* every frame matched: the filtered analysis counts what the unfiltered one does */
    PA_FUZZ_CHECK(got.connections == all.connections && got.packets == all.packets && got.kexinits == all.kexinits &&
                  got.newkeys == all.newkeys && got.malformed == all.malformed &&
                  got.encrypted_bytes == all.encrypted_bytes);
    pa_ssh_stats_free(&got);
    pa_txkeep_free(&k);
    pa_frame_mask_free(&fm);
    pa_ssh_stats_free(&all);
    return 0;
}
