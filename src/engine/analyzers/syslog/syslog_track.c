#include "syslog_track.h"

#include <stdlib.h>
#include <string.h>

int pa_syslog_stats_init(pa_syslog_stats *st) {
    memset(st, 0, sizeof *st);
    return pa_htab_init(&st->senders, sizeof(pa_syslog_sender), sizeof(pa_addr), PA_SYSLOG_MAX_SENDERS);
}

void pa_syslog_stats_free(pa_syslog_stats *st) { pa_htab_free(&st->senders); }

static void copy_span(char *dst, size_t size, const pa_syslog_span *s) {
    size_t k = 0;
    for (size_t i = 0; s->present && i < s->n && k + 1 < size; i++)
        dst[k++] = s->p[i] >= 0x20 && s->p[i] < 0x7f ? (char)s->p[i] : '?';
    dst[k] = '\0';
}

/* A sample's rank: its level (no priority ranks last), then its frame. */
static int rank(const pa_syslog_sample *s) { return s->has_pri ? s->level : 8; }

/* Keeps the PA_SYSLOG_SAMPLES most severe messages, the earliest of a level. */
static void sample(pa_syslog_stats *st, const pa_packet *p, const pa_syslog_msg *m) {
    pa_syslog_sample s;
    memset(&s, 0, sizeof s);
    s.frame = p->frame_no;
    s.sender = p->src;
    s.collector = p->dst;
    s.has_pri = m->has_pri;
    s.facility = m->facility;
    s.level = m->level;
    copy_span(s.hostname, sizeof s.hostname, &m->hostname);
    copy_span(s.app, sizeof s.app, m->rfc5424 ? &m->appname : &m->procid);
    copy_span(s.text, sizeof s.text, &m->msg);
    if (st->nsamples < PA_SYSLOG_SAMPLES) {
        st->samples[st->nsamples++] = s;
        return;
    }
    size_t worst = 0; /* the least severe kept, latest among equals */
    for (size_t i = 1; i < st->nsamples; i++)
        if (rank(&st->samples[i]) >= rank(&st->samples[worst])) worst = i;
    if (rank(&s) < rank(&st->samples[worst])) st->samples[worst] = s;
}

void pa_syslog_message(pa_syslog_stats *st, const pa_packet *p, const pa_syslog_msg *m) {
    st->messages++;
    if (m->rfc5424)
        st->rfc5424++;
    else if (m->rfc3164)
        st->rfc3164++;
    else
        st->other_format++;
    if (m->has_pri) {
        st->by_level[m->level]++;
        if (m->facility < PA_SYSLOG_FACILITIES)
            st->by_facility[m->facility]++;
        else
            st->other_facility++;
    } else {
        st->no_pri++;
    }
    bool created;
    pa_syslog_sender key;
    memset(&key, 0, sizeof key);
    key.addr = p->src;
    pa_syslog_sender *s = pa_htab_upsert(&st->senders, &key, &created);
    if (!s) {
        st->senders_dropped++;
    } else {
        if (created) {
            s->first_frame = p->frame_no;
            s->worst = 8;
            s->collector = p->dst;
        }
        s->messages++;
        if (m->has_pri) {
            s->by_level[m->level]++;
            if (m->level < s->worst) s->worst = m->level;
        } else {
            s->no_pri++;
        }
        if (!s->hostname[0]) copy_span(s->hostname, sizeof s->hostname, &m->hostname);
    }
    sample(st, p, m);
}

static int by_rank(const void *x, const void *y) {
    const pa_syslog_sample *a = x, *b = y;
    if (rank(a) != rank(b)) return rank(a) - rank(b);
    return a->frame < b->frame ? -1 : a->frame > b->frame;
}

void pa_syslog_finish(pa_syslog_stats *st) {
    if (st->nsamples > 1) qsort(st->samples, st->nsamples, sizeof st->samples[0], by_rank);
}
