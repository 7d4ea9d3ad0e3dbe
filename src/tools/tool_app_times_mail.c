/* analyze_application_response_times: the SMTP, POP and IMAP sections (each request ->
 * its reply: commands, AUTH exchanges, a message -> the reply after its
 * "." line; reply codes, authentication outcomes and failed logins per
 * client). The other sections are in tool_app_times.c and
 * tool_app_times_ssh_ntp.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_app_times.h"

/* The failed logins of a login table in FTP's row shape (the tables of
 * POP and IMAP share their record's layout through these fields). */
#define LOGIN_ROWS(rep, s, table, type, what, lim)                                                                     \
    do {                                                                                                               \
        size_t n_ = 0;                                                                                                 \
        json_t **rows_ = malloc(((table).count ? (table).count : 1) * sizeof *rows_);                                  \
        for (size_t r_ = 0; rows_ && r_ < (table).count; r_++) {                                                       \
            const type *a_ = pa_htab_rec(&(table), r_);                                                                \
            if (!a_->failed) continue;                                                                                 \
            rows_[n_++] = json_pack("{s:o, s:o, s:i, s:I, s:I, s:I, s:s}", "client", pa_json_addr(&a_->client),        \
                                    "server", pa_json_addr(&a_->server), "server_port", a_->port, "count",             \
                                    (json_int_t)a_->failed, "succeeded", (json_int_t)a_->ok, "first_failed_frame",     \
                                    (json_int_t)a_->first_failed_frame, "last_user", a_->user);                        \
        }                                                                                                              \
        pa_app_login_rows(rep, (s)->obj, what, rows_, n_, lim);                                                        \
        free(rows_);                                                                                                   \
    } while (0)

typedef char smtp_line[PA_SMTP_VERB_MAX + PA_SMTP_ARG_MAX + 1];

