/* One BOOTP/DHCP message (RFC 2131, 2132), parsed from its bytes alone (no
 * state), so that it can be tested and fuzzed by itself. Every list it keeps
 * has a cap; what is past a cap is counted, not kept. */
#ifndef PA_DHCP_PARSE_H
#define PA_DHCP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_DHCP_MAX_ROUTERS 4
#define PA_DHCP_MAX_DNS 8
#define PA_DHCP_MAX_PARAMS 32   /* parameter request list items kept */
#define PA_DHCP_MAX_OPTIONS 400 /* options read per message (each takes at least one byte) */
#define PA_DHCP_MAX_CODES 64    /* option codes kept in order (dhcp.option.type) */
#define PA_DHCP_HOSTNAME 64
#define PA_DHCP_CLIENT_ID 32
#define PA_DHCP_MESSAGE 96

/* Message types (option 53). */
enum {
    PA_DHCP_DISCOVER = 1,
    PA_DHCP_OFFER,
    PA_DHCP_REQUEST,
    PA_DHCP_DECLINE,
    PA_DHCP_ACK,
    PA_DHCP_NAK,
    PA_DHCP_RELEASE,
    PA_DHCP_INFORM,
    PA_DHCP_TYPES = 19 /* 1..18 (RFC 3203, 4388, 6926, 7724) */
};

typedef enum {
    PA_DHCP_OK,        /* a whole message */
    PA_DHCP_NOT,       /* not BOOTP: no fixed header, bad op or hardware length, wrong cookie */
    PA_DHCP_MALFORMED, /* the fixed header is BOOTP's, the options run past the end or are invalid */
} pa_dhcp_status;

typedef struct pa_dhcp_msg {
    uint8_t op, htype, hlen, hops;
    uint32_t xid;
    uint16_t secs, flags;
    uint8_t ciaddr[4], yiaddr[4], siaddr[4], giaddr[4];
    uint8_t chaddr[16];
    bool mac;     /* htype 1 (Ethernet) and hlen 6: chaddr[0..6) is a MAC */
    bool cookie;  /* the magic cookie was there (options follow) */
    bool end;     /* an End option closed the options */
    uint8_t type; /* option 53 (0: plain BOOTP) */
    uint8_t overload;
    bool has_requested, has_server_id, has_lease, has_mask, has_hostname, has_message, relay_agent;
    uint8_t requested[4], server_id[4], mask[4];
    uint32_t lease; /* seconds (0xffffffff: infinite) */
    uint8_t nrouters, ndns;
    uint8_t routers[PA_DHCP_MAX_ROUTERS][4];
    uint8_t dns[PA_DHCP_MAX_DNS][4];
    uint8_t nrouters_seen, ndns_seen; /* all the option held (routers, DNS beyond the caps) */
    char hostname[PA_DHCP_HOSTNAME];  /* option 12, NUL-terminated, cut at the cap */
    char message[PA_DHCP_MESSAGE];    /* option 56 (why a NAK was sent) */
    uint8_t client_id_len;            /* option 61, bytes kept (at most PA_DHCP_CLIENT_ID) */
    uint8_t client_id[PA_DHCP_CLIENT_ID];
    uint8_t nparams; /* option 55 items kept */
    uint8_t params[PA_DHCP_MAX_PARAMS];
    uint8_t ncodes; /* the codes of the options read, End included as 0 (as tshark 4.0 shows it) */
    uint8_t codes[PA_DHCP_MAX_CODES];
    uint16_t noptions;    /* options read (Pad and End not counted) */
    uint16_t bad_options; /* options whose value has a length their code does not allow (not used) */
    uint16_t bad_at;      /* MALFORMED: the byte offset where parsing stopped */
} pa_dhcp_msg;

/* Parses d[0..n); out receives what it says (on MALFORMED, what came before
 * the fault). */
pa_dhcp_status pa_dhcp_parse(const uint8_t *d, size_t n, pa_dhcp_msg *out);
/* Whether d[0..n) starts like BOOTP (what the port look asks). */
bool pa_dhcp_header_ok(const uint8_t *d, size_t n);
const char *pa_dhcp_type_name(unsigned t); /* "Discover", ... "Unknown" */

#endif
