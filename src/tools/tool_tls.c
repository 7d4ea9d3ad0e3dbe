/* The TLS tools: analyze_tls_handshakes, analyze_sni_mismatches,
 * extract_certificate_details, analyze_tls_alerts and
 * extract_tls_cipher_analysis, all read from the model's TLS tracking
 * (engine/tls_track.c). Totals first, then bounded lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tls_names.h"
#include "tool_tcp_common.h"

#define ARR PA_SCHEMA_ARR
#define OBJ PA_SCHEMA_OBJ

/* ---- shared pieces ---------------------------------------------------------- */

static double ms_between(int64_t a, int64_t b) { return (double)(b - a) / 1e6; }

static const char *vname(uint16_t v, char *buf, size_t n) {
    return v ? pa_tls_version_name(v, buf, n) : "";
}

static json_t *offered_versions(const pa_tls_conn *c) {
    static const char *const names[] = {"SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"};
    json_t *a = json_array();
    for (int i = 0; i < 5; i++)
        if (c->offered_mask & (1u << i)) json_array_append_new(a, json_string(names[i]));
    return a;
}

static void conn_ids(json_t *o, const pa_tls_conn *c) {
    json_object_set_new(o, "frame", json_integer((json_int_t)(c->ch_frame ? c->ch_frame : c->first_frame)));
    json_object_set_new(o, "stream", json_integer((json_int_t)c->stream));
    json_object_set_new(o, "client", pa_json_addr(&c->client));
    json_object_set_new(o, "client_port", json_integer(c->cport));
    json_object_set_new(o, "server", pa_json_addr(&c->server));
    json_object_set_new(o, "server_port", json_integer(c->sport));
    json_object_set_new(o, "sni", c->has_sni ? json_string(c->sni) : json_null());
}

static void conn_text(pa_buf *t, const pa_tls_conn *c) {
    char cs[64], ss[64];
    pa_addr_str(&c->client, cs, sizeof cs);
    pa_addr_str(&c->server, ss, sizeof ss);
    bool v6 = c->client.family == 6;
    pa_buf_printf(t, "frame %llu %s%s%s:%u -> %s%s%s:%u%s%s",
                  (unsigned long long)(c->ch_frame ? c->ch_frame : c->first_frame), v6 ? "[" : "", cs,
                  v6 ? "]" : "", c->cport, v6 ? "[" : "", ss, v6 ? "]" : "", c->sport,
                  c->has_sni ? " SNI " : "", c->has_sni ? c->sni : "");
}

static const pa_tls_alert *first_clear_alert(const pa_tls_conn *c) {
    for (uint8_t i = 0; i < c->nalerts; i++)
        if (!c->alerts[i].encrypted) return &c->alerts[i];
    return NULL;
}

static json_t *conn_json(const pa_tls_conn *c) {
    char b1[40], b2[40], b3[40];
    json_t *o = json_object();
    conn_ids(o, c);
    json_object_set_new(o, "versions_offered", offered_versions(c));
    json_object_set_new(o, "version", c->version ? json_string(vname(c->version, b1, sizeof b1)) : json_null());
    json_object_set_new(o, "cipher", c->sh_frame ? json_string(pa_tls_cipher_name(c->cipher, b2, sizeof b2)) : json_null());
    json_object_set_new(o, "group", c->group ? json_string(pa_tls_group_name(c->group, b3, sizeof b3)) : json_null());
    json_object_set_new(o, "alpn_offered", json_string(c->alpn_offered));
    json_object_set_new(o, "alpn", json_string(c->alpn));
    json_object_set_new(o, "outcome", json_string(pa_tls_outcome_name((pa_tls_outcome)c->outcome)));
    if (c->ch_frame && c->sh_frame)
        json_object_set_new(o, "server_hello_ms", json_real(ms_between(c->ch_ts, c->sh_ts)));
    if (c->ch_frame && c->done_frame)
        json_object_set_new(o, "handshake_ms", json_real(ms_between(c->ch_ts, c->done_ts)));
    const pa_tls_alert *a = first_clear_alert(c);
    if (a) {
        char ab[32];
        json_object_set_new(o, "alert", json_string(pa_tls_alert_name(a->desc, ab, sizeof ab)));
    }
    if (c->reset_frame) json_object_set_new(o, "reset_frame", json_integer((json_int_t)c->reset_frame));
    if (c->hrr) json_object_set_new(o, "hello_retry", json_true());
    if (c->resumed) json_object_set_new(o, "resumed", json_true());
    if (c->ja3[0]) json_object_set_new(o, "ja3", json_string(c->ja3));
    if (c->ja4[0]) json_object_set_new(o, "ja4", json_string(c->ja4));
    if (c->ja3s[0]) json_object_set_new(o, "ja3s", json_string(c->ja3s));
    return o;
}

typedef const char *(*namer)(uint16_t, char *, size_t);

static json_t *names_json(const uint16_t *v, size_t n, namer fn) {
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        char b[48];
        json_array_append_new(a, json_string(fn(v[i], b, sizeof b)));
    }
    return a;
}

