/* analyze_application_response_times: the SNMP section (request ->
 * response by request-id, v3 by msgID; unanswered requests; messages by
 * version, PDU type and error status; communities and v3 users). A
 * community is a secret: only the well-known defaults are named here,
 * find_security_issues shows the others with show_secrets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_app_times.h"

typedef char snmp_line[PA_SNMP_OID_MAX + 24];

void pa_app_snmp_section(const pa_model *m, pa_buf *t, timed *s) {
    const pa_snmp_stats *st = &m->snmp;
    sample *v = malloc((st->ntx ? st->ntx : 1) * sizeof *v);
    snmp_line *lines = malloc((st->ntx ? st->ntx : 1) * sizeof *lines);
    size_t n = 0;
    for (size_t i = 0; v && lines && i < st->ntx; i++) {
        const pa_snmp_tx *x = &st->tx[i];
        if (x->rt_ns < 0) continue;
        snprintf(lines[n], sizeof lines[n], "%s%s%s", x->pdu == 0xff ? "encrypted" : pa_snmp_pdu_name(x->pdu),
                 x->oid[0] ? " " : "", x->oid);
        v[n] = (sample){.client = x->client,
                        .server = x->server,
                        .cport = x->cport,
                        .port = x->sport,
                        .stream = x->stream,
                        .udp = !x->tcp,
                        .ns = x->rt_ns,
                        .frame = x->req_frame,
                        .frame2 = x->resp_frame,
                        .what = lines[n]};
        n++;
    }
    pa_app_section(s, "snmp", "SNMP request -> its response (v1/v2c: same request-id; v3: same msgID)", v, n, t);
    s->own = lines;
    const uint64_t *e = st->errors, *d = st->pdus;
    uint64_t errs = 0;
    for (int i = 1; i <= PA_SNMP_ERRORS; i++) errs += e[i];
    pa_buf_printf(
        t,
        "  snmp: %llu messages (v1 %llu, v2c %llu, v3 %llu; %llu encrypted, %llu malformed, %llu over "
        "TCP); %llu requests, %llu responses, %llu unanswered (timeouts), %llu retransmitted; %llu error "
        "responses; %llu traps, %llu informs.\n",
        (unsigned long long)st->messages, (unsigned long long)st->versions[0], (unsigned long long)st->versions[1],
        (unsigned long long)st->versions[2], (unsigned long long)st->encrypted, (unsigned long long)st->malformed,
        (unsigned long long)st->tcp_messages, (unsigned long long)st->requests, (unsigned long long)st->responses,
        (unsigned long long)st->unanswered, (unsigned long long)st->retransmissions, (unsigned long long)errs,
        (unsigned long long)(d[PA_SNMP_TRAP] + d[PA_SNMP_V2TRAP]), (unsigned long long)d[PA_SNMP_INFORM]);
    json_t *o = s->obj;
    json_object_set_new(o, "unanswered", json_integer((json_int_t)st->unanswered));
    json_object_set_new(o, "note",
                        json_string("tshark 4.0 has no SNMP response-time field; communities other "
                                    "than the defaults are redacted here (find_security_issues with "
                                    "show_secrets shows them)."));
    json_t *msgs = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "total", (json_int_t)st->messages, "v1",
                             (json_int_t)st->versions[0], "v2c", (json_int_t)st->versions[1], "v3",
                             (json_int_t)st->versions[2], "encrypted", (json_int_t)st->encrypted, "malformed",
                             (json_int_t)st->malformed, "tcp", (json_int_t)st->tcp_messages, "retransmitted_requests",
                             (json_int_t)st->retransmissions, "orphan_responses", (json_int_t)st->orphan_responses);
    json_object_set_new(o, "messages", msgs);
    json_t *pdus = json_object();
    for (unsigned i = 0; i < PA_SNMP_PDU_TYPES; i++)
        if (d[i]) json_object_set_new(pdus, pa_snmp_pdu_name(i), json_integer((json_int_t)d[i]));
    json_object_set_new(o, "pdu_types", pdus);
    json_t *errors = json_object();
    for (int i = 0; i <= PA_SNMP_ERRORS; i++)
        if (e[i])
            json_object_set_new(errors, i < PA_SNMP_ERRORS ? pa_snmp_error_name(i) : "other",
                                json_integer((json_int_t)e[i]));
    json_object_set_new(o, "error_statuses", errors);
}

static void hex(char *out, size_t size, const uint8_t *b, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n && k + 3 <= size; i++) k += (size_t)snprintf(out + k, size - k, "%02x", b[i]);
    if (size) out[k < size ? k : size - 1] = '\0';
}

void pa_app_snmp_rows(pa_report *rep, timed *s, const pa_model *m, size_t lim) {
    const pa_snmp_stats *st = &m->snmp;
    pa_rows rows;
    size_t nc = st->communities.count;
    pa_rows_begin(&rows, rep, "snmp communities", 0, lim, nc, false);
    for (size_t r = 0; r < nc && r < lim; r++) {
        const pa_snmp_community *c = pa_htab_rec(&st->communities, r);
        char shown[80];
        if (c->is_default)
            snprintf(shown, sizeof shown, "%s", c->name);
        else
            snprintf(shown, sizeof shown, "(redacted, %zu bytes)", strlen(c->name));
        const char *ver = c->versions == 3 ? "v1+v2c" : c->versions == 1 ? "v1" : "v2c";
        json_t *o = json_pack("{s:s, s:b, s:o, s:o, s:I, s:I, s:s}", "community", shown, "default", c->is_default,
                              "agent", pa_json_addr(&c->agent), "client", pa_json_addr(&c->client), "messages",
                              (json_int_t)c->messages, "first_frame", (json_int_t)c->first_frame, "versions", ver);
        pa_buf *ln = pa_rows_line(&rows);
        if (!r) pa_buf_printf(ln, "snmp communities in clear (%zu of %zu):\n", nc < lim ? nc : lim, nc);
        char agent[64];
        pa_addr_str(&c->agent, agent, sizeof agent);
        pa_buf_printf(ln, "  %s%s, %s, agent %s", shown, c->is_default ? " (a default community)" : "", ver, agent);
        pa_buf_printf(ln, ": %llu messages from frame %llu\n", (unsigned long long)c->messages,
                      (unsigned long long)c->first_frame);
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, s->obj, "communities", NULL);
    size_t nu = st->users.count;
    pa_rows_begin(&rows, rep, "snmp v3 users", 0, lim, nu, false);
    for (size_t r = 0; r < nu && r < lim; r++) {
        const pa_snmp_user *u = pa_htab_rec(&st->users, r);
        char eng[2 * PA_SNMP_ENGINE_MAX + 1];
        hex(eng, sizeof eng, u->engine_id, u->engine_id_len);
        json_t *o =
            json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:s}", "user", u->name, "messages", (json_int_t)u->messages,
                      "noAuthNoPriv", (json_int_t)u->levels[0], "authNoPriv", (json_int_t)u->levels[1], "authPriv",
                      (json_int_t)u->levels[3], "first_frame", (json_int_t)u->first_frame, "engine_id", eng);
        pa_buf *ln = pa_rows_line(&rows);
        if (!r) pa_buf_printf(ln, "snmp v3 users (%zu of %zu):\n", nu < lim ? nu : lim, nu);
        pa_buf_printf(ln, "  %s: %llu messages (noAuthNoPriv %llu, authNoPriv %llu, authPriv %llu), engine %s\n",
                      u->name, (unsigned long long)u->messages, (unsigned long long)u->levels[0],
                      (unsigned long long)u->levels[1], (unsigned long long)u->levels[3], eng[0] ? eng : "-");
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, s->obj, "v3_users", NULL);
}
