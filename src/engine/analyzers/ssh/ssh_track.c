#include "ssh_track.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "util_buf.h"

/* What a direction's bytes are, in the order they come. */
enum {
    D_IDENT,       /* lines up to the identification string */
    D_AFTER_IDENT, /* its next byte decides: SSH-2 packets, or SSH-1's */
    D_PACKETS,     /* SSH-2 binary packets in clear */
    D_SSH1,        /* SSH-1 packets: framing in clear, contents encrypted after the first */
    D_ENCRYPTED,   /* after this direction's NEWKEYS: counted only */
    D_STOPPED,     /* not followed any more (a hole, bytes that are not SSH) */
};

typedef struct ssh_dir {
    pa_stream_dir stream;
    uint8_t state;
    uint8_t version;   /* of its own identification */
    uint8_t *buf;      /* the line or packet in progress */
    uint32_t n, cap;   /* bytes in buf, its size */
    uint32_t need;     /* SSH-2: 4 + packet_length once the length is read */
    uint8_t hdr[4];    /* SSH-1: the length field in progress */
    uint8_t hdrn;      /* its bytes so far (4: reading the packet) */
    uint32_t ssh1_len; /* SSH-1: the packet's length field */
    uint32_t left;     /* SSH-1: padding and packet bytes still to come */
    int16_t ssh1_code; /* SSH-1: the first packet's message type once read (-1: not yet) */
    uint16_t pre_lines;
    uint32_t ssh1_packets;
    uint8_t *kexinit; /* its KEXINIT payload, until the algorithms are chosen */
    uint32_t kexinit_len;
    pa_ssh_kexinit kex;
    uint64_t last_frame; /* its latest segment, to date what a final flush delivers */
    int64_t last_ts;
    pa_stream_mark mark; /* where the unit in progress will be placed */
} ssh_dir;

struct pa_ssh_flow {
    ssh_dir dir[2];
    int client; /* flow key side of the client */
    bool chosen, no_common, done;
    bool ignored;   /* a display filter does not keep it: nothing is parsed or counted */
    bool continued; /* a subflow of a connection started elsewhere (MPTCP): its bytes counted as encrypted */
    pa_txmark mark; /* the frames that carried its bytes (display filters) */
    pa_ssh_conn conn;
};

typedef struct ctx {
    pa_ssh_stats *st;
    pa_ssh_flow *f;
    const pa_packet *p;
    int side;           /* flow key side that sent the bytes */
    int role;           /* 0 client, 1 server */
    pa_stream_at at;    /* where a unit completing now is placed, and the piece being parsed */
    pa_ssh_frame *view; /* the current frame's facts (NULL: nobody asked) */
    bool present;       /* the current frame carried an SSH unit or encrypted bytes */
} ctx;

const char *pa_ssh_outcome_name(pa_ssh_outcome o) {
    static const char *const names[PA_SSH_OUT_COUNT] = {"completed", "no_common_algorithm", "disconnected",
                                                        "incomplete"};
    return (unsigned)o < PA_SSH_OUT_COUNT ? names[o] : "unknown";
}

