#include "capture_reader.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK_SIZE (1u << 20)
/* Below this size a file is read in the calling thread: a helper would
 * cost more to start than it saves. */
#define PREFETCH_MIN_FILE (8u << 20)

/* The read-ahead thread: one pread of BLOCK_SIZE at a time, on request. */
struct pa_prefetch {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int fd;
    bool want, done, quit; /* a read is asked for / has finished / the thread is to end */
    uint8_t *dst;
    uint64_t off;
    ssize_t got;
};

static void *prefetch_main(void *arg) {
    struct pa_prefetch *pf = arg;
    pthread_mutex_lock(&pf->mu);
    for (;;) {
        while (!pf->want && !pf->quit) pthread_cond_wait(&pf->cv, &pf->mu);
        if (pf->quit) break;
        uint8_t *dst = pf->dst;
        off_t off = (off_t)pf->off;
        pthread_mutex_unlock(&pf->mu);
        ssize_t k = pread(pf->fd, dst, BLOCK_SIZE, off);
        pthread_mutex_lock(&pf->mu);
        pf->got = k;
        pf->want = false;
        pf->done = true;
        pthread_cond_broadcast(&pf->cv);
    }
    pthread_mutex_unlock(&pf->mu);
    return NULL;
}

static struct pa_prefetch *prefetch_start(int fd) {
    struct pa_prefetch *pf = calloc(1, sizeof *pf);
    if (!pf) return NULL;
    pf->fd = fd;
    if (pthread_mutex_init(&pf->mu, NULL) != 0) {
        free(pf);
        return NULL;
    }
    if (pthread_cond_init(&pf->cv, NULL) != 0 || pthread_create(&pf->thread, NULL, prefetch_main, pf) != 0) {
        pthread_cond_destroy(&pf->cv);
        pthread_mutex_destroy(&pf->mu);
        free(pf);
        return NULL;
    }
    return pf;
}

static void prefetch_ask(struct pa_prefetch *pf, uint8_t *dst, uint64_t off) {
    pthread_mutex_lock(&pf->mu);
    pf->dst = dst;
    pf->off = off;
    pf->done = false;
    pf->want = true;
    pthread_cond_broadcast(&pf->cv);
    pthread_mutex_unlock(&pf->mu);
}

static ssize_t prefetch_wait(struct pa_prefetch *pf) {
    pthread_mutex_lock(&pf->mu);
    while (!pf->done) pthread_cond_wait(&pf->cv, &pf->mu);
    ssize_t k = pf->got;
    pthread_mutex_unlock(&pf->mu);
    return k;
}

/* Ends the thread (after the read in progress, if any). */
static void prefetch_stop(struct pa_prefetch *pf) {
    if (!pf) return;
    pthread_mutex_lock(&pf->mu);
    pf->quit = true;
    pthread_cond_broadcast(&pf->cv);
    pthread_mutex_unlock(&pf->mu);
    pthread_join(pf->thread, NULL);
    pthread_cond_destroy(&pf->cv);
    pthread_mutex_destroy(&pf->mu);
    free(pf);
}

/* pcapng stores LINKTYPE_ values; libpcap and the decoders use DLT_ values.
 * They differ for raw IP (and for types we do not decode). */
static int linktype_to_dlt(int lt) { return lt == 101 ? DLT_RAW : lt; }

/* The BPF program for a link type, compiled on first use: a filter is
 * compiled against a link type, and a pcapng file may have several. */
static struct bpf_program *prog_for(pa_reader *r, int linktype) {
    for (int i = 0; i < r->nprogs; i++)
        if (r->progs[i].linktype == linktype) return r->progs[i].ok ? &r->progs[i].prog : NULL;
    if (r->nprogs >= PA_READER_MAX_PROGS) return NULL;
    int i = r->nprogs++;
    r->progs[i].linktype = linktype;
    pcap_t *dead = pcap_open_dead(linktype, 262144);
    r->progs[i].ok = dead && pcap_compile(dead, &r->progs[i].prog, r->bpf, 1, PCAP_NETMASK_UNKNOWN) == 0;
    if (dead) pcap_close(dead);
    return r->progs[i].ok ? &r->progs[i].prog : NULL;
}

/* Link types libpcap hands over exactly as stored (no pseudo-header
 * rewriting), all with a 256 KiB maximum snapshot length. In a file of the
 * other byte order libpcap swaps the CAN identifier behind a Linux cooked
 * header, so those files stay with libpcap. */
static bool plain_linktype(int dlt, bool swapped) {
    switch (dlt) {
    case DLT_LINUX_SLL:
#ifdef DLT_LINUX_SLL2
    case DLT_LINUX_SLL2:
#endif
        return !swapped;
    case DLT_NULL:
    case DLT_EN10MB:
    case DLT_RAW:
    case DLT_LOOP:
#ifdef DLT_IPV4
    case DLT_IPV4:
    case DLT_IPV6:
#endif
        return true;
    default: return false;
    }
}

