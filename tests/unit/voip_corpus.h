/* Shared by test_sip.c and test_rtp.c: walking a real capture's frames
 * through the engine's reader and decoder, and reading tshark's
 * `-z rtp,streams` table for the comparisons (skipped, exit 77, without the
 * corpus or tshark). */
#ifndef PA_VOIP_CORPUS_H
#define PA_VOIP_CORPUS_H

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture_reader.h"
#include "decode.h"

/* The real captures beside the repository: ../shared/corpus-real. */
static inline const char *voip_corpus_dir(void) {
    static char dir[1024];
    const char *env = getenv("PA_CORPUS_REAL");
    if (env) return env;
    snprintf(dir, sizeof dir, "%s/../shared/corpus-real", PA_SOURCE_DIR);
    return dir;
}

extern char **environ;

/* Runs argv (no shell) and returns its standard output (malloc'd, NUL
 * terminated) when it exits 0, else NULL. */
static inline char *voip_run(char *const argv[]) {
    int fds[2];
    if (pipe(fds) != 0) return NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return NULL;
    }
    size_t n = 0, cap = 1 << 16;
    char *out = malloc(cap);
    for (ssize_t r; out && (r = read(fds[0], out + n, cap - n - 1)) > 0;) {
        n += (size_t)r;
        if (cap - n < 2) {
            char *g = realloc(out, cap * 2);
            if (!g) {
                free(out);
                out = NULL;
                break;
            }
            out = g;
            cap *= 2;
        }
    }
    close(fds[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    if (!out || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        free(out);
        return NULL;
    }
    out[n] = '\0';
    return out;
}

static inline bool voip_have_tshark(void) {
    char *argv[] = {"tshark", "-v", NULL};
    char *o = voip_run(argv);
    free(o);
    return o != NULL;
}

/* Calls fn on every decoded frame of dir/name; false when it cannot be read. */
static inline bool voip_walk(const char *dir, const char *name, void (*fn)(void *ud, const pa_packet *p), void *ud) {
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY);
    uint8_t head[16] = {0};
    if (fd < 0 || pread(fd, head, sizeof head, 0) < 4) {
        if (fd >= 0) close(fd);
        return false;
    }
    pa_capfmt fmt = pa_capfmt_detect(head, sizeof head);
    pa_reader r;
    char err[256];
    if (pa_reader_open(&r, fd, &fmt, NULL, err, sizeof err) != PA_OK) return false;
    pa_decoder *dec = malloc(sizeof *dec);
    if (!dec) {
        pa_reader_close(&r);
        return false;
    }
    pa_decoder_init(dec);
    pa_frame f;
    uint64_t no = 0;
    while (pa_reader_next(&r, &f, NULL) == 1) {
        pa_packet p;
        memset(&p, 0, sizeof p);
        p.frame_no = ++no;
        p.ts_ns = f.ts_ns;
        p.caplen = f.caplen;
        p.wirelen = f.len;
        pa_decode_frame(dec, f.linktype, f.data, &p);
        fn(ud, &p);
    }
    pa_decoder_free(dec);
    free(dec);
    pa_reader_close(&r);
    return true;
}

/* One row of tshark's RTP Streams table, its figures as printed. */
typedef struct voip_row {
    char src[64], dst[64];
    unsigned sport, dport;
    unsigned long ssrc;
    char pkts[16], lost[16], min_delta[24], mean_delta[24], max_delta[24], min_jitter[24], mean_jitter[24],
        max_jitter[24];
    bool problem;
    bool matched;
} voip_row;

/* Runs `tshark [opt] -r dir/name -q -z rtp,streams` (opt may be NULL); the
 * rows, or -1. */
static inline int voip_tshark_streams(const char *dir, const char *name, const char *opt, voip_row *rows, int max) {
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *argv[9];
    int a = 0;
    argv[a++] = "tshark";
    if (opt) {
        argv[a++] = "-o";
        argv[a++] = (char *)opt;
    }
    argv[a++] = "-r";
    argv[a++] = path;
    argv[a++] = "-q";
    argv[a++] = "-z";
    argv[a++] = "rtp,streams";
    argv[a] = NULL;
    char *out = voip_run(argv);
    if (!out) return -1;
    int n = 0;
    bool in = false;
    for (char *line = out, *next; line && *line; line = next) {
        char *nl = strchr(line, '\n');
        next = nl ? nl + 1 : NULL;
        if (nl) *nl = '\0';
        if (strstr(line, "RTP Streams")) {
            in = true;
            continue;
        }
        if (!in || strstr(line, "Src IP addr") || line[0] == '=') continue;
        char *tok[64];
        int nt = 0;
        for (char *c = line; *c && nt < 64;) {
            while (*c == ' ' || *c == '\t') *c++ = '\0';
            if (!*c) break;
            tok[nt++] = c;
            while (*c && *c != ' ' && *c != '\t') c++;
        }
        if (nt < 17 || n >= max) continue;
        voip_row *r = &rows[n++];
        memset(r, 0, sizeof *r);
        int e = nt;
        r->problem = !strcmp(tok[e - 1], "X");
        if (r->problem) e--;
        snprintf(r->src, sizeof r->src, "%s", tok[2]);
        r->sport = (unsigned)strtoul(tok[3], NULL, 10);
        snprintf(r->dst, sizeof r->dst, "%s", tok[4]);
        r->dport = (unsigned)strtoul(tok[5], NULL, 10);
        r->ssrc = strtoul(tok[6], NULL, 16);
        snprintf(r->max_jitter, sizeof r->max_jitter, "%s", tok[e - 1]);
        snprintf(r->mean_jitter, sizeof r->mean_jitter, "%s", tok[e - 2]);
        snprintf(r->min_jitter, sizeof r->min_jitter, "%s", tok[e - 3]);
        snprintf(r->max_delta, sizeof r->max_delta, "%s", tok[e - 4]);
        snprintf(r->mean_delta, sizeof r->mean_delta, "%s", tok[e - 5]);
        snprintf(r->min_delta, sizeof r->min_delta, "%s", tok[e - 6]);
        snprintf(r->lost, sizeof r->lost, "%s", tok[e - 8]);
        snprintf(r->pkts, sizeof r->pkts, "%s", tok[e - 9]);
    }
    free(out);
    return n;
}

#endif
