/* NBNS hooks: datagrams named NBNS (UDP 137, a DNS-like header with an
 * NBNS opcode) are parsed; queries, responses, registrations and refreshes
 * give the local names (names_track.h). */
#include "nbns_analyzer.h"

#include <stddef.h>
#include <string.h>

#include "cursor.h"

/* RFC 1002 4.2: DNS's header with NBNS's opcodes (query, registration,
 * release, WACK, refresh) on port 137. */
static bool look(const pa_packet *p) {
    pa_cur c = pa_cur_make(p->payload, p->payload_len);
    uint8_t flags;
    return p->payload_len >= 12 && pa_cur_peek_u8(&c, 2, &flags) && pa_nbns_opcode_known((flags >> 3) & 0xF);
}

static const pa_app_look looks[] = {{PA_P_UDP, 137, PA_P_NBNS, look, NULL, false}, {0, 0, 0, NULL, NULL, false}};

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)ex;
    pa_nbns_stats *st = stats;
    st->local = sec ? &sec->names : NULL;
    st->keep = keep;
}

static void count(pa_nbns_stats *st, const pa_nbns_msg *m) {
    st->messages++;
    switch (m->opcode) {
    case PA_NBNS_QUERY: st->queries++; break;
    case PA_NBNS_REGISTRATION: st->registrations++; break;
    case PA_NBNS_RELEASE: st->releases++; break;
    case PA_NBNS_WACK: st->wacks++; break;
    case PA_NBNS_REFRESH:
    case 9: st->refreshes++; break;
    default: st->other_opcodes++; break;
    }
    if (m->response && m->opcode != PA_NBNS_WACK) *(m->rcode ? &st->negative : &st->positive) += 1;
}

/* The names of one message: a query's questions are asked; a positive
 * response's records, and a registration's or refresh's records, are the
 * sender's claims, with their addresses. */
static void names(pa_names *t, const pa_packet *p, const pa_nbns_msg *m) {
    bool claim = !m->response && (m->opcode == PA_NBNS_REGISTRATION || m->opcode == PA_NBNS_REFRESH || m->opcode == 9);
    bool answer = m->response && m->opcode == PA_NBNS_QUERY && m->rcode == 0;
    for (uint8_t i = 0; i < m->nrr; i++) {
        const pa_nbns_rr *r = &m->rr[i];
        if (r->suffix < 0) continue;
        size_t len = strnlen(r->name, sizeof r->name);
        if (r->section == 0) {
            if (!m->response && m->opcode == PA_NBNS_QUERY)
                pa_names_query(t, PA_NAME_NBNS, r->name, len, &p->src, p->frame_no);
            continue;
        }
        if (r->type != 0x20 || !(claim || answer)) continue;
        bool group = r->naddrs && (r->nb_flags[0] & 0x8000);
        if (!r->naddrs) pa_names_answer(t, PA_NAME_NBNS, r->name, len, &p->src, NULL, group, answer, p->frame_no);
        for (uint8_t k = 0; k < r->naddrs; k++) {
            pa_addr a = {.family = 4};
            memcpy(a.b, r->addrs[k], 4);
            pa_names_answer(t, PA_NAME_NBNS, r->name, len, &p->src, &a, group, answer, p->frame_no);
        }
        pa_names_announce(t, &p->src, PA_ANN_NBNS, r->name, len, p->frame_no);
    }
}

void pa_nbns_message(pa_nbns_stats *st, const pa_packet *p, const pa_nbns_msg *m, pa_nbns_status s) {
    count(st, m);
    if (s != PA_NBNS_OK) st->malformed++;
    if (st->local) names(st->local, p, m);
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    (void)stream;
    pa_nbns_stats *st = stats;
    if (p->l4 != PA_P_UDP || p->app != PA_P_NBNS || !p->payload_len) return;
    if (!pa_tx_counts(st->keep, p->frame_no)) return; /* with a display filter, only its frames */
    pa_nbns_msg m;
    pa_nbns_status s = pa_nbns_parse(p->payload, p->payload_len, &m);
    if (s == PA_NBNS_SHORT) return;
    if (env->frame) ((pa_nbns_frame *)env->frame)->present = true;
    pa_nbns_message(st, p, &m, s);
}

static void frame_reset(void *frame) { ((pa_nbns_frame *)frame)->present = false; }
static bool frame_has(const void *frame) { return ((const pa_nbns_frame *)frame)->present; }

const pa_analyzer pa_analyzer_nbns = {
    .name = "nbns",
    .proto = PA_P_NBNS,
    .looks = looks,
    .link = set_links,
    .packet = packet,
    .frame_size = sizeof(pa_nbns_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .field_values = pa_nbns_field_values,
};
