/* LAN discovery: NetBIOS datagrams with SMB mailslot writes and the
 * Browser protocol (nbdgm/), Dropbox LAN sync discovery (db_lsp_disc/),
 * MikroTik Neighbor Discovery (mndp/), the Service Location Protocol
 * (srvloc/). The
 * parsers on crafted messages (every layout, cut short, hostile), then a
 * capture of them (landisc_gen/landisc.pcap) that compare_landisc.mjs
 * reads against tshark, and analyze_network_topology's LAN discovery lists
 * on it. Usage: test_landisc [DIR] (where landisc.pcap is written). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "check.h"
#include "db_lsp_disc_analyzer.h"
#include "mndp_analyzer.h"
#include "nbdgm_analyzer.h"
#include "pktgen.h"
#include "srvloc_analyzer.h"
#include "test_kit.h"

typedef struct msg {
    uint8_t b[1400];
    size_t n;
} msg;

/* ---- builders ----------------------------------------------------------- */

/* A NetBIOS name, first-level encoded (RFC 1001 14.1): 15 characters padded
 * with spaces, then its type. */
static void nb_name(pg_pkt *p, const char *name, uint8_t type) {
    uint8_t raw[16];
    memset(raw, ' ', 15);
    memcpy(raw, name, strnlen(name, 15));
    raw[15] = type;
    pg_u8(p, 32);
    for (int i = 0; i < 16; i++) {
        pg_u8(p, (uint8_t)('A' + (raw[i] >> 4)));
        pg_u8(p, (uint8_t)('A' + (raw[i] & 15)));
    }
    pg_u8(p, 0);
}

static void le16(pg_pkt *p, uint16_t v) {
    pg_u8(p, (uint8_t)v);
    pg_u8(p, (uint8_t)(v >> 8));
}

static void le32(pg_pkt *p, uint32_t v) {
    le16(p, (uint16_t)v);
    le16(p, (uint16_t)(v >> 16));
}

/* The datagram header of a direct or broadcast datagram from 10.2.0.src. */
static void dgram_head(pg_pkt *p, uint8_t type, uint8_t src, const char *from, uint8_t ft, const char *to, uint8_t tt) {
    pg_u8(p, type);
    pg_u8(p, 0x02); /* first fragment, B node */
    pg_be16(p, (uint16_t)(0x4000 + src));
    pg_bytes(p, (uint8_t[]){10, 2, 0, src}, 4);
    pg_be16(p, 138);
    pg_be16(p, 0); /* dgram_len, patched by the caller's length */
    pg_be16(p, 0);
    nb_name(p, from, ft);
    nb_name(p, to, tt);
}

/* An SMB Transaction request writing data to mailslot slot (Unicode name
 * when unicode), with its three setup words; data_off_extra moves the data
 * offset past the end (hostile). */
static void smb_trans(pg_pkt *p, const char *slot, bool unicode, const uint8_t *data, size_t n, size_t data_off_extra) {
    size_t start = p->len;
    static const uint8_t sig[4] = {0xff, 'S', 'M', 'B'};
    pg_bytes(p, sig, 4);
    pg_u8(p, 0x25);
    pg_fill(p, 0, 4); /* status */
    pg_u8(p, 0);      /* flags: a request */
    le16(p, unicode ? 0x8000 : 0);
    pg_fill(p, 0, 20); /* pid high, signature, reserved, tid, pid, uid, mid */
    pg_u8(p, 17);      /* 14 + 3 setup words */
    size_t name_len = unicode ? 2 * (strlen(slot) + 1) + 1 : strlen(slot) + 1;
    size_t data_off = 32 + 1 + 34 + 2 + name_len;
    le16(p, 0);
    le16(p, (uint16_t)n);
    le16(p, 0);
    le16(p, 0);
    pg_u8(p, 0);
    pg_u8(p, 0);
    le16(p, 0);
    le32(p, 1000);
    le16(p, 0);
    le16(p, 0);
    le16(p, 0);
    le16(p, (uint16_t)n);
    le16(p, (uint16_t)(data_off + data_off_extra));
    pg_u8(p, 3);
    pg_u8(p, 0);
    le16(p, 1); /* write mail slot */
    le16(p, 1);
    le16(p, 2); /* unreliable and broadcast */
    le16(p, (uint16_t)(name_len + n));
    if (unicode) {
        if ((p->len - start) & 1) pg_u8(p, 0);
        for (const char *s = slot; *s; s++) le16(p, (uint8_t)*s);
        le16(p, 0);
    } else {
        pg_bytes(p, slot, strlen(slot) + 1);
    }
    pg_bytes(p, data, n);
}

/* A host, local master or workgroup announcement to \MAILSLOT\BROWSE. */
static size_t announce(uint8_t *b, uint8_t cmd, const char *server, uint8_t maj, uint8_t min, uint32_t type,
                       const char *comment) {
    pg_pkt p;
    pg_pkt_init(&p, b, 256);
    pg_u8(&p, cmd);
    pg_u8(&p, 3);
    le32(&p, 720000);
    uint8_t name[16] = {0};
    memcpy(name, server, strnlen(server, 15));
    pg_bytes(&p, name, 16);
    pg_u8(&p, maj);
    pg_u8(&p, min);
    le32(&p, type);
    pg_u8(&p, 15);
    pg_u8(&p, 1);
    le16(&p, 0xaa55);
    pg_bytes(&p, comment, strlen(comment) + 1);
    return p.len;
}

static void datagram(msg *m, uint8_t type, uint8_t src, const char *from, uint8_t ft, const char *to, uint8_t tt,
                     const char *slot, const uint8_t *data, size_t n) {
    pg_pkt p;
    pg_pkt_init(&p, m->b, sizeof m->b);
    dgram_head(&p, type, src, from, ft, to, tt);
    if (slot)
        smb_trans(&p, slot, false, data, n, 0);
    else
        pg_bytes(&p, data, n);
    m->n = p.len;
    m->b[10] = (uint8_t)((m->n - 14) >> 8);
    m->b[11] = (uint8_t)(m->n - 14);
}

