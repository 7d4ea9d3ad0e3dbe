/* One NTP message (RFC 5905; control messages of RFC 1305 appendix B,
 * ntpd's private mode 7), parsed from its bytes alone (no state), so that
 * it can be tested and fuzzed by itself. */
#ifndef PA_NTP_PARSE_H
#define PA_NTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    PA_NTP_SYM_ACTIVE = 1,
    PA_NTP_SYM_PASSIVE = 2,
    PA_NTP_CLIENT = 3,
    PA_NTP_SERVER = 4,
    PA_NTP_BROADCAST = 5,
    PA_NTP_CONTROL = 6,
    PA_NTP_PRIVATE = 7,
};

#define PA_NTP_HEADER 48      /* modes 1-5 */
#define PA_NTP_CTRL_HEADER 12 /* mode 6 */
#define PA_NTP_XNTPD 3        /* mode 7 implementation whose header carries item counts */
#define PA_NTP_CTRL_PEERS 64  /* association ids and status words kept from a read status response */

typedef enum {
    PA_NTP_NOT, /* not NTP: version 0 or 5-7, mode 0, shorter than its header */
    PA_NTP_OK,
    PA_NTP_MALFORMED, /* a mode 6 count or mode 7 items past the end (what came before is read) */
} pa_ntp_status;

typedef struct pa_ntp_msg {
    uint8_t flags; /* the first byte: LI, VN and mode (mode 7: R, M, VN, mode) */
    uint8_t li, vn, mode;
    size_t len; /* the message's bytes */
    /* modes 1-5: the header */
    uint8_t stratum, poll, precision;     /* poll and precision: signed log2 seconds, as bytes */
    uint32_t root_delay, root_dispersion; /* 16.16 fixed point seconds */
    uint8_t refid[4];
    uint64_t reftime, org, rec, xmt; /* NTP timestamps: seconds since 1900 << 32 | fraction */
    /* mode 6 */
    uint8_t flags2; /* R, E, M and the opcode */
    uint16_t sequence, status, associd, offset, count;
    /* read status (opcode 1) of association 0: the data's (association id,
     * status word) pairs, as many as the data holds whole */
    uint8_t npeers;
    uint16_t peer_associd[PA_NTP_CTRL_PEERS], peer_status[PA_NTP_CTRL_PEERS];
    /* mode 7 */
    uint8_t auth_seq, impl, reqcode;
    bool has_err, has_itemsize; /* the fields of implementation 3 the message holds */
    uint8_t err;
    uint16_t numitems, itemsize;
} pa_ntp_msg;

/* Whether d[0..n) is one NTP message; out receives what it says (also
 * when malformed). */
pa_ntp_status pa_ntp_parse(const uint8_t *d, size_t n, pa_ntp_msg *out);

/* A message that asks (client, control or private request) or answers. */
bool pa_ntp_is_request(const pa_ntp_msg *m);
bool pa_ntp_is_response(const pa_ntp_msg *m);

/* An NTP timestamp in ns since 1970, as Wireshark reads it: 0 stays 0, the
 * seconds are taken modulo 2^32 after 1970 (so the values before 1968 are
 * 2036-2106), the fraction truncated to the nanosecond. */
int64_t pa_ntp_unix_ns(uint64_t ts);
/* The same in seconds, as the display filter shows times. */
double pa_ntp_unix_s(uint64_t ts);

/* "client", "server", "symmetric active" ... */
const char *pa_ntp_mode_name(uint8_t mode);
/* What a stratum 0 (kiss-o'-death) reference id means (RFC 5905 7.4), or
 * NULL for a code it does not list. */
const char *pa_ntp_kiss_meaning(const uint8_t code[4]);
/* The reference id as text: a kiss code or reference source for stratum 0
 * and 1 (printable ASCII up to the first NUL, other bytes as '.'), an IPv4
 * address above (the upstream server, or an IPv6 address's hash). */
void pa_ntp_refid_text(uint8_t stratum, const uint8_t refid[4], char *out, size_t n);

#endif
