/* DNS (and mDNS, LLMNR) as a registered analyzer (analyzer.h): its model
 * table is pa_dns_stats (dns_track.h). */
#ifndef PA_DNS_ANALYZER_H
#define PA_DNS_ANALYZER_H

#include "analyzer.h"
#include "dns_track.h"

/* What the pass learnt of a frame's DNS message (display filters: dns.time;
 * the other dns.* fields are read from the frame's bytes). */
typedef struct pa_dns_frame {
    bool has_time;
    int64_t time_ns; /* dns.time of the response in this frame */
} pa_dns_frame;

/* The event pa_engine_opts.on_app receives: every response, matched or not
 * (rt_ns < 0: no query seen), and the first copy of every query (msg->qr
 * false, rt_ns -1). */
typedef struct pa_dns_event_msg {
    uint64_t frame;
    const pa_dns_msg *msg;
    int64_t rt_ns;
} pa_dns_event_msg;

/* The values of its display-filter fields in a frame (dns_fields.c). */
size_t pa_dns_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_dns;

#endif
