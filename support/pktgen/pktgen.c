/* pa_pktgen implementation; see pktgen.h for the contract. */
#include "pktgen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================== misc */

const char *pg_strerror(int err) {
    switch (err) {
    case PG_OK: return "ok";
    case PG_EINVAL: return "invalid argument or call order";
    case PG_ENOSPC: return "buffer too small";
    case PG_EIO: return "I/O error";
    case PG_ENOMEM: return "out of memory";
    case PG_ERANGE: return "value out of range for the format";
    default: return "unknown error";
    }
}

pg_ts pg_ts_add(pg_ts t, uint64_t ns) {
    uint64_t total = (uint64_t)t.nsec + ns;
    t.sec += total / 1000000000u;
    t.nsec = (uint32_t)(total % 1000000000u);
    return t;
}

/* Nanoseconds from a to b, 0 if b is earlier. */
static uint64_t ts_diff_ns(pg_ts a, pg_ts b) {
    if (b.sec < a.sec || (b.sec == a.sec && b.nsec < a.nsec)) return 0;
    return (b.sec - a.sec) * 1000000000u + b.nsec - a.nsec;
}

/* ================================================================ writers */

#define PG_MAX_IFS 16

struct pg_writer {
    FILE *f;
    bool own_f;
    pg_format format;
    bool be;
    bool nanosec;
    uint32_t snaplen; /* classic pcap */
    uint32_t nif;
    uint32_t if_snaplen[PG_MAX_IFS];
    uint8_t if_tsresol[PG_MAX_IFS];
    int err;
};

/* Store integers in the writer's chosen byte order. */
static void st16(const pg_writer *w, uint8_t *b, uint16_t v) {
    if (w->be) {
        b[0] = (uint8_t)(v >> 8);
        b[1] = (uint8_t)v;
    } else {
        b[0] = (uint8_t)v;
        b[1] = (uint8_t)(v >> 8);
    }
}

static void st32(const pg_writer *w, uint8_t *b, uint32_t v) {
    for (unsigned i = 0; i < 4; i++) {
        unsigned shift = w->be ? 8u * (3u - i) : 8u * i;
        b[i] = (uint8_t)(v >> shift);
    }
}

static int wr(pg_writer *w, const void *data, size_t n) {
    if (w->err) return w->err;
    if (n && fwrite(data, 1, n, w->f) != n) w->err = PG_EIO;
    return w->err;
}

void pg_writer_opts_init(pg_writer_opts *o) {
    if (!o) return;
    memset(o, 0, sizeof *o);
    o->format = PG_PCAP;
    o->snaplen = 262144u;
    o->linktype = PG_LINKTYPE_ETHERNET;
}

static int pcap_header(pg_writer *w, uint16_t linktype) {
    uint8_t h[24];
    st32(w, h, w->nanosec ? 0xa1b23c4du : 0xa1b2c3d4u);
    st16(w, h + 4, 2);
    st16(w, h + 6, 4);
    st32(w, h + 8, 0);  /* thiszone */
    st32(w, h + 12, 0); /* sigfigs */
    st32(w, h + 16, w->snaplen);
    st32(w, h + 20, linktype);
    return wr(w, h, sizeof h);
}

/* Options are padded to 32 bits; returns bytes used or 0 if it won't fit. */
static size_t ng_opt(const pg_writer *w, uint8_t *b, size_t cap, uint16_t code, const void *val, size_t len) {
    size_t padded = (len + 3u) & ~(size_t)3u;
    if (len > 0xffffu || 4u + padded > cap) return 0;
    st16(w, b, code);
    st16(w, b + 2, (uint16_t)len);
    memcpy(b + 4, val, len);
    memset(b + 4 + len, 0, padded - len);
    return 4u + padded;
}

static int pcapng_shb(pg_writer *w) {
    static const char app[] = "pa_pktgen";
    uint8_t b[64];
    size_t n = 8;
    st32(w, b, 0x0A0D0D0Au);
    st32(w, b + n, 0x1A2B3C4Du); /* byte-order magic tells readers our endianness */
    st16(w, b + n + 4, 1);
    st16(w, b + n + 6, 0);
    memset(b + n + 8, 0xff, 8); /* section length unknown (-1) */
    n += 16;
    n += ng_opt(w, b + n, sizeof b - n, 4 /* shb_userappl */, app, sizeof app - 1);
    st32(w, b + n, 0); /* opt_endofopt */
    n += 4;
    st32(w, b + 4, (uint32_t)(n + 4));
    st32(w, b + n, (uint32_t)(n + 4));
    n += 4;
    return wr(w, b, n);
}

