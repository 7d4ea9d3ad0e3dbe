/* MikroTik Neighbor Discovery as a registered analyzer (analyzer.h): UDP
 * datagrams on port 5678 that pass tshark's MNDP test are named mndp; the
 * announcing devices (MAC, identity, version, platform, board, interface,
 * addresses, uptime) are kept for analyze_network_topology. */
#ifndef PA_MNDP_ANALYZER_H
#define PA_MNDP_ANALYZER_H

#include "analyzer.h"
#include "mndp_parse.h"

#define PA_MNDP_MAX_DEVICES 128 /* announcing devices kept (by address and MAC) */

typedef struct pa_mndp_device {
    pa_addr addr;
    pa_mndp_msg last; /* what its announcements said, the latest values */
    uint32_t announcements;
    uint64_t first_frame, last_frame;
} pa_mndp_device;

typedef struct pa_mndp_stats {
    uint64_t datagrams, malformed; /* named datagrams; those with a TLV past the end */
    uint32_t ndevices;
    uint64_t devices_dropped;
    pa_mndp_device devices[PA_MNDP_MAX_DEVICES];
    pa_txkeep *keep;
} pa_mndp_stats;

typedef struct pa_mndp_frame {
    bool present;
} pa_mndp_frame;

/* One named datagram into the table (the packet hook; tests). */
void pa_mndp_message(pa_mndp_stats *st, const pa_packet *p, const pa_mndp_msg *m);

size_t pa_mndp_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_mndp;

#endif
