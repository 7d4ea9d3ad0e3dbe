/* Wireshark's names of Kerberos message types, error codes and encryption
 * types, and which encryption types are weak. */
#include <stddef.h>

#include "kerberos_parse.h"

const char *pa_krb_msg_type_name(int32_t t) {
    switch (t) {
    case PA_KRB_AS_REQ: return "AS-REQ";
    case PA_KRB_AS_REP: return "AS-REP";
    case PA_KRB_TGS_REQ: return "TGS-REQ";
    case PA_KRB_TGS_REP: return "TGS-REP";
    case PA_KRB_AP_REQ: return "AP-REQ";
    case PA_KRB_AP_REP: return "AP-REP";
    case PA_KRB_SAFE: return "KRB-SAFE";
    case PA_KRB_PRIV: return "KRB-PRIV";
    case PA_KRB_CRED: return "KRB-CRED";
    case PA_KRB_ERROR: return "KRB-ERROR";
    default: return NULL;
    }
}

const char *pa_krb_error_name(int32_t code) {
    switch (code) {
#define PA_KRB_ERR(c, name)                                                                                            \
    case c:                                                                                                            \
        return name;
#include "kerberos_errors.def"
#undef PA_KRB_ERR
    default: return NULL;
    }
}

const char *pa_krb_etype_name(int32_t e) {
    switch (e) {
    case -135: return "eTYPE-ARCFOUR-HMAC-OLD-EXP";
    case -133: return "eTYPE-ARCFOUR-HMAC-OLD";
    case -128: return "eTYPE-ARCFOUR-MD4";
    case 0: return "eTYPE-NULL";
    case 1: return "eTYPE-DES-CBC-CRC";
    case 2: return "eTYPE-DES-CBC-MD4";
    case 3: return "eTYPE-DES-CBC-MD5";
    case 5: return "eTYPE-DES3-CBC-MD5";
    case 7: return "eTYPE-OLD-DES3-CBC-SHA1";
    case 8: return "eTYPE-SIGN-DSA-GENERATE";
    case 9: return "eTYPE-DSA-SHA1";
    case 10: return "eTYPE-RSA-MD5";
    case 11: return "eTYPE-RSA-SHA1";
    case 12: return "eTYPE-RC2-CBC";
    case 13: return "eTYPE-RSA";
    case 14: return "eTYPE-RSAES-OAEP";
    case 15: return "eTYPE-DES-EDE3-CBC";
    case 16: return "eTYPE-DES3-CBC-SHA1";
    case 17: return "eTYPE-AES128-CTS-HMAC-SHA1-96";
    case 18: return "eTYPE-AES256-CTS-HMAC-SHA1-96";
    case 19: return "eTYPE-AES128-CTS-HMAC-SHA256-128";
    case 20: return "eTYPE-AES256-CTS-HMAC-SHA384-192";
    case 23: return "eTYPE-ARCFOUR-HMAC-MD5";
    case 24: return "eTYPE-ARCFOUR-HMAC-MD5-56";
    case 25: return "eTYPE-CAMELLIA128-CTS-CMAC";
    case 26: return "eTYPE-CAMELLIA256-CTS-CMAC";
    default: return NULL;
    }
}

/* RFC 6649 retires DES and the export RC4 variants, RFC 8429 deprecates
 * RC4-HMAC and triple DES. */
const char *pa_krb_etype_weak(int32_t e) {
    switch (e) {
    case 0: return "no encryption";
    case 1:
    case 2:
    case 3: return "single DES, 56-bit keys (RFC 6649)";
    case 5:
    case 7:
    case 15:
    case 16: return "triple DES, deprecated (RFC 8429)";
    case 23:
    case -133:
    case -128: return "RC4-HMAC, deprecated (RFC 8429): the key is the unsalted NT hash";
    case 24:
    case -135: return "export-grade RC4, 56-bit keys (RFC 6649)";
    default: return NULL;
    }
}
