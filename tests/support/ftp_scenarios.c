/* Writes FTP control-channel captures for the FTP tests:
 *   ftp_scenarios.pcap  every line begins a segment: frame fields and the
 *                       command -> reply pairs are compared with tshark
 *                       (compare_ftp.mjs) and the figures asserted
 *                       (test_ftp.c): multi-line replies (one segment and
 *                       across two), a reply split across segments,
 *                       pipelined commands, failed logins, every reply class,
 *                       IPv6, an unanswered command;
 *   ftp_edge.pcap       lines that share or straddle segments (two commands
 *                       in one segment, a command cut in two): tshark shows
 *                       only each segment's first line, so only the frame
 *                       fields are compared; the pairs are asserted;
 *   ftp_ports.pcap      FTP on port 2121 and a port-21 flow that is not FTP
 *                       (naming by bytes, never by port; not for tshark,
 *                       which names by port);
 *   ftp_lines.pcap      lines that are no FTP on both sides, a reply no
 *                       command waits for, a command line longer than
 *                       PA_FTP_LINE_MAX over two segments: what display
 *                       filters count per frame (test_ftp.c); not for
 *                       tshark, whose fields hold the whole 2,100-byte
 *                       argument where the frame view keeps 255 bytes.
 *   ftp_data.pcap       data connections (ftp-data) beside their control
 *                       connection: passive (227, 229) and active (PORT,
 *                       EPRT) transfers, downloads and uploads, a listing,
 *                       CWD/CDUP/PWD working directories, a retransmitted
 *                       data segment, transfers closed by 226, 426 and
 *                       451, and a connection to a port nobody announced;
 *                       compared frame for frame with tshark.
 * Also writes MANIFEST.tsv for compare_ftp.mjs. Usage: pa-ftp-scenarios DIR */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "pktgen.h"

static pg_ts t0 = {1767100000, 0};
static pg_ts at(uint64_t ms) { return pg_ts_add(t0, PG_MS(ms)); }

static int failures;

static void check(int rc, const char *what) {
    if (rc) {
        fprintf(stderr, "pa-ftp-scenarios: %s: %s\n", what, pg_strerror(rc));
        failures++;
    }
}

/* One connection; ms is the clock (milliseconds from t0) the helpers advance. */
typedef struct session {
    pg_tcp_conv c;
    uint64_t ms;
} session;

static void open_session(session *s, pg_writer *w, int family, int n, uint16_t sport, uint64_t ms) {
    pg_tcp_peer cl = {.mac = {2, 0, 0, 0, 0x21, 1},
                      .port = (uint16_t)(40000 + n),
                      .isn = 1000u * (uint32_t)n,
                      .win = 65535,
                      .mss = 1460,
                      .ttl = 64};
    pg_tcp_peer sv = {.mac = {2, 0, 0, 0, 0x21, 2},
                      .port = sport,
                      .isn = 700000u * (uint32_t)n,
                      .win = 65535,
                      .mss = 1460,
                      .ttl = 60};
    if (family == 4) {
        const uint8_t a[4] = {10, 21, 0, (uint8_t)n}, b[4] = {10, 21, 0, 100};
        memcpy(cl.ip, a, 4);
        memcpy(sv.ip, b, 4);
    } else {
        const uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x21, 0, 0, 0, 0, 0, 0, 0, 0, 0, (uint8_t)n};
        const uint8_t b[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x64};
        memcpy(cl.ip, a, 16);
        memcpy(sv.ip, b, 16);
    }
    check(pg_tcp_init(&s->c, w, family, &cl, &sv), "init");
    check(pg_tcp_handshake(&s->c, at(ms), PG_MS(2)), "handshake");
    s->ms = ms + 5;
}

/* A segment after `gap` ms. */
static void say(session *s, uint64_t gap, int from, const char *text) {
    s->ms += gap;
    check(pg_tcp_send(&s->c, at(s->ms), from, text, strlen(text), PG_TCP_PUSH), "send");
}

