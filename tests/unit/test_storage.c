/* The path resolver and format detection: only regular capture files inside
 * the storage directory are ever opened. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "storage_path.h"

static char dir[64];

static void put(const char *name, const void *data, size_t n) {
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (n) fwrite(data, 1, n, f);
    fclose(f);
}

static const unsigned char pcap_le_us[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2,    0,    4, 0, 0, 0, 0, 0,
                                             0,    0,    0,    0,    0xff, 0xff, 0, 0, 1, 0, 0, 0};
static const unsigned char pcap_be_ns[24] = {0xa1, 0xb2, 0x3c, 0x4d, 0, 2, 0,    4,    0, 0, 0, 0,
                                             0,    0,    0,    0,    0, 0, 0xff, 0xff, 0, 0, 0, 1};
static const unsigned char pcapng_le[28] = {0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0,    0,    0x4d, 0x3c,
                                            0x2b, 0x1a, 1,    0,    0,  0, 0xff, 0xff, 0xff, 0xff,
                                            0xff, 0xff, 0xff, 0xff, 28, 0, 0,    0};

static pa_resolve_status open_name(const char *name, char *err, pa_resolved *out) {
    pa_resolve_status st = pa_storage_open_capture(dir, name, strlen(name), out, err, 512);
    if (st == PA_RESOLVE_OK) close(out->fd);
    return st;
}

static void expect(const char *name, pa_resolve_status want, const char *msg_part) {
    char err[512] = "";
    pa_resolved r;
    pa_resolve_status st = open_name(name, err, &r);
    CHECK(st == want);
    if (st != want) fprintf(stderr, "  name '%s': status %d, want %d (%s)\n", name, st, want, err);
    if (msg_part) CHECK_CONTAINS(err, msg_part);
}

static void setup(void) {
    snprintf(dir, sizeof dir, "/tmp/pa_test_store_XXXXXX");
    if (!mkdtemp(dir)) abort();
    put("le.pcap", pcap_le_us, sizeof pcap_le_us);
    put("be_ns.cap", pcap_be_ns, sizeof pcap_be_ns);
    put("ng.pcapng", pcapng_le, sizeof pcapng_le);
    put("odd-extension.bin", pcap_le_us, sizeof pcap_le_us);
    put("notes.txt", "hello world\n", 12);
    put("fake.pcap", "GIF89a......", 12);
    put("empty.pcap", "", 0);
    char p[512], t[128];
    snprintf(p, sizeof p, "%s/sub", dir);
    mkdir(p, 0755);
    put("sub/inner.pcap", pcap_le_us, sizeof pcap_le_us);
    snprintf(p, sizeof p, "%s/fifo.pcap", dir);
    mkfifo(p, 0644);
    snprintf(p, sizeof p, "%s/link-inside.pcap", dir);
    if (symlink("le.pcap", p)) abort();
    snprintf(p, sizeof p, "%s/link-out.pcap", dir);
    if (symlink("/etc/passwd", p)) abort();
    snprintf(p, sizeof p, "%s/link-up.pcap", dir);
    if (symlink("../outside.pcap", p)) abort();
    snprintf(p, sizeof p, "%s/link-dev.pcap", dir);
    if (symlink("/dev/zero", p)) abort();
    /* A sibling directory whose name extends ours: prefix checks must not
     * confuse /tmp/x_evil with /tmp/x. */
    snprintf(t, sizeof t, "%s_evil", dir);
    mkdir(t, 0755);
    snprintf(p, sizeof p, "%s/le.pcap", t);
    FILE *f = fopen(p, "wb");
    fwrite(pcap_le_us, 1, sizeof pcap_le_us, f);
    fclose(f);
}

