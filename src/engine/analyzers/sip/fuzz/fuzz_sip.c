/* fuzz_sip: one datagram as a SIP message over UDP (then its SDP body), and
 * the same bytes as a TCP stream cut in two segments through the tracker.
 * fuzz/run: max_len 8192 */
#include <string.h>

#include "fuzz.h"
#include "sip_track.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_sip_msg m;
    pa_sip_stats st;
    memset(&st, 0, sizeof st);
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = PA_P_UDP;
    p.src.family = p.dst.family = 4;
    p.sport = p.dport = 5060;
    p.frame_no = 1;
    if (pa_sip_parse(data, size, false, &m) == PA_SIP_OK) {
        /* invariant: the message lies within the datagram, strings end */
        if ((size_t)m.head_len + m.body_len > size) __builtin_trap();
        if (strnlen(m.call_id, sizeof m.call_id) >= sizeof m.call_id) __builtin_trap();
        pa_sip_message(&st, &p, &m, data + m.head_len);
    }
    pa_sdp s;
    if (pa_sdp_parse(data, size, &s) && s.nmedia > PA_SDP_MAX_MEDIA) __builtin_trap();
    pa_sip_flow *f = NULL;
    size_t half = size / 2;
    p.l4 = PA_P_TCP;
    p.payload = data;
    p.payload_len = (uint32_t)half;
    pa_sip_segment(&st, &f, &p, 0, NULL, NULL);
    p.payload = data + half;
    p.payload_len = (uint32_t)(size - half);
    p.frame_no = 2;
    pa_sip_segment(&st, &f, &p, 0, NULL, NULL);
    if (st.nmedia > PA_SIP_MAX_MEDIA || st.ncalls > PA_SIP_MAX_CALLS) __builtin_trap();
    pa_sip_flow_free(f);
    pa_sip_stats_free(&st);
    return 0;
}
