/* Expert information: Wireshark-style messages (severity, group, protocol,
 * summary) raised by every layer of the pass, counted per message kind and
 * per distinct text with the first frames of each. Three stores, by the
 * shape of the summary, so that the common messages cost a counter: fixed
 * texts per kind, one-number texts ("Duplicate ACK (#2)") per (kind,
 * number), and free texts (HTTP lines, names) per (kind, protocol, text).
 * Bounded: past PA_EXPERT_MAX_TEXTS distinct texts per store, messages are
 * counted but not itemised. */
#ifndef PA_EXPERT_H
#define PA_EXPERT_H

#include <stdbool.h>
#include <stdint.h>

#include "htab.h"
#include "packet.h"

typedef enum { PA_SEV_CHAT, PA_SEV_NOTE, PA_SEV_WARN, PA_SEV_ERROR, PA_SEV_COUNT } pa_sev;

typedef enum {
    PA_GRP_SEQUENCE,
    PA_GRP_MALFORMED,
    PA_GRP_PROTOCOL,
    PA_GRP_RESPONSE_CODE,
    PA_GRP_REQUEST_CODE,
    PA_GRP_CHECKSUM,
    PA_GRP_SECURITY,
    PA_GRP_UNDECODED,
    PA_GRP_COUNT
} pa_grp;

typedef enum {
#define PA_EXPERT(id, sev, grp, proto, fmt, ws) PA_EX_##id,
#include "expert.def"
#undef PA_EXPERT
    PA_EX_COUNT
} pa_expert_id;

#define PA_EXPERT_MAX_TEXTS 4096
#define PA_EXPERT_TEXT 244      /* characters kept of a message text (key: 256 bytes) */
#define PA_EXPERT_FIRST 5       /* first frames kept per message */
#define PA_EXPERT_MAX_ARP 65536 /* IPv4 addresses followed for duplicate use in ARP */

typedef struct pa_expert_text {
    uint16_t id; /* key: kind and text */
    char proto[10];
    char text[PA_EXPERT_TEXT];
    uint64_t count;
    uint64_t frames[PA_EXPERT_FIRST];
} pa_expert_text;

typedef struct pa_expert_num {
    uint16_t id; /* key: kind and number */
    uint16_t pad;
    uint32_t value;
    uint64_t count;
    uint64_t frames[PA_EXPERT_FIRST];
} pa_expert_num;

typedef struct pa_expert {
    uint64_t count[PA_EX_COUNT];
    uint64_t first[PA_EX_COUNT][PA_EXPERT_FIRST]; /* for kinds whose summary has no argument */
    pa_htab nums;                                 /* pa_expert_num records (one-number summaries) */
    pa_htab texts;                                /* pa_expert_text records (text arguments, anomalies) */
    uint64_t texts_overflow;                      /* messages past the caps (counted, not itemised) */
    pa_htab arp;                                  /* pa_expert_arp records: Wireshark's ARP address table */
    uint64_t arp_overflow;                        /* ARP claims of addresses past PA_EXPERT_MAX_ARP (not checked) */
} pa_expert;

/* The MAC an IPv4 address was first claimed by in ARP, and the latest frame
 * that claim was seen again. */
typedef struct pa_expert_arp {
    uint8_t ip[4]; /* key */
    uint8_t mac[6];
    uint8_t pad[6];
    uint64_t frame;
} pa_expert_arp;

/* How a kind's summary is stored: 0 fixed, 1 one number, 2 text. */
int pa_expert_shape(pa_expert_id id);
/* The summary of a fixed or one-number kind. */
void pa_expert_format(pa_expert_id id, uint32_t value, char *out, size_t n);

int pa_expert_init(pa_expert *e);
void pa_expert_free(pa_expert *e);

/* Raises message `id` on frame; the arguments fill the summary's format. */
void pa_expert_add(pa_expert *e, pa_expert_id id, uint64_t frame, ...);
/* An ARP packet (in frame order): Wireshark's duplicate IP address check. */
void pa_expert_arp_pkt(pa_expert *e, const pa_packet *p);

pa_sev pa_expert_sev(pa_expert_id id);
pa_grp pa_expert_grp(pa_expert_id id);
const char *pa_expert_proto(pa_expert_id id);
bool pa_expert_wireshark(pa_expert_id id);
const char *pa_sev_name(pa_sev s);  /* "chat", "note", "warn", "error" */
const char *pa_grp_name(pa_grp g);  /* "sequence", "response_code", ... */
const char *pa_grp_label(pa_grp g); /* Wireshark's column text: "Sequence", "Response" ... */

/* How an anomaly counter reads as expert information: false when it is not
 * a problem worth reporting there (a snaplen cut, an undecoded link type) or
 * is already raised as a Wireshark message. */
bool pa_anom_expert(pa_anom a, pa_sev *sev, pa_grp *grp, char *proto, size_t proto_len);

#endif