static void copy_cut(char *dst, size_t size, const char *src) {
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Appends s to out (cap bytes, n used), cut to fit. */
static void append(char *out, size_t cap, size_t *n, const char *s) {
    size_t k = strlen(s);
    if (*n + k >= cap) k = cap - 1 - *n;
    memcpy(out + *n, s, k);
    *n += k;
    out[*n] = '\0';
}

static bool counts(const ctx *c) { return pa_tx_counts(c->st->keep, c->at.frame); }

static void expert(ctx *c, pa_expert_id id, const char *text) {
    if (c->st->ex && counts(c)) pa_expert_add(c->st->ex, id, c->at.frame, text);
}

/* The current frame carries SSH: Wireshark's dissector ran on it (a unit
 * started or ended in it, or encrypted bytes came in it); shown: it shows
 * more than that (a unit ended, or bytes were encrypted). */
static void carries(ctx *c, bool shown) {
    c->present = true;
    if (!c->view) return;
    c->view->present = true;
    if (shown) c->view->shown = true;
}

/* The facts of the current frame, when the unit completing now is placed on it. */
static pa_ssh_frame *here(ctx *c) {
    if (c->at.frame != c->p->frame_no) return NULL;
    carries(c, true);
    return c->view;
}

static void malformed(ctx *c) {
    c->st->malformed++;
    expert(c, PA_EX_SSH_MALFORMED, NULL);
}

/* A direction is not followed further: its buffers go. */
static void stop(ssh_dir *d) {
    d->state = D_STOPPED;
    free(d->buf);
    d->buf = NULL;
    d->n = d->cap = 0;
}

static bool reserve(ssh_dir *d, uint32_t want) {
    if (want <= d->cap) return true;
    uint32_t ncap = d->cap ? d->cap : 2048;
    while (ncap < want) ncap *= 2;
    uint8_t *b = realloc(d->buf, ncap);
    if (!b) return false;
    d->buf = b;
    d->cap = ncap;
    return true;
}

/* ---- algorithms --------------------------------------------------------------- */

static void weak(ctx *c, uint8_t bit, const char *what, const char *name, const char *why) {
    pa_ssh_conn *conn = &c->f->conn;
    conn->weak |= bit;
    char text[PA_SSH_NAME_MAX + 160];
    snprintf(text, sizeof text, "%s %s (%s)", what, name, why);
    expert(c, PA_EX_SSH_WEAK, text);
}

/* Both KEXINITs are in: each algorithm is the first of the client's list
 * that the server's list holds (RFC 4253 7.1). */
static void choose(ctx *c) {
    pa_ssh_flow *f = c->f;
    const ssh_dir *cl = &f->dir[f->client], *sv = &f->dir[!f->client];
    pa_ssh_conn *conn = &f->conn;
    static const struct {
        int list;
        size_t at; /* offsetof the name in the connection */
        const char *what;
    } picks[] = {
        {PA_SSH_L_KEX, offsetof(pa_ssh_conn, kex), "key exchange"},
        {PA_SSH_L_HOSTKEY, offsetof(pa_ssh_conn, hostkey_alg), "host key"},
        {PA_SSH_L_ENC_CS, offsetof(pa_ssh_conn, cipher[0]), "cipher client to server"},
        {PA_SSH_L_ENC_SC, offsetof(pa_ssh_conn, cipher[1]), "cipher server to client"},
        {PA_SSH_L_MAC_CS, offsetof(pa_ssh_conn, mac[0]), "MAC client to server"},
        {PA_SSH_L_MAC_SC, offsetof(pa_ssh_conn, mac[1]), "MAC server to client"},
        {PA_SSH_L_COMP_CS, offsetof(pa_ssh_conn, comp[0]), "compression client to server"},
        {PA_SSH_L_COMP_SC, offsetof(pa_ssh_conn, comp[1]), "compression server to client"},
    };
    f->chosen = true;
    for (size_t i = 0; i < sizeof picks / sizeof picks[0]; i++) {
        int l = picks[i].list;
        char *out = (char *)conn + picks[i].at;
        if (pa_ssh_choose(cl->kexinit + cl->kex.list[l].off, cl->kex.list[l].len, sv->kexinit + sv->kex.list[l].off,
                          sv->kex.list[l].len, out, PA_SSH_NAME_MAX))
            continue;
        if (!f->no_common) expert(c, PA_EX_SSH_NO_COMMON, picks[i].what);
        f->no_common = true;
    }
    pa_ssh_weak_item items[PA_SSH_WEAK_ITEMS];
    size_t n = pa_ssh_weak_items(conn, items);
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(items[i].what, "protocol")) continue; /* raised with the client's identification */
        weak(c, 0, items[i].what, items[i].name, items[i].why);
    }
    conn->weak |= (uint8_t)(pa_ssh_weak(PA_SSH_ALG_KEX, conn->kex, NULL) ? PA_SSH_WEAK_KEX : 0) |
                  (uint8_t)(pa_ssh_weak(PA_SSH_ALG_HOSTKEY, conn->hostkey_alg, NULL) ? PA_SSH_WEAK_HOSTKEY : 0);
    for (int k = 0; k < 2; k++) {
        if (pa_ssh_weak(PA_SSH_ALG_CIPHER, conn->cipher[k], NULL)) conn->weak |= PA_SSH_WEAK_CIPHER;
        if (pa_ssh_weak(PA_SSH_ALG_MAC, conn->mac[k], conn->cipher[k])) conn->weak |= PA_SSH_WEAK_MAC;
    }
    for (int k = 0; k < 2; k++) {
        free(f->dir[k].kexinit);
        f->dir[k].kexinit = NULL;
    }
}

