/* SNMP and syslog: the parsers on hand-built messages (every PDU type, v3
 * in clear and encrypted, hostile BER: indefinite and overlong lengths,
 * elements past their parent, oversized integers and OID arcs; syslog
 * headers as Wireshark 4.0 reads them, cut anywhere), the SNMP pairing
 * (request-id, msgID, retransmissions, timeouts) and, on the real traffic
 * tests/support/gen_snmp_syslog.sh captures (when it could: root and
 * net-snmp), the tools' sections (compare_snmp_syslog.mjs holds their
 * numbers and every field against tshark).
 * Usage: test_snmp_syslog [DIR]   (DIR: where gen_snmp_syslog.sh wrote) */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "snmp_track.h"
#include "syslog_track.h"
#include "test_kit.h"

static const uint8_t *u(const char *s) { return (const uint8_t *)s; }

/* v2c get-request, community "public", request-id 0x1234, one varbind 1.3.6.1.2.1.1.1.0 = NULL */
static const uint8_t v2c_get[] = {0x30, 0x27, 0x02, 0x01, 0x01, 0x04, 0x06, 'p',  'u',  'b',  'l',
                                  'i',  'c',  0xa0, 0x1a, 0x02, 0x02, 0x12, 0x34, 0x02, 0x01, 0x00,
                                  0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06,
                                  0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00, 0x00, 0x00};

static void test_snmp_parse(void) {
    pa_snmp_msg m;
    /* the buffer above has two spare bytes: the message is 41 bytes */
    CHECK(pa_snmp_parse(v2c_get, 41, &m) == PA_SNMP_OK);
    CHECK(m.version == 1 && m.has_community && !strcmp(m.community, "public"));
    CHECK(m.has_pdu && m.pdu == PA_SNMP_GET && m.request_id == 0x1234 && m.nvarbinds == 1);
    CHECK_STR(m.oids[0], "1.3.6.1.2.1.1.1.0");
    CHECK(pa_snmp_parse(v2c_get, 43, &m) == PA_SNMP_NOT); /* the SEQUENCE must span the datagram */
    uint8_t b[64];
    memcpy(b, v2c_get, 41);
    b[13] = 0xa2; /* a get-response with error-status noSuchName (2) at index 1 */
    b[21] = 2;
    b[24] = 1;
    CHECK(pa_snmp_parse(b, 41, &m) == PA_SNMP_OK && m.pdu == PA_SNMP_RESPONSE && m.error_status == 2);
    CHECK_STR(pa_snmp_error_name(m.error_status), "noSuchName");
    CHECK_STR(pa_snmp_error_name(16), "authorizationError");
    CHECK_STR(pa_snmp_error_name(99), "unknown");
    CHECK_STR(pa_snmp_pdu_name(5), "getBulkRequest");
    CHECK_STR(pa_snmp_level_name(3), "authPriv");
    CHECK_STR(pa_snmp_level_name(1), "authNoPriv");
    CHECK_STR(pa_snmp_level_name(0), "noAuthNoPriv");
    /* hostile: an indefinite length, a length past the parent, a version 2, a 6-byte integer,
     * a PDU tag beyond report, an OID arc over 9 bytes, the varbind list cut */
    memcpy(b, v2c_get, 41);
    b[14] = 0x80;
    CHECK(pa_snmp_parse(b, 41, &m) == PA_SNMP_MALFORMED);
    memcpy(b, v2c_get, 41);
    b[26] = 0x7f;
    CHECK(pa_snmp_parse(b, 41, &m) == PA_SNMP_MALFORMED);
    memcpy(b, v2c_get, 41);
    b[4] = 2;
    CHECK(pa_snmp_parse(b, 41, &m) == PA_SNMP_NOT);
    memcpy(b, v2c_get, 41);
    b[13] = 0xa9;
    CHECK(pa_snmp_parse(b, 41, &m) == PA_SNMP_MALFORMED);
    memcpy(b, v2c_get, 41);
    memset(b + 31, 0xff, 8); /* the OID's arcs never end */
    CHECK(pa_snmp_parse(b, 41, &m) == PA_SNMP_MALFORMED);
    for (size_t n = 0; n < 41; n++) CHECK(pa_snmp_parse(v2c_get, n, &m) != PA_SNMP_OK); /* cut anywhere */
    static const uint8_t big_int[] = {0x30, 0x0a, 0x02, 0x01, 0x01, 0x04, 0x00, 0xa0, 0x03, 0x02, 0x06, 0x01};
    CHECK(pa_snmp_parse(big_int, sizeof big_int, &m) != PA_SNMP_OK);
    /* v3: header, USM with user "bob", an encrypted PDU */
    static const uint8_t v3[] = {0x30, 0x30, 0x02, 0x01, 0x03, 0x30, 0x0e, 0x02, 0x02, 0x01, 0x02, 0x02, 0x02,
                                 0x05, 0xdc, 0x04, 0x01, 0x07, 0x02, 0x01, 0x03, 0x04, 0x15, 0x30, 0x13, 0x04,
                                 0x02, 0x80, 0x01, 0x02, 0x01, 0x01, 0x02, 0x01, 0x05, 0x04, 0x03, 'b',  'o',
                                 'b',  0x04, 0x00, 0x04, 0x00, 0x04, 0x04, 0xde, 0xad, 0xbe, 0xef};
    CHECK(pa_snmp_parse(v3, sizeof v3, &m) == PA_SNMP_OK);
    CHECK(m.version == 3 && m.msg_id == 0x102 && m.msg_flags == 7 && m.security_model == 3 && m.encrypted);
    CHECK(m.has_user && !strcmp(m.user, "bob") && m.engine_id_len == 2 && !m.has_community && !m.has_pdu);
}

