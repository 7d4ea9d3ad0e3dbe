/* RTP streams and media endpoints (rtp_stream.h says where each figure's
 * definition comes from). */
#include "rtp_stream.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define EP_SLOTS (2 * PA_RTP_MAX_ENDPOINTS)

static uint32_t mix(uint32_t h, const uint8_t *b, size_t n) {
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 16777619u;
    return h;
}

static uint32_t ep_key(const pa_addr *a, uint16_t port) {
    uint8_t pb[2] = {(uint8_t)(port >> 8), (uint8_t)port};
    uint32_t h = mix(2166136261u, &a->family, 1);
    h = mix(h, a->b, a->family == 6 ? 16 : 4);
    return mix(h, pb, 2);
}

static bool addr_eq(const pa_addr *x, const pa_addr *y) {
    return x->family == y->family && memcmp(x->b, y->b, x->family == 6 ? 16 : 4) == 0;
}

void pa_rtp_table_free(pa_rtp_table *t) {
    free(t->ep);
    free(t->ep_hash);
    free(t->streams);
    free(t->st_hash);
    t->ep = NULL;
    t->ep_hash = NULL;
    t->streams = NULL;
    t->st_hash = NULL;
    t->nep = t->nstreams = t->streams_cap = t->st_hash_size = 0;
}

void pa_rtp_table_origin(pa_rtp_table *t, int64_t ts_ns) {
    if (t->has_origin) return;
    t->origin_ns = ts_ns;
    t->has_origin = true;
}

static int32_t *ep_slot(pa_rtp_table *t, const pa_addr *a, uint16_t port) {
    uint32_t i = ep_key(a, port) % EP_SLOTS;
    for (;;) {
        int32_t k = t->ep_hash[i];
        if (k < 0) return &t->ep_hash[i];
        if (t->ep[k].port == port && addr_eq(&t->ep[k].addr, a)) return &t->ep_hash[i];
        i = (i + 1) % EP_SLOTS;
    }
}

static bool ep_ready(pa_rtp_table *t) {
    if (t->ep) return true;
    t->ep = calloc(PA_RTP_MAX_ENDPOINTS, sizeof *t->ep);
    t->ep_hash = malloc(EP_SLOTS * sizeof *t->ep_hash);
    if (!t->ep || !t->ep_hash) {
        free(t->ep);
        free(t->ep_hash);
        t->ep = NULL;
        t->ep_hash = NULL;
        return false;
    }
    for (uint32_t i = 0; i < EP_SLOTS; i++) t->ep_hash[i] = -1;
    return true;
}

bool pa_rtp_expect(pa_rtp_table *t, const pa_rtp_endpoint *e) {
    if (!ep_ready(t)) return false;
    int32_t *s = ep_slot(t, &e->addr, e->port);
    pa_rtp_endpoint *d;
    if (*s >= 0) {
        d = &t->ep[*s];
    } else {
        if (t->nep >= PA_RTP_MAX_ENDPOINTS) {
            t->endpoints_dropped++;
            return false;
        }
        *s = (int32_t)t->nep;
        d = &t->ep[t->nep++];
    }
    *d = *e;
    if (d->npt > PA_RTP_MAX_PT) d->npt = PA_RTP_MAX_PT;
    /* a new conversation: its timestamp extension starts over at 2^32 */
    d->ext_ts = 1ull << 32;
    return true;
}

pa_rtp_endpoint *pa_rtp_endpoint_of(pa_rtp_table *t, const pa_addr *src, uint16_t sport, const pa_addr *dst,
                                    uint16_t dport) {
    if (!t->ep) return NULL;
    int32_t *s = ep_slot(t, dst, dport);
    if (*s >= 0) return &t->ep[*s];
    s = ep_slot(t, src, sport);
    return *s >= 0 ? &t->ep[*s] : NULL;
}

