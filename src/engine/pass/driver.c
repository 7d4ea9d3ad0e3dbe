/* The pass driver: reads a capture frame by frame and folds each frame into
 * a model (fold.c). A display filter needs two reads, both run here:
 *
 *   1. deciding (mask_pass): every frame is folded, because a frame's filter
 *      fields need the analysis state of the frames before it (tcp.analysis,
 *      stream numbers, DNS response times); the filter's verdict for each
 *      frame goes into a frame mask, and the transactions a matching frame
 *      touches are kept whole (txkeep.h). The model of this read is dropped.
 *   2. counting (read_capture with the mask): the statistics model folds the
 *      matching frames only; a second, application-only fold reads every
 *      frame so that the kept transactions are counted complete.
 *
 * pa_engine_mask runs the first read alone (list_packets, search). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dframe.h"
#include "fold.h"

#define PROGRESS_EVERY 8192

/* The first pass of a display-filtered analysis: a bit per frame the filter
 * matches, and (keep) the verdict each frame gives the transactions waiting
 * for it. */
typedef struct mask_ctx {
    pa_frame_mask *fm;
    pa_txkeep *keep;
} mask_ctx;

static void mask_frame(void *ud, const pa_packet *p, const uint8_t *data, const pa_frame_ctx *ctx) {
    mask_ctx *mc = ud;
    pa_dframe f;
    pa_dframe_init(&f, p, data, ctx);
    bool match = pa_dfilter_eval(mc->fm->filter, pa_dframe_get, &f);
    if (match) pa_frame_mask_set(mc->fm, p->frame_no);
    if (mc->keep) pa_txkeep_frame_done(mc->keep, match);
}

static pa_status read_capture(int fd, uint64_t file_size, const pa_capfmt *fmt, const pa_engine_opts *opts,
                              const pa_frame_mask *fm, pa_txkeep *keep, pa_model **out, char *err, size_t errlen);

static pa_status mask_pass(int fd, uint64_t file_size, const pa_capfmt *fmt, const pa_engine_opts *opts,
                           const pa_dfilter *filter, pa_frame_mask *out, pa_txkeep *keep, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    out->filter = filter;
    mask_ctx mc = {out, keep};
    pa_engine_opts first = {.bpf = opts ? opts->bpf : NULL, .on_frame = mask_frame, .on_frame_ud = &mc};
    if (opts) {
        first.cancelled = opts->cancelled;
        first.progress = opts->progress;
        first.progress_ud = opts->progress_ud;
    }
    if (keep) {
        keep->matched = out;
        keep->deciding = true;
    }
    pa_model *m0 = NULL;
    pa_status st = read_capture(fd, file_size, fmt, &first, NULL, keep, &m0, err, errlen);
    pa_model_free(m0);
    if (st == PA_OK && (out->nomem || (keep && keep->kept.nomem))) {
        st = PA_NOMEM;
        snprintf(err, errlen, "out of memory");
    }
    out->filter = NULL;
    if (keep) keep->deciding = false;
    if (st != PA_OK) {
        pa_frame_mask_free(out);
        if (keep) pa_txkeep_free(keep);
    } else {
        out->active = true;
    }
    return st;
}

pa_status pa_engine_mask(int fd, uint64_t file_size, const pa_capfmt *fmt, const pa_engine_opts *opts,
                         const pa_dfilter *filter, pa_frame_mask *out, char *err, size_t errlen) {
    return mask_pass(fd, file_size, fmt, opts, filter, out, NULL, err, errlen);
}

/* One read of the capture. Without fm, every frame goes into one model (with
 * keep: the first pass of a display filter, deciding its transactions).
 * With fm (the second pass), the frames fm matches go into the statistics
 * model, and every frame into an application pass whose trackers count the
 * transactions keep kept, and the expert messages and credentials of the
 * matching frames, into the statistics model. */
