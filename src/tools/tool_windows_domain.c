/* analyze_windows_domain: the Windows-domain view over what the Kerberos,
 * LDAP, SMB2 and DCE-RPC analyzers keep. "I can't log in", "the share
 * hangs", "the domain controller is slow": authentication failures by
 * account and reason, SMB2 errors and failed opens, DCE-RPC faults and
 * rejected binds, then the slowest operations of all four. Each list holds
 * at most `limit` rows, worst first; the per-protocol tools and
 * analyze_application_response_times list everything. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcerpc_names.h"
#include "tool_report.h"
#include "tool_tcp_common.h"

#define KRB_PREAUTH_REQUIRED 25 /* KDC_ERR_PREAUTH_REQUIRED: the first step of a pre-authenticated logon */
#define LDAP_SASL_IN_PROGRESS 14

/* One authentication that failed, before grouping. */
typedef struct fail {
    const char *proto;
    char account[160];
    char reason[64];
    pa_addr client, server;
    uint64_t frame;
} fail;

static int fail_cmp(const void *x, const void *y) {
    const fail *a = x, *b = y;
    int c = strcmp(a->proto, b->proto);
    if (!c) c = strcmp(a->account, b->account);
    if (!c) c = strcmp(a->reason, b->reason);
    if (!c) c = memcmp(&a->client, &b->client, sizeof a->client);
    if (!c) c = memcmp(&a->server, &b->server, sizeof a->server);
    if (!c) c = (a->frame > b->frame) - (a->frame < b->frame);
    return c;
}

typedef struct fail_group {
    const fail *first; /* the group's earliest failure (the list is sorted by frame within a key) */
    uint64_t count, last_frame;
} fail_group;

static int group_cmp(const void *x, const void *y) {
    const fail_group *a = x, *b = y;
    if (a->count != b->count) return a->count < b->count ? 1 : -1;
    return (a->first->frame > b->first->frame) - (a->first->frame < b->first->frame);
}

static bool same_key(const fail *a, const fail *b) {
    return !strcmp(a->proto, b->proto) && !strcmp(a->account, b->account) && !strcmp(a->reason, b->reason) &&
           !memcmp(&a->client, &b->client, sizeof a->client) && !memcmp(&a->server, &b->server, sizeof a->server);
}

/* Wireshark's name of a code, or the code (hex: as NT statuses are written). */
static void reason_text(char *out, size_t n, const char *name, const char *what, unsigned long long code, bool hex) {
    if (name)
        snprintf(out, n, "%s", name);
    else if (hex)
        snprintf(out, n, "%s0x%08llx", what, code);
    else
        snprintf(out, n, "%s%llu", what, code);
}

