/*
 * pa-hostile-captures OUTDIR
 *
 * Writes captures built to hurt the engine (issue 10) into OUTDIR; the same
 * bytes on every run. tests/hostile/captures.mjs runs every file tool on
 * each and checks the figures below. Times are seconds after 2026-01-01.
 *
 * flows.pcap: 8 long connections 10.1.0.k:40000 -> 10.2.0.1:80 (k = 1..8):
 *   handshake at k x 100 us, then every 2 s from 1 s to 999 s a 1000-byte segment
 *   from the client and its ACK, FIN both ways at 1002 s (8 x 1004 frames).
 *   Between them, 70,000 refused connections 10.3.x.y:1024+i -> 10.2.0.1:81
 *   (SYN, RST/ACK), 70 a second: more TCP conversations than the flow table
 *   holds (65,536), so ended ones must be retired while the long ones stay
 *   whole. The segments hold 1000 'x': not HTTP, so the flows to port 80
 *   are not named HTTP and make no HTTP parse error. 148,032 frames, in time order.
 * million.pcap: a SYN flood of 1,000,000 connection attempts, one frame
 *   each, 1 ms apart, from 1,000,000 addresses 11.0.0.0 + i (port 1024 +
 *   i mod 60,000) and as many MAC addresses 02:01:00:i (24 bits) to
 *   10.2.0.1:80 (MAC mac_a). Past every cap of the per-address tables:
 *   131,072 IP endpoints (the target and the first 131,071 sources), the
 *   same number of IP conversations, 65,536 MAC addresses; 65,536 live TCP
 *   flows, the others retired (none ends: half-open SYNs are retired idle).
 *   Not in the every-tool loop (too slow under the sanitizers); its own
 *   checks in captures.mjs.
 * encap.pcap: 21 frames carrying UDP, in turn: IPv4 in IPv4 nested 30
 *   deep, GRE in GRE 12 deep, 20 stacked VLAN tags (7 of each).
 * frags.pcap: two overlapping fragments with different bytes, one datagram
 *   in 80 fragments (over the 64 pieces), a fragment ending past 65,535
 *   bytes, then 300 first fragments that are never completed (over the 256
 *   datagrams in reassembly). 384 frames.
 * dns.pcap: 6 DNS responses to 10.0.0.1:53 queries: a name pointing to itself,
 *   two names pointing at each other, a pointer past the message, a 65,535
 *   answer count with no answers, labels longer than the message, and one
 *   good answer (www.example.com A 192.0.2.1). 12 frames (each query
 *   before its response).
 * tls.pcap: 4 TCP connections to :443, each with a handshake and one
 *   client segment: a record claiming 65,535 bytes with 100 behind it, a
 *   ClientHello whose length runs past its record, a ClientHello whose
 *   extensions run past the hello, and a good ClientHello (SNI
 *   good.example); then FIN both ways. 4 x 7 frames.
 * frames.pcap (snaplen 262,144): a zero-length frame, a 262,144-byte frame,
 *   a frame of 60 captured bytes out of 9,000, and 20 ordinary UDP frames
 *   whose times go back 1 s at the 6th, 11th and 16th: 23 frames, 3 times
 *   backwards.
 * blocks.pcapng: a section, an interface with an option of unknown code,
 *   and 3 packets with blocks of unknown and custom types between them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pktgen.h"

static const char *outdir;
static const uint8_t mac_a[6] = {2, 0, 0, 0, 0, 0xa}, mac_b[6] = {2, 0, 0, 0, 0, 0xb};
static uint8_t buf[300000];

static pg_ts at_us(uint64_t us) {
    pg_ts t = {1767225600u, 0};
    return pg_ts_add(t, us * 1000u);
}

static pg_writer *open_out(const char *name, uint32_t snaplen) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", outdir, name);
    pg_writer_opts o;
    pg_writer_opts_init(&o);
    if (snaplen) o.snaplen = snaplen;
    pg_writer *w;
    if (pg_open(&w, path, &o) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    return w;
}

static void ip4(pg_ip4 *ip, uint32_t src, uint32_t dst) {
    memset(ip, 0, sizeof *ip);
    for (int i = 0; i < 4; i++) {
        ip->src[i] = (uint8_t)(src >> (24 - 8 * i));
        ip->dst[i] = (uint8_t)(dst >> (24 - 8 * i));
    }
    ip->ttl = 64;
}

/* When set, a frame never goes back in time: one due earlier than the
 * last written takes its time (flows.pcap interleaves two schedules). */
