/* HTTP/1.x hooks: HTTP flows only, messages cut by http_track.c. */
#include "http_analyzer.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* A request line of SIP or RTSP (which borrow HTTP's methods, OPTIONS
 * sip:... SIP/2.0) is not HTTP: its version, at the end of the first line,
 * says so. */
static bool other_version(const uint8_t *d, uint32_t n) {
    uint32_t e = 0;
    while (e < n && e < 4096 && d[e] != '\r' && d[e] != '\n') e++;
    return (e >= 8 && (memcmp(d + e - 8, " RTSP/1.", 8) == 0 || memcmp(d + e - 8, " SIP/2.0", 8) == 0)) ||
           (e >= 9 && memcmp(d + e - 9, " RTSP/1.0", 9) == 0);
}

/* On any port: a registered method or a status line starts the payload. */
static bool look(const pa_packet *p) {
    static const char *const starts_with[] = {"GET ",     "POST ",  "HEAD ",  "PUT ",    "DELETE ", "OPTIONS ",
                                              "CONNECT ", "PATCH ", "TRACE ", "HTTP/1.", "HTTP/2 "};
    const uint8_t *d = p->payload;
    uint32_t n = p->payload_len;
    if (p->l4 != PA_P_TCP) return false;
    for (size_t i = 0; i < sizeof starts_with / sizeof starts_with[0]; i++) {
        size_t k = strlen(starts_with[i]);
        if (n < k || memcmp(d, starts_with[i], k) != 0) continue;
        return d[0] == 'H' || !other_version(d, n);
    }
    return false;
}

/* On HTTP's own ports the parser's own test, as Wireshark's port table
 * trusts its method list there: any upper-case method token (WebDAV's,
 * Cisco's CCM_POST), a bare "OPTIONS" line, a status line. */
static bool look_port(const pa_packet *p) {
    return p->l4 == PA_P_TCP && pa_http_looks_like_start(p->payload, p->payload_len) &&
           (p->payload[0] == 'H' || !other_version(p->payload, p->payload_len));
}

/* SSDP: HTTP over UDP to or from 1900 (UPnP Device Architecture), which
 * tshark's HTTP dissector reads under the name ssdp. */
static bool look_ssdp(const pa_packet *p) {
    static const char *const starts_with[] = {"M-SEARCH * HTTP/1.", "NOTIFY * HTTP/1.", "HTTP/1.1 200"};
    for (size_t i = 0; i < 3; i++) {
        size_t k = strlen(starts_with[i]);
        if (p->payload_len >= k && memcmp(p->payload, starts_with[i], k) == 0) return true;
    }
    return false;
}

/* on any port, and its usual ports (for the evidence of protocols found
 * off their ports) */
static const pa_app_look looks[] = {{PA_P_TCP, 0, PA_P_HTTP, look, NULL, false},
                                    {PA_P_TCP, 80, PA_P_HTTP, look_port, NULL, false},
                                    {PA_P_TCP, 8080, PA_P_HTTP, look_port, NULL, false},
                                    {PA_P_TCP, 8000, PA_P_HTTP, look_port, NULL, false},
                                    {PA_P_TCP, 3128, PA_P_HTTP, look_port, NULL, false},
                                    {PA_P_UDP, 1900, PA_P_SSDP, look_ssdp, NULL, false},
                                    {0, 0, 0, NULL, NULL, false}};

/* An SSDP datagram: counted, and what a device says of itself (SERVER,
 * USN, LOCATION of a NOTIFY or a search response) into the local names. */
static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    (void)env;
    (void)stream;
    pa_http_stats *st = stats;
    if (p->l4 != PA_P_UDP || p->app != PA_P_SSDP || !pa_tx_counts(st->keep, p->frame_no)) return;
    pa_ssdp_msg m;
    if (!pa_ssdp_parse(p->payload, p->payload_len, &m)) return;
    bool search = m.request && m.method.n == 8 && memcmp(m.method.p, "M-SEARCH", 8) == 0;
    *(search ? &st->ssdp_searches : m.request ? &st->ssdp_notifies : &st->ssdp_responses) += 1;
    if (search || !st->sec) return;
    const struct {
        uint8_t kind;
        pa_ssdp_str v;
    } said[] = {{PA_ANN_SSDP_SERVER, m.server}, {PA_ANN_SSDP_USN, m.usn}, {PA_ANN_SSDP_LOCATION, m.location}};
    for (size_t i = 0; i < 3; i++)
        if (said[i].v.n)
            pa_names_announce(&st->sec->names, &p->src, said[i].kind, (const char *)said[i].v.p, said[i].v.n,
                              p->frame_no);
}

/* A message completed: kept for the frame's facts, then the caller's event. */
static void on_msg(void *ud, const pa_http_tx *tx, bool response) {
    pa_app_env *env = ud;
    env->pdus++;
    pa_http_frame *fr = env->frame;
    if (fr && fr->n < PA_FRAME_HTTP) {
        fr->tx[fr->n] = *tx;
        fr->response[fr->n] = response;
        fr->n++;
    }
    if (env->on_event) env->on_event(env->on_event_ud, PA_AN_http, &(pa_http_event){tx, response});
}

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    pa_http_stats *st = stats;
    st->ex = ex;
    st->sec = sec;
    st->keep = keep;
}

static void segment(void *stats, pa_app_env *env, void **state, const pa_app_segment *s) {
    pa_http_flow *h = *state;
    pa_http_segment(stats, &h, s->p, s->from, s->tcp, s->stream, on_msg, env);
    *state = h;
}

static int by_request(const void *x, const void *y) {
    const pa_http_tx *a = x, *b = y;
    return a->req_frame < b->req_frame ? -1 : a->req_frame > b->req_frame;
}

/* Transactions complete in response order; listings want request order. */
static void finish(void *stats) {
    pa_http_stats *st = stats;
    if (st->ntx > 1) qsort(st->tx, st->ntx, sizeof *st->tx, by_request);
}

static void flow_finish(void *stats, void *state) { pa_http_finish_flow(stats, state); }
static void flow_free(void *state) { pa_http_free_flow(state); }
static bool flow_holds_data(const void *state) { return pa_http_holds_data(state); }
static void free_stats(void *stats) { pa_http_stats_free(stats); }
static void frame_reset(void *frame) { ((pa_http_frame *)frame)->n = 0; }
static bool frame_has(const void *frame) { return ((const pa_http_frame *)frame)->n > 0; }

static const pa_app_cap caps[] = {
    {"http_transactions_listed", PA_HTTP_MAX_TX, offsetof(pa_http_stats, tx_dropped),
     "HTTP transactions beyond the cap: counted, not listed"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_http = {
    .name = "http",
    .proto = PA_P_HTTP,
    .looks = looks,
    .pdu_frames = true,
    .link = set_links,
    .finish = finish,
    .free = free_stats,
    .packet = packet,
    .segment = segment,
    .flow_finish = flow_finish,
    .flow_free = flow_free,
    .flow_holds_data = flow_holds_data,
    .frame_size = sizeof(pa_http_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_http_field_values,
};
