/* fuzz_syslog: one datagram as a syslog message (Wireshark 4.0's reading),
 * then through the tracker from two hosts, then the end of the capture.
 * fuzz/run: max_len 2048 */
#include <string.h>

#include "fuzz.h"
#include "syslog_track.h"

static void span_inside(const pa_syslog_span *s, const uint8_t *d, size_t n) {
    if (s->present && (s->p < d || s->p + s->n > d + n)) __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_syslog_msg m;
    bool looks = pa_syslog_looks(data, size);
    pa_syslog_parse(data, size, &m);
    if (looks && (!m.has_pri || m.pri > 191)) __builtin_trap();
    if (m.has_pri && (m.level > 7 || m.facility > 127)) __builtin_trap();
    const pa_syslog_span *s[] = {&m.msg,      &m.version, &m.timestamp, &m.ts3164,
                                 &m.hostname, &m.appname, &m.procid,    &m.msgid};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) span_inside(s[i], data, size);
    if (m.rfc5424 && m.rfc3164) __builtin_trap();
    (void)pa_syslog_facility_name(m.facility);
    (void)pa_syslog_level_name(m.level);
    pa_syslog_stats st;
    if (pa_syslog_stats_init(&st)) return 0;
    for (int k = 0; k < 40; k++) {
        pa_packet p;
        memset(&p, 0, sizeof p);
        p.l4 = PA_P_UDP;
        p.src.family = p.dst.family = 4;
        p.src.b[3] = (uint8_t)(k & 1);
        p.frame_no = (uint64_t)k + 1;
        pa_syslog_message(&st, &p, &m);
    }
    pa_syslog_finish(&st);
    if (st.messages != 40 || st.nsamples != PA_SYSLOG_SAMPLES || st.senders.count != 2) __builtin_trap();
    for (size_t i = 0; i < st.nsamples; i++)
        if (strnlen(st.samples[i].text, sizeof st.samples[i].text) >= sizeof st.samples[i].text) __builtin_trap();
    pa_syslog_stats_free(&st);
    return 0;
}
