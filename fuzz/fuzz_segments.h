/* The segment-record input of the connection targets (fuzz_http, fuzz_tls,
 * fuzz_ftp): records [ctl][len][len bytes]; ctl bit 0 = sent by the server,
 * bit 1 = the connection closes with this segment (FIN or RST, as the target
 * says), bit 2 = leave a hole of (ctl >> 4) + 1 bytes before it. A length
 * past the end takes what is left. */
#ifndef PA_FUZZ_SEGMENTS_H
#define PA_FUZZ_SEGMENTS_H

#include <stdbool.h>
#include <string.h>

#include "packet.h"

typedef struct pa_fuzz_segs {
    const uint8_t *data;
    size_t size, i;
    uint32_t seq[2]; /* next sequence number per side (0 client, 1 server) */
    uint64_t frame;
    uint16_t server_port;
    uint16_t close_flag; /* PA_TCP_FIN (takes a sequence number) or PA_TCP_RST */
} pa_fuzz_segs;

static inline pa_fuzz_segs pa_fuzz_segs_make(const uint8_t *data, size_t size, uint16_t server_port,
                                             uint16_t close_flag) {
    pa_fuzz_segs s = {data, size, 0, {1000, 900000}, 0, server_port, close_flag};
    return s;
}

/* A SYN of side (0 client, 1 server) in *p: that side's data starts after it. */
static inline void pa_fuzz_syn(pa_fuzz_segs *s, pa_packet *p, int side) {
    memset(p, 0, sizeof *p);
    p->frame_no = ++s->frame;
    p->tcp.seq = s->seq[side]++;
    p->tcp.flags = PA_TCP_SYN;
}

/* The next record as a segment in *p (its payload borrowed from the input);
 * false at the end of the input. */
static inline bool pa_fuzz_next_segment(pa_fuzz_segs *s, pa_packet *p, int *side) {
    if (s->i + 2 > s->size) return false;
    uint8_t ctl = s->data[s->i], len = s->data[s->i + 1];
    s->i += 2;
    if (len > s->size - s->i) len = (uint8_t)(s->size - s->i);
    *side = ctl & 1;
    memset(p, 0, sizeof *p);
    p->frame_no = ++s->frame;
    p->ts_ns = (int64_t)s->frame * 1000;
    p->src.family = p->dst.family = 4;
    p->src.b[3] = (uint8_t)(1 + *side);
    p->dst.b[3] = (uint8_t)(2 - *side);
    p->sport = *side ? s->server_port : 50000;
    p->dport = *side ? 50000 : s->server_port;
    if (ctl & 4) s->seq[*side] += (uint32_t)(ctl >> 4) + 1;
    p->tcp.seq = s->seq[*side];
    p->tcp.flags = (uint16_t)(PA_TCP_ACK | ((ctl & 2) ? s->close_flag : 0));
    p->payload = s->data + s->i;
    p->payload_len = len;
    s->seq[*side] += (uint32_t)len + ((ctl & 2) && s->close_flag == PA_TCP_FIN ? 1u : 0u);
    s->i += len;
    return true;
}

/* The connection in order: the client's SYN, the server's, then the
 * records; *syn says whether p is one of the SYNs. false at the input's end. */
static inline bool pa_fuzz_each(pa_fuzz_segs *s, pa_packet *p, int *side, bool *syn) {
    *syn = s->frame < 2;
    if (!*syn) return pa_fuzz_next_segment(s, p, side);
    *side = (int)s->frame;
    pa_fuzz_syn(s, p, *side);
    return true;
}

#endif