static pa_packet dgram(uint8_t from, uint16_t sport, uint8_t to, uint16_t dport, uint64_t frame, int64_t ms) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = PA_P_UDP;
    p.src.family = p.dst.family = 4;
    p.src.b[0] = p.dst.b[0] = 10;
    p.src.b[3] = from;
    p.dst.b[3] = to;
    p.sport = sport;
    p.dport = dport;
    p.frame_no = frame;
    p.ts_ns = ms * 1000000;
    return p;
}

static void test_snmp_pairs(void) {
    pa_snmp_stats st;
    pa_sec_stats sec;
    CHECK(pa_snmp_stats_init(&st) == 0 && pa_sec_init(&sec) == 0);
    st.sec = &sec;
    pa_snmp_msg req, resp;
    memset(&req, 0, sizeof req);
    req.version = 1;
    req.has_community = req.has_pdu = req.has_rid = true;
    snprintf(req.community, sizeof req.community, "public");
    req.pdu = PA_SNMP_GET;
    req.request_id = 7;
    resp = req;
    resp.pdu = PA_SNMP_RESPONSE;
    resp.error_status = 2;
    pa_packet p = dgram(2, 40000, 1, 161, 1, 0);
    pa_snmp_message(&st, &p, 0, &req, false);
    p = dgram(2, 40000, 1, 161, 2, 1000); /* a retransmission: timed from it */
    pa_snmp_message(&st, &p, 0, &req, false);
    p = dgram(1, 161, 2, 40000, 3, 1003);
    pa_snmp_message(&st, &p, 0, &resp, false);
    req.request_id = 8; /* never answered */
    snprintf(req.community, sizeof req.community, "s3cret");
    p = dgram(2, 40001, 1, 161, 4, 2000);
    pa_snmp_message(&st, &p, 0, &req, false);
    p = dgram(1, 161, 2, 40009, 5, 2100); /* a response to no request */
    pa_snmp_message(&st, &p, 0, &resp, false);
    pa_snmp_finish(&st);
    CHECK(st.requests == 3 && st.responses == 2 && st.unanswered == 1 && st.retransmissions == 1);
    CHECK(st.orphan_responses == 1 && st.errors[2] == 2 && st.ntx == 2);
    CHECK(st.tx[0].req_frame == 2 && st.tx[0].resp_frame == 3 && st.tx[0].rt_ns == 3000000);
    CHECK(st.tx[0].error_status == 2 && st.tx[1].rt_ns == -1 && st.tx[1].req_frame == 4);
    /* each community once per agent, a security finding; the default named, the other not */
    CHECK(st.communities.count == 2 && sec.ncreds == 2);
    CHECK(!strcmp(sec.creds[0].method, "default community") && strstr(sec.creds[0].user, "'public'"));
    CHECK(!strcmp(sec.creds[1].method, "community") && !strcmp(sec.creds[1].user, "v2c"));
    CHECK_STR(sec.creds[1].secret, "s3cret");
    pa_snmp_stats_free(&st);
    pa_sec_free(&sec);
}

static void test_syslog_parse(void) {
    pa_syslog_msg m;
    const char *a = "<35>Dec  6 04:41:43 vm sshd[42]: error: PAM: failure";
    CHECK(pa_syslog_looks(u(a), strlen(a)));
    pa_syslog_parse(u(a), strlen(a), &m);
    CHECK(m.has_pri && m.facility == 4 && m.level == 3 && m.rfc3164 && !m.rfc5424);
    CHECK(m.ts3164.n == 15 && m.hostname.n == 2 && !memcmp(m.hostname.p, "vm", 2));
    CHECK(m.procid.present && m.procid.n == 4 && !memcmp(m.procid.p, "sshd", 4));
    CHECK(m.msgid.present && m.msgid.p[0] == '[');
    CHECK_STR(pa_syslog_facility_name(m.facility), "AUTH");
    CHECK_STR(pa_syslog_level_name(m.level), "ERR");
    CHECK_STR(pa_syslog_facility_name(23), "LOCAL7");
    const char *b = "<134>1 2026-12-06T04:41:43Z host app 77 ID1 - text";
    pa_syslog_parse(u(b), strlen(b), &m);
    CHECK(m.rfc5424 && m.facility == 16 && m.level == 6 && m.appname.n == 3 && m.procid.n == 2);
    CHECK(m.msgid.n == strlen("ID1 - text"));
    /* Wireshark's reading: up to three priority digits, a priority without '>' */
    const char *c = "<1234>x";
    CHECK(!pa_syslog_looks(u(c), strlen(c)));
    pa_syslog_parse(u(c), strlen(c), &m);
    CHECK(m.has_pri && m.pri == 123 && m.msg.n == 3); /* the fourth digit starts the message */
    const char *d = "<192>Dec  6 04:41:43 vm x";
    CHECK(!pa_syslog_looks(u(d), strlen(d)));
    /* a tag all letters to the end: the dissection stops with no procid nor msgid */
    const char *e = "<13>Dec  6 04:41:43 vm abcdef";
    pa_syslog_parse(u(e), strlen(e), &m);
    CHECK(m.hostname.present && !m.procid.present && !m.msgid.present);
    /* cut anywhere: spans stay inside the bytes */
    for (size_t n = 0; n <= strlen(b); n++) {
        pa_syslog_parse(u(b), n, &m);
        const pa_syslog_span *s[] = {&m.msg, &m.version, &m.timestamp, &m.hostname, &m.appname, &m.procid, &m.msgid};
        for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
            CHECK(!s[i]->present || (s[i]->p >= u(b) && s[i]->p + s[i]->n <= u(b) + n));
    }
}

