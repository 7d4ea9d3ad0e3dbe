/* Syslog messages (RFC 3164 and RFC 5424) as Wireshark 4.0's syslog
 * dissector reads one datagram: "<PRI>" (up to three digits), then, when
 * the message starts with "1 ", the RFC 5424 header (version, timestamp,
 * hostname, app-name, procid, and the rest, which Wireshark names
 * syslog.msgid), else, when it starts with an RFC 3164 timestamp
 * ("Mmm dd hh:mm:ss "), the hostname, the tag's leading letters and
 * digits (syslog.procid) and the rest (syslog.msgid). Pure functions over
 * the bytes, through the cursor; the views borrow them. */
#ifndef PA_SYSLOG_PARSE_H
#define PA_SYSLOG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pa_syslog_span {
    bool present;
    const uint8_t *p; /* borrowed */
    size_t n;
} pa_syslog_span;

typedef struct pa_syslog_msg {
    bool has_pri;
    uint32_t pri;
    uint8_t facility, level; /* Wireshark's: (pri & 0x3f8) >> 3 and pri & 7 */
    pa_syslog_span msg;      /* syslog.msg: after the priority */
    bool rfc5424, rfc3164;   /* which header was read */
    pa_syslog_span version, timestamp, ts3164, hostname, appname, procid, msgid;
} pa_syslog_msg;

/* The bytes start with "<PRI>": one to four digits, at most 191 (what
 * names a UDP 514 datagram syslog here). */
bool pa_syslog_looks(const uint8_t *d, size_t n);
void pa_syslog_parse(const uint8_t *d, size_t n, pa_syslog_msg *out);
/* Wireshark's short names: "KERN", "USER" ... "LOCAL7"; "EMERG" ... "DEBUG" */
const char *pa_syslog_facility_name(unsigned f);
const char *pa_syslog_level_name(unsigned l);

#endif
