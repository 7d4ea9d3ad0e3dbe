/* fuzz_ntp: one datagram as an NTP message, then through the tracker as a
 * request and as the reply to it (the same bytes with the mode changed and
 * the origin timestamp set to the request's transmit timestamp), then the
 * end of the capture.
 * fuzz/run: max_len 1024 */
#include <string.h>

#include "fuzz.h"
#include "ntp_track.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_ntp_msg m;
    pa_ntp_status s = pa_ntp_parse(data, size, &m);
    if (s == PA_NTP_NOT) return 0;
    /* invariants: a message is at least its mode's header; the fields read
     * are the bytes' */
    if (m.len != size || size < 4 || m.vn < 1 || m.vn > 4 || !m.mode) __builtin_trap();
    if (m.mode < PA_NTP_CONTROL && (size < PA_NTP_HEADER || m.stratum != data[1])) __builtin_trap();
    if (m.mode == PA_NTP_CONTROL && (size < PA_NTP_CTRL_HEADER || (s == PA_NTP_OK) != (m.count <= size - 12)))
        __builtin_trap();
    if (m.has_itemsize && !m.has_err) __builtin_trap();
    if (m.npeers > PA_NTP_CTRL_PEERS || 4u * m.npeers > m.count) __builtin_trap();
    char text[16];
    pa_ntp_refid_text(m.stratum, m.refid, text, sizeof text);
    if (strnlen(text, sizeof text) >= sizeof text) __builtin_trap();
    (void)pa_ntp_kiss_meaning(m.refid);
    (void)pa_ntp_unix_s(m.xmt);

    pa_ntp_stats st;
    memset(&st, 0, sizeof st);
    if (pa_ntp_stats_init(&st)) return 0;
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.src.family = p.dst.family = 4;
    p.src.b[3] = 1;
    p.dst.b[3] = 2;
    p.sport = 40000;
    p.dport = 123;
    p.frame_no = 1;
    p.ts_ns = 1000;
    pa_ntp_resp_link link;
    (void)pa_ntp_message(&st, &p, 0, &m, &link);
    if (link.request_frame) __builtin_trap(); /* nothing before it */
    pa_ntp_msg r = m;
    r.mode = m.mode == PA_NTP_CLIENT ? PA_NTP_SERVER : m.mode;
    r.org = m.xmt;
    r.flags2 |= 0x80;
    r.flags |= m.mode == PA_NTP_PRIVATE ? 0x80 : 0;
    pa_packet q = p;
    q.src = p.dst;
    q.dst = p.src;
    q.sport = p.dport;
    q.dport = p.sport;
    q.frame_no = 2;
    q.ts_ns = 2000;
    const pa_ntp_exchange *x = pa_ntp_message(&st, &q, 0, &r, &link);
    if (m.mode == PA_NTP_CLIENT && (!x || x->rt_ns != 1000 || link.request_frame != 1)) __builtin_trap();
    pa_ntp_finish(&st);
    /* each side sending a mode 4 message is a server */
    if (st.exchanges.count > 1 || st.servers.count > 2 || st.unanswered) __builtin_trap();
    pa_ntp_stats_free(&st);
    return 0;
}
