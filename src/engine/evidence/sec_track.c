/* Security evidence (see sec_track.h). Each hook costs a few branches on
 * ordinary packets; tables are touched only by SYNs, RSTs that open a
 * flow, flow starts, ICMP echoes, ARP and the first client segments of
 * cleartext-login protocols. */
#include "sec_track.h"

#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int pa_sec_init(pa_sec_stats *s) {
    memset(s, 0, sizeof *s);
    s->distinct.limit = PA_SEC_DISTINCT_BUDGET;
    return pa_names_init(&s->names) ||
           pa_htab_init(&s->pairs, sizeof(pa_sec_pair), offsetof(pa_sec_pair, probes), PA_SEC_MAX_PAIRS) ||
           pa_htab_init(&s->sweeps, sizeof(pa_sec_sweep), offsetof(pa_sec_sweep, probes), PA_SEC_MAX_SWEEPS) ||
           pa_htab_init(&s->rsts, sizeof(pa_sec_rst), offsetof(pa_sec_rst, rsts), PA_SEC_MAX_RST) ||
           pa_htab_init(&s->floods, sizeof(pa_sec_flood), offsetof(pa_sec_flood, syns), PA_SEC_MAX_FLOOD) ||
           pa_htab_init(&s->icmp, sizeof(pa_sec_icmp), offsetof(pa_sec_icmp, requests), PA_SEC_MAX_ICMP) ||
           pa_htab_init(&s->arp, sizeof(pa_sec_arp), offsetof(pa_sec_arp, nmacs), PA_SEC_MAX_ARP) ||
           pa_htab_init(&s->beacons, sizeof(pa_sec_beacon), offsetof(pa_sec_beacon, n), PA_SEC_MAX_BEACONS);
}

void pa_sec_free(pa_sec_stats *s) {
    for (size_t r = 0; r < s->pairs.count; r++) {
        pa_sec_pair *p = pa_htab_rec(&s->pairs, r);
        free(p->portmap);
        pa_distinct_free(&p->ports, &s->distinct);
    }
    for (size_t r = 0; r < s->sweeps.count; r++)
        pa_distinct_free(&((pa_sec_sweep *)pa_htab_rec(&s->sweeps, r))->hosts, &s->distinct);
    for (size_t r = 0; r < s->rsts.count; r++)
        pa_distinct_free(&((pa_sec_rst *)pa_htab_rec(&s->rsts, r))->targets, &s->distinct);
    for (size_t r = 0; r < s->floods.count; r++)
        pa_distinct_free(&((pa_sec_flood *)pa_htab_rec(&s->floods, r))->sources, &s->distinct);
    pa_htab_free(&s->pairs);
    pa_htab_free(&s->sweeps);
    pa_htab_free(&s->rsts);
    pa_htab_free(&s->floods);
    pa_htab_free(&s->icmp);
    pa_htab_free(&s->arp);
    pa_htab_free(&s->beacons);
    pa_names_free(&s->names);
}

size_t pa_sec_memory(const pa_sec_stats *s) {
    const pa_htab *t[] = {&s->pairs, &s->sweeps, &s->rsts, &s->floods, &s->icmp, &s->arp, &s->beacons};
    size_t n = 0;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) n += pa_htab_memory(t[i]);
    return n + s->nportmaps * 8192 + s->distinct.used + pa_names_memory(&s->names);
}

/* ---- distinct ports of a pair ------------------------------------------ */

pa_distinct_count pa_sec_pair_ports(const pa_sec_pair *r) {
    if (r->portmap) return (pa_distinct_count){r->exact_ports, true, false};
    return pa_distinct_get(&r->ports);
}

static void map_port(pa_sec_pair *r, uint16_t port) {
    if (!(r->portmap[port >> 3] & (1u << (port & 7)))) {
        r->portmap[port >> 3] |= (uint8_t)(1u << (port & 7));
        r->exact_ports++;
    }
}

/* The exact map starts when a pair looks busy (most pairs never do); the
 * ports of the first probes are kept to replay into it. */
