/* CAPWAP (RFC 5415) and IEEE 802.11 MAC headers read from bytes. The
 * decoders use them to go on to what the headers carry; the display
 * filters read the same headers again through them (the packet keeps where
 * each header starts, decode/packet.h). Every read is bounded by n. */
#ifndef PA_WIRELESS_H
#define PA_WIRELESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- CAPWAP ---------------------------------------------------------- */

enum {
    PA_CAPWAP_T = 0x100, /* payload in the binding's native format (else an 802.3 frame) */
    PA_CAPWAP_F = 0x80,  /* a fragment */
    PA_CAPWAP_L = 0x40,  /* the last fragment */
    PA_CAPWAP_W = 0x20,  /* wireless-specific information present */
    PA_CAPWAP_M = 0x10,  /* radio MAC address present */
    PA_CAPWAP_K = 0x08,  /* data channel keep-alive */
};

enum { PA_CAPWAP_WBID_80211 = 1 };

typedef struct pa_capwap_hdr {
    uint8_t version, type; /* preamble: type 0 a CAPWAP header follows, 1 a DTLS header */
    uint8_t got;           /* bytes of the fixed header read: 1, 4 (to the flags) or 8 */
    uint8_t hlen;          /* header length in 4-byte words, preamble included */
    uint8_t rid, wbid;     /* radio id, wireless binding id (1: IEEE 802.11) */
    uint16_t flags;        /* the nine flag bits, PA_CAPWAP_* and three reserved */
    uint16_t frag_id;
    uint16_t frag_off; /* in 8-byte units */
    bool has_mac;      /* M: a radio MAC address field, its length and bytes */
    uint8_t mac_len;
    const uint8_t *mac;
    bool has_wireless; /* W: a wireless-specific information field and its length */
    uint8_t wireless_len;
    /* control messages (after the header, on the control channel) */
    bool has_control;
    uint32_t msg_type;
    uint8_t seq, msg_flags;
    uint16_t msg_elem_len;
} pa_capwap_hdr;

typedef enum {
    PA_CAPWAP_OK,
    PA_CAPWAP_NOT,       /* not a CAPWAP header: version other than 0, or type other than 0 */
    PA_CAPWAP_TRUNCATED, /* fewer than 8 bytes */
    PA_CAPWAP_BAD_HLEN,  /* a header length below 8 bytes, or past the bytes given */
} pa_capwap_status;

/* The CAPWAP header at d (the preamble first). With control, also the
 * control header after it (has_control when it fits). The optional radio
 * MAC and wireless fields are read as far as the bytes go. */
pa_capwap_status pa_capwap_parse(const uint8_t *d, size_t n, bool control, pa_capwap_hdr *h);

/* ---- IEEE 802.11 ----------------------------------------------------- */

enum { PA_WLAN_MGMT = 0, PA_WLAN_CTRL = 1, PA_WLAN_DATA = 2, PA_WLAN_EXT = 3 };

enum {
    PA_WLAN_TODS = 0x01,
    PA_WLAN_FROMDS = 0x02,
    PA_WLAN_MOREFRAG = 0x04,
    PA_WLAN_RETRY = 0x08,
    PA_WLAN_PWRMGT = 0x10,
    PA_WLAN_MOREDATA = 0x20,
    PA_WLAN_PROTECTED = 0x40,
    PA_WLAN_ORDER = 0x80,
};

#define PA_WLAN_MAX_HDR 36 /* frame control to HT control, four addresses */

typedef struct pa_wlan_hdr {
    uint8_t version, type, subtype, flags; /* frame control, in the standard order */
    bool has_duration;
    uint16_t duration; /* the field as sent (a duration, or an association id in PS-Poll) */
    uint8_t naddr;     /* addresses read, 0 to 4 */
    const uint8_t *addr[4];
    bool has_seq;
    uint16_t seqctl; /* sequence number << 4 | fragment number */
    bool has_qos;
    uint16_t qos;
    bool has_htc;
    uint32_t htc;
    uint8_t len;   /* header bytes read */
    bool complete; /* every field the frame control announces was there */
} pa_wlan_hdr;

/* The MAC header at d. fc_swapped: the two frame-control bytes come in the
 * other order (Cisco's CAPWAP, which Wireshark undoes by default).
 * Returns h->complete. */
bool pa_wlan_parse(const uint8_t *d, size_t n, bool fc_swapped, pa_wlan_hdr *h);

/* The roles Wireshark's fields give the header's addresses (wlan.ra, .ta,
 * .da, .sa, .bssid, .staa) by frame type, DS bits and A-MSDU; NULL when the
 * frame has none (a WDS A-MSDU names two BSS ids). */
typedef struct pa_wlan_roles {
    const uint8_t *ra, *ta, *da, *sa, *staa;
    const uint8_t *bssid[2];
} pa_wlan_roles;
void pa_wlan_roles_of(const pa_wlan_hdr *h, pa_wlan_roles *r);
/* Whether the header's address i has a role (wlan.addr lists those). */
bool pa_wlan_addr_named(const pa_wlan_roles *r, const uint8_t *addr);

/* A QoS data frame whose body is an A-MSDU: subframes of a destination, a
 * source, a length and an MSDU, padded to 4 bytes. */
bool pa_wlan_is_amsdu(const pa_wlan_hdr *h);
typedef struct pa_wlan_msdu {
    const uint8_t *da, *sa; /* the subframe's destination and source */
    const uint8_t *msdu;    /* its MSDU (LLC first), len bytes of it captured */
    size_t len;
} pa_wlan_msdu;
/* The subframes of the A-MSDU body (n bytes), at most max; the walk stops
 * at a subframe cut short (which is counted, its MSDU clipped). */
size_t pa_wlan_amsdu(const uint8_t *body, size_t n, pa_wlan_msdu *out, size_t max);

/* Data subtypes that carry a body (not the null and CF-only ones). */
bool pa_wlan_data_has_body(uint8_t subtype);

#endif
