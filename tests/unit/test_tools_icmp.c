/* analyze_icmp_errors and analyze_mtu_fragmentation on captures built here
 * (support/pktgen): a TCP connection that ignores a "fragmentation needed"
 * (a black-hole suspect), an IPv6 UDP flow and its "packet too big", IPv4
 * and IPv6 fragments (whole, incomplete, overlapping), and hostile cases:
 * quotes cut short, an error quoting an error, an MTU of 0, and more
 * datagrams and paths than the tables hold. Each figure below follows from
 * how the capture is built (the comment above each writer lists its frames). */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "pktgen.h"
#include "rows_text.h"
#include "tool_common.h"

static char dir[512];
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
static const char *str_of(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static void frames_str(json_t *arr, char *out, size_t n) {
    size_t i, k = 0;
    json_t *v;
    out[0] = '\0';
    json_array_foreach(arr, i, v) k +=
        (size_t)snprintf(out + k, k < n ? n - k : 0, "%s%lld", i ? " " : "", (long long)json_integer_value(v));
}

/* The frames list_packets finds for a display filter, "1 2 3". */
static void matched_frames(const char *file, const char *filter, char *out, size_t n) {
    json_t *a = json_pack("{s:s, s:s, s:i}", "pcap_file", file, "display_filter", filter, "limit", 1000);
    char *args = json_dumps(a, 0);
    pa_tool_result r;
    json_t *s = call("list_packets", args, &r);
    size_t i, k = 0;
    json_t *p;
    out[0] = '\0';
    json_array_foreach(json_object_get(s, "packets"), i, p) k +=
        (size_t)snprintf(out + k, k < n ? n - k : 0, "%s%lld", i ? " " : "", (long long)geti(p, "number", NULL));
    pa_tool_result_free(&r);
    free(args);
    json_decref(a);
}

/* ---- building captures --------------------------------------------------- */

static const uint8_t MAC_A[6] = {2, 0, 0, 0, 9, 1}, MAC_B[6] = {2, 0, 0, 0, 9, 2};
static const pg_ts T0 = {1767200000, 0};
static pg_ts at_ms(uint64_t ms) { return pg_ts_add(T0, PG_MS(ms)); }

static const uint8_t C4[4] = {10, 2, 0, 1}, S4[4] = {10, 2, 0, 2}, R4[4] = {10, 2, 0, 254};
static const uint8_t C6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, S6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2},
                     R6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0xfe};

