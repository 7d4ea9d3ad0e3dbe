/* Writes a capture with one TCP connection per tcp.analysis flag, so the
 * flags can be checked against tshark (tests/cli/test_tcp_flags.sh) and
 * the TCP tools against known numbers (tests/unit/test_tools_tcp.c).
 * Usage: pa-tcp-scenarios OUT.pcap */
#include <stdio.h>
#include <string.h>

#include "pktgen.h"

static pg_writer *w, *nowhere; /* nowhere: segments sent but not captured */
static pg_ts t0 = {1767000000, 0};
static uint8_t data[1448];

static pg_ts at(uint64_t ms) { return pg_ts_add(t0, PG_MS(ms)); }

static void conv(pg_tcp_conv *c, int n, bool syn, uint64_t ms) {
    pg_tcp_peer cl = {.mac = {2, 0, 0, 0, 0, 1},
                      .ip = {10, 9, 0, 1},
                      .port = (uint16_t)(40000 + n),
                      .isn = 1000u * (uint32_t)n,
                      .win = 65535,
                      .mss = 1460,
                      .wscale_on = true,
                      .wscale = 7,
                      .sack_perm = true,
                      .ttl = 64};
    pg_tcp_peer sv = {.mac = {2, 0, 0, 0, 0, 2},
                      .ip = {10, 9, 0, 2},
                      .port = 80,
                      .isn = 900000u * (uint32_t)n,
                      .win = 65535,
                      .mss = 1460,
                      .wscale_on = true,
                      .wscale = 5,
                      .sack_perm = true,
                      .ttl = 60};
    pg_tcp_init(c, w, 4, &cl, &sv);
    if (syn)
        pg_tcp_handshake(c, at(ms), PG_MS(10));
    else {
        /* joined mid-stream: pretend the handshake happened off-capture */
        c->w = nowhere;
        pg_tcp_handshake(c, at(ms), PG_MS(10));
        c->w = w;
    }
}

/* One segment written exactly as given: time (ms from `base`), sender
 * (0 client, 1 server), flags, raw numbers, window, and a window-scale
 * option shift (-1: none). */
struct raw_seg {
    unsigned ms;
    int from_server;
    uint8_t flags;
    uint32_t seq, ack, len;
    uint16_t win;
    int ws;
};

