/*
 * The network- and transport-layer attacks of pa-threat-scenarios (see
 * threat_scenarios.c for the conventions): scans, resets, floods, ARP
 * spoofing and duplicate addresses.
 *
 * scan_syn_vertical.pcap (402 frames): 10.0.0.66:50000 -> 10.0.0.5 ports 1-200,
 *   SYN (window 1024, MSS only) every 1 ms from 0.  Closed ports answer RST/ACK
 *   (+150 us); 22 and 80 answer SYN/ACK and the scanner resets (RST, no ACK).
 *   SYN to port p: frame 2p-1 (p<=22), 2p (23..80), 2p+1 (p>80).
 *   Port 22: SYN 43, SYN/ACK 44, RST 45.  Port 80: SYN 160, SYN/ACK 161, RST 162.
 *   200 SYNs, 198 RST/ACKs, 2 SYN/ACKs, 2 RSTs.
 *
 * scan_horizontal.pcap (105 frames): 10.0.0.66:50000 -> 10.0.1.k:445, k = 1..100,
 *   SYN every 2 ms from 0.  10.0.1.1-5 answer RST/ACK (SYN 2k-1, RST 2k, frames
 *   1-10); 10.0.1.6-100 never answer (SYN in frame k+5, frames 11-105).
 *
 * scan_connect.pcap (204 frames): 10.0.0.77 -> 10.0.0.5 ports 20-119 (100
 *   ports), 1 ms apart, source port 41000 + 2*(port-20).  Closed: SYN, RST/ACK.
 *   Open 22 (frames 5-8) and 80 (123-126): SYN, SYN/ACK, ACK, RST/ACK from the
 *   scanner, no data.  SYN to p: 2p-39 (p<=22), 2p-37 (23..80), 2p-35 (p>80).
 *
 * scan_stealth.pcap (298 frames): 10.0.0.88:50000 -> 10.0.0.5, 1 ms apart, no
 *   options, window 1024: NULL to 1-50, FIN to 51-100, FIN|PSH|URG to 101-150.
 *   Closed ports answer RST/ACK (ack = seq, +1 for FIN); 22 (frame 43) and 80
 *   (frame 158) get no answer.  Probe to p: 2p-1 (p<=22), 2p-2 (23..80),
 *   2p-3 (p>80).  150 probes, 148 RST/ACKs.
 *
 * rst_storm.pcap (300 frames): 10.0.0.9:80 sends RST/ACK i (frame i+1, i = 0..299,
 *   every 5 ms) to 172.16.(i/250).(i%250+1), port 30000+i; no SYN anywhere.
 *
 * syn_flood.pcap (2527 frames): 1-27: three complete HTTP connections from
 *   192.0.2.10 (ports 50001-50003) to 10.0.0.80:80 at 0, 1, 2 s (GET /, 200 OK).
 *   From 5 s: 2000 SYNs (window 512, no options) 1 ms apart to 10.0.0.80:80
 *   from 198.51.100.x (even k) / 203.0.113.x (odd k), 500 distinct addresses,
 *   2000 distinct source ports; SYN/ACK (+100 us) to the first 500 only and no
 *   final ACK ever.  SYN k at frame 28+2k (k<500) or 528+k; last at 6.999 s.
 *
 * icmp_flood.pcap (1100 frames): 10.0.0.99 -> 10.0.0.5 echo id 0x0f0f seq 1-1000,
 *   1 ms apart, 56-byte payload; replies (+80 us) to seq 1-100 only.  Request
 *   seq s: frame 2s-1 (s<=100) or s+100.
 *
 * icmp_large.pcap (10 frames): 10.0.0.98 -> 10.0.0.5 echo id 0x0abc seq 1-5,
 *   1472-byte payload (1514-byte frames), 1 s apart; request 2s-1, reply 2s.
 *
 * arp_spoof.pcap (21 frames): 1 who-has 10.0.0.1 from 10.0.0.20
 *   (02:00:00:00:00:20), 2 reply 10.0.0.1 is-at 02:00:00:00:00:01; 3-6 ping
 *   10.0.0.20 -> 10.0.0.1 at 1 and 2 s; 7-16 gratuitous replies (sender = target
 *   = 10.0.0.1, 02:00:00:00:00:66, to broadcast) at 10..19 s; 17-21 replies to
 *   02:00:00:00:00:20 / 10.0.0.20: "10.0.0.1 is-at 02:00:00:00:00:66" at 20..24 s.
 *
 * arp_dup.pcap (21 frames, 100 ms apart): Wireshark's duplicate IP address
 *   rules, one per frame.  MACs A 02:00:00:00:0a:0a, B ...0b:0b, C ...0c:0c;
 *   addresses X 10.1.0.1, Y 10.1.0.2, Z 10.1.0.3, W 10.1.0.4.  Table: the first
 *   MAC each address is claimed with; "warns" = Duplicate IP address configured.
 *    1 request A/X for Y (X=A; a request's target is not a claim)
 *    2 reply B/Y to A/X (Y=B; X seen again with A)
 *    3 request C/X: warns X      4 the same again: warns X (the entry stays A)
 *    5 request A/X (refresh)     6 reply C/W to B/Y (W=C)
 *    7 reply A/Z to C/Y: Z=A, the target Y with C warns Y
 *    8 gratuitous reply C/X to C/X: warns X once (not again for the target)
 *    9 gratuitous reply C/X to broadcast/X: warns X
 *   10 request from multicast MAC 01:00:5e:00:00:01 for X: not a claim
 *   11 request from MAC 00:00:00:00:00:00 for X: not a claim
 *   12 probe C/0.0.0.0 for X: not a claim
 *   13 request C/X, hardware type 6 (IEEE 802): warns X
 *   14 request C/X, hardware type 7: not Ethernet, not checked
 *   15 reply C/Y to C/Z: warns Y and Z (two in one frame)
 *   16 reply B/Y to 00:..:00/X: refresh Y; a zero target MAC is not a claim
 *   17 request C/X in VLAN 5: warns X
 *   18 opcode 3 (reverse request) C/X: not checked
 *   19 reply B/Y to C/0.0.0.0: refresh Y only
 *   20 request A/X (refresh)     21 reply C/W to A/X (both as in the table)
 *   tshark -z expert: 9 warnings, "(10.1.0.1)" 6, "(10.1.0.2)" 2, "(10.1.0.3)" 1.
 */
