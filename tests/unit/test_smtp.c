/* SMTP: the line parsers, then whole sessions through the tracker (one
 * connection's segments as the engine hands them): pairing of pipelined
 * commands with their replies, AUTH PLAIN and LOGIN with their outcomes
 * and the identity decoded (never the password), a message up to its "."
 * line, BDAT, STARTTLS handing over to TLS, and hostile input (over-long
 * lines, holes, binary bytes, replies nobody asked for). The comparison
 * with tshark is tests/corpus/compare_smtp.mjs. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "smtp_track.h"
#include "util_b64.h"

static const uint8_t *u(const char *s) { return (const uint8_t *)s; }

static void test_parse(void) {
    pa_smtp_command c;
    CHECK(pa_smtp_parse_command(u("mail FROM:<a@b>"), 15, &c) && !strcmp(c.verb, "MAIL") && c.arg_len == 10);
    CHECK(pa_smtp_parse_command(u("STARTTLS"), 8, &c) && !strcmp(c.verb, "STARTTLS") && c.arg_len == 0);
    CHECK(!pa_smtp_parse_command(u("XY z"), 4, &c));
    CHECK(!pa_smtp_parse_command(u("ABCDEFGHIJKLMNOP"), 16, &c)); /* no verb is that long */
    CHECK(!pa_smtp_parse_command(u("MAIL:x"), 6, &c));
    bool more = false;
    CHECK(pa_smtp_reply_code(u("250-PIPELINING"), 14, &more) == 250 && more);
    CHECK(pa_smtp_reply_code(u("354"), 3, &more) == 354 && !more);
    CHECK(pa_smtp_reply_code(u("150 x"), 5, &more) < 0); /* SMTP has no 1xx */
    CHECK(pa_smtp_reply_code(u("25"), 2, &more) < 0);
    CHECK(pa_smtp_reply_code(u("250x"), 4, &more) < 0);
    const uint8_t *rest;
    size_t rn;
    CHECK(pa_smtp_mechanism(u("cram-md5"), 8, &rest, &rn) == PA_SMTP_MECH_CRAM_MD5 && rn == 0);
    CHECK(pa_smtp_mechanism(u("PLAIN  AGEAYg=="), 15, &rest, &rn) == PA_SMTP_MECH_PLAIN && rn == 8);
    CHECK(pa_smtp_mechanism(u("XOAUTH2 x"), 9, &rest, &rn) == PA_SMTP_MECH_XOAUTH2);
    CHECK(pa_smtp_mechanism(u("GSSAPI"), 6, &rest, &rn) == PA_SMTP_MECH_OTHER);
    uint8_t out[32];
    CHECK(pa_b64_decode(u("AHVzZXIAc2VjcmV0"), 16, out, sizeof out) == 12);
    char user[8];
    pa_sasl_plain_user(u("AHVzZXIAc2VjcmV0"), 16, user, sizeof user);
    CHECK_STR(user, "user");
    pa_sasl_plain_user(u("bm8gbnVscw=="), 12, user, sizeof user); /* "no nuls" */
    CHECK_STR(user, "");
    pa_sasl_plain_user(u("AGxvbmdlcm5hbWUAcA=="), 20, user, sizeof user); /* cut to fit */
    CHECK_STR(user, "longern");
    CHECK(pa_b64_decode(u("////////"), 8, out, 2) == 2); /* bounded by the output */
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = PA_P_TCP;
    p.payload = u("220 mx ESMTP\r\n");
    p.payload_len = 14;
    CHECK(pa_smtp_look(&p));
    p.payload = u("EHLO x\r\n");
    p.payload_len = 8;
    CHECK(pa_smtp_look(&p));
    p.payload = u("GET / HTTP/1.1\r\n");
    p.payload_len = 16;
    CHECK(!pa_smtp_look(&p));
    p.payload = u("220 no line end");
    p.payload_len = 15;
    CHECK(!pa_smtp_look(&p));
}

/* One connection: segments alternate as written, side 0 the client. */
typedef struct conn {
    pa_smtp_stats st;
    pa_smtp_flow *f;
    uint32_t seq[2];
    uint64_t frame;
    pa_smtp_frame view;
} conn;

static void open_conn(conn *c) {
    memset(c, 0, sizeof *c);
    CHECK(pa_smtp_init(&c->st) == 0);
    c->seq[0] = 100;
    c->seq[1] = 5000;
    for (int side = 0; side < 2; side++) {
        pa_packet p;
        memset(&p, 0, sizeof p);
        p.frame_no = ++c->frame;
        p.tcp.seq = c->seq[side]++;
        p.tcp.flags = PA_TCP_SYN;
        pa_smtp_segment(&c->st, &c->f, &p, side, NULL, NULL);
    }
}

