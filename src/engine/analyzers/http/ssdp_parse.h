/* SSDP (UPnP Device Architecture 1.1/2.0): HTTP over UDP, as Wireshark's
 * HTTP dissector reads it under the name "ssdp": the request line
 * (M-SEARCH, NOTIFY) or status line, and the header lines up to the blank
 * one. Values are slices of the datagram (no copy); every read through the
 * cursor. */
#ifndef PA_SSDP_PARSE_H
#define PA_SSDP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_SSDP_MAX_LINES 64 /* header lines kept per message (the others counted in `more_lines`) */

typedef struct pa_ssdp_str {
    const uint8_t *p;
    size_t n; /* 0: absent */
} pa_ssdp_str;

typedef struct pa_ssdp_msg {
    bool request;
    pa_ssdp_str method, uri; /* a request's */
    uint16_t status;         /* a response's */
    /* the headers SSDP uses (value after the colon and its spaces, to the line's end) */
    pa_ssdp_str host, st, nt, nts, usn, location, server, cache_control;
    uint8_t nlines;
    pa_ssdp_str lines[PA_SSDP_MAX_LINES]; /* each header line with its line end: http.request.line */
    uint32_t more_lines;
} pa_ssdp_msg;

/* false: not a request or status line of HTTP/1.x. */
bool pa_ssdp_parse(const uint8_t *p, size_t n, pa_ssdp_msg *out);

#endif