int pg_pcapng_add_if(pg_writer *w, uint16_t linktype, uint32_t snaplen, uint8_t tsresol, const char *name,
                     uint32_t *if_id) {
    if (!w || w->format != PG_PCAPNG || tsresol > 9) return PG_EINVAL;
    if (w->err) return w->err;
    if (w->nif >= PG_MAX_IFS) return PG_ERANGE;
    uint8_t b[300];
    size_t n = 8;
    st32(w, b, 1);
    st16(w, b + n, linktype);
    st16(w, b + n + 2, 0);
    st32(w, b + n + 4, snaplen);
    n += 8;
    if (name) {
        size_t len = strlen(name);
        size_t used = ng_opt(w, b + n, sizeof b - n - 16, 2 /* if_name */, name, len);
        if (!used) return PG_ERANGE;
        n += used;
    }
    n += ng_opt(w, b + n, sizeof b - n, 9 /* if_tsresol */, &tsresol, 1);
    st32(w, b + n, 0);
    n += 4;
    st32(w, b + 4, (uint32_t)(n + 4));
    st32(w, b + n, (uint32_t)(n + 4));
    n += 4;
    int rc = wr(w, b, n);
    if (rc) return rc;
    w->if_snaplen[w->nif] = snaplen;
    w->if_tsresol[w->nif] = tsresol;
    if (if_id) *if_id = w->nif;
    w->nif++;
    return PG_OK;
}

int pg_open_stream(pg_writer **out, FILE *f, const pg_writer_opts *o) {
    if (!out || !f) return PG_EINVAL;
    *out = NULL;
    pg_writer_opts def;
    if (!o) {
        pg_writer_opts_init(&def);
        o = &def;
    }
    if (o->format != PG_PCAP && o->format != PG_PCAPNG) return PG_EINVAL;
    pg_writer *w = calloc(1, sizeof *w);
    if (!w) return PG_ENOMEM;
    w->f = f;
    w->format = o->format;
    w->be = o->big_endian;
    w->nanosec = o->nanosec;
    w->snaplen = o->snaplen ? o->snaplen : 262144u;
    int rc;
    if (w->format == PG_PCAP) {
        rc = pcap_header(w, o->linktype);
    } else {
        rc = pcapng_shb(w);
        if (!rc) rc = pg_pcapng_add_if(w, o->linktype, w->snaplen, o->nanosec ? 9 : 6, NULL, NULL);
    }
    if (rc) {
        free(w);
        return rc;
    }
    *out = w;
    return PG_OK;
}

int pg_open(pg_writer **out, const char *path, const pg_writer_opts *o) {
    if (!out || !path) return PG_EINVAL;
    *out = NULL;
    FILE *f = fopen(path, "wb");
    if (!f) return PG_EIO;
    int rc = pg_open_stream(out, f, o);
    if (rc) {
        fclose(f);
        return rc;
    }
    (*out)->own_f = true;
    return PG_OK;
}

static uint64_t pow10u(unsigned e) {
    uint64_t v = 1;
    while (e--) v *= 10u;
    return v;
}

int pg_write_if(pg_writer *w, uint32_t if_id, pg_ts ts, const void *data, uint32_t caplen, uint32_t origlen) {
    if (!w || (!data && caplen) || origlen < caplen || ts.nsec >= 1000000000u) return PG_EINVAL;
    if (w->err) return w->err;
    static const uint8_t zeros[4];
    uint8_t h[28];

    if (w->format == PG_PCAP) {
        if (if_id != 0) return PG_EINVAL;
        if (ts.sec > UINT32_MAX) return PG_ERANGE;
        if (caplen > w->snaplen) caplen = w->snaplen; /* a real capture never exceeds its snaplen */
        st32(w, h, (uint32_t)ts.sec);
        st32(w, h + 4, w->nanosec ? ts.nsec : ts.nsec / 1000u);
        st32(w, h + 8, caplen);
        st32(w, h + 12, origlen);
        wr(w, h, 16);
        return wr(w, data, caplen);
    }

    if (if_id >= w->nif) return PG_EINVAL;
    uint32_t snap = w->if_snaplen[if_id];
    if (snap && caplen > snap) caplen = snap;
    unsigned res = w->if_tsresol[if_id];
    uint64_t units_per_sec = pow10u(res);
    if (ts.sec > UINT64_MAX / units_per_sec - 1) return PG_ERANGE;
    uint64_t units = ts.sec * units_per_sec + ts.nsec / pow10u(9 - res);
    uint32_t pad = (4u - (caplen & 3u)) & 3u;
    uint32_t total = 32u + caplen + pad;
    st32(w, h, 6); /* Enhanced Packet Block */
    st32(w, h + 4, total);
    st32(w, h + 8, if_id);
    st32(w, h + 12, (uint32_t)(units >> 32));
    st32(w, h + 16, (uint32_t)units);
    st32(w, h + 20, caplen);
    st32(w, h + 24, origlen);
    wr(w, h, 28);
    wr(w, data, caplen);
    wr(w, zeros, pad);
    st32(w, h, total);
    return wr(w, h, 4);
}

int pg_write(pg_writer *w, pg_ts ts, const void *data, uint32_t caplen, uint32_t origlen) {
    return pg_write_if(w, 0, ts, data, caplen, origlen);
}

int pg_close(pg_writer *w) {
    if (!w) return PG_EINVAL;
    int rc = w->err;
    if (fflush(w->f) != 0 || ferror(w->f)) rc = rc ? rc : PG_EIO;
    if (w->own_f && fclose(w->f) != 0) rc = rc ? rc : PG_EIO;
    free(w);
    return rc;
}

int pg_write_pkt(pg_writer *w, pg_ts ts, const pg_pkt *p) {
    if (!p) return PG_EINVAL;
    if (p->err) return p->err;
    if (p->len > UINT32_MAX) return PG_ERANGE;
    return pg_write(w, ts, p->buf, (uint32_t)p->len, (uint32_t)p->len);
}

