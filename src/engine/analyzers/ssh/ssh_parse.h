/* SSH, one unit at a time from its bytes alone (no state), so that each can
 * be tested and fuzzed by itself: the identification string (RFC 4253 4.2),
 * the binary packet of the transport in clear (4.1-6), SSH_MSG_KEXINIT
 * (7.1), the host key type of a key exchange reply (8, RFC 4419 3, RFC 5656
 * 4), SSH_MSG_DISCONNECT (11.1), and SSH-1's packet framing. The choice of
 * algorithms (first client name the server also lists), their weakness and
 * the HASSH fingerprint are in ssh_algs.c. */
#ifndef PA_SSH_PARSE_H
#define PA_SSH_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_SSH_LINE_MAX 1024             /* a line longer than this before the identification: not SSH */
#define PA_SSH_PACKET_MAX (256u * 1024)  /* largest packet_length taken in clear (OpenSSH's own limit) */
#define PA_SSH1_PACKET_MAX (256u * 1024) /* SSH-1: the same for its length field */
#define PA_SSH_NAMELIST_MAX 4096         /* a longer name-list makes a KEXINIT malformed */
#define PA_SSH_NAME_MAX 64               /* algorithm names kept (RFC 4251 6: at most 64 characters) */
#define PA_SSH_NLISTS 10                 /* name-lists of a KEXINIT */

/* The identification line "SSH-protoversion-softwareversion SP comments",
 * without its CR LF; strings are cut to fit. */
typedef struct pa_ssh_ident {
    char proto[16];     /* "2.0", "1.99", "1.5" */
    char software[128]; /* "OpenSSH_9.6p1" */
    char comments[128]; /* what follows the first space, "" when none */
    uint8_t version;    /* 2 for 2.x and 1.99 (both), 1 for other 1.x, 0 unknown */
} pa_ssh_ident;

/* Whether d holds "SSH-" digits "." digits "-" (the identification's start). */
bool pa_ssh_is_ident_start(const uint8_t *d, size_t n);
/* Whether a payload starts an SSH connection: the identification string,
 * or up to PA_SSH_PRE_LOOK lines of printable text then the identification
 * (a server may send other lines first, RFC 4253 4.2). */
#define PA_SSH_PRE_LOOK 8
bool pa_ssh_looks(const uint8_t *d, size_t n);
/* Parses one identification line (no CR LF); false when it is not one. */
bool pa_ssh_parse_ident(const uint8_t *line, size_t n, pa_ssh_ident *out);

typedef enum { PA_SSH_OK, PA_SSH_BAD } pa_ssh_status;

/* Message numbers (RFC 4250 4.1.2) the parser and tracker use. */
enum {
    PA_SSH_MSG_DISCONNECT = 1,
    PA_SSH_MSG_KEXINIT = 20,
    PA_SSH_MSG_NEWKEYS = 21,
    PA_SSH_MSG_KEXDH_INIT = 30,       /* also KEX_ECDH_INIT, KEX_DH_GEX_REQUEST_OLD */
    PA_SSH_MSG_KEXDH_REPLY = 31,      /* also KEX_ECDH_REPLY; KEX_DH_GEX_GROUP in group exchange */
    PA_SSH_MSG_KEX_DH_GEX_REPLY = 33, /* RFC 4419 */
};

/* A binary packet in clear: packet_length, padding_length, then the
 * payload (its first byte the message code), the padding and no MAC. */
typedef struct pa_ssh_packet {
    uint32_t length;
    uint8_t padding;
    uint8_t code;
    const uint8_t *payload; /* from the message code on */
    size_t payload_len;
} pa_ssh_packet;

/* d holds exactly one packet (4 + packet_length bytes). BAD: padding that
 * leaves no message code, or a length that disagrees with n; the length
 * and padding are filled whenever there are five bytes. */
pa_ssh_status pa_ssh_parse_packet(const uint8_t *d, size_t n, pa_ssh_packet *out);

/* The name-lists of a KEXINIT, in wire order. */
enum {
    PA_SSH_L_KEX,
    PA_SSH_L_HOSTKEY,
    PA_SSH_L_ENC_CS,
    PA_SSH_L_ENC_SC,
    PA_SSH_L_MAC_CS,
    PA_SSH_L_MAC_SC,
    PA_SSH_L_COMP_CS,
    PA_SSH_L_COMP_SC,
    PA_SSH_L_LANG_CS,
    PA_SSH_L_LANG_SC,
};

typedef struct pa_ssh_kexinit {
    uint8_t cookie[16];
    struct {
        uint32_t off, len; /* in the payload parsed */
    } list[PA_SSH_NLISTS];
    uint8_t first_kex_follows;
    uint32_t reserved;
} pa_ssh_kexinit;

/* A KEXINIT payload (from its message code, 20, on). BAD: cut short, or a
 * name-list longer than PA_SSH_NAMELIST_MAX or than what is left. */
pa_ssh_status pa_ssh_parse_kexinit(const uint8_t *payload, size_t n, pa_ssh_kexinit *out);

/* A key exchange reply (KEXDH_REPLY, KEX_ECDH_REPLY, KEX_DH_GEX_REPLY:
 * the payload from its message code on) begins with the server's host key
 * blob, whose first string is the key's type ("ssh-ed25519"). false when
 * the blob or its type does not fit, or the type is not printable; type
 * receives at most cap - 1 characters. */
bool pa_ssh_parse_hostkey_type(const uint8_t *payload, size_t n, char *type, size_t cap);

/* SSH_MSG_DISCONNECT: reason code and description (cut to fit, made
 * printable). */
bool pa_ssh_parse_disconnect(const uint8_t *payload, size_t n, uint32_t *reason, char *desc, size_t cap);

/* SSH-1: a packet is its 4-byte length, 8 - length % 8 bytes of padding,
 * then length bytes (type, data, CRC). */
static inline uint32_t pa_ssh1_padding(uint32_t length) { return 8 - length % 8; }

#endif
