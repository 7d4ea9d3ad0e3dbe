#include "util_b64.h"

#include <string.h>

static int value(uint8_t ch) {
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+') return 62;
    if (ch == '/') return 63;
    return -1;
}

size_t pa_b64_decode(const uint8_t *in, size_t n, uint8_t *out, size_t size) {
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < n && o < size; i++) {
        int v = value(in[i]);
        if (v < 0) break;
        acc = (acc << 6 | (uint32_t)v) & 0xFFFFFF;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    return o;
}

void pa_sasl_plain_user(const uint8_t *b64, size_t n, char *user, size_t size) {
    uint8_t dec[768];
    size_t dn = pa_b64_decode(b64, n, dec, sizeof dec), k = 0;
    const uint8_t *a = memchr(dec, 0, dn);
    const uint8_t *b = a ? memchr(a + 1, 0, dn - (size_t)(a + 1 - dec)) : NULL;
    for (const uint8_t *p = b ? a + 1 : b; p && p < b && k + 1 < size; p++)
        user[k++] = *p >= 0x20 && *p < 0x7f ? (char)*p : '?';
    if (size) user[k] = '\0';
}
