/* fuzz_server: MCP sessions through pa_server_handle_line. Each input is a
 * session: an initialize request (unless the input starts with '!'), then
 * every input line as one frame. The server has the built-in tools and a
 * storage directory holding a small capture, so tools/call really runs the
 * tools (on the server's worker threads), and the built-in catalog of
 * resources, prompts and completions. At the end of the input the server
 * is shut down letting queued and running calls finish, so every call runs
 * to completion and runs are repeatable. Replies go to a memfd and must all
 * be single lines of JSON-RPC 2.0, and every request and every malformed
 * line must have been answered (less one per notifications/cancelled, which
 * may silence a call). A line starting with byte 0xFF stands for an
 * over-long frame skipped by the reader. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"
#include "jsonrpc.h"
#include "mcp_server.h"
#include "pa_limits.h"
#include "tools.h"
#include "util_log.h"

static const char init_line[] =
    "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
    "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"fuzz\",\"version\":\"1\"}}}";

static pa_config cfg;
static pa_registry reg;
static int out_fd = -1;

/* ---- the storage directory ---------------------------------------------- */

static void put_le32(FILE *f, uint32_t v) {
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    if (fwrite(b, 1, 4, f) != 4) abort();
}

static void put_frame(FILE *f, uint32_t sec, const uint8_t *d, size_t n) {
    put_le32(f, sec);
    put_le32(f, 0);
    put_le32(f, (uint32_t)n);
    put_le32(f, (uint32_t)n);
    if (fwrite(d, 1, n, f) != n) abort();
}

#define MACS 0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01
#define IP4S 10, 0, 0, 1, 10, 0, 0, 2

/* A few frames of different kinds: TCP SYN and data, UDP, ARP, ICMPv6. */
static void write_sample(const char *path) {
    static const uint8_t syn[] = {MACS, 0x08, 0x00, 0x45, 0,    0,    40,   0,    1, 0x40, 0, 64,
                                  6,    0,    0,    IP4S, 0x9c, 0x40, 0,    80,   0, 0,    0, 1,
                                  0,    0,    0,    0,    0x50, 0x02, 0xff, 0xff, 0, 0,    0, 0};
    static const uint8_t get[] = {MACS, 0x08, 0x00, 0x45, 0,    0,    56,  0,   2,   0x40, 0,   64,   6,
                                  0,    0,    IP4S, 0x9c, 0x40, 0,    80,  0,   0,   0,    2,   0,    0,
                                  0,    1,    0x50, 0x18, 0xff, 0xff, 0,   0,   0,   0,    'G', 'E',  'T',
                                  ' ',  '/',  ' ',  'H',  'T',  'T',  'P', '/', '1', '.',  '1', '\r', '\n'};
    static const uint8_t dns[] = {MACS, 0x08, 0x00, 0x45, 0, 0,  32, 0,  3, 0, 0,    64,   17,   0,
                                  0,    IP4S, 0x14, 0xe9, 0, 53, 0,  12, 0, 0, 0xde, 0xad, 0xbe, 0xef};
    static const uint8_t arp[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0,    0, 0,  0x01, 0x08, 0x06,
                                  0,    1,    0x08, 0,    6,    4,    0,    1, 0x02, 0, 0,  0,    0,    0x01,
                                  10,   0,    0,    1,    0,    0,    0,    0, 0,    0, 10, 0,    0,    2};
    static const uint8_t icmp6[] = {MACS, 0x86, 0xdd, 0x60, 0, 0, 0, 0, 8, 58,   64,   0xfe, 0x80, 0, 0, 0, 0,
                                    0,    0,    0,    0,    0, 0, 0, 0, 0, 1,    0xfe, 0x80, 0,    0, 0, 0, 0,
                                    0,    0,    0,    0,    0, 0, 0, 0, 2, 0x80, 0,    0,    0,    0, 1, 0, 1};
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    put_le32(f, 0xa1b2c3d4u);
    put_le32(f, 0x00040002u); /* version 2.4 */
    put_le32(f, 0);
    put_le32(f, 0);
    put_le32(f, 262144);
    put_le32(f, 1); /* Ethernet */
    put_frame(f, 1700000000, syn, sizeof syn);
    put_frame(f, 1700000000, get, sizeof get);
    put_frame(f, 1700000001, dns, sizeof dns);
    put_frame(f, 1700000002, arp, sizeof arp);
    put_frame(f, 1700000003, icmp6, sizeof icmp6);
    if (fclose(f) != 0) abort();
}

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    fputs(text, f);
    if (fclose(f) != 0) abort();
}

static const char *const storage_files[] = {PA_FUZZ_SERVER_CAPTURE, "notes.txt", "empty.pcap"};

static void remove_storage(void) {
    char p[sizeof cfg.storage_dir + 64];
    for (size_t i = 0; i < sizeof storage_files / sizeof storage_files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", cfg.storage_dir, storage_files[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/subdir.pcap", cfg.storage_dir);
    rmdir(p);
    /* and whatever a fuzzed capture created */
    DIR *d = opendir(cfg.storage_dir);
    for (struct dirent *e; d && (e = readdir(d));)
        if (e->d_name[0] != '.') unlinkat(dirfd(d), e->d_name, 0);
    if (d) closedir(d);
    rmdir(cfg.storage_dir);
}

