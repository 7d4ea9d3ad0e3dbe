/* What the scenario writers of pa-threat-scenarios share: the capture being
 * written, a seeded PRNG (so every run writes the same bytes), hosts, raw
 * frames, TCP conversations, and whole HTTP, DNS and TLS exchanges. Times
 * are microseconds after T0, 2026-01-01T00:00:00Z. */
#ifndef PA_THREAT_KIT_H
#define PA_THREAT_KIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pktgen.h"

/* Returns a nonzero status from the enclosing function. */
#define TRY(expr)                                                                                                      \
    do {                                                                                                               \
        int rc_ = (expr);                                                                                              \
        if (rc_) return rc_;                                                                                           \
    } while (0)

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Times are microseconds after T0 (2026-01-01T00:00:00Z). */
#define SEC(x) ((uint64_t)(x)*1000000u)
#define MSEC(x) ((uint64_t)(x)*1000u)

/* The file being written (main opens and closes it). */
extern pg_writer *W;
/* The timestamp us microseconds after T0. */
pg_ts at(uint64_t us);

/* ---- PRNG -------------------------------------------------------------------- */

/* Restarts the PRNG; each file does, so files do not depend on each other. */
void rng_seed(uint64_t s);
/* The next 32 random bits. */
uint32_t rng32(void);
/* A random number below n. */
uint32_t rng_below(uint32_t n);
/* n random bytes. */
void rng_bytes(uint8_t *b, size_t n);
/* n random characters of alphabet and a NUL (out holds n + 1). */
void rng_text(char *out, size_t n, const char *alphabet);
/* A random port in Linux's default ephemeral range. */
uint16_t ephemeral_port(void);

/* ---- hosts ------------------------------------------------------------------- */

typedef struct host {
    uint8_t ip[4];
    uint8_t mac[6]; /* as seen on the capture link: the router's for remote hosts */
    uint8_t ttl;    /* as seen at the capture point */
    uint16_t ip_id; /* next IPv4 id of raw frames */
} host;

extern const uint8_t MAC_BCAST[6], MAC_ZERO[6];
/* The MAC remote hosts sit behind; main resets it before each file. */
extern uint8_t ROUTER_MAC[6];

/* A host with the MAC and TTL the capture point sees for a.b.c.d. */
host mkhost(uint8_t a, uint8_t b, uint8_t c, uint8_t d);

/* ---- raw frames -------------------------------------------------------------- */

/* Starts p in buf with Ethernet and IPv4 (DF) from src to dst. */
void ip_frame(pg_pkt *p, uint8_t *buf, size_t cap, host *src, const host *dst);
/* Finishes p and writes it at time us. */
int put_frame(pg_pkt *p, uint64_t us);
/* An ARP frame, padded to the Ethernet minimum. */
int arp_frame(uint16_t op, const uint8_t edst[6], const uint8_t esrc[6], const uint8_t sha[6], const uint8_t spa[4],
              const uint8_t tha[6], const uint8_t tpa[4], uint64_t us);
/* An ICMP echo request or reply with Linux ping's payload (send time first). */
int echo_frame(host *src, const host *dst, bool reply, uint16_t id, uint16_t seq, uint64_t sent_us, size_t plen,
               uint64_t us);
/* An echo request from a and its reply rtt_us later. */
int ping(host *a, host *b, uint16_t id, uint16_t seq, uint64_t us, uint64_t rtt_us, size_t plen);

/* A TCP header as tcp_raw writes it. */
typedef struct seg {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t win;
    uint16_t mss; /* 0: no options */
} seg;

/* One TCP segment without payload, written exactly as given. */
int tcp_raw(host *src, const host *dst, const seg *s, uint64_t us);

/* ---- TCP conversations ------------------------------------------------------- */

/* A conversation between Linux-like endpoints, written to W. */
int conv_init(pg_tcp_conv *c, const host *cl, uint16_t cport, const host *sv, uint16_t sport);
/* A closed port: SYN, then RST/ACK with sequence number 0, as Linux answers. */
int conv_refused(const host *cl, uint16_t cport, const host *sv, uint16_t sport, uint64_t us, uint64_t rtt_us);
/* The string s in one pushed segment. */
int send_str(pg_tcp_conv *c, uint64_t us, int from, const char *s);
/* len bytes as MSS-sized segments gap_us apart; *us ends at the last one. */
int send_data(pg_tcp_conv *c, uint64_t *us, int from, const void *data, size_t len, uint64_t gap_us);
/* FIN from "first", FIN/ACK back one RTT later, last ACK. */
int tcp_close(pg_tcp_conv *c, uint64_t us, int first, uint64_t rtt_us);

