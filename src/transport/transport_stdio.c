#include "transport_stdio.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK 65536

int pa_line_reader_init(pa_line_reader *r, int fd, size_t max) {
    memset(r, 0, sizeof *r);
    r->fd = fd;
    r->max = max;
    r->cap = READ_CHUNK;
    r->buf = malloc(r->cap + 1);
    return r->buf ? 0 : -1;
}

void pa_line_reader_free(pa_line_reader *r) {
    free(r->buf);
    r->buf = NULL;
}

static pa_line_status fill(pa_line_reader *r) {
    if (r->len == r->cap) {
        /* Grow up to max plus one chunk: enough to see the newline that ends
         * a maximal line; beyond that we are discarding anyway. */
        size_t ncap = r->cap * 2;
        if (ncap > r->max + READ_CHUNK) ncap = r->max + READ_CHUNK;
        if (ncap <= r->cap) return PA_LINE_ERROR;
        char *n = realloc(r->buf, ncap + 1);
        if (!n) return PA_LINE_ERROR;
        r->buf = n;
        r->cap = ncap;
    }
    if (r->wait_mask) {
        struct pollfd p = {.fd = r->fd, .events = POLLIN};
        if (ppoll(&p, 1, NULL, r->wait_mask) < 0) return errno == EINTR ? PA_LINE_INTR : PA_LINE_ERROR;
    }
    ssize_t got = read(r->fd, r->buf + r->len, r->cap - r->len);
    if (got < 0) return errno == EINTR ? PA_LINE_INTR : PA_LINE_ERROR;
    if (got == 0) {
        r->eof = true;
        return PA_LINE_EOF;
    }
    r->len += (size_t)got;
    return PA_LINE_OK;
}

pa_line_status pa_line_read(pa_line_reader *r, char **line, size_t *len) {
    if (r->consumed) {
        memmove(r->buf, r->buf + r->consumed, r->len - r->consumed);
        r->len -= r->consumed;
        r->consumed = 0;
    }
    size_t scanned = 0;
    for (;;) {
        char *nl = scanned < r->len ? memchr(r->buf + scanned, '\n', r->len - scanned) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - r->buf);
            r->consumed = n + 1;
            if (r->discarding) {
                r->discarding = false;
                return PA_LINE_TOO_LONG;
            }
            if (n > r->max) return PA_LINE_TOO_LONG;
            if (n && r->buf[n - 1] == '\r') n--;
            r->buf[n] = '\0';
            *line = r->buf;
            *len = n;
            return PA_LINE_OK;
        }
        scanned = r->len;
        if (r->len > r->max) {
            /* Too long already: drop what we hold and keep dropping until
             * the newline, so memory stays bounded by max. */
            r->discarding = true;
            r->len = 0;
            scanned = 0;
        }
        if (r->eof) {
            if (r->discarding) {
                r->discarding = false;
                return PA_LINE_TOO_LONG;
            }
            if (r->len == 0) return PA_LINE_EOF;
            /* A last line without a newline still counts. */
            size_t n = r->len;
            r->consumed = n;
            r->buf[n] = '\0';
            *line = r->buf;
            *len = n;
            return PA_LINE_OK;
        }
        pa_line_status st = fill(r);
        if (st == PA_LINE_INTR || st == PA_LINE_ERROR) return st;
    }
}

void pa_writer_init(pa_writer *w, int fd) {
    w->fd = fd;
    w->broken = false;
    pthread_mutex_init(&w->mu, NULL);
}

void pa_writer_destroy(pa_writer *w) { pthread_mutex_destroy(&w->mu); }

static int write_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

int pa_writer_line(pa_writer *w, const char *s, size_t n) {
    pthread_mutex_lock(&w->mu);
    int rc = -1;
    if (!w->broken) {
        rc = write_all(w->fd, s, n);
        if (rc == 0) rc = write_all(w->fd, "\n", 1);
        if (rc != 0) w->broken = true;
    }
    pthread_mutex_unlock(&w->mu);
    return rc;
}
