/* LAN discovery in analyze_network_topology (tool_landisc.h). */
#include "tool_landisc.h"

#include <stdio.h>

static json_t *roles_json(uint32_t type, pa_buf *ln) {
    json_t *a = json_array();
    for (unsigned b = 0; b < 32; b++) {
        const char *s = pa_browser_server_type_name(b);
        if (!(type & (1u << b)) || !s) continue;
        json_array_append_new(a, json_string(s));
        pa_buf_printf(ln, "%s%s", json_array_size(a) == 1 ? "" : ", ", s);
    }
    return a;
}

void pa_landisc_summary(const pa_model *m, json_t *out, pa_buf *t) {
    const pa_nbdgm_stats *nb = &m->nbdgm;
    uint64_t ann = nb->commands[PA_BROWSER_HOST_ANNOUNCE] + nb->commands[PA_BROWSER_LOCAL_MASTER_ANNOUNCE] +
                   nb->commands[PA_BROWSER_DOMAIN_ANNOUNCE];
    json_object_set_new(out, "browser_announcements", json_integer((json_int_t)ann));
    json_object_set_new(out, "browser_elections_requests", json_integer((json_int_t)nb->commands[PA_BROWSER_ELECTION]));
    if (m->mndp.datagrams)
        pa_buf_printf(t, "MikroTik neighbour discovery: %llu datagrams, %u devices announced.\n",
                      (unsigned long long)m->mndp.datagrams, m->mndp.ndevices);
    const pa_srvloc_stats *sl = &m->srvloc;
    if (sl->datagrams)
        pa_buf_printf(t,
                      "Service Location Protocol: %llu messages (%llu service requests, %llu replies, %llu "
                      "registrations, %llu directory agent adverts), %u services announced.\n",
                      (unsigned long long)sl->datagrams, (unsigned long long)sl->functions[PA_SRVLOC_SRVRQST],
                      (unsigned long long)sl->functions[PA_SRVLOC_SRVRPLY],
                      (unsigned long long)sl->functions[PA_SRVLOC_SRVREG],
                      (unsigned long long)sl->functions[PA_SRVLOC_DAADVERT], sl->nservices);
    if (nb->datagrams || m->db_lsp_disc.datagrams)
        pa_buf_printf(t,
                      "LAN discovery: %llu NetBIOS datagrams (%llu browser announcements from %u hosts, %u "
                      "workgroups, %llu election requests), %llu Dropbox LAN sync announcements from %u clients.\n",
                      (unsigned long long)nb->datagrams, (unsigned long long)ann, nb->nhosts, nb->nworkgroups,
                      (unsigned long long)nb->commands[PA_BROWSER_ELECTION],
                      (unsigned long long)m->db_lsp_disc.announcements, m->db_lsp_disc.nclients);
}

static void host_row(pa_rows *rows, const pa_browser_host *h) {
    char as[64], ver[16];
    pa_addr_str(&h->key.addr, as, sizeof as);
    snprintf(ver, sizeof ver, "%u.%u", h->os_major, h->os_minor);
    const char *win = pa_browser_windows_version(h->os_major, h->os_minor);
    pa_buf *ln = pa_rows_line(rows);
    pa_buf_printf(ln, "  %s %s in %s: OS %s%s%s%s, ", as, h->key.name, h->workgroup, ver, *win ? " (" : "", win,
                  *win ? ")" : "");
    json_t *roles = roles_json(h->server_type, ln);
    pa_buf_printf(ln, "%s%s%s; %u announcements, frames %llu-%llu\n", h->local_master ? "; local master" : "",
                  h->comment[0] ? "; comment " : "", h->comment, h->announcements,
                  (unsigned long long)h->key.first_frame, (unsigned long long)h->last_frame);
    pa_rows_push(rows, json_pack("{s:o, s:s, s:s, s:s, s:s, s:I, s:o, s:s, s:b, s:I, s:I, s:I}", "address",
                                 pa_json_addr(&h->key.addr), "name", h->key.name, "workgroup", h->workgroup,
                                 "os_version", ver, "windows_version", win, "server_type", (json_int_t)h->server_type,
                                 "roles", roles, "comment", h->comment, "local_master", h->local_master,
                                 "announcements", (json_int_t)h->announcements, "first_frame",
                                 (json_int_t)h->key.first_frame, "last_frame", (json_int_t)h->last_frame));
}