/* The ClientHello's lists by name (opt-in: they make a connection ten times longer). */
static void hello_details(json_t *o, const pa_tls_conn *c) {
    if (!c->ch_frame) return;
    json_object_set_new(o, "cipher_suites_offered", names_json(c->hello_ciphers, c->n_ciphers, pa_tls_cipher_name));
    json_object_set_new(o, "cipher_suites_offered_total", json_integer(c->ciphers_offered));
    json_object_set_new(o, "extensions", names_json(c->hello_exts, c->n_exts, pa_tls_ext_name));
    json_object_set_new(o, "groups_offered", names_json(c->hello_groups, c->n_groups, pa_tls_group_name));
    json_object_set_new(o, "key_shares", names_json(c->hello_shares, c->n_shares, pa_tls_group_name));
    json_object_set_new(o, "signature_algorithms", names_json(c->hello_sigalgs, c->n_sigalgs, pa_tls_sigalg_name));
}

static size_t arg_offset(const json_t *args) {
    return (size_t)json_integer_value(json_object_get(args, "offset"));
}

static void no_tls_note(pa_buf *t, const pa_tls_stats *s) {
    if (!s->connections) pa_buf_puts(t, "No TLS in this capture.\n");
    if (s->streams_capped)
        pa_buf_printf(t, "%llu connection directions carried more than %llu MiB: records beyond that were not read.\n",
                      (unsigned long long)s->streams_capped, (unsigned long long)(PA_TLS_STREAM_CAP >> 20));
    if (s->conns_dropped)
        pa_buf_printf(t, "Only %d connections are listed; %llu more were counted in the totals.\n",
                      PA_TLS_MAX_CONNS, (unsigned long long)s->conns_dropped);
}

static json_t *outcome_json(const pa_tls_stats *s) {
    json_t *o = json_object();
    for (int i = 0; i < PA_TLS_OUT_COUNT; i++)
        json_object_set_new(o, pa_tls_outcome_name((pa_tls_outcome)i), json_integer((json_int_t)s->outcome[i]));
    return o;
}

/* ---- analyze_tls_handshakes ----------------------------------------------------- */

static bool outcome_wanted(const pa_tls_conn *c, const char *want) {
    if (!strcmp(want, "all")) return true;
    if (!strcmp(want, "failed"))
        return c->outcome == PA_TLS_OUT_ALERT || c->outcome == PA_TLS_OUT_RESET ||
               c->outcome == PA_TLS_OUT_NO_ANSWER;
    return !strcmp(want, pa_tls_outcome_name((pa_tls_outcome)c->outcome));
}

static void run_handshakes(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_tls_stats *s = &l.m->tls;
    pa_buf *t = &res->text;
    size_t lim = pa_arg_limit(args), offset = arg_offset(args);
    const char *want = json_string_value(json_object_get(args, "outcome"));
    if (!want) want = "all";
    bool details = json_is_true(json_object_get(args, "details"));
    if (details && lim > 100) lim = 100; /* each connection is ten times longer with its lists */
    pa_text_capture_header(t, &l);
    pa_text_packet_note(t);

    int64_t *sh = malloc((s->nconns ? s->nconns : 1) * sizeof *sh);
    int64_t *hs = malloc((s->nconns ? s->nconns : 1) * sizeof *hs);
    size_t nsh = 0, nhs = 0;
    json_t *versions = json_object();
    for (size_t i = 0; i < s->nconns; i++) {
        const pa_tls_conn *c = &s->conns[i];
        if (c->ch_frame && c->sh_frame && sh) sh[nsh++] = c->sh_ts - c->ch_ts;
        if (c->ch_frame && c->done_frame && hs) hs[nhs++] = c->done_ts - c->ch_ts;
    }
    for (uint16_t i = 0; i < s->chosen_versions.n; i++) {
        char b[40];
        json_object_set_new(versions, vname(s->chosen_versions.v[i].code, b, sizeof b),
                            json_integer((json_int_t)s->chosen_versions.v[i].n));
    }
    pa_ns_summary ssh, shs;
    json_t *t_sh = pa_ns_summary_json(sh, nsh, &ssh), *t_hs = pa_ns_summary_json(hs, nhs, &shs);
    free(sh);
    free(hs);
    pa_buf_printf(t,
                  "TLS: %llu connections, %llu ClientHellos, %llu ServerHellos. Outcomes: %llu completed, "
                  "%llu failed by alert, %llu reset, %llu unanswered, %llu incomplete, %llu began before "
                  "the capture.\n",
                  (unsigned long long)s->connections, (unsigned long long)s->client_hellos,
                  (unsigned long long)s->server_hellos, (unsigned long long)s->outcome[PA_TLS_OUT_COMPLETED],
                  (unsigned long long)s->outcome[PA_TLS_OUT_ALERT], (unsigned long long)s->outcome[PA_TLS_OUT_RESET],
                  (unsigned long long)s->outcome[PA_TLS_OUT_NO_ANSWER],
                  (unsigned long long)s->outcome[PA_TLS_OUT_INCOMPLETE],
                  (unsigned long long)s->outcome[PA_TLS_OUT_NOT_SEEN]);
    if (s->chosen_versions.n) {
        pa_buf_puts(t, "Versions chosen:");
        for (uint16_t i = 0; i < s->chosen_versions.n; i++) {
            char b[40];
            pa_buf_printf(t, "%s %s x%llu", i ? "," : "", vname(s->chosen_versions.v[i].code, b, sizeof b),
                          (unsigned long long)s->chosen_versions.v[i].n);
        }
        pa_buf_puts(t, ".\n");
    }
    if (nsh)
        pa_buf_printf(t, "ClientHello -> ServerHello: median %.3f ms, p90 %.3f ms, max %.3f ms.\n", ssh.p50_ms,
                      ssh.p90_ms, ssh.max_ms);
    if (nhs)
        pa_buf_printf(t, "ClientHello -> handshake complete: median %.3f ms, p90 %.3f ms, max %.3f ms.\n",
                      shs.p50_ms, shs.p90_ms, shs.max_ms);
    if (s->hrr || s->resumed)
        pa_buf_printf(t, "%llu HelloRetryRequests, %llu resumed sessions.\n", (unsigned long long)s->hrr,
                      (unsigned long long)s->resumed);

    size_t matched = 0, shown = 0;
    json_t *list = json_array();
    for (size_t i = 0; i < s->nconns; i++) {
        const pa_tls_conn *c = &s->conns[i];
        if (!outcome_wanted(c, want)) continue;
        if (matched++ < offset || shown >= lim) continue;
        json_t *o = conn_json(c);
        if (details) hello_details(o, c);
        json_array_append_new(list, o);
        if (shown++ < 20) {
            char b1[40], b2[40];
            pa_buf_puts(t, "  ");
            conn_text(t, c);
            pa_buf_printf(t, ": %s", pa_tls_outcome_name((pa_tls_outcome)c->outcome));
            if (c->version) pa_buf_printf(t, ", %s %s", vname(c->version, b1, sizeof b1),
                                          c->sh_frame ? pa_tls_cipher_name(c->cipher, b2, sizeof b2) : "");
            if (c->ch_frame && c->done_frame) pa_buf_printf(t, ", %.3f ms", ms_between(c->ch_ts, c->done_ts));
            pa_buf_puts(t, "\n");
        }
    }
    if (shown > 20) pa_buf_printf(t, "  ... %zu more in the structured result.\n", shown - 20);
    if (offset + shown < matched)
        pa_buf_printf(t, "%zu more: call again with offset=%zu.\n", matched - offset - shown, offset + shown);
    no_tls_note(t, s);
    res->structured = json_pack(
        "{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:o, s:o, s:{s:o, s:o}, s:{s:s, s:I, s:I, s:I, s:b}, s:o}",
        "capture", pa_capture_json(&l), "totals", "connections", (json_int_t)s->connections, "client_hellos",
        (json_int_t)s->client_hellos, "server_hellos", (json_int_t)s->server_hellos, "hello_retry_requests",
        (json_int_t)s->hrr, "resumed", (json_int_t)s->resumed, "renegotiations", (json_int_t)s->renegotiations,
        "parse_errors", (json_int_t)s->parse_errors, "stream_gaps", (json_int_t)s->gaps, "streams_at_depth_cap",
        (json_int_t)s->streams_capped, "not_listed",
        (json_int_t)s->conns_dropped, "outcomes", outcome_json(s), "versions", versions, "timing",
        "client_hello_to_server_hello", t_sh, "client_hello_to_complete", t_hs, "page", "outcome", want, "offset",
        (json_int_t)offset, "returned", (json_int_t)shown, "total", (json_int_t)matched, "more",
        offset + shown < matched, "connections", list);
    pa_tool_unload(&l);
}

