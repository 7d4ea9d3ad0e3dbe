#include "app_main.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "mcp_schema.h"
#include "mcp_server.h"
#include "tools.h"
#include "version.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

static const char usage[] =
    "Usage:\n"
    "  pcap-analyzer-mcp-server [serve]            MCP server on stdin/stdout (the default)\n"
    "  pcap-analyzer-mcp-server call TOOL [JSON]   run one tool and print its result\n"
    "        --json   print the whole MCP result (structuredContent) instead of the text\n"
    "  pcap-analyzer-mcp-server tools [--markdown|--json]   list every tool (and its set)\n"
    "  pcap-analyzer-mcp-server --help | --version\n"
    "\n"
    "Environment (see README.md):\n"
    "  PCAP_STORAGE_PATH   capture directory (alias PCAP_STORAGE_DIR; default /tmp/pcap_files;\n"
    "                      a relative path is resolved against the working directory)\n"
    "  ANALYSIS_TEMP_DIR   scratch directory (default /tmp/pcap_analysis)\n"
    "  MAX_CAPTURE_SIZE    largest capture file, e.g. 100MB (units B KB MB GB TB; default 100MB)\n"
    "  CAPTURE_TIMEOUT     longest capture in seconds (alias MAX_CAPTURE_DURATION; default 300)\n"
    "  CAPTURE_BUFFER_SIZE kernel buffer of each live capture, 1MB to 1GB (default 32MB)\n"
    "  TSHARK_PATH         optional tshark, a path or a name on PATH (alias WIRESHARK_PATH);\n"
    "                      analysis never needs it\n"
    "  PCAP_MCP_LOG_LEVEL  stderr verbosity: debug ... emergency (default warning)\n"
    "  PCAP_MCP_TOOLSET    tools offered by serve and call: core, analysis or full (default)\n"
    "\n"
    "Exit status: 0 success; 1 the tool reported an error; 2 bad usage or configuration.\n";

static const char *env_get(const char *name) { return getenv(name); }

static int load_config(pa_config *cfg) {
    char err[1024], warn[1024];
    if (pa_config_load(cfg, env_get, err, sizeof err, warn, sizeof warn) != 0) {
        fprintf(stderr, "pcap-analyzer-mcp-server: configuration error: %s\n", err);
        return -1;
    }
    pa_log_set_stderr_level(cfg->log_level);
    if (warn[0]) pa_log(PA_LOG_WARNING, "%s", warn);
    if (pa_config_prepare_storage(cfg, err, sizeof err) != 0) {
        fprintf(stderr, "pcap-analyzer-mcp-server: configuration error: %s\n", err);
        return -1;
    }
    return 0;
}

/* The built-in tools of one set (PCAP_MCP_TOOLSET), then the test build's. */
static int build_registry(pa_registry *reg, pa_toolset set, pa_register_fn extra) {
    char err[1024];
    pa_registry_init(reg);
    if (pa_tools_register_set(reg, set, err, sizeof err) != 0 || (extra && extra(reg, err, sizeof err) != 0)) {
        fprintf(stderr, "pcap-analyzer-mcp-server: internal error: %s\n", err);
        pa_registry_free(reg);
        return -1;
    }
    return 0;
}

static int cmd_serve(pa_register_fn extra) {
    pa_config cfg;
    if (load_config(&cfg) != 0) return 2;
    pa_registry regs, *reg = &regs;
    if (build_registry(reg, cfg.toolset, extra) != 0) return 2;
    /* A closed stdout must surface as EPIPE on write, not kill the process. */
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: read() must return EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    pa_writer out;
    pa_writer_init(&out, STDOUT_FILENO);
    pa_tools_state *state = pa_tools_state_new();
    pa_server *srv = state ? pa_server_new(&cfg, reg, &out, state) : NULL;
    if (!srv) {
        pa_tools_state_free(state);
        pa_registry_free(reg);
        return 1;
    }
    pa_server_set_catalog(srv, pa_tools_catalog());
    pa_log(PA_LOG_INFO, "serving MCP on stdio; storage %s; %zu tools (PCAP_MCP_TOOLSET=%s)", cfg.storage_dir, reg->n,
           pa_toolset_name(cfg.toolset));
    int rc = pa_server_run(srv, STDIN_FILENO, &stop_requested);
    pa_server_free(srv);
    pa_tools_state_free(state);
    pa_writer_destroy(&out);
    pa_registry_free(reg);
    return rc == 0 ? 0 : 1;
}

static void stderr_log(void *ud, pa_log_level level, const char *message) {
    (void)ud;
    pa_log(level, "%s", message);
}

