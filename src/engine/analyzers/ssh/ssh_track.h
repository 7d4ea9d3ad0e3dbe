/* SSH over TCP byte streams: per direction, the identification string
 * (lines before it allowed from the server), then the binary packets in
 * clear (KEXINIT, the key exchange messages, NEWKEYS) until that
 * direction's NEWKEYS, after which its bytes are encrypted and only
 * counted; SSH-1 packets by their framing. Per connection: both
 * identification strings, the algorithms chosen (RFC 4253 7.1), the host
 * key type, HASSH and HASSHServer, the weak choices, and the key exchange
 * time. Every table is bounded. */
#ifndef PA_SSH_TRACK_H
#define PA_SSH_TRACK_H

#include "expert.h"
#include "packet.h"
#include "ssh_algs.h"
#include "ssh_parse.h"
#include "tcp_analysis.h"
#include "tcp_stream.h"
#include "txkeep.h"

#define PA_SSH_MAX_CONNS 16384         /* connections kept for listings (all are counted) */
#define PA_SSH_STREAM_CAP (1ull << 30) /* bytes followed per direction */
#define PA_SSH_PRE_LINES 32            /* lines a server may send before its identification */
#define PA_SSH_IDENT_KEEP 128          /* characters kept of an identification string */
#define PA_SSH_FRAME_PKTS 16           /* packets whose header a frame's facts keep */
/* a KEXINIT's payload a frame keeps for display filters: ten lists at their cap and the rest */
#define PA_SSH_FRAME_KEX (PA_SSH_NLISTS * (PA_SSH_NAMELIST_MAX + 4) + 32)

typedef enum {
    PA_SSH_OUT_COMPLETED,    /* both sides sent NEWKEYS (SSH-2), or both first packets (SSH-1) */
    PA_SSH_OUT_NO_COMMON,    /* some name-list had no algorithm in common */
    PA_SSH_OUT_DISCONNECTED, /* a DISCONNECT in clear before the keys */
    PA_SSH_OUT_INCOMPLETE,   /* ended (or the capture did) before both NEWKEYS */
    PA_SSH_OUT_COUNT
} pa_ssh_outcome;

const char *pa_ssh_outcome_name(pa_ssh_outcome o);

/* Weak choices of a connection, a bit each (pa_ssh_weak_name). */
enum {
    PA_SSH_WEAK_V1 = 1,  /* the session speaks SSH-1 */
    PA_SSH_WEAK_KEX = 2, /* the key exchange chosen */
    PA_SSH_WEAK_HOSTKEY = 4 /* the host key algorithm chosen */,
    PA_SSH_WEAK_CIPHER = 8, /* either direction's cipher */
    PA_SSH_WEAK_MAC = 16,   /* either direction's MAC */
};

typedef struct pa_ssh_conn {
    pa_addr client, server;
    uint16_t cport, sport;
    uint32_t stream; /* tcp.stream */
    uint64_t first_frame;
    /* frames (and times) that completed each side's identification,
     * KEXINIT and NEWKEYS ([0] client, [1] server); 0: not seen */
    uint64_t ident_frame[2], kexinit_frame[2], newkeys_frame[2];
    int64_t ident_ts[2], kexinit_ts[2], newkeys_ts[2];
    uint8_t version;                     /* 2, 1, or 0 when unknown (the client's identification decides) */
    char ident[2][PA_SSH_IDENT_KEEP];    /* the identification lines, without CR LF */
    char software[2][PA_SSH_IDENT_KEEP]; /* softwareversion and comments */
    char kex[PA_SSH_NAME_MAX], hostkey_alg[PA_SSH_NAME_MAX], hostkey_type[PA_SSH_NAME_MAX];
    char cipher[2][PA_SSH_NAME_MAX], mac[2][PA_SSH_NAME_MAX], comp[2][PA_SSH_NAME_MAX]; /* [0] client to server */
    char hassh[33], hassh_server[33];
    uint8_t weak;    /* PA_SSH_WEAK_* */
    uint8_t outcome; /* pa_ssh_outcome, set when the connection ends */
    bool disconnected;
    uint32_t disconnect_reason;
    char disconnect_desc[64];
    uint32_t packets[2];   /* packets in clear */
    uint64_t encrypted[2]; /* bytes after NEWKEYS (SSH-1: after the first packet) */
} pa_ssh_conn;

