#include "tls_parse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "digest.h"
#include "tls_names.h"
#include "util_buf.h"

/* A ServerHello whose random is this value is a HelloRetryRequest (RFC 8446 4.1.3). */
static const uint8_t hrr_random[32] = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                                       0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                                       0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

static void list_add(pa_tls_list *l, uint16_t v) {
    if (l->total < UINT16_MAX) l->total++;
    if (l->n < PA_TLS_LIST_MAX) l->v[l->n++] = v;
}

/* A list of 16-bit code points behind a 16-bit (or 8-bit) byte length. */
static bool u16_list(pa_cur *c, bool len8, pa_tls_list *l) {
    uint16_t n = 0;
    uint8_t n8 = 0;
    if (len8 ? !pa_cur_u8(c, &n8) : !pa_cur_be16(c, &n)) return false;
    if (len8) n = n8;
    pa_cur sub;
    if (!pa_cur_sub(c, n, &sub)) return false;
    uint16_t v;
    while (pa_cur_be16(&sub, &v)) list_add(l, v);
    return true;
}

static bool parse_sni(pa_cur c, pa_tls_hello *h) {
    uint16_t n;
    pa_cur list;
    if (!pa_cur_be16(&c, &n) || !pa_cur_sub(&c, n, &list)) return false;
    while (list.len) {
        uint8_t type;
        uint16_t len;
        pa_cur name;
        if (!pa_cur_u8(&list, &type) || !pa_cur_be16(&list, &len) || !pa_cur_sub(&list, len, &name)) return false;
        if (type != 0 || h->has_sni) continue;
        size_t k = name.len < PA_TLS_SNI_MAX - 1 ? name.len : PA_TLS_SNI_MAX - 1;
        memcpy(h->sni, name.p, k);
        h->sni[k] = '\0';
        pa_text_scrub(h->sni, k); /* a NUL inside would hide the rest; controls would forge lines */
        h->has_sni = true;
    }
    return true;
}

static bool parse_alpn(pa_cur c, pa_tls_hello *h) {
    uint16_t n;
    pa_cur list;
    if (!pa_cur_be16(&c, &n) || !pa_cur_sub(&c, n, &list)) return false;
    size_t used = 0;
    h->has_alpn = true;
    while (list.len) {
        uint8_t len;
        pa_cur proto;
        if (!pa_cur_u8(&list, &len) || !pa_cur_sub(&list, len, &proto)) return false;
        if (proto.len && !h->alpn_first_len) {
            h->alpn_first[0] = proto.p[0];
            h->alpn_first[1] = proto.p[proto.len - 1];
            h->alpn_first_len = 1;
        }
        if (used + proto.len + 2 >= PA_TLS_ALPN_MAX) continue; /* kept while it fits */
        if (used) h->alpn[used++] = ',';
        for (size_t i = 0; i < proto.len; i++) {
            uint8_t ch = proto.p[i];
            h->alpn[used++] = (char)(ch >= 0x20 && ch < 0x7F ? ch : '?');
        }
        h->alpn[used] = '\0';
    }
    return true;
}

static bool parse_ext(uint16_t type, pa_cur body, pa_tls_hello *h) {
    switch (type) {
    case 0: return h->client ? parse_sni(body, h) : true; /* the server's is empty */
    case 16: return parse_alpn(body, h);
    case 10: return u16_list(&body, false, &h->groups);
    case 11: {
        uint8_t n, v;
        pa_cur sub;
        if (!pa_cur_u8(&body, &n) || !pa_cur_sub(&body, n, &sub)) return false;
        while (pa_cur_u8(&sub, &v)) list_add(&h->point_formats, v);
        return true;
    }
    case 13: return u16_list(&body, false, &h->sigalgs);
    case 43:
        if (h->client) return u16_list(&body, true, &h->versions);
        return pa_cur_be16(&body, &h->version);
    case 51:
    case 40: { /* key_share (40 before TLS 1.3 draft 23) */
        uint16_t g, n;
        if (!h->client) { /* one entry; a HelloRetryRequest names only the group */
            if (!pa_cur_be16(&body, &g)) return false;
            list_add(&h->key_shares, g);
            return true;
        }
        pa_cur list;
        if (!pa_cur_be16(&body, &n) || !pa_cur_sub(&body, n, &list)) return false;
        while (list.len) {
            uint16_t klen;
            if (!pa_cur_be16(&list, &g) || !pa_cur_be16(&list, &klen) || !pa_cur_skip(&list, klen)) return false;
            list_add(&h->key_shares, g);
        }
        return true;
    }
    default: return true;
    }
}

