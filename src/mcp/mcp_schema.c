#include "mcp_schema.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pa_limits.h"

static const char *const known_keywords[] = {"type",      "properties",  "required", "additionalProperties",
                                             "enum",      "minimum",     "maximum",  "minLength",
                                             "maxLength", "items",       "minItems", "maxItems",
                                             "title",     "description", "default",  "format",
                                             "examples",  "$schema",     "anyOf"};

/* anyOf takes the place of type lists (["string","null"]): clients that map
 * tool schemas onto a single-type dialect (OpenAPI-style function
 * declarations) reject a list but understand one type per branch. */
static int anyof_supported(const json_t *schema, char *err, size_t errlen) {
    json_t *type = json_object_get(schema, "type");
    if (type && !json_is_string(type)) {
        snprintf(err, errlen,
                 "'type' must name one type; write anyOf branches with one type each instead of "
                 "a list");
        return -1;
    }
    json_t *alts = json_object_get(schema, "anyOf");
    if (!alts) return 0;
    if (!json_is_array(alts) || json_array_size(alts) == 0) {
        snprintf(err, errlen, "anyOf must be a non-empty array of schemas");
        return -1;
    }
    size_t i;
    json_t *alt;
    json_array_foreach(alts, i, alt) {
        if (pa_schema_supported(alt, err, errlen)) {
            size_t n = strlen(err);
            snprintf(err + n, errlen - n, " (in anyOf[%zu])", i);
            return -1;
        }
    }
    return 0;
}

int pa_schema_supported(const json_t *schema, char *err, size_t errlen) {
    if (!json_is_object(schema)) {
        snprintf(err, errlen, "a schema must be an object");
        return -1;
    }
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)schema, key, val) {
        bool known = false;
        for (size_t i = 0; i < sizeof known_keywords / sizeof known_keywords[0]; i++)
            if (strcmp(key, known_keywords[i]) == 0) known = true;
        if (!known) {
            snprintf(err, errlen, "unsupported schema keyword '%s'", key);
            return -1;
        }
    }
    if (anyof_supported(schema, err, errlen)) return -1;
    json_t *props = json_object_get(schema, "properties");
    if (props) {
        json_object_foreach(props, key, val) {
            if (pa_schema_supported(val, err, errlen)) {
                size_t n = strlen(err);
                snprintf(err + n, errlen - n, " (in property '%s')", key);
                return -1;
            }
        }
    }
    json_t *items = json_object_get(schema, "items");
    if (items && pa_schema_supported(items, err, errlen)) return -1;
    json_t *ap = json_object_get(schema, "additionalProperties");
    if (json_is_object(ap) && pa_schema_supported(ap, err, errlen)) return -1;
    return 0;
}

static bool type_matches(const char *t, const json_t *v) {
    if (strcmp(t, "string") == 0) return json_is_string(v);
    if (strcmp(t, "integer") == 0) return json_is_integer(v);
    if (strcmp(t, "number") == 0) return json_is_number(v);
    if (strcmp(t, "boolean") == 0) return json_is_boolean(v);
    if (strcmp(t, "object") == 0) return json_is_object(v);
    if (strcmp(t, "array") == 0) return json_is_array(v);
    if (strcmp(t, "null") == 0) return json_is_null(v);
    return false;
}

/* A schema without a type accepts any type (anyOf branches carry theirs). */
static bool any_type_matches(const json_t *type, const json_t *v) {
    return !json_is_string(type) || type_matches(json_string_value(type), v);
}

