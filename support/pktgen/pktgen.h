/*
 * pa_pktgen: a small toolkit for writing synthetic captures of hand-built
 * packets.  Used by the test suite and by pcap-sample-gen.
 *
 * Design notes
 *  - Every function reports failure through its return value (PG_OK or a
 *    negative PG_E* code); nothing aborts, so tests can assert on errors.
 *  - Packets are built front to back into a caller-supplied buffer through a
 *    pg_pkt cursor.  Length and checksum fields depend on what follows, so
 *    they are filled by pg_finish() once the payload is in place.
 *  - pg_pkt errors are sticky: after the first failure every later call is a
 *    no-op returning the same error, so a builder sequence can be checked
 *    once at the end.
 */
#ifndef PA_PKTGEN_H
#define PA_PKTGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ errors */

enum {
    PG_OK = 0,
    PG_EINVAL = -1, /* bad argument or call out of order */
    PG_ENOSPC = -2, /* caller buffer too small */
    PG_EIO = -3,    /* open/write failed; errno has details */
    PG_ENOMEM = -4,
    PG_ERANGE = -5 /* value does not fit the wire/file format */
};

const char *pg_strerror(int err);

/* -------------------------------------------------------------- timestamps */

typedef struct pg_ts {
    uint64_t sec;  /* seconds since the Unix epoch */
    uint32_t nsec; /* 0 .. 999999999 */
} pg_ts;

#define PG_US(x) ((uint64_t)(x)*1000u)
#define PG_MS(x) ((uint64_t)(x)*1000000u)

pg_ts pg_ts_add(pg_ts t, uint64_t ns);

/* ----------------------------------------------------------------- writers */

#define PG_LINKTYPE_ETHERNET 1u
#define PG_LINKTYPE_RAW 101u

typedef enum pg_format { PG_PCAP = 0, PG_PCAPNG = 1 } pg_format;

typedef struct pg_writer_opts {
    pg_format format;
    bool nanosec;      /* pcap: ns magic; pcapng: if_tsresol 9 on interface 0 */
    bool big_endian;   /* byte order of the file (both formats) */
    uint32_t snaplen;  /* frames longer than this are truncated on write */
    uint16_t linktype; /* of the only (pcap) or first (pcapng) interface */
} pg_writer_opts;

typedef struct pg_writer pg_writer;

/* Defaults: classic pcap, microseconds, little-endian, snaplen 262144,
 * Ethernet. */
void pg_writer_opts_init(pg_writer_opts *o);

/* Open a file (o may be NULL for the defaults).  For pcapng this writes the
 * section header and interface 0. */
int pg_open(pg_writer **w, const char *path, const pg_writer_opts *o);
/* Same, on an already open stream that pg_close() flushes but does not close. */
int pg_open_stream(pg_writer **w, FILE *f, const pg_writer_opts *o);
/* pcapng only: add another interface.  tsresol is the decimal exponent of the
 * timestamp unit (6 = microseconds, 9 = nanoseconds); name may be NULL. */
int pg_pcapng_add_if(pg_writer *w, uint16_t linktype, uint32_t snaplen, uint8_t tsresol, const char *name,
                     uint32_t *if_id);
/* Write one frame: caplen bytes of data seen, origlen bytes on the wire
 * (origlen >= caplen; a smaller caplen models a snaplen-cut frame). */
int pg_write(pg_writer *w, pg_ts ts, const void *data, uint32_t caplen, uint32_t origlen);
int pg_write_if(pg_writer *w, uint32_t if_id, pg_ts ts, const void *data, uint32_t caplen, uint32_t origlen);
/* Flush, close and free; returns the first error seen by this writer. */
int pg_close(pg_writer *w);

/* ------------------------------------------------------------ pkt builders */

typedef struct pg_pkt {
    uint8_t *buf;
    size_t cap, len;
    size_t l3_off, l4_off; /* meaningful when l3 / l4 are non-zero */
    uint8_t l3;            /* 0, 4 or 6 */
    uint8_t l4;            /* IP protocol of the header pushed by pg_tcp/udp/icmp*, or 0 */
    int err;               /* first error, sticky */
} pg_pkt;

#define PG_ETH_IPV4 0x0800u
#define PG_ETH_ARP 0x0806u
#define PG_ETH_VLAN 0x8100u
#define PG_ETH_IPV6 0x86DDu