/* The nearest 64-bit extension of a 32-bit timestamp to the previous one
 * (packet-rtp.c, calculate_extended_timestamp). */
static uint64_t extend_ts(uint64_t prev, uint32_t raw) {
    uint64_t ts = (prev & 0xffffffff00000000ull) | raw;
    if (ts + 0x80000000ull < prev)
        ts += 0x100000000ull;
    else if (prev + 0x80000000ull < ts)
        ts -= 0x100000000ull;
    return ts;
}

/* RFC 3551 table 4 and 5, as Wireshark's clock_map. */
static uint32_t static_rate(uint8_t pt) {
    switch (pt) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 7:
    case 8:
    case 9:
    case 12:
    case 13:
    case 15:
    case 18:
    case 19: return 8000;
    case 6: return 16000;
    case 10:
    case 11: return 44100;
    case 14:
    case 25:
    case 26:
    case 28:
    case 31:
    case 32:
    case 33:
    case 34: return 90000;
    case 16: return 11025;
    case 17: return 22050;
    default: return 0;
    }
}

/* Clock rates of media types without a static payload type (IANA), by the
 * start of the encoding name, as Wireshark's mimetype_and_clock_map. */
static uint32_t named_rate(const char *name) {
    static const struct {
        const char *mime;
        uint32_t rate;
    } m[] = {
        {"AMR", 8000},    {"AMR-WB", 16000},  {"BMPEG", 90000},         {"BT656", 90000},     {"DV", 90000},
        {"EVRC", 8000},   {"EVRC0", 8000},    {"EVRC1", 8000},          {"EVRCB", 8000},      {"EVRCB0", 8000},
        {"EVRCB1", 8000}, {"EVRCWB", 16000},  {"EVRCWB0", 16000},       {"EVRCWB1", 16000},   {"EVS", 16000},
        {"G7221", 16000}, {"G726-16", 8000},  {"G726-24", 8000},        {"G726-32", 8000},    {"G726-40", 8000},
        {"G729D", 8000},  {"G729E", 8000},    {"GSM-EFR", 8000},        {"H263-1998", 90000}, {"H263-2000", 90000},
        {"H264", 90000},  {"MP1S", 90000},    {"MP2P", 90000},          {"MP4V-ES", 90000},   {"mpa-robust", 90000},
        {"opus", 48000},  {"pointer", 90000}, {"raw", 90000},           {"red", 1000},        {"SMV", 8000},
        {"SMV0", 8000},   {"t140", 1000},     {"telephone-event", 8000}};
    /* the last entry that prefixes the name: longer names come later */
    for (size_t i = sizeof m / sizeof m[0]; i-- > 0;)
        if (strncasecmp(m[i].mime, name, strlen(m[i].mime)) == 0) return m[i].rate;
    return 0;
}

uint32_t pa_rtp_clock_rate(uint8_t pt, const pa_rtp_endpoint *e, bool *telephone_event) {
    *telephone_event = false;
    if (pt < 96) return static_rate(pt);
    if (pt > 127 || !e) return 0;
    for (uint8_t i = 0; i < e->npt; i++) {
        if (e->pt[i].pt != pt) continue;
        if (strncasecmp(e->pt[i].name, "telephone-event", 15) == 0) {
            *telephone_event = true;
            return 0;
        }
        return e->pt[i].rate ? e->pt[i].rate : named_rate(e->pt[i].name);
    }
    return 0;
}

const char *pa_rtp_pt_name(uint8_t pt, const pa_rtp_endpoint *e) {
    /* RFC 3551 tables 4 and 5, the names Wireshark prints */
    static const char *const static_names[35] = {"PCMU", NULL,  NULL,  "GSM",   "G723", "DVI4", "DVI4", "LPC",  "PCMA",
                                                 "G722", "L16", "L16", "QCELP", "CN",   "MPA",  "G728", "DVI4", "DVI4",
                                                 "G729", NULL,  NULL,  NULL,    NULL,   NULL,   NULL,   "CelB", "JPEG",
                                                 NULL,   "nv",  NULL,  NULL,    "H261", "MPV",  "MP2T", "H263"};
    for (uint8_t i = 0; e && i < e->npt; i++)
        if (e->pt[i].pt == pt && e->pt[i].name[0]) return e->pt[i].name;
    if (pt < sizeof static_names / sizeof static_names[0] && static_names[pt]) return static_names[pt];
    return "";
}

