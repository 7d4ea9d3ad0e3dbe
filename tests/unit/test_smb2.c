/* SMB2: the parser on built and hostile messages (NBSS headers Wireshark
 * takes for continuations, every truncation of a header and of each body,
 * directory entries, UTF-16 names, SMB1 AndX chains), and a generated
 * capture read through analyze_application_response_times: compounded
 * requests and responses, a message cut across segments, an async
 * STATUS_PENDING interim response, a repeated message id, a keep-alive, a
 * transform header, a capture that starts mid-message, SMB1 then SMB2 over
 * NetBIOS on 139, a pipe on IPC$, and more requests than a connection
 * keeps. tests/corpus/compare_smb2.mjs reads the capture against tshark.
 * Usage: test_smb2 [DIR] (where smb2.pcap is written; default smb2_gen) */
#include <stdlib.h>

#include "check.h"
#include "smb2_analyzer.h"
#include "test_kit.h"

/* ---- building messages ------------------------------------------------ */

typedef struct wb {
    uint8_t b[4096];
    size_t n;
} wb;

static void u8(wb *w, uint8_t v) {
    if (w->n < sizeof w->b) w->b[w->n++] = v;
}
static void le16(wb *w, uint16_t v) {
    u8(w, (uint8_t)v);
    u8(w, (uint8_t)(v >> 8));
}
static void le32(wb *w, uint32_t v) {
    le16(w, (uint16_t)v);
    le16(w, (uint16_t)(v >> 16));
}
static void le64(wb *w, uint64_t v) {
    le32(w, (uint32_t)v);
    le32(w, (uint32_t)(v >> 32));
}
static void zeros(wb *w, size_t n) {
    for (size_t i = 0; i < n; i++) u8(w, 0);
}
static void utf16(wb *w, const char *s) {
    for (; *s; s++) le16(w, (uint8_t)*s);
}
static void put16_at(wb *w, size_t at, uint16_t v) {
    w->b[at] = (uint8_t)v;
    w->b[at + 1] = (uint8_t)(v >> 8);
}
static void put32_at(wb *w, size_t at, uint32_t v) {
    put16_at(w, at, (uint16_t)v);
    put16_at(w, at + 2, (uint16_t)(v >> 16));
}

typedef struct hdr {
    uint16_t cmd;
    uint32_t status, flags;
    uint64_t msg_id, sesid, async_id;
    uint32_t tid;
} hdr;

#define RESP PA_SMB2_FLAG_RESPONSE
#define ASYNC PA_SMB2_FLAG_ASYNC

/* An SMB2 header at w's end; returns where it starts (NextCommand patched later). */
static size_t header(wb *w, const hdr *h) {
    size_t at = w->n;
    u8(w, 0xFE);
    u8(w, 'S');
    u8(w, 'M');
    u8(w, 'B');
    le16(w, 64);
    le16(w, 1);
    le32(w, h->status);
    le16(w, h->cmd);
    le16(w, 1);
    le32(w, h->flags);
    le32(w, 0);
    le64(w, h->msg_id);
    if (h->flags & ASYNC) {
        le64(w, h->async_id);
    } else {
        le32(w, 0xFEFF);
        le32(w, h->tid);
    }
    le64(w, h->sesid);
    zeros(w, 16);
    return at;
}

static void error_body(wb *w) {
    le16(w, 9);
    zeros(w, 6);
    u8(w, 0);
}

