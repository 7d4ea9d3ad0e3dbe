/* Live capture tools: list_network_interfaces, start_packet_capture,
 * stop_packet_capture, get_capture_status, over the capture manager
 * (src/capture). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tool_report.h"
#include "tool_tcp_common.h"

static const char *link_name(int dlt) {
    switch (dlt) {
    case 1: return "EN10MB (Ethernet)";
    case 12: return "RAW (IP)";
    case 113: return "LINUX_SLL (Linux cooked)";
    case 276: return "LINUX_SLL2 (Linux cooked v2)";
    case 127: return "IEEE802_11_RADIO";
    default: return "unknown";
    }
}

static void run_interfaces(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    (void)ctx;
    (void)args;
    pa_cap_if *ifs = calloc(256, sizeof *ifs);
    char err[512];
    int n = ifs ? pa_cap_interfaces(ifs, 256, err, sizeof err) : -1;
    if (n < 0) {
        pa_tool_fail(res, "%s", ifs ? err : "out of memory");
        free(ifs);
        return;
    }
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    pa_buf_printf(t, "%d interfaces can be captured on (pass the name as start_packet_capture's interface):\n", n);
    res->structured = json_pack("{s:i}", "count", n);
    pa_rows rows;
    pa_rows_begin(&rows, &rep, "interfaces", 0, (size_t)n, (size_t)n, false);
    rows.hint = "Pass a name that is not listed to start_packet_capture all the same.";
    for (int i = 0; i < n; i++) {
        const pa_cap_if *f = &ifs[i];
        json_t *addrs = json_array();
        for (int k = 0; k < f->naddrs; k++)
            json_array_append_new(addrs,
                                  json_pack("{s:s, s:s, s:s}", "family", f->addrs[k].family == 6 ? "ipv6" : "ipv4",
                                            "address", f->addrs[k].addr, "netmask", f->addrs[k].netmask));
        json_t *o =
            json_pack("{s:s, s:s, s:o, s:b, s:b, s:b, s:b, s:o}", "name", f->name, "description", f->description,
                      "addresses", addrs, "up", f->up, "running", f->running, "loopback", f->loopback, "wireless",
                      f->wireless, "mac", f->mac[0] ? json_string(f->mac) : json_null());
        json_object_set_new(o, "link_type", f->linktype >= 0 ? json_integer(f->linktype) : json_null());
        json_object_set_new(o, "link_type_name", json_string(link_name(f->linktype)));
        pa_buf *ln = pa_rows_line(&rows);
        pa_buf_printf(ln, "  %s%s%s: %s%s%s%s", f->name, f->description[0] ? " (" : "", f->description,
                      f->description[0] ? ") " : "", f->up ? "up" : "down", f->running ? ", running" : "",
                      f->loopback ? ", loopback" : "");
        if (f->mac[0]) pa_buf_printf(ln, ", MAC %s", f->mac);
        for (int k = 0; k < f->naddrs; k++) pa_buf_printf(ln, ", %s", f->addrs[k].addr);
        pa_buf_puts(ln, "\n");
        if (!pa_rows_push(&rows, o)) break;
    }
    free(ifs);
    pa_rows_end(&rows, res->structured, "interfaces", NULL);
    pa_report_finish(&rep);
}

static void iso(char *out, size_t n, int64_t ns) {
    if (!ns) {
        out[0] = '\0';
        return;
    }
    pa_fmt_time(out, n, ns);
}

/* The files a capture keeps (oldest first); NULL when there are none or on
 * allocation failure. The caller frees. */
static pa_cap_fileinfo *capture_files(pa_capmgr *m, const pa_cap_status *s, size_t *n) {
    pa_cap_fileinfo *f = calloc(PA_CAP_MAX_FILES, sizeof *f);
    *n = f ? pa_capmgr_files(m, s->id, f, PA_CAP_MAX_FILES) : 0;
    return f;
}

