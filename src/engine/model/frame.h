/* What the pass knows of one frame beyond its headers, handed to
 * display filters and packet lists while the frame is current. */
#ifndef PA_FRAME_H
#define PA_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#include "ftp_track.h"
#include "http_track.h"
#include "packet.h"

#define PA_FRAME_HTTP 8 /* HTTP messages remembered per frame (pipelining) */

/* TLS facts of one frame (records ending in it and what they held in clear). */
typedef struct pa_frame_tls {
    uint8_t nrec, nhs, nhv, nalert;
    uint16_t ncs;
    bool has_sni;
    uint16_t rec_version[16];
    uint8_t hs_type[16];
    uint16_t hello_version[4];
    uint32_t alert[8]; /* level << 8 | description; 0x10000: encrypted */
    uint16_t cs[128];  /* cipher suites offered (ClientHello) or chosen (ServerHello) */
    char sni[256];
} pa_frame_tls;

/* What the pass knows of one frame beyond its headers. */
typedef struct pa_frame_ctx {
    int64_t first_ts; /* of the first frame (frame.time_relative) */
    bool has_stream;
    uint32_t stream; /* tcp.stream or udp.stream */
    bool tcp_analysed;
    uint32_t ta_flags; /* tcp.analysis flags (PA_TA_*) */
    uint32_t dup_num;  /* tcp.analysis.duplicate_ack_num */
    bool has_rtt;
    int64_t rtt_ns; /* tcp.analysis.ack_rtt */
    bool seq_base_known, ack_base_known;
    uint32_t seq_base, ack_base; /* for relative tcp.seq and tcp.ack */
    int16_t wscale;              /* the sender's window scale: -1 unknown, -2 none, else the shift */
    bool has_dns_time;
    int64_t dns_time_ns;    /* dns.time of the response in this frame */
    uint8_t nhttp;          /* HTTP messages completed in this frame */
    const pa_http_tx *http; /* their transactions (responses: status and http.time) */
    const bool *http_response;
    const pa_frame_tls *tls; /* NULL when the frame ends no TLS record */
    const pa_ftp_frame *ftp; /* the frame's first FTP line as Wireshark shows it; NULL none */
    /* udp.stream of the other UDP headers (pa_packet.xip, same order; -1 none) */
    int64_t xip_udp_stream[PA_MAX_ENCAP_DEPTH + 1];
} pa_frame_ctx;

#endif
