#include "capture.h"
#include "capture_file.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "storage_path.h"

const char *pa_cap_stop_name(pa_cap_stop s) {
    static const char *const n[] = {"", "duration", "size", "count", "user", "shutdown", "error", "files"};
    return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "unknown";
}

static int64_t now_ns(clockid_t clk) {
    struct timespec t;
    clock_gettime(clk, &t);
    return (int64_t)t.tv_sec * 1000000000ll + t.tv_nsec;
}

/* ---- interfaces -------------------------------------------------------------- */

/* The link type libpcap will use, from the interface's hardware type
 * (SIOCGIFHWADDR gives its ARPHRD_* value). */
static int if_linktype(const char *name) {
    if (strcmp(name, "any") == 0) return DLT_LINUX_SLL;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    if (strlen(name) >= sizeof ifr.ifr_name) return -1;
    memcpy(ifr.ifr_name, name, strlen(name));
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return -1;
    int rc = ioctl(s, SIOCGIFHWADDR, &ifr);
    close(s);
    if (rc != 0) return -1;
    switch (ifr.ifr_hwaddr.sa_family) { /* ARPHRD_* -> the DLT libpcap uses for it */
    case 1:
    case 772: return DLT_EN10MB;    /* Ethernet, loopback */
    case 65534: return DLT_RAW;     /* tun, no link header */
    case 512: return DLT_LINUX_SLL; /* PPP */
    case 801:
    case 803: return DLT_IEEE802_11_RADIO;
    default: return -1;
    }
}

int pa_cap_interfaces(pa_cap_if *out, int max, char *err, size_t errlen) {
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    pcap_if_t *all = NULL;
    if (pcap_findalldevs(&all, ebuf) != 0) {
        snprintf(err, errlen, "cannot list interfaces: %s", ebuf);
        return -1;
    }
    int n = 0;
    for (pcap_if_t *d = all; d && n < max; d = d->next) {
        pa_cap_if *o = &out[n++];
        memset(o, 0, sizeof *o);
        snprintf(o->name, sizeof o->name, "%s", d->name);
        snprintf(o->description, sizeof o->description, "%s", d->description ? d->description : "");
        o->up = d->flags & PCAP_IF_UP;
        o->running = d->flags & PCAP_IF_RUNNING;
        o->loopback = d->flags & PCAP_IF_LOOPBACK;
        o->wireless = d->flags & PCAP_IF_WIRELESS;
        o->linktype = if_linktype(d->name);
        for (pcap_addr_t *a = d->addresses; a; a = a->next) {
            if (!a->addr) continue;
            if (a->addr->sa_family == AF_PACKET) {
                const struct sockaddr_ll *ll = (const struct sockaddr_ll *)(const void *)a->addr;
                if (ll->sll_halen == 6)
                    snprintf(o->mac, sizeof o->mac, "%02x:%02x:%02x:%02x:%02x:%02x", ll->sll_addr[0], ll->sll_addr[1],
                             ll->sll_addr[2], ll->sll_addr[3], ll->sll_addr[4], ll->sll_addr[5]);
                continue;
            }
            if (o->naddrs >= PA_CAP_IF_ADDRS) continue;
            pa_cap_ifaddr *x = &o->addrs[o->naddrs];
            if (a->addr->sa_family == AF_INET) {
                x->family = 4;
                inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)a->addr)->sin_addr, x->addr,
                          sizeof x->addr);
                if (a->netmask)
                    inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)a->netmask)->sin_addr, x->netmask,
                              sizeof x->netmask);
            } else if (a->addr->sa_family == AF_INET6) {
                x->family = 6;
                inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)a->addr)->sin6_addr, x->addr,
                          sizeof x->addr);
                if (a->netmask)
                    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)a->netmask)->sin6_addr, x->netmask,
                              sizeof x->netmask);
            } else {
                continue;
            }
            o->naddrs++;
        }
    }
    pcap_freealldevs(all);
    return n;
}

