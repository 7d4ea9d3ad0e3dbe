/* Application protocol recognition for the hierarchy and conversations:
 * payload looks first (they are specific: the analyzers' detect hooks in
 * table order, then those of protocols without an analyzer), then
 * well-known ports (the analyzers' lists, then detect_ports.def). */
#ifndef PA_DETECT_H
#define PA_DETECT_H

#include "packet.h"

/* Looks at one packet's transport payload (payload_len > 0). */
pa_proto pa_app_detect(const pa_packet *p);
/* Port-only guess, for flows whose payload was never seen. */
pa_proto pa_app_by_port(pa_proto l4, uint16_t sport, uint16_t dport);

#endif
