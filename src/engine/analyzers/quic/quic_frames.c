/* QUIC frames and CRYPTO reassembly: every read through the cursor. */
#include "quic_frames.h"

#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "quic_parse.h"

static bool skip_varints(pa_cur *c, int n) {
    uint64_t v;
    for (int i = 0; i < n; i++)
        if (!pa_quic_varint(c, &v)) return false;
    return true;
}

/* varint length, then that many bytes */
static bool skip_counted(pa_cur *c) {
    uint64_t len;
    return pa_quic_varint(c, &len) && len <= c->len && pa_cur_skip(c, (size_t)len);
}

static bool skip_ack(pa_cur *c, bool ecn) {
    uint64_t largest, delay, count, first;
    if (!pa_quic_varint(c, &largest) || !pa_quic_varint(c, &delay) || !pa_quic_varint(c, &count) ||
        !pa_quic_varint(c, &first))
        return false;
    /* each range is two varints of at least a byte: the bytes left bound the count */
    if (count > c->len / 2) return false;
    for (uint64_t i = 0; i < count; i++)
        if (!skip_varints(c, 2)) return false;
    return !ecn || skip_varints(c, 3);
}

static void note_type(pa_quic_frames *out, uint64_t t) {
    if (out->ntype < PA_QUIC_FRAMES_MAX)
        out->type[out->ntype++] = t;
    else
        out->more = true;
}

static bool crypto_frame(pa_cur *c, pa_quic_frames *out) {
    uint64_t off, len;
    if (!pa_quic_varint(c, &off) || !pa_quic_varint(c, &len) || len > c->len) return false;
    if (out->ncrypto < PA_QUIC_CRYPTO_MAX)
        out->crypto[out->ncrypto++] = (struct pa_quic_crypto_frame){off, len, c->p};
    else
        out->more = true;
    return pa_cur_skip(c, (size_t)len);
}

static bool close_frame(pa_cur *c, bool app, pa_quic_frames *out) {
    uint64_t code, ftype = 0, rlen;
    if (!pa_quic_varint(c, &code) || (!app && !pa_quic_varint(c, &ftype)) || !pa_quic_varint(c, &rlen) || rlen > c->len)
        return false;
    out->has_close = true;
    out->close_app = app;
    out->close_code = code;
    out->close_frame_type = ftype;
    out->reason = c->p;
    out->reason_len = (size_t)rlen;
    return pa_cur_skip(c, (size_t)rlen);
}

/* STREAM (0x08-0x0f): the low bits say which of offset and length follow */
static bool stream_frame(pa_cur *c, uint64_t t) {
    if (!skip_varints(c, 1) || ((t & 0x04) && !skip_varints(c, 1))) return false;
    if (t & 0x02) return skip_counted(c);
    return pa_cur_skip(c, c->len); /* to the end of the packet */
}

static bool new_cid_frame(pa_cur *c) {
    uint8_t l;
    return skip_varints(c, 2) && pa_cur_u8(c, &l) && l >= 1 && l <= PA_QUIC_CID_MAX && pa_cur_skip(c, l) &&
           pa_cur_skip(c, 16);
}

static bool one_frame(pa_cur *c, uint64_t t, pa_quic_frames *out) {
    switch (t) {
    case PA_QUIC_F_PING:
    case 0x1e: return true; /* HANDSHAKE_DONE */
    case PA_QUIC_F_ACK:
    case PA_QUIC_F_ACK_ECN: return skip_ack(c, t == PA_QUIC_F_ACK_ECN);
    case 0x04: return skip_varints(c, 3); /* RESET_STREAM */
    case 0x05: return skip_varints(c, 2); /* STOP_SENDING */
    case PA_QUIC_F_CRYPTO: return crypto_frame(c, out);
    case 0x07: return skip_counted(c); /* NEW_TOKEN */
    case 0x10:                         /* MAX_DATA */
    case 0x12:                         /* MAX_STREAMS */
    case 0x13:
    case 0x14: /* DATA_BLOCKED */
    case 0x16: /* STREAMS_BLOCKED */
    case 0x17:
    case 0x19: return skip_varints(c, 1); /* RETIRE_CONNECTION_ID */
    case 0x11:                            /* MAX_STREAM_DATA */
    case 0x15: return skip_varints(c, 2); /* STREAM_DATA_BLOCKED */
    case 0x18: return new_cid_frame(c);
    case 0x1a: /* PATH_CHALLENGE */
    case 0x1b: return pa_cur_skip(c, 8);
    case PA_QUIC_F_CLOSE:
    case PA_QUIC_F_CLOSE_APP: return close_frame(c, t == PA_QUIC_F_CLOSE_APP, out);
    case 0x30: return pa_cur_skip(c, c->len); /* DATAGRAM to the end (RFC 9221) */
    case 0x31: return skip_counted(c);
    default:
        if (t >= 0x08 && t <= 0x0f) return stream_frame(c, t);
        return false;
    }
}

