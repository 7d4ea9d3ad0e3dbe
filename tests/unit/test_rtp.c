/* RTP and RTCP: the parsers on built and hostile packets, the stream figures
 * on a hand-computed stream, and every stream tshark 4.0 lists on the real
 * captures (heuristic mode on both sides) with the same printed figures. */
#include <math.h>

#include "rtp_analyzer.h"
#include "voip_compare.h"

static size_t rtp_pkt(uint8_t *b, uint8_t pt, bool marker, uint16_t seq, uint32_t ts, uint32_t ssrc, size_t payload) {
    b[0] = 0x80;
    b[1] = (uint8_t)((marker ? 0x80 : 0) | pt);
    b[2] = (uint8_t)(seq >> 8);
    b[3] = (uint8_t)seq;
    for (int i = 0; i < 4; i++) b[4 + i] = (uint8_t)(ts >> (24 - 8 * i));
    for (int i = 0; i < 4; i++) b[8 + i] = (uint8_t)(ssrc >> (24 - 8 * i));
    memset(b + 12, 0xd5, payload);
    return 12 + payload;
}

static void test_rtp_header(void) {
    uint8_t b[64];
    pa_rtp_hdr h;
    size_t n = rtp_pkt(b, 8, true, 7, 160, 0x11223344, 20);
    CHECK(pa_rtp_parse(b, n, &h));
    CHECK(h.version == 2 && h.pt == 8 && h.marker && h.seq == 7 && h.timestamp == 160 && h.ssrc == 0x11223344);
    CHECK(h.header_len == 12 && h.payload_len == 20);
    /* truncated: every shorter prefix of the fixed header is refused */
    for (size_t k = 0; k < 12; k++) CHECK(!pa_rtp_parse(b, k, &h));
    /* version 0 (STUN, T.38) and 1 are not RTP */
    b[0] = 0x00;
    CHECK(!pa_rtp_parse(b, n, &h));
    b[0] = 0x40;
    CHECK(!pa_rtp_parse(b, n, &h));
    /* 15 CSRCs claimed in a 32-byte packet: refused, no read beyond */
    b[0] = 0x8f;
    CHECK(!pa_rtp_parse(b, 32, &h));
    b[0] = 0x82; /* two CSRCs fit */
    CHECK(pa_rtp_parse(b, 32, &h) && h.csrc_count == 2 && h.header_len == 20 && h.payload_len == 12);
    /* an extension whose length runs past the end */
    b[0] = 0x90;
    b[12] = 0xbe, b[13] = 0xde, b[14] = 0xff, b[15] = 0xff;
    CHECK(!pa_rtp_parse(b, 32, &h));
    b[14] = 0, b[15] = 1; /* one word */
    CHECK(pa_rtp_parse(b, 32, &h) && h.ext_profile == 0xbede && h.header_len == 20);
    /* padding: counted from the last byte; 0 or too large is flagged */
    n = rtp_pkt(b, 0, false, 1, 0, 1, 8);
    b[0] = 0xa0;
    b[n - 1] = 4;
    CHECK(pa_rtp_parse(b, n, &h) && !h.padding_bad && h.payload_len == 4 && h.padding_count == 4);
    b[n - 1] = 0;
    CHECK(pa_rtp_parse(b, n, &h) && h.padding_bad);
    b[n - 1] = 200;
    CHECK(pa_rtp_parse(b, n, &h) && h.padding_bad && h.payload_len == 8);
    b[1] = 0x80 | 72; /* marked PT 72: RTCP SR multiplexed */
    CHECK(pa_rtp_parse(b, n, &h) && pa_rtp_is_rtcp_range(&h));
}

