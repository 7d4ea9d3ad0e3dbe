/* What the sections of analyze_application_response_times share
 * (tool_app_times.c, tool_app_times_ssh_ntp.c, tool_app_times_ldap.c, tool_app_times_mail.c, tool_app_times_dcerpc.c,
 * tool_app_times_kerberos.c). */
#ifndef PA_TOOL_APP_TIMES_H
#define PA_TOOL_APP_TIMES_H

#include "tool_report.h"
#include "tool_tcp_common.h"

typedef struct sample {
    pa_addr client, server;
    uint16_t cport, port;
    int64_t stream; /* tcp/udp stream; -1 when not kept (HTTP transactions) */
    bool udp;       /* the stream is a udp.stream */
    int64_t ns;
    uint64_t frame;                       /* where the measure starts (DNS: the response) */
    uint64_t frame2;                      /* the other end of the measure (DNS: the query) */
    const char *what;                     /* borrowed from the model: URI, SNI, name ... */
    const char *what2;                    /* method */
    bool clock;                           /* NTP: offset_ns and delay_ns hold the exchange's clock offset and delay */
    int64_t offset_ns, delay_ns, skew_ns; /* NTP: and the client's clock minus the capture's */
} sample;

/* One timed metric, as planned before rendering. */
typedef struct timed {
    json_t *obj;   /* in res->structured: name, measures, overall, ... */
    json_t **rows; /* per server, slowest p90 first */
    size_t nsv;
    sample *slow; /* slowest first */
    size_t nslow;
    const char *name;
    const char *frame2_key, *frame2_text; /* "response_frame", "response frame" */
    void *own;                            /* what the samples point into (FTP command lines); freed with them */
    void (*server_text)(pa_buf *, const json_t *); /* what a per-server row adds to its text line */
} timed;

/* One timed metric from exact samples (v is kept, sorted slowest first):
 * the summary line now, the lists later. */
void pa_app_section(timed *s, const char *name, const char *measures, sample *v, size_t n, pa_buf *t);

/* qsort orders: samples by server (then time); per-server rows slowest p90 first */
int pa_app_by_server(const void *x, const void *y);
int pa_app_by_p90_desc(const void *x, const void *y);

void pa_app_ssh_section(const pa_model *m, pa_buf *t, timed *s);
void pa_app_ssh_rows(pa_report *rep, timed *s, const pa_model *m, size_t lim);
void pa_app_ntp_section(const pa_model *m, pa_buf *t, timed *s);
void pa_app_ldap_section(const pa_model *m, pa_buf *t, timed *s); /* tool_app_times_ldap.c */
void pa_app_smtp_section(const pa_model *m, pa_buf *t, timed *s);
void pa_app_smtp_rows(pa_report *rep, timed *s, const pa_model *m, size_t lim);
void pa_app_pop_section(const pa_model *m, pa_buf *t, timed *s);
void pa_app_pop_rows(pa_report *rep, timed *s, const pa_model *m, size_t lim);
void pa_app_imap_section(const pa_model *m, pa_buf *t, timed *s);
void pa_app_imap_rows(pa_report *rep, timed *s, const pa_model *m, size_t lim);
/* FTP's lists, shared: failed logins per client-server pair (rows in FTP's
 * shape, freed here) and replies per code (per_code: 600 counters). */
void pa_app_login_rows(pa_report *rep, json_t *obj, const char *what, json_t **rows, size_t n, size_t lim);
void pa_app_code_rows(pa_report *rep, json_t *obj, const char *what, const uint64_t *per_code, size_t lim);
/* the dcerpc section (tool_app_times_dcerpc.c): lim bounds its text lists */
void pa_app_dcerpc_section(const pa_model *m, pa_buf *t, timed *s, size_t lim);
void pa_app_smb2_section(const pa_model *m, pa_buf *t, timed *s);
void pa_app_smb2_rows(pa_report *rep, timed *s, const pa_model *m, size_t lim);
void pa_app_kerberos_section(const pa_model *m, pa_buf *t, timed *s);
/* The snmp section (tool_app_times_snmp.c). */
void pa_app_snmp_section(const pa_model *m, pa_buf *t, timed *s);
void pa_app_snmp_rows(pa_report *rep, timed *s, const pa_model *m, size_t lim);
/* The ftp section's data transfers (tool_app_times_ftp_data.c). */
void pa_app_ftp_data_rows(pa_report *rep, json_t *obj, const pa_model *m, size_t lim);

#endif