/* A command, then its reply `think` ms later (one segment each). */
static void ask(session *s, const char *cmd, uint64_t think, const char *reply) {
    say(s, 3, PG_CLIENT, cmd);
    say(s, think, PG_SERVER, reply);
}

static void close_session(session *s) {
    check(pg_tcp_fin(&s->c, at(s->ms + 2), PG_CLIENT), "fin");
    check(pg_tcp_fin(&s->c, at(s->ms + 3), PG_SERVER), "fin");
    check(pg_tcp_ack(&s->c, at(s->ms + 4), PG_CLIENT), "ack");
}

static void scenarios(pg_writer *w) {
    session s;
    /* 1. a whole session: multi-line greeting, a failed then a good login,
     * a multi-line reply across two segments, a reply cut in two,
     * pipelined commands, preliminary replies, every reply class */
    open_session(&s, w, 4, 1, 21, 0);
    say(&s, 4, PG_SERVER, "220-Welcome to the test server\r\n220-Second line\r\n220 Ready.\r\n");
    ask(&s, "USER alice\r\n", 11, "331 Password required for alice.\r\n");
    ask(&s, "PASS wrong\r\n", 250, "530 Login incorrect.\r\n");
    ask(&s, "USER alice\r\n", 12, "331 Password required.\r\n");
    ask(&s, "PASS secret123\r\n", 40, "230 User alice logged in.\r\n");
    ask(&s, "SYST\r\n", 5, "215 UNIX Type: L8\r\n");
    ask(&s, "FEAT\r\n", 6, "211-Features:\r\n EPRT\r\n EPSV\r\n");
    say(&s, 1, PG_SERVER, " MDTM\r\n SIZE\r\n211 End\r\n");
    ask(&s, "PWD\r\n", 7, "257 \"/home/alice\" is the current directory\r\n");
    ask(&s, "CWD /pub\r\n", 8, "250 Directory succ");
    say(&s, 2, PG_SERVER, "essfully changed.\r\n");
    ask(&s, "TYPE I\r\n", 4, "200 Type set to I.\r\n");
    say(&s, 3, PG_CLIENT, "PASV\r\n");
    say(&s, 1, PG_CLIENT, "SIZE big.iso\r\n");
    say(&s, 1, PG_CLIENT, "MDTM big.iso\r\n");
    say(&s, 9, PG_SERVER, "227 Entering Passive Mode (10,21,0,100,195,80).\r\n");
    say(&s, 1, PG_SERVER, "213 4294967296\r\n");
    say(&s, 1, PG_SERVER, "550 big.iso: No such file.\r\n");
    ask(&s, "RETR notes.txt\r\n", 10, "150 Opening BINARY mode data connection.\r\n");
    say(&s, 300, PG_SERVER, "226 Transfer complete.\r\n");
    ask(&s, "EPSV\r\n", 5, "229 Entering Extended Passive Mode (|||50001|)\r\n");
    ask(&s, "STOR up.bin\r\n", 6, "125 Data connection already open; transfer starting.\r\n");
    say(&s, 120, PG_SERVER, "226 Closing data connection.\r\n");
    ask(&s, "PORT 10,21,0,1,156,64\r\n", 5, "200 PORT command successful.\r\n");
    ask(&s, "LIST\r\n", 30, "425 Can't open data connection.\r\n");
    ask(&s, "EPRT |1|10.21.0.1|40002|\r\n", 5, "200 EPRT command successful.\r\n");
    ask(&s, "NLST\r\n", 6, "150 Here comes the listing.\r\n");
    say(&s, 20, PG_SERVER, "226 Done.\r\n");
    ask(&s, "MKD newdir\r\n", 5, "257 \"/pub/newdir\" created\r\n");
    ask(&s, "RNFR a.txt\r\n", 5, "350 Ready for RNTO.\r\n");
    ask(&s, "RNTO b.txt\r\n", 5, "250 Rename successful.\r\n");
    ask(&s, "DELE nope.txt\r\n", 5, "550 Permission denied.\r\n");
    ask(&s, "SITE CHMOD 644 b.txt\r\n", 5, "200 SITE CHMOD command ok.\r\n");
    ask(&s, "ALLO 1000\r\n", 5, "202 ALLO command ignored.\r\n");
    ask(&s, "STAT\r\n", 5, "211-FTP server status:\r\n Connected\r\n211 End of status\r\n");
    ask(&s, "HELP\r\n", 5, "214-The following commands are recognized.\r\n USER PASS QUIT\r\n214 Help OK.\r\n");
    ask(&s, "XYZZ\r\n", 5, "500 Unknown command.\r\n");
    ask(&s, "MODE Z\r\n", 5, "504 Command not implemented for that parameter.\r\n");
    ask(&s, "RETR\r\n", 5, "501 Syntax error in parameters or arguments.\r\n");
    ask(&s, "RNTO c.txt\r\n", 5, "503 Bad sequence of commands.\r\n");
    ask(&s, "STOU\r\n", 5, "452 Insufficient storage space.\r\n");
    ask(&s, "APPE log.txt\r\n", 5, "450 File busy.\r\n");
    ask(&s, "STOR big\r\n", 5, "150 Ok.\r\n");
    say(&s, 40, PG_SERVER, "451 Local error in processing.\r\n");
    ask(&s, "RETR x\r\n", 5, "150 Ok.\r\n");
    say(&s, 40, PG_SERVER, "426 Connection closed; transfer aborted.\r\n");
    ask(&s, "STOR quota\r\n", 5, "552 Exceeded storage allocation.\r\n");
    ask(&s, "STOR bad/name\r\n", 5, "553 File name not allowed.\r\n");
    ask(&s, "NOOP\r\n", 5, "200 NOOP ok.\r\n");
    ask(&s, "QUIT\r\n", 5, "221 Goodbye.\r\n");
    close_session(&s);

    /* 2. three failed logins from another client (one refused at USER) */
    open_session(&s, w, 4, 2, 21, 5000);
    say(&s, 3, PG_SERVER, "220 Ready\r\n");
    ask(&s, "USER root\r\n", 5, "331 Password required.\r\n");
    ask(&s, "PASS a\r\n", 700, "530 Login incorrect.\r\n");
    ask(&s, "USER root\r\n", 5, "331 Password required.\r\n");
    ask(&s, "PASS b\r\n", 700, "530 Login incorrect.\r\n");
    ask(&s, "USER admin\r\n", 5, "530 Not allowed.\r\n");
    ask(&s, "QUIT\r\n", 5, "221 Goodbye.\r\n");
    close_session(&s);

    /* 3. IPv6: a login that needs an account, then the server closes */
    open_session(&s, w, 6, 3, 21, 8000);
    say(&s, 3, PG_SERVER, "220 FTP on IPv6\r\n");
    ask(&s, "USER bob\r\n", 5, "332 Need account for login.\r\n");
    ask(&s, "ACCT dept\r\n", 15, "230 Logged in.\r\n");
    ask(&s, "NOOP\r\n", 5, "421 Timeout, closing control connection.\r\n");
    check(pg_tcp_rst(&s.c, at(s.ms + 1), PG_SERVER), "rst");

    /* 4. a command never answered */
    open_session(&s, w, 4, 4, 21, 9000);
    say(&s, 3, PG_SERVER, "220 Ready\r\n");
    ask(&s, "USER carol\r\n", 5, "331 Password required.\r\n");
    say(&s, 3, PG_CLIENT, "LIST\r\n");
    close_session(&s);
}

