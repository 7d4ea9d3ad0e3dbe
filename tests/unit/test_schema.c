/* Schema checks: supported keywords, argument validation with messages that
 * name the argument and what is accepted, defaults, output validation. */
#include <stdlib.h>

#include "check.h"
#include "mcp_schema.h"

static json_t *js(const char *text) {
    json_error_t e;
    json_t *j = json_loads(text, JSON_ALLOW_NUL, &e);
    if (!j) fprintf(stderr, "bad test JSON: %s: %s\n", text, e.text);
    return j;
}

static const char *schema_text =
    "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{"
    "\"pcap_file\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":10},"
    "\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,\"default\":100},"
    "\"case_sensitive\":{\"type\":\"boolean\",\"default\":false},"
    "\"analysis_type\":{\"type\":\"string\",\"enum\":[\"summary\",\"protocols\"],\"default\":\"summary\"}"
    "},\"additionalProperties\":false}";

static int args_err(const char *args, char *err, size_t errlen) {
    json_t *s = js(schema_text), *a = js(args);
    int rc = pa_schema_check_args(s, a, err, errlen);
    json_decref(s);
    json_decref(a);
    return rc;
}

static void test_args(void) {
    char err[512];
    json_t *s = js(schema_text);
    json_t *a = js("{\"pcap_file\":\"x.pcap\"}");
    CHECK(pa_schema_check_args(s, a, err, sizeof err) == 0);
    CHECK(json_integer_value(json_object_get(a, "limit")) == 100);
    CHECK(json_is_false(json_object_get(a, "case_sensitive")));
    CHECK_STR(json_string_value(json_object_get(a, "analysis_type")), "summary");
    json_decref(a);

    /* 60.0 from a double-only client is the integer 60. */
    a = js("{\"pcap_file\":\"x\",\"limit\":60.0}");
    CHECK(pa_schema_check_args(s, a, err, sizeof err) == 0);
    CHECK(json_is_integer(json_object_get(a, "limit")));
    json_decref(a);
    json_decref(s);

    CHECK(args_err("{}", err, sizeof err) != 0);
    CHECK_CONTAINS(err, "missing required argument 'pcap_file'");
    CHECK_CONTAINS(err, "non-empty string");

    CHECK(args_err("{\"pcap_file\":\"x\",\"limit\":\"ten\"}", err, sizeof err) != 0);
    CHECK_CONTAINS(err, "argument 'limit' must be an integer from 1 to 1000");
    CHECK_CONTAINS(err, "got \"ten\" (a string)");

    CHECK(args_err("{\"pcap_file\":\"x\",\"limit\":0}", err, sizeof err) != 0);
    CHECK_CONTAINS(err, "out of range");
    CHECK(args_err("{\"pcap_file\":\"x\",\"limit\":1001}", err, sizeof err) != 0);
    CHECK(args_err("{\"pcap_file\":\"x\",\"limit\":2.5}", err, sizeof err) != 0);
    CHECK_CONTAINS(err, "a number with a fraction");

    CHECK(args_err("{\"pcap_file\":\"x\",\"analysis_type\":\"bogus\"}", err, sizeof err) != 0);
    CHECK_CONTAINS(err, "one of: \"summary\", \"protocols\"");

    CHECK(args_err("{\"pcap_file\":\"x\",\"colour\":1}", err, sizeof err) != 0);
    CHECK_CONTAINS(err, "unknown argument 'colour'");
    CHECK_CONTAINS(err, "pcap_file, limit, case_sensitive, analysis_type");

    CHECK(args_err("{\"pcap_file\":\"\"}", err, sizeof err) != 0);
    CHECK_CONTAINS(err, "too short");
    CHECK(args_err("{\"pcap_file\":\"01234567890\"}", err, sizeof err) != 0);
    CHECK_CONTAINS(err, "too long");
    /* Length is counted in characters, not bytes: 10 two-byte characters fit. */
    CHECK(args_err("{\"pcap_file\":\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}", err, sizeof err) == 0);

    CHECK(args_err("{\"pcap_file\":\"a\\u0000b\"}", err, sizeof err) != 0);
    CHECK_CONTAINS(err, "NUL");

    CHECK(args_err("{\"pcap_file\":\"x\",\"case_sensitive\":\"yes\"}", err, sizeof err) != 0);
    CHECK_CONTAINS(err, "true or false");
}

static void test_supported(void) {
    char err[256];
    json_t *s = js(schema_text);
    CHECK(pa_schema_supported(s, err, sizeof err) == 0);
    json_decref(s);
    s = js("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\"^x\"}}}");
    CHECK(pa_schema_supported(s, err, sizeof err) != 0);
    CHECK_CONTAINS(err, "pattern");
    CHECK_CONTAINS(err, "'a'");
    json_decref(s);
    s = js("{\"type\":\"object\",\"oneOf\":[]}");
    CHECK(pa_schema_supported(s, err, sizeof err) != 0);
    json_decref(s);
}

