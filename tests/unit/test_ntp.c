/* NTP: the parser on built and hostile messages (every truncation, versions
 * and modes that are not NTP, a control count and private items past the
 * end, timestamps of the next era), the tracker (exchanges matched by the
 * origin timestamp, clock offset and delay, repeated requests and replies,
 * orphans, unanswered requests, kiss-o'-death codes, Wireshark's request
 * links), and analyze_application_response_times on a generated capture,
 * which tests/corpus/compare_ntp.mjs and the display-filter comparison also
 * read against tshark. Usage: test_ntp [DIR] (where ntp.pcap is written;
 * default ntp_gen in the working directory, ctest's build folder) */
#include <math.h>
#include <sys/stat.h>

#include "check.h"
#include "ntp_track.h"
#include "pktgen.h"
#include "rows_text.h"
#include "test_kit.h"

#define U 15625000ll /* 1/64 s: exact in NTP fractions, microseconds and nanoseconds */
#define SEC 1000000000ll
#define T0 1767200000ll /* 2025-12-31 16:53:20 UTC */

/* ---- building messages ------------------------------------------------ */

typedef struct msg {
    uint8_t b[512];
    size_t n;
} msg;

static pg_pkt begin(msg *m) {
    pg_pkt p;
    pg_pkt_init(&p, m->b, sizeof m->b);
    return p;
}

static void put64(pg_pkt *p, uint64_t v) {
    pg_be32(p, (uint32_t)(v >> 32));
    pg_be32(p, (uint32_t)v);
}

/* An NTP timestamp for t ns after T0 (a fraction that reads back to the
 * same nanosecond). */
static uint64_t ts(int64_t t) {
    int64_t ns = T0 * SEC + t;
    uint64_t frac = (((uint64_t)(ns % SEC) << 32) + (uint64_t)SEC - 1) / (uint64_t)SEC;
    return (uint64_t)(ns / SEC + 2208988800ll) << 32 | frac;
}

typedef struct hdr {
    uint8_t li, vn, mode, stratum;
    const char *refid; /* 4 bytes */
    uint64_t ref, org, rec, xmt;
} hdr;

static void std_msg(msg *m, const hdr *h) {
    pg_pkt p = begin(m);
    pg_u8(&p, (uint8_t)(h->li << 6 | h->vn << 3 | h->mode));
    pg_u8(&p, h->stratum);
    pg_u8(&p, 6);    /* poll 64 s */
    pg_u8(&p, 0xec); /* precision 2^-20 s */
    pg_be32(&p, h->mode == PA_NTP_CLIENT ? 0 : 0x00000a3d);
    pg_be32(&p, h->mode == PA_NTP_CLIENT ? 0 : 0x00001234);
    pg_bytes(&p, h->refid ? h->refid : "\0\0\0\0", 4);
    put64(&p, h->ref);
    put64(&p, h->org);
    put64(&p, h->rec);
    put64(&p, h->xmt);
    m->n = p.len;
}

static void request(msg *m, int64_t t) { std_msg(m, &(hdr){0, 4, PA_NTP_CLIENT, 0, NULL, 0, 0, 0, ts(t)}); }

static void reply(msg *m, uint8_t stratum, const char *refid, int64_t org, int64_t rec, int64_t xmt) {
    std_msg(m, &(hdr){0, 4, PA_NTP_SERVER, stratum, refid, ts(-1000 * SEC), ts(org), ts(rec), ts(xmt)});
}

static void ctrl_msg(msg *m, uint8_t flags2, uint16_t seq, uint16_t status, uint16_t offset, uint16_t count,
                     const char *data, size_t n) {
    pg_pkt p = begin(m);
    pg_u8(&p, 2 << 3 | PA_NTP_CONTROL);
    pg_u8(&p, flags2);
    pg_be16(&p, seq);
    pg_be16(&p, status);
    pg_be16(&p, 0);
    pg_be16(&p, offset);
    pg_be16(&p, count);
    pg_bytes(&p, data, n);
    m->n = p.len;
}

static void priv_msg(msg *m, bool response, uint8_t reqcode, uint16_t items, uint16_t size, size_t data) {
    pg_pkt p = begin(m);
    pg_u8(&p, (uint8_t)((response ? 0x80 : 0) | 2 << 3 | PA_NTP_PRIVATE));
    pg_u8(&p, 0);
    pg_u8(&p, PA_NTP_XNTPD);
    pg_u8(&p, reqcode);
    pg_be16(&p, items);
    pg_be16(&p, size);
    for (size_t i = 0; i < data; i++) pg_u8(&p, (uint8_t)i);
    m->n = p.len;
}

/* ---- the parser -------------------------------------------------------- */

