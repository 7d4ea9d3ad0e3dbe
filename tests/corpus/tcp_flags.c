/* Prints the tcp.analysis flags our engine sets, one "FLAG FRAME" line per
 * occurrence, and "acks_frame FRAME ACKED" / "bytes_in_flight FRAME N"
 * lines, for compare_tcp_flags.mjs to hold against tshark.
 * Usage: pa-tcp-flags FILE */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"

static void on_tcp(void *ud, uint64_t frame, const pa_tcp_result *r) {
    (void)ud;
    for (unsigned b = 0; b < PA_TA_COUNT; b++)
        if (r->flags & (1u << b)) printf("%s %llu\n", pa_ta_name(b), (unsigned long long)frame);
    /* the values tshark prints on the same frames */
    if (r->has_rtt) printf("acks_frame %llu %llu\n", (unsigned long long)frame, (unsigned long long)r->acks_frame);
    if (r->has_bif) printf("bytes_in_flight %llu %u\n", (unsigned long long)frame, r->bytes_in_flight);
}

/* DNS responses: "dns FRAME RCODE QNAME TIME_MS ID QTYPE" (TIME_MS "-" when no
 * query matched). */
static void on_dns(void *ud, uint64_t frame, const pa_dns_msg *m, int64_t rt_ns) {
    (void)ud;
    if (rt_ns >= 0)
        printf("dns %llu %u %s %.6f %u %u\n", (unsigned long long)frame, m->rcode, m->qname,
               (double)rt_ns / 1e6, m->id, m->qtype);
    else
        printf("dns %llu %u %s - %u %u\n", (unsigned long long)frame, m->rcode, m->qname, m->id,
               m->qtype);
}

/* HTTP: "http_req FRAME METHOD HOST|- URI" and "http_resp FRAME CODE TIME_MS|- REQ_FRAME|-". */
static void on_http(void *ud, const pa_http_tx *tx, bool response) {
    (void)ud;
    if (response && tx->rt_ns < 0)
        printf("http_resp %llu %u - -\n", (unsigned long long)tx->resp_frame, tx->status);
    else if (response)
        printf("http_resp %llu %u %.6f %llu\n", (unsigned long long)tx->resp_frame, tx->status,
               (double)tx->rt_ns / 1e6, (unsigned long long)tx->req_frame);
    else
        printf("http_req %llu %s %s %s\n", (unsigned long long)tx->req_frame, tx->method,
               tx->host[0] ? tx->host : "-", tx->uri);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: pa-tcp-flags FILE\n");
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
    pa_engine_opts o = {.on_tcp = on_tcp, .on_dns = on_dns, .on_http = on_http};
    pa_model *m = NULL;
    char err[256];
    if (pa_engine_analyze(fd, (uint64_t)st.st_size, &fmt, &o, &m, err, sizeof err) != PA_ENGINE_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    pa_model_free(m);
    return 0;
}