/* ---- a capture ---------------------------------------------------------------- */

#define WRITE_BUFFER (256u * 1024) /* stdio buffer per file: few, large write() calls */
#define DRAIN_NS 150000000ll       /* after a stop: longer than the 100 ms block timeout */

typedef struct capture {
    /* guarded by the manager's lock */
    pa_cap_status st;
    pa_cap_fileinfo files[PA_CAP_MAX_FILES]; /* kept, oldest first; the last is open while running */
    size_t nfiles;
    pa_cap_stop want; /* why stop was asked */
    /* the capture thread's own */
    pcap_t *pc;
    FILE *f;
    char *fbuf;
    pa_cap_stop halt; /* set by a limit or an error inside the packet callback */
    char halt_error[sizeof((pa_cap_status *)0)->error];
    uint64_t packets, disk_bytes;    /* all files */
    uint64_t cur_packets, cur_bytes; /* the open file */
    uint64_t header_bytes;           /* what opening a file writes */
    uint64_t ps_recv, ps_drop, ps_ifdrop;
    int64_t file_started_mono;
    char stem[PA_CAP_NAME_MAX + 1]; /* output name without its extension (rotation) */
    bool overwrite;
    atomic_bool stop;
    pthread_t thread;
    pthread_mutex_t join_lock; /* one caller joins the thread; others wait for it */
    bool joined;
    int64_t deadline_mono;
    pa_capmgr *m;
} capture;

struct pa_capmgr {
    char storage[4096];
    uint64_t max_bytes;
    int max_duration_s;
    pthread_mutex_t lock;
    capture *caps[PA_CAP_MAX];
    size_t ncaps;
    unsigned seq;
};

static pa_capfile writer(capture *c, FILE *f) { return (pa_capfile){f, c->st.pcapng, false, 0}; }

static size_t record_size(capture *c, uint32_t caplen) {
    pa_capfile w = writer(c, NULL);
    return pa_capfile_record_size(&w, caplen);
}

/* Bytes kept free in every file for what closing it appends (pcapng statistics). */
static uint64_t close_reserve(const capture *c) { return c->st.pcapng ? PA_CAPFILE_ISB_SIZE : 0; }

static void read_stats(capture *c) {
    struct pcap_stat ps;
    if (pcap_stats(c->pc, &ps) != 0) return;
    c->ps_recv = ps.ps_recv;
    c->ps_drop = ps.ps_drop;
    c->ps_ifdrop = ps.ps_ifdrop;
}

/* Copies the thread's counters into the status others read. */
static void publish(capture *c) {
    pthread_mutex_lock(&c->m->lock);
    c->st.packets = c->packets;
    c->st.bytes = c->disk_bytes;
    c->st.received = c->ps_recv;
    c->st.kernel_drops = c->ps_drop;
    c->st.interface_drops = c->ps_ifdrop;
    if (c->nfiles) {
        c->files[c->nfiles - 1].packets = c->cur_packets;
        c->files[c->nfiles - 1].bytes = c->cur_bytes;
    }
    pthread_mutex_unlock(&c->m->lock);
}

/* A write failed: the capture ends with the system's reason. */
static void write_failed(capture *c) {
    c->halt = PA_CAP_STOP_ERROR;
    snprintf(c->halt_error, sizeof c->halt_error, "writing '%s': %s", c->st.file, strerror(errno));
}

/* Name of the n-th file of a rotating capture: stem_NNNNN_YYYYmmddHHMMSS.ext
 * (local time, as dumpcap names its ring files). */
static void ring_name(const capture *c, unsigned n, char *out, size_t len) {
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
    snprintf(out, len, "%.200s_%05u_%s%s", c->stem, n, stamp, c->st.pcapng ? ".pcapng" : ".pcap");
}

