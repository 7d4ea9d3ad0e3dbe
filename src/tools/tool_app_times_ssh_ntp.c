/* analyze_application_response_times: the SSH section (key exchange
 * times, each session's software, algorithms, HASSH and weak choices) and
 * the NTP section (request -> reply, each server's stratum, reference,
 * clock offset and delay); the other sections are in tool_app_times.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_app_times.h"

/* ---- SSH: client identification -> both NEWKEYS; algorithms, HASSH, weak choices ---- */

/* The end of a connection's key exchange: the later NEWKEYS (0: not both). */
static uint64_t ssh_done(const pa_ssh_conn *c, int64_t *ts) {
    if (!c->newkeys_frame[0] || !c->newkeys_frame[1]) return 0;
    int later = c->newkeys_frame[1] > c->newkeys_frame[0];
    *ts = c->newkeys_ts[later];
    return c->newkeys_frame[later];
}

void pa_app_ssh_section(const pa_model *m, pa_buf *t, timed *s) {
    const pa_ssh_stats *st = &m->ssh;
    sample *v = malloc((st->nconns ? st->nconns : 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; v && i < st->nconns; i++) {
        const pa_ssh_conn *c = &st->conns[i];
        int64_t ts;
        uint64_t done = ssh_done(c, &ts);
        if (!done || !c->ident_frame[0]) continue;
        v[n++] = (sample){.client = c->client,
                          .server = c->server,
                          .cport = c->cport,
                          .port = c->sport,
                          .stream = c->stream,
                          .ns = ts - c->ident_ts[0],
                          .frame = c->ident_frame[0],
                          .frame2 = done,
                          .what = c->software[1][0] ? c->software[1] : NULL};
    }
    pa_app_section(s, "ssh", "SSH client identification -> both sides' NEWKEYS (the key exchange)", v, n, t);
    s->frame2_text = "keys in use at frame";
    const uint64_t *o = st->outcome;
    pa_buf_printf(
        t,
        "  ssh: %zu connections listed of %llu (SSH-2 %llu, SSH-1 %llu), %llu completed, %llu without a common "
        "algorithm, %llu disconnected, %llu incomplete; %llu with weak choices; %llu packets in clear "
        "(%llu KEXINIT, %llu NEWKEYS), %llu encrypted bytes (%llu MPTCP subflows joined to a connection); "
        "%llu malformed, %llu lengths too large, %llu holes before the keys.\n",
        st->nconns, (unsigned long long)st->connections, (unsigned long long)st->version2,
        (unsigned long long)st->version1, (unsigned long long)o[PA_SSH_OUT_COMPLETED],
        (unsigned long long)o[PA_SSH_OUT_NO_COMMON], (unsigned long long)o[PA_SSH_OUT_DISCONNECTED],
        (unsigned long long)o[PA_SSH_OUT_INCOMPLETE], (unsigned long long)st->weak_connections,
        (unsigned long long)(st->packets + st->ssh1_packets), (unsigned long long)st->kexinits,
        (unsigned long long)st->newkeys, (unsigned long long)st->encrypted_bytes, (unsigned long long)st->subflows,
        (unsigned long long)st->malformed, (unsigned long long)st->too_long, (unsigned long long)st->gaps);
    json_t *outcomes = json_object();
    for (int k = 0; k < PA_SSH_OUT_COUNT; k++)
        json_object_set_new(outcomes, pa_ssh_outcome_name((pa_ssh_outcome)k), json_integer((json_int_t)o[k]));
    json_object_set_new(s->obj, "outcomes", outcomes);
    json_object_set_new(s->obj, "versions",
                        json_pack("{s:I, s:I}", "ssh2", (json_int_t)st->version2, "ssh1", (json_int_t)st->version1));
    json_object_set_new(s->obj, "messages",
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "connections",
                                  (json_int_t)st->connections, "weak_connections", (json_int_t)st->weak_connections,
                                  "packets_in_clear", (json_int_t)(st->packets + st->ssh1_packets), "kexinit",
                                  (json_int_t)st->kexinits, "newkeys", (json_int_t)st->newkeys, "encrypted_bytes",
                                  (json_int_t)st->encrypted_bytes, "mptcp_subflows", (json_int_t)st->subflows,
                                  "malformed", (json_int_t)st->malformed, "length_too_large", (json_int_t)st->too_long,
                                  "holes_before_keys", (json_int_t)st->gaps));
    json_object_set_new(s->obj, "note",
                        json_string("tshark 4.0 has no SSH key exchange time. Algorithms: the first of the client's "
                                    "list the server also offers (RFC 4253 7.1), 'client to server/server to "
                                    "client' when the directions differ; HASSH and HASSHServer as tshark's "
                                    "ssh.kex.hassh and ssh.kex.hasshserver."));
}

