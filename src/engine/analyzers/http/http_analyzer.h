/* HTTP/1.x as a registered analyzer (analyzer.h): its model table is
 * pa_http_stats (http_track.h). */
#ifndef PA_HTTP_ANALYZER_H
#define PA_HTTP_ANALYZER_H

#include "analyzer.h"
#include "http_track.h"
#include "ssdp_parse.h"

#define PA_FRAME_HTTP 8 /* HTTP messages remembered per frame (pipelining) */

/* The HTTP messages a frame completes (display filters: http.*). */
typedef struct pa_http_frame {
    uint8_t n;
    pa_http_tx tx[PA_FRAME_HTTP]; /* their transactions (responses: status and http.time) */
    bool response[PA_FRAME_HTTP];
} pa_http_frame;

/* The event pa_engine_opts.on_app receives: a request or response completed. */
typedef struct pa_http_event {
    const pa_http_tx *tx;
    bool response;
} pa_http_event;

/* The values of its display-filter fields in a frame (http_fields.c). */
size_t pa_http_field_values(pa_field_frame *f, pa_dfield field, pa_dvalue *out, size_t max);

extern const pa_analyzer pa_analyzer_http;

#endif
