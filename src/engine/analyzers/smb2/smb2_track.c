#include "smb2_track.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzer.h"

/* A request awaiting its response: Wireshark's "unmatched" entry of the
 * conversation, keyed by message id, with what its response needs. */
typedef struct pend {
    uint64_t msg_id;
    uint64_t frame;
    int64_t ts;
    uint16_t cmd;
    uint8_t info_class, info_type;
    bool has_fid;
    uint8_t fid[16];
    char name[PA_SMB2_FILE_MAX]; /* CREATE file name, TREE_CONNECT path */
    pa_txmark mark;
} pend;

typedef struct dir_state {
    pa_stream_dir stream;
    bool in_msg;  /* the 4-byte header is read: payload bytes follow */
    bool spanned; /* the message in progress began in an earlier segment */
    bool check;   /* the next bytes start where Wireshark checks a header again */
    uint8_t hdr[4], hdrn;
    uint32_t need; /* payload bytes still to come */
    uint32_t total;
    uint8_t *buf; /* the first PA_SMB2_MSG_KEEP bytes of the payload */
    uint32_t n, cap;
} dir_state;

struct pa_smb2_flow {
    dir_state dir[2];
    int client;
    pa_addr client_addr, server_addr;
    uint16_t cport, sport;
    uint32_t stream;
    bool cifs; /* direct TCP (445): 24-bit lengths */
    bool done;
    uint16_t dialect, server_sec_mode;
    uint32_t server_caps;
    pend *pending;
    uint32_t npend, cappend;
};

typedef struct ctx {
    pa_smb2_stats *st;
    pa_smb2_flow *f;
    const pa_packet *p;
    int side;
    bool ended, smb2;
    pa_smb2_frame *view;
    void (*on_event)(void *, int, const void *);
    void *ud;
} ctx;

int pa_smb2_init(pa_smb2_stats *st) {
    memset(st, 0, sizeof *st);
    if (pa_htab_init(&st->sessions, sizeof(pa_smb2_session), sizeof(uint64_t), PA_SMB2_MAX_SESSIONS) ||
        pa_htab_init(&st->trees, sizeof(pa_smb2_tree), offsetof(pa_smb2_tree, pad), PA_SMB2_MAX_TREES) ||
        pa_htab_init(&st->fids, sizeof(pa_smb2_fid), 16, PA_SMB2_MAX_FIDS) ||
        pa_htab_init(&st->opens, sizeof(pa_smb2_open), offsetof(pa_smb2_open, opens), PA_SMB2_MAX_OPENS) ||
        pa_htab_init(&st->errors, sizeof(pa_smb2_error), offsetof(pa_smb2_error, pad), PA_SMB2_MAX_ERRORS) ||
        pa_smb2_pipes_init(&st->pipes)) {
        pa_smb2_stats_free(st);
        return -1;
    }
    return 0;
}

void pa_smb2_stats_free(pa_smb2_stats *st) {
    pa_htab_free(&st->sessions);
    pa_htab_free(&st->trees);
    pa_htab_free(&st->fids);
    pa_htab_free(&st->opens);
    pa_htab_free(&st->errors);
    pa_smb2_pipes_free(&st->pipes);
    free(st->tx);
    st->tx = NULL;
    st->ntx = st->txcap = 0;
}

size_t pa_smb2_memory(const pa_smb2_stats *st) {
    return pa_htab_memory(&st->sessions) + pa_htab_memory(&st->trees) + pa_htab_memory(&st->fids) +
           pa_htab_memory(&st->opens) + pa_htab_memory(&st->errors) + pa_htab_memory(&st->pipes.pipes) +
           st->txcap * sizeof(pa_smb2_tx);
}

