#include "dcerpc_parse.h"

#include <stdio.h>
#include <string.h>

#include "cursor.h"

/* Integers follow the sender's data representation: drep[0] bit 4 set is
 * little-endian (NDR's usual), clear big-endian. */
typedef struct rd {
    pa_cur c;
    bool le;
} rd;

static bool u16(rd *r, uint16_t *v) { return r->le ? pa_cur_le16(&r->c, v) : pa_cur_be16(&r->c, v); }
static bool u32(rd *r, uint32_t *v) { return r->le ? pa_cur_le32(&r->c, v) : pa_cur_be32(&r->c, v); }
static bool u8(rd *r, uint8_t *v) { return pa_cur_u8(&r->c, v); }
static bool skip(rd *r, size_t n) { return pa_cur_skip(&r->c, n); }

/* A UUID as NDR sends it: time_low, time_mid, time_hi in the drep's byte
 * order, then 8 bytes as they are; kept in text order. */
static bool uuid(rd *r, uint8_t out[16]) {
    uint8_t raw[16];
    if (!pa_cur_copy(&r->c, raw, sizeof raw)) return false;
    memcpy(out, raw, 16);
    if (r->le) {
        out[0] = raw[3], out[1] = raw[2], out[2] = raw[1], out[3] = raw[0];
        out[4] = raw[5], out[5] = raw[4];
        out[6] = raw[7], out[7] = raw[6];
    }
    return true;
}

/* The version is read as one 32-bit integer in the drep's order, major in
 * its low half, as Wireshark reads it (the same as two 16-bit fields when
 * little-endian, as senders use). */
static bool syntax(rd *r, pa_dcerpc_syntax *s) {
    uint32_t v;
    if (!uuid(r, s->uuid) || !u32(r, &v)) return false;
    s->ver = (uint16_t)(v & 0xffff);
    s->ver_minor = (uint16_t)(v >> 16);
    return true;
}

bool pa_dcerpc_hdr_parse(const uint8_t *b, size_t len, pa_dcerpc_hdr *h) {
    rd r = {pa_cur_make(b, len), true};
    if (!u8(&r, &h->ver) || !u8(&r, &h->ver_minor) || !u8(&r, &h->ptype) || !u8(&r, &h->flags) ||
        !pa_cur_copy(&r.c, h->drep, 4))
        return false;
    if (h->ver != 5 || h->ver_minor > 1 || h->ptype > PA_DCERPC_RTS) return false;
    r.le = (h->drep[0] & 0x10) != 0;
    return u16(&r, &h->frag_len) && u16(&r, &h->auth_len) && u32(&r, &h->call_id);
}

bool pa_dcerpc_looks(const uint8_t *b, size_t len) {
    pa_dcerpc_hdr h;
    if (!pa_dcerpc_hdr_parse(b, len, &h)) return false;
    /* the connectionless types (ping .. cancel_ack) never travel over a stream */
    if (h.ptype >= 4 && h.ptype <= 10) return false;
    if ((h.drep[0] & 0xee) || h.drep[1] > 3 || h.drep[2] || h.drep[3]) return false;
    uint32_t least = PA_DCERPC_HDR_LEN + (h.auth_len ? 8u + h.auth_len : 0u);
    return h.frag_len >= least;
}

/* The results of a bind_ack or alter_context_resp: after the secondary
 * address (a counted string) comes padding to 4 bytes from the PDU's start. */
static bool results(rd *r, size_t pdu_len, pa_dcerpc_pdu *o) {
    uint16_t addr_len;
    if (!u16(r, &addr_len) || !skip(r, addr_len)) return false;
    size_t at = pdu_len - r->c.len;
    if (at % 4 && !skip(r, 4 - at % 4)) return false;
    if (!u8(r, &o->nitems) || !skip(r, 3)) return false;
    for (uint8_t i = 0; i < o->nitems; i++) {
        uint16_t result, reason;
        pa_dcerpc_syntax ts;
        if (!u16(r, &result) || !u16(r, &reason) || !uuid(r, ts.uuid) || !skip(r, 4)) return false;
        if (o->kept == PA_DCERPC_MAX_ITEMS) continue;
        o->item[o->kept].result = result;
        o->item[o->kept].reason = reason;
        o->kept++;
    }
    return true;
}

