/* SSH: the parsers on built and hostile bytes (identification strings,
 * packets, KEXINIT with its HASSH, host key type, DISCONNECT, every
 * truncation of a KEXINIT, name-lists past the packet or the cap), the
 * algorithm choice and weakness, the tracker over segments (a KEXINIT split
 * across segments, a reply, NEWKEYS and encrypted bytes in one segment,
 * SSH-1, lines before the server's identification, holes, huge lengths, no
 * common algorithm, DISCONNECT), and analyze_application_response_times on
 * a capture built here (ssh_gen/ssh.pcap), which the tshark comparisons
 * (compare_ssh.mjs, the display filters) read too.
 * HASSH values were computed apart, with Python:
 *   hashlib.md5(b"curve25519-sha256,ecdh-sha2-nistp256,diffie-hellman-group14-sha256,ext-info-c;"
 *               b"aes256-gcm@openssh.com,aes256-ctr,aes128-cbc;hmac-sha2-256-etm@openssh.com,hmac-sha2-256,"
 *               b"hmac-md5;none,zlib@openssh.com").hexdigest() == "42d0a67523765da258591768a92d579e"
 *   hashlib.md5(b"curve25519-sha256,curve25519-sha256@libssh.org,kex-strict-s-v00@openssh.com;aes128-cbc;"
 *               b"hmac-md5;none").hexdigest() == "f0eaae2261d048a5464fe63099e836eb"
 *   hashlib.md5(b"diffie-hellman-group1-sha1;3des-cbc;hmac-sha1-96;none").hexdigest()
 *               == "d998231489aa001c73e948e19920eb4e"
 * Usage: test_ssh [DIR] (where the capture is written; default ssh_gen) */
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "check.h"
#include "pktgen.h"
#include "rows_text.h"
#include "ssh_analyzer.h"
#include "test_kit.h"
#include "tool_common.h"

#define HASSH_CLIENT "42d0a67523765da258591768a92d579e"
#define HASSH_SERVER "f0eaae2261d048a5464fe63099e836eb"
#define HASSH_WEAK "d998231489aa001c73e948e19920eb4e"

/* ---- building bytes --------------------------------------------------------------- */

typedef struct wb {
    uint8_t b[65536];
    size_t n;
} wb;

static void u8(wb *w, unsigned v) { w->b[w->n++] = (uint8_t)v; }
static void be32(wb *w, uint32_t v) {
    for (int i = 3; i >= 0; i--) u8(w, (v >> (8 * i)) & 0xFF);
}
static void bytes(wb *w, const void *p, size_t n) {
    memcpy(w->b + w->n, p, n);
    w->n += n;
}
static void text(wb *w, const char *s) { bytes(w, s, strlen(s)); }
static void sshstr(wb *w, const char *s) {
    be32(w, (uint32_t)strlen(s));
    text(w, s);
}

/* An SSH-2 packet in clear around a payload: padding to a multiple of 8, at least 4. */
static void packet(wb *w, const wb *payload) {
    size_t pad = 8 - (5 + payload->n) % 8;
    if (pad < 4) pad += 8;
    be32(w, (uint32_t)(1 + payload->n + pad));
    u8(w, (unsigned)pad);
    bytes(w, payload->b, payload->n);
    for (size_t i = 0; i < pad; i++) u8(w, 0);
}

static const char *const CLIENT_LISTS[PA_SSH_NLISTS] = {
    "curve25519-sha256,ecdh-sha2-nistp256,diffie-hellman-group14-sha256,ext-info-c",
    "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512",
    "aes256-gcm@openssh.com,aes256-ctr,aes128-cbc",
    "aes256-gcm@openssh.com,aes256-ctr,aes128-cbc",
    "hmac-sha2-256-etm@openssh.com,hmac-sha2-256,hmac-md5",
    "hmac-sha2-256-etm@openssh.com,hmac-sha2-256,hmac-md5",
    "none,zlib@openssh.com",
    "none,zlib@openssh.com",
    "",
    "",
};
static const char *const SERVER_LISTS[PA_SSH_NLISTS] = {
    "curve25519-sha256,curve25519-sha256@libssh.org,kex-strict-s-v00@openssh.com",
    "rsa-sha2-512,ssh-ed25519",
    "aes256-ctr,aes256-gcm@openssh.com",
    "aes128-cbc",
    "hmac-sha2-256",
    "hmac-md5",
    "none",
    "none",
    "",
    "",
};
/* everything weak: a client and server that agree on it */
static const char *const WEAK_LISTS[PA_SSH_NLISTS] = {
    "diffie-hellman-group1-sha1",
    "ssh-dss",
    "3des-cbc",
    "3des-cbc",
    "hmac-sha1-96",
    "hmac-sha1-96",
    "none",
    "none",
    "",
    "",
};

static void kexinit_payload(wb *p, const char *const lists[PA_SSH_NLISTS], uint8_t cookie) {
    p->n = 0;
    u8(p, PA_SSH_MSG_KEXINIT);
    for (int i = 0; i < 16; i++) u8(p, cookie + (unsigned)i);
    for (int i = 0; i < PA_SSH_NLISTS; i++) sshstr(p, lists[i]);
    u8(p, 0);
    be32(p, 0);
}

