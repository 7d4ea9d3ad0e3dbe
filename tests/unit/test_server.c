/* The MCP server driven line by line: lifecycle, version negotiation, paging
 * of tools/list, a tool call through the workers, registry checks. */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "mcp_server.h"

static pa_registry reg;
static pa_config cfg;
static pa_server *srv;
static pa_writer out;
static pa_line_reader in;

static void run_echo(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    (void)ctx;
    res->structured = json_pack("{s:O}", "args", (json_t *)args);
    pa_buf_puts(&res->text, "echo\n");
}

static const char *in_schema = "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\","
                               "\"default\":5}},\"additionalProperties\":false}";
static const char *out_schema = "{\"type\":\"object\",\"required\":[\"args\"],\"properties\":{"
                                "\"args\":{\"type\":\"object\"}}}";

static char names[140][16];
static pa_tool_def defs[140];

static json_t *send_recv(const char *line) {
    pa_server_handle_line(srv, line, strlen(line));
    char *l;
    size_t n;
    if (pa_line_read(&in, &l, &n) != PA_LINE_OK) return NULL;
    return json_loads(l, 0, NULL);
}

static int err_code(json_t *r) { return (int)json_integer_value(json_object_get(json_object_get(r, "error"), "code")); }

static void test_lifecycle(void) {
    json_t *r = send_recv("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
    CHECK(err_code(r) == -32002);
    json_decref(r);
    r = send_recv("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}");
    CHECK(json_is_object(json_object_get(r, "result")));
    json_decref(r);
    r = send_recv("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\",\"params\":{}}");
    CHECK(err_code(r) == -32602);
    json_decref(r);
    r = send_recv("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"initialize\",\"params\":{"
                  "\"protocolVersion\":\"1999-01-01\",\"capabilities\":{}}}");
    json_t *res = json_object_get(r, "result");
    CHECK_STR(json_string_value(json_object_get(res, "protocolVersion")), "2025-11-25");
    CHECK_STR(json_string_value(json_object_get(json_object_get(res, "serverInfo"), "name")),
              "pcap-analyzer-mcp-server");
    CHECK(json_object_get(json_object_get(res, "capabilities"), "tools") != NULL);
    CHECK(json_object_get(json_object_get(res, "capabilities"), "logging") != NULL);
    CHECK(strlen(json_string_value(json_object_get(res, "instructions"))) > 100);
    json_decref(r);
    r = send_recv("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"initialize\",\"params\":{"
                  "\"protocolVersion\":\"2025-06-18\"}}");
    CHECK(err_code(r) == -32600);
    json_decref(r);
}

static void test_paging(void) {
    json_t *r = send_recv("{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"tools/list\"}");
    json_t *res = json_object_get(r, "result");
    CHECK(json_array_size(json_object_get(res, "tools")) == 64);
    CHECK_STR(json_string_value(json_object_get(res, "nextCursor")), "64");
    json_t *t0 = json_array_get(json_object_get(res, "tools"), 0);
    CHECK_STR(json_string_value(json_object_get(t0, "name")), "tool_00");
    CHECK(json_is_true(json_object_get(json_object_get(t0, "annotations"), "readOnlyHint")));
    CHECK(json_is_object(json_object_get(t0, "outputSchema")));
    json_decref(r);
    r = send_recv("{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/list\",\"params\":{\"cursor\":\"128\"}}");
    res = json_object_get(r, "result");
    CHECK(json_array_size(json_object_get(res, "tools")) == 12);
    CHECK(json_object_get(res, "nextCursor") == NULL);
    json_decref(r);
    const char *bad[] = {"\"abc\"", "\"0\"", "\"140\"", "\"-1\"", "7", "\"64x\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char line[200];
        snprintf(line, sizeof line,
                 "{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"tools/list\",\"params\":{\"cursor\":%s}}", bad[i]);
        r = send_recv(line);
        CHECK(err_code(r) == -32602);
        json_decref(r);
    }
}

static void test_call(void) {
    json_t *r = send_recv("{\"jsonrpc\":\"2.0\",\"id\":\"c1\",\"method\":\"tools/call\",\"params\":"
                          "{\"name\":\"tool_44\",\"arguments\":{}}}");
    json_t *res = json_object_get(r, "result");
    CHECK_STR(json_string_value(json_object_get(r, "id")), "c1");
    CHECK(json_is_false(json_object_get(res, "isError")));
    /* The default was filled in before the tool ran. */
    CHECK(json_integer_value(
              json_object_get(json_object_get(json_object_get(res, "structuredContent"), "args"), "n")) == 5);
    json_t *c0 = json_array_get(json_object_get(res, "content"), 0);
    CHECK_STR(json_string_value(json_object_get(c0, "type")), "text");
    CHECK_STR(json_string_value(json_object_get(c0, "text")), "echo\n");
    json_decref(r);

    r = send_recv("{\"jsonrpc\":\"2.0\",\"id\":\"c2\",\"method\":\"tools/call\",\"params\":"
                  "{\"name\":\"tool_44\",\"arguments\":{\"n\":\"x\"}}}");
    res = json_object_get(r, "result");
    CHECK(json_is_true(json_object_get(res, "isError")));
    CHECK(json_object_get(res, "structuredContent") == NULL);
    CHECK_CONTAINS(json_string_value(json_object_get(json_array_get(json_object_get(res, "content"), 0), "text")),
                   "argument 'n' must be an integer");
    json_decref(r);

    r = send_recv("{\"jsonrpc\":\"2.0\",\"id\":\"c3\",\"method\":\"tools/call\",\"params\":{\"name\":\"nope\"}}");
    CHECK(err_code(r) == -32602);
    CHECK_CONTAINS(json_string_value(json_object_get(json_object_get(r, "error"), "message")), "tool_00, tool_01");
    json_decref(r);
    r = send_recv(
        "{\"jsonrpc\":\"2.0\",\"id\":\"c4\",\"method\":\"tools/call\",\"params\":{\"name\":\"tool_01\",\"arguments\":[]}}");
    CHECK(err_code(r) == -32602);
    json_decref(r);
    r = send_recv(
        "{\"jsonrpc\":\"2.0\",\"id\":\"c5\",\"method\":\"logging/setLevel\",\"params\":{\"level\":\"verbose\"}}");
    CHECK(err_code(r) == -32602);
    json_decref(r);
    r = send_recv(
        "{\"jsonrpc\":\"2.0\",\"id\":\"c6\",\"method\":\"logging/setLevel\",\"params\":{\"level\":\"debug\"}}");
    CHECK(json_is_object(json_object_get(r, "result")));
    json_decref(r);
}

static void test_registry_rules(void) {
    pa_registry r2;
    pa_registry_init(&r2);
    char err[512];
    /* The registry keeps the definition's address (definitions are static),
     * so the copy that is mutated below is a different object. */
    CHECK(pa_registry_add(&r2, &defs[0], err, sizeof err) == 0);
    CHECK(pa_registry_add(&r2, &defs[0], err, sizeof err) != 0);
    CHECK_CONTAINS(err, "twice");
    pa_tool_def d = defs[0];
    d.name = "bad name";
    CHECK(pa_registry_add(&r2, &d, err, sizeof err) != 0);
    d.name = "other";
    d.input_schema = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\"x\"}}}";
    CHECK(pa_registry_add(&r2, &d, err, sizeof err) != 0);
    CHECK_CONTAINS(err, "unsupported schema keyword 'pattern'");
    d.input_schema = "{not json";
    CHECK(pa_registry_add(&r2, &d, err, sizeof err) != 0);
    CHECK_CONTAINS(err, "not valid JSON");
    d.input_schema = in_schema;
    d.output_schema = "{\"type\":\"array\"}";
    CHECK(pa_registry_add(&r2, &d, err, sizeof err) != 0);
    d.output_schema = out_schema;
    d.description = "";
    CHECK(pa_registry_add(&r2, &d, err, sizeof err) != 0);
    pa_registry_free(&r2);
}

int main(void) {
    json_object_seed(1);
    pa_registry_init(&reg);
    char err[512];
    for (int i = 0; i < 140; i++) {
        snprintf(names[i], sizeof names[i], "tool_%02d", i);
        defs[i] = (pa_tool_def){.name = names[i],
                                .title = "Fake",
                                .description = "Echoes args.",
                                .input_schema = in_schema,
                                .output_schema = out_schema,
                                .read_only = true,
                                .run = run_echo};
        CHECK(pa_registry_add(&reg, &defs[i], err, sizeof err) == 0);
    }
    int fds[2];
    if (pipe(fds) != 0) return 2;
    pa_writer_init(&out, fds[1]);
    pa_line_reader_init(&in, fds[0], 1 << 20);
    memset(&cfg, 0, sizeof cfg);
    srv = pa_server_new(&cfg, &reg, &out, NULL);
    CHECK(srv != NULL);

    test_lifecycle();
    test_paging();
    test_call();
    test_registry_rules();

    pa_server_free(srv);
    pa_writer_destroy(&out);
    close(fds[1]);
    pa_line_reader_free(&in);
    close(fds[0]);
    pa_registry_free(&reg);
    return check_done("server");
}
