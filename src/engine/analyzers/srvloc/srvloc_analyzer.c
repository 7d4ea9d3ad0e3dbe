/* Service Location Protocol hooks (srvloc_analyzer.h). */
#include "srvloc_analyzer.h"

#include <string.h>

/* On port 427 (either side), an SLP header agreeing with the datagram. */
static bool look(const pa_packet *p) {
    pa_srvloc_msg m;
    return pa_srvloc_parse(p->payload, p->payload_len, &m);
}

static const pa_app_look looks[] = {{PA_P_UDP, 427, PA_P_SRVLOC, look, NULL, false}, {0, 0, 0, NULL, NULL, false}};

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)ex;
    (void)sec;
    ((pa_srvloc_stats *)stats)->keep = keep;
}

static void service(pa_srvloc_stats *st, const pa_packet *p, uint8_t function, const pa_srvloc_url *u) {
    if (!u->url[0]) return;
    for (uint32_t i = 0; i < st->nservices; i++)
        if (strcmp(st->services[i].url, u->url) == 0) {
            st->services[i].seen++;
            st->services[i].lifetime = u->lifetime;
            return;
        }
    if (st->nservices == PA_SRVLOC_MAX_SERVICES) {
        st->services_dropped++;
        return;
    }
    pa_srvloc_service *s = &st->services[st->nservices++];
    memset(s, 0, sizeof *s);
    s->from = p->src;
    s->function = function;
    s->lifetime = u->lifetime;
    memcpy(s->url, u->url, sizeof s->url);
    s->seen = 1;
    s->first_frame = p->frame_no;
}

void pa_srvloc_message(pa_srvloc_stats *st, const pa_packet *p, const pa_srvloc_msg *m) {
    st->datagrams++;
    if (m->function < 12) st->functions[m->function]++;
    if (m->version == 2 && !m->body) st->bodies_malformed++;
    /* a deregistration names a service going away: not an announcement */
    if (!m->body || m->function == PA_SRVLOC_SRVDEREG) return;
    uint32_t n = m->nurls < PA_SRVLOC_URLS ? m->nurls : PA_SRVLOC_URLS;
    for (uint32_t i = 0; i < n; i++) service(st, p, m->function, &m->urls[i]);
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    (void)stream;
    pa_srvloc_stats *st = stats;
    if (p->l4 != PA_P_UDP || p->app != PA_P_SRVLOC || p->is_fragment) return;
    if (!pa_tx_counts(st->keep, p->frame_no)) return;
    pa_srvloc_msg m;
    if (!pa_srvloc_parse(p->payload, p->payload_len, &m)) return;
    if (env->frame) ((pa_srvloc_frame *)env->frame)->present = true;
    pa_srvloc_message(st, p, &m);
}

static void frame_reset(void *frame) { ((pa_srvloc_frame *)frame)->present = false; }
static bool frame_has(const void *frame) { return ((const pa_srvloc_frame *)frame)->present; }

static const pa_app_cap caps[] = {
    {"slp_services", PA_SRVLOC_MAX_SERVICES, offsetof(pa_srvloc_stats, services_dropped),
     "SLP service URLs beyond the cap: counted, not listed"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_srvloc = {
    .name = "srvloc",
    .proto = PA_P_SRVLOC,
    .looks = looks,
    .link = set_links,
    .packet = packet,
    .frame_size = sizeof(pa_srvloc_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_srvloc_field_values,
};
