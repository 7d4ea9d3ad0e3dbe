/* Values of the dns.* display-filter fields (dns_fields.def) in a frame:
 * read from the frame's bytes, as Wireshark's DNS dissector reads them,
 * but dns.time, which the tracker gave (pa_dns_frame). */
#include <stdio.h>
#include <string.h>

#include "dns_analyzer.h"

static bool dns_port(uint16_t port) { return port == 53 || port == 5353 || port == 5355; }

/* A DNS message of the frame. */
typedef struct dns_at {
    const uint8_t *msg;
    size_t len;
    bool port53; /* "dns" (mDNS and LLMNR have dns.* fields only) */
} dns_at;

/* Where the frame's DNS messages are (at most 2): a UDP payload on a DNS
 * port, the first message of a TCP segment on port 53 (after its length
 * prefix), or the UDP payload an ICMP error quotes. */
static size_t find_dns(const pa_packet *p, dns_at *at) {
    size_t n = 0;
    if (!p->is_fragment && p->payload && p->payload_len >= 12 && p->l4 == PA_P_UDP &&
        (dns_port(p->sport) || dns_port(p->dport)))
        at[n++] = (dns_at){p->payload, p->payload_len, p->sport == 53 || p->dport == 53};
    else if (!p->is_fragment && p->payload && p->payload_len >= 14 && p->l4 == PA_P_TCP &&
             (p->sport == 53 || p->dport == 53)) {
        size_t len = (size_t)(p->payload[0] << 8 | p->payload[1]);
        if (len >= 12 && len + 2 <= p->payload_len) at[n++] = (dns_at){p->payload + 2, len, true};
    }
    for (uint8_t i = 0; i < p->nxip && n < 2; i++) {
        const struct pa_ip_layer *x = &p->xip[i];
        if (x->quoted && x->l4 == PA_P_UDP && x->l4_payload_len >= 12 && (dns_port(x->sport) || dns_port(x->dport)))
            at[n++] = (dns_at){x->l4_payload, x->l4_payload_len, x->sport == 53 || x->dport == 53};
    }
    return n;
}

/* A walk over a message's questions and records for one field (a message
 * cut short, as an ICMP quote, still gives what it holds). */
typedef struct rr_ctx {
    pa_dfield field;
    pa_dvalue *out;
    size_t max, n;
    pa_field_frame *f; /* names are copied into its banks */
} rr_ctx;

/* An SRV record's owner is dns.srv.name, not dns.resp.name, to tshark 4.0. */
static void on_rr(void *ud, int section, const char *owner, uint16_t type, const uint8_t *rd, uint16_t rdlen) {
    rr_ctx *r = ud;
    if (r->n >= r->max) return;
    pa_dvalue *v = &r->out[r->n];
    if (section > 0 && r->field == PA_DF_DNS_A && type == 1 && rdlen == 4) {
        r->n += pa_put_addr(v, 1, PA_FT_IPV4, rd, 4);
    } else if (section > 0 && r->field == PA_DF_DNS_AAAA && type == 28 && rdlen == 16) {
        r->n += pa_put_addr(v, 1, PA_FT_IPV6, rd, 16);
    } else if (section == 0 && r->field == PA_DF_DNS_QRY_TYPE) {
        r->n += pa_put_u(v, 1, type);
    } else if (((section > 0 && r->field == PA_DF_DNS_RESP_NAME && type != 33) ||
                (section == 0 && r->field == PA_DF_DNS_QRY_NAME)) &&
               r->f->nnames < PA_FIELD_NAMES) {
        char *slot = r->f->names[r->f->bank][r->f->nnames++];
        snprintf(slot, sizeof r->f->names[0][0], "%s", owner);
        r->n += pa_put_str(v, 1, slot);
    }
}

size_t pa_dns_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max) {
    dns_at at[2];
    size_t nat = find_dns(f->p, at), n = 0;
    for (size_t i = 0; i < nat && n < max; i++) {
        const dns_at *d = &at[i];
        const uint8_t *h = d->msg;
        switch (field) {
        case PA_DF_DNS:
            if (d->port53) n += pa_put_bool(out + n, max - n, true);
            break;
        case PA_DF_DNS_ID: n += pa_put_u(out + n, max - n, (uint64_t)(h[0] << 8 | h[1])); break;
        case PA_DF_DNS_FLAGS_RESPONSE: n += pa_put_bool(out + n, max - n, h[2] & 0x80); break;
        case PA_DF_DNS_FLAGS_RCODE: n += pa_put_u(out + n, max - n, h[3] & 15); break;
        case PA_DF_DNS_COUNT_ANSWERS: n += pa_put_u(out + n, max - n, (uint64_t)(h[6] << 8 | h[7])); break;
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
        case PA_DF_DNS_TIME: {
            const pa_dns_frame *fr = f->app[PA_AN_dns];
            if (i == 0 && fr) n += pa_put_d(out + n, max - n, (double)fr->time_ns / 1e9);
            break;
        }
        default: break;
        }
    }
    return n;
}
