/* Multipath TCP in the pass: a subflow that joins a connection (MP_JOIN
 * with the token of a key the first subflow's MP_CAPABLE carried) is named
 * as that connection, in version 0 (SHA-1 tokens) and 1 (SHA-256); a join
 * with a token no connection has stays unnamed; a joined subflow's bytes
 * are the connection's from the middle: SSH counts them as encrypted, HTTP
 * does not parse them. Writes mptcp_gen/mptcp.pcap, which the display-filter
 * comparison reads too (tcp.options.mptcp.* against tshark). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "engine.h"
#include "pktgen.h"

/* Keys of tcpdump's mptcp-v0.pcap, and the tokens of the server's key
 * (computed apart: the top 32 bits of SHA-1 and of SHA-256 of the key). */
#define KEY_CLIENT 11285646634205721522ull
#define KEY_SERVER 10843866842831127890ull
#define TOKEN_SHA1 3833528642u
#define TOKEN_SHA256 36791158u

static const char *path = "mptcp_gen/mptcp.pcap";

typedef struct conn {
    uint8_t cip[4], sip[4];
    uint16_t cport, sport;
    uint32_t cseq, sseq;
} conn;

static pg_ts now = {1700000000, 0};

static void seg(pg_writer *w, conn *c, bool from_client, uint8_t flags, const pg_tcp_opts *o, const void *data,
                size_t n) {
    uint8_t buf[1600];
    pg_pkt k;
    pg_pkt_init(&k, buf, sizeof buf);
    static const uint8_t ma[6] = {2, 0, 0, 0, 0, 1}, mb[6] = {2, 0, 0, 0, 0, 2};
    pg_eth(&k, from_client ? mb : ma, from_client ? ma : mb, PG_ETH_IPV4);
    pg_ip4 ip = {.ttl = 64};
    memcpy(ip.src, from_client ? c->cip : c->sip, 4);
    memcpy(ip.dst, from_client ? c->sip : c->cip, 4);
    pg_ipv4(&k, &ip);
    uint32_t *mine = from_client ? &c->cseq : &c->sseq, *theirs = from_client ? &c->sseq : &c->cseq;
    pg_tcp_hdr th = {.sport = from_client ? c->cport : c->sport,
                     .dport = from_client ? c->sport : c->cport,
                     .seq = *mine,
                     .ack = (flags & PG_TH_ACK) ? *theirs : 0,
                     .flags = flags,
                     .win = 65535};
    if (o) th.opt = *o;
    pg_tcp(&k, &th);
    pg_bytes(&k, data, n);
    pg_finish(&k);
    CHECK(k.err == 0);
    pg_write_pkt(w, now, &k);
    now = pg_ts_add(now, PG_MS(1));
    *mine += (uint32_t)n + ((flags & (PG_TH_SYN | PG_TH_FIN)) ? 1u : 0u);
}

/* A connection whose first subflow carries the keys (v0: the sender's in
 * the SYN and SYN/ACK, both in the third ACK; v1: none in the SYN). */
static void capable(pg_writer *w, conn *c, uint8_t version) {
    pg_tcp_opts syn = {.mss = 1460}, synack = {.mss = 1460}, ack = {0};
    CHECK(pg_mptcp_capable(&syn, version, version == 0 ? 1 : 0, KEY_CLIENT, 0));
    CHECK(pg_mptcp_capable(&synack, version, 1, KEY_SERVER, 0));
    CHECK(pg_mptcp_capable(&ack, version, 2, KEY_CLIENT, KEY_SERVER));
    seg(w, c, true, PG_TH_SYN, &syn, NULL, 0);
    seg(w, c, false, PG_TH_SYN | PG_TH_ACK, &synack, NULL, 0);
    seg(w, c, true, PG_TH_ACK, &ack, NULL, 0);
}

/* A subflow joining with token, then bytes from the middle of the data. */
static void join(pg_writer *w, conn *c, uint32_t token) {
    pg_tcp_opts syn = {.mss = 1460};
    CHECK(pg_mptcp_join_syn(&syn, token, 0x1b66a018u));
    seg(w, c, true, PG_TH_SYN, &syn, NULL, 0);
    seg(w, c, false, PG_TH_SYN | PG_TH_ACK, NULL, NULL, 0);
    seg(w, c, true, PG_TH_ACK, NULL, NULL, 0);
    uint8_t mid[96];
    for (size_t i = 0; i < sizeof mid; i++) mid[i] = (uint8_t)(0x9d + 37 * i);
    seg(w, c, false, PG_TH_ACK | PG_TH_PSH, NULL, mid, 64);
    seg(w, c, true, PG_TH_ACK | PG_TH_PSH, NULL, mid + 3, 48);
    seg(w, c, false, PG_TH_ACK | PG_TH_PSH, NULL, mid + 7, 80);
    seg(w, c, true, PG_TH_ACK, NULL, NULL, 0);
}

/* An SSH connection over MPTCP (both identification strings), then a
 * subflow joining it with token from client port jport. */