static void test_rtcp(void) {
    /* SR with one report block, then SDES with a CNAME, then BYE */
    uint8_t b[] = {0x81, 200,  0,    12,   0x11, 0x22, 0x33, 0x44, 0xe0, 0,    0,    1,    0,    0,    0,    2,
                   0,    0,    0,    160,  0,    0,    0,    5,    0,    0,    3,    0x20, 0x55, 0x66, 0x77, 0x88,
                   0x40, 0xff, 0xff, 0xfe, 0,    1,    0,    10,   0,    0,    0,    9,    0,    0,    1,    0,
                   0,    0,    2,    0,    0x81, 202,  0,    3,    0x11, 0x22, 0x33, 0x44, 1,    4,    'a',  'b',
                   'c',  'd',  0,    0,    0x81, 203,  0,    1,    0x11, 0x22, 0x33, 0x44};
    pa_rtcp_msg m;
    CHECK(pa_rtcp_parse(b, sizeof b, &m));
    CHECK(m.n == 3 && m.total == 3);
    CHECK(m.pkt[0].pt == 200 && m.pkt[0].ssrc == 0x11223344 && m.pkt[0].sender_packets == 5);
    CHECK(m.pkt[0].nblocks == 1 && m.pkt[0].block[0].ssrc == 0x55667788);
    CHECK(m.pkt[0].block[0].fraction_lost == 0x40 && m.pkt[0].block[0].cumulative_lost == -2);
    CHECK(m.pkt[0].block[0].highest_seq == 0x1000a && m.pkt[0].block[0].jitter == 9);
    CHECK(m.pkt[0].block[0].lsr == 0x100 && m.pkt[0].block[0].dlsr == 0x200);
    CHECK_STR(m.pkt[1].cname, "abcd");
    CHECK(m.pkt[2].pt == 203 && m.pkt[2].ssrc == 0x11223344);
    CHECK(m.pkt[1].nids == 1 && m.pkt[1].ids[0] == 0x11223344 && m.pkt[2].nids == 1);
    /* SRTCP: the first header, then bytes that do not parse (the encrypted
     * rest, an index, a tag): only the prefix reads */
    uint8_t s[40];
    memcpy(s, b, 8);
    s[0] = 0x80, s[1] = 201, s[3] = 1; /* an RR with no block */
    memset(s + 8, 0xee, sizeof s - 8);
    CHECK(!pa_rtcp_parse(s, sizeof s, &m));
    CHECK(pa_rtcp_parse_prefix(s, sizeof s, &m) && m.n == 1 && m.pkt[0].ssrc == 0x11223344);
    CHECK(!pa_rtcp_parse_prefix(s + 8, sizeof s - 8, &m));
    /* every truncation breaks the tiling of the compound packet */
    for (size_t k = 1; k < sizeof b; k++)
        if (k != 52 && k != 68) CHECK(!pa_rtcp_parse(b, k, &m));
    CHECK(pa_rtcp_parse(b, 52, &m) && m.n == 1); /* the SR alone */
    /* a report count larger than the packet */
    b[0] = 0x9f;
    CHECK(!pa_rtcp_parse(b, 52, &m));
    b[0] = 0x81;
    b[1] = 210; /* unknown type */
    CHECK(!pa_rtcp_parse(b, 52, &m));
}

static pa_packet udp(const uint8_t *d, size_t n, uint64_t frame, int64_t ts_ns);

/* Report blocks summed per (reporter, source) and the round trip of RFC
 * 3550 6.4.1's example: an SR whose NTP middle bits are 0xb7052ac0, echoed
 * 11.375 s later with a DLSR of 5.25 s (0x00054000): 6.125 s. */
static void test_rtcp_reports(void) {
    pa_rtcp_reports r;
    CHECK(pa_rtcp_reports_init(&r) == 0);
    pa_rtcp_msg sr = {.n = 1, .total = 1};
    sr.pkt[0] = (pa_rtcp_pkt){.pt = 200, .ssrc = 0xabcd, .ntp_msw = 0xb705, .ntp_lsw = 0x2ac00000};
    pa_rtcp_msg rr = {.n = 1, .total = 1};
    rr.pkt[0] = (pa_rtcp_pkt){.pt = 201, .ssrc = 0x1234, .nblocks = 1};
    rr.pkt[0].block[0] = (pa_rtcp_block){
        .ssrc = 0xabcd, .fraction_lost = 64, .cumulative_lost = 7, .jitter = 90, .lsr = 0xb7052ac0, .dlsr = 0x00054000};
    pa_packet p1 = udp(NULL, 0, 1, 1000000000LL), p2 = udp(NULL, 0, 2, 12375000000LL);
    pa_rtcp_frame_rtt rtt = {0};
    pa_rtcp_reports_note(&r, &sr, &p1, &rtt);
    CHECK(rtt.n == 0 && r.sender_reports == 1);
    pa_rtcp_reports_note(&r, &rr, &p2, &rtt);
    CHECK(rtt.n == 1 && rtt.ms[0] == 6125);
    CHECK(r.receiver_reports == 1 && r.blocks == 1 && r.pairs.count == 1);
    const pa_rtcp_pair *x = pa_htab_rec(&r.pairs, 0);
    CHECK(x->reporter == 0x1234 && x->source == 0xabcd && x->reports == 1 && x->fraction_max == 64);
    CHECK(x->cumulative_last == 7 && x->jitter_max == 90 && x->rtt_n == 1);
    CHECK(fabs(x->rtt_max_ms - 6125.0) < 1e-9 && x->first_frame == 2);
    /* an echo of an SR not seen, and one whose DLSR exceeds the gap */
    rr.pkt[0].block[0].lsr = 0x11111111;
    rr.pkt[0].block[0].fraction_lost = 10;
    pa_rtcp_reports_note(&r, &rr, &p2, NULL);
    rr.pkt[0].block[0].lsr = 0xb7052ac0;
    rr.pkt[0].block[0].dlsr = 0x000c0000; /* 12 s */
    pa_rtcp_reports_note(&r, &rr, &p2, NULL);
    x = pa_htab_rec(&r.pairs, 0);
    CHECK(x->reports == 3 && x->fraction_last == 10 && x->fraction_max == 64 && x->rtt_n == 1 && r.rtt_negative == 1);
    pa_rtcp_reports_free(&r);
}

