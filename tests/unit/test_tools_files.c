/* list_captured_files through the registry (which also checks every result
 * against the tool's outputSchema). */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "tools.h"

static char dir[64];
static pa_registry reg;
static pa_config cfg;

static const unsigned char pcap_hdr[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2,    0,    4, 0, 0, 0, 0, 0,
                                           0,    0,    0,    0,    0xff, 0xff, 0, 0, 1, 0, 0, 0};
static const unsigned char pcapng_hdr[28] = {0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0,    0,    0x4d, 0x3c,
                                             0x2b, 0x1a, 1,    0,    0,  0, 0xff, 0xff, 0xff, 0xff,
                                             0xff, 0xff, 0xff, 0xff, 28, 0, 0,    0};

static void put(const char *name, const void *data, size_t n, time_t mtime) {
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (n) fwrite(data, 1, n, f);
    fclose(f);
    struct timespec ts[2] = {{mtime, 0}, {mtime, 0}};
    utimensat(AT_FDCWD, p, ts, 0);
}

static json_t *call(const char *args_json, pa_tool_result *res) {
    json_t *args = args_json ? json_loads(args_json, 0, NULL) : NULL;
    pa_tool_ctx ctx = {.cfg = &cfg};
    pa_tool_result_init(res);
    pa_registry_call(pa_registry_find(&reg, "list_captured_files"), &ctx, args, res);
    json_decref(args);
    return res->structured;
}

static const char *file_name(json_t *s, size_t i) {
    return json_string_value(json_object_get(json_array_get(json_object_get(s, "files"), i), "name"));
}

static void test_listing(void) {
    pa_tool_result res;
    json_t *s = call(NULL, &res);
    CHECK(!res.is_error);
    CHECK(json_integer_value(json_object_get(s, "total")) == 4);
    CHECK(json_integer_value(json_object_get(s, "returned")) == 4);
    CHECK(json_integer_value(json_object_get(s, "limit")) == 100);
    CHECK(json_integer_value(json_object_get(s, "skipped_entries")) == 2);
    CHECK(json_is_true(json_object_get(s, "listing_complete")));
    /* Newest first; equal times fall back to the name. */
    CHECK_STR(file_name(s, 0), "newest.pcapng");
    CHECK_STR(file_name(s, 1), "middle.pcap");
    CHECK_STR(file_name(s, 2), "fake.pcap");
    CHECK_STR(file_name(s, 3), "renamed.dat");
    json_t *f0 = json_array_get(json_object_get(s, "files"), 0);
    CHECK_STR(json_string_value(json_object_get(f0, "format")), "pcapng");
    CHECK(json_integer_value(json_object_get(f0, "size_bytes")) == 28);
    CHECK_STR(json_string_value(json_object_get(f0, "modified")), "2026-01-03T00:00:00Z");
    json_t *f2 = json_array_get(json_object_get(s, "files"), 2);
    CHECK_STR(json_string_value(json_object_get(f2, "format")), "none");
    json_t *f3 = json_array_get(json_object_get(s, "files"), 3);
    CHECK_STR(json_string_value(json_object_get(f3, "format")), "pcap");
    CHECK_CONTAINS(res.text.data, "4 capture files in ");
    CHECK_CONTAINS(res.text.data, "newest.pcapng");
    CHECK_CONTAINS(res.text.data, "2 entries with a capture extension were skipped");
    pa_tool_result_free(&res);
}

