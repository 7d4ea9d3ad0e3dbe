/* Local names in analyze_network_topology (tool_names.h). */
#include "tool_names.h"

#include <stdlib.h>
#include <string.h>

#include "sec_track.h"

#define SUSPECT_NAMES 3   /* distinct LLMNR/NBNS names a host answered that make it a suspect */
#define SUSPECT_SHOWN 4   /* names listed per suspect */
#define MAX_SUSPECTS 1024 /* answering hosts examined */
#define SSDP_SHOWN 3      /* servers and locations per device; USNs 4 */

static bool same(const pa_addr *a, const pa_addr *b) {
    return a->family == b->family && memcmp(a->b, b->b, a->family == 4 ? 4 : 16) == 0;
}

static bool on_host_row(uint8_t kind) { return kind != PA_ANN_SSDP_USN && kind != PA_ANN_SSDP_LOCATION; }

void pa_names_host(const pa_model *m, const pa_addr *host, json_t *row, pa_buf *line) {
    const pa_htab *t = &m->sec.names.announced;
    json_t *arr = NULL;
    size_t shown = 0, more = 0;
    for (size_t r = 0; r < t->count; r++) {
        const pa_name_ann *a = pa_htab_rec(t, r);
        if (!on_host_row(a->kind) || !same(&a->host, host)) continue;
        if (shown == PA_NAMES_HOST_SHOWN) {
            more++;
            continue;
        }
        if (!arr) arr = json_array();
        json_array_append_new(arr, json_pack("{s:s, s:s}", "kind", pa_names_kind_name(a->kind), "name", a->text));
        pa_buf_printf(line, "    announced %s (%s)\n", a->text, pa_names_kind_name(a->kind));
        shown++;
    }
    if (!arr) return;
    json_object_set_new(row, "names", arr);
    if (more) {
        json_object_set_new(row, "names_more", json_integer((json_int_t)more));
        pa_buf_printf(line, "    and %zu more names\n", more);
    }
}

static bool answered_by_several(const pa_name_rec *r) { return r->nans + r->more_answerers >= 2; }
/* Several hosts answering one unique LLMNR or NBNS name is a conflict or a
 * spoof; in mDNS a dual-stack host answers from each address, and shared
 * service types have many answerers. */
static bool contested(const pa_name_rec *r) { return r->proto != PA_NAME_MDNS && !r->group && answered_by_several(r); }

void pa_names_summary(const pa_model *m, json_t *out, pa_buf *t) {
    const pa_htab *h = &m->sec.names.names;
    size_t unanswered = 0;
    for (size_t r = 0; r < h->count; r++) unanswered += ((const pa_name_rec *)pa_htab_rec(h, r))->answers == 0;
    json_object_set_new(out, "local_name_count", json_integer((json_int_t)h->count));
    json_object_set_new(out, "local_names_unanswered", json_integer((json_int_t)unanswered));
    if (h->count)
        pa_buf_printf(t, "%zu names in local name resolution (mDNS, LLMNR, NBNS), %zu never answered.\n",
                      (size_t)h->count, unanswered);
}

static int name_cmp(const void *x, const void *y) {
    const pa_name_rec *a = *(const pa_name_rec *const *)x, *b = *(const pa_name_rec *const *)y;
    int sa = contested(a), sb = contested(b);
    if (sa != sb) return sb - sa;
    if ((a->answers == 0) != (b->answers == 0)) return a->answers == 0 ? -1 : 1;
    uint64_t ta = (uint64_t)a->queries + a->answers, tb = (uint64_t)b->queries + b->answers;
    if (ta != tb) return ta < tb ? 1 : -1;
    if (a->proto != b->proto) return a->proto - b->proto;
    return strcmp(a->name, b->name);
}

static json_t *party(const pa_addr *host, uint32_t count, uint32_t responses, uint64_t first, const pa_addr *addrs,
                     uint8_t naddrs) {
    json_t *al = json_array();
    for (uint8_t i = 0; i < naddrs; i++) json_array_append_new(al, pa_json_addr(&addrs[i]));
    return json_pack("{s:o, s:I, s:I, s:I, s:o}", "address", pa_json_addr(host), "messages", (json_int_t)count,
                     "responses", (json_int_t)responses, "first_frame", (json_int_t)first, "addresses", al);
}