static bool monotonic;
static uint64_t last_us;

static void put(pg_writer *w, pg_pkt *p, uint64_t us) {
    if (monotonic && us < last_us) us = last_us;
    last_us = us;
    pg_finish(p);
    pg_pad_to(p, 60);
    if (p->err || pg_write(w, at_us(us), p->buf, (uint32_t)p->len, (uint32_t)p->len) != 0) {
        fprintf(stderr, "building a frame failed (%d)\n", p->err);
        exit(1);
    }
}

static void tcp(pg_writer *w, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
                uint8_t flags, const void *data, size_t n, uint64_t us) {
    pg_pkt p;
    pg_pkt_init(&p, buf, sizeof buf);
    pg_eth(&p, mac_b, mac_a, PG_ETH_IPV4);
    pg_ip4 ip;
    ip4(&ip, src, dst);
    pg_ipv4(&p, &ip);
    pg_tcp_hdr th = {.sport = sport, .dport = dport, .seq = seq, .ack = ack, .flags = flags, .win = 65535};
    pg_tcp(&p, &th);
    if (n) pg_bytes(&p, data, n);
    put(w, &p, us);
}

static void flows(void) {
    pg_writer *w = open_out("flows.pcap", 0);
    monotonic = true;
    static uint8_t payload[1000];
    memset(payload, 'x', sizeof payload);
    const uint32_t srv = 0x0A020001;
    for (uint32_t k = 1; k <= 8; k++) {
        uint32_t cl = 0x0A010000 + k;
        tcp(w, cl, srv, 40000, 80, 1000, 0, PG_TH_SYN, NULL, 0, k * 100);
        tcp(w, srv, cl, 80, 40000, 5000, 1001, PG_TH_SYN | PG_TH_ACK, NULL, 0, k * 100 + 10);
        tcp(w, cl, srv, 40000, 80, 1001, 5001, PG_TH_ACK, NULL, 0, k * 100 + 20);
    }
    /* from 1 s a refused connection every 1/70 s; segment n of long
     * connection k is due at 1 s + 2 s * n + k ms (n < 499), written
     * before the first refused connection after it */
    uint32_t n = 0, k = 1; /* the next long segment: number n of connection k */
    const uint64_t tick = 1000000 / 70;
    for (uint32_t r = 0; r <= 70000; r++) {
        uint64_t us = r < 70000 ? 1000000 + r * tick : UINT64_MAX;
        for (;;) { /* the long segments (and their ACKs) due before this refused connection */
            uint64_t due = 1000000 + (uint64_t)n * 2000000 + k * 1000;
            if (n >= 499 || due + 100 >= us) break;
            uint32_t cl = 0x0A010000 + k, seq = 1001 + n * 1000;
            tcp(w, cl, srv, 40000, 80, seq, 5001, PG_TH_ACK | PG_TH_PSH, payload, sizeof payload, due);
            tcp(w, srv, cl, 80, 40000, 5001, seq + 1000, PG_TH_ACK, NULL, 0, due + 100);
            if (++k > 8) k = 1, n++;
        }
        if (r == 70000) break;
        uint32_t cl = 0x0A030000 + (r % 60000) + 1;
        uint16_t port = (uint16_t)(1024 + r / 60000);
        tcp(w, cl, srv, port, 81, 7, 0, PG_TH_SYN, NULL, 0, us);
        tcp(w, srv, cl, 81, port, 0, 8, PG_TH_RST | PG_TH_ACK, NULL, 0, us + 50);
    }
    for (uint32_t c = 1; c <= 8; c++) {
        uint32_t cl = 0x0A010000 + c, seq = 1001 + n * 1000;
        uint64_t us = 1002000000 + c * 1000;
        tcp(w, cl, srv, 40000, 80, seq, 5001, PG_TH_FIN | PG_TH_ACK, NULL, 0, us);
        tcp(w, srv, cl, 80, 40000, 5001, seq + 1, PG_TH_FIN | PG_TH_ACK, NULL, 0, us + 100);
        tcp(w, cl, srv, 40000, 80, seq + 1, 5002, PG_TH_ACK, NULL, 0, us + 200);
    }
    monotonic = false;
    pg_close(w);
}

