/* TLS hooks: flows named TLS from their first record, and flows of other
 * protocols (but HTTP) that turn to TLS with a ClientHello (STARTTLS). */
#include "tls_analyzer.h"

#include <stddef.h>
#include <stdio.h>

/* A TLS record header: content type 20-24, version 3.x (x <= 4); or an
 * SSL 2.0-format ClientHello (length with the top bit set, message type 1,
 * version 2.0 to TLS 1.2), as old clients still open with. */
static bool look(const pa_packet *p) {
    const uint8_t *d = p->payload;
    if (p->l4 != PA_P_TCP || p->payload_len < 5) return false;
    if (d[0] >= 20 && d[0] <= 24 && d[1] == 3 && d[2] <= 4) return true;
    uint16_t len = (uint16_t)((d[0] & 0x7F) << 8 | d[1]), version = (uint16_t)(d[3] << 8 | d[4]);
    return (d[0] & 0x80) && len >= 9 && d[2] == 1 && (version == 0x0002 || (version >= 0x0300 && version <= 0x0303));
}

/* on any port, and its usual ports (for the evidence of protocols found
 * off their ports) */
static const pa_app_look looks[] = {{PA_P_TCP, 0, PA_P_TLS, look, NULL, false},
                                    {PA_P_TCP, 443, PA_P_TLS, look, NULL, false},
                                    {PA_P_TCP, 465, PA_P_TLS, look, NULL, false},
                                    {PA_P_TCP, 636, PA_P_TLS, look, NULL, false},
                                    {PA_P_TCP, 853, PA_P_TLS, look, NULL, false},
                                    {PA_P_TCP, 993, PA_P_TLS, look, NULL, false},
                                    {PA_P_TCP, 995, PA_P_TLS, look, NULL, false},
                                    {PA_P_TCP, 8443, PA_P_TLS, look, NULL, false},
                                    {0, 0, 0, NULL, NULL, false}};

/* Facts of the frame being folded (events about other frames come from a
 * flush at the end and are not the frame's). */
static void on_record_event(void *ud, uint64_t frame, pa_tls_event ev, uint32_t value, const char *text) {
    pa_app_env *env = ud;
    /* the TLS dissector runs on a segment where a record starts or ends (in
     * one pass tshark adds tls to the first segment of a record it then
     * reassembles): that is a frame of tls in the hierarchy */
    if (ev == PA_TLS_EV_RECORD || ev == PA_TLS_EV_RECORD_START) env->pdus++;
    pa_tls_frame *t = env->frame;
    if (!t || frame != env->frame_no) return;
    switch (ev) {
    case PA_TLS_EV_RECORD:
        if (t->nrec < 16) t->rec_version[t->nrec++] = (uint16_t)value;
        break;
    case PA_TLS_EV_HANDSHAKE:
        if (t->nhs < 16) t->hs_type[t->nhs++] = (uint8_t)value;
        break;
    case PA_TLS_EV_HELLO_VERSION:
        if (t->nhv < 4) t->hello_version[t->nhv++] = (uint16_t)value;
        break;
    case PA_TLS_EV_SNI:
        t->has_sni = true;
        snprintf(t->sni, sizeof t->sni, "%s", text);
        break;
    case PA_TLS_EV_CIPHER:
        if (t->ncs < 128) t->cs[t->ncs++] = (uint16_t)value;
        break;
    case PA_TLS_EV_ALERT:
        if (t->nalert < 8) t->alert[t->nalert++] = value;
        break;
    case PA_TLS_EV_RECORD_START: break;
    }
}

static void on_conn(void *ud, const pa_tls_conn *c) {
    pa_app_env *env = ud;
    env->on_event(env->on_event_ud, PA_AN_tls, c);
}

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)sec;
    pa_tls_stats *st = stats;
    st->ex = ex;
    st->keep = keep;
}

static void bind_env(void *stats, pa_app_env *env) {
    pa_tls_stats *st = stats;
    st->on_conn = env && env->on_event ? on_conn : NULL;
    st->on_conn_ud = env;
    st->on_event = env ? on_record_event : NULL;
    st->on_event_ud = env;
}

static bool upgrade(const uint8_t *d, size_t n) { return pa_tls_starts_handshake(d, n); }

static void segment(void *stats, pa_app_env *env, void **state, const pa_app_segment *s) {
    (void)env;
    /* an HTTP connection's bytes are HTTP's (a CONNECT tunnel's TLS is not
     * followed); a segment without payload matters only when it resets */
    if (s->app == PA_P_HTTP || (!s->p->payload_len && !(s->p->tcp.flags & PA_TCP_RST))) return;
    pa_tls_flow *t = *state;
    /* TLS from the first payload starts where TCP analysis says; one that
     * starts later starts at its next segment in each direction */
    pa_tls_segment(stats, &t, s->p, s->from, s->app == PA_P_TLS ? s->tcp : NULL, s->stream);
    *state = t;
}

static void flow_finish(void *stats, void *state) { pa_tls_finish_flow(stats, state); }
static void flow_free(void *state) { pa_tls_free_flow(state); }
static bool flow_holds_data(const void *state) { return pa_tls_holds_data(state); }
static void finish(void *stats) { pa_tls_finish(stats); }
static void free_stats(void *stats) { pa_tls_stats_free(stats); }

static void frame_reset(void *frame) {
    pa_tls_frame *t = frame;
    t->nrec = t->nhs = t->nhv = t->nalert = 0;
    t->ncs = 0;
    t->has_sni = false;
}

static bool frame_has(const void *frame) { return ((const pa_tls_frame *)frame)->nrec > 0; }

static const pa_app_cap caps[] = {
    {"tls_connections_listed", PA_TLS_MAX_CONNS, offsetof(pa_tls_stats, conns_dropped),
     "TLS connections beyond the cap: counted, not listed"},
    {"tls_certificates", PA_TLS_MAX_CERTS, offsetof(pa_tls_stats, certs_dropped),
     "certificates beyond the cap of distinct certificates: not examined"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_tls = {
    .name = "tls",
    .proto = PA_P_TLS,
    .looks = looks,
    .pdu_frames = true,
    .link = set_links,
    .bind = bind_env,
    .finish = finish,
    .free = free_stats,
    .upgrade = upgrade,
    .segment = segment,
    .flow_finish = flow_finish,
    .flow_free = flow_free,
    .flow_holds_data = flow_holds_data,
    .frame_size = sizeof(pa_tls_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_tls_field_values,
};