static void name_row(pa_rows *rows, const pa_name_rec *r) {
    json_t *ask = json_array(), *ans = json_array();
    pa_buf *ln = pa_rows_line(rows);
    char as[64];
    /* the name on one line, then each asker and answerer on its own */
    pa_buf_printf(ln, "  %s %s: asked %u times (first frame %llu), ", pa_names_proto_name(r->proto), r->name,
                  r->queries, (unsigned long long)r->first_query);
    if (!r->answers)
        pa_buf_puts(ln, "never answered");
    else
        pa_buf_printf(ln, "answered or claimed %u times (first frame %llu)", r->answers,
                      (unsigned long long)r->first_answer);
    if (r->group)
        pa_buf_puts(ln, " [group name]");
    else if (contested(r))
        pa_buf_puts(ln, " [answered by several hosts]");
    pa_buf_puts(ln, "\n");
    for (uint8_t i = 0; i < r->nask; i++) {
        const pa_name_asker *a = &r->askers[i];
        json_array_append_new(ask, party(&a->host, a->count, 0, a->first_frame, NULL, 0));
        pa_addr_str(&a->host, as, sizeof as);
        pa_buf_printf(ln, "    asked by %s: %u messages, first frame %llu\n", as, a->count,
                      (unsigned long long)a->first_frame);
    }
    if (r->more_askers) pa_buf_printf(ln, "    asked by %u more hosts\n", r->more_askers);
    for (uint8_t i = 0; i < r->nans; i++) {
        const pa_name_answerer *a = &r->answerers[i];
        json_array_append_new(ans, party(&a->host, a->count, a->responses, a->first_frame, a->addrs, a->naddrs));
        pa_addr_str(&a->host, as, sizeof as);
        pa_buf_printf(ln, "    answered by %s: %u messages (%u responses), first frame %llu", as, a->count,
                      a->responses, (unsigned long long)a->first_frame);
        for (uint8_t k = 0; k < a->naddrs; k++) {
            pa_addr_str(&a->addrs[k], as, sizeof as);
            pa_buf_printf(ln, "%s%s", k ? ", " : ", gave ", as);
        }
        pa_buf_puts(ln, "\n");
    }
    if (r->more_answerers) pa_buf_printf(ln, "    answered by %u more hosts\n", r->more_answerers);
    pa_rows_push(rows, json_pack("{s:s, s:s, s:I, s:I, s:b, s:b, s:b, s:I, s:I, s:o, s:I, s:o, s:I}", "protocol",
                                 pa_names_proto_name(r->proto), "name", r->name, "queries", (json_int_t)r->queries,
                                 "answers", (json_int_t)r->answers, "unanswered", r->answers == 0, "group", r->group,
                                 "answered_by_several", answered_by_several(r), "first_query_frame",
                                 (json_int_t)r->first_query, "first_answer_frame", (json_int_t)r->first_answer,
                                 "askers", ask, "more_askers", (json_int_t)r->more_askers, "answerers", ans,
                                 "more_answerers", (json_int_t)r->more_answerers));
}

/* A host that answered LLMNR or NBNS queries: how many names, and how many
 * of them another host answered too. */
typedef struct suspect {
    pa_addr host;
    uint32_t names, shared;
    uint64_t first;
    const char *shown[SUSPECT_SHOWN];
} suspect;

static int suspect_cmp(const void *x, const void *y) {
    const suspect *a = x, *b = y;
    if (a->names != b->names) return a->names < b->names ? 1 : -1;
    return a->first < b->first ? -1 : a->first > b->first;
}

static size_t find_suspects(const pa_htab *h, suspect *s) {
    size_t n = 0;
    for (size_t r = 0; r < h->count; r++) {
        const pa_name_rec *rec = pa_htab_rec(h, r);
        if (rec->proto == PA_NAME_MDNS || rec->group) continue;
        for (uint8_t i = 0; i < rec->nans; i++) {
            const pa_name_answerer *a = &rec->answerers[i];
            if (!a->responses) continue;
            size_t k = 0;
            while (k < n && !same(&s[k].host, &a->host)) k++;
            if (k == n) {
                if (n == MAX_SUSPECTS) continue;
                memset(&s[n], 0, sizeof s[n]);
                s[n].host = a->host;
                s[n++].first = a->first_frame;
            }
            if (s[k].names < SUSPECT_SHOWN) s[k].shown[s[k].names] = rec->name;
            s[k].names++;
            s[k].shared += answered_by_several(rec);
            if (a->first_frame < s[k].first) s[k].first = a->first_frame;
        }
    }
    size_t w = 0;
    for (size_t k = 0; k < n; k++)
        if (s[k].names >= SUSPECT_NAMES || s[k].shared) s[w++] = s[k];
    qsort(s, w, sizeof *s, suspect_cmp);
    return w;
}

static void suspect_row(pa_rows *rows, const suspect *s) {
    char as[64];
    pa_addr_str(&s->host, as, sizeof as);
    json_t *names = json_array();
    pa_buf *ln = pa_rows_line(rows);
    pa_buf_printf(ln, "  %s answered %u LLMNR/NBNS names (%u also answered by another host), from frame %llu:", as,
                  s->names, s->shared, (unsigned long long)s->first);
    for (uint32_t i = 0; i < s->names && i < SUSPECT_SHOWN; i++) {
        json_array_append_new(names, json_string(s->shown[i]));
        pa_buf_printf(ln, "%s %s", i ? "," : "", s->shown[i]);
    }
    pa_buf_puts(ln, "\n");
    pa_rows_push(rows, json_pack("{s:o, s:I, s:I, s:I, s:o}", "address", pa_json_addr(&s->host), "names_answered",
                                 (json_int_t)s->names, "names_also_answered_by_others", (json_int_t)s->shared,
                                 "first_frame", (json_int_t)s->first, "names", names));
}

