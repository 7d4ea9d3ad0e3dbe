/* NetBIOS Name Service messages (RFC 1002 4.2): DNS's header with its own
 * opcodes (query, registration, release, WACK, refresh, multi-homed
 * registration), the questions and records with their first-level encoded
 * names decoded as Wireshark shows them ("WORKGROUP<1d>"), and the
 * addresses of NB records. Every read through the cursor. */
#ifndef PA_NBNS_PARSE_H
#define PA_NBNS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

#define PA_NBNS_NAME 128    /* decoded name, with the NUL (Wireshark's own bound is 256) */
#define PA_NBNS_MAX_RR 16   /* questions and records kept per message */
#define PA_NBNS_MAX_ADDRS 8 /* NB entries kept per record */

enum { PA_NBNS_QUERY = 0, PA_NBNS_REGISTRATION = 5, PA_NBNS_RELEASE = 6, PA_NBNS_WACK = 7, PA_NBNS_REFRESH = 8 };

typedef struct pa_nbns_rr {
    uint8_t section;         /* 0 question, 1 answer, 2 authority, 3 additional */
    int16_t suffix;          /* the name's 16th byte (its type); -1 when not a valid NetBIOS name */
    char name[PA_NBNS_NAME]; /* "NAME<1d>" (with ".scope" when one follows), or Wireshark's "Illegal ..." text */
    uint16_t type, cls;
    uint32_t ttl;
    uint8_t naddrs;                       /* NB entries kept (type NB: flags and an IPv4 address each) */
    uint16_t nb_flags[PA_NBNS_MAX_ADDRS]; /* 0x8000: a group name */
    uint8_t addrs[PA_NBNS_MAX_ADDRS][4];
} pa_nbns_rr;

typedef struct pa_nbns_msg {
    uint16_t id, flags;
    bool response, broadcast;
    uint8_t opcode, rcode;
    uint16_t qdcount, ancount, nscount, arcount;
    uint8_t nrr; /* questions then records, in message order */
    pa_nbns_rr rr[PA_NBNS_MAX_RR];
} pa_nbns_msg;

typedef enum {
    PA_NBNS_OK = 0,
    PA_NBNS_SHORT,    /* shorter than the header */
    PA_NBNS_TRUNCATED /* a question or record cut short or malformed: what came before is kept */
} pa_nbns_status;

pa_nbns_status pa_nbns_parse(const uint8_t *p, size_t n, pa_nbns_msg *out);
/* A first-level encoded name at *c (labels; compression pointers only to
 * earlier bytes of msg[0..n)), as NBNS questions and records and NetBIOS
 * datagrams (RFC 1002 4.4) carry them, decoded into out as Wireshark
 * shows it ("NAME<1d>"); *suffix is its type, -1 when it is not a NetBIOS
 * name (out then holds Wireshark's "Illegal ..." text). False when cut
 * short; *c moves past it. */
bool pa_nbns_read_name(const uint8_t *msg, size_t n, pa_cur *c, char *out, size_t outlen, int *suffix);
/* Wireshark's description of a NetBIOS name type ("Workstation/Redirector",
 * "Server service", ...; "Unknown" otherwise). */
const char *pa_nbns_suffix_name(unsigned suffix);
/* The opcodes the look accepts (RFC 1002: 0, 5 to 9; 15 is not in tshark's table). */
bool pa_nbns_opcode_known(unsigned opcode);

#endif
