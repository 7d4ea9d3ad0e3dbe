/* Internet checksums of a decoded packet (IPv4 header, TCP, UDP, ICMP,
 * ICMPv6). Only whole, unfragmented headers and segments are checked:
 * what the snaplen cut cannot be verified. Checksum offload makes the
 * sender's own copies wrong in most captures, so callers check only on
 * request. */
#ifndef PA_CHECKSUM_H
#define PA_CHECKSUM_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"

typedef enum { PA_CK_UNCHECKED, PA_CK_GOOD, PA_CK_BAD } pa_ck;

typedef struct pa_cksums {
    pa_ck ip; /* IPv4 header */
    pa_ck l4; /* TCP, UDP, ICMP or ICMPv6 */
    uint16_t ip_should, l4_should;
} pa_cksums;

void pa_checksums(const pa_packet *p, pa_cksums *out);

#endif
