/* The floor for reading a capture: every record, each byte touched once (a
 * sum, so the compiler cannot skip the reads), three ways:
 *   libpcap  pcap_next_ex, as the engine read before issue 9
 *   read     classic pcap parsed from 1 MiB read() blocks (the engine's reader)
 *   mmap     classic pcap parsed from a read-only mapping of the whole file
 * Usage: read_loop [libpcap|read|mmap] FILE   (prints frames, bytes and the sum) */
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t frames, bytes, sum;

static void touch(const unsigned char *d, uint32_t n) {
    frames++;
    bytes += n;
    for (uint32_t i = 0; i < n; i++) sum += d[i];
}

static int with_libpcap(const char *path) {
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
    if (!p) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    struct pcap_pkthdr *h;
    const unsigned char *d;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &d)) == 1) touch(d, h->caplen);
    pcap_close(p);
    return rc == -2 ? 0 : 1;
}

static uint32_t le32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* little-endian classic pcap only: this is a measurement, not a reader */
static int with_read(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 1;
    size_t cap = 1 << 20, have = 0, pos = 0;
    unsigned char *buf = malloc(cap + 262144 + 16);
    if (!buf || read(fd, buf, 24) != 24) return 1;
    for (;;) {
        if (have - pos < 16 || have - pos < 16 + le32(buf + pos + 8)) {
            memmove(buf, buf + pos, have - pos);
            have -= pos;
            pos = 0;
            ssize_t k = read(fd, buf + have, cap + 262144 + 16 - have);
            if (k <= 0) break;
            have += (size_t)k;
            continue;
        }
        uint32_t caplen = le32(buf + pos + 8);
        touch(buf + pos + 16, caplen);
        pos += 16 + caplen;
    }
    free(buf);
    close(fd);
    return 0;
}

static int with_mmap(const char *path) {
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) return 1;
    size_t n = (size_t)st.st_size;
    unsigned char *m = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) return 1;
    madvise(m, n, MADV_SEQUENTIAL);
    for (size_t pos = 24; pos + 16 <= n;) {
        uint32_t caplen = le32(m + pos + 8);
        if (pos + 16 + caplen > n) break;
        touch(m + pos + 16, caplen);
        pos += 16 + caplen;
    }
    munmap(m, n);
    close(fd);
    return 0;
}

int main(int argc, char **argv) {
    const char *mode = argc == 3 ? argv[1] : "libpcap", *path = argv[argc - 1];
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: read_loop [libpcap|read|mmap] FILE\n");
        return 2;
    }
    int rc = strcmp(mode, "read") == 0   ? with_read(path)
             : strcmp(mode, "mmap") == 0 ? with_mmap(path)
                                         : with_libpcap(path);
    printf("%llu frames, %llu bytes, sum %llu\n", (unsigned long long)frames, (unsigned long long)bytes,
           (unsigned long long)sum);
    return rc;
}
