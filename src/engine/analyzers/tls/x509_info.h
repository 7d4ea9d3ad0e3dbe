/* X.509 certificates from TLS Certificate messages, parsed with OpenSSL
 * into the fields reports need. The DER never leaves this file. */
#ifndef PA_X509_INFO_H
#define PA_X509_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_CERT_NAME_MAX 256
#define PA_CERT_SANS_MAX 4096 /* large CDN certificates list 100+ names */

typedef struct pa_cert {
    bool parsed;     /* false: not a certificate OpenSSL can read */
    char sha256[65]; /* of the DER, lower-case hex (Zeek's fingerprint) */
    char sha1[41];
    int version;                    /* 1..3 */
    char serial[80];                /* upper-case hex, as Zeek prints it */
    char subject[PA_CERT_NAME_MAX]; /* RFC 2253 order: "CN=...,O=...,C=.." */
    char issuer[PA_CERT_NAME_MAX];
    char subject_cn[128];
    int64_t not_before, not_after; /* seconds since the epoch */
    char sig_alg[48];              /* "sha256WithRSAEncryption" */
    char key_alg[32];              /* "rsaEncryption", "id-ecPublicKey" */
    char key_type[16];             /* "rsa", "ecdsa", "dsa", "ed25519" ... */
    int key_bits;
    char curve[32];              /* EC keys: "prime256v1" */
    char sans[PA_CERT_SANS_MAX]; /* DNS names and IP addresses, comma-separated */
    uint16_t nsans;
    bool is_ca;       /* basicConstraints CA:TRUE */
    bool self_signed; /* subject = issuer and its own key verifies it */
} pa_cert;

/* OpenSSL's decoded certificate, kept by the TLS tracker for the checks
 * below: decoding is the expensive part (OpenSSL 3 decodes the public key
 * through its provider machinery, ~0.1 ms a certificate), and servers send
 * the same few certificates to every client. */
typedef struct x509_st pa_x509;

/* Parses one DER certificate; out->parsed says whether it could be read
 * (the fingerprints are filled either way). Returns the decoded
 * certificate for the checks below (free it with pa_x509_free), or NULL
 * when it cannot be read. */
pa_x509 *pa_cert_parse(const uint8_t *der, size_t n, pa_cert *out);

/* Decodes without filling a pa_cert (for certificates past the cache). */
pa_x509 *pa_x509_decode(const uint8_t *der, size_t n);
void pa_x509_free(pa_x509 *x);

/* Whether the certificate covers host (RFC 6125 rules, wildcards in the
 * left-most label): 1 yes, 0 no, -1 the certificate cannot be read (NULL). */
int pa_cert_matches_host(pa_x509 *x, const char *host);

/* Whether `issuer` issued `cert` (names match and the signature verifies). */
bool pa_cert_issued_by(pa_x509 *cert, pa_x509 *issuer);

#endif
