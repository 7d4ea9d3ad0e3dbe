/* NTP messages: every read through the bounds-checked cursor. */
#include "ntp_parse.h"

#include <stdio.h>
#include <string.h>

#include "cursor.h"

#define NTP_UNIX_DELTA 2208988800u /* seconds from 1900 to 1970 */

static bool ts64(pa_cur *c, uint64_t *out) {
    uint32_t hi, lo;
    if (!pa_cur_be32(c, &hi) || !pa_cur_be32(c, &lo)) return false;
    *out = (uint64_t)hi << 32 | lo;
    return true;
}

static bool header(pa_cur *c, pa_ntp_msg *m) {
    return pa_cur_u8(c, &m->stratum) && pa_cur_u8(c, &m->poll) && pa_cur_u8(c, &m->precision) &&
           pa_cur_be32(c, &m->root_delay) && pa_cur_be32(c, &m->root_dispersion) && pa_cur_copy(c, m->refid, 4) &&
           ts64(c, &m->reftime) && ts64(c, &m->org) && ts64(c, &m->rec) && ts64(c, &m->xmt);
}

/* Mode 6: the 12-byte header, then count bytes of data. */
static pa_ntp_status control(pa_cur *c, pa_ntp_msg *m) {
    if (!pa_cur_u8(c, &m->flags2) || !pa_cur_be16(c, &m->sequence) || !pa_cur_be16(c, &m->status) ||
        !pa_cur_be16(c, &m->associd) || !pa_cur_be16(c, &m->offset) || !pa_cur_be16(c, &m->count))
        return PA_NTP_NOT;
    if (m->count > c->len) return PA_NTP_MALFORMED;
    if ((m->flags2 & 0x1f) == 1 && !m->associd)
        for (uint16_t k = 0; k + 4u <= m->count && m->npeers < PA_NTP_CTRL_PEERS; k += 4, m->npeers++)
            if (!pa_cur_be16(c, &m->peer_associd[m->npeers]) || !pa_cur_be16(c, &m->peer_status[m->npeers]))
                return PA_NTP_MALFORMED;
    return PA_NTP_OK;
}

/* Mode 7: four bytes; ntpd's implementation 3 adds the error code, the
 * number and size of the items that follow. */
static pa_ntp_status private_mode(pa_cur *c, pa_ntp_msg *m) {
    uint16_t a, b;
    if (!pa_cur_u8(c, &m->auth_seq) || !pa_cur_u8(c, &m->impl) || !pa_cur_u8(c, &m->reqcode)) return PA_NTP_NOT;
    if (m->impl != PA_NTP_XNTPD) return PA_NTP_OK;
    if (!pa_cur_be16(c, &a)) return PA_NTP_MALFORMED;
    m->has_err = true;
    m->err = (uint8_t)(a >> 12);
    m->numitems = a & 0x0fff;
    if (!pa_cur_be16(c, &b)) return PA_NTP_MALFORMED;
    m->has_itemsize = true;
    m->itemsize = b & 0x0fff;
    return (size_t)m->numitems * m->itemsize > c->len ? PA_NTP_MALFORMED : PA_NTP_OK;
}

pa_ntp_status pa_ntp_parse(const uint8_t *d, size_t n, pa_ntp_msg *out) {
    memset(out, 0, sizeof *out);
    pa_cur c = pa_cur_make(d, n);
    if (n < 4 || !pa_cur_u8(&c, &out->flags)) return PA_NTP_NOT;
    out->li = out->flags >> 6;
    out->vn = (out->flags >> 3) & 7;
    out->mode = out->flags & 7;
    out->len = n;
    if (out->vn < 1 || out->vn > 4 || out->mode == 0) return PA_NTP_NOT;
    if (out->mode == PA_NTP_CONTROL) return n < PA_NTP_CTRL_HEADER ? PA_NTP_NOT : control(&c, out);
    if (out->mode == PA_NTP_PRIVATE) return private_mode(&c, out);
    return header(&c, out) ? PA_NTP_OK : PA_NTP_NOT;
}

bool pa_ntp_is_request(const pa_ntp_msg *m) {
    if (m->mode == PA_NTP_CONTROL) return !(m->flags2 & 0x80);
    if (m->mode == PA_NTP_PRIVATE) return !(m->flags & 0x80);
    return m->mode == PA_NTP_CLIENT;
}

bool pa_ntp_is_response(const pa_ntp_msg *m) {
    if (m->mode == PA_NTP_CONTROL) return m->flags2 & 0x80;
    if (m->mode == PA_NTP_PRIVATE) return m->flags & 0x80;
    return m->mode == PA_NTP_SERVER;
}

int64_t pa_ntp_unix_ns(uint64_t ts) {
    uint32_t s = (uint32_t)(ts >> 32), f = (uint32_t)ts;
    uint32_t unix_s = s ? s - NTP_UNIX_DELTA : 0; /* modulo 2^32, as Wireshark */
    return (int64_t)unix_s * 1000000000 + (int64_t)(((uint64_t)f * 1000000000u) >> 32);
}

double pa_ntp_unix_s(uint64_t ts) {
    int64_t ns = pa_ntp_unix_ns(ts);
    return (double)(ns / 1000000000) + (double)(ns % 1000000000) / 1e9;
}

const char *pa_ntp_mode_name(uint8_t mode) {
    static const char *const n[8] = {"reserved", "symmetric active", "symmetric passive", "client",
                                     "server",   "broadcast",        "control",           "private"};
    return n[mode & 7];
}

const char *pa_ntp_kiss_meaning(const uint8_t code[4]) {
    static const struct {
        char code[5];
        const char *meaning;
    } kiss[] = {
        {"ACST", "the association belongs to a unicast server"},
        {"AUTH", "server authentication failed"},
        {"AUTO", "Autokey sequence failed"},
        {"BCST", "the association belongs to a broadcast server"},
        {"CRYP", "cryptographic authentication or identification failed"},
        {"DENY", "access denied by the server"},
        {"DROP", "lost peer in symmetric mode"},
        {"RSTR", "access denied by the server's policy"},
        {"INIT", "the association has not synchronized yet"},
        {"MCST", "the association belongs to a dynamically discovered server"},
        {"NKEY", "no key found"},
        {"NTSN", "NTS negative acknowledgement (RFC 8915)"},
        {"RATE", "rate exceeded: the client polls too often"},
        {"RMOT", "association altered by a remote host (ntpdc)"},
        {"STEP", "the clock was stepped and has not resynchronized"},
    };
    for (size_t i = 0; i < sizeof kiss / sizeof kiss[0]; i++)
        if (!memcmp(kiss[i].code, code, 4)) return kiss[i].meaning;
    return NULL;
}

void pa_ntp_refid_text(uint8_t stratum, const uint8_t refid[4], char *out, size_t n) {
    if (!n) return;
    if (stratum >= 2) {
        snprintf(out, n, "%u.%u.%u.%u", refid[0], refid[1], refid[2], refid[3]);
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < 4 && refid[i] && k + 1 < n; i++)
        out[k++] = refid[i] >= 0x20 && refid[i] < 0x7f ? (char)refid[i] : '.';
    out[k] = '\0';
}
