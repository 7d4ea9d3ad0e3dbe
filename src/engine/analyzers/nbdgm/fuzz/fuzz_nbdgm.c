/* fuzz_nbdgm: one datagram as a NetBIOS datagram through the parser (with
 * its SMB mailslot write and browser message), the naming looks use, the
 * analyzer's tables and their feed of the local names' announcements.
 * fuzz/run: max_len 1024 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "nbdgm_analyzer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_nbdgm_msg m;
    pa_nbdgm_status s = pa_nbdgm_parse(data, size, &m);
    uint8_t name = pa_nbdgm_name(data, size);
    PA_FUZZ_CHECK((s == PA_NBDGM_NOT) == (name == PA_P_NONE));
    if (s == PA_NBDGM_NOT) return 0;
    PA_FUZZ_CHECK(m.type >= PA_NBDGM_DIRECT_UNIQUE && m.type <= PA_NBDGM_NEGATIVE_QUERY);
    PA_FUZZ_CHECK(strnlen(m.source, PA_NBDGM_NAME) < PA_NBDGM_NAME && strnlen(m.dest, PA_NBDGM_NAME) < PA_NBDGM_NAME);
    PA_FUZZ_CHECK(strnlen(m.slot, PA_NBDGM_SLOT) < PA_NBDGM_SLOT);
    PA_FUZZ_CHECK(!m.has_browser || (m.mailslot && m.layer == PA_NBDGM_LAYER_BROWSER));
    PA_FUZZ_CHECK(!m.mailslot || m.smb);
    PA_FUZZ_CHECK(strnlen(m.browser.server, PA_BROWSER_TEXT) < PA_BROWSER_TEXT &&
                  strnlen(m.browser.comment, PA_BROWSER_TEXT) < PA_BROWSER_TEXT);
    char roles[256];
    pa_browser_roles(m.browser.server_type, roles, sizeof roles);
    PA_FUZZ_CHECK(strnlen(roles, sizeof roles) < sizeof roles);
    pa_names t;
    if (pa_names_init(&t)) return 0;
    pa_nbdgm_stats *st = calloc(1, sizeof *st);
    if (!st) {
        pa_names_free(&t);
        return 0;
    }
    st->local = &t;
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = PA_P_UDP;
    p.src.family = 4;
    p.frame_no = 1;
    pa_nbdgm_message(st, &p, &m, s);
    pa_nbdgm_message(st, &p, &m, s); /* the same host again: one row */
    PA_FUZZ_CHECK(st->datagrams == 2 && st->nhosts <= 1 && st->nworkgroups <= 1 && st->ncandidates <= 1);
    PA_FUZZ_CHECK(st->browser == (m.has_browser ? 2u : 0u));
    free(st);
    pa_names_free(&t);
    return 0;
}
