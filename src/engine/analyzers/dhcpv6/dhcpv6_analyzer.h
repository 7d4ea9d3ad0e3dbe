/* DHCPv6 as a registered analyzer (analyzer.h): its table in the model is
 * pa_dhcpv6_stats (dhcpv6_track.h): exchanges, servers, message types. */
#ifndef PA_DHCPV6_ANALYZER_H
#define PA_DHCPV6_ANALYZER_H

#include "analyzer.h"
#include "dhcpv6_track.h"

/* The message a frame carried (display filters: dhcpv6.*). */
typedef struct pa_dhcpv6_frame {
    bool present;
    pa_dhcpv6_msg msg;
} pa_dhcpv6_frame;

/* The event pa_engine_opts.on_app receives: one message. */
typedef struct pa_dhcpv6_event {
    uint64_t frame;
    const pa_dhcpv6_msg *msg;
} pa_dhcpv6_event;

size_t pa_dhcpv6_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_dhcpv6;

#endif
