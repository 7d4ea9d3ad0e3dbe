/* analyze_quic_traffic: QUIC connections from the model's QUIC tracking
 * (analyzers/quic/quic_track.c): what each Initial said (version, SNI,
 * ALPN, cipher, JA4), how long the handshake took, Retry and Version
 * Negotiation, how it was closed. Totals first, then the connections,
 * those in trouble first (paged). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls_names.h"
#include "tool_report.h"
#include "tool_tcp_common.h"

/* Why a connection is listed where it is: the order of the list. */
enum { RANK_ERROR, RANK_NO_HANDSHAKE, RANK_OK };

/* A transport error other than NO_ERROR ended it. */
static bool closed_with_error(const pa_quic_conn *c) { return c->closed && !c->close_app && c->close_code != 0; }

static int rank(const pa_quic_conn *c) {
    if (closed_with_error(c)) return RANK_ERROR;
    if (c->first_initial_ns >= 0 && c->handshake_ns < 0) return RANK_NO_HANDSHAKE;
    return RANK_OK;
}

/* errors first, then handshakes that never finished, then the slowest
 * handshakes; capture order within each */
static int conn_order(const void *x, const void *y) {
    const pa_quic_conn *a = *(const pa_quic_conn *const *)x, *b = *(const pa_quic_conn *const *)y;
    int ra = rank(a), rb = rank(b);
    if (ra != rb) return ra < rb ? -1 : 1;
    if (a->handshake_ns != b->handshake_ns) return a->handshake_ns > b->handshake_ns ? -1 : 1;
    return (a->number > b->number) - (a->number < b->number);
}

static const char *hs_end_name(uint8_t e) {
    return e == PA_QUIC_HS_HANDSHAKE ? "client Handshake packet" : e == PA_QUIC_HS_SHORT ? "client 1-RTT packet" : "";
}

/* "NO_ERROR (0x0)", "application 0x100" */
static void close_text(const pa_quic_conn *c, char *buf, size_t n) {
    const char *name = c->close_app ? NULL : pa_quic_error_name(c->close_code);
    if (c->close_app)
        snprintf(buf, n, "application error 0x%llx", (unsigned long long)c->close_code);
    else if (name && c->close_code >= 0x100 && c->close_code <= 0x1ff) {
        char alert[64];
        snprintf(buf, n, "%s (0x%llx, TLS alert %s)", name, (unsigned long long)c->close_code,
                 pa_tls_alert_name((uint8_t)(c->close_code & 0xff), alert, sizeof alert));
    } else if (name)
        snprintf(buf, n, "%s (0x%llx)", name, (unsigned long long)c->close_code);
    else
        snprintf(buf, n, "transport error 0x%llx", (unsigned long long)c->close_code);
}

static json_t *conn_json(const pa_model *m, const pa_quic_conn *c) {
    char b[128];
    json_t *o =
        json_pack("{s:i, s:I, s:I, s:f, s:f, s:I, s:I}", "connection", (int)c->number, "stream", (json_int_t)c->stream,
                  "first_frame", (json_int_t)c->first_frame, "time_s", (double)(c->first_ns - m->first_ts) / 1e9,
                  "duration_s", (double)(c->last_ns - c->first_ns) / 1e9, "packets_client", (json_int_t)c->packets[0],
                  "packets_server", (json_int_t)c->packets[1]);
    if (c->client_known) {
        json_object_set_new(o, "client", pa_json_addr(&c->client_addr));
        json_object_set_new(o, "client_port", json_integer(c->client_port));
        json_object_set_new(o, "server", pa_json_addr(&c->server_addr));
        json_object_set_new(o, "server_port", json_integer(c->server_port));
    }
    json_t *vs = json_array();
    for (uint8_t i = 0; i < c->nversions; i++)
        json_array_append_new(vs, json_string(pa_quic_version_name(c->versions[i], b, sizeof b)));
    json_object_set_new(o, "versions", vs);
    if (c->has_client_hello) {
        json_object_set_new(o, "sni", json_string(c->sni));
        if (c->alpn[0]) json_object_set_new(o, "alpn", json_string(c->alpn));
        if (c->ja4[0]) json_object_set_new(o, "ja4", json_string(c->ja4));
        json_object_set_new(o, "ciphers_offered", json_integer(c->ciphers_total));
    }
    if (c->tls_version)
        json_object_set_new(o, "tls_version", json_string(pa_tls_version_name(c->tls_version, b, sizeof b)));
    if (c->has_server_hello) json_object_set_new(o, "cipher", json_string(pa_tls_cipher_name(c->cipher, b, sizeof b)));
    if (c->handshake_ns >= 0) {
        json_object_set_new(o, "handshake_ms", json_real((double)c->handshake_ns / 1e6));
        json_object_set_new(o, "handshake_end", json_string(hs_end_name(c->handshake_end)));
    }
    if (c->retry) json_object_set_new(o, "retry", json_true());
    if (c->version_negotiation) {
        json_t *vn = json_array();
        for (uint8_t i = 0; i < c->nvn_versions; i++)
            json_array_append_new(vn, json_string(pa_quic_version_name(c->vn_versions[i], b, sizeof b)));
        json_object_set_new(o, "version_negotiation", vn);
    }
    if (c->closed) {
        close_text(c, b, sizeof b);
        json_t *cl =
            json_pack("{s:s, s:s, s:I, s:s}", "by", c->close_by_server ? "server" : "client", "kind",
                      c->close_app ? "application" : "transport", "code", (json_int_t)c->close_code, "description", b);
        if (c->close_reason[0]) json_object_set_new(cl, "reason", json_string(c->close_reason));
        json_object_set_new(o, "close", cl);
    }
    if (c->stream >= 0) {
        snprintf(b, sizeof b, "udp.stream == %lld", (long long)c->stream);
        json_object_set_new(o, "display_filter", json_string(b));
    }
    return o;
}

