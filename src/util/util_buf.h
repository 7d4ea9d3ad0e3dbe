/* A growable byte/string buffer with a hard cap (curl's dynbuf idea): appends
 * fail cleanly once the cap would be exceeded, so no caller can grow memory
 * without bound. The content is always NUL-terminated. */
#ifndef PA_UTIL_BUF_H
#define PA_UTIL_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct pa_buf {
    char *data;
    size_t len;
    size_t cap;     /* allocated */
    size_t max;     /* hard limit on len */
    bool truncated; /* an append was refused because of max */
} pa_buf;

void pa_buf_init(pa_buf *b, size_t max);
void pa_buf_free(pa_buf *b);
void pa_buf_reset(pa_buf *b);
bool pa_buf_append(pa_buf *b, const void *p, size_t n);
bool pa_buf_puts(pa_buf *b, const char *s);
__attribute__((format(printf, 2, 3))) bool pa_buf_printf(pa_buf *b, const char *fmt, ...);
__attribute__((format(printf, 2, 0))) bool pa_buf_vprintf(pa_buf *b, const char *fmt, va_list ap);
/* Replaces every byte that is not part of a well-formed UTF-8 sequence with
 * '?', in place, so the text can always be sent as a JSON string (messages
 * quote user input and may be cut in the middle of a character). */
void pa_utf8_sanitize(char *s, size_t len);
/* pa_utf8_sanitize, then '?' for every control character (C0, DEL, C1) and
 * every invisible or direction-changing format character (zero-width
 * spaces and joiners, bidi embeddings, overrides and isolates, BOM), one
 * '?' per byte, in place: for names copied from packets, which a hostile
 * sender can fill with line breaks, terminal escapes or text that displays
 * reversed. */
void pa_text_scrub(char *s, size_t len);

/* Hands the string to the caller (free() it); the buffer becomes empty. */
char *pa_buf_steal(pa_buf *b);

/* Appends one element (elem bytes at x) to the array *v of *n elements with
 * room for *cap, the room doubling from 32 up to max elements. false, and
 * nothing added, at max or when memory runs out: the caller counts what its
 * cap left out. */
bool pa_array_push(void **v, size_t *n, size_t *cap, size_t elem, size_t max, const void *x);

#endif
