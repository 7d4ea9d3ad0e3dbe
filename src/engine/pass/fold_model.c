/* The model's life (a new one, its end) and its analyzers' tables: each
 * analyzer's table is a member of pa_model (analyzers.def), reached through
 * pa_fold_stats_offset. */
#include <stdlib.h>
#include <string.h>

#include "fold.h"

const size_t pa_fold_stats_offset[PA_AN_COUNT] = {
#define PA_ANALYZER(name, stats_type) offsetof(pa_model, name),
#include "analyzers.def"
#undef PA_ANALYZER
};

static const size_t stats_size[PA_AN_COUNT] = {
#define PA_ANALYZER(name, stats_type) sizeof(stats_type),
#include "analyzers.def"
#undef PA_ANALYZER
};

const void *pa_model_app_stats(const pa_model *m, int i) { return (const char *)m + pa_fold_stats_offset[i]; }

pa_model *pa_fold_model_new(void) {
    pa_model *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->bin_width_ns = 1000000000ll;
    m->bins = calloc(PA_MAX_TIME_BINS, sizeof *m->bins);
    m->retired = calloc(PA_MAX_RETIRED_KEPT, sizeof *m->retired);
    if (!m->bins || !m->retired || pa_htab_init(&m->flows, sizeof(pa_flow), sizeof(pa_flow_key), PA_MAX_FLOWS) ||
        pa_htab_init(&m->endpoints, sizeof(pa_endpoint), sizeof(pa_addr), PA_MAX_ENDPOINTS) ||
        pa_htab_init(&m->ip_convs, sizeof(pa_ip_conv), offsetof(pa_ip_conv, pkts_ab), PA_MAX_IP_CONVS) ||
        pa_htab_init(&m->eth_endpoints, sizeof(pa_eth_endpoint), 6, PA_MAX_ETH_ENDPOINTS) ||
        pa_htab_init(&m->eth_convs, sizeof(pa_eth_conv), 12, PA_MAX_ETH_CONVS) ||
        pa_htab_init(&m->mptcp, sizeof(pa_mptcp_token), sizeof(uint32_t), PA_MAX_MPTCP_TOKENS) ||
        pa_expert_init(&m->expert) || pa_sec_init(&m->sec) || pa_icmp_init(&m->icmp) || pa_fragt_init(&m->frags)) {
        pa_model_free(m);
        return NULL;
    }
    for (int i = 0; i < PA_AN_COUNT; i++)
        if (pa_analyzers[i]->init && pa_analyzers[i]->init(pa_fold_app(m, i))) {
            pa_model_free(m);
            return NULL;
        }
    pa_fold_link_apps(m, &m->expert, &m->sec, NULL);
    return m;
}

void pa_model_free(pa_model *m) {
    if (!m) return;
    for (size_t i = 0; i < m->flows.cap; i++)
        if (m->flows.used && m->flows.used[i]) {
            pa_flow *f = pa_htab_at(&m->flows, i);
            for (int a = 0; a < PA_AN_COUNT; a++)
                if (f->app_state[a]) pa_analyzers[a]->flow_free(f->app_state[a]);
        }
    for (int a = 0; a < PA_AN_COUNT; a++)
        if (pa_analyzers[a]->free) pa_analyzers[a]->free(pa_fold_app(m, a));
    for (size_t i = 0; i < m->flows.cap; i++)
        if (m->flows.used && m->flows.used[i]) pa_tcp_free(((pa_flow *)pa_htab_at(&m->flows, i))->tcp);
    for (size_t i = 0; m->retired && i < m->nretired; i++) pa_tcp_free(m->retired[i].tcp);
    pa_htab_free(&m->flows);
    pa_htab_free(&m->endpoints);
    pa_htab_free(&m->ip_convs);
    pa_htab_free(&m->eth_endpoints);
    pa_htab_free(&m->eth_convs);
    pa_htab_free(&m->mptcp);
    pa_expert_free(&m->expert);
    pa_sec_free(&m->sec);
    pa_samples_free(&m->rtt.kept);
    pa_icmp_free(&m->icmp);
    pa_fragt_free(&m->frags);
    free(m->bins);
    free(m->retired);
    free(m);
}

size_t pa_model_flows(const pa_model *m, int ipproto, const pa_flow ***out) {
    size_t n = 0, cap = m->flows.count + m->nretired;
    const pa_flow **v = malloc((cap ? cap : 1) * sizeof *v);
    if (!v) {
        *out = NULL;
        return 0;
    }
    for (size_t r = 0; r < m->flows.count; r++) { /* in memory order: no cache miss per slot */
        const pa_flow *f = pa_htab_rec(&m->flows, r);
        if (ipproto < 0 || f->key.ipproto == ipproto) v[n++] = f;
    }
    for (size_t i = 0; i < m->nretired; i++)
        if (ipproto < 0 || m->retired[i].key.ipproto == ipproto) v[n++] = &m->retired[i];
    *out = v;
    return n;
}

size_t pa_flows_top(const pa_flow **v, size_t n, size_t k, int (*cmp)(const void *, const void *)) {
    size_t have = 0;
    for (size_t i = 0; i < n && k; i++) {
        const pa_flow *f = v[i];
        size_t j = have < k ? have++ : k;
        while (j > 0 && cmp(&f, &v[j - 1]) < 0) {
            if (j < k) v[j] = v[j - 1];
            j--;
        }
        if (j < k) v[j] = f;
    }
    return have;
}

/* What the application tables counted in m->memory hold. */
size_t pa_fold_app_memory(const pa_model *m) {
    size_t n = 0;
    for (int i = 0; i < PA_AN_COUNT; i++)
        if (pa_analyzers[i]->memory) n += pa_analyzers[i]->memory(pa_model_app_stats(m, i));
    return n;
}

void pa_fold_unbind(pa_model *m) {
    for (int i = 0; m && i < PA_AN_COUNT; i++)
        if (pa_analyzers[i]->bind) pa_analyzers[i]->bind(pa_fold_app(m, i), NULL);
}

void pa_fold_link_apps(pa_model *m, pa_expert *ex, pa_sec_stats *sec, pa_txkeep *keep) {
    for (int i = 0; i < PA_AN_COUNT; i++)
        if (pa_analyzers[i]->link) pa_analyzers[i]->link(pa_fold_app(m, i), ex, sec, keep);
}

/* The application pass's tables become the model's (and their memory the
 * model's). */
void pa_fold_take_apps(pa_model *m, pa_model *a) {
    m->memory = m->memory - pa_fold_app_memory(m) + pa_fold_app_memory(a);
    for (int i = 0; i < PA_AN_COUNT; i++) {
        const pa_analyzer *an = pa_analyzers[i];
        void *to = pa_fold_app(m, i), *from = pa_fold_app(a, i);
        if (an->free) an->free(to);
        memcpy(to, from, stats_size[i]);
        memset(from, 0, stats_size[i]);
    }
    pa_fold_link_apps(m, &m->expert, &m->sec, NULL);
    pa_fold_unbind(m);
}