/* ============================================================= checksums */

static uint64_t csum_add(uint64_t sum, const uint8_t *d, size_t n) {
    size_t i = 0;
    for (; i + 1 < n; i += 2) sum += (uint64_t)d[i] << 8 | d[i + 1];
    if (i < n) sum += (uint64_t)d[i] << 8; /* odd tail is padded with a zero byte */
    return sum;
}

static uint16_t csum_fold(uint64_t sum) {
    while (sum >> 16) sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)~sum;
}

uint16_t pg_csum(const void *data, size_t len) { return csum_fold(csum_add(0, data, len)); }

uint16_t pg_csum_pseudo(int family, const uint8_t *src, const uint8_t *dst, uint8_t proto, const void *l4, size_t len) {
    size_t alen = family == 6 ? 16 : 4;
    uint64_t sum = csum_add(0, src, alen);
    sum = csum_add(sum, dst, alen);
    sum += proto;
    sum += (uint64_t)len; /* 32-bit length in v6, 16-bit in v4: same sum */
    sum = csum_add(sum, l4, len);
    return csum_fold(sum);
}

/* ========================================================= pkt builders */

static void put16(uint8_t *b, uint16_t v) {
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

static void put32(uint8_t *b, uint32_t v) {
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

void pg_pkt_init(pg_pkt *p, void *buf, size_t cap) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->buf = buf;
    p->cap = buf ? cap : 0;
    if (!buf) p->err = PG_EINVAL;
}

/* Claim n bytes at the end of the packet, or record ENOSPC. */
static uint8_t *grow(pg_pkt *p, size_t n) {
    if (p->err) return NULL;
    if (n > p->cap - p->len) {
        p->err = PG_ENOSPC;
        return NULL;
    }
    uint8_t *b = p->buf + p->len;
    p->len += n;
    return b;
}

static int fail(pg_pkt *p, int err) {
    if (!p->err) p->err = err;
    return p->err;
}

int pg_bytes(pg_pkt *p, const void *data, size_t n) {
    if (!data && n) return fail(p, PG_EINVAL);
    uint8_t *b = grow(p, n);
    if (b && n) memcpy(b, data, n);
    return p->err;
}

int pg_fill(pg_pkt *p, uint8_t v, size_t n) {
    uint8_t *b = grow(p, n);
    if (b && n) memset(b, v, n);
    return p->err;
}

int pg_u8(pg_pkt *p, uint8_t v) {
    uint8_t *b = grow(p, 1);
    if (b) b[0] = v;
    return p->err;
}

int pg_be16(pg_pkt *p, uint16_t v) {
    uint8_t *b = grow(p, 2);
    if (b) put16(b, v);
    return p->err;
}

int pg_be32(pg_pkt *p, uint32_t v) {
    uint8_t *b = grow(p, 4);
    if (b) put32(b, v);
    return p->err;
}

int pg_len_begin(pg_pkt *p, unsigned width, size_t *mark) {
    if (width < 1 || width > 4 || !mark) return fail(p, PG_EINVAL);
    *mark = p->len;
    return pg_fill(p, 0, width);
}

int pg_len_end(pg_pkt *p, size_t mark, unsigned width) {
    if (p->err) return p->err;
    if (width < 1 || width > 4 || mark > p->len || p->len - mark < width) return fail(p, PG_EINVAL);
    uint64_t n = p->len - mark - width;
    if (width < 4 && n >> (8u * width)) return fail(p, PG_ERANGE);
    if (n > UINT32_MAX) return fail(p, PG_ERANGE);
    for (unsigned i = 0; i < width; i++) p->buf[mark + i] = (uint8_t)(n >> (8u * (width - 1u - i)));
    return PG_OK;
}

int pg_eth(pg_pkt *p, const uint8_t dst[6], const uint8_t src[6], uint16_t ethertype) {
    uint8_t *b = grow(p, 14);
    if (!b) return p->err;
    memcpy(b, dst, 6);
    memcpy(b + 6, src, 6);
    put16(b + 12, ethertype);
    return PG_OK;
}

int pg_eth_vlan(pg_pkt *p, const uint8_t dst[6], const uint8_t src[6], uint16_t tci, uint16_t ethertype) {
    uint8_t *b = grow(p, 18);
    if (!b) return p->err;
    memcpy(b, dst, 6);
    memcpy(b + 6, src, 6);
    put16(b + 12, PG_ETH_VLAN);
    put16(b + 14, tci);
    put16(b + 16, ethertype);
    return PG_OK;
}

int pg_arp(pg_pkt *p, uint16_t op, const uint8_t sha[6], const uint8_t spa[4], const uint8_t tha[6],
           const uint8_t tpa[4]) {
    uint8_t *b = grow(p, 28);
    if (!b) return p->err;
    put16(b, 1); /* hardware: Ethernet */
    put16(b + 2, PG_ETH_IPV4);
    b[4] = 6;
    b[5] = 4;
    put16(b + 6, op);
    memcpy(b + 8, sha, 6);
    memcpy(b + 14, spa, 4);
    memcpy(b + 18, tha, 6);
    memcpy(b + 24, tpa, 4);
    return PG_OK;
}

int pg_ipv4(pg_pkt *p, const pg_ip4 *ip) {
    if (!ip || ip->frag_off > 0x1fffu) return fail(p, PG_EINVAL);
    if (p->l3) return fail(p, PG_EINVAL); /* no tunnels: one IP header per packet */
    size_t off = p->len;
    uint8_t *b = grow(p, 20);
    if (!b) return p->err;
    b[0] = 0x45;
    b[1] = ip->tos;
    put16(b + 2, 0); /* total length: pg_finish */
    put16(b + 4, ip->id);
    put16(b + 6, (uint16_t)((ip->df ? 0x4000u : 0u) | (ip->mf ? 0x2000u : 0u) | ip->frag_off));
    b[8] = ip->ttl;
    b[9] = ip->proto;
    put16(b + 10, 0);
    memcpy(b + 12, ip->src, 4);
    memcpy(b + 16, ip->dst, 4);
    p->l3 = 4;
    p->l3_off = off;
    return PG_OK;
}

int pg_ipv6(pg_pkt *p, const pg_ip6 *ip) {
    if (!ip || ip->flow > 0xfffffu) return fail(p, PG_EINVAL);
    if (p->l3) return fail(p, PG_EINVAL);
    size_t off = p->len;
    uint8_t *b = grow(p, 40);
    if (!b) return p->err;
    put32(b, 6u << 28 | (uint32_t)ip->tclass << 20 | ip->flow);
    put16(b + 4, 0); /* payload length: pg_finish */
    b[6] = ip->next;
    b[7] = ip->hlim;
    memcpy(b + 8, ip->src, 16);
    memcpy(b + 24, ip->dst, 16);
    p->l3 = 6;
    p->l3_off = off;
    return PG_OK;
}

/* An L4 header must directly follow the IP header so the protocol field and
 * pseudo-header checksum refer to it. */
static int l4_start(pg_pkt *p, uint8_t proto) {
    if (p->err) return p->err;
    if (!p->l3 || p->l4) return fail(p, PG_EINVAL);
    size_t hl = p->l3 == 4 ? 20u : 40u;
    if (p->len != p->l3_off + hl) return fail(p, PG_EINVAL);
    p->buf[p->l3_off + (p->l3 == 4 ? 9u : 6u)] = proto;
    return PG_OK;
}

/* Linux's option layout, which analysers are used to seeing. */
static size_t tcp_opts(const pg_tcp_opts *o, uint8_t *b) {
    size_t n = 0;
    if (o->mss) {
        b[n++] = 2;
        b[n++] = 4;
        put16(b + n, o->mss);
        n += 2;
    }
    if (o->sack_perm && !o->ts_on) {
        b[n++] = 1;
        b[n++] = 1;
    }
    if (o->sack_perm) {
        b[n++] = 4;
        b[n++] = 2;
    } else if (o->ts_on) {
        b[n++] = 1;
        b[n++] = 1;
    }
    if (o->ts_on) {
        b[n++] = 8;
        b[n++] = 10;
        put32(b + n, o->tsval);
        put32(b + n + 4, o->tsecr);
        n += 8;
    }
    if (o->wscale_on) {
        b[n++] = 1;
        b[n++] = 3;
        b[n++] = 3;
        b[n++] = o->wscale;
    }
    if (o->nsack) {
        b[n++] = 1;
        b[n++] = 1;
        b[n++] = 5;
        b[n++] = (uint8_t)(2u + 8u * o->nsack);
        for (unsigned i = 0; i < o->nsack; i++) {
            put32(b + n, o->sack[i][0]);
            put32(b + n + 4, o->sack[i][1]);
            n += 8;
        }
    }
    memcpy(b + n, o->raw, o->raw_len);
    return n + o->raw_len;
}

int pg_tcp(pg_pkt *p, const pg_tcp_hdr *th) {
    if (!th || th->opt.nsack > 4 || (th->opt.wscale_on && th->opt.wscale > 14) || th->opt.raw_len > 40)
        return fail(p, PG_EINVAL);
    if (l4_start(p, PG_IPPROTO_TCP)) return p->err;
    uint8_t opt[120]; /* worst case before the 40-byte check is 76 + 40 raw */
    size_t olen = tcp_opts(&th->opt, opt);
    if (olen > 40) return fail(p, PG_ERANGE);
    size_t hlen = 20u + ((olen + 3u) & ~(size_t)3u);
    size_t off = p->len;
    uint8_t *b = grow(p, hlen);
    if (!b) return p->err;
    put16(b, th->sport);
    put16(b + 2, th->dport);
    put32(b + 4, th->seq);
    put32(b + 8, th->ack);
    b[12] = (uint8_t)(hlen / 4u << 4);
    b[13] = th->flags;
    put16(b + 14, th->win);
    put16(b + 16, 0);
    put16(b + 18, th->urp);
    memcpy(b + 20, opt, olen);
    memset(b + 20 + olen, 0, hlen - 20 - olen); /* EOL padding */
    p->l4 = PG_IPPROTO_TCP;
    p->l4_off = off;
    return PG_OK;
}

int pg_udp(pg_pkt *p, uint16_t sport, uint16_t dport) {
    if (l4_start(p, PG_IPPROTO_UDP)) return p->err;
    size_t off = p->len;
    uint8_t *b = grow(p, 8);
    if (!b) return p->err;
    put16(b, sport);
    put16(b + 2, dport);
    put32(b + 4, 0);
    p->l4 = PG_IPPROTO_UDP;
    p->l4_off = off;
    return PG_OK;
}

static int icmp_echo(pg_pkt *p, uint8_t proto, uint8_t type, uint16_t id, uint16_t seq) {
    if (l4_start(p, proto)) return p->err;
    size_t off = p->len;
    uint8_t *b = grow(p, 8);
    if (!b) return p->err;
    b[0] = type;
    b[1] = 0;
    put16(b + 2, 0);
    put16(b + 4, id);
    put16(b + 6, seq);
    p->l4 = proto;
    p->l4_off = off;
    return PG_OK;
}

int pg_icmp_echo(pg_pkt *p, bool reply, uint16_t id, uint16_t seq) {
    if (p->l3 != 4) return fail(p, PG_EINVAL);
    return icmp_echo(p, PG_IPPROTO_ICMP, reply ? 0 : 8, id, seq);
}

int pg_icmp6_echo(pg_pkt *p, bool reply, uint16_t id, uint16_t seq) {
    if (p->l3 != 6) return fail(p, PG_EINVAL);
    return icmp_echo(p, PG_IPPROTO_ICMPV6, reply ? 129 : 128, id, seq);
}

int pg_finish(pg_pkt *p) {
    if (p->err) return p->err;
    if (!p->l3) return PG_OK;
    size_t l3len = p->len - p->l3_off;
    uint8_t *ip = p->buf + p->l3_off;
    const uint8_t *src = ip + (p->l3 == 4 ? 12 : 8);
    const uint8_t *dst = ip + (p->l3 == 4 ? 16 : 24);

    if (p->l4) {
        uint8_t *l4 = p->buf + p->l4_off;
        size_t l4len = p->len - p->l4_off;
        if (l4len > 0xffffu) return fail(p, PG_ERANGE);
        switch (p->l4) {
        case PG_IPPROTO_UDP: {
            put16(l4 + 4, (uint16_t)l4len);
            put16(l4 + 6, 0);
            uint16_t c = pg_csum_pseudo(p->l3, src, dst, PG_IPPROTO_UDP, l4, l4len);
            put16(l4 + 6, c ? c : 0xffffu); /* 0 would mean "no checksum" */
            break;
        }
        case PG_IPPROTO_TCP:
            put16(l4 + 16, 0);
            put16(l4 + 16, pg_csum_pseudo(p->l3, src, dst, PG_IPPROTO_TCP, l4, l4len));
            break;
        case PG_IPPROTO_ICMP: /* ICMPv4 has no pseudo-header */
            put16(l4 + 2, 0);
            put16(l4 + 2, pg_csum(l4, l4len));
            break;
        case PG_IPPROTO_ICMPV6:
            put16(l4 + 2, 0);
            put16(l4 + 2, pg_csum_pseudo(6, src, dst, PG_IPPROTO_ICMPV6, l4, l4len));
            break;
        default: return fail(p, PG_EINVAL);
        }
    }

    if (p->l3 == 4) {
        if (l3len > 0xffffu) return fail(p, PG_ERANGE);
        put16(ip + 2, (uint16_t)l3len);
        put16(ip + 10, 0);
        put16(ip + 10, pg_csum(ip, 20));
    } else {
        if (l3len - 40u > 0xffffu) return fail(p, PG_ERANGE); /* would need a jumbogram option */
        put16(ip + 4, (uint16_t)(l3len - 40u));
    }
    return PG_OK;
}

int pg_pad_to(pg_pkt *p, size_t minlen) {
    if (p->len >= minlen) return p->err;
    return pg_fill(p, 0, minlen - p->len);
}

/* ====================================================== TCP conversation */

int pg_tcp_init(pg_tcp_conv *c, pg_writer *w, int family, const pg_tcp_peer *client, const pg_tcp_peer *server) {
    if (!c || !w || !client || !server || (family != 4 && family != 6)) return PG_EINVAL;
    if ((client->wscale_on && client->wscale > 14) || (server->wscale_on && server->wscale > 14)) return PG_EINVAL;
    memset(c, 0, sizeof *c);
    c->w = w;
    c->family = family;
    c->side[PG_CLIENT].cfg = *client;
    c->side[PG_SERVER].cfg = *server;
    for (int i = 0; i < 2; i++) c->side[i].snd_nxt = c->side[i].cfg.isn;
    c->ack_delay_ns = PG_US(40);
    return PG_OK;
}

static bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }

