/* One DHCPv6 message (RFC 8415), parsed from its bytes alone (no state), so
 * that it can be tested and fuzzed by itself. Relay messages are unwrapped
 * (Relay Message option, at most PA_DHCPV6_MAX_RELAY deep) down to the
 * client's or server's message, whose options are kept; every list has a
 * cap. */
#ifndef PA_DHCPV6_PARSE_H
#define PA_DHCPV6_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_DHCPV6_MAX_RELAY 8     /* relay messages unwrapped (RFC 8415 HOP_COUNT_LIMIT is 8) */
#define PA_DHCPV6_MAX_OPTIONS 512 /* options read per message, nested ones included */
#define PA_DHCPV6_DUID 32         /* DUID bytes kept (RFC 8415: at most 130; longer ones are cut) */
#define PA_DHCPV6_MAX_ADDRS 8
#define PA_DHCPV6_MAX_IAS 4
#define PA_DHCPV6_MAX_PREFIXES 4
#define PA_DHCPV6_MAX_DNS 8
#define PA_DHCPV6_DOMAINS 128 /* domain list text kept, names joined by ',' */
#define PA_DHCPV6_STATUS_MSG 64

enum {
    PA_DHCPV6_SOLICIT = 1,
    PA_DHCPV6_ADVERTISE,
    PA_DHCPV6_REQUEST,
    PA_DHCPV6_CONFIRM,
    PA_DHCPV6_RENEW,
    PA_DHCPV6_REBIND,
    PA_DHCPV6_REPLY,
    PA_DHCPV6_RELEASE,
    PA_DHCPV6_DECLINE,
    PA_DHCPV6_RECONFIGURE,
    PA_DHCPV6_INFORMATION_REQUEST,
    PA_DHCPV6_RELAY_FORW,
    PA_DHCPV6_RELAY_REPL,
    PA_DHCPV6_TYPES = 37 /* 1..36 */
};

typedef enum {
    PA_DHCPV6_OK,
    PA_DHCPV6_NOT,       /* no message type or header */
    PA_DHCPV6_MALFORMED, /* an option runs past its end, or relays nest past the cap */
} pa_dhcpv6_status;

typedef struct pa_dhcpv6_addr {
    uint8_t ip[16];
    uint32_t preferred, valid;
} pa_dhcpv6_addr;

typedef struct pa_dhcpv6_prefix {
    uint8_t prefix[16];
    uint8_t len;
    uint32_t preferred, valid;
} pa_dhcpv6_prefix;

typedef struct pa_dhcpv6_msg {
    uint8_t type;       /* the innermost message's type (the client's or server's) */
    uint8_t outer_type; /* the datagram's first byte (12, 13 when relayed) */
    uint8_t relays;     /* relay messages unwrapped */
    uint8_t ntypes;     /* every message's type, outermost first (dhcpv6.msgtype) */
    uint8_t types[PA_DHCPV6_MAX_RELAY + 1];
    uint8_t hopcount;                     /* the outermost relay message's */
    uint8_t link_addr[16], peer_addr[16]; /* the innermost relay's: the client's link and address */
    bool has_xid;
    uint32_t xid;                             /* 24 bits */
    uint8_t client_duid_len, server_duid_len; /* bytes kept */
    uint16_t client_duid_full;                /* the option's length */
    uint8_t client_duid[PA_DHCPV6_DUID], server_duid[PA_DHCPV6_DUID];
    bool has_status; /* a Status Code option, at the top or in an IA */
    uint16_t status; /* the first non-zero one, else 0 */
    char status_msg[PA_DHCPV6_STATUS_MSG];
    uint8_t nia_na, nia_pd;
    uint32_t iaid, t1, t2; /* the first IA_NA's or IA_PD's */
    uint8_t nias;          /* IA_NA and IA_PD options kept, in order (dhcpv6.iaid.t1, .t2) */
    uint32_t ia_t1[PA_DHCPV6_MAX_IAS], ia_t2[PA_DHCPV6_MAX_IAS];
    uint8_t naddrs, nprefixes;
    pa_dhcpv6_addr addrs[PA_DHCPV6_MAX_ADDRS];
    pa_dhcpv6_prefix prefixes[PA_DHCPV6_MAX_PREFIXES];
    uint8_t ndns;
    uint8_t dns[PA_DHCPV6_MAX_DNS][16];
    uint8_t ndomains;
    char domains[PA_DHCPV6_DOMAINS];
    bool rapid_commit;
    uint16_t noptions;
} pa_dhcpv6_msg;

pa_dhcpv6_status pa_dhcpv6_parse(const uint8_t *d, size_t n, pa_dhcpv6_msg *out);
/* What the port look asks: a known type, then options that tile the rest. */
bool pa_dhcpv6_look(const uint8_t *d, size_t n);
const char *pa_dhcpv6_type_name(unsigned t); /* "Solicit", ... "Unknown" */

#endif
