/* Live capture through libpcap: interfaces, and captures that run in their
 * own threads and write a pcap or pcapng file in the storage directory. The
 * limits (duration, file size, packet count) are enforced here, the file is
 * flushed every second, and every capture is stopped and its file closed
 * when the manager is freed (server exit, EOF, SIGTERM). No JSON here. */
#ifndef PA_CAPTURE_H
#define PA_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_CAP_MAX 64              /* captures remembered per server lifetime */
#define PA_CAP_ID_LEN 32
#define PA_CAP_NAME_MAX 255
#define PA_CAP_DEFAULT_SNAPLEN 262144
#define PA_CAP_FLUSH_NS 1000000000ll /* the file is flushed at least this often */

/* ---- interfaces ---------------------------------------------------------- */

#define PA_CAP_IF_ADDRS 16

typedef struct pa_cap_ifaddr {
    int family;          /* 4 or 6 */
    char addr[64], netmask[64];
} pa_cap_ifaddr;

typedef struct pa_cap_if {
    char name[64];
    char description[128];
    char mac[18];        /* "" when none */
    bool up, running, loopback, wireless;
    int linktype;        /* DLT, -1 when unknown */
    int naddrs;
    pa_cap_ifaddr addrs[PA_CAP_IF_ADDRS];
} pa_cap_if;

/* The interfaces libpcap can capture on (pcap_findalldevs), "any" included.
 * Returns how many were written (at most max), or -1 with err. */
int pa_cap_interfaces(pa_cap_if *out, int max, char *err, size_t errlen);

/* ---- captures --------------------------------------------------------------- */

typedef enum { PA_CAP_RUNNING, PA_CAP_STOPPED } pa_cap_state;

typedef enum {
    PA_CAP_STOP_NONE,
    PA_CAP_STOP_DURATION,
    PA_CAP_STOP_SIZE,
    PA_CAP_STOP_COUNT,
    PA_CAP_STOP_USER,
    PA_CAP_STOP_SHUTDOWN,
    PA_CAP_STOP_ERROR,
} pa_cap_stop;

const char *pa_cap_stop_name(pa_cap_stop s);

typedef struct pa_cap_request {
    const char *interface;
    const char *filter;          /* NULL or "": everything */
    const char *output_file;     /* NULL: a name is made */
    int duration_s;              /* > 0 */
    uint64_t packet_count;       /* 0: no limit */
    int snaplen;                 /* 0: PA_CAP_DEFAULT_SNAPLEN */
} pa_cap_request;

typedef struct pa_cap_status {
    char id[PA_CAP_ID_LEN];
    pa_cap_state state;
    pa_cap_stop stop_reason;
    char error[256];
    char interface[64];
    char filter[512];
    char file[PA_CAP_NAME_MAX + 1]; /* relative to the storage directory */
    bool pcapng;
    int64_t started_ns, ended_ns;   /* wall clock; ended 0 while running */
    int duration_s;
    uint64_t size_limit, packet_limit;
    uint64_t packets, bytes;        /* packets written, file size */
    uint64_t kernel_drops, interface_drops;
    int linktype, snaplen;
} pa_cap_status;

/* The name of a file this server writes into the storage directory: want
 * (letters, digits, '.', '_' and '-', ending .pcap or .pcapng; .pcap added
 * when there is no extension) or, when want is empty, one made from the
 * interface, the time and seq. -1 with err saying what is accepted. */
int pa_cap_output_name(const char *want, const char *iface, unsigned seq, char *out, size_t n, bool *pcapng,
                       char *err, size_t errlen);

typedef struct pa_capmgr pa_capmgr;

/* storage_dir must exist; max_bytes and max_duration_s come from the
 * configuration (MAX_CAPTURE_SIZE, CAPTURE_TIMEOUT). */
pa_capmgr *pa_capmgr_new(const char *storage_dir, uint64_t max_bytes, int max_duration_s);
/* Stops every running capture (reason shutdown), closes their files, frees. */
void pa_capmgr_free(pa_capmgr *m);

/* Checks everything before anything starts (interface among the real ones,
 * filter compiles, output name, permissions), then starts the capture
 * thread. On success fills *st (state running) and returns 0; otherwise -1
 * with a message saying what was wrong and what is accepted. */
int pa_capmgr_start(pa_capmgr *m, const pa_cap_request *req, pa_cap_status *st, char *err,
                    size_t errlen);
/* Stops a capture and waits for its file to be closed; a capture that had
 * already ended just reports its final status. -1 when the id is unknown. */
int pa_capmgr_stop(pa_capmgr *m, const char *id, pa_cap_status *st);
/* Snapshots of every capture of this manager, oldest first; returns n. */
size_t pa_capmgr_list(pa_capmgr *m, pa_cap_status *out, size_t max);
/* Whether name (relative to the storage directory) is the file of a running capture. */
bool pa_capmgr_writing(pa_capmgr *m, const char *name);

#endif
