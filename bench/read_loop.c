/* The floor for reading a capture: libpcap's own loop over every record,
 * touching each byte once (a sum, so the compiler cannot skip the reads).
 * Usage: read_loop FILE   (prints frames, bytes and the sum) */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: read_loop FILE\n");
        return 2;
    }
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, err);
    if (!p) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    struct pcap_pkthdr *h;
    const unsigned char *d;
    uint64_t frames = 0, bytes = 0, sum = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
        frames++;
        bytes += h->caplen;
        for (uint32_t i = 0; i < h->caplen; i++) sum += d[i];
    }
    pcap_close(p);
    printf("%llu frames, %llu bytes, sum %llu\n", (unsigned long long)frames, (unsigned long long)bytes,
           (unsigned long long)sum);
    return rc == -2 ? 0 : 1;
}
