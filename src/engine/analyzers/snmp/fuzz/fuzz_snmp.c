/* fuzz_snmp: one datagram as an SNMP message (strict BER), then through
 * the tracker as a request from a manager and, the same bytes, as the
 * response from the agent, then the end of the capture.
 * fuzz/run: max_len 2048 */
#include <string.h>

#include "fuzz.h"
#include "snmp_track.h"

static void check_text(const char *s, size_t size) {
    if (strnlen(s, size) >= size) __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_snmp_msg m;
    pa_snmp_status s = pa_snmp_parse(data, size, &m);
    if (s == PA_SNMP_NOT) return 0;
    if (m.version != 0 && m.version != 1 && m.version != 3) __builtin_trap();
    if (m.has_community == (m.version == 3) && s == PA_SNMP_OK) __builtin_trap();
    if (m.noids > PA_SNMP_OIDS || m.noids > m.nvarbinds || m.engine_id_len > PA_SNMP_ENGINE_MAX) __builtin_trap();
    if (m.has_pdu && m.pdu >= PA_SNMP_PDU_TYPES) __builtin_trap();
    check_text(m.community, sizeof m.community);
    check_text(m.user, sizeof m.user);
    check_text(m.context, sizeof m.context);
    check_text(m.enterprise, sizeof m.enterprise);
    for (int i = 0; i < m.noids; i++) check_text(m.oids[i], sizeof m.oids[i]);
    (void)pa_snmp_pdu_name(m.pdu);
    (void)pa_snmp_error_name(m.error_status);
    (void)pa_snmp_level_name(m.msg_flags);
    if (s != PA_SNMP_OK) return 0;

    pa_snmp_stats st;
    if (pa_snmp_stats_init(&st)) return 0;
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = PA_P_UDP;
    p.src.family = p.dst.family = 4;
    p.src.b[3] = 2;
    p.dst.b[3] = 1;
    p.sport = 40000;
    p.dport = 161;
    p.payload = data;
    p.payload_len = (uint32_t)size;
    for (int k = 0; k < 2; k++) { /* the request twice: a retransmission */
        p.frame_no = (uint64_t)k + 1;
        p.ts_ns = k;
        pa_snmp_message(&st, &p, 0, &m, false);
    }
    pa_packet r = p;
    r.src = p.dst;
    r.dst = p.src;
    r.sport = p.dport;
    r.dport = p.sport;
    r.frame_no = 3;
    r.ts_ns = 10;
    pa_snmp_message(&st, &r, 0, &m, false);
    pa_snmp_finish(&st);
    if (st.messages != 3 || st.ntx > st.requests || st.unanswered > st.requests) __builtin_trap();
    if (st.responses + st.requests > 3) __builtin_trap();
    for (size_t i = 0; i < st.ntx; i++) {
        if (st.tx[i].rt_ns < -1) __builtin_trap();
        check_text(st.tx[i].oid, sizeof st.tx[i].oid);
    }
    pa_snmp_stats_free(&st);
    return 0;
}
