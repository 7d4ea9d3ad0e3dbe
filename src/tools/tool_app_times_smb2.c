/* The smb2 section of analyze_application_response_times: tshark's
 * `-z smb2,srt` table (per command: calls, min, max, average and sum of the
 * service response times), percentiles per server, and what SMB2 says
 * besides: sessions with their dialect, signing and encryption, errors by
 * NT status and command, files opened per share, named pipes. */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "smb2_analyzer.h"
#include "tool_app_times.h"

static const char *status_text(uint32_t status, char *buf, size_t n) {
    const char *s = pa_smb2_status_name(status);
    if (s) return s;
    snprintf(buf, n, "Unknown (0x%08X)", status);
    return buf;
}

/* tshark's SRT table: the rows with calls, in opcode order. */
static void srt_table(const pa_smb2_stats *st, pa_buf *t, json_t *obj) {
    json_t *rows = json_array();
    pa_buf_puts(t, "  smb2 srt (tshark -z smb2,srt): index command calls min max avg sum (seconds)\n");
    for (int i = 0; i < PA_SMB2_SRT_ROWS; i++) {
        const pa_smb2_srt *r = &st->srt[i];
        if (!r->calls) continue;
        /* microseconds rounded as tshark's srt table rounds them (the average
         * from the nanosecond sum divided by the calls) */
        double min = (double)((r->min_ns + 500) / 1000) / 1e6, max = (double)((r->max_ns + 500) / 1000) / 1e6;
        double sum = (double)((r->sum_ns + 500) / 1000) / 1e6;
        double avg = (double)((r->sum_ns / (int64_t)r->calls + 500) / 1000) / 1e6;
        const char *name = pa_smb2_cmd_name((uint16_t)i);
        pa_buf_printf(t, "    %3d %-20s %6llu %.6f %.6f %.6f %.6f\n", i, name, (unsigned long long)r->calls, min, max,
                      avg, sum);
        json_array_append_new(rows,
                              json_pack("{s:i, s:s, s:I, s:f, s:f, s:f, s:f}", "index", i, "command", name, "calls",
                                        (json_int_t)r->calls, "min_s", min, "max_s", max, "avg_s", avg, "sum_s", sum));
    }
    json_object_set_new(obj, "srt", rows);
}

static void counts(const pa_smb2_stats *st, pa_buf *t, json_t *obj) {
    pa_buf_printf(t,
                  "  smb2: %llu connections, %llu NBSS messages (%llu other than session messages, %llu continuation "
                  "segments), %llu SMB1 messages (%llu negotiates, %llu offering SMB2), %llu SMB2 commands (%llu "
                  "requests, %llu responses, %llu interim STATUS_PENDING, %llu unmatched responses, %llu signed), "
                  "%llu encrypted messages (%llu bytes), %llu compressed; %llu bytes read, %llu written.\n",
                  (unsigned long long)st->connections, (unsigned long long)st->nbss_messages,
                  (unsigned long long)st->nbss_other, (unsigned long long)st->continuations,
                  (unsigned long long)st->smb1_messages, (unsigned long long)st->smb1_negotiates,
                  (unsigned long long)st->smb1_offers_smb2, (unsigned long long)st->smb2_commands,
                  (unsigned long long)st->requests, (unsigned long long)st->responses, (unsigned long long)st->interim,
                  (unsigned long long)st->unmatched_responses, (unsigned long long)st->signed_messages,
                  (unsigned long long)st->encrypted, (unsigned long long)st->encrypted_bytes,
                  (unsigned long long)st->compressed, (unsigned long long)st->bytes_read,
                  (unsigned long long)st->bytes_written);
    json_t *m = json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
        "connections", (json_int_t)st->connections, "nbss_messages", (json_int_t)st->nbss_messages, "nbss_other",
        (json_int_t)st->nbss_other, "nbss_continuations", (json_int_t)st->continuations, "smb1_messages",
        (json_int_t)st->smb1_messages, "smb1_negotiates", (json_int_t)st->smb1_negotiates, "smb1_offers_smb2",
        (json_int_t)st->smb1_offers_smb2, "smb2_commands", (json_int_t)st->smb2_commands, "requests",
        (json_int_t)st->requests, "responses", (json_int_t)st->responses, "interim_pending", (json_int_t)st->interim,
        "unmatched_responses", (json_int_t)st->unmatched_responses, "signed", (json_int_t)st->signed_messages,
        "encrypted", (json_int_t)st->encrypted, "encrypted_bytes", (json_int_t)st->encrypted_bytes, "compressed",
        (json_int_t)st->compressed, "bytes_read", (json_int_t)st->bytes_read, "bytes_written",
        (json_int_t)st->bytes_written, "malformed", (json_int_t)st->malformed, "gaps", (json_int_t)st->gaps);
    json_object_set_new(m, "pending_dropped", json_integer((json_int_t)st->pending_dropped));
    json_t *by = json_object();
    for (int c = 0; c <= PA_SMB2_NCMDS; c++) {
        uint64_t k = st->cmd_count[c][0] + st->cmd_count[c][1];
        if (k)
            json_object_set_new(by, c < PA_SMB2_NCMDS ? pa_smb2_cmd_name((uint16_t)c) : "other",
                                json_integer((json_int_t)k));
    }
    json_object_set_new(obj, "messages", m);
    json_object_set_new(obj, "smb2_commands", by);
}

