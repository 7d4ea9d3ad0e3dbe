/* Looks of protocols without an analyzer (detect_looks.def names them). */
#ifndef PA_DETECT_LOOKS_H
#define PA_DETECT_LOOKS_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"

#define PA_LOOK(l4, port, proto, look, next) bool look(const pa_packet *p);
#define PA_NEXT(fn) uint8_t fn(const pa_packet *p);
#include "detect_looks.def"
#undef PA_LOOK
#undef PA_NEXT

/* Wireshark's RTCP heuristic (on by default): version 2, a compound packet
 * starting with SR, RR, BYE, APP or PSFB whose first part fits in the
 * datagram (SRTCP encrypts the rest), a multiple of 4 bytes. */
bool pa_rtcp_heuristic(const uint8_t *d, uint32_t n);
/* Whether the first line of a text protocol's message ends with " " version
 * (a request line, METHOD in capitals) or starts with version " " and three
 * digits (a status line): SIP, RTSP. */
bool pa_look_text_line(const uint8_t *d, uint32_t n, const char *version);

#endif