/* ---- parser tests ------------------------------------------------------- */

static void test_nbdgm(void) {
    msg m;
    uint8_t data[256];
    size_t n = announce(data, PA_BROWSER_HOST_ANNOUNCE, "FILESRV", 6, 1, 0x0001100b, "Files");
    datagram(&m, PA_NBDGM_DIRECT_GROUP, 5, "FILESRV", 0x20, "CORP", 0x1d, "\\MAILSLOT\\BROWSE", data, n);
    pa_nbdgm_msg d;
    CHECK(pa_nbdgm_parse(m.b, m.n, &d) == PA_NBDGM_OK);
    CHECK(d.type == 0x11 && d.layer == PA_NBDGM_LAYER_BROWSER && d.has_browser && d.mailslot);
    CHECK_STR(d.source, "FILESRV<20>");
    CHECK_STR(d.dest, "CORP<1d>");
    CHECK_STR(d.slot, "\\MAILSLOT\\BROWSE");
    CHECK(d.ms_opcode == 1 && d.ms_class == 2);
    CHECK(d.browser.command == 1 && d.browser.os_major == 6 && d.browser.os_minor == 1);
    CHECK(d.browser.server_type == 0x0001100b && d.browser.period_ms == 720000 && d.browser.signature == 0xaa55);
    CHECK_STR(d.browser.server, "FILESRV");
    CHECK_STR(d.browser.comment, "Files");
    CHECK(pa_nbdgm_name(m.b, m.n) == PA_P_BROWSER);
    char roles[256];
    pa_browser_roles(0x0001100b, roles, sizeof roles);
    CHECK_STR(roles, "Workstation, Server, Domain Controller, NT Workstation, Potential Browser");
    CHECK_STR(pa_browser_windows_version(5, 1), "Windows XP");
    CHECK_STR(pa_browser_windows_version(10, 0), "");

    /* the same mailslot with a Unicode name */
    pg_pkt p;
    pg_pkt_init(&p, m.b, sizeof m.b);
    dgram_head(&p, PA_NBDGM_BROADCAST, 5, "FILESRV", 0x20, "CORP", 0x1d);
    smb_trans(&p, "\\MAILSLOT\\BROWSE", true, data, n, 0);
    CHECK(pa_nbdgm_parse(m.b, p.len, &d) == PA_NBDGM_OK && d.has_browser);
    CHECK_STR(d.slot, "\\MAILSLOT\\BROWSE");

    /* which protocol each mailslot leads to */
    datagram(&m, 0x11, 6, "DC1", 0, "CORP", 0x1c, "\\MAILSLOT\\NET\\NETLOGON", (const uint8_t *)"\x07\x00", 2);
    CHECK(pa_nbdgm_name(m.b, m.n) == PA_P_SMB_NETLOGON);
    datagram(&m, 0x11, 6, "DC1", 0, "CORP", 0x1c, "\\MAILSLOT\\OTHER", (const uint8_t *)"x", 1);
    CHECK(pa_nbdgm_name(m.b, m.n) == PA_P_SMB);
    datagram(&m, 0x11, 6, "DC1", 0, "CORP", 0x1c, "\\MAILSLOT\\BROWSE", NULL, 0);
    CHECK(pa_nbdgm_name(m.b, m.n) == PA_P_SMB); /* an empty write: no browser message */
    datagram(&m, 0x10, 6, "DC1", 0, "PC", 0, NULL, (const uint8_t *)"hello", 5);
    CHECK(pa_nbdgm_name(m.b, m.n) == PA_P_NBDGM);

    /* error and query datagrams */
    static const uint8_t err[] = {0x13, 0x02, 0x00, 0x01, 10, 2, 0, 1, 0, 138, 0x82};
    CHECK(pa_nbdgm_parse(err, sizeof err, &d) == PA_NBDGM_OK && d.has_error && d.error_code == 0x82);
    pg_pkt_init(&p, m.b, sizeof m.b);
    pg_bytes(&p, err, 10);
    m.b[0] = PA_NBDGM_QUERY;
    nb_name(&p, "PRINTER", 0x20);
    CHECK(pa_nbdgm_parse(m.b, p.len, &d) == PA_NBDGM_OK && d.has_dest && !d.has_source);
    CHECK_STR(d.dest, "PRINTER<20>");

    /* other types and short headers are not datagrams */
    CHECK(pa_nbdgm_parse((const uint8_t *)"\x20\x02\x00\x01\x0a\x02\x00\x01\x00\x8a", 10, &d) == PA_NBDGM_NOT);
    CHECK(pa_nbdgm_parse(err, 9, &d) == PA_NBDGM_NOT);
    CHECK(pa_nbdgm_name(err, 0) == PA_P_NONE);
}