/* "a" when both directions chose a, else "a/b" (client to server first). */
static json_t *ssh_pair(const char pair[2][PA_SSH_NAME_MAX], char *text, size_t cap) {
    if (!strcmp(pair[0], pair[1]))
        snprintf(text, cap, "%s", pair[0][0] ? pair[0] : "-");
    else
        snprintf(text, cap, "%s/%s", pair[0][0] ? pair[0] : "-", pair[1][0] ? pair[1] : "-");
    return json_string(text);
}

static int ssh_order(const void *x, const void *y) {
    const pa_ssh_conn *a = *(const pa_ssh_conn *const *)x, *b = *(const pa_ssh_conn *const *)y;
    if (!a->weak != !b->weak) return a->weak ? -1 : 1;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

/* One row per connection, those with weak choices first. */
void pa_app_ssh_rows(pa_report *rep, timed *s, const pa_model *m, size_t lim) {
    const pa_ssh_stats *st = &m->ssh;
    const pa_ssh_conn **order = malloc((st->nconns ? st->nconns : 1) * sizeof *order);
    size_t n = order ? st->nconns : 0;
    for (size_t i = 0; i < n; i++) order[i] = &st->conns[i];
    if (n > 1) qsort(order, n, sizeof *order, ssh_order);
    pa_rows rows;
    pa_rows_begin(&rows, rep, "ssh connections", 0, lim, n, false);
    for (size_t i = 0; i < n && i < lim; i++) {
        const pa_ssh_conn *c = order[i];
        char cipher[2 * PA_SSH_NAME_MAX], mac[2 * PA_SSH_NAME_MAX], comp[2 * PA_SSH_NAME_MAX], weak[512];
        pa_ssh_weak_text(c, weak, sizeof weak);
        json_t *o = json_pack(
            "{s:I, s:I, s:o, s:i, s:o, s:i, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s}", "first_frame",
            (json_int_t)c->first_frame, "stream", (json_int_t)c->stream, "client", pa_json_addr(&c->client),
            "client_port", c->cport, "server", pa_json_addr(&c->server), "server_port", c->sport, "version", c->version,
            "outcome", pa_ssh_outcome_name((pa_ssh_outcome)c->outcome), "client_software", c->ident[0],
            "server_software", c->ident[1], "kex", c->kex, "host_key", c->hostkey_alg, "host_key_type", c->hostkey_type,
            "cipher", ssh_pair(c->cipher, cipher, sizeof cipher), "mac", ssh_pair(c->mac, mac, sizeof mac),
            "compression", ssh_pair(c->comp, comp, sizeof comp), "hassh", c->hassh, "hassh_server", c->hassh_server);
        int64_t ts;
        uint64_t done = ssh_done(c, &ts);
        pa_buf *ln = pa_rows_line(&rows);
        if (!i) pa_buf_printf(ln, "ssh connections (%zu of %zu, weak choices first):\n", n < lim ? n : lim, n);
        pa_buf_printf(ln, "  first frame %llu, tcp stream %u ", (unsigned long long)c->first_frame, c->stream);
        pa_text_addr_port(ln, &c->client, c->cport);
        pa_buf_puts(ln, " -> ");
        pa_text_addr_port(ln, &c->server, c->sport);
        pa_buf_printf(ln, " SSH-%d %s", c->version, pa_ssh_outcome_name((pa_ssh_outcome)c->outcome));
        if (done && c->ident_frame[0]) {
            double ms = (double)(ts - c->ident_ts[0]) / 1e6;
            json_object_set_new(o, "kex_ms", json_real(ms));
            json_object_set_new(o, "keys_frame", json_integer((json_int_t)done));
            pa_buf_printf(ln, " in %.3f ms (frames %llu-%llu)", ms, (unsigned long long)c->ident_frame[0],
                          (unsigned long long)done);
        }
        pa_buf_printf(ln, ": client %s, server %s", c->ident[0][0] ? c->ident[0] : "-",
                      c->ident[1][0] ? c->ident[1] : "-");
        if (c->kex[0] || c->hostkey_type[0])
            pa_buf_printf(ln, "; kex %s, host key %s (%s), cipher %s, mac %s, compression %s", c->kex[0] ? c->kex : "-",
                          c->hostkey_alg[0] ? c->hostkey_alg : "-", c->hostkey_type[0] ? c->hostkey_type : "-", cipher,
                          mac, comp);
        if (c->hassh[0] || c->hassh_server[0])
            pa_buf_printf(ln, "; hassh %s, hasshServer %s", c->hassh[0] ? c->hassh : "-",
                          c->hassh_server[0] ? c->hassh_server : "-");
        if (c->disconnected) {
            json_object_set_new(o, "disconnect", json_sprintf("%u %s", c->disconnect_reason, c->disconnect_desc));
            pa_buf_printf(ln, "; disconnect %u %s", c->disconnect_reason, c->disconnect_desc);
        }
        if (weak[0]) {
            json_object_set_new(o, "weak", json_string(weak));
            pa_buf_printf(ln, "; WEAK: %s", weak);
        }
        pa_buf_puts(ln, "\n");
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, s->obj, "connections", NULL);
    free(order);
}

/* ---- NTP: client request -> server reply; each server's stratum, reference, clock offset and delay ---- */

typedef char refid_text[20];

static json_t *kiss_json(const pa_ntp_kiss *k, size_t n) {
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++) {
        refid_text code;
        pa_ntp_refid_text(0, k[i].code, code, sizeof code);
        json_object_set_new(o, code, json_integer((json_int_t)k[i].count));
    }
    return o;
}