pa_tls_parse_status pa_tls_parse_hello(const uint8_t *body, size_t len, bool client, pa_tls_hello *h) {
    memset(h, 0, sizeof *h);
    h->client = client;
    pa_cur c = pa_cur_make(body, len);
    uint8_t random[32];
    if (!pa_cur_be16(&c, &h->legacy_version) || !pa_cur_copy(&c, random, sizeof random)) return PA_TLS_PARSE_SHORT;
    h->version = h->legacy_version;
    /* TLS 1.3 drafts before 22 dropped the session id and compression from ServerHello */
    bool old_draft = !client && (h->legacy_version >> 8) == 0x7F && (h->legacy_version & 0xFF) < 22;
    if (!old_draft) {
        uint8_t sid;
        if (!pa_cur_u8(&c, &sid) || sid > 32 || !pa_cur_copy(&c, h->session_id, sid)) return PA_TLS_PARSE_SHORT;
        h->session_id_len = sid;
    }
    if (client) {
        if (!u16_list(&c, false, &h->ciphers)) return PA_TLS_PARSE_SHORT;
        if (!h->ciphers.total) return PA_TLS_PARSE_BAD;
        uint8_t ncomp;
        if (!pa_cur_u8(&c, &ncomp) || !pa_cur_skip(&c, ncomp)) return PA_TLS_PARSE_SHORT;
    } else {
        uint16_t cs;
        if (!pa_cur_be16(&c, &cs)) return PA_TLS_PARSE_SHORT;
        list_add(&h->ciphers, cs);
        uint8_t comp;
        if (!old_draft && !pa_cur_u8(&c, &comp)) return PA_TLS_PARSE_SHORT;
        h->hrr = memcmp(random, hrr_random, sizeof random) == 0;
    }
    if (!c.len) return PA_TLS_PARSE_OK; /* no extensions (SSL 3.0, old clients) */
    uint16_t elen;
    pa_cur exts;
    if (!pa_cur_be16(&c, &elen) || !pa_cur_sub(&c, elen, &exts)) return PA_TLS_PARSE_SHORT;
    while (exts.len) {
        uint16_t type, n;
        pa_cur eb;
        if (!pa_cur_be16(&exts, &type) || !pa_cur_be16(&exts, &n) || !pa_cur_sub(&exts, n, &eb))
            return PA_TLS_PARSE_SHORT;
        list_add(&h->exts, type);
        if (!parse_ext(type, eb, h)) return PA_TLS_PARSE_SHORT;
    }
    return PA_TLS_PARSE_OK;
}

pa_tls_parse_status pa_tls_parse_certificates(const uint8_t *body, size_t len, unsigned max,
                                              void (*fn)(void *ud, unsigned idx, const uint8_t *der, size_t n),
                                              void *ud) {
    pa_cur c = pa_cur_make(body, len), list;
    uint32_t total;
    if (!pa_cur_be24(&c, &total) || !pa_cur_sub(&c, total, &list)) return PA_TLS_PARSE_SHORT;
    for (unsigned i = 0; list.len && i < max; i++) {
        uint32_t n;
        pa_cur der;
        if (!pa_cur_be24(&list, &n) || !pa_cur_sub(&list, n, &der)) return PA_TLS_PARSE_SHORT;
        fn(ud, i, der.p, der.len);
    }
    return PA_TLS_PARSE_OK;
}

/* ---- fingerprints ------------------------------------------------------- */

typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_str(sbuf *b, const char *t, size_t k) {
    if (b->n + k + 1 > b->cap) {
        size_t ncap = (b->cap ? b->cap * 2 : 256) + k;
        char *ns = realloc(b->s, ncap);
        if (!ns) return; /* the fingerprint is then of what fitted */
        b->s = ns;
        b->cap = ncap;
    }
    memcpy(b->s + b->n, t, k);
    b->n += k;
    b->s[b->n] = '\0';
}

/* hex4: four lower-case hex digits (JA4), else decimal (JA3). Written by
 * hand: snprintf was a tenth of the whole pass on TLS-heavy captures. */
static void sb_num(sbuf *b, bool hex4, unsigned v) {
    char tmp[16];
    size_t k = sizeof tmp;
    if (hex4) {
        static const char hex[] = "0123456789abcdef";
        for (int i = 0; i < 4; i++, v >>= 4) tmp[--k] = hex[v & 15];
    } else {
        do tmp[--k] = (char)('0' + v % 10);
        while ((v /= 10) && k);
    }
    sb_str(b, tmp + k, sizeof tmp - k);
}

static void sb_list(sbuf *b, const pa_tls_list *l, bool hex4, char sep, bool skip_grease) {
    bool first = true;
    for (uint16_t i = 0; i < l->n; i++) {
        if (skip_grease && pa_tls_is_grease(l->v[i])) continue;
        if (!first) sb_str(b, &sep, 1);
        sb_num(b, hex4, l->v[i]);
        first = false;
    }
}