static void conn_text(pa_buf *ln, const pa_quic_conn *c) {
    char b[128];
    pa_buf_printf(ln, "  #%u frame %llu ", c->number, (unsigned long long)c->first_frame);
    if (c->client_known) {
        pa_text_addr_port(ln, &c->client_addr, c->client_port);
        pa_buf_puts(ln, " -> ");
        pa_text_addr_port(ln, &c->server_addr, c->server_port);
    } else
        pa_buf_puts(ln, "(client not seen)");
    pa_buf_puts(ln, " version");
    for (uint8_t i = 0; i < c->nversions; i++)
        pa_buf_printf(ln, "%s%s", i ? "," : " ", pa_quic_version_name(c->versions[i], b, sizeof b));
    if (!c->nversions) pa_buf_puts(ln, " -");
    if (c->has_client_hello) {
        pa_buf_printf(ln, ", SNI %s", c->sni[0] ? c->sni : "(none)");
        if (c->alpn[0]) pa_buf_printf(ln, ", ALPN %s", c->alpn);
    }
    if (c->tls_version) pa_buf_printf(ln, ", %s", pa_tls_version_name(c->tls_version, b, sizeof b));
    if (c->has_server_hello) pa_buf_printf(ln, " %s", pa_tls_cipher_name(c->cipher, b, sizeof b));
    if (c->handshake_ns >= 0)
        pa_buf_printf(ln, ", handshake %.3f ms (to the %s)", (double)c->handshake_ns / 1e6,
                      hs_end_name(c->handshake_end));
    else if (c->first_initial_ns >= 0)
        pa_buf_puts(ln, ", handshake not completed");
    if (c->retry) pa_buf_puts(ln, ", Retry");
    if (c->version_negotiation) {
        pa_buf_puts(ln, ", Version Negotiation offering");
        for (uint8_t i = 0; i < c->nvn_versions; i++)
            pa_buf_printf(ln, "%s%s", i ? "," : " ", pa_quic_version_name(c->vn_versions[i], b, sizeof b));
    }
    pa_buf_printf(ln, ", %llu/%llu packets client/server", (unsigned long long)c->packets[0],
                  (unsigned long long)c->packets[1]);
    if (c->closed) {
        close_text(c, b, sizeof b);
        pa_buf_printf(ln, ", closed by the %s: %s", c->close_by_server ? "server" : "client", b);
        if (c->close_reason[0]) pa_buf_printf(ln, " \"%s\"", c->close_reason);
    }
    if (c->ja4[0]) pa_buf_printf(ln, ", JA4 %s", c->ja4);
    if (c->stream >= 0) pa_buf_printf(ln, " [udp.stream == %lld]", (long long)c->stream);
    pa_buf_puts(ln, "\n");
}

typedef struct name_count {
    const char *name;
    uint32_t count;
} name_count;

