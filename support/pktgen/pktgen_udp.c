/* pg_write_udp: one UDP datagram as a whole Ethernet frame, for tests that
 * write many datagrams between a few endpoints (pktgen.h). */
#include <string.h>

#include "pktgen.h"

int pg_write_udp(pg_writer *w, pg_ts t, const pg_udp_ep *s, const pg_udp_ep *d, const void *payload, size_t n) {
    static const uint8_t mac_s[6] = {2, 0, 0, 0, 0, 1}, mac_d[6] = {2, 0, 0, 0, 0, 2};
    if (!s || !d || s->family != d->family || (s->family != 4 && s->family != 6)) return PG_EINVAL;
    uint8_t buf[9216];
    pg_pkt p;
    pg_pkt_init(&p, buf, sizeof buf);
    pg_eth(&p, mac_d, mac_s, s->family == 4 ? PG_ETH_IPV4 : PG_ETH_IPV6);
    if (s->family == 4) {
        pg_ip4 ip = {.ttl = 64};
        memcpy(ip.src, s->ip, 4);
        memcpy(ip.dst, d->ip, 4);
        pg_ipv4(&p, &ip);
    } else {
        pg_ip6 ip = {.hlim = 64};
        memcpy(ip.src, s->ip, 16);
        memcpy(ip.dst, d->ip, 16);
        pg_ipv6(&p, &ip);
    }
    pg_udp(&p, s->port, d->port);
    pg_bytes(&p, payload, n);
    pg_finish(&p);
    return pg_write_pkt(w, t, &p);
}