static pa_packet udp(const uint8_t *d, size_t n, uint64_t frame, int64_t ts_ns) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = PA_P_UDP;
    p.src.family = p.dst.family = 4;
    p.src.b[0] = 10, p.src.b[3] = 1;
    p.dst.b[0] = 10, p.dst.b[3] = 2;
    p.sport = 4000;
    p.dport = 5000;
    p.payload = d;
    p.payload_len = (uint32_t)n;
    p.frame_no = frame;
    p.ts_ns = ts_ns;
    return p;
}

/* A PCMU stream announced by SDP: 20 ms packets, one arriving 5 ms late,
 * one lost, one duplicated; the figures computed by hand from the
 * definitions in rtp_stream.h. */
static void test_stream_figures(void) {
    pa_rtp_table t;
    memset(&t, 0, sizeof t);
    pa_rtp_endpoint e;
    memset(&e, 0, sizeof e);
    e.addr.family = 4;
    e.addr.b[0] = 10, e.addr.b[3] = 2;
    e.port = 5000;
    e.kind = PA_RTP_KIND_RTP;
    CHECK(pa_rtp_expect(&t, &e));
    uint8_t b[200];
    pa_rtp_hdr h;
    pa_rtcp_msg m;
    /* seq, timestamp, arrival ms */
    static const struct {
        uint16_t seq;
        uint32_t ts;
        int ms;
    } pk[] = {{100, 0, 0}, {101, 160, 20}, {102, 320, 45}, {104, 640, 80}, {104, 640, 81}, {105, 800, 100}};
    for (size_t i = 0; i < sizeof pk / sizeof pk[0]; i++) {
        size_t n = rtp_pkt(b, 0, false, pk[i].seq, pk[i].ts, 0xabcdef01, 160);
        pa_packet p = udp(b, n, i + 1, 1000000000ll + pk[i].ms * 1000000ll);
        CHECK(pa_rtp_datagram(&t, &p, &h, &m) == PA_RTP_IS_RTP);
    }
    CHECK(t.nstreams == 1);
    const pa_rtp_stream *s = &t.streams[0];
    CHECK(s->packets == 6);
    /* expected 105 - 100 + 1 = 6, received 6 (one lost, one duplicate) */
    CHECK(pa_rtp_lost(s) == 0);
    CHECK(s->seq_errors == 2); /* the jump to 104 and the duplicate */
    CHECK(s->problem);
    /* deltas 20, 25, 35, 1, 20; the duplicate arrives 1 ms after 80 with the
     * same timestamp: D = 1 */
    CHECK(fabs(s->max_delta - 35) < 1e-9 && fabs(s->min_delta - 1) < 1e-9);
    /* jitter: D = 0, 5, 5 (80 vs 45+40), 1, 1 (100 vs 81+20) */
    double j = 0, mean = 0, maxj = 0;
    double d[] = {0, 5, 5, 1, 1};
    for (int i = 0; i < 5; i++) {
        j = (15 * j + d[i]) / 16;
        mean = (mean * i + j) / (i + 1);
        if (j > maxj) maxj = j;
    }
    CHECK(fabs(s->jitter - j) < 1e-9 && fabs(s->mean_jitter - mean) < 1e-9 && fabs(s->max_jitter - maxj) < 1e-9);
    /* a telephone-event or unknown dynamic type has no clock: no jitter */
    bool tev;
    pa_rtp_endpoint named = e;
    named.npt = 2;
    named.pt[0] = (pa_rtp_ptname){101, 8000, "telephone-event"};
    named.pt[1] = (pa_rtp_ptname){96, 0, "opus"};
    CHECK(pa_rtp_clock_rate(101, &named, &tev) == 0 && tev);
    CHECK(pa_rtp_clock_rate(96, &named, &tev) == 48000 && !tev);
    CHECK(pa_rtp_clock_rate(97, &named, &tev) == 0);
    CHECK(pa_rtp_clock_rate(8, NULL, &tev) == 8000 && pa_rtp_clock_rate(26, NULL, &tev) == 90000);
    CHECK(pa_rtp_clock_rate(20, NULL, &tev) == 0);
    /* without the heuristic, datagrams to other endpoints are not RTP */
    size_t n = rtp_pkt(b, 0, false, 1, 0, 5, 20);
    pa_packet p = udp(b, n, 10, 2000000000ll);
    p.dport = 6000;
    CHECK(pa_rtp_datagram(&t, &p, &h, &m) == PA_RTP_NOT);
    t.heuristic = true;
    p.dport = 53; /* another protocol's port: refused */
    CHECK(pa_rtp_datagram(&t, &p, &h, &m) == PA_RTP_NOT);
    b[0] = 0x00; /* not version 2 */
    p.dport = 6000;
    CHECK(pa_rtp_datagram(&t, &p, &h, &m) == PA_RTP_NOT);
    b[0] = 0x80;
    CHECK(pa_rtp_datagram(&t, &p, &h, &m) == PA_RTP_IS_RTP && t.nstreams == 2);
    /* and the reverse direction finds the endpoint by its source */
    pa_packet q = udp(b, n, 11, 2000000000ll);
    q.src = p.dst, q.dst = p.src, q.sport = 6000, q.dport = 4001;
    CHECK(pa_rtp_datagram(&t, &q, &h, &m) == PA_RTP_IS_RTP && t.nstreams == 3);
    pa_rtp_table_free(&t);
}

