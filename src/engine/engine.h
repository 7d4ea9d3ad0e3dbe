/* One pass over a capture file fills a pa_model. */
#ifndef PA_ENGINE_H
#define PA_ENGINE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "capture_magic.h"
#include "model.h"

typedef struct pa_engine_opts {
    const char *bpf;                 /* libpcap filter restricting the statistics; NULL = all */
    const atomic_bool *cancelled;    /* polled every few thousand frames */
    void (*progress)(void *ud, uint64_t done, uint64_t total);
    void *progress_ud;
    /* Called for every analysed TCP segment (tests compare with tshark). */
    void (*on_tcp)(void *ud, uint64_t frame, const pa_tcp_result *r);
    void *on_tcp_ud;
    /* Called for every DNS response matched or not (rt_ns < 0: no query seen),
     * and for the first copy of every query (m->qr false, rt_ns -1). */
    void (*on_dns)(void *ud, uint64_t frame, const pa_dns_msg *m, int64_t rt_ns);
    void *on_dns_ud;
    /* Called when an HTTP request or response completes. */
    void (*on_http)(void *ud, const pa_http_tx *tx, bool response);
    void *on_http_ud;
    /* Called when a TLS connection ends (its outcome decided). */
    void (*on_tls)(void *ud, const pa_tls_conn *c);
    void *on_tls_ud;
} pa_engine_opts;

typedef enum {
    PA_ENGINE_OK = 0,        /* *out is set (it may still say the file was damaged part-way) */
    PA_ENGINE_NOT_CAPTURE,   /* libpcap refused the file */
    PA_ENGINE_BAD_FILTER,    /* the BPF expression does not compile */
    PA_ENGINE_CANCELLED,
    PA_ENGINE_NOMEM,
} pa_engine_status;

/* Reads the capture open on fd (taken over and closed). err receives a
 * message for anything but OK. */
pa_engine_status pa_engine_analyze(int fd, uint64_t file_size, const pa_capfmt *fmt,
                                   const pa_engine_opts *opts, pa_model **out, char *err,
                                   size_t errlen);

#endif
