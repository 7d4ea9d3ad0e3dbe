/* analyze_expert_information, analyze_protocol_anomalies,
 * analyze_security_threats and analyze_pcap_file's security summary on the
 * generated captures (tests/support/threat_scenarios.c: one per finding
 * kind, and ordinary traffic that must show none). Usage: DIR */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "rows_text.h"
#include "test_kit.h"
#include "tool_common.h"

static pa_registry reg;
static pa_config cfg;
static pa_tools_state *state;

static json_t *call(const char *tool, const char *args_json, pa_tool_result *res) {
    return kit_call(&reg, &cfg, state, tool, args_json, res);
}

static json_int_t geti(json_t *o, const char *key) { return json_integer_value(json_object_get(o, key)); }
static const char *getstr(json_t *o, const char *key) { return json_string_value(json_object_get(o, key)); }

/* The threats tool's findings for one capture (owned by res). */
static json_t *findings(const char *file, const char *extra, pa_tool_result *res) {
    char args[512];
    snprintf(args, sizeof args, "{\"pcap_file\":\"%s\"%s%s}", file, extra ? "," : "", extra ? extra : "");
    json_t *s = call("analyze_security_threats", args, res);
    return s ? json_object_get(s, "findings") : NULL;
}

static size_t count_kind(json_t *fs, const char *kind) {
    size_t i, n = 0;
    json_t *f;
    json_array_foreach(fs, i, f) n += strcmp(getstr(f, "kind"), kind) == 0;
    return n;
}

static json_t *kind_ev(json_t *fs, const char *kind, size_t nth) {
    size_t i;
    json_t *f;
    json_array_foreach(fs, i,
                       f) if (strcmp(getstr(f, "kind"), kind) == 0 && nth-- == 0) return json_object_get(f, "evidence");
    return NULL;
}

/* The expert message with this summary, or NULL. */
static json_t *message(json_t *s, const char *summary) {
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(s, "messages"), i, m) if (strcmp(getstr(m, "summary"), summary) == 0) return m;
    return NULL;
}

static json_int_t first_frame(json_t *m) {
    return json_integer_value(json_array_get(json_object_get(m, "first_frames"), 0));
}

static json_t *anomaly(json_t *s, const char *name) {
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(s, "anomalies"), i, a) if (strcmp(getstr(a, "name"), name) == 0) return a;
    return NULL;
}

static void expert_tests(void) {
    pa_tool_result r;
    json_t *s, *m;
    /* severities at warn and above (any case), each message with its first frame */
    s = call("analyze_expert_information", "{\"pcap_file\":\"expert.pcap\",\"severity_filter\":\"WaRn\"}", &r);
    CHECK(s && strcmp(getstr(s, "severity_filter"), "warn") == 0);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(s, "messages"), i, x) {
        CHECK(strcmp(getstr(x, "severity"), "warn") == 0 || strcmp(getstr(x, "severity"), "error") == 0);
    }
    m = message(s, "Connection reset (RST)");
    CHECK(m && geti(m, "count") == 1 && first_frame(m) == 32 && strcmp(getstr(m, "source"), "wireshark") == 0);
    m = message(s, "DNS error response: No such name (NXDOMAIN)");
    CHECK(m && geti(m, "count") == 1 && first_frame(m) == 14 && strcmp(getstr(m, "group"), "response_code") == 0);
    m = message(s, "DNS error response: Server failure (SERVFAIL)");
    CHECK(m && first_frame(m) == 16);
    m = message(s, "DNS query retransmission. Original request in frame 17");
    CHECK(m && geti(m, "count") == 1 && first_frame(m) == 18 && strcmp(getstr(m, "severity"), "warn") == 0);
    m = message(s, "HTTP server error response: 500");
    CHECK(m && first_frame(m) == 8 && strcmp(getstr(m, "source"), "analyzer") == 0);
    m = message(s, "TLS fatal alert: handshake_failure");
    CHECK(m && first_frame(m) == 24 && strcmp(getstr(m, "severity"), "error") == 0 &&
          strcmp(getstr(m, "group"), "security") == 0);
    m = message(s, "TCP Zero Window segment");
    CHECK(m && first_frame(m) == 42);
    CHECK(!message(s, "HTTP client error response: 404")); /* a note: below the filter */
    json_t *tot = json_object_get(s, "totals");
    CHECK(geti(tot, "error") == 1);
    pa_tool_result_free(&r);

    /* everything: chats carry Wireshark's request and status lines */
    s = call("analyze_expert_information", "{\"pcap_file\":\"expert.pcap\",\"limit\":1000}", &r);
    m = message(s, "GET /missing HTTP/1.1\\r\\n");
    CHECK(m && geti(m, "count") == 1 && first_frame(m) == 4 && strcmp(getstr(m, "severity"), "chat") == 0);
    m = message(s, "HTTP/1.1 404 Not Found\\r\\n");
    CHECK(m && first_frame(m) == 5);
    m = message(s, "HTTP client error response: 404");
    CHECK(m && strcmp(getstr(m, "severity"), "note") == 0);
    m = message(s, "TCP window update");
    CHECK(m && first_frame(m) == 43);
    /* the per-severity totals are the sums of the messages */
    json_int_t sum[4] = {0};
    static const char *const sev[4] = {"chat", "note", "warn", "error"};
    json_array_foreach(json_object_get(s, "messages"), i, x) {
        for (int k = 0; k < 4; k++)
            if (strcmp(getstr(x, "severity"), sev[k]) == 0) sum[k] += geti(x, "count");
    }
    for (int k = 0; k < 4; k++) CHECK(sum[k] == geti(json_object_get(s, "totals"), sev[k]));
    pa_tool_result_free(&r);

    /* Wireshark's duplicate IP address rules, frame by frame (arp_dup.pcap; tshark -z expert
     * gives the same 6 + 2 + 1, and test threats_expert compares every message with it) */
    s = call("analyze_expert_information", "{\"pcap_file\":\"arp_dup.pcap\"}", &r);
    static const struct {
        const char *summary;
        json_int_t count, frames[5];
    } dups[] = {{"Duplicate IP address configured (10.1.0.1)", 6, {3, 4, 8, 9, 13}},
                {"Duplicate IP address configured (10.1.0.2)", 2, {7, 15}},
                {"Duplicate IP address configured (10.1.0.3)", 1, {15}}};
    for (size_t k = 0; k < 3; k++) {
        m = message(s, dups[k].summary);
        CHECK(m && geti(m, "count") == dups[k].count && strcmp(getstr(m, "severity"), "warn") == 0 &&
              strcmp(getstr(m, "group"), "sequence") == 0 && strcmp(getstr(m, "protocol"), "ARP/RARP") == 0 &&
              strcmp(getstr(m, "source"), "wireshark") == 0);
        json_t *ff = m ? json_object_get(m, "first_frames") : NULL;
        for (size_t j = 0; j < 5 && dups[k].frames[j]; j++)
            CHECK(json_integer_value(json_array_get(ff, j)) == dups[k].frames[j]);
    }
    CHECK(geti(json_object_get(s, "totals"), "warn") == 9);
    pa_tool_result_free(&r);
    /* the spoofing scenario: every claim by the second MAC (tshark: 15) */
    s = call("analyze_expert_information", "{\"pcap_file\":\"arp_spoof.pcap\"}", &r);
    m = message(s, "Duplicate IP address configured (10.0.0.1)");
    CHECK(m && geti(m, "count") == 15 && first_frame(m) == 7);
    pa_tool_result_free(&r);

    /* a bad severity: a clear error naming the accepted values */
    call("analyze_expert_information", "{\"pcap_file\":\"expert.pcap\",\"severity_filter\":\"loud\"}", &r);
    CHECK(r.is_error && strstr(r.text.data, "chat, note, warn or error"));
    pa_tool_result_free(&r);

    /* ordinary traffic: no errors; its one RST is a warning, not a threat */
    s = call("analyze_expert_information", "{\"pcap_file\":\"ordinary.pcap\",\"severity_filter\":\"error\"}", &r);
    CHECK(s && geti(json_object_get(s, "totals"), "error") == 0 &&
          json_array_size(json_object_get(s, "messages")) == 0);
    pa_tool_result_free(&r);
}

