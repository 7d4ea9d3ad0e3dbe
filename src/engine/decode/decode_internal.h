/* Entry points of the per-protocol decoders (decode_<proto>.c). Each takes
 * a cursor over its own header and what follows, fills the packet, and
 * hands the rest to the next decoder through the dispatch functions. */
#ifndef PA_DECODE_INTERNAL_H
#define PA_DECODE_INTERNAL_H

#include "cursor.h"
#include "decode.h"

/* Dispatch by EtherType (Ethernet, VLAN, SLL, GRE, SNAP ...). */
void pa_dispatch_ethertype(pa_decoder *d, uint16_t type, pa_cur c, pa_packet *p);
/* Dispatch by IP protocol number (IPv4, IPv6 next header). */
void pa_dispatch_ipproto(pa_decoder *d, uint8_t proto, pa_cur c, pa_packet *p);
/* Starts a tunnel's inner packet: counts depth, remembers the outer IPs.
 * Returns false (and records an anomaly) when the cap is reached. */
bool pa_enter_tunnel(pa_packet *p);

void pa_dec_eth(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_llc(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_cmd(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_vlan(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_mpls(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_pppoe_session(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_arp(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_ipv4(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_ipv6(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_icmp(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_icmpv6(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_tcp(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_udp(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_sctp(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_gre(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_vxlan(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_vxlan_gpe(pa_decoder *d, pa_cur c, pa_packet *p);
void pa_dec_geneve(pa_decoder *d, pa_cur c, pa_packet *p);
/* Returns true when the UDP payload was a Teredo-encapsulated IPv6 packet. */
bool pa_dec_teredo(pa_decoder *d, pa_cur c, pa_packet *p);
/* CAPWAP's data channel; false when the payload is left to the UDP
 * payload: not CAPWAP (version 0), or DTLS (preamble type 1, which still
 * adds the capwap.data layer). */
bool pa_dec_capwap_data(pa_decoder *d, pa_cur c, pa_packet *p);
/* An IEEE 802.11 MAC frame (without FCS); fc_swapped: Cisco's CAPWAP, whose
 * frame-control bytes come in the other order. */
void pa_dec_wlan(pa_decoder *d, pa_cur c, pa_packet *p, bool fc_swapped);

/* Shared by IPv4 and IPv6 once the transport payload is known. */
void pa_ip_payload(pa_decoder *d, uint8_t proto, pa_cur c, pa_packet *p);
/* Stores a fragment; decodes the datagram it completes, if any. The
 * addresses are taken from p (set by the IP decoder). */
void pa_ip_fragment(pa_decoder *d, uint8_t ver, uint8_t proto, uint32_t id, uint32_t off, bool more, pa_cur c,
                    uint32_t claimed, pa_packet *p);

#endif