static void million(void) {
    pg_writer *w = open_out("million.pcap", 0);
    for (uint32_t i = 0; i < 1000000; i++) {
        pg_pkt p;
        pg_pkt_init(&p, buf, sizeof buf);
        const uint8_t src_mac[6] = {2, 1, 0, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
        pg_eth(&p, mac_a, src_mac, PG_ETH_IPV4);
        pg_ip4 ip;
        ip4(&ip, 0x0B000000 + i, 0x0A020001);
        pg_ipv4(&p, &ip);
        pg_tcp_hdr th = {
            .sport = (uint16_t)(1024 + i % 60000), .dport = 80, .seq = i, .flags = PG_TH_SYN, .win = 65535};
        pg_tcp(&p, &th);
        put(w, &p, (uint64_t)i * 1000);
    }
    pg_close(w);
}

/* pg_finish sets the length and checksum of the innermost IPv4 header
 * only; a tunnel's outer headers are set here (offsets in off[]). */
static void outer_lengths(pg_pkt *p, const size_t *off, int n) {
    for (int i = 0; i < n; i++) {
        uint8_t *h = p->buf + off[i];
        size_t tot = p->len - off[i];
        h[2] = (uint8_t)(tot >> 8), h[3] = (uint8_t)tot;
        h[10] = h[11] = 0;
        uint16_t c = pg_csum(h, 20);
        h[10] = (uint8_t)(c >> 8), h[11] = (uint8_t)c;
    }
}

/* an outer IPv4 header (pktgen builds one IP header per packet); its
 * length and checksum are set by outer_lengths */
static void outer_ipv4(pg_pkt *p, uint32_t src, uint32_t dst, uint8_t proto, size_t *off) {
    uint8_t h[20] = {0x45, 0, 0, 0, 0, 0, 0, 0, 64, proto, 0, 0};
    for (int i = 0; i < 4; i++) {
        h[12 + i] = (uint8_t)(src >> (24 - 8 * i));
        h[16 + i] = (uint8_t)(dst >> (24 - 8 * i));
    }
    *off = p->len;
    pg_bytes(p, h, sizeof h);
}

static void encap(void) {
    pg_writer *w = open_out("encap.pcap", 0);
    for (int f = 0; f < 21; f++) {
        pg_pkt p;
        pg_pkt_init(&p, buf, sizeof buf);
        pg_ip4 ip;
        size_t off[40];
        int noff = 0;
        if (f % 3 == 0) {
            pg_eth(&p, mac_b, mac_a, PG_ETH_IPV4);
            for (int d = 0; d < 30; d++) /* IPv4 in IPv4 */
                outer_ipv4(&p, 0xC0000200 + (uint32_t)d, 0xC0000201 + (uint32_t)d, 4, &off[noff++]);
        } else if (f % 3 == 1) {
            pg_eth(&p, mac_b, mac_a, PG_ETH_IPV4);
            for (int d = 0; d < 12; d++) { /* GRE in GRE */
                outer_ipv4(&p, 0xC6336400 + (uint32_t)d, 0xC6336401 + (uint32_t)d, 47, &off[noff++]);
                pg_be16(&p, 0);      /* GRE flags and version */
                pg_be16(&p, 0x0800); /* IPv4 inside */
            }
        } else {
            pg_eth(&p, mac_b, mac_a, PG_ETH_VLAN); /* 20 VLAN tags */
            for (int v = 0; v < 19; v++) {
                pg_be16(&p, (uint16_t)(v + 1));
                pg_be16(&p, PG_ETH_VLAN);
            }
            pg_be16(&p, 20);
            pg_be16(&p, PG_ETH_IPV4);
        }
        ip4(&ip, 0x0A000001, 0x0A000002);
        pg_ipv4(&p, &ip);
        pg_udp(&p, 5000, 6000);
        pg_bytes(&p, "deep", 4);
        pg_finish(&p);
        outer_lengths(&p, off, noff);
        put(w, &p, (uint64_t)f * 1000);
    }
    pg_close(w);
}

static void fragment(pg_writer *w, uint32_t src, uint16_t id, uint16_t off8, bool mf, uint8_t fill, size_t n,
                     uint64_t us) {
    pg_pkt p;
    pg_pkt_init(&p, buf, sizeof buf);
    pg_eth(&p, mac_b, mac_a, PG_ETH_IPV4);
    pg_ip4 ip;
    ip4(&ip, src, 0x0A0000FE);
    ip.proto = PG_IPPROTO_UDP;
    ip.id = id;
    ip.mf = mf;
    ip.frag_off = off8;
    pg_ipv4(&p, &ip);
    pg_fill(&p, fill, n);
    put(w, &p, us);
}

static void frags(void) {
    pg_writer *w = open_out("frags.pcap", 0);
    uint64_t us = 0;
    fragment(w, 0x0A000003, 9, 0, true, 3, 64, us += 100);
    fragment(w, 0x0A000003, 9, 4, false, 4, 64, us += 100); /* bytes 32..95 over 32..63, different */
    for (uint16_t i = 0; i < 80; i++) fragment(w, 0x0A000002, 7, (uint16_t)(i * 2), i < 79, 2, 16, us += 100);
    fragment(w, 0x0A000004, 11, 8189, false, 5, 200, us += 100); /* 65512 + 200 > 65535 */
    fragment(w, 0x0A000004, 11, 0, true, 5, 64, us += 100);
    for (uint16_t i = 0; i < 300; i++) fragment(w, 0x0A000001, (uint16_t)(100 + i), 0, true, 1, 64, us += 100);
    pg_close(w);
}

static void dns_pair(pg_writer *w, uint16_t id, const uint8_t *answer, size_t n, uint64_t us) {
    static const uint8_t q[] = {3,   'w', 'w', 'w', 7,   'e', 'x', 'a', 'm', 'p', 'l',
                                'e', 3,   'c', 'o', 'm', 0,   0,   1,   0,   1};
    for (int resp = 0; resp < 2; resp++) {
        pg_pkt p;
        pg_pkt_init(&p, buf, sizeof buf);
        pg_eth(&p, resp ? mac_a : mac_b, resp ? mac_b : mac_a, PG_ETH_IPV4);
        pg_ip4 ip;
        ip4(&ip, resp ? 0x0A000035 : 0x0A000001, resp ? 0x0A000001 : 0x0A000035);
        pg_ipv4(&p, &ip);
        pg_udp(&p, resp ? 53 : 33333, resp ? 33333 : 53);
        pg_be16(&p, id);
        pg_be16(&p, resp ? 0x8180 : 0x0100);
        if (!resp) {
            pg_be16(&p, 1), pg_be16(&p, 0), pg_be16(&p, 0), pg_be16(&p, 0);
            pg_bytes(&p, q, sizeof q);
        } else {
            pg_bytes(&p, answer, n); /* counts and sections as built */
        }
        put(w, &p, us + (uint64_t)resp * 2000);
    }
}

static void dns(void) {
    pg_writer *w = open_out("dns.pcap", 0);
    /* after the 12-byte header: qd, an, ns, ar counts, then sections */
    static const uint8_t self_loop[] = {0,  1, 0, 1, 0, 0, 0, 0, 0xC0, 12, 0, 1,   0, 1, 0xC0,
                                        12, 0, 1, 0, 1, 0, 0, 0, 60,   0,  4, 192, 0, 2, 1};
    static const uint8_t two_loop[] = {0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 14, 0xC0, 12, 0, 1, 0, 1};
    static const uint8_t past_end[] = {0, 1, 0, 0, 0, 0, 0, 0, 0xC3, 0xFF, 0, 1, 0, 1};
    static const uint8_t many[] = {0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 'a', 0, 0, 1, 0, 1};
    static const uint8_t long_label[] = {0, 1, 0, 0, 0, 0, 0, 0, 63, 'a', 'b', 'c', 'd', 0, 0, 1};
    static const uint8_t good[] = {0,   1,   0,   1,   0,   0, 0,   0,   3,   'w', 'w', 'w', 7, 'e', 'x',
                                   'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,   0,   1,   0, 1,   0xC0,
                                   12,  0,   1,   0,   1,   0, 0,   0,   60,  0,   4,   192, 0, 2,   1};
    const struct {
        const uint8_t *b;
        size_t n;
    } msgs[] = {{self_loop, sizeof self_loop}, {two_loop, sizeof two_loop},     {past_end, sizeof past_end},
                {many, sizeof many},           {long_label, sizeof long_label}, {good, sizeof good}};
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++)
        dns_pair(w, (uint16_t)(0x100 + i), msgs[i].b, msgs[i].n, i * 10000);
    pg_close(w);
}

