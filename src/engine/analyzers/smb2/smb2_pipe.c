#include "smb2_pipe.h"

#include <string.h>

int pa_smb2_pipes_init(pa_smb2_pipes *pp) {
    memset(pp, 0, sizeof *pp);
    return pa_htab_init(&pp->pipes, sizeof(pa_smb2_pipe), sizeof(uint64_t), PA_SMB2_MAX_PIPES);
}

void pa_smb2_pipes_free(pa_smb2_pipes *pp) {
    for (size_t i = 0; i < pp->pipes.count; i++) {
        pa_smb2_pipe *p = pa_htab_rec(&pp->pipes, i);
        if (p->carried) pa_analyzers[PA_AN_dcerpc]->flow_free(p->carried);
    }
    pa_htab_free(&pp->pipes);
}

void pa_smb2_pipe_bytes(pa_smb2_pipes *pp, const pa_smb2_carry *to, const char *name, uint64_t key, bool to_client,
                        const uint8_t *data, size_t avail, size_t len, uint64_t frame) {
    bool created;
    pa_smb2_pipe *p = pa_htab_upsert(&pp->pipes, &key, &created);
    if (!p) {
        pp->overflow += len;
        return;
    }
    if (created) {
        size_t n = strlen(name);
        if (n >= sizeof p->name) n = sizeof p->name - 1;
        memcpy(p->name, name, n);
        p->name[n] = '\0';
        p->first_frame = frame;
    }
    p->bytes[to_client] += len;
    p->messages[to_client]++;
    p->last_frame = frame;
    if (!to || !to->carry || p->cut || !data || !len) return;
    if (avail < len) { /* a PDU boundary past what was kept cannot be found again */
        p->cut = true;
        pp->cut++;
        return;
    }
    pa_app_carried c = {.p = to->p,
                        .stream = to->stream,
                        .to_server = !to_client,
                        .data = data,
                        .len = (uint32_t)len,
                        .key = key,
                        .via = p->name,
                        .state = &p->carried};
    to->carry(to->ud, PA_AN_dcerpc, &c);
}