static void test_parse(void) {
    msg m;
    pa_ntp_msg d;
    reply(&m, 2, "\xc0\x00\x02\x7b", 0, U, 2 * U);
    CHECK(m.n == 48 && pa_ntp_parse(m.b, m.n, &d) == PA_NTP_OK);
    CHECK(d.flags == 0x24 && d.li == 0 && d.vn == 4 && d.mode == PA_NTP_SERVER && d.stratum == 2);
    CHECK(d.poll == 6 && d.precision == 0xec && d.root_delay == 0xa3d && d.root_dispersion == 0x1234);
    CHECK(!memcmp(d.refid, "\xc0\x00\x02\x7b", 4) && d.org == ts(0) && d.rec == ts(U) && d.xmt == ts(2 * U));
    CHECK(pa_ntp_is_response(&d) && !pa_ntp_is_request(&d));
    CHECK(pa_ntp_unix_ns(d.xmt) == T0 * SEC + 2 * U && pa_ntp_unix_ns(d.reftime) == (T0 - 1000) * SEC);
    char text[20];
    pa_ntp_refid_text(d.stratum, d.refid, text, sizeof text);
    CHECK_STR(text, "192.0.2.123");
    pa_ntp_refid_text(1, (const uint8_t *)"GPS\0", text, sizeof text);
    CHECK_STR(text, "GPS");
    pa_ntp_refid_text(0, (const uint8_t *)"R\x01T\xff", text, sizeof text);
    CHECK_STR(text, "R.T.");
    CHECK_STR(pa_ntp_kiss_meaning((const uint8_t *)"RATE"), "rate exceeded: the client polls too often");
    CHECK(!pa_ntp_kiss_meaning((const uint8_t *)"XXXX"));
    CHECK_STR(pa_ntp_mode_name(PA_NTP_SYM_PASSIVE), "symmetric passive");
    /* every truncation of the header is not NTP (Wireshark calls it malformed by its port) */
    for (size_t k = 0; k < m.n; k++) CHECK(pa_ntp_parse(m.b, k, &d) == PA_NTP_NOT);
    /* extension fields and a MAC after the header are read past */
    memcpy(m.b + m.n,
           "\0\0\0\x01"
           "0123456789abcdef",
           20); /* key id 1 and an MD5 digest */
    m.n += 20;
    CHECK(pa_ntp_parse(m.b, m.n, &d) == PA_NTP_OK && d.len == 68);
    /* versions 0 and 5-7, mode 0: not NTP */
    uint8_t firsts[] = {0x03, 0x2b, 0x33, 0x3b, 0x20, 0x18};
    for (size_t i = 0; i < sizeof firsts; i++) {
        m.b[0] = firsts[i];
        CHECK(pa_ntp_parse(m.b, m.n, &d) == PA_NTP_NOT);
    }
    /* timestamps: 0 stays 0; seconds below 1968's are the next era (2036-2106); the fraction is truncated */
    CHECK(pa_ntp_unix_ns(0) == 0);
    CHECK(pa_ntp_unix_ns((uint64_t)1 << 32 | 0xffffffffu) == 2085978497ll * SEC + 999999999);
    CHECK(pa_ntp_unix_ns(0x7fffffffull << 32 | 0x80000000u) == 4233462143ll * SEC + 500000000);
    CHECK(pa_ntp_unix_ns(5) == 1); /* 5 / 2^32 s */
    CHECK(fabs(pa_ntp_unix_s(ts(U)) - ((double)T0 + 0.015625)) < 1e-6);

    /* control: 12 bytes of header, then count bytes; a count past the end is malformed, the header read */
    ctrl_msg(&m, 0xa2, 7, 0x0615, 0, 12, "version=\"4\",", 12);
    CHECK(pa_ntp_parse(m.b, m.n, &d) == PA_NTP_OK && d.mode == PA_NTP_CONTROL && d.flags2 == 0xa2);
    CHECK(d.sequence == 7 && d.status == 0x0615 && d.count == 12 && pa_ntp_is_response(&d));
    for (size_t k = 0; k < m.n; k++) {
        pa_ntp_status s = pa_ntp_parse(m.b, k, &d);
        CHECK(k < 12 ? s == PA_NTP_NOT : s == PA_NTP_MALFORMED && d.sequence == 7 && d.count == 12);
    }
    /* read status of association 0: the data lists association ids and status words, as many as are whole */
    ctrl_msg(&m, 0x81, 3, 0x0618, 0, 10, "\xbe\xbd\x96\x1a\xbe\xbc\x80\x11\x01\x02", 10);
    CHECK(pa_ntp_parse(m.b, m.n, &d) == PA_NTP_OK && d.npeers == 2);
    CHECK(d.peer_associd[0] == 0xbebd && d.peer_status[0] == 0x961a && d.peer_associd[1] == 0xbebc &&
          d.peer_status[1] == 0x8011);
    m.b[1] = 0x82; /* read variables: the data is text */
    CHECK(pa_ntp_parse(m.b, m.n, &d) == PA_NTP_OK && d.npeers == 0);
    /* private: 4 bytes; implementation 3 adds error, item count and size, and the items */
    priv_msg(&m, true, 42, 2, 72, 144);
    CHECK(pa_ntp_parse(m.b, m.n, &d) == PA_NTP_OK && d.mode == PA_NTP_PRIVATE && d.impl == 3 && d.reqcode == 42);
    CHECK(d.has_err && d.has_itemsize && d.numitems == 2 && d.itemsize == 72 && !d.err && pa_ntp_is_response(&d));
    for (size_t k = 0; k < m.n; k++) {
        pa_ntp_status s = pa_ntp_parse(m.b, k, &d);
        if (k < 4)
            CHECK(s == PA_NTP_NOT);
        else
            CHECK(s == PA_NTP_MALFORMED && d.reqcode == 42 && d.has_err == (k >= 6) && d.has_itemsize == (k >= 8));
    }
    m.b[2] = 2; /* another implementation: only the 4 bytes */
    CHECK(pa_ntp_parse(m.b, 4, &d) == PA_NTP_OK && !d.has_err);
    /* garbage on the NTP port: a byte that looks like a version 3 client, then noise */
    memset(m.b, 0x1b, 48);
    CHECK(pa_ntp_parse(m.b, 20, &d) == PA_NTP_NOT);
}

