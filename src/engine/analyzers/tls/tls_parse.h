/* TLS handshake messages: ClientHello and ServerHello (with the extensions
 * reports need), the certificate list, and the JA3, JA3S and JA4
 * fingerprints. Pure functions over one complete handshake message body;
 * record and message reassembly is tls_track.c's job. */
#ifndef PA_TLS_PARSE_H
#define PA_TLS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_TLS_LIST_MAX 256 /* code points kept per list (fingerprints use these); longer lists are counted */
#define PA_TLS_SNI_MAX 256
#define PA_TLS_ALPN_MAX 96 /* "h2,http/1.1" */

enum {
    PA_TLS_HS_CLIENT_HELLO = 1,
    PA_TLS_HS_SERVER_HELLO = 2,
    PA_TLS_HS_NEW_SESSION_TICKET = 4,
    PA_TLS_HS_CERTIFICATE = 11,
    PA_TLS_HS_SERVER_KEY_EXCHANGE = 12,
    PA_TLS_HS_CERTIFICATE_REQUEST = 13,
    PA_TLS_HS_SERVER_HELLO_DONE = 14,
    PA_TLS_HS_CLIENT_KEY_EXCHANGE = 16,
    PA_TLS_HS_FINISHED = 20,
};

typedef struct pa_tls_list {
    uint16_t v[PA_TLS_LIST_MAX];
    uint16_t n;     /* kept */
    uint16_t total; /* in the message */
} pa_tls_list;

typedef struct pa_tls_hello {
    bool client;             /* ClientHello, else ServerHello */
    bool hrr;                /* a ServerHello that is a HelloRetryRequest */
    uint16_t legacy_version; /* the version field of the message */
    uint16_t version;        /* negotiated (ServerHello supported_versions) or legacy */
    uint8_t session_id[32];
    uint8_t session_id_len;
    pa_tls_list ciphers; /* ClientHello: offered; ServerHello: the one chosen */
    pa_tls_list exts;    /* extension types in order */
    pa_tls_list groups;  /* supported_groups */
    pa_tls_list point_formats;
    pa_tls_list sigalgs;    /* signature_algorithms */
    pa_tls_list versions;   /* supported_versions (ClientHello list) */
    pa_tls_list key_shares; /* ClientHello: groups with a key share; ServerHello: one */
    bool has_sni, has_alpn;
    char sni[PA_TLS_SNI_MAX];   /* host_name, as sent (sanitised for UTF-8) */
    char alpn[PA_TLS_ALPN_MAX]; /* ALPN protocols, comma-separated */
    uint8_t alpn_first[2];      /* first and last byte of the first ALPN value (JA4) */
    uint8_t alpn_first_len;
} pa_tls_hello;

typedef enum {
    PA_TLS_PARSE_OK = 0,
    PA_TLS_PARSE_SHORT, /* a length field points past the message */
    PA_TLS_PARSE_BAD,   /* a field that cannot be (empty cipher list ...) */
} pa_tls_parse_status;

/* body: the handshake message after its 4-byte header. */
pa_tls_parse_status pa_tls_parse_hello(const uint8_t *body, size_t len, bool client, pa_tls_hello *out);

/* Certificate message (TLS 1.2 and earlier): calls fn for each DER
 * certificate in order, leaf first; stops after max certificates. */
pa_tls_parse_status pa_tls_parse_certificates(const uint8_t *body, size_t len, unsigned max,
                                              void (*fn)(void *ud, unsigned idx, const uint8_t *der, size_t n),
                                              void *ud);

/* Fingerprints: JA3 and JA3S as 32 hex digits of MD5; JA4 as
 * "t13d1516h2_8daaf6152771_e5627efa2ab1" (proto 't' for TCP). */
void pa_tls_ja3(const pa_tls_hello *ch, char out[33]);
void pa_tls_ja3s(const pa_tls_hello *sh, char out[33]);
void pa_tls_ja4(const pa_tls_hello *ch, char out[40]);
/* JA4 with its first character given: 't' (TCP, what pa_tls_ja4 writes),
 * 'q' for a ClientHello carried by QUIC, 'd' for DTLS. */
void pa_tls_ja4_over(const pa_tls_hello *ch, char transport, char out[40]);

#endif