static void pair_port(pa_sec_stats *s, pa_sec_pair *r, uint16_t port) {
    if (r->portmap) {
        map_port(r, port);
        return;
    }
    pa_distinct_add(&r->ports, &s->distinct, port);
    if (r->nearly < PA_SEC_EXACT_AFTER) {
        r->early[r->nearly++] = port;
        return;
    }
    /* the early ports and the counter's values are the same, as the
     * counter is still exact: the map takes over and the counter's memory
     * goes back to the budget */
    if (r->nearly == PA_SEC_EXACT_AFTER && r->probes == PA_SEC_EXACT_AFTER + 1u && s->nportmaps < PA_SEC_MAX_PORTMAPS) {
        r->portmap = calloc(1, 8192);
        if (r->portmap) {
            s->nportmaps++;
            for (size_t i = 0; i < r->nearly; i++) map_port(r, r->early[i]);
            map_port(r, port);
            pa_distinct_free(&r->ports, &s->distinct);
        }
    }
}

static uint64_t addr_key(const pa_addr *a, uint16_t port) { return pa_distinct_key(a->family, a->b, port); }

static void *upsert(pa_sec_stats *s, pa_htab *t, const void *key) {
    bool created;
    void *r = pa_htab_upsert(t, key, &created);
    if (!r) s->overflow++;
    return r;
}

/* ---- TCP -------------------------------------------------------------- */

static pa_sec_pair *pair_rec(pa_sec_stats *s, const pa_addr *src, const pa_addr *dst, bool create) {
    pa_sec_pair k;
    memset(&k, 0, sizeof k);
    k.ver = src->family;
    memcpy(k.src, src->b, 16);
    memcpy(k.dst, dst->b, 16);
    return create ? upsert(s, &s->pairs, &k) : pa_htab_find(&s->pairs, &k);
}

static pa_sec_sweep *sweep_rec(pa_sec_stats *s, const pa_addr *src, uint16_t port, bool create) {
    pa_sec_sweep k;
    memset(&k, 0, sizeof k);
    k.ver = src->family;
    k.port = port;
    memcpy(k.src, src->b, 16);
    return create ? upsert(s, &s->sweeps, &k) : pa_htab_find(&s->sweeps, &k);
}

static pa_sec_flood *flood_rec(pa_sec_stats *s, const pa_addr *dst, uint16_t port, bool create) {
    pa_sec_flood k;
    memset(&k, 0, sizeof k);
    k.ver = dst->family;
    k.port = port;
    memcpy(k.dst, dst->b, 16);
    return create ? upsert(s, &s->floods, &k) : pa_htab_find(&s->floods, &k);
}

static void beacon_start(pa_sec_stats *s, const pa_packet *p) {
    pa_sec_beacon k;
    memset(&k, 0, sizeof k);
    k.ver = p->src.family;
    k.ipproto = p->ip_proto;
    k.port = p->dport;
    memcpy(k.src, p->src.b, 16);
    memcpy(k.dst, p->dst.b, 16);
    pa_sec_beacon *b = upsert(s, &s->beacons, &k);
    if (!b) return;
    if (b->n == 0) {
        b->first_ts = p->ts_ns;
        b->first_frame = p->frame_no;
    } else {
        double iv = (double)(p->ts_ns - b->last_ts);
        uint32_t k2 = b->n; /* intervals so far, this one included */
        double d = iv - b->mean_ns;
        b->mean_ns += d / k2;
        b->m2 += d * (iv - b->mean_ns);
    }
    b->n++;
    b->last_ts = p->ts_ns;
    b->last_frame = p->frame_no;
}

/* A flow to a listed port; from_init: p was sent by the flow's initiator. */
static void port_hit(pa_sec_stats *s, const pa_packet *p, bool from_init) {
    uint16_t port = from_init ? p->dport : p->sport;
    int idx = -1;
#define X(proto, prt, name, why)                                                                                       \
    if (p->ip_proto == (proto) && port == (prt)) idx = PA_SEC_PORT_IDX_##prt;
    PA_SEC_PORTS(X)
#undef X
    if (idx < 0) return;
    pa_sec_port_hit *h = &s->ports[idx];
    if (!h->flows++) {
        h->first_frame = p->frame_no;
        h->client = from_init ? p->src : p->dst;
        h->server = from_init ? p->dst : p->src;
    }
}