static void test_syslog_track(void) {
    pa_syslog_stats st;
    CHECK(pa_syslog_stats_init(&st) == 0);
    for (int i = 0; i < 40; i++) { /* 40 messages, levels 0-7 over two hosts: the 32 most severe kept */
        char text[64];
        snprintf(text, sizeof text, "<%d>Dec  6 04:41:43 h%d app: n%d", 8 + i % 8, i % 2, i);
        pa_syslog_msg m;
        pa_syslog_parse(u(text), strlen(text), &m);
        pa_packet p = dgram((uint8_t)(2 + i % 2), 50000, 1, 514, (uint64_t)i + 1, i);
        pa_syslog_message(&st, &p, &m);
    }
    pa_syslog_finish(&st);
    CHECK(st.messages == 40 && st.rfc3164 == 40 && st.by_level[0] == 5 && st.by_facility[1] == 40);
    CHECK(st.senders.count == 2 && st.nsamples == PA_SYSLOG_SAMPLES);
    CHECK(st.samples[0].level == 0 && st.samples[0].frame == 1 && st.samples[PA_SYSLOG_SAMPLES - 1].level == 6);
    pa_syslog_stats_free(&st);
}

/* The tools on the captured real traffic, when there is some. */
static void test_tools(const char *dir) {
    char path[1024];
    snprintf(path, sizeof path, "%s/snmp.pcap", dir);
    if (access(path, R_OK) != 0) {
        printf("snmp_syslog: no generated captures in %s (gen_snmp_syslog.sh skipped): tool checks skipped\n", dir);
        return;
    }
    pa_registry reg;
    pa_config cfg;
    pa_tools_state *state = kit_tools(&reg, &cfg, dir);
    CHECK(state != NULL);
    if (!state) return;
    pa_tool_result res;
    json_t *o = kit_call(&reg, &cfg, state, "analyze_application_response_times",
                         "{\"pcap_file\":\"snmp.pcap\",\"protocol\":\"snmp\"}", &res);
    json_t *sec = json_array_get(json_object_get(o, "sections"), 0);
    CHECK_STR(json_string_value(json_object_get(sec, "name")), "snmp");
    /* the wrong-community and unknown-community gets time out (one retry each) */
    CHECK(json_integer_value(json_object_get(sec, "unanswered")) == 2);
    json_t *users = json_object_get(sec, "v3_users");
    CHECK(json_array_size(users) >= 3);
    CHECK_CONTAINS(res.text.data, "public (a default community)");
    CHECK(!strstr(res.text.data, "wrongcommunity")); /* redacted */
    CHECK(json_integer_value(json_object_get(json_object_get(sec, "error_statuses"), "noSuchName")) >= 1);
    pa_tool_result_free(&res);
    o = kit_call(&reg, &cfg, state, "analyze_network_topology", "{\"pcap_file\":\"syslog.pcap\"}", &res);
    json_t *sl = json_object_get(o, "syslog");
    CHECK(json_integer_value(json_object_get(sl, "messages")) == 7);
    CHECK(json_integer_value(json_object_get(json_object_get(sl, "by_severity"), "EMERG")) == 1);
    json_t *worst = json_array_get(json_object_get(sl, "most_severe_messages"), 0);
    CHECK_STR(json_string_value(json_object_get(worst, "severity")), "EMERG");
    CHECK_CONTAINS(res.text.data, "most severe EMERG");
    pa_tool_result_free(&res);
    pa_tools_state_free(state);
    pa_registry_free(&reg);
}

int main(int argc, char **argv) {
    test_snmp_parse();
    test_snmp_pairs();
    test_syslog_parse();
    test_syslog_track();
    test_tools(argc > 1 ? argv[1] : "snmp_gen");
    return check_done("snmp_syslog");
}
