/* analyze_protocol_anomalies: malformed and truncated packets by protocol
 * and reason (the decoders' named counters), invalid TCP flag
 * combinations, bad header lengths, TTL 0, IP fragment problems, DNS, TLS
 * and HTTP parse errors, protocols on other protocols' ports, and, on
 * request, checksum errors (a second, uncached pass: offloading makes the
 * sender's checksums wrong in most captures, so they are off by default). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "frame_scan.h"
#include "storage_path.h"
#include "tool_report.h"
#include "tool_tcp_common.h"

static const char *category(pa_anom a) {
    const char *n = pa_anom_name(a);
    if (!strncmp(n, "tcp.flags_", 10)) return "invalid_tcp_flags";
    if (strstr(n, "hdr_len")) return "bad_header_length";
    if (a == PA_A_IPV4_TTL_ZERO || a == PA_A_IPV6_HLIM_ZERO) return "ttl_zero";
    if (!strncmp(n, "frag.", 5)) return "ip_fragments";
    if (a == PA_A_FRAME_SNAPLEN) return "cut_by_snaplen";
    if (strstr(n, "truncated") || a == PA_A_FRAME_CAPLEN_ZERO) return "truncated";
    if (strstr(n, "too_many") || strstr(n, "too_deep") || strstr(n, "exceeded") || strstr(n, "unsupported"))
        return "not_decoded";
    return "malformed";
}

static json_t *frames_json(const uint64_t *f, uint64_t count, size_t cap) {
    json_t *a = json_array();
    for (size_t i = 0; i < count && i < cap; i++) json_array_append_new(a, json_integer((json_int_t)f[i]));
    return a;
}

/* The first frames of a fixed expert message kind (the application parse errors). */
static json_t *expert_frames(const pa_model *m, pa_expert_id id) {
    return frames_json(m->expert.first[id], m->expert.count[id], PA_EXPERT_FIRST);
}

typedef struct ck_totals {
    uint64_t checked[5], bad[5]; /* ipv4 header, tcp, udp, icmp, icmpv6 */
    json_t *examples;
} ck_totals;

static const char *const CK_NAMES[5] = {"ipv4_header", "tcp", "udp", "icmp", "icmpv6"};

/* The checksum pass. Returns false with res filled on failure. */
static bool checksum_pass(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res, ck_totals *ck) {
    pa_frame_mask mask; /* the frames of the display filter, when there is one */
    if (!pa_tool_mask(ctx, args, res, &mask)) return false;
    pa_resolved rf;
    char err[1024];
    const char *bpf = json_string_value(json_object_get(args, "bpf_filter"));
    if (!pa_tool_open(ctx, args, res, &rf)) {
        pa_frame_mask_free(&mask);
        return false;
    }
    pa_scan *sc;
    if (pa_scan_open(&sc, rf.fd, &rf.fmt, bpf, &mask, err, sizeof err) != PA_OK) {
        pa_frame_mask_free(&mask);
        pa_tool_fail(res, "%s", err);
        return false;
    }
    pa_scan_frame fr;
    uint64_t frames = 0;
    bool cancelled = false;
    while (pa_scan_next(sc, &fr) == 1) {
        if ((++frames & 4095) == 0) {
            if (pa_tool_cancelled(ctx)) {
                cancelled = true;
                break;
            }
            pa_tool_progress(ctx, (double)pa_scan_offset(sc), (double)rf.st.st_size, "verifying checksums");
        }
        pa_packet p;
        pa_scan_decode(sc, &fr, &p);
        pa_cksums c;
        pa_checksums(&p, &c);
        int l4 = p.l4 == PA_P_TCP ? 1 : p.l4 == PA_P_UDP ? 2 : p.l4 == PA_P_ICMP ? 3 : p.l4 == PA_P_ICMPV6 ? 4 : -1;
        struct {
            int k;
            pa_ck v;
            uint16_t should;
        } v[2] = {{0, c.ip, c.ip_should}, {l4, c.l4, c.l4_should}};
        for (int i = 0; i < 2; i++) {
            if (v[i].k < 0 || v[i].v == PA_CK_UNCHECKED) continue;
            ck->checked[v[i].k]++;
            if (v[i].v != PA_CK_BAD) continue;
            ck->bad[v[i].k]++;
            if (json_array_size(ck->examples) < 20) {
                char sb[8];
                snprintf(sb, sizeof sb, "0x%04x", v[i].should);
                json_array_append_new(ck->examples, json_pack("{s:I, s:s, s:s}", "frame", (json_int_t)p.frame_no,
                                                              "checksum", CK_NAMES[v[i].k], "should_be", sb));
            }
        }
    }
    pa_scan_close(sc);
    pa_frame_mask_free(&mask);
    if (cancelled) {
        pa_tool_fail(res, "checksum verification cancelled");
        return false;
    }
    return true;
}