static int probe_kind(uint16_t fl) {
    uint16_t f = fl & (PA_TCP_SYN | PA_TCP_ACK | PA_TCP_FIN | PA_TCP_RST | PA_TCP_PSH | PA_TCP_URG);
    if (f == PA_TCP_SYN) return PA_SEC_PROBE_SYN;
    if (f == 0) return PA_SEC_PROBE_NULL;
    if (f == PA_TCP_FIN) return PA_SEC_PROBE_FIN;
    if (f == (PA_TCP_FIN | PA_TCP_PSH | PA_TCP_URG)) return PA_SEC_PROBE_XMAS;
    return 0;
}

static void credentials(pa_sec_stats *s, pa_sec_flow *sf, const pa_packet *p, bool from_client);

void pa_sec_tcp(pa_sec_stats *s, pa_sec_flow *sf, const pa_packet *p, bool from_init, bool created) {
    uint16_t fl = p->tcp.flags;
    if (created) {
        sf->cred = -1;
        int kind = p->payload_len ? 0 : probe_kind(fl);
        if (kind) {
            /* a probe: a flow opened by a SYN, or by a NULL, FIN or Xmas segment */
            sf->probe = 1;
            sf->kind = (uint8_t)kind;
            pa_sec_pair *pr = pair_rec(s, &p->src, &p->dst, true);
            if (pr) {
                if (!pr->probes) {
                    pr->first_frame = p->frame_no;
                    pr->first_ts = p->ts_ns;
                }
                pr->probes++;
                pr->by_kind[kind]++;
                pr->last_frame = p->frame_no;
                pr->last_ts = p->ts_ns;
                pair_port(s, pr, p->dport);
            }
            pa_sec_sweep *sw = sweep_rec(s, &p->src, p->dport, true);
            if (sw) {
                if (!sw->probes) {
                    sw->first_frame = p->frame_no;
                    sw->first_ts = p->ts_ns;
                }
                sw->probes++;
                sw->last_frame = p->frame_no;
                sw->last_ts = p->ts_ns;
                pa_distinct_add(&sw->hosts, &s->distinct, addr_key(&p->dst, 0));
            }
        }
        if ((fl & PA_TCP_RST) && !(fl & PA_TCP_SYN)) {
            pa_sec_rst k;
            memset(&k, 0, sizeof k);
            k.ver = p->src.family;
            memcpy(k.src, p->src.b, 16);
            pa_sec_rst *r = upsert(s, &s->rsts, &k);
            if (r) {
                if (!r->rsts++) {
                    r->first_frame = p->frame_no;
                    r->first_ts = p->ts_ns;
                }
                r->last_ts = p->ts_ns;
                pa_distinct_add(&r->targets, &s->distinct, addr_key(&p->dst, p->dport));
            }
        }
        if (kind == PA_SEC_PROBE_SYN) beacon_start(s, p);
    }
    /* a TCP service counts once it carries data: a scan's probe is not a session */
    if (p->payload_len && !sf->port_seen) {
        sf->port_seen = true;
        port_hit(s, p, from_init);
    }
    /* every SYN toward a service, retransmitted or not, counts for floods */
    if ((fl & (PA_TCP_SYN | PA_TCP_ACK | PA_TCP_RST)) == PA_TCP_SYN) {
        pa_sec_flood *f = flood_rec(s, &p->dst, p->dport, true);
        if (f) {
            if (!f->syns++) {
                f->first_frame = p->frame_no;
                f->first_ts = p->ts_ns;
            }
            f->last_ts = p->ts_ns;
            int64_t sec = p->ts_ns / 1000000000ll;
            if (sec != f->cur_sec) {
                f->cur_sec = sec;
                f->cur_n = 0;
            }
            if (++f->cur_n > f->peak) f->peak = f->cur_n;
            pa_distinct_add(&f->sources, &s->distinct, addr_key(&p->src, 0));
        }
    }
    if (!from_init && (fl & (PA_TCP_SYN | PA_TCP_ACK)) == (PA_TCP_SYN | PA_TCP_ACK)) {
        pa_sec_flood *f = flood_rec(s, &p->src, p->sport, false);
        if (f) f->synacks++;
    }
    if (sf->probe == 1 && !from_init && (fl & (PA_TCP_SYN | PA_TCP_RST))) {
        /* the target's first answer to a probe */
        bool synack = (fl & (PA_TCP_SYN | PA_TCP_ACK)) == (PA_TCP_SYN | PA_TCP_ACK);
        pa_sec_pair *pr = pair_rec(s, &p->dst, &p->src, false);
        pa_sec_sweep *sw = sweep_rec(s, &p->dst, p->sport, false);
        if (pr) {
            if (synack)
                pr->answered++;
            else
                pr->rejected++;
        }
        if (sw) {
            if (synack)
                sw->answered++;
            else
                sw->rejected++;
        }
        sf->probe = synack ? 2 : 3;
    } else if (sf->probe == 2 && from_init && (fl & (PA_TCP_ACK | PA_TCP_SYN | PA_TCP_RST)) == PA_TCP_ACK) {
        /* the scanner completed the handshake (connect scan, or a real client) */
        pa_sec_pair *pr = pair_rec(s, &p->src, &p->dst, false);
        if (pr) pr->completed++;
        pa_sec_flood *f = flood_rec(s, &p->dst, p->dport, false);
        if (f) f->completed++;
        sf->probe = 3;
        if (p->payload_len && pr) pr->with_data++;
    } else if (sf->probe == 3 && p->payload_len && sf->kind == PA_SEC_PROBE_SYN) {
        pa_sec_pair *pr = pair_rec(s, from_init ? &p->src : &p->dst, from_init ? &p->dst : &p->src, false);
        if (pr) pr->with_data++;
        sf->kind = 0; /* counted once */
    }
    if (p->payload_len && sf->client_segs < 64) credentials(s, sf, p, from_init);
}