/* o[key]: the median of the offsets (what 0), delays (1) or client clocks
 * (2) of a server's kept exchanges, in ms; absent when none was kept. */
static void set_median(json_t *o, const char *key, const sample *run, size_t n, int what) {
    int64_t *v = malloc((n ? n : 1) * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; v && i < n; i++)
        if (run[i].clock) v[k++] = what == 2 ? run[i].skew_ns : what ? run[i].delay_ns : run[i].offset_ns;
    pa_ns_summary sum;
    json_decref(pa_ns_summary_json(v, v ? k : 0, &sum));
    free(v);
    if (k) json_object_set_new(o, key, json_real(sum.p50_ms));
}

/* a row's value in ms, "-" when absent */
static const char *ms_text(char *buf, size_t n, const json_t *o, const char *key) {
    const json_t *v = json_object_get(o, key);
    if (!v) return "-";
    snprintf(buf, n, "%.3f", json_real_value(v));
    return buf;
}

/* A server's row: request -> reply times of its kept exchanges (run), then
 * what the server table holds. */
static json_t *ntp_server_row(const pa_ntp_server *sv, const sample *run, size_t n) {
    int64_t *ns = malloc((n ? n : 1) * sizeof *ns);
    for (size_t i = 0; ns && i < n; i++) ns[i] = run[i].ns;
    json_t *o = pa_ns_summary_json(ns, ns ? n : 0, NULL);
    free(ns);
    json_object_set_new(o, "server", pa_json_addr(&sv->key.addr));
    json_object_set_new(o, "server_port", json_integer(sv->key.port));
    if (sv->answered) {
        refid_text ref;
        pa_ntp_refid_text(sv->stratum, sv->refid, ref, sizeof ref);
        json_object_set_new(o, "stratum", json_integer(sv->stratum));
        json_object_set_new(o, "refid", json_string(ref));
    }
    json_object_set_new(o, "requests", json_integer((json_int_t)sv->requests));
    json_object_set_new(o, "replies", json_integer((json_int_t)sv->replies));
    json_object_set_new(o, "unanswered", json_integer((json_int_t)sv->unanswered));
    json_object_set_new(o, "kiss_of_death", json_integer((json_int_t)sv->kiss_of_death));
    if (sv->nkiss) json_object_set_new(o, "kiss_codes", kiss_json(sv->kiss, sv->nkiss));
    json_object_set_new(o, "clock_samples", json_integer((json_int_t)sv->clock_samples));
    if (sv->clock_samples) {
        json_object_set_new(o, "offset_min_ms", json_real((double)sv->offset_min / 1e6));
        set_median(o, "offset_median_ms", run, n, 0);
        json_object_set_new(o, "offset_max_ms", json_real((double)sv->offset_max / 1e6));
        json_object_set_new(o, "delay_min_ms", json_real((double)sv->delay_min / 1e6));
        set_median(o, "delay_median_ms", run, n, 1);
        json_object_set_new(o, "delay_max_ms", json_real((double)sv->delay_max / 1e6));
        set_median(o, "client_clock_median_ms", run, n, 2);
    }
    return o;
}

