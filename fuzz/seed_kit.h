/* What the seed generators of pa-fuzz-gen-seeds share: byte strings from one
 * arena, builders that wrap a payload in a header (so packets are written
 * inside out), and the writer of seed files under OUTDIR/<target>/. */
#ifndef PA_FUZZ_SEED_KIT_H
#define PA_FUZZ_SEED_KIT_H

#include <stddef.h>
#include <stdint.h>

#include "pktgen.h"

/* ---- byte strings ------------------------------------------------------------ */

/* A byte string in the arena; builders copy, so slices of one may be reused. */
typedef struct blob {
    uint8_t *p;
    size_t n;
} blob;

/* n zero bytes from the arena (exits when it is full). */
blob B(size_t n);
/* a then b, copied into a new string. */
blob cat(blob a, blob b);
/* The empty string. */
blob NONE(void);
/* Frees the whole arena once a seed is written. */
void arena_reset(void);
/* "45 00 0a0b" -> bytes; what is not a hex digit is ignored. */
blob hex(const char *s);
/* The bytes of s, without its NUL. */
blob str(const char *s);
/* n bytes of value v. */
blob fill(size_t n, uint8_t v);
/* The first n bytes of b (all of it when shorter). */
blob head(blob b, size_t n);
/* Stores v as 16 big-endian bits. */
void w16(uint8_t *p, uint32_t v);
/* Stores v as 32 big-endian bits. */
void w32(uint8_t *p, uint32_t v);

/* ---- link layers ------------------------------------------------------------- */

/* Ethernet II from MAC A to MAC B. */
blob eth(uint16_t type, blob inner);
/* A tag: TCI, then the EtherType of what follows. */
blob vlan(uint16_t tci, uint16_t type, blob inner);
/* Linux cooked capture v1. */
blob sll(uint16_t proto, blob inner);
/* Linux cooked capture v2. */
blob sll2(uint16_t proto, blob inner);
/* BSD null: the address family in little-endian order. */
blob null_le(uint32_t fam, blob inner);
/* BSD loopback (or null written big-endian): the family in network order. */
blob loop_be(uint32_t fam, blob inner);

/* ---- network layers ---------------------------------------------------------- */

/* Documentation addresses (RFC 5737, RFC 3849); A and B are the defaults. */
extern const uint8_t IP4_A[4], IP4_B[4], IP4_C[4], IP4_D[4];
extern const uint8_t IP6_A[16], IP6_B[16];

/* An IPv4 header; fields left 0 take the defaults noted. */
typedef struct ip4 {
    const uint8_t *src, *dst;
    uint8_t proto, ttl;
    uint16_t id;
    uint16_t fl;       /* flags and offset field as on the wire */
    uint16_t total;    /* 0: computed */
    uint8_t ihl_words; /* 0: 5 + options */
    blob opts;         /* padded to 4 bytes */
} ip4;

/* IPv4 as o describes it, with a correct header checksum. */
blob ipv4x(const ip4 *o, blob inner);
/* IPv4 from A to B, don't-fragment set. */
blob ipv4(uint8_t proto, blob inner);
/* IPv4 between the given addresses. */
blob ipv4_between(const uint8_t *src, const uint8_t *dst, uint8_t proto, blob inner);
/* IPv6; plen < 0 means the payload length of inner. */
blob ipv6x(const uint8_t *src, const uint8_t *dst, uint8_t next, int plen, blob inner);
/* IPv6 from A to B. */
blob ipv6(uint8_t next, blob inner);
/* Hop-by-hop, routing, destination options: 8 + 8 * len8 bytes. */
blob ext6(uint8_t next, uint8_t len8, blob inner);
/* An IPv6 fragment header. */
blob frag6(uint8_t next, uint16_t off, int more, uint32_t id, blob inner);
/* An authentication header with a 12-byte ICV. */
blob ah(uint8_t next, blob inner);

/* ---- transport --------------------------------------------------------------- */

/* TCP with options opts (padded to 4 bytes); ACK set means ack number 1000. */
blob tcp(uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags, blob opts, blob payload);
/* TCP from port 40000 to 80, no options. */
blob tcp_simple(uint8_t flags, blob payload);
/* UDP with its length set, checksum 0. */
blob udp(uint16_t sport, uint16_t dport, blob payload);
/* ICMP (or ICMPv6) type and code, then rest. */
blob icmp(uint8_t type, uint8_t code, blob rest);
/* An SCTP common header, then chunks. */
blob sctp(uint16_t sport, uint16_t dport, blob chunks);

/* ---- tunnels and others ------------------------------------------------------ */

/* GRE: flags word, protocol, then the optional fields given in extra. */
blob gre(uint16_t flags, uint16_t proto, blob extra, blob inner);
/* VXLAN with the VNI valid. */
blob vxlan(uint32_t vni, blob inner);
/* Geneve with opt_words zeroed option words. */
blob geneve(uint8_t opt_words, uint16_t proto, blob inner);
/* labels MPLS labels, the last with bottom of stack set. */
blob mpls(int labels, blob inner);
/* A PPPoE session header and the PPP protocol. */
blob pppoe(uint16_t proto, blob inner);
/* An ARP packet (Ethernet, IPv4) with the given address lengths. */
blob arp(uint16_t op, uint8_t hlen, uint8_t plen);

/* ---- some payloads ----------------------------------------------------------- */

/* SYN options: MSS, SACK permitted, timestamps, NOP, window scale. */
blob tcp_opts_syn(void);
/* A UDP DNS query for example.com. */
blob udp_dns(void);
/* An ICMP echo request. */
blob icmp_echo(void);

/* ---- writing ----------------------------------------------------------------- */

/* The directory the targets' folders are made in (main sets it). */
extern const char *outdir;

/* The fuzz targets, in the order their folders are made and counted. */
enum { T_DECODE, T_PACKETS, T_CAPTURE, T_JSONRPC, T_SERVER, T_SCHEMA, T_COUNT };
/* Seeds written per target, for the closing report. */
extern unsigned counts[T_COUNT];

/* Makes OUTDIR and OUTDIR/sub if they are missing (exits on failure). */
void mkdirs(const char *sub);
/* OUTDIR/target/name into out. */
void path_of(char *out, size_t n, const char *target, const char *name);
/* Writes one seed file (exits on failure). */
void write_file(const char *target, const char *name, const void *data, size_t n);
/* Writes the string s as a seed of target t and counts it. */
void text(int t, const char *target, const char *name, const char *s);

/* ---- the generators ---------------------------------------------------------- */

/* In gen_seeds_json.c (main, in gen_seeds.c, runs them all): */
/* JSON-RPC lines, one message a seed. */
void seeds_jsonrpc(void);
/* MCP sessions of several lines. */
void seeds_server(void);
/* Tool arguments and schemas. */
void seeds_schema(void);

#endif
