/* Values of the db-lsp-disc display-filter field (db_lsp_disc_fields.def). */
#include "db_lsp_disc_analyzer.h"

size_t pa_db_lsp_disc_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_packet *p = f->p;
    if (p->app != PA_P_DB_LSP_DISC || p->l4 != PA_P_UDP || p->is_fragment) return 0;
    return field == PA_DF_DB_LSP_DISC ? pa_put_bool(out, max, true) : 0;
}