static void edge(pg_writer *w) {
    session s;
    /* two commands in one segment, two replies in one; a command cut in two */
    open_session(&s, w, 4, 5, 21, 0);
    say(&s, 3, PG_SERVER, "220 Ready\r\n");
    say(&s, 3, PG_CLIENT, "USER dave\r\nPASS hunter2\r\n");
    say(&s, 10, PG_SERVER, "331 Password required.\r\n230 Logged in.\r\n");
    say(&s, 3, PG_CLIENT, "RE");
    say(&s, 1, PG_CLIENT, "TR file.txt\r\n");
    say(&s, 7, PG_SERVER, "550 No such file.\r\n");
    /* a preliminary reply and its final one in one segment */
    say(&s, 3, PG_CLIENT, "LIST\r\n");
    say(&s, 5, PG_SERVER, "150 Here it comes.\r\n226 Done.\r\n");
    ask(&s, "QUIT\r\n", 5, "221 Bye.\r\n");
    close_session(&s);
}

static void ports(pg_writer *w) {
    session s;
    /* FTP on another port: named FTP from its greeting */
    open_session(&s, w, 4, 6, 2121, 0);
    say(&s, 3, PG_SERVER, "220 Other port\r\n");
    ask(&s, "USER erin\r\n", 5, "331 Password required.\r\n");
    ask(&s, "PASS pw\r\n", 5, "230 Logged in.\r\n");
    close_session(&s);
    /* port 21 carrying something else: not FTP */
    open_session(&s, w, 4, 7, 21, 1000);
    say(&s, 3, PG_SERVER, "SSH-2.0-OpenSSH_9.2\r\n");
    say(&s, 3, PG_CLIENT, "SSH-2.0-client\r\n");
    close_session(&s);
    /* an SMTP greeting on port 25 stays SMTP */
    open_session(&s, w, 4, 8, 25, 2000);
    say(&s, 3, PG_SERVER, "220 mail.example.com ESMTP\r\n");
    ask(&s, "EHLO me\r\n", 5, "250 mail.example.com\r\n");
    close_session(&s);
}

