/* Values of the nbdgm.*, mailslot.* and browser.* display-filter fields
 * (nbdgm_fields.def) in a frame: the datagram parsed again, as Wireshark's
 * dissectors read it. */
#include <stdio.h>

#include "nbdgm_analyzer.h"

/* A string made for the frame (pa_put_str keeps a pointer). */
static size_t put_text(pa_field_frame *f, const char *s, pa_dvalue *out, size_t max) {
    if (f->nnames >= PA_FIELD_NAMES) return 0;
    char *slot = f->names[f->bank][f->nnames++];
    snprintf(slot, sizeof f->names[0][0], "%s", s);
    return pa_put_str(out, max, slot);
}

static size_t browser_field(pa_field_frame *f, const pa_browser_msg *b, pa_dfield field, pa_dvalue *out, size_t max) {
    bool ann = b->has_announce, domain = b->command == PA_BROWSER_DOMAIN_ANNOUNCE;
    switch (field) {
    case PA_DF_BROWSER: return pa_put_bool(out, max, true);
    case PA_DF_BROWSER_COMMAND: return pa_put_u(out, max, b->command);
    case PA_DF_BROWSER_SERVER: return ann || b->has_election ? put_text(f, b->server, out, max) : 0;
    case PA_DF_BROWSER_MB_SERVER:
        return (ann && domain) || b->command == PA_BROWSER_MASTER_ANNOUNCE ? put_text(f, b->comment, out, max) : 0;
    case PA_DF_BROWSER_COMMENT: return ann && !domain ? put_text(f, b->comment, out, max) : 0;
    case PA_DF_BROWSER_OS_MAJOR: return ann ? pa_put_u(out, max, b->os_major) : 0;
    case PA_DF_BROWSER_OS_MINOR: return ann ? pa_put_u(out, max, b->os_minor) : 0;
    case PA_DF_BROWSER_WINDOWS_VERSION:
        return ann ? put_text(f, pa_browser_windows_version(b->os_major, b->os_minor), out, max) : 0;
    case PA_DF_BROWSER_SERVER_TYPE: return ann ? pa_put_u(out, max, b->server_type) : 0;
    case PA_DF_BROWSER_SERVER_TYPE_DOMAIN_CONTROLLER: return ann ? pa_put_bool(out, max, b->server_type & 8) : 0;
    case PA_DF_BROWSER_SERVER_TYPE_BROWSER_MASTER: return ann ? pa_put_bool(out, max, b->server_type & (1u << 18)) : 0;
    case PA_DF_BROWSER_PERIOD: return ann ? pa_put_u(out, max, b->period_ms) : 0;
    case PA_DF_BROWSER_ELECTION_CRITERIA: return b->has_election ? pa_put_u(out, max, b->election_criteria) : 0;
    default: return 0;
    }
}

size_t pa_nbdgm_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_packet *p = f->p;
    if (p->l4 != PA_P_UDP || p->is_fragment || (p->sport != 138 && p->dport != 138)) return 0;
    if (p->app != PA_P_NBDGM && p->app != PA_P_BROWSER && p->app != PA_P_SMB && p->app != PA_P_SMB_NETLOGON) return 0;
    pa_nbdgm_msg m;
    if (pa_nbdgm_parse(p->payload, p->payload_len, &m) == PA_NBDGM_NOT) return 0;
    switch (field) {
    case PA_DF_NBDGM: return pa_put_bool(out, max, true);
    case PA_DF_NBDGM_TYPE: return pa_put_u(out, max, m.type);
    case PA_DF_NBDGM_DGRAM_ID: return pa_put_u(out, max, m.id);
    case PA_DF_NBDGM_SRC_IP: return pa_put_addr(out, max, PA_FT_IPV4, m.src_ip, 4);
    case PA_DF_NBDGM_SRC_PORT: return pa_put_u(out, max, m.src_port);
    case PA_DF_NBDGM_SOURCE_NAME: return m.has_source ? put_text(f, m.source, out, max) : 0;
    case PA_DF_NBDGM_DESTINATION_NAME: return m.has_dest ? put_text(f, m.dest, out, max) : 0;
    case PA_DF_NBDGM_ERROR_CODE: return m.has_error ? pa_put_u(out, max, m.error_code) : 0;
    case PA_DF_MAILSLOT_NAME: return m.mailslot ? put_text(f, m.slot, out, max) : 0;
    case PA_DF_MAILSLOT_OPCODE: return m.mailslot ? pa_put_u(out, max, m.ms_opcode) : 0;
    case PA_DF_MAILSLOT_CLASS: return m.mailslot ? pa_put_u(out, max, m.ms_class) : 0;
    default: break;
    }
    return m.has_browser ? browser_field(f, &m.browser, field, out, max) : 0;
}
