/* export_packets: the frames a display filter matches, written to a new
 * capture file in the storage directory (same name rules as capture
 * output: never over an existing file, never through a link), with their
 * original timestamps to the nanosecond. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture_file.h"
#include "dframe.h"
#include "tool_tcp_common.h"

typedef struct exporter {
    const pa_dfilter *filter;
    pa_capfile w;
    bool started, failed;
    int linktype;
    uint32_t snaplen;
    uint64_t written, other_link, matched, limit;
    uint64_t first_frame, last_frame;
} exporter;

static void on_frame(void *ud, const pa_packet *p, const uint8_t *data, const pa_frame_ctx *c) {
    exporter *e = ud;
    if (e->failed || (e->limit && e->written >= e->limit)) return;
    pa_dframe f;
    pa_dframe_init(&f, p, data, c);
    if (e->filter && !pa_dfilter_eval(e->filter, pa_dframe_get, &f)) return;
    e->matched++;
    if (!e->started) {
        e->started = true;
        e->linktype = p->linktype;
        if (!pa_capfile_header(&e->w, p->linktype, (int)(e->snaplen ? e->snaplen : 262144), NULL)) {
            e->failed = true;
            return;
        }
    }
    if (p->linktype != e->linktype) { /* one interface per file: other link types are left out */
        e->other_link++;
        return;
    }
    if (!pa_capfile_record(&e->w, p->ts_ns, data, p->caplen, p->wirelen)) {
        e->failed = true;
        return;
    }
    if (!e->written++) e->first_frame = p->frame_no;
    e->last_frame = p->frame_no;
}

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    const char *ftext = json_string_value(json_object_get(args, "display_filter"));
    const char *want = json_string_value(json_object_get(args, "output_file"));
    char err[8192], name[256];
    bool pcapng = false;
    if (pa_cap_output_name(want, "", 0, name, sizeof name, &pcapng, err, sizeof err)) {
        pa_tool_fail(res, "%s", err);
        return;
    }
    pa_dfilter *filter;
    if (!pa_tool_filter(args, res, &filter)) return;
    pa_resolved rf;
    if (!pa_tool_open(ctx, args, res, &rf)) {
        pa_dfilter_free(filter);
        return;
    }
    bool exists = false;
    int fd = pa_storage_create_new(ctx->cfg->storage_dir, name, &exists, err, sizeof err);
    FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!out) {
        if (fd >= 0) close(fd);
        close(rf.fd);
        pa_dfilter_free(filter);
        if (exists)
            pa_tool_fail(res, "'%s' already exists in the storage directory; choose another output_file", name);
        else
            pa_tool_fail(res, "%s", err);
        return;
    }
    exporter e = {.filter = filter,
                  .w = {out, pcapng, true, 0},
                  .limit = (uint64_t)json_integer_value(json_object_get(args, "max_packets"))};
    pa_engine_opts opts = {.on_frame = on_frame, .on_frame_ud = &e};
    pa_model *m = pa_tool_pass(ctx, res, &rf, "exporting packets", &opts);
    pa_dfilter_free(filter);
    /* a file with no matching frame still gets its header: it is a valid, empty capture */
    if (!e.started && !e.failed) {
        e.linktype = m && m->nlinktypes ? m->linktypes[0].linktype : 1;
        e.failed = !pa_capfile_header(&e.w, e.linktype, 262144, NULL);
    }
    bool closed = fclose(out) == 0;
    if (!m) return; /* the pass failed or was cancelled: what was written is a valid capture */
    pa_model_free(m);
    if (e.failed || !closed) {
        pa_tool_fail(res, "writing '%s' failed (disk full?); the frames before the failure are in it", name);
        return;
    }
    pa_buf_printf(&res->text, "Wrote %llu frames (%llu bytes, %s, nanosecond timestamps) to %s",
                  (unsigned long long)e.written, (unsigned long long)e.w.bytes, pcapng ? "pcapng" : "pcap", name);
    if (ftext && *ftext)
        pa_buf_printf(&res->text, ": the frames of %s matching '%s'", rf.rel, ftext);
    else
        pa_buf_printf(&res->text, ": every frame of %s", rf.rel);
    pa_buf_puts(&res->text, ".\n");
    if (e.other_link)
        pa_buf_printf(&res->text, "%llu matching frames of another link type were left out (one link type per file).\n",
                      (unsigned long long)e.other_link);
    if (e.limit && e.written >= e.limit)
        pa_buf_printf(&res->text, "Stopped at max_packets=%llu.\n", (unsigned long long)e.limit);
    res->structured =
        json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "source", rf.rel, "output_file", name, "format",
                  pcapng ? "pcapng" : "pcap", "packets", (json_int_t)e.written, "bytes", (json_int_t)e.w.bytes,
                  "matched", (json_int_t)e.matched, "left_out_other_link", (json_int_t)e.other_link);
    if (e.written) {
        json_object_set_new(res->structured, "first_frame", json_integer((json_int_t)e.first_frame));
        json_object_set_new(res->structured, "last_frame", json_integer((json_int_t)e.last_frame));
    }
}

const pa_tool_def pa_tool_export_packets = {
    .name = "export_packets",
    .title = "Export packets",
    .description = "Writes the frames matching display_filter to a new capture file in storage.",
    .input_schema =
        "{\"type\":\"object\",\"required\":[\"pcap_file\",\"output_file\"],\"properties\":{" PA_ARG_PCAP_FILE
        ",\"display_filter\":{\"type\":\"string\",\"maxLength\":4096},"
        "\"output_file\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":200,"
        "\"description\":\"Ends .pcap or .pcapng\"},"
        "\"max_packets\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":100000000000,\"default\":0,"
        "\"description\":\"0: all\"}},\"additionalProperties\":false}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"source\",\"output_file\",\"format\",\"packets\",\"bytes\"],"
        "\"properties\":{\"source\":{\"type\":\"string\"},\"output_file\":{\"type\":\"string\"},\"format\":{\"type\":"
        "\"string\"},\"packets\":{\"type\":\"integer\"},\"bytes\":{\"type\":\"integer\"},\"matched\":{\"type\":"
        "\"integer\"},\"left_out_other_link\":{\"type\":\"integer\"},\"first_frame\":{\"type\":\"integer\"},"
        "\"last_frame\":{\"type\":\"integer\"}},\"additionalProperties\":false}",
    .read_only = false,
    .idempotent = false,
    .run = run,
};
