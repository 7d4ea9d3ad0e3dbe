/* How reading (and the analysis over it) ended: shared by every stage that
 * opens a capture, from the reader up to the tools. */
#ifndef PA_READ_STATUS_H
#define PA_READ_STATUS_H

typedef enum {
    PA_OK = 0,      /* the result is set (it may still say the file was damaged part-way) */
    PA_NOT_CAPTURE, /* libpcap refused the file */
    PA_BAD_FILTER,  /* the BPF expression does not compile */
    PA_CANCELLED,
    PA_NOMEM,
} pa_status;

#endif