/* ---- analyze_sni_mismatches --------------------------------------------------------- */

typedef struct server_count {
    pa_addr addr;
    uint16_t port;
    uint32_t n;
    uint64_t first_frame;
} server_count;

static void run_sni(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_tls_stats *s = &l.m->tls;
    pa_buf *t = &res->text;
    size_t lim = pa_arg_limit(args);
    pa_text_capture_header(t, &l);
    pa_text_packet_note(t);
    uint64_t with_sni = 0, compared = 0, match = 0, mismatch = 0, no_sni = 0, rejected = 0, encrypted = 0,
             no_cert = 0;
    json_t *mism = json_array(), *rej = json_array(), *nosni = json_array();
    server_count sc[64];
    size_t nsc = 0;
    for (size_t i = 0; i < s->nconns; i++) {
        const pa_tls_conn *c = &s->conns[i];
        if (!c->ch_frame) continue;
        if (!c->has_sni) {
            no_sni++;
            size_t k = 0;
            while (k < nsc && !(sc[k].port == c->sport && !memcmp(&sc[k].addr, &c->server, sizeof c->server))) k++;
            if (k == nsc && nsc < sizeof sc / sizeof sc[0]) sc[nsc++] = (server_count){c->server, c->sport, 0, c->ch_frame};
            if (k < nsc) sc[k].n++;
            continue;
        }
        with_sni++;
        if (c->sni_match >= 0) compared++;
        if (c->sni_match == 1) match++;
        if (c->certs_encrypted) encrypted++;
        else if (c->sni_match < 0 && c->sh_frame) no_cert++;
        if (c->sni_match == 0) {
            mismatch++;
            if (json_array_size(mism) < lim) {
                json_t *o = json_object();
                conn_ids(o, c);
                const pa_tls_cert_entry *ce = c->chain[0] >= 0 ? &s->certs[c->chain[0]] : NULL;
                if (ce) {
                    json_object_set_new(o, "certificate_subject", json_string(ce->c.subject));
                    json_object_set_new(o, "certificate_names", json_string(ce->c.sans));
                    json_object_set_new(o, "certificate_sha256", json_string(ce->c.sha256));
                    json_object_set_new(o, "self_signed", json_boolean(ce->c.self_signed));
                }
                json_object_set_new(o, "outcome", json_string(pa_tls_outcome_name((pa_tls_outcome)c->outcome)));
                json_array_append_new(mism, o);
                if (json_array_size(mism) <= 10) {
                    pa_buf_puts(t, "  MISMATCH ");
                    conn_text(t, c);
                    pa_buf_printf(t, ": certificate %s (names: %.200s)\n", ce ? ce->c.subject : "?",
                                  ce && ce->c.sans[0] ? ce->c.sans : "none");
                }
            }
        }
        if (c->outcome == PA_TLS_OUT_ALERT || c->outcome == PA_TLS_OUT_RESET) {
            rejected++;
            if (json_array_size(rej) < lim) {
                json_t *o = json_object();
                conn_ids(o, c);
                json_object_set_new(o, "outcome", json_string(pa_tls_outcome_name((pa_tls_outcome)c->outcome)));
                const pa_tls_alert *a = first_clear_alert(c);
                char ab[32];
                if (a) {
                    json_object_set_new(o, "alert", json_string(pa_tls_alert_name(a->desc, ab, sizeof ab)));
                    json_object_set_new(o, "alert_from", json_string(a->from_server ? "server" : "client"));
                }
                json_array_append_new(rej, o);
                if (json_array_size(rej) <= 10) {
                    pa_buf_puts(t, "  REJECTED ");
                    conn_text(t, c);
                    pa_buf_printf(t, ": %s%s%s\n", pa_tls_outcome_name((pa_tls_outcome)c->outcome), a ? " " : "",
                                  a ? pa_tls_alert_name(a->desc, ab, sizeof ab) : "");
                }
            }
        }
    }
    for (size_t k = 0; k < nsc && k < lim; k++)
        json_array_append_new(nosni, json_pack("{s:o, s:i, s:i, s:I}", "server", pa_json_addr(&sc[k].addr),
                                               "server_port", sc[k].port, "connections", sc[k].n, "first_frame",
                                               (json_int_t)sc[k].first_frame));
    pa_buf_printf(t,
                  "SNI: %llu ClientHellos name a server, %llu do not. %llu could be compared with the server's "
                  "certificate: %llu match, %llu do not. %llu were rejected (alert or reset).\n",
                  (unsigned long long)with_sni, (unsigned long long)no_sni, (unsigned long long)compared,
                  (unsigned long long)match, (unsigned long long)mismatch, (unsigned long long)rejected);
    if (encrypted)
        pa_buf_printf(t, "%llu handshakes are TLS 1.3: the certificate is encrypted, so the SNI cannot be checked "
                         "against it from a capture.\n", (unsigned long long)encrypted);
    if (no_cert)
        pa_buf_printf(t, "%llu handshakes sent no certificate in the capture (resumed sessions, or not captured).\n",
                      (unsigned long long)no_cert);
    no_tls_note(t, s);
    res->structured = json_pack(
        "{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:o, s:o, s:o}", "capture", pa_capture_json(&l), "totals",
        "with_sni", (json_int_t)with_sni, "without_sni", (json_int_t)no_sni, "compared", (json_int_t)compared,
        "matching", (json_int_t)match, "mismatched", (json_int_t)mismatch, "rejected", (json_int_t)rejected,
        "certificate_encrypted", (json_int_t)encrypted, "no_certificate_seen", (json_int_t)no_cert, "mismatches",
        mism, "rejected", rej, "without_sni", nosni);
    pa_tool_unload(&l);
}

