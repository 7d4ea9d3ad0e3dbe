/* The FTP control channel as a registered analyzer (analyzer.h): its model
 * table is pa_ftp_stats, its facts of a frame pa_ftp_frame (ftp_track.h). */
#ifndef PA_FTP_ANALYZER_H
#define PA_FTP_ANALYZER_H

#include "analyzer.h"
#include "ftp_track.h"

/* The values of its display-filter fields in a frame (ftp_fields.c). */
size_t pa_ftp_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_ftp;

#endif
