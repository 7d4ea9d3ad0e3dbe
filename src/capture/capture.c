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
#include <sys/random.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "storage_path.h"

const char *pa_cap_stop_name(pa_cap_stop s) {
    static const char *const n[] = {"", "duration", "size", "count", "user", "shutdown", "error"};
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
    case 1: case 772: return DLT_EN10MB;   /* Ethernet, loopback */
    case 65534: return DLT_RAW;            /* tun, no link header */
    case 512: return DLT_LINUX_SLL;        /* PPP */
    case 801: case 803: return DLT_IEEE802_11_RADIO;
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
                    snprintf(o->mac, sizeof o->mac, "%02x:%02x:%02x:%02x:%02x:%02x", ll->sll_addr[0],
                             ll->sll_addr[1], ll->sll_addr[2], ll->sll_addr[3], ll->sll_addr[4], ll->sll_addr[5]);
                continue;
            }
            if (o->naddrs >= PA_CAP_IF_ADDRS) continue;
            pa_cap_ifaddr *x = &o->addrs[o->naddrs];
            if (a->addr->sa_family == AF_INET) {
                x->family = 4;
                inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)a->addr)->sin_addr, x->addr,
                          sizeof x->addr);
                if (a->netmask)
                    inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)a->netmask)->sin_addr,
                              x->netmask, sizeof x->netmask);
            } else if (a->addr->sa_family == AF_INET6) {
                x->family = 6;
                inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)a->addr)->sin6_addr, x->addr,
                          sizeof x->addr);
                if (a->netmask)
                    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)a->netmask)->sin6_addr,
                              x->netmask, sizeof x->netmask);
            } else {
                continue;
            }
            o->naddrs++;
        }
    }
    pcap_freealldevs(all);
    return n;
}

/* ---- file writers (classic pcap, microseconds; pcapng with one interface) --- */

