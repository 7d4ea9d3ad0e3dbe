/* Framing: lines, oversized lines, CR, last line without newline, writer. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "transport_stdio.h"

static int reader_over(const char *data, size_t n, size_t max, pa_line_reader *r) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    /* Small inputs fit the pipe buffer; larger ones are written by a thread. */
    if (write(fds[1], data, n) != (ssize_t)n) return -1;
    close(fds[1]);
    return pa_line_reader_init(r, fds[0], max);
}

static void test_lines(void) {
    pa_line_reader r;
    const char in[] = "{\"a\":1}\n\r\n{\"b\":2}\r\nlast";
    CHECK(reader_over(in, sizeof in - 1, 100, &r) == 0);
    char *line;
    size_t len;
    CHECK(pa_line_read(&r, &line, &len) == PA_LINE_OK);
    CHECK_STR(line, "{\"a\":1}");
    CHECK(pa_line_read(&r, &line, &len) == PA_LINE_OK);
    CHECK(len == 0); /* the bare CRLF */
    CHECK(pa_line_read(&r, &line, &len) == PA_LINE_OK);
    CHECK_STR(line, "{\"b\":2}");
    CHECK(pa_line_read(&r, &line, &len) == PA_LINE_OK);
    CHECK_STR(line, "last");
    CHECK(pa_line_read(&r, &line, &len) == PA_LINE_EOF);
    close(r.fd);
    pa_line_reader_free(&r);
}

typedef struct {
    int fd;
    const char *p;
    size_t n;
} feed;

static void *feeder(void *arg) {
    feed *f = arg;
    size_t off = 0;
    while (off < f->n) {
        ssize_t k = write(f->fd, f->p + off, f->n - off);
        if (k <= 0) break;
        off += (size_t)k;
    }
    close(f->fd);
    return NULL;
}

static void test_oversized(void) {
    /* 300 KB line with a 100 KB cap between two good lines: the reader must
     * skip it whole, report it once, and keep its memory near the cap. */
    size_t big = 300 * 1024;
    size_t total = big + 64;
    char *data = malloc(total);
    size_t n = 0;
    memcpy(data + n, "first\n", 6);
    n += 6;
    memset(data + n, 'x', big);
    n += big;
    data[n++] = '\n';
    memcpy(data + n, "second\n", 7);
    n += 7;

    int fds[2];
    CHECK(pipe(fds) == 0);
    feed f = {fds[1], data, n};
    pthread_t th;
    pthread_create(&th, NULL, feeder, &f);
    pa_line_reader r;
    CHECK(pa_line_reader_init(&r, fds[0], 100 * 1024) == 0);
    char *line;
    size_t len;
    CHECK(pa_line_read(&r, &line, &len) == PA_LINE_OK);
    CHECK_STR(line, "first");
    CHECK(pa_line_read(&r, &line, &len) == PA_LINE_TOO_LONG);
    CHECK(r.cap <= 100 * 1024 + 65536);
    CHECK(pa_line_read(&r, &line, &len) == PA_LINE_OK);
    CHECK_STR(line, "second");
    CHECK(pa_line_read(&r, &line, &len) == PA_LINE_EOF);
    pthread_join(th, NULL);
    close(fds[0]);
    pa_line_reader_free(&r);
    free(data);
}

static void test_oversized_at_eof(void) {
    char data[300];
    memset(data, 'y', sizeof data);
    pa_line_reader r;
    CHECK(reader_over(data, sizeof data, 100, &r) == 0);
    char *line;
    size_t len;
    CHECK(pa_line_read(&r, &line, &len) == PA_LINE_TOO_LONG);
    CHECK(pa_line_read(&r, &line, &len) == PA_LINE_EOF);
    close(r.fd);
    pa_line_reader_free(&r);
}

typedef struct {
    pa_writer *w;
    char c;
} wjob;

static void *writer_thread(void *arg) {
    wjob *j = arg;
    char line[5000];
    memset(line, j->c, sizeof line);
    for (int i = 0; i < 50; i++) pa_writer_line(j->w, line, sizeof line);
    return NULL;
}

static void test_writer_no_interleave(void) {
    char path[] = "/tmp/pa_test_writer_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    pa_writer w;
    pa_writer_init(&w, fd);
    wjob a = {&w, 'a'}, b = {&w, 'b'};
    pthread_t ta, tb;
    pthread_create(&ta, NULL, writer_thread, &a);
    pthread_create(&tb, NULL, writer_thread, &b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    pa_writer_destroy(&w);
    FILE *f = fopen(path, "r");
    char *buf = malloc(6000);
    int lines = 0, mixed = 0;
    while (fgets(buf, 6000, f)) {
        size_t n = strlen(buf);
        lines++;
        if (n != 5001) mixed++;
        for (size_t i = 1; i < 5000 && i < n; i++)
            if (buf[i] != buf[0]) {
                mixed++;
                break;
            }
    }
    fclose(f);
    free(buf);
    close(fd);
    unlink(path);
    CHECK(lines == 100);
    CHECK(mixed == 0);
}

int main(void) {
    test_lines();
    test_oversized();
    test_oversized_at_eof();
    test_writer_no_interleave();
    return check_done("transport");
}