#include "threat_kit.h"

/* 2. scan_syn_vertical.pcap */
static bool open_port(unsigned p) { return p == 22 || p == 80; }

int f_scan_syn_vertical(void) {
    rng_seed(0x0002);
    host sc = mkhost(10, 0, 0, 66), tg = mkhost(10, 0, 0, 5);
    for (unsigned p = 1; p <= 200; p++) {
        uint64_t us = MSEC(p - 1);
        uint32_t seq = rng32();
        seg syn = {50000, (uint16_t)p, seq, 0, PG_TH_SYN, 1024, 1460};
        TRY(tcp_raw(&sc, &tg, &syn, us));
        if (open_port(p)) {
            seg sa = {(uint16_t)p, 50000, rng32(), seq + 1, PG_TH_SYN | PG_TH_ACK, 64240, 1460};
            seg rst = {50000, (uint16_t)p, seq + 1, 0, PG_TH_RST, 0, 0};
            TRY(tcp_raw(&tg, &sc, &sa, us + 150));
            TRY(tcp_raw(&sc, &tg, &rst, us + 250)); /* the scanner's kernel knows no such socket */
        } else {
            seg ra = {(uint16_t)p, 50000, 0, seq + 1, PG_TH_RST | PG_TH_ACK, 0, 0};
            TRY(tcp_raw(&tg, &sc, &ra, us + 150));
        }
    }
    return PG_OK;
}

