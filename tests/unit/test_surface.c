/* What a client puts in a model's context and the catalog beside the tools:
 * the size of tools/list's model-facing part, the tool sets, resource URIs,
 * prompt arguments and steps, completions, the guide and field reference. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "dfilter.h"
#include "jsonrpc.h"
#include "mcp_schema.h"
#include "tools.h"

/* Most clients put name, title, description and inputSchema of every tool
 * into the model's context on every request. 20 KiB since the ICMP and MTU
 * tools (37 tools; each analysis tool's shared arguments alone take ~330
 * bytes); 21 KiB since the enterprise protocols (eight more response-time
 * protocols, and room for the Windows-domain tool's ~450 bytes). */
#define TOOL_LIST_BUDGET 21504

static char dir[] = "/tmp/pa_test_surface_XXXXXX";
static pa_config cfg;

static void write_file(const char *name, const void *data, size_t n, time_t mtime) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f) return;
    fwrite(data, 1, n, f);
    fclose(f);
    struct timespec ts[2] = {{mtime, 0}, {mtime, 0}};
    utimensat(AT_FDCWD, p, ts, 0);
}

static void remove_dir(void) {
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
        if (unlinkat(dirfd(d), de->d_name, 0) != 0) unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR);
    }
    if (d) closedir(d);
    rmdir(dir);
}

static const unsigned char pcap_header[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2,    0,    4, 0, 0, 0, 0, 0,
                                              0,    0,    0,    0,    0xff, 0xff, 0, 0, 1, 0, 0, 0};

static void test_budget(void) {
    pa_registry reg;
    pa_registry_init(&reg);
    char err[512];
    CHECK(pa_tools_register_builtin(&reg, err, sizeof err) == 0);
    json_t *all = json_array();
    size_t largest = 0;
    const char *largest_name = "";
    for (size_t i = 0; i < reg.n; i++) {
        const pa_registry_entry *e = &reg.v[i];
        json_t *one = json_pack("{s:s, s:s, s:s, s:O}", "name", e->def->name, "title", e->def->title, "description",
                                e->def->description, "inputSchema", e->advertised);
        char *s = pa_jsonrpc_dump(one, NULL);
        if (s && strlen(s) > largest) {
            largest = strlen(s);
            largest_name = e->def->name;
        }
        free(s);
        json_array_append_new(all, one);
    }
    /* as the server writes it (compact; reals as 0.1, not 0.10000000000000001) */
    char *text = pa_jsonrpc_dump(all, NULL);
    size_t n = text ? strlen(text) : 0;
    printf("tools/list, model-facing part: %zu bytes for %zu tools (budget %d; largest %s, %zu "
           "bytes)\n",
           n, reg.n, TOOL_LIST_BUDGET, largest_name, largest);
    CHECK(n > 0 && n <= TOOL_LIST_BUDGET);
    /* The shared arguments say nothing the instructions and the guide do
     * not: a description there would be paid once per tool. */
    for (size_t i = 0; i < reg.n; i++) {
        json_t *props = json_object_get(reg.v[i].input, "properties");
        const char *shared[] = {"pcap_file", "bpf_filter", "display_filter", "limit"};
        for (size_t k = 0; k < 4; k++) {
            json_t *p = json_object_get(props, shared[k]);
            if (p && json_object_get(p, "description")) {
                fprintf(stderr, "%s.%s has a description\n", reg.v[i].def->name, shared[k]);
                CHECK(0);
            }
        }
    }
    free(text);
    json_decref(all);
    pa_registry_free(&reg);
}

static bool in_registry(const pa_registry *r, const char *name) { return pa_registry_find(r, name) != NULL; }

