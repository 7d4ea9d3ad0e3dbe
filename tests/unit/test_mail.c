/* POP3 and IMAP: sessions through the trackers (one connection's segments
 * as the engine hands them): pairing of commands with their replies
 * (POP in order, IMAP by tag, pipelined), multi-line answers and literals
 * split across segments, logins and their outcomes with the identity
 * (never the password), STLS/STARTTLS handing over to TLS, and hostile
 * input (over-long lines, huge literals, holes, binary bytes, responses
 * nobody asked for, more commands than are kept waiting). The comparison
 * with tshark is tests/corpus/compare_mail.mjs on real sessions
 * (tests/support/mail_traffic.sh). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "imap_track.h"
#include "pop_track.h"

static const uint8_t *u(const char *s) { return (const uint8_t *)s; }

typedef struct conn {
    uint32_t seq[2];
    uint64_t frame;
} conn;

/* side 0 the client (port 40000), side 1 the server on port */
static pa_packet seg(conn *c, int side, uint16_t port, const char *s, size_t len, uint32_t hole, bool syn) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.frame_no = ++c->frame;
    p.ts_ns = (int64_t)c->frame * 1000000;
    p.l4 = PA_P_TCP;
    p.src.family = p.dst.family = 4;
    p.src.b[3] = (uint8_t)(side ? 2 : 1);
    p.dst.b[3] = (uint8_t)(side ? 1 : 2);
    p.sport = side ? port : 40000;
    p.dport = side ? 40000 : port;
    c->seq[side] += hole;
    p.tcp.seq = c->seq[side];
    p.tcp.flags = syn ? PA_TCP_SYN : PA_TCP_ACK;
    p.payload = u(s);
    p.payload_len = (uint32_t)len;
    c->seq[side] += syn ? 1 : (uint32_t)len;
    return p;
}

/* ---- POP3 ---- */

typedef struct popc {
    conn c;
    pa_pop_stats st;
    pa_pop_flow *f;
    pa_pop_frame v;
} popc;

static void pop_send(popc *x, int side, const char *s, size_t len, uint32_t hole) {
    pa_packet p = seg(&x->c, side, 110, s, len, hole, false);
    memset(&x->v, 0, sizeof x->v);
    pa_pop_segment(&x->st, &x->f, &p, side, NULL, &x->v);
}

static void pop_say(popc *x, int side, const char *s) { pop_send(x, side, s, strlen(s), 0); }

static void pop_open(popc *x) {
    memset(x, 0, sizeof *x);
    CHECK(pa_pop_init(&x->st) == 0);
    x->c.seq[0] = 10;
    x->c.seq[1] = 7000;
    for (int side = 0; side < 2; side++) {
        pa_packet p = seg(&x->c, side, 110, "", 0, 0, true);
        pa_pop_segment(&x->st, &x->f, &p, side, NULL, NULL);
    }
}

static const pa_pop_tx *pop_tx(const popc *x, uint64_t frame) {
    for (size_t i = 0; i < x->st.ntx; i++)
        if (x->st.tx[i].cmd_frame == frame) return &x->st.tx[i];
    return NULL;
}