static json_t *status_json(pa_capmgr *m, const pa_cap_status *s) {
    char started[48], ended[48];
    iso(started, sizeof started, s->started_ns);
    iso(ended, sizeof ended, s->ended_ns);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t now_ns = (int64_t)now.tv_sec * 1000000000ll + now.tv_nsec;
    int64_t end = s->ended_ns ? s->ended_ns : now_ns;
    double elapsed = (double)(end - s->started_ns) / 1e9;
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:i, s:I, s:I, s:I}", "capture_id", s->id, "state",
                          s->state == PA_CAP_RUNNING ? "running" : "stopped", "interface", s->interface, "filter",
                          s->filter, "file", s->file, "format", s->pcapng ? "pcapng" : "pcap", "started", started,
                          "elapsed_s", elapsed, "duration_limit_s", s->duration_s, "size_limit_bytes",
                          (json_int_t)s->size_limit, "packets", (json_int_t)s->packets, "bytes", (json_int_t)s->bytes);
    json_object_set_new(o, "packet_limit", s->packet_limit ? json_integer((json_int_t)s->packet_limit) : json_null());
    if (s->state == PA_CAP_RUNNING) {
        double left = s->duration_s - elapsed;
        json_object_set_new(o, "remaining_s", json_real(left > 0 ? left : 0));
        json_object_set_new(o, "stop_reason", json_null());
    } else {
        json_object_set_new(o, "ended", json_string(ended));
        json_object_set_new(o, "stop_reason", json_string(pa_cap_stop_name(s->stop_reason)));
    }
    /* while running: as of the last refresh (every 100 ms) */
    json_object_set_new(o, "received", json_integer((json_int_t)s->received));
    json_object_set_new(o, "kernel_drops", json_integer((json_int_t)s->kernel_drops));
    json_object_set_new(o, "interface_drops", json_integer((json_int_t)s->interface_drops));
    json_object_set_new(o, "lost_packets", json_integer((json_int_t)(s->kernel_drops + s->interface_drops)));
    json_object_set_new(o, "buffer_bytes", json_integer((json_int_t)s->buffer_bytes));
    if (s->error[0]) json_object_set_new(o, "error", json_string(s->error));
    json_object_set_new(o, "link_type", json_integer(s->linktype));
    json_object_set_new(o, "snaplen", json_integer(s->snaplen));
    if (s->rotating) {
        json_t *r = json_pack("{s:o, s:o, s:o, s:i, s:i}", "file_size_bytes",
                              s->file_size ? json_integer((json_int_t)s->file_size) : json_null(), "file_duration_s",
                              s->file_duration_s ? json_integer(s->file_duration_s) : json_null(), "ring_files",
                              s->ring_files ? json_integer(s->ring_files) : json_null(), "files_made",
                              (int)s->files_made, "files_deleted", (int)s->files_deleted);
        json_object_set_new(o, "rotation", r);
    } else {
        json_object_set_new(o, "rotation", json_null());
    }
    size_t n;
    pa_cap_fileinfo *f = capture_files(m, s, &n);
    json_t *files = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(files, json_pack("{s:s, s:I, s:I}", "name", f[i].name, "packets",
                                               (json_int_t)f[i].packets, "bytes", (json_int_t)f[i].bytes));
    free(f);
    json_object_set_new(o, "files", files);
    return o;
}