/* Bodies, each after header() */
static void negotiate_req(wb *w, const uint16_t *d, uint16_t nd) {
    le16(w, 36);
    le16(w, nd);
    le16(w, 1);
    le16(w, 0);
    le32(w, 0x7F);
    zeros(w, 16 + 8);
    for (uint16_t i = 0; i < nd; i++) le16(w, d[i]);
}
static void negotiate_resp(wb *w, uint16_t dialect, uint16_t sec_mode) {
    le16(w, 65);
    le16(w, sec_mode);
    le16(w, dialect);
    le16(w, 0);
    zeros(w, 16);
    le32(w, 0x40); /* encryption capability */
    le32(w, 65536);
    le32(w, 65536);
    le32(w, 65536);
    zeros(w, 16);
    le16(w, 128);
    le16(w, 0);
    le32(w, 0);
}
static void session_req(wb *w) {
    le16(w, 25);
    zeros(w, 2 + 4 + 4);
    le16(w, 88);
    le16(w, 4);
    le64(w, 0);
    u8(w, 0x60);
    u8(w, 0x02);
    u8(w, 0x06);
    u8(w, 0x06);
}
static void session_resp(wb *w, uint16_t flags) {
    le16(w, 9);
    le16(w, flags);
    le16(w, 72);
    le16(w, 4);
    u8(w, 0xa1);
    u8(w, 0x02);
    u8(w, 0x0a);
    u8(w, 0x00);
}
static void tree_req(wb *w, size_t h, const char *path) {
    le16(w, 9);
    le16(w, 0);
    le16(w, (uint16_t)(w->n + 4 - h));
    le16(w, (uint16_t)(strlen(path) * 2));
    utf16(w, path);
}
static void tree_resp(wb *w, uint8_t type) {
    le16(w, 16);
    u8(w, type);
    u8(w, 0);
    le32(w, 0);
    le32(w, 0);
    le32(w, 0x1f01ff);
}
static void create_req(wb *w, size_t h, const char *name) {
    le16(w, 57);
    u8(w, 0);
    u8(w, 0);
    le32(w, 2);
    zeros(w, 16);
    le32(w, 0x12019f);
    le32(w, 0x80);
    le32(w, 7);
    le32(w, 1); /* FILE_OPEN */
    le32(w, 0x40);
    le16(w, (uint16_t)(w->n + 12 - h));
    le16(w, (uint16_t)(strlen(name) * 2));
    le32(w, 0);
    le32(w, 0);
    if (*name)
        utf16(w, name);
    else
        u8(w, 0);
}
static void fid(wb *w, uint8_t id) {
    le64(w, id);
    le64(w, 0x1000u + id);
}
static void create_resp(wb *w, uint8_t id) {
    le16(w, 89);
    u8(w, 0);
    u8(w, 0);
    le32(w, 1);
    zeros(w, 32);
    le64(w, 4096);
    le64(w, 100);
    le32(w, 0x80);
    le32(w, 0);
    fid(w, id);
    le32(w, 0);
    le32(w, 0);
}
static void close_req(wb *w, uint8_t id) {
    le16(w, 24);
    le16(w, 0);
    le32(w, 0);
    fid(w, id);
}
static void close_resp(wb *w) {
    le16(w, 60);
    zeros(w, 58);
}
static void read_req(wb *w, uint8_t id, uint32_t len) {
    le16(w, 49);
    u8(w, 0x50);
    u8(w, 0);
    le32(w, len);
    le64(w, 0);
    fid(w, id);
    le32(w, 1);
    le32(w, 0);
    le32(w, 0);
    le16(w, 0);
    le16(w, 0);
    u8(w, 0);
}
static void read_resp(wb *w, const char *data) {
    le16(w, 17);
    u8(w, 0x50);
    u8(w, 0);
    le32(w, (uint32_t)strlen(data));
    le32(w, 0);
    le32(w, 0);
    for (const char *p = data; *p; p++) u8(w, (uint8_t)*p);
}
static void write_req(wb *w, uint8_t id, const char *data) {
    le16(w, 49);
    le16(w, 0x70);
    le32(w, (uint32_t)strlen(data));
    le64(w, 0);
    fid(w, id);
    le32(w, 0);
    le32(w, 0);
    le16(w, 0);
    le16(w, 0);
    le32(w, 0);
    for (const char *p = data; *p; p++) u8(w, (uint8_t)*p);
}
static void write_resp(wb *w, uint32_t count) {
    le16(w, 17);
    le16(w, 0);
    le32(w, count);
    le32(w, 0);
    le16(w, 0);
    le16(w, 0);
}
static void ioctl_req(wb *w, uint32_t code, uint8_t id, const char *in, size_t inlen) {
    le16(w, 57);
    le16(w, 0);
    le32(w, code);
    fid(w, id);
    le32(w, 0x78);
    le32(w, (uint32_t)inlen);
    le32(w, 0);
    le32(w, 0x78);
    le32(w, 0);
    le32(w, 1024);
    le32(w, 1);
    le32(w, 0);
    for (size_t i = 0; i < inlen; i++) u8(w, (uint8_t)in[i]);
}
static void ioctl_resp(wb *w, uint32_t code, uint8_t id, const char *out) {
    le16(w, 49);
    le16(w, 0);
    le32(w, code);
    fid(w, id);
    le32(w, 0x70);
    le32(w, 0);
    le32(w, 0x70);
    le32(w, (uint32_t)strlen(out));
    le32(w, 0);
    le32(w, 0);
    for (const char *p = out; *p; p++) u8(w, (uint8_t)*p);
}
static void find_req(wb *w, size_t h, uint8_t id) {
    le16(w, 33);
    u8(w, 0x25);
    u8(w, 0);
    le32(w, 0);
    fid(w, id);
    le16(w, (uint16_t)(w->n + 8 - h));
    le16(w, 2);
    le32(w, 65536);
    utf16(w, "*");
}
/* FileIdBothDirectoryInformation entries */
static void find_resp(wb *w, size_t h, const char *const *names, size_t n) {
    le16(w, 9);
    size_t off_at = w->n;
    le16(w, 0);
    size_t len_at = w->n;
    le32(w, 0);
    size_t start = w->n;
    put16_at(w, off_at, (uint16_t)(start - h));
    for (size_t i = 0; i < n; i++) {
        size_t e = w->n;
        size_t nl = strlen(names[i]) * 2;
        size_t size = (104 + nl + 7) & ~(size_t)7;
        le32(w, i + 1 < n ? (uint32_t)size : 0);
        le32(w, 0);
        zeros(w, 52);
        le32(w, (uint32_t)nl);
        le32(w, 0);
        zeros(w, 2 + 24 + 2 + 8);
        utf16(w, names[i]);
        while (w->n - e < size && i + 1 < n) u8(w, 0);
    }
    put32_at(w, len_at, (uint32_t)(w->n - start));
}
static void getinfo_req(wb *w, uint8_t id) {
    le16(w, 41);
    u8(w, 1);
    u8(w, 0x12);
    le32(w, 4096);
    le16(w, 0);
    le16(w, 0);
    le32(w, 0);
    le32(w, 0);
    le32(w, 0);
    fid(w, id);
}
static void getinfo_resp(wb *w, size_t h, const char *name) {
    le16(w, 9);
    le16(w, (uint16_t)(w->n + 6 - h));
    le32(w, (uint32_t)(100 + strlen(name) * 2));
    zeros(w, 96);
    le32(w, (uint32_t)(strlen(name) * 2));
    utf16(w, name);
}

/* The NBSS session message holding w (type 0, 24-bit length). */
static void nbss(wb *out, const wb *w) {
    out->n = 0;
    u8(out, 0);
    u8(out, (uint8_t)(w->n >> 16));
    u8(out, (uint8_t)(w->n >> 8));
    u8(out, (uint8_t)w->n);
    memcpy(out->b + out->n, w->b, w->n);
    out->n += w->n;
}

/* Links compounded commands: NextCommand of the one at h to the one at next (8-aligned). */
static void chain(wb *w, size_t h, size_t next) { put32_at(w, h + 20, (uint32_t)(next - h)); }
static void align8(wb *w, size_t h) {
    while ((w->n - h) % 8) u8(w, 0);
}

/* ---- parser ----------------------------------------------------------------- */