static void test_pop(void) {
    CHECK(pa_pop_status(u("+OK"), 3) == 1 && pa_pop_status(u("-ERR x"), 6) == 0 && pa_pop_status(u("+ "), 2) == 2);
    CHECK(pa_pop_status(u("+OKAY"), 5) < 0 && pa_pop_status(u("OK"), 2) < 0);
    popc x;
    pop_open(&x);
    pop_say(&x, 1, "+OK POP3 ready <1.2@host>\r\n"); /* 3 */
    CHECK(x.v.present && x.v.has_indicator && !strcmp(x.v.indicator, "+OK") &&
          !strcmp(x.v.desc, "POP3 ready <1.2@host>"));
    pop_say(&x, 0, "USER alice\r\n"); /* 4 */
    CHECK(!strcmp(x.v.command, "USER") && !strcmp(x.v.param, "alice"));
    pop_say(&x, 1, "+OK\r\n"); /* 5 */
    CHECK(x.v.has_indicator && !x.v.has_desc);
    pop_say(&x, 0, "PASS wrong\r\n");     /* 6 */
    pop_say(&x, 1, "-ERR [AUTH] no\r\n"); /* 7 */
    pop_say(&x, 0, "AUTH PLAIN\r\n");     /* 8 */
    pop_say(&x, 1, "+ \r\n");             /* 9: a continuation: no indicator */
    CHECK(x.v.present && !x.v.has_indicator);
    pop_say(&x, 0, "AGFsaWNlAHdvbmRlcmxhbmQ=\r\n"); /* 10 */
    pop_say(&x, 1, "+OK Logged in.\r\n");           /* 11 */
    /* pipelined: RETR's answer split across segments, then STAT's */
    pop_say(&x, 0, "RETR 1\r\nSTAT\r\n");                    /* 12 */
    pop_say(&x, 1, "+OK 20 octets\r\nSubject: x\r\n\r\n.."); /* 13 */
    pop_say(&x, 1, "dot\r\n.\r\n+OK 1 20\r\n");              /* 14 */
    pop_say(&x, 0, "STLS\r\n");                              /* 15 */
    pop_say(&x, 1, "+OK Begin TLS\r\n");                     /* 16 */
    CHECK(pa_pop_is_tls(x.f));
    pop_say(&x, 0, "\x16\x03\x01\x00\x02\x01\x00");
    CHECK(!x.v.present);
    pa_pop_finish_flow(&x.st, x.f);
    pa_pop_finish(&x.st);
    pa_pop_stats *st = &x.st;
    CHECK(st->sessions == 1 && st->greetings == 1 && st->commands == 6);
    CHECK(st->ok == 6 && st->err == 1 && st->continuations == 1 && st->unanswered == 0);
    CHECK(st->logins_failed == 1 && st->logins_ok == 1 && st->login_user_pass == 1 && st->login_auth == 1);
    CHECK(st->retr == 1 && st->retr_bytes == strlen("Subject: x\r\n\r\n..dot\r\n"));
    CHECK(st->stls == 1 && st->stls_ok == 1);
    const pa_pop_tx *t = pop_tx(&x, 6);
    CHECK(t && t->ok == 0 && t->reply_frame == 7 && t->arg[0] == '\0'); /* no password kept */
    t = pop_tx(&x, 10);
    CHECK(t && t->auth_data && t->ok == 1 && t->arg[0] == '\0');
    size_t retr = 0;
    for (size_t i = 0; i < st->ntx; i++) {
        if (!strcmp(st->tx[i].verb, "RETR")) {
            retr++;
            CHECK(st->tx[i].reply_frame == 13 && st->tx[i].end_frame == 14 && st->tx[i].rt_ns == 1000000);
        }
        if (!strcmp(st->tx[i].verb, "STAT")) CHECK(st->tx[i].reply_frame == 14 && st->tx[i].ok == 1);
    }
    CHECK(retr == 1);
    const pa_login_pair *a = pa_htab_rec(&st->pairs, 0);
    CHECK(st->pairs.count == 1 && a && a->failed == 1 && a->ok == 1 && a->first_failed_frame == 6 &&
          !strcmp(a->user, "alice"));
    pa_pop_free_flow(x.f);
    pa_pop_stats_free(&x.st);

    /* hostile: binary bytes, an over-long line, an orphan reply, too many commands, a hole */
    pop_open(&x);
    pop_say(&x, 1, "+OK hi\r\n");
    pop_say(&x, 0, "\x01\x02\xff\r\n");
    pop_say(&x, 1, "-ERR what\r\n");
    char *big = malloc(2 * PA_POP_LINE_MAX);
    CHECK(big != NULL);
    if (!big) return;
    memset(big, 'Z', 2 * PA_POP_LINE_MAX);
    pop_send(&x, 0, big, 2 * PA_POP_LINE_MAX, 0);
    pop_say(&x, 0, "\r\n");
    pop_say(&x, 1, "-ERR too long\r\n+OK nobody asked\r\n");
    CHECK(x.st.bad_lines == 2 && x.st.long_lines == 1 && x.st.orphan_replies == 1);
    for (int i = 0; i < PA_POP_PENDING + 2; i++) pop_say(&x, 0, "NOOP\r\n");
    CHECK(x.st.pending_dropped == 2);
    pop_send(&x, 0, "xx\r\nQUIT\r\n", 10, 5);
    CHECK(pa_pop_holds_data(x.f));
    pa_pop_finish_flow(&x.st, x.f);
    CHECK(x.st.gaps == 1 && x.st.unanswered == 2 + PA_POP_PENDING + 1);
    free(big);
    pa_pop_free_flow(x.f);
    pa_pop_stats_free(&x.st);
}

