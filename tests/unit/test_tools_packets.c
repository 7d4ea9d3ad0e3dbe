/* list_packets on the generated expert capture (tests/support/threat_scenarios.c):
 * filtered rows, paging, columns, and filter errors. Usage: DIR */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "pktgen.h"
#include "tool_common.h"

static pa_registry reg;
static pa_config cfg;
static pa_tools_state *state;

static json_t *call(const char *args_json, pa_tool_result *res) {
    json_t *args = json_loads(args_json, 0, NULL);
    pa_tool_ctx ctx = {.cfg = &cfg, .state = state};
    pa_tool_result_init(res);
    pa_registry_call(pa_registry_find(&reg, "list_packets"), &ctx, args, res);
    json_decref(args);
    return res->structured;
}

/* Any tool, by name. */
static json_t *call_tool(const char *tool, const char *args_json, pa_tool_result *res) {
    json_t *args = json_loads(args_json, 0, NULL);
    pa_tool_ctx ctx = {.cfg = &cfg, .state = state};
    pa_tool_result_init(res);
    pa_registry_call(pa_registry_find(&reg, tool), &ctx, args, res);
    json_decref(args);
    return res->structured;
}

static json_int_t geti(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }
static const char *getstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* The text shows every row returned; with a small budget text and structure
 * stop at the same row and the next call goes on from there, none skipped. */
static void test_budgets(void) {
    pa_tool_result r;
    cfg.text_budget = 4096;
    cfg.result_budget = 16384;
    json_t *s = call("{\"pcap_file\":\"expert.pcap\",\"limit\":1000}", &r);
    json_t *rows = json_object_get(s, "packets"), *page = json_object_get(s, "page");
    size_t n = json_array_size(rows);
    CHECK(n > 5 && n < 52 && r.text.len <= 4096);
    CHECK(geti(page, "returned") == (json_int_t)n && geti(page, "next_offset") == (json_int_t)n);
    CHECK(json_is_true(json_object_get(s, "truncated")));
    char want[64];
    for (size_t i = 0; i < n; i++) { /* each row's number begins a line of the text */
        snprintf(want, sizeof want, "\n%7lld ", (long long)geti(json_array_get(rows, i), "number"));
        CHECK(strstr(r.text.data, want) != NULL);
    }
    snprintf(want, sizeof want, "Call again with offset=%zu.", n);
    CHECK(strstr(r.text.data, want) != NULL);
    json_int_t last = geti(json_array_get(rows, n - 1), "number");
    pa_tool_result_free(&r);
    snprintf(want, sizeof want, "{\"pcap_file\":\"expert.pcap\",\"limit\":1000,\"offset\":%zu}", n);
    s = call(want, &r);
    CHECK(geti(json_array_get(json_object_get(s, "packets"), 0), "number") == last + 1);
    pa_tool_result_free(&r);

    /* follow_stream: the page ends where the budget does, and the bytes of
     * the text are those of the chunks */
    s = call_tool("follow_stream", "{\"pcap_file\":\"expert.pcap\",\"stream\":3,\"max_bytes\":1000000}", &r);
    json_t *pg = json_object_get(s, "page");
    json_int_t got = geti(pg, "returned_bytes"), total = geti(s, "total_bytes");
    CHECK(got > 1000 && got < total && r.text.len <= 4096);
    json_int_t sum = 0;
    json_t *c;
    size_t i;
    json_array_foreach(json_object_get(s, "chunks"), i, c) {
        sum += geti(c, "length");
        CHECK(strstr(r.text.data, getstr(c, "data")) != NULL);
    }
    CHECK(sum == got && geti(pg, "next_offset") == got);
    snprintf(want, sizeof want, "Call again with offset=%lld", (long long)got);
    CHECK(strstr(r.text.data, want) != NULL);
    pa_tool_result_free(&r);

    /* search: the matches after the budget come with offset */
    s = call_tool("search_packet_content", "{\"pcap_file\":\"expert.pcap\",\"search_pattern\":\"e\",\"limit\":1000}",
                  &r);
    n = json_array_size(json_object_get(s, "matches"));
    CHECK(n > 3 && geti(s, "total_matches") > (json_int_t)n &&
          geti(json_object_get(s, "page"), "next_offset") == (json_int_t)n);
    pa_tool_result_free(&r);

    /* get_packet_details: a long hex dump stops at a line and says where to go on */
    s = call_tool("get_packet_details", "{\"pcap_file\":\"expert.pcap\",\"frame_number\":4,\"hex_bytes\":65536}", &r);
    json_int_t hl = geti(s, "hex_length");
    CHECK(!r.is_error && hl > 0 && r.text.len <= 4096);
    if (hl < geti(s, "captured_length")) {
        snprintf(want, sizeof want, "hex_offset=%lld", (long long)hl);
        CHECK(strstr(r.text.data, want) != NULL);
    }
    pa_tool_result_free(&r);
    cfg.text_budget = cfg.result_budget = 0; /* the defaults */
}

