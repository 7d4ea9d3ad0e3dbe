/* DHCP and DHCPv6: the parsers on built and hostile messages (every
 * truncation, an option past the end, overload, relays nested past the
 * cap), the trackers (times, outcomes, a second server, a Request joining
 * its Solicit), the tool on a generated capture, and per frame against
 * tshark 4.0 on that capture and on every capture of ../shared/corpus and
 * ../shared/corpus-real that carries DHCP (message types, transaction ids,
 * yiaddr, lease time, DHCPv6 IA addresses). The tshark part is skipped
 * (exit 77 when nothing else failed) without tshark or the corpora.
 * Usage: test_dhcp [DIR] (where the generated capture is written; default
 * dhcp_gen in the working directory, ctest's build folder) */
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "check.h"
#include "detect.h"
#include "dhcp_track.h"
#include "dhcpv6_track.h"
#include "pktgen.h"
#include "tool_call.h"
#include "voip_corpus.h"

/* ---- building messages ------------------------------------------------ */

typedef struct msg {
    uint8_t b[1024];
    size_t n;
} msg;

static void put(msg *m, const void *d, size_t n) {
    if (m->n + n > sizeof m->b) return;
    memcpy(m->b + m->n, d, n);
    m->n += n;
}
static void put8(msg *m, uint8_t v) { put(m, &v, 1); }
static void put16(msg *m, uint16_t v) { put(m, (uint8_t[]){(uint8_t)(v >> 8), (uint8_t)v}, 2); }
static void put32(msg *m, uint32_t v) {
    put(m, (uint8_t[]){(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v}, 4);
}
static void opt(msg *m, uint8_t code, const void *v, uint8_t len) {
    put8(m, code);
    put8(m, len);
    put(m, v, len);
}

static const uint8_t MAC[6] = {0x02, 0, 0, 0, 0, 0x01};

/* A BOOTP header (op, xid, yiaddr, chaddr MAC), the cookie, then options
 * through opt(); sname/file may hold overloaded options. */
static void bootp(msg *m, uint8_t op, uint32_t xid, const uint8_t yi[4], const uint8_t *mac) {
    memset(m, 0, sizeof *m);
    put8(m, op);
    put8(m, 1);
    put8(m, 6);
    put8(m, 0);
    put32(m, xid);
    put16(m, 0);
    put16(m, 0x8000);
    put(m, (uint8_t[4]){0}, 4);
    put(m, yi ? yi : (const uint8_t[4]){0}, 4);
    put(m, (uint8_t[8]){0}, 8);
    put(m, mac ? mac : MAC, 6);
    put(m, (uint8_t[10]){0}, 10);
    put(m, (uint8_t[192]){0}, 192);
    put32(m, 0x63825363);
}

static void dhcp_type(msg *m, uint8_t t) { opt(m, 53, &t, 1); }

/* ---- the DHCP parser --------------------------------------------------- */

static void test_parse_v4(void) {
    msg m;
    pa_dhcp_msg d;
    bootp(&m, 2, 0x796a827d, (uint8_t[]){10, 10, 0, 4}, NULL);
    dhcp_type(&m, PA_DHCP_ACK);
    opt(&m, 54, (uint8_t[]){10, 10, 0, 2}, 4);
    opt(&m, 51, (uint8_t[]){0, 0, 0x70, 0x80}, 4);
    opt(&m, 1, (uint8_t[]){255, 255, 0, 0}, 4);
    opt(&m, 3, (uint8_t[]){10, 10, 0, 1, 10, 10, 0, 9}, 8);
    opt(&m, 6, (uint8_t[]){8, 8, 8, 8, 1, 1, 1, 1, 9, 9, 9, 9}, 12);
    opt(&m, 12, "host\x01name", 9);
    opt(&m, 61, (uint8_t[]){1, 2, 0, 0, 0, 0, 1}, 7);
    opt(&m, 55, (uint8_t[]){1, 3, 6, 15}, 4);
    opt(&m, 82, (uint8_t[]){1, 2, 'a', 'b'}, 4);
    put8(&m, 255);
    put(&m, (uint8_t[8]){0}, 8); /* padding after End */
    CHECK(pa_dhcp_parse(m.b, m.n, &d) == PA_DHCP_OK);
    CHECK(d.op == 2 && d.xid == 0x796a827d && d.type == PA_DHCP_ACK && d.mac && d.cookie && d.end);
    CHECK(d.yiaddr[0] == 10 && d.yiaddr[3] == 4);
    CHECK(d.has_server_id && d.server_id[3] == 2);
    CHECK(d.has_lease && d.lease == 28800);
    CHECK(d.has_mask && d.mask[1] == 255 && d.mask[2] == 0);
    CHECK(d.nrouters == 2 && d.routers[1][3] == 9);
    CHECK(d.ndns == 3 && d.dns[2][0] == 9);
    CHECK_STR(d.hostname, "host.name"); /* a control byte shown as '.' */
    CHECK(d.client_id_len == 7 && d.client_id[1] == 2);
    CHECK(d.nparams == 4 && d.params[3] == 15);
    CHECK(d.relay_agent);
    CHECK(d.noptions == 10 && d.ncodes == 11 && d.codes[0] == 53 && d.codes[10] == 0);
    CHECK_STR(pa_dhcp_type_name(d.type), "ACK");

    /* every truncation: the fixed header cut is not BOOTP; without the
     * cookie or options it is BOOTP; an option cut is malformed, and what
     * came before it is read */
    for (size_t k = 0; k < m.n; k++) {
        pa_dhcp_status s = pa_dhcp_parse(m.b, k, &d);
        if (k < 236)
            CHECK(s == PA_DHCP_NOT);
        else if (k <= 240)
            CHECK(s == PA_DHCP_OK && !d.type && d.cookie == (k == 240));
        else if (k < 243)
            CHECK(s == PA_DHCP_MALFORMED && !d.type);
        else
            CHECK((s == PA_DHCP_OK || s == PA_DHCP_MALFORMED) && d.type == PA_DHCP_ACK && d.xid == 0x796a827d);
    }
    /* a length past the end: malformed at that option, the type read */
    bootp(&m, 1, 7, NULL, NULL);
    dhcp_type(&m, PA_DHCP_REQUEST);
    put(&m, (uint8_t[]){50, 40, 10, 0}, 4);
    CHECK(pa_dhcp_parse(m.b, m.n, &d) == PA_DHCP_MALFORMED);
    CHECK(d.type == PA_DHCP_REQUEST && !d.has_requested && d.bad_at == 245);
    /* a value of the wrong length: counted, not used, the rest read */
    bootp(&m, 1, 8, NULL, NULL);
    opt(&m, 53, (uint8_t[]){3, 3}, 2);
    opt(&m, 50, (uint8_t[]){10, 0, 0}, 3);
    opt(&m, 12, "pc", 2);
    CHECK(pa_dhcp_parse(m.b, m.n, &d) == PA_DHCP_OK);
    CHECK(!d.type && !d.has_requested && d.bad_options == 2 && d.has_hostname && !d.end);
    /* overload: file then sname hold options */
    bootp(&m, 2, 9, NULL, NULL);
    dhcp_type(&m, PA_DHCP_NAK);
    opt(&m, 52, (uint8_t[]){3}, 1);
    put8(&m, 255);
    static const uint8_t fileopts[] = {56, 5, 'n', 'o', 'p', 'e', '!', 255};
    static const uint8_t snameopts[] = {54, 4, 10, 0, 0, 2, 255};
    memcpy(m.b + 108, fileopts, sizeof fileopts);
    memcpy(m.b + 44, snameopts, sizeof snameopts);
    CHECK(pa_dhcp_parse(m.b, m.n, &d) == PA_DHCP_OK);
    CHECK(d.type == PA_DHCP_NAK && d.overload == 3 && d.has_message && d.has_server_id && d.server_id[3] == 2);
    CHECK_STR(d.message, "nope!");
    /* an overloaded area whose option runs past its 128 bytes */
    m.b[108 + 126] = 12;
    m.b[108 + 127] = 40;
    m.b[108 + 8] = 0; /* the first End gone: padding up to the bad option */
    memset(m.b + 108 + 7, 0, 119);
    m.b[108 + 126] = 12;
    m.b[108 + 127] = 40;
    CHECK(pa_dhcp_parse(m.b, m.n, &d) == PA_DHCP_MALFORMED);
    /* not BOOTP: bad op, hardware length past chaddr, wrong cookie */
    bootp(&m, 3, 1, NULL, NULL);
    CHECK(pa_dhcp_parse(m.b, m.n, &d) == PA_DHCP_NOT);
    bootp(&m, 1, 1, NULL, NULL);
    m.b[2] = 17;
    CHECK(pa_dhcp_parse(m.b, m.n, &d) == PA_DHCP_NOT);
    bootp(&m, 1, 1, NULL, NULL);
    m.b[239] = 0x64;
    CHECK(pa_dhcp_parse(m.b, m.n, &d) == PA_DHCP_NOT);
    /* thousands of one-byte options stop at the option cap */
    bootp(&m, 1, 1, NULL, NULL);
    for (int i = 0; i < 390; i++) put(&m, (uint8_t[]){200, 0}, 2);
    CHECK(pa_dhcp_parse(m.b, m.n, &d) == PA_DHCP_OK && d.noptions == 390 && d.ncodes == PA_DHCP_MAX_CODES);
}

/* ---- the DHCPv6 parser ------------------------------------------------- */

static const uint8_t DUID[14] = {0, 1, 0, 1, 0x29, 0xd0, 0x81, 0x93, 0, 0, 1, 1, 0, 0};
static const uint8_t SDUID[10] = {0, 3, 0, 1, 2, 0, 0, 0, 0, 0x99};

static void v6opt_begin(msg *m, uint16_t code, size_t *mark) {
    put16(m, code);
    *mark = m->n;
    put16(m, 0);
}
static void v6opt_end(msg *m, size_t mark) {
    size_t len = m->n - mark - 2;
    m->b[mark] = (uint8_t)(len >> 8);
    m->b[mark + 1] = (uint8_t)len;
}
static void v6opt(msg *m, uint16_t code, const void *v, uint16_t len) {
    put16(m, code);
    put16(m, len);
    put(m, v, len);
}

static const uint8_t ADDR[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x10};
static const uint8_t DNS6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x53};
static const uint8_t PREFIX[16] = {0x20, 0x01, 0x0d, 0xb8, 0x01};

