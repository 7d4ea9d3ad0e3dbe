/* The syslog part of analyze_network_topology (tool_syslog.c): which hosts
 * log to which collectors, at what severities, and the most severe
 * messages themselves. */
#ifndef PA_TOOL_SYSLOG_H
#define PA_TOOL_SYSLOG_H

#include "tool_common.h"
#include "tool_report.h"

/* Adds "syslog" (absent when the capture has none) to structured and its text. */
void pa_syslog_section(const pa_model *m, pa_report *rep, pa_buf *t, json_t *structured, size_t lim);

#define PA_SYSLOG_SCHEMA                                                                                               \
    ",\"syslog\":" PA_S_OBJ(                                                                                           \
        "\"messages\":" PA_S_INT ",\"rfc3164\":" PA_S_INT ",\"rfc5424\":" PA_S_INT ",\"without_priority\":" PA_S_INT   \
        ",\"by_severity\":" PA_S_COUNTS ",\"by_facility\":" PA_S_COUNTS ",\"senders\":" PA_S_ROWS(                     \
            "\"address\":" PA_S_STR ",\"hostname\":" PA_S_STR ",\"collector\":" PA_S_STR ",\"messages\":" PA_S_INT     \
            ",\"most_severe\":" PA_S_STR ",\"errors_or_worse\":" PA_S_INT ",\"by_severity\":" PA_S_COUNTS              \
            ",\"first_frame\":" PA_S_INT) ",\"most_severe_messages\":" PA_S_ROWS("\"frame\":" PA_S_INT                 \
                                                                                 ",\"sender\":" PA_S_STR               \
                                                                                 ",\"collector\":" PA_S_STR            \
                                                                                 ",\"facility\":" PA_S_STR             \
                                                                                 ",\"severity\":" PA_S_STR             \
                                                                                 ",\"hostname\":" PA_S_STR             \
                                                                                 ",\"app\":" PA_S_STR                  \
                                                                                 ",\"message\":" PA_S_STR))

#endif