static void anomaly_tests(void) {
    pa_tool_result r;
    json_t *s, *a;
    s = call("analyze_protocol_anomalies", "{\"pcap_file\":\"anomalies.pcap\"}", &r);
    static const struct {
        const char *name;
        json_int_t frame;
    } want[] = {{"tcp.flags_syn_fin", 1},
                {"tcp.flags_syn_rst", 2},
                {"tcp.flags_null", 3},
                {"tcp.flags_xmas", 4},
                {"ipv4.ttl_zero", 5},
                {"frag.overlap", 7},
                {"frag.overlap_inconsistent", 7},
                {"tcp.hdr_len_invalid", 24},
                {"udp.len_invalid", 25}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        a = anomaly(s, want[i].name);
        CHECK(a && geti(a, "count") == 1 && first_frame(a) == want[i].frame);
        if (!a) fprintf(stderr, "  missing anomaly %s\n", want[i].name);
    }
    json_t *cats = json_object_get(json_object_get(s, "totals"), "by_category");
    CHECK(geti(cats, "invalid_tcp_flags") == 4 && geti(cats, "ip_fragments") == 2 && geti(cats, "ttl_zero") == 1 &&
          geti(cats, "bad_header_length") == 1);
    json_t *ports = json_object_get(s, "unexpected_ports");
    CHECK(json_array_size(ports) == 3);
    static const struct {
        const char *proto;
        json_int_t port, frame;
    } pw[] = {{"tls", 80, 11}, {"http", 443, 18}, {"dns", 5300, 22}};
    for (size_t k = 0; k < 3; k++) {
        bool found = false;
        size_t i;
        json_t *p;
        json_array_foreach(ports, i, p) if (strcmp(getstr(p, "protocol"), pw[k].proto) == 0 &&
                                            geti(p, "port") == pw[k].port && first_frame(p) == pw[k].frame) found =
            true;
        CHECK(found);
    }
    CHECK(json_is_false(json_object_get(json_object_get(s, "checksums"), "verified")));
    pa_tool_result_free(&r);

    s = call("analyze_protocol_anomalies", "{\"pcap_file\":\"anomalies.pcap\",\"verify_checksums\":true}", &r);
    json_t *ck = json_object_get(s, "checksums");
    CHECK(json_is_true(json_object_get(ck, "verified")));
    CHECK(geti(json_object_get(ck, "bad"), "ipv4_header") == 1 && geti(json_object_get(ck, "bad"), "tcp") == 1 &&
          geti(json_object_get(ck, "bad"), "udp") == 0);
    json_t *fb = json_object_get(ck, "first_bad");
    CHECK(json_array_size(fb) == 2 && geti(json_array_get(fb, 0), "frame") == 26 &&
          geti(json_array_get(fb, 1), "frame") == 27);
    pa_tool_result_free(&r);

    s = call("analyze_protocol_anomalies", "{\"pcap_file\":\"ordinary.pcap\",\"verify_checksums\":true}", &r);
    CHECK(geti(json_object_get(s, "totals"), "anomalous_packets") == 0);
    CHECK(json_array_size(json_object_get(s, "unexpected_ports")) == 0);
    ck = json_object_get(s, "checksums");
    CHECK(geti(json_object_get(ck, "checked"), "tcp") > 30);
    json_t *bad = json_object_get(ck, "bad");
    CHECK(geti(bad, "ipv4_header") + geti(bad, "tcp") + geti(bad, "udp") + geti(bad, "icmp") == 0);
    pa_tool_result_free(&r);
}

