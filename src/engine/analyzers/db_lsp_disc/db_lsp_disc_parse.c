/* Dropbox LAN sync discovery announcements (db_lsp_disc_parse.h). */
#include "db_lsp_disc_parse.h"

#include <string.h>

#include "cursor.h"

/* Past a byte peeked at. */
static void advance(pa_cur *c) {
    uint8_t b;
    if (!pa_cur_u8(c, &b)) return;
}

static void blanks(pa_cur *c) {
    uint8_t b;
    while (pa_cur_peek_u8(c, 0, &b) && (b == ' ' || b == '\t' || b == '\r' || b == '\n')) advance(c);
}

static bool expect(pa_cur *c, uint8_t want) {
    uint8_t b;
    blanks(c);
    return pa_cur_peek_u8(c, 0, &b) && b == want && pa_cur_skip(c, 1);
}

/* A JSON string at the cursor (after its opening quote is checked), its
 * bytes copied (escapes kept as written) into out when out is not NULL. */
static bool string(pa_cur *c, char *out, size_t outlen) {
    size_t w = 0;
    if (!expect(c, '"')) return false;
    for (;;) {
        uint8_t b;
        if (!pa_cur_u8(c, &b)) return false;
        if (b == '"') break;
        if (b < 0x20) return false;
        if (b == '\\' && !pa_cur_u8(c, &b)) return false;
        if (out && w + 1 < outlen) out[w++] = (b >= 0x20 && b < 0x7f) ? (char)b : '?';
    }
    if (out && outlen) out[w] = '\0';
    return true;
}

/* A JSON number: its integer digits into digits (when not NULL), the value
 * (saturated) into *v. */
static bool number(pa_cur *c, char *digits, size_t dlen, uint64_t *v) {
    uint8_t b;
    size_t w = 0, n = 0;
    blanks(c);
    if (pa_cur_peek_u8(c, 0, &b) && b == '-') advance(c);
    *v = 0;
    while (pa_cur_peek_u8(c, 0, &b) && b >= '0' && b <= '9') {
        advance(c);
        *v = *v > (UINT64_MAX - 9) / 10 ? UINT64_MAX : *v * 10 + (uint64_t)(b - '0');
        if (digits && w + 1 < dlen) digits[w++] = (char)b;
        n++;
    }
    /* a fraction or exponent: skipped */
    while (pa_cur_peek_u8(c, 0, &b) &&
           (b == '.' || b == 'e' || b == 'E' || b == '+' || b == '-' || (b >= '0' && b <= '9')))
        advance(c);
    if (digits && dlen) digits[w] = '\0';
    return n > 0;
}

static bool literal(pa_cur *c, const char *word) {
    size_t k = strlen(word);
    if (c->len < k || memcmp(c->p, word, k) != 0) return false;
    return pa_cur_skip(c, k);
}

static bool value(pa_cur *c, int depth);

/* An array or object's members, after the opening bracket. */
static bool members(pa_cur *c, int depth, bool object) {
    uint8_t close = object ? '}' : ']';
    blanks(c);
    if (expect(c, close)) return true;
    for (;;) {
        if (object && (!string(c, NULL, 0) || !expect(c, ':'))) return false;
        if (!value(c, depth)) return false;
        if (expect(c, close)) return true;
        if (!expect(c, ',')) return false;
    }
}

static bool value(pa_cur *c, int depth) {
    uint8_t b;
    uint64_t v;
    blanks(c);
    if (!pa_cur_peek_u8(c, 0, &b)) return false;
    if (b == '"') return string(c, NULL, 0);
    if (b == '{' || b == '[') {
        if (depth >= PA_DB_LSP_DISC_DEPTH) return false;
        advance(c);
        return members(c, depth + 1, b == '{');
    }
    if (b == 't') return literal(c, "true");
    if (b == 'f') return literal(c, "false");
    if (b == 'n') return literal(c, "null");
    return number(c, NULL, 0, &v);
}