static void test_browser(void) {
    pa_browser_msg b;
    uint8_t data[256];
    size_t n = announce(data, PA_BROWSER_DOMAIN_ANNOUNCE, "CORP", 3, 10, 0x80001000, "PDC1");
    CHECK(pa_browser_parse(data, n, false, &b) && b.has_announce && b.has_proto_version);
    CHECK_STR(b.server, "CORP");
    CHECK_STR(b.comment, "PDC1");
    /* a workgroup announcement without the signature: 4 other bytes there */
    data[30] = 0;
    CHECK(pa_browser_parse(data, n, false, &b) && !b.has_proto_version);

    static const uint8_t election[] = {0x08, 0x01, 0x0f, 0x01, 0x0f, 0x20, 0x10, 0x27, 0,
                                       0,    0,    0,    0,    0,    'P',  'C',  '1',  0};
    CHECK(pa_browser_parse(election, sizeof election, false, &b) && b.has_election);
    CHECK(b.election_version == 1 && b.election_criteria == 0x200f010f && b.uptime_ms == 10000);
    CHECK_STR(b.server, "PC1");

    static const uint8_t lanman[] = {0x01, 0x02, 0x03, 0x02, 0x00, 0x00, 0x05, 0x00, 0x58,
                                     0x02, 'O',  'L',  'D',  0,    'h',  'i',  0};
    CHECK(pa_browser_parse(lanman, sizeof lanman, true, &b) && b.has_announce && b.lanman);
    CHECK(b.server_type == 0x0203 && b.os_major == 5 && b.os_minor == 0 && b.period_ms == 600000);
    CHECK_STR(b.server, "OLD");
    CHECK_STR(b.comment, "hi");

    static const uint8_t backup[] = {0x0a, 0x02, 1, 0, 0, 0, 'B', '1', 0, 'B', '2', 0};
    CHECK(pa_browser_parse(backup, sizeof backup, false, &b) && b.backup_count == 2 && b.backup_token == 1);
    CHECK(!pa_browser_parse(backup, sizeof backup - 1, false, &b)); /* the last name unterminated */

    /* every prefix of an announcement is refused or read as far as it goes */
    n = announce(data, PA_BROWSER_HOST_ANNOUNCE, "HOST", 6, 1, 3, "comment");
    for (size_t k = 0; k < n; k++) CHECK(!pa_browser_parse(data, k, false, &b));
    CHECK(pa_browser_parse(data, n, false, &b));
}

/* Hostile datagrams: names with pointer loops, counts past the end, a
 * data offset outside the message. */
static void test_hostile(void) {
    msg m;
    pa_nbdgm_msg d;
    uint8_t data[256];
    size_t n = announce(data, PA_BROWSER_HOST_ANNOUNCE, "X", 6, 1, 3, "");
    datagram(&m, 0x11, 7, "X", 0x20, "WG", 0x1d, "\\MAILSLOT\\BROWSE", data, n);
    for (size_t k = 0; k < m.n; k++) {
        pa_nbdgm_status s = pa_nbdgm_parse(m.b, k, &d);
        CHECK(k < 10 ? s == PA_NBDGM_NOT
                     : s == PA_NBDGM_TRUNCATED || (s == PA_NBDGM_OK && d.layer != PA_NBDGM_LAYER_BROWSER));
    }
    /* the source name a compression pointer to itself */
    m.b[14] = 0xc0;
    m.b[15] = 14;
    CHECK(pa_nbdgm_parse(m.b, m.n, &d) == PA_NBDGM_TRUNCATED && !d.has_source);
    /* the data offset past the end: SMB, not browser */
    pg_pkt p;
    pg_pkt_init(&p, m.b, sizeof m.b);
    dgram_head(&p, 0x11, 7, "X", 0x20, "WG", 0x1d);
    smb_trans(&p, "\\MAILSLOT\\BROWSE", false, data, n, 400);
    CHECK(pa_nbdgm_parse(m.b, p.len, &d) == PA_NBDGM_TRUNCATED && d.layer == PA_NBDGM_LAYER_SMB && !d.has_browser);
    /* a mailslot name with no end */
    memset(m.b, 'A', sizeof m.b);
    pg_pkt_init(&p, m.b, sizeof m.b);
    dgram_head(&p, 0x11, 7, "X", 0x20, "WG", 0x1d);
    smb_trans(&p, "\\MAILSLOT\\BROWSE", false, data, 0, 0);
    CHECK(pa_nbdgm_parse(m.b, p.len - 1, &d) == PA_NBDGM_TRUNCATED && !d.mailslot);
    /* the tables stop at their caps */
    pa_nbdgm_stats *st = calloc(1, sizeof *st);
    CHECK(st != NULL);
    if (!st) return;
    pa_packet pk;
    memset(&pk, 0, sizeof pk);
    pk.src.family = 4;
    for (uint32_t i = 0; i < PA_NBDGM_MAX_HOSTS + 5; i++) {
        char host[16];
        snprintf(host, sizeof host, "H%u", i);
        n = announce(data, PA_BROWSER_HOST_ANNOUNCE, host, 6, 1, 3, "");
        datagram(&m, 0x11, 8, host, 0x20, "WG", 0x1d, "\\MAILSLOT\\BROWSE", data, n);
        pk.frame_no = i + 1;
        CHECK(pa_nbdgm_parse(m.b, m.n, &d) == PA_NBDGM_OK);
        pa_nbdgm_message(st, &pk, &d, PA_NBDGM_OK);
    }
    CHECK(st->nhosts == PA_NBDGM_MAX_HOSTS && st->hosts_dropped == 5 && st->browser == PA_NBDGM_MAX_HOSTS + 5);
    free(st);
}

static const char *DB_A =
    "{\"version\": [2, 0], \"port\": 17500, \"host_int\": 330402624013167112717714583297153688482, "
    "\"displayname\": \"\", \"namespaces\": [2750370560, 785266177, 4810591760]}";
static const char *DB_B = "{\"host_int\": 4094514483, \"version\": [1, 8], \"displayname\": \"laptop \\\"x\\\"\", "
                          "\"port\": 17500, \"namespaces\": [20524257]}";
/* CoAP: CON PUT, token "oRM", Uri-Path "Bus17Cmd", Content-Format 50, a JSON payload */
static const uint8_t COAP[] = {0x43, 0x03, 0x35, 0x01, 'o', 'R',  'M', 0xb8, 'B', 'u', 's',
                               '1',  '7',  'C',  'm',  'd', 0x11, 50,  0xff, '{', '}'};

