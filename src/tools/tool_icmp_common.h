/* What the ICMP tools share (analyze_icmp_errors, analyze_mtu_fragmentation
 * and the ICMP part of analyze_network_quality_metrics): what an error
 * means, and the display filters that select its frames. */
#ifndef PA_TOOL_ICMP_COMMON_H
#define PA_TOOL_ICMP_COMMON_H

#include "tool_common.h"
#include "tool_report.h"

/* What an ICMP or ICMPv6 error says, and what it means for the path. */
typedef struct pa_icmp_meaning {
    uint8_t ver, type;
    int code; /* -1: any code */
    const char *name, *meaning;
} pa_icmp_meaning;

/* NULL for a type pa_icmp_is_error does not accept. */
const pa_icmp_meaning *pa_icmp_meaning_of(uint8_t ver, uint8_t type, uint8_t code);
/* A redirect is a routing hint; every other error is a delivery failure. */
bool pa_icmp_hurts(uint8_t ver, uint8_t type);
/* "tcp", "udp", "icmp", "icmpv6", "sctp"; NULL for others. */
const char *pa_ip_proto_name(uint8_t proto);
/* "icmp.type == 3 && icmp.code == 3" */
int pa_icmp_type_filter(char *out, size_t n, uint8_t ver, uint8_t type, uint8_t code);
/* The frames of one quoted flow's errors: type and code, then the quoted
 * datagram's addresses and ports, and the reporter. */
void pa_icmp_flow_filter(char *out, size_t n, const pa_icmp_flow *f);
/* The first frames of a list (at most PA_ICMP_FIRST_FRAMES of count), as a
 * JSON array and " 12 14 19" in b. */
json_t *pa_icmp_frames_json(const uint64_t *v, uint64_t count, pa_buf *b);
/* Wireshark's name of a kind: "Destination unreachable (Port unreachable)". */
void pa_icmp_kind_name(char *out, size_t n, uint8_t ver, uint8_t type, uint8_t code);

#endif
