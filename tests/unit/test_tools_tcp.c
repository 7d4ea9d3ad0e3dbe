/* The TCP tools on the generated scenarios (tests/support/tcp_scenarios.c,
 * one connection per tcp.analysis flag, whose flags tcp_flags_vs_tshark
 * checks against tshark) and on the sample capture. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "pktgen.h"
#include "rows_text.h"
#include "tool_common.h"

static char dir[64];
static pa_registry reg;
static pa_config cfg;
static pa_tools_state *state;

static json_t *call(const char *tool, const char *args_json, pa_tool_result *res) {
    json_t *args = json_loads(args_json, 0, NULL);
    pa_tool_ctx ctx = {.cfg = &cfg, .state = state};
    pa_tool_result_init(res);
    pa_registry_call(pa_registry_find(&reg, tool), &ctx, args, res);
    json_decref(args);
    if (res->is_error) fprintf(stderr, "%s: %s\n", tool, res->text.data);
    return res->structured;
}

static json_int_t geti(json_t *o, const char *a, const char *b) {
    return json_integer_value(json_object_get(b ? json_object_get(o, a) : o, b ? b : a));
}

static json_t *row_for_stream(json_t *rows, json_int_t stream) {
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) if (json_integer_value(json_object_get(r, "stream")) == stream) return r;
    return NULL;
}

static void copy(const char *from, const char *name) {
    char to[128];
    snprintf(to, sizeof to, "%s/%s", dir, name);
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    int c;
    while (a && b && (c = fgetc(a)) != EOF) fputc(c, b);
    if (a) fclose(a);
    if (b) fclose(b);
}

/* ---- captures built here (support/pktgen) ---------------------------------- */

static const uint8_t MAC_C[6] = {2, 0, 0, 0, 7, 1}, MAC_R[6] = {2, 0, 0, 0, 7, 2};
static const pg_ts T0 = {1767100000, 0};

static pg_ts at_ms(uint64_t ms) { return pg_ts_add(T0, PG_MS(ms)); }

/* An IPv4 (or IPv6) UDP datagram from its IP header on: what an error quotes. */
static size_t udp_dgram(uint8_t *buf, size_t cap, int v, const uint8_t *s, const uint8_t *d, uint16_t sp, uint16_t dp) {
    pg_pkt k;
    pg_pkt_init(&k, buf, cap);
    if (v == 4) {
        pg_ip4 ip = {.ttl = 64, .df = true};
        memcpy(ip.src, s, 4);
        memcpy(ip.dst, d, 4);
        pg_ipv4(&k, &ip);
    } else {
        pg_ip6 ip = {.hlim = 64};
        memcpy(ip.src, s, 16);
        memcpy(ip.dst, d, 16);
        pg_ipv6(&k, &ip);
    }
    pg_udp(&k, sp, dp);
    pg_bytes(&k, "question", 8);
    pg_finish(&k);
    return k.len;
}

/* A frame carrying an IP datagram built by udp_dgram (or any other). */
static void write_dgram(pg_writer *w, uint64_t ms, int v, const uint8_t *dg, size_t n) {
    uint8_t f[2048];
    pg_pkt k;
    pg_pkt_init(&k, f, sizeof f);
    pg_eth(&k, MAC_R, MAC_C, v == 4 ? PG_ETH_IPV4 : PG_ETH_IPV6);
    pg_bytes(&k, dg, n);
    pg_pad_to(&k, 60);
    pg_write_pkt(w, at_ms(ms), &k);
}

/* An ICMP (v 4) or ICMPv6 (v 6) error from `from` to `to`: type, code, the
 * header's second word (an MTU) and the quoted bytes. */
static void write_icmp_error(pg_writer *w, uint64_t ms, int v, const uint8_t *from, const uint8_t *to, uint8_t type,
                             uint8_t code, uint32_t word, const uint8_t *quote, size_t qn) {
    uint8_t f[2048];
    pg_pkt k;
    pg_pkt_init(&k, f, sizeof f);
    pg_eth(&k, MAC_C, MAC_R, v == 4 ? PG_ETH_IPV4 : PG_ETH_IPV6);
    if (v == 4) {
        pg_ip4 ip = {.ttl = 250};
        memcpy(ip.src, from, 4);
        memcpy(ip.dst, to, 4);
        pg_ipv4(&k, &ip);
        pg_icmp_echo(&k, false, 0, 0);
    } else {
        pg_ip6 ip = {.hlim = 250};
        memcpy(ip.src, from, 16);
        memcpy(ip.dst, to, 16);
        pg_ipv6(&k, &ip);
        pg_icmp6_echo(&k, false, 0, 0);
    }
    /* the echo header's place becomes the error's: pg_finish sums it all */
    uint8_t *h = k.buf + k.l4_off;
    h[0] = type;
    h[1] = code;
    h[4] = (uint8_t)(word >> 24);
    h[5] = (uint8_t)(word >> 16);
    h[6] = (uint8_t)(word >> 8);
    h[7] = (uint8_t)word;
    pg_bytes(&k, quote, qn);
    pg_finish(&k);
    pg_write_pkt(w, at_ms(ms), &k);
}

static const uint8_t H1[4] = {10, 1, 0, 1}, H2[4] = {10, 1, 0, 2}, H3[4] = {10, 1, 0, 3}, H4[4] = {10, 1, 0, 4},
                     H9[4] = {10, 1, 0, 9}, RT[4] = {10, 1, 0, 254}, RT2[4] = {10, 1, 0, 253};
