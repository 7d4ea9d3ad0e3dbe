/* Local name resolution: the NBNS parser (first-level names with their
 * type, scopes, compression, NB entries; truncated, looping and garbage
 * messages), the SSDP parser (M-SEARCH, NOTIFY, a search response; header
 * lines beyond the cap, a head without its blank line, oversized lines),
 * the NBNS analyzer's feed and the table of names (askers, answerers and
 * their addresses, unanswered names, several answerers, caps). The
 * comparison with tshark on real captures is tests/corpus/compare_names.mjs. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "nbns_analyzer.h"
#include "ssdp_parse.h"

/* ---- NBNS ------------------------------------------------------------------ */

typedef struct msg {
    uint8_t b[1024];
    size_t n;
} msg;

static void put(msg *m, const void *p, size_t n) {
    memcpy(m->b + m->n, p, n);
    m->n += n;
}
static void be16(msg *m, uint16_t v) { put(m, (uint8_t[]){(uint8_t)(v >> 8), (uint8_t)v}, 2); }
static void be32(msg *m, uint32_t v) { be16(m, (uint16_t)(v >> 16)), be16(m, (uint16_t)v); }

/* A NetBIOS name, space-padded to 15, then its type, first-level encoded. */
static void nb_name(msg *m, const char *name, uint8_t type) {
    uint8_t raw[16];
    memset(raw, ' ', 15);
    memcpy(raw, name, strlen(name));
    raw[15] = type;
    uint8_t enc[33];
    enc[0] = 32;
    for (int i = 0; i < 16; i++)
        enc[1 + 2 * i] = (uint8_t)('A' + (raw[i] >> 4)), enc[2 + 2 * i] = (uint8_t)('A' + (raw[i] & 15));
    put(m, enc, 33);
}

static void header(msg *m, uint16_t id, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar) {
    m->n = 0;
    be16(m, id), be16(m, flags), be16(m, qd), be16(m, an), be16(m, ns), be16(m, ar);
}

static void nb_record(msg *m, uint16_t nbflags, const uint8_t ip[4]) {
    be16(m, 0x20), be16(m, 1), be32(m, 300000), be16(m, 6), be16(m, nbflags);
    put(m, ip, 4);
}

static const uint8_t IP1[4] = {192, 168, 1, 23}, IP2[4] = {192, 168, 1, 66};

static void test_nbns_parse(void) {
    msg m;
    pa_nbns_msg out;
    /* a broadcast name query for WORKGROUP<1d> */
    header(&m, 0x1234, 0x0110, 1, 0, 0, 0);
    nb_name(&m, "WORKGROUP", 0x1d), put(&m, "\0", 1), be16(&m, 0x20), be16(&m, 1);
    CHECK(pa_nbns_parse(m.b, m.n, &out) == PA_NBNS_OK);
    CHECK(out.id == 0x1234 && !out.response && out.opcode == 0 && out.broadcast && out.nrr == 1);
    CHECK_STR(out.rr[0].name, "WORKGROUP<1d>");
    CHECK(out.rr[0].suffix == 0x1d && out.rr[0].type == 0x20 && out.rr[0].section == 0);
    CHECK_STR(pa_nbns_suffix_name(0x1d), "Master Browser backup");
    CHECK_STR(pa_nbns_suffix_name(0x77), "Unknown");
    /* a positive response with two NB entries (one a group), the name with a scope */
    header(&m, 0x1234, 0x8500, 0, 1, 0, 0);
    nb_name(&m, "WPAD", 0x00),
        put(&m,
            "\x04"
            "corp",
            6),
        be16(&m, 0x20), be16(&m, 1), be32(&m, 0), be16(&m, 12);
    be16(&m, 0x0000), put(&m, IP1, 4), be16(&m, 0x8000), put(&m, IP2, 4);
    CHECK(pa_nbns_parse(m.b, m.n, &out) == PA_NBNS_OK);
    CHECK(out.response && out.rcode == 0 && out.nrr == 1);
    CHECK_STR(out.rr[0].name, "WPAD<00>.corp");
    CHECK(out.rr[0].naddrs == 2 && memcmp(out.rr[0].addrs[1], IP2, 4) == 0 && out.rr[0].nb_flags[1] == 0x8000);
    /* a registration whose additional record points back at the question's name */
    header(&m, 7, 0x2910, 1, 0, 0, 1);
    nb_name(&m, "HOST-23", 0x20), put(&m, "\0", 1), be16(&m, 0x20), be16(&m, 1);
    be16(&m, 0xC00C), nb_record(&m, 0x6000, IP1);
    CHECK(pa_nbns_parse(m.b, m.n, &out) == PA_NBNS_OK);
    CHECK(out.opcode == PA_NBNS_REGISTRATION && out.nrr == 2 && out.rr[1].section == 3);
    CHECK_STR(out.rr[1].name, "HOST-23<20>");
    CHECK(out.rr[1].ttl == 300000 && memcmp(out.rr[1].addrs[0], IP1, 4) == 0);
    /* a name with a byte that is not printable: shown as <xx>, as Wireshark shows it */
    header(&m, 8, 0x0110, 1, 0, 0, 0);
    nb_name(&m, "A\x01", 0x00), put(&m, "\0", 1), be16(&m, 0x20), be16(&m, 1);
    CHECK(pa_nbns_parse(m.b, m.n, &out) == PA_NBNS_OK);
    CHECK_STR(out.rr[0].name, "A<01><00>");
}

