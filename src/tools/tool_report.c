#include "tool_report.h"

#include <stdio.h>
#include <string.h>

#include "config.h"

/* {"content":[{"type":"text","text":""}],"isError":false,"structuredContent":} */
#define ENVELOPE 96
#define JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(16))
/* a row's text line is capped, so a hostile name cannot hold a list hostage */
#define ROW_TEXT_MAX 8192

size_t pa_json_escaped_len(const char *s, size_t n) {
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\' || c == '\n' || c == '\t' || c == '\r' || c == '\b' || c == '\f')
            len += 2;
        else if (c < 0x20)
            len += 6;
        else
            len++;
    }
    return len;
}

void pa_report_init(pa_report *r, const pa_tool_ctx *ctx, pa_tool_result *res) {
    memset(r, 0, sizeof *r);
    r->res = res;
    r->text_max = ctx && ctx->cfg && ctx->cfg->text_budget ? ctx->cfg->text_budget : PA_DEFAULT_TEXT_BUDGET;
    r->result_max = ctx && ctx->cfg && ctx->cfg->result_budget ? ctx->cfg->result_budget : PA_DEFAULT_RESULT_BUDGET;
}

static size_t text_json_len(pa_report *r) {
    const pa_buf *t = &r->res->text;
    if (t->len < r->esc_done) r->esc_done = r->esc_len = 0; /* the text was reset */
    if (t->len > r->esc_done) r->esc_len += pa_json_escaped_len(t->data + r->esc_done, t->len - r->esc_done);
    r->esc_done = t->len;
    return r->esc_len;
}

size_t pa_report_size(pa_report *r) {
    size_t n = ENVELOPE + text_json_len(r);
    if (r->res->structured) n += json_dumpb(r->res->structured, NULL, 0, JSON_FLAGS);
    return n;
}

size_t pa_report_text_room(const pa_report *r) {
    size_t used = r->res->text.len + PA_REPORT_TEXT_RESERVE;
    return used < r->text_max ? r->text_max - used : 0;
}

size_t pa_report_json_room(pa_report *r) {
    size_t used = pa_report_size(r) + PA_REPORT_JSON_RESERVE;
    return used < r->result_max ? r->result_max - used : 0;
}

void pa_report_left_out(pa_report *r, const char *what, unsigned long long not_shown, long long next_offset) {
    if (!r->left_out) r->left_out = json_array();
    json_t *o = json_pack("{s:s, s:I}", "list", what, "not_shown", (json_int_t)not_shown);
    if (next_offset >= 0) json_object_set_new(o, "next_offset", json_integer(next_offset));
    json_array_append_new(r->left_out, o);
}

void pa_report_finish(pa_report *r) {
    if (r->skipped_len)
        pa_buf_printf(&r->res->text,
                      "  Left out for lack of room: %s. A smaller limit or a narrower filter shows them.\n",
                      r->skipped);
    r->skipped_len = 0;
    if (!r->left_out) return;
    if (r->res->structured) {
        json_object_set_new(r->res->structured, "truncated", json_true());
        json_object_set(r->res->structured, "left_out", r->left_out);
    }
    json_decref(r->left_out);
    r->left_out = NULL;
}

void pa_rows_begin(pa_rows *l, pa_report *r, const char *what, size_t offset, size_t limit, size_t total,
                   bool pageable) {
    memset(l, 0, sizeof *l);
    l->rep = r;
    l->what = what;
    l->arr = json_array();
    l->offset = offset;
    l->total = total;
    l->want = offset < total ? (total - offset < limit ? total - offset : limit) : 0;
    l->pageable = pageable;
    l->used = pa_report_size(r);
    pa_buf_init(&l->line, ROW_TEXT_MAX);
    if (r->lists_cut) l->cut = l->skipped = true;
}

/* Names a list left out whole in the report's closing line; once that is
 * full, "..." ends it (left_out still names every list). */
