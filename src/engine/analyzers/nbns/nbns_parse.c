/* NBNS messages (nbns_parse.h). */
#include "nbns_parse.h"

#include <stdio.h>
#include <string.h>

#include "cursor.h"

#define NBNS_HOPS 32 /* compression pointers followed per name */
#define NBNS_RAW 256 /* the encoded name as text, labels joined by dots */

bool pa_nbns_opcode_known(unsigned opcode) { return opcode == 0 || (opcode >= 5 && opcode <= 9); }

/* The labels of a name at *c (compression pointers must point strictly
 * backwards, at most NBNS_HOPS) as "LABEL.LABEL"; *c moves past the name
 * as it is in the message. */
static bool read_labels(const uint8_t *msg, size_t n, pa_cur *c, char *out, size_t outlen) {
    pa_cur at = *c;
    size_t pos = (size_t)(at.p - msg), w = 0;
    bool jumped = false;
    for (int hops = 0;;) {
        uint8_t len;
        if (!pa_cur_u8(&at, &len)) return false;
        if (len == 0) break;
        if ((len & 0xC0) == 0xC0) {
            uint8_t lo;
            if (!pa_cur_u8(&at, &lo)) return false;
            size_t to = (size_t)(len & 0x3F) << 8 | lo;
            if (!jumped) *c = at;
            jumped = true;
            if (to >= pos || ++hops > NBNS_HOPS) return false;
            pos = to;
            at = pa_cur_make(msg + to, n - to);
            continue;
        }
        if (len & 0xC0) return false;
        pa_cur label;
        if (!pa_cur_sub(&at, len, &label)) return false;
        if (w && w < outlen - 1) out[w++] = '.';
        for (size_t i = 0; i < label.len && w < outlen - 1; i++) out[w++] = (char)label.p[i];
        pos = (size_t)(at.p - msg);
    }
    out[w] = '\0';
    if (!jumped) *c = at;
    return true;
}

/* First-level decoding (RFC 1001 14.1) as Wireshark's get_nbns_name: pairs
 * of 'A'..'Z' up to a dot or the end, exactly 16 bytes; the first 15
 * printable (others "<xx>"), trailing spaces dropped, "<type>" after, then
 * the scope. Returns the type, -1 when the name is not a NetBIOS name. */
static int decode_name(const char *raw, char *out, size_t outlen) {
    uint8_t nb[16];
    size_t idx = 0;
    const char *s = raw;
    while (idx < 16 && *s && *s != '.') {
        char hi = s[0], lo = s[1];
        if (hi < 'A' || hi > 'Z') {
            snprintf(out, outlen, "Illegal NetBIOS name (1st character not between A and Z in first-level encoding)");
            return -1;
        }
        if (lo == '\0' || lo == '.') {
            snprintf(out, outlen, "Illegal NetBIOS name (odd number of bytes)");
            return -1;
        }
        if (lo < 'A' || lo > 'Z') {
            snprintf(out, outlen, "Illegal NetBIOS name (2nd character not between A and Z in first-level encoding)");
            return -1;
        }
        nb[idx++] = (uint8_t)((hi - 'A') << 4 | (lo - 'A'));
        s += 2;
    }
    if (idx != 16) {
        snprintf(out, outlen, "Illegal NetBIOS name (%zu bytes long)", idx);
        return -1;
    }
    static const char hex[] = "0123456789abcdef";
    size_t w = 0;
    for (size_t i = 0; i < 15; i++) {
        uint8_t ch = nb[i];
        if (ch >= ' ' && ch <= '~') {
            if (w + 1 < outlen) out[w++] = (char)ch;
        } else if (w + 4 < outlen) {
            out[w++] = '<';
            out[w++] = hex[ch >> 4];
            out[w++] = hex[ch & 15];
            out[w++] = '>';
        }
    }
    while (w && out[w - 1] == ' ') w--;
    if (w + 4 < outlen) {
        out[w++] = '<';
        out[w++] = hex[nb[15] >> 4];
        out[w++] = hex[nb[15] & 15];
        out[w++] = '>';
    }
    out[w] = '\0';
    if (*s == '.') {
        size_t k = strlen(s);
        if (w + k >= outlen) k = outlen - 1 - w;
        memcpy(out + w, s, k);
        out[w + k] = '\0';
    }
    return nb[15];
}

