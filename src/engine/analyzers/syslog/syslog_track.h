/* Syslog over the capture: messages by severity and facility, per sending
 * host (with the hostname it gives and its most severe level), and the
 * most severe messages themselves (errors logged on the wire). Bounded. */
#ifndef PA_SYSLOG_TRACK_H
#define PA_SYSLOG_TRACK_H

#include "htab.h"
#include "packet.h"
#include "syslog_parse.h"
#include "txkeep.h"

#define PA_SYSLOG_MAX_SENDERS 4096
#define PA_SYSLOG_SAMPLES 32 /* the most severe messages kept */
#define PA_SYSLOG_FACILITIES 24
#define PA_SYSLOG_TEXT_MAX 200
#define PA_SYSLOG_NAME_MAX 64

typedef struct pa_syslog_sender {
    pa_addr addr; /* key */
    uint64_t messages, by_level[8], no_pri;
    uint64_t first_frame;
    uint8_t worst;     /* lowest level seen (0 emergency); 8 none */
    pa_addr collector; /* where its first message went */
    char hostname[PA_SYSLOG_NAME_MAX];
} pa_syslog_sender;

typedef struct pa_syslog_sample {
    uint64_t frame;
    pa_addr sender, collector;
    bool has_pri;
    uint8_t facility, level;
    char hostname[PA_SYSLOG_NAME_MAX], app[PA_SYSLOG_NAME_MAX];
    char text[PA_SYSLOG_TEXT_MAX];
} pa_syslog_sample;

typedef struct pa_syslog_stats {
    uint64_t messages, no_pri, rfc5424, rfc3164, other_format;
    uint64_t by_level[8], by_facility[PA_SYSLOG_FACILITIES], other_facility;
    pa_htab senders; /* pa_syslog_sender */
    uint64_t senders_dropped;
    pa_syslog_sample samples[PA_SYSLOG_SAMPLES]; /* most severe first at the end */
    size_t nsamples;
    pa_txkeep *keep;
} pa_syslog_stats;

int pa_syslog_stats_init(pa_syslog_stats *st);
void pa_syslog_stats_free(pa_syslog_stats *st);
void pa_syslog_message(pa_syslog_stats *st, const pa_packet *p, const pa_syslog_msg *m);
/* End of the pass: the samples by severity, then frame. */
void pa_syslog_finish(pa_syslog_stats *st);

#endif