/* A client or server message: type, xid, client DUID, and for a server an
 * IA_NA with one address (or a status), DNS and a domain list. */
static void v6msg(msg *m, uint8_t type, uint32_t xid, const uint8_t *sduid, uint16_t status) {
    memset(m, 0, sizeof *m);
    put8(m, type);
    put8(m, (uint8_t)(xid >> 16));
    put16(m, (uint16_t)xid);
    v6opt(m, 1, DUID, sizeof DUID);
    if (sduid) v6opt(m, 2, sduid, sizeof SDUID);
    size_t ia, aa, st;
    v6opt_begin(m, 3, &ia);
    put32(m, 1);
    put32(m, 1800);
    put32(m, 2880);
    if (sduid && !status) {
        v6opt_begin(m, 5, &aa);
        put(m, ADDR, 16);
        put32(m, 3600);
        put32(m, 7200);
        v6opt_end(m, aa);
    }
    if (status) {
        v6opt_begin(m, 13, &st);
        put16(m, status);
        put(m, "none left", 9);
        v6opt_end(m, st);
    }
    v6opt_end(m, ia);
    if (sduid && !status && type == PA_DHCPV6_REPLY) { /* a delegated prefix too */
        size_t pd, pf;
        v6opt_begin(m, 25, &pd);
        put32(m, 2);
        put32(m, 1800);
        put32(m, 2880);
        v6opt_begin(m, 26, &pf);
        put32(m, 3000);
        put32(m, 6000);
        put8(m, 56);
        put(m, PREFIX, 16);
        v6opt_end(m, pf);
        v6opt_end(m, pd);
    }
    if (sduid) {
        v6opt(m, 23, DNS6, 16);
        v6opt(m, 24,
              "\x07"
              "example\x04test\x00\x03lab\x00",
              19);
    }
}