static void threat_tests(void) {
    pa_tool_result r;
    json_t *fs, *ev;
    /* ordinary traffic (an RST, a retransmission, an NXDOMAIN, pings): nothing */
    fs = findings("ordinary.pcap", NULL, &r);
    CHECK(fs && json_array_size(fs) == 0);
    CHECK(geti(json_object_get(r.structured, "thresholds"), "scan_min_ports") == 30);
    pa_tool_result_free(&r);

    fs = findings("scan_syn_vertical.pcap", NULL, &r);
    CHECK(count_kind(fs, "port_scan_vertical") == 1 && json_array_size(fs) == 1);
    ev = kind_ev(fs, "port_scan_vertical", 0);
    CHECK_STR(getstr(ev, "scanner"), "10.0.0.66");
    CHECK_STR(getstr(ev, "target"), "10.0.0.5");
    CHECK_STR(getstr(ev, "scan_type"), "SYN (half-open) scan");
    CHECK(geti(ev, "distinct_ports") == 200 && geti(ev, "open_answers") == 2 && geti(ev, "refused") == 198);
    pa_tool_result_free(&r);
    /* thresholds are arguments */
    fs = findings("scan_syn_vertical.pcap", "\"scan_min_ports\":300", &r);
    CHECK(count_kind(fs, "port_scan_vertical") == 0);
    CHECK(geti(json_object_get(r.structured, "thresholds"), "scan_min_ports") == 300);
    pa_tool_result_free(&r);

    fs = findings("scan_connect.pcap", NULL, &r);
    ev = kind_ev(fs, "port_scan_vertical", 0);
    CHECK(ev && strcmp(getstr(ev, "scan_type"), "connect scan") == 0 && geti(ev, "distinct_ports") == 100 &&
          geti(ev, "open_answers") == 2 && geti(ev, "handshakes_completed") == 2);
    CHECK(count_kind(fs, "cleartext_admin_protocol") == 0); /* probes are not sessions */
    pa_tool_result_free(&r);

    fs = findings("scan_stealth.pcap", NULL, &r);
    ev = kind_ev(fs, "port_scan_vertical", 0);
    CHECK(ev && strcmp(getstr(ev, "scan_type"), "NULL/FIN/Xmas scan") == 0 && geti(ev, "distinct_ports") == 150);
    json_t *pk = ev ? json_object_get(ev, "probes_by_flags") : NULL;
    CHECK(geti(pk, "null") == 50 && geti(pk, "fin") == 50 && geti(pk, "xmas") == 50 && geti(pk, "syn") == 0);
    pa_tool_result_free(&r);

    fs = findings("scan_horizontal.pcap", NULL, &r);
    ev = kind_ev(fs, "port_scan_horizontal", 0);
    CHECK(ev && geti(ev, "port") == 445 && geti(ev, "probes") == 100 && geti(ev, "refused") == 5 &&
          geti(ev, "unanswered") == 95);
    /* exact (no estimate below PA_DISTINCT_EXACT values): one host per probe */
    CHECK(ev && geti(ev, "distinct_hosts") == 100 && json_is_true(json_object_get(ev, "distinct_exact")) &&
          !json_object_get(ev, "distinct_estimate_error_pct"));
    CHECK_CONTAINS(r.text.data, "probed TCP port 445 on 100 hosts: 0 answered, 5 refused, 95 unanswered");
    pa_tool_result_free(&r);

    fs = findings("rst_storm.pcap", NULL, &r);
    ev = kind_ev(fs, "rst_storm", 0);
    CHECK(ev && geti(ev, "rsts_without_connection") == 300 && strcmp(getstr(ev, "host"), "10.0.0.9") == 0);
    CHECK(ev && geti(ev, "distinct_targets") == 300 && json_is_true(json_object_get(ev, "distinct_exact")));
    CHECK(json_array_size(fs) == 1);
    pa_tool_result_free(&r);

    fs = findings("syn_flood.pcap", NULL, &r);
    ev = kind_ev(fs, "syn_flood", 0);
    CHECK(ev && geti(ev, "syns") == 2003 && geti(ev, "completed") == 3 && geti(ev, "syn_acks") == 503 &&
          geti(ev, "port") == 80 && geti(ev, "peak_syns_per_s") >= 500);
    /* 500 flooding addresses and the one real client, exactly */
    CHECK(ev && geti(ev, "distinct_sources") == 501 && json_is_true(json_object_get(ev, "distinct_exact")));
    CHECK(json_array_size(fs) == 1);
    pa_tool_result_free(&r);

    fs = findings("icmp_flood.pcap", NULL, &r);
    ev = kind_ev(fs, "icmp_flood", 0);
    CHECK(ev && geti(ev, "echo_requests") == 1000 && geti(ev, "echo_replies") == 100);
    CHECK(count_kind(fs, "icmp_large_payload") == 0);
    pa_tool_result_free(&r);

    fs = findings("icmp_large.pcap", NULL, &r);
    ev = kind_ev(fs, "icmp_large_payload", 0);
    CHECK(ev && geti(ev, "large_requests") == 5 && geti(ev, "largest_payload") == 1472);
    CHECK(count_kind(fs, "icmp_flood") == 0);
    pa_tool_result_free(&r);
    fs = findings("icmp_large.pcap", "\"icmp_large_bytes\":2048", &r);
    CHECK(count_kind(fs, "icmp_large_payload") == 0);
    pa_tool_result_free(&r);

    fs = findings("arp_spoof.pcap", NULL, &r);
    ev = kind_ev(fs, "arp_spoofing", 0);
    CHECK(ev && strcmp(getstr(ev, "ip"), "10.0.0.1") == 0 && json_array_size(json_object_get(ev, "macs")) == 2);
    json_t *mac2 = ev ? json_array_get(json_object_get(ev, "macs"), 1) : NULL;
    CHECK(mac2 && strcmp(getstr(mac2, "mac"), "02:00:00:00:00:66") == 0 && geti(mac2, "claims") == 15 &&
          geti(mac2, "gratuitous") == 10);
    CHECK(json_array_size(fs) == 1);
    pa_tool_result_free(&r);

    fs = findings("dns_tunnel.pcap", NULL, &r);
    ev = kind_ev(fs, "dns_tunneling", 0);
    CHECK(ev && strcmp(getstr(ev, "domain"), "tunnel-test.example") == 0 && geti(ev, "distinct_names") == 220 &&
          geti(ev, "txt_queries") == 200 && geti(ev, "null_queries") == 20);
    CHECK(json_array_size(fs) == 1);
    pa_tool_result_free(&r);

    fs = findings("dns_fastflux.pcap", NULL, &r);
    ev = kind_ev(fs, "dns_fast_flux", 0);
    CHECK(ev && strcmp(getstr(ev, "domain"), "fastflux-test.example") == 0 && geti(ev, "answered_responses") == 30 &&
          geti(ev, "short_ttl_responses") == 30 && geti(ev, "distinct_answers") == 30 &&
          json_is_true(json_object_get(ev, "distinct_exact")));
    CHECK(json_array_size(fs) == 1);
    pa_tool_result_free(&r);
    fs = findings("dns_fastflux.pcap", "\"dns_short_ttl_s\":5,\"dns_flux_min_addresses\":40", &r);
    CHECK(count_kind(fs, "dns_fast_flux") == 0);
    pa_tool_result_free(&r);

    fs = findings("beacon.pcap", NULL, &r);
    ev = kind_ev(fs, "beaconing", 0);
    CHECK(ev && strcmp(getstr(ev, "destination"), "203.0.113.50") == 0 && geti(ev, "port") == 8443 &&
          geti(ev, "connections") == 20);
    double mean = json_number_value(json_object_get(ev, "mean_interval_s"));
    CHECK(fabs(mean - 60.0) < 0.5 && json_number_value(json_object_get(ev, "relative_jitter")) < 0.01);
    CHECK(json_array_size(fs) == 1); /* the irregular connections are not a beacon */
    pa_tool_result_free(&r);

    /* credentials: found, secrets redacted unless asked for */
    static const struct {
        const char *proto, *user, *secret;
    } cr[] = {{"FTP", "alice", "s3cret-ftp"},     {"HTTP", "bob", "hunter2"},      {"POP3", "carol", "pop-secret"},
              {"IMAP", "dave", "imap-secret"},    {"SMTP", "erin", "smtp-secret"}, {"SMTP", "frank", "login-secret"},
              {"Telnet", "gina", "telnet-secret"}};
    for (int pass = 0; pass < 2; pass++) {
        fs = findings("cleartext_creds.pcap", pass ? "\"show_secrets\":true" : NULL, &r);
        CHECK(count_kind(fs, "cleartext_credentials") == 7);
        for (size_t k = 0; k < 7; k++) {
            bool found = false;
            for (size_t j = 0; j < 7; j++) {
                ev = kind_ev(fs, "cleartext_credentials", j);
                if (!ev || strcmp(getstr(ev, "user"), cr[k].user) != 0) continue;
                char want[96];
                if (pass)
                    snprintf(want, sizeof want, "%s", cr[k].secret);
                else
                    snprintf(want, sizeof want, "<redacted, %zu characters>", strlen(cr[k].secret));
                found = strcmp(getstr(ev, "protocol"), cr[k].proto) == 0 && strcmp(getstr(ev, "secret"), want) == 0;
                if (!found) fprintf(stderr, "  %s: secret '%s', want '%s'\n", cr[k].user, getstr(ev, "secret"), want);
            }
            CHECK(found);
        }
        pa_tool_result_free(&r);
    }

    fs = findings("weak_tls.pcap", NULL, &r);
    CHECK(count_kind(fs, "weak_tls_cipher") == 2 && count_kind(fs, "weak_tls_version") == 1);
    CHECK(count_kind(fs, "expired_certificate") == 1 && count_kind(fs, "self_signed_certificate") == 1 &&
          count_kind(fs, "sni_mismatch") == 1);
    ev = kind_ev(fs, "weak_tls_version", 0);
    CHECK(ev && strcmp(getstr(ev, "version"), "TLS 1.0") == 0 && strcmp(getstr(ev, "sni"), "legacy.example") == 0);
    pa_tool_result_free(&r);

    /* the cipher tool's WEAK lines name the version and suite (the names were
     * once taken from buffers the name lookups had left unwritten) */
    call("extract_tls_cipher_analysis", "{\"pcap_file\":\"weak_tls.pcap\"}", &r);
    CHECK(strstr(r.text.data, "SNI legacy.example: TLS 1.0 TLS_RSA_WITH_RC4_128_SHA (") != NULL);
    CHECK(strstr(r.text.data, "SNI 3des.example: TLS 1.2 TLS_RSA_WITH_3DES_EDE_CBC_SHA (") != NULL);
    pa_tool_result_free(&r);

    fs = findings("bad_ports.pcap", NULL, &r);
    CHECK(count_kind(fs, "cleartext_admin_protocol") == 5 && count_kind(fs, "known_bad_port") == 3);
    /* SNMP: the v2c flow counts (community in clear), the v3 one does not */
    bool snmp = false;
    for (size_t j = 0; j < 5; j++) {
        ev = kind_ev(fs, "cleartext_admin_protocol", j);
        if (ev && geti(ev, "port") == 161) snmp = geti(ev, "flows") == 1 && geti(ev, "first_frame") == 58;
    }
    CHECK(snmp);
    pa_tool_result_free(&r);

    /* the other captures carry no threat of their own */
    fs = findings("expert.pcap", NULL, &r);
    CHECK(fs && json_array_size(fs) == 0);
    pa_tool_result_free(&r);
    fs = findings("anomalies.pcap", NULL, &r);
    CHECK(fs && json_array_size(fs) == 0);
    pa_tool_result_free(&r);

    /* analyze_pcap_file's security summary */
    json_t *s =
        call("analyze_pcap_file", "{\"pcap_file\":\"cleartext_creds.pcap\",\"analysis_type\":\"security\"}", &r);
    json_t *sec = json_object_get(s, "security");
    CHECK(geti(json_object_get(sec, "findings"), "total") == 9 && geti(json_object_get(sec, "findings"), "high") == 7);
    CHECK(geti(sec, "cleartext_logins") == 7 && json_array_size(json_object_get(sec, "top_findings")) == 9);
    CHECK(strstr(r.text.data, "Security: 9 findings") != NULL);
    pa_tool_result_free(&r);
    s = call("analyze_pcap_file", "{\"pcap_file\":\"ordinary.pcap\",\"analysis_type\":\"security\"}", &r);
    CHECK(geti(json_object_get(json_object_get(s, "security"), "findings"), "total") == 0);
    pa_tool_result_free(&r);
}

