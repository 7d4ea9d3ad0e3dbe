/* fuzz_capture: a whole capture file (pcap or pcapng, any link type) through
 * pa_engine_analyze, which reads it with libpcap, decodes every frame and
 * fills the model: flow table, hosts, conversations, protocol hierarchy,
 * time bins. The input is written to a memfd, as the engine reads from a
 * descriptor. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dframe.h"
#include "engine.h"
#include "fuzz.h"
#include "fuzz_check.h"
#include "tool_security.h"

static void on_progress(void *ud, uint64_t done, uint64_t total) {
    (void)done;
    (void)total;
    (*(uint64_t *)ud)++;
}

/* Every field of every frame through the display-filter frame view: one
 * filter naming each field ("frame || frame.number || ...") and a few with
 * comparisons, evaluated on each frame. */
static pa_dfilter *filters[4];

static void on_frame(void *ud, const pa_packet *p, const uint8_t *d, const pa_frame_ctx *c) {
    (void)ud;
    pa_dframe f;
    pa_dframe_init(&f, p, d, c);
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++)
        if (filters[i]) (void)pa_dfilter_eval(filters[i], pa_dframe_get, &f);
}

static void make_filters(void) {
    /* every field, negated: room for all of them (the check below keeps a
     * longer list from writing past the buffer: snprintf's return would) */
    static char all[65536];
    size_t o = 0;
    for (int i = 0; i < PA_DF_COUNT && o < sizeof all; i++)
        o += (size_t)snprintf(all + o, sizeof all - o, "%s%s", i ? " || !" : "!", pa_dfield_name((pa_dfield)i));
    if (o >= sizeof all) __builtin_trap(); /* the field list outgrew the buffer: grow it */
    const char *texts[4] = {
        all, "ip.addr == 10.0.0.0/8 || ipv6.addr == fe80::/10 || udp.payload contains 00:01",
        "dns.qry.name matches \"a\" || dns.resp.name contains \"b\" || dns.a || dns.aaaa || dns.time > 0",
        "tls.handshake.ciphersuite in {1..0xffff} || http.request.uri contains \"/\" || tcp.seq > tcp.ack"};
    char err[8192];
    for (int i = 0; i < 4; i++) {
        filters[i] = pa_dfilter_compile(texts[i], err, sizeof err);
        PA_FUZZ_CHECK(filters[i] != NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!filters[0]) make_filters();
    int fd = memfd_create("pa-fuzz-capture", MFD_CLOEXEC);
    if (fd < 0) abort();
    size_t off = 0;
    while (off < size) {
        ssize_t k = write(fd, data + off, size - off);
        if (k <= 0) abort();
        off += (size_t)k;
    }
    if (lseek(fd, 0, SEEK_SET) != 0) abort();

    pa_capfmt fmt = pa_capfmt_detect(data, size < PA_CAPFMT_PROBE_BYTES ? size : PA_CAPFMT_PROBE_BYTES);
    char desc[128];
    pa_capfmt_describe(&fmt, desc, sizeof desc);
    (void)pa_capfmt_id(&fmt);

    atomic_bool cancelled;
    atomic_init(&cancelled, false);
    uint64_t progress_calls = 0;
    pa_engine_opts opts = {.bpf = NULL,
                           .cancelled = &cancelled,
                           .progress = on_progress,
                           .progress_ud = &progress_calls,
                           .on_frame = on_frame};
    pa_model *m = NULL;
    char err[512];
    pa_status st = pa_engine_analyze(fd, size, &fmt, &opts, &m, err, sizeof err);
    if (st != PA_OK) {
        PA_FUZZ_CHECK(m == NULL);
        return 0;
    }
    PA_FUZZ_CHECK(m != NULL);
    PA_FUZZ_CHECK(m->packets == m->frames_read);
    uint64_t lt_frames = 0;
    for (int i = 0; i < m->nlinktypes; i++) lt_frames += m->linktypes[i].frames;
    PA_FUZZ_CHECK(m->nlinktypes <= PA_MAX_LINKTYPES);
    if (m->nlinktypes < PA_MAX_LINKTYPES) PA_FUZZ_CHECK(lt_frames == m->packets);
    PA_FUZZ_CHECK(m->nnodes <= PA_MAX_PROTO_NODES);
    for (int i = 0; i < m->nnodes; i++) {
        PA_FUZZ_CHECK(m->nodes[i].parent < i);
        PA_FUZZ_CHECK(m->nodes[i].proto < PA_P_COUNT);
    }
    PA_FUZZ_CHECK(m->packets == 0 || m->nbins >= 1);
    PA_FUZZ_CHECK(m->nbins <= PA_MAX_TIME_BINS);
    uint64_t bin_pkts = 0;
    for (size_t i = 0; i < m->nbins; i++) bin_pkts += m->bins[i].pkts;
    PA_FUZZ_CHECK(bin_pkts == m->packets);
    PA_FUZZ_CHECK(m->first_ts <= m->last_ts);
    PA_FUZZ_CHECK(m->nretired <= PA_MAX_RETIRED_KEPT);
    PA_FUZZ_CHECK(m->flows.count <= PA_MAX_FLOWS);

    /* What the tools read next: flow listings, per protocol and in all. */
    const pa_flow **flows = NULL;
    size_t n = pa_model_flows(m, -1, &flows);
    PA_FUZZ_CHECK(n == m->flows.count + m->nretired);
    uint64_t tcp = 0;
    for (size_t i = 0; i < n; i++) tcp += flows[i]->key.ipproto == 6;
    free(flows);
    size_t ntcp = pa_model_flows(m, 6, &flows);
    PA_FUZZ_CHECK(ntcp == tcp);
    free(flows);

    /* Expert texts stay within their cap; the security findings are built
     * from whatever evidence a hostile capture left. */
    PA_FUZZ_CHECK(m->expert.texts.count <= PA_EXPERT_MAX_TEXTS);
    PA_FUZZ_CHECK(m->sec.ncreds <= PA_SEC_MAX_CREDS && m->sec.nmismatch <= PA_SEC_MAX_MISMATCH);
    PA_FUZZ_CHECK(m->sec.nportmaps <= PA_SEC_MAX_PORTMAPS);
    pa_sec_opts so;
    pa_sec_opts_from_args(&so, NULL);
    size_t by[3];
    json_t *fs = pa_security_findings(m, &so, by);
    PA_FUZZ_CHECK(json_array_size(fs) == by[0] + by[1] + by[2]);
    json_decref(fs);
    pa_model_free(m);
    return 0;
}