/* One capture in words: what the structured status holds, in the same order. */
static void status_text(pa_buf *t, pa_capmgr *m, const pa_cap_status *s) {
    pa_buf_printf(t, "%s on %s%s%s%s -> %s (%s): %s, %llu packets written, %llu bytes on disk", s->id, s->interface,
                  s->filter[0] ? " (filter '" : "", s->filter, s->filter[0] ? "')" : "", s->file,
                  s->pcapng ? "pcapng" : "pcap", s->state == PA_CAP_RUNNING ? "running" : "stopped",
                  (unsigned long long)s->packets, (unsigned long long)s->bytes);
    if (s->state == PA_CAP_STOPPED) pa_buf_printf(t, ", ended by %s", pa_cap_stop_name(s->stop_reason));
    if (s->error[0]) pa_buf_printf(t, " (%s)", s->error);
    pa_buf_printf(t,
                  ". Kernel counters: %llu received by the filter, %llu dropped by the kernel, %llu by the "
                  "interface.\n",
                  (unsigned long long)s->received, (unsigned long long)s->kernel_drops,
                  (unsigned long long)s->interface_drops);
    uint64_t lost = s->kernel_drops + s->interface_drops;
    if (lost)
        pa_buf_printf(t,
                      "    PACKETS WERE LOST: %llu packets that matched never reached the file, so gaps and "
                      "retransmissions in it may be artefacts of the capture. Narrow capture_filter, or raise "
                      "CAPTURE_BUFFER_SIZE (now %llu bytes).\n",
                      (unsigned long long)lost, (unsigned long long)s->buffer_bytes);
    if (!s->rotating) return;
    pa_buf_printf(t, "    rotation: a new file every");
    if (s->file_size) pa_buf_printf(t, " %llu bytes", (unsigned long long)s->file_size);
    if (s->file_size && s->file_duration_s) pa_buf_puts(t, " or");
    if (s->file_duration_s) pa_buf_printf(t, " %d s", s->file_duration_s);
    if (s->ring_files) pa_buf_printf(t, ", keeping the last %d", s->ring_files);
    pa_buf_printf(t, "; files made %u, deleted %u. Files kept, oldest first:", s->files_made, s->files_deleted);
    size_t n;
    pa_cap_fileinfo *f = capture_files(m, s, &n);
    for (size_t i = 0; i < n; i++)
        pa_buf_printf(t, "%s %s (%llu packets, %llu bytes)", i ? "," : "", f[i].name, (unsigned long long)f[i].packets,
                      (unsigned long long)f[i].bytes);
    free(f);
    pa_buf_puts(t, "\n");
}

/* file_size: bytes as an integer, or a string with a unit as MAX_CAPTURE_SIZE. */
static bool file_size_arg(const json_t *v, uint64_t *out, pa_tool_result *res) {
    *out = 0;
    if (!v) return true;
    if (json_is_integer(v) && json_integer_value(v) > 0) {
        *out = (uint64_t)json_integer_value(v);
        return true;
    }
    if (json_is_string(v) && pa_parse_size(json_string_value(v), out) == 0 && *out > 0) return true;
    pa_tool_fail(res, "file_size is not a size; accepted: bytes as an integer, or a whole number with a unit B, KB, "
                      "MB, GB (1024-based), e.g. '10MB', from 64KB to MAX_CAPTURE_SIZE");
    return false;
}

