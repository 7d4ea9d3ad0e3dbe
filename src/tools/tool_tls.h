/* What the TLS tools share (tool_tls.c, tool_tls_certs.c). */
#ifndef PA_TOOL_TLS_H
#define PA_TOOL_TLS_H

#include "tool_report.h"

size_t pa_tls_arg_offset(const json_t *args);
/* "No TLS in this capture." and what the caps left out. */
void pa_tls_no_tls_note(pa_buf *t, const pa_tls_stats *s);
/* What every TLS report starts with: the model, the byte budget, the
 * file's header line. False: res already says what failed. */
bool pa_tls_begin(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res, pa_loaded *l, pa_report *rep);
/* "Mismatches 1-20 of 57 (...):" above a page's first row. */
void pa_tls_page_head(pa_buf *ln, const char *title, size_t offset, size_t lim, size_t total, const char *what);

#define TLS_INPUT(extra)                                                                                               \
    "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE "," PA_ARG_BPF "," extra     \
    "},\"additionalProperties\":false}"

#define S_FILTER(what) "{\"type\":\"string\",\"description\":\"Wireshark display filter for " what "\"}"
#define S_ABSENT(type, when) "{\"type\":\"" type "\",\"description\":\"absent when " when "\"}"

#endif
