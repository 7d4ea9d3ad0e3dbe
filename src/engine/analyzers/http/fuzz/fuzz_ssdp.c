/* fuzz_ssdp: one datagram as an SSDP message (HTTP over UDP): every slice
 * the parser returns lies inside the input; what a device announces goes
 * into the local names table within its caps.
 * fuzz/run: max_len 4096 */
#include <string.h>

#include "fuzz.h"
#include "names_track.h"
#include "ssdp_parse.h"

static void inside(const uint8_t *data, size_t size, pa_ssdp_str s) {
    PA_FUZZ_CHECK(!s.p || (s.p >= data && s.p + s.n <= data + size));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_ssdp_msg m;
    if (!pa_ssdp_parse(data, size, &m)) return 0;
    PA_FUZZ_CHECK(m.nlines <= PA_SSDP_MAX_LINES && (m.request || m.status <= 999));
    const pa_ssdp_str all[] = {m.method, m.uri, m.host,     m.st,     m.nt,
                               m.nts,    m.usn, m.location, m.server, m.cache_control};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) inside(data, size, all[i]);
    for (uint8_t i = 0; i < m.nlines; i++) inside(data, size, m.lines[i]);
    pa_names t;
    if (pa_names_init(&t)) return 0;
    pa_addr host = {.family = 4, .b = {192, 168, 1, 1}};
    if (m.server.n) pa_names_announce(&t, &host, PA_ANN_SSDP_SERVER, (const char *)m.server.p, m.server.n, 1);
    if (m.usn.n) pa_names_announce(&t, &host, PA_ANN_SSDP_USN, (const char *)m.usn.p, m.usn.n, 1);
    PA_FUZZ_CHECK(t.announced.count <= 2);
    for (size_t r = 0; r < t.announced.count; r++)
        PA_FUZZ_CHECK(strnlen(((const pa_name_ann *)pa_htab_rec(&t.announced, r))->text, PA_NAMES_TEXT) <
                      PA_NAMES_TEXT);
    pa_names_free(&t);
    return 0;
}
