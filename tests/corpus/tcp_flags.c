/* Prints the tcp.analysis flags our engine sets, one "FLAG FRAME" line per
 * occurrence, and "acks_frame FRAME ACKED" / "bytes_in_flight FRAME N"
 * lines, for compare_tcp_flags.mjs to hold against tshark.
 * Usage: pa-tcp-flags FILE */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "tls_names.h"

static void on_tcp(void *ud, uint64_t frame, const pa_tcp_result *r) {
    (void)ud;
    for (unsigned b = 0; b < PA_TA_COUNT; b++)
        if (r->flags & (1u << b)) printf("%s %llu\n", pa_ta_name(b), (unsigned long long)frame);
    /* the values tshark prints on the same frames */
    if (r->has_rtt) printf("acks_frame %llu %llu\n", (unsigned long long)frame, (unsigned long long)r->acks_frame);
    if (r->has_bif) printf("bytes_in_flight %llu %u\n", (unsigned long long)frame, r->bytes_in_flight);
}

/* DNS responses: "dns FRAME RCODE QNAME TIME_MS ID QTYPE FIRST_ANSWER" (TIME_MS "-"
 * when no query matched, FIRST_ANSWER "-" when there is none; it may hold spaces). */
static void on_dns(void *ud, uint64_t frame, const pa_dns_msg *m, int64_t rt_ns) {
    (void)ud;
    if (!m->qr) { /* a query: "dnsq FRAME ID QTYPE QNAME" */
        printf("dnsq %llu %u %u %s\n", (unsigned long long)frame, m->id, m->qtype, m->qname);
        return;
    }
    const char *ans = m->first_answer[0] ? m->first_answer : "-";
    if (rt_ns >= 0)
        printf("dns %llu %u %s %.6f %u %u %s\n", (unsigned long long)frame, m->rcode, m->qname, (double)rt_ns / 1e6,
               m->id, m->qtype, ans);
    else
        printf("dns %llu %u %s - %u %u %s\n", (unsigned long long)frame, m->rcode, m->qname, m->id, m->qtype, ans);
}

/* HTTP: "http_req FRAME METHOD HOST|- URI" and "http_resp FRAME CODE TIME_MS|- REQ_FRAME|-". */
static void on_http(void *ud, const pa_http_tx *tx, bool response) {
    (void)ud;
    if (response && tx->rt_ns < 0)
        printf("http_resp %llu %u - -\n", (unsigned long long)tx->resp_frame, tx->status);
    else if (response)
        printf("http_resp %llu %u %.6f %llu\n", (unsigned long long)tx->resp_frame, tx->status, (double)tx->rt_ns / 1e6,
               (unsigned long long)tx->req_frame);
    else
        printf("http_req %llu %s %s %s\n", (unsigned long long)tx->req_frame, tx->method, tx->host[0] ? tx->host : "-",
               tx->uri);
}

/* TLS, per connection: "tls_ch FRAME SNI|- JA3 JA4", "tls_sh FRAME CIPHER VERSION JA3S",
 * "tls_conn FIRST_FRAME OUTCOME VERSION CIPHER-NAME SNI|-", "tls_alert FRAME LEVEL DESC|enc". */
static void on_tls(void *ud, const pa_tls_conn *c) {
    (void)ud;
    char b1[32], b2[32];
    if (c->ch_frame)
        printf("tls_ch %llu %s %s %s\n", (unsigned long long)c->ch_frame, c->has_sni ? c->sni : "-", c->ja3, c->ja4);
    if (c->sh_frame) printf("tls_sh %llu %u %u %s\n", (unsigned long long)c->sh_frame, c->cipher, c->version, c->ja3s);
    printf("tls_conn %llu %s %s %s %s\n", (unsigned long long)c->first_frame,
           pa_tls_outcome_name((pa_tls_outcome)c->outcome),
           c->version ? pa_tls_version_short(c->version, b1, sizeof b1) : "-",
           c->cipher ? pa_tls_cipher_name(c->cipher, b2, sizeof b2) : "-", c->has_sni ? c->sni : "-");
    for (uint8_t i = 0; i < c->nalerts; i++) {
        if (c->alerts[i].encrypted)
            printf("tls_alert %llu enc\n", (unsigned long long)c->alerts[i].frame);
        else
            printf("tls_alert %llu %u %u\n", (unsigned long long)c->alerts[i].frame, c->alerts[i].level,
                   c->alerts[i].desc);
    }
}

