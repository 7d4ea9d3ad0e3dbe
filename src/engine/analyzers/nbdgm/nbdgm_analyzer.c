/* NBDGM hooks: datagrams on UDP 138 that parse as NetBIOS datagrams are
 * named as tshark's last protocol for them, counted, and their browser
 * announcements kept (nbdgm_analyzer.h). */
#include "nbdgm_analyzer.h"

#include <stdio.h>
#include <string.h>

uint8_t pa_nbdgm_name(const uint8_t *p, size_t n) {
    pa_nbdgm_msg m;
    if (pa_nbdgm_parse(p, n, &m) == PA_NBDGM_NOT) return PA_P_NONE;
    switch (m.layer) {
    case PA_NBDGM_LAYER_BROWSER: return PA_P_BROWSER;
    case PA_NBDGM_LAYER_NETLOGON: return PA_P_SMB_NETLOGON;
    case PA_NBDGM_LAYER_SMB: return PA_P_SMB;
    default: return PA_P_NBDGM;
    }
}

/* One look per name tshark may give, each taking the datagrams whose
 * deepest layer is its protocol (a datagram with a type of RFC 1002 4.4.1
 * and the header of that type, on port 138). */
static bool look_browser(const pa_packet *p) { return pa_nbdgm_name(p->payload, p->payload_len) == PA_P_BROWSER; }
static bool look_netlogon(const pa_packet *p) { return pa_nbdgm_name(p->payload, p->payload_len) == PA_P_SMB_NETLOGON; }
static bool look_smb(const pa_packet *p) { return pa_nbdgm_name(p->payload, p->payload_len) == PA_P_SMB; }
static bool look_nbdgm(const pa_packet *p) { return pa_nbdgm_name(p->payload, p->payload_len) == PA_P_NBDGM; }

static const pa_app_look looks[] = {
    {PA_P_UDP, 138, PA_P_BROWSER, look_browser, NULL, false},
    {PA_P_UDP, 138, PA_P_SMB_NETLOGON, look_netlogon, NULL, false},
    {PA_P_UDP, 138, PA_P_SMB, look_smb, NULL, false},
    {PA_P_UDP, 138, PA_P_NBDGM, look_nbdgm, NULL, false},
    {0, 0, 0, NULL, NULL, false},
};

static bool served(unsigned app) {
    return app == PA_P_NBDGM || app == PA_P_BROWSER || app == PA_P_SMB_NETLOGON || app == PA_P_SMB;
}

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)ex;
    pa_nbdgm_stats *st = stats;
    st->local = sec ? &sec->names : NULL;
    st->keep = keep;
}

static bool same_addr(const pa_addr *a, const pa_addr *b) {
    return a->family == b->family && memcmp(a->b, b->b, a->family == 4 ? 4 : 16) == 0;
}

/* "WORKGROUP<1d>" without its type: the workgroup a host announces to. */
static void strip_type(const char *name, char *out, size_t outlen) {
    snprintf(out, outlen, "%s", name);
    char *lt = strrchr(out, '<');
    if (lt && strlen(lt) == 4 && lt[3] == '>') *lt = '\0';
}

/* The row of (addr, name) in a table of *n rows of `size` bytes, each
 * starting with its key (addr NULL: found by the name alone), added with
 * its key when missing; NULL when the table is full (counted in *dropped). */
static void *row(void *rows, size_t size, uint32_t *n, uint32_t cap, uint64_t *dropped, const pa_addr *addr,
                 const char *name, uint64_t frame) {
    for (uint32_t i = 0; i < *n; i++) {
        pa_browser_key *k = (pa_browser_key *)((char *)rows + (size_t)i * size);
        if ((!addr || same_addr(&k->addr, addr)) && strcmp(k->name, name) == 0) return k;
    }
    if (*n == cap) {
        (*dropped)++;
        return NULL;
    }
    pa_browser_key *k = (pa_browser_key *)((char *)rows + (size_t)(*n)++ * size);
    memset(k, 0, size);
    if (addr) k->addr = *addr;
    snprintf(k->name, sizeof k->name, "%s", name);
    k->first_frame = frame;
    return k;
}

