/* DHCP (v4) as a registered analyzer (analyzer.h): its table in the model is
 * pa_dhcp_stats (dhcp_track.h): transactions, servers, message types.
 * DHCPv6 is its own analyzer (analyzers/dhcpv6), since a protocol's fields
 * and name belong to one analyzer. */
#ifndef PA_DHCP_ANALYZER_H
#define PA_DHCP_ANALYZER_H

#include "analyzer.h"
#include "dhcp_track.h"

/* The message a frame carried (display filters: dhcp.*). */
typedef struct pa_dhcp_frame {
    bool present;
    pa_dhcp_msg msg;
} pa_dhcp_frame;

/* The event pa_engine_opts.on_app receives: one message. */
typedef struct pa_dhcp_event {
    uint64_t frame;
    const pa_dhcp_msg *msg;
} pa_dhcp_event;

size_t pa_dhcp_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_dhcp;

#endif