/* Creates and starts the next file (the first one too); under no lock. */
static bool open_file(capture *c, const char *name, char *err, size_t errlen) {
    bool exists = false;
    int fd = pa_storage_create(c->m->storage, name, c->overwrite, &exists, err, errlen);
    if (fd < 0) {
        if (exists)
            snprintf(err, errlen,
                     "output_file '%s' already exists in the storage directory: pass overwrite: true "
                     "to replace it, or choose another name",
                     name);
        return false;
    }
    c->f = fdopen(fd, "wb");
    if (!c->f) {
        snprintf(err, errlen, "cannot write '%s': %s", name, strerror(errno));
        close(fd);
        return false;
    }
    if (c->fbuf) setvbuf(c->f, c->fbuf, _IOFBF, WRITE_BUFFER);
    pa_capfile w = writer(c, c->f);
    pa_capfile_iface ifc = {c->st.interface, c->st.filter, "Linux"};
    if (!pa_capfile_header_live(&w, c->st.linktype, c->st.snaplen, &ifc) || fflush(c->f) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", name, strerror(errno));
        fclose(c->f);
        c->f = NULL;
        return false;
    }
    c->cur_packets = 0;
    c->cur_bytes = c->header_bytes = w.bytes;
    c->disk_bytes += w.bytes;
    c->file_started_mono = now_ns(CLOCK_MONOTONIC);
    pthread_mutex_lock(&c->m->lock);
    pa_cap_fileinfo *fi = &c->files[c->nfiles++];
    snprintf(fi->name, sizeof fi->name, "%s", name);
    fi->packets = 0;
    fi->bytes = w.bytes;
    snprintf(c->st.file, sizeof c->st.file, "%s", name);
    c->st.files_made++;
    c->st.files_kept = (unsigned)c->nfiles;
    c->st.bytes = c->disk_bytes;
    pthread_mutex_unlock(&c->m->lock);
    return true;
}

/* Ends the open file: the statistics block (pcapng), flush, close; durable
 * (fsync) when it is the capture's last file. */
static bool close_file(capture *c, bool last) {
    bool ok = true;
    if (c->st.pcapng) {
        read_stats(c);
        pa_capfile w = writer(c, c->f);
        int64_t now = now_ns(CLOCK_REALTIME);
        pa_capfile_stats s = {now,        c->st.started_ns, now, c->ps_recv, c->ps_drop + c->ps_ifdrop,
                              c->ps_drop, c->packets};
        ok = pa_capfile_stats_block(&w, &s);
        c->cur_bytes += w.bytes;
        c->disk_bytes += w.bytes;
    }
    ok = fflush(c->f) == 0 && ok;
    if (last) fsync(fileno(c->f));
    ok = fclose(c->f) == 0 && ok;
    c->f = NULL;
    publish(c);
    return ok;
}

/* Deletes the oldest kept file (ring buffers, and the bound on disk). */
static bool drop_oldest(capture *c) {
    char err[256];
    pthread_mutex_lock(&c->m->lock);
    pa_cap_fileinfo old = c->files[0];
    memmove(&c->files[0], &c->files[1], (c->nfiles - 1) * sizeof c->files[0]);
    c->nfiles--;
    c->st.files_deleted++;
    c->st.files_kept = (unsigned)c->nfiles;
    pthread_mutex_unlock(&c->m->lock);
    c->disk_bytes -= old.bytes < c->disk_bytes ? old.bytes : c->disk_bytes;
    if (pa_storage_remove(c->m->storage, old.name, err, sizeof err) != 0) {
        c->halt = PA_CAP_STOP_ERROR;
        snprintf(c->halt_error, sizeof c->halt_error, "ring buffer: %s", err);
        return false;
    }
    return true;
}

/* Closes the open file and starts the next one, deleting the oldest beyond
 * ring_files. Without a ring the next file must fit under MAX_CAPTURE_SIZE
 * with what closing this one appends; a ring makes room by deleting. */
