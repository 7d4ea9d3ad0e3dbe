/* TLS as a registered analyzer (analyzer.h): its model table is
 * pa_tls_stats (tls_track.h). */
#ifndef PA_TLS_ANALYZER_H
#define PA_TLS_ANALYZER_H

#include "analyzer.h"
#include "tls_track.h"

/* The TLS records a frame ends and what they held in clear (display
 * filters: tls.*). */
typedef struct pa_tls_frame {
    uint8_t nrec, nhs, nhv, nalert;
    uint16_t ncs;
    bool has_sni;
    uint16_t rec_version[16];
    uint8_t hs_type[16];
    uint16_t hello_version[4];
    uint32_t alert[8]; /* level << 8 | description; 0x10000: encrypted */
    uint16_t cs[128];  /* cipher suites offered (ClientHello) or chosen (ServerHello) */
    char sni[256];
} pa_tls_frame;

/* The event pa_engine_opts.on_app receives when a TLS connection ends (its
 * outcome decided): the const pa_tls_conn itself. */

/* The values of its display-filter fields in a frame (tls_fields.c). */
size_t pa_tls_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_tls;

#endif
