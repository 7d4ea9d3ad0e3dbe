/* Packet decoding: link type + frame bytes -> pa_packet. Decoders are
 * stateless except for IP fragment reassembly, whose bounded state lives in
 * the decoder object. */
#ifndef PA_DECODE_H
#define PA_DECODE_H

#include "ip_frag.h"
#include "packet.h"

typedef struct pa_decoder {
    pa_frag_table frag;
    uint8_t reasm[65536]; /* the datagram completed by the current frame */
} pa_decoder;

void pa_decoder_init(pa_decoder *d);
void pa_decoder_free(pa_decoder *d);

/* True when the link type is one we decode (others are counted only). */
bool pa_decode_linktype_supported(int linktype);
const char *pa_linktype_name(int linktype);

/* Fills p (frame_no, ts_ns, caplen, wirelen are set by the caller first). */
void pa_decode_frame(pa_decoder *d, int linktype, const uint8_t *data, pa_packet *p);

#endif
