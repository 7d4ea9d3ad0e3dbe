/* The shared half of pa-fuzz-gen-seeds (see seed_kit.h): an arena of byte
 * strings, the header builders that nest them, and the seed file writer. */
#include "seed_kit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- byte strings from an arena -------------------------------------------- */

static uint8_t arena[8u << 20];
static size_t arena_used;

blob B(size_t n) {
    if (n > sizeof arena - arena_used) {
        fprintf(stderr, "gen_seeds: arena exhausted\n");
        exit(1);
    }
    blob b = {arena + arena_used, n};
    memset(b.p, 0, n);
    arena_used += n;
    return b;
}

blob cat(blob a, blob b) {
    blob r = B(a.n + b.n);
    if (a.n) memcpy(r.p, a.p, a.n);
    if (b.n) memcpy(r.p + a.n, b.p, b.n);
    return r;
}

blob NONE(void) { return B(0); }

void arena_reset(void) { arena_used = 0; }

/* "45 00 0a0b" -> bytes; spaces are ignored. */
blob hex(const char *s) {
    blob r = B(strlen(s) / 2);
    size_t n = 0;
    int hi = -1;
    for (; *s; s++) {
        int v;
        if (*s >= '0' && *s <= '9')
            v = *s - '0';
        else if (*s >= 'a' && *s <= 'f')
            v = *s - 'a' + 10;
        else if (*s >= 'A' && *s <= 'F')
            v = *s - 'A' + 10;
        else
            continue;
        if (hi < 0) {
            hi = v;
        } else {
            r.p[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    r.n = n;
    return r;
}

blob str(const char *s) {
    blob r = B(strlen(s));
    memcpy(r.p, s, r.n);
    return r;
}

blob fill(size_t n, uint8_t v) {
    blob r = B(n);
    memset(r.p, v, n);
    return r;
}

blob head(blob b, size_t n) {
    if (n < b.n) b.n = n;
    return b;
}

void w16(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

void w32(uint8_t *p, uint32_t v) {
    w16(p, v >> 16);
    w16(p + 2, v & 0xFFFF);
}

/* ---- link layers ------------------------------------------------------------ */

static const uint8_t MAC_A[6] = {0x02, 0x00, 0x5e, 0x00, 0x00, 0x0a};
static const uint8_t MAC_B[6] = {0x02, 0x00, 0x5e, 0x00, 0x00, 0x0b};

blob eth(uint16_t type, blob inner) {
    blob h = B(14);
    memcpy(h.p, MAC_B, 6);
    memcpy(h.p + 6, MAC_A, 6);
    w16(h.p + 12, type);
    return cat(h, inner);
}

/* A tag: TCI, then the EtherType of what follows. */
blob vlan(uint16_t tci, uint16_t type, blob inner) {
    blob h = B(4);
    w16(h.p, tci);
    w16(h.p + 2, type);
    return cat(h, inner);
}

blob sll(uint16_t proto, blob inner) {
    blob h = B(16);
    w16(h.p, 0);     /* to us */
    w16(h.p + 2, 1); /* ARPHRD_ETHER */
    w16(h.p + 4, 6);
    memcpy(h.p + 6, MAC_A, 6);
    w16(h.p + 14, proto);
    return cat(h, inner);
}

blob sll2(uint16_t proto, blob inner) {
    blob h = B(20);
    w16(h.p, proto);
    w32(h.p + 4, 2); /* interface index */
    w16(h.p + 8, 1); /* ARPHRD_ETHER */
    h.p[10] = 4;     /* outgoing */
    h.p[11] = 6;
    memcpy(h.p + 12, MAC_A, 6);
    return cat(h, inner);
}

blob null_le(uint32_t fam, blob inner) {
    blob h = B(4);
    h.p[0] = (uint8_t)fam;
    h.p[1] = (uint8_t)(fam >> 8);
    h.p[2] = (uint8_t)(fam >> 16);
    h.p[3] = (uint8_t)(fam >> 24);
    return cat(h, inner);
}

blob loop_be(uint32_t fam, blob inner) {
    blob h = B(4);
    w32(h.p, fam);
    return cat(h, inner);
}

/* ---- network layers --------------------------------------------------------- */

const uint8_t IP4_A[4] = {192, 0, 2, 10}, IP4_B[4] = {198, 51, 100, 20};
const uint8_t IP4_C[4] = {203, 0, 113, 30}, IP4_D[4] = {203, 0, 113, 40};
const uint8_t IP6_A[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a};
const uint8_t IP6_B[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b};

static uint16_t csum(const uint8_t *p, size_t n) {
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < n; i += 2) s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1) s += (uint32_t)p[n - 1] << 8;
    while (s >> 16) s = (s & 0xFFFF) + (s >> 16);
    return (uint16_t)~s;
}

blob ipv4x(const ip4 *o, blob inner) {
    size_t optlen = (o->opts.n + 3) & ~(size_t)3;
    blob h = B(20 + optlen);
    uint8_t words = o->ihl_words ? o->ihl_words : (uint8_t)(5 + optlen / 4);
    h.p[0] = (uint8_t)(0x40 | (words & 0x0F));
    w16(h.p + 2, o->total ? o->total : (uint32_t)(h.n + inner.n));
    w16(h.p + 4, o->id);
    w16(h.p + 6, o->fl);
    h.p[8] = o->ttl ? o->ttl : 64;
    h.p[9] = o->proto;
    memcpy(h.p + 12, o->src ? o->src : IP4_A, 4);
    memcpy(h.p + 16, o->dst ? o->dst : IP4_B, 4);
    if (o->opts.n) memcpy(h.p + 20, o->opts.p, o->opts.n);
    w16(h.p + 10, csum(h.p, h.n));
    return cat(h, inner);
}

blob ipv4(uint8_t proto, blob inner) {
    ip4 o = {.proto = proto, .id = 0x1234, .fl = 0x4000};
    return ipv4x(&o, inner);
}

blob ipv4_between(const uint8_t *src, const uint8_t *dst, uint8_t proto, blob inner) {
    ip4 o = {.src = src, .dst = dst, .proto = proto, .id = 7};
    return ipv4x(&o, inner);
}

blob ipv6x(const uint8_t *src, const uint8_t *dst, uint8_t next, int plen, blob inner) {
    blob h = B(40);
    w32(h.p, 0x60000000u | (0x2eu << 20) | 0x12345u);
    w16(h.p + 4, plen >= 0 ? (uint32_t)plen : (uint32_t)inner.n);
    h.p[6] = next;
    h.p[7] = 64;
    memcpy(h.p + 8, src, 16);
    memcpy(h.p + 24, dst, 16);
    return cat(h, inner);
}

blob ipv6(uint8_t next, blob inner) { return ipv6x(IP6_A, IP6_B, next, -1, inner); }

/* Hop-by-hop, routing, destination options: 8 + 8 * len8 bytes. */
blob ext6(uint8_t next, uint8_t len8, blob inner) {
    blob h = B(8 + 8u * len8);
    h.p[0] = next;
    h.p[1] = len8;
    if (h.n > 2) h.p[2] = 1, h.p[3] = (uint8_t)(h.n - 4); /* PadN */
    return cat(h, inner);
}

blob frag6(uint8_t next, uint16_t off, int more, uint32_t id, blob inner) {
    blob h = B(8);
    h.p[0] = next;
    w16(h.p + 2, (uint32_t)(off & 0xFFF8) | (more ? 1u : 0u));
    w32(h.p + 4, id);
    return cat(h, inner);
}

blob ah(uint8_t next, blob inner) {
    blob h = B(24); /* 12 fixed + 12 ICV: length field 4 (6 words - 2) */
    h.p[0] = next;
    h.p[1] = 4;
    w32(h.p + 4, 0x100);
    w32(h.p + 8, 1);
    return cat(h, inner);
}

/* ---- transport ---------------------------------------------------------------- */

blob tcp(uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags, blob opts, blob payload) {
    size_t optlen = (opts.n + 3) & ~(size_t)3;
    blob h = B(20 + optlen);
    w16(h.p, sport);
    w16(h.p + 2, dport);
    w32(h.p + 4, seq);
    w32(h.p + 8, flags & PG_TH_ACK ? 1000 : 0);
    h.p[12] = (uint8_t)((5 + optlen / 4) << 4);
    h.p[13] = flags;
    w16(h.p + 14, 65535);
    if (opts.n) memcpy(h.p + 20, opts.p, opts.n);
    return cat(h, payload);
}

blob tcp_simple(uint8_t flags, blob payload) { return tcp(40000, 80, 1, flags, NONE(), payload); }

blob udp(uint16_t sport, uint16_t dport, blob payload) {
    blob h = B(8);
    w16(h.p, sport);
    w16(h.p + 2, dport);
    w16(h.p + 4, (uint32_t)(8 + payload.n));
    return cat(h, payload);
}

blob icmp(uint8_t type, uint8_t code, blob rest) {
    blob h = B(4);
    h.p[0] = type;
    h.p[1] = code;
    return cat(h, rest);
}

blob sctp(uint16_t sport, uint16_t dport, blob chunks) {
    blob h = B(12);
    w16(h.p, sport);
    w16(h.p + 2, dport);
    w32(h.p + 4, 0xdeadbeef);
    return cat(h, chunks);
}

/* ---- tunnels ------------------------------------------------------------------ */

/* GRE: flags word, protocol, then the optional fields given in extra. */
blob gre(uint16_t flags, uint16_t proto, blob extra, blob inner) {
    blob h = B(4);
    w16(h.p, flags);
    w16(h.p + 2, proto);
    return cat(cat(h, extra), inner);
}

blob vxlan(uint32_t vni, blob inner) {
    blob h = B(8);
    h.p[0] = 0x08;
    w32(h.p + 4, vni << 8);
    return cat(h, inner);
}

blob geneve(uint8_t opt_words, uint16_t proto, blob inner) {
    blob h = B(8 + 4u * opt_words);
    h.p[0] = opt_words & 0x3F;
    w16(h.p + 2, proto);
    w32(h.p + 4, 0x00abcd00);
    return cat(h, inner);
}

blob mpls(int labels, blob inner) {
    blob h = B(4u * (size_t)labels);
    for (int i = 0; i < labels; i++) w32(h.p + 4 * i, (uint32_t)(16 + i) << 12 | (i + 1 == labels ? 0x100u : 0u) | 64u);
    return cat(h, inner);
}

blob pppoe(uint16_t proto, blob inner) {
    blob h = B(8);
    h.p[0] = 0x11;
    w16(h.p + 2, 0x0042);
    w16(h.p + 4, (uint32_t)(2 + inner.n));
    w16(h.p + 6, proto);
    return cat(h, inner);
}

blob arp(uint16_t op, uint8_t hlen, uint8_t plen) {
    blob h = B(28);
    w16(h.p, 1);
    w16(h.p + 2, 0x0800);
    h.p[4] = hlen;
    h.p[5] = plen;
    w16(h.p + 6, op);
    memcpy(h.p + 8, MAC_A, 6);
    memcpy(h.p + 14, IP4_A, 4);
    memcpy(h.p + 24, IP4_B, 4);
    return h;
}

/* ---- some payloads -------------------------------------------------------- */

blob tcp_opts_syn(void) {
    /* MSS 1460, SACK permitted, timestamps, NOP, window scale 7 */
    return hex("020405b4 0402 080a 00000001 00000000 01 030307");
}

blob udp_dns(void) {
    return udp(5353, 53, hex("abcd 0100 0001 0000 0000 0000 07 6578616d706c65 03 636f6d 00 0001 0001"));
}

blob icmp_echo(void) { return icmp(8, 0, hex("0001 0002 6162636465666768")); }

/* ---- writing ---------------------------------------------------------------- */

const char *outdir;

void mkdirs(const char *sub) {
    char p[4096];
    snprintf(p, sizeof p, "%s", outdir);
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
        perror(p);
        exit(1);
    }
    snprintf(p, sizeof p, "%s/%s", outdir, sub);
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
        perror(p);
        exit(1);
    }
}

void path_of(char *out, size_t n, const char *target, const char *name) {
    snprintf(out, n, "%s/%s/%s", outdir, target, name);
}

void write_file(const char *target, const char *name, const void *data, size_t n) {
    char p[4096];
    path_of(p, sizeof p, target, name);
    FILE *f = fopen(p, "wb");
    if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
        perror(p);
        exit(1);
    }
}

unsigned counts[T_COUNT];

void text(int t, const char *target, const char *name, const char *s) {
    write_file(target, name, s, strlen(s));
    counts[t]++;
}
