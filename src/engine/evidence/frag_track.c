/* IP fragments per datagram and per source (see frag_track.h). */
#include "frag_track.h"

#include <string.h>

int pa_fragt_init(pa_frag_stats *s) {
    memset(s, 0, sizeof *s);
    if (pa_htab_init(&s->dgrams, sizeof(pa_frag_dg), offsetof(pa_frag_dg, fragments), PA_FRAG_MAX_LISTED)) return -1;
    if (pa_htab_init(&s->sources, sizeof(pa_frag_src), sizeof(pa_addr), PA_FRAG_MAX_SOURCES)) {
        pa_htab_free(&s->dgrams);
        return -1;
    }
    return 0;
}

void pa_fragt_free(pa_frag_stats *s) {
    pa_htab_free(&s->dgrams);
    pa_htab_free(&s->sources);
}

size_t pa_fragt_memory(const pa_frag_stats *s) { return pa_htab_memory(&s->dgrams) + pa_htab_memory(&s->sources); }

static uint8_t anomaly_flags(const pa_packet *p) {
    uint8_t f = 0;
    for (uint8_t i = 0; i < p->nanom; i++) switch (p->anom[i]) {
        case PA_A_FRAG_OVERLAP: f |= PA_FRAGD_OVERLAP; break;
        case PA_A_FRAG_INCONSISTENT: f |= PA_FRAGD_CONFLICT; break;
        case PA_A_FRAG_TOO_BIG: f |= PA_FRAGD_TOO_BIG; break;
        case PA_A_FRAG_TOO_MANY: f |= PA_FRAGD_TOO_MANY; break;
        case PA_A_FRAG_TABLE_FULL: f |= PA_FRAGD_TABLE_FULL; break;
        default: break;
        }
    return f;
}

uint32_t pa_fragt_note(pa_frag_stats *s, const pa_packet *p) {
    s->fragments++;
    if (p->ip_ver == 6) s->fragments_v6++;
    if (p->reassembled) s->reassembled++;

    pa_frag_dg key;
    memset(&key, 0, sizeof key);
    key.ver = p->ip_ver;
    key.proto = p->frag_proto;
    key.id = p->frag_id;
    key.src = p->src;
    key.dst = p->dst;
    bool created = false;
    pa_frag_dg *d = pa_htab_upsert(&s->dgrams, &key, &created);
    bool new_dgram = d && created; /* a datagram past the cap is not known to be new: not counted */
    if (!d)
        s->dgram_overflow++;
    else {
        if (created) d->first_frame = p->frame_no;
        d->fragments++;
        d->last_frame = p->frame_no;
        if (p->ip_len > d->largest) d->largest = p->ip_len;
        if (!p->frag_offset) d->have_first = true;
        if (!p->ip_mf) d->have_last = true;
        d->flags |= anomaly_flags(p);
        if (p->is_fragment && p->frag_snapped) d->flags |= PA_FRAGD_SNAPLEN;
        if (p->reassembled && !d->reassembled_frame) {
            d->reassembled_frame = p->frame_no;
            d->size = p->ip_payload_len;
        }
    }

    uint32_t largest = d ? d->largest : p->ip_len;
    pa_frag_src *h = pa_htab_upsert(&s->sources, &p->src, &created);
    if (!h) {
        s->src_overflow++;
        return largest;
    }
    if (created) h->first_frame = p->frame_no;
    h->fragments++;
    if (new_dgram) h->datagrams++;
    if (p->ip_len > h->largest) h->largest = p->ip_len;
    return largest;
}