static json_int_t list_matches(const char *file, const char *filter) {
    json_t *args = json_pack("{s:s, s:s, s:i}", "pcap_file", file, "display_filter", filter, "limit", 1);
    char *a = json_dumps(args, 0);
    pa_tool_result r;
    json_t *s = call("list_packets", a, &r);
    json_int_t n = r.is_error ? -1 : geti(s, "matched");
    pa_tool_result_free(&r);
    free(a);
    json_decref(args);
    return n;
}

/* Every row of a list is a line of the text, in order: `line` builds the
 * start of row i's line. */
static bool rows_lines_in_text(json_t *rows, const char *text, void (*line)(json_t *, char *, size_t)) {
    size_t i;
    json_t *x;
    const char *at = text;
    json_array_foreach(rows, i, x) {
        char want[512];
        line(x, want, sizeof want);
        const char *f = strstr(at, want);
        if (!f) {
            fprintf(stderr, "  row %zu '%s' not in the text after offset %zu\n", i, want, (size_t)(at - text));
            return false;
        }
        at = f + 1;
    }
    return true;
}

static void message_line(json_t *m, char *out, size_t n) {
    snprintf(out, n, "\n  %s %lld ", getstr(m, "severity"), (long long)geti(m, "count"));
}

/* The messages in order, each line with its protocol, message and frames. */
static bool messages_in_text(json_t *msgs, const char *text) {
    size_t i;
    json_t *m;
    const char *at = text;
    json_array_foreach(msgs, i, m) {
        char head[128], body[600];
        message_line(m, head, sizeof head);
        const char *f = strstr(at, head);
        snprintf(body, sizeof body, " %s %s", getstr(m, "protocol"), getstr(m, "summary"));
        const char *eol = f ? strchr(f + 1, '\n') : NULL;
        const char *b = f ? strstr(f, body) : NULL;
        bool frames = true;
        size_t k;
        json_t *fr;
        const char *c = b;
        json_array_foreach(json_object_get(m, "first_frames"), k, fr) {
            char num[32];
            snprintf(num, sizeof num, "%s%lld", k ? "," : " ", (long long)json_integer_value(fr));
            c = c ? strstr(c, num) : NULL;
            frames &= c != NULL && (!eol || c < eol);
        }
        if (!f || !b || (eol && b > eol) || !frames) {
            fprintf(stderr, "  message %zu '%s' not in the text\n", i, body);
            return false;
        }
        at = f + 1;
    }
    return true;
}

