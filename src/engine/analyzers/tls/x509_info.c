#include "x509_info.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "digest.h"
#include "util_buf.h"

static void hex(const unsigned char *d, unsigned n, char *out, bool upper) {
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[2 * n] = '\0';
}

static void fingerprints(const uint8_t *der, size_t n, pa_cert *c) {
    uint8_t d[32];
    if (pa_digest(PA_MD_SHA256, der, n, d) == 32) hex(d, 32, c->sha256, false);
    if (pa_digest(PA_MD_SHA1, der, n, d) == 20) hex(d, 20, c->sha1, false);
}

/* RFC 2253 text, but UTF-8 kept as UTF-8 (Zeek prints names the same way). */
static void name_text(const X509_NAME *name, char *out, size_t size) {
    out[0] = '\0';
    BIO *b = BIO_new(BIO_s_mem());
    if (!b) return;
    if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        int k = BIO_read(b, out, (int)size - 1);
        out[k > 0 ? k : 0] = '\0';
        pa_text_scrub(out, strlen(out));
    }
    BIO_free(b);
}

static int64_t asn1_time(const ASN1_TIME *t) {
    struct tm tm;
    if (!t || !ASN1_TIME_to_tm(t, &tm)) return 0;
    return (int64_t)timegm(&tm);
}

static void add_san(pa_cert *c, const char *s, size_t n) {
    size_t used = strlen(c->sans);
    c->nsans++;
    if (used + n + 2 >= sizeof c->sans) return; /* counted, not listed */
    if (used) c->sans[used++] = ',';
    memcpy(c->sans + used, s, n);
    c->sans[used + n] = '\0';
    pa_text_scrub(c->sans + used, n);
}

static void sans(X509 *x, pa_cert *c) {
    GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    if (!names) return;
    for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
        if (g->type == GEN_DNS) {
            const ASN1_IA5STRING *s = g->d.dNSName;
            add_san(c, (const char *)ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s));
        } else if (g->type == GEN_IPADD) {
            const ASN1_OCTET_STRING *s = g->d.iPAddress;
            char buf[64] = "";
            const unsigned char *p = ASN1_STRING_get0_data(s);
            int n = ASN1_STRING_length(s);
            if (n == 4)
                snprintf(buf, sizeof buf, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
            else if (n == 16) {
                size_t k = 0;
                for (int j = 0; j < 16; j += 2)
                    k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%x", j ? ":" : "", p[j] << 8 | p[j + 1]);
            }
            if (buf[0]) add_san(c, buf, strlen(buf));
        }
    }
    GENERAL_NAMES_free(names);
}

static void key_info(X509 *x, pa_cert *c) {
    EVP_PKEY *k = X509_get0_pubkey(x);
    const X509_PUBKEY *pk = X509_get_X509_PUBKEY(x);
    ASN1_OBJECT *alg = NULL;
    if (pk && X509_PUBKEY_get0_param(&alg, NULL, NULL, NULL, pk) && alg)
        snprintf(c->key_alg, sizeof c->key_alg, "%s",
                 OBJ_nid2ln(OBJ_obj2nid(alg)) ? OBJ_nid2ln(OBJ_obj2nid(alg)) : "unknown");
    if (!k) return;
    c->key_bits = EVP_PKEY_get_bits(k);
    switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA: snprintf(c->key_type, sizeof c->key_type, "rsa"); break;
    case EVP_PKEY_DSA: snprintf(c->key_type, sizeof c->key_type, "dsa"); break;
    case EVP_PKEY_EC: snprintf(c->key_type, sizeof c->key_type, "ecdsa"); break;
    case EVP_PKEY_ED25519: snprintf(c->key_type, sizeof c->key_type, "ed25519"); break;
    case EVP_PKEY_ED448: snprintf(c->key_type, sizeof c->key_type, "ed448"); break;
    default: snprintf(c->key_type, sizeof c->key_type, "other"); break;
    }
    char group[32];
    size_t glen = 0;
    if (EVP_PKEY_get_base_id(k) == EVP_PKEY_EC &&
        EVP_PKEY_get_utf8_string_param(k, "group", group, sizeof group, &glen))
        snprintf(c->curve, sizeof c->curve, "%s", group);
}

pa_x509 *pa_x509_decode(const uint8_t *der, size_t n) {
    const unsigned char *p = der;
    return n > 0 && n <= (size_t)INT32_MAX ? d2i_X509(NULL, &p, (long)n) : NULL;
}

void pa_x509_free(pa_x509 *x) { X509_free(x); }

pa_x509 *pa_cert_parse(const uint8_t *der, size_t n, pa_cert *c) {
    memset(c, 0, sizeof *c);
    fingerprints(der, n, c);
    X509 *x = pa_x509_decode(der, n);
    if (!x) return NULL;
    c->parsed = true;
    c->version = (int)X509_get_version(x) + 1;
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
    if (bn) {
        char *h = BN_bn2hex(bn);
        if (h) snprintf(c->serial, sizeof c->serial, "%s", h);
        OPENSSL_free(h);
        BN_free(bn);
    }
    name_text(X509_get_subject_name(x), c->subject, sizeof c->subject);
    name_text(X509_get_issuer_name(x), c->issuer, sizeof c->issuer);
    int cn = X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, c->subject_cn, sizeof c->subject_cn);
    if (cn < 0)
        c->subject_cn[0] = '\0';
    else
        pa_text_scrub(c->subject_cn, strlen(c->subject_cn));
    c->not_before = asn1_time(X509_get0_notBefore(x));
    c->not_after = asn1_time(X509_get0_notAfter(x));
    int sig = X509_get_signature_nid(x);
    snprintf(c->sig_alg, sizeof c->sig_alg, "%s", sig != NID_undef && OBJ_nid2ln(sig) ? OBJ_nid2ln(sig) : "unknown");
    key_info(x, c);
    sans(x, c);
    c->is_ca = X509_check_ca(x) > 0 && (X509_get_extension_flags(x) & EXFLAG_CA);
    /* self-signed: issued by itself, and its own key verifies the signature */
    EVP_PKEY *k = X509_get0_pubkey(x);
    c->self_signed =
        X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0 && k && X509_verify(x, k) == 1;
    return x;
}

int pa_cert_matches_host(pa_x509 *x, const char *host) {
    if (!x) return -1;
    return X509_check_host(x, host, strlen(host), 0, NULL) == 1;
}

bool pa_cert_issued_by(pa_x509 *x, pa_x509 *y) {
    if (!x || !y) return false;
    EVP_PKEY *k = X509_get0_pubkey(y);
    return X509_NAME_cmp(X509_get_issuer_name(x), X509_get_subject_name(y)) == 0 && k && X509_verify(x, k) == 1;
}