static const uint8_t V6A[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, V6B[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2},
                     V6R[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0xfe};

/* Every kind of error the quality tool names, frame by frame:
 *  1,3,5 UDP 10.1.0.1:5353 -> 10.1.0.2:53; 2,4,6 port unreachable from .2 quoting them
 *  7 TCP SYN 10.1.0.1:40000 -> 10.1.0.3:80; 8 host unreachable from the router .254
 *  9 UDP 10.1.0.1:6000 -> 10.1.0.4:7000 (DF); 10 fragmentation needed, MTU 1400, from .254
 *  11 TTL exceeded from .253 quoting a traceroute probe the capture does not hold
 *  12 UDP [2001:db8::1]:5353 -> [2001:db8::2]:53; 13 ICMPv6 port unreachable from ::2;
 *  14 packet too big (MTU 1280) from ::fe; 15 redirect from .254 (not a failure);
 *  16 port unreachable from .2 whose quote is cut short (10 bytes) */
static void write_icmp_capture(const char *path) {
    pg_writer *w;
    if (pg_open(&w, path, NULL)) return;
    uint8_t q[512];
    size_t n = udp_dgram(q, sizeof q, 4, H1, H2, 5353, 53);
    for (int i = 0; i < 3; i++) {
        write_dgram(w, 100 * (uint64_t)i, 4, q, n);
        write_icmp_error(w, 100 * (uint64_t)i + 1, 4, H2, H1, 3, 3, 0, q, n);
    }
    uint8_t syn[128];
    pg_pkt k;
    pg_pkt_init(&k, syn, sizeof syn);
    pg_ip4 ip = {.ttl = 64};
    memcpy(ip.src, H1, 4);
    memcpy(ip.dst, H3, 4);
    pg_ipv4(&k, &ip);
    pg_tcp_hdr th = {.sport = 40000, .dport = 80, .seq = 1000, .flags = PG_TH_SYN, .win = 65535};
    pg_tcp(&k, &th);
    pg_finish(&k);
    write_dgram(w, 400, 4, syn, k.len);
    write_icmp_error(w, 401, 4, RT, H1, 3, 1, 0, syn, k.len);
    n = udp_dgram(q, sizeof q, 4, H1, H4, 6000, 7000);
    write_dgram(w, 500, 4, q, n);
    write_icmp_error(w, 501, 4, RT, H1, 3, 4, 1400, q, 28);
    n = udp_dgram(q, sizeof q, 4, H1, H9, 33434, 33435);
    write_icmp_error(w, 600, 4, RT2, H1, 11, 0, 0, q, 28);
    n = udp_dgram(q, sizeof q, 6, V6A, V6B, 5353, 53);
    write_dgram(w, 700, 6, q, n);
    write_icmp_error(w, 701, 6, V6B, V6A, 1, 4, 0, q, n);
    write_icmp_error(w, 702, 6, V6R, V6A, 2, 0, 1280, q, n);
    n = udp_dgram(q, sizeof q, 4, H1, H4, 6000, 7000);
    write_icmp_error(w, 800, 4, RT, H1, 5, 1, 0x0A0100FD, q, 28);
    write_icmp_error(w, 900, 4, H2, H1, 3, 3, 0, q, 10);
    pg_close(w);
}

/* `ok` UDP exchanges, then (when type is not 0) one ICMP error of that type
 * and code quoting the last of them: a capture whose only problem, if
 * any, is that error. */
static void write_one_error(const char *path, int ok, uint8_t type, uint8_t code) {
    pg_writer *w;
    if (pg_open(&w, path, NULL)) return;
    uint8_t q[256];
    size_t n = udp_dgram(q, sizeof q, 4, H1, H2, 5353, 53);
    for (int i = 0; i < ok; i++) write_dgram(w, 10 * (uint64_t)i, 4, q, n);
    if (type) write_icmp_error(w, 10 * (uint64_t)ok, 4, type == 5 ? RT : H2, H1, type, code, 0, q, n);
    pg_close(w);
}

/* 40 connections with a lost segment, duplicate ACKs and a fast
 * retransmission, a zero window and its update, a keep-alive on every
 * other one; and 30 port unreachables, each about another UDP flow: long
 * lists for every TCP tool, to page and to cut. */
static void write_many(const char *path) {
    pg_writer *w, *nowhere;
    if (pg_open(&w, path, NULL) || pg_open(&nowhere, "/dev/null", NULL)) return;
    static uint8_t data[1400];
    memset(data, 'y', sizeof data);
    for (int i = 0; i < 40; i++) {
        pg_tcp_peer cl = {.mac = {2, 0, 0, 0, 8, 1},
                          .ip = {10, 7, 0, 1},
                          .port = (uint16_t)(30000 + i),
                          .isn = 7000u * (uint32_t)i,
                          .win = 65535,
                          .mss = 1460,
                          .wscale_on = true,
                          .wscale = 7,
                          .sack_perm = true,
                          .ttl = 64};
        pg_tcp_peer sv = {.mac = {2, 0, 0, 0, 8, 2},
                          .ip = {10, 7, 1, (uint8_t)(1 + i % 7)},
                          .port = 443,
                          .isn = 800000u * (uint32_t)i,
                          .win = 65535,
                          .mss = 1460,
                          .wscale_on = true,
                          .wscale = 5,
                          .sack_perm = true,
                          .ttl = 60};
        pg_tcp_conv c;
        uint64_t b = 1000 * (uint64_t)i;
        pg_tcp_init(&c, w, 4, &cl, &sv);
        pg_tcp_handshake(&c, at_ms(b), PG_MS(5 + (uint64_t)i));
        for (int k = 0; k < 8; k++) /* 11 KB: enough to be ranked by speed */
            pg_tcp_send(&c, at_ms(b + 20 + 5 * (uint64_t)k + (uint64_t)i % 3), PG_CLIENT, data, 1400, PG_TCP_ACKNOW);
        pg_tcp_send(&c, at_ms(b + 100), PG_CLIENT, data, 1000, 0);
        uint32_t lost = pg_tcp_next_seq(&c, PG_CLIENT);
        c.w = nowhere;
        pg_tcp_send(&c, at_ms(b + 101), PG_CLIENT, data, 1000, PG_TCP_LOST);
        c.w = w;
        int more = 2 + i % 4;
        for (int k = 0; k < more; k++)
            pg_tcp_send(&c, at_ms(b + 102 + (uint64_t)k), PG_CLIENT, data, 1000, PG_TCP_LOST);
        for (int k = 0; k <= more; k++) pg_tcp_ack(&c, at_ms(b + 120 + (uint64_t)k), PG_SERVER);
        pg_tcp_retransmit(&c, at_ms(b + 130), PG_CLIENT, lost, data, 1000);
        pg_tcp_ack(&c, at_ms(b + 140), PG_SERVER);
        pg_tcp_window(&c, at_ms(b + 150), PG_SERVER, 0);
        pg_tcp_window(&c, at_ms(b + 150 + 10 * (uint64_t)(i % 9)), PG_SERVER, 65535);
        if (i % 2 == 0) {
            uint32_t ka = pg_tcp_next_seq(&c, PG_CLIENT) - 1;
            pg_tcp_retransmit(&c, at_ms(b + 700), PG_CLIENT, ka, data, 0);
            pg_tcp_ack(&c, at_ms(b + 710), PG_SERVER);
        }
        pg_tcp_fin(&c, at_ms(b + 800), PG_CLIENT);
        pg_tcp_fin(&c, at_ms(b + 801), PG_SERVER);
        pg_tcp_ack(&c, at_ms(b + 802), PG_CLIENT);
    }
    uint8_t q[256];
    for (int i = 0; i < 30; i++) {
        size_t n = udp_dgram(q, sizeof q, 4, H1, H2, (uint16_t)(20000 + i), 53);
        for (int k = 0; k <= i % 3; k++) {
            write_dgram(w, 50000 + 10 * (uint64_t)i + (uint64_t)k, 4, q, n);
            write_icmp_error(w, 50000 + 10 * (uint64_t)i + (uint64_t)k, 4, H2, H1, 3, 3, 0, q, n);
        }
    }
    pg_close(w);
    pg_close(nowhere);
}

/* ---- checks ------------------------------------------------------------------ */

/* What identifies a row in the text: its display filter, or "stream N ". */
static void row_needle(json_t *row, char *out, size_t n) {
    json_t *f = json_object_get(row, "display_filter");
    if (f)
        snprintf(out, n, "%s", json_string_value(f));
    else
        snprintf(out, n, "stream %lld ", (long long)json_integer_value(json_object_get(row, "stream")));
}

/* Rows of the list not found in the text, in order. */
static size_t rows_missing(json_t *rows, const char *text) {
    const char *at = text;
    size_t i, missing = 0;
    json_t *r;
    json_array_foreach(rows, i, r) {
        char nd[512];
        row_needle(r, nd, sizeof nd);
        const char *p = strstr(at, nd);
        if (!p)
            missing++;
        else
            at = p + strlen(nd);
    }
    return missing;
}

/* The frames a display filter matches (list_packets), as "1 2 3". */
static void matched_frames(const char *file, const char *filter, char *out, size_t n) {
    json_t *a = json_pack("{s:s, s:s, s:i}", "pcap_file", file, "display_filter", filter, "limit", 1000);
    char *args = json_dumps(a, 0);
    pa_tool_result r;
    json_t *s = call("list_packets", args, &r);
    size_t i, k = 0;
    json_t *p;
    out[0] = '\0';
    json_array_foreach(json_object_get(s, "packets"), i, p) k +=
        (size_t)snprintf(out + k, k < n ? n - k : 0, "%s%lld", i ? " " : "",
                         (long long)json_integer_value(json_object_get(p, "number")));
    pa_tool_result_free(&r);
    free(args);
    json_decref(a);
}

static void frames_str(json_t *arr, char *out, size_t n) {
    size_t i, k = 0;
    json_t *v;
    out[0] = '\0';
    json_array_foreach(arr, i, v) k +=
        (size_t)snprintf(out + k, k < n ? n - k : 0, "%s%lld", i ? " " : "", (long long)json_integer_value(v));
}

static json_t *icmp_row(json_t *s, const char *kind, const char *src) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(s, "icmp_errors"), i, r) {
        const char *rs = json_string_value(json_object_get(r, "src"));
        if (!strcmp(json_string_value(json_object_get(r, "kind")), kind) && (!src ? !rs : rs && !strcmp(rs, src)))
            return r;
    }
    return NULL;
}