/* KEX_ECDH_REPLY: host key blob (type, key), Q_S, signature */
static void ecdh_reply(wb *p, const char *type) {
    wb blob = {.n = 0};
    sshstr(&blob, type);
    sshstr(&blob, "0123456789abcdef0123456789abcdef");
    p->n = 0;
    u8(p, PA_SSH_MSG_KEXDH_REPLY);
    be32(p, (uint32_t)blob.n);
    bytes(p, blob.b, blob.n);
    sshstr(p, "QSQSQSQSQSQSQSQSQSQSQSQSQSQSQSQS");
    wb sig = {.n = 0};
    sshstr(&sig, type);
    sshstr(&sig, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    be32(p, (uint32_t)sig.n);
    bytes(p, sig.b, sig.n);
}

static void one_byte(wb *p, uint8_t code) {
    p->n = 0;
    u8(p, code);
}

/* ---- the parsers ------------------------------------------------------------------ */

static void test_parse(void) {
    pa_ssh_ident id;
    const char *l = "SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u3";
    CHECK(pa_ssh_parse_ident((const uint8_t *)l, strlen(l), &id));
    CHECK_STR(id.proto, "2.0");
    CHECK_STR(id.software, "OpenSSH_7.4p1");
    CHECK_STR(id.comments, "Debian-10+deb9u3");
    CHECK(id.version == 2);
    CHECK(pa_ssh_parse_ident((const uint8_t *)"SSH-1.99-X", 10, &id) && id.version == 2 && !id.comments[0]);
    CHECK(pa_ssh_parse_ident((const uint8_t *)"SSH-1.5-X", 9, &id) && id.version == 1);
    CHECK(!pa_ssh_parse_ident((const uint8_t *)"SSH-2.0", 7, &id));
    CHECK(!pa_ssh_parse_ident((const uint8_t *)"SSH-x.0-OpenSSH", 15, &id));
    CHECK(!pa_ssh_parse_ident((const uint8_t *)"ssh-2.0-OpenSSH", 15, &id));
    /* the look: the identification first, or after lines of text */
    const char *a = "SSH-2.0-OpenSSH_9.6\r\n", *b = "Welcome\r\nPlease behave\r\nSSH-2.0-Srv\r\n";
    CHECK(pa_ssh_looks((const uint8_t *)a, strlen(a)));
    CHECK(pa_ssh_looks((const uint8_t *)a, 9)); /* cut by the segment */
    CHECK(pa_ssh_looks((const uint8_t *)b, strlen(b)));
    CHECK(!pa_ssh_looks((const uint8_t *)"SSH-2.0", 7));
    CHECK(!pa_ssh_looks((const uint8_t *)"Welcome\r\n", 9));
    CHECK(!pa_ssh_looks((const uint8_t *)"\x00\x01SSH-2.0-x\r\n", 13));
    wb many = {.n = 0};
    for (int i = 0; i < PA_SSH_PRE_LOOK + 1; i++) text(&many, "line\r\n");
    text(&many, a);
    CHECK(!pa_ssh_looks(many.b, many.n));

    /* a packet */
    wb pl = {.n = 0}, pk = {.n = 0};
    one_byte(&pl, PA_SSH_MSG_NEWKEYS);
    packet(&pk, &pl);
    pa_ssh_packet p;
    CHECK(pa_ssh_parse_packet(pk.b, pk.n, &p) == PA_SSH_OK);
    CHECK(p.length == 12 && p.padding == 10 && p.code == PA_SSH_MSG_NEWKEYS && p.payload_len == 1);
    CHECK(pa_ssh_parse_packet(pk.b, pk.n - 1, &p) == PA_SSH_BAD); /* length disagrees with the bytes */
    pk.b[4] = 11;                                                 /* padding leaves no message code */
    CHECK(pa_ssh_parse_packet(pk.b, pk.n, &p) == PA_SSH_BAD && p.length == 12 && p.padding == 11);

    /* KEXINIT, HASSH */
    kexinit_payload(&pl, CLIENT_LISTS, 0xA0);
    pa_ssh_kexinit k;
    CHECK(pa_ssh_parse_kexinit(pl.b, pl.n, &k) == PA_SSH_OK);
    CHECK(k.cookie[0] == 0xA0 && k.cookie[15] == 0xAF && k.first_kex_follows == 0 && k.reserved == 0);
    CHECK(k.list[PA_SSH_L_KEX].len == strlen(CLIENT_LISTS[0]) && k.list[PA_SSH_L_LANG_SC].len == 0);
    CHECK(!memcmp(pl.b + k.list[PA_SSH_L_HOSTKEY].off, CLIENT_LISTS[1], strlen(CLIENT_LISTS[1])));
    char in[1024], hex[33];
    size_t n = pa_ssh_hassh_input(&k, pl.b, false, in, sizeof in);
    CHECK(n == strlen(in));
    pa_ssh_hassh(in, n, hex);
    CHECK_STR(hex, HASSH_CLIENT);
    /* a cut input still reports its full length */
    CHECK(pa_ssh_hassh_input(&k, pl.b, false, in, 10) == n && strlen(in) == 9);
    /* every truncation is malformed */
    int bad = 0;
    for (size_t cut = 0; cut < pl.n; cut++) bad += pa_ssh_parse_kexinit(pl.b, cut, &k) == PA_SSH_BAD;
    CHECK(bad == (int)pl.n);
    /* a name-list longer than what is left, or than the cap */
    kexinit_payload(&pl, SERVER_LISTS, 1);
    pl.b[17 + 2] = 0x0F; /* kex_algorithms: 3,900 bytes, within the cap, past the payload */
    CHECK(pa_ssh_parse_kexinit(pl.b, pl.n, &k) == PA_SSH_BAD);
    wb big = {.n = 0};
    u8(&big, PA_SSH_MSG_KEXINIT);
    for (int i = 0; i < 16; i++) u8(&big, 0);
    be32(&big, PA_SSH_NAMELIST_MAX + 1);
    for (int i = 0; i <= PA_SSH_NAMELIST_MAX; i++) u8(&big, 'a');
    for (int i = 1; i < PA_SSH_NLISTS; i++) be32(&big, 0);
    u8(&big, 0);
    be32(&big, 0);
    CHECK(pa_ssh_parse_kexinit(big.b, big.n, &k) == PA_SSH_BAD);

    /* host key type, DISCONNECT */
    char type[PA_SSH_NAME_MAX], desc[64];
    ecdh_reply(&pl, "ssh-ed25519");
    CHECK(pa_ssh_parse_hostkey_type(pl.b, pl.n, type, sizeof type));
    CHECK_STR(type, "ssh-ed25519");
    CHECK(!pa_ssh_parse_hostkey_type(pl.b, 8, type, sizeof type)); /* the blob runs past the end */
    pl.n = 0;
    u8(&pl, PA_SSH_MSG_DISCONNECT);
    be32(&pl, 3);
    sshstr(&pl, "no matching key exchange method found");
    sshstr(&pl, "");
    uint32_t reason = 0;
    CHECK(pa_ssh_parse_disconnect(pl.b, pl.n, &reason, desc, sizeof desc) && reason == 3);
    CHECK_STR(desc, "no matching key exchange method found");
    CHECK(!pa_ssh_parse_disconnect(pl.b, 12, &reason, desc, sizeof desc));

    /* the choice: the client's first name the server has */
    char pick[PA_SSH_NAME_MAX];
    CHECK(pa_ssh_choose((const uint8_t *)"a,bb,c", 6, (const uint8_t *)"c,bb", 4, pick, sizeof pick));
    CHECK_STR(pick, "bb");
    CHECK(!pa_ssh_choose((const uint8_t *)"a,b", 3, (const uint8_t *)"ab,c", 4, pick, sizeof pick) && !pick[0]);
    CHECK(!pa_ssh_choose((const uint8_t *)"", 0, (const uint8_t *)"a", 1, pick, sizeof pick));
    CHECK(pa_ssh_choose((const uint8_t *)",x", 2, (const uint8_t *)"y,x", 3, pick, sizeof pick));
    CHECK_STR(pick, "x");

    /* weakness */
    CHECK(pa_ssh_weak(PA_SSH_ALG_KEX, "diffie-hellman-group1-sha1", NULL));
    CHECK(pa_ssh_weak(PA_SSH_ALG_KEX, "diffie-hellman-group-exchange-sha1", NULL));
    CHECK(!pa_ssh_weak(PA_SSH_ALG_KEX, "diffie-hellman-group14-sha256", NULL));
    CHECK(pa_ssh_weak(PA_SSH_ALG_HOSTKEY, "ssh-dss", NULL) && !pa_ssh_weak(PA_SSH_ALG_HOSTKEY, "ssh-rsa", NULL));
    CHECK(pa_ssh_weak(PA_SSH_ALG_CIPHER, "arcfour256", NULL) && pa_ssh_weak(PA_SSH_ALG_CIPHER, "3des-cbc", NULL));
    CHECK(pa_ssh_weak(PA_SSH_ALG_CIPHER, "aes128-cbc", NULL) && pa_ssh_weak(PA_SSH_ALG_CIPHER, "none", NULL));
    CHECK(!pa_ssh_weak(PA_SSH_ALG_CIPHER, "aes128-ctr", NULL));
    CHECK(pa_ssh_weak(PA_SSH_ALG_MAC, "hmac-md5", "aes128-ctr") && pa_ssh_weak(PA_SSH_ALG_MAC, "hmac-sha1-96", NULL));
    CHECK(!pa_ssh_weak(PA_SSH_ALG_MAC, "hmac-md5", "chacha20-poly1305@openssh.com")); /* AEAD: no MAC used */
    CHECK(!pa_ssh_weak(PA_SSH_ALG_MAC, "hmac-sha1", "aes128-ctr"));
}

/* ---- the tracker over segments ------------------------------------------------------ */

typedef struct conn {
    pa_ssh_stats st;
    pa_expert ex;
    pa_ssh_flow *f;
    uint32_t seq[2];
    uint64_t frame;
    uint16_t port;
    pa_ssh_frame *view;
} conn;

static void conn_init(conn *c, uint16_t port) {
    memset(c, 0, sizeof *c);
    CHECK(pa_expert_init(&c->ex) == 0);
    c->st.ex = &c->ex;
    c->seq[0] = 1000;
    c->seq[1] = 90000;
    c->port = port;
    c->view = calloc(1, sizeof *c->view);
}

/* One segment; returns whether the frame carries SSH (c->view holds its facts). */
static bool seg(conn *c, int server, const void *d, size_t n) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.frame_no = ++c->frame;
    p.ts_ns = (int64_t)c->frame * 1000000;
    p.src.family = p.dst.family = 4;
    p.src.b[3] = (uint8_t)(1 + server);
    p.dst.b[3] = (uint8_t)(2 - server);
    p.sport = server ? c->port : 50000;
    p.dport = server ? 50000 : c->port;
    p.tcp.seq = c->seq[server];
    p.tcp.flags = PA_TCP_ACK;
    p.payload = d;
    p.payload_len = (uint32_t)n;
    c->seq[server] += (uint32_t)n;
    pa_analyzer_ssh.frame_reset(c->view);
    return pa_ssh_segment(&c->st, &c->f, &p, server, NULL, 7, c->view);
}