static void lines(pg_writer *w) {
    session s;
    open_session(&s, w, 4, 9, 21, 0);
    say(&s, 3, PG_SERVER, "220 Ready\r\n");
    say(&s, 3, PG_CLIENT, "hello there\r\n");          /* no command */
    say(&s, 4, PG_SERVER, "500 Unknown command.\r\n"); /* no command waits for it */
    /* NOOP with a 2,100-byte argument over two segments: cut at the line cap */
    char big[2200];
    memcpy(big, "NOOP ", 5);
    memset(big + 5, 'a', 2100);
    memcpy(big + 2105, "\r\n", 2);
    s.ms += 3;
    check(pg_tcp_send(&s.c, at(s.ms), PG_CLIENT, big, 1200, 0), "send");
    s.ms += 1;
    check(pg_tcp_send(&s.c, at(s.ms), PG_CLIENT, big + 1200, 2107 - 1200, PG_TCP_PUSH), "send");
    say(&s, 6, PG_SERVER, "200 NOOP ok.\r\n");
    say(&s, 2, PG_SERVER, "stray text\r\n"); /* outside any reply */
    ask(&s, "QUIT\r\n", 5, "221 Bye.\r\n");
    close_session(&s);
}

/* A data connection opened by `opener` (the pg client side) at ms. */
static void data_open(pg_tcp_conv *d, pg_writer *w, const uint8_t *oip, uint16_t oport, const uint8_t *aip,
                      uint16_t aport, uint32_t isn, uint64_t ms) {
    pg_tcp_peer o = {.mac = {2, 0, 0, 0, 0x21, 3}, .port = oport, .isn = isn, .win = 65535, .mss = 1460, .ttl = 64};
    pg_tcp_peer a = {.mac = {2, 0, 0, 0, 0x21, 4}, .port = aport, .isn = isn * 3, .win = 65535, .mss = 1460, .ttl = 64};
    memcpy(o.ip, oip, 4);
    memcpy(a.ip, aip, 4);
    check(pg_tcp_init(d, w, 4, &o, &a), "data init");
    check(pg_tcp_handshake(d, at(ms), PG_MS(1)), "data handshake");
}

