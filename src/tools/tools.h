/* Built-in tool definitions (one file per tool family: tool_<family>.c). */
#ifndef PA_TOOLS_H
#define PA_TOOLS_H

#include <stddef.h>

#include "mcp_catalog.h"
#include "mcp_registry.h"

#define PA_TOOL(sym, set) extern const pa_tool_def sym;
#include "tools.def"
#undef PA_TOOL

/* The resources, prompts and completions this server offers
 * (tool_catalog.c); the prompts themselves are in tool_prompts.c. */
const pa_catalog *pa_tools_catalog(void);
extern const pa_prompt_def pa_tool_prompts[];
extern const size_t pa_tool_nprompts;

/* State shared by all tool calls of one process: the model cache. */
typedef struct pa_tools_state pa_tools_state;
pa_tools_state *pa_tools_state_new(void);
void pa_tools_state_free(pa_tools_state *s);

/* Adds every built-in tool to r; fails (with err) on the first bad definition. */
int pa_tools_register_builtin(pa_registry *r, char *err, size_t errlen);
/* The same for the tools of one set (PCAP_MCP_TOOLSET), in tools.def order. */
int pa_tools_register_set(pa_registry *r, pa_toolset set, char *err, size_t errlen);
/* The smallest set that holds the built-in tool `name`, or -1. */
int pa_tools_min_set(const char *name);

#endif
