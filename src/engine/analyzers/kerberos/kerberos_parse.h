/* Kerberos v5 messages (RFC 4120 section 5) in ASN.1 DER: the KDC exchange
 * (AS-REQ/AS-REP, TGS-REQ/TGS-REP, KRB-ERROR), AP-REQ/AP-REP and the other
 * application types by name, a bare Ticket. Every length is checked against
 * its enclosing one; the values Wireshark's dissector shows as fields are
 * gathered in the order it adds them, each list capped. Pure functions over
 * one message's bytes, read through the cursor. */
#ifndef PA_KERBEROS_PARSE_H
#define PA_KERBEROS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_KRB_LIST 16 /* values kept per field list of one message (the rest counted in `more`) */
#define PA_KRB_STR 96  /* bytes kept of one string (principal component, realm) */
#define PA_KRB_DEPTH 4 /* nesting of messages in messages (an AP-REQ in a TGS-REQ's padata) */

/* Message types (msg-type, and the application tag that carries it). */
enum {
    PA_KRB_AS_REQ = 10,
    PA_KRB_AS_REP = 11,
    PA_KRB_TGS_REQ = 12,
    PA_KRB_TGS_REP = 13,
    PA_KRB_AP_REQ = 14,
    PA_KRB_AP_REP = 15,
    PA_KRB_SAFE = 20,
    PA_KRB_PRIV = 21,
    PA_KRB_CRED = 22,
    PA_KRB_ERROR = 30,
    PA_KRB_TICKET = 1, /* a bare Ticket (no msg-type): krb524 carries one */
};

typedef enum { PA_KRB_NOT, PA_KRB_OK, PA_KRB_MALFORMED } pa_krb_status;

typedef struct pa_krb_strs {
    uint8_t n;
    uint16_t more; /* values past PA_KRB_LIST */
    char s[PA_KRB_LIST][PA_KRB_STR];
} pa_krb_strs;

typedef struct pa_krb_ints {
    uint8_t n;
    uint16_t more;
    int32_t v[PA_KRB_LIST];
} pa_krb_ints;

typedef struct pa_krb_msg {
    uint8_t type;  /* the outer application tag (PA_KRB_*) */
    uint32_t len;  /* bytes of the outer element */
    uint32_t pvno; /* of the outer message (5) */
    bool has_error;
    int32_t error_code;
    /* for reports: the client (cname joined by '/'), its realm (KDC-REQ
     * realm, KDC-REP crealm, KRB-ERROR crealm), the service (sname of the
     * request, of the reply's ticket, of the error) and its realm */
    char client[PA_KRB_STR], client_realm[PA_KRB_STR], service[PA_KRB_STR], service_realm[PA_KRB_STR];
    bool has_nonce;
    uint32_t nonce;
    bool has_reply_etype; /* a KDC-REP's enc-part etype: the key the KDC chose */
    int32_t reply_etype;
    bool has_ticket_etype; /* the etype of the outer message's ticket (reply, AP-REQ) */
    int32_t ticket_etype;
    bool has_e_text;
    char e_text[PA_KRB_STR];
    /* Wireshark's fields, in the order its dissector adds them */
    pa_krb_ints msg_types;   /* kerberos.msg_type (inner AP-REQs too) */
    pa_krb_ints enctypes;    /* kerberos.ENCTYPE: a request body's etype list */
    pa_krb_ints etypes;      /* kerberos.etype: of encrypted parts and ETYPE-INFO(2) entries */
    pa_krb_ints padata;      /* kerberos.padata_type */
    pa_krb_strs cnames;      /* kerberos.CNameString */
    pa_krb_strs snames;      /* kerberos.SNameString */
    pa_krb_strs realms;      /* kerberos.realm */
    pa_krb_strs crealms;     /* kerberos.crealm */
    pa_krb_ints error_codes; /* kerberos.error_code */
} pa_krb_msg;

/* Whether bytes start a Kerberos message: an application tag of a message
 * type (10-15, 20-22, 30) whose DER element is `whole` bytes (the datagram,
 * the TCP record; 0: not known), a SEQUENCE inside, and pvno 5 as its first
 * element. Only the header is read, so a TCP record's first segment is
 * enough. */
bool pa_krb_looks(const uint8_t *d, size_t n, size_t whole);

/* Parses one message of exactly n bytes (a UDP payload, a TCP record).
 * PA_KRB_NOT: not a Kerberos message; MALFORMED: it is one, but something
 * inside breaks the grammar or a length (what was read before is kept). */
pa_krb_status pa_krb_parse(const uint8_t *d, size_t n, pa_krb_msg *m);

/* Appends b's field lists to a's (several messages in one frame). */
void pa_krb_merge(pa_krb_msg *a, const pa_krb_msg *b);

/* Wireshark's names: "AS-REQ" .. "KRB-ERROR" (NULL: not a message type),
 * "KRB5KDC_ERR_PREAUTH_REQUIRED" and the like (NULL: a code it does not
 * name), "eTYPE-AES256-CTS-HMAC-SHA1-96" and the like (NULL: unknown). */
const char *pa_krb_msg_type_name(int32_t t);
const char *pa_krb_error_name(int32_t code);
const char *pa_krb_etype_name(int32_t etype);
/* Why an encryption type is weak (DES, RC4, 3DES, null, export), or NULL. */
const char *pa_krb_etype_weak(int32_t etype);
/* A request (AS-REQ, TGS-REQ, AP-REQ) or a reply to one (their REPs, KRB-ERROR). */
bool pa_krb_is_request(uint8_t type);
bool pa_krb_is_reply(uint8_t type);

#endif