int32_t pa_rtp_lost(const pa_rtp_stream *s) {
    uint32_t expected = (uint32_t)s->stop_seq + s->cycles * 65536u - (uint32_t)s->start_seq + 1u;
    return (int32_t)(expected - s->total_nr);
}

static uint32_t st_key(const pa_packet *p, uint32_t ssrc) {
    uint8_t b[8] = {(uint8_t)(p->sport >> 8), (uint8_t)p->sport,     (uint8_t)(p->dport >> 8), (uint8_t)p->dport,
                    (uint8_t)(ssrc >> 24),    (uint8_t)(ssrc >> 16), (uint8_t)(ssrc >> 8),     (uint8_t)ssrc};
    uint32_t h = mix(2166136261u, p->src.b, p->src.family == 6 ? 16 : 4);
    h = mix(h, p->dst.b, p->dst.family == 6 ? 16 : 4);
    return mix(h, b, sizeof b);
}

static bool st_grow(pa_rtp_table *t) {
    uint32_t ncap = t->streams_cap ? t->streams_cap * 2 : 64;
    if (ncap > PA_RTP_MAX_STREAMS) ncap = PA_RTP_MAX_STREAMS;
    pa_rtp_stream *n = realloc(t->streams, ncap * sizeof *n);
    if (!n) return false;
    t->streams = n;
    t->streams_cap = ncap;
    uint32_t hs = ncap * 2;
    int32_t *h = malloc(hs * sizeof *h);
    if (!h) return false;
    for (uint32_t i = 0; i < hs; i++) h[i] = -1;
    free(t->st_hash);
    t->st_hash = h;
    t->st_hash_size = hs;
    for (uint32_t k = 0; k < t->nstreams; k++) {
        const pa_rtp_stream *s = &t->streams[k];
        pa_packet q;
        q.src = s->src;
        q.dst = s->dst;
        q.sport = s->sport;
        q.dport = s->dport;
        uint32_t i = st_key(&q, s->ssrc) % hs;
        while (h[i] >= 0) i = (i + 1) % hs;
        h[i] = (int32_t)k;
    }
    return true;
}

static pa_rtp_stream *stream_of(pa_rtp_table *t, const pa_packet *p, uint32_t ssrc, bool *created) {
    *created = false;
    if (t->st_hash) {
        uint32_t i = st_key(p, ssrc) % t->st_hash_size;
        for (int32_t k; (k = t->st_hash[i]) >= 0; i = (i + 1) % t->st_hash_size) {
            pa_rtp_stream *s = &t->streams[k];
            if (s->ssrc == ssrc && s->sport == p->sport && s->dport == p->dport && addr_eq(&s->src, &p->src) &&
                addr_eq(&s->dst, &p->dst))
                return s;
        }
    }
    if (t->nstreams >= PA_RTP_MAX_STREAMS) return NULL;
    if (t->nstreams == t->streams_cap && !st_grow(t)) return NULL;
    uint32_t i = st_key(p, ssrc) % t->st_hash_size;
    while (t->st_hash[i] >= 0) i = (i + 1) % t->st_hash_size;
    t->st_hash[i] = (int32_t)t->nstreams;
    pa_rtp_stream *s = &t->streams[t->nstreams++];
    memset(s, 0, sizeof *s);
    s->src = p->src;
    s->dst = p->dst;
    s->sport = p->sport;
    s->dport = p->dport;
    s->ssrc = ssrc;
    *created = true;
    return s;
}

