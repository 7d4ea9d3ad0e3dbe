/* Application protocol recognition: a flow and its packets are named by
 * looks at their payload (pa_app_look: the analyzers' lists, then
 * detect_looks.def), never by a port alone. Looks valid on any port are
 * asked first, then those bound to one of the packet's ports, lower port
 * first. */
#ifndef PA_DETECT_H
#define PA_DETECT_H

#include "packet.h"

/* The protocol one transport payload says it is (PA_P_NONE: none). */
pa_proto pa_app_detect(const pa_packet *p);
/* A later payload of a flow named app: the protocol it carries, or
 * PA_P_NONE when it does not say (see pa_app_look.next). */
pa_proto pa_app_next(pa_proto app, const pa_packet *p);
/* The protocol whose look is bound to one of these ports (lower first),
 * for the evidence of protocols found off their ports. */
pa_proto pa_app_by_port(pa_proto l4, uint16_t sport, uint16_t dport);

#endif
