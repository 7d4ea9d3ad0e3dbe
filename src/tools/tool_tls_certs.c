/* extract_certificate_details: the certificates the TLS tracking saw
 * (analyzers/tls/x509_info.c), with their problems at the capture's time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tool_tcp_common.h"
#include "tool_tls.h"

/* ---- extract_certificate_details ------------------------------------------------------ */

static void fmt_secs(char *out, size_t n, int64_t secs) {
    time_t tt = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm)) snprintf(out, n, "%lld", (long long)secs);
}

static const char *const problem_names[8] = {"unparseable", "expired",  "not_yet_valid",  "expires_within_30_days",
                                             "self_signed", "weak_key", "weak_signature", "name_mismatch"};

/* Bit i set: problem_names[i]. */
static unsigned cert_problems(const pa_tls_cert_entry *e, int64_t capture_secs) {
    const pa_cert *c = &e->c;
    if (!c->parsed) return 1u << 0;
    unsigned p = 0;
    if (e->expired) p |= 1u << 1;
    if (e->not_yet_valid) p |= 1u << 2;
    if (!e->expired && c->not_after && c->not_after - capture_secs < 30 * 86400) p |= 1u << 3;
    if (c->self_signed && e->as_leaf) p |= 1u << 4;
    if ((!strcmp(c->key_type, "rsa") || !strcmp(c->key_type, "dsa")) && c->key_bits && c->key_bits < 2048) p |= 1u << 5;
    if (!strcmp(c->key_type, "ecdsa") && c->key_bits && c->key_bits < 224) p |= 1u << 5;
    if (!c->self_signed && (strstr(c->sig_alg, "md5") || strstr(c->sig_alg, "sha1") || strstr(c->sig_alg, "SHA1") ||
                            strstr(c->sig_alg, "MD5")))
        p |= 1u << 6;
    if (e->sni_mismatch) p |= 1u << 7;
    return p;
}

