/* analyze_application_response_times: the Kerberos section (request ->
 * reply or KRB-ERROR, message types, error codes by Wireshark's names, the
 * weak encryption types offered and chosen); the other sections are in
 * tool_app_times.c and tool_app_times_ssh_ntp.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_app_times.h"

/* What a slow exchange's row names: "AS-REQ user@REALM -> krbtgt/REALM: AS-REP" */
typedef char krb_text[3 * PA_KRB_STR + 96];

static void exchange_text(const pa_krb_tx *x, char *out, size_t cap) {
    const char *req = pa_krb_msg_type_name(x->req_type), *rep = pa_krb_msg_type_name(x->rep_type);
    const char *err = x->has_error ? pa_krb_error_name(x->error_code) : NULL;
    char code[32];
    if (x->has_error && !err) {
        snprintf(code, sizeof code, "error %d", x->error_code);
        err = code;
    }
    snprintf(out, cap, "%s %s%s%s -> %s: %s", req ? req : "?", x->cname[0] ? x->cname : "(no cname)",
             x->realm[0] ? "@" : "", x->realm, x->sname[0] ? x->sname : "(no sname)", err ? err : (rep ? rep : "?"));
}

static json_t *type_counts(const pa_kerberos_stats *st) {
    json_t *o = json_object();
    for (int t = 0; t < 32; t++) {
        if (!st->msg_type[t]) continue;
        const char *name = t == PA_KRB_TICKET ? "Ticket" : pa_krb_msg_type_name(t);
        if (name) json_object_set_new(o, name, json_integer((json_int_t)st->msg_type[t]));
    }
    return o;
}

static json_t *error_counts(const pa_kerberos_stats *st, pa_buf *t) {
    json_t *o = json_object();
    bool first = true;
    for (int c = 0; c < PA_KRB_ERROR_CODES; c++) {
        if (!st->error_code[c]) continue;
        const char *name = pa_krb_error_name(c);
        char code[32];
        if (!name) {
            snprintf(code, sizeof code, "error %d", c);
            name = code;
        }
        json_object_set_new(o, name, json_integer((json_int_t)st->error_code[c]));
        pa_buf_printf(t, "%s %s %llu", first ? "    errors:" : ",", name, (unsigned long long)st->error_code[c]);
        first = false;
    }
    if (st->error_other) {
        json_object_set_new(o, "other", json_integer((json_int_t)st->error_other));
        pa_buf_printf(t, "%s other codes %llu", first ? "    errors:" : ",", (unsigned long long)st->error_other);
        first = false;
    }
    if (!first) pa_buf_puts(t, ".\n");
    return o;
}

void pa_app_kerberos_section(const pa_model *m, pa_buf *t, timed *s) {
    const pa_kerberos_stats *st = &m->kerberos;
    sample *v = malloc((st->ntx ? st->ntx : 1) * sizeof *v);
    krb_text *texts = malloc((st->ntx ? st->ntx : 1) * sizeof *texts);
    size_t n = 0;
    for (size_t i = 0; v && texts && i < st->ntx; i++) {
        const pa_krb_tx *x = &st->tx[i];
        if (x->rt_ns < 0) continue;
        exchange_text(x, texts[n], sizeof texts[n]);
        v[n] = (sample){.client = x->client,
                        .server = x->server,
                        .cport = x->cport,
                        .port = x->sport,
                        .stream = -1,
                        .udp = x->l4 == PA_P_UDP,
                        .ns = x->rt_ns,
                        .frame = x->req_frame,
                        .frame2 = x->rep_frame,
                        .what = texts[n]};
        n++;
    }
    pa_app_section(s, "kerberos", "request (AS-REQ, TGS-REQ, AP-REQ) -> its reply or KRB-ERROR", v, n, t);
    s->own = texts;
    s->frame2_key = "reply_frame";
    s->frame2_text = "reply frame";
    pa_buf_printf(
        t,
        "  kerberos: %llu messages (%llu over UDP, %llu over TCP; %llu malformed); %llu requests, %llu "
        "answered, %llu unanswered, %llu replies to no request seen; %llu errors; %llu requests offer "
        "and %llu replies choose a weak encryption type.\n",
        (unsigned long long)st->messages, (unsigned long long)st->udp_messages, (unsigned long long)st->tcp_messages,
        (unsigned long long)st->malformed, (unsigned long long)st->requests, (unsigned long long)st->answered,
        (unsigned long long)st->unanswered, (unsigned long long)st->orphan_replies, (unsigned long long)st->errors,
        (unsigned long long)st->weak_offered, (unsigned long long)st->weak_chosen);
    json_t *o = s->obj;
    json_object_set_new(o, "unanswered", json_integer((json_int_t)st->unanswered));
    json_object_set_new(o, "orphan_replies", json_integer((json_int_t)st->orphan_replies));
    json_object_set_new(o, "messages", type_counts(st));
    json_object_set_new(o, "error_codes", error_counts(st, t));
    json_object_set_new(o, "exchanges",
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "requests", (json_int_t)st->requests, "answered",
                                  (json_int_t)st->answered, "errors", (json_int_t)st->errors, "malformed",
                                  (json_int_t)st->malformed, "weak_offered", (json_int_t)st->weak_offered,
                                  "weak_chosen", (json_int_t)st->weak_chosen));
    json_object_set_new(o, "note",
                        json_string("A reply or KRB-ERROR answers the oldest request waiting on its TCP connection, "
                                    "or over UDP on its client and server addresses and ports. tshark 4.0 has no "
                                    "Kerberos response time field. Weak: DES, RC4-HMAC, triple DES, null "
                                    "(RFC 6649, RFC 8429)."));
}
