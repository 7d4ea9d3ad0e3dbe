/* fuzz_dhcp: one datagram as a BOOTP/DHCP message, then through the
 * transaction tracker twice (a request and a reply of the same exchange).
 * fuzz/run: max_len 2048 */
#include <string.h>

#include "dhcp_track.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_dhcp_msg m;
    pa_dhcp_status s = pa_dhcp_parse(data, size, &m);
    if (s == PA_DHCP_NOT) return 0;
    /* invariants: lists within their caps, strings end inside their arrays */
    if (m.nrouters > PA_DHCP_MAX_ROUTERS || m.ndns > PA_DHCP_MAX_DNS || m.nparams > PA_DHCP_MAX_PARAMS ||
        m.ncodes > PA_DHCP_MAX_CODES || m.client_id_len > PA_DHCP_CLIENT_ID)
        __builtin_trap();
    if (strnlen(m.hostname, sizeof m.hostname) >= sizeof m.hostname ||
        strnlen(m.message, sizeof m.message) >= sizeof m.message)
        __builtin_trap();
    if (s == PA_DHCP_MALFORMED && m.bad_at > size) __builtin_trap();
    pa_dhcp_stats st;
    memset(&st, 0, sizeof st);
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.src.family = p.dst.family = 4;
    p.frame_no = 1;
    pa_dhcp_message(&st, &p, &m);
    m.op = m.op == 1 ? 2 : 1;
    m.type = (uint8_t)(m.type + 1);
    p.frame_no = 2;
    p.ts_ns = 1000;
    pa_dhcp_message(&st, &p, &m);
    if (st.ntx > 1 || st.nservers > 1) __builtin_trap();
    for (uint32_t i = 0; i < st.ntx; i++) (void)pa_dhcp_tx_outcome(&st.tx[i]);
    pa_dhcp_stats_free(&st);
    return 0;
}
