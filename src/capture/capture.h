/* Live capture through libpcap: interfaces, and captures that run in their
 * own threads and write pcap or pcapng files in the storage directory, one
 * file or a ring of them. The limits (duration, bytes on disk, packet count,
 * number of files) are enforced here, files are flushed every second, and
 * every capture is stopped and its file closed when the manager is freed
 * (server exit, EOF, SIGTERM). No JSON here. */
#ifndef PA_CAPTURE_H
#define PA_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PA_CAP_MAX 64 /* captures remembered per server lifetime */
#define PA_CAP_ID_LEN 32
#define PA_CAP_NAME_MAX 255
#define PA_CAP_DEFAULT_SNAPLEN 262144
#define PA_CAP_FLUSH_NS 1000000000ll /* the file is flushed at least this often */
#define PA_CAP_STATS_NS 100000000ll  /* counters in the status are at most this old */
#define PA_CAP_MAX_FILES 100         /* files one capture may keep (ring_files, or every file) */
#define PA_CAP_MIN_FILE_SIZE (64ull * 1024)

/* ---- interfaces ---------------------------------------------------------- */

#define PA_CAP_IF_ADDRS 16

typedef struct pa_cap_ifaddr {
    int family; /* 4 or 6 */
    char addr[64], netmask[64];
} pa_cap_ifaddr;

typedef struct pa_cap_if {
    char name[64];
    char description[128];
    char mac[18]; /* "" when none */
    bool up, running, loopback, wireless;
    int linktype; /* DLT, -1 when unknown */
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
    PA_CAP_STOP_FILES, /* rotating without ring_files: PA_CAP_MAX_FILES reached */
} pa_cap_stop;

const char *pa_cap_stop_name(pa_cap_stop s);

typedef struct pa_cap_request {
    const char *interface;
    const char *filter;      /* NULL or "": everything */
    const char *output_file; /* NULL: a name is made */
    int duration_s;          /* > 0 */
    uint64_t packet_count;   /* 0: no limit */
    int snaplen;             /* 0: PA_CAP_DEFAULT_SNAPLEN */
    uint64_t buffer_bytes;   /* kernel ring; 0: libpcap's default */
    bool overwrite;          /* replace an existing regular file of that name */
    /* rotation (all 0: one file): a new file every file_size bytes and/or
     * file_duration_s seconds, keeping the last ring_files (0: every file) */
    uint64_t file_size;
    int file_duration_s;
    int ring_files;
} pa_cap_request;

typedef struct pa_cap_status {
    char id[PA_CAP_ID_LEN];
    pa_cap_state state;
    pa_cap_stop stop_reason;
    char error[800];
    char interface[64];
    char filter[512];
    char file[PA_CAP_NAME_MAX + 1]; /* relative to the storage directory; the current one when rotating */
    bool pcapng;
    bool rotating;
    uint64_t file_size; /* rotation settings as asked (0: not used) */
    int file_duration_s, ring_files;
    unsigned files_made, files_deleted, files_kept;
    int64_t started_ns, ended_ns; /* wall clock; ended 0 while running */
    int duration_s;
    uint64_t size_limit, packet_limit;
    uint64_t packets, bytes; /* packets written in all, bytes of the files kept */
    /* pcap_stats: received = ps_recv (packets that passed the filter, as
     * the kernel counts them), kernel_drops = ps_drop, interface_drops = ps_ifdrop */
    uint64_t received, kernel_drops, interface_drops;
    uint64_t buffer_bytes;
    int linktype, snaplen;
} pa_cap_status;

/* The name of a file this server writes into the storage directory: want
 * (letters, digits, '.', '_' and '-', ending .pcap or .pcapng; .pcap added
 * when there is no extension) or, when want is empty, one made from the
 * interface, the time and seq. -1 with err saying what is accepted. */
int pa_cap_output_name(const char *want, const char *iface, unsigned seq, char *out, size_t n, bool *pcapng, char *err,
                       size_t errlen);

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
int pa_capmgr_start(pa_capmgr *m, const pa_cap_request *req, pa_cap_status *st, char *err, size_t errlen);
/* Stops a capture and waits for its file to be closed; a capture that had
 * already ended just reports its final status. -1 when the id is unknown. */
int pa_capmgr_stop(pa_capmgr *m, const char *id, pa_cap_status *st);
/* Snapshots of every capture of this manager, oldest first; returns n. */
size_t pa_capmgr_list(pa_capmgr *m, pa_cap_status *out, size_t max);
/* The files a capture keeps, oldest first (the last one is being written
 * while it runs); returns n, 0 for an unknown id. */
typedef struct pa_cap_fileinfo {
    char name[PA_CAP_NAME_MAX + 1];
    uint64_t packets, bytes;
} pa_cap_fileinfo;
size_t pa_capmgr_files(pa_capmgr *m, const char *id, pa_cap_fileinfo *out, size_t max);
/* Whether name (relative to the storage directory) is the file of a running capture. */
bool pa_capmgr_writing(pa_capmgr *m, const char *name);

#endif
