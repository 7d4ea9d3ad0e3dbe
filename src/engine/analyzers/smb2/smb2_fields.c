/* Values of the smb2.*, nbss.* and smb.* display-filter fields
 * (smb2_fields.def) in a frame. */
#include "smb2_analyzer.h"

/* A header field of each command (a transform header shows only its
 * session id). */
static size_t per_cmd(const pa_smb2_frame *t, pa_dfield field, pa_dvalue *out, size_t max) {
    size_t n = 0;
    for (uint8_t i = 0; i < t->ncmds && n < max; i++) {
        const pa_smb2_frame_cmd *c = &t->cmd[i];
        bool tf = c->cmd == 0xFFFF, resp = c->flags & PA_SMB2_FLAG_RESPONSE;
        if (tf && field != PA_DF_SMB2_SESID) continue;
        switch (field) {
        case PA_DF_SMB2_CMD: n += pa_put_u(out + n, max - n, c->cmd); break;
        case PA_DF_SMB2_NT_STATUS:
            if (resp) n += pa_put_u(out + n, max - n, c->status);
            break;
        case PA_DF_SMB2_FLAGS_RESPONSE: n += pa_put_bool(out + n, max - n, resp); break;
        case PA_DF_SMB2_FLAGS_ASYNC: n += pa_put_bool(out + n, max - n, c->flags & PA_SMB2_FLAG_ASYNC); break;
        case PA_DF_SMB2_FLAGS_CHAINED: n += pa_put_bool(out + n, max - n, c->flags & PA_SMB2_FLAG_CHAINED); break;
        case PA_DF_SMB2_FLAGS_SIGNATURE: n += pa_put_bool(out + n, max - n, c->flags & PA_SMB2_FLAG_SIGNED); break;
        case PA_DF_SMB2_MSG_ID: n += pa_put_u(out + n, max - n, c->msg_id); break;
        case PA_DF_SMB2_SESID: n += pa_put_u(out + n, max - n, c->sesid); break;
        case PA_DF_SMB2_TID:
            if (c->has_tid) n += pa_put_u(out + n, max - n, c->tid);
            break;
        case PA_DF_SMB2_TREE:
            if (c->has_tree) n += pa_put_str(out + n, max - n, c->tree);
            break;
        case PA_DF_SMB2_IOCTL_FUNCTION:
            if (c->has_ioctl) n += pa_put_u(out + n, max - n, c->ioctl);
            break;
        case PA_DF_SMB2_TIME:
            if (c->has_time) n += pa_put_d(out + n, max - n, (double)c->time_ns / 1e9);
            break;
        default: return 0;
        }
    }
    return n;
}

size_t pa_smb2_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_smb2_frame *t = f->app[PA_AN_smb2];
    if (!t || !t->present) return 0;
    size_t n = 0;
    switch (field) {
    case PA_DF_SMB2: return t->ncmds ? pa_put_bool(out, max, true) : 0;
    case PA_DF_NBSS: return pa_put_bool(out, max, true);
    case PA_DF_SMB: return t->nsmb1 ? pa_put_bool(out, max, true) : 0;
    case PA_DF_NBSS_TYPE:
        for (uint8_t i = 0; i < t->nnbss && n < max; i++) n += pa_put_u(out + n, max - n, t->nbss_type[i]);
        return n;
    case PA_DF_SMB_CMD:
        for (uint8_t i = 0; i < t->nsmb1 && n < max; i++) n += pa_put_u(out + n, max - n, t->smb1_cmd[i]);
        return n;
    case PA_DF_SMB2_FILENAME:
        for (uint8_t i = 0; i < t->nnames && n < max; i++) n += pa_put_str(out + n, max - n, t->names[i]);
        return n;
    case PA_DF_SMB2_DIALECT:
        for (uint8_t i = 0; i < t->ndialects && n < max; i++) n += pa_put_u(out + n, max - n, t->dialects[i]);
        return n;
    default: return per_cmd(t, field, out, max);
    }
}