/* 3. scan_horizontal.pcap */
int f_scan_horizontal(void) {
    rng_seed(0x0003);
    host sc = mkhost(10, 0, 0, 66);
    for (unsigned k = 1; k <= 100; k++) {
        host tg = mkhost(10, 0, 1, (uint8_t)k);
        uint64_t us = MSEC(2 * (k - 1));
        uint32_t seq = rng32();
        seg syn = {50000, 445, seq, 0, PG_TH_SYN, 1024, 1460};
        TRY(tcp_raw(&sc, &tg, &syn, us));
        if (k <= 5) {
            seg ra = {445, 50000, 0, seq + 1, PG_TH_RST | PG_TH_ACK, 0, 0};
            TRY(tcp_raw(&tg, &sc, &ra, us + 300));
        }
    }
    return PG_OK;
}

/* 4. scan_connect.pcap */
int f_scan_connect(void) {
    rng_seed(0x0004);
    host sc = mkhost(10, 0, 0, 77), tg = mkhost(10, 0, 0, 5);
    for (unsigned p = 20; p <= 119; p++) {
        uint64_t us = MSEC(p - 20);
        uint16_t sport = (uint16_t)(41000u + 2u * (p - 20));
        if (open_port(p)) {
            pg_tcp_conv c;
            TRY(conv_init(&c, &sc, sport, &tg, (uint16_t)p));
            TRY(pg_tcp_handshake(&c, at(us), PG_US(150)));
            TRY(pg_tcp_rst(&c, at(us + 300), PG_CLIENT)); /* close() with SO_LINGER 0 */
        } else {
            TRY(conv_refused(&sc, sport, &tg, (uint16_t)p, us, 150));
        }
    }
    return PG_OK;
}

/* 5. scan_stealth.pcap */
int f_scan_stealth(void) {
    rng_seed(0x0005);
    host sc = mkhost(10, 0, 0, 88), tg = mkhost(10, 0, 0, 5);
    for (unsigned p = 1; p <= 150; p++) {
        uint64_t us = MSEC(p - 1);
        uint8_t flags = p <= 50 ? 0 : p <= 100 ? PG_TH_FIN : PG_TH_FIN | PG_TH_PSH | PG_TH_URG;
        uint32_t seq = rng32();
        seg probe = {50000, (uint16_t)p, seq, 0, flags, 1024, 0};
        TRY(tcp_raw(&sc, &tg, &probe, us));
        if (!open_port(p)) { /* RFC 9293: closed ports reset; open ones drop it */
            uint32_t ack = seq + ((flags & PG_TH_FIN) ? 1u : 0u);
            seg ra = {(uint16_t)p, 50000, 0, ack, PG_TH_RST | PG_TH_ACK, 0, 0};
            TRY(tcp_raw(&tg, &sc, &ra, us + 150));
        }
    }
    return PG_OK;
}

/* 6. rst_storm.pcap */
int f_rst_storm(void) {
    rng_seed(0x0006);
    host src = mkhost(10, 0, 0, 9);
    for (unsigned i = 0; i < 300; i++) {
        host dst = mkhost(172, 16, (uint8_t)(i / 250u), (uint8_t)(i % 250u + 1u));
        uint32_t seq = rng32(), ack = rng32();
        seg ra = {80, (uint16_t)(30000u + i), seq, ack, PG_TH_RST | PG_TH_ACK, 0, 0};
        TRY(tcp_raw(&src, &dst, &ra, MSEC(5 * i)));
    }
    return PG_OK;
}

