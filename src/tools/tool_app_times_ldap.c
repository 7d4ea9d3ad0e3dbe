/* analyze_application_response_times: the LDAP section (request -> its
 * final response by messageID, a search to its searchResDone; operations,
 * result codes, binds, StartTLS). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_app_times.h"

typedef char ldap_line[2 * PA_LDAP_TEXT + 48]; /* "name" filter -> resultName */

static json_t *op_counts(const pa_ldap_stats *st) {
    json_t *o = json_object();
    for (uint32_t op = 0; op < PA_LDAP_OPS; op++)
        if (st->ops[op] && pa_ldap_op_name(op))
            json_object_set_new(o, pa_ldap_op_name(op), json_integer((json_int_t)st->ops[op]));
    return o;
}

static json_t *result_counts(const pa_ldap_stats *st, pa_buf *t) {
    json_t *o = json_object();
    bool first = true;
    for (uint32_t code = 0; code < PA_LDAP_RESULTS; code++) {
        if (!st->results[code]) continue;
        const char *name = pa_ldap_result_name(code);
        char other[32];
        if (!name) {
            snprintf(other, sizeof other, "resultCode %u", code);
            name = other;
        }
        json_object_set_new(o, name, json_integer((json_int_t)st->results[code]));
        pa_buf_printf(t, "%s%s %llu", first ? "" : ", ", name, (unsigned long long)st->results[code]);
        first = false;
    }
    if (st->results_other) {
        json_object_set_new(o, "other codes", json_integer((json_int_t)st->results_other));
        pa_buf_printf(t, "%sother codes %llu", first ? "" : ", ", (unsigned long long)st->results_other);
        first = false;
    }
    if (first) pa_buf_puts(t, "none");
    return o;
}

void pa_app_ldap_section(const pa_model *m, pa_buf *t, timed *s) {
    const pa_ldap_stats *st = &m->ldap;
    sample *v = malloc((st->ntx ? st->ntx : 1) * sizeof *v);
    ldap_line *lines = malloc((st->ntx ? st->ntx : 1) * sizeof *lines);
    size_t n = 0;
    for (size_t i = 0; v && lines && i < st->ntx; i++) {
        const pa_ldap_tx *x = &st->tx[i];
        if (x->rt_ns < 0) continue;
        const char *res = x->has_result ? pa_ldap_result_name(x->result) : NULL;
        snprintf(lines[n], sizeof lines[n], "\"%s\"%s%s%s%s", x->name, x->filter[0] ? " " : "", x->filter,
                 res ? " -> " : "", res ? res : "");
        v[n] = (sample){.client = x->client,
                        .server = x->server,
                        .cport = x->cport,
                        .port = x->sport,
                        .stream = x->stream,
                        .udp = x->udp,
                        .ns = x->rt_ns,
                        .frame = x->req_frame,
                        .frame2 = x->resp_frame,
                        .what = lines[n],
                        .what2 = pa_ldap_op_name(x->op)};
        n++;
    }
    pa_app_section(s, "ldap",
                   "LDAP request -> its final response by messageID (a search -> its searchResDone), "
                   "over TCP and CLDAP",
                   v, n, t);
    s->own = lines;
    pa_buf_printf(
        t,
        "  ldap: %llu connections, %llu CLDAP datagrams; %llu messages (%llu malformed), %llu SASL "
        "buffers; %llu requests answered, %llu unanswered, %llu responses to no request seen; binds: "
        "%llu simple (%llu with a cleartext password, %llu anonymous, %llu unauthenticated), %llu SASL, "
        "%llu succeeded, %llu failed; StartTLS %llu asked, %llu accepted.\n  ldap result codes: ",
        (unsigned long long)st->connections, (unsigned long long)st->cldap_datagrams, (unsigned long long)st->messages,
        (unsigned long long)st->malformed, (unsigned long long)st->sasl_buffers, (unsigned long long)st->answered,
        (unsigned long long)st->unanswered, (unsigned long long)st->orphan_responses,
        (unsigned long long)st->binds_simple, (unsigned long long)st->cleartext_passwords,
        (unsigned long long)st->binds_anonymous, (unsigned long long)st->binds_unauthenticated,
        (unsigned long long)st->binds_sasl, (unsigned long long)st->binds_ok, (unsigned long long)st->binds_failed,
        (unsigned long long)st->starttls_requests, (unsigned long long)st->starttls_ok);
    json_t *o = s->obj;
    json_object_set_new(o, "result_codes", result_counts(st, t));
    pa_buf_puts(t, ".\n");
    json_object_set_new(o, "operations", op_counts(st));
    json_object_set_new(o, "unanswered", json_integer((json_int_t)st->unanswered));
    json_object_set_new(o, "orphan_replies", json_integer((json_int_t)st->orphan_responses));
    json_object_set_new(o, "messages",
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "connections",
                                  (json_int_t)st->connections, "cldap_datagrams", (json_int_t)st->cldap_datagrams,
                                  "total", (json_int_t)st->messages, "malformed", (json_int_t)st->malformed,
                                  "sasl_buffers", (json_int_t)st->sasl_buffers, "too_long", (json_int_t)st->too_long,
                                  "holes", (json_int_t)st->gaps, "not_ldap", (json_int_t)st->not_ldap));
    json_object_set_new(o, "binds",
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "simple",
                                  (json_int_t)st->binds_simple, "cleartext_password",
                                  (json_int_t)st->cleartext_passwords, "anonymous", (json_int_t)st->binds_anonymous,
                                  "unauthenticated", (json_int_t)st->binds_unauthenticated, "sasl",
                                  (json_int_t)st->binds_sasl, "succeeded", (json_int_t)st->binds_ok, "failed",
                                  (json_int_t)st->binds_failed, "starttls_requests", (json_int_t)st->starttls_requests,
                                  "starttls_accepted", (json_int_t)st->starttls_ok));
    json_object_set_new(o, "note",
                        json_string("Each time is tshark's ldap.time on the final response (searchResEntry and "
                                    "searchResRef do not end a search). Passwords are never shown here: "
                                    "analyze_security_threats lists cleartext simple binds."));
}