static void test_toolsets(void) {
    pa_registry sets[3];
    char err[512];
    for (int s = 0; s < 3; s++) {
        pa_registry_init(&sets[s]);
        CHECK(pa_tools_register_set(&sets[s], (pa_toolset)s, err, sizeof err) == 0);
    }
    const char *core[] = {"list_captured_files", "analyze_pcap_file",  "analyze_expert_information",
                          "list_packets",        "get_packet_details", "follow_stream"};
    CHECK(sets[PA_TOOLSET_CORE].n == 6);
    for (size_t i = 0; i < 6 && i < sets[PA_TOOLSET_CORE].n; i++)
        CHECK_STR(sets[PA_TOOLSET_CORE].v[i].def->name, core[i]);
    const char *writers[] = {"list_network_interfaces", "start_packet_capture", "stop_packet_capture",
                             "get_capture_status", "export_packets"};
    CHECK(sets[PA_TOOLSET_FULL].n == 41);
    CHECK(sets[PA_TOOLSET_ANALYSIS].n == sets[PA_TOOLSET_FULL].n - 5);
    for (size_t i = 0; i < 5; i++) {
        CHECK(!in_registry(&sets[PA_TOOLSET_ANALYSIS], writers[i]));
        CHECK(in_registry(&sets[PA_TOOLSET_FULL], writers[i]));
        CHECK(pa_tools_min_set(writers[i]) == PA_TOOLSET_FULL);
    }
    /* Each set holds the one before it, in the same order; analysis tools
     * only read. */
    for (int s = 1; s < 3; s++)
        for (size_t i = 0; i < sets[s - 1].n; i++) CHECK(in_registry(&sets[s], sets[s - 1].v[i].def->name));
    for (size_t i = 0; i < sets[PA_TOOLSET_ANALYSIS].n; i++) {
        CHECK(sets[PA_TOOLSET_ANALYSIS].v[i].def->read_only);
        CHECK(pa_tools_min_set(sets[PA_TOOLSET_ANALYSIS].v[i].def->name) <= PA_TOOLSET_ANALYSIS);
    }
    CHECK(pa_tools_min_set("follow_stream") == PA_TOOLSET_CORE);
    CHECK(pa_tools_min_set("analyze_tls_alerts") == PA_TOOLSET_ANALYSIS);
    CHECK(pa_tools_min_set("nope") == -1);
    for (int s = 0; s < 3; s++) pa_registry_free(&sets[s]);
}

/* ---- a fake catalog for the protocol side ------------------------------ */

static char checked[1100];
static pa_file_status fake_check(const pa_config *c, const char *name, char *err, size_t errlen) {
    (void)c;
    snprintf(checked, sizeof checked, "%s", name);
    if (strcmp(name, "gone.pcap") == 0) {
        snprintf(err, errlen, "no file 'gone.pcap'");
        return PA_FILE_NOT_FOUND;
    }
    if (strstr(name, "..")) {
        snprintf(err, errlen, "'..' refused");
        return PA_FILE_REFUSED;
    }
    return PA_FILE_OK;
}

static size_t fake_fields(const char *prefix, size_t max, json_t *out) {
    static const char *const names[] = {"tcp.flags", "tcp.flags.syn", "tcp.port", "udp.port"};
    size_t total = 0;
    for (size_t i = 0; i < 4; i++)
        if (strncmp(names[i], prefix, strlen(prefix)) == 0 && total++ < max)
            json_array_append_new(out, json_string(names[i]));
    return total;
}

static void render_echo(const pa_catalog_env *env, const json_t *args, pa_buf *out) {
    (void)env;
    char *s = json_dumps(args, JSON_COMPACT | JSON_SORT_KEYS);
    pa_buf_puts(out, s ? s : "");
    free(s);
}

static const pa_resource_template_def fake_templates[] = {
    {"pcap://{file}/summary", "s", "Summary", "d", "text/plain", "analyze_pcap_file",
     "{\"analysis_type\":\"summary\"}"},
    {"x-other:{file}", "o", "Other", "d", "text/plain", "not_registered", "{}"},
};

static const pa_prompt_def fake_prompts[] = {
    {"p",
     "P",
     "d",
     {{"pcap_file", "f", PA_PARG_FILE, true},
      {"host", "h", PA_PARG_HOST, false},
      {"stream", "s", PA_PARG_STREAM, false},
      {"display_filter", "x", PA_PARG_FILTER, false}},
     render_echo},
};

static bool real_filter(const char *text, char *err, size_t errlen) {
    pa_dfilter *f = pa_dfilter_compile(text, err, errlen);
    pa_dfilter_free(f);
    return f != NULL;
}

static const pa_catalog fake = {
    .templates = fake_templates,
    .ntemplates = 2,
    .prompts = fake_prompts,
    .nprompts = 1,
    .check_file = fake_check,
    .fields = fake_fields,
    .check_filter = real_filter,
};

