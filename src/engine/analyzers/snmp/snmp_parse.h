/* SNMP messages (RFC 1157 v1, RFC 1901/3416 v2c, RFC 3412/3414 v3) read
 * with strict BER through the cursor: definite lengths only, each element
 * inside its parent. A pure function over one message so it can be tested
 * and fuzzed alone; pairing and counting are in snmp_track.c. */
#ifndef PA_SNMP_PARSE_H
#define PA_SNMP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_SNMP_TEXT_MAX 64 /* community, user name, context kept (cut to fit) */
#define PA_SNMP_OID_MAX 96  /* an OID as dotted text (cut to fit) */
#define PA_SNMP_OIDS 4      /* the first variable-binding names kept */
#define PA_SNMP_ENGINE_MAX 32

/* snmp.data: the PDU types (context tags 0-8) */
enum {
    PA_SNMP_GET = 0,
    PA_SNMP_GETNEXT = 1,
    PA_SNMP_RESPONSE = 2,
    PA_SNMP_SET = 3,
    PA_SNMP_TRAP = 4,
    PA_SNMP_GETBULK = 5,
    PA_SNMP_INFORM = 6,
    PA_SNMP_V2TRAP = 7,
    PA_SNMP_REPORT = 8,
    PA_SNMP_PDU_TYPES = 9,
};

typedef enum {
    PA_SNMP_NOT,       /* no SNMP message: not a SEQUENCE spanning the bytes with a version 0, 1 or 3 */
    PA_SNMP_OK,        /* a whole message (a v3 one may have an encrypted PDU) */
    PA_SNMP_MALFORMED, /* the header is SNMP's, what follows is cut or broken */
} pa_snmp_status;

typedef struct pa_snmp_msg {
    int32_t version; /* snmp.version: 0 v1, 1 v2c, 3 v3 */
    bool has_community;
    uint8_t community_len; /* bytes kept */
    char community[PA_SNMP_TEXT_MAX];
    bool has_pdu;
    uint8_t pdu;                                   /* PA_SNMP_* */
    bool has_rid;                                  /* not in a v1 trap */
    int32_t request_id, error_status, error_index; /* getbulk: non-repeaters, max-repetitions */
    uint32_t nvarbinds;
    uint8_t noids; /* names kept */
    char oids[PA_SNMP_OIDS][PA_SNMP_OID_MAX];
    /* v1 trap */
    char enterprise[PA_SNMP_OID_MAX];
    uint8_t agent_addr[4];
    int32_t generic_trap, specific_trap;
    /* v3 */
    int32_t msg_id, msg_max_size, security_model;
    uint8_t msg_flags; /* bit 0 auth, 1 priv, 2 reportable */
    bool encrypted;    /* the scoped PDU is encrypted (snmp.encryptedPDU) */
    uint8_t engine_id_len;
    uint8_t engine_id[PA_SNMP_ENGINE_MAX];
    char user[PA_SNMP_TEXT_MAX];
    bool has_user;
    char context[PA_SNMP_TEXT_MAX];
} pa_snmp_msg;

pa_snmp_status pa_snmp_parse(const uint8_t *data, size_t n, pa_snmp_msg *out);
/* Wireshark's names (snmp.data, snmp.error_status); "unknown" beyond. */
const char *pa_snmp_pdu_name(unsigned pdu);
const char *pa_snmp_error_name(int32_t status);
/* noAuthNoPriv, authNoPriv, authPriv (priv without auth is invalid: "invalid") */
const char *pa_snmp_level_name(uint8_t flags);

#endif
