/* Built-in tool definitions (one file per tool family: tool_<family>.c). */
#ifndef PA_TOOLS_H
#define PA_TOOLS_H

#include <stddef.h>

#include "mcp_registry.h"

#define PA_TOOL(sym) extern const pa_tool_def sym;
#include "tools.def"
#undef PA_TOOL

/* State shared by all tool calls of one process: the model cache. */
typedef struct pa_tools_state pa_tools_state;
pa_tools_state *pa_tools_state_new(void);
void pa_tools_state_free(pa_tools_state *s);

/* Adds every built-in tool to r; fails (with err) on the first bad definition. */
int pa_tools_register_builtin(pa_registry *r, char *err, size_t errlen);

#endif
