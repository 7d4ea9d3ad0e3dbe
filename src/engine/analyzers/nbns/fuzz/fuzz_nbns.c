/* fuzz_nbns: one datagram as an NBNS message through the parser, the
 * display-filter names and the analyzer's feed of the local names table.
 * fuzz/run: max_len 1024 */
#include <string.h>

#include "fuzz.h"
#include "nbns_analyzer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_nbns_msg m;
    pa_nbns_status s = pa_nbns_parse(data, size, &m);
    if (s == PA_NBNS_SHORT) return 0;
    PA_FUZZ_CHECK(m.nrr <= PA_NBNS_MAX_RR);
    for (uint8_t i = 0; i < m.nrr; i++) {
        const pa_nbns_rr *r = &m.rr[i];
        PA_FUZZ_CHECK(strnlen(r->name, PA_NBNS_NAME) < PA_NBNS_NAME && r->naddrs <= PA_NBNS_MAX_ADDRS);
        PA_FUZZ_CHECK(r->suffix >= -1 && r->suffix <= 255 && r->section < 4);
    }
    pa_names t;
    if (pa_names_init(&t)) return 0;
    pa_nbns_stats st;
    memset(&st, 0, sizeof st);
    st.local = &t;
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = PA_P_UDP;
    p.app = PA_P_NBNS;
    p.src.family = 4;
    p.frame_no = 1;
    pa_nbns_message(&st, &p, &m, s);
    pa_nbns_message(&st, &p, &m, s); /* the same host again: counted once per frame */
    PA_FUZZ_CHECK(st.messages == 2 && t.names.count <= PA_NBNS_MAX_RR);
    for (size_t r = 0; r < t.names.count; r++) {
        const pa_name_rec *n = pa_htab_rec(&t.names, r);
        PA_FUZZ_CHECK(n->nask <= 1 && n->nans <= 1 && n->queries <= 1 && n->answers <= 1);
    }
    pa_names_free(&t);
    return 0;
}
