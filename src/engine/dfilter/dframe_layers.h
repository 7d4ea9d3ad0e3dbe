/* What the layers' getters share (dframe.c, dframe_wireless.c): each takes
 * a field of its group in layer_fields.def and writes its values. */
#ifndef PA_DFRAME_LAYERS_H
#define PA_DFRAME_LAYERS_H

#include "dframe.h"

/* Whether the decoders named the protocol anywhere in the frame. */
static inline bool pa_dframe_has_layer(const pa_packet *p, pa_proto proto) {
    for (uint8_t i = 0; i < p->nlayers; i++)
        if (p->layers[i] == proto) return true;
    return false;
}

size_t pa_dframe_capwap(pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max);
size_t pa_dframe_wlan(pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max);
size_t pa_dframe_llc(pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max);

#endif
