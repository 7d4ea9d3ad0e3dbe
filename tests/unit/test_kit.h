/* Helpers the tool and capture tests share: a tool call through the
 * registry (its schema checks included), a TCP peer for pktgen's
 * conversations, and the folder a test writes its capture to. */
#ifndef PA_TEST_KIT_H
#define PA_TEST_KIT_H

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "pktgen.h"
#include "tool_common.h"

/* Calls tool with args_json (res is initialised here, freed by the caller);
 * returns res->structured and prints the text of an error result. */
static inline json_t *kit_call(pa_registry *reg, pa_config *cfg, pa_tools_state *state, const char *tool,
                               const char *args_json, pa_tool_result *res) {
    json_t *args = json_loads(args_json, 0, NULL);
    pa_tool_ctx ctx = {.cfg = cfg, .state = state};
    pa_tool_result_init(res);
    pa_registry_call(pa_registry_find(reg, tool), &ctx, args, res);
    json_decref(args);
    if (res->is_error) fprintf(stderr, "%s %s: %s\n", tool, args_json, res->text.data);
    return res->structured;
}

/* The built-in tools registered in reg, cfg reading captures from dir, and
 * a fresh tools state (NULL, with the reason printed, when registration fails). */
static inline pa_tools_state *kit_tools(pa_registry *reg, pa_config *cfg, const char *dir) {
    char err[256];
    pa_registry_init(reg);
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->storage_dir, sizeof cfg->storage_dir, "%s", dir);
    if (pa_tools_register_builtin(reg, err, sizeof err) == 0) return pa_tools_state_new();
    fprintf(stderr, "tools not registered: %s\n", err);
    return NULL;
}

/* Host 10.0.0.host (MAC 02:00:00:00:00:host) on port, with its ISN: a 64 KiB
 * window, MSS 1460, TTL 64, no options beyond the MSS. */
static inline pg_tcp_peer kit_peer(uint8_t host, uint16_t port, uint32_t isn) {
    pg_tcp_peer p = {.mac = {2, 0, 0, 0, 0, host},
                     .ip = {10, 0, 0, host},
                     .port = port,
                     .isn = isn,
                     .win = 65535,
                     .mss = 1460,
                     .ttl = 64};
    return p;
}

/* The folder a test writes its capture to (argv[1], else def, created),
 * and that capture's path in path[n]. */
static inline const char *kit_capture_path(int argc, char **argv, const char *def, const char *file, char *path,
                                           size_t n) {
    const char *dir = argc > 1 ? argv[1] : def;
    mkdir(dir, 0755);
    snprintf(path, n, "%s/%s", dir, file);
    return dir;
}

#endif
