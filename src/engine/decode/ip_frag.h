/* Bounded IPv4/IPv6 fragment reassembly. Datagrams in progress, fragments
 * per datagram and buffered bytes are all capped; a fragment that does not
 * fit is dropped and counted. Times are packet times, not wall clock. */
#ifndef PA_IP_FRAG_H
#define PA_IP_FRAG_H

#include <stdbool.h>
#include <stdint.h>

#define PA_FRAG_MAX_DATAGRAMS 256
#define PA_FRAG_MAX_PIECES 64
#define PA_FRAG_MAX_BYTES (8u * 1024 * 1024)
#define PA_FRAG_TIMEOUT_NS (60ll * 1000000000ll)

typedef struct pa_frag_key {
    uint8_t ver;
    uint8_t proto;
    uint8_t src[16], dst[16];
    uint32_t id;
} pa_frag_key;

typedef struct pa_frag_dgram {
    bool used;
    bool have_last;
    pa_frag_key key;
    int64_t first_ts;
    uint32_t total; /* payload length, known once the last fragment arrived */
    uint16_t npieces;
    struct {
        uint16_t off, len;
    } pieces[PA_FRAG_MAX_PIECES];
    uint8_t *buf;
    uint32_t cap;
} pa_frag_dgram;

typedef struct pa_frag_table {
    pa_frag_dgram d[PA_FRAG_MAX_DATAGRAMS];
    uint64_t bytes;      /* buffered */
    uint64_t completed;  /* datagrams reassembled */
    uint64_t incomplete; /* datagrams given up (timeout, end of capture) */
} pa_frag_table;

typedef enum {
    PA_FRAG_HELD,     /* stored; the datagram is not complete yet */
    PA_FRAG_COMPLETE, /* out holds the whole payload */
    PA_FRAG_DROPPED,  /* not stored: a cap was hit (anomaly set) */
} pa_frag_result;

/* Outcome flags for the caller to turn into anomalies. */
enum {
    PA_FRAGF_OVERLAP = 1,
    PA_FRAGF_INCONSISTENT = 2,
    PA_FRAGF_TOO_BIG = 4,
    PA_FRAGF_TABLE_FULL = 8,
    PA_FRAGF_TOO_MANY = 16
};

void pa_frag_init(pa_frag_table *t);
void pa_frag_free(pa_frag_table *t);
/* off and len in bytes of the IP payload; out must hold 65535 bytes. */
pa_frag_result pa_frag_add(pa_frag_table *t, const pa_frag_key *k, int64_t ts, uint32_t off, bool more,
                           const uint8_t *data, uint32_t len, uint8_t *out, uint32_t *out_len, unsigned *flags);
/* Gives up on every datagram still open (end of capture). */
void pa_frag_finish(pa_frag_table *t);

#endif
