/* Load generator for the live-capture tests and bench/capture_rate: COUNT UDP
 * datagrams from one connected socket, sent with sendmmsg, as fast as possible
 * or paced to RATE_PPS on an absolute CLOCK_MONOTONIC schedule (datagram i is
 * due at start + i / RATE), so a late wake-up is caught up and the average rate
 * holds.
 *
 * Usage: pa-udp-send DST_IPV4 PORT COUNT PAYLOAD_BYTES [RATE_PPS]
 *
 * Each payload begins with the datagram's 0-based sequence number, 4 bytes big
 * endian; the rest is zeros. A payload shorter than 4 bytes holds the first
 * PAYLOAD_BYTES bytes of that number (none for 0), so it is a prefix of what a
 * longer payload would carry.
 *
 * No datagram is lost from the count: the socket asks for local errors
 * (IP_RECVERR), so a datagram the stack or the device drops fails with ENOBUFS
 * instead of vanishing; ENOBUFS, EAGAIN and ECONNREFUSED (an ICMP port
 * unreachable answering an earlier datagram) are retried, and counted on
 * stderr. Prints "sent N in S.SSS s (R pps)" on stdout; exit 2 on bad
 * arguments, 1 on a send error. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PAYLOAD 1472u /* 1500-byte MTU less the IPv4 and UDP headers */
#define MAX_RATE 100000000ull
#define MAX_BATCH 64u

static const char usage[] =
    "usage: pa-udp-send DST_IPV4 PORT COUNT PAYLOAD_BYTES [RATE_PPS]\n"
    "  DST_IPV4       dotted IPv4 address, e.g. 127.0.0.1\n"
    "  PORT           1 to 65535\n"
    "  COUNT          datagrams to send, 1 to 4294967295\n"
    "  PAYLOAD_BYTES  UDP payload size, 0 to 1472 (the first 4 bytes carry the sequence number)\n"
    "  RATE_PPS       datagrams a second, 0 to 100000000; 0 or absent: as fast as possible\n";

static int bad_arg(const char *what, const char *val) {
    fprintf(stderr, "pa-udp-send: bad %s '%s'\n%s", what, val, usage);
    return 2;
}

/* Decimal digits only: strtoull alone would take a sign, spaces or hex. */
static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out) {
    if (!*s || strlen(s) > 20) return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9') return false;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno || v < lo || v > hi) return false;
    *out = v;
    return true;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sleep_until(uint64_t due) {
    struct timespec ts = {.tv_sec = (time_t)(due / 1000000000ull), .tv_nsec = (long)(due % 1000000000ull)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
}

static unsigned char bufs[MAX_BATCH][MAX_PAYLOAD];

int main(int argc, char **argv) {
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "pa-udp-send: expected 4 or 5 arguments, got %d\n%s", argc - 1, usage);
        return 2;
    }
    struct sockaddr_in dst = {.sin_family = AF_INET};
    uint64_t port, count, payload, rate = 0;
    if (inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) return bad_arg("DST_IPV4", argv[1]);
    if (!parse_u64(argv[2], 1, 65535, &port)) return bad_arg("PORT", argv[2]);
    if (!parse_u64(argv[3], 1, UINT32_MAX, &count)) return bad_arg("COUNT", argv[3]);
    if (!parse_u64(argv[4], 0, MAX_PAYLOAD, &payload)) return bad_arg("PAYLOAD_BYTES", argv[4]);
    if (argc == 6 && !parse_u64(argv[5], 0, MAX_RATE, &rate)) return bad_arg("RATE_PPS", argv[5]);
    dst.sin_port = htons((uint16_t)port);

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
        perror("pa-udp-send: socket");
        return 1;
    }
    int on = 1, sndbuf = 4 << 20;
    /* without IP_RECVERR the kernel reports a datagram dropped on the way out as sent */
    if (setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on) != 0) perror("pa-udp-send: IP_RECVERR");
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf); /* best effort */
    if (connect(fd, (struct sockaddr *)&dst, sizeof dst) != 0) {
        perror("pa-udp-send: connect");
        return 1;
    }
    /* the default 50 us timer slack would make every paced wake-up late */
    prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL);

    /* paced batches hold about half a millisecond of traffic, so the stream stays smooth */
    unsigned batch = MAX_BATCH;
    if (rate && rate / 2000 < MAX_BATCH) batch = rate / 2000 ? (unsigned)(rate / 2000) : 1;

    struct iovec iov[MAX_BATCH];
    struct mmsghdr msgs[MAX_BATCH];
    memset(msgs, 0, sizeof msgs);
    for (unsigned k = 0; k < MAX_BATCH; k++) {
        iov[k] = (struct iovec){.iov_base = bufs[k], .iov_len = (size_t)payload};
        msgs[k].msg_hdr.msg_iov = &iov[k];
        msgs[k].msg_hdr.msg_iovlen = 1;
    }

    uint64_t retries = 0, refused = 0, sent = 0;
    uint64_t t0 = now_ns();
    while (sent < count) {
        if (rate) {
            uint64_t due = t0 + sent * 1000000000ull / rate;
            if (now_ns() < due) sleep_until(due);
        }
        unsigned n = count - sent < batch ? (unsigned)(count - sent) : batch;
        for (unsigned k = 0; k < n; k++) {
            uint32_t seq = htonl((uint32_t)(sent + k));
            memcpy(bufs[k], &seq, payload < 4 ? (size_t)payload : sizeof seq);
        }
        unsigned done = 0;
        while (done < n) {
            int r = sendmmsg(fd, msgs + done, n - done, 0);
            if (r > 0) {
                done += (unsigned)r;
                continue;
            }
            if (r < 0 && (errno == ENOBUFS || errno == EAGAIN || errno == EWOULDBLOCK)) {
                retries++;
                /* let the queue drain rather than spin on a full one */
                struct timespec pause = {.tv_nsec = 20000};
                nanosleep(&pause, NULL);
                continue;
            }
            if (r < 0 && errno == ECONNREFUSED) {
                refused++;
                continue;
            }
            if (r < 0 && errno == EINTR) continue;
            fprintf(stderr, "pa-udp-send: sendmmsg after %" PRIu64 " datagrams: %s\n", sent + done,
                    r < 0 ? strerror(errno) : "sent nothing");
            return 1;
        }
        sent += n;
    }
    double secs = (double)(now_ns() - t0) / 1e9;
    close(fd);
    if (retries || refused)
        fprintf(stderr, "pa-udp-send: retried %" PRIu64 " times after ENOBUFS/EAGAIN, %" PRIu64 " after ECONNREFUSED\n",
                retries, refused);
    printf("sent %" PRIu64 " in %.3f s (%.0f pps)\n", sent, secs, secs > 0 ? (double)sent / secs : 0.0);
    return 0;
}