/* ---- extract_certificate_details ------------------------------------------------------ */

static void fmt_secs(char *out, size_t n, int64_t secs) {
    time_t tt = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm)) snprintf(out, n, "%lld", (long long)secs);
}

static json_t *cert_problems(const pa_tls_cert_entry *e, int64_t capture_secs) {
    const pa_cert *c = &e->c;
    json_t *p = json_array();
    if (!c->parsed) {
        json_array_append_new(p, json_string("unparseable"));
        return p;
    }
    if (e->expired) json_array_append_new(p, json_string("expired"));
    if (e->not_yet_valid) json_array_append_new(p, json_string("not_yet_valid"));
    if (!e->expired && c->not_after && c->not_after - capture_secs < 30 * 86400)
        json_array_append_new(p, json_string("expires_within_30_days"));
    if (c->self_signed && e->as_leaf) json_array_append_new(p, json_string("self_signed"));
    if ((!strcmp(c->key_type, "rsa") || !strcmp(c->key_type, "dsa")) && c->key_bits && c->key_bits < 2048)
        json_array_append_new(p, json_string("weak_key"));
    if (!strcmp(c->key_type, "ecdsa") && c->key_bits && c->key_bits < 224) json_array_append_new(p, json_string("weak_key"));
    if (!c->self_signed && (strstr(c->sig_alg, "md5") || strstr(c->sig_alg, "sha1") || strstr(c->sig_alg, "SHA1") ||
                            strstr(c->sig_alg, "MD5")))
        json_array_append_new(p, json_string("weak_signature"));
    if (e->sni_mismatch) json_array_append_new(p, json_string("name_mismatch"));
    return p;
}

