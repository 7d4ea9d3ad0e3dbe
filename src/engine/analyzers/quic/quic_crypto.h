/* QUIC Initial packet protection (RFC 9001 5, RFC 9369 3.3): the keys come
 * from the client's first Destination Connection ID and a salt public per
 * version, so any observer can remove them. OpenSSL 3 does the arithmetic;
 * its algorithms are fetched once per process. */
#ifndef PA_QUIC_CRYPTO_H
#define PA_QUIC_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quic_parse.h"

#define PA_QUIC_TAG 16 /* AEAD_AES_128_GCM */

typedef struct pa_quic_keys {
    uint8_t key[16], iv[12], hp[16];
} pa_quic_keys;

/* client_initial_secret and server_initial_secret of a connection whose
 * client's first Initial went to dcid; false for a version without keys
 * (Google's, unknown ones). */
bool pa_quic_initial_secrets(uint32_t version, const uint8_t *dcid, size_t dcid_len, uint8_t client[32],
                             uint8_t server[32]);

/* The packet key, IV and header-protection key of a secret (v2 labels for v2). */
bool pa_quic_derive_keys(uint32_t version, const uint8_t secret[32], pa_quic_keys *out);

/* Both sides' Initial keys at once. */
bool pa_quic_initial_keys(uint32_t version, const uint8_t *dcid, size_t dcid_len, pa_quic_keys *client,
                          pa_quic_keys *server);

/* The full packet number from its truncated form (RFC 9000 A.3); largest is
 * the largest seen in that space, or -1 for none. */
uint64_t pa_quic_pn_expand(int64_t largest, uint64_t truncated, unsigned pn_len);

/* Removes header protection and decrypts one long- or short-header packet
 * in place: pkt[0..size) is the packet (a copy the caller may write),
 * pn_offset where its packet number starts. On success *payload and
 * *payload_len are the plaintext (inside pkt), *pn the packet number and
 * pkt's header bytes are unprotected. */
bool pa_quic_decrypt(const pa_quic_keys *k, uint8_t *pkt, size_t size, size_t pn_offset, int64_t largest_pn,
                     const uint8_t **payload, size_t *payload_len, uint64_t *pn);

#endif
