/* Local name resolution: the names hosts ask for and answer with mDNS,
 * LLMNR and NBNS, and what hosts announce of themselves (mDNS host names
 * and service instances, NBNS registrations, SSDP SERVER and USN lines),
 * so that an address gets a name and a host answering names it does not
 * own (LLMNR/NBNS poisoning) shows. The analyzers that parse those
 * protocols feed it (dns, nbns, http for SSDP); it lives in the security
 * evidence (pa_sec_stats.names). Every table is capped. */
#ifndef PA_NAMES_TRACK_H
#define PA_NAMES_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "htab.h"
#include "packet.h"

#define PA_NAMES_MAX 2048           /* (protocol, name) records */
#define PA_NAMES_PARTIES 8          /* askers and answerers kept per name (the others counted) */
#define PA_NAMES_ADDRS 4            /* addresses kept per answerer of a name */
#define PA_NAMES_MAX_ANNOUNCED 4096 /* (host, kind, text) announcements */
#define PA_NAMES_TEXT 128           /* characters kept of a name or announced text, with the NUL */

/* The protocols of a name (pa_name_rec.proto). */
enum { PA_NAME_MDNS = 1, PA_NAME_LLMNR, PA_NAME_NBNS };
/* What a host announced (pa_name_ann.kind). */
enum {
    PA_ANN_MDNS_HOST = 1, /* owner of an A or AAAA record it sent in an mDNS response */
    PA_ANN_MDNS_SERVICE,  /* owner of an SRV or TXT record it sent (a service instance) */
    PA_ANN_LLMNR,         /* a name it answered in LLMNR */
    PA_ANN_NBNS,          /* a NetBIOS name it registered, refreshed or answered for */
    PA_ANN_SSDP_SERVER,   /* SERVER header of its NOTIFY or M-SEARCH response */
    PA_ANN_SSDP_USN,      /* USN header */
    PA_ANN_SSDP_LOCATION, /* LOCATION header (its device description) */
    PA_ANN_BROWSER,       /* "NAME (WORKGROUP)" of its Browser host or local master announcement */
    PA_ANN_DBLSP,         /* Dropbox LAN sync: "host_int N, port P" of its discovery broadcast */
    PA_ANN_KINDS
};

typedef struct pa_name_asker {
    pa_addr host;
    uint32_t count; /* messages asking the name */
    uint64_t first_frame, last_frame;
} pa_name_asker;

typedef struct pa_name_answerer {
    pa_addr host;
    uint8_t naddrs;
    pa_addr addrs[PA_NAMES_ADDRS]; /* the addresses it gave for the name */
    uint32_t count;                /* messages answering or claiming it */
    uint32_t responses;            /* of them, responses to a query (not registrations) */
    uint64_t first_frame, last_frame;
} pa_name_answerer;

typedef struct pa_name_rec {
    uint8_t proto;            /* key: PA_NAME_* */
    char name[PA_NAMES_TEXT]; /* key: mDNS and LLMNR names lower-cased; NBNS "NAME<1d>" */
    bool group;               /* an NBNS group name (many hosts may hold it) */
    uint8_t nask, nans;
    uint32_t queries, answers;            /* messages asking, answering or claiming */
    uint32_t more_askers, more_answerers; /* hosts beyond PA_NAMES_PARTIES */
    uint64_t first_query, first_answer;   /* frames (0: none) */
    pa_name_asker askers[PA_NAMES_PARTIES];
    pa_name_answerer answerers[PA_NAMES_PARTIES];
} pa_name_rec;

typedef struct pa_name_ann {
    pa_addr host;             /* key */
    uint8_t kind;             /* key: PA_ANN_* */
    char text[PA_NAMES_TEXT]; /* key */
    uint32_t count;
    uint64_t first_frame;
} pa_name_ann;

typedef struct pa_names {
    pa_htab names;               /* pa_name_rec, at most PA_NAMES_MAX */
    pa_htab announced;           /* pa_name_ann, at most PA_NAMES_MAX_ANNOUNCED */
    uint64_t names_overflow;     /* messages about names beyond the cap: not in the table */
    uint64_t announced_overflow; /* announcements beyond the cap */
} pa_names;

int pa_names_init(pa_names *t);
void pa_names_free(pa_names *t);
size_t pa_names_memory(const pa_names *t);

/* A message from `asker` asking `name` (len bytes, not NUL-terminated). */
void pa_names_query(pa_names *t, uint8_t proto, const char *name, size_t len, const pa_addr *asker, uint64_t frame);
/* A message from `answerer` answering (response: a response to a query)
 * or claiming (an NBNS registration or refresh) `name`; addr (NULL: none)
 * the address it gave; group: an NBNS group name. A host counts once per
 * frame however many records of the name the message holds. */
void pa_names_answer(pa_names *t, uint8_t proto, const char *name, size_t len, const pa_addr *answerer,
                     const pa_addr *addr, bool group, bool response, uint64_t frame);
/* Something `host` said of itself (PA_ANN_*). */
void pa_names_announce(pa_names *t, const pa_addr *host, uint8_t kind, const char *text, size_t len, uint64_t frame);

const char *pa_names_proto_name(uint8_t proto); /* "mdns", "llmnr", "nbns" */
const char *pa_names_kind_name(uint8_t kind);   /* "mdns_host", "ssdp_server", ... */

#endif