static void run_certs(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_tls_stats *s = &l.m->tls;
    pa_buf *t = &res->text;
    size_t lim = pa_arg_limit(args), offset = arg_offset(args);
    pa_text_capture_header(t, &l);
    pa_text_packet_note(t);
    uint64_t kinds[8] = {0};
    static const char *const kind_names[8] = {"unparseable", "expired", "not_yet_valid", "expires_within_30_days",
                                              "self_signed", "weak_key", "weak_signature", "name_mismatch"};
    uint64_t unordered = 0;
    for (size_t i = 0; i < s->nconns; i++)
        if (s->conns[i].nchain > 1 && !s->conns[i].chain_ordered) unordered++;
    json_t *list = json_array();
    size_t shown = 0;
    for (size_t i = 0; i < s->ncerts; i++) {
        const pa_tls_cert_entry *e = &s->certs[i];
        const pa_cert *c = &e->c;
        int64_t cap_secs = e->first_ts / 1000000000ll;
        json_t *probs = cert_problems(e, cap_secs);
        for (size_t k = 0; k < json_array_size(probs); k++)
            for (int j = 0; j < 8; j++)
                if (!strcmp(json_string_value(json_array_get(probs, k)), kind_names[j])) kinds[j]++;
        if (i < offset || shown >= lim) {
            json_decref(probs);
            continue;
        }
        shown++;
        char nb[32], na[32];
        fmt_secs(nb, sizeof nb, c->not_before);
        fmt_secs(na, sizeof na, c->not_after);
        json_t *sans = json_array();
        const char *p = c->sans;
        while (*p && json_array_size(sans) < 100) {
            const char *q = strchr(p, ',');
            size_t k = q ? (size_t)(q - p) : strlen(p);
            json_array_append_new(sans, json_stringn(p, k));
            p += k + (q ? 1 : 0);
        }
        json_t *o = json_pack("{s:s, s:s, s:b, s:o, s:I, s:I, s:o, s:i, s:b, s:b, s:b}", "sha256", c->sha256, "sha1",
                              c->sha1, "parsed", c->parsed, "problems", probs, "seen", (json_int_t)e->seen,
                              "first_frame", (json_int_t)e->first_frame, "server", pa_json_addr(&e->server),
                              "server_port", e->sport, "leaf", e->as_leaf, "client_certificate", e->as_client,
                              "self_signed", c->self_signed);
        if (c->parsed) {
            json_object_set_new(o, "subject", json_string(c->subject));
            json_object_set_new(o, "issuer", json_string(c->issuer));
            json_object_set_new(o, "common_name", json_string(c->subject_cn));
            json_object_set_new(o, "serial", json_string(c->serial));
            json_object_set_new(o, "version", json_integer(c->version));
            json_object_set_new(o, "not_before", json_string(nb));
            json_object_set_new(o, "not_after", json_string(na));
            json_object_set_new(o, "days_left_at_capture",
                                json_integer((json_int_t)((c->not_after - cap_secs) / 86400)));
            json_object_set_new(o, "key_type", json_string(c->key_type));
            json_object_set_new(o, "key_bits", json_integer(c->key_bits));
            if (c->curve[0]) json_object_set_new(o, "curve", json_string(c->curve));
            json_object_set_new(o, "signature_algorithm", json_string(c->sig_alg));
            json_object_set_new(o, "subject_alt_names", sans);
            json_object_set_new(o, "subject_alt_names_total", json_integer(c->nsans));
            json_object_set_new(o, "ca", json_boolean(c->is_ca));
        } else {
            json_decref(sans);
        }
        if (e->first_sni[0]) json_object_set_new(o, "first_sni", json_string(e->first_sni));
        json_array_append_new(list, o);
        if (shown <= 15) {
            pa_buf_printf(t, "  %s%s, issued by %s, valid %s .. %s, %s %d bits, %s", c->parsed ? "" : "(unparseable) ",
                          c->parsed ? c->subject : c->sha256, c->parsed ? c->issuer : "?", nb, na, c->key_type,
                          c->key_bits, c->sig_alg);
            size_t np = json_array_size(probs);
            for (size_t k = 0; k < np; k++)
                pa_buf_printf(t, "%s%s", k ? ", " : " -- PROBLEMS: ", json_string_value(json_array_get(probs, k)));
            pa_buf_puts(t, "\n");
        }
    }
    pa_buf_printf(t, "Certificates: %zu distinct (by SHA-256) in %llu Certificate messages.",
                  s->ncerts, (unsigned long long)s->cert_messages);
    json_t *counts = json_object();
    for (int j = 0; j < 8; j++) {
        json_object_set_new(counts, kind_names[j], json_integer((json_int_t)kinds[j]));
        if (kinds[j]) pa_buf_printf(t, " %s: %llu.", kind_names[j], (unsigned long long)kinds[j]);
    }
    pa_buf_puts(t, "\n");
    if (unordered)
        pa_buf_printf(t, "%llu chains were not in issuing order (each certificate signed by the next).\n",
                      (unsigned long long)unordered);
    if (s->certs_encrypted_conns)
        pa_buf_printf(t, "%llu TLS 1.3 handshakes carried their certificates encrypted (not visible).\n",
                      (unsigned long long)s->certs_encrypted_conns);
    if (shown > 15) pa_buf_printf(t, "  ... %zu more in the structured result.\n", shown - 15);
    if (offset + shown < s->ncerts)
        pa_buf_printf(t, "%zu more: call again with offset=%zu.\n", s->ncerts - offset - shown, offset + shown);
    if (s->certs_dropped)
        pa_buf_printf(t, "Only %d distinct certificates are kept; %llu more were seen.\n", PA_TLS_MAX_CERTS,
                      (unsigned long long)s->certs_dropped);
    no_tls_note(t, s);
    res->structured = json_pack("{s:o, s:{s:I, s:I, s:I, s:I, s:I}, s:o, s:{s:I, s:I, s:I, s:b}, s:o}", "capture",
                                pa_capture_json(&l), "totals", "distinct", (json_int_t)s->ncerts, "messages",
                                (json_int_t)s->cert_messages, "chains_out_of_order", (json_int_t)unordered,
                                "tls13_encrypted", (json_int_t)s->certs_encrypted_conns, "not_kept",
                                (json_int_t)s->certs_dropped, "problems", counts, "page", "offset", (json_int_t)offset,
                                "returned", (json_int_t)shown, "total", (json_int_t)s->ncerts, "more",
                                offset + shown < s->ncerts, "certificates", list);
    pa_tool_unload(&l);
}

