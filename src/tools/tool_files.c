/* list_captured_files: the capture files a model can pass as pcap_file. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "pa_limits.h"
#include "storage_path.h"
#include "tool_report.h"
#include "tools.h"
#include "util_fmt.h"
#include "util_time.h"

typedef struct file_row {
    char *name;
    uint64_t size;
    int64_t mtime_s;
    long mtime_ns;
    pa_capfmt fmt;
} file_row;

static bool capture_extension(const char *name) {
    const char *dot = strrchr(name, '.');
    if (!dot) return false;
    return strcasecmp(dot, ".pcap") == 0 || strcasecmp(dot, ".pcapng") == 0 || strcasecmp(dot, ".cap") == 0;
}

static int newest_first(const void *a, const void *b) {
    const file_row *x = a, *y = b;
    if (x->mtime_s != y->mtime_s) return x->mtime_s > y->mtime_s ? -1 : 1;
    if (x->mtime_ns != y->mtime_ns) return x->mtime_ns > y->mtime_ns ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Directory entries are bytes from the file system; a name that is not
 * UTF-8 or holds control characters cannot be passed back as pcap_file
 * reliably, so it is skipped (and counted). */
static bool name_is_clean(const char *s) {
    json_t *j = json_string(s);
    if (!j) return false;
    json_decref(j);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f) return false;
    return true;
}

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    const char *dir = ctx->cfg->storage_dir;
    size_t limit = (size_t)json_integer_value(json_object_get(args, "limit"));
    size_t offset = (size_t)json_integer_value(json_object_get(args, "offset"));

    DIR *d = opendir(dir);
    if (!d) {
        pa_tool_fail(res,
                     "Cannot read the storage directory %s: %s. Set PCAP_STORAGE_PATH to a "
                     "readable directory.",
                     dir, strerror(errno));
        return;
    }
    file_row *rows = NULL;
    size_t n = 0, cap = 0, examined = 0, skipped = 0;
    bool complete = true;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue; /* ".", "..", hidden and partial files */
        if (++examined > PA_MAX_DIR_ENTRIES) {
            complete = false;
            break;
        }
        if ((examined & 255) == 0 && pa_tool_cancelled(ctx)) break;
        bool by_ext = capture_extension(de->d_name);
        if (!name_is_clean(de->d_name)) {
            if (by_ext) skipped++;
            continue;
        }
        pa_resolved rf;
        char err[512];
        if (pa_storage_open_any(dir, de->d_name, strlen(de->d_name), &rf, err, sizeof err) != PA_RESOLVE_OK) {
            if (by_ext) skipped++; /* FIFO, device, link leading outside: not offered */
            continue;
        }
        close(rf.fd);
        if (!by_ext && rf.fmt.kind == PA_CAPFMT_NONE) continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            file_row *nr = realloc(rows, ncap * sizeof *nr);
            if (!nr) break;
            rows = nr;
            cap = ncap;
        }
        rows[n] = (file_row){strdup(de->d_name), (uint64_t)rf.st.st_size, (int64_t)rf.st.st_mtim.tv_sec,
                             rf.st.st_mtim.tv_nsec, rf.fmt};
        if (!rows[n].name) break;
        n++;
    }
    closedir(d);
    if (n > 1) qsort(rows, n, sizeof *rows, newest_first);

    pa_report rep;
    pa_report_init(&rep, ctx, res);
    size_t end = offset < n ? offset + limit : offset;
    if (end > n) end = n;
    char size_txt[32], when[40], desc[96];
    if (n == 0)
        pa_buf_printf(&res->text,
                      "No capture files in %s. Copy .pcap or .pcapng files there, or record one "
                      "with a live capture.\n",
                      dir);
    else if (offset < n)
        pa_buf_printf(&res->text, "%zu capture file%s in %s (showing %zu-%zu, newest first):\n", n, n == 1 ? "" : "s",
                      dir, offset + 1, end);
    if (skipped)
        pa_buf_printf(&res->text,
                      "%zu entries with a capture extension were skipped (not regular files, "
                      "links leading outside the directory, or unusable names).\n",
                      skipped);
    if (!complete)
        pa_buf_printf(&res->text,
                      "The directory holds more than %u entries; only the first %u were "
                      "examined.\n",
                      (unsigned)PA_MAX_DIR_ENTRIES, (unsigned)PA_MAX_DIR_ENTRIES);
    res->structured = json_pack("{s:s, s:I, s:I, s:I, s:I, s:b}", "storage_dir", dir, "total", (json_int_t)n, "offset",
                                (json_int_t)offset, "limit", (json_int_t)limit, "skipped_entries", (json_int_t)skipped,
                                "listing_complete", complete);
    pa_rows files;
    pa_rows_begin(&files, &rep, "files", offset, limit, n, true);
    for (size_t i = offset; i < end; i++) {
        file_row *r = &rows[i];
        pa_time_iso8601(when, sizeof when, r->mtime_s, r->mtime_ns, 0);
        pa_capfmt_describe(&r->fmt, desc, sizeof desc);
        pa_fmt_bytes(size_txt, sizeof size_txt, r->size);
        pa_buf_printf(pa_rows_line(&files), "- %s  %s  %s  modified %s\n", r->name, size_txt, desc, when);
        if (!pa_rows_push(&files,
                          json_pack("{s:s, s:I, s:s, s:s, s:s}", "name", r->name, "size_bytes", (json_int_t)r->size,
                                    "modified", when, "format", pa_capfmt_id(&r->fmt), "format_description", desc)))
            break;
    }
    json_object_set_new(res->structured, "returned", json_integer((json_int_t)files.n));
    pa_rows_end(&files, res->structured, "files", "page");
    pa_report_finish(&rep);
    for (size_t i = 0; i < n; i++) free(rows[i].name);
    free(rows);
}

