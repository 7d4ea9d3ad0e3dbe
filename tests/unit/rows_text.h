/* What a model reads: every row of every list in a result's structured
 * content must be in its text, in the same order, by the fields that
 * identify it (frames, stream, endpoints, names: the rule of
 * tests/corpus/answers.mjs, kept small for the unit tests). */
#ifndef PA_ROWS_TEXT_H
#define PA_ROWS_TEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const rows_text_keys[] = {"frame",  "first_frame", "query_frame", "response_frame", "reset_frame",
                                             "stream", "client",      "server",      "name",           "domain",
                                             "sni",    "subject",     "sha256",      "display_filter", "ja3",
                                             "ja4",    "ja3s",        "rcode",       "description",    NULL};

/* Where v occurs in [from, to) as a whole number or as text, or NULL. */
static const char *rows_text_find(const char *from, const char *to, json_t *v) {
    char num[32];
    const char *s = json_is_integer(v) ? num : json_string_value(v);
    if (json_is_integer(v)) snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
    size_t n = strlen(s);
    for (const char *p = from; p + n <= to; p++) {
        if (memcmp(p, s, n)) continue;
        if (!json_is_integer(v)) return p;
        bool before = p == from || ((p[-1] < '0' || p[-1] > '9') && p[-1] != '.');
        bool after = p + n == to || p[n] < '0' || p[n] > '9';
        if (before && after) return p;
    }
    return NULL;
}

/* The end of the line `lines` lines after p's (or the text's end). */
static const char *rows_text_lines(const char *p, const char *end, int lines) {
    while (p < end && lines > 0)
        if (*p++ == '\n') lines--;
    return p;
}

/* Checks every array of objects under v; prints the first row missing. */
static bool rows_in_text(json_t *v, const char *text, const char *path) {
    const char *end = text + strlen(text);
    bool ok = true;
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) if (strcmp(k, "left_out")) ok &= rows_in_text(x, text, k);
        return ok;
    }
    if (!json_is_array(v)) return true;
    const char *cursor = text;
    size_t i;
    json_t *row;
    json_array_foreach(v, i, row) {
        if (!json_is_object(row)) continue;
        ok &= rows_in_text(row, text, path);
        json_t *ids[32];
        size_t nid = 0;
        const char *k;
        json_t *x;
        json_object_foreach(row, k, x) {
            bool id = false;
            for (size_t j = 0; rows_text_keys[j]; j++) id |= !strcmp(k, rows_text_keys[j]);
            if (id && nid < 32 && (json_is_integer(x) || (json_is_string(x) && *json_string_value(x)))) ids[nid++] = x;
        }
        if (!nid) continue;
        const char *at = NULL;
        for (const char *p = cursor; p < end && !at;) {
            const char *line_end = rows_text_lines(p, end, 1);
            const char *block = rows_text_lines(p, end, 8);
            if (rows_text_find(p, line_end, ids[0])) {
                bool all = true;
                for (size_t j = 1; j < nid; j++) all &= rows_text_find(p, block, ids[j]) != NULL;
                if (all) at = p;
            }
            p = line_end;
        }
        if (!at) {
            char *dump = json_dumps(row, JSON_COMPACT);
            fprintf(stderr, "row %zu of %s not in the text: %.300s\n", i, path, dump ? dump : "?");
            free(dump);
            return false;
        }
        cursor = rows_text_lines(at, end, 1);
    }
    return ok;
}

#endif
