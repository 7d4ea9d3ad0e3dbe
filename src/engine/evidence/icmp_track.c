/* ICMP and ICMPv6 errors (see icmp_track.h). */
#include "icmp_track.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cursor.h"

bool pa_icmp_is_error(uint8_t ver, uint8_t type) {
    /* the types decode_icmp.c reads a quote from */
    return ver == 6 ? type >= 1 && type <= 4 : type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

int pa_icmp_init(pa_icmp_stats *s) {
    memset(s, 0, sizeof *s);
    if (pa_htab_init(&s->flows, sizeof(pa_icmp_flow), offsetof(pa_icmp_flow, count), PA_ICMP_MAX_FLOWS)) return -1;
    if (pa_htab_init(&s->paths, sizeof(pa_icmp_path), offsetof(pa_icmp_path, mtu), PA_ICMP_MAX_PATHS)) {
        pa_htab_free(&s->flows);
        return -1;
    }
    return 0;
}

void pa_icmp_free(pa_icmp_stats *s) {
    pa_htab_free(&s->flows);
    pa_htab_free(&s->paths);
}

size_t pa_icmp_memory(const pa_icmp_stats *s) { return pa_htab_memory(&s->flows) + pa_htab_memory(&s->paths); }

/* Wireshark 4.0's strings (packet-icmp.c, packet-icmpv6.c), checked
 * against tshark's Info column on a capture of every code. */
static const char *const unreach4[] = {"Network unreachable",
                                       "Host unreachable",
                                       "Protocol unreachable",
                                       "Port unreachable",
                                       "Fragmentation needed",
                                       "Source route failed",
                                       "Destination network unknown",
                                       "Destination host unknown",
                                       "Source host isolated",
                                       "Network administratively prohibited",
                                       "Host administratively prohibited",
                                       "Network unreachable for TOS",
                                       "Host unreachable for TOS",
                                       "Communication administratively filtered",
                                       "Host precedence violation",
                                       "Precedence cutoff in effect"};
static const char *const redirect4[] = {"Redirect for network", "Redirect for host", "Redirect for TOS and network",
                                        "Redirect for TOS and host"};
static const char *const timex4[] = {"Time to live exceeded in transit", "Fragment reassembly time exceeded"};
static const char *const param4[] = {"Pointer indicates the error", "Required option missing", "Bad length"};
static const char *const unreach6[] = {"no route to destination",
                                       "Administratively prohibited",
                                       "Beyond scope of source address",
                                       "Address unreachable",
                                       "Port unreachable",
                                       "Source address failed ingress/egress policy",
                                       "Reject route to destination",
                                       "Error in Source Routing Header"};
static const char *const timex6[] = {"hop limit exceeded in transit", "fragment reassembly time exceeded"};
static const char *const param6[] = {"erroneous header field encountered", "unrecognized Next Header type encountered",
                                     "unrecognized IPv6 option encountered",
                                     "IPv6 First Fragment has incomplete IPv6 Header Chain"};

const char *pa_icmp_type_name(uint8_t ver, uint8_t type) {
    if (ver == 6) switch (type) {
        case 1: return "Destination Unreachable";
        case 2: return "Packet Too Big";
        case 3: return "Time Exceeded";
        case 4: return "Parameter Problem";
        default: return "Unknown";
        }
    switch (type) {
    case 3: return "Destination unreachable";
    case 4: return "Source quench (flow control)";
    case 5: return "Redirect";
    case 11: return "Time-to-live exceeded";
    case 12: return "Parameter problem";
    default: return "Unknown";
    }
}

/* Unknown codes as Wireshark writes them: "Unknown code: 9" (ICMP),
 * "Unknown" (ICMPv6 destination unreachable), "Unknown (9)" (other ICMPv6). */
#define PICK(v, unknown_fmt)                                                                                           \
    do {                                                                                                               \
        if (code < sizeof v / sizeof v[0]) return v[code];                                                             \
        snprintf(buf, n, unknown_fmt, code);                                                                           \
        return buf;                                                                                                    \
    } while (0)
const char *pa_icmp_code_name(uint8_t ver, uint8_t type, uint8_t code, char *buf, size_t n) {
    if (ver == 6) switch (type) {
        case 1: return code < sizeof unreach6 / sizeof unreach6[0] ? unreach6[code] : "Unknown";
        case 3: PICK(timex6, "Unknown (%u)");
        case 4: PICK(param6, "Unknown (%u)");
        default: return NULL;
        }
    switch (type) {
    case 3: PICK(unreach4, "Unknown code: %u");
    case 5: PICK(redirect4, "Unknown code: %u");
    case 11: PICK(timex4, "Unknown code: %u");
    case 12: PICK(param4, "Unknown code: %u");
    default: return NULL;
    }
}
#undef PICK

const struct pa_ip_layer *pa_icmp_quote(const pa_packet *p) {
    for (uint8_t i = p->nxip; i > 0; i--)
        if (p->xip[i - 1].quoted) return &p->xip[i - 1];
    return NULL;
}

static void first_frames(uint64_t *v, uint64_t count, uint64_t frame) {
    if (count <= PA_ICMP_FIRST_FRAMES) v[count - 1] = frame;
}

/* Next-hop MTU of "fragmentation needed" (ICMP 3/4: the low 16 bits of the
 * header's second word) and "packet too big" (ICMPv6 2: all of it). */
static uint32_t mtu_of(const pa_packet *p, uint8_t ver) {
    pa_cur c = pa_cur_make(p->payload, p->payload ? p->payload_len : 0);
    uint32_t w;
    if (ver == 4 && p->icmp_type == 3 && p->icmp_code == 4 && pa_cur_be32(&c, &w)) return w & 0xFFFF;
    if (ver == 6 && p->icmp_type == 2 && pa_cur_be32(&c, &w)) return w;
    return 0;
}

/* The quoted datagram is an ICMP error itself: its type, right after the
 * quoted header (IPv4 with its options; IPv6 fixed header only). */
static bool quotes_error(const pa_packet *p, const struct pa_ip_layer *x, uint8_t ver) {
    if (!x || x->proto != (ver == 6 ? 58 : 1) || x->frag_offset || !p->payload) return false;
    pa_cur c = pa_cur_make(p->payload, p->payload_len);
    uint8_t b0, t;
    if (!pa_cur_skip(&c, 4) || !pa_cur_u8(&c, &b0)) return false;
    size_t hl = ver == 6 ? 40 : (size_t)(b0 & 15) * 4;
    return pa_cur_skip(&c, hl - 1) && pa_cur_u8(&c, &t) && pa_icmp_is_error(ver, t);
}

static void note_path(pa_icmp_stats *s, const pa_packet *p, const struct pa_ip_layer *x, uint8_t ver, uint32_t mtu) {
    pa_icmp_path key;
    memset(&key, 0, sizeof key);
    key.ver = ver;
    key.src = x->src;
    key.dst = x->dst;
    bool created;
    pa_icmp_path *h = pa_htab_upsert(&s->paths, &key, &created);
    if (!h) {
        s->paths_overflow++;
        return;
    }
    if (created) {
        h->first_frame = p->frame_no;
        h->oversize_stream = h->retrans_stream = -1;
    }
    h->messages++;
    h->last_frame = p->frame_no;
    if (created || mtu < h->mtu) {
        h->mtu = mtu;
        h->mtu_frame = p->frame_no;
        h->reporter = p->src;
    }
}

void pa_icmp_note_size(pa_icmp_stats *s, const pa_packet *p, bool retrans, int64_t stream) {
    if (!s->paths.count || !p->ip_ver || (p->ip_ver == 4 && !p->ip_df)) return;
    pa_icmp_path key;
    memset(&key, 0, sizeof key);
    key.ver = p->ip_ver;
    key.src = p->src;
    key.dst = p->dst;
    pa_icmp_path *h = pa_htab_find(&s->paths, &key);
    if (!h || p->frame_no <= h->first_frame || p->ip_len <= h->mtu) return;
    first_frames(h->oversize_frames, ++h->oversize, p->frame_no);
    if (p->ip_len > h->oversize_max) h->oversize_max = p->ip_len;
    if (h->oversize == 1) {
        h->oversize_stream = stream;
        h->oversize_proto = p->ip_proto;
    }
    if (!retrans) return;
    first_frames(h->retrans_frames, ++h->oversize_retrans, p->frame_no);
    if (h->oversize_retrans == 1) h->retrans_stream = stream;
}

void pa_icmp_note(pa_icmp_stats *s, const pa_packet *p, int64_t stream) {
    uint8_t ver = p->l4 == PA_P_ICMPV6 ? 6 : 4;
    if ((p->l4 != PA_P_ICMP && p->l4 != PA_P_ICMPV6) || !pa_icmp_is_error(ver, p->icmp_type)) return;
    s->errors++;
    const struct pa_ip_layer *x = pa_icmp_quote(p);
    if (!x)
        s->unquoted++;
    else if (memcmp(&x->dst, &p->src, sizeof p->src) == 0)
        s->host_errors++;
    else
        s->router_errors++;

    size_t k = 0;
    while (k < s->nkinds &&
           (s->kinds[k].ver != ver || s->kinds[k].type != p->icmp_type || s->kinds[k].code != p->icmp_code))
        k++;
    if (k == s->nkinds) {
        if (k == PA_ICMP_MAX_KINDS) {
            s->kinds_overflow++;
            return;
        }
        s->kinds[s->nkinds++] = (pa_icmp_kind){.ver = ver, .type = p->icmp_type, .code = p->icmp_code};
    }
    pa_icmp_kind *kd = &s->kinds[k];
    first_frames(kd->frames, ++kd->count, p->frame_no);

    /* an MTU of 0 (routers before RFC 1191) announces nothing to check */
    uint32_t mtu = mtu_of(p, ver);
    if (x && mtu) note_path(s, p, x, ver, mtu);

    pa_icmp_flow key;
    memset(&key, 0, sizeof key);
    key.ver = ver;
    key.type = p->icmp_type;
    key.code = p->icmp_code;
    key.reporter = p->src;
    if (x) {
        key.proto = x->proto;
        key.src = x->src;
        key.dst = x->dst;
        if (x->l4 == PA_P_TCP || x->l4 == PA_P_UDP) { /* else 0: a truncated quote names no ports */
            key.sport = x->sport;
            key.dport = x->dport;
        }
    }
    bool created;
    pa_icmp_flow *f = pa_htab_upsert(&s->flows, &key, &created);
    if (!f) {
        s->flows_overflow++;
        return;
    }
    if (created) {
        f->quoted = x != NULL;
        f->ports = x && (x->l4 == PA_P_TCP || x->l4 == PA_P_UDP);
        f->quotes_error = quotes_error(p, x, ver);
        f->mtu = f->mtu_max = mtu;
        f->stream = stream;
        if (ver == 4 && p->icmp_type == 5 && p->payload_len >= 4) { /* the gateway: the header's second word */
            f->gateway.family = 4;
            memcpy(f->gateway.b, p->payload, 4);
        }
    } else if (mtu) {
        if (mtu < f->mtu) f->mtu = mtu;
        if (mtu > f->mtu_max) f->mtu_max = mtu;
    }
    if (f->stream < 0) f->stream = stream;
    first_frames(f->frames, ++f->count, p->frame_no);
    f->last_frame = p->frame_no;
}