/* ---- units of a direction ---------------------------------------------------- */

static void ident_line(ctx *c, ssh_dir *d, const uint8_t *line, size_t n) {
    pa_ssh_flow *f = c->f;
    if (n && line[n - 1] == '\r') n--;
    pa_ssh_ident id;
    if (!pa_ssh_parse_ident(line, n, &id)) {
        /* a server may send other lines first (RFC 4253 4.2); a client may not */
        if (c->role == 1 && d->pre_lines < PA_SSH_PRE_LINES) {
            d->pre_lines++;
            c->st->pre_ident_lines++;
            return;
        }
        malformed(c);
        stop(d);
        return;
    }
    pa_ssh_conn *conn = &f->conn;
    c->st->idents++;
    d->version = id.version;
    d->state = D_AFTER_IDENT;
    size_t k = n < sizeof conn->ident[0] - 1 ? n : sizeof conn->ident[0] - 1;
    for (size_t i = 0; i < k; i++) conn->ident[c->role][i] = line[i] >= 0x20 && line[i] < 0x7f ? (char)line[i] : '.';
    conn->ident[c->role][k] = '\0';
    size_t sn = 0;
    conn->software[c->role][0] = '\0';
    append(conn->software[c->role], sizeof conn->software[0], &sn, id.software);
    if (id.comments[0]) {
        append(conn->software[c->role], sizeof conn->software[0], &sn, " ");
        append(conn->software[c->role], sizeof conn->software[0], &sn, id.comments);
    }
    conn->ident_frame[c->role] = c->at.frame;
    conn->ident_ts[c->role] = c->at.ts;
    /* the client's version is the session's (as Wireshark decides it) */
    if (c->role == 0 || !conn->version) conn->version = id.version;
    if (c->role == 0 && id.version == 1) {
        char why[64];
        snprintf(why, sizeof why, "SSH-%s", id.proto);
        weak(c, PA_SSH_WEAK_V1, "protocol", why, "SSH-1 is broken");
    }
    pa_ssh_frame *v = here(c);
    if (v) {
        v->has_ident = true;
        size_t m = n < sizeof v->ident - 1 ? n : sizeof v->ident - 1;
        memcpy(v->ident, line, m);
        v->ident[m] = '\0';
    }
}

static void frame_packet(pa_ssh_frame *v, uint32_t length, uint8_t padding, int code) {
    if (!v || v->npkts >= PA_SSH_FRAME_PKTS) return;
    v->pkt[v->npkts].length = length;
    v->pkt[v->npkts].padding = padding;
    v->pkt[v->npkts].code = (int16_t)code;
    v->npkts++;
}

