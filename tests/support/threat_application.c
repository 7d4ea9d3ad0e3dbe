/*
 * The application-layer threats of pa-threat-scenarios (see
 * threat_scenarios.c for the conventions): DNS tunnelling and fast flux,
 * beaconing, clear-text logins, weak TLS and unusual service ports.
 *
 * dns_tunnel.pcap (440 frames): 10.0.0.20 -> 10.0.0.53:53, query i (i = 0..219)
 *   at 0.1*i s in frame 2i+1, answer (+20 ms, NOERROR, AA, TTL 0) in 2i+2; each
 *   from its own source port.  Names <50 chars of [a-z2-7]>.t.tunnel-test.example
 *   (72 chars), all distinct.  Frames 1-400: 200 TXT queries, each answered by
 *   one TXT string of 120 base64 characters.  Frames 401-440: 20 NULL (type 10)
 *   queries, each answered by a NULL record of 100 random bytes.
 *
 * dns_fastflux.pcap (60 frames): 10.0.0.20 -> 10.0.0.53, 30 A queries for
 *   flux.fastflux-test.example every 10 s (frame 2k+1); each answer (2k+2, 30 ms
 *   later) is NOERROR with 3 A records, TTL 5; 90 distinct addresses overall,
 *   each in a different /16.
 *
 * beacon.pcap (240 frames, 1140 s): 20 connections 10.0.0.30 -> 203.0.113.50:8443
 *   at 60*k s + jitter (k = 0..19; jitter in [-0.3, +0.3] s, 0 for k = 0), each 8
 *   frames: handshake (40 ms RTT), 120 bytes out, 60 bytes back, FIN both ways.
 *   SYNs in frames 1, 25, 49, 57, 65, 73, 97, 105, 113, 121, 129, 153, 161, 169,
 *   177, 185, 193, 217, 225, 233.  Noise: 5 TLS 1.2 connections (16 frames, as
 *   in ordinary.pcap) to 93.184.216.34:443 at 23.4, 97.1, 311.8, 642.5, 1003.9 s
 *   (SYNs 9, 33, 81, 137, 201).  Source ports 51200.. in connection order.
 *
 * cleartext_creds.pcap (95 frames): client 10.0.0.40, server 10.0.0.41; one
 *   command per segment, CRLF; credentials are in these frames:
 *   1-14   FTP 45001->21: 220 ready (4), USER alice (5), 331 (6), PASS s3cret-ftp (7),
 *          230 Logged in (8), QUIT, 221
 *   15-23  HTTP 45002->80 at 5 s: GET /private/ with Authorization: Basic
 *          Ym9iOmh1bnRlcjI= (bob:hunter2) (18), 200 OK (19)
 *   24-37  POP3 45003->110 at 10 s: USER carol (28), PASS pop-secret (30), +OK (31)
 *   38-49  IMAP 45004->143 at 15 s: a1 LOGIN dave imap-secret (42), a1 OK (43)
 *   50-63  SMTP 45005->587 at 20 s: AUTH PLAIN AGVyaW4Ac210cC1zZWNyZXQ=
 *          (\0erin\0smtp-secret) (56), 235 (57)
 *   64-81  SMTP 45006->25 at 25 s: AUTH LOGIN (70), 334 VXNlcm5hbWU6 (71), ZnJhbms=
 *          (frank) (72), 334 UGFzc3dvcmQ6 (73), bG9naW4tc2VjcmV0 (login-secret)
 *          (74), 235 (75)
 *   82-95  Telnet 45007->23 at 30 s: "login: " (85), "gina\r\n" (86), "Password: "
 *          (87), "telnet-secret\r\n" (88), banner and prompt (89), exit, logout
 *
 * weak_tls.pcap (38 frames): client 10.0.0.50, server 10.0.0.51.
 *   1-15   50001->443: TLS 1.0 (record and hello 0x0301), ClientHello (4; SNI
 *          legacy.example; suites 0005 0004 002f 0035 000a; no session id),
 *          ServerHello TLS_RSA_WITH_RC4_128_SHA + Certificate + ServerHelloDone (5),
 *          CKE+CCS+Finished (6), CCS+Finished (7), application data 8-9,
 *          close_notify 11-12, FINs 13-15.  Certificate self-signed (subject =
 *          issuer = O=Example Services, CN=other.example; SAN other.example),
 *          valid 2015-01-01..2016-01-01.
 *   16-30  50002->8443 at 5 s: TLS 1.2 ClientHello (19; SNI 3des.example; suites
 *          c02f c030 009c 009d 002f 0035 000a), ServerHello
 *          TLS_RSA_WITH_3DES_EDE_CBC_SHA + Certificate + ServerHelloDone (20),
 *          as above otherwise.  Certificate CN/SAN 3des.example issued by
 *          Example Test CA, valid 2025-01-01..2030-01-01.
 *   31-38  50003->443 at 10 s: TLS 1.2 ClientHello (34; SNI strict.example; the
 *          ordinary suites) answered by a fatal handshake_failure alert (35: level
 *          2, description 40), then FINs.
 *   All certificates are RSA-2048 with sha256WithRSAEncryption.
 *
 * bad_ports.pcap (59 frames): 10.0.0.60 -> 10.0.0.61, one connection every 2 s
 *   (client ports 46001..46006), each 9 frames: handshake, a few bytes each way,
 *   FIN both ways: telnet 23 (1-9, IAC options), rlogin 513 (10-18, NUL both
 *   ways), VNC 5900 (19-27, RFB 003.008), IRC 6667 (28-36, NICK guest), 4444
 *   (37-45, 8 binary bytes / "OK"), 31337 (46-54, "hello").  55: TFTP read request
 *   46100->69 for pxelinux.cfg (octet), 56: DATA block 1 from port 51515, 57: ACK.
 *   58: SNMP v2c GetRequest (community "public") 46200->161; 59: an SNMPv3
 *   message header 46201->161 (no community string).
 */
