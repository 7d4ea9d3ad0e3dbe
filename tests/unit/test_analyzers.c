/* The analyzer registry (analyzers/analyzer.h): every entry agrees with its
 * line in analyzers.def, its fields, caps and looks are well formed, and
 * naming a payload asks the looks, never a port alone. */
#include <stdlib.h>

#include "analyzer.h"
#include "check.h"
#include "detect.h"
#include "dfilter.h"

static const char *const table_names[] = {
#define PA_ANALYZER(name, stats_type) #name,
#include "analyzers.def"
#undef PA_ANALYZER
};

/* The first field of each analyzer's group, and the one after its last. */
static const pa_dfield group_first[] = {
#define PA_DF(id, name, type, desc)
#define PA_DF_GROUP(group) PA_DFG_##group,
#include "fields.def"
#undef PA_DF_GROUP
#undef PA_DF
};

static bool starts_name(const char *n, const char *name) {
    size_t k = strlen(name);
    /* '-': a protocol the analyzer names besides its own (ftp-data) */
    return strncmp(n, name, k) == 0 && (n[k] == 0 || n[k] == '.' || n[k] == '_' || n[k] == '-');
}

/* A field's name starts with its analyzer's, with a protocol one of its
 * looks names (the RTP analyzer's rtcp.*), or with one it says it dissects
 * inside its own (field_protocols). */
static bool field_owned(const pa_analyzer *an, const char *n) {
    if (starts_name(n, an->name)) return true;
    for (const pa_app_look *l = an->looks; l && l->l4; l++)
        if (starts_name(n, pa_proto_name((pa_proto)l->proto))) return true;
    for (const char *const *f = an->field_protocols; f && *f; f++)
        if (starts_name(n, *f)) return true;
    return false;
}

/* Wireshark's short name as a C identifier ("db-lsp-disc": db_lsp_disc). */
static void identifier(const char *name, char *out, size_t n) {
    snprintf(out, n, "%s", name);
    for (char *c = out; *c; c++)
        if (*c == '-') *c = '_';
}

static void test_entries(void) {
    size_t ngroups = sizeof group_first / sizeof group_first[0], first_app = ngroups - PA_AN_COUNT;
    for (int i = 0; i < PA_AN_COUNT; i++) {
        const pa_analyzer *an = pa_analyzers[i];
        CHECK_STR(an->name, table_names[i]);
        /* the protocol it serves carries its name (Wireshark's short name, a '-' as '_') */
        char id[64];
        identifier(pa_proto_name((pa_proto)an->proto), id, sizeof id);
        CHECK_STR(id, an->name);
        CHECK(!an->frame_size || (an->frame_reset && an->frame_has));
        CHECK(!an->segment || !an->flow_finish || an->flow_free);
        CHECK(!an->distinct_budget || an->distinct_refused_at);
        for (const pa_app_cap *c = an->caps; c && c->table; c++) CHECK(c->effect && c->effect[0]);
        for (const pa_app_look *l = an->looks; l && l->l4; l++)
            CHECK((l->l4 == PA_P_TCP || l->l4 == PA_P_UDP) && l->look && l->proto != PA_P_NONE);
        /* its fields: a group of its own whose every name starts with its name (or a look's protocol's) */
        pa_dfield from = group_first[first_app + (size_t)i];
        pa_dfield to = (size_t)i + 1 < PA_AN_COUNT ? group_first[first_app + (size_t)i + 1] : PA_DF_COUNT;
        CHECK(from < to && an->field_values);
        for (pa_dfield f = from; f < to; f++) CHECK(field_owned(an, pa_dfield_name(f)));
    }
}

static pa_proto named_n(pa_proto l4, uint16_t sport, uint16_t dport, const char *payload, size_t n) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = l4;
    p.sport = sport;
    p.dport = dport;
    p.payload = (const uint8_t *)payload;
    p.payload_len = (uint32_t)n;
    return pa_app_detect(&p);
}
#define named(l4, sport, dport, payload) named_n(l4, sport, dport, payload, sizeof payload - 1)