/* SNMP v1 and v2c carry the community string in clear; v3 does not. The
 * message is SEQUENCE { INTEGER version, ... } (BER, short lengths). */
static bool snmp_community(const pa_packet *p) {
    const uint8_t *d = p->payload;
    if (p->payload_len < 5 || d[0] != 0x30) return false;
    size_t i = 2;
    if (d[1] & 0x80) i += d[1] & 0x7f; /* long-form length */
    return i + 2 < p->payload_len && d[i] == 0x02 && d[i + 1] == 0x01 && d[i + 2] <= 1;
}

void pa_sec_udp_start(pa_sec_stats *s, const pa_packet *p) {
    if (p->dport != 161 || snmp_community(p)) port_hit(s, p, true);
    /* periodic by design: name resolution, time, discovery, DHCP */
    static const uint16_t quiet[] = {53, 123, 137, 138, 1900, 5353, 5355, 67, 68, 546, 547, 161, 162, 514};
    for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++)
        if (p->dport == quiet[i] || p->sport == quiet[i]) return;
    beacon_start(s, p);
}

/* ---- ICMP and ARP ----------------------------------------------------- */

void pa_sec_icmp_pkt(pa_sec_stats *s, const pa_packet *p) {
    bool v4 = p->l4 == PA_P_ICMP;
    uint8_t req = v4 ? 8 : 128, rep = v4 ? 0 : 129;
    if (p->icmp_type != req && p->icmp_type != rep) return;
    bool is_req = p->icmp_type == req;
    pa_sec_icmp k;
    memset(&k, 0, sizeof k);
    k.ver = p->src.family;
    memcpy(k.src, is_req ? p->src.b : p->dst.b, 16);
    memcpy(k.dst, is_req ? p->dst.b : p->src.b, 16);
    if (!is_req) {
        pa_sec_icmp *r = pa_htab_find(&s->icmp, &k);
        if (r) r->replies++;
        return;
    }
    pa_sec_icmp *r = upsert(s, &s->icmp, &k);
    if (!r) return;
    if (!r->requests++) {
        r->first_frame = p->frame_no;
        r->first_ts = p->ts_ns;
    }
    r->last_ts = p->ts_ns;
    int64_t sec = p->ts_ns / 1000000000ll;
    if (sec != r->cur_sec) {
        r->cur_sec = sec;
        r->cur_n = 0;
    }
    if (++r->cur_n > r->peak) r->peak = r->cur_n;
    /* echo data after the identifier and sequence number, as the IP header claims it */
    uint32_t size = p->payload_wire_len >= 4 ? p->payload_wire_len - 4 : 0;
    for (int b = 0; b < PA_SEC_ICMP_BUCKETS; b++)
        if (size >= (64u << b)) r->size_hist[b]++;
    if (size > r->max_payload) {
        r->max_payload = size;
        r->largest_frame = p->frame_no;
    }
}