static void kexinit(ctx *c, ssh_dir *d, const pa_ssh_packet *pk, pa_ssh_frame *v) {
    pa_ssh_flow *f = c->f;
    pa_ssh_kexinit k;
    if (pa_ssh_parse_kexinit(pk->payload, pk->payload_len, &k) != PA_SSH_OK) {
        malformed(c);
        return;
    }
    c->st->kexinits++;
    bool server = c->role == 1;
    char *input = malloc(4 * PA_SSH_NAMELIST_MAX + 4);
    if (!input) return;
    size_t in = pa_ssh_hassh_input(&k, pk->payload, server, input, 4 * PA_SSH_NAMELIST_MAX + 4);
    char hex[33];
    pa_ssh_hassh(input, in, hex);
    if (v) {
        v->has_kexinit = true;
        v->kexinit_server = server;
        v->kexinit = k;
        v->kexinit_len = (uint32_t)(pk->payload_len < sizeof v->kex_payload ? pk->payload_len : sizeof v->kex_payload);
        memcpy(v->kex_payload, pk->payload, v->kexinit_len);
        memcpy(v->hassh, hex, sizeof hex);
        memcpy(v->hassh_input, input, in + 1);
    }
    free(input);
    pa_ssh_conn *conn = &f->conn;
    if (conn->kexinit_frame[c->role] || f->chosen) return; /* a second one in clear: shown, not used */
    conn->kexinit_frame[c->role] = c->at.frame;
    conn->kexinit_ts[c->role] = c->at.ts;
    memcpy(server ? conn->hassh_server : conn->hassh, hex, sizeof hex);
    d->kexinit = malloc(pk->payload_len);
    if (!d->kexinit) return;
    memcpy(d->kexinit, pk->payload, pk->payload_len);
    d->kexinit_len = (uint32_t)pk->payload_len;
    d->kex = k;
    if (f->dir[0].kexinit && f->dir[1].kexinit) choose(c);
}

/* A key exchange message of the server that carries its host key: the
 * DH or ECDH reply (31), or group exchange's reply (33, RFC 4419). */
static void kex_reply(ctx *c, const pa_ssh_packet *pk, pa_ssh_frame *v) {
    pa_ssh_conn *conn = &c->f->conn;
    bool gex = !strncmp(conn->kex, "diffie-hellman-group-exchange-", 30);
    if (c->role != 1 || !strncmp(conn->kex, "gss-", 4)) return;
    if (pk->code != (gex ? PA_SSH_MSG_KEX_DH_GEX_REPLY : PA_SSH_MSG_KEXDH_REPLY)) return;
    char type[PA_SSH_NAME_MAX];
    if (!pa_ssh_parse_hostkey_type(pk->payload, pk->payload_len, type, sizeof type)) return;
    if (!conn->hostkey_type[0]) copy_cut(conn->hostkey_type, sizeof conn->hostkey_type, type);
    if (v) {
        v->has_hostkey = true;
        copy_cut(v->hostkey_type, sizeof v->hostkey_type, type);
    }
}

static void packet(ctx *c, ssh_dir *d, const uint8_t *b, size_t n) {
    pa_ssh_flow *f = c->f;
    pa_ssh_conn *conn = &f->conn;
    pa_ssh_packet pk;
    pa_ssh_status s = pa_ssh_parse_packet(b, n, &pk);
    pa_ssh_frame *v = here(c);
    frame_packet(v, pk.length, pk.padding, s == PA_SSH_OK ? pk.code : -1);
    c->st->packets++;
    conn->packets[c->role]++;
    if (s != PA_SSH_OK) {
        malformed(c);
        return;
    }
    switch (pk.code) {
    case PA_SSH_MSG_KEXINIT: kexinit(c, d, &pk, v); break;
    case PA_SSH_MSG_NEWKEYS:
        c->st->newkeys++;
        if (!conn->newkeys_frame[c->role]) {
            conn->newkeys_frame[c->role] = c->at.frame;
            conn->newkeys_ts[c->role] = c->at.ts;
        }
        d->state = D_ENCRYPTED;
        break;
    case PA_SSH_MSG_DISCONNECT:
        if (!conn->disconnected)
            conn->disconnected = pa_ssh_parse_disconnect(pk.payload, pk.payload_len, &conn->disconnect_reason,
                                                         conn->disconnect_desc, sizeof conn->disconnect_desc);
        break;
    default:
        if (pk.code >= 30 && pk.code < 50) kex_reply(c, &pk, v);
        break;
    }
}

