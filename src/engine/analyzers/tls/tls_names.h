/* Names of TLS code points (cipher suites, groups, signature schemes,
 * extensions, alerts, versions) from the IANA registries, and the judgement
 * of which ones are weak. Unknown codes are named by their hex value. */
#ifndef PA_TLS_NAMES_H
#define PA_TLS_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* GREASE values (RFC 8701): 0x?A?A with both bytes equal. */
static inline bool pa_tls_is_grease(uint16_t v) { return (v & 0x0F0F) == 0x0A0A && (v >> 8) == (v & 0xFF); }

/* Each writes into buf (at least 16 bytes) when the code has no name and
 * returns buf; otherwise returns the static name. */
const char *pa_tls_cipher_name(uint16_t code, char *buf, size_t len);
const char *pa_tls_group_name(uint16_t code, char *buf, size_t len);
const char *pa_tls_sigalg_name(uint16_t code, char *buf, size_t len);
const char *pa_tls_ext_name(uint16_t code, char *buf, size_t len);
const char *pa_tls_alert_name(uint8_t code, char *buf, size_t len);
/* "TLS 1.2", "SSL 3.0", "TLS 1.3 draft 18" ... */
const char *pa_tls_version_name(uint16_t v, char *buf, size_t len);
/* "TLSv12"-style names as in Zeek's ssl.log. */
const char *pa_tls_version_short(uint16_t v, char *buf, size_t len);

typedef enum {
    PA_TLS_OK = 0,
    PA_TLS_WEAK,     /* deprecated: still works, should be retired */
    PA_TLS_INSECURE, /* broken or no real protection */
} pa_tls_grade;

/* reason receives a short phrase ("RC4", "export-grade", "no authentication" ...). */
pa_tls_grade pa_tls_cipher_grade(uint16_t code, const char **reason);
pa_tls_grade pa_tls_version_grade(uint16_t v, const char **reason);
/* Key exchange without forward secrecy (static RSA, DH or ECDH). */
bool pa_tls_cipher_no_pfs(uint16_t code);
/* Hybrid post-quantum key exchange groups (ML-KEM / Kyber). */
bool pa_tls_group_is_pq(uint16_t code);

#endif
