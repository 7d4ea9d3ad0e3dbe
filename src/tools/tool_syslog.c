/* analyze_network_topology's syslog part: syslog is what hosts say about
 * themselves to a collector, so it sits with the hosts (docs/APPLICATION_LAYER.md,
 * "Syslog"). Messages are data from the packets, quoted as such. */
#include "tool_syslog.h"

#include <stdlib.h>
#include <string.h>

static json_t *by_level(const uint64_t *lv) {
    json_t *o = json_object();
    for (unsigned i = 0; i < 8; i++)
        if (lv[i]) json_object_set_new(o, pa_syslog_level_name(i), json_integer((json_int_t)lv[i]));
    return o;
}

static int by_errors(const void *x, const void *y) {
    const pa_syslog_sender *a = *(const pa_syslog_sender *const *)x, *b = *(const pa_syslog_sender *const *)y;
    uint64_t ea = a->by_level[0] + a->by_level[1] + a->by_level[2] + a->by_level[3];
    uint64_t eb = b->by_level[0] + b->by_level[1] + b->by_level[2] + b->by_level[3];
    if (ea != eb) return ea < eb ? 1 : -1;
    return a->messages < b->messages ? 1 : a->messages > b->messages ? -1 : 0;
}

void pa_syslog_section(const pa_model *m, pa_report *rep, pa_buf *t, json_t *structured, size_t lim) {
    const pa_syslog_stats *st = &m->syslog;
    if (!st->messages) return;
    json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:o}", "messages", (json_int_t)st->messages, "rfc3164",
                          (json_int_t)st->rfc3164, "rfc5424", (json_int_t)st->rfc5424, "without_priority",
                          (json_int_t)st->no_pri, "by_severity", by_level(st->by_level));
    json_t *fac = json_object();
    for (unsigned i = 0; i < PA_SYSLOG_FACILITIES; i++)
        if (st->by_facility[i])
            json_object_set_new(fac, pa_syslog_facility_name(i), json_integer((json_int_t)st->by_facility[i]));
    if (st->other_facility) json_object_set_new(fac, "UNKNOWN", json_integer((json_int_t)st->other_facility));
    json_object_set_new(o, "by_facility", fac);
    const uint64_t *lv = st->by_level;
    pa_buf_printf(t,
                  "Syslog: %llu messages (%llu RFC 3164, %llu RFC 5424) from %zu hosts; by severity: emerg %llu, "
                  "alert %llu, crit %llu, err %llu, warning %llu, notice %llu, info %llu, debug %llu.\n",
                  (unsigned long long)st->messages, (unsigned long long)st->rfc3164, (unsigned long long)st->rfc5424,
                  (size_t)st->senders.count, (unsigned long long)lv[0], (unsigned long long)lv[1],
                  (unsigned long long)lv[2], (unsigned long long)lv[3], (unsigned long long)lv[4],
                  (unsigned long long)lv[5], (unsigned long long)lv[6], (unsigned long long)lv[7]);
    size_t n = st->senders.count;
    const pa_syslog_sender **v = malloc((n ? n : 1) * sizeof *v);
    for (size_t r = 0; v && r < n; r++) v[r] = pa_htab_rec(&st->senders, r);
    if (!v) n = 0;
    if (n > 1) qsort(v, n, sizeof *v, by_errors);
    pa_rows rows;
    pa_rows_begin(&rows, rep, "syslog senders", 0, lim, n, false);
    for (size_t i = 0; i < n && i < lim; i++) {
        const pa_syslog_sender *s = v[i];
        uint64_t errs = s->by_level[0] + s->by_level[1] + s->by_level[2] + s->by_level[3];
        const char *worst = s->worst < 8 ? pa_syslog_level_name(s->worst) : "none";
        json_t *r = json_pack("{s:o, s:s, s:o, s:I, s:s, s:I, s:o, s:I}", "address", pa_json_addr(&s->addr), "hostname",
                              s->hostname, "collector", pa_json_addr(&s->collector), "messages",
                              (json_int_t)s->messages, "most_severe", worst, "errors_or_worse", (json_int_t)errs,
                              "by_severity", by_level(s->by_level), "first_frame", (json_int_t)s->first_frame);
        char a[64], c[64];
        pa_addr_str(&s->addr, a, sizeof a);
        pa_addr_str(&s->collector, c, sizeof c);
        pa_buf *ln = pa_rows_line(&rows);
        if (!i) pa_buf_printf(ln, "Syslog senders (%zu of %zu, most errors first):\n", n < lim ? n : lim, n);
        pa_buf_printf(ln, "  %s (hostname '%s') -> %s: %llu messages, %llu at err or worse, most severe %s\n", a,
                      s->hostname, c, (unsigned long long)s->messages, (unsigned long long)errs, worst);
        if (!pa_rows_push(&rows, r)) break;
    }
    pa_rows_end(&rows, o, "senders", NULL);
    free(v);
    size_t k = st->nsamples < lim ? st->nsamples : lim;
    pa_rows_begin(&rows, rep, "syslog messages", 0, k, st->nsamples, false);
    for (size_t i = 0; i < k; i++) {
        const pa_syslog_sample *s = &st->samples[i];
        const char *sev = s->has_pri ? pa_syslog_level_name(s->level) : "none";
        const char *fa = s->has_pri ? pa_syslog_facility_name(s->facility) : "none";
        json_t *r = json_pack("{s:I, s:o, s:o, s:s, s:s, s:s, s:s, s:s}", "frame", (json_int_t)s->frame, "sender",
                              pa_json_addr(&s->sender), "collector", pa_json_addr(&s->collector), "facility", fa,
                              "severity", sev, "hostname", s->hostname, "app", s->app, "message", s->text);
        char a[64];
        pa_addr_str(&s->sender, a, sizeof a);
        pa_buf *ln = pa_rows_line(&rows);
        if (!i) pa_buf_printf(ln, "Most severe syslog messages (%zu of %zu kept):\n", k, st->nsamples);
        pa_buf_printf(ln, "  frame %llu %s %s.%s: \"%s\"\n", (unsigned long long)s->frame, a, fa, sev, s->text);
        if (!pa_rows_push(&rows, r)) break;
    }
    pa_rows_end(&rows, o, "most_severe_messages", NULL);
    json_object_set_new(structured, "syslog", o);
}