static bool valid_from(const pg_tcp_conv *c, int from) { return c && (from == PG_CLIENT || from == PG_SERVER); }

/* Window field value: scaled once both SYNs agreed on scaling. */
static uint16_t win_field(const pg_tcp_conv *c, int from, uint8_t flags) {
    const pg_tcp_peer *cfg = &c->side[from].cfg;
    uint32_t v = cfg->win;
    if (!(flags & PG_TH_SYN) && c->ws_ok) v >>= cfg->wscale;
    return (uint16_t)(v > 0xffffu ? 0xffffu : v);
}

/* Build and write one segment from "from"; then update the peer's receive
 * state as if it arrived (unless lost).  seq is absolute. */
static int emit(pg_tcp_conv *c, pg_ts t, int from, uint8_t flags, uint32_t seq, const void *data, size_t len,
                bool lost) {
    pg_tcp_side *me = &c->side[from], *peer = &c->side[!from];
    if (len > 65000u) return PG_ERANGE;
    if (!c->have_t0) {
        c->t0 = t;
        c->have_t0 = true;
    }

    pg_tcp_hdr th;
    memset(&th, 0, sizeof th);
    th.sport = me->cfg.port;
    th.dport = peer->cfg.port;
    th.seq = seq;
    th.flags = flags;
    th.ack = (flags & PG_TH_ACK) ? me->rcv_nxt : 0;
    th.win = (flags & PG_TH_RST) ? 0 : win_field(c, from, flags);

    bool syn = (flags & PG_TH_SYN) != 0;
    bool synack = syn && (flags & PG_TH_ACK);
    /* A SYN offers our options; a SYN/ACK only answers what was offered. */
    if (syn) {
        const pg_tcp_peer *cl = &c->side[PG_CLIENT].cfg;
        th.opt.mss = me->cfg.mss;
        th.opt.wscale_on = me->cfg.wscale_on && (!synack || cl->wscale_on);
        th.opt.wscale = me->cfg.wscale;
        th.opt.sack_perm = me->cfg.sack_perm && (!synack || cl->sack_perm);
        th.opt.ts_on = me->cfg.ts_on && (!synack || cl->ts_on);
    } else {
        th.opt.ts_on = c->ts_ok && !(flags & PG_TH_RST);
    }
    uint32_t tsval = me->cfg.ts_base + (uint32_t)(ts_diff_ns(c->t0, t) / 1000000u);
    th.opt.tsval = tsval;
    th.opt.tsecr = (flags & PG_TH_ACK) ? me->ts_recent : 0;

    size_t cap = len + 14 + 40 + 60;
    uint8_t *buf = malloc(cap);
    if (!buf) return PG_ENOMEM;
    pg_pkt p;
    pg_pkt_init(&p, buf, cap);
    const pg_tcp_peer *pc = &peer->cfg;
    if (c->family == 4) {
        pg_eth(&p, pc->mac, me->cfg.mac, PG_ETH_IPV4);
        pg_ip4 ip = {.ttl = me->cfg.ttl, .id = me->cfg.ip_id++, .df = true};
        memcpy(ip.src, me->cfg.ip, 4);
        memcpy(ip.dst, pc->ip, 4);
        pg_ipv4(&p, &ip);
    } else {
        pg_eth(&p, pc->mac, me->cfg.mac, PG_ETH_IPV6);
        pg_ip6 ip = {.hlim = me->cfg.ttl};
        memcpy(ip.src, me->cfg.ip, 16);
        memcpy(ip.dst, pc->ip, 16);
        pg_ipv6(&p, &ip);
    }
    pg_tcp(&p, &th);
    pg_bytes(&p, data, len);
    int rc = pg_finish(&p);
    if (!rc) rc = pg_write_pkt(c->w, t, &p);
    free(buf);
    if (rc) return rc;

    if (lost) return PG_OK;
    /* Delivery: advance the peer's rcv_nxt over in-order bytes only. */
    uint32_t seglen = (uint32_t)len + (syn ? 1u : 0u) + ((flags & PG_TH_FIN) ? 1u : 0u);
    if (syn) {
        peer->rcv_nxt = seq + 1u;
        peer->rcv_valid = true;
    } else if (peer->rcv_valid && !seq_lt(peer->rcv_nxt, seq) && seq_lt(peer->rcv_nxt, seq + seglen)) {
        peer->rcv_nxt = seq + seglen;
    }
    if (th.opt.ts_on) peer->ts_recent = tsval;
    return PG_OK;
}