/* Protocols carried straight over IP, which the decoder names without
 * decoding them: the protocol column says which, not "IPv4". */
static void test_ip_level(void) {
    char dir[] = "/tmp/pa_test_iplevel_XXXXXX", saved[sizeof cfg.storage_dir];
    if (!mkdtemp(dir)) return;
    snprintf(saved, sizeof saved, "%s", cfg.storage_dir);
    snprintf(cfg.storage_dir, sizeof cfg.storage_dir, "%s", dir);
    static const struct {
        uint8_t proto;
        const char *column;
    } want[] = {{2, "IGMP"}, {50, "ESP"}, {51, "AH"}, {89, "OSPF"}, {103, "PIM"}, {112, "VRRP"}, {253, "IPv4"}};
    char path[512];
    snprintf(path, sizeof path, "%s/ip_level.pcap", dir);
    pg_writer_opts o;
    pg_writer_opts_init(&o);
    pg_writer *w;
    CHECK(pg_open(&w, path, &o) == 0);
    static const uint8_t a[6] = {2, 0, 0, 0, 0, 1}, b[6] = {1, 0, 0x5e, 0, 0, 1};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        uint8_t buf[128];
        pg_pkt k;
        pg_pkt_init(&k, buf, sizeof buf);
        pg_eth(&k, b, a, 0x0800);
        pg_ip4 h = {.src = {10, 0, 0, 1}, .dst = {224, 0, 0, 5}, .proto = want[i].proto, .ttl = 1};
        pg_ipv4(&k, &h);
        pg_bytes(&k, "\x11\x64\xee\x9b\0\0\0\0\0\0\0\0\0\0\0\0", 16);
        pg_finish(&k);
        CHECK(pg_write_pkt(w, (pg_ts){1700000000 + i, 0}, &k) == 0);
    }
    pg_close(w);
    pa_tool_result r;
    json_t *s = call("{\"pcap_file\":\"ip_level.pcap\"}", &r);
    json_t *rows = json_object_get(s, "packets");
    CHECK(json_array_size(rows) == sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0] && i < json_array_size(rows); i++)
        CHECK_STR(getstr(json_array_get(rows, i), "protocol"), want[i].column);
    pa_tool_result_free(&r);
    unlink(path);
    rmdir(dir);
    snprintf(cfg.storage_dir, sizeof cfg.storage_dir, "%s", saved);
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    char err[256];
    pa_registry_init(&reg);
    if (pa_tools_register_builtin(&reg, err, sizeof err)) return 2;
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.storage_dir, sizeof cfg.storage_dir, "%s", argv[1]);
    state = pa_tools_state_new();
    test_ip_level();
    pa_tool_result r;

    json_t *s = call("{\"pcap_file\":\"expert.pcap\",\"display_filter\":\"tcp.analysis.flags || udp || "
                     "tcp.flags.reset == 1\"}",
                     &r);
    CHECK(s && geti(s, "matched") == 10);
    json_t *rows = json_object_get(s, "packets");
    static const json_int_t want[] = {13, 14, 15, 16, 17, 18, 19, 32, 42, 43};
    CHECK(json_array_size(rows) == 10);
    for (size_t i = 0; i < 10 && i < json_array_size(rows); i++)
        CHECK(geti(json_array_get(rows, i), "number") == want[i]);
    json_t *r14 = json_array_get(rows, 1), *r42 = json_array_get(rows, 8), *r32 = json_array_get(rows, 7);
    CHECK_STR(getstr(r14, "protocol"), "DNS");
    CHECK(strstr(getstr(r14, "info"), "Standard query response 0x1001 NXDOMAIN A nope.example") != NULL);
    CHECK_STR(getstr(r14, "source"), "10.0.0.53");
    CHECK_STR(getstr(r14, "destination"), "10.0.0.80");
    CHECK(strstr(getstr(r42, "info"), "[TCP ZeroWindow] 52004 \xe2\x86\x92 80 [ACK]") != NULL);
    CHECK(strstr(getstr(r42, "info"), "Win=0 Len=0") != NULL);
    CHECK(strstr(getstr(r32, "info"), "[RST, ACK]") != NULL && geti(r32, "length") == 54);
    CHECK(json_number_value(json_object_get(r32, "time")) > 8.0 &&
          json_number_value(json_object_get(r32, "time")) < 8.01);
    CHECK(!json_is_true(json_object_get(json_object_get(s, "page"), "more")));
    pa_tool_result_free(&r);

    /* ARP and IP without a transport header get a fixed protocol name (that
     * name once went unused and the column showed an unset buffer) */
    s = call("{\"pcap_file\":\"ordinary.pcap\",\"display_filter\":\"arp\"}", &r);
    rows = json_object_get(s, "packets");
    CHECK(geti(s, "matched") == 2);
    CHECK_STR(getstr(json_array_get(rows, 0), "protocol"), "ARP");
    CHECK(strstr(r.text.data, " ARP ") != NULL);
    pa_tool_result_free(&r);

    /* paging */
    s = call("{\"pcap_file\":\"expert.pcap\",\"display_filter\":\"udp\",\"limit\":3,\"offset\":2}", &r);
    rows = json_object_get(s, "packets");
    CHECK(geti(s, "matched") == 7 && json_array_size(rows) == 3);
    CHECK(geti(json_array_get(rows, 0), "number") == 15 && geti(json_array_get(rows, 2), "number") == 17);
    CHECK(json_is_true(json_object_get(json_object_get(s, "page"), "more")));
    CHECK(strstr(r.text.data, "offset=5") != NULL);
    pa_tool_result_free(&r);

    /* every frame, and a filter that matches none */
    s = call("{\"pcap_file\":\"expert.pcap\",\"limit\":1000}", &r);
    CHECK(geti(s, "matched") == 52 && json_array_size(json_object_get(s, "packets")) == 52);
    CHECK(geti(json_array_get(json_object_get(s, "packets"), 4), "number") == 5);
    CHECK(strstr(getstr(json_array_get(json_object_get(s, "packets"), 3), "info"), "GET /missing HTTP/1.1") != NULL);
    pa_tool_result_free(&r);
    s = call("{\"pcap_file\":\"expert.pcap\",\"display_filter\":\"ip.addr == 203.0.113.0/24\"}", &r);
    CHECK(s && geti(s, "matched") == 0 && json_array_size(json_object_get(s, "packets")) == 0);
    pa_tool_result_free(&r);

    /* DNS fields: rcode, names, answers, response times */
    static const struct {
        const char *filter;
        json_int_t frames[4];
        size_t n;
    } dns[] = {
        {"dns.flags.rcode == 3", {14}, 1},
        {"dns.qry.name == \\\"slow.example\\\"", {17, 18, 19}, 3},
        {"dns.time", {14, 16, 19}, 3},
        {"dns.a == 192.0.2.7", {19}, 1},
        {"dns && dns.flags.response == 0 && dns.id == 0x1003", {17, 18}, 2},
        /* HTTP fields on the frames that complete each message */
        {"http.request", {4, 7, 36}, 3},
        {"http.response && http.time > 0", {5, 8, 48}, 3},
        {"http.response.code >= 500", {8}, 1},
        /* TLS: the ClientHello and the fatal alert that answers it */
        {"tls", {23, 24}, 2},
        {"tls.handshake.type == 1 && tls.handshake.extensions_server_name && tls.handshake.ciphersuite == 0xc02f",
         {23},
         1},
        {"tls.alert_message.desc == 40 && tls.alert_message.level == 2", {24}, 1},
        {"http.request.uri == \\\"/missing\\\" && http.request.method == \\\"GET\\\"", {4}, 1}};
    for (size_t k = 0; k < sizeof dns / sizeof dns[0]; k++) {
        char args[256];
        snprintf(args, sizeof args, "{\"pcap_file\":\"expert.pcap\",\"display_filter\":\"%s\"}", dns[k].filter);
        s = call(args, &r);
        rows = json_object_get(s, "packets");
        bool ok = s && (size_t)geti(s, "matched") == dns[k].n;
        for (size_t i = 0; ok && i < dns[k].n; i++) ok = geti(json_array_get(rows, i), "number") == dns[k].frames[i];
        CHECK(ok);
        if (!ok) fprintf(stderr, "  %s: %s\n", dns[k].filter, r.text.data);
        pa_tool_result_free(&r);
    }

    /* get_packet_details: the zero-window segment, field by field */
    {
        json_t *a = json_loads("{\"pcap_file\":\"expert.pcap\",\"frame_number\":42,\"hex_bytes\":20}", 0, NULL);
        pa_tool_ctx ctx = {.cfg = &cfg, .state = state};
        pa_tool_result_init(&r);
        pa_registry_call(pa_registry_find(&reg, "get_packet_details"), &ctx, a, &r);
        json_decref(a);
        s = r.structured;
        CHECK(s && geti(s, "frame_number") == 42 && geti(s, "length") == 66);
        json_t *tcp = NULL, *ip = NULL;
        size_t i;
        json_t *layer;
        json_array_foreach(json_object_get(s, "layers"), i, layer) {
            if (!strcmp(getstr(layer, "protocol"), "tcp")) tcp = json_object_get(layer, "fields");
            if (!strcmp(getstr(layer, "protocol"), "ip")) ip = json_object_get(layer, "fields");
        }
        CHECK(tcp && geti(tcp, "tcp.srcport") == 52004 && geti(tcp, "tcp.window_size") == 0 &&
              json_is_true(json_object_get(tcp, "tcp.analysis.zero_window")) && geti(tcp, "tcp.stream") == 3);
        CHECK(ip && json_array_size(json_object_get(ip, "ip.addr")) == 2 &&
              !strcmp(json_string_value(json_array_get(json_object_get(ip, "ip.addr"), 0)), "10.0.0.80"));
        CHECK(getstr(s, "hex") && !strncmp(getstr(s, "hex"), "0000  02 00 00 00 00 81", 23) &&
              strstr(getstr(s, "hex"), "0010  00 34 cf 18") != NULL);
        pa_tool_result_free(&r);
        a = json_loads("{\"pcap_file\":\"expert.pcap\",\"frame_number\":9999}", 0, NULL);
        pa_tool_result_init(&r);
        pa_registry_call(pa_registry_find(&reg, "get_packet_details"), &ctx, a, &r);
        json_decref(a);
        CHECK(r.is_error && strstr(r.text.data, "frame_number 9999 is not in 'expert.pcap', which has 52 frames"));
        pa_tool_result_free(&r);
    }

    /* follow_stream: the first keep-alive HTTP connection, paged */
    s = call_tool("follow_stream", "{\"pcap_file\":\"expert.pcap\",\"stream\":0,\"max_bytes\":300}", &r);
    CHECK(s && geti(s, "total_bytes") == 707 && geti(json_object_get(s, "a"), "bytes") == 323 &&
          geti(json_object_get(s, "b"), "bytes") == 384);
    CHECK(s && !strcmp(getstr(json_object_get(s, "a"), "address"), "10.0.0.80") &&
          geti(json_object_get(s, "b"), "port") == 80);
    json_t *c0 = s ? json_array_get(json_object_get(s, "chunks"), 0) : NULL;
    CHECK(c0 && !strcmp(getstr(c0, "direction"), "a_to_b") && geti(c0, "frame") == 4 &&
          !strncmp(getstr(c0, "data"), "GET /missing HTTP/1.1\r\nHost: 10.0.0.81\r\n", 40));
    json_t *pg = json_object_get(s, "page");
    CHECK(geti(pg, "returned_bytes") == 300 && geti(pg, "next_offset") == 300 &&
          json_is_true(json_object_get(pg, "more")));
    pa_tool_result_free(&r);
    s = call_tool("follow_stream", "{\"pcap_file\":\"expert.pcap\",\"stream\":0,\"offset\":300,\"max_bytes\":100000}",
                  &r);
    c0 = s ? json_array_get(json_object_get(s, "chunks"), 0) : NULL;
    CHECK(c0 && geti(c0, "offset") == 300 && !json_is_true(json_object_get(json_object_get(s, "page"), "more")));
    CHECK(geti(json_object_get(s, "page"), "returned_bytes") == 407);
    pa_tool_result_free(&r);
    /* the zero-window connection: a 12000-byte body reassembled */
    s = call_tool("follow_stream", "{\"pcap_file\":\"expert.pcap\",\"stream\":3,\"max_bytes\":16}", &r);
    CHECK(s && geti(json_object_get(s, "b"), "bytes") > 12000 && geti(s, "gaps") == 0);
    pa_tool_result_free(&r);
    /* UDP by its endpoints, as hex */
    s = call_tool("follow_stream",
                  "{\"pcap_file\":\"expert.pcap\",\"protocol\":\"udp\",\"address_a\":\"10.0.0.53\","
                  "\"port_a\":53,\"address_b\":\"10.0.0.80\",\"port_b\":53001,\"format\":\"hex\"}",
                  &r);
    json_t *ch = json_object_get(s, "chunks");
    CHECK(s && json_array_size(ch) == 2 && geti(json_array_get(ch, 0), "frame") == 13 &&
          geti(json_array_get(ch, 1), "frame") == 14 && !strncmp(getstr(json_array_get(ch, 0), "data"), "1001", 4));
    pa_tool_result_free(&r);
    call_tool("follow_stream", "{\"pcap_file\":\"expert.pcap\",\"stream\":99}", &r);
    CHECK(r.is_error && strstr(r.text.data, "tcp stream 99 has no payload") && strstr(r.text.data, "numbered 0 to"));
    pa_tool_result_free(&r);
    call_tool("follow_stream", "{\"pcap_file\":\"expert.pcap\"}", &r);
    CHECK(r.is_error && strstr(r.text.data, "name the conversation with stream"));
    pa_tool_result_free(&r);
    call_tool("follow_stream", "{\"pcap_file\":\"expert.pcap\",\"stream\":0,\"port_a\":80}", &r);
    CHECK(r.is_error && strstr(r.text.data, "either stream or"));
    pa_tool_result_free(&r);

    /* export_packets: a filtered copy that the other tools read back */
    char path[600];
    snprintf(path, sizeof path, "%s/exported_dns.pcap", argv[1]);
    unlink(path);
    snprintf(path, sizeof path, "%s/exported_stream3.pcapng", argv[1]);
    unlink(path);
    s = call_tool("export_packets",
                  "{\"pcap_file\":\"expert.pcap\",\"display_filter\":\"dns\",\"output_file\":"
                  "\"exported_dns.pcap\"}",
                  &r);
    CHECK(s && geti(s, "packets") == 7 && geti(s, "first_frame") == 13 && geti(s, "last_frame") == 19 &&
          !strcmp(getstr(s, "format"), "pcap"));
    pa_tool_result_free(&r);
    s = call("{\"pcap_file\":\"exported_dns.pcap\",\"display_filter\":\"dns.flags.rcode == 3\"}", &r);
    CHECK(s && geti(json_object_get(s, "capture"), "packets") == 7 && geti(s, "matched") == 1 &&
          geti(json_array_get(json_object_get(s, "packets"), 0), "number") == 2);
    pa_tool_result_free(&r);
    s = call_tool("export_packets",
                  "{\"pcap_file\":\"expert.pcap\",\"display_filter\":\"tcp.stream == 3\","
                  "\"output_file\":\"exported_stream3.pcapng\"}",
                  &r);
    CHECK(s && geti(s, "packets") == 20 && !strcmp(getstr(s, "format"), "pcapng"));
    pa_tool_result_free(&r);
    s = call("{\"pcap_file\":\"exported_stream3.pcapng\",\"display_filter\":\"tcp.analysis.zero_window\"}", &r);
    CHECK(s && geti(s, "matched") == 1 && !strcmp(getstr(json_object_get(s, "capture"), "format"), "pcapng"));
    CHECK(s && fabs(json_number_value(json_object_get(json_array_get(json_object_get(s, "packets"), 0), "time")) -
                    0.00445) < 1e-9);
    pa_tool_result_free(&r);
    call_tool("export_packets", "{\"pcap_file\":\"expert.pcap\",\"output_file\":\"exported_dns.pcap\"}", &r);
    CHECK(r.is_error && strstr(r.text.data, "already exists"));
    pa_tool_result_free(&r);
    call_tool("export_packets", "{\"pcap_file\":\"expert.pcap\",\"output_file\":\"../escape.pcap\"}", &r);
    CHECK(r.is_error && strstr(r.text.data, "is not accepted"));
    pa_tool_result_free(&r);
    call_tool("export_packets", "{\"pcap_file\":\"expert.pcap\",\"output_file\":\"x.txt\"}", &r);
    CHECK(r.is_error && strstr(r.text.data, "ending in .pcap or .pcapng"));
    pa_tool_result_free(&r);
    snprintf(path, sizeof path, "%s/exported_dns.pcap", argv[1]);
    unlink(path);
    snprintf(path, sizeof path, "%s/exported_stream3.pcapng", argv[1]);
    unlink(path);

    /* display_filter on the analysis tools: statistics over the matching
     * frames, one cached model per (file, filter) */
    s = call_tool("analyze_pcap_file", "{\"pcap_file\":\"expert.pcap\",\"display_filter\":\"dns\"}", &r);
    json_t *cap = json_object_get(s, "capture");
    CHECK(s && geti(cap, "packets") == 7 && geti(cap, "frames_filtered_out") == 45 &&
          !strcmp(getstr(cap, "display_filter"), "dns"));
    CHECK(strstr(r.text.data, "display_filter 'dns' kept 7 of 52 frames") != NULL);
    pa_tool_result_free(&r);
    s = call_tool("analyze_pcap_file", "{\"pcap_file\":\"expert.pcap\",\"display_filter\":\"tcp\"}", &r);
    CHECK(s && geti(json_object_get(s, "capture"), "packets") == 45);
    pa_tool_result_free(&r);
    s = call_tool("analyze_tcp_retransmissions",
                  "{\"pcap_file\":\"expert.pcap\",\"display_filter\":\"tcp.stream == 3\"}", &r);
    CHECK(s && geti(json_object_get(s, "capture"), "packets") == 20);
    pa_tool_result_free(&r);
    /* the same argument on every tool that reads the model */
    static const char *const model_tools[] = {"extract_http_requests",
                                              "generate_traffic_timeline",
                                              "analyze_network_performance",
                                              "analyze_network_latency",
                                              "analyze_tls_handshakes",
                                              "analyze_sni_mismatches",
                                              "extract_certificate_details",
                                              "analyze_tls_alerts",
                                              "analyze_connection_lifecycle",
                                              "extract_tls_cipher_analysis",
                                              "analyze_tcp_zero_window",
                                              "analyze_tcp_window_scaling",
                                              "analyze_packet_timing_issues",
                                              "analyze_congestion_indicators",
                                              "analyze_dns_resolution_issues",
                                              "analyze_dhcp_traffic",
                                              "analyze_expert_information",
                                              "analyze_protocol_anomalies",
                                              "analyze_network_topology",
                                              "analyze_security_threats",
                                              "generate_throughput_io_graph",
                                              "analyze_bandwidth_utilization",
                                              "analyze_application_response_times",
                                              "analyze_network_quality_metrics",
                                              "analyze_icmp_errors",
                                              "analyze_mtu_fragmentation",
                                              "analyze_quic_traffic",
                                              "analyze_voip_quality"};
    for (size_t k = 0; k < sizeof model_tools / sizeof model_tools[0]; k++) {
        s = call_tool(model_tools[k], "{\"pcap_file\":\"expert.pcap\",\"display_filter\":\"tcp.stream == 3\"}", &r);
        json_t *c = json_object_get(s, "capture");
        bool ok = s && geti(c, "packets") == 20 && getstr(c, "display_filter") &&
                  !strcmp(getstr(c, "display_filter"), "tcp.stream == 3");
        CHECK(ok);
        if (!ok) fprintf(stderr, "  %s: %s\n", model_tools[k], r.text.data);
        pa_tool_result_free(&r);
    }
    call_tool("analyze_expert_information", "{\"pcap_file\":\"expert.pcap\",\"display_filter\":\"tcp.port ==\"}", &r);
    CHECK(r.is_error && strstr(r.text.data, "display filter error at character 12"));
    pa_tool_result_free(&r);
    s = call_tool("search_packet_content",
                  "{\"pcap_file\":\"expert.pcap\",\"search_pattern\":\"example\","
                  "\"display_filter\":\"dns.flags.response == 1\"}",
                  &r);
    CHECK(s && geti(s, "matching_frames") == 3 && geti(json_object_get(s, "capture"), "frames_filtered_out") == 49);
    pa_tool_result_free(&r);
    s = call_tool("analyze_protocol_anomalies",
                  "{\"pcap_file\":\"anomalies.pcap\",\"verify_checksums\":true,"
                  "\"display_filter\":\"udp\"}",
                  &r);
    json_t *ck = json_object_get(s, "checksums");
    CHECK(s && geti(json_object_get(ck, "bad"), "ipv4_header") == 1 &&
          geti(json_object_get(ck, "checked"), "tcp") == 0);
    pa_tool_result_free(&r);

    test_budgets();

    /* errors say where and what */
    call("{\"pcap_file\":\"expert.pcap\",\"display_filter\":\"ip.adr == 10.0.0.1\"}", &r);
    CHECK(r.is_error && strstr(r.text.data, "character 1") && strstr(r.text.data, "Did you mean ip.addr"));
    CHECK(r.is_error && strstr(r.text.data, "Supported fields: frame") && strstr(r.text.data, "icmpv6.code"));
    pa_tool_result_free(&r);
    call("{\"pcap_file\":\"expert.pcap\",\"display_filter\":\"tcp.port == 80 &&\"}", &r);
    CHECK(r.is_error &&
          strstr(r.text.data, "character 18: expected a field name, '(' or '!', found the end of the filter"));
    pa_tool_result_free(&r);
    call("{\"pcap_file\":\"nope.pcap\",\"display_filter\":\"tcp\"}", &r);
    CHECK(r.is_error);
    pa_tool_result_free(&r);

    pa_tools_state_free(state);
    pa_registry_free(&reg);
    return check_done("tools_packets");
}