static void anomaly_line(json_t *a, char *out, size_t n) {
    snprintf(out, n, "\n  %lld %s %s %s (%s), frames %lld", (long long)geti(a, "count"), getstr(a, "category"),
             getstr(a, "protocol"), getstr(a, "name"), getstr(a, "description"),
             (long long)json_integer_value(json_array_get(json_object_get(a, "first_frames"), 0)));
}

static void finding_line(json_t *f, char *out, size_t n) {
    snprintf(out, n, "\n  [%s/%s confidence] %s: %s\n", getstr(f, "severity"), getstr(f, "confidence"),
             getstr(f, "kind"), getstr(f, "explanation"));
}

/* What a text-only reader sees: every row, its frames, filters and secrets,
 * paging and the byte budget. */
static void text_tests(void) {
    pa_tool_result r;
    json_t *s;
    /* expert messages: a line each, with severity, count, message and every first frame */
    s = call("analyze_expert_information", "{\"pcap_file\":\"expert.pcap\",\"limit\":1000}", &r);
    json_t *all = json_deep_copy(json_object_get(s, "messages"));
    CHECK(json_array_size(all) == 24 && messages_in_text(all, r.text.data));
    CHECK(
        strstr(r.text.data, "\n  note 3 Sequence TCP This frame initiates the connection closing, frames 10,25,50\n"));
    CHECK(strstr(r.text.data, "\n  chat 6 Sequence TCP Connection finish (FIN), first frames 10,11,25,26,50\n"));
    CHECK(strstr(r.text.data, "\n  error 1 Security TLS TLS fatal alert: handshake_failure [analyzer], frame 24\n"));
    pa_tool_result_free(&r);
    /* pages of 5 give the same messages, none skipped */
    for (size_t off = 0; off < 24; off += 5) {
        char a[128];
        snprintf(a, sizeof a, "{\"pcap_file\":\"expert.pcap\",\"limit\":5,\"offset\":%zu}", off);
        s = call("analyze_expert_information", a, &r);
        json_t *page = json_object_get(s, "messages");
        for (size_t i = 0; i < json_array_size(page); i++)
            CHECK(json_equal(json_array_get(page, i), json_array_get(all, off + i)));
        CHECK(json_array_size(page) == (off + 5 <= 24 ? 5 : 24 - off));
        if (off + 5 < 24) {
            char want[64];
            snprintf(want, sizeof want, "%zu more: call again with offset=%zu.", 24 - off - 5, off + 5);
            CHECK(strstr(r.text.data, want) != NULL);
        }
        pa_tool_result_free(&r);
    }
    /* a small budget cuts the text and the messages at the same one */
    cfg.text_budget = 4096;
    cfg.result_budget = 6144;
    s = call("analyze_expert_information", "{\"pcap_file\":\"expert.pcap\",\"limit\":1000}", &r);
    size_t n = json_array_size(json_object_get(s, "messages"));
    CHECK(!r.is_error && n > 3 && n < 24 && json_is_true(json_object_get(s, "truncated")));
    CHECK(messages_in_text(json_object_get(s, "messages"), r.text.data));
    CHECK(geti(json_object_get(s, "page"), "next_offset") == (json_int_t)n);
    char want[96];
    snprintf(want, sizeof want, "Call again with offset=%zu.", n);
    CHECK(strstr(r.text.data, want) != NULL);
    json_t *next = json_array_get(all, n);
    char nl[512];
    message_line(next, nl, sizeof nl);
    char last[512];
    snprintf(last, sizeof last, "%s%s", nl, getstr(next, "summary"));
    CHECK(!strstr(r.text.data, last)); /* the first message left out is in neither */
    pa_tool_result_free(&r);
    cfg.text_budget = cfg.result_budget = 0;
    json_decref(all);

    /* anomalies, unexpected ports and bad checksums: a line each, with their frames */
    s = call("analyze_protocol_anomalies", "{\"pcap_file\":\"anomalies.pcap\",\"verify_checksums\":true}", &r);
    CHECK(rows_lines_in_text(json_object_get(s, "anomalies"), r.text.data, anomaly_line));
    CHECK(strstr(r.text.data, "\n  1 invalid_tcp_flags TCP tcp.flags_syn_fin (SYN and FIN set together), frames 1\n"));
    CHECK(strstr(r.text.data, "\n  tls on port 80 (registered for http): 1 flows, first 10.0.0.70 "
                              "-> 10.0.0.71, frames 11\n"));
    CHECK(strstr(r.text.data, "\n  frame 26 ipv4_header should be 0x"));
    CHECK(strstr(r.text.data, "\n  frame 27 tcp should be 0x"));
    pa_tool_result_free(&r);

    /* findings: each with its frames, its display filter, which selects the evidence */
    static const struct {
        const char *file, *kind;
        json_int_t frames;
    } ev[] = {{"scan_syn_vertical.pcap", "port_scan_vertical", 200},
              {"scan_horizontal.pcap", "port_scan_horizontal", 100},
              {"syn_flood.pcap", "syn_flood", 2003},
              {"rst_storm.pcap", "rst_storm", 300},
              {"icmp_large.pcap", "icmp_large_payload", 5},
              {"arp_spoof.pcap", "arp_spoofing", 16},
              {"dns_tunnel.pcap", "dns_tunneling", 220},
              {"beacon.pcap", "beaconing", 20}};
    for (size_t i = 0; i < sizeof ev / sizeof ev[0]; i++) {
        json_t *fs = findings(ev[i].file, NULL, &r);
        json_t *f = NULL;
        size_t k;
        json_t *x;
        json_array_foreach(fs, k, x) if (strcmp(getstr(x, "kind"), ev[i].kind) == 0) f = x;
        const char *df = f ? getstr(f, "display_filter") : NULL;
        CHECK(df != NULL && rows_lines_in_text(fs, r.text.data, finding_line));
        if (df) {
            char line[600];
            snprintf(line, sizeof line, "filter: %s\n", df);
            CHECK(strstr(r.text.data, line) != NULL);
            json_int_t got = list_matches(ev[i].file, df);
            CHECK(got == ev[i].frames);
            if (got != ev[i].frames)
                fprintf(stderr, "  %s: '%s' matches %lld frames\n", ev[i].kind, df, (long long)got);
        }
        pa_tool_result_free(&r);
    }
    json_t *fs = findings("arp_spoof.pcap", NULL, &r);
    CHECK(strstr(r.text.data, "\n    MAC 02:00:00:00:00:66: 15 claims (10 gratuitous), first frame 7\n") != NULL);
    pa_tool_result_free(&r);
    /* secrets: redacted in the text as in the evidence, shown in both when asked */
    fs = findings("cleartext_creds.pcap", NULL, &r);
    CHECK(strstr(r.text.data, "frame 5; user 'alice', secret <redacted, 10 characters>\n") != NULL);
    CHECK(!strstr(r.text.data, "s3cret-ftp"));
    pa_tool_result_free(&r);
    fs = findings("cleartext_creds.pcap", "\"show_secrets\":true", &r);
    CHECK(strstr(r.text.data, "frame 5; user 'alice', secret s3cret-ftp\n") != NULL);
    pa_tool_result_free(&r);
    /* paging the findings, and a small budget */
    fs = findings("cleartext_creds.pcap", NULL, &r);
    all = json_deep_copy(fs);
    pa_tool_result_free(&r);
    fs = findings("cleartext_creds.pcap", "\"limit\":3,\"offset\":3", &r);
    CHECK(json_array_size(fs) == 3 && json_equal(json_array_get(fs, 0), json_array_get(all, 3)) &&
          json_equal(json_array_get(fs, 2), json_array_get(all, 5)));
    CHECK(strstr(r.text.data, "3 more: call again with offset=6.") != NULL);
    CHECK(geti(r.structured, "not_listed") == 3);
    pa_tool_result_free(&r);
    cfg.text_budget = 4096;
    cfg.result_budget = 5120;
    fs = findings("cleartext_creds.pcap", NULL, &r);
    n = json_array_size(fs);
    CHECK(!r.is_error && n >= 1 && n < 9 && rows_lines_in_text(fs, r.text.data, finding_line));
    CHECK(geti(json_object_get(r.structured, "page"), "next_offset") == (json_int_t)n);
    finding_line(json_array_get(all, n), nl, sizeof nl);
    CHECK(!strstr(r.text.data, nl));
    pa_tool_result_free(&r);
    cfg.text_budget = cfg.result_budget = 0;
    json_decref(all);
    /* analyze_pcap_file's security summary renders them the same way */
    json_t *sum = call("analyze_pcap_file", "{\"pcap_file\":\"arp_spoof.pcap\",\"analysis_type\":\"security\"}", &r);
    CHECK(rows_lines_in_text(json_object_get(json_object_get(sum, "security"), "top_findings"), r.text.data,
                             finding_line));
    CHECK(strstr(r.text.data, "    filter: arp.src.proto_ipv4 == 10.0.0.1\n") != NULL);
    pa_tool_result_free(&r);
}