#include "threat_kit.h"

#include <stdio.h>
#include <string.h>

/* 11. dns_tunnel.pcap */
int f_dns_tunnel(void) {
    static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static bool port_used[65536];
    rng_seed(0x000b);
    memset(port_used, 0, sizeof port_used);
    host cl = mkhost(10, 0, 0, 20), rs = mkhost(10, 0, 0, 53);
    for (unsigned i = 0; i < 220; i++) {
        bool txt = i < 200;
        uint64_t us = MSEC(100) * i;
        char label[51], name[128], text[121];
        uint8_t bin[100], buf[512];
        rng_text(label, 50, b32);
        snprintf(name, sizeof name, "%s.t.tunnel-test.example", label);
        uint16_t sport = ephemeral_port();
        while (port_used[sport]) /* a fresh socket per query: no two share a port */
            sport = ephemeral_port();
        port_used[sport] = true;
        uint16_t id = (uint16_t)rng32();
        uint16_t qtype = txt ? PG_DNS_TXT : 10 /* NULL */;
        TRY(dns_query(&cl, &rs, sport, 53, us, id, name, qtype));

        pg_pkt p;
        pg_dns d;
        ip_frame(&p, buf, sizeof buf, &rs, &cl);
        pg_udp(&p, 53, sport);
        pg_dns_begin(&d, &p, id, PG_DNS_QR | PG_DNS_AA | PG_DNS_RD | PG_DNS_RA);
        pg_dns_question(&d, name, qtype);
        pg_dns_rr_begin(&d, PG_DNS_AN, name, qtype, 0);
        if (txt) {
            rng_text(text, 120, b64);
            pg_u8(&p, 120); /* one character-string */
            pg_bytes(&p, text, 120);
        } else {
            rng_bytes(bin, sizeof bin);
            pg_bytes(&p, bin, sizeof bin);
        }
        pg_dns_rr_end(&d);
        TRY(pg_dns_end(&d));
        TRY(put_frame(&p, us + 20000));
    }
    return PG_OK;
}

