/* Folding a frame into the host and conversation tables (IP and Ethernet,
 * as Wireshark's endpoints and conversations) and into the time bins. */
#include <string.h>

#include "fold.h"

/* ---- hosts and conversations ------------------------------------------ */

/* A lookup with the flow's hint when the packet has a flow. */
static void *upsert(pa_htab *t, const void *key, uint32_t *hint, bool *created) {
    return hint ? pa_htab_upsert_hint(t, key, hint, created) : pa_htab_upsert(t, key, created);
}

static pa_endpoint *endpoint(pa_model *m, const pa_addr *a, uint32_t *hint) {
    pa_endpoint key;
    memset(&key, 0, sizeof key);
    key.addr = *a;
    bool created;
    pa_endpoint *e = upsert(&m->endpoints, &key, hint, &created);
    if (e && created) e->ttl_min = 255;
    return e;
}

/* h: the hints of the packet's flow, or NULL; src: the side (0 a, 1 b) of
 * that flow the packet comes from. */
void pa_fold_hosts(pa_model *m, const pa_packet *p, pa_flow_hints *h, int src) {
    pa_htab_reserve(&m->endpoints, 2); /* s stays valid while d is inserted */
    pa_endpoint *s = endpoint(m, &p->src, h ? &h->host[src] : NULL),
                *d = endpoint(m, &p->dst, h ? &h->host[!src] : NULL);
    if (!s || !d) {
        m->endpoints_overflow_pkts++;
    }
    if (s) {
        if (!s->first_ts) s->first_ts = p->ts_ns;
        s->last_ts = p->ts_ns;
        s->tx_pkts++;
        s->tx_bytes += p->wirelen;
        if (p->ttl < s->ttl_min) s->ttl_min = p->ttl;
        if (p->ttl > s->ttl_max) s->ttl_max = p->ttl;
        if (p->has_eth && !p->has_outer_ip) {
            if (s->mac_count == 0) {
                memcpy(s->mac, p->eth_src, 6);
                s->mac_count = 1;
            } else if (memcmp(s->mac, p->eth_src, 6) != 0) {
                bool known = false;
                for (int i = 0; i + 1 < s->mac_count && i < 3; i++)
                    known |= memcmp(s->macs_extra[i], p->eth_src, 6) == 0;
                if (!known && s->mac_count < 4) memcpy(s->macs_extra[s->mac_count - 1], p->eth_src, 6);
                if (!known && s->mac_count < 255) s->mac_count++;
            }
        }
    }
    if (d) {
        if (!d->first_ts) d->first_ts = p->ts_ns;
        d->last_ts = p->ts_ns;
        d->rx_pkts++;
        d->rx_bytes += p->wirelen;
        if (d == s) {
            d->self_pkts++;
            d->self_bytes += p->wirelen;
        }
    }

    pa_ip_conv key;
    memset(&key, 0, sizeof key);
    key.ver = p->ip_ver;
    bool s_first = memcmp(p->src.b, p->dst.b, 16) <= 0;
    memcpy(key.a, s_first ? p->src.b : p->dst.b, 16);
    memcpy(key.b, s_first ? p->dst.b : p->src.b, 16);
    bool created;
    pa_ip_conv *c = upsert(&m->ip_convs, &key, h ? &h->ip_conv : NULL, &created);
    if (!c) {
        m->ip_convs_overflow_pkts++;
        return;
    }
    if (created) {
        c->first_ts = p->ts_ns;
        c->a_first = s_first;
        if (s) s->peers++;
        if (d && d != s) d->peers++; /* a host talking to itself is its own peer once */
    }
    c->last_ts = p->ts_ns;
    if (s_first) {
        c->pkts_ab++;
        c->bytes_ab += p->wirelen;
    } else {
        c->pkts_ba++;
        c->bytes_ba += p->wirelen;
    }
}

/* h, src: as for note_hosts (the MACs of a flow's packets rarely change;
 * when they do, the hint misses and the lookup runs) */
