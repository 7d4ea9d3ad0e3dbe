/* DCE-RPC: the parser on built and hostile bytes (every PDU type a report
 * reads, big-endian data representation, truncations), the byte-stream
 * tracker fed directly as an SMB named pipe would feed it (PDUs across
 * pieces, several per piece, holes, context and call matching, faults,
 * rejections), and analyze_application_response_times on a capture built
 * here (dcerpc_gen/dcerpc.pcap), which compare_dcerpc.mjs and the display
 * filters compare with tshark 4.0.
 * Usage: test_dcerpc [DIR] (where the capture is written; default dcerpc_gen) */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "dcerpc_analyzer.h"
#include "dcerpc_names.h"
#include "pktgen.h"
#include "test_kit.h"
#include "tool_common.h"

#define EPM "e1af8308-5d1f-11c9-91a4-08002b14a0fa"
#define SAMR "12345778-1234-abcd-ef00-0123456789ac"
#define LSA "12345778-1234-abcd-ef00-0123456789ab"
#define DRS "e3514235-4b06-11d1-ab04-00c04fc2dcd2"
#define SRVSVC "4b324fc8-1670-01d3-1278-5a47bf6ee188"
#define ODD "01020304-0506-0708-090a-0b0c0d0e0f10"
#define NDR "8a885d04-1ceb-11c9-9fe8-08002b104860"

/* ---- building PDUs (little-endian data representation unless be) ------------------------ */

typedef struct wb {
    uint8_t b[8192];
    size_t n;
    bool be;
} wb;

static void u8(wb *w, unsigned v) { w->b[w->n++] = (uint8_t)v; }
static void u16(wb *w, unsigned v) {
    if (w->be) {
        u8(w, v >> 8);
        u8(w, v & 0xff);
    } else {
        u8(w, v & 0xff);
        u8(w, v >> 8);
    }
}
static void u32(wb *w, uint32_t v) {
    if (w->be) {
        u16(w, v >> 16);
        u16(w, v & 0xffff);
    } else {
        u16(w, v & 0xffff);
        u16(w, v >> 16);
    }
}
static void uuid(wb *w, const char *text) {
    uint8_t u[16];
    CHECK(pa_dcerpc_uuid_parse(text, u));
    u32(w, (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3]);
    u16(w, (unsigned)(u[4] << 8 | u[5]));
    u16(w, (unsigned)(u[6] << 8 | u[7]));
    for (int i = 8; i < 16; i++) u8(w, u[i]);
}
static void zeros(wb *w, size_t n) {
    for (size_t i = 0; i < n; i++) u8(w, 0);
}

/* The common header; the fragment length is set by done(). */
static size_t hdr(wb *w, unsigned ptype, unsigned flags, uint32_t call_id) {
    size_t at = w->n;
    u8(w, 5);
    u8(w, 0);
    u8(w, ptype);
    u8(w, flags);
    u8(w, w->be ? 0x00 : 0x10);
    zeros(w, 3);
    u16(w, 0);
    u16(w, 0);
    u32(w, call_id);
    return at;
}
static void done(wb *w, size_t at) {
    size_t len = w->n - at;
    w->b[at + 8] = (uint8_t)(w->be ? len >> 8 : len & 0xff);
    w->b[at + 9] = (uint8_t)(w->be ? len & 0xff : len >> 8);
}

typedef struct item {
    uint16_t id;
    const char *uuid;
    uint16_t ver, minor;
} item;

static void bind_pdu(wb *w, unsigned ptype, uint32_t call_id, const item *it, size_t n) {
    size_t at = hdr(w, ptype, 3, call_id);
    u16(w, 4280);
    u16(w, 4280);
    u32(w, 0);
    u8(w, (unsigned)n);
    zeros(w, 3);
    for (size_t i = 0; i < n; i++) {
        u16(w, it[i].id);
        u8(w, 1);
        u8(w, 0);
        uuid(w, it[i].uuid);
        u16(w, it[i].ver);
        u16(w, it[i].minor);
        uuid(w, NDR);
        u32(w, 2);
    }
    done(w, at);
}

