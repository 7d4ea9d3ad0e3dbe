/* The byte budget shared by a result's text and structured content
 * (tools/tool_report.c): rows go into both or neither, both stop at the
 * same row, footers and pages name the first row not shown, and the
 * registry refuses a result past the budget. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config.h"
#include "mcp_registry.h"
#include "tool_report.h"

/* Fills a list of `total` rows of about 100 bytes each from offset. */
static void fill(pa_tool_ctx *ctx, pa_tool_result *res, size_t offset, size_t limit, size_t total, bool pageable) {
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    pa_buf_puts(&res->text, "header\n");
    res->structured = json_pack("{s:s}", "capture", "x.pcap");
    pa_rows rows;
    pa_rows_begin(&rows, &rep, "rows", offset, limit, total, pageable);
    for (size_t i = offset; i < total && i - offset < limit; i++) {
        pa_buf_printf(pa_rows_line(&rows), "  row %zu %s\n", i,
                      "....................................................................................");
        if (!pa_rows_push(&rows, json_pack("{s:I, s:s}", "frame", (json_int_t)i, "pad",
                                           "......................................................")))
            break;
    }
    pa_rows_end(&rows, res->structured, "rows", "page");
    pa_report_finish(&rep);
}

static size_t whole_size(const pa_tool_result *res) {
    json_t *r = pa_tool_result_json(res);
    size_t n = json_dumpb(r, NULL, 0, JSON_COMPACT | JSON_REAL_PRECISION(16));
    json_decref(r);
    return n;
}

static void test_escaped_len(void) {
    CHECK(pa_json_escaped_len("abc", 3) == 3);
    CHECK(pa_json_escaped_len("a\"b\\c\n", 6) == 9);
    CHECK(pa_json_escaped_len("\x01", 1) == 6);
    CHECK(pa_json_escaped_len("\xc3\xa9", 2) == 2); /* UTF-8 is written as is */
    /* agrees with jansson on every byte value */
    char all[256];
    for (int i = 1; i < 128; i++) all[i - 1] = (char)i;
    json_t *s = json_stringn(all, 127);
    CHECK(json_dumpb(s, NULL, 0, JSON_ENCODE_ANY) == pa_json_escaped_len(all, 127) + 2);
    json_decref(s);
}

static void test_fits(void) {
    pa_config cfg;
    memset(&cfg, 0, sizeof cfg);
    pa_tool_ctx ctx = {.cfg = &cfg};
    pa_tool_result res;
    pa_tool_result_init(&res);
    fill(&ctx, &res, 0, 10, 25, true);
    json_t *page = json_object_get(res.structured, "page");
    CHECK(json_array_size(json_object_get(res.structured, "rows")) == 10);
    CHECK(json_integer_value(json_object_get(page, "returned")) == 10);
    CHECK(json_integer_value(json_object_get(page, "next_offset")) == 10);
    CHECK(json_is_true(json_object_get(page, "more")));
    CHECK(!json_object_get(res.structured, "truncated"));
    CHECK_CONTAINS(res.text.data, "row 9 ");
    CHECK_CONTAINS(res.text.data, "15 more: call again with offset=10.");
    pa_tool_result_free(&res);

    /* the last page says nothing of more */
    pa_tool_result_init(&res);
    fill(&ctx, &res, 20, 10, 25, true);
    page = json_object_get(res.structured, "page");
    CHECK(json_integer_value(json_object_get(page, "returned")) == 5);
    CHECK(!json_object_get(page, "next_offset"));
    CHECK(!strstr(res.text.data, "offset="));
    pa_tool_result_free(&res);

    /* an offset past the end says so */
    pa_tool_result_init(&res);
    fill(&ctx, &res, 30, 10, 25, true);
    CHECK_CONTAINS(res.text.data, "offset 30 is past the last of 25 rows");
    pa_tool_result_free(&res);
}

