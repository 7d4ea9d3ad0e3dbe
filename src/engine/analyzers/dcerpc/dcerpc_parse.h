/* DCE-RPC connection-oriented PDUs (C706 chapter 12, MS-RPCE 2.2.2): the
 * common header, and the body of each PDU type a troubleshooter reads
 * (presentation contexts of a bind, their results, a request's opnum, a
 * fault's status). Pure functions over one PDU's bytes. */
#ifndef PA_DCERPC_PARSE_H
#define PA_DCERPC_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_DCERPC_HDR_LEN 16
#define PA_DCERPC_MAX_ITEMS 16 /* context items (or results) kept per PDU; the rest are counted */

enum {
    PA_DCERPC_REQUEST = 0,
    PA_DCERPC_PING = 1,
    PA_DCERPC_RESPONSE = 2,
    PA_DCERPC_FAULT = 3,
    PA_DCERPC_BIND = 11,
    PA_DCERPC_BIND_ACK = 12,
    PA_DCERPC_BIND_NAK = 13,
    PA_DCERPC_ALTER = 14,
    PA_DCERPC_ALTER_RESP = 15,
    PA_DCERPC_AUTH3 = 16,
    PA_DCERPC_SHUTDOWN = 17,
    PA_DCERPC_CO_CANCEL = 18,
    PA_DCERPC_ORPHANED = 19,
    PA_DCERPC_RTS = 20,
    PA_DCERPC_NPTYPES = 21,
};

/* pfc_flags */
#define PA_DCERPC_FIRST_FRAG 0x01
#define PA_DCERPC_LAST_FRAG 0x02
#define PA_DCERPC_OBJECT_UUID 0x80

typedef struct pa_dcerpc_hdr {
    uint8_t ver, ver_minor, ptype, flags;
    uint8_t drep[4];
    uint16_t frag_len, auth_len;
    uint32_t call_id;
} pa_dcerpc_hdr;

typedef struct pa_dcerpc_syntax {
    uint8_t uuid[16]; /* in text order (the first three fields big-endian, whatever the drep) */
    uint16_t ver, ver_minor;
} pa_dcerpc_syntax;

typedef struct pa_dcerpc_pdu {
    pa_dcerpc_hdr h;
    bool body_ok; /* the type's fixed body fit in the PDU */
    /* request, response, fault */
    uint32_t alloc_hint;
    uint16_t ctx_id, opnum;
    uint8_t cancel_count;
    uint32_t status; /* fault */
    /* bind, alter_context and their acks */
    uint16_t max_xmit, max_recv;
    uint32_t assoc_group;
    uint8_t nitems; /* context items (bind, alter) or results (acks) the PDU says it has */
    uint8_t kept;   /* of them kept below */
    struct {
        uint16_t ctx_id; /* bind, alter */
        pa_dcerpc_syntax abstract;
        uint16_t result, reason; /* bind_ack, alter_context_resp */
    } item[PA_DCERPC_MAX_ITEMS];
    uint16_t reject_reason; /* bind_nak */
} pa_dcerpc_pdu;

/* The common header, with the checks Wireshark's TCP heuristic makes
 * (version 5, minor 0 or 1, a known packet type); len may be a prefix. */
bool pa_dcerpc_hdr_parse(const uint8_t *b, size_t len, pa_dcerpc_hdr *h);
/* A strict look for naming a stream on any port: the header checks, a
 * fragment length that holds the header and the authentication trailer, a
 * data representation that exists (integer and character formats 0 or 1,
 * floating point 0-3, the last two bytes 0). */
bool pa_dcerpc_looks(const uint8_t *b, size_t len);
/* One whole PDU (len == its frag_len): false when the header fails;
 * body_ok false when its type's fixed fields do not fit. */
bool pa_dcerpc_parse(const uint8_t *b, size_t len, pa_dcerpc_pdu *out);

/* "e3514235-4b06-11d1-ab04-00c04fc2dcd2" (37 bytes with the NUL) */
void pa_dcerpc_uuid_text(const uint8_t uuid[16], char out[37]);
/* The 16 bytes of a textual UUID, in text order. */
bool pa_dcerpc_uuid_parse(const char *s, uint8_t out[16]);

#endif
