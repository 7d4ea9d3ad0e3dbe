/* DHCPv6 exchanges and servers. A client's exchange starts with a Solicit
 * (or a Request, Renew, Rebind, Confirm, Release, Decline or
 * Information-request of its own) and gathers the messages with its
 * transaction ids and client DUID: the Request that follows an Advertise
 * has a new transaction id (RFC 8415 18.2.2) and joins the open exchange of
 * the same client, so Solicit -> Reply is measured across both. Bounded:
 * PA_DHCPV6_MAX_TX exchanges, PA_DHCPV6_MAX_SERVERS servers. */
#ifndef PA_DHCPV6_TRACK_H
#define PA_DHCPV6_TRACK_H

#include "dhcpv6_parse.h"
#include "expert.h"
#include "packet.h"
#include "txkeep.h"

#define PA_DHCPV6_MAX_TX 4096
#define PA_DHCPV6_MAX_SERVERS 64
#define PA_DHCPV6_TX_XIDS 4    /* transaction ids per exchange */
#define PA_DHCPV6_TX_FRAMES 8  /* frames remembered per exchange (the first ones) */
#define PA_DHCPV6_TX_SERVERS 4 /* distinct servers remembered per exchange */
#define PA_DHCPV6_TX_DNS 4
#define PA_DHCPV6_JOIN_NS 120000000000LL /* a Request joins an open exchange of its client this recent */

/* How an exchange ended, worst first (the order of the tool's list). */
typedef enum {
    PA_DHCPV6_ERROR,      /* a server answered with a non-success status (NoAddrsAvail, NotOnLink ...) */
    PA_DHCPV6_DECLINED,   /* the client declined an address */
    PA_DHCPV6_UNANSWERED, /* the client asked and no server answered */
    PA_DHCPV6_ADVERTISED, /* advertised, never requested */
    PA_DHCPV6_REPLIED,    /* a Reply with success */
    PA_DHCPV6_RELEASED,   /* the client released its lease */
    PA_DHCPV6_OTHER,      /* only server messages, or nothing that ends an exchange */
    PA_DHCPV6_OUTCOMES
} pa_dhcpv6_outcome;

const char *pa_dhcpv6_outcome_name(pa_dhcpv6_outcome o); /* "status-error", "declined", ... */
/* RFC 8415 21.13 and RFC 8415 24 names ("NoAddrsAvail"), or NULL */
const char *pa_dhcpv6_status_name(unsigned code);

typedef struct pa_dhcpv6_tx {
    uint8_t duid_len;
    uint8_t duid[PA_DHCPV6_DUID];
    uint8_t nxids;
    uint32_t xids[PA_DHCPV6_TX_XIDS];
    pa_addr client; /* the client's source address (its link-local one), or the relayed peer's */
    bool relayed;
    uint32_t types;    /* bit t: a message of type t (1..13) was seen */
    uint32_t messages; /* messages seen */
    uint64_t retransmits;
    uint8_t nframes;
    uint64_t frames[PA_DHCPV6_TX_FRAMES];
    uint64_t frame_of[PA_DHCPV6_RELAY_FORW]; /* first message of each type 1..11 */
    int64_t ts_of[PA_DHCPV6_RELAY_FORW];
    int64_t last_ts;
    bool has_addr, has_prefix, has_status;
    uint8_t addr[16]; /* the first address a Reply (else an Advertise) gave */
    uint32_t preferred, valid;
    uint8_t prefix[16], prefix_len;
    uint32_t prefix_valid;
    uint8_t ndns;
    uint8_t dns[PA_DHCPV6_TX_DNS][16];
    uint16_t status; /* the first non-success status a server sent */
    char status_msg[PA_DHCPV6_STATUS_MSG];
    uint8_t nservers;
    uint32_t servers[PA_DHCPV6_TX_SERVERS]; /* indexes + 1 into the servers table (0: beyond its cap) */
} pa_dhcpv6_tx;

int64_t pa_dhcpv6_tx_time(const pa_dhcpv6_tx *t, unsigned from, unsigned to);
/* The first client message (Solicit, else the earliest) to the first Reply;
 * -1 when none. */
int64_t pa_dhcpv6_tx_answer_ns(const pa_dhcpv6_tx *t);
pa_dhcpv6_outcome pa_dhcpv6_tx_outcome(const pa_dhcpv6_tx *t);

typedef struct pa_dhcpv6_server {
    uint8_t duid_len;
    uint8_t duid[PA_DHCPV6_DUID];
    pa_addr addr; /* the source address of its first message */
    uint64_t advertises, replies, errors, messages;
    uint64_t first_frame;
    uint32_t transactions;
} pa_dhcpv6_server;

typedef struct pa_dhcpv6_stats {
    uint64_t messages, malformed, relayed;
    uint64_t types[PA_DHCPV6_TYPES]; /* by the innermost message's type */
    uint64_t multi_server_tx;        /* exchanges that more than one server answered */
    uint64_t replies_unmatched;      /* server messages whose exchange had no client message */
    pa_dhcpv6_tx *tx;
    uint32_t ntx, tx_cap;
    uint64_t tx_dropped;
    uint32_t *index; /* transaction id -> 1 + exchange (open addressing; 0: free) */
    pa_dhcpv6_server servers[PA_DHCPV6_MAX_SERVERS];
    uint32_t nservers;
    uint64_t servers_dropped;
    pa_expert *ex;
    pa_txkeep *keep;
} pa_dhcpv6_stats;

void pa_dhcpv6_message(pa_dhcpv6_stats *st, const pa_packet *p, const pa_dhcpv6_msg *m);
void pa_dhcpv6_stats_free(pa_dhcpv6_stats *st);

#endif
