/* Connection lifecycle in Zeek's terms: which side originated, each
 * endpoint's state (inactive, SYN sent, SYN-ACK sent, partial, established,
 * closed, reset), the history letters and the conn_state they imply, so a
 * Zeek user can cross-check our connections against conn.log. */
#ifndef PA_CONN_STATE_H
#define PA_CONN_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"

#define PA_HISTORY_MAX 24

typedef enum {
    PA_EP_INACTIVE = 0,
    PA_EP_SYN_SENT,
    PA_EP_SYN_ACK_SENT,
    PA_EP_PARTIAL,
    PA_EP_ESTABLISHED,
    PA_EP_CLOSED,
    PA_EP_RESET,
} pa_ep_state;

typedef struct pa_conn_view {
    bool started;
    bool orig_is_a;   /* the originator is the flow key's side a */
    uint8_t state[2]; /* pa_ep_state of side a, side b */
    uint16_t seen[2]; /* letters already recorded per side (bit per letter) */
    uint64_t size[2]; /* payload bytes per side */
    bool nxt_valid[2];
    uint32_t nxt[2]; /* end of the highest sequence seen per side */
    uint8_t hlen;
    char history[PA_HISTORY_MAX + 1];
} pa_conn_view;

/* Folds one packet of the flow in; from_a: the packet was sent by side a.
 * l4 is PA_P_TCP, PA_P_UDP or another protocol. */
void pa_conn_update(pa_conn_view *v, const pa_packet *p, bool from_a);

/* "S0", "SF", "REJ", ... as Zeek's conn.log writes it. */
const char *pa_conn_state(const pa_conn_view *v, pa_proto l4);

#endif