/* hole: bytes skipped before the segment */
static void send_seg(conn *c, int side, const char *s, size_t len, uint32_t hole) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.frame_no = ++c->frame;
    p.ts_ns = (int64_t)c->frame * 1000000;
    p.src.family = p.dst.family = 4;
    p.src.b[3] = (uint8_t)(side ? 25 : 1);
    p.dst.b[3] = (uint8_t)(side ? 1 : 25);
    p.sport = side ? 25 : 40000;
    p.dport = side ? 40000 : 25;
    c->seq[side] += hole;
    p.tcp.seq = c->seq[side];
    p.tcp.flags = PA_TCP_ACK;
    p.payload = u(s);
    p.payload_len = (uint32_t)len;
    c->seq[side] += (uint32_t)len;
    memset(&c->view, 0, sizeof c->view);
    pa_smtp_segment(&c->st, &c->f, &p, side, NULL, &c->view);
}

static void say(conn *c, int side, const char *s) { send_seg(c, side, s, strlen(s), 0); }

static void close_conn(conn *c) {
    pa_smtp_finish_flow(&c->st, c->f);
    pa_smtp_finish(&c->st);
    pa_smtp_free_flow(c->f);
    pa_smtp_stats_free(&c->st);
}

static const pa_smtp_tx *tx_at(const conn *c, uint64_t cmd_frame) {
    for (size_t i = 0; i < c->st.ntx; i++)
        if (c->st.tx[i].cmd_frame == cmd_frame) return &c->st.tx[i];
    return NULL;
}

