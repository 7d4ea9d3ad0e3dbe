/* fuzz_http: one connection's segments through the HTTP/1.x tracker (heads,
 * Content-Length and chunked bodies, pipelining, holes and resynchronisation).
 * Input: segment records (fuzz_segments.h), closing with FIN.
 * fuzz/run: max_len 8192 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_segments.h"
#include "http_track.h"

static void on_tx(void *ud, const pa_http_tx *tx, bool response) {
    (void)ud;
    (void)response;
    /* every text field stays terminated within its array */
    if (strnlen(tx->method, sizeof tx->method) >= sizeof tx->method) __builtin_trap();
    if (strnlen(tx->uri, sizeof tx->uri) >= sizeof tx->uri) __builtin_trap();
    if (strnlen(tx->host, sizeof tx->host) >= sizeof tx->host) __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_http_stats st;
    memset(&st, 0, sizeof st);
    pa_http_flow *h = NULL;
    pa_fuzz_segs segs = pa_fuzz_segs_make(data, size, 80, PA_TCP_FIN);
    pa_packet p;
    for (int side = 0; side < 2; side++) {
        pa_fuzz_syn(&segs, &p, side);
        pa_http_segment(&st, &h, &p, side, NULL, 0, on_tx, NULL);
    }
    int side;
    while (pa_fuzz_next_segment(&segs, &p, &side)) pa_http_segment(&st, &h, &p, side, NULL, 0, on_tx, NULL);
    pa_http_finish_flow(&st, h);
    if (st.ntx > st.requests + st.unanswered) __builtin_trap();
    for (size_t k = 0; k < st.ntx; k++) on_tx(NULL, &st.tx[k], false);
    pa_http_free_flow(h);
    pa_http_stats_free(&st);
    return 0;
}