/* Every failed authentication of the four protocols. */
static size_t collect_failures(const pa_model *m, fail **out) {
    /* KRB-ERRORs answering no request seen (the capture began after it, or
     * lost it): per code, what the messages counted beyond the exchanges */
    uint64_t matched[PA_KRB_ERROR_CODES] = {0}, orphans = 0;
    for (size_t i = 0; i < m->kerberos.ntx; i++) {
        const pa_krb_tx *x = &m->kerberos.tx[i];
        if (x->has_error && x->error_code >= 0 && x->error_code < PA_KRB_ERROR_CODES) matched[x->error_code]++;
    }
    for (int c = 0; c < PA_KRB_ERROR_CODES; c++)
        if (c != KRB_PREAUTH_REQUIRED && m->kerberos.error_code[c] > matched[c])
            orphans += m->kerberos.error_code[c] - matched[c];
    size_t cap = m->kerberos.ntx + m->ldap.ntx + m->smb2.sessions.count + orphans, n = 0;
    fail *v = calloc(cap ? cap : 1, sizeof *v);
    if (!v) return *out = NULL, 0;
    for (int c = 0; c < PA_KRB_ERROR_CODES; c++)
        for (uint64_t k = matched[c]; c != KRB_PREAUTH_REQUIRED && k < m->kerberos.error_code[c]; k++) {
            fail *f = &v[n++];
            f->proto = "kerberos";
            snprintf(f->account, sizeof f->account, "(request not in the capture)");
            reason_text(f->reason, sizeof f->reason, pa_krb_error_name(c), "error ", (unsigned long long)c, false);
        }
    for (size_t i = 0; i < m->kerberos.ntx; i++) {
        const pa_krb_tx *x = &m->kerberos.tx[i];
        if (!x->has_error || x->error_code == KRB_PREAUTH_REQUIRED) continue;
        fail *f = &v[n++];
        f->proto = "kerberos";
        if (x->cname[0])
            snprintf(f->account, sizeof f->account, "%.80s@%.70s", x->cname, x->realm);
        else
            snprintf(f->account, sizeof f->account, "(no client name)");
        reason_text(f->reason, sizeof f->reason, pa_krb_error_name(x->error_code), "error ",
                    (unsigned long long)x->error_code, false);
        f->client = x->client;
        f->server = x->server;
        f->frame = x->rep_frame;
    }
    for (size_t i = 0; i < m->ldap.ntx; i++) {
        const pa_ldap_tx *x = &m->ldap.tx[i];
        if (x->op != PA_LDAP_BIND_REQ || !x->has_result || x->result == 0 || x->result == LDAP_SASL_IN_PROGRESS)
            continue;
        fail *f = &v[n++];
        f->proto = "ldap";
        snprintf(f->account, sizeof f->account, "%.150s", x->name[0] ? x->name : "(anonymous)");
        reason_text(f->reason, sizeof f->reason, pa_ldap_result_name(x->result), "resultCode ", x->result, false);
        f->client = x->client;
        f->server = x->server;
        f->frame = x->resp_frame;
    }
    for (size_t r = 0; r < m->smb2.sessions.count; r++) {
        const pa_smb2_session *s = pa_htab_rec(&m->smb2.sessions, r);
        if (!s->failures || s->established) continue;
        fail *f = &v[n++];
        f->proto = "smb2";
        /* the account is inside NTLMSSP or Kerberos in SPNEGO, not decoded */
        snprintf(f->account, sizeof f->account, "(session 0x%016llx)", (unsigned long long)s->sesid);
        reason_text(f->reason, sizeof f->reason, pa_smb2_status_name(s->last_status), "",
                    (unsigned long long)s->last_status, true);
        f->client = s->client;
        f->server = s->server;
        f->frame = s->setup_frame;
    }
    *out = v;
    return n;
}

/* One slow operation of any of the four. */
typedef struct slow {
    const char *proto;
    char op[96];
    pa_addr client, server;
    uint16_t sport;
    uint64_t frame, resp_frame;
    int64_t rt_ns;
} slow;

static int slow_cmp(const void *x, const void *y) {
    const slow *a = x, *b = y;
    if (a->rt_ns != b->rt_ns) return a->rt_ns < b->rt_ns ? 1 : -1;
    return (a->frame > b->frame) - (a->frame < b->frame);
}

