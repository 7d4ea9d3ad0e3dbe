/* The capture reader against libpcap, frame by frame: classic pcap is parsed
 * from blocks (read ahead by a helper thread in files of 8 MiB or more), and
 * must give exactly libpcap's frames, times and bytes, across block ends,
 * with records as large as the snapshot length, and hand over to libpcap at
 * a damaged record with libpcap's own verdict. */
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture_reader.h"
#include "check.h"

static char path[64];
static uint64_t rng = 0x243F6A8885A308D3ull;

static uint32_t next_rand(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* Writes a little-endian microsecond pcap of about `bytes` bytes: record
 * sizes vary from 0 to the snapshot length, so records end at every offset
 * of a block. At record `bad` (0: none) caplen is `badlen`;
 * `cut` bytes are dropped from the end of the file. Returns the records. */
static uint32_t write_capture(size_t bytes, uint32_t snaplen, uint32_t bad, uint32_t badlen, size_t cut) {
    FILE *f = fopen(path, "wb");
    uint8_t h[24];
    put32(h, 0xa1b2c3d4u);
    h[4] = 2, h[5] = 0, h[6] = 4, h[7] = 0;
    memset(h + 8, 0, 8);
    put32(h + 16, snaplen);
    put32(h + 20, 1);
    fwrite(h, 1, 24, f);
    static uint8_t data[262144];
    size_t total = 24;
    uint32_t n = 0;
    while (total < bytes) {
        uint32_t r = next_rand(), caplen;
        switch (r % 8) {
        case 0: caplen = snaplen; break;
        case 1: caplen = 0; break;
        case 2: caplen = (r >> 8) % snaplen; break;
        default: caplen = 54 + (r >> 8) % 1460; break;
        }
        if (caplen > snaplen) caplen = snaplen;
        n++;
        uint8_t rh[16];
        put32(rh, 1700000000u + n / 1000);
        put32(rh + 4, (n * 997u) % 1000000u);
        put32(rh + 8, n == bad ? badlen : caplen);
        put32(rh + 12, caplen + (r & 1 ? 0 : 100));
        for (uint32_t i = 0; i < caplen; i++) data[i] = (uint8_t)(next_rand() >> 24);
        fwrite(rh, 1, 16, f);
        fwrite(data, 1, caplen, f);
        total += 16 + caplen;
    }
    fclose(f);
    if (cut && truncate(path, (off_t)(total - cut)) != 0) perror("truncate");
    return n;
}

typedef struct {
    uint64_t frames, mismatches;
    bool damaged;
} result;

/* Reads the file with the reader and with libpcap side by side, stopping
 * the reader after `stop` frames (0: never). */
static result compare(uint64_t stop) {
    result res = {0, 0, false};
    int fd = open(path, O_RDONLY);
    uint8_t head[16];
    if (pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head) {
        res.mismatches++;
        close(fd);
        return res;
    }
    pa_capfmt fmt = pa_capfmt_detect(head, sizeof head);
    pa_reader r;
    char err[256];
    if (pa_reader_open(&r, fd, &fmt, NULL, err, sizeof err) != PA_OK) {
        fprintf(stderr, "open: %s\n", err);
        res.mismatches++;
        return res;
    }
    char ebuf[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
    pa_frame f;
    for (;;) {
        struct pcap_pkthdr *h;
        const u_char *d;
        int prc = pcap_next_ex(pc, &h, &d);
        int rc = pa_reader_next(&r, &f, NULL);
        if (rc != (prc == 1)) {
            res.mismatches++;
            break;
        }
        if (rc != 1) {
            res.damaged = r.damaged;
            if (r.damaged != (prc == PCAP_ERROR)) res.mismatches++;
            if (r.damaged && strcmp(r.error, pcap_geterr(pc)) != 0) {
                fprintf(stderr, "error \"%s\", libpcap \"%s\"\n", r.error, pcap_geterr(pc));
                res.mismatches++;
            }
            break;
        }
        res.frames++;
        int64_t ts = (int64_t)h->ts.tv_sec * 1000000000ll + h->ts.tv_usec;
        uint32_t len = h->len < h->caplen ? h->caplen : h->len; /* the reader never says less than captured */
        if (f.ts_ns != ts || f.caplen != h->caplen || f.len != len || memcmp(f.data, d, f.caplen) != 0)
            res.mismatches++;
        if (stop && res.frames == stop) break;
    }
    pcap_close(pc);
    pa_reader_close(&r);
    return res;
}

int main(void) {
    snprintf(path, sizeof path, "/tmp/pa_test_reader_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) return 1;
    close(fd);

    /* read ahead (24 MiB), large records: every frame as libpcap gives it */
    uint32_t n = write_capture(24u << 20, 65535, 0, 0, 0);
    result r = compare(0);
    CHECK(r.frames == n);
    CHECK(r.mismatches == 0);
    CHECK(!r.damaged);

    /* the largest snapshot length libpcap accepts, small file (no thread) */
    n = write_capture(3u << 20, 262144, 0, 0, 0);
    r = compare(0);
    CHECK(r.frames == n);
    CHECK(r.mismatches == 0);

    /* in the 10th block, a record longer than libpcap allows for any link
     * type: the frames before it, then libpcap's error for it */
    rng = 0x9E3779B97F4A7C15ull;
    n = write_capture(24u << 20, 65535, 0, 0, 0);
    uint32_t bad = n * 10 / 24;
    rng = 0x9E3779B97F4A7C15ull; /* the same records again, one made bad */
    write_capture(24u << 20, 65535, bad, 300000, 0);
    r = compare(0);
    CHECK(r.mismatches == 0);
    CHECK(r.damaged);
    CHECK(r.frames > 0 && r.frames == bad - 1);

    /* longer than the snapshot length but within libpcap's limit: libpcap
     * salvages the record (and then reads the misaligned rest as it can);
     * the reader hands over to it there and agrees frame for frame */
    rng = 0x9E3779B97F4A7C15ull;
    write_capture(24u << 20, 65535, bad, 65536, 0);
    r = compare(0);
    CHECK(r.mismatches == 0);
    CHECK(r.frames >= bad);

    /* cut short inside the last record: the records before it, and
     * libpcap's "truncated" verdict */
    n = write_capture(12u << 20, 65535, 0, 0, 7);
    r = compare(0);
    CHECK(r.mismatches == 0);
    CHECK(r.damaged);
    CHECK(r.frames == n - 1);

    /* closed while the helper is reading ahead: no hang, nothing leaked
     * (the sanitizer build checks the latter) */
    write_capture(24u << 20, 1514, 0, 0, 0);
    r = compare(3);
    CHECK(r.frames == 3 && r.mismatches == 0);
    r = compare(4000);
    CHECK(r.frames == 4000 && r.mismatches == 0);

    unlink(path);
    return check_done("reader");
}
