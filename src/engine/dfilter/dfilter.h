/* Wireshark display filters, natively: the commonly used part of the
 * language (fields, comparisons, contains, matches, membership sets with
 * ranges, and/or/not, CIDR, every literal form), compiled once and then
 * evaluated per frame against the values a frame view offers (dframe.h).
 * Semantics follow Wireshark 4.0: a comparison on a field with several
 * values (ip.addr, tcp.port) is true when any value satisfies it, and `!=`
 * is "no value equals" (`!==` is "some value differs", `===` "every value
 * equals"). See docs/DISPLAY_FILTERS.md. */
#ifndef PA_DFILTER_H
#define PA_DFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "field.h"

/* The values of a field in the current frame (0 when absent). */
typedef size_t (*pa_dget)(void *ud, pa_dfield f, pa_dvalue *out, size_t max);

typedef struct pa_dfilter pa_dfilter;

/* Compiles text; on failure returns NULL and err gets what was wrong, where
 * (a character position, from 0) and what is accepted. */
pa_dfilter *pa_dfilter_compile(const char *text, char *err, size_t errlen);
void pa_dfilter_free(pa_dfilter *f);
bool pa_dfilter_eval(const pa_dfilter *f, pa_dget get, void *ud);
/* Whether the filter reads a field (the frame view computes costly fields
 * only when asked). */
bool pa_dfilter_uses(const pa_dfilter *f, pa_dfield field);

const char *pa_dfield_name(pa_dfield f);
pa_ftype pa_dfield_type(pa_dfield f);
/* The field with this name, or -1. */
int pa_dfield_find(const char *name, size_t n);

#endif