/* ---- analyze_tls_alerts ------------------------------------------------------------------ */

static void run_alerts(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_tls_stats *s = &l.m->tls;
    pa_buf *t = &res->text;
    size_t lim = pa_arg_limit(args);
    pa_text_capture_header(t, &l);
    pa_text_packet_note(t);
    static const char *const levels[3] = {"unknown", "warning", "fatal"};
    pa_buf_printf(t, "TLS alerts: %llu in clear, %llu encrypted (after the keys changed: their content cannot be "
                     "read; at the end of a completed session they are normally close_notify).\n",
                  (unsigned long long)s->alerts, (unsigned long long)s->alerts_encrypted);
    json_t *by = json_array();
    for (int lv = 2; lv >= 0; lv--)
        for (int d = 0; d < 256; d++) {
            if (!s->alert_count[lv][d]) continue;
            char ab[32];
            const char *name = pa_tls_alert_name((uint8_t)d, ab, sizeof ab);
            json_array_append_new(by, json_pack("{s:s, s:s, s:i, s:I}", "level", levels[lv], "description", name,
                                                "code", d, "count", (json_int_t)s->alert_count[lv][d]));
            pa_buf_printf(t, "  %s %s (%d): %llu\n", levels[lv], name, d, (unsigned long long)s->alert_count[lv][d]);
        }
    json_t *conns = json_array();
    uint64_t with_alerts = 0;
    for (size_t i = 0; i < s->nconns; i++) {
        const pa_tls_conn *c = &s->conns[i];
        if (!c->alerts_total) continue;
        with_alerts++;
        if (json_array_size(conns) >= lim) continue;
        json_t *o = json_object();
        conn_ids(o, c);
        json_object_set_new(o, "outcome", json_string(pa_tls_outcome_name((pa_tls_outcome)c->outcome)));
        json_object_set_new(o, "alerts_total", json_integer(c->alerts_total));
        json_t *al = json_array();
        for (uint8_t k = 0; k < c->nalerts; k++) {
            const pa_tls_alert *a = &c->alerts[k];
            char ab[32];
            json_t *x = json_pack("{s:I, s:s, s:b}", "frame", (json_int_t)a->frame, "from",
                                  a->from_server ? "server" : "client", "encrypted", a->encrypted);
            if (!a->encrypted) {
                json_object_set_new(x, "level", json_string(levels[a->level <= 2 ? a->level : 0]));
                json_object_set_new(x, "description", json_string(pa_tls_alert_name(a->desc, ab, sizeof ab)));
            }
            json_object_set_new(x, "after_handshake", json_boolean(c->done_frame && a->frame > c->done_frame));
            json_array_append_new(al, x);
        }
        json_object_set_new(o, "alerts", al);
        json_array_append_new(conns, o);
        if (json_array_size(conns) <= 15) {
            pa_buf_puts(t, "  ");
            conn_text(t, c);
            pa_buf_printf(t, " (%s):", pa_tls_outcome_name((pa_tls_outcome)c->outcome));
            for (uint8_t k = 0; k < c->nalerts; k++) {
                const pa_tls_alert *a = &c->alerts[k];
                char ab[32];
                if (a->encrypted) pa_buf_printf(t, " frame %llu %s encrypted;", (unsigned long long)a->frame,
                                                a->from_server ? "server" : "client");
                else pa_buf_printf(t, " frame %llu %s %s %s;", (unsigned long long)a->frame,
                                   a->from_server ? "server" : "client", levels[a->level <= 2 ? a->level : 0],
                                   pa_tls_alert_name(a->desc, ab, sizeof ab));
            }
            pa_buf_puts(t, "\n");
        }
    }
    if (with_alerts > json_array_size(conns))
        pa_buf_printf(t, "  ... %llu connections with alerts in all.\n", (unsigned long long)with_alerts);
    no_tls_note(t, s);
    res->structured = json_pack("{s:o, s:{s:I, s:I, s:I}, s:o, s:o}", "capture", pa_capture_json(&l), "totals",
                                "in_clear", (json_int_t)s->alerts, "encrypted", (json_int_t)s->alerts_encrypted,
                                "connections_with_alerts", (json_int_t)with_alerts, "by_description", by,
                                "connections", conns);
    pa_tool_unload(&l);
}

/* ---- extract_tls_cipher_analysis ------------------------------------------------------------ */

static int count_desc(const void *x, const void *y) {
    const pa_tls_count *a = x, *b = y;
    return a->n != b->n ? (a->n < b->n ? 1 : -1) : (a->code > b->code) - (a->code < b->code);
}

static const char *grade_name(pa_tls_grade g) {
    return g == PA_TLS_INSECURE ? "insecure" : g == PA_TLS_WEAK ? "weak" : "ok";
}

typedef enum { K_CIPHER, K_GROUP, K_VERSION, K_EXT, K_SIGALG } kind;