void pa_app_smb2_section(const pa_model *m, pa_buf *t, timed *s) {
    const pa_smb2_stats *st = &m->smb2;
    sample *v = malloc((st->ntx ? st->ntx : 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; v && i < st->ntx; i++) {
        const pa_smb2_tx *x = &st->tx[i];
        v[n++] = (sample){.client = x->client,
                          .server = x->server,
                          .cport = x->cport,
                          .port = x->sport,
                          .stream = x->stream,
                          .ns = x->rt_ns,
                          .frame = x->req_frame,
                          .frame2 = x->resp_frame,
                          .what2 = pa_smb2_cmd_name(x->cmd)};
    }
    pa_app_section(s, "smb2",
                   "request -> its response by message id within the connection, as tshark -z smb2,srt times it "
                   "(interim STATUS_PENDING responses wait for the final one; Cancel and Break are not timed)",
                   v, n, t);
    srt_table(st, t, s->obj);
    counts(st, t, s->obj);
}

/* ---- lists ------------------------------------------------------------------ */

typedef struct lister {
    pa_rows rows;
    size_t i, n, lim;
} lister;

/* Pushes a row whose text line is written; false once the list stops. */
static bool row(lister *l, json_t *o) {
    if (l->i >= l->lim) {
        json_decref(o);
        return false;
    }
    l->i++;
    return pa_rows_push(&l->rows, o);
}

static void sessions(pa_report *rep, json_t *obj, const pa_smb2_stats *st, size_t lim) {
    lister l = {.n = st->sessions.count, .lim = lim};
    pa_rows_begin(&l.rows, rep, "smb2 sessions", 0, lim, l.n, false);
    for (size_t r = 0; r < st->sessions.count; r++) {
        const pa_smb2_session *x = pa_htab_rec(&st->sessions, r);
        char id[24], sbuf[32];
        snprintf(id, sizeof id, "0x%016llx", (unsigned long long)x->sesid);
        const char *status = x->setups ? status_text(x->last_status, sbuf, sizeof sbuf) : "";
        json_t *o = json_pack(
            "{s:s, s:o, s:o, s:i, s:s, s:b, s:b, s:b, s:b, s:b, s:I, s:I, s:s, s:I, s:I}", "session_id", id, "client",
            pa_json_addr(&x->client), "server", pa_json_addr(&x->server), "server_port", x->sport, "dialect",
            x->dialect ? pa_smb2_dialect_name(x->dialect) : "", "established", x->established, "signing_required",
            x->signing_required, "encrypted", x->encrypted, "guest", x->guest, "anonymous", x->anonymous, "setups",
            (json_int_t)x->setups, "failures", (json_int_t)x->failures, "last_status", status, "first_frame",
            (json_int_t)x->first_frame, "encrypted_messages", (json_int_t)x->transforms);
        if (l.i < lim) {
            pa_buf *ln = pa_rows_line(&l.rows);
            pa_buf_printf(ln, "%s  session %s ", l.i ? "" : "smb2 sessions:\n", id);
            char ca[64];
            pa_addr_str(&x->client, ca, sizeof ca);
            pa_buf_printf(ln, "%s -> ", ca);
            pa_text_addr_port(ln, &x->server, x->sport);
            pa_buf_printf(ln, " first frame %llu, %llu encrypted messages", (unsigned long long)x->first_frame,
                          (unsigned long long)x->transforms);
            pa_buf_printf(ln, " %s%s%s%s%s, %u setups (%u failed, last %s)\n",
                          x->dialect ? pa_smb2_dialect_name(x->dialect) : "dialect unknown",
                          x->signing_required ? ", signing required" : "", x->encrypted ? ", encrypted" : "",
                          x->guest ? ", guest" : "", x->anonymous ? ", anonymous" : "", x->setups, x->failures,
                          status[0] ? status : "-");
        }
        if (!row(&l, o)) break;
    }
    pa_rows_end(&l.rows, obj, "smb2_sessions", NULL);
}

static void errors(pa_report *rep, json_t *obj, const pa_smb2_stats *st, size_t lim) {
    lister l = {.n = st->errors.count, .lim = lim};
    pa_rows_begin(&l.rows, rep, "smb2 errors", 0, lim, l.n, false);
    for (size_t r = 0; r < st->errors.count; r++) {
        const pa_smb2_error *e = pa_htab_rec(&st->errors, r);
        char sbuf[32], code[16];
        snprintf(code, sizeof code, "0x%08x", e->status);
        const char *name = status_text(e->status, sbuf, sizeof sbuf);
        json_t *o =
            json_pack("{s:s, s:s, s:s, s:I, s:I}", "status", name, "code", code, "command", pa_smb2_cmd_name(e->cmd),
                      "count", (json_int_t)e->count, "first_frame", (json_int_t)e->first_frame);
        if (l.i < lim)
            pa_buf_printf(pa_rows_line(&l.rows), "%s  %s (%s) to %s x%llu, first frame %llu\n",
                          l.i ? "" : "smb2 errors by status and command:\n", name, code, pa_smb2_cmd_name(e->cmd),
                          (unsigned long long)e->count, (unsigned long long)e->first_frame);
        if (!row(&l, o)) break;
    }
    pa_rows_end(&l.rows, obj, "nt_errors", NULL);
}

static void opened(pa_report *rep, json_t *obj, const pa_smb2_stats *st, size_t lim) {
    lister l = {.n = st->opens.count, .lim = lim};
    pa_rows_begin(&l.rows, rep, "smb2 opened files", 0, lim, l.n, false);
    for (size_t r = 0; r < st->opens.count; r++) {
        const pa_smb2_open *x = pa_htab_rec(&st->opens, r);
        char sbuf[32];
        const char *status = status_text(x->last_status, sbuf, sizeof sbuf);
        json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:s, s:I}", "share", x->tree, "file", x->name, "opens",
                              (json_int_t)x->opens, "failures", (json_int_t)x->failures, "last_status", status,
                              "first_frame", (json_int_t)x->first_frame);
        if (l.i < lim)
            pa_buf_printf(pa_rows_line(&l.rows), "%s  %s \\ %s: %llu opened, %llu failed (last %s), first frame %llu\n",
                          l.i ? "" : "smb2 files opened per share:\n", x->tree[0] ? x->tree : "-",
                          x->name[0] ? x->name : "(share root)", (unsigned long long)x->opens,
                          (unsigned long long)x->failures, status, (unsigned long long)x->first_frame);
        if (!row(&l, o)) break;
    }
    pa_rows_end(&l.rows, obj, "opened_files", NULL);
}

