/* extract_http_requests: HTTP/1.x transactions from the model's HTTP
 * tracking, totals first, then the requests in capture order (paged). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_report.h"
#include "tool_tcp_common.h"

static json_t *tx_json(const pa_model *m, const pa_http_tx *x) {
    json_t *o = json_pack("{s:I, s:I, s:f, s:o, s:i, s:o, s:i, s:s, s:s, s:s}", "frame", (json_int_t)x->req_frame,
                          "stream", (json_int_t)x->stream, "time_s", (double)(x->req_ts - m->first_ts) / 1e9, "client",
                          pa_json_addr(&x->client), "client_port", x->cport, "server", pa_json_addr(&x->server),
                          "server_port", x->sport, "method", x->method, "host", x->host, "uri", x->uri);
    if (x->user_agent[0]) json_object_set_new(o, "user_agent", json_string(x->user_agent));
    if (x->rt_ns >= 0) {
        json_object_set_new(o, "status", json_integer(x->status));
        json_object_set_new(o, "response_frame", json_integer((json_int_t)x->resp_frame));
        json_object_set_new(o, "response_time_ms", json_real((double)x->rt_ns / 1e6));
        if (x->content_type[0]) json_object_set_new(o, "content_type", json_string(x->content_type));
        if (x->resp_length >= 0) json_object_set_new(o, "content_length", json_integer((json_int_t)x->resp_length));
    }
    return o;
}

typedef struct code_count {
    uint16_t status;
    uint32_t count;
    size_t first; /* index of its first transaction */
} code_count;

static int code_desc(const void *x, const void *y) {
    const code_count *a = x, *b = y;
    return a->count != b->count ? (a->count < b->count ? 1 : -1) : (a->status > b->status) - (a->status < b->status);
}

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    const pa_http_stats *h = &m->http;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    size_t lim = pa_arg_limit(args);
    size_t offset = (size_t)json_integer_value(json_object_get(args, "offset"));
    pa_text_capture_header(t, &l);
    pa_text_packet_note(t);

    /* response times and error statuses over the transactions kept */
    int64_t *rts = malloc((h->ntx ? h->ntx : 1) * sizeof *rts);
    code_count codes[64];
    size_t ncodes = 0, nrt = 0;
    uint64_t errors = 0, answered = 0;
    for (size_t i = 0; i < h->ntx; i++) {
        const pa_http_tx *x = &h->tx[i];
        if (x->rt_ns < 0) continue;
        answered++;
        if (rts) rts[nrt++] = x->rt_ns;
        if (x->status < 400) continue;
        errors++;
        size_t k = 0;
        while (k < ncodes && codes[k].status != x->status) k++;
        if (k == ncodes && ncodes < sizeof codes / sizeof codes[0]) codes[ncodes++] = (code_count){x->status, 0, i};
        if (k < ncodes) codes[k].count++;
    }
    qsort(codes, ncodes, sizeof codes[0], code_desc);
    pa_buf_printf(t,
                  "HTTP/1.x: %llu requests, %llu responses; %llu answered, %llu without a response, "
                  "%llu responses without a request, %llu with status 4xx/5xx.\n",
                  (unsigned long long)h->requests, (unsigned long long)h->responses, (unsigned long long)answered,
                  (unsigned long long)h->unanswered, (unsigned long long)h->orphan_responses,
                  (unsigned long long)errors);
    pa_ns_summary sum;
    json_t *rt = pa_ns_summary_json(rts, nrt, &sum);
    if (nrt)
        pa_buf_printf(t, "Response time (http.time): min %.3f ms, median %.3f ms, max %.3f ms.\n", sum.min_ms,
                      sum.p50_ms, sum.max_ms);
    free(rts);
    json_t *classes = json_object();
    static const char *const cls[] = {"", "1xx", "2xx", "3xx", "4xx", "5xx"};
    for (int i = 1; i < 6; i++)
        if (h->status_class[i]) json_object_set_new(classes, cls[i], json_integer((json_int_t)h->status_class[i]));
    if (h->tx_dropped)
        pa_buf_printf(t, "Only the first %d transactions are listed; %llu more were counted.\n", PA_HTTP_MAX_TX,
                      (unsigned long long)h->tx_dropped);
    if (h->streams_capped)
        pa_buf_printf(t, "%llu connection directions carried more than %llu MiB: HTTP beyond that was not read.\n",
                      (unsigned long long)h->streams_capped, (unsigned long long)(PA_HTTP_STREAM_CAP >> 20));
    if (!h->requests && !h->responses) pa_buf_puts(t, "No HTTP/1.x in this capture.\n");
    res->structured =
        json_pack("{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:o, s:o}", "capture",
                  pa_capture_json(&l), "totals", "requests", (json_int_t)h->requests, "responses",
                  (json_int_t)h->responses, "answered", (json_int_t)answered, "unanswered", (json_int_t)h->unanswered,
                  "responses_without_request", (json_int_t)h->orphan_responses, "error_responses", (json_int_t)errors,
                  "parse_errors", (json_int_t)h->parse_errors, "stream_gaps", (json_int_t)h->gaps,
                  "streams_at_depth_cap", (json_int_t)h->streams_capped, "not_listed", (json_int_t)h->tx_dropped,
                  "status_classes", classes, "response_time", rt);

    /* error statuses, most frequent first (not paged: at most `limit`) */
    pa_rows rows;
    if (ncodes) pa_buf_puts(t, "Error statuses:\n");
    pa_rows_begin(&rows, &rep, "error statuses", 0, lim, ncodes, false);
    for (size_t i = 0; i < ncodes && i < lim; i++) {
        const pa_http_tx *x = &h->tx[codes[i].first];
        pa_buf_printf(pa_rows_line(&rows), "  %u x%u, first %s %s%s (frame %llu)\n", codes[i].status, codes[i].count,
                      x->method, x->host, x->uri, (unsigned long long)x->req_frame);
        if (!pa_rows_push(&rows, json_pack("{s:i, s:i, s:s, s:s, s:s, s:I}", "status", codes[i].status, "count",
                                           codes[i].count, "first_method", x->method, "first_host", x->host,
                                           "first_uri", x->uri, "first_frame", (json_int_t)x->req_frame)))
            break;
    }
    pa_rows_end(&rows, res->structured, "error_statuses", NULL);

    /* the requests, in capture order */
    size_t n = h->ntx;
    if (n && offset < n)
        pa_buf_printf(t,
                      "Requests %zu-%zu of %zu (frame, request, status and http.time, tcp.stream client -> server):\n",
                      offset + 1, offset + lim < n ? offset + lim : n, n);
    pa_rows_begin(&rows, &rep, "requests", offset, lim, n, true);
    for (size_t i = offset; i < n && i - offset < lim; i++) {
        const pa_http_tx *x = &h->tx[i];
        char c[64], sv[64];
        pa_addr_str(&x->client, c, sizeof c);
        pa_addr_str(&x->server, sv, sizeof sv);
        pa_buf *ln = pa_rows_line(&rows);
        pa_buf_printf(ln, "  frame %llu %s %s%s -> ", (unsigned long long)x->req_frame, x->method, x->host, x->uri);
        if (x->rt_ns >= 0)
            pa_buf_printf(ln, "%u in %.3f ms (frame %llu)", x->status, (double)x->rt_ns / 1e6,
                          (unsigned long long)x->resp_frame);
        else
            pa_buf_puts(ln, "no response");
        pa_buf_printf(ln, ", stream %u %s:%u -> %s:%u\n", x->stream, c, x->cport, sv, x->sport);
        if (!pa_rows_push(&rows, tx_json(m, x))) break;
    }
    pa_rows_end(&rows, res->structured, "requests", "page");
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

