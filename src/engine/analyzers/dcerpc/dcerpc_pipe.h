/* DCE-RPC over a byte stream, whatever carries it: a TCP connection (the
 * endpoint mapper on 135 and the ports it hands out) or an SMB named pipe.
 * Per direction, PDUs are cut by their frag_length across the pieces they
 * come in (several per piece, or one over many); per connection, the
 * presentation contexts a bind or alter_context proposed (context id ->
 * interface), the calls waiting for their response (call id -> context,
 * opnum, request time), bind results and faults. Response times are
 * computed as Wireshark's dcerpc,srt tap does them. Every table is bounded. */
#ifndef PA_DCERPC_PIPE_H
#define PA_DCERPC_PIPE_H

#include <stdbool.h>
#include <stdint.h>

#include "dcerpc_parse.h"
#include "expert.h"
#include "htab.h"
#include "packet.h"
#include "tcp_stream.h"
#include "txkeep.h"

#define PA_DCERPC_CTX_MAX 64       /* presentation contexts remembered per connection */
#define PA_DCERPC_CALLS_MAX 128    /* calls remembered per connection (oldest forgotten first) */
#define PA_DCERPC_BINDS_MAX 8      /* binds awaiting their ack per connection */
#define PA_DCERPC_MAX_SRT 4096     /* interface/opnum rows of the response-time table */
#define PA_DCERPC_MAX_CALLS 20000  /* answered calls and faults kept for listings */
#define PA_DCERPC_MAX_REJECTS 2000 /* bind rejections kept for listings */
#define PA_DCERPC_FRAME_PDUS 16    /* PDUs whose facts a frame keeps */
#define PA_DCERPC_FRAME_VALS 32    /* context items (or results) a frame keeps */

/* Who talks on a connection (or pipe), for listings. */
typedef struct pa_dcerpc_ends {
    pa_addr client, server;
    uint16_t cport, sport;
    int64_t stream; /* tcp.stream; -1 none */
} pa_dcerpc_ends;

/* One row of `tshark -z dcerpc,srt`: an interface version's opnum. */
typedef struct pa_dcerpc_srt {
    uint8_t uuid[16]; /* key: uuid, version, opnum */
    uint16_t ver, opnum;
    uint64_t calls;
    int64_t min_ns, max_ns, sum_ns;
} pa_dcerpc_srt;

/* A call's outcome: its response or fault, with the request it answers. */
typedef struct pa_dcerpc_call {
    pa_dcerpc_ends ends;
    uint64_t req_frame; /* 0: the request was not seen */
    uint64_t resp_frame;
    int64_t rt_ns; /* -1: no request seen */
    uint32_t call_id;
    bool fault, has_iface;
    uint32_t status; /* fault */
    uint8_t uuid[16];
    uint16_t ver, opnum, ctx_id;
} pa_dcerpc_call;

/* A presentation context the server did not accept, or a bind_nak. */
typedef struct pa_dcerpc_reject {
    pa_dcerpc_ends ends;
    uint64_t frame;
    uint32_t call_id;
    uint8_t ptype;           /* Bind_ack, Alter_context_resp or Bind_nak */
    uint16_t result, reason; /* Bind_nak: result 0xffff, reason its reject reason */
    bool has_iface;
    uint8_t uuid[16];
    uint16_t ver;
} pa_dcerpc_reject;

typedef struct pa_dcerpc_stats {
    uint64_t connections, pdus, malformed, gaps, resyncs;
    uint64_t by_ptype[PA_DCERPC_NPTYPES];
    uint64_t calls, responses, faults, unmatched, accepted, rejected, bind_naks;
    pa_htab srt; /* pa_dcerpc_srt */
    uint64_t srt_overflow;
    pa_dcerpc_call *done; /* answered calls and faults, in the order they ended */
    size_t ndone, donecap;
    uint64_t done_dropped;
    pa_dcerpc_reject *rejects;
    size_t nrejects, rejcap;
    uint64_t rejects_dropped, ctx_dropped, calls_forgotten;
    pa_expert *ex;
    pa_txkeep *keep;
} pa_dcerpc_stats;

