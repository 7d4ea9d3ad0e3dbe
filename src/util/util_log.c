#include "util_log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <strings.h>

static const char *const names[] = {"debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"};

/* The one process-wide setting: stderr verbosity, chosen at startup. */
static _Atomic int stderr_level = PA_LOG_WARNING;

int pa_log_level_parse(const char *s) {
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcasecmp(s, names[i]) == 0) return i;
    return -1;
}

const char *pa_log_level_name(pa_log_level l) {
    return (unsigned)l < sizeof names / sizeof names[0] ? names[l] : "none";
}

void pa_log_set_stderr_level(pa_log_level l) { atomic_store(&stderr_level, (int)l); }

void pa_log(pa_log_level l, const char *fmt, ...) {
    if ((int)l < atomic_load(&stderr_level)) return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* One fprintf per line: stdio locks the stream, so lines stay whole. */
    fprintf(stderr, "pcap-analyzer-mcp-server: %s: %s\n", pa_log_level_name(l), line);
}
