/* NetBIOS Datagram Service (RFC 1002 4.4, UDP 138) and what Windows sends
 * in it: an SMB Transaction request to a mailslot (\MAILSLOT\BROWSE,
 * \MAILSLOT\LANMAN, \MAILSLOT\NET\NETLOGON) carrying the Browser protocol
 * (host, workgroup and local master announcements, elections, backup
 * lists). Pure functions over one datagram's bytes, every read through the
 * cursor; the NetBIOS names are decoded by the NBNS parser. */
#ifndef PA_NBDGM_PARSE_H
#define PA_NBDGM_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_NBDGM_NAME 128  /* a decoded NetBIOS name, with the NUL */
#define PA_NBDGM_SLOT 64   /* the mailslot name kept, with the NUL */
#define PA_BROWSER_TEXT 64 /* a browser string (server, comment) kept, with the NUL */

/* Message types (RFC 1002 4.4.1; Wireshark's nbdgm.type). */
enum {
    PA_NBDGM_DIRECT_UNIQUE = 0x10,
    PA_NBDGM_DIRECT_GROUP = 0x11,
    PA_NBDGM_BROADCAST = 0x12,
    PA_NBDGM_ERROR = 0x13,
    PA_NBDGM_QUERY = 0x14,
    PA_NBDGM_POSITIVE_QUERY = 0x15,
    PA_NBDGM_NEGATIVE_QUERY = 0x16
};

/* Browser commands (Wireshark's browser.command). */
enum {
    PA_BROWSER_HOST_ANNOUNCE = 1,
    PA_BROWSER_REQUEST_ANNOUNCE = 2,
    PA_BROWSER_ELECTION = 8,
    PA_BROWSER_BACKUP_REQUEST = 9,
    PA_BROWSER_BACKUP_RESPONSE = 10,
    PA_BROWSER_BECOME_BACKUP = 11,
    PA_BROWSER_DOMAIN_ANNOUNCE = 12,
    PA_BROWSER_MASTER_ANNOUNCE = 13,
    PA_BROWSER_RESET_STATE = 14,
    PA_BROWSER_LOCAL_MASTER_ANNOUNCE = 15
};

/* How deep the datagram goes, as tshark's last protocol names it. */
typedef enum {
    PA_NBDGM_LAYER_NBDGM = 0, /* the datagram header only (or data that is not SMB) */
    PA_NBDGM_LAYER_SMB,       /* an SMB message (not a mailslot write tshark follows further) */
    PA_NBDGM_LAYER_BROWSER,   /* \MAILSLOT\BROWSE or \MAILSLOT\LANMAN: the Browser protocol */
    PA_NBDGM_LAYER_NETLOGON   /* \MAILSLOT\NET\..., \MAILSLOT\TEMP\NETLOGON, \MAILSLOT\MSSP */
} pa_nbdgm_layer;

typedef struct pa_browser_msg {
    uint8_t command;
    bool lanman;       /* the older \MAILSLOT\LANMAN layout */
    bool has_announce; /* host, domain or local master announcement fields read */
    uint8_t update_count;
    uint32_t period_ms;           /* announcement period */
    char server[PA_BROWSER_TEXT]; /* host name; the workgroup in a domain announcement */
    uint8_t os_major, os_minor;
    uint32_t server_type;   /* SV_TYPE_* bits */
    bool has_proto_version; /* browser protocol version and signature present */
    uint8_t proto_major, proto_minor;
    uint16_t signature;
    char comment[PA_BROWSER_TEXT]; /* host comment; the master browser in a domain announcement */
    bool has_election;
    uint8_t election_version;
    uint32_t election_criteria, uptime_ms;
    uint8_t backup_count; /* backup list request or response */
    uint32_t backup_token;
} pa_browser_msg;

typedef struct pa_nbdgm_msg {
    uint8_t type, flags;
    uint16_t id;
    uint8_t src_ip[4];
    uint16_t src_port;
    bool has_len; /* dgram_len and pkt_offset (direct and broadcast datagrams) */
    uint16_t dgram_len, pkt_offset;
    bool has_error;
    uint8_t error_code;
    bool has_source, has_dest;
    int source_suffix, dest_suffix; /* -1: not a NetBIOS name */
    char source[PA_NBDGM_NAME], dest[PA_NBDGM_NAME];
    pa_nbdgm_layer layer;
    /* the SMB Transaction to a mailslot (layer SMB or deeper) */
    bool smb, smb_response;
    uint8_t smb_command;
    bool mailslot;            /* a Transaction request to \MAILSLOT\... */
    char slot[PA_NBDGM_SLOT]; /* "\MAILSLOT\BROWSE" */
    uint16_t ms_opcode, ms_priority, ms_class, ms_size;
    bool has_browser;
    pa_browser_msg browser;
} pa_nbdgm_msg;

typedef enum {
    PA_NBDGM_NOT = 0,  /* not a NetBIOS datagram (unknown type, or shorter than its header) */
    PA_NBDGM_OK,       /* everything read */
    PA_NBDGM_TRUNCATED /* a name, the SMB message or the browser message cut short: what came before is kept */
} pa_nbdgm_status;

pa_nbdgm_status pa_nbdgm_parse(const uint8_t *p, size_t n, pa_nbdgm_msg *out);
/* The Browser message of a mailslot write (data: the Transaction's data);
 * false when cut short (what was read is kept). */
bool pa_browser_parse(const uint8_t *p, size_t n, bool lanman, pa_browser_msg *out);

/* Wireshark's texts: message type, browser command, browser.windows_version
 * ("" when it has none), and a server type bit's name (NULL: unnamed). */
const char *pa_nbdgm_type_name(unsigned type);
const char *pa_browser_command_name(unsigned command);
const char *pa_browser_windows_version(unsigned major, unsigned minor);
const char *pa_browser_server_type_name(unsigned bit);
/* The roles of a server type word, comma-separated ("Workstation, Server,
 * Master Browser"), into out. */
void pa_browser_roles(uint32_t type, char *out, size_t outlen);

#endif