/* 7. syn_flood.pcap */
int f_syn_flood(void) {
    static const char body[] = "<html><body><p>It works.</p></body></html>\n";
    rng_seed(0x0007);
    host sv = mkhost(10, 0, 0, 80), cl = mkhost(192, 0, 2, 10);
    for (unsigned i = 0; i < 3; i++)
        TRY(http_get(&cl, (uint16_t)(50001 + i), &sv, 80, SEC(i), "/", "10.0.0.80", "", "200 OK", body, HTTP_CLOSE));
    for (unsigned k = 0; k < 2000; k++) {
        uint64_t us = SEC(5) + MSEC(k);
        uint8_t x = (uint8_t)(1u + rng_below(254));
        host src = k % 2 ? mkhost(203, 0, 113, x) : mkhost(198, 51, 100, x);
        src.ttl = (uint8_t)(40u + rng_below(20));
        src.ip_id = (uint16_t)rng32();
        uint32_t seq = rng32();
        uint16_t sport = (uint16_t)(1025u + (k * 7919u) % 64000u); /* distinct per SYN */
        seg syn = {sport, 80, seq, 0, PG_TH_SYN, 512, 0};
        TRY(tcp_raw(&src, &sv, &syn, us));
        if (k < 500) {
            seg sa = {80, sport, rng32(), seq + 1, PG_TH_SYN | PG_TH_ACK, 64240, 1460};
            TRY(tcp_raw(&sv, &src, &sa, us + 100));
        }
    }
    return PG_OK;
}

/* 8. icmp_flood.pcap */
int f_icmp_flood(void) {
    rng_seed(0x0008);
    host a = mkhost(10, 0, 0, 99), b = mkhost(10, 0, 0, 5);
    for (unsigned k = 0; k < 1000; k++) {
        uint64_t us = MSEC(k);
        uint16_t seq = (uint16_t)(k + 1);
        TRY(echo_frame(&a, &b, false, 0x0f0f, seq, us, 56, us));
        if (k < 100) TRY(echo_frame(&b, &a, true, 0x0f0f, seq, us, 56, us + 80));
    }
    return PG_OK;
}

/* 9. icmp_large.pcap */
int f_icmp_large(void) {
    rng_seed(0x0009);
    host a = mkhost(10, 0, 0, 98), b = mkhost(10, 0, 0, 5);
    for (uint16_t s = 1; s <= 5; s++) TRY(ping(&a, &b, 0x0abc, s, SEC(s - 1), 300, 1472));
    return PG_OK;
}

/* 10. arp_spoof.pcap */
int f_arp_spoof(void) {
    rng_seed(0x000a);
    host v = mkhost(10, 0, 0, 20), gw = mkhost(10, 0, 0, 1);
    const uint8_t evil[6] = {0x02, 0, 0, 0, 0x00, 0x66};
    TRY(arp_frame(PG_ARP_REQUEST, MAC_BCAST, v.mac, v.mac, v.ip, MAC_ZERO, gw.ip, 0));
    TRY(arp_frame(PG_ARP_REPLY, v.mac, gw.mac, gw.mac, gw.ip, v.mac, v.ip, 300));
    TRY(ping(&v, &gw, 0x0321, 1, SEC(1), 400, 56));
    TRY(ping(&v, &gw, 0x0321, 2, SEC(2), 400, 56));
    for (unsigned i = 0; i < 10; i++) /* gratuitous: "10.0.0.1 is at ...:66", to everyone */
        TRY(arp_frame(PG_ARP_REPLY, MAC_BCAST, evil, evil, gw.ip, MAC_BCAST, gw.ip, SEC(10 + i)));
    for (unsigned i = 0; i < 5; i++) /* aimed at the victim's cache */
        TRY(arp_frame(PG_ARP_REPLY, v.mac, evil, evil, gw.ip, v.mac, v.ip, SEC(20 + i)));
    return PG_OK;
}

