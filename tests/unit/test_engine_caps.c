/* The engine's bounds: more flows than the table holds, time going
 * backwards, a frame larger than the snaplen claims. Memory must stay under
 * the caps and the model must say which caps were reached. */
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "engine.h"
#include "htab.h"
#include "http_track.h"
#include "pktgen.h"

static char path[64];

static pa_model *analyze_opts(const pa_engine_opts *opts, pa_status *status) {
    int fd = open(path, O_RDONLY);
    struct stat st;
    fstat(fd, &st);
    uint8_t head[16];
    if (pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head) return NULL;
    pa_capfmt fmt = pa_capfmt_detect(head, sizeof head);
    pa_model *m = NULL;
    char err[256];
    pa_status s = pa_engine_analyze(fd, (uint64_t)st.st_size, &fmt, opts, &m, err, sizeof err);
    if (status)
        *status = s;
    else if (s != PA_OK)
        fprintf(stderr, "analyze: %s\n", err);
    return m;
}

static pa_model *analyze(void) { return analyze_opts(NULL, NULL); }

static int progress_calls;
static uint64_t progress_last;
static void on_progress(void *ud, uint64_t done, uint64_t total) {
    (void)ud;
    progress_calls++;
    if (done > total || done < progress_last) progress_calls = -1000000; /* must rise within the file */
    progress_last = done;
}

static void write_udp(pg_writer *w, pg_ts ts, uint32_t i, uint16_t dport) {
    uint8_t buf[128];
    pg_pkt k;
    pg_pkt_init(&k, buf, sizeof buf);
    static const uint8_t a[6] = {2, 0, 0, 0, 0, 1}, b[6] = {2, 0, 0, 0, 0, 2};
    pg_eth(&k, b, a, PG_ETH_IPV4);
    pg_ip4 ip = {.src = {10, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i}, .dst = {10, 255, 0, 1}, .ttl = 64};
    pg_ipv4(&k, &ip);
    pg_udp(&k, (uint16_t)(1024 + (i & 0x3fff)), dport);
    pg_finish(&k);
    pg_write_pkt(w, ts, &k);
}

static void test_many_flows(void) {
    /* More flows than the flow table and the endpoint table hold, one
     * packet each, all within a few seconds: no flow ended and none is
     * idle, so the least recently active quarter is retired, repeatedly. */
    const uint32_t n = (PA_MAX_FLOWS > PA_MAX_ENDPOINTS ? PA_MAX_FLOWS : PA_MAX_ENDPOINTS) + PA_MAX_FLOWS / 4;
    pg_writer *w;
    CHECK(pg_open(&w, path, NULL) == 0);
    pg_ts ts = {1700000000, 0};
    for (uint32_t i = 0; i < n; i++) write_udp(w, pg_ts_add(ts, (uint64_t)i * 10000), i, 9999);
    pg_close(w);
    pa_model *m = analyze();
    CHECK(m != NULL);
    if (!m) return;
    CHECK(m->packets == n);
    CHECK(m->flow_count[17] == n); /* every flow numbered, retired or not */
    CHECK(m->next_stream[17] == n);
    CHECK(m->flows.count <= PA_MAX_FLOWS);
    CHECK(m->flows_retired > 0);
    CHECK(m->nretired <= PA_MAX_RETIRED_KEPT);
    CHECK(m->flows_untracked_pkts == 0);
    /* endpoints are capped too: n + 1 addresses > the endpoint cap */
    CHECK(m->endpoints.count <= PA_MAX_ENDPOINTS);
    CHECK(m->endpoints_overflow_pkts > 0);
    CHECK(m->memory < 160u * 1024 * 1024);
    pa_model_free(m);

    /* The pass reports progress, and stops when cancelled. */
    pa_engine_opts o = {.progress = on_progress};
    pa_status st;
    m = analyze_opts(&o, &st);
    CHECK(st == PA_OK && progress_calls > 10);
    pa_model_free(m);
    atomic_bool stop = true;
    o.cancelled = &stop;
    m = analyze_opts(&o, &st);
    CHECK(st == PA_CANCELLED && m == NULL);
}

/* The table behind flows, hosts and conversations: records found again
 * after every growth, keys of odd lengths compared whole, the cap, the
 * filter, and pointers kept valid across a reserved pair of inserts. */
static bool keep_even(void *rec, void *ud) {
    (void)ud;
    return ((uint8_t *)rec)[7] == 0;
}

typedef struct rec13 {
    uint8_t key[13];
    uint8_t pad[3];
    uint32_t val;
} rec13;

