/* Prints the frame numbers a display filter matches in a capture, one
 * filter per line of FILTERS (a file) and one output line per filter:
 * "F<tab>n1 n2 ...", or "F<tab>ERROR message". A test helper for
 * compare_dfilter.mjs: one pass evaluates every filter.
 * Usage: pa-dfilter CAPTURE FILTERS */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dframe.h"
#include "engine.h"

#define MAX_FILTERS 1024

typedef struct out {
    char *text;
    size_t len, cap;
} out;

static pa_dfilter *filters[MAX_FILTERS];
static out outs[MAX_FILTERS];
static size_t nfilters;

static void append(out *o, uint64_t frame) {
    char b[24];
    int n = snprintf(b, sizeof b, "%s%llu", o->len ? " " : "", (unsigned long long)frame);
    if (o->len + (size_t)n + 1 > o->cap) {
        o->cap = (o->cap + (size_t)n + 1) * 2;
        o->text = realloc(o->text, o->cap);
        if (!o->text) exit(3);
    }
    memcpy(o->text + o->len, b, (size_t)n + 1);
    o->len += (size_t)n;
}

static void on_frame(void *ud, const pa_packet *p, const uint8_t *data, const pa_frame_ctx *ctx) {
    (void)ud;
    pa_dframe f;
    pa_dframe_init(&f, p, data, ctx);
    for (size_t i = 0; i < nfilters; i++)
        if (filters[i] && pa_dfilter_eval(filters[i], pa_dframe_get, &f)) append(&outs[i], p->frame_no);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: pa-dfilter CAPTURE FILTERS\n");
        return 2;
    }
    /* A test helper: it reads any path it is given (the server never does). */
    FILE *ff = fopen(argv[2], "r");
    if (!ff) return 2;
    char line[4096];
    static char *names[MAX_FILTERS];
    static char errs[MAX_FILTERS][1024];
    while (fgets(line, sizeof line, ff)) {
        line[strcspn(line, "\n")] = '\0';
        if (!line[0]) continue;
        if (nfilters == MAX_FILTERS) { /* never drop a filter silently */
            fprintf(stderr, "more than %d filters\n", MAX_FILTERS);
            return 2;
        }
        names[nfilters] = strdup(line);
        errs[nfilters][0] = '\0';
        filters[nfilters] = pa_dfilter_compile(line, errs[nfilters], sizeof errs[nfilters]);
        nfilters++;
    }
    fclose(ff);
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    uint8_t head[16] = {0};
    if (fd < 0 || fstat(fd, &st) != 0 || pread(fd, head, sizeof head, 0) < 4) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    pa_capfmt fmt = pa_capfmt_detect(head, sizeof head);
    pa_engine_opts o = {.on_frame = on_frame};
    pa_model *m = NULL;
    char err[256];
    if (pa_engine_analyze(fd, (uint64_t)st.st_size, &fmt, &o, &m, err, sizeof err) != PA_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    pa_model_free(m);
    for (size_t i = 0; i < nfilters; i++) {
        if (!filters[i])
            printf("%s\tERROR %s\n", names[i], errs[i]);
        else
            printf("%s\t%s\n", names[i], outs[i].text ? outs[i].text : "");
        pa_dfilter_free(filters[i]);
        free(outs[i].text);
        free(names[i]);
    }
    return 0;
}