void pa_sec_arp_pkt(pa_sec_stats *s, const pa_packet *p) {
    const pa_arp_info *a = &p->arp;
    if (a->op != 1 && a->op != 2) return;
    static const uint8_t zero[4] = {0};
    if (!memcmp(a->spa, zero, 4)) return; /* an address probe claims nothing (RFC 5227) */
    pa_sec_arp k;
    memset(&k, 0, sizeof k);
    memcpy(k.ip, a->spa, 4);
    pa_sec_arp *r = upsert(s, &s->arp, &k);
    if (!r) return;
    int i = 0;
    while (i < r->nmacs && memcmp(r->macs[i], a->sha, 6)) i++;
    if (i == r->nmacs) {
        if (r->nmacs == 4)
            i = 3; /* beyond four MACs: counted with the fourth */
        else {
            memcpy(r->macs[r->nmacs], a->sha, 6);
            r->first_frame[r->nmacs] = p->frame_no;
            r->nmacs++;
        }
    }
    uint32_t total = 0;
    for (int j = 0; j < r->nmacs; j++) total += r->claims[j];
    if (total && r->claims[i] == 0) r->changes++;
    r->claims[i]++;
    if (!memcmp(a->spa, a->tpa, 4)) r->gratuitous[i]++;
}

/* ---- protocols on other ports ----------------------------------------- */

void pa_sec_port_mismatch(pa_sec_stats *s, const pa_packet *p, pa_proto app, pa_proto port_app, uint16_t port,
                          bool from_init) {
    size_t i = 0;
    while (i < s->nmismatch &&
           !(s->mismatch[i].app == app && s->mismatch[i].port_app == port_app && s->mismatch[i].port == port))
        i++;
    if (i == s->nmismatch) {
        if (s->nmismatch == PA_SEC_MAX_MISMATCH) {
            s->overflow++;
            return;
        }
        pa_sec_mismatch *m = &s->mismatch[s->nmismatch++];
        memset(m, 0, sizeof *m);
        m->app = (uint8_t)app;
        m->port_app = (uint8_t)port_app;
        m->port = port;
        m->client = from_init ? p->src : p->dst;
        m->server = from_init ? p->dst : p->src;
    }
    pa_sec_mismatch *m = &s->mismatch[i];
    if (m->flows < 5) m->frames[m->flows] = p->frame_no;
    m->flows++;
}

/* ---- cleartext credentials ------------------------------------------- */

pa_sec_cred *pa_sec_credential(pa_sec_stats *s, const char *proto, const char *method, const pa_addr *client,
                               const pa_addr *server, uint16_t port, uint64_t frame) {
    s->creds_total++;
    if (s->ncreds == PA_SEC_MAX_CREDS) return NULL;
    pa_sec_cred *c = &s->creds[s->ncreds++];
    memset(c, 0, sizeof *c);
    snprintf(c->proto, sizeof c->proto, "%s", proto);
    snprintf(c->method, sizeof c->method, "%s", method);
    c->client = *client;
    c->server = *server;
    c->port = port;
    c->frame = frame;
    return c;
}

static int b64val(int ch) {
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+') return 62;
    if (ch == '/') return 63;
    return -1;
}

/* Decodes base64 into out (NUL-terminated, printable bytes kept, others as '.'), returning bytes. */
static size_t b64_decode(const char *in, size_t n, char *out, size_t size, bool keep_nul) {
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < size; i++) {
        int v = b64val((unsigned char)in[i]);
        if (v < 0) break;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            char ch = (char)((acc >> bits) & 0xFF);
            out[o++] = (ch == 0 && keep_nul) ? 0 : (isprint((unsigned char)ch) ? ch : '.');
        }
    }
    out[o] = '\0';
    return o;
}

static void copy_field(char *dst, size_t size, const char *src, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < size; i++) dst[k++] = isprint((unsigned char)src[i]) ? src[i] : '.';
    dst[k] = '\0';
}