static void test_nbns_hostile(void) {
    msg m;
    pa_nbns_msg out;
    CHECK(pa_nbns_parse((const uint8_t *)"\x12\x34\x01", 3, &out) == PA_NBNS_SHORT);
    /* a question cut in its name, then in its type */
    header(&m, 1, 0x0110, 1, 0, 0, 0);
    nb_name(&m, "CUT", 0), put(&m, "\0", 1), be16(&m, 0x20), be16(&m, 1);
    for (size_t cut = 13; cut < m.n; cut++) CHECK(pa_nbns_parse(m.b, cut, &out) == PA_NBNS_TRUNCATED && out.nrr == 0);
    /* a pointer to itself, and one forward: refused */
    header(&m, 1, 0x0110, 1, 0, 0, 0);
    be16(&m, 0xC00C), be16(&m, 0x20), be16(&m, 1);
    CHECK(pa_nbns_parse(m.b, m.n, &out) == PA_NBNS_TRUNCATED);
    header(&m, 1, 0x0110, 1, 0, 0, 0);
    be16(&m, 0xC020), be16(&m, 0x20), be16(&m, 1);
    CHECK(pa_nbns_parse(m.b, m.n, &out) == PA_NBNS_TRUNCATED);
    /* a label that is not first-level encoding, and one too short: Wireshark's texts, type -1 */
    header(&m, 1, 0x0110, 2, 0, 0, 0);
    put(&m,
        "\x04"
        "abcd\0",
        6),
        be16(&m, 0x20), be16(&m, 1);
    put(&m,
        "\x04"
        "ABCD\0",
        6),
        be16(&m, 0x20), be16(&m, 1);
    CHECK(pa_nbns_parse(m.b, m.n, &out) == PA_NBNS_OK && out.nrr == 2);
    CHECK(out.rr[0].suffix == -1 && out.rr[1].suffix == -1);
    CHECK_STR(out.rr[0].name, "Illegal NetBIOS name (1st character not between A and Z in first-level encoding)");
    CHECK_STR(out.rr[1].name, "Illegal NetBIOS name (2 bytes long)");
    /* counts far beyond the message: what is there is read, the rest is damage */
    header(&m, 1, 0x0110, 0xFFFF, 0xFFFF, 0, 0);
    nb_name(&m, "ONE", 0), put(&m, "\0", 1), be16(&m, 0x20), be16(&m, 1);
    CHECK(pa_nbns_parse(m.b, m.n, &out) == PA_NBNS_TRUNCATED && out.nrr == 1);
    /* more records than kept: the parse stops at the cap, without damage */
    header(&m, 1, 0x0110, PA_NBNS_MAX_RR + 5, 0, 0, 0);
    for (int i = 0; i < PA_NBNS_MAX_RR + 5; i++)
        put(&m,
            "\x02"
            "AA\0",
            4),
            be16(&m, 0x20), be16(&m, 1);
    CHECK(pa_nbns_parse(m.b, m.n, &out) == PA_NBNS_OK && out.nrr == PA_NBNS_MAX_RR);
    /* random bytes never read out of bounds (ASan) and always end */
    uint8_t junk[300];
    unsigned seed = 7;
    for (int round = 0; round < 2000; round++) {
        for (size_t i = 0; i < sizeof junk; i++) junk[i] = (uint8_t)((seed = seed * 1103515245u + 12345u) >> 16);
        (void)pa_nbns_parse(junk, (size_t)(seed % sizeof junk), &out);
        CHECK(out.nrr <= PA_NBNS_MAX_RR);
    }
}

/* ---- SSDP ------------------------------------------------------------------ */

static bool eq(pa_ssdp_str s, const char *want) { return s.n == strlen(want) && memcmp(s.p, want, s.n) == 0; }