/* A counts table as a sorted JSON list with names and judgements. */
static json_t *counts_json(const pa_tls_counts *c, kind k, size_t lim, pa_buf *t, const char *label) {
    pa_tls_count *v = malloc((c->n ? c->n : 1) * sizeof *v);
    json_t *a = json_array();
    if (!v) return a;
    memcpy(v, c->v, c->n * sizeof *v);
    qsort(v, c->n, sizeof *v, count_desc);
    if (t && c->n) pa_buf_printf(t, "%s:", label);
    for (size_t i = 0; i < c->n && i < lim; i++) {
        char b[48];
        const char *why = NULL;
        json_t *o;
        if (k == K_CIPHER) {
            pa_tls_grade g = pa_tls_cipher_grade(v[i].code, &why);
            o = json_pack("{s:s, s:I, s:s, s:b}", "name", pa_tls_cipher_name(v[i].code, b, sizeof b), "count",
                          (json_int_t)v[i].n, "grade", grade_name(g), "forward_secrecy",
                          !pa_tls_cipher_no_pfs(v[i].code));
        } else if (k == K_GROUP) {
            o = json_pack("{s:s, s:I, s:b}", "name", pa_tls_group_name(v[i].code, b, sizeof b), "count",
                          (json_int_t)v[i].n, "post_quantum", pa_tls_group_is_pq(v[i].code));
        } else if (k == K_EXT || k == K_SIGALG) {
            o = json_pack("{s:s, s:I}", "name",
                          k == K_EXT ? pa_tls_ext_name(v[i].code, b, sizeof b) : pa_tls_sigalg_name(v[i].code, b, sizeof b),
                          "count", (json_int_t)v[i].n);
        } else {
            pa_tls_grade g = pa_tls_version_grade(v[i].code, &why);
            o = json_pack("{s:s, s:I, s:s}", "name", pa_tls_version_name(v[i].code, b, sizeof b), "count",
                          (json_int_t)v[i].n, "grade", grade_name(g));
        }
        char code[8];
        snprintf(code, sizeof code, "0x%04X", v[i].code);
        json_object_set_new(o, "code", json_string(code));
        if (why) json_object_set_new(o, "reason", json_string(why));
        json_array_append_new(a, o);
        if (t && i < 8) pa_buf_printf(t, "%s %s x%llu", i ? "," : "", json_string_value(json_object_get(o, "name")),
                                      (unsigned long long)v[i].n);
    }
    if (t && c->n) pa_buf_printf(t, "%s.\n", c->n > 8 ? " and more" : "");
    free(v);
    return a;
}

static void run_ciphers(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_tls_stats *s = &l.m->tls;
    pa_buf *t = &res->text;
    size_t lim = pa_arg_limit(args);
    pa_text_capture_header(t, &l);
    pa_text_packet_note(t);
    uint64_t weak_offerers = 0, pq_offered = 0, pq_chosen = 0, no_pfs = 0, weak = 0, hellos = 0;
    json_t *weak_list = json_array();
    for (size_t i = 0; i < s->nconns; i++) {
        const pa_tls_conn *c = &s->conns[i];
        if (c->ch_frame) hellos++;
        if (c->weak_offered) weak_offerers++;
        if (c->pq_offered) pq_offered++;
        if (c->group && pa_tls_group_is_pq(c->group)) pq_chosen++;
        if (!c->sh_frame) continue;
        if (pa_tls_cipher_no_pfs(c->cipher)) no_pfs++;
        const char *cwhy = NULL, *vwhy = NULL;
        pa_tls_grade cg = pa_tls_cipher_grade(c->cipher, &cwhy), vg = pa_tls_version_grade(c->version, &vwhy);
        if (cg == PA_TLS_OK && vg == PA_TLS_OK) continue;
        weak++;
        if (json_array_size(weak_list) >= lim) continue;
        /* the names may be fixed strings that leave the buffers unwritten */
        char b1[40], b2[48];
        const char *vn = vname(c->version, b1, sizeof b1), *cn = pa_tls_cipher_name(c->cipher, b2, sizeof b2);
        json_t *o = json_object();
        conn_ids(o, c);
        json_object_set_new(o, "version", json_string(vn));
        json_object_set_new(o, "cipher", json_string(cn));
        json_t *why = json_array();
        if (vwhy) json_array_append_new(why, json_string(vwhy));
        if (cwhy) json_array_append_new(why, json_string(cwhy));
        json_object_set_new(o, "reasons", why);
        json_object_set_new(o, "grade", json_string(grade_name(cg > vg ? cg : vg)));
        json_array_append_new(weak_list, o);
        if (json_array_size(weak_list) <= 10) {
            pa_buf_puts(t, "  WEAK ");
            conn_text(t, c);
            pa_buf_printf(t, ": %s %s (%s%s%s)\n", vn, cn, vwhy ? vwhy : "", vwhy && cwhy ? "; " : "", cwhy ? cwhy : "");
        }
    }
    pa_buf_printf(t, "%llu connections chose a weak or insecure version or cipher; %llu chose a suite without "
                     "forward secrecy; %llu of %llu ClientHellos offered insecure or weak suites.\n",
                  (unsigned long long)weak, (unsigned long long)no_pfs, (unsigned long long)weak_offerers,
                  (unsigned long long)hellos);
    json_t *vo = counts_json(&s->offered_versions, K_VERSION, lim, t, "Highest version offered");
    json_t *vc = counts_json(&s->chosen_versions, K_VERSION, lim, t, "Version chosen");
    json_t *cc = counts_json(&s->chosen_ciphers, K_CIPHER, lim, t, "Cipher suites chosen");
    json_t *co = counts_json(&s->offered_ciphers, K_CIPHER, lim, t, "Cipher suites offered (ClientHellos offering each)");
    json_t *gc = counts_json(&s->chosen_groups, K_GROUP, lim, t, "Key exchange groups chosen");
    json_t *go = counts_json(&s->offered_groups, K_GROUP, lim, t, "Groups offered");
    json_t *ks = counts_json(&s->key_share_groups, K_GROUP, lim, t, "Key shares sent");
    json_t *ex = counts_json(&s->offered_exts, K_EXT, lim, NULL, NULL);
    json_t *sa = counts_json(&s->offered_sigalgs, K_SIGALG, lim, NULL, NULL);
    pa_buf_printf(t, "Post-quantum hybrid key exchange: offered in %llu ClientHellos, chosen in %llu handshakes.\n",
                  (unsigned long long)pq_offered, (unsigned long long)pq_chosen);
    no_tls_note(t, s);
    res->structured = json_pack(
        "{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I}, s:{s:o, s:o}, s:{s:o, s:o}, s:{s:o, s:o, s:o}, s:o, s:o, s:o}",
        "capture",
        pa_capture_json(&l), "totals", "client_hellos", (json_int_t)hellos, "weak_choices", (json_int_t)weak,
        "without_forward_secrecy", (json_int_t)no_pfs, "clients_offering_weak", (json_int_t)weak_offerers,
        "post_quantum_offered", (json_int_t)pq_offered, "post_quantum_chosen", (json_int_t)pq_chosen, "versions",
        "offered_highest", vo, "chosen", vc, "cipher_suites", "chosen", cc, "offered", co, "groups", "chosen", gc,
        "offered", go, "key_shares", ks, "extensions_offered", ex, "signature_algorithms_offered", sa,
        "weak_connections", weak_list);
    pa_tool_unload(&l);
}

