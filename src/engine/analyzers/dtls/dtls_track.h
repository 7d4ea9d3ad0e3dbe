/* DTLS associations over a capture (one per UDP stream): hellos, versions,
 * cipher suites, SNI, use_srtp, certificates (reassembled from handshake
 * fragments, decoded by the TLS analyzer's X.509 code), alerts, handshake
 * time and outcome. Bounded: PA_DTLS_MAX_ASSOCS associations, handshake
 * messages up to PA_DTLS_HS_MAX bytes, PA_DTLS_REASM_TOTAL bytes held for
 * reassembly at once. */
#ifndef PA_DTLS_TRACK_H
#define PA_DTLS_TRACK_H

#include "dtls_parse.h"
#include "expert.h"
#include "htab.h"
#include "packet.h"
#include "txkeep.h"
#include "x509_info.h"

#define PA_DTLS_MAX_ASSOCS 8192
#define PA_DTLS_HS_MAX (64u * 1024) /* a longer ClientHello, ServerHello or Certificate is not reassembled */
#define PA_DTLS_REASM_TOTAL (16u * 1024 * 1024) /* bytes of messages in reassembly, all associations */

typedef enum {
    PA_DTLS_OUT_COMPLETED, /* both sides sent a record of epoch 1 or more */
    PA_DTLS_OUT_ALERT,     /* a fatal alert in clear before that */
    PA_DTLS_OUT_NO_ANSWER, /* a ClientHello and nothing from the server */
    PA_DTLS_OUT_INCOMPLETE,
    PA_DTLS_OUT_NOT_SEEN, /* no ClientHello: the handshake was before the capture */
    PA_DTLS_OUT_COUNT
} pa_dtls_outcome;

const char *pa_dtls_outcome_name(pa_dtls_outcome o);

/* a handshake message being reassembled from fragments */
typedef struct pa_dtls_reasm {
    uint8_t *buf, *have; /* the message; one bit per byte received */
    uint32_t len, filled;
    uint16_t seq;
    uint8_t type;
} pa_dtls_reasm;

typedef struct pa_dtls_assoc {
    int64_t stream; /* key: udp.stream */
    pa_addr client, server;
    uint16_t cport, sport;
    bool capwap, has_sni, hrr, client_cert, server_cert;
    uint8_t outcome; /* pa_dtls_outcome, at the end of the pass */
    uint64_t first_frame, ch_frame, sh_frame, done_frame, alert_frame;
    int64_t ch_ts, done_ts;
    uint64_t enc_frame[2]; /* first record of epoch >= 1 from [client, server] */
    int64_t enc_ts[2];
    uint16_t client_version, max_offered, version, cipher;
    uint16_t ciphers_offered;
    uint16_t srtp_offered[4], srtp_chosen;
    uint8_t nsrtp_offered;
    uint8_t alert_level, alert_desc; /* the first alert in clear */
    uint32_t alerts, alerts_encrypted, records;
    char sni[PA_TLS_SNI_MAX];
    char cert_subject[PA_CERT_NAME_MAX], cert_issuer[PA_CERT_NAME_MAX];
    int64_t cert_not_after;
    bool cert_self_signed;
    pa_dtls_reasm rx[2];  /* per direction (client, server) */
    uint16_t done_seq[2]; /* 1 + the last message_seq completed */
} pa_dtls_assoc;

typedef struct pa_dtls_stats {
    uint64_t datagrams, records, by_type[6], by_version[3]; /* types 20-25; 1.0, 1.2, 1.3 */
    uint64_t client_hellos, server_hellos, hello_verify_requests, certificates, malformed;
    uint64_t alerts, alerts_encrypted, alert_count[3][256];
    uint64_t fragments, reassembled, overlaps_conflicting, fragments_inconsistent, oversized, reasm_refused;
    uint64_t outcome[PA_DTLS_OUT_COUNT];
    uint64_t hs_count; /* handshakes timed */
    double hs_sum_ms, hs_min_ms, hs_max_ms;
    size_t reasm_bytes;
    pa_htab assocs;
    bool ready;
    uint64_t assocs_dropped;
    /* a ServerHello chose SRTP (RFC 5764): the client endpoint its media
     * will use, for the analyzer to announce (as Wireshark's DTLS sets up
     * SRTP on the flow); srtp_frame 0: nothing new */
    uint64_t srtp_frame;
    pa_addr srtp_addr;
    uint16_t srtp_port;
    pa_expert *ex;
    pa_txkeep *keep;
} pa_dtls_stats;

/* What one datagram carried, for display filters (filled when non-NULL). */
#define PA_DTLS_FRAME_HS 16
typedef struct pa_dtls_frame {
    uint8_t nrec, nhs, nalert;
    pa_dtls_record rec[PA_DTLS_MAX_RECORDS];
    pa_dtls_hs hs[PA_DTLS_FRAME_HS];
    uint8_t alert[4][2]; /* level, description */
    uint8_t nhello;      /* hellos completed in this frame */
    uint16_t hello_version[2];
    bool has_sni;
    char sni[PA_TLS_SNI_MAX];
    uint16_t ncipher;
    uint16_t cipher[PA_TLS_LIST_MAX];
    pa_dtls_srtp srtp;
} pa_dtls_frame;

int pa_dtls_stats_init(pa_dtls_stats *st);
void pa_dtls_stats_free(pa_dtls_stats *st);
/* One datagram named DTLS (its records at d, after CAPWAP's preamble when capwap). */
void pa_dtls_datagram(pa_dtls_stats *st, const pa_packet *p, int64_t stream, const uint8_t *d, size_t n, bool capwap,
                      pa_dtls_frame *fr);
void pa_dtls_finish(pa_dtls_stats *st);

#endif