static bool rotate(capture *c) {
    uint64_t reserve = close_reserve(c);
    if (!c->st.ring_files && c->nfiles >= PA_CAP_MAX_FILES) {
        c->halt = PA_CAP_STOP_FILES;
        return false;
    }
    if (!c->st.ring_files && c->disk_bytes + 2 * reserve + c->header_bytes > c->st.size_limit) {
        c->halt = PA_CAP_STOP_SIZE;
        return false;
    }
    if (!close_file(c, false)) {
        write_failed(c);
        return false;
    }
    if (c->st.ring_files && c->nfiles >= (size_t)c->st.ring_files && !drop_oldest(c)) return false;
    char name[PA_CAP_NAME_MAX + 1], err[512];
    ring_name(c, c->st.files_made + 1, name, sizeof name);
    if (!open_file(c, name, err, sizeof err)) {
        c->halt = PA_CAP_STOP_ERROR;
        snprintf(c->halt_error, sizeof c->halt_error, "ring buffer: %s", err);
        return false;
    }
    while (c->nfiles > 1 && c->disk_bytes + reserve > c->st.size_limit)
        if (!drop_oldest(c)) return false;
    return true;
}

/* Makes room for need more bytes: a new file when the open one would pass
 * file_size, and under MAX_CAPTURE_SIZE for everything kept (a ring deletes
 * its oldest files; otherwise the capture ends with reason size). */
static bool make_room(capture *c, uint64_t need) {
    uint64_t reserve = close_reserve(c);
    if (c->st.file_size && c->cur_packets && c->cur_bytes + need + reserve > c->st.file_size && !rotate(c))
        return false;
    while (c->disk_bytes + need + reserve > c->st.size_limit) {
        if (!c->st.ring_files || c->halt) {
            if (!c->halt) c->halt = PA_CAP_STOP_SIZE;
            return false;
        }
        if (c->nfiles > 1) {
            if (!drop_oldest(c)) return false;
        } else if (c->cur_packets) {
            if (!rotate(c)) return false; /* the ring then deletes the full file */
        } else {
            c->halt = PA_CAP_STOP_SIZE; /* one packet larger than the whole bound */
            return false;
        }
    }
    return true;
}

static void on_packet(u_char *ud, const struct pcap_pkthdr *h, const u_char *data) {
    capture *c = (capture *)(void *)ud;
    if (c->halt) return;
    size_t need = record_size(c, h->caplen);
    if (make_room(c, need)) {
        pa_capfile w = writer(c, c->f);
        int64_t ns = (int64_t)h->ts.tv_sec * 1000000000ll + (int64_t)h->ts.tv_usec * 1000ll;
        if (!pa_capfile_record(&w, ns, data, h->caplen, h->len)) {
            write_failed(c);
        } else {
            c->cur_bytes += need;
            c->disk_bytes += need;
            c->cur_packets++;
            c->packets++;
            if (c->st.packet_limit && c->packets >= c->st.packet_limit) c->halt = PA_CAP_STOP_COUNT;
        }
    }
    if (c->halt) pcap_breakloop(c->pc);
}

/* One read of what the kernel has handed over; false on a capture error. */
static bool dispatch(capture *c) {
    int r = pcap_dispatch(c->pc, -1, on_packet, (u_char *)(void *)c);
    if (r != PCAP_ERROR) return true;
    snprintf(c->halt_error, sizeof c->halt_error, "capture failed: %s", pcap_geterr(c->pc));
    c->halt = PA_CAP_STOP_ERROR;
    return false;
}

