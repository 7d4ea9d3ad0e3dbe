/* SNMP over the capture: messages counted by version, PDU type and error
 * status; requests paired with their responses (v1/v2c by request-id, v3
 * by msgID, which an encrypted PDU leaves in clear) for request ->
 * response times, and requests never answered; communities (a cleartext
 * credential: a security finding, the defaults "public" and "private"
 * called out) and v3 users with their security levels. Every table is
 * bounded. */
#ifndef PA_SNMP_TRACK_H
#define PA_SNMP_TRACK_H

#include "htab.h"
#include "packet.h"
#include "sec_track.h"
#include "snmp_parse.h"
#include "txkeep.h"

#define PA_SNMP_MAX_PENDING 65536 /* requests awaiting a response */
#define PA_SNMP_MAX_TX 20000      /* request -> response pairs listed */
#define PA_SNMP_MAX_COMMUNITIES 256
#define PA_SNMP_MAX_USERS 256
#define PA_SNMP_ERRORS 19 /* error-status values named (0-18) */

typedef struct pa_snmp_pending {
    pa_addr client, server; /* key: the request's ends, ports, kind and id */
    uint16_t cport, sport;
    uint8_t by_msgid; /* v3: the id is the msgID */
    uint8_t pad[3];
    int32_t id;
    uint64_t frame;
    int64_t ts, stream;
    uint8_t pdu, version;
    bool answered, tcp;
    uint32_t sends; /* the request and its retransmissions (same id) */
    char oid[PA_SNMP_OID_MAX];
} pa_snmp_pending;

typedef struct pa_snmp_tx {
    pa_addr client, server;
    uint16_t cport, sport;
    uint64_t req_frame, resp_frame;
    int64_t rt_ns, stream;
    bool tcp; /* stream is a tcp.stream */
    uint8_t pdu, version, resp_pdu;
    int32_t error_status;
    char oid[PA_SNMP_OID_MAX];
} pa_snmp_tx;

typedef struct pa_snmp_community {
    char name[PA_SNMP_TEXT_MAX]; /* key (with the agent) */
    pa_addr agent;
    uint8_t pad;
    uint64_t messages, first_frame;
    pa_addr client;
    bool is_default;  /* "public" or "private" */
    uint8_t versions; /* bit 0 v1, bit 1 v2c */
} pa_snmp_community;

typedef struct pa_snmp_user {
    char name[PA_SNMP_TEXT_MAX];  /* key */
    uint64_t messages, levels[4]; /* by msgFlags & 3 (2: invalid) */
    uint64_t first_frame;
    uint8_t engine_id_len;
    uint8_t engine_id[PA_SNMP_ENGINE_MAX];
} pa_snmp_user;

typedef struct pa_snmp_stats {
    uint64_t messages, malformed, tcp_messages;
    uint64_t versions[3];                /* v1, v2c, v3 */
    uint64_t pdus[PA_SNMP_PDU_TYPES];    /* clear PDUs by type */
    uint64_t encrypted;                  /* v3 PDUs encrypted */
    uint64_t errors[PA_SNMP_ERRORS + 1]; /* responses by error-status; the last: other values */
    uint64_t requests, responses, unanswered, retransmissions, orphan_responses;
    pa_snmp_tx *tx;
    size_t ntx, cap;
    uint64_t tx_dropped;
    pa_htab pending; /* pa_snmp_pending */
    uint64_t pending_dropped;
    pa_htab communities, users; /* pa_snmp_community, pa_snmp_user */
    uint64_t communities_dropped, users_dropped;
    pa_sec_stats *sec;
    pa_txkeep *keep;
} pa_snmp_stats;

int pa_snmp_stats_init(pa_snmp_stats *st);
void pa_snmp_stats_free(pa_snmp_stats *st);
/* One message parsed from p (tcp: over TCP); stream: its udp/tcp.stream. */
void pa_snmp_message(pa_snmp_stats *st, const pa_packet *p, int64_t stream, const pa_snmp_msg *m, bool tcp);
/* End of the pass: requests still waiting are unanswered; pairs by request frame. */
void pa_snmp_finish(pa_snmp_stats *st);

#endif