static size_t collect_slow(const pa_model *m, slow **out) {
    size_t cap = m->kerberos.ntx + m->ldap.ntx + m->smb2.ntx + m->dcerpc.ndone, n = 0;
    slow *v = calloc(cap ? cap : 1, sizeof *v);
    if (!v) return *out = NULL, 0;
    for (size_t i = 0; i < m->kerberos.ntx; i++) {
        const pa_krb_tx *x = &m->kerberos.tx[i];
        if (x->rt_ns < 0) continue;
        slow *s = &v[n++];
        const char *t = pa_krb_msg_type_name(x->req_type);
        *s = (slow){"kerberos", {0}, x->client, x->server, x->sport, x->req_frame, x->rep_frame, x->rt_ns};
        snprintf(s->op, sizeof s->op, "%.12s %.80s", t ? t : "request", x->sname);
    }
    for (size_t i = 0; i < m->ldap.ntx; i++) {
        const pa_ldap_tx *x = &m->ldap.tx[i];
        if (x->rt_ns < 0) continue;
        slow *s = &v[n++];
        *s = (slow){"ldap", {0}, x->client, x->server, x->sport, x->req_frame, x->resp_frame, x->rt_ns};
        snprintf(s->op, sizeof s->op, "%.20s %.72s", pa_ldap_op_name(x->op), x->name);
    }
    for (size_t i = 0; i < m->smb2.ntx; i++) {
        const pa_smb2_tx *x = &m->smb2.tx[i];
        if (x->rt_ns < 0) continue;
        slow *s = &v[n++];
        *s = (slow){"smb2", {0}, x->client, x->server, x->sport, x->req_frame, x->resp_frame, x->rt_ns};
        snprintf(s->op, sizeof s->op, "%s", pa_smb2_cmd_name(x->cmd));
    }
    for (size_t i = 0; i < m->dcerpc.ndone; i++) {
        const pa_dcerpc_call *x = &m->dcerpc.done[i];
        if (x->rt_ns < 0) continue;
        slow *s = &v[n++];
        *s =
            (slow){"dcerpc", {0}, x->ends.client, x->ends.server, x->ends.sport, x->req_frame, x->resp_frame, x->rt_ns};
        char iface[48], op[48];
        pa_dcerpc_iface_text(x->has_iface, x->uuid, x->ver, iface, sizeof iface);
        pa_dcerpc_op_text(x->has_iface, x->uuid, x->ver, x->opnum, op, sizeof op);
        snprintf(s->op, sizeof s->op, "%.46s %.46s", iface, op);
    }
    qsort(v, n, sizeof *v, slow_cmp);
    *out = v;
    return n;
}

/* DCE-RPC faults grouped by interface, operation and status. */
typedef struct fault_group {
    char iface[48], op[48];
    uint32_t status;
    uint64_t count, first_frame;
} fault_group;

