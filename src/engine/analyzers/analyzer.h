/* The analyzer registry: every application protocol the engine parses is
 * one entry of analyzers.def and one folder analyzers/<name>/ holding its
 * parser, its tracker and <name>_analyzer.c, which fills a pa_analyzer.
 * The pass walks the table (pass/fold.c); nothing outside the folder names
 * the protocol but the tools that report it (docs/ARCHITECTURE.md, "Adding
 * a protocol").
 *
 * An analyzer owns two kinds of state: its table in the model (a member of
 * pa_model named after it, of the type its table line gives, e.g. m->dns)
 * and, per flow it follows, a state it allocates (pa_flow.app_state[id]).
 * Hooks it does not need stay NULL. */
#ifndef PA_ANALYZER_H
#define PA_ANALYZER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "expert.h"
#include "field.h"
#include "packet.h"
#include "sec_track.h"
#include "tcp_analysis.h"
#include "txkeep.h"

/* Analyzer ids, in table order (the order the pass calls them in). */
enum {
#define PA_ANALYZER(name, stats_type) PA_AN_##name,
#include "analyzers.def"
#undef PA_ANALYZER
    PA_AN_COUNT
};
#define PA_AN_BIT(name) (1ull << PA_AN_##name)

/* A media flow another protocol's message announced (an SDP m= line): the
 * analyzers with an expected hook learn where to look for it, as
 * Wireshark's SDP sets up RTP conversations. */
typedef struct pa_app_expect {
    pa_addr addr;
    uint16_t port;
    uint8_t kind;   /* 1 RTP, 2 RTCP, 3 other media (T.38 UDPTL and the like) */
    uint32_t call;  /* the announcer's call number (0: none) */
    uint64_t frame; /* the frame that announced it */
    uint8_t nmap;   /* payload-type names (a=rtpmap) */
    struct {
        uint8_t pt;
        uint32_t rate;
        char name[24];
    } map[16];
} pa_app_expect;

/* Bytes of a protocol that another protocol carries (DCE/RPC in an SMB2
 * named pipe): the carrier hands them to the carried protocol's analyzer
 * through env->carry, with that analyzer's state for the carried stream,
 * which the carrier keeps (and ends with the analyzer's flow_finish and
 * flow_free when the carried stream ends). */
typedef struct pa_app_carried {
    const pa_packet *p;  /* the frame that carried them */
    uint32_t stream;     /* the carrier's tcp.stream */
    bool to_server;      /* sent by the client */
    const uint8_t *data; /* the carried bytes, in order within the carried stream */
    uint32_t len;
    uint64_t key;    /* the carried stream, unique within the carrier's flow */
    const char *via; /* how it is carried (a pipe name), for results; may be NULL */
    void **state;    /* the carried analyzer's state for this stream (NULL until it allocates) */
} pa_app_carried;

/* What the pass lends an analyzer for one fold. */
typedef struct pa_app_env {
    /* the analyzer's facts of the frame being folded (its frame_size bytes,
     * reset by frame_reset before each frame), for display filters and
     * packet details; NULL when nobody reads them (the hooks then skip the
     * work of filling them) */
    void *frame;
    uint64_t frame_no; /* the frame being folded */
    /* the caller's callback (pa_engine_opts.on_app) for this analyzer's
     * events, whose type its header names; NULL: none */
    void (*on_event)(void *ud, int analyzer, const void *event);
    void *on_event_ud;
    /* Set by the packet hook: the protocol the datagram is, found by the
     * analyzer's own state when no look named it (RTP on a port an SDP
     * announced); the pass names the packet, and its flow when unnamed.
     * Reset before each call. */
    uint8_t named;
    /* Messages of the protocol that ended in the frame being folded (its
     * segment hook counts them; reset for each frame): see pdu_frames. */
    uint32_t pdus;
    /* the analyzer's heuristic (off by default, as tshark's heuristic
     * dissectors: pa_engine_opts.heuristics) */
    bool heuristic;
    int64_t first_ts_ns; /* the capture's first frame (times relative to it) */
    /* An announced media flow, handed to every analyzer's expected hook. */
    void (*expect)(void *ud, const pa_app_expect *e);
    void *expect_ud;
    /* Carried bytes for analyzer `to` (pa_app_carried): its carried hook. */
    void (*carry)(void *ud, int to, const pa_app_carried *c);
    void *carry_ud;
} pa_app_env;

/* One TCP segment of a flow, as an analyzer sees it. */
typedef struct pa_app_segment {
    const pa_packet *p;
    int from;                /* flow key side that sent it (0: side a) */
    uint8_t app;             /* the protocol the flow was named (pa_proto) */
    uint32_t stream;         /* tcp.stream */
    const pa_tcp_state *tcp; /* the connection's TCP analysis (NULL: not analysed) */
    uint64_t attached;       /* analyzers holding state on the flow, PA_AN_BIT each */
    /* The flow continues a connection whose session started on another
     * flow: a Multipath TCP subflow that joined a connection named proto
     * (pass/fold_mptcp.c). Its bytes are pieces of that connection's data
     * stream from the middle, so no unit of the protocol starts where they
     * start: only analyzers with `continued` set are handed its segments
     * (nor is any other asked whether its bytes start its protocol). */
    bool continued;
} pa_app_segment;

/* How a protocol is recognised from a flow's payload: never by its port
 * alone. A look with port 0 applies on any port and must be strict on its
 * own; one with a port applies only when either port of the packet is that
 * port, where the port and the bytes together name the protocol (so it may
 * accept what a strict look would not, as tshark's port tables do). */