/* An IP datagram (from its IP header on) carrying UDP with `len` bytes. */
static size_t udp_dgram(uint8_t *buf, size_t cap, int v, const uint8_t *s, const uint8_t *d, uint16_t sp, uint16_t dp,
                        size_t len, bool df) {
    pg_pkt k;
    pg_pkt_init(&k, buf, cap);
    if (v == 4) {
        pg_ip4 ip = {.ttl = 64, .df = df, .id = 7};
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
    pg_fill(&k, 'u', len);
    pg_finish(&k);
    return k.len;
}

static void write_frame(pg_writer *w, uint64_t ms, int v, const uint8_t *dg, size_t n) {
    static uint8_t f[70000];
    pg_pkt k;
    pg_pkt_init(&k, f, sizeof f);
    pg_eth(&k, MAC_B, MAC_A, v == 4 ? PG_ETH_IPV4 : PG_ETH_IPV6);
    pg_bytes(&k, dg, n);
    pg_pad_to(&k, 60);
    pg_write_pkt(w, at_ms(ms), &k);
}

/* An ICMP (v 4) or ICMPv6 (v 6) error: type, code, the header's second
 * word (MTU or gateway), and qn bytes of the quoted datagram. */
static void write_error(pg_writer *w, uint64_t ms, int v, const uint8_t *from, const uint8_t *to, uint8_t type,
                        uint8_t code, uint32_t word, const uint8_t *quote, size_t qn) {
    uint8_t f[2048];
    pg_pkt k;
    pg_pkt_init(&k, f, sizeof f);
    pg_eth(&k, MAC_A, MAC_B, v == 4 ? PG_ETH_IPV4 : PG_ETH_IPV6);
    if (v == 4) {
        pg_ip4 ip = {.ttl = 255};
        memcpy(ip.src, from, 4);
        memcpy(ip.dst, to, 4);
        pg_ipv4(&k, &ip);
        pg_icmp_echo(&k, false, 0, 0);
    } else {
        pg_ip6 ip = {.hlim = 255};
        memcpy(ip.src, from, 16);
        memcpy(ip.dst, to, 16);
        pg_ipv6(&k, &ip);
        pg_icmp6_echo(&k, false, 0, 0);
    }
    uint8_t *h = k.buf + k.l4_off;
    h[0] = type;
    h[1] = code;
    for (int i = 0; i < 4; i++) h[4 + i] = (uint8_t)(word >> (24 - 8 * i));
    pg_bytes(&k, quote, qn);
    pg_finish(&k);
    pg_write_pkt(w, at_ms(ms), &k);
}

/* mtu.pcap:
 *  1-3   TCP handshake 10.2.0.1:40000 -> 10.2.0.2:443, both MSS 1460 (DF set on every segment)
 *  4     client data 1400 bytes (IP 1440), lost
 *  5     fragmentation needed, MTU 1300, from the router 10.2.0.254, quoting frame 4's headers
 *  6     the same 1400 bytes retransmitted (IP 1440): still too large -> black-hole suspect
 *  7, 8  client data 1200 bytes (IP 1240) and the server's ACK
 *  9     UDP [2001:db8::1]:5000 -> [2001:db8::2]:6000, 1400 bytes (IP 1448)
 *  10    packet too big, MTU 1280, from 2001:db8::fe, quoting frame 9 (first 1232 bytes)
 *  11    the same UDP flow, 1400 bytes again (oversize, not TCP)
 *  12    the same UDP flow, 1000 bytes (IP 1048: fits)
 *  13    fragmentation needed with MTU 0 (an old router), quoting UDP 10.2.0.1:5 -> 10.2.0.9:6 */
static void write_mtu(const char *path) {
    pg_writer *w;
    if (pg_open(&w, path, NULL)) return;
    static uint8_t data[1500], q[2048];
    memset(data, 'd', sizeof data);
    pg_tcp_peer cl = {.mac = {2, 0, 0, 0, 9, 1}, .port = 40000, .isn = 1000, .win = 65535, .mss = 1460, .ttl = 64};
    pg_tcp_peer sv = {.mac = {2, 0, 0, 0, 9, 2}, .port = 443, .isn = 9000, .win = 65535, .mss = 1460, .ttl = 64};
    memcpy(cl.ip, C4, 4);
    memcpy(sv.ip, S4, 4);
    pg_tcp_conv c;
    pg_tcp_init(&c, w, 4, &cl, &sv);
    pg_tcp_handshake(&c, at_ms(0), PG_MS(10));
    uint32_t seq = pg_tcp_next_seq(&c, PG_CLIENT);
    pg_tcp_send(&c, at_ms(20), PG_CLIENT, data, 1400, PG_TCP_LOST);
    /* the quoted headers of frame 4: IPv4 (total length 1440, DF) and the first 8 bytes of TCP */
    pg_pkt k;
    pg_pkt_init(&k, q, sizeof q);
    pg_ip4 ip = {.ttl = 63, .df = true, .proto = 6};
    memcpy(ip.src, C4, 4);
    memcpy(ip.dst, S4, 4);
    pg_ipv4(&k, &ip);
    pg_tcp_hdr th = {.sport = 40000, .dport = 443, .seq = seq, .flags = PG_TH_ACK | PG_TH_PSH, .win = 65535};
    pg_tcp(&k, &th);
    pg_bytes(&k, data, 1400);
    pg_finish(&k);
    write_error(w, 21, 4, R4, C4, 3, 4, 1300, q, 28);
    pg_tcp_retransmit(&c, at_ms(300), PG_CLIENT, seq, data, 1400);
    pg_tcp_send(&c, at_ms(600), PG_CLIENT, data, 1200, PG_TCP_ACKNOW);

    size_t n = udp_dgram(q, sizeof q, 6, C6, S6, 5000, 6000, 1400, false);
    write_frame(w, 700, 6, q, n);
    write_error(w, 701, 6, R6, C6, 2, 0, 1280, q, 1232);
    write_frame(w, 800, 6, q, n);
    n = udp_dgram(q, sizeof q, 6, C6, S6, 5000, 6000, 1000, false);
    write_frame(w, 900, 6, q, n);
    uint8_t nine[4] = {10, 2, 0, 9};
    n = udp_dgram(q, sizeof q, 4, C4, nine, 5, 6, 100, true);
    write_error(w, 1000, 4, R4, C4, 3, 4, 0, q, 28);
    pg_close(w);
}

/* One IPv4 fragment: bytes [off, off+len) of a UDP datagram of `total`
 * bytes (the first fragment starts with its UDP header). */
static void write_frag4(pg_writer *w, uint64_t ms, uint16_t id, uint16_t off, bool more, size_t len, uint8_t fill,
                        uint16_t total) {
    uint8_t b[2048];
    pg_pkt k;
    pg_pkt_init(&k, b, sizeof b);
    pg_eth(&k, MAC_B, MAC_A, PG_ETH_IPV4);
    pg_ip4 ip = {.ttl = 64, .proto = 17, .id = id, .mf = more, .frag_off = (uint16_t)(off / 8)};
    memcpy(ip.src, C4, 4);
    memcpy(ip.dst, S4, 4);
    pg_ipv4(&k, &ip);
    if (off == 0) {
        pg_be16(&k, 7000);
        pg_be16(&k, 7001);
        pg_be16(&k, total);
        pg_be16(&k, 0);
        len -= 8;
    }
    pg_fill(&k, fill, len);
    pg_finish(&k);
    pg_pad_to(&k, 60);
    pg_write_pkt(w, at_ms(ms), &k);
}

/* One IPv6 fragment (a fragment header, then bytes [off, off+len) of UDP). */
static void write_frag6(pg_writer *w, uint64_t ms, uint32_t id, uint16_t off, bool more, size_t len) {
    uint8_t b[2048];
    pg_pkt k;
    pg_pkt_init(&k, b, sizeof b);
    pg_eth(&k, MAC_B, MAC_A, PG_ETH_IPV6);
    pg_ip6 ip = {.hlim = 64, .next = 44};
    memcpy(ip.src, C6, 16);
    memcpy(ip.dst, S6, 16);
    pg_ipv6(&k, &ip);
    pg_u8(&k, 17);
    pg_u8(&k, 0);
    pg_be16(&k, (uint16_t)(off | (more ? 1 : 0)));
    pg_be32(&k, id);
    if (off == 0) { /* the UDP header, its length covering the whole datagram */
        pg_be16(&k, 7000);
        pg_be16(&k, 7001);
        pg_be16(&k, 8 + 1592);
        pg_be16(&k, 0);
        len -= 8;
    }
    pg_fill(&k, 'v', len);
    pg_finish(&k);
    pg_write_pkt(w, at_ms(ms), &k);
}

/* frag.pcap:
 *  1-3  IPv4 id 0x1234: 0..1480 MF, 1480..2960 MF, 2960..3000 (reassembled in 3)
 *  4-5  IPv4 id 0x1235: 0..1480 MF, 1480..2960 MF; the last fragment never comes (incomplete)
 *  6-8  IPv4 id 0x1236: 0..800 MF, 400..1200 MF with other bytes (overlap, conflicting), 1200..1300
 *  9-10 IPv6 id 0xabcdef01: 0..1200 MF, 1200..1600 (reassembled in 10) */
static void write_frags(const char *path) {
    pg_writer *w;
    if (pg_open(&w, path, NULL)) return;
    write_frag4(w, 0, 0x1234, 0, true, 1480, 'a', 3000);
    write_frag4(w, 1, 0x1234, 1480, true, 1480, 'a', 3000);
    write_frag4(w, 2, 0x1234, 2960, false, 40, 'a', 3000);
    write_frag4(w, 10, 0x1235, 0, true, 1480, 'b', 4000);
    write_frag4(w, 11, 0x1235, 1480, true, 1480, 'b', 4000);
    write_frag4(w, 20, 0x1236, 0, true, 800, 'c', 1300);
    write_frag4(w, 21, 0x1236, 400, true, 800, 'x', 1300);
    write_frag4(w, 22, 0x1236, 1200, false, 100, 'c', 1300);
    write_frag6(w, 30, 0xabcdef01u, 0, true, 1200);
    write_frag6(w, 31, 0xabcdef01u, 1200, false, 400);
    pg_close(w);
}

/* hostile.pcap:
 *  1  port unreachable quoting only 10 bytes of an IPv4 header (no quote)
 *  2  port unreachable quoting an IPv4 header and 2 bytes of UDP (no ports)
 *  3  host unreachable quoting an ICMP port unreachable (an error about an error)
 *  4  redirect (host) to gateway 10.2.0.253 quoting UDP 10.2.0.1:1000 -> 10.2.0.2:2000
 *  5.. 1100 fragmentation needed (MTU 1200) about 1100 destinations 10.3.x.y: past the path cap
 *  then 4200 first fragments of distinct ids: past the datagram cap */
static void write_hostile(const char *path) {
    pg_writer *w;
    if (pg_open(&w, path, NULL)) return;
    uint8_t q[256], e[256];
    size_t n = udp_dgram(q, sizeof q, 4, C4, S4, 1000, 2000, 16, false);
    write_error(w, 0, 4, S4, C4, 3, 3, 0, q, 10);
    write_error(w, 1, 4, S4, C4, 3, 3, 0, q, 22);
    /* the inner error: port unreachable from 10.2.0.2 to 10.2.0.1, quoting that UDP */
    pg_pkt k;
    pg_pkt_init(&k, e, sizeof e);
    pg_ip4 ip = {.ttl = 64};
    memcpy(ip.src, S4, 4);
    memcpy(ip.dst, C4, 4);
    pg_ipv4(&k, &ip);
    pg_icmp_echo(&k, false, 0, 0);
    k.buf[k.l4_off] = 3;
    k.buf[k.l4_off + 1] = 3;
    pg_bytes(&k, q, 28);
    pg_finish(&k);
    write_error(w, 2, 4, R4, S4, 3, 1, 0, e, k.len);
    write_error(w, 3, 4, R4, C4, 5, 1, 0x0A0200FD, q, 28);
    for (unsigned i = 0; i < 1100; i++) {
        uint8_t d[4] = {10, 3, (uint8_t)(i >> 8), (uint8_t)i};
        n = udp_dgram(q, sizeof q, 4, C4, d, 1000, 2000, 16, true);
        write_error(w, 10 + i, 4, R4, C4, 3, 4, 1200, q, 28);
    }
    for (unsigned i = 0; i < 4200; i++) write_frag4(w, 2000 + i, (uint16_t)i, 0, true, 16, 'h', 64);
    (void)n;
    pg_close(w);
}

/* ---- the tests ------------------------------------------------------------ */

static json_t *row_where(json_t *rows, const char *key, const char *val) {
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) if (str_of(r, key) && !strcmp(str_of(r, key), val)) return r;
    return NULL;
}

