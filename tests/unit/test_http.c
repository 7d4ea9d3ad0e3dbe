/* HTTP/1.x: head parsing, and message framing through a connection's byte
 * stream — Content-Length, chunked (split anywhere), pipelining, HEAD,
 * 100 Continue, bodies ending with the connection, responses without a
 * request, resynchronisation after a gap. */
#include <stdlib.h>

#include "check.h"
#include "http_track.h"

static char log_[2048];

static void on_tx(void *ud, const pa_http_tx *tx, bool response) {
    (void)ud;
    size_t n = strlen(log_);
    if (response)
        snprintf(log_ + n, sizeof log_ - n, "resp %llu %u %lld;", (unsigned long long)tx->resp_frame, tx->status,
                 (long long)(tx->rt_ns < 0 ? -1 : tx->rt_ns / 1000000));
    else
        snprintf(log_ + n, sizeof log_ - n, "req %llu %s %s;", (unsigned long long)tx->req_frame, tx->method, tx->uri);
}

typedef struct conn {
    pa_http_stats st;
    pa_http_flow *h;
    uint32_t seq[2];
    uint64_t frame;
} conn;

/* One segment from side (0 client, 1 server) at time ms; skip > 0 leaves a hole first. */
static void seg(conn *c, int side, int64_t ms, const char *data, uint8_t flags, uint32_t skip) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.frame_no = ++c->frame;
    p.ts_ns = ms * 1000000;
    p.src.family = p.dst.family = 4;
    p.src.b[3] = (uint8_t)(side ? 2 : 1);
    p.dst.b[3] = (uint8_t)(side ? 1 : 2);
    p.sport = side ? 80 : 40000;
    p.dport = side ? 40000 : 80;
    c->seq[side] += skip;
    p.tcp.seq = c->seq[side];
    p.tcp.flags = flags | PA_TCP_ACK;
    p.payload = (const uint8_t *)data;
    p.payload_len = (uint32_t)strlen(data);
    c->seq[side] += p.payload_len + ((flags & PA_TCP_FIN) ? 1 : 0);
    pa_http_segment(&c->st, &c->h, &p, side, NULL, 0, on_tx, NULL);
}

static void open_conn(conn *c) {
    memset(c, 0, sizeof *c);
    log_[0] = '\0';
    c->seq[0] = 1000;
    c->seq[1] = 5000;
    pa_packet p;
    memset(&p, 0, sizeof p);
    for (int side = 0; side < 2; side++) { /* SYN and SYN/ACK start both streams */
        p.frame_no = ++c->frame;
        p.tcp.seq = c->seq[side]++;
        p.tcp.flags = PA_TCP_SYN;
        pa_http_segment(&c->st, &c->h, &p, side, NULL, 0, on_tx, NULL);
    }
}

static void close_conn(conn *c) {
    pa_http_finish_flow(&c->st, c->h);
    pa_http_free_flow(c->h);
    pa_http_stats_free(&c->st);
}

static void test_head(void) {
    pa_http_head h;
    const char *req = "POST /a?b=1 HTTP/1.1\r\nHost: ex.test\r\nUser-Agent: t/1\r\ncontent-length: 12\r\n"
                      "Transfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n";
    CHECK(pa_http_parse_head((const uint8_t *)req, strlen(req), &h) == PA_HTTP_HEAD_OK);
    CHECK(h.request && h.version_minor == 1 && h.content_length == 12 && h.chunked && h.close);
    CHECK_STR(h.method, "POST");
    CHECK_STR(h.uri, "/a?b=1");
    CHECK_STR(h.host, "ex.test");
    CHECK_STR(h.user_agent, "t/1");
    const char *resp = "HTTP/1.0 304 Not Modified\r\nContent-Type: text/plain\r\n\r\n";
    CHECK(pa_http_parse_head((const uint8_t *)resp, strlen(resp), &h) == PA_HTTP_HEAD_OK);
    CHECK(!h.request && h.status == 304 && h.close && h.content_length == -1);
    CHECK_STR(h.content_type, "text/plain");
    /* extension methods and a bare method line (as tshark and Zeek accept) */
    CHECK(pa_http_parse_head((const uint8_t *)"CCM_POST / HTTP/1.1\n\n", 21, &h) == PA_HTTP_HEAD_OK);
    CHECK_STR(h.method, "CCM_POST");
    CHECK(pa_http_parse_head((const uint8_t *)"OPTIONS\nHost: x\n\n", 17, &h) == PA_HTTP_HEAD_OK);
    CHECK(h.request && h.uri[0] == '\0');
    /* not HTTP */
    CHECK(pa_http_parse_head((const uint8_t *)"get / HTTP/1.1\r\n\r\n", 18, &h) == PA_HTTP_HEAD_NOT_HTTP);
    CHECK(pa_http_parse_head((const uint8_t *)"GET/ HTTP/1.1\r\n\r\n", 17, &h) == PA_HTTP_HEAD_NOT_HTTP);
    CHECK(pa_http_parse_head((const uint8_t *)"HTTP/1.1 2x0 OK\r\n\r\n", 19, &h) == PA_HTTP_HEAD_NOT_HTTP);
    CHECK(!pa_http_looks_like_start((const uint8_t *)"\x16\x03\x01\x02\x00", 5));
}