static void test_cut(void) {
    pa_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.text_budget = 4096;
    cfg.result_budget = 65536;
    pa_tool_ctx ctx = {.cfg = &cfg};
    pa_tool_result res;
    pa_tool_result_init(&res);
    fill(&ctx, &res, 5, 1000, 2000, true);
    json_t *rows = json_object_get(res.structured, "rows");
    size_t n = json_array_size(rows);
    CHECK(n > 10 && n < 50);
    CHECK(res.text.len <= 4096);
    /* the last row in the JSON is the last row in the text, and the next is in neither */
    char last[64], after[64], call[64];
    snprintf(last, sizeof last, "row %zu ", 5 + n - 1);
    snprintf(after, sizeof after, "row %zu ", 5 + n);
    snprintf(call, sizeof call, "Call again with offset=%zu.", 5 + n);
    CHECK(json_integer_value(json_object_get(json_array_get(rows, n - 1), "frame")) == (json_int_t)(5 + n - 1));
    CHECK_CONTAINS(res.text.data, last);
    CHECK(!strstr(res.text.data, after));
    CHECK_CONTAINS(res.text.data, call);
    CHECK_CONTAINS(res.text.data, "4096-byte budget");
    json_t *page = json_object_get(res.structured, "page");
    CHECK(json_integer_value(json_object_get(page, "next_offset")) == (json_int_t)(5 + n));
    CHECK(json_is_true(json_object_get(res.structured, "truncated")));
    json_t *lo = json_array_get(json_object_get(res.structured, "left_out"), 0);
    CHECK_STR(json_string_value(json_object_get(lo, "list")), "rows");
    CHECK(json_integer_value(json_object_get(lo, "not_shown")) == (json_int_t)(1000 - n));
    CHECK(json_integer_value(json_object_get(lo, "next_offset")) == (json_int_t)(5 + n));
    pa_tool_result_free(&res);

    /* the whole result's budget cuts too, and a list without offset says how to see the rest */
    cfg.text_budget = 65536;
    cfg.result_budget = 16384;
    pa_tool_result_init(&res);
    fill(&ctx, &res, 0, 1000, 1000, false);
    CHECK(whole_size(&res) <= 16384);
    CHECK(json_array_size(json_object_get(res.structured, "rows")) > 20);
    CHECK_CONTAINS(res.text.data, "16384-byte budget");
    CHECK_CONTAINS(res.text.data, "A smaller limit or a narrower filter shows them.");
    CHECK(!json_object_get(res.structured, "page"));
    lo = json_array_get(json_object_get(res.structured, "left_out"), 0);
    CHECK(!json_object_get(lo, "next_offset"));
    pa_tool_result_free(&res);
}

/* Once one list is cut, the lists after it are left out whole: one line
 * names them all, so eight lists stay within the budget (a footer apiece
 * would outgrow the reserve). */
static void test_skip(void) {
    pa_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.text_budget = 4096;
    cfg.result_budget = 65536;
    pa_tool_ctx ctx = {.cfg = &cfg};
    pa_tool_result res;
    pa_tool_result_init(&res);
    pa_report rep;
    pa_report_init(&rep, &ctx, &res);
    pa_buf_puts(&res.text, "header\n");
    res.structured = json_object();
    static const char *const names[8] = {"first rows", "second rows", "third rows",   "fourth rows",
                                         "fifth rows", "sixth rows",  "seventh rows", "eighth rows"};
    for (int k = 0; k < 8; k++) {
        pa_rows rows;
        size_t offset = k == 1 ? 5 : 0;
        pa_rows_begin(&rows, &rep, names[k], offset, 200, 200, k == 1);
        for (size_t i = offset; i < 200; i++) {
            pa_buf_printf(pa_rows_line(&rows), "  %s %zu ......................................................\n",
                          names[k], i);
            if (!pa_rows_push(&rows, json_pack("{s:I}", "frame", (json_int_t)i))) break;
        }
        pa_rows_end(&rows, res.structured, names[k], k == 1 ? "page" : NULL);
    }
    pa_report_finish(&rep);
    CHECK(res.text.len <= 4096);
    CHECK(json_array_size(json_object_get(res.structured, "first rows")) > 10);
    CHECK(json_array_size(json_object_get(res.structured, "second rows")) == 0);
    CHECK_CONTAINS(res.text.data, "more first rows not shown: the text reached its 4096-byte budget.");
    CHECK(!strstr(res.text.data, "more second rows not shown"));
    CHECK_CONTAINS(res.text.data, "  Left out for lack of room: second rows (195, offset=5), third rows (200), "
                                  "fourth rows (200), fifth rows (200), sixth rows (200), seventh rows (200), "
                                  "eighth rows (200). A smaller limit or a narrower filter shows them.\n");
    json_t *lo = json_object_get(res.structured, "left_out");
    CHECK(json_array_size(lo) == 8);
    CHECK(json_integer_value(json_object_get(json_array_get(lo, 1), "next_offset")) == 5);
    CHECK(!json_object_get(json_array_get(lo, 2), "next_offset"));
    json_t *page = json_object_get(res.structured, "page");
    CHECK(json_integer_value(json_object_get(page, "returned")) == 0 &&
          json_integer_value(json_object_get(page, "next_offset")) == 5);
    pa_tool_result_free(&res);
}