/* a ClientHello with SNI `sni`; hs_extra / ext_extra add to its declared
 * lengths without adding bytes */
static size_t client_hello(uint8_t *out, size_t cap, const char *sni, uint16_t hs_extra, uint16_t ext_extra) {
    pg_pkt b;
    pg_pkt_init(&b, out, cap);
    size_t rec = pg_tls_record_begin(&b, 22, 0x0301);
    size_t hs = pg_tls_hs_begin(&b, 1);
    pg_be16(&b, 0x0303);
    pg_fill(&b, 0x11, 32);
    pg_u8(&b, 0);
    static const uint16_t suites[] = {0x1301, 0xC02F};
    pg_u16_list(&b, 2, suites, 2);
    pg_u8(&b, 1), pg_u8(&b, 0);
    size_t exts;
    pg_len_begin(&b, 2, &exts);
    size_t e = pg_tls_ext_begin(&b, 0);
    size_t list;
    pg_len_begin(&b, 2, &list);
    pg_u8(&b, 0);
    size_t nm;
    pg_len_begin(&b, 2, &nm);
    pg_bytes(&b, sni, strlen(sni));
    pg_len_end(&b, nm, 2);
    pg_len_end(&b, list, 2);
    pg_len_end(&b, e, 2);
    pg_len_end(&b, exts, 2);
    pg_len_end(&b, hs, 3);
    pg_len_end(&b, rec, 2);
    /* lengths made to lie: the handshake's (3 bytes after the record header's 5 + type) and the extensions' */
    uint32_t hl = ((uint32_t)out[6] << 16 | (uint32_t)out[7] << 8 | out[8]) + hs_extra;
    out[6] = (uint8_t)(hl >> 16), out[7] = (uint8_t)(hl >> 8), out[8] = (uint8_t)hl;
    size_t ext_at = 5 + 4 + 2 + 32 + 1 + 2 + 4 + 2;
    uint16_t el = (uint16_t)((out[ext_at] << 8 | out[ext_at + 1]) + ext_extra);
    out[ext_at] = (uint8_t)(el >> 8), out[ext_at + 1] = (uint8_t)el;
    return b.err ? 0 : b.len;
}