/* 12. dns_fastflux.pcap */
int f_dns_fastflux(void) {
    static uint8_t addrs[90][4];
    rng_seed(0x000c);
    host cl = mkhost(10, 0, 0, 20), rs = mkhost(10, 0, 0, 53);
    /* 90 distinct public-looking addresses, all in different /16s */
    for (unsigned n = 0; n < 90;) {
        uint8_t a = (uint8_t)(11u + rng_below(213)); /* 11..223 */
        if (a == 100 || a == 127 || a == 169 || a == 172 || a == 192 || a == 198 || a == 203) continue;
        uint8_t b = (uint8_t)rng32();
        bool dup = false;
        for (unsigned j = 0; j < n; j++) dup = dup || (addrs[j][0] == a && addrs[j][1] == b);
        if (dup) continue;
        addrs[n][0] = a;
        addrs[n][1] = b;
        addrs[n][2] = (uint8_t)rng32();
        addrs[n][3] = (uint8_t)(1u + rng_below(254));
        n++;
    }
    for (unsigned k = 0; k < 30; k++) {
        uint64_t us = SEC(10 * k);
        uint16_t sport = ephemeral_port(), id = (uint16_t)rng32();
        TRY(dns_query(&cl, &rs, sport, 53, us, id, "flux.fastflux-test.example", PG_DNS_A));
        TRY(dns_answer(&rs, &cl, 53, sport, us + 30000, id, "flux.fastflux-test.example", PG_DNS_A, 0,
                       (const uint8_t(*)[4]) & addrs[3 * k], 3, 5, NULL));
    }
    return PG_OK;
}

/* 13. beacon.pcap */
int f_beacon(void) {
    static const uint64_t noise_at[5] = {SEC(23) + MSEC(400), SEC(97) + MSEC(100), SEC(311) + MSEC(800),
                                         SEC(642) + MSEC(500), SEC(1003) + MSEC(900)};
    rng_seed(0x000d);
    host cl = mkhost(10, 0, 0, 30), c2 = mkhost(203, 0, 113, 50), web = mkhost(93, 184, 216, 34);
    unsigned noise = 0;
    uint16_t port = 51200;
    for (unsigned k = 0; k < 20; k++) {
        /* ms, -300..300; the first is on time so the capture starts at T0 */
        int64_t jitter = k ? (int64_t)rng_below(601) - 300 : 0;
        uint64_t us = (uint64_t)((int64_t)SEC(60 * k) + jitter * 1000);
        while (noise < NELEM(noise_at) && noise_at[noise] < us) {
            pg_tcp_conv c;
            tls_flow f = www_flow();
            TRY(conv_init(&c, &cl, port++, &web, 443));
            TRY(tls_connection(&c, noise_at[noise++], 25000, &f));
        }
        uint8_t out[120], back[60];
        rng_bytes(out, sizeof out);
        rng_bytes(back, sizeof back);
        pg_tcp_conv c;
        TRY(conv_init(&c, &cl, port++, &c2, 8443));
        TRY(pg_tcp_handshake(&c, at(us), PG_MS(40)));
        TRY(pg_tcp_send(&c, at(us + 40100), PG_CLIENT, out, sizeof out, PG_TCP_PUSH));
        TRY(pg_tcp_send(&c, at(us + 80200), PG_SERVER, back, sizeof back, PG_TCP_PUSH));
        TRY(tcp_close(&c, us + 80300, PG_CLIENT, 40000));
    }
    while (noise < NELEM(noise_at)) {
        pg_tcp_conv c;
        tls_flow f = www_flow();
        TRY(conv_init(&c, &cl, port++, &web, 443));
        TRY(tls_connection(&c, noise_at[noise++], 25000, &f));
    }
    return PG_OK;
}

/* 14. cleartext_creds.pcap */
static size_t base64(const void *in, size_t n, char *out, size_t cap) {
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const uint8_t *s = in;
    size_t o = 0;
    if ((n + 2) / 3 * 4 + 1 > cap) return 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        if (i + 1 < n) v |= (uint32_t)s[i + 1] << 8;
        if (i + 2 < n) v |= s[i + 2];
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = '\0';
    return o;
}