static void init_once(void) {
    pa_log_set_stderr_level(PA_LOG_NONE);
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/pa-fuzz-server-XXXXXX", tmp);
    if (!mkdtemp(dir)) abort();

    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.storage_dir, sizeof cfg.storage_dir, "%s", dir);
    snprintf(cfg.temp_dir, sizeof cfg.temp_dir, "%s", dir);
    /* a fuzzed start_packet_capture (as root) stays tiny and short */
    cfg.max_capture_bytes = 4096;
    cfg.capture_timeout_s = 1;
    cfg.log_level = PA_LOG_NONE;

    char p[sizeof cfg.storage_dir + 64];
    snprintf(p, sizeof p, "%s/%s", dir, PA_FUZZ_SERVER_CAPTURE);
    write_sample(p);
    snprintf(p, sizeof p, "%s/notes.txt", dir);
    write_text(p, "not a capture\n");
    snprintf(p, sizeof p, "%s/empty.pcap", dir);
    write_text(p, "");
    snprintf(p, sizeof p, "%s/subdir.pcap", dir);
    if (mkdir(p, 0700) != 0) abort();
    atexit(remove_storage);

    pa_registry_init(&reg);
    char err[512];
    if (pa_tools_register_builtin(&reg, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_server: %s\n", err);
        abort();
    }
    out_fd = memfd_create("pa-fuzz-server-out", MFD_CLOEXEC);
    if (out_fd < 0) abort();
}

/* ---- the oracle: what the server wrote ---------------------------------- */

/* What a line must get: 1 when it needs an answer (a request or a line that
 * is not a valid message), 0 otherwise; *cancel is set for a cancellation. */
static int needs_answer(const char *line, size_t len, int *cancel) {
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) i++;
    if (i == len) return 0; /* blank: a keep-alive */
    pa_jsonrpc_msg m;
    pa_jsonrpc_parse(line, len, PA_MAX_JSON_DEPTH, &m);
    int need = m.kind == PA_MSG_REQUEST || m.kind == PA_MSG_INVALID;
    *cancel = m.kind == PA_MSG_NOTIFICATION && strcmp(m.method, "notifications/cancelled") == 0;
    pa_jsonrpc_msg_free(&m);
    return need;
}

static void check_output(size_t expected, size_t cancels) {
    size_t answers = 0;
    off_t end = lseek(out_fd, 0, SEEK_END);
    PA_FUZZ_CHECK(end >= 0);
    size_t n = (size_t)end;
    char *buf = malloc(n + 1);
    if (!buf) abort();
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(out_fd, buf + got, n - got, (off_t)got);
        PA_FUZZ_CHECK(k > 0);
        got += (size_t)k;
    }
    buf[n] = '\0';
    PA_FUZZ_CHECK(n == 0 || buf[n - 1] == '\n');
    for (char *line = buf; line < buf + n;) {
        char *nl = memchr(line, '\n', (size_t)(buf + n - line));
        PA_FUZZ_CHECK(nl != NULL);
        json_error_t je;
        /* JSON_ALLOW_NUL: an id may carry \u0000, and the reply echoes it */
        json_t *msg = json_loadb(line, (size_t)(nl - line), JSON_ALLOW_NUL, &je);
        PA_FUZZ_CHECK(json_is_object(msg));
        const char *ver = json_string_value(json_object_get(msg, "jsonrpc"));
        PA_FUZZ_CHECK(ver && strcmp(ver, "2.0") == 0);
        json_t *id = json_object_get(msg, "id");
        if (json_object_get(msg, "method")) {
            PA_FUZZ_CHECK(id == NULL); /* we only notify */
        } else {
            PA_FUZZ_CHECK(id != NULL);
            PA_FUZZ_CHECK((json_object_get(msg, "result") != NULL) != (json_object_get(msg, "error") != NULL));
            answers++;
        }
        json_decref(msg);
        line = nl + 1;
    }
    free(buf);
    if (answers + cancels < expected)
        fprintf(stderr, "fuzz_server: %zu answers for %zu requests and bad lines\n", answers, expected);
    PA_FUZZ_CHECK(answers + cancels >= expected);
    if (ftruncate(out_fd, 0) != 0 || lseek(out_fd, 0, SEEK_SET) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int ready;
    if (!ready) {
        init_once();
        ready = 1;
    }
    pa_writer w;
    pa_writer_init(&w, out_fd);
    pa_server *s = pa_server_new(&cfg, &reg, &w, NULL);
    if (!s) abort();
    pa_server_set_catalog(s, pa_tools_catalog());

    size_t pos = 0, expected = 0, cancels = 0;
    if (size && data[0] == '!') {
        pos = 1;
    } else {
        pa_server_handle_line(s, init_line, sizeof init_line - 1);
        expected++;
    }

    while (pos < size) {
        const uint8_t *nl = memchr(data + pos, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - (data + pos)) : size - pos;
        if (len && data[pos] == 0xFF) {
            pa_server_frame_too_long(s, PA_MAX_FRAME_BYTES);
            expected++;
        } else {
            /* As the line reader hands it over: NUL-terminated, no newline. */
            char *line = malloc(len + 1);
            if (!line) abort();
            memcpy(line, data + pos, len);
            line[len] = '\0';
            int cancel = 0;
            expected += (size_t)needs_answer(line, len, &cancel);
            cancels += (size_t)cancel;
            pa_server_handle_line(s, line, len);
            free(line);
        }
        pos += len + (nl ? 1 : 0);
    }
    pa_server_shutdown(s, 0);
    pa_server_free(s);
    pa_writer_destroy(&w);
    check_output(expected, cancels);
    return 0;
}