/* ---- HTTP -------------------------------------------------------------------- */

/* An HTTP/1.1 response with body into out; 0 when it does not fit. */
size_t http_response(char *out, size_t cap, const char *status, const char *ctype, const char *body);
/* A browser's GET with extra header lines; 0 when it does not fit. */
size_t http_request(char *out, size_t cap, const char *path, const char *hosthdr, const char *extra);

/* How http_get ends its connection. */
enum { HTTP_CLOSE, HTTP_RETX, HTTP_CLIENT_RST };

/* One GET on its own connection (20 ms RTT), ended as mode says. */
int http_get(const host *cl, uint16_t cport, const host *sv, uint16_t sport, uint64_t us, const char *path,
             const char *hosthdr, const char *extra, const char *status, const char *body, int mode);

/* ---- DNS --------------------------------------------------------------------- */

/* A query for name over UDP. */
int dns_query(host *cl, host *sv, uint16_t sport, uint16_t dport, uint64_t us, uint16_t id, const char *name,
              uint16_t qtype);
/* A response: rcode, naddr A records (TTL ttl) and, if soa_zone, an SOA. */
int dns_answer(host *sv, host *cl, uint16_t sport, uint16_t dport, uint64_t us, uint16_t id, const char *name,
               uint16_t qtype, unsigned rcode, const uint8_t (*addr)[4], unsigned naddr, uint32_t ttl,
               const char *soa_zone);

/* ---- key material ------------------------------------------------------------ */

/* A DER certificate. */
typedef struct cert {
    uint8_t der[2048];
    size_t len;
} cert;

/* other.example, self-signed and expired; 3des.example, issued by the CA. */
extern cert CERT_OTHER, CERT_3DES;

/* Derives the keys and certificates (deterministic, from fixed labels). */
int keys_setup(void);
/* Frees the keys. */
void keys_free(void);

/* ---- TLS --------------------------------------------------------------------- */

#define TLS10 0x0301u
#define TLS12 0x0303u
#define ECDHE_RSA_AES128_GCM 0xc02fu
#define RSA_RC4_128_SHA 0x0005u
#define RSA_3DES_EDE_CBC_SHA 0x000au

typedef struct tls_flow {
    uint16_t version; /* ClientHello and ServerHello version; later records too */
    const char *sni;
    const uint16_t *suites; /* offered by the client */
    size_t nsuites;
    bool modern;    /* TLS 1.2-era extensions: groups, sigalgs, ALPN, EMS, tickets */
    uint16_t suite; /* chosen by the server; 0: fatal handshake_failure instead */
    const cert *crt;
    size_t req_len, resp_len; /* application data, plaintext bytes */
} tls_flow;

/* The suites a current browser offers. */
extern const uint16_t MODERN_SUITES[6];

/* A ClientHello record for f into b. */
void client_hello(pg_pkt *b, const tls_flow *f, const uint8_t random[32]);
/* A whole TLS connection on c, or a refused one when f->suite is 0. */
int tls_connection(pg_tcp_conv *c, uint64_t us, uint64_t rtt, const tls_flow *f);
/* TLS 1.2 to www.example.com as in ordinary.pcap. */
tls_flow www_flow(void);

/* ---- the scenarios ----------------------------------------------------------- */

/* Each writes one capture to W (the list is FILES in threat_scenarios.c). */
/* In threat_network.c: */
int f_scan_syn_vertical(void);
int f_scan_horizontal(void);
int f_scan_connect(void);
int f_scan_stealth(void);
int f_rst_storm(void);
int f_syn_flood(void);
int f_icmp_flood(void);
int f_icmp_large(void);
int f_arp_spoof(void);
int f_arp_dup(void);
/* In threat_application.c: */
int f_dns_tunnel(void);
int f_dns_fastflux(void);
int f_beacon(void);
int f_cleartext_creds(void);
int f_weak_tls(void);
int f_bad_ports(void);

#endif