static const pa_ssh_conn *conn_end(conn *c) {
    pa_ssh_finish_flow(&c->st, c->f);
    pa_ssh_finish(&c->st);
    return c->st.nconns ? &c->st.conns[0] : NULL;
}

static void conn_free(conn *c) {
    pa_ssh_free_flow(c->f);
    pa_ssh_stats_free(&c->st);
    pa_expert_free(&c->ex);
    free(c->view);
}

/* The value of a display-filter field in the current frame, as text ("" when none). */
static const char *field(conn *c, const char *name, char *out, size_t cap) {
    static pa_field_frame ff;
    const void *apps[PA_AN_COUNT] = {0};
    apps[PA_AN_ssh] = c->view;
    memset(&ff, 0, sizeof ff);
    ff.app = apps;
    pa_dvalue v[8];
    int id = pa_dfield_find(name, strlen(name));
    size_t k = id < 0 ? 0 : pa_ssh_field_values(&ff, (pa_dfield)id, v, 8);
    out[0] = '\0';
    if (!k) return out;
    if (v[0].type == PA_FT_STRING)
        snprintf(out, cap, "%.*s", (int)v[0].v.bytes.n, (const char *)v[0].v.bytes.p);
    else if (v[0].type == PA_FT_BYTES)
        for (size_t i = 0; i < v[0].v.bytes.n && 2 * i + 2 < cap; i++)
            snprintf(out + 2 * i, cap - 2 * i, "%02x", v[0].v.bytes.p[i]);
    else
        for (size_t i = 0, o = 0; i < k; i++)
            o += (size_t)snprintf(out + o, cap - o, "%s%llu", i ? "," : "", (unsigned long long)v[i].v.u);
    return out;
}

