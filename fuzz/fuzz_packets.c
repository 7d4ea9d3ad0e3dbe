/* fuzz_packets: a sequence of frames through ONE decoder, so IPv4/IPv6
 * fragment reassembly (ordering, overlaps, timeouts and every cap of
 * ip_frag.h) is exercised as a capture would.
 * Input: [link selector] then records [len hi][len lo][meta][frame] (fuzz.h).
 * Each frame is copied to a buffer of exactly its size. */
#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "decode.h"
#include "fuzz.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static pa_decoder *dec;
    if (size < 1) return 0;
    if (!dec) {
        dec = malloc(sizeof *dec);
        if (!dec) abort();
    }
    int linktype = pa_fuzz_linktypes[data[0] % PA_FUZZ_NLINK];
    size_t pos = 1;
    int64_t ts = 1700000000ll * 1000000000ll;
    uint64_t frame_no = 0;
    uint64_t completed_seen = 0;

    pa_decoder_init(dec);
    while (size - pos >= 3) {
        size_t len = (size_t)data[pos] << 8 | data[pos + 1];
        uint8_t meta = data[pos + 2];
        pos += 3;
        if (len > size - pos) len = size - pos;
        ts += (int64_t)(meta & 0x0F) * PA_FUZZ_PKT_TS_STEP_NS;

        uint8_t *frame = malloc(len ? len : 1);
        if (!frame) abort();
        if (len) memcpy(frame, data + pos, len);
        pos += len;

        pa_packet p;
        memset(&p, 0, sizeof p);
        p.frame_no = ++frame_no;
        p.ts_ns = ts;
        p.caplen = (uint32_t)len;
        p.wirelen = (uint32_t)len + pa_fuzz_meta_wire_extra(meta);
        p.linktype = linktype;
        pa_decode_frame(dec, linktype, frame, &p);
        pa_fuzz_check_packet(dec, frame, &p);
        pa_cksums ck; /* reads the headers again through the decoder's pointers */
        pa_checksums(&p, &ck);
        PA_FUZZ_CHECK(ck.ip != PA_CK_BAD || p.ip_ver == 4);
        free(frame);

        /* The table's own accounting stays within its caps. */
        PA_FUZZ_CHECK(dec->frag.bytes <= PA_FRAG_MAX_BYTES);
        if (p.reassembled) {
            PA_FUZZ_CHECK(dec->frag.completed > completed_seen);
            PA_FUZZ_CHECK(p.ip_payload_len <= 65535);
        }
        completed_seen = dec->frag.completed;
    }
    uint64_t open = 0;
    for (size_t i = 0; i < PA_FRAG_MAX_DATAGRAMS; i++) open += dec->frag.d[i].used;
    uint64_t before = dec->frag.incomplete;
    pa_frag_finish(&dec->frag);
    PA_FUZZ_CHECK(dec->frag.incomplete == before + open);
    PA_FUZZ_CHECK(dec->frag.bytes == 0);
    pa_decoder_free(dec);
    return 0;
}