typedef struct res {
    uint16_t result, reason;
} res;

static void ack_pdu(wb *w, unsigned ptype, uint32_t call_id, const res *r, size_t n) {
    size_t at = hdr(w, ptype, 3, call_id);
    u16(w, 4280);
    u16(w, 4280);
    u32(w, 0x1234);
    u16(w, 6);
    for (const char *s = "49667"; *s; s++) u8(w, (unsigned)*s);
    u8(w, 0);
    while ((w->n - at) % 4) u8(w, 0);
    u8(w, (unsigned)n);
    zeros(w, 3);
    for (size_t i = 0; i < n; i++) {
        u16(w, r[i].result);
        u16(w, r[i].reason);
        if (r[i].result == 0) {
            uuid(w, NDR);
            u32(w, 2);
        } else {
            zeros(w, 20);
        }
    }
    done(w, at);
}

static void request_pdu(wb *w, unsigned flags, uint32_t call_id, uint16_t ctx, uint16_t opnum, size_t stub) {
    size_t at = hdr(w, 0, flags, call_id);
    u32(w, (uint32_t)stub);
    u16(w, ctx);
    u16(w, opnum);
    for (size_t i = 0; i < stub; i++) u8(w, (unsigned)(i * 7));
    done(w, at);
}

static void response_pdu(wb *w, unsigned flags, uint32_t call_id, uint16_t ctx, size_t stub) {
    size_t at = hdr(w, 2, flags, call_id);
    u32(w, (uint32_t)stub);
    u16(w, ctx);
    u8(w, 0);
    u8(w, 0);
    for (size_t i = 0; i < stub; i++) u8(w, (unsigned)(i * 3));
    done(w, at);
}

static void fault_pdu(wb *w, uint32_t call_id, uint16_t ctx, uint32_t status) {
    size_t at = hdr(w, 3, 3, call_id);
    u32(w, 32);
    u16(w, ctx);
    u8(w, 0);
    u8(w, 0);
    u32(w, status);
    u32(w, 0);
    done(w, at);
}

static void nak_pdu(wb *w, uint32_t call_id, uint16_t reason) {
    size_t at = hdr(w, 13, 3, call_id);
    u16(w, reason);
    u8(w, 1);
    u8(w, 5);
    u8(w, 0);
    done(w, at);
}

/* ---- the parser -------------------------------------------------------------------------- */