/* ---- IMAP ---- */

typedef struct imapc {
    conn c;
    pa_imap_stats st;
    pa_imap_flow *f;
    pa_imap_frame v;
} imapc;

static void imap_send(imapc *x, int side, const char *s, size_t len, uint32_t hole) {
    pa_packet p = seg(&x->c, side, 143, s, len, hole, false);
    memset(&x->v, 0, sizeof x->v);
    pa_imap_segment(&x->st, &x->f, &p, side, NULL, &x->v);
}

static void imap_say(imapc *x, int side, const char *s) { imap_send(x, side, s, strlen(s), 0); }

static void imap_open(imapc *x) {
    memset(x, 0, sizeof *x);
    CHECK(pa_imap_init(&x->st) == 0);
    x->c.seq[0] = 10;
    x->c.seq[1] = 7000;
    for (int side = 0; side < 2; side++) {
        pa_packet p = seg(&x->c, side, 143, "", 0, 0, true);
        pa_imap_segment(&x->st, &x->f, &p, side, NULL, NULL);
    }
}

static const pa_imap_tx *imap_tx(const imapc *x, const char *tag) {
    for (size_t i = 0; i < x->st.ntx; i++)
        if (!strcmp(x->st.tx[i].tag, tag)) return &x->st.tx[i];
    return NULL;
}