/* ---- the byte stream -------------------------------------------------------- */

/* Takes up to want bytes of the unit in progress from cur into d->buf. */
static bool gather(ssh_dir *d, pa_cur *cur, uint32_t want) {
    uint32_t take = want - d->n;
    if (take > cur->len) take = (uint32_t)cur->len;
    if (!reserve(d, d->n + take)) return false;
    memcpy(d->buf + d->n, cur->p, take);
    d->n += take;
    return pa_cur_skip(cur, take);
}

/* The unit in buf ended: the next one is placed from the current piece on. */
static void unit_done(ctx *c, ssh_dir *d) {
    d->n = 0;
    d->need = 0;
    pa_stream_at_unit_done(&c->at, &d->mark);
}

static void step_ident(ctx *c, ssh_dir *d, pa_cur *cur) {
    const uint8_t *nl = memchr(cur->p, '\n', cur->len);
    uint32_t take = nl ? (uint32_t)(nl - cur->p) + 1 : (uint32_t)cur->len;
    if (d->n + take > PA_SSH_LINE_MAX) { /* not a line of text: not SSH */
        malformed(c);
        stop(d);
        return;
    }
    if (!gather(d, cur, d->n + take)) {
        stop(d);
        return;
    }
    if (!nl) return;
    ident_line(c, d, d->buf, d->n - 1);
    if (d->state != D_STOPPED) unit_done(c, d);
}

static void step_packets(ctx *c, ssh_dir *d, pa_cur *cur) {
    if (d->n < 4) {
        if (!gather(d, cur, 4) || d->n < 4) return;
        uint32_t len = (uint32_t)d->buf[0] << 24 | (uint32_t)d->buf[1] << 16 | (uint32_t)d->buf[2] << 8 | d->buf[3];
        if (len > PA_SSH_PACKET_MAX || len < 2) {
            /* not a packet in clear (or a hostile length): the direction is not followed further */
            c->st->too_long++;
            if (c->st->ex && counts(c)) pa_expert_add(c->st->ex, PA_EX_SSH_LENGTH, c->at.frame, len);
            stop(d);
            return;
        }
        d->need = 4 + len;
    }
    if (!gather(d, cur, d->need)) {
        stop(d);
        return;
    }
    if (d->n < d->need) return;
    packet(c, d, d->buf, d->n);
    unit_done(c, d);
    if (d->state == D_ENCRYPTED) { /* its keys are in use: the packet buffer is not needed */
        free(d->buf);
        d->buf = NULL;
        d->cap = 0;
    }
}

/* SSH-1: the length, padding to a multiple of 8, then type, data and CRC;
 * only the first packet of each side is in clear (public key, session key). */
static void step_ssh1(ctx *c, ssh_dir *d, pa_cur *cur) {
    if (d->hdrn < 4) {
        while (d->hdrn < 4 && cur->len) {
            uint8_t b;
            if (!pa_cur_u8(cur, &b)) return;
            d->hdr[d->hdrn++] = b;
        }
        if (d->hdrn < 4) return;
        d->ssh1_len = (uint32_t)d->hdr[0] << 24 | (uint32_t)d->hdr[1] << 16 | (uint32_t)d->hdr[2] << 8 | d->hdr[3];
        if (d->ssh1_len > PA_SSH1_PACKET_MAX || d->ssh1_len == 0) {
            c->st->too_long++;
            if (c->st->ex && counts(c)) pa_expert_add(c->st->ex, PA_EX_SSH_LENGTH, c->at.frame, d->ssh1_len);
            stop(d);
            return;
        }
        d->left = pa_ssh1_padding(d->ssh1_len) + d->ssh1_len;
    }
    uint32_t pad = pa_ssh1_padding(d->ssh1_len);
    uint32_t done = pad + d->ssh1_len - d->left; /* bytes of padding and packet already passed */
    uint32_t take = d->left < cur->len ? d->left : (uint32_t)cur->len;
    uint8_t b;
    if (!d->ssh1_packets && d->ssh1_code < 0 && done <= pad && pad < done + take && pa_cur_peek_u8(cur, pad - done, &b))
        d->ssh1_code = b;
    if (!pa_cur_skip(cur, take)) return;
    d->left -= take;
    if (!d->left) {
        pa_ssh_frame *v = here(c);
        bool first = !d->ssh1_packets++;
        frame_packet(v, d->ssh1_len, (uint8_t)pad, first ? d->ssh1_code : -1);
        c->st->ssh1_packets++;
        c->f->conn.packets[c->role]++;
        if (!first) {
            c->f->conn.encrypted[c->role] += 4 + pad + d->ssh1_len;
            c->st->encrypted_bytes += 4 + pad + d->ssh1_len;
        }
        d->hdrn = 0;
        unit_done(c, d);
    }
}

