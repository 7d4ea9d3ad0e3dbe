#include "pcapng_reader.h"

#include <stdlib.h>
#include <string.h>

#include "cursor.h"

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 1u
#define BT_OPB 2u /* obsolete packet block */
#define BT_SPB 3u
#define BT_EPB 6u

static uint32_t le32(const uint8_t *b) {
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint32_t sw32(uint32_t v) { return (v >> 24) | ((v >> 8) & 0xFF00u) | ((v << 8) & 0xFF0000u) | (v << 24); }

/* Reads with the section's byte order. */
static bool rd16(pa_cur *c, bool swap, uint16_t *v) {
    if (!pa_cur_le16(c, v)) return false;
    if (swap) *v = (uint16_t)(*v >> 8 | *v << 8);
    return true;
}
static bool rd32(pa_cur *c, bool swap, uint32_t *v) {
    if (!pa_cur_le32(c, v)) return false;
    if (swap) *v = sw32(*v);
    return true;
}

static int fail(pa_pcapng *r, const char *msg) {
    snprintf(r->error, sizeof r->error, "%s", msg);
    return -1;
}

/* Reads one whole block into r->buf; *type and *len as read. 0 at a clean
 * end of file, -1 on damage. */
static int read_block(pa_pcapng *r, uint32_t *type, uint32_t *len) {
    uint8_t hdr[8];
    size_t got = fread(hdr, 1, 8, r->f);
    if (got == 0) return 0;
    if (got < 8) return fail(r, "truncated file: a block header is cut short");
    /* Fields are decoded as little-endian and swapped for big-endian
     * sections, independent of the host's byte order. */
    uint32_t t = le32(hdr), l = le32(hdr + 4);
    if (t == BT_SHB) {
        /* A new section: its byte-order magic decides. */
        uint8_t bom[4];
        if (fread(bom, 1, 4, r->f) != 4) return fail(r, "truncated section header");
        uint32_t m = le32(bom);
        if (m == 0x1A2B3C4Du)
            r->swap = false;
        else if (m == 0x4D3C2B1Au)
            r->swap = true;
        else
            return fail(r, "section header with an invalid byte-order magic");
        if (r->swap) l = sw32(l);
        if (l < 28 || l > PA_PCAPNG_MAX_BLOCK || l % 4) return fail(r, "section header block length invalid");
        if (l > r->cap) {
            uint8_t *nb = realloc(r->buf, l);
            if (!nb) return fail(r, "out of memory");
            r->buf = nb;
            r->cap = l;
        }
        memcpy(r->buf, hdr, 8);
        memcpy(r->buf + 8, bom, 4);
        if (fread(r->buf + 12, 1, l - 12, r->f) != l - 12) return fail(r, "truncated section header");
        *type = t;
        *len = l;
        return 1;
    }
    if (r->swap) {
        t = sw32(t);
        l = sw32(l);
    }
    if (l < 12 || l % 4) return fail(r, "block length invalid (below 12 or not a multiple of 4)");
    if (l > PA_PCAPNG_MAX_BLOCK) return fail(r, "block larger than 16 MiB");
    if (l > r->cap) {
        uint8_t *nb = realloc(r->buf, l);
        if (!nb) return fail(r, "out of memory");
        r->buf = nb;
        r->cap = l;
    }
    memcpy(r->buf, hdr, 8);
    if (fread(r->buf + 8, 1, l - 8, r->f) != l - 8) return fail(r, "truncated file: a block is cut short");
    uint32_t trailer = le32(r->buf + l - 4);
    if (r->swap) trailer = sw32(trailer);
    if (trailer != l) return fail(r, "block's trailing length does not match its header");
    *type = t;
    *len = l;
    return 1;
}

static int parse_idb(pa_pcapng *r, pa_cur c) {
    uint16_t lt, resv;
    uint32_t snap;
    if (!rd16(&c, r->swap, &lt) || !rd16(&c, r->swap, &resv) || !rd32(&c, r->swap, &snap))
        return fail(r, "interface description block cut short");
    if (r->nifs >= PA_PCAPNG_MAX_IFACES) return fail(r, "more than 256 interfaces in one section");
    pa_pcapng_iface *i = &r->ifs[r->nifs];
    memset(i, 0, sizeof *i);
    i->linktype = lt;
    i->snaplen = snap;
    i->res = 6;
    /* Options: code, length, value padded to 4; 0 ends them. */
    while (c.len >= 4) {
        uint16_t code, olen;
        if (!rd16(&c, r->swap, &code) || !rd16(&c, r->swap, &olen)) break;
        if (code == 0) break;
        pa_cur v;
        if (!pa_cur_sub(&c, olen, &v) || !pa_cur_skip(&c, (4u - (olen & 3u)) & 3u)) break;
        if (code == 9 && olen >= 1) {
            uint8_t b = v.p[0];
            i->pow2 = (b & 0x80) != 0;
            i->res = b & 0x7F;
        } else if (code == 14 && olen >= 8) {
            uint32_t lo, hi;
            if (rd32(&v, r->swap, &lo) && rd32(&v, r->swap, &hi)) i->offset_s = (int64_t)((uint64_t)hi << 32 | lo);
        }
    }
    if (r->nifs == 0 && r->first_linktype < 0) {
        r->first_linktype = lt;
        r->first_snaplen = snap;
    }
    r->nifs++;
    return 1;
}

/* Timestamps are kept within [0, 2^61) ns (about 73 years past 2043), so
 * that any difference between two of them fits an int64_t: a hostile
 * resolution or offset cannot overflow later arithmetic. */
#define TS_MAX_NS (1ull << 61)

static int64_t to_ns(const pa_pcapng_iface *i, uint64_t ts) {
    uint64_t ns;
    if (i->pow2) {
        unsigned sh = i->res > 63 ? 63 : i->res;
        uint64_t sec = ts >> sh, frac = ts & ((1ull << sh) - 1);
        ns = sec > TS_MAX_NS / 1000000000ull
                 ? TS_MAX_NS
                 : sec * 1000000000ull + (uint64_t)((long double)frac * 1e9L / (long double)(1ull << sh));
    } else if (i->res <= 9) {
        uint64_t mul = 1;
        for (unsigned k = i->res; k < 9; k++) mul *= 10;
        ns = ts > TS_MAX_NS / mul ? TS_MAX_NS : ts * mul;
    } else {
        uint64_t div = 1;
        for (unsigned k = 9; k < i->res && k < 28; k++) div = div > UINT64_MAX / 10 ? UINT64_MAX : div * 10;
        ns = ts / div;
    }
    /* if_tsoffset in seconds, possibly negative */
    int64_t off = i->offset_s;
    if (off > (int64_t)(TS_MAX_NS / 1000000000ull)) off = (int64_t)(TS_MAX_NS / 1000000000ull);
    if (off < -(int64_t)(TS_MAX_NS / 1000000000ull)) off = -(int64_t)(TS_MAX_NS / 1000000000ull);
    int64_t r = (int64_t)(ns > TS_MAX_NS ? TS_MAX_NS : ns) + off * 1000000000ll;
    if (r < 0) r = 0;
    if (r > (int64_t)TS_MAX_NS) r = (int64_t)TS_MAX_NS;
    return r;
}

bool pa_pcapng_open(pa_pcapng *r, FILE *f) {
    memset(r, 0, sizeof *r);
    r->f = f;
    r->first_linktype = -1;
    uint32_t t, l;
    int rc = read_block(r, &t, &l);
    if (rc <= 0 || t != BT_SHB) {
        if (!r->error[0]) snprintf(r->error, sizeof r->error, "no pcapng section header");
        return false;
    }
    r->offset = l;
    return true;
}

int pa_pcapng_next(pa_pcapng *r, pa_pcapng_pkt *out) {
    for (;;) {
        uint32_t t, l;
        int rc = read_block(r, &t, &l);
        if (rc <= 0) return rc;
        uint64_t at = r->offset;
        r->offset += l;
        pa_cur c = pa_cur_make(r->buf + 8, l - 12);
        if (t == BT_SHB) {
            r->nifs = 0; /* interfaces are per section */
            continue;
        }
        if (t == BT_IDB) {
            if (parse_idb(r, c) < 0) {
                r->offset = at;
                return -1;
            }
            continue;
        }
        uint32_t ifc = 0, hi = 0, lo = 0, caplen = 0, len = 0;
        if (t == BT_EPB) {
            if (!rd32(&c, r->swap, &ifc) || !rd32(&c, r->swap, &hi) || !rd32(&c, r->swap, &lo) ||
                !rd32(&c, r->swap, &caplen) || !rd32(&c, r->swap, &len)) {
                r->offset = at;
                return fail(r, "enhanced packet block cut short");
            }
        } else if (t == BT_OPB) {
            uint16_t i16, drops;
            if (!rd16(&c, r->swap, &i16) || !rd16(&c, r->swap, &drops) || !rd32(&c, r->swap, &hi) ||
                !rd32(&c, r->swap, &lo) || !rd32(&c, r->swap, &caplen) || !rd32(&c, r->swap, &len)) {
                r->offset = at;
                return fail(r, "packet block cut short");
            }
            ifc = i16;
        } else if (t == BT_SPB) {
            if (!rd32(&c, r->swap, &len)) {
                r->offset = at;
                return fail(r, "simple packet block cut short");
            }
            caplen = len < c.len ? len : (uint32_t)c.len;
            if (r->nifs && r->ifs[0].snaplen && caplen > r->ifs[0].snaplen) caplen = r->ifs[0].snaplen;
        } else {
            continue; /* name resolution, statistics, secrets, custom: not needed */
        }
        if (ifc >= r->nifs) {
            r->offset = at;
            return fail(r, "packet refers to an interface that was not described");
        }
        if (caplen > c.len) {
            r->offset = at;
            return fail(r, "packet's captured length exceeds its block");
        }
        const pa_pcapng_iface *i = &r->ifs[ifc];
        out->ts_ns = to_ns(i, (uint64_t)hi << 32 | lo);
        out->caplen = caplen;
        out->len = len < caplen ? caplen : len;
        out->linktype = i->linktype;
        out->iface = ifc;
        out->data = c.p;
        return 1;
    }
}

void pa_pcapng_close(pa_pcapng *r) {
    if (r->f) fclose(r->f);
    free(r->buf);
    memset(r, 0, sizeof *r);
}