static void test_nbss(void) {
    pa_nbss_hdr h;
    const uint8_t msg[] = {0, 0, 0, 0x44, 0xFE, 'S', 'M', 'B'};
    CHECK(pa_nbss_check(msg, sizeof msg, &h) && h.type == 0 && h.length == 0x44);
    const uint8_t big[] = {0, 0x10, 0, 0x50, 0xFE, 'S', 'M', 'B'}; /* 24-bit length on direct TCP */
    CHECK(pa_nbss_check(big, sizeof big, &h) && h.length == 0x100050);
    const uint8_t flags[] = {0, 0x10, 0, 0x50, 0x12, 0x34, 0x56, 0x78}; /* no SMB: a flags byte other than E */
    CHECK(!pa_nbss_check(flags, sizeof flags, &h));
    const uint8_t ext[] = {0, 1, 0, 4, 1, 2, 3, 4};
    CHECK(pa_nbss_check(ext, sizeof ext, &h) && h.length == 0x10004);
    const uint8_t ka[] = {0x85, 0, 0, 0};
    CHECK(pa_nbss_check(ka, sizeof ka, &h) && h.type == 0x85 && h.length == 0);
    const uint8_t ka_bad[] = {0x85, 0, 0, 1};
    CHECK(!pa_nbss_check(ka_bad, sizeof ka_bad, &h));
    const uint8_t req[] = {0x81, 0, 0, 0x44};
    CHECK(pa_nbss_check(req, sizeof req, &h) && h.type == 0x81);
    const uint8_t req_bad[] = {0x81, 0, 1, 2}; /* longer than 256 */
    CHECK(!pa_nbss_check(req_bad, sizeof req_bad, &h));
    const uint8_t neg[] = {0x83, 0, 0, 1}, neg_bad[] = {0x83, 0, 0, 2}, rt[] = {0x84, 0, 0, 6}, zero[] = {0, 0, 0, 0};
    CHECK(pa_nbss_check(neg, 4, &h) && !pa_nbss_check(neg_bad, 4, &h) && pa_nbss_check(rt, 4, &h));
    CHECK(!pa_nbss_check(zero, 4, &h));      /* an empty session message */
    CHECK(!pa_nbss_check(msg, 3, &h));       /* fewer than 4 bytes */
    const uint8_t other[] = {0x90, 0, 0, 0}; /* no such type */
    CHECK(!pa_nbss_check(other, 4, &h));
    uint8_t magic;
    CHECK(pa_nbss_smb(msg, sizeof msg, &magic) && magic == 0xFE && !pa_nbss_smb(msg, 7, &magic));
}

static void test_headers(void) {
    wb w = {.n = 0};
    hdr h = {.cmd = PA_SMB2_CREATE, .status = 0xC0000034u, .flags = RESP, .msg_id = 77, .sesid = 0x1122, .tid = 5};
    header(&w, &h);
    error_body(&w);
    pa_smb2_hdr p;
    CHECK(pa_smb2_parse_hdr(w.b, w.n, &p) && p.cmd == 5 && p.status == 0xC0000034u && p.msg_id == 77 &&
          p.sesid == 0x1122 && p.tid == 5);
    for (size_t n = 0; n < 64; n++) CHECK(!pa_smb2_parse_hdr(w.b, n, &p));
    w.n = 0;
    hdr a = {.cmd = PA_SMB2_IOCTL, .flags = RESP | ASYNC, .status = PA_NT_STATUS_PENDING, .msg_id = 9, .async_id = 3};
    header(&w, &a);
    CHECK(pa_smb2_parse_hdr(w.b, w.n, &p) && p.async_id == 3 && p.tid == 0 && p.status == PA_NT_STATUS_PENDING);
    w.b[0] = 0xFF;
    CHECK(!pa_smb2_parse_hdr(w.b, w.n, &p));
    CHECK_STR(pa_smb2_status_name(0xC0000022u), "STATUS_ACCESS_DENIED");
    CHECK_STR(pa_smb2_status_name(0xC000006Du), "STATUS_LOGON_FAILURE");
    CHECK_STR(pa_smb2_status_name(0xC0000016u), "STATUS_MORE_PROCESSING_REQUIRED");
    CHECK(pa_smb2_status_name(0xDEADBEEFu) == NULL);
    CHECK_STR(pa_smb2_ioctl_name(PA_FSCTL_PIPE_TRANSCEIVE), "FSCTL_PIPE_TRANSCEIVE");
    CHECK_STR(pa_smb2_ioctl_name(0x00140204u), "FSCTL_VALIDATE_NEGOTIATE_INFO");
    CHECK_STR(pa_smb2_cmd_name(14), "Find");
    CHECK_STR(pa_smb2_dialect_name(0x0311), "SMB 3.1.1");
}

/* Every body parses, and every truncation of it stays within bounds. */
static void body_cuts(const wb *w, const pa_smb2_hdr *h) {
    pa_smb2_body b;
    for (size_t n = 0; n <= w->n; n++) {
        uint8_t *copy = malloc(n ? n : 1); /* exactly n bytes: ASan sees a read past them */
        memcpy(copy, w->b, n);
        pa_smb2_parse_body(copy, n, h, &b);
        free(copy);
    }
}