static void test_htab(void) {
    pa_htab t;
    CHECK(pa_htab_init(&t, sizeof(rec13), 13, 5000) == 0);
    bool created, all_found = true, all_valid = true;
    for (uint32_t i = 0; i < 5000; i++) {
        rec13 k;
        memset(&k, 0, sizeof k);
        k.key[12] = (uint8_t)i; /* keys differ in their last bytes only */
        k.key[11] = (uint8_t)(i >> 8);
        if (i % 2 == 0) {
            /* two inserts after a reserve: the first pointer stays valid */
            CHECK(pa_htab_reserve(&t, 2) == 0);
            rec13 *a = pa_htab_upsert(&t, &k, &created);
            k.key[12] = (uint8_t)(i + 1);
            k.key[11] = (uint8_t)((i + 1) >> 8);
            rec13 *b = pa_htab_upsert(&t, &k, &created);
            if (!a || !b) {
                all_valid = false;
                break;
            }
            a->val = i + 1;
            b->val = i + 2;
            k.key[12] = (uint8_t)i;
            k.key[11] = (uint8_t)(i >> 8);
            all_valid &= pa_htab_find(&t, &k) == a;
        }
    }
    CHECK(all_valid);
    CHECK(t.count == 5000);
    for (uint32_t i = 0; i < 5000; i++) {
        rec13 k;
        memset(&k, 0, sizeof k);
        k.key[12] = (uint8_t)i;
        k.key[11] = (uint8_t)(i >> 8);
        rec13 *r = pa_htab_find(&t, &k);
        all_found &= r && r->val == i + 1;
    }
    CHECK(all_found);
    rec13 extra;
    memset(&extra, 0, sizeof extra);
    CHECK(pa_htab_upsert(&t, &extra, &created) != NULL && !created); /* key 0 exists */
    extra.key[0] = 1;
    CHECK(pa_htab_upsert(&t, &extra, &created) == NULL); /* at the cap */
    size_t n = 0;
    for (size_t i = 0; i < t.cap; i++) n += t.used[i] != 0;
    CHECK(n == 5000);
    CHECK(pa_htab_memory(&t) >= 5000 * sizeof(rec13));
    pa_htab_free(&t);

    /* a key shorter than a word, and the filter */
    pa_htab s;
    CHECK(pa_htab_init(&s, 8, 3, 100000) == 0);
    for (uint32_t i = 0; i < 3000; i++) {
        uint8_t k[8] = {(uint8_t)i, (uint8_t)(i >> 8), 7, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE};
        uint8_t *r = pa_htab_upsert(&s, k, &created);
        CHECK(r && created);
        if (r) r[7] = (uint8_t)(i & 1);
    }
    CHECK(s.count == 3000);
    /* hints: right, pointing at another key, past the end after a filter */
    uint8_t k2998[3] = {(uint8_t)2998, (uint8_t)(2998 >> 8), 7}, k4[3] = {4, 0, 7};
    uint32_t hint = 0;
    uint8_t *r2998 = pa_htab_upsert_hint(&s, k2998, &hint, &created);
    CHECK(r2998 && !created && hint == 2998 && r2998 == pa_htab_find(&s, k2998));
    CHECK(pa_htab_upsert_hint(&s, k2998, &hint, &created) == r2998 && !created);
    uint32_t wrong = 2998;
    CHECK(pa_htab_upsert_hint(&s, k4, &wrong, &created) == pa_htab_find(&s, k4) && !created && wrong == 4);
    CHECK(pa_htab_filter(&s, keep_even, NULL) == 0);
    CHECK(s.count == 1500);
    uint8_t *moved = pa_htab_upsert_hint(&s, k2998, &hint, &created);
    CHECK(moved && !created && moved == pa_htab_find(&s, k2998) && hint == 1499 && moved[0] == (uint8_t)2998);
    uint32_t stale = 3; /* now the record of key 6 */
    uint8_t *n4 = pa_htab_upsert_hint(&s, k4, &stale, &created);
    CHECK(n4 && !created && n4[0] == 4 && stale == 2);
    uint8_t k9000[3] = {(uint8_t)9000, (uint8_t)(9000 >> 8), 7};
    uint32_t fresh = 0;
    CHECK(pa_htab_upsert_hint(&s, k9000, &fresh, &created) != NULL && created && fresh == 1500);
    CHECK(s.count == 1501);
    bool ok = true;
    for (uint32_t i = 0; i < 3000; i++) {
        uint8_t k[3] = {(uint8_t)i, (uint8_t)(i >> 8), 7};
        ok &= (pa_htab_find(&s, k) != NULL) == (i % 2 == 0);
    }
    CHECK(ok);
    pa_htab_free(&s);
}

/* Keep-alive HTTP connections that close cleanly (FIN both ways, all data
 * acknowledged) give up their parser state at the close: the requests are
 * reported the same, and a late duplicate segment starts no parser again. */