void pa_sec_basic(pa_sec_cred *c, const char *b64, size_t n, bool sasl_plain) {
    char buf[192];
    size_t len = b64_decode(b64, n, buf, sizeof buf, sasl_plain);
    if (sasl_plain) {
        /* authzid \0 authcid \0 password */
        const char *p1 = memchr(buf, 0, len);
        const char *p2 = p1 ? memchr(p1 + 1, 0, len - (size_t)(p1 + 1 - buf)) : NULL;
        if (!p1 || !p2) {
            copy_field(c->secret, sizeof c->secret, buf, len);
            return;
        }
        copy_field(c->user, sizeof c->user, p1 + 1, (size_t)(p2 - p1 - 1));
        copy_field(c->secret, sizeof c->secret, p2 + 1, len - (size_t)(p2 + 1 - buf));
        return;
    }
    const char *colon = memchr(buf, ':', len);
    if (!colon) {
        copy_field(c->user, sizeof c->user, buf, len);
        return;
    }
    copy_field(c->user, sizeof c->user, buf, (size_t)(colon - buf));
    copy_field(c->secret, sizeof c->secret, colon + 1, len - (size_t)(colon + 1 - buf));
}

enum { C_NONE, C_SMTP_PLAIN, C_SMTP_LOGIN_USER, C_SMTP_LOGIN_PASS, C_TELNET_USER, C_TELNET_PASS, C_IMAP_PLAIN };

static bool word(const char *l, size_t n, const char *w) {
    size_t k = strlen(w);
    return n >= k && strncasecmp(l, w, k) == 0 && (n == k || l[k] == ' ');
}

static pa_sec_cred *cur(pa_sec_stats *s, pa_sec_flow *sf) {
    return sf->cred >= 0 && (size_t)sf->cred < s->ncreds ? &s->creds[sf->cred] : NULL;
}

static pa_sec_cred *start(pa_sec_stats *s, pa_sec_flow *sf, const char *proto, const char *method, const pa_packet *p) {
    pa_sec_cred *c = pa_sec_credential(s, proto, method, &p->src, &p->dst, p->dport, p->frame_no);
    sf->cred = c ? (int16_t)(c - s->creds) : -1;
    return c;
}

/* One client command line (without its line end). */
static void client_line(pa_sec_stats *s, pa_sec_flow *sf, const pa_packet *p, uint16_t port, const char *l, size_t n) {
    pa_sec_cred *c;
    if (sf->cred_state == C_SMTP_PLAIN || sf->cred_state == C_IMAP_PLAIN) {
        if ((c = cur(s, sf))) pa_sec_basic(c, l, n, true);
        sf->cred_state = C_NONE;
        return;
    }
    if (sf->cred_state == C_SMTP_LOGIN_USER) {
        if ((c = cur(s, sf))) b64_decode(l, n, c->user, sizeof c->user, false);
        sf->cred_state = C_SMTP_LOGIN_PASS;
        return;
    }
    if (sf->cred_state == C_SMTP_LOGIN_PASS) {
        if ((c = cur(s, sf))) b64_decode(l, n, c->secret, sizeof c->secret, false);
        sf->cred_state = C_NONE;
        return;
    }
    const char *proto = port == 21 ? "FTP" : port == 110 ? "POP3" : port == 143 ? "IMAP" : "SMTP";
    if ((port == 21 || port == 110) && word(l, n, "USER") && n > 5) {
        if ((c = start(s, sf, proto, "USER/PASS", p))) copy_field(c->user, sizeof c->user, l + 5, n - 5);
    } else if ((port == 21 || port == 110) && word(l, n, "PASS") && n > 5) {
        c = cur(s, sf);
        if (!c || c->secret[0]) c = start(s, sf, proto, "USER/PASS", p);
        if (c) copy_field(c->secret, sizeof c->secret, l + 5, n - 5);
    } else if (port != 21 && word(l, n, "AUTH PLAIN")) {
        if ((c = start(s, sf, proto, "AUTH PLAIN", p))) {
            if (n > 11)
                pa_sec_basic(c, l + 11, n - 11, true);
            else
                sf->cred_state = C_SMTP_PLAIN;
        }
    } else if (port != 21 && word(l, n, "AUTH LOGIN")) {
        if ((c = start(s, sf, proto, "AUTH LOGIN", p))) {
            if (n > 11) {
                b64_decode(l + 11, n - 11, c->user, sizeof c->user, false);
                sf->cred_state = C_SMTP_LOGIN_PASS;
            } else {
                sf->cred_state = C_SMTP_LOGIN_USER;
            }
        }
    } else if (port == 143) {
        /* "tag LOGIN user password" or "tag AUTHENTICATE PLAIN [b64]" */
        const char *sp = memchr(l, ' ', n);
        if (!sp) return;
        const char *rest = sp + 1;
        size_t rn = n - (size_t)(rest - l);
        if (word(rest, rn, "LOGIN") && rn > 6) {
            const char *args = rest + 6;
            size_t an = rn - 6;
            const char *sp2 = memchr(args, ' ', an);
            if ((c = start(s, sf, "IMAP", "LOGIN", p))) {
                size_t un = sp2 ? (size_t)(sp2 - args) : an;
                copy_field(c->user, sizeof c->user, args, un);
                if (sp2) copy_field(c->secret, sizeof c->secret, sp2 + 1, an - un - 1);
            }
        } else if (word(rest, rn, "AUTHENTICATE PLAIN")) {
            if ((c = start(s, sf, "IMAP", "AUTHENTICATE PLAIN", p))) {
                if (rn > 19)
                    pa_sec_basic(c, rest + 19, rn - 19, true);
                else
                    sf->cred_state = C_IMAP_PLAIN;
            }
        }
    }
}

