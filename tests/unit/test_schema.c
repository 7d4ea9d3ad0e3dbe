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
    CHECK(args_err("{\"pcap_file\":\"x\",\"limit\":1001}", err, sizeof err) == 0); /* clamped */
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
    CHECK(
        args_err("{\"pcap_file\":\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}",
                 err, sizeof err) == 0);

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
    const char *good[] = {"{\"t\":\"abc\"}",   "{\"t\":null}", "{\"n\":5}", "{\"n\":\"auto\"}",
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

/* Enum strings in any ASCII case become the canonical member, as the
 * original server took them; unknown values still list the accepted ones. */
static void test_enum_case(void) {
    char err[512];
    json_t *s = js(schema_text);
    static const char *const sent[] = {"PROTOCOLS", "Protocols", "pRoToCoLs", "protocols"};
    for (size_t i = 0; i < sizeof sent / sizeof sent[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "{\"pcap_file\":\"x\",\"analysis_type\":\"%s\"}", sent[i]);
        json_t *a = js(text);
        CHECK(pa_schema_check_args(s, a, err, sizeof err) == 0);
        CHECK_STR(json_string_value(json_object_get(a, "analysis_type")), "protocols");
        /* the result is a valid instance, and checking again changes nothing */
        CHECK(pa_schema_validate(s, a, "arguments", err, sizeof err) == 0);
        json_decref(a);
    }
    json_decref(s);
    CHECK(args_err("{\"pcap_file\":\"x\",\"analysis_type\":\"PROTOCOL\"}", err, sizeof err) != 0);
    CHECK_CONTAINS(err, "is not an accepted value; accepted: one of: \"summary\", \"protocols\"");
    CHECK_CONTAINS(err, "got \"PROTOCOL\"");
    /* only ASCII letters fold: a Kelvin sign or a dotless i is not a 'k' or an 'i' */
    CHECK(args_err("{\"pcap_file\":\"x\",\"analysis_type\":\"summ\u0131ry\"}", err, sizeof err) != 0);
    /* other arguments are not folded: file names keep their case */
    json_t *s2 = js(schema_text), *a = js("{\"pcap_file\":\"X.PCAP\"}");
    CHECK(pa_schema_check_args(s2, a, err, sizeof err) == 0);
    CHECK_STR(json_string_value(json_object_get(a, "pcap_file")), "X.PCAP");
    json_decref(a);
    /* numbers in an enum are compared as numbers, never folded */
    json_t *s3 = js("{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"integer\",\"enum\":[64,128]},"
                    "\"m\":{\"type\":\"string\",\"enum\":[\"a\",\"A\"]}}}");
    a = js("{\"b\":128,\"m\":\"A\"}");
    CHECK(pa_schema_check_args(s3, a, err, sizeof err) == 0);
    /* an exact match is kept even when another member differs only in case */
    CHECK_STR(json_string_value(json_object_get(a, "m")), "A");
    json_decref(a);
    a = js("{\"b\":\"128\"}");
    CHECK(pa_schema_check_args(s3, a, err, sizeof err) != 0);
    json_decref(a);
    json_decref(s3);
    json_decref(s2);
}

/* A limit above the maximum becomes the maximum and is noted; below the
 * minimum it stays an error; other arguments above their maximum too. */
static void test_limit_clamp(void) {
    char err[512];
    json_t *s = js(schema_text);
    pa_arg_notes notes;
    json_t *a = js("{\"pcap_file\":\"x\",\"limit\":5000}");
    CHECK(pa_schema_check_args_noted(s, a, &notes, err, sizeof err) == 0);
    CHECK(json_integer_value(json_object_get(a, "limit")) == 1000);
    CHECK(notes.limit_clamped && notes.limit_requested == 5000 && notes.limit_used == 1000);
    CHECK(pa_schema_validate(s, a, "arguments", err, sizeof err) == 0);
    json_decref(a);
    /* a real that is integral counts as that integer */
    a = js("{\"pcap_file\":\"x\",\"limit\":1e12}");
    CHECK(pa_schema_check_args_noted(s, a, &notes, err, sizeof err) == 0);
    CHECK(notes.limit_clamped && notes.limit_requested == 1000000000000ll && notes.limit_used == 1000);
    json_decref(a);
    /* at the maximum, or defaulted: nothing to note */
    a = js("{\"pcap_file\":\"x\",\"limit\":1000}");
    CHECK(pa_schema_check_args_noted(s, a, &notes, err, sizeof err) == 0);
    CHECK(!notes.limit_clamped && json_integer_value(json_object_get(a, "limit")) == 1000);
    json_decref(a);
    a = js("{\"pcap_file\":\"x\"}");
    CHECK(pa_schema_check_args_noted(s, a, &notes, err, sizeof err) == 0);
    CHECK(!notes.limit_clamped);
    json_decref(a);
    /* without notes the clamp still happens */
    a = js("{\"pcap_file\":\"x\",\"limit\":9223372036854775807}");
    CHECK(pa_schema_check_args(s, a, err, sizeof err) == 0);
    CHECK(json_integer_value(json_object_get(a, "limit")) == 1000);
    json_decref(a);
    json_decref(s);
    CHECK(args_err("{\"pcap_file\":\"x\",\"limit\":-5}", err, sizeof err) != 0);
    CHECK_CONTAINS(err, "argument 'limit' is out of range; accepted: an integer from 1 to 1000");
    CHECK(args_err("{\"pcap_file\":\"x\",\"limit\":5000.5}", err, sizeof err) != 0);
    CHECK(args_err("{\"pcap_file\":\"x\",\"limit\":\"5000\"}", err, sizeof err) != 0);
    /* only `limit` is clamped: another bounded integer keeps its error */
    json_t *s2 = js("{\"type\":\"object\",\"properties\":{\"offset\":{\"type\":\"integer\",\"minimum\":0,"
                    "\"maximum\":10},\"limit\":{\"type\":\"integer\",\"minimum\":1}}}");
    a = js("{\"offset\":11}");
    CHECK(pa_schema_check_args_noted(s2, a, &notes, err, sizeof err) != 0);
    CHECK_CONTAINS(err, "argument 'offset' is out of range");
    json_decref(a);
    /* a limit without a maximum is taken as sent */
    a = js("{\"limit\":123456789}");
    CHECK(pa_schema_check_args_noted(s2, a, &notes, err, sizeof err) == 0);
    CHECK(!notes.limit_clamped && json_integer_value(json_object_get(a, "limit")) == 123456789);
    json_decref(a);
    json_decref(s2);
}

int main(void) {
    test_enum_case();
    test_limit_clamp();
    test_args();
    test_supported();
    test_output();
    test_anyof();
    return check_done("schema");
}