/* The presentation context list of a bind or alter_context. */
static bool contexts(rd *r, pa_dcerpc_pdu *o) {
    if (!u8(r, &o->nitems) || !skip(r, 3)) return false;
    for (uint8_t i = 0; i < o->nitems; i++) {
        uint16_t id;
        uint8_t ntrans;
        pa_dcerpc_syntax as;
        if (!u16(r, &id) || !u8(r, &ntrans) || !skip(r, 1) || !syntax(r, &as) || !skip(r, (size_t)ntrans * 20))
            return false;
        if (o->kept == PA_DCERPC_MAX_ITEMS) continue;
        o->item[o->kept].ctx_id = id;
        o->item[o->kept].abstract = as;
        o->kept++;
    }
    return true;
}

static bool body(rd *r, size_t len, pa_dcerpc_pdu *o) {
    switch (o->h.ptype) {
    case PA_DCERPC_REQUEST:
        return u32(r, &o->alloc_hint) && u16(r, &o->ctx_id) && u16(r, &o->opnum) &&
               (!(o->h.flags & PA_DCERPC_OBJECT_UUID) || skip(r, 16));
    case PA_DCERPC_RESPONSE: return u32(r, &o->alloc_hint) && u16(r, &o->ctx_id) && u8(r, &o->cancel_count);
    case PA_DCERPC_FAULT:
        return u32(r, &o->alloc_hint) && u16(r, &o->ctx_id) && u8(r, &o->cancel_count) && skip(r, 1) &&
               u32(r, &o->status);
    case PA_DCERPC_BIND:
    case PA_DCERPC_ALTER:
        return u16(r, &o->max_xmit) && u16(r, &o->max_recv) && u32(r, &o->assoc_group) && contexts(r, o);
    case PA_DCERPC_BIND_ACK:
    case PA_DCERPC_ALTER_RESP:
        return u16(r, &o->max_xmit) && u16(r, &o->max_recv) && u32(r, &o->assoc_group) && results(r, len, o);
    case PA_DCERPC_BIND_NAK: return u16(r, &o->reject_reason);
    default: return true; /* auth3, shutdown, co_cancel, orphaned, rts: nothing a report reads */
    }
}

bool pa_dcerpc_parse(const uint8_t *b, size_t len, pa_dcerpc_pdu *out) {
    memset(out, 0, sizeof *out);
    if (!pa_dcerpc_hdr_parse(b, len, &out->h)) return false;
    rd r = {pa_cur_make(b, len), (out->h.drep[0] & 0x10) != 0};
    /* the body ends where the authentication trailer starts */
    size_t end = len;
    if (out->h.frag_len < end) end = out->h.frag_len;
    if (out->h.auth_len && (size_t)out->h.auth_len + 8 <= end - PA_DCERPC_HDR_LEN) end -= (size_t)out->h.auth_len + 8;
    if (end < PA_DCERPC_HDR_LEN) return true;
    pa_cur_limit(&r.c, end);
    if (!skip(&r, PA_DCERPC_HDR_LEN)) return true;
    out->body_ok = body(&r, end, out);
    return true;
}

void pa_dcerpc_uuid_text(const uint8_t u[16], char out[37]) {
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3],
             u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool pa_dcerpc_uuid_parse(const char *s, uint8_t out[16]) {
    size_t k = 0;
    for (size_t i = 0; s[i] && k < 32; i++) {
        if (s[i] == '-') {
            if (i != 8 && i != 13 && i != 18 && i != 23) return false;
            continue;
        }
        int v = hexval(s[i]);
        if (v < 0) return false;
        if (k % 2 == 0)
            out[k / 2] = (uint8_t)(v << 4);
        else
            out[k / 2] |= (uint8_t)v;
        k++;
    }
    return k == 32 && strlen(s) == 36;
}
