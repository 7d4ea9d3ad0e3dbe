/* The command line: serve (MCP over stdio), call (one tool in-process),
 * tools (list the registry), --help, --version. */
#ifndef PA_APP_MAIN_H
#define PA_APP_MAIN_H

#include "mcp_registry.h"

/* extra may add tools after the built-in ones (test builds use it); NULL in
 * the shipped binary. */
typedef int (*pa_register_fn)(pa_registry *r, char *err, size_t errlen);

int pa_app_main(int argc, char **argv, pa_register_fn extra);

#endif
