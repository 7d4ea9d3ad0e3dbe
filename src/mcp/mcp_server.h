/* The MCP server: lifecycle (initialize, ping, shutdown), method dispatch,
 * tools/list paging, tools/call on worker threads with cancellation and
 * progress, logging notifications, and the catalog's resources (template
 * reads run on the workers like tool calls), prompts and completions. Speaks in JSON-RPC messages
 * through a pa_writer; the read loop feeds it lines. */
#ifndef PA_MCP_SERVER_H
#define PA_MCP_SERVER_H

#include <signal.h>
#include <stddef.h>

#include "config.h"
#include "mcp_catalog.h"
#include "mcp_registry.h"
#include "transport_stdio.h"

#define PA_MCP_LATEST_VERSION "2025-11-25"

typedef struct pa_server pa_server;

/* tool_state is handed to every tool call (pa_tool_ctx.state). */
pa_server *pa_server_new(const pa_config *cfg, const pa_registry *reg, pa_writer *out, void *tool_state);
/* Offers the catalog's resources, prompts and completions (declared in
 * initialize); without one those methods are unknown. Call before the
 * first line. */
void pa_server_set_catalog(pa_server *s, const pa_catalog *catalog);
/* Handles one frame (called from the reading thread). */
void pa_server_handle_line(pa_server *s, const char *line, size_t len);
/* Replies to a frame that was longer than the cap and skipped. */
void pa_server_frame_too_long(pa_server *s, size_t max);
/* Stops the workers. cancel_running: signal every running call to stop (a
 * signal arrived); otherwise running and queued calls finish and answer
 * (end of input: the client may still be reading). */
void pa_server_shutdown(pa_server *s, int cancel_running);
void pa_server_free(pa_server *s);

/* Reads frames from fd until end of input or until *stop becomes non-zero
 * (set by a signal handler; read() is interrupted). Returns 0 on an orderly
 * exit, -1 on a read error. Shuts the server down before returning. */
int pa_server_run(pa_server *s, int fd, volatile sig_atomic_t *stop);

#endif
