/* fuzz_kerberos: the input as one message through the DER parser (and as
 * a UDP request and reply through the tracker, and off port 88 as a
 * conversation's datagram), then as one connection's segments through the
 * TCP record reassembly (records across segments, several in one segment,
 * lengths past the cap, holes), with the per-frame view display filters
 * read, then the end of the connection and of the pass. Every request is
 * answered, unanswered or given up; the field lists stay within their caps.
 * Input: a message, read again as segment records (fuzz_segments.h).
 * fuzz/run: max_len 8192 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_segments.h"
#include "kerberos_track.h"

static void check_strs(const pa_krb_strs *l) {
    PA_FUZZ_CHECK(l->n <= PA_KRB_LIST);
    for (uint8_t i = 0; i < l->n; i++) PA_FUZZ_CHECK(strnlen(l->s[i], PA_KRB_STR) < PA_KRB_STR);
}

static void check_msg(const pa_krb_msg *m) {
    PA_FUZZ_CHECK(m->msg_types.n <= PA_KRB_LIST && m->etypes.n <= PA_KRB_LIST && m->enctypes.n <= PA_KRB_LIST);
    PA_FUZZ_CHECK(m->padata.n <= PA_KRB_LIST && m->error_codes.n <= PA_KRB_LIST);
    check_strs(&m->cnames);
    check_strs(&m->snames);
    check_strs(&m->realms);
    check_strs(&m->crealms);
    PA_FUZZ_CHECK(strnlen(m->client, PA_KRB_STR) < PA_KRB_STR && strnlen(m->service, PA_KRB_STR) < PA_KRB_STR);
    PA_FUZZ_CHECK(strnlen(m->e_text, PA_KRB_STR) < PA_KRB_STR);
}

static pa_packet datagram(const uint8_t *d, size_t n, bool from_client, uint64_t frame, uint16_t kdc_port) {
    pa_packet p;
    memset(&p, 0, sizeof p);
    p.l4 = PA_P_UDP;
    p.src.family = p.dst.family = 4;
    p.src.b[3] = from_client ? 1 : 2;
    p.dst.b[3] = from_client ? 2 : 1;
    p.sport = from_client ? 50000 : kdc_port;
    p.dport = from_client ? kdc_port : 50000;
    p.payload = d;
    p.payload_len = (uint32_t)n;
    p.frame_no = frame;
    p.ts_ns = (int64_t)frame * 1000;
    return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pa_krb_msg m;
    pa_krb_status s = pa_krb_parse(data, size, &m);
    check_msg(&m);
    /* a message accepted whole has its header, and the header look agrees */
    if (s != PA_KRB_NOT && m.type != PA_KRB_TICKET) PA_FUZZ_CHECK(pa_krb_looks(data, size, size) && m.len == size);
    if (pa_krb_looks(data, size, size)) PA_FUZZ_CHECK(s != PA_KRB_NOT);

    pa_kerberos_stats *st = malloc(sizeof *st);
    pa_krb_frame *view = malloc(sizeof *view);
    if (!st || !view || pa_krb_init(st)) {
        free(st);
        free(view);
        return 0;
    }
    /* UDP: the bytes as a request, as its reply, then off port 88 */
    for (uint64_t i = 0; i < 3; i++) {
        memset(view, 0, sizeof *view);
        pa_packet p = datagram(data, size, i != 1, i + 1, i == 2 ? 4444 : 88);
        if (i == 2)
            (void)pa_krb_conversation(st, &p);
        else
            (void)pa_krb_datagram(st, &p, view);
        if (view->present) check_msg(&view->msg);
    }
    /* TCP: the same bytes as segment records */
    pa_fuzz_segs segs = pa_fuzz_segs_make(data, size, 88, PA_TCP_FIN);
    pa_krb_flow *f = NULL;
    pa_packet p;
    int side;
    uint32_t records = 0;
    while (pa_fuzz_next_segment(&segs, &p, &side)) {
        p.l4 = PA_P_TCP;
        memset(view, 0, sizeof *view);
        uint32_t ended = pa_krb_segment(st, &f, &p, side, NULL, view);
        records += ended;
        if (ended) PA_FUZZ_CHECK(view->present || st->malformed);
        if (view->present) check_msg(&view->msg);
    }
    (void)pa_krb_holds_data(f);
    pa_krb_finish_flow(st, f);
    pa_krb_free_flow(f);
    pa_krb_finish(st);
    /* every request listed is answered or unanswered; replies are paired or orphans */
    PA_FUZZ_CHECK(st->answered + st->unanswered <= st->requests);
    PA_FUZZ_CHECK(st->answered + st->orphan_replies <= st->replies);
    PA_FUZZ_CHECK(st->tcp_messages <= records);
    for (size_t i = 0; i < st->ntx; i++) {
        const pa_krb_tx *t = &st->tx[i];
        PA_FUZZ_CHECK(t->rep_frame ? t->rt_ns >= 0 && t->rep_frame >= t->req_frame : t->rt_ns == -1);
        char text[512];
        (void)pa_krb_weak_text(t, text, sizeof text);
        PA_FUZZ_CHECK(strnlen(text, sizeof text) < sizeof text);
    }
    pa_krb_stats_free(st);
    free(st);
    free(view);
    return 0;
}
