/* What the server offers besides tools (MCP 2025-11-25): resources (fixed
 * documents, and URI templates whose content is a tool's text for one
 * capture file), prompts, and completions for their arguments. The mcp
 * layer knows only this contract and the protocol around it
 * (mcp_resources.c, mcp_prompts.c, mcp_complete.c); the tools layer fills
 * it in (tool_catalog.c, tool_prompts.c), as it does pa_tool_def. */
#ifndef PA_MCP_CATALOG_H
#define PA_MCP_CATALOG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "mcp_registry.h"
#include "util_buf.h"

/* MCP's code for resources/read of a URI the server does not have. */
#define PA_MCP_RESOURCE_NOT_FOUND (-32002)
/* Capture files in one resources/list (the newest); list_captured_files pages through all. */
#define PA_CATALOG_MAX_FILES_LISTED 100
/* Directory entries examined for a listing or a completion (answered on the
 * reading thread, so bounded well below list_captured_files' cap). */
#define PA_CATALOG_MAX_DIR_SCAN 10000
/* Values in one completion (MCP's maximum). */
#define PA_COMPLETION_MAX_VALUES 100
/* Largest document a fixed resource may produce. */
#define PA_RESOURCE_MAX_BYTES (256u * 1024u)

/* What documents and prompts are written for: the configuration and the
 * tools this server offers (PCAP_MCP_TOOLSET), so they name only tools that
 * exist. */
typedef struct pa_catalog_env {
    const pa_config *cfg;
    const pa_registry *reg;
} pa_catalog_env;

/* A fixed document (the guide, the display-filter field reference). */
typedef struct pa_resource_def {
    const char *uri, *name, *title, *description, *mime_type;
    /* Writes the document; false when it could not be completed. */
    bool (*read)(const pa_catalog_env *env, pa_buf *out);
} pa_resource_def;

/* "pcap://{file}/summary": the text result of `tool` on one capture file,
 * read through the same path resolver, limits and workers as tools/call.
 * Offered only when the tool is. */
typedef struct pa_resource_template_def {
    const char *uri_template; /* exactly one "{file}", percent-encoded in URIs */
    const char *name, *title, *description, *mime_type;
    const char *tool;
    const char *tool_args; /* JSON object of fixed arguments; the file goes in as pcap_file */
} pa_resource_template_def;

/* How a prompt argument is checked and completed. */
typedef enum {
    PA_PARG_FILE,   /* a capture file name (resolved as the tools do; completed from storage) */
    PA_PARG_HOST,   /* an IPv4 or IPv6 address */
    PA_PARG_STREAM, /* a tcp.stream number */
    PA_PARG_FILTER, /* a display filter (compiled; field names completed) */
} pa_prompt_arg_kind;

typedef struct pa_prompt_arg {
    const char *name, *description;
    pa_prompt_arg_kind kind;
    bool required;
} pa_prompt_arg;

#define PA_PROMPT_MAX_ARGS 4

typedef struct pa_prompt_def {
    const char *name, *title, *description;
    pa_prompt_arg args[PA_PROMPT_MAX_ARGS]; /* ends at the first without a name */
    /* Writes the user message. args holds the arguments given (checked
     * strings; optional ones may be absent). */
    void (*render)(const pa_catalog_env *env, const json_t *args, pa_buf *out);
} pa_prompt_def;

typedef enum { PA_FILE_OK, PA_FILE_NOT_FOUND, PA_FILE_REFUSED } pa_file_status;

typedef struct pa_catalog {
    const pa_resource_def *resources;
    size_t nresources;
    const pa_resource_template_def *templates;
    size_t ntemplates;
    const pa_prompt_def *prompts;
    size_t nprompts;
    /* Capture files in the storage directory whose names begin with
     * prefix, newest first: at most max objects {name, size_bytes, format}
     * appended to out. Returns how many matched in all. */
    size_t (*files)(const pa_config *cfg, const char *prefix, size_t max, json_t *out);
    /* Resolves name as the tools do; err says why not (NOT_FOUND, REFUSED). */
    pa_file_status (*check_file)(const pa_config *cfg, const char *name, char *err, size_t errlen);
    /* Display-filter field names that begin with prefix (at most max appended
     * to out as strings); returns how many matched in all. */
    size_t (*fields)(const char *prefix, size_t max, json_t *out);
    /* Compiles a display filter; false with err naming the problem. */
    bool (*check_filter)(const char *text, char *err, size_t errlen);
} pa_catalog;

/* ---- what the server calls (each returns the result object, or NULL with
 * *code and err set for a JSON-RPC error) ---------------------------------- */

json_t *pa_resources_list(const pa_catalog *c, const pa_catalog_env *env);
json_t *pa_resource_templates_list(const pa_catalog *c, const pa_catalog_env *env);
/* A fixed resource's contents; NULL with *code 0 when uri is not one. */
json_t *pa_resource_read_fixed(const pa_catalog *c, const pa_catalog_env *env, const char *uri, int *code, char *err,
                               size_t errlen);
/* For a template URI: the template offered and the file, checked with
 * check_file, as the tool arguments to run (owned by the caller). NULL with
 * *code set (not found, refused, or no such resource). */
const pa_resource_template_def *pa_resource_match(const pa_catalog *c, const pa_catalog_env *env, const char *uri,
                                                  json_t **tool_args, int *code, char *err, size_t errlen);
/* The ReadResourceResult of a template read from the tool's text. */
json_t *pa_resource_contents(const pa_resource_template_def *t, const char *uri, const char *text, size_t len);

json_t *pa_prompts_list(const pa_catalog *c);
json_t *pa_prompt_get(const pa_catalog *c, const pa_catalog_env *env, const json_t *params, int *code, char *err,
                      size_t errlen);

json_t *pa_complete(const pa_catalog *c, const pa_catalog_env *env, const json_t *params, int *code, char *err,
                    size_t errlen);

/* Shared by the three: the template offered with this uri_template (its
 * tool is registered), and whether a tool is offered. */
const pa_resource_template_def *pa_catalog_template(const pa_catalog *c, const pa_catalog_env *env,
                                                    const char *uri_template);
bool pa_catalog_has_tool(const pa_catalog_env *env, const char *tool);

#endif