static void test_bodies(void) {
    wb w = {.n = 0};
    pa_smb2_hdr p;
    pa_smb2_body b;
    static const uint16_t d[] = {0x202, 0x210, 0x300, 0x302, 0x311};
    hdr h = {.cmd = PA_SMB2_NEGOTIATE};
    header(&w, &h);
    negotiate_req(&w, d, 5);
    CHECK(pa_smb2_parse_hdr(w.b, w.n, &p));
    pa_smb2_parse_body(w.b, w.n, &p, &b);
    CHECK(b.parsed && b.ndialects == 5 && b.dialects[4] == 0x311);
    body_cuts(&w, &p);

    w.n = 0;
    size_t at = header(&w, &(hdr){.cmd = PA_SMB2_TREE_CONNECT, .msg_id = 3});
    tree_req(&w, at, "\\\\srv\\IPC$");
    CHECK(pa_smb2_parse_hdr(w.b, w.n, &p));
    pa_smb2_parse_body(w.b, w.n, &p, &b);
    CHECK(b.has_name && !strcmp(b.name, "\\\\srv\\IPC$"));
    body_cuts(&w, &p);

    w.n = 0;
    at = header(&w, &(hdr){.cmd = PA_SMB2_CREATE, .msg_id = 4});
    create_req(&w, at, "dir\\file.txt");
    CHECK(pa_smb2_parse_hdr(w.b, w.n, &p));
    pa_smb2_parse_body(w.b, w.n, &p, &b);
    CHECK(b.has_name && !strcmp(b.name, "dir\\file.txt") && b.disposition == 1);
    body_cuts(&w, &p);

    w.n = 0;
    header(&w, &(hdr){.cmd = PA_SMB2_CREATE, .flags = RESP, .msg_id = 4});
    create_resp(&w, 7);
    CHECK(pa_smb2_parse_hdr(w.b, w.n, &p));
    pa_smb2_parse_body(w.b, w.n, &p, &b);
    CHECK(b.has_fid && b.fid[0] == 7 && b.create_action == 1);
    body_cuts(&w, &p);

    w.n = 0;
    header(&w, &(hdr){.cmd = PA_SMB2_WRITE, .msg_id = 5});
    write_req(&w, 7, "abcdef");
    CHECK(pa_smb2_parse_hdr(w.b, w.n, &p));
    pa_smb2_parse_body(w.b, w.n, &p, &b);
    CHECK(b.has_fid && b.length == 6 && b.data_off == 0x70 && b.data_len == 6 && !memcmp(w.b + b.data_off, "abc", 3));
    body_cuts(&w, &p);

    w.n = 0;
    header(&w, &(hdr){.cmd = PA_SMB2_IOCTL, .flags = RESP, .msg_id = 6});
    ioctl_resp(&w, PA_FSCTL_PIPE_TRANSCEIVE, 7, "xyz");
    CHECK(pa_smb2_parse_hdr(w.b, w.n, &p));
    pa_smb2_parse_body(w.b, w.n, &p, &b);
    CHECK(b.ctl_code == PA_FSCTL_PIPE_TRANSCEIVE && b.data_len == 3 && !memcmp(w.b + b.data_off, "xyz", 3));
    body_cuts(&w, &p);

    /* an error response has no body to read */
    w.n = 0;
    header(&w, &(hdr){.cmd = PA_SMB2_CREATE, .flags = RESP, .status = 0xC0000022u, .msg_id = 8});
    error_body(&w);
    CHECK(pa_smb2_parse_hdr(w.b, w.n, &p));
    pa_smb2_parse_body(w.b, w.n, &p, &b);
    CHECK(!b.parsed && !b.has_fid);
}

static size_t nnames;
static char lastname[64];
static void on_name(void *ud, const char *name) {
    (void)ud;
    nnames++;
    snprintf(lastname, sizeof lastname, "%s", name);
}

static void test_names(void) {
    wb w = {.n = 0};
    static const char *const names[] = {".", "..", "a.txt", "b long name.docx"};
    size_t h = header(&w, &(hdr){.cmd = PA_SMB2_FIND, .flags = RESP});
    find_resp(&w, h, names, 4);
    pa_smb2_hdr p;
    pa_smb2_body b;
    CHECK(pa_smb2_parse_hdr(w.b, w.n, &p));
    pa_smb2_parse_body(w.b, w.n, &p, &b);
    CHECK(b.parsed && b.data_off + b.data_len == w.n);
    nnames = 0;
    CHECK(pa_smb2_find_names(w.b + b.data_off, b.data_len, 0x25, 32, on_name, NULL) == 4);
    CHECK(nnames == 4 && !strcmp(lastname, "b long name.docx"));
    /* every cut of the entries: no read past them */
    for (size_t n = 0; n < b.data_len; n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, w.b + b.data_off, n);
        pa_smb2_find_names(copy, n, 0x25, 32, on_name, NULL);
        free(copy);
    }
    CHECK(pa_smb2_find_names(w.b + b.data_off, b.data_len, 0x77, 32, on_name, NULL) == 0); /* a class not read */
    /* UTF-16: BMP, a surrogate pair, a lone surrogate, a cut that keeps characters whole */
    const uint8_t s[] = {'a', 0, 0xE9, 0, 0x3D, 0xD8, 0x00, 0xDE, 0x00, 0xDC, 'z', 0};
    char out[32];
    pa_smb2_utf16(s, sizeof s, out, sizeof out);
    CHECK_STR(out, "a\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBDz");
    pa_smb2_utf16(s, sizeof s, out, 4);
    CHECK_STR(out, "a\xC3\xA9");
    pa_smb2_utf16(s, 3, out, sizeof out);
    CHECK_STR(out, "a");
}

static void test_smb1(void) {
    /* Session Setup AndX request chaining nothing (0xFF), as smbclient sends it */
    uint8_t m[64] = {0xFF, 'S', 'M', 'B', 0x73};
    m[32] = 12;   /* word count */
    m[33] = 0xFF; /* AndX command */
    uint8_t cmds[8];
    CHECK(pa_smb1_cmds(m, sizeof m, cmds, 8) == 2 && cmds[0] == 0x73 && cmds[1] == 0xFF);
    m[32] = 0; /* an error response: no parameter words */
    CHECK(pa_smb1_cmds(m, sizeof m, cmds, 8) == 1);
    m[32] = 3;
    m[33] = 0x75; /* chained Tree Connect AndX at offset 40, which points back: stops */
    m[35] = 40;
    m[40] = 3;
    m[41] = 0xA2;
    m[43] = 10;
    CHECK(pa_smb1_cmds(m, sizeof m, cmds, 8) == 3 && cmds[1] == 0x75 && cmds[2] == 0xA2);
    for (size_t n = 0; n < sizeof m; n++) pa_smb1_cmds(m, n, cmds, 8);
    /* a negotiate offering SMB2 */
    uint8_t neg[80] = {0xFF, 'S', 'M', 'B', 0x72};
    const char dialects[] = "\x02NT LM 0.12\0\x02SMB 2.002\0\x02SMB 2.???";
    neg[32] = 0;
    neg[33] = sizeof dialects;
    memcpy(neg + 35, dialects, sizeof dialects);
    uint32_t count;
    bool smb2;
    pa_smb1_negotiate_dialects(neg, sizeof neg, &count, &smb2);
    CHECK(count == 3 && smb2);
}

/* ---- a capture ------------------------------------------------------------------------- */

