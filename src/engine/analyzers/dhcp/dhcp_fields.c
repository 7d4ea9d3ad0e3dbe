/* Values of the dhcp.* display-filter fields (dhcp_fields.def) in a frame. */
#include "dhcp_analyzer.h"

static size_t ips(pa_dvalue *out, size_t max, const uint8_t (*a)[4], uint8_t n) {
    size_t k = 0;
    for (uint8_t i = 0; i < n && k < max; i++) k += pa_put_addr(out + k, max - k, PA_FT_IPV4, a[i], 4);
    return k;
}

size_t pa_dhcp_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_dhcp_frame *t = f->app[PA_AN_dhcp];
    if (!t || !t->present) return 0;
    const pa_dhcp_msg *m = &t->msg;
    switch (field) {
    case PA_DF_DHCP: return pa_put_bool(out, max, true);
    case PA_DF_DHCP_TYPE: return pa_put_u(out, max, m->op);
    case PA_DF_DHCP_HW_TYPE: return pa_put_u(out, max, m->htype);
    case PA_DF_DHCP_HW_LEN: return pa_put_u(out, max, m->hlen);
    case PA_DF_DHCP_HOPS: return pa_put_u(out, max, m->hops);
    case PA_DF_DHCP_ID: return pa_put_u(out, max, m->xid);
    case PA_DF_DHCP_SECS: return pa_put_u(out, max, m->secs);
    case PA_DF_DHCP_IP_CLIENT: return pa_put_addr(out, max, PA_FT_IPV4, m->ciaddr, 4);
    case PA_DF_DHCP_IP_YOUR: return pa_put_addr(out, max, PA_FT_IPV4, m->yiaddr, 4);
    case PA_DF_DHCP_IP_SERVER: return pa_put_addr(out, max, PA_FT_IPV4, m->siaddr, 4);
    case PA_DF_DHCP_IP_RELAY: return pa_put_addr(out, max, PA_FT_IPV4, m->giaddr, 4);
    case PA_DF_DHCP_HW_MAC_ADDR: { /* chaddr, then a client identifier of type 1 (as tshark lists them) */
        size_t k = m->mac ? pa_put_addr(out, max, PA_FT_ETHER, m->chaddr, 6) : 0;
        if (m->client_id_len == 7 && m->client_id[0] == 1 && k < max)
            k += pa_put_addr(out + k, max - k, PA_FT_ETHER, m->client_id + 1, 6);
        return k;
    }
    case PA_DF_DHCP_OPTION_TYPE: {
        size_t k = 0;
        for (uint8_t i = 0; i < m->ncodes && k < max; i++) k += pa_put_u(out + k, max - k, m->codes[i]);
        return k;
    }
    case PA_DF_DHCP_OPTION_DHCP: return m->type ? pa_put_u(out, max, m->type) : 0;
    case PA_DF_DHCP_OPTION_SUBNET_MASK: return m->has_mask ? pa_put_addr(out, max, PA_FT_IPV4, m->mask, 4) : 0;
    case PA_DF_DHCP_OPTION_ROUTER: return ips(out, max, m->routers, m->nrouters);
    case PA_DF_DHCP_OPTION_DOMAIN_NAME_SERVER: return ips(out, max, m->dns, m->ndns);
    case PA_DF_DHCP_OPTION_HOSTNAME: return m->has_hostname ? pa_put_str(out, max, m->hostname) : 0;
    case PA_DF_DHCP_OPTION_REQUESTED_IP_ADDRESS:
        return m->has_requested ? pa_put_addr(out, max, PA_FT_IPV4, m->requested, 4) : 0;
    case PA_DF_DHCP_OPTION_IP_ADDRESS_LEASE_TIME: return m->has_lease ? pa_put_u(out, max, m->lease) : 0;
    case PA_DF_DHCP_OPTION_DHCP_SERVER_ID:
        return m->has_server_id ? pa_put_addr(out, max, PA_FT_IPV4, m->server_id, 4) : 0;
    case PA_DF_DHCP_OPTION_MESSAGE: return m->has_message ? pa_put_str(out, max, m->message) : 0;
    default: return 0;
    }
}