static void *run(void *arg) {
    capture *c = arg;
    pa_capmgr *m = c->m;
    struct pollfd pfd = {.fd = pcap_get_selectable_fd(c->pc), .events = POLLIN};
    int64_t last_flush = now_ns(CLOCK_MONOTONIC), last_stats = last_flush;
    int64_t file_ns = (int64_t)c->st.file_duration_s * 1000000000ll;
    pa_cap_stop why = PA_CAP_STOP_NONE;
    while (!atomic_load(&c->stop) && !c->halt) {
        int64_t now = now_ns(CLOCK_MONOTONIC);
        if (now >= c->deadline_mono) {
            why = PA_CAP_STOP_DURATION;
            break;
        }
        if (pfd.fd >= 0)
            (void)poll(&pfd, 1, 100);
        else
            usleep(10000);
        if (!dispatch(c)) break;
        now = now_ns(CLOCK_MONOTONIC);
        if (file_ns && !c->halt && now - c->file_started_mono >= file_ns) (void)rotate(c);
        if (now - last_stats >= PA_CAP_STATS_NS) {
            read_stats(c); /* this thread owns the handle */
            publish(c);
            last_stats = now;
        }
        if (now - last_flush >= PA_CAP_FLUSH_NS && c->f) { /* a crash loses at most about a second */
            if (fflush(c->f) != 0) write_failed(c);
            last_flush = now;
        }
    }
    /* What the kernel holds was captured before the stop: write it too. A
     * block is handed over when full or after the 100 ms timeout, so read
     * for a little longer than that (not after a limit or an error). */
    if (!c->halt) {
        int64_t until = now_ns(CLOCK_MONOTONIC) + DRAIN_NS;
        while (!c->halt && now_ns(CLOCK_MONOTONIC) < until) {
            if (pfd.fd >= 0)
                (void)poll(&pfd, 1, 20);
            else
                usleep(10000);
            if (!dispatch(c)) break;
        }
    }
    if (c->halt) why = c->halt;
    read_stats(c);
    if (c->f && !close_file(c, true) && why != PA_CAP_STOP_ERROR) {
        why = PA_CAP_STOP_ERROR;
        write_failed(c);
    }
    publish(c);
    pthread_mutex_lock(&m->lock);
    if (why == PA_CAP_STOP_NONE) why = c->want == PA_CAP_STOP_NONE ? PA_CAP_STOP_USER : c->want;
    if (why == PA_CAP_STOP_ERROR) snprintf(c->st.error, sizeof c->st.error, "%s", c->halt_error);
    c->st.state = PA_CAP_STOPPED;
    c->st.stop_reason = why;
    c->st.ended_ns = now_ns(CLOCK_REALTIME);
    pthread_mutex_unlock(&m->lock);
    pcap_close(c->pc);
    c->pc = NULL;
    free(c->fbuf);
    c->fbuf = NULL;
    return NULL;
}

/* ---- the manager ---------------------------------------------------------------------- */

pa_capmgr *pa_capmgr_new(const char *storage_dir, uint64_t max_bytes, int max_duration_s) {
    pa_capmgr *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    snprintf(m->storage, sizeof m->storage, "%s", storage_dir);
    m->max_bytes = max_bytes;
    m->max_duration_s = max_duration_s;
    pthread_mutex_init(&m->lock, NULL);
    return m;
}

static void join(capture *c) {
    pthread_mutex_lock(&c->join_lock);
    if (!c->joined) {
        pthread_join(c->thread, NULL);
        c->joined = true;
    }
    pthread_mutex_unlock(&c->join_lock);
}

void pa_capmgr_free(pa_capmgr *m) {
    if (!m) return;
    for (size_t i = 0; i < m->ncaps; i++) {
        capture *c = m->caps[i];
        pthread_mutex_lock(&m->lock);
        if (c->st.state == PA_CAP_RUNNING && c->want == PA_CAP_STOP_NONE) c->want = PA_CAP_STOP_SHUTDOWN;
        pthread_mutex_unlock(&m->lock);
        atomic_store(&c->stop, true);
        join(c);
        pthread_mutex_destroy(&c->join_lock);
        free(c);
    }
    pthread_mutex_destroy(&m->lock);
    free(m);
}

/* Output names: letters, digits, '.', '_' and '-', ending .pcap or .pcapng
 * (.pcap is added when there is no extension); no directories. */