static void tls(void) {
    pg_writer *w = open_out("tls.pcap", 0);
    static uint8_t rec[2048];
    for (uint32_t c = 0; c < 4; c++) {
        size_t n;
        if (c == 0) { /* a record header claiming 65,535 bytes, 100 behind it */
            rec[0] = 22, rec[1] = 3, rec[2] = 1, rec[3] = 0xFF, rec[4] = 0xFF;
            memset(rec + 5, 1, 100);
            n = 105;
        } else {
            n = client_hello(rec, sizeof rec, c == 3 ? "good.example" : "bad.example", c == 1 ? 4000 : 0,
                             c == 2 ? 3000 : 0);
        }
        uint32_t cl = 0x0A000010 + c, sv = 0x0A000099;
        uint16_t port = (uint16_t)(50000 + c);
        uint64_t us = c * 100000;
        tcp(w, cl, sv, port, 443, 100, 0, PG_TH_SYN, NULL, 0, us);
        tcp(w, sv, cl, 443, port, 900, 101, PG_TH_SYN | PG_TH_ACK, NULL, 0, us + 100);
        tcp(w, cl, sv, port, 443, 101, 901, PG_TH_ACK, NULL, 0, us + 200);
        tcp(w, cl, sv, port, 443, 101, 901, PG_TH_ACK | PG_TH_PSH, rec, n, us + 300);
        tcp(w, cl, sv, port, 443, 101 + (uint32_t)n, 901, PG_TH_FIN | PG_TH_ACK, NULL, 0, us + 400);
        tcp(w, sv, cl, 443, port, 901, 102 + (uint32_t)n, PG_TH_FIN | PG_TH_ACK, NULL, 0, us + 500);
        tcp(w, cl, sv, port, 443, 102 + (uint32_t)n, 902, PG_TH_ACK, NULL, 0, us + 600);
    }
    pg_close(w);
}