/* The analyzers' events, each to its printer above. */
static void on_app(void *ud, int analyzer, const void *event) {
    if (analyzer == PA_AN_dns) {
        const pa_dns_event_msg *e = event;
        on_dns(ud, e->frame, e->msg, e->rt_ns);
    } else if (analyzer == PA_AN_http) {
        const pa_http_event *e = event;
        on_http(ud, e->tx, e->response);
    } else if (analyzer == PA_AN_tls) {
        on_tls(ud, event);
    }
}

static void jstr(const char *k, const char *v, bool comma) {
    printf("\"%s\":\"", k);
    for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
        if (*c == '"' || *c == '\\')
            printf("\\%c", *c);
        else if (*c < 0x20)
            printf("\\u%04x", *c);
        else
            putchar(*c);
    }
    printf("\"%s", comma ? "," : "");
}

/* After the pass: each connection and each certificate as one JSON line
 * ("tls_json_conn {...}", "tls_json_cert {...}"), for the Zeek comparison. */
static void print_tls_model(const pa_model *m) {
    char b[64], a1[64], a2[64];
    for (size_t i = 0; i < m->tls.nconns; i++) {
        const pa_tls_conn *c = &m->tls.conns[i];
        pa_addr_str(&c->client, a1, sizeof a1);
        pa_addr_str(&c->server, a2, sizeof a2);
        printf("tls_json_conn {");
        jstr("orig_h", a1, true);
        printf("\"orig_p\":%u,\"resp_p\":%u,", c->cport, c->sport);
        jstr("resp_h", a2, true);
        jstr("version", c->version ? pa_tls_version_short(c->version, b, sizeof b) : "", true);
        jstr("cipher", c->sh_frame ? pa_tls_cipher_name(c->cipher, b, sizeof b) : "", true);
        jstr("curve", c->group ? pa_tls_group_name(c->group, b, sizeof b) : "", true);
        jstr("server_name", c->has_sni ? c->sni : "", true);
        jstr("next_protocol", c->alpn, true);
        jstr("outcome", pa_tls_outcome_name((pa_tls_outcome)c->outcome), true);
        jstr("ja3", c->ja3, true);
        jstr("ja3s", c->ja3s, true);
        jstr("ja4", c->ja4, true);
        printf("\"resumed\":%s,\"established\":%s,\"sni_match\":%d,", c->resumed ? "true" : "false",
               c->done_frame ? "true" : "false", c->sni_match);
        const pa_tls_alert *last = NULL;
        for (uint8_t k = 0; k < c->nalerts; k++)
            if (!c->alerts[k].encrypted) last = &c->alerts[k];
        jstr("last_alert", last ? pa_tls_alert_name(last->desc, b, sizeof b) : "", true);
        printf("\"chain\":[");
        for (uint8_t k = 0; k < c->nchain; k++)
            printf("%s\"%s\"", k ? "," : "", c->chain[k] >= 0 ? m->tls.certs[c->chain[k]].c.sha256 : "");
        printf("]}\n");
    }
    for (size_t i = 0; i < m->tls.ncerts; i++) {
        const pa_cert *c = &m->tls.certs[i].c;
        printf("tls_json_cert {");
        jstr("fingerprint", c->sha256, true);
        jstr("sha1", c->sha1, true);
        printf("\"parsed\":%s,\"version\":%d,\"not_before\":%lld,\"not_after\":%lld,\"key_length\":%d,"
               "\"ca\":%s,\"self_signed\":%s,",
               c->parsed ? "true" : "false", c->version, (long long)c->not_before, (long long)c->not_after, c->key_bits,
               c->is_ca ? "true" : "false", c->self_signed ? "true" : "false");
        jstr("serial", c->serial, true);
        jstr("subject", c->subject, true);
        jstr("issuer", c->issuer, true);
        jstr("key_alg", c->key_alg, true);
        jstr("sig_alg", c->sig_alg, true);
        jstr("key_type", c->key_type, true);
        jstr("curve", c->curve, true);
        jstr("sans", c->sans, false);
        printf("}\n");
    }
}