static void ssh_joined(pg_writer *w, uint8_t version, uint8_t server, uint16_t cport, uint16_t jport, uint32_t token) {
    static const char srv[] = "SSH-2.0-OpenSSH_7.4\r\n", cli[] = "SSH-2.0-OpenSSH_8.0\r\n";
    conn a = {{10, 1, 1, 1}, {10, 2, 1, server}, cport, 22, 1000, 5000};
    capable(w, &a, version);
    seg(w, &a, false, PG_TH_ACK | PG_TH_PSH, NULL, srv, sizeof srv - 1);
    seg(w, &a, true, PG_TH_ACK | PG_TH_PSH, NULL, cli, sizeof cli - 1);
    conn b = {{10, 1, 2, 1}, {10, 2, 1, server}, jport, 22, 7000, 9000};
    join(w, &b, token);
}

static void write_capture(void) {
    mkdir("mptcp_gen", 0755);
    pg_writer *w;
    CHECK(pg_open(&w, path, NULL) == 0);
    /* stream 0: an SSH connection, v0; stream 1 joins it */
    ssh_joined(w, 0, 2, 35961, 41221, TOKEN_SHA1);
    /* stream 2 joins an unknown token (on another port: tshark names port 22
     * SSH whatever its bytes) */
    conn u = {{10, 1, 2, 1}, {10, 2, 1, 2}, 41222, 2222, 7000, 9000};
    join(w, &u, 12345);
    /* stream 3: SSH over v1; stream 4 joins it with the SHA-256 token */
    ssh_joined(w, 1, 3, 35962, 41223, TOKEN_SHA256);
    /* stream 5: HTTP over v0 with the same keys, whose tokens now name this
     * connection (the latest is the one a join means); stream 6 joins it */
    conn h = {{10, 1, 1, 1}, {10, 2, 1, 4}, 35963, 8080, 2000, 6000};
    capable(w, &h, 0);
    static const char get[] = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
    seg(w, &h, true, PG_TH_ACK | PG_TH_PSH, NULL, get, sizeof get - 1);
    conn j = {{10, 1, 2, 1}, {10, 2, 1, 4}, 41224, 8080, 7000, 9000};
    join(w, &j, TOKEN_SHA1);
    pg_close(w);
}

static pa_model *analyze(void) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return NULL;
    struct stat st;
    fstat(fd, &st);
    uint8_t head[16];
    if (pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head) {
        close(fd);
        return NULL;
    }
    pa_capfmt fmt = pa_capfmt_detect(head, sizeof head);
    pa_model *m = NULL;
    char err[256];
    if (pa_engine_analyze(fd, (uint64_t)st.st_size, &fmt, NULL, &m, err, sizeof err) != PA_OK)
        fprintf(stderr, "analyze: %s\n", err);
    return m;
}

static const pa_flow *tcp_stream(const pa_model *m, uint32_t stream) {
    for (size_t r = 0; r < m->flows.count; r++) {
        const pa_flow *f = pa_htab_rec(&m->flows, r);
        if (f->key.ipproto == 6 && f->stream == stream) return f;
    }
    return NULL;
}

static uint64_t hierarchy_frames(const pa_model *m, uint8_t proto) {
    uint64_t n = 0;
    for (int i = 0; i < m->nnodes; i++)
        if (m->nodes[i].proto == proto) n += m->nodes[i].frames;
    return n;
}

int main(void) {
    write_capture();
    pa_model *m = analyze();
    CHECK(m != NULL);
    if (!m) return check_done("mptcp");
    static const uint8_t want[] = {PA_P_SSH, PA_P_SSH, PA_P_NONE, PA_P_SSH, PA_P_SSH, PA_P_HTTP, PA_P_HTTP};
    for (uint32_t s = 0; s < sizeof want; s++) {
        const pa_flow *f = tcp_stream(m, s);
        CHECK(f != NULL);
        if (!f) continue;
        if (f->app != want[s]) fprintf(stderr, "stream %u named %u, not %u\n", s, f->app, want[s]);
        CHECK(f->app == want[s]);
        CHECK(f->mp_continued == (s == 1 || s == 4 || s == 6));
    }
    CHECK(m->mptcp_subflows == 3);
    CHECK(m->mptcp.count == 4); /* the same two keys each time: their SHA-1 and SHA-256 tokens */
    CHECK(m->mptcp_tokens_dropped == 0);
    /* SSH: two connections; each joined subflow's 3 payload segments are encrypted SSH */
    CHECK(m->ssh.connections == 2 && m->ssh.subflows == 2);
    CHECK(m->ssh.nconns == 2 && m->ssh.malformed == 0);
    CHECK(m->ssh.encrypted_bytes == 2 * (64 + 48 + 80));
    CHECK(hierarchy_frames(m, PA_P_SSH) == 2 * 2 + 2 * 3);
    /* HTTP: the request of the first subflow; the joined one's bytes are not parsed */
    CHECK(m->http.requests == 1 && m->http.parse_errors == 0);
    pa_model_free(m);
    return check_done("mptcp");
}