static void test_mtu_capture(void) {
    pa_tool_result r;
    char got[256], want[256];
    json_t *s = call("analyze_icmp_errors", "{\"pcap_file\":\"mtu.pcap\"}", &r);
    CHECK(geti(s, "totals", "errors") == 3 && geti(s, "totals", "icmp") == 2 && geti(s, "totals", "icmpv6") == 1);
    CHECK(geti(s, "totals", "from_routers") == 3 && geti(s, "totals", "from_end_hosts") == 0);
    CHECK(geti(s, "totals", "flows_in_capture") == 2);
    json_t *errs = json_object_get(s, "errors");
    json_t *fn = row_where(errs, "name", "Destination unreachable (Fragmentation needed)");
    json_t *ptb = row_where(errs, "name", "Packet Too Big");
    CHECK(fn && geti(fn, "mtu", NULL) == 1300 && geti(fn, "stream", NULL) == 0 && geti(fn, "dst_port", NULL) == 443);
    CHECK(fn && !strcmp(str_of(fn, "sender_role"), "router") && !strcmp(str_of(fn, "quoted_protocol"), "tcp"));
    CHECK(ptb && geti(ptb, "mtu", NULL) == 1280 && geti(ptb, "stream", NULL) == 0 &&
          geti(ptb, "src_port", NULL) == 5000);
    CHECK(rows_in_text(s, r.text.data, "analyze_icmp_errors"));
    CHECK_CONTAINS(r.text.data, "ICMP Destination unreachable (Fragmentation needed) x1 from 10.2.0.254 (router) about "
                                "tcp 10.2.0.1:40000 -> 10.2.0.2:443, tcp.stream 0, MTU 1300");
    json_t *copy = json_deep_copy(s);
    pa_tool_result_free(&r);
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(copy, "errors"), i, row) {
        frames_str(json_object_get(row, "first_frames"), want, sizeof want);
        matched_frames("mtu.pcap", str_of(row, "display_filter"), got, sizeof got);
        CHECK_STR(got, want);
    }
    json_decref(copy);

    s = call("analyze_mtu_fragmentation", "{\"pcap_file\":\"mtu.pcap\"}", &r);
    CHECK(geti(s, "totals", "fragments") == 0 && geti(s, "totals", "mtu_announcements") == 2);
    CHECK(geti(s, "totals", "paths_with_mtu") == 2); /* the MTU of 0 announces nothing */
    CHECK(geti(s, "totals", "oversize_after_mtu") == 2 && geti(s, "totals", "oversize_retransmissions") == 1);
    CHECK(geti(s, "totals", "black_hole_suspects") == 1 && geti(s, "totals", "mss_over_path_mtu") == 1);
    json_t *paths = json_object_get(s, "mtu_paths");
    json_t *p4 = json_array_get(paths, 0), *p6 = json_array_get(paths, 1); /* the suspect first */
    CHECK(p4 && json_is_true(json_object_get(p4, "black_hole_suspect")) && geti(p4, "mtu", NULL) == 1300);
    CHECK(p4 && geti(p4, "oversize_packets", NULL) == 1 && geti(p4, "largest_oversize", NULL) == 1440);
    frames_str(json_object_get(p4, "retransmission_frames"), got, sizeof got);
    CHECK_STR(got, "6");
    CHECK(p4 && geti(p4, "retransmission_stream", NULL) == 0 && geti(p4, "mtu_frame", NULL) == 5);
    CHECK(p6 && json_is_false(json_object_get(p6, "black_hole_suspect")) && geti(p6, "mtu", NULL) == 1280);
    frames_str(json_object_get(p6, "oversize_frames"), got, sizeof got);
    CHECK_STR(got, "11");
    CHECK(p6 && geti(p6, "oversize_stream", NULL) == 0 && !strcmp(str_of(p6, "oversize_protocol"), "udp"));
    json_t *mss = json_array_get(json_object_get(s, "mss_over_path_mtu"), 0);
    CHECK(mss && geti(mss, "mss", NULL) == 1460 && geti(mss, "packet_size", NULL) == 1500);
    CHECK(mss && geti(mss, "path_mtu", NULL) == 1300 && geti(mss, "largest_sent", NULL) == 1440);
    CHECK(mss && !strcmp(str_of(mss, "direction"), "client_to_server") && geti(mss, "stream", NULL) == 0);
    json_t *lp = json_array_get(json_object_get(s, "largest_packets"), 0);
    CHECK(lp && geti(lp, "largest_a_to_b", NULL) == 1448); /* the IPv6 UDP flow */
    CHECK(rows_in_text(s, r.text.data, "analyze_mtu_fragmentation"));
    CHECK_CONTAINS(r.text.data, "BLACK HOLE SUSPECT: 1 of them TCP retransmissions still too large, frames 6");
    copy = json_deep_copy(s);
    pa_tool_result_free(&r);
    /* each path's filter selects the packets too large for it */
    matched_frames("mtu.pcap", str_of(json_array_get(json_object_get(copy, "mtu_paths"), 0), "display_filter"), got,
                   sizeof got);
    CHECK_STR(got, "4 6");
    matched_frames("mtu.pcap", str_of(json_array_get(json_object_get(copy, "mtu_paths"), 1), "display_filter"), got,
                   sizeof got);
    CHECK_STR(got, "9 11");
    json_decref(copy);
}