static int count_desc(const void *x, const void *y) {
    const name_count *a = x, *b = y;
    return a->count != b->count ? (a->count < b->count ? 1 : -1) : strcmp(a->name, b->name);
}

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    const pa_quic_stats *q = &m->quic;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    size_t lim = pa_arg_limit(args);
    size_t offset = (size_t)json_integer_value(json_object_get(args, "offset"));
    pa_text_capture_header(t, &l);
    pa_text_packet_note(t);

    const pa_quic_conn **order = malloc((q->nconns ? q->nconns : 1) * sizeof *order);
    int64_t *hs = malloc((q->nconns ? q->nconns : 1) * sizeof *hs);
    size_t n = order && hs ? q->nconns : 0; /* out of memory: totals without the list */
    size_t nhs = 0;
    uint64_t with_hello = 0, retries = 0, vns = 0, closed = 0, errors = 0, incomplete = 0;
    json_t *versions = json_object();
    char b[128];
    for (size_t i = 0; i < n; i++) {
        const pa_quic_conn *c = &q->conns[i];
        order[i] = c;
        if (c->handshake_ns >= 0) hs[nhs++] = c->handshake_ns;
        with_hello += c->has_client_hello;
        retries += c->retry;
        vns += c->version_negotiation;
        closed += c->closed;
        errors += closed_with_error(c);
        incomplete += rank(c) == RANK_NO_HANDSHAKE;
        if (c->nversions) {
            const char *v = pa_quic_version_name(c->versions[c->nversions - 1], b, sizeof b);
            json_object_set_new(versions, v, json_integer(json_integer_value(json_object_get(versions, v)) + 1));
        }
    }
    qsort(order, n, sizeof *order, conn_order);
    pa_ns_summary sum;
    json_t *hs_json = pa_ns_summary_json(hs, nhs, &sum);
    free(hs);

    /* server names, most connections first */
    name_count *names = calloc(n ? n : 1, sizeof *names);
    size_t nnames = 0;
    for (size_t i = 0; names && i < n; i++) {
        const pa_quic_conn *c = &q->conns[i];
        if (!c->has_client_hello || !c->sni[0]) continue;
        size_t k = 0;
        while (k < nnames && strcmp(names[k].name, c->sni) != 0) k++;
        if (k == nnames) names[nnames++] = (name_count){c->sni, 0};
        names[k].count++;
    }
    if (names) qsort(names, nnames, sizeof *names, count_desc);

    uint64_t pk = 0;
    for (size_t i = 0; i < sizeof q->packets / sizeof q->packets[0]; i++) pk += q->packets[i];
    pa_buf_printf(t,
                  "QUIC: %llu datagrams, %llu packets, %zu connections (%llu with a ClientHello read from their "
                  "Initial packets); %llu closed, %llu by a transport error; %llu handshakes not completed; "
                  "%llu Retry, %llu Version Negotiation.\n",
                  (unsigned long long)q->datagrams, (unsigned long long)pk, n, (unsigned long long)with_hello,
                  (unsigned long long)closed, (unsigned long long)errors, (unsigned long long)incomplete,
                  (unsigned long long)retries, (unsigned long long)vns);
    if (nhs)
        pa_buf_printf(t,
                      "Handshake time (client's first Initial to its first Handshake or 1-RTT packet): min %.3f ms, "
                      "median %.3f ms, p90 %.3f ms, max %.3f ms over %zu connections.\n",
                      sum.min_ms, sum.p50_ms, sum.p90_ms, sum.max_ms, nhs);
    const char *k;
    json_t *v;
    if (json_object_size(versions)) {
        pa_buf_puts(t, "Versions:");
        json_object_foreach(versions, k, v) pa_buf_printf(t, " %s x%lld", k, (long long)json_integer_value(v));
        pa_buf_puts(t, "\n");
    }
    if (q->initial_failed)
        pa_buf_printf(t, "%llu Initial packets could not be decrypted (keys of an unseen first Initial).\n",
                      (unsigned long long)q->initial_failed);
    if (q->conns_overflow)
        pa_buf_printf(t, "Only %u connections are tracked; %llu Initial packets of more were counted only.\n",
                      PA_QUIC_MAX_CONNS, (unsigned long long)q->conns_overflow);
    if (q->gquic_datagrams)
        pa_buf_printf(t, "%llu datagrams of Google QUIC (Q046 and older, tshark's gquic): named, not decoded.\n",
                      (unsigned long long)q->gquic_datagrams);
    if (!n && !q->datagrams && !q->gquic_datagrams) pa_buf_puts(t, "No QUIC in this capture.\n");
    json_t *ptypes = json_object();
    for (int i = 0; i <= PA_QUIC_GOOGLE; i++)
        if (q->packets[i])
            json_object_set_new(ptypes, pa_quic_ptype_name((pa_quic_ptype)i), json_integer((json_int_t)q->packets[i]));
    res->structured = json_pack(
        "{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:o, s:o, s:o}", "capture",
        pa_capture_json(&l), "totals", "datagrams", (json_int_t)q->datagrams, "packets", (json_int_t)pk, "connections",
        (json_int_t)n, "with_client_hello", (json_int_t)with_hello, "closed", (json_int_t)closed,
        "closed_by_transport_error", (json_int_t)errors, "handshakes_not_completed", (json_int_t)incomplete, "retry",
        (json_int_t)retries, "version_negotiation", (json_int_t)vns, "initial_decrypted",
        (json_int_t)q->initial_decrypted, "initial_not_decrypted", (json_int_t)q->initial_failed, "gquic_datagrams",
        (json_int_t)q->gquic_datagrams, "packet_types", ptypes, "versions", versions, "handshake_time", hs_json);

    /* server names, most connections first (not paged: at most `limit`) */
    pa_rows rows;
    if (nnames) pa_buf_puts(t, "Server names (SNI), most connections first:\n");
    pa_rows_begin(&rows, &rep, "server names", 0, lim, nnames, false);
    for (size_t i = 0; i < nnames && i < lim; i++) {
        pa_buf_printf(pa_rows_line(&rows), "  %s x%u\n", names[i].name, names[i].count);
        if (!pa_rows_push(&rows, json_pack("{s:s, s:i}", "sni", names[i].name, "connections", (int)names[i].count)))
            break;
    }
    pa_rows_end(&rows, res->structured, "server_names", NULL);
    free(names);

    if (n && offset < n)
        pa_buf_printf(t,
                      "Connections %zu-%zu of %zu (closed by an error first, then handshakes not completed, then "
                      "the slowest handshakes):\n",
                      offset + 1, offset + lim < n ? offset + lim : n, n);
    pa_rows_begin(&rows, &rep, "connections", offset, lim, n, true);
    for (size_t i = offset; i < n && i - offset < lim; i++) {
        conn_text(pa_rows_line(&rows), order[i]);
        if (!pa_rows_push(&rows, conn_json(m, order[i]))) break;
    }
    pa_rows_end(&rows, res->structured, "connections", "page");
    free(order);
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

