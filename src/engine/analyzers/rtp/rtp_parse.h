/* RTP and RTCP packets (RFC 3550), parsed from their bytes alone so that
 * they are tested and fuzzed by themselves. */
#ifndef PA_RTP_PARSE_H
#define PA_RTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_RTCP_MAX_PACKETS 8 /* packets of a compound RTCP datagram kept */
#define PA_RTCP_MAX_BLOCKS 4  /* report blocks kept per SR/RR */
#define PA_RTCP_MAX_IDS 8     /* SDES chunks' and BYE's SSRCs kept per packet */

typedef struct pa_rtp_hdr {
    uint8_t version, csrc_count;
    bool padding, extension, marker;
    uint8_t pt;
    uint16_t seq;
    uint32_t timestamp, ssrc;
    uint16_t ext_profile, ext_words; /* when extension */
    uint32_t header_len;             /* fixed header, CSRCs and extension */
    uint32_t payload_len;            /* after the header, padding removed */
    uint8_t padding_count;
    bool padding_bad; /* a padding count of 0 or beyond the payload (Wireshark clips it) */
} pa_rtp_hdr;

/* Whether d[0..n) is an RTP packet of version 2 whose CSRC list and header
 * extension fit in it (a bad padding count is flagged, not refused: tshark
 * still counts the packet). */
bool pa_rtp_parse(const uint8_t *d, size_t n, pa_rtp_hdr *out);

/* Whether an RTP header's marker and payload type put it in the range RTCP
 * packet types occupy (RFC 5761 section 4: 64-95): Wireshark hands such a
 * packet to RTCP. */
static inline bool pa_rtp_is_rtcp_range(const pa_rtp_hdr *h) { return h->marker && h->pt >= 64 && h->pt <= 95; }

typedef struct pa_rtcp_block {
    uint32_t ssrc;
    uint8_t fraction_lost; /* of 256 */
    int32_t cumulative_lost;
    uint32_t highest_seq, jitter, lsr, dlsr;
} pa_rtcp_block;

typedef struct pa_rtcp_pkt {
    uint8_t pt, count; /* count: RC / SC / FMT, the low 5 bits of the first byte */
    bool padding;
    uint32_t len_bytes; /* (length + 1) * 4 */
    uint32_t ssrc;      /* sender SSRC (SR, RR, APP, feedback), first chunk's (SDES, BYE) */
    /* SR sender info */
    uint32_t ntp_msw, ntp_lsw, rtp_ts, sender_packets, sender_octets;
    uint8_t nblocks; /* report blocks kept (of count) */
    pa_rtcp_block block[PA_RTCP_MAX_BLOCKS];
    char cname[64]; /* SDES: the first CNAME item */
    uint8_t nids;   /* SDES: each chunk's SSRC; BYE: each SSRC (the first PA_RTCP_MAX_IDS) */
    uint32_t ids[PA_RTCP_MAX_IDS];
} pa_rtcp_pkt;

typedef struct pa_rtcp_msg {
    uint8_t n;     /* packets kept */
    uint8_t total; /* packets in the compound datagram (capped at 255) */
    pa_rtcp_pkt pkt[PA_RTCP_MAX_PACKETS];
} pa_rtcp_msg;

/* Whether d[0..n) is a compound RTCP datagram: every packet version 2 with a
 * known type (SR 200, RR 201, SDES 202, BYE 203, APP 204, RTPFB 205, PSFB
 * 206, XR 207), lengths that tile the datagram exactly, the first packet an
 * SR or RR (RFC 3550 A.2, relaxed to allow a reduced-size first packet of any
 * known type, RFC 5506), and padding only on the last. */
bool pa_rtcp_parse(const uint8_t *d, size_t n, pa_rtcp_msg *out);
/* The packets that parse before the first that does not (SRTCP encrypts all
 * but the first header, RFC 3711; tshark shows what it can read): true when
 * at least one did. */
bool pa_rtcp_parse_prefix(const uint8_t *d, size_t n, pa_rtcp_msg *out);

#endif
