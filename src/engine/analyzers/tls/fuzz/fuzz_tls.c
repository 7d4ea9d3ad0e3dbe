/* fuzz_tls: one connection's segments through the TLS tracker (records across
 * segments, handshake messages across records, hellos, certificates through
 * OpenSSL, alerts, holes, SSL 2.0 hellos) and its end (outcome, flush).
 * Input: records [ctl][len][len bytes]; ctl bit 0 = sent by the server,
 * bit 1 = RST, bit 2 = leave a hole of (ctl >> 4) + 1 bytes before it.
 * fuzz/run: max_len 16384 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_segments.h"
#include "tls_track.h"

static void check_conn(const pa_tls_conn *c) {
    /* text fields stay terminated; lists within their arrays */
    if (strnlen(c->sni, sizeof c->sni) >= sizeof c->sni) __builtin_trap();
    if (strnlen(c->alpn_offered, sizeof c->alpn_offered) >= sizeof c->alpn_offered) __builtin_trap();
    if (strnlen(c->alpn, sizeof c->alpn) >= sizeof c->alpn) __builtin_trap();
    if (c->nalerts > PA_TLS_CONN_ALERTS || c->nchain > PA_TLS_CHAIN_MAX) __builtin_trap();
    if (c->outcome >= PA_TLS_OUT_COUNT) __builtin_trap();
    if (c->done_frame && c->done_ts < 0) __builtin_trap();
}

static void on_conn(void *ud, const pa_tls_conn *c) {
    (void)ud;
    check_conn(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_tls_stats st;
    memset(&st, 0, sizeof st);
    st.on_conn = on_conn;
    pa_tls_flow *t = NULL;
    pa_fuzz_segs segs = pa_fuzz_segs_make(data, size, 443, PA_TCP_RST);
    pa_packet p;
    int side;
    while (pa_fuzz_next_segment(&segs, &p, &side)) pa_tls_segment(&st, &t, &p, side, NULL, 0);
    pa_tls_finish_flow(&st, t);
    pa_tls_free_flow(t);
    if (st.nconns > 1 || st.ncerts > PA_TLS_MAX_CERTS) __builtin_trap();
    for (size_t k = 0; k < st.nconns; k++) check_conn(&st.conns[k]);
    for (size_t k = 0; k < st.ncerts; k++)
        if (strnlen(st.certs[k].c.subject, sizeof st.certs[k].c.subject) >= sizeof st.certs[k].c.subject)
            __builtin_trap();
    pa_tls_stats_free(&st);
    return 0;
}
