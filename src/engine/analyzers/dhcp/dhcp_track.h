/* DHCP transactions and servers. A transaction is a transaction id (xid)
 * with the client's hardware address (chaddr): DISCOVER, OFFER, REQUEST and
 * ACK of one lease share it, a renewal or an INFORM has its own. Bounded:
 * PA_DHCP_MAX_TX transactions, PA_DHCP_MAX_SERVERS servers. */
#ifndef PA_DHCP_TRACK_H
#define PA_DHCP_TRACK_H

#include "dhcp_parse.h"
#include "expert.h"
#include "packet.h"
#include "txkeep.h"

#define PA_DHCP_MAX_TX 4096
#define PA_DHCP_MAX_SERVERS 64
#define PA_DHCP_TX_FRAMES 8  /* frames remembered per transaction (the first ones) */
#define PA_DHCP_TX_SERVERS 4 /* distinct servers remembered per transaction */
#define PA_DHCP_TX_DNS 4

/* How a transaction ended, worst first (the order of the tool's list). */
typedef enum {
    PA_DHCP_NAKED,      /* a server refused (NAK) */
    PA_DHCP_DECLINED,   /* the client refused the address (DECLINE: in use) */
    PA_DHCP_UNANSWERED, /* the client asked and no server answered */
    PA_DHCP_OFFERED,    /* offered, never requested (the client took another offer, or gave up) */
    PA_DHCP_ACKED,      /* acknowledged */
    PA_DHCP_RELEASED,   /* the client gave its address back */
    PA_DHCP_OTHER,      /* only server messages, or types with no outcome (lease queries) */
    PA_DHCP_OUTCOMES
} pa_dhcp_outcome;

const char *pa_dhcp_outcome_name(pa_dhcp_outcome o); /* "nak", "declined", "unanswered", ... */

typedef struct pa_dhcp_tx {
    uint32_t xid;
    uint8_t hlen;
    uint8_t chaddr[16];
    bool mac;     /* chaddr holds an Ethernet MAC */
    bool relayed; /* a relay agent forwarded it (giaddr set) */
    char hostname[PA_DHCP_HOSTNAME];
    uint32_t types;    /* bit t: a message of type t was seen */
    uint32_t messages; /* messages seen */
    uint8_t nframes;
    uint64_t frames[PA_DHCP_TX_FRAMES];
    /* the first message of each type 1..8 (Discover .. Inform): frame, time */
    uint64_t frame_of[PA_DHCP_INFORM + 1];
    int64_t ts_of[PA_DHCP_INFORM + 1];
    uint64_t retransmits; /* client messages of a type already seen */
    bool has_offered, has_acked, has_requested, has_lease, has_router, has_mask;
    uint8_t offered[4], acked[4], requested[4], router[4], mask[4];
    uint32_t lease;
    uint8_t ndns;
    uint8_t dns[PA_DHCP_TX_DNS][4];
    uint8_t nservers; /* distinct servers that offered, acknowledged or refused */
    uint8_t servers[PA_DHCP_TX_SERVERS][4];
    char nak_message[PA_DHCP_MESSAGE];
    pa_addr client_ip; /* the client's source address (0.0.0.0 before it has one) */
} pa_dhcp_tx;

/* Times of a transaction in ns, -1 when a message is missing:
 * DISCOVER -> OFFER, DISCOVER -> ACK, REQUEST -> ACK (renewals), and the
 * time to the answer: DISCOVER (else REQUEST, else INFORM) to the ACK or
 * NAK. */
int64_t pa_dhcp_tx_time(const pa_dhcp_tx *t, unsigned from, unsigned to);
int64_t pa_dhcp_tx_answer_ns(const pa_dhcp_tx *t);
pa_dhcp_outcome pa_dhcp_tx_outcome(const pa_dhcp_tx *t);

typedef struct pa_dhcp_server {
    uint8_t id[4]; /* option 54, else the source address */
    uint64_t offers, acks, naks, messages;
    uint64_t first_frame;
    uint32_t transactions; /* it answered, counted once each */
} pa_dhcp_server;

typedef struct pa_dhcp_stats {
    uint64_t messages, bootp, malformed, bad_options, relayed;
    uint64_t types[PA_DHCP_TYPES]; /* by option 53 */
    uint64_t multi_server_tx;      /* transactions that more than one server answered */
    pa_dhcp_tx *tx;
    uint32_t ntx, tx_cap;
    uint64_t tx_dropped; /* messages of transactions beyond the cap */
    uint32_t *index;     /* open addressing over tx (2 * PA_DHCP_MAX_TX slots, 1 + index; 0: free) */
    pa_dhcp_server servers[PA_DHCP_MAX_SERVERS];
    uint32_t nservers;
    uint64_t servers_dropped; /* server messages from servers beyond the cap */
    pa_expert *ex;
    pa_txkeep *keep;
} pa_dhcp_stats;

/* One parsed message that p carried. */
void pa_dhcp_message(pa_dhcp_stats *st, const pa_packet *p, const pa_dhcp_msg *m);
void pa_dhcp_stats_free(pa_dhcp_stats *st);

#endif