int pa_cap_output_name(const char *want, const char *iface, unsigned seq, char *out, size_t n, bool *pcapng, char *err,
                       size_t errlen) {
    if (!want || !*want) {
        char stamp[32];
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(stamp, sizeof stamp, "%Y%m%d_%H%M%S", &tm);
        char safe[64];
        size_t k = 0;
        for (const char *p = iface; *p && k < sizeof safe - 1; p++)
            safe[k++] =
                (char)((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ? *p : '_');
        safe[k] = '\0';
        snprintf(out, n, "capture_%s_%s_%u.pcap", safe, stamp, seq);
        *pcapng = false;
        return 0;
    }
    size_t len = strlen(want);
    bool ok = len > 0 && len <= 200 && want[0] != '.' && want[0] != '-';
    for (size_t i = 0; ok && i < len; i++) {
        char ch = want[i];
        ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
             ch == '_' || ch == '-';
    }
    const char *dot = strrchr(want, '.');
    if (ok && dot && strcmp(dot, ".pcap") != 0 && strcmp(dot, ".pcapng") != 0) ok = false;
    if (!ok) {
        snprintf(err, errlen,
                 "output_file '%.200s' is not accepted; accepted: a file name of at most 200 letters, digits, "
                 "'.', '_' and '-' (no directories, not starting with '.' or '-'), ending in .pcap or .pcapng "
                 "(.pcap is added when there is no extension), e.g. 'web_debug.pcapng'",
                 want);
        return -1;
    }
    *pcapng = dot && strcmp(dot, ".pcapng") == 0;
    snprintf(out, n, "%s%s", want, dot ? "" : ".pcap");
    return 0;
}

static capture *find(pa_capmgr *m, const char *id) {
    for (size_t i = 0; i < m->ncaps; i++)
        if (strcmp(m->caps[i]->st.id, id) == 0) return m->caps[i];
    return NULL;
}

/* Rotation arguments against each other and against MAX_CAPTURE_SIZE. */
static bool check_rotation(const pa_capmgr *m, const pa_cap_request *req, char *err, size_t errlen) {
    if (req->ring_files && !req->file_size && !req->file_duration_s) {
        snprintf(err, errlen,
                 "ring_files needs file_size or file_duration: they say when the next file starts "
                 "(e.g. file_size '10MB' with ring_files 5 keeps the last 50 MB)");
        return false;
    }
    if (req->ring_files && (req->ring_files < 2 || req->ring_files > PA_CAP_MAX_FILES)) {
        snprintf(err, errlen, "ring_files %d is not accepted; accepted: 2 to %d files", req->ring_files,
                 PA_CAP_MAX_FILES);
        return false;
    }
    if (req->file_size && (req->file_size < PA_CAP_MIN_FILE_SIZE || req->file_size > m->max_bytes)) {
        snprintf(err, errlen,
                 "file_size %llu bytes is not accepted; accepted: from 64KB to this server's MAX_CAPTURE_SIZE "
                 "(%llu bytes), which bounds all the files of a capture together",
                 (unsigned long long)req->file_size, (unsigned long long)m->max_bytes);
        return false;
    }
    if (req->file_duration_s < 0 || req->file_duration_s > 86400) {
        snprintf(err, errlen, "file_duration %d is not accepted; accepted: 1 to 86400 seconds", req->file_duration_s);
        return false;
    }
    return true;
}

/* Opens the interface with the kernel ring sized for bursts and the filter
 * applied; on failure closes it and says why in err. */
static pcap_t *open_interface(const pa_cap_request *req, pa_cap_status *st, char *err, size_t errlen) {
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *pc = pcap_create(req->interface, ebuf);
    if (!pc) {
        snprintf(err, errlen, "cannot open interface '%s': %s", req->interface, ebuf);
        return NULL;
    }
    pcap_set_snaplen(pc, st->snaplen);
    pcap_set_promisc(pc, 1);
    /* No immediate mode: the kernel fills blocks of its ring (TPACKET_V3)
     * and hands one over when full or after the timeout, so a burst waits in
     * a large ring instead of waking this thread once per packet. */
    pcap_set_timeout(pc, 100);
    if (req->buffer_bytes) pcap_set_buffer_size(pc, (int)req->buffer_bytes);
    int rc = pcap_activate(pc);
    if (rc < 0) {
        if (rc == PCAP_ERROR_PERM_DENIED)
            snprintf(err, errlen,
                     "no permission to capture on '%s' (%s); capturing needs CAP_NET_RAW and CAP_NET_ADMIN: run "
                     "the server as root, or grant them once with: sudo setcap cap_net_raw,cap_net_admin=eip "
                     "$(command -v pcap-analyzer-mcp-server)",
                     req->interface, pcap_geterr(pc));
        else
            snprintf(err, errlen, "cannot capture on '%s': %s", req->interface, pcap_geterr(pc));
        pcap_close(pc);
        return NULL;
    }
    st->linktype = pcap_datalink(pc);
    if (st->filter[0]) {
        struct bpf_program prog;
        if (pcap_compile(pc, &prog, st->filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
            snprintf(err, errlen,
                     "capture_filter '%.200s' is not a valid BPF filter: %s; accepted: tcpdump syntax, e.g. "
                     "'tcp port 443', 'host 10.0.0.5 and (udp or icmp)'",
                     st->filter, pcap_geterr(pc));
            pcap_close(pc);
            return NULL;
        }
        int sf = pcap_setfilter(pc, &prog);
        pcap_freecode(&prog);
        if (sf != 0) {
            snprintf(err, errlen, "cannot apply capture_filter: %s", pcap_geterr(pc));
            pcap_close(pc);
            return NULL;
        }
    }
    pcap_setnonblock(pc, 1, ebuf);
    return pc;
}

static void discard(capture *c) {
    if (c->f) fclose(c->f);
    if (c->pc) pcap_close(c->pc);
    pthread_mutex_destroy(&c->join_lock);
    free(c->fbuf);
    free(c);
}

int pa_capmgr_start(pa_capmgr *m, const pa_cap_request *req, pa_cap_status *out, char *err, size_t errlen) {
    /* the interface must be one libpcap knows */
    pa_cap_if *ifs = calloc(256, sizeof *ifs);
    if (!ifs) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int nifs = pa_cap_interfaces(ifs, 256, err, errlen);
    bool known = false;
    for (int i = 0; i < nifs; i++) known = known || strcmp(ifs[i].name, req->interface) == 0;
    if (nifs >= 0 && !known) {
        size_t k = (size_t)snprintf(err, errlen,
                                    "unknown interface '%.64s'; accepted (list_network_interfaces):", req->interface);
        for (int i = 0; i < nifs && k < errlen; i++)
            k += (size_t)snprintf(err + k, errlen - k, "%s %s", i ? "," : "", ifs[i].name);
    }
    free(ifs);
    if (nifs < 0 || !known || !check_rotation(m, req, err, errlen)) return -1;

    pthread_mutex_lock(&m->lock);
    bool full = m->ncaps >= PA_CAP_MAX;
    unsigned seq = ++m->seq;
    pthread_mutex_unlock(&m->lock);
    if (full) {
        snprintf(err, errlen, "this server has already started %d captures (its limit); restart it for more",
                 PA_CAP_MAX);
        return -1;
    }

    capture *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    c->m = m;
    c->joined = true; /* until the thread exists */
    c->overwrite = req->overwrite;
    pthread_mutex_init(&c->join_lock, NULL);
    pa_cap_status *st = &c->st;
    snprintf(st->interface, sizeof st->interface, "%s", req->interface);
    snprintf(st->filter, sizeof st->filter, "%s", req->filter ? req->filter : "");
    st->duration_s = req->duration_s;
    st->size_limit = m->max_bytes;
    st->packet_limit = req->packet_count;
    st->snaplen = req->snaplen > 0 ? req->snaplen : PA_CAP_DEFAULT_SNAPLEN;
    st->buffer_bytes = req->buffer_bytes;
    st->file_size = req->file_size;
    st->file_duration_s = req->file_duration_s;
    st->ring_files = req->ring_files;
    st->rotating = req->file_size || req->file_duration_s;
    uint32_t rnd = 0;
    if (getrandom(&rnd, sizeof rnd, 0) != sizeof rnd) rnd = (uint32_t)now_ns(CLOCK_REALTIME);
    snprintf(st->id, sizeof st->id, "cap-%u-%08x", seq, rnd);
    char name[PA_CAP_NAME_MAX + 1];
    if (pa_cap_output_name(req->output_file, req->interface, seq, name, sizeof name, &st->pcapng, err, errlen)) {
        discard(c);
        return -1;
    }
    snprintf(c->stem, sizeof c->stem, "%.*s", (int)(strrchr(name, '.') - name), name);
    if (st->rotating) ring_name(c, 1, name, sizeof name);
    if (pa_capmgr_writing(m, name)) {
        snprintf(err, errlen,
                 "output_file '%s' is being written by a running capture: stop it first, or choose "
                 "another name",
                 name);
        discard(c);
        return -1;
    }

    /* open the interface and compile the filter before anything is created */
    c->pc = open_interface(req, st, err, errlen);
    c->fbuf = malloc(WRITE_BUFFER);
    if (!c->pc || !c->fbuf) {
        if (c->pc) snprintf(err, errlen, "out of memory");
        discard(c);
        return -1;
    }
    st->started_ns = now_ns(CLOCK_REALTIME);
    if (!open_file(c, name, err, errlen)) {
        discard(c);
        return -1;
    }
    st->state = PA_CAP_RUNNING;
    c->deadline_mono = now_ns(CLOCK_MONOTONIC) + (int64_t)st->duration_s * 1000000000ll;
    pthread_mutex_lock(&m->lock);
    if (pthread_create(&c->thread, NULL, run, c) != 0) {
        pthread_mutex_unlock(&m->lock);
        snprintf(err, errlen, "cannot start the capture thread");
        discard(c);
        return -1;
    }
    c->joined = false;
    m->caps[m->ncaps++] = c;
    *out = c->st;
    pthread_mutex_unlock(&m->lock);
    return 0;
}

int pa_capmgr_stop(pa_capmgr *m, const char *id, pa_cap_status *out) {
    pthread_mutex_lock(&m->lock);
    capture *c = find(m, id);
    if (c && c->st.state == PA_CAP_RUNNING && c->want == PA_CAP_STOP_NONE) c->want = PA_CAP_STOP_USER;
    pthread_mutex_unlock(&m->lock);
    if (!c) return -1;
    atomic_store(&c->stop, true);
    /* the thread notices within one poll interval; joining here makes the
     * file complete and closed when stop returns */
    join(c);
    pthread_mutex_lock(&m->lock);
    *out = c->st;
    pthread_mutex_unlock(&m->lock);
    return 0;
}

size_t pa_capmgr_list(pa_capmgr *m, pa_cap_status *out, size_t max) {
    pthread_mutex_lock(&m->lock);
    size_t n = m->ncaps < max ? m->ncaps : max;
    for (size_t i = 0; i < n; i++) out[i] = m->caps[i]->st;
    pthread_mutex_unlock(&m->lock);
    return n;
}

size_t pa_capmgr_files(pa_capmgr *m, const char *id, pa_cap_fileinfo *out, size_t max) {
    pthread_mutex_lock(&m->lock);
    capture *c = find(m, id);
    size_t n = c ? (c->nfiles < max ? c->nfiles : max) : 0;
    if (n) memcpy(out, c->files, n * sizeof *out);
    pthread_mutex_unlock(&m->lock);
    return n;
}

bool pa_capmgr_writing(pa_capmgr *m, const char *name) {
    pthread_mutex_lock(&m->lock);
    bool yes = false;
    for (size_t i = 0; i < m->ncaps; i++)
        if (m->caps[i]->st.state == PA_CAP_RUNNING && strcmp(m->caps[i]->st.file, name) == 0) yes = true;
    pthread_mutex_unlock(&m->lock);
    return yes;
}