static void test_paging(void) {
    pa_tool_result res;
    json_t *s = call("{\"limit\":2,\"offset\":1}", &res);
    CHECK(!res.is_error);
    CHECK(json_integer_value(json_object_get(s, "total")) == 4);
    CHECK(json_integer_value(json_object_get(s, "returned")) == 2);
    CHECK_STR(file_name(s, 0), "middle.pcap");
    CHECK_STR(file_name(s, 1), "fake.pcap");
    CHECK_CONTAINS(res.text.data, "showing 2-3");
    CHECK_CONTAINS(res.text.data, "1 more: call again with offset=3");
    pa_tool_result_free(&res);

    s = call("{\"offset\":10}", &res);
    CHECK(!res.is_error);
    CHECK(json_integer_value(json_object_get(s, "returned")) == 0);
    CHECK(json_array_size(json_object_get(s, "files")) == 0);
    CHECK_CONTAINS(res.text.data, "offset 10 is past the last of 4 files.");
    pa_tool_result_free(&res);
}

static void test_bad_args(void) {
    pa_tool_result res;
    call("{\"limit\":0}", &res);
    CHECK(res.is_error);
    CHECK(res.structured == NULL);
    CHECK_CONTAINS(res.text.data, "argument 'limit'");
    CHECK_CONTAINS(res.text.data, "from 1 to 1000");
    pa_tool_result_free(&res);
    call("{\"pcap_file\":\"x\"}", &res);
    CHECK(res.is_error);
    CHECK_CONTAINS(res.text.data, "unknown argument 'pcap_file'; accepted arguments: limit, offset");
    pa_tool_result_free(&res);
}

static void test_missing_dir(void) {
    char saved[sizeof cfg.storage_dir];
    memcpy(saved, cfg.storage_dir, sizeof saved);
    snprintf(cfg.storage_dir, sizeof cfg.storage_dir, "%s/does-not-exist", dir);
    pa_tool_result res;
    call(NULL, &res);
    CHECK(res.is_error);
    CHECK_CONTAINS(res.text.data, "Cannot read the storage directory");
    pa_tool_result_free(&res);
    memcpy(cfg.storage_dir, saved, sizeof saved);
}

static void test_empty_dir(void) {
    char saved[sizeof cfg.storage_dir];
    memcpy(saved, cfg.storage_dir, sizeof saved);
    snprintf(cfg.storage_dir, sizeof cfg.storage_dir, "%s/sub", dir);
    pa_tool_result res;
    json_t *s = call(NULL, &res);
    CHECK(!res.is_error);
    CHECK(json_integer_value(json_object_get(s, "total")) == 0);
    CHECK_CONTAINS(res.text.data, "No capture files");
    pa_tool_result_free(&res);
    memcpy(cfg.storage_dir, saved, sizeof saved);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/pa_test_files_XXXXXX");
    if (!mkdtemp(dir)) return 2;
    put("newest.pcapng", pcapng_hdr, sizeof pcapng_hdr, 1767398400); /* 2026-01-03 */
    put("middle.pcap", pcap_hdr, sizeof pcap_hdr, 1767312000);       /* 2026-01-02 */
    put("fake.pcap", "not a capture", 13, 1767225600);               /* 2026-01-01 */
    put("renamed.dat", pcap_hdr, sizeof pcap_hdr, 1767225600);
    put("notes.txt", "text", 4, 1767398400);
    put(".hidden.pcap", pcap_hdr, sizeof pcap_hdr, 1767398400);
    char p[256];
    snprintf(p, sizeof p, "%s/sub", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/pipe.pcap", dir);
    mkfifo(p, 0644);
    snprintf(p, sizeof p, "%s/escape.pcap", dir);
    if (symlink("/etc/hostname", p)) return 2;

    char err[512];
    pa_registry_init(&reg);
    CHECK(pa_tools_register_builtin(&reg, err, sizeof err) == 0);
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.storage_dir, sizeof cfg.storage_dir, "%s", dir);

    test_listing();
    test_paging();
    test_bad_args();
    test_missing_dir();
    test_empty_dir();

    const char *names[] = {"newest.pcapng", "middle.pcap",  "fake.pcap", "renamed.dat",
                           "notes.txt",     ".hidden.pcap", "pipe.pcap", "escape.pcap"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/sub", dir);
    rmdir(p);
    rmdir(dir);
    pa_registry_free(&reg);
    return check_done("tools_files");
}