static uint32_t rd32(const uint8_t *p, bool swapped) {
    uint32_t v;
    memcpy(&v, p, 4);
    return swapped ? __builtin_bswap32(v) : v;
}

/* The block path, for a regular file in the standard format (version 2.4,
 * micro- or nanosecond magic); otherwise libpcap reads every record. */
static void block_start(pa_reader *r, int fd) {
    struct stat st;
    uint8_t hdr[24];
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || pread(fd, hdr, 24, 0) != 24) return;
    uint32_t magic;
    memcpy(&magic, hdr, 4);
    bool swapped = pcap_is_swapped(r->pc) == 1;
    if (swapped) magic = __builtin_bswap32(magic);
    if ((magic != 0xa1b2c3d4u && magic != 0xa1b23c4du) || pcap_major_version(r->pc) != 2 ||
        pcap_minor_version(r->pc) != 4 || !plain_linktype(pcap_datalink(r->pc), swapped) || r->snaplen > 262144)
        return;
    /* a record cut at the end of a block (at most 16 + snaplen bytes) is
     * copied to just before the next block */
    r->blk.head = 16 + r->snaplen;
    r->blk.buf = malloc(r->blk.head + BLOCK_SIZE);
    r->blk.spare = malloc(r->blk.head + BLOCK_SIZE);
    if (!r->blk.buf || !r->blk.spare) {
        free(r->blk.buf);
        free(r->blk.spare);
        r->blk.buf = r->blk.spare = NULL;
        return;
    }
    r->blk.on = true;
    r->blk.swapped = swapped;
    r->blk.nano = magic == 0xa1b23c4du;
    r->blk.fd = fd;
    r->blk.dlt = pcap_datalink(r->pc);
    r->blk.buf_off = 24;
    r->blk.next_off = 24;
    if (st.st_size >= (off_t)PREFETCH_MIN_FILE && (r->blk.pf = prefetch_start(fd)) != NULL)
        prefetch_ask(r->blk.pf, r->blk.spare + r->blk.head, r->blk.next_off);
}

static void block_free(pa_reader *r) {
    prefetch_stop(r->blk.pf);
    r->blk.pf = NULL;
    free(r->blk.buf);
    free(r->blk.spare);
    r->blk.buf = r->blk.spare = NULL;
    r->blk.on = false;
}

/* libpcap from the record at the current offset on. */
static void block_stop(pa_reader *r) {
    uint64_t off = r->blk.buf_off + r->blk.pos;
    block_free(r);
    if (fseeko(pcap_file(r->pc), (off_t)off, SEEK_SET) != 0) {
        r->damaged = true;
        r->error_offset = off;
        snprintf(r->error, sizeof r->error, "cannot seek in the file");
    }
}

/* The next block, behind what is left of this one; false at the end of the
 * file or on a read error (libpcap then reads from here and says which). */
static bool block_refill(pa_reader *r) {
    uint8_t *dst = r->blk.spare + r->blk.head;
    ssize_t k = r->blk.pf ? prefetch_wait(r->blk.pf) : pread(r->blk.fd, dst, BLOCK_SIZE, (off_t)r->blk.next_off);
    if (k <= 0) return false;
    size_t left = r->blk.have - r->blk.pos;
    memcpy(dst - left, r->blk.buf + r->blk.pos, left);
    uint8_t *old = r->blk.buf;
    r->blk.buf = r->blk.spare;
    r->blk.spare = old;
    r->blk.buf_off = r->blk.next_off - r->blk.head;
    r->blk.pos = r->blk.head - left;
    r->blk.have = r->blk.head + (size_t)k;
    r->blk.next_off += (uint64_t)k;
    if (r->blk.pf) prefetch_ask(r->blk.pf, r->blk.spare + r->blk.head, r->blk.next_off);
    return true;
}

/* 1: a frame from the block; 0: hand over to libpcap. */
static int block_next(pa_reader *r, pa_frame *f) {
    for (int refill = 0; refill < 2; refill++) {
        size_t left = r->blk.have - r->blk.pos;
        const uint8_t *h = r->blk.buf + r->blk.pos;
        if (left >= 16) {
            uint32_t caplen = rd32(h + 8, r->blk.swapped);
            if (caplen > r->snaplen) return 0; /* libpcap salvages or refuses it */
            if (left >= 16 + (size_t)caplen) {
                /* the arithmetic of libpcap's 32-bit on-disk fields, so odd
                 * fractions give the same times as through libpcap */
                int32_t sec = (int32_t)rd32(h, r->blk.swapped);
                uint32_t frac = rd32(h + 4, r->blk.swapped);
                int32_t ns = r->blk.nano ? (int32_t)frac : (int32_t)(frac * 1000u);
                uint32_t len = rd32(h + 12, r->blk.swapped);
                f->ts_ns = (int64_t)sec * 1000000000ll + ns;
                f->caplen = caplen;
                f->len = len < caplen ? caplen : len;
                f->linktype = r->blk.dlt;
                f->data = h + 16;
                r->blk.pos += 16 + (size_t)caplen;
                return 1;
            }
        }
        if (refill || !block_refill(r)) break;
    }
    return 0; /* the end, or a cut record: libpcap says which */
}

