/* Display filters keep whole transactions (docs/DISPLAY_FILTERS.md), on
 * captures built here: an HTTP/1.1 connection (a request in three segments,
 * a 404, a request never answered) and DNS over UDP (a retransmitted query,
 * an unanswered query, a response without a query). Each filter keeps the
 * transactions any of whose frames it matches, complete; the statistics
 * that are not transactions count the matching frames only. Frame numbers
 * and times are those written below; tshark 4.0 reads the same
 * (http.time 0.029 and 0.030 s, dns.time 0.005 and 0.520 s). */
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "pktgen.h"
#include "test_kit.h"
#include "tool_common.h"

static char dir[64];
static pa_registry reg;
static pa_config cfg;
static pa_tools_state *state;
static const pg_ts t0 = {1767225600, 0};

static pg_ts at_ms(uint64_t ms) { return pg_ts_add(t0, PG_MS(ms)); }

static json_t *call(const char *tool, const char *file, const char *filter, pa_tool_result *res) {
    json_t *args = json_pack("{s:s, s:i}", "pcap_file", file, "limit", 500);
    if (filter) json_object_set_new(args, "display_filter", json_string(filter));
    if (!strcmp(tool, "analyze_application_response_times")) json_object_set_new(args, "protocol", json_string("all"));
    pa_tool_ctx ctx = {.cfg = &cfg, .state = state};
    pa_tool_result_init(res);
    pa_registry_call(pa_registry_find(&reg, tool), &ctx, args, res);
    json_decref(args);
    if (res->is_error) fprintf(stderr, "%s [%s]: %s\n", tool, filter ? filter : "", res->text.data);
    return res->structured;
}

static json_int_t geti(json_t *o, const char *a, const char *b) {
    json_t *v = json_object_get(o, a);
    return json_integer_value(b ? json_object_get(v, b) : v);
}

/* ---- captures ------------------------------------------------------------- */