/* One certificate: the row and its text (subject and fingerprint first). */
static json_t *cert_row(const pa_tls_cert_entry *e, pa_buf *ln) {
    const pa_cert *c = &e->c;
    int64_t cap_secs = e->first_ts / 1000000000ll;
    unsigned pb = cert_problems(e, cap_secs);
    json_t *o = json_object(), *probs = json_array();
    if (c->parsed) json_object_set_new(o, "subject", json_string(c->subject));
    json_object_set_new(o, "sha256", json_string(c->sha256));
    json_object_set_new(o, "sha1", json_string(c->sha1));
    json_object_set_new(o, "parsed", json_boolean(c->parsed));
    json_object_set_new(o, "first_frame", json_integer((json_int_t)e->first_frame));
    json_object_set_new(o, "server", pa_json_addr(&e->server));
    json_object_set_new(o, "server_port", json_integer(e->sport));
    json_object_set_new(o, "seen", json_integer((json_int_t)e->seen));
    json_object_set_new(o, "leaf", json_boolean(e->as_leaf));
    json_object_set_new(o, "client_certificate", json_boolean(e->as_client));
    json_object_set_new(o, "self_signed", json_boolean(c->self_signed));
    if (e->first_sni[0]) json_object_set_new(o, "first_sni", json_string(e->first_sni));
    pa_buf_printf(ln, "  %s (sha256 %s), first frame %llu from ", c->parsed ? c->subject : "(unparseable)", c->sha256,
                  (unsigned long long)e->first_frame);
    pa_text_addr_port(ln, &e->server, e->sport);
    if (e->first_sni[0]) pa_buf_printf(ln, " for SNI %s", e->first_sni);
    pa_buf_printf(ln, ", seen %ux, %s%s\n", e->seen,
                  e->as_client ? "client certificate"
                  : e->as_leaf ? "leaf"
                               : "chain",
                  c->self_signed ? ", self-signed" : "");
    if (c->parsed) {
        char nb[32], na[32];
        fmt_secs(nb, sizeof nb, c->not_before);
        fmt_secs(na, sizeof na, c->not_after);
        json_int_t left = (json_int_t)((c->not_after - cap_secs) / 86400);
        json_object_set_new(o, "issuer", json_string(c->issuer));
        json_object_set_new(o, "common_name", json_string(c->subject_cn));
        json_object_set_new(o, "serial", json_string(c->serial));
        json_object_set_new(o, "version", json_integer(c->version));
        json_object_set_new(o, "not_before", json_string(nb));
        json_object_set_new(o, "not_after", json_string(na));
        json_object_set_new(o, "days_left_at_capture", json_integer(left));
        json_object_set_new(o, "key_type", json_string(c->key_type));
        json_object_set_new(o, "key_bits", json_integer(c->key_bits));
        if (c->curve[0]) json_object_set_new(o, "curve", json_string(c->curve));
        json_object_set_new(o, "signature_algorithm", json_string(c->sig_alg));
        json_object_set_new(o, "ca", json_boolean(c->is_ca));
        pa_buf_printf(ln,
                      "    issued by %s, valid %s .. %s (%lld days %s at capture), %s %d bits%s%s, "
                      "%s, serial %s%s\n",
                      c->issuer, nb, na, (long long)(left < 0 ? -left : left), left < 0 ? "past" : "left", c->key_type,
                      c->key_bits, c->curve[0] ? " " : "", c->curve, c->sig_alg, c->serial, c->is_ca ? ", CA" : "");
        json_t *sans = json_array();
        const char *p = c->sans;
        while (*p && json_array_size(sans) < 100) {
            const char *q = strchr(p, ',');
            size_t k = q ? (size_t)(q - p) : strlen(p);
            json_array_append_new(sans, json_stringn(p, k));
            pa_buf_printf(ln, "%s%.*s", json_array_size(sans) == 1 ? "    names: " : ",", (int)k, p);
            p += k + (q ? 1 : 0);
        }
        if (json_array_size(sans)) {
            if (c->nsans > json_array_size(sans)) pa_buf_printf(ln, " (%u in all)", c->nsans);
            pa_buf_puts(ln, "\n");
        }
        json_object_set_new(o, "subject_alt_names", sans);
        json_object_set_new(o, "subject_alt_names_total", json_integer(c->nsans));
    }
    for (int j = 0; j < 8; j++)
        if (pb & (1u << j)) {
            json_array_append_new(probs, json_string(problem_names[j]));
            pa_buf_printf(ln, "%s%s", json_array_size(probs) == 1 ? "    PROBLEMS: " : ", ", problem_names[j]);
        }
    if (pb) pa_buf_puts(ln, "\n");
    json_object_set_new(o, "problems", probs);
    return o;
}