static void test_parse(void) {
    wb w = {.n = 0};
    item it[] = {{0, SAMR, 1, 0}, {1, LSA, 0, 0}};
    bind_pdu(&w, 11, 7, it, 2);
    pa_dcerpc_pdu u;
    CHECK(pa_dcerpc_looks(w.b, w.n));
    CHECK(pa_dcerpc_parse(w.b, w.n, &u) && u.body_ok);
    CHECK(u.h.ptype == 11 && u.h.call_id == 7 && u.h.frag_len == w.n && u.nitems == 2 && u.kept == 2);
    char t[37];
    pa_dcerpc_uuid_text(u.item[1].abstract.uuid, t);
    CHECK_STR(t, LSA);
    CHECK_STR(pa_dcerpc_iface_find(u.item[0].abstract.uuid, 1)->name, "SAMR");
    CHECK(pa_dcerpc_iface_find(u.item[0].abstract.uuid, 2) == NULL); /* another version is another interface */
    /* every truncation: the header fails under 16 bytes, the body after */
    for (size_t n = 0; n < w.n; n++) {
        bool ok = pa_dcerpc_parse(w.b, n, &u);
        CHECK(ok == (n >= PA_DCERPC_HDR_LEN));
        if (ok) CHECK(!u.body_ok);
    }
    /* big-endian data representation */
    wb b = {.n = 0, .be = true};
    fault_pdu(&b, 0x01020304, 9, 0x1c010002);
    CHECK(pa_dcerpc_parse(b.b, b.n, &u) && u.body_ok && u.h.call_id == 0x01020304 && u.ctx_id == 9);
    CHECK(u.status == 0x1c010002 && u.h.frag_len == b.n);
    CHECK_STR(pa_dcerpc_status_name(u.status), "nca_op_rng_error");
    CHECK_STR(pa_dcerpc_status_name(5), "nca_s_fault_access_denied");
    CHECK(pa_dcerpc_status_name(0x12345678) == NULL);
    res r[] = {{0, 0}, {2, 1}, {3, 3}};
    w.n = 0;
    ack_pdu(&w, 12, 7, r, 3);
    CHECK(pa_dcerpc_parse(w.b, w.n, &u) && u.body_ok && u.nitems == 3);
    CHECK(u.item[1].result == 2 && u.item[1].reason == 1 && u.item[2].result == 3 && u.assoc_group == 0x1234);
    w.n = 0;
    request_pdu(&w, 3, 9, 1, 15, 40);
    CHECK(pa_dcerpc_parse(w.b, w.n, &u) && u.body_ok && u.opnum == 15 && u.ctx_id == 1 && u.alloc_hint == 40);
    CHECK_STR(
        pa_dcerpc_op_name(pa_dcerpc_iface_find((const uint8_t[16]){0x4b, 0x32, 0x4f, 0xc8, 0x16, 0x70, 0x01, 0xd3, 0x12,
                                                                   0x78, 0x5a, 0x47, 0xbf, 0x6e, 0xe1, 0x88},
                                               3),
                          15),
        "NetShareEnumAll");
    /* the look: version, type, drep and length */
    uint8_t bad[16];
    memcpy(bad, w.b, 16);
    bad[0] = 4;
    CHECK(!pa_dcerpc_looks(bad, 16));
    memcpy(bad, w.b, 16);
    bad[2] = 21;
    CHECK(!pa_dcerpc_looks(bad, 16));
    memcpy(bad, w.b, 16);
    bad[4] = 0x33;
    CHECK(!pa_dcerpc_looks(bad, 16));
    memcpy(bad, w.b, 16);
    bad[8] = 15, bad[9] = 0;
    CHECK(!pa_dcerpc_looks(bad, 16));
    CHECK(!pa_dcerpc_looks(w.b, 15));
    /* a bind that claims 255 items with none there; more items than are kept */
    w.n = 0;
    size_t at = hdr(&w, 11, 3, 1);
    u16(&w, 1);
    u16(&w, 1);
    u32(&w, 0);
    u8(&w, 255);
    zeros(&w, 3);
    done(&w, at);
    CHECK(pa_dcerpc_parse(w.b, w.n, &u) && !u.body_ok);
    item many[20];
    for (int i = 0; i < 20; i++) many[i] = (item){(uint16_t)i, EPM, 3, 0};
    w.n = 0;
    bind_pdu(&w, 11, 1, many, 20);
    CHECK(pa_dcerpc_parse(w.b, w.n, &u) && u.body_ok && u.nitems == 20 && u.kept == PA_DCERPC_MAX_ITEMS);
}

/* ---- the tracker fed as a pipe ------------------------------------------------------------- */

