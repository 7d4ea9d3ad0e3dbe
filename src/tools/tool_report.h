/* One byte budget per tool result, shared by the text block and
 * structuredContent. Most MCP clients show a model only the text, so every
 * row a result returns is added to both at once (pa_rows_push): the text
 * line and the JSON row go in together or not at all, and when the budget
 * is reached both stop at the same row. The list's footer and page object
 * then name the first row not shown, so paging never skips a row.
 *
 * Use:
 *   pa_report rep;
 *   pa_report_init(&rep, ctx, res);
 *   ... header text, res->structured = {capture, totals, ...} ...
 *   pa_rows rows;
 *   pa_rows_begin(&rows, &rep, "requests", offset, limit, total, true);
 *   for (i = offset; i < end; i++) {
 *       pa_buf_printf(pa_rows_line(&rows), "  frame %llu ...\n", ...);
 *       if (!pa_rows_push(&rows, row_json(i))) break;
 *   }
 *   pa_rows_end(&rows, res->structured, "requests", "page");
 *   pa_report_finish(&rep);
 *
 * Build everything but the lists into res->structured before the first
 * pa_rows_begin: each list measures the result as it stands when it
 * begins, then counts its rows exactly. What is added after the lists must
 * be small (it lives in a fixed reserve); pa_registry_call refuses a result
 * over budget, and the corpus tests run every tool at its largest limits. */
#ifndef PA_TOOL_REPORT_H
#define PA_TOOL_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "mcp_tool.h"

/* Room kept after the rows of a list for footers, page objects and the
 * result's envelope: text bytes and JSON bytes. */
#define PA_REPORT_TEXT_RESERVE 768
#define PA_REPORT_JSON_RESERVE 3072

typedef struct pa_report {
    pa_tool_result *res;
    size_t text_max;    /* bytes of the text block */
    size_t result_max;  /* bytes of the whole result as sent (JSON) */
    size_t esc_done;    /* text[0..esc_done) has been measured as JSON ... */
    size_t esc_len;     /* ... and takes this many bytes escaped */
    json_t *left_out;   /* {list, rows_not_shown, next_offset?} per list the budget cut */
    unsigned lists_cut; /* lists the budget has cut so far */
    /* Lists begun after a cut are left out whole (each would stop at its
     * first row, and a footer apiece could outgrow the reserve): they are
     * named here, and pa_report_finish writes one line for all of them. */
    char skipped[320];
    size_t skipped_len;
} pa_report;

void pa_report_init(pa_report *r, const pa_tool_ctx *ctx, pa_tool_result *res);
/* Bytes the result takes now as JSON (text escaped, structured compact,
 * envelope). */
size_t pa_report_size(pa_report *r);
/* Text and JSON bytes still free for rows (0 when none). */
size_t pa_report_text_room(const pa_report *r);
size_t pa_report_json_room(pa_report *r);
/* Notes a list (or byte range) cut short by the budget: `what` was left
 * out from `next_offset` on (-1: the list is not paged by offset). */
void pa_report_left_out(pa_report *r, const char *what, unsigned long long not_shown, long long next_offset);
/* Sets truncated/left_out in res->structured when anything was cut, and
 * names the lists left out whole after a cut. */
void pa_report_finish(pa_report *r);

/* JSON-escaped length of n bytes of text (as jansson writes it). */
size_t pa_json_escaped_len(const char *s, size_t n);

typedef struct pa_rows {
    pa_report *rep;
    const char *what; /* plural noun for the text: "requests" */
    json_t *arr;
    size_t offset;    /* index of the first row */
    size_t total;     /* rows in the whole list */
    size_t want;      /* rows the caller will offer (limit, or what remains) */
    size_t n;         /* rows added */
    bool pageable;    /* the tool takes `offset` for this list */
    const char *hint; /* how to see rows the budget cut, when not by offset (NULL: a default) */
    bool cut;         /* the budget stopped the list */
    bool cut_by_text; /* ... the text's budget (else the whole result's) */
    bool skipped;     /* begun after another list was cut: left out whole */
    size_t used;      /* bytes of the result with the rows added so far */
    pa_buf line;      /* the next row's text */
} pa_rows;

/* When an earlier list of the report was cut by the budget, this one is
 * left out whole: pa_rows_push refuses every row, and pa_rows_end names it
 * in left_out and in the closing line of pa_report_finish. So put the
 * lists a reader needs most first. */
void pa_rows_begin(pa_rows *l, pa_report *r, const char *what, size_t offset, size_t limit, size_t total,
                   bool pageable);
/* The buffer for the next row's text (emptied); write one or more whole
 * lines, each ending in '\n'. */
pa_buf *pa_rows_line(pa_rows *l);
/* Adds row (reference stolen) with the text in pa_rows_line: true when both
 * fit; false (row freed, text dropped) once the budget is reached. */
bool pa_rows_push(pa_rows *l, json_t *row);
/* Ends the list: writes its footer (rows the budget left out, or "call
 * again with offset=N"), sets obj[key] to the rows and, for a pageable
 * list with page_key, obj[page_key] to {offset, returned, total, more,
 * next_offset}. */
void pa_rows_end(pa_rows *l, json_t *obj, const char *key, const char *page_key);

/* Output-schema pieces, so that every nested object is described. */
#define PA_S_INT "{\"type\":\"integer\"}"
#define PA_S_NUM "{\"type\":\"number\"}"
#define PA_S_STR "{\"type\":\"string\"}"
#define PA_S_BOOL "{\"type\":\"boolean\"}"
#define PA_S_INTS "{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}"
#define PA_S_STRS "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"
/* An object with these properties (a JSON fragment "\"a\":...,\"b\":...), none other. */
#define PA_S_OBJ(props) "{\"type\":\"object\",\"properties\":{" props "},\"additionalProperties\":false}"
/* A list of such objects. */
#define PA_S_ROWS(props) "{\"type\":\"array\",\"items\":" PA_S_OBJ(props) "}"
/* A map from names to integers (counts by class, by kind). */
#define PA_S_COUNTS "{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}}"

/* The schema of the page object pa_rows_end writes. */
#define PA_PAGE_SCHEMA                                                                                                 \
    "{\"type\":\"object\",\"required\":[\"offset\",\"returned\",\"total\",\"more\"],\"properties\":{"                  \
    "\"offset\":{\"type\":\"integer\",\"description\":\"index of the first row returned\"},"                           \
    "\"returned\":{\"type\":\"integer\"},\"total\":{\"type\":\"integer\"},\"more\":{\"type\":\"boolean\"},"            \
    "\"next_offset\":{\"type\":\"integer\",\"description\":\"offset of the first row not returned\"}},"                \
    "\"additionalProperties\":false}"

#endif
