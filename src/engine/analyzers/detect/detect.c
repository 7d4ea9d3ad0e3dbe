#include "detect.h"

#include <string.h>

#include "analyzer.h"
#include "cursor.h"

static bool starts(const uint8_t *p, uint32_t n, const char *s) {
    size_t k = strlen(s);
    return n >= k && memcmp(p, s, k) == 0;
}

static bool looks_sip(const uint8_t *p, uint32_t n) {
    static const char *const m[] = {"SIP/2.0 ", "INVITE sip:", "REGISTER sip:", "OPTIONS sip:",   "BYE sip:",
                                    "ACK sip:", "CANCEL sip:", "NOTIFY sip:",   "SUBSCRIBE sip:", "MESSAGE sip:"};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (starts(p, n, m[i])) return true;
    return false;
}

pa_proto pa_app_by_port(pa_proto l4, uint16_t sport, uint16_t dport) {
    /* The lower port is usually the service (Wireshark tries it first). */
    uint16_t a = sport < dport ? sport : dport, b = sport < dport ? dport : sport;
    uint16_t order[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        uint16_t port = order[i];
        for (int k = 0; k < PA_AN_COUNT; k++)
            for (const pa_app_port *pp = pa_analyzers[k]->ports; pp && pp->l4; pp++)
                if (pp->l4 == l4 && pp->port == port) return (pa_proto)pa_analyzers[k]->proto;
#define PA_APP_PORT(t, prt, proto)                                                                                     \
    if (l4 == PA_P_##t && port == (prt)) return PA_P_##proto;
#include "detect_ports.def"
#undef PA_APP_PORT
    }
    return PA_P_NONE;
}

pa_proto pa_app_detect(const pa_packet *p) {
    const uint8_t *d = p->payload;
    uint32_t n = p->payload_len;
    if (!d || !n) return PA_P_NONE;
    /* the analyzers' own looks first (each is specific to its protocol) */
    for (int k = 0; k < PA_AN_COUNT; k++)
        if (pa_analyzers[k]->detect && pa_analyzers[k]->detect(p)) return (pa_proto)pa_analyzers[k]->proto;
    /* protocols named without an analyzer */
    if (p->l4 == PA_P_TCP) {
        if (starts(d, n, "SSH-")) return PA_P_SSH;
        if (looks_sip(d, n)) return PA_P_SIP;
        /* NetBIOS session header + SMB magic. */
        if (n >= 8 && d[0] == 0 && (d[4] == 0xFF || d[4] == 0xFE) && d[5] == 'S' && d[6] == 'M' && d[7] == 'B')
            return d[4] == 0xFF ? PA_P_SMB : PA_P_SMB2;
    } else if (p->l4 == PA_P_UDP) {
        if (looks_sip(d, n)) return PA_P_SIP;
        /* QUIC long header: form and fixed bits set, version 1 or 2, or a
         * version-negotiation packet (version 0). */
        if ((p->sport == 443 || p->dport == 443) && n >= 5 && (d[0] & 0xC0) == 0xC0) return PA_P_QUIC;
    }
    return pa_app_by_port(p->l4, p->sport, p->dport);
}