int pg_tcp_syn(pg_tcp_conv *c, pg_ts t) {
    if (!c) return PG_EINVAL;
    pg_tcp_side *cl = &c->side[PG_CLIENT];
    int rc = emit(c, t, PG_CLIENT, PG_TH_SYN, cl->cfg.isn, NULL, 0, false);
    if (!rc) cl->snd_nxt = cl->cfg.isn + 1u;
    return rc;
}

int pg_tcp_synack(pg_tcp_conv *c, pg_ts t) {
    if (!c) return PG_EINVAL;
    const pg_tcp_peer *a = &c->side[PG_CLIENT].cfg, *b = &c->side[PG_SERVER].cfg;
    c->ws_ok = a->wscale_on && b->wscale_on;
    c->ts_ok = a->ts_on && b->ts_on;
    c->sack_ok = a->sack_perm && b->sack_perm;
    pg_tcp_side *sv = &c->side[PG_SERVER];
    int rc = emit(c, t, PG_SERVER, PG_TH_SYN | PG_TH_ACK, sv->cfg.isn, NULL, 0, false);
    if (!rc) sv->snd_nxt = sv->cfg.isn + 1u;
    return rc;
}

int pg_tcp_handshake(pg_tcp_conv *c, pg_ts t, uint64_t rtt_ns) {
    int rc = pg_tcp_syn(c, t);
    if (!rc) rc = pg_tcp_synack(c, pg_ts_add(t, rtt_ns));
    if (!rc) rc = pg_tcp_ack(c, pg_ts_add(t, rtt_ns + PG_US(50)), PG_CLIENT);
    return rc;
}