/* Wraps a message in n Relay-forw messages. */
static void relay(msg *m, int n) {
    for (int i = 0; i < n; i++) {
        msg o;
        memset(&o, 0, sizeof o);
        put8(&o, PA_DHCPV6_RELAY_FORW);
        put8(&o, (uint8_t)i);
        put(&o, (uint8_t[16]){0x20, 0x01, [15] = 1}, 16);
        put(&o, (uint8_t[16]){0xfe, 0x80, [15] = 7}, 16);
        v6opt(&o, 9, m->b, (uint16_t)m->n);
        *m = o;
    }
}

static void test_parse_v6(void) {
    msg m;
    pa_dhcpv6_msg d;
    v6msg(&m, PA_DHCPV6_REPLY, 0x5f98e6, SDUID, 0);
    CHECK(pa_dhcpv6_look(m.b, m.n));
    CHECK(pa_dhcpv6_parse(m.b, m.n, &d) == PA_DHCPV6_OK);
    CHECK(d.type == PA_DHCPV6_REPLY && d.has_xid && d.xid == 0x5f98e6 && d.ntypes == 1);
    CHECK(d.client_duid_len == sizeof DUID && !memcmp(d.client_duid, DUID, sizeof DUID));
    CHECK(d.server_duid_len == sizeof SDUID);
    CHECK(d.nia_na == 1 && d.iaid == 1 && d.t1 == 1800 && d.t2 == 2880);
    CHECK(d.naddrs == 1 && !memcmp(d.addrs[0].ip, ADDR, 16) && d.addrs[0].preferred == 3600 &&
          d.addrs[0].valid == 7200);
    CHECK(d.nia_pd == 1 && d.nprefixes == 1 && d.prefixes[0].len == 56 && d.prefixes[0].valid == 6000 &&
          !memcmp(d.prefixes[0].prefix, PREFIX, 16));
    CHECK(d.ndns == 1 && !memcmp(d.dns[0], DNS6, 16));
    CHECK(d.ndomains == 2);
    CHECK_STR(d.domains, "example.test,lab");
    CHECK(!d.has_status);
    /* a status inside the IA */
    v6msg(&m, PA_DHCPV6_ADVERTISE, 1, NULL, 2);
    CHECK(pa_dhcpv6_parse(m.b, m.n, &d) == PA_DHCPV6_OK && d.has_status && d.status == 2);
    CHECK_STR(d.status_msg, "none left");
    CHECK_STR(pa_dhcpv6_status_name(d.status), "NoAddrsAvail");
    /* every truncation: the look accepts exactly the cuts the parser reads
     * whole (the options then tile the message), never a cut option */
    v6msg(&m, PA_DHCPV6_REPLY, 0x5f98e6, SDUID, 0);
    int whole = 0;
    for (size_t k = 0; k < m.n; k++) {
        pa_dhcpv6_status s = pa_dhcpv6_parse(m.b, k, &d);
        if (k < 4) {
            CHECK(s == PA_DHCPV6_NOT && !pa_dhcpv6_look(m.b, k));
            continue;
        }
        CHECK(pa_dhcpv6_look(m.b, k) == (s == PA_DHCPV6_OK));
        whole += s == PA_DHCPV6_OK;
    }
    CHECK(whole == 6); /* the header alone, then after the client id, server id, IA_NA, IA_PD and DNS options */
    /* relays: unwrapped to the client's message, with every type listed */
    v6msg(&m, PA_DHCPV6_SOLICIT, 0xabcdef, NULL, 0);
    relay(&m, 2);
    CHECK(pa_dhcpv6_look(m.b, m.n));
    CHECK(pa_dhcpv6_parse(m.b, m.n, &d) == PA_DHCPV6_OK);
    CHECK(d.type == PA_DHCPV6_SOLICIT && d.outer_type == PA_DHCPV6_RELAY_FORW && d.relays == 2 && d.ntypes == 3);
    CHECK(d.types[0] == 12 && d.types[1] == 12 && d.types[2] == 1 && d.xid == 0xabcdef && d.hopcount == 1);
    CHECK(d.peer_addr[0] == 0xfe && d.peer_addr[15] == 7);
    /* nested past the cap: malformed, not followed */
    v6msg(&m, PA_DHCPV6_SOLICIT, 1, NULL, 0);
    relay(&m, PA_DHCPV6_MAX_RELAY);
    CHECK(pa_dhcpv6_parse(m.b, m.n, &d) == PA_DHCPV6_OK && d.relays == PA_DHCPV6_MAX_RELAY);
    relay(&m, 1);
    CHECK(pa_dhcpv6_parse(m.b, m.n, &d) == PA_DHCPV6_MALFORMED && d.relays == PA_DHCPV6_MAX_RELAY);
    /* a relay whose relayed message claims more than it holds */
    v6msg(&m, PA_DHCPV6_SOLICIT, 1, NULL, 0);
    relay(&m, 1);
    m.b[34 + 3] = (uint8_t)(m.b[34 + 3] + 1);
    CHECK(!pa_dhcpv6_look(m.b, m.n) && pa_dhcpv6_parse(m.b, m.n, &d) == PA_DHCPV6_MALFORMED);
    /* DNS servers not a multiple of 16 bytes */
    v6msg(&m, PA_DHCPV6_REPLY, 1, NULL, 0);
    v6opt(&m, 23, DNS6, 15);
    CHECK(pa_dhcpv6_parse(m.b, m.n, &d) == PA_DHCPV6_MALFORMED);
    CHECK(!pa_dhcpv6_look((const uint8_t *)"\x00\x01\x02\x03", 4) &&
          !pa_dhcpv6_look((const uint8_t *)"\x30\x01\x02\x03", 4));
}