static void pipes(pa_report *rep, json_t *obj, const pa_smb2_stats *st, size_t lim) {
    const pa_htab *h = &st->pipes.pipes;
    lister l = {.n = h->count, .lim = lim};
    pa_rows_begin(&l.rows, rep, "smb2 named pipes", 0, lim, l.n, false);
    for (size_t r = 0; r < h->count; r++) {
        const pa_smb2_pipe *p = pa_htab_rec(h, r);
        json_t *o =
            json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "pipe", p->name, "bytes_to_server", (json_int_t)p->bytes[0],
                      "bytes_to_client", (json_int_t)p->bytes[1], "messages_to_server", (json_int_t)p->messages[0],
                      "messages_to_client", (json_int_t)p->messages[1], "first_frame", (json_int_t)p->first_frame);
        if (l.i < lim)
            pa_buf_printf(pa_rows_line(&l.rows), "%s  \\PIPE\\%s: %llu bytes to the server, %llu to the client\n",
                          l.i ? "" : "smb2 named pipes (IPC$):\n", p->name, (unsigned long long)p->bytes[0],
                          (unsigned long long)p->bytes[1]);
        if (!row(&l, o)) break;
    }
    pa_rows_end(&l.rows, obj, "pipes", NULL);
}

void pa_app_smb2_rows(pa_report *rep, timed *s, const pa_model *m, size_t lim) {
    const pa_smb2_stats *st = &m->smb2;
    sessions(rep, s->obj, st, lim);
    errors(rep, s->obj, st, lim);
    opened(rep, s->obj, st, lim);
    pipes(rep, s->obj, st, lim);
}
