/* A JSON Schema checker for the subset our tools use: type (one name; a
 * list is refused, anyOf says the same portably), anyOf, properties,
 * required, additionalProperties, enum, minimum, maximum,
 * minLength, maxLength, items, minItems, maxItems, plus the annotations
 * title, description, default, format and examples. Anything else is refused
 * when a tool registers, so a schema can never promise a rule we do not check. */
#ifndef PA_MCP_SCHEMA_H
#define PA_MCP_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* 0 when every keyword in schema (recursively) is supported; else -1 and err
 * names the keyword and where it is. */
int pa_schema_supported(const json_t *schema, char *err, size_t errlen);

/* 0 when value satisfies schema. path names value in messages ("structuredContent"). */
int pa_schema_validate(const json_t *schema, const json_t *value, const char *path, char *err, size_t errlen);

/* What the argument checker changed on its own authority, for the caller
 * to report. */
typedef struct pa_arg_notes {
    bool limit_clamped;         /* `limit` was above its maximum */
    json_int_t limit_requested; /* what the client sent */
    json_int_t limit_used;      /* the maximum, put in its place */
} pa_arg_notes;

/* Checks tool arguments (args must be an object; NULL means {}) and fills in
 * defaults. Integral numbers sent as reals (60.0) become integers; a string
 * that matches an enum member ignoring ASCII case becomes that member
 * ("HTTP" -> "http"); a `limit` above its maximum becomes the maximum (the
 * original server took any integer), noted in *notes when notes is not NULL.
 * Messages name the argument and what is accepted. */
int pa_schema_check_args_noted(const json_t *schema, json_t *args, pa_arg_notes *notes, char *err, size_t errlen);
/* The same without notes. */
int pa_schema_check_args(const json_t *schema, json_t *args, char *err, size_t errlen);

/* "an integer from 1 to 1000", "one of: a, b", ... for messages and docs. */
void pa_schema_describe(const json_t *schema, char *out, size_t outlen);

#endif