static const pg_ts t0 = {1767225600, 0};
static pg_ts at_us(uint64_t us) { return pg_ts_add(t0, us * 1000); }

typedef struct conv {
    pg_tcp_conv c;
    uint64_t us;
    uint64_t msg_id;
} conv;

static void send_msg(conv *k, int from, const wb *w, uint64_t gap_us) {
    wb n;
    nbss(&n, w);
    k->us += gap_us;
    pg_tcp_send(&k->c, at_us(k->us), from, n.b, n.n, PG_TCP_PUSH);
}

/* One request then its response (gap_us later) on a connection. */
static void exchange(conv *k, hdr h, void (*req)(wb *, size_t, const void *), void (*resp)(wb *, size_t, const void *),
                     const void *arg, uint32_t status, uint64_t gap_us) {
    wb w = {.n = 0};
    h.msg_id = k->msg_id++;
    size_t at = header(&w, &h);
    req(&w, at, arg);
    send_msg(k, PG_CLIENT, &w, 100);
    w.n = 0;
    h.flags |= RESP;
    h.status = status;
    at = header(&w, &h);
    if (status && status != PA_NT_STATUS_MORE_PROCESSING)
        error_body(&w);
    else
        resp(&w, at, arg);
    send_msg(k, PG_SERVER, &w, gap_us);
}

static void b_neg_req(wb *w, size_t h, const void *a) {
    (void)h;
    (void)a;
    static const uint16_t d[] = {0x202, 0x210, 0x300, 0x311};
    negotiate_req(w, d, 4);
}
static void b_neg_resp(wb *w, size_t h, const void *a) {
    (void)h;
    (void)a;
    negotiate_resp(w, 0x311, 3);
}
static void b_sess_req(wb *w, size_t h, const void *a) {
    (void)h;
    (void)a;
    session_req(w);
}
static void b_sess_resp(wb *w, size_t h, const void *a) {
    (void)h;
    session_resp(w, a ? *(const uint16_t *)a : 0);
}
static void b_tree_req(wb *w, size_t h, const void *a) { tree_req(w, h, a); }
static void b_tree_resp(wb *w, size_t h, const void *a) {
    (void)h;
    tree_resp(w, strstr(a, "IPC$") ? 2 : 1);
}
static void b_create_req(wb *w, size_t h, const void *a) { create_req(w, h, (const char *)a + 1); }
static void b_create_resp(wb *w, size_t h, const void *a) {
    (void)h;
    create_resp(w, *(const uint8_t *)a);
}
static void b_read_req(wb *w, size_t h, const void *a) {
    (void)h;
    read_req(w, *(const uint8_t *)a, 5);
}
static void b_read_resp(wb *w, size_t h, const void *a) {
    (void)h;
    (void)a;
    read_resp(w, "hello");
}
static void b_getinfo_req(wb *w, size_t h, const void *a) {
    (void)h;
    getinfo_req(w, *(const uint8_t *)a);
}
static void b_getinfo_resp(wb *w, size_t h, const void *a) {
    (void)a;
    getinfo_resp(w, h, "\\a.txt");
}
static void b_find_req(wb *w, size_t h, const void *a) { find_req(w, h, *(const uint8_t *)a); }
static void b_find_resp(wb *w, size_t h, const void *a) {
    (void)a;
    static const char *const names[] = {".", "..", "a.txt"};
    find_resp(w, h, names, 3);
}

/* Negotiate, two session setup legs, a tree connect: the session ready. */
static void logon(conv *k, uint64_t sesid, const char *tree, uint16_t session_flags, uint32_t tid) {
    exchange(k, (hdr){.cmd = PA_SMB2_NEGOTIATE}, b_neg_req, b_neg_resp, NULL, 0, 900);
    exchange(k, (hdr){.cmd = PA_SMB2_SESSION_SETUP, .sesid = sesid}, b_sess_req, b_sess_resp, NULL,
             PA_NT_STATUS_MORE_PROCESSING, 700);
    exchange(k, (hdr){.cmd = PA_SMB2_SESSION_SETUP, .sesid = sesid}, b_sess_req, b_sess_resp, &session_flags, 0, 1500);
    exchange(k, (hdr){.cmd = PA_SMB2_TREE_CONNECT, .sesid = sesid, .tid = tid}, b_tree_req, b_tree_resp, tree, 0, 300);
}

static void conn_init(conv *k, pg_writer *w, uint8_t host, uint16_t sport, uint64_t us) {
    pg_tcp_peer a = kit_peer(host, (uint16_t)(50000 + host), 1000u * host), b = kit_peer(9, sport, 7777);
    pg_tcp_init(&k->c, w, 4, &a, &b);
    k->us = us;
    k->msg_id = 0;
    pg_tcp_handshake(&k->c, at_us(us), 200000);
    k->us += 1000;
}

