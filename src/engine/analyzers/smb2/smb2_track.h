/* SMB2/3 over TCP byte streams (NetBIOS session service on 139, direct TCP
 * on 445): NBSS messages cut per direction as Wireshark's NBSS dissector
 * cuts them (a segment that does not start a valid header at a message
 * boundary is a continuation message), SMB2 commands of each message
 * (NextCommand compounding), requests matched to responses by message id
 * within the connection as Wireshark's SMB2 dissector matches them (its
 * service response times, tshark -z smb2,srt), sessions, trees, opened
 * files, errors, and the bytes of named pipes. Every table is bounded. */
#ifndef PA_SMB2_TRACK_H
#define PA_SMB2_TRACK_H

#include "htab.h"
#include "packet.h"
#include "smb2_parse.h"
#include "smb2_pipe.h"
#include "tcp_analysis.h"
#include "tcp_stream.h"
#include "txkeep.h"

#define PA_SMB2_PENDING 256                       /* requests awaiting their response, per connection */
#define PA_SMB2_MSG_KEEP (64u * 1024)             /* bytes of one NBSS message kept for parsing */
#define PA_SMB2_STREAM_CAP (512ull * 1024 * 1024) /* bytes parsed per direction */
#define PA_SMB2_MAX_CHAIN 64                      /* compounded commands read per message */
#define PA_SMB2_MAX_SESSIONS 4096
#define PA_SMB2_MAX_TREES 8192
#define PA_SMB2_MAX_FIDS 65536
#define PA_SMB2_MAX_OPENS 8192  /* distinct (share, file name) pairs */
#define PA_SMB2_MAX_ERRORS 1024 /* distinct (status, command) pairs */
#define PA_SMB2_SRT_ROWS 256    /* tshark's table: one row per opcode */
#define PA_SMB2_TREE_MAX 128
#define PA_SMB2_FILE_MAX 160
#define PA_SMB2_MAX_TX 20000 /* request -> response pairs kept for listings */

/* A request and the response that tshark's smb2,srt times. */
typedef struct pa_smb2_tx {
    uint64_t req_frame, resp_frame;
    int64_t rt_ns;
    pa_addr client, server;
    uint16_t cport, sport;
    uint16_t cmd;
    uint32_t status;
    uint32_t stream;
} pa_smb2_tx;

/* Service response time per command, as tshark -z smb2,srt sums it. */
typedef struct pa_smb2_srt {
    uint64_t calls;
    int64_t min_ns, max_ns, sum_ns;
} pa_smb2_srt;

typedef struct pa_smb2_session {
    uint64_t sesid; /* key */
    pa_addr client, server;
    uint16_t sport;
    uint16_t dialect;     /* of the connection that set it up */
    uint32_t last_status; /* of the last session setup response */
    uint64_t setup_frame, first_frame;
    uint32_t setups, failures;
    bool established, signing_required, encrypted, guest, anonymous;
    uint64_t transforms; /* encrypted messages of the session */
} pa_smb2_session;

typedef struct pa_smb2_tree {
    uint64_t sesid; /* key: sesid, tid */
    uint32_t tid;
    uint32_t pad;
    char path[PA_SMB2_TREE_MAX];
    uint8_t share_type; /* 1 disk, 2 pipe, 3 print */
    uint64_t connect_frame;
} pa_smb2_tree;

typedef struct pa_smb2_fid {
    uint8_t fid[16]; /* key */
    char name[PA_SMB2_FILE_MAX];
    char tree[PA_SMB2_TREE_MAX];
    bool pipe;    /* opened on IPC$ */
    uint64_t key; /* unique per open (pipes) */
} pa_smb2_fid;

typedef struct pa_smb2_open {
    char tree[PA_SMB2_TREE_MAX]; /* key: share and file name */
    char name[PA_SMB2_FILE_MAX];
    uint64_t opens, failures;
    uint32_t last_status;
    uint64_t first_frame;
} pa_smb2_open;

typedef struct pa_smb2_error {
    uint32_t status; /* key: status and command */
    uint16_t cmd;
    uint16_t pad;
    uint64_t count, first_frame;
} pa_smb2_error;