static void copy_str(char *dst, size_t cap, const char *src) {
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* ---- pending requests ---------------------------------------------------- */

static pend *find_pend(pa_smb2_flow *f, uint64_t msg_id) {
    for (uint32_t i = 0; i < f->npend; i++)
        if (f->pending[i].msg_id == msg_id) return &f->pending[i];
    return NULL;
}

static void drop_pend(pa_smb2_flow *f, pend *q) {
    uint32_t i = (uint32_t)(q - f->pending);
    memmove(q, q + 1, (f->npend - i - 1) * sizeof *q);
    f->npend--;
}

static pend *add_pend(pa_smb2_stats *st, pa_smb2_flow *f) {
    if (f->npend == PA_SMB2_PENDING) { /* the oldest is given up */
        st->pending_dropped++;
        drop_pend(f, &f->pending[0]);
    }
    if (f->npend == f->cappend) {
        uint32_t ncap = f->cappend ? f->cappend * 2 : 8;
        pend *n = realloc(f->pending, ncap * sizeof *n);
        if (!n) return NULL;
        f->pending = n;
        f->cappend = ncap;
    }
    pend *q = &f->pending[f->npend++];
    memset(q, 0, sizeof *q);
    return q;
}

/* ---- tables ---------------------------------------------------------------- */

static pa_smb2_session *session(ctx *c, uint64_t sesid, uint64_t frame) {
    bool created;
    pa_smb2_session *s = pa_htab_upsert(&c->st->sessions, &sesid, &created);
    if (!s) {
        c->st->sessions_overflow++;
        return NULL;
    }
    if (created) {
        s->client = c->f->client_addr;
        s->server = c->f->server_addr;
        s->sport = c->f->sport;
        s->first_frame = frame;
    }
    return s;
}

static const pa_smb2_tree *tree_of(const pa_smb2_stats *st, uint64_t sesid, uint32_t tid) {
    pa_smb2_tree key;
    memset(&key, 0, sizeof key);
    key.sesid = sesid;
    key.tid = tid;
    return pa_htab_find(&st->trees, &key);
}

static void count_error(ctx *c, const pa_smb2_hdr *h, uint64_t frame) {
    pa_smb2_error key;
    memset(&key, 0, sizeof key);
    key.status = h->status;
    key.cmd = h->cmd;
    bool created;
    pa_smb2_error *e = pa_htab_upsert(&c->st->errors, &key, &created);
    if (!e) {
        c->st->errors_overflow++;
        return;
    }
    if (created) e->first_frame = frame;
    e->count++;
}

static void count_open(ctx *c, const char *tree, const char *name, uint32_t status, uint64_t frame) {
    pa_smb2_open key;
    memset(&key, 0, sizeof key);
    copy_str(key.tree, sizeof key.tree, tree);
    copy_str(key.name, sizeof key.name, name);
    bool created;
    pa_smb2_open *o = pa_htab_upsert(&c->st->opens, &key, &created);
    if (!o) {
        c->st->opens_overflow++;
        return;
    }
    if (created) o->first_frame = frame;
    if (status)
        o->failures++;
    else
        o->opens++;
    o->last_status = status;
}

/* A tree is IPC$ when its path's last component says so (or the server
 * called it a pipe share). */
static bool is_ipc(const pa_smb2_tree *t) {
    if (!t) return false;
    if (t->share_type == 2) return true;
    const char *s = strrchr(t->path, '\\');
    return s && !strcasecmp(s + 1, "IPC$");
}

static uint64_t fid_key(const uint8_t fid[16], uint64_t sesid) {
    uint8_t k[24];
    memcpy(k, fid, 16);
    memcpy(k + 16, &sesid, 8);
    return pa_hash_bytes(k, sizeof k);
}

/* ---- frame facts --------------------------------------------------------- */

static void view_name(void *ud, const char *name) {
    pa_smb2_frame *v = ud;
    if (v->nnames < PA_SMB2_FRAME_NAMES) copy_str(v->names[v->nnames++], sizeof v->names[0], name);
}

static pa_smb2_frame_cmd *view_cmd(ctx *c, uint64_t frame) {
    pa_smb2_frame *v = c->view;
    if (!v || frame != c->p->frame_no || v->ncmds >= PA_SMB2_FRAME_CMDS) return NULL;
    pa_smb2_frame_cmd *fc = &v->cmd[v->ncmds++];
    memset(fc, 0, sizeof *fc);
    v->present = true;
    return fc;
}

/* A file name in an info buffer (from the header start) of the frame. */
static void info_name(pa_smb2_frame *v, const uint8_t *msg, size_t n, const pa_smb2_body *b, uint8_t type, uint8_t cls,
                      bool set) {
    char name[PA_SMB2_FILE_MAX];
    if (b->buf_off > n) return;
    size_t len = n - b->buf_off < b->buf_len ? n - b->buf_off : b->buf_len;
    if (pa_smb2_info_name(msg + b->buf_off, len, type, cls, set, name, sizeof name)) view_name(v, name);
}

/* FSCTL_VALIDATE_NEGOTIATE_INFO (MS-SMB2 2.2.31.4, 2.2.32.6) repeats the
 * dialects offered, and the one chosen: smb2.dialect values too. */
static void validate_dialects(pa_smb2_frame *v, const uint8_t *msg, size_t n, const pa_smb2_body *b, bool resp) {
    if (b->data_off > n) return;
    size_t len = n - b->data_off < b->data_len ? n - b->data_off : b->data_len;
    uint16_t d[PA_SMB2_MAX_DIALECTS];
    size_t k = pa_smb2_validate_dialects(msg + b->data_off, len, resp, d, PA_SMB2_MAX_DIALECTS);
    for (size_t i = 0; i < k && v->ndialects < PA_SMB2_MAX_DIALECTS; i++) v->dialects[v->ndialects++] = d[i];
}

/* ---- pipes ----------------------------------------------------------------- */

static void pipe_data(ctx *c, const pa_smb2_fid *fid, bool to_client, const uint8_t *msg, size_t n,
                      const pa_smb2_body *b, uint64_t frame, int64_t ts) {
    if (!fid || !fid->pipe || !b->data_len) return;
    size_t avail = 0;
    const uint8_t *p = NULL;
    if (b->data_off <= n) {
        p = msg + b->data_off;
        avail = n - b->data_off;
        if (avail > b->data_len) avail = b->data_len;
    }
    (void)ts;
    const pa_app_env *env = c->st->env;
    pa_smb2_carry to = {env ? env->carry : NULL, env ? env->carry_ud : NULL, c->p, c->f->stream};
    pa_smb2_pipe_bytes(&c->st->pipes, &to, fid->name, fid->key, to_client, p, avail, b->data_len, frame);
}

static const pa_smb2_fid *fid_of(const pa_smb2_stats *st, const uint8_t fid[16]) {
    return pa_htab_find(&st->fids, fid);
}

/* ---- SMB2 commands --------------------------------------------------------- */

static void request(ctx *c, const uint8_t *msg, size_t n, const pa_smb2_hdr *h, const pa_smb2_body *b, uint64_t frame,
                    int64_t ts, pa_smb2_frame_cmd *fc) {
    pa_smb2_flow *f = c->f;
    pa_smb2_stats *st = c->st;
    /* a request whose message id waits already replaces it (Wireshark) */
    pend *q = find_pend(f, h->msg_id);
    if (q) drop_pend(f, q);
    q = add_pend(st, f);
    if (q) {
        q->msg_id = h->msg_id;
        q->frame = frame;
        q->ts = ts;
        q->cmd = h->cmd;
        q->info_class = b->info_class;
        q->info_type = b->info_type;
        q->has_fid = b->has_fid;
        memcpy(q->fid, b->fid, 16);
        if (b->has_name) copy_str(q->name, sizeof q->name, b->name);
        pa_tx_touch(st->keep, &q->mark, frame);
    }
    pa_smb2_frame *v = c->view;
    bool here = v && frame == c->p->frame_no;
    switch (h->cmd) {
    case PA_SMB2_NEGOTIATE:
        for (uint16_t i = 0; here && i < b->ndialects && v->ndialects < PA_SMB2_MAX_DIALECTS; i++)
            v->dialects[v->ndialects++] = b->dialects[i];
        break;
    case PA_SMB2_TREE_CONNECT:
        if (fc && b->has_name) {
            copy_str(fc->tree, sizeof fc->tree, b->name);
            fc->has_tree = true;
        }
        break;
    case PA_SMB2_CREATE:
        if (here && b->has_name) view_name(v, b->name);
        break;
    case PA_SMB2_SETINFO:
        if (here && b->parsed) info_name(v, msg, n, b, b->info_type, b->info_class, true);
        break;
    case PA_SMB2_WRITE:
        if (b->has_fid) pipe_data(c, fid_of(st, b->fid), false, msg, n, b, frame, ts);
        break;
    case PA_SMB2_IOCTL:
        if (b->ctl_code == PA_FSCTL_PIPE_TRANSCEIVE && b->has_fid)
            pipe_data(c, fid_of(st, b->fid), false, msg, n, b, frame, ts);
        if (here && b->ctl_code == PA_FSCTL_VALIDATE_NEGOTIATE) validate_dialects(v, msg, n, b, false);
        break;
    default: break;
    }
}

static void session_setup(ctx *c, const pa_smb2_hdr *h, const pa_smb2_body *b, uint64_t frame) {
    pa_smb2_session *s = session(c, h->sesid, frame);
    if (!s) return;
    s->setups++;
    s->last_status = h->status;
    s->setup_frame = frame;
    s->dialect = c->f->dialect;
    s->signing_required = c->f->server_sec_mode & 2;
    if (h->status == 0) {
        s->established = true;
        s->guest = b->session_flags & 1;
        s->anonymous = b->session_flags & 2;
        if (b->session_flags & 4) s->encrypted = true;
    } else if (h->status != PA_NT_STATUS_MORE_PROCESSING) {
        s->failures++;
    }
}

static void opened(ctx *c, const pa_smb2_hdr *h, const pa_smb2_body *b, const pend *q, uint64_t frame) {
    const pa_smb2_tree *t = tree_of(c->st, h->sesid, h->tid);
    const char *tree = t ? t->path : "";
    count_open(c, tree, q->name, h->status, frame);
    if (h->status || !b->has_fid) return;
    bool created;
    pa_smb2_fid *fi = pa_htab_upsert(&c->st->fids, b->fid, &created);
    if (!fi) {
        c->st->fids_overflow++;
        return;
    }
    copy_str(fi->name, sizeof fi->name, q->name);
    copy_str(fi->tree, sizeof fi->tree, tree);
    fi->pipe = is_ipc(t);
    fi->key = fid_key(b->fid, h->sesid);
}

static void keep_tx(ctx *c, const pend *q, const pa_smb2_hdr *h, uint64_t frame, int64_t d) {
    pa_smb2_stats *st = c->st;
    if (st->ntx >= PA_SMB2_MAX_TX) {
        st->tx_dropped++;
        return;
    }
    if (st->ntx == st->txcap) {
        size_t ncap = st->txcap ? st->txcap * 2 : 64;
        pa_smb2_tx *n = realloc(st->tx, ncap * sizeof *n);
        if (!n) {
            st->tx_dropped++;
            return;
        }
        st->tx = n;
        st->txcap = ncap;
    }
    const pa_smb2_flow *f = c->f;
    st->tx[st->ntx++] = (pa_smb2_tx){.req_frame = q->frame,
                                     .resp_frame = frame,
                                     .rt_ns = d,
                                     .client = f->client_addr,
                                     .server = f->server_addr,
                                     .cport = f->cport,
                                     .sport = f->sport,
                                     .cmd = h->cmd,
                                     .status = h->status,
                                     .stream = f->stream};
}

static void response(ctx *c, const uint8_t *msg, size_t n, const pa_smb2_hdr *h, const pa_smb2_body *b, uint64_t frame,
                     int64_t ts, pa_smb2_frame_cmd *fc, int64_t *time_ns) {
    pa_smb2_flow *f = c->f;
    pa_smb2_stats *st = c->st;
    pend *q = find_pend(f, h->msg_id);
    bool interim = (h->flags & PA_SMB2_FLAG_ASYNC) && h->status == PA_NT_STATUS_PENDING;
    bool counts = pa_tx_counts(st->keep, frame);
    if (q) {
        *time_ns = ts - q->ts;
        if (fc) {
            fc->has_time = true;
            fc->time_ns = *time_ns;
        }
    } else if (counts) {
        st->unmatched_responses++;
    }
    if (interim && counts) st->interim++;
    if (h->status && !interim && h->status != PA_NT_STATUS_MORE_PROCESSING && counts) count_error(c, h, frame);
    pa_smb2_frame *v = c->view;
    bool here = v && frame == c->p->frame_no;
    switch (h->cmd) {
    case PA_SMB2_NEGOTIATE:
        if (!b->parsed) break;
        f->dialect = b->dialect;
        f->server_sec_mode = b->sec_mode;
        f->server_caps = b->capabilities;
        if (here && v->ndialects < PA_SMB2_MAX_DIALECTS) v->dialects[v->ndialects++] = b->dialect;
        break;
    case PA_SMB2_SESSION_SETUP:
        if (counts) session_setup(c, h, b, frame);
        break;
    case PA_SMB2_TREE_CONNECT:
        if (h->status == 0 && q && b->parsed) {
            pa_smb2_tree key;
            memset(&key, 0, sizeof key);
            key.sesid = h->sesid;
            key.tid = h->tid;
            bool created;
            pa_smb2_tree *t = pa_htab_upsert(&st->trees, &key, &created);
            if (!t) {
                st->trees_overflow++;
                break;
            }
            copy_str(t->path, sizeof t->path, q->name);
            t->share_type = b->share_type;
            t->connect_frame = frame;
        }
        break;
    case PA_SMB2_CREATE:
        if (q && counts) opened(c, h, b, q, frame);
        break;
    case PA_SMB2_READ:
        if (!b->parsed) break;
        if (counts) st->bytes_read += b->length;
        if (q && q->has_fid) pipe_data(c, fid_of(st, q->fid), true, msg, n, b, frame, ts);
        break;
    case PA_SMB2_WRITE:
        if (b->parsed && counts) st->bytes_written += b->length;
        break;
    case PA_SMB2_IOCTL:
        if (b->parsed && b->ctl_code == PA_FSCTL_PIPE_TRANSCEIVE && b->has_fid)
            pipe_data(c, fid_of(st, b->fid), true, msg, n, b, frame, ts);
        if (here && b->parsed && b->ctl_code == PA_FSCTL_VALIDATE_NEGOTIATE) validate_dialects(v, msg, n, b, true);
        break;
    case PA_SMB2_GETINFO:
        if (here && q && b->parsed) info_name(v, msg, n, b, q->info_type, q->info_class, false);
        break;
    case PA_SMB2_FIND:
        if (here && q && b->parsed && b->data_off <= n) {
            size_t len = n - b->data_off < b->data_len ? n - b->data_off : b->data_len;
            pa_smb2_find_names(msg + b->data_off, len, q->info_class, PA_SMB2_FRAME_NAMES, view_name, v);
        }
        break;
    default: break;
    }
    if (!q || interim) return;
    /* matched: tshark's smb2,srt counts it, Cancel and Break aside */
    pa_tx_touch(st->keep, &q->mark, frame);
    pa_tx_end(st->keep, q->frame, &q->mark);
    if (h->cmd != PA_SMB2_CANCEL && h->cmd != PA_SMB2_BREAK && pa_tx_kept(st->keep, q->frame)) {
        pa_smb2_srt *r = &st->srt[h->cmd & 0xFF];
        int64_t d = ts - q->ts;
        if (!r->calls || d < r->min_ns) r->min_ns = d;
        if (!r->calls || d > r->max_ns) r->max_ns = d;
        r->sum_ns += d;
        r->calls++;
        keep_tx(c, q, h, frame, d);
    }
    drop_pend(f, q);
}

static void command(ctx *c, const uint8_t *msg, size_t n, const pa_smb2_hdr *h, uint64_t frame, int64_t ts) {
    pa_smb2_stats *st = c->st;
    pa_smb2_body b;
    pa_smb2_parse_body(msg, n, h, &b);
    bool resp = h->flags & PA_SMB2_FLAG_RESPONSE;
    if (pa_tx_counts(st->keep, frame)) {
        st->smb2_commands++;
        if (resp)
            st->responses++;
        else
            st->requests++;
        st->cmd_count[h->cmd < PA_SMB2_NCMDS ? h->cmd : PA_SMB2_NCMDS][resp]++;
        if (h->flags & PA_SMB2_FLAG_SIGNED) st->signed_messages++;
    }
    pa_smb2_frame_cmd *fc = view_cmd(c, frame);
    if (fc) {
        fc->cmd = h->cmd;
        fc->status = h->status;
        fc->flags = h->flags;
        fc->msg_id = h->msg_id;
        fc->sesid = h->sesid;
        fc->has_tid = !(h->flags & PA_SMB2_FLAG_ASYNC);
        fc->tid = h->tid;
        if (b.parsed && h->cmd == PA_SMB2_IOCTL) {
            fc->has_ioctl = true;
            fc->ioctl = b.ctl_code;
        }
        /* the tree a header names, as known before this message (Wireshark
         * looks it up in the session before the body adds anything) */
        const pa_smb2_tree *t = fc->has_tid ? tree_of(st, h->sesid, h->tid) : NULL;
        if (t) {
            copy_str(fc->tree, sizeof fc->tree, t->path);
            fc->has_tree = true;
        }
    }
    int64_t time_ns = -1;
    if (resp)
        response(c, msg, n, h, &b, frame, ts, fc, &time_ns);
    else
        request(c, msg, n, h, &b, frame, ts, fc);
    if (c->on_event) {
        pa_smb2_event ev = {.frame = frame, .stream = c->f->stream, .hdr = h, .body = &b, .time_ns = time_ns};
        c->on_event(c->ud, PA_AN_smb2, &ev);
    }
}

static void smb2_message(ctx *c, const uint8_t *msg, size_t n, uint64_t frame, int64_t ts) {
    size_t off = 0;
    for (int k = 0; k < PA_SMB2_MAX_CHAIN; k++) {
        pa_smb2_hdr h;
        if (!pa_smb2_parse_hdr(msg + off, n - off, &h)) {
            c->st->malformed++;
            return;
        }
        size_t len = h.next && h.next < n - off ? h.next : n - off;
        command(c, msg + off, len, &h, frame, ts);
        if (!h.next || h.next < PA_SMB2_HDR_LEN || h.next >= n - off) return;
        off += h.next;
    }
}

static void transform(ctx *c, const uint8_t *msg, size_t n, uint32_t total, uint64_t frame) {
    pa_smb2_transform t;
    bool counts = pa_tx_counts(c->st->keep, frame);
    if (counts) {
        c->st->encrypted++;
        c->st->encrypted_bytes += total;
    }
    if (!pa_smb2_parse_transform(msg, n, &t)) return;
    pa_smb2_frame_cmd *fc = view_cmd(c, frame);
    if (fc) {
        fc->cmd = 0xFFFF; /* no command: only the session id shows */
        fc->sesid = t.sesid;
    }
    if (!counts) return;
    pa_smb2_session *s = session(c, t.sesid, frame);
    if (s) {
        s->encrypted = true;
        s->transforms++;
    }
}

/* One whole NBSS message (its first PA_SMB2_MSG_KEEP payload bytes). */
static void message(ctx *c, dir_state *d, uint64_t frame, int64_t ts) {
    pa_smb2_stats *st = c->st;
    bool here = frame == c->p->frame_no;
    bool counts = pa_tx_counts(st->keep, frame);
    if (here) c->ended = true;
    if (counts) st->nbss_messages++;
    pa_smb2_frame *v = c->view;
    if (v && here && v->nnbss < PA_SMB2_FRAME_NBSS) {
        v->nbss_type[v->nnbss++] = d->hdr[0];
        v->present = true;
    }
    if (d->hdr[0] != PA_NBSS_MESSAGE) {
        if (counts) st->nbss_other++;
        return;
    }
    uint8_t magic;
    uint8_t probe[8] = {0};
    if (d->n) memcpy(probe + 4, d->buf, d->n < 4 ? d->n : 4);
    if (!pa_nbss_smb(probe, sizeof probe, &magic)) return;
    if (magic == 0xFE) {
        if (here) c->smb2 = true;
        smb2_message(c, d->buf, d->n, frame, ts);
    } else if (magic == 0xFD) {
        if (here) c->smb2 = true;
        transform(c, d->buf, d->n, d->total, frame);
    } else if (magic == 0xFC) {
        if (here) c->smb2 = true;
        if (counts) st->compressed++;
    } else {
        uint8_t cmd;
        uint32_t status;
        bool resp;
        if (!pa_smb1_parse(d->buf, d->n, &cmd, &status, &resp)) return;
        if (counts) st->smb1_messages++;
        if (v && here && v->nsmb1 < PA_SMB2_FRAME_NBSS)
            v->nsmb1 += (uint8_t)pa_smb1_cmds(d->buf, d->n, v->smb1_cmd + v->nsmb1, PA_SMB2_FRAME_NBSS - v->nsmb1);
        if (cmd == 0x72 && !resp && counts) {
            uint32_t count;
            bool smb2;
            pa_smb1_negotiate_dialects(d->buf, d->n, &count, &smb2);
            st->smb1_negotiates++;
            if (smb2) st->smb1_offers_smb2++;
        }
    }
}

static bool keep_bytes(dir_state *d, const uint8_t *p, uint32_t k) {
    uint32_t room = d->n < PA_SMB2_MSG_KEEP ? PA_SMB2_MSG_KEEP - d->n : 0;
    if (k > room) k = room;
    if (!k) return true;
    if (d->n + k > d->cap) {
        uint32_t ncap = d->cap ? d->cap : 4096;
        while (ncap < d->n + k) ncap *= 2;
        if (ncap > PA_SMB2_MSG_KEEP) ncap = PA_SMB2_MSG_KEEP;
        uint8_t *nb = realloc(d->buf, ncap);
        if (!nb) return false;
        d->buf = nb;
        d->cap = ncap;
    }
    memcpy(d->buf + d->n, p, k);
    d->n += k;
    return true;
}

static void reset_dir(dir_state *d) {
    d->in_msg = d->spanned = false;
    d->hdrn = 0;
    d->need = d->total = d->n = 0;
}

static void sink(void *ud, const uint8_t *data, size_t len, uint64_t frame, int64_t ts, bool gap) {
    ctx *c = ud;
    dir_state *d = &c->f->dir[c->side];
    if (gap) {
        c->st->gaps++;
        reset_dir(d);
    }
    bool seg_start = true;
    size_t pos = 0;
    while (pos < len) {
        if (!d->in_msg && !d->hdrn && (seg_start || d->check)) {
            pa_nbss_hdr h;
            d->check = false;
            if (!pa_nbss_check(data + pos, len - pos, &h)) {
                /* Wireshark's NBSS Continuation Message: the rest of the segment */
                if (pa_tx_counts(c->st->keep, frame)) c->st->continuations++;
                if (frame == c->p->frame_no) {
                    c->ended = true;
                    if (c->view) c->view->present = true;
                }
                return;
            }
        }
        if (seg_start && (d->in_msg || d->hdrn)) d->spanned = true;
        seg_start = false;
        if (!d->in_msg) {
            while (d->hdrn < 4 && pos < len) d->hdr[d->hdrn++] = data[pos++];
            if (d->hdrn < 4) return;
            /* 24-bit lengths on direct TCP, or for a message that holds an SMB header */
            bool smb = d->hdr[0] == 0 && len - pos >= 4 && data[pos + 1] == 'S' && data[pos + 2] == 'M' &&
                       data[pos + 3] == 'B';
            uint32_t plen;
            if (!pa_nbss_length(d->hdr, 4, c->f->cifs || smb, &plen)) return;
            d->in_msg = true;
            d->need = d->total = plen;
            d->n = 0;
        }
        uint32_t k = (uint32_t)(len - pos < d->need ? len - pos : d->need);
        if (!keep_bytes(d, data + pos, k)) c->st->malformed++;
        pos += k;
        d->need -= k;
        if (d->need) return;
        message(c, d, frame, ts);
        /* after a message reassembled across segments, the rest of the segment
         * is handed to the NBSS dissector anew, which checks its header */
        d->check = d->spanned;
        reset_dir(d);
    }
}

/* ---- connections -------------------------------------------------------------- */

static int client_side(const pa_packet *p, int from, const pa_tcp_state *tcp) {
    uint16_t port[2];
    port[from] = p->sport;
    port[!from] = p->dport;
    bool srv0 = port[0] == 445 || port[0] == 139, srv1 = port[1] == 445 || port[1] == 139;
    if (srv0 != srv1) return srv0 ? 1 : 0;
    if (tcp) {
        for (int s = 0; s < 2; s++) {
            if (tcp->by_flag[s][PA_SEG_SYN]) return s;
            if (tcp->by_flag[s][PA_SEG_SYNACK]) return !s;
        }
    }
    return port[0] < port[1] ? 1 : 0;
}

static pa_smb2_flow *start(pa_smb2_stats *st, const pa_packet *p, int from, const pa_tcp_state *tcp, uint32_t stream) {
    pa_smb2_flow *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->client = client_side(p, from, tcp);
    bool client_sent = from == f->client;
    f->client_addr = client_sent ? p->src : p->dst;
    f->server_addr = client_sent ? p->dst : p->src;
    f->cport = client_sent ? p->sport : p->dport;
    f->sport = client_sent ? p->dport : p->sport;
    f->cifs = f->sport == 445;
    f->stream = stream;
    for (int s = 0; s < 2; s++) {
        dir_state *d = &f->dir[s];
        pa_stream_init(&d->stream, PA_SMB2_STREAM_CAP);
        if (s == from)
            pa_stream_begin(&d->stream, p->tcp.seq + ((p->tcp.flags & PA_TCP_SYN) ? 1u : 0u));
        else if (tcp && tcp->data_segments[s] && tcp->dir[s].next_seq)
            pa_stream_begin(&d->stream, tcp->dir[s].next_seq);
        else if (tcp && tcp->dir[s].base_known)
            pa_stream_begin(&d->stream, tcp->dir[s].base + 1);
    }
    st->connections++;
    return f;
}

bool pa_smb2_segment(pa_smb2_stats *st, pa_smb2_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                     uint32_t stream, bool smb2_flow, pa_smb2_frame *frame, void (*on_event)(void *, int, const void *),
                     void *ud) {
    pa_smb2_flow *f = *fp;
    if (!f) {
        if (!p->payload_len) return false;
        if (!(f = *fp = start(st, p, from, tcp, stream))) return false;
    }
    if (f->done || !p->payload_len) return false;
    ctx c = {.st = st, .f = f, .p = p, .side = from, .view = frame, .on_event = on_event, .ud = ud};
    if (pa_stream_segment(&f->dir[from].stream, p->tcp.seq, p->tcp.flags & PA_TCP_SYN, p->payload, p->payload_len,
                          p->frame_no, p->ts_ns, sink, &c))
        st->streams_capped++;
    return c.ended && (smb2_flow || c.smb2);
}

void pa_smb2_finish_flow(pa_smb2_stats *st, pa_smb2_flow *f) {
    (void)st;
    if (!f || f->done) return;
    f->done = true;
    for (uint32_t i = 0; i < f->npend; i++) pa_tx_end(st->keep, f->pending[i].frame, &f->pending[i].mark);
}

bool pa_smb2_holds_data(const pa_smb2_flow *f) { return f && (f->dir[0].stream.nheld || f->dir[1].stream.nheld); }

void pa_smb2_free_flow(pa_smb2_flow *f) {
    if (!f) return;
    for (int i = 0; i < 2; i++) {
        pa_stream_free(&f->dir[i].stream);
        free(f->dir[i].buf);
    }
    free(f->pending);
    free(f);
}
