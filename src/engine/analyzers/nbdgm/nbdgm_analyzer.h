/* NetBIOS Datagram Service and the Browser protocol as a registered
 * analyzer (analyzer.h): datagrams on UDP 138 are named as tshark's last
 * protocol names them (browser, smb_netlogon, smb or nbdgm); its table
 * counts them and keeps the hosts that announce themselves to the network
 * neighbourhood (their roles, OS version, workgroup) and the workgroups
 * and elections, which analyze_network_topology reports. */
#ifndef PA_NBDGM_ANALYZER_H
#define PA_NBDGM_ANALYZER_H

#include "analyzer.h"
#include "names_track.h"
#include "nbdgm_parse.h"

#define PA_NBDGM_MAX_HOSTS 256     /* announcing hosts kept (address and name) */
#define PA_NBDGM_MAX_WORKGROUPS 64 /* workgroups and domains kept */
#define PA_NBDGM_MAX_ELECTIONS 64  /* election candidates kept (address and name) */

/* What a row of the tables below is found by: the sender and the name it
 * gave (a workgroup's row by its name alone), and when it was first seen. */
typedef struct pa_browser_key {
    pa_addr addr;
    char name[PA_BROWSER_TEXT];
    uint64_t first_frame;
} pa_browser_key;

/* A host's announcements (host or local master announcement). */
typedef struct pa_browser_host {
    pa_browser_key key;
    char workgroup[PA_NBDGM_NAME]; /* the NetBIOS name it announced to, without its <type> */
    char comment[PA_BROWSER_TEXT];
    uint8_t os_major, os_minor;
    uint32_t server_type; /* the last announcement's */
    bool local_master;    /* it sent a local master announcement */
    uint32_t announcements;
    uint64_t last_frame;
} pa_browser_host;

/* A workgroup or domain a master browser announced. */
typedef struct pa_browser_workgroup {
    pa_browser_key key;           /* its name */
    char master[PA_BROWSER_TEXT]; /* its master browser, as the announcement names it */
    pa_addr announcer;
    uint32_t server_type;
    uint32_t announcements;
} pa_browser_workgroup;

/* A host that stood in a browser election. */
typedef struct pa_browser_candidate {
    pa_browser_key key;
    uint32_t criteria, requests;
} pa_browser_candidate;

typedef struct pa_nbdgm_stats {
    uint64_t datagrams, by_type[7]; /* types 0x10..0x16 */
    uint64_t smb, mailslot_writes, netlogon, browser;
    uint64_t commands[16]; /* browser messages by command (0-15) */
    uint64_t malformed;    /* datagrams cut short: what came before is kept */
    uint32_t nhosts, nworkgroups, ncandidates;
    uint64_t hosts_dropped, workgroups_dropped, candidates_dropped;
    pa_browser_host hosts[PA_NBDGM_MAX_HOSTS];
    pa_browser_workgroup workgroups[PA_NBDGM_MAX_WORKGROUPS];
    pa_browser_candidate candidates[PA_NBDGM_MAX_ELECTIONS];
    pa_names *local; /* the local names' announcements (NULL: none) */
    pa_txkeep *keep; /* a display filter's frames (NULL: all) */
} pa_nbdgm_stats;

/* What the pass learnt of a frame (the fields are read from its bytes). */
typedef struct pa_nbdgm_frame {
    bool present;
} pa_nbdgm_frame;

/* The protocol tshark names a datagram on port 138 (PA_P_NONE: not one). */
uint8_t pa_nbdgm_name(const uint8_t *p, size_t n);
/* One datagram into the tables (the packet hook; tests). */
void pa_nbdgm_message(pa_nbdgm_stats *st, const pa_packet *p, const pa_nbdgm_msg *m, pa_nbdgm_status s);

size_t pa_nbdgm_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_nbdgm;

#endif