void pa_app_smtp_section(const pa_model *m, pa_buf *t, timed *s) {
    const pa_smtp_stats *st = &m->smtp;
    sample *v = malloc((st->ntx ? st->ntx : 1) * sizeof *v);
    smtp_line *lines = malloc((st->ntx ? st->ntx : 1) * sizeof *lines);
    size_t n = 0;
    for (size_t i = 0; v && lines && i < st->ntx; i++) {
        const pa_smtp_tx *x = &st->tx[i];
        if (x->rt_ns < 0) continue;
        if (x->kind == PA_SMTP_REQ_COMMAND)
            snprintf(lines[n], sizeof lines[n], "%s%s%s", x->verb, x->arg[0] ? " " : "", x->arg);
        else
            snprintf(lines[n], sizeof lines[n], "%s", x->kind == PA_SMTP_REQ_MESSAGE ? x->arg : "(AUTH response)");
        v[n] = (sample){.client = x->client,
                        .server = x->server,
                        .cport = x->cport,
                        .port = x->sport,
                        .stream = -1,
                        .ns = x->rt_ns,
                        .frame = x->cmd_frame,
                        .frame2 = x->reply_frame,
                        .what = lines[n]};
        n++;
    }
    pa_app_section(s, "smtp",
                   "client line -> its reply: a command, an AUTH response, or a message's \".\" line -> the reply "
                   "accepting the message",
                   v, n, t);
    s->own = lines;
    s->frame2_key = "reply_frame";
    s->frame2_text = "reply frame";
    pa_buf_printf(t,
                  "  smtp: %llu sessions, %llu commands, %llu replies (2xx %llu, 3xx %llu, 4xx %llu, 5xx %llu), "
                  "%llu unanswered; %llu messages (%llu bytes) to %llu recipients; STARTTLS %llu (%llu to TLS); "
                  "AUTH %llu succeeded, %llu failed.\n",
                  (unsigned long long)st->sessions, (unsigned long long)st->commands, (unsigned long long)st->replies,
                  (unsigned long long)st->reply_class[2], (unsigned long long)st->reply_class[3],
                  (unsigned long long)st->reply_class[4], (unsigned long long)st->reply_class[5],
                  (unsigned long long)st->unanswered, (unsigned long long)st->messages,
                  (unsigned long long)st->message_bytes, (unsigned long long)st->recipients,
                  (unsigned long long)st->starttls, (unsigned long long)st->starttls_ok,
                  (unsigned long long)st->auth_ok, (unsigned long long)st->auth_failed);
    json_t *o = s->obj;
    json_object_set_new(o, "note",
                        json_string("tshark 4.0 has no SMTP command -> reply time field. AUTH responses and "
                                    "passwords are never kept; the identity is decoded from AUTH PLAIN and LOGIN."));
    json_object_set_new(o, "sessions", json_integer((json_int_t)st->sessions));
    json_object_set_new(o, "commands", json_integer((json_int_t)st->commands));
    json_object_set_new(o, "replies", json_integer((json_int_t)st->replies));
    json_object_set_new(o, "unanswered", json_integer((json_int_t)st->unanswered));
    json_object_set_new(o, "orphan_replies", json_integer((json_int_t)st->orphan_replies));
    json_object_set_new(o, "reply_classes",
                        json_pack("{s:I, s:I, s:I, s:I}", "2xx", (json_int_t)st->reply_class[2], "3xx",
                                  (json_int_t)st->reply_class[3], "4xx", (json_int_t)st->reply_class[4], "5xx",
                                  (json_int_t)st->reply_class[5]));
    json_object_set_new(o, "messages",
                        json_pack("{s:I, s:I, s:I}", "messages", (json_int_t)st->messages, "bytes",
                                  (json_int_t)st->message_bytes, "recipients", (json_int_t)st->recipients));
    json_t *auth = json_pack("{s:I, s:I}", "succeeded", (json_int_t)st->auth_ok, "failed", (json_int_t)st->auth_failed);
    for (int k = 0; k < PA_SMTP_MECH_COUNT; k++)
        if (st->auth_attempts[k])
            json_object_set_new(auth, pa_smtp_mech_names[k], json_integer((json_int_t)st->auth_attempts[k]));
    json_object_set_new(o, "auth", auth);
    json_object_set_new(o, "verbs",
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "EHLO", (json_int_t)st->ehlo,
                                  "HELO", (json_int_t)st->helo, "MAIL", (json_int_t)st->mail, "RCPT",
                                  (json_int_t)st->rcpt, "DATA", (json_int_t)st->data, "BDAT", (json_int_t)st->bdat,
                                  "RSET", (json_int_t)st->rset, "QUIT", (json_int_t)st->quit, "AUTH",
                                  (json_int_t)st->auth, "other", (json_int_t)st->other_verbs));
    json_object_set_new(
        o, "starttls",
        json_pack("{s:I, s:I}", "requested", (json_int_t)st->starttls, "accepted", (json_int_t)st->starttls_ok));
    json_object_set_new(o, "parsing",
                        json_pack("{s:I, s:I, s:I, s:I}", "bad_lines", (json_int_t)st->bad_lines, "long_lines",
                                  (json_int_t)st->long_lines, "gaps", (json_int_t)st->gaps, "streams_capped",
                                  (json_int_t)st->streams_capped));
}

void pa_app_smtp_rows(pa_report *rep, timed *s, const pa_model *m, size_t lim) {
    const pa_smtp_stats *st = &m->smtp;
    pa_app_code_rows(rep, s->obj, "smtp reply codes", st->reply_code, lim);
    LOGIN_ROWS(rep, s, st->auths, pa_login_pair, "smtp failed logins", lim);
}

typedef char mail_line[PA_IMAP_TAG_MAX + PA_IMAP_VERB_MAX + PA_IMAP_ARG_MAX + 3];

static void common_counts(json_t *o, uint64_t sessions, uint64_t commands, uint64_t replies, uint64_t unanswered,
                          uint64_t orphans, uint64_t ok, uint64_t failed) {
    json_object_set_new(o, "sessions", json_integer((json_int_t)sessions));
    json_object_set_new(o, "commands", json_integer((json_int_t)commands));
    json_object_set_new(o, "replies", json_integer((json_int_t)replies));
    json_object_set_new(o, "unanswered", json_integer((json_int_t)unanswered));
    json_object_set_new(o, "orphan_replies", json_integer((json_int_t)orphans));
    json_object_set_new(o, "logins",
                        json_pack("{s:I, s:I}", "succeeded", (json_int_t)ok, "failed", (json_int_t)failed));
}