static void test_naming(void) {
    /* by the bytes, on any port */
    CHECK(named(PA_P_TCP, 40000, 12345, "GET / HTTP/1.1\r\n") == PA_P_HTTP);
    CHECK(named(PA_P_TCP, 40000, 80, "\x16\x03\x01\x00\x05hello") == PA_P_TLS);
    CHECK(named(PA_P_TCP, 2121, 40000, "220 ready\r\n") == PA_P_FTP);
    /* an SMTP greeting on an SMTP port stays SMTP's */
    CHECK(named(PA_P_TCP, 25, 40000, "220 mail ready\r\n") == PA_P_SMTP);
    /* never by a port alone: the bytes must pass the port's look */
    CHECK(named(PA_P_UDP, 40000, 53, "\x01") == PA_P_NONE);
    CHECK(named(PA_P_UDP, 40000, 53, "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00") == PA_P_DNS);
    CHECK(named(PA_P_UDP, 5353, 5353, "\x00\x00\x84\x00\x00\x00\x00\x01\x00\x00\x00\x00") == PA_P_MDNS);
    CHECK(named(PA_P_UDP, 40000, 443, "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00") == PA_P_NONE);
    CHECK(named(PA_P_UDP, 443, 53, "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00") == PA_P_DNS);
    CHECK(named(PA_P_UDP, 40000, 123, "hello") == PA_P_NONE);
    /* NTP on its port only, and only with its mode's header: a client request names it; cut by a
     * byte, garbage, version 0 or mode 0 does not; a control message whose count runs past the
     * datagram is NTP (malformed) */
    char ntp[48] = {0x23, 0, 6, (char)0xec};
    CHECK(named_n(PA_P_UDP, 40000, 123, ntp, sizeof ntp) == PA_P_NTP);
    CHECK(named_n(PA_P_UDP, 40000, 40001, ntp, sizeof ntp) == PA_P_NONE);
    CHECK(named_n(PA_P_UDP, 40000, 123, ntp, sizeof ntp - 1) == PA_P_NONE);
    CHECK(named(PA_P_UDP, 123, 40000, "\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b") == PA_P_NONE);
    ntp[0] = 0x03;
    CHECK(named_n(PA_P_UDP, 40000, 123, ntp, sizeof ntp) == PA_P_NONE);
    ntp[0] = 0x20;
    CHECK(named_n(PA_P_UDP, 40000, 123, ntp, sizeof ntp) == PA_P_NONE);
    CHECK(named(PA_P_UDP, 40000, 123, "\x16\x02\x00\x07\x00\x00\x00\x00\x00\x00\x01\x00ab") == PA_P_NTP);
    CHECK(named(PA_P_TCP, 40000, 22, "SSH-2.0-OpenSSH_9.2\r\n") == PA_P_SSH);
    CHECK(named(PA_P_TCP, 40000, 22, "\x00\x00\x01\x00") == PA_P_NONE);
    /* SIP and RTSP borrow HTTP's methods; their version says what they are */
    CHECK(named(PA_P_TCP, 40000, 5060, "OPTIONS sip:a@b SIP/2.0\r\n") == PA_P_SIP);
    CHECK(named(PA_P_TCP, 40000, 554, "OPTIONS rtsp://h/a RTSP/1.0\r\n") == PA_P_RTSP);
    CHECK(named(PA_P_TCP, 40000, 554, "RTSP/1.0 200 OK\r\n") == PA_P_RTSP);
    /* Megaco's text form, short or long, after an optional authentication header */
    CHECK(named(PA_P_UDP, 2944, 2944, "!/1 [10.0.0.1]:2944\nT=55{C=-{AV=a}}") == PA_P_MEGACO);
    CHECK(named(PA_P_TCP, 40000, 2944, "MEGACO/1 <mgc>\r\nTransaction = 1 {}") == PA_P_MEGACO);
    CHECK(named(PA_P_UDP, 2944, 2944, "AU=0x1:0x2:0xab !/1 <mgc>\n") == PA_P_MEGACO);
    CHECK(named(PA_P_UDP, 2944, 2944, "AUTHENTICATION = 0x1:0x2:0xab MEGACO/1 <mgc>\n") == PA_P_MEGACO);
    CHECK(named(PA_P_UDP, 2944, 2944, "AU=0x1:0x2:0xab hello") == PA_P_NONE);
    CHECK(named(PA_P_UDP, 2944, 2944, "!/x") == PA_P_NONE);
    CHECK(named(PA_P_UDP, 40000, 3000, "!/1 [10.0.0.1]:2944\n") == PA_P_NONE);
    /* RTCP by Wireshark's heuristic: version 2, a report first, a multiple of
     * 4 bytes; SRTCP (a clear first header, the rest encrypted, an index and a
     * tag) passes, a stray length does not */
    static const char srtcp[32] = "\x80\xc9\x00\x01\x00\x02\x4b\x18\x63\x86\xf2\x3e\x0d\xfd\x6a\xcb"
                                  "\x43\xca\x49\xd0\x2c\x09\x9e\x52\x9e\xe3\x3a\xc6\xf4\xab\xee\x59";
    CHECK(named_n(PA_P_UDP, 64837, 50001, srtcp, sizeof srtcp) == PA_P_RTCP);
    /* tshark 4.0 asks no port parity (a receiver report between two even ports is RTCP to it) */
    CHECK(named_n(PA_P_UDP, 64836, 50002, srtcp, sizeof srtcp) == PA_P_RTCP);
    CHECK(named_n(PA_P_UDP, 64837, 50001, srtcp, sizeof srtcp - 2) == PA_P_NONE);
    CHECK(named_n(PA_P_UDP, 64837, 50001, "\x80\xc9\x00\x09\0\0\0\0", 8) == PA_P_NONE); /* first part too long */
    /* the registered ports, for the evidence of protocols off their ports */
    CHECK(pa_app_by_port(PA_P_TCP, 40000, 443) == PA_P_TLS);
    CHECK(pa_app_by_port(PA_P_TCP, 8080, 40000) == PA_P_HTTP);
    CHECK(pa_app_by_port(PA_P_UDP, 40000, 53) == PA_P_DNS);
    CHECK(pa_app_by_port(PA_P_TCP, 40000, 21) == PA_P_FTP);
    CHECK(pa_app_by_port(PA_P_TCP, 40000, 4444) == PA_P_NONE);
    /* the lower port is asked first */
    CHECK(pa_app_by_port(PA_P_TCP, 80, 443) == PA_P_HTTP);
}

int main(void) {
    test_entries();
    test_naming();
    return check_done("analyzers");
}
