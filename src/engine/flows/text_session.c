#include "text_session.h"

#include <stdlib.h>
#include <string.h>

void pa_lines_open(pa_lines_dir dir[2], uint32_t max, uint64_t depth_cap, const pa_tcp_state *tcp) {
    for (int i = 0; i < 2; i++) {
        pa_lines_init(&dir[i], max, depth_cap);
        if (tcp && tcp->dir[i].base_known) pa_stream_begin(&dir[i].stream, tcp->dir[i].base + 1);
    }
}

void pa_session_ends_set(pa_session_ends *e, const pa_packet *p, int side, int client_side) {
    bool from_client = side == client_side;
    e->client = from_client ? p->src : p->dst;
    e->server = from_client ? p->dst : p->src;
    e->cport = from_client ? p->sport : p->dport;
    e->sport = from_client ? p->dport : p->sport;
}

void pa_text_copy(char *dst, size_t size, const uint8_t *src, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < size; i++) dst[k++] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
    if (size) dst[k] = '\0';
}

bool pa_tx_append(void **arr, size_t *n, size_t *cap, size_t elem, size_t max, const void *rec) {
    if (*n >= max) return false;
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        void *na = realloc(*arr, ncap * elem);
        if (!na) return false;
        *arr = na;
        *cap = ncap;
    }
    memcpy((uint8_t *)*arr + *n * elem, rec, elem);
    (*n)++;
    return true;
}

int pa_cmp_first_u64(const void *a, const void *b) {
    uint64_t x, y;
    memcpy(&x, a, sizeof x);
    memcpy(&y, b, sizeof y);
    return x < y ? -1 : x > y;
}

int pa_login_table_init(pa_htab *t, size_t cap) {
    return pa_htab_init(t, sizeof(pa_login_pair), offsetof(pa_login_pair, port) + sizeof(uint16_t), cap);
}

bool pa_login_note(pa_htab *t, const pa_session_ends *e, bool ok, uint64_t frame, const char *user) {
    pa_login_pair key;
    memset(&key, 0, sizeof key);
    key.client = e->client;
    key.server = e->server;
    key.port = e->sport;
    bool created;
    pa_login_pair *a = pa_htab_upsert(t, &key, &created);
    if (!a) return false;
    if (ok) {
        a->ok++;
        return true;
    }
    if (!a->failed++) a->first_failed_frame = frame;
    size_t k = 0;
    while (user[k] && k + 1 < sizeof a->user) {
        a->user[k] = user[k];
        k++;
    }
    a->user[k] = '\0';
    return true;
}
