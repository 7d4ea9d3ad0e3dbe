/* fuzz_http: one connection's segments through the HTTP/1.x tracker (heads,
 * Content-Length and chunked bodies, pipelining, holes and resynchronisation).
 * Input: records [ctl][len][len bytes]; ctl bit 0 = sent by the server,
 * bit 1 = FIN, bit 2 = leave a hole of (ctl >> 4) + 1 bytes before it. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
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
    uint32_t seq[2] = {1000, 900000};
    uint64_t frame = 0;
    pa_packet p;
    memset(&p, 0, sizeof p);
    for (int side = 0; side < 2; side++) {
        p.frame_no = ++frame;
        p.tcp.seq = seq[side]++;
        p.tcp.flags = PA_TCP_SYN;
        pa_http_segment(&st, &h, &p, side, NULL, 0, on_tx, NULL);
    }
    size_t i = 0;
    while (i + 2 <= size) {
        uint8_t ctl = data[i], len = data[i + 1];
        i += 2;
        if (len > size - i) len = (uint8_t)(size - i);
        int side = ctl & 1;
        memset(&p, 0, sizeof p);
        p.frame_no = ++frame;
        p.ts_ns = (int64_t)frame * 1000;
        if (ctl & 4) seq[side] += (uint32_t)(ctl >> 4) + 1;
        p.tcp.seq = seq[side];
        p.tcp.flags = PA_TCP_ACK | ((ctl & 2) ? PA_TCP_FIN : 0);
        p.payload = data + i;
        p.payload_len = len;
        seq[side] += (uint32_t)len + ((ctl & 2) ? 1u : 0u);
        pa_http_segment(&st, &h, &p, side, NULL, 0, on_tx, NULL);
        i += len;
    }
    pa_http_finish_flow(&st, h);
    if (st.ntx > st.requests + st.unanswered) __builtin_trap();
    for (size_t k = 0; k < st.ntx; k++) on_tx(NULL, &st.tx[k], false);
    pa_http_free_flow(h);
    pa_http_stats_free(&st);
    return 0;
}
