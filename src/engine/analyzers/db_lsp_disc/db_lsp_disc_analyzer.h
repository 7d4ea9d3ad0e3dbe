/* Dropbox LAN sync discovery as a registered analyzer (analyzer.h): UDP
 * datagrams on port 17500 that parse as a Dropbox announcement (or as a
 * CoAP message, which tshark names db-lsp-disc there too) are named
 * db-lsp-disc; the announcing clients (host_int, version, LAN sync port,
 * namespaces) are kept for analyze_network_topology. */
#ifndef PA_DB_LSP_DISC_ANALYZER_H
#define PA_DB_LSP_DISC_ANALYZER_H

#include "analyzer.h"
#include "db_lsp_disc_parse.h"
#include "names_track.h"

#define PA_DB_LSP_DISC_MAX_CLIENTS 128 /* announcing clients kept (address and host_int) */

typedef struct pa_db_lsp_disc_client {
    pa_addr addr;
    char host_int[PA_DB_LSP_DISC_TEXT];
    char displayname[PA_DB_LSP_DISC_TEXT];
    uint32_t version[2], port, namespaces;
    uint32_t announcements;
    uint64_t first_frame, last_frame;
} pa_db_lsp_disc_client;

typedef struct pa_db_lsp_disc_stats {
    uint64_t datagrams, announcements, coap; /* named datagrams: Dropbox announcements, CoAP messages */
    uint32_t nclients;
    uint64_t clients_dropped;
    pa_db_lsp_disc_client clients[PA_DB_LSP_DISC_MAX_CLIENTS];
    pa_names *local;
    pa_txkeep *keep;
} pa_db_lsp_disc_stats;

typedef struct pa_db_lsp_disc_frame {
    bool present;
} pa_db_lsp_disc_frame;

/* One named datagram into the table (the packet hook; tests). */
void pa_db_lsp_disc_message(pa_db_lsp_disc_stats *st, const pa_packet *p, pa_db_lsp_disc_kind kind,
                            const pa_db_lsp_disc_msg *m);

size_t pa_db_lsp_disc_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_db_lsp_disc;

#endif