/* ---- the trackers ------------------------------------------------------ */

static pa_packet pkt(uint64_t frame, int64_t ms, const uint8_t src[4]) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.frame_no = frame;
    p.ts_ns = ms * 1000000;
    p.src.family = 4;
    memcpy(p.src.b, src, 4);
    return p;
}

static void feed4(pa_dhcp_stats *st, msg *m, uint64_t frame, int64_t ms, const uint8_t src[4]) {
    pa_dhcp_msg d;
    pa_packet p = pkt(frame, ms, src);
    if (pa_dhcp_parse(m->b, m->n, &d) == PA_DHCP_OK) pa_dhcp_message(st, &p, &d);
}

static const uint8_t ZERO[4] = {0}, SRV_A[4] = {10, 0, 0, 1}, SRV_B[4] = {10, 0, 0, 66};

static void server_msg(msg *m, uint8_t type, uint32_t xid, const uint8_t yi[4], const uint8_t srv[4],
                       const uint8_t *mac) {
    bootp(m, 2, xid, yi, mac);
    dhcp_type(m, type);
    opt(m, 54, srv, 4);
    opt(m, 51, (uint8_t[]){0, 0, 0x0e, 0x10}, 4);
    opt(m, 3, srv, 4);
    opt(m, 6, (uint8_t[]){10, 0, 0, 53}, 4);
    put8(m, 255);
}

static void client_msg(msg *m, uint8_t type, uint32_t xid, const uint8_t *mac, const char *host) {
    bootp(m, 1, xid, NULL, mac);
    dhcp_type(m, type);
    if (host) opt(m, 12, host, (uint8_t)strlen(host));
    put8(m, 255);
}

static void test_track_v4(void) {
    pa_dhcp_stats st;
    memset(&st, 0, sizeof st);
    msg m;
    uint8_t mac2[6] = {2, 0, 0, 0, 0, 2}, mac3[6] = {2, 0, 0, 0, 0, 3}, mac4[6] = {2, 0, 0, 0, 0, 4};
    /* a lease with a second (rogue) offer */
    client_msg(&m, PA_DHCP_DISCOVER, 0x11, NULL, "laptop");
    feed4(&st, &m, 1, 0, ZERO);
    server_msg(&m, PA_DHCP_OFFER, 0x11, (uint8_t[]){10, 0, 0, 20}, SRV_A, NULL);
    feed4(&st, &m, 2, 3, SRV_A);
    server_msg(&m, PA_DHCP_OFFER, 0x11, (uint8_t[]){192, 168, 1, 20}, SRV_B, NULL);
    feed4(&st, &m, 3, 4, SRV_B);
    client_msg(&m, PA_DHCP_DISCOVER, 0x11, NULL, "laptop"); /* retransmitted */
    feed4(&st, &m, 4, 1000, ZERO);
    client_msg(&m, PA_DHCP_REQUEST, 0x11, NULL, NULL);
    feed4(&st, &m, 5, 1010, ZERO);
    server_msg(&m, PA_DHCP_ACK, 0x11, (uint8_t[]){10, 0, 0, 20}, SRV_A, NULL);
    feed4(&st, &m, 6, 1015, SRV_A);
    /* a renewal refused */
    client_msg(&m, PA_DHCP_REQUEST, 0x22, mac2, NULL);
    feed4(&st, &m, 7, 2000, ZERO);
    server_msg(&m, PA_DHCP_NAK, 0x22, ZERO, SRV_A, mac2);
    feed4(&st, &m, 8, 2002, SRV_A);
    /* never answered; offered and never requested */
    client_msg(&m, PA_DHCP_DISCOVER, 0x33, mac3, NULL);
    feed4(&st, &m, 9, 3000, ZERO);
    client_msg(&m, PA_DHCP_DISCOVER, 0x44, mac4, NULL);
    feed4(&st, &m, 10, 4000, ZERO);
    server_msg(&m, PA_DHCP_OFFER, 0x44, (uint8_t[]){10, 0, 0, 44}, SRV_A, mac4);
    feed4(&st, &m, 11, 4001, SRV_A);
    /* the same xid from another client is another transaction */
    client_msg(&m, PA_DHCP_DECLINE, 0x11, mac3, NULL);
    feed4(&st, &m, 12, 5000, ZERO);

    CHECK(st.messages == 12 && st.types[PA_DHCP_DISCOVER] == 4 && st.types[PA_DHCP_OFFER] == 3);
    CHECK(st.ntx == 5 && st.multi_server_tx == 1 && st.nservers == 2);
    const pa_dhcp_tx *t = &st.tx[0];
    CHECK(t->xid == 0x11 && t->messages == 6 && t->retransmits == 1 && t->nservers == 2);
    CHECK_STR(t->hostname, "laptop");
    CHECK(pa_dhcp_tx_outcome(t) == PA_DHCP_ACKED && t->has_acked && t->acked[3] == 20 && t->offered[3] == 20);
    CHECK(t->has_lease && t->lease == 3600 && t->has_router && t->router[3] == 1 && t->ndns == 1);
    CHECK(pa_dhcp_tx_time(t, PA_DHCP_DISCOVER, PA_DHCP_OFFER) == 3000000);
    CHECK(pa_dhcp_tx_time(t, PA_DHCP_DISCOVER, PA_DHCP_ACK) == 1015000000);
    CHECK(pa_dhcp_tx_time(t, PA_DHCP_REQUEST, PA_DHCP_ACK) == 5000000);
    CHECK(pa_dhcp_tx_answer_ns(t) == 1015000000);
    CHECK(pa_dhcp_tx_outcome(&st.tx[1]) == PA_DHCP_NAKED && pa_dhcp_tx_answer_ns(&st.tx[1]) == 2000000);
    CHECK(pa_dhcp_tx_outcome(&st.tx[2]) == PA_DHCP_UNANSWERED && pa_dhcp_tx_answer_ns(&st.tx[2]) == -1);
    CHECK(pa_dhcp_tx_outcome(&st.tx[3]) == PA_DHCP_OFFERED);
    CHECK(pa_dhcp_tx_outcome(&st.tx[4]) == PA_DHCP_DECLINED && st.tx[4].xid == 0x11);
    CHECK(st.servers[0].offers == 2 && st.servers[0].acks == 1 && st.servers[0].naks == 1 &&
          st.servers[0].transactions == 3);
    CHECK(st.servers[1].offers == 1 && st.servers[1].id[3] == 66 && st.servers[1].first_frame == 3);
    pa_dhcp_stats_free(&st);

    /* the cap: transactions beyond it are counted, not listed */
    memset(&st, 0, sizeof st);
    for (uint32_t i = 0; i < PA_DHCP_MAX_TX + 10; i++) {
        client_msg(&m, PA_DHCP_DISCOVER, i, NULL, NULL);
        feed4(&st, &m, i + 1, i, ZERO);
    }
    CHECK(st.ntx == PA_DHCP_MAX_TX && st.tx_dropped == 10 && st.types[PA_DHCP_DISCOVER] == PA_DHCP_MAX_TX + 10);
    pa_dhcp_stats_free(&st);
}

