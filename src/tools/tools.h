/* Built-in tool definitions (one file per tool family: tool_<family>.c). */
#ifndef PA_TOOLS_H
#define PA_TOOLS_H

#include <stddef.h>

#include "mcp_registry.h"

#define PA_TOOL(sym) extern const pa_tool_def sym;
#include "tools.def"
#undef PA_TOOL

/* Adds every built-in tool to r; fails (with err) on the first bad definition. */
int pa_tools_register_builtin(pa_registry *r, char *err, size_t errlen);

#endif
