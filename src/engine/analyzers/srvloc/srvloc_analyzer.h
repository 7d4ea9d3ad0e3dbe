/* Service Location Protocol as a registered analyzer (analyzer.h): UDP
 * datagrams with 427 on either side that parse as an SLP message are named
 * srvloc; the services announced (URLs of replies, registrations and
 * agents' advertisements) and the service types asked for are kept for
 * analyze_network_topology. */
#ifndef PA_SRVLOC_ANALYZER_H
#define PA_SRVLOC_ANALYZER_H

#include "analyzer.h"
#include "srvloc_parse.h"

#define PA_SRVLOC_MAX_SERVICES 128 /* service URLs kept (by URL) */

typedef struct pa_srvloc_service {
    pa_addr from;     /* who announced it (the replying or registering agent) */
    uint8_t function; /* the message that named it first */
    uint16_t lifetime;
    char url[PA_SRVLOC_TEXT];
    uint32_t seen;
    uint64_t first_frame;
} pa_srvloc_service;

typedef struct pa_srvloc_stats {
    uint64_t datagrams, functions[12]; /* named datagrams, by function id */
    uint64_t bodies_malformed;         /* version 2 bodies that did not parse */
    uint32_t nservices;
    uint64_t services_dropped;
    pa_srvloc_service services[PA_SRVLOC_MAX_SERVICES];
    pa_txkeep *keep;
} pa_srvloc_stats;

typedef struct pa_srvloc_frame {
    bool present;
} pa_srvloc_frame;

/* One named datagram into the table (the packet hook; tests). */
void pa_srvloc_message(pa_srvloc_stats *st, const pa_packet *p, const pa_srvloc_msg *m);

size_t pa_srvloc_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_srvloc;

#endif