static bool prompt_at(const uint8_t *d, uint32_t n, uint32_t i, const char *w) {
    size_t k = strlen(w);
    if (i + k > n || strncasecmp((const char *)d + i, w, k) != 0) return false;
    for (size_t j = i + k; j < n; j++)
        if (d[j] != ' ' && d[j] != '\t') return false;
    return true;
}

/* Telnet: what the user types after the server's "login:" and "Password:"
 * prompts, byte by byte (option negotiation skipped). */
static void telnet(pa_sec_stats *s, pa_sec_flow *sf, const pa_packet *p, bool from_client) {
    const uint8_t *d = p->payload;
    uint32_t n = p->payload_len;
    if (!from_client) {
        /* a prompt ends what the server sent ("Last login: ..." is not one) */
        for (uint32_t i = 0; i < n; i++) {
            if (prompt_at(d, n, i, "login:") || prompt_at(d, n, i, "username:")) {
                pa_sec_cred *c = pa_sec_credential(s, "Telnet", "terminal", &p->dst, &p->src, p->sport, p->frame_no);
                sf->cred = c ? (int16_t)(c - s->creds) : -1;
                sf->cred_state = C_TELNET_USER;
                return;
            }
            if (prompt_at(d, n, i, "password:")) {
                sf->cred_state = C_TELNET_PASS;
                return;
            }
        }
        return;
    }
    if (sf->cred_state != C_TELNET_USER && sf->cred_state != C_TELNET_PASS) return;
    pa_sec_cred *c = cur(s, sf);
    if (!c) return;
    char *field = sf->cred_state == C_TELNET_USER ? c->user : c->secret;
    size_t len = strlen(field);
    for (uint32_t i = 0; i < n; i++) {
        if (d[i] == 0xFF) { /* IAC command: skip it and its option byte */
            i += 2;
            continue;
        }
        if (d[i] == '\r' || d[i] == '\n') {
            if (len) sf->cred_state = C_NONE;
            return;
        }
        if (isprint(d[i]) && len + 1 < 64) {
            field[len++] = (char)d[i];
            field[len] = '\0';
        }
    }
}

static void credentials(pa_sec_stats *s, pa_sec_flow *sf, const pa_packet *p, bool from_client) {
    uint16_t port = from_client ? p->dport : p->sport;
    if (port == 23) {
        sf->client_segs++;
        telnet(s, sf, p, from_client);
        return;
    }
    if (!from_client || !(port == 21 || port == 110 || port == 143 || port == 25 || port == 587)) return;
    sf->client_segs++;
    const char *d = (const char *)p->payload;
    size_t n = p->payload_len, i = 0;
    while (i < n) {
        const char *nl = memchr(d + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - d) : n;
        size_t len = end - i;
        if (len && d[i + len - 1] == '\r') len--;
        if (len) client_line(s, sf, p, port, d + i, len);
        i = end + 1;
    }
}
