/* The DNS parser on hand-made messages: compression, loops, forward
 * pointers, truncation, EDNS extended rcode; DNS over TCP framing through a
 * connection's byte stream (several messages per segment, one message across
 * segments, resynchronisation after a hole). */
#include <stdlib.h>

#include "check.h"
#include "dns_parse.h"
#include "dns_track.h"

static char tlog[256];

static void on_msg(void *ud, uint64_t frame, const pa_dns_msg *m, int64_t rt_ns) {
    (void)ud;
    size_t n = strlen(tlog);
    snprintf(tlog + n, sizeof tlog - n, "%llu:%u:%lld;", (unsigned long long)frame, m->id,
             (long long)(rt_ns < 0 ? -1 : rt_ns / 1000000));
}

static void tcp_seg(pa_dns_stats *d, pa_dns_tcp **s, int side, uint64_t frame, uint32_t seq, const uint8_t *b,
                    size_t n) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.frame_no = frame;
    p.ts_ns = (int64_t)frame * 1000000;
    p.ip_ver = 4;
    p.l4 = PA_P_TCP;
    p.app = PA_P_DNS;
    p.src.family = p.dst.family = 4;
    p.src.b[3] = (uint8_t)(side ? 53 : 10);
    p.dst.b[3] = (uint8_t)(side ? 10 : 53);
    p.sport = side ? 53 : 40000;
    p.dport = side ? 40000 : 53;
    p.tcp.seq = seq;
    p.tcp.flags = PA_TCP_ACK;
    p.payload = b;
    p.payload_len = (uint32_t)n;
    pa_dns_tcp_segment(d, s, &p, side, NULL, 4, on_msg, NULL);
}

/* a query or response for a.test with id, length-prefixed */
static size_t framed(uint8_t *out, uint16_t id, bool response) {
    const uint8_t msg[] = {(uint8_t)(id >> 8),
                           (uint8_t)id,
                           response ? 0x81 : 0x01,
                           response ? 0x80 : 0x00,
                           0,
                           1,
                           0,
                           0,
                           0,
                           0,
                           0,
                           0,
                           1,
                           'a',
                           4,
                           't',
                           'e',
                           's',
                           't',
                           0,
                           0,
                           1,
                           0,
                           1};
    out[0] = 0;
    out[1] = sizeof msg;
    memcpy(out + 2, msg, sizeof msg);
    return 2 + sizeof msg;
}

static void test_tcp(void) {
    pa_dns_stats d;
    CHECK(pa_dns_init(&d) == 0);
    pa_dns_tcp *s = NULL;
    uint8_t q[128], r[128];
    size_t nq = framed(q, 7, false);
    nq += framed(q + nq, 8, false); /* two queries in one segment */
    tcp_seg(&d, &s, 0, 1, 100, q, nq);
    size_t nr = framed(r, 7, true);
    nr += framed(r + nr, 8, true);
    tcp_seg(&d, &s, 1, 3, 500, r, 5); /* the first response across three segments */
    tcp_seg(&d, &s, 1, 4, 505, r + 5, 10);
    tcp_seg(&d, &s, 1, 6, 515, r + 15, nr - 15);
    CHECK_STR(tlog, "1:7:-1;1:8:-1;6:7:5;6:8:5;"); /* two queries at 1; responses complete at 6 */
    CHECK(d.queries == 2 && d.responses == 2 && d.answered == 2 && d.malformed == 0);
    /* the events keep what selects the exchange: stream, transaction id, ports */
    CHECK(d.nslowest == 2 && d.slowest[0].stream == 4 && d.slowest[0].tcp);
    CHECK(d.slowest[0].id == 7 && d.slowest[0].cport == 40000 && d.slowest[0].sport == 53);
    CHECK(d.slowest[0].frame == 6 && d.slowest[0].query_frame == 1);
    /* a hole that never fills: the stream gives up once too many segments wait behind it,
     * and parsing resumes at the first segment that starts with a plausible message */
    uint32_t seq = 100 + (uint32_t)nq + 30;
    for (int i = 0; i <= PA_STREAM_MAX_HELD; i++) {
        size_t n = framed(q, (uint16_t)(20 + i), false);
        tcp_seg(&d, &s, 0, 10 + (uint64_t)i, seq, q, n);
        seq += (uint32_t)n;
    }
    CHECK(d.queries == 2 + PA_STREAM_MAX_HELD + 1 && d.malformed == 0);
    /* the response to the last one is matched */
    framed(r, (uint16_t)(20 + PA_STREAM_MAX_HELD), true);
    tcp_seg(&d, &s, 1, 30, 515 + (uint32_t)(nr - 15), r, framed(r, (uint16_t)(20 + PA_STREAM_MAX_HELD), true));
    CHECK(d.answered == 3);
    pa_dns_tcp_free(s);
    pa_dns_free(&d);
}

