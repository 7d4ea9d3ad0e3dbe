/* QUIC Initial keys, header protection and AEAD_AES_128_GCM with OpenSSL 3.
 * HKDF is written as the HMACs it is (RFC 5869): every output here is at
 * most one SHA-256 block, so Expand is a single HMAC. */
#include "quic_crypto.h"

#include <pthread.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

static EVP_MAC *hmac;
static EVP_CIPHER *aes_ecb, *aes_gcm;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void fetch_all(void) {
    /* kept for the life of the process: the pass runs on several threads */
    hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    aes_ecb = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
    aes_gcm = EVP_CIPHER_fetch(NULL, "AES-128-GCM", NULL);
}

static bool ready(void) {
    pthread_once(&once, fetch_all);
    return hmac && aes_ecb && aes_gcm;
}

/* HMAC-SHA256 of (a || b) under key: 32 bytes to out. */
static bool hmac_sha256(const uint8_t *key, size_t klen, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
                        uint8_t out[32]) {
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(hmac);
    if (!ctx) return false;
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_END};
    size_t outl = 0;
    bool ok = EVP_MAC_init(ctx, key, klen, params) && EVP_MAC_update(ctx, a, alen) &&
              (!blen || EVP_MAC_update(ctx, b, blen)) && EVP_MAC_final(ctx, out, &outl, 32) && outl == 32;
    EVP_MAC_CTX_free(ctx);
    return ok;
}

/* HKDF-Expand-Label (RFC 8446 7.1) with an empty context, len <= 32. */
static bool expand_label(const uint8_t secret[32], const char *label, uint8_t *out, size_t len) {
    uint8_t info[2 + 1 + 6 + 32 + 1 + 1];
    size_t ll = strlen(label), n = 0;
    if (ll > 32 || len > 32) return false;
    info[n++] = 0;
    info[n++] = (uint8_t)len;
    info[n++] = (uint8_t)(6 + ll);
    memcpy(info + n, "tls13 ", 6);
    n += 6;
    memcpy(info + n, label, ll);
    n += ll;
    info[n++] = 0;    /* context length */
    info[n++] = 0x01; /* the block counter of T(1) */
    uint8_t t[32];
    if (!hmac_sha256(secret, 32, info, n, NULL, 0, t)) return false;
    memcpy(out, t, len);
    return true;
}

static const uint8_t *salt_of(uint32_t version) {
    static const uint8_t d22[20] = {0x7f, 0xbc, 0xdb, 0x0e, 0x7c, 0x66, 0xbb, 0xe9, 0x19, 0x3a,
                                    0x96, 0xcd, 0x21, 0x51, 0x9e, 0xbd, 0x7a, 0x02, 0x64, 0x4a};
    static const uint8_t d23[20] = {0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
                                    0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02};
    static const uint8_t d29[20] = {0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
                                    0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99};
    static const uint8_t v1[20] = {0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
                                   0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};
    static const uint8_t v2[20] = {0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
                                   0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9};
    switch (pa_quic_version_kind(version)) {
    case PA_QUIC_VK_DRAFT22: return d22;
    case PA_QUIC_VK_DRAFT23: return d23;
    case PA_QUIC_VK_DRAFT29: return d29;
    case PA_QUIC_VK_V1: return v1;
    case PA_QUIC_VK_V2: return v2;
    default: return NULL;
    }
}

bool pa_quic_initial_secrets(uint32_t version, const uint8_t *dcid, size_t dcid_len, uint8_t client[32],
                             uint8_t server[32]) {
    const uint8_t *salt = salt_of(version);
    uint8_t prk[32];
    if (!salt || dcid_len > PA_QUIC_CID_MAX || !ready() || !hmac_sha256(salt, 20, dcid, dcid_len, NULL, 0, prk))
        return false;
    /* the same labels in v2 (RFC 9369 3.3.2 changes only the salt and the key labels) */
    return expand_label(prk, "client in", client, 32) && expand_label(prk, "server in", server, 32);
}

bool pa_quic_derive_keys(uint32_t version, const uint8_t secret[32], pa_quic_keys *out) {
    bool v2 = version == PA_QUIC_V2;
    return ready() && expand_label(secret, v2 ? "quicv2 key" : "quic key", out->key, sizeof out->key) &&
           expand_label(secret, v2 ? "quicv2 iv" : "quic iv", out->iv, sizeof out->iv) &&
           expand_label(secret, v2 ? "quicv2 hp" : "quic hp", out->hp, sizeof out->hp);
}