void pa_app_pop_section(const pa_model *m, pa_buf *t, timed *s) {
    const pa_pop_stats *st = &m->pop;
    sample *v = malloc((st->ntx ? st->ntx : 1) * sizeof *v);
    mail_line *lines = malloc((st->ntx ? st->ntx : 1) * sizeof *lines);
    size_t n = 0;
    for (size_t i = 0; v && lines && i < st->ntx; i++) {
        const pa_pop_tx *x = &st->tx[i];
        if (x->rt_ns < 0) continue;
        snprintf(lines[n], sizeof lines[n], "%s%s%s", x->verb, x->arg[0] ? " " : "", x->arg);
        v[n] = (sample){.client = x->client,
                        .server = x->server,
                        .cport = x->cport,
                        .port = x->sport,
                        .stream = -1,
                        .ns = x->rt_ns,
                        .frame = x->cmd_frame,
                        .frame2 = x->reply_frame,
                        .what = lines[n]};
        n++;
    }
    pa_app_section(s, "pop", "command -> its status line (+OK, -ERR, or a \"+ \" continuation of AUTH)", v, n, t);
    s->own = lines;
    s->frame2_key = "reply_frame";
    s->frame2_text = "reply frame";
    pa_buf_printf(t,
                  "  pop: %llu sessions, %llu commands, %llu replies (+OK %llu, -ERR %llu, continuations %llu), "
                  "%llu unanswered; RETR %llu (%llu bytes); STLS %llu (%llu to TLS); logins %llu succeeded, "
                  "%llu failed.\n",
                  (unsigned long long)st->sessions, (unsigned long long)st->commands, (unsigned long long)st->replies,
                  (unsigned long long)st->ok, (unsigned long long)st->err, (unsigned long long)st->continuations,
                  (unsigned long long)st->unanswered, (unsigned long long)st->retr, (unsigned long long)st->retr_bytes,
                  (unsigned long long)st->stls, (unsigned long long)st->stls_ok, (unsigned long long)st->logins_ok,
                  (unsigned long long)st->logins_failed);
    json_t *o = s->obj;
    json_object_set_new(o, "note",
                        json_string("tshark 4.0 has no POP command -> reply time field. PASS, APOP and AUTH data "
                                    "are never kept; RETR bytes are the message lines, byte-stuffing included."));
    common_counts(o, st->sessions, st->commands, st->replies, st->unanswered, st->orphan_replies, st->logins_ok,
                  st->logins_failed);
    json_object_set_new(o, "statuses",
                        json_pack("{s:I, s:I, s:I}", "+OK", (json_int_t)st->ok, "-ERR", (json_int_t)st->err,
                                  "continuation", (json_int_t)st->continuations));
    json_object_set_new(o, "messages",
                        json_pack("{s:I, s:I, s:I}", "retr", (json_int_t)st->retr, "retr_bytes",
                                  (json_int_t)st->retr_bytes, "multi_line_lines", (json_int_t)st->multi_lines));
    json_object_set_new(o, "auth",
                        json_pack("{s:I, s:I, s:I}", "USER/PASS", (json_int_t)st->login_user_pass, "APOP",
                                  (json_int_t)st->login_apop, "AUTH", (json_int_t)st->login_auth));
    json_object_set_new(
        o, "starttls", json_pack("{s:I, s:I}", "requested", (json_int_t)st->stls, "accepted", (json_int_t)st->stls_ok));
    json_object_set_new(o, "parsing",
                        json_pack("{s:I, s:I, s:I, s:I}", "bad_lines", (json_int_t)st->bad_lines, "long_lines",
                                  (json_int_t)st->long_lines, "gaps", (json_int_t)st->gaps, "streams_capped",
                                  (json_int_t)st->streams_capped));
}

