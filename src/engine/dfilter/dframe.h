/* The values a frame offers to display filters: its decoded headers
 * (pa_packet), its bytes, and what the pass knows of it (pa_frame_ctx:
 * stream numbers, tcp.analysis flags, relative sequence numbers), and
 * each analyzer's facts of it. A field's values come from the getter of its
 * group (fields.def): a layer's here, an analyzer's in its folder
 * (pa_analyzer.field_values). Valid only during the engine's on_frame
 * callback. */
#ifndef PA_DFRAME_H
#define PA_DFRAME_H

#include "dfilter.h"
#include "frame.h"

typedef struct pa_dframe {
    const pa_packet *p;
    const uint8_t *data; /* the captured bytes */
    const pa_frame_ctx *ctx;
    char protocols[256]; /* frame.protocols, built on first use */
    bool protocols_built;
    pa_field_frame ff; /* the frame as the analyzers' getters see it */
} pa_dframe;

void pa_dframe_init(pa_dframe *f, const pa_packet *p, const uint8_t *data, const pa_frame_ctx *ctx);
/* A pa_dget over a pa_dframe. */
size_t pa_dframe_get(void *ud, pa_dfield field, pa_dvalue *out, size_t max);

#endif
