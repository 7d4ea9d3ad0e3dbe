/* fuzz_tls: one connection's segments through the TLS tracker (records across
 * segments, handshake messages across records, hellos, certificates through
 * OpenSSL, alerts, holes, SSL 2.0 hellos) and its end (outcome, flush).
 * Input: records [ctl][len][len bytes]; ctl bit 0 = sent by the server,
 * bit 1 = RST, bit 2 = leave a hole of (ctl >> 4) + 1 bytes before it. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
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
    uint32_t seq[2] = {1000, 900000};
    uint64_t frame = 0;
    pa_packet p;
    size_t i = 0;
    while (i + 2 <= size) {
        uint8_t ctl = data[i], len = data[i + 1];
        i += 2;
        if (len > size - i) len = (uint8_t)(size - i);
        int side = ctl & 1;
        memset(&p, 0, sizeof p);
        p.frame_no = ++frame;
        p.ts_ns = (int64_t)frame * 1000;
        p.src.family = p.dst.family = 4;
        p.src.b[3] = (uint8_t)(1 + side);
        p.dst.b[3] = (uint8_t)(2 - side);
        p.sport = side ? 443 : 50000;
        p.dport = side ? 50000 : 443;
        if (ctl & 4) seq[side] += (uint32_t)(ctl >> 4) + 1;
        p.tcp.seq = seq[side];
        p.tcp.flags = PA_TCP_ACK | ((ctl & 2) ? PA_TCP_RST : 0);
        p.payload = data + i;
        p.payload_len = len;
        seq[side] += (uint32_t)len;
        pa_tls_segment(&st, &t, &p, side, NULL, 0);
        i += len;
    }
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