static const char *kind_of(const json_t *v) {
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number with a fraction";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}

static void append(char *out, size_t outlen, const char *s) {
    size_t n = strlen(out);
    if (n < outlen) snprintf(out + n, outlen - n, "%s", s);
}

/* Bounds print as plain numbers ("1000000", not "1e+06"). */
static void fmt_num(char *out, size_t outlen, double v) {
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(out, outlen, "%.0f", v);
    else
        snprintf(out, outlen, "%g", v);
}

/* "a string or null": each branch described, joined with "or". */
static bool describe_anyof(const json_t *schema, char *out, size_t outlen) {
    json_t *alts = json_object_get(schema, "anyOf");
    if (!json_is_array(alts)) return false;
    size_t i;
    json_t *alt;
    json_array_foreach(alts, i, alt) {
        char one[256];
        pa_schema_describe(alt, one, sizeof one);
        if (i) append(out, outlen, " or ");
        append(out, outlen, one);
    }
    return true;
}

void pa_schema_describe(const json_t *schema, char *out, size_t outlen) {
    out[0] = '\0';
    if (describe_anyof(schema, out, outlen)) return;
    json_t *en = json_object_get(schema, "enum");
    if (json_is_array(en)) {
        append(out, outlen, "one of: ");
        size_t i;
        json_t *e;
        json_array_foreach(en, i, e) {
            if (i) append(out, outlen, ", ");
            char *s = json_dumps(e, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(16));
            if (s) {
                append(out, outlen, s);
                free(s);
            }
        }
        return;
    }
    json_t *type = json_object_get(schema, "type");
    const char *t = json_is_string(type) ? json_string_value(type) : "";
    json_t *mn = json_object_get(schema, "minimum"), *mx = json_object_get(schema, "maximum");
    char tmp[128];
    if (strcmp(t, "integer") == 0 || strcmp(t, "number") == 0) {
        const char *what = t[0] == 'i' ? "an integer" : "a number";
        char lo[32] = "", hi[32] = "";
        if (mn) fmt_num(lo, sizeof lo, json_number_value(mn));
        if (mx) fmt_num(hi, sizeof hi, json_number_value(mx));
        if (mn && mx)
            snprintf(tmp, sizeof tmp, "%s from %s to %s", what, lo, hi);
        else if (mn)
            snprintf(tmp, sizeof tmp, "%s of at least %s", what, lo);
        else if (mx)
            snprintf(tmp, sizeof tmp, "%s of at most %s", what, hi);
        else
            snprintf(tmp, sizeof tmp, "%s", what);
        append(out, outlen, tmp);
    } else if (strcmp(t, "string") == 0) {
        json_t *ml = json_object_get(schema, "maxLength"), *nl = json_object_get(schema, "minLength");
        if (nl && json_integer_value(nl) > 0 && ml)
            snprintf(tmp, sizeof tmp, "a non-empty string of at most %lld characters",
                     (long long)json_integer_value(ml));
        else if (nl && json_integer_value(nl) > 0)
            snprintf(tmp, sizeof tmp, "a non-empty string");
        else if (ml)
            snprintf(tmp, sizeof tmp, "a string of at most %lld characters", (long long)json_integer_value(ml));
        else
            snprintf(tmp, sizeof tmp, "a string");
        append(out, outlen, tmp);
    } else if (strcmp(t, "boolean") == 0) {
        append(out, outlen, "true or false");
    } else if (strcmp(t, "array") == 0) {
        append(out, outlen, "an array");
    } else if (strcmp(t, "object") == 0) {
        append(out, outlen, "an object");
    } else if (strcmp(t, "null") == 0) {
        append(out, outlen, "null");
    } else {
        append(out, outlen, "a value");
    }
}

/* Length in characters (code points) of a UTF-8 string, as JSON Schema counts. */
static size_t utf8_len(const char *s, size_t n) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
    return c;
}

static int fail_value(char *err, size_t errlen, const char *path, const json_t *schema, const json_t *v,
                      const char *why) {
    char accepted[512];
    pa_schema_describe(schema, accepted, sizeof accepted);
    char *shown = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(16));
    char brief[80];
    if (shown && strlen(shown) > 60)
        snprintf(brief, sizeof brief, "%.57s...", shown);
    else
        snprintf(brief, sizeof brief, "%s", shown ? shown : "?");
    free(shown);
    if (why)
        snprintf(err, errlen, "%s %s; accepted: %s; got %s", path, why, accepted, brief);
    else
        snprintf(err, errlen, "%s must be %s; got %s (%s)", path, accepted, brief, kind_of(v));
    return -1;
}

/* The value must satisfy one branch. When exactly one branch has the
 * value's type, its own message is the useful one ("out of range"). */
static int anyof_validate(const json_t *schema, const json_t *v, const char *path, char *err, size_t errlen) {
    json_t *alts = json_object_get(schema, "anyOf");
    if (!json_is_array(alts)) return 0;
    const json_t *typed = NULL;
    size_t ntyped = 0, i;
    json_t *alt;
    json_array_foreach(alts, i, alt) {
        if (pa_schema_validate(alt, v, path, err, errlen) == 0) return 0;
        if (any_type_matches(json_object_get(alt, "type"), v)) {
            typed = alt;
            ntyped++;
        }
    }
    if (ntyped == 1) return pa_schema_validate(typed, v, path, err, errlen);
    return fail_value(err, errlen, path, schema, v, NULL);
}

