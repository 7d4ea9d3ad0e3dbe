#include "storage_path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

__attribute__((format(printf, 4, 5))) static pa_resolve_status fail(pa_resolve_status st, char *err, size_t errlen,
                                                                    const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return st;
}

/* Copies a user string for messages: control characters become '?', and long
 * names are shortened, so an error never echoes raw hostile bytes. */
static void printable(char *dst, size_t dstlen, const char *s, size_t len) {
    size_t j = 0;
    for (size_t i = 0; i < len && j + 4 < dstlen; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[j++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    if (j + 4 >= dstlen && len > j) {
        dst[j++] = '.';
        dst[j++] = '.';
        dst[j++] = '.';
    }
    dst[j] = '\0';
}

/* True when abs starts with dir followed by '/' (or equals dir). */
static const char *strip_prefix(const char *abs, const char *dir) {
    size_t n = strlen(dir);
    if (strncmp(abs, dir, n) != 0) return NULL;
    if (abs[n] == '/') return abs + n + 1;
    if (abs[n] == '\0') return abs + n;
    return NULL;
}

static int open_beneath(int dirfd, const char *rel) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    how.flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    long fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof how);
    return (int)fd;
}

/* For kernels without openat2 (before 5.6): resolve every symlink first, check
 * the result is inside, then open that exact path without following links. */