/* ---- the tracker -------------------------------------------------------- */

static const uint8_t CLIENT[4] = {10, 1, 0, 10}, SERVER[4] = {10, 1, 0, 1};

static pa_packet pkt(bool to_server, uint64_t frame, int64_t t) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = PA_P_UDP;
    p.src.family = p.dst.family = 4;
    memcpy(p.src.b, to_server ? CLIENT : SERVER, 4);
    memcpy(p.dst.b, to_server ? SERVER : CLIENT, 4);
    p.sport = to_server ? 40001 : 123;
    p.dport = to_server ? 123 : 40001;
    p.frame_no = frame;
    p.ts_ns = T0 * SEC + t;
    return p;
}

static const pa_ntp_exchange *feed(pa_ntp_stats *st, const msg *m, bool to_server, uint64_t frame, int64_t t,
                                   pa_ntp_resp_link *link) {
    pa_ntp_msg d;
    CHECK(pa_ntp_parse(m->b, m->n, &d) != PA_NTP_NOT);
    pa_packet p = pkt(to_server, frame, t);
    return pa_ntp_message(st, &p, 0, &d, link);
}

static void test_track(void) {
    pa_ntp_stats st;
    memset(&st, 0, sizeof st);
    CHECK(pa_ntp_stats_init(&st) == 0);
    msg m;
    pa_ntp_resp_link l;
    /* the server 1 U ahead, 2 U each way: offset +1 U, delay 4 U */
    request(&m, 0);
    CHECK(!feed(&st, &m, true, 1, 0, &l) && !l.request_frame);
    reply(&m, 2, "\xc0\x00\x02\x7b", 0, 3 * U, 3 * U);
    const pa_ntp_exchange *x = feed(&st, &m, false, 2, 4 * U, &l);
    CHECK(x && x->req_frame == 1 && x->resp_frame == 2 && x->rt_ns == 4 * U && x->clock);
    CHECK(x->offset_ns == U && x->delay_ns == 4 * U && x->stratum == 2);
    CHECK(l.request_frame == 1 && l.delta_ns == 4 * U);
    /* the same reply again: a repeated reply, and Wireshark links only the first */
    x = feed(&st, &m, false, 3, 5 * U, &l);
    CHECK(x && x->replies == 2 && x->resp_frame == 2 && !l.request_frame && st.duplicate_replies == 1);
    /* two requests, then their replies in order: each matches its own by
     * the origin timestamp; Wireshark links the first reply to the latest
     * request and the second to none */
    request(&m, 64 * SEC);
    feed(&st, &m, true, 4, 64 * SEC, &l);
    request(&m, 64 * SEC + U);
    feed(&st, &m, true, 5, 64 * SEC + U, &l);
    reply(&m, 2, "\xc0\x00\x02\x7b", 64 * SEC, 64 * SEC + 2 * U, 64 * SEC + 2 * U);
    x = feed(&st, &m, false, 6, 64 * SEC + 3 * U, &l);
    CHECK(x && x->req_frame == 4 && x->rt_ns == 3 * U && x->offset_ns == U / 2 && x->delay_ns == 3 * U);
    CHECK(l.request_frame == 5 && l.delta_ns == 2 * U);
    reply(&m, 2, "\xc0\x00\x02\x7b", 64 * SEC + U, 64 * SEC + 2 * U, 64 * SEC + 2 * U);
    x = feed(&st, &m, false, 7, 64 * SEC + 4 * U, &l);
    CHECK(x && x->req_frame == 5 && x->rt_ns == 3 * U && x->offset_ns == -U / 2 && !l.request_frame);
    /* a repeated request (same transmit timestamp), then a kiss-o'-death */
    request(&m, 128 * SEC);
    feed(&st, &m, true, 8, 128 * SEC, &l);
    feed(&st, &m, true, 9, 128 * SEC + U, &l);
    CHECK(st.duplicate_requests == 1);
    std_msg(&m, &(hdr){3, 4, PA_NTP_SERVER, 0, "RATE", 0, ts(128 * SEC), ts(128 * SEC + U), ts(128 * SEC + U)});
    x = feed(&st, &m, false, 10, 128 * SEC + 2 * U, &l);
    CHECK(x && x->req_frame == 8 && x->rt_ns == 2 * U && !x->clock && l.request_frame == 9);
    CHECK(st.kiss_of_death == 1 && st.nkiss == 1 && !memcmp(st.kiss[0].code, "RATE", 4) && st.unsynchronized == 1);
    /* a reply to no request seen; a reply on the request's own direction is no answer */
    reply(&m, 2, "\xc0\x00\x02\x7b", 5 * SEC, 5 * SEC, 5 * SEC);
    CHECK(!feed(&st, &m, false, 11, 200 * SEC, &l) && st.orphan_replies == 1);
    request(&m, 300 * SEC);
    feed(&st, &m, true, 12, 300 * SEC, &l);
    reply(&m, 2, "\xc0\x00\x02\x7b", 300 * SEC, 300 * SEC, 300 * SEC);
    CHECK(!feed(&st, &m, true, 13, 300 * SEC + U, &l) && st.orphan_replies == 2);
    /* control: every response of a sequence links to its request; private by implementation */
    ctrl_msg(&m, 0x02, 7, 0, 0, 0, "", 0);
    feed(&st, &m, true, 14, 400 * SEC, &l);
    ctrl_msg(&m, 0xa2, 7, 0, 0, 0, "", 0);
    feed(&st, &m, false, 15, 400 * SEC + U, &l);
    CHECK(l.request_frame == 14 && l.delta_ns == U);
    ctrl_msg(&m, 0x82, 7, 0, 0, 0, "", 0);
    feed(&st, &m, false, 16, 400 * SEC + 2 * U, &l);
    CHECK(l.request_frame == 14 && l.delta_ns == 2 * U);
    ctrl_msg(&m, 0xc2, 8, 0x0400, 0, 0, "", 0);
    feed(&st, &m, false, 17, 400 * SEC + 3 * U, &l);
    CHECK(!l.request_frame && st.control_requests == 1 && st.control_responses == 3 && st.control_errors == 1);
    priv_msg(&m, false, 42, 0, 0, 40);
    feed(&st, &m, true, 18, 500 * SEC, &l);
    priv_msg(&m, true, 42, 1, 72, 72);
    feed(&st, &m, false, 19, 500 * SEC + U, &l);
    CHECK(l.request_frame == 18 && st.monlist_responses == 1 && st.private_requests == 1);
    m.b[2] = 2; /* another implementation's response: no request of its kind */
    feed(&st, &m, false, 20, 500 * SEC + 2 * U, &l);
    CHECK(!l.request_frame && st.private_responses == 2 && st.monlist_responses == 1);
    /* the end: the request of frame 12 was never answered */
    pa_ntp_finish(&st);
    pa_ntp_finish(&st); /* twice counts once */
    CHECK(st.unanswered == 1 && st.exchanges.count == 5 && st.clock_samples == 3);
    CHECK(st.servers.count == 2); /* the client's address sent a mode 4 message too (frame 13) */
    const pa_ntp_server *s = pa_htab_rec(&st.servers, 0);
    CHECK(s->requests == 6 && s->replies == 6 && s->unanswered == 1 && s->kiss_of_death == 1);
    /* stratum and reference of its last reply that was not a kiss-o'-death */
    CHECK(s->stratum == 2 && !memcmp(s->refid, "\xc0\x00\x02\x7b", 4) && s->clock_samples == 3);
    CHECK(s->offset_min == -U / 2 && s->offset_max == U && s->delay_min == 3 * U && s->delay_max == 4 * U);
    CHECK(st.messages == 20 && st.by_mode[PA_NTP_CLIENT] == 6 && st.by_mode[PA_NTP_SERVER] == 7);
    pa_ntp_stats_free(&st);

    /* caps: servers beyond PA_NTP_MAX_SERVERS are counted, not listed */
    memset(&st, 0, sizeof st);
    CHECK(pa_ntp_stats_init(&st) == 0);
    request(&m, 0);
    for (uint32_t i = 0; i < PA_NTP_MAX_SERVERS + 10; i++) {
        pa_packet p = pkt(true, i + 1, 0);
        p.dst.b[2] = (uint8_t)(i >> 8);
        p.dst.b[3] = (uint8_t)i;
        pa_ntp_msg d;
        CHECK(pa_ntp_parse(m.b, m.n, &d) == PA_NTP_OK);
        pa_ntp_message(&st, &p, (int64_t)i, &d, &l);
    }
    CHECK(st.servers.count == PA_NTP_MAX_SERVERS && st.servers_dropped == 10);
    CHECK(st.exchanges.count == PA_NTP_MAX_SERVERS + 10);
    pa_ntp_stats_free(&st);
}