static void frames_text(pa_buf *b, const uint64_t *f, uint64_t count, size_t cap) {
    for (size_t i = 0; i < count && i < cap; i++) pa_buf_printf(b, "%s%llu", i ? "," : "", (unsigned long long)f[i]);
}

/* "<lead>N <what> (first frames a,b,c)": the frames the expert kind kept. */
static void parse_errors_text(pa_buf *t, const pa_model *m, const char *lead, uint64_t n, const char *what,
                              pa_expert_id id) {
    pa_buf_printf(t, "%s%llu %s", lead, (unsigned long long)n, what);
    if (!n) return;
    pa_buf_puts(t, " (first frames ");
    frames_text(t, m->expert.first[id], m->expert.count[id], PA_EXPERT_FIRST);
    pa_buf_puts(t, ")");
}

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    bool verify = json_is_true(json_object_get(args, "verify_checksums"));
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    size_t lim = pa_arg_limit(args);
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    pa_text_capture_header(t, &l);

    /* the checksum pass first: everything else is rendered after it */
    ck_totals c;
    memset(&c, 0, sizeof c);
    c.examples = json_array();
    if (verify && !checksum_pass(ctx, args, res, &c)) {
        json_decref(c.examples);
        pa_tool_unload(&l);
        return;
    }

    /* the decoders' counters, largest first */
    int order[PA_A_COUNT], n = 0;
    for (int a = 0; a < PA_A_COUNT; a++)
        if (m->anom_count[a]) order[n++] = a;
    for (int i = 1; i < n; i++) /* insertion sort: at most a few dozen */
        for (int j = i; j > 0 && m->anom_count[order[j]] > m->anom_count[order[j - 1]]; j--) {
            int x = order[j];
            order[j] = order[j - 1];
            order[j - 1] = x;
        }
    json_t *cats = json_object();
    uint64_t total = 0;
    for (int i = 0; i < n; i++) {
        pa_anom a = (pa_anom)order[i];
        const char *cat = category(a);
        if (a != PA_A_FRAME_SNAPLEN) total += m->anom_count[a];
        json_int_t prev = json_integer_value(json_object_get(cats, cat));
        json_object_set_new(cats, cat, json_integer(prev + (json_int_t)m->anom_count[a]));
    }
    pa_buf_printf(t, "%s%llu anomalous packets counted by the decoders",
                  n ? "" : "No decoder anomalies: ", (unsigned long long)total);
    if (m->anom_count[PA_A_FRAME_SNAPLEN])
        pa_buf_printf(t, " (plus %llu frames cut by the snaplen, which is how the capture was taken)",
                      (unsigned long long)m->anom_count[PA_A_FRAME_SNAPLEN]);
    pa_buf_puts(t, ".\n");

    /* application parsers */
    json_t *app =
        json_pack("{s:{s:I, s:o}, s:{s:I, s:o}, s:{s:I}}", "dns_malformed", "count", (json_int_t)m->dns.malformed,
                  "first_frames", expert_frames(m, PA_EX_DNS_MALFORMED), "tls_parse_errors", "count",
                  (json_int_t)m->tls.parse_errors, "first_frames", expert_frames(m, PA_EX_TLS_MALFORMED),
                  "http_parse_errors", "count", (json_int_t)m->http.parse_errors);
    if (m->dns.malformed || m->tls.parse_errors || m->http.parse_errors) {
        parse_errors_text(t, m, "Application parse errors: ", m->dns.malformed, "malformed DNS messages",
                          PA_EX_DNS_MALFORMED);
        parse_errors_text(t, m, ", ", m->tls.parse_errors, "TLS record or handshake errors", PA_EX_TLS_MALFORMED);
        pa_buf_printf(t, ", %llu HTTP streams with bytes that are not HTTP.\n",
                      (unsigned long long)m->http.parse_errors);
    }

    json_t *ck;
    if (verify) {
        ck = json_pack("{s:b, s:o, s:o, s:s}", "verified", true, "checked", json_object(), "bad", json_object(),
                       "caveat",
                       "Checksum offload leaves the sender's own packets with wrong checksums in "
                       "most captures taken on that host; bad checksums on packets it sent are "
                       "expected there.");
        uint64_t bad = 0;
        for (int k = 0; k < 5; k++) {
            json_object_set_new(json_object_get(ck, "checked"), CK_NAMES[k], json_integer((json_int_t)c.checked[k]));
            json_object_set_new(json_object_get(ck, "bad"), CK_NAMES[k], json_integer((json_int_t)c.bad[k]));
            bad += c.bad[k];
        }
        pa_buf_printf(t,
                      "Checksums: %llu bad (IPv4 header %llu of %llu, TCP %llu of %llu, UDP %llu of %llu, ICMP %llu "
                      "of %llu, ICMPv6 %llu of %llu). Offloading makes the capturing host's own packets look bad.\n",
                      (unsigned long long)bad, (unsigned long long)c.bad[0], (unsigned long long)c.checked[0],
                      (unsigned long long)c.bad[1], (unsigned long long)c.checked[1], (unsigned long long)c.bad[2],
                      (unsigned long long)c.checked[2], (unsigned long long)c.bad[3], (unsigned long long)c.checked[3],
                      (unsigned long long)c.bad[4], (unsigned long long)c.checked[4]);
    } else {
        ck = json_pack("{s:b, s:s}", "verified", false, "note",
                       "Not checked (verify_checksums=false): checksum offload makes the capturing host's own "
                       "packets look bad, so checking is opt-in.");
    }
    pa_buf_puts(t, "Names and descriptions are the analyzer's; frames are Wireshark's frame numbers.\n");
    res->structured =
        json_pack("{s:o, s:{s:I, s:o}, s:o, s:o}", "capture", pa_capture_json(&l), "totals", "anomalous_packets",
                  (json_int_t)total, "by_category", cats, "application_errors", app, "checksums", ck);

    pa_rows rows;
    size_t want = (size_t)n < lim ? (size_t)n : lim;
    if (n) pa_buf_puts(t, "Anomalies, most frequent first (count, category, name, description, first frames):\n");
    pa_rows_begin(&rows, &rep, "anomalies", 0, want, (size_t)n, false);
    for (size_t i = 0; i < want; i++) {
        pa_anom a = (pa_anom)order[i];
        uint64_t cnt = m->anom_count[a];
        pa_sev s;
        pa_grp g;
        char proto[16] = "Frame";
        pa_anom_expert(a, &s, &g, proto, sizeof proto);
        pa_buf *ln = pa_rows_line(&rows);
        pa_buf_printf(ln, "  %llu %s %s %s (%s), frames ", (unsigned long long)cnt, category(a), proto, pa_anom_name(a),
                      pa_anom_desc(a));
        frames_text(ln, m->anom_frames[a], cnt, PA_ANOM_FIRST_FRAMES);
        pa_buf_puts(ln, "\n");
        if (!pa_rows_push(&rows,
                          json_pack("{s:s, s:s, s:s, s:s, s:I, s:o}", "category", category(a), "protocol", proto,
                                    "name", pa_anom_name(a), "description", pa_anom_desc(a), "count", (json_int_t)cnt,
                                    "first_frames", frames_json(m->anom_frames[a], cnt, PA_ANOM_FIRST_FRAMES))))
            break;
    }
    pa_rows_end(&rows, res->structured, "anomalies", NULL);
    if ((size_t)n > want) pa_buf_printf(t, "%zu more kinds of anomaly: raise limit.\n", (size_t)n - want);

    /* protocols on other protocols' ports */
    size_t nm = m->sec.nmismatch;
    if (nm) pa_buf_puts(t, "Protocols on other protocols' ports (flows, first client -> server, first frames):\n");
    pa_rows_begin(&rows, &rep, "unexpected ports", 0, nm, nm, false);
    for (size_t i = 0; i < nm; i++) {
        const pa_sec_mismatch *x = &m->sec.mismatch[i];
        char a[46], b[46];
        pa_addr_str(&x->client, a, sizeof a);
        pa_addr_str(&x->server, b, sizeof b);
        const char *app_name = pa_proto_name((pa_proto)x->app);
        const char *port_name = x->port_app ? pa_proto_name((pa_proto)x->port_app) : "none";
        pa_buf *ln = pa_rows_line(&rows);
        pa_buf_printf(ln, "  %s on port %u (registered for %s): %llu flows, first %s -> %s, frames ", app_name, x->port,
                      port_name, (unsigned long long)x->flows, a, b);
        frames_text(ln, x->frames, x->flows, 5);
        pa_buf_puts(ln, "\n");
        if (!pa_rows_push(&rows,
                          json_pack("{s:s, s:i, s:s, s:I, s:o, s:s, s:s}", "protocol", app_name, "port", x->port,
                                    "port_registered_for", port_name, "flows", (json_int_t)x->flows, "first_frames",
                                    frames_json(x->frames, x->flows, 5), "first_client", a, "first_server", b)))
            break;
    }
    pa_rows_end(&rows, res->structured, "unexpected_ports", NULL);

    /* the first bad checksums */
    size_t nb = json_array_size(c.examples);
    if (nb) pa_buf_puts(t, "First bad checksums (frame, checksum, correct value):\n");
    pa_rows_begin(&rows, &rep, "bad checksums", 0, nb, nb, false);
    for (size_t i = 0; i < nb; i++) {
        json_t *x = json_array_get(c.examples, i);
        pa_buf_printf(pa_rows_line(&rows), "  frame %lld %s should be %s\n",
                      (long long)json_integer_value(json_object_get(x, "frame")),
                      json_string_value(json_object_get(x, "checksum")),
                      json_string_value(json_object_get(x, "should_be")));
        if (!pa_rows_push(&rows, json_incref(x))) break;
    }
    pa_rows_end(&rows, verify ? ck : NULL, "first_bad", NULL);
    json_decref(c.examples);
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