static void run_certs(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    pa_report rep;
    if (!pa_tls_begin(ctx, args, res, &l, &rep)) return;
    const pa_tls_stats *s = &l.m->tls;
    pa_buf *t = &res->text;
    size_t lim = pa_arg_limit(args), offset = pa_tls_arg_offset(args);
    uint64_t kinds[8] = {0};
    uint64_t unordered = 0;
    for (size_t i = 0; i < s->nconns; i++)
        if (s->conns[i].nchain > 1 && !s->conns[i].chain_ordered) unordered++;
    for (size_t i = 0; i < s->ncerts; i++) {
        unsigned pb = cert_problems(&s->certs[i], s->certs[i].first_ts / 1000000000ll);
        for (int j = 0; j < 8; j++)
            if (pb & (1u << j)) kinds[j]++;
    }
    pa_buf_printf(t, "Certificates: %zu distinct (by SHA-256) in %llu Certificate messages.", s->ncerts,
                  (unsigned long long)s->cert_messages);
    json_t *counts = json_object();
    for (int j = 0; j < 8; j++) {
        json_object_set_new(counts, problem_names[j], json_integer((json_int_t)kinds[j]));
        if (kinds[j]) pa_buf_printf(t, " %s: %llu.", problem_names[j], (unsigned long long)kinds[j]);
    }
    pa_buf_puts(t, "\n");
    if (unordered)
        pa_buf_printf(t, "%llu chains were not in issuing order (each certificate signed by the next).\n",
                      (unsigned long long)unordered);
    if (s->certs_encrypted_conns)
        pa_buf_printf(t, "%llu TLS 1.3 handshakes carried their certificates encrypted (not visible).\n",
                      (unsigned long long)s->certs_encrypted_conns);
    if (s->certs_dropped)
        pa_buf_printf(t, "Only %d distinct certificates are kept; %llu more were seen.\n", PA_TLS_MAX_CERTS,
                      (unsigned long long)s->certs_dropped);
    uint64_t quic_hs = 0;
    for (uint32_t i = 0; i < l.m->quic.nconns; i++) quic_hs += l.m->quic.conns[i].has_server_hello;
    if (quic_hs)
        pa_buf_printf(t, "%llu QUIC handshakes carried their certificates encrypted (not visible).\n",
                      (unsigned long long)quic_hs);
    pa_tls_no_tls_note(t, l.m);
    res->structured =
        json_pack("{s:o, s:{s:I, s:I, s:I, s:I, s:I}, s:o}", "capture", pa_capture_json(&l), "totals", "distinct",
                  (json_int_t)s->ncerts, "messages", (json_int_t)s->cert_messages, "chains_out_of_order",
                  (json_int_t)unordered, "tls13_encrypted", (json_int_t)s->certs_encrypted_conns, "not_kept",
                  (json_int_t)s->certs_dropped, "problems", counts);
    pa_rows rows;
    pa_rows_begin(&rows, &rep, "certificates", offset, lim, s->ncerts, true);
    for (size_t i = offset; i < s->ncerts && i - offset < lim; i++) {
        pa_buf *ln = pa_rows_line(&rows);
        if (i == offset)
            pa_tls_page_head(ln, "Certificates", offset, lim, s->ncerts,
                             "in order of first sight: subject, SHA-256, where first seen; issuer, "
                             "validity, key, "
                             "signature, serial; names; problems");
        if (!pa_rows_push(&rows, cert_row(&s->certs[i], ln))) break;
    }
    pa_rows_end(&rows, res->structured, "certificates", "page");
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

const pa_tool_def pa_tool_extract_certificate_details = {
    .name = "extract_certificate_details",
    .title = "TLS certificates",
    .description = "Certificates sent in clear, with expiry, self-signed, weak key and name problems.",
    .input_schema = TLS_INPUT(PA_ARG_LIMIT(50, 500) "," PA_ARG_OFFSET),
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"problems\",\"page\",\"certificates\"],"
        "\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA ",\"totals\":" PA_S_OBJ(
            "\"distinct\":" PA_S_INT ",\"messages\":" PA_S_INT ",\"chains_out_of_order\":" PA_S_INT
            ",\"tls13_encrypted\":" PA_S_INT
            ",\"not_kept\":" PA_S_INT) ",\"problems\":" PA_S_COUNTS ",\"page\":" PA_PAGE_SCHEMA
                                       ",\"certificates\":" PA_S_ROWS("\"subject\":" S_ABSENT(
                                           "string",
                                           "unparseable") ",\"sha256\":" PA_S_STR ",\"sha1\":" PA_S_STR
                                                          ",\"parsed\":" PA_S_BOOL ",\"first_frame\":" PA_S_INT
                                                          ",\"server\":" PA_S_STR ",\"server_port\":" PA_S_INT
                                                          ",\"seen\":" PA_S_INT ",\"leaf\":" PA_S_BOOL
                                                          ",\"client_certificate\":" PA_S_BOOL
                                                          ",\"self_signed\":" PA_S_BOOL ",\"first_sni\":" PA_S_STR
                                                          ",\"issuer\":" PA_S_STR ",\"common_name\":" PA_S_STR
                                                          ",\"serial\":" PA_S_STR ",\"version\":" PA_S_INT
                                                          ",\"not_before\":" PA_S_STR ",\"not_after\":" PA_S_STR
                                                          ",\"days_left_at_capture\":" PA_S_INT
                                                          ",\"key_type\":" PA_S_STR ",\"key_bits\":" PA_S_INT
                                                          ",\"curve\":" PA_S_STR ",\"signature_algorithm\":" PA_S_STR
                                                          ",\"ca\":" PA_S_BOOL ",\"subject_alt_names\":" PA_S_STRS
                                                          ",\"subject_alt_names_total\":" PA_S_INT
                                                          ",\"problems\":" PA_S_STRS) "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run_certs,
};
