/* JSON-RPC classification and reply building. */
#include <stdlib.h>

#include "check.h"
#include "jsonrpc.h"
#include "util_buf.h"

static pa_jsonrpc_msg parse(const char *s) {
    pa_jsonrpc_msg m;
    pa_jsonrpc_parse(s, strlen(s), 64, &m);
    return m;
}

static void expect(const char *s, pa_msg_kind kind, int code) {
    pa_jsonrpc_msg m = parse(s);
    CHECK(m.kind == kind);
    if (m.kind != kind) fprintf(stderr, "  input: %s -> kind %d (%s)\n", s, m.kind, m.err_msg);
    if (kind == PA_MSG_INVALID) CHECK(m.err_code == code);
    pa_jsonrpc_msg_free(&m);
}

static void test_classify(void) {
    expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", PA_MSG_REQUEST, 0);
    expect("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"x\",\"params\":{}}", PA_MSG_REQUEST, 0);
    expect("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", PA_MSG_NOTIFICATION, 0);
    expect("{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{}}", PA_MSG_RESPONSE, 0);
    expect("{\"jsonrpc\":\"2.0\",\"id\":4,\"error\":{\"code\":1,\"message\":\"m\"}}", PA_MSG_RESPONSE, 0);
    expect("not json", PA_MSG_INVALID, PA_JSONRPC_PARSE_ERROR);
    expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"p\"", PA_MSG_INVALID, PA_JSONRPC_PARSE_ERROR);
    expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xff\"}", PA_MSG_INVALID, PA_JSONRPC_PARSE_ERROR);
    expect("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", PA_MSG_INVALID, PA_JSONRPC_INVALID_REQUEST);
    expect("42", PA_MSG_INVALID, PA_JSONRPC_INVALID_REQUEST);
    expect("{\"id\":1,\"method\":\"ping\"}", PA_MSG_INVALID, PA_JSONRPC_INVALID_REQUEST);
    expect("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", PA_MSG_INVALID, PA_JSONRPC_INVALID_REQUEST);
    expect("{\"jsonrpc\":\"2.0\",\"id\":1}", PA_MSG_INVALID, PA_JSONRPC_INVALID_REQUEST);
    expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", PA_MSG_INVALID, PA_JSONRPC_INVALID_REQUEST);
    expect("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", PA_MSG_INVALID, PA_JSONRPC_INVALID_REQUEST);
    expect("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}", PA_MSG_INVALID, PA_JSONRPC_INVALID_REQUEST);
    expect("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}", PA_MSG_INVALID, PA_JSONRPC_INVALID_REQUEST);
    expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":[1]}", PA_MSG_INVALID, PA_JSONRPC_INVALID_PARAMS);
    expect("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":\"s\"}", PA_MSG_INVALID,
           PA_JSONRPC_INVALID_REQUEST);
    /* Notifications are never answered, even with unusable params. */
    expect("{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":[1]}", PA_MSG_NOTIFICATION, 0);
    expect("{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":null}", PA_MSG_NOTIFICATION, 0);
}

static void test_ids_and_depth(void) {
    pa_jsonrpc_msg m = parse("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"m\",\"params\":{\"x\":1}}");
    CHECK(json_is_string(m.id));
    CHECK_STR(m.method, "m");
    CHECK(json_integer_value(json_object_get(m.params, "x")) == 1);
    pa_jsonrpc_msg_free(&m);

    /* A bad message keeps its usable id so the error can be matched. */
    m = parse("{\"jsonrpc\":\"1.0\",\"id\":9,\"method\":\"ping\"}");
    CHECK(json_integer_value(m.id) == 9);
    pa_jsonrpc_msg_free(&m);

    char deep[400];
    size_t n = 0;
    for (int i = 0; i < 100; i++) deep[n++] = '[';
    for (int i = 0; i < 100; i++) deep[n++] = ']';
    deep[n] = '\0';
    m = parse(deep);
    CHECK(m.kind == PA_MSG_INVALID && m.err_code == PA_JSONRPC_PARSE_ERROR);
    CHECK_CONTAINS(m.err_msg, "deeper");
    pa_jsonrpc_msg_free(&m);

    /* Brackets inside strings do not count as nesting. */
    char s[300];
    n = 0;
    n += (size_t)snprintf(s, sizeof s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"");
    for (int i = 0; i < 100; i++) s[n++] = '[';
    n += (size_t)snprintf(s + n, sizeof s - n, "\"}");
    m = parse(s);
    CHECK(m.kind == PA_MSG_REQUEST);
    pa_jsonrpc_msg_free(&m);
}

static void test_builders(void) {
    json_t *id = json_integer(7);
    json_t *r = pa_jsonrpc_result(id, json_pack("{s:i}", "a", 1));
    size_t len;
    char *s = pa_jsonrpc_dump(r, &len);
    CHECK_STR(s, "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"a\":1}}");
    free(s);
    json_decref(r);

    r = pa_jsonrpc_error(NULL, -32700, "Parse error: x\ny", NULL);
    s = pa_jsonrpc_dump(r, &len);
    CHECK_STR(s, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error: x\\ny\"}}");
    CHECK(strchr(s, '\n') == NULL);
    free(s);
    json_decref(r);

    r = pa_jsonrpc_notification("notifications/progress", json_pack("{s:i}", "progress", 1));
    s = pa_jsonrpc_dump(r, &len);
    CHECK_STR(s, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progress\":1}}");
    free(s);
    json_decref(r);
    json_decref(id);
}

static void test_utf8_sanitize(void) {
    char a[] = "ok \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";
    pa_utf8_sanitize(a, strlen(a));
    CHECK_STR(a, "ok \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"); /* valid text is untouched */
    char b[] = "cut \xe2\x82";                                 /* a character cut short */
    pa_utf8_sanitize(b, strlen(b));
    CHECK_STR(b, "cut ??");
    char c[] = "\xff\xc0\xaf\xed\xa0\x80x"; /* invalid, overlong, surrogate */
    pa_utf8_sanitize(c, strlen(c));
    CHECK_STR(c, "??????x");
    /* a parse error quoting a cut UTF-8 sequence still makes a valid reply */
    pa_jsonrpc_msg m = parse("\"\\\xc3\xa9\"");
    CHECK(m.kind == PA_MSG_INVALID && m.err_code == PA_JSONRPC_PARSE_ERROR);
    json_t *r = pa_jsonrpc_error(NULL, m.err_code, m.err_msg, NULL);
    CHECK(r != NULL);
    json_decref(r);
    pa_jsonrpc_msg_free(&m);

    /* names from packets: controls and invisible or reversing characters
     * become '?', one per byte; other text, and accents, stay */
    char d[] = "a\nb\r\x1b[31mc\x7f\xc2\x85"
               "d\xe2\x80\xae"
               "evil\xe2\x81\xa6"
               "x\xe2\x80\x8b"
               "y\xef\xbb\xbf"
               "z \xc3\xa9\xe2\x82\xac\xff";
    pa_text_scrub(d, strlen(d));
    CHECK_STR(d, "a?b??[31mc???d???evil???x???y???z \xc3\xa9\xe2\x82\xac?");
    char e[] = "host\0name";
    pa_text_scrub(e, sizeof e - 1);
    CHECK_STR(e, "host?name");
}

int main(void) {
    test_utf8_sanitize();
    test_classify();
    test_ids_and_depth();
    test_builders();
    return check_done("jsonrpc");
}