static const char req1[] = "GET /one HTTP/1.1\r\nHost: a.example\r\nUser-Agent: t\r\n\r\n";
static const char resp1[] = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
static const char req2[] = "GET /two HTTP/1.1\r\nHost: b.example\r\n\r\n";
static const char resp2[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
static const char req3[] = "GET /three HTTP/1.1\r\nHost: b.example\r\n\r\n";

/* frames: 1-3 handshake; 4, 5, 6 request 1 (complete at 6, 12 ms); 7, 8
 * its response (complete at 8, 41 ms); 9 request 2 (100 ms); 10 its 404
 * (130 ms); 11 request 3 (200 ms), never answered; 12, 13 FINs; 14 ACK */
/* Host 10.0.0.<host> (MAC 02:00:00:00:00:<host>) on port, starting at isn. */
static int write_http(const char *path) {
    pg_writer *w;
    if (pg_open(&w, path, NULL) != PG_OK) return -1;
    pg_tcp_conv c;
    pg_tcp_peer cl = kit_peer(1, 40000, 1000), sv = kit_peer(2, 80, 5000);
    pg_tcp_init(&c, w, 4, &cl, &sv);
    pg_tcp_handshake(&c, at_ms(0), PG_MS(1));
    size_t n = strlen(req1), a = 10, b = 30;
    pg_tcp_send(&c, at_ms(10), PG_CLIENT, req1, a, 0);
    pg_tcp_send(&c, at_ms(11), PG_CLIENT, req1 + a, b - a, 0);
    pg_tcp_send(&c, at_ms(12), PG_CLIENT, req1 + b, n - b, PG_TCP_PUSH);
    pg_tcp_send(&c, at_ms(40), PG_SERVER, resp1, 20, 0);
    pg_tcp_send(&c, at_ms(41), PG_SERVER, resp1 + 20, strlen(resp1) - 20, PG_TCP_PUSH);
    pg_tcp_send(&c, at_ms(100), PG_CLIENT, req2, strlen(req2), PG_TCP_PUSH);
    pg_tcp_send(&c, at_ms(130), PG_SERVER, resp2, strlen(resp2), PG_TCP_PUSH);
    pg_tcp_send(&c, at_ms(200), PG_CLIENT, req3, strlen(req3), PG_TCP_PUSH);
    pg_tcp_fin(&c, at_ms(300), PG_CLIENT);
    pg_tcp_fin(&c, at_ms(301), PG_SERVER);
    pg_tcp_ack(&c, at_ms(302), PG_CLIENT);
    return pg_close(w);
}

static void dns_msg(pg_pkt *p, uint16_t id, bool response, uint8_t rcode, const char *name) {
    pg_be16(p, id);
    pg_be16(p, (uint16_t)(response ? 0x8180 | rcode : 0x0100));
    pg_be16(p, 1);
    pg_be16(p, 0);
    pg_be16(p, 0);
    pg_be16(p, 0);
    for (const char *s = name; *s;) { /* labels */
        const char *dot = strchr(s, '.');
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        pg_u8(p, (uint8_t)len);
        pg_bytes(p, s, len);
        s += len + (dot ? 1 : 0);
    }
    pg_u8(p, 0);
    pg_be16(p, 1); /* A */
    pg_be16(p, 1); /* IN */
}

static int dns_frame(pg_writer *w, uint64_t ms, uint16_t cport, uint16_t id, bool response, uint8_t rcode,
                     const char *name) {
    uint8_t buf[512];
    pg_pkt p;
    pg_pkt_init(&p, buf, sizeof buf);
    static const uint8_t cmac[6] = {2, 0, 0, 0, 0, 1}, smac[6] = {2, 0, 0, 0, 0, 53};
    pg_ip4 ip = {.src = {10, 0, 0, 1}, .dst = {10, 0, 0, 53}, .ttl = 64};
    if (response) {
        memcpy(ip.src, (uint8_t[4]){10, 0, 0, 53}, 4);
        memcpy(ip.dst, (uint8_t[4]){10, 0, 0, 1}, 4);
    }
    pg_eth(&p, response ? cmac : smac, response ? smac : cmac, PG_ETH_IPV4);
    pg_ipv4(&p, &ip);
    pg_udp(&p, response ? 53 : cport, response ? cport : 53);
    dns_msg(&p, id, response, rcode, name);
    pg_finish(&p);
    return pg_write_pkt(w, at_ms(ms), &p);
}

/* frames: 1 query a.example (0 ms), 2 its answer (5 ms); 3 query
 * b.example (1000 ms), 4 the same again (1500 ms), 5 NXDOMAIN for it (1520
 * ms: 520 ms after the first copy); 6 query c.example (2000 ms), never
 * answered; 7 a response for d.example that no query asked (2100 ms) */
static int write_dns(const char *path) {
    pg_writer *w;
    if (pg_open(&w, path, NULL) != PG_OK) return -1;
    dns_frame(w, 0, 50001, 1, false, 0, "a.example");
    dns_frame(w, 5, 50001, 1, true, 0, "a.example");
    dns_frame(w, 1000, 50002, 2, false, 0, "b.example");
    dns_frame(w, 1500, 50002, 2, false, 0, "b.example");
    dns_frame(w, 1520, 50002, 2, true, 3, "b.example");
    dns_frame(w, 2000, 50003, 3, false, 0, "c.example");
    dns_frame(w, 2100, 50004, 9, true, 0, "d.example");
    return pg_close(w);
}

/* ---- HTTP -------------------------------------------------------------------- */

/* The listed requests: frame, status (0: none), response frame, time. */
typedef struct want_req {
    json_int_t frame, status, resp_frame;
    double ms;
} want_req;

static void check_http(const char *filter, json_int_t requests, json_int_t responses, json_int_t answered,
                       json_int_t unanswered, const want_req *want, size_t nwant) {
    pa_tool_result r;
    json_t *s = call("extract_http_requests", "http_tx.pcap", filter, &r);
    json_t *tot = json_object_get(s, "totals");
    bool ok = s && geti(tot, "requests", NULL) == requests && geti(tot, "responses", NULL) == responses &&
              geti(tot, "answered", NULL) == answered && geti(tot, "unanswered", NULL) == unanswered;
    json_t *list = json_object_get(s, "requests");
    ok = ok && json_array_size(list) == nwant;
    for (size_t i = 0; ok && i < nwant; i++) {
        json_t *x = json_array_get(list, i);
        ok = geti(x, "frame", NULL) == want[i].frame && geti(x, "status", NULL) == want[i].status;
        if (want[i].status)
            ok = ok && geti(x, "response_frame", NULL) == want[i].resp_frame &&
                 fabs(json_real_value(json_object_get(x, "response_time_ms")) - want[i].ms) < 1e-6;
    }
    CHECK(ok);
    if (!ok) fprintf(stderr, "  filter [%s]:\n%s\n", filter ? filter : "", r.text.data);
    pa_tool_result_free(&r);
}

static void test_http(void) {
    const want_req one = {6, 200, 8, 29.0}, two = {9, 404, 10, 30.0}, three = {11, 0, 0, 0};
    const want_req all[] = {one, two, three};
    check_http(NULL, 3, 2, 2, 1, all, 3);
    /* the host is only in the frame that completes the request; its
     * response (frames 7 and 8) is kept with it */
    check_http("http.host == \"a.example\"", 1, 1, 1, 0, &one, 1);
    /* any frame that carries the request's bytes keeps it: the last, or the
     * first (which tshark does not even mark http), and it still parses */
    check_http("frame.number == 6", 1, 1, 1, 0, &one, 1);
    check_http("frame.number == 4", 1, 1, 1, 0, &one, 1);
    /* a frame of the response keeps the request it answers */
    check_http("frame.number == 7", 1, 1, 1, 0, &one, 1);
    check_http("http.response.code == 404", 1, 1, 1, 0, &two, 1);
    const want_req b[] = {two, three};
    check_http("http.host == \"b.example\"", 2, 1, 1, 1, b, 2);
    /* only responses match: the requests they answer are reported, the
     * unanswered one is not */
    const want_req answered[] = {one, two};
    check_http("http.response", 2, 2, 2, 0, answered, 2);
    /* frames that carry no HTTP byte (handshake, ACKs, FINs) keep nothing */
    check_http("tcp.len == 0", 0, 0, 0, 0, NULL, 0);
    check_http("ip.addr == 192.0.2.99", 0, 0, 0, 0, NULL, 0);
    check_http("frame", 3, 2, 2, 1, all, 3);

    /* statistics that are not transactions count the matching frames only */
    pa_tool_result r;
    json_t *s = call("analyze_pcap_file", "http_tx.pcap", "http.host == \"a.example\"", &r);
    CHECK(s && geti(s, "capture", "packets") == 1 && geti(s, "capture", "frames_filtered_out") == 13);
    pa_tool_result_free(&r);

    /* the response-time tool reads the same transactions */
    s = call("analyze_application_response_times", "http_tx.pcap", "http.host == \"b.example\"", &r);
    json_t *http = json_array_get(json_object_get(s, "sections"), 0);
    json_t *slow = json_object_get(http, "slowest");
    CHECK(s && !strcmp(json_string_value(json_object_get(http, "name")), "http") &&
          geti(http, "overall", "samples") == 1 && json_array_size(slow) == 1 &&
          geti(json_array_get(slow, 0), "frame", NULL) == 9 &&
          fabs(json_real_value(json_object_get(json_array_get(slow, 0), "time_ms")) - 30.0) < 1e-6 &&
          geti(http, "unanswered", NULL) == 1);
    pa_tool_result_free(&r);
}

/* ---- DNS --------------------------------------------------------------------- */

static void check_dns(const char *filter, json_int_t queries, json_int_t responses, json_int_t answered,
                      json_int_t unanswered, json_int_t retrans, json_int_t unmatched, double min_ms, double max_ms) {
    pa_tool_result r;
    json_t *s = call("analyze_dns_resolution_issues", "dns_tx.pcap", filter, &r);
    json_t *tot = json_object_get(s, "totals"), *rt = json_object_get(s, "response_time");
    bool ok = s && geti(tot, "queries", NULL) == queries && geti(tot, "responses", NULL) == responses &&
              geti(tot, "answered", NULL) == answered && geti(tot, "unanswered", NULL) == unanswered &&
              geti(tot, "retransmitted_queries", NULL) == retrans &&
              geti(tot, "responses_without_query", NULL) == unmatched && geti(rt, "samples", NULL) == answered;
    if (answered)
        ok = ok && fabs(json_real_value(json_object_get(rt, "min_ms")) - min_ms) < 1e-6 &&
             fabs(json_real_value(json_object_get(rt, "max_ms")) - max_ms) < 1e-6;
    CHECK(ok);
    if (!ok) fprintf(stderr, "  filter [%s]:\n%s\n", filter ? filter : "", r.text.data);
    pa_tool_result_free(&r);
}

static void test_dns(void) {
    check_dns(NULL, 4, 3, 2, 1, 1, 1, 5.0, 520.0);
    /* queries only: every transaction that has a query, answers and times included */
    check_dns("dns.flags.response == 0", 4, 2, 2, 1, 1, 0, 5.0, 520.0);
    /* responses only: their queries (both copies of b.example) come along;
     * the query never answered does not */
    check_dns("dns.flags.response == 1", 3, 3, 2, 0, 1, 1, 5.0, 520.0);
    check_dns("dns.qry.name == \"b.example\"", 2, 1, 1, 0, 1, 0, 520.0, 520.0);
    /* the retransmitted copy alone keeps its transaction, timed from the first copy */
    check_dns("frame.number == 4", 2, 1, 1, 0, 1, 0, 520.0, 520.0);
    check_dns("dns.time > 0.1", 2, 1, 1, 0, 1, 0, 520.0, 520.0);
    check_dns("udp.port == 50003", 1, 0, 0, 1, 0, 0, 0, 0);
    check_dns("frame.number == 0", 0, 0, 0, 0, 0, 0, 0, 0);
    check_dns("frame", 4, 3, 2, 1, 1, 1, 5.0, 520.0);

    /* error responses and the expert messages of DNS belong to their frames */
    pa_tool_result r;
    json_t *s = call("analyze_dns_resolution_issues", "dns_tx.pcap", "dns.flags.response == 0", &r);
    json_t *errs = json_object_get(s, "errors");
    CHECK(s && geti(s, "rcodes", "NXDOMAIN") == 1 && json_array_size(errs) == 1 &&
          geti(json_array_get(errs, 0), "frame", NULL) == 5 && geti(json_array_get(errs, 0), "query_frame", NULL) == 3);
    pa_tool_result_free(&r);
    s = call("analyze_application_response_times", "dns_tx.pcap", "dns.qry.name == \"a.example\"", &r);
    json_t *dns = json_array_get(json_object_get(s, "sections"), 3);
    CHECK(s && !strcmp(json_string_value(json_object_get(dns, "name")), "dns") &&
          geti(dns, "overall", "samples") == 1 &&
          fabs(json_real_value(json_object_get(json_object_get(dns, "overall"), "max_ms")) - 5.0) < 1e-6);
    pa_tool_result_free(&r);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/pa_test_dfilter_tx_XXXXXX");
    if (!mkdtemp(dir)) return 2;
    char http_path[128], dns_path[128];
    snprintf(http_path, sizeof http_path, "%s/http_tx.pcap", dir);
    snprintf(dns_path, sizeof dns_path, "%s/dns_tx.pcap", dir);
    if (write_http(http_path) != PG_OK || write_dns(dns_path) != PG_OK) return 2;
    char err[512];
    pa_registry_init(&reg);
    if (pa_tools_register_builtin(&reg, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.storage_dir, sizeof cfg.storage_dir, "%s", dir);
    state = pa_tools_state_new();
    test_http();
    test_dns();
    pa_tools_state_free(state);
    pa_registry_free(&reg);
    unlink(http_path);
    unlink(dns_path);
    rmdir(dir);
    return check_done("dfilter_tx");
}
