/* Service Location Protocol (tshark's srvloc, UDP and TCP 427): version 1
 * (RFC 2165) and version 2 (RFC 2608) headers, and in version 2 the bodies
 * that name services: a request's service type and scopes, the URL
 * entries of a reply or registration, a directory or service agent's
 * advertisement. tshark names every datagram on 427 srvloc; the parser
 * asks for a header whose version, function and length agree with the
 * datagram and whose language tag is one, so the port never names a
 * datagram alone. Pure functions, every read through the cursor. */
#ifndef PA_SRVLOC_PARSE_H
#define PA_SRVLOC_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_SRVLOC_TEXT 128 /* each string kept, with the NUL */
#define PA_SRVLOC_URLS 4   /* URL entries of a reply kept (all counted) */

enum {
    PA_SRVLOC_SRVRQST = 1,
    PA_SRVLOC_SRVRPLY,
    PA_SRVLOC_SRVREG,
    PA_SRVLOC_SRVDEREG,
    PA_SRVLOC_SRVACK,
    PA_SRVLOC_ATTRRQST,
    PA_SRVLOC_ATTRRPLY,
    PA_SRVLOC_DAADVERT,
    PA_SRVLOC_SRVTYPERQST,
    PA_SRVLOC_SRVTYPERPLY,
    PA_SRVLOC_SAADVERT,
};

typedef struct pa_srvloc_url {
    uint16_t lifetime;
    char url[PA_SRVLOC_TEXT];
} pa_srvloc_url;

typedef struct pa_srvloc_msg {
    uint8_t version, function;
    uint32_t length;  /* the header's packet length */
    uint16_t flags;   /* version 2: 16 bits; version 1: the flags byte */
    uint32_t nextext; /* version 2's next extension offset */
    uint16_t xid;
    char lang[16];   /* version 2's language tag, version 1's language code */
    uint8_t dialect; /* version 1 */
    uint16_t encoding;
    bool body; /* a version 2 body read whole */
    bool has_error;
    uint16_t error;
    char srvtype[PA_SRVLOC_TEXT]; /* a request's or registration's service type (list) */
    char scopes[PA_SRVLOC_TEXT];
    uint32_t nurls; /* URL entries (a reply's; one for a registration or advertisement) */
    pa_srvloc_url urls[PA_SRVLOC_URLS];
} pa_srvloc_msg;

/* The header, and a version 2 body when it parses (body true). False when
 * the bytes are no SLP message of n bytes. */
bool pa_srvloc_parse(const uint8_t *p, size_t n, pa_srvloc_msg *out);
/* Wireshark's name of a function id ("SrvRqst"), NULL for another. */
const char *pa_srvloc_function_name(uint8_t function);

#endif
