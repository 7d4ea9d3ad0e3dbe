/* Tools that exist only in the test build of the server
 * (pcap-analyzer-mcp-server-test), to exercise the protocol machinery that
 * real tools finish too quickly to show: a call that runs until cancelled,
 * progress notifications, and concurrency. The shipped binary never has them. */
#include <time.h>

#include "app_main.h"

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Runs `steps` steps of `step_ms` each, reporting progress after each one,
 * and stops early when cancelled. */
static void run_wait(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    json_int_t steps = json_integer_value(json_object_get(args, "steps"));
    json_int_t step_ms = json_integer_value(json_object_get(args, "step_ms"));
    json_int_t done = 0;
    for (; done < steps; done++) {
        if (pa_tool_cancelled(ctx)) break;
        sleep_ms((long)step_ms);
        pa_tool_progress(ctx, (double)(done + 1), (double)steps, "waiting");
    }
    if (pa_tool_cancelled(ctx)) {
        pa_tool_fail(res, "cancelled after %lld steps", (long long)done);
        return;
    }
    pa_buf_printf(&res->text, "waited %lld steps of %lld ms\n", (long long)done, (long long)step_ms);
    res->structured = json_pack("{s:I}", "steps_done", done);
}

static const pa_tool_def test_wait = {
    .name = "test_wait",
    .title = "Test: wait",
    .description = "Test build only: waits steps x step_ms, reporting progress; cancellable.",
    .input_schema = "{\"type\":\"object\",\"properties\":{"
                    "\"steps\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100000,\"default\":3},"
                    "\"step_ms\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":10000,\"default\":10}"
                    "},\"additionalProperties\":false}",
    .output_schema = "{\"type\":\"object\",\"required\":[\"steps_done\"],\"properties\":{"
                     "\"steps_done\":{\"type\":\"integer\"}},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_wait,
};

/* Returns a result that breaks its own outputSchema, to prove the server
 * catches such drift instead of sending it. */
static void run_bad_output(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    (void)ctx;
    (void)args;
    res->structured = json_pack("{s:s}", "count", "not a number");
    pa_buf_puts(&res->text, "bad\n");
}

static const pa_tool_def test_bad_output = {
    .name = "test_bad_output",
    .title = "Test: schema drift",
    .description = "Test build only: returns a result that does not match its outputSchema.",
    .input_schema = "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}",
    .output_schema = "{\"type\":\"object\",\"required\":[\"count\"],\"properties\":{"
                     "\"count\":{\"type\":\"integer\"}}}",
    .read_only = true,
    .run = run_bad_output,
};

static int register_test_tools(pa_registry *r, char *err, size_t errlen) {
    if (pa_registry_add(r, &test_wait, err, errlen)) return -1;
    return pa_registry_add(r, &test_bad_output, err, errlen);
}

int main(int argc, char **argv) { return pa_app_main(argc, argv, register_test_tools); }