int pa_schema_validate(const json_t *schema, const json_t *v, const char *path, char *err, size_t errlen) {
    if (anyof_validate(schema, v, path, err, errlen)) return -1;
    if (!any_type_matches(json_object_get(schema, "type"), v)) return fail_value(err, errlen, path, schema, v, NULL);

    json_t *en = json_object_get(schema, "enum");
    if (json_is_array(en)) {
        bool found = false;
        size_t i;
        json_t *e;
        json_array_foreach(en, i, e) if (json_equal(e, (json_t *)v)) found = true;
        if (!found) return fail_value(err, errlen, path, schema, v, "is not an accepted value");
    }
    if (json_is_number(v)) {
        double d = json_number_value(v);
        json_t *mn = json_object_get(schema, "minimum"), *mx = json_object_get(schema, "maximum");
        if ((mn && d < json_number_value(mn)) || (mx && d > json_number_value(mx)))
            return fail_value(err, errlen, path, schema, v, "is out of range");
    }
    if (json_is_string(v)) {
        size_t n = utf8_len(json_string_value(v), json_string_length(v));
        json_t *mn = json_object_get(schema, "minLength"), *mx = json_object_get(schema, "maxLength");
        if (mn && n < (size_t)json_integer_value(mn)) return fail_value(err, errlen, path, schema, v, "is too short");
        if (mx && n > (size_t)json_integer_value(mx)) return fail_value(err, errlen, path, schema, v, "is too long");
    }
    if (json_is_array(v)) {
        json_t *mn = json_object_get(schema, "minItems"), *mx = json_object_get(schema, "maxItems");
        size_t n = json_array_size(v);
        if (mn && n < (size_t)json_integer_value(mn))
            return fail_value(err, errlen, path, schema, v, "has too few items");
        if (mx && n > (size_t)json_integer_value(mx))
            return fail_value(err, errlen, path, schema, v, "has too many items");
        json_t *items = json_object_get(schema, "items");
        if (items) {
            size_t i;
            json_t *it;
            json_array_foreach(v, i, it) {
                char sub[256];
                snprintf(sub, sizeof sub, "%s[%zu]", path, i);
                if (pa_schema_validate(items, it, sub, err, errlen)) return -1;
            }
        }
    }
    if (json_is_object(v)) {
        json_t *props = json_object_get(schema, "properties");
        json_t *req = json_object_get(schema, "required");
        size_t i;
        json_t *r;
        json_array_foreach(req, i, r) {
            if (json_is_string(r) && !json_object_get(v, json_string_value(r))) {
                snprintf(err, errlen, "%s is missing the required member '%s'", path, json_string_value(r));
                return -1;
            }
        }
        json_t *ap = json_object_get(schema, "additionalProperties");
        const char *key;
        json_t *val;
        json_object_foreach((json_t *)v, key, val) {
            json_t *ps = props ? json_object_get(props, key) : NULL;
            if (!ps) ps = json_is_object(ap) ? ap : NULL;
            if (!ps) {
                if (json_is_false(ap)) {
                    snprintf(err, errlen, "%s has an unexpected member '%s'", path, key);
                    return -1;
                }
                continue;
            }
            char sub[256];
            snprintf(sub, sizeof sub, "%s.%s", path, key);
            if (pa_schema_validate(ps, val, sub, err, errlen)) return -1;
        }
    }
    return 0;
}

static void list_names(const json_t *props, char *out, size_t outlen) {
    out[0] = '\0';
    const char *key;
    json_t *val;
    bool first = true;
    json_object_foreach((json_t *)props, key, val) {
        if (!first) append(out, outlen, ", ");
        append(out, outlen, key);
        first = false;
    }
    if (first) append(out, outlen, "none");
}

/* Strings reach file names, filters and patterns: a NUL byte inside one is
 * never meaningful and would be cut silently by C string functions. */
static int check_nul(const json_t *v, const char *path, char *err, size_t errlen) {
    if (json_is_string(v) && memchr(json_string_value(v), '\0', json_string_length(v))) {
        snprintf(err, errlen, "%s contains a NUL character (\\u0000); accepted: text without NUL", path);
        return -1;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *it;
        json_array_foreach(v, i, it) if (check_nul(it, path, err, errlen)) return -1;
    }
    if (json_is_object(v)) {
        const char *k;
        json_t *it;
        json_object_foreach((json_t *)v, k, it) if (check_nul(it, path, err, errlen)) return -1;
    }
    return 0;
}

