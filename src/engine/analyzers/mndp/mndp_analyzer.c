/* MikroTik Neighbor Discovery hooks (mndp_analyzer.h). */
#include "mndp_analyzer.h"

#include <string.h>

/* On port 5678 (either side, as tshark's port table), tshark's test. */
static bool look(const pa_packet *p) { return pa_mndp_looks(p->payload, p->payload_len); }

static const pa_app_look looks[] = {{PA_P_UDP, 5678, PA_P_MNDP, look, NULL, false}, {0, 0, 0, NULL, NULL, false}};

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)ex;
    (void)sec;
    ((pa_mndp_stats *)stats)->keep = keep;
}

static bool same_device(const pa_mndp_device *d, const pa_packet *p, const pa_mndp_msg *m) {
    const pa_addr *a = &d->addr;
    return a->family == p->src.family && memcmp(a->b, p->src.b, a->family == 4 ? 4 : 16) == 0 &&
           d->last.has_mac == m->has_mac && memcmp(d->last.mac, m->mac, 6) == 0;
}

static void keep_text(char *dst, const char *src) {
    if (src[0]) memcpy(dst, src, PA_MNDP_TEXT);
}

/* A later announcement updates what it says; a truncated one keeps the
 * values it no longer holds. */
static void merge(pa_mndp_msg *d, const pa_mndp_msg *m) {
    d->seqno = m->seqno;
    keep_text(d->identity, m->identity);
    keep_text(d->version, m->version);
    keep_text(d->platform, m->platform);
    keep_text(d->softwareid, m->softwareid);
    keep_text(d->board, m->board);
    keep_text(d->ifname, m->ifname);
    if (m->has_uptime) d->uptime = m->uptime;
    if (m->has_ipv4) memcpy(d->ipv4, m->ipv4, 4);
    if (m->has_ipv6) memcpy(d->ipv6, m->ipv6, 16);
    d->has_uptime |= m->has_uptime;
    d->has_ipv4 |= m->has_ipv4;
    d->has_ipv6 |= m->has_ipv6;
}

void pa_mndp_message(pa_mndp_stats *st, const pa_packet *p, const pa_mndp_msg *m) {
    st->datagrams++;
    if (m->truncated) st->malformed++;
    /* a discovery request (the header alone, or TLVs naming nothing) announces no device */
    if (!m->has_mac && !m->identity[0]) return;
    pa_mndp_device *d = NULL;
    for (uint32_t i = 0; i < st->ndevices && !d; i++)
        if (same_device(&st->devices[i], p, m)) d = &st->devices[i];
    if (!d) {
        if (st->ndevices == PA_MNDP_MAX_DEVICES) {
            st->devices_dropped++;
            return;
        }
        d = &st->devices[st->ndevices++];
        memset(d, 0, sizeof *d);
        d->addr = p->src;
        d->first_frame = p->frame_no;
        d->last.has_mac = m->has_mac;
        memcpy(d->last.mac, m->mac, 6);
    }
    merge(&d->last, m);
    d->announcements++;
    d->last_frame = p->frame_no;
}

static void packet(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream) {
    (void)stream;
    pa_mndp_stats *st = stats;
    if (p->l4 != PA_P_UDP || p->app != PA_P_MNDP || p->is_fragment) return;
    if (!pa_tx_counts(st->keep, p->frame_no)) return;
    pa_mndp_msg m;
    if (!pa_mndp_parse(p->payload, p->payload_len, &m)) return;
    if (env->frame) ((pa_mndp_frame *)env->frame)->present = true;
    pa_mndp_message(st, p, &m);
}

static void frame_reset(void *frame) { ((pa_mndp_frame *)frame)->present = false; }
static bool frame_has(const void *frame) { return ((const pa_mndp_frame *)frame)->present; }

static const pa_app_cap caps[] = {
    {"mndp_devices", PA_MNDP_MAX_DEVICES, offsetof(pa_mndp_stats, devices_dropped),
     "MikroTik neighbour announcements from devices beyond the cap: counted, the devices not listed"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_mndp = {
    .name = "mndp",
    .proto = PA_P_MNDP,
    .looks = looks,
    .link = set_links,
    .packet = packet,
    .frame_size = sizeof(pa_mndp_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_mndp_field_values,
};
