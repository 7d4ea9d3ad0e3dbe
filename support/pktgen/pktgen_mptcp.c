/* Multipath TCP options (RFC 6824, RFC 8684) for pg_tcp_opts.raw. */
#include "pktgen.h"

static bool raw_room(const pg_tcp_opts *o, size_t n) { return (size_t)o->raw_len + n <= sizeof o->raw; }

static void raw_be(pg_tcp_opts *o, uint64_t v, unsigned bytes) {
    for (unsigned i = 0; i < bytes; i++) o->raw[o->raw_len++] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
}

bool pg_mptcp_capable(pg_tcp_opts *o, uint8_t version, unsigned nkeys, uint64_t sendkey, uint64_t recvkey) {
    size_t len = 4u + 8u * (nkeys > 2 ? 2 : nkeys);
    if (!raw_room(o, len)) return false;
    o->raw[o->raw_len++] = 30;
    o->raw[o->raw_len++] = (uint8_t)len;
    o->raw[o->raw_len++] = (uint8_t)(0x00 | (version & 0x0F)); /* subtype 0 */
    o->raw[o->raw_len++] = 0x81;
    if (nkeys >= 1) raw_be(o, sendkey, 8);
    if (nkeys >= 2) raw_be(o, recvkey, 8);
    return true;
}

bool pg_mptcp_join_syn(pg_tcp_opts *o, uint32_t token, uint32_t nonce) {
    if (!raw_room(o, 12)) return false;
    o->raw[o->raw_len++] = 30;
    o->raw[o->raw_len++] = 12;
    o->raw[o->raw_len++] = 0x10; /* subtype 1, not a backup path */
    o->raw[o->raw_len++] = 0;    /* address id */
    raw_be(o, token, 4);
    raw_be(o, nonce, 4);
    return true;
}