/* ---- definitions ------------------------------------------------------------------------------ */

#define TLS_INPUT(extra)                                                                               \
    "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE "," PA_ARG_BPF \
    "," extra "},\"additionalProperties\":false}"

const pa_tool_def pa_tool_analyze_tls_handshakes = {
    .name = "analyze_tls_handshakes",
    .title = "TLS handshakes",
    .description =
        "TLS handshakes per connection: version, SNI, cipher, outcome, timing, JA3/JA4. "
        "outcome=failed for alert, reset or no answer.",
    .input_schema = TLS_INPUT(PA_ARG_LIMIT(50, 1000) "," PA_ARG_OFFSET
                              ",\"outcome\":{\"type\":\"string\",\"enum\":[\"all\",\"failed\",\"completed\",\"alert\","
                              "\"reset\",\"no_answer\",\"incomplete\",\"not_seen\"],\"default\":\"all\"},"
                              "\"details\":{\"type\":\"boolean\",\"default\":false}"),
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"outcomes\",\"versions\",\"timing\","
                     "\"page\",\"connections\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" OBJ
                     ",\"outcomes\":" OBJ ",\"versions\":" OBJ ",\"timing\":" OBJ ",\"page\":" OBJ
                     ",\"connections\":" ARR "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_handshakes,
};

const pa_tool_def pa_tool_analyze_sni_mismatches = {
    .name = "analyze_sni_mismatches",
    .title = "SNI mismatches",
    .description =
        "SNI checked against the server certificate: mismatches, missing SNI, refused SNIs.",
    .input_schema = TLS_INPUT(PA_ARG_LIMIT(50, 500)),
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"mismatches\",\"rejected\","
                     "\"without_sni\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" OBJ
                     ",\"mismatches\":" ARR ",\"rejected\":" ARR ",\"without_sni\":" ARR
                     "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_sni,
};

const pa_tool_def pa_tool_extract_certificate_details = {
    .name = "extract_certificate_details",
    .title = "TLS certificates",
    .description =
        "Certificates sent in clear, with expiry, self-signed, weak key and name problems.",
    .input_schema = TLS_INPUT(PA_ARG_LIMIT(50, 500) "," PA_ARG_OFFSET),
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"problems\",\"page\","
                     "\"certificates\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" OBJ
                     ",\"problems\":" OBJ ",\"page\":" OBJ ",\"certificates\":" ARR
                     "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_certs,
};

const pa_tool_def pa_tool_analyze_tls_alerts = {
    .name = "analyze_tls_alerts",
    .title = "TLS alerts",
    .description = "TLS alerts by level and description, with their connections.",
    .input_schema = TLS_INPUT(PA_ARG_LIMIT(50, 500)),
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"by_description\","
                     "\"connections\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" OBJ
                     ",\"by_description\":" ARR ",\"connections\":" ARR "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_alerts,
};

const pa_tool_def pa_tool_extract_tls_cipher_analysis = {
    .name = "extract_tls_cipher_analysis",
    .title = "TLS ciphers and key exchange",
    .description =
        "Cipher suites, versions and groups offered versus chosen; weak choices flagged.",
    .input_schema = TLS_INPUT(PA_ARG_LIMIT(30, 500)),
    .output_schema = "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"versions\",\"cipher_suites\","
                     "\"groups\",\"weak_connections\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA
                     ",\"totals\":" OBJ ",\"versions\":" OBJ ",\"cipher_suites\":" OBJ ",\"groups\":" OBJ
                     ",\"extensions_offered\":" ARR ",\"signature_algorithms_offered\":" ARR
                     ",\"weak_connections\":" ARR "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_ciphers,
};
