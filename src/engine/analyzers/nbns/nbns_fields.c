/* Values of the nbns.* display-filter fields (nbns_fields.def) in a frame:
 * the datagram named NBNS parsed again, as Wireshark's dissector reads it. */
#include <stdio.h>

#include "nbns_analyzer.h"

/* A name as Wireshark gives it: a question's "NAME<1d>", a record's
 * "NAME<1d> (Master Browser backup)" (a node status record's without). */
static size_t name_value(pa_field_frame *f, const pa_nbns_rr *r, pa_dvalue *out, size_t max) {
    if (f->nnames >= PA_FIELD_NAMES) return 0;
    char *slot = f->names[f->bank][f->nnames++];
    if (r->section && r->suffix >= 0 && r->type != 0x21)
        snprintf(slot, sizeof f->names[0][0], "%s (%s)", r->name, pa_nbns_suffix_name((unsigned)r->suffix));
    else
        snprintf(slot, sizeof f->names[0][0], "%s", r->name);
    return pa_put_str(out, max, slot);
}

static size_t record(pa_field_frame *f, const pa_nbns_rr *r, pa_dfield field, pa_dvalue *out, size_t max) {
    size_t n = 0;
    switch (field) {
    case PA_DF_NBNS_NAME: return name_value(f, r, out, max);
    case PA_DF_NBNS_TYPE: return pa_put_u(out, max, r->type);
    case PA_DF_NBNS_CLASS: return pa_put_u(out, max, r->cls);
    case PA_DF_NBNS_TTL: return r->section ? pa_put_u(out, max, r->ttl) : 0;
    case PA_DF_NBNS_NB_FLAGS_GROUP:
        for (uint8_t i = 0; i < r->naddrs && n < max; i++) n += pa_put_bool(out + n, max - n, r->nb_flags[i] & 0x8000);
        return n;
    case PA_DF_NBNS_ADDR:
        for (uint8_t i = 0; i < r->naddrs && n < max; i++)
            n += pa_put_addr(out + n, max - n, PA_FT_IPV4, r->addrs[i], 4);
        return n;
    default: return 0;
    }
}

size_t pa_nbns_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_packet *p = f->p;
    if (p->app != PA_P_NBNS || p->l4 != PA_P_UDP || p->is_fragment || p->payload_len < 12) return 0;
    pa_nbns_msg m;
    (void)pa_nbns_parse(p->payload, p->payload_len, &m);
    switch (field) {
    case PA_DF_NBNS: return pa_put_bool(out, max, true);
    case PA_DF_NBNS_ID: return pa_put_u(out, max, m.id);
    case PA_DF_NBNS_FLAGS: return pa_put_u(out, max, m.flags);
    case PA_DF_NBNS_FLAGS_RESPONSE: return pa_put_bool(out, max, m.response);
    case PA_DF_NBNS_FLAGS_OPCODE: return pa_put_u(out, max, m.opcode);
    case PA_DF_NBNS_FLAGS_BROADCAST: return pa_put_bool(out, max, m.broadcast);
    case PA_DF_NBNS_FLAGS_RCODE: return m.response && m.opcode != PA_NBNS_WACK ? pa_put_u(out, max, m.rcode) : 0;
    case PA_DF_NBNS_COUNT_QUERIES: return pa_put_u(out, max, m.qdcount);
    case PA_DF_NBNS_COUNT_ANSWERS: return pa_put_u(out, max, m.ancount);
    case PA_DF_NBNS_COUNT_AUTH_RR: return pa_put_u(out, max, m.nscount);
    case PA_DF_NBNS_COUNT_ADD_RR: return pa_put_u(out, max, m.arcount);
    default: break;
    }
    size_t n = 0;
    for (uint8_t i = 0; i < m.nrr && n < max; i++) n += record(f, &m.rr[i], field, out + n, max - n);
    return n;
}