/* One PDU of a frame. */
typedef struct pa_dcerpc_frame_pdu {
    pa_dcerpc_hdr h;
    bool has_call; /* request, response, fault: alloc hint, context id */
    uint32_t alloc_hint;
    bool has_opnum;
    uint16_t opnum;
    bool has_status;
    uint32_t status;
    bool has_time; /* a response or fault whose request was seen */
    int64_t time_ns;
    uint64_t request_in;
    bool request_in_twice; /* tshark shows it again in the interface's own tree */
    bool has_bind;         /* bind, alter and their acks: max_xmit, max_recv, assoc_group */
    uint16_t max_xmit, max_recv;
    uint32_t assoc_group;
    bool has_items;
    uint8_t nitems;
    bool has_reject;
    uint16_t reject_reason;
} pa_dcerpc_frame_pdu;

/* What a frame carried, as tshark 4.0 shows it (display filters dcerpc.*). */
typedef struct pa_dcerpc_frame {
    bool present;
    uint8_t npdu;
    pa_dcerpc_frame_pdu pdu[PA_DCERPC_FRAME_PDUS];
    uint8_t nctx;
    uint16_t ctx_id[PA_DCERPC_FRAME_VALS]; /* requests', responses', faults' and bind items' */
    uint8_t nbind;
    pa_dcerpc_syntax bind[PA_DCERPC_FRAME_VALS]; /* bind and alter_context items */
    char bind_text[PA_DCERPC_FRAME_VALS][37];    /* their UUIDs as text (field values point here) */
    uint8_t nres, nreason;
    uint16_t result[PA_DCERPC_FRAME_VALS], reason[PA_DCERPC_FRAME_VALS]; /* reasons of rejections only */
} pa_dcerpc_frame;

typedef struct pa_dcerpc_conn pa_dcerpc_conn; /* per connection or pipe */

int pa_dcerpc_init(pa_dcerpc_stats *st);
void pa_dcerpc_stats_free(pa_dcerpc_stats *st);
/* A connection's (or pipe's) state; ends may be NULL (set later). */
pa_dcerpc_conn *pa_dcerpc_conn_new(pa_dcerpc_stats *st, const pa_dcerpc_ends *ends);
void pa_dcerpc_conn_set_ends(pa_dcerpc_conn *c, const pa_dcerpc_ends *ends);
void pa_dcerpc_conn_free(pa_dcerpc_conn *c);
/* Feeds bytes of one direction in order: to_server (client -> server) or
 * not; gap: bytes are missing before these (the PDU in progress is lost,
 * and the next piece that starts with a PDU header resynchronises); frame
 * and ts: the frame that carried them. view (may be NULL): receives the
 * facts of PDUs that end here when this frame is view_frame. Returns the
 * PDUs that ended in these bytes. Used by the TCP analyzer, and meant for
 * SMB named pipes (reads, writes, ioctls) too. */
uint32_t pa_dcerpc_feed(pa_dcerpc_stats *st, pa_dcerpc_conn *c, bool to_server, const uint8_t *data, size_t len,
                        bool gap, uint64_t frame, int64_t ts, pa_dcerpc_frame *view, uint64_t view_frame);
/* Whether bytes of a PDU in progress are held. */
bool pa_dcerpc_conn_pending(const pa_dcerpc_conn *c);
/* End of the pass: listings in frame order. */
void pa_dcerpc_finish(pa_dcerpc_stats *st);

/* Text of a call's or rejection's interface ("DRSUAPI", or the UUID and
 * version when unknown) and operation ("Map", else the opnum). */
void pa_dcerpc_iface_text(bool has, const uint8_t uuid[16], uint16_t ver, char *out, size_t cap);
void pa_dcerpc_op_text(bool has, const uint8_t uuid[16], uint16_t ver, uint16_t opnum, char *out, size_t cap);

#endif
