/* ICMP and ICMPv6 errors (see icmp_track.h). */
#include "icmp_track.h"

#include <stddef.h>
#include <string.h>

#include "cursor.h"

bool pa_icmp_is_error(uint8_t ver, uint8_t type) {
    /* the types decode_icmp.c reads a quote from */
    return ver == 6 ? type >= 1 && type <= 4 : type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

int pa_icmp_init(pa_icmp_stats *s) {
    memset(s, 0, sizeof *s);
    return pa_htab_init(&s->flows, sizeof(pa_icmp_flow), offsetof(pa_icmp_flow, count), PA_ICMP_MAX_FLOWS);
}

void pa_icmp_free(pa_icmp_stats *s) { pa_htab_free(&s->flows); }

size_t pa_icmp_memory(const pa_icmp_stats *s) { return pa_htab_memory(&s->flows); }

const struct pa_ip_layer *pa_icmp_quote(const pa_packet *p) {
    for (uint8_t i = p->nxip; i > 0; i--)
        if (p->xip[i - 1].quoted) return &p->xip[i - 1];
    return NULL;
}

static void first_frames(uint64_t *v, uint64_t count, uint64_t frame) {
    if (count <= PA_ICMP_FIRST_FRAMES) v[count - 1] = frame;
}

/* Next-hop MTU of "fragmentation needed" (ICMP 3/4: the low 16 bits of the
 * header's second word) and "packet too big" (ICMPv6 2: all of it). */
static uint32_t mtu_of(const pa_packet *p, uint8_t ver) {
    pa_cur c = pa_cur_make(p->payload, p->payload ? p->payload_len : 0);
    uint32_t w;
    if (ver == 4 && p->icmp_type == 3 && p->icmp_code == 4 && pa_cur_be32(&c, &w)) return w & 0xFFFF;
    if (ver == 6 && p->icmp_type == 2 && pa_cur_be32(&c, &w)) return w;
    return 0;
}

void pa_icmp_note(pa_icmp_stats *s, const pa_packet *p, int64_t stream) {
    uint8_t ver = p->l4 == PA_P_ICMPV6 ? 6 : 4;
    if ((p->l4 != PA_P_ICMP && p->l4 != PA_P_ICMPV6) || !pa_icmp_is_error(ver, p->icmp_type)) return;
    s->errors++;
    const struct pa_ip_layer *x = pa_icmp_quote(p);
    if (!x) s->unquoted++;

    size_t k = 0;
    while (k < s->nkinds &&
           (s->kinds[k].ver != ver || s->kinds[k].type != p->icmp_type || s->kinds[k].code != p->icmp_code))
        k++;
    if (k == s->nkinds) {
        if (k == PA_ICMP_MAX_KINDS) {
            s->kinds_overflow++;
            return;
        }
        s->kinds[s->nkinds++] = (pa_icmp_kind){.ver = ver, .type = p->icmp_type, .code = p->icmp_code};
    }
    pa_icmp_kind *kd = &s->kinds[k];
    first_frames(kd->frames, ++kd->count, p->frame_no);

    pa_icmp_flow key;
    memset(&key, 0, sizeof key);
    key.ver = ver;
    key.type = p->icmp_type;
    key.code = p->icmp_code;
    key.reporter = p->src;
    if (x) {
        key.proto = x->proto;
        key.src = x->src;
        key.dst = x->dst;
        if (x->l4 == PA_P_TCP || x->l4 == PA_P_UDP) {
            key.sport = x->sport;
            key.dport = x->dport;
        }
    }
    bool created;
    pa_icmp_flow *f = pa_htab_upsert(&s->flows, &key, &created);
    if (!f) {
        s->flows_overflow++;
        return;
    }
    if (created) {
        f->quoted = x != NULL;
        f->mtu = mtu_of(p, ver);
        f->stream = stream;
    }
    if (f->stream < 0) f->stream = stream;
    first_frames(f->frames, ++f->count, p->frame_no);
    f->last_frame = p->frame_no;
}