/* A share session: files created, read, found, compounded, an async ioctl. */
static void share_session(pg_writer *w) {
    conv k;
    conn_init(&k, w, 1, 445, 0);
    const uint64_t ses = 0x0000100000000041ull;
    logon(&k, ses, "\\\\srv\\share", 0, 1);
    hdr base = {.sesid = ses, .tid = 1};
    static const uint8_t f1[] = {1, 'a', '.', 't', 'x', 't', 0}, f2[] = {2, 'b', '.', 't', 'x', 't', 0},
                         root[] = {3, 0};
    base.cmd = PA_SMB2_CREATE;
    exchange(&k, base, b_create_req, b_create_resp, f1, 0, 400);
    base.cmd = PA_SMB2_READ;
    exchange(&k, base, b_read_req, b_read_resp, f1, 0, 250);
    base.cmd = PA_SMB2_GETINFO;
    exchange(&k, base, b_getinfo_req, b_getinfo_resp, f1, 0, 120);
    base.cmd = PA_SMB2_CREATE;
    exchange(&k, base, b_create_req, b_create_resp, f2, 0xC0000034u, 180); /* STATUS_OBJECT_NAME_NOT_FOUND */
    exchange(&k, base, b_create_req, b_create_resp, root, 0, 210);
    base.cmd = PA_SMB2_FIND;
    exchange(&k, base, b_find_req, b_find_resp, root, 0, 330);
    exchange(&k, base, b_find_req, b_find_resp, root, 0x80000006u, 90); /* STATUS_NO_MORE_FILES */

    /* a compound: create + close of the same file, one NBSS message cut in
     * three segments (the 4-byte header alone first) */
    wb m = {.n = 0}, n;
    uint64_t id = k.msg_id;
    size_t h1 = header(&m, &(hdr){.cmd = PA_SMB2_CREATE, .msg_id = id, .sesid = ses, .tid = 1});
    create_req(&m, h1, "c.txt");
    align8(&m, h1);
    size_t h2 = header(
        &m, &(hdr){.cmd = PA_SMB2_CLOSE, .msg_id = id + 1, .sesid = ses, .tid = 1, .flags = PA_SMB2_FLAG_CHAINED});
    close_req(&m, 0xFF);
    chain(&m, h1, h2);
    nbss(&n, &m);
    k.us += 100;
    pg_tcp_send(&k.c, at_us(k.us), PG_CLIENT, n.b, 4, 0);
    pg_tcp_send(&k.c, at_us(k.us + 10), PG_CLIENT, n.b + 4, 60, 0);
    pg_tcp_send(&k.c, at_us(k.us + 20), PG_CLIENT, n.b + 64, n.n - 64, PG_TCP_PUSH);
    k.us += 20;
    m.n = 0;
    h1 = header(&m, &(hdr){.cmd = PA_SMB2_CREATE, .msg_id = id, .sesid = ses, .tid = 1, .flags = RESP});
    create_resp(&m, 4);
    align8(&m, h1);
    h2 = header(
        &m,
        &(hdr){.cmd = PA_SMB2_CLOSE, .msg_id = id + 1, .sesid = ses, .tid = 1, .flags = RESP | PA_SMB2_FLAG_CHAINED});
    close_resp(&m);
    chain(&m, h1, h2);
    send_msg(&k, PG_SERVER, &m, 640);
    k.msg_id += 2;

    /* a request repeated with its message id before any response: the later one is timed */
    m.n = 0;
    header(&m, &(hdr){.cmd = PA_SMB2_READ, .msg_id = k.msg_id, .sesid = ses, .tid = 1});
    read_req(&m, 1, 5);
    send_msg(&k, PG_CLIENT, &m, 100);
    send_msg(&k, PG_CLIENT, &m, 5000);
    m.n = 0;
    header(&m, &(hdr){.cmd = PA_SMB2_READ, .msg_id = k.msg_id, .sesid = ses, .tid = 1, .flags = RESP});
    read_resp(&m, "hello");
    send_msg(&k, PG_SERVER, &m, 260);
    k.msg_id++;

    /* an async ioctl: STATUS_PENDING interim, then the final response */
    m.n = 0;
    header(&m, &(hdr){.cmd = PA_SMB2_IOCTL, .msg_id = k.msg_id, .sesid = ses, .tid = 1});
    /* capabilities, client GUID, security mode, 2 dialects: 0x0300 and 0x0311 */
    ioctl_req(&m, 0x00140204u, 0xFF, "0123456789abcdefghijkl\x02\x00\x00\x03\x11\x03", 28);
    send_msg(&k, PG_CLIENT, &m, 100);
    m.n = 0;
    header(&m, &(hdr){.cmd = PA_SMB2_IOCTL,
                      .msg_id = k.msg_id,
                      .sesid = ses,
                      .flags = RESP | ASYNC,
                      .async_id = 8,
                      .status = PA_NT_STATUS_PENDING});
    error_body(&m);
    send_msg(&k, PG_SERVER, &m, 150);
    m.n = 0;
    header(&m, &(hdr){.cmd = PA_SMB2_IOCTL, .msg_id = k.msg_id, .sesid = ses, .flags = RESP | ASYNC, .async_id = 8});
    /* capabilities, server GUID, security mode, then the dialect: 0x0311 */
    ioctl_resp(&m, 0x00140204u, 0xFF, "0123456789abcdefghijkl\x11\x03");
    send_msg(&k, PG_SERVER, &m, 3000);
    k.msg_id++;

    /* a keep-alive, then an encrypted message (transform header) */
    static const uint8_t ka[] = {0x85, 0, 0, 0};
    k.us += 100;
    pg_tcp_send(&k.c, at_us(k.us), PG_CLIENT, ka, sizeof ka, PG_TCP_PUSH);
    m.n = 0;
    u8(&m, 0xFD);
    u8(&m, 'S');
    u8(&m, 'M');
    u8(&m, 'B');
    zeros(&m, 32);
    le32(&m, 80);
    le16(&m, 0);
    le16(&m, 1);
    le64(&m, ses);
    zeros(&m, 80);
    send_msg(&k, PG_CLIENT, &m, 100);
    pg_tcp_fin(&k.c, at_us(k.us + 100), PG_CLIENT);
    pg_tcp_fin(&k.c, at_us(k.us + 200), PG_SERVER);
}

