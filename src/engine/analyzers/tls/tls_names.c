#include "tls_names.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

typedef struct named {
    uint16_t code;
    const char *name;
} named;

static const named ciphers[] = {
#define PA_TLS_CIPHER(c, n) {c, n},
#include "tls_ciphers.def"
#undef PA_TLS_CIPHER
};

static const named groups[] = {
    {1, "sect163k1"},
    {2, "sect163r1"},
    {3, "sect163r2"},
    {4, "sect193r1"},
    {5, "sect193r2"},
    {6, "sect233k1"},
    {7, "sect233r1"},
    {8, "sect239k1"},
    {9, "sect283k1"},
    {10, "sect283r1"},
    {11, "sect409k1"},
    {12, "sect409r1"},
    {13, "sect571k1"},
    {14, "sect571r1"},
    {15, "secp160k1"},
    {16, "secp160r1"},
    {17, "secp160r2"},
    {18, "secp192k1"},
    {19, "secp192r1"},
    {20, "secp224k1"},
    {21, "secp224r1"},
    {22, "secp256k1"},
    {23, "secp256r1"},
    {24, "secp384r1"},
    {25, "secp521r1"},
    {26, "brainpoolP256r1"},
    {27, "brainpoolP384r1"},
    {28, "brainpoolP512r1"},
    {29, "x25519"},
    {30, "x448"},
    {31, "brainpoolP256r1tls13"},
    {32, "brainpoolP384r1tls13"},
    {33, "brainpoolP512r1tls13"},
    {256, "ffdhe2048"},
    {257, "ffdhe3072"},
    {258, "ffdhe4096"},
    {259, "ffdhe6144"},
    {260, "ffdhe8192"},
    {0x0200, "MLKEM512"},
    {0x0201, "MLKEM768"},
    {0x0202, "MLKEM1024"},
    {0x11EB, "SecP256r1MLKEM768"},
    {0x11EC, "X25519MLKEM768"},
    {0x11ED, "SecP384r1MLKEM1024"},
    {0x6399, "X25519Kyber768Draft00"},
    {0x639A, "SecP256r1Kyber768Draft00"},
    {0xFF01, "arbitrary_explicit_prime_curves"},
    {0xFF02, "arbitrary_explicit_char2_curves"},
};

static const named sigalgs[] = {
    {0x0101, "rsa_md5"},
    {0x0102, "dsa_md5"},
    {0x0103, "ecdsa_md5"},
    {0x0201, "rsa_pkcs1_sha1"},
    {0x0202, "dsa_sha1"},
    {0x0203, "ecdsa_sha1"},
    {0x0301, "rsa_sha224"},
    {0x0302, "dsa_sha224"},
    {0x0303, "ecdsa_sha224"},
    {0x0401, "rsa_pkcs1_sha256"},
    {0x0402, "dsa_sha256"},
    {0x0403, "ecdsa_secp256r1_sha256"},
    {0x0420, "rsa_pkcs1_sha256_legacy"},
    {0x0501, "rsa_pkcs1_sha384"},
    {0x0502, "dsa_sha384"},
    {0x0503, "ecdsa_secp384r1_sha384"},
    {0x0601, "rsa_pkcs1_sha512"},
    {0x0602, "dsa_sha512"},
    {0x0603, "ecdsa_secp521r1_sha512"},
    {0x0804, "rsa_pss_rsae_sha256"},
    {0x0805, "rsa_pss_rsae_sha384"},
    {0x0806, "rsa_pss_rsae_sha512"},
    {0x0807, "ed25519"},
    {0x0808, "ed448"},
    {0x0809, "rsa_pss_pss_sha256"},
    {0x080A, "rsa_pss_pss_sha384"},
    {0x080B, "rsa_pss_pss_sha512"},
    {0x081A, "ecdsa_brainpoolP256r1tls13_sha256"},
    {0x081B, "ecdsa_brainpoolP384r1tls13_sha384"},
    {0x081C, "ecdsa_brainpoolP512r1tls13_sha512"},
    {0x0904, "mldsa44"},
    {0x0905, "mldsa65"},
    {0x0906, "mldsa87"},
};