static void frames(void) {
    pg_writer *w = open_out("frames.pcap", 262144);
    pg_write(w, at_us(0), buf, 0, 0);
    memset(buf, 0xAB, 262144);
    pg_write(w, at_us(1000), buf, 262144, 262144);
    pg_pkt p;
    pg_pkt_init(&p, buf, sizeof buf);
    pg_eth(&p, mac_b, mac_a, PG_ETH_IPV4);
    pg_ip4 ip;
    ip4(&ip, 0x0A000001, 0x0A000002);
    pg_ipv4(&p, &ip);
    pg_udp(&p, 1000, 2000);
    pg_fill(&p, 0, 8958);
    pg_finish(&p);
    pg_write(w, at_us(2000), buf, 60, (uint32_t)p.len);
    uint64_t t = 10000000;
    for (int i = 0; i < 20; i++) {
        t = (i % 5 == 0 && i) ? t - 1000000 : t + 1000;
        pg_pkt_init(&p, buf, sizeof buf);
        pg_eth(&p, mac_b, mac_a, PG_ETH_IPV4);
        pg_ipv4(&p, &ip);
        pg_udp(&p, 1000, 2000);
        pg_bytes(&p, "tick", 4);
        put(w, &p, t);
    }
    pg_close(w);
}

static void le32(FILE *f, uint32_t v) {
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    fwrite(b, 1, 4, f);
}

static void le16(FILE *f, uint16_t v) {
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    fwrite(b, 1, 2, f);
}

/* pcapng written by hand, so blocks pktgen does not know can be put in */
static void blocks(void) {
    char path[4096];
    snprintf(path, sizeof path, "%s/blocks.pcapng", outdir);
    FILE *f = fopen(path, "wb");
    if (!f) exit(1);
    le32(f, 0x0A0D0D0A), le32(f, 28), le32(f, 0x1A2B3C4D), le16(f, 1), le16(f, 0);
    le32(f, 0xFFFFFFFF), le32(f, 0xFFFFFFFF), le32(f, 28);
    /* interface: Ethernet, snaplen 65535, an option of unknown code 0x7777 (4 bytes), end */
    le32(f, 1), le32(f, 32), le16(f, 1), le16(f, 0), le32(f, 65535);
    le16(f, 0x7777), le16(f, 4), le32(f, 0xDEADBEEF), le16(f, 0), le16(f, 0), le32(f, 32);
    pg_pkt p;
    pg_ip4 ip;
    ip4(&ip, 0x0A000001, 0x0A000002);
    for (int i = 0; i < 3; i++) {
        pg_pkt_init(&p, buf, sizeof buf);
        pg_eth(&p, mac_b, mac_a, PG_ETH_IPV4);
        pg_ipv4(&p, &ip);
        pg_udp(&p, 1000, 2000);
        pg_bytes(&p, "blocks", 6);
        pg_finish(&p);
        pg_pad_to(&p, 60);
        uint32_t len = (uint32_t)p.len, padded = (len + 3) & ~3u;
        uint64_t ts = 1767225600000000ull + (uint64_t)i * 1000;
        le32(f, 6), le32(f, 32 + padded), le32(f, 0), le32(f, (uint32_t)(ts >> 32)), le32(f, (uint32_t)ts);
        le32(f, len), le32(f, len);
        fwrite(buf, 1, len, f);
        for (uint32_t k = len; k < padded; k++) fputc(0, f);
        le32(f, 32 + padded);
        /* between packets: an unknown block type, then a custom block (0x00000BAD) */
        uint32_t type = i == 0 ? 0x00000123u : i == 1 ? 0x00000BADu : 0x40000BADu;
        le32(f, type), le32(f, 24), le32(f, 0x12345678), le32(f, 0x9ABCDEF0), le32(f, 0), le32(f, 24);
    }
    fclose(f);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: pa-hostile-captures OUTDIR\n");
        return 2;
    }
    outdir = argv[1];
    if (mkdir(outdir, 0755) != 0 && errno != EEXIST) {
        perror(outdir);
        return 1;
    }
    flows();
    million();
    encap();
    frags();
    dns();
    tls();
    frames();
    blocks();
    return 0;
}
