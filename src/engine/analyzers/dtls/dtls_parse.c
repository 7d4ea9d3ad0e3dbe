/* DTLS records, handshake fragments and hellos (dtls_parse.h). */
#include "dtls_parse.h"

#include <stdlib.h>
#include <string.h>

#include "cursor.h"

/* 1.0, 1.2, 1.3, and OpenSSL's DTLS before 0.9.8f (0x0100), as Wireshark */
static bool dtls_version(uint16_t v) { return v == 0xfeff || v == 0xfefd || v == 0xfefc || v == 0x0100; }

int pa_dtls_records(const uint8_t *d, size_t n, pa_dtls_record *out, int max) {
    pa_cur c = pa_cur_make(d, n);
    int k = 0;
    while (c.len) {
        pa_dtls_record r;
        uint16_t e;
        uint32_t hi;
        uint16_t lo;
        if (k >= PA_DTLS_MAX_RECORDS || !pa_cur_u8(&c, &r.type) || r.type < 20 || r.type > 25 ||
            !pa_cur_be16(&c, &r.version) || !dtls_version(r.version) || !pa_cur_be16(&c, &e) || !pa_cur_be32(&c, &hi) ||
            !pa_cur_be16(&c, &lo) || !pa_cur_be16(&c, &r.length) || r.length == 0)
            return -1;
        r.epoch = e;
        r.seq = (uint64_t)hi << 16 | lo;
        r.body = c.p;
        if (!pa_cur_skip(&c, r.length)) return -1;
        if (out && k < max) out[k] = r;
        k++;
    }
    return k;
}

bool pa_dtls_is_records(const uint8_t *d, size_t n) { return pa_dtls_records(d, n, NULL, 0) > 0; }

const uint8_t *pa_dtls_capwap_body(const uint8_t *d, size_t n, size_t *len) {
    pa_cur c = pa_cur_make(d, n);
    uint32_t pre;
    if (!pa_cur_be32(&c, &pre) || pre != 0x01000000u || !c.len) return NULL;
    *len = c.len;
    return c.p;
}

int pa_dtls_handshakes(const uint8_t *body, size_t n, pa_dtls_hs *out, int max, bool *bad) {
    pa_cur c = pa_cur_make(body, n);
    int k = 0;
    *bad = false;
    while (c.len && k < max) {
        pa_dtls_hs h;
        if (!pa_cur_u8(&c, &h.type) || !pa_cur_be24(&c, &h.length) || !pa_cur_be16(&c, &h.message_seq) ||
            !pa_cur_be24(&c, &h.frag_off) || !pa_cur_be24(&c, &h.frag_len) || h.frag_len > c.len ||
            (uint64_t)h.frag_off + h.frag_len > h.length) {
            *bad = true;
            return k;
        }
        h.frag = c.p;
        if (!pa_cur_skip(&c, h.frag_len)) {
            *bad = true;
            return k;
        }
        out[k++] = h;
    }
    return k;
}

/* use_srtp in an extensions block: the profiles (RFC 5764 4.1.1). */
static void srtp_of(pa_cur ext, pa_dtls_srtp *srtp) {
    uint16_t total;
    if (!pa_cur_be16(&ext, &total)) return;
    pa_cur e;
    if (!pa_cur_sub(&ext, total, &e)) return;
    for (int k = 0; k < 256 && e.len; k++) {
        uint16_t type, len;
        pa_cur v;
        if (!pa_cur_be16(&e, &type) || !pa_cur_be16(&e, &len) || !pa_cur_sub(&e, len, &v)) return;
        if (type != 14) continue;
        uint16_t plen, prof;
        pa_cur l;
        if (!pa_cur_be16(&v, &plen) || !pa_cur_sub(&v, plen, &l)) return;
        while (pa_cur_be16(&l, &prof)) {
            srtp->total++;
            if (srtp->n < PA_DTLS_SRTP_MAX) srtp->profile[srtp->n++] = prof;
        }
        return;
    }
}

/* The extensions block of a hello in TLS form (no cookie). */
static void srtp_of_hello(const uint8_t *b, size_t n, bool client, pa_dtls_srtp *srtp) {
    pa_cur c = pa_cur_make(b, n);
    uint8_t l8;
    uint16_t l16;
    if (!pa_cur_skip(&c, 34) || !pa_cur_u8(&c, &l8) || !pa_cur_skip(&c, l8)) return;
    if (client) {
        if (!pa_cur_be16(&c, &l16) || !pa_cur_skip(&c, l16) || !pa_cur_u8(&c, &l8) || !pa_cur_skip(&c, l8)) return;
    } else if (!pa_cur_skip(&c, 3)) {
        return;
    }
    srtp_of(c, srtp);
}

pa_tls_parse_status pa_dtls_parse_hello(const uint8_t *body, size_t len, bool client, pa_tls_hello *out,
                                        pa_dtls_srtp *srtp) {
    memset(srtp, 0, sizeof *srtp);
    if (!client) {
        pa_tls_parse_status s = pa_tls_parse_hello(body, len, false, out);
        if (s == PA_TLS_PARSE_OK) srtp_of_hello(body, len, false, srtp);
        return s;
    }
    /* the ClientHello without its cookie is a TLS ClientHello */
    pa_cur c = pa_cur_make(body, len);
    uint8_t sid_len, cookie_len;
    const uint8_t *start = c.p;
    if (!pa_cur_skip(&c, 34) || !pa_cur_u8(&c, &sid_len) || !pa_cur_skip(&c, sid_len)) return PA_TLS_PARSE_SHORT;
    size_t head = (size_t)(c.p - start);
    if (!pa_cur_u8(&c, &cookie_len) || !pa_cur_skip(&c, cookie_len)) return PA_TLS_PARSE_SHORT;
    uint8_t *b = malloc(head + c.len + 1);
    if (!b) return PA_TLS_PARSE_BAD;
    memcpy(b, start, head);
    memcpy(b + head, c.p, c.len);
    size_t blen = head + c.len;
    pa_tls_parse_status s = pa_tls_parse_hello(b, blen, true, out);
    if (s == PA_TLS_PARSE_OK) srtp_of_hello(b, blen, true, srtp);
    free(b);
    return s;
}

const char *pa_dtls_version_name(uint16_t v) {
    switch (v) {
    case 0xfeff: return "DTLS 1.0";
    case 0xfefd: return "DTLS 1.2";
    case 0xfefc: return "DTLS 1.3";
    case 0x0100: return "DTLS 1.0 (OpenSSL pre 0.9.8f)";
    default: return NULL;
    }
}

const char *pa_dtls_srtp_name(uint16_t p) {
    switch (p) {
    case 0x0001: return "SRTP_AES128_CM_HMAC_SHA1_80";
    case 0x0002: return "SRTP_AES128_CM_HMAC_SHA1_32";
    case 0x0005: return "SRTP_NULL_HMAC_SHA1_80";
    case 0x0006: return "SRTP_NULL_HMAC_SHA1_32";
    case 0x0007: return "SRTP_AEAD_AES_128_GCM";
    case 0x0008: return "SRTP_AEAD_AES_256_GCM";
    default: return NULL;
    }
}