const pa_tool_def pa_tool_extract_http_requests = {
    .name = "extract_http_requests",
    .title = "HTTP requests",
    .description = "HTTP/1.x requests with status and response time (http.time); errors and totals first.",
    .input_schema = "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE "," PA_ARG_BPF
                    "," PA_ARG_LIMIT(100, 1000) "," PA_ARG_OFFSET "},\"additionalProperties\":false}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"status_classes\",\"response_time\","
        "\"page\",\"requests\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" PA_S_OBJ(
            "\"requests\":" PA_S_INT ",\"responses\":" PA_S_INT ",\"answered\":" PA_S_INT ",\"unanswered\":" PA_S_INT
            ",\"responses_without_request\":" PA_S_INT ",\"error_responses\":" PA_S_INT ",\"parse_errors\":" PA_S_INT
            ",\"stream_gaps\":" PA_S_INT ",\"streams_at_depth_cap\":" PA_S_INT
            ",\"not_listed\":" PA_S_INT) ",\"status_classes\":" PA_S_COUNTS ",\"response_time\":" PA_NS_SUMMARY_SCHEMA
                                         ",\"error_statuses\":" PA_S_ROWS(
                                             "\"status\":" PA_S_INT ",\"count\":" PA_S_INT ",\"first_method\":" PA_S_STR
                                             ",\"first_host\":" PA_S_STR ",\"first_uri\":" PA_S_STR
                                             ",\"first_frame\":" PA_S_INT) ",\"page\":" PA_PAGE_SCHEMA
                                                                           ",\"requests\":" PA_S_ROWS(
                                                                               "\"frame\":" PA_S_INT
                                                                               ",\"stream\":{\"type\":\"integer\",\"description\":\"tcp.stream\"},\"time_s\":" PA_S_NUM
                                                                               ",\"client\":" PA_S_STR
                                                                               ",\"client_port\":" PA_S_INT
                                                                               ",\"server\":" PA_S_STR
                                                                               ",\"server_port\":" PA_S_INT
                                                                               ",\"method\":" PA_S_STR
                                                                               ",\"host\":" PA_S_STR
                                                                               ",\"uri\":" PA_S_STR
                                                                               ",\"user_agent\":" PA_S_STR
                                                                               ",\"status\":{\"type\":\"integer\",\"description\":"
                                                                               "\"absent when no response was seen\"},\"response_frame\":" PA_S_INT
                                                                               ",\"response_time_ms\":" PA_S_NUM
                                                                               ",\"content_type\":" PA_S_STR
                                                                               ",\"content_length\":" PA_S_INT) "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run,
};