static int fault_cmp(const void *x, const void *y) {
    const fault_group *a = x, *b = y;
    if (a->count != b->count) return a->count < b->count ? 1 : -1;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

static size_t collect_faults(const pa_model *m, fault_group **out) {
    const pa_dcerpc_stats *d = &m->dcerpc;
    fault_group *v = calloc(d->ndone ? d->ndone : 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; v && i < d->ndone; i++) {
        const pa_dcerpc_call *c = &d->done[i];
        if (!c->fault) continue;
        fault_group g = {.status = c->status, .count = 1, .first_frame = c->resp_frame};
        pa_dcerpc_iface_text(c->has_iface, c->uuid, c->ver, g.iface, sizeof g.iface);
        if (c->req_frame)
            pa_dcerpc_op_text(c->has_iface, c->uuid, c->ver, c->opnum, g.op, sizeof g.op);
        else
            snprintf(g.op, sizeof g.op, "unknown call");
        size_t k = 0;
        while (k < n && !(v[k].status == g.status && !strcmp(v[k].iface, g.iface) && !strcmp(v[k].op, g.op))) k++;
        if (k == n)
            v[n++] = g;
        else
            v[k].count++;
    }
    if (v) qsort(v, n, sizeof *v, fault_cmp);
    *out = v;
    return v ? n : 0;
}

static int smb_err_cmp(const void *x, const void *y) {
    const pa_smb2_error *a = *(const pa_smb2_error *const *)x, *b = *(const pa_smb2_error *const *)y;
    if (a->count != b->count) return a->count < b->count ? 1 : -1;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

static int open_cmp(const void *x, const void *y) {
    const pa_smb2_open *a = *(const pa_smb2_open *const *)x, *b = *(const pa_smb2_open *const *)y;
    if (a->failures != b->failures) return a->failures < b->failures ? 1 : -1;
    return (a->first_frame > b->first_frame) - (a->first_frame < b->first_frame);
}

/* The records of a table that pass keep(), sorted. */
static size_t table_rows(const pa_htab *h, bool (*keep)(const void *), int (*cmp)(const void *, const void *),
                         const void ***out) {
    const void **v = malloc((h->count ? h->count : 1) * sizeof *v);
    size_t n = 0;
    for (size_t r = 0; v && r < h->count; r++) {
        const void *rec = pa_htab_rec(h, r);
        if (keep(rec)) v[n++] = rec;
    }
    if (v) qsort(v, n, sizeof *v, cmp);
    *out = v;
    return v ? n : 0;
}

static bool is_error(const void *r) { return ((const pa_smb2_error *)r)->count > 0; }
static bool open_failed(const void *r) { return ((const pa_smb2_open *)r)->failures > 0; }

static void text_addr(pa_buf *b, const pa_addr *a) {
    char s[64];
    pa_addr_str(a, s, sizeof s);
    pa_buf_puts(b, s);
}

static const char *status_text(uint32_t st, char *b, size_t n) {
    const char *s = pa_smb2_status_name(st);
    if (s) return s;
    snprintf(b, n, "0x%08x", st);
    return b;
}

static void run(pa_tool_ctx *ctx, const json_t *args, pa_tool_result *res) {
    pa_loaded l;
    if (!pa_tool_load(ctx, args, res, &l)) return;
    const pa_model *m = l.m;
    const pa_kerberos_stats *k = &m->kerberos;
    const pa_ldap_stats *ld = &m->ldap;
    const pa_smb2_stats *sm = &m->smb2;
    const pa_dcerpc_stats *dc = &m->dcerpc;
    pa_buf *t = &res->text;
    pa_report rep;
    pa_report_init(&rep, ctx, res);
    size_t lim = pa_arg_limit(args);
    pa_text_capture_header(t, &l);
    pa_text_packet_note(t);

    uint64_t smb_sessions = sm->sessions.count, smb_established = 0, smb_signing = 0, smb_encrypted = 0;
    for (size_t r = 0; r < sm->sessions.count; r++) {
        const pa_smb2_session *s = pa_htab_rec(&sm->sessions, r);
        smb_established += s->established;
        smb_signing += s->signing_required;
        smb_encrypted += s->encrypted;
    }
    uint64_t krb_preauth = k->error_code[KRB_PREAUTH_REQUIRED];
    pa_buf_printf(t,
                  "Kerberos: %llu requests, %llu answered, %llu errors (%llu of them PREAUTH_REQUIRED, the normal "
                  "first step), %llu unanswered, weak encryption chosen %llu times.\n"
                  "LDAP: %llu binds, %llu failed, %llu simple binds with a password in clear text.\n"
                  "SMB2: %llu sessions, %llu established (%llu signing required, %llu encrypted).\n"
                  "DCE-RPC: %llu calls, %llu faults, %llu presentation contexts rejected, %llu bind_nak.\n",
                  (unsigned long long)k->requests, (unsigned long long)k->answered, (unsigned long long)k->errors,
                  (unsigned long long)krb_preauth, (unsigned long long)k->unanswered,
                  (unsigned long long)k->weak_chosen, (unsigned long long)(ld->binds_ok + ld->binds_failed),
                  (unsigned long long)ld->binds_failed, (unsigned long long)ld->cleartext_passwords,
                  (unsigned long long)smb_sessions, (unsigned long long)smb_established,
                  (unsigned long long)smb_signing, (unsigned long long)smb_encrypted, (unsigned long long)dc->calls,
                  (unsigned long long)dc->faults, (unsigned long long)dc->rejected, (unsigned long long)dc->bind_naks);
    if (!k->messages && !ld->messages && !sm->smb2_commands && !dc->pdus)
        pa_buf_puts(t, "No Kerberos, LDAP, SMB2 or DCE-RPC in this capture.\n");
    res->structured = json_pack(
        "{s:o, s:{s:{s:I, s:I, s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I, "
        "s:I}}}",
        "capture", pa_capture_json(&l), "totals", "kerberos", "requests", (json_int_t)k->requests, "answered",
        (json_int_t)k->answered, "errors", (json_int_t)k->errors, "preauth_required", (json_int_t)krb_preauth,
        "unanswered", (json_int_t)k->unanswered, "weak_chosen", (json_int_t)k->weak_chosen, "ldap", "binds",
        (json_int_t)(ld->binds_ok + ld->binds_failed), "binds_failed", (json_int_t)ld->binds_failed,
        "cleartext_passwords", (json_int_t)ld->cleartext_passwords, "smb2", "sessions", (json_int_t)smb_sessions,
        "established", (json_int_t)smb_established, "signing_required", (json_int_t)smb_signing, "encrypted",
        (json_int_t)smb_encrypted, "dcerpc", "calls", (json_int_t)dc->calls, "faults", (json_int_t)dc->faults,
        "contexts_rejected", (json_int_t)dc->rejected, "bind_naks", (json_int_t)dc->bind_naks);

    char b[64];
    pa_rows rows;
    /* authentication failures, grouped, most first */
    fail *fv;
    size_t nf = collect_failures(m, &fv), ng = 0;
    if (fv && nf > 1) qsort(fv, nf, sizeof *fv, fail_cmp);
    fail_group *gv = calloc(nf ? nf : 1, sizeof *gv);
    for (size_t i = 0; gv && i < nf; i++) {
        if (!ng || !same_key(gv[ng - 1].first, &fv[i])) gv[ng++] = (fail_group){&fv[i], 0, 0};
        gv[ng - 1].count++;
        gv[ng - 1].last_frame = fv[i].frame;
    }
    if (gv && ng > 1) qsort(gv, ng, sizeof *gv, group_cmp);
    if (ng) pa_buf_printf(t, "Authentication failures by account and reason (%zu, most first):\n", ng);
    pa_rows_begin(&rows, &rep, "authentication failures", 0, lim, ng, false);
    for (size_t i = 0; gv && i < ng && i < lim; i++) {
        const fail *f = gv[i].first;
        pa_buf *ln = pa_rows_line(&rows);
        pa_buf_printf(ln, "  %s %s: %s x%llu, ", f->proto, f->account, f->reason, (unsigned long long)gv[i].count);
        text_addr(ln, &f->client);
        pa_buf_puts(ln, " -> ");
        text_addr(ln, &f->server);
        if (f->frame)
            pa_buf_printf(ln, ", frames %llu..%llu\n", (unsigned long long)f->frame,
                          (unsigned long long)gv[i].last_frame);
        else
            pa_buf_puts(ln, "\n");
        json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:I}", "protocol", f->proto, "account", f->account, "reason",
                              f->reason, "client", pa_json_addr(&f->client), "server", pa_json_addr(&f->server),
                              "count", (json_int_t)gv[i].count);
        if (f->frame) {
            json_object_set_new(o, "first_frame", json_integer((json_int_t)f->frame));
            json_object_set_new(o, "last_frame", json_integer((json_int_t)gv[i].last_frame));
        }
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, res->structured, "authentication_failures", NULL);
    free(gv);
    free(fv);

    /* SMB2 error responses by status and command */
    const void **ev;
    size_t ne = table_rows(&sm->errors, is_error, smb_err_cmp, &ev);
    if (ne) pa_buf_printf(t, "SMB2 errors by status and command (%zu, most first):\n", ne);
    pa_rows_begin(&rows, &rep, "smb2 errors", 0, lim, ne, false);
    for (size_t i = 0; ev && i < ne && i < lim; i++) {
        const pa_smb2_error *e = ev[i];
        const char *st = status_text(e->status, b, sizeof b);
        pa_buf_printf(pa_rows_line(&rows), "  %s on %s x%llu, first frame %llu\n", st, pa_smb2_cmd_name(e->cmd),
                      (unsigned long long)e->count, (unsigned long long)e->first_frame);
        if (!pa_rows_push(&rows, json_pack("{s:s, s:s, s:I, s:I}", "status", st, "command", pa_smb2_cmd_name(e->cmd),
                                           "count", (json_int_t)e->count, "first_frame", (json_int_t)e->first_frame)))
            break;
    }
    pa_rows_end(&rows, res->structured, "smb2_errors", NULL);
    free(ev);

    /* files and pipes that could not be opened, by share */
    size_t no = table_rows(&sm->opens, open_failed, open_cmp, &ev);
    if (no) pa_buf_printf(t, "SMB2 opens that failed, by share and file (%zu, most first):\n", no);
    pa_rows_begin(&rows, &rep, "failed opens", 0, lim, no, false);
    for (size_t i = 0; ev && i < no && i < lim; i++) {
        const pa_smb2_open *o = ev[i];
        const char *st = status_text(o->last_status, b, sizeof b);
        pa_buf_printf(pa_rows_line(&rows), "  %s %s: %llu failed, %llu succeeded, last %s, first frame %llu\n", o->tree,
                      o->name, (unsigned long long)o->failures, (unsigned long long)o->opens, st,
                      (unsigned long long)o->first_frame);
        if (!pa_rows_push(&rows, json_pack("{s:s, s:s, s:I, s:I, s:s, s:I}", "share", o->tree, "file", o->name,
                                           "failures", (json_int_t)o->failures, "opens", (json_int_t)o->opens,
                                           "last_status", st, "first_frame", (json_int_t)o->first_frame)))
            break;
    }
    pa_rows_end(&rows, res->structured, "smb2_failed_opens", NULL);
    free(ev);

    /* DCE-RPC faults */
    fault_group *fg;
    size_t nfg = collect_faults(m, &fg);
    if (nfg) pa_buf_printf(t, "DCE-RPC faults by operation and status (%zu, most first):\n", nfg);
    pa_rows_begin(&rows, &rep, "dcerpc faults", 0, lim, nfg, false);
    for (size_t i = 0; fg && i < nfg && i < lim; i++) {
        const char *sn = pa_dcerpc_status_name(fg[i].status);
        char code[16];
        snprintf(code, sizeof code, "0x%08x", fg[i].status);
        pa_buf_printf(pa_rows_line(&rows), "  %s %s: %s (%s) x%llu, first frame %llu\n", fg[i].iface, fg[i].op,
                      sn ? sn : "unknown", code, (unsigned long long)fg[i].count,
                      (unsigned long long)fg[i].first_frame);
        if (!pa_rows_push(&rows, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "interface", fg[i].iface, "operation",
                                           fg[i].op, "status", sn ? sn : "unknown", "status_code", code, "count",
                                           (json_int_t)fg[i].count, "first_frame", (json_int_t)fg[i].first_frame)))
            break;
    }
    pa_rows_end(&rows, res->structured, "dcerpc_faults", NULL);
    free(fg);

    /* the slowest operations of the four */
    slow *sv;
    size_t ns = collect_slow(m, &sv);
    if (ns) pa_buf_printf(t, "Slowest operations (%zu timed, slowest first):\n", ns);
    pa_rows_begin(&rows, &rep, "slow operations", 0, lim, ns, false);
    for (size_t i = 0; sv && i < ns && i < lim; i++) {
        const slow *s = &sv[i];
        pa_buf *ln = pa_rows_line(&rows);
        pa_buf_printf(ln, "  %.3f ms %s %s, frame %llu -> %llu, ", (double)s->rt_ns / 1e6, s->proto, s->op,
                      (unsigned long long)s->frame, (unsigned long long)s->resp_frame);
        text_addr(ln, &s->client);
        pa_buf_puts(ln, " -> ");
        pa_text_addr_port(ln, &s->server, s->sport);
        pa_buf_puts(ln, "\n");
        json_t *o = json_pack("{s:s, s:s, s:f, s:I, s:I, s:o, s:o, s:i}", "protocol", s->proto, "operation", s->op,
                              "time_ms", (double)s->rt_ns / 1e6, "frame", (json_int_t)s->frame, "response_frame",
                              (json_int_t)s->resp_frame, "client", pa_json_addr(&s->client), "server",
                              pa_json_addr(&s->server), "server_port", s->sport);
        if (!pa_rows_push(&rows, o)) break;
    }
    pa_rows_end(&rows, res->structured, "slowest", NULL);
    free(sv);
    pa_report_finish(&rep);
    pa_tool_unload(&l);
}