static void test_pipe(void) {
    pa_dcerpc_pdu u_hostile;
    pa_dcerpc_stats st;
    CHECK(pa_dcerpc_init(&st) == 0);
    pa_expert ex;
    CHECK(pa_expert_init(&ex) == 0);
    st.ex = &ex;
    pa_dcerpc_conn *c = pa_dcerpc_conn_new(&st, NULL);
    pa_dcerpc_frame *v = calloc(1, sizeof *v);
    CHECK(c && v);
    wb w = {.n = 0};
    item it[] = {{0, SRVSVC, 3, 0}, {1, ODD, 1, 0}};
    bind_pdu(&w, 11, 1, it, 2);
    /* a bind one byte at a time: it ends in the last piece only */
    for (size_t i = 0; i < w.n; i++)
        CHECK(pa_dcerpc_feed(&st, c, true, w.b + i, 1, false, 10 + i, 1000, v, 10 + i) == (i + 1 == w.n));
    CHECK(v->npdu == 1 && v->nbind == 2 && v->nctx == 2 && v->ctx_id[1] == 1);
    memset(v, 0, sizeof *v);
    res r[] = {{0, 0}, {2, 1}};
    w.n = 0;
    ack_pdu(&w, 12, 1, r, 2);
    CHECK(pa_dcerpc_feed(&st, c, false, w.b, w.n, false, 200, 2000, v, 200) == 1);
    CHECK(st.accepted == 1 && st.rejected == 1 && st.nrejects == 1 && st.rejects[0].has_iface);
    CHECK(v->nres == 2 && v->nreason == 1 && v->reason[0] == 1);
    /* two requests in one piece, then their answers in one */
    w.n = 0;
    request_pdu(&w, 3, 2, 0, 15, 24);
    request_pdu(&w, 3, 3, 0, 99, 8);
    CHECK(pa_dcerpc_feed(&st, c, true, w.b, w.n, false, 300, 3000000, NULL, 0) == 2);
    w.n = 0;
    response_pdu(&w, 3, 2, 0, 100);
    fault_pdu(&w, 3, 0, 0x1c010002);
    memset(v, 0, sizeof *v);
    CHECK(pa_dcerpc_feed(&st, c, false, w.b, w.n, false, 301, 7000000, v, 301) == 2);
    CHECK(v->npdu == 2 && v->pdu[0].has_time && v->pdu[0].time_ns == 4000000 && v->pdu[0].request_in == 300);
    CHECK(v->pdu[1].has_opnum && v->pdu[1].opnum == 99 && v->pdu[1].has_status);
    CHECK(st.calls == 2 && st.responses == 1 && st.faults == 1 && st.srt.count == 1);
    CHECK(ex.count[PA_EX_DCERPC_FAULT] == 1 && ex.count[PA_EX_DCERPC_BIND_REJECTED] == 1);
    /* a hole in mid-PDU: the rest is dropped until a piece starts a PDU */
    w.n = 0;
    request_pdu(&w, 3, 4, 0, 15, 60);
    CHECK(pa_dcerpc_feed(&st, c, true, w.b, 30, false, 400, 0, NULL, 0) == 0);
    CHECK(pa_dcerpc_feed(&st, c, true, w.b + 40, w.n - 40, true, 401, 0, NULL, 0) == 0);
    CHECK(pa_dcerpc_feed(&st, c, true, w.b, w.n, false, 402, 0, NULL, 0) == 1);
    CHECK(st.gaps == 1 && st.resyncs == 1 && st.calls == 3);
    /* bytes that are no PDU: nothing, no crash; then a PDU again */
    uint8_t junk[64];
    memset(junk, 0xA5, sizeof junk);
    CHECK(pa_dcerpc_feed(&st, c, true, junk, sizeof junk, false, 500, 0, NULL, 0) == 0);
    CHECK(pa_dcerpc_feed(&st, c, true, w.b, w.n, false, 501, 0, NULL, 0) == 1); /* a piece that starts a PDU */
    CHECK(!pa_dcerpc_conn_pending(c));
    /* a bind_nak */
    w.n = 0;
    nak_pdu(&w, 9, 4);
    CHECK(pa_dcerpc_feed(&st, c, false, w.b, w.n, false, 600, 0, NULL, 0) == 1);
    CHECK(st.bind_naks == 1 && st.nrejects == 2 && st.rejects[1].reason == 4);
    /* many calls never answered: the ring forgets the oldest */
    for (uint32_t i = 0; i < PA_DCERPC_CALLS_MAX + 10; i++) {
        w.n = 0;
        request_pdu(&w, 3, 1000 + i, 0, 1, 0);
        CHECK(pa_dcerpc_feed(&st, c, true, w.b, w.n, false, 700 + i, 0, NULL, 0) == 1);
    }
    CHECK(st.calls_forgotten >= 10);
    /* hostile headers: a fragment length under the header's (not a PDU: the piece is
     * skipped), the largest fragment length arriving a byte at a time (held, bounded by 64 KiB),
     * an authentication length past the fragment (the body read up to the fragment's end) */
    w.n = 0;
    request_pdu(&w, 3, 5000, 0, 1, 0);
    w.b[8] = 12, w.b[9] = 0;
    CHECK(pa_dcerpc_feed(&st, c, true, w.b, w.n, false, 900, 0, NULL, 0) == 0);
    w.b[8] = 0xff, w.b[9] = 0xff;
    CHECK(pa_dcerpc_feed(&st, c, true, w.b, w.n, false, 901, 0, NULL, 0) == 0); /* lost until a piece starts a PDU */
    CHECK(pa_dcerpc_feed(&st, c, true, w.b, w.n, false, 902, 0, NULL, 0) == 0); /* a PDU start: 65535 bytes awaited */
    CHECK(pa_dcerpc_conn_pending(c));
    for (int i = 0; i < 1000; i++) CHECK(pa_dcerpc_feed(&st, c, true, junk, sizeof junk, false, 903, 0, NULL, 0) == 0);
    static uint8_t rest[2048];
    CHECK(pa_dcerpc_feed(&st, c, true, rest, 65535 - w.n - 64000, false, 904, 0, NULL, 0) == 1);
    CHECK(!pa_dcerpc_conn_pending(c));
    w.n = 0;
    request_pdu(&w, 3, 5001, 0, 1, 8);
    w.b[10] = 0xff, w.b[11] = 0x7f;
    CHECK(pa_dcerpc_parse(w.b, w.n, &u_hostile) && u_hostile.body_ok && u_hostile.opnum == 1);
    CHECK(pa_dcerpc_feed(&st, c, true, w.b, w.n, false, 905, 0, NULL, 0) == 1);
    pa_dcerpc_finish(&st);
    free(v);
    pa_dcerpc_conn_free(c);
    pa_dcerpc_stats_free(&st);
    pa_expert_free(&ex);
}