static void teardown(void) {
    const char *names[] = {"le.pcap",       "be_ns.cap",    "ng.pcapng",      "odd-extension.bin", "notes.txt",
                           "fake.pcap",     "empty.pcap",   "sub/inner.pcap", "fifo.pcap",         "link-inside.pcap",
                           "link-out.pcap", "link-up.pcap", "link-dev.pcap"};
    char p[256];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/sub", dir);
    rmdir(p);
    rmdir(dir);
    snprintf(p, sizeof p, "%s_evil/le.pcap", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s_evil", dir);
    rmdir(p);
}

static void test_accepts(void) {
    char err[512];
    pa_resolved r;
    CHECK(open_name("le.pcap", err, &r) == PA_RESOLVE_OK);
    CHECK(r.fmt.kind == PA_CAPFMT_PCAP && !r.fmt.big_endian && !r.fmt.nanosecond);
    CHECK(r.fmt.version_major == 2 && r.fmt.version_minor == 4);
    CHECK_STR(r.rel, "le.pcap");
    CHECK(r.st.st_size == 24);
    CHECK(open_name("be_ns.cap", err, &r) == PA_RESOLVE_OK);
    CHECK(r.fmt.kind == PA_CAPFMT_PCAP && r.fmt.big_endian && r.fmt.nanosecond);
    CHECK_STR(pa_capfmt_id(&r.fmt), "pcap-ns");
    CHECK(open_name("ng.pcapng", err, &r) == PA_RESOLVE_OK);
    CHECK(r.fmt.kind == PA_CAPFMT_PCAPNG && !r.fmt.big_endian && r.fmt.version_major == 1);
    /* The extension does not matter; the magic does. */
    CHECK(open_name("odd-extension.bin", err, &r) == PA_RESOLVE_OK);
    CHECK(open_name("sub/inner.pcap", err, &r) == PA_RESOLVE_OK);
    CHECK(open_name("./le.pcap", err, &r) == PA_RESOLVE_OK);
    CHECK(open_name("link-inside.pcap", err, &r) == PA_RESOLVE_OK);
    char abs[256];
    snprintf(abs, sizeof abs, "%s/le.pcap", dir);
    CHECK(open_name(abs, err, &r) == PA_RESOLVE_OK);
    CHECK_STR(r.rel, "le.pcap");
}

static void test_refuses(void) {
    expect("", PA_RESOLVE_BAD_NAME, "empty");
    expect("missing.pcap", PA_RESOLVE_NOT_FOUND, "list_captured_files");
    expect("notes.txt", PA_RESOLVE_NOT_CAPTURE, "not a capture file");
    expect("fake.pcap", PA_RESOLVE_NOT_CAPTURE, "pcapng");
    expect("empty.pcap", PA_RESOLVE_NOT_CAPTURE, "empty");
    expect("sub", PA_RESOLVE_NOT_REGULAR, "a directory");
    expect("fifo.pcap", PA_RESOLVE_NOT_REGULAR, "FIFO"); /* and it must not hang */
    expect("link-out.pcap", PA_RESOLVE_OUTSIDE, "outside");
    expect("link-up.pcap", PA_RESOLVE_OUTSIDE, "outside");
    expect("link-dev.pcap", PA_RESOLVE_OUTSIDE, "outside");
    expect("..", PA_RESOLVE_BAD_NAME, "'..'");
    expect("../le.pcap", PA_RESOLVE_BAD_NAME, "'..'");
    expect("sub/../le.pcap", PA_RESOLVE_BAD_NAME, "'..'");
    expect("sub/..", PA_RESOLVE_BAD_NAME, "'..'");
    expect("sub//../../etc/passwd", PA_RESOLVE_BAD_NAME, "'..'");
    expect("/etc/passwd", PA_RESOLVE_OUTSIDE, "outside the storage directory");
    expect("/dev/null", PA_RESOLVE_OUTSIDE, NULL);
    char p[256];
    snprintf(p, sizeof p, "%s_evil/le.pcap", dir);
    expect(p, PA_RESOLVE_OUTSIDE, NULL);
    snprintf(p, sizeof p, "%s/../le.pcap", dir);
    expect(p, PA_RESOLVE_BAD_NAME, "'..'");
    snprintf(p, sizeof p, "%s", dir);
    expect(p, PA_RESOLVE_NOT_REGULAR, "storage directory itself");
    expect("le.pcap\n", PA_RESOLVE_BAD_NAME, "control character");
    expect("a\tb", PA_RESOLVE_BAD_NAME, "control character");

    char err[512];
    pa_resolved r;
    const char with_nul[] = "le.pcap\0../../etc/passwd";
    CHECK(pa_storage_open_capture(dir, with_nul, sizeof with_nul - 1, &r, err, sizeof err) == PA_RESOLVE_BAD_NAME);
    CHECK_CONTAINS(err, "NUL");

    char longname[2048];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    expect(longname, PA_RESOLVE_BAD_NAME, "too long");
    /* A name echoed in a message is shortened and has no control bytes. */
    expect("\x1b[31mred.pcap", PA_RESOLVE_BAD_NAME, "?[31mred.pcap");
}

static void test_open_any(void) {
    char err[512];
    pa_resolved r;
    CHECK(pa_storage_open_any(dir, "notes.txt", 9, &r, err, sizeof err) == PA_RESOLVE_OK);
    CHECK(r.fmt.kind == PA_CAPFMT_NONE);
    close(r.fd);
    CHECK(pa_storage_open_any(dir, "fifo.pcap", 9, &r, err, sizeof err) == PA_RESOLVE_NOT_REGULAR);
}

static void test_magic(void) {
    pa_capfmt f = pa_capfmt_detect(pcap_le_us, 3);
    CHECK(f.kind == PA_CAPFMT_NONE);
    const unsigned char be_us[8] = {0xa1, 0xb2, 0xc3, 0xd4, 0, 2, 0, 4};
    f = pa_capfmt_detect(be_us, sizeof be_us);
    CHECK(f.kind == PA_CAPFMT_PCAP && f.big_endian && !f.nanosecond);
    const unsigned char le_ns[8] = {0x4d, 0x3c, 0xb2, 0xa1, 2, 0, 4, 0};
    f = pa_capfmt_detect(le_ns, sizeof le_ns);
    CHECK(f.kind == PA_CAPFMT_PCAP && !f.big_endian && f.nanosecond);
    const unsigned char ng_be[16] = {0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 28, 0x1a, 0x2b, 0x3c, 0x4d, 0, 1, 0, 0};
    f = pa_capfmt_detect(ng_be, sizeof ng_be);
    CHECK(f.kind == PA_CAPFMT_PCAPNG && f.big_endian && f.version_major == 1);
    const unsigned char ng_bad[16] = {0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 28, 1, 2, 3, 4, 0, 1, 0, 0};
    CHECK(pa_capfmt_detect(ng_bad, sizeof ng_bad).kind == PA_CAPFMT_NONE);
    char d[96];
    f = pa_capfmt_detect(pcap_le_us, sizeof pcap_le_us);
    pa_capfmt_describe(&f, d, sizeof d);
    CHECK_STR(d, "pcap (microsecond, little-endian, v2.4)");
}

int main(void) {
    setup();
    test_accepts();
    test_refuses();
    test_open_any();
    test_magic();
    teardown();
    return check_done("storage");
}
