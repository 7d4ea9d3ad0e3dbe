/* fuzz_rtp: one datagram through the RTP and RTCP parsers (whole and
 * prefix, its report blocks twice through the report table, so an SR can
 * be echoed), then through the stream table twice (an announced endpoint,
 * then the heuristic).
 * fuzz/run: max_len 2048 */
#include <string.h>

#include "fuzz.h"
#include "rtcp_reports.h"
#include "rtp_stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_rtp_hdr h;
    if (pa_rtp_parse(data, size, &h)) {
        /* invariant: the header and the payload lie within the datagram */
        if (h.header_len > size || (size_t)h.header_len + h.payload_len > size) __builtin_trap();
        if (h.version != 2 || h.csrc_count > 15) __builtin_trap();
    }
    pa_rtcp_msg m;
    if (pa_rtcp_parse(data, size, &m)) {
        if (m.n > PA_RTCP_MAX_PACKETS || m.n == 0) __builtin_trap();
        for (uint8_t i = 0; i < m.n; i++)
            if (m.pkt[i].pt < 200 || m.pkt[i].pt > 207 || m.pkt[i].nblocks > PA_RTCP_MAX_BLOCKS ||
                strnlen(m.pkt[i].cname, sizeof m.pkt[i].cname) >= sizeof m.pkt[i].cname)
                __builtin_trap();
    }
    if (pa_rtcp_parse_prefix(data, size, &m)) {
        if (m.n == 0 || m.n > PA_RTCP_MAX_PACKETS) __builtin_trap();
        for (uint8_t i = 0; i < m.n; i++)
            if (m.pkt[i].nids > PA_RTCP_MAX_IDS) __builtin_trap();
        pa_rtcp_reports r;
        if (pa_rtcp_reports_init(&r) == 0) {
            pa_packet q;
            memset(&q, 0, sizeof q);
            q.frame_no = 1;
            pa_rtcp_frame_rtt rtt = {0};
            pa_rtcp_reports_note(&r, &m, &q, &rtt);
            q.frame_no = 2;
            q.ts_ns = 1000000;
            pa_rtcp_reports_note(&r, &m, &q, &rtt);
            if (rtt.n > PA_RTCP_FRAME_RTT || r.pairs.count > PA_RTCP_MAX_PAIRS) __builtin_trap();
            pa_rtcp_reports_free(&r);
        }
    }
    pa_rtp_table t;
    memset(&t, 0, sizeof t);
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = PA_P_UDP;
    p.src.family = p.dst.family = 4;
    p.src.b[0] = 10;
    p.dst.b[0] = 11;
    p.sport = 4000;
    p.dport = 5000;
    p.payload = data;
    p.payload_len = (uint32_t)size;
    pa_rtp_endpoint e;
    memset(&e, 0, sizeof e);
    e.addr = p.dst;
    e.port = 5000;
    e.kind = PA_RTP_KIND_RTP;
    e.npt = 1;
    e.pt[0].pt = 96;
    e.pt[0].rate = 1; /* a rate below 1000: Wireshark divides by 0 */
    pa_rtp_expect(&t, &e);
    for (int k = 0; k < 3; k++) {
        p.frame_no = (uint64_t)k + 1;
        p.ts_ns = k * 20000000;
        pa_rtp_datagram(&t, &p, &h, &m);
    }
    pa_rtp_table_free(&t);
    memset(&t, 0, sizeof t);
    t.heuristic = true;
    pa_rtp_datagram(&t, &p, &h, &m);
    if (t.nstreams > 1) __builtin_trap();
    pa_rtp_table_free(&t);
    return 0;
}
