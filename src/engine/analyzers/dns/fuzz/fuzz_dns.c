/* fuzz_dns: one DNS message through the parser (names with compression
 * pointers, every record section, EDNS).
 * fuzz/run: max_len 2048 */
#include <string.h>

#include "dns_parse.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_dns_msg m;
    pa_dns_status st = pa_dns_parse(data, size, &m);
    if (st == PA_DNS_OK) {
        /* invariants: names are NUL-terminated and printable, within their fields */
        if (strnlen(m.qname, sizeof m.qname) >= sizeof m.qname) __builtin_trap();
        for (const char *c = m.qname; *c; c++)
            if ((unsigned char)*c < 0x21 || (unsigned char)*c > 0x7e) __builtin_trap();
        if (strnlen(m.first_answer, sizeof m.first_answer) >= sizeof m.first_answer) __builtin_trap();
        (void)pa_dns_rcode_name(m.rcode);
        (void)pa_dns_type_name(m.qtype);
    }
    return 0;
}