/* A tool that ignores the budget is refused by the registry. */
static void greedy(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    (void)ctx;
    (void)args;
    for (int i = 0; i < 3000; i++) pa_buf_puts(&res->text, "0123456789");
    res->structured = json_object();
}

static void test_registry_guard(void) {
    const pa_tool_def def = {.name = "greedy",
                             .title = "Greedy",
                             .description = "d",
                             .input_schema = "{\"type\":\"object\",\"properties\":{}}",
                             .output_schema = "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}",
                             .run = greedy};
    pa_registry reg;
    pa_registry_init(&reg);
    char err[256];
    CHECK(pa_registry_add(&reg, &def, err, sizeof err) == 0);
    const pa_registry_entry *e = pa_registry_find(&reg, "greedy");
    /* every output schema takes the budget's members */
    CHECK(json_object_get(json_object_get(e->output, "properties"), "truncated") != NULL);
    CHECK(json_object_get(json_object_get(e->output, "properties"), "left_out") != NULL);
    pa_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.text_budget = 16384;
    cfg.result_budget = 65536;
    pa_tool_ctx ctx = {.cfg = &cfg};
    pa_tool_result res;
    pa_tool_result_init(&res);
    pa_registry_call(e, &ctx, NULL, &res);
    CHECK(res.is_error);
    CHECK_CONTAINS(res.text.data, "exceeded its byte budget (text 30000 of 16384 bytes");
    pa_tool_result_free(&res);
    cfg.text_budget = 32768;
    pa_tool_result_init(&res);
    pa_registry_call(e, &ctx, NULL, &res);
    CHECK(!res.is_error);
    pa_tool_result_free(&res);
    pa_registry_free(&reg);
}

/* Guard limits are enforced on every call but not shown in tools/list. */
static void noop(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    (void)ctx;
    (void)args;
    res->structured = json_object();
}

static void test_guard_limits(void) {
    const pa_tool_def def = {
        .name = "guarded",
        .title = "Guarded",
        .description = "d",
        .run = noop,
        .input_schema =
            "{\"type\":\"object\",\"properties\":{\"f\":{\"type\":\"string\",\"maxLength\":4096},"
            "\"n\":{\"type\":\"string\",\"maxLength\":64},\"o\":{\"type\":\"integer\",\"maximum\":100000000},"
            "\"d\":{\"type\":\"integer\",\"maximum\":86400}},\"additionalProperties\":false}",
        .output_schema = "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}"};
    pa_registry reg;
    pa_registry_init(&reg);
    char err[256];
    CHECK(pa_registry_add(&reg, &def, err, sizeof err) == 0);
    const pa_registry_entry *e = pa_registry_find(&reg, "guarded");
    json_t *tj = pa_registry_tool_json(e);
    json_t *props = json_object_get(json_object_get(tj, "inputSchema"), "properties");
    CHECK(!json_object_get(json_object_get(props, "f"), "maxLength"));
    CHECK(json_integer_value(json_object_get(json_object_get(props, "n"), "maxLength")) == 64);
    CHECK(!json_object_get(json_object_get(props, "o"), "maximum"));
    CHECK(json_integer_value(json_object_get(json_object_get(props, "d"), "maximum")) == 86400);
    json_decref(tj);
    char *big = malloc(5001);
    memset(big, 'a', 5000);
    big[5000] = '\0';
    json_t *args = json_pack("{s:s}", "f", big);
    free(big);
    pa_tool_result res;
    pa_tool_result_init(&res);
    pa_registry_call(e, NULL, args, &res);
    CHECK(res.is_error);
    CHECK_CONTAINS(res.text.data, "at most 4096 characters");
    pa_tool_result_free(&res);
    json_decref(args);
    pa_registry_free(&reg);
}

int main(void) {
    test_guard_limits();
    test_escaped_len();
    test_fits();
    test_cut();
    test_skip();
    test_registry_guard();
    return check_done("report");
}
