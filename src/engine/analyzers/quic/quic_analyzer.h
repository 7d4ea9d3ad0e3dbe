/* QUIC as a registered analyzer (analyzer.h): its table in the model
 * (m->quic, the connections and their handshakes) and its facts of a frame.
 * Only Initial packets are decrypted: their keys are public (RFC 9001 5.2). */
#ifndef PA_QUIC_ANALYZER_H
#define PA_QUIC_ANALYZER_H

#include "analyzer.h"
#include "quic_crypto.h"
#include "quic_frames.h"
#include "quic_parse.h"

#define PA_QUIC_MAX_CONNS 4096u         /* connections kept in the table */
#define PA_QUIC_REASM_BUDGET (8u << 20) /* CRYPTO stream bytes held at once, all connections */
#define PA_QUIC_CONN_VERSIONS 4         /* distinct versions kept per connection */
#define PA_QUIC_CONN_CIPHERS 32         /* cipher suites kept per ClientHello */
#define PA_QUIC_REASON_MAX 64           /* CONNECTION_CLOSE reason bytes kept */

/* What ended the handshake time of a connection. */
typedef enum {
    PA_QUIC_HS_NONE,      /* neither was seen */
    PA_QUIC_HS_HANDSHAKE, /* the client's first Handshake packet (it has the server's first flight) */
    PA_QUIC_HS_SHORT,     /* no client Handshake packet seen: the client's first 1-RTT packet */
} pa_quic_hs_end;

typedef struct pa_quic_conn {
    uint32_t number; /* quic.connection.number: in the order connections were first seen */
    int64_t stream;  /* the UDP flow's stream number */
    uint64_t first_frame;
    pa_txmark mark;    /* the frames that carried it (display filters) */
    bool client_known; /* which endpoint is the client */
    pa_addr client_addr, server_addr;
    uint16_t client_port, server_port;
    int64_t first_ns, last_ns; /* its first and last packet */
    uint32_t versions[PA_QUIC_CONN_VERSIONS];
    uint8_t nversions;
    pa_quic_cid odcid;      /* the client's first Destination CID: the Initial keys' input */
    pa_quic_cid client_cid; /* the client's Source CID (the server's destination) */
    pa_quic_cid server_cid; /* the server's Source CID (the client's destination) */
    bool has_server_cid;
    /* Initial keys of key_version and odcid; a Retry makes the next client Initial's DCID the input */
    bool keys_ok, rekey_on_next_initial;
    uint32_t key_version;
    pa_quic_keys keys[2]; /* [0] client's, [1] server's */
    int64_t largest_pn[2];
    int64_t first_initial_ns;       /* the client's first Initial (-1: none) */
    int64_t handshake_ns;           /* from it to the end handshake_end names (-1: none) */
    int64_t hs_client_handshake_ns; /* the client's first Handshake packet (-1: none) */
    int64_t hs_client_short_ns;     /* the client's first 1-RTT packet (-1: none) */
    uint8_t handshake_end;          /* pa_quic_hs_end */
    /* the frames of the hellos, of the handshake's end and of the close (0: not seen), for the TLS reports */
    uint64_t ch_frame, sh_frame, hs_client_handshake_frame, hs_client_short_frame, done_frame, close_frame;
    int64_t sh_ns; /* the ServerHello's time (-1: none) */
    bool has_client_hello, has_server_hello;
    uint16_t tls_version;     /* the ServerHello's (supported_versions), else the ClientHello's highest */
    uint16_t offered_version; /* the ClientHello's highest */
    char sni[256];            /* "" when the ClientHello has none */
    char alpn[96];
    uint16_t ciphers[PA_QUIC_CONN_CIPHERS];
    uint8_t nciphers;
    uint16_t ciphers_total; /* offered, kept or not */
    uint16_t cipher;        /* chosen by the ServerHello */
    uint16_t group;         /* the ServerHello's key share (0: none) */
    /* the ClientHello's other lists in order, GREASE left out (the first entries of longer lists) */
    uint16_t exts[32], groups[16], sigalgs[24], shares[4];
    uint8_t nexts, ngroups, nsigalgs, nshares;
    char ja4[40];
    bool retry, version_negotiation;
    uint32_t vn_versions[PA_QUIC_VN_MAX];
    uint8_t nvn_versions;
    bool closed, close_app, close_by_server;
    uint64_t close_code;
    char close_reason[PA_QUIC_REASON_MAX];
    uint64_t packets[2]; /* QUIC packets from the client [0] and the server [1] */
    uint64_t initial_decrypted, initial_failed;
    pa_quic_stream *crypto[2]; /* CRYPTO reassembly until the hello is parsed */
} pa_quic_conn;

typedef struct pa_quic_stats {
    uint64_t datagrams;                   /* UDP payloads with a QUIC packet */
    uint64_t not_quic;                    /* payloads of flows named QUIC that none of these were */
    uint64_t gquic_datagrams;             /* Google QUIC before Q046 (tshark's GQUIC): named, not decoded */
    uint64_t packets[PA_QUIC_GOOGLE + 1]; /* by pa_quic_ptype */
    uint64_t initial_decrypted, initial_failed;
    pa_quic_conn *conns;
    uint32_t nconns, conns_alloc;
    uint64_t conns_overflow; /* Initial packets of connections the table had no room for */
    int64_t *map_key;        /* stream -> connection index, open addressing */
    uint32_t *map_val;
    size_t reasm_bytes;     /* CRYPTO stream buffers held now */
    uint64_t reasm_refused; /* CRYPTO frames left out by PA_QUIC_REASM_BUDGET or memory */
    uint8_t *scratch;       /* a packet's copy while it is decrypted */
    uint32_t map_used;
    pa_expert *ex;
    pa_txkeep *keep;
    pa_app_env *env; /* lent by bind for the pass */
} pa_quic_stats;

/* What the frame being folded carried (display filters: quic.*), each
 * packet of the datagram in order. */
#define PA_QUIC_FRAME_FT 64
typedef struct pa_quic_frame {
    bool present;
    uint8_t npkt;
    struct pa_quic_frame_pkt {
        bool is_long;
        uint8_t raw_type;
        uint32_t version;
        bool has_dcid, has_scid; /* a short header's DCID only when its connection is known */
        pa_quic_cid dcid, scid;
        bool has_pn; /* decrypted */
        uint64_t pn;
        int64_t conn; /* connection number, -1 unknown */
    } pkt[PA_QUIC_COALESCED];
    uint64_t ftype[PA_QUIC_FRAME_FT];
    uint8_t nftype;
    uint64_t crypto_off[PA_QUIC_FRAME_FT], crypto_len[PA_QUIC_FRAME_FT];
    uint8_t ncrypto;
    uint8_t nclose;
    uint64_t close_code[PA_QUIC_COALESCED];
    bool close_app[PA_QUIC_COALESCED];
} pa_quic_frame;

/* The event pa_engine_opts.on_app receives: each connection at the end of
 * the capture. */
typedef struct pa_quic_event_conn {
    const pa_quic_conn *conn;
} pa_quic_event_conn;

/* The tracker (quic_track.c). */
int pa_quic_init(pa_quic_stats *st);
void pa_quic_datagram(pa_quic_stats *st, pa_app_env *env, const pa_packet *p, int64_t stream);
void pa_quic_finish(pa_quic_stats *st, pa_app_env *env);
void pa_quic_free(pa_quic_stats *st);
size_t pa_quic_memory(const pa_quic_stats *st);

/* The values of its display-filter fields in a frame (quic_fields.c). */
size_t pa_quic_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_quic;

#endif
