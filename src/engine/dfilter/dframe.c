/* Field values of one frame for display filters (see dframe.h). */
#include "dframe.h"

#include "dns_parse.h"

#include <stdio.h>
#include <string.h>

void pa_dframe_init(pa_dframe *f, const pa_packet *p, const uint8_t *data, const pa_frame_ctx *ctx) {
    f->p = p;
    f->data = data;
    f->ctx = ctx;
    f->protocols_built = false;
    f->dns_parsed = false;
    f->nnames = 0;
    f->bank = 0;
}

static size_t put_u(pa_dvalue *out, size_t max, uint64_t v) {
    if (!max) return 0;
    out->type = PA_FT_UINT;
    out->v.u = v;
    return 1;
}

static size_t put_bool(pa_dvalue *out, size_t max, bool v) {
    if (!max) return 0;
    out->type = PA_FT_BOOL;
    out->v.u = v;
    return 1;
}

static size_t put_d(pa_dvalue *out, size_t max, double v) {
    if (!max) return 0;
    out->type = PA_FT_DOUBLE;
    out->v.d = v;
    return 1;
}

static size_t put_addr(pa_dvalue *out, size_t max, pa_ftype t, const uint8_t *a, size_t n) {
    if (!max) return 0;
    out->type = t;
    memset(out->v.addr, 0, sizeof out->v.addr);
    memcpy(out->v.addr, a, n);
    return 1;
}

static size_t put_bytes(pa_dvalue *out, size_t max, pa_ftype t, const uint8_t *b, size_t n) {
    if (!max) return 0;
    out->type = t;
    out->v.bytes.p = b;
    out->v.bytes.n = n;
    return 1;
}

static bool dns_port(uint16_t port) { return port == 53 || port == 5353 || port == 5355; }

/* Where the frame's DNS messages are: a UDP payload on a DNS port, the
 * first message of a TCP segment on port 53 (after its length prefix), or
 * the UDP payload an ICMP error quotes. */
static void find_dns(pa_dframe *f) {
    const pa_packet *p = f->p;
    f->dns_parsed = true;
    f->ndns = 0;
    if (!p->is_fragment && p->payload && p->payload_len >= 12 && p->l4 == PA_P_UDP &&
        (dns_port(p->sport) || dns_port(p->dport)))
        f->dns[f->ndns++] = (struct pa_dframe_dns){p->payload, p->payload_len, p->sport == 53 || p->dport == 53};
    else if (!p->is_fragment && p->payload && p->payload_len >= 14 && p->l4 == PA_P_TCP &&
             (p->sport == 53 || p->dport == 53)) {
        size_t len = (size_t)(p->payload[0] << 8 | p->payload[1]);
        if (len >= 12 && len + 2 <= p->payload_len)
            f->dns[f->ndns++] = (struct pa_dframe_dns){p->payload + 2, len, true};
    }
    for (uint8_t i = 0; i < p->nxip && f->ndns < 2; i++) {
        const struct pa_ip_layer *x = &p->xip[i];
        if (x->quoted && x->l4 == PA_P_UDP && x->l4_payload_len >= 12 && (dns_port(x->sport) || dns_port(x->dport)))
            f->dns[f->ndns++] =
                (struct pa_dframe_dns){x->l4_payload, x->l4_payload_len, x->sport == 53 || x->dport == 53};
    }
}

/* A walk over a message's questions and records for one field (a message
 * cut short, as an ICMP quote, still gives what it holds). */
typedef struct rr_ctx {
    pa_dfield field;
    pa_dvalue *out;
    size_t max, n;
    pa_dframe *f; /* names are copied into f->rrname */
} rr_ctx;