static void host_announce(pa_nbdgm_stats *st, const pa_packet *p, const pa_nbdgm_msg *m) {
    const pa_browser_msg *b = &m->browser;
    pa_browser_host *h =
        row(st->hosts, sizeof *h, &st->nhosts, PA_NBDGM_MAX_HOSTS, &st->hosts_dropped, &p->src, b->server, p->frame_no);
    if (!h) return;
    if (m->has_dest) strip_type(m->dest, h->workgroup, sizeof h->workgroup);
    memcpy(h->comment, b->comment, sizeof h->comment);
    h->os_major = b->os_major;
    h->os_minor = b->os_minor;
    h->server_type = b->server_type;
    h->local_master |= b->command == PA_BROWSER_LOCAL_MASTER_ANNOUNCE;
    h->announcements++;
    h->last_frame = p->frame_no;
    if (st->local) {
        char text[PA_BROWSER_TEXT + PA_NBDGM_NAME + 4];
        snprintf(text, sizeof text, "%s (%s)", b->server, h->workgroup);
        pa_names_announce(st->local, &p->src, PA_ANN_BROWSER, text, strnlen(text, PA_NAMES_TEXT - 1), p->frame_no);
    }
}

static void workgroup_announce(pa_nbdgm_stats *st, const pa_packet *p, const pa_browser_msg *b) {
    pa_browser_workgroup *w = row(st->workgroups, sizeof *w, &st->nworkgroups, PA_NBDGM_MAX_WORKGROUPS,
                                  &st->workgroups_dropped, NULL, b->server, p->frame_no);
    if (!w) return;
    memcpy(w->master, b->comment, sizeof w->master);
    w->announcer = p->src;
    w->server_type = b->server_type;
    w->announcements++;
}

static void election(pa_nbdgm_stats *st, const pa_packet *p, const pa_browser_msg *b) {
    pa_browser_candidate *c = row(st->candidates, sizeof *c, &st->ncandidates, PA_NBDGM_MAX_ELECTIONS,
                                  &st->candidates_dropped, &p->src, b->server, p->frame_no);
    if (!c) return;
    c->criteria = b->election_criteria;
    c->requests++;
}

void pa_nbdgm_message(pa_nbdgm_stats *st, const pa_packet *p, const pa_nbdgm_msg *m, pa_nbdgm_status s) {
    st->datagrams++;
    st->by_type[m->type - PA_NBDGM_DIRECT_UNIQUE]++;
    if (s == PA_NBDGM_TRUNCATED) st->malformed++;
    st->smb += m->smb;
    st->mailslot_writes += m->mailslot;
    st->netlogon += m->layer == PA_NBDGM_LAYER_NETLOGON;
    if (!m->has_browser) return;
    const pa_browser_msg *b = &m->browser;
    st->browser++;
    st->commands[b->command & 15]++;
    if (b->has_announce && b->command == PA_BROWSER_DOMAIN_ANNOUNCE)
        workgroup_announce(st, p, b);
    else if (b->has_announce && b->server[0])
        host_announce(st, p, m);
    else if (b->has_election)
        election(st, p, b);
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    (void)stream;
    pa_nbdgm_stats *st = stats;
    if (p->l4 != PA_P_UDP || !served(p->app) || !p->payload_len || (p->sport != 138 && p->dport != 138)) return;
    if (!pa_tx_counts(st->keep, p->frame_no)) return; /* with a display filter, only its frames */
    pa_nbdgm_msg m;
    pa_nbdgm_status s = pa_nbdgm_parse(p->payload, p->payload_len, &m);
    if (s == PA_NBDGM_NOT) return;
    if (env->frame) ((pa_nbdgm_frame *)env->frame)->present = true;
    pa_nbdgm_message(st, p, &m, s);
}

static void frame_reset(void *frame) { ((pa_nbdgm_frame *)frame)->present = false; }
static bool frame_has(const void *frame) { return ((const pa_nbdgm_frame *)frame)->present; }

static const pa_app_cap caps[] = {
    {"browser_hosts", PA_NBDGM_MAX_HOSTS, offsetof(pa_nbdgm_stats, hosts_dropped),
     "browser host announcements from hosts beyond the cap: counted, the hosts not listed"},
    {"browser_workgroups", PA_NBDGM_MAX_WORKGROUPS, offsetof(pa_nbdgm_stats, workgroups_dropped),
     "workgroup announcements of workgroups beyond the cap: counted, the workgroups not listed"},
    {"browser_election_candidates", PA_NBDGM_MAX_ELECTIONS, offsetof(pa_nbdgm_stats, candidates_dropped),
     "election requests from candidates beyond the cap: counted, the candidates not listed"},
    {NULL, 0, 0, NULL},
};

/* the mailslot header between SMB and the browser message: tshark shows it
 * and names no frame by it */
static const char *const field_protocols[] = {"mailslot", NULL};

const pa_analyzer pa_analyzer_nbdgm = {
    .name = "nbdgm",
    .proto = PA_P_NBDGM,
    .looks = looks,
    .link = set_links,
    .packet = packet,
    .frame_size = sizeof(pa_nbdgm_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_protocols = field_protocols,
    .field_values = pa_nbdgm_field_values,
};
