/* Zeek's connection view, from its documented conn.log fields: history
 * letters (upper case for the originator; each letter once per direction)
 * and conn_state derived from the two endpoint states. */
#include "conn_state.h"

#include <string.h>

enum {
    L_SYN = 1 << 0,    /* S */
    L_SYNACK = 1 << 1, /* H */
    L_ACK = 1 << 2,    /* A: pure ACK */
    L_DATA = 1 << 3,   /* D */
    L_FIN = 1 << 4,    /* F */
    L_RST = 1 << 5,    /* R */
    L_SYNFIN = 1 << 6, /* Q: SYN and FIN together */
    L_SYNRST = 1 << 7, /* I: SYN and RST together */
    L_GAP = 1 << 8,    /* G: data acknowledged that was never seen (a content gap) */
};

static void add(pa_conn_view *v, int side, bool orig, unsigned bit, char letter) {
    if (v->seen[side] & bit) return;
    v->seen[side] |= (uint16_t)bit;
    if (v->hlen < PA_HISTORY_MAX) {
        v->history[v->hlen++] = orig ? letter : (char)(letter - 'A' + 'a');
        v->history[v->hlen] = '\0';
    }
}

/* Ports a server usually listens on: a first packet from one of them to an
 * ephemeral port means we joined mid-stream from the server's side. */
static bool server_port(uint16_t p) { return p != 0 && p < 1024; }

void pa_conn_update(pa_conn_view *v, const pa_packet *p, bool from_a) {
    int side = from_a ? 0 : 1, peer = 1 - side;
    bool tcp = p->l4 == PA_P_TCP;
    uint16_t f = tcp ? p->tcp.flags : 0;
    if (!v->started) {
        v->started = true;
        bool flip = false;
        if (tcp && (f & PA_TCP_SYN) && (f & PA_TCP_ACK))
            flip = true; /* a SYN-ACK first */
        else if (!(tcp && (f & PA_TCP_SYN)) && server_port(p->sport) && !server_port(p->dport))
            flip = true;
        v->orig_is_a = flip ? !from_a : from_a;
        if (flip && v->hlen < PA_HISTORY_MAX) {
            v->history[v->hlen++] = '^';
            v->history[v->hlen] = '\0';
        }
    }
    bool orig = (side == 0) == v->orig_is_a;
    v->size[side] += p->payload_wire_len;

    if (!tcp) {
        if (p->payload_wire_len) add(v, side, orig, L_DATA, 'D');
        if (v->state[side] == PA_EP_INACTIVE) v->state[side] = PA_EP_ESTABLISHED; /* "active" */
        return;
    }
    bool syn = f & PA_TCP_SYN, ack = f & PA_TCP_ACK, fin = f & PA_TCP_FIN, rst = f & PA_TCP_RST;
    if (syn && fin) add(v, side, orig, L_SYNFIN, 'Q');
    if (syn && rst) add(v, side, orig, L_SYNRST, 'I');
    if (syn && ack)
        add(v, side, orig, L_SYNACK, 'H');
    else if (syn)
        add(v, side, orig, L_SYN, 'S');
    if (p->payload_wire_len) add(v, side, orig, L_DATA, 'D');
    if (fin) add(v, side, orig, L_FIN, 'F');
    if (rst) add(v, side, orig, L_RST, 'R');
    if (ack && !syn && !fin && !rst && p->payload_wire_len == 0) add(v, side, orig, L_ACK, 'A');

    /* Content gaps: a side's sequence jumps ahead, or its peer acknowledges
     * bytes that the capture never showed. */
    uint32_t end = p->tcp.seq + p->payload_wire_len + (syn ? 1u : 0u) + (fin ? 1u : 0u);
    if (!rst && !syn && v->nxt_valid[side] && (int32_t)(p->tcp.seq - v->nxt[side]) > 0)
        add(v, side, orig, L_GAP, 'G'); /* this side skipped ahead: bytes were not captured */
    if (!rst && (!v->nxt_valid[side] || (int32_t)(end - v->nxt[side]) > 0)) {
        v->nxt[side] = end;
        v->nxt_valid[side] = true;
    }
    if (ack && !rst && v->nxt_valid[peer] && (int32_t)(p->tcp.ack - v->nxt[peer]) > 0) add(v, peer, !orig, L_GAP, 'G');

    uint8_t *me = &v->state[side], *them = &v->state[peer];
    if (rst) {
        *me = PA_EP_RESET;
        return;
    }
    if (syn) {
        if (*me == PA_EP_INACTIVE) *me = ack ? PA_EP_SYN_ACK_SENT : PA_EP_SYN_SENT;
        /* The SYN-ACK answers a SYN: the connection is up on the SYN's side. */
        if (ack && *them == PA_EP_SYN_SENT) *them = PA_EP_ESTABLISHED;
    } else if (*me == PA_EP_INACTIVE) {
        *me = PA_EP_PARTIAL; /* joined mid-stream */
    } else if (ack) {
        /* The handshake's last ACK (or data after it) establishes both ends
         * once each has sent its SYN. */
        bool me_hs = *me == PA_EP_SYN_SENT || *me == PA_EP_SYN_ACK_SENT || *me == PA_EP_ESTABLISHED;
        bool them_hs = *them == PA_EP_SYN_SENT || *them == PA_EP_SYN_ACK_SENT || *them == PA_EP_ESTABLISHED;
        if (me_hs && them_hs) {
            *me = PA_EP_ESTABLISHED;
            if (*them != PA_EP_ESTABLISHED) *them = PA_EP_ESTABLISHED;
        }
    }
    if (fin && *me != PA_EP_RESET) *me = PA_EP_CLOSED;
}