static void ntp_server_text(pa_buf *b, const json_t *o) {
    const char *ref = json_string_value(json_object_get(o, "refid"));
    if (ref)
        pa_buf_printf(b, "; stratum %lld, refid %s", (long long)json_integer_value(json_object_get(o, "stratum")), ref);
    pa_buf_printf(b, "; %lld requests, %lld replies, %lld unanswered",
                  (long long)json_integer_value(json_object_get(o, "requests")),
                  (long long)json_integer_value(json_object_get(o, "replies")),
                  (long long)json_integer_value(json_object_get(o, "unanswered")));
    char m1[32], m2[32];
    if (json_integer_value(json_object_get(o, "clock_samples")))
        pa_buf_printf(
            b, "; offset min/median/max %.3f/%s/%.3f ms, delay %.3f/%s/%.3f ms",
            json_real_value(json_object_get(o, "offset_min_ms")), ms_text(m1, sizeof m1, o, "offset_median_ms"),
            json_real_value(json_object_get(o, "offset_max_ms")), json_real_value(json_object_get(o, "delay_min_ms")),
            ms_text(m2, sizeof m2, o, "delay_median_ms"), json_real_value(json_object_get(o, "delay_max_ms")));
    if (json_object_get(o, "client_clock_median_ms"))
        pa_buf_printf(b, "; client clock - capture clock %.3f ms (median)",
                      json_real_value(json_object_get(o, "client_clock_median_ms")));
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(o, "kiss_codes"), key, v) {
        pa_buf_printf(b, "; kiss-o'-death %s x%lld", key, (long long)json_integer_value(v));
    }
}

/* slowest p90 first, then the most asked */
static int by_ntp_row(const void *x, const void *y) {
    int c = pa_app_by_p90_desc(x, y);
    if (c) return c;
    json_int_t a = json_integer_value(json_object_get(*(json_t *const *)x, "requests"));
    json_int_t b = json_integer_value(json_object_get(*(json_t *const *)y, "requests"));
    if (a != b) return (a < b) - (a > b);
    return strcmp(json_string_value(json_object_get(*(json_t *const *)x, "server")),
                  json_string_value(json_object_get(*(json_t *const *)y, "server")));
}

/* Every server asked or answering, with the request -> reply times of its
 * kept exchanges (v: n samples) and its NTP figures. */
static void ntp_rows(const pa_ntp_stats *st, timed *s, const sample *v, size_t n) {
    for (size_t k = 0; k < s->nsv; k++) json_decref(s->rows[k]);
    free(s->rows);
    size_t nsv = st->servers.count, nr = 0;
    s->rows = malloc((nsv ? nsv : 1) * sizeof *s->rows);
    sample *by = malloc((n ? n : 1) * sizeof *by);
    bool *done = calloc(nsv ? nsv : 1, sizeof *done);
    if (by) memcpy(by, v, n * sizeof *by);
    if (by) qsort(by, n, sizeof *by, pa_app_by_server);
    for (size_t i = 0; s->rows && by && done && i < n;) {
        size_t j = i;
        while (j < n && !memcmp(&by[j].server, &by[i].server, sizeof by[i].server) && by[j].port == by[i].port) j++;
        pa_ntp_server k;
        memset(&k.key, 0, sizeof k.key);
        k.key.addr = by[i].server;
        k.key.port = by[i].port;
        const pa_ntp_server *sv = pa_htab_find(&st->servers, &k.key);
        if (sv) {
            done[(size_t)((const uint8_t *)sv - st->servers.recs) / st->servers.rec_size] = true;
            s->rows[nr++] = ntp_server_row(sv, by + i, j - i);
        }
        i = j;
    }
    for (size_t r = 0; s->rows && done && r < nsv; r++)
        if (!done[r]) s->rows[nr++] = ntp_server_row(pa_htab_rec(&st->servers, r), NULL, 0);
    if (s->rows) qsort(s->rows, nr, sizeof *s->rows, by_ntp_row);
    s->nsv = s->rows ? nr : 0;
    json_object_set_new(s->obj, "servers", json_integer((json_int_t)s->nsv));
    free(by);
    free(done);
}