static void on_rr(void *ud, int section, const char *owner, uint16_t type, const uint8_t *rd, uint16_t rdlen) {
    rr_ctx *r = ud;
    if (r->n >= r->max) return;
    pa_dvalue *v = &r->out[r->n];
    if (section > 0 && r->field == PA_DF_DNS_A && type == 1 && rdlen == 4) {
        v->type = PA_FT_IPV4;
        memset(v->v.addr, 0, sizeof v->v.addr);
        memcpy(v->v.addr, rd, 4);
        r->n++;
    } else if (section > 0 && r->field == PA_DF_DNS_AAAA && type == 28 && rdlen == 16) {
        v->type = PA_FT_IPV6;
        memcpy(v->v.addr, rd, 16);
        r->n++;
    } else if (section == 0 && r->field == PA_DF_DNS_QRY_TYPE) {
        v->type = PA_FT_UINT;
        v->v.u = type;
        r->n++;
    } else if (((section > 0 && r->field == PA_DF_DNS_RESP_NAME) || (section == 0 && r->field == PA_DF_DNS_QRY_NAME)) &&
               r->f->nnames < PA_DFRAME_NAMES) {
        char *slot = r->f->rrname[r->f->bank][r->f->nnames++];
        snprintf(slot, sizeof r->f->rrname[0][0], "%s", owner);
        v->type = PA_FT_STRING;
        v->v.bytes.p = (const uint8_t *)slot;
        v->v.bytes.n = strlen(slot);
        r->n++;
    }
}

static size_t dns_values(pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max) {
    if (!f->dns_parsed) find_dns(f);
    f->bank ^= 1;
    f->nnames = 0;
    size_t n = 0;
    for (uint8_t i = 0; i < f->ndns && n < max; i++) {
        const struct pa_dframe_dns *d = &f->dns[i];
        const uint8_t *h = d->msg;
        switch (field) {
        case PA_DF_DNS:
            if (d->port53) n += put_bool(out + n, max - n, true);
            break;
        case PA_DF_DNS_ID: n += put_u(out + n, max - n, (uint64_t)(h[0] << 8 | h[1])); break;
        case PA_DF_DNS_FLAGS_RESPONSE: n += put_bool(out + n, max - n, h[2] & 0x80); break;
        case PA_DF_DNS_FLAGS_RCODE: n += put_u(out + n, max - n, h[3] & 15); break;
        case PA_DF_DNS_COUNT_ANSWERS: n += put_u(out + n, max - n, (uint64_t)(h[6] << 8 | h[7])); break;
        case PA_DF_DNS_QRY_NAME:
        case PA_DF_DNS_QRY_TYPE:
        case PA_DF_DNS_A:
        case PA_DF_DNS_AAAA:
        case PA_DF_DNS_RESP_NAME: {
            rr_ctx r = {.field = field, .out = out + n, .max = max - n, .f = f};
            (void)pa_dns_records(d->msg, d->len, on_rr, &r);
            n += r.n;
            break;
        }
        case PA_DF_DNS_TIME:
            if (i == 0 && f->ctx->has_dns_time) n += put_d(out + n, max - n, (double)f->ctx->dns_time_ns / 1e9);
            break;
        default: break;
        }
    }
    return n;
}

static size_t put_str(pa_dvalue *out, size_t max, const char *s) {
    return put_bytes(out, max, PA_FT_STRING, (const uint8_t *)s, strlen(s));
}

/* HTTP messages the pass completed in this frame (Wireshark shows a message
 * on the frame that completes its reassembly; so do we). */
