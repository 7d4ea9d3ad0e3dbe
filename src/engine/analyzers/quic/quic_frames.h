/* QUIC frames of a decrypted packet (RFC 9000 19), and the reassembly of
 * the CRYPTO stream that carries the TLS handshake across packets. */
#ifndef PA_QUIC_FRAMES_H
#define PA_QUIC_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_QUIC_FRAMES_MAX 32     /* frame types kept per packet (a run of PADDING is one frame) */
#define PA_QUIC_CRYPTO_MAX 16     /* CRYPTO frames kept per packet */
#define PA_QUIC_STREAM_CAP 16384u /* CRYPTO stream bytes reassembled per direction */

enum {
    PA_QUIC_F_PADDING = 0x00,
    PA_QUIC_F_PING = 0x01,
    PA_QUIC_F_ACK = 0x02,
    PA_QUIC_F_ACK_ECN = 0x03,
    PA_QUIC_F_CRYPTO = 0x06,
    PA_QUIC_F_CLOSE = 0x1c,     /* CONNECTION_CLOSE, a transport error */
    PA_QUIC_F_CLOSE_APP = 0x1d, /* CONNECTION_CLOSE, an application error */
};

typedef struct pa_quic_frames {
    uint64_t type[PA_QUIC_FRAMES_MAX];
    uint8_t ntype;
    bool more; /* frames beyond those kept */
    struct pa_quic_crypto_frame {
        uint64_t offset, length;
        const uint8_t *data; /* borrows the plaintext */
    } crypto[PA_QUIC_CRYPTO_MAX];
    uint8_t ncrypto;
    bool has_close; /* the last CONNECTION_CLOSE */
    bool close_app;
    uint64_t close_code, close_frame_type;
    const uint8_t *reason;
    size_t reason_len;
} pa_quic_frames;

/* Walks the frames of a packet's plaintext. False when a frame is cut or of
 * a type RFC 9000 (and RFC 9221 DATAGRAM) does not define; out keeps what
 * came before it. */
bool pa_quic_parse_frames(const uint8_t *d, size_t n, pa_quic_frames *out);

/* One direction's CRYPTO stream: bytes by offset, in any order, up to
 * PA_QUIC_STREAM_CAP; the buffer grows as the offsets do. */
typedef struct pa_quic_stream {
    uint8_t *buf;
    uint8_t *seen; /* a bit per byte of buf */
    uint32_t alloc;
    uint32_t prefix; /* bytes from offset 0 that all arrived */
    bool capped;     /* data beyond the cap was left out */
} pa_quic_stream;

/* Adds data at offset; false when memory ran out (the data is dropped).
 * Bytes past the cap are dropped and set capped. *grown receives the bytes
 * the buffers grew by (for the memory count). */
bool pa_quic_stream_add(pa_quic_stream *s, uint64_t offset, const uint8_t *d, size_t n, size_t *grown);
size_t pa_quic_stream_memory(const pa_quic_stream *s);
void pa_quic_stream_free(pa_quic_stream *s);

/* The first handshake message of the stream when all of it arrived: its
 * type, and its body (after the 4-byte header). */
bool pa_quic_stream_message(const pa_quic_stream *s, uint8_t *type, const uint8_t **body, size_t *len);

/* RFC 9000 20.1's name of a transport error code ("PROTOCOL_VIOLATION"),
 * "CRYPTO_ERROR" for 0x0100-0x01ff (the TLS alert is the low byte), NULL
 * for one it does not define. */
const char *pa_quic_error_name(uint64_t code);

#endif