/* Wireshark's nstime_to_msec of the time since the first frame. */
static double rel_ms(const pa_rtp_table *t, int64_t ts_ns) {
    int64_t rel = ts_ns - t->origin_ns;
    int64_t secs = rel / 1000000000, ns = rel % 1000000000;
    if (ns < 0) {
        ns += 1000000000;
        secs--;
    }
    return (double)secs * 1000.0 + (double)ns / 1000000.0;
}

static bool is_cn(uint8_t pt) { return pt == 13 || pt == 19; }

/* One RTP packet into its stream (ui/tap-rtp-analysis.c, rtppacket_analyse). */
static void analyse(pa_rtp_table *t, pa_rtp_stream *s, const pa_rtp_endpoint *e, const pa_packet *p,
                    const pa_rtp_hdr *h, uint64_t ext_ts) {
    double now = rel_ms(t, p->ts_ns);
    s->packets++;
    s->last_frame = p->frame_no;
    s->last_ts = p->ts_ns;
    s->last_pt = h->pt;
    if (h->marker) s->markers++;
    if (s->total_nr == 0) {
        s->start_seq = s->stop_seq = s->seq_num = h->seq;
        s->seq_timestamp = ext_ts;
        s->time = now;
        s->pt = h->pt;
        s->min_delta = -1;
        s->min_jitter = -1;
        s->total_nr = 1;
        return;
    }
    bool in_seq = s->seq_timestamp <= ext_ts;
    bool wrong_seq = false;
    if (!in_seq) s->wrong_timestamps++;
    if (h->seq < s->start_seq && in_seq && !s->under) {
        s->cycles++;
        s->under = true;
    } else if (h->seq == 0 && s->stop_seq == 65535 && in_seq && !s->under) {
        s->cycles++;
        s->under = true;
    } else if (h->seq > s->start_seq && in_seq && s->under) {
        s->under = false;
    }
    int last = s->seq_num, cur = h->seq;
    if (in_seq && last + 1 == cur) {
        s->seq_num = h->seq;
    } else if (in_seq && last == 65535 && cur == 0) {
        s->seq_num = h->seq;
    } else if (in_seq && (last + 1 < cur || last - cur > 0xFF00)) {
        s->seq_num = h->seq;
        wrong_seq = true;
    } else if (last + 1 > cur) {
        wrong_seq = true;
    }
    if (wrong_seq) s->seq_errors++;
    bool cn = is_cn(h->pt), follow_cn = is_cn(s->pt);
    s->pt = h->pt;
    bool tev;
    uint32_t rate = pa_rtp_clock_rate(h->pt, e, &tev);
    double jitter_now = 0;
    if (rate) {
        s->clock_rate = rate;
        double nominal = (double)((int64_t)ext_ts - (int64_t)s->seq_timestamp) / (double)(rate / 1000);
        double expected = s->time + nominal;
        double diff = fabs(now - expected);
        jitter_now = (15 * s->jitter + diff) / 16;
        s->delta = now - s->time;
        s->jitter = jitter_now;
    } else {
        s->delta = now - s->time;
    }
    bool regular = !h->marker && !cn && in_seq && !follow_cn;
    if (regular) {
        if (s->delta > s->max_delta) s->max_delta = s->delta;
        if (s->min_delta == -1 || s->delta < s->min_delta) s->min_delta = s->delta;
        s->mean_delta = (s->mean_delta * (s->total_nr - 1) + s->delta) / s->total_nr;
        if (rate) {
            if (s->jitter > s->max_jitter) s->max_jitter = s->jitter;
            s->mean_jitter = (s->mean_jitter * (s->total_nr - 1) + jitter_now) / s->total_nr;
            if (s->min_jitter == -1 || s->jitter < s->min_jitter) s->min_jitter = s->jitter;
        }
    }
    if (in_seq) {
        s->time = now;
        s->seq_timestamp = ext_ts;
    }
    s->stop_seq = h->seq;
    s->total_nr++;
    if (!in_seq || wrong_seq) s->problem = true;
}