/* IPC$ and a pipe: create srvsvc, write, transceive, read; a failed logon. */
static void pipe_session(pg_writer *w) {
    conv k;
    conn_init(&k, w, 2, 445, 200000);
    const uint64_t ses = 0x0000200000000011ull;
    logon(&k, ses, "\\\\srv\\IPC$", 0, 1);
    hdr base = {.cmd = PA_SMB2_CREATE, .sesid = ses, .tid = 1};
    static const uint8_t p[] = {9, 's', 'r', 'v', 's', 'v', 'c', 0};
    exchange(&k, base, b_create_req, b_create_resp, p, 0, 500);
    wb m = {.n = 0};
    header(&m, &(hdr){.cmd = PA_SMB2_WRITE, .msg_id = k.msg_id, .sesid = ses, .tid = 1});
    write_req(&m, 9, "bind-bytes");
    send_msg(&k, PG_CLIENT, &m, 100);
    m.n = 0;
    header(&m, &(hdr){.cmd = PA_SMB2_WRITE, .msg_id = k.msg_id++, .sesid = ses, .tid = 1, .flags = RESP});
    write_resp(&m, 10);
    send_msg(&k, PG_SERVER, &m, 200);
    base.cmd = PA_SMB2_READ;
    exchange(&k, base, b_read_req, b_read_resp, p, 0, 220);
    m.n = 0;
    header(&m, &(hdr){.cmd = PA_SMB2_IOCTL, .msg_id = k.msg_id, .sesid = ses, .tid = 1});
    ioctl_req(&m, PA_FSCTL_PIPE_TRANSCEIVE, 9, "request", 7);
    send_msg(&k, PG_CLIENT, &m, 100);
    m.n = 0;
    header(&m, &(hdr){.cmd = PA_SMB2_IOCTL, .msg_id = k.msg_id++, .sesid = ses, .tid = 1, .flags = RESP});
    ioctl_resp(&m, PA_FSCTL_PIPE_TRANSCEIVE, 9, "response!");
    send_msg(&k, PG_SERVER, &m, 800);
    /* a second session whose logon fails */
    const uint16_t guest = 0;
    exchange(&k, (hdr){.cmd = PA_SMB2_SESSION_SETUP, .sesid = 0x99}, b_sess_req, b_sess_resp, &guest,
             PA_NT_STATUS_MORE_PROCESSING, 400);
    exchange(&k, (hdr){.cmd = PA_SMB2_SESSION_SETUP, .sesid = 0x99}, b_sess_req, b_sess_resp, &guest, 0xC000006Du, 900);
}

/* NetBIOS on 139: session request, positive response, SMB1 negotiate, SMB2 from then on. */
static void netbios_session(pg_writer *w) {
    conv k;
    conn_init(&k, w, 3, 139, 400000);
    uint8_t req[72] = {0x81, 0, 0, 68, 0x20};
    memset(req + 5, 'A', 32);
    req[37] = 0;
    req[38] = 0x20;
    memset(req + 39, 'B', 32);
    req[71] = 0;
    k.us += 100;
    pg_tcp_send(&k.c, at_us(k.us), PG_CLIENT, req, sizeof req, PG_TCP_PUSH);
    static const uint8_t pos[] = {0x82, 0, 0, 0};
    k.us += 100;
    pg_tcp_send(&k.c, at_us(k.us), PG_SERVER, pos, sizeof pos, PG_TCP_PUSH);
    wb m = {.n = 0};
    const char dialects[] = "\x02NT LM 0.12\0\x02SMB 2.002\0\x02SMB 2.???";
    u8(&m, 0xFF);
    u8(&m, 'S');
    u8(&m, 'M');
    u8(&m, 'B');
    u8(&m, 0x72);
    zeros(&m, 4);
    u8(&m, 0x18);
    le16(&m, 0xC853);
    zeros(&m, 20);
    u8(&m, 0);
    le16(&m, sizeof dialects);
    memcpy(m.b + m.n, dialects, sizeof dialects);
    m.n += sizeof dialects;
    wb n = {.n = 0};
    u8(&n, 0);
    u8(&n, 0);
    le16(&n, 0);
    n.b[3] = (uint8_t)m.n;
    n.b[2] = (uint8_t)(m.n >> 8);
    memcpy(n.b + 4, m.b, m.n);
    n.n = 4 + m.n;
    k.us += 100;
    pg_tcp_send(&k.c, at_us(k.us), PG_CLIENT, n.b, n.n, PG_TCP_PUSH);
    m.n = 0;
    header(&m, &(hdr){.cmd = PA_SMB2_NEGOTIATE, .flags = RESP});
    negotiate_resp(&m, 0x2FF, 1);
    send_msg(&k, PG_SERVER, &m, 700);
    k.msg_id = 1;
    logon(&k, 0x77, "\\\\srv\\data", 1, 1); /* a guest session */
}

/* A connection seen from its middle: the server's message names it; the
 * client's first bytes start no header (an NBSS continuation), and a
 * message after them does. */
static void midstream(pg_writer *w) {
    pg_tcp_conv c;
    pg_tcp_peer a = kit_peer(4, 50004, 4000), b = kit_peer(9, 445, 9999);
    pg_tcp_init(&c, w, 4, &a, &b);
    c.side[0].snd_nxt = 4001 + 1000;
    c.side[1].snd_nxt = 10000 + 5000;
    c.side[0].rcv_nxt = c.side[1].snd_nxt;
    c.side[1].rcv_nxt = c.side[0].snd_nxt;
    c.side[0].rcv_valid = c.side[1].rcv_valid = true;
    wb m = {.n = 0}, n;
    header(&m, &(hdr){.cmd = PA_SMB2_SESSION_SETUP, .msg_id = 40, .sesid = 0x55, .flags = RESP});
    session_resp(&m, 0);
    nbss(&n, &m);
    pg_tcp_send(&c, at_us(600000), PG_SERVER, n.b, n.n, PG_TCP_PUSH);
    uint8_t junk[300];
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = (uint8_t)(i * 37 + 11);
    pg_tcp_send(&c, at_us(600300), PG_CLIENT, junk, sizeof junk, PG_TCP_PUSH);
    m.n = 0;
    header(&m, &(hdr){.cmd = PA_SMB2_LOGOFF, .msg_id = 41, .sesid = 0x55});
    le16(&m, 4);
    le16(&m, 0);
    nbss(&n, &m);
    pg_tcp_send(&c, at_us(600500), PG_CLIENT, n.b, n.n, PG_TCP_PUSH);
}

/* More requests waiting than a connection keeps: the oldest are given up. */
static void flood(pg_writer *w) {
    conv k;
    conn_init(&k, w, 5, 445, 700000);
    wb out = {.n = 0};
    for (uint64_t i = 0; i < PA_SMB2_PENDING + 4; i++) {
        wb m = {.n = 0}, n;
        header(&m, &(hdr){.cmd = PA_SMB2_KEEPALIVE, .msg_id = 1000 + i, .sesid = 0x66});
        le16(&m, 4);
        le16(&m, 0);
        nbss(&n, &m);
        memcpy(out.b + out.n, n.b, n.n);
        out.n += n.n;
        if (out.n + n.n > sizeof out.b || i + 1 == PA_SMB2_PENDING + 4) {
            k.us += 50;
            pg_tcp_send(&k.c, at_us(k.us), PG_CLIENT, out.b, out.n, PG_TCP_PUSH);
            out.n = 0;
        }
    }
}