#define PG_IPPROTO_ICMP 1u
#define PG_IPPROTO_TCP 6u
#define PG_IPPROTO_UDP 17u
#define PG_IPPROTO_ICMPV6 58u

#define PG_ARP_REQUEST 1u
#define PG_ARP_REPLY 2u

#define PG_TH_FIN 0x01u
#define PG_TH_SYN 0x02u
#define PG_TH_RST 0x04u
#define PG_TH_PSH 0x08u
#define PG_TH_ACK 0x10u
#define PG_TH_URG 0x20u
#define PG_TH_ECE 0x40u
#define PG_TH_CWR 0x80u

typedef struct pg_ip4 {
    uint8_t src[4], dst[4];
    uint8_t proto; /* overwritten by pg_tcp/pg_udp/pg_icmp_echo */
    uint8_t ttl, tos;
    uint16_t id;
    bool df, mf;
    uint16_t frag_off; /* in 8-byte units */
} pg_ip4;

typedef struct pg_ip6 {
    uint8_t src[16], dst[16];
    uint8_t next; /* overwritten by pg_tcp/pg_udp/pg_icmp6_echo */
    uint8_t hlim, tclass;
    uint32_t flow; /* 20 bits */
} pg_ip6;

typedef struct pg_tcp_opts {
    uint16_t mss; /* 0: no MSS option */
    bool wscale_on;
    uint8_t wscale;
    bool sack_perm;
    bool ts_on;
    uint32_t tsval, tsecr;
    uint8_t nsack; /* SACK blocks (0..4; fewer fit with timestamps) */
    uint32_t sack[4][2];
    /* options written as they are after the others (kind, length, value ...:
     * Multipath TCP from pg_mptcp_*), at most 40 bytes */
    uint8_t raw[40];
    uint8_t raw_len;
} pg_tcp_opts;

typedef struct pg_tcp_hdr {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags; /* PG_TH_* */
    uint16_t win, urp;
    pg_tcp_opts opt;
} pg_tcp_hdr;

/* Multipath TCP options (kind 30) appended to o->raw; false when they do
 * not fit. MP_CAPABLE: version 0 (RFC 6824) or 1 (RFC 8684), flags 0x81
 * (checksum required, HMAC-SHA1 or -SHA256), nkeys 0, 1 (the sender's key) or
 * 2 (the sender's then the receiver's). MP_JOIN of a SYN: the receiver's
 * token and the sender's random number, address id 0. */
bool pg_mptcp_capable(pg_tcp_opts *o, uint8_t version, unsigned nkeys, uint64_t sendkey, uint64_t recvkey);
bool pg_mptcp_join_syn(pg_tcp_opts *o, uint32_t token, uint32_t nonce);

void pg_pkt_init(pg_pkt *p, void *buf, size_t cap);
int pg_bytes(pg_pkt *p, const void *data, size_t n);
int pg_fill(pg_pkt *p, uint8_t v, size_t n);
int pg_u8(pg_pkt *p, uint8_t v);
int pg_be16(pg_pkt *p, uint16_t v);
int pg_be32(pg_pkt *p, uint32_t v);
/* Reserve a width-byte (1..4) big-endian length field; pg_len_end() stores the
 * number of bytes written after it.  Handy for TLV-style payloads. */
int pg_len_begin(pg_pkt *p, unsigned width, size_t *mark);
int pg_len_end(pg_pkt *p, size_t mark, unsigned width);

int pg_eth(pg_pkt *p, const uint8_t dst[6], const uint8_t src[6], uint16_t ethertype);
int pg_eth_vlan(pg_pkt *p, const uint8_t dst[6], const uint8_t src[6], uint16_t tci, uint16_t ethertype);
int pg_arp(pg_pkt *p, uint16_t op, const uint8_t sha[6], const uint8_t spa[4], const uint8_t tha[6],
           const uint8_t tpa[4]);