static void test_ssdp(void) {
    pa_ssdp_msg m;
    const char *notify = "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=1800\r\n"
                         "LOCATION: http://192.168.1.23:49152/desc.xml\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n"
                         "SERVER: Linux/5.4 UPnP/1.0 MiniUPnPd/2.2\r\nUSN: uuid:1234::upnp:rootdevice\r\n\r\n";
    CHECK(pa_ssdp_parse((const uint8_t *)notify, strlen(notify), &m));
    CHECK(m.request && eq(m.method, "NOTIFY") && eq(m.uri, "*") && m.nlines == 7);
    CHECK(eq(m.host, "239.255.255.250:1900") && eq(m.cache_control, "max-age=1800") && eq(m.nt, "upnp:rootdevice"));
    CHECK(eq(m.nts, "ssdp:alive") && eq(m.usn, "uuid:1234::upnp:rootdevice") &&
          eq(m.location, "http://192.168.1.23:49152/desc.xml"));
    CHECK(eq(m.server, "Linux/5.4 UPnP/1.0 MiniUPnPd/2.2") && eq(m.lines[0], "HOST: 239.255.255.250:1900\r\n"));
    const char *resp = "HTTP/1.1 200 OK\r\nst: urn:schemas-upnp-org:device:MediaRenderer:1\r\nusn:uuid:9\r\n"
                       "Location:   http://x/d.xml\r\n\r\nbody";
    CHECK(pa_ssdp_parse((const uint8_t *)resp, strlen(resp), &m));
    CHECK(!m.request && m.status == 200 && eq(m.st, "urn:schemas-upnp-org:device:MediaRenderer:1"));
    CHECK(eq(m.usn, "uuid:9") && eq(m.location, "http://x/d.xml") && m.nlines == 3);
    /* a head without its blank line, the last line without its end (tshark reads it too) */
    const char *cut = "M-SEARCH * HTTP/1.1\r\nST: ssdp:all\r\nMX: 2";
    CHECK(pa_ssdp_parse((const uint8_t *)cut, strlen(cut), &m) && m.nlines == 2 && eq(m.lines[1], "MX: 2"));
    CHECK(eq(m.st, "ssdp:all"));
    /* not SSDP: a lower-case method, no version, a binary start */
    CHECK(!pa_ssdp_parse((const uint8_t *)"notify * HTTP/1.1\r\n", 19, &m));
    CHECK(!pa_ssdp_parse((const uint8_t *)"NOTIFY *\r\n", 10, &m));
    CHECK(!pa_ssdp_parse((const uint8_t *)"\x00\x01\x02", 3, &m));
    CHECK(!pa_ssdp_parse((const uint8_t *)"HTTP/1.1 2x0 OK\r\n", 17, &m));
    /* hostile: 200 header lines (64 kept, the rest counted), one header of 60000 bytes */
    size_t cap = 70000, n = 0;
    char *big = malloc(cap);
    n += (size_t)snprintf(big + n, cap - n, "NOTIFY * HTTP/1.1\r\n");
    for (int i = 0; i < 200; i++) n += (size_t)snprintf(big + n, cap - n, "X-%d: y\r\n", i);
    n += (size_t)snprintf(big + n, cap - n, "SERVER: ");
    memset(big + n, 'S', 60000);
    n += 60000;
    memcpy(big + n, "\r\n\r\n", 4);
    n += 4;
    CHECK(pa_ssdp_parse((const uint8_t *)big, n, &m));
    CHECK(m.nlines == PA_SSDP_MAX_LINES && m.more_lines == 137 && m.server.n == 60000);
    free(big);
}

/* ---- the table ------------------------------------------------------------- */

static pa_packet from(const uint8_t ip[4], uint64_t frame, const uint8_t *payload, size_t n) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = PA_P_UDP;
    p.app = PA_P_NBNS;
    p.src.family = 4;
    memcpy(p.src.b, ip, 4);
    p.frame_no = frame;
    p.payload = payload;
    p.payload_len = (uint32_t)n;
    return p;
}

