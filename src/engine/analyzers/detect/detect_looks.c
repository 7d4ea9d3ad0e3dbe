/* Looks of the protocols that have no analyzer yet: each accepts a payload
 * only when its structure says the protocol (a header whose fields are in
 * range and whose lengths fit), so that a name never comes from a port
 * alone. A protocol that gets an analyzer moves its look into its folder. */
#include "detect_looks.h"

#include <string.h>
#include <strings.h>

#include "cursor.h"
#include "wireless.h"

static bool starts(const uint8_t *p, uint32_t n, const char *s) {
    size_t k = strlen(s);
    return n >= k && memcmp(p, s, k) == 0;
}

static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

/* ---- text protocols over TCP ----------------------------------------- */

/* The end of the first line (CR or LF), at most 1,024 bytes in. */
static uint32_t line_end(const uint8_t *d, uint32_t n) {
    uint32_t lim = n < 1024 ? n : 1024;
    for (uint32_t i = 0; i < lim; i++)
        if (d[i] == '\r' || d[i] == '\n') return i;
    return lim;
}

bool pa_look_text_line(const uint8_t *d, uint32_t n, const char *version) {
    size_t k = strlen(version);
    uint32_t e = line_end(d, n);
    if (e >= k + 4 && starts(d, e, version) && d[k] == ' ' && is_digit(d[k + 1]) && is_digit(d[k + 2]) &&
        is_digit(d[k + 3]))
        return true;
    /* METHOD SP URI SP VERSION, the method in capitals */
    if (e < k + 4 || memcmp(d + e - k, version, k) != 0 || d[e - k - 1] != ' ') return false;
    uint32_t i = 0;
    while (i < e && d[i] >= 'A' && d[i] <= 'Z') i++;
    return i >= 3 && i < e && d[i] == ' ';
}

bool pa_look_rtsp(const pa_packet *p) { return pa_look_text_line(p->payload, p->payload_len, "RTSP/1.0"); }

/* ---- binary protocols over TCP --------------------------------------- */

/* RDP starts with a TPKT header (version 3) holding an X.224 Connection
 * Request or Confirm (MS-RDPBCGR 2.2.1.1). */
bool pa_look_rdp(const pa_packet *p) {
    const uint8_t *d = p->payload;
    uint32_t n = p->payload_len;
    if (n < 11 || d[0] != 3 || d[1] != 0) return false;
    uint32_t len = (uint32_t)d[2] << 8 | d[3];
    uint8_t li = d[4], code = d[5] & 0xF0;
    return len >= 11 && len <= n && li + 5u <= len && (code == 0xE0 || code == 0xD0);
}

/* ---- UDP ------------------------------------------------------------- */

/* Megaco/H.248 text encoding (RFC 3525 annex B): "MEGACO/" or its short
 * form "!/" and a version digit, after an optional authentication header
 * ("AUTHENTICATION =" or "AU="), which ends at the first blank. */
static bool is_blank(uint8_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static bool megaco_start(const uint8_t *d, uint32_t n) {
    if (n >= 8 && strncasecmp((const char *)d, "MEGACO/", 7) == 0) return is_digit(d[7]);
    return n >= 3 && d[0] == '!' && d[1] == '/' && is_digit(d[2]);
}

bool pa_look_megaco(const pa_packet *p) {
    const uint8_t *d = p->payload;
    uint32_t n = p->payload_len, i = 0;
    if (megaco_start(d, n)) return true;
    if (n < 3 || strncasecmp((const char *)d, "AU", 2) != 0) return false;
    while (i < n && i < 256 && d[i] != '=') i++; /* the header's "=", its value, blanks */
    i++;
    while (i < n && is_blank(d[i])) i++;
    while (i < n && i < 256 && !is_blank(d[i])) i++;
    while (i < n && is_blank(d[i])) i++;
    return i < n && megaco_start(d + i, n - i);
}

/* CAPWAP control in clear (RFC 5415 4.3, 4.5.1): the preamble of a CAPWAP
 * header (version 0, type 0), a header length that fits, then a control
 * header (or a fragment of one). Its DTLS preamble (type 1) is the DTLS
 * analyzer's look. */
bool pa_look_capwap(const pa_packet *p) {
    pa_capwap_hdr h;
    if (pa_capwap_parse(p->payload, p->payload_len, true, &h) != PA_CAPWAP_OK) return false;
    return h.has_control || (h.flags & PA_CAPWAP_F);
}

/* ---- RTCP (shared by the RTP and STUN analyzers) ------------------- */

bool pa_rtcp_heuristic(const uint8_t *d, uint32_t n) {
    pa_cur c = pa_cur_make(d, n);
    uint8_t b0, pt;
    uint16_t words;
    if (n % 4 || !pa_cur_u8(&c, &b0) || !pa_cur_u8(&c, &pt) || !pa_cur_be16(&c, &words) || (b0 & 0xC0) != 0x80)
        return false;
    if (pt != 200 && pt != 201 && pt != 203 && pt != 204 && pt != 206) return false;
    /* the first part within the datagram; what follows may be the rest of
     * a compound packet or, in SRTCP (RFC 3711), encrypted parts, an index
     * and a tag: Wireshark's heuristic reads the first header only too */
    return n >= 8 && (uint32_t)words * 4 <= c.len;
}