static void workgroup_row(pa_rows *rows, const pa_browser_workgroup *w) {
    char as[64];
    pa_addr_str(&w->announcer, as, sizeof as);
    pa_buf_printf(pa_rows_line(rows), "  %s: master browser %s (announced by %s), %u announcements, from frame %llu\n",
                  w->key.name, w->master, as, w->announcements, (unsigned long long)w->key.first_frame);
    pa_rows_push(rows, json_pack("{s:s, s:s, s:o, s:I, s:I}", "name", w->key.name, "master_browser", w->master,
                                 "announcer", pa_json_addr(&w->announcer), "announcements",
                                 (json_int_t)w->announcements, "first_frame", (json_int_t)w->key.first_frame));
}

static void candidate_row(pa_rows *rows, const pa_browser_candidate *c) {
    char as[64];
    pa_addr_str(&c->key.addr, as, sizeof as);
    pa_buf_printf(pa_rows_line(rows), "  %s %s: %u election requests, criteria 0x%08x, from frame %llu\n", as,
                  c->key.name, c->requests, c->criteria, (unsigned long long)c->key.first_frame);
    pa_rows_push(rows, json_pack("{s:o, s:s, s:I, s:I, s:I}", "address", pa_json_addr(&c->key.addr), "name",
                                 c->key.name, "criteria", (json_int_t)c->criteria, "requests", (json_int_t)c->requests,
                                 "first_frame", (json_int_t)c->key.first_frame));
}

static void dropbox_row(pa_rows *rows, const pa_db_lsp_disc_client *c) {
    char as[64], ver[24];
    pa_addr_str(&c->addr, as, sizeof as);
    snprintf(ver, sizeof ver, "%u.%u", c->version[0], c->version[1]);
    pa_buf_printf(pa_rows_line(rows),
                  "  %s host_int %s, version %s, LAN sync port %u, %u namespaces%s%s; %u announcements, from frame "
                  "%llu\n",
                  as, c->host_int, ver, c->port, c->namespaces, c->displayname[0] ? ", name " : "", c->displayname,
                  c->announcements, (unsigned long long)c->first_frame);
    pa_rows_push(rows, json_pack("{s:o, s:s, s:s, s:I, s:s, s:I, s:I, s:I}", "address", pa_json_addr(&c->addr),
                                 "host_int", c->host_int, "version", ver, "port", (json_int_t)c->port, "displayname",
                                 c->displayname, "namespaces", (json_int_t)c->namespaces, "announcements",
                                 (json_int_t)c->announcements, "first_frame", (json_int_t)c->first_frame));
}

static void mndp_row(pa_rows *rows, const pa_mndp_device *d) {
    char as[64], mac[24] = "";
    const pa_mndp_msg *m = &d->last;
    pa_addr_str(&d->addr, as, sizeof as);
    if (m->has_mac)
        snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", m->mac[0], m->mac[1], m->mac[2], m->mac[3],
                 m->mac[4], m->mac[5]);
    pa_buf_printf(pa_rows_line(rows),
                  "  %s %s \"%s\": %s %s, board %s, interface %s, up %u s; %u announcements, from frame %llu\n", as,
                  mac, m->identity, m->platform, m->version, m->board, m->ifname, m->uptime, d->announcements,
                  (unsigned long long)d->first_frame);
    pa_rows_push(rows,
                 json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "address", pa_json_addr(&d->addr),
                           "mac", mac, "identity", m->identity, "version", m->version, "platform", m->platform, "board",
                           m->board, "interface", m->ifname, "uptime", (json_int_t)m->uptime, "announcements",
                           (json_int_t)d->announcements, "first_frame", (json_int_t)d->first_frame));
}

