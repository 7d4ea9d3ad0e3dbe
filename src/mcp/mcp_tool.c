#include "mcp_tool.h"

#include <stdarg.h>

#include "pa_limits.h"

void pa_tool_result_init(pa_tool_result *res) {
    res->structured = NULL;
    res->is_error = false;
    pa_buf_init(&res->text, PA_MAX_TEXT_BYTES);
}

void pa_tool_result_free(pa_tool_result *res) {
    json_decref(res->structured);
    res->structured = NULL;
    pa_buf_free(&res->text);
}

void pa_tool_fail(pa_tool_result *res, const char *fmt, ...) {
    res->is_error = true;
    json_decref(res->structured);
    res->structured = NULL;
    pa_buf_reset(&res->text);
    va_list ap;
    va_start(ap, fmt);
    pa_buf_vprintf(&res->text, fmt, ap);
    va_end(ap);
}

bool pa_tool_cancelled(const pa_tool_ctx *ctx) { return ctx->cancelled && atomic_load(ctx->cancelled); }

void pa_tool_progress(pa_tool_ctx *ctx, double done, double total, const char *message) {
    if (ctx->progress_fn) ctx->progress_fn(ctx->progress_ud, done, total, message);
}