int pg_tcp_send(pg_tcp_conv *c, pg_ts t, int from, const void *data, size_t len, unsigned how) {
    if (!valid_from(c, from) || (!data && len)) return PG_EINVAL;
    pg_tcp_side *me = &c->side[from];
    uint8_t flags = PG_TH_ACK | ((how & PG_TCP_PUSH) ? PG_TH_PSH : 0u);
    int rc = emit(c, t, from, flags, me->snd_nxt, data, len, (how & PG_TCP_LOST) != 0);
    if (rc) return rc;
    me->snd_nxt += (uint32_t)len;
    if ((how & PG_TCP_ACKNOW) && !(how & PG_TCP_LOST)) rc = pg_tcp_ack(c, pg_ts_add(t, c->ack_delay_ns), !from);
    return rc;
}

int pg_tcp_ack(pg_tcp_conv *c, pg_ts t, int from) {
    if (!valid_from(c, from)) return PG_EINVAL;
    return emit(c, t, from, PG_TH_ACK, c->side[from].snd_nxt, NULL, 0, false);
}

int pg_tcp_retransmit(pg_tcp_conv *c, pg_ts t, int from, uint32_t seq, const void *data, size_t len) {
    if (!valid_from(c, from) || (!data && len)) return PG_EINVAL;
    /* Only bytes already sent can be resent. */
    if (seq_lt(c->side[from].snd_nxt, seq + (uint32_t)len)) return PG_EINVAL;
    return emit(c, t, from, PG_TH_ACK | PG_TH_PSH, seq, data, len, false);
}