static const named exts[] = {
    {0, "server_name"},
    {1, "max_fragment_length"},
    {2, "client_certificate_url"},
    {3, "trusted_ca_keys"},
    {4, "truncated_hmac"},
    {5, "status_request"},
    {6, "user_mapping"},
    {7, "client_authz"},
    {8, "server_authz"},
    {9, "cert_type"},
    {10, "supported_groups"},
    {11, "ec_point_formats"},
    {12, "srp"},
    {13, "signature_algorithms"},
    {14, "use_srtp"},
    {15, "heartbeat"},
    {16, "application_layer_protocol_negotiation"},
    {17, "status_request_v2"},
    {18, "signed_certificate_timestamp"},
    {19, "client_certificate_type"},
    {20, "server_certificate_type"},
    {21, "padding"},
    {22, "encrypt_then_mac"},
    {23, "extended_master_secret"},
    {24, "token_binding"},
    {25, "cached_info"},
    {27, "compress_certificate"},
    {28, "record_size_limit"},
    {34, "delegated_credentials"},
    {35, "session_ticket"},
    {41, "pre_shared_key"},
    {42, "early_data"},
    {43, "supported_versions"},
    {44, "cookie"},
    {45, "psk_key_exchange_modes"},
    {47, "certificate_authorities"},
    {48, "oid_filters"},
    {49, "post_handshake_auth"},
    {50, "signature_algorithms_cert"},
    {51, "key_share"},
    {57, "quic_transport_parameters"},
    {13172, "next_protocol_negotiation"},
    {17513, "application_settings"},
    {17613, "application_settings_new"},
    {0xFE0D, "encrypted_client_hello"},
    {0xFF01, "renegotiation_info"},
};