void pa_app_ntp_section(const pa_model *m, pa_buf *t, timed *s) {
    const pa_ntp_stats *st = &m->ntp;
    size_t nx = st->exchanges.count, n = 0;
    sample *v = malloc((nx ? nx : 1) * sizeof *v);
    refid_text *names = malloc((nx ? nx : 1) * sizeof *names);
    for (size_t r = 0; v && names && r < nx; r++) {
        const pa_ntp_exchange *x = pa_htab_rec(&st->exchanges, r);
        if (x->rt_ns < 0) continue;
        pa_ntp_refid_text(x->stratum, x->refid, names[n], sizeof names[n]);
        v[n] = (sample){.client = x->client,
                        .server = x->server,
                        .cport = x->cport,
                        .port = x->sport,
                        .stream = x->key.stream,
                        .udp = true,
                        .ns = x->rt_ns,
                        .frame = x->req_frame,
                        .frame2 = x->resp_frame,
                        .what = names[n],
                        .clock = x->clock,
                        .offset_ns = x->offset_ns,
                        .delay_ns = x->delay_ns,
                        .skew_ns = x->client_clock_ns};
        n++;
    }
    pa_app_section(s, "ntp", "NTP client request -> the reply carrying its transmit timestamp (capture times)", v, n,
                   t);
    s->own = names;
    s->server_text = ntp_server_text;
    ntp_rows(st, s, v, n);
    const uint64_t *md = st->by_mode;
    uint64_t answered = st->exchanges.count - st->unanswered;
    pa_buf_printf(
        t,
        "  ntp: %llu messages (%llu client, %llu server, %llu symmetric, %llu broadcast, %llu control, "
        "%llu private; %llu malformed); %zu requests, %llu answered, %llu unanswered, %llu repeated, "
        "%llu replies to no request seen; %llu offsets and delays; %llu kiss-o'-death replies, %llu "
        "unsynchronized (leap indicator 3); %llu control errors, %llu monlist responses.\n",
        (unsigned long long)st->messages, (unsigned long long)md[PA_NTP_CLIENT], (unsigned long long)md[PA_NTP_SERVER],
        (unsigned long long)(md[PA_NTP_SYM_ACTIVE] + md[PA_NTP_SYM_PASSIVE]), (unsigned long long)md[PA_NTP_BROADCAST],
        (unsigned long long)md[PA_NTP_CONTROL], (unsigned long long)md[PA_NTP_PRIVATE],
        (unsigned long long)st->malformed, st->exchanges.count, (unsigned long long)answered,
        (unsigned long long)st->unanswered, (unsigned long long)st->duplicate_requests,
        (unsigned long long)st->orphan_replies, (unsigned long long)st->clock_samples,
        (unsigned long long)st->kiss_of_death, (unsigned long long)st->unsynchronized,
        (unsigned long long)st->control_errors, (unsigned long long)st->monlist_responses);
    json_t *o = s->obj;
    json_object_set_new(o, "unanswered", json_integer((json_int_t)st->unanswered));
    json_object_set_new(o, "orphan_replies", json_integer((json_int_t)st->orphan_replies));
    json_object_set_new(
        o, "messages",
        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "total",
                  (json_int_t)st->messages, "client", (json_int_t)md[PA_NTP_CLIENT], "server",
                  (json_int_t)md[PA_NTP_SERVER], "symmetric_active", (json_int_t)md[PA_NTP_SYM_ACTIVE],
                  "symmetric_passive", (json_int_t)md[PA_NTP_SYM_PASSIVE], "broadcast",
                  (json_int_t)md[PA_NTP_BROADCAST], "control_requests", (json_int_t)st->control_requests,
                  "control_responses", (json_int_t)st->control_responses, "control_errors",
                  (json_int_t)st->control_errors, "private_requests", (json_int_t)st->private_requests,
                  "private_responses", (json_int_t)st->private_responses, "monlist_responses",
                  (json_int_t)st->monlist_responses, "malformed", (json_int_t)st->malformed, "kiss_of_death",
                  (json_int_t)st->kiss_of_death, "unsynchronized", (json_int_t)st->unsynchronized));
    json_object_set_new(o, "exchanges",
                        json_pack("{s:I, s:I, s:I, s:I, s:I}", "requests", (json_int_t)st->exchanges.count, "answered",
                                  (json_int_t)answered, "repeated_requests", (json_int_t)st->duplicate_requests,
                                  "repeated_replies", (json_int_t)st->duplicate_replies, "with_offset_and_delay",
                                  (json_int_t)st->clock_samples));
    json_object_set_new(o, "kiss_codes", kiss_json(st->kiss, st->nkiss));
    json_object_set_new(o, "note",
                        json_string("A reply answers the request whose transmit timestamp is its origin timestamp "
                                    "(same UDP flow). Offset ((T2-T1)+(T3-T4))/2 and delay (T4-T1)-(T3-T2): T1 the "
                                    "request's transmit timestamp, T2 and T3 the reply's receive and transmit "
                                    "timestamps, T4 the reply's capture time, so exact when captured on the "
                                    "client. tshark 4.0 has no offset or delay field."));
}