static void test_icmp_errors(void) {
    char p[128], want[256], got[256];
    snprintf(p, sizeof p, "%s/icmp.pcap", dir);
    write_icmp_capture(p);
    pa_tool_result r;
    json_t *s = call("analyze_network_quality_metrics", "{\"pcap_file\":\"icmp.pcap\",\"limit\":50}", &r);
    CHECK(geti(s, "icmp_totals", "errors") == 10 && geti(s, "icmp_totals", "delivery_failures") == 9);
    CHECK(geti(s, "icmp_totals", "without_quote") == 1 && geti(s, "icmp_totals", "quoted_flows") == 8);
    CHECK_STR(json_string_value(json_object_get(s, "verdict")), "poor"); /* 9 failures in 16 packets */
    CHECK_CONTAINS(json_string_value(json_object_get(s, "drivers")),
                   "ICMP errors 9 (56.25% of packets: port unreachable 4");
    json_t *kinds = json_object_get(s, "icmp_error_kinds");
    CHECK(json_array_size(kinds) == 7);
    json_t *k0 = json_array_get(kinds, 0);
    CHECK_STR(json_string_value(json_object_get(k0, "kind")), "port unreachable");
    CHECK(geti(k0, "type", NULL) == 3 && geti(k0, "code", NULL) == 3 && geti(k0, "count", NULL) == 4);
    frames_str(json_object_get(k0, "first_frames"), got, sizeof got);
    CHECK_STR(got, "2 4 6 16");
    CHECK_STR(json_string_value(json_object_get(k0, "display_filter")), "icmp.type == 3 && icmp.code == 3");
    CHECK(json_is_false(json_object_get(json_array_get(kinds, 6), "affects_quality"))); /* the redirect, last */

    /* the port unreachables about one UDP flow: one row, its udp.stream, its frames */
    json_t *pu = icmp_row(s, "port unreachable", "10.1.0.1");
    CHECK(pu && geti(pu, "count", NULL) == 3 && geti(pu, "stream", NULL) == 0);
    CHECK(pu && geti(pu, "src_port", NULL) == 5353 && geti(pu, "dst_port", NULL) == 53);
    CHECK_STR(json_string_value(json_object_get(pu, "reporter")), "10.1.0.2");
    CHECK_STR(json_string_value(json_object_get(pu, "quoted_protocol")), "udp");
    CHECK_STR(json_string_value(json_object_get(pu, "display_filter")),
              "icmp.type == 3 && icmp.code == 3 && ip.src == 10.1.0.1 && ip.dst == 10.1.0.2 && "
              "udp.srcport == 5353 "
              "&& udp.dstport == 53");
    /* a router's error names the router too; a TCP quote gives the tcp.stream */
    json_t *hu = icmp_row(s, "host unreachable", "10.1.0.1");
    CHECK(hu && geti(hu, "stream", NULL) == 0 && geti(hu, "dst_port", NULL) == 80);
    CHECK_STR(json_string_value(json_object_get(hu, "quoted_protocol")), "tcp");
    CHECK_CONTAINS(json_string_value(json_object_get(hu, "display_filter")),
                   "ip.src == 10.1.0.254 && tcp.srcport == 40000");
    json_t *fn = icmp_row(s, "fragmentation needed", "10.1.0.1");
    CHECK(fn && geti(fn, "mtu", NULL) == 1400 && geti(fn, "stream", NULL) == 1);
    json_t *te = icmp_row(s, "TTL exceeded in transit", "10.1.0.1");
    CHECK(te && !json_object_get(te, "stream")); /* the probe is not in the capture */
    json_t *ptb = icmp_row(s, "packet too big", "2001:db8::1");
    CHECK(ptb && geti(ptb, "mtu", NULL) == 1280 && geti(ptb, "stream", NULL) == 2);
    CHECK_STR(json_string_value(json_object_get(ptb, "protocol")), "icmpv6");
    json_t *v6 = icmp_row(s, "port unreachable", "2001:db8::1");
    CHECK_STR(json_string_value(json_object_get(v6, "display_filter")),
              "icmpv6.type == 1 && icmpv6.code == 4 && ipv6.src == 2001:db8::1 && ipv6.dst == "
              "2001:db8::2 && "
              "udp.srcport == 5353 && udp.dstport == 53");
    json_t *cut = icmp_row(s, "port unreachable", NULL);
    CHECK(cut && !json_object_get(cut, "quoted_protocol") && geti(cut, "count", NULL) == 1);
    CHECK_STR(json_string_value(json_object_get(cut, "display_filter")),
              "icmp.type == 3 && icmp.code == 3 && ip.src == 10.1.0.2 && frame.number in {16}");
    /* every row is in the text, and each row's filter selects exactly its frames */
    CHECK(rows_missing(json_object_get(s, "icmp_errors"), r.text.data) == 0);
    CHECK(rows_missing(kinds, r.text.data) == 0);
    CHECK_CONTAINS(r.text.data, "port unreachable x3 from 10.1.0.2 about udp 10.1.0.1:5353 -> "
                                "10.1.0.2:53 (udp.stream 0), frames 2 4 6");
    CHECK_CONTAINS(r.text.data, "next-hop MTU 1400");
    size_t i;
    json_t *row;
    json_t *copy = json_deep_copy(s);
    pa_tool_result_free(&r);
    json_array_foreach(json_object_get(copy, "icmp_errors"), i, row) {
        frames_str(json_object_get(row, "first_frames"), want, sizeof want);
        matched_frames("icmp.pcap", json_string_value(json_object_get(row, "display_filter")), got, sizeof got);
        CHECK_STR(got, want);
    }
    json_array_foreach(json_object_get(copy, "icmp_error_kinds"), i, row) {
        frames_str(json_object_get(row, "first_frames"), want, sizeof want);
        matched_frames("icmp.pcap", json_string_value(json_object_get(row, "display_filter")), got, sizeof got);
        CHECK_STR(got, want);
    }
    json_decref(copy);

    /* a capture whose only problem is one port unreachable is not "good"; a redirect alone is */
    snprintf(p, sizeof p, "%s/unreach.pcap", dir);
    write_one_error(p, 40, 3, 3);
    s = call("analyze_network_quality_metrics", "{\"pcap_file\":\"unreach.pcap\"}", &r);
    CHECK_STR(json_string_value(json_object_get(s, "verdict")), "fair");
    CHECK_CONTAINS(r.text.data, "Quality: fair (ICMP errors 1 (2.44% of packets: port unreachable 1)).");
    pa_tool_result_free(&r);
    snprintf(p, sizeof p, "%s/redirect.pcap", dir);
    write_one_error(p, 40, 5, 1);
    s = call("analyze_network_quality_metrics", "{\"pcap_file\":\"redirect.pcap\"}", &r);
    CHECK_STR(json_string_value(json_object_get(s, "verdict")), "good");
    CHECK(geti(s, "icmp_totals", "errors") == 1 && geti(s, "icmp_totals", "delivery_failures") == 0);
    pa_tool_result_free(&r);
}