static int cmd_call(pa_register_fn extra, int argc, char **argv) {
    bool as_json = false;
    const char *tool = NULL, *args_text = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            as_json = true;
        else if (!tool)
            tool = argv[i];
        else if (!args_text)
            args_text = argv[i];
        else {
            fprintf(stderr, "call: unexpected argument '%s'\n%s", argv[i], usage);
            return 2;
        }
    }
    if (!tool) {
        fprintf(stderr, "call: name a tool (see: pcap-analyzer-mcp-server tools)\n");
        return 2;
    }
    json_t *args = NULL;
    if (args_text) {
        json_error_t je;
        args = json_loads(args_text, JSON_ALLOW_NUL, &je);
        if (!args || !json_is_object(args)) {
            fprintf(stderr, "call: the arguments must be a JSON object, e.g. '{\"limit\":10}'%s%s\n", args ? "" : ": ",
                    args ? "" : je.text);
            json_decref(args);
            return 2;
        }
    }
    pa_config cfg;
    pa_registry regs, *reg = &regs;
    if (load_config(&cfg) != 0 || build_registry(reg, cfg.toolset, extra) != 0) {
        json_decref(args);
        return 2;
    }
    /* The same tools as the server would offer: one outside the set is
     * unknown here too. */
    const pa_registry_entry *e = pa_registry_find(reg, tool);
    if (!e) {
        fprintf(stderr, "call: unknown tool '%s' (PCAP_MCP_TOOLSET=%s); available:", tool,
                pa_toolset_name(cfg.toolset));
        for (size_t i = 0; i < reg->n; i++) fprintf(stderr, " %s", reg->v[i].def->name);
        fprintf(stderr, "\n");
        json_decref(args);
        pa_registry_free(reg);
        return 2;
    }
    pa_tools_state *state = pa_tools_state_new();
    pa_tool_ctx ctx = {.cfg = &cfg, .state = state, .log_fn = stderr_log};
    pa_tool_result res;
    pa_tool_result_init(&res);
    pa_registry_call(e, &ctx, args, &res);
    pa_tools_state_free(state);
    int rc = res.is_error ? 1 : 0;
    if (as_json) {
        json_t *r = pa_tool_result_json(&res);
        char *s = r ? json_dumps(r, JSON_INDENT(2) | JSON_REAL_PRECISION(16)) : NULL;
        if (s) printf("%s\n", s);
        free(s);
        json_decref(r);
    } else {
        FILE *f = res.is_error ? stderr : stdout;
        fputs(res.text.data ? res.text.data : "", f);
        if (res.text.len && res.text.data[res.text.len - 1] != '\n') fputc('\n', f);
    }
    pa_tool_result_free(&res);
    json_decref(args);
    pa_registry_free(reg);
    return rc;
}

/* The smallest PCAP_MCP_TOOLSET that offers a tool ("—" for test tools). */
static const char *set_of(const char *tool) {
    int set = pa_tools_min_set(tool);
    return set < 0 ? "—" : pa_toolset_name((pa_toolset)set);
}

/* Markdown rows for the README's tool table, generated so it cannot drift. */
static void print_markdown(const pa_registry *reg) {
    printf("| tool | title | arguments | read-only | set |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < reg->n; i++) {
        const pa_registry_entry *e = &reg->v[i];
        printf("| `%s` | %s | ", e->def->name, e->def->title);
        json_t *props = json_object_get(e->input, "properties");
        json_t *req = json_object_get(e->input, "required");
        const char *key;
        json_t *p;
        bool first = true;
        json_object_foreach(props, key, p) {
            bool required = false;
            size_t k;
            json_t *r;
            json_array_foreach(req, k, r) if (strcmp(json_string_value(r), key) == 0) required = true;
            char desc[256];
            pa_schema_describe(p, desc, sizeof desc);
            json_t *def = json_object_get(p, "default");
            char *defs = def ? json_dumps(def, JSON_ENCODE_ANY | JSON_REAL_PRECISION(16)) : NULL;
            printf("%s`%s`%s: %s%s%s", first ? "" : "<br>", key, required ? "*" : "", desc, defs ? ", default " : "",
                   defs ? defs : "");
            free(defs);
            first = false;
        }
        if (first) printf("—");
        printf(" | %s | %s |\n", e->def->read_only ? "yes" : "no", set_of(e->def->name));
    }
}

static int cmd_tools(pa_registry *reg, int argc, char **argv) {
    const char *mode = argc > 0 ? argv[0] : "";
    if (strcmp(mode, "--markdown") == 0) {
        print_markdown(reg);
    } else if (strcmp(mode, "--json") == 0) {
        json_t *arr = json_array();
        for (size_t i = 0; i < reg->n; i++) json_array_append_new(arr, pa_registry_tool_json(&reg->v[i]));
        char *s = json_dumps(arr, JSON_INDENT(2) | JSON_REAL_PRECISION(16));
        if (s) printf("%s\n", s);
        free(s);
        json_decref(arr);
    } else if (!*mode) {
        for (size_t i = 0; i < reg->n; i++)
            printf("%-36s %-8s %s\n", reg->v[i].def->name, set_of(reg->v[i].def->name), reg->v[i].def->title);
    } else {
        fprintf(stderr, "tools: unknown option '%s'; accepted: --markdown, --json\n", mode);
        return 2;
    }
    return 0;
}

int pa_app_main(int argc, char **argv, pa_register_fn extra) {
    const char *cmd = argc > 1 ? argv[1] : "serve";
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        printf("%s %s — MCP server for network analysis of pcap/pcapng files\n\n%s", PA_NAME, PA_VERSION, usage);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("%s %s\n", PA_NAME, PA_VERSION);
        return 0;
    }
    json_object_seed(0); /* before any thread creates objects */
    if (strcmp(cmd, "serve") == 0 && argc <= 2) return cmd_serve(extra);
    if (strcmp(cmd, "call") == 0) return cmd_call(extra, argc - 2, argv + 2);
    if (strcmp(cmd, "tools") == 0) {
        /* Every tool, whatever PCAP_MCP_TOOLSET says: this documents the binary. */
        pa_registry reg;
        if (build_registry(&reg, PA_TOOLSET_FULL, extra) != 0) return 2;
        int rc = cmd_tools(&reg, argc - 2, argv + 2);
        pa_registry_free(&reg);
        return rc;
    }
    fprintf(stderr, "pcap-analyzer-mcp-server: unknown command '%s'\n\n%s", cmd, usage);
    return 2;
}