int pg_ipv4(pg_pkt *p, const pg_ip4 *ip);
int pg_ipv6(pg_pkt *p, const pg_ip6 *ip);
int pg_tcp(pg_pkt *p, const pg_tcp_hdr *th);
int pg_udp(pg_pkt *p, uint16_t sport, uint16_t dport);
int pg_icmp_echo(pg_pkt *p, bool reply, uint16_t id, uint16_t seq);
int pg_icmp6_echo(pg_pkt *p, bool reply, uint16_t id, uint16_t seq);
/* Fill IP lengths, the IPv4 header checksum and the L4 length/checksum.
 * Fragments: push their payload with pg_bytes (no L4 header), since an L4
 * checksum covers the whole datagram, which a fragment does not hold. */
int pg_finish(pg_pkt *p);
/* TLS framing: a record header, a handshake header, an extension header
 * (each returns the length mark to close with pg_len_end), and a list of
 * 16-bit values behind a length field of `width` bytes. */
size_t pg_tls_record_begin(pg_pkt *b, uint8_t type, uint16_t version);
size_t pg_tls_hs_begin(pg_pkt *b, uint8_t type);
size_t pg_tls_ext_begin(pg_pkt *b, uint16_t type);
void pg_u16_list(pg_pkt *b, unsigned width, const uint16_t *v, size_t n);
/* Append zero bytes up to minlen (60 = minimum Ethernet frame sans FCS).
 * Call after pg_finish so the padding stays outside the IP datagram. */
int pg_pad_to(pg_pkt *p, size_t minlen);

/* RFC 1071 checksum of a buffer, and of an L4 segment with its pseudo-header
 * (family 4 or 6; src/dst are 4 or 16 bytes). */
uint16_t pg_csum(const void *data, size_t len);
uint16_t pg_csum_pseudo(int family, const uint8_t *src, const uint8_t *dst, uint8_t proto, const void *l4, size_t len);

int pg_write_pkt(pg_writer *w, pg_ts ts, const pg_pkt *p);
/* One endpoint of a UDP datagram: family 4 or 6, its address, its port. */
typedef struct pg_udp_ep {
    int family;
    uint8_t ip[16]; /* IPv4 in the first 4 bytes */
    uint16_t port;
} pg_udp_ep;
/* Writes one Ethernet frame (02:00:00:00:00:01 -> 02:00:00:00:00:02) with
 * payload in UDP from s to d over IPv4 (TTL 64) or IPv6 (hop limit 64),
 * lengths and checksums filled; at most 9,216 bytes of frame. */
int pg_write_udp(pg_writer *w, pg_ts t, const pg_udp_ep *s, const pg_udp_ep *d, const void *payload, size_t n);

/* -------------------------------------------------------- TCP conversation */

enum { PG_CLIENT = 0, PG_SERVER = 1 }; /* the sender of a segment */

/* pg_tcp_send "how" flags */
#define PG_TCP_PUSH 1u   /* set PSH (last segment of a write) */
#define PG_TCP_LOST 2u   /* captured but never reaches the peer: not ACKed */
#define PG_TCP_ACKNOW 4u /* peer sends a pure ACK ack_delay_ns later */

typedef struct pg_tcp_peer {
    uint8_t mac[6]; /* source MAC of this side's frames (a router's for remote hosts) */
    uint8_t ip[16]; /* IPv4 uses the first 4 bytes */
    uint16_t port;
    uint32_t isn;
    uint32_t win; /* receive window in bytes */
    uint16_t mss; /* 0: no MSS option */
    bool wscale_on;
    uint8_t wscale;
    bool sack_perm;
    bool ts_on;
    uint32_t ts_base; /* TSval at the first packet; advances 1 per ms */
    uint8_t ttl;
    uint16_t ip_id; /* next IPv4 id */
} pg_tcp_peer;

typedef struct pg_tcp_side {
    pg_tcp_peer cfg;
    uint32_t snd_nxt;   /* next sequence number this side sends */
    uint32_t rcv_nxt;   /* next byte expected from the peer (our ACK) */
    uint32_t ts_recent; /* peer's last delivered TSval, echoed as TSecr */
    bool rcv_valid;     /* rcv_nxt known (peer's SYN seen) */
} pg_tcp_side;

typedef struct pg_tcp_conv {
    pg_writer *w;
    int family; /* 4 or 6 */
    pg_tcp_side side[2];
    bool ws_ok, ts_ok, sack_ok; /* negotiated in SYN / SYN-ACK */
    bool have_t0;
    pg_ts t0;
    uint64_t ack_delay_ns; /* for PG_TCP_ACKNOW; default 40 us */
} pg_tcp_conv;