/* A line-based dialogue, one line (or reply block) per segment, 30 ms
 * apart; the server speaks first when lines[0] is the server's. */
typedef struct line {
    int from;
    const char *text;
} line;

static int dialogue(const host *cl, uint16_t cport, const host *sv, uint16_t sport, uint64_t us, const line *lines,
                    size_t n) {
    pg_tcp_conv c;
    TRY(conv_init(&c, cl, cport, sv, sport));
    TRY(pg_tcp_handshake(&c, at(us), PG_US(500)));
    us += 1000;
    for (size_t i = 0; i < n; i++, us += MSEC(30)) TRY(send_str(&c, us, lines[i].from, lines[i].text));
    TRY(pg_tcp_ack(&c, at(us), PG_CLIENT));
    return tcp_close(&c, us + MSEC(10), PG_SERVER, 500);
}

int f_cleartext_creds(void) {
    rng_seed(0x000e);
    host cl = mkhost(10, 0, 0, 40), sv = mkhost(10, 0, 0, 41);
    char auth_http[160], plain[128], user[128], pass[128];
    static const char bob[] = "bob:hunter2", erin[] = "\0erin\0smtp-secret";
    char b[96];
    if (!base64(bob, sizeof bob - 1, b, sizeof b)) return PG_ENOSPC;
    snprintf(auth_http, sizeof auth_http, "Authorization: Basic %s\r\n", b);
    if (!base64(erin, sizeof erin - 1, b, sizeof b)) return PG_ENOSPC;
    snprintf(plain, sizeof plain, "AUTH PLAIN %s\r\n", b);
    if (!base64("frank", 5, b, sizeof b)) return PG_ENOSPC;
    snprintf(user, sizeof user, "%s\r\n", b);
    if (!base64("login-secret", 12, b, sizeof b)) return PG_ENOSPC;
    snprintf(pass, sizeof pass, "%s\r\n", b);

    const line ftp[] = {
        {PG_SERVER, "220 ready\r\n"},       {PG_CLIENT, "USER alice\r\n"},    {PG_SERVER, "331 Password required\r\n"},
        {PG_CLIENT, "PASS s3cret-ftp\r\n"}, {PG_SERVER, "230 Logged in\r\n"}, {PG_CLIENT, "QUIT\r\n"},
        {PG_SERVER, "221 Goodbye\r\n"},
    };
    TRY(dialogue(&cl, 45001, &sv, 21, 0, ftp, NELEM(ftp)));

    TRY(http_get(&cl, 45002, &sv, 80, SEC(5), "/private/", "10.0.0.41", auth_http, "200 OK",
                 "<html><body><p>Welcome, bob.</p></body></html>\n", HTTP_CLOSE));

    const line pop[] = {
        {PG_SERVER, "+OK POP3 server ready\r\n"}, {PG_CLIENT, "USER carol\r\n"},     {PG_SERVER, "+OK\r\n"},
        {PG_CLIENT, "PASS pop-secret\r\n"},       {PG_SERVER, "+OK Logged in.\r\n"}, {PG_CLIENT, "QUIT\r\n"},
        {PG_SERVER, "+OK Logging out.\r\n"},
    };
    TRY(dialogue(&cl, 45003, &sv, 110, SEC(10), pop, NELEM(pop)));

    const line imap[] = {
        {PG_SERVER, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] IMAP server ready\r\n"},
        {PG_CLIENT, "a1 LOGIN dave imap-secret\r\n"},
        {PG_SERVER, "a1 OK LOGIN completed\r\n"},
        {PG_CLIENT, "a2 LOGOUT\r\n"},
        {PG_SERVER, "* BYE Logging out\r\na2 OK LOGOUT completed\r\n"},
    };
    TRY(dialogue(&cl, 45004, &sv, 143, SEC(15), imap, NELEM(imap)));

    const line sub[] = {
        {PG_SERVER, "220 mail.example ESMTP\r\n"},
        {PG_CLIENT, "EHLO client.example\r\n"},
        {PG_SERVER, "250-mail.example\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"},
        {PG_CLIENT, plain},
        {PG_SERVER, "235 2.7.0 Authentication successful\r\n"},
        {PG_CLIENT, "QUIT\r\n"},
        {PG_SERVER, "221 2.0.0 Bye\r\n"},
    };
    TRY(dialogue(&cl, 45005, &sv, 587, SEC(20), sub, NELEM(sub)));

    const line smtp[] = {
        {PG_SERVER, "220 mail.example ESMTP\r\n"},
        {PG_CLIENT, "EHLO client.example\r\n"},
        {PG_SERVER, "250-mail.example\r\n250-AUTH LOGIN PLAIN\r\n250 8BITMIME\r\n"},
        {PG_CLIENT, "AUTH LOGIN\r\n"},
        {PG_SERVER, "334 VXNlcm5hbWU6\r\n"}, /* "Username:" */
        {PG_CLIENT, user},
        {PG_SERVER, "334 UGFzc3dvcmQ6\r\n"}, /* "Password:" */
        {PG_CLIENT, pass},
        {PG_SERVER, "235 2.7.0 Authentication successful\r\n"},
        {PG_CLIENT, "QUIT\r\n"},
        {PG_SERVER, "221 2.0.0 Bye\r\n"},
    };
    TRY(dialogue(&cl, 45006, &sv, 25, SEC(25), smtp, NELEM(smtp)));

    const line telnet[] = {
        {PG_SERVER, "login: "},
        {PG_CLIENT, "gina\r\n"},
        {PG_SERVER, "Password: "},
        {PG_CLIENT, "telnet-secret\r\n"},
        {PG_SERVER, "\r\nLast login: Wed Dec 31 09:00:00 on tty1\r\n$ "},
        {PG_CLIENT, "exit\r\n"},
        {PG_SERVER, "logout\r\n"},
    };
    return dialogue(&cl, 45007, &sv, 23, SEC(30), telnet, NELEM(telnet));
}

