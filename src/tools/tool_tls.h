/* What the TLS tools share (tool_tls.c, tool_tls_certs.c, tool_tls_quic.c). */
#ifndef PA_TOOL_TLS_H
#define PA_TOOL_TLS_H

#include "tool_common.h"
#include "tool_report.h"

size_t pa_tls_arg_offset(const json_t *args);
/* "No TLS in this capture." and what the caps left out. */
void pa_tls_no_tls_note(pa_buf *t, const pa_model *m);
/* What every TLS report starts with: the model, the byte budget, the
 * file's header line. False: res already says what failed. */
bool pa_tls_begin(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res, pa_loaded *l, pa_report *rep);
/* "Mismatches 1-20 of 57 (...):" above a page's first row. */
void pa_tls_page_head(pa_buf *ln, const char *title, size_t offset, size_t lim, size_t total, const char *what);

/* ---- QUIC in the TLS reports (tool_tls_quic.c) ---- */

/* The ClientHello's frame, else the connection's first. */
uint64_t pa_tls_conn_frame(const pa_tls_conn *c);
/* Whether a QUIC connection is listed with the TLS ones (an Initial of it
 * was seen), and whether it was closed by CRYPTO_ERROR (a TLS alert). */
bool pa_tls_quic_listed(const pa_quic_conn *q);
bool pa_tls_quic_alert(const pa_quic_conn *q);
/* The QUIC connection as a TLS record (quic set, stream = udp.stream). */
void pa_tls_quic_view(const pa_quic_conn *q, pa_tls_conn *c);

/* A connection of either kind, by position: TLS over TCP or QUIC. */
typedef struct pa_tls_ref {
    uint32_t idx;
    bool quic;
} pa_tls_ref;

/* The TLS connections and the QUIC ones in one list, in the order of their
 * ClientHello (else first) frames. */
typedef struct pa_tls_iter {
    const pa_model *m;
    size_t i;
    uint32_t j;
    pa_tls_ref ref;
    pa_tls_conn view;
} pa_tls_iter;

/* The QUIC connections' handshakes: counts by outcome and their times. */
typedef struct pa_tls_quic_totals {
    uint64_t connections, client_hellos, server_hellos, alerts;
    uint64_t outcome[PA_TLS_OUT_COUNT];
} pa_tls_quic_totals;

/* The counts tables of the TLS statistics. */
typedef struct pa_tls_tables {
    pa_tls_counts offered_ciphers, chosen_ciphers, offered_groups, key_share_groups, chosen_groups, offered_versions,
        chosen_versions, offered_exts, offered_sigalgs;
} pa_tls_tables;

const pa_tls_conn *pa_tls_conn_at(const pa_model *m, pa_tls_ref r, pa_tls_conn *view);
/* Starts with (pa_tls_iter){.m = m}; NULL at the end (it->ref names the last one). */
const pa_tls_conn *pa_tls_next(pa_tls_iter *it);
pa_tls_quic_totals pa_tls_quic_count(const pa_quic_stats *q);
/* The TLS tables with the QUIC connections' hellos counted in. */
void pa_tls_tables_with_quic(pa_tls_tables *tb, const pa_tls_stats *s, const pa_quic_stats *q);

#define TLS_INPUT(extra)                                                                                               \
    "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE "," PA_ARG_BPF "," extra     \
    "},\"additionalProperties\":false}"

#define S_FILTER(what) "{\"type\":\"string\",\"description\":\"Wireshark display filter for " what "\"}"
#define S_ABSENT(type, when) "{\"type\":\"" type "\",\"description\":\"absent when " when "\"}"

#endif