/* 10b. arp_dup.pcap: an ARP frame with a chosen hardware type and VLAN (0: none) */
static int arp_frame_x(uint16_t op, uint16_t htype, uint16_t vlan, const uint8_t esrc[6], const uint8_t sha[6],
                       const uint8_t spa[4], const uint8_t tha[6], const uint8_t tpa[4], uint64_t us) {
    uint8_t buf[64];
    pg_pkt p;
    pg_pkt_init(&p, buf, sizeof buf);
    if (vlan)
        pg_eth_vlan(&p, MAC_BCAST, esrc, vlan, PG_ETH_ARP);
    else
        pg_eth(&p, MAC_BCAST, esrc, PG_ETH_ARP);
    size_t at_arp = p.len;
    pg_arp(&p, op, sha, spa, tha, tpa);
    buf[at_arp] = (uint8_t)(htype >> 8);
    buf[at_arp + 1] = (uint8_t)htype;
    TRY(pg_finish(&p));
    TRY(pg_pad_to(&p, 60));
    return pg_write_pkt(W, at(us), &p);
}

int f_arp_dup(void) {
    const uint8_t A[6] = {2, 0, 0, 0, 0x0a, 0x0a}, B[6] = {2, 0, 0, 0, 0x0b, 0x0b}, C[6] = {2, 0, 0, 0, 0x0c, 0x0c};
    const uint8_t MC[6] = {0x01, 0x00, 0x5e, 0, 0, 1};
    const uint8_t X[4] = {10, 1, 0, 1}, Y[4] = {10, 1, 0, 2}, Z[4] = {10, 1, 0, 3}, Wa[4] = {10, 1, 0, 4};
    const uint8_t NONE[4] = {0};
    const uint16_t Q = PG_ARP_REQUEST, R = PG_ARP_REPLY;
    uint64_t t = 0;
#define ARPX(op, ht, vl, src, sha, spa, tha, tpa) TRY(arp_frame_x(op, ht, vl, src, sha, spa, tha, tpa, t += 100000))
    ARPX(Q, 1, 0, A, A, X, MAC_ZERO, Y);        /* 1 */
    ARPX(R, 1, 0, B, B, Y, A, X);               /* 2 */
    ARPX(Q, 1, 0, C, C, X, MAC_ZERO, Y);        /* 3 */
    ARPX(Q, 1, 0, C, C, X, MAC_ZERO, Y);        /* 4 */
    ARPX(Q, 1, 0, A, A, X, MAC_ZERO, Y);        /* 5 */
    ARPX(R, 1, 0, C, C, Wa, B, Y);              /* 6 */
    ARPX(R, 1, 0, A, A, Z, C, Y);               /* 7 */
    ARPX(R, 1, 0, C, C, X, C, X);               /* 8 */
    ARPX(R, 1, 0, C, C, X, MAC_BCAST, X);       /* 9 */
    ARPX(Q, 1, 0, C, MC, X, MAC_ZERO, Y);       /* 10 */
    ARPX(Q, 1, 0, C, MAC_ZERO, X, MAC_ZERO, Y); /* 11 */
    ARPX(Q, 1, 0, C, C, NONE, MAC_ZERO, X);     /* 12 */
    ARPX(Q, 6, 0, C, C, X, MAC_ZERO, Y);        /* 13 */
    ARPX(Q, 7, 0, C, C, X, MAC_ZERO, Y);        /* 14 */
    ARPX(R, 1, 0, C, C, Y, C, Z);               /* 15 */
    ARPX(R, 1, 0, B, B, Y, MAC_ZERO, X);        /* 16 */
    ARPX(Q, 1, 5, C, C, X, MAC_ZERO, Y);        /* 17 */
    ARPX(3, 1, 0, C, C, X, MAC_ZERO, Y);        /* 18 */
    ARPX(R, 1, 0, B, B, Y, C, NONE);            /* 19 */
    ARPX(Q, 1, 0, A, A, X, MAC_ZERO, Y);        /* 20 */
    ARPX(R, 1, 0, C, C, Wa, A, X);              /* 21 */
#undef ARPX
    return PG_OK;
}
