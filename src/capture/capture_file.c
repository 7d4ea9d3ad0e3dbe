#include "capture_file.h"

#include <string.h>

static bool put(pa_capfile *w, const void *p, size_t n) {
    if (fwrite(p, 1, n, w->f) != n) return false;
    w->bytes += n;
    return true;
}

static bool put32(pa_capfile *w, uint32_t v) { return put(w, &v, 4); }

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
    /* Section Header Block (no options), then one Interface Description Block
     * with if_name (option 2) and, in nanoseconds, if_tsresol (option 9) */
    bool ok = put32(w, 0x0A0D0D0A) && put32(w, 28) && put32(w, 0x1A2B3C4D);
    uint16_t ver[2] = {1, 0};
    int64_t len = -1;
    ok = ok && put(w, ver, 4) && put(w, &len, 8) && put32(w, 28);
    size_t nlen = ifname ? strlen(ifname) : 0, npad = (nlen + 3) & ~(size_t)3;
    uint32_t idb_len = (uint32_t)(20 + (nlen ? 4 + npad : 0) + (w->nano ? 8 : 0) + 4);
    uint16_t lt[2] = {(uint16_t)linktype, 0}, opt[2] = {2, (uint16_t)nlen}, end[2] = {0, 0};
    static const uint8_t zero[4] = {0};
    ok = ok && put32(w, 1) && put32(w, idb_len) && put(w, lt, 4) && put32(w, (uint32_t)snaplen);
    if (nlen) ok = ok && put(w, opt, 4) && put(w, ifname, nlen) && put(w, zero, npad - nlen);
    if (w->nano) {
        uint16_t tsresol[2] = {9, 1};
        uint8_t v[4] = {9, 0, 0, 0};
        ok = ok && put(w, tsresol, 4) && put(w, v, 4);
    }
    return ok && put(w, end, 4) && put32(w, idb_len);
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
