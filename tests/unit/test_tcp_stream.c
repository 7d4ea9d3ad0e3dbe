/* In-order delivery: retransmissions and overlaps once, early segments
 * held and released, holes reported as gaps, wraparound, the depth cap. */
#include "check.h"
#include "tcp_stream.h"

static char out[256];
static size_t outn;
static int gaps_seen;
static uint64_t last_frame;

static int ts_mismatch;

static void sink(void *ud, const uint8_t *data, size_t len, uint64_t frame, int64_t ts, bool gap) {
    (void)ud;
    if (ts != (int64_t)frame * 10) ts_mismatch++; /* each byte keeps its own segment's time */
    if (gap) {
        gaps_seen++;
        if (outn < sizeof out - 1) out[outn++] = '|';
    }
    for (size_t i = 0; i < len && outn < sizeof out - 1; i++) out[outn++] = (char)data[i];
    out[outn] = '\0';
    last_frame = frame;
}

static void reset(pa_stream_dir *d, uint64_t cap) {
    pa_stream_free(d);
    pa_stream_init(d, cap);
    outn = 0;
    out[0] = '\0';
    gaps_seen = 0;
}

#define SEG(d, seq, s, f)                                                                                              \
    pa_stream_segment(d, seq, false, (const uint8_t *)(s), sizeof(s) - 1, f, (int64_t)(f)*10, sink, NULL)

int main(void) {
    pa_stream_dir d;
    pa_stream_init(&d, 0);

    /* in order, after a SYN */
    pa_stream_segment(&d, 999, true, NULL, 0, 1, 10, sink, NULL);
    SEG(&d, 1000, "GET ", 2);
    SEG(&d, 1004, "/ HTTP", 3);
    CHECK_STR(out, "GET / HTTP");

    /* a retransmission and an overlap give their bytes once */
    SEG(&d, 1004, "/ HTTP", 4);
    SEG(&d, 1008, "TP/1.1", 5);
    CHECK_STR(out, "GET / HTTP/1.1");
    CHECK(d.duplicate_bytes == 6 + 2);

    /* reordering: the later segment is held, then released in order */
    reset(&d, 0);
    SEG(&d, 10, "abc", 1);
    SEG(&d, 16, "ghi", 3);
    CHECK_STR(out, "abc");
    SEG(&d, 13, "def", 2);
    CHECK_STR(out, "abcdefghi");
    CHECK(last_frame == 3 && gaps_seen == 0);

    /* a hole that never fills: flushed as a gap */
    reset(&d, 0);
    SEG(&d, 100, "one", 1);
    SEG(&d, 110, "two", 2);
    pa_stream_flush(&d, sink, NULL);
    CHECK_STR(out, "one|two");
    CHECK(d.gaps == 1 && d.gap_bytes == 7);

    /* more early segments than can be held: the hole is given up */
    reset(&d, 0);
    SEG(&d, 0, "x", 1);
    for (uint32_t i = 0; i < PA_STREAM_MAX_HELD + 1; i++)
        pa_stream_segment(&d, 10 + 2 * i, false, (const uint8_t *)"y", 1, 2 + i, (int64_t)(2 + i) * 10, sink, NULL);
    CHECK(gaps_seen >= 1 && d.nheld < PA_STREAM_MAX_HELD);

    /* sequence numbers wrap */
    reset(&d, 0);
    SEG(&d, 0xFFFFFFFEu, "ab", 1);
    SEG(&d, 0, "cd", 2);
    CHECK_STR(out, "abcd");

    /* the depth cap stops delivery */
    reset(&d, 5);
    CHECK(!SEG(&d, 1, "0123", 1));
    CHECK(SEG(&d, 5, "4567", 2)); /* this one reached the cap: reported once */
    CHECK(!SEG(&d, 9, "89", 3));
    CHECK_STR(out, "01234");
    CHECK(d.capped && d.delivered == 5);

    /* a whole window in reverse order: held sorted, delivered in order once the first arrives */
    reset(&d, 0);
    pa_stream_segment(&d, 1999, true, NULL, 0, 1, 10, sink, NULL);
    for (uint32_t i = 200; i >= 1; i--)
        pa_stream_segment(&d, 2000 + i, false, (const uint8_t *)"abcdefghijklmnopqrstuvwxyz" + (i % 26), 1, 2 + i,
                          (int64_t)(2 + i) * 10, sink, NULL);
    CHECK(d.nheld == 200 && outn == 0 && pa_stream_held_total() == 200);
    pa_stream_segment(&d, 2000, false, (const uint8_t *)"z", 1, 300, 3000, sink, NULL);
    CHECK(outn == 201 && d.nheld == 0 && d.gaps == 0 && out[1] == 'b' && out[200] == 's');
    CHECK(last_frame == 202 && pa_stream_held_total() == 0);

    pa_stream_free(&d);
    CHECK(pa_stream_held_total() == 0);
    CHECK(ts_mismatch == 0);
    return check_done("tcp_stream");
}
