#include "checksum.h"

#include <string.h>

static uint32_t sum16(const uint8_t *b, size_t n, uint32_t sum) {
    for (size_t i = 0; i + 1 < n; i += 2) sum += (uint32_t)(b[i] << 8 | b[i + 1]);
    if (n & 1) sum += (uint32_t)b[n - 1] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum) {
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

/* The checksum a header should carry (its field counted as zero), and
 * whether the one it carries verifies (0x0000 and 0xffff are equal). */
static pa_ck verdict(uint32_t sum_without_field, uint16_t got, uint16_t *should) {
    uint16_t want = (uint16_t)~fold(sum_without_field);
    *should = want;
    if (got == want || (got == 0xffff && want == 0) || (got == 0 && want == 0xffff)) return PA_CK_GOOD;
    return PA_CK_BAD;
}

void pa_checksums(const pa_packet *p, pa_cksums *out) {
    memset(out, 0, sizeof *out);
    if (p->ip_ver == 4 && p->ip_hdr && p->ip_hlen >= 20) {
        const uint8_t *h = p->ip_hdr;
        uint32_t s = sum16(h, 10, 0) + sum16(h + 12, (size_t)p->ip_hlen - 12, 0);
        out->ip = verdict(s, (uint16_t)(h[10] << 8 | h[11]), &out->ip_should);
    }
    if (!p->payload || p->is_fragment || p->payload_len != p->payload_wire_len) return;
    size_t hl;
    size_t at; /* offset of the checksum field in the transport header */
    uint8_t proto;
    switch (p->l4) {
    case PA_P_TCP:
        hl = p->tcp.hdr_len;
        at = 16;
        proto = 6;
        break;
    case PA_P_UDP:
        hl = 8;
        at = 6;
        proto = 17;
        break;
    case PA_P_ICMP:
        hl = 4;
        at = 2;
        proto = 1;
        break;
    case PA_P_ICMPV6:
        hl = 4;
        at = 2;
        proto = 58;
        break;
    default: return;
    }
    const uint8_t *t = p->payload - hl; /* the decoder read these bytes */
    size_t n = hl + p->payload_len;
    uint16_t got = (uint16_t)(t[at] << 8 | t[at + 1]);
    if (p->l4 == PA_P_UDP && got == 0 && p->ip_ver == 4) return;      /* no checksum sent (IPv4 allows it) */
    if (p->l4 == PA_P_UDP && (size_t)(t[4] << 8 | t[5]) != n) return; /* a bad length: malformed, not checked */
    uint32_t s = sum16(t, at, 0) + sum16(t + at + 2, n - at - 2, 0);
    if (p->l4 != PA_P_ICMP) { /* the pseudo-header */
        size_t alen = p->ip_ver == 4 ? 4 : 16;
        s = sum16(p->src.b, alen, s);
        s = sum16(p->dst.b, alen, s);
        s += proto;
        s += (uint32_t)(n & 0xffff) + (uint32_t)(n >> 16);
    }
    out->l4 = verdict(s, got, &out->l4_should);
}