void pa_app_imap_section(const pa_model *m, pa_buf *t, timed *s) {
    const pa_imap_stats *st = &m->imap;
    sample *v = malloc((st->ntx ? st->ntx : 1) * sizeof *v);
    mail_line *lines = malloc((st->ntx ? st->ntx : 1) * sizeof *lines);
    size_t n = 0;
    for (size_t i = 0; v && lines && i < st->ntx; i++) {
        const pa_imap_tx *x = &st->tx[i];
        if (x->rt_ns < 0) continue;
        snprintf(lines[n], sizeof lines[n], "%s %s%s%s", x->tag, x->verb, x->arg[0] ? " " : "", x->arg);
        v[n] = (sample){.client = x->client,
                        .server = x->server,
                        .cport = x->cport,
                        .port = x->sport,
                        .stream = -1,
                        .ns = x->rt_ns,
                        .frame = x->cmd_frame,
                        .frame2 = x->reply_frame,
                        .what = lines[n]};
        n++;
    }
    pa_app_section(s, "imap", "tagged command -> the tagged response with its tag (tshark's imap.time)", v, n, t);
    s->own = lines;
    s->frame2_key = "reply_frame";
    s->frame2_text = "response frame";
    pa_buf_printf(t,
                  "  imap: %llu sessions, %llu commands, %llu tagged responses (OK %llu, NO %llu, BAD %llu), %llu "
                  "untagged, %llu unanswered; %llu literal bytes from servers; STARTTLS %llu (%llu to TLS); logins "
                  "%llu succeeded, %llu failed.\n",
                  (unsigned long long)st->sessions, (unsigned long long)st->commands, (unsigned long long)st->responses,
                  (unsigned long long)st->status[PA_IMAP_OK], (unsigned long long)st->status[PA_IMAP_NO],
                  (unsigned long long)st->status[PA_IMAP_BAD], (unsigned long long)st->untagged,
                  (unsigned long long)st->unanswered, (unsigned long long)st->literal_bytes,
                  (unsigned long long)st->starttls, (unsigned long long)st->starttls_ok,
                  (unsigned long long)st->logins_ok, (unsigned long long)st->logins_failed);
    json_t *o = s->obj;
    json_object_set_new(o, "note",
                        json_string("Times as tshark's imap.time (a tagged response -> the command with its tag). "
                                    "LOGIN passwords and AUTHENTICATE data are never kept."));
    common_counts(o, st->sessions, st->commands, st->responses, st->unanswered, st->orphan_responses, st->logins_ok,
                  st->logins_failed);
    json_object_set_new(o, "statuses",
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "OK", (json_int_t)st->status[PA_IMAP_OK], "NO",
                                  (json_int_t)st->status[PA_IMAP_NO], "BAD", (json_int_t)st->status[PA_IMAP_BAD],
                                  "untagged", (json_int_t)st->untagged, "continuation", (json_int_t)st->continuations,
                                  "bye", (json_int_t)st->byes));
    json_object_set_new(o, "messages", json_pack("{s:I}", "literal_bytes", (json_int_t)st->literal_bytes));
    json_object_set_new(o, "auth",
                        json_pack("{s:I, s:I}", "LOGIN", (json_int_t)st->login_plain, "AUTHENTICATE",
                                  (json_int_t)st->login_authenticate));
    json_object_set_new(
        o, "starttls",
        json_pack("{s:I, s:I}", "requested", (json_int_t)st->starttls, "accepted", (json_int_t)st->starttls_ok));
    json_object_set_new(o, "parsing",
                        json_pack("{s:I, s:I, s:I, s:I}", "bad_lines", (json_int_t)st->bad_lines, "long_lines",
                                  (json_int_t)st->long_lines, "gaps", (json_int_t)st->gaps, "streams_capped",
                                  (json_int_t)st->streams_capped));
}

void pa_app_pop_rows(pa_report *rep, timed *s, const pa_model *m, size_t lim) {
    LOGIN_ROWS(rep, s, m->pop.pairs, pa_login_pair, "pop failed logins", lim);
}

void pa_app_imap_rows(pa_report *rep, timed *s, const pa_model *m, size_t lim) {
    LOGIN_ROWS(rep, s, m->imap.pairs, pa_login_pair, "imap failed logins", lim);
}
