/* The ftp section's data transfers (ftp_data.h): one row per data
 * connection the control channel announced, in the order announced. */
#include <stdio.h>
#include <string.h>

#include "tool_app_times.h"

/* Which way the bytes went, from the command (a listing or RETR comes from
 * the server, STOR/STOU/APPE goes to it) or else from the bytes seen. */
static const char *direction(const pa_ftp_transfer *t) {
    const char *c = t->command;
    if (!strncmp(c, "STOR", 4) || !strncmp(c, "STOU", 4) || !strncmp(c, "APPE", 4)) return "upload";
    if (!strncmp(c, "RETR", 4) || !strncmp(c, "LIST", 4) || !strncmp(c, "NLST", 4) || !strncmp(c, "MLSD", 4))
        return "download";
    if (t->bytes_from_server || t->bytes_from_client)
        return t->bytes_from_server >= t->bytes_from_client ? "download" : "upload";
    return "unknown";
}

/* The argument of the command line (the file or directory), "" when none. */
static const char *file_of(const pa_ftp_transfer *t) {
    const char *sp = strchr(t->command, ' ');
    while (sp && *sp == ' ') sp++;
    return sp ? sp : "";
}

void pa_app_ftp_data_rows(pa_report *rep, json_t *obj, const pa_model *m, size_t lim) {
    const pa_ftp_data_stats *d = &m->ftp.data;
    json_object_set_new(obj, "data_frames", json_integer((json_int_t)d->frames));
    json_object_set_new(obj, "data_bytes", json_integer((json_int_t)d->bytes));
    pa_rows rows;
    pa_rows_begin(&rows, rep, "ftp data transfers", 0, lim, d->n, false);
    for (size_t i = 0; i < d->n && i < lim; i++) {
        const pa_ftp_transfer *t = &d->t[i];
        char verb[8] = "";
        sscanf(t->command, "%7s", verb);
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:i, s:o, s:i}", "setup_frame",
                              (json_int_t)t->setup_frame, "setup_method", t->method, "command", verb, "file",
                              file_of(t), "directory", t->cwd, "direction", direction(t), "frames",
                              (json_int_t)t->frames, "bytes", (json_int_t)t->bytes, "client", pa_json_addr(&t->client),
                              "client_port", t->cport, "server", pa_json_addr(&t->server), "server_port", t->sport);
        pa_buf *ln = pa_rows_line(&rows);
        if (!i) pa_buf_printf(ln, "ftp data transfers (%zu of %zu):\n", d->n < lim ? d->n : lim, d->n);
        pa_buf_printf(ln, "  setup frame %llu (%s), control ", (unsigned long long)t->setup_frame, t->method);
        pa_text_addr_port(ln, &t->client, t->cport);
        pa_buf_puts(ln, " -> ");
        pa_text_addr_port(ln, &t->server, t->sport);
        pa_buf_printf(ln, ": %s %s", direction(t), t->command[0] ? t->command : "(no command)");
        if (t->cwd[0]) pa_buf_printf(ln, " in %s", t->cwd);
        if (t->command_frame) json_object_set_new(o, "command_frame", json_integer((json_int_t)t->command_frame));
        if (t->frames) {
            json_object_set_new(o, "first_frame", json_integer((json_int_t)t->first_frame));
            json_object_set_new(o, "last_frame", json_integer((json_int_t)t->last_frame));
            json_object_set_new(o, "stream", json_integer((json_int_t)t->data_stream));
            pa_buf_printf(ln, ", %llu bytes in %llu frames (%llu-%llu, tcp stream %lld)", (unsigned long long)t->bytes,
                          (unsigned long long)t->frames, (unsigned long long)t->first_frame,
                          (unsigned long long)t->last_frame, (long long)t->data_stream);
        } else {
            pa_buf_puts(ln, ", no data seen");
        }
        if (t->frames > 1) {
            json_object_set_new(o, "duration_ms", json_integer((json_int_t)pa_ftp_transfer_ms(t)));
            json_object_set_new(o, "kbps", json_integer((json_int_t)pa_ftp_transfer_kbps(t)));
            pa_buf_printf(ln, " over %lld ms, %llu kbit/s", (long long)pa_ftp_transfer_ms(t),
                          (unsigned long long)pa_ftp_transfer_kbps(t));
        }
        if (t->close_frame) {
            json_object_set_new(o, "final_reply", json_integer(t->close_code));
            json_object_set_new(o, "final_reply_frame", json_integer((json_int_t)t->close_frame));
            pa_buf_printf(ln, "; reply %u in frame %llu%s", t->close_code, (unsigned long long)t->close_frame,
                          t->close_code == 426 || t->close_code == 451 ? " (transfer failed)" : "");
        }
        pa_buf_puts(ln, "\n");
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, obj, "data_transfers", NULL);
}