static void feed6(pa_dhcpv6_stats *st, msg *m, uint64_t frame, int64_t ms, uint8_t last) {
    pa_dhcpv6_msg d;
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.frame_no = frame;
    p.ts_ns = ms * 1000000;
    p.src.family = 6;
    p.src.b[0] = 0xfe;
    p.src.b[1] = 0x80;
    p.src.b[15] = last;
    if (pa_dhcpv6_parse(m->b, m->n, &d) != PA_DHCPV6_NOT) pa_dhcpv6_message(st, &p, &d);
}

static void test_track_v6(void) {
    pa_dhcpv6_stats st;
    memset(&st, 0, sizeof st);
    msg m;
    v6msg(&m, PA_DHCPV6_SOLICIT, 0xaca407, NULL, 0);
    feed6(&st, &m, 1, 0, 1);
    v6msg(&m, PA_DHCPV6_ADVERTISE, 0xaca407, SDUID, 0);
    feed6(&st, &m, 2, 4, 2);
    v6msg(&m, PA_DHCPV6_REQUEST, 0x5f98e6, NULL, 0); /* a new xid joins the Solicit's exchange */
    feed6(&st, &m, 3, 1000, 1);
    v6msg(&m, PA_DHCPV6_REPLY, 0x5f98e6, SDUID, 0);
    feed6(&st, &m, 4, 1003, 2);
    v6msg(&m, PA_DHCPV6_RENEW, 0x000123, NULL, 0);
    feed6(&st, &m, 5, 9000, 1);
    v6msg(&m, PA_DHCPV6_REPLY, 0x000123, NULL, 2);
    feed6(&st, &m, 6, 9001, 2);
    CHECK(st.messages == 6 && st.ntx == 2 && st.nservers == 2);
    const pa_dhcpv6_tx *t = &st.tx[0];
    CHECK(t->nxids == 2 && t->messages == 4 && pa_dhcpv6_tx_outcome(t) == PA_DHCPV6_REPLIED);
    CHECK(pa_dhcpv6_tx_time(t, PA_DHCPV6_SOLICIT, PA_DHCPV6_ADVERTISE) == 4000000);
    CHECK(pa_dhcpv6_tx_time(t, PA_DHCPV6_REQUEST, PA_DHCPV6_REPLY) == 3000000);
    CHECK(pa_dhcpv6_tx_answer_ns(t) == 1003000000);
    CHECK(t->has_addr && !memcmp(t->addr, ADDR, 16) && t->valid == 7200 && t->ndns == 1);
    CHECK(t->has_prefix && t->prefix_len == 56 && t->prefix_valid == 6000);
    CHECK(pa_dhcpv6_tx_outcome(&st.tx[1]) == PA_DHCPV6_ERROR && st.tx[1].status == 2);
    CHECK(st.servers[0].advertises == 1 && st.servers[0].replies == 1 && st.servers[0].transactions == 1);
    CHECK(st.servers[1].errors == 1 && !st.servers[1].duid_len);
    pa_dhcpv6_stats_free(&st);
}

/* ---- a generated capture, through the engine and the tool --------------- */

