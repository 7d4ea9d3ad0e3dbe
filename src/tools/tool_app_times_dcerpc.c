/* analyze_application_response_times: the DCE-RPC section. Request ->
 * response times per server; the table tshark -z dcerpc,srt prints (per
 * interface version and opnum: calls, min, max, average); the faults and
 * rejected presentation contexts, which are what a troubleshooter looks
 * for; PDUs by type. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcerpc_names.h"
#include "tool_app_times.h"

typedef struct dce_text {
    char what[136]; /* "SAMR Connect5" */
} dce_text;

static json_t *ends_json(const pa_dcerpc_ends *e, json_t *o) {
    json_object_set_new(o, "client", pa_json_addr(&e->client));
    json_object_set_new(o, "client_port", json_integer(e->cport));
    json_object_set_new(o, "server", pa_json_addr(&e->server));
    json_object_set_new(o, "server_port", json_integer(e->sport));
    if (e->stream >= 0) json_object_set_new(o, "stream", json_integer(e->stream));
    return o;
}

/* The same ends in the text: "client:port -> server:port, tcp stream N". */
static void ends_text(pa_buf *t, const pa_dcerpc_ends *e) {
    pa_buf_puts(t, ", ");
    pa_text_addr_port(t, &e->client, e->cport);
    pa_buf_puts(t, " -> ");
    pa_text_addr_port(t, &e->server, e->sport);
    if (e->stream >= 0) pa_buf_printf(t, ", tcp stream %lld", (long long)e->stream);
    pa_buf_puts(t, "\n");
}

static int by_iface_op(const void *a, const void *b) {
    const pa_dcerpc_srt *x = *(const pa_dcerpc_srt *const *)a, *y = *(const pa_dcerpc_srt *const *)b;
    int c = memcmp(x->uuid, y->uuid, 16);
    if (c) return c;
    if (x->ver != y->ver) return x->ver < y->ver ? -1 : 1;
    return x->opnum < y->opnum ? -1 : x->opnum > y->opnum;
}

static json_t *srt_rows(const pa_dcerpc_stats *st, pa_buf *t) {
    json_t *rows = json_array();
    size_t n = st->srt.count;
    const pa_dcerpc_srt **v = malloc((n ? n : 1) * sizeof *v);
    for (size_t r = 0; v && r < n; r++) v[r] = pa_htab_rec(&st->srt, r);
    if (v && n > 1) qsort(v, n, sizeof *v, by_iface_op);
    for (size_t r = 0; v && r < n; r++) {
        const pa_dcerpc_srt *x = v[r];
        char iface[64], op[64], u[37];
        pa_dcerpc_iface_text(true, x->uuid, x->ver, iface, sizeof iface);
        pa_dcerpc_op_text(true, x->uuid, x->ver, x->opnum, op, sizeof op);
        pa_dcerpc_uuid_text(x->uuid, u);
        double avg = x->calls ? (double)x->sum_ns / (double)x->calls / 1e6 : 0;
        /* seconds, as tshark's table and the smb2 section's srt rows */
        json_array_append_new(rows,
                              json_pack("{s:s, s:s, s:i, s:i, s:s, s:I, s:f, s:f, s:f, s:f}", "interface", iface,
                                        "uuid", u, "version", x->ver, "opnum", x->opnum, "operation", op, "calls",
                                        (json_int_t)x->calls, "min_s", (double)x->min_ns / 1e9, "max_s",
                                        (double)x->max_ns / 1e9, "avg_s", avg / 1e3, "sum_s", (double)x->sum_ns / 1e9));
        char num[16] = "";
        if (strncmp(op, "opnum ", 6)) snprintf(num, sizeof num, " (opnum %u)", x->opnum);
        pa_buf_printf(t, "    srt %s %s%s: %llu calls, min %.3f ms, max %.3f ms, avg %.3f ms\n", iface, op, num,
                      (unsigned long long)x->calls, (double)x->min_ns / 1e6, (double)x->max_ns / 1e6, avg);
    }
    free(v);
    return rows;
}

static json_t *fault_rows(const pa_dcerpc_stats *st, pa_buf *t, size_t lim) {
    json_t *rows = json_array();
    size_t shown = 0;
    for (size_t i = 0; i < st->ndone; i++) {
        const pa_dcerpc_call *c = &st->done[i];
        if (!c->fault) continue;
        char iface[64], op[64], code[16];
        pa_dcerpc_iface_text(c->has_iface, c->uuid, c->ver, iface, sizeof iface);
        if (c->req_frame)
            pa_dcerpc_op_text(c->has_iface, c->uuid, c->ver, c->opnum, op, sizeof op);
        else
            snprintf(op, sizeof op, "unknown call");
        const char *sn = pa_dcerpc_status_name(c->status);
        snprintf(code, sizeof code, "0x%08x", c->status);
        json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I}", "frame", (json_int_t)c->resp_frame, "call_id",
                              (json_int_t)c->call_id, "status", sn ? sn : "unknown", "status_code", code, "interface",
                              iface, "operation", op, "request_frame", (json_int_t)c->req_frame);
        /* the text and the rows hold the same `limit` faults (the counts say how many there are) */
        if (shown++ >= lim) {
            json_decref(o);
            break;
        }
        json_array_append_new(rows, ends_json(&c->ends, o));
        pa_buf_printf(t, "    fault frame %llu: %s (%s), %s %s, call_id %u, request frame %llu",
                      (unsigned long long)c->resp_frame, sn ? sn : "unknown status", code, iface, op, c->call_id,
                      (unsigned long long)c->req_frame);
        ends_text(t, &c->ends);
    }
    return rows;
}