static bool write_capture(const char *path) {
    pg_writer *w;
    if (pg_open(&w, path, NULL) != PG_OK) return false;
    share_session(w);
    pipe_session(w);
    netbios_session(w);
    midstream(w);
    flood(w);
    return pg_close(w) == PG_OK;
}

static const json_t *srt_row(const json_t *sec, int index) {
    const json_t *rows = json_object_get(sec, "srt"), *r;
    size_t i;
    json_array_foreach(rows, i, r) if (json_integer_value(json_object_get(r, "index")) == index) return r;
    return NULL;
}

static long long srt_calls(const json_t *sec, int index) {
    const json_t *r = srt_row(sec, index);
    return r ? json_integer_value(json_object_get(r, "calls")) : 0;
}

static double srt_max(const json_t *sec, int index) {
    const json_t *r = srt_row(sec, index);
    return r ? json_real_value(json_object_get(r, "max_s")) : -1;
}

static void test_tool(const char *dir) {
    pa_registry reg;
    pa_config cfg;
    pa_tools_state *state = kit_tools(&reg, &cfg, dir);
    CHECK(state != NULL);
    if (!state) return;
    pa_tool_result res;
    json_t *sc = kit_call(&reg, &cfg, state, "analyze_application_response_times",
                          "{\"pcap_file\":\"smb2.pcap\",\"protocol\":\"smb2\",\"limit\":50}", &res);
    const json_t *sec = sc ? json_array_get(json_object_get(sc, "sections"), 0) : NULL;
    CHECK(sec != NULL);
    if (sec) {
        /* negotiates: 3 on 445-style sessions with an SMB2 request (the 139 one answers an SMB1 request) */
        CHECK(srt_calls(sec, PA_SMB2_NEGOTIATE) == 3);
        CHECK(srt_calls(sec, PA_SMB2_SESSION_SETUP) == 8);
        CHECK(srt_calls(sec, PA_SMB2_TREE_CONNECT) == 3);
        CHECK(srt_calls(sec, PA_SMB2_CREATE) == 5);
        CHECK(srt_calls(sec, PA_SMB2_CLOSE) == 1);
        CHECK(srt_calls(sec, PA_SMB2_READ) == 3);
        /* the repeated read is timed from its second copy: 260 us, not 5.26 ms */
        CHECK(srt_max(sec, PA_SMB2_READ) < 0.001);
        /* the async ioctl: from its request to the final response, the interim left out */
        CHECK(srt_calls(sec, PA_SMB2_IOCTL) == 2);
        CHECK(srt_max(sec, PA_SMB2_IOCTL) > 0.003 && srt_max(sec, PA_SMB2_IOCTL) < 0.0032);
        CHECK(srt_calls(sec, PA_SMB2_FIND) == 2);
        CHECK(srt_calls(sec, PA_SMB2_WRITE) == 1);
        const json_t *m = json_object_get(sec, "messages");
        CHECK(json_integer_value(json_object_get(m, "interim_pending")) == 1);
        CHECK(json_integer_value(json_object_get(m, "encrypted")) == 1);
        CHECK(json_integer_value(json_object_get(m, "nbss_continuations")) == 1);
        CHECK(json_integer_value(json_object_get(m, "smb1_negotiates")) == 1);
        CHECK(json_integer_value(json_object_get(m, "smb1_offers_smb2")) == 1);
        CHECK(json_integer_value(json_object_get(m, "nbss_other")) == 3); /* request, positive response, keep-alive */
        CHECK(json_integer_value(json_object_get(m, "pending_dropped")) == 4);
        const json_t *pipes = json_object_get(sec, "pipes");
        CHECK(json_array_size(pipes) == 1);
        const json_t *pp = json_array_get(pipes, 0);
        CHECK_STR(json_string_value(json_object_get(pp, "pipe")), "srvsvc");
        CHECK(json_integer_value(json_object_get(pp, "bytes_to_server")) == 10 + 7);
        CHECK(json_integer_value(json_object_get(pp, "bytes_to_client")) == 5 + 9);
        const json_t *errs = json_object_get(sec, "nt_errors"), *e;
        size_t i;
        bool logon_failure = false, not_found = false;
        json_array_foreach(errs, i, e) {
            const char *s = json_string_value(json_object_get(e, "status"));
            if (s && !strcmp(s, "STATUS_LOGON_FAILURE")) logon_failure = true;
            if (s && !strcmp(s, "STATUS_OBJECT_NAME_NOT_FOUND")) not_found = true;
        }
        CHECK(logon_failure && not_found);
        const json_t *ss = json_object_get(sec, "smb2_sessions"), *s;
        bool encrypted = false, guest = false;
        json_array_foreach(ss, i, s) {
            if (json_is_true(json_object_get(s, "encrypted"))) encrypted = true;
            if (json_is_true(json_object_get(s, "guest"))) guest = true;
            if (!strcmp(json_string_value(json_object_get(s, "session_id")), "0x0000100000000041")) {
                CHECK_STR(json_string_value(json_object_get(s, "dialect")), "SMB 3.1.1");
                CHECK(json_is_true(json_object_get(s, "signing_required")));
            }
        }
        CHECK(encrypted && guest);
    }
    CHECK_CONTAINS(res.text.data, "smb2 srt (tshark -z smb2,srt)");
    pa_tool_result_free(&res);
    pa_tools_state_free(state);
    pa_registry_free(&reg);
}

int main(int argc, char **argv) {
    test_nbss();
    test_headers();
    test_bodies();
    test_names();
    test_smb1();
    char path[1200];
    const char *dir = kit_capture_path(argc, argv, "smb2_gen", "smb2.pcap", path, sizeof path);
    CHECK(write_capture(path));
    test_tool(dir);
    return check_done("smb2");
}