bool pa_nbns_read_name(const uint8_t *msg, size_t n, pa_cur *c, char *out, size_t outlen, int *suffix) {
    char raw[NBNS_RAW];
    if (!outlen || !read_labels(msg, n, c, raw, sizeof raw)) return false;
    *suffix = decode_name(raw, out, outlen);
    return true;
}

static bool read_rr(const uint8_t *msg, size_t n, pa_cur *c, uint8_t section, pa_nbns_rr *rr) {
    memset(rr, 0, sizeof *rr);
    rr->section = section;
    int suffix;
    if (!pa_nbns_read_name(msg, n, c, rr->name, sizeof rr->name, &suffix)) return false;
    rr->suffix = (int16_t)suffix;
    if (!pa_cur_be16(c, &rr->type) || !pa_cur_be16(c, &rr->cls)) return false;
    if (section == 0) return true;
    uint16_t rdlen;
    pa_cur rd;
    if (!pa_cur_be32(c, &rr->ttl) || !pa_cur_be16(c, &rdlen) || !pa_cur_sub(c, rdlen, &rd)) return false;
    if (rr->type != 0x20) return true; /* NB: entries of flags and an IPv4 address */
    while (rd.len >= 6 && rr->naddrs < PA_NBNS_MAX_ADDRS) {
        if (!pa_cur_be16(&rd, &rr->nb_flags[rr->naddrs]) || !pa_cur_copy(&rd, rr->addrs[rr->naddrs], 4)) break;
        rr->naddrs++;
    }
    return true;
}

pa_nbns_status pa_nbns_parse(const uint8_t *p, size_t n, pa_nbns_msg *out) {
    memset(out, 0, offsetof(pa_nbns_msg, rr));
    pa_cur c = pa_cur_make(p, n);
    if (!pa_cur_be16(&c, &out->id) || !pa_cur_be16(&c, &out->flags) || !pa_cur_be16(&c, &out->qdcount) ||
        !pa_cur_be16(&c, &out->ancount) || !pa_cur_be16(&c, &out->nscount) || !pa_cur_be16(&c, &out->arcount))
        return PA_NBNS_SHORT;
    out->response = (out->flags & 0x8000) != 0;
    out->opcode = (uint8_t)((out->flags >> 11) & 0xF);
    out->broadcast = (out->flags & 0x0010) != 0;
    out->rcode = (uint8_t)(out->flags & 0xF);
    const uint16_t counts[4] = {out->qdcount, out->ancount, out->nscount, out->arcount};
    for (uint8_t s = 0; s < 4; s++)
        for (uint32_t i = 0; i < counts[s]; i++) {
            if (out->nrr == PA_NBNS_MAX_RR) return PA_NBNS_OK;
            if (!read_rr(p, n, &c, s, &out->rr[out->nrr])) return PA_NBNS_TRUNCATED;
            out->nrr++;
        }
    return PA_NBNS_OK;
}

const char *pa_nbns_suffix_name(unsigned suffix) {
    switch (suffix) {
    case 0x00: return "Workstation/Redirector";
    case 0x01: return "Browser";
    case 0x02: return "Workstation/Redirector";
    case 0x03: return "Messenger service/Main name";
    case 0x05: return "Forwarded name";
    case 0x06: return "RAS Server service";
    case 0x1b: return "PDC Domain name";
    case 0x1c: return "BDC Domain name";
    case 0x1d: return "Master Browser backup";
    case 0x1e: return "Browser Election Service";
    case 0x1f: return "Net DDE Service";
    case 0x20: return "Server service";
    case 0x21: return "RAS client service";
    case 0x22: return "Exchange Interchange (MSMail Connector)";
    case 0x23: return "Exchange Store";
    case 0x24: return "Exchange Directory";
    case 0x2b: return "Lotus Notes Server service";
    case 0x30: return "Modem sharing server service";
    case 0x31: return "Modem sharing client service";
    case 0x43: return "SMS Clients Remote Control";
    case 0x44: return "SMS Administrators Remote Control Tool";
    case 0x45: return "SMS Clients Remote Chat";
    case 0x46: return "SMS Clients Remote Transfer";
    case 0x4c: return "DEC Pathworks TCP/IP Service on Windows NT";
    case 0x52: return "DEC Pathworks TCP/IP Service on Windows NT";
    case 0x6a: return "Microsoft Exchange IMC";
    case 0x87: return "Microsoft Exchange MTA";
    case 0xbe: return "Network Monitor Agent";
    case 0xbf: return "Network Monitor Analyzer";
    default: return "Unknown";
    }
}