static size_t http_values(const pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_frame_ctx *c = f->ctx;
    size_t n = 0;
    for (uint8_t i = 0; i < c->nhttp && n < max; i++) {
        const pa_http_tx *t = &c->http[i];
        bool resp = c->http_response[i];
        switch (field) {
        case PA_DF_HTTP: n += put_bool(out + n, max - n, true); break;
        case PA_DF_HTTP_REQUEST:
            if (!resp) n += put_bool(out + n, max - n, true);
            break;
        case PA_DF_HTTP_RESPONSE:
            if (resp) n += put_bool(out + n, max - n, true);
            break;
        case PA_DF_HTTP_REQUEST_METHOD:
            if (!resp) n += put_str(out + n, max - n, t->method);
            break;
        case PA_DF_HTTP_REQUEST_URI:
            if (!resp && t->uri[0]) n += put_str(out + n, max - n, t->uri);
            break;
        case PA_DF_HTTP_HOST:
            if (!resp && t->host[0]) n += put_str(out + n, max - n, t->host);
            break;
        case PA_DF_HTTP_USER_AGENT:
            if (!resp && t->user_agent[0]) n += put_str(out + n, max - n, t->user_agent);
            break;
        case PA_DF_HTTP_RESPONSE_CODE:
            if (resp && t->status) n += put_u(out + n, max - n, t->status);
            break;
        case PA_DF_HTTP_TIME:
            if (resp && t->rt_ns >= 0) n += put_d(out + n, max - n, (double)t->rt_ns / 1e9);
            break;
        default: break;
        }
    }
    return n;
}

/* The frame's first FTP line, as Wireshark's FTP dissector shows it (it
 * dissects each segment alone). */
static size_t ftp_values(const pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_ftp_frame *t = f->ctx->ftp;
    if (!t) return 0;
    switch (field) {
    case PA_DF_FTP: return put_bool(out, max, true);
    case PA_DF_FTP_REQUEST: return put_bool(out, max, t->request);
    case PA_DF_FTP_RESPONSE: return put_bool(out, max, !t->request);
    case PA_DF_FTP_REQUEST_COMMAND: return t->request && t->has_command ? put_str(out, max, t->command) : 0;
    case PA_DF_FTP_REQUEST_ARG: return t->request && t->has_arg ? put_str(out, max, t->arg) : 0;
    case PA_DF_FTP_RESPONSE_CODE: return !t->request && t->has_code ? put_u(out, max, t->code) : 0;
    case PA_DF_FTP_RESPONSE_ARG: return !t->request && t->has_arg ? put_str(out, max, t->arg) : 0;
    default: return 0;
    }
}

static size_t tls_values(const pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max) {
    const pa_frame_tls *t = f->ctx->tls;
    if (!t) return 0;
    size_t n = 0;
    switch (field) {
    case PA_DF_TLS: return put_bool(out, max, true);
    case PA_DF_TLS_RECORD_VERSION:
        for (uint8_t i = 0; i < t->nrec && n < max; i++) n += put_u(out + n, max - n, t->rec_version[i]);
        return n;
    case PA_DF_TLS_HANDSHAKE_TYPE:
        for (uint8_t i = 0; i < t->nhs && n < max; i++) n += put_u(out + n, max - n, t->hs_type[i]);
        return n;
    case PA_DF_TLS_HANDSHAKE_VERSION:
        for (uint8_t i = 0; i < t->nhv && n < max; i++) n += put_u(out + n, max - n, t->hello_version[i]);
        return n;
    case PA_DF_TLS_HANDSHAKE_EXTENSIONS_SERVER_NAME: return t->has_sni ? put_str(out, max, t->sni) : 0;
    case PA_DF_TLS_HANDSHAKE_CIPHERSUITE:
        for (uint16_t i = 0; i < t->ncs && n < max; i++) n += put_u(out + n, max - n, t->cs[i]);
        return n;
    case PA_DF_TLS_ALERT_MESSAGE: return t->nalert ? put_bool(out, max, true) : 0;
    case PA_DF_TLS_ALERT_MESSAGE_LEVEL:
        for (uint8_t i = 0; i < t->nalert && n < max; i++)
            if (t->alert[i] < 0x10000) n += put_u(out + n, max - n, t->alert[i] >> 8);
        return n;
    case PA_DF_TLS_ALERT_MESSAGE_DESC:
        for (uint8_t i = 0; i < t->nalert && n < max; i++)
            if (t->alert[i] < 0x10000) n += put_u(out + n, max - n, t->alert[i] & 0xff);
        return n;
    default: return 0;
    }
}

static bool has_layer(const pa_packet *p, pa_proto proto) {
    for (uint8_t i = 0; i < p->nlayers; i++)
        if (p->layers[i] == proto) return true;
    return false;
}

