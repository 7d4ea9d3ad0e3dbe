#include "capture_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* pcapng stores LINKTYPE_ values; libpcap and the decoders use DLT_ values.
 * They differ for raw IP (and for types we do not decode). */
static int linktype_to_dlt(int lt) {
    return lt == 101 ? DLT_RAW : lt;
}

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

pa_engine_status pa_reader_open(pa_reader *r, int fd, const pa_capfmt *fmt, const char *bpf,
                                char *err, size_t errlen) {
    memset(r, 0, sizeof *r);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        snprintf(err, errlen, "cannot read the file");
        return PA_ENGINE_NOMEM;
    }
    if (bpf && *bpf) snprintf(r->bpf, sizeof r->bpf, "%s", bpf);
    int first_lt;
    if (fmt->kind == PA_CAPFMT_PCAPNG) {
        r->is_ng = true;
        if (!pa_pcapng_open(&r->ng, f)) {
            snprintf(err, errlen, "not a readable pcapng file: %s", r->ng.error);
            pa_pcapng_close(&r->ng);
            return PA_ENGINE_NOT_CAPTURE;
        }
        first_lt = linktype_to_dlt(r->ng.first_linktype >= 0 ? r->ng.first_linktype : 1);
    } else {
        char ebuf[PCAP_ERRBUF_SIZE] = "";
        r->pc = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, ebuf);
        if (!r->pc) {
            fclose(f);
            snprintf(err, errlen, "libpcap cannot read it: %s", ebuf);
            return PA_ENGINE_NOT_CAPTURE;
        }
        r->snaplen = (uint32_t)pcap_snapshot(r->pc);
        first_lt = pcap_datalink(r->pc);
    }
    /* Check the filter now, against the first link type, so a typo is an
     * error before any reading rather than a silent "nothing matched". */
    if (r->bpf[0]) {
        pcap_t *dead = pcap_open_dead(first_lt, 262144);
        struct bpf_program p;
        if (!dead || pcap_compile(dead, &p, r->bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
            snprintf(err, errlen, "invalid BPF filter '%s': %s", r->bpf,
                     dead ? pcap_geterr(dead) : "cannot compile");
            if (dead) pcap_close(dead);
            pa_reader_close(r);
            return PA_ENGINE_BAD_FILTER;
        }
        pcap_freecode(&p);
        pcap_close(dead);
    }
    return PA_ENGINE_OK;
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
    off_t o = ftello(pcap_file(r->pc));
    return o > 0 ? (uint64_t)o : 0;
}

void pa_reader_close(pa_reader *r) {
    for (int i = 0; i < r->nprogs; i++)
        if (r->progs[i].ok) pcap_freecode(&r->progs[i].prog);
    r->nprogs = 0;
    if (r->pc) pcap_close(r->pc);
    r->pc = NULL;
    if (r->is_ng) pa_pcapng_close(&r->ng);
    r->is_ng = false;
}
