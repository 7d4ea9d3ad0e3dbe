/* A capture built to load the flow table (docs/BENCHMARKS.md): CONNS short
 * TCP connections from many clients to a few servers (handshake, one
 * request and one reply, FIN both ways), then a SYN scan of every port of
 * eight hosts, answered by RSTs. Classic pcap, Ethernet, microseconds.
 * Usage: gen_flows OUT.pcap [CONNS=1000000] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *out;
static uint64_t now_us = 1700000000ull * 1000000ull;
static uint64_t frames;

static uint32_t rng_state = 12345;
static uint32_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

static uint16_t csum(const uint8_t *p, size_t n, uint32_t sum) {
    for (size_t i = 0; i + 1 < n; i += 2) sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (n & 1) sum += (uint32_t)p[n - 1] << 8;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void tcp(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
                const char *payload) {
    uint8_t f[128];
    size_t plen = payload ? strlen(payload) : 0, optlen = (flags & 0x02) ? 4 : 0;
    size_t tcplen = 20 + optlen + plen, iplen = 20 + tcplen, n = 14 + iplen;
    memset(f, 0, sizeof f);
    memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
    uint8_t *ip = f + 14, *t = ip + 20;
    ip[0] = 0x45;
    ip[2] = (uint8_t)(iplen >> 8);
    ip[3] = (uint8_t)iplen;
    ip[6] = 0x40; /* DF */
    ip[8] = 64;
    ip[9] = 6;
    for (int i = 0; i < 4; i++) {
        ip[12 + i] = (uint8_t)(src >> (24 - 8 * i));
        ip[16 + i] = (uint8_t)(dst >> (24 - 8 * i));
    }
    uint16_t c = csum(ip, 20, 0);
    ip[10] = (uint8_t)(c >> 8);
    ip[11] = (uint8_t)c;
    t[0] = (uint8_t)(sport >> 8);
    t[1] = (uint8_t)sport;
    t[2] = (uint8_t)(dport >> 8);
    t[3] = (uint8_t)dport;
    for (int i = 0; i < 4; i++) {
        t[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
        t[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
    }
    t[12] = (uint8_t)((20 + optlen) / 4 << 4);
    t[13] = flags;
    t[14] = 0xfa; /* window 64240 */
    t[15] = 0xf0;
    if (optlen) memcpy(t + 20, "\x02\x04\x05\xb4", 4); /* MSS 1460 */
    if (plen) memcpy(t + 20 + optlen, payload, plen);
    /* pseudo-header sum, then the segment */
    uint32_t ps = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 6 + (uint32_t)tcplen;
    c = csum(t, tcplen, ps);
    t[16] = (uint8_t)(c >> 8);
    t[17] = (uint8_t)c;
    uint8_t rec[16];
    put32(rec, (uint32_t)(now_us / 1000000));
    put32(rec + 4, (uint32_t)(now_us % 1000000));
    put32(rec + 8, (uint32_t)n);
    put32(rec + 12, (uint32_t)n);
    fwrite(rec, 1, 16, out);
    fwrite(f, 1, n, out);
    frames++;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: gen_flows OUT.pcap [CONNS=1000000]\n");
        return 2;
    }
    long conns = argc == 3 ? atol(argv[2]) : 1000000;
    out = fopen(argv[1], "wb");
    if (!out || conns < 0) return 1;
    static char buf[1 << 20];
    setvbuf(out, buf, _IOFBF, sizeof buf);
    uint8_t hdr[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0};
    fwrite(hdr, 1, 24, out);
    static const char req[] = "GET / HTTP/1.1\r\nHost: s\r\n\r\n";
    static const char rsp[] = "HTTP/1.1 204 No Content\r\n\r\n";
    /* 20,000 new connections a second; each takes about 2 ms, so a few
     * dozen are open at once and the table fills with finished ones */
    for (long i = 0; i < conns; i++) {
        uint32_t cli = 0x0a000000u | (rnd() & 0x00ffffffu), srv = 0xc0a80000u | (rnd() & 0x3f);
        uint16_t sp = (uint16_t)(1024 + rnd() % 64000), dp = (i & 1) ? 80 : 8080;
        uint32_t cs = rnd(), ss = rnd();
        uint32_t rl = (uint32_t)strlen(req), sl = (uint32_t)strlen(rsp);
        tcp(cli, srv, sp, dp, cs, 0, 0x02, NULL);
        now_us += 10;
        tcp(srv, cli, dp, sp, ss, cs + 1, 0x12, NULL);
        now_us += 10;
        tcp(cli, srv, sp, dp, cs + 1, ss + 1, 0x10, NULL);
        tcp(cli, srv, sp, dp, cs + 1, ss + 1, 0x18, req);
        now_us += 5;
        tcp(srv, cli, dp, sp, ss + 1, cs + 1 + rl, 0x18, rsp);
        tcp(cli, srv, sp, dp, cs + 1 + rl, ss + 1 + sl, 0x11, NULL);
        tcp(srv, cli, dp, sp, ss + 1 + sl, cs + 2 + rl, 0x11, NULL);
        tcp(cli, srv, sp, dp, cs + 2 + rl, ss + 2 + sl, 0x10, NULL);
        now_us += 20;
    }
    /* SYN scan: one scanner, eight hosts, every port; closed ports reset */
    uint32_t scanner = 0x0a630063u;
    for (uint32_t h = 0; h < 8; h++)
        for (uint32_t port = 1; port <= 65535; port++) {
            uint32_t dst = 0xc0a80100u | (h + 1), seq = rnd();
            uint16_t sp = (uint16_t)(40000 + (port & 0x3ff));
            tcp(scanner, dst, sp, (uint16_t)port, seq, 0, 0x02, NULL);
            now_us += 2;
            tcp(dst, scanner, (uint16_t)port, sp, 0, seq + 1, 0x14, NULL);
            now_us += 3;
        }
    if (fclose(out) != 0) return 1;
    fprintf(stderr, "%llu frames\n", (unsigned long long)frames);
    return 0;
}