const pa_tool_def pa_tool_analyze_protocol_anomalies = {
    .name = "analyze_protocol_anomalies",
    .title = "Protocol anomalies",
    .description = "Malformed packets, bad flag combinations, protocols on unusual ports, checksums.",
    .input_schema = "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE "," PA_ARG_BPF
                    "," PA_ARG_LIMIT(100, 1000) ",\"verify_checksums\":{\"type\":\"boolean\",\"default\":false}},"
                                                "\"additionalProperties\":false}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"anomalies\",\"application_errors\","
        "\"unexpected_ports\",\"checksums\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA
        ",\"totals\":" PA_S_OBJ("\"anomalous_packets\":" PA_S_INT ",\"by_category\":" PA_S_COUNTS) ",\"anomalies\":" PA_S_ROWS("\"category\":" PA_S_STR ",\"protocol\":" PA_S_STR ",\"name\":" PA_S_STR ",\"description\":" PA_S_STR ",\"count\":" PA_S_INT ",\"first_frames\":" PA_S_INTS) ",\"application_errors\":" PA_S_OBJ(
            "\"dns_malformed\":" PA_S_OBJ("\"count\":" PA_S_INT ",\"first_frames\":" PA_S_INTS) ",\"tls_parse_errors\":" PA_S_OBJ("\"count\":" PA_S_INT ",\"first_frames\":" PA_S_INTS) ",\"http_parse_errors\":" PA_S_OBJ(
                "\"count\":" PA_S_INT)) ",\"unexpected_ports\":" PA_S_ROWS("\"protocol\":" PA_S_STR
                                                                           ",\"port\":" PA_S_INT
                                                                           ",\"port_registered_for\":" PA_S_STR
                                                                           ",\"flows\":" PA_S_INT
                                                                           ",\"first_frames\":" PA_S_INTS
                                                                           ",\"first_client\":" PA_S_STR
                                                                           ",\"first_server\":" PA_S_STR) ",\"checksums\":" PA_S_OBJ("\"verified\":" PA_S_BOOL
                                                                                                                                     ",\"note\":" PA_S_STR
                                                                                                                                     ",\"caveat\":" PA_S_STR
                                                                                                                                     ",\"checked\":" PA_S_COUNTS
                                                                                                                                     ",\"bad\":" PA_S_COUNTS
                                                                                                                                     ",\"first_bad\":" PA_S_ROWS(
                                                                                                                                         "\"frame\":" PA_S_INT
                                                                                                                                         ",\"checksum\":" PA_S_STR
                                                                                                                                         ",\"should_be\":" PA_S_STR)) "},\"additionalProperties\":false}",
    .read_only = true,
    .idempotent = true,
    .run = run,
};
