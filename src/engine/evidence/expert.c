/* Expert information collector (see expert.h and expert.def). */
#include "expert.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    pa_sev sev;
    pa_grp grp;
    const char *proto, *fmt;
    bool ws;
} defs[PA_EX_COUNT] = {
#define PA_EXPERT(id, sev, grp, proto, fmt, ws) {PA_SEV_##sev, PA_GRP_##grp, proto, fmt, ws},
#include "expert.def"
#undef PA_EXPERT
};

int pa_expert_init(pa_expert *e) {
    memset(e, 0, sizeof *e);
    return pa_htab_init(&e->texts, sizeof(pa_expert_text), offsetof(pa_expert_text, count), PA_EXPERT_MAX_TEXTS) ||
           pa_htab_init(&e->nums, sizeof(pa_expert_num), offsetof(pa_expert_num, count), PA_EXPERT_MAX_TEXTS) ||
           pa_htab_init(&e->arp, sizeof(pa_expert_arp), offsetof(pa_expert_arp, mac), PA_EXPERT_MAX_ARP);
}

void pa_expert_free(pa_expert *e) {
    pa_htab_free(&e->texts);
    pa_htab_free(&e->nums);
    pa_htab_free(&e->arp);
}

int pa_expert_shape(pa_expert_id id) {
    const char *f = defs[id].fmt, *pct = strchr(f, '%');
    if (!pct) return 0;
    if (strchr(pct + 1, '%') || strstr(f, "%s")) return 2;
    return 1;
}

void pa_expert_format(pa_expert_id id, uint32_t value, char *out, size_t n) {
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
    snprintf(out, n, defs[id].fmt, (unsigned)value);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
}

pa_sev pa_expert_sev(pa_expert_id id) { return defs[id].sev; }
pa_grp pa_expert_grp(pa_expert_id id) { return defs[id].grp; }
const char *pa_expert_proto(pa_expert_id id) { return defs[id].proto; }
bool pa_expert_wireshark(pa_expert_id id) { return defs[id].ws; }

const char *pa_sev_name(pa_sev s) {
    static const char *const n[PA_SEV_COUNT] = {"chat", "note", "warn", "error"};
    return s < PA_SEV_COUNT ? n[s] : "?";
}

const char *pa_grp_name(pa_grp g) {
    static const char *const n[PA_GRP_COUNT] = {"sequence",     "malformed", "protocol", "response_code",
                                                "request_code", "checksum",  "security", "undecoded"};
    return g < PA_GRP_COUNT ? n[g] : "?";
}

const char *pa_grp_label(pa_grp g) {
    static const char *const n[PA_GRP_COUNT] = {"Sequence", "Malformed", "Protocol", "Response",
                                                "Request",  "Checksum",  "Security", "Undecoded"};
    return g < PA_GRP_COUNT ? n[g] : "?";
}

static void add(pa_expert *e, pa_expert_id id, const char *proto, const char *text, uint64_t frame) {
    e->count[id]++;
    pa_expert_text k;
    memset(&k, 0, sizeof k);
    k.id = (uint16_t)id;
    snprintf(k.proto, sizeof k.proto, "%s", proto);
    snprintf(k.text, sizeof k.text, "%s", text);
    bool created;
    pa_expert_text *t = pa_htab_upsert(&e->texts, &k, &created);
    if (!t) {
        e->texts_overflow++;
        return;
    }
    if (t->count < PA_EXPERT_FIRST) t->frames[t->count] = frame;
    t->count++;
}

void pa_expert_add(pa_expert *e, pa_expert_id id, uint64_t frame, ...) {
    if (id >= PA_EX_COUNT) return;
    int shape = pa_expert_shape(id);
    if (shape == 0) { /* the common case: a counter */
        if (e->count[id] < PA_EXPERT_FIRST) e->first[id][e->count[id]] = frame;
        e->count[id]++;
        return;
    }
    va_list ap;
    va_start(ap, frame);
    if (shape == 1) {
        pa_expert_num k;
        memset(&k, 0, sizeof k);
        k.id = (uint16_t)id;
        k.value = va_arg(ap, unsigned);
        va_end(ap);
        e->count[id]++;
        bool created;
        pa_expert_num *r = pa_htab_upsert(&e->nums, &k, &created);
        if (!r) {
            e->texts_overflow++;
            return;
        }
        if (r->count < PA_EXPERT_FIRST) r->frames[r->count] = frame;
        r->count++;
        return;
    }
    char text[PA_EXPERT_TEXT];
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
    vsnprintf(text, sizeof text, defs[id].fmt, ap);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    va_end(ap);
    add(e, id, defs[id].proto, text, frame);
}

/* Wireshark's ARP dissector (4.0, arp.duplicate-address-detected): a table
 * of the MAC each IPv4 address was first seen with, over the whole file. A
 * later frame pairing the address with that MAC refreshes the entry; with
 * another MAC it raises the warning and leaves the entry as it was, so
 * every frame of the second MAC warns again. True when it warned. */