/* 15. weak_tls.pcap */
int f_weak_tls(void) {
    static const uint16_t legacy[] = {0x0005, 0x0004, 0x002f, 0x0035, 0x000a};
    static const uint16_t mixed[] = {0xc02f, 0xc030, 0x009c, 0x009d, 0x002f, 0x0035, 0x000a};
    rng_seed(0x000f);
    host cl = mkhost(10, 0, 0, 50), sv = mkhost(10, 0, 0, 51);
    pg_tcp_conv c;

    tls_flow a = {.version = TLS10,
                  .sni = "legacy.example",
                  .suites = legacy,
                  .nsuites = NELEM(legacy),
                  .modern = false,
                  .suite = RSA_RC4_128_SHA,
                  .crt = &CERT_OTHER,
                  .req_len = 300,
                  .resp_len = 900};
    TRY(conv_init(&c, &cl, 50001, &sv, 443));
    TRY(tls_connection(&c, 0, 1000, &a));

    tls_flow b = {.version = TLS12,
                  .sni = "3des.example",
                  .suites = mixed,
                  .nsuites = NELEM(mixed),
                  .modern = true,
                  .suite = RSA_3DES_EDE_CBC_SHA,
                  .crt = &CERT_3DES,
                  .req_len = 300,
                  .resp_len = 900};
    TRY(conv_init(&c, &cl, 50002, &sv, 8443));
    TRY(tls_connection(&c, SEC(5), 1000, &b));

    tls_flow fail = {.version = TLS12,
                     .sni = "strict.example",
                     .suites = MODERN_SUITES,
                     .nsuites = NELEM(MODERN_SUITES),
                     .modern = true,
                     .suite = 0};
    TRY(conv_init(&c, &cl, 50003, &sv, 443));
    return tls_connection(&c, SEC(10), 1000, &fail);
}

