/* The DNS parser on hand-made messages: compression, loops, forward
 * pointers, truncation, EDNS extended rcode. */
#include "app_dns.h"
#include "check.h"

int main(void) {
    pa_dns_msg m;
    /* response: www.example.test A, answer via a pointer to the question */
    const uint8_t ok[] = {0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 1,
                          3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0,
                          0, 1, 0, 1,
                          0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1,
                          0, 0, 41, 16, 0, 1, 0, 0, 0, 0, 0}; /* OPT: ext rcode 1 -> 16 */
    CHECK(pa_dns_parse(ok, sizeof ok, &m) == PA_DNS_OK);
    CHECK(m.id == 0x1234 && m.qr && m.rd && m.ra && m.has_question);
    CHECK_STR(m.qname, "www.example.test");
    CHECK(m.qtype == 1 && m.answers == 1 && m.min_ttl == 60);
    CHECK_STR(m.first_answer, "192.0.2.1");
    CHECK(m.edns && m.edns_udp_size == 4096 && m.rcode == 16);
    CHECK_STR(pa_dns_rcode_name(m.rcode), "BADVERS");

    /* a pointer to itself (a loop) and a forward pointer are refused */
    const uint8_t loop[] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1};
    CHECK(pa_dns_parse(loop, sizeof loop, &m) == PA_DNS_BAD_NAME);
    const uint8_t fwd[] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 14, 1, 'a', 0, 0, 1, 0, 1};
    CHECK(pa_dns_parse(fwd, sizeof fwd, &m) == PA_DNS_BAD_NAME);
    /* cut short inside the question */
    CHECK(pa_dns_parse(ok, 20, &m) == PA_DNS_TRUNCATED);
    CHECK(pa_dns_parse(ok, 5, &m) == PA_DNS_TRUNCATED);
    /* a name with a byte outside printable ASCII is shown with '?' */
    const uint8_t odd[] = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2, 'a', 0x0a, 0, 0, 16, 0, 1};
    CHECK(pa_dns_parse(odd, sizeof odd, &m) == PA_DNS_OK);
    CHECK_STR(m.qname, "a?");
    CHECK(m.qtype == 16 && !m.qr);
    /* the root */
    const uint8_t root[] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1};
    CHECK(pa_dns_parse(root, sizeof root, &m) == PA_DNS_OK);
    CHECK_STR(m.qname, "<Root>");
    return check_done("dns");
}