typedef struct pa_smb2_stats {
    uint64_t connections;
    uint64_t nbss_messages, nbss_other; /* session requests, keep-alives and the like */
    uint64_t continuations;             /* segments Wireshark shows as NBSS Continuation Message */
    uint64_t smb1_messages, smb1_negotiates, smb1_offers_smb2;
    uint64_t smb2_commands, requests, responses;
    uint64_t cmd_count[PA_SMB2_NCMDS + 1][2]; /* [cmd or other][response] */
    uint64_t encrypted, encrypted_bytes, compressed;
    uint64_t interim; /* STATUS_PENDING interim responses */
    uint64_t unmatched_responses;
    uint64_t signed_messages;
    uint64_t bytes_read, bytes_written;
    uint64_t gaps, streams_capped, pending_dropped, malformed;
    pa_smb2_srt srt[PA_SMB2_SRT_ROWS];
    pa_smb2_tx *tx; /* in response order */
    size_t ntx, txcap;
    uint64_t tx_dropped; /* beyond PA_SMB2_MAX_TX: timed in srt, not listed */
    pa_htab sessions, trees, fids, opens, errors;
    uint64_t sessions_overflow, trees_overflow, fids_overflow, opens_overflow, errors_overflow;
    pa_smb2_pipes pipes;
    pa_txkeep *keep;
    pa_app_env *env; /* what the pass lends (bind): its carry hook takes pipe bytes on */
} pa_smb2_stats;

/* What one frame carried, for display filters: each SMB2 command that
 * ended in it (Wireshark's fields repeat per command of a compound). */
#define PA_SMB2_FRAME_CMDS 64
#define PA_SMB2_FRAME_NAMES 32
#define PA_SMB2_FRAME_NBSS 64

typedef struct pa_smb2_frame_cmd {
    uint16_t cmd;
    uint32_t status, flags;
    uint64_t msg_id, sesid;
    uint32_t tid;
    bool has_tid, has_tree, has_time, has_ioctl;
    uint32_t ioctl;
    int64_t time_ns;
    char tree[PA_SMB2_TREE_MAX];
} pa_smb2_frame_cmd;

typedef struct pa_smb2_frame {
    bool present;
    uint8_t ncmds, nnames, ndialects, nnbss, nsmb1;
    pa_smb2_frame_cmd cmd[PA_SMB2_FRAME_CMDS];
    char names[PA_SMB2_FRAME_NAMES][PA_SMB2_FILE_MAX]; /* smb2.filename values */
    uint16_t dialects[PA_SMB2_MAX_DIALECTS];
    uint8_t nbss_type[PA_SMB2_FRAME_NBSS];
    uint8_t smb1_cmd[PA_SMB2_FRAME_NBSS];
} pa_smb2_frame;

/* An SMB2 message event for tests (on_app): one per command. */
typedef struct pa_smb2_event {
    uint64_t frame;
    uint32_t stream;
    const pa_smb2_hdr *hdr;
    const pa_smb2_body *body;
    int64_t time_ns; /* response: since its request; -1 none */
} pa_smb2_event;

typedef struct pa_smb2_flow pa_smb2_flow;

int pa_smb2_init(pa_smb2_stats *st);
void pa_smb2_stats_free(pa_smb2_stats *st);
size_t pa_smb2_memory(const pa_smb2_stats *st);
/* Feeds one segment; returns whether an NBSS message ended in this frame
 * (or the segment was a continuation) and one of them was SMB2, or the flow
 * is named SMB2 (the frame then counts as smb2). */
bool pa_smb2_segment(pa_smb2_stats *st, pa_smb2_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                     uint32_t stream, bool smb2_flow, pa_smb2_frame *frame, void (*on_event)(void *, int, const void *),
                     void *ud);
void pa_smb2_finish_flow(pa_smb2_stats *st, pa_smb2_flow *f);
void pa_smb2_free_flow(pa_smb2_flow *f);
bool pa_smb2_holds_data(const pa_smb2_flow *f);

#endif