/* ---- the carried hook: DCE-RPC handed over by another analyzer (an SMB2 pipe) ---------------- */

static void test_carried(void) {
    pa_dcerpc_stats st;
    CHECK(pa_dcerpc_init(&st) == 0);
    pa_dcerpc_frame *v = calloc(1, sizeof *v);
    pa_app_env env;
    memset(&env, 0, sizeof env);
    env.frame = v;
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.src.family = p.dst.family = 4;
    p.src.b[3] = 1;
    p.dst.b[3] = 9;
    p.sport = 50000;
    p.dport = 445;
    void *state = NULL;
    pa_app_carried c = {.p = &p, .stream = 3, .to_server = true, .key = 1, .via = "\\PIPE\\srvsvc", .state = &state};
    wb w = {.n = 0};
    item it[] = {{0, SRVSVC, 3, 0}};
    bind_pdu(&w, 11, 1, it, 1);
    request_pdu(&w, 3, 2, 0, 15, 40);
    p.frame_no = 5;
    p.ts_ns = 1000000;
    c.data = w.b;
    c.len = (uint32_t)w.n;
    pa_analyzer_dcerpc.frame_reset(v);
    pa_analyzer_dcerpc.carried(&st, &env, &c);
    CHECK(state != NULL && v->npdu == 2 && st.calls == 1);
    res ok[] = {{0, 0}};
    w.n = 0;
    ack_pdu(&w, 12, 1, ok, 1);
    response_pdu(&w, 3, 2, 0, 300);
    p.frame_no = 6;
    p.ts_ns = 4000000;
    p.src.b[3] = 9;
    p.dst.b[3] = 1;
    c.to_server = false;
    c.data = w.b;
    /* the ack (60 bytes) and the response, cut in two reads within the response */
    c.len = 90;
    pa_analyzer_dcerpc.frame_reset(v);
    pa_analyzer_dcerpc.carried(&st, &env, &c);
    c.data = w.b + 90;
    c.len = (uint32_t)(w.n - 90);
    p.frame_no = 7;
    pa_analyzer_dcerpc.frame_reset(v);
    pa_analyzer_dcerpc.carried(&st, &env, &c);
    CHECK(st.accepted == 1 && st.responses == 1 && st.srt.count == 1 && st.ndone == 1);
    CHECK(v->npdu == 1 && v->pdu[0].has_time && v->pdu[0].time_ns == 3000000 && v->pdu[0].request_in == 5);
    CHECK(st.done[0].ends.sport == 445 && st.done[0].ends.server.b[3] == 9 && st.done[0].ends.stream == 3);
    pa_analyzer_dcerpc.flow_free(state);
    free(v);
    pa_dcerpc_stats_free(&st);
}