static void sink(void *ud, const uint8_t *data, size_t len, uint64_t frame, int64_t ts, bool gap) {
    ctx *c = ud;
    ssh_dir *d = &c->f->dir[c->side];
    pa_stream_at_piece(&c->at, &d->mark, frame, ts, gap);
    if (gap) {
        c->st->gaps += d->state != D_STOPPED && d->state != D_ENCRYPTED;
        if (d->state == D_IDENT)
            d->n = 0; /* the next whole line may still be the identification */
        else if (d->state != D_ENCRYPTED)
            stop(d);
    }
    pa_cur cur = pa_cur_make(data, len);
    while (cur.len) {
        /* a unit starts in the current frame: tshark runs the dissector on it */
        bool fresh = d->state == D_SSH1 ? d->hdrn == 0 : d->n == 0;
        if (fresh && frame == c->p->frame_no && (d->state == D_IDENT || d->state == D_PACKETS || d->state == D_SSH1))
            carries(c, false);
        switch (d->state) {
        case D_IDENT: step_ident(c, d, &cur); break;
        case D_AFTER_IDENT: {
            /* SSH-1 when the session's version (the client's) is 1 */
            uint8_t v = c->f->conn.ident_frame[0] ? c->f->conn.version : d->version;
            d->state = v == 1 ? D_SSH1 : D_PACKETS;
            d->ssh1_code = -1;
            break;
        }
        case D_PACKETS: step_packets(c, d, &cur); break;
        case D_SSH1: step_ssh1(c, d, &cur); break;
        case D_ENCRYPTED:
            c->f->conn.encrypted[c->role] += cur.len;
            c->st->encrypted_bytes += cur.len;
            if (frame == c->p->frame_no) carries(c, true);
            cur.len = 0;
            break;
        default: cur.len = 0; break;
        }
    }
}

/* ---- connections -------------------------------------------------------------- */

/* The client: the side that sent the SYN, else the side whose port is not
 * 22, else the higher port (as Wireshark names directions by port 22). */
static int client_side(const pa_packet *p, int from, const pa_tcp_state *tcp) {
    if (tcp) {
        for (int s = 0; s < 2; s++) {
            if (tcp->by_flag[s][PA_SEG_SYN]) return s;
            if (tcp->by_flag[s][PA_SEG_SYNACK]) return !s;
        }
    }
    uint16_t port[2];
    port[from] = p->sport;
    port[!from] = p->dport;
    if (port[0] == 22 || port[1] == 22) return port[0] == 22 ? 1 : 0;
    return port[0] < port[1] ? 1 : 0;
}

