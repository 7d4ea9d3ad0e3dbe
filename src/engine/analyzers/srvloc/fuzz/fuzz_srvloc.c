/* fuzz_srvloc: one datagram through the SLP parser (headers of versions 1
 * and 2, every version 2 body) and the analyzer's table of services.
 * fuzz/run: max_len 1024 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "srvloc_analyzer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_srvloc_msg m;
    if (!pa_srvloc_parse(data, size, &m)) return 0;
    /* the header's length is the datagram's, the function one Wireshark names */
    PA_FUZZ_CHECK(m.length == size && pa_srvloc_function_name(m.function) && (m.version == 1 || m.version == 2));
    PA_FUZZ_CHECK(m.version == 2 || !m.body);
    PA_FUZZ_CHECK(strnlen(m.srvtype, PA_SRVLOC_TEXT) < PA_SRVLOC_TEXT &&
                  strnlen(m.scopes, PA_SRVLOC_TEXT) < PA_SRVLOC_TEXT);
    for (uint32_t i = 0; i < PA_SRVLOC_URLS; i++)
        PA_FUZZ_CHECK(strnlen(m.urls[i].url, PA_SRVLOC_TEXT) < PA_SRVLOC_TEXT);
    pa_srvloc_stats *st = calloc(1, sizeof *st);
    if (!st) return 0;
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.src.family = 4;
    p.frame_no = 1;
    pa_srvloc_message(st, &p, &m);
    pa_srvloc_message(st, &p, &m);
    PA_FUZZ_CHECK(st->datagrams == 2 && st->nservices <= PA_SRVLOC_URLS);
    for (uint32_t i = 0; i < st->nservices; i++) PA_FUZZ_CHECK(st->services[i].seen >= 2);
    free(st);
    return 0;
}