typedef struct pa_app_look {
    uint8_t l4;    /* PA_P_TCP or PA_P_UDP; 0 ends a list */
    uint16_t port; /* 0: any port */
    uint8_t proto; /* the name it gives (pa_proto) */
    bool (*look)(const pa_packet *p);
    /* A later payload of a flow it named (TCP or UDP), which the look alone
     * may not accept (QUIC short headers) or which names a successor (SMB2
     * after an SMB negotiate): the protocol it carries, or PA_P_NONE when it
     * does not say (a UDP datagram then goes unnamed, a TCP segment keeps
     * the flow's name). NULL: a UDP datagram must pass the look. */
    uint8_t (*next)(const pa_packet *p);
    /* an any-port look asked only after the port-bound ones, as Wireshark
     * tries its heuristics after its port tables (RTCP) */
    bool after_ports;
} pa_app_look;

/* A table of the analyzer that stops growing at a cap: what results say
 * when it was reached (limits_reached in every tool's capture summary). */
typedef struct pa_app_cap {
    const char *table;  /* its name in results */
    uint64_t cap;       /* 0: not a fixed cap (memory ran out) */
    size_t overflow_at; /* offsetof the uint64_t in the stats counting what the cap left out */
    const char *effect; /* what that count counts and what it means */
} pa_app_cap;

typedef struct pa_analyzer {
    const char *name; /* as in analyzers.def */
    uint8_t proto;    /* the pa_proto a flow it serves is named */

    /* ---- naming a flow and its packets (analyzers/detect) ---- */
    const pa_app_look *looks; /* the protocols it recognises, {0} last */
    /* Over TCP, a frame of a flow it names counts as the protocol in the
     * hierarchy (and the packet list) only when a message ended in it
     * (env->pdus), as tshark -z io,phs counts reassembled PDUs: the other
     * segments are plain tcp there. */
    bool pdu_frames;

    /* ---- the model's table ---- */
    int (*init)(void *stats); /* 0, or -1 when out of memory */
    /* where its expert messages, security evidence and a display filter's
     * kept transactions go (each may be NULL) */
    void (*link)(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep);
    /* the pass starts (env: lent until it ends) or ends (env NULL: forget it) */
    void (*bind)(void *stats, pa_app_env *env);
    void (*finish)(void *stats); /* end of the capture, after every flow's flow_finish */
    void (*free)(void *stats);
    size_t (*memory)(const void *stats); /* heap bytes counted in the model's memory */

    /* ---- packets ---- */
    /* every UDP datagram with payload, of a flow or not (stream -1); TCP
     * payloads too when packet_tcp (TCP byte streams go to segment) */
    void (*packet)(void *stats, pa_app_env *env, const pa_packet *p, int64_t stream);
    bool packet_tcp;
    /* A flow of another protocol may turn to this one (STARTTLS): a TCP
     * payload that starts it. NULL: only flows named proto. */
    bool (*upgrade)(const uint8_t *payload, size_t len);
    /* a media flow another analyzer announced (pa_app_expect) */
    void (*expected)(void *stats, const pa_app_expect *e);
    /* bytes of its protocol another analyzer carries (pa_app_carried) */
    void (*carried)(void *stats, pa_app_env *env, const pa_app_carried *c);
    /* a TCP segment of a flow named proto, of one it holds state on, or one
     * whose payload upgrade accepts; *state is its per-flow state (NULL
     * until it allocates one) */
    void (*segment)(void *stats, pa_app_env *env, void **state, const pa_app_segment *s);
    /* It reads continued flows (pa_app_segment.continued) as what they are,
     * bytes from the middle of a session (SSH counts them as encrypted, as
     * tshark labels them); analyzers without it never see such a flow (TLS
     * and HTTP: their records and messages cannot be found from the middle,
     * and a parse from there would only report garbage). */
    bool continued;
    /* A strict look at the first payload of a UDP flow no port names, for
     * the security evidence of protocols off their ports; NULL: none. */
    bool (*probe_udp)(const pa_packet *p);

    /* ---- per-flow state ---- */
    void (*flow_finish)(void *stats, void *state); /* the connection ended: report what it holds */
    void (*flow_free)(void *state);
    bool (*flow_holds_data)(const void *state); /* bytes held behind a hole (NULL: never) */

    /* ---- facts of one frame ---- */
    size_t frame_size;
    void (*frame_reset)(void *frame);
    bool (*frame_has)(const void *frame); /* whether the frame carried it */

    /* ---- caps ---- */
    const pa_app_cap *caps; /* a NULL table ends the list; NULL: none */
    /* bytes of distinct-value counters (pa_distinct_budget) it uses, and
     * where it counts those the budget refused: reported with the engine's */
    uint64_t distinct_budget;
    size_t distinct_refused_at; /* offsetof in the stats (a uint64_t) */

    /* ---- display-filter fields: <name>_fields.def, their values here ---- */
    /* Other Wireshark protocols whose fields it offers (NULL last; NULL:
     * none): those dissected inside its own that name no frame (the SMB
     * mailslot header inside a NetBIOS datagram, mailslot.*). */
    const char *const *field_protocols;
    size_t (*field_values)(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);
} pa_analyzer;

/* The table, in analyzers.def order. */
extern const pa_analyzer *const pa_analyzers[PA_AN_COUNT];

#endif