static pa_ssh_flow *start(pa_ssh_stats *st, const pa_packet *p, int from, const pa_tcp_state *tcp, uint32_t stream,
                          bool continued) {
    pa_ssh_flow *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    if ((f->ignored = !pa_tx_kept(st->keep, p->frame_no))) return f;
    f->client = client_side(p, from, tcp);
    f->continued = continued;
    for (int s = 0; s < 2; s++) {
        ssh_dir *d = &f->dir[s];
        pa_stream_init(&d->stream, PA_SSH_STREAM_CAP);
        d->ssh1_code = -1;
        if (continued) d->state = D_ENCRYPTED;
        if (s == from)
            pa_stream_begin(&d->stream, p->tcp.seq + ((p->tcp.flags & PA_TCP_SYN) ? 1u : 0u));
        else if (tcp && tcp->data_segments[s] && tcp->dir[s].next_seq) /* bytes before it named the flow */
            pa_stream_begin(&d->stream, tcp->dir[s].next_seq);
        else if (tcp && tcp->dir[s].base_known)
            pa_stream_begin(&d->stream, tcp->dir[s].base + 1);
    }
    pa_ssh_conn *c = &f->conn;
    bool client_sent = from == f->client;
    c->client = client_sent ? p->src : p->dst;
    c->server = client_sent ? p->dst : p->src;
    c->cport = client_sent ? p->sport : p->dport;
    c->sport = client_sent ? p->dport : p->sport;
    c->stream = stream;
    c->first_frame = p->frame_no;
    if (continued)
        st->subflows++;
    else
        st->connections++;
    return f;
}

static bool segment(pa_ssh_stats *st, pa_ssh_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                    uint32_t stream, pa_ssh_frame *frame, bool continued) {
    pa_ssh_flow *f = *fp;
    if (!f) {
        if (!p->payload_len) return false; /* a connection becomes SSH with its first identification */
        if (!(f = *fp = start(st, p, from, tcp, stream, continued))) return false;
    }
    if (f->ignored || f->done) return false;
    pa_tx_touch(st->keep, &f->mark, p->frame_no);
    if (!p->payload_len) return false;
    ssh_dir *d = &f->dir[from];
    d->last_frame = p->frame_no;
    d->last_ts = p->ts_ns;
    int role = from == f->client ? 0 : 1;
    if (frame) frame->direction = (int8_t)role;
    ctx c = {.st = st, .f = f, .p = p, .side = from, .role = role, .view = frame};
    if (pa_stream_segment(&d->stream, p->tcp.seq, p->tcp.flags & PA_TCP_SYN, p->payload, p->payload_len, p->frame_no,
                          p->ts_ns, sink, &c))
        st->streams_capped++;
    return c.present;
}

bool pa_ssh_segment(pa_ssh_stats *st, pa_ssh_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                    uint32_t stream, pa_ssh_frame *frame) {
    return segment(st, fp, p, from, tcp, stream, frame, false);
}

bool pa_ssh_continued_segment(pa_ssh_stats *st, pa_ssh_flow **fp, const pa_packet *p, int from, const pa_tcp_state *tcp,
                              uint32_t stream, pa_ssh_frame *frame) {
    return segment(st, fp, p, from, tcp, stream, frame, true);
}

static void weak_item(pa_ssh_weak_item *out, size_t *n, const char *what, const char *name, const char *why) {
    if (!why || *n >= PA_SSH_WEAK_ITEMS) return;
    out[*n].what = what;
    out[*n].name = name;
    out[*n].why = why;
    (*n)++;
}

size_t pa_ssh_weak_items(const pa_ssh_conn *c, pa_ssh_weak_item out[PA_SSH_WEAK_ITEMS]) {
    size_t n = 0;
    if (c->weak & PA_SSH_WEAK_V1)
        weak_item(out, &n, "protocol", c->ident[0][0] ? c->ident[0] : "SSH-1", "SSH-1 is broken");
    weak_item(out, &n, "kex", c->kex, pa_ssh_weak(PA_SSH_ALG_KEX, c->kex, NULL));
    weak_item(out, &n, "host key", c->hostkey_alg, pa_ssh_weak(PA_SSH_ALG_HOSTKEY, c->hostkey_alg, NULL));
    for (int k = 0; k < 2; k++) {
        bool same_cipher = k && !strcmp(c->cipher[0], c->cipher[1]);
        bool same_mac = same_cipher && !strcmp(c->mac[0], c->mac[1]);
        if (!same_cipher)
            weak_item(out, &n, "cipher", c->cipher[k], pa_ssh_weak(PA_SSH_ALG_CIPHER, c->cipher[k], NULL));
        if (!same_mac) weak_item(out, &n, "mac", c->mac[k], pa_ssh_weak(PA_SSH_ALG_MAC, c->mac[k], c->cipher[k]));
    }
    return n;
}

