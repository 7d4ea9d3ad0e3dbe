/* Local name resolution tables (names_track.h). */
#include "names_track.h"

#include <string.h>

int pa_names_init(pa_names *t) {
    memset(t, 0, sizeof *t);
    return pa_htab_init(&t->names, sizeof(pa_name_rec), offsetof(pa_name_rec, group), PA_NAMES_MAX) ||
           pa_htab_init(&t->announced, sizeof(pa_name_ann), offsetof(pa_name_ann, count), PA_NAMES_MAX_ANNOUNCED);
}

void pa_names_free(pa_names *t) {
    pa_htab_free(&t->names);
    pa_htab_free(&t->announced);
}

size_t pa_names_memory(const pa_names *t) { return pa_htab_memory(&t->names) + pa_htab_memory(&t->announced); }

/* Printable text of at most PA_NAMES_TEXT - 1 bytes (others become '?'),
 * lower-cased when asked (DNS names compare without case). */
static void put_text(char *dst, const char *src, size_t len, bool lower) {
    if (len > PA_NAMES_TEXT - 1) len = PA_NAMES_TEXT - 1;
    for (size_t i = 0; i < len; i++) {
        char c = src[i];
        if (c < 0x20 || c > 0x7e) c = '?';
        if (lower && c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        dst[i] = c;
    }
    dst[len] = '\0';
}

static pa_name_rec *name_rec(pa_names *t, uint8_t proto, const char *name, size_t len) {
    pa_name_rec key;
    memset(&key, 0, offsetof(pa_name_rec, group));
    key.proto = proto;
    put_text(key.name, name, len, proto != PA_NAME_NBNS);
    bool created;
    pa_name_rec *r = pa_htab_upsert(&t->names, &key, &created);
    if (!r) t->names_overflow++;
    return r;
}

static bool same_addr(const pa_addr *a, const pa_addr *b) {
    return a->family == b->family && memcmp(a->b, b->b, a->family == 4 ? 4 : 16) == 0;
}

void pa_names_query(pa_names *t, uint8_t proto, const char *name, size_t len, const pa_addr *asker, uint64_t frame) {
    pa_name_rec *r = name_rec(t, proto, name, len);
    if (!r) return;
    if (!r->first_query) r->first_query = frame;
    for (uint8_t i = 0; i < r->nask; i++) {
        pa_name_asker *a = &r->askers[i];
        if (!same_addr(&a->host, asker)) continue;
        if (a->last_frame != frame) a->count++, r->queries++;
        a->last_frame = frame;
        return;
    }
    r->queries++;
    if (r->nask == PA_NAMES_PARTIES) {
        r->more_askers++;
        return;
    }
    r->askers[r->nask++] = (pa_name_asker){*asker, 1, frame, frame};
}

static void add_addr(pa_name_answerer *a, const pa_addr *addr) {
    if (!addr || !addr->family) return;
    for (uint8_t i = 0; i < a->naddrs; i++)
        if (same_addr(&a->addrs[i], addr)) return;
    if (a->naddrs < PA_NAMES_ADDRS) a->addrs[a->naddrs++] = *addr;
}

void pa_names_answer(pa_names *t, uint8_t proto, const char *name, size_t len, const pa_addr *answerer,
                     const pa_addr *addr, bool group, bool response, uint64_t frame) {
    pa_name_rec *r = name_rec(t, proto, name, len);
    if (!r) return;
    if (!r->first_answer) r->first_answer = frame;
    r->group |= group;
    for (uint8_t i = 0; i < r->nans; i++) {
        pa_name_answerer *a = &r->answerers[i];
        if (!same_addr(&a->host, answerer)) continue;
        if (a->last_frame != frame) a->count++, a->responses += response, r->answers++;
        a->last_frame = frame;
        add_addr(a, addr);
        return;
    }
    r->answers++;
    if (r->nans == PA_NAMES_PARTIES) {
        r->more_answerers++;
        return;
    }
    pa_name_answerer *a = &r->answerers[r->nans++];
    memset(a, 0, sizeof *a);
    a->host = *answerer;
    a->count = 1;
    a->responses = response;
    a->first_frame = a->last_frame = frame;
    add_addr(a, addr);
}

void pa_names_announce(pa_names *t, const pa_addr *host, uint8_t kind, const char *text, size_t len, uint64_t frame) {
    pa_name_ann key;
    memset(&key, 0, offsetof(pa_name_ann, count));
    key.host = *host;
    key.kind = kind;
    put_text(key.text, text, len, kind == PA_ANN_MDNS_HOST || kind == PA_ANN_MDNS_SERVICE || kind == PA_ANN_LLMNR);
    bool created;
    pa_name_ann *a = pa_htab_upsert(&t->announced, &key, &created);
    if (!a) {
        t->announced_overflow++;
        return;
    }
    if (created) a->first_frame = frame;
    a->count++;
}

const char *pa_names_proto_name(uint8_t proto) {
    switch (proto) {
    case PA_NAME_MDNS: return "mdns";
    case PA_NAME_LLMNR: return "llmnr";
    case PA_NAME_NBNS: return "nbns";
    default: return "?";
    }
}

const char *pa_names_kind_name(uint8_t kind) {
    static const char *const k[PA_ANN_KINDS] = {"?",       "mdns_host",       "mdns_service", "llmnr",
                                                "nbns",    "ssdp_server",     "ssdp_usn",     "ssdp_location",
                                                "browser", "dropbox_lan_sync"};
    return kind < PA_ANN_KINDS ? k[kind] : "?";
}
