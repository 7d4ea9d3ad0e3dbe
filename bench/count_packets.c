/* Counts the records of a capture (pcap or pcapng, through libpcap) the same
 * way for every capturer bench/capture_rate compares, and, given the COUNT
 * pa-udp-send sent, checks their sequence numbers (4 bytes big endian at the
 * start of the UDP payload, IPv4 over Ethernet).
 * Usage: count_packets FILE [COUNT]
 *        count_packets --version     (libpcap's version)
 * Prints: records=N unique=U duplicates=D out_of_order=O unparsed=X
 * (unique counts sequence numbers below COUNT seen at least once; without
 * COUNT only records is meaningful). */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("%s\n", pcap_lib_version());
        return 0;
    }
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: count_packets FILE [COUNT] | --version\n");
        return 2;
    }
    unsigned long long count = argc == 3 ? strtoull(argv[2], NULL, 10) : 0;
    unsigned char *seen = count ? calloc(count / 8 + 1, 1) : NULL;
    if (count && !seen) return 1;
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(argv[1], err);
    if (!p) {
        fprintf(stderr, "count_packets: %s\n", err);
        return 1;
    }
    int eth = pcap_datalink(p) == DLT_EN10MB;
    unsigned long long records = 0, unique = 0, dups = 0, reordered = 0, unparsed = 0;
    long long last = -1;
    struct pcap_pkthdr *h;
    const unsigned char *d;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
        records++;
        if (!count) continue;
        /* Ethernet, IPv4, UDP, then the sequence number; anything else is not ours */
        if (!eth || h->caplen < 14 + 20 + 8 + 4 || d[12] != 0x08 || d[13] != 0x00 || (d[14] >> 4) != 4 || d[23] != 17) {
            unparsed++;
            continue;
        }
        uint32_t ihl = (uint32_t)(d[14] & 0x0f) * 4;
        uint32_t off = 14 + ihl + 8;
        if (ihl < 20 || h->caplen < off + 4) {
            unparsed++;
            continue;
        }
        unsigned long long seq = (unsigned long long)d[off] << 24 | (unsigned long long)d[off + 1] << 16 |
                                 (unsigned long long)d[off + 2] << 8 | d[off + 3];
        if (seq >= count) {
            unparsed++;
            continue;
        }
        if (seen[seq / 8] & (1u << (seq % 8))) {
            dups++;
        } else {
            seen[seq / 8] |= (unsigned char)(1u << (seq % 8));
            unique++;
        }
        if ((long long)seq < last) reordered++;
        last = (long long)seq;
    }
    if (rc != -2) fprintf(stderr, "count_packets: %s: %s\n", argv[1], pcap_geterr(p));
    pcap_close(p);
    free(seen);
    printf("records=%llu unique=%llu duplicates=%llu out_of_order=%llu unparsed=%llu\n", records, unique, dups,
           reordered, unparsed);
    return rc == -2 ? 0 : 1;
}