/* The keep-alive of the scenarios (frame 39, its ACK frame 40: tshark). */
static void test_keep_alives(void) {
    pa_tool_result r;
    json_t *s =
        call("analyze_packet_timing_issues", "{\"pcap_file\":\"s.pcap\",\"bpf_filter\":\"net 10.9.0.0/16\"}", &r);
    CHECK(geti(s, "totals", "keep_alive") == 1 && geti(s, "totals", "keep_alive_ack") == 1);
    CHECK(geti(s, "totals", "keep_alive_connections") == 1);
    CHECK(json_integer_value(json_array_get(json_object_get(json_object_get(s, "frames"), "keep_alive"), 0)) == 39);
    CHECK(json_integer_value(json_array_get(json_object_get(json_object_get(s, "frames"), "keep_alive_ack"), 0)) == 40);
    json_t *k = json_array_get(json_object_get(s, "keep_alive_connections"), 0);
    CHECK(geti(k, "stream", NULL) == 3 && geti(k, "keep_alives", NULL) == 1 && geti(k, "keep_alive_acks", NULL) == 1);
    CHECK(geti(k, "from_client", NULL) == 1 && geti(k, "not_acknowledged", NULL) == 0);
    CHECK_STR(json_string_value(json_object_get(k, "display_filter")),
              "tcp.stream == 3 && (tcp.analysis.keep_alive || tcp.analysis.keep_alive_ack)");
    CHECK_CONTAINS(r.text.data, "1 TCP keep-alives and 1 keep-alive ACKs on 1 connections");
    CHECK_CONTAINS(r.text.data, "A keep-alive is not a problem in itself");
    CHECK_CONTAINS(r.text.data, "keep_alive 39; keep_alive_ack 40.");
    CHECK(rows_missing(json_object_get(s, "keep_alive_connections"), r.text.data) == 0);
    pa_tool_result_free(&r);
    /* on the 40 connections: one keep-alive on every other one */
    s = call("analyze_packet_timing_issues", "{\"pcap_file\":\"many.pcap\",\"limit\":500}", &r);
    CHECK(geti(s, "totals", "keep_alive") == 20 && geti(s, "totals", "keep_alive_connections") == 20);
    CHECK(json_array_size(json_object_get(s, "keep_alive_connections")) == 20);
    CHECK(rows_missing(json_object_get(s, "keep_alive_connections"), r.text.data) == 0);
    pa_tool_result_free(&r);
}

/* One tool's paged list on many.pcap: every row in the text, pages of 7
 * that follow each other, and a 4 KiB text budget that cuts text and
 * structured at the same row with the right next_offset. */
static void check_paging(const char *tool, const char *key, size_t total) {
    char args[160];
    pa_tool_result full, r;
    snprintf(args, sizeof args, "{\"pcap_file\":\"many.pcap\",\"limit\":500}");
    json_t *s = call(tool, args, &full);
    json_t *rows = json_object_get(s, key);
    size_t n = json_array_size(rows);
    if (n != total) fprintf(stderr, "%s: %zu rows in %s, expected %zu\n", tool, n, key, total);
    CHECK(n == total && geti(s, "page", "total") == (json_int_t)total);
    CHECK(rows_missing(rows, full.text.data) == 0);

    for (size_t off = 0; off < n; off += 7) {
        snprintf(args, sizeof args, "{\"pcap_file\":\"many.pcap\",\"limit\":7,\"offset\":%zu}", off);
        json_t *pg = call(tool, args, &r);
        json_t *part = json_object_get(pg, key);
        size_t want = n - off < 7 ? n - off : 7;
        CHECK(json_array_size(part) == want && geti(pg, "page", "offset") == (json_int_t)off);
        for (size_t i = 0; i < json_array_size(part); i++)
            CHECK(json_equal(json_array_get(part, i), json_array_get(rows, off + i)));
        CHECK(rows_missing(part, r.text.data) == 0);
        if (off + 7 < n) {
            char call_again[64];
            snprintf(call_again, sizeof call_again, "call again with offset=%zu.", off + 7);
            CHECK(geti(pg, "page", "next_offset") == (json_int_t)(off + 7));
            CHECK_CONTAINS(r.text.data, call_again);
        }
        pa_tool_result_free(&r);
    }

    /* a 4 KiB text: both stop at the same row, and the next call goes on from it */
    cfg.text_budget = 4096;
    cfg.result_budget = 65536;
    json_t *cut = call(tool, "{\"pcap_file\":\"many.pcap\",\"limit\":500}", &r);
    json_t *part = json_object_get(cut, key);
    size_t k = json_array_size(part);
    CHECK(k > 0 && k < n && r.text.len <= 4096);
    for (size_t i = 0; i < k; i++) CHECK(json_equal(json_array_get(part, i), json_array_get(rows, i)));
    CHECK(rows_missing(part, r.text.data) == 0);
    char nd[512], call_again[64];
    row_needle(json_array_get(rows, k), nd, sizeof nd);
    CHECK(!strstr(r.text.data, nd)); /* the first row not returned is not in the text either */
    snprintf(call_again, sizeof call_again, "Call again with offset=%zu.", k);
    CHECK_CONTAINS(r.text.data, call_again);
    CHECK(geti(cut, "page", "next_offset") == (json_int_t)k && json_is_true(json_object_get(cut, "truncated")));
    json_t *lo = json_array_get(json_object_get(cut, "left_out"), 0);
    CHECK(geti(lo, "next_offset", NULL) == (json_int_t)k && geti(lo, "not_shown", NULL) == (json_int_t)(n - k));
    pa_tool_result_free(&r);
    snprintf(args, sizeof args, "{\"pcap_file\":\"many.pcap\",\"limit\":500,\"offset\":%zu}", k);
    json_t *next = call(tool, args, &r);
    CHECK(json_equal(json_array_get(json_object_get(next, key), 0), json_array_get(rows, k)));
    pa_tool_result_free(&r);
    cfg.text_budget = 0;
    cfg.result_budget = 0;
    pa_tool_result_free(&full);
}

static void test_lists(void) {
    char p[128];
    snprintf(p, sizeof p, "%s/many.pcap", dir);
    write_many(p);
    check_paging("analyze_tcp_retransmissions", "worst_connections", 40);
    check_paging("analyze_tcp_zero_window", "worst_connections", 40);
    check_paging("analyze_tcp_window_scaling", "connections_by_window", 40);
    check_paging("analyze_packet_timing_issues", "worst_connections", 40);
    check_paging("analyze_congestion_indicators", "connections", 40);
    check_paging("analyze_connection_lifecycle", "rows", 40);
    check_paging("analyze_network_performance", "slowest", 0 + 40);
    check_paging("analyze_network_latency", "connections", 40);
    check_paging("analyze_network_quality_metrics", "icmp_errors", 30);
}

/* The frames a display filter selects in the sample, as "27,28". */
static void filter_frames(const char *filter, char *out, size_t n) {
    json_t *a = json_pack("{s:s, s:s}", "pcap_file", "sample.pcap", "display_filter", filter);
    char *args = json_dumps(a, JSON_COMPACT);
    pa_tool_result r;
    json_t *s = call("list_packets", args, &r);
    size_t i, used = 0;
    json_t *p;
    out[0] = '\0';
    json_array_foreach(json_object_get(s, "packets"), i, p) used += (size_t)snprintf(
        out + used, used < n ? n - used : 0, "%s%lld", i ? "," : "", (long long)geti(p, "number", NULL));
    pa_tool_result_free(&r);
    free(args);
    json_decref(a);
}

/* The application tools on the sample (numbers from tshark 4.0): every row
 * of every list is in the text with its frames, stream and endpoints, what
 * `details` adds too, and the rows' display filters select their evidence. */