static void raw_conv(const struct raw_seg *v, size_t n, uint16_t cport, unsigned base_ms) {
    static const uint8_t cmac[6] = {2, 0, 0, 0, 0, 3}, smac[6] = {2, 0, 0, 0, 0, 4};
    for (size_t i = 0; i < n; i++) {
        uint8_t buf[2048];
        pg_pkt k;
        pg_pkt_init(&k, buf, sizeof buf);
        bool srv = v[i].from_server;
        pg_eth(&k, srv ? cmac : smac, srv ? smac : cmac, PG_ETH_IPV4);
        pg_ip4 ip = {.ttl = 64};
        const uint8_t c[4] = {10, 8, 0, 1}, sv[4] = {10, 8, 0, 2};
        memcpy(ip.src, srv ? sv : c, 4);
        memcpy(ip.dst, srv ? c : sv, 4);
        pg_ipv4(&k, &ip);
        pg_tcp_hdr th = {.sport = srv ? 80 : cport,
                         .dport = srv ? cport : 80,
                         .seq = v[i].seq,
                         .ack = v[i].ack,
                         .flags = v[i].flags,
                         .win = v[i].win};
        if (v[i].ws >= 0) {
            th.opt.wscale_on = true;
            th.opt.wscale = (uint8_t)v[i].ws;
        }
        pg_tcp(&k, &th);
        pg_bytes(&k, data, v[i].len);
        pg_finish(&k);
        pg_write_pkt(w, at(base_ms + v[i].ms), &k);
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: pa-tcp-scenarios OUT.pcap\n");
        return 2;
    }
    memset(data, 'x', sizeof data);
    if (pg_open(&w, argv[1], NULL) || pg_open(&nowhere, "/dev/null", NULL)) return 1;
    pg_tcp_conv c;

    /* 1. a segment lost before the capture point, three duplicate ACKs,
     *    then a fast retransmission */
    conv(&c, 1, true, 0);
    pg_tcp_send(&c, at(20), PG_CLIENT, data, 1000, 0);
    uint32_t lost_seq = pg_tcp_next_seq(&c, PG_CLIENT);
    c.w = nowhere;
    pg_tcp_send(&c, at(21), PG_CLIENT, data, 1000, PG_TCP_LOST);
    c.w = w;
    pg_tcp_send(&c, at(22), PG_CLIENT, data, 1000, PG_TCP_LOST); /* previous segment not captured */
    pg_tcp_send(&c, at(23), PG_CLIENT, data, 1000, PG_TCP_LOST);
    pg_tcp_ack(&c, at(31), PG_SERVER);                              /* acks the first 1000 bytes */
    pg_tcp_ack(&c, at(32), PG_SERVER);                              /* duplicate */
    pg_tcp_ack(&c, at(33), PG_SERVER);                              /* duplicate */
    pg_tcp_ack(&c, at(34), PG_SERVER);                              /* duplicate */
    pg_tcp_retransmit(&c, at(35), PG_CLIENT, lost_seq, data, 1000); /* fast retransmission */
    pg_tcp_fin(&c, at(60), PG_CLIENT);
    pg_tcp_fin(&c, at(61), PG_SERVER);
    pg_tcp_ack(&c, at(62), PG_CLIENT);

    /* 2. a retransmission after a timeout (no duplicate ACKs) */
    conv(&c, 2, true, 100);
    uint32_t s2 = pg_tcp_next_seq(&c, PG_CLIENT);
    pg_tcp_send(&c, at(120), PG_CLIENT, data, 500, PG_TCP_LOST);
    pg_tcp_retransmit(&c, at(420), PG_CLIENT, s2, data, 500);
    pg_tcp_ack(&c, at(430), PG_SERVER);
    /* 3. ...and a spurious one: the same bytes again after they were acknowledged */
    pg_tcp_retransmit(&c, at(700), PG_CLIENT, s2, data, 500);
    pg_tcp_rst(&c, at(710), PG_CLIENT);

    /* 4. zero window: the server's buffer fills; a probe; a window update */
    conv(&c, 4, true, 800);
    pg_tcp_send(&c, at(820), PG_CLIENT, data, 1400, PG_TCP_ACKNOW);
    pg_tcp_window(&c, at(830), PG_SERVER, 0);
    pg_tcp_send(&c, at(1030), PG_CLIENT, data, 1, PG_TCP_LOST); /* zero-window probe */
    pg_tcp_window(&c, at(1330), PG_SERVER, 65535);              /* window update */
    pg_tcp_fin(&c, at(1400), PG_CLIENT);
    pg_tcp_fin(&c, at(1401), PG_SERVER);
    pg_tcp_ack(&c, at(1402), PG_CLIENT);

    /* 5. keep-alive and its ACK on an idle connection */
    conv(&c, 5, true, 1500);
    pg_tcp_send(&c, at(1520), PG_CLIENT, data, 100, PG_TCP_ACKNOW);
    uint32_t ka = pg_tcp_next_seq(&c, PG_CLIENT) - 1;
    pg_tcp_retransmit(&c, at(3520), PG_CLIENT, ka, data, 0); /* seq one back, no data */
    pg_tcp_ack(&c, at(3530), PG_SERVER);

    /* 6. reordering: the second segment arrives before the first */
    conv(&c, 6, true, 4000);
    uint32_t s6 = pg_tcp_next_seq(&c, PG_CLIENT);
    c.w = nowhere;
    pg_tcp_send(&c, at(4020), PG_CLIENT, data, 700, 0);
    c.w = w;
    pg_tcp_send(&c, at(4020), PG_CLIENT, data, 700, 0);        /* first seen: a gap before it */
    pg_tcp_retransmit(&c, at(4021), PG_CLIENT, s6, data, 700); /* then the earlier one, 1 ms late */
    pg_tcp_ack(&c, at(4030), PG_SERVER);

    /* 7. joined mid-stream: no SYN, so window scaling is unknown */
    conv(&c, 7, false, 5000);
    pg_tcp_send(&c, at(5020), PG_CLIENT, data, 300, PG_TCP_ACKNOW);
    pg_tcp_send(&c, at(5030), PG_SERVER, data, 300, PG_TCP_ACKNOW);

    /* 8. a refused connection */
    conv(&c, 8, false, 6000);
    c.w = w;
    pg_tcp_syn(&c, at(6000));
    pg_tcp_rst(&c, at(6001), PG_SERVER);

    /* Hand-written segments for the flags the corpus never shows, from
     * docs/TCP_ANALYSIS.md section 8.1 (captures "zwp", "winfull",
     * "winfull_noscale", "reuse"), each on its own client port. */
    static const struct raw_seg zwp[] = {{0, 0, PG_TH_SYN, 1000, 0, 0, 64240, 7},
                                         {10, 1, PG_TH_SYN | PG_TH_ACK, 5000, 1001, 0, 65535, 7},
                                         {20, 0, PG_TH_ACK, 1001, 5001, 0, 502, -1},
                                         {21, 0, PG_TH_PSH | PG_TH_ACK, 1001, 5001, 1000, 502, -1},
                                         {30, 1, PG_TH_ACK, 5001, 2001, 0, 0, -1},
                                         {230, 0, PG_TH_ACK, 2001, 5001, 1, 502, -1},
                                         {240, 1, PG_TH_ACK, 5001, 2001, 0, 0, -1},
                                         {640, 0, PG_TH_ACK, 2001, 5001, 1, 502, -1},
                                         {650, 1, PG_TH_ACK, 5001, 2001, 0, 0, -1},
                                         {700, 1, PG_TH_ACK, 5001, 2001, 0, 100, -1},
                                         {710, 0, PG_TH_PSH | PG_TH_ACK, 2001, 5001, 500, 502, -1},
                                         {720, 1, PG_TH_ACK, 5001, 2501, 0, 100, -1},
                                         {730, 0, PG_TH_PSH | PG_TH_ACK, 2501, 5001, 1, 502, -1},
                                         {731, 0, PG_TH_ACK, 2501, 5001, 0, 502, -1}};
    static const struct raw_seg winfull[] = {{0, 0, PG_TH_SYN, 1000, 0, 0, 64240, 2},
                                             {10, 1, PG_TH_SYN | PG_TH_ACK, 5000, 1001, 0, 1000, 2},
                                             {20, 0, PG_TH_ACK, 1001, 5001, 0, 502, -1},
                                             {21, 0, PG_TH_PSH | PG_TH_ACK, 1001, 5001, 1000, 502, -1},
                                             {30, 1, PG_TH_ACK, 5001, 2001, 0, 500, -1},
                                             {31, 0, PG_TH_PSH | PG_TH_ACK, 2001, 5001, 1000, 502, -1},
                                             {32, 0, PG_TH_PSH | PG_TH_ACK, 3001, 5001, 1000, 502, -1},
                                             {40, 1, PG_TH_ACK, 5001, 4001, 0, 500, -1},
                                             {41, 1, PG_TH_ACK, 5001, 4001, 0, 500, -1},
                                             {42, 1, PG_TH_ACK, 5001, 4001, 0, 500, -1},
                                             {43, 1, PG_TH_ACK, 5001, 4001, 0, 600, -1}};
    static const struct raw_seg winfull_noscale[] = {
        {0, 0, PG_TH_SYN, 1000, 0, 0, 64240, -1},   {10, 1, PG_TH_SYN | PG_TH_ACK, 5000, 1001, 0, 1000, -1},
        {20, 0, PG_TH_ACK, 1001, 5001, 0, 502, -1}, {21, 0, PG_TH_PSH | PG_TH_ACK, 1001, 5001, 1000, 502, -1},
        {30, 1, PG_TH_ACK, 5001, 2001, 0, 500, -1}, {31, 0, PG_TH_PSH | PG_TH_ACK, 2001, 5001, 500, 502, -1}};
    static const struct raw_seg reuse[] = {{0, 0, PG_TH_SYN, 1000, 0, 0, 64240, -1},
                                           {10, 1, PG_TH_SYN | PG_TH_ACK, 5000, 1001, 0, 65535, -1},
                                           {20, 0, PG_TH_ACK, 1001, 5001, 0, 502, -1},
                                           {21, 0, PG_TH_FIN | PG_TH_ACK, 1001, 5001, 0, 502, -1},
                                           {30, 1, PG_TH_FIN | PG_TH_ACK, 5001, 1002, 0, 502, -1},
                                           {31, 0, PG_TH_ACK, 1002, 5002, 0, 502, -1},
                                           {2000, 0, PG_TH_SYN, 1000, 0, 0, 64240, -1},
                                           {3000, 0, PG_TH_SYN, 90000, 0, 0, 64240, -1},
                                           {3010, 1, PG_TH_SYN | PG_TH_ACK, 70000, 90001, 0, 65535, -1},
                                           {3020, 0, PG_TH_ACK, 90001, 70001, 0, 502, -1},
                                           {3030, 1, PG_TH_SYN | PG_TH_ACK, 70000, 90001, 0, 65535, -1},
                                           {3040, 1, PG_TH_SYN | PG_TH_ACK, 71111, 90001, 0, 65535, -1},
                                           {3050, 0, PG_TH_PSH | PG_TH_ACK, 90001, 70001, 10, 502, -1}};
    raw_conv(zwp, sizeof zwp / sizeof zwp[0], 41001, 10000);
    raw_conv(winfull, sizeof winfull / sizeof winfull[0], 41002, 20000);
    raw_conv(winfull_noscale, sizeof winfull_noscale / sizeof winfull_noscale[0], 41003, 30000);
    raw_conv(reuse, sizeof reuse / sizeof reuse[0], 41004, 40000);

    pg_close(nowhere);
    return pg_close(w) ? 1 : 0;
}
