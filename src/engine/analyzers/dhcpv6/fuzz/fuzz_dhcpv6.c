/* fuzz_dhcpv6: one datagram as a DHCPv6 message (relays unwrapped), then
 * through the exchange tracker as sent and as its answer.
 * fuzz/run: max_len 2048 */
#include <string.h>

#include "dhcpv6_track.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_dhcpv6_msg m;
    pa_dhcpv6_status s = pa_dhcpv6_parse(data, size, &m);
    if (s == PA_DHCPV6_NOT) return 0;
    if (m.relays > PA_DHCPV6_MAX_RELAY || m.ntypes > PA_DHCPV6_MAX_RELAY + 1 || m.naddrs > PA_DHCPV6_MAX_ADDRS ||
        m.nprefixes > PA_DHCPV6_MAX_PREFIXES || m.ndns > PA_DHCPV6_MAX_DNS || m.client_duid_len > PA_DHCPV6_DUID ||
        m.server_duid_len > PA_DHCPV6_DUID)
        __builtin_trap();
    if (strnlen(m.domains, sizeof m.domains) >= sizeof m.domains ||
        strnlen(m.status_msg, sizeof m.status_msg) >= sizeof m.status_msg)
        __builtin_trap();
    /* the look accepts only what tiles exactly; the parser reads what it accepts */
    if (pa_dhcpv6_look(data, size) && s == PA_DHCPV6_NOT) __builtin_trap();
    pa_dhcpv6_stats st;
    memset(&st, 0, sizeof st);
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.src.family = p.dst.family = 6;
    p.frame_no = 1;
    pa_dhcpv6_message(&st, &p, &m);
    m.type = m.type == PA_DHCPV6_SOLICIT ? PA_DHCPV6_ADVERTISE : PA_DHCPV6_REPLY;
    p.frame_no = 2;
    p.ts_ns = 1000;
    pa_dhcpv6_message(&st, &p, &m);
    if (st.ntx > 2 || st.nservers > 1) __builtin_trap();
    for (uint32_t i = 0; i < st.ntx; i++) (void)pa_dhcpv6_tx_outcome(&st.tx[i]);
    pa_dhcpv6_stats_free(&st);
    return 0;
}
