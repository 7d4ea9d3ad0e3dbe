/* Values of the dhcpv6.* display-filter fields (dhcpv6_fields.def) in a frame. */
#include "dhcpv6_analyzer.h"

size_t pa_dhcpv6_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_dhcpv6_frame *t = f->app[PA_AN_dhcpv6];
    if (!t || !t->present) return 0;
    const pa_dhcpv6_msg *m = &t->msg;
    size_t k = 0;
    switch (field) {
    case PA_DF_DHCPV6: return pa_put_bool(out, max, true);
    case PA_DF_DHCPV6_MSGTYPE:
        for (uint8_t i = 0; i < m->ntypes && k < max; i++) k += pa_put_u(out + k, max - k, m->types[i]);
        return k;
    case PA_DF_DHCPV6_HOPCOUNT: return m->relays ? pa_put_u(out, max, m->hopcount) : 0;
    case PA_DF_DHCPV6_XID: return m->has_xid ? pa_put_u(out, max, m->xid) : 0;
    case PA_DF_DHCPV6_IAID_T1:
        for (uint8_t i = 0; i < m->nias && k < max; i++) k += pa_put_u(out + k, max - k, m->ia_t1[i]);
        return k;
    case PA_DF_DHCPV6_IAID_T2:
        for (uint8_t i = 0; i < m->nias && k < max; i++) k += pa_put_u(out + k, max - k, m->ia_t2[i]);
        return k;
    case PA_DF_DHCPV6_IAADDR_IP:
        for (uint8_t i = 0; i < m->naddrs && k < max; i++)
            k += pa_put_addr(out + k, max - k, PA_FT_IPV6, m->addrs[i].ip, 16);
        return k;
    case PA_DF_DHCPV6_IAADDR_PREF_LIFETIME:
        for (uint8_t i = 0; i < m->naddrs && k < max; i++) k += pa_put_u(out + k, max - k, m->addrs[i].preferred);
        return k;
    case PA_DF_DHCPV6_IAADDR_VALID_LIFETIME:
        for (uint8_t i = 0; i < m->naddrs && k < max; i++) k += pa_put_u(out + k, max - k, m->addrs[i].valid);
        return k;
    case PA_DF_DHCPV6_IAPREFIX_PREF_ADDR:
        for (uint8_t i = 0; i < m->nprefixes && k < max; i++)
            k += pa_put_addr(out + k, max - k, PA_FT_IPV6, m->prefixes[i].prefix, 16);
        return k;
    case PA_DF_DHCPV6_IAPREFIX_PREF_LEN:
        for (uint8_t i = 0; i < m->nprefixes && k < max; i++) k += pa_put_u(out + k, max - k, m->prefixes[i].len);
        return k;
    case PA_DF_DHCPV6_STATUS_CODE: return m->has_status ? pa_put_u(out, max, m->status) : 0;
    case PA_DF_DHCPV6_DNS_SERVER:
        for (uint8_t i = 0; i < m->ndns && k < max; i++) k += pa_put_addr(out + k, max - k, PA_FT_IPV6, m->dns[i], 16);
        return k;
    default: return 0;
    }
}
