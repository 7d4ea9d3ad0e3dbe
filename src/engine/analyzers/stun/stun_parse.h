/* STUN messages (RFC 5389/8489, classic RFC 3489 without the magic cookie)
 * with the TURN (RFC 8656) and ICE (RFC 8445) attributes reports need, and
 * TURN ChannelData framing. Pure functions over one message's bytes. */
#ifndef PA_STUN_PARSE_H
#define PA_STUN_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_STUN_COOKIE 0x2112A442u
#define PA_STUN_MAX_ADDRS 8   /* address attributes kept per message (all are counted) */
#define PA_STUN_MAX_ATTRS 128 /* attributes read per message; more make it malformed */
#define PA_STUN_TEXT 128      /* USERNAME, SOFTWARE, REALM, reason phrases (longer ones are cut) */

enum {
    PA_STUN_REQUEST = 0,
    PA_STUN_INDICATION = 1,
    PA_STUN_SUCCESS = 2,
    PA_STUN_ERROR = 3,
};

enum {
    PA_STUN_BINDING = 0x001,
    PA_STUN_SHARED_SECRET = 0x002,
    PA_STUN_ALLOCATE = 0x003,
    PA_STUN_REFRESH = 0x004,
    PA_STUN_SEND = 0x006,
    PA_STUN_DATA = 0x007,
    PA_STUN_CREATE_PERMISSION = 0x008,
    PA_STUN_CHANNEL_BIND = 0x009,
};

/* attribute types (IANA "STUN Attributes") */
enum {
    PA_STUN_A_MAPPED_ADDRESS = 0x0001,
    PA_STUN_A_USERNAME = 0x0006,
    PA_STUN_A_MESSAGE_INTEGRITY = 0x0008,
    PA_STUN_A_ERROR_CODE = 0x0009,
    PA_STUN_A_CHANNEL_NUMBER = 0x000C,
    PA_STUN_A_LIFETIME = 0x000D,
    PA_STUN_A_XOR_PEER_ADDRESS = 0x0012,
    PA_STUN_A_REALM = 0x0014,
    PA_STUN_A_XOR_RELAYED_ADDRESS = 0x0016,
    PA_STUN_A_REQUESTED_TRANSPORT = 0x0019,
    PA_STUN_A_MESSAGE_INTEGRITY_SHA256 = 0x001C,
    PA_STUN_A_XOR_MAPPED_ADDRESS = 0x0020,
    PA_STUN_A_PRIORITY = 0x0024,
    PA_STUN_A_USE_CANDIDATE = 0x0025,
    PA_STUN_A_SOFTWARE = 0x8022,
    PA_STUN_A_FINGERPRINT = 0x8028,
    PA_STUN_A_ICE_CONTROLLED = 0x8029,
    PA_STUN_A_ICE_CONTROLLING = 0x802A,
};

/* An address attribute: MAPPED-ADDRESS and its kin as sent, the XOR ones
 * with the address and port already un-XORed. */
typedef struct pa_stun_addr {
    uint16_t att;   /* attribute type */
    uint8_t family; /* 4 or 6 */
    bool xored;
    uint16_t port;
    uint8_t addr[16];             /* IPv4 in the first 4 bytes */
    uint8_t raw_port[2], raw[16]; /* the bytes as sent (XORed for the XOR ones) */
} pa_stun_addr;

typedef struct pa_stun_msg {
    bool classic;  /* RFC 3489: no magic cookie (a 16-byte transaction id) */
    uint16_t type; /* the 14-bit message type */
    uint16_t method;
    uint8_t cls;     /* PA_STUN_REQUEST ... PA_STUN_ERROR */
    uint16_t length; /* of the attributes */
    uint8_t id[16];  /* transaction id: 12 bytes (16 when classic: the cookie's place too) */
    uint16_t natts;  /* attributes read */
    bool has_error;
    uint16_t error_code; /* class * 100 + number */
    char reason[PA_STUN_TEXT];
    bool has_username, has_software, has_realm;
    char username[PA_STUN_TEXT], software[PA_STUN_TEXT], realm[PA_STUN_TEXT];
    bool has_priority, use_candidate, ice_controlling, ice_controlled;
    uint32_t priority;
    bool has_lifetime, has_transport, has_channel;
    uint32_t lifetime; /* seconds */
    uint8_t transport; /* REQUESTED-TRANSPORT protocol number (17: UDP) */
    uint16_t channel;  /* CHANNEL-NUMBER */
    bool has_integrity, has_fingerprint;
    bool fingerprint_ok;       /* FINGERPRINT equals CRC-32 of the message before it ^ 0x5354554e */
    uint32_t fingerprint;      /* as sent */
    uint32_t fingerprint_want; /* what it should be */
    uint8_t naddrs;            /* kept */
    uint16_t addrs_seen;       /* in the message */
    pa_stun_addr addrs[PA_STUN_MAX_ADDRS];
} pa_stun_msg;

typedef enum {
    PA_STUN_OK = 0,
    PA_STUN_NOT,   /* not a STUN message */
    PA_STUN_TRUNC, /* a header that says STUN, an attribute past the end (what came before is kept) */
} pa_stun_status;

/* A STUN message at the start of d. exact: the message must end at n (a
 * UDP datagram; its length may then leave the last attribute unpadded);
 * else it may be followed by more (TCP). *used: its bytes. */
pa_stun_status pa_stun_parse(const uint8_t *d, size_t n, bool exact, pa_stun_msg *m, size_t *used);
/* Classic STUN (RFC 3489: a known message type, no cookie) filling one datagram. */
pa_stun_status pa_stun_parse_classic(const uint8_t *d, size_t n, pa_stun_msg *m);

/* Classic STUN off its port (Wireshark's classicstun heuristic asks only
 * the type and length): one of RFC 3489's types, and at least one
 * attribute, each of a non-zero type and a multiple of 4 bytes, that tile
 * the datagram. */
bool pa_stun_classic_strict(const uint8_t *d, size_t n);

/* The strict look: a STUN header with the cookie whose attributes tile its
 * length (exact: and the datagram). */
bool pa_stun_is_message(const uint8_t *d, size_t n, bool exact);

/* A STUN message behind RFC 4571's 2-byte length (ICE over TCP, RFC 6544). */
bool pa_stun_is_framed(const uint8_t *d, size_t n);

/* TURN ChannelData (RFC 8656 12.4): a channel number 0x4000-0x4FFF and a
 * length the bytes hold, padding of at most 3 bytes after it when exact. */
bool pa_stun_channel_data(const uint8_t *d, size_t n, bool exact, uint16_t *channel, uint16_t *len);

const char *pa_stun_method_name(uint16_t method); /* "Binding", NULL when unknown */
const char *pa_stun_class_name(uint8_t cls);      /* "Request", "Success Response" ... */
const char *pa_stun_error_name(uint16_t code);    /* RFC reason phrases, NULL when unknown */

#endif
