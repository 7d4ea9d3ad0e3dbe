/* DNS messages (RFC 1035 and EDNS): header, the question, answers summed
 * up for reports. Names are decompressed with pointers that must move
 * strictly backwards and a hop cap, so a hostile message cannot loop. */
#ifndef PA_DNS_PARSE_H
#define PA_DNS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_DNS_NAME_MAX 256 /* text form, with the trailing NUL */
#define PA_DNS_MAX_HOPS 32  /* compression pointers followed per name */
#define PA_DNS_MAX_RR 64    /* records examined per message */

typedef struct pa_dns_msg {
    uint16_t id;
    bool qr, aa, tc, rd, ra;
    uint8_t opcode;
    uint16_t rcode; /* with the EDNS extended bits */
    uint16_t qdcount, ancount, nscount, arcount;
    bool has_question;
    char qname[PA_DNS_NAME_MAX]; /* "www.example.test"; "<Root>" for the root */
    uint16_t qtype, qclass;
    uint16_t answers; /* answer records parsed */
    uint32_t min_ttl; /* smallest answer TTL (0 when none) */
    bool edns;
    uint16_t edns_udp_size;
    char first_answer[64]; /* "192.0.2.1", "2001:db8::1" or a CNAME target, for reports */
} pa_dns_msg;

typedef enum {
    PA_DNS_OK = 0,
    PA_DNS_TRUNCATED, /* the message ends inside a field (snaplen, or malformed) */
    PA_DNS_BAD_NAME,  /* a name with a forward or looping pointer, or too long */
} pa_dns_status;

pa_dns_status pa_dns_parse(const uint8_t *p, size_t n, pa_dns_msg *out);

/* Every question (section 0, no data) and resource record (1 answer, 2
 * authority, 3 additional; at most PA_DNS_MAX_RR each): its name, type and
 * data. Stops at the first damage, after reporting what came before. */
typedef void (*pa_dns_rr_cb)(void *ud, int section, const char *owner, uint16_t type, const uint8_t *rdata,
                             uint16_t rdlen);
pa_dns_status pa_dns_records(const uint8_t *p, size_t n, pa_dns_rr_cb cb, void *ud);

const char *pa_dns_rcode_name(unsigned rcode);
const char *pa_dns_type_name(unsigned type); /* "A", "AAAA", ... or NULL */

#endif