static void test_track(void) {
    conn c;
    conn_init(&c, 22);
    char f[4096];
    wb pl = {.n = 0}, pk = {.n = 0};
    /* identifications: the server's first, then the client's */
    CHECK(seg(&c, 1, "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3\r\n", 32));
    CHECK_STR(field(&c, "ssh.protocol", f, sizeof f), "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3");
    CHECK_STR(field(&c, "ssh.direction", f, sizeof f), "1");
    CHECK(seg(&c, 0, "SSH-2.0-PuTTY_Release_0.78\r\n", 28));
    CHECK_STR(field(&c, "ssh.direction", f, sizeof f), "0");
    /* the client's KEXINIT in three segments: ssh where it starts and ends, not in between */
    kexinit_payload(&pl, CLIENT_LISTS, 0xA0);
    packet(&pk, &pl);
    CHECK(seg(&c, 0, pk.b, 10) && c.view->present && !c.view->shown);
    CHECK_STR(field(&c, "ssh.direction", f, sizeof f), "");
    CHECK(!seg(&c, 0, pk.b + 10, 40) && !c.view->present);
    CHECK(seg(&c, 0, pk.b + 50, pk.n - 50));
    CHECK_STR(field(&c, "ssh.message_code", f, sizeof f), "20");
    CHECK_STR(field(&c, "ssh.kex.hassh", f, sizeof f), HASSH_CLIENT);
    CHECK_STR(field(&c, "ssh.kex.hasshserver", f, sizeof f), "");
    CHECK_STR(field(&c, "ssh.cookie", f, sizeof f), "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
    CHECK_STR(field(&c, "ssh.encryption_algorithms_client_to_server", f, sizeof f), CLIENT_LISTS[2]);
    CHECK_STR(field(&c, "ssh.languages_server_to_client", f, sizeof f), "");
    CHECK_STR(field(&c, "ssh.kex_algorithms_length", f, sizeof f), "77");
    CHECK(!strncmp(field(&c, "ssh.kex.hassh_algorithms", f, sizeof f), "curve25519-sha256,ecdh", 22));
    /* the server's KEXINIT and a client KEX_ECDH_INIT */
    kexinit_payload(&pl, SERVER_LISTS, 0x10);
    pk.n = 0;
    packet(&pk, &pl);
    CHECK(seg(&c, 1, pk.b, pk.n));
    CHECK_STR(field(&c, "ssh.kex.hasshserver", f, sizeof f), HASSH_SERVER);
    pl.n = 0;
    u8(&pl, PA_SSH_MSG_KEXDH_INIT);
    sshstr(&pl, "QCQCQCQCQCQCQCQCQCQCQCQCQCQCQCQC");
    pk.n = 0;
    packet(&pk, &pl);
    CHECK(seg(&c, 0, pk.b, pk.n));
    /* the reply, NEWKEYS and encrypted bytes in one segment */
    ecdh_reply(&pl, "ssh-ed25519");
    pk.n = 0;
    packet(&pk, &pl);
    size_t reply_len = pk.n;
    one_byte(&pl, PA_SSH_MSG_NEWKEYS);
    packet(&pk, &pl);
    text(&pk, "encrypted bytes, 32 of them .....");
    CHECK(seg(&c, 1, pk.b, pk.n));
    CHECK(c.view->npkts == 2 && c.view->pkt[0].length == reply_len - 4 && c.view->pkt[1].code == 21);
    CHECK_STR(field(&c, "ssh.message_code", f, sizeof f), "31,21");
    CHECK_STR(field(&c, "ssh.padding_length", f, sizeof f), "8,10");
    CHECK_STR(field(&c, "ssh.host_key.type", f, sizeof f), "ssh-ed25519");
    /* the client's NEWKEYS, then encrypted both ways */
    pk.n = 0;
    packet(&pk, &pl);
    CHECK(seg(&c, 0, pk.b, pk.n));
    CHECK(seg(&c, 0, "0123456789", 10) && c.view->shown && !c.view->npkts);
    CHECK(seg(&c, 1, "abcdef", 6));
    CHECK_STR(field(&c, "ssh.packet_length", f, sizeof f), "");
    const pa_ssh_conn *s = conn_end(&c);
    CHECK(s != NULL);
    if (s) {
        CHECK(s->outcome == PA_SSH_OUT_COMPLETED && s->version == 2 && s->stream == 7 && s->sport == 22);
        CHECK_STR(s->ident[0], "SSH-2.0-PuTTY_Release_0.78");
        CHECK_STR(s->software[1], "OpenSSH_8.9p1 Ubuntu-3");
        CHECK_STR(s->hassh, HASSH_CLIENT);
        CHECK_STR(s->hassh_server, HASSH_SERVER);
        CHECK_STR(s->kex, "curve25519-sha256");
        CHECK_STR(s->hostkey_alg, "ssh-ed25519");
        CHECK_STR(s->hostkey_type, "ssh-ed25519");
        CHECK_STR(s->cipher[0], "aes256-gcm@openssh.com");
        CHECK_STR(s->cipher[1], "aes128-cbc");
        CHECK_STR(s->mac[0], "hmac-sha2-256");
        CHECK_STR(s->mac[1], "hmac-md5");
        CHECK_STR(s->comp[0], "none");
        CHECK(s->weak == (PA_SSH_WEAK_CIPHER | PA_SSH_WEAK_MAC));
        /* identification of the client (frame 2) to the later NEWKEYS (frame 9) */
        CHECK(s->ident_frame[0] == 2 && s->newkeys_frame[1] == 8 && s->newkeys_frame[0] == 9);
        CHECK(s->newkeys_ts[0] - s->ident_ts[0] == 7000000);
        CHECK(s->encrypted[0] == 10 && s->encrypted[1] == 6 + 33);
        char w[512];
        pa_ssh_weak_text(s, w, sizeof w);
        CHECK_STR(w, "cipher aes128-cbc (CBC mode: plaintext recovery, CVE-2008-5161); mac hmac-md5 (MD5)");
    }
    CHECK(c.st.kexinits == 2 && c.st.newkeys == 2 && c.st.completed_kex == 1 && c.st.weak_connections == 1);
    CHECK(c.ex.count[PA_EX_SSH_WEAK] == 2 && c.ex.count[PA_EX_SSH_MALFORMED] == 0);
    conn_free(&c);
}

/* SSH-1: lengths and padding shown for every packet, the type of each side's first only */
static void test_ssh1(void) {
    conn c;
    conn_init(&c, 22);
    char f[256];
    CHECK(seg(&c, 1, "SSH-1.99-OpenSSH_6.6.1p1\n", 25));
    CHECK(seg(&c, 0, "SSH-1.5-OpenSSH_6.2\n", 20));
    wb pk = {.n = 0};
    be32(&pk, 20); /* padding 4, then type 2 (public key), data, CRC */
    for (int i = 0; i < 4; i++) u8(&pk, 0xEE);
    u8(&pk, 2);
    for (int i = 0; i < 19; i++) u8(&pk, 0x55);
    CHECK(seg(&c, 1, pk.b, 6) && !c.view->shown); /* a packet starts: ssh, nothing shown yet */
    CHECK(seg(&c, 1, pk.b + 6, pk.n - 6));
    CHECK_STR(field(&c, "ssh.packet_length", f, sizeof f), "20");
    CHECK_STR(field(&c, "ssh.padding_length", f, sizeof f), "4");
    CHECK_STR(field(&c, "ssh.message_code", f, sizeof f), "2");
    pk.n = 0;
    be32(&pk, 13); /* padding 3, type 3 (session key) */
    for (int i = 0; i < 3; i++) u8(&pk, 0);
    u8(&pk, 3);
    for (int i = 0; i < 12; i++) u8(&pk, 1);
    be32(&pk, 5); /* an encrypted packet: padding 3 */
    for (int i = 0; i < 8; i++) u8(&pk, 9);
    CHECK(seg(&c, 0, pk.b, pk.n));
    CHECK_STR(field(&c, "ssh.packet_length", f, sizeof f), "13,5");
    CHECK_STR(field(&c, "ssh.padding_length", f, sizeof f), "3,3");
    CHECK_STR(field(&c, "ssh.message_code", f, sizeof f), "3");
    const pa_ssh_conn *s = conn_end(&c);
    CHECK(s && s->version == 1 && s->outcome == PA_SSH_OUT_COMPLETED && s->weak == PA_SSH_WEAK_V1);
    CHECK(s && s->encrypted[0] == 12 && s->packets[0] == 2 && s->packets[1] == 1);
    CHECK(c.st.version1 == 1 && c.ex.count[PA_EX_SSH_WEAK] == 1);
    conn_free(&c);
}

static void test_hostile(void) {
    conn c;
    wb pl = {.n = 0}, pk = {.n = 0};
    char f[256];
    /* lines before the server's identification; a huge packet length stops that direction */
    conn_init(&c, 2222);
    CHECK(seg(&c, 1, "Hello\r\nThis server is monitored\r\nSSH-2.0-Srv\r\n", 47));
    CHECK_STR(field(&c, "ssh.protocol", f, sizeof f), "SSH-2.0-Srv");
    CHECK(seg(&c, 0, "SSH-2.0-Cli\r\n", 13));
    uint8_t huge[12] = {0x7F, 0xFF, 0xFF, 0xFF, 5, 20, 0, 0, 0, 0, 0, 0};
    CHECK(seg(&c, 0, huge, sizeof huge) && !c.view->shown); /* a packet starts here, as tshark sees it */
    CHECK(!seg(&c, 0, huge, sizeof huge));                  /* not followed any more */
    const pa_ssh_conn *s = conn_end(&c);
    CHECK(c.st.pre_ident_lines == 2 && c.st.too_long == 1 && c.ex.count[PA_EX_SSH_LENGTH] == 1);
    CHECK(s && s->outcome == PA_SSH_OUT_INCOMPLETE && s->sport == 2222 && !strcmp(s->ident[1], "SSH-2.0-Srv"));
    conn_free(&c);

    /* a KEXINIT whose name-list runs past its packet; padding that leaves no code; then NEWKEYS still counts */
    conn_init(&c, 22);
    seg(&c, 1, "SSH-2.0-Srv\r\n", 13);
    seg(&c, 0, "SSH-2.0-Cli\r\n", 13);
    kexinit_payload(&pl, CLIENT_LISTS, 0);
    pl.b[17] = 0x10; /* the first list: 268 MB long */
    packet(&pk, &pl);
    CHECK(seg(&c, 0, pk.b, pk.n) && c.st.malformed == 1);
    CHECK_STR(field(&c, "ssh.message_code", f, sizeof f), "20");
    CHECK_STR(field(&c, "ssh.kex.hassh", f, sizeof f), "");
    kexinit_payload(&pl, CLIENT_LISTS, 0);
    pl.n -= 30; /* cut in its last lists */
    pk.n = 0;
    packet(&pk, &pl);
    CHECK(seg(&c, 0, pk.b, pk.n) && c.st.malformed == 2 && c.st.kexinits == 0);
    pk.n = 0;
    be32(&pk, 12);
    u8(&pk, 11);
    for (int i = 0; i < 11; i++) u8(&pk, 0);
    CHECK(seg(&c, 0, pk.b, pk.n) && c.st.malformed == 3);
    CHECK_STR(field(&c, "ssh.packet_length", f, sizeof f), "12");
    CHECK_STR(field(&c, "ssh.message_code", f, sizeof f), "");
    one_byte(&pl, PA_SSH_MSG_NEWKEYS);
    pk.n = 0;
    packet(&pk, &pl);
    CHECK(seg(&c, 0, pk.b, pk.n) && c.st.newkeys == 1);
    /* a hole in the server's direction before its keys: not followed further */
    c.seq[1] += 100;
    CHECK(!seg(&c, 1, pk.b, pk.n));
    s = conn_end(&c);
    CHECK(c.st.gaps == 1 && c.ex.count[PA_EX_SSH_MALFORMED] == 3 && s && s->outcome == PA_SSH_OUT_INCOMPLETE);
    conn_free(&c);

    /* a client that does not speak SSH after all */
    conn_init(&c, 22);
    seg(&c, 1, "SSH-2.0-Srv\r\n", 13);
    CHECK(seg(&c, 0, "GET / HTTP/1.1\r\n", 16) && c.st.malformed == 1);
    CHECK(!seg(&c, 0, "Host: x\r\n", 9));
    conn_free(&c);

    /* no algorithm in common, then the server's DISCONNECT */
    conn_init(&c, 22);
    seg(&c, 1, "SSH-2.0-Srv\r\n", 13);
    seg(&c, 0, "SSH-2.0-Cli\r\n", 13);
    kexinit_payload(&pl, WEAK_LISTS, 0);
    pk.n = 0;
    packet(&pk, &pl);
    seg(&c, 0, pk.b, pk.n);
    CHECK_STR(field(&c, "ssh.kex.hassh", f, sizeof f), HASSH_WEAK);
    kexinit_payload(&pl, SERVER_LISTS, 0);
    pk.n = 0;
    packet(&pk, &pl);
    seg(&c, 1, pk.b, pk.n);
    pl.n = 0;
    u8(&pl, PA_SSH_MSG_DISCONNECT);
    be32(&pl, 3);
    sshstr(&pl, "no matching key exchange method found");
    sshstr(&pl, "");
    pk.n = 0;
    packet(&pk, &pl);
    seg(&c, 1, pk.b, pk.n);
    s = conn_end(&c);
    CHECK(s && s->outcome == PA_SSH_OUT_NO_COMMON && s->disconnected && s->disconnect_reason == 3);
    CHECK(c.ex.count[PA_EX_SSH_NO_COMMON] == 1 && s && !s->kex[0]);
    conn_free(&c);
}

/* ---- a capture, and the report ------------------------------------------------------ */

static const pg_ts t0 = {1767225600, 0};
static pg_ts at_ms(uint64_t ms) { return pg_ts_add(t0, PG_MS(ms)); }

/* One SSH-2 session: identifications, KEXINITs (the client's cut in two
 * segments), ECDH, NEWKEYS, encrypted bytes. */
static void session(pg_writer *w, uint8_t client, uint16_t port, uint64_t ms, const char *const cl[PA_SSH_NLISTS],
                    const char *const sv[PA_SSH_NLISTS], const char *hostkey) {
    pg_tcp_conv c;
    pg_tcp_peer a = kit_peer(client, (uint16_t)(40000 + client), 1000u * client), b = kit_peer(9, port, 777);
    pg_tcp_init(&c, w, 4, &a, &b);
    pg_tcp_handshake(&c, at_ms(ms), PG_MS(1));
    const char *sid = "SSH-2.0-OpenSSH_9.6\r\n", *cid = "SSH-2.0-PuTTY_Release_0.78\r\n";
    pg_tcp_send(&c, at_ms(ms + 3), PG_SERVER, sid, strlen(sid), PG_TCP_PUSH);
    pg_tcp_send(&c, at_ms(ms + 4), PG_CLIENT, cid, strlen(cid), PG_TCP_PUSH);
    wb pl = {.n = 0}, pk = {.n = 0};
    kexinit_payload(&pl, cl, 0x30);
    packet(&pk, &pl);
    pg_tcp_send(&c, at_ms(ms + 5), PG_CLIENT, pk.b, 100, 0);
    pg_tcp_send(&c, at_ms(ms + 6), PG_CLIENT, pk.b + 100, pk.n - 100, PG_TCP_PUSH);
    kexinit_payload(&pl, sv, 0x40);
    pk.n = 0;
    packet(&pk, &pl);
    pg_tcp_send(&c, at_ms(ms + 7), PG_SERVER, pk.b, pk.n, PG_TCP_PUSH);
    pl.n = 0;
    u8(&pl, PA_SSH_MSG_KEXDH_INIT);
    sshstr(&pl, "QCQCQCQCQCQCQCQCQCQCQCQCQCQCQCQC");
    pk.n = 0;
    packet(&pk, &pl);
    pg_tcp_send(&c, at_ms(ms + 8), PG_CLIENT, pk.b, pk.n, PG_TCP_PUSH);
    ecdh_reply(&pl, hostkey);
    pk.n = 0;
    packet(&pk, &pl);
    one_byte(&pl, PA_SSH_MSG_NEWKEYS);
    packet(&pk, &pl);
    pg_tcp_send(&c, at_ms(ms + 20), PG_SERVER, pk.b, pk.n, PG_TCP_PUSH);
    pk.n = 0;
    packet(&pk, &pl);
    pg_tcp_send(&c, at_ms(ms + 21), PG_CLIENT, pk.b, pk.n, PG_TCP_PUSH);
    pg_tcp_send(&c, at_ms(ms + 22), PG_SERVER, "fedcba9876543210", 16, PG_TCP_PUSH);
    pg_tcp_fin(&c, at_ms(ms + 30), PG_CLIENT);
    pg_tcp_fin(&c, at_ms(ms + 31), PG_SERVER);
    pg_tcp_ack(&c, at_ms(ms + 32), PG_CLIENT);
}

static bool write_capture(const char *path) {
    pg_writer *w;
    if (pg_open(&w, path, NULL) != PG_OK) return false;
    session(w, 1, 22, 0, CLIENT_LISTS, SERVER_LISTS, "ssh-ed25519");
    session(w, 2, 22, 100, WEAK_LISTS, WEAK_LISTS, "ssh-dss");
    /* SSH-1 */
    pg_tcp_conv c;
    pg_tcp_peer a = kit_peer(3, 40003, 3000), b = kit_peer(9, 22, 999);
    pg_tcp_init(&c, w, 4, &a, &b);
    pg_tcp_handshake(&c, at_ms(200), PG_MS(1));
    pg_tcp_send(&c, at_ms(203), PG_SERVER, "SSH-1.99-OpenSSH_3.9p1\n", 23, PG_TCP_PUSH);
    pg_tcp_send(&c, at_ms(204), PG_CLIENT, "SSH-1.5-OpenSSH_3.9p1\n", 22, PG_TCP_PUSH);
    wb pk = {.n = 0};
    be32(&pk, 20);
    for (int i = 0; i < 4; i++) u8(&pk, 0xEE);
    u8(&pk, 2);
    for (int i = 0; i < 19; i++) u8(&pk, 0x55);
    pg_tcp_send(&c, at_ms(205), PG_SERVER, pk.b, pk.n, PG_TCP_PUSH);
    pk.n = 0;
    be32(&pk, 13);
    for (int i = 0; i < 3; i++) u8(&pk, 0);
    u8(&pk, 3);
    for (int i = 0; i < 12; i++) u8(&pk, 1);
    pg_tcp_send(&c, at_ms(206), PG_CLIENT, pk.b, pk.n, PG_TCP_PUSH);
    pg_tcp_fin(&c, at_ms(230), PG_CLIENT);
    pg_tcp_fin(&c, at_ms(231), PG_SERVER);
    pg_tcp_ack(&c, at_ms(232), PG_CLIENT);
    /* a client whose first packet has a length no packet in clear has */
    a = kit_peer(4, 40004, 4000);
    b = kit_peer(9, 22, 1111);
    pg_tcp_init(&c, w, 4, &a, &b);
    pg_tcp_handshake(&c, at_ms(300), PG_MS(1));
    pg_tcp_send(&c, at_ms(303), PG_SERVER, "SSH-2.0-Srv\r\n", 13, PG_TCP_PUSH);
    pg_tcp_send(&c, at_ms(304), PG_CLIENT, "SSH-2.0-Cli\r\n", 13, PG_TCP_PUSH);
    uint8_t huge[16] = {0x7F, 0xFF, 0xFF, 0xFF, 5, 20};
    pg_tcp_send(&c, at_ms(305), PG_CLIENT, huge, sizeof huge, PG_TCP_PUSH);
    pg_tcp_rst(&c, at_ms(306), PG_SERVER);
    return pg_close(w) == PG_OK;
}

static pa_registry reg;
static pa_config cfg;

static json_t *call(pa_tools_state *state, const char *args_json, pa_tool_result *res) {
    return kit_call(&reg, &cfg, state, "analyze_application_response_times", args_json, res);
}

static const char *getstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static json_int_t geti(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static void test_tool(const char *dir) {
    pa_tools_state *state = kit_tools(&reg, &cfg, dir);
    CHECK(state != NULL);
    pa_tool_result r;
    json_t *s = call(state, "{\"pcap_file\":\"ssh.pcap\",\"protocol\":\"ssh\"}", &r);
    json_t *sec = json_array_get(json_object_get(s, "sections"), 0);
    CHECK_STR(getstr(sec, "name"), "ssh");
    CHECK(geti(json_object_get(sec, "overall"), "samples") == 2);
    CHECK(geti(json_object_get(sec, "versions"), "ssh1") == 1 && geti(json_object_get(sec, "versions"), "ssh2") == 3);
    CHECK(geti(json_object_get(sec, "outcomes"), "completed") == 3);
    CHECK(geti(json_object_get(sec, "outcomes"), "incomplete") == 1);
    CHECK(geti(json_object_get(sec, "messages"), "length_too_large") == 1);
    json_t *rows = json_object_get(sec, "connections");
    CHECK(json_array_size(rows) == 4);
    /* sessions with weak choices first (all but the cut one), by first frame */
    json_t *good = json_array_get(rows, 0), *weak = json_array_get(rows, 1), *v1 = json_array_get(rows, 2);
    CHECK_STR(getstr(good, "weak"),
              "cipher aes128-cbc (CBC mode: plaintext recovery, CVE-2008-5161); mac hmac-md5 (MD5)");
    CHECK_STR(getstr(weak, "kex"), "diffie-hellman-group1-sha1");
    CHECK_STR(getstr(weak, "host_key"), "ssh-dss");
    CHECK_STR(getstr(weak, "host_key_type"), "ssh-dss");
    CHECK_STR(getstr(weak, "cipher"), "3des-cbc");
    CHECK_STR(getstr(weak, "hassh"), HASSH_WEAK);
    CHECK_CONTAINS(getstr(weak, "weak"), "kex diffie-hellman-group1-sha1");
    CHECK_CONTAINS(getstr(weak, "weak"), "host key ssh-dss");
    CHECK_CONTAINS(getstr(weak, "weak"), "cipher 3des-cbc");
    CHECK_CONTAINS(getstr(weak, "weak"), "mac hmac-sha1-96");
    CHECK(geti(v1, "version") == 1 && geti(v1, "client_port") == 40003);
    CHECK_CONTAINS(getstr(v1, "weak"), "protocol SSH-1.5-OpenSSH_3.9p1");
    CHECK_STR(getstr(good, "hassh"), HASSH_CLIENT);
    CHECK_STR(getstr(good, "hassh_server"), HASSH_SERVER);
    CHECK_STR(getstr(good, "cipher"), "aes256-gcm@openssh.com/aes128-cbc");
    CHECK_STR(getstr(good, "mac"), "hmac-sha2-256/hmac-md5");
    CHECK_STR(getstr(good, "client_software"), "SSH-2.0-PuTTY_Release_0.78");
    /* client identification (4 ms after the SYN) to the client's NEWKEYS (21 ms) */
    CHECK(fabs(json_real_value(json_object_get(good, "kex_ms")) - 17.0) < 1e-6);
    CHECK_STR(getstr(json_array_get(rows, 3), "outcome"), "incomplete");
    /* the text shows each row */
    CHECK(rows_in_text(s, r.text.data, "ssh"));
    CHECK_CONTAINS(r.text.data, "WEAK: kex diffie-hellman-group1-sha1");
    CHECK_CONTAINS(r.text.data, "hassh " HASSH_CLIENT ", hasshServer " HASSH_SERVER);
    pa_tool_result_free(&r);
    /* a display filter keeps whole connections: the one its frames match */
    s = call(state,
             "{\"pcap_file\":\"ssh.pcap\",\"protocol\":\"ssh\",\"display_filter\":\"ssh.kex.hassh == \\\"" HASSH_WEAK
             "\\\"\"}",
             &r);
    sec = json_array_get(json_object_get(s, "sections"), 0);
    rows = json_object_get(sec, "connections");
    CHECK(json_array_size(rows) == 1 && !strcmp(getstr(json_array_get(rows, 0), "kex"), "diffie-hellman-group1-sha1"));
    pa_tool_result_free(&r);
    /* the security findings: per server and weak choice */
    s = kit_call(&reg, &cfg, state, "analyze_security_threats", "{\"pcap_file\":\"ssh.pcap\"}", &r);
    size_t weak_algs = 0, ssh1 = 0;
    json_t *fs = json_object_get(s, "findings"), *x;
    size_t i;
    json_array_foreach(fs, i, x) {
        const char *kind = getstr(x, "kind");
        json_t *ev = json_object_get(x, "evidence");
        if (!strcmp(kind, "ssh_version_1")) {
            ssh1++;
            CHECK_STR(getstr(x, "severity"), "high");
            CHECK_STR(getstr(x, "display_filter"), "ip.addr == 10.0.0.9 && tcp.port == 22 && ssh.protocol");
        }
        if (strcmp(kind, "weak_ssh_algorithm")) continue;
        weak_algs++;
        if (!strcmp(getstr(ev, "algorithm"), "ssh-dss")) {
            CHECK_STR(getstr(ev, "service"), "host key");
            CHECK(geti(ev, "connections") == 1 && geti(ev, "port") == 22);
            CHECK_STR(getstr(x, "display_filter"), "ip.src == 10.0.0.9 && tcp.srcport == 22 && ssh.message_code == 20");
        }
    }
    /* session 1: aes128-cbc, hmac-md5; session 2: group1, ssh-dss, 3des-cbc, hmac-sha1-96 */
    CHECK(weak_algs == 6 && ssh1 == 1);
    pa_tool_result_free(&r);
    pa_tools_state_free(state);
    pa_registry_free(&reg);
}

int main(int argc, char **argv) {
    test_parse();
    test_track();
    test_ssh1();
    test_hostile();
    char path[1200];
    const char *dir = kit_capture_path(argc, argv, "ssh_gen", "ssh.pcap", path, sizeof path);
    CHECK(write_capture(path));
    test_tool(dir);
    return check_done("ssh");
}
