/* What IPv4 and IPv6 share: handing the payload to its protocol, and
 * fragments (stored in ip_frag until a datagram is whole). */
#include <string.h>

#include "decode_internal.h"

void pa_ip_payload(pa_decoder *d, uint8_t proto, pa_cur c, pa_packet *p) {
    p->ip_proto = proto;
    pa_dispatch_ipproto(d, proto, c, p);
}

/* A fragment (IPv4 or IPv6): store it; when it completes a datagram, decode
 * the whole payload from the decoder's buffer. */
void pa_ip_fragment(pa_decoder *d, uint8_t ver, uint8_t proto, uint32_t id, uint32_t off, bool more, pa_cur c,
                    uint32_t claimed, pa_packet *p) {
    p->is_fragment = true;
    p->frag_proto = proto;
    p->frag_id = id;
    if (c.len < claimed) { /* cut by the snaplen: cannot be reassembled */
        p->frag_snapped = true;
        pa_packet_layer(p, PA_P_DATA);
        return;
    }
    pa_frag_key k;
    memset(&k, 0, sizeof k);
    k.ver = ver;
    k.proto = proto;
    k.id = id;
    memcpy(k.src, p->src.b, 16);
    memcpy(k.dst, p->dst.b, 16);
    uint32_t out_len = 0;
    unsigned flags = 0;
    pa_frag_result r = pa_frag_add(&d->frag, &k, p->ts_ns, off, more, c.p, (uint32_t)c.len, d->reasm, &out_len, &flags);
    if (flags & PA_FRAGF_OVERLAP) pa_packet_anom(p, PA_A_FRAG_OVERLAP);
    if (flags & PA_FRAGF_INCONSISTENT) pa_packet_anom(p, PA_A_FRAG_INCONSISTENT);
    if (flags & PA_FRAGF_TOO_BIG) pa_packet_anom(p, PA_A_FRAG_TOO_BIG);
    if (flags & PA_FRAGF_TABLE_FULL) pa_packet_anom(p, PA_A_FRAG_TABLE_FULL);
    if (flags & PA_FRAGF_TOO_MANY) pa_packet_anom(p, PA_A_FRAG_TOO_MANY);
    if (r != PA_FRAG_COMPLETE) {
        pa_packet_layer(p, PA_P_DATA);
        return;
    }
    p->is_fragment = false;
    p->reassembled = true;
    p->ip_payload_len = out_len;
    pa_ip_payload(d, proto, pa_cur_make(d->reasm, out_len), p);
}