typedef struct walk {
    pa_rtp_table t;
    bool first;
} walk;

static void on_frame(void *ud, const pa_packet *p) {
    walk *w = ud;
    if (!w->first) {
        pa_rtp_table_origin(&w->t, p->ts_ns);
        w->first = true;
    }
    pa_rtp_hdr h;
    pa_rtcp_msg m;
    pa_rtp_datagram(&w->t, p, &h, &m);
}

/* Heuristic mode on both sides: tshark with rtp.heuristic_rtp, ours with
 * the table's heuristic. */
static void test_corpus(int *skipped) {
    static const char *files[] = {"ndpi__rtp.pcapng", "ndpi__discord.pcap", "ndpi__stun_signal.pcapng"};
    const char *dir = voip_corpus_dir();
    char probe[1200];
    snprintf(probe, sizeof probe, "%s/MANIFEST.tsv", dir);
    if (access(probe, R_OK) != 0 || !voip_have_tshark()) {
        *skipped = 1;
        return;
    }
    int total = 0, matched = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        static voip_row rows[512];
        int n = voip_tshark_streams(dir, files[i], "rtp.heuristic_rtp:TRUE", rows, 512);
        CHECK(n > 0);
        walk w;
        memset(&w, 0, sizeof w);
        w.t.heuristic = true;
        CHECK(voip_walk(dir, files[i], on_frame, &w));
        int mismatch = 0;
        int m = voip_compare(&w.t, rows, n, &mismatch);
        printf("%s: %d of %d tshark streams match (%u ours)\n", files[i], m, n, w.t.nstreams);
        CHECK(mismatch == 0);
        total += n;
        matched += m;
        pa_rtp_table_free(&w.t);
    }
    printf("rtp streams: %d of %d match tshark\n", matched, total);
}

int main(void) {
    test_rtp_header();
    test_rtcp();
    test_rtcp_reports();
    test_stream_figures();
    int skipped = 0;
    test_corpus(&skipped);
    int rc = check_done("test_rtp");
    if (skipped && !rc) {
        printf("SKIP corpus comparison: no corpus or no tshark\n");
        return 77;
    }
    return rc;
}