/* ---- a generated capture ------------------------------------------------ */

static int write_udp(pg_writer *w, int64_t t, const pg_udp_ep *s, const pg_udp_ep *d, const msg *m) {
    return pg_write_udp(w, pg_ts_add((pg_ts){(uint64_t)T0, 0}, (uint64_t)t), s, d, m->b, m->n);
}

#define V4(a, b, c, d, port)                                                                                           \
    { 4, {a, b, c, d}, port }

static const pg_udp_ep S1 = V4(10, 1, 0, 1, 123), C1 = V4(10, 1, 0, 10, 40001), S2 = V4(10, 1, 0, 2, 123),
                       C2 = V4(10, 1, 0, 11, 123), S3 = V4(10, 1, 0, 3, 123), C3 = V4(10, 1, 0, 12, 40003),
                       S4 = V4(10, 1, 0, 4, 123), C4 = V4(10, 1, 0, 13, 40004), P1 = V4(10, 1, 0, 20, 123),
                       P2 = V4(10, 1, 0, 21, 123), BC = V4(10, 1, 0, 255, 123), C8 = V4(10, 1, 0, 30, 40008),
                       C9 = V4(10, 1, 0, 31, 40009);
static const pg_udp_ep S6 = {6, {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, 123},
                       C6 = {6, {0x20, 0x01, 0x0d, 0xb8, [15] = 0x10}, 40005};

/* 37 frames (numbers below); the client clocks are the capture's but S2's. */
static bool write_capture(const char *path) {
    pg_writer *w;
    if (pg_open(&w, path, NULL)) return false;
    msg m;
    int e = 0;
    /* S1 (stratum 2): 1 U ahead, 2 U each way, then 3 U there and 2 U back
     * with 1 U inside; the third request unanswered. Frames 1-5. */
    request(&m, 0);
    e |= write_udp(w, 0, &C1, &S1, &m);
    reply(&m, 2, "\xc0\x00\x02\x7b", 0, 3 * U, 3 * U);
    e |= write_udp(w, 4 * U, &S1, &C1, &m);
    request(&m, 64 * SEC);
    e |= write_udp(w, 64 * SEC, &C1, &S1, &m);
    reply(&m, 2, "\xc0\x00\x02\x7b", 64 * SEC, 64 * SEC + 4 * U, 64 * SEC + 5 * U);
    e |= write_udp(w, 64 * SEC + 7 * U, &S1, &C1, &m);
    request(&m, 128 * SEC);
    e |= write_udp(w, 128 * SEC, &C1, &S1, &m);
    /* S2 (stratum 1, GPS, version 3, port 123 both sides): 1 U behind the
     * capture's clock, a client 2 s behind it (captured away from the client),
     * a leap second announced, its reply sent twice. Frames 6-8. */
    std_msg(&m, &(hdr){0, 3, PA_NTP_CLIENT, 0, NULL, 0, 0, 0, ts(-SEC)});
    e |= write_udp(w, SEC, &C2, &S2, &m);
    std_msg(&m, &(hdr){1, 3, PA_NTP_SERVER, 1, "GPS\0", ts(SEC - 16 * U), ts(-SEC), ts(SEC + U), ts(SEC + U)});
    e |= write_udp(w, SEC + 4 * U, &S2, &C2, &m);
    e |= write_udp(w, SEC + 5 * U, &S2, &C2, &m);
    /* S3: a good reply, then kiss-o'-death RATE and DENY. Frames 9-14. */
    request(&m, 2 * SEC);
    e |= write_udp(w, 2 * SEC, &C3, &S3, &m);
    reply(&m, 2, "\x0a\x01\x00\x01", 2 * SEC, 2 * SEC + U, 2 * SEC + U);
    e |= write_udp(w, 2 * SEC + 2 * U, &S3, &C3, &m);
    for (int k = 0; k < 2; k++) {
        int64_t t = (3 + k) * SEC;
        request(&m, t);
        e |= write_udp(w, t, &C3, &S3, &m);
        std_msg(&m, &(hdr){3, 4, PA_NTP_SERVER, 0, k ? "DENY" : "RATE", 0, ts(t), ts(t + U), ts(t + U)});
        e |= write_udp(w, t + 2 * U, &S3, &C3, &m);
    }
    /* S4: two requests then their replies (Wireshark links the first reply
     * to the second request), a request sent twice, a reply to no request
     * seen. Frames 15-22. */
    request(&m, 5 * SEC);
    e |= write_udp(w, 5 * SEC, &C4, &S4, &m);
    request(&m, 5 * SEC + U);
    e |= write_udp(w, 5 * SEC + U, &C4, &S4, &m);
    reply(&m, 2, "\x0a\x01\x00\x01", 5 * SEC, 5 * SEC + U, 5 * SEC + U);
    e |= write_udp(w, 5 * SEC + 3 * U, &S4, &C4, &m);
    reply(&m, 2, "\x0a\x01\x00\x01", 5 * SEC + U, 5 * SEC + 2 * U, 5 * SEC + 2 * U);
    e |= write_udp(w, 5 * SEC + 4 * U, &S4, &C4, &m);
    request(&m, 6 * SEC);
    e |= write_udp(w, 6 * SEC, &C4, &S4, &m);
    e |= write_udp(w, 6 * SEC + U, &C4, &S4, &m);
    reply(&m, 2, "\x0a\x01\x00\x01", 6 * SEC, 6 * SEC + U, 6 * SEC + U);
    e |= write_udp(w, 6 * SEC + 2 * U, &S4, &C4, &m);
    reply(&m, 2, "\x0a\x01\x00\x01", SEC, 7 * SEC, 7 * SEC);
    e |= write_udp(w, 7 * SEC, &S4, &C4, &m);
    /* IPv6, stratum 3. Frames 23-24. */
    request(&m, 8 * SEC);
    e |= write_udp(w, 8 * SEC, &C6, &S6, &m);
    reply(&m, 3, "\x4a\x7b\x01\x9f", 8 * SEC, 8 * SEC + U, 8 * SEC + U);
    e |= write_udp(w, 8 * SEC + 2 * U, &S6, &C6, &m);
    /* symmetric active and passive, then a broadcast whose reference
     * timestamp is of the next era (2036). Frames 25-27. */
    std_msg(&m, &(hdr){0, 4, PA_NTP_SYM_ACTIVE, 2, "\x0a\x01\x00\x01", ts(0), 0, 0, ts(9 * SEC)});
    e |= write_udp(w, 9 * SEC, &P1, &P2, &m);
    std_msg(&m, &(hdr){0, 4, PA_NTP_SYM_PASSIVE, 3, "\x0a\x01\x00\x14", ts(0), ts(9 * SEC), ts(9 * SEC + U),
                       ts(9 * SEC + U)});
    e |= write_udp(w, 9 * SEC + U, &P2, &P1, &m);
    std_msg(&m,
            &(hdr){0, 4, PA_NTP_BROADCAST, 2, "\xc0\x00\x02\x7b", (uint64_t)1 << 32 | 0x80000000u, 0, 0, ts(10 * SEC)});
    e |= write_udp(w, 10 * SEC, &S1, &BC, &m);
    /* control (ntpq): read variables in two fragments, an error, a count
     * past the end. Frames 28-34. */
    ctrl_msg(&m, 0x02, 7, 0, 0, 0, "", 0);
    e |= write_udp(w, 11 * SEC, &C8, &S1, &m);
    ctrl_msg(&m, 0xa2, 7, 0x0615, 0, 12, "version=\"4\",", 12);
    e |= write_udp(w, 11 * SEC + U, &S1, &C8, &m);
    ctrl_msg(&m, 0x82, 7, 0x0615, 12, 8, "leap=0\r\n", 8);
    e |= write_udp(w, 11 * SEC + 2 * U, &S1, &C8, &m);
    ctrl_msg(&m, 0x01, 8, 0, 0, 0, "", 0);
    e |= write_udp(w, 12 * SEC, &C8, &S1, &m);
    ctrl_msg(&m, 0xc1, 8, 0x0400, 0, 0, "", 0);
    e |= write_udp(w, 12 * SEC + U, &S1, &C8, &m);
    ctrl_msg(&m, 0x02, 9, 0, 0, 0, "", 0);
    e |= write_udp(w, 13 * SEC, &C8, &S1, &m);
    ctrl_msg(&m, 0x82, 9, 0x0615, 0, 100, "abcd", 4);
    e |= write_udp(w, 13 * SEC + U, &S1, &C8, &m);
    /* private (ntpdc): a monlist request, its answer of two items, one
     * whose items run past the end. Frames 35-37. */
    priv_msg(&m, false, 42, 0, 0, 40);
    e |= write_udp(w, 14 * SEC, &C9, &S1, &m);
    priv_msg(&m, true, 42, 2, 72, 144);
    e |= write_udp(w, 14 * SEC + U, &S1, &C9, &m);
    priv_msg(&m, true, 42, 3, 72, 72);
    e |= write_udp(w, 14 * SEC + 2 * U, &S1, &C9, &m);
    return !e && !pg_close(w);
}

static pa_registry reg;
static pa_config cfg;
static pa_tools_state *state;

static json_t *call(const char *args_json, pa_tool_result *res) {
    return kit_call(&reg, &cfg, state, "analyze_application_response_times", args_json, res);
}

static json_int_t geti(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }
static double getd(const json_t *o, const char *k) { return json_real_value(json_object_get(o, k)); }
static bool near(double a, double b) { return fabs(a - b) < 1e-6; }

/* the per-server row of address a */
static json_t *server_row(json_t *sec, const char *a) {
    json_t *rows = json_object_get(sec, "per_server");
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        if (!strcmp(json_string_value(json_object_get(r, "server")), a)) return r;
    }
    return NULL;
}