bool pa_quic_initial_keys(uint32_t version, const uint8_t *dcid, size_t dcid_len, pa_quic_keys *client,
                          pa_quic_keys *server) {
    uint8_t cs[32], ss[32];
    return pa_quic_initial_secrets(version, dcid, dcid_len, cs, ss) && pa_quic_derive_keys(version, cs, client) &&
           pa_quic_derive_keys(version, ss, server);
}

uint64_t pa_quic_pn_expand(int64_t largest, uint64_t truncated, unsigned pn_len) {
    uint64_t expected = largest < 0 ? 0 : (uint64_t)largest + 1;
    uint64_t win = (uint64_t)1 << (pn_len * 8), hwin = win / 2, mask = win - 1;
    uint64_t cand = (expected & ~mask) | truncated;
    /* the candidate nearest to the next expected number (RFC 9000 A.3) */
    if (cand + hwin <= expected && cand < ((uint64_t)1 << 62) - win) return cand + win;
    if (cand > expected + hwin && cand >= win) return cand - win;
    return cand;
}

static bool hp_mask(const uint8_t hp[16], const uint8_t sample[16], uint8_t mask[16]) {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int l1 = 0, l2 = 0;
    bool ok = ctx && EVP_EncryptInit_ex2(ctx, aes_ecb, hp, NULL, NULL) && EVP_CIPHER_CTX_set_padding(ctx, 0) &&
              EVP_EncryptUpdate(ctx, mask, &l1, sample, 16) && EVP_EncryptFinal_ex(ctx, mask + l1, &l2) &&
              l1 + l2 == 16;
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

static bool gcm_open(const pa_quic_keys *k, uint64_t pn, const uint8_t *aad, size_t aad_len, uint8_t *ct, size_t ct_len,
                     const uint8_t tag[16]) {
    uint8_t nonce[12];
    memcpy(nonce, k->iv, 12);
    for (int i = 0; i < 8; i++) nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int l = 0;
    bool ok = ctx && EVP_DecryptInit_ex2(ctx, aes_gcm, k->key, nonce, NULL) && aad_len <= INT32_MAX &&
              ct_len <= INT32_MAX && EVP_DecryptUpdate(ctx, NULL, &l, aad, (int)aad_len) &&
              EVP_DecryptUpdate(ctx, ct, &l, ct, (int)ct_len) &&
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, (void *)tag) && EVP_DecryptFinal_ex(ctx, ct + l, &l);
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

bool pa_quic_decrypt(const pa_quic_keys *k, uint8_t *pkt, size_t size, size_t pn_offset, int64_t largest_pn,
                     const uint8_t **payload, size_t *payload_len, uint64_t *pn) {
    /* the sample is taken as if the packet number were 4 bytes long */
    if (!ready() || size < pn_offset || size - pn_offset < 4 + 16) return false;
    uint8_t mask[16];
    if (!hp_mask(k->hp, pkt + pn_offset + 4, mask)) return false;
    bool is_long = pkt[0] & 0x80;
    uint8_t first = (uint8_t)(pkt[0] ^ (mask[0] & (is_long ? 0x0f : 0x1f)));
    unsigned pn_len = (unsigned)(first & 3) + 1;
    if (size - pn_offset < pn_len + PA_QUIC_TAG) return false;
    pkt[0] = first;
    uint64_t truncated = 0;
    for (unsigned i = 0; i < pn_len; i++) {
        pkt[pn_offset + i] ^= mask[1 + i];
        truncated = truncated << 8 | pkt[pn_offset + i];
    }
    uint64_t full = pa_quic_pn_expand(largest_pn, truncated, pn_len);
    size_t hdr = pn_offset + pn_len, ct_len = size - hdr - PA_QUIC_TAG;
    if (!gcm_open(k, full, pkt, hdr, pkt + hdr, ct_len, pkt + size - PA_QUIC_TAG)) return false;
    *payload = pkt + hdr;
    *payload_len = ct_len;
    *pn = full;
    return true;
}
