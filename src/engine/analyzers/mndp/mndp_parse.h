/* MikroTik Neighbor Discovery Protocol (tshark's mndp, UDP 5678): RouterOS
 * devices (and tools such as WinBox) broadcast a 4-byte header (two bytes
 * Wireshark leaves unnamed, a sequence number) and TLVs of 16-bit type and
 * length naming the device: MAC address, identity, RouterOS version,
 * platform, uptime, software id, board, interface, addresses. tshark takes
 * a datagram on the port as MNDP when it holds the header and one TLV whose
 * type and length have a zero high byte; the parser asks the same, so the
 * port never names a datagram alone. Pure functions, every read through
 * the cursor. */
#ifndef PA_MNDP_PARSE_H
#define PA_MNDP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

#define PA_MNDP_TEXT 64 /* each string kept, with the NUL */

/* TLV types Wireshark names */
enum {
    PA_MNDP_T_MAC = 1,
    PA_MNDP_T_IDENTITY = 5,
    PA_MNDP_T_VERSION = 7,
    PA_MNDP_T_PLATFORM = 8,
    PA_MNDP_T_UPTIME = 10,
    PA_MNDP_T_SOFTWAREID = 11,
    PA_MNDP_T_BOARD = 12,
    PA_MNDP_T_UNPACK = 14,
    PA_MNDP_T_IPV6 = 15,
    PA_MNDP_T_INTERFACE = 16,
    PA_MNDP_T_IPV4 = 17,
};

typedef struct pa_mndp_msg {
    uint16_t seqno;
    uint32_t ntlvs;
    bool truncated; /* a TLV runs past the datagram (tshark: malformed) */
    bool has_mac, has_uptime, has_ipv4, has_ipv6;
    uint8_t mac[6], ipv4[4], ipv6[16];
    uint32_t uptime; /* seconds, little-endian on the wire */
    char identity[PA_MNDP_TEXT], version[PA_MNDP_TEXT], platform[PA_MNDP_TEXT];
    char softwareid[PA_MNDP_TEXT], board[PA_MNDP_TEXT], ifname[PA_MNDP_TEXT];
} pa_mndp_msg;

/* tshark's test: at least 8 bytes, the first TLV's type and length below 256. */
bool pa_mndp_looks(const uint8_t *p, size_t n);
/* The header and every TLV that fits; false when pa_mndp_looks is. */
bool pa_mndp_parse(const uint8_t *p, size_t n, pa_mndp_msg *out);
/* The next TLV from *c (positioned past the header): its type and value;
 * false at the end or on a TLV that runs past it. */
bool pa_mndp_tlv_next(pa_cur *c, uint16_t *type, pa_cur *value);
/* A string TLV's value as tshark shows it: up to a NUL, non-printable
 * bytes as '?'. */
void pa_mndp_text(pa_cur v, char *out, size_t outlen);

#endif
