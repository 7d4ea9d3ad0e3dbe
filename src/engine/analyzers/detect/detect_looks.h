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

#endif