/* `n` segments of `size` bytes from `from`, 2 ms apart from ms; text or binary. */
static void data_send(pg_tcp_conv *d, int from, uint64_t ms, int n, size_t size, bool text) {
    uint8_t buf[1400];
    for (size_t i = 0; i < size && i < sizeof buf; i++)
        buf[i] = text ? (uint8_t)(i % 60 == 59 ? '\n' : 'a' + i % 26) : (uint8_t)(i * 7 + 1);
    for (int i = 0; i < n; i++) check(pg_tcp_send(d, at(ms + 2 * (uint64_t)i), from, buf, size, 0), "data send");
}

static void data_close(pg_tcp_conv *d, int from, uint64_t ms) {
    check(pg_tcp_fin(d, at(ms), from), "data fin");
    check(pg_tcp_fin(d, at(ms + 1), !from), "data fin");
    check(pg_tcp_ack(d, at(ms + 2), from), "data ack");
}

/* A data endpoint: who opens the connection, to whom. */
typedef struct endpoints {
    const uint8_t *oip, *aip;
    uint16_t oport, aport;
    uint32_t isn;
} endpoints;

/* The command, the data connection, its 1xx and, after the data from
 * `from` (n segments of size) and a clean close, the final reply. */
static void transfer(session *s, pg_writer *w, const char *cmd, const endpoints *e, const char *prelim, int from, int n,
                     size_t size, const char *final) {
    pg_tcp_conv d;
    say(s, 3, PG_CLIENT, cmd);
    data_open(&d, w, e->oip, e->oport, e->aip, e->aport, e->isn, s->ms + 1);
    say(s, 4, PG_SERVER, prelim);
    data_send(&d, from, s->ms + 1, n, size, n < 3);
    data_close(&d, from, s->ms + 2 * (uint64_t)n + 3);
    s->ms += 2 * (uint64_t)n + 7;
    say(s, 1, PG_SERVER, final);
}