/* ---- a capture, and the report ------------------------------------------------------------ */

static const pg_ts t0 = {1767225600, 0};
static pg_ts at_ms(uint64_t ms) { return pg_ts_add(t0, PG_MS(ms)); }

static const res ok_one[] = {{0, 0}};

static void send(pg_tcp_conv *c, uint64_t ms, int from, const wb *w) {
    pg_tcp_send(c, at_ms(ms), from, w->b, w->n, PG_TCP_PUSH);
}

/* A bind (or alter_context) of one item and its ack accepting it. */
static void bind_one(pg_tcp_conv *c, uint64_t ms, unsigned ptype, uint32_t call_id, const item *it) {
    wb p = {.n = 0};
    bind_pdu(&p, ptype, call_id, it, 1);
    send(c, ms, PG_CLIENT, &p);
    p.n = 0;
    ack_pdu(&p, ptype + 1, call_id, ok_one, 1);
    send(c, ms + 1, PG_SERVER, &p);
}

/* A single-fragment call and its response. */
static void call(pg_tcp_conv *c, uint64_t ms, uint64_t answered_ms, uint32_t call_id, uint16_t ctx, uint16_t opnum,
                 size_t req, size_t resp) {
    wb p = {.n = 0};
    request_pdu(&p, 3, call_id, ctx, opnum, req);
    send(c, ms, PG_CLIENT, &p);
    p.n = 0;
    response_pdu(&p, 3, call_id, ctx, resp);
    send(c, answered_ms, PG_SERVER, &p);
}

/* The endpoint mapper on 135: a bind, two Map calls, a call out of range. */
static void epm_session(pg_writer *w) {
    pg_tcp_conv c;
    pg_tcp_peer a = kit_peer(1, 40001, 1000), b = kit_peer(9, 135, 5000);
    pg_tcp_init(&c, w, 4, &a, &b);
    pg_tcp_handshake(&c, at_ms(0), PG_MS(1));
    item it[] = {{0, EPM, 3, 0}};
    bind_one(&c, 3, 11, 1, it);
    call(&c, 10, 12, 2, 0, 3, 120, 150);
    call(&c, 20, 25, 3, 0, 3, 120, 150);
    wb p = {.n = 0};
    request_pdu(&p, 3, 4, 0, 9, 16);
    send(&c, 30, PG_CLIENT, &p);
    p.n = 0;
    fault_pdu(&p, 4, 0, 0x1c010002);
    send(&c, 31, PG_SERVER, &p);
    pg_tcp_fin(&c, at_ms(40), PG_CLIENT);
    pg_tcp_fin(&c, at_ms(41), PG_SERVER);
    pg_tcp_ack(&c, at_ms(42), PG_CLIENT);
}

/* A dynamic port: a bind of three contexts (one rejected, one unknown),
 * PDUs across segments and two in one, a fragmented response, an access
 * denied fault, an alter_context, a lost segment. */