typedef struct pa_ssh_stats {
    uint64_t connections, version1, version2, completed_kex;
    uint64_t outcome[PA_SSH_OUT_COUNT];
    uint64_t idents, pre_ident_lines, packets, kexinits, newkeys, ssh1_packets;
    uint64_t encrypted_bytes;
    uint64_t weak_connections;
    uint64_t malformed; /* packets in clear that do not parse, identifications that are not one */
    uint64_t too_long;  /* packet lengths past PA_SSH_PACKET_MAX: the direction is not followed further */
    uint64_t gaps;      /* holes in a direction before its keys: that direction is not followed further */
    uint64_t streams_capped;
    uint64_t subflows;  /* continued flows (MPTCP subflows of an SSH connection): encrypted bytes only */
    pa_ssh_conn *conns; /* ordered by first frame after pa_ssh_finish */
    size_t nconns, conncap;
    uint64_t conns_dropped;
    pa_expert *ex;   /* expert information (may be NULL) */
    pa_txkeep *keep; /* a display filter's transactions: a connection, keyed by its first SSH frame */
} pa_ssh_stats;

/* What a frame carried, as tshark 4.0 shows it (display filters: ssh.*). */
typedef struct pa_ssh_frame {
    bool present;     /* a unit of SSH started or ended in the frame, or encrypted bytes came in it */
    bool shown;       /* a unit ended in it, or encrypted bytes came: its direction is shown */
    int8_t direction; /* 0 client to server, 1 server to client, -1 unknown */
    bool has_ident;
    char ident[256]; /* the identification line, without CR LF */
    uint8_t npkts;
    struct {
        uint32_t length;
        uint8_t padding;
        int16_t code; /* -1: not shown (SSH-1 encrypted packets) */
    } pkt[PA_SSH_FRAME_PKTS];
    bool has_kexinit, kexinit_server;
    pa_ssh_kexinit kexinit;
    uint32_t kexinit_len;
    char hassh[33];
    uint8_t kex_payload[PA_SSH_FRAME_KEX];
    char hassh_input[4 * PA_SSH_NAMELIST_MAX + 4];
    bool has_hostkey;
    char hostkey_type[PA_SSH_NAME_MAX];
} pa_ssh_frame;

typedef struct pa_ssh_flow pa_ssh_flow; /* per connection, owned by its flow */

/* Feeds one TCP segment (with or without payload) of a connection named
 * SSH. from: the flow key side that sent it; tcp: the connection's TCP
 * analysis (where each direction's data starts, who sent the SYN; may be
 * NULL); frame (may be NULL): receives what the frame carried. Returns
 * whether an SSH unit (identification line, packet) started or ended in
 * this frame or encrypted bytes came in it: the frames tshark runs its SSH
 * dissector on, which count as ssh in the hierarchy. */
bool pa_ssh_segment(pa_ssh_stats *st, pa_ssh_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                    uint32_t stream, pa_ssh_frame *frame);
/* The same for a flow that continues a connection started on another flow
 * (pa_app_segment.continued: a Multipath TCP subflow that joined an SSH
 * connection): its bytes come from the middle of the session, so both
 * directions are counted as encrypted bytes from the first, as tshark shows
 * them; it is not a connection of its own (not listed, no outcome). */
bool pa_ssh_continued_segment(pa_ssh_stats *st, pa_ssh_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                              uint32_t stream, pa_ssh_frame *frame);
/* End of the connection (flow retired, or the capture ended): its outcome,
 * and the connection kept for listings. */
void pa_ssh_finish_flow(pa_ssh_stats *st, pa_ssh_flow *f);
void pa_ssh_free_flow(pa_ssh_flow *f);
bool pa_ssh_holds_data(const pa_ssh_flow *f);
/* End of the pass: connections in frame order. */
void pa_ssh_finish(pa_ssh_stats *st);
void pa_ssh_stats_free(pa_ssh_stats *st);

/* The weak choices of a connection: what ("protocol", "kex", "host key",
 * "cipher", "mac"), the name chosen and why it is weak (strings borrowed
 * from the connection and ssh_algs.c); a cipher or MAC chosen alike both
 * ways is named once. */
#define PA_SSH_WEAK_ITEMS 7
typedef struct pa_ssh_weak_item {
    const char *what, *name, *why;
} pa_ssh_weak_item;
size_t pa_ssh_weak_items(const pa_ssh_conn *c, pa_ssh_weak_item out[PA_SSH_WEAK_ITEMS]);
/* The same as text, "kex diffie-hellman-group1-sha1 (why)" per choice,
 * joined by "; " (out: cap bytes). */
void pa_ssh_weak_text(const pa_ssh_conn *c, char *out, size_t cap);

#endif
