/* LDAP (RFC 4511) messages in BER: one LDAPMessage's bytes in, its
 * messageID, operation and the fields Wireshark shows out. Every read goes
 * through the bounds-checked cursor; lengths must fit their parent, only
 * definite lengths of at most four bytes and one-byte tags are accepted. */
#ifndef PA_LDAP_PARSE_H
#define PA_LDAP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_LDAP_DN_MAX 256     /* characters kept of a DN, message or OID */
#define PA_LDAP_FILTER_MAX 256 /* characters of a search filter's text */
#define PA_LDAP_FILTER_DEPTH 16
#define PA_LDAP_SASL_MAX (1024u * 1024) /* Wireshark's LDAP_SASL_MAX_BUF */
#define PA_LDAP_STARTTLS_OID "1.3.6.1.4.1.1466.20037"

/* protocolOp: the operation's APPLICATION tag number (Wireshark's values). */
enum {
    PA_LDAP_BIND_REQ = 0,
    PA_LDAP_BIND_RESP = 1,
    PA_LDAP_UNBIND = 2,
    PA_LDAP_SEARCH_REQ = 3,
    PA_LDAP_SEARCH_ENTRY = 4,
    PA_LDAP_SEARCH_DONE = 5,
    PA_LDAP_MODIFY_REQ = 6,
    PA_LDAP_MODIFY_RESP = 7,
    PA_LDAP_ADD_REQ = 8,
    PA_LDAP_ADD_RESP = 9,
    PA_LDAP_DEL_REQ = 10,
    PA_LDAP_DEL_RESP = 11,
    PA_LDAP_MODDN_REQ = 12,
    PA_LDAP_MODDN_RESP = 13,
    PA_LDAP_COMPARE_REQ = 14,
    PA_LDAP_COMPARE_RESP = 15,
    PA_LDAP_ABANDON = 16,
    PA_LDAP_SEARCH_REF = 19,
    PA_LDAP_EXT_REQ = 23,
    PA_LDAP_EXT_RESP = 24,
    PA_LDAP_INTERMEDIATE = 25,
    PA_LDAP_OPS = 26
};

/* Authentication choices of a bind (ldap.authentication). */
enum { PA_LDAP_AUTH_SIMPLE = 0, PA_LDAP_AUTH_SASL = 3 };

typedef enum {
    PA_LDAP_OK,        /* a whole, well-formed LDAPMessage */
    PA_LDAP_MALFORMED, /* its framing, messageID and operation are LDAP's, its contents are not */
    PA_LDAP_NOT,       /* not an LDAPMessage */
} pa_ldap_status;

typedef struct pa_ldap_msg {
    uint32_t id;
    uint8_t op;
    bool has_result;
    uint32_t result;                 /* resultCode */
    char matched_dn[PA_LDAP_DN_MAX]; /* matchedDN */
    char error[PA_LDAP_DN_MAX];      /* errorMessage */
    bool has_name;                   /* name (bind), baseObject (search), objectName (entry), entry/object (others) */
    char name[PA_LDAP_DN_MAX];
    uint32_t version; /* bind */
    int16_t auth;     /* bind: the authentication choice's tag, -1 none */
    bool has_simple;
    uint32_t simple_len;                           /* the simple password's length */
    char simple[PA_LDAP_DN_MAX];                   /* its text (a secret: shown only on request) */
    char mechanism[64];                            /* SASL */
    uint32_t scope, deref, size_limit, time_limit; /* search */
    char filter[PA_LDAP_FILTER_MAX];               /* search, RFC 4515 text; "" when not readable */
    uint32_t nattrs;                               /* search: attributes asked */
    bool has_oid;                                  /* extendedReq requestName / extendedResp responseName */
    char oid[PA_LDAP_DN_MAX];
    uint32_t abandon_id;
} pa_ldap_msg;

/* The length of the LDAPMessage that starts at d (tag, length and
 * contents), from its first bytes: 0 when they are not a SEQUENCE with a
 * definite length of at least 2 (Wireshark's test), -1 when more bytes are
 * needed to tell. */
int64_t pa_ldap_message_len(const uint8_t *d, size_t n);

/* Parses one whole LDAPMessage (n: its length). */
pa_ldap_status pa_ldap_parse(const uint8_t *d, size_t n, pa_ldap_msg *m);

/* A message's start as the look for LDAP sees it: a SEQUENCE whose first
 * element is an INTEGER messageID followed by a known operation tag of the
 * right form, all within the bytes given and the SEQUENCE's length. */
bool pa_ldap_looks(const uint8_t *d, size_t n);

/* Wireshark's names ("bindRequest", "success"); NULL when unknown. */
const char *pa_ldap_op_name(uint32_t op);
const char *pa_ldap_result_name(uint32_t code);
const char *pa_ldap_scope_name(uint32_t scope);
/* A response operation, and whether it ends its request (searchResEntry
 * and searchResRef do not end a search; intermediateResponse ends nothing). */
bool pa_ldap_is_response(uint32_t op);
bool pa_ldap_is_final(uint32_t op);

#endif