void pa_tls_ja3(const pa_tls_hello *ch, char out[33]) {
    sbuf b = {0};
    sb_num(&b, false, ch->legacy_version);
    sb_str(&b, ",", 1);
    sb_list(&b, &ch->ciphers, false, '-', true);
    sb_str(&b, ",", 1);
    sb_list(&b, &ch->exts, false, '-', true);
    sb_str(&b, ",", 1);
    sb_list(&b, &ch->groups, false, '-', true);
    sb_str(&b, ",", 1);
    sb_list(&b, &ch->point_formats, false, '-', false);
    pa_digest_hex(PA_MD_MD5, b.s ? b.s : "", b.n, out, 32);
    free(b.s);
}

void pa_tls_ja3s(const pa_tls_hello *sh, char out[33]) {
    sbuf b = {0};
    sb_num(&b, false, sh->legacy_version);
    sb_str(&b, ",", 1);
    sb_list(&b, &sh->ciphers, false, '-', true);
    sb_str(&b, ",", 1);
    sb_list(&b, &sh->exts, false, '-', true);
    pa_digest_hex(PA_MD_MD5, b.s ? b.s : "", b.n, out, 32);
    free(b.s);
}

static int cmp_u16(const void *a, const void *b) {
    uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
    return (x > y) - (x < y);
}

static const char *ja4_version(uint16_t v) {
    switch (v) {
    case 0x0304: return "13";
    case 0x0303: return "12";
    case 0x0302: return "11";
    case 0x0301: return "10";
    case 0x0300: return "s3";
    case 0x0002: return "s2";
    case 0xFEFF: return "d1";
    case 0xFEFD: return "d2";
    case 0xFEFC: return "d3";
    default: return "00";
    }
}

/* JA4 (FoxIO): readable prefix, then truncated SHA-256 of the sorted
 * cipher list and of the sorted extensions (without SNI and ALPN) plus the
 * signature algorithms in their order. */
void pa_tls_ja4(const pa_tls_hello *ch, char out[40]) { pa_tls_ja4_over(ch, 't', out); }

void pa_tls_ja4_over(const pa_tls_hello *ch, char transport, char out[40]) {
    uint16_t version = ch->legacy_version;
    if (ch->versions.n) {
        version = 0;
        for (uint16_t i = 0; i < ch->versions.n; i++)
            if (!pa_tls_is_grease(ch->versions.v[i]) && ch->versions.v[i] > version) version = ch->versions.v[i];
    }
    pa_tls_list ciphers = {.n = 0}, exts = {.n = 0};
    unsigned ncipher = 0, next = 0;
    for (uint16_t i = 0; i < ch->ciphers.n; i++)
        if (!pa_tls_is_grease(ch->ciphers.v[i])) {
            ciphers.v[ciphers.n++] = ch->ciphers.v[i];
            ncipher++;
        }
    for (uint16_t i = 0; i < ch->exts.n; i++) {
        uint16_t e = ch->exts.v[i];
        if (pa_tls_is_grease(e)) continue;
        next++;
        if (e != 0x0000 && e != 0x0010) exts.v[exts.n++] = e;
    }
    qsort(ciphers.v, ciphers.n, sizeof ciphers.v[0], cmp_u16);
    qsort(exts.v, exts.n, sizeof exts.v[0], cmp_u16);
    char alpn[3] = "00";
    if (ch->alpn_first_len) {
        uint8_t a = ch->alpn_first[0], z = ch->alpn_first[1];
        if (isalnum(a) && isalnum(z) && a < 0x80 && z < 0x80) {
            alpn[0] = (char)a;
            alpn[1] = (char)z;
        } else {
            static const char hex[] = "0123456789abcdef";
            alpn[0] = hex[a >> 4];
            alpn[1] = hex[z & 15];
        }
    }
    char b_hash[13], c_hash[13];
    if (ciphers.n) {
        sbuf b = {0};
        sb_list(&b, &ciphers, true, ',', false);
        pa_digest_hex(PA_MD_SHA256, b.s, b.n, b_hash, 12);
        free(b.s);
    } else {
        memcpy(b_hash, "000000000000", 13);
    }
    if (exts.n) {
        sbuf b = {0};
        sb_list(&b, &exts, true, ',', false);
        if (ch->sigalgs.n) {
            sb_str(&b, "_", 1);
            sb_list(&b, &ch->sigalgs, true, ',', false);
        }
        pa_digest_hex(PA_MD_SHA256, b.s, b.n, c_hash, 12);
        free(b.s);
    } else {
        memcpy(c_hash, "000000000000", 13);
    }
    snprintf(out, 40, "%c%s%c%02u%02u%c%c_%s_%s", transport, ja4_version(version), ch->has_sni ? 'd' : 'i',
             ncipher > 99 ? 99 : ncipher, next > 99 ? 99 : next, alpn[0], alpn[1], b_hash, c_hash);
}