int main(void) {
    test_tcp();
    pa_dns_msg m;
    /* response: www.example.test A, answer via a pointer to the question */
    const uint8_t ok[] = {0x12, 0x34, 0x81, 0x80, 0,   1,   0,   1,   0, 0,   0,   1,   3,   'w', 'w', 'w',
                          7,    'e',  'x',  'a',  'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0,   0,   1,
                          0,    1,    0xC0, 12,   0,   1,   0,   1,   0, 0,   0,   60,  0,   4,   192, 0,
                          2,    1,    0,    0,    41,  16,  0,   1,   0, 0,   0,   0,   0}; /* OPT: ext rcode 1 -> 16 */
    CHECK(pa_dns_parse(ok, sizeof ok, &m) == PA_DNS_OK);
    CHECK(m.id == 0x1234 && m.qr && m.rd && m.ra && m.has_question);
    CHECK_STR(m.qname, "www.example.test");
    CHECK(m.qtype == 1 && m.answers == 1 && m.min_ttl == 60);
    CHECK_STR(m.first_answer, "192.0.2.1");
    CHECK(m.edns && m.edns_udp_size == 4096 && m.rcode == 16);
    CHECK_STR(pa_dns_rcode_name(m.rcode), "BADVERS");

    /* a pointer to itself (a loop) and a forward pointer are refused */
    const uint8_t loop[] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1};
    CHECK(pa_dns_parse(loop, sizeof loop, &m) == PA_DNS_BAD_NAME);
    const uint8_t fwd[] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 14, 1, 'a', 0, 0, 1, 0, 1};
    CHECK(pa_dns_parse(fwd, sizeof fwd, &m) == PA_DNS_BAD_NAME);
    /* cut short inside the question */
    CHECK(pa_dns_parse(ok, 20, &m) == PA_DNS_TRUNCATED);
    CHECK(pa_dns_parse(ok, 5, &m) == PA_DNS_TRUNCATED);
    /* a name with a byte outside printable ASCII is shown with '?' */
    const uint8_t odd[] = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2, 'a', 0x0a, 0, 0, 16, 0, 1};
    CHECK(pa_dns_parse(odd, sizeof odd, &m) == PA_DNS_OK);
    CHECK_STR(m.qname, "a?");
    CHECK(m.qtype == 16 && !m.qr);
    /* TXT: the first character-string is the first answer, non-printables as '?' */
    const uint8_t txt[] = {0,    2,  0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 1, 't', 0,    0,   16, 0,   1,
                           0xC0, 12, 0,    16,   0, 1, 0, 0, 0, 5, 0, 7, 3, 'a', 0x01, 'c', 2,  'd', 'e'};
    CHECK(pa_dns_parse(txt, sizeof txt, &m) == PA_DNS_OK);
    CHECK_STR(m.first_answer, "a?c");
    /* the root */
    const uint8_t root[] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1};
    CHECK(pa_dns_parse(root, sizeof root, &m) == PA_DNS_OK);
    CHECK_STR(m.qname, "<Root>");
    return check_done("dns");
}
