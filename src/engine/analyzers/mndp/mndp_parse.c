/* MikroTik Neighbor Discovery Protocol messages (mndp_parse.h). */
#include "mndp_parse.h"

#include <string.h>

bool pa_mndp_looks(const uint8_t *p, size_t n) { return p && n >= 8 && p[4] == 0 && p[6] == 0; }

bool pa_mndp_tlv_next(pa_cur *c, uint16_t *type, pa_cur *value) {
    uint16_t len;
    pa_cur t = *c; /* *c moves only past a whole TLV */
    if (!pa_cur_be16(&t, type) || !pa_cur_be16(&t, &len) || !pa_cur_sub(&t, len, value)) return false;
    *c = t;
    return true;
}

void pa_mndp_text(pa_cur v, char *out, size_t outlen) {
    size_t w = 0;
    uint8_t b;
    while (pa_cur_u8(&v, &b) && b && w + 1 < outlen) out[w++] = (b >= 0x20 && b < 0x7f) ? (char)b : '?';
    out[w] = '\0';
}

/* A fixed-size value: kept only when the TLV has exactly that size. */
static bool fixed(pa_cur v, uint8_t *out, size_t n) { return v.len == n && pa_cur_copy(&v, out, n); }

bool pa_mndp_parse(const uint8_t *p, size_t n, pa_mndp_msg *m) {
    memset(m, 0, sizeof *m);
    if (!pa_mndp_looks(p, n)) return false;
    pa_cur c = pa_cur_make(p, n), v;
    if (!pa_cur_skip(&c, 2) || !pa_cur_be16(&c, &m->seqno)) return false;
    uint16_t type;
    while (pa_mndp_tlv_next(&c, &type, &v)) {
        m->ntlvs++;
        switch (type) {
        case PA_MNDP_T_MAC: m->has_mac = fixed(v, m->mac, 6) || m->has_mac; break;
        case PA_MNDP_T_IDENTITY: pa_mndp_text(v, m->identity, sizeof m->identity); break;
        case PA_MNDP_T_VERSION: pa_mndp_text(v, m->version, sizeof m->version); break;
        case PA_MNDP_T_PLATFORM: pa_mndp_text(v, m->platform, sizeof m->platform); break;
        case PA_MNDP_T_SOFTWAREID: pa_mndp_text(v, m->softwareid, sizeof m->softwareid); break;
        case PA_MNDP_T_BOARD: pa_mndp_text(v, m->board, sizeof m->board); break;
        case PA_MNDP_T_INTERFACE: pa_mndp_text(v, m->ifname, sizeof m->ifname); break;
        case PA_MNDP_T_IPV4: m->has_ipv4 = fixed(v, m->ipv4, 4) || m->has_ipv4; break;
        case PA_MNDP_T_IPV6: m->has_ipv6 = fixed(v, m->ipv6, 16) || m->has_ipv6; break;
        case PA_MNDP_T_UPTIME:
            if (v.len == 4 && pa_cur_le32(&v, &m->uptime)) m->has_uptime = true;
            break;
        default: break;
        }
    }
    m->truncated = c.len > 0;
    return true;
}