/* Pages through one list two rows at a time: the pages hold the rows of a
 * call that returns them all, in order, none skipped or repeated, and each
 * page's text names the next offset and shows its rows. */
static void check_paging(const char *tool, const char *file, const char *list, const char *extra) {
    char args[256];
    pa_tool_result all, r;
    snprintf(args, sizeof args, "{\"pcap_file\":\"%s\",\"limit\":500%s}", file, extra);
    json_t *rows = json_object_get(call(tool, args, &all), list);
    size_t n = json_array_size(rows), k = 0, offset = 0, pages = 0;
    CHECK(n >= 2);
    for (;;) {
        snprintf(args, sizeof args, "{\"pcap_file\":\"%s\",\"limit\":2,\"offset\":%zu%s}", file, offset, extra);
        json_t *s = call(tool, args, &r), *page = json_object_get(s, "page"), *got = json_object_get(s, list);
        pages++;
        CHECK(geti(page, "offset") == (json_int_t)offset && geti(page, "total") == (json_int_t)n);
        CHECK(geti(page, "returned") == (json_int_t)json_array_size(got) && json_array_size(got) <= 2);
        CHECK(rows_in_text(s, r.text.data, list));
        size_t i;
        json_t *x;
        json_array_foreach(got, i, x) CHECK(json_equal(x, json_array_get(rows, k++)));
        bool more = json_is_true(json_object_get(page, "more")) && json_array_size(got);
        if (more) {
            char want[64];
            snprintf(want, sizeof want, "call again with offset=%zu.", offset + json_array_size(got));
            CHECK(geti(page, "next_offset") == (json_int_t)(offset + json_array_size(got)));
            CHECK_CONTAINS(r.text.data, want);
            offset += json_array_size(got);
        }
        pa_tool_result_free(&r);
        if (!more || pages > 50) break;
    }
    if (k != n) fprintf(stderr, "%s %s: %zu of %zu rows paged\n", tool, list, k, n);
    CHECK(k == n && pages == (n + 1) / 2);
    pa_tool_result_free(&all);
}