/* 16. bad_ports.pcap */
int f_bad_ports(void) {
    rng_seed(0x0010);
    host cl = mkhost(10, 0, 0, 60), sv = mkhost(10, 0, 0, 61);
    static const char telnet_opts[] = "\xff\xfd\x18\xff\xfd\x20\xff\xfd\x23\xff\xfd\x27";
    static const uint8_t rnd[8] = {0x8f, 0x21, 0x5c, 0xe0, 0x13, 0x77, 0xa4, 0x09};
#define S(lit) lit, sizeof(lit) - 1
    const struct {
        uint16_t port;
        int first;     /* who speaks first */
        const void *a; /* first message */
        size_t alen;
        const void *b; /* the answer */
        size_t blen;
    } svc[] = {
        {23, PG_SERVER, S(telnet_opts), S("\xff\xfc\x18\xff\xfc\x20\xff\xfc\x23\xff\xfc\x27")},
        {513, PG_CLIENT, "", 1, "", 1}, /* rlogin: the leading NUL both ways */
        {5900, PG_SERVER, S("RFB 003.008\n"), S("RFB 003.008\n")},
        {6667, PG_CLIENT, S("NICK guest\r\n"), S(":irc.example 020 * :Please wait...\r\n")},
        {4444, PG_CLIENT, rnd, sizeof rnd, S("OK\n")},
        {31337, PG_CLIENT, S("hello\n"), S("hello\n")},
    };
#undef S
    uint64_t us = 0;
    for (unsigned i = 0; i < NELEM(svc); i++, us += SEC(2)) {
        pg_tcp_conv c;
        TRY(conv_init(&c, &cl, (uint16_t)(46001 + i), &sv, svc[i].port));
        TRY(pg_tcp_handshake(&c, at(us), PG_US(500)));
        TRY(pg_tcp_send(&c, at(us + 1000), svc[i].first, svc[i].a, svc[i].alen, PG_TCP_PUSH));
        TRY(pg_tcp_send(&c, at(us + 2000), !svc[i].first, svc[i].b, svc[i].blen, PG_TCP_PUSH));
        TRY(pg_tcp_ack(&c, at(us + 2500), svc[i].first));
        TRY(tcp_close(&c, us + MSEC(100), PG_CLIENT, 500));
    }

    /* TFTP: read request to 69; the server answers from its own port. */
    uint8_t buf[256];
    pg_pkt p;
    static const char rrq[] = "\x00\x01pxelinux.cfg\x00octet";
    ip_frame(&p, buf, sizeof buf, &cl, &sv);
    pg_udp(&p, 46100, 69);
    pg_bytes(&p, rrq, sizeof rrq); /* includes the final NUL */
    TRY(put_frame(&p, us));
    static const char data[] = "\x00\x03\x00\x01"
                               "default menu.c32\nprompt 0\n";
    ip_frame(&p, buf, sizeof buf, &sv, &cl);
    pg_udp(&p, 51515, 46100);
    pg_bytes(&p, data, sizeof data - 1);
    TRY(put_frame(&p, us + 800));
    ip_frame(&p, buf, sizeof buf, &cl, &sv);
    pg_udp(&p, 46100, 51515);
    pg_bytes(&p, "\x00\x04\x00\x01", 4);
    TRY(put_frame(&p, us + 1000));

    /* SNMP: a v2c GetRequest (community "public", in clear) and the start of
     * a v3 message (no community) to port 161 */
    static const uint8_t v2c[] = {0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, 'p',  'u',  'b',  'l',  'i',  'c',  0xa0,
                                  0x19, 0x02, 0x04, 0x12, 0x34, 0x56, 0x78, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30,
                                  0x0b, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x05, 0x00};
    static const uint8_t v3[] = {0x30, 0x3e, 0x02, 0x01, 0x03, 0x30, 0x11, 0x02, 0x04, 0x01, 0x02, 0x03, 0x04};
    ip_frame(&p, buf, sizeof buf, &cl, &sv);
    pg_udp(&p, 46200, 161);
    pg_bytes(&p, v2c, sizeof v2c);
    TRY(put_frame(&p, us + 2000));
    ip_frame(&p, buf, sizeof buf, &cl, &sv);
    pg_udp(&p, 46201, 161);
    pg_bytes(&p, v3, sizeof v3);
    return put_frame(&p, us + 3000);
}
