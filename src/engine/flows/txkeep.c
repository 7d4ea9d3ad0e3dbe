#include "txkeep.h"

#include <stdlib.h>
#include <string.h>

bool pa_frame_mask_has(const pa_frame_mask *fm, uint64_t frame) {
    size_t byte = (size_t)(frame / 8);
    return byte < fm->nbytes && (fm->bits[byte] & (1u << (frame % 8)));
}

bool pa_frame_mask_set(pa_frame_mask *fm, uint64_t frame) {
    size_t byte = (size_t)(frame / 8);
    if (byte >= fm->nbytes) {
        size_t n = fm->nbytes ? fm->nbytes : 4096;
        while (n <= byte) n *= 2;
        uint8_t *b = realloc(fm->bits, n);
        if (!b) {
            fm->nomem = true;
            return false;
        }
        memset(b + fm->nbytes, 0, n - fm->nbytes);
        fm->bits = b;
        fm->nbytes = n;
    }
    fm->bits[byte] |= (uint8_t)(1u << (frame % 8));
    return true;
}

void pa_frame_mask_free(pa_frame_mask *fm) {
    free(fm->bits);
    memset(fm, 0, sizeof *fm);
}

/* A frame other than the one being processed was evaluated already. */
static bool evaluated_match(const pa_txkeep *k, uint64_t frame) {
    return frame && frame != k->cur && pa_frame_mask_has(k->matched, frame);
}

void pa_tx_touch_deciding(pa_txkeep *k, pa_txmark *m, uint64_t frame) {
    if (m->hit) return;
    if (frame != k->cur) { /* bytes held from an earlier frame: its verdict is known */
        m->hit = evaluated_match(k, frame);
        return;
    }
    if (evaluated_match(k, m->frame)) m->hit = true; /* the frame it waited for has been decided */
    m->frame = frame;
}

void pa_tx_merge(pa_txkeep *k, pa_txmark *into, const pa_txmark *from) {
    if (!k || !k->deciding) return;
    into->hit |= from->hit;
    if (from->frame) pa_tx_touch_deciding(k, into, from->frame);
}

void pa_tx_end(pa_txkeep *k, uint64_t key, const pa_txmark *m) {
    if (!k || !k->deciding) return;
    if (m->hit || evaluated_match(k, m->frame)) {
        pa_frame_mask_set(&k->kept, key);
        return;
    }
    if (!m->frame || m->frame != k->cur) return; /* none of its frames matched */
    if (k->nawait == k->capawait) {
        size_t ncap = k->capawait ? k->capawait * 2 : 16;
        uint64_t *a = realloc(k->await, ncap * sizeof *a);
        if (!a) {
            k->kept.nomem = true;
            return;
        }
        k->await = a;
        k->capawait = ncap;
    }
    k->await[k->nawait++] = key;
}

bool pa_txkeep_frame_done(pa_txkeep *k, bool matched) {
    for (size_t i = 0; matched && i < k->nawait; i++) pa_frame_mask_set(&k->kept, k->await[i]);
    k->nawait = 0;
    return !k->kept.nomem;
}

void pa_txkeep_free(pa_txkeep *k) {
    pa_frame_mask_free(&k->kept);
    free(k->await);
    k->await = NULL;
    k->nawait = k->capawait = 0;
}