/* Wireshark's frame.protocols: "eth:ethertype:ip:tcp", our layers with
 * Wireshark's names (an EtherType dispatch shows as "ethertype"). */
static const char *protocols(pa_dframe *f) {
    if (f->protocols_built) return f->protocols;
    size_t o = 0;
    const pa_packet *p = f->p;
    for (uint8_t i = 0; i < p->nlayers && o + 16 < sizeof f->protocols; i++) {
        const char *name = pa_proto_name((pa_proto)p->layers[i]);
        o += (size_t)snprintf(f->protocols + o, sizeof f->protocols - o, "%s%s", o ? ":" : "", name);
        if ((p->layers[i] == PA_P_ETH || p->layers[i] == PA_P_VLAN) && i + 1 < p->nlayers)
            o += (size_t)snprintf(f->protocols + o, sizeof f->protocols - o, ":ethertype");
    }
    f->protocols_built = true;
    return f->protocols;
}

/* the transport header was decoded (payload points just past it) */
static bool is_tcp(const pa_packet *p) { return p->l4 == PA_P_TCP && !p->is_fragment && p->payload; }
static bool is_udp(const pa_packet *p) { return p->l4 == PA_P_UDP && !p->is_fragment && p->payload; }

/* Every IP header of the frame: the innermost (the packet's), the outer
 * headers of tunnels and the one an ICMP error quotes. */
static size_t ip_layers(const pa_dframe *f, struct pa_ip_layer *v) {
    const pa_packet *p = f->p;
    size_t n = 0;
    if (p->ip_ver) pa_packet_ip_layer(p, &v[n++]);
    for (uint8_t i = 0; i < p->nxip; i++) v[n++] = p->xip[i];
    return n;
}

static size_t ip_values(const pa_dframe *f, pa_dfield field, pa_dvalue *out, size_t max) {
    struct pa_ip_layer v[PA_MAX_ENCAP_DEPTH + 2];
    size_t nl = ip_layers(f, v), n = 0;
    if (field == PA_DF_IP) return has_layer(f->p, PA_P_IPV4) ? put_bool(out, max, true) : 0;
    if (field == PA_DF_IPV6) return has_layer(f->p, PA_P_IPV6) ? put_bool(out, max, true) : 0;
    bool six = field >= PA_DF_IPV6;
    for (size_t i = 0; i < nl && n < max; i++) {
        const struct pa_ip_layer *x = &v[i];
        if (x->ver != (six ? 6 : 4)) continue;
        pa_ftype at = six ? PA_FT_IPV6 : PA_FT_IPV4;
        size_t alen = six ? 16 : 4;
        switch (field) {
        case PA_DF_IP_SRC:
        case PA_DF_IPV6_SRC: n += put_addr(out + n, max - n, at, x->src.b, alen); break;
        case PA_DF_IP_DST:
        case PA_DF_IPV6_DST: n += put_addr(out + n, max - n, at, x->dst.b, alen); break;
        case PA_DF_IP_ADDR:
        case PA_DF_IPV6_ADDR:
            n += put_addr(out + n, max - n, at, x->src.b, alen);
            n += put_addr(out + n, max - n, at, x->dst.b, alen);
            break;
        case PA_DF_IP_PROTO:
        case PA_DF_IPV6_NXT: n += put_u(out + n, max - n, x->proto); break;
        case PA_DF_IP_TTL:
        case PA_DF_IPV6_HLIM: n += put_u(out + n, max - n, x->ttl); break;
        case PA_DF_IP_LEN:
        case PA_DF_IPV6_PLEN: n += put_u(out + n, max - n, x->len); break;
        case PA_DF_IP_ID: n += put_u(out + n, max - n, x->id); break;
        case PA_DF_IP_FLAGS_DF: n += put_bool(out + n, max - n, x->df); break;
        case PA_DF_IP_FLAGS_MF: n += put_bool(out + n, max - n, x->mf); break;
        case PA_DF_IP_FRAG_OFFSET: n += put_u(out + n, max - n, x->frag_offset); break;
        case PA_DF_IP_DSFIELD_ECN: n += put_u(out + n, max - n, x->tos & 3); break;
        case PA_DF_IP_DSFIELD_DSCP: n += put_u(out + n, max - n, x->tos >> 2); break;
        default: return 0;
        }
    }
    return n;
}