static void dynamic_session(pg_writer *w) {
    pg_tcp_conv c;
    pg_tcp_peer a = kit_peer(2, 40002, 2000), b = kit_peer(9, 49667, 6000);
    pg_tcp_init(&c, w, 4, &a, &b);
    pg_tcp_handshake(&c, at_ms(100), PG_MS(1));
    wb p = {.n = 0};
    item it[] = {{0, SAMR, 1, 0}, {1, LSA, 0, 0}, {2, ODD, 2, 1}};
    bind_pdu(&p, 11, 1, it, 3);
    send(&c, 103, PG_CLIENT, &p);
    res r[] = {{0, 0}, {0, 0}, {2, 1}};
    p.n = 0;
    ack_pdu(&p, 12, 1, r, 3);
    send(&c, 104, PG_SERVER, &p);
    /* Connect5 in three segments */
    p.n = 0;
    request_pdu(&p, 3, 2, 0, 64, 2000);
    pg_tcp_send(&c, at_ms(110), PG_CLIENT, p.b, 1000, 0);
    pg_tcp_send(&c, at_ms(111), PG_CLIENT, p.b + 1000, 10, 0);
    pg_tcp_send(&c, at_ms(112), PG_CLIENT, p.b + 1010, p.n - 1010, PG_TCP_PUSH);
    p.n = 0;
    response_pdu(&p, 3, 2, 0, 60);
    send(&c, 119, PG_SERVER, &p);
    /* two requests in one segment: LookupDomain (SAMR), lsa_Delete (LSARPC) */
    p.n = 0;
    request_pdu(&p, 3, 3, 0, 5, 40);
    request_pdu(&p, 3, 4, 1, 1, 20);
    send(&c, 130, PG_CLIENT, &p);
    /* a response whose second PDU starts in the segment that ends the first */
    p.n = 0;
    response_pdu(&p, 3, 3, 0, 80);
    fault_pdu(&p, 4, 1, 5);
    pg_tcp_send(&c, at_ms(133), PG_SERVER, p.b, 50, 0);
    pg_tcp_send(&c, at_ms(136), PG_SERVER, p.b + 50, p.n - 50, PG_TCP_PUSH);
    /* QueryUserInfo answered in two fragments */
    p.n = 0;
    request_pdu(&p, 3, 5, 0, 36, 30);
    send(&c, 140, PG_CLIENT, &p);
    p.n = 0;
    response_pdu(&p, 1, 5, 0, 200);
    send(&c, 150, PG_SERVER, &p);
    p.n = 0;
    response_pdu(&p, 2, 5, 0, 100);
    send(&c, 152, PG_SERVER, &p);
    /* alter_context to DRSUAPI, accepted; DsBind */
    item drs[] = {{3, DRS, 4, 0}};
    bind_one(&c, 160, 14, 6, drs);
    call(&c, 170, 178, 7, 3, 0, 64, 64);
    /* a request whose middle segment was not captured, then one after it */
    p.n = 0;
    request_pdu(&p, 3, 8, 0, 7, 600);
    pg_tcp_send(&c, at_ms(180), PG_CLIENT, p.b, 300, 0);
    c.side[PG_CLIENT].snd_nxt += 200;
    pg_tcp_send(&c, at_ms(181), PG_CLIENT, p.b + 500, p.n - 500, PG_TCP_PUSH);
    call(&c, 190, 193, 9, 0, 7, 16, 16);
    pg_tcp_rst(&c, at_ms(200), PG_CLIENT);
}

/* A bind refused outright (bind_nak), big-endian. */
static void nak_session(pg_writer *w) {
    pg_tcp_conv c;
    pg_tcp_peer a = kit_peer(3, 40003, 3000), b = kit_peer(9, 49668, 7000);
    pg_tcp_init(&c, w, 4, &a, &b);
    pg_tcp_handshake(&c, at_ms(300), PG_MS(1));
    wb p = {.n = 0, .be = true};
    item it[] = {{0, SRVSVC, 3, 0}};
    bind_pdu(&p, 11, 1, it, 1);
    send(&c, 303, PG_CLIENT, &p);
    p.n = 0;
    nak_pdu(&p, 1, 4);
    send(&c, 304, PG_SERVER, &p);
    pg_tcp_fin(&c, at_ms(310), PG_SERVER);
    pg_tcp_fin(&c, at_ms(311), PG_CLIENT);
}

