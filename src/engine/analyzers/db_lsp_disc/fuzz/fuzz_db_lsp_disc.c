/* fuzz_db_lsp_disc: one datagram as a Dropbox LAN sync announcement or CoAP
 * message through the parser and the analyzer's table of clients.
 * fuzz/run: max_len 2048 */
#include <stdlib.h>
#include <string.h>

#include "db_lsp_disc_analyzer.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_db_lsp_disc_msg m;
    pa_db_lsp_disc_kind k = pa_db_lsp_disc_parse(data, size, &m);
    if (k == PA_DB_LSP_DISC_NOT) return 0;
    PA_FUZZ_CHECK(k != PA_DB_LSP_DISC_COAP || pa_db_lsp_disc_is_coap(data, size));
    PA_FUZZ_CHECK(strnlen(m.host_int, PA_DB_LSP_DISC_TEXT) < PA_DB_LSP_DISC_TEXT &&
                  strnlen(m.displayname, PA_DB_LSP_DISC_TEXT) < PA_DB_LSP_DISC_TEXT);
    /* an announcement is a JSON object whose host_int is a number */
    PA_FUZZ_CHECK(k != PA_DB_LSP_DISC_ANNOUNCE || (size >= 14 && m.host_int[0] >= '0' && m.host_int[0] <= '9'));
    pa_names t;
    if (pa_names_init(&t)) return 0;
    pa_db_lsp_disc_stats *st = calloc(1, sizeof *st);
    if (!st) {
        pa_names_free(&t);
        return 0;
    }
    st->local = &t;
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.src.family = 4;
    p.frame_no = 1;
    pa_db_lsp_disc_message(st, &p, k, &m);
    pa_db_lsp_disc_message(st, &p, k, &m);
    PA_FUZZ_CHECK(st->datagrams == 2 && st->nclients == (k == PA_DB_LSP_DISC_ANNOUNCE ? 1u : 0u));
    PA_FUZZ_CHECK(st->nclients == 0 || st->clients[0].announcements == 2);
    free(st);
    pa_names_free(&t);
    return 0;
}