static pa_status read_capture(int fd, uint64_t file_size, const pa_capfmt *fmt, const pa_engine_opts *opts,
                              const pa_frame_mask *fm, pa_txkeep *keep, pa_model **out, char *err, size_t errlen) {
    *out = NULL;
    const char *bpf = opts ? opts->bpf : NULL;
    pa_reader r;
    pa_status st = pa_reader_open(&r, fd, fmt, bpf, err, errlen);
    if (st != PA_OK) return st;
    /* the caller's frame and TCP callbacks see the statistics pass, its
     * application callbacks the application pass */
    pa_engine_opts stat_opts = opts ? *opts : (pa_engine_opts){0}, app_opts = {0};
    if (fm) {
        app_opts.on_app = stat_opts.on_app;
        app_opts.on_app_ud = stat_opts.on_app_ud;
        stat_opts.on_app = NULL;
    }
    pass ps, app = {0};
    if (!pa_fold_start(&ps, opts ? &stat_opts : NULL) || (fm && !pa_fold_start(&app, &app_opts))) {
        pa_model_free(ps.m);
        pa_fold_end(&ps);
        pa_reader_close(&r);
        snprintf(err, errlen, "out of memory");
        return PA_NOMEM;
    }
    pa_model *m = ps.m;
    if (fm) {
        ps.no_apps = true;
        app.apps_only = true;
        pa_fold_link_apps(app.m, &m->expert, &m->sec, keep);
    } else if (keep) {
        ps.keep = keep;
        pa_fold_link_apps(m, &m->expert, &m->sec, keep);
    }
    snprintf(m->format, sizeof m->format, "%s", pa_capfmt_id(fmt));
    if (bpf) snprintf(m->bpf, sizeof m->bpf, "%s", bpf);
    if (fm && opts->display_filter_text) snprintf(m->dfilter, sizeof m->dfilter, "%s", opts->display_filter_text);
    m->file_size = file_size;

    pa_frame fr;
    while (pa_reader_next(&r, &fr, &m->frames_filtered_out) == 1) {
        if ((r.frame_no % PROGRESS_EVERY) == 0) {
            if (opts && opts->cancelled && atomic_load(opts->cancelled)) {
                st = PA_CANCELLED;
                break;
            }
            if (opts && opts->progress) opts->progress(opts->progress_ud, pa_reader_offset(&r), file_size);
        }
        if (app.m) pa_fold_frame(&app, &fr, r.frame_no);
        /* Frame numbers stay those of the file, as in Wireshark, even
         * when a filter hides some frames. */
        if (fm && !pa_frame_mask_has(fm, r.frame_no)) {
            m->frames_filtered_out++;
            continue;
        }
        pa_fold_frame(&ps, &fr, r.frame_no);
        if (opts && opts->stop_after_frame && r.frame_no >= opts->stop_after_frame) break;
    }
    if (keep) keep->cur = 0; /* every frame has its verdict now */
    m->snaplen = r.snaplen;
    m->frames_read = r.frame_no;
    m->complete = !r.damaged;
    if (r.damaged) {
        m->stop_offset = r.error_offset;
        snprintf(m->stop_reason, sizeof m->stop_reason, "%s", r.error);
    }
    pa_fold_end(&ps);
    pa_fold_end(&app);
    pa_reader_close(&r);
    if (st == PA_CANCELLED) {
        pa_model_free(app.m);
        pa_model_free(m);
        snprintf(err, errlen, "cancelled");
        return st;
    }
    if (app.m) pa_fold_finish(app.m); /* its transactions end, some with expert messages for m */
    pa_fold_finish(m);
    if (app.m) {
        pa_fold_take_apps(m, app.m);
        pa_model_free(app.m);
    }
    pa_fold_unbind(m); /* the caller's callbacks do not outlive the pass */
    *out = m;
    return PA_OK;
}

pa_status pa_engine_analyze(int fd, uint64_t file_size, const pa_capfmt *fmt, const pa_engine_opts *opts,
                            pa_model **out, char *err, size_t errlen) {
    *out = NULL;
    if (!opts || !opts->display_filter) return read_capture(fd, file_size, fmt, opts, NULL, NULL, out, err, errlen);
    /* every frame once to learn which match (their analysis state needs
     * all of them) and which transactions those keep, then the statistics
     * over the matching frames and the transactions over every frame */
    int fd2 = dup(fd);
    if (fd2 < 0 || lseek(fd2, 0, SEEK_SET) != 0) {
        if (fd2 >= 0) close(fd2);
        close(fd);
        snprintf(err, errlen, "cannot read the capture twice");
        return PA_NOMEM;
    }
    pa_frame_mask fm;
    pa_txkeep keep = {0};
    pa_status st = mask_pass(fd2, file_size, fmt, opts, opts->display_filter, &fm, &keep, err, errlen);
    if (st != PA_OK || lseek(fd, 0, SEEK_SET) != 0) {
        pa_frame_mask_free(&fm);
        pa_txkeep_free(&keep);
        close(fd);
        if (st == PA_OK) snprintf(err, errlen, "cannot read the capture twice");
        return st == PA_OK ? PA_NOMEM : st;
    }
    keep.matched = &fm;
    st = read_capture(fd, file_size, fmt, opts, &fm, &keep, out, err, errlen);
    pa_frame_mask_free(&fm);
    pa_txkeep_free(&keep);
    return st;
}