static bool write_capture(const char *path) {
    pg_writer *w;
    if (pg_open(&w, path, NULL) != PG_OK) return false;
    epm_session(w);
    dynamic_session(w);
    nak_session(w);
    return pg_close(w) == PG_OK;
}

static pa_registry reg;
static pa_config cfg;

static const char *getstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static json_int_t geti(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static json_t *srt_row(json_t *sec, const char *iface, const char *op) {
    json_t *rows = json_object_get(sec, "srt");
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        if (!strcmp(getstr(r, "interface"), iface) && !strcmp(getstr(r, "operation"), op)) return r;
    }
    return NULL;
}

static void test_tool(const char *dir) {
    pa_tools_state *state = kit_tools(&reg, &cfg, dir);
    CHECK(state != NULL);
    pa_tool_result r;
    json_t *s = kit_call(&reg, &cfg, state, "analyze_application_response_times",
                         "{\"pcap_file\":\"dcerpc.pcap\",\"protocol\":\"dcerpc\"}", &r);
    json_t *sec = json_array_get(json_object_get(s, "sections"), 0);
    CHECK_STR(getstr(sec, "name"), "dcerpc");
    /* answered calls: 2 Map, Connect5, LookupDomain, QueryUserInfo, DsBind, the call after the hole */
    CHECK(geti(json_object_get(sec, "overall"), "samples") == 7);
    json_t *map = srt_row(sec, "EPMv4", "Map");
    CHECK(map && geti(map, "calls") == 2);
    CHECK(map && fabs(json_real_value(json_object_get(map, "min_s")) - 0.002) < 1e-6);
    CHECK(map && fabs(json_real_value(json_object_get(map, "max_s")) - 0.005) < 1e-6);
    CHECK(map && fabs(json_real_value(json_object_get(map, "avg_s")) - 0.0035) < 1e-6);
    /* a fragmented response is timed once, at its last fragment, as tshark's tap times it */
    json_t *qui = srt_row(sec, "SAMR", "QueryUserInfo");
    CHECK(qui && geti(qui, "calls") == 1);
    CHECK(qui && fabs(json_real_value(json_object_get(qui, "max_s")) - 0.012) < 1e-6);
    json_t *faults = json_object_get(sec, "faults");
    CHECK(json_array_size(faults) == 2);
    CHECK_STR(getstr(json_array_get(faults, 0), "status"), "nca_op_rng_error");
    CHECK_STR(getstr(json_array_get(faults, 0), "operation"), "opnum 9");
    CHECK_STR(getstr(json_array_get(faults, 1), "status"), "nca_s_fault_access_denied");
    CHECK_STR(getstr(json_array_get(faults, 1), "interface"), "LSARPC");
    CHECK_STR(getstr(json_array_get(faults, 1), "operation"), "lsa_Delete");
    json_t *rej = json_object_get(sec, "bind_rejections");
    CHECK(json_array_size(rej) == 2);
    CHECK_STR(getstr(json_array_get(rej, 0), "result"), "Provider rejection");
    CHECK_STR(getstr(json_array_get(rej, 0), "reason"), "Abstract syntax not supported");
    CHECK_STR(getstr(json_array_get(rej, 1), "result"), "Bind_nak");
    CHECK_STR(getstr(json_array_get(rej, 1), "reason"), "Protocol version not supported");
    CHECK(geti(json_object_get(sec, "pdus"), "Fault") == 2);
    CHECK_CONTAINS(r.text.data, "nca_op_rng_error");
    pa_tool_result_free(&r);
    pa_tools_state_free(state);
    pa_registry_free(&reg);
}

int main(int argc, char **argv) {
    test_parse();
    test_pipe();
    test_carried();
    char path[1200];
    const char *dir = kit_capture_path(argc, argv, "dcerpc_gen", "dcerpc.pcap", path, sizeof path);
    CHECK(write_capture(path));
    test_tool(dir);
    return check_done("dcerpc");
}