/* The entry's index, or n when the code is not in the table. */
static size_t find_index(const named *t, size_t n, uint16_t code) {
    size_t lo = 0, hi = n; /* tables are sorted by code */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t[mid].code == code) return mid;
        if (t[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return n;
}

static const char *find(const named *t, size_t n, uint16_t code) {
    size_t i = find_index(t, n, code);
    return i < n ? t[i].name : NULL;
}

static const char *or_hex(const char *name, uint16_t code, char *buf, size_t len) {
    if (name) return name;
    if (pa_tls_is_grease(code))
        snprintf(buf, len, "GREASE (0x%04X)", code);
    else
        snprintf(buf, len, "0x%04X", code);
    return buf;
}

#define N(t) (sizeof t / sizeof t[0])

const char *pa_tls_cipher_name(uint16_t c, char *buf, size_t len) {
    return or_hex(find(ciphers, N(ciphers), c), c, buf, len);
}
const char *pa_tls_group_name(uint16_t c, char *buf, size_t len) {
    return or_hex(find(groups, N(groups), c), c, buf, len);
}
const char *pa_tls_sigalg_name(uint16_t c, char *buf, size_t len) {
    return or_hex(find(sigalgs, N(sigalgs), c), c, buf, len);
}
const char *pa_tls_ext_name(uint16_t c, char *buf, size_t len) { return or_hex(find(exts, N(exts), c), c, buf, len); }

const char *pa_tls_alert_name(uint8_t c, char *buf, size_t len) {
    static const named alerts[] = {
        {0, "close_notify"},
        {10, "unexpected_message"},
        {20, "bad_record_mac"},
        {21, "decryption_failed"},
        {22, "record_overflow"},
        {30, "decompression_failure"},
        {40, "handshake_failure"},
        {41, "no_certificate"},
        {42, "bad_certificate"},
        {43, "unsupported_certificate"},
        {44, "certificate_revoked"},
        {45, "certificate_expired"},
        {46, "certificate_unknown"},
        {47, "illegal_parameter"},
        {48, "unknown_ca"},
        {49, "access_denied"},
        {50, "decode_error"},
        {51, "decrypt_error"},
        {60, "export_restriction"},
        {70, "protocol_version"},
        {71, "insufficient_security"},
        {80, "internal_error"},
        {86, "inappropriate_fallback"},
        {90, "user_canceled"},
        {100, "no_renegotiation"},
        {109, "missing_extension"},
        {110, "unsupported_extension"},
        {111, "certificate_unobtainable"},
        {112, "unrecognized_name"},
        {113, "bad_certificate_status_response"},
        {114, "bad_certificate_hash_value"},
        {115, "unknown_psk_identity"},
        {116, "certificate_required"},
        {120, "no_application_protocol"},
        {121, "ech_required"},
    };
    const char *n = find(alerts, N(alerts), c);
    if (n) return n;
    snprintf(buf, len, "unknown (%u)", c);
    return buf;
}

const char *pa_tls_version_name(uint16_t v, char *buf, size_t len) {
    switch (v) {
    case 0x0002: return "SSL 2.0";
    case 0x0300: return "SSL 3.0";
    case 0x0301: return "TLS 1.0";
    case 0x0302: return "TLS 1.1";
    case 0x0303: return "TLS 1.2";
    case 0x0304: return "TLS 1.3";
    case 0xFEFF: return "DTLS 1.0";
    case 0xFEFD: return "DTLS 1.2";
    case 0xFEFC: return "DTLS 1.3";
    default: break;
    }
    if ((v >> 8) == 0x7F)
        snprintf(buf, len, "TLS 1.3 draft %u", v & 0xFF);
    else
        or_hex(NULL, v, buf, len);
    return buf;
}

const char *pa_tls_version_short(uint16_t v, char *buf, size_t len) {
    switch (v) {
    case 0x0002: return "SSLv2";
    case 0x0300: return "SSLv3";
    case 0x0301: return "TLSv10";
    case 0x0302: return "TLSv11";
    case 0x0303: return "TLSv12";
    case 0x0304: return "TLSv13";
    default: return pa_tls_version_name(v, buf, len);
    }
}

/* Judged from the registry name: the parts that make a suite weak. */
static const struct {
    const char *part, *why;
    pa_tls_grade grade;
} cipher_rules[] = {
    {"_NULL_", "NULL: no encryption", PA_TLS_INSECURE},
    {"WITH_NULL", "NULL: no encryption", PA_TLS_INSECURE},
    {"EXPORT", "export-grade (40/56-bit)", PA_TLS_INSECURE},
    {"_anon_", "anonymous: no authentication", PA_TLS_INSECURE},
    {"RC4", "RC4 (RFC 7465)", PA_TLS_INSECURE},
    {"_RC2_", "RC2", PA_TLS_INSECURE},
    {"_DES_", "single DES (56-bit)", PA_TLS_INSECURE},
    {"DES40", "single DES (40-bit)", PA_TLS_INSECURE},
    {"3DES", "3DES (64-bit block, Sweet32)", PA_TLS_WEAK},
    {"IDEA", "IDEA (64-bit block)", PA_TLS_WEAK},
    {"_MD5", "MD5 MAC", PA_TLS_WEAK},
};

/* The rule (index + 1) each registered suite falls under, 0 for none:
 * worked out once, because every ClientHello asks for each suite it offers. */
static uint8_t cipher_rule[N(ciphers)];
static pthread_once_t cipher_rules_once = PTHREAD_ONCE_INIT;

static void grade_all(void) {
    for (size_t k = 0; k < N(ciphers); k++) {
        const char *n = ciphers[k].name;
        if (strstr(n, "SCSV")) continue;
        for (size_t i = 0; i < N(cipher_rules); i++)
            if (strstr(n, cipher_rules[i].part)) {
                cipher_rule[k] = (uint8_t)(i + 1);
                break;
            }
    }
}

pa_tls_grade pa_tls_cipher_grade(uint16_t code, const char **reason) {
    pthread_once(&cipher_rules_once, grade_all);
    if (reason) *reason = NULL;
    size_t k = find_index(ciphers, N(ciphers), code);
    uint8_t r = k < N(ciphers) ? cipher_rule[k] : 0;
    if (!r) return PA_TLS_OK;
    if (reason) *reason = cipher_rules[r - 1].why;
    return cipher_rules[r - 1].grade;
}

bool pa_tls_cipher_no_pfs(uint16_t code) {
    const char *n = find(ciphers, N(ciphers), code);
    if (!n || strncmp(n, "TLS_", 4) != 0 || strstr(n, "SCSV")) return false;
    if (!strstr(n, "_WITH_")) return false; /* TLS 1.3 suites: always ephemeral */
    return strncmp(n, "TLS_RSA_", 8) == 0 || strncmp(n, "TLS_DH_", 7) == 0 || strncmp(n, "TLS_ECDH_", 9) == 0 ||
           strncmp(n, "TLS_PSK_", 8) == 0 || strncmp(n, "TLS_KRB5_", 9) == 0;
}

pa_tls_grade pa_tls_version_grade(uint16_t v, const char **reason) {
    if (reason) *reason = NULL;
    if (v == 0x0002 || v == 0x0300) {
        if (reason) *reason = v == 0x0300 ? "SSL 3.0 (POODLE, RFC 7568)" : "SSL 2.0 (RFC 6176)";
        return PA_TLS_INSECURE;
    }
    if (v == 0x0301 || v == 0x0302) {
        if (reason) *reason = "deprecated by RFC 8996";
        return PA_TLS_WEAK;
    }
    return PA_TLS_OK;
}

bool pa_tls_group_is_pq(uint16_t c) {
    return (c >= 0x0200 && c <= 0x0202) || (c >= 0x11EB && c <= 0x11ED) || c == 0x6399 || c == 0x639A;
}