/* Ports of protocols the heuristic leaves alone, as their own dissectors
 * claim them in Wireshark before any heuristic runs. */
static bool other_protocol_port(uint16_t port) {
    static const uint16_t ports[] = {53,  67,  68,  69,   123,  137,  138,  161, 162,
                                     443, 500, 514, 1900, 4500, 5060, 5353, 5355};
    for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++)
        if (port == ports[i]) return true;
    return false;
}

int pa_rtp_datagram(pa_rtp_table *t, const pa_packet *p, pa_rtp_hdr *h, pa_rtcp_msg *rc) {
    if (p->l4 != PA_P_UDP || !p->payload_len) return PA_RTP_NOT;
    pa_rtp_table_origin(t, p->ts_ns);
    pa_rtp_endpoint *e = pa_rtp_endpoint_of(t, &p->src, p->sport, &p->dst, p->dport);
    if (!e) {
        /* tshark 4.0's UDP heuristic takes any version-2 datagram no other
         * dissector claimed (later versions also want an even destination
         * port); stricter here: a whole header that parses, and no other
         * protocol's well-known port */
        if (!t->heuristic || other_protocol_port(p->sport) || other_protocol_port(p->dport)) return PA_RTP_NOT;
        if (!pa_rtp_parse(p->payload, p->payload_len, h) || h->padding_bad || pa_rtp_is_rtcp_range(h))
            return PA_RTP_NOT;
        pa_rtp_endpoint n;
        memset(&n, 0, sizeof n);
        n.addr = p->dst;
        n.port = p->dport;
        n.kind = PA_RTP_KIND_RTP;
        n.frame = p->frame_no;
        n.heuristic = true;
        if (!pa_rtp_expect(t, &n)) return PA_RTP_NOT;
        e = pa_rtp_endpoint_of(t, &p->src, p->sport, &p->dst, p->dport);
        if (!e) return PA_RTP_NOT;
    }
    if (e->kind == PA_RTP_KIND_OTHER) return PA_RTP_NOT;
    /* RTCP as far as it parses: SRTCP encrypts all but its first header */
    if (e->kind == PA_RTP_KIND_RTCP)
        return pa_rtcp_parse_prefix(p->payload, p->payload_len, rc) ? PA_RTP_IS_RTCP : PA_RTP_NOT;
    if (!pa_rtp_parse(p->payload, p->payload_len, h)) return PA_RTP_NOT;
    /* tshark 4.0 shows a padding count that does not fit as data, not RTP
     * (a stream's figures leave it out) */
    if (h->padding_bad) return PA_RTP_BAD_PADDING;
    /* RTCP multiplexed on the RTP port (RFC 5761): types 200-204 read as a
     * marked payload type 72-76 */
    if (pa_rtp_is_rtcp_range(h))
        return pa_rtcp_parse_prefix(p->payload, p->payload_len, rc) ? PA_RTP_IS_RTCP : PA_RTP_NOT;
    uint64_t ext = extend_ts(e->ext_ts, h->timestamp);
    e->ext_ts = ext;
    bool created;
    pa_rtp_stream *s = stream_of(t, p, h->ssrc, &created);
    if (!s) {
        t->streams_dropped++;
        return PA_RTP_IS_RTP;
    }
    if (created) {
        s->first_frame = p->frame_no;
        s->first_ts = p->ts_ns;
        s->first_pt = h->pt;
        s->setup_frame = e->frame;
        s->call = e->call;
        snprintf(s->codec, sizeof s->codec, "%s", pa_rtp_pt_name(h->pt, e));
    }
    analyse(t, s, e, p, h, ext);
    return PA_RTP_IS_RTP;
}