static void run_start(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_capmgr *m = pa_tools_capture(ctx);
    if (!m) {
        pa_tool_fail(res, "out of memory");
        return;
    }
    int duration = (int)json_integer_value(json_object_get(args, "duration"));
    int limit = ctx->cfg->capture_timeout_s;
    bool clamped = duration > limit;
    pa_cap_request req = {
        .interface = json_string_value(json_object_get(args, "interface")),
        .filter = json_string_value(json_object_get(args, "capture_filter")),
        .output_file = json_string_value(json_object_get(args, "output_file")),
        .duration_s = clamped ? limit : duration,
        .packet_count = (uint64_t)json_integer_value(json_object_get(args, "packet_count")),
        .snaplen = (int)json_integer_value(json_object_get(args, "snaplen")),
        .buffer_bytes = ctx->cfg->capture_buffer_bytes,
        .overwrite = json_is_true(json_object_get(args, "overwrite")),
        .file_duration_s = (int)json_integer_value(json_object_get(args, "file_duration")),
        .ring_files = (int)json_integer_value(json_object_get(args, "ring_files")),
    };
    if (!file_size_arg(json_object_get(args, "file_size"), &req.file_size, res)) return;
    pa_cap_status st;
    char err[2048];
    if (pa_capmgr_start(m, &req, &st, err, sizeof err) != 0) {
        pa_tool_fail(res, "%s", err);
        return;
    }
    pa_buf *t = &res->text;
    pa_buf_printf(t,
                  "Capture %s started on %s, writing %s in the storage directory; it stops after %d s, at %llu bytes%s",
                  st.id, st.interface, st.file, st.duration_s, (unsigned long long)st.size_limit,
                  st.ring_files ? " on disk (the ring deletes its oldest files instead)" : " on disk");
    if (st.packet_limit) pa_buf_printf(t, " or %llu packets", (unsigned long long)st.packet_limit);
    pa_buf_puts(t, ", or with stop_packet_capture. get_capture_status shows its progress; the file can be analysed "
                   "while it grows.\n");
    if (clamped)
        pa_buf_printf(t, "duration %d s is above this server's CAPTURE_TIMEOUT: reduced to %d s.\n", duration, limit);
    status_text(t, m, &st);
    json_t *o = status_json(m, &st);
    json_object_set_new(o, "duration_reduced", json_boolean(clamped));
    res->structured = o;
}

static void unknown_id(pa_tool_result *res, pa_capmgr *m, const char *id) {
    pa_cap_status *all = calloc(PA_CAP_MAX, sizeof *all);
    size_t n = all ? pa_capmgr_list(m, all, PA_CAP_MAX) : 0;
    char ids[1024] = "";
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof ids; i++)
        k += (size_t)snprintf(ids + k, sizeof ids - k, "%s%s", i ? ", " : "", all[i].id);
    free(all);
    pa_tool_fail(res, "no capture '%.64s' in this server; %s%s", id,
                 n ? "captures known (get_capture_status): " : "no capture was started yet (start_packet_capture)",
                 ids);
}

static void run_stop(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_capmgr *m = pa_tools_capture(ctx);
    const char *id = json_string_value(json_object_get(args, "capture_id"));
    pa_cap_status st;
    if (!m || pa_capmgr_stop(m, id, &st) != 0) {
        if (!m)
            pa_tool_fail(res, "out of memory");
        else
            unknown_id(res, m, id);
        return;
    }
    pa_buf *t = &res->text;
    pa_buf_puts(t, "Stopped: ");
    status_text(t, m, &st);
    pa_buf_printf(t, "Analyse it with any file tool, e.g. analyze_pcap_file with pcap_file '%s'.\n", st.file);
    res->structured = status_json(m, &st);
}

static void run_status(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    (void)args;
    pa_capmgr *m = pa_tools_capture(ctx);
    pa_cap_status *all = calloc(PA_CAP_MAX, sizeof *all);
    if (!m || !all) {
        free(all);
        pa_tool_fail(res, "out of memory");
        return;
    }
    size_t n = pa_capmgr_list(m, all, PA_CAP_MAX), running = 0;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    for (size_t i = 0; i < n; i++) running += all[i].state == PA_CAP_RUNNING;
    pa_buf_printf(t, "%zu captures in this server's lifetime, %zu running.\n", n, running);
    res->structured = json_pack("{s:I, s:I}", "total", (json_int_t)n, "running", (json_int_t)running);
    pa_rows rows;
    pa_rows_begin(&rows, &rep, "captures", 0, n, n, false);
    rows.hint = "Ask stop_packet_capture or list_captured_files about a capture not shown.";
    for (size_t i = 0; i < n; i++) {
        pa_buf *ln = pa_rows_line(&rows);
        pa_buf_puts(ln, "  ");
        status_text(ln, m, &all[i]);
        if (!pa_rows_push(&rows, status_json(m, &all[i]))) break;
    }
    free(all);
    pa_rows_end(&rows, res->structured, "captures", NULL);
    pa_report_finish(&rep);
}

