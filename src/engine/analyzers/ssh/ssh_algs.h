/* SSH algorithm names: the choice of each algorithm from the two KEXINITs
 * (RFC 4253 7.1), which choices are weak, and the HASSH fingerprints of a
 * KEXINIT (Salesforce's HASSH: the MD5 of four of its name-lists). */
#ifndef PA_SSH_ALGS_H
#define PA_SSH_ALGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssh_parse.h"

/* The first name of the client's comma-separated list that the server's
 * list also holds, into out (cap bytes; a longer name is cut). false, and
 * out "", when there is none. */
bool pa_ssh_choose(const uint8_t *client, size_t cn, const uint8_t *server, size_t sn, char *out, size_t cap);

/* What kind of algorithm a name is, for its weakness. */
typedef enum { PA_SSH_ALG_KEX, PA_SSH_ALG_HOSTKEY, PA_SSH_ALG_CIPHER, PA_SSH_ALG_MAC } pa_ssh_alg_kind;

/* Why a negotiated algorithm is weak, or NULL when it is not: key
 * exchanges RFC 9142 says SHOULD NOT be used (1024-bit group 1, SHA-1
 * group exchange, their GSS-API forms, rsa1024-sha1), DSA host keys
 * (ssh-dss), RC4, CBC-mode and DES ciphers or none, MD5 and 96-bit MACs
 * or none (a MAC is not used, so not weak, with an AEAD cipher: pass it as
 * cipher, NULL when unknown). */
const char *pa_ssh_weak(pa_ssh_alg_kind kind, const char *name, const char *cipher);

/* Whether a cipher authenticates itself (its MAC is not negotiated). */
bool pa_ssh_cipher_is_aead(const char *name);

/* The HASSH input of a KEXINIT: "kex;enc;mac;comp" with the
 * client-to-server lists (client: hassh) or the server-to-client ones
 * (server: hasshServer), as its bytes are. Writes at most cap - 1
 * characters and a NUL; returns the full length. */
size_t pa_ssh_hassh_input(const pa_ssh_kexinit *k, const uint8_t *payload, bool server, char *out, size_t cap);
/* The MD5 of the input, in lower-case hex. */
void pa_ssh_hassh(const char *input, size_t n, char hex[33]);

#endif