void pa_ssh_weak_text(const pa_ssh_conn *c, char *out, size_t cap) {
    if (!cap) return;
    out[0] = '\0';
    pa_ssh_weak_item items[PA_SSH_WEAK_ITEMS];
    size_t k = pa_ssh_weak_items(c, items), n = 0;
    for (size_t i = 0; i < k; i++) {
        char item[PA_SSH_IDENT_KEEP + 160];
        snprintf(item, sizeof item, "%s%s %s (%s)", i ? "; " : "", items[i].what, items[i].name, items[i].why);
        append(out, cap, &n, item);
    }
}

static void keep_conn(pa_ssh_stats *st, const pa_ssh_conn *conn) {
    void *v = st->conns;
    if (!pa_array_push(&v, &st->nconns, &st->conncap, sizeof *conn, PA_SSH_MAX_CONNS, conn)) st->conns_dropped++;
    st->conns = v;
}

void pa_ssh_finish_flow(pa_ssh_stats *st, pa_ssh_flow *f) {
    if (!f || f->done) return;
    f->done = true;
    if (f->ignored) return;
    /* bytes still held behind a hole that never filled: parsed now, dated by
     * the direction's last segment (no frame's facts are filled) */
    for (int side = 0; side < 2; side++) {
        ssh_dir *d = &f->dir[side];
        if (!d->stream.nheld) continue;
        pa_packet last = {.frame_no = d->last_frame, .ts_ns = d->last_ts};
        ctx c = {.st = st, .f = f, .p = &last, .side = side, .role = side == f->client ? 0 : 1};
        pa_stream_flush(&d->stream, sink, &c);
    }
    if (f->continued) return; /* its connection is the subflow it joined: listed there */
    pa_ssh_conn *conn = &f->conn;
    bool ssh1 = conn->version == 1;
    if (ssh1)
        st->version1++;
    else if (conn->version == 2)
        st->version2++;
    pa_ssh_outcome o;
    if (ssh1 ? f->dir[0].ssh1_packets && f->dir[1].ssh1_packets : conn->newkeys_frame[0] && conn->newkeys_frame[1])
        o = PA_SSH_OUT_COMPLETED;
    else if (f->no_common)
        o = PA_SSH_OUT_NO_COMMON;
    else if (conn->disconnected)
        o = PA_SSH_OUT_DISCONNECTED;
    else
        o = PA_SSH_OUT_INCOMPLETE;
    conn->outcome = (uint8_t)o;
    st->outcome[o]++;
    if (o == PA_SSH_OUT_COMPLETED && !ssh1) st->completed_kex++;
    if (conn->weak) st->weak_connections++;
    pa_tx_end(st->keep, conn->first_frame, &f->mark);
    keep_conn(st, conn);
}

bool pa_ssh_holds_data(const pa_ssh_flow *f) { return f && (f->dir[0].stream.nheld || f->dir[1].stream.nheld); }

void pa_ssh_free_flow(pa_ssh_flow *f) {
    if (!f) return;
    for (int i = 0; i < 2; i++) {
        pa_stream_free(&f->dir[i].stream);
        free(f->dir[i].buf);
        free(f->dir[i].kexinit);
    }
    free(f);
}

static int by_first_frame(const void *x, const void *y) {
    const pa_ssh_conn *a = x, *b = y;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

void pa_ssh_finish(pa_ssh_stats *st) {
    if (st->nconns > 1) qsort(st->conns, st->nconns, sizeof *st->conns, by_first_frame);
}

void pa_ssh_stats_free(pa_ssh_stats *st) {
    free(st->conns);
    st->conns = NULL;
    st->nconns = st->conncap = 0;
}
