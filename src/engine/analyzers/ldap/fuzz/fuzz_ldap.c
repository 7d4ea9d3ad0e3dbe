/* fuzz_ldap: one connection's segments through the LDAP tracker (messages
 * across segments and several per segment, SASL buffers after a SASL bind,
 * StartTLS, holes, oversized lengths), with the per-frame view display
 * filters read and the cleartext-credential evidence, then the end of the
 * connection and of the pass; each segment's payload also as a CLDAP
 * datagram and through the parser and the look alone.
 * Input: segment records (fuzz_segments.h), closing with FIN.
 * fuzz/run: max_len 8192 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_segments.h"
#include "ldap_track.h"

static void check_text(const char *s, size_t size) { PA_FUZZ_CHECK(strnlen(s, size) < size); }

static void check_msg(const pa_ldap_msg *m) {
    check_text(m->name, sizeof m->name);
    check_text(m->matched_dn, sizeof m->matched_dn);
    check_text(m->error, sizeof m->error);
    check_text(m->simple, sizeof m->simple);
    check_text(m->mechanism, sizeof m->mechanism);
    check_text(m->filter, sizeof m->filter);
    check_text(m->oid, sizeof m->oid);
    PA_FUZZ_CHECK(m->id <= 0x7fffffffu && pa_ldap_op_name(m->op));
}

static void parsers(const uint8_t *d, size_t n) {
    pa_ldap_msg m;
    pa_ldap_status s = pa_ldap_parse(d, n, &m);
    int64_t len = pa_ldap_message_len(d, n);
    /* a whole message is exactly what its header says */
    if (s != PA_LDAP_NOT) {
        check_msg(&m);
        PA_FUZZ_CHECK(len == (int64_t)n);
    }
    if (pa_ldap_looks(d, n)) PA_FUZZ_CHECK(len > 0);
}

static void check_view(const pa_ldap_frame *v) {
    PA_FUZZ_CHECK(v->nmsg <= PA_LDAP_FRAME_MSGS && (!v->nmsg || v->present));
    for (uint8_t i = 0; i < v->nmsg; i++) {
        const pa_ldap_frame_msg *fm = &v->msg[i];
        if (fm->sasl) {
            /* after a SASL bind 2 to 1 MiB; else any length that fills its segment exactly */
            PA_FUZZ_CHECK((uint64_t)fm->sasl_len + 4 <= PA_LDAP_MSG_MAX);
            continue;
        }
        if (fm->m.op < PA_LDAP_OPS) check_msg(&fm->m);
        PA_FUZZ_CHECK(!fm->matched || (fm->response_to && fm->time_ns >= 0));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_ldap_stats st;
    memset(&st, 0, sizeof st);
    pa_sec_stats *sec = calloc(1, sizeof *sec);
    if (!sec || pa_sec_init(sec)) {
        free(sec);
        return 0;
    }
    st.sec = sec;
    pa_ldap_frame *view = malloc(sizeof *view);
    if (!view) return 0;
    pa_ldap_flow *f = NULL;
    pa_fuzz_segs segs = pa_fuzz_segs_make(data, size, 389, PA_TCP_FIN);
    pa_packet p;
    int side = 0;
    bool syn;
    uint64_t units = 0;
    while (pa_fuzz_each(&segs, &p, &side, &syn)) {
        p.ts_ns = (int64_t)p.frame_no * 1000;
        view->present = view->cldap = false;
        view->nmsg = 0;
        uint32_t n = pa_ldap_segment(&st, &f, &p, side, NULL, 0, syn ? NULL : view);
        PA_FUZZ_CHECK(!n || syn || view->present);
        units += n;
        if (!syn) check_view(view);
        if (syn || !p.payload_len) continue;
        parsers(p.payload, p.payload_len);
        view->present = view->cldap = false;
        view->nmsg = 0;
        p.dport = 389;
        pa_ldap_datagram(&st, &p, 0, view);
        PA_FUZZ_CHECK(view->cldap && view->present);
        check_view(view);
    }
    free(view);
    pa_ldap_finish_flow(&st, f);
    pa_ldap_finish(&st);
    pa_ldap_free_flow(f);
    /* every unit is a message or a SASL buffer; each answer matched a request kept */
    PA_FUZZ_CHECK(st.connections <= 1 && st.ncldap == 0);
    PA_FUZZ_CHECK(units <= st.messages + st.sasl_buffers + st.malformed);
    PA_FUZZ_CHECK(st.ntx <= PA_LDAP_MAX_TX && st.cleartext_passwords <= st.binds_simple);
    for (size_t i = 0; i < st.ntx; i++) {
        PA_FUZZ_CHECK(st.tx[i].rt_ns >= -1);
        check_text(st.tx[i].name, sizeof st.tx[i].name);
        check_text(st.tx[i].filter, sizeof st.tx[i].filter);
    }
    for (size_t i = 0; i < sec->ncreds; i++) check_text(sec->creds[i].secret, sizeof sec->creds[i].secret);
    pa_ldap_stats_free(&st);
    pa_sec_free(sec);
    free(sec);
    return 0;
}
