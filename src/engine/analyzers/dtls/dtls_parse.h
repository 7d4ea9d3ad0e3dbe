/* DTLS 1.0/1.2/1.3 (RFC 6347, 9147) records and handshake fragments, and
 * the hellos through the TLS parser (tls_parse.h): a DTLS ClientHello is a
 * TLS one with a cookie after the session id. Pure functions. */
#ifndef PA_DTLS_PARSE_H
#define PA_DTLS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tls_parse.h"

#define PA_DTLS_MAX_RECORDS 32 /* records read per datagram; more make it not DTLS */
#define PA_DTLS_SRTP_MAX 16    /* use_srtp profiles kept */

enum {
    PA_DTLS_CCS = 20,
    PA_DTLS_ALERT = 21,
    PA_DTLS_HANDSHAKE = 22,
    PA_DTLS_APPDATA = 23,
    PA_DTLS_HELLO_VERIFY_REQUEST = 3,
};

/* One record's 13-byte header and its body. */
typedef struct pa_dtls_record {
    uint8_t type;
    uint16_t version; /* 0xfeff 1.0, 0xfefd 1.2 (and 1.3's legacy), 0xfefc 1.3 */
    uint16_t epoch;
    uint64_t seq; /* 48 bits */
    uint16_t length;
    const uint8_t *body;
} pa_dtls_record;

/* A handshake message's 12-byte header (RFC 6347 4.2.2) and its fragment. */
typedef struct pa_dtls_hs {
    uint8_t type;
    uint32_t length; /* of the whole message */
    uint16_t message_seq;
    uint32_t frag_off, frag_len;
    const uint8_t *frag;
} pa_dtls_hs;

/* use_srtp (RFC 5764): the profiles a ClientHello offers or the one a
 * ServerHello chose. */
typedef struct pa_dtls_srtp {
    uint8_t n;
    uint16_t total;
    uint16_t profile[PA_DTLS_SRTP_MAX];
} pa_dtls_srtp;

/* The records that tile a datagram exactly: their count (at most max
 * filled), or -1 when the bytes are not DTLS records. */
int pa_dtls_records(const uint8_t *d, size_t n, pa_dtls_record *out, int max);
/* The look: records of a content type 20-25 and a DTLS version tile d. */
bool pa_dtls_is_records(const uint8_t *d, size_t n);
/* CAPWAP's DTLS preamble (RFC 5415 4.1: version 0, type 1, reserved): the
 * bytes after it, or NULL. */
const uint8_t *pa_dtls_capwap_body(const uint8_t *d, size_t n, size_t *len);

/* Handshake headers in a record's body, in order: how many (at most max
 * filled); a header whose fragment runs past the record stops the walk
 * (*bad then true). */
int pa_dtls_handshakes(const uint8_t *body, size_t n, pa_dtls_hs *out, int max, bool *bad);

/* A complete ClientHello or ServerHello body (after the 12-byte header). */
pa_tls_parse_status pa_dtls_parse_hello(const uint8_t *body, size_t len, bool client, pa_tls_hello *out,
                                        pa_dtls_srtp *srtp);

const char *pa_dtls_version_name(uint16_t v);    /* "DTLS 1.2", NULL when unknown */
const char *pa_dtls_srtp_name(uint16_t profile); /* "SRTP_AES128_CM_HMAC_SHA1_80", NULL when unknown */

#endif