#define NULLABLE(t, why) "{\"anyOf\":[{\"type\":\"" t "\"},{\"type\":\"null\"}],\"description\":\"" why "\"}"
#define STATUS_PROPS                                                                                                                                                                      \
    "\"capture_id\":" PA_S_STR ",\"state\":{\"type\":\"string\",\"enum\":[\"running\",\"stopped\"]},"                                                                                     \
    "\"interface\":" PA_S_STR ",\"filter\":{\"type\":\"string\",\"description\":\"the capture filter (BPF); "                                                                             \
    "empty for none\"},\"file\":{\"type\":\"string\",\"description\":\"in the storage directory: pass it as "                                                                             \
    "pcap_file\"},\"format\":" PA_S_STR ",\"started\":" PA_S_STR ",\"ended\":" PA_S_STR ",\"elapsed_s\":" PA_S_NUM                                                                        \
    ",\"remaining_s\":" PA_S_NUM ",\"duration_limit_s\":" PA_S_INT ",\"size_limit_bytes\":" PA_S_INT                                                                                      \
    ",\"packet_limit\":" NULLABLE("integer", "null: no packet limit") ",\"packets\":" PA_S_INT ",\"bytes\":" PA_S_INT ",\"stop_reason\":" NULLABLE(                                       \
        "string",                                                                                                                                                                         \
        "null while running") ",\"received\":" PA_S_INT ",\"kernel_drops\":" PA_S_INT ",\"interface_drops\":" PA_S_INT                                                                    \
                              ",\"lost_packets\":{\"type\":\"integer\",\"description\":\"kernel_drops + interface_drops: matching packets "                                               \
                              "not in the file\"},\"buffer_bytes\":" PA_S_INT ",\"error\":" PA_S_STR                                                                                      \
                              ",\"link_type\":" PA_S_INT ",\"snaplen\":" PA_S_INT                                                                                                         \
                              ",\"rotation\":{\"anyOf\":[" PA_S_OBJ(                                                                                                                      \
                                  "\"file_size_bytes\":" NULLABLE("integer", "null: not used") ",\"file_duration_s\":" NULLABLE("integer", "null: not used") ",\"ring_files\":" NULLABLE( \
                                      "integer",                                                                                                                                          \
                                      "null: every file is kept") ",\"files_made\":" PA_S_INT                                                                                             \
                                                                  ",\"files_deleted\":" PA_S_INT) ",{\"type\":\"null\"}],\"description\":\"null: one file\"}"                             \
                                                                                                  ",\"files\":" PA_S_ROWS(                                                                \
                                                                                                      "\"name\":" PA_S_STR                                                                \
                                                                                                      ",\"packets\":" PA_S_INT                                                            \
                                                                                                      ",\"bytes\":" PA_S_INT)
#define STATUS_REQUIRED "\"capture_id\",\"state\",\"interface\",\"file\",\"packets\",\"bytes\",\"stop_reason\""
#define STATUS_SCHEMA "{\"type\":\"object\",\"required\":[" STATUS_REQUIRED "],\"properties\":{" STATUS_PROPS "}}"
#define START_SCHEMA                                                                                                   \
    "{\"type\":\"object\",\"required\":[" STATUS_REQUIRED "],\"properties\":{" STATUS_PROPS                            \
    ",\"duration_reduced\":{\"type\":\"boolean\",\"description\":\"the asked duration was above "                      \
    "CAPTURE_TIMEOUT\"}},\"additionalProperties\":false}"