void pa_fold_eth(pa_model *m, const pa_packet *p, pa_flow_hints *h, int src) {
    pa_eth_endpoint key;
    memset(&key, 0, sizeof key);
    bool created;
    memcpy(key.mac, p->eth_src, 6);
    pa_htab_reserve(&m->eth_endpoints, 2); /* s stays valid while d is inserted */
    pa_eth_endpoint *s = upsert(&m->eth_endpoints, &key, h ? &h->eth[src] : NULL, &created);
    memcpy(key.mac, p->eth_dst, 6);
    pa_eth_endpoint *d = upsert(&m->eth_endpoints, &key, h ? &h->eth[!src] : NULL, &created);
    if (s) {
        s->tx_pkts++;
        s->tx_bytes += p->wirelen;
    }
    if (d) {
        d->rx_pkts++;
        d->rx_bytes += p->wirelen;
        if (d == s) {
            d->self_pkts++;
            d->self_bytes += p->wirelen;
        }
    }
    pa_eth_conv ck;
    memset(&ck, 0, sizeof ck);
    bool s_first = memcmp(p->eth_src, p->eth_dst, 6) <= 0;
    memcpy(ck.a, s_first ? p->eth_src : p->eth_dst, 6);
    memcpy(ck.b, s_first ? p->eth_dst : p->eth_src, 6);
    pa_eth_conv *c = upsert(&m->eth_convs, &ck, h ? &h->eth_conv : NULL, &created);
    if (!s || !d || !c) {
        m->eth_overflow_pkts++;
        if (!c) return;
    }
    if (created) {
        c->first_ts = p->ts_ns;
        c->a_first = s_first;
    }
    c->last_ts = p->ts_ns;
    if (s_first) {
        c->pkts_ab++;
        c->bytes_ab += p->wirelen;
    } else {
        c->pkts_ba++;
        c->bytes_ba += p->wirelen;
    }
}

/* ---- time bins -------------------------------------------------------- */

static pa_cls classify(const pa_packet *p) {
    switch (p->l4) {
    case PA_P_TCP: return PA_CLS_TCP;
    case PA_P_UDP: return PA_CLS_UDP;
    case PA_P_ICMP:
    case PA_P_ICMPV6: return PA_CLS_ICMP;
    default: return p->has_arp ? PA_CLS_ARP : PA_CLS_OTHER;
    }
}

/* Keeps the PA_MAX_GAPS longest jumps in time, of 1 s or more either way,
 * from the frame before (prev_ts) to this one. */
void pa_fold_gap(pa_model *m, const pa_packet *p, int64_t prev_ts) {
    int64_t gap = p->ts_ns > prev_ts ? p->ts_ns - prev_ts : prev_ts - p->ts_ns;
    if (!m->packets || gap < 1000000000ll) return;
    size_t at = m->ngaps;
    if (at == PA_MAX_GAPS) { /* full: replace the shortest when this one is longer */
        at = 0;
        for (size_t i = 1; i < PA_MAX_GAPS; i++)
            if (pa_gap_len(&m->gaps[i]) < pa_gap_len(&m->gaps[at])) at = i;
        if (pa_gap_len(&m->gaps[at]) >= gap) return;
    } else {
        m->ngaps++;
    }
    m->gaps[at] = (pa_gap){prev_ts, p->ts_ns, p->frame_no, m->packets, m->wire_bytes};
}

void pa_fold_time(pa_model *m, const pa_packet *p) {
    int64_t rel = p->ts_ns - m->bins_from_ts;
    if (rel < 0) rel = 0; /* earlier than the first frame: counted in bin 0 */
    size_t i = (size_t)(rel / m->bin_width_ns);
    while (i >= PA_MAX_TIME_BINS) {
        /* Too long for this width: halve the resolution by merging pairs. */
        for (size_t j = 0; j < PA_MAX_TIME_BINS / 2; j++) {
            pa_bin *a = &m->bins[2 * j], *b = &m->bins[2 * j + 1], *o = &m->bins[j];
            pa_bin sum = *a;
            sum.pkts += b->pkts;
            sum.bytes += b->bytes;
            for (int k = 0; k < PA_CLS_COUNT; k++) sum.cls_bytes[k] += b->cls_bytes[k];
            sum.retrans += b->retrans;
            sum.dupacks += b->dupacks;
            sum.zero_windows += b->zero_windows;
            *o = sum;
        }
        memset(&m->bins[PA_MAX_TIME_BINS / 2], 0, (PA_MAX_TIME_BINS / 2) * sizeof(pa_bin));
        m->bin_width_ns *= 2;
        m->nbins = (m->nbins + 1) / 2;
        i = (size_t)(rel / m->bin_width_ns);
    }
    if (i + 1 > m->nbins) m->nbins = i + 1;
    pa_bin *b = &m->bins[i];
    b->pkts++;
    b->bytes += p->wirelen;
    b->cls_bytes[classify(p)] += p->wirelen;
}

void pa_fold_time_tcp(pa_model *m, const pa_packet *p, uint32_t flags) {
    if (!flags || !m->nbins) return;
    int64_t rel = p->ts_ns - m->bins_from_ts;
    size_t i = (size_t)((rel < 0 ? 0 : rel) / m->bin_width_ns);
    if (i >= m->nbins) return;
    pa_bin *b = &m->bins[i];
    if (flags & PA_TA_RETRANSMISSION) b->retrans++;
    if (flags & PA_TA_DUPLICATE_ACK) b->dupacks++;
    if (flags & PA_TA_ZERO_WINDOW) b->zero_windows++;
}