typedef struct capture {
    pa_cap_status st;               /* guarded by the manager's lock */
    pcap_t *pc;
    FILE *f;
    atomic_bool stop;
    pa_cap_stop want;               /* why stop was asked */
    pthread_t thread;
    pthread_mutex_t join_lock;      /* one caller joins the thread; others wait for it */
    bool joined;
    int64_t deadline_mono;
    int64_t last_flush;
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

static bool write_header(capture *c) {
    pa_capfile w = {c->f, c->st.pcapng, false, 0};
    bool ok = pa_capfile_header(&w, c->st.linktype, c->st.snaplen, c->st.interface);
    c->st.bytes = w.bytes;
    return ok;
}

static size_t record_size(const capture *c, uint32_t caplen) {
    pa_capfile w = {NULL, c->st.pcapng, false, 0};
    return pa_capfile_record_size(&w, caplen);
}

static bool write_record(capture *c, const struct pcap_pkthdr *h, const uint8_t *data) {
    pa_capfile w = {c->f, c->st.pcapng, false, 0};
    int64_t ns = (int64_t)h->ts.tv_sec * 1000000000ll + (int64_t)h->ts.tv_usec * 1000ll;
    return pa_capfile_record(&w, ns, data, h->caplen, h->len);
}

/* ---- the capture thread ---------------------------------------------------------- */

static void on_packet(u_char *ud, const struct pcap_pkthdr *h, const u_char *data) {
    capture *c = (capture *)(void *)ud;
    pa_capmgr *m = c->m;
    size_t need = record_size(c, h->caplen);
    pthread_mutex_lock(&m->lock);
    pa_cap_stop why = PA_CAP_STOP_NONE;
    if (c->st.bytes + need > c->st.size_limit) why = PA_CAP_STOP_SIZE; /* the file stays within the limit */
    if (why == PA_CAP_STOP_NONE) {
        if (!write_record(c, h, data)) {
            why = PA_CAP_STOP_ERROR;
            snprintf(c->st.error, sizeof c->st.error, "writing the file: %s", strerror(errno));
        } else {
            c->st.bytes += need;
            c->st.packets++;
            if (c->st.packet_limit && c->st.packets >= c->st.packet_limit) why = PA_CAP_STOP_COUNT;
        }
    }
    pthread_mutex_unlock(&m->lock);
    if (why != PA_CAP_STOP_NONE) {
        c->want = why;
        atomic_store(&c->stop, true);
        pcap_breakloop(c->pc);
    }
}

static void *run(void *arg) {
    capture *c = arg;
    pa_capmgr *m = c->m;
    struct pollfd pfd = {.fd = pcap_get_selectable_fd(c->pc), .events = POLLIN};
    while (!atomic_load(&c->stop)) {
        int64_t now = now_ns(CLOCK_MONOTONIC);
        if (now >= c->deadline_mono) {
            c->want = PA_CAP_STOP_DURATION;
            break;
        }
        if (pfd.fd >= 0) (void)poll(&pfd, 1, 100);
        int r = pcap_dispatch(c->pc, -1, on_packet, (u_char *)(void *)c);
        if (r == PCAP_ERROR) { /* the interface went away, or another failure */
            pthread_mutex_lock(&m->lock);
            snprintf(c->st.error, sizeof c->st.error, "capture failed: %s", pcap_geterr(c->pc));
            pthread_mutex_unlock(&m->lock);
            c->want = PA_CAP_STOP_ERROR;
            break;
        }
        if (pfd.fd < 0 && r == 0) usleep(10000);
        now = now_ns(CLOCK_MONOTONIC);
        if (now - c->last_flush >= PA_CAP_FLUSH_NS) { /* a crash loses at most about a second */
            struct pcap_stat ps;
            bool have = pcap_stats(c->pc, &ps) == 0; /* this thread owns the handle */
            pthread_mutex_lock(&m->lock);
            fflush(c->f);
            if (have) {
                c->st.kernel_drops = ps.ps_drop;
                c->st.interface_drops = ps.ps_ifdrop;
            }
            pthread_mutex_unlock(&m->lock);
            c->last_flush = now;
        }
    }
    /* what the kernel already holds was captured before the stop: write it too
     * (not after a size or count limit, nor after an error) */
    if (c->want != PA_CAP_STOP_SIZE && c->want != PA_CAP_STOP_COUNT && c->want != PA_CAP_STOP_ERROR) {
        pa_cap_stop why = c->want;
        atomic_store(&c->stop, false);
        c->want = PA_CAP_STOP_NONE;
        for (int k = 0; k < 64 && !atomic_load(&c->stop); k++)
            if (pcap_dispatch(c->pc, -1, on_packet, (u_char *)(void *)c) <= 0) break;
        if (c->want == PA_CAP_STOP_NONE) c->want = why;
    }
    struct pcap_stat ps;
    bool have_stats = pcap_stats(c->pc, &ps) == 0;
    pthread_mutex_lock(&m->lock);
    if (fflush(c->f) != 0 && c->want != PA_CAP_STOP_ERROR) {
        c->want = PA_CAP_STOP_ERROR;
        snprintf(c->st.error, sizeof c->st.error, "writing the file: %s", strerror(errno));
    }
    fsync(fileno(c->f));
    fclose(c->f);
    c->f = NULL;
    if (have_stats) {
        c->st.kernel_drops = ps.ps_drop;
        c->st.interface_drops = ps.ps_ifdrop;
    }
    c->st.state = PA_CAP_STOPPED;
    c->st.stop_reason = c->want == PA_CAP_STOP_NONE ? PA_CAP_STOP_USER : c->want;
    c->st.ended_ns = now_ns(CLOCK_REALTIME);
    pthread_mutex_unlock(&m->lock);
    pcap_close(c->pc);
    c->pc = NULL;
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
int pa_cap_output_name(const char *want, const char *iface, unsigned seq, char *out, size_t n, bool *pcapng,
                       char *err, size_t errlen) {
    if (!want || !*want) {
        char stamp[32];
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(stamp, sizeof stamp, "%Y%m%d_%H%M%S", &tm);
        char safe[64];
        size_t k = 0;
        for (const char *p = iface; *p && k < sizeof safe - 1; p++)
            safe[k++] = (char)((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ? *p : '_');
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
        size_t k = (size_t)snprintf(err, errlen, "unknown interface '%.64s'; accepted (list_network_interfaces):",
                                    req->interface);
        for (int i = 0; i < nifs && k < errlen; i++)
            k += (size_t)snprintf(err + k, errlen - k, "%s %s", i ? "," : "", ifs[i].name);
    }
    free(ifs);
    if (nifs < 0 || !known) return -1;

    pthread_mutex_lock(&m->lock);
    size_t running = 0;
    for (size_t i = 0; i < m->ncaps; i++) running += m->caps[i]->st.state == PA_CAP_RUNNING;
    bool full = m->ncaps >= PA_CAP_MAX;
    unsigned seq = ++m->seq;
    pthread_mutex_unlock(&m->lock);
    if (full) {
        snprintf(err, errlen, "this server has already started %d captures (its limit); restart it for more",
                 PA_CAP_MAX);
        return -1;
    }
    (void)running;

    capture *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    c->m = m;
    c->joined = true; /* until the thread exists */
    pthread_mutex_init(&c->join_lock, NULL);
    pa_cap_status *st = &c->st;
    snprintf(st->interface, sizeof st->interface, "%s", req->interface);
    snprintf(st->filter, sizeof st->filter, "%s", req->filter ? req->filter : "");
    st->duration_s = req->duration_s;
    st->size_limit = m->max_bytes;
    st->packet_limit = req->packet_count;
    st->snaplen = req->snaplen > 0 ? req->snaplen : PA_CAP_DEFAULT_SNAPLEN;
    uint32_t rnd = 0;
    if (getrandom(&rnd, sizeof rnd, 0) != sizeof rnd) rnd = (uint32_t)now_ns(CLOCK_REALTIME);
    snprintf(st->id, sizeof st->id, "cap-%u-%08x", seq, rnd);
    if (pa_cap_output_name(req->output_file, req->interface, seq, st->file, sizeof st->file, &st->pcapng, err, errlen)) {
        free(c);
        return -1;
    }

    /* open the interface and compile the filter before anything is created */
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    c->pc = pcap_create(req->interface, ebuf);
    if (!c->pc) {
        snprintf(err, errlen, "cannot open interface '%s': %s", req->interface, ebuf);
        free(c);
        return -1;
    }
    pcap_set_snaplen(c->pc, st->snaplen);
    pcap_set_promisc(c->pc, 1);
    pcap_set_immediate_mode(c->pc, 1);
    pcap_set_timeout(c->pc, 100);
    int rc = pcap_activate(c->pc);
    if (rc < 0) {
        if (rc == PCAP_ERROR_PERM_DENIED)
            snprintf(err, errlen,
                     "no permission to capture on '%s' (%s); capturing needs CAP_NET_RAW and CAP_NET_ADMIN: run "
                     "the server as root, or grant them once with: sudo setcap cap_net_raw,cap_net_admin=eip "
                     "$(command -v pcap-analyzer-mcp-server)",
                     req->interface, pcap_geterr(c->pc));
        else
            snprintf(err, errlen, "cannot capture on '%s': %s", req->interface, pcap_geterr(c->pc));
        pcap_close(c->pc);
        free(c);
        return -1;
    }
    st->linktype = pcap_datalink(c->pc);
    if (st->filter[0]) {
        struct bpf_program prog;
        if (pcap_compile(c->pc, &prog, st->filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
            snprintf(err, errlen,
                     "capture_filter '%.200s' is not a valid BPF filter: %s; accepted: tcpdump syntax, e.g. "
                     "'tcp port 443', 'host 10.0.0.5 and (udp or icmp)'",
                     st->filter, pcap_geterr(c->pc));
            pcap_close(c->pc);
            free(c);
            return -1;
        }
        int sf = pcap_setfilter(c->pc, &prog);
        pcap_freecode(&prog);
        if (sf != 0) {
            snprintf(err, errlen, "cannot apply capture_filter: %s", pcap_geterr(c->pc));
            pcap_close(c->pc);
            free(c);
            return -1;
        }
    }
    pcap_setnonblock(c->pc, 1, ebuf);

    /* the file: created new, never over an existing one */
    bool exists = false;
    int fd = pa_storage_create_new(m->storage, st->file, &exists, err, errlen);
    if (fd < 0) {
        if (exists)
            snprintf(err, errlen, "output_file '%s' already exists in the storage directory; captures never "
                                  "overwrite a file: choose another name", st->file);
        pcap_close(c->pc);
        free(c);
        return -1;
    }
    c->f = fdopen(fd, "wb");
    if (!c->f || !write_header(c) || fflush(c->f) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", st->file, strerror(errno));
        if (c->f) fclose(c->f);
        else close(fd);
        pcap_close(c->pc);
        free(c);
        return -1;
    }
    st->state = PA_CAP_RUNNING;
    st->started_ns = now_ns(CLOCK_REALTIME);
    c->last_flush = now_ns(CLOCK_MONOTONIC);
    c->deadline_mono = c->last_flush + (int64_t)st->duration_s * 1000000000ll;
    pthread_mutex_lock(&m->lock);
    if (pthread_create(&c->thread, NULL, run, c) != 0) {
        pthread_mutex_unlock(&m->lock);
        snprintf(err, errlen, "cannot start the capture thread");
        fclose(c->f);
        pcap_close(c->pc);
        free(c);
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

bool pa_capmgr_writing(pa_capmgr *m, const char *name) {
    pthread_mutex_lock(&m->lock);
    bool yes = false;
    for (size_t i = 0; i < m->ncaps; i++)
        if (m->caps[i]->st.state == PA_CAP_RUNNING && strcmp(m->caps[i]->st.file, name) == 0) yes = true;
    pthread_mutex_unlock(&m->lock);
    return yes;
}