static void test_framing(void) {
    conn c;
    /* Content-Length body split over segments; then a chunked one with the
     * chunk-size line and the terminator split; pipelined requests */
    open_conn(&c);
    seg(&c, 0, 0, "GET /one HTTP/1.1\r\nHost: h\r\n\r\nGET /two HTTP/1.1\r\nHo", 0, 0);
    seg(&c, 0, 1, "st: h\r\n\r\n", 0, 0);
    seg(&c, 1, 10, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234", 0, 0);
    seg(&c, 1, 12, "56789HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", 0, 0);
    seg(&c, 1, 14, "cde\r\n1", 0, 0);
    seg(&c, 1, 15, "0\r\n0123456789abcdef\r\n0\r\n", 0, 0);
    CHECK(c.st.responses == 1); /* the chunked body has not ended yet */
    seg(&c, 1, 31, "\r\n", 0, 0);
    CHECK_STR(log_, "req 3 GET /one;req 4 GET /two;resp 6 200 12;resp 9 404 30;");
    CHECK(c.st.requests == 2 && c.st.responses == 2 && c.st.status_class[4] == 1);
    CHECK(c.st.ntx == 2 && c.st.tx[1].status == 404 && c.st.tx[1].rt_ns == 30000000);
    close_conn(&c);

    /* HEAD: the Content-Length describes a body that is not sent */
    open_conn(&c);
    seg(&c, 0, 0, "HEAD / HTTP/1.1\r\n\r\n", 0, 0);
    seg(&c, 1, 5, "HTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\n", 0, 0);
    seg(&c, 0, 6, "GET /x HTTP/1.1\r\n\r\n", 0, 0);
    seg(&c, 1, 9, "HTTP/1.1 204 No Content\r\n\r\n", 0, 0);
    CHECK_STR(log_, "req 3 HEAD /;resp 4 200 5;req 5 GET /x;resp 6 204 3;");
    close_conn(&c);

    /* 100 Continue is interim: the request waits for its final response */
    open_conn(&c);
    seg(&c, 0, 0, "POST /u HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n", 0, 0);
    seg(&c, 1, 2, "HTTP/1.1 100 Continue\r\n\r\n", 0, 0);
    seg(&c, 0, 3, "data", 0, 0);
    seg(&c, 1, 20, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", 0, 0);
    CHECK_STR(log_, "resp 4 100 -1;req 5 POST /u;resp 6 201 17;");
    close_conn(&c);

    /* a response without a length ends with the connection; an unanswered request at the end */
    open_conn(&c);
    seg(&c, 0, 0, "GET /a HTTP/1.0\r\n\r\n", 0, 0);
    seg(&c, 1, 4, "HTTP/1.0 200 OK\r\n\r\nbody...", 0, 0);
    seg(&c, 1, 7, "more", PA_TCP_FIN, 0);
    CHECK_STR(log_, "req 3 GET /a;resp 5 200 7;");
    seg(&c, 0, 8, "GET /late HTTP/1.1\r\n\r\n", 0, 0);
    pa_http_finish_flow(&c.st, c.h);
    CHECK(c.st.unanswered == 1 && c.st.ntx == 2 && c.st.tx[1].rt_ns == -1);
    CHECK_STR(c.st.tx[1].uri, "/late");
    pa_http_free_flow(c.h);
    pa_http_stats_free(&c.st);

    /* a response before any request; garbage, then a hole and resynchronisation */
    open_conn(&c);
    seg(&c, 1, 0, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", 0, 0);
    CHECK(c.st.orphan_responses == 1);
    seg(&c, 0, 1, "GET/ HTTP/1.1\r\n\r\n", 0, 0);
    CHECK(c.st.parse_errors == 1 && c.st.requests == 0);
    /* bytes after a hole are held until the hole fills or the hold limit
     * (PA_STREAM_MAX_HELD segments) gives up on it: then the parser is told
     * of the gap and resynchronises on the next message start */
    seg(&c, 0, 2, "ody of a lost message\r\n", 0, 100);
    for (int i = 0; i < PA_STREAM_MAX_HELD; i++) seg(&c, 0, 3 + i, "GET /after-gap HTTP/1.1\r\n\r\n", 0, 0);
    CHECK(c.st.requests == PA_STREAM_MAX_HELD);
    /* only PA_HTTP_PENDING wait for an answer; older ones are listed as unanswered */
    CHECK(c.st.unanswered == PA_STREAM_MAX_HELD - PA_HTTP_PENDING && c.st.ntx == c.st.unanswered);
    CHECK(c.st.tx[0].req_frame == 6 && c.st.tx[0].rt_ns == -1);
    seg(&c, 1, 200, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 0, 0);
    const pa_http_tx *ans = &c.st.tx[c.st.ntx - 1];
    int oldest = PA_STREAM_MAX_HELD - PA_HTTP_PENDING; /* the oldest still waiting */
    CHECK(ans->req_frame == 6 + (uint64_t)oldest && ans->rt_ns == (200 - 3 - oldest) * 1000000ll);
    CHECK(c.st.gaps == 1);
    close_conn(&c);
}

/* A direction that carries more than PA_HTTP_STREAM_CAP is read up to the
 * cap, and reported. */
static void test_cap(void) {
    conn c;
    open_conn(&c);
    seg(&c, 0, 1, "GET /big HTTP/1.1\r\n\r\n", 0, 0);
    seg(&c, 1, 2, "HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\n\r\n", 0, 0);
    static char body[65537];
    memset(body, 'x', sizeof body - 1);
    for (uint64_t sent = 0; sent <= PA_HTTP_STREAM_CAP; sent += sizeof body - 1) seg(&c, 1, 3, body, 0, 0);
    CHECK(c.st.streams_capped == 1 && c.st.responses == 0);
    close_conn(&c);
}

int main(void) {
    test_head();
    test_framing();
    test_cap();
    return check_done("http");
}
