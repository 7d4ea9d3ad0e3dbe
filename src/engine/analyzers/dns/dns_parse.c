#include "dns_parse.h"

#include <stdio.h>
#include <string.h>

#include "cursor.h"
#include "packet.h"

/* Reads the name at offset `off` of the message into out (text form).
 * *end receives the offset just after the name in the original position. */
static pa_dns_status read_name(const uint8_t *msg, size_t n, size_t off, char *out, size_t *end) {
    size_t o = 0, pos = off, hops = 0;
    bool jumped = false;
    for (;;) {
        if (pos >= n) return PA_DNS_TRUNCATED;
        uint8_t len = msg[pos];
        if ((len & 0xC0) == 0xC0) {
            if (pos + 1 >= n) return PA_DNS_TRUNCATED;
            size_t target = (size_t)(len & 0x3F) << 8 | msg[pos + 1];
            /* pointers must point strictly backwards: no loops, no forward refs */
            if (target >= pos || ++hops > PA_DNS_MAX_HOPS) return PA_DNS_BAD_NAME;
            if (!jumped) *end = pos + 2;
            jumped = true;
            pos = target;
            continue;
        }
        if (len & 0xC0) return PA_DNS_BAD_NAME; /* reserved label types */
        if (len == 0) {
            if (!jumped) *end = pos + 1;
            if (o == 0)
                snprintf(out, PA_DNS_NAME_MAX, "<Root>");
            else
                out[o] = '\0';
            return PA_DNS_OK;
        }
        if (pos + 1 + len > n) return PA_DNS_TRUNCATED;
        if (o + len + 2 > PA_DNS_NAME_MAX) return PA_DNS_BAD_NAME;
        if (o) out[o++] = '.';
        for (size_t i = 0; i < len; i++) {
            uint8_t c = msg[pos + 1 + i];
            /* names are data: keep them printable and unambiguous */
            out[o++] = (c > 0x20 && c < 0x7f && c != '\\') ? (char)c : '?';
        }
        pos += 1 + (size_t)len;
    }
}

pa_dns_status pa_dns_parse(const uint8_t *p, size_t n, pa_dns_msg *m) {
    memset(m, 0, sizeof *m);
    pa_cur c = pa_cur_make(p, n);
    uint16_t fl;
    if (!pa_cur_be16(&c, &m->id) || !pa_cur_be16(&c, &fl) || !pa_cur_be16(&c, &m->qdcount) ||
        !pa_cur_be16(&c, &m->ancount) || !pa_cur_be16(&c, &m->nscount) || !pa_cur_be16(&c, &m->arcount))
        return PA_DNS_TRUNCATED;
    m->qr = fl & 0x8000;
    m->opcode = (uint8_t)((fl >> 11) & 0xF);
    m->aa = fl & 0x0400;
    m->tc = fl & 0x0200;
    m->rd = fl & 0x0100;
    m->ra = fl & 0x0080;
    m->rcode = fl & 0xF;
    size_t off = 12;
    for (unsigned q = 0; q < m->qdcount && q < PA_DNS_MAX_RR; q++) {
        char name[PA_DNS_NAME_MAX];
        size_t end = off;
        pa_dns_status st = read_name(p, n, off, name, &end);
        if (st) return st;
        if (end + 4 > n) return PA_DNS_TRUNCATED;
        if (q == 0) {
            memcpy(m->qname, name, sizeof name);
            m->qtype = (uint16_t)(p[end] << 8 | p[end + 1]);
            m->qclass = (uint16_t)(p[end + 2] << 8 | p[end + 3]);
            m->has_question = true;
        }
        off = end + 4;
    }
    unsigned total = (unsigned)m->ancount + m->nscount + m->arcount;
    for (unsigned r = 0; r < total && r < PA_DNS_MAX_RR; r++) {
        char name[PA_DNS_NAME_MAX];
        size_t end = off;
        pa_dns_status st = read_name(p, n, off, name, &end);
        if (st) return st;
        if (end + 10 > n) return PA_DNS_TRUNCATED;
        uint16_t type = (uint16_t)(p[end] << 8 | p[end + 1]);
        uint16_t klass = (uint16_t)(p[end + 2] << 8 | p[end + 3]);
        uint32_t ttl = (uint32_t)p[end + 4] << 24 | (uint32_t)p[end + 5] << 16 | (uint32_t)p[end + 6] << 8 | p[end + 7];
        uint16_t rdlen = (uint16_t)(p[end + 8] << 8 | p[end + 9]);
        size_t rd = end + 10;
        if (rd + rdlen > n) return PA_DNS_TRUNCATED;
        if (r < m->ancount) {
            m->answers++;
            if (m->answers == 1 || ttl < m->min_ttl) m->min_ttl = ttl;
            if (m->answers == 1) {
                if (type == 1 && rdlen == 4)
                    snprintf(m->first_answer, sizeof m->first_answer, "%u.%u.%u.%u", p[rd], p[rd + 1], p[rd + 2],
                             p[rd + 3]);
                else if (type == 5 || type == 12 || type == 2) {
                    char t[PA_DNS_NAME_MAX];
                    size_t e2;
                    if (read_name(p, rd + rdlen, rd, t, &e2) == PA_DNS_OK)
                        snprintf(m->first_answer, sizeof m->first_answer, "%.63s", t);
                } else if (type == 16 && rdlen >= 1 && p[rd] <= rdlen - 1) {
                    /* TXT: the first character-string, printable ASCII kept */
                    size_t k = p[rd] < sizeof m->first_answer - 1 ? p[rd] : sizeof m->first_answer - 1;
                    for (size_t i = 0; i < k; i++) {
                        uint8_t ch = p[rd + 1 + i];
                        m->first_answer[i] = (char)(ch >= 0x20 && ch < 0x7F ? ch : '?');
                    }
                    m->first_answer[k] = '\0';
                } else if (type == 28 && rdlen == 16) {
                    pa_addr a = {6, {0}};
                    memcpy(a.b, p + rd, 16);
                    pa_addr_str(&a, m->first_answer, sizeof m->first_answer);
                }
            }
        } else if (type == 41) { /* OPT: EDNS, the extended rcode in the TTL's top byte */
            m->edns = true;
            m->edns_udp_size = klass;
            m->rcode = (uint16_t)(m->rcode | ((ttl >> 24) << 4));
        }
        off = rd + rdlen;
    }
    return PA_DNS_OK;
}

