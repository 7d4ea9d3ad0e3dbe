#include "detect.h"

#include <pthread.h>

#include "analyzer.h"
#include "detect_looks.h"

static const pa_app_look core_looks[] = {
#define PA_LOOK(t, port, proto, look, next) {PA_P_##t, port, PA_P_##proto, look, next, false},
#define PA_NEXT(fn)
#include "detect_looks.def"
#undef PA_LOOK
#undef PA_NEXT
    {0, 0, 0, NULL, NULL, false},
};

/* Every look in order: the analyzers' lists (analyzers.def order), then
 * detect_looks.def. Returns NULL after the last. */
static const pa_app_look *look_next(int *list, const pa_app_look *l) {
    if (l && (++l)->l4) return l;
    while (*list < PA_AN_COUNT) {
        const pa_app_look *first = pa_analyzers[(*list)++]->looks;
        if (first && first->l4) return first;
    }
    if (*list == PA_AN_COUNT) {
        (*list)++;
        return core_looks[0].l4 ? core_looks : NULL;
    }
    return NULL;
}

#define EACH_LOOK(l)                                                                                                   \
    for (int list_ = 0, once_ = 1; once_; once_ = 0)                                                                   \
        for (const pa_app_look *l = look_next(&list_, NULL); l; l = look_next(&list_, l))

pa_proto pa_app_by_port(pa_proto l4, uint16_t sport, uint16_t dport) {
    /* The lower port is usually the service (Wireshark tries it first). */
    uint16_t order[2] = {sport < dport ? sport : dport, sport < dport ? dport : sport};
    for (int i = 0; i < 2; i++) EACH_LOOK(l) {
            if (l->port && l->l4 == l4 && l->port == order[i]) return (pa_proto)l->proto;
        }
    return PA_P_NONE;
}

pa_proto pa_app_detect(const pa_packet *p) {
    if (!p->payload || !p->payload_len || (p->l4 != PA_P_TCP && p->l4 != PA_P_UDP)) return PA_P_NONE;
    /* looks valid on any port first: each is specific to its protocol */
    EACH_LOOK(l) {
        if (!l->port && !l->after_ports && l->l4 == p->l4 && l->look(p)) return (pa_proto)l->proto;
    }
    /* then the port-bound ones, lower port first as Wireshark tries them */
    uint16_t lo = p->sport < p->dport ? p->sport : p->dport, hi = p->sport < p->dport ? p->dport : p->sport;
    uint16_t order[2] = {lo, hi};
    for (int i = 0; i < 2; i++) EACH_LOOK(l) {
            if (l->port && l->l4 == p->l4 && l->port == order[i] && l->look(p)) return (pa_proto)l->proto;
        }
    /* then the heuristics Wireshark tries after its port tables */
    EACH_LOOK(l) {
        if (!l->port && l->after_ports && l->l4 == p->l4 && l->look(p)) return (pa_proto)l->proto;
    }
    return PA_P_NONE;
}

/* The first look with a next, per (transport, protocol): asked for every
 * later payload of a named flow, so found once, not by a walk of every
 * look each time. */
static struct {
    pthread_once_t once;
    const pa_app_look *next[2][PA_P_COUNT]; /* [0] TCP, [1] UDP */
} next_table = {PTHREAD_ONCE_INIT, {{NULL}}};

static void next_table_build(void) {
    EACH_LOOK(l) {
        int t = l->l4 == PA_P_UDP;
        if (l->next && l->proto < PA_P_COUNT && !next_table.next[t][l->proto]) next_table.next[t][l->proto] = l;
    }
}

pa_proto pa_app_next(pa_proto app, const pa_packet *p) {
    if (app == PA_P_NONE || !p->payload_len || (p->l4 != PA_P_TCP && p->l4 != PA_P_UDP)) return PA_P_NONE;
    pthread_once(&next_table.once, next_table_build);
    const pa_app_look *l = (unsigned)app < PA_P_COUNT ? next_table.next[p->l4 == PA_P_UDP][app] : NULL;
    if (l) return (pa_proto)l->next(p);
    /* no next: a UDP datagram is named by what it is */
    if (p->l4 == PA_P_UDP) return pa_app_detect(p);
    return PA_P_NONE;
}
