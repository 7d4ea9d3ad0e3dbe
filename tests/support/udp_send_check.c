/* Runs pa-udp-send against a receiver on 127.0.0.1 and checks what arrives:
 * exactly COUNT datagrams of PAYLOAD bytes, sequence numbers 0..COUNT-1 each
 * once, zeros after the number, the sender's summary line, and that pacing
 * held it back (2,000 datagrams at 20,000 pps cannot take less than 0.1 s).
 * Order is reported but not required: loopback may reorder when the sender
 * moves between CPUs.
 *
 * Usage: udp_send_check SENDER [COUNT PAYLOAD RATE]   (default 2000 100 20000) */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define BUFSZ 2048

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long num_arg(const char *s) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v == 0) {
        fprintf(stderr, "udp_send_check: '%s' is not a positive number\n", s);
        exit(2);
    }
    return v;
}

static unsigned char bufs[BATCH][BUFSZ];

int main(int argc, char **argv) {
    if (argc != 2 && argc != 5) {
        fprintf(stderr, "usage: udp_send_check SENDER [COUNT PAYLOAD RATE]\n");
        return 2;
    }
    unsigned long count = 2000, payload = 100, rate = 20000;
    if (argc == 5) {
        count = num_arg(argv[2]);
        payload = num_arg(argv[3]);
        rate = num_arg(argv[4]);
    }
    if (payload < 4 || payload > BUFSZ) {
        fprintf(stderr, "udp_send_check: PAYLOAD must be 4 to %d to carry the sequence number\n", BUFSZ);
        return 2;
    }

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof addr;
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &alen) != 0) {
        perror("udp_send_check: receiver socket");
        return 1;
    }
    /* a buffer for every datagram, so a slow receiver loses none: forced past
     * rmem_max when root, else as much as rmem_max allows */
    int rcvbuf = 64 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);

    char port[8], cnt[24], pay[24], rt[24];
    snprintf(port, sizeof port, "%u", (unsigned)ntohs(addr.sin_port));
    snprintf(cnt, sizeof cnt, "%lu", count);
    snprintf(pay, sizeof pay, "%lu", payload);
    snprintf(rt, sizeof rt, "%lu", rate);
    int out[2];
    if (pipe(out) != 0) {
        perror("udp_send_check: pipe");
        return 1;
    }
    double t_start = now_s();
    pid_t pid = fork();
    if (pid < 0) {
        perror("udp_send_check: fork");
        return 1;
    }
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        char *args[] = {argv[1], "127.0.0.1", port, cnt, pay, rt, NULL};
        execv(argv[1], args);
        perror("udp_send_check: exec");
        _exit(127);
    }
    close(out[1]);

    unsigned char *seen = calloc(count, 1);
    if (!seen) return 1;
    unsigned long got = 0, dups = 0, outside = 0, wrong_len = 0, bad_fill = 0, reordered = 0;
    long last = -1;
    char line[256] = "";
    size_t line_len = 0;
    bool sender_done = false;
    int status = 0;
    double t_end = 0, quiet_since = 0, deadline = now_s() + 60;

    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    while (now_s() < deadline) {
        struct pollfd p[2] = {{.fd = fd, .events = POLLIN}, {.fd = out[0], .events = POLLIN}};
        int np = poll(p, sender_done ? 1 : 2, 100);
        if (np < 0 && errno != EINTR) break;
        if (!sender_done && (p[1].revents & (POLLIN | POLLHUP))) {
            ssize_t r = read(out[0], line + line_len, sizeof line - 1 - line_len);
            if (r > 0) {
                line_len += (size_t)r;
                line[line_len] = '\0';
            } else {
                waitpid(pid, &status, 0);
                t_end = now_s();
                sender_done = true;
                quiet_since = t_end;
            }
        }
        if (p[0].revents & POLLIN) {
            for (int k = 0; k < BATCH; k++) {
                iov[k] = (struct iovec){.iov_base = bufs[k], .iov_len = BUFSZ};
                msgs[k] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov[k], .msg_iovlen = 1}};
            }
            int n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
            for (int k = 0; k < n; k++) {
                got++;
                if (msgs[k].msg_len != payload) {
                    wrong_len++;
                    continue;
                }
                uint32_t be;
                memcpy(&be, bufs[k], sizeof be);
                unsigned long seq = ntohl(be);
                for (unsigned long b = 4; b < payload; b++)
                    if (bufs[k][b]) {
                        bad_fill++;
                        break;
                    }
                if (seq >= count) {
                    outside++;
                    continue;
                }
                if (seen[seq]++) dups++;
                if ((long)seq < last) reordered++;
                last = (long)seq;
            }
            if (n > 0) quiet_since = now_s();
        }
        /* a second of silence after the sender ended: nothing more is coming */
        if (sender_done && (got >= count || now_s() - quiet_since > 1.0)) break;
    }

    int fail = 0;
    if (!sender_done) {
        printf("FAIL: the sender did not finish within 60 s\n");
        kill(pid, SIGKILL);
        return 1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("FAIL: the sender ended with status %d\n", status);
        fail = 1;
    }
    printf("sender: %s", line_len ? line : "(nothing on stdout)\n");
    unsigned long n_sent = 0;
    double secs = 0, pps = 0;
    if (sscanf(line, "sent %lu in %lf s (%lf pps)", &n_sent, &secs, &pps) != 3 || n_sent != count) {
        printf("FAIL: expected 'sent %lu in S.SSS s (R pps)'\n", count);
        fail = 1;
    }
    /* lower bounds only: a loaded machine may make it slower, never faster */
    double floor_s = (double)(count - 1) / (double)rate * 0.99;
    if (secs < floor_s || t_end - t_start < floor_s) {
        printf("FAIL: %lu datagrams at %lu pps took %.3f s (sender) / %.3f s (wall), under %.3f s: "
               "not paced\n",
               count, rate, secs, t_end - t_start, floor_s);
        fail = 1;
    }
    unsigned long missing = 0;
    for (unsigned long i = 0; i < count; i++) missing += !seen[i];
    printf("received %lu: %lu missing, %lu duplicated, %lu out of range, %lu of a wrong length, "
           "%lu with a bad fill, %lu out of order\n",
           got, missing, dups, outside, wrong_len, bad_fill, reordered);
    if (got != count || missing || dups || outside || wrong_len || bad_fill) {
        printf("FAIL: expected exactly sequence numbers 0..%lu once each\n", count - 1);
        fail = 1;
    }
    free(seen);
    if (!fail) printf("ok: %lu datagrams of %lu bytes, all arrived once, paced\n", count, payload);
    return fail;
}