#define INTERFACE_ROWS                                                                                                           \
    PA_S_ROWS("\"name\":" PA_S_STR ",\"description\":" PA_S_STR ",\"addresses\":" PA_S_ROWS(                                     \
        "\"family\":" PA_S_STR ",\"address\":" PA_S_STR                                                                          \
        ",\"netmask\":" PA_S_STR) ",\"up\":" PA_S_BOOL ",\"running\":" PA_S_BOOL ",\"loopback\":" PA_S_BOOL                      \
                                  ",\"wireless\":" PA_S_BOOL                                                                     \
                                  ",\"mac\":" NULLABLE("string", "null when the interface has none") ",\"link_type\":" NULLABLE( \
                                      "integer",                                                                                 \
                                      "null when libpcap cannot open it to ask") ",\"link_type_name\":" PA_S_STR)

const pa_tool_def pa_tool_list_network_interfaces = {
    .name = "list_network_interfaces",
    .title = "Network interfaces",
    .description = "Interfaces available for live capture; pass a name to start_packet_capture.",
    .input_schema = "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}",
    .output_schema = "{\"type\":\"object\",\"required\":[\"count\",\"interfaces\"],\"properties\":{\"count\":"
                     "{\"type\":\"integer\"},\"interfaces\":" INTERFACE_ROWS "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_interfaces,
};

const pa_tool_def pa_tool_start_packet_capture = {
    .name = "start_packet_capture",
    .title = "Start a packet capture",
    .description = "Starts a live capture into a file in storage (or a ring of files) and returns its capture_id at "
                   "once. Ends at duration, packet_count, MAX_CAPTURE_SIZE or stop_packet_capture.",
    .input_schema =
        "{\"type\":\"object\",\"required\":[\"interface\"],\"properties\":{"
        "\"interface\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":64},"
        "\"duration\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":86400,\"default\":60,"
        "\"description\":\"Seconds\"},"
        "\"capture_filter\":{\"type\":\"string\",\"maxLength\":4096},"
        "\"output_file\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":200,"
        "\"description\":\"Ends .pcap or .pcapng\"},"
        "\"packet_count\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000000000},"
        "\"snaplen\":{\"type\":\"integer\",\"minimum\":64,\"maximum\":262144,\"default\":262144},"
        "\"overwrite\":{\"type\":\"boolean\",\"default\":false,\"description\":\"Replace an existing file\"},"
        "\"file_size\":{\"anyOf\":[{\"type\":\"integer\",\"minimum\":65536},{\"type\":\"string\",\"maxLength\":32}],"
        "\"description\":\"Rotate: new file at this size (bytes or '10MB')\"},"
        "\"file_duration\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":86400,"
        "\"description\":\"Rotate: new file every N seconds\"},"
        "\"ring_files\":{\"type\":\"integer\",\"minimum\":2,\"maximum\":100,"
        "\"description\":\"Keep only the last N files\"}},"
        "\"additionalProperties\":false}",
    .output_schema = START_SCHEMA,
    .open_world = true,
    .run = run_start,
};

const pa_tool_def pa_tool_stop_packet_capture = {
    .name = "stop_packet_capture",
    .title = "Stop a packet capture",
    .description = "Stops a capture; returns its packets, drops, file and stop reason.",
    .input_schema = "{\"type\":\"object\",\"required\":[\"capture_id\"],\"properties\":{\"capture_id\":{\"type\":"
                    "\"string\",\"minLength\":1,\"maxLength\":64}},\"additionalProperties\":false}",
    .output_schema = STATUS_SCHEMA,
    .idempotent = true,
    .run = run_stop,
};

const pa_tool_def pa_tool_get_capture_status = {
    .name = "get_capture_status",
    .title = "Capture status",
    .description = "State, counts and limits of every capture this server started.",
    .input_schema = "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"total\",\"running\",\"captures\"],\"properties\":{"
        "\"total\":{\"type\":\"integer\"},\"running\":{\"type\":\"integer\"},\"captures\":{\"type\":\"array\","
        "\"items\":" STATUS_SCHEMA "}"
        "},\"additionalProperties\":false}",
    .read_only = true,
    .run = run_status,
};