static void note_skipped(pa_report *r, const pa_rows *l, size_t not_shown) {
    char item[160];
    if (l->pageable)
        snprintf(item, sizeof item, "%s (%zu, offset=%zu)", l->what, not_shown, l->offset);
    else
        snprintf(item, sizeof item, "%s (%zu)", l->what, not_shown);
    const char *sep = r->skipped_len ? ", " : "";
    size_t room = sizeof r->skipped - r->skipped_len, need = strlen(sep) + strlen(item);
    if (r->skipped_len >= 3 && !strcmp(r->skipped + r->skipped_len - 3, "...")) return;
    if (need + sizeof ", ..." <= room)
        snprintf(r->skipped + r->skipped_len, room, "%s%s", sep, item);
    else
        snprintf(r->skipped + r->skipped_len, room, "%s...", sep);
    r->skipped_len += strlen(r->skipped + r->skipped_len);
}

pa_buf *pa_rows_line(pa_rows *l) {
    pa_buf_reset(&l->line);
    return &l->line;
}

bool pa_rows_push(pa_rows *l, json_t *row) {
    pa_report *r = l->rep;
    if (!row) return false;
    if (l->cut) {
        json_decref(row);
        return false;
    }
    if (l->line.truncated) pa_buf_puts(&l->line, "...\n"); /* the cap leaves room: max is a hard limit */
    size_t row_len = json_dumpb(row, NULL, 0, JSON_FLAGS) + 1;
    size_t esc = pa_json_escaped_len(l->line.data ? l->line.data : "", l->line.len);
    bool text_fits = r->res->text.len + l->line.len + PA_REPORT_TEXT_RESERVE <= r->text_max;
    bool json_fits = l->used + row_len + esc + PA_REPORT_JSON_RESERVE <= r->result_max;
    if (!text_fits || !json_fits) {
        json_decref(row);
        l->cut = true;
        l->cut_by_text = !text_fits;
        return false;
    }
    if (json_array_append_new(l->arr, row)) return false; /* out of memory: row freed */
    if (l->line.len) pa_buf_append(&r->res->text, l->line.data, l->line.len);
    l->used += row_len + esc;
    l->n++;
    return true;
}

void pa_rows_end(pa_rows *l, json_t *obj, const char *key, const char *page_key) {
    pa_report *r = l->rep;
    pa_buf *t = &r->res->text;
    size_t next = l->offset + l->n;
    bool more = next < l->total;
    if (l->skipped) {
        if (l->want) {
            note_skipped(r, l, l->want);
            pa_report_left_out(r, l->what, l->want, l->pageable ? (long long)l->offset : -1);
        }
    } else if (l->cut) {
        size_t not_shown = l->want > l->n ? l->want - l->n : 0;
        r->lists_cut++;
        if (l->cut_by_text)
            pa_buf_printf(t, "  ... %zu more %s not shown: the text reached its %zu-byte budget.", not_shown, l->what,
                          r->text_max);
        else
            pa_buf_printf(t, "  ... %zu more %s not shown: the result reached its %zu-byte budget.", not_shown, l->what,
                          r->result_max);
        if (l->pageable)
            pa_buf_printf(t, " Call again with offset=%zu.\n", next);
        else
            pa_buf_printf(t, " %s\n", l->hint ? l->hint : "A smaller limit or a narrower filter shows them.");
        pa_report_left_out(r, l->what, not_shown, l->pageable ? (long long)next : -1);
    } else if (l->pageable && more) {
        pa_buf_printf(t, "%zu more: call again with offset=%zu.\n", l->total - next, next);
    } else if (l->pageable && l->total && l->offset >= l->total) {
        pa_buf_printf(t, "offset %zu is past the last of %zu %s.\n", l->offset, l->total, l->what);
    }
    pa_buf_free(&l->line);
    if (obj && key)
        json_object_set_new(obj, key, l->arr);
    else
        json_decref(l->arr);
    l->arr = NULL;
    if (obj && page_key && l->pageable) {
        json_t *pg = json_pack("{s:I, s:I, s:I, s:b}", "offset", (json_int_t)l->offset, "returned", (json_int_t)l->n,
                               "total", (json_int_t)l->total, "more", more);
        if (more) json_object_set_new(pg, "next_offset", json_integer((json_int_t)next));
        json_object_set_new(obj, page_key, pg);
    }
}
