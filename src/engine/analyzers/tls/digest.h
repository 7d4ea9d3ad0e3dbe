/* Message digests for fingerprints (JA3/JA4, certificate SHA-1/SHA-256).
 * OpenSSL 3 looks an algorithm up by name on every EVP_Digest(EVP_sha256())
 * call, which cost more than the hashing itself for short inputs; these
 * fetch each algorithm once per process. */
#ifndef PA_DIGEST_H
#define PA_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { PA_MD_MD5, PA_MD_SHA1, PA_MD_SHA256, PA_MD_COUNT } pa_md;

/* Writes the digest of data to out (at least 32 bytes) and returns its
 * length, or 0 when the algorithm is unavailable. */
unsigned pa_digest(pa_md md, const void *data, size_t n, uint8_t out[32]);

/* The digest as lower-case hex, cut or zero-padded to hexlen digits
 * (out has room for hexlen + 1). */
void pa_digest_hex(pa_md md, const void *data, size_t n, char *out, size_t hexlen);

#endif