static void test_session(void) {
    conn c;
    open_conn(&c);
    say(&c, 1, "220 mx.example.org ESMTP\r\n"); /* frame 3: the greeting */
    CHECK(c.view.present && !c.view.request && c.view.ncode == 1 && c.view.code == 220);
    say(&c, 0, "EHLO client\r\n"); /* 4 */
    CHECK(c.view.ncmd == 1 && !strcmp(c.view.cmd[0], "EHLO") && !strcmp(c.view.param[0], "client"));
    say(&c, 1, "250-mx\r\n250-AUTH PLAIN LOGIN\r\n250 PIPELINING\r\n"); /* 5 */
    CHECK(c.view.nrsp == 3 && !strcmp(c.view.rsp[1], "AUTH PLAIN LOGIN"));
    say(&c, 0, "AUTH PLAIN AHVzZXIAc2VjcmV0\r\n");                  /* 6: user / secret */
    say(&c, 1, "535 5.7.8 Authentication credentials invalid\r\n"); /* 7 */
    say(&c, 0, "AUTH LOGIN\r\n");                                   /* 8 */
    say(&c, 1, "334 VXNlcm5hbWU6\r\n");                             /* 9 */
    say(&c, 0, "ZnJlZA==\r\n");                                     /* 10: fred */
    CHECK(c.view.has_user && !strcmp(c.view.user, "ZnJlZA==") && c.view.ncmd == 0);
    say(&c, 1, "334 UGFzc3dvcmQ6\r\n"); /* 11 */
    say(&c, 0, "c2VjcmV0\r\n");         /* 12 */
    CHECK(c.view.has_pass && !c.view.has_user);
    say(&c, 1, "235 2.7.0 Authentication successful\r\n"); /* 13 */
    /* pipelined: three commands in one segment, their replies in two */
    say(&c, 0, "MAIL FROM:<fred@example.org>\r\nRCPT TO:<a@example.net>\r\nDATA\r\n"); /* 14 */
    CHECK(c.view.ncmd == 3 && !strcmp(c.view.cmd[2], "DATA") && !c.view.has_param[2]);
    say(&c, 1, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n");        /* 15 */
    say(&c, 1, "354 End data with <CR><LF>.<CR><LF>\r\n"); /* 16 */
    say(&c, 0, "Subject: test\r\n\r\nline one\r\n.");      /* 17: a piece of the message */
    CHECK(c.view.present && c.view.message && c.view.ncmd == 0);
    say(&c, 0, ".stuffed\r\n.\r\nQUIT\r\n");           /* 18: the "." line, then a command */
    say(&c, 1, "250 2.0.0 Ok: queued\r\n221 Bye\r\n"); /* 19 */
    say(&c, 0, "partial");                             /* 20: no line end: not SMTP to Wireshark */
    CHECK(!c.view.present);
    pa_smtp_stats *st = &c.st;
    CHECK(st->sessions == 1 && st->greetings == 1);
    CHECK(st->commands == 7 && st->ehlo == 1 && st->auth == 2 && st->mail == 1 && st->rcpt == 1 && st->data == 1);
    CHECK(st->auth_ok == 1 && st->auth_failed == 1);
    CHECK(st->auth_attempts[PA_SMTP_MECH_PLAIN] == 1 && st->auth_attempts[PA_SMTP_MECH_LOGIN] == 1);
    CHECK(st->messages == 1 && st->message_bytes == strlen("Subject: test\r\n\r\nline one\r\n..stuffed\r\n"));
    CHECK(st->reply_class[2] == 7 && st->reply_class[3] == 3 && st->reply_class[5] == 1);
    CHECK(st->orphan_replies == 0 && st->bad_lines == 0);
    const pa_smtp_tx *t = tx_at(&c, 4);
    CHECK(t && t->reply_frame == 5 && t->rt_ns == 1000000 && t->code == 250);
    t = tx_at(&c, 6);
    CHECK(t && t->code == 535 && !strcmp(t->arg, "PLAIN")); /* the credentials are not kept */
    t = tx_at(&c, 10);
    CHECK(t && t->kind == PA_SMTP_REQ_AUTH_DATA && t->code == 334 && t->arg[0] == '\0');
    t = tx_at(&c, 18);
    CHECK(t && t->kind == PA_SMTP_REQ_MESSAGE && t->reply_frame == 19 && t->code == 250);
    /* the DATA command got 354 at 16 after MAIL and RCPT got theirs at 15 */
    size_t ndata = 0;
    for (size_t i = 0; i < st->ntx; i++)
        if (!strcmp(st->tx[i].verb, "DATA")) {
            ndata++;
            CHECK(st->tx[i].reply_frame == 16 && st->tx[i].code == 354);
        }
    CHECK(ndata == 1);
    CHECK(st->auths.count == 1);
    const pa_login_pair *a = pa_htab_rec(&st->auths, 0);
    CHECK(a && a->failed == 1 && a->ok == 1 && a->first_failed_frame == 6 &&
          !strcmp(a->user, "user")); /* the identity that failed */
    close_conn(&c);
}

static void test_starttls_and_hostile(void) {
    conn c;
    open_conn(&c);
    say(&c, 1, "220 mx ESMTP\r\n");
    say(&c, 0, "STARTTLS\r\n");
    CHECK(!strcmp(c.view.cmd[0], "STAR") && !strcmp(c.view.param[0], "TLS")); /* as Wireshark cuts it */
    say(&c, 1, "220 2.0.0 Ready to start TLS\r\n");
    CHECK(c.view.present && pa_smtp_is_tls(c.f));
    say(&c, 0, "\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00\r\n");
    CHECK(!c.view.present);
    CHECK(c.st.starttls == 1 && c.st.starttls_ok == 1 && c.st.commands == 1);
    close_conn(&c);

    open_conn(&c);
    say(&c, 1, "220 mx\r\n");
    char *big = malloc(3 * PA_SMTP_LINE_MAX);
    CHECK(big != NULL);
    if (!big) return;
    memset(big, 'A', 3 * PA_SMTP_LINE_MAX);
    memcpy(big, "HELO ", 5);
    for (int i = 0; i < 3; i++) send_seg(&c, 0, big + i * PA_SMTP_LINE_MAX, PA_SMTP_LINE_MAX, 0);
    say(&c, 0, "\r\n");
    say(&c, 1, "500 line too long\r\n");
    CHECK(c.st.long_lines == 1 && c.st.commands == 1 && c.st.ntx == 1 && c.st.tx[0].code == 500);
    say(&c, 1, "250 nobody asked\r\n");
    CHECK(c.st.orphan_replies == 1);
    /* binary bytes and an unknown word: answered all the same */
    say(&c, 0, "\x01\x02\xff\r\nXYZZY\r\n");
    say(&c, 1, "500 5.5.2 Error: bad syntax\r\n502 5.5.2 Error: command not recognized\r\n");
    CHECK(c.st.bad_lines == 1 && c.st.commands == 2);
    /* more commands than are kept waiting: the oldest given up */
    for (int i = 0; i < PA_SMTP_PENDING + 3; i++) say(&c, 0, "NOOP\r\n");
    CHECK(c.st.pending_dropped == 3 && c.st.unanswered == 3);
    /* a hole in mid-line: held until the end, then the bytes up to the next line end are dropped */
    send_seg(&c, 0, "xx garbage\r\nNOOP\r\n", 18, 7);
    CHECK(pa_smtp_holds_data(c.f));
    pa_smtp_finish_flow(&c.st, c.f);
    CHECK(c.st.gaps == 1 && c.st.pending_dropped == 4 && c.st.unanswered == 4 + PA_SMTP_PENDING);
    free(big);
    pa_smtp_free_flow(c.f);
    pa_smtp_stats_free(&c.st);
}

int main(void) {
    test_parse();
    test_session();
    test_starttls_and_hostile();
    printf("%d checks, %d failed\n", check_count, check_failures);
    return check_failures != 0;
}