static void app_text_tests(void) {
    static const char *const calls[][2] = {
        {"analyze_dns_resolution_issues", "{\"pcap_file\":\"sample.pcap\",\"limit\":500}"},
        {"analyze_tls_handshakes", "{\"pcap_file\":\"sample.pcap\",\"details\":true}"},
        {"analyze_sni_mismatches", "{\"pcap_file\":\"sample.pcap\"}"},
        {"extract_certificate_details", "{\"pcap_file\":\"sample.pcap\"}"},
        {"analyze_tls_alerts", "{\"pcap_file\":\"sample.pcap\"}"},
        {"extract_tls_cipher_analysis", "{\"pcap_file\":\"sample.pcap\",\"limit\":500}"},
        {"analyze_application_response_times", "{\"pcap_file\":\"sample.pcap\",\"protocol\":\"all\"}"},
    };
    pa_tool_result r;
    json_t *s;
    char got[256];
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        s = call(calls[i][0], calls[i][1], &r);
        CHECK(s && rows_in_text(s, r.text.data, calls[i][0]));
        pa_tool_result_free(&r);
    }

    /* DNS: the error and the unanswered query with their client, stream and filter */
    s = call("analyze_dns_resolution_issues", "{\"pcap_file\":\"sample.pcap\"}", &r);
    json_t *e0 = json_array_get(json_object_get(s, "errors"), 0),
           *u0 = json_array_get(json_object_get(s, "unanswered"), 0);
    CHECK(geti(e0, "stream", NULL) == 1 && geti(e0, "client_port", NULL) == 52011 && geti(e0, "id", NULL) == 0x7e13);
    CHECK_STR(json_string_value(json_object_get(e0, "client")), "192.0.2.10");
    CHECK_STR(json_string_value(json_object_get(e0, "display_filter")), "udp.stream == 1 && dns.id == 0x7e13");
    CHECK_CONTAINS(r.text.data,
                   "  frame 28 missing.example.test A: NXDOMAIN in 4.620 ms (query frame 27), udp stream 1 "
                   "192.0.2.10:52011 -> 198.51.100.53:53; filter udp.stream == 1 && dns.id == 0x7e13\n");
    CHECK_CONTAINS(r.text.data, "  frame 51 telemetry.example.test A: no answer, udp stream 3 192.0.2.10:60122 -> "
                                "198.51.100.53:53; filter udp.stream == 3 && dns.id == 0x9d77\n");
    CHECK_CONTAINS(r.text.data, "Rcodes: NOERROR 4, NXDOMAIN 1.");
    CHECK(!rows_in_text(s, "a text without the rows\n", "(the check can fail)"));
    filter_frames(json_string_value(json_object_get(e0, "display_filter")), got, sizeof got);
    CHECK_STR(got, "27,28");
    filter_frames(json_string_value(json_object_get(u0, "display_filter")), got, sizeof got);
    CHECK_STR(got, "51");
    /* the slowest first, each with its query frame; the IPv6 one in brackets */
    json_t *sl = json_object_get(s, "slowest");
    CHECK(json_array_size(sl) == 5 && geti(json_array_get(sl, 0), "frame", NULL) == 28);
    CHECK(geti(json_array_get(sl, 4), "frame", NULL) == 70 && geti(json_array_get(sl, 4), "stream", NULL) == 4);
    CHECK_CONTAINS(r.text.data, "udp stream 4 [2001:db8:0:1::10]:47700 -> [2001:db8:0:53::53]:53");
    pa_tool_result_free(&r);

    /* TLS: the fingerprints always, the ClientHello's lists with details */
    s = call("analyze_tls_handshakes", "{\"pcap_file\":\"sample.pcap\",\"details\":true}", &r);
    json_t *tc = json_array_get(json_object_get(s, "connections"), 0);
    CHECK_CONTAINS(r.text.data, "  frame 36 stream 2 192.0.2.10:51516 -> 198.51.100.43:443 SNI secure.example.test: "
                                "completed, TLS 1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 secp256r1, ALPN h2");
    const char *fps[] = {"ja3", "ja4", "ja3s"};
    for (size_t i = 0; i < 3; i++) {
        char want[80];
        snprintf(want, sizeof want, "%s %s", fps[i], json_string_value(json_object_get(tc, fps[i])));
        CHECK(json_object_get(tc, fps[i]) && strstr(r.text.data, want));
    }
    CHECK_CONTAINS(r.text.data, "    14 suites offered: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_");
    CHECK_CONTAINS(r.text.data, "    extensions: server_name,extended_master_secret,");
    CHECK_CONTAINS(r.text.data, "    groups: x25519,secp256r1,secp384r1; key shares: none\n");
    CHECK_CONTAINS(r.text.data, "    signature algorithms: ecdsa_secp256r1_sha256,rsa_pss_rsae_sha256,");
    pa_tool_result_free(&r);
    s = call("analyze_tls_alerts", "{\"pcap_file\":\"sample.pcap\"}", &r);
    CHECK_STR(
        json_string_value(json_object_get(json_array_get(json_object_get(s, "connections"), 0), "display_filter")),
        "tcp.stream == 2 && tls.alert_message");
    CHECK_CONTAINS(r.text.data, "    frame 46 client encrypted, after the handshake\n    frame 47 server encrypted");
    filter_frames("tcp.stream == 2 && tls.alert_message", got, sizeof got);
    CHECK_STR(got, "46,47");
    pa_tool_result_free(&r);
    s = call("extract_certificate_details", "{\"pcap_file\":\"sample.pcap\"}", &r);
    char want[160];
    snprintf(want, sizeof want, "  CN=secure.example.test (sha256 %s), first frame 37 from 198.51.100.43:443",
             json_string_value(json_object_get(json_array_get(json_object_get(s, "certificates"), 0), "sha256")));
    CHECK_CONTAINS(r.text.data, want);
    CHECK_CONTAINS(r.text.data, "    names: secure.example.test\n");
    pa_tool_result_free(&r);
    s = call("extract_tls_cipher_analysis", "{\"pcap_file\":\"sample.pcap\"}", &r);
    json_t *chosen = json_array_get(json_object_get(json_object_get(s, "cipher_suites"), "chosen"), 0);
    CHECK_STR(json_string_value(json_object_get(chosen, "display_filter")),
              "tls.handshake.type == 2 && tls.handshake.ciphersuite == 0xc02b");
    filter_frames(json_string_value(json_object_get(chosen, "display_filter")), got, sizeof got);
    CHECK_STR(got, "37");
    pa_tool_result_free(&r);

    /* response times: the slowest with client, server and the other end's frame */
    s = call("analyze_application_response_times", "{\"pcap_file\":\"sample.pcap\",\"protocol\":\"all\"}", &r);
    CHECK_CONTAINS(r.text.data, "  slow: frame 55 330.800 ms GET /downloads/report.bin, 192.0.2.10:51520 -> "
                                "198.51.100.20:8080 (response frame 64)\n");
    CHECK_CONTAINS(r.text.data, "  slow: frame 36 42.550 ms secure.example.test, tcp stream 2 192.0.2.10:51516 -> "
                                "198.51.100.43:443 (complete at frame 39)\n");
    CHECK_CONTAINS(r.text.data, "  slow: frame 28 4.620 ms missing.example.test, udp stream 1 192.0.2.10:52011 -> "
                                "198.51.100.53:53 (query frame 27)\n");
    json_t *dns_slow = json_array_get(json_object_get(json_array_get(json_object_get(s, "sections"), 3), "slowest"), 0);
    CHECK(geti(dns_slow, "query_frame", NULL) == 27 && geti(dns_slow, "client_port", NULL) == 52011);
    pa_tool_result_free(&r);
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    snprintf(dir, sizeof dir, "/tmp/pa_test_tcp_XXXXXX");
    if (!mkdtemp(dir)) return 2;
    copy(argv[1], "s.pcap");
    copy(argv[2], "sample.pcap");
    char err[256];
    pa_registry_init(&reg);
    if (pa_tools_register_builtin(&reg, err, sizeof err)) return 2;
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.storage_dir, sizeof cfg.storage_dir, "%s", dir);
    state = pa_tools_state_new();
    pa_tool_result r;
    json_t *s;

    /* retransmissions: frames 11 (fast), 19, 21 (spurious) */
    s = call("analyze_tcp_retransmissions", "{\"pcap_file\":\"s.pcap\",\"bpf_filter\":\"net 10.9.0.0/16\"}", &r);
    CHECK(geti(s, "totals", "retransmissions") == 3);
    CHECK(geti(s, "totals", "fast") == 1);
    CHECK(geti(s, "totals", "spurious") == 1);
    CHECK(geti(s, "totals", "data_segments") == 14);
    json_t *w0 = json_array_get(json_object_get(s, "worst_connections"), 0);
    CHECK(geti(w0, "stream", NULL) == 1 && geti(w0, "retransmissions", NULL) == 2);
    CHECK(geti(w0, "from_client", NULL) == 2 && geti(w0, "retransmitted_bytes", NULL) == 1000);
    json_t *fr = json_object_get(json_object_get(s, "frames"), "retransmission");
    CHECK(json_array_size(fr) == 3 && json_integer_value(json_array_get(fr, 0)) == 11);
    pa_tool_result_free(&r);

    /* zero window: the server stalls 0.5 s from frame 28, one probe, reopened */
    s = call("analyze_tcp_zero_window", "{\"pcap_file\":\"s.pcap\",\"bpf_filter\":\"net 10.9.0.0/16\"}", &r);
    CHECK(geti(s, "totals", "zero_window_segments") == 1 && geti(s, "totals", "stalls") == 1);
    CHECK(geti(s, "totals", "probes") == 1);
    json_t *st = json_array_get(json_object_get(s, "longest_stalls"), 0);
    CHECK_STR(json_string_value(json_object_get(st, "advertised_by")), "10.9.0.2");
    CHECK(geti(st, "start_frame", NULL) == 28 && geti(st, "ended_by_frame", NULL) == 30);
    CHECK(fabs(json_real_value(json_object_get(st, "duration_s")) - 0.5) < 1e-9);
    CHECK(geti(st, "probes", NULL) == 1);
    pa_tool_result_free(&r);

    /* window scaling: shifts 7 and 5; unknown without the handshake */
    s = call("analyze_tcp_window_scaling", "{\"pcap_file\":\"s.pcap\",\"bpf_filter\":\"net 10.9.0.0/16\"}", &r);
    CHECK(geti(s, "totals", "connections") == 7);
    CHECK(geti(s, "totals", "scaling_both") == 5 && geti(s, "totals", "scaling_unknown") == 2);
    json_t *c0 = row_for_stream(json_object_get(s, "connections_by_window"), 0);
    CHECK(c0 && geti(json_object_get(c0, "client_scale"), "shift", NULL) == 7);
    CHECK(c0 && geti(json_object_get(c0, "server_scale"), "multiplier", NULL) == 32);
    CHECK(c0 && geti(json_object_get(c0, "client_options"), "mss", NULL) == 1460);
    CHECK(c0 && json_is_true(json_object_get(json_object_get(c0, "server_options"), "sack_permitted")));
    json_t *c5 = row_for_stream(json_object_get(s, "connections_by_window"), 5);
    CHECK(c5 &&
          !strncmp(json_string_value(json_object_get(json_object_get(c5, "client_scale"), "status")), "unknown", 7));
    pa_tool_result_free(&r);

    /* timing: 1 out-of-order (frame 45), 3 dup ACKs, 3 segments not captured */
    s = call("analyze_packet_timing_issues", "{\"pcap_file\":\"s.pcap\",\"bpf_filter\":\"net 10.9.0.0/16\"}", &r);
    CHECK(geti(s, "totals", "out_of_order") == 1 && geti(s, "totals", "duplicate_ack") == 3);
    CHECK(geti(s, "totals", "lost_segment") == 3);
    CHECK(json_integer_value(json_array_get(json_object_get(json_object_get(s, "frames"), "out_of_order"), 0)) == 45);
    json_t *d0 = json_array_get(json_object_get(s, "duplicate_acks"), 0);
    /* tshark: frame 8 is duplicate ACK #1 of frame 7 */
    CHECK(geti(d0, "frame", NULL) == 8 && geti(d0, "number", NULL) == 1 && geti(d0, "duplicates_frame", NULL) == 7);
    json_t *g0 = json_array_get(json_object_get(s, "largest_gaps"), 0);
    CHECK(fabs(json_real_value(json_object_get(g0, "gap_s")) - 1.99996) < 1e-6); /* idle until the keep-alive */
    pa_tool_result_free(&r);

    /* congestion: the zero-window connection is receiver-limited */
    s = call("analyze_congestion_indicators",
             "{\"pcap_file\":\"s.pcap\",\"bpf_filter\":\"net 10.9.0.0/16\",\"limit\":50}", &r);
    json_t *z = row_for_stream(json_object_get(s, "connections"), 2);
    CHECK(z && !strncmp(json_string_value(json_object_get(z, "verdict")), "receiver-limited", 16));
    CHECK(geti(s, "totals", "dupack_bursts") == 1);
    pa_tool_result_free(&r);

    /* lifecycle: outcomes, closes and Zeek's states */
    s = call("analyze_connection_lifecycle", "{\"pcap_file\":\"s.pcap\",\"bpf_filter\":\"net 10.9.0.0/16\"}", &r);
    CHECK(geti(s, "connections", NULL) == 7);
    CHECK(geti(s, "by_outcome", "established") == 5 && geti(s, "by_outcome", "refused") == 1);
    CHECK(geti(s, "by_outcome", "midstream") == 1);
    CHECK(geti(s, "by_close", "fin_both") == 2 && geti(s, "by_close", "rst_by_client") == 1);
    CHECK(geti(s, "by_conn_state", "REJ") == 1 && geti(s, "by_conn_state", "RSTO") == 1);
    json_t *first = json_array_get(json_object_get(s, "rows"), 0);
    CHECK_STR(json_string_value(json_object_get(first, "outcome")), "refused");
    CHECK(fabs(json_real_value(json_object_get(json_object_get(s, "handshake_time"), "max_ms")) - 10.05) < 1e-6);
    pa_tool_result_free(&r);

    /* latency: the handshake RTT of the one server, ACK RTT percentiles */
    s = call("analyze_network_latency", "{\"pcap_file\":\"sample.pcap\"}", &r);
    json_t *srv = json_object_get(s, "handshake_rtt_by_server");
    CHECK(json_array_size(srv) == 3); /* 8443 refused: not a handshake */
    CHECK(fabs(json_real_value(json_object_get(json_array_get(srv, 0), "mean_ms")) - 20.05) < 1e-6);
    /* tshark's 30 tcp.analysis.ack_rtt values of the sample, by nearest rank:
     * the 15th 12.0 ms, the 27th 22.8 ms, the 30th 200.09 ms; every sample
     * is kept, so exact, and never beyond the max */
    json_t *ack = json_object_get(s, "ack_rtt");
    CHECK(geti(s, "ack_rtt", "samples") == 30 && json_is_false(json_object_get(ack, "percentiles_estimated")));
    CHECK(fabs(json_real_value(json_object_get(ack, "p50_ms")) - 12.0) < 1e-9);
    CHECK(fabs(json_real_value(json_object_get(ack, "p90_ms")) - 22.8) < 1e-9);
    CHECK(fabs(json_real_value(json_object_get(ack, "p99_ms")) - 200.09) < 1e-9);
    CHECK(fabs(json_real_value(json_object_get(ack, "max_ms")) - 200.09) < 1e-9);
    CHECK_CONTAINS(r.text.data, "p50 12.000 ms, p90 22.800 ms, p99 200.090 ms, max 200.090 ms");
    json_t *k0 = json_array_get(json_object_get(s, "connections"), 0); /* stream 0: 9 samples, kept */
    CHECK(geti(k0, "samples", NULL) == 9 && json_is_false(json_object_get(k0, "percentiles_estimated")));
    CHECK(json_real_value(json_object_get(k0, "p99_ms")) <= json_real_value(json_object_get(k0, "max_ms")));
    pa_tool_result_free(&r);

    /* the hand-written scenarios of docs/TCP_ANALYSIS.md 8.1 */
    s = call("analyze_tcp_zero_window", "{\"pcap_file\":\"s.pcap\",\"bpf_filter\":\"port 41001\"}", &r);
    CHECK(geti(s, "totals", "probes") == 2 && geti(s, "totals", "probe_acks") == 2);
    CHECK(geti(s, "totals", "zero_window_segments") == 3 && geti(s, "totals", "stalls") == 1);
    pa_tool_result_free(&r);
    s = call("analyze_tcp_window_scaling", "{\"pcap_file\":\"s.pcap\",\"bpf_filter\":\"port 41002 or port 41003\"}",
             &r);
    CHECK(geti(s, "totals", "window_full") == 4);
    CHECK(geti(s, "totals", "scaling_both") == 1 && geti(s, "totals", "scaling_not_used") == 1);
    pa_tool_result_free(&r);
    s = call("analyze_connection_lifecycle", "{\"pcap_file\":\"s.pcap\",\"bpf_filter\":\"port 41004\"}", &r);
    CHECK(geti(s, "connections", NULL) == 2); /* a new SYN on the same ports: a second connection */
    pa_tool_result_free(&r);

    /* DNS on the sample: frames 27/28 NXDOMAIN in 4.620 ms (tshark dns.time), 51 unanswered */
    s = call("analyze_dns_resolution_issues", "{\"pcap_file\":\"sample.pcap\"}", &r);
    CHECK(geti(s, "totals", "queries") == 6 && geti(s, "totals", "responses") == 5);
    CHECK(geti(s, "totals", "unanswered") == 1 && geti(s, "rcodes", "NXDOMAIN") == 1);
    json_t *e0 = json_array_get(json_object_get(s, "errors"), 0);
    CHECK(geti(e0, "frame", NULL) == 28 && geti(e0, "query_frame", NULL) == 27);
    CHECK(fabs(json_real_value(json_object_get(e0, "response_time_ms")) - 4.62) < 1e-9);
    CHECK_STR(json_string_value(json_object_get(e0, "name")), "missing.example.test");
    json_t *u0 = json_array_get(json_object_get(s, "unanswered"), 0);
    CHECK(geti(u0, "frame", NULL) == 51);
    CHECK_STR(json_string_value(json_object_get(u0, "name")), "telemetry.example.test");
    CHECK(json_array_size(json_object_get(s, "tunnelling_suspects")) == 0);
    pa_tool_result_free(&r);

    /* HTTP on the sample (tshark http.time): frame 14 GET /index.html -> 200 in 12.5 ms,
     * 21 GET /missing -> 404 in 12.3 ms, 55 GET /downloads/report.bin -> 200 in 330.8 ms */
    s = call("extract_http_requests", "{\"pcap_file\":\"sample.pcap\"}", &r);
    CHECK(geti(s, "totals", "requests") == 3 && geti(s, "totals", "responses") == 3);
    CHECK(geti(s, "totals", "answered") == 3 && geti(s, "totals", "unanswered") == 0);
    CHECK(geti(s, "totals", "error_responses") == 1 && geti(s, "status_classes", "2xx") == 2);
    json_t *reqs = json_object_get(s, "requests");
    CHECK(json_array_size(reqs) == 3);
    json_t *h0 = json_array_get(reqs, 0), *h2 = json_array_get(reqs, 2);
    CHECK(geti(h0, "frame", NULL) == 14 && geti(h0, "response_frame", NULL) == 17 && geti(h0, "status", NULL) == 200);
    CHECK_STR(json_string_value(json_object_get(h0, "method")), "GET");
    CHECK_STR(json_string_value(json_object_get(h0, "host")), "www.example.test");
    CHECK_STR(json_string_value(json_object_get(h0, "uri")), "/index.html");
    CHECK_STR(json_string_value(json_object_get(h0, "user_agent")), "pcap-sample-gen/1.0");
    CHECK_STR(json_string_value(json_object_get(h0, "content_type")), "text/html; charset=utf-8");
    CHECK(geti(h0, "content_length", NULL) == 3000);
    CHECK(fabs(json_real_value(json_object_get(h0, "response_time_ms")) - 12.5) < 1e-9);
    CHECK(geti(h2, "frame", NULL) == 55 && geti(h2, "response_frame", NULL) == 64);
    CHECK(fabs(json_real_value(json_object_get(h2, "response_time_ms")) - 330.8) < 1e-9);
    CHECK(fabs(json_real_value(json_object_get(json_object_get(s, "response_time"), "max_ms")) - 330.8) < 1e-9);
    CHECK(fabs(json_real_value(json_object_get(json_object_get(s, "response_time"), "p50_ms")) - 12.5) < 1e-9);
    json_t *e404 = json_array_get(json_object_get(s, "error_statuses"), 0);
    CHECK(geti(e404, "status", NULL) == 404 && geti(e404, "count", NULL) == 1 && geti(e404, "first_frame", NULL) == 21);
    CHECK_CONTAINS(r.text.data, "404 x1, first GET www.example.test/missing");
    pa_tool_result_free(&r);
    /* limit counts requests; offset pages */
    s = call("extract_http_requests", "{\"pcap_file\":\"sample.pcap\",\"limit\":1,\"offset\":1}", &r);
    reqs = json_object_get(s, "requests");
    CHECK(json_array_size(reqs) == 1 && geti(json_array_get(reqs, 0), "frame", NULL) == 21);
    CHECK(geti(s, "page", "total") == 3 && json_is_true(json_object_get(json_object_get(s, "page"), "more")));
    CHECK_CONTAINS(r.text.data, "1 more: call again with offset=2.");
    pa_tool_result_free(&r);
    s = call("extract_http_requests", "{\"pcap_file\":\"sample.pcap\",\"offset\":7}", &r);
    CHECK(json_array_size(json_object_get(s, "requests")) == 0 && geti(s, "totals", "requests") == 3);
    CHECK_CONTAINS(r.text.data, "offset 7 is past the last of 3 requests");
    pa_tool_result_free(&r);

    /* TLS on the sample (tshark: ClientHello frame 36 at 2.030300, ServerHello 37 at 2.051100,
     * server Finished 39 at 2.072850, application data 40 -> 41 at 2.073150 -> 2.095950,
     * encrypted alerts 46 and 47) */
    s = call("analyze_tls_handshakes", "{\"pcap_file\":\"sample.pcap\"}", &r);
    CHECK(geti(s, "totals", "connections") == 1 && geti(s, "totals", "client_hellos") == 1);
    CHECK(geti(s, "outcomes", "completed") == 1 && geti(s, "outcomes", "alert") == 0);
    CHECK(geti(s, "versions", "TLS 1.2") == 1);
    json_t *tc = json_array_get(json_object_get(s, "connections"), 0);
    CHECK(geti(tc, "frame", NULL) == 36 && geti(tc, "server_port", NULL) == 443);
    CHECK_STR(json_string_value(json_object_get(tc, "sni")), "secure.example.test");
    CHECK_STR(json_string_value(json_object_get(tc, "cipher")), "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    CHECK_STR(json_string_value(json_object_get(tc, "group")), "secp256r1");
    CHECK_STR(json_string_value(json_object_get(tc, "alpn")), "h2");
    CHECK_STR(json_string_value(json_object_get(tc, "outcome")), "completed");
    CHECK(fabs(json_real_value(json_object_get(tc, "server_hello_ms")) - 20.8) < 1e-6);
    CHECK(fabs(json_real_value(json_object_get(tc, "handshake_ms")) - 42.55) < 1e-6);
    CHECK(json_array_size(json_object_get(tc, "versions_offered")) == 4);
    CHECK(json_object_get(tc, "extensions") == NULL); /* only with details */
    pa_tool_result_free(&r);
    s = call("analyze_tls_handshakes", "{\"pcap_file\":\"sample.pcap\",\"details\":true}", &r);
    tc = json_array_get(json_object_get(s, "connections"), 0);
    CHECK_STR(json_string_value(json_array_get(json_object_get(tc, "extensions"), 0)), "server_name");
    CHECK_STR(json_string_value(json_array_get(json_object_get(tc, "groups_offered"), 0)), "x25519");
    CHECK(json_array_size(json_object_get(tc, "signature_algorithms")) == 9);
    CHECK(geti(tc, "cipher_suites_offered_total", NULL) == 14);
    pa_tool_result_free(&r);
    s = call("analyze_tls_handshakes", "{\"pcap_file\":\"sample.pcap\",\"outcome\":\"failed\"}", &r);
    CHECK(json_array_size(json_object_get(s, "connections")) == 0 && geti(s, "page", "total") == 0);
    pa_tool_result_free(&r);
    s = call("extract_certificate_details", "{\"pcap_file\":\"sample.pcap\"}", &r);
    CHECK(geti(s, "totals", "distinct") == 1 && geti(s, "totals", "messages") == 1);
    json_t *cert = json_array_get(json_object_get(s, "certificates"), 0);
    CHECK_STR(json_string_value(json_object_get(cert, "subject")), "CN=secure.example.test");
    CHECK_STR(json_string_value(json_object_get(cert, "issuer")), "CN=Example Test CA,O=Example Test,C=XX");
    CHECK_STR(json_string_value(json_object_get(cert, "key_type")), "ecdsa");
    CHECK(geti(cert, "key_bits", NULL) == 256 && geti(cert, "first_frame", NULL) == 37);
    CHECK_STR(json_string_value(json_array_get(json_object_get(cert, "subject_alt_names"), 0)), "secure.example.test");
    CHECK(json_array_size(json_object_get(cert, "problems")) == 0);
    pa_tool_result_free(&r);
    s = call("analyze_sni_mismatches", "{\"pcap_file\":\"sample.pcap\"}", &r);
    CHECK(geti(s, "totals", "compared") == 1 && geti(s, "totals", "matching") == 1);
    CHECK(geti(s, "totals", "mismatched") == 0 && geti(s, "totals", "without_sni") == 0);
    pa_tool_result_free(&r);
    s = call("analyze_tls_alerts", "{\"pcap_file\":\"sample.pcap\"}", &r);
    CHECK(geti(s, "totals", "in_clear") == 0 && geti(s, "totals", "encrypted") == 2);
    json_t *al = json_object_get(json_array_get(json_object_get(s, "connections"), 0), "alerts");
    CHECK(json_array_size(al) == 2 && geti(json_array_get(al, 0), "frame", NULL) == 46);
    CHECK(geti(json_array_get(al, 1), "frame", NULL) == 47);
    CHECK(json_is_true(json_object_get(json_array_get(al, 1), "after_handshake")));
    pa_tool_result_free(&r);
    s = call("extract_tls_cipher_analysis", "{\"pcap_file\":\"sample.pcap\"}", &r);
    json_t *chosen = json_array_get(json_object_get(json_object_get(s, "cipher_suites"), "chosen"), 0);
    CHECK_STR(json_string_value(json_object_get(chosen, "name")), "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    CHECK_STR(json_string_value(json_object_get(chosen, "code")), "0xC02B");
    CHECK_STR(json_string_value(json_object_get(chosen, "grade")), "ok");
    CHECK(geti(s, "totals", "weak_choices") == 0 && geti(s, "totals", "client_hellos") == 1);
    pa_tool_result_free(&r);
    s = call("analyze_application_response_times", "{\"pcap_file\":\"sample.pcap\",\"protocol\":\"all\"}", &r);
    json_t *secs = json_object_get(s, "sections");
    /* every section, in the tool's order, each present when empty */
    static const char *const names[] = {"http",
                                        "https_handshake",
                                        "https_first_response",
                                        "dns",
                                        "ftp",
                                        "stun",
                                        "dtls",
                                        "quic_handshake",
                                        "ssh",
                                        "ntp",
                                        "ldap",
                                        "smtp",
                                        "pop",
                                        "imap",
                                        "dcerpc",
                                        "smb2",
                                        "kerberos",
                                        "snmp"};
    CHECK(json_array_size(secs) == sizeof names / sizeof names[0]);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        CHECK_STR(json_string_value(json_object_get(json_array_get(secs, i), "name")), names[i]);
    json_t *sh = json_array_get(secs, 1), *sr = json_array_get(secs, 2), *sd = json_array_get(secs, 3);
    CHECK_STR(json_string_value(json_object_get(sh, "name")), "https_handshake");
    CHECK(fabs(json_real_value(json_object_get(json_object_get(sh, "overall"), "max_ms")) - 42.55) < 1e-6);
    CHECK(fabs(json_real_value(json_object_get(json_object_get(sr, "overall"), "max_ms")) - 22.8) < 1e-6);
    CHECK(geti(json_array_get(json_object_get(sr, "slowest"), 0), "frame", NULL) == 40);
    CHECK(geti(json_object_get(sd, "overall"), "samples", NULL) == 5 && geti(sd, "unanswered", NULL) == 1);
    CHECK(fabs(json_real_value(json_object_get(json_object_get(sd, "overall"), "max_ms")) - 4.62) < 1e-6);
    json_t *hsrv = json_object_get(json_array_get(secs, 0), "per_server");
    CHECK(json_array_size(hsrv) == 2 && geti(json_array_get(hsrv, 0), "server_port", NULL) == 8080);
    pa_tool_result_free(&r);
    s = call("analyze_application_response_times", "{\"pcap_file\":\"sample.pcap\"}", &r);
    CHECK(json_array_size(json_object_get(s, "sections")) == 1);
    CHECK(geti(json_object_get(json_array_get(json_object_get(s, "sections"), 0), "overall"), "samples", NULL) == 3);
    pa_tool_result_free(&r);
    /* the sample has no FTP: an empty FTP section, not an error */
    s = call("analyze_application_response_times", "{\"pcap_file\":\"sample.pcap\",\"protocol\":\"Ftp\"}", &r);
    CHECK(!r.is_error &&
          geti(json_object_get(json_array_get(json_object_get(s, "sections"), 0), "overall"), "samples", NULL) == 0);
    pa_tool_result_free(&r);
    s = call("analyze_application_response_times", "{\"pcap_file\":\"sample.pcap\",\"protocol\":\"gopher\"}", &r);
    CHECK(r.is_error &&
          strstr(
              r.text.data,
              "\"ntp\", \"ldap\", \"smtp\", \"pop\", \"imap\", \"dcerpc\", \"smb2\", \"kerberos\", \"snmp\", \"all\""));
    pa_tool_result_free(&r);
    s = call("analyze_network_latency", "{\"pcap_file\":\"sample.pcap\"}", &r);
    CHECK(geti(json_object_get(json_object_get(s, "application"), "tls_handshake"), "samples", NULL) == 1);
    CHECK(geti(json_object_get(json_object_get(s, "application"), "http"), "samples", NULL) == 3);
    CHECK_CONTAINS(r.text.data, "TLS handshake median 42.550 ms");
    pa_tool_result_free(&r);

    /* performance and quality */
    s = call("analyze_network_performance", "{\"pcap_file\":\"sample.pcap\"}", &r);
    CHECK(fabs(json_real_value(json_object_get(json_object_get(s, "overall"), "retransmission_rate_pct")) -
               100.0 / 24) < 1e-9);
    pa_tool_result_free(&r);
    s = call("analyze_network_quality_metrics", "{\"pcap_file\":\"s.pcap\",\"bpf_filter\":\"net 10.9.0.0/16\"}", &r);
    CHECK_STR(json_string_value(json_object_get(s, "verdict")), "poor");
    CHECK_CONTAINS(json_string_value(json_object_get(s, "drivers")), "retransmissions");
    pa_tool_result_free(&r);

    /* ICMP errors, keep-alives, and every list in the text, paged and cut */
    test_icmp_errors();
    test_lists();
    test_keep_alives();

    app_text_tests();

    pa_tools_state_free(state);
    pa_registry_free(&reg);
    char p[128];
    static const char *const files[] = {"s.pcap",       "sample.pcap",   "icmp.pcap",
                                        "unreach.pcap", "redirect.pcap", "many.pcap"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
    return check_done("tools_tcp");
}