/* The SSDP announcements of one host. */
static bool ssdp_kind(uint8_t k) { return k >= PA_ANN_SSDP_SERVER && k <= PA_ANN_SSDP_LOCATION; }

static void device_row(pa_rows *rows, const pa_htab *t, const pa_addr *host) {
    json_t *sv = json_array(), *lo = json_array(), *us = json_array();
    size_t nus = 0;
    uint64_t first = UINT64_MAX;
    char as[64];
    pa_addr_str(host, as, sizeof as);
    pa_buf *ln = pa_rows_line(rows);
    pa_buf_printf(ln, "  %s", as);
    for (size_t r = 0; r < t->count; r++) {
        const pa_name_ann *a = pa_htab_rec(t, r);
        if (!ssdp_kind(a->kind) || !same(&a->host, host)) continue;
        if (a->first_frame < first) first = a->first_frame;
        json_t *to = a->kind == PA_ANN_SSDP_SERVER ? sv : a->kind == PA_ANN_SSDP_LOCATION ? lo : us;
        if (a->kind == PA_ANN_SSDP_USN && nus++ >= 4) continue;
        if (a->kind != PA_ANN_SSDP_USN && json_array_size(to) >= SSDP_SHOWN) continue;
        json_array_append_new(to, json_string(a->text));
        pa_buf_printf(ln, " %s %s;",
                      a->kind == PA_ANN_SSDP_SERVER ? "SERVER"
                      : a->kind == PA_ANN_SSDP_USN  ? "USN"
                                                    : "LOCATION",
                      a->text);
    }
    pa_buf_printf(ln, " %zu USNs, from frame %llu\n", nus, (unsigned long long)first);
    pa_rows_push(rows,
                 json_pack("{s:o, s:o, s:o, s:o, s:I, s:I}", "address", pa_json_addr(host), "servers", sv, "locations",
                           lo, "usns", us, "usn_count", (json_int_t)nus, "first_frame", (json_int_t)first));
}

static size_t ssdp_hosts(const pa_htab *t, const pa_addr **out) {
    size_t n = 0;
    for (size_t r = 0; r < t->count; r++) {
        const pa_name_ann *a = pa_htab_rec(t, r);
        if (!ssdp_kind(a->kind)) continue;
        size_t k = 0;
        while (k < n && !same(out[k], &a->host)) k++;
        if (k == n) out[n++] = &a->host;
    }
    return n;
}

void pa_names_lists(const pa_model *m, pa_report *rep, pa_buf *t, json_t *out, size_t listed) {
    const pa_htab *h = &m->sec.names.names, *ann = &m->sec.names.announced;
    size_t n = h->count, ns = 0, nd = 0;
    const pa_name_rec **v = malloc((n ? n : 1) * sizeof *v);
    suspect *s = malloc(MAX_SUSPECTS * sizeof *s);
    const pa_addr **dev = malloc((ann->count ? ann->count : 1) * sizeof *dev);
    if (!v || !s || !dev) n = 0;
    for (size_t r = 0; r < n; r++) v[r] = pa_htab_rec(h, r);
    if (n) qsort(v, n, sizeof *v, name_cmp);
    if (n) ns = find_suspects(h, s);
    if (dev) nd = ssdp_hosts(ann, dev);
    pa_rows rows;
    size_t w = ns < listed ? ns : listed;
    if (w)
        pa_buf_printf(t,
                      "Hosts answering LLMNR/NBNS names they were asked (%u or more names, or a name another host "
                      "answers: possible spoofing such as Responder; a WINS server answers for others too):\n",
                      SUSPECT_NAMES);
    pa_rows_begin(&rows, rep, "name_answer_suspects", 0, w, ns, false);
    for (size_t i = 0; i < w && !rows.cut; i++) suspect_row(&rows, &s[i]);
    pa_rows_end(&rows, out, "name_answer_suspects", NULL);
    w = n < listed ? n : listed;
    if (w)
        pa_buf_printf(t,
                      "Local names (mDNS, LLMNR, NBNS), %zu of %zu: LLMNR/NBNS names answered by several hosts "
                      "first, then the unanswered:\n",
                      w, n);
    pa_rows_begin(&rows, rep, "local_names", 0, w, n, false);
    for (size_t i = 0; i < w && !rows.cut; i++) name_row(&rows, v[i]);
    pa_rows_end(&rows, out, "local_names", NULL);
    w = nd < listed ? nd : listed;
    if (w) pa_buf_printf(t, "SSDP devices (UPnP: SERVER, LOCATION, USN of their NOTIFY and search responses):\n");
    pa_rows_begin(&rows, rep, "ssdp_devices", 0, w, nd, false);
    for (size_t i = 0; i < w && !rows.cut; i++) device_row(&rows, ann, dev[i]);
    pa_rows_end(&rows, out, "ssdp_devices", NULL);
    free(v);
    free(s);
    free(dev);
}
