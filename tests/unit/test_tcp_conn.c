/* Zeek's connection view: history letters and conn_state for the common
 * shapes of a connection (checked against Zeek's conn.log on the corpus by
 * tests/corpus/compare_zeek.mjs; these pin the rules down). */
#include "check.h"
#include "conn_state.h"

enum { A = 1, B = 0 }; /* from_a */

static pa_conn_view v;

static void seg(bool from_a, uint16_t flags, uint32_t seq, uint32_t ack, uint32_t len) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = PA_P_TCP;
    p.sport = from_a ? 40000 : 80;
    p.dport = from_a ? 80 : 40000;
    p.tcp.flags = flags;
    p.tcp.seq = seq;
    p.tcp.ack = ack;
    p.payload_wire_len = len;
    pa_conn_update(&v, &p, from_a);
}

static void reset(void) { memset(&v, 0, sizeof v); }

static void expect(const char *state, const char *history) {
    CHECK_STR(pa_conn_state(&v, PA_P_TCP), state);
    CHECK_STR(v.history, history);
}

enum { S = PA_TCP_SYN, K = PA_TCP_ACK, F = PA_TCP_FIN, R = PA_TCP_RST, P = PA_TCP_PSH };

int main(void) {
    /* the whole life of a normal connection */
    reset();
    seg(A, S, 100, 0, 0);
    seg(B, S | K, 500, 101, 0);
    seg(A, K, 101, 501, 0);
    seg(A, K | P, 101, 501, 10);
    seg(B, K, 501, 111, 0);
    seg(B, K | P, 501, 111, 20);
    seg(A, F | K, 111, 521, 0);
    seg(B, F | K, 521, 112, 0);
    seg(A, K, 112, 522, 0);
    expect("SF", "ShADadFf");

    reset();
    seg(A, S, 1, 0, 0);
    expect("S0", "S");
    seg(B, R | K, 0, 2, 0);
    expect("REJ", "Sr");

    reset();
    seg(A, S, 1, 0, 0);
    seg(B, S | K, 9, 2, 0);
    seg(A, K, 2, 10, 0);
    expect("S1", "ShA");
    seg(A, R, 2, 0, 0);
    expect("RSTO", "ShAR");

    reset();
    seg(A, S, 1, 0, 0);
    seg(B, S | K, 9, 2, 0);
    seg(A, K, 2, 10, 0);
    seg(B, R, 10, 0, 0);
    expect("RSTR", "ShAr");

    reset();
    seg(A, S, 1, 0, 0);
    seg(A, R, 2, 0, 0);
    expect("RSTOS0", "SR");

    reset();
    seg(A, S, 1, 0, 0);
    seg(A, F, 2, 0, 0);
    expect("SH", "SF");

    /* joined mid-stream, the server speaks first: flipped */
    reset();
    seg(B, K | P, 500, 100, 30);
    seg(A, K, 100, 530, 0);
    expect("OTH", "^dA");
    CHECK(v.orig_is_a); /* the client (side a) is the originator */

    /* a SYN-ACK first: flipped too */
    reset();
    seg(B, S | K, 500, 101, 0);
    expect("OTH", "^h");

    /* bytes the capture missed: G for the side whose stream has the hole */
    reset();
    seg(A, S, 1, 0, 0);
    seg(B, S | K, 9, 2, 0);
    seg(A, K, 2, 10, 0);
    seg(B, F | K, 1000, 2, 0); /* jumps from 10 to 1000 */
    expect("S3", "ShAfg");     /* Zeek's order too: the FIN's letter, then the gap's */

    /* UDP */
    memset(&v, 0, sizeof v);
    pa_packet u;
    memset(&u, 0, sizeof u);
    u.l4 = PA_P_UDP;
    u.sport = 5000;
    u.dport = 53;
    u.payload_wire_len = 30;
    pa_conn_update(&v, &u, true);
    CHECK_STR(pa_conn_state(&v, PA_P_UDP), "S0");
    u.sport = 53;
    u.dport = 5000;
    pa_conn_update(&v, &u, false);
    CHECK_STR(pa_conn_state(&v, PA_P_UDP), "SF");
    CHECK_STR(v.history, "Dd");
    return check_done("tcp_conn");
}
