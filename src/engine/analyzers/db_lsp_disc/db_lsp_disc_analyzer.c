/* Dropbox LAN sync discovery hooks (db_lsp_disc_analyzer.h). */
#include "db_lsp_disc_analyzer.h"

#include <stdio.h>
#include <string.h>

/* On port 17500 (either side: a client answers from another port too),
 * the bytes must be a Dropbox announcement or a CoAP message. */
static bool look(const pa_packet *p) {
    pa_db_lsp_disc_msg m;
    return pa_db_lsp_disc_parse(p->payload, p->payload_len, &m) != PA_DB_LSP_DISC_NOT;
}

static const pa_app_look looks[] = {{PA_P_UDP, 17500, PA_P_DB_LSP_DISC, look, NULL, false},
                                    {0, 0, 0, NULL, NULL, false}};

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)ex;
    pa_db_lsp_disc_stats *st = stats;
    st->local = sec ? &sec->names : NULL;
    st->keep = keep;
}

static bool same_addr(const pa_addr *a, const pa_addr *b) {
    return a->family == b->family && memcmp(a->b, b->b, a->family == 4 ? 4 : 16) == 0;
}

void pa_db_lsp_disc_message(pa_db_lsp_disc_stats *st, const pa_packet *p, pa_db_lsp_disc_kind kind,
                            const pa_db_lsp_disc_msg *m) {
    st->datagrams++;
    if (kind == PA_DB_LSP_DISC_COAP) st->coap++;
    if (kind != PA_DB_LSP_DISC_ANNOUNCE) return;
    st->announcements++;
    pa_db_lsp_disc_client *c = NULL;
    for (uint32_t i = 0; i < st->nclients && !c; i++)
        if (same_addr(&st->clients[i].addr, &p->src) && strcmp(st->clients[i].host_int, m->host_int) == 0)
            c = &st->clients[i];
    if (!c) {
        if (st->nclients == PA_DB_LSP_DISC_MAX_CLIENTS) {
            st->clients_dropped++;
            return;
        }
        c = &st->clients[st->nclients++];
        memset(c, 0, sizeof *c);
        c->addr = p->src;
        memcpy(c->host_int, m->host_int, sizeof c->host_int);
        c->first_frame = p->frame_no;
    }
    memcpy(c->displayname, m->displayname, sizeof c->displayname);
    c->version[0] = m->version[0];
    c->version[1] = m->version[1];
    c->port = m->port;
    c->namespaces = m->nnamespaces;
    c->announcements++;
    c->last_frame = p->frame_no;
    if (st->local) {
        char text[PA_DB_LSP_DISC_TEXT + 32];
        snprintf(text, sizeof text, "host_int %s, port %u", m->host_int, (unsigned)m->port);
        pa_names_announce(st->local, &p->src, PA_ANN_DBLSP, text, strlen(text), p->frame_no);
    }
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    (void)stream;
    pa_db_lsp_disc_stats *st = stats;
    if (p->l4 != PA_P_UDP || p->app != PA_P_DB_LSP_DISC || !p->payload_len) return;
    if (!pa_tx_counts(st->keep, p->frame_no)) return;
    pa_db_lsp_disc_msg m;
    pa_db_lsp_disc_kind kind = pa_db_lsp_disc_parse(p->payload, p->payload_len, &m);
    if (kind == PA_DB_LSP_DISC_NOT) return;
    if (env->frame) ((pa_db_lsp_disc_frame *)env->frame)->present = true;
    pa_db_lsp_disc_message(st, p, kind, &m);
}

static void frame_reset(void *frame) { ((pa_db_lsp_disc_frame *)frame)->present = false; }
static bool frame_has(const void *frame) { return ((const pa_db_lsp_disc_frame *)frame)->present; }

static const pa_app_cap caps[] = {
    {"dropbox_lan_sync_clients", PA_DB_LSP_DISC_MAX_CLIENTS, offsetof(pa_db_lsp_disc_stats, clients_dropped),
     "Dropbox LAN sync announcements from clients beyond the cap: counted, the clients not listed"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_db_lsp_disc = {
    .name = "db_lsp_disc",
    .proto = PA_P_DB_LSP_DISC,
    .looks = looks,
    .link = set_links,
    .packet = packet,
    .frame_size = sizeof(pa_db_lsp_disc_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_db_lsp_disc_field_values,
};
