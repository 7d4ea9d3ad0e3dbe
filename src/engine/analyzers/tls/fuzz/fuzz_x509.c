/* fuzz_x509: one DER certificate through the OpenSSL-based field extraction,
 * host matching and issuer check. Input: the DER bytes.
 * fuzz/run: max_len 4096 */
#include <string.h>

#include "fuzz.h"
#include "x509_info.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_cert c;
    pa_x509 *x = pa_cert_parse(data, size, &c);
    if (!x != !c.parsed) __builtin_trap();
    /* every text field stays terminated within its array */
    if (strnlen(c.subject, sizeof c.subject) >= sizeof c.subject) __builtin_trap();
    if (strnlen(c.issuer, sizeof c.issuer) >= sizeof c.issuer) __builtin_trap();
    if (strnlen(c.sans, sizeof c.sans) >= sizeof c.sans) __builtin_trap();
    if (strnlen(c.serial, sizeof c.serial) >= sizeof c.serial) __builtin_trap();
    if (strlen(c.sha256) != 64 || strlen(c.sha1) != 40) __builtin_trap();
    int m = pa_cert_matches_host(x, "www.example.test");
    if (m == -1 && c.parsed) __builtin_trap();
    (void)pa_cert_issued_by(x, x);
    pa_x509_free(x);
    return 0;
}
