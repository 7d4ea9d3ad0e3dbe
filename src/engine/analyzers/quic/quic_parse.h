/* QUIC packet headers (RFC 8999 invariants, RFC 9000 v1, RFC 9369 v2, the
 * IETF drafts 22-34, Facebook's mvfst versions, and Google's Q0xx/T0xx
 * long headers): pure functions over one UDP payload, every read through
 * the bounds-checked cursor. Nothing here decrypts (quic_crypto.h). */
#ifndef PA_QUIC_PARSE_H
#define PA_QUIC_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

#define PA_QUIC_CID_MAX 20  /* RFC 9000 17.2: v1 and v2 connection IDs */
#define PA_QUIC_COALESCED 8 /* packets of one datagram that are looked at */
#define PA_QUIC_VN_MAX 16   /* versions of a Version Negotiation that are kept */
#define PA_QUIC_V1 0x00000001u
#define PA_QUIC_V2 0x6b3343cfu
#define PA_QUIC_RETRY_TAG 16

typedef enum {
    PA_QUIC_INITIAL,
    PA_QUIC_0RTT,
    PA_QUIC_HANDSHAKE,
    PA_QUIC_RETRY,
    PA_QUIC_VERSION_NEG, /* version 0 */
    PA_QUIC_SHORT,       /* 1-RTT */
    PA_QUIC_GOOGLE,      /* a Google QUIC long header before Q050 (no Length field) */
} pa_quic_ptype;

/* How a version is spoken: which salt and labels its Initial keys use, and
 * how its long-header type bits read. */
typedef enum {
    PA_QUIC_VK_UNKNOWN,
    PA_QUIC_VK_DRAFT22, /* draft-22, mvfst 0xfaceb001 */
    PA_QUIC_VK_DRAFT23, /* drafts 23-28, mvfst 0xfaceb002 */
    PA_QUIC_VK_DRAFT29, /* drafts 29-32, mvfst 0xfaceb00e */
    PA_QUIC_VK_V1,      /* RFC 9000, and drafts 33-34 (the same salt) */
    PA_QUIC_VK_V2,      /* RFC 9369 */
    PA_QUIC_VK_GOOGLE,  /* Q0xx/T0xx: recognised, not decrypted */
} pa_quic_vkind;

typedef struct pa_quic_cid {
    uint8_t len;
    uint8_t b[PA_QUIC_CID_MAX];
} pa_quic_cid;

/* One packet of a datagram. Pointers borrow the datagram's bytes. */
typedef struct pa_quic_pkt {
    pa_quic_ptype type;
    uint8_t first;    /* the first byte as sent (its low bits still protected) */
    uint8_t raw_type; /* the long header's two type bits as sent (v2 maps them differently) */
    uint32_t version; /* 0 for Version Negotiation; unset for short headers */
    pa_quic_cid dcid, scid;
    size_t offset;        /* where the packet starts in the datagram */
    size_t size;          /* its bytes in the datagram */
    size_t pn_offset;     /* Initial, 0-RTT, Handshake, short: where the packet number starts, from the packet */
    uint64_t length;      /* the Length field (packet number and payload) */
    const uint8_t *token; /* Initial: its token; Retry: the retry token */
    uint64_t token_len;
    const uint8_t *retry_tag; /* Retry: the 16-byte integrity tag (not verified) */
    uint32_t versions[PA_QUIC_VN_MAX];
    uint8_t nversions;      /* Version Negotiation: kept */
    uint16_t nversions_all; /* and listed */
} pa_quic_pkt;

/* A datagram: its packets, first to last. */
typedef struct pa_quic_dgram {
    pa_quic_pkt pkt[PA_QUIC_COALESCED];
    uint8_t n;
    bool more;           /* more coalesced packets than were kept */
    size_t padding;      /* zero bytes after the last packet */
    bool short_trailer;  /* a short-header packet follows the long ones (its bytes are the rest) */
    size_t short_offset; /* where it starts */
} pa_quic_dgram;

/* The version's kind (PA_QUIC_VK_UNKNOWN: not one tshark 4.0 decodes). */
pa_quic_vkind pa_quic_version_kind(uint32_t version);
/* A reserved version of the form 0x?a?a?a?a (RFC 9000 15), sent to test negotiation. */
bool pa_quic_version_grease(uint32_t version);

/* Reads a variable-length integer (RFC 9000 16). */
bool pa_quic_varint(pa_cur *c, uint64_t *out);

/* Parses every packet of a datagram that starts with a long header. Fails
 * unless the whole datagram is accounted for: coalesced long-header packets
 * of one version and destination CID, then either nothing, zero padding, or
 * one short-header packet to the same destination CID. */
bool pa_quic_parse(const uint8_t *d, size_t n, pa_quic_dgram *out);

/* Whether a UDP payload is QUIC, by its bytes alone: pa_quic_parse accepts it,
 * and its version is one this parser knows (Version Negotiation: it lists
 * one). Strict, because it names a flow on any port. */
bool pa_quic_is_quic(const uint8_t *d, size_t n);

/* Whether d[0..n) is a short-header (1-RTT) packet of a connection whose
 * endpoints are known by the connection IDs cids[0..ncids): the form and
 * fixed bits, a known ID as its destination, and room for the protected
 * packet number and a sample. On success *which says which ID matched. */
bool pa_quic_short_match(const uint8_t *d, size_t n, const pa_quic_cid *cids, size_t ncids, size_t *which);

/* The packet type named by a long header's type bits in this version. */
pa_quic_ptype pa_quic_long_type(uint32_t version, uint8_t type_bits);

const char *pa_quic_ptype_name(pa_quic_ptype t);

/* A version as Wireshark names it: "1", "2", "draft-29", "Q050",
 * "mvfst (draft-27)", else its hexadecimal value. */
const char *pa_quic_version_name(uint32_t version, char *buf, size_t len);

#endif
