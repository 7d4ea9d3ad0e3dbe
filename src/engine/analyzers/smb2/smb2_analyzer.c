/* SMB2 hooks: flows named SMB, SMB2 or NBSS by their session message
 * headers; every segment of them followed as a byte stream. */
#include "smb2_analyzer.h"

#include <stddef.h>

/* SMB over a NetBIOS session or direct TCP: a session message header whose
 * length can hold an SMB header, then the header's magic. */
static bool smb_magic(const pa_packet *p, bool smb2) {
    uint8_t magic;
    pa_nbss_hdr h;
    if (!pa_nbss_smb(p->payload, p->payload_len, &magic) || !pa_nbss_check(p->payload, p->payload_len, &h))
        return false;
    if (smb2 ? magic == 0xFF : magic != 0xFF) return false;
    return magic == 0xFD ? h.length >= 52 : h.length >= 32; /* a transform header, or an SMB header */
}

static bool look_smb(const pa_packet *p) { return smb_magic(p, false); }
static bool look_smb2(const pa_packet *p) { return smb_magic(p, true); }

/* A NetBIOS session message on its port (RFC 1002 4.3.1): a valid header
 * for its type; a session message at least as long as a header. */
static bool look_nbss(const pa_packet *p) {
    pa_nbss_hdr h;
    return pa_nbss_check(p->payload, p->payload_len, &h) && (h.type != PA_NBSS_MESSAGE || h.length >= 4);
}

/* After an SMB1 negotiate, the client and server turn to SMB2 (MS-SMB2
 * 3.3.5.3.1), and a NetBIOS session carries SMB once set up: segments that
 * start an SMB or SMB2 header rename the flow. */
static uint8_t next_smb(const pa_packet *p) {
    if (smb_magic(p, true)) return PA_P_SMB2;
    if (smb_magic(p, false)) return PA_P_SMB;
    return PA_P_NONE;
}

static const pa_app_look looks[] = {
    {PA_P_TCP, 0, PA_P_SMB, look_smb, next_smb, false},
    {PA_P_TCP, 0, PA_P_SMB2, look_smb2, next_smb, false},
    {PA_P_TCP, 139, PA_P_NBSS, look_nbss, next_smb, false},
    {PA_P_TCP, 445, PA_P_NBSS, look_nbss, next_smb, false},
    {0, 0, 0, NULL, NULL, false},
};

/* A flow named SMB or NBSS (whose name no analyzer owns) is followed from
 * a segment that starts a session message: its session request, the SMB1
 * negotiate before SMB2. The segment hook lets go of other protocols. */
static bool upgrade(const uint8_t *payload, size_t len) {
    pa_nbss_hdr h;
    return pa_nbss_check(payload, len, &h);
}

static int init(void *stats) { return pa_smb2_init(stats); }

static void set_links(void *stats, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    (void)ex;
    (void)sec;
    ((pa_smb2_stats *)stats)->keep = keep;
}

static void bind(void *stats, pa_app_env *env) { ((pa_smb2_stats *)stats)->env = env; }

static void segment(void *stats, pa_app_env *env, void **state, const pa_app_segment *s) {
    if (s->app != PA_P_SMB2 && s->app != PA_P_SMB && s->app != PA_P_NBSS) return;
    pa_smb2_flow *f = *state;
    if (pa_smb2_segment(stats, &f, s->p, s->from, s->tcp, s->stream, s->app == PA_P_SMB2, env->frame, env->on_event,
                        env->on_event_ud))
        env->pdus++;
    *state = f;
}

static void flow_finish(void *stats, void *state) { pa_smb2_finish_flow(stats, state); }
static void flow_free(void *state) { pa_smb2_free_flow(state); }
static bool flow_holds_data(const void *state) { return pa_smb2_holds_data(state); }
static void free_stats(void *stats) { pa_smb2_stats_free(stats); }
static size_t memory(const void *stats) { return pa_smb2_memory(stats); }

static void frame_reset(void *frame) {
    pa_smb2_frame *f = frame;
    f->present = false;
    f->ncmds = f->nnames = f->ndialects = f->nnbss = f->nsmb1 = 0;
}

static bool frame_has(const void *frame) { return ((const pa_smb2_frame *)frame)->present; }

static const pa_app_cap caps[] = {
    {"smb2_sessions", PA_SMB2_MAX_SESSIONS, offsetof(pa_smb2_stats, sessions_overflow),
     "session setups and encrypted messages of sessions beyond the cap: not listed"},
    {"smb2_trees", PA_SMB2_MAX_TREES, offsetof(pa_smb2_stats, trees_overflow),
     "tree connects beyond the cap: their share path is not shown (smb2.tree) nor their files' shares"},
    {"smb2_file_ids", PA_SMB2_MAX_FIDS, offsetof(pa_smb2_stats, fids_overflow),
     "opens beyond the cap: their pipe bytes are not counted"},
    {"smb2_opened_files", PA_SMB2_MAX_OPENS, offsetof(pa_smb2_stats, opens_overflow),
     "opens of (share, file) pairs beyond the cap: not listed"},
    {"smb2_errors", PA_SMB2_MAX_ERRORS, offsetof(pa_smb2_stats, errors_overflow),
     "error responses of (status, command) pairs beyond the cap: not listed"},
    {"smb2_pending_requests", PA_SMB2_PENDING, offsetof(pa_smb2_stats, pending_dropped),
     "requests given up while more than the cap per connection awaited a response: their response is unmatched"},
    {"smb2_transactions_listed", PA_SMB2_MAX_TX, offsetof(pa_smb2_stats, tx_dropped),
     "request -> response pairs beyond the cap: in the srt table, not in percentiles or listings"},
    {"smb2_pipes", PA_SMB2_MAX_PIPES, offsetof(pa_smb2_stats, pipes.overflow),
     "bytes of named pipes beyond the cap: not counted per pipe"},
    {NULL, 0, 0, NULL},
};

const pa_analyzer pa_analyzer_smb2 = {
    .name = "smb2",
    .proto = PA_P_SMB2,
    .looks = looks,
    .pdu_frames = true,
    .init = init,
    .link = set_links,
    .bind = bind,
    .free = free_stats,
    .memory = memory,
    .upgrade = upgrade,
    .segment = segment,
    .flow_finish = flow_finish,
    .flow_free = flow_free,
    .flow_holds_data = flow_holds_data,
    .frame_size = sizeof(pa_smb2_frame),
    .frame_reset = frame_reset,
    .frame_has = frame_has,
    .caps = caps,
    .field_values = pa_smb2_field_values,
};