static int write_udp4(pg_writer *w, uint64_t ms, const uint8_t src[4], const uint8_t dst[4], uint16_t sp, uint16_t dp,
                      const msg *m) {
    uint8_t buf[1600];
    pg_pkt p;
    pg_pkt_init(&p, buf, sizeof buf);
    pg_ip4 ip;
    memset(&ip, 0, sizeof ip);
    memcpy(ip.src, src, 4);
    memcpy(ip.dst, dst, 4);
    ip.ttl = 64;
    pg_eth(&p, (uint8_t[]){0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, MAC, PG_ETH_IPV4);
    pg_ipv4(&p, &ip);
    pg_udp(&p, sp, dp);
    pg_bytes(&p, m->b, m->n);
    pg_finish(&p);
    return pg_write_pkt(w, pg_ts_add((pg_ts){1700000000, 0}, PG_MS(ms)), &p);
}

static int write_udp6(pg_writer *w, uint64_t ms, uint8_t src_last, bool to_server, const msg *m) {
    uint8_t buf[1600];
    pg_pkt p;
    pg_pkt_init(&p, buf, sizeof buf);
    pg_ip6 ip;
    memset(&ip, 0, sizeof ip);
    ip.src[0] = 0xfe;
    ip.src[1] = 0x80;
    ip.src[15] = src_last;
    if (to_server) {
        ip.dst[0] = 0xff;
        ip.dst[1] = 0x02;
        ip.dst[13] = 1;
        ip.dst[15] = 2;
    } else {
        ip.dst[0] = 0xfe;
        ip.dst[1] = 0x80;
        ip.dst[15] = 1;
    }
    ip.hlim = 1;
    pg_eth(&p, (uint8_t[]){0x33, 0x33, 0, 1, 0, 2}, MAC, PG_ETH_IPV6);
    pg_ipv6(&p, &ip);
    pg_udp(&p, to_server ? 546 : 547, to_server ? 547 : 546);
    pg_bytes(&p, m->b, m->n);
    pg_finish(&p);
    return pg_write_pkt(w, pg_ts_add((pg_ts){1700000000, 0}, PG_MS(ms)), &p);
}

static bool write_capture(const char *path) {
    pg_writer *w;
    if (pg_open(&w, path, NULL)) return false;
    msg m;
    static const uint8_t BC[4] = {255, 255, 255, 255}, CL[4] = {10, 0, 0, 20};
    uint8_t mac2[6] = {2, 0, 0, 0, 0, 2}, mac3[6] = {2, 0, 0, 0, 0, 3};
    int e = 0;
    client_msg(&m, PA_DHCP_DISCOVER, 0x11, NULL, "laptop");
    e |= write_udp4(w, 0, ZERO, BC, 68, 67, &m);
    server_msg(&m, PA_DHCP_OFFER, 0x11, CL, SRV_A, NULL);
    e |= write_udp4(w, 3, SRV_A, CL, 67, 68, &m);
    server_msg(&m, PA_DHCP_OFFER, 0x11, (uint8_t[]){192, 168, 1, 20}, SRV_B, NULL);
    e |= write_udp4(w, 4, SRV_B, BC, 67, 68, &m);
    client_msg(&m, PA_DHCP_REQUEST, 0x11, NULL, "laptop");
    e |= write_udp4(w, 10, ZERO, BC, 68, 67, &m);
    server_msg(&m, PA_DHCP_ACK, 0x11, CL, SRV_A, NULL);
    e |= write_udp4(w, 15, SRV_A, CL, 67, 68, &m);
    client_msg(&m, PA_DHCP_REQUEST, 0x22, mac2, NULL);
    e |= write_udp4(w, 2000, ZERO, BC, 68, 67, &m);
    server_msg(&m, PA_DHCP_NAK, 0x22, ZERO, SRV_A, mac2);
    e |= write_udp4(w, 2002, SRV_A, BC, 67, 68, &m);
    client_msg(&m, PA_DHCP_DISCOVER, 0x33, mac3, NULL);
    e |= write_udp4(w, 3000, ZERO, BC, 68, 67, &m);
    /* a malformed one: an option past the end */
    bootp(&m, 1, 0x55, NULL, mac3);
    dhcp_type(&m, PA_DHCP_DISCOVER);
    put(&m, (uint8_t[]){12, 60, 'x'}, 3);
    e |= write_udp4(w, 3500, ZERO, BC, 68, 67, &m);
    /* a port-67 datagram that is not BOOTP stays unnamed */
    memset(&m, 0, sizeof m);
    put(&m, "hello", 5);
    e |= write_udp4(w, 3600, ZERO, BC, 68, 67, &m);
    v6msg(&m, PA_DHCPV6_SOLICIT, 0xaca407, NULL, 0);
    e |= write_udp6(w, 4000, 1, true, &m);
    v6msg(&m, PA_DHCPV6_ADVERTISE, 0xaca407, SDUID, 0);
    e |= write_udp6(w, 4004, 2, false, &m);
    v6msg(&m, PA_DHCPV6_REQUEST, 0x5f98e6, NULL, 0);
    relay(&m, 1);
    e |= write_udp6(w, 5000, 1, true, &m);
    v6msg(&m, PA_DHCPV6_REPLY, 0x5f98e6, SDUID, 0);
    e |= write_udp6(w, 5003, 2, false, &m);
    return !e && !pg_close(w);
}

static tool_call_env env;

static json_t *call(const char *args_json, pa_tool_result *res) {
    return tool_call(&env, "analyze_dhcp_traffic", args_json, res);
}

static json_int_t geti(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }
static const char *getstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static void test_tool(const char *dir) {
    CHECK(tool_call_open(&env, dir));
    pa_tool_result r;
    json_t *s = call("{\"pcap_file\":\"dhcp.pcap\"}", &r);
    json_t *tot = json_object_get(s, "totals");
    CHECK(geti(tot, "dhcp_messages") == 9 && geti(tot, "dhcpv6_messages") == 4 && geti(tot, "malformed") == 1);
    CHECK(geti(tot, "multi_server_transactions") == 1 && json_is_true(json_object_get(tot, "more_than_one_server")));
    CHECK(geti(tot, "dhcp_servers") == 2 && geti(tot, "dhcpv6_servers") == 1 && geti(tot, "relayed") == 1);
    json_t *types = json_object_get(json_object_get(s, "message_types"), "dhcp");
    CHECK(geti(types, "Discover") == 3 && geti(types, "Offer") == 2 && geti(types, "NAK") == 1);
    CHECK(geti(json_object_get(json_object_get(s, "message_types"), "dhcpv6"), "Request") == 1);
    json_t *cl = json_object_get(s, "clients");
    /* failures first: the NAK, then the unanswered (by first frame), then the answered slowest first */
    CHECK(json_array_size(cl) == 5);
    CHECK_STR(getstr(json_array_get(cl, 0), "outcome"), "nak");
    CHECK_STR(getstr(json_array_get(cl, 1), "outcome"), "unanswered");
    CHECK_STR(getstr(json_array_get(cl, 2), "outcome"), "unanswered");
    CHECK_STR(getstr(json_array_get(cl, 3), "outcome"), "replied");
    CHECK_STR(getstr(json_array_get(cl, 4), "outcome"), "acked");
    json_t *v6 = json_array_get(cl, 3), *v4 = json_array_get(cl, 4);
    CHECK(fabs(json_real_value(json_object_get(v6, "time_to_answer_ms")) - 1003.0) < 1e-6);
    CHECK(json_is_true(json_object_get(v6, "relayed")) && json_array_size(json_object_get(v6, "transaction_ids")) == 2);
    CHECK_STR(getstr(v6, "address"), "2001:db8::10");
    CHECK_STR(getstr(v6, "delegated_prefix"), "2001:db8:100::/56");
    CHECK_STR(getstr(v4, "address"), "10.0.0.20");
    CHECK_STR(getstr(v4, "hostname"), "laptop");
    CHECK_STR(getstr(v4, "router"), "10.0.0.1");
    CHECK(geti(v4, "lease_s") == 3600 && json_array_size(json_object_get(v4, "servers")) == 2);
    CHECK(fabs(json_real_value(json_object_get(v4, "discover_to_offer_ms")) - 3.0) < 1e-6);
    CHECK(fabs(json_real_value(json_object_get(v4, "request_to_ack_ms")) - 5.0) < 1e-6);
    CHECK_STR(getstr(v4, "display_filter"), "dhcp.id == 0x00000011 && dhcp.hw.mac_addr == 02:00:00:00:00:01");
    CHECK(r.text.data && strstr(r.text.data, "MORE THAN ONE SERVER ANSWERED") &&
          strstr(r.text.data, "[acked] dhcp 02:00:00:00:00:01 \"laptop\" xid 0x00000011: address 10.0.0.20"));
    pa_tool_result_free(&r);
    /* paging: the second page starts at the row the first did not show */
    s = call("{\"pcap_file\":\"dhcp.pcap\",\"limit\":2,\"offset\":3}", &r);
    json_t *page = json_object_get(s, "page");
    CHECK(geti(page, "offset") == 3 && geti(page, "returned") == 2 && geti(page, "total") == 5 &&
          json_is_false(json_object_get(page, "more")));
    CHECK_STR(getstr(json_array_get(json_object_get(s, "clients"), 0), "outcome"), "replied");
    pa_tool_result_free(&r);
    /* a display filter keeps the frames it matches: only the NAK'd renewal */
    s = call("{\"pcap_file\":\"dhcp.pcap\",\"display_filter\":\"dhcp.id == 0x22\"}", &r);
    CHECK(geti(json_object_get(s, "totals"), "dhcp_messages") == 2 &&
          json_array_size(json_object_get(s, "clients")) == 1);
    pa_tool_result_free(&r);
    tool_call_close(&env);
}

/* ---- per frame against tshark ------------------------------------------ */

typedef struct frames {
    char *out; /* our lines, as tshark prints them */
    size_t n, cap;
    int dhcp; /* frames we parsed */
} frames;

__attribute__((format(printf, 2, 3))) static void addf(frames *f, const char *fmt, ...) {
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (k < 0) return;
    size_t len = strlen(line);
    if (f->n + len + 1 > f->cap) {
        size_t nc = (f->cap ? f->cap * 2 : 1 << 16) + len;
        char *g = realloc(f->out, nc);
        if (!g) return;
        f->out = g;
        f->cap = nc;
    }
    memcpy(f->out + f->n, line, len + 1);
    f->n += len;
}

/* One line per DHCP or DHCPv6 frame: frame, dhcp.option.dhcp, dhcp.id,
 * dhcp.ip.your, dhcp.option.ip_address_lease_time, dhcp.hw.mac_addr,
 * dhcp.option.dhcp_server_id, dhcp.option.router, dhcpv6.msgtype,
 * dhcpv6.xid, dhcpv6.iaaddr.ip (tshark's -T fields text). */
static void on_frame(void *ud, const pa_packet *p) {
    frames *f = ud;
    if (p->l4 != PA_P_UDP || !p->payload_len) return;
    pa_proto app = pa_app_detect(p);
    if (app == PA_P_DHCP) {
        pa_dhcp_msg d;
        if (pa_dhcp_parse(p->payload, p->payload_len, &d) == PA_DHCP_NOT) return;
        char type[8] = "", lease[16] = "", mac[48] = "", sid[20] = "", routers[80] = "";
        if (d.type) snprintf(type, sizeof type, "%u", d.type);
        if (d.has_lease) snprintf(lease, sizeof lease, "%u", d.lease);
        if (d.mac) pa_mac_str(d.chaddr, mac, sizeof mac);
        if (d.client_id_len == 7 && d.client_id[0] == 1) { /* tshark lists a client identifier's MAC too */
            size_t k = strlen(mac);
            if (k) mac[k++] = ',';
            pa_mac_str(d.client_id + 1, mac + k, sizeof mac - k);
        }
        if (d.has_server_id)
            snprintf(sid, sizeof sid, "%u.%u.%u.%u", d.server_id[0], d.server_id[1], d.server_id[2], d.server_id[3]);
        size_t o = 0;
        for (uint8_t i = 0; i < d.nrouters && o < sizeof routers; i++)
            o += (size_t)snprintf(routers + o, sizeof routers - o, "%s%u.%u.%u.%u", i ? "," : "", d.routers[i][0],
                                  d.routers[i][1], d.routers[i][2], d.routers[i][3]);
        addf(f, "%llu\t%s\t0x%08x\t%u.%u.%u.%u\t%s\t%s\t%s\t%s\t\t\t\n", (unsigned long long)p->frame_no, type, d.xid,
             d.yiaddr[0], d.yiaddr[1], d.yiaddr[2], d.yiaddr[3], lease, mac, sid, routers);
        f->dhcp++;
    } else if (app == PA_P_DHCPV6) {
        pa_dhcpv6_msg d;
        if (pa_dhcpv6_parse(p->payload, p->payload_len, &d) == PA_DHCPV6_NOT) return;
        char types[64] = "", xid[16] = "", addrs[512] = "";
        size_t o = 0;
        for (uint8_t i = 0; i < d.ntypes; i++)
            o += (size_t)snprintf(types + o, sizeof types - o, "%s%u", i ? "," : "", d.types[i]);
        if (d.has_xid) snprintf(xid, sizeof xid, "0x%06x", d.xid);
        o = 0;
        for (uint8_t i = 0; i < d.naddrs && o < sizeof addrs; i++) {
            pa_addr a = {.family = 6};
            memcpy(a.b, d.addrs[i].ip, 16);
            char s[64];
            pa_addr_str(&a, s, sizeof s);
            o += (size_t)snprintf(addrs + o, sizeof addrs - o, "%s%s", i ? "," : "", s);
        }
        addf(f, "%llu\t\t\t\t\t\t\t\t%s\t%s\t%s\n", (unsigned long long)p->frame_no, types, xid, addrs);
        f->dhcp++;
    }
}

/* Our lines and tshark's for one capture; mismatching lines are printed.
 * Returns the frames compared (-1: not compared). */
static int compare_capture(const char *dir, const char *name, int *mismatch, int *by_port) {
    frames f = {0};
    if (!voip_walk(dir, name, on_frame, &f) || !f.dhcp) {
        free(f.out);
        return f.dhcp ? -1 : 0;
    }
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *argv[] = {"tshark",
                    "-r",
                    path,
                    "-Y",
                    "dhcp || dhcpv6",
                    "-T",
                    "fields",
                    "-e",
                    "frame.number",
                    "-e",
                    "dhcp.option.dhcp",
                    "-e",
                    "dhcp.id",
                    "-e",
                    "dhcp.ip.your",
                    "-e",
                    "dhcp.option.ip_address_lease_time",
                    "-e",
                    "dhcp.hw.mac_addr",
                    "-e",
                    "dhcp.option.dhcp_server_id",
                    "-e",
                    "dhcp.option.router",
                    "-e",
                    "dhcpv6.msgtype",
                    "-e",
                    "dhcpv6.xid",
                    "-e",
                    "dhcpv6.iaaddr.ip",
                    NULL};
    char *want = voip_run(argv);
    if (!want) {
        free(f.out);
        return -1;
    }
    /* tshark names any datagram on the BOOTP ports DHCP: one that is not
     * BOOTP at all has no field, and we leave it unnamed (never by port
     * alone); such lines are counted apart */
    size_t o = 0;
    for (char *line = want, *next; *line; line = next) {
        char *nl = strchr(line, '\n');
        next = nl ? nl + 1 : line + strlen(line);
        size_t len = (size_t)(next - line);
        bool empty = true;
        char *tab = memchr(line, '\t', len);
        for (char *c = tab ? tab : next; c < next; c++)
            if (*c != '\t' && *c != '\n') empty = false;
        if (empty) {
            (*by_port)++;
            continue;
        }
        memmove(want + o, line, len);
        o += len;
    }
    want[o] = 0;
    const char *ours = f.out ? f.out : "";
    if (strcmp(ours, want)) {
        (*mismatch)++;
        fprintf(stderr, "  %s: ours and tshark's differ\n--- ours\n%.2000s--- tshark\n%.2000s", name, ours, want);
    }
    int n = f.dhcp;
    free(want);
    free(f.out);
    return n;
}

static int compare_dir(const char *dir, int *files, int *frames_n, int *mismatch, int *by_port) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char sub[1200];
        snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(sub, &sb) != 0) continue;
        if (S_ISDIR(sb.st_mode)) {
            compare_dir(sub, files, frames_n, mismatch, by_port);
            continue;
        }
        int n = compare_capture(dir, e->d_name, mismatch, by_port);
        if (n > 0) {
            (*files)++;
            *frames_n += n;
        }
    }
    closedir(d);
    return 0;
}

