/* The one path resolver: every user-supplied file name (pcap_file arguments,
 * directory listings) is opened here and nowhere else. A name is resolved
 * inside the storage directory only; the caller gets an open descriptor, so
 * what was checked is what is read (no check-then-open race). */
#ifndef PA_STORAGE_PATH_H
#define PA_STORAGE_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "capture_magic.h"
#include "pa_limits.h"

typedef struct pa_resolved {
    int fd;                        /* open read-only; caller closes */
    char rel[PA_MAX_PATH_ARG + 1]; /* path relative to the storage dir */
    struct stat st;
    pa_capfmt fmt;
} pa_resolved;

typedef enum {
    PA_RESOLVE_OK = 0,
    PA_RESOLVE_BAD_NAME, /* empty, too long, NUL, control characters, ".." */
    PA_RESOLVE_OUTSIDE,  /* absolute path or symlink leading outside storage */
    PA_RESOLVE_NOT_FOUND,
    PA_RESOLVE_NOT_REGULAR, /* directory, FIFO, device, socket */
    PA_RESOLVE_NOT_CAPTURE, /* regular file without a pcap/pcapng magic */
    PA_RESOLVE_IO,          /* permission or other system error */
} pa_resolve_status;

/* Opens `name` (len bytes, may contain NUL, which is refused) inside
 * storage_dir and checks that it is a regular pcap or pcapng file.
 * On failure err holds a sentence saying what was wrong and what is accepted. */
pa_resolve_status pa_storage_open_capture(const char *storage_dir, const char *name, size_t len, pa_resolved *out,
                                          char *err, size_t errlen);

/* Creates a new file `name` (a plain file name, no directories) directly in
 * storage_dir for writing: never over an existing file, never through a
 * symbolic link. Returns the descriptor, or -1 with a sentence in err
 * (*exists set when the name is taken). */
int pa_storage_create_new(const char *storage_dir, const char *name, bool *exists, char *err, size_t errlen);

/* As pa_storage_create_new, or with replace an existing regular file is
 * truncated and reused (never a symbolic link, directory, FIFO or device). */
int pa_storage_create(const char *storage_dir, const char *name, bool replace, bool *exists, char *err, size_t errlen);

/* Deletes the regular file `name` (a plain file name) from storage_dir; -1
 * with a sentence in err. */
int pa_storage_remove(const char *storage_dir, const char *name, char *err, size_t errlen);

/* Same checks, except that a regular file which is not a capture is returned
 * with fmt.kind == PA_CAPFMT_NONE instead of an error (used by listings). */
pa_resolve_status pa_storage_open_any(const char *storage_dir, const char *name, size_t len, pa_resolved *out,
                                      char *err, size_t errlen);

#endif
