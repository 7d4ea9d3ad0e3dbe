/* Display filters: every parser error path says where and what was
 * expected, literals of every type, operators and their multi-value
 * semantics, on hand-built values. */
#include <arpa/inet.h>
#include <stdlib.h>

#include "check.h"
#include "dfilter.h"

/* A frame view with fixed values: ip.addr {10.0.0.1, 192.168.1.7}, tcp.port
 * {80, 51000}, frame.len 1514, http-like payload bytes, eth.src, a string. */
static size_t get(void *ud, pa_dfield f, pa_dvalue *out, size_t max) {
    (void)ud;
    static const uint8_t payload[] = "GET /index.html HTTP/1.1\r\nHost: example.com\r\n";
    size_t n = 0;
    switch (f) {
    case PA_DF_IP:
    case PA_DF_TCP:
        out[0].type = PA_FT_BOOL;
        out[0].v.u = 1;
        return 1;
    case PA_DF_IP_ADDR:
    case PA_DF_IP_SRC:
        for (int i = 0; i < 2 && n < max; i++, n++) {
            out[n].type = PA_FT_IPV4;
            memset(out[n].v.addr, 0, 16);
            inet_pton(AF_INET, i ? "192.168.1.7" : "10.0.0.1", out[n].v.addr);
            if (f == PA_DF_IP_SRC) return 1;
        }
        return n;
    case PA_DF_IPV6_ADDR:
        out[0].type = PA_FT_IPV6;
        inet_pton(AF_INET6, "2001:db8::5", out[0].v.addr);
        return 1;
    case PA_DF_TCP_PORT:
        out[0].type = out[1].type = PA_FT_UINT;
        out[0].v.u = 80;
        out[1].v.u = 51000;
        return 2;
    case PA_DF_TCP_FLAGS:
        out[0].type = PA_FT_UINT;
        out[0].v.u = 0x18;
        return 1;
    case PA_DF_TCP_FLAGS_SYN:
        out[0].type = PA_FT_BOOL;
        out[0].v.u = 0;
        return 1;
    case PA_DF_FRAME_LEN:
        out[0].type = PA_FT_UINT;
        out[0].v.u = 1514;
        return 1;
    case PA_DF_FRAME_TIME_RELATIVE:
        out[0].type = PA_FT_DOUBLE;
        out[0].v.d = 1.25;
        return 1;
    case PA_DF_TCP_PAYLOAD:
        out[0].type = PA_FT_BYTES;
        out[0].v.bytes.p = payload;
        out[0].v.bytes.n = sizeof payload - 1;
        return 1;
    case PA_DF_FRAME_PROTOCOLS:
        out[0].type = PA_FT_STRING;
        out[0].v.bytes.p = (const uint8_t *)"eth:ethertype:ip:tcp:http";
        out[0].v.bytes.n = strlen("eth:ethertype:ip:tcp:http");
        return 1;
    case PA_DF_ETH_SRC:
        out[0].type = PA_FT_ETHER;
        memcpy(out[0].v.addr, "\x00\x11\x22\x33\x44\x55", 6);
        return 1;
    default: return 0;
    }
}

static int eval(const char *text) {
    char err[4096];
    pa_dfilter *f = pa_dfilter_compile(text, err, sizeof err);
    if (!f) {
        fprintf(stderr, "  compile '%s': %s\n", text, err);
        return -1;
    }
    int r = pa_dfilter_eval(f, get, NULL);
    pa_dfilter_free(f);
    return r;
}

/* A filter that must not compile; its error must contain `want`. */
static void bad(const char *text, const char *want) {
    char err[4096];
    pa_dfilter *f = pa_dfilter_compile(text, err, sizeof err);
    CHECK(f == NULL);
    if (f) {
        pa_dfilter_free(f);
        fprintf(stderr, "  '%s' compiled\n", text);
        return;
    }
    CHECK(strstr(err, want) != NULL);
    if (!strstr(err, want)) fprintf(stderr, "  '%s': '%s' lacks '%s'\n", text, err, want);
}