bool pa_quic_parse_frames(const uint8_t *d, size_t n, pa_quic_frames *out) {
    memset(out, 0, sizeof *out);
    pa_cur c = pa_cur_make(d, n);
    while (c.len) {
        uint64_t t;
        if (!pa_quic_varint(&c, &t)) return false;
        if (t == PA_QUIC_F_PADDING) { /* one frame for the whole run, as tshark counts it */
            uint8_t b;
            while (pa_cur_peek_u8(&c, 0, &b) && b == 0)
                if (!pa_cur_skip(&c, 1)) return false;
            note_type(out, t);
            continue;
        }
        note_type(out, t);
        if (!one_frame(&c, t, out)) return false;
    }
    return true;
}

static bool grow(pa_quic_stream *s, uint32_t need, size_t *grown) {
    if (need <= s->alloc) return true;
    uint32_t a = s->alloc ? s->alloc : 1024;
    while (a < need) a *= 2;
    if (a > PA_QUIC_STREAM_CAP) a = PA_QUIC_STREAM_CAP;
    uint8_t *b = realloc(s->buf, a);
    if (!b) return false;
    s->buf = b;
    uint8_t *seen = realloc(s->seen, a / 8);
    if (!seen) return false;
    memset(seen + s->alloc / 8, 0, (a - s->alloc) / 8);
    s->seen = seen;
    *grown += (size_t)(a - s->alloc) * 9 / 8;
    s->alloc = a;
    return true;
}

bool pa_quic_stream_add(pa_quic_stream *s, uint64_t offset, const uint8_t *d, size_t n, size_t *grown) {
    *grown = 0;
    if (offset >= PA_QUIC_STREAM_CAP) {
        if (n) s->capped = true;
        return true;
    }
    if (n > PA_QUIC_STREAM_CAP - offset) {
        n = (size_t)(PA_QUIC_STREAM_CAP - offset);
        s->capped = true;
    }
    if (!n) return true;
    uint32_t off = (uint32_t)offset, end = (uint32_t)(offset + n);
    if (!grow(s, end, grown)) return false;
    /* a retransmission overwrites with the same bytes; the first copy is kept
     * so that conflicting data cannot change a parsed hello */
    for (uint32_t i = off; i < end; i++)
        if (!(s->seen[i / 8] & (1u << (i % 8)))) {
            s->buf[i] = d[i - off];
            s->seen[i / 8] |= (uint8_t)(1u << (i % 8));
        }
    while (s->prefix < s->alloc && (s->seen[s->prefix / 8] & (1u << (s->prefix % 8)))) s->prefix++;
    return true;
}

size_t pa_quic_stream_memory(const pa_quic_stream *s) { return (size_t)s->alloc * 9 / 8; }

void pa_quic_stream_free(pa_quic_stream *s) {
    free(s->buf);
    free(s->seen);
    memset(s, 0, sizeof *s);
}

bool pa_quic_stream_message(const pa_quic_stream *s, uint8_t *type, const uint8_t **body, size_t *len) {
    pa_cur c = pa_cur_make(s->buf, s->prefix);
    uint32_t l;
    if (!pa_cur_u8(&c, type) || !pa_cur_be24(&c, &l) || l > c.len) return false;
    *body = c.p;
    *len = l;
    return true;
}

const char *pa_quic_error_name(uint64_t code) {
    static const char *const names[] = {
        "NO_ERROR",
        "INTERNAL_ERROR",
        "CONNECTION_REFUSED",
        "FLOW_CONTROL_ERROR",
        "STREAM_LIMIT_ERROR",
        "STREAM_STATE_ERROR",
        "FINAL_SIZE_ERROR",
        "FRAME_ENCODING_ERROR",
        "TRANSPORT_PARAMETER_ERROR",
        "CONNECTION_ID_LIMIT_ERROR",
        "PROTOCOL_VIOLATION",
        "INVALID_TOKEN",
        "APPLICATION_ERROR",
        "CRYPTO_BUFFER_EXCEEDED",
        "KEY_UPDATE_ERROR",
        "AEAD_LIMIT_REACHED",
        "NO_VIABLE_PATH",
    };
    if (code < sizeof names / sizeof names[0]) return names[code];
    if (code >= 0x0100 && code <= 0x01ff) return "CRYPTO_ERROR";
    return NULL;
}
