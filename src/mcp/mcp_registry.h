/* The tool registry: definitions checked once at startup (names, schemas,
 * texts) and the one code path that runs a tool, shared by the MCP server
 * and the command-line `call` mode. */
#ifndef PA_MCP_REGISTRY_H
#define PA_MCP_REGISTRY_H

#include <jansson.h>
#include <stddef.h>

#include "mcp_tool.h"

typedef struct pa_registry_entry {
    const pa_tool_def *def;
    json_t *input;      /* parsed input_schema: what arguments are checked against */
    json_t *advertised; /* input without its guard limits: what tools/list shows */
    json_t *output;     /* parsed output_schema */
} pa_registry_entry;

typedef struct pa_registry {
    pa_registry_entry *v;
    size_t n, cap;
} pa_registry;

void pa_registry_init(pa_registry *r);
void pa_registry_free(pa_registry *r);
/* Refuses (with err) a bad name, a duplicate, an unparsable schema or one
 * that uses keywords the checker does not enforce. */
int pa_registry_add(pa_registry *r, const pa_tool_def *def, char *err, size_t errlen);
const pa_registry_entry *pa_registry_find(const pa_registry *r, const char *name);

/* The tools/list entry of one tool. */
json_t *pa_registry_tool_json(const pa_registry_entry *e);

/* Validates args (borrowed; NULL means {}), runs the tool, and checks the
 * structured result against the output schema. Argument errors and failures
 * come back as res->is_error with a message. */
void pa_registry_call(const pa_registry_entry *e, pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res);

/* The CallToolResult object: content (one text block), structuredContent
 * when present, isError. */
json_t *pa_tool_result_json(const pa_tool_result *res);

#endif