int main(void) {
    /* presence, and/or/not in both spellings, parentheses */
    CHECK(eval("tcp") == 1);
    CHECK(eval("udp") == 0);
    CHECK(eval("tcp && !udp") == 1);
    CHECK(eval("tcp and not udp") == 1);
    CHECK(eval("udp || tcp") == 1);
    CHECK(eval("udp or (tcp and ip)") == 1);
    CHECK(eval("!(tcp)") == 0);
    /* any-of semantics for multi-valued fields */
    CHECK(eval("ip.addr == 10.0.0.1") == 1);
    CHECK(eval("ip.addr == 192.168.1.7") == 1);
    CHECK(eval("ip.addr eq 10.0.0.2") == 0);
    CHECK(eval("ip.addr != 10.0.0.1") == 0); /* != is "no value equals" */
    CHECK(eval("ip.addr != 10.0.0.9") == 1);
    CHECK(eval("ip.addr !== 10.0.0.1") == 1); /* some value differs */
    CHECK(eval("ip.addr === 10.0.0.1") == 0); /* every value equals */
    CHECK(eval("ip.addr any_eq 10.0.0.1") == 1);
    CHECK(eval("ip.addr all_ne 10.0.0.1") == 0);
    CHECK(eval("udp.port != 53") == 0); /* an absent field satisfies nothing */
    /* CIDR */
    CHECK(eval("ip.addr == 192.168.0.0/16") == 1);
    CHECK(eval("ip.addr == 172.16.0.0/12") == 0);
    CHECK(eval("ip.src == 10.0.0.0/8") == 1);
    CHECK(eval("ip.addr == 10.0.0.1/32") == 1);
    CHECK(eval("ipv6.addr == 2001:db8::/32") == 1);
    CHECK(eval("ipv6.addr == 2001:db9::/32") == 0);
    CHECK(eval("ipv6.addr == 2001:db8::5") == 1);
    /* ordering and numbers in every base */
    CHECK(eval("frame.len > 1500") == 1);
    CHECK(eval("frame.len gt 1514") == 0);
    CHECK(eval("frame.len ge 1514 && frame.len le 1514") == 1);
    CHECK(eval("frame.len < 0x600") == 1);
    CHECK(eval("frame.len == 02752") == 1); /* octal */
    CHECK(eval("tcp.port >= 51000") == 1);
    CHECK(eval("frame.time_relative > 1.2") == 1);
    CHECK(eval("frame.time_relative < 1") == 0);
    CHECK(eval("ip.addr > 100.0.0.0") == 1);
    /* sets with ranges, commas or spaces */
    CHECK(eval("tcp.port in {443, 8080}") == 0);
    CHECK(eval("tcp.port in {443 80}") == 1);
    CHECK(eval("tcp.port in {50000..52000}") == 1);
    CHECK(eval("ip.addr in {10.0.0.0/24, 1.1.1.1}") == 1);
    CHECK(eval("tcp.port in {1..79, 81..100}") == 0);
    /* booleans, bitwise and */
    CHECK(eval("tcp.flags.syn == 0") == 1);
    CHECK(eval("tcp.flags.syn == false") == 1);
    CHECK(eval("tcp.flags.syn == True") == 0);
    CHECK(eval("tcp.flags & 0x10") == 1);
    CHECK(eval("tcp.flags & 0x02") == 0);
    /* strings and bytes: contains, matches, equality */
    CHECK(eval("tcp.payload contains \"Host:\"") == 1);
    CHECK(eval("tcp.payload contains 47:45:54") == 1);
    CHECK(eval("tcp.payload contains \"\\x47ET\"") == 1);
    CHECK(eval("tcp.payload contains \"POST\"") == 0);
    CHECK(eval("tcp.payload matches \"^GET /[a-z]+\\\\.html\"") == 1);
    CHECK(eval("tcp.payload matches \"(?i)^get\"") == 1);
    CHECK(eval("tcp.payload ~ \"^POST\"") == 0);
    CHECK(eval("frame.protocols contains \"http\"") == 1);
    CHECK(eval("frame.protocols == \"eth:ethertype:ip:tcp:http\"") == 1);
    CHECK(eval("frame.protocols matches \"tcp:(http|tls)$\"") == 1);
    /* MAC literals in three spellings */
    CHECK(eval("eth.src == 00:11:22:33:44:55") == 1);
    CHECK(eval("eth.src == 00-11-22-33-44-55") == 1);
    CHECK(eval("eth.src == 0011.2233.4455") == 1);
    CHECK(eval("eth.src != 00:11:22:33:44:56") == 1);
    /* field against field */
    CHECK(eval("tcp.port == tcp.port") == 1);
    CHECK(eval("ip.src == ip.addr") == 1);

    /* errors: where and what was expected */
    bad("", "the filter is empty");
    bad("   ", "the filter is empty");
    bad("ip.adr == 1.2.3.4", "character 1: 'ip.adr' is not a field this server knows. Did you mean ip.addr");
    bad("ip.adr == 1.2.3.4", "Supported fields: frame frame.number");
    bad("tcp.prt == 80", "Did you mean tcp.port");
    bad("ip.addr == ", "character 12: expected a value for ip.addr");
    bad("ip.addr == 300.1.1.1", "'300.1.1.1' is not a valid value for ip.addr; expected an IPv4 address");
    bad("ip.addr == 10.0.0.0/33", "not a valid value for ip.addr");
    bad("ipv6.addr == 1.2.3.4", "expected an IPv6 address");
    bad("tcp.port == http", "not a valid value for tcp.port; expected an unsigned number");
    bad("tcp.port == -1", "expected an unsigned number");
    bad("eth.src == 00:11:22", "expected a MAC address");
    bad("tcp.flags.syn == 2", "expected 1, 0, true or false");
    bad("tcp.flags.syn > 0", "compare it with == or !=");
    bad("frame.len contains 12", "'contains' works on strings, bytes and protocols");
    bad("frame.len matches \"x\"", "'matches' works on strings");
    bad("tcp.payload matches GET", "'matches' needs a quoted regular expression");
    bad("tcp.payload matches \"(\"", "invalid regular expression");
    bad("tcp == 1", "tcp is a protocol: test it alone");
    bad("eth.src & 1", "'&' (bitwise and) works on numbers");
    bad("tcp.port in 80", "'in' needs a set in braces");
    bad("tcp.port in {80", "has no closing '}'");
    bad("tcp.port in {}", "an empty set matches nothing");
    bad("ip.addr in {1.1.1.1..2.2.2.2}", "ranges (a..b) are for numbers");
    bad("(tcp", "expected ')' to close the '(' at character 1");
    bad("tcp)", "expected '&&', '||' or the end of the filter, found ')'");
    bad("tcp &&", "expected a field name, '(' or '!', found the end of the filter");
    bad("&& tcp", "character 1: expected a field name");
    bad("tcp.port == 80 80", "expected '&&', '||' or the end of the filter, found '80'");
    bad("tcp.payload contains \"abc", "this string has no closing quote");
    bad("ip.addr == 1.2.3.4 # comment", "unexpected character '#'");
    bad("ip.src == tcp.port", "ip.src cannot be compared with tcp.port");
    char deep[700];
    memset(deep, '(', 600);
    memcpy(deep + 600, "tcp", 4);
    bad(deep, "nests deeper than 256 levels");

    /* uses: the fields a filter reads */
    char err[256];
    pa_dfilter *f = pa_dfilter_compile("tcp.analysis.retransmission || ip.src == ip.dst", err, sizeof err);
    CHECK(f && pa_dfilter_uses(f, PA_DF_TCP_ANALYSIS_RETRANSMISSION) && pa_dfilter_uses(f, PA_DF_IP_DST) &&
          !pa_dfilter_uses(f, PA_DF_UDP));
    pa_dfilter_free(f);
    CHECK(pa_dfield_find("tcp.analysis.ack_rtt", strlen("tcp.analysis.ack_rtt")) == PA_DF_TCP_ANALYSIS_ACK_RTT);
    CHECK(pa_dfield_find("nope", 4) == -1);
    return check_done("dfilter");
}