static void test_finished_connections(void) {
    pg_writer *w;
    CHECK(pg_open(&w, path, NULL) == 0);
    pg_ts t = {1700000000, 0};
    const uint32_t conns = 300;
    for (uint32_t i = 0; i < conns; i++) {
        pg_tcp_peer cl = {.mac = {2, 0, 0, 0, 0, 1},
                          .ip = {10, 1, (uint8_t)(i >> 8), (uint8_t)i},
                          .port = (uint16_t)(20000 + i),
                          .isn = 1000 + i,
                          .win = 65535,
                          .mss = 1460,
                          .ttl = 64};
        pg_tcp_peer sv = {.mac = {2, 0, 0, 0, 0, 2},
                          .ip = {10, 2, 0, 1},
                          .port = 80,
                          .isn = 5000,
                          .win = 65535,
                          .mss = 1460,
                          .ttl = 64};
        pg_tcp_conv c;
        CHECK(pg_tcp_init(&c, w, 4, &cl, &sv) == 0);
        pg_ts s = pg_ts_add(t, (uint64_t)i * 1000000);
        static const char req[] = "GET /x HTTP/1.1\r\nHost: a\r\n\r\n";
        static const char rsp[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        pg_tcp_handshake(&c, s, 100000);
        pg_tcp_send(&c, pg_ts_add(s, 300000), PG_CLIENT, req, sizeof req - 1, PG_TCP_PUSH);
        pg_tcp_send(&c, pg_ts_add(s, 400000), PG_SERVER, rsp, sizeof rsp - 1, PG_TCP_PUSH | PG_TCP_ACKNOW);
        pg_tcp_fin(&c, pg_ts_add(s, 500000), PG_CLIENT);
        pg_tcp_fin(&c, pg_ts_add(s, 600000), PG_SERVER);
        pg_tcp_ack(&c, pg_ts_add(s, 700000), PG_CLIENT);
        if (i == 0) /* a late copy of the request, after the close */
            pg_tcp_retransmit(&c, pg_ts_add(s, 800000), PG_CLIENT, cl.isn + 1, req, sizeof req - 1);
    }
    pg_close(w);
    pa_model *m = analyze();
    CHECK(m != NULL);
    if (!m) return;
    CHECK(m->http.requests == conns);
    CHECK(m->http.responses == conns);
    CHECK(m->http.ntx == conns);
    CHECK(m->http.unanswered == 0);
    CHECK(m->http.parse_errors == 0);
    size_t done = 0, parsers = 0;
    for (size_t i = 0; i < m->flows.cap; i++) {
        if (!m->flows.used[i]) continue;
        const pa_flow *f = pa_htab_at(&m->flows, i);
        done += f->app_done;
        parsers += f->app_state[PA_AN_http] != NULL;
    }
    CHECK(done == conns);
    CHECK(parsers == 0);
    pa_model_free(m);
}

static void test_time_and_sizes(void) {
    pg_writer_opts o;
    pg_writer_opts_init(&o);
    o.snaplen = 64;
    pg_writer *w;
    CHECK(pg_open(&w, path, &o) == 0);
    pg_ts t = {1700000100, 0};
    write_udp(w, t, 1, 53);
    write_udp(w, pg_ts_add(t, 2000000000ull), 2, 53);
    write_udp(w, t, 3, 53); /* earlier than the previous frame */
    /* a frame longer than the snaplen is cut by the writer: caplen < len */
    uint8_t big[1500];
    memset(big, 0xab, sizeof big);
    big[12] = 0x08;
    big[13] = 0x00;
    pg_write(w, pg_ts_add(t, 3000000000ull), big, sizeof big, sizeof big);
    pg_close(w);
    pa_model *m = analyze();
    CHECK(m && m->packets == 4);
    if (!m) return;
    CHECK(m->time_backwards == 1);
    CHECK(m->anom_count[PA_A_TIME_BACKWARDS] == 1 && m->anom_frames[PA_A_TIME_BACKWARDS][0] == 3);
    CHECK(m->truncated_frames == 1);
    CHECK(m->snaplen == 64);
    CHECK(m->nbins == 4);
    CHECK(m->bins[0].pkts == 2); /* the late frame and the backwards one share second 0 */
    pa_model_free(m);
}

static void test_long_capture_coarsens(void) {
    /* Longer than PA_MAX_TIME_BINS seconds: bins widen instead of growing. */
    pg_writer *w;
    CHECK(pg_open(&w, path, NULL) == 0);
    pg_ts t = {1600000000, 0};
    for (uint32_t i = 0; i < 5; i++) write_udp(w, pg_ts_add(t, (uint64_t)i * 100000ull * 1000000000ull), i, 123);
    pg_close(w);
    pa_model *m = analyze();
    CHECK(m && m->packets == 5);
    if (!m) return;
    CHECK(m->nbins <= PA_MAX_TIME_BINS);
    CHECK(m->bin_width_ns >= 4ll * 1000000000ll);
    uint64_t total = 0;
    for (size_t i = 0; i < m->nbins; i++) total += m->bins[i].pkts;
    CHECK(total == 5);
    pa_model_free(m);
}

int main(void) {
    snprintf(path, sizeof path, "/tmp/pa_test_caps_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) return 2;
    close(fd);
    test_time_and_sizes();
    test_long_capture_coarsens();
    test_many_flows();
    test_htab();
    test_finished_connections();
    unlink(path);
    return check_done("engine_caps");
}
