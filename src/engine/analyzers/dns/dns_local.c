/* mDNS and LLMNR into the table of local name resolution (names_track.h):
 * the names a query asks, and in a response the owners of its address,
 * pointer, service and text records, with the addresses claimed. */
#include <string.h>

#include "dns_track.h"

typedef struct local_ctx {
    pa_names *t;
    const pa_packet *p;
    uint8_t proto; /* PA_NAME_MDNS or PA_NAME_LLMNR */
    bool response;
} local_ctx;

static void on_record(void *ud, int section, const char *owner, uint16_t type, const uint8_t *rd, uint16_t rdlen) {
    local_ctx *c = ud;
    size_t len = strnlen(owner, PA_DNS_NAME_MAX);
    if (section == 0) {
        if (!c->response) pa_names_query(c->t, c->proto, owner, len, &c->p->src, c->p->frame_no);
        return;
    }
    /* the records of a query (known answers, probes) answer nothing */
    if (!c->response || (type != 1 && type != 28 && type != 12 && type != 33 && type != 16)) return;
    pa_addr a = {0};
    if (type == 1 && rdlen == 4) a.family = 4, memcpy(a.b, rd, 4);
    if (type == 28 && rdlen == 16) a.family = 6, memcpy(a.b, rd, 16);
    pa_names_answer(c->t, c->proto, owner, len, &c->p->src, a.family ? &a : NULL, false, true, c->p->frame_no);
    uint8_t kind = c->proto == PA_NAME_LLMNR ? PA_ANN_LLMNR : type == 33 || type == 16 ? PA_ANN_MDNS_SERVICE : 0;
    if (c->proto == PA_NAME_MDNS && (type == 1 || type == 28)) kind = PA_ANN_MDNS_HOST;
    if (kind) pa_names_announce(c->t, &c->p->src, kind, owner, len, c->p->frame_no);
}

void pa_dns_local(pa_names *t, const pa_packet *p) {
    if (!t || p->l4 != PA_P_UDP || p->payload_len < 12) return;
    local_ctx c = {t, p, p->app == PA_P_MDNS ? PA_NAME_MDNS : PA_NAME_LLMNR, (p->payload[2] & 0x80) != 0};
    (void)pa_dns_records(p->payload, p->payload_len, on_record, &c);
}
