/* The local names of a capture (mDNS, LLMNR, NBNS, SSDP: the engine's
 * names_track.h) as analyze_network_topology reports them: the names each
 * host announced on its row, the names asked and who answered, the hosts
 * that answer names they were asked in LLMNR or NBNS as a poisoner would,
 * and the SSDP devices. */
#ifndef PA_TOOL_NAMES_H
#define PA_TOOL_NAMES_H

#include "tool_common.h"
#include "tool_report.h"

#define PA_NAMES_HOST_SHOWN 6 /* names shown on a host's row */

/* Adds the names `host` announced to its row: "names" in the JSON, ", names ..." to the line. */
void pa_names_host(const pa_model *m, const pa_addr *host, json_t *row, pa_buf *line);
/* Counts for the result's head ("local_name_count", ...) and its text line. */
void pa_names_summary(const pa_model *m, json_t *out, pa_buf *t);
/* The lists local_names, name_answer_suspects and ssdp_devices (with offset 0: `listed` rows at most). */
void pa_names_lists(const pa_model *m, pa_report *rep, pa_buf *t, json_t *out, size_t listed);

/* Their output-schema properties. */
#define PA_NAMES_HOST_SCHEMA "\"names\":" PA_S_ROWS("\"kind\":" PA_S_STR ",\"name\":" PA_S_STR)
#define PA_NAMES_PARTY                                                                                                 \
    PA_S_ROWS("\"address\":" PA_S_STR ",\"messages\":" PA_S_INT ",\"responses\":" PA_S_INT                             \
              ",\"first_frame\":" PA_S_INT ",\"addresses\":" PA_S_STRS)
#define PA_NAMES_SCHEMA                                                                                                                                             \
    ",\"local_name_count\":" PA_S_INT ",\"local_names_unanswered\":" PA_S_INT ",\"local_names\":" PA_S_ROWS(                                                        \
        "\"protocol\":" PA_S_STR ",\"name\":" PA_S_STR ",\"queries\":" PA_S_INT ",\"answers\":" PA_S_INT                                                            \
        ",\"unanswered\":" PA_S_BOOL ",\"group\":" PA_S_BOOL ",\"answered_by_several\":" PA_S_BOOL                                                                  \
        ",\"first_query_frame\":" PA_S_INT ",\"first_answer_frame\":" PA_S_INT ",\"askers\":" PA_NAMES_PARTY                                                        \
        ",\"more_askers\":" PA_S_INT ",\"answerers\":" PA_NAMES_PARTY                                                                                               \
        ",\"more_answerers\":" PA_S_INT) ",\"name_answer_suspects\":" PA_S_ROWS("\"address\":" PA_S_STR                                                             \
                                                                                ",\"names_answered\":" PA_S_INT                                                     \
                                                                                ",\"names_also_answered_by_others\":" PA_S_INT                                      \
                                                                                ",\"first_frame\":" PA_S_INT                                                        \
                                                                                ",\"names\":" PA_S_STRS) ",\"ssdp_devices\":" PA_S_ROWS("\"address\":" PA_S_STR     \
                                                                                                                                        ",\"servers\":" PA_S_STRS   \
                                                                                                                                        ",\"locations\":" PA_S_STRS \
                                                                                                                                        ",\"usns\":" PA_S_STRS      \
                                                                                                                                        ",\"usn_count\":" PA_S_INT  \
                                                                                                                                        ",\"first_frame\":" PA_S_INT)

#endif
