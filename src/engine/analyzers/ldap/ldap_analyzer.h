/* LDAP as a registered analyzer (analyzer.h): its table in the model is
 * pa_ldap_stats (m->ldap), its facts of a frame pa_ldap_frame (ldap_track.h).
 * It serves LDAP over TCP and CLDAP over UDP (named cldap, as tshark does). */
#ifndef PA_LDAP_ANALYZER_H
#define PA_LDAP_ANALYZER_H

#include "analyzer.h"
#include "ldap_track.h"

/* The values of its display-filter fields in a frame (ldap_fields.c). */
size_t pa_ldap_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_ldap;

#endif
