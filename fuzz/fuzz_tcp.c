/* fuzz_tcp: TCP sequence analysis and Zeek's connection view over an
 * arbitrary sequence of segments of one connection, without decoding, so
 * every branch of tcp_analysis.c is reachable from few bytes.
 * Input: records of 16 bytes: [dir+flags:2][seq:4][ack:4][len:2][win:2]
 * [time step:1][options:1] (options bits: MSS, window scale (shift from the
 * high nibble), SACK permitted, timestamps, SACK block). */
#include <stdlib.h>
#include <string.h>

#include "conn_state.h"
#include "fuzz.h"
#include "tcp_analysis.h"

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_tcp_state *s = calloc(1, sizeof *s);
    pa_conn_view v;
    memset(&v, 0, sizeof v);
    if (!s) abort();
    int64_t ts = 1700000000ll * 1000000000ll;
    uint64_t frame = 0;
    for (size_t pos = 0; size - pos >= 16; pos += 16) {
        const uint8_t *r = data + pos;
        pa_packet p;
        memset(&p, 0, sizeof p);
        int from = r[0] >> 7;
        p.l4 = PA_P_TCP;
        p.frame_no = ++frame;
        p.tcp.flags = (uint16_t)(((r[0] & 1) << 8) | r[1]);
        p.tcp.seq = be32(r + 2);
        p.tcp.ack = be32(r + 6);
        p.payload_wire_len = (uint32_t)(r[10] << 8 | r[11]);
        p.tcp.window = (uint16_t)(r[12] << 8 | r[13]);
        /* time mostly moves forward in small steps; 0xFF steps back */
        ts += r[14] == 0xFF ? -5000000ll : (int64_t)r[14] * 250000ll;
        p.ts_ns = ts;
        p.sport = from ? 80 : 40000;
        p.dport = from ? 40000 : 80;
        uint8_t o = r[15];
        if (o & 1) {
            p.tcp.has_mss = true;
            p.tcp.mss = 1460;
        }
        if (o & 2) {
            p.tcp.has_ws = true;
            p.tcp.ws_shift = (uint8_t)(o >> 4);
        }
        p.tcp.sack_perm = (o & 4) != 0;
        p.tcp.has_ts = (o & 8) != 0;
        if (o & 0x80) {
            p.tcp.nsack = 1;
            p.tcp.sack[0][0] = p.tcp.ack + 100;
            p.tcp.sack[0][1] = p.tcp.ack + 200;
        }
        p.tos = (uint8_t)(o & 0x40 ? 3 : 0);
        pa_tcp_result res;
        pa_tcp_analyze(s, &p, from, &res);
        /* invariants: a flag set is one of the known ones; a duplicate ACK
         * has a number; the retransmission family implies the base flag */
        if (res.flags >> PA_TA_COUNT) abort();
        if ((res.flags & PA_TA_DUPLICATE_ACK) && res.dupack_num == 0) abort();
        if ((res.flags & (PA_TA_FAST_RETRANSMISSION | PA_TA_SPURIOUS_RETRANSMISSION)) &&
            !(res.flags & PA_TA_RETRANSMISSION))
            abort();
        if (s->dir[0].nunacked > PA_TCP_MAX_UNACKED || s->dir[1].nunacked > PA_TCP_MAX_UNACKED) abort();
        pa_conn_update(&v, &p, from == 0);
        if (v.hlen > PA_HISTORY_MAX || strlen(v.history) != v.hlen) abort();
        (void)pa_conn_state(&v, PA_P_TCP);
    }
    pa_tcp_free(s);
    return 0;
}