static void slp_row(pa_rows *rows, const pa_srvloc_service *s) {
    char as[64];
    const char *fn = pa_srvloc_function_name(s->function);
    pa_addr_str(&s->from, as, sizeof as);
    pa_buf *ln = pa_rows_line(rows);
    pa_buf_printf(ln, "  %s (%s from %s)", s->url, fn, as);
    /* an agent's advertisement has no URL entry, hence no lifetime */
    if (s->function != PA_SRVLOC_DAADVERT && s->function != PA_SRVLOC_SAADVERT)
        pa_buf_printf(ln, ", lifetime %u s", s->lifetime);
    pa_buf_printf(ln, "; seen %u times, from frame %llu\n", s->seen, (unsigned long long)s->first_frame);
    pa_rows_push(rows, json_pack("{s:o, s:s, s:s, s:I, s:I, s:I}", "address", pa_json_addr(&s->from), "url", s->url,
                                 "message", fn, "lifetime", (json_int_t)s->lifetime, "seen", (json_int_t)s->seen,
                                 "first_frame", (json_int_t)s->first_frame));
}

void pa_landisc_lists(const pa_model *m, pa_report *rep, pa_buf *t, json_t *out, size_t listed) {
    const pa_nbdgm_stats *nb = &m->nbdgm;
    const pa_db_lsp_disc_stats *db = &m->db_lsp_disc;
    pa_rows rows;
    size_t w = nb->nhosts < listed ? nb->nhosts : listed;
    if (w) pa_buf_puts(t, "Hosts announcing themselves (Windows Browser protocol): name, workgroup, OS, roles:\n");
    pa_rows_begin(&rows, rep, "browser_hosts", 0, w, nb->nhosts, false);
    for (size_t i = 0; i < w && !rows.cut; i++) host_row(&rows, &nb->hosts[i]);
    pa_rows_end(&rows, out, "browser_hosts", NULL);
    w = nb->nworkgroups < listed ? nb->nworkgroups : listed;
    if (w) pa_buf_puts(t, "Workgroups and domains (their master browsers' announcements):\n");
    pa_rows_begin(&rows, rep, "workgroups", 0, w, nb->nworkgroups, false);
    for (size_t i = 0; i < w && !rows.cut; i++) workgroup_row(&rows, &nb->workgroups[i]);
    pa_rows_end(&rows, out, "workgroups", NULL);
    w = nb->ncandidates < listed ? nb->ncandidates : listed;
    if (w) pa_buf_puts(t, "Browser elections (hosts standing to be master browser):\n");
    pa_rows_begin(&rows, rep, "browser_elections", 0, w, nb->ncandidates, false);
    for (size_t i = 0; i < w && !rows.cut; i++) candidate_row(&rows, &nb->candidates[i]);
    pa_rows_end(&rows, out, "browser_elections", NULL);
    w = db->nclients < listed ? db->nclients : listed;
    if (w) pa_buf_puts(t, "Dropbox LAN sync clients (discovery broadcasts on UDP 17500):\n");
    pa_rows_begin(&rows, rep, "dropbox_lan_sync", 0, w, db->nclients, false);
    for (size_t i = 0; i < w && !rows.cut; i++) dropbox_row(&rows, &db->clients[i]);
    pa_rows_end(&rows, out, "dropbox_lan_sync", NULL);
    const pa_mndp_stats *mn = &m->mndp;
    w = mn->ndevices < listed ? mn->ndevices : listed;
    if (w) pa_buf_puts(t, "MikroTik neighbours (MNDP on UDP 5678): identity, platform and version, board:\n");
    pa_rows_begin(&rows, rep, "mikrotik_neighbours", 0, w, mn->ndevices, false);
    for (size_t i = 0; i < w && !rows.cut; i++) mndp_row(&rows, &mn->devices[i]);
    pa_rows_end(&rows, out, "mikrotik_neighbours", NULL);
    const pa_srvloc_stats *sl = &m->srvloc;
    w = sl->nservices < listed ? sl->nservices : listed;
    if (w) pa_buf_puts(t, "SLP services (URLs in replies, registrations and agent adverts on UDP 427):\n");
    pa_rows_begin(&rows, rep, "slp_services", 0, w, sl->nservices, false);
    for (size_t i = 0; i < w && !rows.cut; i++) slp_row(&rows, &sl->services[i]);
    pa_rows_end(&rows, out, "slp_services", NULL);
}
