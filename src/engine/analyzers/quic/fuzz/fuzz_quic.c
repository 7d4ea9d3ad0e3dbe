/* fuzz_quic: one UDP payload through the QUIC header parser; each Initial
 * packet it finds through key derivation, header-protection removal and
 * decryption (the keys come from the packet's own DCID, so a seed built
 * from RFC 9001 A.2 decrypts), then its frames, CRYPTO reassembly and the
 * hello parser.
 * fuzz/run: max_len 2048 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "quic_crypto.h"
#include "quic_frames.h"
#include "quic_parse.h"
#include "tls_parse.h"

static void frames(const uint8_t *pl, size_t n) {
    pa_quic_frames f;
    pa_quic_parse_frames(pl, n, &f);
    pa_quic_stream s = {0};
    for (uint8_t i = 0; i < f.ncrypto; i++) {
        /* invariant: a CRYPTO frame's data lies inside the plaintext */
        if (f.crypto[i].data < pl || f.crypto[i].length > n || (size_t)(f.crypto[i].data - pl) > n - f.crypto[i].length)
            __builtin_trap();
        size_t grown;
        if (!pa_quic_stream_add(&s, f.crypto[i].offset, f.crypto[i].data, (size_t)f.crypto[i].length, &grown)) break;
    }
    if (s.prefix > s.alloc) __builtin_trap();
    uint8_t type;
    const uint8_t *body;
    size_t len;
    if (pa_quic_stream_message(&s, &type, &body, &len)) {
        pa_tls_hello h;
        if (pa_tls_parse_hello(body, len, type == PA_TLS_HS_CLIENT_HELLO, &h) == PA_TLS_PARSE_OK &&
            type == PA_TLS_HS_CLIENT_HELLO) {
            char ja4[40];
            pa_tls_ja4_over(&h, 'q', ja4);
            if (ja4[0] != 'q') __builtin_trap();
        }
    }
    pa_quic_stream_free(&s);
    (void)pa_quic_error_name(f.close_code);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_quic_dgram g;
    bool is = pa_quic_is_quic(data, size);
    if (!pa_quic_parse(data, size, &g)) {
        if (is) __builtin_trap(); /* invariant: what is QUIC parses */
        return 0;
    }
    size_t end = 0;
    for (uint8_t i = 0; i < g.n; i++) {
        const pa_quic_pkt *p = &g.pkt[i];
        /* invariants: packets follow one another inside the datagram */
        if (p->offset < end || p->offset > size || p->size > size - p->offset || p->dcid.len > PA_QUIC_CID_MAX)
            __builtin_trap();
        end = p->offset + p->size;
        if (p->type != PA_QUIC_INITIAL) continue;
        pa_quic_keys k[2];
        if (!pa_quic_initial_keys(p->version, p->dcid.b, p->dcid.len, &k[0], &k[1])) continue;
        uint8_t *copy = malloc(p->size);
        if (!copy) return 0;
        for (int side = 0; side < 2; side++) {
            memcpy(copy, data + p->offset, p->size);
            const uint8_t *pl;
            size_t pl_len;
            uint64_t pn;
            if (pa_quic_decrypt(&k[side], copy, p->size, p->pn_offset, -1, &pl, &pl_len, &pn)) {
                if (pl < copy || pl_len > p->size || (size_t)(pl - copy) > p->size - pl_len) __builtin_trap();
                frames(pl, pl_len);
            }
        }
        free(copy);
    }
    if (g.padding > size || (g.short_trailer && g.short_offset > size)) __builtin_trap();
    return 0;
}
