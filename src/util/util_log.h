/* Diagnostics for people go to stderr, never stdout (stdout is the protocol
 * channel). Level names follow RFC 5424, as MCP's logging does. */
#ifndef PA_UTIL_LOG_H
#define PA_UTIL_LOG_H

typedef enum {
    PA_LOG_DEBUG = 0,
    PA_LOG_INFO,
    PA_LOG_NOTICE,
    PA_LOG_WARNING,
    PA_LOG_ERROR,
    PA_LOG_CRITICAL,
    PA_LOG_ALERT,
    PA_LOG_EMERGENCY,
    PA_LOG_NONE /* sentinel: nothing is emitted */
} pa_log_level;

/* Parses "debug" … "emergency" (case-insensitive); returns -1 when unknown. */
int pa_log_level_parse(const char *s);
const char *pa_log_level_name(pa_log_level l);

void pa_log_set_stderr_level(pa_log_level l);
__attribute__((format(printf, 2, 3))) void pa_log(pa_log_level l, const char *fmt, ...);

#endif
