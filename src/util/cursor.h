/* The one way to read untrusted bytes (packets, file contents): a borrowed
 * view with bounds-checked reads. A read that does not fit fails and leaves
 * the cursor unchanged; callers turn failures into named anomalies. */
#ifndef PA_CURSOR_H
#define PA_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct pa_cur {
    const uint8_t *p;
    size_t len;
} pa_cur;

#define PA_MUST_USE __attribute__((warn_unused_result))

static inline pa_cur pa_cur_make(const uint8_t *p, size_t len) {
    pa_cur c = {p, len};
    return c;
}

static inline PA_MUST_USE bool pa_cur_u8(pa_cur *c, uint8_t *out) {
    if (c->len < 1) return false;
    *out = c->p[0];
    c->p += 1;
    c->len -= 1;
    return true;
}

static inline PA_MUST_USE bool pa_cur_be16(pa_cur *c, uint16_t *out) {
    if (c->len < 2) return false;
    *out = (uint16_t)(c->p[0] << 8 | c->p[1]);
    c->p += 2;
    c->len -= 2;
    return true;
}

static inline PA_MUST_USE bool pa_cur_le16(pa_cur *c, uint16_t *out) {
    if (c->len < 2) return false;
    *out = (uint16_t)(c->p[1] << 8 | c->p[0]);
    c->p += 2;
    c->len -= 2;
    return true;
}

static inline PA_MUST_USE bool pa_cur_be24(pa_cur *c, uint32_t *out) {
    if (c->len < 3) return false;
    *out = (uint32_t)c->p[0] << 16 | (uint32_t)c->p[1] << 8 | c->p[2];
    c->p += 3;
    c->len -= 3;
    return true;
}

static inline PA_MUST_USE bool pa_cur_be32(pa_cur *c, uint32_t *out) {
    if (c->len < 4) return false;
    *out = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 | (uint32_t)c->p[2] << 8 | c->p[3];
    c->p += 4;
    c->len -= 4;
    return true;
}

static inline PA_MUST_USE bool pa_cur_be64(pa_cur *c, uint64_t *out) {
    if (c->len < 8) return false;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | c->p[i];
    *out = v;
    c->p += 8;
    c->len -= 8;
    return true;
}

static inline PA_MUST_USE bool pa_cur_le32(pa_cur *c, uint32_t *out) {
    if (c->len < 4) return false;
    *out = (uint32_t)c->p[3] << 24 | (uint32_t)c->p[2] << 16 | (uint32_t)c->p[1] << 8 | c->p[0];
    c->p += 4;
    c->len -= 4;
    return true;
}

static inline PA_MUST_USE bool pa_cur_copy(pa_cur *c, void *dst, size_t n) {
    if (c->len < n) return false;
    memcpy(dst, c->p, n);
    c->p += n;
    c->len -= n;
    return true;
}

static inline PA_MUST_USE bool pa_cur_skip(pa_cur *c, size_t n) {
    if (c->len < n) return false;
    c->p += n;
    c->len -= n;
    return true;
}

/* Takes the next n bytes as their own cursor (a length field bounds what
 * follows) and advances past them. */
static inline PA_MUST_USE bool pa_cur_sub(pa_cur *c, size_t n, pa_cur *out) {
    if (c->len < n) return false;
    out->p = c->p;
    out->len = n;
    c->p += n;
    c->len -= n;
    return true;
}

/* Reads without consuming, at offset off. */
static inline PA_MUST_USE bool pa_cur_peek_u8(const pa_cur *c, size_t off, uint8_t *out) {
    if (c->len <= off) return false;
    *out = c->p[off];
    return true;
}

static inline PA_MUST_USE bool pa_cur_peek_be16(const pa_cur *c, size_t off, uint16_t *out) {
    if (c->len < 2 || c->len - 2 < off) return false;
    *out = (uint16_t)(c->p[off] << 8 | c->p[off + 1]);
    return true;
}

static inline PA_MUST_USE bool pa_cur_peek_be32(const pa_cur *c, size_t off, uint32_t *out) {
    if (c->len < 4 || c->len - 4 < off) return false;
    *out = (uint32_t)c->p[off] << 24 | (uint32_t)c->p[off + 1] << 16 | (uint32_t)c->p[off + 2] << 8 | c->p[off + 3];
    return true;
}

/* A BER definite length (X.690 8.1.3): the short form, or the long form
 * of 1 to 4 bytes; the indefinite form and longer ones fail. */
static inline PA_MUST_USE bool pa_cur_ber_len(pa_cur *c, uint32_t *out) {
    pa_cur t = *c;
    uint8_t b;
    if (!pa_cur_u8(&t, &b)) return false;
    uint32_t v = b;
    if (b >= 0x80) {
        uint8_t k = b & 0x7F;
        if (k == 0 || k > 4 || t.len < k) return false;
        v = 0;
        for (uint8_t i = 0; i < k; i++) v = v << 8 | t.p[i];
        t.p += k;
        t.len -= k;
    }
    *c = t;
    *out = v;
    return true;
}

/* Shortens the view to at most n bytes (an inner length smaller than what
 * was captured: Ethernet padding after an IP datagram, for instance). */
static inline void pa_cur_limit(pa_cur *c, size_t n) {
    if (n < c->len) c->len = n;
}

#endif
