/* What the ICMP tools share (see tool_icmp_common.h). */
#include "tool_icmp_common.h"

#include <stdio.h>
#include <string.h>

static const pa_icmp_meaning icmp_meanings[] = {
    {4, 3, 0, "network unreachable", "a router has no route to the network"},
    {4, 3, 1, "host unreachable", "the last router could not reach the host (down, or no ARP answer)"},
    {4, 3, 2, "protocol unreachable", "the host does not speak the quoted IP protocol"},
    {4, 3, 3, "port unreachable", "nothing listened on the quoted UDP or TCP port (or a firewall answered for it)"},
    {4, 3, 4, "fragmentation needed",
     "the path MTU is smaller than the packet, which forbade fragmentation: "
     "path-MTU discovery at work, a black hole if the sender ignores it"},
    {4, 3, 5, "source route failed", "a router could not follow the source route"},
    {4, 3, 9, "network administratively prohibited", "a router or firewall refused it"},
    {4, 3, 10, "host administratively prohibited", "a router or firewall refused it"},
    {4, 3, 13, "communication administratively prohibited", "a router or firewall refused it"},
    {4, 3, -1, "destination unreachable", "the packet could not be delivered"},
    {4, 4, -1, "source quench", "a router asked the sender to slow down (obsolete)"},
    {4, 5, -1, "redirect", "a router pointed the sender to a better gateway: a routing hint, not a failure"},
    {4, 11, 0, "TTL exceeded in transit", "the TTL ran out on the way: traceroute, or a routing loop"},
    {4, 11, 1, "fragment reassembly time exceeded", "fragments of a datagram were lost"},
    {4, 12, -1, "parameter problem", "a router or host found a header it could not process"},
    {6, 1, 0, "no route to destination", "a router has no route to the network"},
    {6, 1, 1, "administratively prohibited", "a router or firewall refused it"},
    {6, 1, 3, "address unreachable", "the last router could not reach the host (down, or no neighbour answer)"},
    {6, 1, 4, "port unreachable", "nothing listened on the quoted UDP or TCP port (or a firewall answered for it)"},
    {6, 1, 5, "source address failed policy", "a router or firewall refused the source address"},
    {6, 1, 6, "reject route", "a router has a reject route for the destination"},
    {6, 1, -1, "destination unreachable", "the packet could not be delivered"},
    {6, 2, -1, "packet too big",
     "the path MTU is smaller than the packet: path-MTU discovery at work, a black "
     "hole if the sender ignores it"},
    {6, 3, 0, "hop limit exceeded in transit", "the hop limit ran out on the way: traceroute, or a routing loop"},
    {6, 3, 1, "fragment reassembly time exceeded", "fragments of a datagram were lost"},
    {6, 4, -1, "parameter problem", "a router or host found a header it could not process"},
};

const pa_icmp_meaning *pa_icmp_meaning_of(uint8_t ver, uint8_t type, uint8_t code) {
    for (size_t i = 0; i < sizeof icmp_meanings / sizeof icmp_meanings[0]; i++) {
        const pa_icmp_meaning *e = &icmp_meanings[i];
        if (e->ver == ver && e->type == type && (e->code < 0 || e->code == code)) return e;
    }
    return NULL; /* not an error type pa_icmp_is_error accepts */
}

bool pa_icmp_hurts(uint8_t ver, uint8_t type) { return !(ver == 4 && type == 5); }

const char *pa_ip_proto_name(uint8_t proto) {
    switch (proto) {
    case 1: return "icmp";
    case 6: return "tcp";
    case 17: return "udp";
    case 58: return "icmpv6";
    case 132: return "sctp";
    default: return NULL;
    }
}

int pa_icmp_type_filter(char *out, size_t n, uint8_t ver, uint8_t type, uint8_t code) {
    const char *p = ver == 6 ? "icmpv6" : "icmp";
    return snprintf(out, n, "%s.type == %u && %s.code == %u", p, type, p, code);
}

/* The frames of one row of icmp_errors: type and code, then the quoted
 * datagram's addresses and ports (Wireshark's ip.src, udp.srcport ... take
 * the quoted header's values too), and the reporter when it is not the
 * quoted destination. Without a quote, the reporter and the frames
 * themselves while the row has no more than it lists. */
void pa_icmp_flow_filter(char *out, size_t n, const pa_icmp_flow *f) {
    size_t k = (size_t)pa_icmp_type_filter(out, n, f->ver, f->type, f->code);
    const char *ip = f->ver == 6 ? "ipv6" : "ip";
    char a[64], b[64], r[64];
    pa_addr_str(&f->reporter, r, sizeof r);
    if (!f->quoted) {
        if (k < n) k += (size_t)snprintf(out + k, n - k, " && %s.src == %s", ip, r);
        for (uint64_t i = 0; f->count <= PA_ICMP_FIRST_FRAMES && i < f->count && k < n; i++)
            k += (size_t)snprintf(out + k, n - k, "%s%llu%s", i ? ", " : " && frame.number in {",
                                  (unsigned long long)f->frames[i], i + 1 == f->count ? "}" : "");
        return;
    }
    pa_addr_str(&f->src, a, sizeof a);
    pa_addr_str(&f->dst, b, sizeof b);
    if (k < n) k += (size_t)snprintf(out + k, n - k, " && %s.src == %s && %s.dst == %s", ip, a, ip, b);
    if (k < n && memcmp(&f->reporter, &f->dst, sizeof f->dst))
        k += (size_t)snprintf(out + k, n - k, " && %s.src == %s", ip, r);
    if (k < n && f->ports)
        snprintf(out + k, n - k, " && %s.srcport == %u && %s.dstport == %u", pa_ip_proto_name(f->proto), f->sport,
                 pa_ip_proto_name(f->proto), f->dport);
}

json_t *pa_icmp_frames_json(const uint64_t *v, uint64_t count, pa_buf *b) {
    json_t *a = json_array();
    for (uint64_t i = 0; i < count && i < PA_ICMP_FIRST_FRAMES; i++) {
        json_array_append_new(a, json_integer((json_int_t)v[i]));
        pa_buf_printf(b, " %llu", (unsigned long long)v[i]);
    }
    return a;
}

void pa_icmp_kind_name(char *out, size_t n, uint8_t ver, uint8_t type, uint8_t code) {
    char unknown[32];
    const char *c = pa_icmp_code_name(ver, type, code, unknown, sizeof unknown);
    if (c)
        snprintf(out, n, "%s (%s)", pa_icmp_type_name(ver, type), c);
    else
        snprintf(out, n, "%s", pa_icmp_type_name(ver, type));
}