/* The TLS and DNS tools' lists: paging, and a small byte budget that cuts
 * text and structured content at the same row. */
static void app_list_tests(void) {
    check_paging("analyze_tls_handshakes", "beacon.pcap", "connections", "");
    check_paging("analyze_tls_handshakes", "beacon.pcap", "connections", ",\"details\":true");
    check_paging("analyze_tls_alerts", "weak_tls.pcap", "connections", "");
    check_paging("extract_certificate_details", "weak_tls.pcap", "certificates", "");
    check_paging("extract_tls_cipher_analysis", "weak_tls.pcap", "weak_connections", "");
    pa_tool_result r, all;
    json_t *s = call("analyze_sni_mismatches", "{\"pcap_file\":\"weak_tls.pcap\",\"offset\":1}", &r);
    CHECK(json_array_size(json_object_get(s, "mismatches")) == 0 && geti(json_object_get(s, "page"), "total") == 1);
    CHECK(strstr(r.text.data, "offset 1 is past the last of 1 mismatches") != NULL);
    pa_tool_result_free(&r);

    /* 4 KiB of text: the handshakes stop at a row, in both; the next call
     * starts at the next row */
    json_t *full = json_object_get(
        call("analyze_tls_handshakes", "{\"pcap_file\":\"beacon.pcap\",\"limit\":100}", &all), "connections");
    cfg.text_budget = 4096;
    cfg.result_budget = 65536;
    s = call("analyze_tls_handshakes", "{\"pcap_file\":\"beacon.pcap\",\"details\":true}", &r);
    json_t *got = json_object_get(s, "connections");
    size_t n = json_array_size(got);
    CHECK(r.text.len <= 4096 && n >= 1 && n < json_array_size(full));
    CHECK(rows_in_text(s, r.text.data, "connections"));
    char want[96];
    snprintf(want, sizeof want, "not shown: the text reached its 4096-byte budget. Call again with offset=%zu.", n);
    CHECK(strstr(r.text.data, want) != NULL);
    CHECK(geti(json_object_get(s, "page"), "next_offset") == (json_int_t)n);
    json_t *lo = json_array_get(json_object_get(s, "left_out"), 0);
    CHECK(json_is_true(json_object_get(s, "truncated")) && strcmp(getstr(lo, "list"), "connections") == 0);
    CHECK(geti(lo, "next_offset") == (json_int_t)n && geti(lo, "not_shown") == (json_int_t)(json_array_size(full) - n));
    snprintf(want, sizeof want, "  frame %lld stream ", (long long)geti(json_array_get(full, n), "frame"));
    CHECK(strstr(r.text.data, want) == NULL); /* the first row left out is in neither */
    pa_tool_result_free(&r);
    char args[128];
    snprintf(args, sizeof args, "{\"pcap_file\":\"beacon.pcap\",\"details\":true,\"offset\":%zu}", n);
    s = call("analyze_tls_handshakes", args, &r);
    CHECK(geti(json_array_get(json_object_get(s, "connections"), 0), "frame") ==
          geti(json_array_get(full, n), "frame"));
    CHECK(strstr(r.text.data, want) != NULL);
    pa_tool_result_free(&r);
    pa_tool_result_free(&all);

    /* DNS: the slowest responses reach the budget; the lists after them are
     * left out whole, named on one line and in left_out */
    s = call("analyze_dns_resolution_issues", "{\"pcap_file\":\"dns_tunnel.pcap\",\"limit\":500}", &r);
    n = json_array_size(json_object_get(s, "slowest"));
    CHECK(r.text.len <= 4096 && n >= 1 && n < 32 && json_array_size(json_object_get(s, "tunnelling_suspects")) == 1);
    CHECK(rows_in_text(s, r.text.data, "dns"));
    CHECK(json_array_size(json_object_get(s, "top_names")) == 0 && json_array_size(json_object_get(s, "servers")) == 0);
    snprintf(want, sizeof want, "  ... %zu more slowest responses not shown: the text reached its 4096-byte budget.",
             32 - n);
    CHECK(strstr(r.text.data, want) != NULL);
    CHECK(strstr(r.text.data, "Left out for lack of room: servers (1), domains (1), names (220).") != NULL);
    json_t *los = json_object_get(s, "left_out");
    CHECK(json_array_size(los) == 4 && geti(json_array_get(los, 3), "not_shown") == 220);
    pa_tool_result_free(&r);
    cfg.text_budget = cfg.result_budget = 0;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    char err[256];
    pa_registry_init(&reg);
    if (pa_tools_register_builtin(&reg, err, sizeof err)) return 2;
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.storage_dir, sizeof cfg.storage_dir, "%s", argv[1]);
    state = pa_tools_state_new();
    expert_tests();
    anomaly_tests();
    threat_tests();
    text_tests();
    app_list_tests();
    pa_tools_state_free(state);
    pa_registry_free(&reg);
    return check_done("tools_security");
}