const char *pa_dns_rcode_name(unsigned rcode) {
    static const char *const names[] = {"NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
                                        "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE"};
    if (rcode < sizeof names / sizeof names[0]) return names[rcode];
    if (rcode == 16) return "BADVERS";
    return "RCODE";
}

const char *pa_dns_type_name(unsigned t) {
    switch (t) {
    case 1: return "A";
    case 2: return "NS";
    case 5: return "CNAME";
    case 6: return "SOA";
    case 12: return "PTR";
    case 15: return "MX";
    case 16: return "TXT";
    case 28: return "AAAA";
    case 33: return "SRV";
    case 35: return "NAPTR";
    case 41: return "OPT";
    case 43: return "DS";
    case 46: return "RRSIG";
    case 48: return "DNSKEY";
    case 64: return "SVCB";
    case 65: return "HTTPS";
    case 255: return "ANY";
    default: return NULL;
    }
}

pa_dns_status pa_dns_records(const uint8_t *p, size_t n, pa_dns_rr_cb cb, void *ud) {
    if (n < 12) return PA_DNS_TRUNCATED;
    unsigned qd = (unsigned)(p[4] << 8 | p[5]);
    unsigned total = (unsigned)(p[6] << 8 | p[7]) + (unsigned)(p[8] << 8 | p[9]) + (unsigned)(p[10] << 8 | p[11]);
    size_t off = 12;
    char name[PA_DNS_NAME_MAX];
    for (unsigned q = 0; q < qd && q < PA_DNS_MAX_RR; q++) {
        size_t end;
        pa_dns_status st = read_name(p, n, off, name, &end);
        if (st) return st;
        if (end + 4 > n) return PA_DNS_TRUNCATED;
        cb(ud, 0, name, (uint16_t)(p[end] << 8 | p[end + 1]), NULL, 0);
        off = end + 4;
    }
    unsigned an = (unsigned)(p[6] << 8 | p[7]), ns = (unsigned)(p[8] << 8 | p[9]);
    for (unsigned r = 0; r < total && r < PA_DNS_MAX_RR; r++) {
        size_t end;
        pa_dns_status st = read_name(p, n, off, name, &end);
        if (st) return st;
        if (end + 10 > n) return PA_DNS_TRUNCATED;
        uint16_t type = (uint16_t)(p[end] << 8 | p[end + 1]);
        uint16_t rdlen = (uint16_t)(p[end + 8] << 8 | p[end + 9]);
        if (end + 10 + rdlen > n) return PA_DNS_TRUNCATED;
        cb(ud, r < an ? 1 : r < an + ns ? 2 : 3, name, type, p + end + 10, rdlen);
        off = end + 10 + rdlen;
    }
    return PA_DNS_OK;
}