static int test_tshark(const char *gen_dir) {
    if (!voip_have_tshark()) {
        fprintf(stderr, "dhcp: tshark not found, comparison skipped\n");
        return 77;
    }
    int files = 0, nframes = 0, mismatch = 0, by_port = 0;
    int n = compare_capture(gen_dir, "dhcp.pcap", &mismatch, &by_port);
    CHECK(n == 13);                       /* 9 DHCP (the malformed one too) and 4 DHCPv6 */
    CHECK(by_port == 1 && mismatch == 0); /* the port-67 "hello", DHCP to tshark by its port */
    by_port = 0;
    char dir[1200];
    const char *roots[] = {"corpus", "corpus-real"};
    bool any = false;
    for (int i = 0; i < 2; i++) {
        snprintf(dir, sizeof dir, "%s/../shared/%s", PA_SOURCE_DIR, roots[i]);
        if (compare_dir(dir, &files, &nframes, &mismatch, &by_port) == 0) any = true;
    }
    printf("dhcp: %d captures with DHCP/DHCPv6, %d frames compared with tshark, %d captures differ, %d frames "
           "tshark names DHCP by port alone\n",
           files, nframes, mismatch, by_port);
    CHECK(mismatch == 0);
    if (!any) {
        fprintf(stderr, "dhcp: ../shared corpora absent, their comparison skipped\n");
        return 77;
    }
    CHECK(files > 0 && nframes > 0);
    return 0;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "dhcp_gen";
    test_parse_v4();
    test_parse_v6();
    test_track_v4();
    test_track_v6();
    char path[1200];
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/dhcp.pcap", dir);
    CHECK(write_capture(path));
    test_tool(dir);
    int skip = test_tshark(dir);
    int rc = check_done("dhcp");
    return rc ? rc : skip;
}
