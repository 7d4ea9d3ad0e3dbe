/* The values a frame offers to display filters: its decoded headers
 * (pa_packet), its bytes, and what the pass knows of it (pa_frame_ctx:
 * stream numbers, tcp.analysis flags, relative sequence numbers). Valid
 * only during the engine's on_frame callback. */
#ifndef PA_DFRAME_H
#define PA_DFRAME_H

#include "dfilter.h"
#include "frame.h"

#define PA_DFRAME_NAMES 64 /* DNS names per field and frame (a message holds at most 64 records) */

typedef struct pa_dframe {
    const pa_packet *p;
    const uint8_t *data; /* the captured bytes */
    const pa_frame_ctx *ctx;
    char protocols[256]; /* frame.protocols, built on first use */
    bool protocols_built;
    /* DNS messages of the frame (the packet's own, one quoted in an ICMP
     * error), parsed on first use */
    bool dns_parsed;
    uint8_t ndns;
    struct pa_dframe_dns {
        const uint8_t *msg;
        size_t len;
        bool port53; /* "dns" (mDNS and LLMNR have dns.* fields only) */
    } dns[2];
    /* names handed out as values point here: two banks used in turn, so the
     * two sides of a field-to-field comparison do not overwrite each other */
    char rrname[2][PA_DFRAME_NAMES][256];
    unsigned bank;
    size_t nnames;
} pa_dframe;

void pa_dframe_init(pa_dframe *f, const pa_packet *p, const uint8_t *data, const pa_frame_ctx *ctx);
/* A pa_dget over a pa_dframe. */
size_t pa_dframe_get(void *ud, pa_dfield field, pa_dvalue *out, size_t max);

#endif