static void test_table(void) {
    pa_names t;
    CHECK(pa_names_init(&t) == 0);
    pa_nbns_stats st;
    memset(&st, 0, sizeof st);
    st.local = &t;
    msg q, r;
    pa_nbns_msg m;
    static const uint8_t ASKER[4] = {192, 168, 1, 10};
    /* 192.168.1.10 asks WPAD twice and FILESRV once; .66 answers both (a
     * Responder), .23 answers FILESRV too; nobody answers PRINTER */
    const char *asked[] = {"WPAD", "WPAD", "FILESRV", "PRINTER"};
    for (int i = 0; i < 4; i++) {
        header(&q, (uint16_t)i, 0x0110, 1, 0, 0, 0);
        nb_name(&q, asked[i], 0x20), put(&q, "\0", 1), be16(&q, 0x20), be16(&q, 1);
        pa_packet p = from(ASKER, (uint64_t)(10 + i), q.b, q.n);
        CHECK(pa_nbns_parse(q.b, q.n, &m) == PA_NBNS_OK);
        pa_nbns_message(&st, &p, &m, PA_NBNS_OK);
    }
    const struct {
        const char *name;
        const uint8_t *ip;
    } answers[] = {{"WPAD", IP2}, {"FILESRV", IP2}, {"FILESRV", IP1}};
    for (int i = 0; i < 3; i++) {
        header(&r, 0, 0x8500, 0, 1, 0, 0);
        nb_name(&r, answers[i].name, 0x20), put(&r, "\0", 1), nb_record(&r, 0, answers[i].ip);
        pa_packet p = from(answers[i].ip, (uint64_t)(20 + i), r.b, r.n);
        CHECK(pa_nbns_parse(r.b, r.n, &m) == PA_NBNS_OK);
        pa_nbns_message(&st, &p, &m, PA_NBNS_OK);
    }
    CHECK(st.messages == 7 && st.queries == 7 && st.positive == 3);
    CHECK(t.names.count == 3);
    const pa_name_rec *wpad = NULL, *file = NULL, *printer = NULL;
    for (size_t i = 0; i < t.names.count; i++) {
        const pa_name_rec *x = pa_htab_rec(&t.names, i);
        if (!strcmp(x->name, "WPAD<20>")) wpad = x;
        if (!strcmp(x->name, "FILESRV<20>")) file = x;
        if (!strcmp(x->name, "PRINTER<20>")) printer = x;
    }
    CHECK(wpad && file && printer);
    if (wpad && file && printer) {
        CHECK(wpad->queries == 2 && wpad->nask == 1 && wpad->askers[0].count == 2 && wpad->first_query == 10);
        CHECK(wpad->answers == 1 && wpad->nans == 1 && wpad->answerers[0].responses == 1);
        CHECK(wpad->answerers[0].naddrs == 1 && memcmp(wpad->answerers[0].addrs[0].b, IP2, 4) == 0);
        CHECK(file->nans == 2 && file->first_answer == 21);
        CHECK(printer->queries == 1 && printer->answers == 0);
    }
    /* a registration is a claim (not a response) and an announcement of its sender */
    header(&r, 9, 0x2910, 1, 0, 0, 1);
    nb_name(&r, "HOST-23", 0x00), put(&r, "\0", 1), be16(&r, 0x20), be16(&r, 1), be16(&r, 0xC00C);
    nb_record(&r, 0x6000, IP1);
    pa_packet p = from(IP1, 30, r.b, r.n);
    CHECK(pa_nbns_parse(r.b, r.n, &m) == PA_NBNS_OK);
    pa_nbns_message(&st, &p, &m, PA_NBNS_OK);
    CHECK(st.registrations == 1 && t.names.count == 4);
    const pa_name_ann *a = pa_htab_rec(&t.announced, t.announced.count - 1);
    CHECK(a->kind == PA_ANN_NBNS && !strcmp(a->text, "HOST-23<00>") && a->first_frame == 30);
    /* mDNS and LLMNR names compare without case */
    pa_names_query(&t, PA_NAME_LLMNR, "WPAD", 4, &p.src, 40);
    pa_names_query(&t, PA_NAME_LLMNR, "wpad", 4, &p.src, 41);
    CHECK(t.names.count == 5);
    /* more askers than kept are counted; more names than the cap overflow */
    for (uint8_t i = 0; i < PA_NAMES_PARTIES + 3; i++) {
        pa_addr h = {.family = 4, .b = {10, 0, 0, i}};
        pa_names_query(&t, PA_NAME_MDNS, "printer.local", 13, &h, 50 + i);
    }
    const pa_name_rec *pr = pa_htab_rec(&t.names, t.names.count - 1);
    CHECK(pr->nask == PA_NAMES_PARTIES && pr->more_askers == 3 && pr->queries == PA_NAMES_PARTIES + 3);
    char name[32];
    for (int i = 0; i < PA_NAMES_MAX + 10; i++) {
        int k = snprintf(name, sizeof name, "n%d.local", i);
        pa_names_query(&t, PA_NAME_MDNS, name, (size_t)k, &p.src, 100);
    }
    CHECK(t.names.count == PA_NAMES_MAX && t.names_overflow == 10 + 6);
    pa_names_free(&t);
}

int main(void) {
    test_nbns_parse();
    test_nbns_hostile();
    test_ssdp();
    test_table();
    return check_done("test_names");
}