static void test_db_lsp_disc(void) {
    pa_db_lsp_disc_msg d;
    CHECK(pa_db_lsp_disc_parse((const uint8_t *)DB_A, strlen(DB_A), &d) == PA_DB_LSP_DISC_ANNOUNCE);
    CHECK_STR(d.host_int, "330402624013167112717714583297153688482");
    CHECK(d.has_version && d.version[0] == 2 && d.version[1] == 0 && d.port == 17500);
    CHECK(d.nnamespaces == 3 && d.namespaces[2] == 4810591760ull);
    CHECK(pa_db_lsp_disc_parse((const uint8_t *)DB_B, strlen(DB_B), &d) == PA_DB_LSP_DISC_ANNOUNCE);
    CHECK_STR(d.host_int, "4094514483");
    CHECK_STR(d.displayname, "laptop \"x\"");
    CHECK(d.version[0] == 1 && d.version[1] == 8 && d.nnamespaces == 1);
    CHECK(pa_db_lsp_disc_parse(COAP, sizeof COAP, &d) == PA_DB_LSP_DISC_COAP);
    /* an ACK with no token or options */
    CHECK(pa_db_lsp_disc_is_coap((const uint8_t *)"\x60\x44\x35\x01", 4));
    CHECK(!pa_db_lsp_disc_is_coap((const uint8_t *)"\x60\x00\x35\x01\x00", 5)); /* an empty message with bytes after */
    CHECK(!pa_db_lsp_disc_is_coap(COAP, sizeof COAP - 2)); /* the payload marker with nothing after */
    /* not announcements: no host_int, a host_int that is no number, an unclosed object, trailing bytes */
    static const char *const bad[] = {"{\"port\": 17500}",
                                      "{\"host_int\": \"12\"}",
                                      "{\"host_int\": 12",
                                      "{\"host_int\": 12} x",
                                      "",
                                      "{",
                                      "{\"host_int\": 1, \"a\": [[[[[[[[[[1]]]]]]]]]]}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(pa_db_lsp_disc_parse((const uint8_t *)bad[i], strlen(bad[i]), &d) == PA_DB_LSP_DISC_NOT);
    /* every prefix of an announcement is refused */
    for (size_t k = 0; k + 1 < strlen(DB_A); k++)
        CHECK(pa_db_lsp_disc_parse((const uint8_t *)DB_A, k, &d) != PA_DB_LSP_DISC_ANNOUNCE);
}

/* ---- MNDP ---------------------------------------------------------------- */

static void tlv(pg_pkt *p, uint16_t type, const void *v, size_t n) {
    pg_be16(p, type);
    pg_be16(p, (uint16_t)n);
    pg_bytes(p, v, n);
}

static void tlv_str(pg_pkt *p, uint16_t type, const char *s) { tlv(p, type, s, strlen(s)); }

/* A RouterOS announcement as a router sends it: every TLV Wireshark names,
 * the uptime little-endian; ipv6 false leaves out the IPv6 TLV (RouterOS 6
 * without the package). */
static size_t mndp_announce(msg *m, uint16_t seq, const uint8_t mac[6], const char *identity, const char *version,
                            const char *board, const char *ifname, uint32_t uptime, uint8_t ip_last, bool ipv6) {
    pg_pkt p;
    pg_pkt_init(&p, m->b, sizeof m->b);
    pg_be16(&p, 0);
    pg_be16(&p, seq);
    tlv(&p, PA_MNDP_T_MAC, mac, 6);
    tlv_str(&p, PA_MNDP_T_IDENTITY, identity);
    tlv_str(&p, PA_MNDP_T_VERSION, version);
    tlv_str(&p, PA_MNDP_T_PLATFORM, "MikroTik");
    pg_be16(&p, PA_MNDP_T_UPTIME);
    pg_be16(&p, 4);
    le32(&p, uptime);
    tlv_str(&p, PA_MNDP_T_SOFTWAREID, "7XJ2-QK4D");
    tlv_str(&p, PA_MNDP_T_BOARD, board);
    tlv(&p, PA_MNDP_T_UNPACK, "\x01", 1);
    if (ipv6) {
        const uint8_t ll[16] = {0xfe,       0x80,   0,      0,    0,    0,      0,      0,
                                mac[0] ^ 2, mac[1], mac[2], 0xff, 0xfe, mac[3], mac[4], mac[5]};
        tlv(&p, PA_MNDP_T_IPV6, ll, 16);
    }
    tlv_str(&p, PA_MNDP_T_INTERFACE, ifname);
    tlv(&p, PA_MNDP_T_IPV4, (const uint8_t[]){10, 2, 0, ip_last}, 4);
    m->n = p.len;
    return p.len;
}

static const uint8_t MAC_R1[6] = {0x4c, 0x5e, 0x0c, 0x12, 0x34, 0x56}, MAC_R2[6] = {0xdc, 0x2c, 0x6e, 0xab, 0xcd, 0xef};

static void test_mndp(void) {
    msg m;
    pa_mndp_msg d;
    mndp_announce(&m, 3, MAC_R1, "core-router", "7.12.1 (stable)", "RB4011iGS+", "bridge/ether2", 93784, 1, true);
    CHECK(pa_mndp_parse(m.b, m.n, &d) && !d.truncated && d.ntlvs == 11 && d.seqno == 3);
    CHECK(d.has_mac && memcmp(d.mac, MAC_R1, 6) == 0 && d.has_uptime && d.uptime == 93784);
    CHECK(d.has_ipv4 && d.ipv4[3] == 1 && d.has_ipv6 && d.ipv6[0] == 0xfe && d.ipv6[8] == 0x4e);
    CHECK_STR(d.identity, "core-router");
    CHECK_STR(d.version, "7.12.1 (stable)");
    CHECK_STR(d.platform, "MikroTik");
    CHECK_STR(d.board, "RB4011iGS+");
    CHECK_STR(d.ifname, "bridge/ether2");
    CHECK_STR(d.softwareid, "7XJ2-QK4D");
    /* cut inside a TLV: what fits is read, the rest flagged */
    CHECK(pa_mndp_parse(m.b, 20, &d) && d.truncated && d.has_mac && !d.identity[0]);
    /* tshark's test: 8 bytes at least, the first TLV's type and length below 256 */
    CHECK(!pa_mndp_parse(m.b, 7, &d) && !pa_mndp_looks(NULL, 0));
    CHECK(!pa_mndp_looks((const uint8_t *)"\0\0\0\0", 4)); /* a discovery request: the header alone */
    CHECK(!pa_mndp_looks((const uint8_t *)"\0\0\0\1\1\0\0\6", 8));
    CHECK(!pa_mndp_looks((const uint8_t *)"\0\0\0\1\0\1\1\6", 8));
    CHECK(pa_mndp_parse((const uint8_t *)"\0\0\0\1\0\5\0\0", 8, &d) && d.ntlvs == 1 && !d.truncated);
    /* hostile: wrong sizes for fixed values, a string with a NUL and control bytes, a length past the end */
    static const uint8_t odd[] = {0, 0, 0,  9, 0, 1, 0, 4, 1, 2,   3, 4,   0, 10,  0, 2, 1,    0,    0,  17,
                                  0, 3, 10, 2, 0, 0, 5, 0, 5, 'a', 1, 'b', 0, 'c', 0, 7, 0xff, 0xff, 'x'};
    CHECK(pa_mndp_parse(odd, sizeof odd, &d) && d.truncated && d.ntlvs == 4);
    CHECK(!d.has_mac && !d.has_uptime && !d.has_ipv4);
    CHECK_STR(d.identity, "a?b");
    /* every prefix parses without reading past it */
    mndp_announce(&m, 3, MAC_R1, "core-router", "7.12.1 (stable)", "RB4011iGS+", "bridge/ether2", 93784, 1, true);
    for (size_t k = 0; k <= m.n; k++) CHECK(pa_mndp_parse(m.b, k, &d) == (k >= 8));
    /* the device table: one row per (address, MAC), capped */
    pa_mndp_stats *st = calloc(1, sizeof *st);
    if (!st) return;
    pa_packet pk;
    memset(&pk, 0, sizeof pk);
    pk.src.family = 4;
    for (uint32_t i = 0; i < PA_MNDP_MAX_DEVICES + 3; i++) {
        pk.frame_no = i + 1;
        pk.src.b[3] = (uint8_t)i;
        pk.src.b[2] = (uint8_t)(i >> 8);
        CHECK(pa_mndp_parse(m.b, m.n, &d));
        pa_mndp_message(st, &pk, &d);
        pa_mndp_message(st, &pk, &d);
    }
    CHECK(st->ndevices == PA_MNDP_MAX_DEVICES && st->devices_dropped == 6 && st->devices[0].announcements == 2);
    free(st);
}

/* ---- SLP ------------------------------------------------------------------ */

static void slp_str(pg_pkt *p, const char *s) {
    pg_be16(p, (uint16_t)strlen(s));
    pg_bytes(p, s, strlen(s));
}

static void slp_url(pg_pkt *p, const char *url, uint16_t lifetime) {
    pg_u8(p, 0);
    pg_be16(p, lifetime);
    slp_str(p, url);
    pg_u8(p, 0); /* no authentication blocks */
}

/* A version 2 header (RFC 2608 8) before a body of bn bytes. */
static size_t slp2(msg *m, uint8_t function, uint16_t flags, uint16_t xid, const uint8_t *body, size_t bn) {
    pg_pkt p;
    pg_pkt_init(&p, m->b, sizeof m->b);
    size_t n = 16 + bn;
    pg_u8(&p, 2);
    pg_u8(&p, function);
    pg_u8(&p, (uint8_t)(n >> 16));
    pg_be16(&p, (uint16_t)n);
    pg_be16(&p, flags);
    pg_fill(&p, 0, 3);
    pg_be16(&p, xid);
    slp_str(&p, "en");
    pg_bytes(&p, body, bn);
    m->n = p.len;
    return p.len;
}

/* Bodies of the version 2 messages an OpenSLP agent and its clients send. */
static size_t slp_body(uint8_t *b, size_t cap, uint8_t function) {
    pg_pkt p;
    pg_pkt_init(&p, b, cap);
    switch (function) {
    case PA_SRVLOC_SRVRQST:
        slp_str(&p, "");
        slp_str(&p, "service:printer:lpr");
        slp_str(&p, "DEFAULT");
        slp_str(&p, "");
        slp_str(&p, "");
        break;
    case PA_SRVLOC_SRVRPLY:
        pg_be16(&p, 0);
        pg_be16(&p, 2);
        slp_url(&p, "service:printer:lpr://10.2.0.20/queue1", 10800);
        slp_url(&p, "service:printer:lpr://10.2.0.21/q", 600);
        break;
    case PA_SRVLOC_SRVREG:
        slp_url(&p, "service:wbem:https://10.2.0.30:5989", 10800);
        slp_str(&p, "service:wbem");
        slp_str(&p, "DEFAULT");
        slp_str(&p, "(template-type=wbem)");
        pg_u8(&p, 0);
        break;
    case PA_SRVLOC_SRVACK: pg_be16(&p, 0); break;
    case PA_SRVLOC_DAADVERT:
        pg_be16(&p, 0);
        pg_be32(&p, 1700000000);
        slp_str(&p, "service:directory-agent://10.2.0.40");
        slp_str(&p, "DEFAULT,corp");
        slp_str(&p, "");
        slp_str(&p, "");
        pg_u8(&p, 0);
        break;
    case PA_SRVLOC_SRVTYPERQST:
        slp_str(&p, "");
        pg_be16(&p, 0xFFFF);
        slp_str(&p, "DEFAULT");
        break;
    case PA_SRVLOC_SRVTYPERPLY:
        pg_be16(&p, 0);
        slp_str(&p, "service:printer:lpr,service:wbem");
        break;
    case PA_SRVLOC_SAADVERT:
        slp_str(&p, "service:service-agent://10.2.0.30");
        slp_str(&p, "DEFAULT");
        slp_str(&p, "");
        pg_u8(&p, 0);
        break;
    default: break;
    }
    return p.len;
}

/* A version 1 SrvRqst (RFC 2165 4): 12-byte header, a predicate string. */
static const uint8_t SLP1[] = {1, 1, 0, 16, 0, 0, 'e', 'n', 0, 3, 0, 0x55, 0, 2, 'x', '/'};

static void test_srvloc(void) {
    msg m;
    uint8_t body[512];
    pa_srvloc_msg d;
    size_t bn = slp_body(body, sizeof body, PA_SRVLOC_SRVRPLY);
    slp2(&m, PA_SRVLOC_SRVRPLY, 0, 0x1234, body, bn);
    CHECK(pa_srvloc_parse(m.b, m.n, &d) && d.version == 2 && d.body && d.length == m.n && d.xid == 0x1234);
    CHECK(d.nurls == 2 && d.urls[1].lifetime == 600 && d.has_error && d.error == 0);
    CHECK_STR(d.urls[0].url, "service:printer:lpr://10.2.0.20/queue1");
    CHECK_STR(d.lang, "en");
    CHECK_STR(pa_srvloc_function_name(d.function), "SrvRply");
    /* every prefix: the length no longer agrees */
    for (size_t k = 0; k < m.n; k++) CHECK(!pa_srvloc_parse(m.b, k, &d));
    /* a body cut short inside its length: the header names it, the body is not read */
    m.b[4] = (uint8_t)(m.n - 3);
    CHECK(pa_srvloc_parse(m.b, m.n - 3, &d) && !d.body);
    /* a URL count past the entries */
    bn = slp_body(body, sizeof body, PA_SRVLOC_SRVRPLY);
    body[3] = 3;
    slp2(&m, PA_SRVLOC_SRVRPLY, 0, 1, body, bn);
    CHECK(pa_srvloc_parse(m.b, m.n, &d) && !d.body);
    bn = slp_body(body, sizeof body, PA_SRVLOC_SRVREG);
    slp2(&m, PA_SRVLOC_SRVREG, 0x4000, 2, body, bn);
    CHECK(pa_srvloc_parse(m.b, m.n, &d) && d.body && d.nurls == 1 && d.flags == 0x4000);
    CHECK_STR(d.srvtype, "service:wbem");
    CHECK_STR(d.scopes, "DEFAULT");
    /* hostile: a language tag of other bytes, another version, a function past 11, a length that disagrees */
    slp2(&m, PA_SRVLOC_SRVREG, 0, 2, body, bn);
    m.b[14] = '{';
    CHECK(!pa_srvloc_parse(m.b, m.n, &d));
    slp2(&m, PA_SRVLOC_SRVREG, 0, 2, body, bn);
    m.b[0] = 3;
    CHECK(!pa_srvloc_parse(m.b, m.n, &d));
    m.b[0] = 2;
    m.b[1] = 12;
    CHECK(!pa_srvloc_parse(m.b, m.n, &d));
    m.b[1] = 3;
    CHECK(!pa_srvloc_parse(m.b, m.n - 1, &d) && pa_srvloc_parse(m.b, m.n, &d));
    CHECK(!pa_srvloc_parse((const uint8_t *)"GET / HTTP/1.0\r\n\r\n", 18, &d));
    CHECK(pa_srvloc_parse(SLP1, sizeof SLP1, &d) && d.version == 1 && d.xid == 0x55 && d.encoding == 3 && !d.body);
    CHECK(!pa_srvloc_parse(SLP1, sizeof SLP1 - 1, &d));
    /* the services table: one row per URL, capped */
    pa_srvloc_stats *st = calloc(1, sizeof *st);
    if (!st) return;
    pa_packet pk;
    memset(&pk, 0, sizeof pk);
    pk.src.family = 4;
    memset(&d, 0, sizeof d);
    d.version = 2;
    d.function = PA_SRVLOC_SRVRPLY;
    d.body = true;
    d.nurls = 1;
    for (uint32_t i = 0; i < PA_SRVLOC_MAX_SERVICES + 4; i++) {
        snprintf(d.urls[0].url, sizeof d.urls[0].url, "service:x://10.9.%u.%u", i >> 8, i & 255);
        pk.frame_no = i + 1;
        pa_srvloc_message(st, &pk, &d);
        pa_srvloc_message(st, &pk, &d);
    }
    CHECK(st->nservices == PA_SRVLOC_MAX_SERVICES && st->services_dropped == 8 && st->services[0].seen == 2);
    CHECK(st->functions[PA_SRVLOC_SRVRPLY] == 2 * (PA_SRVLOC_MAX_SERVICES + 4));
    free(st);
}

/* ---- the capture -------------------------------------------------------- */

#define T0 1700000000

static int put(pg_writer *w, int sec, uint8_t src, uint8_t dst, uint16_t sport, uint16_t dport, const void *b,
               size_t n) {
    pg_udp_ep s = {4, {10, 2, 0, src}, sport}, d = {4, {10, 2, 0, dst}, dport};
    return pg_write_udp(w, (pg_ts){(uint64_t)(T0 + sec), 0}, &s, &d, b, n);
}

/* 17 frames: every browser command tshark reads, the other mailslots,
 * datagrams of every type, Dropbox announcements and CoAP on 17500. */
static bool write_capture(const char *path) {
    pg_writer *w;
    if (pg_open(&w, path, NULL)) return false;
    int e = 0, t = 0;
    msg m;
    uint8_t data[256];
    size_t n;
#define DGRAM(type, src, from, ft, to, tt, slot, bytes, len)                                                           \
    do {                                                                                                               \
        datagram(&m, type, src, from, ft, to, tt, slot, bytes, len);                                                   \
        e |= put(w, t++, src, 255, 138, 138, m.b, m.n);                                                                \
    } while (0)
    n = announce(data, PA_BROWSER_HOST_ANNOUNCE, "FILESRV", 6, 1, 0x0001100b, "Files");
    DGRAM(0x11, 5, "FILESRV", 0x20, "CORP", 0x1d, "\\MAILSLOT\\BROWSE", data, n);
    n = announce(data, PA_BROWSER_LOCAL_MASTER_ANNOUNCE, "MASTER", 5, 2, 0x00051203, "");
    DGRAM(0x11, 6, "MASTER", 0x20, "CORP", 0x1e, "\\MAILSLOT\\BROWSE", data, n);
    n = announce(data, PA_BROWSER_DOMAIN_ANNOUNCE, "CORP", 3, 10, 0x80001000, "MASTER");
    DGRAM(0x11, 6, "MASTER", 0x00, "\x01\x02__MSBROWSE__\x02", 0x01, "\\MAILSLOT\\BROWSE", data, n);
    static const uint8_t election[] = {0x08, 0x01, 0x0f, 0x01, 0x0f, 0x20, 0x10, 0x27, 0,
                                       0,    0,    0,    0,    0,    'P',  'C',  '1',  0};
    DGRAM(0x11, 7, "PC1", 0x00, "CORP", 0x1e, "\\MAILSLOT\\BROWSE", election, sizeof election);
    static const uint8_t request[] = {0x02, 0x00, 'P', 'C', '1', 0};
    DGRAM(0x11, 7, "PC1", 0x00, "CORP", 0x1e, "\\MAILSLOT\\BROWSE", request, sizeof request);
    static const uint8_t backup_req[] = {0x09, 0x04, 0x01, 0, 0, 0};
    DGRAM(0x11, 7, "PC1", 0x00, "CORP", 0x1d, "\\MAILSLOT\\BROWSE", backup_req, sizeof backup_req);
    static const uint8_t backup_resp[] = {0x0a, 0x01, 0x01, 0, 0, 0, 'M', 'A', 'S', 'T', 'E', 'R', 0};
    DGRAM(0x10, 6, "MASTER", 0x00, "PC1", 0x00, "\\MAILSLOT\\BROWSE", backup_resp, sizeof backup_resp);
    static const uint8_t master[] = {0x0d, 'M', 'A', 'S', 'T', 'E', 'R', 0};
    DGRAM(0x10, 6, "MASTER", 0x00, "PDC1", 0x1b, "\\MAILSLOT\\BROWSE", master, sizeof master);
    static const uint8_t become[] = {0x0b, 'P', 'C', '1', 0};
    DGRAM(0x10, 6, "MASTER", 0x00, "PC1", 0x00, "\\MAILSLOT\\BROWSE", become, sizeof become);
    static const uint8_t lanman[] = {0x01, 0x02, 0x03, 0x02, 0x00, 0x00, 0x05, 0x00, 0x58,
                                     0x02, 'O',  'L',  'D',  0,    'h',  'i',  0};
    DGRAM(0x11, 8, "OLD", 0x20, "CORP", 0x00, "\\MAILSLOT\\LANMAN", lanman, sizeof lanman);
    static const uint8_t netlogon[] = {0x07, 0x00, 'P', 'C', '1', 0, 0, 0};
    DGRAM(0x11, 7, "PC1", 0x00, "CORP", 0x1c, "\\MAILSLOT\\NET\\NETLOGON", netlogon, sizeof netlogon);
    DGRAM(0x11, 7, "PC1", 0x00, "CORP", 0x1c, "\\MAILSLOT\\OTHER", (const uint8_t *)"x", 1);
    DGRAM(0x12, 7, "PC1", 0x00, "*", 0x00, NULL, (const uint8_t *)"plain", 5);
    static const uint8_t err[] = {0x13, 0x02, 0x00, 0x01, 10, 2, 0, 1, 0, 138, 0x82};
    e |= put(w, t++, 1, 7, 138, 138, err, sizeof err);
    e |= put(w, t++, 9, 255, 17500, 17500, DB_A, strlen(DB_A));
    e |= put(w, t++, 10, 255, 17500, 17500, DB_B, strlen(DB_B));
    e |= put(w, t++, 11, 12, 50311, 17500, COAP, sizeof COAP);
    /* MNDP: two routers announcing (one twice, one without IPv6), a discovery
     * request (4 bytes: not MNDP for tshark), a datagram on 5678 that fails
     * tshark's test, a truncated announcement */
    mndp_announce(&m, 0x0101, MAC_R1, "core-router", "7.12.1 (stable) 2023-11-17 11:24:12", "RB4011iGS+",
                  "bridge/ether2", 93784, 1, true);
    e |= put(w, t++, 1, 255, 5678, 5678, m.b, m.n);
    mndp_announce(&m, 0x0102, MAC_R1, "core-router", "7.12.1 (stable) 2023-11-17 11:24:12", "RB4011iGS+",
                  "bridge/ether2", 93844, 1, true);
    e |= put(w, t++, 1, 255, 5678, 5678, m.b, m.n);
    mndp_announce(&m, 0x0007, MAC_R2, "ap-floor2", "6.49.10 (long-term)", "RBcAPGi-5acD2nD", "ether1", 4000123, 2,
                  false);
    e |= put(w, t++, 2, 255, 5678, 5678, m.b, m.n);
    e |= put(w, t++, 13, 255, 40123, 5678, "\0\0\0\0", 4);
    e |= put(w, t++, 13, 255, 40123, 5678, "hello world\n", 12);
    e |= put(w, t++, 2, 255, 5678, 5678, m.b, 41);
    /* SLP: a user agent's multicast request and a service agent's reply, a
     * registration with its acknowledgement, agents' advertisements, service
     * types asked and answered, a version 1 request */
    static const struct {
        uint8_t function, src, dst;
        uint16_t flags;
    } slp[] = {{PA_SRVLOC_SRVRQST, 50, 253, 0x2000}, {PA_SRVLOC_SRVRPLY, 30, 50, 0},
               {PA_SRVLOC_SRVREG, 30, 40, 0x4000},   {PA_SRVLOC_SRVACK, 40, 30, 0},
               {PA_SRVLOC_DAADVERT, 40, 253, 0},     {PA_SRVLOC_SAADVERT, 30, 50, 0},
               {PA_SRVLOC_SRVTYPERQST, 50, 40, 0},   {PA_SRVLOC_SRVTYPERPLY, 40, 50, 0}};
    for (size_t i = 0; i < sizeof slp / sizeof slp[0]; i++) {
        size_t bn = slp_body(data, sizeof data, slp[i].function);
        slp2(&m, slp[i].function, slp[i].flags, (uint16_t)(0x0100 + i / 2), data, bn);
        bool req = slp[i].dst == 253 || slp[i].function == PA_SRVLOC_SRVREG || slp[i].function == PA_SRVLOC_SRVTYPERQST;
        e |= put(w, t++, slp[i].src, slp[i].dst, req ? (uint16_t)(41000 + i) : 427,
                 req ? 427 : (uint16_t)(41000 + i - 1), m.b, m.n);
    }
    e |= put(w, t++, 51, 40, 41100, 427, SLP1, sizeof SLP1);
#undef DGRAM
    return pg_close(w) == 0 && e == 0;
}

static pa_registry reg;
static pa_config cfg;

static json_t *row_named(json_t *rows, const char *key, const char *value) {
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        const char *v = json_string_value(json_object_get(r, key));
        if (v && strcmp(v, value) == 0) return r;
    }
    return NULL;
}