#define CONN_SCHEMA                                                                                                    \
    PA_S_ROWS("\"connection\":{\"type\":\"integer\",\"description\":\"quic.connection.number\"},\"stream\":{\"type\":" \
              "\"integer\",\"description\":\"udp.stream\"},\"first_frame\":" PA_S_INT ",\"time_s\":" PA_S_NUM          \
              ",\"duration_s\":" PA_S_NUM ",\"packets_client\":" PA_S_INT ",\"packets_server\":" PA_S_INT              \
              ",\"client\":" PA_S_STR ",\"client_port\":" PA_S_INT ",\"server\":" PA_S_STR                             \
              ",\"server_port\":" PA_S_INT ",\"versions\":" PA_S_STRS ",\"sni\":" PA_S_STR ",\"alpn\":" PA_S_STR       \
              ",\"ja4\":" PA_S_STR ",\"ciphers_offered\":" PA_S_INT ",\"tls_version\":" PA_S_STR                       \
              ",\"cipher\":" PA_S_STR ",\"handshake_ms\":" PA_S_NUM ",\"handshake_end\":" PA_S_STR                     \
              ",\"retry\":" PA_S_BOOL ",\"version_negotiation\":" PA_S_STRS ",\"close\":" PA_S_OBJ(                    \
                  "\"by\":" PA_S_STR ",\"kind\":" PA_S_STR ",\"code\":" PA_S_INT ",\"description\":" PA_S_STR          \
                  ",\"reason\":" PA_S_STR) ",\"display_filter\":" PA_S_STR)

const pa_tool_def pa_tool_analyze_quic_traffic = {
    .name = "analyze_quic_traffic",
    .title = "QUIC connections",
    .description = "QUIC connections: version, SNI, ALPN, JA4, handshake time, Retry, close codes; failures first.",
    .input_schema = "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE "," PA_ARG_BPF
                    "," PA_ARG_LIMIT(100, 1000) "," PA_ARG_OFFSET "},\"additionalProperties\":false}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"packet_types\",\"versions\","
        "\"handshake_time\",\"page\",\"connections\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA
        ",\"totals\":" PA_S_OBJ(
            "\"datagrams\":" PA_S_INT ",\"packets\":" PA_S_INT ",\"connections\":" PA_S_INT
            ",\"with_client_hello\":" PA_S_INT ",\"closed\":" PA_S_INT ",\"closed_by_transport_error\":" PA_S_INT
            ",\"handshakes_not_completed\":" PA_S_INT ",\"retry\":" PA_S_INT ",\"version_negotiation\":" PA_S_INT
            ",\"initial_decrypted\":" PA_S_INT ",\"initial_not_decrypted\":" PA_S_INT
            ",\"gquic_datagrams\":" PA_S_INT) ",\"packet_types\":" PA_S_COUNTS ",\"versions\":" PA_S_COUNTS
                                              ",\"handshake_time\":" PA_NS_SUMMARY_SCHEMA
                                              ",\"server_names\":" PA_S_ROWS(
                                                  "\"sni\":" PA_S_STR
                                                  ",\"connections\":" PA_S_INT) ",\"page\":" PA_PAGE_SCHEMA
                                                                                ",\"connections\":" CONN_SCHEMA
                                                                                "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run,
};