int pg_tcp_init(pg_tcp_conv *c, pg_writer *w, int family, const pg_tcp_peer *client, const pg_tcp_peer *server);
int pg_tcp_syn(pg_tcp_conv *c, pg_ts t);
int pg_tcp_synack(pg_tcp_conv *c, pg_ts t);
/* SYN at t, SYN/ACK at t+rtt, ACK 50 us after that. */
int pg_tcp_handshake(pg_tcp_conv *c, pg_ts t, uint64_t rtt_ns);
int pg_tcp_send(pg_tcp_conv *c, pg_ts t, int from, const void *data, size_t len, unsigned how);
int pg_tcp_ack(pg_tcp_conv *c, pg_ts t, int from);
/* Resend bytes that were first sent at absolute sequence number seq. */
int pg_tcp_retransmit(pg_tcp_conv *c, pg_ts t, int from, uint32_t seq, const void *data, size_t len);
/* Change the receive window of "from" (bytes; 0 = zero window) and announce
 * it with a pure ACK: a zero-window advertisement or a window update. */
int pg_tcp_window(pg_tcp_conv *c, pg_ts t, int from, uint32_t win);
int pg_tcp_fin(pg_tcp_conv *c, pg_ts t, int from);
int pg_tcp_rst(pg_tcp_conv *c, pg_ts t, int from);
uint32_t pg_tcp_next_seq(const pg_tcp_conv *c, int from);
/* Largest payload "from" may put in one segment (peer MSS less options). */
size_t pg_tcp_seg_max(const pg_tcp_conv *c, int from);

/* --------------------------------------------------------------------- DNS */

#define PG_DNS_QR 0x8000u
#define PG_DNS_AA 0x0400u
#define PG_DNS_TC 0x0200u
#define PG_DNS_RD 0x0100u
#define PG_DNS_RA 0x0080u
#define PG_DNS_NXDOMAIN 3u /* rcode, low 4 bits of flags */

#define PG_DNS_A 1u
#define PG_DNS_NS 2u
#define PG_DNS_CNAME 5u
#define PG_DNS_SOA 6u
#define PG_DNS_PTR 12u
#define PG_DNS_MX 15u
#define PG_DNS_TXT 16u
#define PG_DNS_AAAA 28u

enum { PG_DNS_QD = 0, PG_DNS_AN = 1, PG_DNS_NS_SEC = 2, PG_DNS_AR = 3 };

#define PG_DNS_MAX_NAMES 64

/* A DNS message being built at the end of a pg_pkt (after the UDP header).
 * Names are compressed automatically against names already in the message. */
typedef struct pg_dns {
    pg_pkt *p;
    size_t base; /* offset of the DNS header in p->buf */
    uint16_t count[4];
    uint16_t names[PG_DNS_MAX_NAMES]; /* message offsets usable as pointers */
    unsigned nnames;
    int section; /* sections must be written in order */
    bool in_rr;
    size_t rdlen_mark;
} pg_dns;

int pg_dns_begin(pg_dns *d, pg_pkt *p, uint16_t id, uint16_t flags);
int pg_dns_name(pg_dns *d, const char *name);
int pg_dns_question(pg_dns *d, const char *name, uint16_t qtype); /* class IN */
/* Start a class-IN record; write its RDATA with pg_dns_name/pg_bytes/pg_be*
 * on d->p, then pg_dns_rr_end() fills RDLENGTH. */
int pg_dns_rr_begin(pg_dns *d, int section, const char *owner, uint16_t type, uint32_t ttl);
int pg_dns_rr_end(pg_dns *d);
int pg_dns_rr(pg_dns *d, int section, const char *owner, uint16_t type, uint32_t ttl, const void *rdata,
              uint16_t rdlen);
int pg_dns_rr_name(pg_dns *d, int section, const char *owner, uint16_t type, uint32_t ttl,
                   const char *target); /* CNAME, NS, PTR */
int pg_dns_end(pg_dns *d);              /* stores the section counts */
/* One-question recursive query. */
int pg_dns_query(pg_pkt *p, uint16_t id, const char *name, uint16_t qtype);

#ifdef __cplusplus
}
#endif

#endif /* PA_PKTGEN_H */