pa_status pa_reader_open(pa_reader *r, int fd, const pa_capfmt *fmt, const char *bpf, char *err, size_t errlen) {
    memset(r, 0, sizeof *r);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        snprintf(err, errlen, "cannot read the file");
        return PA_NOMEM;
    }
    if (bpf && *bpf) snprintf(r->bpf, sizeof r->bpf, "%s", bpf);
    int first_lt;
    if (fmt->kind == PA_CAPFMT_PCAPNG) {
        r->is_ng = true;
        if (!pa_pcapng_open(&r->ng, f)) {
            snprintf(err, errlen, "not a readable pcapng file: %s", r->ng.error);
            pa_pcapng_close(&r->ng);
            return PA_NOT_CAPTURE;
        }
        first_lt = linktype_to_dlt(r->ng.first_linktype >= 0 ? r->ng.first_linktype : 1);
    } else {
        char ebuf[PCAP_ERRBUF_SIZE] = "";
        r->pc = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, ebuf);
        if (!r->pc) {
            fclose(f);
            snprintf(err, errlen, "libpcap cannot read it: %s", ebuf);
            return PA_NOT_CAPTURE;
        }
        r->snaplen = (uint32_t)pcap_snapshot(r->pc);
        first_lt = pcap_datalink(r->pc);
        block_start(r, fd);
    }
    /* Check the filter now, against the first link type, so a typo is an
     * error before any reading rather than a silent "nothing matched". */
    if (r->bpf[0]) {
        pcap_t *dead = pcap_open_dead(first_lt, 262144);
        struct bpf_program p;
        if (!dead || pcap_compile(dead, &p, r->bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
            snprintf(err, errlen, "invalid BPF filter '%s': %s", r->bpf, dead ? pcap_geterr(dead) : "cannot compile");
            if (dead) pcap_close(dead);
            pa_reader_close(r);
            return PA_BAD_FILTER;
        }
        pcap_freecode(&p);
        pcap_close(dead);
    }
    return PA_OK;
}

static int raw_next(pa_reader *r, pa_frame *f) {
    if (r->is_ng) {
        pa_pcapng_pkt k;
        int rc = pa_pcapng_next(&r->ng, &k);
        if (rc == 1) {
            if (!r->snaplen) r->snaplen = r->ng.first_snaplen;
            f->ts_ns = k.ts_ns;
            f->caplen = k.caplen;
            f->len = k.len;
            f->linktype = linktype_to_dlt(k.linktype);
            f->data = k.data;
            return 1;
        }
        if (rc < 0) {
            r->damaged = true;
            r->error_offset = r->ng.offset;
            snprintf(r->error, sizeof r->error, "%s", r->ng.error);
        }
        return 0;
    }
    if (r->blk.on) {
        if (block_next(r, f) == 1) return 1;
        block_stop(r);
        if (r->damaged) return 0;
    }
    struct pcap_pkthdr *h;
    const u_char *data;
    int rc = pcap_next_ex(r->pc, &h, &data);
    if (rc == 1) {
        f->ts_ns = (int64_t)h->ts.tv_sec * 1000000000ll + h->ts.tv_usec; /* ns precision */
        f->caplen = h->caplen;
        f->len = h->len < h->caplen ? h->caplen : h->len;
        f->linktype = pcap_datalink(r->pc);
        f->data = data;
        return 1;
    }
    if (rc == PCAP_ERROR) {
        /* A file cut short or corrupt: what came before stays valid. */
        r->damaged = true;
        r->error_offset = pa_reader_offset(r);
        snprintf(r->error, sizeof r->error, "%s", pcap_geterr(r->pc));
    }
    return 0;
}

int pa_reader_next(pa_reader *r, pa_frame *f, uint64_t *filtered_out) {
    while (raw_next(r, f) == 1) {
        r->frame_no++;
        if (r->bpf[0]) {
            struct bpf_program *p = prog_for(r, f->linktype);
            struct pcap_pkthdr h = {.caplen = f->caplen, .len = f->len};
            /* A link type the filter cannot apply to matches nothing. */
            if (!p || !pcap_offline_filter(p, &h, f->data)) {
                if (filtered_out) (*filtered_out)++;
                continue;
            }
        }
        return 1;
    }
    return 0;
}

uint64_t pa_reader_offset(const pa_reader *r) {
    if (r->is_ng) return r->ng.offset;
    if (r->blk.on) return r->blk.buf_off + r->blk.pos;
    off_t o = ftello(pcap_file(r->pc));
    return o > 0 ? (uint64_t)o : 0;
}

void pa_reader_close(pa_reader *r) {
    for (int i = 0; i < r->nprogs; i++)
        if (r->progs[i].ok) pcap_freecode(&r->progs[i].prog);
    r->nprogs = 0;
    block_free(r);
    if (r->pc) pcap_close(r->pc);
    r->pc = NULL;
    if (r->is_ng) pa_pcapng_close(&r->ng);
    r->is_ng = false;
}
