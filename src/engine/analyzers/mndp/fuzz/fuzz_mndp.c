/* fuzz_mndp: one datagram through the MNDP parser, the TLV walk and the
 * analyzer's table of devices.
 * fuzz/run: max_len 1024 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "mndp_analyzer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_mndp_msg m;
    bool ok = pa_mndp_parse(data, size, &m);
    PA_FUZZ_CHECK(ok == pa_mndp_looks(data, size));
    if (!ok) return 0;
    const char *texts[] = {m.identity, m.version, m.platform, m.softwareid, m.board, m.ifname};
    for (size_t i = 0; i < 6; i++) PA_FUZZ_CHECK(strnlen(texts[i], PA_MNDP_TEXT) < PA_MNDP_TEXT);
    /* every TLV takes at least its 4-byte head */
    PA_FUZZ_CHECK(4 + 4 * (size_t)m.ntlvs <= size);
    pa_mndp_stats *st = calloc(1, sizeof *st);
    if (!st) return 0;
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.src.family = 4;
    p.frame_no = 1;
    pa_mndp_message(st, &p, &m);
    pa_mndp_message(st, &p, &m);
    bool device = m.has_mac || m.identity[0];
    PA_FUZZ_CHECK(st->datagrams == 2 && st->ndevices == (device ? 1u : 0u));
    PA_FUZZ_CHECK(!device || st->devices[0].announcements == 2);
    free(st);
    return 0;
}
