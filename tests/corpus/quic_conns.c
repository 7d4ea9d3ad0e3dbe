/* Prints the QUIC connections our engine finds in a capture, one line each,
 * for compare_quic.sh to hold against tshark:
 *   quic STREAM VERSIONS SNI ALPN JA4 CIPHER HS_END HS_MS CLOSE
 * (VERSIONS comma-separated 0x%08x, "-" for an empty field), then the
 * analyzer's totals: "quic_totals DATAGRAMS NOT_QUIC DECRYPTED FAILED".
 * Usage: pa-quic-conns FILE */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"

static const char *or_dash(const char *s) { return s && s[0] ? s : "-"; }

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: pa-quic-conns FILE\n");
        return 2;
    }
    /* A test helper: it reads any path it is given (the server never does). */
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    uint8_t head[16] = {0};
    if (fd < 0 || fstat(fd, &st) != 0 || pread(fd, head, sizeof head, 0) < 4) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    pa_capfmt fmt = pa_capfmt_detect(head, sizeof head);
    pa_engine_opts o = {0};
    pa_model *m = NULL;
    char err[256];
    if (pa_engine_analyze(fd, (uint64_t)st.st_size, &fmt, &o, &m, err, sizeof err) != PA_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    static const char *const ends[] = {"-", "handshake", "short"};
    for (uint32_t i = 0; i < m->quic.nconns; i++) {
        const pa_quic_conn *c = &m->quic.conns[i];
        char versions[64] = "-", cipher[16] = "-", hs[32] = "-", close[48] = "-";
        for (uint8_t k = 0, at = 0; k < c->nversions && at < sizeof versions - 12; k++)
            at += (uint8_t)snprintf(versions + at, sizeof versions - at, "%s0x%08x", k ? "," : "", c->versions[k]);
        if (c->has_server_hello) snprintf(cipher, sizeof cipher, "0x%04x", c->cipher);
        if (c->handshake_ns >= 0) snprintf(hs, sizeof hs, "%.3f", (double)c->handshake_ns / 1e6);
        if (c->closed) {
            const char *name = c->close_app ? NULL : pa_quic_error_name(c->close_code);
            snprintf(close, sizeof close, "%s0x%llx%s%s", c->close_app ? "app:" : "", (unsigned long long)c->close_code,
                     name ? ":" : "", name ? name : "");
        }
        printf("quic %lld %s %s %s %s %s %s %s %s\n", (long long)c->stream, versions, or_dash(c->sni), or_dash(c->alpn),
               or_dash(c->ja4), cipher, ends[c->handshake_end], hs, close);
    }
    printf("quic_totals %llu %llu %llu %llu\n", (unsigned long long)m->quic.datagrams,
           (unsigned long long)m->quic.not_quic, (unsigned long long)m->quic.initial_decrypted,
           (unsigned long long)m->quic.initial_failed);
    pa_model_free(m);
    close(fd);
    return 0;
}
