/* fuzz_decode: one frame through pa_decode_frame.
 * Input: [link selector][wire-extra byte][frame bytes] (see fuzz.h). The
 * frame is what libFuzzer handed over (an exact-size buffer), so any read
 * past the captured bytes is caught. A fresh decoder state per input keeps
 * runs independent; fragment reassembly across frames is fuzz_packets' job. */
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "fuzz.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static pa_decoder *dec; /* ~150 KB: on the heap, allocated once */
    if (size < 2) return 0;
    if (!dec) {
        dec = malloc(sizeof *dec);
        if (!dec) abort();
    }
    int linktype = pa_fuzz_linktypes[data[0] % PA_FUZZ_NLINK];
    const uint8_t *frame = data + 2;
    size_t caplen = size - 2;

    pa_decoder_init(dec);
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.frame_no = 1;
    p.ts_ns = 1700000000ll * 1000000000ll;
    p.caplen = (uint32_t)caplen;
    p.wirelen = (uint32_t)caplen + pa_fuzz_wire_extra(data[1]);
    p.linktype = linktype;
    PA_FUZZ_CHECK(pa_decode_linktype_supported(linktype) == (data[0] % PA_FUZZ_NLINK != PA_FUZZ_LT_UNSUPPORTED));
    pa_decode_frame(dec, linktype, frame, &p);
    pa_fuzz_check_packet(dec, frame, &p);
    /* A single frame never completes a datagram that needs another. */
    pa_frag_finish(&dec->frag);
    pa_decoder_free(dec);
    return 0;
}
