/* NetBIOS Name Service as a registered analyzer (analyzer.h): its model
 * table is pa_nbns_stats; the names go to the local name resolution table
 * of the security evidence (names_track.h). */
#ifndef PA_NBNS_ANALYZER_H
#define PA_NBNS_ANALYZER_H

#include "analyzer.h"
#include "names_track.h"
#include "nbns_parse.h"

typedef struct pa_nbns_stats {
    uint64_t messages, queries, registrations, releases, refreshes, wacks, other_opcodes;
    uint64_t positive, negative; /* responses with rcode 0, and the others */
    uint64_t malformed;          /* messages cut short or with a bad name: what came before is kept */
    pa_names *local;             /* NULL: none */
    pa_txkeep *keep;             /* a display filter's frames (NULL: all) */
} pa_nbns_stats;

/* What the pass learnt of a frame (the nbns.* fields are read from its bytes). */
typedef struct pa_nbns_frame {
    bool present; /* an NBNS message was parsed */
} pa_nbns_frame;

/* One message into the counters and the local names (the pass's packet hook; tests). */
void pa_nbns_message(pa_nbns_stats *st, const pa_packet *p, const pa_nbns_msg *m, pa_nbns_status s);

size_t pa_nbns_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_nbns;

#endif