static void test_tool(const char *dir) {
    state = kit_tools(&reg, &cfg, dir);
    CHECK(state != NULL);
    pa_tool_result r;
    json_t *s = call("{\"pcap_file\":\"ntp.pcap\",\"protocol\":\"ntp\"}", &r);
    json_t *sec = json_array_get(json_object_get(s, "sections"), 0);
    CHECK_STR(json_string_value(json_object_get(sec, "name")), "ntp");
    json_t *overall = json_object_get(sec, "overall");
    /* ten requests answered (frames 1, 3, 6, 9, 11, 13, 15, 16, 19, 23); the slowest 7 U */
    CHECK(geti(overall, "samples") == 10 && near(getd(overall, "max_ms"), 7 * 15.625) &&
          near(getd(overall, "min_ms"), 2 * 15.625));
    CHECK(geti(sec, "unanswered") == 1 && geti(sec, "orphan_replies") == 1 && geti(sec, "servers") == 5);
    json_t *msgs = json_object_get(sec, "messages"), *ex = json_object_get(sec, "exchanges");
    CHECK(geti(msgs, "total") == 37 && geti(msgs, "client") == 12 && geti(msgs, "server") == 12);
    CHECK(geti(msgs, "symmetric_active") == 1 && geti(msgs, "symmetric_passive") == 1 && geti(msgs, "broadcast") == 1);
    CHECK(geti(msgs, "control_requests") == 3 && geti(msgs, "control_responses") == 4 &&
          geti(msgs, "control_errors") == 1);
    CHECK(geti(msgs, "private_requests") == 1 && geti(msgs, "private_responses") == 2 &&
          geti(msgs, "monlist_responses") == 2 && geti(msgs, "malformed") == 2);
    CHECK(geti(msgs, "kiss_of_death") == 2 && geti(msgs, "unsynchronized") == 2);
    CHECK(geti(ex, "requests") == 11 && geti(ex, "answered") == 10 && geti(ex, "repeated_requests") == 1 &&
          geti(ex, "repeated_replies") == 1 && geti(ex, "with_offset_and_delay") == 8);
    json_t *kiss = json_object_get(sec, "kiss_codes");
    CHECK(geti(kiss, "RATE") == 1 && geti(kiss, "DENY") == 1 && json_object_size(kiss) == 2);
    /* per server: S1 +1 U ahead, delays 4 U and 6 U; S2 1 U behind; S4 its three exchanges */
    json_t *r1 = server_row(sec, "10.1.0.1"), *r2 = server_row(sec, "10.1.0.2"), *r3 = server_row(sec, "10.1.0.3"),
           *r4 = server_row(sec, "10.1.0.4"), *r6 = server_row(sec, "2001:db8::1");
    CHECK(r1 && r2 && r3 && r4 && r6);
    if (r1 && r2 && r3 && r4 && r6) {
        CHECK(geti(r1, "stratum") == 2 && geti(r1, "requests") == 3 && geti(r1, "replies") == 2 &&
              geti(r1, "unanswered") == 1 && geti(r1, "samples") == 2);
        CHECK_STR(json_string_value(json_object_get(r1, "refid")), "192.0.2.123");
        CHECK(near(getd(r1, "offset_min_ms"), 15.625) && near(getd(r1, "offset_median_ms"), 15.625) &&
              near(getd(r1, "offset_max_ms"), 15.625));
        CHECK(near(getd(r1, "delay_min_ms"), 62.5) && near(getd(r1, "delay_median_ms"), 62.5) &&
              near(getd(r1, "delay_max_ms"), 93.75));
        /* the capture's T4 is 2 s ahead of the client's clock: half of it in the offset, all of it in the delay */
        CHECK(geti(r2, "stratum") == 1 && geti(r2, "replies") == 2 && near(getd(r2, "offset_median_ms"), 984.375) &&
              near(getd(r2, "delay_median_ms"), 2062.5) && near(getd(r2, "client_clock_median_ms"), -2000));
        CHECK(near(getd(r1, "client_clock_median_ms"), 0));
        CHECK_STR(json_string_value(json_object_get(r2, "refid")), "GPS");
        /* S3: stratum and reference of its good reply, two kiss-o'-death codes; only that reply has a clock */
        CHECK(geti(r3, "stratum") == 2 && geti(r3, "kiss_of_death") == 2 && geti(r3, "clock_samples") == 1);
        CHECK(geti(json_object_get(r3, "kiss_codes"), "RATE") == 1 && near(getd(r3, "delay_max_ms"), 31.25));
        CHECK(geti(r4, "requests") == 4 && geti(r4, "replies") == 4 && geti(r4, "samples") == 3);
        CHECK(near(getd(r4, "offset_min_ms"), -7.8125) && near(getd(r4, "offset_median_ms"), -7.8125) &&
              near(getd(r4, "offset_max_ms"), 0) && near(getd(r4, "delay_median_ms"), 46.875));
        CHECK(geti(r6, "stratum") == 3 && near(getd(r6, "delay_max_ms"), 31.25));
        CHECK_STR(json_string_value(json_object_get(r6, "refid")), "74.123.1.159");
    }
    /* the slowest: the second exchange with S1 */
    json_t *slow = json_array_get(json_object_get(sec, "slowest"), 0);
    CHECK(geti(slow, "frame") == 3 && geti(slow, "response_frame") == 4 && near(getd(slow, "time_ms"), 109.375));
    CHECK(near(getd(slow, "offset_ms"), 15.625) && near(getd(slow, "delay_ms"), 93.75));
    /* the text carries the same rows */
    CHECK_CONTAINS(r.text.data, "server 10.1.0.1 port 123: 2, median 62.500 ms, p90 109.375 ms, max 109.375 ms; "
                                "stratum 2, refid 192.0.2.123; 3 requests, 2 replies, 1 unanswered; offset "
                                "min/median/max 15.625/15.625/15.625 ms, delay 62.500/62.500/93.750 ms");
    CHECK_CONTAINS(r.text.data, "kiss-o'-death RATE x1; kiss-o'-death DENY x1");
    CHECK_CONTAINS(r.text.data, "slow: frame 3 109.375 ms 192.0.2.123, offset 15.625 ms, delay 93.750 ms, udp "
                                "stream 0 10.1.0.10:40001 -> 10.1.0.1:123 (response frame 4)");
    CHECK(rows_in_text(s, r.text.data, "result"));
    size_t lines = 0;
    for (const char *p = strstr(r.text.data, "  server "); p; p = strstr(p + 1, "  server ")) lines++;
    CHECK(lines == 5);
    pa_tool_result_free(&r);
    /* a display filter keeps the frames it matches: two kiss-o'-death replies, no request */
    s = call("{\"pcap_file\":\"ntp.pcap\",\"protocol\":\"ntp\",\"display_filter\":\"ntp.flags.mode == 4 && "
             "ntp.stratum == 0\"}",
             &r);
    sec = json_array_get(json_object_get(s, "sections"), 0);
    CHECK(geti(json_object_get(sec, "messages"), "total") == 2 && geti(sec, "orphan_replies") == 2);
    CHECK(geti(json_object_get(sec, "kiss_codes"), "DENY") == 1 && geti(sec, "servers") == 1);
    pa_tool_result_free(&r);
    pa_tools_state_free(state);
    pa_registry_free(&reg);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "ntp_gen";
    test_parse();
    test_track();
    char path[1200];
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/ntp.pcap", dir);
    CHECK(write_capture(path));
    test_tool(dir);
    return check_done("ntp");
}
