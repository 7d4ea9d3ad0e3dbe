/* Number formatting shared by the report layer. */
#ifndef PA_UTIL_FMT_H
#define PA_UTIL_FMT_H

#include <stddef.h>
#include <stdint.h>

/* "512 B", "12.3 KiB", "1.50 GiB" (1024-based, as MAX_CAPTURE_SIZE). */
void pa_fmt_bytes(char *out, size_t outlen, uint64_t n);

#endif