/* The enum member a string equals ignoring ASCII case, or NULL. Clients of
 * the original server send "HTTP" where the schema says "http". */
static json_t *enum_member_nocase(const json_t *schema, const json_t *v) {
    json_t *en = json_object_get(schema, "enum");
    if (!json_is_array(en) || !json_is_string(v)) return NULL;
    size_t i;
    json_t *e;
    json_array_foreach(en, i, e) if (json_equal(e, (json_t *)v)) return e; /* exact wins */
    json_array_foreach(en, i, e) {
        if (!json_is_string(e) || json_string_length(e) != json_string_length(v)) continue;
        const char *a = json_string_value(e), *b = json_string_value(v);
        size_t n = json_string_length(v), k = 0;
        for (; k < n; k++) {
            unsigned char x = (unsigned char)a[k], y = (unsigned char)b[k];
            if (x >= 'A' && x <= 'Z') x = (unsigned char)(x - 'A' + 'a');
            if (y >= 'A' && y <= 'Z') y = (unsigned char)(y - 'A' + 'a');
            if (x != y) break;
        }
        if (k == n) return e;
    }
    return NULL;
}

/* `limit` above its maximum: the maximum is used and the caller told. A
 * limit below the minimum stays an error (it asks for nothing). */
static void clamp_limit(const json_t *ps, json_t *args, json_t *val, pa_arg_notes *notes) {
    json_t *mx = json_object_get(ps, "maximum");
    if (!json_is_integer(val) || !json_is_integer(mx)) return;
    json_int_t v = json_integer_value(val), max = json_integer_value(mx);
    if (v <= max) return;
    if (notes) {
        notes->limit_clamped = true;
        notes->limit_requested = v;
        notes->limit_used = max;
    }
    json_object_set_new(args, "limit", json_integer(max));
}

int pa_schema_check_args(const json_t *schema, json_t *args, char *err, size_t errlen) {
    return pa_schema_check_args_noted(schema, args, NULL, err, errlen);
}

int pa_schema_check_args_noted(const json_t *schema, json_t *args, pa_arg_notes *notes, char *err, size_t errlen) {
    if (notes) memset(notes, 0, sizeof *notes);
    json_t *props = json_object_get(schema, "properties");
    char names[512];
    list_names(props, names, sizeof names);
    const char *key;
    json_t *val;
    json_object_foreach(args, key, val) {
        json_t *ps = props ? json_object_get(props, key) : NULL;
        if (!ps) {
            snprintf(err, errlen, "unknown argument '%s'; accepted arguments: %s", key, names);
            return -1;
        }
        /* 60.0 from a client that only has doubles means 60. */
        json_t *type = json_object_get(ps, "type");
        if (json_is_real(val) && json_is_string(type) && strcmp(json_string_value(type), "integer") == 0) {
            double d = json_real_value(val);
            if (d == floor(d) && fabs(d) < 9.0e15) {
                json_object_set_new(args, key, json_integer((json_int_t)d));
                val = json_object_get(args, key);
            }
        }
        json_t *member = enum_member_nocase(ps, val);
        if (member && !json_equal(member, val)) {
            json_object_set_new(args, key, json_deep_copy(member));
            val = json_object_get(args, key);
        }
        if (strcmp(key, "limit") == 0) {
            clamp_limit(ps, args, val, notes);
            val = json_object_get(args, key);
        }
        char path[128];
        snprintf(path, sizeof path, "argument '%s'", key);
        if (check_nul(val, path, err, errlen)) return -1;
        if (pa_schema_validate(ps, val, path, err, errlen)) return -1;
    }
    json_t *req = json_object_get(schema, "required");
    size_t i;
    json_t *r;
    json_array_foreach(req, i, r) {
        const char *name = json_string_value(r);
        if (name && !json_object_get(args, name)) {
            char accepted[256] = "";
            json_t *ps = props ? json_object_get(props, name) : NULL;
            if (ps) pa_schema_describe(ps, accepted, sizeof accepted);
            snprintf(err, errlen, "missing required argument '%s' (%s)", name, accepted);
            return -1;
        }
    }
    json_object_foreach(props, key, val) {
        json_t *def = json_object_get(val, "default");
        if (def && !json_object_get(args, key)) json_object_set_new(args, key, json_deep_copy(def));
    }
    return 0;
}