/* A list of numbers: the first `keep` into out, all counted in *count. */
static bool numbers(pa_cur *c, uint64_t *out, uint32_t keep, uint32_t *count) {
    *count = 0;
    if (!expect(c, '[')) return false;
    if (expect(c, ']')) return true;
    for (;;) {
        uint64_t v;
        if (!number(c, NULL, 0, &v)) return false;
        if (*count < keep) out[*count] = v;
        (*count)++;
        if (expect(c, ']')) return true;
        if (!expect(c, ',')) return false;
    }
}

static bool member(pa_cur *c, const char *key, pa_db_lsp_disc_msg *m, bool *has_host) {
    uint64_t v, ver[2];
    uint32_t n;
    pa_cur at = *c;
    if (strcmp(key, "host_int") == 0) {
        *has_host = number(c, m->host_int, sizeof m->host_int, &v);
        return *has_host;
    }
    if (strcmp(key, "port") == 0) {
        if (!number(c, NULL, 0, &v)) {
            *c = at;
            return value(c, 0);
        }
        m->has_port = true;
        m->port = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
        return true;
    }
    if (strcmp(key, "displayname") == 0 && string(c, m->displayname, sizeof m->displayname)) return true;
    *c = at;
    if (strcmp(key, "version") == 0 && numbers(c, ver, 2, &n)) {
        m->has_version = n >= 2;
        m->version[0] = (uint32_t)ver[0];
        m->version[1] = (uint32_t)ver[1];
        return true;
    }
    if (strcmp(key, "namespaces") == 0 && numbers(c, m->namespaces, PA_DB_LSP_DISC_NAMESPACES, &m->nnamespaces))
        return true;
    *c = at;
    return value(c, 0);
}

pa_db_lsp_disc_kind pa_db_lsp_disc_parse(const uint8_t *p, size_t n, pa_db_lsp_disc_msg *out) {
    memset(out, 0, sizeof *out);
    pa_cur c = pa_cur_make(p, n);
    bool has_host = false;
    if (expect(&c, '{')) {
        bool ok = expect(&c, '}');
        while (!ok) {
            char key[16];
            if (!string(&c, key, sizeof key) || !expect(&c, ':') || !member(&c, key, out, &has_host)) break;
            ok = expect(&c, '}');
            if (!ok && !expect(&c, ',')) break;
        }
        blanks(&c);
        if (ok && has_host && !c.len) return PA_DB_LSP_DISC_ANNOUNCE;
        memset(out, 0, sizeof *out);
    }
    return pa_db_lsp_disc_is_coap(p, n) ? PA_DB_LSP_DISC_COAP : PA_DB_LSP_DISC_NOT;
}

/* An option's delta or length nibble with its extension bytes. */
static bool option_part(pa_cur *c, unsigned nibble, uint32_t *v) {
    uint8_t b;
    uint16_t w;
    if (nibble == 15) return false; /* only the payload marker has it */
    if (nibble == 13) {
        if (!pa_cur_u8(c, &b)) return false;
        *v = 13u + b;
    } else if (nibble == 14) {
        if (!pa_cur_be16(c, &w)) return false;
        *v = 269u + w;
    } else {
        *v = nibble;
    }
    return true;
}

bool pa_db_lsp_disc_is_coap(const uint8_t *p, size_t n) {
    pa_cur c = pa_cur_make(p, n);
    uint8_t first, code, b;
    uint16_t id;
    if (!pa_cur_u8(&c, &first) || !pa_cur_u8(&c, &code) || !pa_cur_be16(&c, &id)) return false;
    unsigned tkl = first & 15, cls = code >> 5;
    if ((first >> 6) != 1 || tkl > 8) return false;
    if (code == 0) return tkl == 0 && c.len == 0; /* an empty message: the header alone */
    if (cls != 0 && cls != 2 && cls != 4 && cls != 5) return false;
    if (!pa_cur_skip(&c, tkl)) return false;
    while (pa_cur_u8(&c, &b)) {
        if (b == 0xFF) return c.len > 0; /* a payload follows the marker */
        uint32_t delta, len;
        if (!option_part(&c, b >> 4, &delta) || !option_part(&c, b & 15, &len) || !pa_cur_skip(&c, len)) return false;
    }
    return true;
}