static void test_imap(void) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = PA_P_TCP;
    p.payload = u("a1 CAPABILITY\r\n");
    p.payload_len = 15;
    CHECK(pa_imap_look(&p));
    p.payload = u("* OK ready\r\n");
    p.payload_len = 12;
    CHECK(pa_imap_look(&p));
    p.payload = u("GET / HTTP/1.1\r\n");
    p.payload_len = 16;
    CHECK(!pa_imap_look(&p));
    imapc x;
    imap_open(&x);
    imap_say(&x, 1, "* OK [CAPABILITY IMAP4rev1] ready\r\n"); /* 3: untagged: no words shown */
    CHECK(x.v.present && !x.v.request && x.v.nlines == 0);
    imap_say(&x, 0, "a1 LOGIN alice \"wrong\"\r\n"); /* 4 */
    CHECK(x.v.nlines == 1 && x.v.line[0].user && !strcmp(x.v.line[0].w[2], "alice") && !strcmp(x.v.password, "wrong"));
    imap_say(&x, 1, "a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"); /* 5 */
    CHECK(x.v.nlines == 1 && !strcmp(x.v.line[0].w[1], "NO") && x.v.line[0].response_to == 4);
    imap_say(&x, 0, "a2 AUTHENTICATE PLAIN\r\n");    /* 6 */
    imap_say(&x, 1, "+ \r\n");                       /* 7 */
    imap_say(&x, 0, "AGFsaWNlAHdvbmRlcmxhbmQ=\r\n"); /* 8: the SASL response */
    imap_say(&x, 1, "a2 OK Logged in\r\n");          /* 9 */
    /* pipelined, answered out of order; a literal split across segments */
    imap_say(&x, 0, "a3 SELECT INBOX\r\na4 FETCH 1 BODY[]\r\n"); /* 10 */
    CHECK(x.v.nlines == 2 && x.v.line[0].folder && !strcmp(x.v.line[1].w[1], "FETCH"));
    imap_say(&x, 1, "a3 OK done\r\n* 1 FETCH (BODY[] {10}\r\nline one\r"); /* 11 */
    imap_say(&x, 1, "\n)\r\na4 OK Fetch completed\r\n");                   /* 12 */
    CHECK(x.v.nlines == 2 && !strcmp(x.v.line[0].w[0], ")") && x.v.line[1].response_to == 10);
    imap_say(&x, 0, "a5 XYZZY\r\n");                    /* 13 */
    imap_say(&x, 1, "a5 BAD Unknown command\r\n");      /* 14 */
    imap_say(&x, 1, "zz OK nobody asked\r\n");          /* 15 */
    imap_say(&x, 0, "a6 STARTTLS\r\n");                 /* 16 */
    imap_say(&x, 1, "a6 OK Begin TLS negotiation\r\n"); /* 17 */
    CHECK(pa_imap_is_tls(x.f));
    imap_say(&x, 0, "\x16\x03\x01\x00\x02\x01\x00");
    CHECK(!x.v.present);
    pa_imap_finish_flow(&x.st, x.f);
    pa_imap_finish(&x.st);
    pa_imap_stats *st = &x.st;
    CHECK(st->sessions == 1 && st->greetings == 1 && st->commands == 6 && st->unanswered == 0);
    CHECK(st->status[PA_IMAP_OK] == 4 && st->status[PA_IMAP_NO] == 1 && st->status[PA_IMAP_BAD] == 1);
    CHECK(st->orphan_responses == 1 && st->literal_bytes == 10 && st->continuations == 1);
    CHECK(st->logins_failed == 1 && st->logins_ok == 1 && st->starttls_ok == 1);
    const pa_imap_tx *t = imap_tx(&x, "a1");
    CHECK(t && t->status == PA_IMAP_NO && t->arg[0] == '\0'); /* no password kept */
    t = imap_tx(&x, "a4");
    CHECK(t && t->reply_frame == 12 && t->rt_ns == 2000000 && t->literal_bytes == 10 && t->untagged == 1);
    t = imap_tx(&x, "a3");
    CHECK(t && t->reply_frame == 11);
    const pa_login_pair *a = pa_htab_rec(&st->pairs, 0);
    CHECK(a && a->failed == 1 && a->ok == 1 && !strcmp(a->user, "alice"));
    pa_imap_free_flow(x.f);
    pa_imap_stats_free(&x.st);

    /* hostile: a huge literal (bounded by what comes), too many commands, a hole, an over-long line */
    imap_open(&x);
    imap_say(&x, 1, "* OK hi\r\n");
    imap_say(&x, 0, "a1 APPEND INBOX {999999999999}\r\n");
    imap_say(&x, 0, "b1 NOOP\r\n"); /* eaten by the literal */
    CHECK(x.st.commands == 1);
    pa_imap_free_flow(x.f);
    pa_imap_stats_free(&x.st);
    imap_open(&x);
    imap_say(&x, 1, "* OK hi\r\n");
    for (int i = 0; i < PA_IMAP_PENDING + 3; i++) imap_say(&x, 0, "t NOOP\r\n");
    CHECK(x.st.pending_dropped == 3);
    char *big = malloc(2 * PA_IMAP_LINE_MAX);
    CHECK(big != NULL);
    if (!big) return;
    memset(big, 'A', 2 * PA_IMAP_LINE_MAX);
    big[1] = ' ';
    imap_send(&x, 1, big, 2 * PA_IMAP_LINE_MAX, 0);
    imap_say(&x, 1, "\r\n");
    CHECK(x.st.long_lines == 1);
    imap_send(&x, 0, "xx\r\nc1 NOOP\r\n", 13, 9);
    pa_imap_finish_flow(&x.st, x.f);
    CHECK(x.st.gaps == 1 && x.st.unanswered == 4 + PA_IMAP_PENDING);
    free(big);
    pa_imap_free_flow(x.f);
    pa_imap_stats_free(&x.st);
}

int main(void) {
    test_pop();
    test_imap();
    printf("%d checks, %d failed\n", check_count, check_failures);
    return check_failures != 0;
}