/* Ports and lengths of UDP or TCP headers in any IP layer. */
static size_t l4_values(const pa_dframe *f, pa_proto l4, int what, pa_dvalue *out, size_t max) {
    struct pa_ip_layer v[PA_MAX_ENCAP_DEPTH + 2];
    size_t nl = ip_layers(f, v), n = 0;
    for (size_t i = 0; i < nl && n < max; i++) {
        if (v[i].l4 != l4) continue;
        if (what == 0 || what == 2) n += put_u(out + n, max - n, v[i].sport);
        if (what == 1 || what == 2) n += put_u(out + n, max - n, v[i].dport);
        if (what == 3 && v[i].udp_len) n += put_u(out + n, max - n, v[i].udp_len);
        if (what == 4) n += put_bool(out + n, max - n, true);
    }
    return n;
}

size_t pa_dframe_get(void *ud, pa_dfield field, pa_dvalue *out, size_t max) {
    pa_dframe *f = ud;
    const pa_packet *p = f->p;
    const pa_frame_ctx *c = f->ctx;

    bool eth = p->has_eth;
    switch (field) {
    case PA_DF_FRAME: return put_bytes(out, max, PA_FT_BYTES, f->data, p->caplen);
    case PA_DF_FRAME_NUMBER: return put_u(out, max, p->frame_no);
    case PA_DF_FRAME_TIME_RELATIVE: return put_d(out, max, (double)(p->ts_ns - c->first_ts) / 1e9);
    case PA_DF_FRAME_TIME_EPOCH: return put_d(out, max, (double)p->ts_ns / 1e9);
    case PA_DF_FRAME_LEN: return put_u(out, max, p->wirelen);
    case PA_DF_FRAME_CAP_LEN: return put_u(out, max, p->caplen);
    case PA_DF_FRAME_PROTOCOLS: {
        const char *s = protocols(f);
        return put_bytes(out, max, PA_FT_STRING, (const uint8_t *)s, strlen(s));
    }
    case PA_DF_ETH: return eth ? put_bytes(out, max, PA_FT_BYTES, f->data, p->caplen) : 0;
    case PA_DF_ETH_SRC:
    case PA_DF_ETH_DST:
    case PA_DF_ETH_ADDR: {
        if (!eth) return 0;
        size_t n = 0;
        for (int k = -1; k < p->neth_inner && n + 2 <= max; k++) {
            const uint8_t *dst = k < 0 ? p->eth_dst : p->eth_inner[k], *src = k < 0 ? p->eth_src : p->eth_inner[k] + 6;
            if (field != PA_DF_ETH_DST) n += put_addr(out + n, max - n, PA_FT_ETHER, src, 6);
            if (field != PA_DF_ETH_SRC) n += put_addr(out + n, max - n, PA_FT_ETHER, dst, 6);
        }
        return n;
    }
    case PA_DF_ETH_TYPE: {
        if (!eth) return 0;
        size_t n = 0;
        if (p->linktype == 1 && p->caplen >= 14) n += put_u(out, max, (uint64_t)(f->data[12] << 8 | f->data[13]));
        for (uint8_t k = 0; k < p->neth_inner && n < max; k++)
            if (p->eth_inner_type[k] >= 0x0600) n += put_u(out + n, max - n, p->eth_inner_type[k]);
        return n;
    }
    case PA_DF_VLAN: return p->nvlan ? put_bool(out, max, true) : 0;
    case PA_DF_VLAN_ID: {
        size_t n = 0;
        for (uint8_t i = 0; i < p->nvlan && n < max; i++) n += put_u(out + n, max - n, p->vlan[i]);
        return n;
    }
    case PA_DF_ARP: return p->has_arp ? put_bool(out, max, true) : 0;
    case PA_DF_ARP_OPCODE: return p->has_arp ? put_u(out, max, p->arp.op) : 0;
    case PA_DF_ARP_SRC_PROTO_IPV4: return p->has_arp ? put_addr(out, max, PA_FT_IPV4, p->arp.spa, 4) : 0;
    case PA_DF_ARP_DST_PROTO_IPV4: return p->has_arp ? put_addr(out, max, PA_FT_IPV4, p->arp.tpa, 4) : 0;
    case PA_DF_ARP_SRC_HW_MAC: return p->has_arp ? put_addr(out, max, PA_FT_ETHER, p->arp.sha, 6) : 0;
    case PA_DF_ARP_DST_HW_MAC: return p->has_arp ? put_addr(out, max, PA_FT_ETHER, p->arp.tha, 6) : 0;
    default: break;
    }
    if (field >= PA_DF_IP && field <= PA_DF_IPV6_PLEN) return ip_values(f, field, out, max);
    switch (field) {
    default: break;
    }
    if (field == PA_DF_TCP_SRCPORT) return l4_values(f, PA_P_TCP, 0, out, max);
    if (field == PA_DF_TCP_DSTPORT) return l4_values(f, PA_P_TCP, 1, out, max);
    if (field == PA_DF_TCP_PORT) return l4_values(f, PA_P_TCP, 2, out, max);
    if (field == PA_DF_TCP && !is_tcp(p)) return l4_values(f, PA_P_TCP, 4, out, max);
    if (field >= PA_DF_TCP && field <= PA_DF_TCP_ANALYSIS_ACK_RTT) {
        if (!is_tcp(p)) return 0;
        const pa_tcp_info *t = &p->tcp;
        uint32_t ta = c->tcp_analysed ? c->ta_flags : 0;
        switch (field) {
        case PA_DF_TCP: return put_bytes(out, max, PA_FT_BYTES, p->payload - t->hdr_len, t->hdr_len + p->payload_len);
        case PA_DF_TCP_STREAM: return c->has_stream ? put_u(out, max, c->stream) : 0;
        case PA_DF_TCP_LEN: return put_u(out, max, p->payload_wire_len);
        case PA_DF_TCP_SEQ:
            return c->seq_base_known ? put_u(out, max, (uint32_t)(t->seq - c->seq_base)) : put_u(out, max, t->seq);
        case PA_DF_TCP_SEQ_RAW: return put_u(out, max, t->seq);
        case PA_DF_TCP_ACK:
            /* without the ACK flag Wireshark shows a nonzero field as it is */
            if (!(t->flags & PA_TCP_ACK)) return t->ack ? put_u(out, max, t->ack) : 0;
            return c->ack_base_known ? put_u(out, max, (uint32_t)(t->ack - c->ack_base)) : put_u(out, max, t->ack);
        case PA_DF_TCP_ACK_RAW: return put_u(out, max, t->ack);
        case PA_DF_TCP_HDR_LEN: return put_u(out, max, t->hdr_len);
        case PA_DF_TCP_FLAGS: return put_u(out, max, t->flags);
        case PA_DF_TCP_FLAGS_FIN: return put_bool(out, max, t->flags & PA_TCP_FIN);
        case PA_DF_TCP_FLAGS_SYN: return put_bool(out, max, t->flags & PA_TCP_SYN);
        case PA_DF_TCP_FLAGS_RESET: return put_bool(out, max, t->flags & PA_TCP_RST);
        case PA_DF_TCP_FLAGS_PUSH: return put_bool(out, max, t->flags & PA_TCP_PSH);
        case PA_DF_TCP_FLAGS_ACK: return put_bool(out, max, t->flags & PA_TCP_ACK);
        case PA_DF_TCP_FLAGS_URG: return put_bool(out, max, t->flags & PA_TCP_URG);
        case PA_DF_TCP_FLAGS_ECE: return put_bool(out, max, t->flags & PA_TCP_ECE);
        case PA_DF_TCP_FLAGS_CWR: return put_bool(out, max, t->flags & PA_TCP_CWR);
        case PA_DF_TCP_WINDOW_SIZE_VALUE: return put_u(out, max, t->window);
        case PA_DF_TCP_WINDOW_SIZE:
            /* SYNs are never scaled; an unknown scale leaves the value as sent (Wireshark) */
            if ((t->flags & PA_TCP_SYN) || c->wscale < 0) return put_u(out, max, t->window);
            return put_u(out, max, (uint64_t)t->window << c->wscale);
        case PA_DF_TCP_OPTIONS_MSS_VAL: return t->has_mss ? put_u(out, max, t->mss) : 0;
        case PA_DF_TCP_OPTIONS_WSCALE_SHIFT: return t->has_ws ? put_u(out, max, t->ws_shift) : 0;
        case PA_DF_TCP_OPTIONS_SACK_PERM: return t->sack_perm ? put_bool(out, max, true) : 0;
        case PA_DF_TCP_OPTIONS_TIMESTAMP_TSVAL: return t->has_ts ? put_u(out, max, t->tsval) : 0;
        case PA_DF_TCP_PAYLOAD:
            return p->payload_len ? put_bytes(out, max, PA_FT_BYTES, p->payload, p->payload_len) : 0;
        case PA_DF_TCP_ANALYSIS_FLAGS: return ta ? put_bool(out, max, true) : 0;
        case PA_DF_TCP_ANALYSIS_RETRANSMISSION:
            return (ta & (PA_TA_RETRANSMISSION | PA_TA_FAST_RETRANSMISSION | PA_TA_SPURIOUS_RETRANSMISSION))
                       ? put_bool(out, max, true)
                       : 0;
        case PA_DF_TCP_ANALYSIS_FAST_RETRANSMISSION:
            return (ta & PA_TA_FAST_RETRANSMISSION) ? put_bool(out, max, true) : 0;
        case PA_DF_TCP_ANALYSIS_SPURIOUS_RETRANSMISSION:
            return (ta & PA_TA_SPURIOUS_RETRANSMISSION) ? put_bool(out, max, true) : 0;
        case PA_DF_TCP_ANALYSIS_OUT_OF_ORDER: return (ta & PA_TA_OUT_OF_ORDER) ? put_bool(out, max, true) : 0;
        case PA_DF_TCP_ANALYSIS_LOST_SEGMENT: return (ta & PA_TA_LOST_SEGMENT) ? put_bool(out, max, true) : 0;
        case PA_DF_TCP_ANALYSIS_ACK_LOST_SEGMENT: return (ta & PA_TA_ACK_LOST_SEGMENT) ? put_bool(out, max, true) : 0;
        case PA_DF_TCP_ANALYSIS_DUPLICATE_ACK: return (ta & PA_TA_DUPLICATE_ACK) ? put_bool(out, max, true) : 0;
        case PA_DF_TCP_ANALYSIS_DUPLICATE_ACK_NUM: return (ta & PA_TA_DUPLICATE_ACK) ? put_u(out, max, c->dup_num) : 0;
        case PA_DF_TCP_ANALYSIS_ZERO_WINDOW: return (ta & PA_TA_ZERO_WINDOW) ? put_bool(out, max, true) : 0;
        case PA_DF_TCP_ANALYSIS_ZERO_WINDOW_PROBE: return (ta & PA_TA_ZERO_WINDOW_PROBE) ? put_bool(out, max, true) : 0;
        case PA_DF_TCP_ANALYSIS_ZERO_WINDOW_PROBE_ACK:
            return (ta & PA_TA_ZERO_WINDOW_PROBE_ACK) ? put_bool(out, max, true) : 0;
        case PA_DF_TCP_ANALYSIS_WINDOW_FULL: return (ta & PA_TA_WINDOW_FULL) ? put_bool(out, max, true) : 0;
        case PA_DF_TCP_ANALYSIS_WINDOW_UPDATE: return (ta & PA_TA_WINDOW_UPDATE) ? put_bool(out, max, true) : 0;
        case PA_DF_TCP_ANALYSIS_KEEP_ALIVE: return (ta & PA_TA_KEEP_ALIVE) ? put_bool(out, max, true) : 0;
        case PA_DF_TCP_ANALYSIS_KEEP_ALIVE_ACK: return (ta & PA_TA_KEEP_ALIVE_ACK) ? put_bool(out, max, true) : 0;
        case PA_DF_TCP_ANALYSIS_REUSED_PORTS: return (ta & PA_TA_REUSED_PORTS) ? put_bool(out, max, true) : 0;
        case PA_DF_TCP_ANALYSIS_ACK_RTT: return c->has_rtt ? put_d(out, max, (double)c->rtt_ns / 1e9) : 0;
        default: return 0;
        }
    }
    switch (field) {
    case PA_DF_UDP:
        if (is_udp(p)) return put_bytes(out, max, PA_FT_BYTES, p->payload - 8, 8 + p->payload_len);
        return l4_values(f, PA_P_UDP, 4, out, max);
    case PA_DF_UDP_SRCPORT: return l4_values(f, PA_P_UDP, 0, out, max);
    case PA_DF_UDP_DSTPORT: return l4_values(f, PA_P_UDP, 1, out, max);
    case PA_DF_UDP_PORT: return l4_values(f, PA_P_UDP, 2, out, max);
    case PA_DF_UDP_STREAM: {
        size_t n = is_udp(p) && c->has_stream ? put_u(out, max, c->stream) : 0;
        for (uint8_t i = 0; i < p->nxip && n < max; i++)
            if (p->xip[i].l4 == PA_P_UDP && c->xip_udp_stream[i] >= 0)
                n += put_u(out + n, max - n, (uint64_t)c->xip_udp_stream[i]);
        return n;
    }
    case PA_DF_UDP_LENGTH: return l4_values(f, PA_P_UDP, 3, out, max);
    case PA_DF_UDP_PAYLOAD: {
        size_t n = is_udp(p) && p->payload_len ? put_bytes(out, max, PA_FT_BYTES, p->payload, p->payload_len) : 0;
        for (uint8_t i = 0; i < p->nxip && n < max; i++)
            if (p->xip[i].l4 == PA_P_UDP && p->xip[i].l4_payload_len)
                n += put_bytes(out + n, max - n, PA_FT_BYTES, p->xip[i].l4_payload, p->xip[i].l4_payload_len);
        return n;
    }
    case PA_DF_ICMP: return p->l4 == PA_P_ICMP ? put_bool(out, max, true) : 0;
    case PA_DF_ICMP_TYPE: return p->l4 == PA_P_ICMP ? put_u(out, max, p->icmp_type) : 0;
    case PA_DF_ICMP_CODE: return p->l4 == PA_P_ICMP ? put_u(out, max, p->icmp_code) : 0;
    case PA_DF_ICMPV6: return p->l4 == PA_P_ICMPV6 ? put_bool(out, max, true) : 0;
    case PA_DF_ICMPV6_TYPE: return p->l4 == PA_P_ICMPV6 ? put_u(out, max, p->icmp_type) : 0;
    case PA_DF_ICMPV6_CODE: return p->l4 == PA_P_ICMPV6 ? put_u(out, max, p->icmp_code) : 0;
    default: break;
    }
    if (field >= PA_DF_DNS && field <= PA_DF_DNS_COUNT_ANSWERS) return dns_values(f, field, out, max);
    if (field >= PA_DF_HTTP && field <= PA_DF_HTTP_TIME) return http_values(f, field, out, max);
    if (field >= PA_DF_TLS && field <= PA_DF_TLS_ALERT_MESSAGE_DESC) return tls_values(f, field, out, max);
    if (field >= PA_DF_FTP && field <= PA_DF_FTP_RESPONSE_ARG) return ftp_values(f, field, out, max);
    return 0;
}