const pa_tool_def
    pa_tool_analyze_windows_domain =
        {
            .name = "analyze_windows_domain",
            .title = "Windows domain",
            .description =
                "Kerberos, LDAP, SMB2 and DCE-RPC: logon failures by account and reason, SMB errors, RPC faults, "
                "slowest operations.",
            .input_schema = "{\"type\":\"object\",\"required\":[\"pcap_file\"],\"properties\":{" PA_ARG_PCAP_FILE
                            "," PA_ARG_BPF "," PA_ARG_LIMIT(20, 500) "},\"additionalProperties\":false}",
            .output_schema =
                "{\"type\":\"object\",\"required\":[\"capture\",\"totals\",\"authentication_failures\",\"smb2_errors\","
                "\"smb2_failed_opens\",\"dcerpc_faults\",\"slowest\"],\"properties\":{\"capture\":" PA_CAPTURE_SCHEMA
                ",\"totals\":" PA_S_OBJ(
                    "\"kerberos\":" PA_S_COUNTS
                    ",\"ldap\":" PA_S_COUNTS ",\"smb2\":" PA_S_COUNTS ",\"dcerpc\":" PA_S_COUNTS) ",\"authentication_failures\":" PA_S_ROWS("\"protocol\":" PA_S_STR
                                                                                                                                            ",\"account\":" PA_S_STR
                                                                                                                                            ",\"reason\":" PA_S_STR
                                                                                                                                            ",\"client\":" PA_S_STR ",\"server\":" PA_S_STR ",\"count\":" PA_S_INT ",\"first_frame\":" PA_S_INT ",\"last_frame\":" PA_S_INT) ",\"smb2_errors\":" PA_S_ROWS("\"status\":" PA_S_STR ",\"command\":" PA_S_STR ",\"count\":" PA_S_INT ",\"first_frame\":" PA_S_INT) ",\"smb2_failed_opens\":" PA_S_ROWS("\"share\":" PA_S_STR
                                                                                                                                                                                                                                                                                                                                                                                                                                                    ",\"file\":" PA_S_STR
                                                                                                                                                                                                                                                                                                                                                                                                                                                    ",\"failures\":" PA_S_INT
                                                                                                                                                                                                                                                                                                                                                                                                                                                    ",\"opens\":" PA_S_INT
                                                                                                                                                                                                                                                                                                                                                                                                                                                    ",\"last_status\":" PA_S_STR
                                                                                                                                                                                                                                                                                                                                                                                                                                                    ",\"first_frame\":" PA_S_INT) ",\"dcerpc_faults\":" PA_S_ROWS("\"interface\":" PA_S_STR ",\"operation\":" PA_S_STR ",\"status\":" PA_S_STR
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                  ",\"status_code\":" PA_S_STR
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                  ",\"count\":" PA_S_INT ",\"first_frame\":" PA_S_INT) ",\"slowest\":" PA_S_ROWS("\"protocol\":" PA_S_STR
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 ",\"operation\":" PA_S_STR
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 ",\"time_ms\":" PA_S_NUM
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 ",\"frame\":" PA_S_INT
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 ",\"response_frame\":" PA_S_INT
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 ",\"client\":" PA_S_STR
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 ",\"server\":" PA_S_STR
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 ",\"server_port\":" PA_S_INT) "},\"additionalProperties\":false}",
            .read_only = true,
            .idempotent = true,
            .run = run,
};