static void transfers(pg_writer *w) {
    session s;
    const uint8_t cl[4] = {10, 21, 0, 10}, sv[4] = {10, 21, 0, 100};
    pg_tcp_conv d;
    open_session(&s, w, 4, 10, 21, 0);
    say(&s, 3, PG_SERVER, "220 Ready\r\n");
    ask(&s, "USER anonymous\r\n", 4, "331 Send password.\r\n");
    ask(&s, "PASS guest@\r\n", 4, "230 Logged in.\r\n");
    ask(&s, "PWD\r\n", 3, "257 \"/home/ftp\" is the current directory\r\n");
    ask(&s, "CWD pub/../pub/./docs\r\n", 3, "250 Directory changed.\r\n");
    /* a passive listing: 227, then LIST, the data, 226 */
    ask(&s, "PASV\r\n", 3, "227 Entering Passive Mode (10,21,0,100,195,80).\r\n");
    const endpoints list = {cl, sv, 41000, 50000, 5000};
    transfer(&s, w, "LIST -l\r\n", &list, "150 Here comes the directory listing.\r\n", PG_SERVER, 2, 300,
             "226 Directory send OK.\r\n");
    /* an extended passive download with a retransmitted segment */
    ask(&s, "TYPE I\r\n", 3, "200 Switching to Binary mode.\r\n");
    ask(&s, "EPSV\r\n", 3, "229 Entering Extended Passive Mode (|||50001|)\r\n");
    say(&s, 3, PG_CLIENT, "RETR report.pdf\r\n");
    data_open(&d, w, cl, 41001, sv, 50001, 6000, s.ms + 1);
    say(&s, 4, PG_SERVER, "150 Opening BINARY mode data connection for report.pdf (4200 bytes).\r\n");
    uint32_t seq0 = pg_tcp_next_seq(&d, PG_SERVER);
    data_send(&d, PG_SERVER, s.ms + 1, 3, 1400, false);
    uint8_t again[1400];
    for (size_t i = 0; i < sizeof again; i++) again[i] = (uint8_t)(i * 7 + 1);
    check(pg_tcp_retransmit(&d, at(s.ms + 8), PG_SERVER, seq0, again, sizeof again), "retransmit");
    data_close(&d, PG_SERVER, s.ms + 10);
    s.ms += 14;
    say(&s, 1, PG_SERVER, "226 Transfer complete.\r\n");
    /* a passive upload, aborted by the server */
    ask(&s, "CDUP\r\n", 3, "250 Directory changed.\r\n");
    ask(&s, "PASV\r\n", 3, "227 Entering Passive Mode (10,21,0,100,195,82)\r\n");
    const endpoints up = {cl, sv, 41002, 50002, 7000};
    transfer(&s, w, "STOR upload.bin\r\n", &up, "150 Ok to send data.\r\n", PG_CLIENT, 4, 1000,
             "451 Requested action aborted: local error in processing.\r\n");
    /* active: PORT, the server connects from port 20; aborted */
    ask(&s, "PORT 10,21,0,10,156,64\r\n", 3, "200 PORT command successful.\r\n");
    say(&s, 3, PG_CLIENT, "RETR big.iso\r\n");
    data_open(&d, w, sv, 20, cl, 40000, 8000, s.ms + 1);
    say(&s, 4, PG_SERVER, "150 Opening BINARY mode data connection for big.iso.\r\n");
    data_send(&d, PG_CLIENT, s.ms + 1, 2, 1400, false);
    check(pg_tcp_rst(&d, at(s.ms + 6), PG_CLIENT), "rst");
    s.ms += 8;
    say(&s, 1, PG_SERVER, "426 Connection closed; transfer aborted.\r\n");
    /* active with EPRT, then a plain NLST */
    ask(&s, "EPRT |1|10.21.0.10|40010|\r\n", 3, "200 EPRT command successful.\r\n");
    const endpoints nlst = {sv, cl, 20, 40010, 9000};
    transfer(&s, w, "NLST\r\n", &nlst, "150 Here comes the listing.\r\n", PG_CLIENT, 1, 120, "226 Transfer done.\r\n");
    /* a connection to a port nobody announced: not ftp-data */
    data_open(&d, w, cl, 41009, sv, 50009, 9500, s.ms + 1);
    data_send(&d, PG_CLIENT, s.ms + 3, 1, 100, false);
    data_close(&d, PG_CLIENT, s.ms + 6);
    s.ms += 8;
    ask(&s, "QUIT\r\n", 3, "221 Goodbye.\r\n");
    close_session(&s);
}

static void write_file(const char *dir, const char *name, void (*fill)(pg_writer *)) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    pg_writer *w;
    int rc = pg_open(&w, path, NULL);
    check(rc, path);
    if (rc) return;
    fill(w);
    check(pg_close(w), path);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: pa-ftp-scenarios DIR\n");
        return 2;
    }
    if (mkdir(argv[1], 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "pa-ftp-scenarios: cannot create %s\n", argv[1]);
        return 1;
    }
    write_file(argv[1], "ftp_scenarios.pcap", scenarios);
    write_file(argv[1], "ftp_edge.pcap", edge);
    write_file(argv[1], "ftp_ports.pcap", ports);
    write_file(argv[1], "ftp_lines.pcap", lines);
    write_file(argv[1], "ftp_data.pcap", transfers);
    char path[1024];
    snprintf(path, sizeof path, "%s/MANIFEST.tsv", argv[1]);
    FILE *f = fopen(path, "w");
    if (!f) return 1;
    /* ftp_pairs: whether tshark's per-segment view gives the pairs too */
    fputs("path\tftp_pairs\nftp_scenarios.pcap\tyes\nftp_edge.pcap\tno\nftp_data.pcap\tyes\n", f);
    return fclose(f) || failures ? 1 : 0;
}
