/* Transport: newline-delimited frames on file descriptors (stdin/stdout).
 * Knows bytes and lines only, nothing of JSON. */
#ifndef PA_TRANSPORT_STDIO_H
#define PA_TRANSPORT_STDIO_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct pa_line_reader {
    int fd;
    char *buf;
    size_t len;      /* bytes held */
    size_t cap;      /* bytes allocated */
    size_t max;      /* longest accepted line */
    size_t consumed; /* bytes of the previous line to drop on the next call */
    bool discarding; /* inside an oversized line: drop until newline */
    bool eof;
    /* When set, input is awaited with ppoll() under this signal mask: the
     * caller keeps its stop signals blocked and they are taken only while
     * waiting, so one arriving just before the wait cannot be lost (it
     * ends the wait with PA_LINE_INTR). NULL: a plain blocking read(). */
    const sigset_t *wait_mask;
} pa_line_reader;

typedef enum {
    PA_LINE_OK,       /* *line (NUL-terminated, without newline) valid until next call */
    PA_LINE_TOO_LONG, /* a line longer than max was skipped entirely */
    PA_LINE_EOF,
    PA_LINE_INTR, /* read() interrupted by a signal: the caller checks its flags */
    PA_LINE_ERROR,
} pa_line_status;

int pa_line_reader_init(pa_line_reader *r, int fd, size_t max);
void pa_line_reader_free(pa_line_reader *r);
pa_line_status pa_line_read(pa_line_reader *r, char **line, size_t *len);

/* Serialises whole lines from several threads: a line is written in full
 * before another starts, so output never interleaves. */
typedef struct pa_writer {
    int fd;
    pthread_mutex_t mu;
    bool broken; /* the peer went away (EPIPE): later writes are dropped */
} pa_writer;

void pa_writer_init(pa_writer *w, int fd);
void pa_writer_destroy(pa_writer *w);
/* Writes s (n bytes, which must not contain '\n') and a newline. */
int pa_writer_line(pa_writer *w, const char *s, size_t n);

#endif