static void test_frags(void) {
    pa_tool_result r;
    char got[256];
    json_t *s = call("analyze_mtu_fragmentation", "{\"pcap_file\":\"frag.pcap\"}", &r);
    CHECK(geti(s, "totals", "fragments") == 10 && geti(s, "totals", "ipv4_fragments") == 8);
    CHECK(geti(s, "totals", "ipv6_fragments") == 2 && geti(s, "totals", "fragmented_datagrams") == 4);
    CHECK(geti(s, "totals", "reassembled") == 3 && geti(s, "totals", "incomplete") == 1);
    CHECK(geti(s, "totals", "overlapping") == 1 && geti(s, "totals", "overlapping_conflicting") == 1);
    json_t *dg = json_object_get(s, "datagrams");
    CHECK(json_array_size(dg) == 4);
    /* the incomplete one first, then the damaged one, then by fragments */
    json_t *d0 = json_array_get(dg, 0), *d1 = json_array_get(dg, 1);
    CHECK(geti(d0, "id", NULL) == 0x1235 && !strcmp(str_of(d0, "status"), "incomplete") &&
          geti(d0, "fragments", NULL) == 2);
    CHECK(geti(d1, "id", NULL) == 0x1236 && !strcmp(str_of(d1, "status"), "reassembled"));
    CHECK(geti(d1, "reassembled_frame", NULL) == 8 && geti(d1, "size", NULL) == 1300);
    CHECK(json_array_size(json_object_get(d1, "problems")) == 2);
    json_t *d6 = row_where(dg, "protocol", "ipv6");
    CHECK(d6 && geti(d6, "id", NULL) == 0xabcdef01 && geti(d6, "reassembled_frame", NULL) == 10);
    CHECK(d6 && geti(d6, "size", NULL) == 1600 && geti(d6, "largest_fragment", NULL) == 1248);
    json_t *src = json_array_get(json_object_get(s, "fragment_sources"), 0);
    CHECK(src && geti(src, "fragments", NULL) == 8 && geti(src, "datagrams", NULL) == 3);
    CHECK(rows_in_text(s, r.text.data, "analyze_mtu_fragmentation"));
    CHECK_CONTAINS(r.text.data, "incomplete (last fragment missing)");
    json_t *copy = json_deep_copy(s);
    pa_tool_result_free(&r);
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(copy, "datagrams"), i, row) {
        char want[64];
        matched_frames("frag.pcap", str_of(row, "display_filter"), got, sizeof got);
        snprintf(want, sizeof want, "%lld", (long long)geti(row, "first_frame", NULL));
        CHECK(!strncmp(got, want, strlen(want)) && geti(row, "fragments", NULL) == (json_int_t)(strlen(got) + 1) / 2);
    }
    json_decref(copy);
    /* paging: the datagrams list from offset 3 */
    s = call("analyze_mtu_fragmentation", "{\"pcap_file\":\"frag.pcap\",\"limit\":2,\"offset\":3}", &r);
    CHECK(json_array_size(json_object_get(s, "datagrams")) == 1 && geti(s, "page", "offset") == 3);
    CHECK(json_is_false(json_object_get(json_object_get(s, "page"), "more")));
    pa_tool_result_free(&r);
}