static long long geti(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static void test_tool(const char *dir) {
    pa_tools_state *state = kit_tools(&reg, &cfg, dir);
    CHECK(state != NULL);
    if (!state) return;
    pa_tool_result r;
    json_t *s = kit_call(&reg, &cfg, state, "analyze_network_topology", "{\"pcap_file\":\"landisc.pcap\"}", &r);
    CHECK(s != NULL);
    /* two host announcements (one a local master), the LANMAN one; one workgroup; one election */
    CHECK(geti(s, "browser_announcements") == 4 && geti(s, "browser_elections_requests") == 1);
    json_t *hosts = json_object_get(s, "browser_hosts");
    CHECK(json_array_size(hosts) == 3);
    json_t *fs = row_named(hosts, "name", "FILESRV"), *ms = row_named(hosts, "name", "MASTER");
    CHECK(fs && ms);
    if (fs && ms) {
        CHECK_STR(json_string_value(json_object_get(fs, "workgroup")), "CORP");
        CHECK_STR(json_string_value(json_object_get(fs, "windows_version")), "Windows 7 or Windows Server 2008 R2");
        CHECK_STR(json_string_value(json_array_get(json_object_get(fs, "roles"), 2)), "Domain Controller");
        CHECK(json_is_true(json_object_get(ms, "local_master")) && geti(ms, "server_type") == 0x00051203);
    }
    json_t *wg = row_named(json_object_get(s, "workgroups"), "name", "CORP");
    CHECK(wg && json_array_size(json_object_get(s, "workgroups")) == 1);
    if (wg) CHECK_STR(json_string_value(json_object_get(wg, "master_browser")), "MASTER");
    json_t *el = row_named(json_object_get(s, "browser_elections"), "name", "PC1");
    CHECK(el && geti(el, "criteria") == 0x200f010f);
    json_t *db = json_object_get(s, "dropbox_lan_sync");
    CHECK(json_array_size(db) == 2);
    json_t *a = row_named(db, "host_int", "4094514483");
    CHECK(a && geti(a, "namespaces") == 1);
    if (a) CHECK_STR(json_string_value(json_object_get(a, "version")), "1.8");
    /* ap-floor2's truncated announcement updates its row and keeps the board it no longer holds */
    json_t *mt = json_object_get(s, "mikrotik_neighbours");
    CHECK(json_array_size(mt) == 2);
    json_t *r1 = row_named(mt, "identity", "core-router"), *r2 = row_named(mt, "identity", "ap-floor2");
    CHECK(r1 && geti(r1, "announcements") == 2 && geti(r1, "uptime") == 93844);
    CHECK(r2 && geti(r2, "announcements") == 2 && geti(r2, "uptime") == 4000123);
    if (r1) CHECK_STR(json_string_value(json_object_get(r1, "mac")), "4c:5e:0c:12:34:56");
    if (r2) CHECK_STR(json_string_value(json_object_get(r2, "board")), "RBcAPGi-5acD2nD");
    /* SLP: two URLs of the reply, the registered one, the two agents' */
    json_t *sl = json_object_get(s, "slp_services");
    CHECK(json_array_size(sl) == 5);
    json_t *u1 = row_named(sl, "url", "service:printer:lpr://10.2.0.21/q");
    CHECK(u1 && geti(u1, "lifetime") == 600);
    if (u1) CHECK_STR(json_string_value(json_object_get(u1, "message")), "SrvRply");
    json_t *da = row_named(sl, "url", "service:directory-agent://10.2.0.40");
    if (da) CHECK_STR(json_string_value(json_object_get(da, "address")), "10.2.0.40");
    CHECK(da != NULL);
    pa_tool_result_free(&r);
    pa_tools_state_free(state);
    pa_registry_free(&reg);
}

int main(int argc, char **argv) {
    test_nbdgm();
    test_browser();
    test_hostile();
    test_db_lsp_disc();
    test_mndp();
    test_srvloc();
    char path[1200];
    const char *dir = kit_capture_path(argc, argv, "landisc_gen", "landisc.pcap", path, sizeof path);
    CHECK(write_capture(path));
    test_tool(dir);
    return check_done("landisc");
}