/* FTP, per frame, the first line as Wireshark shows it:
 * "ftp_frame FRAME req|resp COMMAND|- CODE|- ARG" (ARG may hold spaces; "-" none);
 * per command: "ftp_tx CMD_FRAME VERB REPLY_START|- REPLY_FRAME|- CODE|- TIME_MS|-";
 * per ftp-data frame: "ftpd_frame FRAME SETUP|- METHOD|- COMMAND_FRAME|- CWD|- | COMMAND|-";
 * per data transfer: "ftpd_tx SETUP COMMAND_FRAME|- FRAMES BYTES FIRST|- LAST|- DURATION_MS|-
 * KBPS|- CLOSE_CODE|- CLOSE_FRAME|-" (Wireshark's rounding for the two);
 * at the end "tcp21_payload N", the TCP segments with payload on port 21,
 * when there are any (the TCP comparisons read the same output). */
static unsigned long long tcp21_payload; /* segments tshark would hand its FTP dissector */

static void on_frame(void *ud, const pa_packet *p, const uint8_t *data, const pa_frame_ctx *c) {
    (void)ud;
    (void)data;
    if (p->l4 == PA_P_TCP && p->payload_len && (p->sport == 21 || p->dport == 21)) tcp21_payload++;
    const pa_ftp_frame *f = c->app[PA_AN_ftp];
    if (!f) return;
    const pa_ftp_data_view *d = &f->data;
    if (d->present && !d->setup_frame) printf("ftpd_frame %llu - - - - | -\n", (unsigned long long)p->frame_no);
    if (d->present && d->setup_frame)
        printf("ftpd_frame %llu %llu %s %llu %s | %s\n", (unsigned long long)p->frame_no,
               (unsigned long long)d->setup_frame, d->method, (unsigned long long)d->command_frame,
               d->cwd[0] ? d->cwd : "-", d->has_command ? d->command : "-");
    if (!f->present) return;
    printf("ftp_frame %llu %s %s ", (unsigned long long)p->frame_no, f->request ? "req" : "resp",
           f->has_command ? f->command : "-");
    if (f->has_code)
        printf("%u", f->code);
    else
        printf("-");
    printf(" %s\n", f->has_arg ? f->arg : "-");
}

static void print_ftp_data(const pa_model *m) {
    for (size_t i = 0; i < m->ftp.data.n; i++) {
        const pa_ftp_transfer *t = &m->ftp.data.t[i];
        printf("ftpd_tx %llu %llu %llu %llu %llu %llu", (unsigned long long)t->setup_frame,
               (unsigned long long)t->command_frame, (unsigned long long)t->frames, (unsigned long long)t->bytes,
               (unsigned long long)t->first_frame, (unsigned long long)t->last_frame);
        if (t->frames > 1) {
            long long ms = pa_ftp_transfer_ms(t);
            printf(" %lld %llu", ms, (unsigned long long)pa_ftp_transfer_kbps(t));
        } else {
            printf(" - -");
        }
        printf(" %u %llu\n", t->close_code, (unsigned long long)t->close_frame);
    }
}

static void print_ftp_model(const pa_model *m) {
    print_ftp_data(m);
    for (size_t i = 0; i < m->ftp.ntx; i++) {
        const pa_ftp_tx *t = &m->ftp.tx[i];
        if (t->rt_ns < 0)
            printf("ftp_tx %llu %s - - - -\n", (unsigned long long)t->cmd_frame, t->verb);
        else
            printf("ftp_tx %llu %s %llu %llu %u %.6f\n", (unsigned long long)t->cmd_frame, t->verb,
                   (unsigned long long)t->reply_start_frame, (unsigned long long)t->reply_frame, t->code,
                   (double)t->rt_ns / 1e6);
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: pa-tcp-flags FILE\n");
        return 2;
    }
    /* A test helper: it reads any path it is given (the server never does). */
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    uint8_t head[16] = {0};
    if (fd < 0 || fstat(fd, &st) != 0 || pread(fd, head, sizeof head, 0) < 4) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    pa_capfmt fmt = pa_capfmt_detect(head, sizeof head);
    pa_engine_opts o = {.on_tcp = on_tcp, .on_app = on_app, .on_frame = on_frame};
    pa_model *m = NULL;
    char err[256];
    if (pa_engine_analyze(fd, (uint64_t)st.st_size, &fmt, &o, &m, err, sizeof err) != PA_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    print_tls_model(m);
    print_ftp_model(m);
    if (tcp21_payload) printf("tcp21_payload %llu\n", tcp21_payload);
    pa_model_free(m);
    return 0;
}
