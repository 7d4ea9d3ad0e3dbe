/* fuzz_dtls: the first byte picks how many datagrams the rest is cut into
 * (1-4, alternating sides of one association), each through the record,
 * fragment and hello parsing of the tracker; also the rest as a hello body.
 * fuzz/run: max_len 8192 */
#include <stdlib.h>
#include <string.h>

#include "dtls_track.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!size) return 0;
    unsigned parts = (data[0] & 3) + 1;
    data++;
    size--;
    pa_dtls_stats st;
    memset(&st, 0, sizeof st);
    if (pa_dtls_stats_init(&st)) return 0;
    pa_dtls_frame *fr = malloc(sizeof *fr);
    if (!fr) return 0;
    size_t off = 0, piece = size / parts + 1;
    for (unsigned i = 0; i < parts && off < size; i++) {
        size_t n = size - off < piece ? size - off : piece;
        pa_packet p;
        memset(&p, 0, sizeof p);
        p.l4 = PA_P_UDP;
        p.src.family = p.dst.family = 4;
        p.src.b[3] = (uint8_t)(1 + (i & 1));
        p.dst.b[3] = (uint8_t)(2 - (i & 1));
        p.sport = (i & 1) ? 4433 : 50000;
        p.dport = (i & 1) ? 50000 : 4433;
        p.frame_no = i + 1;
        p.ts_ns = (int64_t)i * 1000000;
        memset(fr, 0, sizeof *fr);
        pa_dtls_datagram(&st, &p, 0, data + off, n, false, fr);
        PA_FUZZ_CHECK(fr->nrec <= PA_DTLS_MAX_RECORDS && fr->nhs <= PA_DTLS_FRAME_HS && fr->nhello <= 2);
        PA_FUZZ_CHECK(strnlen(fr->sni, sizeof fr->sni) < sizeof fr->sni && fr->srtp.n <= PA_DTLS_SRTP_MAX);
        PA_FUZZ_CHECK(st.reasm_bytes <= PA_DTLS_REASM_TOTAL);
        off += n;
    }
    pa_tls_hello *h = malloc(sizeof *h);
    pa_dtls_srtp srtp;
    if (h && pa_dtls_parse_hello(data, size, true, h, &srtp) == PA_TLS_PARSE_OK)
        PA_FUZZ_CHECK(srtp.n <= PA_DTLS_SRTP_MAX && h->ciphers.n <= PA_TLS_LIST_MAX);
    free(h);
    pa_dtls_finish(&st);
    PA_FUZZ_CHECK(st.reasm_bytes == 0);
    pa_dtls_stats_free(&st);
    free(fr);
    return 0;
}
