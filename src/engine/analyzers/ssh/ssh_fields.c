/* Values of the ssh.* display-filter fields (ssh_fields.def) in a frame:
 * one value per packet, or per KEXINIT, that has it. */
#include "ssh_analyzer.h"

/* A KEXINIT name-list field: its index in the KEXINIT; -1 for others. */
static int list_of(pa_dfield field, bool *length) {
    static const pa_dfield lists[PA_SSH_NLISTS] = {
        PA_DF_SSH_KEX_ALGORITHMS,
        PA_DF_SSH_SERVER_HOST_KEY_ALGORITHMS,
        PA_DF_SSH_ENCRYPTION_ALGORITHMS_CLIENT_TO_SERVER,
        PA_DF_SSH_ENCRYPTION_ALGORITHMS_SERVER_TO_CLIENT,
        PA_DF_SSH_MAC_ALGORITHMS_CLIENT_TO_SERVER,
        PA_DF_SSH_MAC_ALGORITHMS_SERVER_TO_CLIENT,
        PA_DF_SSH_COMPRESSION_ALGORITHMS_CLIENT_TO_SERVER,
        PA_DF_SSH_COMPRESSION_ALGORITHMS_SERVER_TO_CLIENT,
        PA_DF_SSH_LANGUAGES_CLIENT_TO_SERVER,
        PA_DF_SSH_LANGUAGES_SERVER_TO_CLIENT,
    };
    static const pa_dfield lengths[PA_SSH_NLISTS] = {
        PA_DF_SSH_KEX_ALGORITHMS_LENGTH,
        PA_DF_SSH_SERVER_HOST_KEY_ALGORITHMS_LENGTH,
        PA_DF_SSH_ENCRYPTION_ALGORITHMS_CLIENT_TO_SERVER_LENGTH,
        PA_DF_SSH_ENCRYPTION_ALGORITHMS_SERVER_TO_CLIENT_LENGTH,
        PA_DF_SSH_MAC_ALGORITHMS_CLIENT_TO_SERVER_LENGTH,
        PA_DF_SSH_MAC_ALGORITHMS_SERVER_TO_CLIENT_LENGTH,
        PA_DF_SSH_COMPRESSION_ALGORITHMS_CLIENT_TO_SERVER_LENGTH,
        PA_DF_SSH_COMPRESSION_ALGORITHMS_SERVER_TO_CLIENT_LENGTH,
        PA_DF_SSH_LANGUAGES_CLIENT_TO_SERVER_LENGTH,
        PA_DF_SSH_LANGUAGES_SERVER_TO_CLIENT_LENGTH,
    };
    for (int i = 0; i < PA_SSH_NLISTS; i++) {
        if (field == lists[i] || field == lengths[i]) {
            *length = field == lengths[i];
            return i;
        }
    }
    return -1;
}

static size_t kexinit(const pa_ssh_frame *t, pa_dfield field, pa_dvalue *out, size_t max) {
    if (!t->has_kexinit) return 0;
    const pa_ssh_kexinit *k = &t->kexinit;
    bool server = t->kexinit_server;
    switch (field) {
    case PA_DF_SSH_COOKIE: return pa_put_bytes(out, max, PA_FT_BYTES, k->cookie, sizeof k->cookie);
    case PA_DF_SSH_FIRST_KEX_PACKET_FOLLOWS: return pa_put_u(out, max, k->first_kex_follows);
    case PA_DF_SSH_KEX_HASSH: return server ? 0 : pa_put_str(out, max, t->hassh);
    case PA_DF_SSH_KEX_HASSHSERVER: return server ? pa_put_str(out, max, t->hassh) : 0;
    case PA_DF_SSH_KEX_HASSH_ALGORITHMS: return server ? 0 : pa_put_str(out, max, t->hassh_input);
    case PA_DF_SSH_KEX_HASSHSERVER_ALGORITHMS: return server ? pa_put_str(out, max, t->hassh_input) : 0;
    default: break;
    }
    bool length;
    int l = list_of(field, &length);
    if (l < 0) return 0;
    if (length) return pa_put_u(out, max, k->list[l].len);
    /* the list's bytes, within what the frame kept of the payload */
    uint32_t off = k->list[l].off, len = k->list[l].len;
    if (off > t->kexinit_len || len > t->kexinit_len - off) return 0;
    return pa_put_bytes(out, max, PA_FT_STRING, t->kex_payload + off, len);
}

size_t pa_ssh_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_ssh_frame *t = f->app[PA_AN_ssh];
    if (!t || !t->present) return 0;
    size_t n = 0;
    switch (field) {
    case PA_DF_SSH: return pa_put_bool(out, max, true);
    case PA_DF_SSH_DIRECTION: return t->shown && t->direction >= 0 ? pa_put_bool(out, max, t->direction == 1) : 0;
    case PA_DF_SSH_PROTOCOL: return t->has_ident ? pa_put_str(out, max, t->ident) : 0;
    case PA_DF_SSH_HOST_KEY_TYPE: return t->has_hostkey ? pa_put_str(out, max, t->hostkey_type) : 0;
    case PA_DF_SSH_PACKET_LENGTH:
        for (uint8_t i = 0; i < t->npkts && n < max; i++) n += pa_put_u(out + n, max - n, t->pkt[i].length);
        return n;
    case PA_DF_SSH_PADDING_LENGTH:
        for (uint8_t i = 0; i < t->npkts && n < max; i++) n += pa_put_u(out + n, max - n, t->pkt[i].padding);
        return n;
    case PA_DF_SSH_MESSAGE_CODE:
        for (uint8_t i = 0; i < t->npkts && n < max; i++)
            if (t->pkt[i].code >= 0) n += pa_put_u(out + n, max - n, (uint64_t)t->pkt[i].code);
        return n;
    default: return kexinit(t, field, out, max);
    }
}
