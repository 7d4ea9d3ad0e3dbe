/* fuzz_stun: one datagram as a STUN message (cookie or classic) or TURN
 * ChannelData through the parser and the tracker, then the same bytes as a
 * TCP segment of messages back to back (and behind RFC 4571 framing).
 * fuzz/run: max_len 2048 */
#include <string.h>

#include "fuzz.h"
#include "stun_track.h"

static void check_msg(const pa_stun_msg *m) {
    PA_FUZZ_CHECK(m->naddrs <= PA_STUN_MAX_ADDRS && m->natts <= PA_STUN_MAX_ATTRS);
    PA_FUZZ_CHECK(strnlen(m->username, PA_STUN_TEXT) < PA_STUN_TEXT && strnlen(m->reason, PA_STUN_TEXT) < PA_STUN_TEXT);
    PA_FUZZ_CHECK(m->cls < 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_stun_stats st;
    memset(&st, 0, sizeof st);
    if (pa_stun_stats_init(&st)) return 0;
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = PA_P_UDP;
    p.src.family = p.dst.family = 4;
    p.sport = 50000;
    p.dport = 3478;
    p.frame_no = 1;
    pa_stun_msg m;
    size_t used = 0;
    pa_stun_status s = pa_stun_parse(data, size, true, &m, &used);
    if (s == PA_STUN_OK) {
        PA_FUZZ_CHECK(used == size);
        check_msg(&m);
        pa_stun_message(&st, &p, 0, &m);
    }
    if (pa_stun_parse_classic(data, size, &m) == PA_STUN_OK) {
        check_msg(&m);
        pa_stun_message(&st, &p, 0, &m);
    }
    if (pa_stun_is_message(data, size, true)) PA_FUZZ_CHECK(s == PA_STUN_OK); /* the look never accepts more */
    uint16_t ch, len;
    if (pa_stun_channel_data(data, size, true, &ch, &len)) {
        PA_FUZZ_CHECK(4u + len <= size && (ch & 0xF000) == 0x4000);
        pa_stun_channel(&st, &p, ch, len);
    }
    /* a TCP segment: messages back to back, each within the bytes */
    p.l4 = PA_P_TCP;
    size_t off = 0;
    for (int k = 0; k < 64 && off < size; k++) {
        if (pa_stun_parse(data + off, size - off, false, &m, &used) != PA_STUN_OK) break;
        PA_FUZZ_CHECK(used >= 20 && used <= size - off);
        check_msg(&m);
        pa_stun_message(&st, &p, 0, &m);
        off += used;
    }
    (void)pa_stun_is_framed(data, size);
    pa_stun_finish(&st);
    PA_FUZZ_CHECK(st.tx.count <= PA_STUN_MAX_TX && st.allocs.count <= PA_STUN_MAX_ALLOCS);
    pa_stun_stats_free(&st);
    return 0;
}
