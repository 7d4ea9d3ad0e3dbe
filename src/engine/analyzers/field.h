/* Display-filter fields as the layers and analyzers offer them: the field
 * ids (fields.def), the value types, and the view of one frame an
 * analyzer's getter reads (pa_analyzer.field_values). The filter language
 * itself is dfilter/dfilter.h. */
#ifndef PA_FIELD_H
#define PA_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "packet.h"

typedef enum {
    PA_FT_PROTO, /* a protocol: present or not; "contains" searches its bytes */
    PA_FT_BOOL,
    PA_FT_UINT,
    PA_FT_INT,
    PA_FT_DOUBLE, /* also times in seconds */
    PA_FT_IPV4,
    PA_FT_IPV6,
    PA_FT_ETHER,
    PA_FT_STRING,
    PA_FT_BYTES,
} pa_ftype;

/* Field ids, and PA_DFG_<group>: the first field of each group (a marker
 * enumerator that the next one repeats). */
typedef enum {
#define PA_DF(id, name, type, desc) PA_DF_##id,
#define PA_DF_GROUP(group) PA_DFG_##group, PA_DFG_##group##_again = PA_DFG_##group - 1,
#include "fields.def"
#undef PA_DF_GROUP
#undef PA_DF
    PA_DF_COUNT
} pa_dfield;

typedef struct pa_dvalue {
    pa_ftype type;
    union {
        uint64_t u;
        int64_t i;
        double d;
        uint8_t addr[16]; /* IPv4 in the first 4 bytes; MAC in the first 6 */
        struct {
            const uint8_t *p;
            size_t n;
        } bytes; /* strings and byte fields (not NUL-terminated) */
    } v;
} pa_dvalue;

#define PA_DF_MAX_VALUES                                                                                               \
    128                   /* values of one field in one frame that are compared (a ClientHello may offer 100 suites) */
#define PA_FIELD_NAMES 64 /* strings made per field and frame (a DNS message holds at most 64 records) */

/* One frame as a field getter sees it, during the pass's on_frame. */
typedef struct pa_field_frame {
    const pa_packet *p;
    const uint8_t *data;    /* the captured bytes */
    const void *const *app; /* each analyzer's facts of the frame, by PA_AN_ id (NULL: none) */
    /* strings a getter makes (names decoded from the bytes) live here: two
     * banks used in turn, one per getter call, so that the two sides of a
     * field-to-field comparison do not overwrite each other */
    char names[2][PA_FIELD_NAMES][256];
    unsigned bank;
    size_t nnames;
} pa_field_frame;

/* Value builders: each returns the values written (0 when max is 0). */
static inline size_t pa_put_u(pa_dvalue *out, size_t max, uint64_t v) {
    if (!max) return 0;
    out->type = PA_FT_UINT;
    out->v.u = v;
    return 1;
}

static inline size_t pa_put_bool(pa_dvalue *out, size_t max, bool v) {
    if (!max) return 0;
    out->type = PA_FT_BOOL;
    out->v.u = v;
    return 1;
}

static inline size_t pa_put_d(pa_dvalue *out, size_t max, double v) {
    if (!max) return 0;
    out->type = PA_FT_DOUBLE;
    out->v.d = v;
    return 1;
}

static inline size_t pa_put_addr(pa_dvalue *out, size_t max, pa_ftype t, const uint8_t *a, size_t n) {
    if (!max) return 0;
    out->type = t;
    memset(out->v.addr, 0, sizeof out->v.addr);
    memcpy(out->v.addr, a, n);
    return 1;
}

static inline size_t pa_put_bytes(pa_dvalue *out, size_t max, pa_ftype t, const uint8_t *b, size_t n) {
    if (!max) return 0;
    out->type = t;
    out->v.bytes.p = b;
    out->v.bytes.n = n;
    return 1;
}

static inline size_t pa_put_str(pa_dvalue *out, size_t max, const char *s) {
    return pa_put_bytes(out, max, PA_FT_STRING, (const uint8_t *)s, strlen(s));
}

/* A string slot of the frame's current bank for a string the getter makes
 * (pa_put_str keeps a pointer); NULL when the frame's slots are used up. */
static inline char *pa_field_slot(pa_field_frame *f) {
    return f->nnames < PA_FIELD_NAMES ? f->names[f->bank][f->nnames++] : NULL;
}

/* A copy of s (cut to a slot's size) as the field's value. */
static inline size_t pa_put_text(pa_field_frame *f, const char *s, pa_dvalue *out, size_t max) {
    char *slot = pa_field_slot(f);
    if (!slot) return 0;
    size_t n = strnlen(s, sizeof f->names[0][0] - 1);
    memcpy(slot, s, n);
    slot[n] = '\0';
    return pa_put_str(out, max, slot);
}

#endif