static bool limit_named(json_t *s, const char *table) {
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(json_object_get(s, "capture"), "limits_reached"), i,
                       l) if (!strcmp(str_of(l, "table"), table)) return true;
    return false;
}

static void test_hostile(void) {
    pa_tool_result r;
    json_t *s = call("analyze_icmp_errors", "{\"pcap_file\":\"hostile.pcap\",\"limit\":500}", &r);
    CHECK(geti(s, "totals", "errors") == 1104 && geti(s, "totals", "without_quote") == 1);
    CHECK(geti(s, "totals", "quoting_an_error") == 1);
    json_t *errs = json_object_get(s, "errors");
    json_t *noports = NULL, *about_err = NULL, *redirect = NULL;
    size_t i;
    json_t *row;
    json_array_foreach(errs, i, row) {
        const char *qp = str_of(row, "quoted_protocol");
        if (qp && !strcmp(qp, "udp") && geti(row, "type", NULL) == 3 && geti(row, "code", NULL) == 3) noports = row;
        if (qp && !strcmp(qp, "icmp")) about_err = row;
        if (geti(row, "type", NULL) == 5) redirect = row;
    }
    CHECK(noports && !json_object_get(noports, "src_port") && !json_object_get(noports, "dst_port"));
    CHECK(about_err && str_of(about_err, "note") && strstr(str_of(about_err, "note"), "RFC 1122"));
    CHECK(redirect && !strcmp(str_of(redirect, "gateway"), "10.2.0.253") &&
          !strcmp(str_of(redirect, "name"), "Redirect (Redirect for host)"));
    CHECK(rows_in_text(s, r.text.data, "analyze_icmp_errors"));
    pa_tool_result_free(&r);

    s = call("analyze_mtu_fragmentation", "{\"pcap_file\":\"hostile.pcap\",\"limit\":500}", &r);
    CHECK(geti(s, "totals", "paths_with_mtu") == PA_ICMP_MAX_PATHS);
    CHECK(geti(s, "totals", "mtu_announcements") == PA_ICMP_MAX_PATHS);
    CHECK(geti(s, "totals", "fragments") == 4200 && geti(s, "totals", "fragmented_datagrams") == PA_FRAG_MAX_LISTED);
    CHECK(geti(s, "totals", "datagrams_not_itemised") == 4200 - PA_FRAG_MAX_LISTED);
    CHECK(limit_named(s, "icmp_mtu_paths") && limit_named(s, "ip_fragment_datagrams"));
    CHECK(limit_named(s, "ip_reassembly")); /* the decoder's 256 datagrams in reassembly */
    CHECK(rows_in_text(s, r.text.data, "analyze_mtu_fragmentation"));
    pa_tool_result_free(&r);
}

/* Usage: test_tools_icmp [DIR]: with DIR, the captures are written there
 * and kept (compare_icmp_mtu.mjs checks them against tshark). */
int main(int argc, char **argv) {
    const char *keep = argc > 1 ? argv[1] : NULL;
    if (keep) {
        snprintf(dir, sizeof dir, "%s", keep);
        mkdir(dir, 0755);
    } else {
        snprintf(dir, sizeof dir, "/tmp/pa_test_icmp_XXXXXX");
        if (!mkdtemp(dir)) return 2;
    }
    char p[640];
    static const char *const files[] = {"mtu.pcap", "frag.pcap", "hostile.pcap"};
    void (*writers[])(const char *) = {write_mtu, write_frags, write_hostile};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        writers[i](p);
    }
    char err[256];
    pa_registry_init(&reg);
    if (pa_tools_register_builtin(&reg, err, sizeof err)) return 2;
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.storage_dir, sizeof cfg.storage_dir, "%s", dir);
    state = pa_tools_state_new();

    test_mtu_capture();
    test_frags();
    test_hostile();

    pa_tools_state_free(state);
    pa_registry_free(&reg);
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        if (!keep) unlink(p);
    }
    if (!keep) rmdir(dir);
    return check_done("tools_icmp");
}