static int open_fallback(const char *storage_real, const char *rel) {
    char joined[PATH_MAX], real[PATH_MAX];
    if ((size_t)snprintf(joined, sizeof joined, "%s/%s", storage_real, rel) >= sizeof joined) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (!realpath(joined, real)) return -1;
    if (!strip_prefix(real, storage_real)) {
        errno = EXDEV;
        return -1;
    }
    return open(real, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
}

static pa_resolve_status resolve(const char *storage_dir, const char *name, size_t len, pa_resolved *out,
                                 bool need_capture, char *err, size_t errlen) {
    char shown[160];
    printable(shown, sizeof shown, name, len);
    memset(out, 0, sizeof *out);
    out->fd = -1;

    if (len == 0) {
        snprintf(err, errlen,
                 "pcap_file is empty; accepted: the name of a file in the storage directory "
                 "(see list_captured_files)");
        return PA_RESOLVE_BAD_NAME;
    }
    if (len > PA_MAX_PATH_ARG) {
        snprintf(err, errlen, "pcap_file is too long (%zu bytes); accepted: at most %u bytes", len,
                 (unsigned)PA_MAX_PATH_ARG);
        return PA_RESOLVE_BAD_NAME;
    }
    if (memchr(name, '\0', len))
        return fail(PA_RESOLVE_BAD_NAME, err, errlen,
                    "pcap_file '%s' contains a NUL character; accepted: a plain file name", shown);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return fail(PA_RESOLVE_BAD_NAME, err, errlen,
                        "pcap_file '%s' contains a control character (newline, tab, ...); "
                        "accepted: a plain file name",
                        shown);

    char storage_real[PATH_MAX];
    if (!realpath(storage_dir, storage_real)) {
        snprintf(err, errlen, "the storage directory %s cannot be opened: %s", storage_dir, strerror(errno));
        return PA_RESOLVE_IO;
    }

    const char *rel = name;
    if (name[0] == '/') {
        /* Absolute paths are accepted only when they name something inside
         * the storage directory, as configured or as resolved. */
        rel = strip_prefix(name, storage_dir);
        if (!rel) rel = strip_prefix(name, storage_real);
        if (!rel) {
            snprintf(err, errlen,
                     "pcap_file '%s' is outside the storage directory %s; accepted: a name "
                     "relative to it, or an absolute path inside it",
                     shown, storage_dir);
            return PA_RESOLVE_OUTSIDE;
        }
        while (*rel == '/') rel++;
    }
    if (*rel == '\0')
        return fail(PA_RESOLVE_NOT_REGULAR, err, errlen,
                    "pcap_file '%s' names the storage directory itself; accepted: a file inside it", shown);

    /* '..' is refused in every position, even where it would stay inside:
     * a name that climbs is almost always a mistake or an attack. */
    for (const char *c = rel; *c;) {
        const char *e = strchr(c, '/');
        size_t n = e ? (size_t)(e - c) : strlen(c);
        if (n == 2 && c[0] == '.' && c[1] == '.')
            return fail(PA_RESOLVE_BAD_NAME, err, errlen,
                        "pcap_file '%s' contains '..'; accepted: a name inside the storage "
                        "directory without '..'",
                        shown);
        c += n;
        while (*c == '/') c++;
    }
    if (strlen(rel) >= sizeof out->rel)
        return fail(PA_RESOLVE_BAD_NAME, err, errlen, "pcap_file '%s' is too long", shown);
    snprintf(out->rel, sizeof out->rel, "%s", rel);

    int dirfd = open(storage_real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        snprintf(err, errlen, "the storage directory %s cannot be opened: %s", storage_dir, strerror(errno));
        return PA_RESOLVE_IO;
    }
    int fd = open_beneath(dirfd, rel);
    if (fd < 0 && errno == ENOSYS) fd = open_fallback(storage_real, rel);
    int saved = errno;
    close(dirfd);
    if (fd < 0) {
        switch (saved) {
        case ENOENT:
        case ENOTDIR:
            snprintf(err, errlen,
                     "no file '%s' in the storage directory %s; call list_captured_files to see "
                     "the available captures",
                     shown, storage_dir);
            return PA_RESOLVE_NOT_FOUND;
        case EXDEV:
        case ELOOP:
            snprintf(err, errlen,
                     "pcap_file '%s' leads outside the storage directory (through a symbolic "
                     "link); accepted: files stored inside %s",
                     shown, storage_dir);
            return PA_RESOLVE_OUTSIDE;
        default: snprintf(err, errlen, "cannot open '%s': %s", shown, strerror(saved)); return PA_RESOLVE_IO;
        }
    }
    if (fstat(fd, &out->st) != 0) {
        snprintf(err, errlen, "cannot examine '%s': %s", shown, strerror(errno));
        close(fd);
        return PA_RESOLVE_IO;
    }
    if (!S_ISREG(out->st.st_mode)) {
        const char *what = S_ISDIR(out->st.st_mode)    ? "a directory"
                           : S_ISFIFO(out->st.st_mode) ? "a FIFO (named pipe)"
                           : S_ISCHR(out->st.st_mode)  ? "a character device"
                           : S_ISBLK(out->st.st_mode)  ? "a block device"
                           : S_ISSOCK(out->st.st_mode) ? "a socket"
                                                       : "not a regular file";
        snprintf(err, errlen, "'%s' is %s; accepted: a regular pcap or pcapng file", shown, what);
        close(fd);
        return PA_RESOLVE_NOT_REGULAR;
    }
    /* Reads from now on may block normally. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);

    uint8_t head[PA_CAPFMT_PROBE_BYTES];
    ssize_t got = pread(fd, head, sizeof head, 0);
    if (got < 0) {
        snprintf(err, errlen, "cannot read '%s': %s", shown, strerror(errno));
        close(fd);
        return PA_RESOLVE_IO;
    }
    out->fmt = pa_capfmt_detect(head, (size_t)got);
    if (need_capture && out->fmt.kind == PA_CAPFMT_NONE) {
        if (got == 0)
            snprintf(err, errlen, "'%s' is empty (0 bytes); accepted: a pcap or pcapng file", shown);
        else
            snprintf(err, errlen,
                     "'%s' is not a capture file (it does not start with a pcap or pcapng magic "
                     "number); accepted: pcap (either byte order, microsecond or nanosecond) or "
                     "pcapng",
                     shown);
        close(fd);
        return PA_RESOLVE_NOT_CAPTURE;
    }
    out->fd = fd;
    return PA_RESOLVE_OK;
}

pa_resolve_status pa_storage_open_capture(const char *storage_dir, const char *name, size_t len, pa_resolved *out,
                                          char *err, size_t errlen) {
    return resolve(storage_dir, name, len, out, true, err, errlen);
}

pa_resolve_status pa_storage_open_any(const char *storage_dir, const char *name, size_t len, pa_resolved *out,
                                      char *err, size_t errlen) {
    return resolve(storage_dir, name, len, out, false, err, errlen);
}

static bool plain_name(const char *name, char *err, size_t errlen) {
    if (!name[0] || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        snprintf(err, errlen, "'%.200s' is not a plain file name", name);
        return false;
    }
    return true;
}

int pa_storage_create(const char *storage_dir, const char *name, bool replace, bool *exists, char *err, size_t errlen) {
    *exists = false;
    if (!plain_name(name, err, errlen)) return -1;
    int dirfd = open(storage_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        snprintf(err, errlen, "cannot open the storage directory: %s", strerror(errno));
        return -1;
    }
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    int e = errno;
    if (fd < 0 && e == EEXIST && replace) {
        /* O_NONBLOCK: opening a FIFO must not wait for a reader; the type is
         * checked on the descriptor before anything is truncated */
        fd = openat(dirfd, name, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        e = errno;
        struct stat st;
        if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
            close(fd);
            fd = -1;
            e = EINVAL;
        } else if (fd >= 0 && (ftruncate(fd, 0) != 0 || fcntl(fd, F_SETFL, 0) != 0)) {
            e = errno;
            close(fd);
            fd = -1;
        }
        if (fd < 0 && (e == ELOOP || e == EINVAL || e == ENXIO)) {
            close(dirfd);
            snprintf(err, errlen,
                     "'%.200s' in the storage directory is not a regular file (a symbolic link, "
                     "directory, FIFO or device): it is never replaced",
                     name);
            return -1;
        }
    }
    close(dirfd);
    if (fd < 0) {
        *exists = e == EEXIST;
        snprintf(err, errlen, "cannot create '%.200s' in the storage directory: %s", name, strerror(e));
    }
    return fd;
}

int pa_storage_create_new(const char *storage_dir, const char *name, bool *exists, char *err, size_t errlen) {
    return pa_storage_create(storage_dir, name, false, exists, err, errlen);
}

int pa_storage_remove(const char *storage_dir, const char *name, char *err, size_t errlen) {
    if (!plain_name(name, err, errlen)) return -1;
    int dirfd = open(storage_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        snprintf(err, errlen, "cannot open the storage directory: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    int rc = -1;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        snprintf(err, errlen, "cannot delete '%.200s': %s", name, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        snprintf(err, errlen, "'%.200s' is not a regular file: not deleted", name);
    else if ((rc = unlinkat(dirfd, name, 0)) != 0)
        snprintf(err, errlen, "cannot delete '%.200s': %s", name, strerror(errno));
    close(dirfd);
    return rc;
}