const pa_tool_def pa_tool_list_captured_files = {
    .name = "list_captured_files",
    .title = "List capture files",
    .description = "Capture files in storage, newest first. Call first: these names are the pcap_file of the "
                   "other tools.",
    .input_schema = "{"
                    "\"type\":\"object\","
                    "\"properties\":{"
                    "\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,"
                    "\"default\":100},"
                    "\"offset\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":1000000,"
                    "\"default\":0}"
                    "},"
                    "\"additionalProperties\":false}",
    .output_schema = "{"
                     "\"type\":\"object\","
                     "\"required\":[\"storage_dir\",\"total\",\"offset\",\"limit\",\"returned\",\"files\","
                     "\"skipped_entries\",\"listing_complete\"],"
                     "\"properties\":{"
                     "\"storage_dir\":{\"type\":\"string\",\"description\":\"The directory listed.\"},"
                     "\"total\":{\"type\":\"integer\",\"minimum\":0,\"description\":\"Capture files found.\"},"
                     "\"offset\":{\"type\":\"integer\",\"minimum\":0},"
                     "\"limit\":{\"type\":\"integer\",\"minimum\":1},"
                     "\"returned\":{\"type\":\"integer\",\"minimum\":0},"
                     "\"page\":" PA_PAGE_SCHEMA ","
                     "\"files\":{\"type\":\"array\",\"items\":{"
                     "\"type\":\"object\","
                     "\"required\":[\"name\",\"size_bytes\",\"modified\",\"format\",\"format_description\"],"
                     "\"properties\":{"
                     "\"name\":{\"type\":\"string\",\"description\":\"Pass this as pcap_file.\"},"
                     "\"size_bytes\":{\"type\":\"integer\",\"minimum\":0},"
                     "\"modified\":{\"type\":\"string\",\"format\":\"date-time\"},"
                     "\"format\":{\"type\":\"string\",\"enum\":[\"pcap\",\"pcap-ns\",\"pcapng\",\"none\"]},"
                     "\"format_description\":{\"type\":\"string\"}"
                     "},\"additionalProperties\":false}},"
                     "\"skipped_entries\":{\"type\":\"integer\",\"minimum\":0,\"description\":"
                     "\"Entries with a capture extension that cannot be opened safely.\"},"
                     "\"listing_complete\":{\"type\":\"boolean\",\"description\":"
                     "\"False when the directory had more entries than the server examines.\"}"
                     "},\"additionalProperties\":false}",
    .read_only = true,
    .destructive = false,
    .idempotent = true,
    .open_world = false,
    .run = run,
};
