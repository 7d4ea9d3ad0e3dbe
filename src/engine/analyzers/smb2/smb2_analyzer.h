/* SMB2/3 (with SMB1 as far as its negotiate, and the NetBIOS session
 * service framing) as a registered analyzer (analyzer.h): its table in the
 * model is pa_smb2_stats (m->smb2), its facts of a frame pa_smb2_frame
 * (smb2_track.h). */
#ifndef PA_SMB2_ANALYZER_H
#define PA_SMB2_ANALYZER_H

#include "analyzer.h"
#include "smb2_track.h"

/* The values of its display-filter fields in a frame (smb2_fields.c). */
size_t pa_smb2_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_smb2;

#endif