static void test_template_uris(const pa_registry *reg) {
    pa_catalog_env env = {&cfg, reg};
    char err[1024];
    int code;
    json_t *args;
    const struct {
        const char *uri, *file;
    } ok[] = {{"pcap://a%2Bb%20c.pcap/summary", "a+b c.pcap"},
              {"pcap://sub%2fx.pcap/summary", "sub/x.pcap"},
              {"pcap://sub/x.pcap/summary", "sub/x.pcap"},
              {"pcap://%C3%A9t%C3%A9.pcap/summary", "\xc3\xa9t\xc3\xa9.pcap"},
              {"pcap://x/summary/summary", "x/summary"}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        const pa_resource_template_def *t = pa_resource_match(&fake, &env, ok[i].uri, &args, &code, err, sizeof err);
        CHECK(t == &fake_templates[0]);
        CHECK_STR(checked, ok[i].file);
        CHECK_STR(json_string_value(json_object_get(args, "pcap_file")), ok[i].file);
        CHECK_STR(json_string_value(json_object_get(args, "analysis_type")), "summary");
        json_decref(args);
    }
    const struct {
        const char *uri;
        int code;
        const char *msg;
    } bad[] = {
        {"pcap://a%2/summary", PA_JSONRPC_INVALID_PARAMS, "percent-encoded"},
        {"pcap://a%zz/summary", PA_JSONRPC_INVALID_PARAMS, "percent-encoded"},
        {"pcap://a%00b/summary", PA_JSONRPC_INVALID_PARAMS, "without NUL"},
        {"pcap://gone.pcap/summary", PA_MCP_RESOURCE_NOT_FOUND, "Resource not found: no file"},
        {"pcap://..%2Fx/summary", PA_JSONRPC_INVALID_PARAMS, "Invalid params: '..' refused"},
        {"pcap:///summary", PA_MCP_RESOURCE_NOT_FOUND, "not a resource of this server"},
        {"pcap://x.pcap/summarY", PA_MCP_RESOURCE_NOT_FOUND, "not a resource"},
        /* a template whose tool is not offered does not exist */
        {"x-other:a.pcap", PA_MCP_RESOURCE_NOT_FOUND, "not a resource"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        CHECK(pa_resource_match(&fake, &env, bad[i].uri, &args, &code, err, sizeof err) == NULL);
        CHECK(args == NULL);
        CHECK(code == bad[i].code);
        CHECK_CONTAINS(err, bad[i].msg);
    }
    /* an overlong name is refused before any check */
    char big[4000];
    snprintf(big, sizeof big, "pcap://%03000d/summary", 0);
    CHECK(pa_resource_match(&fake, &env, big, &args, &code, err, sizeof err) == NULL);
    CHECK(code == PA_JSONRPC_INVALID_PARAMS);
    json_t *list = pa_resource_templates_list(&fake, &env);
    CHECK(json_array_size(json_object_get(list, "resourceTemplates")) == 1);
    json_decref(list);
}

static json_t *get(const pa_registry *reg, const char *params, int *code, char *err) {
    pa_catalog_env env = {&cfg, reg};
    json_t *p = json_loads(params, 0, NULL);
    json_t *r = pa_prompt_get(&fake, &env, p, code, err, 1024);
    json_decref(p);
    return r;
}

static const char *message_text(const json_t *r) {
    return json_string_value(
        json_object_get(json_object_get(json_array_get(json_object_get(r, "messages"), 0), "content"), "text"));
}

static void test_prompt_args(const pa_registry *reg) {
    char err[1024];
    int code;
    json_t *r = get(reg,
                    "{\"name\":\"p\",\"arguments\":{\"pcap_file\":\"a.pcap\",\"host\":\"::1\","
                    "\"stream\":\"4294967295\",\"display_filter\":\"tcp.port in {80 443}\"}}",
                    &code, err);
    CHECK_STR(message_text(r), "{\"display_filter\":\"tcp.port in {80 443}\",\"host\":\"::1\","
                               "\"pcap_file\":\"a.pcap\",\"stream\":\"4294967295\"}");
    json_decref(r);
    /* empty optional arguments are left out */
    r = get(reg, "{\"name\":\"p\",\"arguments\":{\"pcap_file\":\"a.pcap\",\"host\":\"\"}}", &code, err);
    CHECK_STR(message_text(r), "{\"pcap_file\":\"a.pcap\"}");
    json_decref(r);
    const struct {
        const char *params, *msg;
    } bad[] = {
        {"{\"name\":\"p\"}", "needs the argument 'pcap_file'"},
        {"{\"name\":\"p\",\"arguments\":{\"pcap_file\":\"\"}}", "needs the argument 'pcap_file'"},
        {"{\"name\":\"p\",\"arguments\":{\"pcap_file\":\"gone.pcap\"}}", "'pcap_file': no file"},
        {"{\"name\":\"p\",\"arguments\":{\"pcap_file\":\"a\",\"host\":\"10.0.0.256\"}}", "IPv4 or IPv6"},
        {"{\"name\":\"p\",\"arguments\":{\"pcap_file\":\"a\",\"host\":\"10.0.0.0/8\"}}", "IPv4 or IPv6"},
        {"{\"name\":\"p\",\"arguments\":{\"pcap_file\":\"a\",\"stream\":\"4294967296\"}}", "tcp.stream number"},
        {"{\"name\":\"p\",\"arguments\":{\"pcap_file\":\"a\",\"stream\":\"+1\"}}", "tcp.stream number"},
        {"{\"name\":\"p\",\"arguments\":{\"pcap_file\":\"a\",\"stream\":\"1 \"}}", "tcp.stream number"},
        {"{\"name\":\"p\",\"arguments\":{\"pcap_file\":\"a\",\"display_filter\":\"tcp.nope\"}}",
         "not a display filter"},
        {"{\"name\":\"p\",\"arguments\":{\"pcap_file\":\"a\",\"x\":\"1\"}}",
         "arguments: pcap_file (required), host, stream, display_filter"},
        {"{\"name\":\"p\",\"arguments\":{\"pcap_file\":true}}", "must be a string"},
        {"{\"name\":\"p\",\"arguments\":\"a.pcap\"}", "object of strings"},
        {"{\"name\":7}", "needs params.name"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        r = get(reg, bad[i].params, &code, err);
        CHECK(r == NULL);
        CHECK(code == PA_JSONRPC_INVALID_PARAMS);
        CHECK_CONTAINS(err, bad[i].msg);
    }
}

static json_t *complete(const pa_registry *reg, const pa_catalog *c, const char *params, int *code, char *err) {
    pa_catalog_env env = {&cfg, reg};
    json_t *p = json_loads(params, 0, NULL);
    json_t *r = pa_complete(c, &env, p, code, err, 1024);
    json_decref(p);
    return r;
}

static void test_complete_filter(const pa_registry *reg) {
    char err[1024];
    int code;
    json_t *r = complete(reg, &fake,
                         "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"p\"},\"argument\":{\"name\":"
                         "\"display_filter\",\"value\":\"!(tcp.fl\"}}",
                         &code, err);
    json_t *c = json_object_get(r, "completion");
    CHECK(json_array_size(json_object_get(c, "values")) == 2);
    CHECK_STR(json_string_value(json_array_get(json_object_get(c, "values"), 0)), "!(tcp.flags");
    CHECK_STR(json_string_value(json_array_get(json_object_get(c, "values"), 1)), "!(tcp.flags.syn");
    CHECK(json_integer_value(json_object_get(c, "total")) == 2);
    json_decref(r);
    /* after an operator nothing is being typed: every field */
    r = complete(reg, &fake,
                 "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"p\"},\"argument\":{\"name\":"
                 "\"display_filter\",\"value\":\"tcp.port == 80 && \"}}",
                 &code, err);
    c = json_object_get(r, "completion");
    CHECK(json_integer_value(json_object_get(c, "total")) == 4);
    CHECK_STR(json_string_value(json_array_get(json_object_get(c, "values"), 3)), "tcp.port == 80 && udp.port");
    json_decref(r);
    /* the real field list: bounded at 100 with the full count */
    const pa_catalog *real = pa_tools_catalog();
    r = complete(reg, real,
                 "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"capture_triage\"},\"argument\":"
                 "{\"name\":\"display_filter\",\"value\":\"\"}}",
                 &code, err);
    c = json_object_get(r, "completion");
    CHECK(json_array_size(json_object_get(c, "values")) == PA_COMPLETION_MAX_VALUES);
    CHECK(json_integer_value(json_object_get(c, "total")) == PA_DF_COUNT);
    CHECK(json_is_true(json_object_get(c, "hasMore")));
    json_decref(r);
}

static void test_files(const pa_registry *reg) {
    const pa_catalog *real = pa_tools_catalog();
    write_file("old.pcap", pcap_header, sizeof pcap_header, 1000);
    write_file("new.cap", pcap_header, sizeof pcap_header, 3000);
    write_file("mid.dump", pcap_header, sizeof pcap_header, 2000); /* a capture by magic */
    write_file("text.pcap", "hello", 5, 4000);                     /* not a capture */
    write_file(".hidden.pcap", pcap_header, sizeof pcap_header, 5000);
    write_file("bad\x01name.pcap", pcap_header, sizeof pcap_header, 5000);
    char p[512];
    snprintf(p, sizeof p, "%s/dir.pcap", dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/link.pcap", dir);
    CHECK(symlink("/etc/hostname", p) == 0);
    json_t *out = json_array();
    CHECK(real->files(&cfg, "", 100, out) == 3);
    CHECK(json_array_size(out) == 3);
    const char *order[] = {"new.cap", "mid.dump", "old.pcap"};
    for (size_t i = 0; i < 3; i++)
        CHECK_STR(json_string_value(json_object_get(json_array_get(out, i), "name")), order[i]);
    CHECK(json_integer_value(json_object_get(json_array_get(out, 0), "size_bytes")) == 24);
    CHECK_STR(json_string_value(json_object_get(json_array_get(out, 0), "format")), "pcap");
    json_decref(out);
    out = json_array();
    CHECK(real->files(&cfg, "", 2, out) == 3); /* every match counted, two given */
    CHECK(json_array_size(out) == 2);
    json_decref(out);
    out = json_array();
    CHECK(real->files(&cfg, "m", 100, out) == 1);
    json_decref(out);

    char err[512];
    CHECK(real->check_file(&cfg, "old.pcap", err, sizeof err) == PA_FILE_OK);
    CHECK(real->check_file(&cfg, "none.pcap", err, sizeof err) == PA_FILE_NOT_FOUND);
    CHECK(real->check_file(&cfg, "text.pcap", err, sizeof err) == PA_FILE_REFUSED);
    CHECK(real->check_file(&cfg, "link.pcap", err, sizeof err) == PA_FILE_REFUSED);
    CHECK(real->check_file(&cfg, "dir.pcap", err, sizeof err) == PA_FILE_REFUSED);

    /* resources/list: the documents, then each capture once */
    pa_catalog_env env = {&cfg, reg};
    json_t *list = pa_resources_list(real, &env);
    json_t *res = json_object_get(list, "resources");
    CHECK(json_array_size(res) == real->nresources + 3);
    CHECK_STR(json_string_value(json_object_get(json_array_get(res, real->nresources), "uri")),
              "pcap://new.cap/summary");
    json_decref(list);

    int code;
    json_t *r = complete(reg, real,
                         "{\"ref\":{\"type\":\"ref/resource\",\"uri\":\"pcap://{file}/expert\"},"
                         "\"argument\":{\"name\":\"file\",\"value\":\"o\"}}",
                         &code, err);
    json_t *c = json_object_get(r, "completion");
    CHECK(json_array_size(json_object_get(c, "values")) == 1);
    CHECK_STR(json_string_value(json_array_get(json_object_get(c, "values"), 0)), "old.pcap");
    CHECK(json_is_false(json_object_get(c, "hasMore")));
    json_decref(r);
}

/* Every step of every prompt names a tool the server offers, with
 * arguments its inputSchema accepts; with the core set too, where steps
 * fall back to other tools. */
static void check_prompt_steps(const pa_registry *reg, const char *text, const char *prompt) {
    for (const char *line = text; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        const char *tick = memchr(line, '`', len);
        if (len > 3 && line[0] >= '1' && line[0] <= '9' && tick && tick < line + 4) {
            const char *end = memchr(tick + 1, '`', len - (size_t)(tick + 1 - line));
            const char *brace = end ? memchr(end, '{', len - (size_t)(end - line)) : NULL;
            if (end && brace) {
                char tool[80];
                snprintf(tool, sizeof tool, "%.*s", (int)(end - tick - 1), tick + 1);
                const pa_registry_entry *e = pa_registry_find(reg, tool);
                if (!e) fprintf(stderr, "%s names %s, which is not offered\n", prompt, tool);
                CHECK(e != NULL);
                json_error_t je;
                json_t *args = json_loadb(brace, len - (size_t)(brace - line), 0, &je);
                CHECK(json_is_object(args));
                char err[512];
                if (e && args && pa_schema_check_args(e->input, args, err, sizeof err)) {
                    fprintf(stderr, "%s: %s: %s\n", prompt, tool, err);
                    CHECK(0);
                }
                json_decref(args);
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    /* any tool named in backticks must exist too */
    for (const char *q = strchr(text, '`'); q; q = strchr(q, '`')) {
        const char *e = strchr(q + 1, '`');
        if (!e) break;
        char word[80];
        snprintf(word, sizeof word, "%.*s", (int)(e - q - 1), q + 1);
        bool tool_like = strncmp(word, "analyze_", 8) == 0 || strncmp(word, "extract_", 8) == 0 ||
                         strncmp(word, "list_", 5) == 0 || strncmp(word, "get_", 4) == 0 ||
                         strncmp(word, "generate_", 9) == 0 || strcmp(word, "follow_stream") == 0;
        if (tool_like && !pa_registry_find(reg, word)) {
            fprintf(stderr, "%s mentions %s, which is not offered\n", prompt, word);
            CHECK(0);
        }
        q = e + 1;
    }
}

static void test_real_prompts(void) {
    const pa_catalog *real = pa_tools_catalog();
    CHECK(real->nprompts == 5);
    for (int set = PA_TOOLSET_CORE; set <= PA_TOOLSET_FULL; set++) {
        pa_registry reg;
        pa_registry_init(&reg);
        char err[1024];
        CHECK(pa_tools_register_set(&reg, (pa_toolset)set, err, sizeof err) == 0);
        pa_catalog_env env = {&cfg, &reg};
        for (size_t i = 0; i < real->nprompts; i++) {
            const char *variants[] = {"{\"pcap_file\":\"old.pcap\"}",
                                      "{\"pcap_file\":\"old.pcap\",\"host\":\"10.0.0.5\","
                                      "\"stream\":\"2\",\"display_filter\":\"udp\"}"};
            for (size_t v = 0; v < 2; v++) {
                json_t *args = json_loads(variants[v], 0, NULL);
                /* keep only the arguments this prompt has */
                const char *key;
                json_t *val, *tmp;
                json_object_foreach_safe(args, tmp, key, val) {
                    bool known = false;
                    for (size_t k = 0; k < PA_PROMPT_MAX_ARGS && real->prompts[i].args[k].name; k++)
                        known |= strcmp(real->prompts[i].args[k].name, key) == 0;
                    if (!known) json_object_del(args, key);
                }
                json_t *params = json_pack("{s:s, s:o}", "name", real->prompts[i].name, "arguments", args);
                int code = 0;
                json_t *r = pa_prompt_get(real, &env, params, &code, err, sizeof err);
                if (!r) fprintf(stderr, "%s: %s\n", real->prompts[i].name, err);
                CHECK(r != NULL);
                const char *text = message_text(r);
                CHECK(text && strstr(text, "1. `") != NULL);
                if (text) check_prompt_steps(&reg, text, real->prompts[i].name);
                json_decref(r);
                json_decref(params);
            }
        }
        pa_registry_free(&reg);
    }
}

/* Every template reads through a registered tool with arguments its
 * inputSchema accepts. */
static void test_real_templates(const pa_registry *reg) {
    const pa_catalog *real = pa_tools_catalog();
    CHECK(real->ntemplates >= 1);
    CHECK_STR(real->templates[0].uri_template, "pcap://{file}/summary");
    pa_catalog_env env = {&cfg, reg};
    for (size_t i = 0; i < real->ntemplates; i++) {
        const pa_resource_template_def *t = &real->templates[i];
        const pa_registry_entry *e = pa_registry_find(reg, t->tool);
        CHECK(e != NULL);
        char uri[256], err[1024];
        const char *v = strstr(t->uri_template, "{file}");
        CHECK(v != NULL);
        if (!v || !e) continue;
        snprintf(uri, sizeof uri, "%.*sold.pcap%s", (int)(v - t->uri_template), t->uri_template, v + 6);
        json_t *args = NULL;
        int code = 0;
        CHECK(pa_resource_match(real, &env, uri, &args, &code, err, sizeof err) == t);
        CHECK(args && pa_schema_check_args(e->input, args, err, sizeof err) == 0);
        json_decref(args);
    }
}

static void test_documents(void) {
    pa_registry full, core;
    char err[512];
    pa_registry_init(&full);
    pa_registry_init(&core);
    CHECK(pa_tools_register_set(&full, PA_TOOLSET_FULL, err, sizeof err) == 0);
    CHECK(pa_tools_register_set(&core, PA_TOOLSET_CORE, err, sizeof err) == 0);
    const pa_catalog *real = pa_tools_catalog();
    pa_catalog_env env = {&cfg, &full}, cenv = {&cfg, &core};
    int code;
    json_t *r = pa_resource_read_fixed(real, &env, "pcap-analyzer://display-filter-fields", &code, err, sizeof err);
    const char *text = json_string_value(json_object_get(json_array_get(json_object_get(r, "contents"), 0), "text"));
    CHECK(text != NULL);
    /* every field of fields.def, once, with its type */
    size_t listed = 0;
    for (int f = 0; f < PA_DF_COUNT && text; f++) {
        const char *name = pa_dfield_name((pa_dfield)f);
        char want[128];
        if (strchr(name, '.'))
            snprintf(want, sizeof want, "\n- `%s` (", name);
        else
            snprintf(want, sizeof want, "\n## %s: ", name);
        if (strstr(text, want))
            listed++;
        else
            fprintf(stderr, "field reference lacks %s\n", name);
    }
    CHECK(listed == PA_DF_COUNT);
    CHECK_CONTAINS(text, "- `ip.src` (IPv4 address, /prefix allowed): IPv4 source\n");
    json_decref(r);

    /* the guide names every tool offered, and none that is not */
    for (int pass = 0; pass < 2; pass++) {
        const pa_registry *reg = pass ? &core : &full;
        r = pa_resource_read_fixed(real, pass ? &cenv : &env, "pcap-analyzer://guide", &code, err, sizeof err);
        text = json_string_value(json_object_get(json_array_get(json_object_get(r, "contents"), 0), "text"));
        CHECK(text != NULL);
        for (size_t i = 0; i < full.n && text; i++) {
            char want[96];
            snprintf(want, sizeof want, "`%s`", full.v[i].def->name);
            bool offered = pa_registry_find(reg, full.v[i].def->name) != NULL;
            if ((strstr(text, want) != NULL) != offered) {
                fprintf(stderr, "guide (%s set): %s %s\n", pass ? "core" : "full", want,
                        offered ? "missing" : "named but not offered");
                CHECK(0);
            }
        }
        json_decref(r);
    }
    /* an unknown URI is not a fixed resource */
    CHECK(pa_resource_read_fixed(real, &env, "pcap-analyzer://other", &code, err, sizeof err) == NULL);
    CHECK(code == 0);
    pa_registry_free(&full);
    pa_registry_free(&core);
}

int main(void) {
    if (!mkdtemp(dir)) return 2;
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.storage_dir, sizeof cfg.storage_dir, "%s", dir);
    cfg.toolset = PA_TOOLSET_FULL;
    pa_registry reg;
    pa_registry_init(&reg);
    char err[512];
    if (pa_tools_register_builtin(&reg, err, sizeof err)) return 2;

    test_budget();
    test_toolsets();
    test_template_uris(&reg);
    test_prompt_args(&reg);
    test_complete_filter(&reg);
    test_files(&reg);
    test_real_prompts();
    test_real_templates(&reg);
    test_documents();

    pa_registry_free(&reg);
    remove_dir();
    return check_done("surface");
}