int pg_tcp_window(pg_tcp_conv *c, pg_ts t, int from, uint32_t win) {
    if (!valid_from(c, from)) return PG_EINVAL;
    c->side[from].cfg.win = win;
    return pg_tcp_ack(c, t, from);
}

int pg_tcp_fin(pg_tcp_conv *c, pg_ts t, int from) {
    if (!valid_from(c, from)) return PG_EINVAL;
    pg_tcp_side *me = &c->side[from];
    int rc = emit(c, t, from, PG_TH_FIN | PG_TH_ACK, me->snd_nxt, NULL, 0, false);
    if (!rc) me->snd_nxt++;
    return rc;
}

int pg_tcp_rst(pg_tcp_conv *c, pg_ts t, int from) {
    if (!valid_from(c, from)) return PG_EINVAL;
    pg_tcp_side *me = &c->side[from];
    /* RST acknowledges whatever it has seen, as a closed port answers a SYN. */
    uint8_t flags = PG_TH_RST | (me->rcv_valid ? PG_TH_ACK : 0u);
    return emit(c, t, from, flags, me->snd_nxt, NULL, 0, false);
}

uint32_t pg_tcp_next_seq(const pg_tcp_conv *c, int from) { return valid_from(c, from) ? c->side[from].snd_nxt : 0; }

size_t pg_tcp_seg_max(const pg_tcp_conv *c, int from) {
    if (!valid_from(c, from)) return 0;
    uint16_t mss = c->side[!from].cfg.mss;
    size_t m = mss ? mss : (c->family == 4 ? 536u : 1220u); /* RFC 9293 / 8200 defaults */
    if (c->ts_ok) m -= 12u;                                 /* NOP NOP TS rides on every segment */
    return m;
}

/* =================================================================== DNS */