static json_t *reject_rows(const pa_dcerpc_stats *st, pa_buf *t, size_t lim) {
    json_t *rows = json_array();
    for (size_t i = 0; i < st->nrejects; i++) {
        const pa_dcerpc_reject *r = &st->rejects[i];
        bool nak = r->ptype == PA_DCERPC_BIND_NAK;
        char iface[64];
        pa_dcerpc_iface_text(r->has_iface, r->uuid, r->ver, iface, sizeof iface);
        const char *result = nak ? "Bind_nak" : pa_dcerpc_ack_result_name(r->result);
        const char *reason = nak ? pa_dcerpc_reject_reason_name(r->reason) : pa_dcerpc_ack_reason_name(r->reason);
        json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:i, s:s}", "frame", (json_int_t)r->frame, "call_id",
                              (json_int_t)r->call_id, "pdu", pa_dcerpc_ptype_name(r->ptype), "result",
                              result ? result : "unknown", "reason", reason ? reason : "unknown", "reason_code",
                              r->reason, "interface", iface);
        if (i >= lim) {
            json_decref(o);
            break;
        }
        json_array_append_new(rows, ends_json(&r->ends, o));
        pa_buf_printf(t, "    rejected frame %llu: %s %s, %s (%u), %s, call_id %u", (unsigned long long)r->frame,
                      pa_dcerpc_ptype_name(r->ptype), result ? result : "unknown", reason ? reason : "unknown reason",
                      r->reason, iface, r->call_id);
        ends_text(t, &r->ends);
    }
    return rows;
}

void pa_app_dcerpc_section(const pa_model *m, pa_buf *t, timed *s, size_t lim) {
    const pa_dcerpc_stats *st = &m->dcerpc;
    sample *v = malloc((st->ndone ? st->ndone : 1) * sizeof *v);
    dce_text *names = malloc((st->ndone ? st->ndone : 1) * sizeof *names);
    size_t n = 0;
    for (size_t i = 0; v && names && i < st->ndone; i++) {
        const pa_dcerpc_call *c = &st->done[i];
        if (c->fault || c->rt_ns < 0) continue;
        char iface[64], op[64];
        pa_dcerpc_iface_text(c->has_iface, c->uuid, c->ver, iface, sizeof iface);
        pa_dcerpc_op_text(c->has_iface, c->uuid, c->ver, c->opnum, op, sizeof op);
        snprintf(names[n].what, sizeof names[n].what, "%s %s", iface, op);
        v[n] = (sample){.client = c->ends.client,
                        .server = c->ends.server,
                        .cport = c->ends.cport,
                        .port = c->ends.sport,
                        .stream = c->ends.stream,
                        .ns = c->rt_ns,
                        .frame = c->req_frame,
                        .frame2 = c->resp_frame,
                        .what = names[n].what};
        n++;
    }
    pa_app_section(s, "dcerpc", "DCE-RPC request -> its last response fragment (matched by call id in the connection)",
                   v, n, t);
    s->own = names;
    pa_buf_printf(t,
                  "  dcerpc: %llu connections, %llu PDUs (%llu malformed); %llu calls, %llu responses, %llu faults, "
                  "%llu answers to no request seen; presentation contexts %llu accepted, %llu rejected, %llu "
                  "bind_nak; %llu holes.\n",
                  (unsigned long long)st->connections, (unsigned long long)st->pdus, (unsigned long long)st->malformed,
                  (unsigned long long)st->calls, (unsigned long long)st->responses, (unsigned long long)st->faults,
                  (unsigned long long)st->unmatched, (unsigned long long)st->accepted, (unsigned long long)st->rejected,
                  (unsigned long long)st->bind_naks, (unsigned long long)st->gaps);
    json_t *o = s->obj;
    json_t *pdus = json_object();
    for (int k = 0; k < PA_DCERPC_NPTYPES; k++)
        if (st->by_ptype[k])
            json_object_set_new(pdus, pa_dcerpc_ptype_name((uint8_t)k), json_integer((json_int_t)st->by_ptype[k]));
    json_object_set_new(o, "pdus", pdus);
    json_object_set_new(o, "srt", srt_rows(st, t));
    json_object_set_new(o, "faults", fault_rows(st, t, lim));
    json_object_set_new(o, "bind_rejections", reject_rows(st, t, lim));
}
