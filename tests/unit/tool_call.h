/* One tool called through the registry, as the server calls it (arguments
 * checked, defaults filled, the result checked against the output schema),
 * on the captures of one storage folder. */
#ifndef PA_TOOL_CALL_H
#define PA_TOOL_CALL_H

#include <jansson.h>
#include <stdio.h>

#include "tool_common.h"

typedef struct tool_call_env {
    pa_registry reg;
    pa_config cfg;
    pa_tools_state *state;
} tool_call_env;

/* The built-in tools on storage folder dir; false when they cannot register. */
static inline bool tool_call_open(tool_call_env *e, const char *dir) {
    char err[256];
    memset(e, 0, sizeof *e);
    pa_registry_init(&e->reg);
    snprintf(e->cfg.storage_dir, sizeof e->cfg.storage_dir, "%s", dir);
    e->state = pa_tools_state_new();
    return pa_tools_register_builtin(&e->reg, err, sizeof err) == 0 && e->state;
}

static inline void tool_call_close(tool_call_env *e) {
    pa_tools_state_free(e->state);
    pa_registry_free(&e->reg);
}

/* Calls tool with args_json into res (pa_tool_result_free it); returns its
 * structured result, and prints the text of an error. */
static inline json_t *tool_call(tool_call_env *e, const char *tool, const char *args_json, pa_tool_result *res) {
    json_t *args = json_loads(args_json, 0, NULL);
    pa_tool_ctx ctx = {.cfg = &e->cfg, .state = e->state};
    pa_tool_result_init(res);
    pa_registry_call(pa_registry_find(&e->reg, tool), &ctx, args, res);
    json_decref(args);
    if (res->is_error) fprintf(stderr, "%s %s: %s\n", tool, args_json, res->text.data);
    return res->structured;
}

#endif
