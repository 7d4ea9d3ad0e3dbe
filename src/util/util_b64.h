/* Base64 (RFC 4648) decoding of untrusted text, and the SASL PLAIN
 * message (RFC 4616) the mail protocols carry in it. */
#ifndef PA_UTIL_B64_H
#define PA_UTIL_B64_H

#include <stddef.h>
#include <stdint.h>

/* Decodes in (stops at the first byte outside the alphabet: '=', a space,
 * a line end); returns the bytes written to out, at most size. */
size_t pa_b64_decode(const uint8_t *in, size_t n, uint8_t *out, size_t size);

/* The authentication identity of a base64 SASL PLAIN message (authzid
 * NUL authcid NUL password), as printable text into user (size bytes);
 * empty when the message is not one. The password is never copied. */
void pa_sasl_plain_user(const uint8_t *b64, size_t n, char *user, size_t size);

#endif
