#include "util_buf.h"

#include <stdbool.h>
#include <stdint.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pa_buf_init(pa_buf *b, size_t max) {
    memset(b, 0, sizeof *b);
    b->max = max;
}

void pa_buf_free(pa_buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void pa_buf_reset(pa_buf *b) {
    b->len = 0;
    b->truncated = false;
    if (b->data) b->data[0] = '\0';
}

static bool reserve(pa_buf *b, size_t extra) {
    if (extra > b->max || b->len > b->max - extra) {
        b->truncated = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return true;
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap < need) ncap *= 2;
    char *n = realloc(b->data, ncap);
    if (!n) return false;
    b->data = n;
    b->cap = ncap;
    return true;
}

bool pa_buf_append(pa_buf *b, const void *p, size_t n) {
    if (!reserve(b, n)) return false;
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool pa_buf_puts(pa_buf *b, const char *s) { return pa_buf_append(b, s, strlen(s)); }

bool pa_buf_vprintf(pa_buf *b, const char *fmt, va_list ap) {
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) return false;
    if (!reserve(b, (size_t)n)) return false;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return true;
}

bool pa_buf_printf(pa_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    bool ok = pa_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return ok;
}

char *pa_buf_steal(pa_buf *b) {
    char *s = b->data;
    if (!s) s = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void pa_utf8_sanitize(char *s, size_t len) {
    unsigned char *p = (unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        size_t n = c < 0x80                   ? 1
                   : (c >= 0xC2 && c <= 0xDF) ? 2
                   : (c >= 0xE0 && c <= 0xEF) ? 3
                   : (c >= 0xF0 && c <= 0xF4) ? 4
                                              : 0;
        bool ok = n > 0 && i + n <= len;
        for (size_t k = 1; ok && k < n; k++) ok = (p[i + k] & 0xC0) == 0x80;
        /* overlong 3-byte forms, surrogates, and code points past U+10FFFF */
        if (ok && n == 3 && c == 0xE0 && p[i + 1] < 0xA0) ok = false;
        if (ok && n == 3 && c == 0xED && p[i + 1] >= 0xA0) ok = false;
        if (ok && n == 4 && c == 0xF0 && p[i + 1] < 0x90) ok = false;
        if (ok && n == 4 && c == 0xF4 && p[i + 1] >= 0x90) ok = false;
        if (!ok) {
            p[i++] = '?';
            continue;
        }
        i += n;
    }
}

void pa_text_scrub(char *s, size_t len) {
    pa_utf8_sanitize(s, len);
    unsigned char *p = (unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        size_t bad = 0;
        if (c < 0x20 || c == 0x7F)
            bad = 1;
        else if (c == 0xC2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F)
            bad = 2; /* C1 */
        else if (c == 0xE2 && i + 2 < len && p[i + 1] == 0x80 &&
                 ((p[i + 2] >= 0x8B && p[i + 2] <= 0x8F) || (p[i + 2] >= 0xAA && p[i + 2] <= 0xAE)))
            bad = 3; /* U+200B..U+200F, U+202A..U+202E */
        else if (c == 0xE2 && i + 2 < len && p[i + 1] == 0x81 && p[i + 2] >= 0xA0 && p[i + 2] <= 0xAF)
            bad = 3; /* U+2060..U+206F: word joiner, invisible operators, isolates */
        else if (c == 0xEF && i + 2 < len && p[i + 1] == 0xBB && p[i + 2] == 0xBF)
            bad = 3; /* U+FEFF */
        for (size_t k = 0; k < bad; k++) p[i + k] = '?';
        if (bad) i += bad - 1;
    }
}

bool pa_array_push(void **v, size_t *n, size_t *cap, size_t elem, size_t max, const void *x) {
    if (*n >= max || !elem) return false;
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 32;
        if (ncap > max) ncap = max;
        if (ncap > SIZE_MAX / elem) return false;
        void *nv = realloc(*v, ncap * elem);
        if (!nv) return false;
        *v = nv;
        *cap = ncap;
    }
    memcpy((char *)*v + *n * elem, x, elem);
    (*n)++;
    return true;
}