static char lower(char ch) { return (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch; }

/* Does the (possibly compressed) name at message offset off spell text? */
static bool dns_name_is(const pg_dns *d, size_t off, const char *text) {
    const uint8_t *m = d->p->buf + d->base;
    size_t mlen = d->p->len - d->base;
    for (unsigned hops = 0; hops < 64; hops++) {
        if (off >= mlen) return false;
        uint8_t l = m[off];
        if ((l & 0xc0u) == 0xc0u) {
            if (off + 1 >= mlen) return false;
            off = (size_t)(l & 0x3fu) << 8 | m[off + 1];
            continue;
        }
        if (l == 0) return *text == '\0';
        if (off + 1u + l > mlen) return false;
        for (unsigned i = 0; i < l; i++) {
            if (text[i] == '\0' || lower(text[i]) != lower((char)m[off + 1 + i])) return false;
        }
        text += l;
        if (*text == '.')
            text++;
        else if (*text != '\0')
            return false;
        off += 1u + l;
    }
    return false;
}

int pg_dns_begin(pg_dns *d, pg_pkt *p, uint16_t id, uint16_t flags) {
    if (!d || !p) return PG_EINVAL;
    memset(d, 0, sizeof *d);
    d->p = p;
    d->base = p->len;
    pg_be16(p, id);
    pg_be16(p, flags);
    return pg_fill(p, 0, 8); /* counts: pg_dns_end */
}

int pg_dns_name(pg_dns *d, const char *name) {
    pg_pkt *p = d->p;
    if (p->err) return p->err;
    if (!name) return fail(p, PG_EINVAL);
    size_t n = strlen(name);
    if (n && name[n - 1] == '.') n--; /* accept fully qualified spelling */
    if (n > 253) return fail(p, PG_ERANGE);
    if (n && name[n - 1] == '.') return fail(p, PG_EINVAL); /* "a.." has an empty label */
    char text[256];
    memcpy(text, name, n);
    text[n] = '\0';

    /* Emit labels until the rest of the name is already in the message
     * (then point at it) or nothing is left (then end with the root). */
    size_t pos = 0;
    for (;;) {
        const char *suffix = text + pos;
        for (unsigned i = 0; i < d->nnames; i++) {
            if (dns_name_is(d, d->names[i], suffix)) {
                pg_be16(p, (uint16_t)(0xc000u | d->names[i]));
                return p->err;
            }
        }
        if (pos == n) break;
        const char *dot = memchr(suffix, '.', n - pos);
        size_t l = dot ? (size_t)(dot - suffix) : n - pos;
        if (l == 0 || l > 63) return fail(p, PG_EINVAL);
        size_t here = p->len - d->base;
        pg_u8(p, (uint8_t)l);
        pg_bytes(p, suffix, l);
        if (p->err) return p->err;
        if (here < 0x4000u && d->nnames < PG_DNS_MAX_NAMES)
            d->names[d->nnames++] = (uint16_t)here; /* pointers reach 14 bits */
        pos += l + (dot ? 1u : 0u);
    }
    return pg_u8(p, 0);
}

static int dns_section(pg_dns *d, int section) {
    if (section < PG_DNS_QD || section > PG_DNS_AR || section < d->section || d->in_rr) return fail(d->p, PG_EINVAL);
    if (d->count[section] == 0xffffu) return fail(d->p, PG_ERANGE);
    d->section = section;
    d->count[section]++;
    return PG_OK;
}

int pg_dns_question(pg_dns *d, const char *name, uint16_t qtype) {
    if (!d || dns_section(d, PG_DNS_QD)) return d ? d->p->err : PG_EINVAL;
    pg_dns_name(d, name);
    pg_be16(d->p, qtype);
    return pg_be16(d->p, 1);
}

int pg_dns_rr_begin(pg_dns *d, int section, const char *owner, uint16_t type, uint32_t ttl) {
    if (!d) return PG_EINVAL;
    if (section == PG_DNS_QD || dns_section(d, section)) return fail(d->p, PG_EINVAL);
    pg_dns_name(d, owner);
    pg_be16(d->p, type);
    pg_be16(d->p, 1);
    pg_be32(d->p, ttl);
    if (!pg_len_begin(d->p, 2, &d->rdlen_mark)) d->in_rr = true;
    return d->p->err;
}

int pg_dns_rr_end(pg_dns *d) {
    if (!d) return PG_EINVAL;
    if (!d->in_rr) return fail(d->p, PG_EINVAL);
    d->in_rr = false;
    return pg_len_end(d->p, d->rdlen_mark, 2);
}

int pg_dns_rr(pg_dns *d, int section, const char *owner, uint16_t type, uint32_t ttl, const void *rdata,
              uint16_t rdlen) {
    if (pg_dns_rr_begin(d, section, owner, type, ttl)) return d ? d->p->err : PG_EINVAL;
    pg_bytes(d->p, rdata, rdlen);
    return pg_dns_rr_end(d);
}

int pg_dns_rr_name(pg_dns *d, int section, const char *owner, uint16_t type, uint32_t ttl, const char *target) {
    if (pg_dns_rr_begin(d, section, owner, type, ttl)) return d ? d->p->err : PG_EINVAL;
    pg_dns_name(d, target);
    return pg_dns_rr_end(d);
}

int pg_dns_end(pg_dns *d) {
    if (!d) return PG_EINVAL;
    if (d->in_rr) return fail(d->p, PG_EINVAL);
    if (d->p->err) return d->p->err;
    for (unsigned i = 0; i < 4; i++) put16(d->p->buf + d->base + 4 + 2 * i, d->count[i]);
    return PG_OK;
}

int pg_dns_query(pg_pkt *p, uint16_t id, const char *name, uint16_t qtype) {
    pg_dns d;
    if (pg_dns_begin(&d, p, id, PG_DNS_RD)) return p ? p->err : PG_EINVAL;
    pg_dns_question(&d, name, qtype);
    return pg_dns_end(&d);
}

/* ---------------------------------------------------------------- TLS framing */

size_t pg_tls_record_begin(pg_pkt *b, uint8_t type, uint16_t version) {
    size_t m = 0;
    pg_u8(b, type);
    pg_be16(b, version);
    pg_len_begin(b, 2, &m);
    return m;
}

size_t pg_tls_hs_begin(pg_pkt *b, uint8_t type) {
    size_t m = 0;
    pg_u8(b, type);
    pg_len_begin(b, 3, &m);
    return m;
}

size_t pg_tls_ext_begin(pg_pkt *b, uint16_t type) {
    size_t m = 0;
    pg_be16(b, type);
    pg_len_begin(b, 2, &m);
    return m;
}

void pg_u16_list(pg_pkt *b, unsigned width, const uint16_t *v, size_t n) {
    size_t m = 0;
    pg_len_begin(b, width, &m);
    for (size_t i = 0; i < n; i++) pg_be16(b, v[i]);
    pg_len_end(b, m, width);
}
