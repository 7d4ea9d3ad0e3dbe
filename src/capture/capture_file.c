#include "capture_file.h"

#include <string.h>

static bool put(pa_capfile *w, const void *p, size_t n) {
    if (fwrite(p, 1, n, w->f) != n) return false;
    w->bytes += n;
    return true;
}

static bool put32(pa_capfile *w, uint32_t v) { return put(w, &v, 4); }

static bool put_opt(pa_capfile *w, uint16_t code, const void *v, size_t n) {
    static const uint8_t zero[4] = {0};
    uint16_t h[2] = {code, (uint16_t)n};
    return put(w, h, 4) && put(w, v, n) && put(w, zero, ((n + 3) & ~(size_t)3) - n);
}

static size_t opt_size(size_t n) { return 4 + ((n + 3) & ~(size_t)3); }

bool pa_capfile_header_live(pa_capfile *w, int linktype, int snaplen, const pa_capfile_iface *ifc) {
    if (!w->pcapng) return pa_capfile_header(w, linktype, snaplen, ifc ? ifc->name : NULL);
    /* Section Header Block (no options) */
    bool ok = put32(w, 0x0A0D0D0A) && put32(w, 28) && put32(w, 0x1A2B3C4D);
    uint16_t ver[2] = {1, 0};
    int64_t len = -1;
    ok = ok && put(w, ver, 4) && put(w, &len, 8) && put32(w, 28);
    /* Interface Description Block: if_name (2), if_filter (11, a libpcap
     * filter string: type byte 0), if_os (12), and in nanoseconds if_tsresol (9) */
    const char *name = ifc && ifc->name ? ifc->name : "", *filter = ifc && ifc->filter ? ifc->filter : "",
               *os = ifc && ifc->os ? ifc->os : "";
    size_t nn = strnlen(name, 255), nf = strnlen(filter, 4000), no = strnlen(os, 255);
    size_t opts = (nn ? opt_size(nn) : 0) + (nf ? opt_size(nf + 1) : 0) + (no ? opt_size(no) : 0) +
                  (w->nano ? opt_size(1) : 0) + 4;
    uint32_t idb_len = (uint32_t)(20 + opts);
    uint16_t lt[2] = {(uint16_t)linktype, 0}, end[2] = {0, 0};
    ok = ok && put32(w, 1) && put32(w, idb_len) && put(w, lt, 4) && put32(w, (uint32_t)snaplen);
    if (nn) ok = ok && put_opt(w, 2, name, nn);
    if (nf) {
        uint8_t buf[4001];
        buf[0] = 0;
        memcpy(buf + 1, filter, nf);
        ok = ok && put_opt(w, 11, buf, nf + 1);
    }
    if (no) ok = ok && put_opt(w, 12, os, no);
    if (w->nano) {
        uint8_t v = 9;
        ok = ok && put_opt(w, 9, &v, 1);
    }
    return ok && put(w, end, 4) && put32(w, idb_len);
}

bool pa_capfile_header(pa_capfile *w, int linktype, int snaplen, const char *ifname) {
    if (!w->pcapng) {
        struct {
            uint32_t magic;
            uint16_t major, minor;
            int32_t zone;
            uint32_t sigfigs, snaplen, linktype;
        } h = {w->nano ? 0xA1B23C4Du : 0xA1B2C3D4u, 2, 4, 0, 0, (uint32_t)snaplen, (uint32_t)linktype};
        return put(w, &h, sizeof h);
    }
    pa_capfile_iface ifc = {ifname, NULL, NULL};
    return pa_capfile_header_live(w, linktype, snaplen, &ifc);
}

/* A timestamp in the interface's units (microseconds or nanoseconds), as
 * pcapng stores it: high 32 bits, then low 32 bits. */
static bool put_ts(pa_capfile *w, int64_t ns) {
    uint64_t t = ns < 0 ? 0 : (uint64_t)ns, units = w->nano ? t : t / 1000u;
    return put32(w, (uint32_t)(units >> 32)) && put32(w, (uint32_t)units);
}

static bool put_opt64(pa_capfile *w, uint16_t code, uint64_t v) { return put_opt(w, code, &v, 8); }

bool pa_capfile_stats_block(pa_capfile *w, const pa_capfile_stats *s) {
    if (!w->pcapng) return true;
    uint16_t end[2] = {0, 0};
    uint16_t h[2] = {3, 8}; /* isb_endtime is a timestamp option, written by hand */
    bool ok = put32(w, 5) && put32(w, PA_CAPFILE_ISB_SIZE) && put32(w, 0) && put_ts(w, s->now_ns);
    uint16_t hs[2] = {2, 8};
    ok = ok && put(w, hs, 4) && put_ts(w, s->start_ns) && put(w, h, 4) && put_ts(w, s->end_ns);
    ok = ok && put_opt64(w, 4, s->ifrecv) && put_opt64(w, 5, s->ifdrop) && put_opt64(w, 7, s->osdrop) &&
         put_opt64(w, 8, s->usrdeliv);
    return ok && put(w, end, 4) && put32(w, PA_CAPFILE_ISB_SIZE);
}

size_t pa_capfile_record_size(const pa_capfile *w, uint32_t caplen) {
    return w->pcapng ? 32 + ((caplen + 3u) & ~3u) : 16 + caplen;
}

bool pa_capfile_record(pa_capfile *w, int64_t ts_ns, const uint8_t *data, uint32_t caplen, uint32_t len) {
    uint64_t t = ts_ns < 0 ? 0 : (uint64_t)ts_ns;
    uint64_t units = w->nano ? t : t / 1000u;
    if (!w->pcapng) {
        uint64_t sec = t / 1000000000u;
        uint32_t frac = (uint32_t)(w->nano ? t % 1000000000u : (t % 1000000000u) / 1000u);
        uint32_t r[4] = {(uint32_t)sec, frac, caplen, len};
        return put(w, r, 16) && put(w, data, caplen);
    }
    uint32_t total = (uint32_t)pa_capfile_record_size(w, caplen), pad = ((caplen + 3u) & ~3u) - caplen;
    uint32_t r[7] = {6, total, 0, (uint32_t)(units >> 32), (uint32_t)units, caplen, len};
    static const uint8_t zero[4] = {0};
    return put(w, r, 28) && put(w, data, caplen) && put(w, zero, pad) && put32(w, total);
}
