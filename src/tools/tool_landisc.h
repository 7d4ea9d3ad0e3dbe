/* LAN discovery in analyze_network_topology: the hosts that announce
 * themselves with the Windows Browser protocol (NetBIOS datagrams: their
 * roles, OS version, workgroup), the workgroups and domains master
 * browsers announce, the browser elections, and the Dropbox LAN sync
 * clients, the MikroTik neighbours (analyzers nbdgm, db_lsp_disc, mndp). */
#ifndef PA_TOOL_LANDISC_H
#define PA_TOOL_LANDISC_H

#include "tool_common.h"
#include "tool_report.h"

/* Counts for the result's head and its text line. */
void pa_landisc_summary(const pa_model *m, json_t *out, pa_buf *t);
/* The lists browser_hosts, workgroups, browser_elections and
 * dropbox_lan_sync (with offset 0: `listed` rows at most each). */
void pa_landisc_lists(const pa_model *m, pa_report *rep, pa_buf *t, json_t *out, size_t listed);

/* MikroTik Neighbor Discovery devices (analyzer mndp), SLP services (srvloc) */
#define PA_LANDISC_MNDP_SCHEMA                                                                                         \
    ",\"mikrotik_neighbours\":" PA_S_ROWS(                                                                             \
        "\"address\":" PA_S_STR ",\"mac\":" PA_S_STR ",\"identity\":" PA_S_STR ",\"version\":" PA_S_STR                \
        ",\"platform\":" PA_S_STR ",\"board\":" PA_S_STR ",\"interface\":" PA_S_STR ",\"uptime\":" PA_S_INT            \
        ",\"announcements\":" PA_S_INT                                                                                 \
        ",\"first_frame\":" PA_S_INT) ",\"slp_services\":" PA_S_ROWS("\"address\":" PA_S_STR ",\"url\":" PA_S_STR      \
                                                                     ",\"message\":" PA_S_STR                          \
                                                                     ",\"lifetime\":" PA_S_INT ",\"seen\":" PA_S_INT   \
                                                                     ",\"first_frame\":" PA_S_INT)

#define PA_LANDISC_SCHEMA                                                                                                                                                                                                           \
    ",\"browser_announcements\":" PA_S_INT ",\"browser_elections_requests\":" PA_S_INT                                                                                                                                              \
    ",\"browser_hosts\":" PA_S_ROWS(                                                                                                                                                                                                \
        "\"address\":" PA_S_STR ",\"name\":" PA_S_STR ",\"workgroup\":" PA_S_STR ",\"os_version\":" PA_S_STR                                                                                                                        \
        ",\"windows_version\":" PA_S_STR ",\"server_type\":" PA_S_INT ",\"roles\":" PA_S_STRS ",\"comment\":" PA_S_STR                                                                                                              \
        ",\"local_master\":" PA_S_BOOL ",\"announcements\":" PA_S_INT ",\"first_frame\":" PA_S_INT                                                                                                                                  \
        ",\"last_frame\":" PA_S_INT) ",\"workgroups\":" PA_S_ROWS("\"name\":" PA_S_STR ",\"master_browser\":" PA_S_STR                                                                                                              \
                                                                  ",\"announcer\":" PA_S_STR                                                                                                                                        \
                                                                  ",\"announcements\":" PA_S_INT                                                                                                                                    \
                                                                  ",\"first_frame\":" PA_S_INT) ",\"browser_elections\":" PA_S_ROWS("\"address\":" PA_S_STR                                                                         \
                                                                                                                                    ",\"name\":" PA_S_STR                                                                           \
                                                                                                                                    ",\"criteria\":" PA_S_INT                                                                       \
                                                                                                                                    ",\"requests\":" PA_S_INT                                                                       \
                                                                                                                                    ",\"first_frame\":" PA_S_INT) ",\"dropbox_lan_sync\":" PA_S_ROWS("\"address\":" PA_S_STR        \
                                                                                                                                                                                                     ",\"host_int\":" PA_S_STR      \
                                                                                                                                                                                                     ",\"version\":" PA_S_STR       \
                                                                                                                                                                                                     ",\"port\":" PA_S_INT          \
                                                                                                                                                                                                     ",\"displayname\":" PA_S_STR   \
                                                                                                                                                                                                     ",\"namespaces\":" PA_S_INT    \
                                                                                                                                                                                                     ",\"announcements\":" PA_S_INT \
                                                                                                                                                                                                     ",\"first_frame\":" PA_S_INT)  \
        PA_LANDISC_MNDP_SCHEMA

#endif