const char *pa_conn_state(const pa_conn_view *v, pa_proto l4) {
    int o = v->orig_is_a ? 0 : 1, r = 1 - o;
    pa_ep_state os = (pa_ep_state)v->state[o], rs = (pa_ep_state)v->state[r];
    if (l4 == PA_P_UDP) {
        bool oa = os != PA_EP_INACTIVE, ra = rs != PA_EP_INACTIVE;
        return oa ? (ra ? "SF" : "S0") : (ra ? "SHR" : "OTH");
    }
    if (l4 != PA_P_TCP) return "OTH";
    bool o_inactive = os == PA_EP_INACTIVE || os == PA_EP_PARTIAL;
    bool r_inactive = rs == PA_EP_INACTIVE || rs == PA_EP_PARTIAL;
    if (rs == PA_EP_RESET) {
        if (os == PA_EP_SYN_SENT || os == PA_EP_SYN_ACK_SENT ||
            (os == PA_EP_RESET && v->size[o] == 0 && v->size[r] == 0))
            return "REJ";
        return o_inactive ? "RSTRH" : "RSTR";
    }
    if (os == PA_EP_RESET) {
        if (r_inactive) {
            /* SYN then RST from the originator, nothing else answered */
            const char *h = v->history[0] == '^' ? v->history + 1 : v->history;
            if (h[0] == 'S') {
                for (const char *c = h + 1; *c; c++) {
                    if (*c == 'R') return "RSTOS0";
                    if (strchr("HAFGIQ", *c)) break;
                }
            }
            return "OTH";
        }
        return "RSTO";
    }
    if (rs == PA_EP_CLOSED && os == PA_EP_CLOSED) return "SF";
    if (os == PA_EP_CLOSED) return r_inactive ? "SH" : "S2";
    if (rs == PA_EP_CLOSED) return o_inactive ? "SHR" : "S3";
    if (os == PA_EP_SYN_SENT && rs == PA_EP_INACTIVE) return "S0";
    if (os == PA_EP_ESTABLISHED && rs == PA_EP_ESTABLISHED) return "S1";
    return "OTH";
}
