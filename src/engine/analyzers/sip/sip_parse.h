/* One SIP message (RFC 3261) and its SDP body (RFC 4566), parsed from their
 * bytes alone so that they are tested and fuzzed by themselves. */
#ifndef PA_SIP_PARSE_H
#define PA_SIP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

#define PA_SIP_HEAD_MAX 16384 /* bytes of start line and headers read */
#define PA_SDP_MAX_MEDIA 8    /* m= lines kept */
#define PA_SDP_MAX_PT 16      /* payload types kept per m= line */

typedef struct pa_sip_msg {
    bool request;
    char method[24]; /* of a request */
    char ruri[128];  /* request URI */
    uint16_t status; /* of a response */
    char reason[48]; /* reason phrase */
    char call_id[128];
    bool has_cseq;
    uint32_t cseq;
    char cseq_method[24];
    char from[128], from_tag[64], to[128], to_tag[64];
    char via_branch[96]; /* of the first Via */
    char user_agent[96];
    char content_type[64];
    int64_t content_length; /* -1: absent */
    uint32_t head_len;      /* start line, headers and the empty line */
    uint32_t body_len;      /* the body's bytes present (up to Content-Length) */
    bool body_cut;          /* fewer bytes than Content-Length said */
} pa_sip_msg;

enum { PA_SIP_BAD = 0, PA_SIP_OK = 1, PA_SIP_MORE = 2 };

/* Parses the message at d[0..n). stream: over TCP, where the body is
 * Content-Length bytes (0 when absent) and a message may be cut short
 * (PA_SIP_MORE); over UDP the body is the rest of the datagram, or
 * Content-Length bytes of it. The message takes head_len + body_len bytes. */
int pa_sip_parse(const uint8_t *d, size_t n, bool stream, pa_sip_msg *out);

/* Whether d starts like a SIP request or status line. */
bool pa_sip_looks(const uint8_t *d, size_t n);

typedef struct pa_sdp_rtpmap {
    uint8_t pt;
    uint32_t rate;
    char name[24];
} pa_sdp_rtpmap;

typedef struct pa_sdp_media {
    char type[12];  /* audio, video, image, application, text, message */
    char proto[16]; /* RTP/AVP, RTP/SAVP, udptl, ... */
    uint16_t port;
    pa_addr addr; /* the media's c= or the session's */
    uint8_t npt;
    uint8_t pt[PA_SDP_MAX_PT];
    uint8_t nmap;
    pa_sdp_rtpmap map[PA_SDP_MAX_PT];
    bool rtcp_mux;
    uint16_t rtcp_port; /* a=rtcp (RFC 3605); 0: port + 1 */
    pa_addr rtcp_addr;  /* a=rtcp's address, when it gives one */
} pa_sdp_media;

typedef struct pa_sdp {
    uint8_t nmedia;
    pa_sdp_media media[PA_SDP_MAX_MEDIA];
} pa_sdp;

/* Parses an SDP body: whether it had a v= line and no line it could not
 * read; media with a port of 0 are kept (they close a stream). */
bool pa_sdp_parse(const uint8_t *d, size_t n, pa_sdp *out);

#endif
