#include "capture_reader.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

pa_engine_status pa_reader_open(pa_reader *r, int fd, const char *bpf, char *err, size_t errlen) {
    memset(r, 0, sizeof *r);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        snprintf(err, errlen, "cannot read the file");
        return PA_ENGINE_NOMEM;
    }
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    r->pc = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, ebuf);
    if (!r->pc) {
        fclose(f);
        snprintf(err, errlen, "libpcap cannot read it: %s", ebuf);
        return PA_ENGINE_NOT_CAPTURE;
    }
    if (bpf && *bpf) {
        if (pcap_compile(r->pc, &r->prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
            snprintf(err, errlen, "invalid BPF filter '%s': %s", bpf, pcap_geterr(r->pc));
            pcap_close(r->pc);
            r->pc = NULL;
            return PA_ENGINE_BAD_FILTER;
        }
        r->have_prog = true;
    }
    return PA_ENGINE_OK;
}

int pa_reader_next(pa_reader *r, struct pcap_pkthdr **h, const uint8_t **data,
                   uint64_t *filtered_out) {
    for (;;) {
        int rc = pcap_next_ex(r->pc, h, data);
        if (rc == 1) {
            r->frame_no++;
            if (r->have_prog && !pcap_offline_filter(&r->prog, *h, *data)) {
                if (filtered_out) (*filtered_out)++;
                continue;
            }
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
}

int pa_reader_linktype(const pa_reader *r) { return pcap_datalink(r->pc); }

uint64_t pa_reader_offset(const pa_reader *r) {
    off_t o = ftello(pcap_file(r->pc));
    return o > 0 ? (uint64_t)o : 0;
}

void pa_reader_close(pa_reader *r) {
    if (r->have_prog) pcap_freecode(&r->prog);
    if (r->pc) pcap_close(r->pc);
    r->pc = NULL;
    r->have_prog = false;
}