static void test_output(void) {
    char err[512];
    json_t *s = js("{\"type\":\"object\",\"required\":[\"files\"],\"properties\":{"
                   "\"files\":{\"type\":\"array\",\"maxItems\":2,\"items\":{\"type\":\"object\","
                   "\"required\":[\"n\"],\"properties\":{\"n\":{\"anyOf\":[{\"type\":\"integer\"},"
                   "{\"type\":\"null\"}]}},"
                   "\"additionalProperties\":false}}}}");
    json_t *v = js("{\"files\":[{\"n\":1},{\"n\":null}]}");
    CHECK(pa_schema_validate(s, v, "structuredContent", err, sizeof err) == 0);
    json_decref(v);
    v = js("{\"files\":[{\"n\":1},{\"n\":\"x\"}]}");
    CHECK(pa_schema_validate(s, v, "structuredContent", err, sizeof err) != 0);
    CHECK_CONTAINS(err, "structuredContent.files[1].n");
    json_decref(v);
    v = js("{\"files\":[{\"n\":1,\"extra\":2}]}");
    CHECK(pa_schema_validate(s, v, "structuredContent", err, sizeof err) != 0);
    CHECK_CONTAINS(err, "unexpected member 'extra'");
    json_decref(v);
    v = js("{\"files\":[{\"n\":1},{\"n\":2},{\"n\":3}]}");
    CHECK(pa_schema_validate(s, v, "structuredContent", err, sizeof err) != 0);
    CHECK_CONTAINS(err, "too many items");
    json_decref(v);
    v = js("{}");
    CHECK(pa_schema_validate(s, v, "structuredContent", err, sizeof err) != 0);
    CHECK_CONTAINS(err, "missing the required member 'files'");
    json_decref(v);
    json_decref(s);
}

/* anyOf replaces type lists: checked when registering, enforced when
 * validating, described in messages. */
static void test_anyof(void) {
    char err[512];
    json_t *s = js("{\"type\":\"object\",\"properties\":{\"t\":{\"type\":[\"string\",\"null\"]}}}");
    CHECK(pa_schema_supported(s, err, sizeof err) != 0);
    CHECK_CONTAINS(err, "anyOf");
    CHECK_CONTAINS(err, "'t'");
    json_decref(s);
    s = js("{\"anyOf\":[]}");
    CHECK(pa_schema_supported(s, err, sizeof err) != 0);
    CHECK_CONTAINS(err, "non-empty array");
    json_decref(s);
    s = js("{\"anyOf\":{\"type\":\"string\"}}");
    CHECK(pa_schema_supported(s, err, sizeof err) != 0);
    json_decref(s);
    s = js("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"string\",\"pattern\":\"x\"}]}");
    CHECK(pa_schema_supported(s, err, sizeof err) != 0);
    CHECK_CONTAINS(err, "'pattern' (in anyOf[1])");
    json_decref(s);

    s = js("{\"type\":\"object\",\"properties\":{"
           "\"t\":{\"description\":\"when\",\"anyOf\":[{\"type\":\"string\",\"maxLength\":3},"
           "{\"type\":\"null\"}]},"
           "\"n\":{\"anyOf\":[{\"type\":\"integer\",\"minimum\":1,\"maximum\":5},"
           "{\"type\":\"string\",\"enum\":[\"auto\"]}]},"
           "\"o\":{\"anyOf\":[{\"type\":\"object\",\"required\":[\"a\"],\"properties\":"
           "{\"a\":{\"type\":\"integer\"}},\"additionalProperties\":false},{\"type\":\"null\"}]}},"
           "\"additionalProperties\":false}");
    CHECK(pa_schema_supported(s, err, sizeof err) == 0);
    const char *good[] = {"{\"t\":\"abc\"}", "{\"t\":null}", "{\"n\":5}", "{\"n\":\"auto\"}",
                          "{\"o\":{\"a\":1}}", "{\"o\":null}", "{}"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        json_t *v = js(good[i]);
        CHECK(pa_schema_validate(s, v, "v", err, sizeof err) == 0);
        json_decref(v);
    }
    struct {
        const char *v, *msg;
    } bad[] = {
        /* no branch has the type: every branch is named */
        {"{\"t\":5}", "v.t must be a string of at most 3 characters or null; got 5 (an integer)"},
        /* one branch has the type: its own, more precise message */
        {"{\"t\":\"abcd\"}", "v.t is too long"},
        {"{\"n\":9}", "v.n is out of range; accepted: an integer from 1 to 5"},
        {"{\"n\":\"manual\"}", "v.n is not an accepted value; accepted: one of: \"auto\""},
        {"{\"o\":{\"a\":1,\"b\":2}}", "v.o has an unexpected member 'b'"},
        {"{\"o\":{}}", "v.o is missing the required member 'a'"},
        {"{\"o\":[]}", "v.o must be an object or null"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *v = js(bad[i].v);
        CHECK(pa_schema_validate(s, v, "v", err, sizeof err) != 0);
        CHECK_CONTAINS(err, bad[i].msg);
        json_decref(v);
    }
    char desc[256];
    pa_schema_describe(json_object_get(json_object_get(s, "properties"), "n"), desc, sizeof desc);
    CHECK_STR(desc, "an integer from 1 to 5 or one of: \"auto\"");
    json_decref(s);
}

int main(void) {
    test_args();
    test_supported();
    test_output();
    test_anyof();
    return check_done("schema");
}
