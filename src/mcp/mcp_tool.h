/* The contract between the MCP server and a tool: a tool is a static
 * definition (name, texts, schemas, annotations) plus one function that turns
 * validated arguments into a result. Tools never see JSON-RPC. */
#ifndef PA_MCP_TOOL_H
#define PA_MCP_TOOL_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "config.h"
#include "util_buf.h"
#include "util_log.h"

typedef struct pa_tool_ctx {
    const pa_config *cfg;
    void *state;                  /* shared by all calls (the tools' model cache) */
    const atomic_bool *cancelled; /* NULL when the call cannot be cancelled */
    void (*progress_fn)(void *ud, double done, double total, const char *message);
    void *progress_ud; /* progress_fn is NULL when nobody asked */
    void (*log_fn)(void *ud, pa_log_level level, const char *message);
    void *log_ud;
} pa_tool_ctx;

typedef struct pa_tool_result {
    json_t *structured; /* structuredContent; must match the outputSchema */
    pa_buf text;        /* the text block a model reads: totals first, bounded */
    bool is_error;      /* the tool ran and failed: text says what to do */
} pa_tool_result;

/* args has been validated against input_schema and holds every default. */
typedef void (*pa_tool_fn)(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res);

typedef struct pa_tool_def {
    const char *name;
    const char *title;
    const char *description;   /* written for a model: what, when, what comes back */
    const char *input_schema;  /* JSON Schema text (the subset mcp_schema.c checks) */
    const char *output_schema; /* JSON Schema text of structuredContent */
    bool read_only, destructive, idempotent, open_world;
    pa_tool_fn run;
} pa_tool_def;

void pa_tool_result_init(pa_tool_result *res);
void pa_tool_result_free(pa_tool_result *res);
/* Marks the result failed with a message (replacing any text). */
__attribute__((format(printf, 2, 3))) void pa_tool_fail(pa_tool_result *res, const char *fmt, ...);

bool pa_tool_cancelled(const pa_tool_ctx *ctx);
void pa_tool_progress(pa_tool_ctx *ctx, double done, double total, const char *message);

#endif
