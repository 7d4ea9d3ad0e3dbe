/* Dropbox LAN sync discovery (tshark's db-lsp-disc, UDP 17500): each
 * Dropbox client broadcasts a JSON object naming itself (host_int), its
 * protocol version, the TCP port of its LAN sync server, a display name and
 * the namespaces (shared folders) it holds. tshark names every datagram on
 * port 17500 so; besides the JSON announcement, the parser recognises a
 * CoAP message (RFC 7252), which other software sends on that port, so
 * that the port still never names a datagram alone. Pure functions, every
 * read through the cursor. */
#ifndef PA_DB_LSP_DISC_PARSE_H
#define PA_DB_LSP_DISC_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_DB_LSP_DISC_TEXT 48      /* host_int digits and the display name kept, with the NUL */
#define PA_DB_LSP_DISC_DEPTH 8      /* nesting of JSON values skipped */
#define PA_DB_LSP_DISC_NAMESPACES 8 /* namespace ids kept (all counted) */

typedef struct pa_db_lsp_disc_msg {
    char host_int[PA_DB_LSP_DISC_TEXT]; /* the client's id: a decimal number of up to 39 digits */
    char displayname[PA_DB_LSP_DISC_TEXT];
    bool has_version, has_port;
    uint32_t version[2];
    uint32_t port;
    uint32_t nnamespaces; /* namespace ids in the list */
    uint64_t namespaces[PA_DB_LSP_DISC_NAMESPACES];
} pa_db_lsp_disc_msg;

typedef enum {
    PA_DB_LSP_DISC_NOT = 0,  /* neither */
    PA_DB_LSP_DISC_ANNOUNCE, /* a JSON object with a numeric host_int */
    PA_DB_LSP_DISC_COAP      /* a CoAP message on the port */
} pa_db_lsp_disc_kind;

pa_db_lsp_disc_kind pa_db_lsp_disc_parse(const uint8_t *p, size_t n, pa_db_lsp_disc_msg *out);
/* A well-formed CoAP message: version 1, a token of at most 8 bytes, a
 * request or response code, options that tile up to the payload marker
 * or the end. */
bool pa_db_lsp_disc_is_coap(const uint8_t *p, size_t n);

#endif
