/* fuzz_dcerpc: bytes through the DCE-RPC stream tracker, cut into pieces
 * (the first byte says where), both directions, as a connection or pipe
 * feeds it; then each PDU alone through the parser.
 * fuzz/run: max_len 8192 */
#include <stdlib.h>

#include "dcerpc_pipe.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_dcerpc_pdu u;
    if (pa_dcerpc_parse(data, size, &u) && u.kept > PA_DCERPC_MAX_ITEMS) __builtin_trap();
    (void)pa_dcerpc_looks(data, size);
    if (size < 2) return 0;
    pa_dcerpc_stats st;
    if (pa_dcerpc_init(&st)) return 0;
    pa_dcerpc_conn *c = pa_dcerpc_conn_new(&st, NULL);
    pa_dcerpc_frame *view = calloc(1, sizeof *view);
    size_t cut = data[0] ? data[0] : 1, at = 1;
    uint64_t frame = 1;
    while (c && view && at < size) {
        size_t n = size - at < cut ? size - at : cut;
        bool to_server = (frame & 1) != 0 || data[1] & 0x80;
        (void)pa_dcerpc_feed(&st, c, to_server, data + at, n, (data[at] & 0x7f) == 0x7f, frame, (int64_t)frame * 1000,
                             view, frame);
        if (view->npdu > PA_DCERPC_FRAME_PDUS || view->nctx > PA_DCERPC_FRAME_VALS) __builtin_trap();
        view->npdu = view->nctx = view->nbind = view->nres = view->nreason = 0;
        at += n;
        frame++;
    }
    pa_dcerpc_finish(&st);
    free(view);
    pa_dcerpc_conn_free(c);
    pa_dcerpc_stats_free(&st);
    return 0;
}