static bool arp_check(pa_expert *e, const uint8_t mac[6], const uint8_t ip[4], uint64_t frame) {
    pa_expert_arp k;
    memset(&k, 0, sizeof k);
    memcpy(k.ip, ip, 4);
    bool created;
    pa_expert_arp *r = pa_htab_upsert(&e->arp, &k, &created);
    if (!r) {
        e->arp_overflow++;
        return false;
    }
    if (created) {
        memcpy(r->mac, mac, 6);
        r->frame = frame;
        return false;
    }
    if (frame <= r->frame) return false; /* the same frame's other address */
    if (!memcmp(r->mac, mac, 6)) {
        r->frame = frame;
        return false;
    }
    char text[32];
    snprintf(text, sizeof text, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
    pa_expert_add(e, PA_EX_ARP_DUP_IP, frame, text);
    return true;
}

/* A claim counts when its MAC is unicast and not all zeros and its address
 * is not 0.0.0.0 (an address probe claims nothing). */
static bool arp_claim(const uint8_t mac[6], const uint8_t ip[4]) {
    static const uint8_t zero[6] = {0};
    return !(mac[0] & 1) && memcmp(mac, zero, 6) && memcmp(ip, zero, 4);
}

void pa_expert_arp_pkt(pa_expert *e, const pa_packet *p) {
    const pa_arp_info *a = &p->arp;
    /* requests and replies over Ethernet or IEEE 802 (the decoder keeps IPv4 only) */
    if (!p->has_arp || (a->op != 1 && a->op != 2) || (a->htype != 1 && a->htype != 6)) return;
    bool dup = arp_claim(a->sha, a->spa) && arp_check(e, a->sha, a->spa, p->frame_no);
    /* the target of a reply too (a request's target is what it asks for);
     * not the address that just warned (a gratuitous reply names it twice) */
    if (a->op == 2 && arp_claim(a->tha, a->tpa) && !(dup && !memcmp(a->spa, a->tpa, 4)))
        arp_check(e, a->tha, a->tpa, p->frame_no);
}

bool pa_anom_expert(pa_anom a, pa_sev *sev, pa_grp *grp, char *proto, size_t proto_len) {
    /* a snaplen cut is how captures are taken; an undecoded link type is
     * reported by the overview; these two are raised as Wireshark's own
     * messages by the engine */
    if (a == PA_A_FRAME_SNAPLEN || a == PA_A_LINK_UNSUPPORTED || a == PA_A_IPV4_TOTAL_LEN_BEYOND ||
        a == PA_A_IPV4_TTL_ZERO)
        return false;
    static const struct {
        const char *prefix, *label;
    } labels[] = {{"eth", "Ethernet"},  {"ipv4", "IPv4"},     {"ipv6", "IPv6"},     {"tcp", "TCP"},
                  {"udp", "UDP"},       {"icmpv6", "ICMPv6"}, {"icmp", "ICMP"},     {"frag", "IP"},
                  {"arp", "ARP"},       {"vlan", "VLAN"},     {"mpls", "MPLS"},     {"pppoe", "PPPoE"},
                  {"llc", "LLC"},       {"sctp", "SCTP"},     {"gre", "GRE"},       {"erspan", "ERSPAN"},
                  {"vxlan", "VXLAN"},   {"geneve", "Geneve"}, {"teredo", "Teredo"}, {"encap", "Tunnel"},
                  {"capwap", "CAPWAP"}, {"wlan", "802.11"},   {"frame", "Frame"},   {"link", "Frame"}};
    const char *name = pa_anom_name(a);
    const char *label = "Frame";
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        size_t n = strlen(labels[i].prefix);
        if (strncmp(name, labels[i].prefix, n) == 0 && name[n] == '.') {
            label = labels[i].label;
            break;
        }
    }
    snprintf(proto, proto_len, "%s", label);
    if (strstr(name, "truncated") || strstr(name, "invalid") || strstr(name, "version") ||
        strstr(name, "unsupported_format")) {
        *sev = PA_SEV_ERROR;
        *grp = PA_GRP_MALFORMED;
    } else if (a == PA_A_TIME_BACKWARDS) {
        *sev = PA_SEV_WARN;
        *grp = PA_GRP_SEQUENCE;
    } else if (strstr(name, "too_many") || strstr(name, "too_deep") || strstr(name, "table_full") ||
               strstr(name, "exceeded") || strstr(name, "not_reassembled")) {
        *sev = PA_SEV_NOTE;
        *grp = PA_GRP_UNDECODED;
    } else if (a == PA_A_FRAG_INCOMPLETE) {
        *sev = PA_SEV_NOTE;
        *grp = PA_GRP_PROTOCOL;
    } else {
        *sev = PA_SEV_WARN;
        *grp = PA_GRP_PROTOCOL;
    }
    return true;
}
