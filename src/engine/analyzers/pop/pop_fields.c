/* Values of the pop.* display-filter fields (pop_fields.def) in a frame. */
#include "pop_analyzer.h"

size_t pa_pop_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_pop_frame *t = f->app[PA_AN_pop];
    if (!t || !t->present) return 0;
    switch (field) {
    case PA_DF_POP: return pa_put_bool(out, max, true);
    case PA_DF_POP_REQUEST_COMMAND: return t->has_command ? pa_put_str(out, max, t->command) : 0;
    case PA_DF_POP_REQUEST_PARAMETER: return t->has_param ? pa_put_str(out, max, t->param) : 0;
    case PA_DF_POP_RESPONSE_INDICATOR: return t->has_indicator ? pa_put_str(out, max, t->indicator) : 0;
    case PA_DF_POP_RESPONSE_DESCRIPTION: return t->has_desc ? pa_put_str(out, max, t->desc) : 0;
    default: return 0;
    }
}
